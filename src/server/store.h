/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Durable server state in SQLite (WAL): mitigations, session
 * configurations and the clients seen.  All SQL lives in store_sqlite.c,
 * behind this small API.
 *
 * Writes are grouped: the event loop calls store_begin() before handling a
 * batch of requests and store_commit() after, and answers the requests
 * only once the commit returned, so one fsync covers the whole batch and
 * every acknowledged request is on disk.
 */
#ifndef DOTS_STORE_H
#define DOTS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

#define STORE_ID_MAX	64	/* cuid / cdid length */

/* One mitigation as stored.  The request itself is kept as the canonical
 * CBOR of a mitigation-scope body with one scope (libdots encodes it). */
struct store_mitigation {
	uint64_t	 id;		/* server-wide, > 0 */
	char		 cuid[STORE_ID_MAX + 1];
	char		 cdid[STORE_ID_MAX + 1];	/* "" if none */
	char		 client[64];	/* configured client name */
	uint32_t	 mid;
	const uint8_t	*body;		/* borrowed on put, valid during foreach cb */
	size_t		 body_len;
	uint8_t		 status;	/* enum dots_status */
	bool		 trigger;	/* trigger-mitigation */
	int64_t		 lifetime;	/* granted: seconds or -1 */
	int64_t		 created;	/* epoch seconds */
	int64_t		 expires;	/* epoch seconds, 0 = never */
	int64_t		 started;	/* mitigation-start, 0 = not started */
	int64_t		 terminating_until; /* end of the grace period, 0 */
};

struct store_config {
	char		 cuid[STORE_ID_MAX + 1];
	uint32_t	 sid;
	const uint8_t	*body;		/* CBOR signal-config body */
	size_t		 body_len;
};

/**
 * Open (creating if needed) the database at @p path; ":memory:" works for
 * tests.  @p sync_full: fsync every commit (durable); otherwise
 * synchronous=NORMAL.  @return 0 or -1 with a sentence in @p err.
 */
int	store_open(const char *path, bool sync_full, struct store **out,
	    char *err, size_t errlen);
void	store_close(struct store *st);

/* Group writes: begin/commit are cheap no-ops when nothing was written. */
int	store_begin(struct store *st);
int	store_commit(struct store *st);
int	store_rollback(struct store *st);

int	store_mitigation_put(struct store *st, const struct store_mitigation *m);
int	store_mitigation_delete(struct store *st, uint64_t id);
/* Calls @p cb for each stored mitigation, ordered by id; stops if cb != 0. */
int	store_mitigation_foreach(struct store *st,
	    int (*cb)(void *arg, const struct store_mitigation *m), void *arg);
/* Largest id ever stored (0 if none), to continue numbering. */
int	store_mitigation_max_id(struct store *st, uint64_t *id);

int	store_config_put(struct store *st, const struct store_config *c);
int	store_config_delete(struct store *st, const char *cuid);
int	store_config_foreach(struct store *st,
	    int (*cb)(void *arg, const struct store_config *c), void *arg);

int	store_client_seen(struct store *st, const char *cuid,
	    const char *client, int64_t now);

/*
 * For the data channel's tables (src/datachan/dc_store.c), which share
 * the connection and the turn's transaction: the SQLite handle, the call
 * to make before each write (it opens the batch's transaction), and the
 * one after a failed write (it notes whether SQLite rolled the whole
 * batch back).  Their SQL lives in that file.
 */
struct sqlite3	*store_sqlite_db(struct store *st);
int	store_ext_write_begin(struct store *st);
void	store_ext_write_failed(struct store *st);

/* Last SQLite error text, for logs. */
const char *store_errmsg(struct store *st);

#endif /* DOTS_STORE_H */
