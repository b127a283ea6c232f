/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Turning an answer's code, Content-Format and payload into a struct
 * dots_reply: a CBOR body is decoded with libdots (a body that does not
 * decode is reported as DOTS_CLIENT_EDECODE with the decoder's reason);
 * the payload of an error without a CBOR body is its diagnostic text.
 * No libcoap here, so that the unit tests can feed it any bytes.
 */
#include <stdio.h>
#include <string.h>

#include <dots/cbor.h>
#include <dots/keys.h>

#include "client_int.h"

/* The diagnostic payload as printable text, cut to fit. */
static void
copy_text(char *dst, size_t dstlen, const uint8_t *data, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n + 1 < dstlen; i++)
		dst[n++] = (data[i] >= 0x20 && data[i] < 0x7f) ||
		    data[i] >= 0x80 ? (char)data[i] : '?';
	dst[n] = '\0';
}

void
cl_reply_fill(struct dots_reply *r, int code, int content_format,
    const uint8_t *data, size_t len)
{
	struct dots_diag diag;
	struct dots_signal *m;
	int cls = code / 100;

	r->code = code;
	r->body = NULL;
	r->diag[0] = '\0';
	if (len == 0)
		return;
	/*
	 * CBOR when the server says so; a 2.xx with a payload must be
	 * CBOR anyway (RFC 9132 section 3), so it is decoded even without
	 * the option.  4.09 and 5.03 carry CBOR with the option.
	 */
	if (content_format != DOTS_CONTENT_FORMAT &&
	    !(content_format < 0 && cls == 2)) {
		if (cls == 2) {
			r->error = DOTS_CLIENT_EDECODE;
			snprintf(r->diag, sizeof(r->diag), "answer body with "
			    "Content-Format %d, not application/dots+cbor",
			    content_format);
		} else
			copy_text(r->diag, sizeof(r->diag), data, len);
		return;
	}
	if (dots_cbor_decode_signal(data, len, &m, &diag) != DOTS_OK) {
		r->error = DOTS_CLIENT_EDECODE;
		dots_diag_format(&diag, r->diag, sizeof(r->diag));
		return;
	}
	r->body = m;
}

/*
 * RFC 7641 section 3.4: is notification @p v newer than the last one
 * (@p old, received at @p old_at ms)?  Observe values are 24-bit serial
 * numbers; after 128 s any value is taken as newer.
 */
bool
cl_observe_fresh(bool have_old, uint32_t old, uint64_t old_at, uint32_t v,
    uint64_t now)
{
	const uint32_t half = 1u << 23;

	if (!have_old || now > old_at + 128 * 1000)
		return true;
	return (old < v && v - old < half) || (old > v && old - v > half);
}
