/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Uri-Path of signal-channel requests (src/lib/validate/uri.c): the
 * resources of RFC 9132 and RFC 9066, the order cdid, cuid, mid, and the
 * rule that no parameter is empty.  Segments come from CoAP options, so
 * each test passes them with explicit lengths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <dots/error.h>
#include <dots/validate.h>

#define NSEG_MAX	8

/*
 * Parse the '/'-separated @p path (without the leading slash) as Uri-Path
 * segments.  A segment cannot contain '/' this way; test_uri_rejects_bad_id
 * builds such segments itself.
 */
static int
parse_path(const char *path, struct dots_uri *uri, struct dots_diag *diag)
{
	const char *segs[NSEG_MAX];
	size_t lens[NSEG_MAX], n = 0;
	const char *p = path, *slash;

	while (n < NSEG_MAX) {
		slash = strchr(p, '/');
		segs[n] = p;
		lens[n] = slash ? (size_t)(slash - p) : strlen(p);
		n++;
		if (slash == NULL)
			break;
		p = slash + 1;
	}
	assert_true(n < NSEG_MAX);
	return dots_uri_parse(segs, lens, n, uri, diag);
}

static void
expect_ok(const char *path, struct dots_uri *uri)
{
	struct dots_diag diag;
	int ret;

	ret = parse_path(path, uri, &diag);
	if (ret != DOTS_OK)
		fail_msg("%s: %s at %s: %s", path, dots_err_name(ret),
		    diag.error.path, diag.error.msg);
	assert_int_equal(diag.err, DOTS_OK);
}

static void
check_diag(const char *what, int ret, const struct dots_diag *diag,
    const char *path, const char *word)
{
	if (ret != DOTS_EURI)
		fail_msg("%s: got %s, want DOTS_EURI", what,
		    dots_err_name(ret));
	assert_int_equal(diag->err, DOTS_EURI);
	if (strcmp(diag->error.path, path) != 0)
		fail_msg("%s: path '%s', want '%s'", what, diag->error.path,
		    path);
	if (strstr(diag->error.msg, word) == NULL)
		fail_msg("%s: message '%s' lacks '%s'", what, diag->error.msg,
		    word);
}

static void
expect_error(const char *path, const char *epath, const char *word)
{
	struct dots_diag diag;
	struct dots_uri uri;

	check_diag(path, parse_path(path, &uri, &diag), &diag, epath, word);
}

static void
test_uri_parse_mitigate_cuid(void **state)
{
	struct dots_uri uri;

	(void)state;
	expect_ok(".well-known/dots/mitigate/cuid=dz6pHjaADkaFTbjr0JGBpw",
	    &uri);
	assert_int_equal(uri.resource, DOTS_RES_MITIGATE);
	assert_int_equal(uri.present, DOTS_URI_CUID);
	assert_string_equal(uri.cuid, "dz6pHjaADkaFTbjr0JGBpw");
	assert_string_equal(uri.cdid, "");
}

static void
test_uri_parse_mitigate_cdid_cuid_mid(void **state)
{
	struct dots_uri uri;

	(void)state;
	expect_ok(".well-known/dots/mitigate/cdid=7eeaf349529eb55ed50113/"
	    "cuid=dz6pHjaADkaFTbjr0JGBpw/mid=123", &uri);
	assert_int_equal(uri.resource, DOTS_RES_MITIGATE);
	assert_int_equal(uri.present,
	    DOTS_URI_CDID | DOTS_URI_CUID | DOTS_URI_MID);
	assert_string_equal(uri.cdid, "7eeaf349529eb55ed50113");
	assert_string_equal(uri.cuid, "dz6pHjaADkaFTbjr0JGBpw");
	assert_int_equal(uri.mid, 123);

	expect_ok(".well-known/dots/mitigate/cuid=a/mid=0", &uri);
	assert_int_equal(uri.present, DOTS_URI_CUID | DOTS_URI_MID);
	assert_int_equal(uri.mid, 0);
	expect_ok(".well-known/dots/mitigate/cuid=a/mid=4294967295", &uri);
	assert_int_equal(uri.mid, UINT32_MAX);
	/* base64url and the other characters of the id set */
	expect_ok(".well-known/dots/mitigate/cuid=A-z_0.9~+:=", &uri);
	assert_string_equal(uri.cuid, "A-z_0.9~+:=");
}

static void
test_uri_parse_config(void **state)
{
	struct dots_uri uri;

	(void)state;
	expect_ok(".well-known/dots/config", &uri);
	assert_int_equal(uri.resource, DOTS_RES_CONFIG);
	assert_int_equal(uri.present, 0);
	expect_ok(".well-known/dots/config/sid=123", &uri);
	assert_int_equal(uri.resource, DOTS_RES_CONFIG);
	assert_int_equal(uri.present, DOTS_URI_SID);
	assert_int_equal(uri.sid, 123);
}

static void
test_uri_parse_hb_and_redirect(void **state)
{
	struct dots_uri uri;

	(void)state;
	expect_ok(".well-known/dots/hb", &uri);
	assert_int_equal(uri.resource, DOTS_RES_HB);
	assert_int_equal(uri.present, 0);
	expect_ok(".well-known/dots/redirect", &uri);
	assert_int_equal(uri.resource, DOTS_RES_REDIRECT);
}

static void
test_uri_parse_null_diag(void **state)
{
	static const char *const segs[] = { ".well-known", "dots", "hb",
	    "x=1" };
	static const size_t lens[] = { 11, 4, 2, 3 };
	struct dots_uri uri;

	(void)state;
	assert_int_equal(dots_uri_parse(segs, lens, 3, &uri, NULL), DOTS_OK);
	assert_int_equal(dots_uri_parse(segs, lens, 4, &uri, NULL),
	    DOTS_EURI);
	assert_int_equal(dots_uri_parse(segs, lens, 3, NULL, NULL),
	    DOTS_EINVAL);
	assert_int_equal(dots_uri_parse(NULL, lens, 3, &uri, NULL),
	    DOTS_EINVAL);
}

static void
test_uri_rejects_wrong_prefix(void **state)
{
	(void)state;
	expect_error("well-known/dots/mitigate/cuid=a", "Uri-Path/0",
	    ".well-known/dots");
	expect_error(".well-known/DOTS/mitigate/cuid=a", "Uri-Path/0",
	    ".well-known/dots");
	expect_error("dots/mitigate/cuid=a", "Uri-Path/0",
	    ".well-known/dots");
	expect_error(".well-known/dots", "Uri-Path/0", ".well-known/dots");
	expect_error(".well-known", "Uri-Path/0", ".well-known/dots");
	expect_error(".well-known/core/mitigate/cuid=a", "Uri-Path/0",
	    ".well-known/dots");
}

static void
test_uri_rejects_unknown_resource(void **state)
{
	(void)state;
	expect_error(".well-known/dots/mitigation/cuid=a", "Uri-Path/2",
	    "unknown resource 'mitigation'");
	expect_error(".well-known/dots/Mitigate/cuid=a", "Uri-Path/2",
	    "unknown resource");
	expect_error(".well-known/dots/", "Uri-Path/2", "unknown resource");
	expect_error(".well-known/dots/heartbeat", "Uri-Path/2",
	    "unknown resource");
}

static void
test_uri_rejects_missing_cuid(void **state)
{
	(void)state;
	expect_error(".well-known/dots/mitigate", "Uri-Path/3",
	    "cuid is mandatory");
	expect_error(".well-known/dots/mitigate/cdid=x", "Uri-Path/4",
	    "cuid is mandatory");
}

static void
test_uri_rejects_bad_order(void **state)
{
	(void)state;
	expect_error(".well-known/dots/mitigate/mid=1/cuid=a", "Uri-Path/3",
	    "out of order");
	expect_error(".well-known/dots/mitigate/cuid=a/cdid=b", "Uri-Path/4",
	    "out of order");
	expect_error(".well-known/dots/mitigate/cuid=a/cuid=b", "Uri-Path/4",
	    "out of order");
	expect_error(".well-known/dots/mitigate/cdid=a/cdid=b/cuid=c",
	    "Uri-Path/4", "out of order");
	expect_error(".well-known/dots/mitigate/cuid=a/mid=1/mid=2",
	    "Uri-Path/5", "out of order");
	expect_error(".well-known/dots/mitigate/cuid=a/mid=1/cdid=b",
	    "Uri-Path/5", "out of order");
}

static void
test_uri_rejects_bad_parameter(void **state)
{
	(void)state;
	expect_error(".well-known/dots/mitigate/cuid=", "Uri-Path/3",
	    "empty value for 'cuid'");
	expect_error(".well-known/dots/mitigate/cdid=/cuid=a", "Uri-Path/3",
	    "empty value for 'cdid'");
	expect_error(".well-known/dots/mitigate/cuid=a/mid=", "Uri-Path/4",
	    "empty value for 'mid'");
	expect_error(".well-known/dots/config/sid=", "Uri-Path/3",
	    "empty value for 'sid'");
	expect_error(".well-known/dots/mitigate/cuid", "Uri-Path/3",
	    "name=value");
	expect_error(".well-known/dots/mitigate/cuid=a/", "Uri-Path/4",
	    "name=value");
	expect_error(".well-known/dots/mitigate/cuid=a/foo=1", "Uri-Path/4",
	    "unknown parameter 'foo'");
	expect_error(".well-known/dots/mitigate/CUID=a", "Uri-Path/3",
	    "unknown parameter 'CUID'");
}

static void
test_uri_rejects_bad_mid(void **state)
{
	(void)state;
	expect_error(".well-known/dots/mitigate/cuid=a/mid=abc", "Uri-Path/4",
	    "mid must be an integer");
	expect_error(".well-known/dots/mitigate/cuid=a/mid=12a", "Uri-Path/4",
	    "mid must be an integer");
	expect_error(".well-known/dots/mitigate/cuid=a/mid=-1", "Uri-Path/4",
	    "mid must be an integer");
	expect_error(".well-known/dots/mitigate/cuid=a/mid=+1", "Uri-Path/4",
	    "mid must be an integer");
	expect_error(".well-known/dots/mitigate/cuid=a/mid=4294967296",
	    "Uri-Path/4", "mid must be an integer");
	expect_error(".well-known/dots/mitigate/cuid=a/mid=99999999999",
	    "Uri-Path/4", "mid must be an integer");
	expect_error(".well-known/dots/config/sid=x", "Uri-Path/3",
	    "sid must be an integer");
	expect_error(".well-known/dots/config/sid=4294967296", "Uri-Path/3",
	    "sid must be an integer");
}

static void
test_uri_rejects_bad_id(void **state)
{
	const char *segs[4] = { ".well-known", "dots", "mitigate", NULL };
	size_t lens[4] = { 11, 4, 8, 0 };
	char longid[5 + DOTS_URI_MAX_ID + 2];
	struct dots_diag diag;
	struct dots_uri uri;
	int ret;

	(void)state;
	segs[3] = "cuid=a/b";
	lens[3] = strlen(segs[3]);
	ret = dots_uri_parse(segs, lens, 4, &uri, &diag);
	check_diag("cuid=a/b", ret, &diag, "Uri-Path/3", "character outside");

	segs[3] = "cuid=a b";
	lens[3] = strlen(segs[3]);
	ret = dots_uri_parse(segs, lens, 4, &uri, &diag);
	check_diag("cuid=a b", ret, &diag, "Uri-Path/3", "character outside");

	segs[3] = "cuid=\xc3\xa9";
	lens[3] = strlen(segs[3]);
	ret = dots_uri_parse(segs, lens, 4, &uri, &diag);
	check_diag("cuid=<e-acute>", ret, &diag, "Uri-Path/3",
	    "character outside");

	/* 64 characters are fine, 65 are not */
	memcpy(longid, "cuid=", 5);
	memset(longid + 5, 'x', DOTS_URI_MAX_ID);
	longid[5 + DOTS_URI_MAX_ID] = '\0';
	segs[3] = longid;
	lens[3] = strlen(longid);
	assert_int_equal(dots_uri_parse(segs, lens, 4, &uri, &diag), DOTS_OK);
	assert_int_equal(strlen(uri.cuid), DOTS_URI_MAX_ID);
	longid[5 + DOTS_URI_MAX_ID] = 'x';
	longid[5 + DOTS_URI_MAX_ID + 1] = '\0';
	lens[3] = strlen(longid);
	ret = dots_uri_parse(segs, lens, 4, &uri, &diag);
	check_diag("cuid of 65", ret, &diag, "Uri-Path/3", "longer than 64");

	memcpy(longid, "cdid=", 5);
	segs[3] = longid;
	ret = dots_uri_parse(segs, lens, 4, &uri, &diag);
	check_diag("cdid of 65", ret, &diag, "Uri-Path/3", "longer than 64");
}

/* A NUL inside a segment, which has an explicit length. */
static void
test_uri_rejects_nul_in_id(void **state)
{
	const char *segs[4] = { ".well-known", "dots", "mitigate",
	    "cuid=a\0b" };
	size_t lens[4] = { 11, 4, 8, 8 };
	struct dots_diag diag;
	struct dots_uri uri;
	int ret;

	(void)state;
	ret = dots_uri_parse(segs, lens, 4, &uri, &diag);
	check_diag("cuid=a<NUL>b", ret, &diag, "Uri-Path/3",
	    "character outside");
	segs[3] = "cdid=\0";
	lens[3] = 6;
	ret = dots_uri_parse(segs, lens, 4, &uri, &diag);
	check_diag("cdid=<NUL>", ret, &diag, "Uri-Path/3",
	    "character outside");
}

static void
test_uri_rejects_parameters_on_hb(void **state)
{
	(void)state;
	expect_error(".well-known/dots/hb/cuid=a", "Uri-Path/3",
	    "takes no parameters");
	expect_error(".well-known/dots/hb/sid=1", "Uri-Path/3",
	    "takes no parameters");
	expect_error(".well-known/dots/redirect/cuid=a", "Uri-Path/3",
	    "takes no parameters");
}

static void
test_uri_rejects_cuid_on_config(void **state)
{
	(void)state;
	expect_error(".well-known/dots/config/cuid=a", "Uri-Path/3",
	    "only sid=");
	expect_error(".well-known/dots/config/sid=1/sid=2", "Uri-Path/4",
	    "only sid=");
	expect_error(".well-known/dots/config/sid=1/cuid=a", "Uri-Path/4",
	    "only sid=");
}

static void
test_uri_rejects_long_segment(void **state)
{
	const char *segs[4] = { ".well-known", "dots", "mitigate", NULL };
	size_t lens[4] = { 11, 4, 8, 256 };
	char seg[257];
	struct dots_diag diag;
	struct dots_uri uri;
	int ret;

	(void)state;
	memcpy(seg, "cuid=", 5);
	memset(seg + 5, 'a', sizeof(seg) - 6);
	seg[256] = '\0';
	segs[3] = seg;
	ret = dots_uri_parse(segs, lens, 4, &uri, &diag);
	check_diag("segment of 256", ret, &diag, "Uri-Path/3", "too long");
}

/*
 * CoAP options are not NUL-terminated: the diagnostic must not read a
 * segment beyond its length.  Here the resource "hb" is followed in
 * memory by the next segment.
 */
static void
test_uri_message_stays_within_segment(void **state)
{
	static const char buf[] = "hbcuid=a";
	const char *segs[4] = { ".well-known", "dots", buf, buf + 2 };
	size_t lens[4] = { 11, 4, 2, 6 };
	struct dots_diag diag;
	struct dots_uri uri;
	int ret;

	(void)state;
	ret = dots_uri_parse(segs, lens, 4, &uri, &diag);
	check_diag("hb + cuid", ret, &diag, "Uri-Path/3",
	    "/hb takes no parameters");
	assert_null(strstr(diag.error.msg, "hbcuid"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_parse_mitigate_cuid),
		cmocka_unit_test(test_uri_parse_mitigate_cdid_cuid_mid),
		cmocka_unit_test(test_uri_parse_config),
		cmocka_unit_test(test_uri_parse_hb_and_redirect),
		cmocka_unit_test(test_uri_parse_null_diag),
		cmocka_unit_test(test_uri_rejects_wrong_prefix),
		cmocka_unit_test(test_uri_rejects_unknown_resource),
		cmocka_unit_test(test_uri_rejects_missing_cuid),
		cmocka_unit_test(test_uri_rejects_bad_order),
		cmocka_unit_test(test_uri_rejects_bad_parameter),
		cmocka_unit_test(test_uri_rejects_bad_mid),
		cmocka_unit_test(test_uri_rejects_bad_id),
		cmocka_unit_test(test_uri_rejects_nul_in_id),
		cmocka_unit_test(test_uri_rejects_parameters_on_hb),
		cmocka_unit_test(test_uri_rejects_cuid_on_config),
		cmocka_unit_test(test_uri_rejects_long_segment),
		cmocka_unit_test(test_uri_message_stays_within_segment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
