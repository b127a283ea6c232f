/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The rate and hysteresis logic of the traffic-threshold trigger, with no
 * I/O: samples of an interface's receive counters go in, start, refresh
 * and stop decisions come out.  trigger_threshold.c reads the counters
 * and acts on the decisions; docs/triggers.md describes the behaviour.
 *
 * States:
 *
 *	IDLE --over--> RISING --over x rise--> ACTIVE (start)
 *	ACTIVE --under--> HOLDING --under for hold s--> IDLE (stop)
 *	HOLDING --not under, or no measurement--> ACTIVE
 *
 * "over" is a rate above start_pct of the capacity, "under" a rate below
 * stop_pct.  A sample that gives no rate (the first one, counters that
 * went backwards, an interface that could not be read, an unknown
 * capacity) never starts anything: it breaks a rise and a hold alike, so
 * both need an unbroken run of measured samples.
 */
#ifndef DOTS_CLIENTD_RATE_H
#define DOTS_CLIENTD_RATE_H

#include <stdbool.h>
#include <stdint.h>

struct thr_params {
	uint64_t	capacity_bps;	/* link capacity; 0: unknown */
	unsigned	start_pct;	/* 1..100 */
	unsigned	stop_pct;	/* 0..start_pct - 1 */
	unsigned	rise;		/* samples over the start mark */
	unsigned	hold;		/* s under the stop mark */
	unsigned	refresh;	/* s between refreshes; 0: none */
};

/* One reading of the counters. */
struct thr_sample {
	uint64_t	t_ms;		/* monotonic clock */
	uint64_t	bytes;		/* rx_bytes */
	uint64_t	packets;	/* rx_packets */
	bool		ok;		/* false: counters unreadable */
};

enum thr_state {
	THR_IDLE,
	THR_RISING,
	THR_ACTIVE,
	THR_HOLDING
};

enum thr_action {
	THR_NONE,
	THR_START,		/* request mitigation */
	THR_REFRESH,		/* request it again (lifetime) */
	THR_STOP		/* withdraw it */
};

/* Why the last sample gave no rate, or how it was read. */
enum thr_gap {
	THR_GAP_NONE,		/* a rate was measured */
	THR_GAP_WRAP,		/* measured across a 32-bit counter wrap */
	THR_GAP_FIRST,		/* first sample, or first after a gap */
	THR_GAP_MISSING,	/* the counters could not be read */
	THR_GAP_RESET,		/* the counters went backwards */
	THR_GAP_CLOCK,		/* no time passed since the last sample */
	THR_GAP_CAPACITY	/* the capacity is unknown */
};

struct thr_machine {
	struct thr_params	p;
	enum thr_state		state;
	bool			have_prev;
	struct thr_sample	prev;
	unsigned		above;		/* over in a row */
	uint64_t		calm_ms;	/* HOLDING: under since */
	uint64_t		sent_ms;	/* last start or refresh */
	/* The last sample's measurement, for logs and requests. */
	enum thr_gap		gap;
	uint64_t		bps;		/* valid if gap <= WRAP */
	uint64_t		pps;
};

/* rate.c */

/**
 * Check parameters.
 * @return NULL if they are usable, else a static sentence saying why not
 */
const char	*thr_params_check(const struct thr_params *p);
/** Start in IDLE with @p p (copied), which thr_params_check() passed. */
void		 thr_init(struct thr_machine *m,
		    const struct thr_params *p);
/**
 * Change the capacity (learned from the link speed) without losing the
 * state; 0 makes every later sample a THR_GAP_CAPACITY gap.
 */
void		 thr_set_capacity(struct thr_machine *m, uint64_t bps);
/**
 * Feed one sample; samples must come in time order.
 * @return what to do now; m->gap, m->bps and m->pps say what was measured
 */
enum thr_action	 thr_feed(struct thr_machine *m,
		    const struct thr_sample *s);
/** The rate in percent of the capacity (0 if either is unknown). */
unsigned	 thr_percent(const struct thr_machine *m);

const char	*thr_state_name(enum thr_state s);
const char	*thr_gap_name(enum thr_gap g);
const char	*thr_action_name(enum thr_action a);

#endif /* DOTS_CLIENTD_RATE_H */
