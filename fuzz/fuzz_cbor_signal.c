/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fuzz target: dots_cbor_decode_signal() on arbitrary bytes.
 *
 * Beyond "no crash, no leak, no sanitizer report", every input that
 * decodes must satisfy these invariants, or the target aborts:
 *
 *  - the diag agrees with the return code and its strings are terminated;
 *  - dots_validate_signal() returns DOTS_OK or a negative code for every
 *    role, with the diag filled accordingly;
 *  - the message encodes to CBOR (a decoded message is always
 *    representable), the size query gives the size needed, and a buffer one
 *    byte short is refused with DOTS_ENOSPC without being overrun;
 *  - that CBOR decodes, without warnings, to a dots_signal_equal() message
 *    that validates the same way for every role, and encodes again to the
 *    same bytes (deterministic encoding);
 *  - the message encodes to JSON, which decodes (strict, flags 0), without
 *    warnings, to an equal message, which encodes again to the same text.
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

static const char *const fuzz_name = "fuzz_cbor_signal";

#include "signal_checks.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dots_signal *m = (struct dots_signal *)1;
	struct dots_diag d;
	int ret, res[NROLES];

	ret = dots_cbor_decode_signal(data, size, &m, &d);
	check_diag(&d, ret, "dots_cbor_decode_signal");
	if (ret != DOTS_OK) {
		if (m != NULL)
			fail("decode failed but *out is not NULL");
		return 0;
	}
	if (m == NULL)
		fail("decode succeeded but *out is NULL");

	validate_all(m, res);
	cbor_round_trip(m, res);
	json_round_trip(m);

	dots_signal_free(m);
	return 0;
}
