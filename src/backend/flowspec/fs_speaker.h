/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Keeping a GoBGP speaker's global RIB equal to what the mitigations of
 * one mitigator want (fs_speaker.c).  The flowspec and rtbh mitigators
 * say which routes each mitigation needs; this file announces and
 * withdraws them with the gobgp command, a few runs at once (one a route)
 * and never waiting for them, reads the RIB back to find stale and missing routes,
 * and reports each mitigation active once all its routes are in.
 */
#ifndef DOTS_FS_SPEAKER_H
#define DOTS_FS_SPEAKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../backend.h"
#include "fs_rule.h"

/* One route: gobgp global rib -a FAMILY add [match] NLRI ATTRS. */
struct sp_route {
	const char	*family;	/* "ipv4-flowspec", "ipv4", ... */
	const char	*nlri;		/* the words that name the route */
	const char	*attrs;		/* "then discard", "nexthop ..." */
};

struct sp_conf {
	char		 gobgp[256];	/* path of the gobgp command */
	char		 host[64];	/* gobgpd's API address */
	unsigned	 port;		/* and port */
	unsigned	 timeout;	/* seconds one run may take */
	unsigned	 retry;		/* seconds between tries when down */
	unsigned	 reconcile;	/* seconds between RIB readings */
	unsigned	 parallel;	/* gobgp runs at once, 1 .. 16 */
	bool		 flowspec;	/* flow rules (else blackhole routes) */
	uint8_t		 families[2];	/* DOTS_AF_*, 0 if unused */
};

struct speaker;

/* fs_speaker.c */

/**
 * Read a speaker setting (gobgp, api-host, api-port, timeout,
 * retry-interval, reconcile-interval, parallel-runs).  @return 1 if @p key is none,
 * 0, or -EINVAL with a sentence in @p err
 */
int		 sp_setting(struct sp_conf *c, const char *key,
		    const char *value, char *err, size_t errlen);
/** Defaults for every setting; @p flowspec picks the kind of routes. */
void		 sp_conf_init(struct sp_conf *c, bool flowspec);
/** **new**; reports go to @p be through be_emit(), from sp_poll(). */
struct speaker	*sp_new(const struct sp_conf *c, struct backend *be);
void		 sp_free(struct speaker *sp);
/**
 * Mitigation @p id now needs exactly @p routes (an update replaces what
 * it needed before).  Reported active once they are all in the RIB.
 * @return 0 or -ENOMEM
 */
int		 sp_set(struct speaker *sp, uint64_t id, const char *client,
		    const struct sp_route *routes, size_t n);
/** @p id needs nothing any more; BE_WITHDRAWN once its routes are out. */
int		 sp_remove(struct speaker *sp, uint64_t id);
/** Routes held by @p client (all clients if NULL), except @p id's. */
size_t		 sp_count(const struct speaker *sp, const char *client,
		    uint64_t except);
/** Drive the runs; call every loop turn. */
void		 sp_poll(struct speaker *sp);
/** The runs' pipes, to wait on (be_ops.pollfds). */
size_t		 sp_pollfds(const struct speaker *sp, struct pollfd *out,
		    size_t max);

/*
 * What the flowspec and rtbh mitigators share: the first member of their
 * state (be->priv), so that withdraw, poll and free are the same code.
 */
struct sp_mitigator {
	struct fs_policy	 pol;
	struct speaker		*sp;
};

int		 sp_mitigator_withdraw(struct backend *be, uint64_t id);
void		 sp_mitigator_poll(struct backend *be);
size_t		 sp_mitigator_pollfds(struct backend *be, struct pollfd *out,
		    size_t max);
/** Frees be->priv, whose first member is a struct sp_mitigator. */
void		 sp_mitigator_free(struct backend *be);

#endif /* DOTS_FS_SPEAKER_H */
