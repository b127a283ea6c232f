/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Requests, their answers and observations.
 *
 * Every request carries a token of its own (a 64-bit counter from a
 * random start), and answers are matched by token alone: libcoap's block
 * mode, which would track observations itself, is left off so that the
 * library knows exactly what is on the wire.  A request waits in c->reqs
 * until its answer, its timeout or the loss of the session; an
 * observation stays there until cancelled, and is registered again with a
 * new token whenever a new session comes up.  A notification for a token
 * we forgot is answered with RST, which makes the server drop the
 * observer (RFC 7641 section 3.6).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/cbor.h>
#include <dots/keys.h>
#include <dots/validate.h>

#include "client_int.h"

static struct cl_req *
find_id(struct dots_client *c, uint64_t id)
{
	struct cl_req *q;

	TAILQ_FOREACH(q, &c->reqs, entry)
		if (q->id == id)
			return q;
	return NULL;
}

static struct cl_req *
find_token(struct dots_client *c, coap_bin_const_t tok)
{
	struct cl_req *q;

	if (tok.length != CL_TOKEN_LEN)
		return NULL;
	TAILQ_FOREACH(q, &c->reqs, entry)
		if (memcmp(q->token, tok.s, CL_TOKEN_LEN) == 0 ||
		    (q->blk != NULL &&
		    memcmp(q->blk->token, tok.s, CL_TOKEN_LEN) == 0))
			return q;
	return NULL;
}

static void
new_token(struct dots_client *c, uint8_t *token)
{
	uint64_t t = c->next_token++;
	int i;

	for (i = 0; i < CL_TOKEN_LEN; i++)
		token[i] = (uint8_t)(t >> (56 - 8 * i));
}

static void
blocks_free(struct cl_req *q)
{
	if (q->blk == NULL)
		return;
	free(q->blk->buf);
	free(q->blk);
	q->blk = NULL;
}

static void
req_free(struct dots_client *c, struct cl_req *q)
{
	TAILQ_REMOVE(&c->reqs, q, entry);
	blocks_free(q);
	free(q);
}

/* Queue @p r (whose body is handed over) as the answer to @p q. */
static void
queue_reply(struct dots_client *c, struct cl_req *q, struct dots_reply *r,
    bool final)
{
	struct cl_done *d;

	if (final) {
		q->finished = true;
		q->deadline = 0;
	}
	if (q->internal) {
		dots_signal_free(r->body);
		if (final)
			req_free(c, q);
		return;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		dots_signal_free(r->body);
		return;
	}
	d->id = q->id;
	d->reply = *r;
	TAILQ_INSERT_TAIL(&c->done, d, entry);
}

static void
queue_error(struct dots_client *c, struct cl_req *q, int error,
    const char *why, bool final)
{
	struct dots_reply r;

	memset(&r, 0, sizeof(r));
	r.error = error;
	snprintf(r.diag, sizeof(r.diag), "%s", why);
	queue_reply(c, q, &r, final);
}

static coap_pdu_code_t
method_of(enum dots_req_op op)
{
	switch (op) {
	case DOTS_REQ_MITIGATE_GET:
	case DOTS_REQ_CONFIG_GET:
		return COAP_REQUEST_CODE_GET;
	case DOTS_REQ_MITIGATE_DELETE:
	case DOTS_REQ_CONFIG_DELETE:
		return COAP_REQUEST_CODE_DELETE;
	default:
		return COAP_REQUEST_CODE_PUT;
	}
}

/* The body of a heartbeat of ours: did we hear the server's lately? */
static struct dots_signal *
hb_body(struct dots_client *c)
{
	struct dots_signal *m = dots_signal_new(DOTS_SIG_HEARTBEAT);
	uint64_t window = 2 * (uint64_t)c->hb_interval * 1000;

	if (m == NULL)
		return NULL;
	m->heartbeat.present = DOTS_HB_PEER_STATUS;
	m->heartbeat.peer_hb_status = c->hb_heard != 0 &&
	    cl_now_ms() - c->hb_heard <= window;
	return m;
}

static void
add_path(coap_pdu_t *pdu, const char *path)
{
	const char *seg = path, *end;

	for (;;) {
		end = strchr(seg, '/');
		coap_add_option(pdu, COAP_OPTION_URI_PATH,
		    end ? (size_t)(end - seg) : strlen(seg),
		    (const uint8_t *)seg);
		if (end == NULL)
			break;
		seg = end + 1;
	}
}

/*
 * Put @p q on the wire.  @p observe_value: 0 to register, 1 to
 * deregister with the token of the registration; ignored unless
 * DOTS_REQ_OBSERVE.  Anything else gets a new token.  With @p blk, a GET
 * of the next block of an answer (RFC 7959 section 2.4), without
 * Observe.
 */
static int
send_req(struct dots_client *c, struct cl_req *q, unsigned observe_value,
    struct cl_blocks *blk)
{
	char path[CL_PATH_MAX], query[CL_QUERY_MAX];
	const struct dots_signal *body = q->req.body;
	struct dots_signal *own = NULL;
	coap_pdu_t *pdu;
	uint8_t opt[4];
	size_t len = 0;
	int ret;

	if (c->state != CL_UP || c->sess == NULL)
		return DOTS_CLIENT_ENOTCONN;
	ret = dots_request_path(&q->req, c->cuid, path, sizeof(path), query,
	    sizeof(query));
	if (ret != DOTS_OK)
		return ret;
	if (q->req.op == DOTS_REQ_HEARTBEAT && body == NULL &&
	    (body = own = hb_body(c)) == NULL)
		return DOTS_ENOMEM;
	if (body != NULL) {
		ret = dots_cbor_encode_signal(body, c->encbuf,
		    DOTS_CBOR_MAX_BODY, &len);
		dots_signal_free(own);
		if (ret != DOTS_OK)
			return ret;
	}
	pdu = coap_pdu_init(q->req.flags & DOTS_REQ_NON ? COAP_MESSAGE_NON :
	    COAP_MESSAGE_CON, method_of(q->req.op),
	    coap_new_message_id(c->sess), coap_session_max_pdu_size(c->sess));
	if (pdu == NULL)
		return DOTS_ENOMEM;
	if (blk != NULL) {
		new_token(c, blk->token);
		coap_add_token(pdu, CL_TOKEN_LEN, blk->token);
	} else {
		if (!(q->req.flags & DOTS_REQ_OBSERVE) ||
		    observe_value != COAP_OBSERVE_CANCEL)
			new_token(c, q->token);
		coap_add_token(pdu, CL_TOKEN_LEN, q->token);
	}
	/* options in ascending number, as CoAP encodes them */
	if (q->req.flags & DOTS_REQ_IF_MATCH)
		coap_add_option(pdu, COAP_OPTION_IF_MATCH, 0, NULL);
	if ((q->req.flags & DOTS_REQ_OBSERVE) && blk == NULL)
		coap_add_option(pdu, COAP_OPTION_OBSERVE,
		    coap_encode_var_safe(opt, sizeof(opt), observe_value), opt);
	add_path(pdu, path);
	if (body != NULL)
		coap_add_option(pdu, COAP_OPTION_CONTENT_FORMAT,
		    coap_encode_var_safe(opt, sizeof(opt),
		    DOTS_CONTENT_FORMAT), opt);
	if (query[0] != '\0')
		coap_add_option(pdu, COAP_OPTION_URI_QUERY, strlen(query),
		    (const uint8_t *)query);
	/* RFC 8768: one byte, 1..255 (checked by dots_client_send) */
	if (q->req.hop_limit != 0 && blk == NULL)
		coap_add_option(pdu, COAP_OPTION_HOP_LIMIT, 1,
		    &q->req.hop_limit);
	if (blk != NULL)
		coap_add_option(pdu, COAP_OPTION_BLOCK2,
		    coap_encode_var_safe(opt, sizeof(opt),
		    blk->next << 4 | blk->szx), opt);
	if (body != NULL && !coap_add_data(pdu, len, c->encbuf)) {
		coap_delete_pdu(pdu);
		return DOTS_ENOSPC;	/* more than one datagram */
	}
	if (coap_send(c->sess, pdu) == COAP_INVALID_MID)
		return DOTS_CLIENT_ESEND;
	q->deadline = cl_now_ms() + (q->req.timeout_ms ? q->req.timeout_ms :
	    c->timeout_ms);
	return DOTS_OK;
}

static bool
body_fits(const struct dots_request *r)
{
	enum dots_signal_kind want;

	switch (r->op) {
	case DOTS_REQ_MITIGATE_PUT:
		want = DOTS_SIG_MITIGATION;
		break;
	case DOTS_REQ_CONFIG_PUT:
		want = DOTS_SIG_CONFIG;
		break;
	case DOTS_REQ_HEARTBEAT:
		return r->body == NULL || r->body->kind == DOTS_SIG_HEARTBEAT;
	default:
		return r->body == NULL;
	}
	return r->body != NULL && r->body->kind == want;
}

int
dots_client_send(struct dots_client *c, const struct dots_request *r,
    dots_reply_cb cb, void *arg, uint64_t *id)
{
	struct cl_req *q;
	int ret;

	if (r == NULL || cb == NULL || !body_fits(r))
		return DOTS_EINVAL;
	if (c->state != CL_UP)
		return DOTS_CLIENT_ENOTCONN;
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return DOTS_ENOMEM;
	q->id = ++c->next_id;
	q->req = *r;
	/* the cdid is kept for resends (an observation outlives the call) */
	if (r->cdid != NULL) {
		if (strlen(r->cdid) > DOTS_CLIENT_CDID_MAX) {
			free(q);
			return DOTS_EINVAL;
		}
		memcpy(q->cdid, r->cdid, strlen(r->cdid) + 1);
		q->req.cdid = q->cdid;
	}
	q->cb = cb;
	q->arg = arg;
	q->observe = (r->flags & DOTS_REQ_OBSERVE) != 0;
	TAILQ_INSERT_TAIL(&c->reqs, q, entry);
	ret = send_req(c, q, COAP_OBSERVE_ESTABLISH, NULL);
	q->req.body = NULL;	/* borrowed for the send only */
	if (ret != DOTS_OK) {
		req_free(c, q);
		return ret;
	}
	if (id != NULL)
		*id = q->id;
	return DOTS_OK;
}

int
dots_client_cancel(struct dots_client *c, uint64_t id)
{
	struct cl_req *q = find_id(c, id);

	if (q == NULL || q->internal)
		return DOTS_EINVAL;
	req_free(c, q);
	return DOTS_OK;
}

int
dots_client_observe_cancel(struct dots_client *c, uint64_t id)
{
	struct cl_req *q = find_id(c, id);

	if (q == NULL || !q->observe || q->internal)
		return DOTS_EINVAL;
	if (!q->registered || q->finished || c->state != CL_UP)
		return dots_client_cancel(c, id);
	/*
	 * Deregister with the same token (RFC 7641 section 3.6); the
	 * request becomes internal, so its answer reaches nobody.
	 */
	q->internal = true;
	q->observe = false;
	if (send_req(c, q, COAP_OBSERVE_CANCEL, NULL) != DOTS_OK)
		req_free(c, q);
	return DOTS_OK;
}

struct dots_signal *
dots_client_take_body(struct dots_client *c)
{
	struct dots_signal *m;

	if (c->cur_reply == NULL)
		return NULL;
	m = c->cur_reply->body;
	c->cur_reply->body = NULL;
	return m;
}

/*
 * One block of an answer (RFC 7959): keep it and ask for the next.
 * @return 1 if more are coming, 0 if the body is whole (in q->blk), -1
 *         on error (in @p r)
 */
static int
blocks_add(struct dots_client *c, struct cl_req *q, const coap_pdu_t *rcvd,
    struct dots_reply *r, int code, int cf, const uint8_t *data, size_t len)
{
	struct cl_blocks *b = q->blk;
	coap_opt_iterator_t it;
	coap_opt_t *etag = coap_check_option(rcvd, COAP_OPTION_ETAG, &it);
	coap_block_t blk;
	uint8_t *bigger;
	const char *why = NULL;
	int ret;

	if (method_of(q->req.op) != COAP_REQUEST_CODE_GET)
		why = "Block2 is for answers to a GET";
	else if (!coap_get_block(rcvd, COAP_OPTION_BLOCK2, &blk))
		why = "a bad Block2 option";
	else if (blk.num == 0) {
		blocks_free(q);
		if ((b = q->blk = calloc(1, sizeof(*b))) == NULL)
			why = "out of memory";
		else {
			b->first = *r;
			b->first.code = code;
			b->cf = cf;
			if (etag != NULL && coap_opt_length(etag) <=
			    sizeof(b->etag)) {
				b->etag_len = coap_opt_length(etag);
				memcpy(b->etag, coap_opt_value(etag),
				    b->etag_len);
			}
		}
	} else if (b == NULL || blk.num != b->next)
		why = "a block out of order";
	else if (b->etag_len != (etag ? coap_opt_length(etag) : 0) ||
	    (etag != NULL && memcmp(b->etag, coap_opt_value(etag),
	    b->etag_len) != 0))
		why = "the body changed between blocks (ETag)";
	if (why == NULL && b->len + len > DOTS_CBOR_MAX_BODY)
		why = "a body larger than 64 KiB";
	if (why == NULL && len > 0) {
		if ((bigger = realloc(b->buf, b->len + len)) == NULL)
			why = "out of memory";
		else {
			b->buf = bigger;
			memcpy(b->buf + b->len, data, len);
			b->len += len;
		}
	}
	if (why == NULL && !blk.m)
		return 0;
	if (why == NULL) {
		b->next = blk.num + 1;
		b->szx = blk.szx;
		if ((ret = send_req(c, q, 0, b)) == DOTS_OK)
			return 1;
		why = dots_client_strerror(ret);
	}
	blocks_free(q);
	r->error = DOTS_CLIENT_EDECODE;
	r->code = code;
	snprintf(r->diag, sizeof(r->diag), "block-wise answer: %s", why);
	return -1;
}

static coap_response_t
cl_response(coap_session_t *s, const coap_pdu_t *sent, const coap_pdu_t *rcvd,
    const coap_mid_t mid)
{
	struct dots_client *c = coap_get_app_data(coap_session_get_context(s));
	coap_opt_iterator_t it;
	coap_opt_t *opt;
	struct dots_reply r;
	struct cl_req *q;
	const uint8_t *data;
	size_t len;
	coap_pdu_code_t pc = coap_pdu_get_code(rcvd);
	int cf = -1, code;
	bool ok, final;

	(void)sent;
	(void)mid;
	if (c == NULL || s != c->sess)
		return COAP_RESPONSE_OK;
	opt = coap_check_option(rcvd, COAP_OPTION_OBSERVE, &it);
	q = find_token(c, coap_pdu_get_token(rcvd));
	if (q == NULL || q->finished)
		return opt != NULL ? COAP_RESPONSE_FAIL : COAP_RESPONSE_OK;
	memset(&r, 0, sizeof(r));
	if (opt != NULL) {
		r.has_observe = true;
		r.observe = coap_decode_var_bytes(coap_opt_value(opt),
		    coap_opt_length(opt));
	}
	code = COAP_RESPONSE_CLASS(pc) * 100 + (pc & 0x1f);
	ok = code / 100 == 2;
	if (q->heartbeat && ok)
		c->hb_missed = 0;
	if (q->observe && r.has_observe && q->registered) {
		if (!cl_observe_fresh(q->fresh_set, q->last_observe,
		    q->last_observe_at, r.observe, cl_now_ms()))
			return COAP_RESPONSE_OK;	/* reordered */
	}
	if (r.has_observe) {
		q->fresh_set = true;
		q->last_observe = r.observe;
		q->last_observe_at = cl_now_ms();
	}
	if ((opt = coap_check_option(rcvd, COAP_OPTION_MAXAGE, &it)) != NULL) {
		r.has_max_age = true;
		r.max_age = coap_decode_var_bytes(coap_opt_value(opt),
		    coap_opt_length(opt));
	}
	if ((opt = coap_check_option(rcvd, COAP_OPTION_CONTENT_FORMAT,
	    &it)) != NULL)
		cf = (int)coap_decode_var_bytes(coap_opt_value(opt),
		    coap_opt_length(opt));
	if (!coap_get_data(rcvd, &len, &data))
		len = 0;
	if (coap_check_option(rcvd, COAP_OPTION_BLOCK2, &it) != NULL) {
		switch (blocks_add(c, q, rcvd, &r, code, cf, data, len)) {
		case 1:
			return COAP_RESPONSE_OK;	/* more to come */
		case -1:
			queue_reply(c, q, &r, !q->observe);
			return COAP_RESPONSE_OK;
		}
		data = q->blk->buf;	/* the whole body, first options */
		len = q->blk->len;
		cf = q->blk->cf;
		code = q->blk->first.code;
		r = q->blk->first;
	}
	cl_reply_fill(&r, code, cf, data, len);
	blocks_free(q);
	/* an observation lasts while answers carry Observe (RFC 7641 3.2) */
	final = !q->observe || !ok || !r.has_observe;
	if (q->observe && !final) {
		q->registered = true;
		q->deadline = 0;
	}
	queue_reply(c, q, &r, final);
	return COAP_RESPONSE_OK;
}

static void
cl_nack(coap_session_t *s, const coap_pdu_t *sent,
    const coap_nack_reason_t reason, const coap_mid_t mid)
{
	struct dots_client *c = coap_get_app_data(coap_session_get_context(s));
	struct cl_req *q;

	(void)mid;
	if (c == NULL || s != c->sess || sent == NULL)
		return;
	q = find_token(c, coap_pdu_get_token(sent));
	if (q == NULL || q->finished)
		return;
	switch (reason) {
	case COAP_NACK_TOO_MANY_RETRIES:
		queue_error(c, q, DOTS_CLIENT_ETIMEOUT, "no answer after "
		    "the last retransmission", !q->observe);
		break;
	case COAP_NACK_RST:
		queue_error(c, q, DOTS_CLIENT_ERESET, "the server answered "
		    "with RST", true);
		break;
	default:
		queue_error(c, q, DOTS_CLIENT_ESESSION, "the request could "
		    "not be delivered", !q->observe);
		break;
	}
	if (q->observe)
		q->deadline = 0;	/* registered on the next session */
}

/* PUT /hb from the server (RFC 9132 section 4.7): answer 2.04. */
static void
cl_hb_handle(coap_resource_t *rsrc, coap_session_t *s, const coap_pdu_t *req,
    const coap_string_t *query, coap_pdu_t *resp)
{
	struct dots_client *c = coap_get_app_data(coap_session_get_context(s));
	struct dots_signal *m = NULL;
	struct dots_diag diag;
	coap_opt_iterator_t it;
	coap_opt_t *opt;
	const uint8_t *data;
	size_t len;
	struct cl_done *d;
	char text[DOTS_CLIENT_DIAG_MAX];
	bool status;

	(void)rsrc;
	(void)query;
	opt = coap_check_option(req, COAP_OPTION_CONTENT_FORMAT, &it);
	if (opt != NULL && coap_decode_var_bytes(coap_opt_value(opt),
	    coap_opt_length(opt)) != DOTS_CONTENT_FORMAT) {
		coap_pdu_set_code(resp, COAP_RESPONSE_CODE(415));
		return;
	}
	if (!coap_get_data(req, &len, &data) ||
	    dots_cbor_decode_signal(data, len, &m, &diag) != DOTS_OK ||
	    dots_validate_signal(m, DOTS_ROLE_HEARTBEAT, &diag) != DOTS_OK) {
		if (len == 0)
			snprintf(text, sizeof(text), "no heartbeat body");
		else
			dots_diag_format(&diag, text, sizeof(text));
		dots_signal_free(m);
		coap_pdu_set_code(resp, COAP_RESPONSE_CODE(400));
		coap_add_data(resp, strlen(text), (const uint8_t *)text);
		return;
	}
	status = m->heartbeat.peer_hb_status;
	dots_signal_free(m);
	coap_pdu_set_code(resp, COAP_RESPONSE_CODE(204));
	if (c == NULL || s != c->sess)
		return;
	c->hb_heard = cl_now_ms();
	if ((d = cl_queue_event(c, DOTS_CLIENT_HEARTBEAT, NULL)) != NULL)
		d->ev.peer_hb_status = status;
}

int
cl_req_init(struct dots_client *c)
{
	coap_resource_t *r;

	if (coap_prng(&c->next_token, sizeof(c->next_token)) == 0)
		c->next_token = cl_now_ms() << 20;
	coap_register_response_handler(c->ctx, cl_response);
	coap_register_nack_handler(c->ctx, cl_nack);
	r = coap_resource_init(coap_make_str_const(".well-known/dots/hb"), 0);
	if (r == NULL)
		return -1;
	coap_register_handler(r, COAP_REQUEST_PUT, cl_hb_handle);
	coap_add_resource(c->ctx, r);
	return 0;
}

/*
 * The session is gone: requests fail, observations wait for the next
 * session (their callbacks hear of the loss), our own requests vanish.
 */
void
cl_req_fail_all(struct dots_client *c, int error, const char *why)
{
	struct cl_req *q, *next;

	for (q = TAILQ_FIRST(&c->reqs); q != NULL; q = next) {
		next = TAILQ_NEXT(q, entry);
		if (q->finished)
			continue;
		if (q->internal) {
			req_free(c, q);
			continue;
		}
		/* an observation hears of it if it was registered or
		 * being registered, not again at each failed attempt */
		if (!q->observe || q->registered || q->deadline != 0)
			queue_error(c, q, error, why, !q->observe);
		q->registered = false;
		q->fresh_set = false;
		q->deadline = 0;
	}
}

void
cl_req_resend_observes(struct dots_client *c)
{
	struct cl_req *q;
	int ret;

	TAILQ_FOREACH(q, &c->reqs, entry) {
		if (!q->observe || q->registered || q->finished ||
		    q->internal)
			continue;
		ret = send_req(c, q, COAP_OBSERVE_ESTABLISH, NULL);
		if (ret != DOTS_OK)
			queue_error(c, q, ret, dots_client_strerror(ret),
			    false);
	}
}

void
cl_heartbeat_send(struct dots_client *c)
{
	struct cl_req *q = calloc(1, sizeof(*q));
	unsigned wait = c->hb_interval * 1000;

	if (q == NULL)
		return;
	q->id = ++c->next_id;
	q->req.op = DOTS_REQ_HEARTBEAT;
	q->req.flags = DOTS_REQ_NON;	/* RFC 9132 section 4.7 */
	q->req.timeout_ms = wait < c->timeout_ms ? wait : c->timeout_ms;
	q->internal = q->heartbeat = true;
	TAILQ_INSERT_TAIL(&c->reqs, q, entry);
	if (send_req(c, q, 0, NULL) != DOTS_OK)
		req_free(c, q);
}

static void
hb_missed(struct dots_client *c)
{
	struct cl_done *d;
	char why[96];

	c->hb_missed++;
	if ((d = cl_queue_event(c, DOTS_CLIENT_HB_MISSED, NULL)) != NULL)
		d->ev.missed = c->hb_missed;
	if (c->hb_missing != 0 && c->hb_missed >= c->hb_missing) {
		snprintf(why, sizeof(why), "%u heartbeats in a row "
		    "unanswered", c->hb_missed);
		cl_set_down(c, why);
	}
}

void
cl_req_timers(struct dots_client *c, uint64_t now)
{
	struct cl_req *q, *next;

	for (q = TAILQ_FIRST(&c->reqs); q != NULL; q = next) {
		next = TAILQ_NEXT(q, entry);
		if (q->finished || q->deadline == 0 || now < q->deadline)
			continue;
		if (q->heartbeat) {
			req_free(c, q);
			hb_missed(c);
		} else if (q->observe) {
			/* registration unanswered: try again */
			queue_error(c, q, DOTS_CLIENT_ETIMEOUT,
			    dots_client_strerror(DOTS_CLIENT_ETIMEOUT), false);
			if (send_req(c, q, COAP_OBSERVE_ESTABLISH,
			    NULL) != DOTS_OK)
				q->deadline = 0;
		} else
			queue_error(c, q, DOTS_CLIENT_ETIMEOUT,
			    dots_client_strerror(DOTS_CLIENT_ETIMEOUT), true);
	}
	if (c->state == CL_UP && c->hb_interval != 0 && now >= c->hb_next) {
		c->hb_next = now + (uint64_t)c->hb_interval * 1000;
		cl_heartbeat_send(c);
	}
}

/* The earliest deadline of a request, or 0 if none. */
uint64_t
cl_req_next_timer(const struct dots_client *c)
{
	const struct cl_req *q;
	uint64_t next = 0;

	TAILQ_FOREACH(q, &c->reqs, entry)
		if (!q->finished && q->deadline != 0 &&
		    (next == 0 || q->deadline < next))
			next = q->deadline;
	return next;
}

static bool
has_more(const struct dots_client *c, uint64_t id)
{
	const struct cl_done *d;

	TAILQ_FOREACH(d, &c->done, entry)
		if (d->id == id)
			return true;
	return false;
}

/* Run the callbacks of what was queued, in order. */
void
cl_req_deliver(struct dots_client *c)
{
	struct cl_done *d;
	struct cl_req *q;

	while ((d = TAILQ_FIRST(&c->done)) != NULL) {
		TAILQ_REMOVE(&c->done, d, entry);
		if (d->id == 0) {
			if (c->event_cb != NULL)
				c->event_cb(c->event_arg, &d->ev);
			free(d);
			continue;
		}
		if ((q = find_id(c, d->id)) != NULL) {	/* not cancelled */
			c->cur_reply = &d->reply;
			q->cb(q->arg, &d->reply);
			c->cur_reply = NULL;
			/* the callback may have cancelled it */
			if ((q = find_id(c, d->id)) != NULL && q->finished &&
			    !has_more(c, d->id))
				req_free(c, q);
		}
		dots_signal_free(d->reply.body);
		free(d);
	}
}

void
cl_req_free_all(struct dots_client *c)
{
	struct cl_req *q;

	while ((q = TAILQ_FIRST(&c->reqs)) != NULL)
		req_free(c, q);
}
