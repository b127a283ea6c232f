/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Reading GoBGP's JSON RIB listing back into rule texts (src/backend/
 * flowspec/fs_rib.c).  The listings are what GoBGP 3.10 printed for rules
 * that fs_text.c wrote; each must read back as the same words, and
 * anything else must be skipped or refused without harm.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <dots/model.h>

#include "fs_rule.h"

static char seen[4096];

static int
collect(void *arg, const char *family, const char *nlri, const char *attrs)
{
	size_t off = strlen(seen);

	(void)arg;
	snprintf(seen + off, sizeof(seen) - off, "%s|%s|%s\n", family, nlri,
	    attrs);
	return 0;
}

/* Two rules as GoBGP 3.10 listed them (one path each). */
static const char listing4[] =
    "{\"[destination: 192.0.2.2/32][source: 203.0.113.2/32]...\":[{\"nlri\":"
    "{\"value\":[{\"type\":1,\"value\":{\"prefix\":\"192.0.2.2/32\"}},"
    "{\"type\":2,\"value\":{\"prefix\":\"203.0.113.2/32\"}},"
    "{\"type\":3,\"value\":[{\"op\":129,\"value\":17}]},"
    "{\"type\":5,\"value\":[{\"op\":19,\"value\":1024},"
    "{\"op\":213,\"value\":2048}]},"
    "{\"type\":6,\"value\":[{\"op\":1,\"value\":53},"
    "{\"op\":129,\"value\":123}]},"
    "{\"type\":7,\"value\":[{\"op\":129,\"value\":8}]}]},"
    "\"age\":1796524955,\"best\":true,\"attrs\":[{\"type\":1,\"value\":2},"
    "{\"type\":16,\"value\":[{\"type\":128,\"subtype\":6,\"as\":0,"
    "\"rate\":0}]}],\"stale\":false}],"
    "\"[destination: 192.0.2.3/32][protocol: ==tcp ==udp]\":[{\"nlri\":"
    "{\"value\":[{\"type\":1,\"value\":{\"prefix\":\"192.0.2.3/32\"}},"
    "{\"type\":3,\"value\":[{\"op\":1,\"value\":6},"
    "{\"op\":129,\"value\":17}]}]},\"attrs\":[{\"type\":1,\"value\":2},"
    "{\"type\":16,\"value\":[{\"type\":128,\"subtype\":6,\"as\":0,"
    "\"rate\":125000}]}]}],"
    /* learnt from a peer: not ours */
    "\"[destination: 192.0.2.4/32]\":[{\"nlri\":{\"value\":[{\"type\":1,"
    "\"value\":{\"prefix\":\"192.0.2.4/32\"}}]},\"neighbor-ip\":"
    "\"127.0.0.62\",\"attrs\":[]}],"
    /* a component IPv4 does not have (flow label) */
    "\"[destination: 192.0.2.5/32][label: ==1]\":[{\"nlri\":"
    "{\"value\":[{\"type\":1,\"value\":{\"prefix\":\"192.0.2.5/32\"}},"
    "{\"type\":13,\"value\":[{\"op\":129,\"value\":1}]}]},\"attrs\":[]}]}";

static const char listing6[] =
    "{\"x\":[{\"nlri\":{\"value\":[{\"type\":1,\"value\":{\"prefix\":"
    "\"2001:db8::1/128\"},\"offset\":0},{\"type\":3,\"value\":[{\"op\":129,"
    "\"value\":58}]},{\"type\":7,\"value\":[{\"op\":3,\"value\":1},"
    "{\"op\":197,\"value\":4}]}]},\"attrs\":[{\"type\":1,\"value\":2}]}],"
    "\"y\":[{\"nlri\":{\"value\":[{\"type\":1,\"value\":{\"prefix\":"
    "\"2001:db8::/32\"},\"offset\":8}]},\"attrs\":[]}]}";

static void
test_rib_flowspec(void **state)
{
	(void)state;
	seen[0] = '\0';
	assert_int_equal(fs_rib_flowspec(listing4, sizeof(listing4) - 1,
	    DOTS_AF_INET4, collect, NULL), 0);
	assert_string_equal(seen,
	    "ipv4-flowspec|destination 192.0.2.2/32 source 203.0.113.2/32 "
	    "protocol ==17 destination-port >=1024&<=2048 source-port ==53 "
	    "==123 icmp-type ==8|then discard\n"
	    "ipv4-flowspec|destination 192.0.2.3/32 protocol ==6 ==17|"
	    "then rate-limit 125000\n");
	/* the IPv4 listing holds no IPv6 rule */
	seen[0] = '\0';
	assert_int_equal(fs_rib_flowspec(listing4, sizeof(listing4) - 1,
	    DOTS_AF_INET6, collect, NULL), 0);
	assert_string_equal(seen, "");
	seen[0] = '\0';
	assert_int_equal(fs_rib_flowspec(listing6, sizeof(listing6) - 1,
	    DOTS_AF_INET6, collect, NULL), 0);
	assert_string_equal(seen, "ipv6-flowspec|destination 2001:db8::1/128 "
	    "protocol ==58 icmp-type >=1&<=4|then accept\n");
}

static void
test_rib_empty_and_bad(void **state)
{
	static const char *const bad[] = {
		"", "[]", "null", "{", "{\"a\":1", "\"x\"",
		"{\"a\":1,\"a\":2}",
	};
	static const char junk[] = "{\"a\":[1,{\"nlri\":{\"value\":"
	    "[{\"type\":1,\"value\":{\"prefix\":7}},{\"type\":3,\"value\":"
	    "[{\"op\":\"x\"}]}]}},{\"nlri\":{\"value\":[{\"type\":3,\"value\":"
	    "[{\"op\":129,\"value\":99999}]}]}}],\"b\":{}}";
	size_t i;

	(void)state;
	seen[0] = '\0';
	assert_int_equal(fs_rib_flowspec("{}", 2, DOTS_AF_INET4, collect,
	    NULL), 0);
	assert_int_equal(fs_rib_blackhole("{}\n", 3, DOTS_AF_INET4, collect,
	    NULL), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(fs_rib_flowspec(bad[i], strlen(bad[i]),
		    DOTS_AF_INET4, collect, NULL), -EINVAL);
		assert_int_equal(fs_rib_blackhole(bad[i], strlen(bad[i]),
		    DOTS_AF_INET4, collect, NULL), -EINVAL);
	}
	/* wrong types everywhere: skipped, never a crash */
	seen[0] = '\0';
	assert_int_equal(fs_rib_flowspec(junk, sizeof(junk) - 1,
	    DOTS_AF_INET4, collect, NULL), 0);
	assert_string_equal(seen, "");
}

static void
test_rib_blackhole(void **state)
{
	static const char l[] =
	    "{\"192.0.2.9/32\":[{\"nlri\":{\"prefix\":\"192.0.2.9/32\"},"
	    "\"attrs\":[{\"type\":1,\"value\":2},{\"type\":8,\"communities\":"
	    "[4294902426,4294967041]},{\"type\":3,\"nexthop\":\"192.0.2.1\"}]}],"
	    "\"198.51.100.0/24\":[{\"nlri\":{\"prefix\":\"198.51.100.0/24\"},"
	    "\"attrs\":[{\"type\":3,\"nexthop\":\"192.0.2.1\"}]}]}";

	(void)state;
	seen[0] = '\0';
	assert_int_equal(fs_rib_blackhole(l, sizeof(l) - 1, DOTS_AF_INET4,
	    collect, NULL), 0);
	assert_string_equal(seen, "ipv4|192.0.2.9/32|nexthop 192.0.2.1 "
	    "community 65535:666,65535:65281\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rib_flowspec),
		cmocka_unit_test(test_rib_empty_and_bad),
		cmocka_unit_test(test_rib_blackhole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
