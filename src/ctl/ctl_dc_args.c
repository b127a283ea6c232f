/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The command line of `dotsctl dc`, parsed into a struct ctl_dc_req.  Its
 * options are its own (--url, --prefix, --file ...) and may come anywhere
 * after `dotsctl`; the words after `dc` are a command of one or two words
 * and its arguments.  Every mistake is reported naming the argument,
 * before anything is sent.  No I/O: the unit tests call it with any argv.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctl_dc.h"

#define MAX_POS		8

enum dc_opt_id {
	D_HELP, D_JSON, D_URL, D_CA, D_CERT, D_KEY, D_PREFIX, D_PORT,
	D_PROTOCOL, D_FQDN, D_FILE,
	D_NOT_DC		/* dotsctl's options that make no sense here */
};

#define A(x)		(1u << (x))
#define ANY		0xffffffffu

static const struct ctl_opt dc_opts[] = {
	{ D_HELP, "help", 'h', false, ANY },
	{ D_JSON, "json", 'j', false, ANY },
	{ D_URL, "url", 0, true, ANY },
	{ D_CA, "ca", 0, true, ANY },
	{ D_CERT, "cert", 0, true, ANY },
	{ D_KEY, "key", 0, true, ANY },
	{ D_PREFIX, "prefix", 0, true, A(CTL_DC_ALIAS_ADD) },
	{ D_PORT, "port", 0, true, A(CTL_DC_ALIAS_ADD) },
	{ D_PROTOCOL, "protocol", 0, true, A(CTL_DC_ALIAS_ADD) },
	{ D_FQDN, "fqdn", 0, true, A(CTL_DC_ALIAS_ADD) },
	{ D_FILE, "file", 0, true, A(CTL_DC_ACL_ADD) },
	{ D_NOT_DC, "socket", 's', true, 0 },
	{ D_NOT_DC, "direct", 0, true, 0 },
	{ D_NOT_DC, "tls", 0, false, 0 },
};
#define NOPTS	(sizeof(dc_opts) / sizeof(dc_opts[0]))

/* Commands: one or two words, how many arguments they take. */
static const struct {
	enum ctl_dc_cmd	 cmd;
	const char	*w1, *w2;
	size_t		 nargs;		/* NAME, MODE after the words */
	const char	*args;		/* as the usage says them */
} dc_cmds[] = {
	{ CTL_DC_REGISTER, "register", NULL, 0, "" },
	{ CTL_DC_UNREGISTER, "unregister", NULL, 0, "" },
	{ CTL_DC_CAPABILITIES, "capabilities", NULL, 0, "" },
	{ CTL_DC_ALIAS_LIST, "alias", "list", 0, "" },
	{ CTL_DC_ALIAS_SHOW, "alias", "show", 1, "NAME" },
	{ CTL_DC_ALIAS_ADD, "alias", "add", 1, "NAME" },
	{ CTL_DC_ALIAS_DELETE, "alias", "delete", 1, "NAME" },
	{ CTL_DC_ACL_LIST, "acl", "list", 0, "" },
	{ CTL_DC_ACL_SHOW, "acl", "show", 1, "NAME" },
	{ CTL_DC_ACL_ADD, "acl", "add", 0, "" },
	{ CTL_DC_ACL_DELETE, "acl", "delete", 1, "NAME" },
	{ CTL_DC_ACL_ACTIVATE, "acl", "activate", 2, "NAME MODE" },
};
#define NDCCMDS	(sizeof(dc_cmds) / sizeof(dc_cmds[0]))

static const char *const activations[] = {
	"immediate", "activate-when-mitigating", "deactivate"
};

static int	dc_err(char *err, size_t errlen, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

static int
dc_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
ctl_dc_cmd_name(enum ctl_dc_cmd cmd)
{
	static char names[NDCCMDS][32];
	size_t i;

	for (i = 0; i < NDCCMDS; i++) {
		if (dc_cmds[i].cmd != cmd)
			continue;
		if (dc_cmds[i].w2 == NULL)
			return dc_cmds[i].w1;
		snprintf(names[i], sizeof(names[i]), "%s %s", dc_cmds[i].w1,
		    dc_cmds[i].w2);
		return names[i];
	}
	return "dc";
}

static const struct ctl_opt *
dc_opt_lookup(const char *arg, const char **value)
{
	return ctl_opt_lookup(dc_opts, NOPTS, arg, value);
}

bool
ctl_dc_argv_is(int argc, char *const argv[])
{
	return ctl_argv_word_is(dc_opts, NOPTS, argc, argv, "dc");
}

static int
dc_list_add(struct ctl_strlist *l, const char *opt, const char *v,
    char *err, size_t errlen)
{
	if (l->n == CTL_LIST_MAX)
		return dc_err(err, errlen, "%s: at most %d values", opt,
		    CTL_LIST_MAX);
	l->v[l->n++] = v;
	return 0;
}

static int
dc_set_opt(struct ctl_dc_req *req, const struct ctl_opt *o, const char *v,
    char *err, size_t errlen)
{
	switch (o->id) {
	case D_HELP:
		req->help = true;
		return 0;
	case D_JSON:
		req->json = true;
		return 0;
	case D_URL:
		req->url = v;
		return 0;
	case D_CA:
		req->ca = v;
		return 0;
	case D_CERT:
		req->cert = v;
		return 0;
	case D_KEY:
		req->key = v;
		return 0;
	case D_PREFIX:
		return dc_list_add(&req->alias.targets, "--prefix", v, err,
		    errlen);
	case D_PORT:
		return dc_list_add(&req->alias.ports, "--port", v, err,
		    errlen);
	case D_PROTOCOL:
		return dc_list_add(&req->alias.protocols, "--protocol", v,
		    err, errlen);
	case D_FQDN:
		return dc_list_add(&req->alias.fqdns, "--fqdn", v, err,
		    errlen);
	case D_FILE:
		req->file = v;
		return 0;
	case D_NOT_DC:
		break;
	}
	return dc_err(err, errlen, "dc: option --%s does not apply to the "
	    "data channel (it talks to the server named by --url)", o->name);
}

/* A name of an alias or ACL: a YANG string, but nothing unprintable. */
static int
check_name(const char *cmd, const char *what, const char *s, char *err,
    size_t errlen)
{
	const unsigned char *p;

	if (*s == '\0')
		return dc_err(err, errlen, "%s: %s is empty", cmd, what);
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return dc_err(err, errlen, "%s: %s holds a control "
			    "character", cmd, what);
	return 0;
}

/* The words after `dc`: the command, then its arguments. */
static int
check_words(struct ctl_dc_req *req, const char **pos, size_t npos,
    char *err, size_t errlen)
{
	const char *name;
	size_t i, j;

	if (npos == 0)
		return dc_err(err, errlen, "dc: give a command: register, "
		    "unregister, capabilities, alias or acl");
	for (i = 0; i < NDCCMDS; i++)
		if (strcmp(pos[0], dc_cmds[i].w1) == 0)
			break;
	if (i == NDCCMDS)
		return dc_err(err, errlen, "dc: unknown command '%s'; "
		    "commands: register, unregister, capabilities, alias, "
		    "acl", pos[0]);
	if (dc_cmds[i].w2 != NULL) {
		if (npos == 1)
			return dc_err(err, errlen, "dc %s: give list, show, "
			    "add, delete%s", pos[0], strcmp(pos[0], "acl") ==
			    0 ? " or activate" : "");
		for (; i < NDCCMDS; i++)
			if (strcmp(pos[0], dc_cmds[i].w1) == 0 &&
			    strcmp(pos[1], dc_cmds[i].w2) == 0)
				break;
		if (i == NDCCMDS)
			return dc_err(err, errlen, "dc %s: unknown command "
			    "'%s'; use list, show, add, delete%s", pos[0],
			    pos[1], strcmp(pos[0], "acl") == 0 ?
			    " or activate" : "");
		pos++;
		npos--;
	}
	pos++;
	npos--;
	req->cmd = dc_cmds[i].cmd;
	name = ctl_dc_cmd_name(req->cmd);
	if (npos != dc_cmds[i].nargs) {
		if (dc_cmds[i].nargs == 0)
			return dc_err(err, errlen, "dc %s: takes no argument "
			    "('%s' given)", name, pos[0]);
		return dc_err(err, errlen, "dc %s: give %s (%zu argument%s "
		    "given)", name, dc_cmds[i].args, npos,
		    npos == 1 ? "" : "s");
	}
	if (npos >= 1) {
		req->name = pos[0];
		if (check_name(name, "NAME", pos[0], err, errlen) != 0)
			return -1;
	}
	if (req->cmd == CTL_DC_ACL_ACTIVATE) {
		for (j = 0; j < sizeof(activations) / sizeof(activations[0]);
		    j++)
			if (strcmp(pos[1], activations[j]) == 0)
				req->activation = activations[j];
		if (req->activation == NULL)
			return dc_err(err, errlen, "dc acl activate: MODE '%s' "
			    "is not one of immediate, activate-when-mitigating "
			    "and deactivate", pos[1]);
	}
	return 0;
}

static int
check_combos(const struct ctl_dc_req *req, char *err, size_t errlen)
{
	const struct ctl_scope_args *a = &req->alias;

	if (req->cmd == CTL_DC_ALIAS_ADD && a->targets.n == 0 &&
	    a->fqdns.n == 0)
		return dc_err(err, errlen, "dc alias add: give the targets: "
		    "--prefix PREFIX or --fqdn NAME, or both");
	if (req->cmd == CTL_DC_ACL_ADD && req->file == NULL)
		return dc_err(err, errlen, "dc acl add: give --file FILE, a "
		    "JSON body of ACLs (ietf-dots-data-channel:acls)");
	if (req->cmd == CTL_DC_ACL_ADD && *req->file == '\0')
		return dc_err(err, errlen, "dc acl add: --file is empty");
	if (req->url == NULL || req->ca == NULL || req->cert == NULL ||
	    req->key == NULL)
		return dc_err(err, errlen, "dc needs --url https://HOST:PORT, "
		    "--ca FILE, --cert FILE and --key FILE (missing: %s)",
		    req->url == NULL ? "--url" : req->ca == NULL ? "--ca" :
		    req->cert == NULL ? "--cert" : "--key");
	if (strncmp(req->url, "https://", 8) != 0 || req->url[8] == '\0' ||
	    req->url[8] == '/')
		return dc_err(err, errlen, "--url '%s': give "
		    "https://HOST[:PORT][/ROOT] (the data channel is RESTCONF "
		    "over HTTPS)", req->url);
	return 0;
}

int
ctl_dc_args_parse(int argc, char *const argv[], struct ctl_dc_req *req,
    char *err, size_t errlen)
{
	const char *pos[MAX_POS], *arg, *v;
	const struct ctl_opt *o;
	bool dashdash = false, seen_dc = false;
	size_t npos = 0;
	int i;

	memset(req, 0, sizeof(*req));
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (dashdash || arg[0] != '-' || arg[1] == '\0') {
			if (!seen_dc) {
				if (strcmp(arg, "dc") != 0)
					return dc_err(err, errlen, "'%s': not "
					    "a dc command line", arg);
				seen_dc = true;
			} else if (npos == MAX_POS)
				return dc_err(err, errlen, "dc: too many "
				    "arguments");
			else
				pos[npos++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			dashdash = true;
			continue;
		}
		if ((o = dc_opt_lookup(arg, &v)) == NULL)
			return dc_err(err, errlen, "dc: unknown option '%s'; "
			    "see dotsctl dc --help", arg);
		if (o->arg && v == NULL) {
			if (i + 1 == argc)
				return dc_err(err, errlen, "option --%s needs "
				    "a value", o->name);
			v = argv[++i];
		} else if (!o->arg && v != NULL)
			return dc_err(err, errlen, "option --%s takes no "
			    "value", o->name);
		if (dc_set_opt(req, o, v, err, errlen) != 0)
			return -1;
	}
	if (req->help)
		return 0;
	if (check_words(req, pos, npos, err, errlen) != 0)
		return -1;
	/* Options of one command are checked once the command is known. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (argv[i][0] != '-' || argv[i][1] == '\0' ||
		    (o = dc_opt_lookup(argv[i], &v)) == NULL)
			continue;
		if (o->cmds != ANY && !(o->cmds & A(req->cmd)))
			return dc_err(err, errlen, "dc %s: option --%s does "
			    "not apply to this command",
			    ctl_dc_cmd_name(req->cmd), o->name);
		if (o->arg && v == NULL)
			i++;
	}
	return check_combos(req, err, errlen);
}
