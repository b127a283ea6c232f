/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The client library's parameters (dots_client_params_check and the
 * errors of dots_client_new): every mistake is refused before any file
 * is read or packet sent, with a sentence that says what is wrong.
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

static struct dots_client_params
good(void)
{
	struct dots_client_params p;

	memset(&p, 0, sizeof(p));
	p.host = "dots.example";
	p.ca_file = "ca.pem";
	p.cert_file = "client.pem";
	p.key_file = "client-key.pem";
	return p;
}

static void
expect_refused(const struct dots_client_params *p, const char *word)
{
	char err[256] = "";

	assert_int_equal(dots_client_params_check(p, err, sizeof(err)), -1);
	if (strstr(err, word) == NULL)
		fail_msg("error '%s' should mention '%s'", err, word);
	assert_null(dots_client_new(p, err, sizeof(err)));
}

static void
test_params_good(void **state)
{
	static const uint8_t key[] = { 1, 2, 3, 4 };
	struct dots_client_params p = good();
	char err[256] = "";

	(void)state;
	assert_int_equal(dots_client_params_check(&p, err, sizeof(err)), 0);
	p.transport = DOTS_TRANSPORT_TLS;
	p.cuid = "my-own-cuid";
	assert_int_equal(dots_client_params_check(&p, err, sizeof(err)), 0);
	p = good();
	p.cert_file = p.key_file = p.ca_file = NULL;
	p.psk_identity = "client1";
	p.psk_key = key;
	p.psk_key_len = sizeof(key);
	assert_int_equal(dots_client_params_check(&p, err, sizeof(err)), 0);
}

static void
test_params_refused(void **state)
{
	static const uint8_t key[] = { 1, 2, 3, 4 };
	struct dots_client_params p;

	(void)state;
	expect_refused(NULL, "parameters");
	p = good();
	p.host = NULL;
	expect_refused(&p, "host");
	p.host = "";
	expect_refused(&p, "host");
	p = good();
	p.transport = 7;
	expect_refused(&p, "transport");
	p = good();
	p.key_file = NULL;
	expect_refused(&p, "certificate");
	p = good();
	p.ca_file = NULL;
	expect_refused(&p, "CA");
	p = good();
	p.psk_identity = "client1";
	p.psk_key = key;
	p.psk_key_len = sizeof(key);
	expect_refused(&p, "both");
	p.cert_file = p.key_file = NULL;
	p.psk_key_len = 0;
	expect_refused(&p, "PSK");
	p = good();
	p.cuid = "";
	expect_refused(&p, "cuid");
	p.cuid = "a/b";
	expect_refused(&p, "cuid");
	p.cuid = "12345678901234567890123";	/* 23 characters */
	expect_refused(&p, "cuid");
}

/* dots_client_new reads the files: a missing one is named. */
static void
test_new_missing_file(void **state)
{
	struct dots_client_params p = good();
	char err[256] = "";

	(void)state;
	p.ca_file = "/nonexistent/ca.pem";
	assert_null(dots_client_new(&p, err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/ca.pem"));
}

/* A file that is not a certificate is refused at once, not at the
 * first handshake. */
static void
test_new_not_a_certificate(void **state)
{
	struct dots_client_params p = good();
	char path[] = "/tmp/test_client_params.XXXXXX", err[256] = "";
	FILE *f;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs("-----BEGIN CERTIFICATE-----\nnot base64\n"
	    "-----END CERTIFICATE-----\n", f);
	fclose(f);
	p.ca_file = p.cert_file = p.key_file = path;
	assert_null(dots_client_new(&p, err, sizeof(err)));
	remove(path);
	assert_non_null(strstr(err, path));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params_good),
		cmocka_unit_test(test_params_refused),
		cmocka_unit_test(test_new_missing_file),
		cmocka_unit_test(test_new_not_a_certificate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
