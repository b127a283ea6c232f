/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Mitigation engine: RFC 9132 section 4.4 without the CoAP.  A request
 * that passed libdots' decoding and validation is authorized against the
 * client's domain and rate, compared with the client's other requests
 * (refresh of the same mid, efficacy update, overlap with a higher or lower
 * mid) and with other clients' (conflict), then stored and handed to the
 * client's mitigator.  Status changes come back from the mitigator and the
 * timers, are stored, and are announced through the change callback so the
 * glue can notify observers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <dots/cbor.h>

#include "mit.h"

struct mit_engine {
	struct store		*store;
	struct mit_params	 params;
	mit_change_fn		 changed;
	void			*changed_arg;
	struct mitigation	*list;
	uint64_t		 next_id;
};

static struct dots_scope *
scope_of(const struct mitigation *m)
{
	return &m->req->mitigation.scope[0];
}

void
mit_result_clear(struct mit_result *res)
{
	memset(res, 0, sizeof(*res));
}

static void
result(struct mit_result *res, int code, const char *diag)
{
	res->code = code;
	snprintf(res->diag, sizeof(res->diag), "%s", diag ? diag : "");
}

struct mit_engine *
mit_engine_new(struct store *st, const struct mit_params *p, mit_change_fn cb,
    void *cb_arg)
{
	struct mit_engine *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return NULL;
	e->store = st;
	e->params = *p;
	e->changed = cb;
	e->changed_arg = cb_arg;
	e->next_id = 1;
	return e;
}

static void
mitigation_free(struct mitigation *m)
{
	if (m == NULL)
		return;
	dots_signal_free(m->req);
	free(m);
}

void
mit_engine_free(struct mit_engine *e)
{
	struct mitigation *m, *next;

	if (e == NULL)
		return;
	for (m = e->list; m != NULL; m = next) {
		next = m->next;
		mitigation_free(m);
	}
	free(e);
}

static struct mitigation *
find_mitigation(struct mit_engine *e, const char *cuid, uint32_t mid)
{
	struct mitigation *m;

	for (m = e->list; m != NULL; m = m->next)
		if (m->mid == mid && strcmp(m->cuid, cuid) == 0)
			return m;
	return NULL;
}

const struct mitigation *
mit_find(struct mit_engine *e, const char *cuid, uint32_t mid)
{
	return find_mitigation(e, cuid, mid);
}

unsigned
mit_count(struct mit_engine *e, const struct mit_client *cl)
{
	struct mitigation *m;
	unsigned n = 0;

	for (m = e->list; m != NULL; m = m->next)
		if (m->client == cl)
			n++;
	return n;
}

/* Write the mitigation's current state to the store. */
static void
persist(struct mit_engine *e, const struct mitigation *m)
{
	uint8_t body[DOTS_CBOR_MAX_BODY];
	struct store_mitigation sm;
	size_t len;

	if (e->store == NULL)
		return;
	if (dots_cbor_encode_signal(m->req, body, sizeof(body), &len) !=
	    DOTS_OK)
		return;
	memset(&sm, 0, sizeof(sm));
	sm.id = m->id;
	snprintf(sm.cuid, sizeof(sm.cuid), "%s", m->cuid);
	snprintf(sm.cdid, sizeof(sm.cdid), "%s", m->cdid);
	snprintf(sm.client, sizeof(sm.client), "%s", m->client->name);
	sm.mid = m->mid;
	sm.body = body;
	sm.body_len = len;
	sm.status = m->status;
	sm.trigger = m->trigger;
	sm.lifetime = m->lifetime;
	sm.created = m->created;
	sm.expires = m->expires;
	sm.started = m->started;
	sm.terminating_until = m->terminating_until;
	store_mitigation_put(e->store, &sm);
}

static void
set_status(struct mit_engine *e, struct mitigation *m, uint8_t status)
{
	if (m->status == status)
		return;
	m->status = status;
	persist(e, m);
	if (e->changed != NULL)
		e->changed(e->changed_arg, m, false);
}

static void
unlink_mitigation(struct mit_engine *e, struct mitigation *m)
{
	struct mitigation **pp;

	for (pp = &e->list; *pp != NULL; pp = &(*pp)->next)
		if (*pp == m) {
			*pp = m->next;
			break;
		}
}

/* Stop enforcing (if it was) and forget @p m. */
static void
remove_mitigation(struct mit_engine *e, struct mitigation *m)
{
	if (m->applied && m->client->backend != NULL)
		m->client->backend->ops->withdraw(m->client->backend, m->id);
	unlink_mitigation(e, m);
	if (e->store != NULL)
		store_mitigation_delete(e->store, m->id);
	if (e->changed != NULL)
		e->changed(e->changed_arg, m, true);
	mitigation_free(m);
}

static int
apply(struct mitigation *m)
{
	struct be_mitigation bm = {
		.id = m->id,
		.cuid = m->cuid,
		.client = m->client->name,
		.mid = m->mid,
		.scope = scope_of(m),
		.lifetime = m->lifetime,
	};
	struct backend *be = m->client->backend;
	int ret;

	if (be == NULL)
		return -ENOENT;
	if (be->capacity != 0 && be->active >= be->capacity)
		return -ENOSPC;
	ret = be->ops->apply(be, &bm);
	if (ret == 0)
		m->applied = true;
	return ret;
}

/* Do two scopes share an address, prefix, FQDN, URI or alias? */
static bool
scopes_overlap(const struct dots_scope *a, const struct dots_scope *b)
{
	size_t i, j;

	for (i = 0; i < a->target.n_prefix; i++)
		for (j = 0; j < b->target.n_prefix; j++)
			if (dots_prefix_overlaps(&a->target.prefix[i],
			    &b->target.prefix[j]))
				return true;
	for (i = 0; i < a->target.n_fqdn; i++)
		for (j = 0; j < b->target.n_fqdn; j++)
			if (strcasecmp(a->target.fqdn[i],
			    b->target.fqdn[j]) == 0)
				return true;
	for (i = 0; i < a->target.n_uri; i++)
		for (j = 0; j < b->target.n_uri; j++)
			if (strcmp(a->target.uri[i], b->target.uri[j]) == 0)
				return true;
	for (i = 0; i < a->n_alias_name; i++)
		for (j = 0; j < b->n_alias_name; j++)
			if (strcmp(a->alias_name[i], b->alias_name[j]) == 0)
				return true;
	return false;
}

/* Same request apart from lifetime and attack-status (a refresh)? */
static bool
same_parameters(const struct dots_scope *a, const struct dots_scope *b)
{
	static struct dots_signal sa, sb;	/* shells; arenas unused */
	struct dots_scope ca = *a, cb = *b;
	uint32_t volatile_bits = DOTS_SCOPE_LIFETIME |
	    DOTS_SCOPE_ATTACK_STATUS;

	ca.present &= ~volatile_bits;
	cb.present &= ~volatile_bits;
	sa.kind = sb.kind = DOTS_SIG_MITIGATION;
	sa.mitigation.scope = &ca;
	sb.mitigation.scope = &cb;
	sa.mitigation.n_scope = sb.mitigation.n_scope = 1;
	return dots_signal_equal(&sa, &sb);
}

static bool
fqdn_allowed(const struct mit_client *cl, const char *name)
{
	size_t i;

	for (i = 0; i < cl->nfqdns; i++)
		if (strcasecmp(cl->fqdns[i], name) == 0)
			return true;
	return false;
}

/* RFC 9132 section 4.4.1: only the client domain's resources. */
static bool
authorized(const struct mit_client *cl, const struct dots_scope *s,
    char *why, size_t len)
{
	char text[64];
	size_t i, k;

	for (i = 0; i < s->target.n_prefix; i++) {
		for (k = 0; k < cl->nprefixes; k++)
			if (dots_prefix_contains(&cl->prefixes[k],
			    &s->target.prefix[i]))
				break;
		if (k == cl->nprefixes) {
			dots_prefix_format(&s->target.prefix[i], text,
			    sizeof(text));
			snprintf(why, len, "target-prefix %s is outside the "
			    "domain of client '%s'", text, cl->name);
			return false;
		}
	}
	for (i = 0; i < s->target.n_fqdn; i++)
		if (!fqdn_allowed(cl, s->target.fqdn[i])) {
			snprintf(why, len, "target-fqdn '%s' is not "
			    "authorized for client '%s'", s->target.fqdn[i],
			    cl->name);
			return false;
		}
	if (s->target.n_uri != 0) {
		snprintf(why, len, "target-uri is not supported by this "
		    "server; use target-prefix or target-fqdn");
		return false;
	}
	return true;
}

static bool
rate_ok(struct mit_client *cl, time_t now)
{
	double rate = cl->max_rate ? cl->max_rate : 20;

	if (cl->tokens_at == 0) {
		cl->tokens = rate;
		cl->tokens_at = now;
	}
	cl->tokens += (double)(now - cl->tokens_at) * rate;
	if (cl->tokens > rate)
		cl->tokens = rate;
	cl->tokens_at = now;
	if (cl->tokens < 1)
		return false;
	cl->tokens -= 1;
	return true;
}

static int64_t
granted_lifetime(const struct mit_engine *e, int64_t asked)
{
	int64_t max = e->params.max_lifetime;

	if (max > 0 && (asked < 0 || asked > max))
		return max;
	return asked;
}

static int64_t
remaining(const struct mitigation *m, time_t now)
{
	if (m->lifetime < 0)
		return -1;
	return m->expires > now ? (int64_t)(m->expires - now) : 0;
}

/* A reply body: one scope with mid and lifetime. */
static struct dots_scope *
reply_scope(struct mit_result *res, uint32_t mid, int64_t lifetime)
{
	struct dots_scope *s;

	res->body = dots_signal_new(DOTS_SIG_MITIGATION);
	if (res->body == NULL || (s = dots_signal_add_scopes(res->body, 1))
	    == NULL)
		return NULL;
	s->mid = mid;
	s->lifetime = lifetime;
	s->present |= DOTS_SCOPE_MID | DOTS_SCOPE_LIFETIME;
	return s;
}

static void
conflict_reply(struct mit_result *res, const struct mitigation *other)
{
	struct dots_scope *s;

	result(res, 409, NULL);
	s = reply_scope(res, 0, 0);
	if (s == NULL)
		return;
	s->present = 0;
	s->conflict.present = DOTS_CONFLICT_CAUSE;
	s->conflict.conflict_cause = DOTS_CONFLICT_OVERLAPPING_TARGETS;
	s->conflict.conflict_scope.present = DOTS_CSCOPE_MID;
	s->conflict.conflict_scope.mid = other->mid;
	/* borrowed from the stored request; encoded before any change */
	s->conflict.conflict_scope.target.prefix =
	    scope_of(other)->target.prefix;
	s->conflict.conflict_scope.target.n_prefix =
	    scope_of(other)->target.n_prefix;
}

static void
refresh(struct mit_engine *e, struct mitigation *m, const struct mit_request *r,
    struct mit_result *res)
{
	const struct dots_scope *s = &r->msg->mitigation.scope[0];

	if (!same_parameters(scope_of(m), s)) {
		result(res, 400, "a request with an existing mid may change "
		    "only lifetime (RFC 9132 section 4.4.1); use a new mid");
		return;
	}
	if (s->present & DOTS_SCOPE_LIFETIME) {
		m->lifetime = granted_lifetime(e, s->lifetime);
		m->expires = m->lifetime < 0 ? 0 : r->now + m->lifetime;
	}
	if (s->present & DOTS_SCOPE_ATTACK_STATUS)
		m->attack_status = s->attack_status;
	persist(e, m);
	result(res, 204, NULL);
	reply_scope(res, m->mid, remaining(m, r->now));
}

static struct mitigation *
new_mitigation(struct mit_engine *e, const struct mit_request *r)
{
	const struct dots_scope *s = &r->msg->mitigation.scope[0];
	struct mitigation *m = calloc(1, sizeof(*m));
	uint8_t buf[DOTS_CBOR_MAX_BODY];
	size_t len;

	if (m == NULL)
		return NULL;
	/* keep our own copy of the request, via its canonical CBOR */
	if (dots_cbor_encode_signal(r->msg, buf, sizeof(buf), &len) != DOTS_OK
	    || dots_cbor_decode_signal(buf, len, &m->req, NULL) != DOTS_OK) {
		free(m);
		return NULL;
	}
	m->id = e->next_id++;
	m->client = r->client;
	snprintf(m->cuid, sizeof(m->cuid), "%s", r->cuid);
	snprintf(m->cdid, sizeof(m->cdid), "%s", r->cdid ? r->cdid : "");
	m->mid = r->mid;
	m->trigger = !(s->present & DOTS_SCOPE_TRIGGER) ||
	    s->trigger_mitigation;
	m->lifetime = granted_lifetime(e, s->lifetime);
	m->created = r->now;
	m->expires = m->lifetime < 0 ? 0 : r->now + m->lifetime;
	m->status = m->trigger ? DOTS_STATUS_IN_PROGRESS :
	    DOTS_STATUS_SIGNAL_LOSS;
	return m;
}

void
mit_put(struct mit_engine *e, const struct mit_request *r,
    struct mit_result *res)
{
	const struct dots_scope *s = &r->msg->mitigation.scope[0];
	struct mitigation *m, *other, *replaced[64];
	struct mitigation *conflict_other = NULL;
	size_t nreplaced = 0, i;
	char why[200];
	int ret;

	mit_result_clear(res);
	if (!rate_ok(r->client, r->now)) {
		result(res, 503, "request rate limit reached; retry later");
		res->max_age = 1;
		return;
	}
	m = find_mitigation(e, r->cuid, r->mid);
	if (r->efficacy) {
		/*
		 * RFC 9132 section 4.4.3: unknown mid: silently ignored.  A
		 * request the client withdrew is gone even while it is still
		 * enforced for the active-but-terminating period; If-Match
		 * exists for an update reordered behind that DELETE.
		 */
		if (m == NULL || m->status == DOTS_STATUS_CLIENT_WITHDRAWN)
			res->no_response = true;
		else
			refresh(e, m, r, res);
		return;
	}
	if (m != NULL) {
		refresh(e, m, r, res);
		return;
	}
	if (!authorized(r->client, s, why, sizeof(why))) {
		result(res, 401, why);
		return;
	}
	if (s->n_alias_name != 0) {
		result(res, 400, "alias-name refers to aliases of the data "
		    "channel, which this server does not offer");
		return;
	}
	if (s->n_acl_list != 0) {
		result(res, 404, "acl-list names ACLs of the data channel, "
		    "which this server does not offer (RFC 9133)");
		return;
	}
	for (other = e->list; other != NULL; other = other->next) {
		if (!scopes_overlap(scope_of(other), s))
			continue;
		if (strcmp(other->cuid, r->cuid) != 0) {
			conflict_other = other;
			continue;
		}
		if (other->trigger != (!(s->present & DOTS_SCOPE_TRIGGER) ||
		    s->trigger_mitigation))
			continue;
		if (other->mid > r->mid) {
			conflict_reply(res, other);
			return;
		}
		if (nreplaced < sizeof(replaced) / sizeof(replaced[0]))
			replaced[nreplaced++] = other;
	}
	if (mit_count(e, r->client) - nreplaced >=
	    (r->client->max_mitigations ? r->client->max_mitigations : 64)) {
		result(res, 503, "this client has reached its limit of "
		    "mitigations");
		res->max_age = 60;
		return;
	}
	m = new_mitigation(e, r);
	if (m == NULL) {
		result(res, 500, "out of memory");
		return;
	}
	if (m->trigger && (ret = apply(m)) != 0) {
		result(res, 503, ret == -ENOSPC ? "the mitigator is at "
		    "capacity" : "the mitigator refused the request");
		res->max_age = 60;
		e->next_id--;
		mitigation_free(m);
		return;
	}
	m->next = e->list;
	e->list = m;
	persist(e, m);
	/* the new request overrides the overlapped older ones */
	for (i = 0; i < nreplaced; i++)
		remove_mitigation(e, replaced[i]);
	result(res, 201, NULL);
	if (reply_scope(res, m->mid, m->lifetime) != NULL &&
	    conflict_other != NULL) {
		struct dots_scope *rs = &res->body->mitigation.scope[0];

		/* accepted despite another client's request: say so */
		rs->conflict.present = DOTS_CONFLICT_STATUS |
		    DOTS_CONFLICT_CAUSE;
		rs->conflict.conflict_status = DOTS_CONFLICT_REQUEST_ACTIVE;
		rs->conflict.conflict_cause =
		    DOTS_CONFLICT_OVERLAPPING_TARGETS;
		rs->conflict.conflict_scope.target.prefix =
		    scope_of(m)->target.prefix;
		rs->conflict.conflict_scope.target.n_prefix =
		    scope_of(m)->target.n_prefix;
	}
	if (e->changed != NULL)
		e->changed(e->changed_arg, m, false);
}

/* Fill @p out with the status of @p m; arrays are borrowed from it. */
static void
status_scope(const struct mitigation *m, struct dots_scope *out, char filter,
    time_t now)
{
	const struct dots_scope *s = scope_of(m);

	out->mid = m->mid;
	out->lifetime = remaining(m, now);
	out->present = DOTS_SCOPE_MID | DOTS_SCOPE_LIFETIME;
	if (filter != 'n') {
		out->target = s->target;
		out->alias_name = s->alias_name;
		out->n_alias_name = s->n_alias_name;
		out->source_prefix = s->source_prefix;
		out->n_source_prefix = s->n_source_prefix;
		out->source_port_range = s->source_port_range;
		out->n_source_port_range = s->n_source_port_range;
		out->source_icmp_type_range = s->source_icmp_type_range;
		out->n_source_icmp_type_range = s->n_source_icmp_type_range;
		if (s->present & DOTS_SCOPE_TRIGGER) {
			out->trigger_mitigation = s->trigger_mitigation;
			out->present |= DOTS_SCOPE_TRIGGER;
		}
	}
	if (filter == 'c')
		return;
	out->status = m->status;
	out->present |= DOTS_SCOPE_STATUS;
	if (m->started != 0 && m->status != DOTS_STATUS_SIGNAL_LOSS) {
		out->mitigation_start = (uint64_t)m->started;
		out->present |= DOTS_SCOPE_MITIGATION_START;
	}
	if (m->stats.flags & BE_STATS_VALID) {
		out->bytes_dropped = m->stats.bytes_dropped;
		out->pkts_dropped = m->stats.pkts_dropped;
		out->bps_dropped = m->stats.bps_dropped;
		out->pps_dropped = m->stats.pps_dropped;
		out->present |= DOTS_SCOPE_BYTES_DROPPED |
		    DOTS_SCOPE_PKTS_DROPPED | DOTS_SCOPE_BPS_DROPPED |
		    DOTS_SCOPE_PPS_DROPPED;
	}
}

void
mit_get(struct mit_engine *e, struct mit_client *cl, const char *cuid,
    bool one, uint32_t mid, char filter, time_t now, struct mit_result *res)
{
	struct mitigation *m;
	struct dots_scope *s;
	size_t n = 0;

	mit_result_clear(res);
	for (m = e->list; m != NULL; m = m->next)
		if (m->client == cl && strcmp(m->cuid, cuid) == 0 &&
		    (!one || m->mid == mid))
			n++;
	if (n == 0) {
		result(res, 404, one ? "no mitigation with this mid" :
		    "no mitigation for this client");
		return;
	}
	res->body = dots_signal_new(DOTS_SIG_MITIGATION);
	if (res->body == NULL ||
	    (s = dots_signal_add_scopes(res->body, n)) == NULL) {
		result(res, 500, "out of memory");
		return;
	}
	for (m = e->list; m != NULL; m = m->next)
		if (m->client == cl && strcmp(m->cuid, cuid) == 0 &&
		    (!one || m->mid == mid))
			status_scope(m, s++, filter, now);
	result(res, 205, NULL);
}

void
mit_delete(struct mit_engine *e, struct mit_client *cl, const char *cuid,
    uint32_t mid, time_t now, struct mit_result *res)
{
	struct mitigation *m = find_mitigation(e, cuid, mid);

	mit_result_clear(res);
	/* RFC 9132 section 4.4.4: 2.02 even if the mid is unknown */
	result(res, 202, NULL);
	if (m == NULL || m->client != cl ||
	    m->status == DOTS_STATUS_CLIENT_WITHDRAWN)
		return;
	if (!m->applied || e->params.abt_seconds <= 0) {
		remove_mitigation(e, m);
		return;
	}
	m->terminating_until = now + e->params.abt_seconds;
	set_status(e, m, DOTS_STATUS_CLIENT_WITHDRAWN);
}

void
mit_tick(struct mit_engine *e, time_t now)
{
	struct mitigation *m, *next;

	for (m = e->list; m != NULL; m = next) {
		next = m->next;
		if (m->terminating_until != 0 && now >= m->terminating_until)
			remove_mitigation(e, m);
		else if (m->lifetime >= 0 && now >= m->expires)
			remove_mitigation(e, m);
	}
}

void
mit_signal_lost(struct mit_engine *e, struct mit_client *cl, time_t now)
{
	struct mitigation *m;

	(void)now;
	for (m = e->list; m != NULL; m = m->next) {
		if (m->client != cl || m->trigger || m->applied)
			continue;
		/* preconfigured: activated only now (RFC 9132 4.4.1) */
		if (apply(m) == 0)
			set_status(e, m, DOTS_STATUS_IN_PROGRESS);
	}
}

void
mit_backend_report(void *arg, const struct be_report *r)
{
	struct mit_engine *e = arg;
	struct mitigation *m;

	for (m = e->list; m != NULL; m = m->next)
		if (m->id == r->id)
			break;
	if (m == NULL)
		return;		/* withdrawn meanwhile */
	if (r->flags & BE_STATS_VALID)
		m->stats = *r;
	switch (r->state) {
	case BE_ACTIVE:
		if (m->started == 0)
			m->started = time(NULL);
		if (m->status == DOTS_STATUS_IN_PROGRESS)
			set_status(e, m, DOTS_STATUS_MITIGATED);
		else if (e->changed != NULL)
			e->changed(e->changed_arg, m, false);
		break;
	case BE_FAILED:
		m->applied = false;
		set_status(e, m, DOTS_STATUS_TERMINATED);
		break;
	default:
		break;
	}
}

struct restore_ctx {
	struct mit_engine	 *e;
	struct mit_client	*(*find)(void *, const char *);
	void			 *find_arg;
	time_t			  now;
	uint64_t		 *stale;	/* rows to delete after the scan */
	size_t			  nstale;
	size_t			  capstale;
};

/* Rows are deleted after the scan, not while SQLite walks the table. */
static int
stale(struct restore_ctx *rc, uint64_t id)
{
	uint64_t *bigger;

	if (rc->nstale == rc->capstale) {
		rc->capstale = rc->capstale ? rc->capstale * 2 : 16;
		bigger = realloc(rc->stale, rc->capstale * sizeof(*bigger));
		if (bigger == NULL)
			return -1;
		rc->stale = bigger;
	}
	rc->stale[rc->nstale++] = id;
	return 0;
}

static int
restore_one(void *arg, const struct store_mitigation *sm)
{
	struct restore_ctx *rc = arg;
	struct mit_engine *e = rc->e;
	struct mit_client *cl = rc->find(rc->find_arg, sm->client);
	struct mitigation *m;

	if (sm->id >= e->next_id)
		e->next_id = sm->id + 1;
	if (cl == NULL)
		return stale(rc, sm->id); /* client no longer configured */
	m = calloc(1, sizeof(*m));
	if (m == NULL || dots_cbor_decode_signal(sm->body, sm->body_len,
	    &m->req, NULL) != DOTS_OK || m->req->mitigation.n_scope != 1) {
		if (m != NULL)
			dots_signal_free(m->req);
		free(m);
		return stale(rc, sm->id);
	}
	m->id = sm->id;
	m->client = cl;
	snprintf(m->cuid, sizeof(m->cuid), "%s", sm->cuid);
	snprintf(m->cdid, sizeof(m->cdid), "%s", sm->cdid);
	m->mid = sm->mid;
	m->status = sm->status;
	m->trigger = sm->trigger;
	m->lifetime = sm->lifetime;
	m->created = sm->created;
	m->expires = sm->expires;
	m->started = sm->started;
	m->terminating_until = sm->terminating_until;
	m->next = e->list;
	e->list = m;
	/*
	 * Enforced before the restart: enforce again, once.  Not a
	 * preconfigured request still waiting for signal loss, nor one the
	 * mitigator failed: that one stays terminated, as without a restart.
	 */
	if (m->status != DOTS_STATUS_SIGNAL_LOSS &&
	    m->status != DOTS_STATUS_TERMINATED)
		apply(m);
	/* so that the glue gives it its resources again */
	if (e->changed != NULL)
		e->changed(e->changed_arg, m, false);
	return 0;
}

int
mit_engine_restore(struct mit_engine *e,
    struct mit_client *(*find)(void *, const char *), void *find_arg,
    time_t now)
{
	struct restore_ctx rc = { e, find, find_arg, now, NULL, 0, 0 };
	uint64_t max_id = 0;
	size_t i;
	int ret;

	if (e->store == NULL)
		return 0;
	/* never hand out an id again, even that of a deleted row */
	if (store_mitigation_max_id(e->store, &max_id) == 0 &&
	    max_id >= e->next_id)
		e->next_id = max_id + 1;
	ret = store_mitigation_foreach(e->store, restore_one, &rc);
	for (i = 0; i < rc.nstale; i++)
		store_mitigation_delete(e->store, rc.stale[i]);
	free(rc.stale);
	/* what expired while we were down goes now */
	mit_tick(e, now);
	return ret;
}
