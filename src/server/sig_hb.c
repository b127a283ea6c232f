/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * /.well-known/dots/hb: heartbeats from the client (RFC 9132 section 4.7).
 * A heartbeat, like any request, tells the server the client's signal
 * channel is alive; its absence for missing-hb-allowed intervals is what
 * triggers the client's preconfigured mitigations (main.c's timer).
 */
#include "dotsd.h"

void
sig_hb_handle(coap_resource_t *rsrc, coap_session_t *s, const coap_pdu_t *req,
    const coap_string_t *query, coap_pdu_t *resp)
{
	struct sig_session *ss = sig_session_of(s);
	struct dots_signal *msg;
	struct dots_diag diag;
	char err[DOTS_DIAG_PATH_MAX + DOTS_DIAG_MSG_MAX];

	(void)rsrc;
	(void)query;
	if (ss == NULL) {
		sig_reply_error(resp, 401, "no authenticated client");
		return;
	}
	if (sig_request_body(req, resp, &msg) != 0)
		return;
	if (dots_validate_signal(msg, DOTS_ROLE_HEARTBEAT, &diag) != DOTS_OK) {
		sig_reply_error(resp, dots_err_coap_code(diag.err),
		    dots_diag_format(&diag, err, sizeof(err)));
		dots_signal_free(msg);
		return;
	}
	dots_signal_free(msg);
	ss->client->mc.last_heard = time(NULL);
	ss->client->mc.signal_lost = false;
	coap_pdu_set_code(resp, COAP_RESPONSE_CODE(204));
}

int
sig_hb_init(struct dotsd *d)
{
	coap_resource_t *r;

	r = coap_resource_init(coap_make_str_const(".well-known/dots/hb"), 0);
	if (r == NULL)
		return -1;
	coap_register_handler(r, COAP_REQUEST_PUT, sig_hb_handle);
	coap_add_resource(d->ctx, r);
	return 0;
}
