/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The command line of dotsctl (src/ctl/ctl_args.c): what each command
 * and option fills in, and every mistake refused with a sentence that
 * names the argument.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ctl.h"

#define ARGS_MAX	100

/* Split @p line on spaces into argv (argv[0] is "dotsctl"). */
static int
parse(const char *line, struct ctl_req *req, char *err, size_t errlen)
{
	static char buf[1024];
	char *argv[ARGS_MAX], *p;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = (char *)"dotsctl";
	for (p = strtok(buf, " "); p != NULL && argc < ARGS_MAX;
	    p = strtok(NULL, " "))
		argv[argc++] = p;
	return ctl_args_parse(argc, argv, req, err, errlen);
}

static void
ok(const char *line, struct ctl_req *req)
{
	char err[CTL_ERR_MAX] = "";

	if (parse(line, req, err, sizeof(err)) != 0)
		fail_msg("'%s' refused: %s", line, err);
}

/* @p line is refused and the error mentions @p want. */
static void
refused(const char *line, const char *want)
{
	struct ctl_req req;
	char err[CTL_ERR_MAX] = "";

	if (parse(line, &req, err, sizeof(err)) == 0)
		fail_msg("'%s' accepted", line);
	if (strstr(err, want) == NULL)
		fail_msg("'%s': error '%s' does not mention '%s'", line, err,
		    want);
}

static void
test_mitigate_options(void **state)
{
	struct ctl_req r;

	(void)state;
	ok("mitigate 203.0.113.0/24 2001:db8::1 --port 80,443 --port "
	    "1000-2000 --protocol tcp,udp --fqdn a.example --uri "
	    "https://a.example/ --alias web --lifetime indefinite "
	    "--source-prefix 192.0.2.0/24 --source-port 53 --acl drop "
	    "--preconfigured --server up --mid=12 --wait 0 --origin me", &r);
	assert_int_equal(r.cmd, CTL_CMD_MITIGATE);
	assert_int_equal(r.scope.targets.n, 2);
	assert_string_equal(r.scope.targets.v[1], "2001:db8::1");
	assert_int_equal(r.scope.ports.n, 2);
	assert_string_equal(r.scope.ports.v[1], "1000-2000");
	assert_string_equal(r.scope.protocols.v[0], "tcp,udp");
	assert_string_equal(r.scope.fqdns.v[0], "a.example");
	assert_string_equal(r.scope.uris.v[0], "https://a.example/");
	assert_string_equal(r.scope.aliases.v[0], "web");
	assert_string_equal(r.scope.lifetime, "indefinite");
	assert_string_equal(r.scope.source_prefixes.v[0], "192.0.2.0/24");
	assert_string_equal(r.scope.source_ports.v[0], "53");
	assert_string_equal(r.scope.acls.v[0], "drop");
	assert_true(r.scope.preconfigured);
	assert_string_equal(r.server, "up");
	assert_true(r.has_mid);
	assert_int_equal(r.mid, 12);
	assert_true(r.has_wait);
	assert_int_equal(r.wait, 0);
	assert_string_equal(r.origin, "me");
	assert_false(r.json);

	/* an alias alone is a target */
	ok("mitigate --alias web", &r);
	assert_int_equal(r.scope.targets.n, 0);
	/* after --, a word that starts with '-' is a TARGET */
	ok("mitigate -- -x", &r);
	assert_string_equal(r.scope.targets.v[0], "-x");
}

static void
test_global_options(void **state)
{
	struct ctl_req r;

	(void)state;
	ok("-s /tmp/x.sock --json status", &r);
	assert_string_equal(r.socket, "/tmp/x.sock");
	assert_true(r.json);
	assert_int_equal(r.cmd, CTL_CMD_STATUS);
	assert_false(r.has_mid);
	/* global options after the command too */
	ok("status 7 --all --watch -j --socket=/s", &r);
	assert_true(r.has_mid);
	assert_int_equal(r.mid, 7);
	assert_true(r.all);
	assert_true(r.watch);
	assert_true(r.json);
	assert_string_equal(r.socket, "/s");
	ok("--direct 127.0.0.1:4646 --ca ca --cert c --key k --tls "
	    "withdraw 4294967295", &r);
	assert_string_equal(r.direct, "127.0.0.1:4646");
	assert_string_equal(r.ca, "ca");
	assert_string_equal(r.cert, "c");
	assert_string_equal(r.key, "k");
	assert_true(r.tls);
	assert_int_equal(r.mid, 4294967295u);
	/* --help stops every other check */
	ok("--help", &r);
	assert_true(r.help);
	ok("mitigate --help", &r);
	assert_true(r.help);
	assert_int_equal(r.cmd, CTL_CMD_MITIGATE);
	ok("withdraw -h", &r);
	assert_true(r.help);
}

static void
test_commands(void **state)
{
	struct ctl_req r;

	(void)state;
	ok("withdraw 12 --wait 3", &r);
	assert_int_equal(r.cmd, CTL_CMD_WITHDRAW);
	assert_int_equal(r.mid, 12);
	assert_int_equal(r.wait, 3);
	ok("cancel 0", &r);
	assert_int_equal(r.cmd, CTL_CMD_CANCEL);
	assert_true(r.has_mid);
	assert_int_equal(r.mid, 0);
	ok("efficacy 5 under-attack", &r);
	assert_int_equal(r.attack_status, DOTS_ATTACK_UNDER_ATTACK);
	ok("efficacy 5 mitigated", &r);
	assert_int_equal(r.attack_status, DOTS_ATTACK_MITIGATED);
	ok("efficacy 5 attack-successfully-mitigated", &r);
	assert_int_equal(r.attack_status, DOTS_ATTACK_MITIGATED);
	ok("session --server up", &r);
	assert_int_equal(r.cmd, CTL_CMD_SESSION);
	assert_false(r.session_set);
	ok("session set heartbeat-interval=30 idle.max-retransmit=3", &r);
	assert_true(r.session_set);
	assert_int_equal(r.settings.n, 2);
	assert_string_equal(r.settings.v[1], "idle.max-retransmit=3");
	ok("servers", &r);
	assert_int_equal(r.cmd, CTL_CMD_SERVERS);
	ok("--direct h --ca a --cert b --key c status", &r);
	ok("--direct h --ca a --cert b --key c efficacy 1 mitigated", &r);
}

static void
test_usage_errors(void **state)
{
	(void)state;
	refused("", "no command");
	refused("--json", "no command");
	refused("frobnicate", "unknown command 'frobnicate'");
	refused("status --bogus", "unknown option '--bogus'");
	refused("-x status", "unknown option '-x'");
	refused("--port 80 mitigate 192.0.2.0/24", "--port belongs after");
	refused("servers --port 80", "--port does not apply");
	refused("status --origin x", "--origin does not apply");
	refused("withdraw 1 --all", "--all does not apply");
	refused("mitigate 192.0.2.0/24 --port", "--port needs a value");
	refused("status --all=yes", "--all takes no value");
	refused("-s", "--socket needs a value");
}

static void
test_value_errors(void **state)
{
	(void)state;
	refused("mitigate", "at least one TARGET");
	refused("mitigate --port 80", "at least one TARGET");
	refused("mitigate 192.0.2.0/24 --mid x", "--mid: 'x' is not a mid");
	refused("mitigate 192.0.2.0/24 --mid 4294967296", "--mid");
	refused("mitigate 192.0.2.0/24 --mid -1", "--mid");
	refused("mitigate 192.0.2.0/24 --wait 3601", "--wait: '3601'");
	refused("mitigate 192.0.2.0/24 --wait 1.5", "--wait");
	refused("withdraw", "exactly one MID (0 given)");
	refused("withdraw 1 2", "exactly one MID (2 given)");
	refused("withdraw twelve", "MID 'twelve' is not a mid");
	refused("cancel", "exactly one MID");
	refused("cancel 0x10", "MID '0x10'");
	refused("efficacy 5", "a MID and under-attack or mitigated");
	refused("efficacy 5 calm", "'calm' is not an attack status");
	refused("efficacy x under-attack", "MID 'x'");
	refused("status 1 2", "at most one MID");
	refused("status ''", "MID");
	refused("session show", "unknown argument 'show'");
	refused("session set", "at least one KEY=VALUE");
	refused("servers up", "takes no argument");
}

static void
test_list_limit(void **state)
{
	char line[1024] = "mitigate";
	size_t i;

	(void)state;
	for (i = 0; i <= CTL_LIST_MAX; i++)
		strcat(line, " --fqdn a");
	strcat(line, " --alias x");
	refused(line, "--fqdn: at most");
}

static void
test_direct_errors(void **state)
{
	(void)state;
	refused("--ca x status", "go with --direct");
	refused("--tls status", "go with --direct");
	refused("--direct h --ca a --cert b --key c servers",
	    "servers: not available with --direct");
	refused("--direct h --ca a --cert b --key c cancel 1",
	    "cancel: not available");
	refused("--direct h --ca a --cert b --key c session", "session: not");
	refused("--direct h --cert b --key c status", "missing: --ca");
	refused("--direct h --ca a --key c status", "missing: --cert");
	refused("--direct h --ca a --cert b status", "missing: --key");
	refused("--direct h --ca a --cert b --key c status --watch",
	    "--watch needs the daemon");
	refused("--direct h --ca a --cert b --key c -s /x status",
	    "exclude each other");
	refused("--direct= --ca a --cert b --key c status", "HOST[:PORT]");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mitigate_options),
		cmocka_unit_test(test_global_options),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_value_errors),
		cmocka_unit_test(test_list_limit),
		cmocka_unit_test(test_direct_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
