/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A parsed command line as a request of the control protocol
 * (docs/control-protocol.md): `status` is the daemon's `list`, the other
 * commands keep their names.  Only the arguments the user gave are sent,
 * so that the daemon's defaults apply to the rest.
 */
#include <string.h>

#include "ctl.h"

/* json_object_set_new() steals @p v, also on failure. */
static int
put(json_t *o, const char *k, json_t *v)
{
	return v == NULL || json_object_set_new(o, k, v) != 0 ? -1 : 0;
}

static int
put_str(json_t *o, const char *k, const char *v)
{
	return v == NULL ? 0 : put(o, k, json_string(v));
}

json_t *
ctl_req_json(const struct ctl_req *req, json_int_t id,
    const struct dots_signal *scope, json_t *set)
{
	const char *cmd = ctl_cmd_name(req->cmd);
	json_t *o;
	int r = 0;

	if (req->cmd == CTL_CMD_STATUS)
		cmd = "list";
	if ((o = json_object()) == NULL)
		return NULL;
	r |= put(o, "id", json_integer(id));
	r |= put(o, "cmd", json_string(cmd));
	r |= put_str(o, "server", req->server);
	if (req->has_mid)
		r |= put(o, "mid", json_integer(req->mid));
	if (req->has_wait)
		r |= put(o, "wait", json_integer(req->wait));
	switch (req->cmd) {
	case CTL_CMD_MITIGATE:
		r |= put_str(o, "origin", req->origin != NULL ? req->origin :
		    "manual");
		r |= scope == NULL ? -1 :
		    put(o, "scope", ctl_scope_json(scope));
		break;
	case CTL_CMD_EFFICACY:
		r |= put_str(o, "attack-status",
		    dots_attack_status_name(req->attack_status));
		break;
	case CTL_CMD_STATUS:
		if (req->all)
			r |= put(o, "all", json_true());
		break;
	case CTL_CMD_SESSION:
		if (set != NULL)
			r |= put(o, "set", json_incref(set));
		break;
	default:
		break;
	}
	if (r != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}
