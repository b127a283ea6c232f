/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The argument checks of dotscd's control protocol (ctl_args.c): each
 * refusal names the field at fault.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ctl_args.h"

static json_t *
js(const char *text)
{
	json_t *v = json_loads(text, 0, NULL);

	assert_non_null(v);
	return v;
}

static void
test_members(void **state)
{
	static const char *const allowed[] = { "mid", NULL };
	struct ctl_err e;
	json_t *r;

	(void)state;
	r = js("{\"cmd\":\"x\",\"id\":1,\"mid\":2}");
	assert_int_equal(ctl_check_members(r, allowed, &e), 0);
	json_decref(r);
	r = js("{\"cmd\":\"x\",\"mid\":2,\"other\":1}");
	assert_int_equal(ctl_check_members(r, allowed, &e), -1);
	assert_string_equal(e.field, "other");
	assert_string_equal(e.code, "invalid");
	json_decref(r);
	r = js("{\"cmd\":\"x\",\"id\":[1]}");
	assert_int_equal(ctl_arg_id(r, &e), -1);
	assert_string_equal(e.field, "id");
	json_decref(r);
}

static void
test_scalars(void **state)
{
	struct ctl_err e;
	const char *s;
	uint64_t n;
	bool b;
	json_t *r;

	(void)state;
	r = js("{\"wait\":400,\"w2\":3,\"s\":\"a\\u0001\",\"t\":\"ok\","
	    "\"b\":1}");
	assert_int_equal(ctl_arg_uint(r, "wait", 5, 0, 300, &n, &e), -1);
	assert_string_equal(e.field, "wait");
	assert_int_equal(ctl_arg_uint(r, "w2", 5, 0, 300, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ctl_arg_uint(r, "absent", 5, 0, 300, &n, &e), 0);
	assert_int_equal(n, 5);
	assert_int_equal(ctl_arg_uint(r, "absent", -1, 0, 300, &n, &e), -1);
	assert_int_equal(ctl_arg_str(r, "s", true, 10, &s, &e), -1);
	assert_string_equal(e.field, "s");
	assert_int_equal(ctl_arg_str(r, "t", true, 10, &s, &e), 0);
	assert_string_equal(s, "ok");
	assert_int_equal(ctl_arg_str(r, "t", true, 1, &s, &e), -1);
	assert_int_equal(ctl_arg_bool(r, "b", false, &b, &e), -1);
	assert_string_equal(e.field, "b");
	json_decref(r);
}

static void
test_scope(void **state)
{
	struct dots_signal *m = NULL;
	struct ctl_err e;
	json_t *sc;

	(void)state;
	sc = js("{\"target-prefix\":[\"192.0.2.0/24\"]}");
	assert_int_equal(ctl_scope_build(sc, 7, &m, &e), 0);
	assert_non_null(m);
	assert_int_equal(m->mitigation.n_scope, 1);
	assert_int_equal(m->mitigation.scope[0].lifetime, 3600);
	assert_int_equal(json_integer_value(json_object_get(sc, "lifetime")),
	    3600);
	dots_signal_free(m);
	json_decref(sc);

	sc = js("{\"target-prefix\":[\"192.0.2.0/24\",\"300.1.1.1/8\"]}");
	assert_int_equal(ctl_scope_build(sc, 7, NULL, &e), -1);
	assert_string_equal(e.field, "scope.target-prefix.1");
	json_decref(sc);

	sc = js("{\"target-prefix\":[\"192.0.2.0/24\"],\"mid\":3}");
	assert_int_equal(ctl_scope_build(sc, 7, NULL, &e), -1);
	assert_string_equal(e.field, "scope.mid");
	json_decref(sc);

	sc = js("{\"target-prefix\":[\"192.0.2.0/24\"],\"colour\":1}");
	assert_int_equal(ctl_scope_build(sc, 7, NULL, &e), -1);
	assert_string_equal(e.code, "invalid");
	json_decref(sc);

	sc = js("[1]");
	assert_int_equal(ctl_scope_build(sc, 7, NULL, &e), -1);
	assert_string_equal(e.field, "scope");
	json_decref(sc);

	assert_int_equal(ctl_target_check("203.0.113.7/32", &e), 0);
	assert_int_equal(ctl_target_check("nope", &e), -1);
	assert_string_equal(e.field, "target");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_members),
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_scope),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
