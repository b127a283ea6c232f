/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * How the client library reads an answer (src/client/client_reply.c): a
 * CBOR body decoded with libdots, a body that does not decode reported as
 * DOTS_CLIENT_EDECODE with the reason (never a crash), the diagnostic
 * text of an error, and the freshness rule of RFC 7641 for notifications.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <dots/cbor.h>
#include <dots/client.h>
#include <dots/error.h>

#include "client_int.h"

#define CF_CBOR	271
#define CF_NONE	(-1)

/* RFC 9132-style 2.01 body: {"mitigation-scope":{"scope":[{"mid":7,
 * "lifetime":1800}]}} */
static const uint8_t created[] = {
	0xa1, 0x01, 0xa1, 0x02, 0x81, 0xa2, 0x05, 0x07, 0x0e, 0x19, 0x07,
	0x08
};

static void
fill(struct dots_reply *r, int code, int cf, const void *data, size_t len)
{
	memset(r, 0, sizeof(*r));
	cl_reply_fill(r, code, cf, data, len);
}

static void
test_reply_cbor_body(void **state)
{
	struct dots_reply r;

	(void)state;
	fill(&r, 201, CF_CBOR, created, sizeof(created));
	assert_int_equal(r.error, 0);
	assert_int_equal(r.code, 201);
	assert_non_null(r.body);
	assert_int_equal(r.body->kind, DOTS_SIG_MITIGATION);
	assert_int_equal(r.body->mitigation.n_scope, 1);
	assert_int_equal(r.body->mitigation.scope[0].mid, 7);
	assert_int_equal(r.body->mitigation.scope[0].lifetime, 1800);
	assert_string_equal(r.diag, "");
	dots_signal_free(r.body);

	/* a 2.xx payload is CBOR even without Content-Format */
	fill(&r, 205, CF_NONE, created, sizeof(created));
	assert_int_equal(r.error, 0);
	assert_non_null(r.body);
	dots_signal_free(r.body);
}

static void
test_reply_bad_body(void **state)
{
	static const uint8_t cut[] = { 0xa1, 0x01, 0xa1, 0x02, 0x81, 0xa2,
	    0x05 };
	static const uint8_t junk[] = "not CBOR at all";
	struct dots_reply r;

	(void)state;
	fill(&r, 205, CF_CBOR, cut, sizeof(cut));
	assert_int_equal(r.error, DOTS_CLIENT_EDECODE);
	assert_int_equal(r.code, 205);
	assert_null(r.body);
	assert_true(r.diag[0] != '\0');

	fill(&r, 205, CF_NONE, junk, sizeof(junk) - 1);
	assert_int_equal(r.error, DOTS_CLIENT_EDECODE);
	assert_null(r.body);

	/* 4.09 and 5.03 carry CBOR: a bad one is reported the same way */
	fill(&r, 409, CF_CBOR, junk, sizeof(junk) - 1);
	assert_int_equal(r.error, DOTS_CLIENT_EDECODE);
	assert_int_equal(r.code, 409);

	/* a 2.xx with a Content-Format that is not DOTS */
	fill(&r, 205, 50, "{}", 2);
	assert_int_equal(r.error, DOTS_CLIENT_EDECODE);
	assert_non_null(strstr(r.diag, "50"));
	assert_null(r.body);
}

static void
test_reply_diagnostic(void **state)
{
	static const char text[] = "target-prefix 198.51.100.0/24 is outside "
	    "the domain of client 'client1'";
	struct dots_reply r;
	char big[600];

	(void)state;
	fill(&r, 401, CF_NONE, text, strlen(text));
	assert_int_equal(r.error, 0);
	assert_int_equal(r.code, 401);
	assert_null(r.body);
	assert_string_equal(r.diag, text);

	/* control characters never reach the caller's terminal or log */
	fill(&r, 400, CF_NONE, "a\x01" "b\n\x1b[0m", 8);
	assert_string_equal(r.diag, "a?b??[0m");

	memset(big, 'x', sizeof(big));
	fill(&r, 503, CF_NONE, big, sizeof(big));
	assert_int_equal(strlen(r.diag), DOTS_CLIENT_DIAG_MAX - 1);

	fill(&r, 202, CF_NONE, NULL, 0);
	assert_int_equal(r.error, 0);
	assert_int_equal(r.code, 202);
	assert_null(r.body);
	assert_string_equal(r.diag, "");
}

/* A 4.09 body with conflict-information, as the server encodes it. */
static void
test_reply_conflict(void **state)
{
	struct dots_signal *m = dots_signal_new(DOTS_SIG_MITIGATION);
	struct dots_scope *sc = dots_signal_add_scopes(m, 1);
	struct dots_reply r;
	uint8_t buf[256];
	size_t len;

	(void)state;
	sc->conflict.present = DOTS_CONFLICT_CAUSE;
	sc->conflict.conflict_cause = DOTS_CONFLICT_OVERLAPPING_TARGETS;
	sc->conflict.conflict_scope.present = DOTS_CSCOPE_MID;
	sc->conflict.conflict_scope.mid = 9;
	assert_int_equal(dots_cbor_encode_signal(m, buf, sizeof(buf), &len),
	    DOTS_OK);
	dots_signal_free(m);
	fill(&r, 409, CF_CBOR, buf, len);
	assert_int_equal(r.error, 0);
	assert_non_null(r.body);
	sc = &r.body->mitigation.scope[0];
	assert_int_equal(sc->conflict.conflict_cause,
	    DOTS_CONFLICT_OVERLAPPING_TARGETS);
	assert_int_equal(sc->conflict.conflict_scope.mid, 9);
	dots_signal_free(r.body);
}

/* RFC 7641 section 3.4 */
static void
test_observe_fresh(void **state)
{
	const uint64_t t = 1000000;

	(void)state;
	assert_true(cl_observe_fresh(false, 0, 0, 5, t));
	assert_true(cl_observe_fresh(true, 5, t, 6, t));
	assert_false(cl_observe_fresh(true, 6, t, 5, t));
	assert_false(cl_observe_fresh(true, 6, t, 6, t));
	assert_true(cl_observe_fresh(true, 0xffffff, t, 2, t));	/* wrapped */
	assert_false(cl_observe_fresh(true, 5, t, 5 + (1u << 23) + 1, t));
	assert_true(cl_observe_fresh(true, 6, t, 5, t + 128 * 1000 + 1));
}

static void
test_strerror(void **state)
{
	(void)state;
	assert_non_null(strstr(dots_client_strerror(DOTS_CLIENT_ETIMEOUT),
	    "timeout"));
	assert_non_null(strstr(dots_client_strerror(DOTS_CLIENT_EDECODE),
	    "DOTS"));
	assert_string_equal(dots_client_strerror(DOTS_ENOMEM),
	    dots_strerror(DOTS_ENOMEM));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_cbor_body),
		cmocka_unit_test(test_reply_bad_body),
		cmocka_unit_test(test_reply_diagnostic),
		cmocka_unit_test(test_reply_conflict),
		cmocka_unit_test(test_observe_fresh),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
