/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ACLs in force (acl_force.h).  Per loop turn: the ACLs that changed on
 * the data channel, and all those of clients whose mitigating state
 * flipped, are looked at again; what should be in force is compared with
 * what was handed over, and only the difference goes to the mitigator:
 * apply for a new or changed ACL, withdraw for one no longer in force.
 * A change of one ACL reads that ACL alone, so that writing ACLs does
 * not cost more as a client keeps more of them.
 *
 * The mitigator gets the ACL as stored, except that an ACE without a
 * destination network, which RFC 8783 section 7.3 reads as "every
 * destination of the client's domain", is given the domain's prefixes of
 * its family, one ACE each ("NAME/1", "NAME/2", ...): a mitigator never
 * has to guess what a missing destination means.
 *
 * An ACL's mitigator id is a hash of (cuid, name) above AF_ID_BASE, the
 * same after a restart, so that a mitigator that reconciles its own state
 * finds the same ids.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "acl_force.h"
#include "dc.h"
#include "dotsd.h"
#include "log.h"

/* One ACL handed to a mitigator. */
struct af_entry {
	char		 cuid[CUID_LEN + 1];
	char		*name;
	char		*body;		/* as handed over */
	uint64_t	 id;
	struct backend	*be;
	bool		 keep;		/* still wanted, during a sync */
};

/* A client's mitigating state as last seen. */
struct af_client {
	char	name[MIT_NAME_MAX];
	bool	mitigating;
};

/* To look at again: one ACL, or all of a cuid's (name NULL). */
struct af_dirty {
	char	 cuid[CUID_LEN + 1];
	char	*name;
};

struct acl_force {
	struct dotsd		*d;
	struct af_entry		*v;
	size_t			 n, cap;
	struct af_dirty		*dirty;
	size_t			 ndirty, capdirty;
	struct af_client	*cl;
	size_t			 ncl;
	bool			 all;
};

struct acl_force *
af_new(struct dotsd *d)
{
	struct acl_force *af = calloc(1, sizeof(*af));

	if (af != NULL) {
		af->d = d;
		af->all = true;
	}
	return af;
}

static void
entry_free(struct af_entry *e)
{
	free(e->name);
	free(e->body);
}

static void
dirty_clear(struct acl_force *af)
{
	size_t i;

	for (i = 0; i < af->ndirty; i++)
		free(af->dirty[i].name);
	af->ndirty = 0;
}

void
af_free(struct acl_force *af)
{
	size_t i;

	if (af == NULL)
		return;
	dirty_clear(af);
	for (i = 0; i < af->n; i++)
		entry_free(&af->v[i]);
	free(af->v);
	free(af->dirty);
	free(af->cl);
	free(af);
}

void
af_mark(struct acl_force *af, const char *cuid, const char *name)
{
	struct af_dirty *dt;
	void *bigger;

	if (af->ndirty == af->capdirty) {
		size_t cap = af->capdirty ? af->capdirty * 2 : 8;

		if ((bigger = realloc(af->dirty, cap *
		    sizeof(*af->dirty))) == NULL) {
			af->all = true;	/* look at everyone instead */
			return;
		}
		af->dirty = bigger;
		af->capdirty = cap;
	}
	dt = &af->dirty[af->ndirty];
	snprintf(dt->cuid, sizeof(dt->cuid), "%s", cuid);
	dt->name = NULL;
	if (name != NULL && (dt->name = strdup(name)) == NULL) {
		af->all = true;
		return;
	}
	af->ndirty++;
}

void
af_mark_all(struct acl_force *af)
{
	af->all = true;
}

/* FNV-1a of "cuid\0name", folded into the ids above AF_ID_BASE. */
static uint64_t
acl_id(const char *cuid, const char *name)
{
	uint64_t h = UINT64_C(14695981039346656037);
	const char *s;

	for (s = cuid; ; s++) {
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
		if (*s == '\0')
			break;
	}
	for (s = name; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return AF_ID_BASE | (h & (AF_ID_BASE - 1));
}

static struct af_entry *
find_entry(struct acl_force *af, uint64_t id)
{
	size_t i;

	for (i = 0; i < af->n; i++)
		if (af->v[i].id == id)
			return &af->v[i];
	return NULL;
}

static struct dotsd_client *
find_client(struct dotsd *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nclients; i++)
		if (strcmp(d->clients[i].mc.name, name) == 0)
			return &d->clients[i];
	return NULL;
}

static bool
mitigating(const struct dotsd_client *cl)
{
	return cl->mc.napplied > 0 || cl->mc.signal_lost;
}

/* The family an ACE filters: from its l3 container, else the ACL type. */
static int
ace_family(json_t *ace, const char *type)
{
	json_t *m = json_object_get(ace, "matches");

	if (json_object_get(m, "ipv4") != NULL)
		return DOTS_AF_INET4;
	if (json_object_get(m, "ipv6") != NULL)
		return DOTS_AF_INET6;
	if (type != NULL && strstr(type, "ipv6") != NULL)
		return DOTS_AF_INET6;
	return DOTS_AF_INET4;
}

/*
 * Appends @p ace to @p out, or for an ACE without a destination network
 * one copy per prefix of @p cl's domain in its family.
 */
static int
expand_ace(json_t *out, json_t *ace, const char *type,
    const struct dotsd_client *cl)
{
	int fam = ace_family(ace, type);
	const char *l3 = fam == DOTS_AF_INET4 ? "ipv4" : "ipv6";
	const char *key = fam == DOTS_AF_INET4 ? "destination-ipv4-network" :
	    "destination-ipv6-network";
	json_t *m = json_object_get(ace, "matches"), *copy, *c3;
	const char *name = json_string_value(json_object_get(ace, "name"));
	char px[64], nm[96];
	size_t i, k = 0;

	if (json_object_get(json_object_get(m, l3), key) != NULL)
		return json_array_append(out, ace);
	for (i = 0; i < cl->mc.nprefixes; i++) {
		if (cl->mc.prefixes[i].family != fam ||
		    dots_prefix_format(&cl->mc.prefixes[i], px, sizeof(px)) !=
		    0)
			continue;
		if ((copy = json_deep_copy(ace)) == NULL)
			return -1;
		snprintf(nm, sizeof(nm), "%s/%zu", name ? name : "ace", ++k);
		if ((m = json_object_get(copy, "matches")) == NULL) {
			m = json_object();
			json_object_set_new(copy, "matches", m);
		}
		if ((c3 = json_object_get(m, l3)) == NULL) {
			c3 = json_object();
			json_object_set_new(m, l3, c3);
		}
		if (c3 == NULL ||
		    json_object_set_new(c3, key, json_string(px)) != 0 ||
		    json_object_set_new(copy, "name", json_string(nm)) != 0 ||
		    json_array_append_new(out, copy) != 0)
			return -1;
	}
	return 0;
}

/*
 * The ACL as the mitigator gets it, or NULL if it is not in force (or
 * unreadable, which is logged): with activation-type @p act if not NULL,
 * and its client mitigating (@p mitigates) or not.  **new**
 */
static char *
body_as(const char *name, const char *stored,
    const struct dotsd_client *cl, const char *act, bool mitigates)
{
	json_t *acl = json_loads(stored, 0, NULL), *aces, *ace, *out;
	const char *type;
	char *body = NULL;
	size_t i;

	if (acl == NULL) {
		log_warnx("ACL '%s' of client %s: stored body unreadable",
		    name, cl->mc.name);
		return NULL;
	}
	if (act == NULL)
		act = json_string_value(json_object_get(acl,
		    "activation-type"));
	if (act == NULL)
		act = "activate-when-mitigating";	/* RFC 8783 default */
	if (strcmp(act, "immediate") != 0 &&
	    (strcmp(act, "activate-when-mitigating") != 0 || !mitigates))
		goto out;
	type = json_string_value(json_object_get(acl, "type"));
	aces = json_object_get(json_object_get(acl, "aces"), "ace");
	if ((out = json_array()) == NULL)
		goto out;
	json_array_foreach(aces, i, ace)
		if (expand_ace(out, ace, type, cl) != 0) {
			json_decref(out);
			goto out;
		}
	if (json_object_set_new(json_object_get(acl, "aces"), "ace",
	    out) == 0)
		body = json_dumps(acl, JSON_COMPACT | JSON_SORT_KEYS);
out:
	json_decref(acl);
	return body;
}

/* The ACL in force as stored now. */
static char *
wanted_body(const char *name, const char *stored,
    const struct dotsd_client *cl)
{
	return body_as(name, stored, cl, NULL, mitigating(cl));
}

static void
withdraw(struct acl_force *af, size_t i)
{
	struct af_entry *e = &af->v[i];

	log_info("ACL '%s' of cuid %s: out of force", e->name, e->cuid);
	if (e->be != NULL)
		e->be->ops->withdraw(e->be, e->id);
	entry_free(e);
	af->v[i] = af->v[--af->n];
}

/* Hand @p body over under @p e (new or changed). */
static void
hand_over(struct acl_force *af, struct af_entry *e, const char *client)
{
	struct be_mitigation bm = {
		.id = e->id,
		.cuid = e->cuid,
		.client = client,
		.acl = e->body,
		.lifetime = -1,
	};
	int ret;

	(void)af;
	if (e->be == NULL) {
		log_warnx("ACL '%s' of client %s: the client has no "
		    "mitigator", e->name, client);
		return;
	}
	e->be->refusal[0] = '\0';
	if (e->be->capacity != 0 && e->be->active >= e->be->capacity)
		ret = -ENOSPC;
	else
		ret = e->be->ops->apply(e->be, &bm);
	if (ret != 0)
		log_warnx("ACL '%s' of client %s: mitigator %s refused it: %s",
		    e->name, client, e->be->name, e->be->refusal[0] ?
		    e->be->refusal : strerror(-ret));
	else
		log_info("ACL '%s' of client %s: in force, handed to "
		    "mitigator %s", e->name, client, e->be->name);
}

struct sync_ctx {
	struct acl_force		*af;
	const char			*cuid;
	const struct dotsd_client	*cl;
};

static int
sync_one(void *arg, const char *name, const char *stored)
{
	struct sync_ctx *sc = arg;
	struct acl_force *af = sc->af;
	uint64_t id = acl_id(sc->cuid, name);
	struct af_entry *e = find_entry(af, id);
	char *body = wanted_body(name, stored, sc->cl);
	void *bigger;

	if (body == NULL)
		return 0;
	if (e != NULL && (strcmp(e->cuid, sc->cuid) != 0 ||
	    strcmp(e->name, name) != 0)) {
		log_warnx("ACL '%s' of cuid %s: its id is taken by ACL '%s' "
		    "of cuid %s; rename one of them", name, sc->cuid,
		    e->name, e->cuid);
		free(body);
		return 0;
	}
	if (e != NULL) {
		e->keep = true;
		if (strcmp(e->body, body) == 0) {
			free(body);
			return 0;
		}
		free(e->body);
		e->body = body;
		hand_over(af, e, sc->cl->mc.name);
		return 0;
	}
	if (af->n == af->cap) {
		size_t cap = af->cap ? af->cap * 2 : 16;

		if ((bigger = realloc(af->v, cap * sizeof(*af->v))) == NULL) {
			free(body);
			return -1;
		}
		af->v = bigger;
		af->cap = cap;
	}
	e = &af->v[af->n];
	memset(e, 0, sizeof(*e));
	snprintf(e->cuid, sizeof(e->cuid), "%s", sc->cuid);
	if ((e->name = strdup(name)) == NULL) {
		free(body);
		return -1;
	}
	e->body = body;
	e->id = id;
	e->be = sc->cl->mc.backend;
	e->keep = true;
	af->n++;
	hand_over(af, e, sc->cl->mc.name);
	return 0;
}

/* Does entry @p e stand for ACL @p name of @p cuid (any if NULL)? */
static bool
entry_is(const struct af_entry *e, const char *cuid, const char *name)
{
	return strcmp(e->cuid, cuid) == 0 &&
	    (name == NULL || strcmp(e->name, name) == 0);
}

/*
 * Bring ACL @p name of @p cuid (all of its ACLs if NULL) in force to what
 * is stored, as of @p now.
 */
static void
sync_acls(struct acl_force *af, const char *cuid, const char *name,
    time_t now)
{
	struct sync_ctx sc = { .af = af, .cuid = cuid };
	char client[MIT_NAME_MAX], *acl = NULL;
	size_t i;
	int ret = 0;

	for (i = 0; i < af->n; i++)
		if (entry_is(&af->v[i], cuid, name))
			af->v[i].keep = false;
	if (dc_client_name(af->d->dc, cuid, client, sizeof(client)) == 0 &&
	    (sc.cl = find_client(af->d, client)) != NULL) {
		if (name == NULL)
			ret = dc_acl_foreach(af->d->dc, cuid, now, sync_one,
			    &sc);
		else if ((ret = dc_acl_get(af->d->dc, cuid, name, now,
		    &acl)) == 0)
			ret = sync_one(&sc, name, acl);
		free(acl);
	}
	if (ret < 0) {
		log_warnx("ACLs of cuid %s: cannot be read; those in force "
		    "stay", cuid);
		return;
	}
	for (i = af->n; i-- > 0; )
		if (entry_is(&af->v[i], cuid, name) && !af->v[i].keep)
			withdraw(af, i);
}

static int
mark_cb(void *arg, const char *cuid)
{
	af_mark(arg, cuid, NULL);
	return 0;
}

/* Clients whose mitigating state flipped: their cuids are looked at. */
static void
check_clients(struct acl_force *af)
{
	struct dotsd *d = af->d;
	struct af_client *bigger;
	size_t i;

	if (af->ncl != d->nclients) {	/* first turn, or a reload */
		bigger = realloc(af->cl, d->nclients * sizeof(*bigger));
		if (bigger == NULL && d->nclients != 0)
			return;
		af->cl = bigger;
		af->ncl = d->nclients;
		memset(af->cl, 0, af->ncl * sizeof(*af->cl));
		af->all = true;
	}
	for (i = 0; i < af->ncl; i++) {
		const struct dotsd_client *cl = &d->clients[i];
		bool now = mitigating(cl);

		if (strcmp(af->cl[i].name, cl->mc.name) == 0 &&
		    af->cl[i].mitigating == now)
			continue;
		snprintf(af->cl[i].name, sizeof(af->cl[i].name), "%s",
		    cl->mc.name);
		af->cl[i].mitigating = now;
		if (dc_client_cuids(d->dc, cl->mc.name, mark_cb, af) < 0)
			af->all = true;
	}
}

void
af_turn(struct acl_force *af, time_t now)
{
	size_t i;

	check_clients(af);
	if (af->all) {
		af->all = false;
		for (i = 0; i < af->n; i++)
			af_mark(af, af->v[i].cuid, NULL);
		for (i = 0; i < af->d->nclients; i++)
			dc_client_cuids(af->d->dc, af->d->clients[i].mc.name,
			    mark_cb, af);
	}
	for (i = 0; i < af->ndirty; i++)
		sync_acls(af, af->dirty[i].cuid, af->dirty[i].name, now);
	dirty_clear(af);
}

int
af_check(struct acl_force *af, const char *cuid, const char *name,
    const char *activation, char *why, size_t whylen)
{
	const struct dotsd_client *cl;
	struct be_mitigation bm = { .cuid = cuid, .lifetime = -1 };
	char client[MIT_NAME_MAX], *stored = NULL, *body = NULL;
	int ret = -1;

	if (dc_client_name(af->d->dc, cuid, client, sizeof(client)) != 0 ||
	    (cl = find_client(af->d, client)) == NULL ||
	    dc_acl_get(af->d->dc, cuid, name, time(NULL), &stored) != 0)
		goto out;
	ret = 0;
	body = body_as(name, stored, cl, activation, true);
	if (body == NULL || cl->mc.backend == NULL ||
	    cl->mc.backend->ops->check == NULL)
		goto out;
	bm.id = acl_id(cuid, name);
	bm.client = client;
	bm.acl = body;
	if (cl->mc.backend->ops->check(cl->mc.backend, &bm) != 0) {
		snprintf(why, whylen, "ACL '%s': %s", name,
		    cl->mc.backend->refusal[0] ? cl->mc.backend->refusal :
		    "the mitigator refuses it");
		ret = 1;
	}
out:
	free(stored);
	free(body);
	return ret;
}

void
af_report(struct acl_force *af, const struct be_report *r)
{
	struct af_entry *e = find_entry(af, r->id);

	if (e == NULL)
		return;		/* withdrawn meanwhile */
	if (r->state == BE_FAILED)
		log_warnx("ACL '%s' of cuid %s: the mitigator failed: %s",
		    e->name, e->cuid, r->reason[0] ? r->reason :
		    "no reason given");
	else if (r->state == BE_ACTIVE)
		log_debug("ACL '%s' of cuid %s: enforced", e->name, e->cuid);
}
