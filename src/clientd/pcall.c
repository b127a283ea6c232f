/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Calls queued on a server: efficacy updates (PUT with an empty
 * If-Match, RFC 9132 section 4.4.3) and session configurations (PUT
 * /config).  Like a mitigation request, a call is kept until its server
 * answers it: sent when the session is up, sent again after the session
 * was lost or the request timed out (both PUTs are idempotent).  An
 * efficacy update matters most when the channel is weak, which is when
 * the session comes and goes.  A configuration is sent once /config was
 * read on that session, after the configured heartbeat values, so that
 * the operator's setting is the last one.  Its sid is taken when it is
 * sent: sids must grow, and the daemon's own PUT may come in between.
 *
 * An efficacy update dies with its mitigation's active state (withdrawn,
 * ended, failed).  A caller waiting (struct waiter) gets the server's
 * answer, or `pending` when its wait runs out first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/error.h>

#include "clientd.h"
#include "log.h"

/**
 * Queue a call on @p s.  @p body is taken.
 * @return the call, or NULL (out of memory; @p body freed)
 */
struct pcall *
pcall_new(struct srv *s, enum pcall_kind kind, struct mit *m,
    struct dots_signal *body, unsigned flags)
{
	struct pcall *p = calloc(1, sizeof(*p)), **pp;

	if (p == NULL) {
		dots_signal_free(body);
		return NULL;
	}
	p->s = s;
	p->kind = kind;
	p->m = m;
	p->body = body;
	p->flags = flags;
	p->queued = time(NULL);
	for (pp = &s->calls; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = p;
	s->ncalls++;
	return p;
}

/* Unlink and free @p p; whoever waits was answered or is told by the
 * caller. */
void
pcall_free(struct pcall *p)
{
	struct pcall **pp;

	if (p == NULL)
		return;
	for (pp = &p->s->calls; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			p->s->ncalls--;
			break;
		}
	if (p->in_flight && p->c != NULL)
		dots_client_cancel(p->c, p->req_id);
	if (p->w != NULL)
		p->w->p = NULL;
	dots_signal_free(p->body);
	free(p);
}

static const char *
pcall_what(const struct pcall *p, char *buf, size_t len)
{
	if (p->kind == PCALL_EFFICACY)
		snprintf(buf, len, "efficacy update of mid %u", p->m->mid);
	else
		snprintf(buf, len, "session configuration");
	return buf;
}

static void
pcall_cb(void *arg, const struct dots_reply *r)
{
	struct pcall *p = arg;
	char what[64];

	p->in_flight = false;
	p->c = NULL;
	pcall_what(p, what, sizeof(what));
	if (r->error != 0 && r->code == 0) {
		/* not delivered: stays queued */
		log_debug("server %s: %s: %s; kept", p->s->cf->name, what,
		    dots_client_strerror(r->error));
		return;
	}
	if (r->code / 100 == 2)
		log_info("server %s: %s delivered (%d.%02d)", p->s->cf->name,
		    what, r->code / 100, r->code % 100);
	else
		log_warnx("server %s: %s refused: %d.%02d %s",
		    p->s->cf->name, what, r->code / 100, r->code % 100,
		    r->diag);
	if (p->w != NULL)
		waiter_call_done(p, r, NULL);
	if (p->kind == PCALL_CONFIG && r->code / 100 == 2)
		srv_config_reread(p->s, p->sid);	/* what is in force */
	pcall_free(p);
}

static void
pcall_send(struct pcall *p)
{
	struct srv *s = p->s;
	struct dots_request r;
	char key[CONF_NAME_MAX + 8];
	uint32_t sid;

	if (p->in_flight || s->state != SRV_UP || s->c == NULL ||
	    (p->kind == PCALL_CONFIG && !s->cfg_ready))
		return;
	memset(&r, 0, sizeof(r));
	r.op = p->kind == PCALL_CONFIG ? DOTS_REQ_CONFIG_PUT :
	    DOTS_REQ_MITIGATE_PUT;
	r.has_id = true;
	if (p->kind == PCALL_CONFIG) {
		snprintf(key, sizeof(key), "sid:%s", s->cf->name);
		if (store_mid_next(s->d->store, key, false, &sid) != 0) {
			log_warnx("server %s: no sid for the session "
			    "configuration (database)", s->cf->name);
			return;
		}
		r.id = p->sid = sid;
	} else {
		r.id = p->m->mid;
		r.cdid = p->m->cdid;	/* as the mitigation's other requests */
	}
	r.body = p->body;
	r.flags = p->flags;
	r.timeout_ms = s->cf->timeout * 1000;
	if (dots_client_send(s->c, &r, pcall_cb, p, &p->req_id) == 0) {
		p->in_flight = true;
		p->c = s->c;
		p->tries++;
	}
}

/* Send what waits on @p s, in order, if its session allows. */
void
pcall_send_all(struct srv *s)
{
	struct pcall *p, *next;

	for (p = s->calls; p != NULL; p = next) {
		next = p->next;
		pcall_send(p);
	}
}

/* The session's client is going away: nothing is in flight on it. */
void
pcall_srv_down(struct srv *s)
{
	struct pcall *p;

	for (p = s->calls; p != NULL; p = p->next) {
		p->in_flight = false;
		p->c = NULL;
	}
}

/* Efficacy updates of @p m that can no longer be sent. */
void
pcall_forget_mit(struct mit *m, const char *why)
{
	struct pcall *p, *next;

	char what[64];

	for (p = m->s->calls; p != NULL; p = next) {
		next = p->next;
		if (p->m != m)
			continue;
		log_info("server %s: %s dropped: %s", m->s->cf->name,
		    pcall_what(p, what, sizeof(what)), why);
		if (p->w != NULL)
			waiter_call_done(p, NULL, why);
		pcall_free(p);
	}
}

void
pcall_free_all(struct srv *s)
{
	while (s->calls != NULL) {
		if (s->calls->w != NULL)
			waiter_call_done(s->calls, NULL, "the server is no "
			    "longer configured");
		pcall_free(s->calls);
	}
}
