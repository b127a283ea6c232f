/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A heartbeat-only DOTS server on 127.0.0.1, DTLS with the server
 * certificate of scripts/dots-certs.sh, run in dots_client_test's own
 * loop.  When a client's first heartbeat comes, it sends one good
 * heartbeat and one without a body; it answers the client's heartbeats
 * with 2.04 and counts those that say they heard ours (peer-hb-status
 * true).
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <coap3/coap.h>

#include <dots/cbor.h>
#include <dots/keys.h>
#include <dots/model.h>

#include "dots_client_hbsrv.h"

struct hbsrv_stats	 hbsrv;
static coap_context_t	*ctx;
static char		 ca[1024], cert[1024], key[1024];

static void
send_hb(coap_session_t *s, bool good)
{
	struct dots_signal *m = dots_signal_new(DOTS_SIG_HEARTBEAT);
	coap_pdu_t *pdu;
	uint8_t buf[32], cf[4], tok[2] = { 'h', good ? 'g' : 'b' };
	size_t len = 0;

	pdu = coap_pdu_init(COAP_MESSAGE_NON, COAP_REQUEST_CODE_PUT,
	    coap_new_message_id(s), coap_session_max_pdu_size(s));
	if (pdu == NULL || m == NULL)
		exit(2);
	coap_add_token(pdu, sizeof(tok), tok);
	coap_add_option(pdu, COAP_OPTION_URI_PATH, 11,
	    (const uint8_t *)".well-known");
	coap_add_option(pdu, COAP_OPTION_URI_PATH, 4, (const uint8_t *)"dots");
	coap_add_option(pdu, COAP_OPTION_URI_PATH, 2, (const uint8_t *)"hb");
	if (good) {
		m->heartbeat.present = DOTS_HB_PEER_STATUS;
		m->heartbeat.peer_hb_status = true;
		if (dots_cbor_encode_signal(m, buf, sizeof(buf), &len) != 0)
			exit(2);
		coap_add_option(pdu, COAP_OPTION_CONTENT_FORMAT,
		    coap_encode_var_safe(cf, sizeof(cf), DOTS_CONTENT_FORMAT),
		    cf);
		coap_add_data(pdu, len, buf);
	}
	dots_signal_free(m);
	if (coap_send(s, pdu) != COAP_INVALID_MID) {
		if (good)
			hbsrv.sent++;
		else
			hbsrv.bad_sent++;
	}
}

static coap_response_t
on_response(coap_session_t *s, const coap_pdu_t *sent, const coap_pdu_t *rcvd,
    const coap_mid_t mid)
{
	coap_bin_const_t tok = coap_pdu_get_token(rcvd);
	coap_pdu_code_t code = coap_pdu_get_code(rcvd);

	(void)s;
	(void)sent;
	(void)mid;
	if (tok.length == 2 && tok.s[1] == 'g' &&
	    code == COAP_RESPONSE_CODE(204))
		hbsrv.answered_204++;
	if (tok.length == 2 && tok.s[1] == 'b' &&
	    code == COAP_RESPONSE_CODE(400))
		hbsrv.answered_400++;
	return COAP_RESPONSE_OK;
}

/* The client's own heartbeats. */
static void
hnd_hb(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
    const coap_string_t *query, coap_pdu_t *resp)
{
	struct dots_signal *m;
	const uint8_t *data;
	size_t len;

	(void)r;
	(void)query;
	hbsrv.got++;
	if (coap_get_data(req, &len, &data) &&
	    dots_cbor_decode_signal(data, len, &m, NULL) == 0) {
		if (m->kind == DOTS_SIG_HEARTBEAT &&
		    m->heartbeat.peer_hb_status)
			hbsrv.got_peer_true++;
		dots_signal_free(m);
	}
	coap_pdu_set_code(resp, COAP_RESPONSE_CODE(204));
	if (hbsrv.got == 1) {
		/* the client is there: heartbeats of ours, good and bad */
		send_hb(s, true);
		send_hb(s, false);
	}
}

int
hbsrv_start(const char *certdir, uint16_t port)
{
	coap_dtls_pki_t pki;
	coap_address_t addr;
	coap_resource_t *r;

	snprintf(ca, sizeof(ca), "%s/ca.pem", certdir);
	snprintf(cert, sizeof(cert), "%s/server.pem", certdir);
	snprintf(key, sizeof(key), "%s/server-key.pem", certdir);
	if ((ctx = coap_new_context(NULL)) == NULL)
		return -1;
	memset(&pki, 0, sizeof(pki));
	pki.version = COAP_DTLS_PKI_SETUP_VERSION;
	pki.verify_peer_cert = 1;
	pki.check_common_ca = 1;
	pki.cert_chain_validation = 1;
	pki.cert_chain_verify_depth = 3;
	pki.pki_key.key_type = COAP_PKI_KEY_PEM;
	pki.pki_key.key.pem.ca_file = ca;
	pki.pki_key.key.pem.public_cert = cert;
	pki.pki_key.key.pem.private_key = key;
	if (!coap_context_set_pki(ctx, &pki))
		return -1;
	coap_address_init(&addr);
	addr.addr.sin.sin_family = AF_INET;
	addr.addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.addr.sin.sin_port = htons(port);
	addr.size = sizeof(addr.addr.sin);
	if (coap_new_endpoint(ctx, &addr, COAP_PROTO_DTLS) == NULL)
		return -1;
	if ((r = coap_resource_init(coap_make_str_const(".well-known/dots/hb"),
	    0)) == NULL)
		return -1;
	coap_register_handler(r, COAP_REQUEST_PUT, hnd_hb);
	coap_add_resource(ctx, r);
	coap_register_response_handler(ctx, on_response);
	return 0;
}

void
hbsrv_process(void)
{
	coap_io_process(ctx, COAP_IO_NO_WAIT);
}

void
hbsrv_stop(void)
{
	coap_free_context(ctx);
	ctx = NULL;
}
