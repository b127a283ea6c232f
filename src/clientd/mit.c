/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The life of a mitigation on the client's side.  A request accepted on
 * the control socket is stored `pending` first, then sent (PUT with its
 * mid) whenever its server's session is up.  Each send waits at most
 * retry-interval seconds for an answer; a request unanswered then, or
 * failed because the session went down, stays pending and is sent again
 * (a PUT of the same mid and scope is idempotent), so that a request
 * gets through a lossy path or a restarted server.  2.01/2.04 makes it
 * `active` and starts an observation (RFC 9132 section 4.4.2.1), which
 * the library registers again by itself after a reconnection; the first
 * notification after a reconnection is logged as the proof.  A 4.xx or
 * 5.xx makes it `failed`, with the server's code and diagnostic.  A
 * withdrawal is a DELETE, `withdrawing` until answered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/error.h>

#include "clientd.h"
#include "ctl_args.h"
#include "log.h"

static const char *const mit_state_names[] = {
	[MIT_PENDING] = "pending",
	[MIT_ACTIVE] = "active",
	[MIT_WITHDRAWING] = "withdrawing",
	[MIT_ENDED] = "ended",
	[MIT_FAILED] = "failed",
};

const char *
mit_state_name(enum mit_state st)
{
	return mit_state_names[st];
}

int
mit_state_parse(const char *s, enum mit_state *st)
{
	size_t i;

	for (i = 0; i <= MIT_FAILED; i++)
		if (strcmp(s, mit_state_names[i]) == 0) {
			*st = (enum mit_state)i;
			return 0;
		}
	return -1;
}

struct mit *
mit_new(struct dotscd *d, struct srv *s, uint32_t mid, const char *origin,
    const char *target, json_t *scope)
{
	struct mit *m, **pp;

	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	m->origin = strdup(origin != NULL ? origin : "");
	m->target = strdup(target != NULL ? target : "");
	if (m->origin == NULL || m->target == NULL) {
		free(m->origin);
		free(m->target);
		free(m);
		return NULL;
	}
	m->s = s;
	m->mid = mid;
	m->scope = json_incref(scope);
	m->state = MIT_PENDING;
	m->created = m->updated = time(NULL);
	for (pp = &d->mits; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = m;
	d->nmits++;
	return m;
}

/* Forget @p m: its requests and observation are cancelled first, so
 * that no callback comes for it. */
void
mit_free(struct dotscd *d, struct mit *m)
{
	struct mit **pp;

	for (pp = &d->mits; *pp != NULL; pp = &(*pp)->next)
		if (*pp == m) {
			*pp = m->next;
			d->nmits--;
			break;
		}
	pcall_forget_mit(m, "the mitigation is gone");
	if (m->in_flight && m->s->c != NULL)
		dots_client_cancel(m->s->c, m->req_id);
	if (m->observing && m->s->c != NULL)
		dots_client_observe_cancel(m->s->c, m->obs_id);
	json_decref(m->scope);
	json_decref(m->conflict);
	json_decref(m->error);
	free(m->origin);
	free(m->target);
	free(m->cdid);
	free(m);
}

/* @p cdid (NULL: none) for this mitigation's requests from now on. */
int
mit_set_cdid(struct mit *m, const char *cdid)
{
	char *c = NULL;

	if (cdid != NULL && (c = strdup(cdid)) == NULL)
		return -1;
	free(m->cdid);
	m->cdid = c;
	return 0;
}

struct mit *
mit_find(struct dotscd *d, struct srv *s, uint32_t mid)
{
	struct mit *m;

	for (m = d->mits; m != NULL; m = m->next)
		if (m->mid == mid && (s == NULL || m->s == s))
			return m;
	return NULL;
}

struct mit *
mit_find_target(struct dotscd *d, const char *origin, const char *target)
{
	struct mit *m;

	for (m = d->mits; m != NULL; m = m->next)
		if (m->state != MIT_ENDED && m->state != MIT_FAILED &&
		    strcmp(m->origin, origin) == 0 &&
		    strcmp(m->target, target) == 0)
			return m;
	return NULL;
}

bool
mit_any_active(struct dotscd *d, struct srv *s)
{
	struct mit *m;

	for (m = d->mits; m != NULL; m = m->next)
		if (m->s == s && (m->state == MIT_ACTIVE ||
		    m->state == MIT_WITHDRAWING))
			return true;
	return false;
}

/* Active, pending or being withdrawn: what a signal loss endangers. */
bool
mit_any_live(struct dotscd *d)
{
	struct mit *m;

	for (m = d->mits; m != NULL; m = m->next)
		if (m->state == MIT_ACTIVE || m->state == MIT_PENDING ||
		    m->state == MIT_WITHDRAWING)
			return true;
	return false;
}

void
mit_save(struct dotscd *d, struct mit *m)
{
	struct store_mit sm;
	char *scope, *error = NULL;

	scope = json_dumps(m->scope, JSON_COMPACT);
	if (m->error != NULL)
		error = json_dumps(m->error, JSON_COMPACT);
	memset(&sm, 0, sizeof(sm));
	sm.server = m->s->cf->name;
	sm.mid = m->mid;
	sm.origin = m->origin;
	sm.target = m->target;
	sm.state = mit_state_name(m->state);
	sm.status = m->status;
	sm.delivered = m->delivered;
	sm.scope = scope != NULL ? scope : "{}";
	sm.created = m->created;
	sm.updated = m->updated;
	sm.error = error;
	sm.cdid = m->cdid;
	sm.hop_limit = m->hop_limit;
	if (store_mit_put(d->store, &sm) != 0)
		log_warnx("server %s: mid %u not saved", m->s->cf->name,
		    m->mid);
	free(scope);
	free(error);
}

/* The server's statistics, as RFC 9132 names them. */
static void
mit_json_stats(json_t *o, const struct mit *m)
{
	json_object_set_new(o, "bytes-dropped",
	    json_integer((json_int_t)m->bytes_dropped));
	json_object_set_new(o, "pkts-dropped",
	    json_integer((json_int_t)m->pkts_dropped));
	json_object_set_new(o, "bps-dropped",
	    json_integer((json_int_t)m->bps_dropped));
	json_object_set_new(o, "pps-dropped",
	    json_integer((json_int_t)m->pps_dropped));
}

json_t *
mit_json(const struct mit *m)
{
	json_t *o;

	o = json_pack("{ss sI ss ss sO sI sI sI}", "server", m->s->cf->name,
	    "mid", (json_int_t)m->mid, "origin", m->origin, "state",
	    mit_state_name(m->state), "scope", m->scope, "created",
	    (json_int_t)m->created, "updated", (json_int_t)m->updated,
	    "lifetime", (json_int_t)m->lifetime);
	if (o == NULL)
		return NULL;
	if (m->status != 0)
		json_object_set_new(o, "status",
		    json_string(dots_status_name(m->status)));
	if (m->target[0] != '\0')
		json_object_set_new(o, "target", json_string(m->target));
	if (m->delivered)
		mit_json_stats(o, m);
	if (m->cdid != NULL)
		json_object_set_new(o, "cdid", json_string(m->cdid));
	if (m->hop_limit != 0)
		json_object_set_new(o, "hop-limit", json_integer(m->hop_limit));
	if (m->conflict != NULL)
		json_object_set(o, "conflict", m->conflict);
	if (m->error != NULL)
		json_object_set(o, "error", m->error);
	return o;
}

/*
 * A status event: what `list` says of the mitigation, without its
 * scope, so that a watcher (a gateway's mitigator) needs no `list` after
 * each event.
 */
void
mit_event(struct mit *m)
{
	json_t *ev = json_pack("{ss ss sI ss ss sI}", "event", "status",
	    "server", m->s->cf->name, "mid", (json_int_t)m->mid, "state",
	    mit_state_name(m->state), "origin", m->origin, "lifetime",
	    (json_int_t)m->lifetime);

	if (ev == NULL)
		return;
	mit_json_stats(ev, m);
	if (m->status != 0)
		json_object_set_new(ev, "status",
		    json_string(dots_status_name(m->status)));
	if (m->error != NULL)
		json_object_set(ev, "error", m->error);
	dotscd_event(m->s->d, ev);
}

static void
set_state(struct mit *m, enum mit_state st)
{
	struct dotscd *d = m->s->d;

	m->state = st;
	m->updated = time(NULL);
	if (st != MIT_ACTIVE)
		pcall_forget_mit(m, "the mitigation is no longer active");
	mit_save(d, m);
	mit_event(m);
	srv_apply_config(m->s);
}

/* What the server said of this mitigation in a body, if anything. */
static void
take_status(struct mit *m, const struct dots_signal *b)
{
	const struct dots_scope *sc;
	char text[256];

	if (b == NULL || b->kind != DOTS_SIG_MITIGATION ||
	    b->mitigation.n_scope == 0)
		return;
	sc = &b->mitigation.scope[0];
	if (sc->present & DOTS_SCOPE_STATUS)
		m->status = sc->status;
	if (sc->present & DOTS_SCOPE_LIFETIME)
		m->lifetime = sc->lifetime;
	if (sc->present & DOTS_SCOPE_BYTES_DROPPED)
		m->bytes_dropped = sc->bytes_dropped;
	if (sc->present & DOTS_SCOPE_PKTS_DROPPED)
		m->pkts_dropped = sc->pkts_dropped;
	if (sc->present & DOTS_SCOPE_BPS_DROPPED)
		m->bps_dropped = sc->bps_dropped;
	if (sc->present & DOTS_SCOPE_PPS_DROPPED)
		m->pps_dropped = sc->pps_dropped;
	if (sc->conflict.conflict_cause != 0) {
		snprintf(text, sizeof(text), "%s",
		    dots_conflict_cause_name(sc->conflict.conflict_cause));
		json_decref(m->conflict);
		m->conflict = json_pack("{ss ss}", "status",
		    dots_conflict_status_name(sc->conflict.conflict_status),
		    "cause", text);
	}
}

static json_t *
server_error(const struct dots_reply *r)
{
	char code[16];

	snprintf(code, sizeof(code), "%d.%02d", r->code / 100,
	    r->code % 100);
	return json_pack("{ss ss}", "code", code, "diagnostic",
	    r->diag);
}

static void	mit_observe(struct mit *m);

static void
mit_check_cb(void *arg, const struct dots_reply *r)
{
	struct mit *m = arg;

	m->in_flight = false;
	if (m->state != MIT_ACTIVE)
		return;
	if (r->code == 404) {
		log_info("server %s: mid %u gone", m->s->cf->name, m->mid);
		set_state(m, MIT_ENDED);
		return;
	}
	take_status(m, r->body);
	mit_observe(m);
}

/* A plain GET of the mid, after its observation ended. */
static void
mit_check(struct mit *m)
{
	struct dots_request r;

	if (m->in_flight || m->s->state != SRV_UP)
		return;
	memset(&r, 0, sizeof(r));
	r.op = DOTS_REQ_MITIGATE_GET;
	r.has_id = true;
	r.id = m->mid;
	r.cdid = m->cdid;
	if (dots_client_send(m->s->c, &r, mit_check_cb, m, &m->req_id) == 0)
		m->in_flight = true;
}

static void
mit_obs_cb(void *arg, const struct dots_reply *r)
{
	struct mit *m = arg;
	unsigned old = m->status;

	if (r->error == DOTS_CLIENT_ESESSION) {
		/* the library registers the observation again */
		m->reobserve = true;
		return;
	}
	if (r->error != 0 && r->has_observe)
		return;
	if (!r->has_observe) {
		/* a server that shuts down ends its observations with
		 * 4.04 too: ask before believing the mitigation gone */
		m->observing = false;
		m->reobserve = true;
		if (m->state == MIT_ACTIVE || m->state == MIT_WITHDRAWING)
			mit_check(m);
		return;
	}
	if (m->reobserve) {
		log_info("server %s: mid %u observed again after the "
		    "reconnection", m->s->cf->name, m->mid);
		m->reobserve = false;
	}
	take_status(m, r->body);
	if (m->status == DOTS_STATUS_TERMINATED ||
	    m->status == DOTS_STATUS_WITHDRAWN) {
		set_state(m, MIT_ENDED);
		return;
	}
	if (m->status != old || r->body != NULL) {
		m->updated = time(NULL);
		mit_event(m);
		if (m->status != old)
			mit_save(m->s->d, m);
	}
}

static void
mit_observe(struct mit *m)
{
	struct dots_request r;

	if (m->observing || m->s->state != SRV_UP)
		return;
	memset(&r, 0, sizeof(r));
	r.op = DOTS_REQ_MITIGATE_GET;
	r.has_id = true;
	r.id = m->mid;
	r.cdid = m->cdid;
	r.flags = DOTS_REQ_OBSERVE;
	if (dots_client_send(m->s->c, &r, mit_obs_cb, m, &m->obs_id) == 0)
		m->observing = true;
}

static void
mit_put_cb(void *arg, const struct dots_reply *r)
{
	struct mit *m = arg;
	struct dotscd *d = m->s->d;

	m->in_flight = false;
	if (m->state != MIT_PENDING)
		return;
	m->last_code = r->code;
	if (r->error != 0 && r->code == 0) {
		log_debug("server %s: mid %u: %s; sent again",
		    m->s->cf->name, m->mid, dots_client_strerror(r->error));
		mit_send(m);	/* at once: under loss, attempts count */
		return;
	}
	if (r->code == 201 || r->code == 204) {
		m->delivered = true;
		json_decref(m->error);
		m->error = NULL;
		take_status(m, r->body);
		log_info("server %s: mid %u active (%d.%02d)", m->s->cf->name,
		    m->mid, r->code / 100, r->code % 100);
		set_state(m, MIT_ACTIVE);
		mit_observe(m);
		waiter_resolve_mit(d, m, WAIT_MITIGATE);
		return;
	}
	json_decref(m->error);
	m->error = server_error(r);
	take_status(m, r->body);
	log_warnx("server %s: mid %u refused: %d.%02d %s", m->s->cf->name,
	    m->mid, r->code / 100, r->code % 100, r->diag);
	set_state(m, MIT_FAILED);
	waiter_resolve_mit(d, m, WAIT_MITIGATE);
}

/*
 * Over DTLS, mitigation requests and withdrawals go Non-confirmable and
 * are repeated every retry-interval until answered (RFC 9132 section
 * 4.4.1).  Confirmable ones would queue behind a lost one: CoAP allows
 * one outstanding at a time (NSTART 1), retransmitted for up to 45 s.
 */
static unsigned
non_flag(const struct srv *s)
{
	return s->tr == DOTS_TRANSPORT_DTLS ? DOTS_REQ_NON : 0;
}

/* Send the PUT of a pending mitigation if its session is up. */
void
mit_send(struct mit *m)
{
	struct dots_signal *msg = NULL;
	struct dots_request r;
	struct ctl_err e;
	uint32_t retry = m->s->d->conf->retry_interval;

	if (m->state != MIT_PENDING || m->in_flight ||
	    m->s->state != SRV_UP)
		return;
	if (ctl_scope_build(m->scope, m->mid, &msg, &e) != 0) {
		/* checked when accepted: only a stored scope that no
		 * longer passes (a newer libdots) gets here */
		m->error = json_pack("{ss ss}", "code", "invalid",
		    "diagnostic", e.msg);
		set_state(m, MIT_FAILED);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.op = DOTS_REQ_MITIGATE_PUT;
	r.has_id = true;
	r.id = m->mid;
	r.body = msg;
	r.timeout_ms = retry * 1000;
	r.flags = non_flag(m->s);
	r.cdid = m->cdid;
	r.hop_limit = m->hop_limit;
	m->last_send = time(NULL);
	if (dots_client_send(m->s->c, &r, mit_put_cb, m, &m->req_id) == 0) {
		m->in_flight = true;
		m->sent = true;
	}
	dots_signal_free(msg);
}

static void
mit_delete_cb(void *arg, const struct dots_reply *r)
{
	struct mit *m = arg;

	m->in_flight = false;
	if (m->state != MIT_WITHDRAWING)
		return;
	m->last_code = r->code;
	if (r->error != 0 && r->code == 0)
		return;		/* sent again by mit_tick() */
	if (r->code != 202 && r->code != 404) {
		json_decref(m->error);
		m->error = server_error(r);
		log_warnx("server %s: withdrawal of mid %u refused: %d.%02d "
		    "%s", m->s->cf->name, m->mid, r->code / 100,
		    r->code % 100, r->diag);
		set_state(m, MIT_ACTIVE);
		waiter_resolve_mit(m->s->d, m, WAIT_WITHDRAW);
		return;
	}
	log_info("server %s: mid %u withdrawn (%d.%02d)", m->s->cf->name,
	    m->mid, r->code / 100, r->code % 100);
	if (m->observing) {
		dots_client_observe_cancel(m->s->c, m->obs_id);
		m->observing = false;
	}
	set_state(m, MIT_ENDED);
	waiter_resolve_mit(m->s->d, m, WAIT_WITHDRAW);
}

static void
mit_delete_send(struct mit *m)
{
	struct dots_request r;

	if (m->in_flight || m->s->state != SRV_UP)
		return;
	memset(&r, 0, sizeof(r));
	r.op = DOTS_REQ_MITIGATE_DELETE;
	r.has_id = true;
	r.id = m->mid;
	r.cdid = m->cdid;
	r.timeout_ms = m->s->d->conf->retry_interval * 1000;
	r.flags = non_flag(m->s);
	m->last_send = time(NULL);
	if (dots_client_send(m->s->c, &r, mit_delete_cb, m, &m->req_id) == 0)
		m->in_flight = true;
}

void
mit_withdraw(struct mit *m)
{
	pcall_forget_mit(m, "the mitigation is being withdrawn");
	if (m->in_flight) {
		dots_client_cancel(m->s->c, m->req_id);
		m->in_flight = false;
	}
	set_state(m, MIT_WITHDRAWING);
	mit_delete_send(m);
}

static void
noop_cb(void *arg, const struct dots_reply *r)
{
	(void)arg;
	(void)r;
}

/* Forget a request not delivered; if it may have reached the server,
 * ask it to drop the mid too. */
void
mit_drop(struct dotscd *d, struct mit *m)
{
	struct dots_request r;

	if (m->sent && m->s->state == SRV_UP) {
		memset(&r, 0, sizeof(r));
		r.op = DOTS_REQ_MITIGATE_DELETE;
		r.has_id = true;
		r.id = m->mid;
		r.cdid = m->cdid;
		dots_client_send(m->s->c, &r, noop_cb, NULL, NULL);
	}
	store_mit_del(d->store, m->s->cf->name, m->mid);
	m->state = MIT_ENDED;
	mit_event(m);
	mit_free(d, m);
}

void
mit_srv_up(struct srv *s)
{
	struct mit *m;

	for (m = s->d->mits; m != NULL; m = m->next) {
		if (m->s != s)
			continue;
		if (m->state == MIT_PENDING)
			mit_send(m);
		else if (m->state == MIT_WITHDRAWING)
			mit_delete_send(m);
		else if (m->state == MIT_ACTIVE)
			mit_observe(m);
	}
}

/*
 * The session of @p s is gone with its client: nothing is in flight any
 * more, and observations are registered anew on the next session (which
 * may be over another transport).
 */
void
mit_srv_down(struct srv *s)
{
	struct mit *m;

	for (m = s->d->mits; m != NULL; m = m->next) {
		if (m->s != s)
			continue;
		m->in_flight = false;
		if (m->observing) {
			m->observing = false;
			m->reobserve = true;
		}
	}
}

/* Forget @p m in memory only, answering whoever waits for it. */
void
mit_forget(struct dotscd *d, struct mit *m)
{
	waiter_forget_mit(d, m);
	mit_free(d, m);
}

void
mit_tick(struct dotscd *d, time_t now)
{
	struct mit *m, *next;

	for (m = d->mits; m != NULL; m = next) {
		next = m->next;
		if (m->state == MIT_PENDING)
			mit_send(m);
		else if (m->state == MIT_WITHDRAWING)
			mit_delete_send(m);
		else if (m->state == MIT_ACTIVE && !m->observing)
			mit_observe(m);
		else if ((m->state == MIT_ENDED || m->state == MIT_FAILED) &&
		    now - m->updated > MIT_ENDED_KEEP) {
			store_mit_del(d->store, m->s->cf->name, m->mid);
			mit_free(d, m);
		}
	}
}

static void
load_one(void *arg, const struct store_mit *sm)
{
	struct dotscd *d = arg;
	struct srv *s = srv_find(d, sm->server);
	enum mit_state st;
	json_t *scope;
	struct mit *m;

	if (s == NULL) {
		log_warnx("store: mid %u of server %s, no longer configured, "
		    "ignored", sm->mid, sm->server);
		return;
	}
	scope = json_loads(sm->scope, 0, NULL);
	if (scope == NULL || mit_state_parse(sm->state, &st) != 0) {
		log_warnx("store: server %s mid %u unreadable", sm->server,
		    sm->mid);
		json_decref(scope);
		return;
	}
	m = mit_new(d, s, sm->mid, sm->origin, sm->target, scope);
	json_decref(scope);
	if (m == NULL)
		return;
	m->state = st;
	m->status = sm->status;
	m->delivered = m->sent = sm->delivered;
	m->created = sm->created;
	m->updated = sm->updated;
	if (sm->error != NULL)
		m->error = json_loads(sm->error, 0, NULL);
	if (mit_set_cdid(m, sm->cdid) != 0)
		log_warnx("store: server %s mid %u: its cdid is lost (out of "
		    "memory)", sm->server, sm->mid);
	m->hop_limit = sm->hop_limit <= 255 ? (uint8_t)sm->hop_limit : 0;
}

int
mit_load(struct dotscd *d)
{
	struct mit *m;
	unsigned n[MIT_FAILED + 1] = { 0 };

	if (store_mit_load(d->store, load_one, d) != 0)
		return -1;
	for (m = d->mits; m != NULL; m = m->next)
		n[m->state]++;
	log_info("%zu mitigations kept: %u pending, %u active, %u "
	    "withdrawing", d->nmits, n[MIT_PENDING], n[MIT_ACTIVE],
	    n[MIT_WITHDRAWING]);
	return 0;
}
