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
#include <stdlib.h>
#include <string.h>

#include <dots/error.h>

#include "conf_int.h"

#define SETTING_MAX	4096		/* bytes of a setting value */

const char *const conf_mitigator_types[] = {
	[CONF_MIT_LOG] = "log",
	[CONF_MIT_EXEC] = "exec",
	[CONF_MIT_FLOWSPEC] = "flowspec",
	[CONF_MIT_RTBH] = "rtbh",
	[CONF_MIT_POLICY] = "policy",
	[CONF_MIT_DOTS] = "dots",
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
#define BLOCK(sc, type)	.block = (sc), .elem_size = sizeof(type), \
			.off_name = offsetof(type, name), \
			.off_line = offsetof(type, line)

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
	{ .name = "gateway-id", TOP(gateway_id), .type = CONF_T_NAME,
	  .help = "this server in a 5.08 Hop Limit Reached diagnostic "
	  "(RFC 8768), when a relaying mitigator refuses a request; "
	  "default: the host name" },
	{ .name = "max-sessions", TOP(max_sessions), .type = CONF_T_UINT,
	  .flags = CONF_F_RELOAD, .min = 1, .max = 1000000, .def = "10000",
	  .help = "most concurrent signal-channel sessions" },
	{ .name = "max-handshakes", TOP(max_handshakes),
	  .type = CONF_T_UINT, .flags = CONF_F_RELOAD, .min = 1,
	  .max = 100000, .def = "100",
	  .help = "most (D)TLS handshakes in progress" },
	{ .name = "data-channel-listen", TOPN(data_channel_listen),
	  .type = CONF_T_LISTEN, .flags = CONF_F_REPEAT,
	  .min = CONF_DC_DEFAULT_PORT,
	  .help = "address and TCP port (default 443) of the data channel "
	  "(RFC 8783, RESTCONF over HTTPS, same CA, certificate and "
	  "clients); repeatable; none: no data channel" },
	{ .name = "data-channel-lifetime", TOP(data_channel_lifetime),
	  .type = CONF_T_UINT, .min = 1, .max = INT32_MAX,
	  .def = "604800",
	  .help = "seconds an alias or ACL lives unless refreshed; RFC "
	  "8783 wants at least 604800 (one week)" },
	{ .name = "data-channel-yang-dir", TOP(data_channel_yang_dir),
	  .type = CONF_T_PATH,
	  .help = "the YANG modules the data channel validates with "
	  "(default: where opendots installs them)" },
	{ .name = "mitigator", TOPN(mitigator), .type = CONF_T_BLOCK,
	  .flags = CONF_F_REPEAT | CONF_F_REQUIRED,
	  BLOCK(CONF_SC_MITIGATOR, struct conf_mitigator),
	  .help = "a mitigation backend, \"NAME\" { type log|exec; "
	  "settings }; the first is the default" },
	{ .name = "client", TOPN(client), .type = CONF_T_BLOCK,
	  .flags = CONF_F_REPEAT | CONF_F_RELOAD,
	  BLOCK(CONF_SC_CLIENT, struct conf_client),
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
	{ .name = "gateway", CLI(gateway), .type = CONF_T_BOOL,
	  .flags = CONF_F_RELOAD, .def = "no",
	  .help = "a DOTS gateway trusted to supply cdid (RFC 9132 4.3); "
	  "no: a cdid it sends is ignored" },
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

/* The rules of dotsd's configuration that span keywords. */

/* A keyword of a mitigator block that the schema does not know: a
 * setting for the backend, `key value`, kept in order.  Elsewhere: 1,
 * not a setting. */
static int
dotsd_unknown(enum conf_scope scope, void *obj, const char *keyword,
    char **w, unsigned n, char *msg, size_t msglen)
{
	struct conf_mitigator *m = obj;
	struct conf_setting *s;
	char why[CONF_ERR_MAX];
	const char *p;

	if (scope != CONF_SC_MITIGATOR)
		return 1;
	for (p = keyword; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    (p > keyword && (*p == '-' || *p == '_')))) {
			snprintf(msg, msglen, "'%s' is not a setting name "
			    "(a-z, 0-9, '-', '_')", keyword);
			return DOTS_EVALUE;
		}
	if (n != 1) {
		snprintf(msg, msglen, "%s: a setting takes one value (quote "
		    "it if it has spaces)", keyword);
		return DOTS_EVALUE;
	}
	if (conf_check_text(w[0], SETTING_MAX, why, sizeof(why)) != DOTS_OK) {
		snprintf(msg, msglen, "%s: %s", keyword, why);
		return DOTS_EVALUE;
	}
	s = conf_list_add((void **)&m->setting, &m->n_setting, sizeof(*s));
	if (s == NULL)
		goto nomem;
	s->key = strdup(keyword);
	s->value = strdup(w[0]);
	if (s->key == NULL || s->value == NULL)
		goto nomem;
	return DOTS_OK;
nomem:
	snprintf(msg, msglen, "out of memory");
	return DOTS_ENOMEM;
}

/* Another client with the same identity or PSK identity, or NULL. */
static const struct conf_client *
client_clash(const struct conf *c, const struct conf_client *cl,
    const char **what)
{
	const struct conf_identity *a = &cl->identity, *b;
	size_t i, len;

	for (i = 0; i < c->n_client && &c->client[i] != cl; i++) {
		b = &c->client[i].identity;
		*what = "identity";
		if (a->kind == b->kind && a->kind == CONF_ID_CN &&
		    strcmp(a->value, b->value) == 0)
			return &c->client[i];
		/* a cuid matches the digest it is the start of */
		len = a->spki_len < b->spki_len ? a->spki_len : b->spki_len;
		if (a->kind == b->kind && a->kind == CONF_ID_SPKI &&
		    memcmp(a->spki, b->spki, len) == 0)
			return &c->client[i];
		*what = "PSK identity";
		if (cl->psk_identity != NULL &&
		    c->client[i].psk_identity != NULL &&
		    strcmp(cl->psk_identity, c->client[i].psk_identity) == 0)
			return &c->client[i];
	}
	return NULL;
}

/* The rules of a client block that span keywords. */
static int
dotsd_block_check(void *top, enum conf_scope scope, void *obj,
    const unsigned *seen, unsigned *line, char *msg, size_t msglen)
{
	const struct conf_key *kid = conf_key_find(CONF_SC_CLIENT,
	    "psk-identity");
	const struct conf_key *kkey = conf_key_find(CONF_SC_CLIENT, "psk-key");
	unsigned lid = seen[kid - conf_keys], lkey = seen[kkey - conf_keys];
	struct conf_client *cl = obj;
	const struct conf_client *other;
	const char *what;

	if (scope != CONF_SC_CLIENT)
		return DOTS_OK;
	if (cl->identity.kind == CONF_ID_PSK) {
		if (lid != 0) {
			*line = lid;
			snprintf(msg, msglen, "psk-identity: already given by "
			    "identity \"psk:%s\"", cl->identity.value);
			return DOTS_EVALUE;
		}
		if (lkey == 0) {
			snprintf(msg, msglen, "client \"%s\": identity psk: "
			    "needs psk-key", cl->name);
			return DOTS_EVALUE;
		}
		cl->psk_identity = strdup(cl->identity.value);
		if (cl->psk_identity == NULL) {
			snprintf(msg, msglen, "out of memory");
			return DOTS_ENOMEM;
		}
	} else if ((lid == 0) != (lkey == 0)) {
		*line = lid != 0 ? lid : lkey;
		snprintf(msg, msglen, "psk-identity and psk-key go together");
		return DOTS_EVALUE;
	}
	other = client_clash(top, cl, &what);
	if (other != NULL) {
		snprintf(msg, msglen, "client \"%s\": %s already used by "
		    "client \"%s\" (line %u)", cl->name, what, other->name,
		    other->line);
		return DOTS_EVALUE;
	}
	return DOTS_OK;
}

/* Point each client at its mitigator block, once all blocks are read. */
static int
dotsd_file_check(void *top, unsigned *line, char *msg, size_t msglen)
{
	struct conf *c = top;
	size_t i;

	for (i = 0; i < c->n_client; i++) {
		struct conf_client *cl = &c->client[i];

		if (cl->mitigator_name == NULL) {
			cl->mitigator = &c->mitigator[0];
			continue;
		}
		cl->mitigator = conf_mitigator_by_name(c, cl->mitigator_name);
		if (cl->mitigator == NULL) {
			*line = cl->line;
			snprintf(msg, msglen, "client \"%s\": no mitigator "
			    "\"%s\"", cl->name, cl->mitigator_name);
			return DOTS_EVALUE;
		}
	}
	return DOTS_OK;
}

static void
dotsd_block_clear(enum conf_scope scope, void *obj)
{
	struct conf_mitigator *m = obj;
	size_t i;

	if (scope != CONF_SC_MITIGATOR)
		return;
	for (i = 0; i < m->n_setting; i++) {
		free(m->setting[i].key);
		free(m->setting[i].value);
	}
	free(m->setting);
}

static void
dotsd_block_print(FILE *f, enum conf_scope scope, const void *obj)
{
	const struct conf_mitigator *m = obj;
	size_t i;

	for (i = 0; scope == CONF_SC_MITIGATOR && i < m->n_setting; i++) {
		fprintf(f, "\t%s ", m->setting[i].key);
		conf_print_quoted(f, m->setting[i].value);
		fputc('\n', f);
	}
}

static const char *const dotsd_scope_names[CONF_SC_COUNT] = {
	[CONF_SC_MITIGATOR] = "mitigator",
	[CONF_SC_CLIENT] = "client",
};

static const char *const dotsd_scope_titles[CONF_SC_COUNT] = {
	[CONF_SC_TOP] = "top level",
	[CONF_SC_MITIGATOR] = ("in mitigator \"NAME\" { ... } "
	    "(other keywords: settings for the backend)"),
	[CONF_SC_CLIENT] = "in client \"NAME\" { ... }",
};

const struct conf_schema conf_schema_dotsd = {
	.prog = "dotsd",
	.keys = conf_keys,
	.nkeys = sizeof(conf_keys) / sizeof(conf_keys[0]),
	.size = sizeof(struct conf),
	.off_path = offsetof(struct conf, path),
	.off_cli_set = offsetof(struct conf, cli_set),
	.scope_names = dotsd_scope_names,
	.scope_titles = dotsd_scope_titles,
	.unknown = dotsd_unknown,
	.block_check = dotsd_block_check,
	.file_check = dotsd_file_check,
	.block_clear = dotsd_block_clear,
	.block_print = dotsd_block_print,
};
