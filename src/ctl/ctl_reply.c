/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * One line from the daemon, checked before anything is printed from it:
 * an answer ({"id", "ok", "result"|"error"}) or an event ({"event"}).  The
 * daemon is trusted but not assumed correct: a member of the wrong type is
 * refused with the reason, never dereferenced, and ctl_print.c still
 * checks each member it shows.  fuzz/fuzz_ctl_reply.c feeds it anything.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"

static int	reply_err(char *err, size_t errlen, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

static int
reply_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A string member, or NULL; -1 if present with another type. */
static int
opt_str(json_t *o, const char *k, const char **out)
{
	json_t *v = json_object_get(o, k);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

static int
parse_error(struct ctl_reply *r, char *err, size_t errlen)
{
	json_t *e = json_object_get(r->root, "error"), *srv;

	if (!json_is_object(e))
		return reply_err(err, errlen, "an answer with ok false and no "
		    "error object");
	if (opt_str(e, "code", &r->code) != 0 || r->code == NULL)
		return reply_err(err, errlen, "error.code is missing or not "
		    "a string");
	if (opt_str(e, "field", &r->field) != 0 ||
	    opt_str(e, "message", &r->message) != 0)
		return reply_err(err, errlen, "error.field or error.message "
		    "is not a string");
	srv = json_object_get(e, "server");
	if (srv == NULL || json_is_null(srv))
		return 0;
	if (!json_is_object(srv) ||
	    opt_str(srv, "code", &r->server_code) != 0 ||
	    opt_str(srv, "diagnostic", &r->server_diag) != 0)
		return reply_err(err, errlen, "error.server is not an object "
		    "of strings code and diagnostic");
	return 0;
}

int
ctl_reply_parse(const char *line, size_t len, struct ctl_reply *r,
    char *err, size_t errlen)
{
	json_error_t je;
	json_t *ok, *ev;

	memset(r, 0, sizeof(*r));
	r->root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (r->root == NULL)
		return reply_err(err, errlen, "not JSON: %s", je.text);
	if (!json_is_object(r->root)) {
		reply_err(err, errlen, "not a JSON object");
		goto fail;
	}
	if ((ev = json_object_get(r->root, "event")) != NULL) {
		if (!json_is_string(ev)) {
			reply_err(err, errlen, "an event name that is not a "
			    "string");
			goto fail;
		}
		r->kind = CTL_REPLY_EVENT;
		r->event = json_string_value(ev);
		return 0;
	}
	r->kind = CTL_REPLY_ANSWER;
	r->id = json_object_get(r->root, "id");
	ok = json_object_get(r->root, "ok");
	if (!json_is_boolean(ok)) {
		reply_err(err, errlen, "neither an answer (with ok) nor an "
		    "event");
		goto fail;
	}
	r->ok = json_is_true(ok);
	if (!r->ok) {
		if (parse_error(r, err, errlen) != 0)
			goto fail;
		return 0;
	}
	r->result = json_object_get(r->root, "result");
	if (r->result != NULL && !json_is_object(r->result)) {
		reply_err(err, errlen, "a result that is not an object");
		goto fail;
	}
	return 0;
fail:
	ctl_reply_clear(r);
	return -1;
}

void
ctl_reply_clear(struct ctl_reply *r)
{
	json_decref(r->root);
	memset(r, 0, sizeof(*r));
}

bool
ctl_reply_id_is(const struct ctl_reply *r, json_int_t id)
{
	return json_is_integer(r->id) && json_integer_value(r->id) == id;
}

int
ctl_reply_exit(const struct ctl_reply *r, enum ctl_cmd cmd)
{
	const char *state = NULL;

	if (!r->ok)
		return CTL_EXIT_FAILED;
	if (cmd != CTL_CMD_MITIGATE && cmd != CTL_CMD_WITHDRAW &&
	    cmd != CTL_CMD_EFFICACY)
		return CTL_EXIT_OK;
	if (opt_str(r->result, "state", &state) != 0 || state == NULL)
		return CTL_EXIT_OK;
	if (strcmp(state, "pending") == 0 || strcmp(state, "withdrawing") == 0)
		return CTL_EXIT_PENDING;
	if (strcmp(state, "failed") == 0)
		return CTL_EXIT_FAILED;
	return CTL_EXIT_OK;
}
