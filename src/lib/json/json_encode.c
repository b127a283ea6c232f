/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Model -> RFC 7951 JSON, always in the standard form: module-qualified
 * names where the module changes, 64-bit integers and decimals as strings,
 * enumerations as labels.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include <dots/json.h>

#include "../model/schema.h"

static json_t	*emit_struct(const struct schema_node *n, const void *base,
		    unsigned mod);

static json_t *
emit_scalar(const struct schema_node *n, const void *slot)
{
	char text[64];

	switch (n->vtype) {
	case VT_UINT:
		/* json_int_t is 64-bit signed; uint32 always fits */
		return json_integer((json_int_t)read_uint(n, slot));
	case VT_LIFETIME:
		return json_integer(*(const int64_t *)slot);
	case VT_BOOL:
		return json_boolean(*(const bool *)slot);
	case VT_STRING:
	case VT_DOMAIN:
	case VT_URI:
		if (*(char *const *)slot == NULL || **(char *const *)slot == 0)
			return NULL;
		return json_string(*(char *const *)slot);
	case VT_UINT64_STR:
	case VT_ENUM:
	case VT_DEC2:
	case VT_PREFIX:
	case VT_IPADDR:
		if (value_format(n, slot, text, sizeof(text)) != DOTS_OK)
			return NULL;
		return json_string(text);
	default:
		return NULL;
	}
}

static json_t *
emit_array(const struct schema_node *n, const void *base, unsigned mod)
{
	const char *arr = node_array(n, base);
	size_t count = node_count(n, base), i;
	json_t *a = json_array(), *v;

	if (a == NULL || arr == NULL)
		goto fail;
	for (i = 0; i < count; i++) {
		const void *slot = arr + i * n->elem_size;

		v = n->kind == SN_LIST ? emit_struct(n, slot, mod) :
		    emit_scalar(n, slot);
		/* json_array_append_new steals v, even on failure */
		if (v == NULL || json_array_append_new(a, v) != 0)
			goto fail;
	}
	return a;
fail:
	json_decref(a);
	return NULL;
}

static json_t *
emit_struct(const struct schema_node *n, const void *base, unsigned mod)
{
	json_t *o = json_object(), *v;
	char name[128];
	uint8_t i;

	if (o == NULL)
		return NULL;
	for (i = 0; i < n->nchildren; i++) {
		const struct schema_node *c = &n->children[i];
		unsigned cmod = c->module == MOD_INHERIT ? mod : c->module;

		if (!node_present(c, base))
			continue;
		switch (c->kind) {
		case SN_LEAF:
			v = emit_scalar(c, node_cslot(c, base));
			break;
		case SN_CONTAINER:
			v = emit_struct(c, node_cslot(c, base), cmod);
			break;
		default:
			v = emit_array(c, base, cmod);
			break;
		}
		if (cmod != mod)
			snprintf(name, sizeof(name), "%s:%s",
			    schema_module_names[cmod], c->name);
		else
			snprintf(name, sizeof(name), "%s", c->name);
		/* json_object_set_new steals v, even on failure */
		if (v == NULL || json_object_set_new(o, name, v) != 0)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

char *
dots_json_encode_signal(const struct dots_signal *m, unsigned flags, int *err)
{
	const struct schema_node *root;
	json_t *doc = NULL, *body;
	char name[128], *text = NULL;
	int ret = DOTS_EINVAL;

	if (m == NULL || (root = schema_root_for_kind(m->kind)) == NULL ||
	    !node_present(root, m))
		goto out;
	body = emit_struct(root, node_cslot(root, m), MOD_SIGNAL);
	if (body == NULL)
		goto out;
	snprintf(name, sizeof(name), "%s:%s", schema_module_names[MOD_SIGNAL],
	    root->name);
	doc = json_object();
	if (doc == NULL || json_object_set_new(doc, name, body) != 0) {
		ret = DOTS_ENOMEM;
		goto out;
	}
	text = json_dumps(doc, (flags & DOTS_JSON_PRETTY) ? JSON_INDENT(2) :
	    JSON_COMPACT);
	ret = text ? DOTS_OK : DOTS_ENOMEM;
out:
	json_decref(doc);
	if (err != NULL)
		*err = ret;
	return text;
}
