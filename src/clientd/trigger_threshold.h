/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The traffic-threshold trigger of dotscd: one `threshold "NAME" { ... }`
 * block of the configuration watches one interface's receive rate in the
 * kernel's counters and asks for mitigation of its prefix when the rate
 * crosses a share of the link's capacity (docs/triggers.md).
 *
 * The decisions are rate.c's; this part reads /sys/class/net, logs, and
 * hands `trigger` requests of the control protocol
 * (docs/control-protocol.md) to the daemon through a callback, the same
 * door every other client of the daemon uses.
 */
#ifndef DOTS_CLIENTD_TRIGGER_THRESHOLD_H
#define DOTS_CLIENTD_TRIGGER_THRESHOLD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include <dots/model.h>

#include "rate.h"

#define TRIG_SYSFS_NET		"/sys/class/net"
#define TRIG_PORTS_MAX		16
#define TRIG_PROTOS_MAX		16

/* One threshold block, as configured. */
struct trig_thr_conf {
	char			*name;
	unsigned		 line;		/* of the block */
	char			*interface;	/* required */
	uint64_t		 capacity_bps;	/* 0: the link's speed */
	uint32_t		 start_pct;	/* default 50 */
	uint32_t		 stop_pct;	/* default 20 */
	uint32_t		 rise;		/* samples, default 3 */
	uint32_t		 hold;		/* s, default 60 */
	struct dots_prefix	 prefix;	/* required */
	uint32_t		 lifetime;	/* s, default 3600 */
	struct dots_port_range	 port[TRIG_PORTS_MAX];
	size_t			 n_port;
	uint8_t			 protocol[TRIG_PROTOS_MAX];
	size_t			 n_protocol;
	unsigned		 seen;		/* private: keywords */
};

/*
 * What the trigger asks of the daemon: @p req is one control request
 * (a `trigger` command), borrowed for the call; take a reference with
 * json_incref() to keep it.
 * @return 0 if the daemon took it, -1 if not (the trigger logs it and
 *         tries again on the next decision or refresh)
 */
typedef int	(*trig_submit_fn)(void *arg, json_t *req);

struct trig_thr;

/*
 * trigger_threshold.c: configuration.  The block's element is zeroed and
 * its name and line set by the configuration parser (which owns and
 * frees the name); each statement goes to trig_thr_conf_stmt(), and once
 * the block is read, trig_thr_conf_finish() fills in the defaults.
 */

/**
 * One statement of the block: @p keyword and its @p n words.
 * @return DOTS_OK; 1 if @p keyword is not one of the block's (nothing
 *         written to @p msg); DOTS_EVALUE (bad value, given twice) or
 *         DOTS_ENOMEM with "keyword: sentence" in @p msg
 */
int	trig_thr_conf_stmt(struct trig_thr_conf *c, const char *keyword,
	    char **w, unsigned n, char *msg, size_t msglen);
/** Defaults of what was not given, then the rules across keywords. */
int	trig_thr_conf_finish(struct trig_thr_conf *c, char *msg,
	    size_t msglen);
/** Print the block normalized, every keyword, lines prefixed by @p ind. */
void	trig_thr_conf_print(FILE *f, const char *ind,
	    const struct trig_thr_conf *c);
/** Free what the statements set and forget them (not the name). */
void	trig_thr_conf_clear(struct trig_thr_conf *c);
/** "1000000000", "1G", "8M", "100k": bits/s (powers of 1000). */
int	trig_capacity_parse(const char *s, uint64_t *bps);

/* trigger_threshold.c: the running trigger */

/**
 * Start watching.  Copies what it needs from @p c.  @p sysdir is where
 * the interfaces are (TRIG_SYSFS_NET; tests give another directory).
 * @return **new** trigger, or NULL on ENOMEM
 */
struct trig_thr	*trig_thr_new(const struct trig_thr_conf *c,
		    const char *sysdir);
void		 trig_thr_free(struct trig_thr *t);
/**
 * Sample the counters; call once a second from the daemon's tick.
 * @param now_ms   a monotonic clock
 * @return the decision taken (already submitted through @p submit)
 */
enum thr_action	 trig_thr_tick(struct trig_thr *t, uint64_t now_ms,
		    trig_submit_fn submit, void *arg);
/** The state machine, read-only, for status and tests. */
const struct thr_machine *trig_thr_machine(const struct trig_thr *t);
/**
 * The control request for @p a (THR_START/REFRESH: a trigger start,
 * THR_STOP: a trigger stop), with the last measurement as details.
 * @return **new** reference, or NULL on ENOMEM
 */
json_t		*trig_thr_request(const struct trig_thr *t,
		    enum thr_action a);

/* trigger_threshold.c: in dotscd */

struct dotscd;
struct trig_set;

/**
 * Start the threshold triggers of a configuration: one per block of
 * @p c, sampled from the daemon's tick, their requests handed to
 * ctl_submit().  A trigger of @p old with the same name, interface and
 * prefix hands its state over (a reload does not forget an attack in
 * progress).
 * @param c      the blocks, borrowed (copied)
 * @param sysdir NULL for TRIG_SYSFS_NET
 * @param old    the set being replaced, or NULL; freed by the caller
 * @return **new** set (trig_set_free), or NULL on ENOMEM
 */
struct trig_set	*trig_set_new(struct dotscd *d,
		    const struct trig_thr_conf *c, size_t n,
		    const char *sysdir, const struct trig_set *old);
/**
 * Stop sampling.  Mitigations requested stay: they end with their
 * lifetime, or when a new set's trigger sees the calm and withdraws.
 */
void		 trig_set_free(struct trig_set *s);

/**
 * Read an interface's receive counters and index from @p sysdir.
 * @return 0, or -errno (ENOENT: no such interface)
 */
int	trig_read_counters(const char *sysdir, const char *ifname,
	    uint64_t *bytes, uint64_t *packets, uint64_t *ifindex);
/** The link speed in bits/s, 0 when the kernel does not know it. */
uint64_t trig_read_speed(const char *sysdir, const char *ifname);

#endif /* DOTS_CLIENTD_TRIGGER_THRESHOLD_H */
