/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fuzz target: dots_json_decode_signal() on arbitrary bytes.
 *
 * The low bit of the first byte chooses DOTS_JSON_LENIENT; the byte stays
 * part of the text, so a body starting with '{' (0x7b) is read leniently,
 * and one starting with a space or '\n' (0x20, 0x0a) strictly.
 *
 * Beyond "no crash, no leak, no sanitizer report", every input that
 * decodes must satisfy these invariants, or the target aborts:
 *
 *  - the diag agrees with the return code and its strings are terminated;
 *  - dots_validate_signal() returns DOTS_OK or a negative code for every
 *    role, with the diag filled accordingly;
 *  - the message encodes to JSON, which decodes strictly (flags 0) and
 *    without warnings to a dots_signal_equal() message, which encodes again
 *    to the same text;
 *  - the message encodes to CBOR (the size query gives the size needed, and
 *    a buffer one byte short is refused with DOTS_ENOSPC without being
 *    overrun); that CBOR decodes, without warnings, to an equal message
 *    that validates the same way for every role and encodes again to the
 *    same bytes.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/cbor.h>
#include <dots/json.h>
#include <dots/validate.h>

#include "fuzz.h"

static const char *const fuzz_name = "fuzz_json_signal";

#include "signal_checks.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dots_signal *m = (struct dots_signal *)1;
	struct dots_diag d;
	unsigned flags;
	int ret, res[NROLES];

	flags = size > 0 && (data[0] & 1) ? DOTS_JSON_LENIENT : 0;
	ret = dots_json_decode_signal((const char *)data, size, flags, &m, &d);
	check_diag(&d, ret, "dots_json_decode_signal");
	if (ret != DOTS_OK) {
		if (m != NULL)
			fail("decode failed but *out is not NULL");
		return 0;
	}
	if (m == NULL)
		fail("decode succeeded but *out is NULL");

	validate_all(m, res);
	json_round_trip(m);
	cbor_round_trip(m, res);

	dots_signal_free(m);
	return 0;
}
