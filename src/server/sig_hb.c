/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Heartbeats, both ways (RFC 9132 section 4.7).
 *
 * /.well-known/dots/hb on this server: a client's heartbeat, like any
 * request, tells the server the client's signal channel is alive; its
 * absence for missing-hb-allowed intervals is what triggers the client's
 * preconfigured mitigations (server.c's timer).
 *
 * The server sends its own to every authenticated session, a NON PUT
 * /.well-known/dots/hb each heartbeat-interval of the client's current
 * session configuration (mitigating-config while the client has
 * mitigations, idle-config otherwise), so that the client can tell a dead
 * server from a quiet one.  peer-hb-status says whether this session
 * brought a heartbeat from the client within the last two intervals.
 * After missing-hb-allowed heartbeats with no answer and no other traffic
 * from the client, the session is taken as lost and gets no more until
 * the client is heard again; libcoap then drops it once it is idle.
 */
#include <stdio.h>
#include <string.h>

#include <dots/cbor.h>
#include <dots/keys.h>

#include "dotsd.h"
#include "log.h"

#define HB_BODY_MAX	16

/* The two possible bodies, peer-hb-status false and true, encoded once. */
static uint8_t hb_body[2][HB_BODY_MAX];
static size_t hb_len[2];
static struct log_rl hb_rl = LOG_RL_INIT(10, 1000);

void
sig_hb_handle(coap_resource_t *rsrc, coap_session_t *s, const coap_pdu_t *req,
    const coap_string_t *query, coap_pdu_t *resp)
{
	struct sig_session *ss = sig_session_of(s);
	struct dots_signal *msg;
	struct dots_diag diag;
	char err[DOTS_DIAG_PATH_MAX + DOTS_DIAG_MSG_MAX];
	time_t now = time(NULL);

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
	/*
	 * The client does not hear our heartbeats: answer with one at the
	 * next tick rather than wait for the interval (section 4.7).
	 */
	if (!msg->heartbeat.peer_hb_status)
		ss->hb_now = true;
	dots_signal_free(msg);
	ss->hb_heard = now;
	ss->client->mc.last_heard = now;
	ss->client->mc.signal_lost = false;
	coap_pdu_set_code(resp, COAP_RESPONSE_CODE(204));
}

/* The client answered a request of ours: only heartbeats are sent. */
static coap_response_t
hb_response(coap_session_t *s, const coap_pdu_t *sent, const coap_pdu_t *rcvd,
    const coap_mid_t mid)
{
	struct sig_session *ss = sig_session_of(s);
	coap_pdu_code_t code = coap_pdu_get_code(rcvd);

	(void)sent;
	(void)mid;
	if (ss == NULL)
		return COAP_RESPONSE_OK;
	if (code != COAP_RESPONSE_CODE(204))
		log_rl_info(&hb_rl, "client %s answered a heartbeat with "
		    "%d.%02d", ss->client->mc.name, COAP_RESPONSE_CLASS(code),
		    code & 0x1f);
	/* any answer shows the client hears us */
	ss->hb_pending = false;
	ss->hb_missed = 0;
	ss->client->mc.last_heard = time(NULL);
	ss->client->mc.signal_lost = false;
	return COAP_RESPONSE_OK;
}

/*
 * heartbeat-interval and missing-hb-allowed now: the set that applies
 * (RFC 9132 section 4.5), as the client negotiated it or as configured.
 * mit_count() also counts requests not active yet (trigger-mitigation
 * false); they take the mitigating set too.
 */
void
sig_hb_params(struct dotsd *d, const struct dotsd_client *cl, int64_t *hb,
    int64_t *miss)
{
	bool mitigating = mit_count(d->engine, &cl->mc) > 0;
	const struct dots_config_set *lim = mitigating ?
	    &d->limits.mitigating : &d->limits.idle;
	const struct dots_config_set *cs = mitigating ?
	    &cl->config.mitigating_config : &cl->config.idle_config;

	*hb = lim->heartbeat_interval.current_value;
	*miss = lim->missing_hb_allowed.current_value;
	if (cl->has_config && (cs->heartbeat_interval.present &
	    DOTS_CFG_CURRENT))
		*hb = cs->heartbeat_interval.current_value;
	if (cl->has_config && (cs->missing_hb_allowed.present &
	    DOTS_CFG_CURRENT))
		*miss = cs->missing_hb_allowed.current_value;
	if (*miss < 1)
		*miss = 1;
}

static int
hb_send(struct sig_session *ss, bool peer_hb_status)
{
	coap_session_t *s = ss->session;
	coap_pdu_t *pdu;
	uint8_t token[8], cf[4];
	size_t toklen;
	int k = peer_hb_status ? 1 : 0;

	pdu = coap_pdu_init(COAP_MESSAGE_NON, COAP_REQUEST_CODE_PUT,
	    coap_new_message_id(s), coap_session_max_pdu_size(s));
	if (pdu == NULL)
		return -1;
	coap_session_new_token(s, &toklen, token);
	if (!coap_add_token(pdu, toklen, token) ||
	    !coap_add_option(pdu, COAP_OPTION_URI_PATH, 11,
	    (const uint8_t *)".well-known") ||
	    !coap_add_option(pdu, COAP_OPTION_URI_PATH, 4,
	    (const uint8_t *)"dots") ||
	    !coap_add_option(pdu, COAP_OPTION_URI_PATH, 2,
	    (const uint8_t *)"hb") ||
	    !coap_add_option(pdu, COAP_OPTION_CONTENT_FORMAT,
	    coap_encode_var_safe(cf, sizeof(cf), DOTS_CONTENT_FORMAT), cf) ||
	    !coap_add_data(pdu, hb_len[k], hb_body[k])) {
		coap_delete_pdu(pdu);
		return -1;
	}
	return coap_send(s, pdu) == COAP_INVALID_MID ? -1 : 0;
}

void
sig_hb_tick(struct dotsd *d, time_t now)
{
	struct sig_session *ss;
	int64_t hb, miss;

	LIST_FOREACH(ss, &d->sessions, entry) {
		struct dotsd_client *cl = ss->client;
		bool heard;

		if (cl == NULL || coap_session_get_state(ss->session) !=
		    COAP_SESSION_STATE_ESTABLISHED)
			continue;
		sig_hb_params(d, cl, &hb, &miss);
		if (hb <= 0 || (!ss->hb_now && now - ss->hb_sent < hb))
			continue;
		/* anything from the client since our last one answers it */
		heard = !ss->hb_pending || cl->mc.last_heard >= ss->hb_sent;
		if (heard)
			ss->hb_missed = 0;
		else if (ss->hb_missed < (unsigned)miss &&
		    ++ss->hb_missed == (unsigned)miss)
			log_rl_info(&hb_rl, "client %s: %u heartbeats "
			    "unanswered, session taken as lost", cl->mc.name,
			    ss->hb_missed);
		if (ss->hb_missed >= (unsigned)miss) {
			ss->hb_now = false;
			continue;
		}
		if (hb_send(ss, ss->hb_heard != 0 &&
		    now - ss->hb_heard <= 2 * hb) != 0) {
			log_rl_warnx(&hb_rl, "client %s: cannot send a "
			    "heartbeat", cl->mc.name);
			continue;
		}
		ss->hb_sent = now;
		ss->hb_pending = true;
		ss->hb_now = false;
	}
}

int
sig_hb_init(struct dotsd *d)
{
	struct dots_signal *m;
	coap_resource_t *r;
	int k;

	for (k = 0; k < 2; k++) {
		if ((m = dots_signal_new(DOTS_SIG_HEARTBEAT)) == NULL)
			return -1;
		m->heartbeat.present = DOTS_HB_PEER_STATUS;
		m->heartbeat.peer_hb_status = k == 1;
		if (dots_cbor_encode_signal(m, hb_body[k], sizeof(hb_body[k]),
		    &hb_len[k]) != DOTS_OK) {
			dots_signal_free(m);
			return -1;
		}
		dots_signal_free(m);
	}
	r = coap_resource_init(coap_make_str_const(".well-known/dots/hb"), 0);
	if (r == NULL)
		return -1;
	coap_register_handler(r, COAP_REQUEST_PUT, sig_hb_handle);
	coap_add_resource(d->ctx, r);
	coap_register_response_handler(d->ctx, hb_response);
	return 0;
}
