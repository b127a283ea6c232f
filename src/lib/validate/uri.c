/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Uri-Path of signal-channel requests (RFC 9132 section 4.2 and 4.4.1):
 * /.well-known/dots/<resource>[/cdid=..]/cuid=..[/mid=..] or
 * /.well-known/dots/config[/sid=..].  The order of the parameters is part
 * of the resource name, and no parameter may be empty.
 */
#include <stdio.h>
#include <string.h>

#include <dots/validate.h>

#include "../model/schema.h"

#define SEG_MAX		255

static int
uri_error(struct dots_diag *diag, size_t seg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
uri_error(struct dots_diag *diag, size_t seg, const char *fmt, ...)
{
	va_list ap;

	if (diag->err != DOTS_OK)
		return diag->err;
	diag->err = DOTS_EURI;
	snprintf(diag->error.path, sizeof(diag->error.path), "Uri-Path/%zu",
	    seg);
	va_start(ap, fmt);
	vsnprintf(diag->error.msg, sizeof(diag->error.msg), fmt, ap);
	va_end(ap);
	return DOTS_EURI;
}

static bool
seg_is(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

static bool
id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("-_.~=:+", c) != NULL);
}

static int
parse_u32(const char *s, size_t len, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
parse_id(struct dots_diag *diag, size_t seg, const char *name,
    const char *s, size_t len, char *dst)
{
	size_t i;

	if (len > DOTS_URI_MAX_ID)
		return uri_error(diag, seg, "%s is longer than %d characters",
		    name, DOTS_URI_MAX_ID);
	for (i = 0; i < len; i++)
		if (!id_char(s[i]))
			return uri_error(diag, seg, "%s contains a character "
			    "outside [A-Za-z0-9-_.~=:+]", name);
	memcpy(dst, s, len);
	dst[len] = '\0';
	return DOTS_OK;
}

/* One "name=value" segment; @p order enforces cdid < cuid < mid. */
static int
parse_param(struct dots_uri *uri, struct dots_diag *diag, size_t seg,
    const char *s, size_t len, int *order)
{
	const char *eq = memchr(s, '=', len);
	size_t nlen, vlen;
	const char *val;

	if (eq == NULL)
		return uri_error(diag, seg, "expected name=value");
	nlen = (size_t)(eq - s);
	val = eq + 1;
	vlen = len - nlen - 1;
	if (vlen == 0)
		return uri_error(diag, seg, "empty value for '%.*s' (RFC 9132 "
		    "forbids empty parameters)", (int)nlen, s);
	if (uri->resource == DOTS_RES_CONFIG) {
		if (!seg_is(s, nlen, "sid") || *order != 0)
			return uri_error(diag, seg, "/config takes only sid=");
		*order = 1;
		uri->present |= DOTS_URI_SID;
		if (parse_u32(val, vlen, &uri->sid) != 0)
			return uri_error(diag, seg, "sid must be an integer "
			    "0..4294967295");
		return DOTS_OK;
	}
	if (seg_is(s, nlen, "cdid") && *order < 1) {
		*order = 1;
		uri->present |= DOTS_URI_CDID;
		return parse_id(diag, seg, "cdid", val, vlen, uri->cdid);
	}
	if (seg_is(s, nlen, "cuid") && *order < 2) {
		*order = 2;
		uri->present |= DOTS_URI_CUID;
		return parse_id(diag, seg, "cuid", val, vlen, uri->cuid);
	}
	if (seg_is(s, nlen, "mid") && *order == 2) {
		*order = 3;
		uri->present |= DOTS_URI_MID;
		if (parse_u32(val, vlen, &uri->mid) != 0)
			return uri_error(diag, seg, "mid must be an integer "
			    "0..4294967295");
		return DOTS_OK;
	}
	if (seg_is(s, nlen, "cdid") || seg_is(s, nlen, "cuid") ||
	    seg_is(s, nlen, "mid"))
		return uri_error(diag, seg, "'%.*s' out of order: the path is "
		    "[cdid=]/cuid=/[mid=], each once", (int)nlen, s);
	return uri_error(diag, seg, "unknown parameter '%.*s'",
	    (int)(nlen > 32 ? 32 : nlen), s);
}

int
dots_uri_parse(const char *const *segs, const size_t *lens, size_t nsegs,
    struct dots_uri *uri, struct dots_diag *diag)
{
	static const struct {
		const char		*name;
		enum dots_resource	 res;
	} resources[] = {
		{ "mitigate", DOTS_RES_MITIGATE },
		{ "config", DOTS_RES_CONFIG },
		{ "hb", DOTS_RES_HB },
		{ "redirect", DOTS_RES_REDIRECT },
	};
	struct dots_diag local;
	size_t i;
	int order = 0, ret;

	if (diag == NULL)
		diag = &local;
	dots_diag_clear(diag);
	if (uri == NULL || (segs == NULL && nsegs > 0) ||
	    (lens == NULL && nsegs > 0))
		return DOTS_EINVAL;
	memset(uri, 0, sizeof(*uri));
	if (nsegs < 3 || !seg_is(segs[0], lens[0], ".well-known") ||
	    !seg_is(segs[1], lens[1], "dots"))
		return uri_error(diag, 0, "the path must start with "
		    "/.well-known/dots/");
	for (i = 0; i < sizeof(resources) / sizeof(resources[0]); i++)
		if (seg_is(segs[2], lens[2], resources[i].name))
			uri->resource = resources[i].res;
	if (uri->resource == DOTS_RES_NONE)
		return uri_error(diag, 2, "unknown resource '%.*s'",
		    (int)(lens[2] > 32 ? 32 : lens[2]), segs[2]);
	for (i = 3; i < nsegs; i++) {
		if (lens[i] > SEG_MAX)
			return uri_error(diag, i, "segment too long");
		if (uri->resource == DOTS_RES_HB ||
		    uri->resource == DOTS_RES_REDIRECT)
			return uri_error(diag, i, "/%.*s takes no parameters",
			    (int)lens[2], segs[2]);
		ret = parse_param(uri, diag, i, segs[i], lens[i], &order);
		if (ret != DOTS_OK)
			return ret;
	}
	if (uri->resource == DOTS_RES_MITIGATE &&
	    !(uri->present & DOTS_URI_CUID))
		return uri_error(diag, nsegs, "cuid is mandatory in /mitigate "
		    "requests");
	return DOTS_OK;
}
