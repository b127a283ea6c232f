/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Draft-era spellings of data-channel content, accepted on input and
 * rewritten to the standard form before validation (so that what is
 * stored, and every answer, is standard).  Exactly these, found in the
 * examples of draft-hayashi-dots-dms-offload and in early data-channel
 * drafts:
 *
 *  - identities without their module: "type": "ipv4-acl-type" and
 *    "forwarding": "drop".  Both leaves belong to ietf-dots-data-channel
 *    and the identities to ietf-access-control-list, so RFC 7951
 *    section 6.8 wants "ietf-access-control-list:drop";
 *  - "source-port" and "destination-port" under "tcp" and "udp": the
 *    RFC 8519 names; RFC 8783 calls the containers
 *    "source-port-range-or-operator" and
 *    "destination-port-range-or-operator".
 *
 * (The third, "acl-list" without "ietf-dots-signal-control:", is a
 * signal-channel spelling; libdots accepts it, DOTS_JSON_LENIENT.)
 * Nothing else is guessed: any other deviation goes to libyang and is
 * refused with its message.
 */
#include <stdio.h>
#include <string.h>

#include "dc_int.h"

static void
note_add(char *note, size_t notelen, unsigned *n, const char *fmt,
    const char *a, const char *b)
{
	size_t used;

	(*n)++;
	if (note == NULL || notelen == 0)
		return;
	used = strlen(note);
	if (used + 1 >= notelen)
		return;
	if (used > 0)
		used += (size_t)snprintf(note + used, notelen - used, "; ");
	if (used < notelen)
		snprintf(note + used, notelen - used, fmt, a, b);
}

/* An identity value without a module name: add ietf-access-control-list. */
static void
fix_identity(json_t *obj, const char *key, const char *where, char *note,
    size_t notelen, unsigned *n)
{
	json_t *v = json_object_get(obj, key);
	char buf[128];

	if (!json_is_string(v) || strchr(json_string_value(v), ':') != NULL ||
	    json_string_length(v) > 64)
		return;
	snprintf(buf, sizeof(buf), DC_ACL_MOD ":%s", json_string_value(v));
	note_add(note, notelen, n, "%s \"%s\" without its module "
	    "(RFC 7951 6.8)", where, json_string_value(v));
	/* json_string() is a new reference, which json_object_set_new
	 * steals */
	json_object_set_new(obj, key, json_string(buf));
}

static void
fix_port(json_t *l4, const char *old, const char *std, char *note,
    size_t notelen, unsigned *n)
{
	json_t *v = json_object_get(l4, old);

	if (v == NULL || json_object_get(l4, std) != NULL)
		return;
	note_add(note, notelen, n, "'%s' for '%s'", old, std);
	json_incref(v);		/* kept across the deletion */
	json_object_del(l4, old);
	json_object_set_new(l4, std, v);
}

static void
fix_ace(json_t *ace, char *note, size_t notelen, unsigned *n)
{
	json_t *m = json_object_get(ace, "matches");
	const char *l4names[] = { "tcp", "udp" };
	size_t i;

	fix_identity(json_object_get(ace, "actions"), "forwarding",
	    "forwarding", note, notelen, n);
	for (i = 0; json_is_object(m) && i < 2; i++) {
		json_t *l4 = json_object_get(m, l4names[i]);

		if (!json_is_object(l4))
			continue;
		fix_port(l4, "source-port", "source-port-range-or-operator",
		    note, notelen, n);
		fix_port(l4, "destination-port",
		    "destination-port-range-or-operator", note, notelen, n);
	}
}

unsigned
dc_lenient_fix(json_t *items, enum dc_kind kind, char *note, size_t notelen)
{
	json_t *acl, *aces, *ace;
	size_t i, k;
	unsigned n = 0;

	if (note != NULL && notelen > 0)
		note[0] = '\0';
	if (kind != DC_ACL || !json_is_array(items))
		return 0;
	json_array_foreach(items, i, acl) {
		if (!json_is_object(acl))
			continue;
		fix_identity(acl, "type", "type", note, notelen, &n);
		aces = json_object_get(json_object_get(acl, "aces"), "ace");
		json_array_foreach(aces, k, ace)
			if (json_is_object(ace))
				fix_ace(ace, note, notelen, &n);
	}
	return n;
}
