/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A DMS report (docs/offload.md): what a DDoS mitigation system is
 * blocking, flow by flow, and how loaded it is.  This part only reads
 * the JSON into plain structs and checks every field; what to do with a
 * report is offload_plan.c's, and where reports come from offload.c's.
 *
 *	{"utilization": {"percent": 93.5}  or  {"used": N, "capacity": N},
 *	 "flows": [{"src": "203.0.113.2", "dst": "192.0.2.2",
 *		    "src-port": 53, "dst-port": 40000, "protocol": 17,
 *		    "bps": 120000000, "pps": 15000}, ...]}
 */
#ifndef DOTS_CLIENTD_OFFLOAD_REPORT_H
#define DOTS_CLIENTD_OFFLOAD_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include <dots/model.h>

#define OFFLOAD_FLOWS_MAX	4096	/* flows in one report */
#define OFFLOAD_UTIL_MAX	1000000	/* hundredths of a percent */

/* One flow the DMS blocks. */
struct offload_flow {
	struct dots_prefix	 src;		/* family NONE: any source */
	struct dots_prefix	 dst;		/* a host, or a prefix */
	bool			 has_sport, has_dport;
	uint16_t		 sport, dport;
	uint8_t			 proto;
	uint64_t		 bps, pps;	/* 0: not given */
};

struct offload_report {
	uint32_t		 util;		/* hundredths of a percent */
	bool			 has_capacity;	/* given as used/capacity */
	double			 used, capacity;
	struct offload_flow	*flows;
	size_t			 n_flows;
};

/* offload_report.c */

/**
 * Read a report.  Unknown members, wrong types, addresses that do not
 * parse, ports outside 0..65535, a port on a protocol without ports,
 * more than OFFLOAD_FLOWS_MAX flows: refused with @p err naming the
 * member ("flows[3].src-port: ...").
 * @param v [borrow] the report object
 * @return **new** report (offload_report_free), or NULL with @p err set
 */
struct offload_report	*offload_report_from_json(const json_t *v,
			    char *err, size_t errlen);
/** The same from text (a file, a command's output). */
struct offload_report	*offload_report_parse(const char *text, size_t len,
			    char *err, size_t errlen);
void			 offload_report_free(struct offload_report *r);
/** "93.50" for 9350. */
void			 offload_util_format(uint32_t util, char *buf,
			    size_t len);

#endif /* DOTS_CLIENTD_OFFLOAD_REPORT_H */
