/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Mitigation offload in dotscd (docs/offload.md): DMS reports come in
 * through the control protocol (`dms-report`), a file or a command;
 * offload_plan.c decides; this part logs the decision and sends the
 * request: a `mitigate` or `withdraw` through ctl_submit() for the
 * signal channel, dotsctl runs for the data channel.
 */
#ifndef DOTS_CLIENTD_OFFLOAD_H
#define DOTS_CLIENTD_OFFLOAD_H

#include <stdbool.h>
#include <sys/types.h>

#include <jansson.h>

#include "conf_clientd.h"
#include "ctl_args.h"

struct dotscd;
struct ctl_rep;
struct offload;

/**
 * Start the offload of @p c (the configuration's offload block), or
 * none when @p c is NULL.
 * @param c borrowed; what is needed is copied
 * @return **new** offload, or NULL (none, or ENOMEM: logged)
 */
struct offload	*offload_new(struct dotscd *d, const struct cconf_offload *c);
/** Stop: children are killed, offloaded requests stay until withdrawn
 * or expired. */
void		 offload_free(struct offload *o);
/**
 * A child has exited (from the daemon's SIGCHLD reaping).
 * @return whether it was one of the offload's
 */
bool		 offload_child(struct offload *o, pid_t pid, int status);

/* The control protocol's commands (docs/control-protocol.md). */
int		 offload_cmd_report(struct dotscd *d, json_t *req,
		    struct ctl_rep *rep, struct ctl_err *e);
int		 offload_cmd_status(struct dotscd *d, json_t *req,
		    struct ctl_rep *rep, struct ctl_err *e);

#endif /* DOTS_CLIENTD_OFFLOAD_H */
