/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotscd's durable state, in SQLite (WAL): the last mid of each server,
 * so that mids keep increasing across restarts (RFC 9132 section
 * 4.4.1), and every mitigation the daemon knows, pending ones included,
 * so that a request accepted on the control socket survives a restart
 * until it is delivered or cancelled.  All SQL is in store.c.
 */
#ifndef DOTSCD_STORE_H
#define DOTSCD_STORE_H

#include <stdbool.h>
#include <stdint.h>

/* RFC 9132 section 4.4.1: mids roll over here when nothing is active. */
#define STORE_MID_ROLLOVER	3221225471u

/* One mitigation as stored; strings are borrowed. */
struct store_mit {
	const char	*server;
	uint32_t	 mid;
	const char	*origin;
	const char	*target;	/* trigger key, or "" */
	const char	*state;		/* pending, active, ... */
	unsigned	 status;	/* RFC 9132 Table 3, 0: none */
	bool		 delivered;	/* the server has seen this mid */
	const char	*scope;		/* JSON of the scope, without mid */
	int64_t		 created;
	int64_t		 updated;
	const char	*error;		/* JSON of the error, or NULL */
	const char	*cdid;		/* or NULL (a gateway's, RFC 9132) */
	unsigned	 hop_limit;	/* RFC 8768, 0: none */
};

struct store;

/**
 * Open (create) the database at @p path.
 * @return **new** store (store_close), or NULL with @p err set
 */
struct store	*store_open(const char *path, char *err, size_t errlen);
void		 store_close(struct store *st);

/**
 * The mid after @p last (RFC 9132 4.4.1): last + 1, or 0 once @p last
 * reached STORE_MID_ROLLOVER with no active mitigation.
 * @return 0 and the mid in @p mid, or -1 if none is left (active
 *         mitigations hold the mid space at its top)
 */
int	mid_after(uint32_t last, bool have_last, bool any_active,
	    uint32_t *mid);

/**
 * Allocate the next mid of @p server and record it before returning.
 * @return 0, or -1 (database error, or no mid left)
 */
int	store_mid_next(struct store *st, const char *server, bool any_active,
	    uint32_t *mid);
/** Record @p mid as used if it is above the last one. */
int	store_mid_seen(struct store *st, const char *server, uint32_t mid);
/** The last mid of @p server; @p have is false if none was used. */
int	store_mid_last(struct store *st, const char *server, uint32_t *mid,
	    bool *have);

/** Insert or replace one mitigation. */
int	store_mit_put(struct store *st, const struct store_mit *m);
int	store_mit_del(struct store *st, const char *server, uint32_t mid);
/** Call @p cb for every stored mitigation, oldest first. */
int	store_mit_load(struct store *st,
	    void (*cb)(void *arg, const struct store_mit *m), void *arg);

#endif /* DOTSCD_STORE_H */
