/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libyang: validation of request bodies against the official modules
 * (yang/, unedited) and opendots-deviations, and their canonical form.
 *
 * A body is validated as the configuration datastore it would make for
 * its client: /dots-data/dots-client[cuid]/{aliases|acls}, config only,
 * strict (unknown members are errors).  What libyang answers goes to the
 * client as is, in the error body.
 *
 * The one defect of ietf-dots-data-channel that a deviation cannot fix
 * (YANG does not allow 'when' to be deviated) is the derived-from() test
 * on the ipv4/ipv6 match containers, false for an ACL of type exactly
 * ipv4-acl-type.  Evaluated as derived-from-or-self(), as RFC 8519 does
 * and RFC 8783 means: the copy handed to libyang carries, for
 * ipv4-acl-type, mixed-eth-ipv4-acl-type, and for ipv6-acl-type,
 * mixed-eth-ipv6-acl-type, the official identities derived from exactly
 * that base among those a DOTS match can use (ipv4/ipv6; DOTS has no
 * Ethernet matches), so the test gives the same answer as
 * derived-from-or-self() on the original.  The type printed and stored
 * is the original.  An ACL without a type gets the one its matches need
 * (ipv4-acl-type, ipv6-acl-type, or mixed-eth-ipv4-ipv6-acl-type for
 * both), since without one the official module allows no IP match.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libyang/libyang.h>

#include "dc_int.h"

#define DC_MOD_REV	"2020-05-28"

struct dc_yang {
	struct ly_ctx	*ctx;
};

/*
 * Every feature of ietf-access-control-list: its identities (the ACL
 * types) sit behind them, and DOTS uses none of its other nodes.
 */
static const char *dc_acl_features[] = { "*", NULL };

static const char *const dc_modules[][2] = {
	{ "ietf-access-control-list", NULL },
	{ DC_MOD, DC_MOD_REV },
	{ "opendots-deviations", NULL },
	{ "ietf-restconf", NULL },
};

struct dc_yang *
dc_yang_new(const char *dir, char *err, size_t errlen)
{
	struct dc_yang *y = calloc(1, sizeof(*y));
	size_t i;

	if (y == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/* messages are read from the context, never printed */
	ly_log_options(LY_LOSTORE_LAST);
	if (ly_ctx_new(dir, LY_CTX_DISABLE_SEARCHDIR_CWD, &y->ctx) !=
	    LY_SUCCESS) {
		snprintf(err, errlen, "libyang: cannot use %s", dir);
		free(y);
		return NULL;
	}
	for (i = 0; i < sizeof(dc_modules) / sizeof(dc_modules[0]); i++) {
		if (ly_ctx_load_module(y->ctx, dc_modules[i][0],
		    dc_modules[i][1], i == 0 ? dc_acl_features : NULL) ==
		    NULL) {
			const struct ly_err_item *ei = ly_err_last(y->ctx);

			snprintf(err, errlen, "libyang: cannot load %s from "
			    "%s: %s", dc_modules[i][0], dir,
			    ei != NULL ? ei->msg : "not found");
			dc_yang_free(y);
			return NULL;
		}
	}
	return y;
}

void
dc_yang_free(struct dc_yang *y)
{
	if (y == NULL)
		return;
	ly_ctx_destroy(y->ctx);
	free(y);
}

/* The RESTCONF error-tag a libyang message stands for. */
static const char *
ly_tag(const struct ly_err_item *ei)
{
	if (ei == NULL || ei->msg == NULL)
		return "invalid-value";
	if (strncmp(ei->msg, "Mandatory node", 14) == 0 ||
	    strstr(ei->msg, "key missing") != NULL ||
	    strstr(ei->msg, "Missing key") != NULL)
		return "missing-attribute";
	if (strncmp(ei->msg, "Node \"", 6) == 0 &&
	    strstr(ei->msg, "not found") != NULL)
		return "unknown-element";
	return "invalid-value";
}

static int
ly_error(struct dc_yang *y, struct dc_error *e)
{
	const struct ly_err_item *ei = ly_err_last(y->ctx);

	dc_error_set(e, 400, ly_tag(ei), "%s%s%s%s",
	    ei != NULL && ei->msg != NULL ? ei->msg : "invalid data",
	    ei != NULL && ei->path != NULL ? " (" : "",
	    ei != NULL && ei->path != NULL ? ei->path : "",
	    ei != NULL && ei->path != NULL ? ")" : "");
	ly_err_clean(y->ctx, NULL);
	return 400;
}

static bool
has_l3(json_t *acl, const char *l3)
{
	json_t *aces = json_object_get(json_object_get(acl, "aces"), "ace");
	json_t *ace;
	size_t i;

	json_array_foreach(aces, i, ace)
		if (json_object_get(json_object_get(ace, "matches"), l3) !=
		    NULL)
			return true;
	return false;
}

/*
 * Set each ACL's type for validation (see the top), and record in
 * @p orig, by ACL name, the type to restore (a JSON string) or null.
 */
static void
acl_types(json_t *acls, json_t *orig)
{
	json_t *acl, *t;
	const char *type, *vtype;
	size_t i;
	bool v4, v6;

	json_array_foreach(acls, i, acl) {
		const char *name = json_string_value(json_object_get(acl,
		    "name"));

		if (!json_is_object(acl) || name == NULL)
			continue;
		t = json_object_get(acl, "type");
		if (t != NULL && !json_is_string(t))
			continue;	/* libyang will say why */
		if (t == NULL) {
			v4 = has_l3(acl, "ipv4");
			v6 = has_l3(acl, "ipv6");
			if (!v4 && !v6)
				continue;
			type = v4 && v6 ? DC_ACL_MOD
			    ":mixed-eth-ipv4-ipv6-acl-type" : v4 ?
			    DC_ACL_MOD ":ipv4-acl-type" :
			    DC_ACL_MOD ":ipv6-acl-type";
		} else
			type = json_string_value(t);
		json_object_set_new(orig, name, json_string(type));
		vtype = type;
		if (strcmp(type, DC_ACL_MOD ":ipv4-acl-type") == 0)
			vtype = DC_ACL_MOD ":mixed-eth-ipv4-acl-type";
		else if (strcmp(type, DC_ACL_MOD ":ipv6-acl-type") == 0)
			vtype = DC_ACL_MOD ":mixed-eth-ipv6-acl-type";
		json_object_set_new(acl, "type", json_string(vtype));
	}
}

/* One list entry as libyang prints it, as a **new** JSON object. */
static json_t *
entry_json(struct lyd_node *node)
{
	char *s = NULL;
	json_t *top, *arr, *obj = NULL;
	const char *key;

	if (lyd_print_mem(&s, node, LYD_JSON, LYD_PRINT_SHRINK) !=
	    LY_SUCCESS || s == NULL)
		return NULL;
	top = json_loads(s, 0, NULL);
	free(s);
	/* {"ietf-dots-data-channel:alias":[{...}]} */
	json_object_foreach(top, key, arr) {
		obj = json_array_get(arr, 0);
		break;
	}
	json_incref(obj);	/* outlives top */
	json_decref(top);
	return obj;
}

int
dc_yang_check(struct dc_yang *y, json_t *client, enum dc_kind kind,
    json_t **out, struct dc_error *e)
{
	json_t *doc, *orig = json_object(), *res = json_array(), *o;
	struct lyd_node *tree = NULL, *n, *c, *entry;
	const char *box = kind == DC_ALIAS ? "aliases" : "acls";
	char *text;
	LY_ERR rc;

	*out = NULL;
	if (orig == NULL || res == NULL)
		goto nomem;
	if (kind == DC_ACL)
		acl_types(json_object_get(json_object_get(client, box), "acl"),
		    orig);
	/* json_pack's "O" takes a new reference to client */
	doc = json_pack("{s:{s:[O]}}", DC_MOD ":dots-data", "dots-client",
	    client);
	text = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (text == NULL)
		goto nomem;
	rc = lyd_parse_data_mem(y->ctx, text, LYD_JSON, LYD_PARSE_STRICT |
	    LYD_PARSE_NO_STATE, LYD_VALIDATE_NO_STATE | LYD_VALIDATE_PRESENT,
	    &tree);
	free(text);
	if (rc != LY_SUCCESS) {
		lyd_free_all(tree);
		json_decref(orig);
		json_decref(res);
		return ly_error(y, e);
	}
	/* dots-data / dots-client / box / entries */
	for (n = lyd_child(tree); n != NULL; n = n->next) {
		for (c = lyd_child(n); c != NULL; c = c->next) {
			if (strcmp(c->schema->name, box) != 0)
				continue;
			LY_LIST_FOR(lyd_child(c), entry) {
				const char *name = lyd_get_value(
				    lyd_child(entry));
				json_t *t = json_object_get(orig, name);
				struct lyd_node *tn = NULL;

				if (kind == DC_ACL && json_is_string(t)) {
					lyd_find_path(entry, "type", 0, &tn);
					if (tn != NULL)
						lyd_change_term(tn,
						    json_string_value(t));
				}
				o = entry_json(entry);
				if (o == NULL || json_array_append_new(res,
				    o) != 0)
					goto nomem_tree;
			}
		}
	}
	lyd_free_all(tree);
	json_decref(orig);
	*out = res;
	return 0;
nomem_tree:
	lyd_free_all(tree);
nomem:
	json_decref(orig);
	json_decref(res);
	return dc_error_set(e, 500, "operation-failed", "out of memory");
}

int
dc_yang_check_data(struct dc_yang *y, const char *doc, char *msg,
    size_t msglen)
{
	struct lyd_node *tree = NULL;
	const struct ly_err_item *ei;
	LY_ERR rc;

	rc = lyd_parse_data_mem(y->ctx, doc, LYD_JSON, LYD_PARSE_STRICT,
	    LYD_VALIDATE_PRESENT,
	    &tree);
	lyd_free_all(tree);
	if (rc == LY_SUCCESS)
		return 0;
	ei = ly_err_last(y->ctx);
	snprintf(msg, msglen, "%s", ei != NULL && ei->msg != NULL ? ei->msg :
	    "invalid");
	ly_err_clean(y->ctx, NULL);
	return -1;
}

int
dc_yang_check_errors(struct dc_yang *y, const char *doc, char *msg,
    size_t msglen)
{
	const struct lys_module *mod;
	struct lysc_ext_instance *ext = NULL;
	struct lyd_node *tree = NULL;
	struct ly_in *in = NULL;
	const struct ly_err_item *ei;
	LY_ARRAY_COUNT_TYPE i;
	LY_ERR rc;

	mod = ly_ctx_get_module_implemented(y->ctx, "ietf-restconf");
	if (mod == NULL || mod->compiled == NULL) {
		snprintf(msg, msglen, "ietf-restconf not loaded");
		return -1;
	}
	LY_ARRAY_FOR(mod->compiled->exts, i)
		if (mod->compiled->exts[i].argument != NULL &&
		    strcmp(mod->compiled->exts[i].argument,
		    "yang-errors") == 0)
			ext = &mod->compiled->exts[i];
	if (ext == NULL || ly_in_new_memory(doc, &in) != LY_SUCCESS) {
		snprintf(msg, msglen, "no rc:yang-data yang-errors");
		return -1;
	}
	rc = lyd_parse_ext_data(ext, NULL, in, LYD_JSON, LYD_PARSE_STRICT,
	    LYD_VALIDATE_PRESENT, &tree);
	ly_in_free(in, 0);
	lyd_free_all(tree);
	if (rc == LY_SUCCESS)
		return 0;
	ei = ly_err_last(y->ctx);
	snprintf(msg, msglen, "%s", ei != NULL && ei->msg != NULL ? ei->msg :
	    "invalid");
	ly_err_clean(y->ctx, NULL);
	return -1;
}
