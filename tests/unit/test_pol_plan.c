/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The policy mitigator's rules and its split of a scope
 * (src/backend/policy/pol_plan.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pol_plan.h"

static void
set(struct pol_conf *c, const char *key, const char *value)
{
	char err[256] = "";

	if (pol_conf_setting(c, key, value, err, sizeof(err)) != 0)
		fail_msg("%s \"%s\": %s", key, value, err);
}

static void
bad(const char *key, const char *value, const char *word)
{
	struct pol_conf c = { 0 };
	char err[256] = "";

	assert_int_not_equal(pol_conf_setting(&c, key, value, err,
	    sizeof(err)), 0);
	if (strstr(err, word) == NULL)
		fail_msg("%s \"%s\": '%s' lacks '%s'", key, value, err, word);
	pol_conf_free(&c);
}

/* The usual set-up: two transit providers, a scrubber, a reflection
 * chain. */
static void
conf(struct pol_conf *c)
{
	memset(c, 0, sizeof(*c));
	set(c, "use", "fs scrubber");
	set(c, "route", "192.0.2.0/25 transit-a");
	set(c, "route", "192.0.2.128/25 transit-b");
	set(c, "route", "192.0.2.192/26 transit-c transit-b");
	set(c, "route", "2001:db8::/33 transit-a");
	set(c, "reflection", "transit-a fs");
}

/* Scope with target prefixes @p px (NULL-terminated). */
static void
scope(struct dots_scope *s, struct dots_prefix *store, const char **px)
{
	size_t n;

	memset(s, 0, sizeof(*s));
	for (n = 0; px[n] != NULL; n++)
		assert_int_equal(dots_prefix_parse(px[n], &store[n], NULL), 0);
	s->target.prefix = store;
	s->target.n_prefix = n;
}

/* "chain-first-name: p1 p2; ..." in plan order. */
static void
expect(const struct pol_plan *p, const char *want)
{
	char got[1024] = "", px[64];
	size_t i, k, len;

	for (i = 0; i < p->n; i++) {
		len = strlen(got);
		snprintf(got + len, sizeof(got) - len, "%s%s:", i ? "; " : "",
		    p->part[i].chain->name[0]);
		for (k = 0; k < p->part[i].nprefix; k++) {
			dots_prefix_format(&p->part[i].prefix[k], px,
			    sizeof(px));
			len = strlen(got);
			snprintf(got + len, sizeof(got) - len, " %s", px);
		}
		if (p->part[i].names) {
			len = strlen(got);
			snprintf(got + len, sizeof(got) - len, " +names");
		}
	}
	assert_string_equal(got, want);
}

static void
plan(const char **px, const char *want)
{
	struct pol_conf c;
	struct dots_prefix store[8];
	struct dots_scope s;
	struct pol_plan p;

	conf(&c);
	scope(&s, store, px);
	assert_int_equal(pol_plan_scope(&c, &s, &p), 0);
	expect(&p, want);
	pol_plan_clear(&p);
	pol_conf_free(&c);
}

static void
test_inside_a_route(void **state)
{
	(void)state;
	plan((const char *[]){ "192.0.2.7/32", "192.0.2.130/31", NULL },
	    "transit-a: 192.0.2.7/32; transit-b: 192.0.2.130/31");
	/* the longest route wins */
	plan((const char *[]){ "192.0.2.200/32", NULL },
	    "transit-c: 192.0.2.200/32");
	plan((const char *[]){ "2001:db8::1/128", NULL },
	    "transit-a: 2001:db8::1/128");
}

/* RFC 8903 3.1: each upstream only gets the prefixes it carries. */
static void
test_cut_across_routes(void **state)
{
	(void)state;
	plan((const char *[]){ "192.0.2.0/24", NULL },
	    "transit-a: 192.0.2.0/25; transit-b: 192.0.2.128/26; "
	    "transit-c: 192.0.2.192/26");
	/* what no route holds goes to the default chain */
	plan((const char *[]){ "192.0.0.0/22", NULL },
	    "fs: 192.0.0.0/23 192.0.3.0/24; transit-a: 192.0.2.0/25; "
	    "transit-b: 192.0.2.128/26; transit-c: 192.0.2.192/26");
	plan((const char *[]){ "2001:db8::/32", NULL },
	    "transit-a: 2001:db8::/33; fs: 2001:db8:8000::/33");
}

static void
test_no_route(void **state)
{
	(void)state;
	plan((const char *[]){ "198.51.100.0/24", "203.0.113.9/32", NULL },
	    "fs: 198.51.100.0/24 203.0.113.9/32");
}

static void
test_names_and_reflection(void **state)
{
	struct pol_conf c;
	struct dots_prefix store[2];
	struct dots_port_range src = { .lower_port = 53, .upper_port = 53 };
	char *fqdn[] = { "www.example.com" };
	struct dots_scope s;
	struct pol_plan p;

	(void)state;
	conf(&c);
	scope(&s, store, (const char *[]){ "192.0.2.9/32", NULL });
	s.target.fqdn = fqdn;
	s.target.n_fqdn = 1;
	assert_int_equal(pol_plan_scope(&c, &s, &p), 0);
	expect(&p, "transit-a: 192.0.2.9/32; fs: +names");
	assert_false(p.reflection);
	pol_plan_clear(&p);

	/* source attributes: the reflection chain in place of use */
	scope(&s, store, (const char *[]){ "198.51.100.1/32", NULL });
	s.source_port_range = &src;
	s.n_source_port_range = 1;
	assert_true(pol_is_reflection(&s));
	assert_int_equal(pol_plan_scope(&c, &s, &p), 0);
	expect(&p, "transit-a: 198.51.100.1/32");
	assert_true(p.reflection);
	assert_ptr_equal(p.part[0].chain, &c.reflection);
	pol_plan_clear(&p);

	/* no target at all (names only, or nothing): the default chain */
	scope(&s, store, (const char *[]){ NULL });
	assert_int_equal(pol_plan_scope(&c, &s, &p), 0);
	expect(&p, "fs: +names");
	pol_plan_clear(&p);
	pol_conf_free(&c);
}

static void
test_too_many_parts(void **state)
{
	struct pol_conf c = { 0 };
	struct dots_prefix store[1];
	struct dots_scope s;
	struct pol_plan p;
	char v[64];
	int i;

	(void)state;
	set(&c, "use", "fs");
	for (i = 0; i < POL_PARTS_MAX + 1; i++) {
		snprintf(v, sizeof(v), "10.0.%d.0/24 m%d", i, i);
		set(&c, "route", v);
	}
	scope(&s, store, (const char *[]){ "10.0.0.0/16", NULL });
	assert_int_equal(pol_plan_scope(&c, &s, &p), -E2BIG);
	pol_plan_clear(&p);
	pol_conf_free(&c);
}

static void
test_bad_settings(void **state)
{
	struct pol_conf c = { 0 };
	char err[256];

	(void)state;
	bad("route", "192.0.2.0/25", "PREFIX MITIGATOR");
	bad("route", "192.0.2.1/25 a", "not a prefix");
	bad("route", "banana a", "not a prefix");
	bad("use", "", "no mitigator");
	bad("use", "a b c d e f g h i", "more than 8");
	bad("weight", "3", "unknown setting");
	set(&c, "route", "192.0.2.0/25 a");
	assert_int_not_equal(pol_conf_setting(&c, "route", "192.0.2.0/25 b",
	    err, sizeof(err)), 0);
	assert_non_null(strstr(err, "has a route already"));
	assert_int_not_equal(pol_conf_check(&c, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "\"use\" is required"));
	set(&c, "use", "x");
	assert_int_not_equal(pol_conf_setting(&c, "use", "y", err,
	    sizeof(err)), 0);
	assert_int_equal(pol_conf_check(&c, err, sizeof(err)), 0);
	pol_conf_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inside_a_route),
		cmocka_unit_test(test_cut_across_routes),
		cmocka_unit_test(test_no_route),
		cmocka_unit_test(test_names_and_reflection),
		cmocka_unit_test(test_too_many_parts),
		cmocka_unit_test(test_bad_settings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
