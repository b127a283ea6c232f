/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Request URIs of the data channel (RFC 8040 section 3.5.3, RFC 8783
 * section 4): the path to a resource and the query.  A list instance is
 * "list=key" with the key percent-encoded; keys are decoded here and may
 * then hold any character but controls (a '/' or ',' in an ACL name is
 * written %2F, %2C).  The first node after /data/ is qualified with its
 * module, the others are not.  Anything else is 404 (no such resource)
 * or 400 (a malformed key or query).
 */
#include <stdio.h>
#include <string.h>

#include "dc_int.h"

int
dc_error_set(struct dc_error *e, int status, const char *tag,
    const char *fmt, ...)
{
	va_list ap;

	e->status = status;
	e->tag = tag;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return status;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode @p len bytes of @p in into @p out; -1 on a bad escape, a
 * control character or more than DC_KEY_MAX bytes. */
static int
pct_decode(const char *in, size_t len, char *out)
{
	size_t i, o = 0;
	int hi, lo;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)in[i];
		if (c == '%') {
			if (i + 2 >= len)
				return -1;
			hi = hexval(in[i + 1]);
			lo = hexval(in[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		}
		if (c < 0x20 || c == 0x7f || o >= DC_KEY_MAX)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return o > 0 ? 0 : -1;
}

void
dc_uri_encode(const char *in, char *out, size_t outlen)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	unsigned char c;

	for (; *in != '\0' && o + 4 <= outlen; in++) {
		c = (unsigned char)*in;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			out[o++] = (char)c;
			continue;
		}
		out[o++] = '%';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 15];
	}
	if (outlen > 0)
		out[o < outlen ? o : outlen - 1] = '\0';
}

/* Segment @p s (length @p n) is "prefix=KEY": decode KEY into @p key. */
static int
keyed(const char *s, size_t n, const char *prefix, char *key,
    struct dc_error *e, bool *match)
{
	size_t pl = strlen(prefix);

	*match = n > pl && strncmp(s, prefix, pl) == 0;
	if (!*match)
		return 0;
	if (pct_decode(s + pl, n - pl, key) != 0)
		return dc_error_set(e, 400, "invalid-value", "malformed key "
		    "in '%.*s': empty, a bad %%-escape, a control character "
		    "or longer than %d bytes", (int)(n > 80 ? 80 : n), s,
		    DC_KEY_MAX);
	return 0;
}

static bool
seg_is(const char *s, size_t n, const char *want)
{
	return strlen(want) == n && strncmp(s, want, n) == 0;
}

int
dc_uri_parse(const char *path, struct dc_uri *u, struct dc_error *e)
{
	const char *segs[4];
	size_t lens[4], nseg = 0, plen = strlen(DC_DATA);
	const char *p, *slash;
	bool m;
	int ret;

	memset(u, 0, sizeof(*u));
	if (strcmp(path, "/.well-known/host-meta") == 0) {
		u->res = DC_R_HOSTMETA;
		return 0;
	}
	if (strncmp(path, DC_DATA, plen) != 0 ||
	    (path[plen] != '\0' && path[plen] != '/'))
		goto notfound;
	if (path[plen] == '\0') {
		u->res = DC_R_DATA;
		return 0;
	}
	for (p = path + plen + 1;; p = slash + 1) {
		slash = strchr(p, '/');
		if (nseg == 4)
			goto notfound;
		segs[nseg] = p;
		lens[nseg] = slash != NULL ? (size_t)(slash - p) : strlen(p);
		nseg++;
		if (slash == NULL)
			break;
	}
	if (nseg == 1 && seg_is(segs[0], lens[0], "capabilities")) {
		u->res = DC_R_CAPS;
		return 0;
	}
	if ((ret = keyed(segs[0], lens[0], "dots-client=", u->cuid, e,
	    &m)) != 0)
		return ret;
	if (!m)
		goto notfound;
	u->res = DC_R_CLIENT;
	if (nseg == 1)
		return 0;
	if (seg_is(segs[1], lens[1], "aliases"))
		u->res = DC_R_ALIASES;
	else if (seg_is(segs[1], lens[1], "acls"))
		u->res = DC_R_ACLS;
	else
		goto notfound;
	if (nseg == 2)
		return 0;
	if (nseg != 3)
		goto notfound;
	ret = keyed(segs[2], lens[2], u->res == DC_R_ALIASES ? "alias=" :
	    "acl=", u->name, e, &m);
	if (ret != 0)
		return ret;
	if (!m)
		goto notfound;
	u->res = u->res == DC_R_ALIASES ? DC_R_ALIAS : DC_R_ACL;
	return 0;
notfound:
	return dc_error_set(e, 404, "invalid-value", "no such resource; the "
	    "data channel is " DC_DATA " (RFC 8783 section 4)");
}

int
dc_query_parse(const char *query, bool get, struct dc_query *q,
    struct dc_error *e)
{
	const char *p = query, *amp, *eq;
	size_t n;
	bool seen = false;

	memset(q, 0, sizeof(*q));
	while (*p != '\0') {
		amp = strchr(p, '&');
		n = amp != NULL ? (size_t)(amp - p) : strlen(p);
		eq = memchr(p, '=', n);
		if (eq == NULL || (size_t)(eq - p) != 7 ||
		    strncmp(p, "content", 7) != 0)
			return dc_error_set(e, 400, "invalid-value", "query "
			    "parameter '%.*s' is not supported (only "
			    "content)", (int)(n > 64 ? 64 : n), p);
		if (!get)
			return dc_error_set(e, 400, "invalid-value", "content "
			    "is only for GET and HEAD (RFC 8040 4.8.1)");
		if (seen)
			return dc_error_set(e, 400, "invalid-value", "content "
			    "given twice");
		seen = true;
		eq++;
		n -= 8;
		if (n == 3 && strncmp(eq, "all", 3) == 0)
			q->content = DC_CONTENT_ALL;
		else if (n == 6 && strncmp(eq, "config", 6) == 0)
			q->content = DC_CONTENT_CONFIG;
		else if (n == 9 && strncmp(eq, "nonconfig", 9) == 0)
			q->content = DC_CONTENT_NONCONFIG;
		else if (n == 10 && strncmp(eq, "non-config", 10) == 0) {
			/* RFC 8783 7.3 as printed; erratum 6496 */
			q->content = DC_CONTENT_NONCONFIG;
			q->non_config = true;
		} else
			return dc_error_set(e, 400, "invalid-value", "content "
			    "'%.*s': expected all, config or nonconfig",
			    (int)(n > 32 ? 32 : n), eq);
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	return 0;
}
