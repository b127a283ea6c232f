/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fuzz target: the control protocol of dotscd.  Each input line is
 * parsed as the control socket does (jansson) and, if it is JSON, given
 * to ctl_submit() on a daemon with one server (PSK, never connected) and
 * an in-memory store, so that every command's argument checks, scope
 * validation and bookkeeping run.  A request is sent to no server: the
 * session is down, so mitigations stay pending.
 *
 * Invariants checked (the target aborts otherwise): every request is
 * answered exactly once, synchronously or when the daemon is freed, and
 * every answer is an object with a boolean "ok" and, when false, an
 * error with a code and a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "clientd.h"
#include "fuzz.h"

static const char conf_text[] =
	"database \":memory:\"\n"
	"control-socket \"/nonexistent/fuzz.sock\"\n"
	"max-pending 16\n"
	"server \"up\" {\n"
	"\taddress 192.0.2.1\n"
	"\tpsk-identity \"fuzz\"\n"
	"\tpsk-key \"0123456789abcdef0123\"\n"
	"}\n";

static unsigned	answers;

static void
check_reply(void *arg, json_t *a)
{
	json_t *ok = json_object_get(a, "ok"), *err;

	(void)arg;
	answers++;
	if (!json_is_boolean(ok))
		abort();
	if (json_is_false(ok)) {
		err = json_object_get(a, "error");
		if (!json_is_string(json_object_get(err, "code")) ||
		    !json_is_string(json_object_get(err, "message")))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dotscd d;
	const char *p = (const char *)data, *end = p + size, *nl;
	char err[256];
	unsigned asked = 0;
	json_t *req;

	memset(&d, 0, sizeof(d));
	d.listen_fd = -1;
	if (cconf_parse_buf(conf_text, sizeof(conf_text) - 1, "fuzz", &d.conf,
	    err, sizeof(err)) != 0)
		abort();
	d.store = store_open(":memory:", err, sizeof(err));
	if (d.store == NULL || srv_init(&d, err, sizeof(err)) != 0)
		abort();
	answers = 0;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		req = json_loadb(p, (size_t)(nl - p), JSON_REJECT_DUPLICATES,
		    NULL);
		if (req != NULL) {
			asked++;
			ctl_submit(&d, req, check_reply, NULL);
			json_decref(req);
		}
		p = nl + 1;
	}
	/* requests that wait for a server are answered on the way out */
	waiter_tick(&d, time(NULL) + WAIT_MAX + 2);
	if (answers != asked)
		abort();
	while (d.mits != NULL)
		mit_free(&d, d.mits);
	waiter_free_all(&d);
	srv_free_all(&d);
	store_close(d.store);
	cconf_free(d.conf);
	return 0;
}
