/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fuzz target: dots_uri_parse() on Uri-Path segments.
 *
 * The input is split on '/' into at most MAX_SEGS segments (the last one
 * keeps any further '/'), e.g. ".well-known/dots/mitigate/cuid=abc/mid=7".
 * Each segment is copied into a buffer of exactly its length, without a
 * NUL, as CoAP options arrive: reading past lens[i] is an ASan report.
 *
 * Invariants checked (the target aborts otherwise):
 *  - the result is DOTS_OK or DOTS_EURI, the same with and without a diag,
 *    and the diag agrees with it;
 *  - on success the resource is set; cuid and cdid are NUL-terminated, at
 *    most DOTS_URI_MAX_ID characters, non-empty exactly when their bit is
 *    present; the present bits fit the resource (cuid for /mitigate, only
 *    sid for /config, nothing for /hb and /redirect; mid needs cuid);
 *  - a cuid= or cdid= segment that was accepted is stored whole: the
 *    C string has the length of the value (no NUL byte cut it short);
 *  - the canonical path rebuilt from the result parses to the same result.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/validate.h>

#include "fuzz.h"

#define MAX_SEGS	16

static void	fail(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2), noreturn));

static void
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_uri: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

static void
check_diag(const struct dots_diag *d, int ret)
{
	if (ret != DOTS_OK && ret != DOTS_EURI)
		fail("dots_uri_parse returned %d (%s)", ret,
		    dots_err_name(ret));
	if (d->err != ret)
		fail("dots_uri_parse returned %d but diag.err is %d", ret,
		    d->err);
	if (memchr(d->error.path, '\0', sizeof(d->error.path)) == NULL ||
	    memchr(d->error.msg, '\0', sizeof(d->error.msg)) == NULL)
		fail("diag string not NUL-terminated");
	if (ret != DOTS_OK && (strncmp(d->error.path, "Uri-Path/", 9) != 0 ||
	    d->error.msg[0] == '\0'))
		fail("error without a Uri-Path/<n> path or a message");
	if (d->nwarn != 0)
		fail("dots_uri_parse left %u warnings", d->nwarn);
}

static const char *
resource_name(enum dots_resource r)
{
	switch (r) {
	case DOTS_RES_MITIGATE:
		return "mitigate";
	case DOTS_RES_CONFIG:
		return "config";
	case DOTS_RES_HB:
		return "hb";
	case DOTS_RES_REDIRECT:
		return "redirect";
	default:
		return NULL;
	}
}

static void
check_id(const char *id, uint32_t bit, const struct dots_uri *u,
    const char *name)
{
	const char *nul = memchr(id, '\0', DOTS_URI_MAX_ID + 1);

	if (nul == NULL)
		fail("%s is not NUL-terminated within %d bytes", name,
		    DOTS_URI_MAX_ID + 1);
	if ((nul != id) != ((u->present & bit) != 0))
		fail("%s is %s but its present bit is %s", name,
		    nul != id ? "set" : "empty",
		    (u->present & bit) ? "set" : "clear");
	if (strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_.~=:+") != (size_t)(nul - id))
		fail("%s '%s' has a character outside [A-Za-z0-9-_.~=:+]",
		    name, id);
}

static void
check_uri(const struct dots_uri *u)
{
	const uint32_t all = DOTS_URI_CUID | DOTS_URI_CDID | DOTS_URI_MID |
	    DOTS_URI_SID;

	if (resource_name(u->resource) == NULL)
		fail("success without a resource (%d)", (int)u->resource);
	if (u->present & ~all)
		fail("unknown present bits 0x%x", (unsigned)u->present);
	check_id(u->cuid, DOTS_URI_CUID, u, "cuid");
	check_id(u->cdid, DOTS_URI_CDID, u, "cdid");
	switch (u->resource) {
	case DOTS_RES_MITIGATE:
		if (!(u->present & DOTS_URI_CUID))
			fail("/mitigate without cuid");
		if (u->present & DOTS_URI_SID)
			fail("/mitigate with sid");
		break;
	case DOTS_RES_CONFIG:
		if (u->present & ~DOTS_URI_SID)
			fail("/config with 0x%x", (unsigned)u->present);
		break;
	default:
		if (u->present != 0)
			fail("/%s with parameters 0x%x",
			    resource_name(u->resource), (unsigned)u->present);
		break;
	}
	if ((u->present & DOTS_URI_MID) && !(u->present & DOTS_URI_CUID))
		fail("mid without cuid");
	if (!(u->present & DOTS_URI_MID) && u->mid != 0)
		fail("mid %u without its present bit", (unsigned)u->mid);
	if (!(u->present & DOTS_URI_SID) && u->sid != 0)
		fail("sid %u without its present bit", (unsigned)u->sid);
}

static void
check_same(const struct dots_uri *a, const struct dots_uri *b)
{
	if (a->resource != b->resource || a->present != b->present ||
	    strcmp(a->cuid, b->cuid) != 0 || strcmp(a->cdid, b->cdid) != 0 ||
	    a->mid != b->mid || a->sid != b->sid)
		fail("the canonical path parses differently");
}

#define PARAM_MAX	(DOTS_URI_MAX_ID + 8)

static const char *
param(char *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static const char *
param(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, PARAM_MAX, fmt, ap);
	va_end(ap);
	return buf;
}

/* The ids stored in @p u are the values of the segments, whole. */
static void
check_id_lengths(const struct dots_uri *u, char *const *segs,
    const size_t *lens, size_t nsegs)
{
	const char *id;
	size_t i;

	for (i = 3; i < nsegs; i++) {
		if (lens[i] < 5)
			continue;
		if (memcmp(segs[i], "cuid=", 5) == 0)
			id = u->cuid;
		else if (memcmp(segs[i], "cdid=", 5) == 0)
			id = u->cdid;
		else
			continue;
		if (strlen(id) != lens[i] - 5)
			fail("segment %zu: a %zu-byte value stored as the "
			    "%zu-character string '%s'", i, lens[i] - 5,
			    strlen(id), id);
	}
}

/* Rebuild the canonical path of @p u and parse it again. */
static void
reparse(const struct dots_uri *u)
{
	char buf[7][PARAM_MAX];
	const char *segs[7];
	size_t lens[7], n = 0, i;
	struct dots_uri u2;
	struct dots_diag d;
	int ret;

	segs[n++] = ".well-known";
	segs[n++] = "dots";
	segs[n++] = resource_name(u->resource);
	if (u->present & DOTS_URI_CDID) {
		segs[n] = param(buf[n], "cdid=%s", u->cdid);
		n++;
	}
	if (u->present & DOTS_URI_CUID) {
		segs[n] = param(buf[n], "cuid=%s", u->cuid);
		n++;
	}
	if (u->present & DOTS_URI_MID) {
		segs[n] = param(buf[n], "mid=%u", (unsigned)u->mid);
		n++;
	}
	if (u->present & DOTS_URI_SID) {
		segs[n] = param(buf[n], "sid=%u", (unsigned)u->sid);
		n++;
	}
	for (i = 0; i < n; i++)
		lens[i] = strlen(segs[i]);
	ret = dots_uri_parse(segs, lens, n, &u2, &d);
	check_diag(&d, ret);
	if (ret != DOTS_OK)
		fail("the canonical path is refused: %s", d.error.msg);
	check_same(u, &u2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *segs[MAX_SEGS];
	size_t lens[MAX_SEGS], nsegs = 0, start = 0, i;
	struct dots_uri uri, uri2;
	struct dots_diag d;
	int ret, ret2;

	for (i = 0; i <= size; i++) {
		if (i < size && (data[i] != '/' || nsegs == MAX_SEGS - 1))
			continue;
		lens[nsegs] = i - start;
		/* exactly the segment's bytes: no NUL to lean on */
		segs[nsegs] = malloc(lens[nsegs] > 0 ? lens[nsegs] : 1);
		if (segs[nsegs] == NULL)
			abort();
		memcpy(segs[nsegs], data + start, lens[nsegs]);
		nsegs++;
		start = i + 1;
	}

	ret = dots_uri_parse((const char *const *)segs, lens, nsegs, &uri,
	    &d);
	check_diag(&d, ret);
	ret2 = dots_uri_parse((const char *const *)segs, lens, nsegs, &uri2,
	    NULL);
	if (ret2 != ret)
		fail("%d with a diag, %d without", ret, ret2);
	if (ret == DOTS_OK) {
		check_uri(&uri);
		check_id_lengths(&uri, segs, lens, nsegs);
		check_same(&uri, &uri2);
		reparse(&uri);
	}

	for (i = 0; i < nsegs; i++)
		free(segs[i]);
	return 0;
}
