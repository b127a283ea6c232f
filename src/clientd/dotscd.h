/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What parts of dotscd that live inside the daemon (the threshold
 * triggers, later the web interface) use to act: the control protocol's
 * dispatcher, the same door as the control socket
 * (docs/control-protocol.md), and a callback once a second.  Everything
 * runs in the daemon's one thread; none of these may be called from
 * another.
 */
#ifndef DOTSCD_H
#define DOTSCD_H

#include <time.h>

#include <jansson.h>

struct dotscd;

/*
 * Called once with the answer to a request: {"id":..,"ok":true,
 * "result":{..}} or {"ok":false,"error":{..}}, as on the socket.  The
 * answer is borrowed: json_incref() it to keep it.  It may come from
 * within ctl_submit() (a request answered at once) or later, from the
 * daemon's loop (a request that waits for a server).
 */
typedef void	(*ctl_reply_cb)(void *arg, json_t *reply);

/**
 * Submit one control request, e.g. {"cmd": "trigger", "action": "start",
 * "origin": "threshold:wan0", "target": "203.0.113.7/32"}.
 * @param req borrowed; not kept after the call
 * @param cb  may be NULL (the answer is dropped)
 */
void	ctl_submit(struct dotscd *d, json_t *req, ctl_reply_cb cb,
	    void *arg);

/*
 * Called once a second from the daemon's loop with the current time.
 */
typedef void	(*dotscd_tick_cb)(struct dotscd *d, time_t now, void *arg);

/**
 * Register a tick callback.
 * @return 0, or -1 (out of memory)
 */
int	dotscd_tick_add(struct dotscd *d, dotscd_tick_cb cb, void *arg);
/** Remove a tick callback registered with the same @p cb and @p arg. */
void	dotscd_tick_remove(struct dotscd *d, dotscd_tick_cb cb, void *arg);

/**
 * Send an event to every `watch` connection, e.g. {"event": "trigger",
 * "origin": "threshold:wan0", "action": "start", "rate-bps": 612000000}.
 * @param ev taken: the reference is the daemon's
 */
void	dotscd_event(struct dotscd *d, json_t *ev);

#endif /* DOTSCD_H */
