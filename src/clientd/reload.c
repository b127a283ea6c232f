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
 * server keeps its session, a changed one gets a new session and keeps
 * its mitigations), threshold triggers rebuilt with their state carried
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
