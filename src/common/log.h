/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Logging for the daemons: stderr with a timestamp and a level in the
 * foreground, syslog otherwise.  Messages are lowercase sentences without
 * a final period; internal errors start with __func__.  Never log PSKs,
 * private keys or tokens.
 *
 * Every message a remote peer can trigger goes through a rate limiter
 * (struct log_rl), so that a misbehaving client cannot fill the disk or
 * drown the other messages: at most `limit` messages per interval pass,
 * and the number of those dropped is reported once the interval is over.
 *
 * Not thread-safe: the daemons log from their one event loop thread.
 */
#ifndef DOTS_LOG_H
#define DOTS_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#define LOG_PRINTF(f, a)	__attribute__((format(printf, f, a)))

/* From the most to the least severe; a message passes if its level is at
 * most the level set with log_setlevel(). */
enum log_level {
	LOG_LVL_ERR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG
};

/* "err", "warn", "info", "debug", then NULL; indexed by enum log_level. */
extern const char *const log_level_names[];

/*
 * A rate limiter for one kind of message.  Set limit and interval_ms (the
 * rest must be zero), e.g. with LOG_RL_INIT(10, 1000) or log_rl_init().
 * @p name, if not NULL, prefixes the "N messages suppressed" line.
 */
struct log_rl {
	const char	*name;
	unsigned	 limit;		/* passed per interval */
	unsigned	 interval_ms;
	/* state */
	bool		 running;	/* an interval has started */
	uint64_t	 start_ms;	/* when it started */
	unsigned	 passed;	/* messages let through in it */
	unsigned	 suppressed;	/* messages dropped in it */
	enum log_level	 worst;		/* most severe dropped */
};

#define LOG_RL_INIT(lim, ms)	{ .limit = (lim), .interval_ms = (ms) }

/* log.c */

/**
 * Start logging.  Before this call, messages go to stderr.
 * @param foreground  non-zero: stderr; zero: syslog
 * @param facility    syslog facility, e.g. LOG_DAEMON
 * @param ident       syslog ident; borrowed, must outlive the process
 *                    (a string literal)
 */
void	log_init(int foreground, int facility, const char *ident);
/** Messages above @p level are dropped.  The default is LOG_LVL_INFO. */
void	log_setlevel(enum log_level level);
enum log_level	log_getlevel(void);
/** Whether a message of @p level would be written (to skip costly work). */
bool	log_enabled(enum log_level level);
/** Parse a level name; @return 0, or -1 if @p s names no level. */
int	log_level_parse(const char *s, enum log_level *level);

/* log_err and log_warn append ": strerror(errno)"; the x forms do not.
 * None of them changes errno. */
void	log_err(const char *fmt, ...) LOG_PRINTF(1, 2);
void	log_errx(const char *fmt, ...) LOG_PRINTF(1, 2);
void	log_warn(const char *fmt, ...) LOG_PRINTF(1, 2);
void	log_warnx(const char *fmt, ...) LOG_PRINTF(1, 2);
void	log_info(const char *fmt, ...) LOG_PRINTF(1, 2);
void	log_debug(const char *fmt, ...) LOG_PRINTF(1, 2);
/** Any level; for routing other libraries' logs (libcoap) into ours. */
void	log_msg(enum log_level level, const char *fmt, ...)
	    LOG_PRINTF(2, 3);
void	log_vmsg(enum log_level level, const char *fmt, va_list ap)
	    LOG_PRINTF(2, 0);

/* Log at LOG_LVL_ERR (fatal with strerror(errno)) and exit(1).  Only in
 * main(), at startup, or for a broken invariant. */
_Noreturn void	fatal(const char *fmt, ...) LOG_PRINTF(1, 2);
_Noreturn void	fatalx(const char *fmt, ...) LOG_PRINTF(1, 2);

/* Rate-limited messages, for anything a peer can trigger. */
void	log_rl_init(struct log_rl *rl, const char *name, unsigned limit,
	    unsigned interval_ms);
void	log_rl_warnx(struct log_rl *rl, const char *fmt, ...)
	    LOG_PRINTF(2, 3);
void	log_rl_info(struct log_rl *rl, const char *fmt, ...)
	    LOG_PRINTF(2, 3);
void	log_rl_msg(struct log_rl *rl, enum log_level level,
	    const char *fmt, ...) LOG_PRINTF(3, 4);
/**
 * Report the messages dropped in an interval that is over, without
 * waiting for the next message to do it.  Call it from a timer.
 */
void	log_rl_flush(struct log_rl *rl);
/**
 * The clock of the rate limiters, in milliseconds, for tests.  NULL
 * restores the default, CLOCK_MONOTONIC.
 */
void	log_set_clock(uint64_t (*now_ms)(void));

#endif /* DOTS_LOG_H */
