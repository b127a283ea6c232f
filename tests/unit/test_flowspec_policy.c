/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The safety limits of the BGP mitigators (src/backend/flowspec/
 * fs_policy.c): their settings, the minimum prefix lengths, protected and
 * allowed prefixes, and the rule counts per client and in all.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <dots/model.h>

#include "fs_rule.h"

static struct dots_prefix
pfx(const char *s)
{
	struct dots_prefix p;

	if (dots_prefix_parse(s, &p, NULL) != 0)
		fail_msg("test prefix '%s' refused", s);
	return p;
}

static void
set(struct fs_policy *p, const char *k, const char *v)
{
	char err[160];

	if (fs_policy_setting(p, k, v, err, sizeof(err)) != 0)
		fail_msg("%s %s: %s", k, v, err);
}

static void
test_policy_settings(void **state)
{
	struct fs_policy p = { 0 };
	char err[160];

	(void)state;
	assert_int_equal(fs_policy_setting(&p, "gobgp", "x", err,
	    sizeof(err)), 1);
	assert_int_equal(fs_policy_setting(&p, "min-prefix-length-v4", "33",
	    err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "0 to 32"));
	assert_int_equal(fs_policy_setting(&p, "max-rules", "-1", err,
	    sizeof(err)), -EINVAL);
	assert_int_equal(fs_policy_setting(&p, "protect-prefix",
	    "192.0.2.1/24", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no host bits"));
	assert_int_equal(p.min_len4, 0);
	set(&p, "min-prefix-length-v6", "48");
	assert_int_equal(p.min_len6, 48);
	fs_policy_clear(&p);
}

static void
test_policy_dst(void **state)
{
	struct fs_policy p = { 0 };
	struct dots_prefix d;
	char why[160];

	(void)state;
	set(&p, "min-prefix-length-v4", "24");
	set(&p, "min-prefix-length-v6", "48");
	set(&p, "protect-prefix", "192.0.2.0/28");
	set(&p, "protect-prefix", "2001:db8:ffff::1/128");

	d = pfx("192.0.2.128/25");
	assert_int_equal(fs_policy_dst(&p, &d, why, sizeof(why)), 0);
	d = pfx("198.51.100.0/23");
	assert_int_equal(fs_policy_dst(&p, &d, why, sizeof(why)), -EPERM);
	assert_string_equal(why, "target 198.51.100.0/23 is wider than this "
	    "mitigator filters (at most /24)");
	/* inside, or around, a protected prefix */
	d = pfx("192.0.2.2/32");
	assert_int_equal(fs_policy_dst(&p, &d, why, sizeof(why)), -EPERM);
	assert_string_equal(why, "target 192.0.2.2/32 overlaps the "
	    "protected prefix 192.0.2.0/28");
	d = pfx("192.0.2.0/24");
	assert_int_equal(fs_policy_dst(&p, &d, why, sizeof(why)), -EPERM);
	d = pfx("2001:db8:ffff::/48");
	assert_int_equal(fs_policy_dst(&p, &d, why, sizeof(why)), -EPERM);
	d = pfx("2001:db8:fffe::/48");
	assert_int_equal(fs_policy_dst(&p, &d, why, sizeof(why)), 0);

	/* with allowed prefixes, only targets inside them */
	set(&p, "allow-prefix", "203.0.113.0/24");
	d = pfx("203.0.113.7/32");
	assert_int_equal(fs_policy_dst(&p, &d, why, sizeof(why)), 0);
	d = pfx("192.0.2.128/25");
	assert_int_equal(fs_policy_dst(&p, &d, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "outside the prefixes"));
	fs_policy_clear(&p);
}

static void
test_policy_count(void **state)
{
	struct fs_policy p = { 0 };
	struct fs_rules rs = { 0 };
	struct fs_rule r = { 0 };
	char why[160];

	(void)state;
	assert_int_equal(fs_policy_count(&p, 100000, 0, 0, why,
	    sizeof(why)), 0);
	set(&p, "max-rules", "10");
	set(&p, "max-rules-per-client", "4");
	assert_int_equal(fs_policy_count(&p, 4, 0, 6, why, sizeof(why)), 0);
	assert_int_equal(fs_policy_count(&p, 1, 4, 4, why, sizeof(why)),
	    -ENOSPC);
	assert_string_equal(why, "1 more rules would pass this client's "
	    "limit of 4 (it holds 4)");
	assert_int_equal(fs_policy_count(&p, 2, 0, 9, why, sizeof(why)),
	    -ENOSPC);
	assert_non_null(strstr(why, "mitigator's limit of 10"));

	/* fs_policy_rules: every destination, then the count */
	r.family = DOTS_AF_INET4;
	r.dst = pfx("192.0.2.2/32");
	assert_int_equal(fs_rules_push(&rs, &r), 0);
	r.dst = pfx("10.0.0.0/8");
	assert_int_equal(fs_rules_push(&rs, &r), 0);
	assert_int_equal(fs_policy_rules(&p, &rs, 0, 0, why, sizeof(why)),
	    0);
	set(&p, "min-prefix-length-v4", "16");
	assert_int_equal(fs_policy_rules(&p, &rs, 0, 0, why, sizeof(why)),
	    -EPERM);
	assert_non_null(strstr(why, "10.0.0.0/8"));
	fs_rules_clear(&rs);
	fs_policy_clear(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_settings),
		cmocka_unit_test(test_policy_dst),
		cmocka_unit_test(test_policy_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
