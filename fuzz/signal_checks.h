/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Checks shared by the signal-channel fuzz targets (fuzz_cbor_signal.c,
 * fuzz_json_signal.c) once an input has decoded: every role validates
 * without crashing, and the message survives CBOR and JSON round trips
 * unchanged and deterministically.  Each target defines fuzz_name before
 * including this header; the functions are static so that each target
 * stays one translation unit.
 */
#ifndef DOTS_FUZZ_SIGNAL_CHECKS_H
#define DOTS_FUZZ_SIGNAL_CHECKS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/cbor.h>
#include <dots/json.h>
#include <dots/validate.h>

#define ROLE_FIRST	DOTS_ROLE_MITIGATION_REQUEST
#define ROLE_LAST	DOTS_ROLE_CALL_HOME_REDIRECT
#define NROLES		(ROLE_LAST + 1)

static void	fail(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2), noreturn));

static void
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", fuzz_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

static void
check_entry(const struct dots_diag_entry *e, const char *what)
{
	if (memchr(e->path, '\0', sizeof(e->path)) == NULL ||
	    memchr(e->msg, '\0', sizeof(e->msg)) == NULL)
		fail("%s: diag string not NUL-terminated", what);
}

/* The diag filled by a call that returned @p ret. */
static void
check_diag(const struct dots_diag *d, int ret, const char *what)
{
	unsigned i;

	if (ret > 0)
		fail("%s returned %d (> 0)", what, ret);
	if (d->err != ret)
		fail("%s returned %d (%s) but diag.err is %d (%s)", what, ret,
		    dots_err_name(ret), d->err, dots_err_name(d->err));
	if (d->nwarn > DOTS_DIAG_WARN_MAX || d->nwarn > d->nwarn_total)
		fail("%s: diag nwarn %u, nwarn_total %u", what, d->nwarn,
		    d->nwarn_total);
	if (ret != DOTS_OK)
		check_entry(&d->error, what);
	for (i = 0; i < d->nwarn; i++)
		check_entry(&d->warn[i], what);
}

static const char *
diag_text(const struct dots_diag *d, char *buf, size_t len)
{
	return dots_diag_format(d, buf, len);
}

static void
validate_all(const struct dots_signal *m, int res[NROLES])
{
	struct dots_diag d;
	int role;

	for (role = ROLE_FIRST; role <= ROLE_LAST; role++) {
		res[role] = dots_validate_signal(m, (enum dots_msg_role)role,
		    &d);
		check_diag(&d, res[role], "dots_validate_signal");
	}
}

/* Encode @p m, checking the size query and the ENOSPC path. **new** */
static uint8_t *
encode_cbor(const struct dots_signal *m, size_t *len)
{
	size_t need = 0, got = 0;
	uint8_t *buf;
	int ret;

	ret = dots_cbor_encode_signal(m, NULL, 0, &need);
	if (ret != DOTS_ENOSPC || need == 0)
		fail("a decoded message does not encode to CBOR: %d (%s), "
		    "size %zu", ret, dots_err_name(ret), need);

	/* one byte short: refused, size reported, nothing written past */
	if ((buf = malloc(need - 1 > 0 ? need - 1 : 1)) == NULL)
		abort();
	ret = dots_cbor_encode_signal(m, buf, need - 1, &got);
	if (ret != DOTS_ENOSPC || got != need)
		fail("encoding into %zu bytes: %d (%s), size %zu, want "
		    "DOTS_ENOSPC and %zu", need - 1, ret, dots_err_name(ret),
		    got, need);
	free(buf);

	if ((buf = malloc(need)) == NULL)
		abort();
	ret = dots_cbor_encode_signal(m, buf, need, &got);
	if (ret != DOTS_OK || got != need)
		fail("encoding into %zu bytes: %d (%s), size %zu", need, ret,
		    dots_err_name(ret), got);
	*len = got;
	return buf;
}

static void
cbor_round_trip(const struct dots_signal *m, const int res[NROLES])
{
	struct dots_signal *m2;
	struct dots_diag d;
	uint8_t *c1, *c2;
	size_t l1, l2;
	int ret, r2[NROLES], role;
	char text[DOTS_DIAG_PATH_MAX + DOTS_DIAG_MSG_MAX + 8];

	c1 = encode_cbor(m, &l1);
	if (l1 > DOTS_CBOR_MAX_BODY) {
		/* legal, but the decoder would refuse it as too big */
		free(c1);
		return;
	}
	ret = dots_cbor_decode_signal(c1, l1, &m2, &d);
	check_diag(&d, ret, "dots_cbor_decode_signal (re-encoded)");
	if (ret != DOTS_OK)
		fail("re-encoded CBOR does not decode: %s",
		    diag_text(&d, text, sizeof(text)));
	if (d.nwarn_total != 0)
		fail("re-encoded CBOR decodes with warnings: %s",
		    d.warn[0].msg);
	if (!dots_signal_equal(m, m2))
		fail("CBOR round trip changed the message");

	c2 = encode_cbor(m2, &l2);
	if (l1 != l2 || memcmp(c1, c2, l1) != 0)
		fail("CBOR encoding is not deterministic (%zu vs %zu bytes)",
		    l1, l2);

	validate_all(m2, r2);
	for (role = ROLE_FIRST; role <= ROLE_LAST; role++)
		if (r2[role] != res[role])
			fail("role %d: validates %d before and %d after the "
			    "CBOR round trip", role, res[role], r2[role]);

	free(c1);
	free(c2);
	dots_signal_free(m2);
}

static void
json_round_trip(const struct dots_signal *m)
{
	struct dots_signal *m2;
	struct dots_diag d;
	char *j1, *j2;
	int ret, err = 0;
	char text[DOTS_DIAG_PATH_MAX + DOTS_DIAG_MSG_MAX + 8];

	j1 = dots_json_encode_signal(m, 0, &err);
	if (j1 == NULL || err != DOTS_OK)
		fail("a decoded message does not encode to JSON: %d (%s)",
		    err, dots_err_name(err));
	ret = dots_json_decode_signal(j1, strlen(j1), 0, &m2, &d);
	check_diag(&d, ret, "dots_json_decode_signal (re-encoded)");
	if (ret != DOTS_OK)
		fail("re-encoded JSON does not decode: %s\n%s",
		    diag_text(&d, text, sizeof(text)), j1);
	if (d.nwarn_total != 0)
		fail("re-encoded JSON decodes with warnings: %s\n%s",
		    d.warn[0].msg, j1);
	if (!dots_signal_equal(m, m2))
		fail("JSON round trip changed the message:\n%s", j1);

	j2 = dots_json_encode_signal(m2, 0, &err);
	if (j2 == NULL || err != DOTS_OK)
		fail("JSON round trip: second encoding failed: %d", err);
	if (strcmp(j1, j2) != 0)
		fail("JSON encoding is not deterministic:\n%s\n%s", j1, j2);

	free(j1);
	free(j2);
	dots_signal_free(m2);
}

#endif /* DOTS_FUZZ_SIGNAL_CHECKS_H */
