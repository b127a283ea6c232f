/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Mitigation offload from a DMS (draft-hayashi-dots-dms-offload, its
 * "Signaling Method and Conveyed Information" matrix; docs/offload.md).
 * Pure: a report and the policy in, a decision and the request out; no
 * clock, no I/O, no logging.  Two parts:
 *
 *	offload_plan.c	policy: reflection or not, which branch of the
 *			matrix and why, the hysteresis of start and stop
 *	offload_build.c	encoding: the signal-channel scope (libdots
 *			model, its CBOR and JSON), the bytes it takes on
 *			the wire, the data-channel ACLs (RFC 8783 JSON)
 *
 * offload.c is the glue that takes reports, logs and sends.
 */
#ifndef DOTS_CLIENTD_OFFLOAD_PLAN_H
#define DOTS_CLIENTD_OFFLOAD_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include <dots/model.h>

#include "offload_report.h"

/* A reflection attack: UDP from one of these source ports ... */
#define OFFLOAD_REFLECT_MIN_SOURCES	2	/* ... from this many sources
						 * towards one destination */
#define OFFLOAD_MTU_MIN			576
#define OFFLOAD_MTU_DEFAULT		1280
/* The cuid of RFC 9132 4.4.1.1: base64url of 16 bytes, no padding. */
#define OFFLOAD_CUID_LEN		22
/* libcoap's default session MTU: the UDP payload it sends at most. */
#define OFFLOAD_DATAGRAM_MAX		1152

enum offload_link {
	OFFLOAD_LINK_OUT_OF_BAND,
	OFFLOAD_LINK_IN_BAND
};

/* How to offload: the offload block of dotscd.conf, as the planner
 * needs it.  Strings are borrowed. */
struct offload_policy {
	enum offload_link	 link;
	uint32_t		 few_reflectors; /* most source prefixes */
	uint32_t		 path_mtu;	/* bytes, IP header included */
	uint32_t		 datagram_max;	/* UDP payload the client
						 * library sends; 0: no limit
						 * but path_mtu */
	uint32_t		 lifetime;	/* s, of requests and ACLs */
	const char		*acl_name;	/* out-of-band ACL, a base */
	const char		*acl_reflection; /* peace-time ACLs, or NULL */
	const char		*acl_flood;
	bool			 qblock;	/* the client can send Q-Block */
};

enum offload_branch {
	OFFLOAD_NONE,		/* nothing to send */
	OFFLOAD_DC_ACL,		/* data channel, full 5-tuples */
	OFFLOAD_SIG_DST,	/* signal channel: dst, dst port, protocol */
	OFFLOAD_SIG_SRC_PREFIX,	/* + RFC 9066 source-prefix, source ports */
	OFFLOAD_SIG_SRC_PORT,	/* + RFC 9066 source-port-range only */
	OFFLOAD_SIG_ACL_LIST	/* RFC 9133 acl-list of a peace-time ACL */
};

struct offload_plan {
	enum offload_branch	 branch;
	bool			 reflection;
	size_t			 n_flows;	/* in the report */
	size_t			 n_covered;	/* of them, in the request */
	size_t			 n_reflectors;	/* distinct sources */
	size_t			 n_targets;	/* target prefixes */
	/* signal channel: one scope (its mid goes in the Uri-Path) */
	struct dots_signal	*sig;
	size_t			 body_len;	/* its CBOR bytes */
	size_t			 wire_len;	/* in one IP packet */
	bool			 qblock;	/* needs Q-Block (RFC 9177) */
	/* data channel: {"ietf-dots-data-channel:acls": {"acl": [...]}} */
	json_t			*acls;
	char			 reason[512];	/* the branch, and why */
};

/* The hysteresis of offload and withdrawal, over the reports' times. */
struct offload_hyst {
	uint32_t		 start;		/* hundredths of a percent */
	uint32_t		 stop;		/* below it, for hold s */
	uint32_t		 hold;
	bool			 active;
	bool			 calm;		/* below stop since calm_at */
	time_t			 calm_at;
};

enum offload_step {
	OFFLOAD_STEP_NONE,
	OFFLOAD_STEP_START,	/* offload now */
	OFFLOAD_STEP_UPDATE,	/* offloaded: the report's flows again */
	OFFLOAD_STEP_CALM,	/* offloaded, below stop: hold counting */
	OFFLOAD_STEP_STOP	/* withdraw */
};

/* offload_plan.c */

/**
 * Which branch of the matrix, and the request.
 * @param r [borrow] the report
 * @param p [borrow]
 * @return **new** plan (offload_plan_free), its reason filled even for
 *         OFFLOAD_NONE; NULL on ENOMEM
 */
struct offload_plan	*offload_plan_make(const struct offload_report *r,
			    const struct offload_policy *p);
void			 offload_plan_free(struct offload_plan *pl);
const char		*offload_branch_name(enum offload_branch b);
/** The largest IP packet @p p lets one request take. */
size_t			 offload_wire_limit(const struct offload_policy *p);
/** Whether UDP from @p port is a well-known amplification service. */
bool			 offload_amp_port(uint16_t port);

void			 offload_hyst_init(struct offload_hyst *h,
			    uint32_t start, uint32_t stop, uint32_t hold);
/** A report of utilization @p util at @p now. */
enum offload_step	 offload_hyst_report(struct offload_hyst *h,
			    uint32_t util, time_t now);
/** Time passing without a report: STOP once calm for hold s. */
enum offload_step	 offload_hyst_tick(struct offload_hyst *h,
			    time_t now);
const char		*offload_step_name(enum offload_step s);

/* offload_build.c */

/* What one signal-channel scope carries; arrays borrowed. */
struct offload_scope {
	const struct dots_prefix	*dst;	size_t n_dst;
	const struct dots_port_range	*dport;	size_t n_dport;
	const uint8_t			*proto;	size_t n_proto;
	const struct dots_prefix	*src;	size_t n_src;
	const struct dots_port_range	*sport;	size_t n_sport;
	const char			*acl;	/* acl-list, or NULL */
	uint32_t			 lifetime;
};

/**
 * The body of the mitigation request of @p s.
 * @return **new** message, or NULL on ENOMEM
 */
struct dots_signal	*offload_scope_model(const struct offload_scope *s);
/**
 * Bytes of @p m on the wire: its CBOR body, and the IP packet that
 * carries it in one CoAP message over DTLS (offload_wire_overhead()).
 * @return DOTS_OK, or an encoding error
 */
int			 offload_wire_size(const struct dots_signal *m,
			    size_t *body, size_t *wire);
/** IP + UDP + DTLS record + CoAP header and options + payload marker. */
size_t			 offload_wire_overhead(void);
/**
 * The scope of @p m as the control protocol's `mitigate` takes it
 * (RFC 9132 JSON).
 * @return **new** reference, or NULL on error
 */
json_t			*offload_scope_json(const struct dots_signal *m);
/**
 * The data-channel ACLs of @p flows: one per address family named
 * BASE-ipv4 / BASE-ipv6, one ACE a flow (drop), activation-type
 * immediate, in the standard RFC 8783 form.
 * @return **new** reference, or NULL on ENOMEM
 */
json_t			*offload_acls_json(const struct offload_flow *flows,
			    size_t n, const char *base);

#endif /* DOTS_CLIENTD_OFFLOAD_PLAN_H */
