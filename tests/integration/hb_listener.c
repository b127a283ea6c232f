/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * hb_listener: a DOTS client that only listens for the server's
 * heartbeats (RFC 9132 section 4.7), for server_hb.sh.  coap-client
 * cannot show or answer requests that come to it, so this does.
 *
 *   hb_listener [-tnf] [-s SECONDS] [-w SECONDS] (-c CERT -j KEY -C CA |
 *       -u IDENTITY -k KEY) HOST PORT
 *
 * It opens a DTLS (or with -t, TLS) session, sends a heartbeat of its own
 * (peer-hb-status true, or false with -f) and prints the answer, then
 * listens for SECONDS (default 5).  Each PUT /.well-known/dots/hb that
 * comes is printed as
 *
 *	hb SECONDS TYPE CONTENT-FORMAT HEX
 *
 * (SECONDS since the answer, one decimal; TYPE NON, CON or TCP; HEX the
 * body) and answered 2.04, unless -n: then it is not answered at all.
 * -w SECONDS sends another heartbeat of ours at that time, as traffic
 * that shows the client is there.  At the end: "heartbeats N".  Exit
 * status 0, or 1 if the first heartbeat got no answer.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <coap3/coap.h>

#define CF_DOTS	271

static int answer = 1;
static int nheartbeats;
static int got_response;
static struct timespec t0;

static double
since_start(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0.tv_sec) +
	    (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
}

static _Noreturn void
usage(void)
{
	fprintf(stderr, "usage: hb_listener [-tnf] [-s SECONDS] "
	    "[-w SECONDS] (-c CERT -j KEY -C CA | -u ID -k KEY) HOST PORT\n");
	exit(2);
}

static void
on_hb(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
    const coap_string_t *query, coap_pdu_t *resp)
{
	coap_opt_iterator_t it;
	coap_opt_t *opt;
	const uint8_t *data;
	size_t len, i;
	const char *type;
	int cf = -1;

	(void)r;
	(void)query;
	if (coap_session_get_proto(s) == COAP_PROTO_TLS)
		type = "TCP";
	else
		type = coap_pdu_get_type(req) == COAP_MESSAGE_NON ? "NON" :
		    coap_pdu_get_type(req) == COAP_MESSAGE_CON ? "CON" : "?";
	opt = coap_check_option(req, COAP_OPTION_CONTENT_FORMAT, &it);
	if (opt != NULL)
		cf = (int)coap_decode_var_bytes(coap_opt_value(opt),
		    coap_opt_length(opt));
	printf("hb %.1f %s %d ", since_start(), type, cf);
	if (coap_get_data(req, &len, &data))
		for (i = 0; i < len; i++)
			printf("%02x", data[i]);
	printf("\n");
	fflush(stdout);
	nheartbeats++;
	if (answer)
		coap_pdu_set_code(resp, COAP_RESPONSE_CODE(204));
	/* else code 0: libcoap sends nothing for a NON or TCP request */
}

static coap_response_t
on_response(coap_session_t *s, const coap_pdu_t *sent, const coap_pdu_t *rcvd,
    const coap_mid_t mid)
{
	coap_pdu_code_t code = coap_pdu_get_code(rcvd);

	(void)s;
	(void)sent;
	(void)mid;
	printf("response %d.%02d\n", COAP_RESPONSE_CLASS(code), code & 0x1f);
	fflush(stdout);
	got_response = 1;
	return COAP_RESPONSE_OK;
}

static int
send_hb(coap_session_t *s, int status)
{
	/* {"ietf-dots-signal-channel:heartbeat":{"peer-hb-status":status}} */
	uint8_t body[] = { 0xa1, 0x18, 0x31, 0xa1, 0x18, 0x33, 0xf5 };
	uint8_t token[8], cf[4];
	size_t toklen;
	coap_pdu_t *pdu;

	if (!status)
		body[6] = 0xf4;
	pdu = coap_pdu_init(COAP_MESSAGE_NON, COAP_REQUEST_CODE_PUT,
	    coap_new_message_id(s), coap_session_max_pdu_size(s));
	if (pdu == NULL)
		return -1;
	coap_session_new_token(s, &toklen, token);
	coap_add_token(pdu, toklen, token);
	coap_add_option(pdu, COAP_OPTION_URI_PATH, 11,
	    (const uint8_t *)".well-known");
	coap_add_option(pdu, COAP_OPTION_URI_PATH, 4, (const uint8_t *)"dots");
	coap_add_option(pdu, COAP_OPTION_URI_PATH, 2, (const uint8_t *)"hb");
	coap_add_option(pdu, COAP_OPTION_CONTENT_FORMAT,
	    coap_encode_var_safe(cf, sizeof(cf), CF_DOTS), cf);
	coap_add_data(pdu, sizeof(body), body);
	return coap_send(s, pdu) == COAP_INVALID_MID ? -1 : 0;
}

static int
verify_cn(const char *cn, const uint8_t *der, size_t len,
    coap_session_t *s, unsigned depth, int validated, void *arg)
{
	(void)cn;
	(void)der;
	(void)len;
	(void)s;
	(void)depth;
	(void)arg;
	return validated;
}

int
main(int argc, char **argv)
{
	const char *cert = NULL, *key = NULL, *ca = NULL, *id = NULL;
	const char *psk = NULL;
	double seconds = 5, wake = -1;
	int ch, tls = 0, first_status = 1, woke = 0;
	coap_context_t *ctx;
	coap_session_t *s;
	coap_resource_t *r;
	coap_address_t dst;

	while ((ch = getopt(argc, argv, "tnfs:w:c:j:C:u:k:")) != -1) {
		switch (ch) {
		case 't':
			tls = 1;
			break;
		case 'n':
			answer = 0;
			break;
		case 'f':
			first_status = 0;
			break;
		case 's':
			seconds = atof(optarg);
			break;
		case 'w':
			wake = atof(optarg);
			break;
		case 'c':
			cert = optarg;
			break;
		case 'j':
			key = optarg;
			break;
		case 'C':
			ca = optarg;
			break;
		case 'u':
			id = optarg;
			break;
		case 'k':
			psk = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2 || ((cert == NULL || key == NULL || ca == NULL) &&
	    (id == NULL || psk == NULL)))
		usage();

	coap_startup();
	coap_set_log_level(LOG_WARNING);
	if ((ctx = coap_new_context(NULL)) == NULL)
		return 1;
	coap_context_set_block_mode(ctx, COAP_BLOCK_USE_LIBCOAP);
	coap_address_init(&dst);
	dst.addr.sin.sin_family = AF_INET;
	dst.addr.sin.sin_port = htons((uint16_t)atoi(argv[1]));
	dst.size = sizeof(dst.addr.sin);
	if (inet_pton(AF_INET, argv[0], &dst.addr.sin.sin_addr) != 1) {
		fprintf(stderr, "hb_listener: %s: not an IPv4 address\n",
		    argv[0]);
		return 1;
	}

	r = coap_resource_init(coap_make_str_const(".well-known/dots/hb"), 0);
	coap_register_handler(r, COAP_REQUEST_PUT, on_hb);
	coap_add_resource(ctx, r);
	coap_register_response_handler(ctx, on_response);

	if (id != NULL) {
		coap_dtls_cpsk_t cpsk;

		memset(&cpsk, 0, sizeof(cpsk));
		cpsk.version = COAP_DTLS_CPSK_SETUP_VERSION;
		cpsk.psk_info.identity.s = (const uint8_t *)id;
		cpsk.psk_info.identity.length = strlen(id);
		cpsk.psk_info.key.s = (const uint8_t *)psk;
		cpsk.psk_info.key.length = strlen(psk);
		s = coap_new_client_session_psk2(ctx, NULL, &dst,
		    tls ? COAP_PROTO_TLS : COAP_PROTO_DTLS, &cpsk);
	} else {
		coap_dtls_pki_t pki;

		memset(&pki, 0, sizeof(pki));
		pki.version = COAP_DTLS_PKI_SETUP_VERSION;
		pki.verify_peer_cert = 1;
		pki.check_common_ca = 1;
		pki.cert_chain_validation = 1;
		pki.cert_chain_verify_depth = 3;
		pki.validate_cn_call_back = verify_cn;
		pki.pki_key.key_type = COAP_PKI_KEY_PEM;
		pki.pki_key.key.pem.ca_file = ca;
		pki.pki_key.key.pem.public_cert = cert;
		pki.pki_key.key.pem.private_key = key;
		s = coap_new_client_session_pki(ctx, NULL, &dst,
		    tls ? COAP_PROTO_TLS : COAP_PROTO_DTLS, &pki);
	}
	if (s == NULL || send_hb(s, first_status) != 0) {
		fprintf(stderr, "hb_listener: cannot start the session\n");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!got_response && since_start() < 5)
		coap_io_process(ctx, 100);
	if (!got_response) {
		printf("no answer\n");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (since_start() < seconds) {
		coap_io_process(ctx, 100);
		if (wake >= 0 && !woke && since_start() >= wake) {
			woke = 1;
			printf("wake %.1f\n", since_start());
			fflush(stdout);
			if (send_hb(s, 1) != 0)
				fprintf(stderr, "hb_listener: cannot send\n");
		}
	}
	printf("heartbeats %d\n", nheartbeats);
	coap_session_release(s);
	coap_free_context(ctx);
	coap_cleanup();
	return 0;
}
