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
 * The answers stay ours, never libcoap's: libcoap 4.3.1 drops an async
 * without a word when its session goes, so a kept answer whose async is
 * gone is freed at the next release (or at shutdown) instead of leaking.
 */
#include <stdint.h>
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
	coap_session_t		*session;	/* referenced */
	uint8_t			 token[8];
	size_t			 token_len;
	struct sig_reply	*reply;
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

/* Room for one more entry in @p *v. */
static int
pending_grow(struct sig_pending **v, size_t n, size_t *cap)
{
	struct sig_pending *bigger;
	size_t c = *cap ? *cap * 2 : 64;

	if (n < *cap)
		return 0;
	bigger = realloc(*v, c * sizeof(*bigger));
	if (bigger == NULL)
		return -1;
	*v = bigger;
	*cap = c;
	return 0;
}

static void
pending_drop(struct sig_pending *v, size_t *n, size_t i)
{
	sig_reply_free(v[i].reply);
	coap_session_release(v[i].session);
	v[i] = v[--*n];
}

static bool
same_token(const struct sig_pending *p, coap_bin_const_t tok)
{
	return tok.length == p->token_len &&
	    memcmp(tok.s, p->token, tok.length) == 0;
}

/* Handler entry: is this the second call, for an answer we kept? */
bool
sig_deferred(coap_session_t *s, const coap_pdu_t *req, coap_pdu_t *resp)
{
	struct dotsd *d = sig_dotsd(s);
	coap_bin_const_t tok = coap_pdu_get_token(req);
	size_t i;

	if (coap_find_async(s, tok) == NULL)
		return false;
	for (i = 0; i < d->nreleased; i++) {
		if (d->released[i].session != s ||
		    !same_token(&d->released[i], tok))
			continue;
		if (d->released[i].reply != NULL)
			sig_reply_write(resp, d->released[i].reply);
		else
			sig_reply_error(resp, 500, "out of memory");
		pending_drop(d->released, &d->nreleased, i);
		break;
	}
	return true;	/* libcoap frees the async after this call */
}

/*
 * libcoap (4.3.1) answers a request whose Hop-Limit is 1 with 5.08 before
 * any handler, and hands the handler the value less one (RFC 8768, as a
 * proxy).  A held request goes through that code again when its answer
 * is released: with 2 received it would be answered 5.08 although it was
 * handled.  Its option is set to 255 in the request before it is kept
 * (the handler read it already), so that the second pass leaves it be.
 */
static void
hop_limit_disarm(const coap_pdu_t *req)
{
	coap_opt_iterator_t it;
	coap_opt_t *opt = coap_check_option(req, COAP_OPTION_HOP_LIMIT, &it);

	/* the request's own bytes, which libcoap gives handlers as const */
	if (opt != NULL && coap_opt_length(opt) == 1)
		*(uint8_t *)(uintptr_t)coap_opt_value(opt) = 255;
}

/* Hold @p r (ownership taken) until the turn's commit. */
void
sig_defer(struct dotsd *d, coap_session_t *s, const coap_pdu_t *req,
    coap_pdu_t *resp, struct sig_reply *r)
{
	coap_bin_const_t tok = coap_pdu_get_token(req);
	struct sig_pending *p;

	if (r == NULL) {
		sig_reply_error(resp, 500, "out of memory");
		return;
	}
	if (tok.length > sizeof(p->token) ||
	    pending_grow(&d->pending, d->npending, &d->cappending) != 0 ||
	    pending_grow(&d->released, d->nreleased + d->npending,
	    &d->capreleased) != 0)
		goto now;
	hop_limit_disarm(req);
	/* delay 0: wait until coap_async_trigger() */
	if (coap_register_async(s, req, 0) == NULL)
		goto now;
	p = &d->pending[d->npending++];
	p->session = coap_session_reference(s);
	memcpy(p->token, tok.s, tok.length);
	p->token_len = tok.length;
	p->reply = r;
	/* no code: libcoap sends only an empty ACK for a CON request */
	return;
now:
	/* cannot hold it: answer now rather than never */
	sig_reply_write(resp, r);
	sig_reply_free(r);
}

/*
 * After the commit: release every held answer (5.03 if it failed).  Room
 * in the released list was made when each was held.
 */
void
sig_release_deferred(struct dotsd *d, bool committed)
{
	size_t i;

	/* released before, and their async gone without a handler call */
	for (i = 0; i < d->nreleased; ) {
		struct sig_pending *p = &d->released[i];
		coap_bin_const_t tok = { p->token_len, p->token };

		if (coap_find_async(p->session, tok) == NULL)
			pending_drop(d->released, &d->nreleased, i);
		else
			i++;
	}
	for (i = 0; i < d->npending; i++) {
		struct sig_pending *p = &d->pending[i];
		coap_bin_const_t tok = { p->token_len, p->token };
		coap_async_t *a = coap_find_async(p->session, tok);

		if (a == NULL) {
			sig_reply_free(p->reply);
			coap_session_release(p->session);
			continue;
		}
		if (!committed) {
			sig_reply_free(p->reply);
			p->reply = sig_reply_new(503, NULL,
			    "the request could not be stored", 5);
		}
		coap_async_trigger(a);
		d->released[d->nreleased++] = *p;
	}
	d->npending = 0;
}

/* At shutdown: whatever is still held or unsent. */
void
sig_defer_free(struct dotsd *d)
{
	while (d->npending > 0)
		pending_drop(d->pending, &d->npending, 0);
	while (d->nreleased > 0)
		pending_drop(d->released, &d->nreleased, 0);
	free(d->pending);
	free(d->released);
	d->pending = d->released = NULL;
	d->cappending = d->capreleased = 0;
}
