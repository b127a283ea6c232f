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
#include <stdlib.h>
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

static void
free_body(coap_session_t *s, void *buf)
{
	(void)s;
	free(buf);
}

/*
 * A CBOR answer of any size: libcoap sends what does not fit one datagram
 * with Block2 (RFC 7959), as a GET of every mitigation of a busy client
 * needs.  max_age -1: no Max-Age option.
 */
int
sig_reply_body(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
    coap_pdu_t *resp, const coap_string_t *query, int code,
    const struct dots_signal *body, int max_age)
{
	size_t cap = 1024, len = 0;
	uint8_t *buf = NULL, *bigger;
	int ret;

	do {
		if ((bigger = realloc(buf, cap)) == NULL) {
			free(buf);
			sig_reply_error(resp, 500, "out of memory");
			return -1;
		}
		buf = bigger;
		ret = dots_cbor_encode_signal(body, buf, cap, &len);
		cap = len;
	} while (ret == DOTS_ENOSPC);
	if (ret != DOTS_OK) {
		free(buf);
		sig_reply_error(resp, 500, "cannot encode the response");
		return -1;
	}
	coap_pdu_set_code(resp, COAP_RESPONSE_CODE(code));
	if (!coap_add_data_large_response(r, s, req, resp, query,
	    DOTS_CONTENT_FORMAT, max_age, 0, len, buf, free_body, buf)) {
		free(buf);	/* not taken: libcoap released nothing */
		sig_reply_error(resp, 500, "cannot send the response");
		return -1;
	}
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
