/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The server's durable store (src/server/store_sqlite.c): round trips of
 * every field, upserts and the (cuid, mid) uniqueness, the grouping of
 * writes into batches, and what survives a restart or a SIGKILL in the
 * middle of a batch.  Each test gets a fresh database file in its own
 * temporary directory.  SQLite is used directly, behind the store's back,
 * to look at what the API does not return (clients, user_version) and to
 * see what another connection sees before and after a commit.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store.h"

#define MAX_ROWS	32
#define BODY_MAX	256

struct fixture {
	char		 dir[128];
	char		 path[160];
	struct store	*st;
};

/* A mitigation as read back, with a copy of its body. */
struct row {
	struct store_mitigation	m;
	uint8_t			body[BODY_MAX];
};

struct rows {
	struct row	r[MAX_ROWS];
	size_t		n;
};

/* A body with NUL bytes in it, different for each id. */
static uint8_t	body_bytes[BODY_MAX];

static void
make_body(uint64_t id)
{
	size_t i;

	for (i = 0; i < sizeof(body_bytes); i++)
		body_bytes[i] = (uint8_t)(i % 3 == 0 ? 0 : i + id);
}

static struct store_mitigation
mit(uint64_t id, const char *cuid, uint32_t mid)
{
	struct store_mitigation m;

	memset(&m, 0, sizeof(m));
	m.id = id;
	snprintf(m.cuid, sizeof(m.cuid), "%s", cuid);
	snprintf(m.cdid, sizeof(m.cdid), "cdid-%u", mid);
	snprintf(m.client, sizeof(m.client), "client-%s", cuid);
	m.mid = mid;
	make_body(id);
	m.body = body_bytes;
	m.body_len = 10 + (size_t)(id % 100);
	m.status = 2;
	m.trigger = (id % 2) == 0;
	m.lifetime = 3600;
	m.created = 1700000000 + (int64_t)id;
	m.expires = m.created + 3600;
	m.started = m.created + 1;
	m.terminating_until = 0;
	return m;
}

static int
collect_cb(void *arg, const struct store_mitigation *m)
{
	struct rows *rows = arg;
	struct row *r;

	assert_true(rows->n < MAX_ROWS);
	assert_true(m->body_len <= BODY_MAX);
	r = &rows->r[rows->n++];
	r->m = *m;
	if (m->body_len > 0)
		memcpy(r->body, m->body, m->body_len);
	r->m.body = r->body;
	return 0;
}

static void
collect(struct store *st, struct rows *rows)
{
	memset(rows, 0, sizeof(*rows));
	if (store_mitigation_foreach(st, collect_cb, rows) != 0)
		fail_msg("foreach: %s", store_errmsg(st));
}

static void
assert_mit_equal(const struct store_mitigation *a,
    const struct store_mitigation *b)
{
	assert_int_equal(a->id, b->id);
	assert_string_equal(a->cuid, b->cuid);
	assert_string_equal(a->cdid, b->cdid);
	assert_string_equal(a->client, b->client);
	assert_int_equal(a->mid, b->mid);
	assert_int_equal(a->body_len, b->body_len);
	if (a->body_len > 0)
		assert_memory_equal(a->body, b->body, a->body_len);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->trigger, b->trigger);
	assert_int_equal(a->lifetime, b->lifetime);
	assert_int_equal(a->created, b->created);
	assert_int_equal(a->expires, b->expires);
	assert_int_equal(a->started, b->started);
	assert_int_equal(a->terminating_until, b->terminating_until);
}

/* Ids of the stored mitigations, in order, as "1,3,5". */
static void
assert_ids(struct store *st, const char *want)
{
	struct rows rows;
	char got[256] = "";
	size_t i, len = 0;

	collect(st, &rows);
	for (i = 0; i < rows.n; i++)
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%ju",
		    i > 0 ? "," : "", (uintmax_t)rows.r[i].m.id);
	assert_string_equal(got, want);
}

static void
put_ok(struct store *st, const struct store_mitigation *m)
{
	if (store_mitigation_put(st, m) != 0)
		fail_msg("put %ju: %s", (uintmax_t)m->id, store_errmsg(st));
}

static struct store *
open_ok(const char *path, bool sync_full)
{
	struct store *st;
	char err[256];

	if (store_open(path, sync_full, &st, err, sizeof(err)) != 0)
		fail_msg("store_open: %s", err);
	return st;
}

/* One integer from @p sql, on a connection of our own. */
static int64_t
raw_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void
raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static int
setup(void **state)
{
	struct fixture *f;
	const char *tmp = getenv("TMPDIR");

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/test_store.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/dotsd.db", f->dir);
	f->st = open_ok(f->path, true);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal",
	    ".other" };
	struct fixture *f = *state;
	char name[192];
	size_t i;

	store_close(f->st);
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", f->path, suffix[i]);
		unlink(name);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Open ------------------------------------------------------------- */

static void
test_open_creates_schema(void **state)
{
	struct fixture *f = *state;
	uint64_t id = 99;

	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	    "sqlite_schema WHERE name IN ('mitigations', "
	    "'session_configs', 'clients')"), 3);
	assert_int_equal(raw_int(f->path, "SELECT journal_mode = 'wal' "
	    "FROM pragma_journal_mode"), 1);
	assert_int_equal(store_mitigation_max_id(f->st, &id), 0);
	assert_int_equal(id, 0);
	assert_ids(f->st, "");
}

static void
test_open_memory(void **state)
{
	struct store *st = open_ok(":memory:", false);
	struct store_mitigation m = mit(1, "mem", 1);

	(void)state;
	put_ok(st, &m);
	assert_ids(st, "1");
	store_close(st);
	store_close(NULL);
}

static void
test_open_newer_version(void **state)
{
	struct fixture *f = *state;
	struct store *st = (struct store *)&st;
	char err[256];

	store_close(f->st);
	f->st = NULL;
	raw_exec(f->path, "PRAGMA user_version = 2");
	assert_int_equal(store_open(f->path, true, &st, err, sizeof(err)),
	    -1);
	assert_null(st);
	if (strstr(err, "schema version 2") == NULL ||
	    strstr(err, f->path) == NULL)
		fail_msg("unclear error: %s", err);
	/* The file is left alone. */
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 2);
}

static void
test_open_not_ours(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	char other[192], err[256];
	FILE *fp;

	snprintf(other, sizeof(other), "%s.other", f->path);
	/* An SQLite file of someone else's, without a user_version. */
	raw_exec(other, "CREATE TABLE t (x)");
	assert_int_equal(store_open(other, true, &st, err, sizeof(err)), -1);
	if (strstr(err, "not a dotsd database") == NULL)
		fail_msg("unclear error: %s", err);
	unlink(other);

	/* Not an SQLite file at all. */
	assert_non_null(fp = fopen(other, "w"));
	fprintf(fp, "%0512d\n", 0);
	fclose(fp);
	assert_int_equal(store_open(other, true, &st, err, sizeof(err)), -1);
	if (strstr(err, "not a database") == NULL)
		fail_msg("unclear error: %s", err);

	/* A directory that does not exist. */
	snprintf(other, sizeof(other), "%s/nodir/x.db", f->dir);
	assert_int_equal(store_open(other, true, &st, err, sizeof(err)), -1);
	assert_non_null(strstr(err, other));
}

/* Mitigations ------------------------------------------------------ */

static void
test_mitigation_round_trip(void **state)
{
	struct fixture *f = *state;
	struct store_mitigation a = mit(7, "", 0), b = mit(3, "y", 1);
	uint8_t bin[] = { 0, 1, 0, 0xff, 0, 0 };
	struct rows rows;

	/* The extremes of every field. */
	memset(a.cuid, 'c', STORE_ID_MAX);
	a.cuid[STORE_ID_MAX] = '\0';
	memset(a.cdid, 'd', STORE_ID_MAX);
	a.cdid[STORE_ID_MAX] = '\0';
	memset(a.client, 'n', sizeof(a.client) - 1);
	a.client[sizeof(a.client) - 1] = '\0';
	a.mid = UINT32_MAX;
	a.body = bin;
	a.body_len = sizeof(bin);
	a.status = UINT8_MAX;
	a.trigger = true;
	a.lifetime = -1;
	a.created = INT64_MIN;
	a.expires = INT64_MAX;
	a.started = -5;
	a.terminating_until = 1700000123;
	put_ok(f->st, &a);

	/* An empty body, an empty cdid. */
	b.cdid[0] = '\0';
	b.body = NULL;
	b.body_len = 0;
	b.trigger = false;
	put_ok(f->st, &b);

	collect(f->st, &rows);
	assert_int_equal(rows.n, 2);
	assert_mit_equal(&rows.r[0].m, &b);	/* ordered by id */
	assert_mit_equal(&rows.r[1].m, &a);
}

static void
test_mitigation_upsert(void **state)
{
	struct fixture *f = *state;
	struct store_mitigation m = mit(1, "a", 10);
	struct rows rows;

	put_ok(f->st, &m);
	m.status = 5;
	m.mid = 11;
	m.cdid[0] = '\0';
	m.lifetime = 60;
	m.started = 0;
	m.terminating_until = 1700009999;
	make_body(42);
	m.body_len = 200;
	put_ok(f->st, &m);

	collect(f->st, &rows);
	assert_int_equal(rows.n, 1);
	assert_mit_equal(&rows.r[0].m, &m);
}

static void
test_mitigation_unique(void **state)
{
	struct fixture *f = *state;
	struct store_mitigation a = mit(1, "a", 10), b = mit(2, "a", 10);
	struct store_mitigation c = mit(3, "b", 10);

	put_ok(f->st, &a);
	assert_int_equal(store_mitigation_put(f->st, &b), -1);
	if (strstr(store_errmsg(f->st), "UNIQUE") == NULL)
		fail_msg("errmsg: %s", store_errmsg(f->st));
	/* The same mid for another cuid is fine. */
	put_ok(f->st, &c);
	/* Moving a mitigation onto another's (cuid, mid) is refused too. */
	c.cuid[0] = 'a';
	assert_int_equal(store_mitigation_put(f->st, &c), -1);
	assert_ids(f->st, "1,3");
}

static void
test_mitigation_invalid(void **state)
{
	struct fixture *f = *state;
	struct store_mitigation m = mit(0, "a", 1);

	assert_int_equal(store_mitigation_put(f->st, &m), -1);
	m.id = (uint64_t)INT64_MAX + 1;
	assert_int_equal(store_mitigation_put(f->st, &m), -1);
	m.id = 1;
	memset(m.cuid, 'x', sizeof(m.cuid));	/* not terminated */
	assert_int_equal(store_mitigation_put(f->st, &m), -1);
	m = mit(1, "a", 1);
	memset(m.client, 'x', sizeof(m.client));
	assert_int_equal(store_mitigation_put(f->st, &m), -1);
	m = mit(1, "a", 1);
	m.body = NULL;
	m.body_len = 3;
	assert_int_equal(store_mitigation_put(f->st, &m), -1);
	assert_true(store_errmsg(f->st)[0] != '\0');
	assert_int_equal(store_mitigation_delete(f->st, UINT64_MAX), -1);
	assert_ids(f->st, "");
}

static void
test_mitigation_delete(void **state)
{
	struct fixture *f = *state;
	struct store_mitigation m;
	uint64_t id;

	for (id = 1; id <= 4; id++) {
		m = mit(id, "a", (uint32_t)id);
		put_ok(f->st, &m);
	}
	assert_int_equal(store_mitigation_delete(f->st, 2), 0);
	assert_int_equal(store_mitigation_delete(f->st, 2), 0);	/* absent */
	assert_int_equal(store_mitigation_delete(f->st, 99), 0);
	assert_ids(f->st, "1,3,4");
	/* Its (cuid, mid) is free again. */
	m = mit(9, "a", 2);
	put_ok(f->st, &m);
	assert_ids(f->st, "1,3,4,9");
}

static void
test_mitigation_max_id(void **state)
{
	struct fixture *f = *state;
	struct store_mitigation m;
	uint64_t id;

	m = mit(5, "a", 1);
	put_ok(f->st, &m);
	m = mit(3, "a", 2);
	put_ok(f->st, &m);
	assert_int_equal(store_mitigation_max_id(f->st, &id), 0);
	assert_int_equal(id, 5);
	/* Largest ever stored: deleting it does not free the id. */
	assert_int_equal(store_mitigation_delete(f->st, 5), 0);
	assert_int_equal(store_mitigation_max_id(f->st, &id), 0);
	assert_int_equal(id, 5);
	store_close(f->st);
	f->st = open_ok(f->path, true);
	assert_int_equal(store_mitigation_max_id(f->st, &id), 0);
	assert_int_equal(id, 5);
	/* A rolled-back put does not count. */
	assert_int_equal(store_begin(f->st), 0);
	m = mit(50, "a", 50);
	put_ok(f->st, &m);
	assert_int_equal(store_rollback(f->st), 0);
	assert_int_equal(store_mitigation_max_id(f->st, &id), 0);
	assert_int_equal(id, 5);
}

struct stop_arg {
	struct store	*st;
	int		 calls;
	int		 nested;
};

static int
stop_cb(void *arg, const struct store_mitigation *m)
{
	struct stop_arg *a = arg;

	(void)m;
	a->nested = store_mitigation_foreach(a->st, stop_cb, a);
	return ++a->calls == 2 ? 7 : 0;
}

/* Deletes every odd id as it goes. */
static int
delete_odd_cb(void *arg, const struct store_mitigation *m)
{
	struct store *st = arg;

	if (m->id % 2 == 1 && store_mitigation_delete(st, m->id) != 0)
		fail_msg("delete in foreach: %s", store_errmsg(st));
	return 0;
}

static void
test_mitigation_foreach(void **state)
{
	struct fixture *f = *state;
	struct stop_arg a = { f->st, 0, 0 };
	struct store_mitigation m;
	uint64_t id;

	for (id = 1; id <= 6; id++) {
		m = mit(id, "a", (uint32_t)id);
		put_ok(f->st, &m);
	}
	/* Stops at the second row with the callback's value; a foreach
	 * from inside the callback is refused. */
	assert_int_equal(store_mitigation_foreach(f->st, stop_cb, &a), 7);
	assert_int_equal(a.calls, 2);
	assert_int_equal(a.nested, -1);
	/* The statement was reset: it starts from the top again. */
	assert_ids(f->st, "1,2,3,4,5,6");
	/* Writes from the callback, inside a batch. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_mitigation_foreach(f->st, delete_odd_cb,
	    f->st), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_ids(f->st, "2,4,6");
}

/* Session configurations ------------------------------------------- */

struct cfg_rows {
	char		cuid[4][STORE_ID_MAX + 1];
	uint32_t	sid[4];
	uint8_t		body[4][16];
	size_t		body_len[4];
	size_t		n;
};

static int
cfg_cb(void *arg, const struct store_config *c)
{
	struct cfg_rows *r = arg;

	assert_true(r->n < 4 && c->body_len <= 16);
	memcpy(r->cuid[r->n], c->cuid, sizeof(c->cuid));
	r->sid[r->n] = c->sid;
	if (c->body_len > 0)
		memcpy(r->body[r->n], c->body, c->body_len);
	r->body_len[r->n++] = c->body_len;
	return 0;
}

static void
test_config(void **state)
{
	struct fixture *f = *state;
	static const uint8_t b1[] = { 0xa1, 0, 0, 0x01 };
	static const uint8_t b2[] = { 0, 0xff, 0 };
	struct store_config c;
	struct cfg_rows r;

	memset(&c, 0, sizeof(c));
	strcpy(c.cuid, "zz");
	c.sid = 1;
	c.body = b1;
	c.body_len = sizeof(b1);
	assert_int_equal(store_config_put(f->st, &c), 0);
	strcpy(c.cuid, "aa");
	c.sid = UINT32_MAX;
	assert_int_equal(store_config_put(f->st, &c), 0);
	/* Upsert: a new sid and body for zz. */
	strcpy(c.cuid, "zz");
	c.sid = 2;
	c.body = b2;
	c.body_len = sizeof(b2);
	assert_int_equal(store_config_put(f->st, &c), 0);

	memset(&r, 0, sizeof(r));
	assert_int_equal(store_config_foreach(f->st, cfg_cb, &r), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.cuid[0], "aa");
	assert_int_equal(r.sid[0], UINT32_MAX);
	assert_int_equal(r.body_len[0], sizeof(b1));
	assert_memory_equal(r.body[0], b1, sizeof(b1));
	assert_string_equal(r.cuid[1], "zz");
	assert_int_equal(r.sid[1], 2);
	assert_int_equal(r.body_len[1], sizeof(b2));
	assert_memory_equal(r.body[1], b2, sizeof(b2));

	assert_int_equal(store_config_delete(f->st, "aa"), 0);
	assert_int_equal(store_config_delete(f->st, "none"), 0);
	memset(&r, 0, sizeof(r));
	assert_int_equal(store_config_foreach(f->st, cfg_cb, &r), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.cuid[0], "zz");

	memset(c.cuid, 'x', sizeof(c.cuid));
	assert_int_equal(store_config_put(f->st, &c), -1);
}

/* Clients ---------------------------------------------------------- */

static void
test_client_seen(void **state)
{
	struct fixture *f = *state;
	char longname[80];

	assert_int_equal(store_client_seen(f->st, "a", "alpha", 100), 0);
	assert_int_equal(store_client_seen(f->st, "b", "beta", 150), 0);
	assert_int_equal(store_client_seen(f->st, "a", "alpha2", 200), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM clients"),
	    2);
	assert_int_equal(raw_int(f->path, "SELECT first_seen * 1000 + "
	    "last_seen FROM clients WHERE cuid = 'a'"), 100 * 1000 + 200);
	assert_int_equal(raw_int(f->path, "SELECT client = 'alpha2' FROM "
	    "clients WHERE cuid = 'a'"), 1);
	assert_int_equal(raw_int(f->path, "SELECT first_seen * 1000 + "
	    "last_seen FROM clients WHERE cuid = 'b'"), 150 * 1000 + 150);

	/* A 64-byte cuid is fine, a 64-byte client name is not. */
	memset(longname, 'n', sizeof(longname));
	longname[STORE_ID_MAX] = '\0';
	assert_int_equal(store_client_seen(f->st, longname, "x", 1), 0);
	assert_int_equal(store_client_seen(f->st, "a", longname, 1), -1);
	longname[STORE_ID_MAX] = 'n';
	longname[STORE_ID_MAX + 1] = '\0';
	assert_int_equal(store_client_seen(f->st, longname, "x", 1), -1);
}

/* Batches ---------------------------------------------------------- */

static void
test_batch_commit(void **state)
{
	struct fixture *f = *state;
	struct store_mitigation m;
	uint64_t id;

	/* Nothing open: commit and rollback do nothing. */
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_rollback(f->st), 0);
	/* An empty batch. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_begin(f->st), -1);
	assert_non_null(strstr(store_errmsg(f->st), "already open"));
	assert_int_equal(store_commit(f->st), 0);

	/* Another connection sees the batch only once it is committed. */
	assert_int_equal(store_begin(f->st), 0);
	for (id = 1; id <= 3; id++) {
		m = mit(id, "a", (uint32_t)id);
		put_ok(f->st, &m);
	}
	assert_int_equal(store_client_seen(f->st, "a", "alpha", 1), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	    "mitigations"), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	    "mitigations"), 3);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM clients"),
	    1);

	/* Outside a batch every write commits at once. */
	m = mit(4, "a", 4);
	put_ok(f->st, &m);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	    "mitigations"), 4);
}

static void
test_batch_rollback(void **state)
{
	struct fixture *f = *state;
	struct store_mitigation m = mit(1, "a", 1);
	struct store_config c;

	put_ok(f->st, &m);
	assert_int_equal(store_begin(f->st), 0);
	m = mit(2, "a", 2);
	put_ok(f->st, &m);
	assert_int_equal(store_mitigation_delete(f->st, 1), 0);
	memset(&c, 0, sizeof(c));
	strcpy(c.cuid, "a");
	assert_int_equal(store_config_put(f->st, &c), 0);
	assert_ids(f->st, "2");		/* the batch sees its own writes */
	assert_int_equal(store_rollback(f->st), 0);
	assert_ids(f->st, "1");
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	    "session_configs"), 0);
	/* The next batch starts clean. */
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_commit(f->st), 0);
}

/* A refused write in a batch undoes only itself. */
static void
test_batch_conflict(void **state)
{
	struct fixture *f = *state;
	struct store_mitigation m;

	assert_int_equal(store_begin(f->st), 0);
	m = mit(1, "a", 1);
	put_ok(f->st, &m);
	m = mit(2, "a", 1);
	assert_int_equal(store_mitigation_put(f->st, &m), -1);
	m = mit(3, "a", 3);
	put_ok(f->st, &m);
	assert_int_equal(store_commit(f->st), 0);
	assert_ids(f->st, "1,3");
}

/* Restarts --------------------------------------------------------- */

static void
test_reopen(void **state)
{
	struct fixture *f = *state;
	struct store_mitigation a = mit(1, "a", 1), b = mit(2, "b", 2);
	struct rows rows;

	put_ok(f->st, &a);
	assert_int_equal(store_begin(f->st), 0);
	put_ok(f->st, &b);
	assert_int_equal(store_commit(f->st), 0);
	/* An uncommitted batch at close is dropped. */
	assert_int_equal(store_begin(f->st), 0);
	a.status = 9;
	put_ok(f->st, &a);
	store_close(f->st);

	f->st = open_ok(f->path, false);
	collect(f->st, &rows);
	assert_int_equal(rows.n, 2);
	a = mit(1, "a", 1);
	b = mit(2, "b", 2);
	assert_mit_equal(&rows.r[0].m, &a);
	assert_mit_equal(&rows.r[1].m, &b);
}

#define KILL_BIG_ROWS	64
#define KILL_BIG_BODY	(64 * 1024)

/*
 * In a child: commit ids 1-3, then start a batch of ids 100-163 with
 * bodies big enough (4 MiB in all) to spill out of SQLite's page cache
 * into the WAL before any commit, and SIGKILL ourselves.  Exits with a
 * non-zero status only if something failed before the kill.
 */
static void
kill_child(const char *path)
{
	static uint8_t big[KILL_BIG_BODY];
	struct store_mitigation m;
	struct store_config c;
	struct store *st;
	char err[256];
	uint64_t id;

	if (store_open(path, true, &st, err, sizeof(err)) != 0)
		_exit(10);
	if (store_begin(st) != 0)
		_exit(11);
	for (id = 1; id <= 3; id++) {
		m = mit(id, "a", (uint32_t)id);
		if (store_mitigation_put(st, &m) != 0)
			_exit(12);
	}
	if (store_commit(st) != 0 || store_begin(st) != 0)
		_exit(13);
	memset(&c, 0, sizeof(c));
	strcpy(c.cuid, "a");
	if (store_config_put(st, &c) != 0 ||
	    store_mitigation_delete(st, 2) != 0)
		_exit(14);
	memset(big, 0xa5, sizeof(big));
	for (id = 100; id < 100 + KILL_BIG_ROWS; id++) {
		m = mit(id, "b", (uint32_t)id);
		m.body = big;
		m.body_len = sizeof(big);
		if (store_mitigation_put(st, &m) != 0)
			_exit(15);
	}
	kill(getpid(), SIGKILL);
	_exit(16);
}

static void
test_kill_mid_batch(void **state)
{
	struct fixture *f = *state;
	struct cfg_rows r;
	struct stat sb;
	char wal[192];
	uint64_t id;
	pid_t pid;
	int status;

	store_close(f->st);
	f->st = NULL;
	if ((pid = fork()) == -1)
		fail_msg("fork: %s", strerror(errno));
	if (pid == 0)
		kill_child(f->path);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		fail_msg("child was not killed: status %#x", status);
	/* The uncommitted batch did reach the file: recovery has to skip
	 * it, not merely never see it. */
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_int_equal(stat(wal, &sb), 0);
	if (sb.st_size < KILL_BIG_ROWS * KILL_BIG_BODY / 2)
		fail_msg("WAL is only %jd bytes", (intmax_t)sb.st_size);

	f->st = open_ok(f->path, true);
	assert_ids(f->st, "1,2,3");
	memset(&r, 0, sizeof(r));
	assert_int_equal(store_config_foreach(f->st, cfg_cb, &r), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(store_mitigation_max_id(f->st, &id), 0);
	assert_int_equal(id, 3);
	/* And it works on. */
	assert_int_equal(store_mitigation_delete(f->st, 2), 0);
	assert_ids(f->st, "1,3");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_creates_schema),
		T(test_open_memory),
		T(test_open_newer_version),
		T(test_open_not_ours),
		T(test_mitigation_round_trip),
		T(test_mitigation_upsert),
		T(test_mitigation_unique),
		T(test_mitigation_invalid),
		T(test_mitigation_delete),
		T(test_mitigation_max_id),
		T(test_mitigation_foreach),
		T(test_config),
		T(test_client_seen),
		T(test_batch_commit),
		T(test_batch_rollback),
		T(test_batch_conflict),
		T(test_reopen),
		T(test_kill_mid_batch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
