/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Loss of signal: when no session to any server is up while a
 * mitigation is active, pending or being withdrawn, the DOTS client can
 * no longer ask for help, and the operator may want to act locally
 * (blackhole, page someone).  on-signal-loss runs once per loss, through
 * /bin/sh -c, with DOTS_EVENT=signal-lost, DOTS_SERVERS (the names,
 * space-separated) and DOTS_MITIGATIONS ("server:mid:state" each) in its
 * environment; on-signal-recovery runs when a session is back, with
 * DOTS_EVENT=signal-recovered.  Children are reaped on SIGCHLD.
 */
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clientd.h"
#include "log.h"
#include "offload.h"

#define ENV_MAX	8192

static bool
any_up(struct dotscd *d)
{
	size_t i;

	for (i = 0; i < d->nsrv; i++)
		if (d->srv[i]->state == SRV_UP)
			return true;
	return false;
}

static void
env_lists(struct dotscd *d, char *srvs, char *mits, size_t len)
{
	size_t i, a = 0, b = 0;
	struct mit *m;
	int n;

	srvs[0] = mits[0] = '\0';
	for (i = 0; i < d->nsrv && a < len; i++) {
		n = snprintf(srvs + a, len - a, "%s%s", a > 0 ? " " : "",
		    d->srv[i]->cf->name);
		a += n > 0 ? (size_t)n : 0;
	}
	for (m = d->mits; m != NULL && b < len; m = m->next) {
		if (m->state == MIT_ENDED || m->state == MIT_FAILED)
			continue;
		n = snprintf(mits + b, len - b, "%s%s:%u:%s", b > 0 ? " " : "",
		    m->s->cf->name, m->mid, mit_state_name(m->state));
		b += n > 0 ? (size_t)n : 0;
	}
}

static void
run(struct dotscd *d, const char *cmd, const char *event)
{
	char srvs[ENV_MAX], mits[ENV_MAX];
	pid_t pid;

	env_lists(d, srvs, mits, sizeof(srvs));
	pid = fork();
	if (pid == -1) {
		log_warn("%s: fork", event);
		return;
	}
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setenv("DOTS_EVENT", event, 1);
		setenv("DOTS_SERVERS", srvs, 1);
		setenv("DOTS_MITIGATIONS", mits, 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	log_info("%s: ran \"%s\" (pid %ld)", event, cmd, (long)pid);
}

void
sigloss_check(struct dotscd *d)
{
	const char *cmd = d->conf->on_signal_loss;
	json_t *ev, *names;
	char action[512];
	size_t i;

	if (any_up(d)) {
		if (d->lost) {
			d->lost = false;
			log_info("signal recovered");
			if (d->conf->on_signal_recovery != NULL)
				run(d, d->conf->on_signal_recovery,
				    "signal-recovered");
		}
		return;
	}
	if (d->lost || !mit_any_live(d))
		return;
	d->lost = true;
	log_warnx("signal lost: no session to any DOTS server while "
	    "mitigations are active or pending");
	if (cmd != NULL) {
		snprintf(action, sizeof(action), "ran %s", cmd);
		run(d, cmd, "signal-lost");
	} else
		snprintf(action, sizeof(action), "none configured");
	names = json_array();
	for (i = 0; i < d->nsrv; i++)
		json_array_append_new(names, json_string(d->srv[i]->cf->name));
	ev = json_pack("{ss so* ss}", "event", "signal-lost", "servers",
	    names, "action", action);
	dotscd_event(d, ev);
}

void
sigloss_reap(struct dotscd *d)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (offload_child(d->off, pid, status))
			continue;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			log_debug("command (pid %ld) done", (long)pid);
		else
			log_warnx("command (pid %ld) failed: status %d",
			    (long)pid, status);
	}
}
