/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The control socket: a UNIX stream socket (mode 0660) carrying one JSON
 * object per line both ways.  Each request line becomes a slot in its
 * connection's queue and goes to ctl_submit(); answers leave in the
 * order of the requests, whatever order they are ready in, so that a
 * request waiting for a server holds back the answers behind it, as the
 * protocol promises.  A line over 65536 bytes is answered `too-large`
 * and the connection closed.  A connection that stops reading (its
 * output over 4 MiB) is closed rather than let grow.  A connection that
 * closes with answers still waiting leaves its slots behind; they are
 * freed when their answer comes.
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clientd.h"
#include "log.h"
#include "unix_listen.h"

#define OUT_MAX		(4 * 1024 * 1024)

struct slot {
	struct slot	*next;
	struct ctl_conn	*conn;		/* NULL once it closed */
	char		*text;		/* the answer, once ready */
	bool		 watch;		/* a watch: events follow */
};

struct ctl_conn {
	struct ctl_conn	*next;
	struct dotscd	*d;
	int		 fd;
	char		*in;
	size_t		 inlen;
	char		*out;
	size_t		 outlen;
	struct slot	*slots;		/* oldest first */
	bool		 watching;
	bool		 eof;		/* the peer sends no more */
	bool		 closing;	/* after the output is flushed */
};

int
ctl_listen(struct dotscd *d, char *err, size_t errlen)
{
	int fd = unix_listen(d->conf->control_socket, err, errlen);

	if (fd == -1)
		return -1;
	d->listen_fd = fd;
	return 0;
}

static void
conn_free(struct ctl_conn *c)
{
	struct dotscd *d = c->d;
	struct ctl_conn **pp;
	struct slot *s, *next;

	for (pp = &d->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	for (s = c->slots; s != NULL; s = next) {
		next = s->next;
		if (s->text != NULL) {
			free(s->text);
			free(s);
		} else
			s->conn = NULL;	/* its answer will free it */
	}
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
}

void
ctl_close_all(struct dotscd *d)
{
	while (d->conns != NULL)
		conn_free(d->conns);
	if (d->listen_fd != -1) {
		close(d->listen_fd);
		unlink(d->conf->control_socket);
		d->listen_fd = -1;
	}
}

static void
conn_write(struct ctl_conn *c, const char *text, size_t len)
{
	char *n;

	if (c->closing && c->outlen == 0)
		return;
	if (c->outlen + len > OUT_MAX) {
		log_warnx("control: a client does not read its answers; "
		    "closed");
		c->closing = true;
		c->outlen = 0;
		return;
	}
	n = realloc(c->out, c->outlen + len);
	if (n == NULL) {
		c->closing = true;
		return;
	}
	c->out = n;
	memcpy(c->out + c->outlen, text, len);
	c->outlen += len;
}

/* Answers that are ready, in order. */
static void
conn_flush_slots(struct ctl_conn *c)
{
	struct slot *s;

	while ((s = c->slots) != NULL && s->text != NULL) {
		c->slots = s->next;
		conn_write(c, s->text, strlen(s->text));
		if (s->watch)
			c->watching = true;
		free(s->text);
		free(s);
	}
}

static void
slot_reply(void *arg, json_t *reply)
{
	struct slot *s = arg;
	char *text = NULL, *line;
	size_t len;

	if (reply != NULL)
		text = json_dumps(reply, JSON_COMPACT);
	if (text == NULL)
		text = strdup("{\"ok\":false,\"error\":{\"code\":\"internal\","
		    "\"message\":\"out of memory\"}}");
	len = text != NULL ? strlen(text) : 0;
	line = text != NULL ? realloc(text, len + 2) : NULL;
	if (line == NULL) {
		free(text);
		line = strdup("\n");
		len = 0;
	} else
		memcpy(line + len, "\n", 2);
	if (s->conn == NULL) {
		free(line);
		free(s);
		return;
	}
	s->text = line != NULL ? line : strdup("\n");
	if (s->text == NULL)
		s->text = calloc(1, 1);
	if (s->text != NULL)
		conn_flush_slots(s->conn);
}

void
dotscd_event(struct dotscd *d, json_t *ev)
{
	struct ctl_conn *c;
	char *text;

	if (ev == NULL)
		return;
	text = json_dumps(ev, JSON_COMPACT);
	json_decref(ev);
	if (text == NULL)
		return;
	for (c = d->conns; c != NULL; c = c->next)
		if (c->watching) {
			conn_write(c, text, strlen(text));
			conn_write(c, "\n", 1);
		}
	free(text);
}

static void
conn_error(struct ctl_conn *c, const char *code, const char *msg)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "{\"ok\":false,\"error\":{\"code\":\"%s\","
	    "\"message\":\"%s\"}}\n", code, msg);
	conn_write(c, buf, strlen(buf));
}

static void
conn_line(struct ctl_conn *c, const char *line, size_t len)
{
	struct slot *s, **pp;
	json_error_t jerr;
	json_t *req;
	const char *cmd;

	if (len == 0)
		return;
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		c->closing = true;
		return;
	}
	s->conn = c;
	for (pp = &c->slots; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = s;
	req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (req == NULL || !json_is_object(req)) {
		json_t *a = json_pack("{sb s{ss ss}}", "ok", 0, "error",
		    "code", "bad-json", "message", req == NULL ? jerr.text :
		    "a request is a JSON object");

		json_decref(req);
		slot_reply(s, a);
		json_decref(a);
		return;
	}
	cmd = json_string_value(json_object_get(req, "cmd"));
	if (cmd != NULL && strcmp(cmd, "watch") == 0 &&
	    json_object_size(req) == (json_object_get(req, "id") ? 2u : 1u))
		s->watch = true;
	ctl_submit(c->d, req, slot_reply, s);
	json_decref(req);
}

static void
conn_read(struct ctl_conn *c)
{
	char *nl, *n;
	size_t off;
	ssize_t r;

	n = realloc(c->in, CTL_LINE_MAX + 2);
	if (n == NULL) {
		c->closing = true;
		return;
	}
	c->in = n;
	r = read(c->fd, c->in + c->inlen, CTL_LINE_MAX + 1 - c->inlen);
	if (r == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r == -1) {
		c->closing = true;
		c->outlen = 0;
		return;
	}
	if (r == 0) {
		/* answer what was asked, then close */
		c->eof = true;
		return;
	}
	c->inlen += (size_t)r;
	off = 0;
	while (!c->closing && (nl = memchr(c->in + off, '\n',
	    c->inlen - off)) != NULL) {
		conn_line(c, c->in + off, (size_t)(nl - (c->in + off)));
		off = (size_t)(nl - c->in) + 1;
	}
	memmove(c->in, c->in + off, c->inlen - off);
	c->inlen -= off;
	if (c->inlen > CTL_LINE_MAX) {
		conn_error(c, "too-large", "a line longer than 65536 bytes");
		c->closing = true;
		c->inlen = 0;
	}
}

static void
conn_send(struct ctl_conn *c)
{
	ssize_t w;

	while (c->outlen > 0) {
		w = send(c->fd, c->out, c->outlen, MSG_NOSIGNAL);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && errno == EAGAIN)
			return;
		if (w <= 0) {
			c->outlen = 0;
			c->closing = true;
			return;
		}
		memmove(c->out, c->out + w, c->outlen - (size_t)w);
		c->outlen -= (size_t)w;
	}
}

static void
ctl_accept(struct dotscd *d)
{
	struct ctl_conn *c;
	int fd;

	fd = accept4(d->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1)
		return;
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		close(fd);
		return;
	}
	c->d = d;
	c->fd = fd;
	c->next = d->conns;
	d->conns = c;
}

/* listen fd first, then one per connection, in d->conns order. */
int
ctl_pollfds(struct dotscd *d, struct pollfd *pfd, int max)
{
	struct ctl_conn *c;
	int n = 0;

	if (n < max) {
		pfd[n].fd = d->listen_fd;
		pfd[n++].events = POLLIN;
	}
	for (c = d->conns; c != NULL && n < max; c = c->next) {
		conn_send(c);
		pfd[n].fd = c->fd;
		pfd[n++].events = (c->closing || c->eof ? 0 : POLLIN) |
		    (c->outlen > 0 ? POLLOUT : 0);
	}
	return n;
}

void
ctl_dispatch(struct dotscd *d, struct pollfd *pfd, int n)
{
	struct ctl_conn *c, *next;
	int i;

	for (i = 1, c = d->conns; c != NULL && i < n; c = next, i++) {
		next = c->next;
		if (pfd[i].fd != c->fd)
			break;
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			conn_read(c);
		if (pfd[i].revents & POLLOUT)
			conn_send(c);
	}
	for (c = d->conns; c != NULL; c = next) {
		next = c->next;
		conn_send(c);
		if (c->eof && !c->watching && c->slots == NULL)
			c->closing = true;
		if (c->closing && c->outlen == 0)
			conn_free(c);
	}
	if (n > 0 && (pfd[0].revents & POLLIN))
		ctl_accept(d);
}
