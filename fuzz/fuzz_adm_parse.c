/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fuzz target: a request line of dotsd's control socket
 * (src/server/adm_parse.c).  Each input line is parsed as the socket
 * does, and the error answer of a refused one is built and printed.
 *
 * Invariants checked (the target aborts otherwise): an accepted request
 * has a known command and the arguments that command needs; a refused
 * one has an error code and a message, and its answer is an object that
 * prints as JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "adm.h"
#include "fuzz.h"

static void
check_accepted(const struct adm_req *r)
{
	if (r->root == NULL || strcmp(adm_cmd_name(r->cmd), "?") == 0)
		abort();
	if ((r->cmd == ADM_CMD_APPROVE || r->cmd == ADM_CMD_REJECT) &&
	    r->mitigation == 0)
		abort();
	if (r->cmd == ADM_CMD_REJECT && (r->why == NULL ||
	    strlen(r->why) == 0 || strlen(r->why) > ADM_WHY_MAX))
		abort();
}

static void
check_refused(const struct adm_req *r, const struct adm_err *e)
{
	json_t *a;
	char *text;

	if (e->code == NULL || e->msg[0] == '\0')
		abort();
	if ((a = adm_answer_err(r->id, e)) == NULL)
		abort();
	if ((text = json_dumps(a, JSON_COMPACT)) == NULL)
		abort();
	free(text);
	json_decref(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	struct adm_req r;
	struct adm_err e;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl > p) {
			if (adm_parse(p, (size_t)(nl - p), &r, &e) == 0)
				check_accepted(&r);
			else
				check_refused(&r, &e);
			adm_req_clear(&r);
		}
		p = nl + 1;
	}
	return 0;
}
