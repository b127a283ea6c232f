/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The scope of `dotsctl mitigate`: TARGET, --port, --protocol and the
 * rest, parsed into a libdots mitigation request with one scope and
 * checked by dots_validate_signal() as a DOTS server would check it.  An
 * error names the argument as the user typed it, never the YANG path, so
 * that the fix is obvious.  The same message goes to the server in
 * --direct mode and, as RFC 9132 JSON, to the daemon.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/json.h>
#include <dots/validate.h>

#include "ctl.h"

#define MS_NAME		"ietf-dots-signal-channel:mitigation-scope"

/* Protocol names users type; anything else is a number 0-255. */
static const struct {
	const char	*name;
	uint8_t		 num;
} protocols[] = {
	{ "icmp", 1 }, { "igmp", 2 }, { "tcp", 6 }, { "udp", 17 },
	{ "gre", 47 }, { "esp", 50 }, { "ah", 51 }, { "icmp6", 58 },
	{ "ipv6-icmp", 58 }, { "icmpv6", 58 }, { "sctp", 132 },
};

static int	scope_err(char *err, size_t errlen, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

static int
scope_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A prefix, or an address taken as a host prefix. */
static int
parse_prefix(const char *opt, const char *s, struct dots_prefix *p,
    char *err, size_t errlen)
{
	struct dots_ipaddr a;
	char canon[64];
	bool host_bits;

	if (strchr(s, '/') == NULL) {
		if (dots_ipaddr_parse(s, &a) != DOTS_OK)
			return scope_err(err, errlen, "%s '%s' is neither an "
			    "IPv4/IPv6 address nor a prefix", opt, s);
		memset(p, 0, sizeof(*p));
		p->family = a.family;
		p->length = a.family == DOTS_AF_INET4 ? 32 : 128;
		memcpy(p->addr, a.addr, sizeof(p->addr));
		return 0;
	}
	if (dots_prefix_parse(s, p, &host_bits) != DOTS_OK)
		return scope_err(err, errlen, "%s '%s' is not a prefix "
		    "(ADDRESS/LENGTH, e.g. 203.0.113.0/24 or 2001:db8::/32)",
		    opt, s);
	if (host_bits) {
		dots_prefix_format(p, canon, sizeof(canon));
		return scope_err(err, errlen, "%s '%s' has host bits set; "
		    "did you mean %s?", opt, s, canon);
	}
	return 0;
}

static int
parse_prefixes(struct dots_signal *m, const char *opt,
    const struct ctl_strlist *l, struct dots_prefix **out, size_t *n,
    char *err, size_t errlen)
{
	size_t i;

	if (l->n == 0)
		return 0;
	if ((*out = dots_signal_alloc(m, l->n * sizeof(**out))) == NULL)
		return scope_err(err, errlen, "out of memory");
	for (i = 0; i < l->n; i++)
		if (parse_prefix(opt, l->v[i], &(*out)[i], err, errlen) != 0)
			return -1;
	*n = l->n;
	return 0;
}

/* Count the comma-separated items of a list of lists. */
static size_t
count_items(const struct ctl_strlist *l)
{
	const char *p;
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		for (n++, p = l->v[i]; (p = strchr(p, ',')) != NULL; p++)
			n++;
	return n;
}

/* The next comma-separated item of *@p s, into @p buf. */
static int
next_item(const char **s, char *buf, size_t len)
{
	size_t n = strcspn(*s, ",");

	if (n >= len) {
		snprintf(buf, len, "%.*s", (int)n, *s);
		return -1;
	}
	memcpy(buf, *s, n);
	buf[n] = '\0';
	*s += (*s)[n] == ',' ? n + 1 : n;
	return 0;
}

/* Items separated by single commas, none empty. */
static bool
list_ok(const char *s)
{
	size_t n = strlen(s);

	return n != 0 && s[0] != ',' && s[n - 1] != ',' &&
	    strstr(s, ",,") == NULL;
}

static int
parse_range(const char *opt, const char *item, struct dots_port_range *r,
    char *err, size_t errlen)
{
	char lo[16], *dash;
	uint32_t a, b;

	if (strlen(item) >= sizeof(lo))
		goto bad;
	strcpy(lo, item);
	if ((dash = strchr(lo, '-')) != NULL)
		*dash = '\0';
	if (ctl_parse_u32(lo, 65535, &a) != 0)
		goto bad;
	memset(r, 0, sizeof(*r));
	r->lower_port = r->upper_port = (uint16_t)a;
	if (dash == NULL)
		return 0;
	if (ctl_parse_u32(dash + 1, 65535, &b) != 0)
		goto bad;
	if (b < a)
		return scope_err(err, errlen, "%s '%s': the range ends below "
		    "its start; write LOW-HIGH", opt, item);
	r->upper_port = (uint16_t)b;
	r->present |= DOTS_PORT_UPPER;
	return 0;
bad:
	return scope_err(err, errlen, "%s '%s' is not a port (0-65535) or a "
	    "range of ports (LOW-HIGH)", opt, item);
}

static int
parse_ports(struct dots_signal *m, const char *opt,
    const struct ctl_strlist *l, struct dots_port_range **out, size_t *n,
    char *err, size_t errlen)
{
	const char *s;
	char item[32];
	size_t i;

	if (l->n == 0)
		return 0;
	*n = 0;
	if ((*out = dots_signal_alloc(m, count_items(l) * sizeof(**out))) ==
	    NULL)
		return scope_err(err, errlen, "out of memory");
	for (i = 0; i < l->n; i++)
		for (s = l->v[i]; ; ) {
			if (!list_ok(l->v[i]) ||
			    next_item(&s, item, sizeof(item)) != 0)
				return scope_err(err, errlen, "%s '%s': give "
				    "ports and ranges separated by commas, "
				    "e.g. 80,443,1000-2000", opt, l->v[i]);
			if (parse_range(opt, item, &(*out)[(*n)++], err,
			    errlen) != 0)
				return -1;
			if (*s == '\0')
				break;
		}
	return 0;
}

static int
parse_protocol(const char *item, uint8_t *out)
{
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
		if (strcmp(item, protocols[i].name) == 0) {
			*out = protocols[i].num;
			return 0;
		}
	if (ctl_parse_u32(item, 255, &v) != 0)
		return -1;
	*out = (uint8_t)v;
	return 0;
}

static int
parse_protocols(struct dots_signal *m, const struct ctl_strlist *l,
    struct dots_target *t, char *err, size_t errlen)
{
	const char *s;
	char item[32] = "";
	size_t i;

	if (l->n == 0)
		return 0;
	if ((t->protocol = dots_signal_alloc(m, count_items(l))) == NULL)
		return scope_err(err, errlen, "out of memory");
	for (i = 0; i < l->n; i++)
		for (s = l->v[i]; ; ) {
			if (!list_ok(l->v[i]) ||
			    next_item(&s, item, sizeof(item)) != 0 ||
			    parse_protocol(item, &t->protocol[t->n_protocol]))
				goto bad;
			t->n_protocol++;
			if (*s == '\0')
				break;
		}
	return 0;
bad:
	return scope_err(err, errlen, "--protocol '%s': '%s' is not a "
	    "protocol (tcp, udp, icmp, icmp6, sctp, gre, esp, ah, or a "
	    "number 0-255)", l->v[i], item);
}

static int
copy_strings(struct dots_signal *m, const char *opt,
    const struct ctl_strlist *l, char ***out, size_t *n, char *err,
    size_t errlen)
{
	size_t i;

	if (l->n == 0)
		return 0;
	if ((*out = dots_signal_alloc(m, l->n * sizeof(**out))) == NULL)
		return scope_err(err, errlen, "out of memory");
	for (i = 0; i < l->n; i++) {
		if (l->v[i][0] == '\0')
			return scope_err(err, errlen, "%s: the value is empty",
			    opt);
		if (((*out)[i] = dots_signal_strdup(m, l->v[i])) == NULL)
			return scope_err(err, errlen, "out of memory");
	}
	*n = l->n;
	return 0;
}

static int
parse_acls(struct dots_signal *m, const struct ctl_strlist *l,
    struct dots_scope *sc, char *err, size_t errlen)
{
	size_t i;

	if (l->n == 0)
		return 0;
	if ((sc->acl_list = dots_signal_alloc(m, l->n *
	    sizeof(*sc->acl_list))) == NULL)
		return scope_err(err, errlen, "out of memory");
	for (i = 0; i < l->n; i++) {
		if (l->v[i][0] == '\0')
			return scope_err(err, errlen, "--acl: the value is "
			    "empty; give the name of an ACL");
		if ((sc->acl_list[i].acl_name = dots_signal_strdup(m,
		    l->v[i])) == NULL)
			return scope_err(err, errlen, "out of memory");
	}
	sc->n_acl_list = l->n;
	return 0;
}

static int
parse_lifetime(const char *s, struct dots_scope *sc, char *err,
    size_t errlen)
{
	uint32_t v;

	sc->present |= DOTS_SCOPE_LIFETIME;
	if (s == NULL) {
		sc->lifetime = DOTS_LIFETIME_DEFAULT;
		return 0;
	}
	if (strcmp(s, "indefinite") == 0 || strcmp(s, "-1") == 0) {
		sc->lifetime = DOTS_LIFETIME_INDEFINITE;
		return 0;
	}
	if (ctl_parse_u32(s, INT32_MAX, &v) != 0)
		return scope_err(err, errlen, "--lifetime '%s' is not a number "
		    "of seconds (1-2147483647) or 'indefinite'", s);
	sc->lifetime = v;
	return 0;
}

/* The argument behind a scope member of the YANG structure. */
static const struct {
	const char	*member;
	const char	*arg;
	size_t		 list;	/* offsetof the strlist, for an index */
} members[] = {
	{ "target-prefix", "TARGET", offsetof(struct ctl_scope_args, targets) },
	{ "target-port-range", "--port", 0 },
	{ "target-protocol", "--protocol", 0 },
	{ "target-fqdn", "--fqdn", offsetof(struct ctl_scope_args, fqdns) },
	{ "target-uri", "--uri", offsetof(struct ctl_scope_args, uris) },
	{ "alias-name", "--alias", offsetof(struct ctl_scope_args, aliases) },
	{ "lifetime", "--lifetime", 0 },
	{ "trigger-mitigation", "--preconfigured", 0 },
	{ "source-prefix", "--source-prefix",
	    offsetof(struct ctl_scope_args, source_prefixes) },
	{ "source-port-range", "--source-port", 0 },
	{ "acl-list", "--acl", offsetof(struct ctl_scope_args, acls) },
};

/*
 * Say which argument a validation error is about: the diag path is
 * mitigation-scope/scope/0/MEMBER[/INDEX][/...].
 */
static int
diag_err(const struct ctl_scope_args *a, const struct dots_diag *d,
    char *err, size_t errlen)
{
	const struct ctl_strlist *l;
	const char *p = strstr(d->error.path, "scope/0/"), *colon;
	char member[64];
	size_t i, n;
	long idx = -1;

	if (p == NULL)
		return scope_err(err, errlen, "mitigate: %s", d->error.msg);
	p += strlen("scope/0/");
	if ((colon = strchr(p, ':')) != NULL && colon < p + strcspn(p, "/"))
		p = colon + 1;	/* module prefix of an augmentation */
	n = strcspn(p, "/");
	if (n >= sizeof(member))
		n = sizeof(member) - 1;
	memcpy(member, p, n);
	member[n] = '\0';
	if (p[n] == '/' && p[n + 1] >= '0' && p[n + 1] <= '9')
		idx = strtol(p + n + 1, NULL, 10);
	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		if (strcmp(members[i].member, member) != 0)
			continue;
		l = (const struct ctl_strlist *)(const void *)
		    ((const char *)a + members[i].list);
		if (members[i].list != 0 || i == 0) {
			if (idx >= 0 && (size_t)idx < l->n)
				return scope_err(err, errlen, "%s '%s': %s",
				    members[i].arg, l->v[idx], d->error.msg);
		}
		return scope_err(err, errlen, "%s: %s", members[i].arg,
		    d->error.msg);
	}
	return scope_err(err, errlen, "mitigate: %s: %s", member,
	    d->error.msg);
}

struct dots_signal *
ctl_scope_build(const struct ctl_scope_args *a, char *err, size_t errlen)
{
	struct dots_signal *m;
	struct dots_scope *sc;
	struct dots_diag d;

	if ((m = dots_signal_new(DOTS_SIG_MITIGATION)) == NULL ||
	    (sc = dots_signal_add_scopes(m, 1)) == NULL) {
		scope_err(err, errlen, "out of memory");
		goto fail;
	}
	if (parse_prefixes(m, "TARGET", &a->targets, &sc->target.prefix,
	    &sc->target.n_prefix, err, errlen) != 0 ||
	    parse_ports(m, "--port", &a->ports, &sc->target.port_range,
	    &sc->target.n_port_range, err, errlen) != 0 ||
	    parse_protocols(m, &a->protocols, &sc->target, err, errlen) != 0 ||
	    copy_strings(m, "--fqdn", &a->fqdns, &sc->target.fqdn,
	    &sc->target.n_fqdn, err, errlen) != 0 ||
	    copy_strings(m, "--uri", &a->uris, &sc->target.uri,
	    &sc->target.n_uri, err, errlen) != 0 ||
	    copy_strings(m, "--alias", &a->aliases, &sc->alias_name,
	    &sc->n_alias_name, err, errlen) != 0 ||
	    parse_prefixes(m, "--source-prefix", &a->source_prefixes,
	    &sc->source_prefix, &sc->n_source_prefix, err, errlen) != 0 ||
	    parse_ports(m, "--source-port", &a->source_ports,
	    &sc->source_port_range, &sc->n_source_port_range, err,
	    errlen) != 0 ||
	    parse_acls(m, &a->acls, sc, err, errlen) != 0 ||
	    parse_lifetime(a->lifetime, sc, err, errlen) != 0)
		goto fail;
	if (a->preconfigured) {
		sc->trigger_mitigation = false;
		sc->present |= DOTS_SCOPE_TRIGGER;
	}
	if (dots_validate_signal(m, DOTS_ROLE_MITIGATION_REQUEST, &d) !=
	    DOTS_OK) {
		diag_err(a, &d, err, errlen);
		goto fail;
	}
	return m;
fail:
	dots_signal_free(m);
	return NULL;
}

json_t *
ctl_scope_json(const struct dots_signal *m)
{
	json_t *root, *scope;
	char *text;
	int ret;

	if ((text = dots_json_encode_signal(m, 0, &ret)) == NULL)
		return NULL;
	root = json_loads(text, 0, NULL);
	free(text);
	scope = json_array_get(json_object_get(json_object_get(root, MS_NAME),
	    "scope"), 0);
	if (!json_is_object(scope)) {
		json_decref(root);
		return NULL;
	}
	json_incref(scope);
	json_decref(root);
	json_object_del(scope, "mid");
	return scope;
}
