/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The schema of the dotscd configuration: every keyword, its type,
 * bounds, default and help, for the shared parser of src/common/conf.c
 * (the same lexer, value types, normalized printer and command-line
 * overrides as dotsd).  A server block needs either a certificate and
 * its key, or a PSK identity and key; that rule is cconf_block_check().
 */
#include <stddef.h>
#include <string.h>

#include <dots/error.h>

#include "conf_clientd.h"
#include "conf_int.h"

static const char *const transport_labels[] = {
	[CCONF_TRANSPORT_AUTO] = "auto",
	[CCONF_TRANSPORT_DTLS] = "dtls",
	[CCONF_TRANSPORT_TLS] = "tls",
	NULL
};

static const char *const link_labels[] = {
	[CCONF_LINK_OUT_OF_BAND] = "out-of-band",
	[CCONF_LINK_IN_BAND] = "in-band",
	NULL
};

#ifndef DOTSCTL_PATH
#define DOTSCTL_PATH	"/usr/local/bin/dotsctl"
#endif

#define TOP(f)	.scope = CONF_SC_TOP, .off = offsetof(struct cconf, f)
#define SRV(f)	.scope = CONF_SC_SERVER, \
		.off = offsetof(struct cconf_server, f)
#define OFF(f)	.scope = CONF_SC_OFFLOAD, \
		.off = offsetof(struct cconf_offload, f)

static const struct conf_key cconf_keys[] = {
	{ .name = "database", TOP(database), .type = CONF_T_PATH,
	  .def = "/var/lib/opendots/dotscd.db",
	  .help = "SQLite database of mids and mitigations (kept across "
	  "restarts)" },
	{ .name = "control-socket", TOP(control_socket),
	  .type = CONF_T_PATH, .def = "/run/opendots/dotscd.sock",
	  .help = "Unix socket of the control protocol "
	  "(docs/control-protocol.md)" },
	{ .name = "log-level", TOP(log_level), .type = CONF_T_ENUM,
	  .flags = CONF_F_RELOAD, .labels = log_level_names, .def = "info",
	  .help = "least severe level logged" },
	{ .name = "syslog", TOP(syslog), .type = CONF_T_BOOL, .def = "yes",
	  .help = "log to syslog when not in the foreground" },
	{ .name = "on-signal-loss", TOP(on_signal_loss), .type = CONF_T_PATH,
	  .help = "command run by /bin/sh -c when the sessions to every "
	  "server are lost while a mitigation is active or pending" },
	{ .name = "on-signal-recovery", TOP(on_signal_recovery),
	  .type = CONF_T_PATH,
	  .help = "command run when a session is back after a signal loss" },
	{ .name = "reconnect-min", TOP(reconnect_min), .type = CONF_T_UINT,
	  .min = 1, .max = 3600, .def = "1",
	  .help = "seconds before the first new attempt after a session "
	  "is lost; doubled after each failure" },
	{ .name = "reconnect-max", TOP(reconnect_max), .type = CONF_T_UINT,
	  .min = 1, .max = 3600, .def = "60",
	  .help = "most seconds between attempts (RFC 9132 section 4.7)" },
	{ .name = "retry-interval", TOP(retry_interval), .type = CONF_T_UINT,
	  .min = 1, .max = 3600, .def = "2",
	  .help = "seconds before an unanswered request is sent again" },
	{ .name = "max-pending", TOP(max_pending), .type = CONF_T_UINT,
	  .min = 1, .max = 100000, .def = "1024",
	  .help = "most mitigations kept (pending ones included)" },
	{ .name = "server", TOP(server), .type = CONF_T_BLOCK,
	  .off_n = offsetof(struct cconf, n_server),
	  .flags = CONF_F_REPEAT | CONF_F_REQUIRED,
	  .block = CONF_SC_SERVER, .elem_size = sizeof(struct cconf_server),
	  .off_name = offsetof(struct cconf_server, name),
	  .off_line = offsetof(struct cconf_server, line),
	  .help = "a DOTS server, \"NAME\" { address ...; ... }; the first "
	  "is preferred" },
	{ .name = "threshold", TOP(threshold), .type = CONF_T_BLOCK,
	  .off_n = offsetof(struct cconf, n_threshold),
	  .flags = CONF_F_REPEAT, .block = CONF_SC_THRESHOLD,
	  .elem_size = sizeof(struct trig_thr_conf),
	  .off_name = offsetof(struct trig_thr_conf, name),
	  .off_line = offsetof(struct trig_thr_conf, line),
	  .help = "a traffic-threshold trigger, \"NAME\" { interface ...; "
	  "prefix ...; ... } (docs/triggers.md)" },
	{ .name = "offload", TOP(offload), .type = CONF_T_BLOCK,
	  .off_n = offsetof(struct cconf, n_offload),
	  .block = CONF_SC_OFFLOAD, .elem_size = sizeof(struct cconf_offload),
	  .off_name = offsetof(struct cconf_offload, name),
	  .off_line = offsetof(struct cconf_offload, line),
	  .help = "mitigation offload from a DMS, \"NAME\" { link ...; "
	  "... } (docs/offload.md)" },

	/* server "NAME" { ... } */
	{ .name = "address", SRV(address), .type = CONF_T_PATH,
	  .flags = CONF_F_REQUIRED,
	  .help = "name or address of the server" },
	{ .name = "port", SRV(port), .type = CONF_T_UINT, .min = 1,
	  .max = 65535, .def = "4646", .help = "its port" },
	{ .name = "transport", SRV(transport), .type = CONF_T_ENUM,
	  .labels = transport_labels, .def = "auto",
	  .help = "auto: DTLS and TLS raced, IPv6 and IPv4 (RFC 9132 "
	  "section 4.3); dtls or tls: that one only" },
	{ .name = "server-name", SRV(server_name), .type = CONF_T_PATH,
	  .help = "the name its certificate must carry (default: address)" },
	{ .name = "ca-file", SRV(ca_file), .type = CONF_T_PATH,
	  .help = "CA certificates (PEM) the server's must chain to" },
	{ .name = "cert-file", SRV(cert_file), .type = CONF_T_PATH,
	  .help = "our certificate (PEM)" },
	{ .name = "key-file", SRV(key_file), .type = CONF_T_PATH,
	  .help = "its private key (PEM)" },
	{ .name = "psk-identity", SRV(psk_identity), .type = CONF_T_PSK_ID,
	  .min = 1, .max = CONF_PSK_ID_MAX,
	  .help = "PSK identity, instead of certificates" },
	{ .name = "psk-key", SRV(psk_key), .type = CONF_T_PSK_KEY,
	  .min = 16, .max = 64,
	  .help = "the PSK, \"text\" or hex:HEX, 16 to 64 bytes" },
	{ .name = "heartbeat-interval", SRV(heartbeat_interval),
	  .type = CONF_T_UINT, .min = 0, .max = 65535, .def = "0",
	  .help = "seconds between heartbeats to ask for, within the "
	  "server's range; 0: the server's" },
	{ .name = "missing-hb-allowed", SRV(missing_hb_allowed),
	  .type = CONF_T_UINT, .min = 0, .max = 65535, .def = "0",
	  .help = "heartbeats missed before the session is down, to ask "
	  "for; 0: the server's" },
	{ .name = "timeout", SRV(timeout), .type = CONF_T_UINT, .min = 1,
	  .max = 300, .def = "10",
	  .help = "seconds to wait for an answer to a request" },

	/* offload "NAME" { ... } */
	{ .name = "server", OFF(server), .type = CONF_T_PATH,
	  .help = "the DOTS server to offload to (default: the preferred "
	  "one)" },
	{ .name = "link", OFF(link), .type = CONF_T_ENUM,
	  .labels = link_labels, .flags = CONF_F_REQUIRED,
	  .help = "out-of-band: the data channel (every flow); in-band: "
	  "the signal channel (what fits one packet)" },
	{ .name = "start-percent", OFF(start_pct), .type = CONF_T_UINT,
	  .min = 1, .max = 100, .def = "80",
	  .help = "offload when the DMS's utilization reaches this" },
	{ .name = "stop-percent", OFF(stop_pct), .type = CONF_T_UINT,
	  .min = 0, .max = 99, .def = "50",
	  .help = "withdraw when it stays below this ..." },
	{ .name = "hold", OFF(hold), .type = CONF_T_UINT, .min = 0,
	  .max = 86400, .def = "60", .help = "... for this many seconds" },
	{ .name = "few-reflectors", OFF(few_reflectors), .type = CONF_T_UINT,
	  .min = 1, .max = 1024, .def = "16",
	  .help = "most reflectors named by source-prefix (in-band; also "
	  "bounded by path-mtu)" },
	{ .name = "path-mtu", OFF(path_mtu), .type = CONF_T_UINT,
	  .min = 576, .max = 65535, .def = "1280",
	  .help = "bytes of the largest IP packet to the server; a "
	  "request never needs fragments" },
	{ .name = "lifetime", OFF(lifetime), .type = CONF_T_UINT, .min = 60,
	  .max = 2147483647, .def = "3600",
	  .help = "seconds, of the mitigation requests" },
	{ .name = "peace-time-acls", OFF(peace_time_acls), .type = CONF_T_BOOL,
	  .def = "no",
	  .help = "in-band: activate the ACLs below (provisioned in peace "
	  "time) with acl-list (RFC 9133)" },
	{ .name = "acl-reflection", OFF(acl_reflection), .type = CONF_T_PATH,
	  .help = "the peace-time ACL against reflection attacks" },
	{ .name = "acl-non-reflection", OFF(acl_non_reflection),
	  .type = CONF_T_PATH,
	  .help = "the peace-time ACL against other attacks" },
	{ .name = "acl-name", OFF(acl_name), .type = CONF_T_PATH,
	  .def = "dms-offload",
	  .help = "out-of-band: the ACLs made are NAME-ipv4 and NAME-ipv6" },
	{ .name = "data-channel-url", OFF(data_channel_url),
	  .type = CONF_T_PATH,
	  .help = "out-of-band: https://HOST[:PORT] of the server's data "
	  "channel" },
	{ .name = "dotsctl", OFF(dotsctl), .type = CONF_T_PATH,
	  .def = DOTSCTL_PATH,
	  .help = "out-of-band: the dotsctl that speaks the data channel" },
	{ .name = "report-file", OFF(report_file), .type = CONF_T_PATH,
	  .help = "a DMS report (JSON), read again whenever it changes" },
	{ .name = "report-command", OFF(report_command), .type = CONF_T_PATH,
	  .help = "a command run by /bin/sh -c every report-interval; its "
	  "output is a DMS report" },
	{ .name = "report-interval", OFF(report_interval),
	  .type = CONF_T_UINT, .min = 1, .max = 3600, .def = "10",
	  .help = "seconds between runs of report-command, or looks at "
	  "report-file" },
};

/* The rules of an offload block across its keywords. */
static int
cconf_offload_check(const struct cconf_offload *o, char *msg,
    size_t msglen)
{
	bool acls = o->acl_reflection != NULL ||
	    o->acl_non_reflection != NULL;

	if (o->stop_pct >= o->start_pct) {
		snprintf(msg, msglen, "offload \"%s\": stop-percent must be "
		    "lower than start-percent", o->name);
		return DOTS_EVALUE;
	}
	if (o->peace_time_acls != acls) {
		snprintf(msg, msglen, "offload \"%s\": peace-time-acls yes "
		    "and acl-reflection or acl-non-reflection go together",
		    o->name);
		return DOTS_EVALUE;
	}
	if (acls && o->link != CCONF_LINK_IN_BAND) {
		snprintf(msg, msglen, "offload \"%s\": peace-time ACLs are "
		    "activated over the signal channel, for link in-band",
		    o->name);
		return DOTS_EVALUE;
	}
	if ((o->data_channel_url != NULL) !=
	    (o->link == CCONF_LINK_OUT_OF_BAND)) {
		snprintf(msg, msglen, "offload \"%s\": data-channel-url is "
		    "for link out-of-band, and required with it", o->name);
		return DOTS_EVALUE;
	}
	if (o->data_channel_url != NULL &&
	    strncmp(o->data_channel_url, "https://", 8) != 0) {
		snprintf(msg, msglen, "offload \"%s\": data-channel-url "
		    "must start with https://", o->name);
		return DOTS_EVALUE;
	}
	if (o->report_file != NULL && o->report_command != NULL) {
		snprintf(msg, msglen, "offload \"%s\": report-file or "
		    "report-command, not both", o->name);
		return DOTS_EVALUE;
	}
	return DOTS_OK;
}

/* Certificates or a PSK, each complete. */
static int
cconf_block_check(void *top, enum conf_scope scope, void *obj,
    const unsigned *seen, unsigned *line, char *msg, size_t msglen)
{
	struct cconf_server *s = obj;

	(void)top;
	(void)seen;
	if (scope == CONF_SC_THRESHOLD) {
		*line = ((struct trig_thr_conf *)obj)->line;
		return trig_thr_conf_finish(obj, msg, msglen);
	}
	if (scope == CONF_SC_OFFLOAD) {
		*line = ((struct cconf_offload *)obj)->line;
		return cconf_offload_check(obj, msg, msglen);
	}
	*line = s->line;
	if ((s->psk_identity == NULL) != (s->psk_key.len == 0)) {
		snprintf(msg, msglen, "server \"%s\": psk-identity and "
		    "psk-key go together", s->name);
		return DOTS_EVALUE;
	}
	if ((s->cert_file == NULL) != (s->key_file == NULL)) {
		snprintf(msg, msglen, "server \"%s\": cert-file and key-file "
		    "go together", s->name);
		return DOTS_EVALUE;
	}
	if (s->cert_file == NULL && s->psk_identity == NULL) {
		snprintf(msg, msglen, "server \"%s\": needs cert-file and "
		    "key-file, or psk-identity and psk-key", s->name);
		return DOTS_EVALUE;
	}
	if (s->cert_file != NULL && s->ca_file == NULL) {
		snprintf(msg, msglen, "server \"%s\": ca-file is required "
		    "with certificates", s->name);
		return DOTS_EVALUE;
	}
	return DOTS_OK;
}

/* The threshold block's keywords are trigger_threshold.c's. */
static int
cconf_unknown(enum conf_scope scope, void *obj, const char *keyword,
    char **w, unsigned n, char *msg, size_t msglen)
{
	if (scope != CONF_SC_THRESHOLD)
		return 1;
	return trig_thr_conf_stmt(obj, keyword, w, n, msg, msglen);
}

static void
cconf_block_clear(enum conf_scope scope, void *obj)
{
	if (scope == CONF_SC_THRESHOLD)
		trig_thr_conf_clear(obj);
}

static void
cconf_block_print(FILE *f, enum conf_scope scope, const void *obj)
{
	if (scope == CONF_SC_THRESHOLD)
		trig_thr_conf_print(f, "\t", obj);
}

/* An offload's server exists and, out-of-band, has certificates: the
 * data channel takes no PSK. */
static int
cconf_offload_file_check(const struct cconf *c, unsigned *line, char *msg,
    size_t msglen)
{
	const struct cconf_server *s;
	const struct cconf_offload *o;

	if (c->n_offload == 0)
		return DOTS_OK;
	o = &c->offload[0];
	*line = o->line;
	s = o->server != NULL ? cconf_server_by_name(c, o->server) :
	    c->n_server > 0 ? &c->server[0] : NULL;
	if (s == NULL) {
		snprintf(msg, msglen, "offload \"%s\": no server \"%s\"",
		    o->name, o->server != NULL ? o->server : "");
		return DOTS_EVALUE;
	}
	if (o->link == CCONF_LINK_OUT_OF_BAND && s->cert_file == NULL) {
		snprintf(msg, msglen, "offload \"%s\": server \"%s\" has no "
		    "certificate, and the data channel takes no PSK", o->name,
		    s->name);
		return DOTS_EVALUE;
	}
	return DOTS_OK;
}

static int
cconf_file_check(void *top, unsigned *line, char *msg, size_t msglen)
{
	struct cconf *c = top;

	*line = 0;
	if (c->reconnect_min > c->reconnect_max) {
		snprintf(msg, msglen, "reconnect-min is above reconnect-max");
		return DOTS_EVALUE;
	}
	return cconf_offload_file_check(c, line, msg, msglen);
}

static const char *const cconf_scope_names[CONF_SC_COUNT] = {
	[CONF_SC_SERVER] = "server",
	[CONF_SC_THRESHOLD] = "threshold",
	[CONF_SC_OFFLOAD] = "offload",
};

static const char *const cconf_scope_titles[CONF_SC_COUNT] = {
	[CONF_SC_TOP] = "top level",
	[CONF_SC_SERVER] = "in server \"NAME\" { ... }",
	[CONF_SC_THRESHOLD] = "in threshold \"NAME\" { ... } "
	    "(docs/triggers.md)",
	[CONF_SC_OFFLOAD] = "in offload \"NAME\" { ... } "
	    "(docs/offload.md)",
};

static const struct conf_schema cconf_schema = {
	.prog = "dotscd",
	.keys = cconf_keys,
	.nkeys = sizeof(cconf_keys) / sizeof(cconf_keys[0]),
	.size = sizeof(struct cconf),
	.off_path = offsetof(struct cconf, path),
	.off_cli_set = offsetof(struct cconf, cli_set),
	.scope_names = cconf_scope_names,
	.scope_titles = cconf_scope_titles,
	.unknown = cconf_unknown,
	.block_check = cconf_block_check,
	.file_check = cconf_file_check,
	.block_clear = cconf_block_clear,
	.block_print = cconf_block_print,
};

_Static_assert(sizeof(enum cconf_transport) == sizeof(int),
    "CONF_T_ENUM stores an int");
_Static_assert(sizeof(enum cconf_link) == sizeof(int),
    "CONF_T_ENUM stores an int");

int
cconf_parse_file(const char *path, struct cconf **out, char *err,
    size_t errlen)
{
	void *c;
	int ret;

	ret = conf_schema_parse_file(&cconf_schema, path, &c, err, errlen);
	if (ret == DOTS_OK)
		*out = c;
	return ret;
}

int
cconf_parse_buf(const char *buf, size_t len, const char *name,
    struct cconf **out, char *err, size_t errlen)
{
	void *c;
	int ret;

	ret = conf_schema_parse_buf(&cconf_schema, buf, len, name, &c, err,
	    errlen);
	if (ret == DOTS_OK)
		*out = c;
	return ret;
}

void
cconf_free(struct cconf *c)
{
	conf_schema_free(&cconf_schema, c);
}

int
cconf_set(struct cconf *c, const char *key, const char *value, char *err,
    size_t errlen)
{
	return conf_schema_set(&cconf_schema, c, key, value, err, errlen);
}

void
cconf_print(FILE *f, const struct cconf *c)
{
	conf_schema_print(&cconf_schema, f, c, 0);
}

const struct cconf_server *
cconf_server_by_name(const struct cconf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_server; i++)
		if (strcmp(c->server[i].name, name) == 0)
			return &c->server[i];
	return NULL;
}
