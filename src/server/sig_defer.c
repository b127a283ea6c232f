/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Answers that wait for the disk.  A request that changes state (PUT or
 * DELETE of a mitigation or a session configuration) is processed at once,
 * but its answer is held as a libcoap "separate response" until the loop
 * turn's store transaction has committed.  Only then is it released, so a
 * client never hears "2.01 Created" for a mitigation that a crash could
 * still lose, and one fsync covers every request of the turn.
 *
 * libcoap calls the handler a second time when the held answer is
 * triggered; sig_deferred() recognises that call and sends what was kept.
 */
#include <stdlib.h>
#include <string.h>

#include <dots/cbor.h>
#include <dots/keys.h>

#include "dotsd.h"

struct sig_reply {
	int		 code;
	uint32_t	 max_age;
	bool		 cbor;
	size_t		 len;
	uint8_t		*data;
};

struct sig_pending {
	coap_session_t	*session;
	uint8_t		 token[8];
	size_t		 token_len;
};

struct sig_reply *
sig_reply_new(int code, const struct dots_signal *body, const char *diag,
    uint32_t max_age)
{
	struct sig_reply *r = calloc(1, sizeof(*r));
	uint8_t buf[DOTS_CBOR_MAX_BODY];
	size_t len = 0;

	if (r == NULL)
		return NULL;
	r->code = code;
	r->max_age = max_age;
	if (body != NULL) {
		if (dots_cbor_encode_signal(body, buf, sizeof(buf), &len) !=
		    DOTS_OK) {
			r->code = 500;
			diag = "cannot encode the response";
			body = NULL;
		} else
			r->cbor = true;
	}
	if (body == NULL && diag != NULL)
		len = strlen(diag);
	if (len > 0) {
		r->data = malloc(len);
		if (r->data == NULL) {
			free(r);
			return NULL;
		}
		memcpy(r->data, body != NULL ? buf : (const uint8_t *)diag,
		    len);
		r->len = len;
	}
	return r;
}

void
sig_reply_free(struct sig_reply *r)
{
	if (r == NULL)
		return;
	free(r->data);
	free(r);
}

void
sig_reply_write(coap_pdu_t *resp, const struct sig_reply *r)
{
	uint8_t opt[4];

	coap_pdu_set_code(resp, COAP_RESPONSE_CODE(r->code));
	if (r->cbor)
		coap_add_option(resp, COAP_OPTION_CONTENT_FORMAT,
		    coap_encode_var_safe(opt, sizeof(opt),
		    DOTS_CONTENT_FORMAT), opt);
	if (r->max_age != 0)
		coap_add_option(resp, COAP_OPTION_MAXAGE,
		    coap_encode_var_safe(opt, sizeof(opt), r->max_age), opt);
	if (r->len > 0)
		coap_add_data(resp, r->len, r->data);
}

/* Handler entry: is this the second call, for an answer we kept? */
bool
sig_deferred(coap_session_t *s, const coap_pdu_t *req, coap_pdu_t *resp)
{
	coap_async_t *a = coap_find_async(s, coap_pdu_get_token(req));
	struct sig_reply *r;

	if (a == NULL)
		return false;
	r = coap_async_get_app_data(a);
	if (r != NULL) {
		sig_reply_write(resp, r);
		coap_async_set_app_data(a, NULL);
		sig_reply_free(r);
	}
	return true;	/* libcoap frees the async after this call */
}

/* Hold @p r (ownership taken) until the turn's commit. */
void
sig_defer(struct dotsd *d, coap_session_t *s, const coap_pdu_t *req,
    coap_pdu_t *resp, struct sig_reply *r)
{
	coap_bin_const_t tok = coap_pdu_get_token(req);
	struct sig_pending *p, *bigger;
	coap_async_t *a;

	if (r == NULL) {
		sig_reply_error(resp, 500, "out of memory");
		return;
	}
	if (d->npending == d->cappending) {
		size_t cap = d->cappending ? d->cappending * 2 : 64;

		bigger = realloc(d->pending, cap * sizeof(*bigger));
		if (bigger == NULL)
			goto now;
		d->pending = bigger;
		d->cappending = cap;
	}
	if (tok.length > sizeof(p->token))
		goto now;
	/* delay 0: wait until coap_async_trigger() */
	a = coap_register_async(s, req, 0);
	if (a == NULL)
		goto now;
	coap_async_set_app_data(a, r);
	p = &d->pending[d->npending++];
	p->session = coap_session_reference(s);
	memcpy(p->token, tok.s, tok.length);
	p->token_len = tok.length;
	/* no code: libcoap sends only an empty ACK for a CON request */
	return;
now:
	/* cannot hold it: answer now rather than never */
	sig_reply_write(resp, r);
	sig_reply_free(r);
}

/* After the commit: release every held answer (5.03 if it failed). */
void
sig_release_deferred(struct dotsd *d, bool committed)
{
	size_t i;

	for (i = 0; i < d->npending; i++) {
		struct sig_pending *p = &d->pending[i];
		coap_bin_const_t tok = { p->token_len, p->token };
		coap_async_t *a = coap_find_async(p->session, tok);

		if (a != NULL) {
			if (!committed) {
				sig_reply_free(coap_async_get_app_data(a));
				coap_async_set_app_data(a, sig_reply_new(503,
				    NULL, "the request could not be stored",
				    5));
			}
			coap_async_trigger(a);
		}
		coap_session_release(p->session);
	}
	d->npending = 0;
}
