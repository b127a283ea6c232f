/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Pull reader over libcbor's streaming decoder: each cr_next() decodes one
 * item head through a callback table that records it in a struct cr_item.
 */
#include <string.h>

#include <cbor.h>

#include "cbor_reader.h"

/* Deep enough for any DOTS body; bounds recursion on hostile input. */
#define CR_SKIP_DEPTH	32

#define CTX(c)	((struct cr_item *)(c))

static void
on_uint8(void *c, uint8_t v)
{
	CTX(c)->type = CR_UINT;
	CTX(c)->val = v;
}

static void
on_uint16(void *c, uint16_t v)
{
	CTX(c)->type = CR_UINT;
	CTX(c)->val = v;
}

static void
on_uint32(void *c, uint32_t v)
{
	CTX(c)->type = CR_UINT;
	CTX(c)->val = v;
}

static void
on_uint64(void *c, uint64_t v)
{
	CTX(c)->type = CR_UINT;
	CTX(c)->val = v;
}

static void
on_negint8(void *c, uint8_t v)
{
	CTX(c)->type = CR_NEGINT;
	CTX(c)->val = v;
}

static void
on_negint16(void *c, uint16_t v)
{
	CTX(c)->type = CR_NEGINT;
	CTX(c)->val = v;
}

static void
on_negint32(void *c, uint32_t v)
{
	CTX(c)->type = CR_NEGINT;
	CTX(c)->val = v;
}

static void
on_negint64(void *c, uint64_t v)
{
	CTX(c)->type = CR_NEGINT;
	CTX(c)->val = v;
}

static void
on_bytes(void *c, cbor_data p, size_t n)
{
	CTX(c)->type = CR_BYTES;
	CTX(c)->ptr = p;
	CTX(c)->len = n;
}

static void
on_bytes_start(void *c)
{
	CTX(c)->type = CR_BYTES_INDEF;
}

static void
on_text(void *c, cbor_data p, size_t n)
{
	CTX(c)->type = CR_TEXT;
	CTX(c)->ptr = p;
	CTX(c)->len = n;
}

static void
on_text_start(void *c)
{
	CTX(c)->type = CR_TEXT_INDEF;
}

static void
on_array(void *c, size_t n)
{
	CTX(c)->type = CR_ARRAY;
	CTX(c)->val = n;
}

static void
on_array_indef(void *c)
{
	CTX(c)->type = CR_ARRAY_INDEF;
}

static void
on_map(void *c, size_t n)
{
	CTX(c)->type = CR_MAP;
	CTX(c)->val = n;
}

static void
on_map_indef(void *c)
{
	CTX(c)->type = CR_MAP_INDEF;
}

static void
on_tag(void *c, uint64_t v)
{
	CTX(c)->type = CR_TAG;
	CTX(c)->val = v;
}

static void
on_float(void *c, float v)
{
	(void)v;
	CTX(c)->type = CR_FLOAT;
}

static void
on_double(void *c, double v)
{
	(void)v;
	CTX(c)->type = CR_FLOAT;
}

static void
on_null(void *c)
{
	CTX(c)->type = CR_NULL;
}

static void
on_undef(void *c)
{
	CTX(c)->type = CR_UNDEF;
}

static void
on_bool(void *c, bool v)
{
	CTX(c)->type = CR_BOOL;
	CTX(c)->b = v;
}

static void
on_break(void *c)
{
	CTX(c)->type = CR_BREAK;
}

static const struct cbor_callbacks cr_callbacks = {
	.uint8 = on_uint8,
	.uint16 = on_uint16,
	.uint32 = on_uint32,
	.uint64 = on_uint64,
	.negint8 = on_negint8,
	.negint16 = on_negint16,
	.negint32 = on_negint32,
	.negint64 = on_negint64,
	.byte_string_start = on_bytes_start,
	.byte_string = on_bytes,
	.string = on_text,
	.string_start = on_text_start,
	.indef_array_start = on_array_indef,
	.array_start = on_array,
	.indef_map_start = on_map_indef,
	.map_start = on_map,
	.tag = on_tag,
	.float2 = on_float,
	.float4 = on_float,
	.float8 = on_double,
	.undefined = on_undef,
	.null = on_null,
	.boolean = on_bool,
	.indef_break = on_break,
};

int
cr_next(struct cbor_reader *r, struct cr_item *it)
{
	struct cbor_decoder_result res;

	if (r->pos >= r->len)
		return -1;
	memset(it, 0, sizeof(*it));
	it->type = (enum cr_type)-1;
	res = cbor_stream_decode(r->buf + r->pos, r->len - r->pos,
	    &cr_callbacks, it);
	if (res.status != CBOR_DECODER_FINISHED || res.read == 0 ||
	    it->type == (enum cr_type)-1)
		return -1;
	r->pos += res.read;
	return 0;
}

static int
skip_depth(struct cbor_reader *r, const struct cr_item *it, int depth)
{
	struct cr_item sub;
	uint64_t i, n;

	if (depth > CR_SKIP_DEPTH)
		return -1;
	switch (it->type) {
	case CR_ARRAY:
	case CR_MAP:
		n = it->type == CR_MAP ? it->val * 2 : it->val;
		if (it->val > r->len - r->pos || n > r->len - r->pos)
			return -1;	/* cannot hold that many items */
		for (i = 0; i < n; i++)
			if (cr_next(r, &sub) != 0 || sub.type == CR_BREAK ||
			    skip_depth(r, &sub, depth + 1) != 0)
				return -1;
		return 0;
	case CR_ARRAY_INDEF:
	case CR_MAP_INDEF:
	case CR_TEXT_INDEF:
	case CR_BYTES_INDEF:
		for (;;) {
			if (cr_next(r, &sub) != 0)
				return -1;
			if (sub.type == CR_BREAK)
				return 0;
			if (it->type == CR_TEXT_INDEF && sub.type != CR_TEXT)
				return -1;
			if (it->type == CR_BYTES_INDEF && sub.type != CR_BYTES)
				return -1;
			if (skip_depth(r, &sub, depth + 1) != 0)
				return -1;
		}
	case CR_TAG:
		if (cr_next(r, &sub) != 0 || sub.type == CR_BREAK)
			return -1;
		return skip_depth(r, &sub, depth + 1);
	case CR_BREAK:
		return -1;
	default:
		return 0;
	}
}

int
cr_skip(struct cbor_reader *r, const struct cr_item *it)
{
	return skip_depth(r, it, 0);
}

int
cr_text(struct cbor_reader *r, const struct cr_item *it, char *dst,
    size_t cap, size_t *len)
{
	struct cr_item chunk;
	size_t off = 0;

	if (it->type == CR_TEXT) {
		if (it->len > cap)
			return -2;
		memcpy(dst, it->ptr, it->len);
		*len = it->len;
		return 0;
	}
	if (it->type != CR_TEXT_INDEF)
		return -1;
	for (;;) {
		if (cr_next(r, &chunk) != 0)
			return -1;
		if (chunk.type == CR_BREAK)
			break;
		if (chunk.type != CR_TEXT)
			return -1;
		if (chunk.len > cap - off)
			return -2;
		memcpy(dst + off, chunk.ptr, chunk.len);
		off += chunk.len;
	}
	*len = off;
	return 0;
}

const char *
cr_type_name(enum cr_type t)
{
	static const char *const names[] = {
		[CR_UINT] = "an unsigned integer",
		[CR_NEGINT] = "a negative integer",
		[CR_BYTES] = "a byte string",
		[CR_BYTES_INDEF] = "a byte string",
		[CR_TEXT] = "a text string",
		[CR_TEXT_INDEF] = "a text string",
		[CR_ARRAY] = "an array",
		[CR_ARRAY_INDEF] = "an array",
		[CR_MAP] = "a map",
		[CR_MAP_INDEF] = "a map",
		[CR_TAG] = "a tagged value",
		[CR_FLOAT] = "a floating-point number",
		[CR_BOOL] = "a boolean",
		[CR_NULL] = "null",
		[CR_UNDEF] = "undefined",
		[CR_BREAK] = "a break",
	};

	if ((unsigned)t < sizeof(names) / sizeof(names[0]))
		return names[t];
	return "an unknown item";
}
