/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The speaker driver shared by the flowspec and rtbh mitigators: a table
 * of routes, each with how many mitigations want it and what the RIB of
 * gobgpd is believed to hold, brought together by runs of the gobgp
 * command ("global rib -a F add|del ...", and "-j global rib -a F" to read
 * the RIB back).
 *
 * Runs are started with posix_spawn() and watched from poll(): the loop
 * never waits.  Up to parallel-runs of them go at once, each for another
 * route, and a route has at most one run at a time, so a withdraw never
 * overtakes the announcement it undoes; one run costs gobgp's start-up
 * (about 10 ms of CPU), which is what bounds the rate, and a few at once
 * use both cores of a small machine.  A reading of the RIB runs alone.
 * A route made while the RIB is known starts absent, so a route that a
 * newer request replaced before it was announced costs no run at all.
 *
 * dotsd's loop waits on its sockets (up to 200 ms a turn) and on the
 * runs' pipes (sp_pollfds()): a run that ends closes its pipe, which ends
 * the wait, or each run would cost a whole turn (5 runs a second,
 * whatever gobgp's speed); reaping stays with waitpid().
 * The RIB is read at
 * start, every reconcile-interval, and after the speaker was unreachable:
 * routes there that no mitigation wants are withdrawn (left over from a
 * crash, or from a run that timed out), and wanted routes that are missing
 * are announced again (the speaker restarted).  A route two mitigations
 * want is announced once and withdrawn when the last one lets it go.
 *
 * When gobgpd cannot be reached, mitigations stay pending with the reason
 * and everything is tried again every retry-interval; nothing is dropped.
 * A route the speaker refuses fails the mitigations that want it, with the
 * speaker's words as the reason.
 */
#define _GNU_SOURCE	/* pipe2 */

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../be_util.h"
#include "fs_rule.h"
#include "fs_speaker.h"

#define SP_OUT_MAX	(64u << 20)	/* RIB listing kept, at most */
#define SP_ARGV_MAX	256
#define SP_RUNS_MAX	16	/* parallel-runs, at most */

enum sp_rib { SP_UNKNOWN, SP_ABSENT, SP_PRESENT };
enum sp_job { SP_JOB_NONE, SP_JOB_ADD, SP_JOB_DEL, SP_JOB_LIST };
enum sp_mstate { SP_M_PENDING, SP_M_ACTIVE, SP_M_FAILED, SP_M_LEAVING };

struct sp_entry {
	char		*family;
	char		*nlri;
	char		*attrs;		/* wanted; NULL when refs is 0 */
	unsigned	 refs;
	enum sp_rib	 rib;
	char		*rib_attrs;	/* what the RIB holds, if PRESENT */
	char		*refused;	/* the speaker's reason, for attrs */
	bool		 busy;		/* a run for it is going on */
};

struct sp_mit {
	uint64_t	  id;
	char		 *client;
	enum sp_mstate	  state;
	bool		  told_pending;
	struct sp_entry	**ent;
	size_t		  n_ent;
};

/* One run of gobgp. */
struct sp_run {
	enum sp_job	  job;
	pid_t		  pid;
	int		  out_fd;
	char		 *out;
	size_t		  out_len;
	size_t		  out_cap;
	struct sp_entry	 *ent;
	uint8_t		  family;
	time_t		  deadline;
};

struct speaker {
	struct sp_conf	  c;
	struct backend	 *be;
	struct sp_entry	**ent;
	size_t		  n_ent;
	struct sp_mit	**mit;
	size_t		  n_mit;
	struct be_rq	  rq;

	struct sp_run	  run[SP_RUNS_MAX];	/* job NONE: a free slot */
	unsigned	  n_run;		/* going on */
	size_t		  scan;		/* sp_next() goes on from here */

	unsigned	  list_todo;	/* bit i: read families[i] */
	time_t		  next_list;
	time_t		  retry_at;
	char		  down[160];	/* why the speaker is unreachable */
};

/*
 * Settings.
 */

void
sp_conf_init(struct sp_conf *c, bool flowspec)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->gobgp, sizeof(c->gobgp), "/usr/bin/gobgp");
	snprintf(c->host, sizeof(c->host), "127.0.0.1");
	c->port = 50051;
	c->timeout = 10;
	c->retry = 5;
	c->reconcile = 60;
	c->parallel = 4;
	c->flowspec = flowspec;
	c->families[0] = DOTS_AF_INET4;
	c->families[1] = DOTS_AF_INET6;
}

static int
sp_word(const char *key, const char *value, char *out, size_t len,
    char *err, size_t errlen)
{
	const char *p;

	for (p = value; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f)
			break;
	if (value[0] == '\0' || *p != '\0' || strlen(value) >= len) {
		be_errf(err, errlen, "setting \"%s\": \"%s\" must be one word "
		    "of fewer than %zu characters", key, value, len);
		return -EINVAL;
	}
	memcpy(out, value, strlen(value) + 1);
	return 0;
}

int
sp_setting(struct sp_conf *c, const char *key, const char *value, char *err,
    size_t errlen)
{
	unsigned long long v;
	int ret;

	if (strcmp(key, "gobgp") == 0) {
		if (value[0] != '/' || access(value, X_OK) != 0) {
			be_errf(err, errlen, "setting \"gobgp\": %s is not an "
			    "executable given by its absolute path", value);
			return -EINVAL;
		}
		return sp_word(key, value, c->gobgp, sizeof(c->gobgp), err,
		    errlen);
	}
	if (strcmp(key, "api-host") == 0)
		return sp_word(key, value, c->host, sizeof(c->host), err,
		    errlen);
	if (strcmp(key, "api-port") == 0) {
		ret = be_setting_uint(key, value, 65535, &v, err, errlen);
		c->port = ret == 0 ? (unsigned)v : c->port;
		return ret;
	}
	if (strcmp(key, "parallel-runs") == 0) {
		ret = be_setting_uint(key, value, SP_RUNS_MAX, &v, err,
		    errlen);
		if (ret == 0 && v == 0) {
			be_errf(err, errlen, "setting \"parallel-runs\" must be "
			    "at least 1");
			ret = -EINVAL;
		}
		c->parallel = ret == 0 ? (unsigned)v : c->parallel;
		return ret;
	}
	if (strcmp(key, "timeout") == 0 || strcmp(key, "retry-interval") == 0 ||
	    strcmp(key, "reconcile-interval") == 0) {
		ret = be_setting_uint(key, value, 86400, &v, err, errlen);
		if (ret != 0)
			return ret;
		if (v == 0) {
			be_errf(err, errlen, "setting \"%s\" must be at least "
			    "1", key);
			return -EINVAL;
		}
		if (key[0] == 't')
			c->timeout = (unsigned)v;
		else if (key[2] == 't')
			c->retry = (unsigned)v;
		else
			c->reconcile = (unsigned)v;
		return 0;
	}
	return 1;
}

/*
 * The tables.
 */

static time_t
sp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static struct sp_entry *
sp_entry_find(const struct speaker *sp, const char *family,
    const char *nlri)
{
	size_t i;

	for (i = 0; i < sp->n_ent; i++)
		if (strcmp(sp->ent[i]->nlri, nlri) == 0 &&
		    strcmp(sp->ent[i]->family, family) == 0)
			return sp->ent[i];
	return NULL;
}

static void
sp_entry_free(struct sp_entry *e)
{
	if (e == NULL)
		return;
	free(e->family);
	free(e->nlri);
	free(e->attrs);
	free(e->rib_attrs);
	free(e->refused);
	free(e);
}

/* The gobgp name of family @p f (DOTS_AF_*). */
static const char *
sp_family_name(const struct speaker *sp, uint8_t f)
{
	if (sp->c.flowspec)
		return fs_family_name(f);
	return f == DOTS_AF_INET6 ? "ipv6" : "ipv4";
}

/*
 * Is what the RIB holds in @p family known: read since the speaker was
 * last unreachable, and no reading due?
 */
static bool
sp_rib_known(const struct speaker *sp, const char *family)
{
	int f;

	if (sp->down[0] != '\0')
		return false;
	for (f = 0; f < 2; f++)
		if (sp->c.families[f] != 0 && strcmp(family,
		    sp_family_name(sp, sp->c.families[f])) == 0)
			return (sp->list_todo & (1u << f)) == 0;
	return false;
}

static struct sp_entry *
sp_entry_add(struct speaker *sp, const char *family, const char *nlri)
{
	struct sp_entry *e, **v;

	v = realloc(sp->ent, (sp->n_ent + 1) * sizeof(*v));
	if (v == NULL)
		return NULL;
	sp->ent = v;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->family = strdup(family);
	e->nlri = strdup(nlri);
	if (e->family == NULL || e->nlri == NULL) {
		sp_entry_free(e);
		return NULL;
	}
	/* no run touched it: if the RIB is known, it is not there */
	e->rib = sp_rib_known(sp, family) ? SP_ABSENT : SP_UNKNOWN;
	sp->ent[sp->n_ent++] = e;
	return e;
}

/* Replace *@p dst with a copy of @p s (NULL allowed).  -ENOMEM keeps it. */
static int
sp_strset(char **dst, const char *s)
{
	char *n = NULL;

	if (s != NULL && (n = strdup(s)) == NULL)
		return -ENOMEM;
	free(*dst);
	*dst = n;
	return 0;
}

static bool
sp_streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Forget routes nobody wants and the RIB does not hold. */
static void
sp_entry_gc(struct speaker *sp)
{
	size_t i, k = 0;

	for (i = 0; i < sp->n_ent; i++) {
		if (sp->ent[i]->refs == 0 && sp->ent[i]->rib == SP_ABSENT &&
		    !sp->ent[i]->busy)
			sp_entry_free(sp->ent[i]);
		else
			sp->ent[k++] = sp->ent[i];
	}
	sp->n_ent = k;
	sp->scan = 0;
}

static struct sp_mit *
sp_mit_find(const struct speaker *sp, uint64_t id, size_t *at)
{
	size_t i;

	for (i = 0; i < sp->n_mit; i++)
		if (sp->mit[i]->id == id && sp->mit[i]->state != SP_M_LEAVING) {
			if (at != NULL)
				*at = i;
			return sp->mit[i];
		}
	return NULL;
}

static void
sp_mit_release(struct sp_mit *m)
{
	size_t i;

	for (i = 0; i < m->n_ent; i++)
		if (--m->ent[i]->refs == 0) {
			free(m->ent[i]->attrs);
			m->ent[i]->attrs = NULL;
		}
}

static void
sp_mit_free(struct sp_mit *m)
{
	if (m == NULL)
		return;
	free(m->client);
	free(m->ent);
	free(m);
}

static void
sp_report(struct speaker *sp, uint64_t id, enum be_state st,
    const char *why)
{
	struct be_report r;

	be_report_init(&r, id, st);
	if (why != NULL)
		snprintf(r.reason, sizeof(r.reason), "%s", why);
	(void)be_rq_push(&sp->rq, &r);
}

int
sp_set(struct speaker *sp, uint64_t id, const char *client,
    const struct sp_route *routes, size_t n)
{
	struct sp_mit *m, *old, **mv;
	struct sp_entry *e;
	size_t i, at = 0;

	m = calloc(1, sizeof(*m));
	mv = realloc(sp->mit, (sp->n_mit + 1) * sizeof(*mv));
	if (mv != NULL)
		sp->mit = mv;
	if (m == NULL || mv == NULL || (m->client = strdup(client ? client :
	    "")) == NULL || (m->ent = calloc(n ? n : 1,
	    sizeof(*m->ent))) == NULL)
		goto nomem;
	m->id = id;
	for (i = 0; i < n; i++) {
		e = sp_entry_find(sp, routes[i].family, routes[i].nlri);
		if (e == NULL && (e = sp_entry_add(sp, routes[i].family,
		    routes[i].nlri)) == NULL)
			goto nomem;
		if (!sp_streq(e->attrs, routes[i].attrs)) {
			/* new attributes: a new chance with the speaker */
			if (sp_strset(&e->attrs, routes[i].attrs) != 0)
				goto nomem;
			free(e->refused);
			e->refused = NULL;
		}
		e->refs++;
		m->ent[m->n_ent++] = e;
	}
	/* the old routes go after the new ones are counted: shared stay */
	if ((old = sp_mit_find(sp, id, &at)) != NULL) {
		sp_mit_release(old);
		sp_mit_free(old);
		sp->mit[at] = m;
	} else
		sp->mit[sp->n_mit++] = m;
	return 0;
nomem:
	if (m != NULL) {
		sp_mit_release(m);
		sp_mit_free(m);
	}
	return -ENOMEM;
}

int
sp_remove(struct speaker *sp, uint64_t id)
{
	struct sp_mit *m = sp_mit_find(sp, id, NULL);

	if (m == NULL) {
		sp_report(sp, id, BE_WITHDRAWN, NULL);
		return 0;
	}
	sp_mit_release(m);
	m->state = SP_M_LEAVING;
	return 0;
}

size_t
sp_count(const struct speaker *sp, const char *client, uint64_t except)
{
	size_t i, n = 0;

	for (i = 0; i < sp->n_mit; i++)
		if (sp->mit[i]->state != SP_M_LEAVING &&
		    sp->mit[i]->id != except && (client == NULL ||
		    strcmp(client, sp->mit[i]->client) == 0))
			n += sp->mit[i]->n_ent;
	return n;
}

/*
 * Runs of gobgp.
 */

/* Split @p s (copied into @p buf) on blanks onto @p argv. */
static int
sp_split(char *buf, size_t len, const char *s, char **argv, size_t *argc)
{
	char *p, *save = NULL;

	if (s == NULL)
		return 0;
	if (strlen(s) >= len)
		return -E2BIG;
	memcpy(buf, s, strlen(s) + 1);
	for (p = strtok_r(buf, " ", &save); p != NULL;
	    p = strtok_r(NULL, " ", &save)) {
		if (*argc >= SP_ARGV_MAX - 1)
			return -E2BIG;
		argv[(*argc)++] = p;
	}
	return 0;
}

static int
sp_spawn(struct speaker *sp, struct sp_run *run, char **argv)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	int out[2], ret;
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) == -1)
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, out[1], 2);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	ret = posix_spawn(&pid, argv[0], &fa, &at, argv, NULL);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(out[1]);
	if (ret != 0) {
		close(out[0]);
		return -ret;
	}
	(void)fcntl(out[0], F_SETFL, O_NONBLOCK);
	run->pid = pid;
	run->out_fd = out[0];
	run->out_len = 0;
	run->deadline = sp_now() + (time_t)sp->c.timeout;
	return 0;
}

/* Start a run for @p e (add or del), or a listing of @p family. */
static int
sp_start(struct speaker *sp, enum sp_job job, struct sp_entry *e,
    uint8_t family)
{
	char port[8], fam[16], b1[4096], b2[1024], *argv[SP_ARGV_MAX];
	struct sp_run *run = NULL;
	size_t argc = 0, i;
	int ret;

	for (i = 0; i < SP_RUNS_MAX && run == NULL; i++)
		if (sp->run[i].job == SP_JOB_NONE)
			run = &sp->run[i];
	if (run == NULL)
		return -EAGAIN;

	snprintf(port, sizeof(port), "%u", sp->c.port);
	argv[argc++] = sp->c.gobgp;
	argv[argc++] = (char *)"-u";
	argv[argc++] = sp->c.host;
	argv[argc++] = (char *)"-p";
	argv[argc++] = port;
	if (job == SP_JOB_LIST)
		argv[argc++] = (char *)"-j";
	argv[argc++] = (char *)"global";
	argv[argc++] = (char *)"rib";
	argv[argc++] = (char *)"-a";
	if (job == SP_JOB_LIST) {
		snprintf(fam, sizeof(fam), "%s", sp_family_name(sp, family));
		argv[argc++] = fam;
	} else {
		argv[argc++] = e->family;
		argv[argc++] = (char *)(job == SP_JOB_ADD ? "add" : "del");
		if (sp->c.flowspec)
			argv[argc++] = (char *)"match";
		if ((ret = sp_split(b1, sizeof(b1), e->nlri, argv,
		    &argc)) != 0 || (job == SP_JOB_ADD &&
		    (ret = sp_split(b2, sizeof(b2), e->attrs, argv,
		    &argc)) != 0))
			return ret;
	}
	argv[argc] = NULL;
	if ((ret = sp_spawn(sp, run, argv)) != 0)
		return ret;
	run->job = job;
	run->ent = e;
	run->family = family;
	if (e != NULL)
		e->busy = true;
	sp->n_run++;
	return 0;
}

/* Read what the run wrote; -1 at end of file. */
static int
sp_drain(struct sp_run *sp)
{
	char *v;
	ssize_t n;

	for (;;) {
		if (sp->out_cap - sp->out_len < 4096) {
			if (sp->out_cap >= SP_OUT_MAX)
				return 0;	/* the rest is lost */
			v = realloc(sp->out, sp->out_cap ? sp->out_cap * 2 :
			    65536);
			if (v == NULL)
				return 0;
			sp->out = v;
			sp->out_cap = sp->out_cap ? sp->out_cap * 2 : 65536;
		}
		n = read(sp->out_fd, sp->out + sp->out_len,
		    sp->out_cap - sp->out_len - 1);
		if (n > 0) {
			sp->out_len += (size_t)n;
			continue;
		}
		if (n == 0)
			return -1;
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	}
}

/* The first line of the run's output, printable, for a reason. */
static void
sp_first_line(const struct sp_run *sp, char *buf, size_t len)
{
	size_t i, k = 0;

	for (i = 0; i < sp->out_len && k + 1 < len; i++) {
		if (sp->out[i] == '\n') {
			if (k > 0)
				break;
			continue;
		}
		buf[k++] = sp->out[i] >= ' ' && sp->out[i] < 0x7f ?
		    sp->out[i] : '?';
	}
	buf[k] = '\0';
}

/* Did the run fail because gobgpd could not be reached? */
static bool
sp_unreachable(const struct sp_run *sp, int status)
{
	static const char *const marks[] = {
		"deadline exceeded", "Unavailable", "connection refused",
		"connection error", "transport is closing",
	};
	size_t i;

	if (!WIFEXITED(status))
		return true;		/* killed: timed out */
	if (sp->out_len == 0)
		return true;
	sp->out[sp->out_len] = '\0';
	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strstr(sp->out, marks[i]) != NULL)
			return true;
	return false;
}

struct sp_list_ctx {
	struct speaker	*sp;
	int		 err;
};

static int
sp_listed(void *arg, const char *family, const char *nlri,
    const char *attrs)
{
	struct sp_list_ctx *lc = arg;
	struct sp_entry *e;

	e = sp_entry_find(lc->sp, family, nlri);
	if (e == NULL && (e = sp_entry_add(lc->sp, family, nlri)) == NULL)
		return lc->err = -ENOMEM;
	e->rib = SP_PRESENT;
	if (sp_strset(&e->rib_attrs, attrs) != 0)
		return lc->err = -ENOMEM;
	return 0;
}

static int
sp_list_done(struct speaker *sp, struct sp_run *run)
{
	const char *fam = sp_family_name(sp, run->family);
	struct sp_list_ctx lc = { sp, 0 };
	size_t i;
	int ret;

	for (i = 0; i < sp->n_ent; i++)
		if (strcmp(sp->ent[i]->family, fam) == 0)
			sp->ent[i]->rib = SP_ABSENT;
	run->out[run->out_len] = '\0';
	ret = sp->c.flowspec ?
	    fs_rib_flowspec(run->out, run->out_len, run->family, sp_listed,
	    &lc) :
	    fs_rib_blackhole(run->out, run->out_len, run->family, sp_listed,
	    &lc);
	if (ret != 0 || lc.err != 0) {
		/* unknown again: read it at the next try */
		for (i = 0; i < sp->n_ent; i++)
			if (strcmp(sp->ent[i]->family, fam) == 0)
				sp->ent[i]->rib = SP_UNKNOWN;
		return -EINVAL;
	}
	return 0;
}

static void
sp_down(struct speaker *sp, const char *why)
{
	snprintf(sp->down, sizeof(sp->down), "BGP speaker %s port %u: %s",
	    sp->c.host, sp->c.port, why[0] ? why : "no answer");
	sp->retry_at = sp_now() + (time_t)sp->c.retry;
	sp->list_todo = (1u << 2) - 1;	/* what it holds is unknown now */
}

/* The run ended with @p status. */
static void
sp_finish(struct speaker *sp, struct sp_run *run, int status)
{
	struct sp_entry *e = run->ent;
	char line[160];
	bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	if (run->out == NULL && (run->out = malloc(1)) == NULL) {
		sp_down(sp, "out of memory");
		return;
	}
	if (run->out_len == run->out_cap && run->out_len > 0)
		run->out_len--;
	run->out[run->out_len] = '\0';
	sp_first_line(run, line, sizeof(line));
	if (!WIFEXITED(status))
		snprintf(line, sizeof(line), "gobgp did not answer within "
		    "%u s", sp->c.timeout);
	if (ok && run->job == SP_JOB_LIST && sp_list_done(sp, run) != 0) {
		sp_down(sp, "could not read the RIB listing");
		return;
	}
	if (!ok && sp_unreachable(run, status)) {
		sp_down(sp, line);
		return;
	}
	sp->down[0] = '\0';
	switch (run->job) {
	case SP_JOB_ADD:
		if (ok) {
			e->rib = SP_PRESENT;
			(void)sp_strset(&e->rib_attrs, e->attrs);
		} else
			(void)sp_strset(&e->refused, line);
		break;
	case SP_JOB_DEL:
		if (ok)
			e->rib = SP_ABSENT;
		else
			sp_down(sp, line);
		break;
	case SP_JOB_LIST:
		sp->list_todo &= ~(1u << (run->family == DOTS_AF_INET6));
		break;
	case SP_JOB_NONE:
		break;
	}
}

/* Watch @p run; true while it goes on. */
static bool
sp_watch(struct speaker *sp, struct sp_run *run)
{
	int status, eof;
	pid_t r;

	eof = run->out_fd != -1 ? sp_drain(run) : -1;
	if (eof == -1 && run->out_fd != -1) {
		close(run->out_fd);
		run->out_fd = -1;
	}
	r = waitpid(run->pid, &status, WNOHANG);
	if (r == 0) {
		if (sp_now() < run->deadline)
			return true;
		kill(-run->pid, SIGKILL);
		r = waitpid(run->pid, &status, 0);
	}
	if (run->out_fd != -1) {
		(void)sp_drain(run);
		close(run->out_fd);
		run->out_fd = -1;
	}
	if (r != run->pid)
		status = 0x7f;	/* lost: as if killed */
	sp_finish(sp, run, status);
	if (run->ent != NULL)
		run->ent->busy = false;
	run->job = SP_JOB_NONE;
	run->ent = NULL;
	run->pid = 0;
	sp->n_run--;
	return false;
}

/* Watch every run; true if one ended. */
static bool
sp_reap(struct speaker *sp)
{
	size_t i;
	bool ended = false;

	for (i = 0; i < SP_RUNS_MAX; i++)
		if (sp->run[i].job != SP_JOB_NONE &&
		    !sp_watch(sp, &sp->run[i]))
			ended = true;
	return ended;
}

/*
 * The next change the RIB needs, started; false if there is none, or if
 * it must wait for the runs going on (a reading of the RIB runs alone).
 * The scan goes on where the last one stopped and wraps once, so that
 * starting N runs over a table of M routes costs about M, not N * M.
 */
static bool
sp_next(struct speaker *sp)
{
	struct sp_entry *e;
	size_t i, k;
	int f;

	for (f = 0; f < 2; f++)
		if ((sp->list_todo & (1u << f)) && sp->c.families[f] != 0)
			return sp->n_run == 0 && sp_start(sp, SP_JOB_LIST,
			    NULL, sp->c.families[f]) == 0;
	sp->list_todo = 0;
	for (k = 0; k < sp->n_ent; k++) {
		i = (sp->scan + k) % sp->n_ent;
		e = sp->ent[i];
		if (e->busy)
			continue;
		if (e->refs > 0 && e->refused == NULL &&
		    (e->rib != SP_PRESENT ||
		    !sp_streq(e->rib_attrs, e->attrs))) {
			sp->scan = i + 1;
			return sp_start(sp, SP_JOB_ADD, e, 0) == 0;
		}
		if (e->refs == 0 && e->rib != SP_ABSENT) {
			sp->scan = i + 1;
			return sp_start(sp, SP_JOB_DEL, e, 0) == 0;
		}
	}
	return false;
}

/* Tell the server what changed for each mitigation. */
static void
sp_judge(struct speaker *sp)
{
	struct sp_mit *m;
	const char *refused;
	size_t i, k, keep = 0;
	bool in, out;

	for (i = 0; i < sp->n_mit; i++) {
		m = sp->mit[i];
		in = out = true;
		refused = NULL;
		for (k = 0; k < m->n_ent; k++) {
			in &= m->ent[k]->rib == SP_PRESENT &&
			    sp_streq(m->ent[k]->rib_attrs, m->ent[k]->attrs);
			out &= m->ent[k]->refs > 0 ||
			    m->ent[k]->rib == SP_ABSENT;
			if (m->ent[k]->refused != NULL)
				refused = m->ent[k]->refused;
		}
		if (m->state == SP_M_LEAVING && out) {
			sp_report(sp, m->id, BE_WITHDRAWN, NULL);
			sp_mit_free(m);
			continue;
		}
		sp->mit[keep++] = m;
		if (m->state == SP_M_LEAVING || m->state == SP_M_FAILED)
			continue;
		if (refused != NULL) {
			m->state = SP_M_FAILED;
			sp_report(sp, m->id, BE_FAILED, refused);
		} else if (in && m->state != SP_M_ACTIVE) {
			m->state = SP_M_ACTIVE;
			sp_report(sp, m->id, BE_ACTIVE, NULL);
		} else if (!in && sp->down[0] != '\0' && !m->told_pending) {
			m->told_pending = true;
			sp_report(sp, m->id, BE_PENDING, sp->down);
		}
	}
	sp->n_mit = keep;
}

void
sp_poll(struct speaker *sp)
{
	time_t now = sp_now();
	int turns;

	if (now >= sp->next_list) {
		sp->list_todo = (1u << 2) - 1;
		sp->next_list = now + (time_t)sp->c.reconcile;
	}
	/*
	 * Reap the runs that ended, then fill the free slots; a run that
	 * fails at once is reaped by the next round.  Never a wait.
	 */
	for (turns = 0; turns < 4; turns++) {
		if (sp->n_run > 0 && !sp_reap(sp) && turns > 0)
			break;
		sp_judge(sp);
		if (sp->down[0] != '\0' && sp_now() < sp->retry_at)
			break;
		while (sp->n_run < sp->c.parallel && sp_next(sp))
			;
		if (sp->n_run == 0) {
			sp_entry_gc(sp);
			break;
		}
	}
	be_rq_flush(sp->be, &sp->rq);
}

/* The runs' pipes: output, or their end, wakes the loop. */
size_t
sp_pollfds(const struct speaker *sp, struct pollfd *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < SP_RUNS_MAX; i++) {
		if (sp->run[i].out_fd == -1)
			continue;
		if (n < max) {
			out[n].fd = sp->run[i].out_fd;
			out[n].events = POLLIN;
			out[n].revents = 0;
		}
		n++;
	}
	return n;
}

struct speaker *
sp_new(const struct sp_conf *c, struct backend *be)
{
	struct speaker *sp = calloc(1, sizeof(*sp));
	size_t i;

	if (sp == NULL)
		return NULL;
	sp->c = *c;
	sp->be = be;
	for (i = 0; i < SP_RUNS_MAX; i++)
		sp->run[i].out_fd = -1;
	sp->list_todo = (1u << 2) - 1;
	sp->next_list = sp_now() + (time_t)c->reconcile;
	return sp;
}

void
sp_free(struct speaker *sp)
{
	struct sp_run *run;
	size_t i;
	pid_t r;

	if (sp == NULL)
		return;
	for (i = 0; i < SP_RUNS_MAX; i++) {
		run = &sp->run[i];
		if (run->pid > 0) {
			kill(-run->pid, SIGKILL);
			do
				r = waitpid(run->pid, NULL, 0);
			while (r == -1 && errno == EINTR);
		}
		if (run->out_fd != -1)
			close(run->out_fd);
		free(run->out);
	}
	for (i = 0; i < sp->n_mit; i++)
		sp_mit_free(sp->mit[i]);
	for (i = 0; i < sp->n_ent; i++)
		sp_entry_free(sp->ent[i]);
	free(sp->mit);
	free(sp->ent);
	be_rq_clear(&sp->rq);
	free(sp);
}

int
sp_mitigator_withdraw(struct backend *be, uint64_t id)
{
	struct sp_mitigator *m = be->priv;

	return sp_remove(m->sp, id);
}

size_t
sp_mitigator_pollfds(struct backend *be, struct pollfd *out, size_t max)
{
	struct sp_mitigator *m = be->priv;

	return sp_pollfds(m->sp, out, max);
}

void
sp_mitigator_poll(struct backend *be)
{
	struct sp_mitigator *m = be->priv;

	sp_poll(m->sp);
}

void
sp_mitigator_free(struct backend *be)
{
	struct sp_mitigator *m = be->priv;

	if (m == NULL)
		return;
	sp_free(m->sp);
	fs_policy_clear(&m->pol);
	free(m);
	be->priv = NULL;
}
