/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A DOTS client: one libcoap context with one (D)TLS session to one
 * server, its life (connect, up, down, connect again) and its loop.
 *
 * libcoap tells what happens to the session through events, from inside
 * coap_io_process(); they are noted there and acted upon once it has
 * returned: a lost session fails the pending requests, keeps the
 * observations for the next session, and is reported to the application
 * as DOTS_CLIENT_DOWN.  Nothing reconnects by itself: when and how often
 * to retry is the application's choice (RFC 9132 section 4.7 paces it).
 */
#include <sys/socket.h>

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dots/cbor.h>
#include <dots/error.h>

#include "client_int.h"

static unsigned	cl_instances;	/* coap_startup() once, cleanup at last */

uint64_t
cl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

const char *
dots_client_strerror(int err)
{
	switch (err) {
	case DOTS_CLIENT_ETIMEOUT:
		return "no answer within the timeout";
	case DOTS_CLIENT_ESESSION:
		return "the session went down";
	case DOTS_CLIENT_ENOTCONN:
		return "not connected";
	case DOTS_CLIENT_ERESET:
		return "the server reset the exchange";
	case DOTS_CLIENT_EDECODE:
		return "the answer's body is not a DOTS message";
	case DOTS_CLIENT_ETLS:
		return "(D)TLS handshake failed";
	case DOTS_CLIENT_ESEND:
		return "the request could not be sent";
	default:
		return dots_strerror(err);
	}
}

int
dots_client_params_check(const struct dots_client_params *p, char *err,
    size_t errlen)
{
	const char *why = NULL;

	if (p == NULL)
		why = "no parameters";
	else if (p->host == NULL || p->host[0] == '\0')
		why = "no server host";
	else if (p->transport != DOTS_TRANSPORT_DTLS &&
	    p->transport != DOTS_TRANSPORT_TLS)
		why = "unknown transport";
	else if (p->psk_identity != NULL && (p->cert_file != NULL ||
	    p->key_file != NULL))
		why = "both a PSK and a certificate";
	else if (p->psk_identity != NULL && (p->psk_identity[0] == '\0' ||
	    p->psk_key == NULL || p->psk_key_len == 0))
		why = "a PSK needs an identity and a key";
	else if (p->psk_identity == NULL && (p->cert_file == NULL ||
	    p->key_file == NULL))
		why = "no certificate and key (nor a PSK)";
	else if (p->psk_identity == NULL && p->ca_file == NULL)
		why = "no CA file to check the server's certificate";
	else if (p->cuid != NULL && (p->cuid[0] == '\0' ||
	    strlen(p->cuid) > DOTS_CLIENT_CUID_LEN ||
	    strcspn(p->cuid, "/?&=") != strlen(p->cuid)))
		why = "a cuid must have 1 to 22 characters, none of /?&=";
	if (why == NULL)
		return 0;
	snprintf(err, errlen, "%s", why);
	return -1;
}

struct cl_done *
cl_queue_event(struct dots_client *c, enum dots_client_event_type type,
    const char *reason)
{
	struct cl_done *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->ev.type = type;
	if (reason != NULL) {
		snprintf(d->reason, sizeof(d->reason), "%s", reason);
		d->ev.reason = d->reason;
	}
	TAILQ_INSERT_TAIL(&c->done, d, entry);
	return d;
}

/* Noted from a libcoap handler; acted upon in settle(). */
void
cl_set_down(struct dots_client *c, const char *reason)
{
	if (c->state == CL_DOWN || c->down_pending)
		return;
	c->down_pending = true;
	snprintf(c->down_reason, sizeof(c->down_reason), "%s", reason);
}

static int
cl_event(coap_session_t *s, const coap_event_t event)
{
	struct dots_client *c = coap_get_app_data(coap_session_get_context(s));
	coap_event_t ev = event;

	if (c == NULL || s != c->sess)
		return 0;
	/* while connecting, any end is a refusal: say why if we know */
	if (c->state == CL_CONNECTING && (ev == COAP_EVENT_DTLS_CLOSED ||
	    ev == COAP_EVENT_TCP_CLOSED || ev == COAP_EVENT_SESSION_CLOSED))
		ev = COAP_EVENT_DTLS_ERROR;
	switch (ev) {
	case COAP_EVENT_DTLS_CLOSED:
		cl_set_down(c, "the server closed the session");
		break;
	case COAP_EVENT_TCP_CLOSED:
	case COAP_EVENT_SESSION_CLOSED:
		cl_set_down(c, "the session was closed");
		break;
	case COAP_EVENT_DTLS_ERROR:
	case COAP_EVENT_TCP_FAILED:
	case COAP_EVENT_SESSION_FAILED:
		if (c->tls_err[0] == '\0' && cl_log_last()[0] != '\0')
			snprintf(c->tls_err, sizeof(c->tls_err), "%s",
			    cl_log_last());
		cl_set_down(c, c->tls_err[0] != '\0' ? c->tls_err :
		    "(D)TLS handshake failed");
		break;
	default:
		break;
	}
	return 0;
}

/* Bring c->state in line with what libcoap said, outside its handlers. */
static void
settle(struct dots_client *c)
{
	char reason[DOTS_CLIENT_DIAG_MAX];

	if (c->down_pending) {
		c->down_pending = false;
		snprintf(reason, sizeof(reason), "%s", c->down_reason);
		dots_client_disconnect(c);
		cl_queue_event(c, DOTS_CLIENT_DOWN, reason);
		return;
	}
	if (c->state == CL_CONNECTING && c->sess != NULL &&
	    coap_session_get_state(c->sess) == COAP_SESSION_STATE_ESTABLISHED) {
		c->state = CL_UP;
		c->hb_missed = 0;
		c->hb_next = cl_now_ms() + (uint64_t)c->hb_interval * 1000;
		cl_queue_event(c, DOTS_CLIENT_UP, NULL);
		cl_req_resend_observes(c);
	}
}

static void
apply_coap_params(struct dots_client *c)
{
	coap_fixed_point_t fp;

	if (c->sess == NULL)
		return;
	if (c->max_retransmit != 0)
		coap_session_set_max_retransmit(c->sess, c->max_retransmit);
	if (c->ack_timeout_cs != 0) {
		fp.integer_part = (uint16_t)(c->ack_timeout_cs / 100);
		fp.fractional_part = (uint16_t)(c->ack_timeout_cs % 100 * 10);
		coap_session_set_ack_timeout(c->sess, fp);
	}
	if (c->ack_random_factor_c != 0) {
		fp.integer_part = (uint16_t)(c->ack_random_factor_c / 100);
		fp.fractional_part =
		    (uint16_t)(c->ack_random_factor_c % 100 * 10);
		coap_session_set_ack_random_factor(c->sess, fp);
	}
}

void
dots_client_set_coap_params(struct dots_client *c, unsigned max_retransmit,
    unsigned ack_timeout_cs, unsigned ack_random_factor_c)
{
	c->max_retransmit = max_retransmit;
	c->ack_timeout_cs = ack_timeout_cs;
	c->ack_random_factor_c = ack_random_factor_c;
	apply_coap_params(c);
}

void
dots_client_set_heartbeat(struct dots_client *c, unsigned interval_s,
    unsigned missing)
{
	c->hb_interval = interval_s;
	c->hb_missing = missing;
	c->hb_missed = 0;
	c->hb_next = cl_now_ms() + (uint64_t)interval_s * 1000;
}

struct dots_client *
dots_client_new(const struct dots_client_params *p, char *err, size_t errlen)
{
	struct dots_client *c;

	if (dots_client_params_check(p, err, errlen) != 0)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	TAILQ_INIT(&c->reqs);
	TAILQ_INIT(&c->done);
	c->port = p->port != 0 ? p->port : DOTS_CLIENT_PORT;
	c->transport = p->transport;
	c->timeout_ms = p->timeout_ms != 0 ? p->timeout_ms :
	    DOTS_CLIENT_TIMEOUT_MS;
	c->connect_timeout_ms = p->connect_timeout_ms != 0 ?
	    p->connect_timeout_ms : DOTS_CLIENT_CONNECT_TIMEOUT_MS;
	c->event_cb = p->event_cb;
	c->event_arg = p->event_arg;
	if (p->cuid != NULL)
		snprintf(c->cuid, sizeof(c->cuid), "%s", p->cuid);
	c->host = strdup(p->host);
	c->server_name = strdup(p->server_name != NULL ? p->server_name :
	    p->host);
	c->encbuf = malloc(DOTS_CBOR_MAX_BODY);
	if (c->host == NULL || c->server_name == NULL || c->encbuf == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (cl_tls_load(c, p, err, errlen) != 0)
		goto fail;
	if (cl_instances++ == 0)
		coap_startup();
	cl_log_start();
	coap_set_log_level(LOG_WARNING);
	coap_dtls_set_log_level(LOG_WARNING);
	if ((c->ctx = coap_new_context(NULL)) == NULL) {
		snprintf(err, errlen, "cannot make a CoAP context");
		goto fail;
	}
	coap_set_app_data(c->ctx, c);
	coap_register_event_handler(c->ctx, cl_event);
	if (cl_req_init(c) != 0) {
		snprintf(err, errlen, "cannot set up the CoAP handlers");
		goto fail;
	}
	return c;
fail:
	dots_client_free(c);
	return NULL;
}

void
dots_client_free(struct dots_client *c)
{
	struct cl_done *d;

	if (c == NULL)
		return;
	if (c->sess != NULL) {
		coap_session_set_app_data(c->sess, NULL);
		coap_session_release(c->sess);
		c->sess = NULL;
	}
	cl_req_free_all(c);
	while ((d = TAILQ_FIRST(&c->done)) != NULL) {
		TAILQ_REMOVE(&c->done, d, entry);
		dots_signal_free(d->reply.body);
		free(d);
	}
	if (c->ctx != NULL) {
		coap_free_context(c->ctx);
		if (--cl_instances == 0)
			coap_cleanup();
	}
	cl_tls_free(c);
	free(c->encbuf);
	free(c->host);
	free(c->server_name);
	free(c);
}

const char *
dots_client_cuid(const struct dots_client *c)
{
	return c->cuid;
}

bool
dots_client_is_up(const struct dots_client *c)
{
	return c->state == CL_UP;
}

static int
resolve(struct dots_client *c, coap_address_t *dst, char *err, size_t errlen)
{
	struct addrinfo hints, *res;
	char port[8];
	int ret;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = c->transport == DOTS_TRANSPORT_TLS ?
	    SOCK_STREAM : SOCK_DGRAM;
	snprintf(port, sizeof(port), "%u", c->port);
	if ((ret = getaddrinfo(c->host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "%s: %s", c->host, gai_strerror(ret));
		return -1;
	}
	coap_address_init(dst);
	dst->size = res->ai_addrlen;
	memcpy(&dst->addr, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

int
dots_client_connect_start(struct dots_client *c, char *err, size_t errlen)
{
	coap_address_t dst;

	if (c->state != CL_DOWN)
		dots_client_disconnect(c);
	if (resolve(c, &dst, err, errlen) != 0)
		return -1;
	c->tls_err[0] = '\0';
	c->down_pending = false;
	cl_log_start();
	c->sess = cl_tls_session(c, &dst);
	if (c->sess == NULL) {
		snprintf(err, errlen, "cannot open a session to %s port %u%s%s",
		    c->host, c->port, cl_log_last()[0] ? ": " : "",
		    cl_log_last());
		return -1;
	}
	apply_coap_params(c);
	c->state = CL_CONNECTING;
	return 0;
}

int
dots_client_connect(struct dots_client *c, char *err, size_t errlen)
{
	uint64_t end;
	int ret = -1;

	if (dots_client_connect_start(c, err, errlen) != 0)
		return -1;
	end = cl_now_ms() + c->connect_timeout_ms;
	for (;;) {
		coap_io_process(c->ctx, 50);
		if (c->down_pending) {
			snprintf(err, errlen, "%s", c->down_reason);
			break;
		}
		settle(c);
		if (c->state == CL_UP) {
			ret = 0;
			break;
		}
		if (cl_now_ms() >= end) {
			snprintf(err, errlen, "no session with %s port %u "
			    "within %u ms%s%s", c->host, c->port,
			    c->connect_timeout_ms, c->tls_err[0] != '\0' ||
			    cl_log_last()[0] != '\0' ? ": " : "",
			    c->tls_err[0] != '\0' ? c->tls_err :
			    cl_log_last());
			cl_set_down(c, err);
			break;
		}
	}
	settle(c);
	cl_req_deliver(c);	/* UP or DOWN, and what else came */
	return ret;
}

void
dots_client_disconnect(struct dots_client *c)
{
	if (c->sess != NULL) {
		coap_session_set_app_data(c->sess, NULL);
		coap_session_release(c->sess);
		c->sess = NULL;
	}
	c->state = CL_DOWN;
	c->down_pending = false;
	cl_req_fail_all(c, DOTS_CLIENT_ESESSION, "the session went down");
}

int
dots_client_fd(const struct dots_client *c)
{
	return coap_context_get_coap_fd(c->ctx);
}

int
dots_client_timeout(const struct dots_client *c)
{
	uint64_t next = cl_req_next_timer(c), now = cl_now_ms();

	if (!TAILQ_EMPTY(&c->done) || c->down_pending)
		return 0;
	if (c->state == CL_UP && c->hb_interval != 0 &&
	    (next == 0 || c->hb_next < next))
		next = c->hb_next;
	if (c->state == CL_CONNECTING)
		return 50;	/* libcoap's handshake timers */
	if (next == 0)
		return -1;
	return next <= now ? 0 : (int)(next - now);
}

int
dots_client_process(struct dots_client *c, unsigned timeout_ms)
{
	int t = dots_client_timeout(c), ret;

	if (t >= 0 && (unsigned)t < timeout_ms)
		timeout_ms = (unsigned)t;
	ret = coap_io_process(c->ctx, timeout_ms == 0 ? COAP_IO_NO_WAIT :
	    timeout_ms);
	settle(c);
	cl_req_timers(c, cl_now_ms());
	settle(c);	/* heartbeats may have declared the session down */
	cl_req_deliver(c);
	return ret < 0 ? -1 : 0;
}
