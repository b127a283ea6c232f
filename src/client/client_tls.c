/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Credentials of the client and the check of the server's certificate.
 *
 * The CA, certificate and key are read once into memory and handed to
 * libcoap as PEM buffers: given file names, libcoap 4.3.1 re-reads the
 * files on every handshake, and a reconnection under attack is the worst
 * time for that.  The server's certificate must chain to the CA (checked
 * by GnuTLS) and carry the configured server name as a DNS name or IP
 * address (RFC 9132 section 8, RFC 6125), checked here since libcoap
 * does not.
 *
 * libcoap reports handshake failures only through its log, so the last
 * warning it logged is kept and becomes the text of a failed connection.
 */
#define _DEFAULT_SOURCE		/* explicit_bzero */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "client_int.h"
#include "cuid.h"

static char	cl_log_buf[DOTS_CLIENT_DIAG_MAX];

/* libcoap's "***ADDR <-> ADDR (ifN) " session prefix: the caller knows. */
static const char *
skip_session(const char *m)
{
	const char *p;

	if (strncmp(m, "***", 3) != 0 || (p = strstr(m, " <-> ")) == NULL ||
	    (p = strchr(p + 5, ' ')) == NULL)
		return m;
	if (strncmp(p, " (if", 4) == 0 && (p = strchr(p + 1, ' ')) == NULL)
		return m;
	return p + 1;
}

static void
cl_log_handler(coap_log_t level, const char *message)
{
	size_t n;

	if (level > LOG_WARNING)
		return;
	snprintf(cl_log_buf, sizeof(cl_log_buf), "%s", skip_session(message));
	n = strlen(cl_log_buf);
	while (n > 0 && (cl_log_buf[n - 1] == '\n' || cl_log_buf[n - 1] == ' '))
		cl_log_buf[--n] = '\0';
}

/* Forget libcoap's last message: a new attempt starts. */
void
cl_log_start(void)
{
	coap_set_log_handler(cl_log_handler);
	cl_log_buf[0] = '\0';
}

const char *
cl_log_last(void)
{
	return cl_log_buf;
}

static int
read_pem(const char *path, struct cl_pem *p, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
	    n > 1024 * 1024 || fseek(f, 0, SEEK_SET) != 0) {
		snprintf(err, errlen, "%s: empty or unreadable", path);
		fclose(f);
		return -1;
	}
	p->data = malloc((size_t)n + 1);
	if (p->data == NULL || fread(p->data, 1, (size_t)n, f) != (size_t)n) {
		snprintf(err, errlen, "%s: read failed", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	p->data[n] = '\0';
	p->len = (size_t)n + 1;
	return 0;
}

static void
pem_free(struct cl_pem *p)
{
	if (p->data != NULL)
		explicit_bzero(p->data, p->len);
	free(p->data);
	p->data = NULL;
	p->len = 0;
}

/* Called by libcoap for each certificate of the server's chain. */
static int
cl_verify_server(const char *cn, const uint8_t *der, size_t len,
    coap_session_t *session, unsigned depth, int validated, void *arg)
{
	struct dots_client *c = arg;
	gnutls_x509_crt_t crt;
	gnutls_datum_t in = { (unsigned char *)(uintptr_t)der,
	    (unsigned int)len };
	int ok;

	(void)session;
	if (!validated) {
		snprintf(c->tls_err, sizeof(c->tls_err), "the server's "
		    "certificate (CN=%s) does not chain to the CA",
		    cn ? cn : "-");
		return 0;
	}
	if (depth != 0)
		return 1;
	if (gnutls_x509_crt_init(&crt) < 0)
		return 0;
	ok = gnutls_x509_crt_import(crt, &in, GNUTLS_X509_FMT_DER) >= 0 &&
	    gnutls_x509_crt_check_hostname2(crt, c->server_name, 0) != 0;
	gnutls_x509_crt_deinit(crt);
	if (!ok)
		snprintf(c->tls_err, sizeof(c->tls_err), "the server's "
		    "certificate (CN=%s) is not for %s", cn ? cn : "-",
		    c->server_name);
	return ok;
}

/*
 * Refuse a CA file without a certificate, or a key that does not go
 * with the certificate, now rather than at every handshake.
 */
static int
check_pki(struct dots_client *c, const struct dots_client_params *p,
    char *err, size_t errlen)
{
	gnutls_certificate_credentials_t cred;
	gnutls_datum_t ca = { c->ca.data, (unsigned int)c->ca.len - 1 };
	gnutls_datum_t cert = { c->cert.data, (unsigned int)c->cert.len - 1 };
	gnutls_datum_t key = { c->key.data, (unsigned int)c->key.len - 1 };
	int ret = -1;

	if (gnutls_certificate_allocate_credentials(&cred) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (gnutls_certificate_set_x509_trust_mem(cred, &ca,
	    GNUTLS_X509_FMT_PEM) <= 0)
		snprintf(err, errlen, "%s: no CA certificate", p->ca_file);
	else if (gnutls_certificate_set_x509_key_mem(cred, &cert, &key,
	    GNUTLS_X509_FMT_PEM) < 0)
		snprintf(err, errlen, "%s: not the key of %s, or unreadable",
		    p->key_file, p->cert_file);
	else
		ret = 0;
	gnutls_certificate_free_credentials(cred);
	return ret;
}

static void
setup_pki(struct dots_client *c)
{
	coap_dtls_pki_t *pki = &c->pki;

	memset(pki, 0, sizeof(*pki));
	pki->version = COAP_DTLS_PKI_SETUP_VERSION;
	pki->verify_peer_cert = 1;
	pki->check_common_ca = 1;
	pki->allow_self_signed = 0;
	pki->allow_expired_certs = 0;
	pki->cert_chain_validation = 1;
	pki->cert_chain_verify_depth = 3;
	pki->validate_cn_call_back = cl_verify_server;
	pki->cn_call_back_arg = c;
	pki->client_sni = c->server_name;
	pki->pki_key.key_type = COAP_PKI_KEY_PEM_BUF;
	pki->pki_key.key.pem_buf.ca_cert = c->ca.data;
	pki->pki_key.key.pem_buf.ca_cert_len = c->ca.len;
	pki->pki_key.key.pem_buf.public_cert = c->cert.data;
	pki->pki_key.key.pem_buf.public_cert_len = c->cert.len;
	pki->pki_key.key.pem_buf.private_key = c->key.data;
	pki->pki_key.key.pem_buf.private_key_len = c->key.len;
}

static void
setup_psk(struct dots_client *c)
{
	coap_dtls_cpsk_t *psk = &c->psk;

	memset(psk, 0, sizeof(*psk));
	psk->version = COAP_DTLS_CPSK_SETUP_VERSION;
	psk->client_sni = c->server_name;
	psk->psk_info.identity.s = (const uint8_t *)c->psk_identity;
	psk->psk_info.identity.length = strlen(c->psk_identity);
	psk->psk_info.key.s = c->psk_key;
	psk->psk_info.key.length = c->psk_key_len;
}

/* Read the credentials and derive the cuid (unless one was given). */
int
cl_tls_load(struct dots_client *c, const struct dots_client_params *p,
    char *err, size_t errlen)
{
	if (p->psk_identity != NULL) {
		c->psk_identity = strdup(p->psk_identity);
		c->psk_key = malloc(p->psk_key_len);
		if (c->psk_identity == NULL || c->psk_key == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		memcpy(c->psk_key, p->psk_key, p->psk_key_len);
		c->psk_key_len = p->psk_key_len;
		if (c->cuid[0] == '\0' && cuid_from_psk_identity(
		    (const uint8_t *)c->psk_identity, strlen(c->psk_identity),
		    c->cuid, sizeof(c->cuid)) != 0) {
			snprintf(err, errlen, "cannot derive a cuid from the "
			    "PSK identity");
			return -1;
		}
		setup_psk(c);
		return 0;
	}
	if (read_pem(p->ca_file, &c->ca, err, errlen) != 0 ||
	    read_pem(p->cert_file, &c->cert, err, errlen) != 0 ||
	    read_pem(p->key_file, &c->key, err, errlen) != 0)
		return -1;
	if (c->cuid[0] == '\0' && cuid_from_pem(c->cert.data, c->cert.len - 1,
	    c->cuid, sizeof(c->cuid), NULL) != 0) {
		snprintf(err, errlen, "%s: not a PEM certificate",
		    p->cert_file);
		return -1;
	}
	if (check_pki(c, p, err, errlen) != 0)
		return -1;
	setup_pki(c);
	return 0;
}

void
cl_tls_free(struct dots_client *c)
{
	pem_free(&c->ca);
	pem_free(&c->cert);
	pem_free(&c->key);
	if (c->psk_key != NULL)
		explicit_bzero(c->psk_key, c->psk_key_len);
	free(c->psk_key);
	free(c->psk_identity);
}

coap_session_t *
cl_tls_session(struct dots_client *c, const coap_address_t *dst)
{
	coap_proto_t proto = c->transport == DOTS_TRANSPORT_TLS ?
	    COAP_PROTO_TLS : COAP_PROTO_DTLS;

	if (c->psk_identity != NULL)
		return coap_new_client_session_psk2(c->ctx, NULL, dst, proto,
		    &c->psk);
	return coap_new_client_session_pki(c->ctx, NULL, dst, proto, &c->pki);
}
