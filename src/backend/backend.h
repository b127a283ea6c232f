/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The mitigator interface: how the server hands accepted mitigations to
 * whatever enforces them (a log, a script, BGP Flowspec, an upstream DOTS
 * server) and hears back how it went.
 *
 * Everything is asynchronous: apply() and withdraw() only start the work
 * and return at once; the backend reports the outcome later, from its
 * poll() or fd handling, through the report callback.  A backend may refuse
 * at once (capacity, unsupported scope) by returning an error from apply().
 * All calls happen on the server's single event loop thread.
 */
#ifndef DOTS_BACKEND_H
#define DOTS_BACKEND_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dots/model.h>

struct backend;

/*
 * One mitigation as the backend sees it.  Borrowed for the call only.
 *
 * Either a mitigation request of the signal channel (@p scope set), or a
 * filtering ACL of the data channel that is in force (@p acl set, @p
 * scope NULL, @p mid 0): RFC 8783 section 7.3 and RFC 9133.  @p acl is
 * one entry of the client's ACL list as the data channel stores it,
 * validated against the YANG modules: a JSON object with "name",
 * "type", "activation-type" and "aces" (module-qualified identities, as
 * RFC 7951 prints them).  A backend that cannot enforce ACLs refuses
 * them from apply() with -ENOTSUP and a refusal sentence.
 */
struct be_mitigation {
	uint64_t		 id;	/* server-wide, stable across restarts */
	const char		*cuid;
	const char		*client;	/* configured client name */
	uint32_t		 mid;
	const struct dots_scope	*scope;	/* targets, ports, sources, acl-list */
	const char		*acl;	/* or an ACL in force, as JSON */
	int64_t			 lifetime;	/* granted, seconds or -1 */
	int64_t			 started;	/* first enforced (epoch s), 0:
						   never; kept across restarts */
	/*
	 * For a mitigator that relays to another DOTS server (gateway):
	 * the client domain (RFC 9132 4.3) to put in the relayed request,
	 * and the Hop-Limit to send (RFC 8768: the one received less one;
	 * 0 if none was received, then the mitigator inserts its initial
	 * value).
	 */
	const char		*cdid;
	uint8_t			 hop_limit;
};

enum be_state {
	BE_PENDING = 1,		/* being set up */
	BE_ACTIVE,		/* enforced */
	BE_FAILED,		/* could not be enforced (reason says why) */
	BE_WITHDRAWN		/* no longer enforced */
};

#define BE_STATS_VALID	0x1u	/* the counters below are meaningful */

struct be_report {
	uint64_t	id;
	enum be_state	state;
	unsigned	flags;
	uint64_t	bytes_dropped;
	uint64_t	pkts_dropped;
	uint64_t	bps_dropped;
	uint64_t	pps_dropped;
	char		reason[160];	/* for BE_FAILED, shown to the client */
};

typedef void (*be_report_fn)(void *arg, const struct be_report *r);

/* A mitigation held for an administrator's decision (be_ops.held). */
struct be_held {
	uint64_t	id;		/* the mitigation's */
	char		client[64];
	uint32_t	mid;
	int64_t		since;		/* epoch seconds */
	char		what[160];	/* its targets, for a person */
};

/* Key/value settings of one "mitigator" block of the configuration. */
struct be_setting {
	const char	*key;
	const char	*value;
};

struct be_ops {
	const char	*name;
	bool		 acls;	/* enforces ACLs (be_mitigation.acl) */
	/*
	 * Relays mitigations to another DOTS server (a gateway): the
	 * server then refuses a request whose Hop-Limit is 1 with 5.08
	 * (RFC 8768) instead of handing it over.
	 */
	bool		 relays;
	/* @return 0 or a negative errno; @p err gets a sentence on failure */
	int	(*init)(struct backend *be, const struct be_setting *settings,
		    size_t nsettings, char *err, size_t errlen);
	/* Start enforcing.  @return 0 (outcome reported later) or -errno. */
	int	(*apply)(struct backend *be, const struct be_mitigation *m);
	/*
	 * Optional: would apply() take @p m now?  Changes nothing.
	 * @return 0, or -errno with the reason in be->refusal.
	 */
	int	(*check)(struct backend *be, const struct be_mitigation *m);
	/*
	 * Optional: the client's efficacy update about @p id (RFC 9132
	 * section 4.4.3), @p attack_status an enum dots_attack_status.
	 */
	void	(*efficacy)(struct backend *be, uint64_t id,
		    uint8_t attack_status);
	/* Stop enforcing @p id.  Reports BE_WITHDRAWN when done. */
	int	(*withdraw)(struct backend *be, uint64_t id);
	/*
	 * Optional, for a mitigator that hands over to others (policy):
	 * called once every mitigator exists and reports to the server;
	 * @p find gives a mitigator by its name.  @return 0 or -errno with
	 * a sentence in @p err.
	 */
	int	(*bind)(struct backend *be,
		    struct backend *(*find)(void *arg, const char *name),
		    void *arg, char *err, size_t errlen);
	/*
	 * Optional, for a mitigator that holds mitigations for an
	 * administrator's decision (policy with manual approval): held()
	 * fills up to @p max entries of @p out and returns how many are
	 * held; decide() approves (@p approve) or refuses, with @p why,
	 * the held mitigation @p id.  @return 0, -ENOENT if it holds no
	 * such id.
	 */
	size_t	(*held)(struct backend *be, struct be_held *out, size_t max);
	int	(*decide)(struct backend *be, uint64_t id, bool approve,
		    const char *why);
	/*
	 * Optional: descriptors whose readiness means poll() has work (a
	 * child's output, a socket), so that the loop wakes for them rather
	 * than at its next turn.  Fills up to @p max of @p out and returns
	 * how many it would like.
	 */
	size_t	(*pollfds)(struct backend *be, struct pollfd *out,
		    size_t max);
	/* Called every loop turn and at least once a second. */
	void	(*poll)(struct backend *be);
	void	(*free)(struct backend *be);
};

struct backend {
	const struct be_ops	*ops;
	char			 name[64];	/* instance name from the config */
	be_report_fn		 report;
	void			*report_arg;
	unsigned		 capacity;	/* max active mitigations, 0: none */
	unsigned		 active;
	void			*priv;		/* backend's own state */
	/* why apply() last returned an error, for the client; "" if unsaid */
	char			 refusal[160];
	/* hands mitigations to a mitigator that relays (policy): as relays */
	bool			 relays;
};

/* backend.c */

/** Find the ops of a backend type ("log", "exec", ...), or NULL. */
const struct be_ops	*be_lookup(const char *type);
/** Create and initialise an instance.  **new**, free with be_free(). */
struct backend		*be_new(const char *type, const char *name,
			    const struct be_setting *settings,
			    size_t nsettings, be_report_fn report, void *arg,
			    char *err, size_t errlen);
void			 be_free(struct backend *be);
/**
 * Helper for backends: deliver a report to the server.  Keeps be->active:
 * +1 the first time an id is BE_ACTIVE, -1 when it then ends as
 * BE_WITHDRAWN or BE_FAILED.  Only for instances made by be_new().
 */
void			 be_emit(struct backend *be, const struct be_report *r);

/**
 * For dotsd -n: the settings of a mitigator of type @p type checked
 * without making it; @p kind_of says what a name is (0 a mitigator, 1 a
 * policy, -1 none).  Only a policy's names are checked today.
 * @return 0, or -EINVAL with a sentence in @p err
 */
int			 be_check_settings(const char *type,
			    const struct be_setting *settings, size_t n,
			    int (*kind_of)(const void *arg, const char *name),
			    const void *arg, char *err, size_t errlen);
/**
 * The mitigation as one line of JSON for external tools (exec backend,
 * logs): id, cuid, client, then mid, lifetime and scope for a mitigation
 * request, or acl (the object itself) for an ACL; format in
 * docs/mitigators.md.  **new** (free()), or NULL with
 * errno set (EINVAL, ENOMEM).
 */
char			*be_mitigation_json(const struct be_mitigation *m);

extern const struct be_ops be_log_ops;
extern const struct be_ops be_exec_ops;
extern const struct be_ops be_flowspec_ops;	/* flowspec/ */
extern const struct be_ops be_rtbh_ops;		/* rtbh/ */
extern const struct be_ops be_policy_ops;	/* policy/ */
extern const struct be_ops be_dots_ops;		/* upstream/ */

#endif /* DOTS_BACKEND_H */
