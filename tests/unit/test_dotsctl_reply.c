/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotsctl and the control protocol: the requests it writes
 * (src/ctl/ctl_req.c), the lines of the daemon it accepts or refuses and
 * the exit codes they mean (ctl_reply.c), and the tables it prints from
 * them (ctl_print.c).
 */
#define _DEFAULT_SOURCE		/* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctl.h"

static void
expect_req(const struct ctl_req *r, const struct dots_signal *scope,
    json_t *set, const char *want)
{
	json_t *j = ctl_req_json(r, 1, scope, set);
	char *text;

	assert_non_null(j);
	text = json_dumps(j, JSON_COMPACT);
	if (strcmp(text, want) != 0)
		fail_msg("got  %s\nwant %s", text, want);
	free(text);
	json_decref(j);
}

static void
test_requests(void **state)
{
	struct ctl_req r = { .cmd = CTL_CMD_STATUS };
	struct dots_signal *m;
	char err[CTL_ERR_MAX];
	json_t *set;

	(void)state;
	expect_req(&r, NULL, NULL, "{\"id\":1,\"cmd\":\"list\"}");
	r.all = true;
	r.has_mid = true;
	r.mid = 7;
	r.server = "up";
	expect_req(&r, NULL, NULL, "{\"id\":1,\"cmd\":\"list\",\"server\":"
	    "\"up\",\"mid\":7,\"all\":true}");

	memset(&r, 0, sizeof(r));
	r.cmd = CTL_CMD_MITIGATE;
	r.scope.targets.v[0] = "192.0.2.0/24";
	r.scope.targets.n = 1;
	r.has_wait = true;
	r.wait = 0;
	m = ctl_scope_build(&r.scope, err, sizeof(err));
	assert_non_null(m);
	expect_req(&r, m, NULL, "{\"id\":1,\"cmd\":\"mitigate\",\"wait\":0,"
	    "\"origin\":\"manual\",\"scope\":{\"target-prefix\":"
	    "[\"192.0.2.0/24\"],\"lifetime\":3600}}");
	r.origin = "detector:x";
	r.has_mid = true;
	r.mid = 3;
	r.has_wait = false;
	expect_req(&r, m, NULL, "{\"id\":1,\"cmd\":\"mitigate\",\"mid\":3,"
	    "\"origin\":\"detector:x\",\"scope\":{\"target-prefix\":"
	    "[\"192.0.2.0/24\"],\"lifetime\":3600}}");
	dots_signal_free(m);

	memset(&r, 0, sizeof(r));
	r.cmd = CTL_CMD_EFFICACY;
	r.has_mid = true;
	r.mid = 3;
	r.attack_status = DOTS_ATTACK_MITIGATED;
	expect_req(&r, NULL, NULL, "{\"id\":1,\"cmd\":\"efficacy\",\"mid\":3,"
	    "\"attack-status\":\"attack-successfully-mitigated\"}");
	r.cmd = CTL_CMD_WITHDRAW;
	expect_req(&r, NULL, NULL, "{\"id\":1,\"cmd\":\"withdraw\",\"mid\":3}");
	r.cmd = CTL_CMD_CANCEL;
	expect_req(&r, NULL, NULL, "{\"id\":1,\"cmd\":\"cancel\",\"mid\":3}");

	memset(&r, 0, sizeof(r));
	r.cmd = CTL_CMD_SESSION;
	set = json_pack("{s:{}}", "ietf-dots-signal-channel:signal-config");
	expect_req(&r, NULL, set, "{\"id\":1,\"cmd\":\"session\",\"set\":"
	    "{\"ietf-dots-signal-channel:signal-config\":{}}}");
	json_decref(set);
	r.cmd = CTL_CMD_SERVERS;
	expect_req(&r, NULL, NULL, "{\"id\":1,\"cmd\":\"servers\"}");
}

static void
parse_ok(const char *line, struct ctl_reply *r)
{
	char err[CTL_ERR_MAX];

	if (ctl_reply_parse(line, strlen(line), r, err, sizeof(err)) != 0)
		fail_msg("'%s' refused: %s", line, err);
}

static void
parse_bad(const char *line, const char *want)
{
	struct ctl_reply r;
	char err[CTL_ERR_MAX] = "";

	if (ctl_reply_parse(line, strlen(line), &r, err, sizeof(err)) == 0) {
		ctl_reply_clear(&r);
		fail_msg("'%s' accepted", line);
	}
	assert_null(r.root);
	if (strstr(err, want) == NULL)
		fail_msg("'%s': error '%s' does not mention '%s'", line, err,
		    want);
}

static void
test_replies(void **state)
{
	struct ctl_reply r;

	(void)state;
	parse_ok("{\"id\":1,\"ok\":true,\"result\":{\"mid\":12,\"state\":"
	    "\"active\"}}", &r);
	assert_int_equal(r.kind, CTL_REPLY_ANSWER);
	assert_true(r.ok);
	assert_true(ctl_reply_id_is(&r, 1));
	assert_false(ctl_reply_id_is(&r, 2));
	assert_int_equal(ctl_reply_exit(&r, CTL_CMD_MITIGATE), CTL_EXIT_OK);
	ctl_reply_clear(&r);

	parse_ok("{\"id\":1,\"ok\":true,\"result\":{\"state\":\"pending\"}}",
	    &r);
	assert_int_equal(ctl_reply_exit(&r, CTL_CMD_MITIGATE),
	    CTL_EXIT_PENDING);
	assert_int_equal(ctl_reply_exit(&r, CTL_CMD_STATUS), CTL_EXIT_OK);
	ctl_reply_clear(&r);
	parse_ok("{\"id\":1,\"ok\":true,\"result\":{\"state\":"
	    "\"withdrawing\"}}", &r);
	assert_int_equal(ctl_reply_exit(&r, CTL_CMD_WITHDRAW),
	    CTL_EXIT_PENDING);
	ctl_reply_clear(&r);
	parse_ok("{\"id\":1,\"ok\":true,\"result\":{\"state\":\"failed\"}}",
	    &r);
	assert_int_equal(ctl_reply_exit(&r, CTL_CMD_MITIGATE),
	    CTL_EXIT_FAILED);
	ctl_reply_clear(&r);
	parse_ok("{\"id\":\"x\",\"ok\":true}", &r);
	assert_null(r.result);
	assert_false(ctl_reply_id_is(&r, 1));
	ctl_reply_clear(&r);

	parse_ok("{\"id\":1,\"ok\":false,\"error\":{\"code\":\"refused\","
	    "\"field\":\"scope.target-prefix\",\"message\":\"m\",\"server\":"
	    "{\"code\":\"4.01\",\"diagnostic\":\"d\"}}}", &r);
	assert_false(r.ok);
	assert_string_equal(r.code, "refused");
	assert_string_equal(r.field, "scope.target-prefix");
	assert_string_equal(r.message, "m");
	assert_string_equal(r.server_code, "4.01");
	assert_string_equal(r.server_diag, "d");
	assert_int_equal(ctl_reply_exit(&r, CTL_CMD_MITIGATE),
	    CTL_EXIT_FAILED);
	ctl_reply_clear(&r);

	parse_ok("{\"event\":\"status\",\"mid\":1}", &r);
	assert_int_equal(r.kind, CTL_REPLY_EVENT);
	assert_string_equal(r.event, "status");
	ctl_reply_clear(&r);

	parse_bad("", "not JSON");
	parse_bad("{\"id\":1,", "not JSON");
	parse_bad("[1]", "not a JSON object");
	parse_bad("{\"id\":1,\"id\":2,\"ok\":true}", "not JSON");
	parse_bad("{\"event\":7}", "event name");
	parse_bad("{\"id\":1}", "neither an answer");
	parse_bad("{\"ok\":\"yes\"}", "neither an answer");
	parse_bad("{\"ok\":true,\"result\":[]}", "not an object");
	parse_bad("{\"ok\":false}", "no error object");
	parse_bad("{\"ok\":false,\"error\":{}}", "error.code");
	parse_bad("{\"ok\":false,\"error\":{\"code\":1}}", "error.code");
	parse_bad("{\"ok\":false,\"error\":{\"code\":\"x\",\"field\":1}}",
	    "error.field");
	parse_bad("{\"ok\":false,\"error\":{\"code\":\"x\",\"server\":1}}",
	    "error.server");
	parse_bad("{\"ok\":false,\"error\":{\"code\":\"x\",\"server\":"
	    "{\"code\":401}}}", "error.server");
}

/* What ctl_print_result prints for the result @p json. */
static char *
printed(enum ctl_cmd cmd, const char *json)
{
	json_t *j = json_loads(json, 0, NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_non_null(j);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	ctl_print_result(f, cmd, j);
	fclose(f);
	json_decref(j);
	return buf;
}

static void
expect_printed(enum ctl_cmd cmd, const char *json, const char *want)
{
	char *got = printed(cmd, json);

	if (strcmp(got, want) != 0)
		fail_msg("got:\n%s\nwant:\n%s", got, want);
	free(got);
}

static void
test_tables(void **state)
{
	(void)state;
	expect_printed(CTL_CMD_STATUS, "{\"mitigations\":[{\"server\":\"up\","
	    "\"mid\":12,\"origin\":\"manual\",\"state\":\"active\",\"status\":"
	    "\"attack-mitigation-in-progress\",\"scope\":{\"target-prefix\":"
	    "[\"203.0.113.0/24\",\"2001:db8::/32\"],\"target-port-range\":"
	    "[{\"lower-port\":80,\"upper-port\":443},{\"lower-port\":8080}],"
	    "\"target-protocol\":[6,99]},\"lifetime\":-1},"
	    "{\"server\":\"up\",\"mid\":1234,\"state\":\"failed\",\"error\":"
	    "{\"code\":\"4.01\",\"diagnostic\":\"no\\u001b[31m\"},\"scope\":"
	    "{\"target-fqdn\":[\"a.example\"]}}]}",
	    "SERVER  MID   STATE   STATUS                         TARGET"
	    "                        PORTS        PROTO   LIFETIME    ORIGIN\n"
	    "up      12    active  attack-mitigation-in-progress  "
	    "203.0.113.0/24,2001:db8::/32  80-443,8080  tcp,99  indefinite  "
	    "manual\n"
	    "up      1234  failed  4.01 no?[31m                   a.example"
	    "                     -            -       -           -\n");
	expect_printed(CTL_CMD_STATUS, "{\"mitigations\":[]}",
	    "no mitigations\n");
	expect_printed(CTL_CMD_STATUS, "{\"mitigations\":7}",
	    "no mitigations\n");
	expect_printed(CTL_CMD_SERVERS, "{\"servers\":[{\"name\":\"up\","
	    "\"address\":\"192.0.2.1\",\"port\":4646,\"transport\":\"dtls\","
	    "\"state\":\"down\",\"since\":\"x\",\"last-error\":\"refused\","
	    "\"missed-heartbeats\":3,\"heartbeat-interval\":30,"
	    "\"missing-hb-allowed\":15}]}",
	    "NAME  ADDRESS    PORT  TRANSPORT  STATE  SINCE  HEARTBEAT  MISSED"
	    "  LAST-ERROR\n"
	    "up    192.0.2.1  4646  dtls       down   x      30s/15     3     "
	    "  refused\n");
	expect_printed(CTL_CMD_SERVERS, "{}", "no servers configured\n");
	expect_printed(CTL_CMD_SESSION, "{\"ietf-dots-signal-channel:"
	    "signal-config\":{\"sid\":3,\"mitigating-config\":{"
	    "\"heartbeat-interval\":{\"max-value\":240,\"min-value\":15,"
	    "\"current-value\":30},\"ack-timeout\":{\"current-value-decimal\":"
	    "\"2.00\"}},\"idle-config\":{\"heartbeat-interval\":"
	    "{\"current-value\":0},\"probing-rate\":{\"current-value\":5}}}}",
	    "sid: 3\n"
	    "PARAMETER           MITIGATING   IDLE\n"
	    "heartbeat-interval  30 [15-240]  0\n"
	    "ack-timeout         2.00         -\n"
	    "probing-rate        -            5\n");
	expect_printed(CTL_CMD_SESSION, "{}", "no session configuration "
	    "known\n");
	expect_printed(CTL_CMD_MITIGATE, "{\"mid\":12,\"state\":\"active\","
	    "\"lifetime\":-1,\"x\":[1]}",
	    "mid       12\nstate     active\nlifetime  indefinite\n"
	    "x         [1]\n");
}

static void
test_error_and_event(void **state)
{
	struct ctl_reply r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	parse_ok("{\"id\":1,\"ok\":false,\"error\":{\"code\":\"refused\","
	    "\"field\":\"scope.target-prefix\",\"message\":\"the server said "
	    "no\",\"server\":{\"code\":\"4.01\",\"diagnostic\":\"outside\"}}}",
	    &r);
	f = open_memstream(&buf, &len);
	ctl_print_error(f, &r);
	fclose(f);
	assert_string_equal(buf, "dotsctl: refused: the server said no\n"
	    "  argument: scope.target-prefix\n"
	    "  server answered 4.01: outside\n");
	free(buf);
	ctl_reply_clear(&r);

	parse_ok("{\"event\":\"status\",\"mid\":12,\"state\":\"active\"}", &r);
	buf = NULL;
	f = open_memstream(&buf, &len);
	ctl_print_event(f, r.root);
	fclose(f);
	assert_non_null(strstr(buf, " status mid=12 state=active\n"));
	free(buf);
	ctl_reply_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_error_and_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
