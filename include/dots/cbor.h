/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * CBOR codec of signal-channel bodies (application/dots+cbor), exactly per
 * the key table of RFC 9132 section 6 and the extension keys of RFC 9066,
 * RFC 9133 and RFC 9362 (see keys.h).
 */
#ifndef DOTS_CBOR_H
#define DOTS_CBOR_H

#include <stddef.h>
#include <stdint.h>

#include <dots/error.h>
#include <dots/model.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest body the decoder accepts (a Q-Block body may span datagrams). */
#define DOTS_CBOR_MAX_BODY	(64 * 1024)

/**
 * Decode one signal-channel body.
 *
 * Accepts what RFC 8949 allows a peer to send: any map order, indefinite
 * lengths, non-shortest integers, an optional leading tag 271.  Unknown
 * comprehension-optional keys are skipped with a warning in @p diag;
 * anything else that does not fit the YANG modules is an error naming the
 * field.
 *
 * @param buf  the body [borrow]
 * @param out  receives a **new** message on success, NULL on error
 * @param diag receives the error or warnings; may be NULL
 * @return DOTS_OK or a negative dots_err
 */
int	dots_cbor_decode_signal(const uint8_t *buf, size_t len,
	    struct dots_signal **out, struct dots_diag *diag);

/**
 * Encode a message as deterministic CBOR (RFC 8949 section 4.2.1: shortest
 * forms, definite lengths, map keys in ascending order).
 *
 * @param outlen receives the encoded size; on DOTS_ENOSPC, the size needed
 * @return DOTS_OK, DOTS_ENOSPC, or DOTS_EINVAL for a message that cannot be
 *         represented (e.g. an empty string)
 */
int	dots_cbor_encode_signal(const struct dots_signal *m, uint8_t *buf,
	    size_t cap, size_t *outlen);

#ifdef __cplusplus
}
#endif

#endif /* DOTS_CBOR_H */
