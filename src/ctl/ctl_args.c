/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The command line of dotsctl, parsed into a struct ctl_req.  One table
 * of options says which commands take each; global options (-s, --json,
 * --direct ...) may come before or after the command.  Values are kept
 * as typed where another file checks them (the scope, the settings), and
 * checked here otherwise, so that every mistake is reported, naming the
 * argument, before anything is sent.  No I/O and no environment: the unit
 * tests call it with any argv.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/model.h>

#include "ctl.h"

#define C(x)		(1u << (x))
#define GLOBAL		0xffffffffu

enum opt_id {
	O_HELP, O_JSON, O_SOCKET, O_DIRECT, O_CA, O_CERT, O_KEY, O_TLS,
	O_SERVER, O_MID, O_WAIT, O_ORIGIN, O_ALL, O_WATCH,
	O_PORT, O_PROTOCOL, O_FQDN, O_URI, O_ALIAS, O_LIFETIME,
	O_SOURCE_PREFIX, O_SOURCE_PORT, O_ACL, O_PRECONFIGURED
};

static const struct ctl_opt opts[] = {
	{ O_HELP, "help", 'h', false, GLOBAL },
	{ O_JSON, "json", 'j', false, GLOBAL },
	{ O_SOCKET, "socket", 's', true, GLOBAL },
	{ O_DIRECT, "direct", 0, true, GLOBAL },
	{ O_CA, "ca", 0, true, GLOBAL },
	{ O_CERT, "cert", 0, true, GLOBAL },
	{ O_KEY, "key", 0, true, GLOBAL },
	{ O_TLS, "tls", 0, false, GLOBAL },
	{ O_SERVER, "server", 0, true, C(CTL_CMD_MITIGATE) |
	    C(CTL_CMD_WITHDRAW) | C(CTL_CMD_CANCEL) | C(CTL_CMD_EFFICACY) |
	    C(CTL_CMD_STATUS) | C(CTL_CMD_SESSION) },
	{ O_MID, "mid", 0, true, C(CTL_CMD_MITIGATE) },
	{ O_WAIT, "wait", 0, true, C(CTL_CMD_MITIGATE) | C(CTL_CMD_WITHDRAW) },
	{ O_ORIGIN, "origin", 0, true, C(CTL_CMD_MITIGATE) },
	{ O_ALL, "all", 0, false, C(CTL_CMD_STATUS) },
	{ O_WATCH, "watch", 0, false, C(CTL_CMD_STATUS) },
	{ O_PORT, "port", 0, true, C(CTL_CMD_MITIGATE) },
	{ O_PROTOCOL, "protocol", 0, true, C(CTL_CMD_MITIGATE) },
	{ O_FQDN, "fqdn", 0, true, C(CTL_CMD_MITIGATE) },
	{ O_URI, "uri", 0, true, C(CTL_CMD_MITIGATE) },
	{ O_ALIAS, "alias", 0, true, C(CTL_CMD_MITIGATE) },
	{ O_LIFETIME, "lifetime", 0, true, C(CTL_CMD_MITIGATE) },
	{ O_SOURCE_PREFIX, "source-prefix", 0, true, C(CTL_CMD_MITIGATE) },
	{ O_SOURCE_PORT, "source-port", 0, true, C(CTL_CMD_MITIGATE) },
	{ O_ACL, "acl", 0, true, C(CTL_CMD_MITIGATE) },
	{ O_PRECONFIGURED, "preconfigured", 0, false, C(CTL_CMD_MITIGATE) },
};

static const char *const cmd_names[] = {
	[CTL_CMD_MITIGATE] = "mitigate",
	[CTL_CMD_WITHDRAW] = "withdraw",
	[CTL_CMD_CANCEL] = "cancel",
	[CTL_CMD_EFFICACY] = "efficacy",
	[CTL_CMD_STATUS] = "status",
	[CTL_CMD_SESSION] = "session",
	[CTL_CMD_SERVERS] = "servers",
};
#define NCMDS	(sizeof(cmd_names) / sizeof(cmd_names[0]))

/* What --direct can do: one request, no daemon state. */
#define DIRECT_CMDS	(C(CTL_CMD_MITIGATE) | C(CTL_CMD_WITHDRAW) | \
			 C(CTL_CMD_EFFICACY) | C(CTL_CMD_STATUS))

#define MAX_POS		CTL_LIST_MAX

static int	argerr(char *err, size_t errlen, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

static int
argerr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
ctl_cmd_name(enum ctl_cmd cmd)
{
	if ((size_t)cmd < NCMDS && cmd_names[cmd] != NULL)
		return cmd_names[cmd];
	return "dotsctl";
}

int
ctl_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	unsigned long long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static enum ctl_cmd
cmd_lookup(const char *s)
{
	size_t i;

	for (i = 1; i < NCMDS; i++)
		if (strcmp(s, cmd_names[i]) == 0)
			return (enum ctl_cmd)i;
	return CTL_CMD_NONE;
}

static const struct ctl_opt *
opt_lookup(const char *arg, const char **value)
{
	return ctl_opt_lookup(opts, sizeof(opts) / sizeof(opts[0]), arg,
	    value);
}

static int
list_add(struct ctl_strlist *l, const char *opt, const char *v, char *err,
    size_t errlen)
{
	if (l->n == CTL_LIST_MAX)
		return argerr(err, errlen, "%s: at most %d values", opt,
		    CTL_LIST_MAX);
	l->v[l->n++] = v;
	return 0;
}

static int
set_opt(struct ctl_req *req, const struct ctl_opt *o, const char *v, char *err,
    size_t errlen)
{
	struct ctl_scope_args *s = &req->scope;
	uint32_t n;

	switch (o->id) {
	case O_HELP:
		req->help = true;
		break;
	case O_JSON:
		req->json = true;
		break;
	case O_SOCKET:
		req->socket = v;
		break;
	case O_DIRECT:
		req->direct = v;
		break;
	case O_CA:
		req->ca = v;
		break;
	case O_CERT:
		req->cert = v;
		break;
	case O_KEY:
		req->key = v;
		break;
	case O_TLS:
		req->tls = true;
		break;
	case O_SERVER:
		req->server = v;
		break;
	case O_MID:
		if (ctl_parse_u32(v, UINT32_MAX, &req->mid) != 0)
			return argerr(err, errlen, "--mid: '%s' is not a "
			    "mid (a number from 0 to 4294967295)", v);
		req->has_mid = true;
		break;
	case O_WAIT:
		if (ctl_parse_u32(v, CTL_WAIT_MAX, &n) != 0)
			return argerr(err, errlen, "--wait: '%s' is not a "
			    "number of seconds from 0 to %d", v, CTL_WAIT_MAX);
		req->wait = n;
		req->has_wait = true;
		break;
	case O_ORIGIN:
		req->origin = v;
		break;
	case O_ALL:
		req->all = true;
		break;
	case O_WATCH:
		req->watch = true;
		break;
	case O_PORT:
		return list_add(&s->ports, "--port", v, err, errlen);
	case O_PROTOCOL:
		return list_add(&s->protocols, "--protocol", v, err, errlen);
	case O_FQDN:
		return list_add(&s->fqdns, "--fqdn", v, err, errlen);
	case O_URI:
		return list_add(&s->uris, "--uri", v, err, errlen);
	case O_ALIAS:
		return list_add(&s->aliases, "--alias", v, err, errlen);
	case O_LIFETIME:
		s->lifetime = v;
		break;
	case O_SOURCE_PREFIX:
		return list_add(&s->source_prefixes, "--source-prefix", v, err,
		    errlen);
	case O_SOURCE_PORT:
		return list_add(&s->source_ports, "--source-port", v, err,
		    errlen);
	case O_ACL:
		return list_add(&s->acls, "--acl", v, err, errlen);
	case O_PRECONFIGURED:
		s->preconfigured = true;
		break;
	}
	return 0;
}

static int
parse_mid(const char *cmd, const char *s, uint32_t *mid, char *err,
    size_t errlen)
{
	if (ctl_parse_u32(s, UINT32_MAX, mid) != 0)
		return argerr(err, errlen, "%s: MID '%s' is not a mid (a "
		    "number from 0 to 4294967295)", cmd, s);
	return 0;
}

/* The positional arguments of each command. */
static int
check_pos(struct ctl_req *req, const char **pos, size_t npos, char *err,
    size_t errlen)
{
	const char *name = ctl_cmd_name(req->cmd);
	struct ctl_scope_args *s = &req->scope;
	size_t i;

	switch (req->cmd) {
	case CTL_CMD_MITIGATE:
		for (i = 0; i < npos; i++)
			s->targets.v[s->targets.n++] = pos[i];
		if (npos == 0 && s->fqdns.n == 0 && s->uris.n == 0 &&
		    s->aliases.n == 0)
			return argerr(err, errlen, "mitigate: name at least "
			    "one TARGET (a prefix or an address), or give "
			    "--fqdn, --uri or --alias");
		return 0;
	case CTL_CMD_WITHDRAW:
	case CTL_CMD_CANCEL:
		if (npos != 1)
			return argerr(err, errlen, "%s: give exactly one MID "
			    "(%zu given)", name, npos);
		req->has_mid = true;
		return parse_mid(name, pos[0], &req->mid, err, errlen);
	case CTL_CMD_EFFICACY:
		if (npos != 2)
			return argerr(err, errlen, "efficacy: give a MID and "
			    "under-attack or mitigated");
		req->has_mid = true;
		if (parse_mid(name, pos[0], &req->mid, err, errlen) != 0)
			return -1;
		if (strcmp(pos[1], "under-attack") == 0)
			req->attack_status = DOTS_ATTACK_UNDER_ATTACK;
		else if (strcmp(pos[1], "mitigated") == 0 ||
		    strcmp(pos[1], "attack-successfully-mitigated") == 0)
			req->attack_status = DOTS_ATTACK_MITIGATED;
		else
			return argerr(err, errlen, "efficacy: '%s' is not an "
			    "attack status; use under-attack or mitigated",
			    pos[1]);
		return 0;
	case CTL_CMD_STATUS:
		if (npos > 1)
			return argerr(err, errlen, "status: give at most one "
			    "MID (%zu given)", npos);
		if (npos == 1) {
			req->has_mid = true;
			return parse_mid(name, pos[0], &req->mid, err, errlen);
		}
		return 0;
	case CTL_CMD_SESSION:
		if (npos == 0)
			return 0;
		if (strcmp(pos[0], "set") != 0)
			return argerr(err, errlen, "session: unknown argument "
			    "'%s'; use session [set KEY=VALUE...]", pos[0]);
		if (npos == 1)
			return argerr(err, errlen, "session set: give at least "
			    "one KEY=VALUE, e.g. heartbeat-interval=30");
		req->session_set = true;
		for (i = 1; i < npos; i++)
			req->settings.v[req->settings.n++] = pos[i];
		return 0;
	case CTL_CMD_SERVERS:
		if (npos != 0)
			return argerr(err, errlen, "servers: takes no argument "
			    "('%s' given)", pos[0]);
		return 0;
	case CTL_CMD_NONE:
		break;
	}
	return argerr(err, errlen, "no command given; try dotsctl --help");
}

/* Combinations that no single option can check. */
static int
check_combos(const struct ctl_req *req, char *err, size_t errlen)
{
	if (req->direct == NULL) {
		if (req->ca != NULL || req->cert != NULL || req->key != NULL ||
		    req->tls)
			return argerr(err, errlen, "--ca, --cert, --key and "
			    "--tls go with --direct HOST[:PORT]");
		return 0;
	}
	if (!(DIRECT_CMDS & C(req->cmd)))
		return argerr(err, errlen, "%s: not available with --direct "
		    "(only mitigate, status, withdraw and efficacy are)",
		    ctl_cmd_name(req->cmd));
	if (req->ca == NULL || req->cert == NULL || req->key == NULL)
		return argerr(err, errlen, "--direct needs --ca FILE, --cert "
		    "FILE and --key FILE (missing: %s)", req->ca == NULL ?
		    "--ca" : req->cert == NULL ? "--cert" : "--key");
	if (req->watch)
		return argerr(err, errlen, "status: --watch needs the daemon; "
		    "it is not available with --direct");
	if (req->socket != NULL)
		return argerr(err, errlen, "-s and --direct exclude each "
		    "other: the one talks to the daemon, the other to a "
		    "server");
	if (req->direct[0] == '\0')
		return argerr(err, errlen, "--direct: give HOST[:PORT]");
	return 0;
}

/* A word that is not an option: the command, or an argument of it. */
static int
add_word(struct ctl_req *req, const char **pos, size_t *npos,
    const char *arg, char *err, size_t errlen)
{
	if (req->cmd == CTL_CMD_NONE) {
		if ((req->cmd = cmd_lookup(arg)) == CTL_CMD_NONE)
			return argerr(err, errlen, "unknown command '%s'; "
			    "commands: mitigate, withdraw, cancel, efficacy, "
			    "status, session, servers", arg);
		return 0;
	}
	if (*npos == MAX_POS)
		return argerr(err, errlen, "%s: too many arguments (at most "
		    "%d)", ctl_cmd_name(req->cmd), MAX_POS);
	pos[(*npos)++] = arg;
	return 0;
}

int
ctl_args_parse(int argc, char *const argv[], struct ctl_req *req, char *err,
    size_t errlen)
{
	const char *pos[MAX_POS], *arg, *v;
	const struct ctl_opt *o;
	size_t npos = 0;
	bool dashdash = false;
	int i;

	memset(req, 0, sizeof(*req));
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (dashdash || arg[0] != '-' || arg[1] == '\0') {
			if (add_word(req, pos, &npos, arg, err, errlen) != 0)
				return -1;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			dashdash = true;
			continue;
		}
		if ((o = opt_lookup(arg, &v)) == NULL)
			return argerr(err, errlen, "%s: unknown option '%s'; "
			    "see dotsctl %s%s--help", ctl_cmd_name(req->cmd),
			    arg, req->cmd != CTL_CMD_NONE ?
			    ctl_cmd_name(req->cmd) : "",
			    req->cmd != CTL_CMD_NONE ? " " : "");
		if (o->cmds != GLOBAL && req->cmd == CTL_CMD_NONE)
			return argerr(err, errlen, "option --%s belongs after "
			    "its command", o->name);
		if (o->cmds != GLOBAL && !(o->cmds & C(req->cmd)))
			return argerr(err, errlen, "%s: option --%s does not "
			    "apply to this command", ctl_cmd_name(req->cmd),
			    o->name);
		if (o->arg && v == NULL) {
			if (i + 1 == argc)
				return argerr(err, errlen, "option --%s needs "
				    "a value", o->name);
			v = argv[++i];
		} else if (!o->arg && v != NULL)
			return argerr(err, errlen, "option --%s takes no "
			    "value", o->name);
		if (set_opt(req, o, v, err, errlen) != 0)
			return -1;
	}
	if (req->help)
		return 0;
	if (check_pos(req, pos, npos, err, errlen) != 0)
		return -1;
	return check_combos(req, err, errlen);
}
