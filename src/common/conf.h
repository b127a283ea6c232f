/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The dotsd configuration: parsing, checking and printing.
 *
 * One schema table (conf_schema.c) lists every keyword with its type,
 * bounds, default, whether a reload may change it, and a line of help.
 * The parser, the defaults, the normalized printer (`dotsd -nv`), the
 * reload check and the keyword reference all walk that table, so they
 * cannot disagree.
 *
 * Syntax: one `keyword value...` statement per line (or separated by
 * `;`), `#` comments, double-quoted strings with \" \\ \n \t escapes, and
 * blocks `mitigator "NAME" { ... }` and `client "NAME" { ... }`.  See
 * etc/dotsd.conf.example for every keyword.
 *
 * A configuration is one allocation tree: everything hanging from a
 * struct conf belongs to it and goes with conf_free().
 *
 * Reload (SIGHUP): parse the file again into a new tree with
 * conf_parse_file(), apply the command-line overrides with conf_set(),
 * call conf_reload_check(running, new) to refuse changes that need a
 * restart, then swap the trees and conf_free() the old one.  If anything
 * fails, keep running with the old tree: nothing here touches it.
 */
#ifndef DOTS_CONF_H
#define DOTS_CONF_H

#include <netinet/in.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <dots/model.h>

#include "log.h"

#define CONF_DEFAULT_PORT	4646	/* RFC 9132, UDP and TCP */
#define CONF_DC_DEFAULT_PORT	443	/* data channel: HTTPS (RFC 8783) */
#define CONF_DC_MIN_LIFETIME	604800	/* s: 10080 min, RFC 8783 6.1 */
#define CONF_NAME_MAX		63	/* client and mitigator names */
#define CONF_ERR_MAX		256	/* enough for any message here */

enum conf_transport {
	CONF_TRANSPORT_DTLS,		/* CoAP over DTLS (UDP) */
	CONF_TRANSPORT_TLS,		/* CoAP over TLS (TCP) */
	CONF_TRANSPORT_BOTH
};

/* One `listen ADDR [PORT]`. */
struct conf_listen {
	char			addr[INET6_ADDRSTRLEN]; /* canonical */
	uint16_t		port;
	struct sockaddr_storage	sa;	/* sockaddr_in(6), port set */
	socklen_t		salen;
};

/*
 * One session parameter of RFC 9132: the value the server proposes and
 * the range a client may ask for.  Decimal parameters (ack-timeout,
 * ack-random-factor) are in hundredths, as in struct dots_cfg_value:
 * 2.00 is 200.
 */
struct conf_range {
	uint32_t	cur;
	uint32_t	min;
	uint32_t	max;
};

/* mitigating-config or idle-config. */
struct conf_session {
	struct conf_range	heartbeat_interval;	/* s; cur 0: none */
	struct conf_range	missing_hb_allowed;
	struct conf_range	max_retransmit;
	struct conf_range	ack_timeout;		/* 1/100 s */
	struct conf_range	ack_random_factor;	/* 1/100 */
	struct conf_range	probing_rate;		/* byte/s */
};

enum conf_mit_type {
	CONF_MIT_LOG,
	CONF_MIT_EXEC,
	CONF_MIT_FLOWSPEC,
	CONF_MIT_RTBH,
	CONF_MIT_POLICY,
	CONF_MIT_DOTS
};

/* "log", "exec", then NULL; indexed by enum conf_mit_type.  These are
 * the names be_lookup() knows. */
extern const char *const conf_mitigator_types[];

/* One `key value` line of a mitigator block, for the backend. */
struct conf_setting {
	char	*key;
	char	*value;
};

struct conf_mitigator {
	char			*name;
	enum conf_mit_type	 type;
	struct conf_setting	*setting;	/* in file order */
	size_t			 n_setting;
	unsigned		 line;		/* of the block */
};

enum conf_id_kind {
	CONF_ID_CN,		/* certificate subject CN */
	CONF_ID_SPKI,		/* SHA-256 of the certificate's key */
	CONF_ID_PSK		/* PSK identity */
};

/*
 * How a client is recognised: `identity "cn:NAME"`, `"spki:B64URL"` or
 * `"psk:ID"`.  For spki, @c value is the base64url text as written: 43
 * characters (the whole SHA-256 of the DER SubjectPublicKeyInfo) or 22
 * (its first 16 bytes, which is the client's cuid, RFC 9132 4.4.1); @c
 * spki holds the @c spki_len decoded bytes.
 */
struct conf_identity {
	enum conf_id_kind	 kind;
	char			*value;		/* after "cn:" etc. */
	uint8_t			 spki[32];
	size_t			 spki_len;	/* spki: 16 or 32 */
};

struct conf_bytes {
	uint8_t		*data;
	size_t		 len;
};

struct conf_client {
	char			*name;
	unsigned		 line;		/* of the block */
	struct conf_identity	 identity;
	/*
	 * PSK: for CONF_ID_PSK, psk_identity is the identity's value and
	 * psk_key is required; for the other kinds both are optional (a
	 * second way in for the same client).  NULL/empty: no PSK.
	 */
	char			*psk_identity;
	struct conf_bytes	 psk_key;	/* secret: never log it */
	/* Targets the client may protect: a target-prefix must lie within
	 * one of @c prefix, a target-fqdn must be one of @c fqdn. */
	struct dots_prefix	*prefix;	/* no host bits, no dups */
	size_t			 n_prefix;
	char			**fqdn;		/* lowercase */
	size_t			 n_fqdn;
	uint32_t		 max_mitigations;
	uint32_t		 max_rate;	/* requests per second */
	bool			 gateway;	/* trusted to supply cdid */
	char			*mitigator_name; /* as written, or NULL */
	/* The mitigator block used: the one named, or the first.  Points
	 * into the same tree; never NULL in a parsed configuration. */
	const struct conf_mitigator *mitigator;
};

struct conf {
	char			*path;		/* the file read */

	struct conf_listen	*listen;
	size_t			 n_listen;
	enum conf_transport	 transport;
	char			*ca_file;
	char			*cert_file;
	char			*key_file;
	char			*database;
	bool			 durable;	/* fsync each batch */
	enum log_level		 log_level;
	bool			 syslog;	/* syslog in background */
	char			*control_socket;

	struct conf_session	 mitigating;
	struct conf_session	 idle;
	uint32_t		 active_but_terminating;	/* s */
	uint32_t		 max_lifetime;	/* s, 0: no limit */
	char			*gateway_id;	/* 5.08 diagnostic, or NULL */
	uint32_t		 max_sessions;
	uint32_t		 max_handshakes;

	/* the data channel (RFC 8783): off without data-channel-listen */
	struct conf_listen	*data_channel_listen;
	size_t			 n_data_channel_listen;
	uint32_t		 data_channel_lifetime;	/* s */
	char			*data_channel_yang_dir;	/* NULL: built in */

	struct conf_mitigator	*mitigator;	/* >= 1; [0]: default */
	size_t			 n_mitigator;
	struct conf_client	*client;
	size_t			 n_client;

	uint64_t		 cli_set;	/* private to conf.c */
};

/* conf.c */

/**
 * Read and check a configuration file.
 * @param path    the file
 * @param out     **new** tree on success (free with conf_free()),
 *                untouched on failure
 * @param err     on failure, "path:line: message" (or "path: message"
 *                for what belongs to no line); CONF_ERR_MAX is enough
 * @return DOTS_OK, DOTS_EVALUE (bad configuration), a negative errno
 *         (cannot read the file) or DOTS_ENOMEM
 */
int	conf_parse_file(const char *path, struct conf **out, char *err,
	    size_t errlen);
/** The same from memory; @p name stands for the file name in messages. */
int	conf_parse_buf(const char *buf, size_t len, const char *name,
	    struct conf **out, char *err, size_t errlen);
/** Free a tree.  conf_free(NULL) does nothing. */
void	conf_free(struct conf *c);

/**
 * Override one top-level keyword, as from the command line
 * (`--database PATH` is conf_set(c, "database", "PATH", ...)).
 * @p value is the text after the keyword; for keywords that take several
 * values (listen, heartbeat-interval, ...) they are separated by spaces,
 * otherwise the whole of @p value is the one value.  The first conf_set()
 * of a repeatable keyword (listen) replaces the values of the file; later
 * ones add to them.
 * @return DOTS_OK, or DOTS_EVALUE with "key: message" in @p err and the
 *         tree unchanged
 */
int	conf_set(struct conf *c, const char *key, const char *value,
	    char *err, size_t errlen);

/**
 * Whether a running server can switch from @p old to @p new.
 * @return DOTS_OK, or DOTS_EVALUE with the first keyword that changed
 *         and needs a restart named in @p err
 */
int	conf_reload_check(const struct conf *old, const struct conf *new,
	    char *err, size_t errlen);

#define CONF_PRINT_SECRETS	0x1u	/* print psk-key, unhidden */

/**
 * Print the configuration normalized: every keyword, defaults included,
 * in schema order, one canonical spelling each (`dotsd -nv`).  The
 * output parses back to the same configuration, except that PSK keys are
 * replaced by a comment unless @p flags has CONF_PRINT_SECRETS.
 */
void	conf_print(FILE *f, const struct conf *c);
void	conf_print_flags(FILE *f, const struct conf *c, unsigned flags);
/** The keyword reference: syntax, default, reloadable, help. */
void	conf_describe(FILE *f);

/* Look-ups; they return borrowed pointers into @p c, or NULL. */
const struct conf_client	*conf_client_by_name(const struct conf *c,
				    const char *name);
const struct conf_client	*conf_client_by_cn(const struct conf *c,
				    const char *cn);
/** @p digest is the SHA-256 of the peer's DER SubjectPublicKeyInfo. */
const struct conf_client	*conf_client_by_spki(const struct conf *c,
				    const uint8_t digest[32]);
const struct conf_client	*conf_client_by_psk(const struct conf *c,
				    const void *identity, size_t len);
const struct conf_mitigator	*conf_mitigator_by_name(const struct conf *c,
				    const char *name);

#endif /* DOTS_CONF_H */
