/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The conversation with dotscd over its UNIX socket: one request line,
 * then lines until the answer with our id (events that come first are
 * skipped), printed as a table or, with --json, as the daemon's result.
 * `status --watch` lists first, then sends `watch` and prints each event
 * until interrupted or until the daemon closes the connection.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

#define ANSWER_SLACK_MS	10000	/* beyond the wait asked for */

struct conn {
	int		 fd;
	char		 buf[CTL_LINE_MAX + 2];
	size_t		 len;		/* bytes in buf */
	size_t		 skip;		/* the last line returned */
};

static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int
conn_open(struct conn *c, const char *path)
{
	return ctl_line_connect(path, "dotscd", CTL_SOCKET_ENV, &c->fd);
}

static int
conn_send(struct conn *c, json_t *req)
{
	return ctl_line_send(c->fd, req, "dotscd", &interrupted);
}

/*
 * The next line, NUL-terminated in c->buf, valid until the next call.
 * @return 1 a line, 0 end of file or interrupted, -1 error or timeout
 *         (@p deadline_ms < 0: none)
 */
static int
conn_line(struct conn *c, char **line, size_t *len, long long deadline_ms)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	char *nl;
	ssize_t n;
	int wait;

	memmove(c->buf, c->buf + c->skip, c->len - c->skip);
	c->len -= c->skip;
	c->skip = 0;
	for (;;) {
		if ((nl = memchr(c->buf, '\n', c->len)) != NULL) {
			*nl = '\0';
			*line = c->buf;
			*len = (size_t)(nl - c->buf);
			c->skip = *len + 1;
			return 1;
		}
		if (c->len > CTL_LINE_MAX) {
			fprintf(stderr, "dotsctl: dotscd sent a line longer "
			    "than %d bytes\n", CTL_LINE_MAX);
			return -1;
		}
		wait = -1;
		if (deadline_ms >= 0 &&
		    (wait = (int)(deadline_ms - ctl_now_ms())) < 0)
			wait = 0;
		if (interrupted)
			return 0;
		switch (poll(&pfd, 1, wait)) {
		case -1:
			if (errno == EINTR)
				continue;
			fprintf(stderr, "dotsctl: poll: %s\n", strerror(errno));
			return -1;
		case 0:
			fprintf(stderr, "dotsctl: dotscd did not answer in "
			    "time\n");
			return -1;
		}
		n = read(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			fprintf(stderr, "dotsctl: reading from dotscd: %s\n",
			    strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		c->len += (size_t)n;
	}
}

/* Wait for the answer to request @p id; events before it are skipped. */
static int
conn_answer(struct conn *c, json_int_t id, struct ctl_reply *r,
    long long deadline_ms)
{
	char err[CTL_ERR_MAX], *line;
	size_t len;
	int ret;

	for (;;) {
		if ((ret = conn_line(c, &line, &len, deadline_ms)) <= 0) {
			if (ret == 0)
				fprintf(stderr, "dotsctl: dotscd closed the "
				    "connection without an answer\n");
			return -1;
		}
		if (ctl_reply_parse(line, len, r, err, sizeof(err)) != 0) {
			fprintf(stderr, "dotsctl: dotscd sent a line that is "
			    "not of the control protocol: %s\n", err);
			return -1;
		}
		if (r->kind == CTL_REPLY_ANSWER && ctl_reply_id_is(r, id))
			return 0;
		ctl_reply_clear(r);
	}
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* After the list: the events, until interrupted. */
static int
watch(struct conn *c, const struct ctl_req *req)
{
	struct ctl_reply r;
	json_t *w;
	char err[CTL_ERR_MAX], *line, *text;
	size_t len;
	int ret;

	if ((w = json_pack("{s:I,s:s}", "id", (json_int_t)2, "cmd",
	    "watch")) == NULL || conn_send(c, w) != 0) {
		json_decref(w);
		return CTL_EXIT_FAILED;
	}
	json_decref(w);
	if (conn_answer(c, 2, &r, ctl_now_ms() + ANSWER_SLACK_MS) != 0)
		return interrupted ? CTL_EXIT_OK : CTL_EXIT_UNREACHABLE;
	if (!r.ok) {
		ctl_print_error(stderr, &r);
		ctl_reply_clear(&r);
		return CTL_EXIT_FAILED;
	}
	ctl_reply_clear(&r);
	if (!req->json)
		printf("-- watching; interrupt to stop\n");
	fflush(stdout);
	while ((ret = conn_line(c, &line, &len, -1)) > 0) {
		if (ctl_reply_parse(line, len, &r, err, sizeof(err)) != 0) {
			fprintf(stderr, "dotsctl: dotscd sent a line that is "
			    "not of the control protocol: %s\n", err);
			return CTL_EXIT_FAILED;
		}
		if (r.kind == CTL_REPLY_EVENT) {
			if (req->json) {
				if ((text = json_dumps(r.root, JSON_COMPACT |
				    JSON_PRESERVE_ORDER)) != NULL)
					printf("%s\n", text);
				free(text);
				fflush(stdout);
			} else
				ctl_print_event(stdout, r.root);
		}
		ctl_reply_clear(&r);
	}
	if (ret == 0 && interrupted)
		return CTL_EXIT_OK;
	if (ret == 0)
		fprintf(stderr, "dotsctl: dotscd closed the connection\n");
	return CTL_EXIT_UNREACHABLE;
}

int
ctl_sock_run(const char *path, const struct ctl_req *req,
    const struct dots_signal *scope, json_t *set)
{
	struct conn *c;
	struct ctl_reply r;
	json_t *o;
	long long deadline;
	int ret;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		fprintf(stderr, "dotsctl: out of memory\n");
		return CTL_EXIT_FAILED;
	}
	signal(SIGPIPE, SIG_IGN);
	if (req->watch)
		catch_signals();
	if ((ret = conn_open(c, path)) != CTL_EXIT_OK)
		goto out;
	ret = CTL_EXIT_FAILED;
	if ((o = ctl_req_json(req, 1, scope, set)) == NULL) {
		fprintf(stderr, "dotsctl: out of memory\n");
		goto out;
	}
	if (conn_send(c, o) != 0) {
		json_decref(o);
		ret = CTL_EXIT_UNREACHABLE;
		goto out;
	}
	json_decref(o);
	deadline = ctl_now_ms() + ANSWER_SLACK_MS +
	    (req->has_wait ? req->wait : 5) * 1000LL;
	if (conn_answer(c, 1, &r, deadline) != 0) {
		ret = interrupted ? CTL_EXIT_OK : CTL_EXIT_UNREACHABLE;
		goto out;
	}
	ret = ctl_show(req, &r);
	ctl_reply_clear(&r);
	if (ret == CTL_EXIT_OK && req->watch)
		ret = watch(c, req);
out:
	if (c->fd > 0)
		close(c->fd);
	free(c);
	return ret;
}
