/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * From a DOTS mitigation scope (RFC 9132, with the RFC 9066 source
 * attributes) to flow specification rules (RFC 8955, RFC 8956).
 *
 * A rule holds one destination prefix and at most one source prefix, so
 * the target prefixes, crossed with the source prefixes of the same
 * family, give the rules.  Ports only exist for TCP and UDP in a flow
 * rule, ICMP types only for ICMP (or ICMPv6), and a rule that asks for
 * both could never match: such scopes become one rule for the ports and
 * one for the ICMP types.  Whatever would make a rule match less, or more,
 * than the scope says is refused with a sentence that names the reason;
 * filtering traffic the client did not ask about is worse than no rule.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs_rule.h"

#define PROTO_ICMP	1
#define PROTO_TCP	6
#define PROTO_UDP	17
#define PROTO_ICMPV6	58

/* What the scope asks for besides addresses, once per family. */
struct fs_shape {
	struct fs_rule	tmpl[2];	/* protocol and port parts */
	size_t		n;
};

static void
why_set(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
why_set(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

int
fs_rules_push(struct fs_rules *rs, const struct fs_rule *r)
{
	struct fs_rule *v;
	size_t cap;

	if (rs->n == rs->cap) {
		cap = rs->cap ? rs->cap * 2 : 4;
		v = realloc(rs->v, cap * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		rs->v = v;
		rs->cap = cap;
	}
	rs->v[rs->n++] = *r;
	return 0;
}

void
fs_rules_clear(struct fs_rules *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static int
num_push(struct fs_numeric *c, uint8_t op, uint16_t value)
{
	if (c->n == FS_OPS_MAX)
		return -E2BIG;
	c->v[c->n].op = op;
	c->v[c->n].value = value;
	c->n++;
	return 0;
}

/* lo..hi as "== lo" or ">= lo AND <= hi". */
static int
num_range(struct fs_numeric *c, unsigned lo, unsigned hi)
{
	int ret;

	if (lo == hi)
		return num_push(c, FS_OP_EQ, (uint16_t)lo);
	ret = num_push(c, FS_OP_GT | FS_OP_EQ, (uint16_t)lo);
	if (ret == 0)
		ret = num_push(c, FS_OP_AND | FS_OP_LT | FS_OP_EQ,
		    (uint16_t)hi);
	return ret;
}

/*
 * Port ranges into a component; one range over all ports leaves the
 * component empty, since it matches any port.
 */
static int
ports_build(struct fs_numeric *c, const struct dots_port_range *pr,
    size_t n, const char *what, char *why, size_t whylen)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < n; i++)
		if (pr[i].lower_port == 0 && pr[i].upper_port == 65535)
			return 0;
	for (i = 0; i < n; i++) {
		if (pr[i].upper_port < pr[i].lower_port) {
			why_set(why, whylen, "%s: upper-port %u is below "
			    "lower-port %u", what, pr[i].upper_port,
			    pr[i].lower_port);
			return -EINVAL;
		}
		if (num_range(c, pr[i].lower_port, pr[i].upper_port) != 0) {
			why_set(why, whylen, "%s: more than %d ranges cannot "
			    "go into one flow rule", what, FS_OPS_MAX / 2);
			return -EINVAL;
		}
	}
	return 0;
}

static int
icmp_build(struct fs_numeric *c, const struct dots_scope *s, char *why,
    size_t whylen)
{
	const struct dots_icmp_type_range *t = s->source_icmp_type_range;
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < s->n_source_icmp_type_range; i++)
		if (t[i].lower_type == 0 && t[i].upper_type == 255)
			return 0;
	for (i = 0; i < s->n_source_icmp_type_range; i++) {
		if (t[i].upper_type < t[i].lower_type) {
			why_set(why, whylen, "source-icmp-type-range: "
			    "upper-type %u is below lower-type %u",
			    t[i].upper_type, t[i].lower_type);
			return -EINVAL;
		}
		if (num_range(c, t[i].lower_type, t[i].upper_type) != 0) {
			why_set(why, whylen, "source-icmp-type-range: more "
			    "than %d ranges cannot go into one flow rule",
			    FS_OPS_MAX / 2);
			return -EINVAL;
		}
	}
	return 0;
}

/* The protocols of the scope as a set; *any when none or 0 is listed. */
static void
protos_of(const struct dots_scope *s, bool set[256], bool *any)
{
	size_t i;

	memset(set, 0, 256 * sizeof(bool));
	/*
	 * 0 meant "all protocols" in the signal channel drafts; as HOPOPT
	 * it is never an upper-layer protocol that a flow rule could see.
	 */
	*any = s->target.n_protocol == 0;
	for (i = 0; i < s->target.n_protocol; i++) {
		if (s->target.protocol[i] == 0)
			*any = true;
		set[s->target.protocol[i]] = true;
	}
}

/* The first protocol of @p set outside @p allowed (a 0-ended list). */
static int
proto_outside(const bool set[256], const unsigned *allowed)
{
	unsigned p, k;
	bool ok;

	for (p = 1; p < 256; p++) {
		if (!set[p])
			continue;
		ok = false;
		for (k = 0; allowed[k] != 0; k++)
			ok |= allowed[k] == p;
		if (!ok)
			return (int)p;
	}
	return -1;
}

/* proto == each of @p allowed that @p set holds (all of them if any). */
static void
proto_list(struct fs_numeric *c, const bool set[256], bool any,
    const unsigned *allowed)
{
	size_t k;

	memset(c, 0, sizeof(*c));
	for (k = 0; allowed[k] != 0; k++)
		if (any || set[allowed[k]])
			(void)num_push(c, FS_OP_EQ, (uint16_t)allowed[k]);
}

/* The protocol part for a scope without ports or ICMP types. */
static void
proto_plain(struct fs_numeric *c, const bool set[256], bool any)
{
	unsigned p;

	memset(c, 0, sizeof(*c));
	if (any)
		return;
	for (p = 1; p < 256; p++)
		if (set[p])
			(void)num_push(c, FS_OP_EQ, (uint16_t)p);
}

/*
 * What every rule of family @p fam holds besides its prefixes: one
 * template, or two (ports, ICMP types).
 */
static int
shape_build(const struct dots_scope *s, uint8_t fam, struct fs_shape *sh,
    char *why, size_t whylen)
{
	static const unsigned tcpudp[] = { PROTO_TCP, PROTO_UDP, 0 };
	unsigned icmp[2] = { fam == DOTS_AF_INET4 ? PROTO_ICMP :
	    PROTO_ICMPV6, 0 };
	unsigned both[4] = { PROTO_TCP, PROTO_UDP, icmp[0], 0 };
	struct fs_numeric dport, sport, itype;
	bool set[256], any, ports, types;
	int ret, bad;

	memset(sh, 0, sizeof(*sh));
	protos_of(s, set, &any);
	if ((ret = ports_build(&dport, s->target.port_range,
	    s->target.n_port_range, "target-port-range", why, whylen)) != 0 ||
	    (ret = ports_build(&sport, s->source_port_range,
	    s->n_source_port_range, "source-port-range", why, whylen)) != 0 ||
	    (ret = icmp_build(&itype, s, why, whylen)) != 0)
		return ret;
	ports = dport.n > 0 || sport.n > 0;
	types = s->n_source_icmp_type_range > 0;

	if (ports) {
		bad = any ? -1 : proto_outside(set, types ? both : tcpudp);
		if (bad >= 0) {
			why_set(why, whylen, "a flow rule matches ports of "
			    "TCP and UDP only, and target-protocol also has "
			    "%d", bad);
			return -EINVAL;
		}
		if (!any && !set[PROTO_TCP] && !set[PROTO_UDP]) {
			why_set(why, whylen, "port ranges need TCP (6) or "
			    "UDP (17) in target-protocol");
			return -EINVAL;
		}
		proto_list(&sh->tmpl[0].proto, set, any, tcpudp);
		sh->tmpl[0].dport = dport;
		sh->tmpl[0].sport = sport;
		sh->n = 1;
	}
	if (types) {
		if (!any && !set[icmp[0]]) {
			why_set(why, whylen, "source-icmp-type-range needs "
			    "protocol %u in target-protocol for %s targets",
			    icmp[0], fam == DOTS_AF_INET4 ? "IPv4" :
			    "IPv6");
			return -EINVAL;
		}
		bad = any ? -1 : proto_outside(set, ports ? both : icmp);
		/* ICMPv6 listed next to ICMP is for the other family */
		if (bad == (fam == DOTS_AF_INET4 ? PROTO_ICMPV6 :
		    PROTO_ICMP) && !ports)
			bad = -1;
		if (bad >= 0) {
			why_set(why, whylen, "source-icmp-type-range applies "
			    "to ICMP only, and target-protocol also has %d",
			    bad);
			return -EINVAL;
		}
		proto_list(&sh->tmpl[sh->n].proto, set, true, icmp);
		sh->tmpl[sh->n].icmp_type = itype;
		sh->n++;
	}
	if (sh->n == 0) {
		proto_plain(&sh->tmpl[0].proto, set, any);
		sh->n = 1;
	}
	return 0;
}

/* What a flow rule cannot carry: refuse rather than filter less. */
static int
scope_check(const struct dots_scope *s, char *why, size_t whylen)
{
	if (s->target.n_fqdn > 0 || s->target.n_uri > 0 ||
	    s->n_alias_name > 0) {
		why_set(why, whylen, "target-fqdn, target-uri and alias-name "
		    "cannot be filtered with flow rules: give target-prefix");
		return -EINVAL;
	}
	/*
	 * acl-list (RFC 9133) is left alone: dotsd puts the ACLs it names in
	 * force, and they come to this mitigator as ACLs of their own.
	 */
	if (s->target.n_prefix == 0) {
		why_set(why, whylen, "a flow rule needs a target-prefix");
		return -EINVAL;
	}
	if (s->n_source_prefix > 0 &&
	    s->target.n_prefix * s->n_source_prefix * 2 > FS_RULES_MAX) {
		why_set(why, whylen, "%zu target prefixes and %zu source "
		    "prefixes make more than %d flow rules",
		    s->target.n_prefix, s->n_source_prefix, FS_RULES_MAX);
		return -EINVAL;
	}
	return 0;
}

/* The rules for one destination, with each same-family source. */
static int
rules_for_dst(const struct dots_scope *s, const struct dots_prefix *dst,
    const struct fs_shape *sh, struct fs_rules *out)
{
	struct fs_rule r;
	size_t i, k;
	int ret;

	for (k = 0; k < sh->n; k++) {
		r = sh->tmpl[k];
		r.family = dst->family;
		r.dst = *dst;
		if (s->n_source_prefix == 0) {
			if ((ret = fs_rules_push(out, &r)) != 0)
				return ret;
			continue;
		}
		for (i = 0; i < s->n_source_prefix; i++) {
			if (s->source_prefix[i].family != dst->family)
				continue;
			r.has_src = true;
			r.src = s->source_prefix[i];
			if ((ret = fs_rules_push(out, &r)) != 0)
				return ret;
		}
	}
	return 0;
}

int
fs_translate(const struct dots_scope *s, struct fs_rules *out, char *why,
    size_t whylen)
{
	struct fs_shape sh[2];
	bool have[2] = { false, false };
	size_t i, before = out->n;
	int ret, f;

	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if ((ret = scope_check(s, why, whylen)) != 0)
		return ret;
	for (i = 0; i < s->target.n_prefix; i++) {
		f = s->target.prefix[i].family == DOTS_AF_INET6;
		if (have[f])
			continue;
		ret = shape_build(s, s->target.prefix[i].family, &sh[f], why,
		    whylen);
		if (ret != 0)
			return ret;
		have[f] = true;
	}
	for (i = 0; i < s->target.n_prefix; i++) {
		f = s->target.prefix[i].family == DOTS_AF_INET6;
		ret = rules_for_dst(s, &s->target.prefix[i], &sh[f], out);
		if (ret != 0) {
			out->n = before;
			return ret;
		}
	}
	if (out->n == before) {
		why_set(why, whylen, "no source-prefix is of the family of "
		    "a target-prefix: no flow rule would match");
		return -EINVAL;
	}
	return 0;
}
