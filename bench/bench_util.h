/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Helpers shared by the benchmarks: fatal errors, a monotonic clock in
 * nanoseconds, and a comparison for sorting samples.  Each benchmark sets
 * bench_name before using die().
 */
#ifndef DOTS_BENCH_UTIL_H
#define DOTS_BENCH_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *bench_name = "bench";

static void	die(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2), noreturn, unused));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", bench_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static double __attribute__((unused))
now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		die("clock_gettime: %s", strerror(errno));
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* qsort() order of doubles. */
static int __attribute__((unused))
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#endif /* DOTS_BENCH_UTIL_H */
