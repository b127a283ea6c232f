/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The RESTCONF resources of the data channel (RFC 8783 sections 4 to 7,
 * RFC 8040): one request of an authenticated client in, one answer out.
 * No sockets here (dc_http.c), so that unit tests and the fuzz target
 * call dc_handle() directly.
 *
 * A client sees and changes only its own dots-client: a URI with
 * another cuid is 403 whether that client exists or not, and GET on
 * dots-data shows only the caller's entry, so nothing of another client
 * leaks.  Writes are validated whole before anything is stored, so a
 * refused request changes nothing; what is stored is libyang's canonical
 * form of the entry, and every answer is built from it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dc_int.h"

#define CT_YANG		"application/yang-data+json"
#define CT_XRD		"application/xrd+xml"

static const char host_meta[] =
	"<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>\n"
	"  <Link rel='restconf' href='" DC_ROOT "'/>\n"
	"</XRD>\n";

char *
dc_error_body(const struct dc_error *e)
{
	const char *type = e->status == 400 || e->status == 409 ||
	    e->status == 403 || e->status >= 500 ? "application" :
	    "protocol";
	char msg[DC_MSG_MAX], *s;
	json_t *doc, *m;
	size_t i;

	/* The message may quote the peer's bytes: if they are not UTF-8,
	 * show them as '?' (a JSON string must be UTF-8). */
	m = json_string(e->msg);
	if (m == NULL) {
		for (i = 0; e->msg[i] != '\0' && i + 1 < sizeof(msg); i++)
			msg[i] = (unsigned char)e->msg[i] < 0x80 ?
			    e->msg[i] : '?';
		msg[i] = '\0';
		m = json_string(msg);
	}
	/* json_pack "s" copies the strings, "o" takes m */
	doc = json_pack("{s:{s:[{s:s,s:s,s:o*}]}}", "ietf-restconf:errors",
	    "error", "error-type", type, "error-tag", e->tag,
	    "error-message", m);
	s = doc != NULL ? json_dumps(doc, JSON_INDENT(2)) : NULL;
	json_decref(doc);
	return s;
}

static void
set_error(struct dc_response *rs, const struct dc_error *e)
{
	free(rs->body);
	rs->status = e->status;
	rs->body = dc_error_body(e);
	rs->ctype = rs->body != NULL ? CT_YANG : NULL;
}

/* Takes @p doc (its reference). */
static void
set_json(struct dc_response *rs, int status, json_t *doc)
{
	free(rs->body);
	rs->body = doc != NULL ? json_dumps(doc, JSON_INDENT(2)) : NULL;
	json_decref(doc);
	if (rs->body == NULL) {
		struct dc_error e;

		dc_error_set(&e, 500, "operation-failed", "out of memory");
		set_error(rs, &e);
		return;
	}
	rs->status = status;
	rs->ctype = CT_YANG;
}

void
dc_response_clear(struct dc_response *rs)
{
	free(rs->body);
	free(rs->location);
	memset(rs, 0, sizeof(*rs));
}

static void
set_location(struct dc_response *rs, const char *cuid, enum dc_kind kind,
    const char *name)
{
	char ec[3 * DC_KEY_MAX + 1], en[3 * DC_KEY_MAX + 1];
	size_t len = sizeof(DC_DATA) + 2 * sizeof(ec) + 32;

	free(rs->location);
	rs->location = malloc(len);
	if (rs->location == NULL)
		return;
	dc_uri_encode(cuid, ec, sizeof(ec));
	if (name == NULL) {
		snprintf(rs->location, len, DC_DATA "/dots-client=%s", ec);
		return;
	}
	dc_uri_encode(name, en, sizeof(en));
	snprintf(rs->location, len, DC_DATA "/dots-client=%s/%s=%s", ec,
	    kind == DC_ALIAS ? "aliases/alias" : "acls/acl", en);
}

static int
store_error(struct dc_core *c, struct dc_error *e)
{
	return dc_error_set(e, 500, "operation-failed", "store: %s",
	    dc_store_errmsg(c->store));
}

/* -- reading ------------------------------------------------------- */

struct collect {
	json_t		*arr;
	enum dc_kind	 kind;
	enum dc_content	 content;
	time_t		 now;
};

static json_t *
shown(const char *body, int64_t expires, enum dc_kind kind,
    enum dc_content content, time_t now)
{
	json_t *o = json_loads(body, 0, NULL), *n;
	int64_t left = (expires - (int64_t)now + 59) / 60;

	(void)kind;
	if (o == NULL || content == DC_CONTENT_CONFIG)
		return o;
	if (left < 0)
		left = 0;
	if (content == DC_CONTENT_NONCONFIG) {
		/* the key, to tell the entries apart, and the state.  No
		 * ACE is listed: none has state here (no statistics), and
		 * an ACE without its mandatory action is not valid data */
		n = json_pack("{s:O}", "name", json_object_get(o, "name"));
		json_decref(o);
		o = n;
	}
	json_object_set_new(o, "pending-lifetime", json_integer(left));
	return o;
}

static int
collect_one(void *arg, const char *name, const char *body, int64_t expires)
{
	struct collect *cl = arg;
	json_t *o = shown(body, expires, cl->kind, cl->content, cl->now);

	(void)name;
	if (o == NULL)
		return -1;
	return json_array_append_new(cl->arr, o);
}

/* The client's entries of @p kind, **new** array (maybe empty), or NULL. */
static json_t *
entries(struct dc_core *c, const char *cuid, enum dc_kind kind,
    enum dc_content content, time_t now)
{
	struct collect cl = { json_array(), kind, content, now };

	if (cl.arr == NULL ||
	    dc_store_item_foreach(c->store, kind, cuid, collect_one,
	    &cl) != 0) {
		json_decref(cl.arr);
		return NULL;
	}
	return cl.arr;
}

/* {"cuid":..., "aliases":{...}, "acls":{...}}, **new**, or NULL. */
static json_t *
client_json(struct dc_core *c, const char *cuid, enum dc_content content,
    time_t now)
{
	json_t *o = json_pack("{s:s}", "cuid", cuid);
	json_t *al = entries(c, cuid, DC_ALIAS, content, now);
	json_t *ac = entries(c, cuid, DC_ACL, content, now);

	if (o == NULL || al == NULL || ac == NULL) {
		json_decref(o);
		json_decref(al);
		json_decref(ac);
		return NULL;
	}
	/* "o" steals the arrays */
	if (json_array_size(al) > 0)
		json_object_set_new(o, "aliases", json_pack("{s:o}", "alias",
		    al));
	else
		json_decref(al);
	if (json_array_size(ac) > 0)
		json_object_set_new(o, "acls", json_pack("{s:o}", "acl", ac));
	else
		json_decref(ac);
	return o;
}

void
dc_core_acl_changed(struct dc_core *c, const char *cuid, const char *name)
{
	if (c->acl_changed != NULL)
		c->acl_changed(c->acl_changed_arg, cuid, name);
}

int
dc_acl_lookup(struct dc_core *c, const char *cuid, const char *name,
    char *why, size_t whylen)
{
	json_t *acls, *acl, *ace;
	char *body;
	int64_t exp;
	size_t i, k;
	int ret;

	why[0] = '\0';
	ret = dc_store_item_get(c->store, DC_ACL, cuid, name, &body, &exp);
	free(body);
	if (ret != 1)
		return ret;
	acls = entries(c, cuid, DC_ACL, DC_CONTENT_CONFIG, 0);
	json_array_foreach(acls, i, acl) {
		json_t *list = json_object_get(json_object_get(acl, "aces"),
		    "ace");

		json_array_foreach(list, k, ace) {
			const char *n = json_string_value(json_object_get(ace,
			    "name"));

			if (n == NULL || strcmp(n, name) != 0)
				continue;
			snprintf(why, whylen, "'%s' is not an ACL but an ACE "
			    "of ACL '%s': ACLs are named by the ACL's name, "
			    "and are activated and deleted whole (RFC 8783 "
			    "7.1, RFC 9133 acl-name)", name,
			    json_string_value(json_object_get(acl, "name")));
			json_decref(acls);
			return 1;
		}
	}
	json_decref(acls);
	snprintf(why, whylen, "no ACL '%s'", name);
	return 1;
}

static int
do_get(struct dc_core *c, const struct dc_request *rq, const struct dc_uri *u,
    const struct dc_query *q, struct dc_response *rs, struct dc_error *e)
{
	const char *cuid = rq->peer->cuid;
	enum dc_kind kind = u->res == DC_R_ALIASES || u->res == DC_R_ALIAS ?
	    DC_ALIAS : DC_ACL;
	json_t *doc = NULL, *o, *arr;
	char *body, why[DC_MSG_MAX];
	int64_t exp;
	int reg, ret;

	if (u->res == DC_R_CAPS) {
		if (q->content == DC_CONTENT_CONFIG)
			return dc_error_set(e, 404, "invalid-value", "the "
			    "capabilities are state data: nothing with "
			    "content=config");
		set_json(rs, 200, json_pack("{s:o}", DC_MOD ":capabilities",
		    dc_capabilities()));
		return 0;
	}
	reg = dc_store_client_get(c->store, cuid);
	if (reg < 0)
		return store_error(c, e);
	if (u->res == DC_R_DATA) {
		doc = json_object();
		if (reg && (o = client_json(c, cuid, q->content, rq->now)))
			json_object_set_new(doc, "dots-client",
			    json_pack("[o]", o));
		if (q->content != DC_CONTENT_CONFIG)
			json_object_set_new(doc, "capabilities",
			    dc_capabilities());
		set_json(rs, 200, json_pack("{s:o}", DC_MOD ":dots-data",
		    doc));
		return 0;
	}
	if (!reg)
		return dc_error_set(e, 404, "invalid-value", "dots-client=%s "
		    "is not registered", cuid);
	switch (u->res) {
	case DC_R_CLIENT:
		o = client_json(c, cuid, q->content, rq->now);
		if (o == NULL)
			return store_error(c, e);
		set_json(rs, 200, json_pack("{s:[o]}", DC_MOD ":dots-client",
		    o));
		return 0;
	case DC_R_ALIASES:
	case DC_R_ACLS:
		arr = entries(c, cuid, kind, q->content, rq->now);
		if (arr == NULL)
			return store_error(c, e);
		if (json_array_size(arr) == 0) {
			json_decref(arr);
			return dc_error_set(e, 404, "invalid-value", "no %s",
			    kind == DC_ALIAS ? "alias" : "ACL");
		}
		break;
	default:
		ret = dc_store_item_get(c->store, kind, cuid, u->name, &body,
		    &exp);
		if (ret < 0)
			return store_error(c, e);
		if (ret == 1) {
			if (kind == DC_ACL) {
				dc_acl_lookup(c, cuid, u->name, why,
				    sizeof(why));
				return dc_error_set(e, 404, "invalid-value",
				    "%s", why);
			}
			return dc_error_set(e, 404, "invalid-value", "no "
			    "alias '%s'", u->name);
		}
		o = shown(body, exp, kind, q->content, rq->now);
		free(body);
		if (o == NULL)
			return store_error(c, e);
		arr = json_pack("[o]", o);
		break;
	}
	/* as RFC 8783's examples: the entries in their container */
	set_json(rs, 200, json_pack("{s:{s:o}}", kind == DC_ALIAS ?
	    DC_MOD ":aliases" : DC_MOD ":acls", kind == DC_ALIAS ? "alias" :
	    "acl", arr));
	return 0;
}

/* -- writing ------------------------------------------------------- */

/*
 * The one member of @p in, named DC_MOD ":" and one of @p names (NULL
 * terminated); its index goes to @p which.  NULL with @p e filled else.
 */
static json_t *
only_member(json_t *in, const char *const *names, int *which,
    struct dc_error *e)
{
	const char *key;
	json_t *v;
	size_t i, pl = strlen(DC_MOD ":");

	if (!json_is_object(in) || json_object_size(in) != 1) {
		dc_error_set(e, 400, "malformed-message", "the body must be "
		    "an object with one member, \"%s:%s\"", DC_MOD,
		    names[0]);
		return NULL;
	}
	json_object_foreach(in, key, v) {
		for (i = 0; names[i] != NULL; i++)
			if (strncmp(key, DC_MOD ":", pl) == 0 &&
			    strcmp(key + pl, names[i]) == 0) {
				*which = (int)i;
				return v;
			}
		dc_error_set(e, 400, "unknown-element", "member \"%.64s\" is "
		    "not expected here: \"%s:%s\"%s", key, DC_MOD, names[0],
		    names[1] != NULL ? " or its like" : "");
	}
	return NULL;
}

/* Read-only nodes echoed back from a GET (the refresh of RFC 8783
 * 7.2): dropped, they are the server's. */
static unsigned
strip_state(json_t *items, enum dc_kind kind)
{
	json_t *it, *ace;
	size_t i, k;
	unsigned n = 0;

	json_array_foreach(items, i, it) {
		n += json_object_del(it, "pending-lifetime") == 0;
		if (kind != DC_ACL)
			continue;
		json_array_foreach(json_object_get(json_object_get(it,
		    "aces"), "ace"), k, ace)
			n += json_object_del(ace, "statistics") == 0;
	}
	return n;
}

static void
note_cat(struct dc_response *rs, const char *what)
{
	size_t used = strlen(rs->note);

	snprintf(rs->note + used, sizeof(rs->note) - used, "%s%s",
	    used > 0 ? "; " : "", what);
}

static int
do_register(struct dc_core *c, const struct dc_request *rq,
    const struct dc_uri *u, json_t *in, bool put, struct dc_response *rs,
    struct dc_error *e)
{
	static const char *const names[] = { "dots-client", NULL };
	const char *cuid = rq->peer->cuid, *bc;
	json_t *arr, *cl, *canon;
	int which, reg, ret;

	if ((arr = only_member(in, names, &which, e)) == NULL)
		return e->status;
	if (!json_is_array(arr) || json_array_size(arr) != 1 ||
	    !json_is_object(cl = json_array_get(arr, 0)))
		return dc_error_set(e, 400, "invalid-value", "exactly one "
		    "dots-client per request (RFC 8783 5.1)");
	bc = json_string_value(json_object_get(cl, "cuid"));
	if (bc == NULL)
		return dc_error_set(e, 400, "missing-attribute", "dots-client "
		    "without a cuid");
	if (put && strcmp(bc, u->cuid) != 0)
		return dc_error_set(e, 400, "invalid-value", "cuid %.64s in "
		    "the body is not the one in the URI", bc);
	if (strcmp(bc, cuid) != 0)
		return dc_error_set(e, 403, "access-denied", "cuid %.64s is "
		    "not the cuid of this client's certificate", bc);
	if (json_object_del(cl, "cdid") == 0)
		note_cat(rs, "cdid from a client ignored (RFC 8783 5.1: only "
		    "a server-domain gateway sets it)");
	if (json_object_get(cl, "aliases") != NULL ||
	    json_object_get(cl, "acls") != NULL)
		return dc_error_set(e, 400, "invalid-value", "register the "
		    "client alone, then create its aliases and acls under "
		    "dots-client=%s", cuid);
	if ((ret = dc_yang_check(c->yang, cl, DC_ALIAS, &canon, e)) != 0)
		return ret;
	json_decref(canon);
	if ((reg = dc_store_client_get(c->store, cuid)) < 0)
		return store_error(c, e);
	if (reg && !put)
		return dc_error_set(e, 409, "resource-denied", "dots-client=%s "
		    "is already registered", cuid);
	if (dc_store_client_put(c->store, cuid, rq->peer->name,
	    (int64_t)rq->now) != 0)
		return store_error(c, e);
	rs->wrote = true;
	rs->status = reg ? 204 : 201;
	if (!reg)
		set_location(rs, cuid, DC_ALIAS, NULL);
	return 0;
}

/*
 * The entries of a POST under dots-client or a PUT of one alias or ACL:
 * the array of entries and its kind, from the body.
 */
static json_t *
items_of(const struct dc_uri *u, json_t *in, enum dc_kind *kind,
    struct dc_error *e)
{
	static const char *const post[] = { "aliases", "acls", NULL };
	static const char *const put_alias[] = { "alias", "aliases", NULL };
	static const char *const put_acl[] = { "acl", "acls", NULL };
	json_t *v, *arr;
	const char *name;
	int which;

	if (u->res == DC_R_CLIENT) {
		if ((v = only_member(in, post, &which, e)) == NULL)
			return NULL;
		*kind = which == 0 ? DC_ALIAS : DC_ACL;
		arr = json_object_get(v, which == 0 ? "alias" : "acl");
		if (!json_is_object(v) || json_object_size(v) != 1 ||
		    !json_is_array(arr) || json_array_size(arr) == 0) {
			dc_error_set(e, 400, "invalid-value", "%s must hold "
			    "one non-empty list, %s", post[which],
			    which == 0 ? "alias" : "acl");
			return NULL;
		}
		return arr;
	}
	*kind = u->res == DC_R_ALIAS ? DC_ALIAS : DC_ACL;
	v = only_member(in, *kind == DC_ALIAS ? put_alias : put_acl, &which,
	    e);
	if (v == NULL)
		return NULL;
	arr = which == 0 ? v : json_object_size(v) == 1 ?
	    json_object_get(v, *kind == DC_ALIAS ? "alias" : "acl") : NULL;
	if (!json_is_array(arr) || json_array_size(arr) != 1 ||
	    !json_is_object(json_array_get(arr, 0))) {
		dc_error_set(e, 400, "invalid-value", "a PUT carries exactly "
		    "the one entry of its URI");
		return NULL;
	}
	name = json_string_value(json_object_get(json_array_get(arr, 0),
	    "name"));
	if (name == NULL) {
		dc_error_set(e, 400, "missing-attribute", "entry without a "
		    "name");
		return NULL;
	}
	if (strcmp(name, u->name) != 0) {
		dc_error_set(e, 400, "invalid-value", "name '%.64s' in the "
		    "body is not the one in the URI", name);
		return NULL;
	}
	return arr;
}

static int
do_items(struct dc_core *c, const struct dc_request *rq,
    const struct dc_uri *u, json_t *in, struct dc_response *rs,
    struct dc_error *e)
{
	const char *cuid = rq->peer->cuid;
	bool post = strcmp(rq->method, "POST") == 0;
	json_t *items, *client, *canon = NULL, *it;
	enum dc_kind kind;
	char note[DC_MSG_MAX], *body, *first = NULL;
	int64_t exp;
	size_t i;
	int ret, reg, created = 0;

	if ((items = items_of(u, in, &kind, e)) == NULL)
		return e->status;
	if ((reg = dc_store_client_get(c->store, cuid)) <= 0)
		return reg < 0 ? store_error(c, e) : dc_error_set(e, 404,
		    "invalid-value", "dots-client=%s is not registered "
		    "(register first, RFC 8783 5.1)", cuid);
	if (strip_state(items, kind) > 0)
		note_cat(rs, "read-only nodes (pending-lifetime, statistics) "
		    "dropped");
	if (dc_lenient_fix(items, kind, note, sizeof(note)) > 0) {
		note_cat(rs, "draft-era input accepted");
		note_cat(rs, note);
	}
	/* json_pack "O": a new reference to items for the document */
	client = json_pack("{s:s,s:{s:O}}", "cuid", cuid, kind == DC_ALIAS ?
	    "aliases" : "acls", kind == DC_ALIAS ? "alias" : "acl", items);
	if (client == NULL)
		return dc_error_set(e, 500, "operation-failed", "out of "
		    "memory");
	ret = dc_yang_check(c->yang, client, kind, &canon, e);
	json_decref(client);
	if (ret != 0)
		return ret;
	json_array_foreach(canon, i, it) {
		const char *name = json_string_value(json_object_get(it,
		    "name"));

		ret = kind == DC_ALIAS ? dc_check_alias(rq->peer, it, e) :
		    dc_check_acl(rq->peer, it, e);
		if (ret != 0)
			goto out;
		if (!post)
			continue;
		ret = dc_store_item_get(c->store, kind, cuid, name, &body,
		    &exp);
		free(body);
		if (ret < 0) {
			ret = store_error(c, e);
			goto out;
		}
		if (ret == 0) {
			ret = dc_error_set(e, 409, "resource-denied", "%s '%s' "
			    "already exists (PUT replaces)", kind ==
			    DC_ALIAS ? "alias" : "ACL", name);
			goto out;
		}
	}
	exp = (int64_t)rq->now + c->lifetime;
	json_array_foreach(canon, i, it) {
		const char *name = json_string_value(json_object_get(it,
		    "name"));

		body = json_dumps(it, JSON_COMPACT);
		ret = body != NULL ? dc_store_item_put(c->store, kind, cuid,
		    name, body, exp) : -1;
		free(body);
		if (ret < 0) {
			ret = store_error(c, e);
			goto out;
		}
		rs->wrote = true;
		created += ret == 0;
		if (kind == DC_ACL)
			dc_core_acl_changed(c, cuid, name);
		if (first == NULL)
			first = strdup(name);
	}
	ret = 0;
	rs->status = post || created > 0 ? 201 : 204;
	if (rs->status == 201 && first != NULL)
		set_location(rs, cuid, kind, first);
out:
	free(first);
	json_decref(canon);
	return ret;
}

static int
do_delete(struct dc_core *c, const struct dc_request *rq,
    const struct dc_uri *u, struct dc_response *rs, struct dc_error *e)
{
	const char *cuid = rq->peer->cuid;
	char why[DC_MSG_MAX];
	int ret;

	if (u->res == DC_R_CLIENT) {
		ret = dc_store_client_delete(c->store, cuid);
		if (ret == 1)
			return dc_error_set(e, 404, "invalid-value",
			    "dots-client=%s is not registered", cuid);
	} else {
		ret = dc_store_item_delete(c->store, u->res == DC_R_ALIAS ?
		    DC_ALIAS : DC_ACL, cuid, u->name);
		if (ret == 1 && u->res == DC_R_ACL) {
			dc_acl_lookup(c, cuid, u->name, why, sizeof(why));
			return dc_error_set(e, 404, "invalid-value", "%s",
			    why);
		}
		if (ret == 1)
			return dc_error_set(e, 404, "invalid-value", "no alias "
			    "'%s'", u->name);
	}
	if (ret < 0)
		return store_error(c, e);
	if (u->res != DC_R_ALIAS)	/* an ACL, or all of them */
		dc_core_acl_changed(c, cuid, u->res == DC_R_ACL ? u->name :
		    NULL);
	rs->wrote = true;
	rs->status = 204;
	return 0;
}

/* -- dispatch ------------------------------------------------------ */

static const char *
allowed(enum dc_res r)
{
	switch (r) {
	case DC_R_DATA:
		return "GET, HEAD, POST";
	case DC_R_CLIENT:
		return "GET, HEAD, POST, PUT, DELETE";
	case DC_R_ALIAS:
	case DC_R_ACL:
		return "GET, HEAD, PUT, DELETE";
	default:
		return "GET, HEAD";
	}
}

static bool
method_ok(enum dc_res r, const char *m)
{
	const char *list = allowed(r), *p = strstr(list, m);
	size_t n = strlen(m);

	return p != NULL && (p[n] == ',' || p[n] == '\0') &&
	    (p == list || p[-1] == ' ');
}

/* Accept: our JSON, or anything that includes it. */
static bool
acceptable(const char *accept)
{
	if (accept == NULL || *accept == '\0')
		return true;
	return strstr(accept, CT_YANG) != NULL ||
	    strstr(accept, "application/json") != NULL ||
	    strstr(accept, "*/*") != NULL ||
	    strstr(accept, "application/*") != NULL;
}

/* Content-Type: application/yang-data+json, parameters allowed. */
static bool
json_media(const char *ctype)
{
	size_t n = strlen(CT_YANG);

	if (ctype == NULL)
		return false;
	while (*ctype == ' ')
		ctype++;
	return strncasecmp(ctype, CT_YANG, n) == 0 &&
	    (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

static int
handle(struct dc_core *c, const struct dc_request *rq, struct dc_uri *u,
    struct dc_response *rs, struct dc_error *e)
{
	struct dc_query q;
	bool get = strcmp(rq->method, "GET") == 0 ||
	    strcmp(rq->method, "HEAD") == 0;
	json_error_t jerr;
	json_t *in;
	int ret;

	if ((ret = dc_uri_parse(rq->path, u, e)) != 0)
		return ret;
	if (!method_ok(u->res, rq->method)) {
		rs->allow = allowed(u->res);
		return dc_error_set(e, 405, "operation-not-supported", "%s is "
		    "not allowed here (%s)", rq->method, rs->allow);
	}
	if (u->res == DC_R_HOSTMETA) {
		rs->status = 200;
		rs->ctype = CT_XRD;
		rs->body = strdup(host_meta);
		return rs->body != NULL ? 0 : dc_error_set(e, 500,
		    "operation-failed", "out of memory");
	}
	if ((ret = dc_query_parse(rq->query, get, &q, e)) != 0)
		return ret;
	if (q.non_config)
		note_cat(rs, "content=non-config taken as nonconfig (RFC 8783 "
		    "erratum 6496)");
	if (get && !acceptable(rq->accept))
		return dc_error_set(e, 406, "invalid-value", "answers are "
		    CT_YANG);
	if (u->cuid[0] != '\0' && strcmp(u->cuid, rq->peer->cuid) != 0)
		return dc_error_set(e, 403, "access-denied", "dots-client=%.64s "
		    "is not the cuid of this client's certificate", u->cuid);
	if (get)
		return do_get(c, rq, u, &q, rs, e);
	if (strcmp(rq->method, "DELETE") == 0)
		return do_delete(c, rq, u, rs, e);
	if (!json_media(rq->ctype))
		return dc_error_set(e, 415, "invalid-value", "request bodies "
		    "are " CT_YANG " (got %.64s)", rq->ctype != NULL ?
		    rq->ctype : "none");
	in = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES, &jerr);
	if (in == NULL)
		return dc_error_set(e, 400, "malformed-message", "JSON: %s "
		    "(line %d, column %d)", jerr.text, jerr.line,
		    jerr.column);
	if (u->res == DC_R_DATA || (u->res == DC_R_CLIENT &&
	    strcmp(rq->method, "PUT") == 0))
		ret = do_register(c, rq, u, in, u->res == DC_R_CLIENT, rs, e);
	else
		ret = do_items(c, rq, u, in, rs, e);
	json_decref(in);
	return ret;
}

void
dc_handle(struct dc_core *c, const struct dc_request *rq,
    struct dc_response *rs)
{
	struct dc_error e;
	struct dc_uri u;

	memset(rs, 0, sizeof(*rs));
	memset(&e, 0, sizeof(e));
	if (handle(c, rq, &u, rs, &e) != 0) {
		free(rs->location);
		rs->location = NULL;
		set_error(rs, &e);
	}
}
