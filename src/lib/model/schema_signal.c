/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The dots-signal structure of RFC 9132 with its RFC 9066, 9133 and 9362
 * augmentations, as schema tables (see schema.h).  Names and types follow
 * the YANG modules; CBOR keys come from dots/keys.h.  Every children table
 * is sorted by key; a unit test checks it.
 *
 * Implementation limits (the YANG modules set none): list sizes and
 * string lengths below keep any body within bounded memory.
 */
#include <stddef.h>

#include <dots/keys.h>
#include <dots/model.h>

#include "schema.h"

#define LIM_SCOPES	1024
#define LIM_PREFIXES	1024
/*
 * RFC 9066 source-prefix: a client under a reflection attack lists the
 * reflectors it saw, thousands of /32s (the offload scenario); the body
 * limit (64 KiB) bounds them anyway, at about 3800 IPv4 hosts.
 */
#define LIM_SOURCE_PREFIXES	4096
#define LIM_PORTS	1024
#define LIM_PROTOCOLS	256
#define LIM_NAMES	256
#define LIM_ACLS	256
#define LIM_ADDRS	64

#define LEN_NAME	255
#define LEN_ACL_NAME	64	/* ietf-access-control-list acl name */
#define LEN_DOMAIN	253
#define LEN_URI		2048

#define NCHILD(t)	(uint8_t)(sizeof(t) / sizeof((t)[0]))
#define LABEL_OF(t, v)	((v) < NCHILD(t) ? (t)[v] : NULL)
#define FSIZE(st, f)	(uint8_t)sizeof(((st *)0)->f)

/* A scalar leaf. */
#define LEAF(nm, k, mod, vt, st, f, b)					\
	.name = (nm), .key = (k), .module = (mod), .kind = SN_LEAF,	\
	.vtype = (vt), .size = FSIZE(st, f), .offset = offsetof(st, f),	\
	.bit = (b), .list_key = -1

#define UINT_LEAF(nm, k, mod, st, f, b, lo, hi)				\
	{ LEAF(nm, k, mod, VT_UINT, st, f, b), .min = (lo), .max = (hi) }

#define ENUM_LEAF(nm, k, mod, st, f, b, tbl)				\
	{ LEAF(nm, k, mod, VT_ENUM, st, f, b), .labels = (tbl),		\
	  .nlabels = NCHILD(tbl) }

#define STR_LEAF(nm, k, mod, vt, st, f, len)				\
	{ LEAF(nm, k, mod, vt, st, f, 0), .max_len = (len) }

/* A leaf-list: pointer field f, count field n_f. */
#define LEAFLIST(nm, k, mod, vt, st, f, nf, esz, lim, len)		\
	{ .name = (nm), .key = (k), .module = (mod), .kind = SN_LEAFLIST,	\
	  .vtype = (vt), .offset = offsetof(st, f),			\
	  .count_off = offsetof(st, nf), .elem_size = (esz),		\
	  .max_items = (lim), .max_len = (len), .list_key = -1 }

#define LIST(nm, k, mod, st, f, nf, est, lim, kidx, ch, fl)		\
	{ .name = (nm), .key = (k), .module = (mod), .kind = SN_LIST,	\
	  .flags = (fl),						\
	  .offset = offsetof(st, f), .count_off = offsetof(st, nf),	\
	  .elem_size = sizeof(est), .max_items = (lim),			\
	  .list_key = (kidx), .children = (ch), .nchildren = NCHILD(ch) }

#define CONTAINER(nm, k, mod, st, f, ch)				\
	{ .name = (nm), .key = (k), .module = (mod),			\
	  .kind = SN_CONTAINER, .offset = offsetof(st, f),		\
	  .list_key = -1, .children = (ch), .nchildren = NCHILD(ch) }

const char *const schema_module_names[MOD_COUNT] = {
	[MOD_SIGNAL] = "ietf-dots-signal-channel",
	[MOD_CALL_HOME] = "ietf-dots-call-home",
	[MOD_SIGNAL_CONTROL] = "ietf-dots-signal-control",
	[MOD_ROBUST] = "ietf-dots-robust-trans",
};

static const char *const status_labels[] = {
	NULL,
	"attack-mitigation-in-progress",
	"attack-successfully-mitigated",
	"attack-stopped",
	"attack-exceeded-capability",
	"dots-client-withdrawn-mitigation",
	"attack-mitigation-terminated",
	"attack-mitigation-withdrawn",
	"attack-mitigation-signal-loss",
};

static const char *const conflict_status_labels[] = {
	NULL,
	"request-inactive-other-active",
	"request-active",
	"all-requests-inactive",
};

static const char *const conflict_cause_labels[] = {
	NULL,
	"overlapping-targets",
	"conflict-with-acceptlist",
	"cuid-collision",
	"request-rejected-legitimate-traffic",	/* RFC 9066 */
};

static const char *const attack_status_labels[] = {
	NULL,
	"under-attack",
	"attack-successfully-mitigated",
};

static const char *const activation_type_labels[] = {
	NULL,
	"activate-when-mitigating",
	"immediate",
	"deactivate",
};

/* lower-port/upper-port of target-port-range and source-port-range. */
static const struct schema_node port_range_children[] = {
	UINT_LEAF("lower-port", DOTS_KEY_LOWER_PORT, MOD_INHERIT,
	    struct dots_port_range, lower_port, 0, 0, 65535),
	UINT_LEAF("upper-port", DOTS_KEY_UPPER_PORT, MOD_INHERIT,
	    struct dots_port_range, upper_port, DOTS_PORT_UPPER, 0, 65535),
};

static const struct schema_node icmp_range_children[] = {
	UINT_LEAF("lower-type", DOTS_KEY_LOWER_TYPE, MOD_INHERIT,
	    struct dots_icmp_type_range, lower_type, 0, 0, 255),
	UINT_LEAF("upper-type", DOTS_KEY_UPPER_TYPE, MOD_INHERIT,
	    struct dots_icmp_type_range, upper_type, DOTS_ICMP_UPPER, 0, 255),
};

static const struct schema_node acl_ref_children[] = {
	STR_LEAF("acl-name", DOTS_KEY_ACL_NAME, MOD_INHERIT, VT_STRING,
	    struct dots_acl_ref, acl_name, LEN_ACL_NAME),
	ENUM_LEAF("activation-type", DOTS_KEY_ACTIVATION_TYPE, MOD_INHERIT,
	    struct dots_acl_ref, activation_type, DOTS_ACL_ACTIVATION_TYPE,
	    activation_type_labels),
};

static const struct schema_node conflict_acl_children[] = {
	STR_LEAF("acl-name", DOTS_KEY_ACL_NAME, MOD_INHERIT, VT_STRING,
	    struct dots_conflict_acl, acl_name, LEN_ACL_NAME),
	STR_LEAF("acl-type", DOTS_KEY_ACL_TYPE, MOD_INHERIT, VT_STRING,
	    struct dots_conflict_acl, acl_type, LEN_NAME),
};

#define TARGET_LEAVES(st, pfx)						\
	LEAFLIST("target-prefix", DOTS_KEY_TARGET_PREFIX, MOD_INHERIT,	\
	    VT_PREFIX, st, pfx.prefix, pfx.n_prefix,			\
	    sizeof(struct dots_prefix), LIM_PREFIXES, 0),		\
	LIST("target-port-range", DOTS_KEY_TARGET_PORT_RANGE,		\
	    MOD_INHERIT, st, pfx.port_range, pfx.n_port_range,		\
	    struct dots_port_range, LIM_PORTS, 0, port_range_children,	\
	    SF_RANGE_PAIR),	\
	{ .name = "target-protocol", .key = DOTS_KEY_TARGET_PROTOCOL,	\
	  .module = MOD_INHERIT, .kind = SN_LEAFLIST, .vtype = VT_UINT,	\
	  .size = 1, .offset = offsetof(st, pfx.protocol),		\
	  .count_off = offsetof(st, pfx.n_protocol), .elem_size = 1,	\
	  .max_items = LIM_PROTOCOLS, .min = 0, .max = 255,		\
	  .list_key = -1 },						\
	LEAFLIST("target-fqdn", DOTS_KEY_TARGET_FQDN, MOD_INHERIT,	\
	    VT_DOMAIN, st, pfx.fqdn, pfx.n_fqdn, sizeof(char *),	\
	    LIM_NAMES, LEN_DOMAIN),					\
	LEAFLIST("target-uri", DOTS_KEY_TARGET_URI, MOD_INHERIT, VT_URI,	\
	    st, pfx.uri, pfx.n_uri, sizeof(char *), LIM_NAMES, LEN_URI)

static const struct schema_node conflict_scope_children[] = {
	UINT_LEAF("mid", DOTS_KEY_MID, MOD_INHERIT, struct dots_conflict_scope,
	    mid, DOTS_CSCOPE_MID, 0, UINT32_MAX),
	TARGET_LEAVES(struct dots_conflict_scope, target),
	LEAFLIST("alias-name", DOTS_KEY_ALIAS_NAME, MOD_INHERIT, VT_STRING,
	    struct dots_conflict_scope, alias_name, n_alias_name,
	    sizeof(char *), LIM_NAMES, LEN_NAME),
	LIST("acl-list", DOTS_KEY_ACL_LIST, MOD_INHERIT,
	    struct dots_conflict_scope, acl_list, n_acl_list,
	    struct dots_conflict_acl, LIM_ACLS, 0, conflict_acl_children, 0),
};

static const struct schema_node conflict_children[] = {
	ENUM_LEAF("conflict-status", DOTS_KEY_CONFLICT_STATUS, MOD_INHERIT,
	    struct dots_conflict_info, conflict_status, DOTS_CONFLICT_STATUS,
	    conflict_status_labels),
	ENUM_LEAF("conflict-cause", DOTS_KEY_CONFLICT_CAUSE, MOD_INHERIT,
	    struct dots_conflict_info, conflict_cause, DOTS_CONFLICT_CAUSE,
	    conflict_cause_labels),
	/* RFC 9132 Table 5 prints its JSON type as String */
	{ LEAF("retry-timer", DOTS_KEY_RETRY_TIMER, MOD_INHERIT, VT_UINT,
	    struct dots_conflict_info, retry_timer, DOTS_CONFLICT_RETRY),
	  .min = 0, .max = UINT32_MAX, .flags = SF_JSON_STRING_OK },
	CONTAINER("conflict-scope", DOTS_KEY_CONFLICT_SCOPE, MOD_INHERIT,
	    struct dots_conflict_info, conflict_scope,
	    conflict_scope_children),
};

static const struct schema_node scope_children[] = {
	/* Uri-Path only (RFC 9132 section 4.4.1): refused in bodies. */
	{ .name = "cdid", .key = DOTS_KEY_CDID, .module = MOD_INHERIT,
	  .kind = SN_LEAF, .flags = SF_FORBIDDEN, .list_key = -1 },
	{ .name = "cuid", .key = DOTS_KEY_CUID, .module = MOD_INHERIT,
	  .kind = SN_LEAF, .flags = SF_FORBIDDEN, .list_key = -1 },
	UINT_LEAF("mid", DOTS_KEY_MID, MOD_INHERIT, struct dots_scope, mid,
	    DOTS_SCOPE_MID, 0, UINT32_MAX),
	TARGET_LEAVES(struct dots_scope, target),
	LEAFLIST("alias-name", DOTS_KEY_ALIAS_NAME, MOD_INHERIT, VT_STRING,
	    struct dots_scope, alias_name, n_alias_name, sizeof(char *),
	    LIM_NAMES, LEN_NAME),
	{ LEAF("lifetime", DOTS_KEY_LIFETIME, MOD_INHERIT, VT_LIFETIME,
	    struct dots_scope, lifetime, DOTS_SCOPE_LIFETIME) },
	{ LEAF("mitigation-start", DOTS_KEY_MITIGATION_START, MOD_INHERIT,
	    VT_UINT64_STR, struct dots_scope, mitigation_start,
	    DOTS_SCOPE_MITIGATION_START), .max = UINT64_MAX },
	ENUM_LEAF("status", DOTS_KEY_STATUS, MOD_INHERIT, struct dots_scope,
	    status, DOTS_SCOPE_STATUS, status_labels),
	CONTAINER("conflict-information", DOTS_KEY_CONFLICT_INFORMATION,
	    MOD_INHERIT, struct dots_scope, conflict, conflict_children),
	{ LEAF("bytes-dropped", DOTS_KEY_BYTES_DROPPED, MOD_INHERIT,
	    VT_UINT64_STR, struct dots_scope, bytes_dropped,
	    DOTS_SCOPE_BYTES_DROPPED), .max = UINT64_MAX },
	{ LEAF("bps-dropped", DOTS_KEY_BPS_DROPPED, MOD_INHERIT,
	    VT_UINT64_STR, struct dots_scope, bps_dropped,
	    DOTS_SCOPE_BPS_DROPPED), .max = UINT64_MAX },
	{ LEAF("pkts-dropped", DOTS_KEY_PKTS_DROPPED, MOD_INHERIT,
	    VT_UINT64_STR, struct dots_scope, pkts_dropped,
	    DOTS_SCOPE_PKTS_DROPPED), .max = UINT64_MAX },
	{ LEAF("pps-dropped", DOTS_KEY_PPS_DROPPED, MOD_INHERIT,
	    VT_UINT64_STR, struct dots_scope, pps_dropped,
	    DOTS_SCOPE_PPS_DROPPED), .max = UINT64_MAX },
	ENUM_LEAF("attack-status", DOTS_KEY_ATTACK_STATUS, MOD_INHERIT,
	    struct dots_scope, attack_status, DOTS_SCOPE_ATTACK_STATUS,
	    attack_status_labels),
	{ LEAF("trigger-mitigation", DOTS_KEY_TRIGGER_MITIGATION,
	    MOD_INHERIT, VT_BOOL, struct dots_scope, trigger_mitigation,
	    DOTS_SCOPE_TRIGGER), .flags = SF_DEFAULT_TRUE },
	{ .name = "acl-list", .key = DOTS_KEY_SC_ACL_LIST,
	  .module = MOD_SIGNAL_CONTROL, .kind = SN_LIST,
	  .flags = SF_LENIENT_BARE,
	  .offset = offsetof(struct dots_scope, acl_list),
	  .count_off = offsetof(struct dots_scope, n_acl_list),
	  .elem_size = sizeof(struct dots_acl_ref), .max_items = LIM_ACLS,
	  .list_key = 0, .children = acl_ref_children,
	  .nchildren = NCHILD(acl_ref_children) },
	LEAFLIST("source-prefix", DOTS_KEY_SOURCE_PREFIX, MOD_CALL_HOME,
	    VT_PREFIX, struct dots_scope, source_prefix, n_source_prefix,
	    sizeof(struct dots_prefix), LIM_SOURCE_PREFIXES, 0),
	LIST("source-port-range", DOTS_KEY_SOURCE_PORT_RANGE, MOD_CALL_HOME,
	    struct dots_scope, source_port_range, n_source_port_range,
	    struct dots_port_range, LIM_PORTS, 0, port_range_children,	\
	    SF_RANGE_PAIR),
	LIST("source-icmp-type-range", DOTS_KEY_SOURCE_ICMP_TYPE_RANGE,
	    MOD_CALL_HOME, struct dots_scope, source_icmp_type_range,
	    n_source_icmp_type_range, struct dots_icmp_type_range, LIM_PORTS,
	    0, icmp_range_children, SF_RANGE_PAIR),
};

static const struct schema_node scope_list[] = {
	LIST("scope", DOTS_KEY_SCOPE, MOD_INHERIT,
	    struct dots_mitigation_scope, scope, n_scope, struct dots_scope,
	    LIM_SCOPES, -1, scope_children, 0),
};

/* Session configuration: integer and decimal parameters. */
#define CFG_LEAF(nm, k, f, b, vt, hi)					\
	{ LEAF(nm, k, MOD_INHERIT, vt, struct dots_cfg_value, f, b),	\
	  .min = 0, .max = (hi) }

static const struct schema_node cfg_uint_children[] = {
	CFG_LEAF("max-value", DOTS_KEY_MAX_VALUE, max_value, DOTS_CFG_MAX,
	    VT_UINT, 65535),
	CFG_LEAF("min-value", DOTS_KEY_MIN_VALUE, min_value, DOTS_CFG_MIN,
	    VT_UINT, 65535),
	CFG_LEAF("current-value", DOTS_KEY_CURRENT_VALUE, current_value,
	    DOTS_CFG_CURRENT, VT_UINT, 65535),
};

/* decimal64 has no range in the modules; 10^9 s keeps arithmetic safe. */
#define DEC_MAX		100000000000ULL
static const struct schema_node cfg_dec_children[] = {
	CFG_LEAF("max-value-decimal", DOTS_KEY_MAX_VALUE_DECIMAL, max_value,
	    DOTS_CFG_MAX, VT_DEC2, DEC_MAX),
	CFG_LEAF("min-value-decimal", DOTS_KEY_MIN_VALUE_DECIMAL, min_value,
	    DOTS_CFG_MIN, VT_DEC2, DEC_MAX),
	CFG_LEAF("current-value-decimal", DOTS_KEY_CURRENT_VALUE_DECIMAL,
	    current_value, DOTS_CFG_CURRENT, VT_DEC2, DEC_MAX),
};

#define CFG(nm, k, mod, f, ch)						\
	CONTAINER(nm, k, mod, struct dots_config_set, f, ch)

static const struct schema_node config_set_children[] = {
	CFG("heartbeat-interval", DOTS_KEY_HEARTBEAT_INTERVAL, MOD_INHERIT,
	    heartbeat_interval, cfg_uint_children),
	CFG("missing-hb-allowed", DOTS_KEY_MISSING_HB_ALLOWED, MOD_INHERIT,
	    missing_hb_allowed, cfg_uint_children),
	CFG("max-retransmit", DOTS_KEY_MAX_RETRANSMIT, MOD_INHERIT,
	    max_retransmit, cfg_uint_children),
	CFG("ack-timeout", DOTS_KEY_ACK_TIMEOUT, MOD_INHERIT, ack_timeout,
	    cfg_dec_children),
	CFG("ack-random-factor", DOTS_KEY_ACK_RANDOM_FACTOR, MOD_INHERIT,
	    ack_random_factor, cfg_dec_children),
	CFG("probing-rate", DOTS_KEY_PROBING_RATE, MOD_INHERIT, probing_rate,
	    cfg_uint_children),
	CFG("max-payloads", DOTS_KEY_MAX_PAYLOADS, MOD_ROBUST, max_payloads,
	    cfg_uint_children),
	CFG("non-max-retransmit", DOTS_KEY_NON_MAX_RETRANSMIT, MOD_ROBUST,
	    non_max_retransmit, cfg_uint_children),
	CFG("non-timeout", DOTS_KEY_NON_TIMEOUT, MOD_ROBUST, non_timeout,
	    cfg_dec_children),
	CFG("non-receive-timeout", DOTS_KEY_NON_RECEIVE_TIMEOUT, MOD_ROBUST,
	    non_receive_timeout, cfg_dec_children),
	CFG("non-probing-wait", DOTS_KEY_NON_PROBING_WAIT, MOD_ROBUST,
	    non_probing_wait, cfg_dec_children),
	CFG("non-partial-timeout", DOTS_KEY_NON_PARTIAL_TIMEOUT, MOD_ROBUST,
	    non_partial_timeout, cfg_dec_children),
};

static const struct schema_node signal_config_children[] = {
	CONTAINER("mitigating-config", DOTS_KEY_MITIGATING_CONFIG,
	    MOD_INHERIT, struct dots_signal_config, mitigating_config,
	    config_set_children),
	CONTAINER("idle-config", DOTS_KEY_IDLE_CONFIG, MOD_INHERIT,
	    struct dots_signal_config, idle_config, config_set_children),
};

static const struct schema_node redirect_children[] = {
	STR_LEAF("alt-server", DOTS_KEY_ALT_SERVER, MOD_INHERIT, VT_DOMAIN,
	    struct dots_redirect, alt_server, LEN_DOMAIN),
	LEAFLIST("alt-server-record", DOTS_KEY_ALT_SERVER_RECORD, MOD_INHERIT,
	    VT_IPADDR, struct dots_redirect, alt_server_record,
	    n_alt_server_record, sizeof(struct dots_ipaddr), LIM_ADDRS, 0),
	STR_LEAF("alt-ch-client", DOTS_KEY_ALT_CH_CLIENT, MOD_CALL_HOME,
	    VT_DOMAIN, struct dots_redirect, alt_ch_client, LEN_DOMAIN),
	LEAFLIST("alt-ch-client-record", DOTS_KEY_ALT_CH_CLIENT_RECORD,
	    MOD_CALL_HOME, VT_IPADDR, struct dots_redirect,
	    alt_ch_client_record, n_alt_ch_client_record,
	    sizeof(struct dots_ipaddr), LIM_ADDRS, 0),
	UINT_LEAF("ttl", DOTS_KEY_TTL, MOD_CALL_HOME, struct dots_redirect,
	    ttl, DOTS_REDIRECT_TTL, 0, UINT32_MAX),
};

static const struct schema_node heartbeat_children[] = {
	{ LEAF("peer-hb-status", DOTS_KEY_PEER_HB_STATUS, MOD_INHERIT,
	    VT_BOOL, struct dots_heartbeat, peer_hb_status,
	    DOTS_HB_PEER_STATUS) },
};

/* Indexed by enum dots_signal_kind - 1. */
const struct schema_node schema_signal_roots[] = {
	CONTAINER("mitigation-scope", DOTS_KEY_MITIGATION_SCOPE, MOD_SIGNAL,
	    struct dots_signal, mitigation, scope_list),
	CONTAINER("signal-config", DOTS_KEY_SIGNAL_CONFIG, MOD_SIGNAL,
	    struct dots_signal, config, signal_config_children),
	CONTAINER("redirected-signal", DOTS_KEY_REDIRECTED_SIGNAL, MOD_SIGNAL,
	    struct dots_signal, redirect, redirect_children),
	CONTAINER("heartbeat", DOTS_KEY_HEARTBEAT, MOD_SIGNAL,
	    struct dots_signal, heartbeat, heartbeat_children),
};
const size_t schema_signal_nroots =
    sizeof(schema_signal_roots) / sizeof(schema_signal_roots[0]);

const struct schema_node *
schema_root_for_kind(enum dots_signal_kind kind)
{
	if (kind < DOTS_SIG_MITIGATION || kind > DOTS_SIG_HEARTBEAT)
		return NULL;
	return &schema_signal_roots[kind - DOTS_SIG_MITIGATION];
}

enum dots_signal_kind
schema_kind_for_root(const struct schema_node *n)
{
	return (enum dots_signal_kind)(n - schema_signal_roots +
	    DOTS_SIG_MITIGATION);
}

const char *
dots_status_name(unsigned v)
{
	return LABEL_OF(status_labels, v);
}

const char *
dots_conflict_status_name(unsigned v)
{
	return LABEL_OF(conflict_status_labels, v);
}

const char *
dots_conflict_cause_name(unsigned v)
{
	return LABEL_OF(conflict_cause_labels, v);
}

const char *
dots_attack_status_name(unsigned v)
{
	return LABEL_OF(attack_status_labels, v);
}

const char *
dots_activation_type_name(unsigned v)
{
	return LABEL_OF(activation_type_labels, v);
}

const char *
dots_signal_kind_name(enum dots_signal_kind k)
{
	const struct schema_node *n = schema_root_for_kind(k);

	return n ? n->name : "none";
}
