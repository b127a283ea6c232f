/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * `dotsctl --direct HOST[:PORT]`: one request to a DOTS server over the
 * client library's blocking call, without the daemon, for testing a
 * server or a certificate.  The answer is turned into the result the
 * daemon would give (docs/control-protocol.md), so that it is printed,
 * and its exit code chosen, by the same code: 2.xx is done, 4.xx/5.xx
 * is `refused` with the server's code and diagnostic.
 *
 * Nothing is kept between runs: a new mitigation takes its mid from
 * --mid or from the clock (seconds since the epoch grow, as RFC 9132
 * wants mids to), and an efficacy update first reads back the
 * mitigation's scope, which the PUT must repeat.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dots/client.h>
#include <dots/json.h>
#include <dots/validate.h>

#include "ctl.h"

#define MS_NAME		"ietf-dots-signal-channel:mitigation-scope"

struct direct {
	const struct ctl_req	*req;
	struct dots_client	*c;
	char			 host[256];
	uint16_t		 port;
	json_t			*root;	/* the answer being built */
};

/* HOST, HOST:PORT, [V6]:PORT or a bare IPv6 address. */
static int
split_hostport(const char *s, char *host, size_t len, uint16_t *port)
{
	const char *colon = strrchr(s, ':'), *end;
	uint32_t p;
	size_t n;

	*port = 0;
	if (s[0] == '[') {
		if ((end = strchr(s, ']')) == NULL)
			return -1;
		n = (size_t)(end - s - 1);
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] != '\0' && colon == NULL)
			return -1;
		s++;
	} else if (colon != NULL && strchr(s, ':') != colon)
		colon = NULL, n = strlen(s);	/* IPv6 without a port */
	else
		n = colon != NULL ? (size_t)(colon - s) : strlen(s);
	if (n == 0 || n >= len)
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	if (colon == NULL)
		return 0;
	if (ctl_parse_u32(colon + 1, 65535, &p) != 0 || p == 0)
		return -1;
	*port = (uint16_t)p;
	return 0;
}

static void
code_text(int code, char *buf, size_t len)
{
	snprintf(buf, len, "%d.%02d", code / 100, code % 100);
}

/* The answer: ok and a result (stolen), or the server's refusal. */
static void
set_result(struct direct *d, json_t *result)
{
	d->root = json_pack("{s:b,s:o}", "ok", 1, "result", result);
}

static void
set_error(struct direct *d, const char *code, const char *msg,
    const struct dots_reply *rep)
{
	char c[16];
	json_t *e;

	e = json_pack("{s:s,s:s}", "code", code, "message", msg);
	if (e != NULL && rep != NULL && rep->code != 0) {
		code_text(rep->code, c, sizeof(c));
		json_object_set_new(e, "server", json_pack("{s:s,s:s}",
		    "code", c, "diagnostic", rep->diag));
	}
	d->root = json_pack("{s:b,s:o*}", "ok", 0, "error", e);
}

/* A reply that is not 2.xx, or no reply at all. */
static void
set_failure(struct direct *d, const struct dots_reply *rep, const char *what)
{
	char msg[CTL_ERR_MAX + sizeof(d->host) + DOTS_CLIENT_DIAG_MAX];

	if (rep->error != 0 && rep->code == 0) {
		snprintf(msg, sizeof(msg), "%s: no answer from %s: %s%s%s",
		    what, d->host, dots_client_strerror(rep->error),
		    rep->diag[0] ? ": " : "", rep->diag);
		set_error(d, "internal", msg, NULL);
		return;
	}
	snprintf(msg, sizeof(msg), "the DOTS server %s %s", rep->code == 404 ?
	    "knows no such mitigation; it could not" : "refused to", what);
	set_error(d, rep->code == 404 ? "not-found" : "refused", msg, rep);
}

/* The scopes of a body as RFC 9132 JSON: a **new** array, or NULL. */
static json_t *
body_scopes(const struct dots_signal *m)
{
	json_t *root, *scopes;
	char *text;
	int err;

	if (m == NULL || m->kind != DOTS_SIG_MITIGATION ||
	    (text = dots_json_encode_signal(m, 0, &err)) == NULL)
		return NULL;
	root = json_loads(text, 0, NULL);
	free(text);
	scopes = json_object_get(json_object_get(root, MS_NAME), "scope");
	json_incref(scopes);
	json_decref(root);
	return json_is_array(scopes) ? scopes : (json_decref(scopes), NULL);
}

static const char *const answer_only[] = { "mid", "mitigation-start",
    "status", "lifetime", "bytes-dropped", "bps-dropped", "pkts-dropped",
    "pps-dropped", "conflict-information" };

/* One scope of a server's answer as an element of `list`. */
static json_t *
mitigation(const struct direct *d, json_t *sc)
{
	json_t *m, *scope = json_deep_copy(sc), *st;
	const char *state = "active", *s;
	size_t i;

	st = json_object_get(sc, "status");
	s = json_is_string(st) ? json_string_value(st) : "";
	if (strcmp(s, "dots-client-withdrawn-mitigation") == 0 ||
	    strcmp(s, "attack-mitigation-terminated") == 0 ||
	    strcmp(s, "attack-mitigation-withdrawn") == 0)
		state = "ended";
	m = json_pack("{s:s,s:O*,s:s,s:O*,s:o*,s:O*,s:O*,s:O*,s:O*}",
	    "server", d->host, "mid", json_object_get(sc, "mid"),
	    "state", state, "status", st, "scope", scope,
	    "lifetime", json_object_get(sc, "lifetime"),
	    "bytes-dropped", json_object_get(sc, "bytes-dropped"),
	    "pkts-dropped", json_object_get(sc, "pkts-dropped"),
	    "conflict", json_object_get(sc, "conflict-information"));
	for (i = 0; m != NULL && i < sizeof(answer_only) /
	    sizeof(answer_only[0]); i++)
		json_object_del(scope, answer_only[i]);
	return m;
}

static void
do_mitigate(struct direct *d, const struct dots_signal *scope)
{
	struct dots_request r = { .op = DOTS_REQ_MITIGATE_PUT, .has_id = true,
	    .body = scope };
	struct dots_reply rep;
	json_t *scopes, *sc, *res;
	char c[16];

	r.id = d->req->has_mid ? d->req->mid : (uint32_t)time(NULL);
	dots_client_call(d->c, &r, &rep);
	if (rep.error != 0 || rep.code / 100 != 2) {
		set_failure(d, &rep, "create the mitigation");
		dots_reply_clear(&rep);
		return;
	}
	code_text(rep.code, c, sizeof(c));
	scopes = body_scopes(rep.body);
	sc = json_array_get(scopes, 0);
	res = json_pack("{s:I,s:s,s:s,s:O*,s:O*,s:s}", "mid",
	    (json_int_t)r.id, "server", d->host, "state", "active",
	    "status", json_object_get(sc, "status"), "lifetime",
	    json_object_get(sc, "lifetime"), "server-code", c);
	json_decref(scopes);
	set_result(d, res);
	dots_reply_clear(&rep);
}

static void
do_status(struct direct *d)
{
	struct dots_request r = { .op = DOTS_REQ_MITIGATE_GET,
	    .has_id = d->req->has_mid, .id = d->req->mid };
	struct dots_reply rep;
	json_t *scopes, *list, *sc;
	size_t i;

	dots_client_call(d->c, &r, &rep);
	if (rep.error == 0 && rep.code == 404 && !d->req->has_mid) {
		set_result(d, json_pack("{s:[]}", "mitigations"));
		dots_reply_clear(&rep);
		return;
	}
	if (rep.error != 0 || rep.code / 100 != 2) {
		set_failure(d, &rep, "show the mitigation");
		dots_reply_clear(&rep);
		return;
	}
	scopes = body_scopes(rep.body);
	list = json_array();
	json_array_foreach(scopes, i, sc)
		json_array_append_new(list, mitigation(d, sc));
	json_decref(scopes);
	set_result(d, json_pack("{s:o*}", "mitigations", list));
	dots_reply_clear(&rep);
}

static void
do_withdraw(struct direct *d)
{
	struct dots_request r = { .op = DOTS_REQ_MITIGATE_DELETE,
	    .has_id = true, .id = d->req->mid };
	struct dots_reply rep;
	char c[16];

	dots_client_call(d->c, &r, &rep);
	/* a 2.02 needs no body: one that does not decode is no failure */
	if ((rep.error != 0 && rep.error != DOTS_CLIENT_EDECODE) ||
	    rep.code / 100 != 2)
		set_failure(d, &rep, "withdraw the mitigation");
	else {
		code_text(rep.code, c, sizeof(c));
		set_result(d, json_pack("{s:I,s:s,s:s,s:s}", "mid",
		    (json_int_t)r.id, "server", d->host, "state", "ended",
		    "server-code", c));
	}
	dots_reply_clear(&rep);
}

/*
 * The efficacy update repeats the mitigation's scope (RFC 9132 section
 * 4.4.3): read it back, keep what a client may send, add attack-status.
 */
static struct dots_signal *
efficacy_body(struct direct *d, struct dots_reply *rep)
{
	struct dots_signal *m = NULL;
	struct dots_diag diag;
	json_t *scopes, *sc, *root;
	char *text;
	size_t i;

	scopes = body_scopes(rep->body);
	sc = json_array_get(scopes, 0);
	for (i = 0; sc != NULL && i < sizeof(answer_only) /
	    sizeof(answer_only[0]); i++)
		if (strcmp(answer_only[i], "lifetime") != 0)
			json_object_del(sc, answer_only[i]);
	json_object_set_new(sc, "attack-status", json_string(
	    dots_attack_status_name(d->req->attack_status)));
	root = json_pack("{s:{s:[O*]}}", MS_NAME, "scope", sc);
	json_decref(scopes);
	text = root != NULL ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
	if (text == NULL || dots_json_decode_signal(text, strlen(text), 0, &m,
	    &diag) != DOTS_OK || dots_validate_signal(m,
	    DOTS_ROLE_EFFICACY_UPDATE, &diag) != DOTS_OK) {
		dots_signal_free(m);
		m = NULL;
	}
	free(text);
	return m;
}

static void
do_efficacy(struct direct *d)
{
	struct dots_request r = { .op = DOTS_REQ_MITIGATE_GET,
	    .has_id = true, .id = d->req->mid };
	struct dots_reply rep;
	struct dots_signal *m;
	char c[16];

	dots_client_call(d->c, &r, &rep);
	if (rep.error != 0 || rep.code / 100 != 2) {
		set_failure(d, &rep, "find the mitigation to update");
		dots_reply_clear(&rep);
		return;
	}
	m = efficacy_body(d, &rep);
	dots_reply_clear(&rep);
	if (m == NULL) {
		set_error(d, "internal", "the server's answer gives no scope "
		    "to repeat in an efficacy update", NULL);
		return;
	}
	r = (struct dots_request){ .op = DOTS_REQ_MITIGATE_PUT,
	    .has_id = true, .id = d->req->mid, .body = m,
	    .flags = DOTS_REQ_IF_MATCH };
	dots_client_call(d->c, &r, &rep);
	dots_signal_free(m);
	if (rep.error != 0 || rep.code / 100 != 2)
		set_failure(d, &rep, "take the efficacy update");
	else {
		code_text(rep.code, c, sizeof(c));
		set_result(d, json_pack("{s:I,s:s,s:s,s:s}", "mid",
		    (json_int_t)r.id, "server", d->host, "attack-status",
		    dots_attack_status_name(d->req->attack_status),
		    "server-code", c));
	}
	dots_reply_clear(&rep);
}

/* Print the answer built, as the daemon's would be. */
static int
show(struct direct *d)
{
	struct ctl_reply r;
	char err[CTL_ERR_MAX], *text;
	int ret;

	text = d->root != NULL ? json_dumps(d->root, JSON_COMPACT) : NULL;
	if (text == NULL) {
		fprintf(stderr, "dotsctl: out of memory\n");
		return CTL_EXIT_FAILED;
	}
	ret = ctl_reply_parse(text, strlen(text), &r, err, sizeof(err));
	free(text);
	if (ret != 0) {
		fprintf(stderr, "dotsctl: %s\n", err);
		return CTL_EXIT_FAILED;
	}
	ret = ctl_show(d->req, &r);
	ctl_reply_clear(&r);
	return ret;
}

int
ctl_direct_run(const struct ctl_req *req, const struct dots_signal *scope)
{
	struct dots_client_params p = { 0 };
	struct direct d = { .req = req };
	char err[CTL_ERR_MAX];
	int ret;

	if (split_hostport(req->direct, d.host, sizeof(d.host), &d.port) !=
	    0) {
		fprintf(stderr, "dotsctl: --direct '%s' is not HOST, "
		    "HOST:PORT or [IPV6]:PORT\n", req->direct);
		return CTL_EXIT_USAGE;
	}
	p.host = d.host;
	p.port = d.port;
	p.transport = req->tls ? DOTS_TRANSPORT_TLS : DOTS_TRANSPORT_DTLS;
	p.ca_file = req->ca;
	p.cert_file = req->cert;
	p.key_file = req->key;
	if ((d.c = dots_client_new(&p, err, sizeof(err))) == NULL) {
		fprintf(stderr, "dotsctl: %s\n", err);
		return CTL_EXIT_USAGE;
	}
	if (dots_client_connect(d.c, err, sizeof(err)) != 0) {
		fprintf(stderr, "dotsctl: cannot reach the DOTS server %s: "
		    "%s\n", req->direct, err);
		dots_client_free(d.c);
		return CTL_EXIT_UNREACHABLE;
	}
	switch (req->cmd) {
	case CTL_CMD_MITIGATE:
		do_mitigate(&d, scope);
		break;
	case CTL_CMD_STATUS:
		do_status(&d);
		break;
	case CTL_CMD_WITHDRAW:
		do_withdraw(&d);
		break;
	case CTL_CMD_EFFICACY:
		do_efficacy(&d);
		break;
	default:
		set_error(&d, "invalid", "not available with --direct", NULL);
		break;
	}
	ret = show(&d);
	json_decref(d.root);
	dots_client_disconnect(d.c);
	dots_client_free(d.c);
	return ret;
}
