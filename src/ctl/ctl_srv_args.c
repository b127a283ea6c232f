/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The command line of `dotsctl server`, parsed into a struct ctl_srv_req,
 * and the request objects it becomes.  Options may come anywhere after
 * `dotsctl`, `--opt=value` and `--opt value` alike; the words after
 * `server` are the command and its ID.  Every mistake is reported naming
 * the argument, before anything is sent.  No I/O: the unit tests call it
 * with any argv.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_srv.h"

enum srv_opt_id {
	S_HELP, S_JSON, S_SOCKET, S_CLIENT, S_WHY,
	S_OTHER			/* dotsctl's other options: not here */
};

#define A(x)		(1u << (x))
#define ANY		0xffffffffu

static const struct ctl_opt srv_opts[] = {
	{ S_HELP, "help", 'h', false, ANY },
	{ S_JSON, "json", 'j', false, ANY },
	{ S_SOCKET, "socket", 's', true, ANY },
	{ S_CLIENT, "client", 0, true, A(CTL_SRV_MITIGATIONS) },
	{ S_WHY, "why", 0, true, A(CTL_SRV_REJECT) },
	/* known so that `server` is found after their values */
	{ S_OTHER, "server", 0, true, 0 },
	{ S_OTHER, "mid", 0, true, 0 },
	{ S_OTHER, "wait", 0, true, 0 },
	{ S_OTHER, "origin", 0, true, 0 },
	{ S_OTHER, "direct", 0, true, 0 },
	{ S_OTHER, "ca", 0, true, 0 },
	{ S_OTHER, "cert", 0, true, 0 },
	{ S_OTHER, "key", 0, true, 0 },
	{ S_OTHER, "url", 0, true, 0 },
};
#define NOPTS	(sizeof(srv_opts) / sizeof(srv_opts[0]))

static const struct {
	enum ctl_srv_cmd cmd;
	const char	*name;
	bool		 id;		/* takes an ID */
} srv_cmds[] = {
	{ CTL_SRV_MITIGATIONS, "mitigations", false },
	{ CTL_SRV_APPROVALS, "approvals", false },
	{ CTL_SRV_APPROVE, "approve", true },
	{ CTL_SRV_REJECT, "reject", true },
	{ CTL_SRV_CLIENTS, "clients", false },
};
#define NCMDS	(sizeof(srv_cmds) / sizeof(srv_cmds[0]))

static int	srv_err(char *err, size_t errlen, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

static int
srv_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
ctl_srv_cmd_name(enum ctl_srv_cmd cmd)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (srv_cmds[i].cmd == cmd)
			return srv_cmds[i].name;
	return "server";
}

static const struct ctl_opt *
opt_lookup(const char *arg, const char **value)
{
	return ctl_opt_lookup(srv_opts, NOPTS, arg, value);
}

bool
ctl_srv_argv_is(int argc, char *const argv[])
{
	return ctl_argv_word_is(srv_opts, NOPTS, argc, argv, "server");
}

/* Text for dotsd: 1..@p max bytes, nothing unprintable. */
static int
check_text(const char *what, const char *s, size_t max, char *err,
    size_t errlen)
{
	const unsigned char *p;
	json_t *utf8;

	if (*s == '\0' || strlen(s) > max)
		return srv_err(err, errlen, "%s: give 1 to %zu bytes", what,
		    max);
	if ((utf8 = json_string(s)) == NULL)
		return srv_err(err, errlen, "%s is not UTF-8", what);
	json_decref(utf8);
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return srv_err(err, errlen, "%s holds a control "
			    "character", what);
	return 0;
}

static int
parse_id(const char *cmd, const char *s, uint64_t *out, char *err,
    size_t errlen)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '1' || *s > '9' || *end != '\0' || errno != 0 ||
	    v > INT64_MAX)
		return srv_err(err, errlen, "%s: ID '%s' is not a mitigation "
		    "id (a number from 1 on, as `dotsctl server mitigations` "
		    "or `approvals` shows it)", cmd, s);
	*out = v;
	return 0;
}

static int
set_opt(struct ctl_srv_req *req, const struct ctl_opt *o, const char *v,
    char *err, size_t errlen)
{
	switch (o->id) {
	case S_HELP:
		req->help = true;
		return 0;
	case S_JSON:
		req->json = true;
		return 0;
	case S_SOCKET:
		if (*v == '\0')
			return srv_err(err, errlen, "--socket: give a path");
		req->socket = v;
		return 0;
	case S_CLIENT:
		req->client = v;
		return check_text("--client", v, CTL_SRV_NAME_MAX, err,
		    errlen);
	case S_WHY:
		req->why = v;
		return check_text("--why", v, CTL_SRV_WHY_MAX, err, errlen);
	case S_OTHER:
		break;
	}
	return srv_err(err, errlen, "server: option --%s does not apply to "
	    "dotsd's commands", o->name);
}

/* The words after `server`: the command, then its ID. */
static int
check_words(struct ctl_srv_req *req, char *const *pos, size_t npos,
    char *err, size_t errlen)
{
	size_t i;

	if (npos == 0)
		return req->help ? 0 : srv_err(err, errlen, "server: give a "
		    "command: mitigations, approvals, approve, reject or "
		    "clients");
	for (i = 0; i < NCMDS; i++)
		if (strcmp(pos[0], srv_cmds[i].name) == 0)
			break;
	if (i == NCMDS)
		return srv_err(err, errlen, "server: unknown command '%s'; "
		    "commands: mitigations, approvals, approve, reject, "
		    "clients", pos[0]);
	req->cmd = srv_cmds[i].cmd;
	if (req->help)
		return 0;
	if (srv_cmds[i].id && npos < 2)
		return srv_err(err, errlen, "%s: give the ID of the held "
		    "mitigation (`dotsctl server approvals` lists them)",
		    pos[0]);
	if (npos > (srv_cmds[i].id ? 2u : 1u))
		return srv_err(err, errlen, "%s: unexpected argument '%s'",
		    pos[0], pos[srv_cmds[i].id ? 2 : 1]);
	if (srv_cmds[i].id &&
	    parse_id(pos[0], pos[1], &req->mitigation, err, errlen) != 0)
		return -1;
	return 0;
}

/* Options given to a command that does not take them, now it is known. */
static int
check_opts(const struct ctl_srv_req *req, char *err, size_t errlen)
{
	if (req->client != NULL && req->cmd != CTL_SRV_MITIGATIONS)
		return srv_err(err, errlen, "%s: --client applies to "
		    "mitigations only", ctl_srv_cmd_name(req->cmd));
	if (req->why != NULL && req->cmd != CTL_SRV_REJECT)
		return srv_err(err, errlen, "%s: --why applies to reject "
		    "only", ctl_srv_cmd_name(req->cmd));
	if (req->cmd == CTL_SRV_REJECT && req->why == NULL && !req->help)
		return srv_err(err, errlen, "reject: give --why TEXT, the "
		    "reason the client is told");
	return 0;
}

int
ctl_srv_args_parse(int argc, char *const argv[], struct ctl_srv_req *req,
    char *err, size_t errlen)
{
	const struct ctl_opt *o;
	char *pos[8];
	const char *v;
	size_t npos = 0;
	bool seen = false, dashdash = false;
	int i;

	memset(req, 0, sizeof(*req));
	for (i = 1; i < argc; i++) {
		if (!dashdash && strcmp(argv[i], "--") == 0) {
			dashdash = true;
			continue;
		}
		if (dashdash || argv[i][0] != '-' || argv[i][1] == '\0') {
			if (!seen) {
				seen = true;	/* the word `server` */
				continue;
			}
			if (npos == sizeof(pos) / sizeof(pos[0]))
				return srv_err(err, errlen, "server: too many "
				    "arguments");
			pos[npos++] = argv[i];
			continue;
		}
		if ((o = opt_lookup(argv[i], &v)) == NULL)
			return srv_err(err, errlen, "server: unknown option "
			    "'%s'", argv[i]);
		if (o->arg && v == NULL) {
			if (i + 1 == argc)
				return srv_err(err, errlen, "%s needs a value",
				    argv[i]);
			v = argv[++i];
		} else if (!o->arg && v != NULL)
			return srv_err(err, errlen, "--%s takes no value",
			    o->name);
		if (set_opt(req, o, v, err, errlen) != 0)
			return -1;
	}
	if (check_words(req, pos, npos, err, errlen) != 0)
		return -1;
	return check_opts(req, err, errlen);
}

json_t *
ctl_srv_req_json(const struct ctl_srv_req *req, json_int_t id,
    uint64_t after)
{
	json_t *o = json_pack("{sI ss}", "id", id, "cmd",
	    ctl_srv_cmd_name(req->cmd));

	if (o == NULL)
		return NULL;
	switch (req->cmd) {
	case CTL_SRV_MITIGATIONS:
		if ((req->client != NULL && json_object_set_new(o, "client",
		    json_string(req->client)) != 0) || (after != 0 &&
		    json_object_set_new(o, "after",
		    json_integer((json_int_t)after)) != 0))
			goto fail;
		break;
	case CTL_SRV_REJECT:
		if (json_object_set_new(o, "why", json_string(req->why)) != 0)
			goto fail;
		/* FALLTHROUGH */
	case CTL_SRV_APPROVE:
		if (json_object_set_new(o, "mitigation",
		    json_integer((json_int_t)req->mitigation)) != 0)
			goto fail;
		break;
	default:
		break;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}
