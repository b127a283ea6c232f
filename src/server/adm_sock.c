/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotsd's control socket: a UNIX stream socket (mode 0660) carrying one
 * JSON object per line both ways, as dotscd's does, so that one dotsctl
 * speaks to both.  Every descriptor is non-blocking and waited on by the
 * loop with libcoap's, so that a command is answered in the turn it
 * arrives, and no client can hold the loop:
 *
 *  - a request line over ADM_LINE_MAX bytes is answered `too-large` and
 *    the connection closed: shut for writing once the answer is out,
 *    then what the client still sends is read and dropped (DRAIN_MAX
 *    bytes at most) until it closes, so that closing with its bytes
 *    unread does not reset the connection before it read the answer;
 *  - at most REQ_TURN requests of a connection run per turn; the rest
 *    wait in its buffer, and the loop does not sleep while any does;
 *  - a client that does not read its answers is not read either once
 *    OUT_HIGH bytes wait for it, and is closed if one answer takes its
 *    output past OUT_MAX;
 *  - at most ADM_CONN_MAX connections are served; one more is told
 *    `busy` and closed.
 *
 * Answers are written into the connection's buffer during the turn and
 * sent by adm_flush() after its commit.
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adm.h"
#include "log.h"
#include "unix_listen.h"

#define OUT_HIGH	(1024 * 1024)	/* stop reading beyond this */
#define OUT_MAX		(16 * 1024 * 1024)
#define REQ_TURN	8
#define DRAIN_MAX	(1024 * 1024)

struct adm_conn {
	struct adm_conn	*next;
	int		 fd;
	char		*in;		/* ADM_LINE_MAX + 1 bytes */
	size_t		 inlen;
	char		*out;
	size_t		 outlen, outcap;
	bool		 eof;		/* the client sends no more */
	bool		 closing;	/* once the output is sent */
	bool		 draining;	/* too-large: until the client closes */
	bool		 shut;		/* shut for writing */
	size_t		 drained;
};

struct adm {
	struct dotsd		*d;
	struct backend *const	*be;
	size_t			 nbe;
	char			*path;
	int			 fd;
	struct adm_conn		*conns;
	size_t			 nconns;
};

struct adm *
adm_open(struct dotsd *d, const char *path, struct backend *const *be,
    size_t nbe, char *err, size_t errlen)
{
	struct adm *a = calloc(1, sizeof(*a));
	char why[512];

	if (a == NULL || (a->path = strdup(path)) == NULL) {
		snprintf(err, errlen, "out of memory");
		free(a);
		return NULL;
	}
	if ((a->fd = unix_listen(path, why, sizeof(why))) == -1) {
		snprintf(err, errlen, "control-socket %s", why);
		free(a->path);
		free(a);
		return NULL;
	}
	a->d = d;
	a->be = be;
	a->nbe = nbe;
	return a;
}

static void
conn_free(struct adm *a, struct adm_conn *c)
{
	struct adm_conn **pp;

	for (pp = &a->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			a->nconns--;
			break;
		}
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
}

void
adm_close(struct adm *a)
{
	if (a == NULL)
		return;
	while (a->conns != NULL)
		conn_free(a, a->conns);
	close(a->fd);
	unlink(a->path);
	free(a->path);
	free(a);
}

static void
conn_write(struct adm_conn *c, const char *text, size_t len)
{
	size_t cap;
	char *n;

	if (c->closing)
		return;
	if (c->outlen + len > OUT_MAX) {
		log_warnx("control: a client does not read its answers; "
		    "closed");
		c->closing = true;
		c->outlen = 0;
		return;
	}
	if (c->outlen + len > c->outcap) {
		cap = c->outcap ? c->outcap : 4096;
		while (cap < c->outlen + len)
			cap *= 2;
		if ((n = realloc(c->out, cap)) == NULL) {
			c->closing = true;
			c->outlen = 0;
			return;
		}
		c->out = n;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, text, len);
	c->outlen += len;
}

/* One answer, a line; takes @p ans. */
static void
conn_answer(struct adm_conn *c, json_t *ans)
{
	static const char nomem[] = "{\"ok\":false,\"error\":{\"code\":"
	    "\"internal\",\"message\":\"out of memory\"}}\n";
	char *text = ans != NULL ? json_dumps(ans, JSON_COMPACT) : NULL;

	json_decref(ans);
	if (text == NULL) {
		conn_write(c, nomem, sizeof(nomem) - 1);
		return;
	}
	conn_write(c, text, strlen(text));
	conn_write(c, "\n", 1);
	free(text);
}

static void
conn_line(struct adm *a, struct adm_conn *c, const char *line, size_t len)
{
	struct adm_req r;
	struct adm_err e;

	if (len == 0)
		return;
	if (adm_parse(line, len, &r, &e) != 0)
		conn_answer(c, adm_answer_err(r.id, &e));
	else
		conn_answer(c, adm_run(a->d, a->be, a->nbe, &r));
	adm_req_clear(&r);
}

static bool
conn_has_line(const struct adm_conn *c)
{
	return !c->closing && c->outlen < OUT_HIGH && c->inlen > 0 &&
	    memchr(c->in, '\n', c->inlen) != NULL;
}

/* The complete lines buffered, REQ_TURN at most. */
static void
conn_lines(struct adm *a, struct adm_conn *c)
{
	size_t off = 0;
	char *nl;
	int n;

	for (n = 0; n < REQ_TURN && !c->closing && c->outlen < OUT_HIGH &&
	    (nl = memchr(c->in + off, '\n', c->inlen - off)) != NULL; n++) {
		conn_line(a, c, c->in + off, (size_t)(nl - (c->in + off)));
		off = (size_t)(nl - c->in) + 1;
	}
	memmove(c->in, c->in + off, c->inlen - off);
	c->inlen -= off;
}

static void
conn_read(struct adm *a, struct adm_conn *c)
{
	ssize_t r;

	if (c->inlen > ADM_LINE_MAX)
		return;		/* full of lines that wait their turn */
	r = read(c->fd, c->in + c->inlen, ADM_LINE_MAX + 1 - c->inlen);
	if (r == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		/* answer what was asked, then close */
		c->eof = true;
		return;
	}
	c->inlen += (size_t)r;
	conn_lines(a, c);
	if (c->inlen > ADM_LINE_MAX &&
	    memchr(c->in, '\n', c->inlen) == NULL) {
		struct adm_err e;

		adm_fail(&e, "too-large", NULL, "a line longer than %d bytes",
		    ADM_LINE_MAX);
		conn_answer(c, adm_answer_err(NULL, &e));
		c->draining = true;
		c->inlen = 0;
	}
}

/* After too-large: drop what comes until the client closes. */
static void
conn_drain(struct adm_conn *c)
{
	ssize_t r;

	r = read(c->fd, c->in, ADM_LINE_MAX);
	if (r == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0 || (c->drained += (size_t)r) > DRAIN_MAX)
		c->closing = true;
}

static void
conn_send(struct adm_conn *c)
{
	ssize_t w;

	while (c->outlen > 0) {
		w = send(c->fd, c->out, c->outlen, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && errno == EAGAIN)
			return;
		if (w <= 0) {
			/* the client is gone: nothing more to say */
			c->outlen = 0;
			c->closing = true;
			return;
		}
		memmove(c->out, c->out + w, c->outlen - (size_t)w);
		c->outlen -= (size_t)w;
	}
}

static void
adm_accept(struct adm *a)
{
	static const char busy[] = "{\"ok\":false,\"error\":{\"code\":"
	    "\"busy\",\"message\":\"too many control connections\"}}\n";
	struct adm_conn *c;
	int fd;

	fd = accept4(a->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1)
		return;
	if (a->nconns >= ADM_CONN_MAX) {
		log_warnx("control: more than %d connections; one refused",
		    ADM_CONN_MAX);
		(void)!send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL |
		    MSG_DONTWAIT);
		close(fd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->in = malloc(ADM_LINE_MAX + 1)) == NULL) {
		free(c);
		close(fd);
		return;
	}
	c->fd = fd;
	c->next = a->conns;
	a->conns = c;
	a->nconns++;
}

bool
adm_pending(const struct adm *a)
{
	const struct adm_conn *c;

	for (c = a != NULL ? a->conns : NULL; c != NULL; c = c->next)
		if (conn_has_line(c))
			return true;
	return false;
}

int
adm_pollfds(struct adm *a, struct pollfd *pfd, int max)
{
	struct adm_conn *c;
	int n = 0;

	if (a == NULL || max < 1)
		return 0;
	pfd[n].fd = a->fd;
	pfd[n].events = POLLIN;
	pfd[n++].revents = 0;
	for (c = a->conns; c != NULL && n < max; c = c->next) {
		pfd[n].fd = c->fd;
		pfd[n].events = (c->draining ? POLLIN : 0) | (c->closing ||
		    c->eof || c->outlen >= OUT_HIGH ? 0 : POLLIN) |
		    (c->outlen > 0 ? POLLOUT : 0);
		pfd[n++].revents = 0;
	}
	return n;
}

static short
revents_of(const struct pollfd *pfd, int n, int fd)
{
	int i;

	for (i = 0; i < n; i++)
		if (pfd[i].fd == fd)
			return pfd[i].revents;
	return 0;
}

void
adm_dispatch(struct adm *a, const struct pollfd *pfd, int n)
{
	struct adm_conn *c;
	short ev;

	if (a == NULL)
		return;
	for (c = a->conns; c != NULL; c = c->next) {
		ev = revents_of(pfd, n, c->fd);
		if (ev & POLLOUT)
			conn_send(c);
		if (c->draining) {
			if (ev & (POLLIN | POLLHUP | POLLERR))
				conn_drain(c);
		} else if (conn_has_line(c))
			conn_lines(a, c);	/* left from the last turn */
		else if ((ev & (POLLIN | POLLHUP | POLLERR)) && !c->eof &&
		    !c->closing)
			conn_read(a, c);
	}
	if (revents_of(pfd, n, a->fd) & POLLIN)
		adm_accept(a);
}

void
adm_flush(struct adm *a)
{
	struct adm_conn *c, *next;

	if (a == NULL)
		return;
	for (c = a->conns; c != NULL; c = next) {
		next = c->next;
		conn_send(c);
		if (c->draining && c->outlen == 0 && !c->shut) {
			shutdown(c->fd, SHUT_WR);
			c->shut = true;
		}
		if (c->eof && !c->draining && !conn_has_line(c) &&
		    c->outlen == 0)
			c->closing = true;
		if (c->closing && c->outlen == 0)
			conn_free(a, c);
	}
}
