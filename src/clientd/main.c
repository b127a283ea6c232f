/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotscd, the DOTS client daemon: reads its configuration, opens its
 * store and control socket, then runs one poll loop over the sessions
 * to the DOTS servers (each dotsclient's descriptor and timers), the
 * control connections and a signalfd (SIGTERM and SIGINT end the loop,
 * SIGHUP reloads the configuration (reload.c), SIGCHLD reaps the
 * signal-loss commands).  Once a second: the tick
 * callbacks (threshold triggers), reconnections, requests to send again
 * and answers whose wait ran out.
 */
#define _DEFAULT_SOURCE
#include <sys/signalfd.h>

#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "clientd.h"
#include "log.h"
#include "offload.h"

#define DEFAULT_CONF	"/etc/opendots/dotscd.conf"
#define MAX_OVERRIDES	16
#define POLL_MAX	256

static int	dotscd_main_loop(struct dotscd *d);

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: dotscd [-dnv] [-f file] [--database path] "
	    "[--control-socket path]\n\t[--log-level level] "
	    "[--on-signal-loss command]\n");
	exit(2);
}

static void
tick(struct dotscd *d, time_t now)
{
	dotscd_tick_run(d, now);
	srv_tick(d, now);
	mit_tick(d, now);
	waiter_tick(d, now);
}

static int
on_signal(int sfd, struct dotscd *d)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			sigloss_reap(d);
		else if (si.ssi_signo == SIGHUP)
			dotscd_reload(d);
		else {
			log_info("signal %u: stopping", si.ssi_signo);
			d->quit = true;
		}
	}
	return 0;
}

static int
dotscd_main_loop(struct dotscd *d)
{
	struct pollfd pfd[POLL_MAX];
	struct timespec ts;
	time_t last = 0;
	sigset_t mask;
	int sfd, n, nctl, timeout;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd == -1)
		fatal("signalfd");
	signal(SIGPIPE, SIG_IGN);

	while (!d->quit) {
		clock_gettime(CLOCK_REALTIME, &ts);
		if (ts.tv_sec != last) {
			last = ts.tv_sec;
			tick(d, last);
		}
		timeout = 1000 - (int)(ts.tv_nsec / 1000000);
		n = 0;
		pfd[n].fd = sfd;
		pfd[n++].events = POLLIN;
		n += srv_pollfds(d, pfd + n, POLL_MAX - n - 16, &timeout);
		nctl = ctl_pollfds(d, pfd + n, POLL_MAX - n);
		if (poll(pfd, (nfds_t)(n + nctl), timeout) == -1)
			continue;	/* EINTR; the signalfd says why */
		srv_process(d);
		ctl_dispatch(d, pfd + n, nctl);
		srv_reap(d);
		/* last: a reload changes the servers and the descriptors */
		if (pfd[0].revents & POLLIN)
			on_signal(sfd, d);
		srv_reap(d);
	}
	close(sfd);
	return 0;
}

static void
dotscd_free(struct dotscd *d)
{
	ctl_close_all(d);
	waiter_free_all(d);
	/* clients first: no callback may come for what follows */
	srv_free_all(d);
	while (d->mits != NULL) {
		struct mit *m = d->mits;

		d->mits = m->next;
		m->in_flight = m->observing = false;
		json_decref(m->scope);
		json_decref(m->conflict);
		json_decref(m->error);
		free(m->origin);
		free(m->target);
		free(m->cdid);
		free(m);
	}
	trig_set_free(d->thr);
	offload_free(d->off);
	dotscd_tick_free_all(d);
	store_close(d->store);
	cconf_free(d->conf);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "database", required_argument, NULL, 'D' },
		{ "control-socket", required_argument, NULL, 'S' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "on-signal-loss", required_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = DEFAULT_CONF;
	static struct dotscd d;
	char err[CONF_ERR_MAX];
	int ch, fg = 0, check = 0, verbose = 0, nover = 0, i;

	while ((ch = getopt_long(argc, argv, "df:nv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			fg = 1;
			break;
		case 'f':
			path = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'D':
		case 'S':
		case 'L':
		case 'O':
			if (nover == MAX_OVERRIDES)
				usage();
			d.ovkey[nover] = ch == 'D' ? "database" : ch == 'S' ?
			    "control-socket" : ch == 'L' ? "log-level" :
			    "on-signal-loss";
			d.ovval[nover++] = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (cconf_parse_file(path, &d.conf, err, sizeof(err)) != 0) {
		fprintf(stderr, "dotscd: %s\n", err);
		return 1;
	}
	d.nover = nover;
	for (i = 0; i < nover; i++)
		if (cconf_set(d.conf, d.ovkey[i], d.ovval[i], err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "dotscd: %s\n", err);
			cconf_free(d.conf);
			return 1;
		}
	if (check) {
		if (verbose)
			cconf_print(stdout, d.conf);
		else
			fprintf(stderr, "configuration OK\n");
		cconf_free(d.conf);
		return 0;
	}
	log_init(fg || !d.conf->syslog, LOG_DAEMON, "dotscd");
	log_setlevel(d.conf->log_level);
	d.listen_fd = -1;
	d.store = store_open(d.conf->database, err, sizeof(err));
	if (d.store == NULL)
		fatalx("store: %s", err);
	if (srv_init(&d, err, sizeof(err)) != 0)
		fatalx("%s", err);
	if (mit_load(&d) != 0)
		fatalx("store: cannot load the mitigations");
	if (ctl_listen(&d, err, sizeof(err)) != 0)
		fatalx("control socket: %s", err);
	d.thr = trig_set_new(&d, d.conf->threshold, d.conf->n_threshold,
	    NULL, NULL);
	if (d.thr == NULL)
		fatalx("threshold triggers: out of memory");
	if (d.conf->n_offload > 0 &&
	    (d.off = offload_new(&d, &d.conf->offload[0])) == NULL)
		fatalx("offload: out of memory");
	if (!fg && daemon(0, 0) == -1)
		fatal("daemon");
	log_info("dotscd started: %zu servers, control socket %s", d.nsrv,
	    d.conf->control_socket);
	dotscd_main_loop(&d);
	dotscd_free(&d);
	log_info("dotscd stopped");
	return 0;
}
