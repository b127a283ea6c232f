/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The synchronous layer: send one request and run the client's loop
 * until its answer, its timeout or the loss of the session.  Whatever
 * else happens meanwhile (notifications, events) is delivered to its own
 * callbacks as usual.
 */
#include <stdio.h>
#include <string.h>

#include <dots/error.h>

#include "client_int.h"

struct sync_wait {
	struct dots_client	*c;
	struct dots_reply	*out;
	bool			 done;
};

static void
sync_cb(void *arg, const struct dots_reply *r)
{
	struct sync_wait *w = arg;

	*w->out = *r;
	w->out->body = dots_client_take_body(w->c);
	w->done = true;
}

int
dots_client_call(struct dots_client *c, const struct dots_request *r,
    struct dots_reply *out)
{
	struct sync_wait w = { c, out, false };
	int ret;

	memset(out, 0, sizeof(*out));
	if (r != NULL && (r->flags & DOTS_REQ_OBSERVE))
		ret = DOTS_EINVAL;
	else
		ret = dots_client_send(c, r, sync_cb, &w, NULL);
	if (ret != DOTS_OK) {
		out->error = ret;
		snprintf(out->diag, sizeof(out->diag), "%s",
		    dots_client_strerror(ret));
		return ret;
	}
	/* the request's own deadline ends the wait */
	while (!w.done)
		if (dots_client_process(c, 100) != 0 && !w.done &&
		    c->state == CL_DOWN && TAILQ_EMPTY(&c->done))
			break;
	if (!w.done) {
		out->error = DOTS_CLIENT_ESESSION;
		snprintf(out->diag, sizeof(out->diag), "%s",
		    dots_client_strerror(DOTS_CLIENT_ESESSION));
	}
	return out->error;
}

void
dots_reply_clear(struct dots_reply *r)
{
	if (r == NULL)
		return;
	dots_signal_free(r->body);
	memset(r, 0, sizeof(*r));
}
