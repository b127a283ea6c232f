/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Reading the speaker's RIB: GoBGP's JSON listing of a family ("gobgp -j
 * global rib -a ipv4-flowspec"), an object whose members are routes, each
 * an array of paths with "nlri" and "attrs".  A flowspec NLRI comes as
 * {"value":[{"type":T,"value":...}]}, with the prefix components as
 * {"prefix":"P"} and the numeric and bitmask ones as [{"op":O,"value":V}],
 * O being the raw operator octet of RFC 8955.  Each route is turned back into the
 * model and then into the text that fs_text.c makes, so that a rule the
 * mitigator announced reads back as exactly the same words.
 *
 * The input comes from another program: nothing in it is trusted, every
 * type is checked, and anything unexpected skips the route or refuses the
 * listing; fuzz/fuzz_flowspec_rib.c runs this file on arbitrary bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "fs_rule.h"

#define RIB_ATTR_NEXTHOP	3
#define RIB_ATTR_COMMUNITIES	8
#define RIB_ATTR_MP_REACH	14
#define RIB_ATTR_EXTCOMMS	16
#define RIB_BLACKHOLE		0xffff029aU	/* 65535:666, RFC 7999 */

/* Paths that came from a peer name it; ours do not. */
static bool
rib_local(json_t *path)
{
	json_t *n = json_object_get(path, "neighbor-ip");
	const char *s;

	if (n == NULL || json_is_null(n))
		return true;
	if (!json_is_string(n))
		return false;
	s = json_string_value(n);
	return s[0] == '\0' || strcmp(s, "<nil>") == 0;
}

static int
rib_prefix(json_t *comp, uint8_t family, struct dots_prefix *px)
{
	json_t *p = json_object_get(json_object_get(comp, "value"), "prefix");
	json_t *off = json_object_get(comp, "offset");
	bool host;

	if (!json_is_string(p))
		return -EINVAL;
	/* we never make offsets (BIRD refuses GoBGP's encoding of them) */
	if (off != NULL && (!json_is_integer(off) ||
	    json_integer_value(off) != 0))
		return -EINVAL;
	if (dots_prefix_parse(json_string_value(p), px, &host) != 0 ||
	    px->family != family)
		return -EINVAL;
	return 0;
}

/*
 * A numeric or bitmask component.  Only the bits that the model keeps
 * stay: AND (never on the first pair), and lt/gt/eq or not/match.
 */
static int
rib_numeric(json_t *v, struct fs_numeric *c, bool bitmask, json_int_t max)
{
	uint8_t keep = bitmask ? FS_BM_NOT | FS_BM_MATCH : 0x07;
	json_t *e, *op, *val;
	json_int_t o, x;
	size_t i;

	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > FS_OPS_MAX)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	json_array_foreach(v, i, e) {
		op = json_object_get(e, "op");
		val = json_object_get(e, "value");
		if (!json_is_integer(op) || !json_is_integer(val))
			return -EINVAL;
		o = json_integer_value(op);
		x = json_integer_value(val);
		if (o < 0 || o > 255 || x < 0 || x > max)
			return -EINVAL;
		/* a first pair never ANDs; the end and length bits go */
		c->v[i].op = (uint8_t)(o & (i ? FS_OP_AND | keep : keep));
		c->v[i].value = (uint32_t)x;
	}
	c->n = json_array_size(v);
	return 0;
}

/* The rule of one path's NLRI, or -EINVAL if we could not have made it. */
static int
rib_rule(json_t *nlri, uint8_t family, struct fs_rule *r)
{
	json_t *comps = json_object_get(nlri, "value"), *c, *t, *v;
	struct fs_numeric *num;
	json_int_t type, last = 0, max;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->family = family;
	if (!json_is_array(comps))
		return -EINVAL;
	json_array_foreach(comps, i, c) {
		t = json_object_get(c, "type");
		v = json_object_get(c, "value");
		if (!json_is_integer(t))
			return -EINVAL;
		type = json_integer_value(t);
		if (type <= last)
			return -EINVAL;		/* order, and once each */
		last = type;
		switch (type) {
		case FS_C_DST:
			if (rib_prefix(c, family, &r->dst) != 0)
				return -EINVAL;
			continue;
		case FS_C_SRC:
			if (rib_prefix(c, family, &r->src) != 0)
				return -EINVAL;
			r->has_src = true;
			continue;
		case FS_C_PROTO:	num = &r->proto;	break;
		case FS_C_PORT:		num = &r->port;		break;
		case FS_C_DPORT:	num = &r->dport;	break;
		case FS_C_SPORT:	num = &r->sport;	break;
		case FS_C_ICMP_TYPE:	num = &r->icmp_type;	break;
		case FS_C_ICMP_CODE:	num = &r->icmp_code;	break;
		case FS_C_TCP_FLAGS:	num = &r->tcp_flags;	break;
		case FS_C_PKT_LEN:	num = &r->pkt_len;	break;
		case FS_C_DSCP:		num = &r->dscp;		break;
		case FS_C_FRAG:		num = &r->frag;		break;
		case FS_C_LABEL:
			if (family != DOTS_AF_INET6)
				return -EINVAL;
			num = &r->label;
			break;
		default:
			return -EINVAL;
		}
		max = type == FS_C_LABEL ? 0xfffff : 65535;
		if (rib_numeric(v, num, type == FS_C_TCP_FLAGS ||
		    type == FS_C_FRAG, max) != 0)
			return -EINVAL;
	}
	/* every rule of ours has a destination */
	return last >= FS_C_DST && r->dst.family == family ? 0 : -EINVAL;
}

/* The action of a path: its traffic-rate extended community, if any. */
static void
rib_action(json_t *attrs, char *buf, size_t len)
{
	struct fs_action a = { FS_ACT_ACCEPT, 0 };
	json_t *at, *ecs, *ec, *rate;
	size_t i, k;
	double d;

	json_array_foreach(attrs, i, at) {
		if (json_integer_value(json_object_get(at, "type")) !=
		    RIB_ATTR_EXTCOMMS)
			continue;
		ecs = json_object_get(at, "value");
		json_array_foreach(ecs, k, ec) {
			if (json_integer_value(json_object_get(ec,
			    "type")) != 0x80 ||
			    json_integer_value(json_object_get(ec,
			    "subtype")) != 0x06) {
				/* not something we send: never equal */
				snprintf(buf, len, "then other");
				return;
			}
			rate = json_object_get(ec, "rate");
			if (!json_is_number(rate)) {
				snprintf(buf, len, "then other");
				return;
			}
			d = json_number_value(rate);
			if (!(d > 0))
				a.kind = FS_ACT_DISCARD;
			else if (d < 4294967295.0) {
				a.kind = FS_ACT_RATE;
				a.rate = (uint32_t)d;
			} else {
				snprintf(buf, len, "then other");
				return;
			}
		}
	}
	if (fs_action_text(&a, buf, len) != 0)
		snprintf(buf, len, "then other");
}

int
fs_rib_flowspec(const char *json, size_t len, uint8_t family, fs_rib_fn fn,
    void *arg)
{
	char text[2048], act[64];
	json_t *root, *paths, *path;
	const char *key;
	struct fs_rule r;
	size_t i;
	int ret = 0;

	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		return -EINVAL;
	}
	json_object_foreach(root, key, paths) {
		if (!json_is_array(paths))
			continue;
		json_array_foreach(paths, i, path) {
			if (!rib_local(path) || rib_rule(json_object_get(path,
			    "nlri"), family, &r) != 0 ||
			    fs_rule_text(&r, text, sizeof(text)) != 0)
				continue;
			rib_action(json_object_get(path, "attrs"), act,
			    sizeof(act));
			if ((ret = fn(arg, fs_family_name(family), text,
			    act)) != 0)
				goto out;
		}
	}
out:
	json_decref(root);
	return ret;
}

/* "nexthop X community A:B,C:D" if the path carries 65535:666. */
static int
rib_blackhole_attrs(json_t *attrs, char *buf, size_t len)
{
	const char *nh = NULL;
	json_t *at, *cs, *c, *n;
	bool black = false;
	size_t i, k, off;
	json_int_t type, v;
	char comm[512];
	int w;

	comm[0] = '\0';
	off = 0;
	json_array_foreach(attrs, i, at) {
		type = json_integer_value(json_object_get(at, "type"));
		n = json_object_get(at, "nexthop");
		if ((type == RIB_ATTR_NEXTHOP || type == RIB_ATTR_MP_REACH) &&
		    json_is_string(n))
			nh = json_string_value(n);
		if (type != RIB_ATTR_COMMUNITIES)
			continue;
		cs = json_object_get(at, "communities");
		json_array_foreach(cs, k, c) {
			if (!json_is_integer(c))
				return -EINVAL;
			v = json_integer_value(c);
			if (v < 0 || v > UINT32_MAX)
				return -EINVAL;
			black |= v == RIB_BLACKHOLE;
			w = snprintf(comm + off, sizeof(comm) - off, "%s%u:%u",
			    off ? "," : "", (unsigned)(v >> 16),
			    (unsigned)(v & 0xffff));
			if (w < 0 || (size_t)w >= sizeof(comm) - off)
				return -EINVAL;
			off += (size_t)w;
		}
	}
	if (!black || nh == NULL)
		return -EINVAL;
	w = snprintf(buf, len, "nexthop %s community %s", nh, comm);
	return w < 0 || (size_t)w >= len ? -EINVAL : 0;
}

int
fs_rib_blackhole(const char *json, size_t len, uint8_t family, fs_rib_fn fn,
    void *arg)
{
	char px[64], attrs[640];
	json_t *root, *paths, *path, *p;
	struct dots_prefix pfx;
	const char *key;
	bool host;
	size_t i;
	int ret = 0;

	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		return -EINVAL;
	}
	json_object_foreach(root, key, paths) {
		if (!json_is_array(paths))
			continue;
		json_array_foreach(paths, i, path) {
			p = json_object_get(json_object_get(path, "nlri"),
			    "prefix");
			if (!rib_local(path) || !json_is_string(p) ||
			    dots_prefix_parse(json_string_value(p), &pfx,
			    &host) != 0 || pfx.family != family ||
			    dots_prefix_format(&pfx, px, sizeof(px)) != 0 ||
			    rib_blackhole_attrs(json_object_get(path,
			    "attrs"), attrs, sizeof(attrs)) != 0)
				continue;
			if ((ret = fn(arg, family == DOTS_AF_INET6 ? "ipv6" :
			    "ipv4", px, attrs)) != 0)
				goto out;
		}
	}
out:
	json_decref(root);
	return ret;
}
