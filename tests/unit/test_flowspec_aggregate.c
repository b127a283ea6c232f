/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fitting many source prefixes into a rule budget
 * (src/backend/flowspec/fs_aggregate.c): the exact steps (duplicates,
 * covered prefixes, siblings), the covering steps and their cost, the
 * minimum source prefix length, 10,000 random reflectors checked for
 * coverage and budget, and the choice between as asked, merged and source
 * ports for a whole scope.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dots/model.h>

#include "fs_aggregate.h"
#include "fs_rule.h"

static struct dots_prefix
pfx(const char *s)
{
	struct dots_prefix p;

	if (dots_prefix_parse(s, &p, NULL) != 0)
		fail_msg("test prefix '%s' refused", s);
	return p;
}

/* Aggregate the blank-separated @p in; the result must be @p want. */
static void
expect_agg(const char *in, size_t budget, uint8_t min_len, int want_ret,
    const char *want, double want_extra)
{
	struct dots_prefix v[64], *out = NULL;
	struct fs_agg_stats st;
	char buf[1024], got[2048], a[64], *tok, *save = NULL;
	size_t n = 0, nout = 0, i, off = 0;
	int ret;

	snprintf(buf, sizeof(buf), "%s", in);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save))
		v[n++] = pfx(tok);
	ret = fs_aggregate(v, n, budget, min_len, &out, &nout, &st);
	assert_int_equal(ret, want_ret);
	got[0] = '\0';
	for (i = 0; i < nout; i++) {
		assert_int_equal(dots_prefix_format(&out[i], a, sizeof(a)),
		    0);
		off += (size_t)snprintf(got + off, sizeof(got) - off, "%s%s",
		    i ? " " : "", a);
	}
	if (strcmp(got, want) != 0)
		fail_msg("aggregate %s (budget %zu, /%u)\ngot:  %s\nwant: %s",
		    in, budget, min_len, got, want);
	if (ret == 0 && st.extra != want_extra)
		fail_msg("aggregate %s: %g extra addresses, want %g", in,
		    st.extra, want_extra);
	free(out);
}

static void
test_aggregate_exact(void **state)
{
	(void)state;
	/* nothing to do */
	expect_agg("198.51.100.7/32", 0, 0, 0, "198.51.100.7/32", 0);
	/* duplicates and covered prefixes go */
	expect_agg("203.0.113.9/32 203.0.113.0/24 203.0.113.9/32 "
	    "203.0.113.128/25", 0, 0, 0, "203.0.113.0/24", 0);
	/* siblings, again and again: .0-.3 is a /30 */
	expect_agg("203.0.113.3/32 203.0.113.1/32 203.0.113.0/32 "
	    "203.0.113.2/32", 0, 0, 0, "203.0.113.0/30", 0);
	/* .1 and .2 are neighbours, not siblings */
	expect_agg("203.0.113.1/32 203.0.113.2/32", 0, 0, 0,
	    "203.0.113.1/32 203.0.113.2/32", 0);
	/* the two halves of 0/0 (no budget: exact steps only) */
	expect_agg("128.0.0.0/1 0.0.0.0/1", 0, 0, 0, "0.0.0.0/0", 0);
	/* an exact step does not make a prefix shorter than the minimum */
	expect_agg("198.51.100.0/24 198.51.101.0/24", 0, 24, 0,
	    "198.51.100.0/24 198.51.101.0/24", 0);
	expect_agg("2001:db8::1/128 2001:db8::/128 2001:db8::2/127", 0, 0,
	    0, "2001:db8::/126", 0);
}

static void
test_aggregate_cost(void **state)
{
	(void)state;
	/*
	 * .2/.3 merge exactly into .2/31; with .1 they need .0/30, one
	 * innocent address (.0), far cheaper than reaching 10.200.0.1.
	 */
	expect_agg("10.0.0.1/32 10.0.0.2/32 10.0.0.3/32 10.200.0.1/32", 2,
	    0, 0, "10.0.0.0/30 10.200.0.1/32", 1);
	/* budget 1: all of them under the shortest common prefix, 10/8 */
	expect_agg("10.0.0.1/32 10.0.0.2/32 10.0.0.3/32 10.200.0.1/32", 1,
	    0, 0, "10.0.0.0/8", 16777216.0 - 4);
	/* the cheaper of two pairs: .8/.10 (a /30, 2 extra) before 20/21 */
	expect_agg("192.0.2.8/32 192.0.2.10/32 192.0.2.20/32 "
	    "192.0.2.23/32", 3, 0, 0,
	    "192.0.2.8/30 192.0.2.20/32 192.0.2.23/32", 2);
	/* a cover swallows what lies between */
	expect_agg("192.0.2.1/32 192.0.2.5/32 192.0.2.6/32 192.0.2.200/32",
	    2, 0, 0, "192.0.2.0/29 192.0.2.200/32", 5);
	/* IPv6: 2001:db8::1 and ::3 in a /126 */
	expect_agg("2001:db8::1/128 2001:db8::3/128 2001:db8:1::/48", 2, 32,
	    0, "2001:db8::/126 2001:db8:1::/48", 2);
}

static void
test_aggregate_min_len(void **state)
{
	(void)state;
	/* four /16s apart: a /16 minimum leaves no merge at all */
	expect_agg("10.1.0.1/32 10.2.0.1/32 10.3.0.1/32 10.4.0.1/32", 2, 16,
	    -ENOSPC, "", 0);
	/* /14 allows 10.0/14 (1-3) but not 10.4 with them */
	expect_agg("10.1.0.1/32 10.2.0.1/32 10.3.0.1/32 10.4.0.1/32", 2, 14,
	    0, "10.0.0.0/14 10.4.0.1/32", 262144.0 - 3);
	/* a given prefix shorter than the minimum is kept as it is */
	expect_agg("10.0.0.0/8 10.0.0.1/32 11.0.0.1/32", 2, 24, 0,
	    "10.0.0.0/8 11.0.0.1/32", 0);
	/* mixed families are a caller's bug */
	{
		struct dots_prefix v[2] = { pfx("10.0.0.1/32"),
		    pfx("2001:db8::1/128") }, *out;
		struct fs_agg_stats st;
		size_t n;

		assert_int_equal(fs_aggregate(v, 2, 1, 0, &out, &n, &st),
		    -EINVAL);
		assert_null(out);
	}
}

static uint32_t
rnd(uint64_t *s)
{
	/* xorshift64*, so the test is the same on every run */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (uint32_t)((*s * 2685821657736338717ULL) >> 32);
}

static uint32_t
v4(const struct dots_prefix *p)
{
	return (uint32_t)p->addr[0] << 24 | (uint32_t)p->addr[1] << 16 |
	    (uint32_t)p->addr[2] << 8 | p->addr[3];
}

static uint32_t
v4_mask(unsigned len)
{
	return len == 0 ? 0 : ~(uint32_t)0 << (32 - len);
}

/*
 * The properties any result must have: within the budget, in address
 * order and disjoint, covering every input, and no prefix made shorter
 * than the minimum.
 */
static void
check_result(const struct dots_prefix *in, size_t n,
    const struct dots_prefix *out, size_t nout, size_t budget,
    uint8_t min_len)
{
	size_t i, lo, hi, mid;
	uint32_t a, m;

	assert_true(nout <= budget);
	for (i = 0; i < nout; i++) {
		assert_true(out[i].length >= min_len);
		assert_int_equal(v4(&out[i]) & ~v4_mask(out[i].length), 0);
		if (i > 0)
			assert_true((v4(&out[i - 1]) |
			    ~v4_mask(out[i - 1].length)) < v4(&out[i]));
	}
	for (i = 0; i < n; i++) {
		a = v4(&in[i]);
		lo = 0;
		hi = nout;
		while (hi - lo > 1) {	/* last output starting at or below */
			mid = (lo + hi) / 2;
			if (v4(&out[mid]) <= a)
				lo = mid;
			else
				hi = mid;
		}
		m = v4_mask(out[lo].length);
		if ((a & m) != v4(&out[lo]) || out[lo].length > in[i].length)
			fail_msg("input %zu (%08x/%u) is not covered", i, a,
			    in[i].length);
	}
}

static struct dots_prefix *
random_reflectors(size_t n, uint64_t seed, unsigned nets)
{
	struct dots_prefix *v = calloc(n, sizeof(*v));
	uint32_t a, base[64];
	size_t i;

	assert_non_null(v);
	for (i = 0; i < nets; i++)
		base[i] = rnd(&seed) & 0xffff0000u;
	for (i = 0; i < n; i++) {
		/* clustered in a few /16s, as open resolvers of networks */
		a = nets ? base[rnd(&seed) % nets] | (rnd(&seed) & 0xffff) :
		    rnd(&seed);
		v[i].family = DOTS_AF_INET4;
		v[i].length = 32;
		v[i].addr[0] = (uint8_t)(a >> 24);
		v[i].addr[1] = (uint8_t)(a >> 16);
		v[i].addr[2] = (uint8_t)(a >> 8);
		v[i].addr[3] = (uint8_t)a;
	}
	return v;
}

static void
test_aggregate_random_reflectors(void **state)
{
	static const struct {
		unsigned	nets;		/* 0: the whole space */
		size_t		budget;
		uint8_t		min_len;
		int		ret;
	} c[] = {
		{ 0, 64, 0, 0 },
		{ 0, 1000, 8, 0 },
		{ 0, 9500, 16, 0 },	/* ~9270 distinct /16s */
		{ 0, 9000, 16, -ENOSPC },
		{ 20, 64, 16, 0 },
		{ 20, 20, 16, 0 },
		{ 40, 20, 16, -ENOSPC },
		{ 40, 100, 24, -ENOSPC },
		{ 40, 9000, 24, 0 },
	};
	struct dots_prefix *in, *out;
	struct fs_agg_stats st;
	size_t i, n = 10000, nout;
	int ret;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		in = random_reflectors(n, 0x9e3779b97f4a7c15ULL + i, c[i].nets);
		ret = fs_aggregate(in, n, c[i].budget, c[i].min_len, &out,
		    &nout, &st);
		if (ret != c[i].ret)
			fail_msg("case %zu: %d, want %d", i, ret, c[i].ret);
		assert_int_equal(st.in, n);
		if (ret == 0) {
			check_result(in, n, out, nout, c[i].budget,
			    c[i].min_len);
			assert_int_equal(st.out, nout);
			assert_true(st.exact >= nout);
			print_message("10000 reflectors in %u nets, budget "
			    "%zu, min /%u: %zu prefixes (%zu after exact "
			    "steps), %.0f extra addresses\n", c[i].nets,
			    c[i].budget, c[i].min_len, nout, st.exact,
			    st.extra);
		} else {
			assert_null(out);
		}
		free(out);
		free(in);
	}
}

/* The 20 nets of a /16 each must merge into at most 20 /16s. */
static void
test_aggregate_clusters_to_their_nets(void **state)
{
	struct dots_prefix *in, *out;
	struct fs_agg_stats st;
	size_t nout, i;

	(void)state;
	in = random_reflectors(10000, 42, 20);
	assert_int_equal(fs_aggregate(in, 10000, 20, 16, &out, &nout, &st),
	    0);
	assert_true(nout <= 20);
	for (i = 0; i < nout; i++)
		assert_true(out[i].length >= 16);
	free(out);
	free(in);
}

/* A reflection scope: UDP to 192.0.2.2 from @p n sources, ports 53 123. */
struct test_scope {
	struct dots_scope	s;
	struct dots_prefix	dst;
	uint8_t			proto;
	struct dots_port_range	sport[2];
	struct dots_prefix	*src;
};

static void
scope_make(struct test_scope *t, size_t n, unsigned nets, bool ports)
{
	memset(t, 0, sizeof(*t));
	t->dst = pfx("192.0.2.2/32");
	t->proto = 17;
	t->sport[0].lower_port = t->sport[0].upper_port = 53;
	t->sport[1].lower_port = t->sport[1].upper_port = 123;
	t->src = random_reflectors(n, 7, nets);
	t->s.target.prefix = &t->dst;
	t->s.target.n_prefix = 1;
	t->s.target.protocol = &t->proto;
	t->s.target.n_protocol = 1;
	t->s.source_prefix = t->src;
	t->s.n_source_prefix = n;
	t->s.source_port_range = t->sport;
	t->s.n_source_port_range = ports ? 2 : 0;
}

/* The plan's scope translates into exactly plan.rules rules. */
static void
check_plan_rules(const struct fs_agg_plan *p)
{
	struct fs_rules rs = { 0 };
	char why[160];

	assert_int_equal(fs_translate(&p->scope, &rs, why, sizeof(why)), 0);
	assert_int_equal(rs.n, p->rules);
	fs_rules_clear(&rs);
}

static void
test_aggregate_plan(void **state)
{
	struct fs_agg_conf c = { .enabled = true, .budget = 64,
	    .min_len4 = 16, .min_len6 = 48, .sport_fallback = true };
	struct fs_agg_plan p;
	struct test_scope t;
	char why[160], text[2048];
	struct fs_rules rs = { 0 };

	(void)state;
	/* within the budget: as asked */
	scope_make(&t, 10, 0, true);
	assert_int_equal(fs_agg_plan(&t.s, &c, &p, why, sizeof(why)), 0);
	assert_int_equal(p.choice, FS_AGG_ASIS);
	assert_int_equal(p.rules, 10);
	assert_ptr_equal(p.scope.source_prefix, t.src);
	check_plan_rules(&p);
	fs_agg_plan_clear(&p);
	free(t.src);

	/* 3000 reflectors in 10 nets: merged into at most 64 rules */
	scope_make(&t, 3000, 10, true);
	assert_int_equal(fs_agg_plan(&t.s, &c, &p, why, sizeof(why)), 0);
	assert_int_equal(p.choice, FS_AGG_MERGED);
	assert_int_equal(p.n_in, 3000);
	assert_true(p.n_out <= 64 && p.n_out >= 10);
	assert_true(p.rules == p.n_out);
	check_plan_rules(&p);
	fs_agg_plan_clear(&p);

	/* aggregate no: source ports instead, one rule */
	c.enabled = false;
	assert_int_equal(fs_agg_plan(&t.s, &c, &p, why, sizeof(why)), 0);
	assert_int_equal(p.choice, FS_AGG_SPORT);
	assert_int_equal(p.rules, 1);
	assert_int_equal(p.scope.n_source_prefix, 0);
	assert_int_equal(fs_translate(&p.scope, &rs, why, sizeof(why)), 0);
	assert_int_equal(fs_rule_text(&rs.v[0], text, sizeof(text)), 0);
	assert_string_equal(text,
	    "destination 192.0.2.2/32 protocol ==17 source-port ==53 ==123");
	fs_rules_clear(&rs);
	fs_agg_plan_clear(&p);
	free(t.src);

	/* too spread for /16 merges: source ports */
	c.enabled = true;
	scope_make(&t, 3000, 0, true);
	assert_int_equal(fs_agg_plan(&t.s, &c, &p, why, sizeof(why)), 0);
	assert_int_equal(p.choice, FS_AGG_SPORT);
	fs_agg_plan_clear(&p);

	/* and without source ports, refused with the reason */
	t.s.n_source_port_range = 0;
	assert_int_equal(fs_agg_plan(&t.s, &c, &p, why, sizeof(why)), -ENOSPC);
	assert_non_null(strstr(why, "more than the 64 a mitigation may "
	    "have, even merged"));
	fs_agg_plan_clear(&p);

	/* no budget: as asked */
	c.budget = 0;
	assert_int_equal(fs_agg_plan(&t.s, &c, &p, why, sizeof(why)), 0);
	assert_int_equal(p.choice, FS_AGG_ASIS);
	assert_int_equal(p.rules, 3000);
	fs_agg_plan_clear(&p);
	free(t.src);
}

/* Two targets share the budget: 2 rules a source. */
static void
test_aggregate_plan_two_targets(void **state)
{
	struct fs_agg_conf c = { .enabled = true, .budget = 50,
	    .min_len4 = 8, .min_len6 = 48, .sport_fallback = false };
	struct dots_prefix dst[2] = { pfx("192.0.2.2/32"),
	    pfx("192.0.2.3/32") };
	struct fs_agg_plan p;
	struct test_scope t;
	char why[160];

	(void)state;
	scope_make(&t, 1000, 10, false);
	t.s.target.prefix = dst;
	t.s.target.n_prefix = 2;
	assert_int_equal(fs_agg_plan(&t.s, &c, &p, why, sizeof(why)), 0);
	assert_int_equal(p.choice, FS_AGG_MERGED);
	assert_true(p.n_out <= 25);
	assert_int_equal(p.rules, 2 * p.n_out);
	check_plan_rules(&p);
	fs_agg_plan_clear(&p);
	free(t.src);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aggregate_exact),
		cmocka_unit_test(test_aggregate_cost),
		cmocka_unit_test(test_aggregate_min_len),
		cmocka_unit_test(test_aggregate_random_reflectors),
		cmocka_unit_test(test_aggregate_clusters_to_their_nets),
		cmocka_unit_test(test_aggregate_plan),
		cmocka_unit_test(test_aggregate_plan_two_targets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
