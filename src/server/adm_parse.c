/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A request line of dotsd's control socket, checked before anything runs:
 * a JSON object with an optional id (a number or a string, echoed), a
 * known cmd and that command's arguments, each of the right type and
 * range.  Nothing an administrator asks for is silently ignored: an
 * unknown member is refused, naming it.  No daemon state is touched, so
 * fuzz/fuzz_adm_parse.c feeds it anything.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "adm.h"

#define NAME_MAX_LEN	63	/* a configured client's name */

static const struct {
	enum adm_cmd	 cmd;
	const char	*name;
	const char	*args[3];	/* allowed members besides id, cmd */
} cmds[] = {
	{ ADM_CMD_MITIGATIONS, "mitigations", { "client", "after", NULL } },
	{ ADM_CMD_APPROVALS, "approvals", { NULL } },
	{ ADM_CMD_APPROVE, "approve", { "mitigation", NULL } },
	{ ADM_CMD_REJECT, "reject", { "mitigation", "why", NULL } },
	{ ADM_CMD_CLIENTS, "clients", { NULL } },
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

/*
 * What a request holds is echoed in errors (a member's name, jansson's
 * "near '...'"), cut to fit: kept to printable ASCII, so that the answer
 * is always valid UTF-8 without control characters.
 */
static void
ascii(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			*s = '?';
}

int
adm_fail(struct adm_err *e, const char *code, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	snprintf(e->field, sizeof(e->field), "%s", field != NULL ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	ascii(e->field);
	ascii(e->msg);
	return -1;
}

const char *
adm_cmd_name(enum adm_cmd cmd)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (cmds[i].cmd == cmd)
			return cmds[i].name;
	return "?";
}

void
adm_req_clear(struct adm_req *r)
{
	json_decref(r->root);
	memset(r, 0, sizeof(*r));
}

static bool
printable(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* A string argument of 1..@p max printable bytes; absent: NULL. */
static int
arg_str(json_t *o, const char *name, size_t max, const char **out,
    struct adm_err *e)
{
	json_t *v = json_object_get(o, name);
	size_t len;

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return adm_fail(e, "invalid", name, "%s must be a string",
		    name);
	len = json_string_length(v);
	if (len == 0 || len > max)
		return adm_fail(e, "invalid", name, "%s must be 1 to %zu "
		    "bytes long", name, max);
	if (!printable(json_string_value(v), len) ||
	    strlen(json_string_value(v)) != len)
		return adm_fail(e, "invalid", name, "%s holds a control "
		    "character", name);
	*out = json_string_value(v);
	return 0;
}

/* A mitigation id: an integer from @p min on; absent: @p def (-1: needed). */
static int
arg_id(json_t *o, const char *name, json_int_t min, json_int_t def,
    uint64_t *out, struct adm_err *e)
{
	json_t *v = json_object_get(o, name);

	if (v == NULL) {
		if (def < 0)
			return adm_fail(e, "invalid", name, "%s is required "
			    "(a mitigation id, as `mitigations` shows it)",
			    name);
		*out = (uint64_t)def;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min)
		return adm_fail(e, "invalid", name, "%s must be an integer "
		    "from %lld on", name, (long long)min);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int
check_members(json_t *o, size_t k, struct adm_err *e)
{
	const char *key;
	size_t i;
	void *it;

	for (it = json_object_iter(o); it != NULL;
	    it = json_object_iter_next(o, it)) {
		key = json_object_iter_key(it);
		if (strcmp(key, "id") == 0 || strcmp(key, "cmd") == 0)
			continue;
		for (i = 0; cmds[k].args[i] != NULL; i++)
			if (strcmp(key, cmds[k].args[i]) == 0)
				break;
		if (cmds[k].args[i] == NULL)
			return adm_fail(e, "invalid", key, "unknown argument "
			    "'%.64s' for %s", key, cmds[k].name);
	}
	return 0;
}

static int
parse_args(struct adm_req *r, struct adm_err *e)
{
	json_t *o = r->root;

	switch (r->cmd) {
	case ADM_CMD_MITIGATIONS:
		if (arg_str(o, "client", NAME_MAX_LEN, &r->client, e) != 0)
			return -1;
		return arg_id(o, "after", 0, 0, &r->after, e);
	case ADM_CMD_REJECT:
		if (arg_str(o, "why", ADM_WHY_MAX, &r->why, e) != 0)
			return -1;
		if (r->why == NULL)
			return adm_fail(e, "invalid", "why", "why is required: "
			    "the reason the client is given");
		/* FALLTHROUGH */
	case ADM_CMD_APPROVE:
		return arg_id(o, "mitigation", 1, -1, &r->mitigation, e);
	default:
		return 0;
	}
}

int
adm_parse(const char *line, size_t len, struct adm_req *r,
    struct adm_err *e)
{
	json_error_t jerr;
	json_t *cmd, *id;
	size_t k;

	memset(r, 0, sizeof(*r));
	r->root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (r->root == NULL)
		return adm_fail(e, "bad-json", NULL, "not JSON: %s",
		    jerr.text);
	if (!json_is_object(r->root))
		return adm_fail(e, "bad-json", NULL, "a request is a JSON "
		    "object");
	id = json_object_get(r->root, "id");
	if (id != NULL && !json_is_number(id) && !json_is_string(id))
		return adm_fail(e, "invalid", "id", "id must be a number or "
		    "a string");
	r->id = id;
	cmd = json_object_get(r->root, "cmd");
	if (cmd == NULL)
		return adm_fail(e, "invalid", "cmd", "cmd is required");
	if (!json_is_string(cmd))
		return adm_fail(e, "invalid", "cmd", "cmd must be a string");
	for (k = 0; k < NCMDS; k++)
		if (strcmp(json_string_value(cmd), cmds[k].name) == 0)
			break;
	if (k == NCMDS)
		return adm_fail(e, "unknown-command", "cmd", "no command "
		    "'%.64s' on dotsd's socket (mitigations, approvals, "
		    "approve, reject, clients)", json_string_value(cmd));
	r->cmd = cmds[k].cmd;
	if (check_members(r->root, k, e) != 0)
		return -1;
	return parse_args(r, e);
}

json_t *
adm_answer_ok(json_t *id, json_t *result)
{
	json_t *a;

	if (result == NULL)
		return NULL;
	/* "o" steals result, "O" takes a new reference to id */
	if (id != NULL)
		a = json_pack("{sO sb so}", "id", id, "ok", 1, "result",
		    result);
	else
		a = json_pack("{sb so}", "ok", 1, "result", result);
	return a;
}

json_t *
adm_answer_err(json_t *id, const struct adm_err *e)
{
	json_t *err, *a;

	err = json_pack("{ss ss}", "code", e->code, "message", e->msg);
	if (err == NULL)
		return NULL;
	if (e->field[0] != '\0' &&
	    json_object_set_new(err, "field", json_string(e->field)) != 0) {
		json_decref(err);
		return NULL;
	}
	if (id != NULL)
		a = json_pack("{sO sb so}", "id", id, "ok", 0, "error", err);
	else
		a = json_pack("{sb so}", "ok", 0, "error", err);
	return a;
}
