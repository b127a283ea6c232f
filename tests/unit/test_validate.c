/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dots_validate_signal() for every message role: one body that passes and
 * the rules of RFC 9132, 9066, 9133 and 9362 that make others fail, each
 * with its error code and the path of the field at fault.  Bodies are
 * decoded from JSON (written with ' for "); the few that no decoder
 * produces (an empty heartbeat or configuration) are built by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <dots/error.h>
#include <dots/json.h>
#include <dots/model.h>
#include <dots/validate.h>

#define SP		"mitigation-scope/scope/0"
#define TEXT_MAX	4096

#define PFX		"'target-prefix':['192.0.2.0/24']"
#define LIFE		"'lifetime':3600"
#define SRC							\
	"'ietf-dots-call-home:source-prefix':['198.51.100.0/24']"
#define ACL							\
	"'ietf-dots-signal-control:acl-list':"				\
	"[{'acl-name':'acl1','activation-type':'immediate'}]"

#define SCOPES(s)	"{'ietf-dots-signal-channel:mitigation-scope':"	\
			"{'scope':[" s "]}}"
#define SCOPE(m)	SCOPES("{" m "}")
#define CONFIG(m)	"{'ietf-dots-signal-channel:signal-config':{" m "}}"
#define MITIGATING(m)	CONFIG("'mitigating-config':{" m "}")
#define REDIRECT(m)	"{'ietf-dots-signal-channel:redirected-signal':{" m "}}"
#define HB		"{'ietf-dots-signal-channel:heartbeat':"	\
			"{'peer-hb-status':true}}"

#define HB_PATH		"signal-config/mitigating-config/heartbeat-interval"

/* Decode @p json (with ' for "), which must succeed.  **new** message. */
static struct dots_signal *
decode(const char *json)
{
	char text[TEXT_MAX];
	struct dots_signal *m = NULL;
	struct dots_diag diag;
	size_t i;
	int ret;

	for (i = 0; json[i] != '\0'; i++) {
		assert_true(i < sizeof(text) - 1);
		text[i] = json[i] == '\'' ? '"' : json[i];
	}
	text[i] = '\0';
	ret = dots_json_decode_signal(text, i, 0, &m, &diag);
	if (ret != DOTS_OK)
		fail_msg("%s: %s at '%s': %s", text, dots_err_name(ret),
		    diag.error.path, diag.error.msg);
	return m;
}

static void
check_model(const char *what, const struct dots_signal *m,
    enum dots_msg_role role, int err, const char *path, const char *word)
{
	struct dots_diag diag;
	int ret;

	ret = dots_validate_signal(m, role, &diag);
	if (ret != err)
		fail_msg("%s: got %s (%s: %s), want %s", what,
		    dots_err_name(ret), diag.error.path, diag.error.msg,
		    dots_err_name(err));
	assert_int_equal(diag.err, err);
	if (err == DOTS_OK)
		return;
	if (strcmp(diag.error.path, path) != 0)
		fail_msg("%s: path '%s', want '%s' (%s)", what,
		    diag.error.path, path, diag.error.msg);
	if (strstr(diag.error.msg, word) == NULL)
		fail_msg("%s: message '%s' lacks '%s'", what, diag.error.msg,
		    word);
}

static void
expect_invalid(const char *json, enum dots_msg_role role, int err,
    const char *path, const char *word)
{
	struct dots_signal *m = decode(json);

	check_model(json, m, role, err, path, word);
	dots_signal_free(m);
}

static void
expect_valid(const char *json, enum dots_msg_role role)
{
	expect_invalid(json, role, DOTS_OK, "", "");
}

static void
test_validate_mitigation_request(void **state)
{
	(void)state;
	expect_valid(SCOPE(PFX "," LIFE), DOTS_ROLE_MITIGATION_REQUEST);
	expect_valid(SCOPE(PFX ",'lifetime':-1"),
	    DOTS_ROLE_MITIGATION_REQUEST);
	expect_valid(SCOPE("'alias-name':['web']," LIFE),
	    DOTS_ROLE_MITIGATION_REQUEST);
	expect_valid(SCOPE("'target-fqdn':['www.example.com']," LIFE),
	    DOTS_ROLE_MITIGATION_REQUEST);
	expect_valid(SCOPE("'target-uri':['https://example.com/']," LIFE
	    ",'trigger-mitigation':false"), DOTS_ROLE_MITIGATION_REQUEST);
	expect_valid(SCOPE(PFX "," LIFE "," ACL),
	    DOTS_ROLE_MITIGATION_REQUEST);
}

static void
test_validate_request_rejects_two_scopes(void **state)
{
	(void)state;
	expect_invalid(SCOPES("{" PFX "," LIFE "},{'alias-name':['b'],"
	    LIFE "}"), DOTS_ROLE_MITIGATION_REQUEST, DOTS_EMULTI_SCOPE,
	    "mitigation-scope/scope", "exactly one scope");
	expect_invalid(SCOPES("{" PFX ",'attack-status':'under-attack'},"
	    "{" PFX ",'attack-status':'under-attack'}"),
	    DOTS_ROLE_EFFICACY_UPDATE, DOTS_EMULTI_SCOPE,
	    "mitigation-scope/scope", "has 2");
	expect_invalid(SCOPES("{" PFX "," LIFE "," SRC "},{" PFX "," LIFE
	    "," SRC "}"), DOTS_ROLE_CALL_HOME_REQUEST, DOTS_EMULTI_SCOPE,
	    "mitigation-scope/scope", "exactly one scope");
}

static void
test_validate_request_rejects_missing_target(void **state)
{
	(void)state;
	expect_invalid(SCOPE(LIFE), DOTS_ROLE_MITIGATION_REQUEST,
	    DOTS_EMISSING, SP, "at least one of target-prefix");
	/* ports and protocols alone do not name a target */
	expect_invalid(SCOPE(LIFE ",'target-port-range':[{'lower-port':80}]"
	    ",'target-protocol':[6]"), DOTS_ROLE_MITIGATION_REQUEST,
	    DOTS_EMISSING, SP, "target-fqdn, target-uri or alias-name");
}

static void
test_validate_request_rejects_bad_lifetime(void **state)
{
	(void)state;
	expect_invalid(SCOPE(PFX), DOTS_ROLE_MITIGATION_REQUEST,
	    DOTS_EMISSING, SP "/lifetime", "lifetime is mandatory");
	expect_invalid(SCOPE(PFX ",'lifetime':0"),
	    DOTS_ROLE_MITIGATION_REQUEST, DOTS_ERANGE, SP "/lifetime",
	    "lifetime of 0 is invalid");
	expect_invalid(SCOPE(PFX ",'lifetime':0," SRC),
	    DOTS_ROLE_CALL_HOME_REQUEST, DOTS_ERANGE, SP "/lifetime",
	    "lifetime of 0");
	expect_invalid(SCOPE(PFX ",'lifetime':0,'attack-status':"
	    "'under-attack'"), DOTS_ROLE_EFFICACY_UPDATE, DOTS_ERANGE,
	    SP "/lifetime", "lifetime of 0");
}

static void
test_validate_request_rejects_server_fields(void **state)
{
	static const struct {
		const char	*member;
		const char	*field;
	} cases[] = {
		{ "'mid':5", "mid" },
		{ "'status':'attack-mitigation-in-progress'", "status" },
		{ "'mitigation-start':'1507818434'", "mitigation-start" },
		{ "'bytes-dropped':'1'", "bytes-dropped" },
		{ "'bps-dropped':'1'", "bps-dropped" },
		{ "'pkts-dropped':'1'", "pkts-dropped" },
		{ "'pps-dropped':'1'", "pps-dropped" },
		{ "'conflict-information':{'conflict-cause':"
		  "'overlapping-targets'}", "conflict-information" },
		{ "'conflict-information':{'retry-timer':30}",
		  "conflict-information" },
		{ "'conflict-information':{'conflict-scope':{'mid':7}}",
		  "conflict-information" },
	};
	char json[512], path[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(json, sizeof(json), SCOPE(PFX "," LIFE ",%s"),
		    cases[i].member);
		snprintf(path, sizeof(path), SP "/%s", cases[i].field);
		expect_invalid(json, DOTS_ROLE_MITIGATION_REQUEST,
		    DOTS_EFORBIDDEN, path, "only the server sends");
		expect_invalid(json, DOTS_ROLE_EFFICACY_UPDATE,
		    DOTS_EFORBIDDEN, path, "only the server sends");
	}
	expect_invalid(SCOPE(PFX "," LIFE ",'mid':5"),
	    DOTS_ROLE_MITIGATION_REQUEST, DOTS_EFORBIDDEN, SP "/mid",
	    "mid in the Uri-Path");
	expect_invalid(SCOPE(PFX "," LIFE ",'attack-status':'under-attack'"),
	    DOTS_ROLE_MITIGATION_REQUEST, DOTS_EFORBIDDEN,
	    SP "/attack-status", "only in an efficacy update");
	expect_invalid(SCOPE(PFX "," LIFE "," SRC ",'attack-status':"
	    "'under-attack'"), DOTS_ROLE_CALL_HOME_REQUEST, DOTS_EFORBIDDEN,
	    SP "/attack-status", "only in an efficacy update");
}

static void
test_validate_request_rejects_special_prefix(void **state)
{
	static const struct {
		const char	*prefix;
		const char	*what;
	} cases[] = {
		{ "127.0.0.1/32", "loopback" },
		{ "127.0.0.0/8", "loopback" },
		{ "0.0.0.0/0", "loopback" },	/* covers 127/8 */
		{ "96.0.0.0/3", "loopback" },
		{ "224.0.0.0/4", "multicast" },
		{ "239.1.2.3/32", "multicast" },
		{ "255.255.255.255/32", "broadcast" },
		{ "::1/128", "loopback" },
		{ "::/0", "loopback" },
		{ "ff02::1/128", "multicast" },
		{ "ff00::/8", "multicast" },
	};
	char json[256], word[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(json, sizeof(json), SCOPE("'target-prefix':['%s'],"
		    LIFE), cases[i].prefix);
		snprintf(word, sizeof(word), "%s addresses",
		    cases[i].what);
		expect_invalid(json, DOTS_ROLE_MITIGATION_REQUEST, DOTS_EVALUE,
		    SP "/target-prefix/0", word);
	}
	/* the index of the offending entry */
	expect_invalid(SCOPE("'target-prefix':['192.0.2.0/24','10.0.0.0/8',"
	    "'224.0.0.1/32']," LIFE), DOTS_ROLE_MITIGATION_REQUEST,
	    DOTS_EVALUE, SP "/target-prefix/2", "224.0.0.1/32 covers "
	    "multicast");
	/* neighbours of the special ranges are fine */
	expect_valid(SCOPE("'target-prefix':['126.255.255.255/32',"
	    "'128.0.0.0/32','223.255.255.255/32','240.0.0.0/5',"
	    "'255.255.255.254/32','::2/128','fe80::/10','2001:db8::/32']"
	    "," LIFE), DOTS_ROLE_MITIGATION_REQUEST);
}

/* IPv4-mapped IPv6 addresses name IPv4 hosts (RFC 4291 2.5.5.2). */
static void
test_validate_request_rejects_mapped_special_prefix(void **state)
{
	(void)state;
	expect_invalid(SCOPE("'target-prefix':['::ffff:127.0.0.1/128'],"
	    LIFE), DOTS_ROLE_MITIGATION_REQUEST, DOTS_EVALUE,
	    SP "/target-prefix/0", "loopback");
	expect_invalid(SCOPE("'target-prefix':['::ffff:224.0.0.1/128'],"
	    LIFE), DOTS_ROLE_MITIGATION_REQUEST, DOTS_EVALUE,
	    SP "/target-prefix/0", "multicast");
	expect_invalid(SCOPE("'target-prefix':['::ffff:0.0.0.0/96'],"
	    LIFE), DOTS_ROLE_MITIGATION_REQUEST, DOTS_EVALUE,
	    SP "/target-prefix/0", "loopback");
}

static void
test_validate_efficacy_update(void **state)
{
	(void)state;
	expect_valid(SCOPE(PFX "," LIFE ",'attack-status':'under-attack'"),
	    DOTS_ROLE_EFFICACY_UPDATE);
	/* lifetime may be left out of an efficacy update */
	expect_valid(SCOPE(PFX ",'attack-status':"
	    "'attack-successfully-mitigated'"), DOTS_ROLE_EFFICACY_UPDATE);
	expect_invalid(SCOPE(PFX "," LIFE), DOTS_ROLE_EFFICACY_UPDATE,
	    DOTS_EMISSING, SP "/attack-status", "must carry attack-status");
	expect_invalid(SCOPE(PFX "," LIFE ",'attack-status':'under-attack',"
	    ACL), DOTS_ROLE_EFFICACY_UPDATE, DOTS_EFORBIDDEN, SP "/acl-list",
	    "filter control");
	expect_invalid(SCOPE("'attack-status':'under-attack'"),
	    DOTS_ROLE_EFFICACY_UPDATE, DOTS_EMISSING, SP,
	    "at least one of target-prefix");
	expect_invalid(SCOPE("'target-prefix':['ff02::1/128'],"
	    "'attack-status':'under-attack'"), DOTS_ROLE_EFFICACY_UPDATE,
	    DOTS_EVALUE, SP "/target-prefix/0", "multicast");
}

static void
test_validate_call_home_request(void **state)
{
	(void)state;
	expect_valid(SCOPE(PFX "," LIFE "," SRC), DOTS_ROLE_CALL_HOME_REQUEST);
	expect_valid(SCOPE(PFX "," LIFE "," SRC ",'trigger-mitigation':true"),
	    DOTS_ROLE_CALL_HOME_REQUEST);
	expect_invalid(SCOPE(PFX "," LIFE), DOTS_ROLE_CALL_HOME_REQUEST,
	    DOTS_EMISSING, SP "/source-prefix", "name the attack sources");
	/* source ports alone are not enough */
	expect_invalid(SCOPE(PFX "," LIFE ",'ietf-dots-call-home:source-"
	    "port-range':[{'lower-port':53}]"), DOTS_ROLE_CALL_HOME_REQUEST,
	    DOTS_EMISSING, SP "/source-prefix", "attack sources");
	expect_invalid(SCOPE("'alias-name':['web']," LIFE "," SRC),
	    DOTS_ROLE_CALL_HOME_REQUEST, DOTS_EMISSING, SP "/target-prefix",
	    "must carry target-prefix");
	expect_invalid(SCOPE(PFX "," LIFE "," SRC ",'trigger-mitigation':"
	    "false"), DOTS_ROLE_CALL_HOME_REQUEST, DOTS_EFORBIDDEN,
	    SP "/trigger-mitigation", "only immediate requests");
	expect_invalid(SCOPE(PFX "," LIFE ",'ietf-dots-call-home:source-"
	    "prefix':['198.51.100.0/24','127.0.0.0/8']"),
	    DOTS_ROLE_CALL_HOME_REQUEST, DOTS_EVALUE, SP "/source-prefix/1",
	    "loopback");
	expect_invalid(SCOPE(PFX "," SRC), DOTS_ROLE_CALL_HOME_REQUEST,
	    DOTS_EMISSING, SP "/lifetime", "mandatory");
	/* the base role does not ask for sources */
	expect_valid(SCOPE(PFX "," LIFE "," SRC),
	    DOTS_ROLE_MITIGATION_REQUEST);
}

static void
test_validate_mitigation_created(void **state)
{
	(void)state;
	expect_valid(SCOPE("'mid':123," PFX "," LIFE),
	    DOTS_ROLE_MITIGATION_CREATED);
	expect_valid(SCOPE("'mid':123,'lifetime':-1"),
	    DOTS_ROLE_MITIGATION_CREATED);
	expect_invalid(SCOPE(PFX "," LIFE), DOTS_ROLE_MITIGATION_CREATED,
	    DOTS_EMISSING, SP "/mid", "must return mid");
	expect_invalid(SCOPE("'mid':123," PFX), DOTS_ROLE_MITIGATION_CREATED,
	    DOTS_EMISSING, SP "/lifetime", "lifetime");
	expect_invalid(SCOPE("'mid':123," LIFE ",'attack-status':"
	    "'under-attack'"), DOTS_ROLE_MITIGATION_CREATED, DOTS_EFORBIDDEN,
	    SP "/attack-status", "only the client");
}

static void
test_validate_mitigation_status(void **state)
{
	(void)state;
	expect_valid(SCOPE("'mid':123," PFX "," LIFE ",'mitigation-start':"
	    "'1507818434','status':'attack-mitigation-in-progress',"
	    "'bytes-dropped':'0','bps-dropped':'0','pkts-dropped':'0',"
	    "'pps-dropped':'0'"), DOTS_ROLE_MITIGATION_STATUS);
	expect_valid(SCOPES("{'mid':1," LIFE ",'status':'attack-stopped'},"
	    "{'mid':2," LIFE ",'status':'attack-mitigation-signal-loss'}"),
	    DOTS_ROLE_MITIGATION_STATUS);
	expect_invalid(SCOPE("'mid':123," LIFE), DOTS_ROLE_MITIGATION_STATUS,
	    DOTS_EMISSING, SP "/status", "must carry status");
	expect_invalid(SCOPE(LIFE ",'status':'attack-stopped'"),
	    DOTS_ROLE_MITIGATION_STATUS, DOTS_EMISSING, SP "/mid", "mid");
	expect_invalid(SCOPE("'mid':123,'status':'attack-stopped'"),
	    DOTS_ROLE_MITIGATION_STATUS, DOTS_EMISSING, SP "/lifetime",
	    "lifetime");
	/* the second scope, at its own index */
	expect_invalid(SCOPES("{'mid':1," LIFE ",'status':'attack-stopped'},"
	    "{'mid':2," LIFE "}"), DOTS_ROLE_MITIGATION_STATUS,
	    DOTS_EMISSING, "mitigation-scope/scope/1/status", "status");
	/* signal loss: no mitigation-start */
	expect_invalid(SCOPE("'mid':123," LIFE ",'mitigation-start':"
	    "'1507818434','status':'attack-mitigation-signal-loss'"),
	    DOTS_ROLE_MITIGATION_STATUS, DOTS_EFORBIDDEN,
	    SP "/mitigation-start", "attack-mitigation-signal-loss");
}

static void
test_validate_mitigation_conflict(void **state)
{
	(void)state;
	expect_valid(SCOPE("'conflict-information':{'conflict-cause':"
	    "'cuid-collision'}"), DOTS_ROLE_MITIGATION_CONFLICT);
	expect_valid(SCOPE("'mid':5," PFX "," LIFE ",'conflict-information':"
	    "{'conflict-status':'request-inactive-other-active',"
	    "'conflict-cause':'overlapping-targets','retry-timer':30,"
	    "'conflict-scope':{'target-prefix':['192.0.2.0/25'],'mid':7}}"),
	    DOTS_ROLE_MITIGATION_CONFLICT);
	expect_invalid(SCOPE("'mid':5," PFX "," LIFE),
	    DOTS_ROLE_MITIGATION_CONFLICT, DOTS_EMISSING,
	    SP "/conflict-information", "conflict-cause");
	expect_invalid(SCOPE("'conflict-information':{'conflict-status':"
	    "'request-active'}"), DOTS_ROLE_MITIGATION_CONFLICT,
	    DOTS_EMISSING, SP "/conflict-information", "conflict-cause");
	expect_invalid(SCOPE("'conflict-information':{'conflict-cause':"
	    "'cuid-collision','retry-timer':30}"),
	    DOTS_ROLE_MITIGATION_CONFLICT, DOTS_EFORBIDDEN,
	    SP "/conflict-information", "only conflict-cause");
	expect_invalid(SCOPE("'conflict-information':{'conflict-cause':"
	    "'cuid-collision','conflict-status':'request-active'}"),
	    DOTS_ROLE_MITIGATION_CONFLICT, DOTS_EFORBIDDEN,
	    SP "/conflict-information", "only conflict-cause");
	expect_invalid(SCOPE("'conflict-information':{'conflict-cause':"
	    "'cuid-collision','conflict-scope':{'alias-name':['x']}}"),
	    DOTS_ROLE_MITIGATION_CONFLICT, DOTS_EFORBIDDEN,
	    SP "/conflict-information", "cuid-collision");
	expect_invalid(SCOPE("'conflict-information':{'conflict-cause':"
	    "'cuid-collision'},'attack-status':'under-attack'"),
	    DOTS_ROLE_MITIGATION_CONFLICT, DOTS_EFORBIDDEN,
	    SP "/attack-status", "only the client");
}

static void
test_validate_filter_failure(void **state)
{
	(void)state;
	expect_valid(SCOPE("'mid':5," ACL), DOTS_ROLE_FILTER_FAILURE);
	expect_invalid(SCOPE("'mid':5," LIFE), DOTS_ROLE_FILTER_FAILURE,
	    DOTS_EMISSING, SP "/acl-list", "names the ACLs that failed");
	expect_invalid(SCOPE(ACL), DOTS_ROLE_FILTER_FAILURE, DOTS_EMISSING,
	    SP "/mid", "mid");
}

static void
test_validate_config_request(void **state)
{
	struct dots_signal *m;

	(void)state;
	expect_valid(MITIGATING("'heartbeat-interval':{'current-value':30}"),
	    DOTS_ROLE_CONFIG_REQUEST);
	expect_valid(CONFIG("'idle-config':{'ack-timeout':"
	    "{'current-value-decimal':'2.00'}}"), DOTS_ROLE_CONFIG_REQUEST);
	expect_invalid(MITIGATING("'heartbeat-interval':{'current-value':30,"
	    "'min-value':15}"), DOTS_ROLE_CONFIG_REQUEST, DOTS_EFORBIDDEN,
	    HB_PATH, "come only from the server");
	expect_invalid(CONFIG("'idle-config':{'ack-random-factor':"
	    "{'max-value-decimal':'1.50'}}"), DOTS_ROLE_CONFIG_REQUEST,
	    DOTS_EFORBIDDEN, "signal-config/idle-config/ack-random-factor",
	    "min and max");
	expect_invalid(CONFIG("'mitigating-config':{'heartbeat-interval':"
	    "{'current-value':30}},'idle-config':{'ietf-dots-robust-trans:"
	    "non-timeout':{'max-value-decimal':'2.00'}}"),
	    DOTS_ROLE_CONFIG_REQUEST, DOTS_EFORBIDDEN,
	    "signal-config/idle-config/non-timeout", "min and max");

	/* no current value anywhere: only a hand-built model has that */
	m = dots_signal_new(DOTS_SIG_CONFIG);
	assert_non_null(m);
	check_model("empty config", m, DOTS_ROLE_CONFIG_REQUEST,
	    DOTS_EMISSING, "signal-config", "at least one current value");
	m->config.idle_config.probing_rate.present = DOTS_CFG_MAX;
	m->config.idle_config.probing_rate.max_value = 5;
	check_model("config with max only", m, DOTS_ROLE_CONFIG_REQUEST,
	    DOTS_EFORBIDDEN, "signal-config/idle-config/probing-rate",
	    "min and max");
	dots_signal_free(m);
}

static void
test_validate_config_response(void **state)
{
	(void)state;
	expect_valid(MITIGATING("'heartbeat-interval':{'max-value':240,"
	    "'min-value':15,'current-value':30},'ack-timeout':"
	    "{'max-value-decimal':'30.00','min-value-decimal':'1.00',"
	    "'current-value-decimal':'2.00'}"), DOTS_ROLE_CONFIG_RESPONSE);
	/* min == max == current, and max alone, are fine */
	expect_valid(MITIGATING("'heartbeat-interval':{'max-value':30,"
	    "'min-value':30,'current-value':30},'probing-rate':"
	    "{'max-value':5}"), DOTS_ROLE_CONFIG_RESPONSE);
	expect_invalid(MITIGATING("'heartbeat-interval':{'max-value':15,"
	    "'min-value':240}"), DOTS_ROLE_CONFIG_RESPONSE, DOTS_EVALUE,
	    HB_PATH, "min-value is above max-value");
	expect_invalid(MITIGATING("'heartbeat-interval':{'max-value':240,"
	    "'min-value':15,'current-value':241}"),
	    DOTS_ROLE_CONFIG_RESPONSE, DOTS_EVALUE, HB_PATH,
	    "current value is outside min..max");
	expect_invalid(MITIGATING("'heartbeat-interval':{'max-value':240,"
	    "'min-value':15,'current-value':14}"), DOTS_ROLE_CONFIG_RESPONSE,
	    DOTS_EVALUE, HB_PATH, "outside min..max");
	expect_invalid(CONFIG("'idle-config':{'ack-timeout':"
	    "{'min-value-decimal':'3.00','max-value-decimal':'2.99'}}"),
	    DOTS_ROLE_CONFIG_RESPONSE, DOTS_EVALUE,
	    "signal-config/idle-config/ack-timeout", "min-value is above");
	/* current against one bound only */
	expect_invalid(MITIGATING("'missing-hb-allowed':{'max-value':9,"
	    "'current-value':10}"), DOTS_ROLE_CONFIG_RESPONSE, DOTS_EVALUE,
	    "signal-config/mitigating-config/missing-hb-allowed",
	    "outside min..max");
}

static void
test_validate_config_max_payloads(void **state)
{
	(void)state;
	expect_valid(CONFIG("'mitigating-config':{'ietf-dots-robust-trans:"
	    "max-payloads':{'current-value':10}},'idle-config':{"
	    "'ietf-dots-robust-trans:max-payloads':{'current-value':10}}"),
	    DOTS_ROLE_CONFIG_REQUEST);
	expect_invalid(CONFIG("'mitigating-config':{'ietf-dots-robust-trans:"
	    "max-payloads':{'current-value':10}},'idle-config':{"
	    "'ietf-dots-robust-trans:max-payloads':{'current-value':11}}"),
	    DOTS_ROLE_CONFIG_REQUEST, DOTS_EVALUE, "signal-config/"
	    "max-payloads", "same in mitigating-config and idle-config");
	expect_invalid(CONFIG("'mitigating-config':{'ietf-dots-robust-trans:"
	    "max-payloads':{'current-value':10,'max-value':20}},"
	    "'idle-config':{'ietf-dots-robust-trans:max-payloads':"
	    "{'current-value':20,'max-value':20}}"),
	    DOTS_ROLE_CONFIG_RESPONSE, DOTS_EVALUE,
	    "signal-config/max-payloads", "RFC 9362");
}

static void
test_validate_heartbeat(void **state)
{
	struct dots_signal *m;

	(void)state;
	expect_valid(HB, DOTS_ROLE_HEARTBEAT);
	expect_valid("{'ietf-dots-signal-channel:heartbeat':"
	    "{'peer-hb-status':false}}", DOTS_ROLE_HEARTBEAT);
	/* the decoders refuse an empty heartbeat; build one */
	m = dots_signal_new(DOTS_SIG_HEARTBEAT);
	assert_non_null(m);
	check_model("empty heartbeat", m, DOTS_ROLE_HEARTBEAT, DOTS_EMISSING,
	    "heartbeat", "peer-hb-status is mandatory");
	m->heartbeat.present = DOTS_HB_PEER_STATUS;
	check_model("hand-built heartbeat", m, DOTS_ROLE_HEARTBEAT, DOTS_OK,
	    "", "");
	dots_signal_free(m);
}

static void
test_validate_redirect(void **state)
{
	(void)state;
	expect_valid(REDIRECT("'alt-server':'alt.example.com',"
	    "'alt-server-record':['2001:db8:6401::1','203.0.113.1']"),
	    DOTS_ROLE_REDIRECT);
	expect_invalid(REDIRECT("'alt-server-record':['203.0.113.1']"),
	    DOTS_ROLE_REDIRECT, DOTS_EMISSING, "redirected-signal/alt-server",
	    "must name alt-server");
	expect_invalid(REDIRECT("'alt-server':'alt.example.com',"
	    "'ietf-dots-call-home:alt-ch-client':'ch.example.com'"),
	    DOTS_ROLE_REDIRECT, DOTS_EFORBIDDEN,
	    "redirected-signal/alt-ch-client", "base channel");
	expect_invalid(REDIRECT("'alt-server':'alt.example.com',"
	    "'ietf-dots-call-home:ttl':60"), DOTS_ROLE_REDIRECT,
	    DOTS_EFORBIDDEN, "redirected-signal/alt-ch-client",
	    "Call Home attributes");
	expect_invalid(REDIRECT("'alt-server':'alt.example.com',"
	    "'ietf-dots-call-home:alt-ch-client-record':['203.0.113.1']"),
	    DOTS_ROLE_REDIRECT, DOTS_EFORBIDDEN,
	    "redirected-signal/alt-ch-client", "Call Home attributes");
}

static void
test_validate_call_home_redirect(void **state)
{
	(void)state;
	expect_valid(REDIRECT("'ietf-dots-call-home:alt-ch-client':"
	    "'ch.example.com','ietf-dots-call-home:alt-ch-client-record':"
	    "['203.0.113.1'],'ietf-dots-call-home:ttl':60"),
	    DOTS_ROLE_CALL_HOME_REDIRECT);
	expect_invalid(REDIRECT("'ietf-dots-call-home:ttl':60"),
	    DOTS_ROLE_CALL_HOME_REDIRECT, DOTS_EMISSING,
	    "redirected-signal/alt-ch-client", "must name alt-ch-client");
	expect_invalid(REDIRECT("'alt-server':'alt.example.com'"),
	    DOTS_ROLE_CALL_HOME_REDIRECT, DOTS_EMISSING,
	    "redirected-signal/alt-ch-client", "alt-ch-client");
	expect_invalid(REDIRECT("'alt-server':'alt.example.com',"
	    "'ietf-dots-call-home:alt-ch-client':'ch.example.com'"),
	    DOTS_ROLE_CALL_HOME_REDIRECT, DOTS_EFORBIDDEN,
	    "redirected-signal/alt-server", "not alt-server");
	expect_invalid(REDIRECT("'alt-server-record':['203.0.113.1'],"
	    "'ietf-dots-call-home:alt-ch-client':'ch.example.com'"),
	    DOTS_ROLE_CALL_HOME_REDIRECT, DOTS_EFORBIDDEN,
	    "redirected-signal/alt-server", "alt-ch-client, not alt-server");
}

static void
test_validate_rejects_wrong_kind(void **state)
{
	struct dots_signal *m;

	(void)state;
	expect_invalid(HB, DOTS_ROLE_MITIGATION_REQUEST, DOTS_EKIND, "",
	    "expected a mitigation-scope body, got heartbeat");
	expect_invalid(HB, DOTS_ROLE_MITIGATION_STATUS, DOTS_EKIND, "",
	    "expected a mitigation-scope body");
	expect_invalid(HB, DOTS_ROLE_CONFIG_REQUEST, DOTS_EKIND, "",
	    "expected a signal-config body, got heartbeat");
	expect_invalid(SCOPE(PFX "," LIFE), DOTS_ROLE_HEARTBEAT, DOTS_EKIND,
	    "", "expected a heartbeat body, got mitigation-scope");
	expect_invalid(MITIGATING("'heartbeat-interval':{'current-value':30}"),
	    DOTS_ROLE_REDIRECT, DOTS_EKIND, "",
	    "expected a redirected-signal body, got signal-config");
	expect_invalid(REDIRECT("'alt-server':'a.example'"),
	    DOTS_ROLE_CALL_HOME_REQUEST, DOTS_EKIND, "",
	    "got redirected-signal");

	m = dots_signal_new(DOTS_SIG_NONE);
	assert_non_null(m);
	check_model("kind none", m, DOTS_ROLE_HEARTBEAT, DOTS_EKIND, "",
	    "got none");
	dots_signal_free(m);
}

static void
test_validate_bad_arguments(void **state)
{
	struct dots_signal *m;
	struct dots_diag diag;

	(void)state;
	assert_int_equal(dots_validate_signal(NULL, DOTS_ROLE_HEARTBEAT,
	    &diag), DOTS_EINVAL);
	m = decode(HB);
	assert_int_equal(dots_validate_signal(m, DOTS_ROLE_HEARTBEAT, NULL),
	    DOTS_OK);
	assert_int_equal(dots_validate_signal(m, DOTS_ROLE_REDIRECT, NULL),
	    DOTS_EKIND);
	dots_signal_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_mitigation_request),
		cmocka_unit_test(test_validate_request_rejects_two_scopes),
		cmocka_unit_test(test_validate_request_rejects_missing_target),
		cmocka_unit_test(test_validate_request_rejects_bad_lifetime),
		cmocka_unit_test(test_validate_request_rejects_server_fields),
		cmocka_unit_test(test_validate_request_rejects_special_prefix),
		cmocka_unit_test(
		    test_validate_request_rejects_mapped_special_prefix),
		cmocka_unit_test(test_validate_efficacy_update),
		cmocka_unit_test(test_validate_call_home_request),
		cmocka_unit_test(test_validate_mitigation_created),
		cmocka_unit_test(test_validate_mitigation_status),
		cmocka_unit_test(test_validate_mitigation_conflict),
		cmocka_unit_test(test_validate_filter_failure),
		cmocka_unit_test(test_validate_config_request),
		cmocka_unit_test(test_validate_config_response),
		cmocka_unit_test(test_validate_config_max_payloads),
		cmocka_unit_test(test_validate_heartbeat),
		cmocka_unit_test(test_validate_redirect),
		cmocka_unit_test(test_validate_call_home_redirect),
		cmocka_unit_test(test_validate_rejects_wrong_kind),
		cmocka_unit_test(test_validate_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
