/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The rate and hysteresis logic of the traffic-threshold trigger (see
 * rate.h for the states).  Pure functions of the samples fed in: no
 * clock, no files, no logging, so that every path is unit-tested with
 * synthetic counters.
 *
 * A rate is the difference of two successive samples, in bits per second
 * over the time between them.  Counters that went backwards mean the
 * interface was reset or re-created, unless the old value fits in 32 bits
 * and the wrapped difference is a rate the link can carry: some drivers
 * (and 32-bit kernels) still keep 32-bit counters, which wrap every 34 s
 * at 1 Gbit/s.
 */
#include <stddef.h>

#include "rate.h"

#define CAPACITY_MAX	(UINT64_C(1) << 56)	/* * 100 fits */
#define RISE_MAX	3600
#define HOLD_MAX	86400
#define WRAP32		(UINT64_C(1) << 32)

const char *
thr_params_check(const struct thr_params *p)
{
	if (p->capacity_bps > CAPACITY_MAX)
		return "capacity is larger than 2^56 bits/s";
	if (p->start_pct < 1 || p->start_pct > 100)
		return "start-percent must be from 1 to 100";
	if (p->stop_pct >= p->start_pct)
		return "stop-percent must be lower than start-percent";
	if (p->rise < 1 || p->rise > RISE_MAX)
		return "rise must be from 1 to 3600 samples";
	if (p->hold > HOLD_MAX)
		return "hold must be at most 86400 s";
	return NULL;
}

void
thr_init(struct thr_machine *m, const struct thr_params *p)
{
	*m = (struct thr_machine){ .p = *p, .state = THR_IDLE,
	    .gap = THR_GAP_FIRST };
}

void
thr_set_capacity(struct thr_machine *m, uint64_t bps)
{
	m->p.capacity_bps = bps > CAPACITY_MAX ? CAPACITY_MAX : bps;
}

/* @p delta units over @p dt_ms, per second, saturated. */
static uint64_t
per_second(uint64_t delta, uint64_t dt_ms, unsigned mul)
{
	if (delta > UINT64_MAX / 1000 / mul)
		return UINT64_MAX;
	return delta * mul * 1000 / dt_ms;
}

/* -1, 0 or 1 as @p bps is below, at or above @p pct % of the capacity. */
static int
cmp_pct(const struct thr_machine *m, uint64_t bps, unsigned pct)
{
	uint64_t mark = m->p.capacity_bps * pct;

	if (bps > UINT64_MAX / 100)
		return 1;
	return bps * 100 < mark ? -1 : bps * 100 > mark;
}

/*
 * The difference of a counter; false if it went backwards and was not a
 * plausible 32-bit wrap.  @p max is the largest difference the link can
 * carry (0: unknown, so no wrap is believed).
 */
static bool
counter_delta(uint64_t prev, uint64_t cur, uint64_t max, uint64_t *delta,
    bool *wrapped)
{
	*wrapped = false;
	if (cur >= prev) {
		*delta = cur - prev;
		return true;
	}
	if (prev >= WRAP32 || cur >= WRAP32)
		return false;
	*delta = WRAP32 - prev + cur;
	if (*delta > max)
		return false;
	*wrapped = true;
	return true;
}

/* A sample that gave no rate: no start, and no stop either. */
static enum thr_action
blind(struct thr_machine *m, enum thr_gap gap)
{
	m->gap = gap;
	if (gap != THR_GAP_CAPACITY)
		m->bps = m->pps = 0;
	switch (m->state) {
	case THR_IDLE:
	case THR_RISING:
		m->above = 0;
		m->state = THR_IDLE;
		break;
	case THR_HOLDING:
		/* calm is unproven: the hold starts again */
		m->state = THR_ACTIVE;
		break;
	case THR_ACTIVE:
		break;
	}
	return THR_NONE;
}

/* A measured rate over [from_ms, to_ms]. */
static enum thr_action
judge(struct thr_machine *m, uint64_t from_ms, uint64_t to_ms)
{
	bool over = cmp_pct(m, m->bps, m->p.start_pct) > 0;
	bool under = cmp_pct(m, m->bps, m->p.stop_pct) < 0;

	switch (m->state) {
	case THR_IDLE:
	case THR_RISING:
		if (!over) {
			m->above = 0;
			m->state = THR_IDLE;
			return THR_NONE;
		}
		if (++m->above < m->p.rise) {
			m->state = THR_RISING;
			return THR_NONE;
		}
		m->above = 0;
		m->state = THR_ACTIVE;
		m->sent_ms = to_ms;
		return THR_START;
	case THR_ACTIVE:
		if (!under)
			break;
		/* calm since the start of this interval */
		m->calm_ms = from_ms;
		m->state = THR_HOLDING;
		/* FALLTHROUGH */
	case THR_HOLDING:
		if (!under) {
			m->state = THR_ACTIVE;
			break;
		}
		if (to_ms - m->calm_ms >= (uint64_t)m->p.hold * 1000) {
			m->state = THR_IDLE;
			return THR_STOP;
		}
		break;
	}
	if (m->p.refresh != 0 &&
	    to_ms - m->sent_ms >= (uint64_t)m->p.refresh * 1000) {
		m->sent_ms = to_ms;
		return THR_REFRESH;
	}
	return THR_NONE;
}

enum thr_action
thr_feed(struct thr_machine *m, const struct thr_sample *s)
{
	struct thr_sample prev = m->prev;
	uint64_t dt, db, dp, line, max;
	bool wb, wp;

	if (!s->ok) {
		m->have_prev = false;
		return blind(m, THR_GAP_MISSING);
	}
	m->prev = *s;
	if (!m->have_prev) {
		m->have_prev = true;
		return blind(m, THR_GAP_FIRST);
	}
	if (s->t_ms <= prev.t_ms)
		return blind(m, THR_GAP_CLOCK);
	dt = s->t_ms - prev.t_ms;

	/*
	 * A wrap is believed if the link cannot carry 2^32 bytes in dt
	 * (else several wraps could hide in the difference) and the
	 * difference is at most twice what it can carry.
	 */
	line = m->p.capacity_bps / 8000;
	line = line > UINT64_MAX / dt ? UINT64_MAX : line * dt;
	max = line >= WRAP32 ? 0 : 2 * line;
	if (!counter_delta(prev.bytes, s->bytes, max, &db, &wb))
		return blind(m, THR_GAP_RESET);
	/* packets only inform; a wrap there is believed if bytes agree */
	if (!counter_delta(prev.packets, s->packets, wb ? UINT64_MAX : max,
	    &dp, &wp))
		dp = 0;
	m->bps = per_second(db, dt, 8);
	m->pps = per_second(dp, dt, 1);
	if (m->p.capacity_bps == 0)
		return blind(m, THR_GAP_CAPACITY);
	m->gap = wb ? THR_GAP_WRAP : THR_GAP_NONE;
	return judge(m, prev.t_ms, s->t_ms);
}

unsigned
thr_percent(const struct thr_machine *m)
{
	if (m->p.capacity_bps == 0 || m->gap > THR_GAP_WRAP)
		return 0;
	if (m->bps > UINT64_MAX / 100)
		return UINT32_MAX;
	return (unsigned)(m->bps * 100 / m->p.capacity_bps);
}

const char *
thr_state_name(enum thr_state s)
{
	static const char *const names[] = { "idle", "rising", "active",
	    "holding" };

	return (unsigned)s < 4 ? names[s] : "?";
}

const char *
thr_gap_name(enum thr_gap g)
{
	static const char *const names[] = { "measured", "wrapped", "first",
	    "missing", "reset", "clock", "capacity" };

	return (unsigned)g < 7 ? names[g] : "?";
}

const char *
thr_action_name(enum thr_action a)
{
	static const char *const names[] = { "none", "start", "refresh",
	    "stop" };

	return (unsigned)a < 4 ? names[a] : "?";
}
