/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * cuid derivation (RFC 9132 section 4.4.1.1) with GnuTLS: the public key
 * is taken out of the certificate and exported again as DER, so that the
 * digest covers exactly the SubjectPublicKeyInfo, whatever else the
 * certificate holds.
 */
#include <stdint.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "cuid.h"

void
cuid_base64url(const uint8_t *in, size_t len, char *out)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i;
	uint32_t v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];
		*out++ = tbl[v >> 18 & 63];
		*out++ = tbl[v >> 12 & 63];
		*out++ = tbl[v >> 6 & 63];
		*out++ = tbl[v & 63];
	}
	if (len - i == 1) {
		v = (uint32_t)in[i] << 16;
		*out++ = tbl[v >> 18 & 63];
		*out++ = tbl[v >> 12 & 63];
	} else if (len - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		*out++ = tbl[v >> 18 & 63];
		*out++ = tbl[v >> 12 & 63];
		*out++ = tbl[v >> 6 & 63];
	}
	*out = '\0';
}

static int
from_cert(const uint8_t *buf, size_t len, gnutls_x509_crt_fmt_t fmt,
    char *cuid, size_t cuidlen, char *full)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_pubkey_t key = NULL;
	gnutls_datum_t in = { (unsigned char *)(uintptr_t)buf,
	    (unsigned int)len }, spki = { NULL, 0 };
	uint8_t digest[32];
	int ret = -1;

	if (buf == NULL || cuidlen < CUID_LEN + 1 || len > UINT32_MAX)
		return -1;
	if (gnutls_x509_crt_init(&crt) < 0 ||
	    gnutls_x509_crt_import(crt, &in, fmt) < 0 ||
	    gnutls_pubkey_init(&key) < 0 ||
	    gnutls_pubkey_import_x509(key, crt, 0) < 0 ||
	    gnutls_pubkey_export2(key, GNUTLS_X509_FMT_DER, &spki) < 0 ||
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, spki.data, spki.size,
	    digest) < 0)
		goto out;
	cuid_base64url(digest, 16, cuid);	/* 22 characters */
	if (full != NULL)
		cuid_base64url(digest, 32, full);
	ret = 0;
out:
	gnutls_free(spki.data);
	if (key != NULL)
		gnutls_pubkey_deinit(key);
	if (crt != NULL)
		gnutls_x509_crt_deinit(crt);
	return ret;
}

int
cuid_from_der(const uint8_t *der, size_t len, char *cuid, size_t cuidlen,
    char *full)
{
	return from_cert(der, len, GNUTLS_X509_FMT_DER, cuid, cuidlen, full);
}

int
cuid_from_pem(const uint8_t *pem, size_t len, char *cuid, size_t cuidlen,
    char *full)
{
	return from_cert(pem, len, GNUTLS_X509_FMT_PEM, cuid, cuidlen, full);
}

int
cuid_from_psk_identity(const uint8_t *id, size_t len, char *cuid,
    size_t cuidlen)
{
	uint8_t digest[32];

	if (id == NULL || len == 0 || cuidlen < CUID_LEN + 1 ||
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, id, len, digest) < 0)
		return -1;
	cuid_base64url(digest, 16, cuid);
	return 0;
}
