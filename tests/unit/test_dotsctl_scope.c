/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The scope of `dotsctl mitigate` (src/ctl/ctl_scope.c) and the settings
 * of `dotsctl session set` (src/ctl/ctl_session.c): the RFC 9132 JSON
 * they become, and every value refused, naming the argument.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctl.h"

#define ARGS_MAX	64

static char argbuf[1024];

/* Parse "mitigate ARGS" into @p r (arguments borrowed from argbuf). */
static void
args(const char *line, struct ctl_req *r)
{
	char *argv[ARGS_MAX], *p, err[CTL_ERR_MAX];
	int argc = 0;

	snprintf(argbuf, sizeof(argbuf), "mitigate %s", line);
	argv[argc++] = (char *)"dotsctl";
	for (p = strtok(argbuf, " "); p != NULL && argc < ARGS_MAX;
	    p = strtok(NULL, " "))
		argv[argc++] = p;
	if (ctl_args_parse(argc, argv, r, err, sizeof(err)) != 0)
		fail_msg("'%s': %s", line, err);
}

/* The compact JSON of the scope of "mitigate @p line". */
static char *
scope_json(const char *line)
{
	struct dots_signal *m;
	struct ctl_req r;
	char err[CTL_ERR_MAX];
	json_t *j;
	char *text;

	args(line, &r);
	if ((m = ctl_scope_build(&r.scope, err, sizeof(err))) == NULL)
		fail_msg("'%s' refused: %s", line, err);
	j = ctl_scope_json(m);
	assert_non_null(j);
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	dots_signal_free(m);
	return text;
}

static void
expect_scope(const char *line, const char *want)
{
	char *got = scope_json(line);

	if (strcmp(got, want) != 0)
		fail_msg("'%s':\n got  %s\n want %s", line, got, want);
	free(got);
}

static void
refused(const char *line, const char *want)
{
	struct dots_signal *m;
	struct ctl_req r;
	char err[CTL_ERR_MAX] = "";

	args(line, &r);
	if ((m = ctl_scope_build(&r.scope, err, sizeof(err))) != NULL) {
		dots_signal_free(m);
		fail_msg("'%s' accepted", line);
	}
	if (strstr(err, want) == NULL)
		fail_msg("'%s': error '%s' does not mention '%s'", line, err,
		    want);
}

static void
test_scope_json(void **state)
{
	(void)state;
	expect_scope("203.0.113.0/24",
	    "{\"target-prefix\":[\"203.0.113.0/24\"],\"lifetime\":3600}");
	/* an address is a host prefix; names and numbers of protocols */
	expect_scope("192.0.2.7 2001:db8::1 --port 80,443 --port 1000-2000 "
	    "--protocol tcp,udp --protocol 132 --lifetime 60",
	    "{\"target-prefix\":[\"192.0.2.7/32\",\"2001:db8::1/128\"],"
	    "\"target-port-range\":[{\"lower-port\":80},{\"lower-port\":443},"
	    "{\"lower-port\":1000,\"upper-port\":2000}],"
	    "\"target-protocol\":[6,17,132],\"lifetime\":60}");
	expect_scope("--fqdn www.example.com --uri https://example.com/x "
	    "--alias web --lifetime indefinite --preconfigured",
	    "{\"target-fqdn\":[\"www.example.com\"],"
	    "\"target-uri\":[\"https://example.com/x\"],"
	    "\"alias-name\":[\"web\"],\"lifetime\":-1,"
	    "\"trigger-mitigation\":false}");
	expect_scope("2001:db8::/32 --source-prefix 198.51.100.0/24 "
	    "--source-port 53,123-124 --acl drop-all",
	    "{\"target-prefix\":[\"2001:db8::/32\"],\"lifetime\":3600,"
	    "\"ietf-dots-signal-control:acl-list\":[{\"acl-name\":"
	    "\"drop-all\"}],\"ietf-dots-call-home:source-prefix\":"
	    "[\"198.51.100.0/24\"],\"ietf-dots-call-home:source-port-range\":"
	    "[{\"lower-port\":53},{\"lower-port\":123,\"upper-port\":124}]}");
	expect_scope("192.0.2.0/24 --lifetime -1",
	    "{\"target-prefix\":[\"192.0.2.0/24\"],\"lifetime\":-1}");
}

static void
test_scope_errors(void **state)
{
	(void)state;
	refused("192.0.2.1/24", "TARGET '192.0.2.1/24' has host bits set; "
	    "did you mean 192.0.2.0/24?");
	refused("192.0.2.0/33", "TARGET '192.0.2.0/33' is not a prefix");
	refused("example.com", "TARGET 'example.com' is neither");
	refused("192.0.2.0/24 300.1.1.1", "TARGET '300.1.1.1'");
	refused("127.0.0.1", "TARGET '127.0.0.1': 127.0.0.1/32 covers "
	    "loopback");
	refused("192.0.2.0/24 224.0.0.1", "TARGET '224.0.0.1'");
	refused("192.0.2.0/24 --port 65536", "--port '65536' is not a port");
	refused("192.0.2.0/24 --port http", "--port 'http'");
	refused("192.0.2.0/24 --port 80,", "--port '80,': give ports");
	refused("192.0.2.0/24 --port ,80", "--port ',80'");
	refused("192.0.2.0/24 --port 80,,90", "--port '80,,90'");
	refused("192.0.2.0/24 --port 2000-1000", "ends below its start");
	refused("192.0.2.0/24 --port 1-2-3", "--port '1-2-3'");
	refused("192.0.2.0/24 --port 10-", "--port '10-'");
	refused("192.0.2.0/24 --port 12345678901234567890", "--port");
	refused("192.0.2.0/24 --protocol tcp,bogus", "'bogus' is not a "
	    "protocol");
	refused("192.0.2.0/24 --protocol 256", "'256' is not a protocol");
	refused("192.0.2.0/24 --protocol udp,", "--protocol 'udp,'");
	refused("192.0.2.0/24 --lifetime 0", "--lifetime: a lifetime of 0");
	refused("192.0.2.0/24 --lifetime soon", "--lifetime 'soon'");
	refused("192.0.2.0/24 --lifetime 2147483648", "--lifetime");
	refused("192.0.2.0/24 --source-prefix 10.0.0.1/8",
	    "--source-prefix '10.0.0.1/8' has host bits");
	refused("192.0.2.0/24 --source-prefix 127.0.0.0/8",
	    "--source-prefix '127.0.0.0/8'");
	refused("192.0.2.0/24 --source-port 99999", "--source-port '99999'");
	refused("192.0.2.0/24 --fqdn=", "--fqdn: the value is empty");
	refused("192.0.2.0/24 --alias=", "--alias: the value is empty");
	refused("192.0.2.0/24 --uri=", "--uri: the value is empty");
	refused("192.0.2.0/24 --acl=", "--acl: the value is empty");
}

static json_t *
session(const char *const *kv, size_t n, char *err, size_t errlen)
{
	struct ctl_strlist l = { .n = n };
	size_t i;

	for (i = 0; i < n; i++)
		l.v[i] = kv[i];
	return ctl_session_body(&l, err, errlen);
}

static void
test_session_body(void **state)
{
	static const char *const kv[] = { "heartbeat-interval=30",
	    "mitigating.ack-timeout=2", "idle.ack-random-factor=1.5",
	    "missing-hb-allowed=5" };
	char err[CTL_ERR_MAX], *text;
	json_t *j;

	(void)state;
	j = session(kv, 4, err, sizeof(err));
	if (j == NULL)
		fail_msg("refused: %s", err);
	text = json_dumps(j, JSON_COMPACT);
	assert_string_equal(text, "{\"ietf-dots-signal-channel:signal-config\""
	    ":{\"mitigating-config\":{\"heartbeat-interval\":{\"current-value"
	    "\":30},\"ack-timeout\":{\"current-value-decimal\":\"2.00\"},"
	    "\"missing-hb-allowed\":{\"current-value\":5}},\"idle-config\":{"
	    "\"heartbeat-interval\":{\"current-value\":30},"
	    "\"ack-random-factor\":{\"current-value-decimal\":\"1.50\"},"
	    "\"missing-hb-allowed\":{\"current-value\":5}}}}");
	free(text);
	json_decref(j);
}

static void
session_refused(const char *kv, const char *want)
{
	char err[CTL_ERR_MAX] = "";
	json_t *j;

	if ((j = session(&kv, 1, err, sizeof(err))) != NULL) {
		json_decref(j);
		fail_msg("'%s' accepted", kv);
	}
	if (strstr(err, want) == NULL)
		fail_msg("'%s': error '%s' does not mention '%s'", kv, err,
		    want);
}

static void
test_session_errors(void **state)
{
	(void)state;
	session_refused("heartbeat-interval", "is not KEY=VALUE");
	session_refused("=5", "is not KEY=VALUE");
	session_refused("colour=blue", "unknown setting 'colour'");
	session_refused("busy.heartbeat-interval=5", "unknown setting");
	session_refused("heartbeat-interval=soon", "'soon' is not a whole");
	session_refused("heartbeat-interval=", "'' is not a whole");
	session_refused("heartbeat-interval=99999999",
	    "heartbeat-interval=99999999: 99999999 is out of range");
	session_refused("ack-timeout=2.005", "at most two fraction digits");
	session_refused("ack-timeout=.5", "not a decimal");
	session_refused("ack-timeout=1.", "not a decimal");
	session_refused("ack-timeout=-1", "not a decimal");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scope_json),
		cmocka_unit_test(test_scope_errors),
		cmocka_unit_test(test_session_body),
		cmocka_unit_test(test_session_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
