/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Small pieces every signal-channel handler needs: reading the Uri-Path
 * and the CBOR body of a request with the RFC 9132 checks (Content-Format
 * 4.15, size 4.13, malformed 4.00 with libdots' diagnostic), and writing
 * error and CBOR responses.  libcoap types stay in sig_*.c files.
 */
#include <stdio.h>
#include <string.h>

#include <dots/cbor.h>
#include <dots/keys.h>

#include "dotsd.h"

#define URI_SEGS_MAX	8

void
sig_reply_error(coap_pdu_t *resp, int code, const char *diag)
{
	coap_pdu_set_code(resp, COAP_RESPONSE_CODE(code));
	if (diag != NULL && diag[0] != '\0')
		coap_add_data(resp, strlen(diag), (const uint8_t *)diag);
}

int
sig_reply_body(coap_pdu_t *resp, int code, const struct dots_signal *body)
{
	uint8_t buf[DOTS_CBOR_MAX_BODY], cf[4];
	size_t len;

	if (dots_cbor_encode_signal(body, buf, sizeof(buf), &len) != DOTS_OK) {
		sig_reply_error(resp, 500, "cannot encode the response");
		return -1;
	}
	coap_pdu_set_code(resp, COAP_RESPONSE_CODE(code));
	coap_add_option(resp, COAP_OPTION_CONTENT_FORMAT,
	    coap_encode_var_safe(cf, sizeof(cf), DOTS_CONTENT_FORMAT), cf);
	coap_add_data(resp, len, buf);
	return 0;
}

/*
 * Decode the request's CBOR body.  On failure the error response is
 * already in @p resp and -1 is returned.
 */
int
sig_request_body(const coap_pdu_t *req, coap_pdu_t *resp,
    struct dots_signal **out)
{
	struct dots_diag diag;
	coap_opt_iterator_t it;
	coap_opt_t *opt;
	const uint8_t *data;
	size_t len, offset, total;
	char text[DOTS_DIAG_PATH_MAX + DOTS_DIAG_MSG_MAX + 4];

	*out = NULL;
	opt = coap_check_option(req, COAP_OPTION_CONTENT_FORMAT, &it);
	if (opt != NULL && coap_decode_var_bytes(coap_opt_value(opt),
	    coap_opt_length(opt)) != DOTS_CONTENT_FORMAT) {
		sig_reply_error(resp, 415, "Content-Format must be "
		    "application/dots+cbor (271)");
		return -1;
	}
	if (!coap_get_data_large(req, &len, &data, &offset, &total)) {
		sig_reply_error(resp, 400, "the request has no body");
		return -1;
	}
	if (offset != 0 || len != total || total > DOTS_CBOR_MAX_BODY) {
		sig_reply_error(resp, 413, "the body is too large");
		return -1;
	}
	if (dots_cbor_decode_signal(data, len, out, &diag) != DOTS_OK) {
		sig_reply_error(resp, dots_err_coap_code(diag.err),
		    dots_diag_format(&diag, text, sizeof(text)));
		return -1;
	}
	return 0;
}

int
sig_uri_of(const coap_pdu_t *req, struct dots_uri *uri, char *err,
    size_t errlen)
{
	const char *segs[URI_SEGS_MAX];
	size_t lens[URI_SEGS_MAX], n = 0;
	struct dots_diag diag;
	coap_opt_iterator_t it;
	coap_opt_t *opt;

	coap_option_iterator_init(req, &it, COAP_OPT_ALL);
	while ((opt = coap_option_next(&it)) != NULL) {
		if (it.number != COAP_OPTION_URI_PATH)
			continue;
		if (n == URI_SEGS_MAX) {
			snprintf(err, errlen, "too many Uri-Path segments");
			return -1;
		}
		segs[n] = (const char *)coap_opt_value(opt);
		lens[n++] = coap_opt_length(opt);
	}
	if (dots_uri_parse(segs, lens, n, uri, &diag) != DOTS_OK) {
		dots_diag_format(&diag, err, errlen);
		return -1;
	}
	return 0;
}

struct dotsd *
sig_dotsd(coap_session_t *s)
{
	return coap_get_app_data(coap_session_get_context(s));
}
