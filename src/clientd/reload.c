/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * SIGHUP: read the configuration file again and apply it without
 * dropping what did not change.  The new file is parsed and checked in
 * full (command-line overrides applied again, certificates and keys of
 * new or changed servers read) before anything is touched; if any of
 * that fails the reason is logged and the running configuration stays.
 * Then: servers added, removed or changed (srv_reload: an unchanged
 * server keeps its struct and session, a changed one is replaced by a
 * new struct with a new session that takes over its mitigations and
 * queued calls), threshold triggers rebuilt with their state carried
 * over (trig_set_new with the old set), and the top-level values (log
 * level, hooks, reconnection and retry timers, max-pending) taken as
 * they are.  database, control-socket and syslog are opened once: a new
 * file that changes them is refused, so that what runs is what the file
 * says.
 */
#include <stdio.h>
#include <string.h>

#include <dots/error.h>

#include "clientd.h"
#include "log.h"

static bool
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* What cannot change without a restart. */
static int
reload_check(const struct cconf *o, const struct cconf *n, char *err,
    size_t errlen)
{
	const char *what = NULL;

	if (!same_str(o->database, n->database))
		what = "database";
	else if (!same_str(o->control_socket, n->control_socket))
		what = "control-socket";
	else if (o->syslog != n->syslog)
		what = "syslog";
	if (what == NULL)
		return 0;
	snprintf(err, errlen, "%s cannot change without a restart", what);
	return -1;
}

/* Servers */

/* Whether the session to @p a would be the same under @p b. */
static bool
cf_same(const struct cconf_server *a, const struct cconf_server *b)
{
	return same_str(a->address, b->address) && a->port == b->port &&
	    a->transport == b->transport &&
	    same_str(a->server_name, b->server_name) &&
	    same_str(a->ca_file, b->ca_file) &&
	    same_str(a->cert_file, b->cert_file) &&
	    same_str(a->key_file, b->key_file) &&
	    same_str(a->psk_identity, b->psk_identity) &&
	    a->psk_key.len == b->psk_key.len &&
	    (a->psk_key.len == 0 || memcmp(a->psk_key.data, b->psk_key.data,
	    a->psk_key.len) == 0) &&
	    a->heartbeat_interval == b->heartbeat_interval &&
	    a->missing_hb_allowed == b->missing_hb_allowed &&
	    a->timeout == b->timeout;
}

/* The mitigations and queued calls of @p old go to @p s, whose session
 * is new: everything in flight on the old one is sent again. */
static void
srv_move(struct srv *old, struct srv *s)
{
	struct pcall **pp;
	struct mit *m;

	mit_srv_down(old);
	pcall_srv_down(old);
	for (m = old->d->mits; m != NULL; m = m->next)
		if (m->s == old)
			m->s = s;
	for (pp = &s->calls; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = old->calls;
	for (; *pp != NULL; pp = &(*pp)->next)
		(*pp)->s = s;
	s->ncalls += old->ncalls;
	old->calls = NULL;
	old->ncalls = 0;
	s->has_winner = old->has_winner;
	s->win_tr = old->win_tr;
	s->win_family = old->win_family;
	s->win_until = old->win_until;
}

/* A server no longer configured: its mitigations are forgotten here
 * (the database keeps them, as at a start without it). */
static void
srv_forget(struct srv *old)
{
	struct dotscd *d = old->d;
	struct mit *m, *next;
	unsigned n = 0;

	mit_srv_down(old);
	for (m = d->mits; m != NULL; m = next) {
		next = m->next;
		if (m->s != old)
			continue;
		if (m->state != MIT_ENDED && m->state != MIT_FAILED)
			n++;
		mit_forget(d, m);
	}
	if (n > 0)
		log_warnx("server %s: removed with %u mitigations not "
		    "ended; they stay in the database", old->cf->name, n);
}

/*
 * Take the servers of @p nc: an unchanged one keeps its session, a
 * changed one gets a new session and keeps its mitigations, a new one
 * connects, a removed one is closed.  Nothing changes on failure.
 * @p nc becomes d->conf afterwards (by the caller).
 */
int
srv_reload(struct dotscd *d, const struct cconf *nc, char *err,
    size_t errlen)
{
	struct srv **ns, *old;
	size_t i, j;
	bool lost = false;

	ns = calloc(nc->n_server > 0 ? nc->n_server : 1, sizeof(*ns));
	if (ns == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < nc->n_server; i++) {
		const struct cconf_server *cf = &nc->server[i];

		old = srv_find(d, cf->name);
		if (old != NULL && cf_same(old->cf, cf))
			continue;
		if ((ns[i] = srv_new(d, cf, err, errlen)) == NULL)
			goto fail;
	}
	/* from here on nothing fails */
	for (i = 0; i < nc->n_server; i++) {
		const struct cconf_server *cf = &nc->server[i];

		old = srv_find(d, cf->name);
		if (ns[i] == NULL) {
			ns[i] = old;
			old->cf = cf;
			continue;
		}
		if (old == NULL) {
			log_info("server %s: added", cf->name);
			continue;
		}
		log_info("server %s: changed; new session", cf->name);
		srv_move(old, ns[i]);
	}
	for (j = 0; j < d->nsrv; j++) {
		old = d->srv[j];
		for (i = 0; i < nc->n_server; i++)
			if (ns[i] == old)
				break;
		if (i < nc->n_server)
			continue;	/* kept */
		if (cconf_server_by_name(nc, old->cf->name) == NULL) {
			log_info("server %s: removed", old->cf->name);
			lost |= old->state == SRV_UP;
			srv_forget(old);
		}
		srv_free(old);
	}
	free(d->srv);
	d->srv = ns;
	d->nsrv = nc->n_server;
	if (lost)
		sigloss_check(d);
	return 0;
fail:
	for (i = 0; i < nc->n_server; i++)
		srv_free(ns[i]);	/* only new ones so far */
	free(ns);
	return -1;
}

/**
 * Reload d->conf->path.
 * @return 0, or -1 (logged; the running configuration stays)
 */
int
dotscd_reload(struct dotscd *d)
{
	struct cconf *nc = NULL, *oc = d->conf;
	struct trig_set *thr = NULL;
	char err[CONF_ERR_MAX];
	int i;

	log_info("reloading %s", oc->path);
	if (cconf_parse_file(oc->path, &nc, err, sizeof(err)) != 0)
		goto refuse;
	for (i = 0; i < d->nover; i++)
		if (cconf_set(nc, d->ovkey[i], d->ovval[i], err,
		    sizeof(err)) != 0)
			goto refuse;
	if (reload_check(oc, nc, err, sizeof(err)) != 0)
		goto refuse;
	thr = trig_set_new(d, nc->threshold, nc->n_threshold, NULL, d->thr);
	if (thr == NULL) {
		snprintf(err, sizeof(err), "threshold triggers: out of memory");
		goto refuse;
	}
	if (srv_reload(d, nc, err, sizeof(err)) != 0)
		goto refuse;
	/* committed */
	trig_set_free(d->thr);
	d->thr = thr;
	d->conf = nc;
	/* said at the more verbose of the two levels */
	if (nc->log_level > log_getlevel())
		log_setlevel(nc->log_level);
	log_info("configuration reloaded: %zu servers, %zu threshold "
	    "triggers", d->nsrv, nc->n_threshold);
	log_setlevel(nc->log_level);
	cconf_free(oc);
	return 0;
refuse:
	trig_set_free(thr);
	cconf_free(nc);
	log_warnx("reload refused: %s; the running configuration stays",
	    err);
	return -1;
}
