/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * `dotsctl dc` without a server (src/ctl/ctl_dc_args.c, ctl_dc_body.c):
 * which command lines are dc's, what each command and option fills in,
 * every mistake refused naming the argument, the bodies sent (an alias,
 * the ACLs of a file, a new activation-type) and the server's errors
 * read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctl_dc.h"

#define ARGS_MAX	64
#define CONN		"--url https://h:8443 --ca a --cert b --key c "

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

static int
parse(const char *line, struct ctl_dc_req *req, char *err, size_t errlen)
{
	static char buf[1024];
	char *argv[ARGS_MAX];
	int argc = split(line, buf, sizeof(buf), argv);

	return ctl_dc_args_parse(argc, argv, req, err, errlen);
}

static void
ok(const char *line, struct ctl_dc_req *req)
{
	char err[CTL_ERR_MAX] = "";

	if (parse(line, req, err, sizeof(err)) != 0)
		fail_msg("'%s' refused: %s", line, err);
}

static void
refused(const char *line, const char *want)
{
	struct ctl_dc_req req;
	char err[CTL_ERR_MAX] = "";

	if (parse(line, &req, err, sizeof(err)) == 0)
		fail_msg("'%s' accepted", line);
	if (strstr(err, want) == NULL)
		fail_msg("'%s': error '%s' does not mention '%s'", line, err,
		    want);
}

static bool
is_dc(const char *line)
{
	char buf[256], *argv[ARGS_MAX];
	int argc = split(line, buf, sizeof(buf), argv);

	return ctl_dc_argv_is(argc, argv);
}

static void
test_argv_is(void **state)
{
	(void)state;
	assert_true(is_dc("dc register"));
	assert_true(is_dc("--json dc acl list"));
	assert_true(is_dc("--url https://h --ca a dc capabilities"));
	assert_true(is_dc("-- dc"));
	assert_false(is_dc("status"));
	assert_false(is_dc("mitigate dc"));
	assert_false(is_dc("-s dc status"));	/* dc is the socket's path */
	assert_false(is_dc("--direct dc status"));
	assert_false(is_dc(""));
}

static void
test_commands(void **state)
{
	struct ctl_dc_req r;

	(void)state;
	ok("dc " CONN "register", &r);
	assert_int_equal(r.cmd, CTL_DC_REGISTER);
	assert_string_equal(r.url, "https://h:8443");
	assert_string_equal(r.ca, "a");
	assert_string_equal(r.cert, "b");
	assert_string_equal(r.key, "c");
	assert_false(r.json);
	ok(CONN "--json dc unregister", &r);
	assert_int_equal(r.cmd, CTL_DC_UNREGISTER);
	assert_true(r.json);
	ok("dc capabilities " CONN "-j", &r);
	assert_int_equal(r.cmd, CTL_DC_CAPABILITIES);
	assert_true(r.json);
	ok("dc " CONN "alias list", &r);
	assert_int_equal(r.cmd, CTL_DC_ALIAS_LIST);
	ok("dc " CONN "alias show web", &r);
	assert_int_equal(r.cmd, CTL_DC_ALIAS_SHOW);
	assert_string_equal(r.name, "web");
	ok("dc " CONN "alias delete web", &r);
	assert_int_equal(r.cmd, CTL_DC_ALIAS_DELETE);
	ok("dc " CONN "alias add web --prefix 192.0.2.0/24 --prefix "
	    "2001:db8::/32 --port 80,443 --protocol tcp --fqdn a.example",
	    &r);
	assert_int_equal(r.cmd, CTL_DC_ALIAS_ADD);
	assert_int_equal(r.alias.targets.n, 2);
	assert_string_equal(r.alias.targets.v[1], "2001:db8::/32");
	assert_string_equal(r.alias.ports.v[0], "80,443");
	assert_string_equal(r.alias.protocols.v[0], "tcp");
	assert_string_equal(r.alias.fqdns.v[0], "a.example");
	ok("dc " CONN "alias add web --fqdn=a.example", &r);
	assert_int_equal(r.alias.targets.n, 0);
	ok("dc " CONN "acl list", &r);
	assert_int_equal(r.cmd, CTL_DC_ACL_LIST);
	ok("dc " CONN "acl show x", &r);
	assert_int_equal(r.cmd, CTL_DC_ACL_SHOW);
	ok("dc " CONN "acl add --file f.json", &r);
	assert_int_equal(r.cmd, CTL_DC_ACL_ADD);
	assert_string_equal(r.file, "f.json");
	ok("dc " CONN "acl delete x", &r);
	assert_int_equal(r.cmd, CTL_DC_ACL_DELETE);
	ok("dc " CONN "acl activate x immediate", &r);
	assert_int_equal(r.cmd, CTL_DC_ACL_ACTIVATE);
	assert_string_equal(r.activation, "immediate");
	ok("dc " CONN "acl activate x activate-when-mitigating", &r);
	assert_string_equal(r.activation, "activate-when-mitigating");
	ok("dc " CONN "acl activate x deactivate", &r);
	assert_string_equal(r.activation, "deactivate");
	ok("dc alias add --help", &r);
	assert_true(r.help);
	ok("dc " CONN "alias show -- -odd", &r);
	assert_string_equal(r.name, "-odd");
	ok("dc --url https://h/root --ca a --cert b --key c register", &r);
	assert_string_equal(ctl_dc_cmd_name(CTL_DC_ACL_ACTIVATE),
	    "acl activate");
	assert_string_equal(ctl_dc_cmd_name(CTL_DC_REGISTER), "register");
}

static void
test_usage_errors(void **state)
{
	(void)state;
	refused("dc " CONN, "give a command");
	refused("dc " CONN "frobnicate", "unknown command 'frobnicate'");
	refused("dc " CONN "alias", "give list, show, add, delete");
	refused("dc " CONN "acl", "or activate");
	refused("dc " CONN "alias rename x", "unknown command 'rename'");
	refused("dc " CONN "register now", "takes no argument ('now'");
	refused("dc " CONN "alias show", "give NAME (0 arguments");
	refused("dc " CONN "alias delete a b", "give NAME (2 arguments");
	refused("dc " CONN "acl activate x", "give NAME MODE");
	refused("dc " CONN "acl activate x now", "MODE 'now'");
	refused("dc " CONN "alias add web", "--prefix PREFIX or --fqdn");
	refused("dc " CONN "alias add web --port 80", "give the targets");
	refused("dc " CONN "acl add", "give --file FILE");
	refused("dc " CONN "acl add --file=", "--file is empty");
	refused("dc " CONN "alias list --prefix 192.0.2.0/24",
	    "alias list: option --prefix does not apply");
	refused("dc " CONN "acl show x --file f", "option --file does not");
	refused("dc " CONN "register --bogus", "unknown option '--bogus'");
	refused("dc " CONN "register --url", "option --url needs a value");
	refused("dc " CONN "register --json=yes", "--json takes no value");
	refused("dc " CONN "register -s /x", "option --socket does not "
	    "apply");
	refused("dc " CONN "register --direct h", "--direct does not apply");
	refused("dc --ca a --cert b --key c register", "missing: --url");
	refused("dc --url https://h --cert b --key c register",
	    "missing: --ca");
	refused("dc --url https://h --ca a --key c register",
	    "missing: --cert");
	refused("dc --url https://h --ca a --cert b register",
	    "missing: --key");
	refused("dc --url http://h --ca a --cert b --key c register",
	    "--url 'http://h'");
	refused("dc --url https:// --ca a --cert b --key c register",
	    "https://HOST");
	refused("dc " CONN "alias show ", "give NAME");
	refused("dc " CONN "alias show a\tb", "control character");
}

static json_t *
alias_body(const char *line, char *err, size_t errlen)
{
	struct ctl_dc_req r;

	ok(line, &r);
	return ctl_dc_alias_body(&r, err, errlen);
}

static void
test_alias_body(void **state)
{
	char err[CTL_ERR_MAX] = "", *text;
	json_t *b, *want;

	(void)state;
	b = alias_body("dc " CONN "alias add web --prefix 192.0.2.0/24 "
	    "--port 80,1000-2000 --protocol tcp,17 --fqdn www.example.com",
	    err, sizeof(err));
	if (b == NULL)
		fail_msg("refused: %s", err);
	want = json_loads("{\"ietf-dots-data-channel:aliases\": {\"alias\": "
	    "[{\"name\": \"web\", \"target-prefix\": [\"192.0.2.0/24\"], "
	    "\"target-port-range\": [{\"lower-port\": 80}, {\"lower-port\": "
	    "1000, \"upper-port\": 2000}], \"target-protocol\": [6, 17], "
	    "\"target-fqdn\": [\"www.example.com\"]}]}}", 0, NULL);
	assert_non_null(want);
	if (!json_equal(b, want)) {
		text = json_dumps(b, JSON_COMPACT);
		fail_msg("alias body: %s", text);
	}
	json_decref(b);
	json_decref(want);

	/* Mistakes name the option as alias add has it. */
	assert_null(alias_body("dc " CONN "alias add x --prefix 192.0.2.1/24",
	    err, sizeof(err)));
	assert_non_null(strstr(err, "--prefix '192.0.2.1/24' has host bits"));
	assert_null(alias_body("dc " CONN "alias add x --prefix nope",
	    err, sizeof(err)));
	assert_non_null(strstr(err, "--prefix 'nope'"));
	assert_null(alias_body("dc " CONN "alias add x --prefix 127.0.0.0/8",
	    err, sizeof(err)));
	assert_non_null(strstr(err, "--prefix"));
	assert_null(alias_body("dc " CONN "alias add x --fqdn a.example "
	    "--port 80,,1", err, sizeof(err)));
	assert_non_null(strstr(err, "--port '80,,1'"));
	assert_null(alias_body("dc " CONN "alias add x --fqdn a.example "
	    "--protocol nonsense", err, sizeof(err)));
	assert_non_null(strstr(err, "--protocol 'nonsense'"));
}

static void
file_refused(const char *text, const char *want)
{
	char err[CTL_ERR_MAX] = "";

	if (ctl_dc_acl_file_body("f", text, strlen(text), err,
	    sizeof(err)) != NULL)
		fail_msg("'%s' accepted", text);
	if (strstr(err, want) == NULL)
		fail_msg("'%s': error '%s' does not mention '%s'", text, err,
		    want);
}

static void
test_acl_file_body(void **state)
{
	static const char list[] = "{\"ietf-dots-data-channel:acl\": "
	    "[{\"name\": \"a\"}, {\"name\": \"b\"}]}";
	static const char cont[] = "{\"ietf-dots-data-channel:acls\": "
	    "{\"acl\": [{\"name\": \"a\", \"type\": \"ipv4-acl-type\"}]}}";
	char err[CTL_ERR_MAX] = "";
	json_t *b;

	(void)state;
	b = ctl_dc_acl_file_body("f", list, strlen(list), err, sizeof(err));
	assert_non_null(b);
	assert_int_equal(json_array_size(ctl_dc_entries(b, "acls", "acl")),
	    2);
	assert_non_null(json_object_get(b, "ietf-dots-data-channel:acls"));
	json_decref(b);
	b = ctl_dc_acl_file_body("f", cont, strlen(cont), err, sizeof(err));
	assert_non_null(b);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    ctl_dc_entries(b, "acls", "acl"), 0), "type")), "ipv4-acl-type");
	json_decref(b);

	assert_null(ctl_dc_acl_file_body("f.json", "{", 1, err, sizeof(err)));
	assert_non_null(strstr(err, "--file 'f.json': not JSON"));
	file_refused("{}", "no ACL");
	file_refused("{\"ietf-dots-data-channel:acl\": []}", "no ACL");
	file_refused("{\"ietf-dots-data-channel:acls\": {\"acl\": 1}}",
	    "no ACL");
	file_refused("{\"ietf-dots-data-channel:acl\": [{\"type\": \"x\"}]}",
	    "ACL 0 has no name");
	file_refused("{\"ietf-dots-data-channel:acl\": [{\"name\": \"\"}]}",
	    "ACL 0 has no name");
	file_refused("{\"a\":1,\"a\":2}", "not JSON");
}

static void
test_activation(void **state)
{
	json_t *acl;

	(void)state;
	acl = json_loads("{\"ietf-dots-data-channel:acls\": {\"acl\": [{"
	    "\"name\": \"a\", \"pending-lifetime\": 10, \"activation-type\": "
	    "\"deactivate\"}]}}", 0, NULL);
	assert_int_equal(ctl_dc_acl_set_activation(acl, "immediate"), 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    ctl_dc_entries(acl, "acls", "acl"), 0), "activation-type")),
	    "immediate");
	assert_null(json_object_get(json_array_get(ctl_dc_entries(acl,
	    "acls", "acl"), 0), "pending-lifetime"));
	json_decref(acl);
	acl = json_loads("{\"ietf-dots-data-channel:acls\": {\"acl\": "
	    "[{}, {}]}}", 0, NULL);
	assert_int_equal(ctl_dc_acl_set_activation(acl, "immediate"), -1);
	json_decref(acl);
	acl = json_loads("{}", 0, NULL);
	assert_int_equal(ctl_dc_acl_set_activation(acl, "immediate"), -1);
	json_decref(acl);
}

static void
test_errors_and_register(void **state)
{
	const char *tag, *msg, *path;
	json_t *e, *reg;

	(void)state;
	e = json_loads("{\"ietf-restconf:errors\": {\"error\": [{"
	    "\"error-type\": \"application\", \"error-tag\": \"invalid-value\","
	    " \"error-message\": \"outside\", \"error-path\": \"/p\"}]}}", 0,
	    NULL);
	assert_int_equal(ctl_dc_error_get(e, &tag, &msg, &path), 0);
	assert_string_equal(tag, "invalid-value");
	assert_string_equal(msg, "outside");
	assert_string_equal(path, "/p");
	json_decref(e);
	e = json_loads("{\"ietf-restconf:errors\": {\"error\": [{"
	    "\"error-tag\": \"access-denied\"}]}}", 0, NULL);
	assert_int_equal(ctl_dc_error_get(e, &tag, &msg, &path), 0);
	assert_null(msg);
	assert_null(path);
	json_decref(e);
	e = json_loads("{\"x\": 1}", 0, NULL);
	assert_int_equal(ctl_dc_error_get(e, &tag, &msg, &path), -1);
	json_decref(e);

	reg = ctl_dc_register_body("abc");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(reg, "ietf-dots-data-channel:dots-client"), 0),
	    "cuid")), "abc");
	json_decref(reg);
}

static void
test_escape(void **state)
{
	char *s;

	(void)state;
	s = ctl_dc_escape("a b/c=d,é");
	assert_string_equal(s, "a%20b%2Fc%3Dd%2C%C3%A9");
	free(s);
	s = ctl_dc_escape("DMS_Offload-1.x~");
	assert_string_equal(s, "DMS_Offload-1.x~");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv_is),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_alias_body),
		cmocka_unit_test(test_acl_file_body),
		cmocka_unit_test(test_activation),
		cmocka_unit_test(test_errors_and_register),
		cmocka_unit_test(test_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
