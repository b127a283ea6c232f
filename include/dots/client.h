/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libdotsclient: the client end of the DOTS signal channel (RFC 9132)
 * over CoAP with DTLS or TLS (libcoap, GnuTLS).
 *
 * The core is asynchronous.  A request is sent with dots_client_send()
 * and its reply comes to a callback from dots_client_process(), which the
 * application calls when dots_client_fd() is readable or when
 * dots_client_timeout() has passed.  dots_client_call() is a thin
 * synchronous layer over it for one-shot tools and tests.
 *
 * Bodies are libdots messages (struct dots_signal, model.h), sent as CBOR
 * with Content-Format 271 (application/dots+cbor).  The client's cuid
 * comes from its certificate (or PSK identity) and is put in every
 * /mitigate Uri-Path by the library.
 *
 * A client is one signal channel to one server.  It is not thread-safe:
 * use it from one thread, the one that runs its loop.
 */
#ifndef DOTS_CLIENT_H
#define DOTS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dots/model.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DOTS_CLIENT_PORT		4646
#define DOTS_CLIENT_TIMEOUT_MS		10000	/* per request */
#define DOTS_CLIENT_CONNECT_TIMEOUT_MS	10000
#define DOTS_CLIENT_CUID_LEN		22
#define DOTS_CLIENT_DIAG_MAX		256
#define DOTS_CLIENT_CDID_MAX		64

/*
 * Errors of the client library, beside DOTS_OK and the negative errno
 * values of error.h (DOTS_EINVAL, DOTS_ENOMEM).  In a struct dots_reply
 * they say why there is no usable answer.
 */
enum dots_client_err {
	DOTS_CLIENT_ETIMEOUT = -2000,	/* no answer within the timeout */
	DOTS_CLIENT_ESESSION,		/* the session went down first */
	DOTS_CLIENT_ENOTCONN,		/* no session when it was sent */
	DOTS_CLIENT_ERESET,		/* the server answered with RST */
	DOTS_CLIENT_EDECODE,		/* an answer whose body is not DOTS */
	DOTS_CLIENT_ETLS,		/* handshake or certificate failure */
	DOTS_CLIENT_ESEND		/* the request could not be sent */
};

/** Text of a client error, or of a libdots error (dots_strerror). */
const char	*dots_client_strerror(int err);

enum dots_transport {
	DOTS_TRANSPORT_DTLS = 0,	/* coaps, UDP */
	DOTS_TRANSPORT_TLS		/* coaps+tcp, RFC 8323 */
};

/* What happened to the session, for the event callback. */
enum dots_client_event_type {
	DOTS_CLIENT_UP = 1,		/* (D)TLS session established */
	DOTS_CLIENT_DOWN,		/* session lost or refused; reason */
	DOTS_CLIENT_HEARTBEAT,		/* the server sent a heartbeat */
	DOTS_CLIENT_HB_MISSED		/* a heartbeat of ours unanswered */
};

struct dots_client_event {
	enum dots_client_event_type	 type;
	const char			*reason;	/* DOWN: why */
	bool				 peer_hb_status; /* HEARTBEAT */
	unsigned			 missed;	/* HB_MISSED: how many */
};

/*
 * How to reach and authenticate to the server.  Strings are copied by
 * dots_client_new(); the files are read once, then given to libcoap as
 * PEM buffers.  Either cert_file and key_file, or psk_identity and
 * psk_key, must be set; ca_file is needed with certificates.
 */
struct dots_client_params {
	const char	*host;		/* name or address of the server */
	uint16_t	 port;		/* 0: DOTS_CLIENT_PORT */
	enum dots_transport transport;
	const char	*ca_file;	/* CA(s) that sign the server's cert */
	const char	*cert_file;	/* our certificate, PEM */
	const char	*key_file;	/* its private key, PEM */
	const char	*psk_identity;	/* PSK instead of certificates */
	const uint8_t	*psk_key;
	size_t		 psk_key_len;
	const char	*server_name;	/* SNI, and the name the server's
					 * certificate must carry; NULL: host */
	unsigned	 timeout_ms;	/* per request; 0: default */
	unsigned	 connect_timeout_ms; /* 0: default */
	const char	*cuid;		/* NULL: derived, RFC 9132 4.4.1.1 */
	/* session events; may be NULL */
	void		(*event_cb)(void *arg,
			    const struct dots_client_event *ev);
	void		*event_arg;
};

/* Request kinds: resource and method. */
enum dots_req_op {
	DOTS_REQ_MITIGATE_PUT = 1,	/* mid, body (mitigation-scope) */
	DOTS_REQ_MITIGATE_GET,		/* one (has_id) or all; filter */
	DOTS_REQ_MITIGATE_DELETE,	/* mid */
	DOTS_REQ_CONFIG_GET,		/* with sid (has_id) or without */
	DOTS_REQ_CONFIG_PUT,		/* sid, body (signal-config) */
	DOTS_REQ_CONFIG_DELETE,		/* with sid or without */
	DOTS_REQ_HEARTBEAT		/* body, or NULL: peer-hb-status */
};

/* Request flags. */
#define DOTS_REQ_NON		(1u << 0)	/* Non-confirmable (DTLS) */
#define DOTS_REQ_IF_MATCH	(1u << 1)	/* empty If-Match: efficacy
						 * update (RFC 9132 4.4.3) */
#define DOTS_REQ_OBSERVE	(1u << 2)	/* GET with Observe: 0 */

struct dots_request {
	enum dots_req_op	 op;
	bool			 has_id;	/* mid or sid in the Uri-Path */
	uint32_t		 id;		/* the mid or sid */
	const struct dots_signal *body;		/* PUT; borrowed */
	char			 filter;	/* GET /mitigate: 'c', 'n', 'a'
						 * (Uri-Query c=), 0: none */
	unsigned		 flags;		/* DOTS_REQ_* */
	unsigned		 timeout_ms;	/* 0: the client's */
	/*
	 * For a gateway relaying a request (RFC 9132 section 4.3, RFC
	 * 8768): the client domain's cdid, put before cuid in a /mitigate
	 * Uri-Path (NULL: none; copied by dots_client_send, at most
	 * DOTS_CLIENT_CDID_MAX characters of [A-Za-z0-9-_.~=:+]), and the
	 * Hop-Limit option's value (1..255; 0: no option).
	 */
	const char		*cdid;
	uint8_t			 hop_limit;
};

/*
 * The answer to a request, or why there is none.  In a callback it
 * belongs to the library and lives until the callback returns; keep the
 * body with dots_client_take_body().  From dots_client_call() it is the
 * caller's: release it with dots_reply_clear().
 */
struct dots_reply {
	int			 error;		/* 0, or enum dots_client_err */
	int			 code;		/* CoAP code as 3 digits (201),
						 * 0 if nothing came */
	bool			 has_max_age;
	uint32_t		 max_age;
	bool			 has_observe;	/* a notification or the answer
						 * that registered it */
	uint32_t		 observe;
	struct dots_signal	*body;		/* decoded CBOR body, or NULL */
	char			 diag[DOTS_CLIENT_DIAG_MAX]; /* the text of a
						 * 4.xx/5.xx, or why body failed
						 * to decode, or error text */
};

typedef void (*dots_reply_cb)(void *arg, const struct dots_reply *r);

struct dots_client;

/* client.c */

/**
 * Check @p p without touching the network or the files.
 * @return 0, or -1 with the reason in @p err
 */
int	dots_client_params_check(const struct dots_client_params *p,
	    char *err, size_t errlen);

/**
 * A new client, not connected: the files are read and the cuid derived.
 * @return **new** client (dots_client_free), or NULL with @p err set
 */
struct dots_client *dots_client_new(const struct dots_client_params *p,
	    char *err, size_t errlen);
void	dots_client_free(struct dots_client *c);

/** The cuid in this client's /mitigate paths (borrowed). */
const char	*dots_client_cuid(const struct dots_client *c);

/**
 * Open a session, and wait until it is up or connect_timeout_ms passed.
 * A client that is down (DOTS_CLIENT_DOWN) connects anew; its
 * observations are registered again once it is up.
 * @return 0, or -1 with the reason (e.g. the TLS error) in @p err
 */
int	dots_client_connect(struct dots_client *c, char *err, size_t errlen);

/** The same, without waiting: DOTS_CLIENT_UP or _DOWN tells the outcome. */
int	dots_client_connect_start(struct dots_client *c, char *err,
	    size_t errlen);

/** Close the session; pending requests fail with DOTS_CLIENT_ESESSION. */
void	dots_client_disconnect(struct dots_client *c);

bool	dots_client_is_up(const struct dots_client *c);

/**
 * A file descriptor that becomes readable when dots_client_process() has
 * work (libcoap's epoll descriptor), or -1 if there is none: then call
 * dots_client_process() at least every dots_client_timeout() ms.
 */
int	dots_client_fd(const struct dots_client *c);

/** Milliseconds until the library's next timer (request timeout,
 * heartbeat), or -1 if none runs. */
int	dots_client_timeout(const struct dots_client *c);

/**
 * Do the pending I/O and timers, waiting at most @p timeout_ms for input
 * (0: do not wait).  Callbacks run from here.
 * @return 0, or -1 on an I/O error
 */
int	dots_client_process(struct dots_client *c, unsigned timeout_ms);

/**
 * Send a request; @p cb gets its answer (or error) exactly once, later,
 * from dots_client_process().  With DOTS_REQ_OBSERVE @p cb gets the
 * first answer and then every notification until
 * dots_client_observe_cancel(); an observation outlives reconnections.
 * @param id receives the request's handle; may be NULL
 * @return 0, or a negative error (then @p cb is never called)
 */
int	dots_client_send(struct dots_client *c, const struct dots_request *r,
	    dots_reply_cb cb, void *arg, uint64_t *id);

/**
 * Forget a pending request or an observation: its callback is not
 * called again.  An observation is deregistered at the server (GET with
 * Observe: 1, RFC 7641 section 3.6).
 * @return 0, or DOTS_EINVAL if @p id is not pending
 */
int	dots_client_cancel(struct dots_client *c, uint64_t id);
int	dots_client_observe_cancel(struct dots_client *c, uint64_t id);

/**
 * In a reply callback: take the reply's body, which the library would
 * free after the callback.  **new**: free it with dots_signal_free().
 */
struct dots_signal *dots_client_take_body(struct dots_client *c);

/**
 * Heartbeats (RFC 9132 section 4.7): send PUT /hb every @p interval_s
 * seconds (0: none), and declare the session down after @p missing
 * unanswered ones in a row.  Use the negotiated values of the
 * mitigating-config or idle-config that applies.
 */
void	dots_client_set_heartbeat(struct dots_client *c, unsigned interval_s,
	    unsigned missing);

/** Set the CoAP retransmission parameters (negotiated, RFC 9132 4.5):
 * ack-timeout and ack-random-factor in hundredths. */
void	dots_client_set_coap_params(struct dots_client *c,
	    unsigned max_retransmit, unsigned ack_timeout_cs,
	    unsigned ack_random_factor_c);

/* client_sync.c */

/**
 * Send @p r and wait for its answer (running the client's loop).  The
 * reply is the caller's (dots_reply_clear).  DOTS_REQ_OBSERVE is refused.
 * @return 0 if an answer came (any code), else the error, also in
 *         out->error
 */
int	dots_client_call(struct dots_client *c, const struct dots_request *r,
	    struct dots_reply *out);

/** Free the body of a reply from dots_client_call and zero it. */
void	dots_reply_clear(struct dots_reply *r);

/* client_path.c */

/**
 * The Uri-Path of @p r as one string, e.g.
 * ".well-known/dots/mitigate/cuid=X/mid=7" (with r->cdid:
 * ".../mitigate/cdid=D/cuid=X/mid=7"), and its Uri-Query ("c=n" or
 * empty).
 * @return 0, or DOTS_EINVAL (e.g. PUT without mid), DOTS_ENOSPC
 */
int	dots_request_path(const struct dots_request *r, const char *cuid,
	    char *path, size_t pathlen, char *query, size_t querylen);

#ifdef __cplusplus
}
#endif

#endif /* DOTS_CLIENT_H */
