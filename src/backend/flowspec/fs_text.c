/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Rules as the words of GoBGP's command line: "destination 192.0.2.2/32
 * protocol ==17 source-port ==53 ==123".  Each word of a numeric
 * component is one AND-group of {operator, value} pairs ("==53",
 * ">=1024&<=2048"), and the words are ORed, which is also how GoBGP
 * prints a rule back in JSON.  Components come in type order, so that the
 * same rule always has the same text: the text is the rule's identity when
 * the mitigator compares its rules with the speaker's RIB (fs_rib.c).
 *
 * The bitmask components have their own words: "[&][!][=]BITS", where
 * "!" is the not bit, "=" the match bit (without it, any bit), and BITS
 * TCP flag letters ("SA") or fragment names joined by "+"
 * ("is-fragment+first-fragment"), as GoBGP reads and prints them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fs_rule.h"

/* Operator text by the lt/gt/eq bits; GoBGP's spelling. */
static const char *const fs_op_text[8] = {
	[0] = "false",
	[FS_OP_EQ] = "==",
	[FS_OP_GT] = ">",
	[FS_OP_GT | FS_OP_EQ] = ">=",
	[FS_OP_LT] = "<",
	[FS_OP_LT | FS_OP_EQ] = "<=",
	[FS_OP_LT | FS_OP_GT] = "!=",
	[FS_OP_LT | FS_OP_GT | FS_OP_EQ] = "true",
};

/* A bounded string builder with a sticky overflow flag. */
struct fs_buf {
	char	*p;
	size_t	 len;
	size_t	 off;
	bool	 full;
};

static void
fs_put(struct fs_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
fs_put(struct fs_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->off, b->len - b->off, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->len - b->off) {
		b->full = true;
		b->p[b->off] = '\0';
		return;
	}
	b->off += (size_t)n;
}

const char *
fs_family_name(uint8_t family)
{
	return family == DOTS_AF_INET6 ? "ipv6-flowspec" : "ipv4-flowspec";
}

static void
fs_put_numeric(struct fs_buf *b, const struct fs_numeric *c)
{
	const struct fs_numop *o;
	const char *t;
	size_t i;

	for (i = 0; i < c->n; i++) {
		o = &c->v[i];
		t = fs_op_text[o->op & 0x07];
		if (i > 0 && (o->op & FS_OP_AND))
			fs_put(b, "&");
		else if (i > 0)
			fs_put(b, " ");
		/* true and false take no value in GoBGP's syntax */
		if ((o->op & 0x07) == 0 || (o->op & 0x07) == 0x07)
			fs_put(b, "%s", t);
		else
			fs_put(b, "%s%u", t, (unsigned)o->value);
	}
}

int
fs_numeric_text(const struct fs_numeric *c, char *buf, size_t len)
{
	struct fs_buf b = { buf, len, 0, len == 0 };

	if (len > 0)
		buf[0] = '\0';
	fs_put_numeric(&b, c);
	return b.full ? -ENOSPC : 0;
}

static void
fs_put_comp(struct fs_buf *b, const char *name, const struct fs_numeric *c)
{
	if (c->n == 0)
		return;
	fs_put(b, " %s ", name);
	fs_put_numeric(b, c);
}

/* TCP flags by bit, from 0x01; GoBGP has no letter above 0x80. */
static const char fs_tcp_letters[] = "FSRPAUEC";

static const char *const fs_frag_names[] = {
	"dont-fragment", "is-fragment", "first-fragment", "last-fragment"
};

/* One bitmask value as GoBGP's words; false if it has none for it. */
static bool
fs_put_bits(struct fs_buf *b, enum fs_comp type, uint32_t v)
{
	unsigned i, nbits = type == FS_C_TCP_FLAGS ? 8 : 4;
	bool first = true;

	if (v == 0 || v >> nbits != 0)
		return false;
	for (i = 0; i < nbits; i++) {
		if (!(v & (1u << i)))
			continue;
		if (type == FS_C_TCP_FLAGS)
			fs_put(b, "%c", fs_tcp_letters[i]);
		else
			fs_put(b, "%s%s", first ? "" : "+", fs_frag_names[i]);
		first = false;
	}
	return true;
}

static bool
fs_put_bitmask(struct fs_buf *b, const char *name, enum fs_comp type,
    const struct fs_numeric *c)
{
	const struct fs_numop *o;
	size_t i;

	if (c->n == 0)
		return true;
	fs_put(b, " %s ", name);
	for (i = 0; i < c->n; i++) {
		o = &c->v[i];
		if (i > 0)
			fs_put(b, "%s", (o->op & FS_OP_AND) ? "&" : " ");
		fs_put(b, "%s%s", (o->op & FS_BM_NOT) ? "!" : "",
		    (o->op & FS_BM_MATCH) ? "=" : "");
		if (!fs_put_bits(b, type, o->value))
			return false;
	}
	return true;
}

int
fs_rule_text(const struct fs_rule *r, char *buf, size_t len)
{
	struct fs_buf b = { buf, len, 0, len == 0 };
	char px[64];

	if (len > 0)
		buf[0] = '\0';
	if (dots_prefix_format(&r->dst, px, sizeof(px)) != 0)
		return -EINVAL;
	fs_put(&b, "destination %s", px);
	if (r->has_src) {
		if (dots_prefix_format(&r->src, px, sizeof(px)) != 0)
			return -EINVAL;
		fs_put(&b, " source %s", px);
	}
	fs_put_comp(&b, "protocol", &r->proto);
	fs_put_comp(&b, "port", &r->port);
	fs_put_comp(&b, "destination-port", &r->dport);
	fs_put_comp(&b, "source-port", &r->sport);
	fs_put_comp(&b, "icmp-type", &r->icmp_type);
	fs_put_comp(&b, "icmp-code", &r->icmp_code);
	if (!fs_put_bitmask(&b, "tcp-flags", FS_C_TCP_FLAGS, &r->tcp_flags))
		return -EINVAL;
	fs_put_comp(&b, "packet-length", &r->pkt_len);
	fs_put_comp(&b, "dscp", &r->dscp);
	if (!fs_put_bitmask(&b, "fragment", FS_C_FRAG, &r->frag))
		return -EINVAL;
	fs_put_comp(&b, "label", &r->label);
	return b.full ? -ENOSPC : 0;
}

int
fs_action_text(const struct fs_action *a, char *buf, size_t len)
{
	struct fs_buf b = { buf, len, 0, len == 0 };

	if (len > 0)
		buf[0] = '\0';
	switch (a->kind) {
	case FS_ACT_DISCARD:
		fs_put(&b, "then discard");
		break;
	case FS_ACT_RATE:
		/* the rate travels as a float32: say what will arrive */
		fs_put(&b, "then rate-limit %.0f", (double)(float)a->rate);
		break;
	case FS_ACT_ACCEPT:
		fs_put(&b, "then accept");
		break;
	}
	return b.full ? -ENOSPC : 0;
}
