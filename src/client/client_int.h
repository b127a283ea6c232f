/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Internals of the client library, shared by its files.  libcoap types
 * stay in here and in the .c files, never in include/dots/client.h.
 *
 * Nothing a user callback sees is delivered from inside a libcoap
 * handler: handlers only queue replies and events (struct cl_done), and
 * dots_client_process() delivers the queue once libcoap has returned, so
 * a callback may send, cancel or disconnect freely.
 */
#ifndef DOTS_CLIENT_INT_H
#define DOTS_CLIENT_INT_H

#include <sys/queue.h>

#include <stdbool.h>
#include <stdint.h>

#include <coap3/coap.h>

#include <dots/client.h>

#define CL_TOKEN_LEN	8
#define CL_PATH_MAX	256
#define CL_QUERY_MAX	8

/*
 * A body that comes in Block2 blocks (RFC 7959): the first block's code
 * and options, the bytes so far, and the token of the GET that fetches
 * the next block.
 */
struct cl_blocks {
	struct dots_reply	 first;		/* code, Max-Age, Observe */
	int			 cf;		/* Content-Format, -1: none */
	uint8_t			 etag[8];
	size_t			 etag_len;
	uint8_t			 token[CL_TOKEN_LEN];
	unsigned		 next;		/* block number expected */
	unsigned		 szx;
	uint8_t			*buf;
	size_t			 len;
};

/* A request waiting for its answer, or an observation. */
struct cl_req {
	TAILQ_ENTRY(cl_req)	 entry;
	uint64_t		 id;
	struct dots_request	 req;		/* body NULL once sent; cdid
						 * points to ours below */
	char			 cdid[DOTS_CLIENT_CDID_MAX + 1];
	dots_reply_cb		 cb;
	void			*arg;
	uint8_t			 token[CL_TOKEN_LEN];
	uint64_t		 deadline;	/* ms, monotonic; 0: none */
	bool			 observe;	/* stays after its answers */
	bool			 registered;	/* observation acknowledged on
						 * the current session */
	bool			 heartbeat;	/* one of our own */
	bool			 internal;	/* ours: no callback */
	bool			 finished;	/* final answer queued */
	bool			 fresh_set;	/* RFC 7641 3.4 bookkeeping */
	uint32_t		 last_observe;
	uint64_t		 last_observe_at;
	struct cl_blocks	*blk;		/* a Block2 answer coming in */
};
TAILQ_HEAD(cl_req_list, cl_req);

/* A reply or an event waiting to be delivered. */
struct cl_done {
	TAILQ_ENTRY(cl_done)	 entry;
	uint64_t		 id;		/* request; 0: an event */
	struct dots_reply	 reply;
	struct dots_client_event ev;
	char			 reason[DOTS_CLIENT_DIAG_MAX];
};
TAILQ_HEAD(cl_done_list, cl_done);

struct cl_pem {
	uint8_t		*data;
	size_t		 len;		/* with the final NUL */
};

enum cl_state {
	CL_DOWN = 0,
	CL_CONNECTING,
	CL_UP
};

struct dots_client {
	coap_context_t		*ctx;
	coap_session_t		*sess;
	enum cl_state		 state;
	char			 down_reason[DOTS_CLIENT_DIAG_MAX];
	bool			 down_pending;	/* seen in a handler */
	char			 tls_err[DOTS_CLIENT_DIAG_MAX];

	/* parameters */
	char			*host;
	char			*server_name;
	uint16_t		 port;
	enum dots_transport	 transport;
	struct cl_pem		 ca, cert, key;
	char			*psk_identity;
	uint8_t			*psk_key;
	size_t			 psk_key_len;
	unsigned		 timeout_ms;
	unsigned		 connect_timeout_ms;
	char			 cuid[DOTS_CLIENT_CUID_LEN + 1];
	void			(*event_cb)(void *,
				    const struct dots_client_event *);
	void			*event_arg;
	coap_dtls_pki_t		 pki;
	coap_dtls_cpsk_t	 psk;

	/* CoAP transmission parameters; 0: libcoap's */
	unsigned		 max_retransmit;
	unsigned		 ack_timeout_cs;
	unsigned		 ack_random_factor_c;

	/* requests */
	struct cl_req_list	 reqs;
	struct cl_done_list	 done;
	uint64_t		 next_id;
	uint64_t		 next_token;
	struct dots_reply	*cur_reply;	/* in a reply callback */
	uint8_t			*encbuf;	/* DOTS_CBOR_MAX_BODY */

	/* heartbeats */
	unsigned		 hb_interval;	/* s; 0: none */
	unsigned		 hb_missing;	/* 0: never down */
	unsigned		 hb_missed;	/* in a row */
	uint64_t		 hb_next;	/* ms */
	uint64_t		 hb_heard;	/* server's last heartbeat, ms */
};

/* client.c */
uint64_t	 cl_now_ms(void);
struct cl_done	*cl_queue_event(struct dots_client *c,
		    enum dots_client_event_type type, const char *reason);
void		 cl_set_down(struct dots_client *c, const char *reason);

/* client_tls.c */
int		 cl_tls_load(struct dots_client *c,
		    const struct dots_client_params *p, char *err,
		    size_t errlen);
void		 cl_tls_free(struct dots_client *c);
coap_session_t	*cl_tls_session(struct dots_client *c,
		    const coap_address_t *dst);
void		 cl_log_start(void);
const char	*cl_log_last(void);

/* client_req.c */
int		 cl_req_init(struct dots_client *c);
void		 cl_req_fail_all(struct dots_client *c, int error,
		    const char *why);
void		 cl_req_resend_observes(struct dots_client *c);
void		 cl_req_timers(struct dots_client *c, uint64_t now);
uint64_t	 cl_req_next_timer(const struct dots_client *c);
void		 cl_req_deliver(struct dots_client *c);
void		 cl_req_free_all(struct dots_client *c);
void		 cl_heartbeat_send(struct dots_client *c);

/* client_reply.c */
void		 cl_reply_fill(struct dots_reply *r, int code,
		    int content_format, const uint8_t *data, size_t len);
bool		 cl_observe_fresh(bool have_old, uint32_t old,
		    uint64_t old_at, uint32_t v, uint64_t now);

#endif /* DOTS_CLIENT_INT_H */
