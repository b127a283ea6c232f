/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The signal-channel message model: plain C structures mirroring the YANG
 * structure "dots-signal" of ietf-dots-signal-channel (RFC 9132) and the
 * modules that augment it: ietf-dots-call-home (RFC 9066),
 * ietf-dots-signal-control (RFC 9133) and ietf-dots-robust-trans (RFC 9362).
 *
 * One struct dots_signal holds one message body.  Its strings and arrays
 * live in an arena owned by the message, so dots_signal_free() releases
 * everything at once.  Optional scalar leaves have a bit in the "present"
 * mask of their struct; lists and leaf-lists are present when their count
 * is non-zero; a container is present when any leaf below it is.
 */
#ifndef DOTS_MODEL_H
#define DOTS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Address family of a prefix or address. */
enum dots_family {
	DOTS_AF_NONE = 0,
	DOTS_AF_INET4 = 4,
	DOTS_AF_INET6 = 6
};

/* inet:ip-prefix, always stored in canonical form (host bits zero). */
struct dots_prefix {
	uint8_t		family;		/* enum dots_family */
	uint8_t		length;		/* 0..32 or 0..128 */
	uint8_t		addr[16];	/* network byte order, v4 in [0..3] */
};

/* inet:ip-address without zone. */
struct dots_ipaddr {
	uint8_t		family;
	uint8_t		addr[16];
};

/* target-port-range and ietf-dots-call-home:source-port-range entries. */
#define DOTS_PORT_UPPER		(1u << 0)
struct dots_port_range {
	uint32_t	present;	/* DOTS_PORT_UPPER */
	uint16_t	lower_port;
	uint16_t	upper_port;	/* == lower_port when absent */
};

/* ietf-dots-call-home:source-icmp-type-range entries. */
#define DOTS_ICMP_UPPER		(1u << 0)
struct dots_icmp_type_range {
	uint32_t	present;	/* DOTS_ICMP_UPPER */
	uint8_t		lower_type;
	uint8_t		upper_type;	/* == lower_type when absent */
};

/* iana-dots-signal-channel:status */
enum dots_status {
	DOTS_STATUS_NONE = 0,
	DOTS_STATUS_IN_PROGRESS = 1,	/* attack-mitigation-in-progress */
	DOTS_STATUS_MITIGATED = 2,	/* attack-successfully-mitigated */
	DOTS_STATUS_STOPPED = 3,	/* attack-stopped */
	DOTS_STATUS_EXCEEDED = 4,	/* attack-exceeded-capability */
	DOTS_STATUS_CLIENT_WITHDRAWN = 5, /* dots-client-withdrawn-mitigation */
	DOTS_STATUS_TERMINATED = 6,	/* attack-mitigation-terminated */
	DOTS_STATUS_WITHDRAWN = 7,	/* attack-mitigation-withdrawn */
	DOTS_STATUS_SIGNAL_LOSS = 8	/* attack-mitigation-signal-loss */
};

/* iana-dots-signal-channel:conflict-status */
enum dots_conflict_status {
	DOTS_CONFLICT_STATUS_NONE = 0,
	DOTS_CONFLICT_INACTIVE_OTHER_ACTIVE = 1,
	DOTS_CONFLICT_REQUEST_ACTIVE = 2,
	DOTS_CONFLICT_ALL_INACTIVE = 3
};

/* iana-dots-signal-channel:conflict-cause, plus RFC 9066's value 4. */
enum dots_conflict_cause {
	DOTS_CONFLICT_CAUSE_NONE = 0,
	DOTS_CONFLICT_OVERLAPPING_TARGETS = 1,
	DOTS_CONFLICT_ACCEPTLIST = 2,
	DOTS_CONFLICT_CUID_COLLISION = 3,
	DOTS_CONFLICT_LEGITIMATE_TRAFFIC = 4
};

/* iana-dots-signal-channel:attack-status */
enum dots_attack_status {
	DOTS_ATTACK_STATUS_NONE = 0,
	DOTS_ATTACK_UNDER_ATTACK = 1,
	DOTS_ATTACK_MITIGATED = 2
};

/* ietf-dots-data-channel:activation-type */
enum dots_activation_type {
	DOTS_ACTIVATION_NONE = 0,
	DOTS_ACTIVATION_WHEN_MITIGATING = 1,
	DOTS_ACTIVATION_IMMEDIATE = 2,
	DOTS_ACTIVATION_DEACTIVATE = 3
};

/* ietf-dots-signal-control:acl-list entry (RFC 9133). */
#define DOTS_ACL_ACTIVATION_TYPE	(1u << 0)
struct dots_acl_ref {
	uint32_t	present;
	char		*acl_name;
	uint8_t		activation_type;	/* enum dots_activation_type */
};

/* conflict-scope/acl-list entry (RFC 9132). */
struct dots_conflict_acl {
	uint32_t	present;
	char		*acl_name;
	char		*acl_type;
};

/* The "target" grouping of ietf-dots-data-channel, reused by the scope. */
struct dots_target {
	struct dots_prefix	*prefix;	size_t n_prefix;
	struct dots_port_range	*port_range;	size_t n_port_range;
	uint8_t			*protocol;	size_t n_protocol;
	char			**fqdn;		size_t n_fqdn;
	char			**uri;		size_t n_uri;
};

#define DOTS_CSCOPE_MID		(1u << 0)
struct dots_conflict_scope {
	uint32_t		 present;
	struct dots_target	 target;
	char			**alias_name;	size_t n_alias_name;
	struct dots_conflict_acl *acl_list;	size_t n_acl_list;
	uint32_t		 mid;
};

#define DOTS_CONFLICT_STATUS	(1u << 0)
#define DOTS_CONFLICT_CAUSE	(1u << 1)
#define DOTS_CONFLICT_RETRY	(1u << 2)
struct dots_conflict_info {
	uint32_t		present;
	uint8_t			conflict_status;	/* enum dots_conflict_status */
	uint8_t			conflict_cause;		/* enum dots_conflict_cause */
	uint32_t		retry_timer;
	struct dots_conflict_scope conflict_scope;
};

/* Presence bits of struct dots_scope. */
#define DOTS_SCOPE_LIFETIME		(1u << 0)
#define DOTS_SCOPE_TRIGGER		(1u << 1)
#define DOTS_SCOPE_MID			(1u << 2)
#define DOTS_SCOPE_MITIGATION_START	(1u << 3)
#define DOTS_SCOPE_STATUS		(1u << 4)
#define DOTS_SCOPE_BYTES_DROPPED	(1u << 5)
#define DOTS_SCOPE_BPS_DROPPED		(1u << 6)
#define DOTS_SCOPE_PKTS_DROPPED		(1u << 7)
#define DOTS_SCOPE_PPS_DROPPED		(1u << 8)
#define DOTS_SCOPE_ATTACK_STATUS	(1u << 9)

#define DOTS_LIFETIME_INDEFINITE	(-1)
#define DOTS_LIFETIME_DEFAULT		3600

/*
 * One entry of mitigation-scope/scope: a request from the client, or the
 * server's view of one mitigation in responses and notifications.
 */
struct dots_scope {
	uint32_t		 present;

	/* request: what to mitigate */
	struct dots_target	 target;
	char			**alias_name;	size_t n_alias_name;
	int64_t			 lifetime;	/* seconds, or -1 */
	bool			 trigger_mitigation;

	/* server to client only */
	uint32_t		 mid;
	uint64_t		 mitigation_start; /* seconds since the epoch */
	uint8_t			 status;	/* enum dots_status */
	struct dots_conflict_info conflict;	/* present if cause is set */
	uint64_t		 bytes_dropped;
	uint64_t		 bps_dropped;
	uint64_t		 pkts_dropped;
	uint64_t		 pps_dropped;

	/* client to server only: efficacy update */
	uint8_t			 attack_status;	/* enum dots_attack_status */

	/* RFC 9066 call home */
	struct dots_prefix	 *source_prefix;	size_t n_source_prefix;
	struct dots_port_range	 *source_port_range;	size_t n_source_port_range;
	struct dots_icmp_type_range *source_icmp_type_range;
	size_t			 n_source_icmp_type_range;

	/* RFC 9133 filter control */
	struct dots_acl_ref	 *acl_list;	size_t n_acl_list;
};

struct dots_mitigation_scope {
	struct dots_scope	*scope;
	size_t			 n_scope;
};

/*
 * One negotiable parameter of the session configuration.  Integer
 * parameters use value_*; decimal ones (fraction-digits 2) store hundredths
 * in the same fields (2.00 s is 200).  min/max come from the server only.
 */
#define DOTS_CFG_MAX		(1u << 0)
#define DOTS_CFG_MIN		(1u << 1)
#define DOTS_CFG_CURRENT	(1u << 2)
struct dots_cfg_value {
	uint32_t	present;
	int64_t		max_value;
	int64_t		min_value;
	int64_t		current_value;
};

/* mitigating-config or idle-config. */
struct dots_config_set {
	struct dots_cfg_value	heartbeat_interval;	/* s */
	struct dots_cfg_value	missing_hb_allowed;
	struct dots_cfg_value	max_retransmit;
	struct dots_cfg_value	ack_timeout;		/* 1/100 s */
	struct dots_cfg_value	ack_random_factor;	/* 1/100 */
	struct dots_cfg_value	probing_rate;		/* byte/s */
	/* RFC 9362 robust block transmission */
	struct dots_cfg_value	max_payloads;
	struct dots_cfg_value	non_max_retransmit;
	struct dots_cfg_value	non_timeout;		/* 1/100 s */
	struct dots_cfg_value	non_receive_timeout;	/* 1/100 s */
	struct dots_cfg_value	non_probing_wait;	/* 1/100 s */
	struct dots_cfg_value	non_partial_timeout;	/* 1/100 s */
};

struct dots_signal_config {
	struct dots_config_set	mitigating_config;
	struct dots_config_set	idle_config;
};

/* redirected-signal: RFC 9132 5.03 body, or RFC 9066 PUT /redirect body. */
#define DOTS_REDIRECT_TTL	(1u << 0)
struct dots_redirect {
	uint32_t		 present;
	char			*alt_server;
	struct dots_ipaddr	*alt_server_record;	size_t n_alt_server_record;
	char			*alt_ch_client;
	struct dots_ipaddr	*alt_ch_client_record;	size_t n_alt_ch_client_record;
	uint32_t		 ttl;
};

#define DOTS_HB_PEER_STATUS	(1u << 0)
struct dots_heartbeat {
	uint32_t	present;
	bool		peer_hb_status;
};

/* The four kinds of signal-channel message body (RFC 9132 "message-type"). */
enum dots_signal_kind {
	DOTS_SIG_NONE = 0,
	DOTS_SIG_MITIGATION,		/* mitigation-scope, CBOR key 1 */
	DOTS_SIG_CONFIG,		/* signal-config, key 30 */
	DOTS_SIG_REDIRECT,		/* redirected-signal, key 46 */
	DOTS_SIG_HEARTBEAT		/* heartbeat, key 49 */
};

struct dots_arena_chunk;

/* Bump allocator owning a message's strings and arrays. */
struct dots_arena {
	struct dots_arena_chunk	*chunks;
	unsigned char		*cur;
	size_t			 left;
	size_t			 used;		/* bytes handed out */
	size_t			 limit;		/* 0: none */
	_Alignas(16) unsigned char first[1024];
};

struct dots_signal {
	enum dots_signal_kind		kind;
	struct dots_mitigation_scope	mitigation;
	struct dots_signal_config	config;
	struct dots_redirect		redirect;
	struct dots_heartbeat		heartbeat;
	struct dots_arena		arena;
};

/* model_signal.c */

/** A new, empty message of kind @p kind.  **new**: free with dots_signal_free. */
struct dots_signal	*dots_signal_new(enum dots_signal_kind kind);
void			 dots_signal_free(struct dots_signal *m);

/** Deep equality of two messages (same kind, same present fields and values). */
bool			 dots_signal_equal(const struct dots_signal *a,
			    const struct dots_signal *b);

/**
 * Append @p n zeroed scopes to a mitigation message.
 * @return the first new scope (borrowed, valid until the next append), or NULL.
 */
struct dots_scope	*dots_signal_add_scopes(struct dots_signal *m, size_t n);

/**
 * Allocate @p size zeroed bytes in the message's arena, or a copy of a
 * string.  The memory lives as long as the message.  NULL on ENOMEM.
 */
void			*dots_signal_alloc(struct dots_signal *m, size_t size);
char			*dots_signal_strdup(struct dots_signal *m, const char *s);

/* Labels of the enumerations, as in the YANG modules. NULL if unknown. */
const char	*dots_status_name(unsigned v);
const char	*dots_conflict_status_name(unsigned v);
const char	*dots_conflict_cause_name(unsigned v);
const char	*dots_attack_status_name(unsigned v);
const char	*dots_activation_type_name(unsigned v);
const char	*dots_signal_kind_name(enum dots_signal_kind k);

/* prefix.c */

/**
 * Parse "address/length".  Host bits are cleared (canonical form, RFC 9911
 * ip-prefix); *@p had_host_bits tells whether any was set.
 * @return DOTS_OK or DOTS_EVALUE.
 */
int	dots_prefix_parse(const char *s, struct dots_prefix *p,
	    bool *had_host_bits);
/** Canonical text (RFC 5952 for IPv6) into @p buf (at least 50 bytes). */
int	dots_prefix_format(const struct dots_prefix *p, char *buf, size_t len);
int	dots_ipaddr_parse(const char *s, struct dots_ipaddr *a);
int	dots_ipaddr_format(const struct dots_ipaddr *a, char *buf, size_t len);
bool	dots_prefix_contains(const struct dots_prefix *outer,
	    const struct dots_prefix *inner);
bool	dots_prefix_overlaps(const struct dots_prefix *a,
	    const struct dots_prefix *b);

#ifdef __cplusplus
}
#endif

#endif /* DOTS_MODEL_H */
