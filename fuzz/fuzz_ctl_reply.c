/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fuzz target: what dotsctl does with a line from the daemon
 * (src/ctl/ctl_reply.c, then the tables of ctl_print.c).  The input is
 * one line, as if read from the control socket.  Whatever it holds, the
 * parser must accept or refuse it without reading out of bounds, and
 * everything accepted must print, as every command would print it, into
 * a memory stream that is then dropped.
 *
 * Invariants checked (the target aborts otherwise):
 *  - a refused line leaves no JSON behind and gives a reason;
 *  - an answer has a boolean ok; a failed one has an error code; a
 *    successful one's result is an object or absent;
 *  - an event has a name;
 *  - the exit code of an answer is one docs/control-protocol.md lists.
 */
#define _DEFAULT_SOURCE		/* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "fuzz.h"

static void
check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_ctl_reply: %s\n", what);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ctl_cmd cmds[] = { CTL_CMD_MITIGATE,
	    CTL_CMD_WITHDRAW, CTL_CMD_CANCEL, CTL_CMD_EFFICACY,
	    CTL_CMD_STATUS, CTL_CMD_SESSION, CTL_CMD_SERVERS };
	struct ctl_reply r;
	char err[CTL_ERR_MAX] = "", *out = NULL;
	size_t i, len = 0;
	FILE *f;
	int ex;

	if (size > CTL_LINE_MAX)
		return 0;
	if (ctl_reply_parse((const char *)data, size, &r, err,
	    sizeof(err)) != 0) {
		check(r.root == NULL, "a refused line kept its JSON");
		check(err[0] != '\0', "a refused line without a reason");
		return 0;
	}
	if ((f = open_memstream(&out, &len)) == NULL)
		abort();
	if (r.kind == CTL_REPLY_EVENT) {
		check(r.event != NULL, "an event without a name");
		ctl_print_event(f, r.root);
	} else {
		check(r.kind == CTL_REPLY_ANSWER, "neither answer nor event");
		check(r.ok || r.code != NULL, "a failure without a code");
		check(!r.ok || r.result == NULL || json_is_object(r.result),
		    "a result that is not an object");
		if (!r.ok)
			ctl_print_error(f, &r);
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
			if (r.ok)
				ctl_print_result(f, cmds[i], r.result);
			ex = ctl_reply_exit(&r, cmds[i]);
			check(ex == CTL_EXIT_OK || ex == CTL_EXIT_FAILED ||
			    ex == CTL_EXIT_PENDING, "an exit code out of the "
			    "list");
		}
	}
	fclose(f);
	free(out);
	ctl_reply_clear(&r);
	return 0;
}
