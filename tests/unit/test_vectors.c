/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Example bodies of the RFCs (tests/vectors/rfc) and of the DDoS
 * Mitigation Offload draft (tests/vectors/offload-draft): each decodes (or
 * is refused for the reason the README of its folder gives), re-encodes to
 * the same value in JSON and CBOR, and its CBOR agrees member by member with
 * the JSON under the key table.  That table is written out again here from
 * RFC 9132 Table 5 and the extension RFCs, independently of the library's
 * schema, and the CBOR is read with libcbor's own item decoder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cbor.h>
#include <jansson.h>

#include <dots/cbor.h>
#include <dots/json.h>
#include <dots/validate.h>

/* RFC 9132 Table 5, RFC 9133, RFC 9066, RFC 9362: name -> key. */
static const struct {
	const char	*name;
	unsigned	 key;
} key_table[] = {
	{ "mitigation-scope", 1 }, { "scope", 2 }, { "cdid", 3 },
	{ "cuid", 4 }, { "mid", 5 }, { "target-prefix", 6 },
	{ "target-port-range", 7 }, { "lower-port", 8 }, { "upper-port", 9 },
	{ "target-protocol", 10 }, { "target-fqdn", 11 }, { "target-uri", 12 },
	{ "alias-name", 13 }, { "lifetime", 14 }, { "mitigation-start", 15 },
	{ "status", 16 }, { "conflict-information", 17 },
	{ "conflict-status", 18 }, { "conflict-cause", 19 },
	{ "retry-timer", 20 }, { "conflict-scope", 21 },
	{ "conflict-scope/acl-list", 22 }, { "acl-name", 23 },
	{ "acl-type", 24 }, { "bytes-dropped", 25 }, { "bps-dropped", 26 },
	{ "pkts-dropped", 27 }, { "pps-dropped", 28 },
	{ "attack-status", 29 }, { "signal-config", 30 }, { "sid", 31 },
	{ "mitigating-config", 32 }, { "heartbeat-interval", 33 },
	{ "max-value", 34 }, { "min-value", 35 }, { "current-value", 36 },
	{ "missing-hb-allowed", 37 }, { "max-retransmit", 38 },
	{ "ack-timeout", 39 }, { "ack-random-factor", 40 },
	{ "max-value-decimal", 41 }, { "min-value-decimal", 42 },
	{ "current-value-decimal", 43 }, { "idle-config", 44 },
	{ "trigger-mitigation", 45 }, { "redirected-signal", 46 },
	{ "alt-server", 47 }, { "alt-server-record", 48 },
	{ "heartbeat", 49 }, { "probing-rate", 50 }, { "peer-hb-status", 51 },
	{ "activation-type", 52 }, { "acl-list", 53 },
	{ "source-prefix", 32768 }, { "source-port-range", 32769 },
	{ "source-icmp-type-range", 32770 }, { "lower-type", 32771 },
	{ "upper-type", 32772 }, { "alt-ch-client", 32773 },
	{ "alt-ch-client-record", 32774 }, { "ttl", 32775 },
	{ "max-payloads", 32776 }, { "non-max-retransmit", 32777 },
	{ "non-timeout", 32778 }, { "non-receive-timeout", 32779 },
	{ "non-probing-wait", 32780 }, { "non-partial-timeout", 32781 },
};

/* Enumeration labels -> values (IANA registries of RFC 9132, RFC 8783). */
static const struct {
	const char	*label;
	unsigned	 value;
} enum_table[] = {
	{ "attack-mitigation-in-progress", 1 },
	{ "attack-successfully-mitigated", 2 },
	{ "attack-stopped", 3 }, { "attack-exceeded-capability", 4 },
	{ "dots-client-withdrawn-mitigation", 5 },
	{ "attack-mitigation-terminated", 6 },
	{ "attack-mitigation-withdrawn", 7 },
	{ "attack-mitigation-signal-loss", 8 },
	{ "request-inactive-other-active", 1 }, { "request-active", 2 },
	{ "all-requests-inactive", 3 }, { "overlapping-targets", 1 },
	{ "conflict-with-acceptlist", 2 }, { "cuid-collision", 3 },
	{ "under-attack", 1 }, { "activate-when-mitigating", 1 },
	{ "immediate", 2 }, { "deactivate", 3 },
};

static const char *const enum_members[] = {
	"status", "conflict-status", "conflict-cause", "attack-status",
	"activation-type",
};

static char *
read_vector(const char *rel, size_t *len)
{
	const char *dir = getenv("DOTS_TEST_DATA");
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/vectors/%s", dir, rel);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static unsigned
table_key(const char *member, const char *parent)
{
	const char *name = strchr(member, ':') ? strchr(member, ':') + 1 :
	    member;
	size_t i;

	/* the base module's acl-list exists only in conflict-scope */
	if (strcmp(name, "acl-list") == 0 && strcmp(parent, "conflict-scope")
	    == 0)
		name = "conflict-scope/acl-list";
	for (i = 0; i < sizeof(key_table) / sizeof(key_table[0]); i++)
		if (strcmp(key_table[i].name, name) == 0)
			return key_table[i].key;
	fail_msg("member %s is not in the key table", member);
	return 0;
}

static bool
is_enum_member(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(enum_members) / sizeof(enum_members[0]); i++)
		if (strcmp(enum_members[i], name) == 0)
			return true;
	return false;
}

static unsigned
enum_label_value(const char *label)
{
	size_t i;

	for (i = 0; i < sizeof(enum_table) / sizeof(enum_table[0]); i++)
		if (strcmp(enum_table[i].label, label) == 0)
			return enum_table[i].value;
	fail_msg("unknown label %s", label);
	return 0;
}

static cbor_item_t *
cbor_map_get(cbor_item_t *map, unsigned key)
{
	struct cbor_pair *pairs = cbor_map_handle(map);
	size_t i;

	for (i = 0; i < cbor_map_size(map); i++)
		if (cbor_isa_uint(pairs[i].key) &&
		    cbor_get_int(pairs[i].key) == key)
			return pairs[i].value;
	return NULL;
}

/* "2.00" against tag 4 [-2, 200]. */
static void
check_decimal(const char *text, cbor_item_t *c)
{
	cbor_item_t *arr, *e, *m;
	double want = strtod(text, NULL);

	assert_true(cbor_isa_tag(c));
	assert_int_equal(cbor_tag_value(c), 4);
	arr = cbor_tag_item(c);
	assert_true(cbor_isa_array(arr));
	assert_int_equal(cbor_array_size(arr), 2);
	e = cbor_array_get(arr, 0);
	m = cbor_array_get(arr, 1);
	assert_true(cbor_isa_negint(e));
	assert_int_equal(cbor_get_int(e), 1);	/* -2 */
	assert_true(cbor_isa_uint(m));
	assert_int_equal(cbor_get_int(m), (uint64_t)(want * 100 + 0.5));
	cbor_decref(&e);
	cbor_decref(&m);
	cbor_decref(&arr);
}

static void	check_same(const char *name, const char *parent, json_t *j,
		    cbor_item_t *c);

static void
check_object(const char *parent, json_t *obj, cbor_item_t *map)
{
	const char *member;
	json_t *v;

	assert_true(cbor_isa_map(map));
	assert_int_equal(cbor_map_size(map), json_object_size(obj));
	json_object_foreach(obj, member, v) {
		cbor_item_t *cv = cbor_map_get(map, table_key(member, parent));
		const char *name = strchr(member, ':') ?
		    strchr(member, ':') + 1 : member;

		if (cv == NULL)
			fail_msg("%s: key %u missing from CBOR", member,
			    table_key(member, parent));
		check_same(name, parent, v, cv);
	}
}

/* One JSON value against its CBOR encoding. */
static void
check_same(const char *name, const char *parent, json_t *j, cbor_item_t *c)
{
	size_t i;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		check_object(name, j, c);
		break;
	case JSON_ARRAY:
		assert_true(cbor_isa_array(c));
		assert_int_equal(cbor_array_size(c), json_array_size(j));
		for (i = 0; i < json_array_size(j); i++) {
			cbor_item_t *e = cbor_array_get(c, i);

			check_same(name, parent, json_array_get(j, i), e);
			cbor_decref(&e);
		}
		break;
	case JSON_INTEGER:
		if (json_integer_value(j) < 0) {
			assert_true(cbor_isa_negint(c));
			assert_int_equal(-1 - (json_int_t)cbor_get_int(c),
			    json_integer_value(j));
		} else {
			assert_true(cbor_isa_uint(c));
			assert_int_equal(cbor_get_int(c),
			    json_integer_value(j));
		}
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		assert_true(cbor_is_bool(c));
		assert_int_equal(cbor_get_bool(c), json_is_true(j));
		break;
	case JSON_STRING:
		if (is_enum_member(name)) {
			assert_true(cbor_isa_uint(c));
			assert_int_equal(cbor_get_int(c),
			    enum_label_value(json_string_value(j)));
		} else if (strstr(name, "-decimal") != NULL)
			check_decimal(json_string_value(j), c);
		else if (cbor_isa_uint(c)) {
			/* uint64 leaves: a string in JSON, a uint in CBOR */
			assert_int_equal(cbor_get_int(c),
			    strtoull(json_string_value(j), NULL, 10));
		} else {
			assert_true(cbor_isa_string(c));
			assert_int_equal(cbor_string_length(c),
			    json_string_length(j));
			assert_memory_equal(cbor_string_handle(c),
			    json_string_value(j), json_string_length(j));
		}
		break;
	default:
		fail_msg("unexpected JSON value for %s", name);
	}
}

/* The JSON vector and our CBOR for it agree under the key table. */
static void
check_against_key_table(const char *json, const uint8_t *cb, size_t cblen)
{
	struct cbor_load_result res;
	cbor_item_t *root;
	json_t *doc;

	doc = json_loads(json, 0, NULL);
	assert_non_null(doc);
	root = cbor_load(cb, cblen, &res);
	assert_non_null(root);
	assert_int_equal(res.read, cblen);
	check_object("", doc, root);
	cbor_decref(&root);
	json_decref(doc);
}

/* decode -> CBOR -> decode -> CBOR: same model, same bytes; same via JSON. */
static void
check_round_trips(const struct dots_signal *m, uint8_t *cb, size_t *cblen)
{
	uint8_t again[DOTS_CBOR_MAX_BODY];
	struct dots_signal *back;
	struct dots_diag diag;
	size_t len2;
	char *json;
	int err;

	assert_int_equal(dots_cbor_encode_signal(m, cb, DOTS_CBOR_MAX_BODY,
	    cblen), DOTS_OK);
	assert_int_equal(dots_cbor_decode_signal(cb, *cblen, &back, &diag),
	    DOTS_OK);
	assert_int_equal(diag.nwarn_total, 0);
	assert_true(dots_signal_equal(m, back));
	assert_int_equal(dots_cbor_encode_signal(back, again, sizeof(again),
	    &len2), DOTS_OK);
	assert_int_equal(len2, *cblen);
	assert_memory_equal(again, cb, len2);
	dots_signal_free(back);

	json = dots_json_encode_signal(m, 0, &err);
	assert_non_null(json);
	assert_int_equal(dots_json_decode_signal(json, strlen(json), 0, &back,
	    &diag), DOTS_OK);
	assert_int_equal(diag.nwarn_total, 0);
	assert_true(dots_signal_equal(m, back));
	dots_signal_free(back);
	free(json);
}

struct vector {
	const char	*file;
	enum dots_msg_role role;	/* where the body appears */
	unsigned	 flags;		/* decode flags needed */
	int		 decode_err;	/* without flags */
	unsigned	 warnings;	/* with flags */
	int		 validate_err;
	const char	*validate_path;
};

static const struct vector vectors[] = {
	{ "rfc/rfc9132-fig07-mitigation-request.json",
	  DOTS_ROLE_MITIGATION_REQUEST, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9132-fig10-mitigation-response-2xx.json",
	  DOTS_ROLE_MITIGATION_CREATED, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9132-fig11-conflict-response-cuid-collision.json",
	  DOTS_ROLE_MITIGATION_CONFLICT, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9132-fig14-mitigation-get-response.json",
	  DOTS_ROLE_MITIGATION_STATUS, 0, DOTS_OK, 0, DOTS_OK, NULL },
	/* Fig. 16 leaves out lifetime: allowed in an efficacy update */
	{ "rfc/rfc9132-fig16-efficacy-update.json",
	  DOTS_ROLE_EFFICACY_UPDATE, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9132-fig20-config-get-response.json",
	  DOTS_ROLE_CONFIG_RESPONSE, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9132-fig23-config-put-request.json",
	  DOTS_ROLE_CONFIG_REQUEST, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9132-fig26-redirect-response.json",
	  DOTS_ROLE_REDIRECT, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9132-fig27-heartbeat-request.json",
	  DOTS_ROLE_HEARTBEAT, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9066-fig09-redirect-request.json",
	  DOTS_ROLE_CALL_HOME_REDIRECT, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9066-fig10-mitigation-request.json",
	  DOTS_ROLE_CALL_HOME_REQUEST, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9133-fig01-acl-update-failure-diagnostic.json",
	  DOTS_ROLE_FILTER_FAILURE, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9133-fig03-mitigation-request.json",
	  DOTS_ROLE_MITIGATION_REQUEST, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9133-fig04-mitigation-response-2xx.json",
	  DOTS_ROLE_MITIGATION_CREATED, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9133-fig05-mitigation-request-deactivate-acl.json",
	  DOTS_ROLE_MITIGATION_REQUEST, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9133-fig08-mitigation-request-activate-acl.json",
	  DOTS_ROLE_MITIGATION_REQUEST, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9133-fig10-mitigation-request.json",
	  DOTS_ROLE_MITIGATION_REQUEST, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9133-fig11-mitigation-request-activate-ratelimit.json",
	  DOTS_ROLE_MITIGATION_REQUEST, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9133-fig12-mitigation-request-deactivate-ratelimit.json",
	  DOTS_ROLE_MITIGATION_REQUEST, 0, DOTS_OK, 0, DOTS_OK, NULL },
	{ "rfc/rfc9362-fig02-config-put-request.json",
	  DOTS_ROLE_CONFIG_REQUEST, 0, DOTS_OK, 0, DOTS_OK, NULL },

	/* The offload draft's examples (see offload-draft/README.md). */
	{ "offload-draft/offload-signal-mitigation-dst-port.json",
	  DOTS_ROLE_MITIGATION_REQUEST, 0, DOTS_OK, 0, DOTS_EMULTI_SCOPE,
	  "mitigation-scope/scope" },
	{ "offload-draft/offload-signal-call-home-src-prefix.json",
	  DOTS_ROLE_MITIGATION_REQUEST, 0, DOTS_OK, 4, DOTS_EMULTI_SCOPE,
	  "mitigation-scope/scope" },
	{ "offload-draft/offload-signal-call-home-src-port.json",
	  DOTS_ROLE_MITIGATION_REQUEST, 0, DOTS_OK, 4, DOTS_OK, NULL },
	{ "offload-draft/offload-signal-call-home-src-port.json",
	  DOTS_ROLE_CALL_HOME_REQUEST, 0, DOTS_OK, 4, DOTS_EMISSING,
	  "mitigation-scope/scope/0/source-prefix" },
	{ "offload-draft/offload-signal-filter-control-acl-list.json",
	  DOTS_ROLE_MITIGATION_REQUEST, DOTS_JSON_LENIENT, DOTS_EUNKNOWN_KEY,
	  1, DOTS_OK, NULL },
	{ "offload-draft/offload-signal-filter-control-acl-list-dst-port.json",
	  DOTS_ROLE_MITIGATION_REQUEST, DOTS_JSON_LENIENT, DOTS_EUNKNOWN_KEY,
	  1, DOTS_OK, NULL },
};

static void
test_vector(const struct vector *v)
{
	static uint8_t cb[DOTS_CBOR_MAX_BODY];
	struct dots_signal *m;
	struct dots_diag diag;
	size_t len, cblen;
	char *json;
	int ret;

	json = read_vector(v->file, &len);
	ret = dots_json_decode_signal(json, len, 0, &m, &diag);
	if (ret != v->decode_err)
		fail_msg("%s: decode gave %s (%s: %s)", v->file,
		    dots_err_name(ret), diag.error.path, diag.error.msg);
	if (ret != DOTS_OK) {
		assert_null(m);
		ret = dots_json_decode_signal(json, len, v->flags, &m, &diag);
		assert_int_equal(ret, DOTS_OK);
	}
	assert_int_equal(diag.nwarn_total, v->warnings);
	ret = dots_validate_signal(m, v->role, &diag);
	if (ret != v->validate_err)
		fail_msg("%s: validate gave %s (%s: %s)", v->file,
		    dots_err_name(ret), diag.error.path, diag.error.msg);
	if (v->validate_path != NULL)
		assert_string_equal(diag.error.path, v->validate_path);
	check_round_trips(m, cb, &cblen);
	/* member-by-member agreement needs the standard JSON form */
	if (v->flags == 0 && v->warnings == 0)
		check_against_key_table(json, cb, cblen);
	dots_signal_free(m);
	free(json);
}

static void
test_vectors_decode_and_round_trip(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
		test_vector(&vectors[i]);
}

static int
hex_to_bytes(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (*hex != '\0' && *hex != '\n') {
		if (n == cap || sscanf(hex, "%2x", &v) != 1)
			return -1;
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return (int)n;
}

/* RFC 9132 Figure 8 is the CBOR of Figure 7, byte for byte. */
static void
test_vectors_rfc9132_figure8_bytes(void **state)
{
	uint8_t want[256], got[256];
	struct dots_signal *m;
	size_t len, glen;
	char *json, *hex;
	int wlen;

	(void)state;
	hex = read_vector("rfc/rfc9132-fig07-mitigation-request.cbor.hex",
	    &len);
	wlen = hex_to_bytes(hex, want, sizeof(want));
	assert_int_equal(wlen, 73);
	json = read_vector("rfc/rfc9132-fig07-mitigation-request.json", &len);
	assert_int_equal(dots_json_decode_signal(json, len, 0, &m, NULL),
	    DOTS_OK);
	assert_int_equal(dots_cbor_encode_signal(m, got, sizeof(got), &glen),
	    DOTS_OK);
	assert_int_equal(glen, (size_t)wlen);
	assert_memory_equal(got, want, glen);
	dots_signal_free(m);

	/* and back: the figure's bytes decode to the figure's JSON */
	assert_int_equal(dots_cbor_decode_signal(want, (size_t)wlen, &m, NULL),
	    DOTS_OK);
	free(hex);
	hex = dots_json_encode_signal(m, 0, NULL);
	assert_string_equal(hex, "{\"ietf-dots-signal-channel:mitigation-"
	    "scope\":{\"scope\":[{\"target-prefix\":[\"2001:db8:6401::1/128\","
	    "\"2001:db8:6401::2/128\"],\"target-port-range\":[{\"lower-port\":"
	    "80},{\"lower-port\":443},{\"lower-port\":8080}],"
	    "\"target-protocol\":[6],\"lifetime\":3600}]}}");
	dots_signal_free(m);
	free(hex);
	free(json);
}

/* The draft's acl-list: refused strictly with a hint, read leniently. */
static void
test_vectors_offload_acl_list_prefix(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;
	size_t len;
	char *json;

	(void)state;
	json = read_vector("offload-draft/offload-signal-filter-control-"
	    "acl-list.json", &len);
	assert_int_equal(dots_json_decode_signal(json, len, 0, &m, &diag),
	    DOTS_EUNKNOWN_KEY);
	assert_string_equal(diag.error.path, "mitigation-scope/scope/0");
	assert_non_null(strstr(diag.error.msg,
	    "ietf-dots-signal-control:acl-list"));
	assert_int_equal(dots_json_decode_signal(json, len, DOTS_JSON_LENIENT,
	    &m, &diag), DOTS_OK);
	assert_int_equal(diag.nwarn, 1);
	assert_non_null(strstr(diag.warn[0].msg, "lacks its module prefix"));
	assert_int_equal(m->mitigation.scope[0].n_acl_list, 1);
	assert_string_equal(m->mitigation.scope[0].acl_list[0].acl_name,
	    "DMS_Offload_scenario_ACL_DNS_amp");
	assert_int_equal(m->mitigation.scope[0].acl_list[0].activation_type,
	    DOTS_ACTIVATION_IMMEDIATE);
	free(json);
	/* always written in the standard form */
	json = dots_json_encode_signal(m, 0, NULL);
	assert_non_null(strstr(json, "\"ietf-dots-signal-control:acl-list\""));
	dots_signal_free(m);
	free(json);
}

/* The data-channel bodies are not signal-channel messages. */
static void
test_vectors_data_channel_bodies_refused(void **state)
{
	static const char *const files[] = {
		"offload-draft/offload-data-channel-acl-5tuple.json",
		"offload-draft/offload-data-channel-acl-dst-port.json",
		"offload-draft/offload-data-channel-acl-src-port.json",
	};
	struct dots_signal *m;
	struct dots_diag diag;
	size_t i, len;
	char *json;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		json = read_vector(files[i], &len);
		assert_int_equal(dots_json_decode_signal(json, len,
		    DOTS_JSON_LENIENT, &m, &diag), DOTS_EUNKNOWN_KEY);
		assert_non_null(strstr(diag.error.msg, "unknown message type"));
		free(json);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_decode_and_round_trip),
		cmocka_unit_test(test_vectors_rfc9132_figure8_bytes),
		cmocka_unit_test(test_vectors_offload_acl_list_prefix),
		cmocka_unit_test(test_vectors_data_channel_bodies_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
