/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Which filtering ACLs of the data channel are in force, handed to the
 * client's mitigator and taken back (RFC 8783 section 7.3, RFC 9133).
 *
 * An ACL is in force when its activation-type is immediate, or when it
 * is activate-when-mitigating (the default) and its client is
 * mitigating: one of its mitigation requests is with the mitigator, or
 * its signal channel is lost (no heartbeat for missing-hb-allowed
 * intervals).  deactivate: never.  Everything is derived from the store
 * and the engine; this module keeps only what it handed over, to hand
 * over the difference once per loop turn.
 */
#ifndef DOTS_ACL_FORCE_H
#define DOTS_ACL_FORCE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "backend.h"

/* Mitigator ids of ACLs: above those of mitigation requests. */
#define AF_ID_BASE	(UINT64_C(1) << 62)

struct dotsd;
struct acl_force;

/** **new**, or NULL (no memory).  dotsd must have its data channel. */
struct acl_force	*af_new(struct dotsd *d);
void			 af_free(struct acl_force *af);
/**
 * ACL @p name of @p cuid changed (all of its ACLs if NULL): look again
 * at the end of the turn.
 */
void			 af_mark(struct acl_force *af, const char *cuid,
			    const char *name);
/** Every client: look again (start-up, reload). */
void			 af_mark_all(struct acl_force *af);
/** End of a loop turn: hand over what changed. */
void			 af_turn(struct acl_force *af, time_t now);
/**
 * RFC 9133 acl-list: would the client's mitigator take ACL @p name of
 * @p cuid with activation-type @p activation while the client mitigates?
 * 0 yes (or nothing to check), 1 no with the reason in @p why, -1 the
 * ACL or its client cannot be read.
 */
int			 af_check(struct acl_force *af, const char *cuid,
			    const char *name, const char *activation,
			    char *why, size_t whylen);
/** A mitigator's report about an ACL (id >= AF_ID_BASE). */
void			 af_report(struct acl_force *af,
			    const struct be_report *r);

#endif /* DOTS_ACL_FORCE_H */
