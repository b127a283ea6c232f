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

struct srv {
	struct dotscd		*d;
	const struct cconf_server *cf;
	struct dots_client	*c;
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
	WAIT_CALL		/* a direct request (efficacy, session) */
};

struct waiter {
	struct waiter		*next;
	struct dotscd		*d;
	enum waiter_kind	 kind;
	struct ctl_rep		 rep;
	struct mit		*m;		/* MITIGATE, WITHDRAW */
	struct srv		*s;		/* CALL */
	uint64_t		 req_id;	/* CALL */
	time_t			 deadline;
	bool			 done;
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
	struct srv		*srv;
	size_t			 nsrv;
	struct mit		*mits;		/* newest last */
	size_t			 nmits;
	struct waiter		*waiters;
	struct tick		*ticks;
	struct trig_set		*thr;		/* threshold triggers */
	struct ctl_conn		*conns;
	int			 listen_fd;
	bool			 lost;		/* signal loss declared */
	bool			 quit;
};

/* srv.c */
int	 srv_init(struct dotscd *d, char *err, size_t errlen);
void	 srv_free_all(struct dotscd *d);
void	 srv_tick(struct dotscd *d, time_t now);
void	 srv_apply_config(struct srv *s);
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
void	 mit_send(struct mit *m);
void	 mit_withdraw(struct mit *m);
void	 mit_drop(struct dotscd *d, struct mit *m);
void	 mit_srv_up(struct srv *s);
void	 mit_tick(struct dotscd *d, time_t now);
int	 mit_load(struct dotscd *d);
json_t	*mit_json(const struct mit *m);
void	 mit_event(struct mit *m);
const char *mit_state_name(enum mit_state st);
int	 mit_state_parse(const char *s, enum mit_state *st);

/* ctl_cmd.c */
void	 ctl_answer_ok(struct ctl_rep *rep, json_t *result);
void	 ctl_answer_err(struct ctl_rep *rep, const char *code,
	    const char *field, const char *msg, json_t *server);
void	 waiter_resolve_mit(struct dotscd *d, struct mit *m,
	    enum waiter_kind kind);
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
void	 sigloss_reap(void);

#endif /* DOTSCD_CLIENTD_H */
