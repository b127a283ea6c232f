/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Aliases for the signal channel.  A mitigation request may name aliases
 * (alias-name, RFC 9132 section 4.4.1) that its client created over the
 * data channel (RFC 8783 section 6.1); the mitigation engine asks here
 * for their targets rather than reading the store itself.  An alias is
 * found only under the cuid that asks, so another client's alias is no
 * different from one that does not exist, and one past its lifetime is
 * gone even if the once-a-second expiry has not removed it yet.
 *
 * The stored body is libyang's canonical JSON of the alias (dc_rest.c),
 * so it is read as such: target-prefix as "address/length" strings,
 * target-port-range as {lower-port, upper-port}, target-protocol as
 * numbers, target-fqdn and target-uri as strings.  What is found is
 * appended to a scope's targets, in the arena of the message that holds
 * it, without repeating what is already there.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <dots/error.h>

#include "dc_int.h"

/* A copy of @p arr (@p n entries of @p size) with room for @p add more. */
static void *
grow(struct dots_signal *m, void *arr, size_t n, size_t add, size_t size)
{
	void *bigger;

	if ((bigger = dots_signal_alloc(m, (n + add) * size)) == NULL)
		return NULL;
	if (n != 0)
		memcpy(bigger, arr, n * size);
	return bigger;
}

static int
add_prefixes(struct dots_signal *m, struct dots_target *t, json_t *arr)
{
	struct dots_prefix p, *v;
	json_t *it;
	size_t i, k;

	if (json_array_size(arr) == 0)
		return 0;
	v = grow(m, t->prefix, t->n_prefix, json_array_size(arr), sizeof(*v));
	if (v == NULL)
		return -1;
	t->prefix = v;
	json_array_foreach(arr, i, it) {
		if (!json_is_string(it) || dots_prefix_parse(
		    json_string_value(it), &p, NULL) != DOTS_OK)
			return -1;
		for (k = 0; k < t->n_prefix; k++)
			if (dots_prefix_contains(&v[k], &p) &&
			    dots_prefix_contains(&p, &v[k]))
				break;
		if (k == t->n_prefix)
			v[t->n_prefix++] = p;
	}
	return 0;
}

static int
add_ports(struct dots_signal *m, struct dots_target *t, json_t *arr)
{
	struct dots_port_range r, *v;
	json_t *it, *lo, *up;
	size_t i, k;

	if (json_array_size(arr) == 0)
		return 0;
	v = grow(m, t->port_range, t->n_port_range, json_array_size(arr),
	    sizeof(*v));
	if (v == NULL)
		return -1;
	t->port_range = v;
	json_array_foreach(arr, i, it) {
		lo = json_object_get(it, "lower-port");
		up = json_object_get(it, "upper-port");
		if (!json_is_integer(lo) || (up != NULL && !json_is_integer(up)))
			return -1;
		memset(&r, 0, sizeof(r));
		r.lower_port = (uint16_t)json_integer_value(lo);
		r.upper_port = r.lower_port;
		if (up != NULL) {
			r.present = DOTS_PORT_UPPER;
			r.upper_port = (uint16_t)json_integer_value(up);
		}
		for (k = 0; k < t->n_port_range; k++)
			if (v[k].lower_port == r.lower_port &&
			    v[k].upper_port == r.upper_port)
				break;
		if (k == t->n_port_range)
			v[t->n_port_range++] = r;
	}
	return 0;
}

static int
add_protocols(struct dots_signal *m, struct dots_target *t, json_t *arr)
{
	uint8_t *v, proto;
	json_t *it;
	size_t i, k;

	if (json_array_size(arr) == 0)
		return 0;
	v = grow(m, t->protocol, t->n_protocol, json_array_size(arr),
	    sizeof(*v));
	if (v == NULL)
		return -1;
	t->protocol = v;
	json_array_foreach(arr, i, it) {
		if (!json_is_integer(it))
			return -1;
		proto = (uint8_t)json_integer_value(it);
		for (k = 0; k < t->n_protocol; k++)
			if (v[k] == proto)
				break;
		if (k == t->n_protocol)
			v[t->n_protocol++] = proto;
	}
	return 0;
}

/* FQDNs compare without case, URIs exactly. */
static int
add_strings(struct dots_signal *m, char ***list, size_t *n, json_t *arr,
    bool nocase)
{
	char **v, *s;
	const char *text;
	json_t *it;
	size_t i, k;

	if (json_array_size(arr) == 0)
		return 0;
	if ((v = grow(m, *list, *n, json_array_size(arr), sizeof(*v))) ==
	    NULL)
		return -1;
	*list = v;
	json_array_foreach(arr, i, it) {
		if ((text = json_string_value(it)) == NULL)
			return -1;
		for (k = 0; k < *n; k++)
			if ((nocase ? strcasecmp(v[k], text) :
			    strcmp(v[k], text)) == 0)
				break;
		if (k < *n)
			continue;
		if ((s = dots_signal_strdup(m, text)) == NULL)
			return -1;
		v[(*n)++] = s;
	}
	return 0;
}

int
dc_core_alias_targets(struct dc_core *c, const char *cuid, const char *name,
    time_t now, struct dots_signal *m, struct dots_target *out)
{
	json_t *alias;
	char *body;
	int64_t expires;
	int ret;

	ret = dc_store_item_get(c->store, DC_ALIAS, cuid, name, &body,
	    &expires);
	if (ret != 0)
		return ret;
	if (expires <= (int64_t)now) {
		free(body);
		return 1;
	}
	alias = json_loads(body, 0, NULL);
	free(body);
	if (!json_is_object(alias)) {
		json_decref(alias);
		return -1;
	}
	ret = add_prefixes(m, out, json_object_get(alias, "target-prefix"));
	if (ret == 0)
		ret = add_ports(m, out, json_object_get(alias,
		    "target-port-range"));
	if (ret == 0)
		ret = add_protocols(m, out, json_object_get(alias,
		    "target-protocol"));
	if (ret == 0)
		ret = add_strings(m, &out->fqdn, &out->n_fqdn,
		    json_object_get(alias, "target-fqdn"), true);
	if (ret == 0)
		ret = add_strings(m, &out->uri, &out->n_uri,
		    json_object_get(alias, "target-uri"), false);
	json_decref(alias);
	return ret;
}
