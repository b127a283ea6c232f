/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The once-a-second callbacks of in-daemon parts (dotscd.h), run by the
 * main loop before the daemon's own timers, in registration order.
 */
#include <stdlib.h>

#include "clientd.h"

int
dotscd_tick_add(struct dotscd *d, dotscd_tick_cb cb, void *arg)
{
	struct tick *t = calloc(1, sizeof(*t)), **pp;

	if (t == NULL)
		return -1;
	t->cb = cb;
	t->arg = arg;
	for (pp = &d->ticks; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = t;
	return 0;
}

void
dotscd_tick_remove(struct dotscd *d, dotscd_tick_cb cb, void *arg)
{
	struct tick **pp, *t;

	for (pp = &d->ticks; (t = *pp) != NULL; pp = &t->next)
		if (t->cb == cb && t->arg == arg) {
			*pp = t->next;
			free(t);
			return;
		}
}

void
dotscd_tick_run(struct dotscd *d, time_t now)
{
	struct tick *t, *next;

	for (t = d->ticks; t != NULL; t = next) {
		next = t->next;		/* a callback may remove itself */
		t->cb(d, now, t->arg);
	}
}

void
dotscd_tick_free_all(struct dotscd *d)
{
	struct tick *t;

	while ((t = d->ticks) != NULL) {
		d->ticks = t->next;
		free(t);
	}
}
