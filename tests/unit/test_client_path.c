/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Uri-Path and Uri-Query of the client library's requests
 * (src/client/client_path.c): one resource per operation, the mid or sid
 * where RFC 9132 wants one, and the caller's mistakes refused before
 * anything is sent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <dots/client.h>
#include <dots/error.h>

#define CUID	"dz6pHjaADkaFTbjr0JGBpw"

static void
expect_path(const struct dots_request *r, const char *path, const char *query)
{
	char p[160], q[8];
	int ret;

	ret = dots_request_path(r, CUID, p, sizeof(p), q, sizeof(q));
	if (ret != DOTS_OK)
		fail_msg("op %d: %s, want %s", r->op, dots_err_name(ret), path);
	assert_string_equal(p, path);
	assert_string_equal(q, query);
}

static void
expect_refused(const struct dots_request *r, const char *cuid, int err)
{
	char p[160], q[8];

	assert_int_equal(dots_request_path(r, cuid, p, sizeof(p), q,
	    sizeof(q)), err);
}

static void
test_path_mitigate(void **state)
{
	struct dots_request r = { .op = DOTS_REQ_MITIGATE_PUT, .has_id = true,
	    .id = 7 };

	(void)state;
	expect_path(&r, ".well-known/dots/mitigate/cuid=" CUID "/mid=7", "");
	r.flags = DOTS_REQ_IF_MATCH;
	r.id = 4294967295u;
	expect_path(&r, ".well-known/dots/mitigate/cuid=" CUID
	    "/mid=4294967295", "");
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_GET };
	expect_path(&r, ".well-known/dots/mitigate/cuid=" CUID, "");
	r.filter = 'n';
	r.flags = DOTS_REQ_OBSERVE;
	expect_path(&r, ".well-known/dots/mitigate/cuid=" CUID, "c=n");
	r.has_id = true;
	r.id = 0;
	r.filter = 'c';
	expect_path(&r, ".well-known/dots/mitigate/cuid=" CUID "/mid=0",
	    "c=c");
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_DELETE,
	    .has_id = true, .id = 12 };
	expect_path(&r, ".well-known/dots/mitigate/cuid=" CUID "/mid=12", "");
}

static void
test_path_config_hb(void **state)
{
	struct dots_request r = { .op = DOTS_REQ_CONFIG_GET };

	(void)state;
	expect_path(&r, ".well-known/dots/config", "");
	r.has_id = true;
	r.id = 3;
	r.flags = DOTS_REQ_OBSERVE;
	expect_path(&r, ".well-known/dots/config/sid=3", "");
	r = (struct dots_request){ .op = DOTS_REQ_CONFIG_PUT, .has_id = true,
	    .id = 9 };
	expect_path(&r, ".well-known/dots/config/sid=9", "");
	r = (struct dots_request){ .op = DOTS_REQ_CONFIG_DELETE };
	expect_path(&r, ".well-known/dots/config", "");
	r.has_id = true;
	expect_path(&r, ".well-known/dots/config/sid=0", "");
	r = (struct dots_request){ .op = DOTS_REQ_HEARTBEAT,
	    .flags = DOTS_REQ_NON };
	expect_path(&r, ".well-known/dots/hb", "");
}

/* RFC 9132 section 4.4.1.1: a gateway's cdid comes before cuid, in
 * PUT, GET and DELETE alike; never elsewhere, never malformed. */
static void
test_path_cdid(void **state)
{
	struct dots_request r = { .op = DOTS_REQ_MITIGATE_PUT, .has_id = true,
	    .id = 7, .cdid = "domain-1" };
	char p[160], q[8], big[DOTS_CLIENT_CDID_MAX + 2];

	(void)state;
	expect_path(&r, ".well-known/dots/mitigate/cdid=domain-1/cuid=" CUID
	    "/mid=7", "");
	r.op = DOTS_REQ_MITIGATE_DELETE;
	expect_path(&r, ".well-known/dots/mitigate/cdid=domain-1/cuid=" CUID
	    "/mid=7", "");
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_GET,
	    .cdid = "domain-1", .filter = 'n' };
	expect_path(&r, ".well-known/dots/mitigate/cdid=domain-1/cuid=" CUID,
	    "c=n");
	r = (struct dots_request){ .op = DOTS_REQ_HEARTBEAT, .cdid = "d" };
	expect_refused(&r, CUID, DOTS_EINVAL);
	r = (struct dots_request){ .op = DOTS_REQ_CONFIG_GET, .cdid = "d" };
	expect_refused(&r, CUID, DOTS_EINVAL);
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_GET, .cdid = "" };
	expect_refused(&r, CUID, DOTS_EINVAL);
	r.cdid = "a/b";
	expect_refused(&r, CUID, DOTS_EINVAL);
	r.cdid = "a b";
	expect_refused(&r, CUID, DOTS_EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	r.cdid = big;
	expect_refused(&r, CUID, DOTS_EINVAL);
	big[DOTS_CLIENT_CDID_MAX] = '\0';	/* the longest allowed */
	assert_int_equal(dots_request_path(&r, CUID, p, sizeof(p), q,
	    sizeof(q)), DOTS_OK);
}

/* RFC 9132 section 4.2: what a request must and must not carry. */
static void
test_path_refuses_mistakes(void **state)
{
	struct dots_request r;

	(void)state;
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_PUT };
	expect_refused(&r, CUID, DOTS_EINVAL);		/* no mid */
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_DELETE };
	expect_refused(&r, CUID, DOTS_EINVAL);		/* no mid */
	r = (struct dots_request){ .op = DOTS_REQ_CONFIG_PUT };
	expect_refused(&r, CUID, DOTS_EINVAL);		/* no sid */
	r = (struct dots_request){ .op = DOTS_REQ_HEARTBEAT, .has_id = true };
	expect_refused(&r, CUID, DOTS_EINVAL);		/* an id in /hb */
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_GET };
	expect_refused(&r, NULL, DOTS_EINVAL);		/* no cuid */
	expect_refused(&r, "", DOTS_EINVAL);
	expect_refused(&r, "a/b", DOTS_EINVAL);
	r.filter = 'x';
	expect_refused(&r, CUID, DOTS_EINVAL);		/* c=x */
	r = (struct dots_request){ .op = DOTS_REQ_CONFIG_GET, .filter = 'n' };
	expect_refused(&r, CUID, DOTS_EINVAL);		/* c= on /config */
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_DELETE,
	    .has_id = true, .flags = DOTS_REQ_OBSERVE };
	expect_refused(&r, CUID, DOTS_EINVAL);		/* Observe on DELETE */
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_GET,
	    .flags = DOTS_REQ_IF_MATCH };
	expect_refused(&r, CUID, DOTS_EINVAL);		/* If-Match on GET */
	r = (struct dots_request){ .op = 0 };
	expect_refused(&r, CUID, DOTS_EINVAL);
}

static void
test_path_too_small(void **state)
{
	struct dots_request r = { .op = DOTS_REQ_MITIGATE_GET, .filter = 'a' };
	char p[24], q[8];

	(void)state;
	assert_int_equal(dots_request_path(&r, CUID, p, sizeof(p), q,
	    sizeof(q)), DOTS_ENOSPC);
	assert_int_equal(dots_request_path(&r, CUID, p, sizeof(p), q, 0),
	    DOTS_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_mitigate),
		cmocka_unit_test(test_path_config_hb),
		cmocka_unit_test(test_path_cdid),
		cmocka_unit_test(test_path_refuses_mistakes),
		cmocka_unit_test(test_path_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
