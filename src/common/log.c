/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The daemons' log: one line per message, to stderr (with a timestamp and
 * the level) in the foreground and to syslog otherwise.  The shape is that
 * of OpenBGPD's log.c: log_warn appends strerror(errno), the x forms do
 * not, fatal and fatalx exit.
 *
 * A message is formatted once into a fixed buffer, so logging never
 * allocates, and bytes below 0x20 and 0x7f are replaced by '?': a peer's
 * text quoted in a message cannot forge a second log line or send escape
 * sequences to a terminal.
 *
 * The rate limiter lets `limit` messages pass in each interval of
 * `interval_ms`.  The interval starts with the first message after the
 * previous one ended (a fixed window, not a sliding one: cheap, and good
 * enough to bound the volume).  Dropped messages are counted, and the
 * count is reported at the level of the most severe of them when the next
 * interval starts or when log_rl_flush() finds the interval over.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

#define LOG_LINE_MAX	1024

const char *const log_level_names[] = {
	[LOG_LVL_ERR] = "err",
	[LOG_LVL_WARN] = "warn",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
	NULL
};

static const int log_syslog_prio[] = {
	[LOG_LVL_ERR] = LOG_ERR,
	[LOG_LVL_WARN] = LOG_WARNING,
	[LOG_LVL_INFO] = LOG_INFO,
	[LOG_LVL_DEBUG] = LOG_DEBUG,
};

static int		 log_foreground = 1;
static enum log_level	 log_level = LOG_LVL_INFO;

static uint64_t	 log_clock_monotonic(void);
static uint64_t	(*log_clock)(void) = log_clock_monotonic;

void
log_init(int foreground, int facility, const char *ident)
{
	log_foreground = foreground;
	if (!foreground)
		openlog(ident, LOG_PID | LOG_NDELAY, facility);
	tzset();
}

void
log_setlevel(enum log_level level)
{
	if (level > LOG_LVL_DEBUG)
		level = LOG_LVL_DEBUG;
	log_level = level;
}

enum log_level
log_getlevel(void)
{
	return log_level;
}

bool
log_enabled(enum log_level level)
{
	return level <= log_level;
}

int
log_level_parse(const char *s, enum log_level *level)
{
	int i;

	for (i = 0; log_level_names[i] != NULL; i++) {
		if (strcmp(s, log_level_names[i]) == 0) {
			*level = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

/* Replace the bytes that could end the line or drive a terminal. */
static void
log_sanitize(char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			*s = '?';
	}
}

static void
log_write(enum log_level level, const char *msg)
{
	struct timespec ts;
	struct tm tm;
	char when[32];

	if (!log_foreground) {
		syslog(log_syslog_prio[level], "%s", msg);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	if (localtime_r(&ts.tv_sec, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		when[0] = '\0';
	/* One call, so that the line is written in one piece. */
	fprintf(stderr, "%s.%03ld %s: %s\n", when, ts.tv_nsec / 1000000,
	    log_level_names[level], msg);
}

/* Format, append strerror(@p errnum) if it is not 0, write. */
static void
log_emit(enum log_level level, int errnum, const char *fmt, va_list ap)
{
	char buf[LOG_LINE_MAX];
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		snprintf(buf, sizeof(buf), "(unformattable message: %s)", fmt);
	else if (errnum != 0 && (size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - (size_t)n, ": %s",
		    strerror(errnum));
	log_sanitize(buf);
	log_write(level, buf);
}

static void
log_vlog(enum log_level level, int errnum, const char *fmt, va_list ap)
{
	int saved = errno;

	if (level <= log_level)
		log_emit(level, errnum, fmt, ap);
	errno = saved;
}

void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	log_vlog(level, 0, fmt, ap);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(level, 0, fmt, ap);
	va_end(ap);
}

void
log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_LVL_ERR, errno, fmt, ap);
	va_end(ap);
}

void
log_errx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_LVL_ERR, 0, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_LVL_WARN, errno, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_LVL_WARN, 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_LVL_INFO, 0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_LVL_DEBUG, 0, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	int errnum = errno;
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_LVL_ERR, errnum, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_LVL_ERR, 0, fmt, ap);
	va_end(ap);
	exit(1);
}

/* Rate limiter */

static uint64_t
log_clock_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
log_set_clock(uint64_t (*now_ms)(void))
{
	log_clock = now_ms != NULL ? now_ms : log_clock_monotonic;
}

void
log_rl_init(struct log_rl *rl, const char *name, unsigned limit,
    unsigned interval_ms)
{
	memset(rl, 0, sizeof(*rl));
	rl->name = name;
	rl->limit = limit;
	rl->interval_ms = interval_ms;
}

/* Report and forget what was dropped in the interval that just ended. */
static void
log_rl_report(struct log_rl *rl)
{
	if (rl->suppressed == 0)
		return;
	if (rl->name != NULL)
		log_msg(rl->worst, "%s: %u messages suppressed", rl->name,
		    rl->suppressed);
	else
		log_msg(rl->worst, "%u messages suppressed", rl->suppressed);
	rl->suppressed = 0;
}

/* Whether a message of @p level may be written now; counts it. */
static bool
log_rl_pass(struct log_rl *rl, enum log_level level)
{
	uint64_t now = log_clock();

	if (!rl->running || now - rl->start_ms >= rl->interval_ms) {
		log_rl_report(rl);
		rl->running = true;
		rl->start_ms = now;
		rl->passed = 0;
	}
	if (rl->passed < rl->limit) {
		rl->passed++;
		return true;
	}
	if (rl->suppressed == 0 || level < rl->worst)
		rl->worst = level;
	if (rl->suppressed < UINT_MAX)
		rl->suppressed++;
	return false;
}

static void
log_rl_vmsg(struct log_rl *rl, enum log_level level, const char *fmt,
    va_list ap)
{
	int saved = errno;

	/* A message nobody would see does not use up the quota. */
	if (level <= log_level && log_rl_pass(rl, level))
		log_emit(level, 0, fmt, ap);
	errno = saved;
}

void
log_rl_msg(struct log_rl *rl, enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_rl_vmsg(rl, level, fmt, ap);
	va_end(ap);
}

void
log_rl_warnx(struct log_rl *rl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_rl_vmsg(rl, LOG_LVL_WARN, fmt, ap);
	va_end(ap);
}

void
log_rl_info(struct log_rl *rl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_rl_vmsg(rl, LOG_LVL_INFO, fmt, ap);
	va_end(ap);
}

void
log_rl_flush(struct log_rl *rl)
{
	int saved = errno;

	if (rl->running && rl->suppressed > 0 &&
	    log_clock() - rl->start_ms >= rl->interval_ms) {
		log_rl_report(rl);
		/* The next message starts a new interval. */
		rl->running = false;
	}
	errno = saved;
}
