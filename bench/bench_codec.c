/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Codec micro-benchmark: nanoseconds per message to encode, decode, and
 * encode then decode, for
 *
 *   typical_cbor   a typical mitigation request as application/dots+cbor:
 *                  one scope, one IPv4 target prefix, two port ranges,
 *                  protocols 6 and 17, lifetime 3600
 *   status100_cbor a 100-scope mitigation body (a GET-all status answer):
 *                  each scope with mid, target prefix, lifetime,
 *                  mitigation-start, status and the four counters
 *   typical_json   the typical request as RFC 7951 JSON
 *
 * The messages are built once with the model API.  Decoding includes
 * dots_signal_free() of the decoded message, and JSON encoding the free()
 * of the text: that is what a caller pays per message.
 *
 * Method: a warm-up, then a calibration that picks N so that one run (the
 * three timed loops of N messages each) takes about 75 ms, then R runs
 * (default 15).  Each run gives one ns/message figure per operation; the
 * report gives their median, p99 and minimum over the runs.  p99 is the
 * nearest-rank percentile, which is the maximum whenever R < 100.  Time is
 * CLOCK_MONOTONIC.  Run it on an optimized build without sanitizers
 * (build/, RelWithDebInfo) on an otherwise idle machine.
 *
 * Usage: bench_codec [--runs R] [--quick] [--verbose]
 *   --quick    5 runs of about 15 ms each, for a smoke test
 *   --verbose  also print every run's figures, to stderr
 *
 * Output: a table, one line per case, then one machine-readable line per
 * case starting with "BENCH ".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dots/cbor.h>
#include <dots/json.h>
#include <dots/model.h>

#include "bench_util.h"

#define DEFAULT_RUNS	15
#define MAX_RUNS	1000
#define RUN_NS		75000000.0	/* one run: three loops, ~75 ms */
#define QUICK_RUN_NS	15000000.0
#define WARMUP_NS	200000000.0
#define QUICK_WARMUP_NS	 30000000.0
#define BUF_CAP		(DOTS_CBOR_MAX_BODY)

enum op { OP_ENC, OP_DEC, OP_RT, NOPS };

static const char *const op_name[NOPS] = { "enc", "dec", "rt" };

struct bench_case {
	const char		*name;
	const char		*what;
	int			 json;		/* JSON instead of CBOR */
	struct dots_signal	*msg;		/* what is encoded */
	uint8_t			*wire;		/* its encoding, to decode */
	size_t			 wire_len;
};

/* Folds every result in, so that no call can be dropped as dead code. */
static volatile uint64_t	sink;

/* Message construction ---------------------------------------------- */

static void *
xalloc(struct dots_signal *m, size_t size)
{
	void *p = dots_signal_alloc(m, size);

	if (p == NULL)
		die("out of memory");
	return p;
}

static void
set_prefix(struct dots_prefix *p, const char *text)
{
	bool host_bits;

	if (dots_prefix_parse(text, p, &host_bits) != DOTS_OK)
		die("bad prefix %s", text);
}

/* One scope: 192.0.2.0/24, ports 80 and 8000-8080, TCP and UDP, 3600 s. */
static struct dots_signal *
make_typical(void)
{
	struct dots_signal *m;
	struct dots_scope *s;

	if ((m = dots_signal_new(DOTS_SIG_MITIGATION)) == NULL ||
	    (s = dots_signal_add_scopes(m, 1)) == NULL)
		die("out of memory");
	s->target.prefix = xalloc(m, sizeof(*s->target.prefix));
	s->target.n_prefix = 1;
	set_prefix(&s->target.prefix[0], "192.0.2.0/24");
	s->target.port_range = xalloc(m, 2 * sizeof(*s->target.port_range));
	s->target.n_port_range = 2;
	s->target.port_range[0].lower_port = 80;
	s->target.port_range[0].upper_port = 80;
	s->target.port_range[1].present = DOTS_PORT_UPPER;
	s->target.port_range[1].lower_port = 8000;
	s->target.port_range[1].upper_port = 8080;
	s->target.protocol = xalloc(m, 2);
	s->target.n_protocol = 2;
	s->target.protocol[0] = 6;
	s->target.protocol[1] = 17;
	s->lifetime = 3600;
	s->present |= DOTS_SCOPE_LIFETIME;
	return m;
}

/* 100 scopes as in a 2.05 answer to GET /mitigate/cuid=... */
static struct dots_signal *
make_status100(void)
{
	struct dots_signal *m;
	struct dots_scope *s;
	char text[64];
	size_t i;

	if ((m = dots_signal_new(DOTS_SIG_MITIGATION)) == NULL ||
	    (s = dots_signal_add_scopes(m, 100)) == NULL)
		die("out of memory");
	for (i = 0; i < 100; i++, s++) {
		s->mid = 1000 + (uint32_t)i;
		s->target.prefix = xalloc(m, sizeof(*s->target.prefix));
		s->target.n_prefix = 1;
		if (i % 2 == 0)
			snprintf(text, sizeof(text), "198.51.%zu.0/24", i);
		else
			snprintf(text, sizeof(text), "2001:db8:%zx::/48", i);
		set_prefix(&s->target.prefix[0], text);
		s->lifetime = 3600 - (int64_t)i;
		s->mitigation_start = 1700000000 + i;
		s->status = DOTS_STATUS_IN_PROGRESS;
		s->bytes_dropped = 123456789012ull * (i + 1);
		s->bps_dropped = 98765432 + i;
		s->pkts_dropped = 4567890123ull + i;
		s->pps_dropped = 123456 + i;
		s->present |= DOTS_SCOPE_MID | DOTS_SCOPE_LIFETIME |
		    DOTS_SCOPE_MITIGATION_START | DOTS_SCOPE_STATUS |
		    DOTS_SCOPE_BYTES_DROPPED | DOTS_SCOPE_BPS_DROPPED |
		    DOTS_SCOPE_PKTS_DROPPED | DOTS_SCOPE_PPS_DROPPED;
	}
	return m;
}

/* The operations --------------------------------------------------- */

static uint8_t	encbuf[BUF_CAP];

static size_t
encode(const struct bench_case *c)
{
	size_t len = 0;
	char *text;
	int err;

	if (c->json) {
		text = dots_json_encode_signal(c->msg, 0, &err);
		if (text == NULL)
			die("%s: JSON encoding failed: %s", c->name,
			    dots_strerror(err));
		len = strlen(text);
		sink += (uint8_t)text[len / 2];
		free(text);
		return len;
	}
	err = dots_cbor_encode_signal(c->msg, encbuf, sizeof(encbuf), &len);
	if (err != DOTS_OK)
		die("%s: CBOR encoding failed: %s", c->name,
		    dots_strerror(err));
	sink += encbuf[len / 2];
	return len;
}

static void
decode(const struct bench_case *c, const uint8_t *buf, size_t len)
{
	struct dots_signal *m;
	struct dots_diag diag;
	int err;

	if (c->json)
		err = dots_json_decode_signal((const char *)buf, len, 0, &m,
		    &diag);
	else
		err = dots_cbor_decode_signal(buf, len, &m, &diag);
	if (err != DOTS_OK)
		die("%s: decoding failed: %s: %s", c->name, dots_strerror(err),
		    diag.error.msg);
	sink += m->mitigation.n_scope;
	dots_signal_free(m);
}

/* Encode, then decode what was just encoded. */
static void
round_trip(const struct bench_case *c)
{
	struct dots_signal *m;
	struct dots_diag diag;
	size_t len = 0;
	char *text;
	int err;

	if (c->json) {
		if ((text = dots_json_encode_signal(c->msg, 0, &err)) == NULL)
			die("%s: JSON encoding failed", c->name);
		err = dots_json_decode_signal(text, strlen(text), 0, &m, &diag);
		free(text);
	} else {
		if (dots_cbor_encode_signal(c->msg, encbuf, sizeof(encbuf),
		    &len) != DOTS_OK)
			die("%s: CBOR encoding failed", c->name);
		err = dots_cbor_decode_signal(encbuf, len, &m, &diag);
	}
	if (err != DOTS_OK)
		die("%s: decoding failed: %s", c->name, diag.error.msg);
	sink += m->mitigation.n_scope;
	dots_signal_free(m);
}

/* ns per message of @p n repetitions of @p op. */
static double
time_op(const struct bench_case *c, enum op op, size_t n)
{
	double t0, t1;
	size_t i;

	t0 = now_ns();
	switch (op) {
	case OP_ENC:
		for (i = 0; i < n; i++)
			sink += encode(c);
		break;
	case OP_DEC:
		for (i = 0; i < n; i++)
			decode(c, c->wire, c->wire_len);
		break;
	default:
		for (i = 0; i < n; i++)
			round_trip(c);
		break;
	}
	t1 = now_ns();
	return (t1 - t0) / (double)n;
}

/* Setup ------------------------------------------------------------ */

/* Encode c->msg once into c->wire and check that it decodes back equal. */
static void
prepare(struct bench_case *c)
{
	struct dots_signal *back;
	struct dots_diag diag;
	size_t len = 0;
	char *text;
	int err;

	if (c->json) {
		if ((text = dots_json_encode_signal(c->msg, 0, &err)) == NULL)
			die("%s: JSON encoding failed: %s", c->name,
			    dots_strerror(err));
		c->wire = (uint8_t *)text;
		c->wire_len = strlen(text);
		err = dots_json_decode_signal(text, c->wire_len, 0, &back,
		    &diag);
	} else {
		err = dots_cbor_encode_signal(c->msg, NULL, 0, &len);
		if (err != DOTS_ENOSPC)
			die("%s: CBOR encoding failed: %s", c->name,
			    dots_strerror(err));
		if ((c->wire = malloc(len)) == NULL)
			die("out of memory");
		if (dots_cbor_encode_signal(c->msg, c->wire, len,
		    &c->wire_len) != DOTS_OK)
			die("%s: CBOR encoding failed", c->name);
		err = dots_cbor_decode_signal(c->wire, c->wire_len, &back,
		    &diag);
	}
	if (err != DOTS_OK)
		die("%s: its encoding does not decode: %s", c->name,
		    diag.error.msg);
	if (!dots_signal_equal(c->msg, back))
		die("%s: the round trip changes the message", c->name);
	dots_signal_free(back);
}

struct stats {
	double	median, p99, min;
};

static struct stats
summarize(double *v, size_t n)
{
	struct stats s;
	size_t rank;

	qsort(v, n, sizeof(*v), cmp_double);
	s.min = v[0];
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	/* nearest rank: ceil(0.99 * n), 1-based */
	rank = (99 * n + 99) / 100;
	s.p99 = v[rank - 1];
	return s;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_codec [--runs R] [--quick] "
	    "[--verbose]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct bench_case cases[] = {
		{ "typical_cbor", "1-scope request, CBOR", 0, NULL, NULL, 0 },
		{ "status100_cbor", "100-scope status, CBOR", 0, NULL, NULL,
		    0 },
		{ "typical_json", "1-scope request, JSON", 1, NULL, NULL, 0 },
	};
	const size_t ncases = sizeof(cases) / sizeof(cases[0]);
	struct stats st[sizeof(cases) / sizeof(cases[0])][NOPS];
	size_t iters[sizeof(cases) / sizeof(cases[0])];
	double run_ns = RUN_NS, warmup_ns = WARMUP_NS, t0, per, *res[NOPS];
	size_t runs = DEFAULT_RUNS, ci, r, n;
	int i, quick = 0, verbose = 0, op;
	char *end;

	bench_name = "bench_codec";

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			quick = 1;
		else if (strcmp(argv[i], "--verbose") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			errno = 0;
			runs = strtoul(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || runs < 1 ||
			    runs > MAX_RUNS)
				die("--runs wants 1..%d", MAX_RUNS);
		} else
			usage();
	}
	if (quick) {
		run_ns = QUICK_RUN_NS;
		warmup_ns = QUICK_WARMUP_NS;
		for (i = 1; i < argc; i++)
			if (strcmp(argv[i], "--runs") == 0)
				break;
		if (i == argc)
			runs = 5;
	}

	cases[0].msg = make_typical();
	cases[1].msg = make_status100();
	cases[2].msg = make_typical();
	for (op = 0; op < NOPS; op++)
		if ((res[op] = calloc(runs, sizeof(double))) == NULL)
			die("out of memory");

	for (ci = 0; ci < ncases; ci++) {
		struct bench_case *c = &cases[ci];

		prepare(c);

		/* warm up caches, branch predictors and the allocator */
		t0 = now_ns();
		for (n = 0; now_ns() - t0 < warmup_ns; n++)
			round_trip(c);

		/*
		 * Calibrate: N such that the round-trip loop takes about
		 * 45% of a run; encode and decode alone take the rest.
		 */
		per = time_op(c, OP_RT, n > 10 ? n / 10 : 1);
		n = (size_t)(run_ns * 0.45 / per);
		if (n < 10)
			n = 10;
		iters[ci] = n;

		for (r = 0; r < runs; r++) {
			for (op = 0; op < NOPS; op++)
				res[op][r] = time_op(c, (enum op)op, n);
			if (verbose)
				fprintf(stderr, "%s run %zu: enc %.1f dec %.1f "
				    "rt %.1f ns\n", c->name, r + 1,
				    res[OP_ENC][r], res[OP_DEC][r],
				    res[OP_RT][r]);
		}
		for (op = 0; op < NOPS; op++)
			st[ci][op] = summarize(res[op], runs);
	}

	printf("opendots codec benchmark: %zu runs per case, ns per message "
	    "(median / p99 / min over runs; p99 is nearest-rank%s)\n", runs,
	    runs < 100 ? ", = max with fewer than 100 runs" : "");
	printf("enc = encode, dec = decode incl. free, rt = encode + decode\n");
	printf("%-15s %-24s %6s %8s  %-26s %-26s %-26s\n", "case", "message",
	    "bytes", "N/run", "enc", "dec", "rt");
	for (ci = 0; ci < ncases; ci++) {
		char col[NOPS][40];

		for (op = 0; op < NOPS; op++)
			snprintf(col[op], sizeof(col[op]), "%.0f / %.0f / %.0f",
			    st[ci][op].median, st[ci][op].p99, st[ci][op].min);
		printf("%-15s %-24s %6zu %8zu  %-26s %-26s %-26s\n",
		    cases[ci].name, cases[ci].what, cases[ci].wire_len,
		    iters[ci], col[OP_ENC], col[OP_DEC], col[OP_RT]);
	}
	for (ci = 0; ci < ncases; ci++) {
		printf("BENCH case=%s bytes=%zu runs=%zu n=%zu",
		    cases[ci].name, cases[ci].wire_len, runs, iters[ci]);
		for (op = 0; op < NOPS; op++)
			printf(" %s_median_ns=%.1f %s_p99_ns=%.1f %s_min_ns=%.1f",
			    op_name[op], st[ci][op].median, op_name[op],
			    st[ci][op].p99, op_name[op], st[ci][op].min);
		printf("\n");
	}

	for (ci = 0; ci < ncases; ci++) {
		dots_signal_free(cases[ci].msg);
		free(cases[ci].wire);
	}
	for (op = 0; op < NOPS; op++)
		free(res[op]);
	return 0;
}
