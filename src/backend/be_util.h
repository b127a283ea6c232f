/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Internal helpers shared by the backends, implemented in backend.c: error
 * sentences, numeric settings, and the queue that lets a backend report
 * from poll() what it decided in apply() or withdraw().  The server uses
 * backend.h only.
 */
#ifndef DOTS_BE_UTIL_H
#define DOTS_BE_UTIL_H

#include <stddef.h>

#include "backend.h"

/* Reports waiting for the next poll(). */
struct be_rq {
	struct be_report	*v;
	size_t			 n;
	size_t			 cap;
};

/* backend.c */

/** snprintf() into @p err unless it is NULL or @p errlen is 0. */
void	be_errf(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/**
 * Parse the decimal setting @p key = @p value, 0 .. @p max.
 * @return 0, or -EINVAL with a sentence in @p err
 */
int	be_setting_uint(const char *key, const char *value,
	    unsigned long long max, unsigned long long *out, char *err,
	    size_t errlen);

/** A zeroed report for @p id in state @p state. */
void	be_report_init(struct be_report *r, uint64_t id, enum be_state state);

/** Append a copy of @p r.  @return 0 or -ENOMEM */
int	be_rq_push(struct be_rq *q, const struct be_report *r);
/**
 * Deliver the queued reports through be_emit(), oldest first.  Reports
 * queued by the callbacks meanwhile wait for the next flush.
 */
void	be_rq_flush(struct backend *be, struct be_rq *q);
void	be_rq_clear(struct be_rq *q);

#endif /* DOTS_BE_UTIL_H */
