/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * From a DOTS scope to flow rules (src/backend/flowspec/fs_rule.c) and
 * their text for the speaker (fs_text.c).  Scopes are written as the JSON
 * of a mitigation request and decoded by libdots, as the server would;
 * each case lists the exact rules it must give, or the reason it must be
 * refused with.  The seed cases are the offload scenario's examples (DNS,
 * NTP, memcached reflection towards 192.0.2.2).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <dots/error.h>
#include <dots/json.h>
#include <dots/model.h>

#include "fs_rule.h"

#define MS	"{\"ietf-dots-signal-channel:mitigation-scope\":{\"scope\":[{"
#define END	"}]}}"
#define CH	"ietf-dots-call-home:"

/* The rules of the scope in @p json, one text per line in @p want. */
static void
expect_rules(const char *json, const char *want)
{
	struct dots_signal *m = NULL;
	struct dots_diag diag;
	struct fs_rules rs = { 0 };
	char text[2048], got[8192], why[160];
	size_t i, off = 0;
	int ret;

	if (dots_json_decode_signal(json, strlen(json), 0, &m, &diag) !=
	    DOTS_OK)
		fail_msg("test JSON refused: %s", json);
	ret = fs_translate(&m->mitigation.scope[0], &rs, why, sizeof(why));
	if (ret != 0)
		fail_msg("refused (%s): %s", why, json);
	got[0] = '\0';
	for (i = 0; i < rs.n; i++) {
		assert_int_equal(fs_rule_text(&rs.v[i], text, sizeof(text)),
		    0);
		off += (size_t)snprintf(got + off, sizeof(got) - off,
		    "%s %s\n", fs_family_name(rs.v[i].family), text);
	}
	if (strcmp(got, want) != 0)
		fail_msg("rules of %s\ngot:\n%swant:\n%s", json, got, want);
	fs_rules_clear(&rs);
	dots_signal_free(m);
}

/* The scope in @p json is refused with a reason containing @p part. */
static void
expect_refused(const char *json, const char *part)
{
	struct dots_signal *m = NULL;
	struct dots_diag diag;
	struct fs_rules rs = { 0 };
	char why[160];
	int ret;

	if (dots_json_decode_signal(json, strlen(json), 0, &m, &diag) !=
	    DOTS_OK)
		fail_msg("test JSON refused: %s", json);
	ret = fs_translate(&m->mitigation.scope[0], &rs, why, sizeof(why));
	if (ret != -EINVAL)
		fail_msg("accepted (%zu rules), want refused: %s", rs.n,
		    json);
	if (strstr(why, part) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", why, part);
	assert_int_equal(rs.n, 0);
	fs_rules_clear(&rs);
	dots_signal_free(m);
}

static void
test_translate_prefix_only(void **state)
{
	(void)state;
	expect_rules(MS "\"target-prefix\":[\"192.0.2.0/24\"]" END,
	    "ipv4-flowspec destination 192.0.2.0/24\n");
	expect_rules(MS "\"target-prefix\":[\"2001:db8:6401::/48\"]" END,
	    "ipv6-flowspec destination 2001:db8:6401::/48\n");
	/* acl-list: its ACLs come on their own, as ACLs in force */
	expect_rules(MS "\"target-prefix\":[\"192.0.2.2/32\"],"
	    "\"ietf-dots-signal-control:acl-list\":[{\"acl-name\":\"a\"}]"
	    END, "ipv4-flowspec destination 192.0.2.2/32\n");
	/* one rule per prefix, each in its family */
	expect_rules(MS "\"target-prefix\":[\"192.0.2.2/32\","
	    "\"2001:db8::2/128\",\"198.51.100.0/25\"]" END,
	    "ipv4-flowspec destination 192.0.2.2/32\n"
	    "ipv6-flowspec destination 2001:db8::2/128\n"
	    "ipv4-flowspec destination 198.51.100.0/25\n");
}

/* Seed: (dst_ip, dst_port, protocol) over the signal channel. */
static void
test_translate_seed_signal(void **state)
{
	(void)state;
	expect_rules(MS "\"target-prefix\":[\"192.0.2.2/32\"],"
	    "\"target-port-range\":[{\"lower-port\":80},"
	    "{\"lower-port\":443}],\"target-protocol\":[6],"
	    "\"lifetime\":3600" END,
	    "ipv4-flowspec destination 192.0.2.2/32 protocol ==6 "
	    "destination-port ==80 ==443\n");
	expect_rules(MS "\"target-prefix\":[\"192.0.2.2/32\"],"
	    "\"target-port-range\":[{\"lower-port\":53},"
	    "{\"lower-port\":123}],\"target-protocol\":[17]" END,
	    "ipv4-flowspec destination 192.0.2.2/32 protocol ==17 "
	    "destination-port ==53 ==123\n");
}

/* Seed: Call Home source attributes (reflectors known, or not). */
static void
test_translate_seed_call_home(void **state)
{
	(void)state;
	expect_rules(MS "\"target-prefix\":[\"192.0.2.2/32\"],"
	    "\"target-protocol\":[17],"
	    "\"" CH "source-prefix\":[\"203.0.113.2/32\"],"
	    "\"" CH "source-port-range\":[{\"lower-port\":53},"
	    "{\"lower-port\":123}]" END,
	    "ipv4-flowspec destination 192.0.2.2/32 source 203.0.113.2/32 "
	    "protocol ==17 source-port ==53 ==123\n");
	/* two reflectors: one rule each */
	expect_rules(MS "\"target-prefix\":[\"192.0.2.2/32\"],"
	    "\"target-protocol\":[17],"
	    "\"" CH "source-prefix\":[\"203.0.113.2/32\",\"203.0.113.3/32\"],"
	    "\"" CH "source-port-range\":[{\"lower-port\":19},"
	    "{\"lower-port\":11211}]" END,
	    "ipv4-flowspec destination 192.0.2.2/32 source 203.0.113.2/32 "
	    "protocol ==17 source-port ==19 ==11211\n"
	    "ipv4-flowspec destination 192.0.2.2/32 source 203.0.113.3/32 "
	    "protocol ==17 source-port ==19 ==11211\n");
	/* too many reflectors: source ports only */
	expect_rules(MS "\"target-prefix\":[\"192.0.2.2/32\"],"
	    "\"target-protocol\":[17],"
	    "\"" CH "source-port-range\":[{\"lower-port\":53}]" END,
	    "ipv4-flowspec destination 192.0.2.2/32 protocol ==17 "
	    "source-port ==53\n");
}

static void
test_translate_ranges(void **state)
{
	(void)state;
	expect_rules(MS "\"target-prefix\":[\"203.0.113.16/28\"],"
	    "\"target-port-range\":[{\"lower-port\":80},"
	    "{\"lower-port\":8000,\"upper-port\":8099}],"
	    "\"target-protocol\":[6]" END,
	    "ipv4-flowspec destination 203.0.113.16/28 protocol ==6 "
	    "destination-port ==80 >=8000&<=8099\n");
	/* ports without protocols: TCP or UDP, as a flow rule means */
	expect_rules(MS "\"target-prefix\":[\"192.0.2.2/32\"],"
	    "\"target-port-range\":[{\"lower-port\":1024,"
	    "\"upper-port\":2048}]" END,
	    "ipv4-flowspec destination 192.0.2.2/32 protocol ==6 ==17 "
	    "destination-port >=1024&<=2048\n");
	/* all ports: no port component */
	expect_rules(MS "\"target-prefix\":[\"192.0.2.2/32\"],"
	    "\"target-port-range\":[{\"lower-port\":0,"
	    "\"upper-port\":65535},{\"lower-port\":53}],"
	    "\"target-protocol\":[17]" END,
	    "ipv4-flowspec destination 192.0.2.2/32 protocol ==17\n");
	/* destination and source ports together */
	expect_rules(MS "\"target-prefix\":[\"2001:db8::/64\"],"
	    "\"target-port-range\":[{\"lower-port\":443}],"
	    "\"target-protocol\":[6,17],"
	    "\"" CH "source-port-range\":[{\"lower-port\":1,"
	    "\"upper-port\":1023}]" END,
	    "ipv6-flowspec destination 2001:db8::/64 protocol ==6 ==17 "
	    "destination-port ==443 source-port >=1&<=1023\n");
}

static void
test_translate_protocols(void **state)
{
	(void)state;
	expect_rules(MS "\"target-prefix\":[\"192.0.2.0/24\"],"
	    "\"target-protocol\":[17,6,47]" END,
	    "ipv4-flowspec destination 192.0.2.0/24 protocol ==6 ==17 "
	    "==47\n");
	/* 0: all protocols */
	expect_rules(MS "\"target-prefix\":[\"192.0.2.0/24\"],"
	    "\"target-protocol\":[0,6]" END,
	    "ipv4-flowspec destination 192.0.2.0/24\n");
}

static void
test_translate_icmp(void **state)
{
	(void)state;
	expect_rules(MS "\"target-prefix\":[\"192.0.2.2/32\","
	    "\"2001:db8::2/128\"],"
	    "\"" CH "source-icmp-type-range\":[{\"lower-type\":0},"
	    "{\"lower-type\":3,\"upper-type\":5}]" END,
	    "ipv4-flowspec destination 192.0.2.2/32 protocol ==1 "
	    "icmp-type ==0 >=3&<=5\n"
	    "ipv6-flowspec destination 2001:db8::2/128 protocol ==58 "
	    "icmp-type ==0 >=3&<=5\n");
	expect_rules(MS "\"target-prefix\":[\"192.0.2.2/32\"],"
	    "\"target-protocol\":[1,58],"
	    "\"" CH "source-icmp-type-range\":[{\"lower-type\":8}]" END,
	    "ipv4-flowspec destination 192.0.2.2/32 protocol ==1 "
	    "icmp-type ==8\n");
	/* ports and ICMP types: a rule could not match both; two rules */
	expect_rules(MS "\"target-prefix\":[\"192.0.2.2/32\"],"
	    "\"target-protocol\":[17,1],"
	    "\"" CH "source-port-range\":[{\"lower-port\":53}],"
	    "\"" CH "source-icmp-type-range\":[{\"lower-type\":3}]" END,
	    "ipv4-flowspec destination 192.0.2.2/32 protocol ==17 "
	    "source-port ==53\n"
	    "ipv4-flowspec destination 192.0.2.2/32 protocol ==1 "
	    "icmp-type ==3\n");
}

static void
test_translate_sources_by_family(void **state)
{
	(void)state;
	/* each target with the sources of its own family only */
	expect_rules(MS "\"target-prefix\":[\"192.0.2.2/32\","
	    "\"2001:db8::2/128\"],"
	    "\"" CH "source-prefix\":[\"203.0.113.0/24\","
	    "\"2001:db8:beef::/48\"]" END,
	    "ipv4-flowspec destination 192.0.2.2/32 source 203.0.113.0/24\n"
	    "ipv6-flowspec destination 2001:db8::2/128 source "
	    "2001:db8:beef::/48\n");
	/* an IPv6 target with IPv4 sources only: no traffic, no rule */
	expect_rules(MS "\"target-prefix\":[\"192.0.2.2/32\","
	    "\"2001:db8::2/128\"],"
	    "\"" CH "source-prefix\":[\"203.0.113.0/24\"]" END,
	    "ipv4-flowspec destination 192.0.2.2/32 source 203.0.113.0/24\n");
}

static void
test_translate_refusals(void **state)
{
	(void)state;
	expect_refused(MS "\"target-fqdn\":[\"www.example.com\"]" END,
	    "target-fqdn");
	expect_refused(MS "\"alias-name\":[\"web\"]" END, "alias-name");
	expect_refused(MS "\"target-prefix\":[\"192.0.2.2/32\"],"
	    "\"target-port-range\":[{\"lower-port\":53}],"
	    "\"target-protocol\":[17,132]" END,
	    "TCP and UDP only, and target-protocol also has 132");
	expect_refused(MS "\"target-prefix\":[\"192.0.2.2/32\"],"
	    "\"target-protocol\":[6],"
	    "\"" CH "source-icmp-type-range\":[{\"lower-type\":8}]" END,
	    "needs protocol 1");
	expect_refused(MS "\"target-prefix\":[\"2001:db8::2/128\"],"
	    "\"target-protocol\":[1],"
	    "\"" CH "source-icmp-type-range\":[{\"lower-type\":8}]" END,
	    "needs protocol 58");
	expect_refused(MS "\"target-prefix\":[\"192.0.2.2/32\"],"
	    "\"target-protocol\":[1,6],"
	    "\"" CH "source-icmp-type-range\":[{\"lower-type\":8}]" END,
	    "ICMP only, and target-protocol also has 6");
	expect_refused(MS "\"target-prefix\":[\"2001:db8::2/128\"],"
	    "\"" CH "source-prefix\":[\"203.0.113.0/24\"]" END,
	    "no source-prefix is of the family");
}

static void
test_translate_too_many_ranges(void **state)
{
	char json[4096];
	size_t off;
	int i;

	(void)state;
	off = (size_t)snprintf(json, sizeof(json), MS
	    "\"target-prefix\":[\"192.0.2.2/32\"],\"target-protocol\":[6],"
	    "\"target-port-range\":[");
	for (i = 0; i < FS_OPS_MAX / 2 + 1; i++)
		off += (size_t)snprintf(json + off, sizeof(json) - off,
		    "%s{\"lower-port\":%d,\"upper-port\":%d}", i ? "," : "",
		    100 * i + 1, 100 * i + 50);
	snprintf(json + off, sizeof(json) - off, "]" END);
	expect_refused(json, "more than 16 ranges");
}

static void
test_text_operators(void **state)
{
	struct fs_numeric c = { 0 };
	struct fs_action a;
	char buf[128];

	(void)state;
	c.v[0] = (struct fs_numop){ FS_OP_LT | FS_OP_GT, 1010 };
	c.v[1] = (struct fs_numop){ FS_OP_LT | FS_OP_EQ, 80 };
	c.v[2] = (struct fs_numop){ FS_OP_AND | FS_OP_GT, 20 };
	c.v[3] = (struct fs_numop){ FS_OP_LT, 5 };
	c.v[4] = (struct fs_numop){ 0x07, 0 };
	c.n = 5;
	assert_int_equal(fs_numeric_text(&c, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "!=1010 <=80&>20 <5 true");
	assert_int_equal(fs_numeric_text(&c, buf, 8), -ENOSPC);

	a = (struct fs_action){ FS_ACT_DISCARD, 0 };
	assert_int_equal(fs_action_text(&a, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "then discard");
	a = (struct fs_action){ FS_ACT_RATE, 125000 };
	assert_int_equal(fs_action_text(&a, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "then rate-limit 125000");
	/* what a float32 carries, so the RIB reads back the same */
	a = (struct fs_action){ FS_ACT_RATE, 1000000001 };
	assert_int_equal(fs_action_text(&a, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "then rate-limit 1000000000");
	a = (struct fs_action){ FS_ACT_ACCEPT, 0 };
	assert_int_equal(fs_action_text(&a, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "then accept");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_translate_prefix_only),
		cmocka_unit_test(test_translate_seed_signal),
		cmocka_unit_test(test_translate_seed_call_home),
		cmocka_unit_test(test_translate_ranges),
		cmocka_unit_test(test_translate_protocols),
		cmocka_unit_test(test_translate_icmp),
		cmocka_unit_test(test_translate_sources_by_family),
		cmocka_unit_test(test_translate_refusals),
		cmocka_unit_test(test_translate_too_many_ranges),
		cmocka_unit_test(test_text_operators),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
