/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * `dotsctl session set KEY=VALUE...`: the settings become a signal-config
 * body (RFC 9132 section 4.5.2) in JSON, which libdots then decodes and
 * validates as a configuration request, so that a value out of the
 * YANG ranges is refused here, naming the setting.  KEY is a parameter of
 * the session configuration, alone (it sets both mitigating-config and
 * idle-config) or prefixed with "mitigating." or "idle.".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/json.h>
#include <dots/validate.h>

#include "ctl.h"

#define SC_NAME		"ietf-dots-signal-channel:signal-config"

static const struct {
	const char	*name;
	bool		 decimal;	/* fraction-digits 2: "2.00" */
} params[] = {
	{ "heartbeat-interval", false },
	{ "missing-hb-allowed", false },
	{ "max-retransmit", false },
	{ "ack-timeout", true },
	{ "ack-random-factor", true },
	{ "probing-rate", false },
};

static const char *const sets[] = { "mitigating-config", "idle-config" };

static int	set_err(char *err, size_t errlen, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

static int
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A decimal with at most two fraction digits, as RFC 7951 writes it. */
static bool
decimal_ok(const char *v)
{
	const char *dot = strchr(v, '.');
	size_t n = strspn(v, "0123456789");

	if (n == 0 || n > 9)
		return false;
	if (dot == NULL)
		return v[n] == '\0';
	return dot == v + n && strspn(dot + 1, "0123456789") ==
	    strlen(dot + 1) && strlen(dot + 1) >= 1 && strlen(dot + 1) <= 2;
}

/* Add one KEY=VALUE to @p body. */
static int
add_setting(json_t *body, const char *kv, char *err, size_t errlen)
{
	const char *eq = strchr(kv, '='), *key = kv, *v;
	char name[64], dec[16];
	json_t *val, *set;
	size_t i, k, n, which = 3;	/* bit 0: mitigating, 1: idle */
	uint32_t num;

	if (eq == NULL || eq == kv)
		return set_err(err, errlen, "session set: '%s' is not "
		    "KEY=VALUE, e.g. heartbeat-interval=30", kv);
	v = eq + 1;
	if (strncmp(key, "mitigating.", 11) == 0) {
		key += 11;
		which = 1;
	} else if (strncmp(key, "idle.", 5) == 0) {
		key += 5;
		which = 2;
	}
	n = (size_t)(eq - key);
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (strlen(params[i].name) == n &&
		    strncmp(params[i].name, key, n) == 0)
			break;
	if (i == sizeof(params) / sizeof(params[0]))
		return set_err(err, errlen, "session set: unknown setting "
		    "'%.*s'; settings: heartbeat-interval, missing-hb-allowed, "
		    "max-retransmit, ack-timeout, ack-random-factor, "
		    "probing-rate (optionally prefixed with mitigating. or "
		    "idle.)", (int)(eq - kv), kv);
	if (params[i].decimal) {
		if (!decimal_ok(v))
			return set_err(err, errlen, "session set: %.*s: '%s' "
			    "is not a decimal number with at most two "
			    "fraction digits, e.g. 2.00", (int)(eq - kv), kv,
			    v);
		snprintf(dec, sizeof(dec), "%s%s", v, strchr(v, '.') ?
		    (strlen(strchr(v, '.')) == 2 ? "0" : "") : ".00");
		val = json_pack("{s:s}", "current-value-decimal", dec);
	} else {
		if (ctl_parse_u32(v, UINT32_MAX, &num) != 0)
			return set_err(err, errlen, "session set: %.*s: '%s' "
			    "is not a whole number", (int)(eq - kv), kv, v);
		val = json_pack("{s:I}", "current-value", (json_int_t)num);
	}
	if (val == NULL)
		return set_err(err, errlen, "out of memory");
	snprintf(name, sizeof(name), "%s", params[i].name);
	for (k = 0; k < 2; k++) {
		if (!(which & (1u << k)))
			continue;
		set = json_object_get(body, sets[k]);
		if (set == NULL) {
			set = json_object();
			/* json_object_set_new steals set */
			if (set == NULL ||
			    json_object_set_new(body, sets[k], set) != 0)
				goto nomem;
		}
		if (json_object_set(set, name, val) != 0)
			goto nomem;
	}
	json_decref(val);
	return 0;
nomem:
	json_decref(val);
	return set_err(err, errlen, "out of memory");
}

/* The setting a diag path (signal-config/SET/PARAM/...) is about. */
static const char *
setting_of(const struct ctl_strlist *settings, const char *path)
{
	const char *p, *k;
	size_t i, n;

	if ((p = strstr(path, "mitigating-config/")) == NULL &&
	    (p = strstr(path, "idle-config/")) == NULL)
		return NULL;
	p = strchr(p, '/') + 1;
	n = strcspn(p, "/");
	for (i = 0; i < settings->n; i++) {
		k = settings->v[i];
		if (strncmp(k, "mitigating.", 11) == 0)
			k += 11;
		else if (strncmp(k, "idle.", 5) == 0)
			k += 5;
		if (strncmp(k, p, n) == 0 && k[n] == '=')
			return settings->v[i];
	}
	return NULL;
}

/* Let libdots judge the body as a server would. */
static int
check_body(json_t *root, const struct ctl_strlist *settings, char *err,
    size_t errlen)
{
	struct dots_signal *m = NULL;
	struct dots_diag d;
	const char *kv;
	char *text;
	int ret;

	if ((text = json_dumps(root, JSON_COMPACT)) == NULL)
		return set_err(err, errlen, "out of memory");
	ret = dots_json_decode_signal(text, strlen(text), 0, &m, &d);
	free(text);
	if (ret == DOTS_OK)
		ret = dots_validate_signal(m, DOTS_ROLE_CONFIG_REQUEST, &d);
	dots_signal_free(m);
	if (ret == DOTS_OK)
		return 0;
	if ((kv = setting_of(settings, d.error.path)) != NULL)
		return set_err(err, errlen, "session set: %s: %s", kv,
		    d.error.msg);
	return set_err(err, errlen, "session set: %s%s%s", d.error.path,
	    d.error.path[0] ? ": " : "", d.error.msg);
}

json_t *
ctl_session_body(const struct ctl_strlist *settings, char *err,
    size_t errlen)
{
	json_t *root, *body;
	size_t i;

	if ((root = json_object()) == NULL || (body = json_object()) == NULL ||
	    json_object_set_new(root, SC_NAME, body) != 0) {
		set_err(err, errlen, "out of memory");
		goto fail;
	}
	for (i = 0; i < settings->n; i++)
		if (add_setting(body, settings->v[i], err, errlen) != 0)
			goto fail;
	if (check_body(root, settings, err, errlen) != 0)
		goto fail;
	return root;
fail:
	json_decref(root);
	return NULL;
}
