/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fuzz target: the data channel's handling of one request, dc_handle()
 * (src/datachan), from URI and query to body, libyang and the store.
 *
 * Input: a first line "METHOD PATH[?QUERY]", the rest is the body.  The
 * method is one of GET, POST, PUT, DELETE by the first byte's value
 * modulo 4 when the line does not name one.  The store is an SQLite
 * file in memory, kept across inputs (so that POSTs meet what earlier
 * inputs stored), for one client whose cuid is that of the URIs of the
 * seed corpus.
 *
 * Invariants checked (the target aborts otherwise): an answer has a
 * status between 200 and 599; an error has a body that is an
 * ietf-restconf:errors document; a 201 to a POST or PUT has a Location
 * or none only for a registration PUT; a refused request reports no
 * write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dc_int.h"
#include "fuzz.h"
#include "store.h"

#define FUZZ_CUID	"XDXrS35GPJ6TVzB3TdhVoA"

static struct store *st;
static struct dc_core core;
static struct dots_prefix pfx[2];
static struct dc_peer peer;

static void
init(void)
{
	char err[256];

	if (store_open(":memory:", false, &st, err, sizeof(err)) != 0 ||
	    (core.yang = dc_yang_new(DOTS_YANG_SRC, err, sizeof(err))) ==
	    NULL || (core.store = dc_store_open(st, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "fuzz_datachan_request: %s\n", err);
		abort();
	}
	core.lifetime = 604800;
	dots_prefix_parse("192.0.2.0/24", &pfx[0], NULL);
	dots_prefix_parse("2001:db8:6401::/48", &pfx[1], NULL);
	snprintf(peer.name, sizeof(peer.name), "client1");
	snprintf(peer.cuid, sizeof(peer.cuid), FUZZ_CUID);
	peer.prefixes = pfx;
	peer.nprefixes = 2;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "GET", "POST", "PUT",
	    "DELETE" };
	struct dc_request rq;
	struct dc_response rs;
	char line[2048], *sp, *q, *path;
	const uint8_t *nl;
	size_t n;

	if (st == NULL)
		init();
	nl = memchr(data, '\n', size);
	n = nl != NULL ? (size_t)(nl - data) : size;
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, data, n);
	line[n] = '\0';
	if (strlen(line) != n)
		return 0;	/* a NUL in the request line: not HTTP */
	memset(&rq, 0, sizeof(rq));
	sp = strchr(line, ' ');
	if (sp != NULL) {
		*sp = '\0';
		rq.method = line;
		path = sp + 1;
	} else {
		rq.method = methods[size > 0 ? data[0] % 4 : 0];
		path = line;
	}
	q = strchr(path, '?');
	if (q != NULL)
		*q++ = '\0';
	rq.path = path;
	rq.query = q != NULL ? q : "";
	rq.ctype = "application/yang-data+json";
	rq.body = nl != NULL ? (const char *)nl + 1 : "";
	rq.len = nl != NULL ? size - (size_t)(nl + 1 - data) : 0;
	rq.peer = &peer;
	rq.now = 1000000;
	dc_handle(&core, &rq, &rs);
	if (rs.status < 200 || rs.status > 599)
		abort();
	if (rs.status >= 400 && (rs.body == NULL ||
	    strncmp(rs.body, "{\n  \"ietf-restconf:errors\"", 26) != 0 ||
	    rs.wrote))
		abort();
	dc_response_clear(&rs);
	return 0;
}
