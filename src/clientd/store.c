/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The store of dotscd over SQLite: two tables, the last mid of each
 * server and the mitigations.  WAL with synchronous=FULL: a mid is on
 * disk before it is used, so that a crash cannot make a mid go back.
 * Statements are prepared once per call; the daemon writes a handful of
 * rows per request, far below what that costs.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store.h"

struct store {
	sqlite3		*db;
};

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS mids ("
	" server TEXT PRIMARY KEY, last INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS mitigations ("
	" server TEXT NOT NULL, mid INTEGER NOT NULL,"
	" origin TEXT NOT NULL, target TEXT NOT NULL, state TEXT NOT NULL,"
	" status INTEGER NOT NULL, delivered INTEGER NOT NULL,"
	" scope TEXT NOT NULL, created INTEGER NOT NULL,"
	" updated INTEGER NOT NULL, error TEXT,"
	" cdid TEXT, hop_limit INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (server, mid));";

/*
 * Columns added since the first schema, for databases made before them;
 * "duplicate column" just means the database has it already.
 */
static const char *const upgrade_sql[] = {
	"ALTER TABLE mitigations ADD COLUMN cdid TEXT",
	"ALTER TABLE mitigations ADD COLUMN hop_limit INTEGER NOT NULL "
	"DEFAULT 0",
};

static int
store_upgrade(struct store *st, char *err, size_t errlen)
{
	const char *msg;
	size_t i;

	for (i = 0; i < sizeof(upgrade_sql) / sizeof(upgrade_sql[0]); i++) {
		if (sqlite3_exec(st->db, upgrade_sql[i], NULL, NULL, NULL) ==
		    SQLITE_OK)
			continue;
		msg = sqlite3_errmsg(st->db);
		if (strstr(msg, "duplicate column") == NULL) {
			snprintf(err, errlen, "upgrade: %s", msg);
			return -1;
		}
	}
	return 0;
}

struct store *
store_open(const char *path, char *err, size_t errlen)
{
	struct store *st;
	char *msg = NULL;

	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, st->db == NULL ?
		    "out of memory" : sqlite3_errmsg(st->db));
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 2000);
	if (sqlite3_exec(st->db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;", NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(st->db, schema_sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, msg != NULL ? msg :
		    sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		goto fail;
	}
	if (store_upgrade(st, err, errlen) != 0)
		goto fail;
	return st;
fail:
	sqlite3_close(st->db);
	free(st);
	return NULL;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	sqlite3_close(st->db);
	free(st);
}

static int
sql_fail(struct store *st, const char *what)
{
	log_warnx("store: %s: %s", what, sqlite3_errmsg(st->db));
	return -1;
}

int
mid_after(uint32_t last, bool have_last, bool any_active, uint32_t *mid)
{
	if (!have_last) {
		*mid = 1;
		return 0;
	}
	if (last >= STORE_MID_ROLLOVER && !any_active) {
		*mid = 0;
		return 0;
	}
	if (last == UINT32_MAX)
		return -1;
	*mid = last + 1;
	return 0;
}

int
store_mid_last(struct store *st, const char *server, uint32_t *mid,
    bool *have)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*have = false;
	if (sqlite3_prepare_v2(st->db, "SELECT last FROM mids WHERE "
	    "server = ?", -1, &s, NULL) != SQLITE_OK)
		return sql_fail(st, "select mid");
	sqlite3_bind_text(s, 1, server, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*mid = (uint32_t)sqlite3_column_int64(s, 0);
		*have = true;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_fail(st, "select mid");
	return 0;
}

static int
mid_write(struct store *st, const char *server, uint32_t mid)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO mids "
	    "(server, last) VALUES (?, ?)", -1, &s, NULL) != SQLITE_OK)
		return sql_fail(st, "write mid");
	sqlite3_bind_text(s, 1, server, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, mid);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : sql_fail(st, "write mid");
}

int
store_mid_next(struct store *st, const char *server, bool any_active,
    uint32_t *mid)
{
	uint32_t last = 0;
	bool have;

	if (store_mid_last(st, server, &last, &have) != 0)
		return -1;
	if (mid_after(last, have, any_active, mid) != 0) {
		log_warnx("server %s: no mid left above %u", server, last);
		return -1;
	}
	return mid_write(st, server, *mid);
}

int
store_mid_seen(struct store *st, const char *server, uint32_t mid)
{
	uint32_t last = 0;
	bool have;

	if (store_mid_last(st, server, &last, &have) != 0)
		return -1;
	if (have && last >= mid)
		return 0;
	return mid_write(st, server, mid);
}

int
store_mit_put(struct store *st, const struct store_mit *m)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO mitigations "
	    "(server, mid, origin, target, state, status, delivered, scope, "
	    "created, updated, error, cdid, hop_limit) VALUES "
	    "(?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &s,
	    NULL) != SQLITE_OK)
		return sql_fail(st, "write mitigation");
	sqlite3_bind_text(s, 1, m->server, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, m->mid);
	sqlite3_bind_text(s, 3, m->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, m->target, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, m->state, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 6, (int)m->status);
	sqlite3_bind_int(s, 7, m->delivered);
	sqlite3_bind_text(s, 8, m->scope, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, m->created);
	sqlite3_bind_int64(s, 10, m->updated);
	if (m->error != NULL)
		sqlite3_bind_text(s, 11, m->error, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 11);
	if (m->cdid != NULL)
		sqlite3_bind_text(s, 12, m->cdid, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 12);
	sqlite3_bind_int(s, 13, (int)m->hop_limit);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : sql_fail(st, "write mitigation");
}

int
store_mit_del(struct store *st, const char *server, uint32_t mid)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(st->db, "DELETE FROM mitigations WHERE "
	    "server = ? AND mid = ?", -1, &s, NULL) != SQLITE_OK)
		return sql_fail(st, "delete mitigation");
	sqlite3_bind_text(s, 1, server, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, mid);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : sql_fail(st, "delete mitigation");
}

static const char *
col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t == NULL ? "" : (const char *)t;
}

int
store_mit_load(struct store *st,
    void (*cb)(void *arg, const struct store_mit *m), void *arg)
{
	struct store_mit m;
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(st->db, "SELECT server, mid, origin, target, "
	    "state, status, delivered, scope, created, updated, error, cdid, "
	    "hop_limit FROM mitigations ORDER BY created, mid", -1, &s,
	    NULL) != SQLITE_OK)
		return sql_fail(st, "load mitigations");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&m, 0, sizeof(m));
		m.server = col_text(s, 0);
		m.mid = (uint32_t)sqlite3_column_int64(s, 1);
		m.origin = col_text(s, 2);
		m.target = col_text(s, 3);
		m.state = col_text(s, 4);
		m.status = (unsigned)sqlite3_column_int(s, 5);
		m.delivered = sqlite3_column_int(s, 6) != 0;
		m.scope = col_text(s, 7);
		m.created = sqlite3_column_int64(s, 8);
		m.updated = sqlite3_column_int64(s, 9);
		m.error = sqlite3_column_type(s, 10) == SQLITE_NULL ? NULL :
		    col_text(s, 10);
		m.cdid = sqlite3_column_type(s, 11) == SQLITE_NULL ? NULL :
		    col_text(s, 11);
		m.hop_limit = (unsigned)sqlite3_column_int(s, 12);
		cb(arg, &m);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : sql_fail(st, "load mitigations");
}
