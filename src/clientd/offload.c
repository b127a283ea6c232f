/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotscd's mitigation offload (offload.h, docs/offload.md): each DMS
 * report goes through the hysteresis of offload_plan.c; a start or an
 * update is planned and its request sent, a stop withdraws what was
 * sent.  Every decision is logged with its reason, kept for
 * `dms-status`, and sent to `watch` connections as an "offload" event.
 *
 * The signal channel is reached like every other part of dotscd does,
 * through ctl_submit(): a `mitigate` with the planned scope (the same
 * mid again for an update), a `withdraw` at the end.  The data channel
 * is offload_run.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clientd.h"
#include "log.h"
#include "offload_int.h"

void
offload_record(struct offload *o, const char *step, const char *branch,
    const char *reason)
{
	struct offload_decision *h = &o->hist[o->n_hist % OFFLOAD_HISTORY];

	h->at = time(NULL);
	snprintf(h->step, sizeof(h->step), "%s", step);
	snprintf(h->branch, sizeof(h->branch), "%s", branch);
	snprintf(h->reason, sizeof(h->reason), "%s", reason);
	o->n_hist++;
	dotscd_event(o->d, json_pack("{ss ss ss ss ss}", "event", "offload",
	    "offload", o->name, "decision", step, "branch", branch,
	    "reason", reason));
}

/* The signal channel */

static void
on_mitigate(void *arg, json_t *a)
{
	struct offload *o = arg;
	json_t *res = json_object_get(a, "result");
	json_t *err = json_object_get(a, "error");

	if (json_is_true(json_object_get(a, "ok"))) {
		o->has_mid = true;
		o->mid = (uint32_t)json_integer_value(json_object_get(res,
		    "mid"));
		snprintf(o->mid_server, sizeof(o->mid_server), "%s",
		    json_string_value(json_object_get(res, "server")) ?
		    json_string_value(json_object_get(res, "server")) : "");
		log_info("offload %s: mid %u requested of server %s (%s)",
		    o->name, o->mid, o->mid_server,
		    json_string_value(json_object_get(res, "state")));
		return;
	}
	log_warnx("offload %s: the request was not taken: %s: %s", o->name,
	    json_string_value(json_object_get(err, "code")),
	    json_string_value(json_object_get(err, "message")));
	json_decref(o->scope_sent);
	o->scope_sent = NULL;
}

static void
submit_mitigate(struct offload *o, json_t *scope)
{
	json_t *req;

	req = json_pack("{ss ss sO si}", "cmd", "mitigate", "origin",
	    o->origin, "scope", scope, "wait", 0);
	if (req == NULL)
		return;
	if (o->has_mid) {
		json_object_set_new(req, "mid", json_integer(o->mid));
		json_object_set_new(req, "server", json_string(o->mid_server));
	} else if (o->server != NULL)
		json_object_set_new(req, "server", json_string(o->server));
	ctl_submit(o->d, req, on_mitigate, o);
	json_decref(req);
}

/* The mid sent before is over (ended, failed): a new one. */
static bool
mid_usable(struct offload *o)
{
	struct srv *s;
	struct mit *m;

	if (!o->has_mid)
		return false;
	if ((s = srv_find(o->d, o->mid_server)) == NULL ||
	    (m = mit_find(o->d, s, o->mid)) == NULL ||
	    m->state == MIT_ENDED || m->state == MIT_FAILED ||
	    m->state == MIT_WITHDRAWING) {
		o->has_mid = false;
		return false;
	}
	return true;
}

static void
on_withdraw(void *arg, json_t *a)
{
	struct offload *o = arg;
	json_t *err = json_object_get(a, "error");

	if (json_is_true(json_object_get(a, "ok")))
		return;
	log_warnx("offload %s: withdrawal not taken: %s: %s", o->name,
	    json_string_value(json_object_get(err, "code")),
	    json_string_value(json_object_get(err, "message")));
}

static void
withdraw_mid(struct offload *o, const char *server, uint32_t mid)
{
	json_t *req;

	req = json_pack("{ss sI ss si}", "cmd", "withdraw", "mid",
	    (json_int_t)mid, "server", server, "wait", 0);
	if (req == NULL)
		return;
	log_info("offload %s: withdrawing mid %u of server %s", o->name, mid,
	    server);
	ctl_submit(o->d, req, on_withdraw, o);
	json_decref(req);
}

static void
send_signal(struct offload *o, time_t now)
{
	json_t *scope = offload_scope_json(o->plan->sig);
	bool same;

	if (scope == NULL) {
		log_warnx("offload %s: out of memory", o->name);
		return;
	}
	same = o->scope_sent != NULL && json_equal(scope, o->scope_sent);
	if (same && mid_usable(o) && now - o->sent_at <
	    (time_t)o->pol.lifetime / 2) {
		json_decref(scope);
		return;		/* in force already */
	}
	if (!same && mid_usable(o)) {
		/*
		 * A mid may change only its lifetime (RFC 9132 4.4.1): a
		 * new scope is a new mid, and the old one is withdrawn once
		 * the new one is asked for, so that no gap opens.
		 */
		uint32_t old = o->mid;
		char srv[sizeof(o->mid_server)];

		memcpy(srv, o->mid_server, sizeof(srv));
		o->has_mid = false;
		submit_mitigate(o, scope);
		withdraw_mid(o, srv, old);
	} else
		submit_mitigate(o, scope);
	json_decref(o->scope_sent);
	o->scope_sent = scope;
	o->sent_at = now;
}

static void
withdraw_signal(struct offload *o)
{
	if (mid_usable(o))
		withdraw_mid(o, o->mid_server, o->mid);
	o->has_mid = false;
	json_decref(o->scope_sent);
	o->scope_sent = NULL;
}

/* Decisions */

static void
act(struct offload *o, enum offload_step step, time_t now)
{
	struct offload_plan *pl = o->plan;
	const char *b = offload_branch_name(pl->branch);

	switch (pl->branch) {
	case OFFLOAD_NONE:
		break;
	case OFFLOAD_DC_ACL:
		json_decref(o->dc_want);
		o->dc_want = json_incref(pl->acls);
		offload_dc_converge(o);
		break;
	default:
		if (pl->qblock) {
			/* the planner is told the client has no Q-Block */
			log_warnx("offload %s: %s needs Q-Block, which this "
			    "client cannot send", o->name, b);
			break;
		}
		send_signal(o, now);
	}
	(void)step;
}

/* A start or an update: plan, log, send what changed. */
static void
offload_go(struct offload *o, enum offload_step step,
    const struct offload_report *r, const char *from, time_t now)
{
	struct offload_plan *pl;
	char util[32];
	bool changed;

	if ((pl = offload_plan_make(r, &o->pol)) == NULL) {
		log_warnx("offload %s: out of memory planning", o->name);
		return;
	}
	changed = o->plan == NULL || o->plan->branch != pl->branch ||
	    strcmp(o->plan->reason, pl->reason) != 0;
	offload_plan_free(o->plan);
	o->plan = pl;
	offload_util_format(r->util, util, sizeof(util));
	if (step == OFFLOAD_STEP_START || changed) {
		if (pl->branch == OFFLOAD_NONE)
			log_warnx("offload %s: utilization %s%% (%s): %s: "
			    "%s", o->name, util, from, offload_step_name(step),
			    pl->reason);
		else
			log_info("offload %s: utilization %s%% (%s): %s, "
			    "%s: %s", o->name, util, from,
			    offload_step_name(step),
			    offload_branch_name(pl->branch), pl->reason);
		offload_record(o, offload_step_name(step),
		    offload_branch_name(pl->branch), pl->reason);
	} else
		log_debug("offload %s: utilization %s%% (%s): %s, unchanged",
		    o->name, util, from, offload_step_name(step));
	act(o, step, now);
}

static void
offload_stop(struct offload *o, const char *why)
{
	log_info("offload %s: stop: %s", o->name, why);
	offload_record(o, "stop", o->plan != NULL ?
	    offload_branch_name(o->plan->branch) : "none", why);
	withdraw_signal(o);
	if (o->dc_want != NULL || o->dc_have != NULL) {
		json_decref(o->dc_want);
		o->dc_want = NULL;
		offload_dc_converge(o);
	}
	offload_plan_free(o->plan);
	o->plan = NULL;
}

/*
 * One report, from the socket, the file or the command.  @p r is taken.
 * @p result, if not NULL, gets what was decided (**new**).
 */
void
offload_take_report(struct offload *o, struct offload_report *r,
    const char *from, json_t **result)
{
	time_t now = time(NULL);
	enum offload_step step;
	char util[32], why[128];

	o->last_report = now;
	o->util = r->util;
	o->n_reports++;
	offload_util_format(r->util, util, sizeof(util));
	step = offload_hyst_report(&o->hyst, r->util, now);
	switch (step) {
	case OFFLOAD_STEP_START:
	case OFFLOAD_STEP_UPDATE:
		offload_go(o, step, r, from, now);
		break;
	case OFFLOAD_STEP_STOP:
		snprintf(why, sizeof(why), "utilization %s%% below "
		    "stop-percent %u for %u s", util, o->stop_pct,
		    o->hyst.hold);
		offload_stop(o, why);
		break;
	case OFFLOAD_STEP_CALM:
		log_info("offload %s: utilization %s%% (%s) below "
		    "stop-percent %u: withdrawn once it stays so for %u s",
		    o->name, util, from, o->stop_pct, o->hyst.hold);
		break;
	case OFFLOAD_STEP_NONE:
		log_debug("offload %s: utilization %s%% (%s): below "
		    "start-percent %u, nothing to do", o->name, util, from,
		    o->start_pct);
		break;
	}
	if (result != NULL)
		*result = json_pack("{ss ss ss}", "decision",
		    offload_step_name(step), "utilization", util, "branch",
		    o->plan != NULL ? offload_branch_name(o->plan->branch) :
		    "none");
	if (result != NULL && *result != NULL && o->plan != NULL &&
	    (step == OFFLOAD_STEP_START || step == OFFLOAD_STEP_UPDATE))
		json_object_set_new(*result, "reason",
		    json_string(o->plan->reason));
	offload_report_free(r);
}

static void
offload_tick(struct dotscd *d, time_t now, void *arg)
{
	struct offload *o = arg;

	(void)d;
	if (offload_hyst_tick(&o->hyst, now) == OFFLOAD_STEP_STOP) {
		char why[128];

		snprintf(why, sizeof(why), "no report at or above "
		    "stop-percent %u for %u s", o->stop_pct, o->hyst.hold);
		offload_stop(o, why);
	}
	offload_run_tick(o, now);
}

/* Set-up */

static char *
dup_or_null(const char *s, bool *fail)
{
	char *p;

	if (s == NULL)
		return NULL;
	if ((p = strdup(s)) == NULL)
		*fail = true;
	return p;
}

static int
copy_conf(struct offload *o, const struct cconf_offload *c,
    const struct cconf_server *s)
{
	bool fail = false;
	char origin[128];

	snprintf(origin, sizeof(origin), "offload:%s", c->name);
	o->name = dup_or_null(c->name, &fail);
	o->origin = dup_or_null(origin, &fail);
	o->server = dup_or_null(c->server, &fail);
	o->url = dup_or_null(c->data_channel_url, &fail);
	o->dotsctl = dup_or_null(c->dotsctl, &fail);
	o->ca = dup_or_null(s->ca_file, &fail);
	o->cert = dup_or_null(s->cert_file, &fail);
	o->key = dup_or_null(s->key_file, &fail);
	o->report_file = dup_or_null(c->report_file, &fail);
	o->report_command = dup_or_null(c->report_command, &fail);
	o->acl_name = dup_or_null(c->acl_name, &fail);
	if (c->peace_time_acls) {
		o->acl_refl = dup_or_null(c->acl_reflection, &fail);
		o->acl_flood = dup_or_null(c->acl_non_reflection, &fail);
	}
	return fail ? -1 : 0;
}

/*
 * A request this offload made before dotscd restarted (its origin, still
 * pending or active) is taken back, so that a calm report withdraws it
 * instead of leaving it in force until its lifetime ends.  Of several,
 * the newest is kept and the others are withdrawn.
 */
static void
adopt(struct offload *o)
{
	struct mit *m, *keep = NULL;
	char why[160];

	for (m = o->d->mits; m != NULL; m = m->next)
		if ((m->state == MIT_PENDING || m->state == MIT_ACTIVE) &&
		    strcmp(m->origin, o->origin) == 0 &&
		    (keep == NULL || m->created > keep->created))
			keep = m;
	if (keep == NULL)
		return;
	for (m = o->d->mits; m != NULL; m = m->next)
		if (m != keep && (m->state == MIT_PENDING ||
		    m->state == MIT_ACTIVE) && strcmp(m->origin, o->origin) == 0)
			withdraw_mid(o, m->s->cf->name, m->mid);
	o->has_mid = true;
	o->mid = keep->mid;
	snprintf(o->mid_server, sizeof(o->mid_server), "%s",
	    keep->s->cf->name);
	o->scope_sent = json_incref(keep->scope);
	o->sent_at = keep->updated;
	o->hyst.active = true;	/* offloaded: a calm report withdraws it */
	snprintf(why, sizeof(why), "mid %u of server %s, made before dotscd "
	    "restarted, is this offload's again", o->mid, o->mid_server);
	log_info("offload %s: %s", o->name, why);
	offload_record(o, "adopt", "", why);
}

struct offload *
offload_new(struct dotscd *d, const struct cconf_offload *c)
{
	const struct cconf_server *s;
	struct offload *o;

	if (c == NULL)
		return NULL;
	s = c->server != NULL ? cconf_server_by_name(d->conf, c->server) :
	    &d->conf->server[0];
	if ((o = calloc(1, sizeof(*o))) == NULL ||
	    copy_conf(o, c, s) != 0 ||
	    dotscd_tick_add(d, offload_tick, o) != 0) {
		log_warnx("offload %s: out of memory", c->name);
		offload_free(o);
		return NULL;
	}
	o->d = d;
	o->link = c->link;
	o->interval = c->report_interval;
	o->start_pct = c->start_pct;
	o->stop_pct = c->stop_pct;
	o->pol = (struct offload_policy){
		.link = c->link == CCONF_LINK_IN_BAND ? OFFLOAD_LINK_IN_BAND :
		    OFFLOAD_LINK_OUT_OF_BAND,
		.few_reflectors = c->few_reflectors,
		.path_mtu = c->path_mtu,
		.datagram_max = OFFLOAD_DATAGRAM_MAX,
		.lifetime = c->lifetime,
		.acl_name = o->acl_name,
		.acl_reflection = o->acl_refl,
		.acl_flood = o->acl_flood,
		/* dotsclient (libcoap 4.3.1) sends no Q-Block yet */
		.qblock = false,
	};
	offload_hyst_init(&o->hyst, c->start_pct * 100, c->stop_pct * 100,
	    c->hold);
	adopt(o);
	log_info("offload %s: %s link to %s, start at %u%%, stop below %u%% "
	    "for %u s, reports from the control socket%s%s", o->name,
	    c->link == CCONF_LINK_IN_BAND ? "in-band" : "out-of-band",
	    s->name, c->start_pct, c->stop_pct, c->hold,
	    o->report_file != NULL ? " and " : o->report_command != NULL ?
	    " and the command " : "", o->report_file != NULL ?
	    o->report_file : o->report_command != NULL ? o->report_command :
	    "");
	return o;
}

void
offload_free(struct offload *o)
{
	if (o == NULL)
		return;
	if (o->d != NULL)
		dotscd_tick_remove(o->d, offload_tick, o);
	offload_run_stop(o);
	offload_plan_free(o->plan);
	json_decref(o->scope_sent);
	json_decref(o->dc_want);
	json_decref(o->dc_have);
	free(o->name);
	free(o->origin);
	free(o->server);
	free(o->url);
	free(o->dotsctl);
	free(o->ca);
	free(o->cert);
	free(o->key);
	free(o->report_file);
	free(o->report_command);
	free(o->acl_name);
	free(o->acl_refl);
	free(o->acl_flood);
	free(o);
}

bool
offload_child(struct offload *o, pid_t pid, int status)
{
	return o != NULL && offload_run_child(o, pid, status);
}

/* The control protocol */

int
offload_cmd_report(struct dotscd *d, json_t *req, struct ctl_rep *rep,
    struct ctl_err *e)
{
	struct offload_report *r;
	json_t *result = NULL;
	char err[CTL_MSG_MAX - 32];

	if (d->off == NULL)
		return ctl_fail(e, "not-found", NULL, "no offload block in "
		    "the configuration (docs/offload.md)");
	if (json_object_get(req, "report") == NULL)
		return ctl_fail(e, "invalid", "report", "report is required");
	r = offload_report_from_json(json_object_get(req, "report"), err,
	    sizeof(err));
	if (r == NULL)
		return ctl_fail(e, "invalid", "report", "report: %s", err);
	offload_take_report(d->off, r, "control socket", &result);
	ctl_answer_ok(rep, result);
	return 0;
}

static json_t *
status_history(const struct offload *o)
{
	json_t *list = json_array();
	size_t i, first;

	first = o->n_hist > OFFLOAD_HISTORY ? o->n_hist - OFFLOAD_HISTORY : 0;
	for (i = first; i < o->n_hist; i++) {
		const struct offload_decision *h =
		    &o->hist[i % OFFLOAD_HISTORY];

		json_array_append_new(list, json_pack("{sI ss ss ss}", "time",
		    (json_int_t)h->at, "decision", h->step, "branch",
		    h->branch, "reason", h->reason));
	}
	return list;
}

static json_t *
status_acls(const json_t *acls)
{
	json_t *names = json_array(), *acl;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(acls,
	    "ietf-dots-data-channel:acls"), "acl"), i, acl)
		json_array_append(names, json_object_get(acl, "name"));
	return names;
}

int
offload_cmd_status(struct dotscd *d, json_t *req, struct ctl_rep *rep,
    struct ctl_err *e)
{
	struct offload *o = d->off;
	char util[32];
	json_t *res;

	(void)req;
	if (o == NULL)
		return ctl_fail(e, "not-found", NULL, "no offload block in "
		    "the configuration (docs/offload.md)");
	offload_util_format(o->util, util, sizeof(util));
	res = json_pack("{ss ss ss si si si sI ss sI}", "offload", o->name,
	    "link", o->link == CCONF_LINK_IN_BAND ? "in-band" : "out-of-band",
	    "state", !o->hyst.active ? "idle" : o->hyst.calm ? "calm" :
	    "offloaded", "start-percent", (int)o->start_pct, "stop-percent",
	    (int)o->stop_pct, "hold", (int)o->hyst.hold, "reports",
	    (json_int_t)o->n_reports, "utilization", util, "last-report",
	    (json_int_t)o->last_report);
	if (res == NULL)
		return ctl_fail(e, "internal", NULL, "out of memory");
	if (o->plan != NULL) {
		json_object_set_new(res, "branch", json_string(
		    offload_branch_name(o->plan->branch)));
		json_object_set_new(res, "reason",
		    json_string(o->plan->reason));
		json_object_set_new(res, "reflection",
		    json_boolean(o->plan->reflection));
		if (o->plan->sig != NULL)
			json_object_set_new(res, "wire-bytes",
			    json_integer((json_int_t)o->plan->wire_len));
	}
	if (o->has_mid) {
		json_object_set_new(res, "mid", json_integer(o->mid));
		json_object_set_new(res, "server",
		    json_string(o->mid_server));
	}
	if (o->dc_have != NULL)
		json_object_set_new(res, "acls", status_acls(o->dc_have));
	if (o->dc_pid > 0)
		json_object_set_new(res, "data-channel", json_string(
		    "busy"));
	json_object_set_new(res, "decisions", status_history(o));
	ctl_answer_ok(rep, res);
	return 0;
}
