/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotscd's store (src/clientd/store.c): mid allocation (monotonic, the
 * RFC 9132 rollover), persistence across a reopen, and the mitigation
 * rows, with a gateway's cdid and Hop-Limit, in a database made before
 * they existed too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store.h"

static void
test_mid_after(void **state)
{
	uint32_t mid = 99;

	(void)state;
	assert_int_equal(mid_after(0, false, false, &mid), 0);
	assert_int_equal(mid, 1);
	assert_int_equal(mid_after(7, true, true, &mid), 0);
	assert_int_equal(mid, 8);
	assert_int_equal(mid_after(STORE_MID_ROLLOVER - 1, true, false, &mid),
	    0);
	assert_int_equal(mid, STORE_MID_ROLLOVER);
	/* reached, nothing active: back to 0 */
	assert_int_equal(mid_after(STORE_MID_ROLLOVER, true, false, &mid), 0);
	assert_int_equal(mid, 0);
	/* reached while active: keep going up */
	assert_int_equal(mid_after(STORE_MID_ROLLOVER, true, true, &mid), 0);
	assert_int_equal(mid, STORE_MID_ROLLOVER + 1);
	assert_int_equal(mid_after(UINT32_MAX, true, true, &mid), -1);
	assert_int_equal(mid_after(UINT32_MAX, true, false, &mid), 0);
	assert_int_equal(mid, 0);
}

static int rows;

static void
count_row(void *arg, const struct store_mit *m)
{
	(void)arg;
	assert_string_equal(m->server, "a");
	assert_int_equal(m->mid, 5);
	assert_string_equal(m->state, "pending");
	assert_string_equal(m->scope, "{\"target-prefix\":[\"192.0.2.0/24\"]}");
	assert_null(m->error);
	rows++;
}

static void
test_store_persists(void **state)
{
	char path[] = "/tmp/test_clientd_store.XXXXXX", err[256], side[64];
	struct store_mit sm;
	struct store *st;
	uint32_t mid;
	bool have;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	st = store_open(path, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_mid_next(st, "a", false, &mid), 0);
	assert_int_equal(mid, 1);
	assert_int_equal(store_mid_next(st, "a", false, &mid), 0);
	assert_int_equal(mid, 2);
	assert_int_equal(store_mid_next(st, "b", false, &mid), 0);
	assert_int_equal(mid, 1);
	assert_int_equal(store_mid_seen(st, "a", 4), 0);
	assert_int_equal(store_mid_seen(st, "a", 3), 0);
	memset(&sm, 0, sizeof(sm));
	sm.server = "a";
	sm.mid = 5;
	sm.origin = "manual";
	sm.target = "";
	sm.state = "pending";
	sm.scope = "{\"target-prefix\":[\"192.0.2.0/24\"]}";
	assert_int_equal(store_mit_put(st, &sm), 0);
	store_close(st);

	st = store_open(path, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_mid_last(st, "a", &mid, &have), 0);
	assert_true(have);
	assert_int_equal(mid, 4);
	assert_int_equal(store_mid_next(st, "a", false, &mid), 0);
	assert_int_equal(mid, 5);
	rows = 0;
	assert_int_equal(store_mit_load(st, count_row, NULL), 0);
	assert_int_equal(rows, 1);
	assert_int_equal(store_mit_del(st, "a", 5), 0);
	rows = 0;
	assert_int_equal(store_mit_load(st, count_row, NULL), 0);
	assert_int_equal(rows, 0);
	store_close(st);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static void
cdid_row(void *arg, const struct store_mit *m)
{
	(void)arg;
	if (m->mid == 1) {
		/* a row of the first schema */
		assert_null(m->cdid);
		assert_int_equal(m->hop_limit, 0);
	} else {
		assert_int_equal(m->mid, 2);
		assert_string_equal(m->cdid, "domain-1");
		assert_int_equal(m->hop_limit, 15);
	}
	rows++;
}

/* A database of the first schema gets the new columns; they persist. */
static void
test_store_cdid_upgrade(void **state)
{
	char path[] = "/tmp/test_clientd_store.XXXXXX", err[256], side[64];
	struct store_mit sm;
	struct store *st;
	sqlite3 *db;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE mitigations ("
	    " server TEXT NOT NULL, mid INTEGER NOT NULL,"
	    " origin TEXT NOT NULL, target TEXT NOT NULL, state TEXT NOT NULL,"
	    " status INTEGER NOT NULL, delivered INTEGER NOT NULL,"
	    " scope TEXT NOT NULL, created INTEGER NOT NULL,"
	    " updated INTEGER NOT NULL, error TEXT,"
	    " PRIMARY KEY (server, mid));"
	    "INSERT INTO mitigations VALUES ('a', 1, 'manual', '', 'active', "
	    "2, 1, '{}', 1, 1, NULL);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	st = store_open(path, err, sizeof(err));
	if (st == NULL)
		fail_msg("%s", err);
	memset(&sm, 0, sizeof(sm));
	sm.server = "a";
	sm.mid = 2;
	sm.origin = "gateway:7";
	sm.target = "";
	sm.state = "pending";
	sm.scope = "{}";
	sm.cdid = "domain-1";
	sm.hop_limit = 15;
	assert_int_equal(store_mit_put(st, &sm), 0);
	store_close(st);
	/* opened again: the upgrade is not made twice */
	st = store_open(path, err, sizeof(err));
	if (st == NULL)
		fail_msg("%s", err);
	rows = 0;
	assert_int_equal(store_mit_load(st, cdid_row, NULL), 0);
	assert_int_equal(rows, 2);
	store_close(st);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mid_after),
		cmocka_unit_test(test_store_persists),
		cmocka_unit_test(test_store_cdid_upgrade),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
