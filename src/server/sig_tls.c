/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Authentication of the signal channel and client identity: mutual X.509
 * or a pre-shared key, on DTLS and TLS alike.
 *
 * The CA, certificate and key are read once into memory and handed to
 * libcoap as PEM buffers: given file names, libcoap re-reads them on every
 * handshake.  The peer certificate is checked against the CA by the TLS
 * library; then sig_verify_peer() maps it to a configured client, by its
 * CN ("cn:NAME") or by its RFC 9132 cuid ("spki:CUID", SHA-256 of the
 * SubjectPublicKeyInfo, first 16 bytes, base64url).  A PSK handshake
 * names an identity; sig_verify_psk() gives the TLS library the key of
 * the client configured with it, and the session's cuid is the SHA-256 of
 * the identity, cut the same way (RFC 9132 section 4.4.1.1).  A
 * certificate or identity that maps to no client is refused during the
 * handshake, as is a wrong key: no unauthenticated or unknown client ever
 * reaches a handler.
 *
 * Every authenticated session is on the dotsd's list of sessions, so
 * that the server can send heartbeats to each (sig_hb.c); it leaves the
 * list when libcoap deletes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuid.h"
#include "dotsd.h"
#include "log.h"

struct pem {
	uint8_t	*data;
	size_t	 len;	/* including the final NUL, as libcoap prefers */
};

static struct pem ca_pem, cert_pem, key_pem;
static coap_bin_const_t psk_answer;	/* libcoap copies it at once */
/* PSK identities are the peer's choice: their messages are rate-limited */
static struct log_rl psk_rl = LOG_RL_INIT(10, 1000);

static int
read_pem(const char *path, struct pem *p, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %m", path);
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
	    n > 1024 * 1024 || fseek(f, 0, SEEK_SET) != 0) {
		snprintf(err, errlen, "%s: empty or unreadable", path);
		fclose(f);
		return -1;
	}
	free(p->data);
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

struct dotsd_client *
sig_match_client(struct dotsd *d, const char *cn, const char *cuid,
    const char *full)
{
	char want[sizeof(((struct dotsd_client *)0)->identity)];
	size_t i;

	for (i = 0; i < d->nclients; i++) {
		const char *id = d->clients[i].identity;

		snprintf(want, sizeof(want), "cn:%s", cn ? cn : "");
		if (cn != NULL && strcmp(id, want) == 0)
			return &d->clients[i];
		snprintf(want, sizeof(want), "spki:%s", cuid);
		if (strcmp(id, want) == 0)
			return &d->clients[i];
		snprintf(want, sizeof(want), "spki:%s", full);
		if (strcmp(id, want) == 0)
			return &d->clients[i];
	}
	return NULL;
}

/* A configuration stored before a restart goes back to its client. */
static void
restore_config(struct dotsd *d, struct dotsd_client *cl, const char *cuid)
{
	size_t i;

	if (cl->has_config)
		return;
	for (i = 0; i < d->nsaved; i++)
		if (strcmp(d->saved[i].cuid, cuid) == 0) {
			cl->has_config = true;
			cl->sid = d->saved[i].sid;
			cl->config = d->saved[i].config;
			return;
		}
}

/*
 * The session belongs to @p cl from now on.  Called during the handshake,
 * which may still fail (a wrong PSK): sig_session_event() undoes it when
 * libcoap deletes the session, whatever the outcome.
 */
static int
bind_session(struct dotsd *d, coap_session_t *session, struct dotsd_client *cl,
    const char *cuid, bool psk)
{
	struct sig_session *ss = coap_session_get_app_data(session);

	if (ss == NULL) {
		ss = calloc(1, sizeof(*ss));
		if (ss == NULL)
			return -1;
		ss->session = session;
		coap_session_set_app_data(session, ss);
		LIST_INSERT_HEAD(&d->sessions, ss, entry);
	} else if (ss->client != NULL)
		ss->client->sessions--;
	cl->sessions++;
	ss->client = cl;
	ss->psk = psk;
	ss->hb_sent = time(NULL);	/* the first one an interval later */
	memcpy(ss->cuid, cuid, sizeof(ss->cuid));
	restore_config(d, cl, cuid);
	return 0;
}

/* A peer's identity for the log: printable ASCII, other bytes as \xHH. */
static void
printable(const uint8_t *in, size_t len, char *out, size_t outlen)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 5 < outlen; i++) {
		if (in[i] >= 0x20 && in[i] < 0x7f && in[i] != '"' &&
		    in[i] != '\\')
			out[o++] = (char)in[i];
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x",
			    in[i]);
	}
	out[o] = '\0';
}

/* Called by libcoap once the chain checked out; depth 0 is the peer. */
static int
sig_verify_peer(const char *cn, const uint8_t *der, size_t len,
    coap_session_t *session, unsigned depth, int validated, void *arg)
{
	struct dotsd *d = arg;
	struct dotsd_client *cl;
	char cuid[CUID_LEN + 1], full[CUID_FULL_LEN + 1];

	if (!validated)
		return 0;
	if (depth != 0)
		return 1;	/* CA certificates: the library checked them */
	if (cuid_from_der(der, len, cuid, sizeof(cuid), full) != 0)
		return 0;
	cl = sig_match_client(d, cn, cuid, full);
	if (cl == NULL) {
		coap_log(LOG_WARNING, "refused certificate CN=%s cuid=%s: "
		    "no such client configured\n", cn ? cn : "-", cuid);
		return 0;
	}
	return bind_session(d, session, cl, cuid, false) == 0;
}

/*
 * PSK handshake: the key of the client with this identity, or NULL to
 * refuse.  The TLS library then checks that the peer holds the key.
 */
static const coap_bin_const_t *
sig_verify_psk(coap_bin_const_t *identity, coap_session_t *session,
    void *arg)
{
	struct dotsd *d = arg;
	struct dotsd_client *cl = NULL;
	char cuid[CUID_LEN + 1], shown[4 * DOTSD_PSK_ID_MAX + 1];
	size_t i;

	for (i = 0; i < d->nclients && identity->length > 0; i++) {
		const char *id = d->clients[i].psk_identity;

		if (strlen(id) == identity->length &&
		    memcmp(id, identity->s, identity->length) == 0) {
			cl = &d->clients[i];
			break;
		}
	}
	if (cl == NULL || cl->psk_key_len == 0) {
		printable(identity->s, identity->length, shown, sizeof(shown));
		log_rl_warnx(&psk_rl, "refused PSK identity \"%s\": no such "
		    "client configured", shown);
		return NULL;
	}
	if (cuid_from_psk_identity(identity->s, identity->length, cuid,
	    sizeof(cuid)) != 0 ||
	    bind_session(d, session, cl, cuid, true) != 0)
		return NULL;
	psk_answer.s = cl->psk_key;
	psk_answer.length = cl->psk_key_len;
	return &psk_answer;
}

struct sig_session *
sig_session_of(coap_session_t *s)
{
	struct sig_session *ss = coap_session_get_app_data(s);

	if (ss == NULL || ss->client == NULL)
		return NULL;
	/*
	 * Traffic on the session: the handshake is over, and with a PSK
	 * only now do we know the peer holds the key.  libcoap has no event
	 * for the end of a DTLS handshake on the server side.
	 */
	if (!ss->established) {
		ss->established = true;
		if (ss->psk)
			log_rl_info(&psk_rl, "client %s: PSK identity \"%s\", "
			    "cuid %s", ss->client->mc.name,
			    ss->client->psk_identity, ss->cuid);
	}
	return ss;
}

void
sig_session_event(struct dotsd *d, coap_session_t *s, coap_event_t ev)
{
	struct sig_session *ss;

	(void)d;
	ss = coap_session_get_app_data(s);
	if (ss == NULL)
		return;
	if (ev != COAP_EVENT_SERVER_SESSION_DEL)
		return;
	if (ss->client != NULL)
		ss->client->sessions--;
	LIST_REMOVE(ss, entry);
	coap_session_set_app_data(s, NULL);
	free(ss);
}

int
sig_tls_setup(struct dotsd *d, const char *ca_file, const char *cert_file,
    const char *key_file, char *err, size_t errlen)
{
	coap_dtls_pki_t pki;
	coap_dtls_spsk_t psk;

	if (read_pem(ca_file, &ca_pem, err, errlen) != 0 ||
	    read_pem(cert_file, &cert_pem, err, errlen) != 0 ||
	    read_pem(key_file, &key_pem, err, errlen) != 0)
		return -1;
	memset(&pki, 0, sizeof(pki));
	pki.version = COAP_DTLS_PKI_SETUP_VERSION;
	pki.verify_peer_cert = 1;
	pki.check_common_ca = 1;
	pki.allow_self_signed = 0;
	pki.allow_expired_certs = 0;
	pki.cert_chain_validation = 1;
	pki.cert_chain_verify_depth = 3;
	pki.validate_cn_call_back = sig_verify_peer;
	pki.cn_call_back_arg = d;
	pki.pki_key.key_type = COAP_PKI_KEY_PEM_BUF;
	pki.pki_key.key.pem_buf.ca_cert = ca_pem.data;
	pki.pki_key.key.pem_buf.ca_cert_len = ca_pem.len;
	pki.pki_key.key.pem_buf.public_cert = cert_pem.data;
	pki.pki_key.key.pem_buf.public_cert_len = cert_pem.len;
	pki.pki_key.key.pem_buf.private_key = key_pem.data;
	pki.pki_key.key.pem_buf.private_key_len = key_pem.len;
	if (!coap_context_set_pki(d->ctx, &pki)) {
		snprintf(err, errlen, "the TLS library refused the "
		    "certificate, key or CA");
		return -1;
	}
	/*
	 * Always on, even with no PSK client yet: a reload may add one.  An
	 * identity no client has is refused like an unknown certificate.
	 */
	memset(&psk, 0, sizeof(psk));
	psk.version = COAP_DTLS_SPSK_SETUP_VERSION;
	psk.validate_id_call_back = sig_verify_psk;
	psk.id_call_back_arg = d;
	if (!coap_context_set_psk2(d->ctx, &psk)) {
		snprintf(err, errlen, "the TLS library refused PSK set-up");
		return -1;
	}
	return 0;
}
