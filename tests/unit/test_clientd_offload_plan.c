/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The offload planner of dotscd (offload_plan.c, offload_build.c): each
 * branch of the offload draft's matrix chosen from a synthetic DMS
 * report, the request it makes, and the bytes that request takes on the
 * wire against the path MTU, at the limit and one reflector past it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dots/cbor.h>
#include <dots/error.h>
#include <dots/validate.h>

#include "ctl_args.h"
#include "offload_plan.h"

/* A report built flow by flow. */
struct rep {
	struct offload_report	r;
	struct offload_flow	f[OFFLOAD_FLOWS_MAX];
};

static struct rep *
rep_new(void)
{
	struct rep *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->r.flows = p->f;
	p->r.util = 9500;
	return p;
}

static void
pfx(const char *s, struct dots_prefix *p)
{
	if (s == NULL) {
		memset(p, 0, sizeof(*p));
		return;
	}
	assert_int_equal(dots_prefix_parse(s, p, NULL), DOTS_OK);
}

/* sport/dport -1: none. */
static void
add(struct rep *p, const char *src, int sport, const char *dst, int dport,
    unsigned proto, uint64_t bps)
{
	struct offload_flow *f = &p->f[p->r.n_flows++];

	pfx(src, &f->src);
	pfx(dst, &f->dst);
	f->has_sport = sport >= 0;
	f->sport = (uint16_t)(sport >= 0 ? sport : 0);
	f->has_dport = dport >= 0;
	f->dport = (uint16_t)(dport >= 0 ? dport : 0);
	f->proto = (uint8_t)proto;
	f->bps = bps;
}

/* Reflectors 10.0.0.1, 10.0.0.2, ... from DNS towards 192.0.2.2. */
static void
add_reflectors(struct rep *p, size_t n)
{
	size_t i, end = p->r.n_flows + n;
	char src[32];

	for (i = p->r.n_flows; i < end; i++) {
		snprintf(src, sizeof(src), "10.%zu.%zu.%zu/32", i / 65536 % 256,
		    i / 256 % 256, i % 256 + 1);
		add(p, src, i % 2 ? 123 : 53, "192.0.2.2/32", 40000 +
		    (int)i, 17, 1000000);
	}
}

static struct offload_policy
pol(enum offload_link link)
{
	struct offload_policy p = {
		.link = link,
		.few_reflectors = 16,
		.path_mtu = 1280,
		.datagram_max = 0,
		.lifetime = 3600,
		.acl_name = "dms-offload",
	};

	return p;
}

static const struct dots_scope *
scope(const struct offload_plan *pl)
{
	assert_non_null(pl->sig);
	assert_int_equal(pl->sig->mitigation.n_scope, 1);
	return &pl->sig->mitigation.scope[0];
}

/*
 * The request encodes to the bytes the plan says, decodes back to
 * itself, passes the checks of a mitigation request, and its JSON is
 * what dotscd's `mitigate` accepts.
 */
static void
check_request(const struct offload_plan *pl)
{
	uint8_t buf[DOTS_CBOR_MAX_BODY];
	struct dots_signal *back = NULL;
	struct dots_diag diag;
	struct ctl_err e;
	size_t len = 0;
	json_t *js;

	assert_int_equal(dots_cbor_encode_signal(pl->sig, buf, sizeof(buf),
	    &len), DOTS_OK);
	assert_int_equal(len, pl->body_len);
	assert_int_equal(pl->wire_len, len + offload_wire_overhead());
	assert_int_equal(dots_cbor_decode_signal(buf, len, &back, &diag),
	    DOTS_OK);
	assert_true(dots_signal_equal(back, pl->sig));
	dots_signal_free(back);
	if (dots_validate_signal(pl->sig, DOTS_ROLE_MITIGATION_REQUEST,
	    &diag) != DOTS_OK)
		fail_msg("%s: %s", diag.error.path, diag.error.msg);
	js = offload_scope_json(pl->sig);
	assert_non_null(js);
	assert_null(json_object_get(js, "mid"));
	assert_int_equal(ctl_scope_build(js, 7, NULL, &e), 0);
	json_decref(js);
}

static void
test_overhead(void **state)
{
	struct offload_policy p = pol(OFFLOAD_LINK_IN_BAND);

	(void)state;
	/* IPv6 40 + UDP 8 + DTLS 37 + CoAP 89 */
	assert_int_equal(offload_wire_overhead(), 174);
	assert_int_equal(offload_wire_limit(&p), 1280);
	p.datagram_max = OFFLOAD_DATAGRAM_MAX;
	assert_int_equal(offload_wire_limit(&p), 1200);
	p.path_mtu = 576;
	assert_int_equal(offload_wire_limit(&p), 576);
}

/* Out-of-band: the data channel, with every flow's 5-tuple. */
static void
test_out_of_band(void **state)
{
	struct offload_policy p = pol(OFFLOAD_LINK_OUT_OF_BAND);
	struct rep *r = rep_new();
	struct offload_plan *pl;
	json_t *acl, *ace, *m;

	(void)state;
	add(r, "203.0.113.2/32", 53, "192.0.2.2/32", 40000, 17, 100);
	add(r, "203.0.113.3/32", 53, "192.0.2.2/32", 40001, 17, 100);
	add(r, "2001:db8::5/128", 1234, "2001:db8:1::2/128", 443, 6, 10);
	pl = offload_plan_make(&r->r, &p);
	assert_non_null(pl);
	assert_int_equal(pl->branch, OFFLOAD_DC_ACL);
	assert_true(pl->reflection);
	assert_null(pl->sig);
	assert_int_equal(pl->n_covered, 3);
	acl = json_object_get(json_object_get(pl->acls,
	    "ietf-dots-data-channel:acls"), "acl");
	assert_int_equal(json_array_size(acl), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(acl, 0), "name")), "dms-offload-ipv4");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(acl, 0), "activation-type")), "immediate");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(acl, 1), "name")), "dms-offload-ipv6");
	ace = json_array_get(json_object_get(json_object_get(
	    json_array_get(acl, 0), "aces"), "ace"), 1);
	m = json_object_get(ace, "matches");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(m, "ipv4"), "source-ipv4-network")),
	    "203.0.113.3/32");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(m, "ipv4"), "destination-ipv4-network")),
	    "192.0.2.2/32");
	assert_int_equal(json_integer_value(json_object_get(
	    json_object_get(m, "ipv4"), "protocol")), 17);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_object_get(m, "udp"), "source-port-range-or-operator"),
	    "port")), 53);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_object_get(m, "udp"), "destination-port-range-or-operator"),
	    "port")), 40001);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(ace, "actions"), "forwarding")),
	    "ietf-access-control-list:drop");
	ace = json_array_get(json_object_get(json_object_get(
	    json_array_get(acl, 1), "aces"), "ace"), 0);
	assert_non_null(json_object_get(json_object_get(json_object_get(ace,
	    "matches"), "tcp"), "destination-port-range-or-operator"));
	offload_plan_free(pl);
	free(r);
}

/* In-band, not reflection: destinations, their ports, protocols. */
static void
test_in_band_flood(void **state)
{
	struct offload_policy p = pol(OFFLOAD_LINK_IN_BAND);
	struct rep *r = rep_new();
	struct offload_plan *pl;
	const struct dots_scope *s;

	(void)state;
	add(r, "198.51.100.7/32", 50123, "192.0.2.2/32", 80, 6, 500);
	add(r, "198.51.100.8/32", 50124, "192.0.2.2/32", 443, 6, 500);
	add(r, "198.51.100.9/32", 50125, "192.0.2.2/32", 81, 6, 500);
	add(r, NULL, -1, "192.0.2.3/32", 443, 6, 500);
	pl = offload_plan_make(&r->r, &p);
	assert_non_null(pl);
	assert_int_equal(pl->branch, OFFLOAD_SIG_DST);
	assert_false(pl->reflection);
	s = scope(pl);
	assert_int_equal(s->target.n_prefix, 2);
	assert_int_equal(s->target.n_port_range, 2);	/* 80-81, 443 */
	assert_int_equal(s->target.port_range[0].lower_port, 80);
	assert_int_equal(s->target.port_range[0].upper_port, 81);
	assert_int_equal(s->target.port_range[1].lower_port, 443);
	assert_int_equal(s->target.n_protocol, 1);
	assert_int_equal(s->target.protocol[0], 6);
	assert_int_equal(s->n_source_prefix, 0);
	assert_int_equal(s->n_source_port_range, 0);
	assert_true(pl->wire_len <= 1280);
	check_request(pl);
	offload_plan_free(pl);

	/* a flow without a destination port: none in the request */
	add(r, "198.51.100.10/32", -1, "192.0.2.2/32", -1, 1, 500);
	pl = offload_plan_make(&r->r, &p);
	assert_int_equal(pl->branch, OFFLOAD_SIG_DST);
	assert_int_equal(scope(pl)->target.n_port_range, 0);
	assert_int_equal(scope(pl)->target.n_protocol, 2);
	check_request(pl);
	offload_plan_free(pl);
	free(r);
}

/* DNS from one resolver only, or a minority of the traffic: no
 * reflection. */
static void
test_not_reflection(void **state)
{
	struct offload_policy p = pol(OFFLOAD_LINK_IN_BAND);
	struct rep *r = rep_new();
	struct offload_plan *pl;

	(void)state;
	add(r, "203.0.113.2/32", 53, "192.0.2.2/32", 40000, 17, 1000);
	add(r, "203.0.113.2/32", 53, "192.0.2.2/32", 40001, 17, 1000);
	pl = offload_plan_make(&r->r, &p);
	assert_false(pl->reflection);
	assert_int_equal(pl->branch, OFFLOAD_SIG_DST);
	offload_plan_free(pl);

	add(r, "203.0.113.3/32", 53, "192.0.2.2/32", 40002, 17, 1000);
	pl = offload_plan_make(&r->r, &p);
	assert_true(pl->reflection);
	offload_plan_free(pl);

	/* a TCP flood of more bytes than the DNS */
	add(r, "198.51.100.1/32", 1000, "192.0.2.2/32", 80, 6, 4000);
	pl = offload_plan_make(&r->r, &p);
	assert_false(pl->reflection);
	assert_int_equal(pl->branch, OFFLOAD_SIG_DST);
	offload_plan_free(pl);

	/* DNS to TCP: no amplification, whatever the port */
	memset(r->f, 0, sizeof(r->f));
	r->r.n_flows = 0;
	add(r, "203.0.113.2/32", 53, "192.0.2.2/32", 40000, 6, 1000);
	add(r, "203.0.113.3/32", 53, "192.0.2.2/32", 40001, 6, 1000);
	pl = offload_plan_make(&r->r, &p);
	assert_false(pl->reflection);
	offload_plan_free(pl);
	free(r);
}

/* In-band reflection, few reflectors: RFC 9066 source-prefix. */
static void
test_in_band_few(void **state)
{
	struct offload_policy p = pol(OFFLOAD_LINK_IN_BAND);
	struct rep *r = rep_new();
	struct offload_plan *pl;
	const struct dots_scope *s;

	(void)state;
	add(r, "203.0.113.2/32", 53, "192.0.2.2/32", 40000, 17, 1000);
	add(r, "203.0.113.3/32", 123, "192.0.2.2/32", 40001, 17, 1000);
	add(r, "203.0.113.3/32", 123, "192.0.2.2/32", 40002, 17, 1000);
	add(r, "198.51.100.1/32", 999, "192.0.2.2/32", 80, 6, 10);
	pl = offload_plan_make(&r->r, &p);
	assert_non_null(pl);
	assert_true(pl->reflection);
	assert_int_equal(pl->branch, OFFLOAD_SIG_SRC_PREFIX);
	assert_int_equal(pl->n_reflectors, 2);
	assert_int_equal(pl->n_covered, 3);
	assert_non_null(strstr(pl->reason, "1 other flows left to the DMS"));
	s = scope(pl);
	assert_int_equal(s->n_source_prefix, 2);
	assert_int_equal(s->n_source_port_range, 2);
	assert_int_equal(s->source_port_range[0].lower_port, 53);
	assert_int_equal(s->source_port_range[1].lower_port, 123);
	assert_int_equal(s->target.n_prefix, 1);
	assert_int_equal(s->target.n_port_range, 0);
	assert_int_equal(s->target.n_protocol, 1);
	assert_int_equal(s->target.protocol[0], 17);
	assert_true(pl->wire_len <= 1280);
	check_request(pl);
	offload_plan_free(pl);
	free(r);
}

/* More than few-reflectors: source ports only. */
static void
test_in_band_many(void **state)
{
	struct offload_policy p = pol(OFFLOAD_LINK_IN_BAND);
	struct rep *r = rep_new();
	struct offload_plan *pl;
	const struct dots_scope *s;

	(void)state;
	add_reflectors(r, 16);
	pl = offload_plan_make(&r->r, &p);
	assert_int_equal(pl->branch, OFFLOAD_SIG_SRC_PREFIX);
	offload_plan_free(pl);
	add_reflectors(r, 1);
	pl = offload_plan_make(&r->r, &p);
	assert_int_equal(pl->branch, OFFLOAD_SIG_SRC_PORT);
	assert_int_equal(pl->n_reflectors, 17);
	assert_non_null(strstr(pl->reason, "more than few-reflectors 16"));
	s = scope(pl);
	assert_int_equal(s->n_source_prefix, 0);
	assert_int_equal(s->n_source_port_range, 2);
	assert_int_equal(s->target.n_port_range, 0);
	check_request(pl);
	offload_plan_free(pl);
	free(r);
}

/* The largest number of reflectors whose request fits the MTU. */
static size_t
most_that_fit(struct offload_policy *p, size_t *wire)
{
	struct offload_plan *pl;
	struct rep *r = rep_new();
	size_t n;

	for (n = 1; n < 400; n++) {
		memset(r->f, 0, sizeof(r->f));
		r->r.n_flows = 0;
		add_reflectors(r, n + 1);
		pl = offload_plan_make(&r->r, p);
		assert_non_null(pl);
		if (pl->branch != OFFLOAD_SIG_SRC_PREFIX) {
			offload_plan_free(pl);
			break;
		}
		*wire = pl->wire_len;
		offload_plan_free(pl);
	}
	free(r);
	return n;
}

/*
 * Few reflectors bounded by the bytes: at the limit exactly, and one
 * byte (or one reflector) past it, source ports only.
 */
static void
test_mtu_boundary(void **state)
{
	struct offload_policy p = pol(OFFLOAD_LINK_IN_BAND);
	struct offload_plan *pl;
	struct rep *r = rep_new();
	size_t n, wire = 0;

	(void)state;
	p.few_reflectors = 100000;
	n = most_that_fit(&p, &wire);
	assert_true(n > 16 && n < 400);
	assert_true(wire <= 1280);
	print_message("%zu reflectors fit in %zu bytes of 1280\n", n, wire);

	/* n reflectors: the source-prefix request, within 1280 */
	add_reflectors(r, n);
	pl = offload_plan_make(&r->r, &p);
	assert_int_equal(pl->branch, OFFLOAD_SIG_SRC_PREFIX);
	assert_int_equal(pl->wire_len, wire);
	assert_int_equal(pl->n_reflectors, n);
	check_request(pl);
	offload_plan_free(pl);

	/* a path MTU of exactly that: still fits */
	p.path_mtu = (uint32_t)wire;
	pl = offload_plan_make(&r->r, &p);
	assert_int_equal(pl->branch, OFFLOAD_SIG_SRC_PREFIX);
	assert_int_equal(pl->wire_len, p.path_mtu);
	offload_plan_free(pl);

	/* one byte less: source ports only, and why */
	p.path_mtu = (uint32_t)wire - 1;
	pl = offload_plan_make(&r->r, &p);
	assert_int_equal(pl->branch, OFFLOAD_SIG_SRC_PORT);
	assert_non_null(strstr(pl->reason, "cannot send Q-Block"));
	assert_true(pl->wire_len <= p.path_mtu);
	check_request(pl);
	offload_plan_free(pl);

	/* one reflector more at 1280: over it, so source ports only */
	p.path_mtu = 1280;
	add_reflectors(r, 1);
	pl = offload_plan_make(&r->r, &p);
	assert_int_equal(pl->branch, OFFLOAD_SIG_SRC_PORT);
	assert_true(pl->wire_len <= 1280);
	offload_plan_free(pl);

	/* ... unless the client can send Q-Block */
	p.qblock = true;
	pl = offload_plan_make(&r->r, &p);
	assert_int_equal(pl->branch, OFFLOAD_SIG_SRC_PREFIX);
	assert_true(pl->qblock);
	assert_true(pl->wire_len > 1280);
	offload_plan_free(pl);

	/* libcoap's datagram bounds it further */
	p.qblock = false;
	p.datagram_max = OFFLOAD_DATAGRAM_MAX;
	pl = offload_plan_make(&r->r, &p);
	assert_int_equal(pl->branch, OFFLOAD_SIG_SRC_PORT);
	offload_plan_free(pl);
	free(r);
}

/* Peace-time ACLs (RFC 9133): acl-list where configured. */
static void
test_acl_list(void **state)
{
	struct offload_policy p = pol(OFFLOAD_LINK_IN_BAND);
	struct rep *r = rep_new();
	struct offload_plan *pl;
	const struct dots_scope *s;

	(void)state;
	p.acl_reflection = "dns-ntp-amp";
	p.acl_flood = "web-flood";
	add_reflectors(r, 40);
	pl = offload_plan_make(&r->r, &p);
	assert_int_equal(pl->branch, OFFLOAD_SIG_ACL_LIST);
	s = scope(pl);
	assert_int_equal(s->n_acl_list, 1);
	assert_string_equal(s->acl_list[0].acl_name, "dns-ntp-amp");
	assert_int_equal(s->acl_list[0].activation_type,
	    DOTS_ACTIVATION_IMMEDIATE);
	assert_int_equal(s->n_source_port_range, 0);
	assert_int_equal(s->target.protocol[0], 17);
	check_request(pl);
	offload_plan_free(pl);

	/* few reflectors: the sources themselves are still preferred */
	memset(r->f, 0, sizeof(r->f));
	r->r.n_flows = 0;
	add_reflectors(r, 3);
	pl = offload_plan_make(&r->r, &p);
	assert_int_equal(pl->branch, OFFLOAD_SIG_SRC_PREFIX);
	offload_plan_free(pl);

	memset(r->f, 0, sizeof(r->f));
	r->r.n_flows = 0;
	add(r, "198.51.100.7/32", 50123, "192.0.2.2/32", 80, 6, 500);
	pl = offload_plan_make(&r->r, &p);
	assert_int_equal(pl->branch, OFFLOAD_SIG_ACL_LIST);
	assert_string_equal(scope(pl)->acl_list[0].acl_name, "web-flood");
	assert_int_equal(scope(pl)->target.n_port_range, 0);
	check_request(pl);
	offload_plan_free(pl);
	free(r);
}

/* Many destination ports that do not fit: left out, and said so. */
static void
test_too_many_ports(void **state)
{
	struct offload_policy p = pol(OFFLOAD_LINK_IN_BAND);
	struct rep *r = rep_new();
	struct offload_plan *pl;
	int i;

	(void)state;
	for (i = 0; i < 600; i++)
		add(r, NULL, -1, "192.0.2.2/32", 2 * i, 6, 10);
	pl = offload_plan_make(&r->r, &p);
	assert_int_equal(pl->branch, OFFLOAD_SIG_DST);
	assert_int_equal(scope(pl)->target.n_port_range, 0);
	assert_non_null(strstr(pl->reason, "destination ports left out"));
	check_request(pl);
	offload_plan_free(pl);
	free(r);
}

static void
test_empty(void **state)
{
	struct offload_policy p = pol(OFFLOAD_LINK_IN_BAND);
	struct rep *r = rep_new();
	struct offload_plan *pl;

	(void)state;
	pl = offload_plan_make(&r->r, &p);
	assert_int_equal(pl->branch, OFFLOAD_NONE);
	assert_null(pl->sig);
	assert_non_null(strstr(pl->reason, "no flows"));
	offload_plan_free(pl);
	free(r);
}

static void
test_hysteresis(void **state)
{
	struct offload_hyst h;

	(void)state;
	offload_hyst_init(&h, 8000, 5000, 60);
	assert_int_equal(offload_hyst_report(&h, 7999, 0), OFFLOAD_STEP_NONE);
	assert_int_equal(offload_hyst_tick(&h, 1), OFFLOAD_STEP_NONE);
	assert_int_equal(offload_hyst_report(&h, 8000, 2),
	    OFFLOAD_STEP_START);
	assert_int_equal(offload_hyst_report(&h, 6000, 3),
	    OFFLOAD_STEP_UPDATE);
	assert_int_equal(offload_hyst_report(&h, 4999, 10), OFFLOAD_STEP_CALM);
	assert_int_equal(offload_hyst_tick(&h, 69), OFFLOAD_STEP_CALM);
	/* back above the lower mark: the hold starts again */
	assert_int_equal(offload_hyst_report(&h, 5000, 69),
	    OFFLOAD_STEP_UPDATE);
	assert_int_equal(offload_hyst_tick(&h, 200), OFFLOAD_STEP_NONE);
	assert_int_equal(offload_hyst_report(&h, 100, 200), OFFLOAD_STEP_CALM);
	assert_int_equal(offload_hyst_report(&h, 100, 259), OFFLOAD_STEP_CALM);
	assert_int_equal(offload_hyst_tick(&h, 260), OFFLOAD_STEP_STOP);
	assert_int_equal(offload_hyst_tick(&h, 261), OFFLOAD_STEP_NONE);
	assert_int_equal(offload_hyst_report(&h, 4000, 262),
	    OFFLOAD_STEP_NONE);
	/* hold 0: the first report below withdraws */
	offload_hyst_init(&h, 8000, 5000, 0);
	assert_int_equal(offload_hyst_report(&h, 9000, 0),
	    OFFLOAD_STEP_START);
	assert_int_equal(offload_hyst_report(&h, 0, 1), OFFLOAD_STEP_STOP);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overhead),
		cmocka_unit_test(test_out_of_band),
		cmocka_unit_test(test_in_band_flood),
		cmocka_unit_test(test_not_reflection),
		cmocka_unit_test(test_in_band_few),
		cmocka_unit_test(test_in_band_many),
		cmocka_unit_test(test_mtu_boundary),
		cmocka_unit_test(test_acl_list),
		cmocka_unit_test(test_too_many_ports),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_hysteresis),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
