/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The pure part of the "dots" mitigator (src/backend/upstream/up_proto.c):
 * dotscd's answers and events read, its requests written, and what the
 * upstream's view of a mitigation means for the server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include <dots/json.h>

#include "up_proto.h"

static void
parse_ok(const char *line, struct up_msg *msg)
{
	if (up_msg_parse(line, strlen(line), msg) != 0)
		fail_msg("refused: %s", line);
}

static void
test_origin_id(void **state)
{
	uint64_t id = 0;

	(void)state;
	assert_int_equal(up_origin_id("gateway:42", &id), 0);
	assert_int_equal(id, 42);
	assert_int_equal(up_origin_id("gateway:9223372036854775807", &id), 0);
	assert_int_equal(up_origin_id("gateway:9223372036854775808", &id), -1);
	assert_int_equal(up_origin_id("gateway:", &id), -1);
	assert_int_equal(up_origin_id("gateway:4x", &id), -1);
	assert_int_equal(up_origin_id("gateway:-4", &id), -1);
	assert_int_equal(up_origin_id("manual", &id), -1);
	assert_int_equal(up_origin_id(NULL, &id), -1);
}

/* A mitigate answer, with wait 0: the mid and its state. */
static void
test_parse_mitigate_answer(void **state)
{
	struct up_msg msg;

	(void)state;
	parse_ok("{\"id\":7,\"ok\":true,\"result\":{\"mid\":12,\"server\":"
	    "\"up\",\"state\":\"pending\",\"lifetime\":0}}", &msg);
	assert_int_equal(msg.kind, UP_MSG_ANSWER);
	assert_true(msg.has_seq);
	assert_int_equal(msg.seq, 7);
	assert_true(msg.ok);
	assert_true(msg.has_mit);
	assert_true(msg.mit.has_mid);
	assert_int_equal(msg.mit.mid, 12);
	assert_int_equal(msg.mit.state, UP_ST_PENDING);
	assert_string_equal(msg.mit.server, "up");
	up_msg_clear(&msg);
}

/* Refusals: dotscd's own, and the DOTS server's code and diagnostic. */
static void
test_parse_errors(void **state)
{
	struct up_msg msg;

	(void)state;
	parse_ok("{\"id\":3,\"ok\":false,\"error\":{\"code\":\"invalid\","
	    "\"field\":\"mid\",\"message\":\"mid 4 is being withdrawn\"}}",
	    &msg);
	assert_false(msg.ok);
	assert_string_equal(msg.code, "invalid");
	assert_string_equal(msg.field, "mid");
	assert_false(msg.has_mit);
	up_msg_clear(&msg);
	parse_ok("{\"id\":4,\"ok\":false,\"error\":{\"code\":\"refused\","
	    "\"message\":\"the DOTS server refused the request\",\"server\":"
	    "{\"code\":\"5.08\",\"diagnostic\":\"192.0.2.1\"}}}", &msg);
	assert_true(msg.has_mit);
	assert_int_equal(msg.mit.state, UP_ST_FAILED);
	assert_string_equal(msg.mit.err_code, "5.08");
	assert_string_equal(msg.mit.err_diag, "192.0.2.1");
	up_msg_clear(&msg);
}

/* A list: entries of every origin, their scopes as compact JSON. */
static void
test_parse_list(void **state)
{
	struct up_msg msg;

	(void)state;
	parse_ok("{\"id\":2,\"ok\":true,\"result\":{\"mitigations\":["
	    "{\"server\":\"up\",\"mid\":1,\"origin\":\"gateway:5\",\"state\":"
	    "\"active\",\"status\":\"attack-successfully-mitigated\","
	    "\"scope\":{\"target-prefix\":[\"192.0.2.0/24\"],\"lifetime\":"
	    "3600},\"bytes-dropped\":10,\"pkts-dropped\":2},"
	    "{\"server\":\"up\",\"mid\":2,\"origin\":\"manual\",\"state\":"
	    "\"ended\"},7,"
	    "{\"server\":\"up\",\"mid\":3,\"origin\":\"gateway:6\",\"state\":"
	    "\"failed\",\"error\":{\"code\":\"4.01\",\"diagnostic\":\"no\"}}"
	    "]}}", &msg);
	assert_true(msg.is_list);
	assert_int_equal(msg.nlist, 3);	/* the 7 is no entry */
	assert_true(msg.list[0].has_id);
	assert_int_equal(msg.list[0].id, 5);
	assert_int_equal(msg.list[0].status, 2);
	assert_true(msg.list[0].has_stats);
	assert_int_equal(msg.list[0].bytes_dropped, 10);
	assert_int_equal(msg.list[0].pkts_dropped, 2);
	assert_string_equal(msg.list[0].scope, "{\"lifetime\":3600,"
	    "\"target-prefix\":[\"192.0.2.0/24\"]}");
	assert_false(msg.list[1].has_id);
	assert_int_equal(msg.list[1].state, UP_ST_ENDED);
	assert_int_equal(msg.list[2].state, UP_ST_FAILED);
	assert_string_equal(msg.list[2].err_code, "4.01");
	up_msg_clear(&msg);
}

static void
test_parse_events(void **state)
{
	struct up_msg msg;

	(void)state;
	parse_ok("{\"event\":\"status\",\"server\":\"up\",\"mid\":9,\"state\":"
	    "\"active\",\"origin\":\"gateway:77\",\"lifetime\":3599,"
	    "\"bytes-dropped\":1,\"pkts-dropped\":2,\"bps-dropped\":3,"
	    "\"pps-dropped\":4,\"status\":\"attack-stopped\"}", &msg);
	assert_int_equal(msg.kind, UP_MSG_STATUS);
	assert_false(msg.has_seq);
	assert_int_equal(msg.mit.id, 77);
	assert_int_equal(msg.mit.lifetime, 3599);
	assert_int_equal(msg.mit.pps_dropped, 4);
	assert_int_equal(msg.mit.status, 3);
	up_msg_clear(&msg);
	parse_ok("{\"event\":\"session\",\"server\":\"up\",\"state\":\"down\","
	    "\"reason\":\"3 heartbeats unanswered\"}", &msg);
	assert_int_equal(msg.kind, UP_MSG_SESSION);
	assert_false(msg.up);
	assert_string_equal(msg.reason, "3 heartbeats unanswered");
	up_msg_clear(&msg);
	parse_ok("{\"event\":\"trigger\",\"origin\":\"x\"}", &msg);
	assert_int_equal(msg.kind, UP_MSG_OTHER);
	up_msg_clear(&msg);
}

/* What dotscd never writes is refused; wrong types read as absent. */
static void
test_parse_refuses(void **state)
{
	static const char *const bad[] = {
		"", "[]", "42", "{", "{\"id\":1}", "{\"ok\":1}",
		"{\"a\":1,\"a\":2}", "not json",
	};
	struct up_msg msg;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (up_msg_parse(bad[i], strlen(bad[i]), &msg) == 0)
			fail_msg("accepted: %s", bad[i]);
		up_msg_clear(&msg);
	}
	parse_ok("{\"id\":\"x\",\"ok\":true,\"result\":{\"mid\":-1,\"state\":"
	    "5,\"origin\":7,\"lifetime\":\"long\",\"status\":\"nope\"}}",
	    &msg);
	assert_false(msg.has_seq);
	assert_false(msg.mit.has_mid);
	assert_int_equal(msg.mit.state, UP_ST_NONE);
	assert_false(msg.mit.has_id);
	assert_false(msg.mit.has_lifetime);
	assert_int_equal(msg.mit.status, 0);
	up_msg_clear(&msg);
}

static void
report_is(const struct up_mit_info *mi, bool withdrawing, enum be_state st,
    const char *word)
{
	struct be_report r = { .id = 9 };

	if (!up_report_of(mi, "transit", withdrawing, &r))
		fail_msg("no report (state %d, status %u)", mi->state,
		    mi->status);
	assert_int_equal(r.id, 9);
	assert_int_equal(r.state, st);
	if (word != NULL && strstr(r.reason, word) == NULL)
		fail_msg("reason '%s' lacks '%s'", r.reason, word);
}

/* The one mapping from the upstream's view to a report. */
static void
test_report_of(void **state)
{
	struct up_mit_info mi;
	struct be_report r;

	(void)state;
	memset(&mi, 0, sizeof(mi));
	mi.state = UP_ST_PENDING;
	report_is(&mi, false, BE_PENDING, "not delivered to upstream transit");
	assert_false(up_report_of(&mi, "transit", true, &r));
	mi.state = UP_ST_ACTIVE;
	mi.has_mid = true;
	mi.mid = 4;
	report_is(&mi, false, BE_PENDING, "accepted it (mid 4)");
	mi.status = 1;
	report_is(&mi, false, BE_PENDING, "not mitigating yet");
	mi.status = 2;
	mi.has_stats = true;
	mi.bytes_dropped = 100;
	mi.pps_dropped = 7;
	report_is(&mi, false, BE_ACTIVE, NULL);
	memset(&r, 0, sizeof(r));
	assert_true(up_report_of(&mi, "transit", false, &r));
	assert_int_equal(r.flags, BE_STATS_VALID);
	assert_int_equal(r.bytes_dropped, 100);
	assert_int_equal(r.pps_dropped, 7);
	mi.status = 4;
	report_is(&mi, false, BE_ACTIVE, NULL);
	mi.status = 6;
	report_is(&mi, false, BE_FAILED, "attack-mitigation-terminated");
	mi.status = 2;
	assert_false(up_report_of(&mi, "transit", true, &r));
	mi.state = UP_ST_WITHDRAWING;
	assert_false(up_report_of(&mi, "transit", true, &r));
	mi.state = UP_ST_ENDED;
	report_is(&mi, true, BE_WITHDRAWN, NULL);
	report_is(&mi, false, BE_FAILED, "ended it");
	mi.state = UP_ST_FAILED;
	snprintf(mi.err_code, sizeof(mi.err_code), "4.01");
	snprintf(mi.err_diag, sizeof(mi.err_diag), "not your prefix");
	report_is(&mi, false, BE_FAILED, "refused it: 4.01 not your prefix");
	snprintf(mi.err_code, sizeof(mi.err_code), "5.08");
	snprintf(mi.err_diag, sizeof(mi.err_diag), "gw2 gw1");
	report_is(&mi, false, BE_FAILED, "5.08 Hop Limit Reached");
	report_is(&mi, false, BE_FAILED, "gw2 gw1");
	report_is(&mi, true, BE_WITHDRAWN, NULL);
	mi.state = UP_ST_NONE;
	assert_false(up_report_of(&mi, "transit", false, &r));
}

/* Only what the upstream may see of a scope. */
static void
test_scope_json(void **state)
{
	const char *in = "{\"ietf-dots-signal-channel:mitigation-scope\":"
	    "{\"scope\":[{\"target-prefix\":[\"192.0.2.0/24\"],"
	    "\"target-port-range\":[{\"lower-port\":53}],"
	    "\"target-protocol\":[17],\"alias-name\":[\"web\"],"
	    "\"trigger-mitigation\":false,\"lifetime\":600}]}}";
	struct dots_signal *sig = NULL;
	char *out;

	(void)state;
	assert_int_equal(dots_json_decode_signal(in, strlen(in), 0, &sig,
	    NULL), DOTS_OK);
	out = up_scope_json(&sig->mitigation.scope[0], 3600);
	assert_non_null(out);
	assert_string_equal(out, "{\"lifetime\":3600,\"target-port-range\":"
	    "[{\"lower-port\":53}],\"target-prefix\":[\"192.0.2.0/24\"],"
	    "\"target-protocol\":[17]}");
	free(out);
	out = up_scope_json(&sig->mitigation.scope[0], -1);
	assert_non_null(strstr(out, "\"lifetime\":-1"));
	free(out);
	dots_signal_free(sig);
}

/* The requests, one line each, as docs/control-protocol.md has them. */
static void
test_requests(void **state)
{
	json_t *o;
	char *line;

	(void)state;
	line = up_req_mitigate(5, "transit", 42, "{\"target-prefix\":"
	    "[\"192.0.2.0/24\"],\"lifetime\":60}", true, 9, "dom", 15);
	assert_non_null(line);
	/* one line: its only newline ends it */
	assert_ptr_equal(strchr(line, '\n'), line + strlen(line) - 1);
	o = json_loads(line, 0, NULL);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "id")), 5);
	assert_string_equal(json_string_value(json_object_get(o, "cmd")),
	    "mitigate");
	assert_string_equal(json_string_value(json_object_get(o, "origin")),
	    "gateway:42");
	assert_int_equal(json_integer_value(json_object_get(o, "mid")), 9);
	assert_string_equal(json_string_value(json_object_get(o, "cdid")),
	    "dom");
	assert_int_equal(json_integer_value(json_object_get(o, "hop-limit")),
	    15);
	assert_int_equal(json_integer_value(json_object_get(o, "wait")), 0);
	json_decref(o);
	free(line);
	line = up_req_mitigate(6, "transit", 43, "{}", false, 0, NULL, 0);
	o = json_loads(line, 0, NULL);
	assert_null(json_object_get(o, "mid"));
	assert_null(json_object_get(o, "cdid"));
	assert_null(json_object_get(o, "hop-limit"));
	json_decref(o);
	free(line);
	assert_null(up_req_mitigate(7, "transit", 1, "not json", false, 0,
	    NULL, 0));
	line = up_req_withdraw(8, "transit", 9);
	assert_string_equal(line, "{\"id\":8,\"cmd\":\"withdraw\",\"server\":"
	    "\"transit\",\"mid\":9,\"wait\":0}\n");
	free(line);
	line = up_req_list(9, "transit");
	assert_string_equal(line, "{\"id\":9,\"cmd\":\"list\",\"server\":"
	    "\"transit\",\"all\":true}\n");
	free(line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_origin_id),
		cmocka_unit_test(test_parse_mitigate_answer),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_parse_events),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_report_of),
		cmocka_unit_test(test_scope_json),
		cmocka_unit_test(test_requests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
