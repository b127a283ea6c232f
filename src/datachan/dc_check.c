/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What the YANG modules cannot check about an alias or an ACL, on its
 * canonical form (after dc_yang_check):
 *
 *  - it is the client's: every target-prefix, target-fqdn and
 *    destination network lies within the client's configured domain
 *    (RFC 8783 sections 6.1 and 7.2), and no target is a special-purpose
 *    (loopback, multicast, broadcast) address;
 *  - this server enforces it: only the match fields it advertises in
 *    capabilities (dc_capabilities, built from the same table) are
 *    accepted, and the rules of RFC 8783 that span fields hold
 *    (destination network with "immediate", no IPv6 "df", no "match"
 *    with "any", an l4 container that agrees with the protocol).
 *
 * The match fields are those a Flowspec rule (RFC 8955/8956) can carry,
 * which is how ACLs will be enforced: IP length, protocol, DSCP,
 * prefixes, fragment (and IPv6 flow label), TCP flags, ports and port
 * ranges, ICMP type and code.  Not UDP length (no Flowspec component;
 * RFC 8783 lists it as mandatory to implement: a known gap).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <dots/error.h>

#include "dc_int.h"

struct dc_field {
	const char	*match;		/* member under matches/<l>/ */
	const char	*cap;		/* leaf under capabilities/<l>/ */
	bool		 ok;		/* enforced */
};

struct dc_layer {
	const char		*name;
	const struct dc_field	*fields;
};

static const struct dc_field ipv4_fields[] = {
	{ "dscp", "dscp", true }, { "ecn", "ecn", false },
	{ "length", "length", true }, { "ttl", "ttl", false },
	{ "protocol", "protocol", true }, { "ihl", "ihl", false },
	{ "flags", "flags", false }, { "offset", "offset", false },
	{ "identification", "identification", false },
	{ "source-ipv4-network", "source-prefix", true },
	{ "destination-ipv4-network", "destination-prefix", true },
	{ "fragment", "fragment", true }, { NULL, NULL, false }
};

static const struct dc_field ipv6_fields[] = {
	{ "dscp", "dscp", true }, { "ecn", "ecn", false },
	{ "length", "length", true }, { "ttl", "hoplimit", false },
	{ "protocol", "protocol", true },
	{ "destination-ipv6-network", "destination-prefix", true },
	{ "source-ipv6-network", "source-prefix", true },
	{ "flow-label", "flow-label", true },
	{ "fragment", "fragment", true }, { NULL, NULL, false }
};

static const struct dc_field tcp_fields[] = {
	{ "sequence-number", "sequence-number", false },
	{ "acknowledgement-number", "acknowledgement-number", false },
	{ "data-offset", "data-offset", false },
	{ "reserved", "reserved", false }, { "flags", "flags", false },
	{ "window-size", "window-size", false },
	{ "urgent-pointer", "urgent-pointer", false },
	{ "options", "options", false },
	{ "flags-bitmask", "flags-bitmask", true },
	{ "source-port-range-or-operator", "source-port", true },
	{ "destination-port-range-or-operator", "destination-port", true },
	{ NULL, "port-range", true }, { NULL, NULL, false }
};

static const struct dc_field udp_fields[] = {
	{ "length", "length", false },
	{ "source-port-range-or-operator", "source-port", true },
	{ "destination-port-range-or-operator", "destination-port", true },
	{ NULL, "port-range", true }, { NULL, NULL, false }
};

static const struct dc_field icmp_fields[] = {
	{ "type", "type", true }, { "code", "code", true },
	{ "rest-of-header", "rest-of-header", false }, { NULL, NULL, false }
};

static const struct dc_layer dc_layers[] = {
	{ "ipv4", ipv4_fields }, { "ipv6", ipv6_fields },
	{ "tcp", tcp_fields }, { "udp", udp_fields },
	{ "icmp", icmp_fields },
};

#define NLAYERS	(sizeof(dc_layers) / sizeof(dc_layers[0]))

/* Special-purpose ranges no target may touch (as for the signal channel). */
static const struct {
	const char	*text;
	const char	*what;
} dc_special[] = {
	{ "127.0.0.0/8", "loopback" },
	{ "224.0.0.0/4", "multicast" },
	{ "255.255.255.255/32", "broadcast" },
	{ "::1/128", "loopback" },
	{ "ff00::/8", "multicast" },
	{ "::ffff:127.0.0.0/104", "loopback" },
	{ "::ffff:224.0.0.0/100", "multicast" },
	{ "::ffff:255.255.255.255/128", "broadcast" },
};

json_t *
dc_capabilities(void)
{
	json_t *caps, *l;
	size_t i, k;

	/* json_pack's "s"/"b"/"i" make new values owned by the result */
	caps = json_pack("{s:[s,s],s:[s,s],s:b,s:[i,i,i,i]}",
	    "address-family", "ipv4", "ipv6",
	    "forwarding-actions", DC_ACL_MOD ":drop", DC_ACL_MOD ":accept",
	    "rate-limit", 1,
	    "transport-protocols", 1, 6, 17, 58);
	if (caps == NULL)
		return NULL;
	for (i = 0; i < NLAYERS; i++) {
		l = json_object();
		for (k = 0; dc_layers[i].fields[k].cap != NULL; k++)
			json_object_set_new(l, dc_layers[i].fields[k].cap,
			    json_boolean(dc_layers[i].fields[k].ok));
		json_object_set_new(caps, dc_layers[i].name, l);
	}
	return caps;
}

/* Whether @p p lies in the client's domain; else a 400 in @p e. */
static int
in_domain(const struct dc_peer *peer, const char *field, const char *text,
    struct dc_error *e)
{
	struct dots_prefix p, sp;
	size_t i;

	if (dots_prefix_parse(text, &p, NULL) != DOTS_OK)
		return dc_error_set(e, 400, "invalid-value", "%s: '%s' is not "
		    "a prefix", field, text);
	for (i = 0; i < sizeof(dc_special) / sizeof(dc_special[0]); i++) {
		dots_prefix_parse(dc_special[i].text, &sp, NULL);
		if (dots_prefix_overlaps(&p, &sp))
			return dc_error_set(e, 400, "invalid-value", "%s: %s "
			    "covers %s addresses (%s)", field, text,
			    dc_special[i].what, dc_special[i].text);
	}
	for (i = 0; i < peer->nprefixes; i++)
		if (dots_prefix_contains(&peer->prefixes[i], &p))
			return 0;
	return dc_error_set(e, 400, "invalid-value", "%s: %s is outside the "
	    "domain of client %s", field, text, peer->name);
}

int
dc_check_alias(const struct dc_peer *peer, json_t *alias, struct dc_error *e)
{
	const char *name = json_string_value(json_object_get(alias, "name"));
	json_t *pfx = json_object_get(alias, "target-prefix");
	json_t *fqdn = json_object_get(alias, "target-fqdn");
	json_t *v;
	size_t i, k;
	int ret;

	if (json_object_get(alias, "target-uri") != NULL)
		return dc_error_set(e, 400, "invalid-value", "alias %s: "
		    "target-uri is not supported by this server", name);
	if (json_array_size(pfx) == 0 && json_array_size(fqdn) == 0)
		return dc_error_set(e, 400, "missing-attribute", "alias %s: "
		    "needs a target-prefix, target-fqdn or target-uri (RFC "
		    "8783 6.1)", name);
	json_array_foreach(pfx, i, v)
		if ((ret = in_domain(peer, "target-prefix",
		    json_string_value(v), e)) != 0)
			return ret;
	json_array_foreach(fqdn, i, v) {
		const char *f = json_string_value(v);
		size_t fl = strlen(f);

		if (fl > 0 && f[fl - 1] == '.')
			fl--;
		for (k = 0; k < peer->nfqdns; k++)
			if (strlen(peer->fqdns[k]) == fl &&
			    strncasecmp(peer->fqdns[k], f, fl) == 0)
				break;
		if (k == peer->nfqdns)
			return dc_error_set(e, 400, "invalid-value", "alias "
			    "%s: target-fqdn %s is not one of client %s's",
			    name, f, peer->name);
	}
	return 0;
}

static const struct dc_field *
field_of(const struct dc_layer *l, const char *member)
{
	size_t k;

	for (k = 0; l->fields[k].cap != NULL; k++)
		if (l->fields[k].match != NULL &&
		    strcmp(l->fields[k].match, member) == 0)
			return &l->fields[k];
	return NULL;
}

/* The members of one matches/<layer> container, against the table. */
static int
check_layer(const char *acl, const char *ace, const struct dc_layer *l,
    json_t *m, struct dc_error *e)
{
	const struct dc_field *f;
	const char *key;
	json_t *v;

	json_object_foreach(m, key, v) {
		f = field_of(l, key);
		if (f == NULL || !f->ok)
			return dc_error_set(e, 400, "invalid-value", "acl %s, "
			    "ace %s: matching on %s/%s is not supported by "
			    "this server (see capabilities)", acl, ace,
			    l->name, key);
	}
	return 0;
}

static bool
word_in(const char *list, const char *w)
{
	size_t n = strlen(w);
	const char *p = list;

	while (list != NULL && (p = strstr(p, w)) != NULL) {
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ' '))
			return true;
		p += n;
	}
	return false;
}

static int
check_ace(const struct dc_peer *peer, const char *acl, bool immediate,
    json_t *ace, struct dc_error *e)
{
	const char *name = json_string_value(json_object_get(ace, "name"));
	const char *fwd = json_string_value(json_object_get(
	    json_object_get(ace, "actions"), "forwarding"));
	json_t *m = json_object_get(ace, "matches"), *l3 = NULL, *dst = NULL;
	json_t *proto, *op;
	const char *l3name = NULL, *l4name = NULL;
	size_t i;
	int ret;

	if (fwd != NULL && strcmp(fwd, DC_ACL_MOD ":accept") != 0 &&
	    strcmp(fwd, DC_ACL_MOD ":drop") != 0)
		return dc_error_set(e, 400, "invalid-value", "acl %s, ace %s: "
		    "forwarding %s is not supported (DOTS: accept or drop, "
		    "RFC 8783 7.1)", acl, name, fwd);
	for (i = 0; i < NLAYERS; i++) {
		json_t *lm = json_object_get(m, dc_layers[i].name);

		if (lm == NULL)
			continue;
		if ((ret = check_layer(acl, name, &dc_layers[i], lm, e)) != 0)
			return ret;
		if (i < 2) {
			l3 = lm;
			l3name = dc_layers[i].name;
		} else
			l4name = dc_layers[i].name;
	}
	if (l3 != NULL) {
		dst = json_object_get(l3, strcmp(l3name, "ipv4") == 0 ?
		    "destination-ipv4-network" : "destination-ipv6-network");
		if (dst != NULL && (ret = in_domain(peer, "destination "
		    "network", json_string_value(dst), e)) != 0)
			return ret;
		op = json_object_get(json_object_get(l3, "fragment"), "type");
		if (strcmp(l3name, "ipv6") == 0 && op != NULL &&
		    word_in(json_string_value(op), "df"))
			return dc_error_set(e, 400, "invalid-value", "acl %s, "
			    "ace %s: fragment type df does not exist in IPv6 "
			    "(RFC 8783 7.1)", acl, name);
		op = json_object_get(json_object_get(l3, "fragment"),
		    "operator");
		if (op != NULL && word_in(json_string_value(op), "match") &&
		    word_in(json_string_value(op), "any"))
			return dc_error_set(e, 400, "invalid-value", "acl %s, "
			    "ace %s: fragment operator has both match and "
			    "any", acl, name);
		proto = json_object_get(l3, "protocol");
		if (proto != NULL && l4name != NULL &&
		    ((strcmp(l4name, "tcp") == 0 &&
		    json_integer_value(proto) != 6) ||
		    (strcmp(l4name, "udp") == 0 &&
		    json_integer_value(proto) != 17) ||
		    (strcmp(l4name, "icmp") == 0 &&
		    json_integer_value(proto) != 1 &&
		    json_integer_value(proto) != 58)))
			return dc_error_set(e, 400, "invalid-value", "acl %s, "
			    "ace %s: protocol %lld does not agree with the %s "
			    "match", acl, name,
			    (long long)json_integer_value(proto), l4name);
	}
	op = json_object_get(json_object_get(json_object_get(m, "tcp"),
	    "flags-bitmask"), "operator");
	if (op != NULL && word_in(json_string_value(op), "match") &&
	    word_in(json_string_value(op), "any"))
		return dc_error_set(e, 400, "invalid-value", "acl %s, ace %s: "
		    "flags-bitmask operator has both match and any", acl,
		    name);
	if (immediate && dst == NULL)
		return dc_error_set(e, 400, "missing-attribute", "acl %s, ace "
		    "%s: an ACL activated immediately needs a destination "
		    "network in each ACE (RFC 8783 7.2)", acl, name);
	return 0;
}

int
dc_check_acl(const struct dc_peer *peer, json_t *acl, struct dc_error *e)
{
	const char *name = json_string_value(json_object_get(acl, "name"));
	const char *act = json_string_value(json_object_get(acl,
	    "activation-type"));
	json_t *aces = json_object_get(json_object_get(acl, "aces"), "ace");
	json_t *ace;
	bool immediate = act != NULL && strcmp(act, "immediate") == 0;
	size_t i;
	int ret;

	json_array_foreach(aces, i, ace)
		if ((ret = check_ace(peer, name, immediate, ace, e)) != 0)
			return ret;
	return 0;
}
