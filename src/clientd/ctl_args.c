/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Checks of the arguments of control requests.  Nothing a user asks for
 * is silently ignored: an unknown member is an error, and so is a value
 * of the wrong type or out of range.  A scope is checked by libdots, the
 * same code a DOTS server runs on it: it is wrapped into a mitigation
 * request, decoded from JSON and validated, and libdots' field path
 * ("mitigation-scope/scope/0/lifetime") is given back as "scope.lifetime".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/error.h>
#include <dots/json.h>
#include <dots/validate.h>

#include "ctl_args.h"

#define MS	"ietf-dots-signal-channel:mitigation-scope"
#define SC	"ietf-dots-signal-channel:signal-config"

int
ctl_fail(struct ctl_err *e, const char *code, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	snprintf(e->field, sizeof(e->field), "%s", field != NULL ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int
ctl_check_members(json_t *req, const char *const *allowed,
    struct ctl_err *e)
{
	const char *key;
	size_t i;
	void *it;

	for (it = json_object_iter(req); it != NULL;
	    it = json_object_iter_next(req, it)) {
		key = json_object_iter_key(it);
		if (strcmp(key, "id") == 0 || strcmp(key, "cmd") == 0)
			continue;
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return ctl_fail(e, "invalid", key, "unknown argument "
			    "'%.64s' for this command", key);
	}
	return 0;
}

int
ctl_arg_id(const json_t *req, struct ctl_err *e)
{
	json_t *id = json_object_get(req, "id");

	if (id == NULL || json_is_number(id) || json_is_string(id))
		return 0;
	return ctl_fail(e, "invalid", "id", "id must be a number or a "
	    "string");
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

int
ctl_arg_str(const json_t *req, const char *name, bool required, size_t max,
    const char **out, struct ctl_err *e)
{
	json_t *v = json_object_get(req, name);
	size_t len;

	*out = NULL;
	if (v == NULL) {
		if (required)
			return ctl_fail(e, "invalid", name, "%s is required",
			    name);
		return 0;
	}
	if (!json_is_string(v))
		return ctl_fail(e, "invalid", name, "%s must be a string",
		    name);
	len = json_string_length(v);
	if (len == 0 || len > max)
		return ctl_fail(e, "invalid", name, "%s must be 1 to %zu "
		    "bytes long", name, max);
	if (!printable(json_string_value(v), len))
		return ctl_fail(e, "invalid", name, "%s holds a control "
		    "character", name);
	*out = json_string_value(v);
	return 0;
}

int
ctl_arg_uint(const json_t *req, const char *name, int64_t def,
    uint64_t min, uint64_t max, uint64_t *out, struct ctl_err *e)
{
	json_t *v = json_object_get(req, name);
	json_int_t n;

	if (v == NULL) {
		if (def < 0)
			return ctl_fail(e, "invalid", name, "%s is required",
			    name);
		*out = (uint64_t)def;
		return 0;
	}
	if (!json_is_integer(v))
		return ctl_fail(e, "invalid", name, "%s must be an integer",
		    name);
	n = json_integer_value(v);
	if (n < 0 || (uint64_t)n < min || (uint64_t)n > max)
		return ctl_fail(e, "invalid", name, "%s must be between "
		    "%llu and %llu", name, (unsigned long long)min,
		    (unsigned long long)max);
	*out = (uint64_t)n;
	return 0;
}

int
ctl_arg_bool(const json_t *req, const char *name, bool def, bool *out,
    struct ctl_err *e)
{
	json_t *v = json_object_get(req, name);

	if (v == NULL) {
		*out = def;
		return 0;
	}
	if (!json_is_boolean(v))
		return ctl_fail(e, "invalid", name, "%s must be true or false",
		    name);
	*out = json_is_true(v);
	return 0;
}

/* "mitigation-scope/scope/0/target-prefix/1" -> "scope.target-prefix.1" */
static void
diag_field(const char *path, const char *top, const char *strip,
    char *out, size_t outlen)
{
	const char *p = strstr(path, strip);
	size_t i, n;

	if (p != NULL)
		p += strlen(strip);
	else
		p = "";
	n = (size_t)snprintf(out, outlen, "%s%s%s", top, *p != '\0' ? "." :
	    "", p);
	for (i = 0; i < n && i < outlen; i++)
		if (out[i] == '/')
			out[i] = '.';
}

/* Wrap @p body under @p name, decode and validate it. */
static int
build(const char *name, json_t *inner, enum dots_msg_role role,
    const char *top, const char *strip, struct dots_signal **out,
    struct ctl_err *e)
{
	struct dots_signal *m = NULL;
	struct dots_diag diag;
	json_t *wrap;
	char *text;
	int ret;

	wrap = json_pack("{sO}", name, inner);
	text = wrap == NULL ? NULL : json_dumps(wrap, JSON_COMPACT);
	json_decref(wrap);
	if (text == NULL)
		return ctl_fail(e, "internal", NULL, "out of memory");
	memset(&diag, 0, sizeof(diag));
	ret = dots_json_decode_signal(text, strlen(text), 0, &m, &diag);
	free(text);
	if (ret == DOTS_OK)
		ret = dots_validate_signal(m, role, &diag);
	if (ret != DOTS_OK) {
		dots_signal_free(m);
		if (ret == DOTS_ENOMEM)
			return ctl_fail(e, "internal", NULL, "out of memory");
		ctl_fail(e, "invalid", NULL, "%s", diag.error.msg[0] != '\0' ?
		    diag.error.msg : dots_strerror(ret));
		diag_field(diag.error.path, top, strip, e->field,
		    sizeof(e->field));
		return -1;
	}
	if (out != NULL)
		*out = m;
	else
		dots_signal_free(m);
	return 0;
}

static int
scope_body(const json_t *scope, uint32_t mid, json_t **inner,
    struct ctl_err *e)
{
	json_t *sc;

	if (!json_is_object(scope))
		return ctl_fail(e, "invalid", "scope", "scope must be an "
		    "object (one RFC 9132 scope)");
	if (json_object_get(scope, "mid") != NULL)
		return ctl_fail(e, "invalid", "scope.mid", "the mid is not "
		    "part of the scope: give it as the argument mid");
	/* the mid goes in the Uri-Path (RFC 9132 4.4.1), not the body */
	(void)mid;
	sc = json_deep_copy(scope);
	if (sc == NULL || (*inner = json_pack("{s[o]}", "scope", sc)) ==
	    NULL)
		return ctl_fail(e, "internal", NULL, "out of memory");
	return 0;
}

int
ctl_scope_build(json_t *scope, uint32_t mid, struct dots_signal **out,
    struct ctl_err *e)
{
	json_t *inner;
	int ret;

	if (json_is_object(scope) &&
	    json_object_get(scope, "lifetime") == NULL &&
	    json_object_set_new(scope, "lifetime", json_integer(3600)) != 0)
		return ctl_fail(e, "internal", NULL, "out of memory");
	if (scope_body(scope, mid, &inner, e) != 0)
		return -1;
	ret = build(MS, inner, DOTS_ROLE_MITIGATION_REQUEST, "scope",
	    "scope/0/", out, e);
	json_decref(inner);
	return ret;
}

int
ctl_efficacy_build(const json_t *scope, uint32_t mid,
    const char *attack_status, struct dots_signal **out, struct ctl_err *e)
{
	json_t *inner, *sc;
	int ret;

	if (scope_body(scope, mid, &inner, e) != 0)
		return -1;
	sc = json_array_get(json_object_get(inner, "scope"), 0);
	if (json_object_set_new(sc, "attack-status",
	    json_string(attack_status)) != 0) {
		json_decref(inner);
		return ctl_fail(e, "internal", NULL, "out of memory");
	}
	ret = build(MS, inner, DOTS_ROLE_EFFICACY_UPDATE, "scope",
	    "scope/0/", out, e);
	if (ret != 0 && strcmp(e->field, "scope.attack-status") == 0)
		snprintf(e->field, sizeof(e->field), "attack-status");
	json_decref(inner);
	return ret;
}

int
ctl_config_build(json_t *set, struct dots_signal **out,
    struct ctl_err *e)
{
	if (!json_is_object(set))
		return ctl_fail(e, "invalid", "set", "set must be an object "
		    "(an RFC 9132 signal-config)");
	return build(SC, set, DOTS_ROLE_CONFIG_REQUEST, "set",
	    "signal-config/", out, e);
}

int
ctl_target_check(const char *target, struct ctl_err *e)
{
	struct dots_prefix p;

	if (dots_prefix_parse(target, &p, NULL) != DOTS_OK)
		return ctl_fail(e, "invalid", "target", "target '%.64s' is "
		    "not a prefix (ADDRESS/LENGTH)", target);
	return 0;
}
