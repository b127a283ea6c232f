/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The "dots" mitigator: dotsd as a DOTS gateway (RFC 8903 section 3.3,
 * RFC 9132 sections 4.3 and 16).  Each mitigation handed to it is asked
 * of an upstream DOTS server (a transit provider's, a third party's, an
 * internal DMS) by dotscd, the project's DOTS client daemon, through its
 * control socket (docs/control-protocol.md).  dotscd does the signal
 * channel: (D)TLS with mutual X.509, heartbeats, reconnection, Observe,
 * and a pending queue kept across its restarts.  This file only keeps
 * the mapping from the server's mitigation id to the upstream mid, and
 * turns what dotscd tells of the upstream into reports (up_proto.c).
 *
 * Nothing is applied twice or lost across restarts of either daemon: a
 * request goes with origin "gateway:<id>", so that after a reconnection
 * `list` finds which upstream mid holds which id.  Until that `list` has
 * been read nothing is sent; then every mitigation the server wants and
 * dotscd lacks is requested, a new apply() of a known id updates its mid,
 * and an upstream mitigation of ours that the server no longer wants is
 * withdrawn.  While dotscd is down, requests wait here (BE_PENDING).
 *
 * The socket is non-blocking and driven from poll() only, which the
 * server calls every loop turn; reports are queued and delivered from
 * there, never from inside apply() or withdraw().  The upstream's lifetime
 * is the mitigator's business, not the client's: a mitigation is asked
 * again (same mid) halfway through the lifetime the upstream granted,
 * until the server withdraws it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <dots/client.h>

#include "log.h"

#include "../backend.h"
#include "../be_util.h"
#include "up_proto.h"

#define UP_HOP_LIMIT_DEFAULT	16	/* RFC 8768 section 3 */
#define UP_BACKOFF_MAX		30	/* s between connection attempts */
#define UP_LINE_MAX		(16u << 20)	/* a `list` of many */
#define UP_RETRY		2	/* s, after dotscd said busy */

enum up_req_kind {
	UP_REQ_WATCH,
	UP_REQ_LIST,
	UP_REQ_MITIGATE,
	UP_REQ_WITHDRAW,
	UP_REQ_ORPHAN		/* a withdrawal nobody waits for */
};

struct up_req {
	uint64_t		 seq;
	enum up_req_kind	 kind;
	uint64_t		 id;	/* the mitigation's */
};

/* One mitigation the server handed over. */
struct up_mit {
	uint64_t		 id;
	char			*scope;		/* JSON, up_scope_json() */
	char			 cdid[DOTS_CLIENT_CDID_MAX + 1]; /* "": none */
	uint8_t			 hop_limit;
	bool			 want;		/* false: being withdrawn */
	bool			 has_mid;
	uint32_t		 mid;
	bool			 send;		/* a request must go out */
	bool			 in_flight;	/* and one is unanswered */
	time_t			 not_before;	/* of the next send */
	time_t			 refresh_at;	/* 0: none */
	struct up_mit_info	 info;		/* last heard; scope NULL */
	struct be_report	 last;		/* last reported */
	bool			 reported;
};

enum up_conn {
	UP_DOWN,
	UP_SYNC,		/* watch and list sent, list not read */
	UP_READY
};

struct be_dots {
	char			*sock_path;
	char			*server;
	uint8_t			 hop_limit;	/* initial value */
	bool			 cdid;		/* insert cdid */
	int			 fd;
	enum up_conn		 conn;
	time_t			 next_try;
	unsigned		 backoff;
	bool			 warned;	/* that dotscd is unreachable */
	char			*rbuf;
	size_t			 rlen, rcap;
	char			*wbuf;
	size_t			 wlen, wcap;
	uint64_t		 seq;
	struct up_req		*reqs;		/* FIFO of unanswered ones */
	size_t			 nreqs, capreqs;
	struct up_mit		**mits;
	size_t			 nmits, capmits;
	struct be_rq		 rq;
};

/* Table of mitigations */

static struct up_mit *
mit_find(struct be_dots *u, uint64_t id, size_t *at)
{
	size_t i;

	for (i = 0; i < u->nmits; i++)
		if (u->mits[i]->id == id) {
			if (at != NULL)
				*at = i;
			return u->mits[i];
		}
	return NULL;
}

static struct up_mit *
mit_add(struct be_dots *u, uint64_t id)
{
	struct up_mit *m, **v;
	size_t cap;

	if (u->nmits == u->capmits) {
		cap = u->capmits ? u->capmits * 2 : 16;
		if ((v = realloc(u->mits, cap * sizeof(*v))) == NULL)
			return NULL;
		u->mits = v;
		u->capmits = cap;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->id = id;
	u->mits[u->nmits++] = m;
	return m;
}

static void
mit_drop(struct be_dots *u, struct up_mit *m)
{
	size_t at;

	if (mit_find(u, m->id, &at) != m)
		return;
	u->mits[at] = u->mits[--u->nmits];
	free(m->scope);
	free(m);
}

/* Queue a report for @p m unless it says what the last one said. */
static void
report(struct backend *be, struct up_mit *m, const struct be_report *r)
{
	struct be_dots *u = be->priv;

	if (m->reported && memcmp(&m->last, r, sizeof(*r)) == 0)
		return;
	if (r->state == BE_FAILED || (r->state == BE_PENDING &&
	    (!m->reported || m->last.state != BE_PENDING ||
	    strcmp(m->last.reason, r->reason) != 0)))
		log_info("mitigator \"%s\": mitigation %" PRIu64 ": %s%s%s",
		    be->name, m->id, r->state == BE_FAILED ? "failed" :
		    "pending", r->reason[0] ? ": " : "", r->reason);
	m->last = *r;
	m->reported = true;
	if (be_rq_push(&u->rq, r) != 0)
		m->reported = false;	/* said again on the next change */
}

static void
report_state(struct backend *be, struct up_mit *m, enum be_state st,
    const char *why)
{
	struct be_report r;

	be_report_init(&r, m->id, st);
	snprintf(r.reason, sizeof(r.reason), "%s", why);
	report(be, m, &r);
}

/*
 * The upstream's view of @p m changed: report, refresh, or finish.
 * @return false if @p m is gone (withdrawn: freed)
 */
static bool
mit_heard(struct backend *be, struct up_mit *m, const struct up_mit_info *mi)
{
	struct be_dots *u = be->priv;
	struct be_report r;

	if (mi->has_mid) {
		m->has_mid = true;
		m->mid = mi->mid;
	}
	m->info = *mi;
	m->info.scope = NULL;
	if (m->want && mi->state == UP_ST_ACTIVE && mi->has_lifetime &&
	    mi->lifetime > 0)
		m->refresh_at = time(NULL) + mi->lifetime / 2;
	be_report_init(&r, m->id, BE_PENDING);
	if (!up_report_of(mi, u->server, !m->want, &r))
		return true;
	report(be, m, &r);
	if (!m->want && r.state == BE_WITHDRAWN) {
		mit_drop(u, m);
		return false;
	}
	return true;
}

/* Connection */

static int
out_line(struct be_dots *u, char *line, enum up_req_kind kind, uint64_t id)
{
	struct up_req *rv;
	size_t len, cap;
	char *v;

	if (line == NULL)
		return -ENOMEM;
	len = strlen(line);
	if (u->nreqs == u->capreqs) {
		cap = u->capreqs ? u->capreqs * 2 : 16;
		if ((rv = realloc(u->reqs, cap * sizeof(*rv))) == NULL)
			goto nomem;
		u->reqs = rv;
		u->capreqs = cap;
	}
	if (u->wlen + len > u->wcap) {
		cap = u->wcap ? u->wcap : 4096;
		while (cap < u->wlen + len)
			cap *= 2;
		if ((v = realloc(u->wbuf, cap)) == NULL)
			goto nomem;
		u->wbuf = v;
		u->wcap = cap;
	}
	memcpy(u->wbuf + u->wlen, line, len);
	u->wlen += len;
	u->reqs[u->nreqs].seq = u->seq;
	u->reqs[u->nreqs].kind = kind;
	u->reqs[u->nreqs].id = id;
	u->nreqs++;
	free(line);
	return 0;
nomem:
	free(line);
	return -ENOMEM;
}

static void
conn_close(struct backend *be, const char *why)
{
	struct be_dots *u = be->priv;
	size_t i;

	if (u->fd != -1) {
		log_warnx("mitigator \"%s\": dotscd at %s: %s; connecting "
		    "again", be->name, u->sock_path, why);
		close(u->fd);
	}
	u->fd = -1;
	u->conn = UP_DOWN;
	u->rlen = u->wlen = u->nreqs = 0;
	/* conn_open() doubled the backoff; a list read set it back to 1 */
	u->next_try = time(NULL) + u->backoff;
	/* unanswered: what became of them is read from `list` later */
	for (i = 0; i < u->nmits; i++)
		if (u->mits[i]->in_flight) {
			u->mits[i]->in_flight = false;
			u->mits[i]->send = true;
		}
}

static void
conn_open(struct backend *be, time_t now)
{
	struct be_dots *u = be->priv;
	struct sockaddr_un sa;
	size_t i;
	int fd, err;

	u->next_try = now + u->backoff;
	u->backoff = u->backoff * 2 > UP_BACKOFF_MAX ? UP_BACKOFF_MAX :
	    u->backoff * 2;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, u->sock_path, strlen(u->sock_path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		err = errno;
		if (fd != -1)
			close(fd);
		if (!u->warned)
			log_warnx("mitigator \"%s\": dotscd at %s: %s; "
			    "mitigations wait until it is there", be->name,
			    u->sock_path, strerror(err));
		u->warned = true;
		/* the server shows why nothing happens yet */
		for (i = 0; i < u->nmits; i++)
			if (u->mits[i]->want && !u->mits[i]->has_mid)
				report_state(be, u->mits[i], BE_PENDING,
				    "dotscd (the gateway's DOTS client) is "
				    "unreachable: relayed when it is back");
		return;
	}
	log_info("mitigator \"%s\": connected to dotscd at %s", be->name,
	    u->sock_path);
	u->fd = fd;
	u->warned = false;
	u->conn = UP_SYNC;
	/* events first, so that none falls between list and watch */
	if (out_line(u, up_req_watch(++u->seq), UP_REQ_WATCH, 0) != 0 ||
	    out_line(u, up_req_list(++u->seq, u->server), UP_REQ_LIST,
	    0) != 0)
		conn_close(be, "out of memory");
}

/* Write what is buffered.  @return 0, or -1 (connection closed) */
static int
conn_flush(struct backend *be)
{
	struct be_dots *u = be->priv;
	ssize_t n;

	while (u->wlen > 0) {
		n = send(u->fd, u->wbuf, u->wlen, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0) {
			conn_close(be, n == 0 ? "closed" : strerror(errno));
			return -1;
		}
		memmove(u->wbuf, u->wbuf + n, u->wlen - (size_t)n);
		u->wlen -= (size_t)n;
	}
	return 0;
}

/* Requests */

static void
send_mitigate(struct backend *be, struct up_mit *m)
{
	struct be_dots *u = be->priv;
	char *line;

	line = up_req_mitigate(++u->seq, u->server, m->id, m->scope,
	    m->has_mid, m->mid, m->cdid[0] != '\0' ? m->cdid : NULL,
	    m->hop_limit);
	if (out_line(u, line, UP_REQ_MITIGATE, m->id) == 0) {
		m->send = false;
		m->in_flight = true;
		m->refresh_at = 0;
	}
}

static void
send_withdraw(struct backend *be, struct up_mit *m)
{
	struct be_dots *u = be->priv;

	if (out_line(u, up_req_withdraw(++u->seq, u->server, m->mid),
	    UP_REQ_WITHDRAW, m->id) == 0) {
		m->send = false;
		m->in_flight = true;
	}
}

/* What is due: requests marked to go, refreshes, drops. */
static void
send_due(struct backend *be, time_t now)
{
	struct be_dots *u = be->priv;
	struct up_mit *m;
	size_t i;

	for (i = u->nmits; i-- > 0;) {
		m = u->mits[i];
		if (m->in_flight || now < m->not_before)
			continue;
		if (m->want && m->refresh_at != 0 && now >= m->refresh_at)
			m->send = true;
		if (!m->send)
			continue;
		if (m->want)
			send_mitigate(be, m);
		else if (m->has_mid)
			send_withdraw(be, m);
		else {
			/* never reached dotscd: nothing to withdraw */
			report_state(be, m, BE_WITHDRAWN, "");
			mit_drop(u, m);
		}
	}
}

/* Answers and events */

/* Best list entry of id @p id: a live one, else the newest. */
static const struct up_mit_info *
list_best(const struct up_msg *msg, uint64_t id)
{
	const struct up_mit_info *best = NULL, *e;
	bool live, best_live = false;
	size_t i;

	for (i = 0; i < msg->nlist; i++) {
		e = &msg->list[i];
		if (!e->has_id || e->id != id || !e->has_mid)
			continue;
		live = e->state == UP_ST_PENDING || e->state == UP_ST_ACTIVE ||
		    e->state == UP_ST_WITHDRAWING;
		if (best == NULL || (live && !best_live) ||
		    (live == best_live && e->mid > best->mid)) {
			best = e;
			best_live = live;
		}
	}
	return best;
}

/* A live state: dotscd still has the mitigation going upstream. */
static bool
live(enum up_state st)
{
	return st == UP_ST_PENDING || st == UP_ST_ACTIVE;
}

/* After the list: what becomes of @p m, given dotscd's @p best. */
static void
reconcile_one(struct backend *be, struct up_mit *m,
    const struct up_mit_info *best)
{
	m->send = false;
	if (best == NULL) {
		/* dotscd never had it: request it, or nothing to withdraw */
		m->has_mid = false;
		m->send = true;
		return;
	}
	m->has_mid = true;
	m->mid = best->mid;
	if (!m->want) {
		if (live(best->state))
			m->send = true;
		else if (best->state != UP_ST_WITHDRAWING)
			mit_heard(be, m, best);		/* over: dropped */
		return;
	}
	if (best->state == UP_ST_FAILED) {
		mit_heard(be, m, best);
		return;
	}
	if (!live(best->state)) {
		/* ended upstream, or being withdrawn: a new mid */
		m->has_mid = false;
		m->send = true;
		return;
	}
	/* the same mid, updated if the scope is not the one wanted */
	if (best->scope == NULL || m->scope == NULL ||
	    strcmp(best->scope, m->scope) != 0)
		m->send = true;
	mit_heard(be, m, best);
}

/*
 * The `list` read after a (re)connection: adopt the mids of what dotscd
 * has, request what it lacks, withdraw what nobody wants any more (ours
 * from before a restart that the server no longer has, or duplicates).
 */
static void
reconcile(struct backend *be, const struct up_msg *msg)
{
	struct be_dots *u = be->priv;
	const struct up_mit_info *e;
	size_t i;

	for (i = 0; i < msg->nlist; i++) {
		e = &msg->list[i];
		if (!e->has_id || !e->has_mid || !live(e->state) ||
		    (mit_find(u, e->id, NULL) != NULL &&
		    list_best(msg, e->id) == e))
			continue;
		log_info("mitigator \"%s\": upstream mid %" PRIu32 " (of "
		    "mitigation %" PRIu64 ") is no longer wanted: withdrawn",
		    be->name, e->mid, e->id);
		out_line(u, up_req_withdraw(++u->seq, u->server, e->mid),
		    UP_REQ_ORPHAN, e->id);
	}
	/* backwards: mit_drop() moves the last one into the hole */
	for (i = u->nmits; i-- > 0;)
		reconcile_one(be, u->mits[i], list_best(msg, u->mits[i]->id));
}

static void
answer_mitigate(struct backend *be, struct up_mit *m, const struct up_msg *msg)
{
	char why[sizeof(((struct be_report *)0)->reason)];

	if (msg->ok && msg->has_mit) {
		if (mit_heard(be, m, &msg->mit) && !m->want)
			m->send = true;	/* withdrawn meanwhile */
		return;
	}
	if (!m->want) {
		report_state(be, m, BE_WITHDRAWN, "");
		mit_drop(be->priv, m);
		return;
	}
	if (strcmp(msg->code, "invalid") == 0 &&
	    strcmp(msg->field, "mid") == 0 && m->has_mid) {
		/* the mid ended upstream: a new one */
		m->has_mid = false;
		m->send = true;
		return;
	}
	if (strcmp(msg->code, "busy") == 0 ||
	    strcmp(msg->code, "internal") == 0) {
		m->send = true;
		m->not_before = time(NULL) + UP_RETRY;
		return;
	}
	if (msg->has_mit) {
		mit_heard(be, m, &msg->mit);
		return;
	}
	snprintf(why, sizeof(why), "dotscd refused it: %.60s%s%.80s",
	    msg->code, msg->message[0] ? ": " : "", msg->message);
	report_state(be, m, BE_FAILED, why);
}

static void
answer_withdraw(struct backend *be, struct up_mit *m, const struct up_msg *msg)
{
	if (msg->ok && msg->has_mit) {
		mit_heard(be, m, &msg->mit);
		return;
	}
	if (!msg->ok && strcmp(msg->code, "not-found") == 0) {
		report_state(be, m, BE_WITHDRAWN, "");
		mit_drop(be->priv, m);
		return;
	}
	m->send = true;
	m->not_before = time(NULL) + UP_RETRY;
}

static void
on_answer(struct backend *be, const struct up_msg *msg)
{
	struct be_dots *u = be->priv;
	struct up_req q;
	struct up_mit *m;

	/* answers come in the order of the requests */
	if (u->nreqs == 0 || !msg->has_seq || msg->seq != u->reqs[0].seq) {
		conn_close(be, "an answer to no request of ours");
		return;
	}
	q = u->reqs[0];
	memmove(u->reqs, u->reqs + 1, --u->nreqs * sizeof(*u->reqs));
	if (q.kind == UP_REQ_LIST) {
		if (!msg->ok || !msg->is_list) {
			log_warnx("mitigator \"%s\": dotscd refused list: "
			    "%s %s", be->name, msg->code, msg->message);
			conn_close(be, "list refused (is server \"...\" one "
			    "of dotscd's?)");
			return;
		}
		reconcile(be, msg);
		u->conn = UP_READY;
		u->backoff = 1;
		return;
	}
	if (q.kind == UP_REQ_WATCH || q.kind == UP_REQ_ORPHAN ||
	    (m = mit_find(u, q.id, NULL)) == NULL)
		return;
	m->in_flight = false;
	if (q.kind == UP_REQ_MITIGATE)
		answer_mitigate(be, m, msg);
	else
		answer_withdraw(be, m, msg);
}

static void
on_line(struct backend *be, const char *line, size_t len)
{
	struct be_dots *u = be->priv;
	struct up_msg msg;
	struct up_mit *m;

	if (up_msg_parse(line, len, &msg) != 0) {
		up_msg_clear(&msg);
		conn_close(be, "a line that is not dotscd's");
		return;
	}
	switch (msg.kind) {
	case UP_MSG_ANSWER:
		on_answer(be, &msg);
		break;
	case UP_MSG_STATUS:
		/* ours: our server, our origin, and after the list */
		if (u->conn == UP_READY && strcmp(msg.mit.server,
		    u->server) == 0 && msg.mit.has_id &&
		    (m = mit_find(u, msg.mit.id, NULL)) != NULL &&
		    (!m->has_mid || m->mid == msg.mit.mid))
			mit_heard(be, m, &msg.mit);
		break;
	case UP_MSG_SESSION:
		if (strcmp(msg.server, u->server) == 0)
			log_info("mitigator \"%s\": upstream %s is %s%s%s",
			    be->name, u->server, msg.up ? "up" : "down",
			    msg.reason[0] ? ": " : "", msg.reason);
		break;
	case UP_MSG_OTHER:
		break;
	}
	up_msg_clear(&msg);
}

/* Read what is there and handle each whole line. */
static void
conn_read(struct backend *be)
{
	struct be_dots *u = be->priv;
	size_t cap, off;
	ssize_t n;
	char *nl, *v;

	for (;;) {
		if (u->rcap - u->rlen < 4096) {
			cap = u->rcap ? u->rcap * 2 : 65536;
			if (cap > UP_LINE_MAX ||
			    (v = realloc(u->rbuf, cap)) == NULL) {
				conn_close(be, "a line too long");
				return;
			}
			u->rbuf = v;
			u->rcap = cap;
		}
		n = recv(u->fd, u->rbuf + u->rlen, u->rcap - u->rlen, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			conn_close(be, n == 0 ? "closed" : strerror(errno));
			return;
		}
		u->rlen += (size_t)n;
		off = 0;
		while (u->fd != -1 && (nl = memchr(u->rbuf + off, '\n',
		    u->rlen - off)) != NULL) {
			on_line(be, u->rbuf + off, (size_t)(nl - (u->rbuf +
			    off)));
			off = (size_t)(nl - u->rbuf) + 1;
		}
		if (u->fd == -1)
			return;
		memmove(u->rbuf, u->rbuf + off, u->rlen - off);
		u->rlen -= off;
	}
}

/* The mitigator interface */

static int
dots_yesno(const char *key, const char *value, bool *out, char *err,
    size_t errlen)
{
	if (strcmp(value, "yes") == 0 || strcmp(value, "no") == 0) {
		*out = value[0] == 'y';
		return 0;
	}
	be_errf(err, errlen, "setting \"%s\" is yes or no, not \"%s\"", key,
	    value);
	return -EINVAL;
}

static int
dots_settings(struct backend *be, struct be_dots *u,
    const struct be_setting *s, size_t n, char *err, size_t errlen)
{
	unsigned long long v;
	size_t i;
	int ret = 0;

	for (i = 0; ret == 0 && i < n; i++) {
		if (strcmp(s[i].key, "control-socket") == 0) {
			free(u->sock_path);
			u->sock_path = strdup(s[i].value);
			ret = u->sock_path ? 0 : -ENOMEM;
		} else if (strcmp(s[i].key, "server") == 0) {
			free(u->server);
			u->server = strdup(s[i].value);
			ret = u->server ? 0 : -ENOMEM;
		} else if (strcmp(s[i].key, "hop-limit") == 0) {
			ret = be_setting_uint(s[i].key, s[i].value, 255, &v,
			    err, errlen);
			if (ret == 0 && v == 0) {
				be_errf(err, errlen, "setting \"hop-limit\" is "
				    "1 to 255 (RFC 8768)");
				ret = -EINVAL;
			}
			u->hop_limit = (uint8_t)v;
		} else if (strcmp(s[i].key, "cdid") == 0)
			ret = dots_yesno(s[i].key, s[i].value, &u->cdid, err,
			    errlen);
		else if (strcmp(s[i].key, "capacity") == 0) {
			ret = be_setting_uint(s[i].key, s[i].value,
			    UINT32_MAX, &v, err, errlen);
			be->capacity = ret == 0 ? (unsigned)v : 0;
		} else {
			be_errf(err, errlen, "unknown setting \"%s\" (the dots "
			    "mitigator knows control-socket, server, "
			    "hop-limit, cdid and capacity)", s[i].key);
			ret = -EINVAL;
		}
	}
	if (ret != 0)
		return ret;
	if (u->sock_path == NULL || u->server == NULL) {
		be_errf(err, errlen, "settings \"control-socket\" (dotscd's) "
		    "and \"server\" (one of dotscd's servers) are required");
		return -EINVAL;
	}
	if (strlen(u->sock_path) >= sizeof(((struct sockaddr_un *)0)->
	    sun_path)) {
		be_errf(err, errlen, "control-socket %s: a path too long for a "
		    "UNIX socket", u->sock_path);
		return -EINVAL;
	}
	return 0;
}

static void	dots_free(struct backend *be);

static int
dots_init(struct backend *be, const struct be_setting *settings,
    size_t nsettings, char *err, size_t errlen)
{
	struct be_dots *u = calloc(1, sizeof(*u));
	int ret;

	if (u == NULL)
		return -ENOMEM;
	u->fd = -1;
	u->hop_limit = UP_HOP_LIMIT_DEFAULT;
	u->cdid = true;
	u->backoff = 1;
	be->priv = u;
	ret = dots_settings(be, u, settings, nsettings, err, errlen);
	if (ret != 0) {
		dots_free(be);
		return ret;
	}
	return 0;
}

static int
dots_apply(struct backend *be, const struct be_mitigation *m)
{
	struct be_dots *u = be->priv;
	struct up_mit *um = mit_find(u, m->id, NULL);
	char *scope;

	be->refusal[0] = '\0';
	if (m->scope == NULL) {
		snprintf(be->refusal, sizeof(be->refusal), "the dots "
		    "mitigator relays mitigation requests, not ACLs");
		return -ENOTSUP;
	}
	if (um == NULL && be->capacity != 0 && u->nmits >= be->capacity)
		return -ENOSPC;
	if ((scope = up_scope_json(m->scope, m->lifetime)) == NULL)
		return -errno;
	if (um == NULL && (um = mit_add(u, m->id)) == NULL) {
		free(scope);
		return -ENOMEM;
	}
	free(um->scope);
	um->scope = scope;
	snprintf(um->cdid, sizeof(um->cdid), "%s", u->cdid && m->cdid != NULL &&
	    strlen(m->cdid) <= DOTS_CLIENT_CDID_MAX ? m->cdid : "");
	/* RFC 8768 section 3: inserted with the initial value if absent */
	um->hop_limit = m->hop_limit != 0 ? m->hop_limit : u->hop_limit;
	um->want = true;
	um->send = true;
	um->not_before = 0;
	return 0;
}

static int
dots_withdraw(struct backend *be, uint64_t id)
{
	struct be_dots *u = be->priv;
	struct up_mit *m = mit_find(u, id, NULL);

	if (m == NULL)
		return -ENOENT;
	m->want = false;
	/* without a mid, send_due() finds out whether there is anything;
	 * before the list is read, reconcile() does */
	m->send = true;
	m->not_before = 0;
	return 0;
}

/*
 * The client's efficacy update (RFC 9132 section 4.4.3) goes upstream,
 * for a mitigation the upstream has; dotscd keeps it until delivered.
 */
static void
dots_efficacy(struct backend *be, uint64_t id, uint8_t attack_status)
{
	struct be_dots *u = be->priv;
	struct up_mit *m = mit_find(u, id, NULL);

	if (m == NULL || !m->want || !m->has_mid || u->conn != UP_READY ||
	    m->info.state != UP_ST_ACTIVE)
		return;
	if (out_line(u, up_req_efficacy(++u->seq, u->server, m->mid,
	    attack_status), UP_REQ_ORPHAN, id) == 0)
		log_info("mitigator \"%s\": mitigation %" PRIu64 ": efficacy "
		    "update (%s) relayed to upstream mid %" PRIu32, be->name,
		    id, dots_attack_status_name(attack_status), m->mid);
}

/* dotscd's answers and events wake the loop; so does room to write. */
static size_t
dots_pollfds(struct backend *be, struct pollfd *out, size_t max)
{
	struct be_dots *u = be->priv;

	if (u->fd == -1)
		return 0;
	if (max > 0) {
		out[0].fd = u->fd;
		out[0].events = POLLIN | (u->wlen > 0 ? POLLOUT : 0);
		out[0].revents = 0;
	}
	return 1;
}

static void
dots_poll(struct backend *be)
{
	struct be_dots *u = be->priv;
	time_t now = time(NULL);

	if (u->fd == -1 && now >= u->next_try)
		conn_open(be, now);
	if (u->fd != -1)
		conn_read(be);
	if (u->fd != -1 && u->conn == UP_READY)
		send_due(be, now);
	if (u->fd != -1)
		conn_flush(be);
	be_rq_flush(be, &u->rq);
}

static void
dots_free(struct backend *be)
{
	struct be_dots *u = be->priv;
	size_t i;

	if (u == NULL)
		return;
	if (u->fd != -1)
		close(u->fd);
	for (i = 0; i < u->nmits; i++) {
		free(u->mits[i]->scope);
		free(u->mits[i]);
	}
	free(u->mits);
	free(u->reqs);
	free(u->rbuf);
	free(u->wbuf);
	free(u->sock_path);
	free(u->server);
	be_rq_clear(&u->rq);
	free(u);
	be->priv = NULL;
}

const struct be_ops be_dots_ops = {
	.name = "dots",
	.relays = true,
	.init = dots_init,
	.apply = dots_apply,
	.withdraw = dots_withdraw,
	.efficacy = dots_efficacy,
	.pollfds = dots_pollfds,
	.poll = dots_poll,
	.free = dots_free,
};
