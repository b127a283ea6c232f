/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The dotsd configuration (src/common/conf.c and its schema).
 *
 * Golden tests: every tests/config/NAME.conf is parsed and printed
 * normalized, which must equal NAME.ok byte for byte; the output, parsed
 * again, must print the same (the normalized form is a fixed point).
 * Every tests/config/bad-NAME.conf must be refused with the message in
 * bad-NAME.err.  etc/dotsd.conf.example is checked the same way against
 * tests/config/example.ok, so the shipped example stays valid.
 *
 * When a golden test fails, the actual output is written next to the test
 * executable as NAME.out (or bad-NAME.out), ready to diff or to copy over
 * the expected file once checked by eye.
 *
 * The other tests look at the parsed structs directly: the defaults,
 * conf_set overrides, the reload check and the client look-ups.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <dots/error.h>

#include "conf.h"

#define PATH_LEN	1024

static const char *
data_dir(void)
{
	const char *d = getenv("DOTS_TEST_DATA");

	if (d == NULL)
		fail_msg("DOTS_TEST_DATA is not set (run through ctest)");
	return d;
}

/* The whole of a file, **new**, NUL-terminated; NULL if absent. */
static char *
read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len = -1;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		fail_msg("%s: cannot size", path);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		fail_msg("%s: short read", path);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* conf_print_flags() output, **new**. */
static char *
print_text(const struct conf *c, unsigned flags)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	conf_print_flags(f, c, flags);
	assert_int_equal(fclose(f), 0);
	return text;
}

/* Report the first line where @p got and @p want differ; @return 1 if
 * they do. */
static int
compare_text(const char *what, const char *got, const char *want,
    const char *out_path)
{
	unsigned line = 1;
	size_t i;

	if (strcmp(got, want) == 0)
		return 0;
	write_text(out_path, got);
	for (i = 0; got[i] == want[i]; i++)
		if (got[i] == '\n')
			line++;
	print_error("%s: output differs from the expected at line %u "
	    "(actual output in %s)\n", what, line, out_path);
	return 1;
}

/* Names of tests/config/ files ending in @p suffix, sorted; **new**. */
static char **
list_config(const char *suffix, size_t *n)
{
	char dir[PATH_LEN], **names = NULL;
	struct dirent *de;
	size_t slen = strlen(suffix), i, j;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/config", data_dir());
	d = opendir(dir);
	if (d == NULL)
		fail_msg("%s: %s", dir, strerror(errno));
	*n = 0;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len <= slen || strcmp(de->d_name + len - slen, suffix) != 0)
			continue;
		names = realloc(names, (*n + 1) * sizeof(*names));
		assert_non_null(names);
		names[(*n)++] = strdup(de->d_name);
	}
	closedir(d);
	for (i = 1; i < *n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];

			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	return names;
}

static void
free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Parse @p conf_path, compare its print with @p ok_path, check that the
 * printed form parses back to itself.  @return the number of failures
 * reported (0 or 1); the other checks fail the test at once. */
static int
check_golden(const char *conf_path, const char *ok_path, const char *out)
{
	struct conf *c = NULL, *again = NULL;
	char err[CONF_ERR_MAX], *got, *want, *full, *full2;
	int ret, bad;

	ret = conf_parse_file(conf_path, &c, err, sizeof(err));
	if (ret != DOTS_OK) {
		print_error("%s refused: %s\n", conf_path, err);
		return 1;
	}
	got = print_text(c, 0);
	want = read_text(ok_path);
	if (want == NULL) {
		write_text(out, got);
		print_error("%s missing (actual output in %s)\n", ok_path,
		    out);
		bad = 1;
	} else
		bad = compare_text(conf_path, got, want, out);

	full = print_text(c, CONF_PRINT_SECRETS);
	ret = conf_parse_buf(full, strlen(full), "printed", &again, err,
	    sizeof(err));
	if (ret != DOTS_OK)
		fail_msg("%s: normalized output refused: %s", conf_path, err);
	full2 = print_text(again, CONF_PRINT_SECRETS);
	if (strcmp(full, full2) != 0)
		fail_msg("%s: normalized output is not a fixed point",
		    conf_path);
	assert_int_equal(conf_reload_check(c, again, err, sizeof(err)),
	    DOTS_OK);

	free(full2);
	free(full);
	free(want);
	free(got);
	conf_free(again);
	conf_free(c);
	return bad;
}

static void
test_conf_golden(void **state)
{
	char conf_path[PATH_LEN], ok_path[PATH_LEN], out[PATH_LEN];
	char **names;
	size_t n, i, ngood = 0;
	int bad = 0;

	(void)state;
	names = list_config(".conf", &n);
	for (i = 0; i < n; i++) {
		size_t base = strlen(names[i]) - strlen(".conf");

		if (strncmp(names[i], "bad-", 4) == 0)
			continue;
		snprintf(conf_path, sizeof(conf_path), "%s/config/%s",
		    data_dir(), names[i]);
		snprintf(ok_path, sizeof(ok_path), "%s/config/%.*s.ok",
		    data_dir(), (int)base, names[i]);
		snprintf(out, sizeof(out), "%.*s.out", (int)base, names[i]);
		bad += check_golden(conf_path, ok_path, out);
		ngood++;
	}
	free_names(names, n);
	if (bad > 0)
		fail_msg("%d of %zu golden configurations differ", bad, ngood);
	if (ngood < 3)
		fail_msg("only %zu golden configurations found", ngood);
}

/* The shipped example parses, and prints as tests/config/example.ok. */
static void
test_conf_example(void **state)
{
	char conf_path[PATH_LEN], ok_path[PATH_LEN];

	(void)state;
	snprintf(conf_path, sizeof(conf_path), "%s/../etc/dotsd.conf.example",
	    data_dir());
	snprintf(ok_path, sizeof(ok_path), "%s/config/example.ok",
	    data_dir());
	if (check_golden(conf_path, ok_path, "example.out") != 0)
		fail_msg("the example differs from example.ok");
}

static void
test_conf_bad(void **state)
{
	char dir[PATH_LEN], err_path[PATH_LEN], out[PATH_LEN];
	char err[CONF_ERR_MAX], **names, *want;
	struct conf *c = NULL;
	size_t n, i, nbad = 0;
	int ret;

	(void)state;
	/* Relative names, so that messages do not depend on the tree. */
	snprintf(dir, sizeof(dir), "%s/config", data_dir());
	if (chdir(dir) != 0)
		fail_msg("%s: %s", dir, strerror(errno));
	names = list_config(".conf", &n);
	for (i = 0; i < n; i++) {
		size_t base = strlen(names[i]) - strlen(".conf");

		if (strncmp(names[i], "bad-", 4) != 0)
			continue;
		nbad++;
		ret = conf_parse_file(names[i], &c, err, sizeof(err));
		if (ret == DOTS_OK)
			fail_msg("%s accepted", names[i]);
		assert_null(c);
		snprintf(err_path, sizeof(err_path), "%.*s.err", (int)base,
		    names[i]);
		want = read_text(err_path);
		if (want == NULL)
			fail_msg("%s missing; the error is: %s", err_path, err);
		want[strcspn(want, "\n")] = '\0';
		if (strcmp(err, want) != 0) {
			snprintf(out, sizeof(out), "%.*s.out", (int)base,
			    names[i]);
			write_text(out, err);
			fail_msg("%s: error\n  got  '%s'\n  want '%s'",
			    names[i], err, want);
		}
		free(want);
	}
	free_names(names, n);
	if (nbad < 10)
		fail_msg("only %zu bad configurations found", nbad);
}

#define MINIMAL								\
	"ca-file /c/ca.pem\ncert-file /c/s.pem\nkey-file /c/k.pem\n"	\
	"mitigator \"m\" { type log }\n"

static struct conf *
parse_ok(const char *text)
{
	struct conf *c = NULL;
	char err[CONF_ERR_MAX];

	if (conf_parse_buf(text, strlen(text), "t", &c, err, sizeof(err)) !=
	    DOTS_OK)
		fail_msg("refused: %s\n%s", err, text);
	return c;
}

static void
expect_error_len(const char *text, size_t len, const char *want)
{
	struct conf *c = NULL;
	char err[CONF_ERR_MAX];

	if (conf_parse_buf(text, len, "t", &c, err, sizeof(err)) == DOTS_OK)
		fail_msg("accepted:\n%s", text);
	assert_null(c);
	if (strcmp(err, want) != 0)
		fail_msg("error\n  got  '%s'\n  want '%s'", err, want);
}

static void
expect_error(const char *text, const char *want)
{
	expect_error_len(text, strlen(text), want);
}

static void
test_conf_defaults(void **state)
{
	struct conf *c = parse_ok(MINIMAL);
	const struct sockaddr_in6 *sin6;
	const struct sockaddr_in *sin;

	(void)state;
	assert_int_equal(c->n_listen, 2);
	assert_string_equal(c->listen[0].addr, "::");
	assert_int_equal(c->listen[0].port, 4646);
	sin6 = (const struct sockaddr_in6 *)&c->listen[0].sa;
	assert_int_equal(sin6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(sin6->sin6_port), 4646);
	assert_int_equal(c->listen[0].salen, sizeof(*sin6));
	sin = (const struct sockaddr_in *)&c->listen[1].sa;
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(sin->sin_addr.s_addr, htonl(INADDR_ANY));
	assert_int_equal(c->transport, CONF_TRANSPORT_BOTH);
	assert_string_equal(c->database, "/var/lib/opendots/dotsd.db");
	assert_true(c->durable);
	assert_int_equal(c->log_level, LOG_LVL_INFO);
	assert_true(c->syslog);
	assert_string_equal(c->control_socket, "/run/opendots/dotsd.sock");
	assert_int_equal(c->mitigating.heartbeat_interval.cur, 30);
	assert_int_equal(c->mitigating.heartbeat_interval.min, 15);
	assert_int_equal(c->mitigating.heartbeat_interval.max, 240);
	assert_int_equal(c->mitigating.missing_hb_allowed.cur, 15);
	assert_int_equal(c->mitigating.max_retransmit.max, 15);
	assert_int_equal(c->mitigating.ack_timeout.cur, 200);
	assert_int_equal(c->mitigating.ack_timeout.max, 3000);
	assert_int_equal(c->mitigating.ack_random_factor.min, 110);
	assert_int_equal(c->mitigating.probing_rate.cur, 5);
	assert_memory_equal(&c->idle, &c->mitigating, sizeof(c->idle));
	assert_int_equal(c->active_but_terminating, 120);
	assert_int_equal(c->max_lifetime, 0);
	assert_int_equal(c->n_mitigator, 1);
	assert_string_equal(c->mitigator[0].name, "m");
	assert_int_equal(c->mitigator[0].type, CONF_MIT_LOG);
	assert_int_equal(c->n_client, 0);
	conf_free(c);
}

static void
test_conf_client_fields(void **state)
{
	struct conf *c = parse_ok(MINIMAL
	    "mitigator \"x\" { type exec; command \"/bin/true\"; arg a }\n"
	    "client \"a\" {\n"
	    "  identity \"psk:dev-a\"\n"
	    "  psk-key hex:000102030405060708090a0b0c0d0e0f\n"
	    "  prefix 192.0.2.0/24; prefix 2001:DB8::/32\n"
	    "  fqdn WWW.Example.com\n"
	    "  mitigator x\n"
	    "}\n"
	    "client \"b\" { identity \"spki:AAECAwQFBgcICQoLDA0ODw\" }\n");
	const struct conf_client *a = &c->client[0], *b = &c->client[1];
	char buf[64];

	(void)state;
	assert_int_equal(c->n_client, 2);
	assert_int_equal(a->identity.kind, CONF_ID_PSK);
	assert_string_equal(a->identity.value, "dev-a");
	assert_string_equal(a->psk_identity, "dev-a");
	assert_int_equal(a->psk_key.len, 16);
	assert_int_equal(a->psk_key.data[15], 0x0f);
	assert_int_equal(a->n_prefix, 2);
	dots_prefix_format(&a->prefix[1], buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::/32");
	assert_string_equal(a->fqdn[0], "www.example.com");
	assert_int_equal(a->max_mitigations, 64);
	assert_int_equal(a->max_rate, 20);
	assert_ptr_equal(a->mitigator, &c->mitigator[1]);
	assert_int_equal(c->mitigator[1].n_setting, 2);
	assert_string_equal(c->mitigator[1].setting[1].key, "arg");
	assert_string_equal(c->mitigator[1].setting[1].value, "a");
	assert_int_equal(b->identity.kind, CONF_ID_SPKI);
	assert_int_equal(b->identity.spki_len, 16);
	assert_int_equal(b->identity.spki[15], 15);
	assert_null(b->psk_identity);
	assert_ptr_equal(b->mitigator, &c->mitigator[0]);
	conf_free(c);
}

static void
test_conf_lookup(void **state)
{
	struct conf *c = parse_ok(MINIMAL
	    "client \"a\" { identity \"cn:client-a\"; psk-identity pa; "
	    "psk-key 0123456789abcdef }\n"
	    "client \"b\" { identity \"spki:AAECAwQFBgcICQoLDA0ODw\" }\n"
	    "client \"c\" { identity \"spki:"
	    "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8\" }\n");
	uint8_t digest[32];
	size_t i;

	(void)state;
	assert_ptr_equal(conf_client_by_name(c, "b"), &c->client[1]);
	assert_null(conf_client_by_name(c, "d"));
	assert_ptr_equal(conf_client_by_cn(c, "client-a"), &c->client[0]);
	assert_null(conf_client_by_cn(c, "client"));
	assert_ptr_equal(conf_client_by_psk(c, "pa", 2), &c->client[0]);
	assert_null(conf_client_by_psk(c, "p", 1));
	/* 22 characters match the digests that start with those bytes */
	for (i = 0; i < 32; i++)
		digest[i] = (uint8_t)i;
	assert_ptr_equal(conf_client_by_spki(c, digest), &c->client[1]);
	digest[20] ^= 1;
	assert_ptr_equal(conf_client_by_spki(c, digest), &c->client[1]);
	digest[3] ^= 1;
	assert_null(conf_client_by_spki(c, digest));
	for (i = 0; i < 32; i++)
		digest[i] = (uint8_t)(32 + i);
	assert_ptr_equal(conf_client_by_spki(c, digest), &c->client[2]);
	digest[31] ^= 1;
	assert_null(conf_client_by_spki(c, digest));
	assert_ptr_equal(conf_mitigator_by_name(c, "m"), &c->mitigator[0]);
	assert_null(conf_mitigator_by_name(c, "n"));
	conf_free(c);
}

static void
test_conf_set(void **state)
{
	struct conf *c = parse_ok(MINIMAL "listen 192.0.2.1 5000\n");
	char err[CONF_ERR_MAX];

	(void)state;
	assert_int_equal(c->n_listen, 1);
	/* a bad first override of a list leaves the file's entries */
	assert_int_equal(conf_set(c, "listen", "192.0.2.300", err,
	    sizeof(err)), DOTS_EVALUE);
	assert_string_equal(err,
	    "listen: '192.0.2.300' is not an IPv4 or IPv6 address");
	assert_int_equal(c->n_listen, 1);
	/* the first good one replaces them, later ones add */
	assert_int_equal(conf_set(c, "listen", "::1", err, sizeof(err)),
	    DOTS_OK);
	assert_int_equal(c->n_listen, 1);
	assert_string_equal(c->listen[0].addr, "::1");
	assert_int_equal(c->listen[0].port, 4646);
	assert_int_equal(conf_set(c, "listen", "127.0.0.1  14646", err,
	    sizeof(err)), DOTS_OK);
	assert_int_equal(c->n_listen, 2);
	assert_int_equal(c->listen[1].port, 14646);
	assert_int_equal(conf_set(c, "listen", "::1 4646", err,
	    sizeof(err)), DOTS_EVALUE);
	assert_string_equal(err, "listen: ::1 4646 given twice");

	assert_int_equal(conf_set(c, "database", "/tmp/with space.db", err,
	    sizeof(err)), DOTS_OK);
	assert_string_equal(c->database, "/tmp/with space.db");
	assert_int_equal(conf_set(c, "log-level", "debug", err, sizeof(err)),
	    DOTS_OK);
	assert_int_equal(c->log_level, LOG_LVL_DEBUG);
	assert_int_equal(conf_set(c, "log-level", "loud", err, sizeof(err)),
	    DOTS_EVALUE);
	assert_string_equal(err,
	    "log-level: 'loud' is not one of err, warn, info, debug");
	assert_int_equal(c->log_level, LOG_LVL_DEBUG);
	assert_int_equal(conf_set(c, "ack-timeout", "3.5 1 30", err,
	    sizeof(err)), DOTS_OK);
	assert_int_equal(c->mitigating.ack_timeout.cur, 350);
	assert_int_equal(conf_set(c, "heartbeat-interval", "300", err,
	    sizeof(err)), DOTS_EVALUE);
	assert_string_equal(err, "heartbeat-interval: current value 300 is "
	    "outside 15..240");
	assert_int_equal(conf_set(c, "client", "x", err, sizeof(err)),
	    DOTS_EVALUE);
	assert_int_equal(conf_set(c, "nonsense", "x", err, sizeof(err)),
	    DOTS_EVALUE);
	assert_string_equal(err, "nonsense: not a keyword that can be set "
	    "here");
	conf_free(c);
}

static void
test_conf_reload_check(void **state)
{
	struct conf *a = parse_ok(MINIMAL);
	struct conf *b = parse_ok(MINIMAL "log-level debug\n"
	    "heartbeat-interval 60 15 240\nclient \"x\" { identity "
	    "\"cn:x\" }\n");
	struct conf *d = parse_ok(MINIMAL "listen ::1\n");
	struct conf *e = parse_ok("ca-file /c/ca.pem\ncert-file /c/s.pem\n"
	    "key-file /c/k.pem\nmitigator \"m\" { type exec }\n");
	char err[CONF_ERR_MAX];

	(void)state;
	assert_int_equal(conf_reload_check(a, b, err, sizeof(err)), DOTS_OK);
	assert_int_equal(conf_reload_check(a, d, err, sizeof(err)),
	    DOTS_EVALUE);
	assert_string_equal(err, "listen changed: restart dotsd to apply it");
	assert_int_equal(conf_reload_check(a, e, err, sizeof(err)),
	    DOTS_EVALUE);
	assert_string_equal(err,
	    "mitigator changed: restart dotsd to apply it");
	conf_free(a);
	conf_free(b);
	conf_free(d);
	conf_free(e);
}

/* Errors that name no file line, or that are easier to read here. */
static void
test_conf_errors(void **state)
{
	struct conf *c = NULL;
	char err[CONF_ERR_MAX];

	(void)state;
	assert_int_equal(conf_parse_file("/nonexistent/dotsd.conf", &c, err,
	    sizeof(err)), -ENOENT);
	assert_string_equal(err,
	    "/nonexistent/dotsd.conf: No such file or directory");
	assert_null(c);
	assert_int_equal(conf_parse_file("/", &c, err, sizeof(err)),
	    DOTS_EVALUE);
	assert_string_equal(err, "/: not a regular file");
	expect_error("", "t: ca-file is required");
	expect_error("ca-file a\ncert-file b\nkey-file c\n",
	    "t: a mitigator is required");
	expect_error_len(MINIMAL "x\0y", sizeof(MINIMAL "x\0y") - 1,
	    "t:5: NUL byte");
	expect_error(MINIMAL "log-level \"a\\qb\"",
	    "t:5: unknown escape \\q in string");
	expect_error(MINIMAL "database \"a\nb\"",
	    "t:5: unterminated string");
	expect_error(MINIMAL "listen ::1 1 2",
	    "t:5: listen: expected ADDRESS [PORT]");
	expect_error(MINIMAL "a b c d e f g h i j",
	    "t:5: a: too many values");
	expect_error(MINIMAL "ack-timeout 2 1",
	    "t:5: ack-timeout: expected CUR or CUR MIN MAX");
	conf_free(c);
}

static void
test_conf_describe(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	conf_describe(f);
	fclose(f);
	assert_non_null(strstr(text, "\nlisten ADDRESS [PORT]\n"));
	assert_non_null(strstr(text, "\nidle-ack-timeout CUR [MIN MAX]\n"));
	assert_non_null(strstr(text, "\tdefault: 2.00 1.00 30.00; "
	    "reload: yes\n"));
	assert_non_null(strstr(text, "# in client"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_golden),
		cmocka_unit_test(test_conf_example),
		cmocka_unit_test(test_conf_defaults),
		cmocka_unit_test(test_conf_client_fields),
		cmocka_unit_test(test_conf_lookup),
		cmocka_unit_test(test_conf_set),
		cmocka_unit_test(test_conf_reload_check),
		cmocka_unit_test(test_conf_errors),
		cmocka_unit_test(test_conf_describe),
		/* last: it changes the working directory */
		cmocka_unit_test(test_conf_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
