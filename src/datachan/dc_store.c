/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The data channel's durable state, in dotsd's SQLite store (same file,
 * same connection, same per-turn transaction: store.h).  Two tables of
 * their own, created if missing, so that the store's schema version
 * does not move:
 *
 *   dc_clients  the registered DOTS clients (RFC 8783 5.1), by cuid;
 *   dc_items    aliases (kind 1) and ACLs (kind 2), by (cuid, kind,
 *               name): the canonical JSON of the entry as libyang
 *               printed it, its place in the client's list (seq: ACLs
 *               are ordered-by user, new ones go last, a replacement
 *               keeps its place) and when it expires.
 *
 * Statements are prepared once; values are always bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "dc_int.h"
#include "store.h"

static const char dc_schema[] =
	"CREATE TABLE IF NOT EXISTS dc_clients ("
	" cuid TEXT PRIMARY KEY NOT NULL,"
	" client TEXT NOT NULL,"
	" registered INTEGER NOT NULL"
	") STRICT, WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS dc_items ("
	" cuid TEXT NOT NULL,"
	" kind INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" seq INTEGER NOT NULL,"
	" body TEXT NOT NULL,"
	" expires INTEGER NOT NULL,"
	" PRIMARY KEY (cuid, kind, name)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS dc_items_expires ON dc_items (expires);"
	/* the next seq of a client's list without reading the whole list */
	"CREATE INDEX IF NOT EXISTS dc_items_seq ON dc_items (cuid, kind, seq);";

enum {
	DS_CLIENT_GET,
	DS_CLIENT_PUT,
	DS_CLIENT_DEL,
	DS_ITEMS_DEL_CLIENT,
	DS_ITEM_GET,
	DS_ITEM_INSERT,
	DS_ITEM_UPDATE,
	DS_ITEM_DEL,
	DS_ITEM_ALL,
	DS_EXPIRED,
	DS_CLIENT_NAME,
	DS_CLIENT_CUIDS,
	DS_COUNT
};

static const char *const dc_sql[DS_COUNT] = {
	[DS_CLIENT_GET] = "SELECT 1 FROM dc_clients WHERE cuid = ?1",
	[DS_CLIENT_PUT] = "INSERT INTO dc_clients (cuid, client, registered) "
	    "VALUES (?1, ?2, ?3) ON CONFLICT (cuid) DO UPDATE SET "
	    "client = excluded.client",
	[DS_CLIENT_DEL] = "DELETE FROM dc_clients WHERE cuid = ?1",
	[DS_ITEMS_DEL_CLIENT] = "DELETE FROM dc_items WHERE cuid = ?1",
	[DS_ITEM_GET] = "SELECT body, expires FROM dc_items "
	    "WHERE cuid = ?1 AND kind = ?2 AND name = ?3",
	[DS_ITEM_INSERT] = "INSERT INTO dc_items "
	    "(cuid, kind, name, seq, body, expires) VALUES (?1, ?2, ?3, "
	    "(SELECT ifnull(max(seq), 0) + 1 FROM dc_items "
	    "WHERE cuid = ?1 AND kind = ?2), ?4, ?5)",
	[DS_ITEM_UPDATE] = "UPDATE dc_items SET body = ?4, expires = ?5 "
	    "WHERE cuid = ?1 AND kind = ?2 AND name = ?3",
	[DS_ITEM_DEL] = "DELETE FROM dc_items "
	    "WHERE cuid = ?1 AND kind = ?2 AND name = ?3",
	[DS_ITEM_ALL] = "SELECT name, body, expires FROM dc_items "
	    "WHERE cuid = ?1 AND kind = ?2 ORDER BY seq",
	[DS_EXPIRED] = "SELECT cuid, kind, name FROM dc_items "
	    "WHERE expires <= ?1",
	[DS_CLIENT_NAME] = "SELECT client FROM dc_clients WHERE cuid = ?1",
	[DS_CLIENT_CUIDS] = "SELECT cuid FROM dc_clients WHERE client = ?1",
};

struct dc_store {
	struct store	*st;
	sqlite3		*db;
	sqlite3_stmt	*stmt[DS_COUNT];
	char		 err[256];
};

struct dc_store *
dc_store_open(struct store *st, char *err, size_t errlen)
{
	struct dc_store *ds = calloc(1, sizeof(*ds));
	size_t i;

	if (ds == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ds->st = st;
	ds->db = store_sqlite_db(st);
	if (sqlite3_exec(ds->db, dc_schema, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "data channel tables: %s",
		    sqlite3_errmsg(ds->db));
		free(ds);
		return NULL;
	}
	for (i = 0; i < DS_COUNT; i++)
		if (sqlite3_prepare_v3(ds->db, dc_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &ds->stmt[i], NULL) !=
		    SQLITE_OK) {
			snprintf(err, errlen, "data channel: %s: %s",
			    dc_sql[i], sqlite3_errmsg(ds->db));
			dc_store_close(ds);
			return NULL;
		}
	return ds;
}

void
dc_store_close(struct dc_store *ds)
{
	size_t i;

	if (ds == NULL)
		return;
	for (i = 0; i < DS_COUNT; i++)
		sqlite3_finalize(ds->stmt[i]);
	free(ds);
}

const char *
dc_store_errmsg(struct dc_store *ds)
{
	return ds->err;
}

static sqlite3_stmt *
bind_key(struct dc_store *ds, int id, const char *cuid, int kind,
    const char *name)
{
	sqlite3_stmt *s = ds->stmt[id];

	sqlite3_bind_text(s, 1, cuid, -1, SQLITE_STATIC);
	if (kind != 0)
		sqlite3_bind_int(s, 2, kind);
	if (name != NULL)
		sqlite3_bind_text(s, 3, name, -1, SQLITE_STATIC);
	return s;
}

static void
finish(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

static int
fail(struct dc_store *ds, sqlite3_stmt *s, bool write)
{
	snprintf(ds->err, sizeof(ds->err), "%s", sqlite3_errmsg(ds->db));
	finish(s);
	if (write)
		store_ext_write_failed(ds->st);
	return -1;
}

/* Steps a write; the number of rows changed, or -1. */
static int
write_step(struct dc_store *ds, sqlite3_stmt *s)
{
	int n;

	if (sqlite3_step(s) != SQLITE_DONE)
		return fail(ds, s, true);
	n = sqlite3_changes(ds->db);
	finish(s);
	return n;
}

static int
write_begin(struct dc_store *ds)
{
	if (store_ext_write_begin(ds->st) == 0)
		return 0;
	snprintf(ds->err, sizeof(ds->err), "%s", store_errmsg(ds->st));
	return -1;
}

int
dc_store_client_get(struct dc_store *ds, const char *cuid)
{
	sqlite3_stmt *s = bind_key(ds, DS_CLIENT_GET, cuid, 0, NULL);
	int rc = sqlite3_step(s);

	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(ds, s, false);
	finish(s);
	return rc == SQLITE_ROW;
}

int
dc_store_client_name(struct dc_store *ds, const char *cuid, char *name,
    size_t len)
{
	sqlite3_stmt *s = bind_key(ds, DS_CLIENT_NAME, cuid, 0, NULL);
	int rc = sqlite3_step(s);

	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(ds, s, false);
	if (rc == SQLITE_ROW)
		snprintf(name, len, "%s", (const char *)
		    sqlite3_column_text(s, 0));
	finish(s);
	return rc == SQLITE_DONE;
}

int
dc_store_client_cuids(struct dc_store *ds, const char *client,
    int (*cb)(void *arg, const char *cuid), void *arg)
{
	sqlite3_stmt *s = bind_key(ds, DS_CLIENT_CUIDS, client, 0, NULL);
	int rc, ret = 0;

	while (ret == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW)
		ret = cb(arg, (const char *)sqlite3_column_text(s, 0));
	if (ret == 0 && rc != SQLITE_DONE)
		return fail(ds, s, false);
	finish(s);
	return ret;
}

int
dc_store_client_put(struct dc_store *ds, const char *cuid,
    const char *client, int64_t now)
{
	sqlite3_stmt *s;

	if (write_begin(ds) != 0)
		return -1;
	s = bind_key(ds, DS_CLIENT_PUT, cuid, 0, NULL);
	sqlite3_bind_text(s, 2, client, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	return write_step(ds, s) < 0 ? -1 : 0;
}

int
dc_store_client_delete(struct dc_store *ds, const char *cuid)
{
	int n;

	if (write_begin(ds) != 0)
		return -1;
	if (write_step(ds, bind_key(ds, DS_ITEMS_DEL_CLIENT, cuid, 0,
	    NULL)) < 0)
		return -1;
	n = write_step(ds, bind_key(ds, DS_CLIENT_DEL, cuid, 0, NULL));
	return n < 0 ? -1 : n == 0;
}

int
dc_store_item_put(struct dc_store *ds, enum dc_kind kind, const char *cuid,
    const char *name, const char *body, int64_t expires)
{
	sqlite3_stmt *s;
	int n;

	if (write_begin(ds) != 0)
		return -1;
	s = bind_key(ds, DS_ITEM_UPDATE, cuid, (int)kind, name);
	sqlite3_bind_text(s, 4, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, expires);
	if ((n = write_step(ds, s)) != 0)
		return n < 0 ? -1 : 1;
	s = bind_key(ds, DS_ITEM_INSERT, cuid, (int)kind, name);
	sqlite3_bind_text(s, 4, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, expires);
	return write_step(ds, s) < 0 ? -1 : 0;
}

int
dc_store_item_get(struct dc_store *ds, enum dc_kind kind, const char *cuid,
    const char *name, char **body, int64_t *expires)
{
	sqlite3_stmt *s = bind_key(ds, DS_ITEM_GET, cuid, (int)kind, name);
	int rc = sqlite3_step(s);

	*body = NULL;
	if (rc == SQLITE_DONE) {
		finish(s);
		return 1;
	}
	if (rc != SQLITE_ROW)
		return fail(ds, s, false);
	*body = strdup((const char *)sqlite3_column_text(s, 0));
	*expires = sqlite3_column_int64(s, 1);
	finish(s);
	if (*body == NULL) {
		snprintf(ds->err, sizeof(ds->err), "out of memory");
		return -1;
	}
	return 0;
}

int
dc_store_item_delete(struct dc_store *ds, enum dc_kind kind,
    const char *cuid, const char *name)
{
	int n;

	if (write_begin(ds) != 0)
		return -1;
	n = write_step(ds, bind_key(ds, DS_ITEM_DEL, cuid, (int)kind, name));
	return n < 0 ? -1 : n == 0;
}

int
dc_store_item_foreach(struct dc_store *ds, enum dc_kind kind,
    const char *cuid, int (*cb)(void *arg, const char *name,
    const char *body, int64_t expires), void *arg)
{
	sqlite3_stmt *s = bind_key(ds, DS_ITEM_ALL, cuid, (int)kind, NULL);
	int rc, ret = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW && ret == 0)
		ret = cb(arg, (const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1),
		    sqlite3_column_int64(s, 2));
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(ds, s, false);
	finish(s);
	return ret;
}

int
dc_store_expire(struct dc_store *ds, int64_t now,
    void (*cb)(void *arg, enum dc_kind kind, const char *cuid,
    const char *name), void *arg)
{
	sqlite3_stmt *s = ds->stmt[DS_EXPIRED];
	struct gone {
		char	 cuid[DC_KEY_MAX + 1];
		char	 name[DC_KEY_MAX + 1];
		int	 kind;
	} *list = NULL, *bigger;
	size_t n = 0, i;
	int rc, ret = 0;

	/* Collected first: rows are not deleted under a running SELECT. */
	sqlite3_bind_int64(s, 1, now);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		bigger = realloc(list, (n + 1) * sizeof(*list));
		if (bigger == NULL)
			break;
		list = bigger;
		snprintf(list[n].cuid, sizeof(list[n].cuid), "%s",
		    (const char *)sqlite3_column_text(s, 0));
		list[n].kind = sqlite3_column_int(s, 1);
		snprintf(list[n].name, sizeof(list[n].name), "%s",
		    (const char *)sqlite3_column_text(s, 2));
		n++;
	}
	finish(s);
	for (i = 0; i < n && ret == 0; i++) {
		if (cb != NULL)
			cb(arg, (enum dc_kind)list[i].kind, list[i].cuid,
			    list[i].name);
		if (dc_store_item_delete(ds, (enum dc_kind)list[i].kind,
		    list[i].cuid, list[i].name) < 0)
			ret = -1;
	}
	free(list);
	return ret < 0 ? -1 : (int)n;
}
