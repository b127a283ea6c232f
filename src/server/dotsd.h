/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotsd internals shared by the signal-channel glue (sig_*.c) and main.c.
 */
#ifndef DOTS_DOTSD_H
#define DOTS_DOTSD_H

#include <sys/queue.h>
#include <stdbool.h>
#include <time.h>

#include <coap3/coap.h>

#include <dots/model.h>
#include <dots/validate.h>

#include "cuid.h"
#include "mit.h"
#include "store.h"

#define DOTSD_PSK_ID_MAX	128	/* bytes, as the configuration allows */
#define DOTSD_PSK_KEY_MAX	64

/* Session-configuration values this server offers (RFC 9132 4.5). */
struct sig_limits {
	struct dots_config_set	mitigating;	/* current/min/max set */
	struct dots_config_set	idle;
};

struct dotsd_client {
	struct mit_client	 mc;		/* engine view: domain, limits */
	/* "cn:NAME", "spki:CUID" or "psk:ID"; empty once removed */
	char			 identity[160];
	/* PSK handshakes: identity (empty: none), key (never logged) */
	char			 psk_identity[DOTSD_PSK_ID_MAX + 1];
	uint8_t			 psk_key[DOTSD_PSK_KEY_MAX];
	size_t			 psk_key_len;
	/* negotiated session configuration (RFC 9132 4.5.2) */
	bool			 has_config;
	uint32_t		 sid;
	struct dots_signal_config config;
	int			 sessions;	/* live (D)TLS sessions */
};

/* Per (D)TLS session, hung on coap_session_set_app_data(). */
struct sig_session {
	struct dotsd_client	*client;
	char			 cuid[CUID_LEN + 1];	/* cert or PSK */
	bool			 psk;		/* authenticated by a PSK */
	bool			 established;	/* handshake over, traffic seen */
	coap_session_t		*session;
	LIST_ENTRY(sig_session)	 entry;		/* in dotsd's sessions */
	/* server-sent heartbeats (sig_hb.c) */
	time_t			 hb_sent;	/* last one sent, or start */
	time_t			 hb_heard;	/* last one from the client */
	bool			 hb_pending;	/* the last one is unanswered */
	unsigned		 hb_missed;	/* unanswered in a row */
	bool			 hb_now;	/* the client hears none: now */
};

/* A session configuration read from the store, waiting for its client. */
struct sig_saved_config {
	char			 cuid[STORE_ID_MAX + 1];
	uint32_t		 sid;
	struct dots_signal_config config;
};

struct dotsd_settings;

struct dotsd {
	coap_context_t		*ctx;
	const struct dotsd_settings *set;	/* while dotsd_run() runs */
	struct store		*store;
	struct mit_engine	*engine;
	struct dotsd_client	*clients;
	size_t			 nclients;
	struct sig_limits	 limits;
	LIST_HEAD(, sig_session) sessions;	/* authenticated ones */
	struct sig_saved_config	*saved;
	size_t			 nsaved;
	/* answers held until the turn's commit, then until sent */
	struct sig_pending	*pending, *released;	/* sig_defer.c */
	size_t			 npending, cappending;
	size_t			 nreleased, capreleased;
	/* resources to delete after the current loop turn */
	coap_resource_t		**doomed;
	size_t			 ndoomed, capdoomed;
	struct dc		*dc;		/* data channel, or NULL */
	struct acl_force	*acls;		/* with the data channel */
	struct adm		*adm;		/* control socket, or NULL */
};

/* sig_tls.c */
/* The configured client of a certificate (CN, cuid or SPKI), or NULL. */
struct dotsd_client *sig_match_client(struct dotsd *d, const char *cn,
	    const char *cuid, const char *full);
int	sig_tls_setup(struct dotsd *d, const char *ca_file,
	    const char *cert_file, const char *key_file, char *err,
	    size_t errlen);
struct sig_session *sig_session_of(coap_session_t *s);
void	sig_session_event(struct dotsd *d, coap_session_t *s,
	    coap_event_t ev);

/* sig_mitigate.c */
int	sig_mitigate_init(struct dotsd *d);
void	sig_mitigation_changed(void *arg, const struct mitigation *m,
	    bool removed);
void	sig_flush_doomed(struct dotsd *d, size_t count);

/* sig_config.c */
int	sig_config_init(struct dotsd *d);
void	sig_config_handle(coap_resource_t *r, coap_session_t *s,
	    const coap_pdu_t *req, const coap_string_t *query,
	    coap_pdu_t *resp);
void	sig_limits_default(struct sig_limits *l);

/* sig_hb.c */
int	sig_hb_init(struct dotsd *d);
void	sig_hb_handle(coap_resource_t *r, coap_session_t *s,
	    const coap_pdu_t *req, const coap_string_t *query,
	    coap_pdu_t *resp);
/* The heartbeat-interval and missing-hb-allowed that apply to @p cl now. */
void	sig_hb_params(struct dotsd *d, const struct dotsd_client *cl,
	    int64_t *hb, int64_t *miss);
/* Heartbeats to the clients (RFC 9132 4.7); call once a second. */
void	sig_hb_tick(struct dotsd *d, time_t now);

/* sig_defer.c */
struct sig_reply;
struct sig_pending;
struct sig_reply *sig_reply_new(int code, const struct dots_signal *body,
	    const char *diag, uint32_t max_age);
void	sig_reply_free(struct sig_reply *r);
void	sig_reply_write(coap_pdu_t *resp, const struct sig_reply *r);
bool	sig_deferred(coap_session_t *s, const coap_pdu_t *req,
	    coap_pdu_t *resp);
void	sig_defer(struct dotsd *d, coap_session_t *s, const coap_pdu_t *req,
	    coap_pdu_t *resp, struct sig_reply *r);
void	sig_release_deferred(struct dotsd *d, bool committed);
void	sig_defer_free(struct dotsd *d);

/* sig_util.c */
void	sig_reply_error(coap_pdu_t *resp, int code, const char *diag);
int	sig_reply_body(coap_resource_t *r, coap_session_t *s,
	    const coap_pdu_t *req, coap_pdu_t *resp,
	    const coap_string_t *query, int code,
	    const struct dots_signal *body, int max_age);
int	sig_request_body(const coap_pdu_t *req, coap_pdu_t *resp,
	    struct dots_signal **out);
int	sig_uri_of(const coap_pdu_t *req, struct dots_uri *uri,
	    char *err, size_t errlen);
struct dotsd *sig_dotsd(coap_session_t *s);

#endif /* DOTS_DOTSD_H */
