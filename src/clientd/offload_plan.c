/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The policy of mitigation offload (offload_plan.h): the draft's matrix
 * applied to one DMS report.
 *
 *	out-of-band link		data channel, every flow's 5-tuple
 *	in-band, not reflection		signal channel: dst, dst port,
 *					protocol (or the peace-time
 *					non-reflection ACL's acl-list)
 *	in-band, reflection, few	signal channel + RFC 9066
 *	reflectors			source-prefix and source-port-range
 *	in-band, reflection, many	signal channel + source-port-range
 *					only (or the peace-time reflection
 *					ACL's acl-list)
 *
 * "Few" is at most few-reflectors sources *and* a request that fits one
 * IP packet of the path MTU (offload_build.c counts the bytes): an
 * offload request goes over a link under attack, where a fragment lost
 * is the whole request lost.  Q-Block (RFC 9177) would carry more, and
 * is used only when the policy says the client can send it.
 *
 * Reflection: UDP from a well-known amplification port (offload_amp_port)
 * makes up more than half of the report's traffic (bps, else pps, else
 * flow count), and at least OFFLOAD_REFLECT_MIN_SOURCES distinct sources
 * send it towards one destination.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/error.h>

#include "offload_plan.h"

#define WIRE_IP_UDP	48	/* IPv6 + UDP, as offload_build.c counts */

static const uint16_t amp_ports[] = {
	19,	/* chargen */
	53,	/* DNS */
	111,	/* portmap */
	123,	/* NTP */
	137,	/* NetBIOS name service */
	161,	/* SNMP */
	389,	/* CLDAP */
	1900,	/* SSDP */
	3702,	/* WS-Discovery */
	5353,	/* mDNS */
	11211,	/* memcached */
};

bool
offload_amp_port(uint16_t port)
{
	size_t i;

	for (i = 0; i < sizeof(amp_ports) / sizeof(amp_ports[0]); i++)
		if (amp_ports[i] == port)
			return true;
	return false;
}

static const char *const branch_names[] = {
	[OFFLOAD_NONE] = "none",
	[OFFLOAD_DC_ACL] = "data-channel-acl",
	[OFFLOAD_SIG_DST] = "signal-dst",
	[OFFLOAD_SIG_SRC_PREFIX] = "signal-source-prefix",
	[OFFLOAD_SIG_SRC_PORT] = "signal-source-port",
	[OFFLOAD_SIG_ACL_LIST] = "signal-acl-list",
};

const char *
offload_branch_name(enum offload_branch b)
{
	return (unsigned)b < sizeof(branch_names) / sizeof(branch_names[0]) ?
	    branch_names[b] : "?";
}

size_t
offload_wire_limit(const struct offload_policy *p)
{
	size_t lim = p->path_mtu;

	if (p->datagram_max != 0 && p->datagram_max + WIRE_IP_UDP < lim)
		lim = p->datagram_max + WIRE_IP_UDP;
	return lim;
}

/* Sets of values drawn from some of the flows, sorted, without repeats. */
struct sets {
	struct dots_prefix	*dst, *src;
	size_t			 n_dst, n_src;
	struct dots_port_range	*dport, *sport;
	size_t			 n_dport, n_sport;
	uint8_t			 proto[256];
	size_t			 n_proto;
	bool			 every_dport;	/* each flow has one */
	bool			 every_src;
	size_t			 n_flows;
};

static int
prefix_cmp(const void *a, const void *b)
{
	const struct dots_prefix *x = a, *y = b;
	int c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if ((c = memcmp(x->addr, y->addr, sizeof(x->addr))) != 0)
		return c;
	return (int)x->length - (int)y->length;
}

static size_t
prefix_uniq(struct dots_prefix *v, size_t n)
{
	size_t i, k = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), prefix_cmp);
	for (i = 1; i < n; i++)
		if (prefix_cmp(&v[k], &v[i]) != 0)
			v[++k] = v[i];
	return k + 1;
}

static int
u16_cmp(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return (int)x - (int)y;
}

/* Ports into ranges: 80, 81, 82, 443 -> 80-82, 443. */
static size_t
port_ranges(uint16_t *v, size_t n, struct dots_port_range *out)
{
	size_t i, k = 0;

	qsort(v, n, sizeof(*v), u16_cmp);
	for (i = 0; i < n; i++) {
		if (k > 0 && v[i] == out[k - 1].upper_port)
			continue;	/* a repeat */
		if (k > 0 && v[i] == out[k - 1].upper_port + 1) {
			out[k - 1].upper_port = v[i];
			out[k - 1].present = DOTS_PORT_UPPER;
			continue;
		}
		out[k].present = 0;
		out[k].lower_port = out[k].upper_port = v[i];
		k++;
	}
	return k;
}

static void
sets_free(struct sets *s)
{
	free(s->dst);
	free(s->src);
	free(s->dport);
	free(s->sport);
	memset(s, 0, sizeof(*s));
}

/* The sets of the flows for which @p use is true (all if NULL). */
static int
sets_make(struct sets *s, const struct offload_report *r, const bool *use)
{
	uint16_t *dp = NULL, *sp = NULL;
	size_t i, nd = 0, ns = 0;
	bool seen[256] = { false };

	memset(s, 0, sizeof(*s));
	s->every_dport = s->every_src = true;
	if (r->n_flows == 0)
		return 0;
	if ((s->dst = calloc(r->n_flows, sizeof(*s->dst))) == NULL ||
	    (s->src = calloc(r->n_flows, sizeof(*s->src))) == NULL ||
	    (s->dport = calloc(r->n_flows, sizeof(*s->dport))) == NULL ||
	    (s->sport = calloc(r->n_flows, sizeof(*s->sport))) == NULL ||
	    (dp = calloc(r->n_flows, sizeof(*dp))) == NULL ||
	    (sp = calloc(r->n_flows, sizeof(*sp))) == NULL)
		goto fail;
	for (i = 0; i < r->n_flows; i++) {
		const struct offload_flow *f = &r->flows[i];

		if (use != NULL && !use[i])
			continue;
		s->n_flows++;
		s->dst[s->n_dst++] = f->dst;
		if (f->src.family != DOTS_AF_NONE)
			s->src[s->n_src++] = f->src;
		else
			s->every_src = false;
		if (f->has_dport)
			dp[nd++] = f->dport;
		else
			s->every_dport = false;
		if (f->has_sport)
			sp[ns++] = f->sport;
		if (!seen[f->proto]) {
			seen[f->proto] = true;
			s->proto[s->n_proto++] = f->proto;
		}
	}
	s->n_dst = prefix_uniq(s->dst, s->n_dst);
	s->n_src = prefix_uniq(s->src, s->n_src);
	s->n_dport = port_ranges(dp, nd, s->dport);
	s->n_sport = port_ranges(sp, ns, s->sport);
	free(dp);
	free(sp);
	return 0;
fail:
	free(dp);
	free(sp);
	sets_free(s);
	return -1;
}

/* Reflection */

static uint64_t
weight(const struct offload_flow *f, int unit)
{
	return unit == 0 ? f->bps : unit == 1 ? f->pps : 1;
}

/* (destination, source) pairs: two prefixes each. */
static int
pair_cmp(const void *a, const void *b)
{
	const struct dots_prefix *x = a, *y = b;
	int c = prefix_cmp(&x[0], &y[0]);

	return c != 0 ? c : prefix_cmp(&x[1], &y[1]);
}

/*
 * Whether @p r is a reflection attack (*@p refl); amp[i]: flow i is UDP
 * from an amplification port.  @return 0, or -1 on ENOMEM
 */
static int
classify(const struct offload_report *r, bool *amp, bool *reflection,
    size_t *most_sources)
{
	uint64_t all = 0, refl = 0;
	struct dots_prefix *pair;
	size_t i, n = 0, run;
	int unit = 2;

	*most_sources = 0;
	for (i = 0; i < r->n_flows; i++) {
		const struct offload_flow *f = &r->flows[i];

		amp[i] = f->proto == 17 && f->has_sport &&
		    offload_amp_port(f->sport);
		if (f->pps != 0 && unit > 1)
			unit = 1;
		if (f->bps != 0)
			unit = 0;
	}
	for (i = 0; i < r->n_flows; i++) {
		all += weight(&r->flows[i], unit);
		refl += amp[i] ? weight(&r->flows[i], unit) : 0;
	}
	/* (destination, source) pairs, two prefixes each, sorted */
	if ((pair = calloc(2 * r->n_flows + 2, sizeof(*pair))) == NULL)
		return -1;
	for (i = 0; i < r->n_flows; i++) {
		if (!amp[i] || r->flows[i].src.family == DOTS_AF_NONE)
			continue;
		pair[2 * n] = r->flows[i].dst;
		pair[2 * n + 1] = r->flows[i].src;
		n++;
	}
	qsort(pair, n, 2 * sizeof(*pair), pair_cmp);
	for (i = 0, run = 0; i < n; i++) {
		if (i == 0 || prefix_cmp(&pair[2 * i], &pair[2 * i - 2]) != 0)
			run = 1;
		else if (prefix_cmp(&pair[2 * i + 1], &pair[2 * i - 1]) != 0)
			run++;
		if (run > *most_sources)
			*most_sources = run;
	}
	free(pair);
	*reflection = refl * 2 > all &&
	    *most_sources >= OFFLOAD_REFLECT_MIN_SOURCES;
	return 0;
}

/* Plans */

static void __attribute__((format(printf, 2, 3)))
say(struct offload_plan *pl, const char *fmt, ...)
{
	size_t len = strlen(pl->reason);
	va_list ap;

	if (len + 1 >= sizeof(pl->reason))
		return;
	va_start(ap, fmt);
	vsnprintf(pl->reason + len, sizeof(pl->reason) - len, fmt, ap);
	va_end(ap);
}

/*
 * Make @p os the plan's request and measure it.
 * @return 1 if it fits one packet, 0 if not, -1 on error
 */
static int
try_scope(struct offload_plan *pl, const struct offload_policy *p,
    const struct offload_scope *os)
{
	struct dots_signal *m;
	size_t body, wire;

	if ((m = offload_scope_model(os)) == NULL)
		return -1;
	if (offload_wire_size(m, &body, &wire) != DOTS_OK) {
		dots_signal_free(m);
		return -1;
	}
	dots_signal_free(pl->sig);
	pl->sig = m;
	pl->body_len = body;
	pl->wire_len = wire;
	pl->n_targets = os->n_dst;
	return wire <= offload_wire_limit(p);
}

/* The request that was tried last, fitting or not: in one packet, in
 * Q-Block, or not at all. */
static int
settle(struct offload_plan *pl, const struct offload_policy *p, int fits,
    enum offload_branch b)
{
	if (fits < 0)
		return -1;
	if (fits) {
		pl->branch = b;
		say(pl, "; %zu bytes in one packet (limit %zu)", pl->wire_len,
		    offload_wire_limit(p));
		return 0;
	}
	if (p->qblock) {
		pl->branch = b;
		pl->qblock = true;
		say(pl, "; %zu bytes, more than one packet of %zu: sent with "
		    "Q-Block (RFC 9177)", pl->wire_len, offload_wire_limit(p));
		return 0;
	}
	pl->branch = OFFLOAD_NONE;
	dots_signal_free(pl->sig);
	pl->sig = NULL;
	say(pl, "; %zu bytes, more than one packet of %zu, and the client "
	    "cannot send Q-Block (RFC 9177): nothing sent", pl->wire_len,
	    offload_wire_limit(p));
	return 0;
}

static int
plan_out_of_band(struct offload_plan *pl, const struct offload_report *r,
    const struct offload_policy *p)
{
	pl->acls = offload_acls_json(r->flows, r->n_flows, p->acl_name);
	if (pl->acls == NULL)
		return -1;
	pl->branch = OFFLOAD_DC_ACL;
	pl->n_covered = r->n_flows;
	say(pl, "out-of-band link: data-channel ACL with the 5-tuples of "
	    "the %zu flows (%s attack)", r->n_flows, pl->reflection ?
	    "reflection" : "non-reflection");
	return 0;
}

static int
plan_flood(struct offload_plan *pl, const struct offload_report *r,
    const struct offload_policy *p)
{
	struct offload_scope os = { .lifetime = p->lifetime };
	struct sets s;
	int fits;

	if (sets_make(&s, r, NULL) != 0)
		return -1;
	pl->n_covered = s.n_flows;
	os.dst = s.dst;
	os.n_dst = s.n_dst;
	os.proto = s.proto;
	os.n_proto = s.n_proto;
	say(pl, "in-band link, non-reflection attack: ");
	if (p->acl_flood != NULL) {
		os.acl = p->acl_flood;
		say(pl, "signal channel activating the peace-time ACL '%s' "
		    "(acl-list, RFC 9133) for %zu destinations", p->acl_flood,
		    s.n_dst);
		fits = try_scope(pl, p, &os);
		sets_free(&s);
		return settle(pl, p, fits, OFFLOAD_SIG_ACL_LIST);
	}
	say(pl, "signal channel with %zu destinations", s.n_dst);
	if (s.every_dport) {
		os.dport = s.dport;
		os.n_dport = s.n_dport;
		say(pl, ", %zu destination port ranges", s.n_dport);
	} else
		say(pl, ", no destination port (not every flow has one)");
	say(pl, " and %zu protocols", s.n_proto);
	fits = try_scope(pl, p, &os);
	if (fits == 0 && os.n_dport > 0 && !p->qblock) {
		say(pl, "; with the ports %zu bytes, more than %zu: "
		    "destination ports left out", pl->wire_len,
		    offload_wire_limit(p));
		os.n_dport = 0;
		fits = try_scope(pl, p, &os);
	}
	sets_free(&s);
	return settle(pl, p, fits, OFFLOAD_SIG_DST);
}

/* Few reflectors: source-prefix.  @return 1 if chosen, 0 if not, -1 */
static int
plan_few(struct offload_plan *pl, const struct offload_policy *p,
    const struct sets *s, struct offload_scope *os)
{
	int fits;

	if (!s->every_src) {
		say(pl, "some flows do not name their source: ");
		return 0;
	}
	if (s->n_src > p->few_reflectors) {
		say(pl, "%zu reflectors, more than few-reflectors %u: ",
		    s->n_src, p->few_reflectors);
		return 0;
	}
	os->src = s->src;
	os->n_src = s->n_src;
	if ((fits = try_scope(pl, p, os)) < 0)
		return -1;
	if (fits || p->qblock) {
		say(pl, "%zu reflectors (few-reflectors %u): signal channel "
		    "with source-prefix and source-port-range (RFC 9066)",
		    s->n_src, p->few_reflectors);
		return settle(pl, p, fits, OFFLOAD_SIG_SRC_PREFIX) == 0 ? 1 :
		    -1;
	}
	say(pl, "%zu reflectors take %zu bytes, more than one packet of %zu, "
	    "and the client cannot send Q-Block (RFC 9177): ", s->n_src,
	    pl->wire_len, offload_wire_limit(p));
	os->src = NULL;
	os->n_src = 0;
	return 0;
}

static int
plan_reflection(struct offload_plan *pl, const struct offload_report *r,
    const struct offload_policy *p, const bool *amp)
{
	struct offload_scope os = { .lifetime = p->lifetime };
	struct sets s;
	int ret;

	if (sets_make(&s, r, amp) != 0)
		return -1;
	pl->n_covered = s.n_flows;
	pl->n_reflectors = s.n_src;
	os.dst = s.dst;
	os.n_dst = s.n_dst;
	os.proto = s.proto;
	os.n_proto = s.n_proto;
	os.sport = s.sport;
	os.n_sport = s.n_sport;
	say(pl, "in-band link, reflection attack (%zu flows of UDP from "
	    "amplification ports, towards %zu destinations): ", s.n_flows,
	    s.n_dst);
	if ((ret = plan_few(pl, p, &s, &os)) != 0)
		goto done;
	if (p->acl_reflection != NULL) {
		os.sport = NULL;
		os.n_sport = 0;
		os.acl = p->acl_reflection;
		say(pl, "signal channel activating the peace-time ACL '%s' "
		    "(acl-list, RFC 9133)", p->acl_reflection);
		ret = settle(pl, p, try_scope(pl, p, &os),
		    OFFLOAD_SIG_ACL_LIST);
	} else {
		say(pl, "signal channel with %zu source port ranges only "
		    "(RFC 9066 source-port-range)", s.n_sport);
		ret = settle(pl, p, try_scope(pl, p, &os),
		    OFFLOAD_SIG_SRC_PORT);
	}
done:
	if (ret >= 0 && s.n_flows < r->n_flows)
		say(pl, "; %zu other flows left to the DMS",
		    r->n_flows - s.n_flows);
	sets_free(&s);
	return ret < 0 ? -1 : 0;
}

struct offload_plan *
offload_plan_make(const struct offload_report *r,
    const struct offload_policy *p)
{
	struct offload_plan *pl;
	size_t most = 0;
	bool *amp = NULL;
	int ret;

	if ((pl = calloc(1, sizeof(*pl))) == NULL)
		return NULL;
	pl->n_flows = r->n_flows;
	if (r->n_flows == 0) {
		say(pl, "the report names no flows: nothing to offload");
		return pl;
	}
	if ((amp = calloc(r->n_flows, sizeof(*amp))) == NULL ||
	    classify(r, amp, &pl->reflection, &most) != 0)
		goto fail;
	if (p->link == OFFLOAD_LINK_OUT_OF_BAND)
		ret = plan_out_of_band(pl, r, p);
	else if (pl->reflection)
		ret = plan_reflection(pl, r, p, amp);
	else
		ret = plan_flood(pl, r, p);
	if (ret != 0)
		goto fail;
	free(amp);
	return pl;
fail:
	free(amp);
	offload_plan_free(pl);
	return NULL;
}

void
offload_plan_free(struct offload_plan *pl)
{
	if (pl == NULL)
		return;
	dots_signal_free(pl->sig);
	json_decref(pl->acls);
	free(pl);
}

/* Hysteresis */

static const char *const step_names[] = {
	[OFFLOAD_STEP_NONE] = "none",
	[OFFLOAD_STEP_START] = "start",
	[OFFLOAD_STEP_UPDATE] = "update",
	[OFFLOAD_STEP_CALM] = "calm",
	[OFFLOAD_STEP_STOP] = "stop",
};

const char *
offload_step_name(enum offload_step s)
{
	return (unsigned)s < sizeof(step_names) / sizeof(step_names[0]) ?
	    step_names[s] : "?";
}

void
offload_hyst_init(struct offload_hyst *h, uint32_t start, uint32_t stop,
    uint32_t hold)
{
	memset(h, 0, sizeof(*h));
	h->start = start;
	h->stop = stop;
	h->hold = hold;
}

enum offload_step
offload_hyst_report(struct offload_hyst *h, uint32_t util, time_t now)
{
	if (!h->active) {
		if (util < h->start)
			return OFFLOAD_STEP_NONE;
		h->active = true;
		h->calm = false;
		return OFFLOAD_STEP_START;
	}
	if (util >= h->stop) {
		h->calm = false;
		return OFFLOAD_STEP_UPDATE;
	}
	if (!h->calm) {
		h->calm = true;
		h->calm_at = now;
	}
	return offload_hyst_tick(h, now);
}

enum offload_step
offload_hyst_tick(struct offload_hyst *h, time_t now)
{
	if (!h->active || !h->calm)
		return OFFLOAD_STEP_NONE;
	if (now - h->calm_at < (time_t)h->hold)
		return OFFLOAD_STEP_CALM;
	h->active = false;
	h->calm = false;
	return OFFLOAD_STEP_STOP;
}
