/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Reading a filtering ACL of the data channel into plain C
 * (src/backend/be_acl.c): the offload scenario's ACLs as the draft wrote
 * them, the canonical form the data channel stores (RFC 7951, module
 * prefixes), every match field the structure holds, and a refusal naming
 * the ACE and the field for each thing it cannot hold.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "be_acl.h"

#define ACL_MOD	"ietf-access-control-list:"

/* The offload scenario's DNS/NTP reflection ACL, as its draft writes it. */
static const char offload_src_port[] =
    "{\"name\":\"DMS_Offload_scenario_ACL\",\"type\":\"ipv4-acl-type\","
    "\"activation-type\":\"activate-when-mitigating\",\"aces\":{\"ace\":["
    "{\"name\":\"DMS_Offload_scenario_ACL_DNS_amp\",\"matches\":{\"ipv4\":"
    "{\"destination-ipv4-network\":\"192.0.2.2/32\",\"protocol\":17},"
    "\"udp\":{\"source-port\":{\"operator\":\"eq\",\"port\":53}}},"
    "\"actions\":{\"forwarding\":\"drop\"}},"
    "{\"name\":\"DMS_Offload_scenario_ACL_NTP_amp\",\"matches\":{\"ipv4\":"
    "{\"destination-ipv4-network\":\"192.0.2.2/32\",\"protocol\":17},"
    "\"udp\":{\"source-port\":{\"operator\":\"eq\",\"port\":123}}},"
    "\"actions\":{\"forwarding\":\"drop\"}}]}}";

static void
test_acl_offload(void **state)
{
	struct be_acl acl;
	char err[200];

	(void)state;
	assert_int_equal(be_acl_parse(offload_src_port, &acl, err,
	    sizeof(err)), 0);
	assert_string_equal(acl.name, "DMS_Offload_scenario_ACL");
	assert_int_equal(acl.family, DOTS_AF_INET4);
	assert_int_equal(acl.n_ace, 2);
	assert_string_equal(acl.ace[0].name,
	    "DMS_Offload_scenario_ACL_DNS_amp");
	assert_int_equal(acl.ace[0].family, DOTS_AF_INET4);
	assert_true(acl.ace[0].has_dst);
	assert_int_equal(acl.ace[0].dst.length, 32);
	assert_false(acl.ace[0].has_src);
	assert_true(acl.ace[0].has_proto);
	assert_int_equal(acl.ace[0].proto, 17);
	assert_int_equal(acl.ace[0].l4, BE_ACL_L4_UDP);
	assert_int_equal(acl.ace[0].sport.op, BE_ACL_PORT_EQ);
	assert_int_equal(acl.ace[0].sport.lower, 53);
	assert_int_equal(acl.ace[0].dport.op, BE_ACL_PORT_NONE);
	assert_int_equal(acl.ace[0].fwd, BE_ACL_DROP);
	assert_int_equal(acl.ace[1].sport.lower, 123);
	be_acl_free(&acl);
	assert_null(acl.ace);
}

/* The canonical form, with every field the structure holds. */
static void
test_acl_canonical(void **state)
{
	static const char json[] =
	    "{\"name\":\"all\",\"type\":\"" ACL_MOD "ipv4-acl-type\","
	    "\"activation-type\":\"immediate\",\"aces\":{\"ace\":["
	    "{\"name\":\"t\",\"matches\":{\"ipv4\":{"
	    "\"destination-ipv4-network\":\"192.0.2.0/24\","
	    "\"source-ipv4-network\":\"198.51.100.0/24\",\"dscp\":46,"
	    "\"length\":1500,\"ietf-dots-data-channel:fragment\":"
	    "{\"operator\":\"not any\",\"type\":\"isf ff\"}},"
	    "\"tcp\":{\"flags-bitmask\":{\"bitmask\":2},"
	    "\"source-port-range-or-operator\":{\"lower-port\":1024,"
	    "\"upper-port\":2048},\"destination-port-range-or-operator\":"
	    "{\"operator\":\"neq\",\"port\":22}}},\"actions\":{\"forwarding\":"
	    "\"" ACL_MOD "accept\",\"rate-limit\":\"20.5\"},"
	    "\"statistics\":{\"matched-packets\":\"0\"}},"
	    "{\"name\":\"i\",\"matches\":{\"ipv4\":{"
	    "\"destination-ipv4-network\":\"192.0.2.1/32\"},\"icmp\":{"
	    "\"type\":3,\"code\":4}},\"actions\":{\"forwarding\":\"" ACL_MOD
	    "drop\"}}]}}";
	static const char json6[] =
	    "{\"name\":\"six\",\"type\":\"" ACL_MOD "ipv6-acl-type\","
	    "\"aces\":{\"ace\":[{\"name\":\"l\",\"matches\":{\"ipv6\":{"
	    "\"destination-ipv6-network\":\"2001:db8::/64\",\"flow-label\":"
	    "1048575,\"length\":100,\"fragment\":{\"type\":\"lf\"}},"
	    "\"udp\":{\"destination-port-range-or-operator\":{\"port\":53}}},"
	    "\"actions\":{\"forwarding\":\"" ACL_MOD "accept\","
	    "\"rate-limit\":\"7\"}}]}}";
	const struct be_acl_ace *a;
	struct be_acl acl;
	char err[200];

	(void)state;
	if (be_acl_parse(json, &acl, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
	assert_int_equal(acl.n_ace, 2);
	a = &acl.ace[0];
	assert_true(a->has_src);
	assert_int_equal(a->src.length, 24);
	assert_true(a->has_dscp);
	assert_int_equal(a->dscp, 46);
	assert_int_equal(a->length, 1500);
	assert_int_equal(a->fragment.op, BE_ACL_OP_NOT | BE_ACL_OP_ANY);
	assert_int_equal(a->fragment.value, BE_ACL_FRAG_ISF | BE_ACL_FRAG_FF);
	assert_int_equal(a->l4, BE_ACL_L4_TCP);
	assert_int_equal(a->tcp_flags.op, BE_ACL_OP_MATCH);
	assert_int_equal(a->tcp_flags.value, 2);
	assert_int_equal(a->sport.op, BE_ACL_PORT_RANGE);
	assert_int_equal(a->sport.lower, 1024);
	assert_int_equal(a->sport.upper, 2048);
	assert_int_equal(a->dport.op, BE_ACL_PORT_NEQ);
	assert_int_equal(a->dport.lower, 22);
	assert_int_equal(a->fwd, BE_ACL_RATE);
	assert_int_equal(a->rate_centi, 2050);
	a = &acl.ace[1];
	assert_int_equal(a->l4, BE_ACL_L4_ICMP);
	assert_true(a->has_icmp_type && a->has_icmp_code);
	assert_int_equal(a->icmp_type, 3);
	assert_int_equal(a->icmp_code, 4);
	assert_int_equal(a->fwd, BE_ACL_DROP);
	be_acl_free(&acl);

	if (be_acl_parse(json6, &acl, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
	a = &acl.ace[0];
	assert_int_equal(acl.family, DOTS_AF_INET6);
	assert_int_equal(a->family, DOTS_AF_INET6);
	assert_true(a->has_flow_label);
	assert_int_equal(a->flow_label, 0xfffff);
	assert_int_equal(a->fragment.op, BE_ACL_OP_MATCH);
	assert_int_equal(a->fragment.value, BE_ACL_FRAG_LF);
	assert_int_equal(a->dport.op, BE_ACL_PORT_EQ);
	assert_int_equal(a->dport.lower, 53);
	assert_int_equal(a->rate_centi, 700);
	be_acl_free(&acl);
}

/* Empty clauses match every packet: nothing is kept of them. */
static void
test_acl_empty_clauses(void **state)
{
	static const char json[] =
	    "{\"name\":\"e\",\"aces\":{\"ace\":[{\"name\":\"a\",\"matches\":"
	    "{\"ipv4\":{\"destination-ipv4-network\":\"192.0.2.1/32\","
	    "\"fragment\":{}},\"tcp\":{\"flags-bitmask\":{\"operator\":"
	    "\"match\",\"bitmask\":0}}},\"actions\":{\"forwarding\":\"drop\"}},"
	    "{\"name\":\"b\",\"actions\":{\"forwarding\":\"drop\"}}]}}";
	struct be_acl acl;
	char err[200];

	(void)state;
	if (be_acl_parse(json, &acl, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
	assert_int_equal(acl.family, 0);
	assert_int_equal(acl.ace[0].fragment.op, 0);
	assert_int_equal(acl.ace[0].tcp_flags.op, 0);
	assert_int_equal(acl.ace[1].family, 0);
	assert_false(acl.ace[1].has_dst);
	be_acl_free(&acl);

	assert_int_equal(be_acl_parse("{\"name\":\"n\"}", &acl, err,
	    sizeof(err)), 0);
	assert_int_equal(acl.n_ace, 0);
	be_acl_free(&acl);
}

#define ACE_HEAD "{\"name\":\"x\",\"type\":\"ipv4-acl-type\",\"aces\":" \
	"{\"ace\":[{\"name\":\"e1\","
#define M4(s)	"\"matches\":{\"ipv4\":{\"destination-ipv4-network\":" \
	"\"192.0.2.1/32\"" s "}"
#define DROP	"\"actions\":{\"forwarding\":\"drop\"}"
#define TAIL	"}]}}"

/* @p json is refused, and the sentence holds @p part. */
static void
expect_refused(const char *json, const char *part)
{
	struct be_acl acl;
	char err[200];
	int ret;

	ret = be_acl_parse(json, &acl, err, sizeof(err));
	if (ret != -EINVAL)
		fail_msg("accepted, want refused (%s): %s", part, json);
	if (strstr(err, part) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, part);
	assert_null(acl.ace);
}

static void
test_acl_refused(void **state)
{
	(void)state;
	expect_refused("not json", "the ACL is not JSON");
	expect_refused("[1]", "not a JSON object");
	expect_refused("{\"type\":\"ipv4-acl-type\"}", "has no name");
	expect_refused("{\"name\":\"x\",\"type\":\"eth-acl-type\"}",
	    "not an IPv4 or IPv6 ACL type");
	expect_refused(ACE_HEAD M4(",\"ttl\":3") "}," DROP TAIL,
	    "ace \"e1\": ipv4 ttl is not supported");
	expect_refused(ACE_HEAD M4(",\"ecn\":1") "}," DROP TAIL,
	    "ace \"e1\": ipv4 ecn is not supported");
	expect_refused(ACE_HEAD M4("") ",\"udp\":{\"length\":8}}," DROP TAIL,
	    "ace \"e1\": udp length is not supported");
	expect_refused(ACE_HEAD M4("") ",\"tcp\":{\"flags\":\"syn\"}}," DROP
	    TAIL, "ace \"e1\": tcp flags is not supported");
	expect_refused(ACE_HEAD M4("") ",\"icmp\":{\"rest-of-header\":"
	    "\"AA==\"}}," DROP TAIL, "icmp rest-of-header is not supported");
	expect_refused(ACE_HEAD M4("") ",\"eth\":{}}," DROP TAIL,
	    "matches eth is not supported");
	expect_refused(ACE_HEAD M4("") "},\"actions\":{\"forwarding\":"
	    "\"reject\"}" TAIL, "forwarding reject is not supported");
	expect_refused(ACE_HEAD M4("") "},\"actions\":{\"forwarding\":"
	    "\"drop\",\"rate-limit\":\"1.00\"}" TAIL,
	    "rate-limit goes with forwarding accept only");
	expect_refused(ACE_HEAD M4("") "},\"actions\":{\"forwarding\":"
	    "\"accept\",\"rate-limit\":\"1.234\"}" TAIL,
	    "at most 2 fraction digits");
	expect_refused(ACE_HEAD M4("") "},\"actions\":{\"forwarding\":"
	    "\"accept\",\"rate-limit\":\"-1\"}" TAIL, "rate-limit");
	expect_refused(ACE_HEAD M4("") "},\"actions\":{\"forwarding\":"
	    "\"accept\",\"rate-limit\":\"1.\"}" TAIL, "rate-limit");
	expect_refused(ACE_HEAD M4("") "}" TAIL, "actions is missing");
	expect_refused(ACE_HEAD M4("") ",\"udp\":{\"source-port-range-or-"
	    "operator\":{\"lower-port\":9,\"upper-port\":8}}}," DROP TAIL,
	    "upper-port 8 is below lower-port 9");
	expect_refused(ACE_HEAD M4("") ",\"udp\":{\"source-port-range-or-"
	    "operator\":{\"lower-port\":9,\"port\":8}}}," DROP TAIL,
	    "both a range and an operator");
	expect_refused(ACE_HEAD M4("") ",\"udp\":{\"source-port-range-or-"
	    "operator\":{\"operator\":\"lt\",\"port\":8}}}," DROP TAIL,
	    "operator is eq, lte, gte or neq");
	expect_refused(ACE_HEAD M4("") ",\"udp\":{\"source-port\":"
	    "{\"port\":70000}}}," DROP TAIL, "out of range");
	expect_refused(ACE_HEAD M4(",\"fragment\":{\"operator\":\"match any\","
	    "\"type\":\"isf\"}") "}," DROP TAIL, "both match and any");
	expect_refused(ACE_HEAD M4(",\"fragment\":{\"operator\":\"not\","
	    "\"type\":\"isf\"}") "}," DROP TAIL, "needs match or any");
	expect_refused(ACE_HEAD M4(",\"fragment\":{\"type\":\"xf\"}") "},"
	    DROP TAIL, "unknown bit \"xf\"");
	expect_refused(ACE_HEAD M4(",\"fragment\":{\"operator\":\"any\"}")
	    "}," DROP TAIL, "matches no packet");
	expect_refused(ACE_HEAD "\"matches\":{\"ipv6\":{\"destination-ipv6-"
	    "network\":\"2001:db8::/64\",\"fragment\":{\"type\":\"df\"}}},"
	    DROP TAIL, "df does not exist in IPv6");
	expect_refused(ACE_HEAD "\"matches\":{\"ipv6\":{\"destination-ipv6-"
	    "network\":\"2001:db8::/64\"}}," DROP TAIL,
	    "an ipv6 match in an IPv4 ACL");
	expect_refused(ACE_HEAD "\"matches\":{\"ipv4\":{\"destination-ipv4-"
	    "network\":\"2001:db8::/64\"}}," DROP TAIL, "is not an IPv4");
	expect_refused(ACE_HEAD "\"matches\":{\"ipv4\":{\"destination-ipv4-"
	    "network\":\"192.0.2.300/32\"}}," DROP TAIL, "is not a prefix");
	expect_refused(ACE_HEAD M4(",\"protocol\":17,"
	    "\"ietf-dots-data-channel:protocol\":6") "}," DROP TAIL,
	    "protocol is given twice");
	expect_refused(ACE_HEAD M4("") ",\"tcp\":{\"flags-bitmask\":"
	    "{\"bitmask\":4096}}}," DROP TAIL, "out of range");
	expect_refused(ACE_HEAD M4("") ",\"tcp\":{},\"udp\":{}}," DROP TAIL,
	    "more than one of tcp, udp and icmp");
	expect_refused(ACE_HEAD M4(",\"dscp\":64") "}," DROP TAIL,
	    "ipv4 dscp 64 is out of range");
	expect_refused(ACE_HEAD M4(",\"protocol\":\"17\"") "}," DROP TAIL,
	    "ipv4 protocol is not a whole number");
	expect_refused(ACE_HEAD M4("") "}," DROP "},{\"name\":\"e1\"," DROP
	    TAIL, "the name of two ACEs");
	expect_refused("{\"name\":\"x\",\"aces\":{\"ace\":[{\"matches\":{}}]}}",
	    "ace 1 has no name");
	expect_refused("{\"name\":\"x\",\"aces\":{\"ace\":{}}}",
	    "aces is not an object with an ace list");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acl_offload),
		cmocka_unit_test(test_acl_canonical),
		cmocka_unit_test(test_acl_empty_clauses),
		cmocka_unit_test(test_acl_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
