/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * IP prefixes and addresses (src/lib/util/prefix.c): parsing into the
 * canonical form with host bits cleared, the RFC 5952 text of IPv6,
 * containment and overlap.  The codecs and the validator rely on these
 * for every target-prefix and source-prefix a peer sends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <dots/error.h>
#include <dots/model.h>

/* Parse @p in; it must come out as @p want, with host bits as given. */
static void
check_canon(const char *in, const char *want, bool want_host)
{
	struct dots_prefix p;
	bool host = !want_host;
	char buf[64];
	int ret;

	ret = dots_prefix_parse(in, &p, &host);
	if (ret != DOTS_OK)
		fail_msg("'%s' refused: %s", in, dots_err_name(ret));
	assert_int_equal(dots_prefix_format(&p, buf, sizeof(buf)), DOTS_OK);
	if (strcmp(buf, want) != 0)
		fail_msg("'%s' formats as '%s', want '%s'", in, buf, want);
	if (host != want_host)
		fail_msg("'%s': host bits %s, want %s", in,
		    host ? "set" : "clear", want_host ? "set" : "clear");
}

static void
check_bad(const char *in)
{
	struct dots_prefix p;
	int ret;

	ret = dots_prefix_parse(in, &p, NULL);
	if (ret != DOTS_EVALUE)
		fail_msg("'%s' gives %s, want DOTS_EVALUE", in,
		    dots_err_name(ret));
}

static struct dots_prefix
pfx(const char *s)
{
	struct dots_prefix p;

	if (dots_prefix_parse(s, &p, NULL) != DOTS_OK)
		fail_msg("test prefix '%s' refused", s);
	return p;
}

static void
test_prefix_parse_ipv4(void **state)
{
	struct dots_prefix p;
	bool host = true;
	static const uint8_t want[16] = { 192, 0, 2, 0 };

	(void)state;
	assert_int_equal(dots_prefix_parse("192.0.2.0/24", &p, &host),
	    DOTS_OK);
	assert_int_equal(p.family, DOTS_AF_INET4);
	assert_int_equal(p.length, 24);
	assert_memory_equal(p.addr, want, sizeof(want));
	assert_false(host);

	check_canon("192.0.2.0/24", "192.0.2.0/24", false);
	check_canon("0.0.0.0/0", "0.0.0.0/0", false);
	check_canon("192.0.2.1/32", "192.0.2.1/32", false);
	check_canon("255.255.255.255/32", "255.255.255.255/32", false);
	check_canon("10.0.0.0/8", "10.0.0.0/8", false);
}

static void
test_prefix_parse_ipv6(void **state)
{
	struct dots_prefix p;
	static const uint8_t want[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	(void)state;
	assert_int_equal(dots_prefix_parse("2001:db8::/32", &p, NULL),
	    DOTS_OK);
	assert_int_equal(p.family, DOTS_AF_INET6);
	assert_int_equal(p.length, 32);
	assert_memory_equal(p.addr, want, sizeof(want));

	check_canon("::/0", "::/0", false);
	check_canon("::1/128", "::1/128", false);
	check_canon("2001:db8::1/128", "2001:db8::1/128", false);
	check_canon("2001:db8:1:2:3:4:5:6/128", "2001:db8:1:2:3:4:5:6/128",
	    false);
}

static void
test_prefix_format_rfc5952(void **state)
{
	(void)state;
	/* lower case, longest zero run compressed, no leading zeros */
	check_canon("2001:DB8:0:0::1/128", "2001:db8::1/128", false);
	check_canon("2001:0db8:0000:0000:0000:0000:0000:0001/128",
	    "2001:db8::1/128", false);
	check_canon("2001:0DB8::/32", "2001:db8::/32", false);
	/* a single zero field is not compressed (RFC 5952 4.2.2) */
	check_canon("2001:db8:0:1:1:1:1:1/128", "2001:db8:0:1:1:1:1:1/128",
	    false);
	/* the longest run wins; on a tie, the first (4.2.3) */
	check_canon("2001:0:0:1:0:0:0:1/128", "2001:0:0:1::1/128", false);
	check_canon("2001:db8:0:0:1:0:0:1/128", "2001:db8::1:0:0:1/128",
	    false);
	check_canon("fe80:0:0:0:0:0:0:0/10", "fe80::/10", false);
}

static void
test_prefix_parse_v4_mapped(void **state)
{
	struct dots_prefix p, v4;

	(void)state;
	assert_int_equal(dots_prefix_parse("::ffff:192.0.2.1/128", &p, NULL),
	    DOTS_OK);
	assert_int_equal(p.family, DOTS_AF_INET6);
	assert_int_equal(p.addr[10], 0xff);
	assert_int_equal(p.addr[11], 0xff);
	assert_int_equal(p.addr[12], 192);
	assert_int_equal(p.addr[15], 1);
	/* RFC 5952 section 5: the mapped form keeps its dotted quad */
	check_canon("::FFFF:c000:0201/128", "::ffff:192.0.2.1/128", false);
	check_canon("::ffff:192.0.2.0/120", "::ffff:192.0.2.0/120", false);
	/* a mapped prefix is IPv6: it neither contains nor is an IPv4 one */
	p = pfx("::ffff:192.0.2.0/120");
	v4 = pfx("192.0.2.0/24");
	assert_false(dots_prefix_overlaps(&p, &v4));
}

static void
test_prefix_parse_clears_host_bits(void **state)
{
	struct dots_prefix p;
	bool host = false;

	(void)state;
	check_canon("192.0.2.1/24", "192.0.2.0/24", true);
	check_canon("192.0.2.255/25", "192.0.2.128/25", true);
	check_canon("192.0.2.1/31", "192.0.2.0/31", true);
	check_canon("255.255.255.255/0", "0.0.0.0/0", true);
	check_canon("10.1.2.3/8", "10.0.0.0/8", true);
	check_canon("2001:db8::1/64", "2001:db8::/64", true);
	check_canon("2001:db8:ffff::/33", "2001:db8:8000::/33", true);
	check_canon("ffff::/0", "::/0", true);
	check_canon("2001:db8::1/127", "2001:db8::/127", true);
	/* NULL for had_host_bits is allowed */
	assert_int_equal(dots_prefix_parse("192.0.2.1/24", &p, NULL),
	    DOTS_OK);
	assert_int_equal(p.addr[3], 0);
	assert_int_equal(dots_prefix_parse("192.0.2.0/24", &p, &host),
	    DOTS_OK);
	assert_false(host);
}

static void
test_prefix_parse_rejects_bad_length(void **state)
{
	(void)state;
	check_bad("192.0.2.0/33");
	check_bad("2001:db8::/129");
	check_bad("192.0.2.0/999");
	check_bad("192.0.2.0/4294967320");
	check_bad("192.0.2.0/");
	check_bad("192.0.2.0");
	check_bad("2001:db8::");
	check_bad("192.0.2.0/-1");
	check_bad("192.0.2.0/+24");
	check_bad("192.0.2.0/ 24");
	check_bad("192.0.2.0/24 ");
	check_bad("192.0.2.0/2a");
	check_bad("192.0.2.0/24/1");
	check_bad("192.0.2.0/0x18");
}

static void
test_prefix_parse_rejects_leading_zeros(void **state)
{
	(void)state;
	check_bad("192.0.2.1/024");
	check_bad("192.0.2.0/00");
	check_bad("2001:db8::/064");
	check_bad("010.0.0.0/8");
	check_bad("192.000.2.0/24");
	check_bad("192.0.02.0/24");
	/* /0 itself is fine, and so are up to 4 hex digits in IPv6 */
	check_canon("0.0.0.0/0", "0.0.0.0/0", false);
	check_canon("2001:0db8:0000::/48", "2001:db8::/48", false);
}

static void
test_prefix_parse_rejects_bad_address(void **state)
{
	(void)state;
	check_bad("abc");
	check_bad("");
	check_bad("/24");
	check_bad("300.1.1.1/8");
	check_bad("192.0.2/24");
	check_bad("192.0.2.0.1/32");
	check_bad("1.2.3.4.5/32");
	check_bad("192.0.2.0 /24");
	check_bad(" 192.0.2.0/24");
	check_bad("0x7f.0.0.1/32");
	check_bad("2001:db8:::1/128");
	check_bad("2001:db8::1::1/128");
	check_bad("2001:db8:12345::/48");
	check_bad("1:2:3:4:5:6:7:8:9/128");
	check_bad("fe80::1%eth0/64");
	check_bad("g::/16");
	check_bad("[2001:db8::]/32");
	/* longer than any address text */
	check_bad("2001:0db8:0000:0000:0000:0000:0000:0001:0000/128");
	check_bad("0000:0000:0000:0000:0000:ffff:255.255.255.255x/128");
}

static void
test_prefix_format_errors(void **state)
{
	struct dots_prefix p = pfx("2001:db8::/32");
	char small[8], buf[64];

	(void)state;
	assert_int_equal(dots_prefix_format(&p, small, sizeof(small)),
	    DOTS_ENOSPC);
	/* room for the address but not for "/32" */
	assert_int_equal(dots_prefix_format(&p, buf, sizeof("2001:db8::")),
	    DOTS_ENOSPC);
	assert_int_equal(dots_prefix_format(&p, buf,
	    sizeof("2001:db8::/32")), DOTS_OK);
	assert_string_equal(buf, "2001:db8::/32");

	p = pfx("192.0.2.0/24");
	p.length = 33;
	assert_int_equal(dots_prefix_format(&p, buf, sizeof(buf)),
	    DOTS_EINVAL);
	p.family = DOTS_AF_NONE;
	p.length = 0;
	assert_int_equal(dots_prefix_format(&p, buf, sizeof(buf)),
	    DOTS_EINVAL);
}

static void
test_prefix_ipaddr_parse_format(void **state)
{
	struct dots_ipaddr a;
	char buf[64];

	(void)state;
	assert_int_equal(dots_ipaddr_parse("192.0.2.1", &a), DOTS_OK);
	assert_int_equal(a.family, DOTS_AF_INET4);
	assert_int_equal(dots_ipaddr_format(&a, buf, sizeof(buf)), DOTS_OK);
	assert_string_equal(buf, "192.0.2.1");

	assert_int_equal(dots_ipaddr_parse("2001:DB8:0:0:0:0:0:1", &a),
	    DOTS_OK);
	assert_int_equal(a.family, DOTS_AF_INET6);
	assert_int_equal(dots_ipaddr_format(&a, buf, sizeof(buf)), DOTS_OK);
	assert_string_equal(buf, "2001:db8::1");

	assert_int_equal(dots_ipaddr_parse("192.0.2.1/32", &a), DOTS_EVALUE);
	assert_int_equal(dots_ipaddr_parse("", &a), DOTS_EVALUE);
	assert_int_equal(dots_ipaddr_parse("300.0.0.1", &a), DOTS_EVALUE);
	assert_int_equal(dots_ipaddr_parse("fe80::1%eth0", &a), DOTS_EVALUE);
	a.family = DOTS_AF_NONE;
	assert_int_equal(dots_ipaddr_format(&a, buf, sizeof(buf)),
	    DOTS_EINVAL);
}

static void
test_prefix_contains_ipv4(void **state)
{
	struct dots_prefix all = pfx("0.0.0.0/0"), n24 = pfx("192.0.2.0/24"),
	    n25 = pfx("192.0.2.128/25"), h = pfx("192.0.2.200/32"),
	    other = pfx("198.51.100.0/24"), n23 = pfx("192.0.2.0/23"),
	    h0 = pfx("192.0.2.0/32");

	(void)state;
	assert_true(dots_prefix_contains(&all, &n24));
	assert_true(dots_prefix_contains(&all, &all));
	assert_true(dots_prefix_contains(&n24, &n24));
	assert_true(dots_prefix_contains(&n24, &n25));
	assert_true(dots_prefix_contains(&n24, &h));
	assert_true(dots_prefix_contains(&n25, &h));
	assert_true(dots_prefix_contains(&n23, &n24));
	assert_true(dots_prefix_contains(&n24, &h0));
	assert_false(dots_prefix_contains(&n25, &h0));
	assert_false(dots_prefix_contains(&n25, &n24));
	assert_false(dots_prefix_contains(&n24, &other));
	assert_false(dots_prefix_contains(&h, &n24));
}

static void
test_prefix_contains_ipv6(void **state)
{
	struct dots_prefix all = pfx("::/0"), n32 = pfx("2001:db8::/32"),
	    n33 = pfx("2001:db8:8000::/33"), h = pfx("2001:db8::1/128"),
	    other = pfx("2001:db9::/32"), n127 = pfx("2001:db8::/127"),
	    h2 = pfx("2001:db8::2/128");

	(void)state;
	assert_true(dots_prefix_contains(&all, &n32));
	assert_true(dots_prefix_contains(&n32, &n33));
	assert_true(dots_prefix_contains(&n32, &h));
	assert_true(dots_prefix_contains(&n127, &h));
	assert_true(dots_prefix_contains(&h, &h));
	assert_false(dots_prefix_contains(&n127, &h2));
	assert_false(dots_prefix_contains(&n33, &h));
	assert_false(dots_prefix_contains(&n32, &other));
	assert_false(dots_prefix_contains(&h, &n127));
}

static void
test_prefix_overlaps(void **state)
{
	struct dots_prefix a = pfx("192.0.2.0/24"), b = pfx("192.0.2.64/26"),
	    c = pfx("192.0.3.0/24"), all4 = pfx("0.0.0.0/0"),
	    all6 = pfx("::/0"), v6 = pfx("2001:db8::/32"),
	    v6b = pfx("2001:db8:1::/48"), v6c = pfx("2001:db9::/32");

	(void)state;
	assert_true(dots_prefix_overlaps(&a, &b));
	assert_true(dots_prefix_overlaps(&b, &a));
	assert_true(dots_prefix_overlaps(&a, &a));
	assert_false(dots_prefix_overlaps(&a, &c));
	assert_true(dots_prefix_overlaps(&all4, &c));
	assert_true(dots_prefix_overlaps(&v6, &v6b));
	assert_false(dots_prefix_overlaps(&v6, &v6c));
	/* families never overlap, not even through /0 */
	assert_false(dots_prefix_overlaps(&all4, &all6));
	assert_false(dots_prefix_overlaps(&all6, &a));
	assert_false(dots_prefix_contains(&all6, &a));
	assert_false(dots_prefix_contains(&all4, &v6));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_parse_ipv4),
		cmocka_unit_test(test_prefix_parse_ipv6),
		cmocka_unit_test(test_prefix_format_rfc5952),
		cmocka_unit_test(test_prefix_parse_v4_mapped),
		cmocka_unit_test(test_prefix_parse_clears_host_bits),
		cmocka_unit_test(test_prefix_parse_rejects_bad_length),
		cmocka_unit_test(test_prefix_parse_rejects_leading_zeros),
		cmocka_unit_test(test_prefix_parse_rejects_bad_address),
		cmocka_unit_test(test_prefix_format_errors),
		cmocka_unit_test(test_prefix_ipaddr_parse_format),
		cmocka_unit_test(test_prefix_contains_ipv4),
		cmocka_unit_test(test_prefix_contains_ipv6),
		cmocka_unit_test(test_prefix_overlaps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
