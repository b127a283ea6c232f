/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The commands of dotsd's control socket, run on a request adm_parse()
 * accepted: what the engine holds (`mitigations`), the configured clients
 * (`clients`), and the mitigations held for an administrator's decision
 * (`approvals`, `approve`, `reject`) by the mitigators that hold any
 * (be_ops.held and decide, the policy mitigator's manual approval).  Each
 * answer is built whole here; adm_sock.c only frames it.
 *
 * `mitigations` answers at most ADM_PAGE of them, in id order, and says
 * whether more follow; the next request asks for those after the last
 * id.  A server holding 200,000 mitigations is thus listed in pages that
 * each cost the loop a few milliseconds, not in one answer of a hundred
 * megabytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adm.h"
#include "be_scope.h"
#include "dotsd.h"
#include "log.h"

#define HELD_MAX	256	/* held mitigations listed per mitigator */

/* What `mitigations` collects before sorting. */
struct collect {
	const struct adm_req	 *r;
	const struct mitigation	**v;
	size_t			  n, cap;
};

static json_t *
jint(uint64_t v)
{
	return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

/*
 * A string from elsewhere (a mitigator's reason, the configuration): one
 * that is not valid UTF-8 is shown with its other bytes as '?', rather
 * than failing the whole answer.
 */
static json_t *
jstr(const char *s)
{
	json_t *v = json_string(s);
	char *copy, *p;

	if (v != NULL || (copy = strdup(s)) == NULL)
		return v;
	for (p = copy; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	v = json_string(copy);
	free(copy);
	return v;
}

/* Add @p v (a **new** reference, may be NULL) as @p k; -1 on failure. */
static int
put(json_t *o, const char *k, json_t *v)
{
	return v == NULL ? -1 : json_object_set_new(o, k, v);
}

/*
 * The scope of @p msg in RFC 9132 JSON (as dotscd's `scope` and the
 * signal channel show it), without what the answer shows on its own.
 */
static json_t *
scope_json(const struct dots_signal *msg)
{
	json_t *scope = be_scope_json(&msg->mitigation.scope[0]);

	json_object_del(scope, "mid");
	json_object_del(scope, "lifetime");
	json_object_del(scope, "trigger-mitigation");
	return scope;
}

static int
stats_json(json_t *o, const struct be_report *s)
{
	if (!(s->flags & BE_STATS_VALID))
		return 0;
	if (put(o, "bytes-dropped", jint(s->bytes_dropped)) != 0 ||
	    put(o, "pkts-dropped", jint(s->pkts_dropped)) != 0 ||
	    put(o, "bps-dropped", jint(s->bps_dropped)) != 0 ||
	    put(o, "pps-dropped", jint(s->pps_dropped)) != 0)
		return -1;
	return 0;
}

static json_t *
mitigation_json(const struct mitigation *m, time_t now)
{
	const struct backend *be = m->client->backend;
	const char *status = dots_status_name(m->status);
	json_int_t left = -1;
	json_t *o;

	if (m->expires != 0)
		left = m->expires > now ? (json_int_t)(m->expires - now) : 0;
	o = json_pack("{sI so so sI ss}", "id", (json_int_t)m->id, "client",
	    jstr(m->client->name), "cuid", jstr(m->cuid), "mid",
	    (json_int_t)m->mid, "status", status != NULL ? status :
	    "unknown");
	if (o == NULL)
		return NULL;
	if ((m->cdid[0] != '\0' && put(o, "cdid", jstr(m->cdid)) != 0) ||
	    put(o, "scope", scope_json(m->req)) != 0 ||
	    (m->eff != NULL && put(o, "expanded", scope_json(m->eff)) != 0) ||
	    put(o, "trigger-mitigation", json_boolean(m->trigger)) != 0 ||
	    put(o, "lifetime", json_integer(m->lifetime)) != 0 ||
	    put(o, "lifetime-left", json_integer(left)) != 0 ||
	    put(o, "created", json_integer(m->created)) != 0 ||
	    (m->started != 0 && put(o, "started", json_integer(m->started)) !=
	    0) ||
	    (be != NULL && put(o, "mitigator", jstr(be->name)) != 0) ||
	    put(o, "applied", json_boolean(m->applied)) != 0 ||
	    (m->failure[0] != '\0' && put(o, "failure",
	    jstr(m->failure)) != 0) ||
	    (m->attack_status != 0 && dots_attack_status_name(
	    m->attack_status) != NULL && put(o, "attack-status",
	    json_string(dots_attack_status_name(m->attack_status))) != 0) ||
	    stats_json(o, &m->stats) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int
collect_one(void *arg, const struct mitigation *m)
{
	struct collect *c = arg;
	const struct mitigation **bigger;
	size_t cap;

	if (m->id <= c->r->after || (c->r->client != NULL &&
	    strcmp(m->client->name, c->r->client) != 0))
		return 0;
	if (c->n == c->cap) {
		cap = c->cap ? c->cap * 2 : 64;
		if ((bigger = realloc(c->v, cap * sizeof(*bigger))) == NULL)
			return -1;
		c->v = bigger;
		c->cap = cap;
	}
	c->v[c->n++] = m;
	return 0;
}

static int
by_id(const void *a, const void *b)
{
	const struct mitigation *ma = *(const struct mitigation *const *)a;
	const struct mitigation *mb = *(const struct mitigation *const *)b;

	return ma->id < mb->id ? -1 : ma->id > mb->id;
}

static struct dotsd_client *
client_named(struct dotsd *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nclients; i++)
		if (strcmp(d->clients[i].mc.name, name) == 0)
			return &d->clients[i];
	return NULL;
}

static json_t *
cmd_mitigations(struct dotsd *d, const struct adm_req *r,
    struct adm_err *e)
{
	struct collect c = { .r = r };
	json_t *list, *o;
	time_t now = time(NULL);
	size_t i;

	if (r->client != NULL && client_named(d, r->client) == NULL) {
		adm_fail(e, "not-found", "client", "no client '%s' is "
		    "configured", r->client);
		return NULL;
	}
	if (mit_foreach(d->engine, collect_one, &c) != 0 ||
	    (list = json_array()) == NULL)
		goto nomem;
	if (c.n > 1)	/* qsort() wants an array, even of none */
		qsort(c.v, c.n, sizeof(*c.v), by_id);
	for (i = 0; i < c.n && i < ADM_PAGE; i++)
		if (json_array_append_new(list, mitigation_json(c.v[i], now)) !=
		    0) {
			json_decref(list);
			goto nomem;
		}
	o = json_pack("{so sb}", "mitigations", list, "more", c.n > ADM_PAGE);
	free(c.v);
	return o;
nomem:
	free(c.v);
	adm_fail(e, "internal", NULL, "out of memory");
	return NULL;
}

static json_t *
prefixes_json(const struct mit_client *mc)
{
	char buf[64];
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < mc->nprefixes; i++)
		if (dots_prefix_format(&mc->prefixes[i], buf, sizeof(buf)) !=
		    DOTS_OK || json_array_append_new(a, json_string(buf)) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *
fqdns_json(const struct mit_client *mc)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < mc->nfqdns; i++)
		if (json_array_append_new(a, jstr(mc->fqdns[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* A client removed by a reload keeps its struct, without identity. */
static json_t *
client_json(const struct dotsd_client *cl)
{
	const struct mit_client *mc = &cl->mc;
	json_t *o;

	o = json_pack("{so so* sb si si si sb}", "name", jstr(mc->name),
	    "identity", cl->identity[0] != '\0' ? jstr(cl->identity) : NULL,
	    "session", cl->sessions > 0, "sessions", cl->sessions,
	    "mitigations", (int)mc->nmit, "applied", (int)mc->napplied,
	    "signal-lost", mc->signal_lost);
	if (o == NULL)
		return NULL;
	if (put(o, "prefixes", prefixes_json(mc)) != 0 ||
	    put(o, "fqdns", fqdns_json(mc)) != 0 ||
	    (mc->backend != NULL && put(o, "mitigator",
	    jstr(mc->backend->name)) != 0) ||
	    (cl->identity[0] == '\0' && put(o, "removed",
	    json_true()) != 0) ||
	    (mc->last_heard != 0 && put(o, "last-heard",
	    json_integer(mc->last_heard)) != 0) ||
	    (mc->max_mitigations != 0 && put(o, "max-mitigations",
	    json_integer(mc->max_mitigations)) != 0)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
cmd_clients(struct dotsd *d, struct adm_err *e)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; list != NULL && i < d->nclients; i++)
		if (json_array_append_new(list, client_json(&d->clients[i])) !=
		    0) {
			json_decref(list);
			list = NULL;
		}
	if (list == NULL) {
		adm_fail(e, "internal", NULL, "out of memory");
		return NULL;
	}
	return json_pack("{so}", "clients", list);
}

static int
held_json(json_t *list, const struct backend *be, const struct be_held *h)
{
	return json_array_append_new(list, json_pack("{sI so so sI sI so}",
	    "mitigation", (json_int_t)h->id, "mitigator", jstr(be->name),
	    "client", jstr(h->client), "mid", (json_int_t)h->mid,
	    "since", (json_int_t)h->since, "what", jstr(h->what)));
}

static json_t *
cmd_approvals(struct backend *const *be, size_t nbe, struct adm_err *e)
{
	struct be_held *h = calloc(HELD_MAX, sizeof(*h));
	json_t *list = json_array();
	bool more = false;
	size_t i, k, n;

	if (h == NULL || list == NULL)
		goto nomem;
	for (i = 0; i < nbe; i++) {
		if (be[i]->ops->held == NULL)
			continue;
		n = be[i]->ops->held(be[i], h, HELD_MAX);
		if (n > HELD_MAX) {
			more = true;
			n = HELD_MAX;
		}
		for (k = 0; k < n; k++) {
			/* a mitigator's strings are not trusted to end */
			h[k].client[sizeof(h[k].client) - 1] = '\0';
			h[k].what[sizeof(h[k].what) - 1] = '\0';
			if (held_json(list, be[i], &h[k]) != 0)
				goto nomem;
		}
	}
	free(h);
	return json_pack("{so sb}", "approvals", list, "more", more);
nomem:
	free(h);
	json_decref(list);
	adm_fail(e, "internal", NULL, "out of memory");
	return NULL;
}

static json_t *
cmd_decide(struct backend *const *be, size_t nbe, const struct adm_req *r,
    struct adm_err *e)
{
	bool approve = r->cmd == ADM_CMD_APPROVE;
	size_t i;
	int ret;

	for (i = 0; i < nbe; i++) {
		if (be[i]->ops->decide == NULL)
			continue;
		ret = be[i]->ops->decide(be[i], r->mitigation, approve,
		    approve ? NULL : r->why);
		if (ret == -ENOENT)
			continue;
		if (ret != 0) {
			adm_fail(e, "internal", NULL, "mitigator \"%s\": %s",
			    be[i]->name, strerror(-ret));
			return NULL;
		}
		log_info("control: mitigation %llu %s (mitigator \"%s\")%s%s",
		    (unsigned long long)r->mitigation, approve ? "approved" :
		    "rejected", be[i]->name, approve ? "" : ": ",
		    approve ? "" : r->why);
		return json_pack("{sI so ss}", "mitigation",
		    (json_int_t)r->mitigation, "mitigator", jstr(be[i]->name),
		    "decision", approve ? "approved" : "rejected");
	}
	adm_fail(e, "not-found", "mitigation", "no mitigator holds mitigation "
	    "%llu for a decision (`approvals` lists those held)",
	    (unsigned long long)r->mitigation);
	return NULL;
}

json_t *
adm_run(struct dotsd *d, struct backend *const *be, size_t nbe,
    const struct adm_req *r)
{
	struct adm_err e = { .code = "internal", .msg = "out of memory" };
	json_t *res = NULL;

	switch (r->cmd) {
	case ADM_CMD_MITIGATIONS:
		res = cmd_mitigations(d, r, &e);
		break;
	case ADM_CMD_APPROVALS:
		res = cmd_approvals(be, nbe, &e);
		break;
	case ADM_CMD_APPROVE:
	case ADM_CMD_REJECT:
		res = cmd_decide(be, nbe, r, &e);
		break;
	case ADM_CMD_CLIENTS:
		res = cmd_clients(d, &e);
		break;
	case ADM_CMD_NONE:
		adm_fail(&e, "internal", NULL, "no command");
		break;
	}
	if (res != NULL)
		return adm_answer_ok(r->id, res);
	return adm_answer_err(r->id, &e);
}
