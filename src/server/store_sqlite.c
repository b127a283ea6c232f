/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The server's durable store (store.h) in SQLite.  Three tables: the
 * mitigations (one row per accepted request, keyed by the server-wide id,
 * unique per cuid and mid), the session configurations (one per cuid) and
 * the clients seen.  The file is in WAL mode; with sync_full every commit
 * is fsynced before it returns, which is what lets the event loop answer
 * a request as soon as its batch is committed.
 *
 * Every statement is prepared once at open and reused; all SQL text is a
 * constant of this file, values only ever travel as bound parameters.
 * The schema version is PRAGMA user_version; a file from a newer dotsd is
 * refused rather than misread.
 *
 * Batches: store_begin() only marks the batch.  Its transaction (BEGIN
 * IMMEDIATE) is opened by the first write, so a batch that writes nothing
 * costs no SQL at all at begin and at commit; the event loop brackets
 * every turn with begin/commit, and most turns write nothing.  A failed
 * statement inside a batch undoes only itself, unless SQLite rolls back
 * the whole transaction (disk full, I/O error): then the batch is marked
 * aborted and every later write and the commit fail, so that no write of
 * it can be committed on its own.
 *
 * One thread only: the connection is opened without SQLite's mutexes.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"

/* STRICT tables and SQLITE_OPEN_EXRESCODE. */
#define STORE_SQLITE_MIN	3037000
#if SQLITE_VERSION_NUMBER < STORE_SQLITE_MIN
#error "SQLite 3.37 or later is needed"
#endif

#define STORE_SCHEMA_VERSION	1
#define STORE_BUSY_MS		5000	/* wait for another writer */
#define STORE_ERR_LEN		256
#define STORE_CLIENT_MAX	63	/* struct store_mitigation.client */

_Static_assert(sizeof(((struct store_mitigation *)0)->client) ==
    STORE_CLIENT_MAX + 1, "client name length");

/* Version 1.  Text keys are WITHOUT ROWID: the key is the only index.
 * AUTOINCREMENT keeps the largest id ever inserted in sqlite_sequence,
 * also for explicit ids, so that ids are not reused after a delete. */
static const char store_schema[] =
	"CREATE TABLE mitigations ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" cuid TEXT NOT NULL,"
	" cdid TEXT NOT NULL,"
	" client TEXT NOT NULL,"
	" mid INTEGER NOT NULL,"
	" body BLOB NOT NULL,"
	" status INTEGER NOT NULL,"
	" trigger INTEGER NOT NULL,"
	" lifetime INTEGER NOT NULL,"
	" created INTEGER NOT NULL,"
	" expires INTEGER NOT NULL,"
	" started INTEGER NOT NULL,"
	" terminating_until INTEGER NOT NULL,"
	" UNIQUE (cuid, mid)"
	") STRICT;"
	"CREATE TABLE session_configs ("
	" cuid TEXT PRIMARY KEY NOT NULL,"
	" sid INTEGER NOT NULL,"
	" body BLOB NOT NULL"
	") STRICT, WITHOUT ROWID;"
	"CREATE TABLE clients ("
	" cuid TEXT PRIMARY KEY NOT NULL,"
	" client TEXT NOT NULL,"
	" first_seen INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL"
	") STRICT, WITHOUT ROWID;"
	"PRAGMA user_version = 1;";

enum store_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_MIT_PUT,
	ST_MIT_DELETE,
	ST_MIT_ALL,
	ST_MIT_MAX_ID,
	ST_CFG_PUT,
	ST_CFG_DELETE,
	ST_CFG_ALL,
	ST_CLIENT_SEEN,
	ST_COUNT
};

/* The columns of ST_MIT_ALL, in order; ST_MIT_PUT binds ?1.. the same. */
#define MIT_COLUMNS	"id, cuid, cdid, client, mid, body, status, "	\
	"trigger, lifetime, created, expires, started, terminating_until"
enum {
	MC_ID, MC_CUID, MC_CDID, MC_CLIENT, MC_MID, MC_BODY, MC_STATUS,
	MC_TRIGGER, MC_LIFETIME, MC_CREATED, MC_EXPIRES, MC_STARTED,
	MC_TERMINATING_UNTIL
};

static const char *const store_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_MIT_PUT] =
	    "INSERT INTO mitigations (" MIT_COLUMNS ") "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
	    "ON CONFLICT (id) DO UPDATE SET "
	    "cuid = excluded.cuid, cdid = excluded.cdid, "
	    "client = excluded.client, mid = excluded.mid, "
	    "body = excluded.body, status = excluded.status, "
	    "trigger = excluded.trigger, lifetime = excluded.lifetime, "
	    "created = excluded.created, expires = excluded.expires, "
	    "started = excluded.started, "
	    "terminating_until = excluded.terminating_until",
	[ST_MIT_DELETE] = "DELETE FROM mitigations WHERE id = ?1",
	[ST_MIT_ALL] = "SELECT " MIT_COLUMNS " FROM mitigations ORDER BY id",
	[ST_MIT_MAX_ID] =
	    "SELECT max(ifnull((SELECT seq FROM sqlite_sequence "
	    "WHERE name = 'mitigations'), 0), "
	    "ifnull((SELECT max(id) FROM mitigations), 0))",
	[ST_CFG_PUT] =
	    "INSERT INTO session_configs (cuid, sid, body) "
	    "VALUES (?1, ?2, ?3) "
	    "ON CONFLICT (cuid) DO UPDATE SET "
	    "sid = excluded.sid, body = excluded.body",
	[ST_CFG_DELETE] = "DELETE FROM session_configs WHERE cuid = ?1",
	[ST_CFG_ALL] =
	    "SELECT cuid, sid, body FROM session_configs ORDER BY cuid",
	[ST_CLIENT_SEEN] =
	    "INSERT INTO clients (cuid, client, first_seen, last_seen) "
	    "VALUES (?1, ?2, ?3, ?3) "
	    "ON CONFLICT (cuid) DO UPDATE SET "
	    "client = excluded.client, last_seen = excluded.last_seen",
};

struct store {
	sqlite3		*db;
	sqlite3_stmt	*stmt[ST_COUNT];
	bool		 batch;		/* between store_begin and commit */
	bool		 dirty;		/* the batch's transaction is open */
	bool		 aborted;	/* ... and SQLite rolled it back */
	char		 err[STORE_ERR_LEN];
	char		 abort_err[STORE_ERR_LEN]; /* why it was rolled back */
};

static void	store_err(struct store *st, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

static void
store_err(struct store *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
}

/* Keeps SQLite's message for the last failure, after @p what. */
static void
store_db_err(struct store *st, const char *what)
{
	store_err(st, "%s: %s", what, sqlite3_errmsg(st->db));
}

/*
 * Steps @p id, a statement that returns no row, to completion and resets
 * it for the next use.  @p what names the operation in the error text;
 * NULL keeps the current error text (cleanup after a failure).
 */
static int
store_exec(struct store *st, enum store_stmt id, const char *what)
{
	sqlite3_stmt *s = st->stmt[id];
	int rc;

	rc = sqlite3_step(s);
	if (rc != SQLITE_DONE && what != NULL)
		store_db_err(st, what);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Before any write: inside a batch, the first write opens its
 * transaction. */
static int
store_write_begin(struct store *st)
{
	if (st->aborted) {
		store_err(st, "batch rolled back after an earlier error: %s",
		    st->abort_err);
		return -1;
	}
	if (!st->batch || st->dirty)
		return 0;
	if (store_exec(st, ST_BEGIN, "begin") != 0)
		return -1;
	st->dirty = true;
	return 0;
}

/* Steps the bound write statement @p id. */
static int
store_write(struct store *st, enum store_stmt id, const char *what)
{
	if (store_exec(st, id, what) == 0)
		return 0;
	if (st->dirty && sqlite3_get_autocommit(st->db)) {
		/* The whole transaction is gone, not just this statement:
		 * the batch's earlier writes are lost too. */
		st->aborted = true;
		memcpy(st->abort_err, st->err, sizeof(st->abort_err));
	}
	return -1;
}

/* The data channel's tables (store.h) share the batch. */
sqlite3 *
store_sqlite_db(struct store *st)
{
	return st->db;
}

int
store_ext_write_begin(struct store *st)
{
	return store_write_begin(st);
}

void
store_ext_write_failed(struct store *st)
{
	store_db_err(st, "data channel");
	if (st->dirty && sqlite3_get_autocommit(st->db)) {
		st->aborted = true;
		memcpy(st->abort_err, st->err, sizeof(st->abort_err));
	}
}

/* A bind failed (too big, out of memory): record it, drop the others. */
static int
store_bind_err(struct store *st, enum store_stmt id, const char *what)
{
	store_db_err(st, what);
	sqlite3_clear_bindings(st->stmt[id]);
	return -1;
}

/* Length of @p s if it is terminated and at most @p max bytes, else -1. */
static int
store_strlen(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	return n <= max ? (int)n : -1;
}

/*
 * Copies text column @p col into @p buf of @p cap bytes.  What STRICT
 * cannot check is checked here: the length, and no NUL inside.
 */
static int
store_col_text(struct store *st, sqlite3_stmt *s, int col, char *buf,
    size_t cap, const char *what)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	int n = sqlite3_column_bytes(s, col);

	if (t == NULL) {
		store_err(st, "%s: %s", what, sqlite3_errmsg(st->db));
		return -1;
	}
	if ((size_t)n >= cap || memchr(t, '\0', (size_t)n) != NULL) {
		store_err(st, "%s: stored %s is invalid (%d bytes)", what,
		    sqlite3_column_name(s, col), n);
		return -1;
	}
	memcpy(buf, t, (size_t)n);
	buf[n] = '\0';
	return 0;
}

/* Integer column @p col, which must be in [@p lo, @p hi]. */
static int
store_col_int(struct store *st, sqlite3_stmt *s, int col, int64_t lo,
    int64_t hi, int64_t *v, const char *what)
{
	*v = sqlite3_column_int64(s, col);
	if (*v < lo || *v > hi) {
		store_err(st, "%s: stored %s %" PRId64 " is out of range", what,
		    sqlite3_column_name(s, col), *v);
		return -1;
	}
	return 0;
}

/* Open ------------------------------------------------------------- */

/* Runs a one-off statement at open that returns one integer or text. */
static int
store_pragma(struct store *st, const char *sql, int64_t *iv, char *tv,
    size_t tvcap)
{
	sqlite3_stmt *s = NULL;
	const unsigned char *t;
	int rc;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_db_err(st, sql);
		goto fail;
	}
	if (iv != NULL)
		*iv = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (tv != NULL) {
		t = rc == SQLITE_ROW ? sqlite3_column_text(s, 0) : NULL;
		snprintf(tv, tvcap, "%s", t != NULL ? (const char *)t : "");
	}
	sqlite3_finalize(s);
	return 0;
fail:
	sqlite3_finalize(s);
	return -1;
}

/* Creates the schema in an empty file, in one transaction. */
static int
store_schema_create(struct store *st)
{
	int64_t version, ntables;

	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		store_db_err(st, "create schema");
		return -1;
	}
	/* Again, now under the write lock: another process may have
	 * created it meanwhile. */
	if (store_pragma(st, "PRAGMA user_version", &version, NULL, 0) != 0)
		goto fail;
	if (version != 0) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return 0;
	}
	if (store_pragma(st, "SELECT count(*) FROM sqlite_schema",
	    &ntables, NULL, 0) != 0)
		goto fail;
	if (ntables != 0) {
		store_err(st, "not a dotsd database: schema version 0 but "
		    "it has %" PRId64 " tables or indexes", ntables);
		goto fail;
	}
	if (sqlite3_exec(st->db, store_schema, NULL, NULL, NULL) !=
	    SQLITE_OK ||
	    sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		store_db_err(st, "create schema");
		goto fail;
	}
	return 0;
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Checks the schema version, creating the schema in a new file. */
static int
store_schema_check(struct store *st)
{
	int64_t version;

	/* The first read of the file: "file is not a database" is here. */
	if (store_pragma(st, "PRAGMA user_version", &version, NULL, 0) != 0)
		return -1;
	if (version > STORE_SCHEMA_VERSION || version < 0) {
		store_err(st, "schema version %" PRId64 " is not supported "
		    "(this dotsd knows version %d): the file was written by "
		    "a newer dotsd", version, STORE_SCHEMA_VERSION);
		return -1;
	}
	if (version == 0 && store_schema_create(st) != 0)
		return -1;
	return 0;
}

static int
store_configure(struct store *st, bool sync_full)
{
	char mode[16];

	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	/* No writable_schema, no shadow table writes: only our SQL. */
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);

	if (store_schema_check(st) != 0)
		return -1;
	/* Only after the version check: WAL mode is written to the file. */
	if (store_pragma(st, "PRAGMA journal_mode = WAL", NULL, mode,
	    sizeof(mode)) != 0)
		return -1;
	/* An in-memory database stays "memory"; a file must be WAL. */
	if (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0) {
		store_err(st, "cannot switch to WAL mode (journal mode is "
		    "\"%s\")", mode);
		return -1;
	}
	/* With WAL, FULL fsyncs the log at every commit; NORMAL only at
	 * checkpoints, so a power loss may lose the last commits. */
	return store_pragma(st, sync_full ? "PRAGMA synchronous = FULL" :
	    "PRAGMA synchronous = NORMAL", NULL, NULL, 0);
}

static int
store_prepare(struct store *st)
{
	int i;

	for (i = 0; i < ST_COUNT; i++) {
		if (sqlite3_prepare_v3(st->db, store_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL) !=
		    SQLITE_OK) {
			store_db_err(st, "prepare");
			return -1;
		}
	}
	return 0;
}

int
store_open(const char *path, bool sync_full, struct store **out, char *err,
    size_t errlen)
{
	struct store *st = NULL;
	int rc;

	*out = NULL;
	if (sqlite3_libversion_number() < STORE_SQLITE_MIN) {
		snprintf(err, errlen, "SQLite %s is too old: 3.37 or later "
		    "is needed", sqlite3_libversion());
		return -1;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
	    NULL);
	if (rc != SQLITE_OK) {
		if (st->db != NULL)
			store_db_err(st, "open");
		else
			store_err(st, "open: %s", sqlite3_errstr(rc));
		goto fail;
	}
	if (store_configure(st, sync_full) != 0 || store_prepare(st) != 0)
		goto fail;
	st->err[0] = '\0';
	*out = st;
	return 0;
fail:
	snprintf(err, errlen, "%s: %s", path, st->err);
	store_close(st);
	return -1;
}

/* An open batch that was not committed is rolled back. */
void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	/* Every statement is finalized, so this closes (and checkpoints)
	 * at once. */
	sqlite3_close(st->db);
	free(st);
}

/* Batches ---------------------------------------------------------- */

int
store_begin(struct store *st)
{
	if (st->batch) {
		store_err(st, "begin: a batch is already open");
		return -1;
	}
	st->batch = true;
	return 0;
}

/*
 * Without a write in the batch there is no transaction and nothing to do.
 * On failure nothing of the batch is stored: a COMMIT that failed is
 * rolled back here, so the next batch starts clean.
 */
int
store_commit(struct store *st)
{
	int ret = 0;

	if (!st->batch)
		return 0;
	if (st->aborted) {
		store_err(st, "commit: batch rolled back after an earlier "
		    "error: %s", st->abort_err);
		ret = -1;
	} else if (st->dirty && store_exec(st, ST_COMMIT, "commit") != 0) {
		ret = -1;
		if (!sqlite3_get_autocommit(st->db))
			store_exec(st, ST_ROLLBACK, NULL);
	}
	st->batch = st->dirty = st->aborted = false;
	return ret;
}

int
store_rollback(struct store *st)
{
	int ret = 0;

	if (!st->batch)
		return 0;
	/* SQLite may have rolled back already (st->aborted). */
	if (st->dirty && !sqlite3_get_autocommit(st->db))
		ret = store_exec(st, ST_ROLLBACK, "rollback");
	st->batch = st->dirty = st->aborted = false;
	return ret;
}

/* Mitigations ------------------------------------------------------ */

static int
store_mitigation_bind(struct store *st, const struct store_mitigation *m)
{
	sqlite3_stmt *s = st->stmt[ST_MIT_PUT];
	const void *body = m->body != NULL ? (const void *)m->body : "";
	int cuid_len, cdid_len, client_len, rc;

	cuid_len = store_strlen(m->cuid, STORE_ID_MAX);
	cdid_len = store_strlen(m->cdid, STORE_ID_MAX);
	client_len = store_strlen(m->client, STORE_CLIENT_MAX);
	if (m->id == 0 || m->id > INT64_MAX || cuid_len < 0 ||
	    cdid_len < 0 || client_len < 0 ||
	    (m->body == NULL && m->body_len > 0)) {
		store_err(st, "put mitigation %" PRIu64 ": invalid id, "
		    "string or body", m->id);
		return -1;
	}
	/* The strings and the body are borrowed: SQLITE_STATIC is safe
	 * because store_exec() clears the bindings before returning. */
	rc = sqlite3_bind_int64(s, 1 + MC_ID, (sqlite3_int64)m->id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 1 + MC_CUID, m->cuid, cuid_len,
		    SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 1 + MC_CDID, m->cdid, cdid_len,
		    SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 1 + MC_CLIENT, m->client,
		    client_len, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 1 + MC_MID, m->mid);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob64(s, 1 + MC_BODY, body, m->body_len,
		    SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(s, 1 + MC_STATUS, m->status);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(s, 1 + MC_TRIGGER, m->trigger ? 1 : 0);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 1 + MC_LIFETIME, m->lifetime);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 1 + MC_CREATED, m->created);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 1 + MC_EXPIRES, m->expires);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 1 + MC_STARTED, m->started);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 1 + MC_TERMINATING_UNTIL,
		    m->terminating_until);
	if (rc != SQLITE_OK)
		return store_bind_err(st, ST_MIT_PUT, "put mitigation");
	return 0;
}

int
store_mitigation_put(struct store *st, const struct store_mitigation *m)
{
	/* Binding checks @p m, before a transaction is opened for it. */
	if (store_mitigation_bind(st, m) != 0)
		return -1;
	if (store_write_begin(st) != 0) {
		sqlite3_clear_bindings(st->stmt[ST_MIT_PUT]);
		return -1;
	}
	return store_write(st, ST_MIT_PUT, "put mitigation");
}

/* Deleting an id that is not stored is not an error. */
int
store_mitigation_delete(struct store *st, uint64_t id)
{
	if (id > INT64_MAX) {
		store_err(st, "delete mitigation %" PRIu64 ": invalid id",
		    id);
		return -1;
	}
	if (store_write_begin(st) != 0)
		return -1;
	if (sqlite3_bind_int64(st->stmt[ST_MIT_DELETE], 1,
	    (sqlite3_int64)id) != SQLITE_OK)
		return store_bind_err(st, ST_MIT_DELETE, "delete mitigation");
	return store_write(st, ST_MIT_DELETE, "delete mitigation");
}

/* The current row of ST_MIT_ALL; m->body points into the statement. */
static int
store_mitigation_row(struct store *st, sqlite3_stmt *s,
    struct store_mitigation *m)
{
	const char *what = "read mitigations";
	int64_t v;

	memset(m, 0, sizeof(*m));
	if (store_col_int(st, s, MC_ID, 1, INT64_MAX, &v, what) != 0)
		return -1;
	m->id = (uint64_t)v;
	if (store_col_text(st, s, MC_CUID, m->cuid, sizeof(m->cuid),
	    what) != 0 ||
	    store_col_text(st, s, MC_CDID, m->cdid, sizeof(m->cdid),
	    what) != 0 ||
	    store_col_text(st, s, MC_CLIENT, m->client, sizeof(m->client),
	    what) != 0)
		return -1;
	if (store_col_int(st, s, MC_MID, 0, UINT32_MAX, &v, what) != 0)
		return -1;
	m->mid = (uint32_t)v;
	if (store_col_int(st, s, MC_STATUS, 0, UINT8_MAX, &v, what) != 0)
		return -1;
	m->status = (uint8_t)v;
	if (store_col_int(st, s, MC_TRIGGER, 0, 1, &v, what) != 0)
		return -1;
	m->trigger = v != 0;
	/* column_blob first: column_bytes then gives its length. */
	m->body = sqlite3_column_blob(s, MC_BODY);
	m->body_len = (size_t)sqlite3_column_bytes(s, MC_BODY);
	if (m->body == NULL && m->body_len > 0) {
		store_db_err(st, what);
		return -1;
	}
	m->lifetime = sqlite3_column_int64(s, MC_LIFETIME);
	m->created = sqlite3_column_int64(s, MC_CREATED);
	m->expires = sqlite3_column_int64(s, MC_EXPIRES);
	m->started = sqlite3_column_int64(s, MC_STARTED);
	m->terminating_until = sqlite3_column_int64(s, MC_TERMINATING_UNTIL);
	return 0;
}

/*
 * The callback may put and delete; it may not start the same foreach
 * again.  @return 0 after the last row, the callback's value if it
 * stopped, or -1 on a store error.
 */
int
store_mitigation_foreach(struct store *st,
    int (*cb)(void *arg, const struct store_mitigation *m), void *arg)
{
	sqlite3_stmt *s = st->stmt[ST_MIT_ALL];
	struct store_mitigation m;
	int rc, ret = 0;

	if (sqlite3_stmt_busy(s)) {
		store_err(st, "read mitigations: called from its own "
		    "callback");
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (store_mitigation_row(st, s, &m) != 0) {
			ret = -1;
			goto done;
		}
		if ((ret = cb(arg, &m)) != 0)
			goto done;
	}
	if (rc != SQLITE_DONE) {
		store_db_err(st, "read mitigations");
		ret = -1;
	}
done:
	/* Ends the read transaction, which would hold back checkpoints. */
	sqlite3_reset(s);
	return ret;
}

int
store_mitigation_max_id(struct store *st, uint64_t *id)
{
	sqlite3_stmt *s = st->stmt[ST_MIT_MAX_ID];
	int64_t v;
	int ret = -1;

	if (sqlite3_step(s) != SQLITE_ROW) {
		store_db_err(st, "largest mitigation id");
		goto fail;
	}
	if (store_col_int(st, s, 0, 0, INT64_MAX, &v,
	    "largest mitigation id") != 0)
		goto fail;
	*id = (uint64_t)v;
	ret = 0;
fail:
	sqlite3_reset(s);
	return ret;
}

/* Session configurations ------------------------------------------- */

int
store_config_put(struct store *st, const struct store_config *c)
{
	sqlite3_stmt *s = st->stmt[ST_CFG_PUT];
	const void *body = c->body != NULL ? (const void *)c->body : "";
	int cuid_len, rc;

	cuid_len = store_strlen(c->cuid, STORE_ID_MAX);
	if (cuid_len < 0 || (c->body == NULL && c->body_len > 0)) {
		store_err(st, "put config: invalid cuid or body");
		return -1;
	}
	if (store_write_begin(st) != 0)
		return -1;
	rc = sqlite3_bind_text(s, 1, c->cuid, cuid_len, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 2, c->sid);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob64(s, 3, body, c->body_len,
		    SQLITE_STATIC);
	if (rc != SQLITE_OK)
		return store_bind_err(st, ST_CFG_PUT, "put config");
	return store_write(st, ST_CFG_PUT, "put config");
}

/* Deleting a cuid that has no configuration is not an error. */
int
store_config_delete(struct store *st, const char *cuid)
{
	int len = store_strlen(cuid, STORE_ID_MAX);

	if (len < 0) {
		store_err(st, "delete config: invalid cuid");
		return -1;
	}
	if (store_write_begin(st) != 0)
		return -1;
	if (sqlite3_bind_text(st->stmt[ST_CFG_DELETE], 1, cuid, len,
	    SQLITE_STATIC) != SQLITE_OK)
		return store_bind_err(st, ST_CFG_DELETE, "delete config");
	return store_write(st, ST_CFG_DELETE, "delete config");
}

/* As store_mitigation_foreach(), ordered by cuid. */
int
store_config_foreach(struct store *st,
    int (*cb)(void *arg, const struct store_config *c), void *arg)
{
	const char *what = "read configs";
	sqlite3_stmt *s = st->stmt[ST_CFG_ALL];
	struct store_config c;
	int64_t sid;
	int rc, ret = 0;

	if (sqlite3_stmt_busy(s)) {
		store_err(st, "%s: called from its own callback", what);
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&c, 0, sizeof(c));
		if (store_col_text(st, s, 0, c.cuid, sizeof(c.cuid),
		    what) != 0 ||
		    store_col_int(st, s, 1, 0, UINT32_MAX, &sid, what) != 0) {
			ret = -1;
			goto done;
		}
		c.sid = (uint32_t)sid;
		c.body = sqlite3_column_blob(s, 2);
		c.body_len = (size_t)sqlite3_column_bytes(s, 2);
		if (c.body == NULL && c.body_len > 0) {
			store_db_err(st, what);
			ret = -1;
			goto done;
		}
		if ((ret = cb(arg, &c)) != 0)
			goto done;
	}
	if (rc != SQLITE_DONE) {
		store_db_err(st, what);
		ret = -1;
	}
done:
	sqlite3_reset(s);
	return ret;
}

/* Clients ---------------------------------------------------------- */

/* first_seen is kept from the first call; client and last_seen follow. */
int
store_client_seen(struct store *st, const char *cuid, const char *client,
    int64_t now)
{
	sqlite3_stmt *s = st->stmt[ST_CLIENT_SEEN];
	int cuid_len, client_len, rc;

	cuid_len = store_strlen(cuid, STORE_ID_MAX);
	client_len = store_strlen(client, STORE_CLIENT_MAX);
	if (cuid_len < 0 || client_len < 0) {
		store_err(st, "client seen: invalid cuid or client name");
		return -1;
	}
	if (store_write_begin(st) != 0)
		return -1;
	rc = sqlite3_bind_text(s, 1, cuid, cuid_len, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 2, client, client_len,
		    SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 3, now);
	if (rc != SQLITE_OK)
		return store_bind_err(st, ST_CLIENT_SEEN, "client seen");
	return store_write(st, ST_CLIENT_SEEN, "client seen");
}

const char *
store_errmsg(struct store *st)
{
	return st != NULL ? st->err : "no store";
}
