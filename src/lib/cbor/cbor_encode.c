/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Model -> CBOR.  Walks the schema tables and writes item heads with
 * libcbor's encoding functions, straight into the caller's buffer:
 * shortest integer forms, definite lengths, keys in ascending order (the
 * tables are sorted), so equal messages always give equal bytes.
 */
#include <string.h>

#include <cbor.h>

#include <dots/cbor.h>

#include "../model/schema.h"

#define HEAD_MAX	9	/* largest CBOR item head */
#define CBOR_TAG_DECIMAL 4

struct cenc {
	uint8_t	*buf;
	size_t	 cap;
	size_t	 pos;	/* keeps counting past cap, to report the size needed */
	int	 err;
};

static void
put(struct cenc *w, const void *p, size_t n)
{
	if (w->pos <= w->cap && n <= w->cap - w->pos)
		memcpy(w->buf + w->pos, p, n);
	w->pos += n;
}

static void
put_head(struct cenc *w, size_t (*fn)(size_t, unsigned char *, size_t),
    size_t v)
{
	unsigned char tmp[HEAD_MAX];

	put(w, tmp, fn(v, tmp, sizeof(tmp)));
}

static void
put_uint(struct cenc *w, uint64_t v)
{
	unsigned char tmp[HEAD_MAX];

	put(w, tmp, cbor_encode_uint(v, tmp, sizeof(tmp)));
}

static void
put_negint(struct cenc *w, uint64_t v)
{
	unsigned char tmp[HEAD_MAX];

	put(w, tmp, cbor_encode_negint(v, tmp, sizeof(tmp)));
}

static void
put_text(struct cenc *w, const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		w->err = DOTS_EINVAL;	/* the decoder would refuse it */
	put_head(w, cbor_encode_string_start, n);
	put(w, s, n);
}

static void
put_scalar(struct cenc *w, const struct schema_node *n, const void *slot)
{
	unsigned char tmp[HEAD_MAX];
	char text[64];
	int64_t v;

	switch (n->vtype) {
	case VT_ENUM:
		v = (int64_t)read_uint(n, slot);
		if (v == 0 || v >= n->nlabels)
			w->err = DOTS_EINVAL;
		put_uint(w, (uint64_t)v);
		break;
	case VT_UINT:
	case VT_UINT64_STR:
		put_uint(w, read_uint(n, slot));
		break;
	case VT_LIFETIME:
		v = *(const int64_t *)slot;
		if (v < -1 || v > (int64_t)UINT32_MAX)
			w->err = DOTS_EINVAL;
		if (v < 0)
			put_negint(w, 0);
		else
			put_uint(w, (uint64_t)v);
		break;
	case VT_BOOL:
		put(w, tmp, cbor_encode_bool(*(const bool *)slot, tmp,
		    sizeof(tmp)));
		break;
	case VT_DEC2:
		/* tag 4 [-2, hundredths] */
		v = *(const int64_t *)slot;
		if (v < 0)
			w->err = DOTS_EINVAL;
		put(w, tmp, cbor_encode_tag(CBOR_TAG_DECIMAL, tmp,
		    sizeof(tmp)));
		put_head(w, cbor_encode_array_start, 2);
		put_negint(w, 1);
		put_uint(w, (uint64_t)v);
		break;
	case VT_PREFIX:
	case VT_IPADDR:
		if (value_format(n, slot, text, sizeof(text)) != DOTS_OK) {
			w->err = DOTS_EINVAL;
			break;
		}
		put_text(w, text);
		break;
	default:
		if (*(char *const *)slot == NULL) {
			w->err = DOTS_EINVAL;
			break;
		}
		put_text(w, *(char *const *)slot);
		break;
	}
}

static void	put_struct(struct cenc *w, const struct schema_node *n,
		    const void *base);

static void
put_array(struct cenc *w, const struct schema_node *n, const void *base)
{
	const char *arr = node_array(n, base);
	size_t count = node_count(n, base), i;

	if (arr == NULL) {
		w->err = DOTS_EINVAL;
		return;
	}
	put_head(w, cbor_encode_array_start, count);
	for (i = 0; i < count; i++) {
		if (n->kind == SN_LIST)
			put_struct(w, n, arr + i * n->elem_size);
		else
			put_scalar(w, n, arr + i * n->elem_size);
	}
}

static void
put_struct(struct cenc *w, const struct schema_node *n, const void *base)
{
	size_t count = 0;
	uint8_t i;

	for (i = 0; i < n->nchildren; i++)
		if (node_present(&n->children[i], base))
			count++;
	put_head(w, cbor_encode_map_start, count);
	for (i = 0; i < n->nchildren; i++) {
		const struct schema_node *c = &n->children[i];

		if (!node_present(c, base))
			continue;
		put_uint(w, c->key);
		switch (c->kind) {
		case SN_LEAF:
			put_scalar(w, c, node_cslot(c, base));
			break;
		case SN_CONTAINER:
			put_struct(w, c, node_cslot(c, base));
			break;
		default:
			put_array(w, c, base);
			break;
		}
	}
}

int
dots_cbor_encode_signal(const struct dots_signal *m, uint8_t *buf,
    size_t cap, size_t *outlen)
{
	const struct schema_node *root;
	struct cenc w = { .buf = buf, .cap = buf ? cap : 0 };

	if (m == NULL || outlen == NULL)
		return DOTS_EINVAL;
	root = schema_root_for_kind(m->kind);
	if (root == NULL || !node_present(root, m))
		return DOTS_EINVAL;
	put_head(&w, cbor_encode_map_start, 1);
	put_uint(&w, root->key);
	put_struct(&w, root, node_cslot(root, m));
	*outlen = w.pos;
	if (w.err != DOTS_OK)
		return w.err;
	return w.pos > w.cap ? DOTS_ENOSPC : DOTS_OK;
}
