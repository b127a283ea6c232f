/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * From a filtering ACL of the data channel (RFC 8783, read by be_acl.c)
 * to flow specification rules (RFC 8955, RFC 8956): one rule per ACE,
 * each with its own action.
 *
 * An ACL is ordered: a packet gets the action of the first ACE it
 * matches.  Flow rules are not: every router orders them by their
 * components (RFC 8955 section 5.1) and applies the first that matches.
 * Both agree whenever, for every two ACEs that some packet could match
 * and that want different actions, the one listed first also comes first
 * in flow-spec order; that is checked pair by pair (fs_rule_cmp() on the
 * encoding GoBGP sends, fs_rules_disjoint() on the values), and an ACL
 * that fails it is refused rather than enforced differently.  An accept
 * ACE that no later drop or rate-limit ACE overlaps changes nothing (its
 * packets are forwarded anyway) and is left out, which also frees it
 * from the order check.
 *
 * Only traffic to a destination the ACE names is filtered: an ACE without
 * a destination network would need the client's whole domain, which the
 * mitigator does not know, and is refused.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "be_acl.h"
#include "fs_rule.h"

#define PROTO_ICMP	1
#define PROTO_TCP	6
#define PROTO_UDP	17
#define PROTO_ICMPV6	58

#define FS_ACL_ACES_MAX	1024

static void
acl_why(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
acl_why(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

static void
num_one(struct fs_numeric *c, uint8_t op, uint32_t value)
{
	c->v[c->n].op = op;
	c->v[c->n].value = value;
	c->n++;
}

/* A port match as numeric pairs; none when it matches every port. */
static void
acl_port(struct fs_numeric *c, const struct be_acl_port *p)
{
	memset(c, 0, sizeof(*c));
	switch (p->op) {
	case BE_ACL_PORT_NONE:
		break;
	case BE_ACL_PORT_RANGE:
		/* an open end needs no comparison */
		if (p->lower == p->upper)
			num_one(c, FS_OP_EQ, p->lower);
		else if (p->upper == 65535 && p->lower != 0)
			num_one(c, FS_OP_GT | FS_OP_EQ, p->lower);
		else if (p->lower == 0 && p->upper != 65535)
			num_one(c, FS_OP_LT | FS_OP_EQ, p->upper);
		else if (p->lower != 0) {
			num_one(c, FS_OP_GT | FS_OP_EQ, p->lower);
			num_one(c, FS_OP_AND | FS_OP_LT | FS_OP_EQ, p->upper);
		}
		break;
	case BE_ACL_PORT_EQ:
		num_one(c, FS_OP_EQ, p->lower);
		break;
	case BE_ACL_PORT_LTE:
		if (p->lower != 65535)
			num_one(c, FS_OP_LT | FS_OP_EQ, p->lower);
		break;
	case BE_ACL_PORT_GTE:
		if (p->lower != 0)
			num_one(c, FS_OP_GT | FS_OP_EQ, p->lower);
		break;
	case BE_ACL_PORT_NEQ:
		/* two ranges, which every router reads, rather than != */
		if (p->lower != 0)
			num_one(c, FS_OP_LT, p->lower);
		if (p->lower != 65535)
			num_one(c, FS_OP_GT, p->lower);
		break;
	}
}

static void
acl_bits(struct fs_numeric *c, const struct be_acl_bits *b)
{
	memset(c, 0, sizeof(*c));
	if (b->op == 0)
		return;
	num_one(c, (uint8_t)(((b->op & BE_ACL_OP_NOT) ? FS_BM_NOT : 0) |
	    ((b->op & BE_ACL_OP_MATCH) ? FS_BM_MATCH : 0)), b->value);
}

/* The protocol an ACE's transport container needs, or -1. */
static int
acl_l4_proto(const struct be_acl_ace *a)
{
	switch (a->l4) {
	case BE_ACL_L4_TCP:
		return PROTO_TCP;
	case BE_ACL_L4_UDP:
		return PROTO_UDP;
	case BE_ACL_L4_ICMP:
		return a->family == DOTS_AF_INET6 ? PROTO_ICMPV6 : PROTO_ICMP;
	case BE_ACL_L4_NONE:
		break;
	}
	return -1;
}

static int
acl_rule_l4(const struct be_acl_ace *a, struct fs_rule *r, char *why,
    size_t whylen)
{
	int need = acl_l4_proto(a);

	if (a->has_proto && need >= 0 && a->proto != need) {
		acl_why(why, whylen, "ace \"%s\": protocol %u does not agree "
		    "with its %s match", a->name, a->proto,
		    a->l4 == BE_ACL_L4_TCP ? "tcp" : a->l4 == BE_ACL_L4_UDP ?
		    "udp" : "icmp");
		return -EINVAL;
	}
	if (a->has_proto)
		num_one(&r->proto, FS_OP_EQ, a->proto);
	else if (need >= 0)
		num_one(&r->proto, FS_OP_EQ, (uint32_t)need);
	acl_port(&r->sport, &a->sport);
	acl_port(&r->dport, &a->dport);
	if (a->has_icmp_type)
		num_one(&r->icmp_type, FS_OP_EQ, a->icmp_type);
	if (a->has_icmp_code)
		num_one(&r->icmp_code, FS_OP_EQ, a->icmp_code);
	if (a->tcp_flags.op != 0 && a->tcp_flags.value > 0xff) {
		acl_why(why, whylen, "ace \"%s\": tcp flags-bitmask 0x%x has "
		    "bits above 0xff (reserved and NS), which the speaker "
		    "cannot announce", a->name, a->tcp_flags.value);
		return -EINVAL;
	}
	acl_bits(&r->tcp_flags, &a->tcp_flags);
	return 0;
}

/* The rule of one ACE. */
static int
acl_rule(const struct be_acl_ace *a, struct fs_rule *r, char *why,
    size_t whylen)
{
	uint32_t len;

	memset(r, 0, sizeof(*r));
	if (a->family == 0 || !a->has_dst) {
		acl_why(why, whylen, "ace \"%s\": no destination network: "
		    "this mitigator filters traffic to the destinations an "
		    "ACE names only", a->name);
		return -EINVAL;
	}
	r->family = a->family;
	r->dst = a->dst;
	r->has_src = a->has_src;
	r->src = a->src;
	if (acl_rule_l4(a, r, why, whylen) != 0)
		return -EINVAL;
	if (a->has_length) {
		/* flow-spec counts the whole packet, IPv6 the payload only */
		len = a->length + (a->family == DOTS_AF_INET6 ? 40u : 0u);
		if (len > 65535) {
			acl_why(why, whylen, "ace \"%s\": ipv6 length %u "
			    "makes packets longer than 65535 bytes, which "
			    "flow-spec cannot match", a->name, a->length);
			return -EINVAL;
		}
		num_one(&r->pkt_len, FS_OP_EQ, len);
	}
	if (a->has_dscp)
		num_one(&r->dscp, FS_OP_EQ, a->dscp);
	acl_bits(&r->frag, &a->fragment);
	if (a->has_flow_label)
		num_one(&r->label, FS_OP_EQ, a->flow_label);
	return 0;
}

static int
acl_action(const struct be_acl_ace *a, struct fs_action *act, char *why,
    size_t whylen)
{
	uint64_t rate;

	memset(act, 0, sizeof(*act));
	switch (a->fwd) {
	case BE_ACL_DROP:
		act->kind = FS_ACT_DISCARD;
		return 0;
	case BE_ACL_ACCEPT:
		act->kind = FS_ACT_ACCEPT;
		return 0;
	case BE_ACL_RATE:
		break;
	}
	/* whole bytes per second; below one, a rate of 0: discard */
	rate = (a->rate_centi + 50) / 100;
	if (rate > UINT32_MAX) {
		acl_why(why, whylen, "ace \"%s\": rate-limit above %u bytes "
		    "per second", a->name, UINT32_MAX);
		return -EINVAL;
	}
	act->kind = rate == 0 ? FS_ACT_DISCARD : FS_ACT_RATE;
	act->rate = (uint32_t)rate;
	return 0;
}

static bool
act_same(const struct fs_action *a, const struct fs_action *b)
{
	return a->kind == b->kind && (a->kind != FS_ACT_RATE ||
	    a->rate == b->rate);
}

static const char *
act_name(const struct fs_action *a)
{
	return a->kind == FS_ACT_ACCEPT ? "accept" : a->kind == FS_ACT_RATE ?
	    "rate-limit" : "drop";
}

/*
 * The rules of every ACE (@p keep: wanted), each accept ACE left out when
 * no later ACE with another action could match its packets.
 */
static void
acl_prune(const struct be_acl *acl, const struct fs_rule *r,
    const struct fs_action *act, bool *keep)
{
	size_t i, k;

	for (i = 0; i < acl->n_ace; i++) {
		keep[i] = act[i].kind != FS_ACT_ACCEPT;
		for (k = i + 1; !keep[i] && k < acl->n_ace; k++)
			keep[i] = act[k].kind != FS_ACT_ACCEPT &&
			    !fs_rules_disjoint(&r[i], &r[k]);
	}
}

/*
 * Would flow-spec order change what the ACL says?  Also drops the second
 * of two same rules with the same action.
 */
static int
acl_order(const struct be_acl *acl, const struct fs_rule *r,
    const struct fs_action *act, bool *keep, char *why, size_t whylen)
{
	size_t i, k;
	int cmp;

	for (i = 0; i < acl->n_ace; i++) {
		for (k = i + 1; keep[i] && k < acl->n_ace; k++) {
			if (!keep[k])
				continue;
			cmp = fs_rule_cmp(&r[i], &r[k]);
			if (cmp == 0 && act_same(&act[i], &act[k])) {
				keep[k] = false;
				continue;
			}
			if (act_same(&act[i], &act[k]) || cmp < 0 ||
			    fs_rules_disjoint(&r[i], &r[k]))
				continue;
			if (cmp == 0)
				acl_why(why, whylen, "aces \"%s\" (%s) and "
				    "\"%s\" (%s) become the same flow rule",
				    acl->ace[i].name, act_name(&act[i]),
				    acl->ace[k].name, act_name(&act[k]));
			else
				acl_why(why, whylen, "aces \"%s\" (%s) and "
				    "\"%s\" (%s) overlap, and flow-spec "
				    "would apply \"%s\" first (RFC 8955 5.1): "
				    "narrow or reorder them",
				    acl->ace[i].name, act_name(&act[i]),
				    acl->ace[k].name, act_name(&act[k]),
				    acl->ace[k].name);
			return -EINVAL;
		}
	}
	return 0;
}

int
fs_acl_translate(const struct be_acl *acl, struct fs_rules *out,
    struct fs_action *acts, char *why, size_t whylen)
{
	struct fs_rule *r = NULL;
	struct fs_action *act = NULL;
	bool *keep = NULL;
	size_t i, n = 0, before = out->n;
	int ret = 0;

	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (acl->n_ace == 0)
		return 0;
	/* the order check is quadratic, and routers hold far fewer rules */
	if (acl->n_ace > FS_ACL_ACES_MAX) {
		acl_why(why, whylen, "ACL \"%s\": more than %d entries",
		    acl->name, FS_ACL_ACES_MAX);
		return -EINVAL;
	}
	r = calloc(acl->n_ace, sizeof(*r));
	act = calloc(acl->n_ace, sizeof(*act));
	keep = calloc(acl->n_ace, sizeof(*keep));
	if (r == NULL || act == NULL || keep == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; ret == 0 && i < acl->n_ace; i++)
		if ((ret = acl_rule(&acl->ace[i], &r[i], why, whylen)) == 0)
			ret = acl_action(&acl->ace[i], &act[i], why, whylen);
	if (ret != 0)
		goto out;
	acl_prune(acl, r, act, keep);
	if ((ret = acl_order(acl, r, act, keep, why, whylen)) != 0)
		goto out;
	for (i = 0; i < acl->n_ace; i++) {
		if (!keep[i])
			continue;
		if ((ret = fs_rules_push(out, &r[i])) != 0) {
			out->n = before;
			goto out;
		}
		acts[n++] = act[i];
	}
out:
	free(r);
	free(act);
	free(keep);
	return ret;
}

/*
 * The order of RFC 8955 section 5.1.  Components are compared by type
 * (a rule that has the lower type comes first), prefixes by their common
 * bits (lower first, then the longer one), the others by their encoded
 * bytes (lower first, then the longer string).
 */

/* A component of a rule: its type, and its bytes for the non-prefixes. */
struct fs_comp_enc {
	int			 type;
	const struct dots_prefix *px;
	uint8_t			 b[FS_OPS_MAX * 5];
	size_t			 len;
};

static const struct fs_numeric *
rule_num(const struct fs_rule *r, int type)
{
	switch (type) {
	case FS_C_PROTO:	return &r->proto;
	case FS_C_PORT:		return &r->port;
	case FS_C_DPORT:	return &r->dport;
	case FS_C_SPORT:	return &r->sport;
	case FS_C_ICMP_TYPE:	return &r->icmp_type;
	case FS_C_ICMP_CODE:	return &r->icmp_code;
	case FS_C_TCP_FLAGS:	return &r->tcp_flags;
	case FS_C_PKT_LEN:	return &r->pkt_len;
	case FS_C_DSCP:		return &r->dscp;
	case FS_C_FRAG:		return &r->frag;
	case FS_C_LABEL:	return &r->label;
	}
	return NULL;
}

static bool
type_bitmask(int type)
{
	return type == FS_C_TCP_FLAGS || type == FS_C_FRAG;
}

/* {op, value} pairs as on the wire: shortest value, end bit on the last. */
static void
enc_numeric(const struct fs_numeric *c, bool bitmask, struct fs_comp_enc *e)
{
	uint8_t keep = bitmask ? FS_BM_NOT | FS_BM_MATCH : 0x07;
	uint32_t v;
	unsigned lb, nb, k;
	size_t i;

	e->len = 0;
	for (i = 0; i < c->n; i++) {
		v = c->v[i].value;
		lb = v < 0x100 ? 0 : v < 0x10000 ? 1 : 2;
		nb = 1u << lb;
		e->b[e->len++] = (uint8_t)((i + 1 == c->n ? 0x80 : 0) |
		    (i > 0 ? c->v[i].op & FS_OP_AND : 0) | (lb << 4) |
		    (c->v[i].op & keep));
		for (k = nb; k > 0; k--)
			e->b[e->len++] = (uint8_t)(v >> (8 * (k - 1)));
	}
}

/* The next component of @p r from type @p *t on; type 256 at the end. */
static void
next_comp(const struct fs_rule *r, int *t, struct fs_comp_enc *e)
{
	const struct fs_numeric *c;

	for (; *t <= FS_C_LABEL; (*t)++) {
		e->type = *t;
		if (*t == FS_C_DST) {
			e->px = &r->dst;
			break;
		}
		if (*t == FS_C_SRC) {
			if (!r->has_src)
				continue;
			e->px = &r->src;
			break;
		}
		c = rule_num(r, *t);
		if (c != NULL && c->n > 0) {
			enc_numeric(c, type_bitmask(*t), e);
			break;
		}
	}
	if (*t > FS_C_LABEL)
		e->type = 256;
	(*t)++;
}

/* The first @p bits of two addresses: < 0, 0, > 0. */
static int
prefix_bits_cmp(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned i, full = bits / 8, rest = bits % 8;
	uint8_t m;

	for (i = 0; i < full; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	if (rest == 0)
		return 0;
	m = (uint8_t)(0xff << (8 - rest));
	if ((a[full] & m) != (b[full] & m))
		return (a[full] & m) < (b[full] & m) ? -1 : 1;
	return 0;
}

static int
comp_cmp(const struct fs_comp_enc *a, const struct fs_comp_enc *b)
{
	unsigned common;
	size_t n;
	int c;

	if (a->type == FS_C_DST || a->type == FS_C_SRC) {
		common = a->px->length < b->px->length ? a->px->length :
		    b->px->length;
		c = prefix_bits_cmp(a->px->addr, b->px->addr, common);
		if (c != 0)
			return c;
		return a->px->length > b->px->length ? -1 :
		    a->px->length < b->px->length ? 1 : 0;
	}
	n = a->len < b->len ? a->len : b->len;
	c = memcmp(a->b, b->b, n);
	if (c != 0)
		return c < 0 ? -1 : 1;
	return a->len > b->len ? -1 : a->len < b->len ? 1 : 0;
}

int
fs_rule_cmp(const struct fs_rule *a, const struct fs_rule *b)
{
	struct fs_comp_enc ea, eb;
	int ta = FS_C_DST, tb = FS_C_DST, c;

	for (;;) {
		next_comp(a, &ta, &ea);
		next_comp(b, &tb, &eb);
		if (ea.type == 256 && eb.type == 256)
			return 0;
		if (ea.type != eb.type)
			return ea.type < eb.type ? -1 : 1;
		if ((c = comp_cmp(&ea, &eb)) != 0)
			return c;
	}
}

/*
 * Disjointness.  A numeric component is a union of AND-groups of
 * comparisons with constants, so its truth only changes at a constant:
 * two components can both hold somewhere exactly when they both hold at
 * one of the constants, next to one, or at an end of the range.  Bitmask
 * components are tried on every value.
 */

static bool
num_holds(const struct fs_numeric *c, bool bitmask, uint32_t x)
{
	bool any = false, grp = false, t;
	uint32_t v;
	uint8_t o;
	size_t i;

	for (i = 0; i < c->n; i++) {
		o = c->v[i].op;
		v = c->v[i].value;
		if (bitmask) {
			t = (o & FS_BM_MATCH) ? (x & v) == v : (x & v) != 0;
			t = (o & FS_BM_NOT) ? !t : t;
		} else
			t = ((o & FS_OP_LT) && x < v) ||
			    ((o & FS_OP_GT) && x > v) ||
			    ((o & FS_OP_EQ) && x == v);
		if (i > 0 && (o & FS_OP_AND))
			grp = grp && t;
		else {
			any = any || grp;
			grp = t;
		}
	}
	return any || grp;
}

static bool
num_both_at(const struct fs_numeric *a, const struct fs_numeric *b,
    uint32_t x, uint32_t max)
{
	return x <= max && num_holds(a, false, x) && num_holds(b, false, x);
}

static bool
num_meet(const struct fs_numeric *a, const struct fs_numeric *b,
    uint32_t max)
{
	const struct fs_numeric *c[2] = { a, b };
	uint32_t v;
	size_t i, k;

	if (num_both_at(a, b, 0, max) || num_both_at(a, b, max, max))
		return true;
	for (k = 0; k < 2; k++)
		for (i = 0; i < c[k]->n; i++) {
			v = c[k]->v[i].value;
			if (num_both_at(a, b, v, max) ||
			    (v > 0 && num_both_at(a, b, v - 1, max)) ||
			    num_both_at(a, b, v + 1, max))
				return true;
		}
	return false;
}

/*
 * Only the bits some value of either component names can change a
 * result: the subsets of their union are all the cases there are.
 */
static bool
bits_meet(const struct fs_numeric *a, const struct fs_numeric *b,
    uint32_t max)
{
	uint32_t m = 0, x = 0;
	size_t i;

	for (i = 0; i < a->n; i++)
		m |= a->v[i].value;
	for (i = 0; i < b->n; i++)
		m |= b->v[i].value;
	m &= max;
	do {
		if (num_holds(a, true, x) && num_holds(b, true, x))
			return true;
		x = (x - m) & m;
	} while (x != 0);
	return false;
}

static uint32_t
type_max(int type)
{
	switch (type) {
	case FS_C_PROTO:
	case FS_C_ICMP_TYPE:
	case FS_C_ICMP_CODE:
		return 255;
	case FS_C_DSCP:
		return 63;
	case FS_C_TCP_FLAGS:
		return 0xfff;
	case FS_C_FRAG:
		return 0x0f;
	case FS_C_LABEL:
		return 0xfffff;
	}
	return 65535;
}

bool
fs_rules_disjoint(const struct fs_rule *a, const struct fs_rule *b)
{
	const struct fs_numeric *ca, *cb;
	int t;

	if (a->family != b->family)
		return true;
	if (!dots_prefix_overlaps(&a->dst, &b->dst))
		return true;
	if (a->has_src && b->has_src && !dots_prefix_overlaps(&a->src,
	    &b->src))
		return true;
	for (t = FS_C_PROTO; t <= FS_C_LABEL; t++) {
		ca = rule_num(a, t);
		cb = rule_num(b, t);
		if (ca->n == 0 || cb->n == 0)
			continue;
		if (type_bitmask(t) ? !bits_meet(ca, cb, type_max(t)) :
		    !num_meet(ca, cb, type_max(t)))
			return true;
	}
	return false;
}
