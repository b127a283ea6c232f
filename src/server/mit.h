/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The mitigation engine of dotsd: the RFC 9132 life cycle of mitigation
 * requests, independent of CoAP.  The CoAP glue (sig_*.c) decodes and
 * validates a request, calls mit_put()/mit_get()/mit_delete() with the
 * client's identity, and turns the result into a response.  The engine
 * authorizes scopes against the client's domain, applies the mid ordering
 * and overlap rules, keeps lifetimes, drives the mitigators and writes
 * every change to the store.
 */
#ifndef DOTS_MIT_H
#define DOTS_MIT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <dots/model.h>

#include "backend.h"
#include "mit_index.h"
#include "store.h"

#define MIT_ID_MAX	64
#define MIT_NAME_MAX	64

/* A configured client: who it is and what it may ask for. */
struct mit_client {
	char			 name[MIT_NAME_MAX];
	struct dots_prefix	*prefixes;	/* its domain */
	size_t			 nprefixes;
	char			**fqdns;
	size_t			 nfqdns;
	unsigned		 max_mitigations;
	unsigned		 max_rate;	/* requests per second */
	struct backend		*backend;
	bool			 gateway;	/* trusted to supply cdid */
	/* runtime */
	double			 tokens;	/* rate limiter bucket */
	time_t			 tokens_at;
	time_t			 last_heard;	/* any traffic, for session loss */
	bool			 signal_lost;
	unsigned		 nmit;		/* held, kept by the engine */
	unsigned		 napplied;	/* with the mitigator, ditto */
};

struct mit_cuid;

struct mitigation {
	/* the engine's lists and indexes */
	struct mitigation	*next, *prev;	/* all, newest first */
	struct mitigation	*cnext, *cprev;	/* same cuid, newest first */
	struct mit_cuid		*owner;
	struct mi_hnode		 by_key;	/* (cuid, mid) */
	struct mi_hnode		 by_id;
	struct mi_entry		*ix;		/* one per target key */
	size_t			 nix;
	uint64_t		 seen;		/* overlap search stamp */

	uint64_t		 id;
	struct mit_client	*client;
	char			 cuid[MIT_ID_MAX + 1];
	char			 cdid[MIT_ID_MAX + 1];	/* as in the path */
	uint32_t		 mid;
	uint8_t			 hop_limit;	/* received (RFC 8768), 0:
						   none; not stored */
	struct dots_signal	*req;		/* one scope, as requested */
	struct dots_signal	*eff;		/* req with its aliases expanded
						   (no alias-name), or NULL if
						   it names none */
	uint8_t			 status;	/* enum dots_status */
	bool			 trigger;
	bool			 applied;	/* handed to the backend */
	int64_t			 lifetime;	/* granted */
	time_t			 created;
	time_t			 expires;	/* 0: never */
	time_t			 started;	/* 0: not yet */
	time_t			 terminating_until; /* grace period end */
	int			 abt;		/* the next grace period, s */
	time_t			 rearm_at;	/* withdrawn preconfigured: back
						   to status 8 then */
	uint8_t			 attack_status;	/* last efficacy update */
	struct be_report	 stats;
	char			 failure[160];	/* the mitigator's reason */
	/* own targets that another client's enforced request also covers */
	struct dots_prefix	*cf_prefix;
	size_t			 n_cf_prefix;
	char			**cf_fqdn;	/* borrowed from the targets */
	size_t			 n_cf_fqdn;
};

/* What happened to a request: the CoAP answer the glue sends. */
struct mit_result {
	int			 code;		/* 201, 204, 400, 401, ... */
	char			 diag[256];	/* text for 4.xx/5.xx */
	struct dots_signal	*body;		/* **new** CBOR body or NULL */
	uint32_t		 max_age;	/* for 5.03, 0: none */
	bool			 no_response;	/* silently ignored */
};

struct mit_engine;

/* Called when a mitigation changes, for Observe notifications. */
typedef void (*mit_change_fn)(void *arg, const struct mitigation *m,
    bool removed);

struct mit_params {
	int			 abt_seconds;	/* active-but-terminating */
	int64_t			 max_lifetime;	/* 0: no limit */
	/* this server in a 5.08 diagnostic (RFC 8768 section 4), no
	   spaces; "" if unnamed */
	char			 gateway_id[MIT_NAME_MAX];
};

struct mit_engine	*mit_engine_new(struct store *st,
			    const struct mit_params *p, mit_change_fn cb,
			    void *cb_arg);

/*
 * Appends the targets of alias @p name of client @p cuid, as of @p now,
 * to @p out, which lives in @p m (its arrays go to @p m's arena).
 * @return 0, 1 no such alias of this client, -1 error
 */
typedef int (*mit_alias_fn)(void *arg, const char *cuid, const char *name,
    time_t now, struct dots_signal *m, struct dots_target *out);

/*
 * Where alias-name is looked up (the data channel); without it, a request
 * with alias-name is refused.  Set it before mit_engine_restore().
 */
void			 mit_engine_set_aliases(struct mit_engine *e,
			    mit_alias_fn fn, void *arg);

/*
 * RFC 9133 acl-list: whether client @p cuid has ACL @p name and its
 * mitigator would take it with activation-type @p type (0; 1 no such ACL,
 * 2 the mitigator would refuse it, each with a sentence in @p why; -1
 * error), and setting its activation-type for good once a request naming
 * it is accepted.
 */
typedef int (*mit_acl_check_fn)(void *arg, const char *cuid,
    const char *name, uint8_t type, char *why, size_t whylen);
typedef void (*mit_acl_set_fn)(void *arg, const char *cuid,
    const char *name, uint8_t type, time_t now);
void			 mit_engine_set_acls(struct mit_engine *e,
			    mit_acl_check_fn check, mit_acl_set_fn set,
			    void *arg);
void			 mit_engine_free(struct mit_engine *e);
/* Reload mitigations from the store and re-drive the backends. */
int			 mit_engine_restore(struct mit_engine *e,
			    struct mit_client *(*find)(void *, const char *),
			    void *find_arg, time_t now);

/* The request as the glue passes it; all pointers borrowed. */
struct mit_request {
	struct mit_client	*client;
	const char		*cuid;
	const char		*cdid;		/* NULL if none */
	uint8_t			 hop_limit;	/* RFC 8768 option, 0: none */
	uint32_t		 mid;
	bool			 efficacy;	/* If-Match present */
	const struct dots_signal *msg;		/* decoded and validated */
	time_t			 now;
};

void	mit_put(struct mit_engine *e, const struct mit_request *r,
	    struct mit_result *res);
void	mit_get(struct mit_engine *e, struct mit_client *cl, const char *cuid,
	    bool one, uint32_t mid, char filter, time_t now,
	    struct mit_result *res);
void	mit_delete(struct mit_engine *e, struct mit_client *cl,
	    const char *cuid, uint32_t mid, time_t now, struct mit_result *res);

/* Timers: lifetimes, grace periods, session loss.  Call once a second. */
void	mit_tick(struct mit_engine *e, time_t now);
/* Every mitigation of a client whose signal channel is gone. */
void	mit_signal_lost(struct mit_engine *e, struct mit_client *cl,
	    time_t now);
/* Backend outcome (registered as the backends' report callback). */
void	mit_backend_report(void *arg, const struct be_report *r);

const struct mitigation *mit_find(struct mit_engine *e, const char *cuid,
	    uint32_t mid);
unsigned mit_count(struct mit_engine *e, const struct mit_client *cl);
/*
 * Call @p cb on every mitigation held, newest first, until it returns
 * non-zero (which is returned).  @p cb must not change the engine.
 */
int	mit_foreach(struct mit_engine *e,
	    int (*cb)(void *arg, const struct mitigation *m), void *arg);

void	mit_result_clear(struct mit_result *res);

#endif /* DOTS_MIT_H */
