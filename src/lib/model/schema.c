/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What the CBOR and JSON codecs share once a value has been read from the
 * wire: range and syntax checks, storing into the model, list limits and
 * uniqueness, the error path, and comparison/presence for the encoders.
 * Keeping this in one place means both encodings reject the same values
 * with the same words.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../util/arena.h"
#include "../util/strcheck.h"
#include "schema.h"

void
path_push(struct schema_path *p, const char *name)
{
	if (p->depth < SCHEMA_DEPTH_MAX) {
		p->name[p->depth] = name;
		p->index[p->depth] = -1;
	}
	p->depth++;
}

void
path_index(struct schema_path *p, long index)
{
	if (p->depth > 0 && p->depth <= SCHEMA_DEPTH_MAX)
		p->index[p->depth - 1] = index;
}

void
path_pop(struct schema_path *p)
{
	if (p->depth > 0)
		p->depth--;
}

static void
path_format(const struct schema_path *p, char *buf, size_t len)
{
	size_t off = 0;
	int i, n;

	buf[0] = '\0';
	for (i = 0; i < p->depth && i < SCHEMA_DEPTH_MAX; i++) {
		if (p->index[i] >= 0)
			n = snprintf(buf + off, len - off, "%s%s/%ld",
			    i ? "/" : "", p->name[i], p->index[i]);
		else
			n = snprintf(buf + off, len - off, "%s%s",
			    i ? "/" : "", p->name[i]);
		if (n < 0 || (size_t)n >= len - off)
			return;
		off += (size_t)n;
	}
}

int
dec_error(struct schema_dec *d, int err, const char *fmt, ...)
{
	va_list ap;

	if (d->diag == NULL || d->diag->err != DOTS_OK)
		return err;
	d->diag->err = err;
	path_format(&d->path, d->diag->error.path,
	    sizeof(d->diag->error.path));
	va_start(ap, fmt);
	vsnprintf(d->diag->error.msg, sizeof(d->diag->error.msg), fmt, ap);
	va_end(ap);
	return err;
}

void
dec_warn(struct schema_dec *d, const char *fmt, ...)
{
	struct dots_diag_entry *w;
	va_list ap;

	if (d->diag == NULL)
		return;
	d->diag->nwarn_total++;
	if (d->diag->nwarn >= DOTS_DIAG_WARN_MAX)
		return;
	w = &d->diag->warn[d->diag->nwarn++];
	path_format(&d->path, w->path, sizeof(w->path));
	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof(w->msg), fmt, ap);
	va_end(ap);
}

/* Peer text made safe and short for a diagnostic. */
const char *
dec_quote(char *buf, size_t len, const char *s, size_t slen)
{
	size_t i, o = 0, max = len - 4;

	for (i = 0; i < slen && o < max; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (i < slen) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

const struct schema_node *
schema_child_by_key(const struct schema_node *parent, uint64_t key)
{
	uint8_t i;

	for (i = 0; i < parent->nchildren; i++)
		if (parent->children[i].key == key)
			return &parent->children[i];
	return NULL;
}

const struct schema_node *
schema_child_by_name(const struct schema_node *parent, const char *name,
    size_t len)
{
	uint8_t i;

	for (i = 0; i < parent->nchildren; i++) {
		const char *cn = parent->children[i].name;

		if (strlen(cn) == len && memcmp(cn, name, len) == 0)
			return &parent->children[i];
	}
	return NULL;
}

uint64_t
read_uint(const struct schema_node *n, const void *slot)
{
	switch (n->size) {
	case 1:
		return *(const uint8_t *)slot;
	case 2:
		return *(const uint16_t *)slot;
	case 4:
		return *(const uint32_t *)slot;
	default:
		return *(const uint64_t *)slot;
	}
}

static void
write_uint(const struct schema_node *n, void *slot, uint64_t v)
{
	switch (n->size) {
	case 1:
		*(uint8_t *)slot = (uint8_t)v;
		break;
	case 2:
		*(uint16_t *)slot = (uint16_t)v;
		break;
	case 4:
		*(uint32_t *)slot = (uint32_t)v;
		break;
	default:
		*(uint64_t *)slot = v;
		break;
	}
}

void
leaf_set_present(const struct schema_node *n, void *base)
{
	if (n->bit != 0)
		*(uint32_t *)base |= n->bit;
}

int
store_uint(struct schema_dec *d, const struct schema_node *n, void *slot,
    uint64_t v)
{
	if (n->vtype == VT_ENUM) {
		if (v >= n->nlabels || n->labels[v] == NULL)
			return dec_error(d, DOTS_ERANGE,
			    "%" PRIu64 " is not a known %s value", v, n->name);
	} else if (n->vtype == VT_UINT || n->vtype == VT_UINT64_STR) {
		if (v < n->min || v > n->max)
			return dec_error(d, DOTS_ERANGE,
			    "%" PRIu64 " is out of range %" PRIu64 "..%" PRIu64,
			    v, n->min, n->max);
	} else
		return dec_error(d, DOTS_ETYPE,
		    "an unsigned integer is not valid here");
	write_uint(n, slot, v);
	return DOTS_OK;
}

int
store_lifetime(struct schema_dec *d, const struct schema_node *n, void *slot,
    int64_t v)
{
	if (n->vtype != VT_LIFETIME)
		return dec_error(d, DOTS_ETYPE, "a negative integer is not "
		    "valid here");
	if (v < -1 || v > (int64_t)UINT32_MAX)
		return dec_error(d, DOTS_ERANGE, "%" PRId64 " is out of range: "
		    "a lifetime is -1 (indefinite) or 0..4294967295 seconds",
		    v);
	*(int64_t *)slot = v;
	return DOTS_OK;
}

int
store_bool(struct schema_dec *d, const struct schema_node *n, void *slot,
    bool v)
{
	if (n->vtype != VT_BOOL)
		return dec_error(d, DOTS_ETYPE, "a boolean is not valid here");
	*(bool *)slot = v;
	return DOTS_OK;
}

int
store_dec2(struct schema_dec *d, const struct schema_node *n, void *slot,
    int64_t hundredths)
{
	if (n->vtype != VT_DEC2)
		return dec_error(d, DOTS_ETYPE, "a decimal is not valid here");
	if (hundredths < 0)
		return dec_error(d, DOTS_ERANGE, "must not be negative");
	if ((uint64_t)hundredths > n->max)
		return dec_error(d, DOTS_ERANGE, "is too large (at most %"
		    PRIu64 ".00)", n->max / 100);
	*(int64_t *)slot = hundredths;
	return DOTS_OK;
}

int
enum_value(const struct schema_node *n, const char *label, size_t len)
{
	uint8_t i;

	for (i = 1; i < n->nlabels; i++)
		if (n->labels[i] != NULL && strlen(n->labels[i]) == len &&
		    memcmp(n->labels[i], label, len) == 0)
			return i;
	return -1;
}

static int
store_prefix(struct schema_dec *d, void *slot, const char *s, size_t len)
{
	char tmp[64], q[48], canon[64];
	bool host_bits;

	if (len >= sizeof(tmp) || memchr(s, '\0', len) != NULL)
		goto bad;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (dots_prefix_parse(tmp, slot, &host_bits) != DOTS_OK)
		goto bad;
	if (host_bits) {
		dots_prefix_format(slot, canon, sizeof(canon));
		dec_warn(d, "'%s' has host bits set; read as its canonical "
		    "form %s", tmp, canon);
	}
	return DOTS_OK;
bad:
	return dec_error(d, DOTS_EVALUE, "'%s' is not an IP prefix "
	    "(address/length)", dec_quote(q, sizeof(q), s, len));
}

static int
store_ipaddr(struct schema_dec *d, void *slot, const char *s, size_t len)
{
	char tmp[64], q[48];

	if (len >= sizeof(tmp) || memchr(s, '\0', len) != NULL)
		goto bad;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (strchr(tmp, '%') != NULL)
		return dec_error(d, DOTS_EVALUE, "'%s': zoned addresses are "
		    "not supported", dec_quote(q, sizeof(q), s, len));
	if (dots_ipaddr_parse(tmp, slot) == DOTS_OK)
		return DOTS_OK;
bad:
	return dec_error(d, DOTS_EVALUE, "'%s' is not an IP address",
	    dec_quote(q, sizeof(q), s, len));
}

int
store_string(struct schema_dec *d, const struct schema_node *n, void *slot,
    const char *s, size_t len)
{
	const char *why;
	char q[48];
	char *copy;

	if (len == 0)
		return dec_error(d, DOTS_EEMPTY, "empty value (RFC 9132 "
		    "forbids empty attributes)");
	switch (n->vtype) {
	case VT_PREFIX:
		return store_prefix(d, slot, s, len);
	case VT_IPADDR:
		return store_ipaddr(d, slot, s, len);
	case VT_STRING:
	case VT_DOMAIN:
	case VT_URI:
		break;
	default:
		return dec_error(d, DOTS_ETYPE, "a string is not valid here");
	}
	why = check_utf8(s, len);
	if (why == NULL) {
		size_t i, nchar = 0;

		for (i = 0; i < len; i++)
			nchar += ((unsigned char)s[i] & 0xc0) != 0x80;
		if (nchar > n->max_len)
			return dec_error(d, DOTS_ETOOBIG, "'%s' is longer "
			    "than %u characters",
			    dec_quote(q, sizeof(q), s, len), n->max_len);
	}
	if (why == NULL && n->vtype == VT_DOMAIN)
		why = check_domain_name(s, len);
	if (why == NULL && n->vtype == VT_URI)
		why = check_uri(s, len);
	if (why != NULL)
		return dec_error(d, DOTS_EVALUE, "'%s' %s",
		    dec_quote(q, sizeof(q), s, len), why);
	copy = arena_strndup(&d->msg->arena, s, len);
	if (copy == NULL)
		return dec_error(d, DOTS_ENOMEM, "out of memory");
	*(char **)slot = copy;
	return DOTS_OK;
}

static void
entry_defaults(const struct schema_node *n, void *entry)
{
	uint8_t i;

	for (i = 0; i < n->nchildren; i++)
		if (n->children[i].flags & SF_DEFAULT_TRUE)
			*(bool *)node_slot(&n->children[i], entry) = true;
}

int
array_alloc(struct schema_dec *d, const struct schema_node *n, void *base,
    size_t count)
{
	char *arr;
	size_t i;

	if (count == 0)
		return dec_error(d, DOTS_EEMPTY, "empty list (RFC 9132 "
		    "forbids empty attributes)");
	if (count > n->max_items)
		return dec_error(d, DOTS_ETOOBIG, "%zu entries; at most %u are "
		    "accepted", count, n->max_items);
	arr = arena_alloc(&d->msg->arena, count * n->elem_size);
	if (arr == NULL)
		return dec_error(d, DOTS_ENOMEM, "out of memory");
	if (n->kind == SN_LIST)
		for (i = 0; i < count; i++)
			entry_defaults(n, arr + i * n->elem_size);
	*(void **)node_slot(n, base) = arr;
	*(size_t *)((char *)base + n->count_off) = count;
	return DOTS_OK;
}

void *
array_grow(struct schema_dec *d, const struct schema_node *n, void *base,
    size_t *cap)
{
	size_t *count = (size_t *)((char *)base + n->count_off);
	char **arr = (char **)node_slot(n, base);
	char *bigger, *slot;

	if (*count >= n->max_items) {
		dec_error(d, DOTS_ETOOBIG, "more than the %u entries accepted",
		    n->max_items);
		return NULL;
	}
	if (*count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;

		if (ncap > n->max_items)
			ncap = n->max_items;
		bigger = arena_alloc(&d->msg->arena, ncap * n->elem_size);
		if (bigger == NULL) {
			dec_error(d, DOTS_ENOMEM, "out of memory");
			return NULL;
		}
		if (*count > 0)
			memcpy(bigger, *arr, *count * n->elem_size);
		*arr = bigger;
		*cap = ncap;
	}
	slot = *arr + *count * n->elem_size;
	memset(slot, 0, n->elem_size);
	if (n->kind == SN_LIST)
		entry_defaults(n, slot);
	(*count)++;
	return slot;
}

int
array_check_unique(struct schema_dec *d, const struct schema_node *n,
    const void *base)
{
	const char *arr = node_array(n, base);
	size_t count = node_count(n, base), i, j;
	const struct schema_node *key = n;
	char text[64];

	if (n->kind == SN_LIST) {
		if (n->list_key < 0)
			return DOTS_OK;
		key = &n->children[n->list_key];
	}
	for (i = 1; i < count; i++) {
		const void *a = arr + i * n->elem_size;

		if (n->kind == SN_LIST)
			a = node_cslot(key, a);
		for (j = 0; j < i; j++) {
			const void *b = arr + j * n->elem_size;

			if (n->kind == SN_LIST)
				b = node_cslot(key, b);
			if (!value_equal(key, a, b))
				continue;
			path_index(&d->path, (long)i);
			value_format(key, a, text, sizeof(text));
			return dec_error(d, DOTS_EDUPLICATE, "duplicate entry "
			    "%s%s (same as entry %zu)", n->kind == SN_LIST ?
			    "with key " : "", text, j);
		}
	}
	return DOTS_OK;
}

int
entry_check(struct schema_dec *d, const struct schema_node *n, void *base,
    uint64_t seen)
{
	const struct schema_node *lo, *hi;
	uint64_t lv, hv;

	if (seen == 0)
		return dec_error(d, DOTS_EEMPTY, "empty %s (RFC 9132 forbids "
		    "empty attributes)", n->kind == SN_LIST ? "list entry" :
		    "container");
	if (n->kind == SN_LIST && n->list_key >= 0 &&
	    !(seen & (1ull << n->list_key)))
		return dec_error(d, DOTS_EMISSING, "entry has no '%s', "
		    "the key of the list", n->children[n->list_key].name);
	if (!(n->flags & SF_RANGE_PAIR))
		return DOTS_OK;
	lo = &n->children[0];
	hi = &n->children[1];
	lv = read_uint(lo, node_cslot(lo, base));
	if (!(*(uint32_t *)base & hi->bit)) {
		write_uint(hi, node_slot(hi, base), lv);
		return DOTS_OK;
	}
	hv = read_uint(hi, node_cslot(hi, base));
	if (hv < lv)
		return dec_error(d, DOTS_ERANGE, "%s %" PRIu64 " is lower than "
		    "%s %" PRIu64, hi->name, hv, lo->name, lv);
	return DOTS_OK;
}

bool
node_present(const struct schema_node *n, const void *base)
{
	uint8_t i;

	if (n->flags & SF_FORBIDDEN)
		return false;
	switch (n->kind) {
	case SN_LEAF:
		switch (n->vtype) {
		case VT_STRING:
		case VT_DOMAIN:
		case VT_URI:
			return *(char *const *)node_cslot(n, base) != NULL;
		default:
			/* list keys have no bit: always there */
			return n->bit == 0 ||
			    (*(const uint32_t *)base & n->bit) != 0;
		}
	case SN_LEAFLIST:
	case SN_LIST:
		return node_count(n, base) > 0;
	case SN_CONTAINER:
		for (i = 0; i < n->nchildren; i++)
			if (node_present(&n->children[i], node_cslot(n, base)))
				return true;
		return false;
	}
	return false;
}

bool
value_equal(const struct schema_node *n, const void *a, const void *b)
{
	switch (n->vtype) {
	case VT_UINT:
	case VT_UINT64_STR:
	case VT_ENUM:
		return read_uint(n, a) == read_uint(n, b);
	case VT_LIFETIME:
	case VT_DEC2:
		return *(const int64_t *)a == *(const int64_t *)b;
	case VT_BOOL:
		return *(const bool *)a == *(const bool *)b;
	case VT_PREFIX:
		return memcmp(a, b, sizeof(struct dots_prefix)) == 0;
	case VT_IPADDR:
		return memcmp(a, b, sizeof(struct dots_ipaddr)) == 0;
	case VT_STRING:
	case VT_DOMAIN:
	case VT_URI: {
		const char *sa = *(char *const *)a, *sb = *(char *const *)b;

		if (sa == NULL || sb == NULL)
			return sa == sb;
		return strcmp(sa, sb) == 0;
	}
	default:
		return true;
	}
}

int
value_format(const struct schema_node *n, const void *slot, char *buf,
    size_t len)
{
	int64_t v;

	switch (n->vtype) {
	case VT_UINT:
	case VT_UINT64_STR:
		snprintf(buf, len, "%" PRIu64, read_uint(n, slot));
		return DOTS_OK;
	case VT_ENUM:
		v = (int64_t)read_uint(n, slot);
		if (v >= n->nlabels || n->labels[v] == NULL)
			return DOTS_EINVAL;
		snprintf(buf, len, "%s", n->labels[v]);
		return DOTS_OK;
	case VT_LIFETIME:
		snprintf(buf, len, "%" PRId64, *(const int64_t *)slot);
		return DOTS_OK;
	case VT_DEC2:
		v = *(const int64_t *)slot;
		if (v < 0 || (uint64_t)v > n->max)
			return DOTS_EINVAL;
		snprintf(buf, len, "%" PRId64 ".%02" PRId64, v / 100, v % 100);
		return DOTS_OK;
	case VT_BOOL:
		snprintf(buf, len, "%s", *(const bool *)slot ? "true" : "false");
		return DOTS_OK;
	case VT_PREFIX:
		return dots_prefix_format(slot, buf, len);
	case VT_IPADDR:
		return dots_ipaddr_format(slot, buf, len);
	case VT_STRING:
	case VT_DOMAIN:
	case VT_URI: {
		const char *s = *(char *const *)slot;

		if (s == NULL)
			return DOTS_EINVAL;
		snprintf(buf, len, "'%s'", s);
		return DOTS_OK;
	}
	default:
		return DOTS_EINVAL;
	}
}

bool
schema_struct_equal(const struct schema_node *n, const void *a, const void *b)
{
	uint8_t i;
	size_t k, cnt;

	for (i = 0; i < n->nchildren; i++) {
		const struct schema_node *c = &n->children[i];
		bool pa = node_present(c, a), pb = node_present(c, b);

		if (pa != pb)
			return false;
		if (!pa)
			continue;
		switch (c->kind) {
		case SN_LEAF:
			if (!value_equal(c, node_cslot(c, a), node_cslot(c, b)))
				return false;
			break;
		case SN_CONTAINER:
			if (!schema_struct_equal(c, node_cslot(c, a),
			    node_cslot(c, b)))
				return false;
			break;
		case SN_LEAFLIST:
		case SN_LIST:
			cnt = node_count(c, a);
			if (cnt != node_count(c, b))
				return false;
			for (k = 0; k < cnt; k++) {
				const char *ea = (const char *)node_array(c, a) +
				    k * c->elem_size;
				const char *eb = (const char *)node_array(c, b) +
				    k * c->elem_size;

				if (c->kind == SN_LEAFLIST ?
				    !value_equal(c, ea, eb) :
				    !schema_struct_equal(c, ea, eb))
					return false;
			}
			break;
		}
	}
	return true;
}
