/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The data channel's ACLs as the rest of dotsd sees them: read in order
 * for enforcement, looked up and re-activated by the signal channel's
 * acl-list (RFC 9133), and the one notice that they changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dc.h"
#include "dc_int.h"
#include "log.h"

struct foreach_ctx {
	int64_t	  now;
	int	(*cb)(void *, const char *, const char *);
	void	 *arg;
};

static int
foreach_one(void *arg, const char *name, const char *body, int64_t expires)
{
	struct foreach_ctx *fc = arg;

	if (expires <= fc->now)
		return 0;	/* gone at the next tick */
	return fc->cb(fc->arg, name, body);
}

int
dc_acl_foreach(struct dc *dc, const char *cuid, time_t now,
    int (*cb)(void *arg, const char *name, const char *acl), void *arg)
{
	struct foreach_ctx fc = { .now = (int64_t)now, .cb = cb, .arg = arg };

	return dc_store_item_foreach(dc_core_of(dc)->store, DC_ACL, cuid,
	    foreach_one, &fc);
}

int
dc_acl_get(struct dc *dc, const char *cuid, const char *name, time_t now,
    char **acl)
{
	int64_t expires;
	int ret;

	*acl = NULL;
	ret = dc_store_item_get(dc_core_of(dc)->store, DC_ACL, cuid, name,
	    acl, &expires);
	if (ret == 0 && expires <= (int64_t)now) {
		free(*acl);	/* gone at the next tick */
		*acl = NULL;
		ret = 1;
	}
	return ret;
}

int
dc_acl_exists(struct dc *dc, const char *cuid, const char *name,
    char *why, size_t whylen)
{
	int ret = dc_acl_lookup(dc_core_of(dc), cuid, name, why, whylen);

	if (ret == 1 && why[0] == '\0')
		snprintf(why, whylen, "no ACL '%s' on the data channel for "
		    "this client (RFC 9133)", name);
	return ret;
}

static const char *const activation_label[] = {
	[DOTS_ACTIVATION_WHEN_MITIGATING] = "activate-when-mitigating",
	[DOTS_ACTIVATION_IMMEDIATE] = "immediate",
	[DOTS_ACTIVATION_DEACTIVATE] = "deactivate",
};

const char *
dc_activation_name(uint8_t type)
{
	if (type >= sizeof(activation_label) / sizeof(activation_label[0]))
		return NULL;
	return activation_label[type];
}

int
dc_acl_set_activation(struct dc *dc, const char *cuid, const char *name,
    uint8_t type, time_t now)
{
	struct dc_core *c = dc_core_of(dc);
	json_t *acl = NULL;
	char *body = NULL;
	int64_t expires;
	int ret;

	if (type < DOTS_ACTIVATION_WHEN_MITIGATING ||
	    type > DOTS_ACTIVATION_DEACTIVATE)
		return -1;
	ret = dc_store_item_get(c->store, DC_ACL, cuid, name, &body,
	    &expires);
	if (ret != 0)
		return ret;
	acl = json_loads(body, 0, NULL);
	free(body);
	body = NULL;
	ret = -1;
	if (acl == NULL || json_object_set_new(acl, "activation-type",
	    json_string(activation_label[type])) != 0 ||
	    (body = json_dumps(acl, JSON_COMPACT)) == NULL)
		goto out;
	/* the same refresh as a PUT of the ACL (RFC 9133 section 3.2.1) */
	if (dc_store_item_put(c->store, DC_ACL, cuid, name, body,
	    (int64_t)now + c->lifetime) < 0) {
		log_warnx("data channel: ACL '%s' of cuid %s: %s", name, cuid,
		    dc_store_errmsg(c->store));
		goto out;
	}
	dc_core_acl_changed(c, cuid, name);
	ret = 0;
out:
	free(body);
	json_decref(acl);
	return ret;
}

int
dc_client_name(struct dc *dc, const char *cuid, char *name, size_t len)
{
	return dc_store_client_name(dc_core_of(dc)->store, cuid, name, len);
}

int
dc_client_cuids(struct dc *dc, const char *name,
    int (*cb)(void *arg, const char *cuid), void *arg)
{
	return dc_store_client_cuids(dc_core_of(dc)->store, name, cb, arg);
}
