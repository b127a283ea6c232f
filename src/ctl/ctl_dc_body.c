/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The JSON of `dotsctl dc`: the bodies it sends (a registration, an
 * alias, the ACLs of a file, an ACL with another activation-type) and
 * what it reads in the server's answers (the entries of a list, the
 * first error of an ietf-restconf:errors body).  An alias's targets are
 * checked by ctl_scope_build(), with the rules libdots applies to a
 * mitigation's targets, which are those RFC 8783 applies to an alias's.
 * The ACLs of a file are only checked to be ACLs: the server validates
 * them against the YANG modules, and its message says more than we can.
 * No I/O.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl_dc.h"

#define M(x)	CTL_DC_MODULE ":" x

json_t *
ctl_dc_register_body(const char *cuid)
{
	return json_pack("{s:[{s:s}]}", M("dots-client"), "cuid", cuid);
}

/*
 * ctl_scope_build() names the arguments of mitigate; say them as alias
 * add has them.
 */
static void
rename_args(char *err, size_t errlen)
{
	static const struct {
		const char *from, *to;
	} names[] = {
		{ "TARGET", "--prefix" },
		{ "mitigate:", "dc alias add:" },
	};
	char tmp[CTL_ERR_MAX];
	size_t i, n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = strlen(names[i].from);
		if (strncmp(err, names[i].from, n) != 0)
			continue;
		snprintf(tmp, sizeof(tmp), "%s%s", names[i].to, err + n);
		snprintf(err, errlen, "%s", tmp);
		return;
	}
}

json_t *
ctl_dc_alias_body(const struct ctl_dc_req *req, char *err, size_t errlen)
{
	static const char *const members[] = {
		"target-prefix", "target-port-range", "target-protocol",
		"target-fqdn",
	};
	struct ctl_scope_args a;
	struct dots_signal *m;
	json_t *scope, *alias, *v;
	size_t i;

	/* Only the targets: lifetime and the rest are the signal channel's. */
	memset(&a, 0, sizeof(a));
	a.targets = req->alias.targets;
	a.ports = req->alias.ports;
	a.protocols = req->alias.protocols;
	a.fqdns = req->alias.fqdns;
	if ((m = ctl_scope_build(&a, err, errlen)) == NULL) {
		rename_args(err, errlen);
		return NULL;
	}
	scope = ctl_scope_json(m);
	dots_signal_free(m);
	if (scope == NULL || (alias = json_pack("{s:s}", "name",
	    req->name)) == NULL) {
		json_decref(scope);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		if ((v = json_object_get(scope, members[i])) != NULL)
			json_object_set(alias, members[i], v);
	json_decref(scope);
	/* "o" steals the reference to alias */
	v = json_pack("{s:{s:[o]}}", M("aliases"), "alias", alias);
	if (v == NULL)
		snprintf(err, errlen, "out of memory");
	return v;
}

json_t *
ctl_dc_entries(json_t *answer, const char *container, const char *list)
{
	char key[128];
	json_t *v;

	snprintf(key, sizeof(key), M("%s"), container);
	if ((v = json_object_get(answer, key)) != NULL)
		v = json_object_get(v, list);
	else {
		snprintf(key, sizeof(key), M("%s"), list);
		v = json_object_get(answer, key);
	}
	return json_is_array(v) ? v : NULL;
}

json_t *
ctl_dc_acl_file_body(const char *file, const char *text, size_t len,
    char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root, *acls, *acl, *name;
	size_t i;

	if ((root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		snprintf(err, errlen, "--file '%s': not JSON: %s (line %d)",
		    file, jerr.text, jerr.line);
		return NULL;
	}
	if ((acls = ctl_dc_entries(root, "acls", "acl")) == NULL ||
	    json_array_size(acls) == 0) {
		snprintf(err, errlen, "--file '%s': no ACL in it; give "
		    "{\"" M("acls") "\": {\"acl\": [...]}}", file);
		goto fail;
	}
	json_array_foreach(acls, i, acl) {
		name = json_object_get(acl, "name");
		if (!json_is_string(name) || json_string_length(name) == 0) {
			snprintf(err, errlen, "--file '%s': ACL %zu has no "
			    "name", file, i);
			goto fail;
		}
	}
	/* The POST body has the container form, whichever the file had. */
	acls = json_pack("{s:{s:O}}", M("acls"), "acl", acls);
	json_decref(root);
	if (acls == NULL)
		snprintf(err, errlen, "out of memory");
	return acls;
fail:
	json_decref(root);
	return NULL;
}

int
ctl_dc_acl_set_activation(json_t *acls, const char *activation)
{
	json_t *list = ctl_dc_entries(acls, "acls", "acl"), *acl;

	if (list == NULL || json_array_size(list) != 1 ||
	    !json_is_object(acl = json_array_get(list, 0)))
		return -1;
	/* Read-only nodes are not ours to send back. */
	json_object_del(acl, "pending-lifetime");
	json_object_del(acl, "statistics");
	return json_object_set_new(acl, "activation-type",
	    json_string(activation)) == 0 ? 0 : -1;
}

int
ctl_dc_error_get(json_t *errors, const char **tag, const char **message,
    const char **path)
{
	json_t *e;

	e = json_array_get(json_object_get(json_object_get(errors,
	    "ietf-restconf:errors"), "error"), 0);
	if (!json_is_object(e))
		return -1;
	*tag = json_string_value(json_object_get(e, "error-tag"));
	*message = json_string_value(json_object_get(e, "error-message"));
	*path = json_string_value(json_object_get(e, "error-path"));
	return 0;
}
