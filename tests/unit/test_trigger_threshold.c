/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The traffic-threshold trigger: its state machine (src/clientd/rate.c)
 * fed with synthetic counters, and its reading of the kernel's counters
 * (src/clientd/trigger_threshold.c) on real interfaces.
 *
 * The state machine is checked exhaustively: every sequence of eight
 * samples drawn from {over the start mark, between the marks, under the
 * stop mark, counters reset, interface missing} is fed, and each decision
 * is compared with what a much simpler model says it must be.  Flapping
 * input is part of that set; long random runs add flapping at scale.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rate.h"

#define CAP		8000000		/* 8 Mbit/s: 1,000,000 bytes/s */
#define BASE		(UINT64_C(1) << 40)	/* never mistaken for a wrap */

/* What a sample looks like, per second. */
enum cls {
	C_OVER,		/* 70 % of the capacity */
	C_MID,		/* 35 %: between the marks */
	C_UNDER,	/* 5 % */
	C_RESET,	/* counters back to near zero */
	C_MISSING,	/* interface unreadable */
	C_N
};

/* A stream of one-second samples. */
struct feed {
	struct thr_machine	m;
	uint64_t		t_ms;
	uint64_t		bytes;
	uint64_t		packets;
};

static struct thr_params
params(unsigned rise, unsigned hold)
{
	return (struct thr_params){ .capacity_bps = CAP, .start_pct = 50,
	    .stop_pct = 20, .rise = rise, .hold = hold };
}

static void
feed_init(struct feed *f, const struct thr_params *p)
{
	struct thr_sample s;

	assert_null(thr_params_check(p));
	thr_init(&f->m, p);
	f->t_ms = 1000;
	f->bytes = BASE;
	f->packets = BASE;
	s = (struct thr_sample){ .t_ms = f->t_ms, .bytes = f->bytes,
	    .packets = f->packets, .ok = true };
	assert_int_equal(thr_feed(&f->m, &s), THR_NONE);
	assert_int_equal(f->m.gap, THR_GAP_FIRST);
}

/* One second of @p c. */
static enum thr_action
step(struct feed *f, enum cls c)
{
	static const unsigned pct[] = { 70, 35, 5 };
	struct thr_sample s;

	f->t_ms += 1000;
	switch (c) {
	case C_OVER:
	case C_MID:
	case C_UNDER:
		f->bytes += (uint64_t)CAP / 8 * pct[c] / 100;
		f->packets += pct[c] * 10;
		break;
	case C_RESET:
		/* backwards, by far more than a wrap the link allows */
		f->bytes = f->bytes > 1000 ? 1000 : f->bytes - 1;
		f->packets = f->packets > 1000 ? 1000 : f->packets - 1;
		break;
	case C_MISSING:
	case C_N:
		s = (struct thr_sample){ .t_ms = f->t_ms, .ok = false };
		return thr_feed(&f->m, &s);
	}
	s = (struct thr_sample){ .t_ms = f->t_ms, .bytes = f->bytes,
	    .packets = f->packets, .ok = true };
	return thr_feed(&f->m, &s);
}

/* @p n seconds of @p c, all of which must decide nothing. */
static void
steps_none(struct feed *f, enum cls c, unsigned n)
{
	while (n-- > 0)
		assert_int_equal(step(f, c), THR_NONE);
}

static void
test_params_check(void **state)
{
	struct thr_params p = params(3, 60);

	(void)state;
	assert_null(thr_params_check(&p));
	p.stop_pct = 50;
	assert_non_null(thr_params_check(&p));
	p = params(3, 60);
	p.start_pct = 0;
	assert_non_null(thr_params_check(&p));
	p.start_pct = 101;
	assert_non_null(thr_params_check(&p));
	p = params(0, 60);
	assert_non_null(thr_params_check(&p));
	p = params(3, 86401);
	assert_non_null(thr_params_check(&p));
	p = params(3, 0);
	assert_null(thr_params_check(&p));
	p.capacity_bps = UINT64_MAX;
	assert_non_null(thr_params_check(&p));
	p.capacity_bps = 0;	/* unknown yet: allowed */
	assert_null(thr_params_check(&p));
}

static void
test_rate_measured(void **state)
{
	struct thr_params p = params(3, 60);
	struct feed f;

	(void)state;
	feed_init(&f, &p);
	assert_int_equal(step(&f, C_MID), THR_NONE);
	assert_int_equal(f.m.gap, THR_GAP_NONE);
	assert_int_equal(f.m.bps, CAP * 35 / 100);
	assert_int_equal(f.m.pps, 350);
	assert_int_equal(thr_percent(&f.m), 35);
}

static void
test_rise_exact(void **state)
{
	struct thr_params p = params(3, 60);
	struct feed f;

	(void)state;
	feed_init(&f, &p);
	steps_none(&f, C_UNDER, 5);
	steps_none(&f, C_OVER, 2);
	assert_int_equal(f.m.state, THR_RISING);
	/* one dip between the marks breaks the rise */
	steps_none(&f, C_MID, 1);
	assert_int_equal(f.m.state, THR_IDLE);
	steps_none(&f, C_OVER, 2);
	assert_int_equal(step(&f, C_OVER), THR_START);
	assert_int_equal(f.m.state, THR_ACTIVE);
	/* no second start while the attack goes on */
	steps_none(&f, C_OVER, 100);
}

static void
test_hold_exact(void **state)
{
	struct thr_params p = params(2, 60);
	struct feed f;

	(void)state;
	feed_init(&f, &p);
	step(&f, C_OVER);
	assert_int_equal(step(&f, C_OVER), THR_START);
	steps_none(&f, C_UNDER, 59);
	assert_int_equal(f.m.state, THR_HOLDING);
	assert_int_equal(step(&f, C_UNDER), THR_STOP);
	assert_int_equal(f.m.state, THR_IDLE);
	steps_none(&f, C_UNDER, 100);
}

/* Between the marks nothing changes: neither start nor stop. */
static void
test_hysteresis_band(void **state)
{
	struct thr_params p = params(2, 5);
	struct feed f;

	(void)state;
	feed_init(&f, &p);
	steps_none(&f, C_MID, 1000);
	assert_int_equal(f.m.state, THR_IDLE);
	step(&f, C_OVER);
	assert_int_equal(step(&f, C_OVER), THR_START);
	steps_none(&f, C_MID, 1000);
	assert_int_equal(f.m.state, THR_ACTIVE);
	/* a hold broken by one sample between the marks starts again */
	steps_none(&f, C_UNDER, 4);
	steps_none(&f, C_MID, 1);
	steps_none(&f, C_UNDER, 4);
	assert_int_equal(step(&f, C_UNDER), THR_STOP);
}

static void
test_hold_zero(void **state)
{
	struct thr_params p = params(1, 0);
	struct feed f;

	(void)state;
	feed_init(&f, &p);
	assert_int_equal(step(&f, C_OVER), THR_START);
	assert_int_equal(step(&f, C_UNDER), THR_STOP);
	assert_int_equal(step(&f, C_OVER), THR_START);
}

/* Flapping across both marks every other second: one start, no stop. */
static void
test_flapping(void **state)
{
	struct thr_params p = params(3, 10);
	struct feed f;
	unsigned i, starts = 0, stops = 0;
	enum thr_action a;

	(void)state;
	feed_init(&f, &p);
	for (i = 0; i < 10000; i++) {
		a = step(&f, i % 2 ? C_OVER : C_UNDER);
		starts += a == THR_START;
		stops += a == THR_STOP;
	}
	assert_int_equal(starts, 0);
	/* two over, one under: never three over in a row */
	for (i = 0; i < 10000; i++)
		assert_int_equal(step(&f, i % 3 ? C_OVER : C_UNDER), THR_NONE);
	steps_none(&f, C_OVER, 2);
	assert_int_equal(step(&f, C_OVER), THR_START);
	for (i = 0; i < 10000; i++) {
		a = step(&f, i % 5 ? C_UNDER : C_OVER);
		starts += a == THR_START;
		stops += a == THR_STOP;
	}
	assert_int_equal(starts, 0);
	assert_int_equal(stops, 0);
	assert_true(f.m.state == THR_ACTIVE || f.m.state == THR_HOLDING);
}

/* A 32-bit counter that wraps during an attack is still measured. */
static void
test_wrap32(void **state)
{
	struct thr_params p = params(3, 60);
	struct thr_machine m;
	struct thr_sample s = { .t_ms = 1000, .ok = true };
	uint64_t per_s = CAP / 8 * 70 / 100;
	unsigned i;
	enum thr_action a = THR_NONE;

	(void)state;
	thr_init(&m, &p);
	s.bytes = UINT32_MAX - per_s - per_s / 2;
	s.packets = UINT32_MAX - 10;
	thr_feed(&m, &s);
	for (i = 0; i < 3; i++) {
		s.t_ms += 1000;
		s.bytes = (s.bytes + per_s) & UINT32_MAX;
		s.packets = (s.packets + 700) & UINT32_MAX;
		a = thr_feed(&m, &s);
		if (i == 1) {
			assert_int_equal(m.gap, THR_GAP_WRAP);
			assert_int_equal(m.pps, 700);
		} else {
			assert_int_equal(m.gap, THR_GAP_NONE);
		}
		assert_int_equal(m.bps, per_s * 8);
	}
	assert_int_equal(a, THR_START);
}

/*
 * Counters that go backwards by more than the link could carry are a
 * reset, never a rate: no false trigger, even from 32-bit values.
 */
static void
test_reset_no_trigger(void **state)
{
	struct thr_params p = params(1, 60);
	struct thr_machine m;
	struct thr_sample s = { .t_ms = 1000, .ok = true };

	(void)state;
	thr_init(&m, &p);
	s.bytes = 4000000000u;
	thr_feed(&m, &s);
	s.t_ms += 1000;
	s.bytes = 10;		/* a wrap would be ~295 MB in 1 s */
	assert_int_equal(thr_feed(&m, &s), THR_NONE);
	assert_int_equal(m.gap, THR_GAP_RESET);
	s.t_ms += 1000;
	s.bytes += 1000;
	assert_int_equal(thr_feed(&m, &s), THR_NONE);
	assert_int_equal(m.gap, THR_GAP_NONE);
	assert_int_equal(m.bps, 8000);

	/* 64-bit values going backwards: always a reset */
	s.t_ms += 1000;
	s.bytes = BASE;
	thr_feed(&m, &s);
	s.t_ms += 1000;
	s.bytes = BASE - 1;
	assert_int_equal(thr_feed(&m, &s), THR_NONE);
	assert_int_equal(m.gap, THR_GAP_RESET);
}

/* An interface that vanishes: no start, no stop, a fresh base after. */
static void
test_missing(void **state)
{
	struct thr_params p = params(2, 3);
	struct feed f;

	(void)state;
	feed_init(&f, &p);
	step(&f, C_OVER);
	steps_none(&f, C_MISSING, 1);
	assert_int_equal(f.m.gap, THR_GAP_MISSING);
	/* back with counters far higher: the first sample is a base */
	f.bytes += UINT64_C(1) << 35;
	steps_none(&f, C_OVER, 1);
	assert_int_equal(f.m.gap, THR_GAP_FIRST);
	steps_none(&f, C_OVER, 1);
	assert_int_equal(step(&f, C_OVER), THR_START);

	/* while mitigating, blindness neither stops nor completes a hold */
	steps_none(&f, C_UNDER, 2);
	steps_none(&f, C_MISSING, 100);
	assert_int_equal(f.m.state, THR_ACTIVE);
	steps_none(&f, C_UNDER, 3);	/* FIRST, then two measured */
	assert_int_equal(step(&f, C_UNDER), THR_STOP);
}

static void
test_clock_and_capacity(void **state)
{
	struct thr_params p = params(1, 0);
	struct thr_machine m;
	struct thr_sample s = { .t_ms = 5000, .bytes = BASE, .ok = true };

	(void)state;
	p.capacity_bps = 0;
	thr_init(&m, &p);
	thr_feed(&m, &s);
	s.bytes += 1000000;	/* same time: no rate */
	assert_int_equal(thr_feed(&m, &s), THR_NONE);
	assert_int_equal(m.gap, THR_GAP_CLOCK);
	s.t_ms += 1000;
	s.bytes += 1000000;
	assert_int_equal(thr_feed(&m, &s), THR_NONE);
	assert_int_equal(m.gap, THR_GAP_CAPACITY);
	assert_int_equal(m.bps, 8000000);	/* still measured, for logs */
	assert_int_equal(thr_percent(&m), 0);
	thr_set_capacity(&m, CAP);
	s.t_ms += 1000;
	s.bytes += 1000000;
	assert_int_equal(thr_feed(&m, &s), THR_START);
	assert_int_equal(thr_percent(&m), 100);
}

/* Absurd counters: saturated, over the mark, no overflow. */
static void
test_huge_delta(void **state)
{
	struct thr_params p = params(1, 0);
	struct thr_machine m;
	struct thr_sample s = { .t_ms = 1, .bytes = 0, .ok = true };

	(void)state;
	thr_init(&m, &p);
	thr_feed(&m, &s);
	s.t_ms = 2;
	s.bytes = UINT64_MAX;
	s.packets = UINT64_MAX;
	assert_int_equal(thr_feed(&m, &s), THR_START);
	assert_int_equal(m.bps, UINT64_MAX);
	assert_int_equal(thr_percent(&m), UINT32_MAX);
}

static void
test_refresh(void **state)
{
	struct thr_params p = params(1, 5);
	struct feed f;
	unsigned i, refreshes = 0;
	enum thr_action a;

	(void)state;
	p.refresh = 10;
	feed_init(&f, &p);
	assert_int_equal(step(&f, C_OVER), THR_START);
	for (i = 1; i <= 35; i++) {
		a = step(&f, C_OVER);
		assert_int_equal(a, i % 10 ? THR_NONE : THR_REFRESH);
		refreshes += a == THR_REFRESH;
	}
	assert_int_equal(refreshes, 3);
	/* blind: no refresh, so a lost interface ends with the lifetime */
	steps_none(&f, C_MISSING, 30);
	steps_none(&f, C_OVER, 1);	/* FIRST */
	assert_int_equal(step(&f, C_OVER), THR_REFRESH);
	steps_none(&f, C_UNDER, 4);
	assert_int_equal(step(&f, C_UNDER), THR_STOP);
}

/*
 * The model: a start when `rise` measured samples in a row were over the
 * start mark and no mitigation is on; a stop when `hold` measured samples
 * in a row were under the stop mark and one is on.  A missing interface
 * makes the next sample a base (not measured) as well.
 */
struct model {
	bool		active;
	unsigned	run_over;
	unsigned	run_under;
	bool		need_base;
};

static enum thr_action
model_step(struct model *md, enum cls c, unsigned rise, unsigned hold)
{
	bool measured = c <= C_UNDER && !md->need_base;

	md->need_base = c == C_MISSING;
	if (!measured) {
		md->run_over = md->run_under = 0;
		return THR_NONE;
	}
	md->run_over = c == C_OVER ? md->run_over + 1 : 0;
	md->run_under = c == C_UNDER ? md->run_under + 1 : 0;
	if (!md->active && md->run_over >= rise) {
		md->active = true;
		return THR_START;
	}
	if (md->active && md->run_under >= (hold ? hold : 1)) {
		md->active = false;
		return THR_STOP;
	}
	return THR_NONE;
}

#define EXH_LEN		8

static void
exhaustive(unsigned rise, unsigned hold)
{
	struct thr_params p = params(rise, hold);
	unsigned long seq, total = 1, k;
	unsigned i;

	for (i = 0; i < EXH_LEN; i++)
		total *= C_N;
	for (seq = 0; seq < total; seq++) {
		struct feed f;
		struct model md = { 0 };

		feed_init(&f, &p);
		for (k = seq, i = 0; i < EXH_LEN; i++, k /= C_N) {
			enum cls c = (enum cls)(k % C_N);
			enum thr_action want = model_step(&md, c, rise, hold);
			enum thr_action got = step(&f, c);

			if (got != want)
				fail_msg("rise %u hold %u sequence %lu "
				    "sample %u: got %s, want %s", rise, hold,
				    seq, i, thr_action_name(got),
				    thr_action_name(want));
			assert_int_equal(md.active,
			    f.m.state == THR_ACTIVE ||
			    f.m.state == THR_HOLDING);
		}
	}
}

static void
test_exhaustive(void **state)
{
	(void)state;
	exhaustive(1, 0);
	exhaustive(1, 1);
	exhaustive(2, 2);
	exhaustive(3, 3);
}

/* Long random flapping, checked against the same model. */
static void
test_random_flapping(void **state)
{
	struct thr_params p = params(3, 4);
	struct feed f;
	struct model md = { 0 };
	unsigned long i, starts = 0, stops = 0;
	unsigned x = 12345;

	(void)state;
	feed_init(&f, &p);
	for (i = 0; i < 1000000; i++) {
		enum cls c;
		enum thr_action a;

		x = x * 1103515245u + 12345u;
		/* mostly flapping between over and under, rare gaps */
		c = (x >> 16) % 100 < 48 ? C_OVER :
		    (x >> 16) % 100 < 96 ? C_UNDER :
		    (x >> 16) % 100 < 98 ? C_MID :
		    (x >> 16) % 100 < 99 ? C_RESET : C_MISSING;
		a = step(&f, c);
		assert_int_equal(a, model_step(&md, c, 3, 4));
		starts += a == THR_START;
		stops += a == THR_STOP;
	}
	/* decisions alternate */
	assert_true(starts == stops || starts == stops + 1);
	assert_true(starts > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params_check),
		cmocka_unit_test(test_rate_measured),
		cmocka_unit_test(test_rise_exact),
		cmocka_unit_test(test_hold_exact),
		cmocka_unit_test(test_hysteresis_band),
		cmocka_unit_test(test_hold_zero),
		cmocka_unit_test(test_flapping),
		cmocka_unit_test(test_wrap32),
		cmocka_unit_test(test_reset_no_trigger),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_clock_and_capacity),
		cmocka_unit_test(test_huge_delta),
		cmocka_unit_test(test_refresh),
		cmocka_unit_test(test_exhaustive),
		cmocka_unit_test(test_random_flapping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
