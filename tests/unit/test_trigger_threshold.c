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

#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <dots/error.h>

#include "log.h"
#include "rate.h"
#include "trigger_threshold.h"

#define CAP		8000000		/* 8 Mbit/s: 1 MB/s */
#define BASE		(UINT64_C(1) << 40)	/* never a wrap */

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

/* --- the configuration block ------------------------------------------ */

static int
stmt(struct trig_thr_conf *c, const char *key, const char *value)
{
	char msg[256];
	char *w[1] = { (char *)(uintptr_t)value };

	return trig_thr_conf_stmt(c, key, w, 1, msg, sizeof(msg));
}

/* A block as the configuration parser starts it. */
static void
conf_new(struct trig_thr_conf *c, const char *name)
{
	*c = (struct trig_thr_conf){ .name = (char *)(uintptr_t)name,
	    .line = 7 };
}

static void
conf_done(struct trig_thr_conf *c)
{
	char msg[256];

	assert_int_equal(trig_thr_conf_finish(c, msg, sizeof(msg)), DOTS_OK);
}

static void
conf_wan0(struct trig_thr_conf *c)
{
	conf_new(c, "wan0");
	assert_int_equal(stmt(c, "interface", "eth0"), DOTS_OK);
	assert_int_equal(stmt(c, "capacity", "1G"), DOTS_OK);
	assert_int_equal(stmt(c, "prefix", "203.0.113.0/24"), DOTS_OK);
}

static void
test_conf_block(void **state)
{
	struct trig_thr_conf c;
	char msg[256], *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	conf_wan0(&c);
	assert_int_equal(stmt(&c, "port", "80"), DOTS_OK);
	assert_int_equal(stmt(&c, "port", "1000-2000"), DOTS_OK);
	assert_int_equal(stmt(&c, "protocol", "6"), DOTS_OK);
	assert_int_equal(stmt(&c, "hold", "0"), DOTS_OK);
	assert_int_equal(trig_thr_conf_finish(&c, msg, sizeof(msg)),
	    DOTS_OK);
	assert_int_equal(c.capacity_bps, 1000000000);
	assert_int_equal(c.start_pct, 50);
	assert_int_equal(c.stop_pct, 20);
	assert_int_equal(c.rise, 3);
	assert_int_equal(c.hold, 0);
	assert_int_equal(c.lifetime, 3600);

	f = open_memstream(&text, &len);
	assert_non_null(f);
	trig_thr_conf_print(f, "\t", &c);
	fclose(f);
	assert_string_equal(text,
	    "\tinterface \"eth0\"\n"
	    "\tcapacity 1000000000\n"
	    "\tstart-percent 50\n"
	    "\tstop-percent 20\n"
	    "\trise 3\n"
	    "\thold 0\n"
	    "\tprefix 203.0.113.0/24\n"
	    "\tport 80\n"
	    "\tport 1000-2000\n"
	    "\tprotocol 6\n"
	    "\tlifetime 3600\n");
	free(text);
	trig_thr_conf_clear(&c);
}

static void
test_conf_refused(void **state)
{
	struct trig_thr_conf c;
	char msg[256];

	(void)state;
	conf_wan0(&c);
	assert_int_equal(stmt(&c, "interface", "eth1"), DOTS_EVALUE);
	assert_int_equal(stmt(&c, "colour", "red"), 1);
	assert_int_equal(stmt(&c, "start-percent", "101"), DOTS_EVALUE);
	assert_int_equal(stmt(&c, "stop-percent", "-1"), DOTS_EVALUE);
	assert_int_equal(stmt(&c, "rise", "0"), DOTS_EVALUE);
	assert_int_equal(stmt(&c, "lifetime", "0"), DOTS_EVALUE);
	assert_int_equal(stmt(&c, "port", "443-80"), DOTS_EVALUE);
	assert_int_equal(stmt(&c, "port", "65536"), DOTS_EVALUE);
	assert_int_equal(stmt(&c, "protocol", "256"), DOTS_EVALUE);
	assert_int_equal(stmt(&c, "prefix", "203.0.113.0/24"), DOTS_EVALUE);
	/* stop at or above start */
	assert_int_equal(stmt(&c, "stop-percent", "50"), DOTS_OK);
	assert_int_equal(trig_thr_conf_finish(&c, msg, sizeof(msg)),
	    DOTS_EVALUE);
	assert_non_null(strstr(msg, "stop-percent"));
	trig_thr_conf_clear(&c);

	conf_new(&c, "x");
	assert_int_equal(stmt(&c, "interface", "../etc"), DOTS_EVALUE);
	assert_int_equal(stmt(&c, "interface", "a/b"), DOTS_EVALUE);
	assert_int_equal(stmt(&c, "interface", "sixteen-chars-xx"),
	    DOTS_EVALUE);
	assert_int_equal(stmt(&c, "prefix", "203.0.113.0/33"), DOTS_EVALUE);
	assert_int_equal(trig_thr_conf_finish(&c, msg, sizeof(msg)),
	    DOTS_EVALUE);
	assert_non_null(strstr(msg, "interface"));
	assert_int_equal(stmt(&c, "interface", "eth0.100"), DOTS_OK);
	assert_int_equal(trig_thr_conf_finish(&c, msg, sizeof(msg)),
	    DOTS_EVALUE);
	assert_non_null(strstr(msg, "prefix"));
	trig_thr_conf_clear(&c);
}

static void
test_capacity_parse(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(trig_capacity_parse("1000000000", &v), DOTS_OK);
	assert_int_equal(v, 1000000000);
	assert_int_equal(trig_capacity_parse("8M", &v), DOTS_OK);
	assert_int_equal(v, 8000000);
	assert_int_equal(trig_capacity_parse("100k", &v), DOTS_OK);
	assert_int_equal(v, 100000);
	assert_int_equal(trig_capacity_parse("10G", &v), DOTS_OK);
	assert_int_equal(v, 10000000000ull);
	assert_int_equal(trig_capacity_parse("4T", &v), DOTS_OK);
	assert_int_equal(v, 4000000000000ull);
	assert_int_equal(trig_capacity_parse("0", &v), DOTS_EVALUE);
	assert_int_equal(trig_capacity_parse("1X", &v), DOTS_EVALUE);
	assert_int_equal(trig_capacity_parse("1Gb", &v), DOTS_EVALUE);
	assert_int_equal(trig_capacity_parse("-5", &v), DOTS_EVALUE);
	assert_int_equal(trig_capacity_parse("", &v), DOTS_EVALUE);
	assert_int_equal(trig_capacity_parse("99999T", &v), DOTS_EVALUE);
}

/* --- the kernel's counters -------------------------------------------- */

static void
test_read_loopback(void **state)
{
	uint64_t b, p, i, b2, p2, i2;

	(void)state;
	assert_int_equal(trig_read_counters(TRIG_SYSFS_NET, "lo", &b, &p, &i),
	    0);
	assert_int_equal(i, 1);
	assert_int_equal(trig_read_counters(TRIG_SYSFS_NET, "lo", &b2, &p2,
	    &i2), 0);
	assert_true(b2 >= b && p2 >= p);
	/* the kernel knows no speed for loopback */
	assert_int_equal(trig_read_speed(TRIG_SYSFS_NET, "lo"), 0);
	assert_int_equal(trig_read_counters(TRIG_SYSFS_NET, "nosuchif0", &b,
	    &p, &i), -ENOENT);
}

/*
 * A directory shaped like /sys/class/net, for what the real one cannot be
 * made to do on demand: counters of our choosing, an interface that
 * vanishes and comes back with another index.
 */
struct fakesys {
	char	dir[64];
	char	path[128];
};

static void
fake_write(struct fakesys *fs, const char *file, uint64_t v)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", fs->path, file);
	assert_non_null(f = fopen(p, "w"));
	fprintf(f, "%llu\n", (unsigned long long)v);
	fclose(f);
}

static void
fake_iface(struct fakesys *fs, uint64_t ifindex, long long speed)
{
	char p[256];
	FILE *f;

	mkdir(fs->path, 0700);
	snprintf(p, sizeof(p), "%s/statistics", fs->path);
	mkdir(p, 0700);
	fake_write(fs, "ifindex", ifindex);
	snprintf(p, sizeof(p), "%s/speed", fs->path);
	assert_non_null(f = fopen(p, "w"));
	fprintf(f, "%lld\n", speed);
	fclose(f);
}

static void
fake_counters(struct fakesys *fs, uint64_t bytes, uint64_t packets)
{
	fake_write(fs, "statistics/rx_bytes", bytes);
	fake_write(fs, "statistics/rx_packets", packets);
}

static void
fake_remove(struct fakesys *fs)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/statistics/rx_bytes", fs->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s/statistics/rx_packets", fs->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s/statistics", fs->path);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/ifindex", fs->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s/speed", fs->path);
	unlink(p);
	rmdir(fs->path);
}

static int
fake_setup(void **state)
{
	struct fakesys *fs = calloc(1, sizeof(*fs));

	if (fs == NULL)
		return -1;
	strcpy(fs->dir, "/tmp/trig-sys.XXXXXX");
	if (mkdtemp(fs->dir) == NULL)
		return -1;
	snprintf(fs->path, sizeof(fs->path), "%s/wan9", fs->dir);
	*state = fs;
	return 0;
}

static int
fake_teardown(void **state)
{
	struct fakesys *fs = *state;

	fake_remove(fs);
	rmdir(fs->dir);
	free(fs);
	return 0;
}

/* What the trigger handed the daemon. */
struct recorder {
	json_t		*req[8];
	unsigned	 n;
	int		 answer;
};

static int
record(void *arg, json_t *req)
{
	struct recorder *r = arg;

	assert_true(r->n < 8);
	r->req[r->n++] = json_incref(req);
	return r->answer;
}

static void
recorder_clear(struct recorder *r)
{
	while (r->n > 0)
		json_decref(r->req[--r->n]);
}

static const char *
req_str(json_t *req, const char *path)
{
	json_t *v = req;
	char buf[64], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok != NULL && v != NULL;
	    tok = strtok_r(NULL, ".", &save))
		v = json_object_get(v, tok);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_int_t
req_int(json_t *req, const char *obj, const char *key)
{
	json_t *v = json_object_get(json_object_get(req, obj), key);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/* @p n seconds at @p per_s bytes a second. */
static void
fake_run(struct fakesys *fs, struct trig_thr *t, uint64_t *now,
    uint64_t *bytes, uint64_t per_s, unsigned n, struct recorder *r)
{
	while (n-- > 0) {
		*bytes += per_s;
		fake_counters(fs, *bytes, *bytes / 1000);
		*now += 1000;
		trig_thr_tick(t, *now, record, r);
	}
}

static void
test_tick_start_stop(void **state)
{
	struct fakesys *fs = *state;
	struct trig_thr_conf c;
	struct trig_thr *t;
	struct recorder r = { .n = 0 };
	uint64_t now = 1000, bytes = 5000;
	json_t *scope;

	conf_new(&c, "wan9");
	assert_int_equal(stmt(&c, "interface", "wan9"), DOTS_OK);
	assert_int_equal(stmt(&c, "capacity", "8M"), DOTS_OK);
	assert_int_equal(stmt(&c, "prefix", "198.51.100.0/24"), DOTS_OK);
	assert_int_equal(stmt(&c, "port", "53"), DOTS_OK);
	assert_int_equal(stmt(&c, "protocol", "17"), DOTS_OK);
	assert_int_equal(stmt(&c, "hold", "5"), DOTS_OK);
	assert_int_equal(stmt(&c, "lifetime", "600"), DOTS_OK);
	conf_done(&c);
	fake_iface(fs, 42, -1);
	fake_counters(fs, bytes, 5);
	assert_non_null(t = trig_thr_new(&c, fs->dir));
	trig_thr_conf_clear(&c);
	assert_int_equal(trig_thr_tick(t, now, record, &r), THR_NONE);

	fake_run(fs, t, &now, &bytes, 100000, 10, &r);	/* 10 % */
	assert_int_equal(r.n, 0);
	fake_run(fs, t, &now, &bytes, 600000, 3, &r);	/* 60 % */
	assert_int_equal(r.n, 1);
	assert_string_equal(req_str(r.req[0], "cmd"), "trigger");
	assert_string_equal(req_str(r.req[0], "action"), "start");
	assert_string_equal(req_str(r.req[0], "origin"), "threshold:wan9");
	assert_string_equal(req_str(r.req[0], "target"), "198.51.100.0/24");
	assert_string_equal(req_str(r.req[0], "details.interface"), "wan9");
	assert_int_equal(req_int(r.req[0], "details", "rate-bps"), 4800000);
	assert_int_equal(req_int(r.req[0], "details", "capacity-bps"),
	    8000000);
	assert_int_equal(req_int(r.req[0], "details", "percent"), 60);
	assert_int_equal(req_int(r.req[0], "scope", "lifetime"), 600);
	scope = json_object_get(r.req[0], "scope");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    json_object_get(scope, "target-port-range"), 0), "lower-port")),
	    53);
	assert_null(json_object_get(json_array_get(json_object_get(scope,
	    "target-port-range"), 0), "upper-port"));
	assert_int_equal(json_integer_value(json_array_get(
	    json_object_get(scope, "target-protocol"), 0)), 17);

	/* the interface goes away: no stop while blind */
	fake_remove(fs);
	now += 1000;
	assert_int_equal(trig_thr_tick(t, now, record, &r), THR_NONE);
	assert_int_equal(trig_thr_machine(t)->gap, THR_GAP_MISSING);
	/* back, re-created with counters far above the old ones */
	fake_iface(fs, 43, -1);
	bytes += UINT64_C(1) << 36;
	fake_run(fs, t, &now, &bytes, 10000, 5, &r);	/* 1 % */
	assert_int_equal(r.n, 1);
	fake_run(fs, t, &now, &bytes, 10000, 1, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(req_str(r.req[1], "action"), "stop");
	assert_null(json_object_get(r.req[1], "scope"));
	recorder_clear(&r);
	trig_thr_free(t);
}

/* Same name, new ifindex, between two samples: a base, not a burst. */
static void
test_tick_recreated(void **state)
{
	struct fakesys *fs = *state;
	struct trig_thr_conf c;
	struct trig_thr *t;
	struct recorder r = { .n = 0 };
	uint64_t now = 1000, bytes = 1000;

	conf_new(&c, "wan9");
	assert_int_equal(stmt(&c, "interface", "wan9"), DOTS_OK);
	assert_int_equal(stmt(&c, "capacity", "1G"), DOTS_OK);
	assert_int_equal(stmt(&c, "prefix", "203.0.113.0/24"), DOTS_OK);
	assert_int_equal(stmt(&c, "rise", "1"), DOTS_OK);
	conf_done(&c);
	fake_iface(fs, 7, 1000);
	fake_counters(fs, bytes, 1);
	assert_non_null(t = trig_thr_new(&c, fs->dir));
	trig_thr_conf_clear(&c);
	fake_run(fs, t, &now, &bytes, 1000, 2, &r);
	fake_write(fs, "ifindex", 8);
	fake_run(fs, t, &now, &bytes, UINT64_C(1) << 40, 1, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(trig_thr_machine(t)->gap, THR_GAP_FIRST);
	trig_thr_free(t);
}

/* No capacity configured: the link's speed, when the kernel knows it. */
static void
test_tick_link_speed(void **state)
{
	struct fakesys *fs = *state;
	struct trig_thr_conf c;
	struct trig_thr *t;
	struct recorder r = { .n = 0, .answer = -1 };
	uint64_t now = 1000, bytes = 1000;

	conf_new(&c, "wan9");
	assert_int_equal(stmt(&c, "interface", "wan9"), DOTS_OK);
	assert_int_equal(stmt(&c, "prefix", "2001:db8::/32"), DOTS_OK);
	assert_int_equal(stmt(&c, "rise", "2"), DOTS_OK);
	conf_done(&c);
	fake_iface(fs, 3, -1);
	fake_counters(fs, bytes, 1);
	assert_non_null(t = trig_thr_new(&c, fs->dir));
	trig_thr_conf_clear(&c);
	/* speed unknown: even a flood decides nothing */
	fake_run(fs, t, &now, &bytes, UINT64_C(1) << 30, 5, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(trig_thr_machine(t)->gap, THR_GAP_CAPACITY);
	/* 10 Mbit/s link, 7.2 Mbit/s received */
	fake_iface(fs, 3, 10);
	fake_run(fs, t, &now, &bytes, 900000, 2, &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(req_str(r.req[0], "target"), "2001:db8::/32");
	assert_int_equal(req_int(r.req[0], "details", "capacity-bps"),
	    10000000);
	assert_int_equal(req_int(r.req[0], "details", "percent"), 72);
	recorder_clear(&r);
	trig_thr_free(t);
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
		cmocka_unit_test(test_conf_block),
		cmocka_unit_test(test_conf_refused),
		cmocka_unit_test(test_capacity_parse),
		cmocka_unit_test(test_read_loopback),
		cmocka_unit_test_setup_teardown(test_tick_start_stop,
		    fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_tick_recreated,
		    fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_tick_link_speed,
		    fake_setup, fake_teardown),
	};

	log_setlevel(LOG_LVL_DEBUG);

	return cmocka_run_group_tests(tests, NULL, NULL);
}
