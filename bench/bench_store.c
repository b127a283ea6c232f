/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Store micro-benchmark: sustained durable writes through the server's
 * store (src/server/store_sqlite.c), as the event loop does them: a batch
 * of N mitigation puts between store_begin() and store_commit(), for
 * N = 1, 8, 64 and 256, on a file with synchronous=FULL (one fsync of the
 * WAL per commit).
 *
 * The table holds a window of 10000 mitigations, stored before timing;
 * every timed put rewrites one of them (new status, times and a 96-byte
 * body), round robin, so the file stops growing and the figures are those
 * of a steady state, WAL checkpoints included.
 *
 * Method: for each batch size, a short warm-up, then R runs (default 5),
 * each of at least one second and 50 batches.  Reported per batch size:
 * the commit latency (the store_commit() call alone, which is where the
 * fsync is) as median, p99 and maximum over every commit of every run,
 * p99 being the nearest-rank percentile; and the puts per second of each
 * run (puts / wall time of the run, puts and commits included) as median
 * and minimum over the runs.
 *
 * Then the cost of an empty batch, a begin and a commit with nothing
 * written, which the event loop pays every turn: through the store, and,
 * for comparison, as BEGIN IMMEDIATE + COMMIT and BEGIN IMMEDIATE +
 * ROLLBACK on a second SQLite connection to the same file.
 *
 * fsync is the cost measured: on tmpfs it is free and the figures mean
 * nothing.  --dir picks the file system.  Time is CLOCK_MONOTONIC.
 *
 * Usage: bench_store [--runs R] [--quick] [--normal] [--dir DIR]
 *                    [--verbose]
 *   --quick    3 runs of 0.2 s, for a smoke test
 *   --normal   synchronous=NORMAL instead of FULL (no fsync per commit)
 *   --dir      where the temporary database goes (default $TMPDIR, /tmp)
 *   --verbose  also print every run's figures, to stderr
 *
 * Output: a table, one line per batch size, the empty batch line, then
 * one machine-readable line per case starting with "BENCH ".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"

#include "bench_util.h"

#define DEFAULT_RUNS	5
#define MAX_RUNS	100
#define RUN_NS		1e9
#define QUICK_RUN_NS	2e8
#define MIN_BATCHES	50
#define WARMUP_BATCHES	20
#define WINDOW		10000	/* mitigations in the table */
#define BODY_LEN	96
#define EMPTY_ITERS	20000	/* empty batches per run */

struct bench {
	struct store	*st;
	char		 dir[256];
	char		 path[300];
	uint64_t	 seq;		/* puts so far */
	uint8_t		 body[BODY_LEN];
	bool		 verbose;
};

struct stats {
	double	median, p99, max, min;
};

/* The figures of one batch size. */
struct result {
	size_t		n;		/* puts per batch */
	size_t		commits;
	struct stats	lat;		/* commit latency, ns */
	struct stats	rate;		/* puts/s of each run */
};

/* Empty-batch variants. */
enum empty { EMPTY_STORE, EMPTY_COMMIT, EMPTY_ROLLBACK, NEMPTY };

static const char *const empty_name[NEMPTY] = {
	"store", "begin_commit", "begin_rollback"
};
static const char *const empty_what[NEMPTY] = {
	"store_begin + store_commit",
	"BEGIN IMMEDIATE + COMMIT",
	"BEGIN IMMEDIATE + ROLLBACK",
};

static struct stats
summarize(double *v, size_t n)
{
	struct stats s;
	size_t rank;

	qsort(v, n, sizeof(*v), cmp_double);
	s.min = v[0];
	s.max = v[n - 1];
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	/* nearest rank: ceil(0.99 * n), 1-based */
	rank = (99 * n + 99) / 100;
	s.p99 = v[rank - 1];
	return s;
}

/* One put: mitigation (seq mod WINDOW) + 1, with new contents. */
static void
put_one(struct bench *b)
{
	struct store_mitigation m;
	uint64_t slot = b->seq % WINDOW;

	memset(&m, 0, sizeof(m));
	m.id = slot + 1;
	/* 100 clients with 100 mids each: (cuid, mid) follows the id. */
	snprintf(m.cuid, sizeof(m.cuid), "dz6pHjaADkaFTbjr0JGBpw%02u",
	    (unsigned)(slot % 100));
	snprintf(m.client, sizeof(m.client), "client%02u",
	    (unsigned)(slot % 100));
	m.mid = 1000 + (uint32_t)(slot / 100);
	memcpy(b->body, &b->seq, sizeof(b->seq));
	m.body = b->body;
	m.body_len = sizeof(b->body);
	m.status = (uint8_t)(1 + b->seq % 8);
	m.trigger = true;
	m.lifetime = 3600;
	m.created = 1700000000 + (int64_t)slot;
	m.expires = m.created + 3600 + (int64_t)(b->seq / WINDOW);
	m.started = m.created + 1;
	if (store_mitigation_put(b->st, &m) != 0)
		die("put: %s", store_errmsg(b->st));
	b->seq++;
}

/* One batch of @p n puts; returns the latency of its commit in ns. */
static double
batch(struct bench *b, size_t n)
{
	double t0;
	size_t i;

	if (store_begin(b->st) != 0)
		die("begin: %s", store_errmsg(b->st));
	for (i = 0; i < n; i++)
		put_one(b);
	t0 = now_ns();
	if (store_commit(b->st) != 0)
		die("commit: %s", store_errmsg(b->st));
	return now_ns() - t0;
}

static void
preload(struct bench *b)
{
	size_t i;

	for (i = 0; i < WINDOW / 1000; i++)
		batch(b, 1000);
}

/* R runs with batches of @p n puts. */
static struct result
bench_batch(struct bench *b, size_t n, size_t runs, double run_ns)
{
	double *lat = NULL, *rate, t0, t1, *bigger;
	size_t nlat = 0, cap = 0, r, nb, i;
	struct result res;

	if ((rate = calloc(runs, sizeof(*rate))) == NULL)
		die("out of memory");
	for (i = 0; i < WARMUP_BATCHES; i++)
		batch(b, n);
	for (r = 0; r < runs; r++) {
		t0 = now_ns();
		for (nb = 0; ; nb++) {
			t1 = now_ns();
			if (nb >= MIN_BATCHES && t1 - t0 >= run_ns)
				break;
			if (nlat == cap) {
				cap = cap ? 2 * cap : 1024;
				bigger = realloc(lat, cap * sizeof(*lat));
				if (bigger == NULL)
					die("out of memory");
				lat = bigger;
			}
			lat[nlat++] = batch(b, n);
		}
		rate[r] = (double)(nb * n) / ((t1 - t0) / 1e9);
		if (b->verbose)
			fprintf(stderr, "batch %zu run %zu: %zu commits, "
			    "%.0f puts/s\n", n, r, nb, rate[r]);
	}
	res.n = n;
	res.commits = nlat;
	res.lat = summarize(lat, nlat);
	res.rate = summarize(rate, runs);
	free(lat);
	free(rate);
	return res;
}

static void
raw_exec(sqlite3 *db, sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		die("%s: %s", sqlite3_sql(s), sqlite3_errmsg(db));
	sqlite3_reset(s);
}

/* ns per empty batch of variant @p v, median over @p runs runs. */
static double
bench_empty(struct bench *b, enum empty v, size_t runs, bool full)
{
	sqlite3_stmt *begin = NULL, *end = NULL;
	sqlite3 *db = NULL;
	double *per, t0, med;
	size_t r, i;

	if (v != EMPTY_STORE) {
		if (sqlite3_open(b->path, &db) != SQLITE_OK ||
		    sqlite3_exec(db, full ? "PRAGMA synchronous = FULL" :
		    "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) !=
		    SQLITE_OK ||
		    sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin,
		    NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db, v == EMPTY_COMMIT ? "COMMIT" :
		    "ROLLBACK", -1, &end, NULL) != SQLITE_OK)
			die("%s: %s", b->path, sqlite3_errmsg(db));
	}
	if ((per = calloc(runs, sizeof(*per))) == NULL)
		die("out of memory");
	for (r = 0; r < runs; r++) {
		t0 = now_ns();
		for (i = 0; i < EMPTY_ITERS; i++) {
			if (v != EMPTY_STORE) {
				raw_exec(db, begin);
				raw_exec(db, end);
			} else if (store_begin(b->st) != 0 ||
			    store_commit(b->st) != 0)
				die("empty batch: %s", store_errmsg(b->st));
		}
		per[r] = (now_ns() - t0) / EMPTY_ITERS;
	}
	med = summarize(per, runs).median;
	free(per);
	sqlite3_finalize(begin);
	sqlite3_finalize(end);
	sqlite3_close(db);
	return med;
}

static void
cleanup(struct bench *b)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char name[320];
	size_t i;

	store_close(b->st);
	b->st = NULL;
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", b->path, suffix[i]);
		unlink(name);
	}
	rmdir(b->dir);
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_store [--runs R] [--quick] [--normal] "
	    "[--dir DIR] [--verbose]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	static const size_t sizes[] = { 1, 8, 64, 256 };
	enum { NSIZES = sizeof(sizes) / sizeof(sizes[0]) };
	struct result res[NSIZES];
	static struct bench b;
	const char *dir = getenv("TMPDIR");
	double run_ns = RUN_NS, ns[NEMPTY];
	size_t runs = DEFAULT_RUNS, i;
	bool quick = false, runs_set = false, full = true;
	char err[512], *end;
	int a;

	bench_name = "bench_store";

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--quick") == 0)
			quick = true;
		else if (strcmp(argv[a], "--normal") == 0)
			full = false;
		else if (strcmp(argv[a], "--verbose") == 0)
			b.verbose = true;
		else if (strcmp(argv[a], "--dir") == 0 && a + 1 < argc)
			dir = argv[++a];
		else if (strcmp(argv[a], "--runs") == 0 && a + 1 < argc) {
			errno = 0;
			runs = strtoul(argv[++a], &end, 10);
			if (errno != 0 || *end != '\0' || runs < 1 ||
			    runs > MAX_RUNS)
				die("--runs wants 1..%d", MAX_RUNS);
			runs_set = true;
		} else
			usage();
	}
	if (quick) {
		run_ns = QUICK_RUN_NS;
		if (!runs_set)
			runs = 3;
	}
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";

	snprintf(b.dir, sizeof(b.dir), "%s/bench_store.XXXXXX", dir);
	if (mkdtemp(b.dir) == NULL)
		die("mkdtemp %s: %s", b.dir, strerror(errno));
	snprintf(b.path, sizeof(b.path), "%s/store.db", b.dir);
	if (store_open(b.path, full, &b.st, err, sizeof(err)) != 0) {
		rmdir(b.dir);
		die("%s", err);
	}
	preload(&b);

	printf("bench_store: %s, synchronous=%s, SQLite %s\n", b.path,
	    full ? "FULL" : "NORMAL", sqlite3_libversion());
	printf("%zu runs of >= %.1f s and >= %d batches; %d mitigations, "
	    "%d-byte bodies\n\n", runs, run_ns / 1e9, MIN_BATCHES, WINDOW,
	    BODY_LEN);
	fflush(stdout);
	for (i = 0; i < NSIZES; i++)
		res[i] = bench_batch(&b, sizes[i], runs, run_ns);
	for (i = 0; i < NEMPTY; i++)
		ns[i] = bench_empty(&b, (enum empty)i, runs, full);

	printf("batch   commits  commit med    commit p99    commit max"
	    "    puts/s med  puts/s min\n");
	for (i = 0; i < NSIZES; i++)
		printf("%5zu  %8zu  %9.3f ms  %9.3f ms  %9.3f ms  %10.0f  "
		    "%10.0f\n", res[i].n, res[i].commits,
		    res[i].lat.median / 1e6, res[i].lat.p99 / 1e6,
		    res[i].lat.max / 1e6, res[i].rate.median, res[i].rate.min);
	printf("\nempty batch (nothing written), ns, median of %zu runs of "
	    "%d:\n", runs, EMPTY_ITERS);
	for (i = 0; i < NEMPTY; i++)
		printf("  %-28s %10.1f\n", empty_what[i], ns[i]);
	printf("\n");
	for (i = 0; i < NSIZES; i++)
		printf("BENCH store batch=%zu commits=%zu "
		    "commit_median_us=%.1f commit_p99_us=%.1f "
		    "commit_max_us=%.1f "
		    "puts_per_s_median=%.0f puts_per_s_min=%.0f\n", res[i].n,
		    res[i].commits, res[i].lat.median / 1e3,
		    res[i].lat.p99 / 1e3, res[i].lat.max / 1e3,
		    res[i].rate.median, res[i].rate.min);
	for (i = 0; i < NEMPTY; i++)
		printf("BENCH store empty=%s ns=%.1f\n", empty_name[i], ns[i]);

	cleanup(&b);
	return 0;
}
