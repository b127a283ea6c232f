/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The conversation with dotsd over its control socket: one request line,
 * then its answer, checked by ctl_reply_parse() and printed as a table
 * or, with --json, as dotsd's result.  dotsd answers `mitigations` a
 * page at a time (docs/control-protocol.md); the pages are asked for in
 * turn and printed as one list, so that a script sees the result it
 * would have had in one answer.  An answer line may be longer than a
 * request's 65536 bytes (a page of mitigations); up to ANSWER_MAX is
 * read.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl_srv.h"

#define ANSWER_MAX	(64 * 1024 * 1024)
#define ANSWER_MS	10000
#define PAGES_MAX	100000

struct srv_conn {
	int		 fd;
	char		*buf;
	size_t		 len, cap;
};

static int
srv_open(struct srv_conn *c, const char *path)
{
	return ctl_line_connect(path, "dotsd", CTL_SRV_SOCKET_ENV, &c->fd);
}

static int
srv_send(struct srv_conn *c, json_t *req)
{
	return ctl_line_send(c->fd, req, "dotsd", NULL);
}

/* Room for more input; -1 once an answer would pass ANSWER_MAX. */
static int
srv_grow(struct srv_conn *c)
{
	size_t cap;
	char *n;

	if (c->cap - c->len > 1)
		return 0;
	if (c->cap >= ANSWER_MAX) {
		fprintf(stderr, "dotsctl: dotsd sent a line longer than %d "
		    "bytes\n", ANSWER_MAX);
		return -1;
	}
	cap = c->cap ? c->cap * 2 : 65536;
	if ((n = realloc(c->buf, cap)) == NULL) {
		fprintf(stderr, "dotsctl: out of memory\n");
		return -1;
	}
	c->buf = n;
	c->cap = cap;
	return 0;
}

/* The answer to request @p id (one line; dotsd sends no events). */
static int
srv_answer(struct srv_conn *c, json_int_t id, struct ctl_reply *r)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	long long deadline = ctl_now_ms() + ANSWER_MS;
	char err[CTL_ERR_MAX], *nl;
	ssize_t n;
	int wait;

	c->len = 0;
	for (;;) {
		if (c->len > 0 &&
		    (nl = memchr(c->buf, '\n', c->len)) != NULL) {
			if (nl + 1 != c->buf + c->len)
				break;	/* more than one answer came */
			if (ctl_reply_parse(c->buf, (size_t)(nl - c->buf), r,
			    err, sizeof(err)) != 0) {
				fprintf(stderr, "dotsctl: dotsd sent a line "
				    "that is not of the control protocol: "
				    "%s\n", err);
				return -1;
			}
			if (r->kind == CTL_REPLY_ANSWER &&
			    (r->id == NULL || ctl_reply_id_is(r, id)))
				return 0;
			ctl_reply_clear(r);
			break;
		}
		if (srv_grow(c) != 0)
			return -1;
		if ((wait = (int)(deadline - ctl_now_ms())) < 0)
			wait = 0;
		if (poll(&pfd, 1, wait) == 0) {
			fprintf(stderr, "dotsctl: dotsd did not answer in "
			    "time\n");
			return -1;
		}
		n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "dotsctl: dotsd closed the connection "
			    "without an answer%s%s\n", n == -1 ? ": " : "",
			    n == -1 ? strerror(errno) : "");
			return -1;
		}
		c->len += (size_t)n;
	}
	fprintf(stderr, "dotsctl: dotsd answered out of turn\n");
	return -1;
}

/* One request and its answer.  @return 0, or -1 (said on stderr). */
static int
srv_call(struct srv_conn *c, const struct ctl_srv_req *req, json_int_t id,
    uint64_t after, struct ctl_reply *r)
{
	json_t *o = ctl_srv_req_json(req, id, after);
	int ret;

	memset(r, 0, sizeof(*r));
	if (o == NULL) {
		fprintf(stderr, "dotsctl: out of memory\n");
		return -1;
	}
	ret = srv_send(c, o);
	json_decref(o);
	return ret != 0 ? -1 : srv_answer(c, id, r);
}

/*
 * The pages after the first, appended to its list.  @return 0, or -1
 * with @p r the failed answer (or cleared, when said on stderr).
 */
static int
more_pages(struct srv_conn *c, const struct ctl_srv_req *req,
    json_t *all, struct ctl_reply *r)
{
	json_t *more = json_object_get(all, "more"), *page, *last;
	json_int_t after;
	json_int_t id;

	for (id = 2; json_is_true(more) && id < PAGES_MAX; id++) {
		page = json_object_get(all, "mitigations");
		last = json_array_get(page, json_array_size(page) - 1);
		after = json_integer_value(json_object_get(last, "id"));
		if (after <= 0) {
			fprintf(stderr, "dotsctl: dotsd said more mitigations "
			    "follow a page without ids\n");
			return -1;
		}
		if (srv_call(c, req, id, (uint64_t)after, r) != 0)
			return -1;
		if (!r->ok)
			return -1;
		page = json_object_get(r->result, "mitigations");
		more = json_object_get(r->result, "more");
		if (!json_is_array(page) || json_array_extend(
		    json_object_get(all, "mitigations"), page) != 0 ||
		    json_object_set(all, "more", json_is_true(more) ?
		    json_true() : json_false()) != 0) {
			fprintf(stderr, "dotsctl: dotsd's page of mitigations "
			    "is not a list\n");
			ctl_reply_clear(r);
			return -1;
		}
		more = json_object_get(all, "more");
		ctl_reply_clear(r);
	}
	return 0;
}

static int
show_error(const struct ctl_srv_req *req, struct ctl_reply *r)
{
	char *text;

	ctl_print_error(stderr, r);
	if (req->json && (text = json_dumps(r->root, JSON_COMPACT |
	    JSON_PRESERVE_ORDER)) != NULL) {
		printf("%s\n", text);
		free(text);
	}
	return CTL_EXIT_FAILED;
}

static int
show(const struct ctl_srv_req *req, json_t *result)
{
	char *text;

	if (req->json) {
		text = json_dumps(result, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", text != NULL ? text : "{}");
		free(text);
	} else
		ctl_srv_print(stdout, req->cmd, result);
	return CTL_EXIT_OK;
}

static int
converse(struct srv_conn *c, const struct ctl_srv_req *req)
{
	struct ctl_reply r;
	json_t *all;
	int ret;

	if (srv_call(c, req, 1, 0, &r) != 0)
		return CTL_EXIT_UNREACHABLE;
	if (!r.ok) {
		ret = show_error(req, &r);
		ctl_reply_clear(&r);
		return ret;
	}
	if (req->cmd != CTL_SRV_MITIGATIONS) {
		ret = show(req, r.result);
		ctl_reply_clear(&r);
		return ret;
	}
	all = json_incref(r.result);
	ctl_reply_clear(&r);
	if (all == NULL)
		all = json_object();
	if (more_pages(c, req, all, &r) != 0) {
		ret = r.root != NULL ? show_error(req, &r) :
		    CTL_EXIT_UNREACHABLE;
		ctl_reply_clear(&r);
		json_decref(all);
		return ret;
	}
	json_object_del(all, "more");
	ret = show(req, all);
	json_decref(all);
	return ret;
}

int
ctl_srv_run(const struct ctl_srv_req *req, const char *path)
{
	struct srv_conn c = { .fd = -1 };
	int ret;

	signal(SIGPIPE, SIG_IGN);
	if ((ret = srv_open(&c, path)) == CTL_EXIT_OK)
		ret = converse(&c, req);
	if (c.fd != -1)
		close(c.fd);
	free(c.buf);
	return ret;
}

void
ctl_srv_help(FILE *f)
{
	fprintf(f,
	    "dotsctl server: the administrator's commands to dotsd, the DOTS "
	    "server\n\n"
	    "usage: dotsctl server [-s PATH] [--json] COMMAND\n\n"
	    "  mitigations [--client NAME]\n"
	    "        every mitigation dotsd holds (or NAME's): id, client, "
	    "mid, status,\n"
	    "        targets, lifetime left, mitigator, failure\n"
	    "  approvals\n"
	    "        the mitigations held for an administrator's decision\n"
	    "  approve ID\n"
	    "        hand held mitigation ID to its mitigators\n"
	    "  reject ID --why TEXT\n"
	    "        refuse it; the client is told TEXT (at most %d bytes)\n"
	    "  clients\n"
	    "        the configured clients, their sessions and "
	    "mitigations\n\n"
	    "Options:\n"
	    "  -s, --socket PATH  dotsd's socket (default $"
	    CTL_SRV_SOCKET_ENV ",\n"
	    "                     else " CTL_SRV_SOCKET_DEFAULT ")\n"
	    "  -j, --json         print dotsd's result as JSON\n"
	    "  -h, --help         this help\n\n"
	    "Exit status: 0 done, 1 refused or failed, 2 bad usage (nothing "
	    "sent),\n3 dotsd not reachable.\n", CTL_SRV_WHY_MAX);
}
