/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What dots_json_decode_signal() refuses: the rejection classes of the
 * CBOR decoder (test_cbor_decode.c) in their RFC 7951 form, and what only
 * JSON has: module-qualified member names, 64-bit integers and decimals
 * as strings, enumeration labels, null and real numbers.  Each case
 * checks the error code, the exact path and a word of the message.
 *
 * To keep the inputs readable they are written with ' for ", which the
 * helpers swap back; scope() wraps the members of one scope into a full
 * mitigation-scope body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dots/error.h>
#include <dots/json.h>
#include <dots/model.h>

#include "expect_diag.h"

#define SP		"mitigation-scope/scope/0"
#define TEXT_MAX	65536

#define PFX		"'target-prefix':['192.0.2.0/24']"
#define LIFE		"'lifetime':3600"

#define CFG(inner)							\
	"{'ietf-dots-signal-channel:signal-config':"			\
	"{'mitigating-config':{" inner "}}}"
#define ACK_TIMEOUT(v)	CFG("'ack-timeout':{'current-value-decimal':" v "}")
#define ACK_PATH							\
	"signal-config/mitigating-config/ack-timeout/current-value-decimal"

static char	text[TEXT_MAX];

/* Copy @p src into text[] with ' turned into ". */
static const char *
dq(const char *src)
{
	size_t i;

	for (i = 0; src[i] != '\0'; i++) {
		assert_true(i < sizeof(text) - 1);
		text[i] = src[i] == '\'' ? '"' : src[i];
	}
	text[i] = '\0';
	return text;
}

/* The body of one scope whose members come from the format. */
static const char *
scope(const char *fmt, ...)
{
	static char buf[TEXT_MAX];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf),
	    "{'ietf-dots-signal-channel:mitigation-scope':{'scope':[{");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	snprintf(buf + n, sizeof(buf) - (size_t)n, "}]}}");
	return buf;
}

static void
expect_error_flags(unsigned flags, const char *json, int err,
    const char *path, const char *word)
{
	struct dots_signal *m = (struct dots_signal *)&m;
	struct dots_diag diag;
	const char *s = dq(json);
	int ret;

	ret = dots_json_decode_signal(s, strlen(s), flags, &m, &diag);
	check_error(s, ret, m, &diag, err, path, word);
}

static void
expect_error(const char *json, int err, const char *path, const char *word)
{
	expect_error_flags(0, json, err, path, word);
}

/* Decode @p json, which must succeed.  **new** message. */
static struct dots_signal *
expect_ok_flags(unsigned flags, const char *json, struct dots_diag *diag)
{
	struct dots_signal *m = NULL;
	const char *s = dq(json);
	int ret;

	ret = dots_json_decode_signal(s, strlen(s), flags, &m, diag);
	if (ret != DOTS_OK)
		fail_msg("%s: %s at '%s': %s", s, dots_err_name(ret),
		    diag->error.path, diag->error.msg);
	assert_non_null(m);
	return m;
}

static struct dots_signal *
expect_ok(const char *json, struct dots_diag *diag)
{
	return expect_ok_flags(0, json, diag);
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
	fail_msg("no warning at '%s' with '%s' (%u warnings%s%s%s%s)", path,
	    word, diag->nwarn, diag->nwarn ? ", first: " : "",
	    diag->nwarn ? diag->warn[0].path : "", diag->nwarn ? ": " : "",
	    diag->nwarn ? diag->warn[0].msg : "");
}

static void
test_json_decode_accepts_minimal(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;

	(void)state;
	m = expect_ok(scope(PFX "," LIFE), &diag);
	assert_int_equal(diag.nwarn, 0);
	assert_int_equal(m->kind, DOTS_SIG_MITIGATION);
	assert_int_equal(m->mitigation.n_scope, 1);
	assert_int_equal(m->mitigation.scope[0].lifetime, 3600);
	assert_int_equal(m->mitigation.scope[0].target.n_prefix, 1);
	dots_signal_free(m);
}

static void
test_json_decode_bad_arguments(void **state)
{
	struct dots_signal *m = NULL;
	struct dots_diag diag;
	const char *s = dq(scope(PFX "," LIFE));
	int ret;

	(void)state;
	assert_int_equal(dots_json_decode_signal(s, strlen(s), 0, NULL, NULL),
	    DOTS_EINVAL);
	assert_int_equal(dots_json_decode_signal(NULL, 1, 0, &m, NULL),
	    DOTS_EINVAL);
	assert_int_equal(dots_json_decode_signal(s, strlen(s), 0, &m, NULL),
	    DOTS_OK);
	dots_signal_free(m);
	/* the length counts, not a terminator */
	ret = dots_json_decode_signal(s, strlen(s) - 1, 0, &m, &diag);
	check_error("one byte short", ret, m, &diag, DOTS_EMALFORMED, "",
	    "invalid JSON");
	ret = dots_json_decode_signal(s, 0, 0, &m, &diag);
	check_error("empty", ret, m, &diag, DOTS_EMALFORMED, "",
	    "invalid JSON");
}

static void
test_json_decode_rejects_invalid_json(void **state)
{
	(void)state;
	expect_error("{", DOTS_EMALFORMED, "", "invalid JSON");
	expect_error("", DOTS_EMALFORMED, "", "invalid JSON");
	expect_error("{'ietf-dots-signal-channel:heartbeat':}",
	    DOTS_EMALFORMED, "", "invalid JSON at line 1");
	expect_error("{'ietf-dots-signal-channel:heartbeat':"
	    "{'peer-hb-status':true},}", DOTS_EMALFORMED, "", "invalid JSON");
	expect_error("{'ietf-dots-signal-channel:heartbeat':"
	    "{'peer-hb-status':True}}", DOTS_EMALFORMED, "", "invalid JSON");
	/* trailing data after the document */
	expect_error("{'ietf-dots-signal-channel:heartbeat':"
	    "{'peer-hb-status':true}} {}", DOTS_EMALFORMED, "",
	    "invalid JSON");
	/* NUL in a string, invalid UTF-8, integers beyond int64 */
	expect_error(scope(PFX "," LIFE ",'alias-name':['a\\u0000b']"),
	    DOTS_EMALFORMED, "", "invalid JSON");
	expect_error(scope(PFX "," LIFE ",'alias-name':['a\xff']"),
	    DOTS_EMALFORMED, "", "invalid JSON");
	expect_error(scope(PFX ",'lifetime':99999999999999999999"),
	    DOTS_EMALFORMED, "", "invalid JSON");
}

static void
test_json_decode_rejects_duplicate_member(void **state)
{
	(void)state;
	expect_error(scope(PFX "," LIFE "," LIFE), DOTS_EMALFORMED, "",
	    "duplicate");
	expect_error("{'ietf-dots-signal-channel:heartbeat':"
	    "{'peer-hb-status':true,'peer-hb-status':false}}",
	    DOTS_EMALFORMED, "", "duplicate");
	/* the same member under two spellings is a model-level duplicate */
	expect_error(scope(PFX "," LIFE ",'ietf-dots-signal-channel:"
	    "lifetime':60"), DOTS_EDUPLICATE, SP "/lifetime", "given twice");
	expect_error_flags(DOTS_JSON_LENIENT, scope(PFX "," LIFE
	    ",'acl-list':[{'acl-name':'a'}],'ietf-dots-signal-control:"
	    "acl-list':[{'acl-name':'b'}]"), DOTS_EDUPLICATE, SP "/acl-list",
	    "given twice");
}

static void
test_json_decode_rejects_bad_root(void **state)
{
	(void)state;
	expect_error("[]", DOTS_ETYPE, "", "object with one member");
	expect_error("'x'", DOTS_EMALFORMED, "", "'[' or '{' expected");
	expect_error("{}", DOTS_ETYPE, "", "object with one member");
	expect_error("{'ietf-dots-signal-channel:heartbeat':"
	    "{'peer-hb-status':true},'ietf-dots-signal-channel:redirected-"
	    "signal':{'alt-server':'a.example'}}", DOTS_ETYPE, "",
	    "object with one member");
	expect_error("{'ietf-dots-signal-channel:scope':{}}",
	    DOTS_EUNKNOWN_KEY, "", "unknown message type");
	expect_error("{'foo':{}}", DOTS_EUNKNOWN_KEY, "",
	    "unknown message type 'foo'");
	expect_error("{'ietf-dots-call-home:mitigation-scope':{}}",
	    DOTS_EUNKNOWN_KEY, "", "unknown message type");
	expect_error("{'ietf-dots-signal-channel:mitigation-scope':[]}",
	    DOTS_ETYPE, "mitigation-scope", "must be an object, not an array");
}

static void
test_json_decode_rejects_unprefixed_root(void **state)
{
	(void)state;
	expect_error("{'mitigation-scope':{'scope':[{" PFX "," LIFE "}]}}",
	    DOTS_EUNKNOWN_KEY, "",
	    "must be written 'ietf-dots-signal-channel:mitigation-scope'");
	expect_error("{'heartbeat':{'peer-hb-status':true}}",
	    DOTS_EUNKNOWN_KEY, "",
	    "must be written 'ietf-dots-signal-channel:heartbeat'");
}

static void
test_json_decode_rejects_unknown_member(void **state)
{
	(void)state;
	expect_error(scope(PFX "," LIFE ",'foo':1"), DOTS_EUNKNOWN_KEY, SP,
	    "unknown member 'foo'");
	expect_error("{'ietf-dots-signal-channel:mitigation-scope':"
	    "{'scope':[{" PFX "," LIFE "}],'bar':1}}", DOTS_EUNKNOWN_KEY,
	    "mitigation-scope", "unknown member 'bar'");
	expect_error(scope(PFX "," LIFE ",'target-port-range':"
	    "[{'lower-port':1,'upper':2}]"), DOTS_EUNKNOWN_KEY,
	    SP "/target-port-range/0", "unknown member 'upper'");
	/* names are case-sensitive, and an empty name is unknown */
	expect_error(scope(PFX ",'Lifetime':3600"), DOTS_EUNKNOWN_KEY, SP,
	    "unknown member 'Lifetime'");
	expect_error(scope(PFX "," LIFE ",'':1"), DOTS_EUNKNOWN_KEY, SP,
	    "unknown member ''");
	expect_error(scope(PFX "," LIFE ",'ietf-dots-signal-channel:':1"),
	    DOTS_EUNKNOWN_KEY, SP, "unknown member");
	/* a member that exists elsewhere in the tree */
	expect_error(scope(PFX "," LIFE ",'lower-port':80"),
	    DOTS_EUNKNOWN_KEY, SP, "unknown member 'lower-port'");
}

static void
test_json_decode_rejects_unprefixed_extension(void **state)
{
	(void)state;
	expect_error(scope(PFX "," LIFE ",'source-prefix':['198.51.100.0/24']"),
	    DOTS_EUNKNOWN_KEY, SP,
	    "must be written 'ietf-dots-call-home:source-prefix'");
	expect_error(scope(PFX "," LIFE ",'source-port-range':"
	    "[{'lower-port':1}]"), DOTS_EUNKNOWN_KEY, SP,
	    "'ietf-dots-call-home:source-port-range'");
	expect_error(CFG("'max-payloads':{'current-value':10}"),
	    DOTS_EUNKNOWN_KEY, "signal-config/mitigating-config",
	    "must be written 'ietf-dots-robust-trans:max-payloads'");
	expect_error("{'ietf-dots-signal-channel:redirected-signal':"
	    "{'alt-ch-client':'a.example'}}", DOTS_EUNKNOWN_KEY,
	    "redirected-signal", "'ietf-dots-call-home:alt-ch-client'");
	/* leniency is for acl-list only */
	expect_error_flags(DOTS_JSON_LENIENT, scope(PFX "," LIFE
	    ",'source-prefix':['198.51.100.0/24']"), DOTS_EUNKNOWN_KEY, SP,
	    "must be written 'ietf-dots-call-home:source-prefix'");
}

static void
test_json_decode_bare_acl_list(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;
	const char *body = scope(PFX "," LIFE ",'acl-list':[{'acl-name':"
	    "'acl1','activation-type':'immediate'}]");

	(void)state;
	expect_error(body, DOTS_EUNKNOWN_KEY, SP,
	    "must be written 'ietf-dots-signal-control:acl-list'");
	m = expect_ok_flags(DOTS_JSON_LENIENT, body, &diag);
	expect_warning(&diag, SP, "'acl-list' lacks its module prefix");
	assert_int_equal(m->mitigation.scope[0].n_acl_list, 1);
	assert_string_equal(m->mitigation.scope[0].acl_list[0].acl_name,
	    "acl1");
	assert_int_equal(m->mitigation.scope[0].acl_list[0].activation_type,
	    DOTS_ACTIVATION_IMMEDIATE);
	dots_signal_free(m);
	/* the prefixed form needs no leniency and warns of nothing */
	m = expect_ok(scope(PFX "," LIFE ",'ietf-dots-signal-control:"
	    "acl-list':[{'acl-name':'acl1'}]"), &diag);
	assert_int_equal(diag.nwarn, 0);
	dots_signal_free(m);
}

static void
test_json_decode_redundant_prefix(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;

	(void)state;
	m = expect_ok(scope(PFX "," LIFE ",'ietf-dots-call-home:source-"
	    "prefix':['198.51.100.0/24'],'ietf-dots-call-home:source-port-"
	    "range':[{'ietf-dots-call-home:lower-port':1024,'upper-port':"
	    "2048}]"), &diag);
	assert_int_equal(diag.nwarn, 1);
	expect_warning(&diag, SP "/source-port-range/0",
	    "repeats its parent's module prefix");
	assert_int_equal(m->mitigation.scope[0].n_source_port_range, 1);
	assert_int_equal(m->mitigation.scope[0].source_port_range[0]
	    .lower_port, 1024);
	dots_signal_free(m);

	m = expect_ok(scope(PFX ",'ietf-dots-signal-channel:lifetime':60"),
	    &diag);
	expect_warning(&diag, SP, "wants 'lifetime'");
	assert_int_equal(m->mitigation.scope[0].lifetime, 60);
	dots_signal_free(m);
}

static void
test_json_decode_rejects_wrong_prefix(void **state)
{
	(void)state;
	expect_error(scope(PFX ",'ietf-dots-call-home:lifetime':60"),
	    DOTS_EUNKNOWN_KEY, SP,
	    "'lifetime' is not defined by module 'ietf-dots-call-home'");
	expect_error(scope(PFX "," LIFE ",'ietf-dots-signal-channel:source-"
	    "prefix':['198.51.100.0/24']"), DOTS_EUNKNOWN_KEY, SP,
	    "not defined by module 'ietf-dots-signal-channel'");
	expect_error(scope(PFX ",'foo:lifetime':60"), DOTS_EUNKNOWN_KEY, SP,
	    "module 'foo' is not supported");
	expect_error(scope(PFX ",':lifetime':60"), DOTS_EUNKNOWN_KEY, SP,
	    "module '' is not supported");
	/* below an extension the inherited module is the extension's */
	expect_error(scope(PFX "," LIFE ",'ietf-dots-call-home:source-port-"
	    "range':[{'ietf-dots-signal-channel:lower-port':1}]"),
	    DOTS_EUNKNOWN_KEY, SP "/source-port-range/0",
	    "not defined by module 'ietf-dots-signal-channel'");
}

static void
test_json_decode_rejects_uint64_number(void **state)
{
	(void)state;
	expect_error(scope(PFX "," LIFE ",'mitigation-start':123"),
	    DOTS_ETYPE, SP "/mitigation-start",
	    "must be a string (RFC 7951 writes 64-bit integers as strings)");
	expect_error(scope(PFX "," LIFE ",'bytes-dropped':0"), DOTS_ETYPE,
	    SP "/bytes-dropped", "must be a string");
	expect_error(scope(PFX "," LIFE ",'pps-dropped':1.5"), DOTS_ETYPE,
	    SP "/pps-dropped", "not a real number");
}

static void
expect_mitigation_start(const char *value, uint64_t want)
{
	char members[128];
	struct dots_signal *m;
	struct dots_diag diag;

	snprintf(members, sizeof(members), PFX "," LIFE
	    ",'mitigation-start':'%s'", value);
	m = expect_ok(scope("%s", members), &diag);
	if (m->mitigation.scope[0].mitigation_start != want)
		fail_msg("'%s' read as %llu", value, (unsigned long long)
		    m->mitigation.scope[0].mitigation_start);
	assert_true(m->mitigation.scope[0].present &
	    DOTS_SCOPE_MITIGATION_START);
	dots_signal_free(m);
}

static void
test_json_decode_uint64_string(void **state)
{
	(void)state;
	expect_mitigation_start("0", 0);
	expect_mitigation_start("1507818434", 1507818434);
	expect_mitigation_start("18446744073709551615", UINT64_MAX);

	/* RFC 7950 lexical forms: optional '+', leading zeros */
	expect_mitigation_start("0123", 123);
	expect_mitigation_start("00", 0);
	expect_mitigation_start("+1", 1);

	expect_error(scope(PFX "," LIFE ",'mitigation-start':'+'"),
	    DOTS_EVALUE, SP "/mitigation-start", "decimal digits");
	expect_error(scope(PFX "," LIFE ",'mitigation-start':'++1'"),
	    DOTS_EVALUE, SP "/mitigation-start", "decimal digits");
	expect_error(scope(PFX "," LIFE ",'mitigation-start':'12a'"),
	    DOTS_EVALUE, SP "/mitigation-start", "decimal digits");
	expect_error(scope(PFX "," LIFE ",'mitigation-start':''"),
	    DOTS_EVALUE, SP "/mitigation-start", "decimal digits");
	expect_error(scope(PFX "," LIFE ",'mitigation-start':'-1'"),
	    DOTS_EVALUE, SP "/mitigation-start", "decimal digits");
	expect_error(scope(PFX "," LIFE ",'mitigation-start':' 1'"),
	    DOTS_EVALUE, SP "/mitigation-start", "decimal digits");
	expect_error(scope(PFX "," LIFE ",'mitigation-start':'1.0'"),
	    DOTS_EVALUE, SP "/mitigation-start", "decimal digits");
	expect_error(scope(PFX "," LIFE ",'mitigation-start':"
	    "'18446744073709551616'"), DOTS_ERANGE, SP "/mitigation-start",
	    "exceeds the uint64 range");
	expect_error(scope(PFX "," LIFE ",'bps-dropped':"
	    "'99999999999999999999'"), DOTS_ERANGE, SP "/bps-dropped",
	    "exceeds the uint64 range");
	expect_error(scope(PFX "," LIFE ",'bps-dropped':"
	    "'100000000000000000000'"), DOTS_ERANGE, SP "/bps-dropped",
	    "exceeds the uint64 range");
}

static void
expect_ack_timeout(const char *value, int64_t want)
{
	char json[256];
	struct dots_signal *m;
	struct dots_diag diag;
	const struct dots_cfg_value *v;

	snprintf(json, sizeof(json), ACK_TIMEOUT("'%s'"), value);
	m = expect_ok(json, &diag);
	v = &m->config.mitigating_config.ack_timeout;
	assert_int_equal(v->present, DOTS_CFG_CURRENT);
	if (v->current_value != want)
		fail_msg("'%s': %lld hundredths, want %lld", value,
		    (long long)v->current_value, (long long)want);
	dots_signal_free(m);
}

static void
test_json_decode_decimal64(void **state)
{
	(void)state;
	expect_ack_timeout("2.00", 200);
	expect_ack_timeout("2.5", 250);
	expect_ack_timeout("2", 200);
	expect_ack_timeout("2.05", 205);
	expect_ack_timeout("0.01", 1);
	expect_ack_timeout("0", 0);
	expect_ack_timeout("1000000000.00", 100000000000LL);
	expect_ack_timeout("+2.00", 200);
	expect_ack_timeout("02.50", 250);

	expect_error(ACK_TIMEOUT("'2.005'"), DOTS_ERANGE, ACK_PATH,
	    "more than 2 fraction digits");
	expect_error(ACK_TIMEOUT("'-1.00'"), DOTS_ERANGE, ACK_PATH,
	    "must not be negative");
	expect_error(ACK_TIMEOUT("'1000000000.01'"), DOTS_ERANGE, ACK_PATH,
	    "too large");
	expect_error(ACK_TIMEOUT("'99999999999999999999'"), DOTS_ERANGE,
	    ACK_PATH, "too large");
	expect_error(ACK_TIMEOUT("'abc'"), DOTS_EVALUE, ACK_PATH,
	    "decimal number as a string");
	expect_error(ACK_TIMEOUT("''"), DOTS_EVALUE, ACK_PATH,
	    "decimal number as a string");
	expect_error(ACK_TIMEOUT("'2.'"), DOTS_EVALUE, ACK_PATH,
	    "decimal number");
	expect_error(ACK_TIMEOUT("'.5'"), DOTS_EVALUE, ACK_PATH,
	    "decimal number");
	expect_error(ACK_TIMEOUT("'1e2'"), DOTS_EVALUE, ACK_PATH,
	    "decimal number");
	expect_error(ACK_TIMEOUT("'2.5 '"), DOTS_EVALUE, ACK_PATH,
	    "decimal number");
	expect_error(ACK_TIMEOUT("'2,5'"), DOTS_EVALUE, ACK_PATH,
	    "decimal number");
	/* numbers are not decimal64 in RFC 7951 */
	expect_error(ACK_TIMEOUT("2.5"), DOTS_ETYPE, ACK_PATH,
	    "must be a string (RFC 7951 writes decimal64 as a string)");
	expect_error(ACK_TIMEOUT("2"), DOTS_ETYPE, ACK_PATH,
	    "not an integer");
	expect_error(ACK_TIMEOUT("null"), DOTS_ETYPE, ACK_PATH, "not null");
	/* and integer parameters are numbers, not strings */
	expect_error(CFG("'heartbeat-interval':{'current-value':'30'}"),
	    DOTS_ETYPE, "signal-config/mitigating-config/heartbeat-interval/"
	    "current-value", "must be an integer, not a string");
}

static void
test_json_decode_rejects_unknown_label(void **state)
{
	(void)state;
	expect_error(scope(PFX "," LIFE ",'status':'foo'"), DOTS_ERANGE,
	    SP "/status", "'foo' is not a known status value");
	expect_error(scope(PFX "," LIFE ",'status':''"), DOTS_ERANGE,
	    SP "/status", "not a known status value");
	/* a label of another enumeration */
	expect_error(scope(PFX "," LIFE ",'conflict-information':"
	    "{'conflict-cause':'request-active'}"), DOTS_ERANGE,
	    SP "/conflict-information/conflict-cause",
	    "not a known conflict-cause value");
	expect_error(scope(PFX "," LIFE ",'attack-status':"
	    "'attack-mitigation-in-progress'"), DOTS_ERANGE,
	    SP "/attack-status", "not a known attack-status value");
	/* labels are case-sensitive */
	expect_error(scope(PFX "," LIFE ",'ietf-dots-signal-control:acl-list':"
	    "[{'acl-name':'a','activation-type':'Immediate'}]"), DOTS_ERANGE,
	    SP "/acl-list/0/activation-type",
	    "'Immediate' is not a known activation-type value");
	/* the value instead of the label */
	expect_error(scope(PFX "," LIFE ",'status':2"), DOTS_ETYPE,
	    SP "/status", "must be an enumeration label (string)");
}

static void
test_json_decode_rejects_wrong_type(void **state)
{
	(void)state;
	/* integers where strings are expected */
	expect_error(scope(PFX "," LIFE ",'alias-name':[1]"), DOTS_ETYPE,
	    SP "/alias-name/0", "must be a string, not an integer");
	expect_error(scope("'target-prefix':[3221225984]," LIFE), DOTS_ETYPE,
	    SP "/target-prefix/0", "must be a string, not an integer");
	expect_error(scope(PFX "," LIFE ",'ietf-dots-signal-control:acl-list':"
	    "[{'acl-name':5}]"), DOTS_ETYPE, SP "/acl-list/0/acl-name",
	    "must be a string");
	/* strings where integers are expected */
	expect_error(scope(PFX ",'lifetime':'3600'"), DOTS_ETYPE,
	    SP "/lifetime", "must be an integer, not a string");
	expect_error(scope(PFX "," LIFE ",'target-port-range':"
	    "[{'lower-port':'80'}]"), DOTS_ETYPE,
	    SP "/target-port-range/0/lower-port",
	    "must be an integer, not a string");
	/* arrays and objects swapped */
	expect_error("{'ietf-dots-signal-channel:mitigation-scope':{'scope':"
	    "[[]]}}", DOTS_ETYPE, SP, "must be an object, not an array");
	expect_error("{'ietf-dots-signal-channel:mitigation-scope':{'scope':"
	    "{}}}", DOTS_ETYPE, "mitigation-scope/scope",
	    "must be an array, not an object");
	expect_error(scope("'target-prefix':'192.0.2.0/24'," LIFE),
	    DOTS_ETYPE, SP "/target-prefix", "must be an array, not a string");
	expect_error(scope(PFX "," LIFE ",'conflict-information':[]"),
	    DOTS_ETYPE, SP "/conflict-information",
	    "must be an object, not an array");
	/* booleans and integers swapped */
	expect_error(scope(PFX ",'lifetime':true"), DOTS_ETYPE,
	    SP "/lifetime", "must be an integer, not a boolean");
	expect_error(scope(PFX "," LIFE ",'trigger-mitigation':1"),
	    DOTS_ETYPE, SP "/trigger-mitigation",
	    "must be a boolean, not an integer");
}

static void
test_json_decode_rejects_negative_uint(void **state)
{
	(void)state;
	expect_error(scope(PFX "," LIFE ",'target-port-range':"
	    "[{'lower-port':-1}]"), DOTS_ERANGE,
	    SP "/target-port-range/0/lower-port", "-1 is negative");
	expect_error(scope(PFX "," LIFE ",'target-protocol':[-6]"),
	    DOTS_ERANGE, SP "/target-protocol/0", "-6 is negative");
	expect_error(scope(PFX "," LIFE ",'mid':-1"), DOTS_ERANGE, SP "/mid",
	    "is negative");
	expect_error(scope(PFX "," LIFE ",'conflict-information':"
	    "{'retry-timer':-30}"), DOTS_ERANGE,
	    SP "/conflict-information/retry-timer", "is negative");
}

static void
test_json_decode_rejects_real_number(void **state)
{
	(void)state;
	expect_error(scope(PFX ",'lifetime':3600.0"), DOTS_ETYPE,
	    SP "/lifetime", "must be an integer, not a real number");
	expect_error(scope(PFX "," LIFE ",'target-port-range':"
	    "[{'lower-port':80.5}]"), DOTS_ETYPE,
	    SP "/target-port-range/0/lower-port", "not a real number");
	expect_error(scope(PFX "," LIFE ",'target-protocol':[6e0]"),
	    DOTS_ETYPE, SP "/target-protocol/0", "not a real number");
	expect_error(scope(PFX "," LIFE ",'mid':1E3"), DOTS_ETYPE, SP "/mid",
	    "not a real number");
}

static void
test_json_decode_rejects_null(void **state)
{
	(void)state;
	expect_error(scope(PFX ",'lifetime':null"), DOTS_ETYPE,
	    SP "/lifetime", "must be an integer, not null");
	expect_error(scope("'target-prefix':null," LIFE), DOTS_ETYPE,
	    SP "/target-prefix", "must be an array, not null");
	expect_error(scope(PFX "," LIFE ",'alias-name':[null]"), DOTS_ETYPE,
	    SP "/alias-name/0", "must be a string, not null");
	expect_error(scope(PFX "," LIFE ",'conflict-information':null"),
	    DOTS_ETYPE, SP "/conflict-information",
	    "must be an object, not null");
	expect_error(scope(PFX "," LIFE ",'trigger-mitigation':null"),
	    DOTS_ETYPE, SP "/trigger-mitigation", "not null");
	expect_error(scope(PFX "," LIFE ",'status':null"), DOTS_ETYPE,
	    SP "/status", "not null");
	expect_error("{'ietf-dots-signal-channel:mitigation-scope':null}",
	    DOTS_ETYPE, "mitigation-scope", "not null");
	expect_error("{'ietf-dots-signal-channel:mitigation-scope':{'scope':"
	    "[null]}}", DOTS_ETYPE, SP, "must be an object, not null");
}

static void
test_json_decode_rejects_boolean_string(void **state)
{
	(void)state;
	expect_error(scope(PFX "," LIFE ",'trigger-mitigation':'false'"),
	    DOTS_ETYPE, SP "/trigger-mitigation",
	    "must be a boolean, not a string");
	expect_error("{'ietf-dots-signal-channel:heartbeat':"
	    "{'peer-hb-status':'true'}}", DOTS_ETYPE,
	    "heartbeat/peer-hb-status", "must be a boolean, not a string");
}

static void
test_json_decode_rejects_out_of_range(void **state)
{
	(void)state;
	expect_error(scope(PFX "," LIFE ",'target-port-range':"
	    "[{'lower-port':70000}]"), DOTS_ERANGE,
	    SP "/target-port-range/0/lower-port",
	    "70000 is out of range 0..65535");
	expect_error(scope(PFX "," LIFE ",'target-protocol':[256]"),
	    DOTS_ERANGE, SP "/target-protocol/0", "256 is out of range");
	expect_error(scope(PFX ",'lifetime':-2"), DOTS_ERANGE, SP "/lifetime",
	    "-2 is out of range");
	expect_error(scope(PFX ",'lifetime':4294967296"), DOTS_ERANGE,
	    SP "/lifetime", "4294967296 is out of range");
	expect_error(scope(PFX "," LIFE ",'mid':4294967296"), DOTS_ERANGE,
	    SP "/mid", "out of range");
	expect_error(CFG("'heartbeat-interval':{'max-value':65536}"),
	    DOTS_ERANGE, "signal-config/mitigating-config/heartbeat-interval/"
	    "max-value", "65536 is out of range 0..65535");
}

static void
test_json_decode_lifetime_limits(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;

	(void)state;
	m = expect_ok(scope(PFX ",'lifetime':-1"), &diag);
	assert_int_equal(m->mitigation.scope[0].lifetime,
	    DOTS_LIFETIME_INDEFINITE);
	dots_signal_free(m);
	m = expect_ok(scope(PFX ",'lifetime':4294967295"), &diag);
	assert_int_equal(m->mitigation.scope[0].lifetime, UINT32_MAX);
	dots_signal_free(m);
}

static void
test_json_decode_retry_timer_string(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;

	(void)state;
	m = expect_ok(scope(PFX "," LIFE ",'conflict-information':"
	    "{'retry-timer':30}"), &diag);
	assert_int_equal(diag.nwarn, 0);
	assert_int_equal(m->mitigation.scope[0].conflict.retry_timer, 30);
	dots_signal_free(m);
	/* RFC 9132 Table 5 says String: read it, with a warning */
	m = expect_ok(scope(PFX "," LIFE ",'conflict-information':"
	    "{'retry-timer':'30'}"), &diag);
	expect_warning(&diag, SP "/conflict-information/retry-timer",
	    "should be a JSON number");
	assert_int_equal(m->mitigation.scope[0].conflict.retry_timer, 30);
	dots_signal_free(m);
	expect_error(scope(PFX "," LIFE ",'conflict-information':"
	    "{'retry-timer':'4294967296'}"), DOTS_ERANGE,
	    SP "/conflict-information/retry-timer", "out of range");
	expect_error(scope(PFX "," LIFE ",'conflict-information':"
	    "{'retry-timer':'3x'}"), DOTS_EVALUE,
	    SP "/conflict-information/retry-timer", "decimal digits");
}

static void
test_json_decode_rejects_bad_prefix(void **state)
{
	static const char *const bad[] = {
		"192.0.2.0/33", "300.1.1.1/8", "2001:db8::/129", "abc",
		"192.0.2.1/024", "192.0.2.0",
	};
	char members[128], word[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(members, sizeof(members), "'target-prefix':['%s'],"
		    LIFE, bad[i]);
		snprintf(word, sizeof(word), "'%s' is not an IP prefix",
		    bad[i]);
		expect_error(scope("%s", members), DOTS_EVALUE,
		    SP "/target-prefix/0", word);
	}
	expect_error(scope(PFX "," LIFE ",'ietf-dots-call-home:source-prefix'"
	    ":['198.51.100.0/24','x']"), DOTS_EVALUE, SP "/source-prefix/1",
	    "not an IP prefix");
}

static void
test_json_decode_normalises_host_bits(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;
	char buf[64];

	(void)state;
	m = expect_ok(scope("'target-prefix':['192.0.2.1/24']," LIFE), &diag);
	assert_int_equal(dots_prefix_format(
	    &m->mitigation.scope[0].target.prefix[0], buf, sizeof(buf)),
	    DOTS_OK);
	assert_string_equal(buf, "192.0.2.0/24");
	expect_warning(&diag, SP "/target-prefix/0", "host bits");
	dots_signal_free(m);
}

static void
test_json_decode_rejects_duplicate_entry(void **state)
{
	(void)state;
	expect_error(scope("'target-prefix':['192.0.2.0/24','192.0.2.0/24'],"
	    LIFE), DOTS_EDUPLICATE, SP "/target-prefix/1",
	    "duplicate entry 192.0.2.0/24");
	expect_error(scope("'target-prefix':['192.0.2.1/24','192.0.2.0/24'],"
	    LIFE), DOTS_EDUPLICATE, SP "/target-prefix/1", "same as entry 0");
	expect_error(scope(PFX "," LIFE ",'target-port-range':[{'lower-port':"
	    "80},{'lower-port':80,'upper-port':90}]"), DOTS_EDUPLICATE,
	    SP "/target-port-range/1", "duplicate entry with key 80");
	expect_error(scope(PFX "," LIFE ",'alias-name':['x','y','x']"),
	    DOTS_EDUPLICATE, SP "/alias-name/2", "duplicate entry 'x'");
}

static void
test_json_decode_rejects_inverted_range(void **state)
{
	(void)state;
	expect_error(scope(PFX "," LIFE ",'target-port-range':[{'lower-port':"
	    "90,'upper-port':80}]"), DOTS_ERANGE, SP "/target-port-range/0",
	    "upper-port 80 is lower than lower-port 90");
	expect_error(scope(PFX "," LIFE ",'target-port-range':"
	    "[{'upper-port':80}]"), DOTS_EMISSING, SP "/target-port-range/0",
	    "'lower-port'");
}

static void
test_json_decode_rejects_empty(void **state)
{
	(void)state;
	expect_error(scope("'target-prefix':[]," LIFE), DOTS_EEMPTY,
	    SP "/target-prefix", "empty list");
	expect_error("{'ietf-dots-signal-channel:mitigation-scope':{'scope':"
	    "[]}}", DOTS_EEMPTY, "mitigation-scope/scope", "empty list");
	expect_error("{'ietf-dots-signal-channel:mitigation-scope':{'scope':"
	    "[{}]}}", DOTS_EEMPTY, SP, "empty list entry");
	expect_error("{'ietf-dots-signal-channel:mitigation-scope':{}}",
	    DOTS_EEMPTY, "mitigation-scope", "empty container");
	expect_error(scope(PFX "," LIFE ",'conflict-information':{}"),
	    DOTS_EEMPTY, SP "/conflict-information", "empty container");
	expect_error("{'ietf-dots-signal-channel:heartbeat':{}}", DOTS_EEMPTY,
	    "heartbeat", "empty container");
	expect_error(scope(PFX "," LIFE ",'alias-name':['']"), DOTS_EEMPTY,
	    SP "/alias-name/0", "empty value");
	expect_error(scope("'target-prefix':['']," LIFE), DOTS_EEMPTY,
	    SP "/target-prefix/0", "empty value");
}

static void
test_json_decode_rejects_uri_path_members(void **state)
{
	(void)state;
	expect_error(scope(PFX "," LIFE ",'cuid':'abc'"), DOTS_EFORBIDDEN,
	    SP "/cuid", "Uri-Path");
	expect_error(scope(PFX "," LIFE ",'cdid':'abc'"), DOTS_EFORBIDDEN,
	    SP "/cdid", "Uri-Path");
}

static void
test_json_decode_rejects_too_big(void **state)
{
	char *members, *p;
	char name[300];
	unsigned i;

	(void)state;
	members = malloc(32 * 1025 + 64);
	assert_non_null(members);
	p = members + sprintf(members, "'target-prefix':[");
	for (i = 0; i < 1025; i++)
		p += sprintf(p, "%s'10.%u.%u.0/24'", i ? "," : "", i / 256,
		    i % 256);
	sprintf(p, "]," LIFE);
	expect_error(scope("%s", members), DOTS_ETOOBIG, SP "/target-prefix",
	    "at most 1024");
	free(members);

	memset(name, 'a', 256);
	name[256] = '\0';
	expect_error(scope(PFX "," LIFE ",'alias-name':['%s']", name),
	    DOTS_ETOOBIG, SP "/alias-name/0", "longer than 255");
}

/*
 * Peer text in a diagnostic is made printable (schema.c quote()), since
 * the message goes back on the wire and into logs.
 */
static void
test_json_decode_message_quotes_peer_text(void **state)
{
	(void)state;
	expect_error(scope(PFX "," LIFE ",'status':'a\\u0007\\nb'"),
	    DOTS_ERANGE, SP "/status", "'a??b' is not a known status value");
	expect_error(scope(PFX "," LIFE ",'x\\u001b[31m':1"),
	    DOTS_EUNKNOWN_KEY, SP, "unknown member 'x?[31m'");
	expect_error(scope(PFX "," LIFE ",'x\\ny:lifetime':1"),
	    DOTS_EUNKNOWN_KEY, SP, "module 'x?y' is not supported");
}

/* YANG string lengths count characters (RFC 7950 9.4.4), not bytes. */
static void
test_json_decode_length_counts_characters(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;
	char name[2 * 64 + 1];
	unsigned i;

	(void)state;
	for (i = 0; i < 64; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2);
	name[2 * 64] = '\0';
	m = expect_ok(scope(PFX "," LIFE ",'ietf-dots-signal-control:"
	    "acl-list':[{'acl-name':'%s'}]", name), &diag);
	assert_int_equal(strlen(m->mitigation.scope[0].acl_list[0].acl_name),
	    128);
	dots_signal_free(m);
}

static void
test_json_decode_rejects_large_body(void **state)
{
	struct dots_signal *m = NULL;
	struct dots_diag diag;
	size_t len = 16 * 64 * 1024 + 1;
	char *big;
	int ret;

	(void)state;
	big = malloc(len);
	assert_non_null(big);
	memset(big, ' ', len);
	big[0] = '{';
	big[len - 1] = '}';
	ret = dots_json_decode_signal(big, len, 0, &m, &diag);
	check_error("large body", ret, m, &diag, DOTS_ETOOBIG, "", "too large");
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_decode_accepts_minimal),
		cmocka_unit_test(test_json_decode_bad_arguments),
		cmocka_unit_test(test_json_decode_rejects_invalid_json),
		cmocka_unit_test(test_json_decode_rejects_duplicate_member),
		cmocka_unit_test(test_json_decode_rejects_bad_root),
		cmocka_unit_test(test_json_decode_rejects_unprefixed_root),
		cmocka_unit_test(test_json_decode_rejects_unknown_member),
		cmocka_unit_test(test_json_decode_rejects_unprefixed_extension),
		cmocka_unit_test(test_json_decode_bare_acl_list),
		cmocka_unit_test(test_json_decode_redundant_prefix),
		cmocka_unit_test(test_json_decode_rejects_wrong_prefix),
		cmocka_unit_test(test_json_decode_rejects_uint64_number),
		cmocka_unit_test(test_json_decode_uint64_string),
		cmocka_unit_test(test_json_decode_decimal64),
		cmocka_unit_test(test_json_decode_rejects_unknown_label),
		cmocka_unit_test(test_json_decode_rejects_wrong_type),
		cmocka_unit_test(test_json_decode_rejects_negative_uint),
		cmocka_unit_test(test_json_decode_rejects_real_number),
		cmocka_unit_test(test_json_decode_rejects_null),
		cmocka_unit_test(test_json_decode_rejects_boolean_string),
		cmocka_unit_test(test_json_decode_rejects_out_of_range),
		cmocka_unit_test(test_json_decode_lifetime_limits),
		cmocka_unit_test(test_json_decode_retry_timer_string),
		cmocka_unit_test(test_json_decode_rejects_bad_prefix),
		cmocka_unit_test(test_json_decode_normalises_host_bits),
		cmocka_unit_test(test_json_decode_rejects_duplicate_entry),
		cmocka_unit_test(test_json_decode_rejects_inverted_range),
		cmocka_unit_test(test_json_decode_rejects_empty),
		cmocka_unit_test(test_json_decode_rejects_uri_path_members),
		cmocka_unit_test(test_json_decode_rejects_too_big),
		cmocka_unit_test(test_json_decode_message_quotes_peer_text),
		cmocka_unit_test(test_json_decode_length_counts_characters),
		cmocka_unit_test(test_json_decode_rejects_large_body),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
