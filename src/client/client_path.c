/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The Uri-Path and Uri-Query of each request (RFC 9132 section 4.2):
 * "/mitigate[/cdid=D]/cuid=X[/mid=N]", "/config[/sid=N]", "/hb".  cdid
 * comes first, as RFC 9132 section 4.4.1.1 orders it; only a gateway
 * sets it.  The rules on
 * which identifiers a request must carry are checked here, before
 * anything is sent, so that a caller's mistake is an error and not a
 * 4.00 from the server.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <dots/client.h>
#include <dots/error.h>

#define PREFIX	".well-known/dots/"

static int
put(char *buf, size_t len, int n)
{
	(void)buf;
	if (n < 0 || (size_t)n >= len)
		return DOTS_ENOSPC;
	return DOTS_OK;
}

/* A cdid as the server's Uri-Path parser takes it (src/lib/validate). */
static bool
cdid_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= DOTS_CLIENT_CDID_MAX &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_.~=:+") == n;
}

static int
mitigate_path(const struct dots_request *r, const char *cuid, char *path,
    size_t pathlen)
{
	char cdid[DOTS_CLIENT_CDID_MAX + 8] = "";

	if (cuid == NULL || cuid[0] == '\0' || strchr(cuid, '/') != NULL)
		return DOTS_EINVAL;
	if ((r->op == DOTS_REQ_MITIGATE_PUT ||
	    r->op == DOTS_REQ_MITIGATE_DELETE) && !r->has_id)
		return DOTS_EINVAL;	/* mid is mandatory there */
	if (r->cdid != NULL) {
		if (!cdid_ok(r->cdid))
			return DOTS_EINVAL;
		snprintf(cdid, sizeof(cdid), "cdid=%s/", r->cdid);
	}
	if (r->has_id)
		return put(path, pathlen, snprintf(path, pathlen,
		    PREFIX "mitigate/%scuid=%s/mid=%u", cdid, cuid, r->id));
	return put(path, pathlen, snprintf(path, pathlen,
	    PREFIX "mitigate/%scuid=%s", cdid, cuid));
}

int
dots_request_path(const struct dots_request *r, const char *cuid, char *path,
    size_t pathlen, char *query, size_t querylen)
{
	int ret;

	if (r == NULL || path == NULL || query == NULL || querylen == 0)
		return DOTS_EINVAL;
	query[0] = '\0';
	if (r->filter != 0 && r->op != DOTS_REQ_MITIGATE_GET)
		return DOTS_EINVAL;
	if ((r->flags & DOTS_REQ_OBSERVE) && r->op != DOTS_REQ_MITIGATE_GET &&
	    r->op != DOTS_REQ_CONFIG_GET)
		return DOTS_EINVAL;
	if ((r->flags & DOTS_REQ_IF_MATCH) && r->op != DOTS_REQ_MITIGATE_PUT)
		return DOTS_EINVAL;
	/* cdid is a /mitigate parameter (RFC 9132 4.2: not in /hb) */
	if (r->cdid != NULL && r->op != DOTS_REQ_MITIGATE_PUT &&
	    r->op != DOTS_REQ_MITIGATE_GET && r->op != DOTS_REQ_MITIGATE_DELETE)
		return DOTS_EINVAL;
	switch (r->op) {
	case DOTS_REQ_MITIGATE_PUT:
	case DOTS_REQ_MITIGATE_GET:
	case DOTS_REQ_MITIGATE_DELETE:
		if ((ret = mitigate_path(r, cuid, path, pathlen)) != DOTS_OK)
			return ret;
		if (r->filter == 0)
			return DOTS_OK;
		if (strchr("cna", r->filter) == NULL)
			return DOTS_EINVAL;
		return put(query, querylen, snprintf(query, querylen, "c=%c",
		    r->filter));
	case DOTS_REQ_CONFIG_PUT:
		if (!r->has_id)
			return DOTS_EINVAL;	/* sid is mandatory */
		/* FALLTHROUGH */
	case DOTS_REQ_CONFIG_GET:
	case DOTS_REQ_CONFIG_DELETE:
		if (r->has_id)
			return put(path, pathlen, snprintf(path, pathlen,
			    PREFIX "config/sid=%u", r->id));
		return put(path, pathlen, snprintf(path, pathlen,
		    PREFIX "config"));
	case DOTS_REQ_HEARTBEAT:
		if (r->has_id)
			return DOTS_EINVAL;
		return put(path, pathlen, snprintf(path, pathlen,
		    PREFIX "hb"));
	}
	return DOTS_EINVAL;
}
