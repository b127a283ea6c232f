/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * `dotsctl server` without dotsd (src/ctl/ctl_srv_args.c): which command
 * lines are server's, what each command and option fills in, every
 * mistake refused naming the argument, and the request objects sent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctl_srv.h"

#define ARGS_MAX	32

static int
split(const char *line, char *buf, size_t len, char *argv[])
{
	int argc = 0;
	char *p;

	snprintf(buf, len, "%s", line);
	argv[argc++] = (char *)"dotsctl";
	for (p = strtok(buf, " "); p != NULL && argc < ARGS_MAX - 1;
	    p = strtok(NULL, " "))
		argv[argc++] = p;
	argv[argc] = NULL;
	return argc;
}

static void
ok(const char *line, struct ctl_srv_req *req)
{
	static char buf[512];
	char *argv[ARGS_MAX], err[CTL_ERR_MAX] = "";
	int argc = split(line, buf, sizeof(buf), argv);

	if (ctl_srv_args_parse(argc, argv, req, err, sizeof(err)) != 0)
		fail_msg("'%s' refused: %s", line, err);
}

static void
refused(const char *line, const char *want)
{
	struct ctl_srv_req req;
	char buf[512], *argv[ARGS_MAX], err[CTL_ERR_MAX] = "";
	int argc = split(line, buf, sizeof(buf), argv);

	if (ctl_srv_args_parse(argc, argv, &req, err, sizeof(err)) == 0)
		fail_msg("'%s' accepted", line);
	if (strstr(err, want) == NULL)
		fail_msg("'%s': error '%s' does not mention '%s'", line, err,
		    want);
}

static bool
is_server(const char *line)
{
	char buf[256], *argv[ARGS_MAX];
	int argc = split(line, buf, sizeof(buf), argv);

	return ctl_srv_argv_is(argc, argv);
}

static void
test_argv_is(void **state)
{
	(void)state;
	assert_true(is_server("server clients"));
	assert_true(is_server("-s /x server mitigations"));
	assert_true(is_server("--json server approvals"));
	assert_true(is_server("-- server"));
	assert_false(is_server("servers"));
	assert_false(is_server("status --server server"));
	assert_false(is_server("--server server status"));
	assert_false(is_server("-s server status"));
	assert_false(is_server("dc register"));
	assert_false(is_server(""));
}

static void
test_commands(void **state)
{
	struct ctl_srv_req r;

	(void)state;
	ok("server mitigations", &r);
	assert_int_equal(r.cmd, CTL_SRV_MITIGATIONS);
	assert_null(r.client);
	assert_false(r.json);
	ok("-j server mitigations --client=client1 -s /tmp/s", &r);
	assert_string_equal(r.client, "client1");
	assert_string_equal(r.socket, "/tmp/s");
	assert_true(r.json);
	ok("server approvals", &r);
	assert_int_equal(r.cmd, CTL_SRV_APPROVALS);
	ok("server clients --json", &r);
	assert_int_equal(r.cmd, CTL_SRV_CLIENTS);
	ok("server approve 17", &r);
	assert_int_equal(r.cmd, CTL_SRV_APPROVE);
	assert_int_equal(r.mitigation, 17);
	ok("server reject 9 --why not-ours", &r);
	assert_int_equal(r.cmd, CTL_SRV_REJECT);
	assert_int_equal(r.mitigation, 9);
	assert_string_equal(r.why, "not-ours");
	ok("server --help", &r);
	assert_true(r.help);
	ok("server reject --help", &r);
	assert_true(r.help);
}

static void
test_mistakes(void **state)
{
	(void)state;
	refused("server", "give a command");
	refused("server frob", "unknown command 'frob'");
	refused("server approve", "give the ID");
	refused("server approve x1", "ID 'x1'");
	refused("server approve 0", "ID '0'");
	refused("server approve 99999999999999999999", "ID");
	refused("server approve 1 2", "unexpected argument '2'");
	refused("server clients extra", "unexpected argument 'extra'");
	refused("server reject 3", "--why");
	refused("server approve 3 --why x", "--why applies to reject");
	refused("server clients --client a", "--client applies");
	refused("server mitigations --server a", "--server does not apply");
	refused("server mitigations --bogus", "unknown option '--bogus'");
	refused("server mitigations --client", "--client needs a value");
	refused("server mitigations --json=1", "--json takes no value");
	refused("server mitigations --client=", "--client: give 1 to");
	refused("server mitigations -s=", "unknown option");
}

static void
test_requests(void **state)
{
	struct ctl_srv_req r;
	json_t *o;
	char *text;

	(void)state;
	ok("server mitigations --client c1", &r);
	o = ctl_srv_req_json(&r, 1, 0);
	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text,
	    "{\"client\":\"c1\",\"cmd\":\"mitigations\",\"id\":1}");
	free(text);
	json_decref(o);
	o = ctl_srv_req_json(&r, 2, 1000);
	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"after\":1000,\"client\":\"c1\","
	    "\"cmd\":\"mitigations\",\"id\":2}");
	free(text);
	json_decref(o);
	ok("server reject 5 --why no", &r);
	o = ctl_srv_req_json(&r, 1, 0);
	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"cmd\":\"reject\",\"id\":1,"
	    "\"mitigation\":5,\"why\":\"no\"}");
	free(text);
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv_is),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_mistakes),
		cmocka_unit_test(test_requests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
