/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * CBOR -> model.  A recursive descent over the schema tables: the schema
 * bounds the depth, the reader bounds every read, and all memory comes
 * from the message arena, so any input either yields a message or an
 * error naming the field, and never a leak.
 */
#include <inttypes.h>
#include <string.h>

#include <dots/cbor.h>
#include <dots/keys.h>

#include "../model/schema.h"
#include "cbor_reader.h"

#define TEXT_MAX	2048	/* longest string the schema allows */
#define CBOR_TAG_DECIMAL 4

struct cdec {
	struct schema_dec	d;
	struct cbor_reader	r;
};

static int	read_map(struct cdec *c, const struct schema_node *n,
		    void *base, const struct cr_item *head);

static int
malformed(struct cdec *c)
{
	return dec_error(&c->d, DOTS_EMALFORMED, "malformed or truncated "
	    "CBOR at byte %zu", c->r.pos);
}

static int
next(struct cdec *c, struct cr_item *it)
{
	if (cr_next(&c->r, it) != 0)
		return malformed(c);
	return DOTS_OK;
}

/* An item where RFC 8949 3.2.1 allows no break code. */
static int
next_item(struct cdec *c, struct cr_item *it)
{
	int ret = next(c, it);

	if (ret == DOTS_OK && it->type == CR_BREAK)
		return malformed(c);
	return ret;
}

static int
wrong_type(struct cdec *c, const char *want, const struct cr_item *got)
{
	return dec_error(&c->d, DOTS_ETYPE, "must be %s, not %s", want,
	    cr_type_name(got->type));
}

/* Integers for a decimal fraction: uint or negint in int64 range. */
static int
read_int(struct cdec *c, int64_t *v)
{
	struct cr_item it;
	int ret;

	if ((ret = next_item(c, &it)) != DOTS_OK)
		return ret;
	if (it.type == CR_UINT && it.val <= INT64_MAX) {
		*v = (int64_t)it.val;
		return DOTS_OK;
	}
	if (it.type == CR_NEGINT && it.val < INT64_MAX) {
		*v = -1 - (int64_t)it.val;
		return DOTS_OK;
	}
	if (it.type == CR_UINT || it.type == CR_NEGINT)
		return dec_error(&c->d, DOTS_ERANGE, "decimal fraction part "
		    "out of range");
	return wrong_type(c, "an integer in a decimal fraction", &it);
}

/* decimal64 with 2 fraction digits: tag 4 [exponent, mantissa]. */
static int
read_decimal(struct cdec *c, const struct schema_node *n, void *slot)
{
	struct cr_item arr, brk;
	int64_t e, m;
	int ret;

	if ((ret = next_item(c, &arr)) != DOTS_OK)
		return ret;
	if (!((arr.type == CR_ARRAY && arr.val == 2) ||
	    arr.type == CR_ARRAY_INDEF))
		return dec_error(&c->d, DOTS_ETYPE, "a decimal fraction (tag "
		    "4) must hold [exponent, mantissa]");
	if ((ret = read_int(c, &e)) != DOTS_OK ||
	    (ret = read_int(c, &m)) != DOTS_OK)
		return ret;
	if (arr.type == CR_ARRAY_INDEF) {
		if ((ret = next(c, &brk)) != DOTS_OK)
			return ret;
		if (brk.type != CR_BREAK)
			return dec_error(&c->d, DOTS_ETYPE, "a decimal "
			    "fraction (tag 4) must hold [exponent, mantissa]");
	}
	/* bring to exponent -2 exactly, refusing lost digits or overflow */
	if (e < -20 || e > 20)
		return dec_error(&c->d, DOTS_ERANGE, "decimal exponent %" PRId64
		    " out of range", e);
	for (; e > -2; e--) {
		if (m > INT64_MAX / 10 || m < INT64_MIN / 10)
			return dec_error(&c->d, DOTS_ERANGE, "decimal value "
			    "too large");
		m *= 10;
	}
	for (; e < -2; e++) {
		if (m % 10 != 0)
			return dec_error(&c->d, DOTS_ERANGE, "more than 2 "
			    "fraction digits");
		m /= 10;
	}
	return store_dec2(&c->d, n, slot, m);
}

static int
read_string(struct cdec *c, const struct schema_node *n, void *slot,
    const struct cr_item *head)
{
	char text[TEXT_MAX + 1];
	size_t cap = n->max_len ? 4 * (size_t)n->max_len : 64, len;
	int ret;

	/* max_len counts characters; UTF-8 takes up to 4 bytes each */
	if (cap > TEXT_MAX)
		cap = TEXT_MAX;
	ret = cr_text(&c->r, head, text, cap, &len);
	if (ret == -2)
		return dec_error(&c->d, DOTS_ETOOBIG, "longer than %u "
		    "characters", n->max_len ? n->max_len : 64);
	if (ret != 0)
		return malformed(c);
	return store_string(&c->d, n, slot, text, len);
}

static int
read_scalar(struct cdec *c, const struct schema_node *n, void *slot,
    const struct cr_item *head)
{
	if (head->type == CR_TAG) {
		if (head->val == CBOR_TAG_DECIMAL && n->vtype == VT_DEC2)
			return read_decimal(c, n, slot);
		return dec_error(&c->d, DOTS_ETYPE, "unexpected CBOR tag %"
		    PRIu64, head->val);
	}
	switch (n->vtype) {
	case VT_UINT:
	case VT_UINT64_STR:
	case VT_ENUM:
		if (head->type != CR_UINT)
			return wrong_type(c, "an unsigned integer", head);
		return store_uint(&c->d, n, slot, head->val);
	case VT_LIFETIME:
		if (head->type == CR_UINT && head->val <= INT64_MAX)
			return store_lifetime(&c->d, n, slot,
			    (int64_t)head->val);
		if (head->type == CR_NEGINT && head->val < INT64_MAX)
			return store_lifetime(&c->d, n, slot,
			    -1 - (int64_t)head->val);
		if (head->type == CR_UINT || head->type == CR_NEGINT)
			return dec_error(&c->d, DOTS_ERANGE, "out of range: "
			    "a lifetime is -1 (indefinite) or 0..4294967295 "
			    "seconds");
		return wrong_type(c, "an integer", head);
	case VT_BOOL:
		if (head->type != CR_BOOL)
			return wrong_type(c, "a boolean", head);
		return store_bool(&c->d, n, slot, head->b);
	case VT_DEC2:
		return wrong_type(c, "a decimal fraction (tag 4)", head);
	default:
		if (head->type != CR_TEXT && head->type != CR_TEXT_INDEF)
			return wrong_type(c, "a text string", head);
		return read_string(c, n, slot, head);
	}
}

static int
read_entry(struct cdec *c, const struct schema_node *n, void *slot,
    const struct cr_item *head)
{
	if (n->kind == SN_LIST)
		return read_map(c, n, slot, head);
	return read_scalar(c, n, slot, head);
}

static int
read_array(struct cdec *c, const struct schema_node *n, void *base,
    const struct cr_item *head)
{
	struct cr_item it;
	size_t i, cap = 0;
	void *slot;
	int ret;

	if (head->type == CR_ARRAY) {
		if (head->val <= n->max_items &&
		    head->val > c->r.len - c->r.pos)
			return malformed(c);
		if ((ret = array_alloc(&c->d, n, base, head->val)) != DOTS_OK)
			return ret;
		for (i = 0; i < head->val; i++) {
			path_index(&c->d.path, (long)i);
			if ((ret = next_item(c, &it)) != DOTS_OK)
				return ret;
			slot = (char *)node_array(n, base) + i * n->elem_size;
			if ((ret = read_entry(c, n, slot, &it)) != DOTS_OK)
				return ret;
		}
	} else if (head->type == CR_ARRAY_INDEF) {
		for (i = 0;; i++) {
			path_index(&c->d.path, (long)i);
			if ((ret = next(c, &it)) != DOTS_OK)
				return ret;
			if (it.type == CR_BREAK)
				break;
			if ((slot = array_grow(&c->d, n, base, &cap)) == NULL)
				return c->d.diag ? c->d.diag->err : DOTS_ENOMEM;
			if ((ret = read_entry(c, n, slot, &it)) != DOTS_OK)
				return ret;
		}
		path_index(&c->d.path, -1);
		if (i == 0)
			return dec_error(&c->d, DOTS_EEMPTY, "empty list "
			    "(RFC 9132 forbids empty attributes)");
	} else
		return wrong_type(c, "an array", head);
	path_index(&c->d.path, -1);
	return array_check_unique(&c->d, n, base);
}

static int
read_child(struct cdec *c, const struct schema_node *n, void *base)
{
	struct cr_item head;
	int ret;

	if ((ret = next_item(c, &head)) != DOTS_OK)
		return ret;
	switch (n->kind) {
	case SN_CONTAINER:
		return read_map(c, n, node_slot(n, base), &head);
	case SN_LEAF:
		ret = read_scalar(c, n, node_slot(n, base), &head);
		if (ret == DOTS_OK)
			leaf_set_present(n, base);
		return ret;
	default:
		return read_array(c, n, base, &head);
	}
}

static int
read_member(struct cdec *c, const struct schema_node *n, void *base,
    uint64_t *seen)
{
	const struct schema_node *child;
	struct cr_item key, val;
	unsigned idx;
	int ret;

	if ((ret = next_item(c, &key)) != DOTS_OK)
		return ret;
	if (key.type != CR_UINT)
		return dec_error(&c->d, DOTS_ETYPE, "map keys must be unsigned "
		    "integers from the RFC 9132 key table, not %s",
		    cr_type_name(key.type));
	child = schema_child_by_key(n, key.val);
	if (child == NULL) {
		if (dots_cbor_key_required(key.val))
			return dec_error(&c->d, DOTS_EUNKNOWN_KEY, "unknown "
			    "comprehension-required key %" PRIu64, key.val);
		dec_warn(&c->d, "ignored comprehension-optional key %" PRIu64,
		    key.val);
		if (next(c, &val) != DOTS_OK || cr_skip(&c->r, &val) != 0)
			return malformed(c);
		return DOTS_OK;
	}
	path_push(&c->d.path, child->name);
	if (child->flags & SF_FORBIDDEN) {
		ret = dec_error(&c->d, DOTS_EFORBIDDEN, "belongs in the "
		    "Uri-Path and must not appear in a body (RFC 9132 "
		    "section 4.4.1)");
		goto out;
	}
	idx = (unsigned)(child - n->children);
	if (*seen & (1ull << idx)) {
		ret = dec_error(&c->d, DOTS_EDUPLICATE, "duplicate map key %"
		    PRIu64, key.val);
		goto out;
	}
	*seen |= 1ull << idx;
	ret = read_child(c, child, base);
out:
	path_pop(&c->d.path);
	return ret;
}

static int
read_map(struct cdec *c, const struct schema_node *n, void *base,
    const struct cr_item *head)
{
	uint64_t seen = 0, i;
	struct cr_item brk;
	size_t save;
	int ret;

	if (head->type == CR_MAP) {
		/* each entry takes at least two bytes */
		if (head->val > (c->r.len - c->r.pos) / 2)
			return malformed(c);
		for (i = 0; i < head->val; i++)
			if ((ret = read_member(c, n, base, &seen)) != DOTS_OK)
				return ret;
	} else if (head->type == CR_MAP_INDEF) {
		for (;;) {
			save = c->r.pos;
			if ((ret = next(c, &brk)) != DOTS_OK)
				return ret;
			if (brk.type == CR_BREAK)
				break;
			c->r.pos = save;
			if ((ret = read_member(c, n, base, &seen)) != DOTS_OK)
				return ret;
		}
	} else
		return wrong_type(c, "a map", head);
	return entry_check(&c->d, n, base, seen);
}

static int
decode_root(struct cdec *c)
{
	const struct schema_node *root;
	struct cr_item head, key, val, brk;
	int ret;

	if ((ret = next(c, &head)) != DOTS_OK)
		return ret;
	if (head.type == CR_TAG && head.val == DOTS_CBOR_TAG &&
	    (ret = next(c, &head)) != DOTS_OK)
		return ret;
	if (!((head.type == CR_MAP && head.val == 1) ||
	    head.type == CR_MAP_INDEF))
		return dec_error(&c->d, DOTS_ETYPE, "a DOTS signal body is a "
		    "map with one entry: mitigation-scope (1), signal-config "
		    "(30), redirected-signal (46) or heartbeat (49)");
	if ((ret = next(c, &key)) != DOTS_OK)
		return ret;
	root = NULL;
	if (key.type == CR_UINT)
		root = schema_child_by_key(&(const struct schema_node){
		    .children = schema_signal_roots,
		    .nchildren = (uint8_t)schema_signal_nroots }, key.val);
	if (root == NULL)
		return dec_error(&c->d, DOTS_EUNKNOWN_KEY, "unknown message "
		    "type: the body must be keyed by 1, 30, 46 or 49");
	c->d.msg->kind = schema_kind_for_root(root);
	path_push(&c->d.path, root->name);
	if ((ret = next(c, &val)) != DOTS_OK ||
	    (ret = read_map(c, root, node_slot(root, c->d.msg), &val)) !=
	    DOTS_OK)
		return ret;
	path_pop(&c->d.path);
	if (head.type == CR_MAP_INDEF) {
		if ((ret = next(c, &brk)) != DOTS_OK)
			return ret;
		if (brk.type != CR_BREAK)
			return dec_error(&c->d, DOTS_ETYPE, "a DOTS signal "
			    "body is a map with exactly one entry");
	}
	if (c->r.pos != c->r.len)
		return dec_error(&c->d, DOTS_EMALFORMED, "%zu trailing bytes "
		    "after the CBOR body", c->r.len - c->r.pos);
	return DOTS_OK;
}

int
dots_cbor_decode_signal(const uint8_t *buf, size_t len,
    struct dots_signal **out, struct dots_diag *diag)
{
	struct dots_diag local;
	struct cdec c;
	int ret;

	if (out == NULL || (buf == NULL && len > 0))
		return DOTS_EINVAL;
	*out = NULL;
	if (diag == NULL)
		diag = &local;
	dots_diag_clear(diag);
	memset(&c, 0, sizeof(c));
	c.d.diag = diag;
	c.r.buf = buf;
	c.r.len = len;
	if (len == 0)
		return dec_error(&c.d, DOTS_EEMPTY, "empty body");
	if (len > DOTS_CBOR_MAX_BODY)
		return dec_error(&c.d, DOTS_ETOOBIG, "body of %zu bytes is "
		    "larger than %u", len, DOTS_CBOR_MAX_BODY);
	c.d.msg = dots_signal_new(DOTS_SIG_NONE);
	if (c.d.msg == NULL)
		return dec_error(&c.d, DOTS_ENOMEM, "out of memory");
	ret = decode_root(&c);
	if (ret != DOTS_OK) {
		dots_signal_free(c.d.msg);
		return ret;
	}
	*out = c.d.msg;
	return DOTS_OK;
}
