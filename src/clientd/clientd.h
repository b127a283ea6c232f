/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotscd's insides: the daemon (struct dotscd), one struct srv per
 * configured DOTS server (a dotsclient session, its backoff and its
 * negotiated configuration), one struct mit per mitigation it knows, and
 * the answers that wait for a server (struct waiter).  One thread, one
 * poll loop (main.c); the control socket (ctl.c) and the in-daemon
 * triggers reach the logic only through ctl_submit() (ctl_cmd.c).
 */
#ifndef DOTSCD_CLIENTD_H
#define DOTSCD_CLIENTD_H

#include <stdbool.h>
#include <stdint.h>
#include <poll.h>
#include <sys/types.h>
#include <time.h>

#include <jansson.h>

#include <dots/client.h>

#include "conf_clientd.h"
#include "dotscd.h"
#include "store.h"

#define CTL_LINE_MAX		65536
#define MIT_ENDED_KEEP		600	/* s an ended one stays in list */
#define WAIT_MAX		300	/* s, the `wait` argument */

enum srv_state {
	SRV_DOWN,
	SRV_CONNECTING,
	SRV_UP
};

/*
 * Happy eyeballs (RFC 9132 section 4.3): one connection attempt per
 * transport and address family, started one delay apart; the first
 * session up is kept, the others closed.
 */
#define SRV_ATT_MAX		4	/* {DTLS, TLS} x {IPv6, IPv4} */
#define SRV_HE_DELAY_MS		250	/* RFC 8305 Connection Attempt Delay */
#define SRV_HE_DELAY_ATTACK_MS	100	/* RFC 9132 4.3, while mitigating */
#define SRV_HE_CACHE		600	/* s a winner is tried first */
#define SRV_ADDR_MAX		64
#define SRV_CALLS_MAX		64	/* queued efficacy/session calls */

struct srv;

struct srv_att {
	struct srv		*s;
	struct dots_client	*c;		/* NULL: not started */
	enum dots_transport	 tr;
	int			 family;	/* AF_INET6, AF_INET */
	char			 addr[SRV_ADDR_MAX]; /* numeric */
	uint64_t		 start_ms;	/* when to start it */
	bool			 dead;		/* failed or closed; freed
						 * by srv_reap() */
};

struct pcall;

struct srv {
	struct dotscd		*d;
	const struct cconf_server *cf;
	struct dots_client	*c;		/* the session's, while up */
	struct srv_att		 att[SRV_ATT_MAX];
	size_t			 natt;
	uint64_t		 round_end_ms;	/* give up connecting then */
	enum dots_transport	 tr;		/* in use, while up */
	char			 addr[SRV_ADDR_MAX]; /* in use, while up */
	bool			 has_winner;	/* remembered for a while */
	enum dots_transport	 win_tr;
	int			 win_family;
	time_t			 win_until;
	bool			 cfg_ready;	/* /config read this session */
	struct pcall		*calls;		/* efficacy, session set */
	size_t			 ncalls;
	enum srv_state		 state;
	time_t			 since;
	char			 last_error[DOTS_CLIENT_DIAG_MAX];
	unsigned		 missed;
	unsigned		 backoff;	/* s, next delay */
	time_t			 next_connect;
	struct dots_signal	*config;	/* as last read, or NULL */
	unsigned		 hb_interval;	/* in use */
	unsigned		 hb_missing;
	bool			 hb_mitigating;	/* which set applies */
};

enum mit_state {
	MIT_PENDING,
	MIT_ACTIVE,
	MIT_WITHDRAWING,
	MIT_ENDED,
	MIT_FAILED
};

struct mit {
	struct mit		*next;
	struct srv		*s;
	uint32_t		 mid;
	char			*origin;
	char			*target;	/* trigger key, "" if none */
	enum mit_state		 state;
	unsigned		 status;	/* RFC 9132 Table 3 */
	bool			 delivered;	/* answered by the server */
	bool			 sent;		/* sent at least once */
	json_t			*scope;		/* without mid */
	int64_t			 lifetime;	/* granted */
	time_t			 created, updated, last_send;
	uint64_t		 bytes_dropped, pkts_dropped;
	uint64_t		 bps_dropped, pps_dropped;
	char			*cdid;		/* for a gateway (RFC 9132
						 * 4.3), or NULL */
	uint8_t			 hop_limit;	/* RFC 8768, 0: none */
	json_t			*conflict;	/* or NULL */
	json_t			*error;		/* {code, diagnostic} or NULL */
	int			 last_code;	/* of the server's last answer */
	uint64_t		 req_id;	/* PUT or DELETE in flight */
	bool			 in_flight;
	uint64_t		 obs_id;
	bool			 observing;
	bool			 reobserve;	/* session lost since */
};

/* An answer to a control request, and where it goes. */
struct ctl_rep {
	ctl_reply_cb		 cb;
	void			*arg;
	json_t			*id;		/* owned, or NULL */
};

enum waiter_kind {
	WAIT_MITIGATE,		/* until the PUT's answer */
	WAIT_WITHDRAW,		/* until the DELETE's answer */
	WAIT_CALL		/* a queued call (efficacy, session set) */
};

struct waiter {
	struct waiter		*next;
	struct dotscd		*d;
	enum waiter_kind	 kind;
	struct ctl_rep		 rep;
	struct mit		*m;		/* MITIGATE, WITHDRAW */
	struct pcall		*p;		/* CALL */
	time_t			 deadline;
	bool			 done;
};

/*
 * A request other than a mitigation's, queued on its server until the
 * server answers it: an efficacy update or a session configuration.
 * Sent when the session is up (a configuration once /config was read),
 * sent again after a session loss or a timeout.
 */
enum pcall_kind {
	PCALL_EFFICACY,
	PCALL_CONFIG
};

struct pcall {
	struct pcall		*next;
	struct srv		*s;
	enum pcall_kind		 kind;
	struct mit		*m;		/* EFFICACY */
	struct dots_signal	*body;		/* owned */
	unsigned		 flags;		/* DOTS_REQ_* */
	uint32_t		 sid;		/* CONFIG: the last one sent */
	struct dots_client	*c;		/* sent on, while in flight */
	uint64_t		 req_id;
	bool			 in_flight;
	unsigned		 tries;
	time_t			 queued;
	struct waiter		*w;		/* who waits, or NULL */
};

struct tick {
	struct tick		*next;
	dotscd_tick_cb		 cb;
	void			*arg;
};

struct ctl_conn;

struct dotscd {
	struct cconf		*conf;
	struct store		*store;
	struct srv		**srv;		/* each its own allocation */
	size_t			 nsrv;
	struct mit		*mits;		/* newest last */
	size_t			 nmits;
	struct waiter		*waiters;
	struct tick		*ticks;
	struct trig_set		*thr;		/* threshold triggers */
	struct offload		*off;		/* offload.h, or NULL */
	struct ctl_conn		*conns;
	int			 listen_fd;
	bool			 lost;		/* signal loss declared */
	bool			 quit;
	/* command-line overrides, applied again on reload (argv's) */
	const char		*ovkey[16], *ovval[16];
	int			 nover;
};

/* srv.c */
struct srv *srv_new(struct dotscd *d, const struct cconf_server *cf,
	    char *err, size_t errlen);
void	 srv_free(struct srv *s);
int	 srv_init(struct dotscd *d, char *err, size_t errlen);
void	 srv_free_all(struct dotscd *d);
void	 srv_tick(struct dotscd *d, time_t now);
void	 srv_timers(struct dotscd *d);
int	 srv_timeout(struct dotscd *d);
int	 srv_pollfds(struct dotscd *d, struct pollfd *pfd, int max,
	    int *timeout);
void	 srv_process(struct dotscd *d);
void	 srv_reap(struct dotscd *d);
const char *srv_transport_name(enum dots_transport tr);
void	 srv_apply_config(struct srv *s);
void	 srv_config_reread(struct srv *s, uint32_t sid);
struct srv *srv_find(struct dotscd *d, const char *name);
struct srv *srv_preferred(struct dotscd *d);
const char *srv_state_name(enum srv_state st);
json_t	*srv_json(const struct srv *s);

/* mit.c */
struct mit *mit_new(struct dotscd *d, struct srv *s, uint32_t mid,
	    const char *origin, const char *target, json_t *scope);
void	 mit_free(struct dotscd *d, struct mit *m);
struct mit *mit_find(struct dotscd *d, struct srv *s, uint32_t mid);
struct mit *mit_find_target(struct dotscd *d, const char *origin,
	    const char *target);
bool	 mit_any_active(struct dotscd *d, struct srv *s);
bool	 mit_any_live(struct dotscd *d);
void	 mit_save(struct dotscd *d, struct mit *m);
int	 mit_set_cdid(struct mit *m, const char *cdid);
void	 mit_send(struct mit *m);
void	 mit_withdraw(struct mit *m);
void	 mit_drop(struct dotscd *d, struct mit *m);
void	 mit_srv_up(struct srv *s);
void	 mit_srv_down(struct srv *s);
void	 mit_forget(struct dotscd *d, struct mit *m);
void	 mit_tick(struct dotscd *d, time_t now);
int	 mit_load(struct dotscd *d);
json_t	*mit_json(const struct mit *m);
void	 mit_event(struct mit *m);
const char *mit_state_name(enum mit_state st);
int	 mit_state_parse(const char *s, enum mit_state *st);

/* pcall.c */
struct pcall *pcall_new(struct srv *s, enum pcall_kind kind, struct mit *m,
	    struct dots_signal *body, unsigned flags);
void	 pcall_free(struct pcall *p);
void	 pcall_send_all(struct srv *s);
void	 pcall_srv_down(struct srv *s);
void	 pcall_forget_mit(struct mit *m, const char *why);
void	 pcall_free_all(struct srv *s);

/* reload.c */
int	 srv_reload(struct dotscd *d, const struct cconf *nc, char *err,
	    size_t errlen);
int	 dotscd_reload(struct dotscd *d);

/* ctl_cmd.c */
void	 ctl_answer_ok(struct ctl_rep *rep, json_t *result);
void	 ctl_answer_err(struct ctl_rep *rep, const char *code,
	    const char *field, const char *msg, json_t *server);
void	 waiter_resolve_mit(struct dotscd *d, struct mit *m,
	    enum waiter_kind kind);
void	 waiter_call_done(struct pcall *p, const struct dots_reply *r,
	    const char *why);
void	 waiter_unlink(struct dotscd *d, struct waiter *w);
void	 waiter_forget_mit(struct dotscd *d, struct mit *m);
void	 waiter_tick(struct dotscd *d, time_t now);
void	 waiter_free_all(struct dotscd *d);

/* ctl.c */
int	 ctl_listen(struct dotscd *d, char *err, size_t errlen);
void	 ctl_close_all(struct dotscd *d);
int	 ctl_pollfds(struct dotscd *d, struct pollfd *pfd, int max);
void	 ctl_dispatch(struct dotscd *d, struct pollfd *pfd, int n);

/* tick.c */
void	 dotscd_tick_run(struct dotscd *d, time_t now);
void	 dotscd_tick_free_all(struct dotscd *d);

/* sigloss.c */
void	 sigloss_check(struct dotscd *d);
void	 sigloss_reap(struct dotscd *d);

#endif /* DOTSCD_CLIENTD_H */
