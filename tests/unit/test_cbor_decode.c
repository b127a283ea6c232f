/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What dots_cbor_decode_signal() refuses, and what it accepts that a
 * strict reading might not: every class of bad input gets its error code,
 * the exact path of the offending field and a word of the message, since
 * that text goes back to the peer as the CoAP diagnostic payload.  The
 * liberal side of RFC 8949 (non-shortest integers, indefinite lengths, tag
 * 271, unknown comprehension-optional keys) must give the same model as
 * the canonical form.
 *
 * Inputs are hex strings (whitespace ignored); scope() wraps the hex of
 * one scope map into {1: {2: [scope]}}.  Long inputs are built with the
 * put_*() helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <dots/cbor.h>
#include <dots/error.h>
#include <dots/model.h>

#include "expect_diag.h"

#define SP		"mitigation-scope/scope/0"
#define HEX_MAX		8192

/* "192.0.2.0/24" and "lifetime: 3600", the minimum of most scopes. */
#define PFX		"6c 3139322e302e322e302f3234"
#define LIFE		"0e 19 0e10"

/* {1: {2: [{6: ["192.0.2.0/24"], 7: [{8: 80, 9: 90}], 14: 3600}]}} */
#define CANONICAL							\
	"a1 01 a1 02 81 a3 06 81" PFX "07 81 a2 08 18 50 09 18 5a" LIFE

/* {30: {32: {39: {43: <value>}}}}: mitigating-config/ack-timeout */
#define ACK_TIMEOUT(v)	"a1 18 1e a1 18 20 a1 18 27 a1 18 2b" v
#define ACK_PATH							\
	"signal-config/mitigating-config/ack-timeout/current-value-decimal"

/* Room for the largest body, and one byte more. */
static uint8_t	body[DOTS_CBOR_MAX_BODY + 64];
static size_t	body_len;

static size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1, v = 0;

	for (; *hex != '\0'; hex++) {
		if (*hex == ' ')
			continue;
		if (*hex >= '0' && *hex <= '9')
			v = *hex - '0';
		else if (*hex >= 'a' && *hex <= 'f')
			v = *hex - 'a' + 10;
		else
			fail_msg("bad hex digit '%c'", *hex);
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			fail_msg("hex input too long");
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		fail_msg("odd number of hex digits");
	return n;
}

/* Hex of a CBOR text string of @p len bytes, in a rotating buffer. */
static const char *
txn(const char *s, size_t len)
{
	static char ring[8][600];
	static unsigned next;
	char *buf = ring[next++ % 8];
	size_t off, i;

	assert_true(len < 256);
	if (len < 24)
		off = (size_t)sprintf(buf, "%02x ", 0x60 + (unsigned)len);
	else
		off = (size_t)sprintf(buf, "78 %02x ", (unsigned)len);
	for (i = 0; i < len; i++)
		off += (size_t)sprintf(buf + off, "%02x",
		    (unsigned char)s[i]);
	return buf;
}

static const char *
tx(const char *s)
{
	return txn(s, strlen(s));
}

/* {1: {2: [<scope map>]}} with the scope map from the format. */
static const char *
scope(const char *fmt, ...)
{
	static char buf[HEX_MAX];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "a1 01 a1 02 81 ");
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	return buf;
}

/* Appenders for bodies too long for hex. */
static void
put_hex(const char *hex)
{
	body_len += unhex(hex, body + body_len, sizeof(body) - body_len);
}

static void
put_head(unsigned major, uint64_t v)
{
	char hex[32];

	if (v < 24)
		snprintf(hex, sizeof(hex), "%02x", major << 5 | (unsigned)v);
	else if (v < 0x100)
		snprintf(hex, sizeof(hex), "%02x %02x", major << 5 | 24,
		    (unsigned)v);
	else if (v < 0x10000)
		snprintf(hex, sizeof(hex), "%02x %04x", major << 5 | 25,
		    (unsigned)v);
	else
		snprintf(hex, sizeof(hex), "%02x %08x", major << 5 | 26,
		    (unsigned)v);
	put_hex(hex);
}

static void
put_text(const char *s)
{
	put_hex(tx(s));
}

static void
expect_body_error(const char *what, int err, const char *path,
    const char *word)
{
	struct dots_signal *m = (struct dots_signal *)&m;
	struct dots_diag diag;
	int ret;

	ret = dots_cbor_decode_signal(body, body_len, &m, &diag);
	check_error(what, ret, m, &diag, err, path, word);
}

static void
expect_error(const char *hex, int err, const char *path, const char *word)
{
	body_len = 0;
	put_hex(hex);
	expect_body_error(hex, err, path, word);
}

static struct dots_signal *
decode_body(const char *what, struct dots_diag *diag)
{
	struct dots_signal *m = NULL;
	int ret;

	ret = dots_cbor_decode_signal(body, body_len, &m, diag);
	if (ret != DOTS_OK)
		fail_msg("%s: %s at '%s': %s", what, dots_err_name(ret),
		    diag->error.path, diag->error.msg);
	assert_non_null(m);
	return m;
}

/* Decode @p hex, which must succeed.  **new** message. */
static struct dots_signal *
expect_ok(const char *hex, struct dots_diag *diag)
{
	body_len = 0;
	put_hex(hex);
	return decode_body(hex, diag);
}

static void
expect_warning(const struct dots_diag *diag, const char *path,
    const char *word)
{
	unsigned i;

	for (i = 0; i < diag->nwarn; i++)
		if (strcmp(diag->warn[i].path, path) == 0 &&
		    strstr(diag->warn[i].msg, word) != NULL)
			return;
	fail_msg("no warning at '%s' with '%s' (%u warnings%s%s)", path, word,
	    diag->nwarn, diag->nwarn ? ", first: " : "",
	    diag->nwarn ? diag->warn[0].msg : "");
}

/* @p hex decodes to the same model as CANONICAL. */
static void
expect_same_as_canonical(const char *hex)
{
	struct dots_signal *a, *b;
	struct dots_diag diag;

	a = expect_ok(CANONICAL, &diag);
	b = expect_ok(hex, &diag);
	if (!dots_signal_equal(a, b))
		fail_msg("%s differs from the canonical form", hex);
	assert_int_equal(diag.nwarn, 0);
	dots_signal_free(a);
	dots_signal_free(b);
}

static void
test_cbor_decode_accepts_canonical(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;
	const struct dots_scope *s;
	uint8_t want[256], out[256];
	size_t wlen, olen;

	(void)state;
	m = expect_ok(CANONICAL, &diag);
	assert_int_equal(diag.err, DOTS_OK);
	assert_int_equal(diag.nwarn, 0);
	assert_int_equal(m->kind, DOTS_SIG_MITIGATION);
	assert_int_equal(m->mitigation.n_scope, 1);
	s = &m->mitigation.scope[0];
	assert_int_equal(s->target.n_prefix, 1);
	assert_int_equal(s->target.prefix[0].length, 24);
	assert_int_equal(s->target.n_port_range, 1);
	assert_int_equal(s->target.port_range[0].lower_port, 80);
	assert_int_equal(s->target.port_range[0].upper_port, 90);
	assert_int_equal(s->lifetime, 3600);
	assert_true(s->trigger_mitigation);	/* YANG default */
	assert_int_equal(s->present, DOTS_SCOPE_LIFETIME);

	wlen = unhex(CANONICAL, want, sizeof(want));
	assert_int_equal(dots_cbor_encode_signal(m, out, sizeof(out), &olen),
	    DOTS_OK);
	assert_int_equal(olen, wlen);
	assert_memory_equal(out, want, wlen);
	dots_signal_free(m);
}

static void
test_cbor_decode_bad_arguments(void **state)
{
	struct dots_signal *m = NULL;
	uint8_t buf[64];
	size_t len = unhex(CANONICAL, buf, sizeof(buf));

	(void)state;
	assert_int_equal(dots_cbor_decode_signal(buf, len, NULL, NULL),
	    DOTS_EINVAL);
	assert_int_equal(dots_cbor_decode_signal(NULL, 1, &m, NULL),
	    DOTS_EINVAL);
	/* a NULL diag is allowed, on success and on error */
	assert_int_equal(dots_cbor_decode_signal(buf, len, &m, NULL),
	    DOTS_OK);
	dots_signal_free(m);
	assert_int_equal(dots_cbor_decode_signal(buf, len - 1, &m, NULL),
	    DOTS_EMALFORMED);
	assert_null(m);
}

static void
test_cbor_decode_rejects_empty_body(void **state)
{
	struct dots_signal *m = NULL;
	struct dots_diag diag;
	int ret;

	(void)state;
	ret = dots_cbor_decode_signal(NULL, 0, &m, &diag);
	check_error("NULL body", ret, m, &diag, DOTS_EEMPTY, "", "empty body");
	ret = dots_cbor_decode_signal(body, 0, &m, &diag);
	check_error("empty body", ret, m, &diag, DOTS_EEMPTY, "",
	    "empty body");
}

static void
test_cbor_decode_rejects_truncated(void **state)
{
	uint8_t full[64];
	size_t len, cut;
	char what[48];

	(void)state;
	/* text string of 12 bytes with 3 */
	expect_error("a1 01 a1 02 81 a1 06 81 6c 313932", DOTS_EMALFORMED,
	    SP "/target-prefix/0", "truncated");
	/* scope map of 2 entries with 1 */
	expect_error("a1 01 a1 02 81 a2 06 81" PFX, DOTS_EMALFORMED, SP,
	    "truncated");
	/* a map that claims more entries than the body has bytes */
	expect_error("a1 01 b9 ffff 02", DOTS_EMALFORMED, "mitigation-scope",
	    "truncated");
	expect_error("a1 01 a1 02 99 03ff", DOTS_EMALFORMED,
	    "mitigation-scope/scope", "truncated");
	expect_error("a1 01", DOTS_EMALFORMED, "mitigation-scope",
	    "truncated");
	expect_error("a1", DOTS_EMALFORMED, "", "truncated");
	expect_error("19 01", DOTS_EMALFORMED, "", "truncated");
	/* indefinite items without their break */
	expect_error("bf 01 a1 02 81 a2 06 81" PFX LIFE, DOTS_EMALFORMED, "",
	    "truncated");
	expect_error(scope("a2" LIFE "06 9f" PFX), DOTS_EMALFORMED,
	    SP "/target-prefix/1", "truncated");

	/* every proper prefix of a valid body */
	len = unhex(CANONICAL, full, sizeof(full));
	for (cut = 1; cut < len; cut++) {
		struct dots_signal *m = NULL;
		struct dots_diag diag;
		int ret;

		snprintf(what, sizeof(what), "first %zu bytes", cut);
		ret = dots_cbor_decode_signal(full, cut, &m, &diag);
		if (ret != DOTS_EMALFORMED)
			fail_msg("%s: got %s (%s)", what, dots_err_name(ret),
			    diag.error.msg);
		assert_null(m);
	}
}

static void
test_cbor_decode_rejects_malformed(void **state)
{
	(void)state;
	/* reserved additional information 28 */
	expect_error(scope("a2 06 81" PFX "0e 1c"), DOTS_EMALFORMED,
	    SP "/lifetime", "malformed");
	/* an indefinite text string with a byte-string chunk */
	expect_error(scope("a2 06 81" PFX "0d 81 7f 41 61 ff"),
	    DOTS_EMALFORMED, SP "/alias-name/0", "malformed");
	/* ... and with a nested indefinite chunk */
	expect_error(scope("a2 06 81" PFX "0d 81 7f 7f ff ff"),
	    DOTS_EMALFORMED, SP "/alias-name/0", "malformed");
	/* a break inside an unknown optional value of definite length */
	expect_error(scope("a3 06 81" PFX LIFE "18 82 81 ff"),
	    DOTS_EMALFORMED, SP, "malformed");
}

/*
 * RFC 8949 3.2.1: a break code outside an indefinite-length item is not
 * well-formed CBOR.
 */
static void
test_cbor_decode_rejects_stray_break(void **state)
{
	(void)state;
	expect_error(scope("a2 06 81" PFX "0e ff"), DOTS_EMALFORMED,
	    SP "/lifetime", "malformed");
	expect_error(scope("a2 06 81 ff" LIFE), DOTS_EMALFORMED,
	    SP "/target-prefix/0", "malformed");
	expect_error(scope("a2 06 81" PFX "ff 00"), DOTS_EMALFORMED, SP,
	    "malformed");
}

static void
test_cbor_decode_rejects_trailing_bytes(void **state)
{
	(void)state;
	expect_error(CANONICAL "00", DOTS_EMALFORMED, "", "1 trailing bytes");
	expect_error(CANONICAL CANONICAL, DOTS_EMALFORMED, "",
	    "trailing bytes");
	expect_error("d9 010f" CANONICAL "ff", DOTS_EMALFORMED, "",
	    "trailing bytes");
	expect_error("bf 01 a1 02 81 a2 06 81" PFX LIFE "ff 00",
	    DOTS_EMALFORMED, "", "trailing bytes");
}

static void
test_cbor_decode_rejects_bad_root(void **state)
{
	(void)state;
	/* not a map */
	expect_error("81 01", DOTS_ETYPE, "", "map with one entry");
	expect_error("01", DOTS_ETYPE, "", "map with one entry");
	expect_error(tx("mitigation-scope"), DOTS_ETYPE, "",
	    "map with one entry");
	/* empty, or with two entries */
	expect_error("a0", DOTS_ETYPE, "", "map with one entry");
	expect_error("a2 01 a1 02 81 a2 06 81" PFX LIFE
	    "18 31 a1 18 33 f5", DOTS_ETYPE, "", "one entry");
	expect_error("bf 01 a1 02 81 a2 06 81" PFX LIFE
	    "18 31 a1 18 33 f5 ff", DOTS_ETYPE, "", "exactly one entry");
	/* unknown message type */
	expect_error("a1 02 a0", DOTS_EUNKNOWN_KEY, "",
	    "unknown message type");
	expect_error("a1 18 82 a0", DOTS_EUNKNOWN_KEY, "",
	    "unknown message type");
	expect_error("a1 19 9c40 a0", DOTS_EUNKNOWN_KEY, "",
	    "unknown message type");
	expect_error("a1 61 31 a0", DOTS_EUNKNOWN_KEY, "",
	    "unknown message type");
	/* the body of a known type must be a map */
	expect_error("a1 01 80", DOTS_ETYPE, "mitigation-scope",
	    "must be a map, not an array");
	expect_error("a1 18 31 f5", DOTS_ETYPE, "heartbeat",
	    "must be a map, not a boolean");
}

static void
test_cbor_decode_rejects_required_unknown_key(void **state)
{
	(void)state;
	expect_error(scope("a3 06 81" PFX LIFE "18 64 00"),
	    DOTS_EUNKNOWN_KEY, SP, "comprehension-required key 100");
	expect_error(scope("a3 06 81" PFX LIFE "19 0100 00"),
	    DOTS_EUNKNOWN_KEY, SP, "comprehension-required key 256");
	expect_error(scope("a3 06 81" PFX LIFE "19 3fff 00"),
	    DOTS_EUNKNOWN_KEY, SP, "comprehension-required key 16383");
	/* a known key in the wrong place is unknown there */
	expect_error(scope("a3 06 81" PFX LIFE "08 18 50"),
	    DOTS_EUNKNOWN_KEY, SP, "key 8");
	expect_error(scope("a3 06 81" PFX LIFE "01 a0"), DOTS_EUNKNOWN_KEY,
	    SP, "key 1");
	expect_error("a1 01 a2 02 81 a2 06 81" PFX LIFE "18 64 00",
	    DOTS_EUNKNOWN_KEY, "mitigation-scope",
	    "comprehension-required key 100");
	expect_error(scope("a2 06 81" PFX "07 81 a2 08 18 50 18 64 00"),
	    DOTS_EUNKNOWN_KEY, SP "/target-port-range/0",
	    "comprehension-required key 100");
}

static void
test_cbor_decode_skips_optional_unknown_key(void **state)
{
	struct dots_signal *ref, *m;
	struct dots_diag diag;

	(void)state;
	ref = expect_ok(scope("a2 06 81" PFX LIFE), &diag);

	m = expect_ok(scope("a3 06 81" PFX LIFE "18 82 00"), &diag);
	assert_int_equal(diag.nwarn, 1);
	expect_warning(&diag, SP, "comprehension-optional key 130");
	assert_true(dots_signal_equal(ref, m));
	dots_signal_free(m);

	/* any value, however structured, is skipped */
	m = expect_ok(scope("a4 06 81" PFX LIFE "19 9c40 a2 01 82 f5 61 78 "
	    "61 79 9f 01 ff 18 80 c1 1a 5f000000"), &diag);
	assert_int_equal(diag.nwarn, 2);
	expect_warning(&diag, SP, "comprehension-optional key 40000");
	expect_warning(&diag, SP, "comprehension-optional key 128");
	assert_true(dots_signal_equal(ref, m));
	dots_signal_free(m);

	/* also where the key is known elsewhere (source-prefix, 32768) */
	m = expect_ok("a1 01 a2 02 81 a2 06 81" PFX LIFE "19 8000 80",
	    &diag);
	expect_warning(&diag, "mitigation-scope",
	    "comprehension-optional key 32768");
	assert_int_equal(m->mitigation.scope[0].n_source_prefix, 0);
	dots_signal_free(m);

	/* the diag keeps DOTS_DIAG_WARN_MAX warnings and counts them all */
	m = expect_ok(scope("ac 06 81" PFX LIFE "18 80 00 18 81 00 18 82 00 "
	    "18 83 00 18 84 00 18 85 00 18 86 00 18 87 00 18 88 00 "
	    "18 89 00"), &diag);
	assert_int_equal(diag.nwarn, DOTS_DIAG_WARN_MAX);
	assert_int_equal(diag.nwarn_total, 10);
	expect_warning(&diag, SP, "key 135");
	assert_true(dots_signal_equal(ref, m));
	dots_signal_free(m);

	/* the same unknown key twice is skipped twice */
	m = expect_ok(scope("a4 06 81" PFX LIFE "19 4000 00 19 4000 01"),
	    &diag);
	assert_int_equal(diag.nwarn, 2);
	expect_warning(&diag, SP, "comprehension-optional key 16384");
	dots_signal_free(m);
	dots_signal_free(ref);
}

static void
test_cbor_decode_rejects_non_integer_key(void **state)
{
	(void)state;
	expect_error(scope("a3 06 81" PFX LIFE "61 61 00"), DOTS_ETYPE, SP,
	    "map keys must be unsigned integers");
	expect_error(scope("a3 06 81" PFX LIFE "20 00"), DOTS_ETYPE, SP,
	    "not a negative integer");
	expect_error(scope("a3 06 81" PFX LIFE "fa 3f800000 00"), DOTS_ETYPE,
	    SP, "map keys must be unsigned integers");
	expect_error(scope("a3 06 81" PFX LIFE "41 01 00"), DOTS_ETYPE, SP,
	    "map keys must be unsigned integers");
	expect_error(scope("a3 06 81" PFX LIFE "c1 01 00"), DOTS_ETYPE, SP,
	    "map keys must be unsigned integers");
}

static void
test_cbor_decode_rejects_wrong_type(void **state)
{
	(void)state;
	/* text where an unsigned integer is expected */
	expect_error(scope("a2 06 81" PFX "07 81 a1 08 62 3830"), DOTS_ETYPE,
	    SP "/target-port-range/0/lower-port",
	    "must be an unsigned integer, not a text string");
	expect_error(scope("a2 06 81" PFX "10 %s", tx("1")), DOTS_ETYPE,
	    SP "/status", "unsigned integer");
	/* a negative integer for an unsigned one */
	expect_error(scope("a2 06 81" PFX "07 81 a1 08 20"), DOTS_ETYPE,
	    SP "/target-port-range/0/lower-port", "negative integer");
	/* an integer or a byte string where text is expected */
	expect_error(scope("a2 06 81 01" LIFE), DOTS_ETYPE,
	    SP "/target-prefix/0",
	    "must be a text string, not an unsigned integer");
	expect_error(scope("a2 06 81 4c 3139322e302e322e302f3234" LIFE),
	    DOTS_ETYPE, SP "/target-prefix/0", "not a byte string");
	/* an array where a map is expected, and the other way round */
	expect_error("a1 01 a1 02 81 80", DOTS_ETYPE, SP,
	    "must be a map, not an array");
	expect_error(scope("a2 06 81" PFX "07 81 81 18 50"), DOTS_ETYPE,
	    SP "/target-port-range/0", "must be a map");
	expect_error(scope("a2 06 a0" LIFE), DOTS_ETYPE, SP "/target-prefix",
	    "must be an array, not a map");
	expect_error(scope("a2 06" PFX LIFE), DOTS_ETYPE, SP "/target-prefix",
	    "must be an array, not a text string");
	expect_error(scope("a2 06 81" PFX "11 81 a0"), DOTS_ETYPE,
	    SP "/conflict-information", "must be a map");
	/* booleans, null, undefined and integers mixed up */
	expect_error(scope("a2 06 81" PFX "0e f5"), DOTS_ETYPE, SP "/lifetime",
	    "must be an integer, not a boolean");
	expect_error(scope("a2 06 81" PFX "0e f6"), DOTS_ETYPE, SP "/lifetime",
	    "not null");
	expect_error(scope("a2 06 81" PFX "0e f7"), DOTS_ETYPE, SP "/lifetime",
	    "not undefined");
	expect_error(scope("a3 06 81" PFX LIFE "18 2d 01"), DOTS_ETYPE,
	    SP "/trigger-mitigation", "must be a boolean");
	expect_error(scope("a3 06 81" PFX LIFE "18 2d %s", tx("true")),
	    DOTS_ETYPE, SP "/trigger-mitigation", "must be a boolean");
	expect_error("a1 18 31 a1 18 33 00", DOTS_ETYPE,
	    "heartbeat/peer-hb-status", "must be a boolean");
	/* uint64 counters are integers in CBOR, not strings */
	expect_error(scope("a3 06 81" PFX LIFE "0f %s", tx("123")),
	    DOTS_ETYPE, SP "/mitigation-start", "unsigned integer");
}

static void
test_cbor_decode_rejects_float(void **state)
{
	(void)state;
	expect_error(scope("a2 06 81" PFX "0e fb 40ac200000000000"),
	    DOTS_ETYPE, SP "/lifetime",
	    "must be an integer, not a floating-point number");
	expect_error(scope("a2 06 81" PFX "07 81 a1 08 f9 5500"), DOTS_ETYPE,
	    SP "/target-port-range/0/lower-port", "floating-point");
	expect_error(scope("a2 06 81" PFX "0a 81 fa 40c00000" LIFE),
	    DOTS_ETYPE, SP "/target-protocol/0", "floating-point");
	expect_error(ACK_TIMEOUT("fb 4004000000000000"), DOTS_ETYPE,
	    ACK_PATH, "decimal fraction (tag 4)");
}

static void
test_cbor_decode_rejects_out_of_range(void **state)
{
	(void)state;
	expect_error(scope("a2 06 81" PFX "07 81 a1 08 1a 00011170"),
	    DOTS_ERANGE, SP "/target-port-range/0/lower-port",
	    "70000 is out of range 0..65535");
	expect_error(scope("a2 06 81" PFX "07 81 a2 08 01 09 1a 00010000"),
	    DOTS_ERANGE, SP "/target-port-range/0/upper-port",
	    "out of range");
	expect_error(scope("a3 06 81" PFX "0a 81 19 0100" LIFE), DOTS_ERANGE,
	    SP "/target-protocol/0", "256 is out of range 0..255");
	expect_error(scope("a2 06 81" PFX "0e 21"), DOTS_ERANGE,
	    SP "/lifetime", "out of range");
	expect_error(scope("a2 06 81" PFX "0e 1b 0000000100000000"),
	    DOTS_ERANGE, SP "/lifetime", "out of range");
	expect_error(scope("a2 06 81" PFX "0e 3b 7fffffffffffffff"),
	    DOTS_ERANGE, SP "/lifetime", "out of range");
	expect_error(scope("a3 06 81" PFX LIFE "05 1b 0000000100000000"),
	    DOTS_ERANGE, SP "/mid", "out of range");
	expect_error(scope("a3 06 81" PFX LIFE "10 09"), DOTS_ERANGE,
	    SP "/status", "9 is not a known status value");
	expect_error(scope("a3 06 81" PFX LIFE "10 00"), DOTS_ERANGE,
	    SP "/status", "0 is not a known status value");
	expect_error(scope("a3 06 81" PFX LIFE "11 a1 13 05"), DOTS_ERANGE,
	    SP "/conflict-information/conflict-cause",
	    "5 is not a known conflict-cause value");
	expect_error(scope("a3 06 81" PFX LIFE "11 a1 12 04"), DOTS_ERANGE,
	    SP "/conflict-information/conflict-status", "not a known");
	expect_error(scope("a3 06 81" PFX LIFE "18 1d 03"), DOTS_ERANGE,
	    SP "/attack-status", "not a known attack-status value");
	expect_error(scope("a3 06 81" PFX LIFE "18 35 81 a2 17 %s 18 34 04",
	    tx("acl1")), DOTS_ERANGE, SP "/acl-list/0/activation-type",
	    "4 is not a known activation-type value");
	expect_error("a1 18 1e a1 18 20 a1 18 21 a1 18 24 1a 00010000",
	    DOTS_ERANGE, "signal-config/mitigating-config/"
	    "heartbeat-interval/current-value", "out of range 0..65535");
	expect_error(scope("a3 06 81" PFX LIFE "19 8002 81 a1 19 8003 19 0100"),
	    DOTS_ERANGE, SP "/source-icmp-type-range/0/lower-type",
	    "out of range 0..255");
}

/* The message names the value the peer sent. */
static void
test_cbor_decode_lifetime_range_names_value(void **state)
{
	(void)state;
	expect_error(scope("a2 06 81" PFX "0e 1b 0000000100000000"),
	    DOTS_ERANGE, SP "/lifetime", "4294967296 is out of range");
	expect_error(scope("a2 06 81" PFX "0e 21"), DOTS_ERANGE,
	    SP "/lifetime", "-2 is out of range");
}

static void
test_cbor_decode_lifetime_limits(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;

	(void)state;
	m = expect_ok(scope("a2 06 81" PFX "0e 20"), &diag);
	assert_int_equal(m->mitigation.scope[0].lifetime,
	    DOTS_LIFETIME_INDEFINITE);
	dots_signal_free(m);
	m = expect_ok(scope("a2 06 81" PFX "0e 1a ffffffff"), &diag);
	assert_int_equal(m->mitigation.scope[0].lifetime, UINT32_MAX);
	dots_signal_free(m);
	/* 0 decodes; refusing it in a request is the validator's job */
	m = expect_ok(scope("a2 06 81" PFX "0e 00"), &diag);
	assert_int_equal(m->mitigation.scope[0].lifetime, 0);
	assert_true(m->mitigation.scope[0].present & DOTS_SCOPE_LIFETIME);
	dots_signal_free(m);
	/* uint64 counters take the whole range */
	m = expect_ok(scope("a3 06 81" PFX LIFE "0f 1b ffffffffffffffff"),
	    &diag);
	assert_true(m->mitigation.scope[0].mitigation_start == UINT64_MAX);
	dots_signal_free(m);
}

static void
test_cbor_decode_rejects_bad_prefix(void **state)
{
	static const char *const bad[] = {
		"192.0.2.0/33", "300.1.1.1/8", "2001:db8::/129", "abc",
		"192.0.2.1/024", "192.0.2.0", "192.0.2.0/", "/24",
		"fe80::1%eth0/64", "192.0.2.0/24 ",
	};
	char word[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(word, sizeof(word), "'%s' is not an IP prefix",
		    bad[i]);
		expect_error(scope("a2 06 81 %s" LIFE, tx(bad[i])),
		    DOTS_EVALUE, SP "/target-prefix/0", word);
	}
	/* the second entry, and a source-prefix */
	expect_error(scope("a2 06 82" PFX "%s" LIFE, tx("abc")), DOTS_EVALUE,
	    SP "/target-prefix/1", "not an IP prefix");
	expect_error(scope("a3 06 81" PFX LIFE "19 8000 81 %s",
	    tx("10.0.0.0/40")), DOTS_EVALUE, SP "/source-prefix/0",
	    "not an IP prefix");
	/* a NUL inside, and text longer than any prefix */
	expect_error(scope("a2 06 81 %s" LIFE, txn("192.0.2.0/24\0", 13)),
	    DOTS_EVALUE, SP "/target-prefix/0", "not an IP prefix");
	expect_error(scope("a2 06 81 %s" LIFE, tx("2001:0db8:0000:0000:0000:"
	    "0000:0000:0000:0000:0000:0000:0000:0000/128")), DOTS_ETOOBIG,
	    SP "/target-prefix/0", "longer than 64");
}

static void
test_cbor_decode_normalises_host_bits(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;
	char text[64];

	(void)state;
	m = expect_ok(scope("a2 06 81 %s" LIFE, tx("192.0.2.1/24")), &diag);
	assert_int_equal(dots_prefix_format(
	    &m->mitigation.scope[0].target.prefix[0], text, sizeof(text)),
	    DOTS_OK);
	assert_string_equal(text, "192.0.2.0/24");
	assert_int_equal(diag.nwarn, 1);
	expect_warning(&diag, SP "/target-prefix/0", "host bits");
	expect_warning(&diag, SP "/target-prefix/0", "192.0.2.0/24");
	dots_signal_free(m);

	m = expect_ok(scope("a2 06 82" PFX "%s" LIFE, tx("2001:db8::1/64")),
	    &diag);
	assert_int_equal(dots_prefix_format(
	    &m->mitigation.scope[0].target.prefix[1], text, sizeof(text)),
	    DOTS_OK);
	assert_string_equal(text, "2001:db8::/64");
	expect_warning(&diag, SP "/target-prefix/1", "host bits");
	dots_signal_free(m);
}

static void
test_cbor_decode_rejects_inverted_range(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;

	(void)state;
	expect_error(scope("a2 06 81" PFX "07 81 a2 08 18 5a 09 18 50"),
	    DOTS_ERANGE, SP "/target-port-range/0",
	    "upper-port 80 is lower than lower-port 90");
	expect_error(scope("a3 06 81" PFX LIFE "19 8001 82 a1 08 01 a2 08 "
	    "19 0400 09 19 03ff"), DOTS_ERANGE, SP "/source-port-range/1",
	    "upper-port 1023 is lower than lower-port 1024");
	expect_error(scope("a3 06 81" PFX LIFE "19 8002 81 a2 19 8003 0a "
	    "19 8004 05"), DOTS_ERANGE, SP "/source-icmp-type-range/0",
	    "upper-type 5 is lower than lower-type 10");
	/* the key of the list is mandatory */
	expect_error(scope("a2 06 81" PFX "07 81 a1 09 18 5a"), DOTS_EMISSING,
	    SP "/target-port-range/0", "'lower-port'");

	/* equal bounds are a range of one; no upper means the same */
	m = expect_ok(scope("a3 06 81" PFX LIFE "07 82 a2 08 18 50 09 18 50 "
	    "a1 08 19 01bb"), &diag);
	assert_int_equal(m->mitigation.scope[0].target.port_range[0]
	    .upper_port, 80);
	assert_int_equal(m->mitigation.scope[0].target.port_range[1]
	    .upper_port, 443);
	assert_false(m->mitigation.scope[0].target.port_range[1].present &
	    DOTS_PORT_UPPER);
	dots_signal_free(m);
}

static void
test_cbor_decode_rejects_duplicate_entry(void **state)
{
	(void)state;
	expect_error(scope("a2 06 82" PFX PFX LIFE), DOTS_EDUPLICATE,
	    SP "/target-prefix/1", "duplicate entry 192.0.2.0/24");
	/* equal once normalised */
	expect_error(scope("a2 06 82 %s" PFX LIFE, tx("192.0.2.1/24")),
	    DOTS_EDUPLICATE, SP "/target-prefix/1", "same as entry 0");
	expect_error(scope("a2 06 82 %s %s" LIFE, tx("2001:db8::/32"),
	    tx("2001:DB8:0::/32")), DOTS_EDUPLICATE, SP "/target-prefix/1",
	    "duplicate entry 2001:db8::/32");
	expect_error(scope("a3 06 81" PFX "0a 83 06 11 06" LIFE),
	    DOTS_EDUPLICATE, SP "/target-protocol/2", "duplicate entry 6");
	expect_error(scope("a2 0d 82 %s %s" LIFE, tx("a"), tx("a")),
	    DOTS_EDUPLICATE, SP "/alias-name/1", "duplicate entry 'a'");
	expect_error(scope("a2 06 9f" PFX PFX "ff" LIFE), DOTS_EDUPLICATE,
	    SP "/target-prefix/1", "duplicate");
	/* list entries with the same key */
	expect_error(scope("a3 06 81" PFX "07 82 a1 08 18 50 a2 08 18 50 09 "
	    "18 5a" LIFE), DOTS_EDUPLICATE, SP "/target-port-range/1",
	    "duplicate entry with key 80");
	expect_error(scope("a3 06 81" PFX LIFE "18 35 82 a1 17 %s a2 17 %s "
	    "18 34 02", tx("acl1"), tx("acl1")), DOTS_EDUPLICATE,
	    SP "/acl-list/1", "duplicate entry with key 'acl1'");
	expect_error(scope("a3 06 81" PFX LIFE "19 8002 82 a1 19 8003 03 "
	    "a1 19 8003 03"), DOTS_EDUPLICATE,
	    SP "/source-icmp-type-range/1", "key 3");
}

static void
test_cbor_decode_rejects_duplicate_key(void **state)
{
	(void)state;
	expect_error(scope("a3 06 81" PFX LIFE LIFE), DOTS_EDUPLICATE,
	    SP "/lifetime", "duplicate map key 14");
	/* the same key in another encoding */
	expect_error(scope("a3 06 81" PFX LIFE "18 0e 19 0e10"),
	    DOTS_EDUPLICATE, SP "/lifetime", "duplicate map key 14");
	expect_error(scope("a3 06 81" PFX "06 81" PFX LIFE), DOTS_EDUPLICATE,
	    SP "/target-prefix", "duplicate map key 6");
	expect_error("a1 01 a2 02 81 a2 06 81" PFX LIFE
	    "02 81 a2 06 81" PFX LIFE, DOTS_EDUPLICATE,
	    "mitigation-scope/scope", "duplicate map key 2");
	expect_error(scope("a2 06 81" PFX "07 81 a2 08 01 08 02"),
	    DOTS_EDUPLICATE, SP "/target-port-range/0/lower-port",
	    "duplicate map key 8");
	expect_error("a1 18 31 a2 18 33 f5 18 33 f4", DOTS_EDUPLICATE,
	    "heartbeat/peer-hb-status", "duplicate map key 51");
}

static void
test_cbor_decode_rejects_empty_list(void **state)
{
	(void)state;
	expect_error(scope("a2 06 80" LIFE), DOTS_EEMPTY, SP "/target-prefix",
	    "empty list");
	expect_error(scope("a2 06 9f ff" LIFE), DOTS_EEMPTY,
	    SP "/target-prefix", "empty list");
	expect_error(scope("a3 06 81" PFX "07 80" LIFE), DOTS_EEMPTY,
	    SP "/target-port-range", "empty list");
	expect_error(scope("a3 06 81" PFX LIFE "0d 80"), DOTS_EEMPTY,
	    SP "/alias-name", "empty list");
	expect_error("a1 01 a1 02 80", DOTS_EEMPTY, "mitigation-scope/scope",
	    "empty list");
	expect_error("a1 01 a1 02 9f ff", DOTS_EEMPTY,
	    "mitigation-scope/scope", "empty list");
}

static void
test_cbor_decode_rejects_empty_map(void **state)
{
	(void)state;
	expect_error("a1 01 a1 02 81 a0", DOTS_EEMPTY, SP, "empty list entry");
	expect_error("a1 01 a1 02 81 bf ff", DOTS_EEMPTY, SP,
	    "empty list entry");
	expect_error("a1 01 a0", DOTS_EEMPTY, "mitigation-scope",
	    "empty container");
	expect_error("a1 01 bf ff", DOTS_EEMPTY, "mitigation-scope",
	    "empty container");
	expect_error(scope("a3 06 81" PFX LIFE "11 a0"), DOTS_EEMPTY,
	    SP "/conflict-information", "empty container");
	expect_error(scope("a2 06 81" PFX "07 81 a0"), DOTS_EEMPTY,
	    SP "/target-port-range/0", "empty list entry");
	expect_error("a1 18 31 a0", DOTS_EEMPTY, "heartbeat",
	    "empty container");
	expect_error("a1 18 1e a0", DOTS_EEMPTY, "signal-config",
	    "empty container");
	expect_error("a1 18 1e a1 18 20 a1 18 21 a0", DOTS_EEMPTY,
	    "signal-config/mitigating-config/heartbeat-interval",
	    "empty container");
	expect_error("a1 18 2e a0", DOTS_EEMPTY, "redirected-signal",
	    "empty container");
	/* a map whose only key is unknown and optional is empty too */
	expect_error("a1 01 a1 02 81 a1 18 82 00", DOTS_EEMPTY, SP,
	    "empty list entry");
}

static void
test_cbor_decode_rejects_empty_string(void **state)
{
	(void)state;
	expect_error(scope("a3 06 81" PFX LIFE "0d 81 60"), DOTS_EEMPTY,
	    SP "/alias-name/0", "empty value");
	expect_error(scope("a3 06 81" PFX LIFE "0d 81 7f ff"), DOTS_EEMPTY,
	    SP "/alias-name/0", "empty value");
	expect_error(scope("a3 06 81" PFX LIFE "0d 81 7f 60 60 ff"),
	    DOTS_EEMPTY, SP "/alias-name/0", "empty value");
	expect_error(scope("a2 06 81 60" LIFE), DOTS_EEMPTY,
	    SP "/target-prefix/0", "empty value");
	expect_error(scope("a2 0b 81 60" LIFE), DOTS_EEMPTY,
	    SP "/target-fqdn/0", "empty value");
	expect_error(scope("a3 06 81" PFX LIFE "18 35 81 a1 17 60"),
	    DOTS_EEMPTY, SP "/acl-list/0/acl-name", "empty value");
	expect_error("a1 18 2e a1 18 2f 60", DOTS_EEMPTY,
	    "redirected-signal/alt-server", "empty value");
}

static void
test_cbor_decode_rejects_uri_path_keys(void **state)
{
	(void)state;
	expect_error(scope("a3 06 81" PFX LIFE "04 %s", tx("abc")),
	    DOTS_EFORBIDDEN, SP "/cuid", "Uri-Path");
	expect_error(scope("a3 06 81" PFX LIFE "03 %s", tx("abc")),
	    DOTS_EFORBIDDEN, SP "/cdid", "Uri-Path");
	/* whatever the value */
	expect_error(scope("a3 03 00 06 81" PFX LIFE), DOTS_EFORBIDDEN,
	    SP "/cdid", "must not appear in a body");
}

/* {1: {2: [{6: [<n prefixes>], 14: 3600}]}}, definite or not. */
static void
put_many_prefixes(unsigned n, bool indefinite)
{
	char text[32];
	unsigned i;

	body_len = 0;
	put_hex("a1 01 a1 02 81 a2 06");
	if (indefinite)
		put_hex("9f");
	else
		put_head(4, n);
	for (i = 0; i < n; i++) {
		snprintf(text, sizeof(text), "10.%u.%u.0/24", i / 256,
		    i % 256);
		put_text(text);
	}
	if (indefinite)
		put_hex("ff");
	put_hex(LIFE);
}

static void
test_cbor_decode_rejects_too_many_entries(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;

	(void)state;
	put_many_prefixes(1024, false);
	m = decode_body("1024 prefixes", &diag);
	assert_int_equal(m->mitigation.scope[0].target.n_prefix, 1024);
	dots_signal_free(m);
	put_many_prefixes(1024, true);
	m = decode_body("1024 prefixes, indefinite", &diag);
	assert_int_equal(m->mitigation.scope[0].target.n_prefix, 1024);
	dots_signal_free(m);

	put_many_prefixes(1025, false);
	expect_body_error("1025 prefixes", DOTS_ETOOBIG, SP "/target-prefix",
	    "at most 1024");
	put_many_prefixes(1025, true);
	expect_body_error("1025 prefixes, indefinite", DOTS_ETOOBIG,
	    SP "/target-prefix/1024", "1024 entries");
	/* a count far beyond the limit, with nothing behind it */
	expect_error(scope("a2 06 9a 00100000"), DOTS_ETOOBIG,
	    SP "/target-prefix", "at most 1024");
}

static void
test_cbor_decode_rejects_long_string(void **state)
{
	char name[300];
	struct dots_signal *m;
	struct dots_diag diag;

	(void)state;
	memset(name, 'a', sizeof(name));
	name[255] = '\0';
	m = expect_ok(scope("a3 06 81" PFX LIFE "0d 81 %s", tx(name)),
	    &diag);
	assert_int_equal(strlen(m->mitigation.scope[0].alias_name[0]), 255);
	dots_signal_free(m);

	/* 256 bytes, with a two-byte length head */
	name[255] = 'a';
	name[256] = '\0';
	body_len = 0;
	put_hex(scope("a3 06 81" PFX LIFE "0d 81"));
	put_head(3, 256);
	memcpy(body + body_len, name, 256);
	body_len += 256;
	expect_body_error("alias-name of 256", DOTS_ETOOBIG,
	    SP "/alias-name/0", "longer than 255");
	/* the same length in indefinite chunks */
	expect_error(scope("a3 06 81" PFX LIFE "0d 81 7f %s %s ff",
	    tx(name + 56), tx(name + 200)), DOTS_ETOOBIG, SP "/alias-name/0",
	    "longer than 255");
	/* acl-name: 64 at most */
	memset(name, 'b', 65);
	name[65] = '\0';
	expect_error(scope("a3 06 81" PFX LIFE "18 35 81 a1 17 %s", tx(name)),
	    DOTS_ETOOBIG, SP "/acl-list/0/acl-name", "longer than 64");
	/* target-fqdn: 253 at most */
	memset(name, 'c', 254);
	name[254] = '\0';
	expect_error(scope("a2 0b 81 %s" LIFE, tx(name)), DOTS_ETOOBIG,
	    SP "/target-fqdn/0", "longer than 253");
}

static void
test_cbor_decode_rejects_bad_text(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;

	(void)state;
	expect_error(scope("a3 06 81" PFX LIFE "0d 81 %s", txn("a\xff", 2)),
	    DOTS_EVALUE, SP "/alias-name/0", "not valid UTF-8");
	/* overlong '/', a surrogate, a truncated sequence */
	expect_error(scope("a3 06 81" PFX LIFE "0d 81 %s", txn("\xc0\xaf", 2)),
	    DOTS_EVALUE, SP "/alias-name/0", "not valid UTF-8");
	expect_error(scope("a3 06 81" PFX LIFE "0d 81 %s",
	    txn("\xed\xa0\x80", 3)), DOTS_EVALUE, SP "/alias-name/0",
	    "not valid UTF-8");
	expect_error(scope("a3 06 81" PFX LIFE "0d 81 %s", txn("ab\xe2\x82",
	    4)), DOTS_EVALUE, SP "/alias-name/0", "not valid UTF-8");
	expect_error(scope("a3 06 81" PFX LIFE "0d 81 %s", txn("a\0b", 3)),
	    DOTS_EVALUE, SP "/alias-name/0", "NUL");
	expect_error(scope("a2 0b 81 %s" LIFE, txn("example.com\0", 12)),
	    DOTS_EVALUE, SP "/target-fqdn/0", "NUL");
	/* the message shows the text safely */
	expect_error(scope("a3 06 81" PFX LIFE "0d 81 %s", txn("a\xff", 2)),
	    DOTS_EVALUE, SP "/alias-name/0", "'a?'");
	/* valid UTF-8 passes */
	m = expect_ok(scope("a3 06 81" PFX LIFE "0d 81 %s",
	    tx("caf\xc3\xa9 \xf0\x9f\x98\x80")), &diag);
	dots_signal_free(m);
	/* domain names and URIs have their own syntax */
	expect_error(scope("a2 0b 81 %s" LIFE, tx("a..example")),
	    DOTS_EVALUE, SP "/target-fqdn/0", "empty label");
	expect_error(scope("a2 0b 81 %s" LIFE, tx("exa mple.com")),
	    DOTS_EVALUE, SP "/target-fqdn/0", "not a domain name");
	expect_error(scope("a2 0c 81 %s" LIFE, tx("www.example.com")),
	    DOTS_EVALUE, SP "/target-uri/0", "not a URI");
}

static void
test_cbor_decode_accepts_non_shortest(void **state)
{
	(void)state;
	expect_same_as_canonical(
	    "b9 0001 1b 0000000000000001 ba 00000001 19 0002 9a 00000001 "
	    "bb 0000000000000003 18 06 99 0001 78 0c 3139322e302e322e302f3234 "
	    "1a 00000007 98 01 b8 02 19 0008 1a 00000050 "
	    "1b 0000000000000009 19 005a 18 0e 1b 0000000000000e10");
	/* a text header in 2 bytes, a lifetime in 4 */
	expect_same_as_canonical("a1 01 a1 02 81 a3 06 81 79 000c "
	    "3139322e302e322e302f3234 07 81 a2 08 18 50 09 18 5a "
	    "0e 1a 00000e10");
}

static void
test_cbor_decode_accepts_indefinite(void **state)
{
	(void)state;
	/* every map, array and string indefinite */
	expect_same_as_canonical("bf 01 bf 02 9f bf 06 9f 7f 66 3139322e302e "
	    "66 322e302f3234 ff ff 07 9f bf 08 18 50 09 18 5a ff ff "
	    "0e 19 0e10 ff ff ff ff");
	/* mixed, keys in another order, one empty chunk */
	expect_same_as_canonical("a1 01 bf 02 81 bf 0e 19 0e10 07 81 a2 09 18 "
	    "5a 08 18 50 06 9f 7f 60 6c 3139322e302e322e302f3234 ff ff ff ff");
}

static void
test_cbor_decode_tag_271(void **state)
{
	(void)state;
	expect_same_as_canonical("d9 010f" CANONICAL);
	/* non-shortest tag head */
	expect_same_as_canonical("da 0000010f" CANONICAL);
	/* other tags, and tag 271 twice or in the wrong place */
	expect_error("c1" CANONICAL, DOTS_ETYPE, "", "map with one entry");
	expect_error("d9 d9f7" CANONICAL, DOTS_ETYPE, "",
	    "map with one entry");
	expect_error("d9 010f d9 010f" CANONICAL, DOTS_ETYPE, "",
	    "map with one entry");
	expect_error("d9 010f", DOTS_EMALFORMED, "", "truncated");
	expect_error("a1 01 d9 010f a1 02 81 a2 06 81" PFX LIFE, DOTS_ETYPE,
	    "mitigation-scope", "not a tagged value");
	expect_error(scope("a2 06 81 d9 010f" PFX LIFE), DOTS_ETYPE,
	    SP "/target-prefix/0", "unexpected CBOR tag 271");
	expect_error(scope("a2 06 81" PFX "0e c1 19 0e10"), DOTS_ETYPE,
	    SP "/lifetime", "unexpected CBOR tag 1");
	expect_error(scope("a2 06 81" PFX "0e c2 41 01"), DOTS_ETYPE,
	    SP "/lifetime", "unexpected CBOR tag 2");
}

static void
expect_ack_timeout(const char *value, int64_t want)
{
	char hex[256];
	struct dots_signal *m;
	struct dots_diag diag;
	const struct dots_cfg_value *v;

	snprintf(hex, sizeof(hex), ACK_TIMEOUT("%s"), value);
	m = expect_ok(hex, &diag);
	assert_int_equal(m->kind, DOTS_SIG_CONFIG);
	v = &m->config.mitigating_config.ack_timeout;
	assert_int_equal(v->present, DOTS_CFG_CURRENT);
	if (v->current_value != want)
		fail_msg("%s: %lld hundredths, want %lld", value,
		    (long long)v->current_value, (long long)want);
	dots_signal_free(m);
}

static void
test_cbor_decode_decimal(void **state)
{
	(void)state;
	expect_ack_timeout("c4 82 21 18 c8", 200);	/* [-2, 200] */
	expect_ack_timeout("c4 82 20 18 19", 250);	/* [-1, 25]: 2.5 */
	expect_ack_timeout("c4 82 22 19 07d0", 200);	/* [-3, 2000] */
	expect_ack_timeout("c4 82 00 02", 200);		/* [0, 2] */
	expect_ack_timeout("c4 82 01 02", 2000);	/* [1, 2] */
	expect_ack_timeout("c4 82 21 00", 0);
	expect_ack_timeout("c4 9f 21 18 96 ff", 150);	/* indefinite */
	expect_ack_timeout("c4 82 39 0001 1a 000000c8", 200);

	expect_error(ACK_TIMEOUT("c4 82 22 19 07d1"), DOTS_ERANGE, ACK_PATH,
	    "more than 2 fraction digits");
	expect_error(ACK_TIMEOUT("c4 82 21 20"), DOTS_ERANGE, ACK_PATH,
	    "must not be negative");
	expect_error(ACK_TIMEOUT("c4 82 15 01"), DOTS_ERANGE, ACK_PATH,
	    "exponent 21");
	expect_error(ACK_TIMEOUT("c4 82 00 1b 4000000000000000"), DOTS_ERANGE,
	    ACK_PATH, "too large");
	expect_error(ACK_TIMEOUT("c4 82 00 1a 3b9aca01"), DOTS_ERANGE,
	    ACK_PATH, "too large");
	expect_error(ACK_TIMEOUT("c4 82 21 1b 8000000000000000"), DOTS_ERANGE,
	    ACK_PATH, "out of range");
	expect_error(ACK_TIMEOUT("c4 83 21 01 02"), DOTS_ETYPE, ACK_PATH,
	    "[exponent, mantissa]");
	expect_error(ACK_TIMEOUT("c4 9f 21 01 02 ff"), DOTS_ETYPE, ACK_PATH,
	    "[exponent, mantissa]");
	expect_error(ACK_TIMEOUT("c4 01"), DOTS_ETYPE, ACK_PATH,
	    "[exponent, mantissa]");
	expect_error(ACK_TIMEOUT("c4 82 61 61 01"), DOTS_ETYPE, ACK_PATH,
	    "integer in a decimal fraction");
	expect_error(ACK_TIMEOUT("02"), DOTS_ETYPE, ACK_PATH,
	    "must be a decimal fraction (tag 4)");
	expect_error(ACK_TIMEOUT("c5 82 21 01"), DOTS_ETYPE, ACK_PATH,
	    "unexpected CBOR tag 5");
	expect_error(ACK_TIMEOUT("c4 82 21"), DOTS_EMALFORMED, ACK_PATH,
	    "truncated");
	/* a decimal where an integer parameter is expected */
	expect_error("a1 18 1e a1 18 20 a1 18 21 a1 18 24 c4 82 21 01",
	    DOTS_ETYPE, "signal-config/mitigating-config/heartbeat-interval/"
	    "current-value", "unexpected CBOR tag 4");
}

/* A valid body of @p total bytes, padded by an optional key. */
static void
put_padded_body(size_t total)
{
	char hex[16];
	size_t pad;

	body_len = 0;
	put_hex(scope("a3 06 81" PFX LIFE "18 82"));
	pad = total - body_len - 5;
	snprintf(hex, sizeof(hex), "5a %08zx", pad);
	put_hex(hex);
	memset(body + body_len, 0, pad);
	body_len += pad;
	assert_int_equal(body_len, total);
}

static void
test_cbor_decode_rejects_large_body(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;

	(void)state;
	put_padded_body(DOTS_CBOR_MAX_BODY);
	m = decode_body("body of DOTS_CBOR_MAX_BODY", &diag);
	expect_warning(&diag, SP, "key 130");
	dots_signal_free(m);

	put_padded_body(DOTS_CBOR_MAX_BODY + 1);
	expect_body_error("body of DOTS_CBOR_MAX_BODY + 1", DOTS_ETOOBIG, "",
	    "larger than 65536");
}

static void
test_cbor_decode_rejects_deep_nesting(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;
	unsigned i;

	(void)state;
	/* 30 nested arrays in an optional value: skipped */
	body_len = 0;
	put_hex(scope("a3 06 81" PFX LIFE "18 82"));
	for (i = 0; i < 30; i++)
		put_hex("81");
	put_hex("00");
	m = decode_body("30 nested arrays", &diag);
	expect_warning(&diag, SP, "key 130");
	dots_signal_free(m);

	/* 40: refused as malformed */
	body_len = 0;
	put_hex(scope("a3 06 81" PFX LIFE "18 82"));
	for (i = 0; i < 40; i++)
		put_hex("81");
	put_hex("00");
	expect_body_error("40 nested arrays", DOTS_EMALFORMED, SP,
	    "malformed");

	/* as deep as the body allows, indefinite maps and tags alike */
	body_len = 0;
	put_hex(scope("a3 06 81" PFX LIFE "18 82"));
	while (body_len < DOTS_CBOR_MAX_BODY - 2)
		put_hex("bf 01");
	expect_body_error("nested indefinite maps", DOTS_EMALFORMED, SP,
	    "malformed");
	body_len = 0;
	put_hex(scope("a3 06 81" PFX LIFE "18 82"));
	while (body_len < DOTS_CBOR_MAX_BODY - 1)
		put_hex("c1");
	put_hex("00");
	expect_body_error("nested tags", DOTS_EMALFORMED, SP, "malformed");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cbor_decode_accepts_canonical),
		cmocka_unit_test(test_cbor_decode_bad_arguments),
		cmocka_unit_test(test_cbor_decode_rejects_empty_body),
		cmocka_unit_test(test_cbor_decode_rejects_truncated),
		cmocka_unit_test(test_cbor_decode_rejects_malformed),
		cmocka_unit_test(test_cbor_decode_rejects_stray_break),
		cmocka_unit_test(test_cbor_decode_rejects_trailing_bytes),
		cmocka_unit_test(test_cbor_decode_rejects_bad_root),
		cmocka_unit_test(test_cbor_decode_rejects_required_unknown_key),
		cmocka_unit_test(test_cbor_decode_skips_optional_unknown_key),
		cmocka_unit_test(test_cbor_decode_rejects_non_integer_key),
		cmocka_unit_test(test_cbor_decode_rejects_wrong_type),
		cmocka_unit_test(test_cbor_decode_rejects_float),
		cmocka_unit_test(test_cbor_decode_rejects_out_of_range),
		cmocka_unit_test(test_cbor_decode_lifetime_range_names_value),
		cmocka_unit_test(test_cbor_decode_lifetime_limits),
		cmocka_unit_test(test_cbor_decode_rejects_bad_prefix),
		cmocka_unit_test(test_cbor_decode_normalises_host_bits),
		cmocka_unit_test(test_cbor_decode_rejects_inverted_range),
		cmocka_unit_test(test_cbor_decode_rejects_duplicate_entry),
		cmocka_unit_test(test_cbor_decode_rejects_duplicate_key),
		cmocka_unit_test(test_cbor_decode_rejects_empty_list),
		cmocka_unit_test(test_cbor_decode_rejects_empty_map),
		cmocka_unit_test(test_cbor_decode_rejects_empty_string),
		cmocka_unit_test(test_cbor_decode_rejects_uri_path_keys),
		cmocka_unit_test(test_cbor_decode_rejects_too_many_entries),
		cmocka_unit_test(test_cbor_decode_rejects_long_string),
		cmocka_unit_test(test_cbor_decode_rejects_bad_text),
		cmocka_unit_test(test_cbor_decode_accepts_non_shortest),
		cmocka_unit_test(test_cbor_decode_accepts_indefinite),
		cmocka_unit_test(test_cbor_decode_tag_271),
		cmocka_unit_test(test_cbor_decode_decimal),
		cmocka_unit_test(test_cbor_decode_rejects_large_body),
		cmocka_unit_test(test_cbor_decode_rejects_deep_nesting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
