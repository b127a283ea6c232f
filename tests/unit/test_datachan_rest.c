/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The data channel's core without sockets (src/datachan): URI and query
 * reading, the draft-era rewrites, dc_handle() over a real store on a
 * temporary file with the YANG modules of yang/, the ACE-name hint for
 * RFC 9133 acl-name, and that every answer validates: data against the
 * modules, error bodies against ietf-restconf's rc:yang-data
 * yang-errors (which yanglint cannot load).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dc_int.h"
#include "store.h"

#define CUID	"XDXrS35GPJ6TVzB3TdhVoA"
#define CL	DC_DATA "/dots-client=" CUID

struct fix {
	char		 path[64];
	struct store	*st;
	struct dc_core	 core;
	struct dots_prefix pfx[2];
	struct dc_peer	 peer;
};

static const char *
data_dir(void)
{
	const char *d = getenv("DOTS_TEST_DATA");

	if (d == NULL)
		fail_msg("DOTS_TEST_DATA is not set (run through ctest)");
	return d;
}

static int
setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	char err[256], yang[512];
	int fd;

	assert_non_null(f);
	snprintf(f->path, sizeof(f->path), "/tmp/test_datachan.XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(store_open(f->path, false, &f->st, err,
	    sizeof(err)), 0);
	snprintf(yang, sizeof(yang), "%s/../yang", data_dir());
	f->core.yang = dc_yang_new(yang, err, sizeof(err));
	if (f->core.yang == NULL)
		fail_msg("%s", err);
	f->core.store = dc_store_open(f->st, err, sizeof(err));
	assert_non_null(f->core.store);
	f->core.lifetime = 604800;
	dots_prefix_parse("192.0.2.0/24", &f->pfx[0], NULL);
	dots_prefix_parse("2001:db8:6401::/48", &f->pfx[1], NULL);
	snprintf(f->peer.name, sizeof(f->peer.name), "client1");
	snprintf(f->peer.cuid, sizeof(f->peer.cuid), CUID);
	f->peer.prefixes = f->pfx;
	f->peer.nprefixes = 2;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix *f = *state;

	dc_store_close(f->core.store);
	dc_yang_free(f->core.yang);
	store_close(f->st);
	unlink(f->path);
	free(f);
	return 0;
}

/* One request; checks the status and that the body validates. */
static void
req(struct fix *f, const char *method, const char *path, const char *query,
    const char *body, int want, struct dc_response *rs)
{
	struct dc_request rq = {
		.method = method, .path = path, .query = query ? query : "",
		.ctype = "application/yang-data+json", .body = body ? body : "",
		.len = body ? strlen(body) : 0, .peer = &f->peer,
		.now = 1000000,
	};
	char msg[512];

	dc_handle(&f->core, &rq, rs);
	if (rs->status != want)
		fail_msg("%s %s: want %d, got %d: %s", method, path, want,
		    rs->status, rs->body ? rs->body : "");
	if (rs->body == NULL || strstr(rs->body, "<XRD") != NULL)
		return;
	if (strstr(rs->body, "ietf-restconf:errors") != NULL) {
		if (dc_yang_check_errors(f->core.yang, rs->body, msg,
		    sizeof(msg)) != 0)
			fail_msg("error body does not validate: %s: %s", msg,
			    rs->body);
	} else if (strstr(rs->body, "\"ietf-dots-data-channel:dots-data\"") !=
	    NULL && dc_yang_check_data(f->core.yang, rs->body, msg,
	    sizeof(msg)) != 0)
		fail_msg("answer does not validate: %s: %s", msg, rs->body);
}

static void
req1(struct fix *f, const char *method, const char *path, const char *query,
    const char *body, int want)
{
	struct dc_response rs;

	req(f, method, path, query, body, want, &rs);
	dc_response_clear(&rs);
}

static char *
read_vector(const char *rel)
{
	char path[512];
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/vectors/%s", data_dir(), rel);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	return buf;
}

static void
test_uri_parse(void **state)
{
	struct dc_error e;
	struct dc_uri u;

	(void)state;
	assert_int_equal(dc_uri_parse(DC_DATA, &u, &e), 0);
	assert_int_equal(u.res, DC_R_DATA);
	assert_int_equal(dc_uri_parse(CL "/acls/acl=a%2Fb%2Cc", &u, &e), 0);
	assert_int_equal(u.res, DC_R_ACL);
	assert_string_equal(u.cuid, CUID);
	assert_string_equal(u.name, "a/b,c");
	assert_int_equal(dc_uri_parse(CL "/aliases", &u, &e), 0);
	assert_int_equal(u.res, DC_R_ALIASES);
	assert_int_equal(dc_uri_parse(DC_DATA "/capabilities", &u, &e), 0);
	assert_int_equal(u.res, DC_R_CAPS);
	assert_int_equal(dc_uri_parse(CL "/acls/acl=%", &u, &e), 400);
	assert_int_equal(dc_uri_parse(CL "/acls/acl=%0a", &u, &e), 400);
	assert_int_equal(dc_uri_parse(CL "/acls/acl=", &u, &e), 404);
	assert_int_equal(dc_uri_parse(CL "/acls/acl=x/y", &u, &e), 404);
	assert_int_equal(dc_uri_parse("/restconf/data/other:x", &u, &e), 404);
	assert_int_equal(dc_uri_parse(DC_DATA "x", &u, &e), 404);
}

static void
test_query_parse(void **state)
{
	struct dc_error e;
	struct dc_query q;

	(void)state;
	assert_int_equal(dc_query_parse("", true, &q, &e), 0);
	assert_int_equal(q.content, DC_CONTENT_ALL);
	assert_int_equal(dc_query_parse("content=nonconfig", true, &q, &e), 0);
	assert_int_equal(q.content, DC_CONTENT_NONCONFIG);
	assert_int_equal(dc_query_parse("content=non-config", true, &q, &e),
	    0);
	assert_true(q.non_config);
	assert_int_equal(dc_query_parse("content=config", false, &q, &e), 400);
	assert_int_equal(dc_query_parse("content=x", true, &q, &e), 400);
	assert_int_equal(dc_query_parse("depth=1", true, &q, &e), 400);
	assert_int_equal(dc_query_parse("content=all&content=all", true, &q,
	    &e), 400);
}

static void
test_lenient(void **state)
{
	json_t *items = json_loads("[{\"name\":\"a\",\"type\":\"ipv4-acl-type\","
	    "\"aces\":{\"ace\":[{\"name\":\"e\",\"matches\":{\"udp\":"
	    "{\"source-port\":{\"port\":53}}},\"actions\":{\"forwarding\":"
	    "\"drop\"}}]}}]", 0, NULL);
	char note[512];
	json_t *ace;

	(void)state;
	assert_int_equal(dc_lenient_fix(items, DC_ACL, note, sizeof(note)), 3);
	assert_non_null(strstr(note, "source-port"));
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(items, 0), "type")), DC_ACL_MOD ":ipv4-acl-type");
	ace = json_array_get(json_object_get(json_object_get(
	    json_array_get(items, 0), "aces"), "ace"), 0);
	assert_non_null(json_object_get(json_object_get(json_object_get(ace,
	    "matches"), "udp"), "source-port-range-or-operator"));
	/* standard input: nothing to do */
	assert_int_equal(dc_lenient_fix(items, DC_ACL, note, sizeof(note)), 0);
	json_decref(items);
}

static void
test_register_and_crud(void **state)
{
	struct fix *f = *state;
	struct dc_response rs;
	char *body;

	req1(f, "GET", DC_DATA "/capabilities", NULL, NULL, 200);
	req1(f, "GET", DC_DATA, NULL, NULL, 200);
	req1(f, "POST", CL, NULL, "{\"ietf-dots-data-channel:aliases\":"
	    "{\"alias\":[{\"name\":\"a\",\"target-prefix\":[\"192.0.2.1/32\"]}]}}",
	    404);
	req1(f, "POST", DC_DATA, NULL, "{\"ietf-dots-data-channel:dots-client\""
	    ":[{\"cuid\":\"" CUID "\"}]}", 201);
	req1(f, "POST", DC_DATA, NULL, "{\"ietf-dots-data-channel:dots-client\""
	    ":[{\"cuid\":\"" CUID "\"}]}", 409);
	req1(f, "POST", DC_DATA, NULL, "{\"ietf-dots-data-channel:dots-client\""
	    ":[{\"cuid\":\"other\"}]}", 403);
	req1(f, "GET", DC_DATA "/dots-client=other", NULL, NULL, 403);
	req1(f, "POST", CL, NULL, "not json", 400);
	body = read_vector("data-channel/rfc8783-alias-post.json");
	req1(f, "POST", CL, NULL, body, 201);
	req1(f, "POST", CL, NULL, body, 409);
	free(body);
	body = read_vector("offload-draft/offload-data-channel-acl-src-port.json");
	/* 192.0.2.2 is client1's; the draft-era spellings are taken */
	req(f, "POST", CL, NULL, body, 201, &rs);
	assert_non_null(strstr(rs.note, "draft-era"));
	dc_response_clear(&rs);
	free(body);
	req(f, "GET", CL, "content=all", NULL, 200, &rs);
	assert_non_null(strstr(rs.body, "\"pending-lifetime\": 10080"));
	assert_non_null(strstr(rs.body,
	    "\"source-port-range-or-operator\""));
	assert_null(strstr(rs.body, "\"source-port\""));
	dc_response_clear(&rs);
	req1(f, "GET", CL "/acls/acl=DMS_Offload_scenario_ACL", "content=config",
	    NULL, 200);
	req1(f, "DELETE", CL "/aliases/alias=https1", NULL, NULL, 204);
	req1(f, "DELETE", CL "/aliases/alias=https1", NULL, NULL, 404);
	req1(f, "PATCH", CL, NULL, "{}", 405);
	req1(f, "DELETE", CL, NULL, NULL, 204);
	req1(f, "GET", CL, NULL, NULL, 404);
}

/* RFC 9133 acl-name names an ACL: the offload draft's figures 9 and 11
 * name ACEs of the ACL of figures 8 and 10. */
static void
test_ace_name_hint(void **state)
{
	struct fix *f = *state;
	char why[512], *body;

	req1(f, "PUT", CL, NULL, "{\"ietf-dots-data-channel:dots-client\""
	    ":[{\"cuid\":\"" CUID "\"}]}", 201);
	body = read_vector("offload-draft/offload-data-channel-acl-src-port.json");
	req1(f, "POST", CL, NULL, body, 201);
	free(body);
	assert_int_equal(dc_acl_lookup(&f->core, CUID,
	    "DMS_Offload_scenario_ACL", why, sizeof(why)), 0);
	assert_int_equal(dc_acl_lookup(&f->core, CUID,
	    "DMS_Offload_scenario_ACL_DNS_amp", why, sizeof(why)), 1);
	assert_non_null(strstr(why, "an ACE of ACL 'DMS_Offload_scenario_ACL'"));
	assert_int_equal(dc_acl_lookup(&f->core, CUID, "nothing", why,
	    sizeof(why)), 1);
	assert_string_equal(why, "no ACL 'nothing'");
}

static void
test_refusals(void **state)
{
	struct fix *f = *state;
	struct dc_response rs;

	req1(f, "PUT", CL, NULL, "{\"ietf-dots-data-channel:dots-client\""
	    ":[{\"cuid\":\"" CUID "\",\"cdid\":\"gw\"}]}", 201);
	/* outside the domain */
	req1(f, "PUT", CL "/aliases/alias=x", NULL, "{\"ietf-dots-data-channel:"
	    "alias\":[{\"name\":\"x\",\"target-prefix\":[\"198.51.100.0/24\"]}]}",
	    400);
	/* libyang's message reaches the client */
	req(f, "PUT", CL "/aliases/alias=x", NULL, "{\"ietf-dots-data-channel:"
	    "alias\":[{\"name\":\"x\",\"target-prefix\":[\"192.0.2.300/32\"]}]}",
	    400, &rs);
	assert_non_null(strstr(rs.body, "192.0.2.300"));
	dc_response_clear(&rs);
	/* unsupported match field */
	req(f, "PUT", CL "/acls/acl=x", NULL, "{\"ietf-dots-data-channel:acl\""
	    ":[{\"name\":\"x\",\"aces\":{\"ace\":[{\"name\":\"e\",\"matches\":"
	    "{\"udp\":{\"length\":100}},\"actions\":{\"forwarding\":"
	    "\"ietf-access-control-list:drop\"}}]}}]}", 400, &rs);
	assert_non_null(strstr(rs.body, "udp/length"));
	dc_response_clear(&rs);
	/* ipv4 match in an ACL of type ipv6 */
	req1(f, "PUT", CL "/acls/acl=x", NULL, "{\"ietf-dots-data-channel:acl\""
	    ":[{\"name\":\"x\",\"type\":\"ietf-access-control-list:ipv6-acl-"
	    "type\",\"aces\":{\"ace\":[{\"name\":\"e\",\"matches\":{\"ipv4\":"
	    "{\"protocol\":6}},\"actions\":{\"forwarding\":\"ietf-access-"
	    "control-list:drop\"}}]}}]}", 400);
	/* no type: inferred, and the answer carries it */
	req1(f, "PUT", CL "/acls/acl=x", NULL, "{\"ietf-dots-data-channel:acl\""
	    ":[{\"name\":\"x\",\"aces\":{\"ace\":[{\"name\":\"e\",\"matches\":"
	    "{\"ipv4\":{\"protocol\":6},\"tcp\":{\"flags-bitmask\":{"
	    "\"operator\":\"not any\",\"bitmask\":4095}}},\"actions\":{"
	    "\"forwarding\":\"ietf-access-control-list:drop\"}}]}}]}", 201);
	req(f, "GET", CL "/acls/acl=x", NULL, NULL, 200, &rs);
	assert_non_null(strstr(rs.body, "ietf-access-control-list:ipv4-acl-type"));
	dc_response_clear(&rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_parse),
		cmocka_unit_test(test_query_parse),
		cmocka_unit_test(test_lenient),
		cmocka_unit_test_setup_teardown(test_register_and_crud, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ace_name_hint, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
