/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The schema of the dotsd configuration, and its value types.
 *
 * conf_keys[] is the one list of keywords: name, scope (top level,
 * mitigator block, client block), type, flags (reloadable, repeatable,
 * required), where the value lives, bounds, default and help.  Defaults
 * are written as configuration text and go through the same parser as
 * the file, so a default cannot be out of its own bounds unnoticed (the
 * unit test parses an empty-but-minimal file and checks the output).
 *
 * The value types (conf_types.c) say how many words a value takes and
 * how it is parsed, printed in normalized form and freed.  conf.c walks
 * the table and calls them; it knows nothing about any one keyword,
 * except that the two block keywords open blocks.
 *
 * The idea is that of Redis's standardConfig table and Knot's schema
 * (yp_item_t); the code is our own.
 */
#include <stdint.h>
#include <string.h>

#include "conf_int.h"

const char *const conf_mitigator_types[] = {
	[CONF_MIT_LOG] = "log",
	[CONF_MIT_EXEC] = "exec",
	NULL
};

static const char *const transport_labels[] = {
	[CONF_TRANSPORT_DTLS] = "dtls",
	[CONF_TRANSPORT_TLS] = "tls",
	[CONF_TRANSPORT_BOTH] = "both",
	NULL
};

#define TOP(f)		.scope = CONF_SC_TOP, \
			.off = offsetof(struct conf, f)
#define TOPN(f)		TOP(f), .off_n = offsetof(struct conf, n_##f)
#define MIT(f)		.scope = CONF_SC_MITIGATOR, \
			.off = offsetof(struct conf_mitigator, f)
#define CLI(f)		.scope = CONF_SC_CLIENT, \
			.off = offsetof(struct conf_client, f)
#define CLIN(f)		CLI(f), \
			.off_n = offsetof(struct conf_client, n_##f)

/* A session parameter, for mitigating-config (@p set mitigating, no
 * prefix) or idle-config (@p set idle, prefix "idle-"). */
#define SESSION(pfx, set, key, field, fl, lo, hi, d, h) {		\
	.name = pfx key, TOP(set.field), .type = CONF_T_RANGE,		\
	.flags = CONF_F_RELOAD | (fl), .min = (lo), .max = (hi),	\
	.def = (d), .help = h }

#define SESSION_KEYS(pfx, set, what)					\
	SESSION(pfx, set, "heartbeat-interval", heartbeat_interval,	\
	    CONF_F_ZERO_OFF, 0, 65535, "30 15 240",			\
	    "seconds between heartbeats " what "; 0: none"),		\
	SESSION(pfx, set, "missing-hb-allowed", missing_hb_allowed,	\
	    0, 1, 65535, "15 3 20",					\
	    "heartbeats missed before the session is down " what),	\
	SESSION(pfx, set, "max-retransmit", max_retransmit,		\
	    0, 1, 65535, "3 2 15",					\
	    "CoAP MAX_RETRANSMIT " what),				\
	SESSION(pfx, set, "ack-timeout", ack_timeout,			\
	    CONF_F_DEC2, 100, 30000, "2.00 1.00 30.00",			\
	    "CoAP ACK_TIMEOUT in seconds " what),			\
	SESSION(pfx, set, "ack-random-factor", ack_random_factor,	\
	    CONF_F_DEC2, 100, 1000, "1.50 1.10 4.00",			\
	    "CoAP ACK_RANDOM_FACTOR " what),				\
	SESSION(pfx, set, "probing-rate", probing_rate,			\
	    0, 1, 65535, "5 5 20",					\
	    "CoAP PROBING_RATE in bytes per second " what)

const struct conf_key conf_keys[] = {
	/* top level */
	{ .name = "listen", TOPN(listen), .type = CONF_T_LISTEN,
	  .flags = CONF_F_REPEAT, .def = ":: 4646; 0.0.0.0 4646",
	  .help = "address and port (UDP for DTLS, TCP for TLS) to listen "
	  "on; repeatable" },
	{ .name = "transport", TOP(transport), .type = CONF_T_ENUM,
	  .labels = transport_labels, .def = "both",
	  .help = "signal channel over DTLS, TLS or both" },
	{ .name = "ca-file", TOP(ca_file), .type = CONF_T_PATH,
	  .flags = CONF_F_REQUIRED,
	  .help = "CA certificates (PEM) that client certificates must "
	  "chain to" },
	{ .name = "cert-file", TOP(cert_file), .type = CONF_T_PATH,
	  .flags = CONF_F_REQUIRED,
	  .help = "the server's certificate chain (PEM)" },
	{ .name = "key-file", TOP(key_file), .type = CONF_T_PATH,
	  .flags = CONF_F_REQUIRED,
	  .help = "the server's private key (PEM)" },
	{ .name = "database", TOP(database), .type = CONF_T_PATH,
	  .def = "/var/lib/opendots/dotsd.db",
	  .help = "SQLite database of mitigations and session "
	  "configurations" },
	{ .name = "durable", TOP(durable), .type = CONF_T_BOOL,
	  .def = "yes",
	  .help = "fsync each batch of requests before answering it" },
	{ .name = "log-level", TOP(log_level), .type = CONF_T_ENUM,
	  .flags = CONF_F_RELOAD, .labels = log_level_names, .def = "info",
	  .help = "least severe level logged" },
	{ .name = "syslog", TOP(syslog), .type = CONF_T_BOOL, .def = "yes",
	  .help = "log to syslog when not in the foreground; no: to stderr "
	  "(for a service manager)" },
	{ .name = "control-socket", TOP(control_socket),
	  .type = CONF_T_PATH, .def = "/run/opendots/dotsd.sock",
	  .help = "Unix socket for dotsctl" },
	SESSION_KEYS("", mitigating, "while mitigating (CUR MIN MAX)"),
	SESSION_KEYS("idle-", idle, "when idle (CUR MIN MAX)"),
	{ .name = "active-but-terminating", TOP(active_but_terminating),
	  .type = CONF_T_UINT, .flags = CONF_F_RELOAD, .min = 0,
	  .max = 300, .def = "120",
	  .help = "seconds a withdrawn mitigation stays active "
	  "(RFC 9132 active-but-terminating)" },
	{ .name = "max-lifetime", TOP(max_lifetime), .type = CONF_T_UINT,
	  .flags = CONF_F_RELOAD, .min = 0, .max = INT32_MAX, .def = "0",
	  .help = "longest mitigation lifetime granted, seconds; 0: no "
	  "limit (indefinite lifetimes accepted)" },
	{ .name = "max-sessions", TOP(max_sessions), .type = CONF_T_UINT,
	  .flags = CONF_F_RELOAD, .min = 1, .max = 1000000, .def = "10000",
	  .help = "most concurrent signal-channel sessions" },
	{ .name = "max-handshakes", TOP(max_handshakes),
	  .type = CONF_T_UINT, .flags = CONF_F_RELOAD, .min = 1,
	  .max = 100000, .def = "100",
	  .help = "most (D)TLS handshakes in progress" },
	{ .name = "mitigator", TOPN(mitigator), .type = CONF_T_BLOCK,
	  .flags = CONF_F_REPEAT | CONF_F_REQUIRED,
	  .help = "a mitigation backend, \"NAME\" { type log|exec; "
	  "settings }; the first is the default" },
	{ .name = "client", TOPN(client), .type = CONF_T_BLOCK,
	  .flags = CONF_F_REPEAT | CONF_F_RELOAD,
	  .help = "a DOTS client allowed in, \"NAME\" { identity ...; "
	  "prefix ...; ... }" },

	/* mitigator "NAME" { ... }: other keywords are backend settings */
	{ .name = "type", MIT(type), .type = CONF_T_ENUM,
	  .flags = CONF_F_REQUIRED, .labels = conf_mitigator_types,
	  .help = "the backend" },

	/* client "NAME" { ... } */
	{ .name = "identity", CLI(identity), .type = CONF_T_IDENTITY,
	  .flags = CONF_F_REQUIRED | CONF_F_RELOAD,
	  .help = "\"cn:NAME\" (certificate CN), \"spki:B64URL\" (SHA-256 "
	  "of its public key, or the cuid) or \"psk:ID\"" },
	{ .name = "psk-identity", CLI(psk_identity), .type = CONF_T_PSK_ID,
	  .flags = CONF_F_RELOAD, .min = 1, .max = CONF_PSK_ID_MAX,
	  .help = "PSK identity the client may also use (with psk-key)" },
	{ .name = "psk-key", CLI(psk_key), .type = CONF_T_PSK_KEY,
	  .flags = CONF_F_RELOAD, .min = 16, .max = 64,
	  .help = "the PSK, \"text\" or hex:HEX, 16 to 64 bytes" },
	{ .name = "prefix", CLIN(prefix), .type = CONF_T_PREFIX,
	  .flags = CONF_F_REPEAT | CONF_F_RELOAD, .max = 1024,
	  .help = "a prefix the client may ask to protect; repeatable" },
	{ .name = "fqdn", CLIN(fqdn), .type = CONF_T_FQDN,
	  .flags = CONF_F_REPEAT | CONF_F_RELOAD, .max = 256,
	  .help = "a name the client may ask to protect; repeatable" },
	{ .name = "max-mitigations", CLI(max_mitigations),
	  .type = CONF_T_UINT, .flags = CONF_F_RELOAD, .min = 1,
	  .max = 65535, .def = "64",
	  .help = "most mitigations the client may have at once" },
	{ .name = "max-rate", CLI(max_rate), .type = CONF_T_UINT,
	  .flags = CONF_F_RELOAD, .min = 1, .max = 100000, .def = "20",
	  .help = "most requests per second from the client" },
	{ .name = "mitigator", CLI(mitigator_name), .type = CONF_T_NAME,
	  .flags = CONF_F_RELOAD,
	  .help = "the mitigator block used for this client (default: the "
	  "first)" },
};

const size_t conf_nkeys = sizeof(conf_keys) / sizeof(conf_keys[0]);

_Static_assert(sizeof(conf_keys) / sizeof(conf_keys[0]) <= CONF_KEYS_MAX,
    "conf.c keeps one bit per keyword in a uint64_t");
/* CONF_T_ENUM stores an index through an int * into enum fields. */
_Static_assert(sizeof(enum conf_transport) == sizeof(int) &&
    sizeof(enum log_level) == sizeof(int) &&
    sizeof(enum conf_mit_type) == sizeof(int), "enums are ints");

const struct conf_key *
conf_key_find(enum conf_scope scope, const char *name)
{
	size_t i;

	for (i = 0; i < conf_nkeys; i++)
		if (conf_keys[i].scope == scope &&
		    strcmp(conf_keys[i].name, name) == 0)
			return &conf_keys[i];
	return NULL;
}
