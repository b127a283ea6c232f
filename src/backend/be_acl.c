/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Reading one ACL of the data channel (RFC 8783 section 7.3) into the
 * plain structure of be_acl.h.  The data channel has validated the entry
 * against the YANG modules before a mitigator sees it, but this file does
 * not rely on it: every member and type is checked again, so that a
 * mitigator never enforces less, or more, than the entry says.  Match
 * fields the structure has no place for (TTL, ECN, TCP sequence numbers,
 * UDP length...) are refused by name rather than skipped: a rule without
 * them would match traffic the client did not ask about.
 *
 * Member names may carry the module prefix "ietf-dots-data-channel:" and
 * identities "ietf-access-control-list:" (RFC 7951 section 6.8 wants the
 * latter); neither is required.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "be_acl.h"

#define MOD_DC		"ietf-dots-data-channel:"
#define MOD_ACL		"ietf-access-control-list:"

/* Where an error happened: the ACE's name, for the sentence. */
struct acl_ctx {
	const char	*ace;
	char		*err;
	size_t		 errlen;
};

static int
acl_fail(struct acl_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
acl_fail(struct acl_ctx *c, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (c->err == NULL || c->errlen == 0)
		return -EINVAL;
	if (c->ace != NULL)
		n = snprintf(c->err, c->errlen, "ace \"%s\": ", c->ace);
	if (n < 0 || (size_t)n >= c->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A member name without the data channel's module prefix. */
static const char *
acl_key(const char *key)
{
	if (strncmp(key, MOD_DC, strlen(MOD_DC)) == 0)
		return key + strlen(MOD_DC);
	return key;
}

/* An identity without the ietf-access-control-list prefix. */
static const char *
acl_ident(const char *s)
{
	if (strncmp(s, MOD_ACL, strlen(MOD_ACL)) == 0)
		return s + strlen(MOD_ACL);
	return s;
}

/* Whether another member of @p obj has the name of @p key. */
static bool
acl_twice(json_t *obj, const char *key)
{
	const char *k;
	json_t *v;

	json_object_foreach(obj, k, v)
		if (k != key && strcmp(acl_key(k), acl_key(key)) == 0)
			return true;
	return false;
}

/*
 * Member @p name of @p obj, with or without the module prefix; *dup is
 * set when both spellings are there.
 */
static json_t *
acl_get(json_t *obj, const char *name, bool *dup)
{
	char q[96];
	json_t *a, *b;

	snprintf(q, sizeof(q), MOD_DC "%s", name);
	a = json_object_get(obj, name);
	b = json_object_get(obj, q);
	if (a != NULL && b != NULL)
		*dup = true;
	return a != NULL ? a : b;
}

static int
acl_uint(struct acl_ctx *c, json_t *v, const char *what, uint64_t max,
    uint64_t *out)
{
	json_int_t x;

	*out = 0;	/* callers store it before they look at the result */
	if (!json_is_integer(v))
		return acl_fail(c, "%s is not a whole number", what);
	x = json_integer_value(v);
	if (x < 0 || (uint64_t)x > max)
		return acl_fail(c, "%s %lld is out of range (0 .. %llu)", what,
		    (long long)x, (unsigned long long)max);
	*out = (uint64_t)x;
	return 0;
}

static int
acl_prefix(struct acl_ctx *c, json_t *v, const char *what, uint8_t family,
    struct dots_prefix *p)
{
	bool host;

	if (!json_is_string(v) || dots_prefix_parse(json_string_value(v), p,
	    &host) != 0)
		return acl_fail(c, "%s is not a prefix", what);
	if (p->family != family)
		return acl_fail(c, "%s %s is not an IPv%u prefix", what,
		    json_string_value(v), family);
	return 0;
}

/*
 * A bits value (RFC 7951: names separated by spaces) against a table of
 * names; *out gets the OR of their values.
 */
struct acl_bit {
	const char	*name;
	uint16_t	 value;
};

static int
acl_bits(struct acl_ctx *c, json_t *v, const char *what,
    const struct acl_bit *tab, uint16_t *out)
{
	const char *s, *e;
	size_t n, k;

	if (!json_is_string(v))
		return acl_fail(c, "%s is not a string of bit names", what);
	*out = 0;
	for (s = json_string_value(v); *s != '\0'; s = e) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		for (e = s; *e != '\0' && *e != ' '; e++)
			;
		n = (size_t)(e - s);
		for (k = 0; tab[k].name != NULL; k++)
			if (strlen(tab[k].name) == n &&
			    strncmp(tab[k].name, s, n) == 0)
				break;
		if (tab[k].name == NULL)
			return acl_fail(c, "%s has an unknown bit \"%.*s\"",
			    what, (int)(n > 32 ? 32 : n), s);
		*out |= tab[k].value;
	}
	return 0;
}

/* {"operator": bits, <valname>: ...} of fragment and flags-bitmask. */
static int
acl_opbits(struct acl_ctx *c, json_t *obj, const char *what,
    const char *valname, const struct acl_bit *tab, uint16_t max,
    struct be_acl_bits *out)
{
	static const struct acl_bit ops[] = {
		{ "not", BE_ACL_OP_NOT }, { "match", BE_ACL_OP_MATCH },
		{ "any", BE_ACL_OP_ANY }, { NULL, 0 }
	};
	const char *key;
	json_t *v, *op = NULL, *val = NULL;
	uint16_t o = BE_ACL_OP_MATCH, x = 0;
	uint64_t u;
	int ret;

	if (!json_is_object(obj))
		return acl_fail(c, "%s is not an object", what);
	json_object_foreach(obj, key, v) {
		if (strcmp(acl_key(key), "operator") == 0 && op == NULL)
			op = v;
		else if (strcmp(acl_key(key), valname) == 0 && val == NULL)
			val = v;
		else
			return acl_fail(c, "%s: member \"%s\" is not supported",
			    what, key);
	}
	if (op != NULL && (ret = acl_bits(c, op, what, ops, &o)) != 0)
		return ret;
	if ((o & BE_ACL_OP_MATCH) && (o & BE_ACL_OP_ANY))
		return acl_fail(c, "%s: operator has both match and any",
		    what);
	if (!(o & (BE_ACL_OP_MATCH | BE_ACL_OP_ANY)))
		return acl_fail(c, "%s: operator needs match or any", what);
	if (val != NULL && tab != NULL) {
		if ((ret = acl_bits(c, val, what, tab, &x)) != 0)
			return ret;
	} else if (val != NULL) {
		if ((ret = acl_uint(c, val, what, max, &u)) != 0)
			return ret;
		x = (uint16_t)u;
	}
	memset(out, 0, sizeof(*out));
	if (x == 0) {
		/* an empty clause matches every packet (RFC 8783 7.1) */
		if (o == BE_ACL_OP_MATCH)
			return 0;
		return acl_fail(c, "%s: operator \"%s\" on no bits matches "
		    "no packet", what, json_string_value(op));
	}
	out->op = (uint8_t)o;
	out->value = x;
	return 0;
}

/* {"lower-port","upper-port"} or {"operator","port"}. */
static int
acl_port(struct acl_ctx *c, json_t *obj, const char *what,
    struct be_acl_port *p)
{
	static const struct { const char *name; enum be_acl_port_op op; }
	    ops[] = {
		{ "eq", BE_ACL_PORT_EQ }, { "lte", BE_ACL_PORT_LTE },
		{ "gte", BE_ACL_PORT_GTE }, { "neq", BE_ACL_PORT_NEQ },
	};
	json_t *lo = NULL, *hi = NULL, *op = NULL, *port = NULL, *v;
	const char *key, *k;
	uint64_t a, b;
	size_t i;
	int ret;

	if (!json_is_object(obj))
		return acl_fail(c, "%s is not an object", what);
	json_object_foreach(obj, key, v) {
		k = acl_key(key);
		if (acl_twice(obj, key))
			return acl_fail(c, "%s is given twice", k);
		if (strcmp(k, "lower-port") == 0 && lo == NULL)
			lo = v;
		else if (strcmp(k, "upper-port") == 0 && hi == NULL)
			hi = v;
		else if (strcmp(k, "operator") == 0 && op == NULL)
			op = v;
		else if (strcmp(k, "port") == 0 && port == NULL)
			port = v;
		else
			return acl_fail(c, "%s: member \"%s\" is not supported",
			    what, key);
	}
	if ((lo != NULL || hi != NULL) && (op != NULL || port != NULL))
		return acl_fail(c, "%s has both a range and an operator",
		    what);
	if (lo != NULL || hi != NULL) {
		if (lo == NULL || hi == NULL)
			return acl_fail(c, "%s: a range needs lower-port and "
			    "upper-port", what);
		if ((ret = acl_uint(c, lo, what, 65535, &a)) != 0 ||
		    (ret = acl_uint(c, hi, what, 65535, &b)) != 0)
			return ret;
		if (b < a)
			return acl_fail(c, "%s: upper-port %llu is below "
			    "lower-port %llu", what, (unsigned long long)b,
			    (unsigned long long)a);
		p->op = BE_ACL_PORT_RANGE;
		p->lower = (uint16_t)a;
		p->upper = (uint16_t)b;
		return 0;
	}
	if (port == NULL)
		return acl_fail(c, "%s needs a port or a range", what);
	if ((ret = acl_uint(c, port, what, 65535, &a)) != 0)
		return ret;
	p->op = BE_ACL_PORT_EQ;		/* the default operator */
	p->lower = p->upper = (uint16_t)a;
	if (op == NULL)
		return 0;
	for (i = 0; json_is_string(op) && i < sizeof(ops) / sizeof(ops[0]);
	    i++)
		if (strcmp(json_string_value(op), ops[i].name) == 0) {
			p->op = ops[i].op;
			return 0;
		}
	return acl_fail(c, "%s: operator is eq, lte, gte or neq", what);
}

static const struct acl_bit frag_bits[] = {
	{ "df", BE_ACL_FRAG_DF }, { "isf", BE_ACL_FRAG_ISF },
	{ "ff", BE_ACL_FRAG_FF }, { "lf", BE_ACL_FRAG_LF }, { NULL, 0 }
};

/* The ipv4 or ipv6 container. */
static int
acl_l3(struct acl_ctx *c, json_t *obj, uint8_t fam, struct be_acl_ace *a)
{
	const char *l = fam == DOTS_AF_INET4 ? "ipv4" : "ipv6";
	const char *key, *k;
	char what[64];
	json_t *v;
	uint64_t u;
	int ret;

	if (!json_is_object(obj))
		return acl_fail(c, "%s is not an object", l);
	a->family = fam;
	json_object_foreach(obj, key, v) {
		k = acl_key(key);
		if (acl_twice(obj, key))
			return acl_fail(c, "%s is given twice", k);
		snprintf(what, sizeof(what), "%s %s", l, k);
		if (strcmp(k, fam == DOTS_AF_INET4 ?
		    "destination-ipv4-network" :
		    "destination-ipv6-network") == 0) {
			ret = acl_prefix(c, v, what, fam, &a->dst);
			a->has_dst = true;
		} else if (strcmp(k, fam == DOTS_AF_INET4 ?
		    "source-ipv4-network" : "source-ipv6-network") == 0) {
			ret = acl_prefix(c, v, what, fam, &a->src);
			a->has_src = true;
		} else if (strcmp(k, "protocol") == 0) {
			ret = acl_uint(c, v, what, 255, &u);
			a->proto = (uint8_t)u;
			a->has_proto = true;
		} else if (strcmp(k, "dscp") == 0) {
			ret = acl_uint(c, v, what, 63, &u);
			a->dscp = (uint8_t)u;
			a->has_dscp = true;
		} else if (strcmp(k, "length") == 0) {
			ret = acl_uint(c, v, what, 65535, &u);
			a->length = (uint16_t)u;
			a->has_length = true;
		} else if (strcmp(k, "flow-label") == 0 &&
		    fam == DOTS_AF_INET6) {
			ret = acl_uint(c, v, what, 0xfffff, &u);
			a->flow_label = (uint32_t)u;
			a->has_flow_label = true;
		} else if (strcmp(k, "fragment") == 0) {
			ret = acl_opbits(c, v, what, "type", frag_bits, 0,
			    &a->fragment);
			if (ret == 0 && fam == DOTS_AF_INET6 &&
			    (a->fragment.value & BE_ACL_FRAG_DF))
				return acl_fail(c, "ipv6 fragment type df "
				    "does not exist in IPv6");
		} else
			return acl_fail(c, "%s is not supported", what);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/* The tcp or udp container. */
static int
acl_l4_ports(struct acl_ctx *c, json_t *obj, bool tcp, struct be_acl_ace *a)
{
	const char *l = tcp ? "tcp" : "udp";
	const char *key, *k;
	char what[96];
	json_t *v;
	int ret;

	if (!json_is_object(obj))
		return acl_fail(c, "%s is not an object", l);
	a->l4 = tcp ? BE_ACL_L4_TCP : BE_ACL_L4_UDP;
	json_object_foreach(obj, key, v) {
		k = acl_key(key);
		if (acl_twice(obj, key))
			return acl_fail(c, "%s is given twice", k);
		snprintf(what, sizeof(what), "%s %s", l, k);
		if ((strcmp(k, "source-port-range-or-operator") == 0 ||
		    strcmp(k, "source-port") == 0) &&
		    a->sport.op == BE_ACL_PORT_NONE)
			ret = acl_port(c, v, what, &a->sport);
		else if ((strcmp(k, "destination-port-range-or-operator") ==
		    0 || strcmp(k, "destination-port") == 0) &&
		    a->dport.op == BE_ACL_PORT_NONE)
			ret = acl_port(c, v, what, &a->dport);
		else if (tcp && strcmp(k, "flags-bitmask") == 0)
			ret = acl_opbits(c, v, what, "bitmask", NULL, 0x0fff,
			    &a->tcp_flags);
		else
			return acl_fail(c, "%s is not supported", what);
		if (ret != 0)
			return ret;
	}
	return 0;
}

static int
acl_icmp(struct acl_ctx *c, json_t *obj, struct be_acl_ace *a)
{
	const char *key, *k;
	char what[64];
	json_t *v;
	uint64_t u;
	int ret;

	if (!json_is_object(obj))
		return acl_fail(c, "icmp is not an object");
	a->l4 = BE_ACL_L4_ICMP;
	json_object_foreach(obj, key, v) {
		k = acl_key(key);
		if (acl_twice(obj, key))
			return acl_fail(c, "%s is given twice", k);
		snprintf(what, sizeof(what), "icmp %s", k);
		if (strcmp(k, "type") == 0) {
			ret = acl_uint(c, v, what, 255, &u);
			a->icmp_type = (uint8_t)u;
			a->has_icmp_type = true;
		} else if (strcmp(k, "code") == 0) {
			ret = acl_uint(c, v, what, 255, &u);
			a->icmp_code = (uint8_t)u;
			a->has_icmp_code = true;
		} else
			return acl_fail(c, "%s is not supported", what);
		if (ret != 0)
			return ret;
	}
	return 0;
}

static int
acl_matches(struct acl_ctx *c, json_t *m, struct be_acl_ace *a)
{
	const char *key, *k;
	bool l3 = false, l4 = false;
	json_t *v;
	int ret;

	if (!json_is_object(m))
		return acl_fail(c, "matches is not an object");
	json_object_foreach(m, key, v) {
		k = acl_key(key);
		if (acl_twice(m, key))
			return acl_fail(c, "%s is given twice", k);
		if (strcmp(k, "ipv4") == 0 || strcmp(k, "ipv6") == 0) {
			if (l3)
				return acl_fail(c, "matches has both ipv4 "
				    "and ipv6");
			l3 = true;
			ret = acl_l3(c, v, k[3] == '4' ? DOTS_AF_INET4 :
			    DOTS_AF_INET6, a);
		} else if (strcmp(k, "tcp") == 0 || strcmp(k, "udp") == 0 ||
		    strcmp(k, "icmp") == 0) {
			if (l4)
				return acl_fail(c, "matches has more than one "
				    "of tcp, udp and icmp");
			l4 = true;
			ret = k[0] == 'i' ? acl_icmp(c, v, a) :
			    acl_l4_ports(c, v, k[0] == 't', a);
		} else
			return acl_fail(c, "matches %s is not supported", k);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/* decimal64 with 2 fraction digits, as a string (RFC 7951) or a number. */
static int
acl_rate(struct acl_ctx *c, json_t *v, uint64_t *centi)
{
	const char *s;
	uint64_t x = 0;
	int frac = -1;

	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) <= INT64_MAX / 100) {
		*centi = (uint64_t)json_integer_value(v) * 100;
		return 0;
	}
	if (!json_is_string(v))
		goto bad;
	s = json_string_value(v);
	if (*s < '0' || *s > '9')
		goto bad;
	for (; *s != '\0'; s++) {
		if (*s == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || frac == 2 ||
		    x > (UINT64_MAX - 9) / 10 / 100)
			goto bad;
		x = x * 10 + (uint64_t)(*s - '0');
		if (frac >= 0)
			frac++;
	}
	if (frac == 0)
		goto bad;
	for (frac = frac < 0 ? 0 : frac; frac < 2; frac++)
		x *= 10;
	*centi = x;
	return 0;
bad:
	return acl_fail(c, "actions rate-limit is not a positive decimal "
	    "with at most 2 fraction digits");
}

static int
acl_actions(struct acl_ctx *c, json_t *obj, struct be_acl_ace *a)
{
	json_t *fwd = NULL, *rate = NULL, *v;
	const char *key, *k, *f;
	int ret;

	if (!json_is_object(obj))
		return acl_fail(c, "actions is not an object");
	json_object_foreach(obj, key, v) {
		k = acl_key(key);
		if (acl_twice(obj, key))
			return acl_fail(c, "%s is given twice", k);
		if (strcmp(k, "forwarding") == 0 && fwd == NULL)
			fwd = v;
		else if (strcmp(k, "rate-limit") == 0 && rate == NULL)
			rate = v;
		else
			return acl_fail(c, "actions %s is not supported", k);
	}
	if (!json_is_string(fwd))
		return acl_fail(c, "actions forwarding is missing");
	f = acl_ident(json_string_value(fwd));
	if (strcmp(f, "drop") == 0)
		a->fwd = BE_ACL_DROP;
	else if (strcmp(f, "accept") == 0)
		a->fwd = BE_ACL_ACCEPT;
	else
		return acl_fail(c, "actions forwarding %s is not supported "
		    "(accept or drop)", json_string_value(fwd));
	if (rate == NULL)
		return 0;
	if (a->fwd != BE_ACL_ACCEPT)
		return acl_fail(c, "actions rate-limit goes with forwarding "
		    "accept only");
	if ((ret = acl_rate(c, rate, &a->rate_centi)) != 0)
		return ret;
	a->fwd = BE_ACL_RATE;
	return 0;
}

static int
acl_ace(struct acl_ctx *c, json_t *obj, size_t idx, uint8_t family,
    struct be_acl_ace *a)
{
	json_t *name, *m = NULL, *act = NULL, *v;
	const char *key, *k;
	int ret;

	c->ace = NULL;
	memset(a, 0, sizeof(*a));
	if (!json_is_object(obj))
		return acl_fail(c, "ace %zu is not an object", idx + 1);
	name = json_object_get(obj, "name");
	if (!json_is_string(name) || json_string_length(name) == 0 ||
	    json_string_length(name) > BE_ACE_NAME_MAX)
		return acl_fail(c, "ace %zu has no name of 1 to %d "
		    "characters", idx + 1, BE_ACE_NAME_MAX);
	snprintf(a->name, sizeof(a->name), "%s", json_string_value(name));
	c->ace = a->name;
	json_object_foreach(obj, key, v) {
		k = acl_key(key);
		if (acl_twice(obj, key))
			return acl_fail(c, "%s is given twice", k);
		if (strcmp(k, "matches") == 0 && m == NULL)
			m = v;
		else if (strcmp(k, "actions") == 0 && act == NULL)
			act = v;
		else if (strcmp(k, "name") != 0 &&
		    strcmp(k, "statistics") != 0)
			return acl_fail(c, "%s is not supported", key);
	}
	if (m != NULL && (ret = acl_matches(c, m, a)) != 0)
		return ret;
	if (act == NULL)
		return acl_fail(c, "actions is missing");
	if ((ret = acl_actions(c, act, a)) != 0)
		return ret;
	if (family != 0 && a->family != 0 && a->family != family)
		return acl_fail(c, "an ipv%u match in an IPv%u ACL", a->family,
		    family);
	return 0;
}

/* The family of an ACL type; -1 for a type no DOTS ACL can have. */
static int
acl_type(json_t *t)
{
	const char *s;

	if (t == NULL)
		return 0;
	if (!json_is_string(t))
		return -1;
	s = acl_ident(json_string_value(t));
	if (strcmp(s, "ipv4-acl-type") == 0 ||
	    strcmp(s, "mixed-eth-ipv4-acl-type") == 0)
		return DOTS_AF_INET4;
	if (strcmp(s, "ipv6-acl-type") == 0 ||
	    strcmp(s, "mixed-eth-ipv6-acl-type") == 0)
		return DOTS_AF_INET6;
	if (strcmp(s, "mixed-eth-ipv4-ipv6-acl-type") == 0)
		return 0;
	return -1;
}

static int
acl_body(struct acl_ctx *c, json_t *root, struct be_acl *acl)
{
	json_t *name, *aces, *list, *e;
	bool dup = false;
	size_t i, k;
	int fam, ret;

	if (!json_is_object(root))
		return acl_fail(c, "the ACL is not a JSON object");
	name = acl_get(root, "name", &dup);
	if (!json_is_string(name) || json_string_length(name) == 0 ||
	    json_string_length(name) > BE_ACL_NAME_MAX)
		return acl_fail(c, "the ACL has no name of 1 to %d "
		    "characters", BE_ACL_NAME_MAX);
	snprintf(acl->name, sizeof(acl->name), "%s", json_string_value(name));
	if ((fam = acl_type(acl_get(root, "type", &dup))) < 0)
		return acl_fail(c, "ACL type is not an IPv4 or IPv6 ACL type");
	acl->family = (uint8_t)fam;
	aces = acl_get(root, "aces", &dup);
	if (dup)
		return acl_fail(c, "a member is given twice, with and "
		    "without its module");
	if (aces == NULL)
		return 0;
	list = acl_get(aces, "ace", &dup);
	if (!json_is_object(aces) || (list != NULL && !json_is_array(list)) ||
	    dup)
		return acl_fail(c, "aces is not an object with an ace list");
	if (list == NULL || json_array_size(list) == 0)
		return 0;
	acl->ace = calloc(json_array_size(list), sizeof(*acl->ace));
	if (acl->ace == NULL)
		return -ENOMEM;
	json_array_foreach(list, i, e) {
		if ((ret = acl_ace(c, e, i, acl->family, &acl->ace[i])) != 0)
			return ret;
		acl->n_ace = i + 1;
	}
	for (i = 0; i < acl->n_ace; i++)
		for (k = i + 1; k < acl->n_ace; k++)
			if (strcmp(acl->ace[i].name, acl->ace[k].name) == 0) {
				c->ace = acl->ace[k].name;
				return acl_fail(c, "the name of two ACEs");
			}
	return 0;
}

int
be_acl_parse(const char *json, struct be_acl *acl, char *err, size_t errlen)
{
	struct acl_ctx c = { NULL, err, errlen };
	json_error_t je;
	json_t *root;
	int ret;

	memset(acl, 0, sizeof(*acl));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (json == NULL)
		return acl_fail(&c, "no ACL");
	root = json_loads(json, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return acl_fail(&c, "the ACL is not JSON: %s", je.text);
	ret = acl_body(&c, root, acl);
	json_decref(root);
	if (ret != 0)
		be_acl_free(acl);
	return ret;
}

void
be_acl_free(struct be_acl *acl)
{
	free(acl->ace);
	memset(acl, 0, sizeof(*acl));
}
