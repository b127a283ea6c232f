/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotscd's store (src/clientd/store.c): mid allocation (monotonic, the
 * RFC 9132 rollover), persistence across a reopen, and the mitigation
 * rows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mid_after),
		cmocka_unit_test(test_store_persists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
