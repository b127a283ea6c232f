/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The control protocol's dispatcher (docs/control-protocol.md):
 * ctl_submit() checks a request's arguments (ctl_args.c), runs the
 * command and answers through a callback.  The control socket and the
 * in-daemon triggers both come in here.  A command that waits for a
 * server (mitigate, withdraw, efficacy, session with set) leaves a
 * struct waiter, answered when the server's answer comes or when its
 * `wait` runs out, whichever is first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/error.h>
#include <dots/json.h>

#include "clientd.h"
#include "ctl_args.h"
#include "log.h"
#include "offload.h"

typedef int	(*cmd_fn)(struct dotscd *d, json_t *req, struct ctl_rep *rep,
		    struct ctl_err *e);

struct cmd {
	const char		*name;
	cmd_fn			 fn;
	const char *const	*args;
};

/* Answers */

static void
answer(struct ctl_rep *rep, json_t *a)
{
	if (a != NULL && rep->id != NULL)
		json_object_set(a, "id", rep->id);
	if (rep->cb != NULL)
		rep->cb(rep->arg, a);
	json_decref(a);
	json_decref(rep->id);
	rep->id = NULL;
}

/** @p result is taken. */
void
ctl_answer_ok(struct ctl_rep *rep, json_t *result)
{
	json_t *a = json_pack("{sb so}", "ok", 1, "result",
	    result != NULL ? result : json_object());

	answer(rep, a);
}

/** @p server is taken. */
void
ctl_answer_err(struct ctl_rep *rep, const char *code, const char *field,
    const char *msg, json_t *server)
{
	json_t *err = json_pack("{ss ss}", "code", code, "message", msg);

	if (err != NULL && field != NULL && field[0] != '\0')
		json_object_set_new(err, "field", json_string(field));
	if (err != NULL && server != NULL)
		json_object_set(err, "server", server);
	json_decref(server);
	answer(rep, json_pack("{sb so*}", "ok", 0, "error", err));
}

static void
answer_e(struct ctl_rep *rep, const struct ctl_err *e)
{
	ctl_answer_err(rep, e->code, e->field, e->msg, NULL);
}

/* Waiters */

static struct waiter *
waiter_add(struct dotscd *d, enum waiter_kind kind, struct ctl_rep *rep,
    uint64_t wait)
{
	struct waiter *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->d = d;
	w->kind = kind;
	w->rep = *rep;
	rep->id = NULL;
	w->deadline = time(NULL) + (time_t)wait;
	w->next = d->waiters;
	d->waiters = w;
	return w;
}

void
waiter_unlink(struct dotscd *d, struct waiter *w)
{
	struct waiter **pp;

	for (pp = &d->waiters; *pp != NULL; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	if (w->p != NULL)
		w->p->w = NULL;
	json_decref(w->rep.id);
	free(w);
}

/* The answer of mitigate and withdraw: the mitigation as it is now. */
static void
answer_mit(struct ctl_rep *rep, struct mit *m, int server_code)
{
	json_t *res, *err;
	char code[16];

	if (m->state == MIT_FAILED && m->error != NULL) {
		err = json_incref(m->error);
		ctl_answer_err(rep, "refused", NULL, "the DOTS server refused "
		    "the request", err);
		return;
	}
	res = json_pack("{sI ss ss sI}", "mid", (json_int_t)m->mid,
	    "server", m->s->cf->name, "state", mit_state_name(m->state),
	    "lifetime", (json_int_t)m->lifetime);
	if (res != NULL && m->status != 0)
		json_object_set_new(res, "status",
		    json_string(dots_status_name(m->status)));
	if (res != NULL && server_code != 0) {
		snprintf(code, sizeof(code), "%d.%02d", server_code / 100,
		    server_code % 100);
		json_object_set_new(res, "server-code", json_string(code));
	}
	ctl_answer_ok(rep, res);
}

void
waiter_resolve_mit(struct dotscd *d, struct mit *m, enum waiter_kind kind)
{
	struct waiter *w, *next;

	for (w = d->waiters; w != NULL; w = next) {
		next = w->next;
		if (w->m != m || w->kind != kind)
			continue;
		answer_mit(&w->rep, m, m->last_code);
		waiter_unlink(d, w);
	}
}

/* Waiters whose mitigation is going away answer now. */
void
waiter_forget_mit(struct dotscd *d, struct mit *m)
{
	struct waiter *w, *next;

	for (w = d->waiters; w != NULL; w = next) {
		next = w->next;
		if (w->m != m)
			continue;
		answer_mit(&w->rep, m, 0);
		waiter_unlink(d, w);
	}
}

/* A queued call not answered yet: it stays queued. */
static void
answer_call_pending(struct ctl_rep *rep, const struct pcall *p)
{
	json_t *res;

	if (p == NULL) {
		ctl_answer_err(rep, "internal", NULL, "the call was lost",
		    NULL);
		return;
	}
	res = json_pack("{ss ss sI}", "state", "pending", "server",
	    p->s->cf->name, "queued", (json_int_t)p->queued);
	if (res != NULL && p->m != NULL)
		json_object_set_new(res, "mid", json_integer(p->m->mid));
	if (res != NULL)
		json_object_set_new(res, "reason", json_string(
		    p->s->state != SRV_UP ? "no session with the server; "
		    "sent when it is back" : "not answered yet; sent again "
		    "until answered"));
	ctl_answer_ok(rep, res);
}

/*
 * The end of the queued call @p p, for whoever waits: the server's
 * answer @p r, or NULL and why it was dropped.
 */
void
waiter_call_done(struct pcall *p, const struct dots_reply *r,
    const char *why)
{
	struct waiter *w = p->w;
	json_t *res;
	char *text;
	char code[16];

	if (w == NULL)
		return;
	if (r == NULL) {
		ctl_answer_err(&w->rep, "refused", NULL, why, NULL);
		waiter_unlink(w->d, w);
		return;
	}
	snprintf(code, sizeof(code), "%d.%02d", r->code / 100, r->code % 100);
	if (r->code / 100 != 2)
		ctl_answer_err(&w->rep, "refused", NULL, "the DOTS server "
		    "refused the request", json_pack("{ss ss}", "code", code,
		    "diagnostic", r->diag));
	else {
		res = json_pack("{ss ss}", "state", "delivered",
		    "server-code", code);
		if (res != NULL && r->body != NULL &&
		    (text = dots_json_encode_signal(r->body, 0, NULL)) !=
		    NULL) {
			json_object_set_new(res, "body",
			    json_loads(text, 0, NULL));
			free(text);
		}
		ctl_answer_ok(&w->rep, res);
	}
	waiter_unlink(w->d, w);
}

void
waiter_tick(struct dotscd *d, time_t now)
{
	struct waiter *w, *next;

	for (w = d->waiters; w != NULL; w = next) {
		next = w->next;
		if (now < w->deadline)
			continue;
		if (w->kind == WAIT_CALL)
			answer_call_pending(&w->rep, w->p);
		else
			answer_mit(&w->rep, w->m, 0);
		waiter_unlink(d, w);
	}
}

void
waiter_free_all(struct dotscd *d)
{
	while (d->waiters != NULL)
		waiter_unlink(d, d->waiters);
}

/* The server a request names, or the preferred one. */
static struct srv *
arg_server(struct dotscd *d, json_t *req, struct ctl_err *e)
{
	const char *name;
	struct srv *s;

	if (ctl_arg_str(req, "server", false, CTL_TEXT_MAX, &name, e) != 0)
		return NULL;
	if (name == NULL) {
		s = srv_preferred(d);
		if (s == NULL)
			ctl_fail(e, "not-found", "server", "no server is "
			    "configured");
		return s;
	}
	s = srv_find(d, name);
	if (s == NULL)
		ctl_fail(e, "not-found", "server", "no server '%.64s' in "
		    "the configuration", name);
	return s;
}

/* The mitigation a request names by mid (and server, if given). */
static struct mit *
arg_mit(struct dotscd *d, json_t *req, struct ctl_err *e)
{
	const char *name;
	struct srv *s = NULL;
	uint64_t mid;
	struct mit *m;

	if (ctl_arg_uint(req, "mid", -1, 0, UINT32_MAX, &mid, e) != 0 ||
	    ctl_arg_str(req, "server", false, CTL_TEXT_MAX, &name, e) != 0)
		return NULL;
	if (name != NULL && (s = srv_find(d, name)) == NULL) {
		ctl_fail(e, "not-found", "server", "no server '%.64s' in "
		    "the configuration", name);
		return NULL;
	}
	m = mit_find(d, s, (uint32_t)mid);
	if (m == NULL)
		ctl_fail(e, "not-found", "mid", "no mitigation with mid %llu",
		    (unsigned long long)mid);
	return m;
}

/* Commands */

static int
cmd_servers(struct dotscd *d, json_t *req, struct ctl_rep *rep,
    struct ctl_err *e)
{
	json_t *list = json_array();
	size_t i;

	(void)req;
	(void)e;
	for (i = 0; i < d->nsrv; i++)
		json_array_append_new(list, srv_json(d->srv[i]));
	ctl_answer_ok(rep, json_pack("{so}", "servers", list));
	return 0;
}

/*
 * Create or update a mitigation; shared by mitigate and trigger.  @p
 * scope is checked (and given its default lifetime) here.
 */
/*
 * What a gateway relaying a request adds (RFC 9132 section 4.3, RFC
 * 8768): absent members keep what the mitigation had.
 */
struct relay_args {
	const char	*cdid;		/* NULL: unchanged */
	uint64_t	 hop_limit;	/* 0: unchanged */
};

/* The cdid argument: what the server's Uri-Path parser takes. */
static int
arg_cdid(json_t *req, const char **out, struct ctl_err *e)
{
	if (ctl_arg_str(req, "cdid", false, DOTS_CLIENT_CDID_MAX, out, e) != 0)
		return -1;
	if (*out != NULL && strspn(*out, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_.~=:+") != strlen(*out))
		return ctl_fail(e, "invalid", "cdid", "cdid may hold only "
		    "A-Z, a-z, 0-9 and -_.~=:+ (RFC 9132 Uri-Path)");
	return 0;
}

/* Give @p m the cdid and Hop-Limit of @p ra, if any (as origin: out of
 * memory, the old one stays). */
static void
relay_apply(struct mit *m, const struct relay_args *ra)
{
	if (ra == NULL)
		return;
	if (ra->hop_limit != 0)
		m->hop_limit = (uint8_t)ra->hop_limit;
	if (ra->cdid != NULL && mit_set_cdid(m, ra->cdid) != 0)
		log_warnx("server %s: mid %u: cdid not recorded (out of "
		    "memory)", m->s->cf->name, m->mid);
}

static int
mitigate(struct dotscd *d, struct srv *s, json_t *scope, bool has_mid,
    uint64_t mid, const char *origin, const char *target,
    const struct relay_args *ra, uint64_t wait, struct ctl_rep *rep,
    struct ctl_err *e)
{
	struct mit *m = NULL;
	uint32_t newmid;
	json_t *copy;

	if (has_mid)
		m = mit_find(d, s, (uint32_t)mid);
	if (m != NULL && (m->state == MIT_WITHDRAWING ||
	    m->state == MIT_ENDED))
		return ctl_fail(e, "invalid", "mid", "mid %u is being "
		    "withdrawn or ended; request a new one", m->mid);
	copy = json_deep_copy(scope);
	if (copy == NULL)
		return ctl_fail(e, "internal", NULL, "out of memory");
	if (ctl_scope_build(copy, has_mid ? (uint32_t)mid : 1, NULL, e) != 0)
		goto fail;
	if (m == NULL && d->nmits >= d->conf->max_pending) {
		ctl_fail(e, "busy", NULL, "%zu mitigations kept already "
		    "(max-pending)", d->nmits);
		goto fail;
	}
	if (m == NULL && has_mid) {
		uint32_t last = 0;
		bool have;

		if (store_mid_last(d->store, s->cf->name, &last, &have) != 0)
			goto internal;
		if (have && mid <= last) {
			ctl_fail(e, "invalid", "mid", "mid %llu is not a "
			    "mitigation of %s, and new mids must be above "
			    "%u", (unsigned long long)mid, s->cf->name, last);
			goto fail;
		}
		if (store_mid_seen(d->store, s->cf->name, (uint32_t)mid) != 0)
			goto internal;
		newmid = (uint32_t)mid;
	} else if (m == NULL && store_mid_next(d->store, s->cf->name,
	    mit_any_active(d, s), &newmid) != 0)
		goto internal;
	if (m == NULL) {
		m = mit_new(d, s, newmid, origin, target, copy);
		if (m == NULL)
			goto internal;
	} else {
		if (m->in_flight) {
			dots_client_cancel(s->c, m->req_id);
			m->in_flight = false;
		}
		json_decref(m->scope);
		m->scope = json_incref(copy);
		if (origin != NULL) {
			char *o = strdup(origin);

			if (o != NULL) {
				free(m->origin);
				m->origin = o;
			}
		}
		json_decref(m->error);
		m->error = NULL;
		m->state = MIT_PENDING;
	}
	json_decref(copy);
	relay_apply(m, ra);
	m->updated = time(NULL);
	mit_save(d, m);
	log_info("server %s: mid %u requested by %s", s->cf->name, m->mid,
	    m->origin[0] != '\0' ? m->origin : "(unnamed)");
	mit_send(m);
	if (wait == 0 || m->state != MIT_PENDING) {
		answer_mit(rep, m, 0);
		return 0;
	}
	if (waiter_add(d, WAIT_MITIGATE, rep, wait) == NULL) {
		answer_mit(rep, m, 0);
		return 0;
	}
	d->waiters->m = m;
	return 0;
internal:
	ctl_fail(e, "internal", NULL, "the daemon could not record the "
	    "request (database)");
fail:
	json_decref(copy);
	return -1;
}

static int
cmd_mitigate(struct dotscd *d, json_t *req, struct ctl_rep *rep,
    struct ctl_err *e)
{
	const char *origin;
	json_t *scope = json_object_get(req, "scope");
	struct relay_args ra;
	uint64_t mid = 0, wait;
	struct srv *s;

	if ((s = arg_server(d, req, e)) == NULL ||
	    ctl_arg_str(req, "origin", false, CTL_TEXT_MAX, &origin, e) ||
	    ctl_arg_uint(req, "wait", 5, 0, WAIT_MAX, &wait, e) ||
	    (json_object_get(req, "mid") != NULL &&
	    ctl_arg_uint(req, "mid", 0, 0, UINT32_MAX, &mid, e)) ||
	    arg_cdid(req, &ra.cdid, e) ||
	    ctl_arg_uint(req, "hop-limit", 0, 1, 255, &ra.hop_limit, e))
		return -1;
	if (scope == NULL)
		return ctl_fail(e, "invalid", "scope", "scope is required");
	return mitigate(d, s, scope, json_object_get(req, "mid") != NULL,
	    mid, origin != NULL ? origin : "manual", NULL, &ra, wait, rep, e);
}

static int
withdraw(struct dotscd *d, struct mit *m, uint64_t wait, struct ctl_rep *rep)
{
	if (m->state == MIT_PENDING && !m->delivered) {
		waiter_forget_mit(d, m);
		log_info("server %s: mid %u dropped before delivery",
		    m->s->cf->name, m->mid);
		ctl_answer_ok(rep, json_pack("{sI ss}", "mid",
		    (json_int_t)m->mid, "state", "ended"));
		mit_drop(d, m);
		return 0;
	}
	if (m->state == MIT_ENDED || m->state == MIT_FAILED) {
		answer_mit(rep, m, 0);
		return 0;
	}
	waiter_forget_mit(d, m);
	mit_withdraw(m);
	if (wait == 0 || m->state != MIT_WITHDRAWING ||
	    waiter_add(d, WAIT_WITHDRAW, rep, wait) == NULL) {
		answer_mit(rep, m, 0);
		return 0;
	}
	d->waiters->m = m;
	return 0;
}

static int
cmd_withdraw(struct dotscd *d, json_t *req, struct ctl_rep *rep,
    struct ctl_err *e)
{
	const char *cdid;
	uint64_t wait;
	struct mit *m;

	if (ctl_arg_uint(req, "wait", 5, 0, WAIT_MAX, &wait, e) != 0 ||
	    arg_cdid(req, &cdid, e) != 0 || (m = arg_mit(d, req, e)) == NULL)
		return -1;
	if (cdid != NULL && mit_set_cdid(m, cdid) != 0)
		return ctl_fail(e, "internal", NULL, "out of memory");
	return withdraw(d, m, wait, rep);
}

static int
cmd_cancel(struct dotscd *d, json_t *req, struct ctl_rep *rep,
    struct ctl_err *e)
{
	struct mit *m;

	if ((m = arg_mit(d, req, e)) == NULL)
		return -1;
	if (m->state != MIT_PENDING || m->delivered)
		return ctl_fail(e, "invalid", "mid", "mid %u was delivered "
		    "(state %s): use withdraw", m->mid,
		    mit_state_name(m->state));
	return withdraw(d, m, 0, rep);
}

/*
 * Queue @p body (taken) as a call on @p s and answer when the server
 * does, or `pending` after @p wait seconds (0: at once).
 */
static int
call(struct dotscd *d, struct srv *s, enum pcall_kind kind, struct mit *m,
    struct dots_signal *body, unsigned flags, uint64_t wait,
    struct ctl_rep *rep, struct ctl_err *e)
{
	struct waiter *w;
	struct pcall *p;

	if (s->ncalls >= SRV_CALLS_MAX) {
		dots_signal_free(body);
		return ctl_fail(e, "busy", NULL, "%u calls already queued on "
		    "%s", SRV_CALLS_MAX, s->cf->name);
	}
	if ((p = pcall_new(s, kind, m, body, flags)) == NULL)
		return ctl_fail(e, "internal", NULL, "out of memory");
	if (s->state != SRV_UP)
		log_info("server %s: %s queued until the session is back",
		    s->cf->name, kind == PCALL_EFFICACY ? "efficacy update" :
		    "session configuration");
	pcall_send_all(s);
	if (wait == 0 || (w = waiter_add(d, WAIT_CALL, rep, wait)) == NULL) {
		answer_call_pending(rep, p);
		return 0;
	}
	w->p = p;
	p->w = w;
	return 0;
}

static int
cmd_efficacy(struct dotscd *d, json_t *req, struct ctl_rep *rep,
    struct ctl_err *e)
{
	struct dots_signal *msg = NULL;
	const char *as, *cdid;
	uint64_t wait;
	struct mit *m;

	if (ctl_arg_str(req, "attack-status", true, 64, &as, e) != 0 ||
	    ctl_arg_uint(req, "wait", 5, 0, WAIT_MAX, &wait, e) != 0 ||
	    arg_cdid(req, &cdid, e) != 0 || (m = arg_mit(d, req, e)) == NULL)
		return -1;
	if (strcmp(as, "under-attack") != 0 &&
	    strcmp(as, "attack-successfully-mitigated") != 0)
		return ctl_fail(e, "invalid", "attack-status", "attack-status "
		    "must be under-attack or attack-successfully-mitigated");
	if (m->state != MIT_ACTIVE)
		return ctl_fail(e, "invalid", "mid", "mid %u is %s, not "
		    "active", m->mid, mit_state_name(m->state));
	if (ctl_efficacy_build(m->scope, m->mid, as, &msg, e) != 0)
		return -1;
	if (cdid != NULL && mit_set_cdid(m, cdid) != 0) {
		dots_signal_free(msg);
		return ctl_fail(e, "internal", NULL, "out of memory");
	}
	return call(d, m->s, PCALL_EFFICACY, m, msg, DOTS_REQ_IF_MATCH,
	    wait, rep, e);
}

static int
cmd_list(struct dotscd *d, json_t *req, struct ctl_rep *rep,
    struct ctl_err *e)
{
	const char *name;
	struct srv *s = NULL;
	uint64_t mid = 0;
	bool all, has_mid = json_object_get(req, "mid") != NULL;
	json_t *list;
	struct mit *m;

	if (ctl_arg_str(req, "server", false, CTL_TEXT_MAX, &name, e) != 0 ||
	    ctl_arg_bool(req, "all", false, &all, e) != 0 ||
	    (has_mid && ctl_arg_uint(req, "mid", 0, 0, UINT32_MAX, &mid, e)))
		return -1;
	if (name != NULL && (s = srv_find(d, name)) == NULL)
		return ctl_fail(e, "not-found", "server", "no server '%.64s' "
		    "in the configuration", name);
	list = json_array();
	for (m = d->mits; m != NULL && list != NULL; m = m->next) {
		if ((s != NULL && m->s != s) || (has_mid && m->mid != mid))
			continue;
		if (!all && !has_mid && (m->state == MIT_ENDED ||
		    m->state == MIT_FAILED))
			continue;
		json_array_append_new(list, mit_json(m));
	}
	ctl_answer_ok(rep, json_pack("{so*}", "mitigations", list));
	return 0;
}

static int
cmd_session(struct dotscd *d, json_t *req, struct ctl_rep *rep,
    struct ctl_err *e)
{
	struct dots_signal *msg = NULL;
	json_t *set = json_object_get(req, "set"), *res;
	uint64_t wait;
	struct srv *s;
	char *text;

	if ((s = arg_server(d, req, e)) == NULL ||
	    ctl_arg_uint(req, "wait", 5, 0, WAIT_MAX, &wait, e) != 0)
		return -1;
	if (set == NULL) {
		res = srv_json(s);
		if (res != NULL && s->config != NULL &&
		    (text = dots_json_encode_signal(s->config, 0, NULL)) !=
		    NULL) {
			json_object_set_new(res, "config",
			    json_loads(text, 0, NULL));
			free(text);
		}
		ctl_answer_ok(rep, res);
		return 0;
	}
	if (ctl_config_build(set, &msg, e) != 0)
		return -1;
	return call(d, s, PCALL_CONFIG, NULL, msg, 0, wait, rep, e);
}

static int
cmd_trigger(struct dotscd *d, json_t *req, struct ctl_rep *rep,
    struct ctl_err *e)
{
	const char *action, *origin, *target;
	json_t *extra = json_object_get(req, "scope"), *scope, *ev;
	json_t *details = json_object_get(req, "details");
	uint64_t wait;
	struct mit *m;
	struct srv *s;
	char *dtext = NULL;
	int ret;

	if (ctl_arg_str(req, "action", true, 16, &action, e) != 0 ||
	    ctl_arg_str(req, "origin", true, CTL_TEXT_MAX, &origin, e) != 0 ||
	    ctl_arg_str(req, "target", true, 64, &target, e) != 0 ||
	    ctl_arg_uint(req, "wait", 5, 0, WAIT_MAX, &wait, e) != 0)
		return -1;
	if (strcmp(action, "start") != 0 && strcmp(action, "stop") != 0)
		return ctl_fail(e, "invalid", "action", "action must be start "
		    "or stop");
	if (ctl_target_check(target, e) != 0)
		return -1;
	if (extra != NULL && !json_is_object(extra))
		return ctl_fail(e, "invalid", "scope", "scope must be an "
		    "object of extra scope members");
	if (extra != NULL && json_object_get(extra, "target-prefix") != NULL)
		return ctl_fail(e, "invalid", "scope.target-prefix", "the "
		    "target-prefix is the argument target");
	if (details != NULL)
		dtext = json_dumps(details, JSON_COMPACT);
	log_info("trigger %s from %s for %s%s%.200s", action, origin, target,
	    dtext != NULL ? ": " : "", dtext != NULL ? dtext : "");
	free(dtext);
	ev = json_pack("{ss ss ss ss}", "event", "trigger", "origin", origin,
	    "action", action, "target", target);
	if (ev != NULL && details != NULL)
		json_object_set(ev, "details", details);
	dotscd_event(d, ev);
	m = mit_find_target(d, origin, target);
	if (strcmp(action, "stop") == 0) {
		if (m == NULL)
			return ctl_fail(e, "not-found", "target", "no "
			    "mitigation from %.64s for %.64s", origin, target);
		return withdraw(d, m, wait, rep);
	}
	s = m != NULL ? m->s : srv_preferred(d);
	if (s == NULL)
		return ctl_fail(e, "not-found", "server", "no server is "
		    "configured");
	scope = extra != NULL ? json_deep_copy(extra) : json_object();
	if (scope == NULL || json_object_set_new(scope, "target-prefix",
	    json_pack("[s]", target)) != 0) {
		json_decref(scope);
		return ctl_fail(e, "internal", NULL, "out of memory");
	}
	ret = mitigate(d, s, scope, m != NULL, m != NULL ? m->mid : 0,
	    origin, target, NULL, wait, rep, e);
	json_decref(scope);
	return ret;
}

/* watch is the socket's business (ctl.c); here it only says yes. */
static int
cmd_watch(struct dotscd *d, json_t *req, struct ctl_rep *rep,
    struct ctl_err *e)
{
	(void)d;
	(void)req;
	(void)e;
	ctl_answer_ok(rep, json_pack("{sb}", "watching", 1));
	return 0;
}

static const char *const args_none[] = { NULL };
static const char *const args_mitigate[] = { "server", "origin", "wait",
	"mid", "scope", "cdid", "hop-limit", NULL };
static const char *const args_withdraw[] = { "mid", "server", "wait",
	"cdid", NULL };
static const char *const args_cancel[] = { "mid", "server", NULL };
static const char *const args_efficacy[] = { "mid", "server",
	"attack-status", "wait", "cdid", NULL };
static const char *const args_list[] = { "server", "mid", "all", NULL };
static const char *const args_session[] = { "server", "set", "wait",
	NULL };
static const char *const args_trigger[] = { "action", "origin", "target",
	"details", "scope", "wait", NULL };

static const char *const args_dms_report[] = { "report", NULL };

static const struct cmd cmds[] = {
	{ "servers", cmd_servers, args_none },
	{ "mitigate", cmd_mitigate, args_mitigate },
	{ "withdraw", cmd_withdraw, args_withdraw },
	{ "cancel", cmd_cancel, args_cancel },
	{ "efficacy", cmd_efficacy, args_efficacy },
	{ "list", cmd_list, args_list },
	{ "session", cmd_session, args_session },
	{ "trigger", cmd_trigger, args_trigger },
	{ "watch", cmd_watch, args_none },
	{ "dms-report", offload_cmd_report, args_dms_report },
	{ "dms-status", offload_cmd_status, args_none },
};

void
ctl_submit(struct dotscd *d, json_t *req, ctl_reply_cb cb, void *arg)
{
	struct ctl_rep rep = { .cb = cb, .arg = arg };
	struct ctl_err e;
	const char *name;
	size_t i;

	memset(&e, 0, sizeof(e));
	if (!json_is_object(req)) {
		ctl_answer_err(&rep, "bad-json", NULL, "a request is a JSON "
		    "object", NULL);
		return;
	}
	if (ctl_arg_id(req, &e) != 0) {
		answer_e(&rep, &e);
		return;
	}
	rep.id = json_incref(json_object_get(req, "id"));
	if (ctl_arg_str(req, "cmd", true, 32, &name, &e) != 0) {
		answer_e(&rep, &e);
		return;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(cmds[i].name, name) == 0)
			break;
	if (i == sizeof(cmds) / sizeof(cmds[0])) {
		ctl_answer_err(&rep, "unknown-command", "cmd", "no such "
		    "command; see docs/control-protocol.md", NULL);
		return;
	}
	if (ctl_check_members(req, cmds[i].args, &e) != 0 ||
	    cmds[i].fn(d, req, &rep, &e) != 0)
		answer_e(&rep, &e);
}
