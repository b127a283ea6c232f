/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The cuid of RFC 9132 section 4.4.1.1 (src/common/cuid.c), which dotsd
 * and the client library both use: against the value scripts/dots-certs.sh
 * printed for a fixed certificate, against the script run now (when
 * openssl is there), from PEM, DER and a PSK identity, and as the client
 * library reports it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dots/client.h>

#include "cuid.h"

/* Made by `scripts/dots-certs.sh DIR fixture`, which printed
 * "client fixture: cuid ksjhEVoej7fNrDWXmXRiLQ". */
static const char fixture_pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBuzCCAWGgAwIBAgIQeiPJlxi4pf3MmCgAFr1jUTAKBggqhkjOPQQDAjAgMR4w\n"
    "HAYDVQQDDBVvcGVuZG90cyB0aHJvd2F3YXkgQ0EwHhcNMjYxMTIyMDU1NzA2WhcN\n"
    "MjkwMjI0MDU1NzA2WjASMRAwDgYDVQQDDAdmaXh0dXJlMFkwEwYHKoZIzj0CAQYI\n"
    "KoZIzj0DAQcDQgAEgZg9XVHVRTU89Om0O8uPpfyUlV9NJcGHgg4uuY3/s8lRbmiR\n"
    "S57HQOfKZUxH35gWBc7zrOrMnaVR9z163Ev5yqOBijCBhzAMBgNVHRMBAf8EAjAA\n"
    "MA4GA1UdDwEB/wQEAwIHgDATBgNVHSUEDDAKBggrBgEFBQcDAjAdBgNVHQ4EFgQU\n"
    "DEVc4EhPt95FMjF4mxZPzeS8dXswHwYDVR0jBBgwFoAUUggE38xyI4EROnp1pzar\n"
    "1XR//NAwEgYDVR0RBAswCYIHZml4dHVyZTAKBggqhkjOPQQDAgNIADBFAiEAgQWj\n"
    "OmJcwMfqvyYghvbqTO0ya5hzhtRjI1AGpK/jh3wCIF6Vs3fEDJ0Dy/LU31nXNQED\n"
    "dLGR2F7LnL89+WECgvpl\n"
    "-----END CERTIFICATE-----\n";
#define FIXTURE_CUID	"ksjhEVoej7fNrDWXmXRiLQ"

/* The base64 between the PEM lines, decoded: the certificate's DER. */
static size_t
pem_to_der(const char *pem, uint8_t *out, size_t cap)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = strchr(pem, '\n') + 1, *end = strstr(pem, "-----END");
	uint32_t acc = 0;
	size_t n = 0;
	int bits = 0;

	for (; p < end; p++) {
		const char *c = strchr(tbl, *p);

		if (*p == '\n' || *p == '=' || c == NULL)
			continue;
		acc = acc << 6 | (uint32_t)(c - tbl);
		if ((bits += 6) >= 8) {
			bits -= 8;
			assert_true(n < cap);
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return n;
}

static void
test_cuid_fixture(void **state)
{
	char cuid[CUID_LEN + 1], full[CUID_FULL_LEN + 1], cuid2[CUID_LEN + 1];
	uint8_t der[1024];
	size_t len;

	(void)state;
	assert_int_equal(cuid_from_pem((const uint8_t *)fixture_pem,
	    strlen(fixture_pem), cuid, sizeof(cuid), full), 0);
	assert_string_equal(cuid, FIXTURE_CUID);
	assert_int_equal(strlen(full), CUID_FULL_LEN);
	assert_memory_equal(full, cuid, 21);	/* same digest, longer */

	len = pem_to_der(fixture_pem, der, sizeof(der));
	assert_int_equal(cuid_from_der(der, len, cuid2, sizeof(cuid2), NULL),
	    0);
	assert_string_equal(cuid2, FIXTURE_CUID);
}

static void
test_cuid_refuses(void **state)
{
	char cuid[CUID_LEN + 1];
	uint8_t der[1024];
	size_t len;

	(void)state;
	len = pem_to_der(fixture_pem, der, sizeof(der));
	assert_int_equal(cuid_from_der(der, len / 2, cuid, sizeof(cuid),
	    NULL), -1);
	assert_int_equal(cuid_from_der(der, len, cuid, CUID_LEN, NULL), -1);
	assert_int_equal(cuid_from_pem((const uint8_t *)"junk", 4, cuid,
	    sizeof(cuid), NULL), -1);
	assert_int_equal(cuid_from_psk_identity(NULL, 0, cuid, sizeof(cuid)),
	    -1);
}

/* SHA-256("client1"), first 16 bytes, base64url (python3's hashlib). */
static void
test_cuid_psk(void **state)
{
	static const uint8_t key[] = { 0x73, 0x65, 0x63, 0x72, 0x65, 0x74 };
	struct dots_client_params p;
	struct dots_client *c;
	char cuid[CUID_LEN + 1], err[256];

	(void)state;
	assert_int_equal(cuid_from_psk_identity((const uint8_t *)"client1", 7,
	    cuid, sizeof(cuid)), 0);
	assert_string_equal(cuid, "GRfjNAfCg2bI47l1sX5zdA");

	memset(&p, 0, sizeof(p));
	p.host = "127.0.0.1";
	p.psk_identity = "dots-psk-client";
	p.psk_key = key;
	p.psk_key_len = sizeof(key);
	c = dots_client_new(&p, err, sizeof(err));
	if (c == NULL)
		fail_msg("dots_client_new: %s", err);
	assert_string_equal(dots_client_cuid(c), "SFSO4C7GB0lX0S_1Mbw1Xg");
	dots_client_free(c);
}

/* dots-certs.sh run now: the library's cuid is the one it prints. */
static void
test_cuid_script(void **state)
{
	char dir[] = "/tmp/test_client_cuid.XXXXXX", cmd[1024], line[256];
	char want[64] = "", err[256], ca[512], cert[512], key[512];
	struct dots_client_params p;
	struct dots_client *c;
	const char *data = getenv("DOTS_TEST_DATA");
	FILE *f;

	(void)state;
	if (data == NULL || system("command -v openssl >/dev/null") != 0)
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "bash '%s/../scripts/dots-certs.sh' "
	    "'%s' cuidtest 2>&1", data, dir);
	assert_non_null(f = popen(cmd, "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "client cuidtest: cuid %63s", want) == 1)
			break;
	while (fgets(line, sizeof(line), f) != NULL)
		;
	assert_int_equal(pclose(f), 0);
	assert_int_equal(strlen(want), CUID_LEN);

	snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
	snprintf(cert, sizeof(cert), "%s/cuidtest.pem", dir);
	snprintf(key, sizeof(key), "%s/cuidtest-key.pem", dir);
	memset(&p, 0, sizeof(p));
	p.host = "127.0.0.1";
	p.ca_file = ca;
	p.cert_file = cert;
	p.key_file = key;
	c = dots_client_new(&p, err, sizeof(err));
	if (c == NULL)
		fail_msg("dots_client_new: %s", err);
	assert_string_equal(dots_client_cuid(c), want);
	dots_client_free(c);

	/* another key than the certificate's is refused at once */
	snprintf(key, sizeof(key), "%s/ca-key.pem", dir);
	assert_null(dots_client_new(&p, err, sizeof(err)));
	assert_non_null(strstr(err, "ca-key.pem"));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cuid_fixture),
		cmocka_unit_test(test_cuid_refuses),
		cmocka_unit_test(test_cuid_psk),
		cmocka_unit_test(test_cuid_script),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
