/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * `dotsctl dc`: the commands of the data channel (RFC 8783), each one to
 * three RESTCONF requests under the client's own dots-client=CUID, the
 * cuid being that of --cert (RFC 9132 4.4.1.1, src/common/cuid.c), as
 * the server derives it.
 *
 *	register	PUT dots-client=CUID (creates, or refreshes)
 *	unregister	DELETE dots-client=CUID
 *	capabilities	GET capabilities
 *	alias list|show	GET aliases, aliases/alias=NAME
 *	alias add	POST dots-client=CUID {aliases: {alias: [...]}}
 *	acl list|show	GET acls, acls/acl=NAME
 *	acl add		POST dots-client=CUID with the file's ACLs
 *	... delete	DELETE .../alias=NAME, .../acl=NAME
 *	acl activate	GET acls/acl=NAME?content=config, then PUT it back
 *			with the new activation-type
 *
 * Everything local (the arguments, the files, the alias's targets) is
 * checked before the first request; a refusal shows the server's
 * RESTCONF error-tag and error-message and exits 1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "cuid.h"
#include "ctl_dc.h"

#define DS	"data/" CTL_DC_MODULE ":dots-data"
#define PATH_MAX_DC	1024

struct dc_run {
	const struct ctl_dc_req	*req;
	char			 cuid[CUID_LEN + 1];
	char			 client[128];	/* DS/dots-client=CUID */
};

/* A whole file, NUL-terminated, at most CTL_DC_BODY_MAX bytes. */
static char *
read_file(const char *opt, const char *path, size_t *len, char *err,
    size_t errlen)
{
	char *buf = NULL, *p;
	size_t n = 0, r;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s '%s': %s", opt, path,
		    strerror(errno));
		return NULL;
	}
	for (;;) {
		if ((p = realloc(buf, n + 65536 + 1)) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		buf = p;
		if ((r = fread(buf + n, 1, 65536, f)) == 0)
			break;
		if ((n += r) > CTL_DC_BODY_MAX) {
			snprintf(err, errlen, "%s '%s': larger than %d bytes",
			    opt, path, CTL_DC_BODY_MAX);
			goto fail;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s '%s': %s", opt, path,
		    strerror(errno));
		goto fail;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

static int
dc_cuid(struct dc_run *r, char *err, size_t errlen)
{
	size_t len;
	char *pem;
	int ret;

	if ((pem = read_file("--cert", r->req->cert, &len, err, errlen)) ==
	    NULL)
		return -1;
	ret = cuid_from_pem((const uint8_t *)pem, len, r->cuid,
	    sizeof(r->cuid), NULL);
	free(pem);
	if (ret != 0)
		snprintf(err, errlen, "--cert '%s': no X.509 certificate in "
		    "PEM form", r->req->cert);
	return ret;
}

static void
print_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
}

/*
 * A refusal: the server's error on stderr (its body on stdout with
 * --json, as the server sent it).  @return the exit code
 */
static int
refused(const struct dc_run *r, const char *what,
    const struct ctl_dc_answer *a)
{
	const char *tag = NULL, *msg = NULL, *path = NULL;
	char b1[CTL_ERR_MAX], b2[CTL_ERR_MAX];
	json_t *body;

	body = a->body != NULL ? json_loadb(a->body, a->len, 0, NULL) : NULL;
	if (r->req->json && body != NULL)
		print_json(body);
	if (body != NULL && ctl_dc_error_get(body, &tag, &msg, &path) == 0) {
		fprintf(stderr, "dotsctl: %s: refused: the server answered "
		    "%ld %s\n", what, a->status, tag != NULL ?
		    ctl_printable(tag, b1, sizeof(b1)) : "");
		if (msg != NULL)
			fprintf(stderr, "  %s\n", ctl_printable(msg, b2,
			    sizeof(b2)));
		if (path != NULL)
			fprintf(stderr, "  path: %s\n", ctl_printable(path,
			    b1, sizeof(b1)));
	} else
		fprintf(stderr, "dotsctl: %s: refused: the server answered "
		    "%ld%s%s\n", what, a->status, a->len > 0 ? ": " : "",
		    a->len > 0 ? ctl_printable(a->body, b1, sizeof(b1)) : "");
	json_decref(body);
	return CTL_EXIT_FAILED;
}

/*
 * One request.  @return 0 on a 2xx answer (in @p a), else the exit code
 * (the refusal shown).
 */
static int
request(const struct dc_run *r, const char *what, const char *method,
    const char *path, json_t *body, struct ctl_dc_answer *a)
{
	char *text = NULL, buf[CTL_ERR_MAX];
	int ret;

	if (body != NULL && (text = json_dumps(body, JSON_COMPACT |
	    JSON_PRESERVE_ORDER)) == NULL) {
		fprintf(stderr, "dotsctl: out of memory\n");
		return CTL_EXIT_FAILED;
	}
	ret = ctl_dc_http(r->req, method, path, text, a);
	free(text);
	if (ret != 0) {
		fprintf(stderr, "dotsctl: %s: the server is not reachable: "
		    "%s\n", what, ctl_printable(a->err, buf, sizeof(buf)));
		return CTL_EXIT_UNREACHABLE;
	}
	if (a->status < 200 || a->status > 299) {
		ret = refused(r, what, a);
		ctl_dc_answer_clear(a);
		return ret;
	}
	return 0;
}

/* A 2xx answer with a JSON body, parsed; @return NULL (shown) if not. */
static json_t *
answer_json(const char *what, const struct ctl_dc_answer *a)
{
	json_error_t jerr;
	json_t *v;

	if ((v = json_loadb(a->body != NULL ? a->body : "", a->len, 0,
	    &jerr)) == NULL || !json_is_object(v))
		fprintf(stderr, "dotsctl: %s: the server's answer is not a "
		    "JSON object: %s\n", what, v == NULL ? jerr.text : "");
	if (v != NULL && !json_is_object(v)) {
		json_decref(v);
		v = NULL;
	}
	return v;
}

/* What a write did: a line, or with --json an object. */
static void
done(const struct dc_run *r, const char *what, const char *name,
    const struct ctl_dc_answer *a, const char *verb)
{
	char buf[CTL_ERR_MAX];
	json_t *o;

	if (r->req->json) {
		o = json_pack("{s:s, s:s, s:I}", "cuid", r->cuid, "name",
		    name != NULL ? name : r->cuid, "status",
		    (json_int_t)a->status);
		if (o != NULL)
			print_json(o);
		json_decref(o);
		return;
	}
	printf("%s %s: %s\n", what, ctl_printable(name != NULL ? name :
	    r->cuid, buf, sizeof(buf)), verb);
}

static int
item_path(const struct dc_run *r, const char *kind, const char *name,
    const char *query, char *path, size_t len)
{
	char *esc;
	int n;

	if ((esc = ctl_dc_escape(name)) == NULL) {
		fprintf(stderr, "dotsctl: out of memory\n");
		return -1;
	}
	n = snprintf(path, len, "%s/%s/%s=%s%s", r->client,
	    strcmp(kind, "acl") == 0 ? "acls" : "aliases", kind, esc, query);
	free(esc);
	if (n < 0 || (size_t)n >= len) {
		fprintf(stderr, "dotsctl: %s: NAME is too long\n", kind);
		return -1;
	}
	return 0;
}

static int
cmd_register(const struct dc_run *r, bool reg)
{
	struct ctl_dc_answer a;
	json_t *body = NULL;
	int ret;

	if (reg && (body = ctl_dc_register_body(r->cuid)) == NULL)
		return CTL_EXIT_FAILED;
	ret = request(r, reg ? "register" : "unregister", reg ? "PUT" :
	    "DELETE", r->client, body, &a);
	json_decref(body);
	if (ret != 0)
		return ret;
	done(r, "client", NULL, &a, !reg ? "unregistered" :
	    a.status == 201 ? "registered" : "refreshed");
	ctl_dc_answer_clear(&a);
	return CTL_EXIT_OK;
}

/*
 * The aliases or ACLs of a GET of the client, as a GET of them alone
 * would answer: {"MODULE:aliases": {"alias": [...]}}, empty or not.
 * Takes @p client; @return **new** reference, or NULL on ENOMEM
 */
static json_t *
client_list(json_t *client, const char *kind)
{
	const char *container = strcmp(kind, "acl") == 0 ? "acls" :
	    "aliases";
	char key[64];
	json_t *list, *v;

	list = json_object_get(json_object_get(json_array_get(
	    json_object_get(client, CTL_DC_MODULE ":dots-client"), 0),
	    container), kind);
	snprintf(key, sizeof(key), CTL_DC_MODULE ":%s", container);
	/* "O" takes a new reference; "o" steals the new array's */
	v = json_is_array(list) ? json_pack("{s:{s:O}}", key, kind, list) :
	    json_pack("{s:{s:o}}", key, kind, json_array());
	json_decref(client);
	return v;
}

/* GET and show: capabilities, lists, one entry. */
static int
cmd_get(const struct dc_run *r)
{
	enum ctl_dc_cmd cmd = r->req->cmd;
	const char *what = ctl_dc_cmd_name(cmd), *kind;
	char path[PATH_MAX_DC];
	struct ctl_dc_answer a;
	json_t *v, *list;
	int ret;

	kind = cmd == CTL_DC_ALIAS_LIST || cmd == CTL_DC_ALIAS_SHOW ?
	    "alias" : "acl";
	if (cmd == CTL_DC_CAPABILITIES)
		snprintf(path, sizeof(path), DS "/capabilities");
	else if (cmd == CTL_DC_ALIAS_LIST || cmd == CTL_DC_ACL_LIST)
		/*
		 * The client rather than its aliases or acls, which are
		 * 404 when there are none: an empty list is no error.
		 */
		snprintf(path, sizeof(path), "%s", r->client);
	else if (item_path(r, kind, r->req->name, "", path,
	    sizeof(path)) != 0)
		return CTL_EXIT_FAILED;
	if ((ret = request(r, what, "GET", path, NULL, &a)) != 0)
		return ret;
	v = answer_json(what, &a);
	ctl_dc_answer_clear(&a);
	if (v == NULL)
		return CTL_EXIT_FAILED;
	if (cmd == CTL_DC_ALIAS_LIST || cmd == CTL_DC_ACL_LIST)
		v = client_list(v, kind);
	if (v == NULL) {
		fprintf(stderr, "dotsctl: out of memory\n");
		return CTL_EXIT_FAILED;
	}
	if (r->req->json)
		print_json(v);
	else if (cmd == CTL_DC_CAPABILITIES)
		ctl_dc_print_capabilities(stdout, v);
	else {
		list = ctl_dc_entries(v, strcmp(kind, "acl") == 0 ? "acls" :
		    "aliases", kind);
		if (cmd == CTL_DC_ALIAS_LIST)
			ctl_dc_print_aliases(stdout, list);
		else if (cmd == CTL_DC_ACL_LIST)
			ctl_dc_print_acls(stdout, list);
		else if (cmd == CTL_DC_ALIAS_SHOW)
			ctl_dc_print_alias(stdout, json_array_get(list, 0));
		else
			ctl_dc_print_acl(stdout, json_array_get(list, 0));
	}
	json_decref(v);
	return CTL_EXIT_OK;
}

/* alias add, acl add: a POST of the entries under the client. */
static int
cmd_add(const struct dc_run *r, json_t *body)
{
	const char *what = ctl_dc_cmd_name(r->req->cmd);
	bool acl = r->req->cmd == CTL_DC_ACL_ADD;
	struct ctl_dc_answer a;
	json_t *list, *e;
	size_t i;
	int ret;

	if ((ret = request(r, what, "POST", r->client, body, &a)) != 0)
		return ret;
	list = ctl_dc_entries(body, acl ? "acls" : "aliases", acl ? "acl" :
	    "alias");
	json_array_foreach(list, i, e)
		done(r, acl ? "acl" : "alias", json_string_value(
		    json_object_get(e, "name")), &a, "created");
	ctl_dc_answer_clear(&a);
	return CTL_EXIT_OK;
}

static int
cmd_delete(const struct dc_run *r)
{
	const char *kind = r->req->cmd == CTL_DC_ALIAS_DELETE ? "alias" :
	    "acl";
	char path[PATH_MAX_DC];
	struct ctl_dc_answer a;
	int ret;

	if (item_path(r, kind, r->req->name, "", path, sizeof(path)) != 0)
		return CTL_EXIT_FAILED;
	if ((ret = request(r, ctl_dc_cmd_name(r->req->cmd), "DELETE", path,
	    NULL, &a)) != 0)
		return ret;
	done(r, kind, r->req->name, &a, "deleted");
	ctl_dc_answer_clear(&a);
	return CTL_EXIT_OK;
}

static int
cmd_activate(const struct dc_run *r)
{
	const char *what = "acl activate";
	char path[PATH_MAX_DC], verb[64];
	struct ctl_dc_answer a;
	json_t *acl;
	int ret;

	if (item_path(r, "acl", r->req->name, "?content=config", path,
	    sizeof(path)) != 0)
		return CTL_EXIT_FAILED;
	if ((ret = request(r, what, "GET", path, NULL, &a)) != 0)
		return ret;
	acl = answer_json(what, &a);
	ctl_dc_answer_clear(&a);
	if (acl == NULL)
		return CTL_EXIT_FAILED;
	if (ctl_dc_acl_set_activation(acl, r->req->activation) != 0) {
		fprintf(stderr, "dotsctl: %s: the server's answer holds no "
		    "single ACL\n", what);
		json_decref(acl);
		return CTL_EXIT_FAILED;
	}
	/* The query is the GET's; the PUT goes to the entry itself. */
	*strchr(path, '?') = '\0';
	ret = request(r, what, "PUT", path, acl, &a);
	json_decref(acl);
	if (ret != 0)
		return ret;
	snprintf(verb, sizeof(verb), "activation-type %s",
	    r->req->activation);
	done(r, "acl", r->req->name, &a, verb);
	ctl_dc_answer_clear(&a);
	return CTL_EXIT_OK;
}

/* The body of an add, built and checked before anything is sent. */
static json_t *
add_body(const struct ctl_dc_req *req, char *err, size_t errlen)
{
	size_t len;
	char *text;
	json_t *body;

	if (req->cmd == CTL_DC_ALIAS_ADD)
		return ctl_dc_alias_body(req, err, errlen);
	if ((text = read_file("--file", req->file, &len, err, errlen)) ==
	    NULL)
		return NULL;
	body = ctl_dc_acl_file_body(req->file, text, len, err, errlen);
	free(text);
	return body;
}

int
ctl_dc_run(const struct ctl_dc_req *req)
{
	struct dc_run r = { .req = req };
	char err[CTL_ERR_MAX];
	json_t *body = NULL;
	int ret;

	if (dc_cuid(&r, err, sizeof(err)) != 0)
		goto usage;
	snprintf(r.client, sizeof(r.client), DS "/dots-client=%s", r.cuid);
	if ((req->cmd == CTL_DC_ALIAS_ADD || req->cmd == CTL_DC_ACL_ADD) &&
	    (body = add_body(req, err, sizeof(err))) == NULL)
		goto usage;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		json_decref(body);
		fprintf(stderr, "dotsctl: dc: libcurl cannot start\n");
		return CTL_EXIT_FAILED;
	}
	switch (req->cmd) {
	case CTL_DC_REGISTER:
	case CTL_DC_UNREGISTER:
		ret = cmd_register(&r, req->cmd == CTL_DC_REGISTER);
		break;
	case CTL_DC_ALIAS_ADD:
	case CTL_DC_ACL_ADD:
		ret = cmd_add(&r, body);
		break;
	case CTL_DC_ALIAS_DELETE:
	case CTL_DC_ACL_DELETE:
		ret = cmd_delete(&r);
		break;
	case CTL_DC_ACL_ACTIVATE:
		ret = cmd_activate(&r);
		break;
	case CTL_DC_CAPABILITIES:
	case CTL_DC_ALIAS_LIST:
	case CTL_DC_ALIAS_SHOW:
	case CTL_DC_ACL_LIST:
	case CTL_DC_ACL_SHOW:
		ret = cmd_get(&r);
		break;
	case CTL_DC_NONE:
	default:
		ret = CTL_EXIT_USAGE;
		break;
	}
	json_decref(body);
	curl_global_cleanup();
	return ret;
usage:
	fprintf(stderr, "dotsctl: dc %s: %s\n", ctl_dc_cmd_name(req->cmd),
	    err);
	return CTL_EXIT_USAGE;
}

void
ctl_dc_help(FILE *f)
{
	fprintf(f,
	    "usage: dotsctl dc --url https://HOST[:PORT][/ROOT] --ca FILE "
	    "--cert FILE\n"
	    "                  --key FILE [--json] COMMAND\n"
	    "\n"
	    "The data channel (RFC 8783) of a DOTS server, over HTTPS with the\n"
	    "client's certificate; the RESTCONF root is /restconf unless --url\n"
	    "names one.  Commands:\n"
	    "  register                 register the client (or refresh it)\n"
	    "  unregister               unregister it, with its aliases and ACLs\n"
	    "  capabilities             what the server's filtering supports\n"
	    "  alias list               the aliases\n"
	    "  alias show NAME          one alias\n"
	    "  alias add NAME --prefix P.. [--port P,..] [--protocol P,..]\n"
	    "            [--fqdn NAME]  create an alias (--prefix or --fqdn)\n"
	    "  alias delete NAME        delete an alias\n"
	    "  acl list                 the ACLs\n"
	    "  acl show NAME            one ACL and its entries\n"
	    "  acl add --file FILE      create the ACLs of a JSON body\n"
	    "                           (ietf-dots-data-channel:acls)\n"
	    "  acl delete NAME          delete an ACL\n"
	    "  acl activate NAME immediate|activate-when-mitigating|deactivate\n"
	    "                           change an ACL's activation-type\n"
	    "\n"
	    "Tables by default; --json prints the server's answers.  Exit status:\n"
	    "0 done, 1 refused (the server's error-message is shown) or failed,\n"
	    "2 bad usage (nothing sent), 3 server not reachable.\n");
}
