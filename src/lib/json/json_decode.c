/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * RFC 7951 JSON -> model.  jansson parses (refusing duplicate members);
 * this walks the result along the schema tables.  Member names follow
 * RFC 7951 section 4: qualified with the module name at the top and
 * wherever the module changes (e.g. "ietf-dots-call-home:source-prefix"),
 * plain elsewhere.  A redundant qualification is accepted with a warning;
 * a missing one is an error, except the draft-era unprefixed "acl-list"
 * when the caller asks for leniency.
 */
#include <inttypes.h>
#include <string.h>

#include <jansson.h>

#include <dots/json.h>

#include "../model/schema.h"

struct jdec {
	struct schema_dec	d;
	unsigned		flags;
};

static int	read_object(struct jdec *j, const struct schema_node *n,
		    void *base, json_t *obj, unsigned mod);

static const char *
json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

static int
wrong_type(struct jdec *j, const char *want, const json_t *got)
{
	return dec_error(&j->d, DOTS_ETYPE, "must be %s, not %s", want,
	    json_type_name(got));
}

/*
 * RFC 7951 uint64: a string in the lexical form of RFC 7950 section 9.2.1,
 * i.e. decimal digits with an optional "+"; leading zeros are allowed.
 */
static int
read_uint64_string(struct jdec *j, const struct schema_node *n, void *slot,
    const json_t *v)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v), i = 0;
	uint64_t x = 0;

	if (len > 0 && s[0] == '+')
		i++;
	if (i == len || len > 64)
		goto bad;
	for (; i < len; i++) {
		unsigned dgt = (unsigned)(s[i] - '0');

		if (dgt > 9)
			goto bad;
		if (x > (UINT64_MAX - dgt) / 10)
			return dec_error(&j->d, DOTS_ERANGE, "'%s' exceeds the "
			    "uint64 range", s);
		x = x * 10 + dgt;
	}
	return store_uint(&j->d, n, slot, x);
bad:
	return dec_error(&j->d, DOTS_EVALUE, "must be a string of decimal "
	    "digits (RFC 7951 uint64)");
}

/* decimal64, fraction-digits 2: "2", "2.5" or "2.50". */
static int
read_dec2_string(struct jdec *j, const struct schema_node *n, void *slot,
    const json_t *v)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v), i = 0, frac = 0, ip = 0;
	int64_t x = 0;

	if (len > 0 && s[0] == '-')
		return dec_error(&j->d, DOTS_ERANGE, "must not be negative");
	if (len > 0 && s[0] == '+')	/* RFC 7950 section 9.3.1 */
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, ip++) {
		if (x > (INT64_MAX / 100 - 9) / 10)
			return dec_error(&j->d, DOTS_ERANGE, "is too large");
		x = x * 10 + (s[i] - '0');
	}
	x *= 100;
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (++frac > 2)
				return dec_error(&j->d, DOTS_ERANGE, "more "
				    "than 2 fraction digits");
			x += (s[i] - '0') * (frac == 1 ? 10 : 1);
		}
		if (frac == 0)
			ip = 0;
	}
	if (ip == 0 || i != len)
		return dec_error(&j->d, DOTS_EVALUE, "must be a decimal number "
		    "as a string, e.g. \"2.00\" (RFC 7951 decimal64)");
	return store_dec2(&j->d, n, slot, x);
}

static int
read_scalar(struct jdec *j, const struct schema_node *n, void *slot,
    const json_t *v)
{
	json_int_t i;
	char q[64];
	int e;

	switch (n->vtype) {
	case VT_UINT:
		if (json_is_string(v) && (n->flags & SF_JSON_STRING_OK)) {
			dec_warn(&j->d, "%s should be a JSON number (RFC 7951)",
			    n->name);
			return read_uint64_string(j, n, slot, v);
		}
		if (!json_is_integer(v))
			return wrong_type(j, "an integer", v);
		i = json_integer_value(v);
		if (i < 0)
			return dec_error(&j->d, DOTS_ERANGE, "%" JSON_INTEGER_FORMAT
			    " is negative", i);
		return store_uint(&j->d, n, slot, (uint64_t)i);
	case VT_UINT64_STR:
		if (!json_is_string(v))
			return wrong_type(j, "a string (RFC 7951 writes 64-bit "
			    "integers as strings)", v);
		return read_uint64_string(j, n, slot, v);
	case VT_LIFETIME:
		if (!json_is_integer(v))
			return wrong_type(j, "an integer", v);
		return store_lifetime(&j->d, n, slot, json_integer_value(v));
	case VT_ENUM:
		if (!json_is_string(v))
			return wrong_type(j, "an enumeration label (string)", v);
		e = enum_value(n, json_string_value(v), json_string_length(v));
		if (e < 0)
			return dec_error(&j->d, DOTS_ERANGE, "'%s' is not a "
			    "known %s value", dec_quote(q, sizeof(q),
			    json_string_value(v), json_string_length(v)),
			    n->name);
		return store_uint(&j->d, n, slot, (uint64_t)e);
	case VT_BOOL:
		if (!json_is_boolean(v))
			return wrong_type(j, "a boolean", v);
		return store_bool(&j->d, n, slot, json_is_true(v));
	case VT_DEC2:
		if (!json_is_string(v))
			return wrong_type(j, "a string (RFC 7951 writes decimal64 "
			    "as a string)", v);
		return read_dec2_string(j, n, slot, v);
	default:
		if (!json_is_string(v))
			return wrong_type(j, "a string", v);
		return store_string(&j->d, n, slot, json_string_value(v),
		    json_string_length(v));
	}
}

static int
read_array(struct jdec *j, const struct schema_node *n, void *base,
    json_t *arr, unsigned mod)
{
	size_t i, count;
	json_t *v;
	char *slot;
	int ret;

	if (!json_is_array(arr))
		return wrong_type(j, "an array", arr);
	count = json_array_size(arr);
	if ((ret = array_alloc(&j->d, n, base, count)) != DOTS_OK)
		return ret;
	json_array_foreach(arr, i, v) {
		path_index(&j->d.path, (long)i);
		slot = (char *)node_array(n, base) + i * n->elem_size;
		if (n->kind == SN_LIST)
			ret = read_object(j, n, slot, v, mod);
		else
			ret = read_scalar(j, n, slot, v);
		if (ret != DOTS_OK)
			return ret;
	}
	path_index(&j->d.path, -1);
	return array_check_unique(&j->d, n, base);
}

static int
module_index(const char *name, size_t len)
{
	unsigned m;

	for (m = 0; m < MOD_COUNT; m++)
		if (strlen(schema_module_names[m]) == len &&
		    memcmp(schema_module_names[m], name, len) == 0)
			return (int)m;
	return -1;
}

/*
 * Map a member name to its schema node, enforcing RFC 7951 qualification.
 * @p mod is the parent's module.
 */
static int
resolve_member(struct jdec *j, const struct schema_node *n, const char *key,
    unsigned mod, const struct schema_node **out, unsigned *out_mod)
{
	const char *colon = strchr(key, ':'), *name = key;
	const struct schema_node *c;
	char q[88], qm[48];
	int qual = -1;
	unsigned eff;

	if (colon != NULL) {
		qual = module_index(key, (size_t)(colon - key));
		if (qual < 0)
			return dec_error(&j->d, DOTS_EUNKNOWN_KEY, "unknown "
			    "member '%s': module '%s' is not supported",
			    dec_quote(q, sizeof(q), key, strlen(key)),
			    dec_quote(qm, sizeof(qm), key,
			    (size_t)(colon - key)));
		name = colon + 1;
	}
	c = schema_child_by_name(n, name, strlen(name));
	if (c == NULL)
		return dec_error(&j->d, DOTS_EUNKNOWN_KEY, "unknown member "
		    "'%s'", dec_quote(q, sizeof(q), key, strlen(key)));
	eff = c->module == MOD_INHERIT ? mod : c->module;
	if (qual >= 0 && (unsigned)qual != eff)
		return dec_error(&j->d, DOTS_EUNKNOWN_KEY, "'%s' is not "
		    "defined by module '%s'", name, schema_module_names[qual]);
	if (qual >= 0 && eff == mod)
		dec_warn(&j->d, "member '%s' repeats its parent's module "
		    "prefix; RFC 7951 section 4 wants '%s'", key, name);
	if (qual < 0 && eff != mod) {
		if (!(c->flags & SF_LENIENT_BARE) ||
		    !(j->flags & DOTS_JSON_LENIENT))
			return dec_error(&j->d, DOTS_EUNKNOWN_KEY, "member "
			    "'%s' must be written '%s:%s' (RFC 7951 section "
			    "4)", name, schema_module_names[eff], name);
		dec_warn(&j->d, "member '%s' lacks its module prefix; read as "
		    "'%s:%s'", name, schema_module_names[eff], name);
	}
	*out = c;
	*out_mod = eff;
	return DOTS_OK;
}

static int
read_member(struct jdec *j, const struct schema_node *n, void *base,
    const char *key, json_t *v, unsigned mod, uint64_t *seen)
{
	const struct schema_node *c = NULL;
	unsigned cmod = 0, idx;
	int ret;

	if ((ret = resolve_member(j, n, key, mod, &c, &cmod)) != DOTS_OK)
		return ret;
	path_push(&j->d.path, c->name);
	idx = (unsigned)(c - n->children);
	if (c->flags & SF_FORBIDDEN)
		ret = dec_error(&j->d, DOTS_EFORBIDDEN, "belongs in the "
		    "Uri-Path and must not appear in a body (RFC 9132 "
		    "section 4.4.1)");
	else if (*seen & (1ull << idx))
		ret = dec_error(&j->d, DOTS_EDUPLICATE, "given twice, with "
		    "and without its module prefix");
	else {
		*seen |= 1ull << idx;
		switch (c->kind) {
		case SN_CONTAINER:
			ret = read_object(j, c, node_slot(c, base), v, cmod);
			break;
		case SN_LEAF:
			ret = read_scalar(j, c, node_slot(c, base), v);
			if (ret == DOTS_OK)
				leaf_set_present(c, base);
			break;
		default:
			ret = read_array(j, c, base, v, cmod);
			break;
		}
	}
	path_pop(&j->d.path);
	return ret;
}

static int
read_object(struct jdec *j, const struct schema_node *n, void *base,
    json_t *obj, unsigned mod)
{
	uint64_t seen = 0;
	const char *key;
	json_t *v;
	int ret;

	if (!json_is_object(obj))
		return wrong_type(j, "an object", obj);
	json_object_foreach(obj, key, v) {
		ret = read_member(j, n, base, key, v, mod, &seen);
		if (ret != DOTS_OK)
			return ret;
	}
	return entry_check(&j->d, n, base, seen);
}

static int
decode_root(struct jdec *j, json_t *doc)
{
	const char *prefix = schema_module_names[MOD_SIGNAL], *key, *name;
	size_t plen = strlen(prefix), i;
	const struct schema_node *root = NULL;
	json_t *v = NULL;
	char q[88];
	int ret;

	if (!json_is_object(doc) || json_object_size(doc) != 1)
		return dec_error(&j->d, DOTS_ETYPE, "a DOTS signal body is an "
		    "object with one member, e.g. "
		    "\"ietf-dots-signal-channel:mitigation-scope\"");
	json_object_foreach(doc, key, v)
		break;
	name = key;
	if (strncmp(key, prefix, plen) == 0 && key[plen] == ':')
		name = key + plen + 1;
	for (i = 0; i < schema_signal_nroots; i++)
		if (strcmp(schema_signal_roots[i].name, name) == 0)
			root = &schema_signal_roots[i];
	if (root == NULL)
		return dec_error(&j->d, DOTS_EUNKNOWN_KEY, "unknown message "
		    "type '%s'", dec_quote(q, sizeof(q), key, strlen(key)));
	if (name == key)
		return dec_error(&j->d, DOTS_EUNKNOWN_KEY, "top-level member "
		    "must be written '%s:%s' (RFC 7951 section 4)", prefix,
		    name);
	j->d.msg->kind = schema_kind_for_root(root);
	path_push(&j->d.path, root->name);
	ret = read_object(j, root, node_slot(root, j->d.msg), v, MOD_SIGNAL);
	if (ret == DOTS_OK)
		path_pop(&j->d.path);
	return ret;
}

int
dots_json_decode_signal(const char *text, size_t len, unsigned flags,
    struct dots_signal **out, struct dots_diag *diag)
{
	struct dots_diag local;
	struct jdec j;
	json_error_t jerr;
	json_t *doc;
	int ret;

	if (out == NULL || (text == NULL && len > 0))
		return DOTS_EINVAL;
	*out = NULL;
	if (diag == NULL)
		diag = &local;
	dots_diag_clear(diag);
	memset(&j, 0, sizeof(j));
	j.d.diag = diag;
	j.flags = flags;
	if (len > 16 * 64 * 1024)
		return dec_error(&j.d, DOTS_ETOOBIG, "body of %zu bytes is too "
		    "large", len);
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL)
		return dec_error(&j.d, DOTS_EMALFORMED, "invalid JSON at line "
		    "%d column %d: %s", jerr.line, jerr.column, jerr.text);
	j.d.msg = dots_signal_new(DOTS_SIG_NONE);
	if (j.d.msg == NULL) {
		json_decref(doc);
		return dec_error(&j.d, DOTS_ENOMEM, "out of memory");
	}
	ret = decode_root(&j, doc);
	json_decref(doc);
	if (ret != DOTS_OK) {
		dots_signal_free(j.d.msg);
		return ret;
	}
	*out = j.d.msg;
	return DOTS_OK;
}
