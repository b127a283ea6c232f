/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fuzz target: how the "dots" mitigator reads a line from dotscd's
 * control socket (src/backend/upstream/up_proto.c), then what it makes
 * of the mitigation the line tells of (up_report_of).  The input is one
 * line, without its newline.  Whatever it holds, the parser must accept
 * or refuse it without reading out of bounds or leaking.
 *
 * Invariants checked (the target aborts otherwise):
 *  - a refused line leaves nothing to free (up_msg_clear on it is a
 *    no-op that must not crash) and is of no kind;
 *  - strings read are NUL-terminated within their arrays;
 *  - an id read from an origin fits in an int64 (it is the server's);
 *  - a report's state is one of enum be_state, and its reason is a
 *    NUL-terminated sentence within its array.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "up_proto.h"

static void
check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_up_proto: %s\n", what);
		abort();
	}
}

static void
check_mit(const struct up_mit_info *mi)
{
	struct be_report r;
	bool w;

	check(memchr(mi->server, '\0', sizeof(mi->server)) != NULL,
	    "server not terminated");
	check(memchr(mi->err_code, '\0', sizeof(mi->err_code)) != NULL,
	    "error code not terminated");
	check(memchr(mi->err_diag, '\0', sizeof(mi->err_diag)) != NULL,
	    "diagnostic not terminated");
	check(!mi->has_id || mi->id <= INT64_MAX, "an id above INT64_MAX");
	check(mi->state <= UP_ST_FAILED, "a state out of the enum");
	for (w = false; ; w = true) {
		memset(&r, 0, sizeof(r));
		if (up_report_of(mi, "upstream", w, &r)) {
			check(r.state >= BE_PENDING && r.state <= BE_WITHDRAWN,
			    "a report state out of the enum");
			check(memchr(r.reason, '\0', sizeof(r.reason)) != NULL,
			    "reason not terminated");
			check(r.state != BE_FAILED || r.reason[0] != '\0',
			    "a failure without a reason");
		}
		if (w)
			break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct up_msg msg;
	size_t i;

	if (size > (1u << 20))
		return 0;
	if (up_msg_parse((const char *)data, size, &msg) != 0) {
		check(msg.kind == 0 && msg.list == NULL && msg.mit.scope ==
		    NULL, "a refused line left something behind");
		up_msg_clear(&msg);
		return 0;
	}
	check(msg.kind >= UP_MSG_ANSWER && msg.kind <= UP_MSG_OTHER,
	    "a kind out of the enum");
	check(memchr(msg.code, '\0', sizeof(msg.code)) != NULL &&
	    memchr(msg.message, '\0', sizeof(msg.message)) != NULL &&
	    memchr(msg.reason, '\0', sizeof(msg.reason)) != NULL,
	    "a string not terminated");
	if (msg.has_mit)
		check_mit(&msg.mit);
	for (i = 0; i < msg.nlist; i++)
		check_mit(&msg.list[i]);
	check(!msg.is_list || msg.list != NULL || msg.nlist == 0,
	    "a list without its array");
	up_msg_clear(&msg);
	return 0;
}
