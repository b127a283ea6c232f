/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * From a filtering ACL of the data channel to flow rules
 * (src/backend/flowspec/fs_acl.c), their GoBGP words (fs_text.c), and the
 * flow-spec order of RFC 8955 section 5.1 that decides which ACLs can be
 * enforced as they are written.  The seed cases are the offload
 * scenario's data-channel ACLs; each case lists the exact rules and
 * actions the speaker gets, or the reason the ACL is refused with.
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

#include "be_acl.h"
#include "fs_rule.h"

#define ACLM	"ietf-access-control-list:"
#define HEAD4	"{\"name\":\"a\",\"type\":\"" ACLM "ipv4-acl-type\"," \
	"\"activation-type\":\"immediate\",\"aces\":{\"ace\":["
#define HEAD6	"{\"name\":\"a\",\"type\":\"" ACLM "ipv6-acl-type\"," \
	"\"aces\":{\"ace\":["
#define TAIL	"]}}"
/* An ACE: name, what goes into matches, actions. */
#define ACE(n, m, act)	"{\"name\":\"" n "\",\"matches\":{" m "}," \
	"\"actions\":{" act "}}"
#define DST4(p)	"\"ipv4\":{\"destination-ipv4-network\":\"" p "\""
#define DROP	"\"forwarding\":\"" ACLM "drop\""
#define ACCEPT	"\"forwarding\":\"" ACLM "accept\""

/* The rules of the ACL in @p json, "FAMILY WORDS | ACTION" a line. */
static void
expect_rules(const char *json, const char *want)
{
	struct be_acl acl;
	struct fs_rules rs = { 0 };
	struct fs_action acts[16];
	char text[2048], act[64], got[8192], why[256];
	size_t i, off = 0;
	int ret;

	if (be_acl_parse(json, &acl, why, sizeof(why)) != 0)
		fail_msg("ACL refused by be_acl (%s): %s", why, json);
	assert_true(acl.n_ace <= 16);
	ret = fs_acl_translate(&acl, &rs, acts, why, sizeof(why));
	if (ret != 0)
		fail_msg("refused (%s): %s", why, json);
	got[0] = '\0';
	for (i = 0; i < rs.n; i++) {
		assert_int_equal(fs_rule_text(&rs.v[i], text, sizeof(text)),
		    0);
		assert_int_equal(fs_action_text(&acts[i], act, sizeof(act)),
		    0);
		off += (size_t)snprintf(got + off, sizeof(got) - off,
		    "%s %s | %s\n", fs_family_name(rs.v[i].family), text, act);
	}
	if (strcmp(got, want) != 0)
		fail_msg("rules of %s\ngot:\n%swant:\n%s", json, got, want);
	fs_rules_clear(&rs);
	be_acl_free(&acl);
}

/* The ACL in @p json is refused with a reason containing @p part. */
static void
expect_refused(const char *json, const char *part)
{
	struct be_acl acl;
	struct fs_rules rs = { 0 };
	struct fs_action acts[16];
	char why[256];
	int ret;

	if (be_acl_parse(json, &acl, why, sizeof(why)) != 0)
		fail_msg("ACL refused by be_acl (%s): %s", why, json);
	ret = fs_acl_translate(&acl, &rs, acts, why, sizeof(why));
	if (ret != -EINVAL)
		fail_msg("accepted (%zu rules), want refused: %s", rs.n, json);
	if (strstr(why, part) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", why, part);
	assert_int_equal(rs.n, 0);
	fs_rules_clear(&rs);
	be_acl_free(&acl);
}

/*
 * The offload scenario's three data-channel ACLs
 * (offload-data-channel-acl-{dst-port,src-port,5tuple}.json), one entry
 * each, in the draft's spelling.
 */
static void
test_acl_offload_examples(void **state)
{
	(void)state;
	expect_rules("{\"name\":\"DMS_Offload_scenario_ACL\",\"type\":"
	    "\"ipv4-acl-type\",\"activation-type\":\"activate-when-mitigating\","
	    "\"aces\":{\"ace\":[{\"name\":\"DMS_Offload_scenario_HTTP_GET_"
	    "Flooding\",\"matches\":{\"ipv4\":{\"destination-ipv4-network\":"
	    "\"192.0.2.2/32\",\"protocol\":6},\"tcp\":{\"destination-port\":"
	    "{\"operator\":\"eq\",\"port\":80}}},\"actions\":{\"forwarding\":"
	    "\"drop\"}},{\"name\":\"DMS_Offload_scenario_SYN_Flooding_FTP\","
	    "\"matches\":{\"ipv4\":{\"destination-ipv4-network\":"
	    "\"192.0.2.2/32\",\"protocol\":6},\"tcp\":{\"destination-port\":"
	    "{\"operator\":\"eq\",\"port\":20}}},\"actions\":{\"forwarding\":"
	    "\"drop\"}}]}}",
	    "ipv4-flowspec destination 192.0.2.2/32 protocol ==6 "
	    "destination-port ==80 | then discard\n"
	    "ipv4-flowspec destination 192.0.2.2/32 protocol ==6 "
	    "destination-port ==20 | then discard\n");
	expect_rules("{\"name\":\"DMS_Offload_scenario_ACL\",\"type\":"
	    "\"ipv4-acl-type\",\"activation-type\":\"activate-when-mitigating\","
	    "\"aces\":{\"ace\":[{\"name\":\"DMS_Offload_scenario_ACL_DNS_amp\","
	    "\"matches\":{\"ipv4\":{\"destination-ipv4-network\":"
	    "\"192.0.2.2/32\",\"protocol\":17},\"udp\":{\"source-port\":"
	    "{\"operator\":\"eq\",\"port\":53}}},\"actions\":{\"forwarding\":"
	    "\"drop\"}},{\"name\":\"DMS_Offload_scenario_ACL_NTP_amp\","
	    "\"matches\":{\"ipv4\":{\"destination-ipv4-network\":"
	    "\"192.0.2.2/32\",\"protocol\":17},\"udp\":{\"source-port\":"
	    "{\"operator\":\"eq\",\"port\":123}}},\"actions\":{\"forwarding\":"
	    "\"drop\"}}]}}",
	    "ipv4-flowspec destination 192.0.2.2/32 protocol ==17 "
	    "source-port ==53 | then discard\n"
	    "ipv4-flowspec destination 192.0.2.2/32 protocol ==17 "
	    "source-port ==123 | then discard\n");
	expect_rules("{\"name\":\"DMS_Offload_scenario_ACL\",\"type\":"
	    "\"ipv4-acl-type\",\"activation-type\":\"immediate\",\"aces\":"
	    "{\"ace\":[{\"name\":\"DMS_Offload_scenario_ACE_00\",\"matches\":"
	    "{\"ipv4\":{\"destination-ipv4-network\":\"192.0.2.2/32\","
	    "\"source-ipv4-network\":\"203.0.113.2/32\",\"protocol\":17},"
	    "\"udp\":{\"source-port\":{\"operator\":\"eq\",\"port\":53}}},"
	    "\"actions\":{\"forwarding\":\"drop\"}},{\"name\":"
	    "\"DMS_Offload_scenario_ACE_01\",\"matches\":{\"ipv4\":{"
	    "\"destination-ipv4-network\":\"192.0.2.2/32\","
	    "\"source-ipv4-network\":\"203.0.113.3/32\",\"protocol\":17},"
	    "\"udp\":{\"source-port\":{\"operator\":\"eq\",\"port\":53}}},"
	    "\"actions\":{\"forwarding\":\"drop\"}}]}}",
	    "ipv4-flowspec destination 192.0.2.2/32 source 203.0.113.2/32 "
	    "protocol ==17 source-port ==53 | then discard\n"
	    "ipv4-flowspec destination 192.0.2.2/32 source 203.0.113.3/32 "
	    "protocol ==17 source-port ==53 | then discard\n");
}

/* Every component an ACE can give, and the port operators. */
static void
test_acl_components(void **state)
{
	(void)state;
	expect_rules(HEAD4
	    ACE("t", DST4("192.0.2.0/24") ",\"source-ipv4-network\":"
	    "\"198.51.100.0/24\",\"dscp\":46,\"length\":1500,\"fragment\":"
	    "{\"operator\":\"not any\",\"type\":\"isf ff\"}},\"tcp\":{"
	    "\"ietf-dots-data-channel:flags-bitmask\":{\"bitmask\":18},"
	    "\"source-port-range-or-operator\":{\"lower-port\":1024,"
	    "\"upper-port\":2048},\"destination-port-range-or-operator\":"
	    "{\"operator\":\"neq\",\"port\":22}}", DROP) ","
	    ACE("u", DST4("192.0.2.1/32") "},\"udp\":{"
	    "\"source-port-range-or-operator\":{\"operator\":\"lte\","
	    "\"port\":1023},\"destination-port-range-or-operator\":"
	    "{\"operator\":\"gte\",\"port\":1024}}", DROP) ","
	    ACE("i", DST4("192.0.2.3/32") ",\"fragment\":{\"type\":"
	    "\"df\"}},\"icmp\":{\"type\":3,\"code\":4}", DROP) ","
	    ACE("w", DST4("192.0.2.4/32") "},\"udp\":{"
	    "\"source-port-range-or-operator\":{\"lower-port\":0,"
	    "\"upper-port\":65535},\"destination-port-range-or-operator\":"
	    "{\"operator\":\"neq\",\"port\":0}}", DROP) ","
	    ACE("s", DST4("192.0.2.5/32") "},\"tcp\":{\"flags-bitmask\":"
	    "{\"operator\":\"not match\",\"bitmask\":255}}", DROP) TAIL,
	    "ipv4-flowspec destination 192.0.2.0/24 source 198.51.100.0/24 "
	    "protocol ==6 destination-port <22 >22 source-port "
	    ">=1024&<=2048 tcp-flags =SA packet-length ==1500 dscp ==46 "
	    "fragment !is-fragment+first-fragment | then discard\n"
	    "ipv4-flowspec destination 192.0.2.1/32 protocol ==17 "
	    "destination-port >=1024 source-port <=1023 | then discard\n"
	    "ipv4-flowspec destination 192.0.2.3/32 protocol ==1 "
	    "icmp-type ==3 icmp-code ==4 fragment =dont-fragment | "
	    "then discard\n"
	    "ipv4-flowspec destination 192.0.2.4/32 protocol ==17 "
	    "destination-port >0 | then discard\n"
	    "ipv4-flowspec destination 192.0.2.5/32 protocol ==6 "
	    "tcp-flags !=FSRPAUEC | then discard\n");
	/* IPv6: payload length + 40, ICMPv6, flow label, rates */
	expect_rules(HEAD6
	    ACE("l", "\"ipv6\":{\"destination-ipv6-network\":"
	    "\"2001:db8::/64\",\"length\":100,\"flow-label\":1000,"
	    "\"fragment\":{\"type\":\"lf\"}},\"udp\":{"
	    "\"destination-port-range-or-operator\":{\"port\":53}}",
	    ACCEPT ",\"rate-limit\":\"20.50\"") ","
	    ACE("i", "\"ipv6\":{\"destination-ipv6-network\":"
	    "\"2001:db8:1::/64\"},\"icmp\":{\"type\":128}",
	    ACCEPT ",\"rate-limit\":\"0.40\"") TAIL,
	    "ipv6-flowspec destination 2001:db8::/64 protocol ==17 "
	    "destination-port ==53 packet-length ==140 fragment "
	    "=last-fragment label ==1000 | then rate-limit 21\n"
	    "ipv6-flowspec destination 2001:db8:1::/64 protocol ==58 "
	    "icmp-type ==128 | then discard\n");
}

/* Accept entries: kept only as exceptions to a later entry. */
static void
test_acl_accept(void **state)
{
	(void)state;
	/* the accept-list of flowspec.md 9.3: a source prefix goes first */
	expect_rules(HEAD4
	    ACE("keep-resolver", DST4("203.0.113.53/32")
	    ",\"source-ipv4-network\":\"198.51.100.0/24\",\"protocol\":17},"
	    "\"udp\":{\"source-port-range-or-operator\":{\"port\":53}}",
	    ACCEPT) ","
	    ACE("drop-amp", DST4("203.0.113.53/32") ",\"protocol\":17},"
	    "\"udp\":{\"source-port-range-or-operator\":{\"port\":53}}",
	    DROP) TAIL,
	    "ipv4-flowspec destination 203.0.113.53/32 source "
	    "198.51.100.0/24 protocol ==17 source-port ==53 | then accept\n"
	    "ipv4-flowspec destination 203.0.113.53/32 protocol ==17 "
	    "source-port ==53 | then discard\n");
	/* after the drop, or apart from it, an accept changes nothing */
	expect_rules(HEAD4
	    ACE("d", DST4("192.0.2.0/24") "}", DROP) ","
	    ACE("a", DST4("192.0.2.1/32") "}", ACCEPT) ","
	    ACE("b", DST4("192.0.2.128/25") "}", ACCEPT) TAIL,
	    "ipv4-flowspec destination 192.0.2.0/24 | then discard\n");
	expect_rules(HEAD4
	    ACE("a", DST4("192.0.2.1/32") ",\"protocol\":6}", ACCEPT) ","
	    ACE("d", DST4("192.0.2.1/32") ",\"protocol\":17}", DROP) TAIL,
	    "ipv4-flowspec destination 192.0.2.1/32 protocol ==17 | "
	    "then discard\n");
	/* only accepts: nothing to announce */
	expect_rules(HEAD4 ACE("a", DST4("192.0.2.1/32") "}", ACCEPT) TAIL,
	    "");
	expect_rules("{\"name\":\"empty\"}", "");
	/* the same rule twice with the same action: once */
	expect_rules(HEAD4
	    ACE("d1", DST4("192.0.2.1/32") "}", DROP) ","
	    ACE("d2", DST4("192.0.2.1/32") "}", DROP) TAIL,
	    "ipv4-flowspec destination 192.0.2.1/32 | then discard\n");
	/* an exception to a rate, and disjoint entries in any order */
	expect_rules(HEAD4
	    ACE("a", DST4("192.0.2.0/24") "},\"tcp\":{"
	    "\"destination-port-range-or-operator\":{\"port\":80}}",
	    ACCEPT) ","
	    ACE("r", DST4("192.0.2.0/24") ",\"protocol\":6}",
	    ACCEPT ",\"rate-limit\":\"125000\"") ","
	    ACE("d", DST4("192.0.2.1/32") ",\"protocol\":17}", DROP) TAIL,
	    "ipv4-flowspec destination 192.0.2.0/24 protocol ==6 "
	    "destination-port ==80 | then accept\n"
	    "ipv4-flowspec destination 192.0.2.0/24 protocol ==6 | "
	    "then rate-limit 125000\n"
	    "ipv4-flowspec destination 192.0.2.1/32 protocol ==17 | "
	    "then discard\n");
}

static void
test_acl_refused(void **state)
{
	(void)state;
	/* a broad accept before a narrower drop: flow-spec reverses them */
	expect_refused(HEAD4
	    ACE("ok-net", DST4("192.0.2.0/24") "}", ACCEPT) ","
	    ACE("bad-host", DST4("192.0.2.2/32") ",\"protocol\":17}", DROP)
	    TAIL, "aces \"ok-net\" (accept) and \"bad-host\" (drop) overlap");
	expect_refused(HEAD4
	    ACE("r1", DST4("192.0.2.0/24") ",\"protocol\":17}",
	    ACCEPT ",\"rate-limit\":\"1000\"") ","
	    ACE("r2", DST4("192.0.2.0/24") ",\"protocol\":17}",
	    ACCEPT ",\"rate-limit\":\"2000\"") TAIL,
	    "become the same flow rule");
	expect_refused(HEAD4
	    ACE("a", DST4("192.0.2.0/24") ",\"protocol\":17},\"udp\":{"
	    "\"source-port-range-or-operator\":{\"port\":53}}", ACCEPT) ","
	    ACE("d", DST4("192.0.2.0/24") ",\"protocol\":17},\"udp\":{"
	    "\"destination-port-range-or-operator\":{\"lower-port\":1,"
	    "\"upper-port\":100}}", DROP) TAIL,
	    "flow-spec would apply \"d\" first");
	expect_refused(HEAD4 ACE("nodst", "\"udp\":{}", DROP) TAIL,
	    "ace \"nodst\": no destination network");
	expect_refused(HEAD4 ACE("nodst", "\"ipv4\":{\"source-ipv4-network\":"
	    "\"198.51.100.0/24\"}", DROP) TAIL,
	    "ace \"nodst\": no destination network");
	expect_refused(HEAD4 ACE("fl", DST4("192.0.2.1/32") "},\"tcp\":{"
	    "\"flags-bitmask\":{\"operator\":\"not any\",\"bitmask\":4095}}",
	    DROP) TAIL, "ace \"fl\": tcp flags-bitmask 0xfff has bits above");
	expect_refused(HEAD4 ACE("p", DST4("192.0.2.1/32") ",\"protocol\":"
	    "17},\"tcp\":{}", DROP) TAIL,
	    "ace \"p\": protocol 17 does not agree with its tcp match");
	expect_refused(HEAD4 ACE("p", DST4("192.0.2.1/32") ",\"protocol\":"
	    "58},\"icmp\":{}", DROP) TAIL, "does not agree with its icmp");
	expect_refused(HEAD6 ACE("big", "\"ipv6\":{"
	    "\"destination-ipv6-network\":\"2001:db8::/64\","
	    "\"length\":65500}", DROP) TAIL, "ipv6 length 65500");
	expect_refused(HEAD4 ACE("fast", DST4("192.0.2.1/32") "}",
	    ACCEPT ",\"rate-limit\":\"5000000000\"") TAIL,
	    "rate-limit above 4294967295");
}

/* An ACL of @p n entries, alternately accept and drop, one host each. */
static char *
acl_of(size_t n)
{
	size_t i, off = 0, cap = 256 + n * 200;
	char *j = malloc(cap);

	assert_non_null(j);
	off += (size_t)snprintf(j + off, cap - off, "%s", HEAD4);
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(j + off, cap - off, "%s{\"name\":"
		    "\"e%zu\",\"matches\":{\"ipv4\":{"
		    "\"destination-ipv4-network\":\"10.%zu.%zu.0/24\"}},"
		    "\"actions\":{\"forwarding\":\"%s\"}}", i ? "," : "", i,
		    i / 256, i % 256, i % 2 ? "drop" : "accept");
	snprintf(j + off, cap - off, "%s", TAIL);
	return j;
}

/* Large ACLs: the quadratic checks stay bounded. */
static void
test_acl_many(void **state)
{
	struct be_acl acl;
	struct fs_rules rs = { 0 };
	struct fs_action *acts;
	char why[256], *j;

	(void)state;
	j = acl_of(1024);
	assert_int_equal(be_acl_parse(j, &acl, why, sizeof(why)), 0);
	acts = calloc(acl.n_ace, sizeof(*acts));
	assert_non_null(acts);
	assert_int_equal(fs_acl_translate(&acl, &rs, acts, why, sizeof(why)),
	    0);
	/* the accept entries are apart from every drop: left out */
	assert_int_equal(rs.n, 512);
	fs_rules_clear(&rs);
	free(acts);
	be_acl_free(&acl);
	free(j);
	j = acl_of(1025);
	expect_refused(j, "more than 1024 entries");
	free(j);
}

static void
rule4(struct fs_rule *r, const char *dst)
{
	bool host;

	memset(r, 0, sizeof(*r));
	r->family = DOTS_AF_INET4;
	assert_int_equal(dots_prefix_parse(dst, &r->dst, &host), 0);
}

static void
num(struct fs_numeric *c, uint8_t op, uint32_t v)
{
	c->v[c->n].op = op;
	c->v[c->n].value = v;
	c->n++;
}

/* RFC 8955 section 5.1, case by case. */
static void
test_rule_order(void **state)
{
	struct fs_rule a, b;
	bool host;

	(void)state;
	/* a more specific destination first, else the lower one */
	rule4(&a, "192.0.2.1/32");
	rule4(&b, "192.0.2.0/24");
	assert_true(fs_rule_cmp(&a, &b) < 0);
	assert_true(fs_rule_cmp(&b, &a) > 0);
	rule4(&b, "192.0.2.2/32");
	assert_true(fs_rule_cmp(&a, &b) < 0);
	assert_int_equal(fs_rule_cmp(&a, &a), 0);
	/* a source prefix (type 2) before a protocol (type 3) */
	rule4(&a, "192.0.2.0/24");
	rule4(&b, "192.0.2.0/24");
	a.has_src = true;
	assert_int_equal(dots_prefix_parse("198.51.100.0/24", &a.src, &host),
	    0);
	num(&b.proto, FS_OP_EQ, 17);
	assert_true(fs_rule_cmp(&a, &b) < 0);
	/* a rule with a component before one without */
	rule4(&a, "192.0.2.0/24");
	num(&a.proto, FS_OP_EQ, 17);
	rule4(&b, "192.0.2.0/24");
	assert_true(fs_rule_cmp(&a, &b) < 0);
	/* bytes: ==6 (81 06) before ==17 (81 11) */
	rule4(&b, "192.0.2.0/24");
	num(&b.proto, FS_OP_EQ, 6);
	assert_true(fs_rule_cmp(&b, &a) < 0);
	/* "01 06 81 11" (==6 or ==17) before "81 11" */
	num(&b.proto, FS_OP_EQ, 17);
	assert_true(fs_rule_cmp(&b, &a) < 0);
	/* equal common bytes: the longer string first (2-octet value) */
	rule4(&a, "192.0.2.0/24");
	rule4(&b, "192.0.2.0/24");
	num(&a.dport, FS_OP_EQ, 1);
	num(&b.dport, FS_OP_EQ, 256);
	/* 81 01 against 91 01 00: 0x81 < 0x91 */
	assert_true(fs_rule_cmp(&a, &b) < 0);
}

static void
test_rule_disjoint(void **state)
{
	struct fs_rule a, b;

	(void)state;
	rule4(&a, "192.0.2.0/25");
	rule4(&b, "192.0.2.128/25");
	assert_true(fs_rules_disjoint(&a, &b));
	rule4(&b, "192.0.2.0/24");
	assert_false(fs_rules_disjoint(&a, &b));
	/* ports: <=80 against >=81 do not meet; >=80 does */
	num(&a.dport, FS_OP_LT | FS_OP_EQ, 80);
	num(&b.dport, FS_OP_GT | FS_OP_EQ, 81);
	assert_true(fs_rules_disjoint(&a, &b));
	b.dport.v[0].value = 80;
	assert_false(fs_rules_disjoint(&a, &b));
	/* != 53 against == 53 */
	memset(&a.dport, 0, sizeof(a.dport));
	memset(&b.dport, 0, sizeof(b.dport));
	num(&a.sport, FS_OP_LT | FS_OP_GT, 53);
	num(&b.sport, FS_OP_EQ, 53);
	assert_true(fs_rules_disjoint(&a, &b));
	/* a range and a point inside it */
	memset(&a.sport, 0, sizeof(a.sport));
	num(&a.sport, FS_OP_GT | FS_OP_EQ, 50);
	num(&a.sport, FS_OP_AND | FS_OP_LT | FS_OP_EQ, 60);
	assert_false(fs_rules_disjoint(&a, &b));
	/* TCP flags: SYN matched against SYN not set */
	memset(&a.sport, 0, sizeof(a.sport));
	num(&a.tcp_flags, FS_BM_MATCH, 0x02);
	num(&b.tcp_flags, FS_BM_NOT | FS_BM_MATCH, 0x02);
	assert_true(fs_rules_disjoint(&a, &b));
	b.tcp_flags.v[0].value = 0x10;
	assert_false(fs_rules_disjoint(&a, &b));
}

/* Words GoBGP cannot read are refused rather than sent. */
static void
test_rule_text_limits(void **state)
{
	struct fs_rule r;
	char text[256];

	(void)state;
	rule4(&r, "192.0.2.1/32");
	num(&r.tcp_flags, FS_BM_MATCH, 0x100);
	assert_int_equal(fs_rule_text(&r, text, sizeof(text)), -EINVAL);
	rule4(&r, "192.0.2.1/32");
	num(&r.frag, 0, 0);
	assert_int_equal(fs_rule_text(&r, text, sizeof(text)), -EINVAL);
	rule4(&r, "192.0.2.1/32");
	num(&r.frag, FS_BM_MATCH, 0x02);
	num(&r.frag, FS_OP_AND | FS_BM_NOT, 0x04);
	assert_int_equal(fs_rule_text(&r, text, sizeof(text)), 0);
	assert_string_equal(text, "destination 192.0.2.1/32 fragment "
	    "=is-fragment&!first-fragment");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acl_offload_examples),
		cmocka_unit_test(test_acl_components),
		cmocka_unit_test(test_acl_accept),
		cmocka_unit_test(test_acl_refused),
		cmocka_unit_test(test_acl_many),
		cmocka_unit_test(test_rule_order),
		cmocka_unit_test(test_rule_disjoint),
		cmocka_unit_test(test_rule_text_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
