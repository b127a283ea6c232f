/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The client identifier of RFC 9132 section 4.4.1.1, as both ends derive
 * it: SHA-256 of the DER SubjectPublicKeyInfo of the client's certificate
 * (or of its PSK identity), the first 16 bytes, base64url without
 * padding: 22 characters.  dotsd derives it from the peer's certificate,
 * the client library from its own, so both must use this one function.
 */
#ifndef DOTS_CUID_H
#define DOTS_CUID_H

#include <stddef.h>
#include <stdint.h>

#define CUID_LEN	22	/* 16 bytes in base64url */
#define CUID_FULL_LEN	43	/* the whole 32-byte digest in base64url */

/* cuid.c */

/**
 * cuid of the certificate @p der [borrow]; and, if @p full is not NULL
 * (CUID_FULL_LEN + 1 bytes), the whole SHA-256 in base64url, as dotsd's
 * `identity "spki:..."` accepts it.
 * @param cuidlen at least CUID_LEN + 1
 * @return 0, or -1 if the certificate cannot be parsed
 */
int	cuid_from_der(const uint8_t *der, size_t len, char *cuid,
	    size_t cuidlen, char *full);

/** The same for a PEM certificate (the first one in @p pem). */
int	cuid_from_pem(const uint8_t *pem, size_t len, char *cuid,
	    size_t cuidlen, char *full);

/** cuid of a PSK identity: SHA-256 of the identity's bytes. */
int	cuid_from_psk_identity(const uint8_t *id, size_t len, char *cuid,
	    size_t cuidlen);

/** base64url (RFC 4648 section 5) without padding; @p out needs
 * (len * 4 + 2) / 3 + 1 bytes. */
void	cuid_base64url(const uint8_t *in, size_t len, char *out);

#endif /* DOTS_CUID_H */
