/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fuzz target: the reader of DMS reports of dotscd (offload_report.c),
 * then the planner on every report it accepts, in-band and out-of-band,
 * so that whatever a DMS can make dotscd read is also planned.
 *
 * Invariants checked (the target aborts otherwise): a report is either
 * read or refused with a message; a flow's ports belong to TCP or UDP;
 * every plan has a reason, and a signal-channel plan that needs no
 * Q-Block fits the path MTU.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "offload_plan.h"

static void
check_plan(const struct offload_report *r, enum offload_link link)
{
	struct offload_policy p = {
		.link = link,
		.few_reflectors = 16,
		.path_mtu = 1280,
		.datagram_max = OFFLOAD_DATAGRAM_MAX,
		.lifetime = 3600,
		.acl_name = "dms-offload",
	};
	struct offload_plan *pl;

	if ((pl = offload_plan_make(r, &p)) == NULL)
		return;		/* out of memory */
	if (pl->reason[0] == '\0')
		abort();
	if (pl->sig != NULL && !pl->qblock &&
	    pl->wire_len > offload_wire_limit(&p))
		abort();
	offload_plan_free(pl);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct offload_report *r;
	char err[256];
	size_t i;

	err[0] = '\0';
	r = offload_report_parse((const char *)data, size, err, sizeof(err));
	if (r == NULL) {
		if (err[0] == '\0')
			abort();
		return 0;
	}
	for (i = 0; i < r->n_flows; i++)
		if ((r->flows[i].has_sport || r->flows[i].has_dport) &&
		    r->flows[i].proto != 6 && r->flows[i].proto != 17)
			abort();
	check_plan(r, OFFLOAD_LINK_IN_BAND);
	check_plan(r, OFFLOAD_LINK_OUT_OF_BAND);
	offload_report_free(r);
	return 0;
}
