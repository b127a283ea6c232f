/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Mitigation engine: RFC 9132 section 4.4 without the CoAP.  A request
 * that passed libdots' decoding and validation is authorized against the
 * client's domain and rate, compared with the client's other requests
 * (refresh of the same mid, efficacy update, overlap with a higher or lower
 * mid) and with other clients' (conflict), then stored and handed to the
 * client's mitigator.  Status changes come back from the mitigator and the
 * timers, are stored, and are announced through the change callback so the
 * glue can notify observers.
 *
 * A mitigation is found in constant time by (cuid, mid) and by id, a
 * cuid's mitigations are listed together, each client's are counted, and
 * overlapping requests are found through the target indexes of
 * mit_index.c: a request costs the same whatever else the server holds.
 * Only the once-a-second timer walks every mitigation.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <dots/cbor.h>

#include "log.h"
#include "mit.h"

#define MIT_ABT_MAX	300	/* longest active-but-terminating period */
#define MIT_MID_RESET	3221225471u /* 3/4 of 2^32 - 1: clients restart */
#define MIT_MID_LOW	1073741823u /* 1/4 of it: mids after a restart */

/* The mitigations of one cuid, for GET-all. */
struct mit_cuid {
	struct mi_hnode		 hn;		/* first: hn is the node */
	struct mitigation	*head;		/* newest first */
	unsigned		 n;
	char			 cuid[MIT_ID_MAX + 1];
};

struct mit_engine {
	struct store		*store;
	struct mit_params	 params;
	mit_change_fn		 changed;
	void			*changed_arg;
	struct mitigation	*list;		/* all, newest first */
	uint64_t		 next_id;
	uint64_t		 gen;		/* overlap search stamp */
	struct mi_hash		 by_key;	/* (cuid, mid) */
	struct mi_hash		 by_id;
	struct mi_hash		 cuids;
	/* target keys: what may overlap */
	struct mi_trie		 prefixes;
	struct mi_strset	 fqdns;		/* case-insensitive */
	struct mi_strset	 uris;
	/* alias-name lookups */
	mit_alias_fn		 alias_fn;
	void			*alias_arg;
	mit_acl_check_fn	 acl_check;	/* NULL: no data channel */
	mit_acl_set_fn		 acl_set;
	void			*acl_arg;
};

/* A growing array of mitigations. */
struct mvec {
	struct mitigation	**v;
	size_t			  n, cap;
};

/* The scope as the client sent it: what is stored and shown. */
static struct dots_scope *
scope_of(const struct mitigation *m)
{
	return &m->req->mitigation.scope[0];
}

/*
 * The scope with its aliases expanded: what is authorized, enforced and
 * compared with other requests.
 */
static struct dots_scope *
targets_of(const struct mitigation *m)
{
	return m->eff != NULL ? &m->eff->mitigation.scope[0] : scope_of(m);
}

void
mit_result_clear(struct mit_result *res)
{
	memset(res, 0, sizeof(*res));
}

static void
result(struct mit_result *res, int code, const char *diag)
{
	res->code = code;
	snprintf(res->diag, sizeof(res->diag), "%s", diag ? diag : "");
}

static int
mvec_push(struct mvec *mv, struct mitigation *m)
{
	struct mitigation **bigger;
	size_t cap;

	if (mv->n == mv->cap) {
		cap = mv->cap ? mv->cap * 2 : 16;
		if ((bigger = realloc(mv->v, cap * sizeof(*bigger))) == NULL)
			return -1;
		mv->v = bigger;
		mv->cap = cap;
	}
	mv->v[mv->n++] = m;
	return 0;
}

static void
mvec_free(struct mvec *mv)
{
	free(mv->v);
	memset(mv, 0, sizeof(*mv));
}

static int
by_id_order(const void *a, const void *b)
{
	const struct mitigation *ma = *(struct mitigation *const *)a;
	const struct mitigation *mb = *(struct mitigation *const *)b;

	return ma->id < mb->id ? -1 : ma->id > mb->id;
}

struct mit_engine *
mit_engine_new(struct store *st, const struct mit_params *p, mit_change_fn cb,
    void *cb_arg)
{
	struct mit_engine *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return NULL;
	e->store = st;
	e->params = *p;
	e->changed = cb;
	e->changed_arg = cb_arg;
	e->next_id = 1;
	mi_trie_init(&e->prefixes);
	if (mi_hash_init(&e->by_key) != 0 || mi_hash_init(&e->by_id) != 0 ||
	    mi_hash_init(&e->cuids) != 0 ||
	    mi_strset_init(&e->fqdns, true) != 0 ||
	    mi_strset_init(&e->uris, false) != 0) {
		mit_engine_free(e);
		return NULL;
	}
	return e;
}

static void
mitigation_free(struct mitigation *m)
{
	if (m == NULL)
		return;
	dots_signal_free(m->req);
	dots_signal_free(m->eff);
	free(m->ix);
	free(m->cf_prefix);
	free(m->cf_fqdn);
	free(m);
}

void
mit_engine_free(struct mit_engine *e)
{
	struct mitigation *m, *next;
	struct mi_hnode *hn, *hnext;
	size_t i;

	if (e == NULL)
		return;
	for (m = e->list; m != NULL; m = next) {
		next = m->next;
		m->client->nmit--;
		mitigation_free(m);
	}
	for (i = 0; i < e->cuids.nbucket; i++)
		for (hn = e->cuids.bucket[i]; hn != NULL; hn = hnext) {
			hnext = hn->next;
			free(hn);
		}
	mi_hash_free(&e->by_key);
	mi_hash_free(&e->by_id);
	mi_hash_free(&e->cuids);
	mi_trie_free(&e->prefixes);
	mi_strset_free(&e->fqdns);
	mi_strset_free(&e->uris);
	free(e);
}

void
mit_engine_set_aliases(struct mit_engine *e, mit_alias_fn fn, void *arg)
{
	e->alias_fn = fn;
	e->alias_arg = arg;
}

void
mit_engine_set_acls(struct mit_engine *e, mit_acl_check_fn check,
    mit_acl_set_fn set, void *arg)
{
	e->acl_check = check;
	e->acl_set = set;
	e->acl_arg = arg;
}

static uint64_t
key_hash(const char *cuid, uint32_t mid)
{
	return mi_hash_u64(mi_hash_str(cuid, false) + mid);
}

static struct mitigation *
find_mitigation(struct mit_engine *e, const char *cuid, uint32_t mid)
{
	struct mi_hnode *hn;
	struct mitigation *m;

	for (hn = mi_hash_first(&e->by_key, key_hash(cuid, mid)); hn != NULL;
	    hn = mi_hash_next(hn)) {
		m = (struct mitigation *)((char *)hn -
		    offsetof(struct mitigation, by_key));
		if (m->mid == mid && strcmp(m->cuid, cuid) == 0)
			return m;
	}
	return NULL;
}

static struct mitigation *
find_by_id(struct mit_engine *e, uint64_t id)
{
	struct mi_hnode *hn;
	struct mitigation *m;

	for (hn = mi_hash_first(&e->by_id, mi_hash_u64(id)); hn != NULL;
	    hn = mi_hash_next(hn)) {
		m = (struct mitigation *)((char *)hn -
		    offsetof(struct mitigation, by_id));
		if (m->id == id)
			return m;
	}
	return NULL;
}

static struct mit_cuid *
find_cuid(struct mit_engine *e, const char *cuid)
{
	struct mi_hnode *hn;

	for (hn = mi_hash_first(&e->cuids, mi_hash_str(cuid, false));
	    hn != NULL; hn = mi_hash_next(hn))
		if (strcmp(((struct mit_cuid *)hn)->cuid, cuid) == 0)
			return (struct mit_cuid *)hn;
	return NULL;
}

const struct mitigation *
mit_find(struct mit_engine *e, const char *cuid, uint32_t mid)
{
	return find_mitigation(e, cuid, mid);
}

unsigned
mit_count(struct mit_engine *e, const struct mit_client *cl)
{
	(void)e;
	return cl->nmit;
}

int
mit_foreach(struct mit_engine *e,
    int (*cb)(void *arg, const struct mitigation *m), void *arg)
{
	const struct mitigation *m;
	int ret;

	for (m = e->list; m != NULL; m = m->next)
		if ((ret = cb(arg, m)) != 0)
			return ret;
	return 0;
}

/* Lists and indexes ---------------------------------------------------- */

/*
 * One index entry per target key: prefixes, FQDNs, URIs, of the expanded
 * scope (aliases are indexed by what they stand for, not by name).
 */
static int
index_targets(struct mit_engine *e, struct mitigation *m)
{
	const struct dots_scope *s = targets_of(m);
	struct mi_entry *ix;
	size_t i, n = 0;
	int ret = 0;

	m->nix = s->target.n_prefix + s->target.n_fqdn + s->target.n_uri;
	if ((m->ix = ix = calloc(m->nix ? m->nix : 1, sizeof(*ix))) == NULL)
		return -1;
	for (i = 0; ret == 0 && i < s->target.n_prefix; i++)
		ret = mi_trie_insert(&e->prefixes, &s->target.prefix[i],
		    &ix[n++], m);
	for (i = 0; ret == 0 && i < s->target.n_fqdn; i++)
		ret = mi_strset_insert(&e->fqdns, s->target.fqdn[i],
		    &ix[n++], m);
	for (i = 0; ret == 0 && i < s->target.n_uri; i++)
		ret = mi_strset_insert(&e->uris, s->target.uri[i], &ix[n++],
		    m);
	return ret;
}

/* Entries never inserted have no key and are skipped. */
static void
unindex_targets(struct mit_engine *e, struct mitigation *m)
{
	const struct dots_scope *s = targets_of(m);
	struct mi_entry *ix = m->ix;
	size_t i, n = 0;

	if (ix == NULL)
		return;
	for (i = 0; i < s->target.n_prefix; i++)
		mi_trie_remove(&e->prefixes, &ix[n++]);
	for (i = 0; i < s->target.n_fqdn; i++)
		mi_strset_remove(&e->fqdns, &ix[n++]);
	for (i = 0; i < s->target.n_uri; i++)
		mi_strset_remove(&e->uris, &ix[n++]);
	free(m->ix);
	m->ix = NULL;
	m->nix = 0;
}

/* Make @p m known: lists, hash tables, target indexes.  0 or -1. */
static int
link_mitigation(struct mit_engine *e, struct mitigation *m)
{
	struct mit_cuid *c = find_cuid(e, m->cuid);

	if (c == NULL) {
		if ((c = calloc(1, sizeof(*c))) == NULL)
			return -1;
		snprintf(c->cuid, sizeof(c->cuid), "%s", m->cuid);
		mi_hash_insert(&e->cuids, &c->hn, mi_hash_str(c->cuid, false));
	}
	if (index_targets(e, m) != 0) {
		unindex_targets(e, m);
		if (c->n == 0) {
			mi_hash_remove(&e->cuids, &c->hn);
			free(c);
		}
		return -1;
	}
	m->owner = c;
	m->cprev = NULL;
	if ((m->cnext = c->head) != NULL)
		c->head->cprev = m;
	c->head = m;
	c->n++;
	m->prev = NULL;
	if ((m->next = e->list) != NULL)
		e->list->prev = m;
	e->list = m;
	mi_hash_insert(&e->by_key, &m->by_key, key_hash(m->cuid, m->mid));
	mi_hash_insert(&e->by_id, &m->by_id, mi_hash_u64(m->id));
	m->client->nmit++;
	return 0;
}

static void
unlink_mitigation(struct mit_engine *e, struct mitigation *m)
{
	struct mit_cuid *c = m->owner;

	unindex_targets(e, m);
	mi_hash_remove(&e->by_key, &m->by_key);
	mi_hash_remove(&e->by_id, &m->by_id);
	if (m->prev != NULL)
		m->prev->next = m->next;
	else
		e->list = m->next;
	if (m->next != NULL)
		m->next->prev = m->prev;
	if (m->cprev != NULL)
		m->cprev->cnext = m->cnext;
	else
		c->head = m->cnext;
	if (m->cnext != NULL)
		m->cnext->cprev = m->cprev;
	if (--c->n == 0) {
		mi_hash_remove(&e->cuids, &c->hn);
		free(c);
	}
	m->owner = NULL;
	m->client->nmit--;
}

struct collect {
	struct mit_engine	*e;
	struct mvec		*out;
};

static int
collect_one(void *arg, void *value)
{
	struct collect *c = arg;
	struct mitigation *m = value;

	if (m->seen == c->e->gen)
		return 0;
	m->seen = c->e->gen;
	return mvec_push(c->out, m);
}

/*
 * The mitigations that share a target key with @p s, an expanded scope (a
 * prefix containing or contained in one of its prefixes, an FQDN, a URI),
 * once each, by increasing id.  Scopes without such keys overlap nothing.
 * @return 0, or -1 out of memory.
 */
static int
candidates(struct mit_engine *e, const struct dots_scope *s, struct mvec *out)
{
	struct collect c = { e, out };
	size_t i;
	int ret = 0;

	e->gen++;
	for (i = 0; ret == 0 && i < s->target.n_prefix; i++)
		ret = mi_trie_overlaps(&e->prefixes, &s->target.prefix[i],
		    collect_one, &c);
	for (i = 0; ret == 0 && i < s->target.n_fqdn; i++)
		ret = mi_strset_find(&e->fqdns, s->target.fqdn[i], collect_one,
		    &c);
	for (i = 0; ret == 0 && i < s->target.n_uri; i++)
		ret = mi_strset_find(&e->uris, s->target.uri[i], collect_one,
		    &c);
	if (ret != 0)
		return -1;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), by_id_order);
	return 0;
}

/* Write the mitigation's current state to the store. */
static void
persist(struct mit_engine *e, const struct mitigation *m)
{
	uint8_t body[DOTS_CBOR_MAX_BODY];
	struct store_mitigation sm;
	size_t len;

	if (e->store == NULL)
		return;
	if (dots_cbor_encode_signal(m->req, body, sizeof(body), &len) !=
	    DOTS_OK)
		return;
	memset(&sm, 0, sizeof(sm));
	sm.id = m->id;
	snprintf(sm.cuid, sizeof(sm.cuid), "%s", m->cuid);
	snprintf(sm.cdid, sizeof(sm.cdid), "%s", m->cdid);
	snprintf(sm.client, sizeof(sm.client), "%s", m->client->name);
	sm.mid = m->mid;
	sm.body = body;
	sm.body_len = len;
	sm.status = m->status;
	sm.trigger = m->trigger;
	sm.lifetime = m->lifetime;
	sm.created = m->created;
	sm.expires = m->expires;
	sm.started = m->started;
	sm.terminating_until = m->terminating_until;
	store_mitigation_put(e->store, &sm);
}

static void
set_status(struct mit_engine *e, struct mitigation *m, uint8_t status)
{
	if (m->status == status)
		return;
	m->status = status;
	persist(e, m);
	if (e->changed != NULL)
		e->changed(e->changed_arg, m, false);
}

/* m->applied, with the client's count of them (ACLs in force use it). */
static void
set_applied(struct mitigation *m, bool applied)
{
	if (m->applied == applied)
		return;
	m->applied = applied;
	if (applied)
		m->client->napplied++;
	else if (m->client->napplied > 0)
		m->client->napplied--;
}

/*
 * The cdid a relaying mitigator puts upstream (RFC 9132 section 4.3): the
 * one a trusted gateway put in the path; from anyone else it is ignored,
 * and this server, as the first server-domain gateway, supplies the
 * client's own: the cuid its credentials give, as the RFC recommends
 * (SHA-256 of the SPKI or PSK identity, first 16 bytes, base64url), which
 * is the m->cuid the glue checked against them.
 */
static const char *
cdid_of(const struct mitigation *m)
{
	return m->client->gateway && m->cdid[0] != '\0' ? m->cdid : m->cuid;
}

static int
apply(struct mitigation *m)
{
	struct be_mitigation bm = {
		.id = m->id,
		.cuid = m->cuid,
		.client = m->client->name,
		.mid = m->mid,
		.scope = targets_of(m),
		.lifetime = m->lifetime,
		.started = m->started,
		.cdid = cdid_of(m),
		/* RFC 8768 section 3: one less than received, if any */
		.hop_limit = m->hop_limit != 0 ? m->hop_limit - 1 : 0,
	};
	struct backend *be = m->client->backend;
	int ret;

	if (be == NULL)
		return -ENOENT;
	be->refusal[0] = '\0';
	if (be->capacity != 0 && be->active >= be->capacity)
		return -ENOSPC;
	ret = be->ops->apply(be, &bm);
	if (ret == 0)
		set_applied(m, true);
	return ret;
}

/* Do two expanded scopes share an address, prefix, FQDN or URI? */
static bool
scopes_overlap(const struct dots_scope *a, const struct dots_scope *b)
{
	size_t i, j;

	for (i = 0; i < a->target.n_prefix; i++)
		for (j = 0; j < b->target.n_prefix; j++)
			if (dots_prefix_overlaps(&a->target.prefix[i],
			    &b->target.prefix[j]))
				return true;
	for (i = 0; i < a->target.n_fqdn; i++)
		for (j = 0; j < b->target.n_fqdn; j++)
			if (strcasecmp(a->target.fqdn[i],
			    b->target.fqdn[j]) == 0)
				return true;
	for (i = 0; i < a->target.n_uri; i++)
		for (j = 0; j < b->target.n_uri; j++)
			if (strcmp(a->target.uri[i], b->target.uri[j]) == 0)
				return true;
	return false;
}

/* Conflicts between clients ------------------------------------------- */

/* Is @p value an enforced request of another client than @p arg's? */
static int
contests(void *arg, void *value)
{
	const struct mitigation *m = arg, *o = value;

	return o != m && o->applied && strcmp(o->cuid, m->cuid) != 0;
}

static bool
same_conflict(const struct mitigation *m, const struct dots_prefix *px,
    size_t np, char **fq, size_t nf)
{
	return np == m->n_cf_prefix && nf == m->n_cf_fqdn &&
	    (np == 0 || memcmp(px, m->cf_prefix, np * sizeof(*px)) == 0) &&
	    (nf == 0 || memcmp(fq, m->cf_fqdn, nf * sizeof(*fq)) == 0);
}

/*
 * Find which of @p m's targets an enforced request of another client also
 * covers: while any does, @p m is in conflict.  The server keeps both
 * (a local policy RFC 9132 section 4.4.1.3 allows), so only enforced
 * requests count.  @return whether that changed.
 */
static bool
update_conflict(struct mit_engine *e, struct mitigation *m)
{
	const struct dots_scope *s = targets_of(m);
	struct dots_prefix *px = NULL;
	char **fq = NULL;
	size_t np = 0, nf = 0, i;

	if (m->applied && ((s->target.n_prefix != 0 && (px = calloc(
	    s->target.n_prefix, sizeof(*px))) == NULL) ||
	    (s->target.n_fqdn != 0 && (fq = calloc(s->target.n_fqdn,
	    sizeof(*fq))) == NULL))) {
		free(px);
		return false;	/* keep what was known */
	}
	for (i = 0; m->applied && i < s->target.n_prefix; i++)
		if (mi_trie_overlaps(&e->prefixes, &s->target.prefix[i],
		    contests, m) != 0)
			px[np++] = s->target.prefix[i];
	for (i = 0; m->applied && i < s->target.n_fqdn; i++)
		if (mi_strset_find(&e->fqdns, s->target.fqdn[i], contests,
		    m) != 0)
			fq[nf++] = s->target.fqdn[i];
	if (same_conflict(m, px, np, fq, nf)) {
		free(px);
		free(fq);
		return false;
	}
	free(m->cf_prefix);
	free(m->cf_fqdn);
	m->cf_prefix = np != 0 ? px : NULL;
	m->n_cf_prefix = np;
	m->cf_fqdn = nf != 0 ? fq : NULL;
	m->n_cf_fqdn = nf;
	if (np == 0)
		free(px);
	if (nf == 0)
		free(fq);
	return true;
}

/*
 * @p m came, went, or started or stopped being enforced: the other
 * clients' requests it overlaps may have entered or left a conflict, and
 * their observers are told.
 */
static void
conflicts_around(struct mit_engine *e, struct mitigation *m)
{
	struct mvec cand = { 0 };
	struct mitigation *c;
	size_t i;

	if (candidates(e, targets_of(m), &cand) != 0)
		log_warnx("%s: out of memory; conflicts around mitigation "
		    "%llu not updated", __func__, (unsigned long long)m->id);
	for (i = 0; i < cand.n; i++) {
		c = cand.v[i];
		if (c == m || strcmp(c->cuid, m->cuid) == 0 ||
		    !scopes_overlap(targets_of(c), targets_of(m)))
			continue;
		if (update_conflict(e, c) && e->changed != NULL)
			e->changed(e->changed_arg, c, false);
	}
	mvec_free(&cand);
}

/* @p m's enforcement changed: its own conflict and the others'. */
static void
enforcement_changed(struct mit_engine *e, struct mitigation *m)
{
	update_conflict(e, m);
	conflicts_around(e, m);
}

/* conflict-information of a request kept despite a conflict. */
static void
conflict_info(const struct mitigation *m, struct dots_conflict_info *ci)
{
	if (m->n_cf_prefix + m->n_cf_fqdn == 0)
		return;
	ci->present = DOTS_CONFLICT_STATUS | DOTS_CONFLICT_CAUSE;
	ci->conflict_status = DOTS_CONFLICT_REQUEST_ACTIVE;
	ci->conflict_cause = DOTS_CONFLICT_OVERLAPPING_TARGETS;
	/* borrowed; encoded before any change */
	ci->conflict_scope.target.prefix = m->cf_prefix;
	ci->conflict_scope.target.n_prefix = m->n_cf_prefix;
	ci->conflict_scope.target.fqdn = m->cf_fqdn;
	ci->conflict_scope.target.n_fqdn = m->n_cf_fqdn;
}

/* Stop enforcing (if it was) and forget @p m. */
static void
remove_mitigation(struct mit_engine *e, struct mitigation *m)
{
	if (m->applied && m->client->backend != NULL)
		m->client->backend->ops->withdraw(m->client->backend, m->id);
	if (m->applied && m->client->napplied > 0)
		m->client->napplied--;
	unlink_mitigation(e, m);
	if (e->store != NULL)
		store_mitigation_delete(e->store, m->id);
	if (m->applied)
		conflicts_around(e, m);
	if (e->changed != NULL)
		e->changed(e->changed_arg, m, true);
	mitigation_free(m);
}

/* Same request apart from lifetime and attack-status (a refresh)? */
static bool
same_parameters(const struct dots_scope *a, const struct dots_scope *b)
{
	static struct dots_signal sa, sb;	/* shells; arenas unused */
	struct dots_scope ca = *a, cb = *b;
	uint32_t volatile_bits = DOTS_SCOPE_LIFETIME |
	    DOTS_SCOPE_ATTACK_STATUS;

	ca.present &= ~volatile_bits;
	cb.present &= ~volatile_bits;
	sa.kind = sb.kind = DOTS_SIG_MITIGATION;
	sa.mitigation.scope = &ca;
	sb.mitigation.scope = &cb;
	sa.mitigation.n_scope = sb.mitigation.n_scope = 1;
	return dots_signal_equal(&sa, &sb);
}

static bool
fqdn_allowed(const struct mit_client *cl, const char *name)
{
	size_t i;

	for (i = 0; i < cl->nfqdns; i++)
		if (strcasecmp(cl->fqdns[i], name) == 0)
			return true;
	return false;
}

/* RFC 9132 section 4.4.1: only the client domain's resources. */
static bool
authorized(const struct mit_client *cl, const struct dots_scope *s,
    char *why, size_t len)
{
	char text[64];
	size_t i, k;

	for (i = 0; i < s->target.n_prefix; i++) {
		for (k = 0; k < cl->nprefixes; k++)
			if (dots_prefix_contains(&cl->prefixes[k],
			    &s->target.prefix[i]))
				break;
		if (k == cl->nprefixes) {
			dots_prefix_format(&s->target.prefix[i], text,
			    sizeof(text));
			snprintf(why, len, "target-prefix %s is outside the "
			    "domain of client '%s'", text, cl->name);
			return false;
		}
	}
	for (i = 0; i < s->target.n_fqdn; i++)
		if (!fqdn_allowed(cl, s->target.fqdn[i])) {
			snprintf(why, len, "target-fqdn '%s' is not "
			    "authorized for client '%s'", s->target.fqdn[i],
			    cl->name);
			return false;
		}
	return true;
}

static bool
rate_ok(struct mit_client *cl, time_t now)
{
	double rate = cl->max_rate ? cl->max_rate : 20;

	if (cl->tokens_at == 0) {
		cl->tokens = rate;
		cl->tokens_at = now;
	}
	cl->tokens += (double)(now - cl->tokens_at) * rate;
	if (cl->tokens > rate)
		cl->tokens = rate;
	cl->tokens_at = now;
	if (cl->tokens < 1)
		return false;
	cl->tokens -= 1;
	return true;
}

static int64_t
granted_lifetime(const struct mit_engine *e, int64_t asked)
{
	int64_t max = e->params.max_lifetime;

	if (max > 0 && (asked < 0 || asked > max))
		return max;
	return asked;
}

static int64_t
remaining(const struct mitigation *m, time_t now)
{
	if (m->lifetime < 0)
		return -1;
	return m->expires > now ? (int64_t)(m->expires - now) : 0;
}

/* A reply body: one scope with mid and lifetime. */
static struct dots_scope *
reply_scope(struct mit_result *res, uint32_t mid, int64_t lifetime)
{
	struct dots_scope *s;

	res->body = dots_signal_new(DOTS_SIG_MITIGATION);
	if (res->body == NULL || (s = dots_signal_add_scopes(res->body, 1))
	    == NULL)
		return NULL;
	s->mid = mid;
	s->lifetime = lifetime;
	s->present |= DOTS_SCOPE_MID | DOTS_SCOPE_LIFETIME;
	return s;
}

static void
conflict_reply(struct mit_result *res, const struct mitigation *other)
{
	struct dots_scope *s;

	result(res, 409, NULL);
	s = reply_scope(res, 0, 0);
	if (s == NULL)
		return;
	s->present = 0;
	s->conflict.present = DOTS_CONFLICT_CAUSE;
	s->conflict.conflict_cause = DOTS_CONFLICT_OVERLAPPING_TARGETS;
	s->conflict.conflict_scope.present = DOTS_CSCOPE_MID;
	s->conflict.conflict_scope.mid = other->mid;
	/* borrowed from the stored request; encoded before any change */
	s->conflict.conflict_scope.target.prefix =
	    targets_of(other)->target.prefix;
	s->conflict.conflict_scope.target.n_prefix =
	    targets_of(other)->target.n_prefix;
}

/*
 * RFC 9132 section 4.4.4: a client that requests mitigation again within
 * the active-but-terminating period MAY get that period doubled, up to
 * 300 seconds, for its next withdrawal.  The period is kept per
 * mitigation and passed on to a new mid that replaces a withdrawn one.
 */
static int
longer_abt(int abt)
{
	if (abt <= 0 || abt >= MIT_ABT_MAX)
		return abt;
	return abt > MIT_ABT_MAX / 2 ? MIT_ABT_MAX : abt * 2;
}

/* Requested again while withdrawn by the client: enforced as before. */
static void
reactivate(struct mit_engine *e, struct mitigation *m)
{
	m->terminating_until = 0;
	m->abt = longer_abt(m->abt);
	set_status(e, m, m->started != 0 ? DOTS_STATUS_MITIGATED :
	    DOTS_STATUS_IN_PROGRESS);
}

/* The client's word on how it goes, for a mitigator that listens. */
static void
tell_efficacy(const struct mitigation *m)
{
	struct backend *be = m->client->backend;

	if (m->applied && be != NULL && be->ops->efficacy != NULL)
		be->ops->efficacy(be, m->id, m->attack_status);
}

static void
refresh(struct mit_engine *e, struct mitigation *m, const struct mit_request *r,
    struct mit_result *res)
{
	const struct dots_scope *s = &r->msg->mitigation.scope[0];

	if (!same_parameters(scope_of(m), s)) {
		result(res, 400, "a request with an existing mid may change "
		    "only lifetime (RFC 9132 section 4.4.1); use a new mid");
		return;
	}
	if (s->present & DOTS_SCOPE_LIFETIME) {
		m->lifetime = granted_lifetime(e, s->lifetime);
		m->expires = m->lifetime < 0 ? 0 : r->now + m->lifetime;
	}
	if (s->present & DOTS_SCOPE_ATTACK_STATUS) {
		m->attack_status = s->attack_status;
		tell_efficacy(m);
	}
	if (!r->efficacy && m->status == DOTS_STATUS_CLIENT_WITHDRAWN)
		reactivate(e, m);
	else
		persist(e, m);
	result(res, 204, NULL);
	reply_scope(res, m->mid, remaining(m, r->now));
}

/*
 * RFC 9132 section 4.4.1: alias-name names aliases the same client made
 * over the data channel; their targets are merged with the explicit
 * ones.  *@p out is a **new** copy of @p msg with them merged in and no
 * alias-name, or NULL when it names none.  Aliases are read once, here:
 * one changed or deleted later leaves the request as it was accepted.
 * @return 0, 400 with @p why naming the alias, or 500
 */
static int
expand_aliases(struct mit_engine *e, const char *cuid,
    const struct dots_signal *msg, time_t now, struct dots_signal **out,
    char *why, size_t len)
{
	const struct dots_scope *s = &msg->mitigation.scope[0];
	uint8_t buf[DOTS_CBOR_MAX_BODY];
	struct dots_signal *x = NULL;
	struct dots_scope *xs;
	size_t i, blen;
	int ret;

	*out = NULL;
	if (s->n_alias_name == 0)
		return 0;
	if (e->alias_fn == NULL) {
		snprintf(why, len, "alias-name '%s': aliases are made over the "
		    "data channel, which this server does not offer",
		    s->alias_name[0]);
		return 400;
	}
	if (dots_cbor_encode_signal(msg, buf, sizeof(buf), &blen) != DOTS_OK
	    || dots_cbor_decode_signal(buf, blen, &x, NULL) != DOTS_OK) {
		dots_signal_free(x);
		return 500;
	}
	xs = &x->mitigation.scope[0];
	for (i = 0; i < xs->n_alias_name; i++) {
		ret = e->alias_fn(e->alias_arg, cuid, xs->alias_name[i], now,
		    x, &xs->target);
		if (ret == 0)
			continue;
		if (ret > 0)
			/* another client's alias is no different */
			snprintf(why, len, "alias-name '%s' is not an alias "
			    "of this client", xs->alias_name[i]);
		dots_signal_free(x);
		return ret > 0 ? 400 : 500;
	}
	xs->alias_name = NULL;
	xs->n_alias_name = 0;
	*out = x;
	return 0;
}

/* RFC 9133 section 3.2.1: the mid and the acl-list entries that failed. */
static void
acl_failure_reply(struct mit_result *res, uint32_t mid,
    const struct dots_scope *req, const bool *failed, size_t nfailed)
{
	struct dots_acl_ref *a;
	struct dots_scope *s;
	size_t i;

	result(res, 503, NULL);
	res->max_age = 60;
	if ((s = reply_scope(res, mid, 0)) == NULL ||
	    (s->acl_list = dots_signal_alloc(res->body,
	    nfailed * sizeof(*s->acl_list))) == NULL)
		goto fail;
	s->present = DOTS_SCOPE_MID;
	for (i = 0; i < req->n_acl_list; i++) {
		if (!failed[i])
			continue;
		a = &s->acl_list[s->n_acl_list++];
		*a = req->acl_list[i];
		if ((a->acl_name = dots_signal_strdup(res->body,
		    req->acl_list[i].acl_name)) == NULL)
			goto fail;
	}
	return;
fail:
	dots_signal_free(res->body);
	res->body = NULL;
	result(res, 503, "the ACL update failed");
}

/*
 * RFC 9133 section 3.2.1: an acl-list names ACLs the client made on the
 * data channel (4.04 if one is unknown), for attack time: a preconfigured
 * request, made in idle time to wait for signal loss, may not carry one
 * (4.00).  A mitigator that cannot enforce ACLs, or would refuse one of
 * them, fails the update (5.03 naming the ACLs that failed).
 * @return 0 to go on, or non-zero with @p res filled
 */
static int
check_acl_list(struct mit_engine *e, const struct mit_request *r,
    const struct dots_scope *s, struct mit_result *res)
{
	const struct backend *be = r->client->backend;
	size_t i, nfailed = 0;
	bool *failed, ok = false;
	char why[200];
	uint8_t type;
	int ret = 0;

	if (s->present & DOTS_SCOPE_TRIGGER && !s->trigger_mitigation) {
		result(res, 400, "acl-list is for attack time (RFC 9133): "
		    "not in a request with trigger-mitigation false");
		return -1;
	}
	if (e->acl_check == NULL) {
		result(res, 404, "acl-list names ACLs of the data channel, "
		    "which this server does not offer (RFC 9133)");
		return -1;
	}
	if ((failed = calloc(s->n_acl_list, sizeof(*failed))) == NULL) {
		result(res, 500, "out of memory");
		return -1;
	}
	for (i = 0; i < s->n_acl_list && ret >= 0 && ret != 1; i++) {
		type = s->acl_list[i].present & DOTS_ACL_ACTIVATION_TYPE ?
		    s->acl_list[i].activation_type :
		    DOTS_ACTIVATION_WHEN_MITIGATING;
		ret = e->acl_check(e->acl_arg, r->cuid,
		    s->acl_list[i].acl_name, type, why, sizeof(why));
		if (ret == 2) {
			log_info("mitigation request of %s, mid %" PRIu32
			    ": acl-list refused by the mitigator: %s",
			    r->client->name, r->mid, why);
			failed[i] = true;
			nfailed++;
		}
	}
	if (ret == 1 || ret < 0)
		result(res, ret > 0 ? 404 : 500, ret > 0 ? why :
		    "the data channel's store cannot be read");
	else if (be == NULL || !be->ops->acls) {
		result(res, 503, "this client's mitigator cannot enforce "
		    "ACLs; send the request again without acl-list");
		res->max_age = 60;
	} else if (nfailed != 0)
		acl_failure_reply(res, r->mid, s, failed, nfailed);
	else
		ok = true;
	free(failed);
	return ok ? 0 : -1;
}

/* Takes ownership of @p eff, the request's expanded copy (or NULL). */
static struct mitigation *
new_mitigation(struct mit_engine *e, const struct mit_request *r,
    struct dots_signal *eff)
{
	const struct dots_scope *s = &r->msg->mitigation.scope[0];
	struct mitigation *m = calloc(1, sizeof(*m));
	uint8_t buf[DOTS_CBOR_MAX_BODY];
	size_t len;

	if (m == NULL) {
		dots_signal_free(eff);
		return NULL;
	}
	m->eff = eff;
	/* keep our own copy of the request, via its canonical CBOR */
	if (dots_cbor_encode_signal(r->msg, buf, sizeof(buf), &len) != DOTS_OK
	    || dots_cbor_decode_signal(buf, len, &m->req, NULL) != DOTS_OK) {
		dots_signal_free(m->req);
		dots_signal_free(eff);
		free(m);
		return NULL;
	}
	m->id = e->next_id++;
	m->client = r->client;
	snprintf(m->cuid, sizeof(m->cuid), "%s", r->cuid);
	snprintf(m->cdid, sizeof(m->cdid), "%s", r->cdid ? r->cdid : "");
	m->mid = r->mid;
	m->hop_limit = r->hop_limit;
	m->trigger = !(s->present & DOTS_SCOPE_TRIGGER) ||
	    s->trigger_mitigation;
	m->lifetime = granted_lifetime(e, s->lifetime);
	m->created = r->now;
	m->expires = m->lifetime < 0 ? 0 : r->now + m->lifetime;
	m->status = m->trigger ? DOTS_STATUS_IN_PROGRESS :
	    DOTS_STATUS_SIGNAL_LOSS;
	m->abt = e->params.abt_seconds;
	return m;
}

/*
 * Is @p a a newer mid than @p b, of the same client?  mids increase, but
 * RFC 9132 section 4.4.1.1 has a client restart from 0 once its mid
 * reached MIT_MID_RESET.  A mid in the lowest quarter is then newer than
 * one at or past that point; anything else compares as numbers, so a
 * late request from before the restart still loses.
 */
static bool
mid_newer(uint32_t a, uint32_t b)
{
	if (b >= MIT_MID_RESET && a < MIT_MID_LOW)
		return true;
	if (a >= MIT_MID_RESET && b < MIT_MID_LOW)
		return false;
	return a > b;
}

/* Withdrawn by the server: no active-but-terminating period (4.4.4). */
static void
server_withdraw(struct mit_engine *e, struct mitigation *m)
{
	if (m->applied && m->client->backend != NULL)
		m->client->backend->ops->withdraw(m->client->backend, m->id);
	if (m->applied) {
		set_applied(m, false);
		enforcement_changed(e, m);
	}
	m->terminating_until = 0;
	set_status(e, m, DOTS_STATUS_WITHDRAWN);
}

/*
 * RFC 9132 section 4.4.1.2: an immediate request deactivates the client's
 * overlapping preconfigured requests.  One enforced since the signal was
 * lost is withdrawn (status 7) and waits for the next loss again (8).
 * Status 8 comes a tick later than 7, not in the same turn: observers
 * are told the state at the end of a turn, and must see both.
 */
static void
deactivate_preconfigured(struct mit_engine *e, const struct mitigation *m,
    const struct mvec *cand, time_t now)
{
	struct mitigation *c;
	size_t i;

	for (i = 0; i < cand->n; i++) {
		c = cand->v[i];
		if (c->client != m->client || c->trigger || !c->applied ||
		    !scopes_overlap(targets_of(c), targets_of(m)))
			continue;
		server_withdraw(e, c);
		c->rearm_at = now + 2;
	}
}

/*
 * A trusted gateway relays the requests of several client domains under
 * its one cuid; each domain's are its own (RFC 9132 section 4.3: the
 * server may apply its policies per domain), so that one domain's request
 * does not replace another's that overlaps it.
 */
static bool
same_domain(const struct mitigation *c, const struct mit_request *r)
{
	return !r->client->gateway ||
	    strcmp(c->cdid, r->cdid != NULL ? r->cdid : "") == 0;
}

/*
 * RFC 9132 section 4.4.1.2: among overlapping requests of one client with
 * the same trigger-mitigation, the higher mid wins and the lower goes.
 * The client's overlapped requests go into @p replaced, and the first
 * overlapping request of another client into @p other_client.  A newer
 * one of the client's own is returned (the newest, if several): the
 * request must then be refused.  @p x is the request's expanded scope.
 */
static struct mitigation *
sort_overlaps(const struct mvec *cand, const struct mit_request *r,
    const struct dots_scope *x, struct mvec *replaced,
    struct mitigation **other_client, int *err)
{
	const struct dots_scope *s = &r->msg->mitigation.scope[0];
	bool trigger = !(s->present & DOTS_SCOPE_TRIGGER) ||
	    s->trigger_mitigation;
	struct mitigation *c, *higher = NULL;
	size_t i;

	*err = 0;
	for (i = 0; i < cand->n; i++) {
		c = cand->v[i];
		if (!scopes_overlap(targets_of(c), x))
			continue;
		if (strcmp(c->cuid, r->cuid) != 0 || !same_domain(c, r)) {
			if (*other_client == NULL)
				*other_client = c;
			continue;
		}
		if (c->trigger != trigger)
			continue;
		if (mid_newer(c->mid, r->mid)) {
			if (higher == NULL || mid_newer(c->mid, higher->mid))
				higher = c;
		} else if (mvec_push(replaced, c) != 0)
			*err = -1;
	}
	return higher;
}

/*
 * RFC 8768 section 3: a request that reached us with Hop-Limit 1 may not
 * be relayed; a client whose mitigator relays gets 5.08 with this
 * server's identifier (section 4), and nothing is kept.  Logged: it is
 * most likely a loop of gateways.
 */
static bool
hop_limit_reached(struct mit_engine *e, const struct mit_request *r,
    struct mit_result *res)
{
	static struct log_rl rl = LOG_RL_INIT(10, 1000);
	const struct backend *be = r->client->backend;

	if (r->hop_limit != 1 || be == NULL ||
	    !(be->ops->relays || be->relays))
		return false;
	log_rl_warnx(&rl, "client %s (cuid %s, mid %u): Hop-Limit 1, not "
	    "relayed to mitigator \"%s\" (5.08 Hop Limit Reached): a loop "
	    "of DOTS gateways?", r->client->name, r->cuid, r->mid, be->name);
	result(res, 508, e->params.gateway_id[0] != '\0' ?
	    e->params.gateway_id : "dotsd");
	return true;
}

void
mit_put(struct mit_engine *e, const struct mit_request *r,
    struct mit_result *res)
{
	const struct dots_scope *s = &r->msg->mitigation.scope[0];
	struct mitigation *m, *higher;
	struct mitigation *conflict_other = NULL;
	struct mvec cand = { 0 }, replaced = { 0 };
	struct dots_signal *eff = NULL;	/* s with its aliases expanded */
	struct dots_scope *rs;
	size_t i;
	char why[200];
	int ret;

	mit_result_clear(res);
	if (!rate_ok(r->client, r->now)) {
		result(res, 503, "request rate limit reached; retry later");
		res->max_age = 1;
		return;
	}
	m = find_mitigation(e, r->cuid, r->mid);
	if (r->efficacy) {
		/*
		 * RFC 9132 section 4.4.3: unknown mid: silently ignored.  A
		 * request the client withdrew is gone even while it is still
		 * enforced for the active-but-terminating period; If-Match
		 * exists for an update reordered behind that DELETE.
		 */
		if (m == NULL || m->status == DOTS_STATUS_CLIENT_WITHDRAWN)
			res->no_response = true;
		else
			refresh(e, m, r, res);
		return;
	}
	if (m != NULL) {
		refresh(e, m, r, res);
		return;
	}
	if (hop_limit_reached(e, r, res))
		return;
	if (s->n_acl_list != 0 && check_acl_list(e, r, s, res) != 0)
		return;
	if ((ret = expand_aliases(e, r->cuid, r->msg, r->now, &eff, why,
	    sizeof(why))) != 0) {
		result(res, ret, ret == 400 ? why : "out of memory");
		return;
	}
	if (eff != NULL)
		s = &eff->mitigation.scope[0];
	if (!authorized(r->client, s, why, sizeof(why))) {
		result(res, 401, why);
		goto out;
	}
	/*
	 * A valid request that needs what this server lacks (resolving the
	 * URI): 5.01 Not Implemented (RFC 7252 section 5.9.3.2).  Not 4.01,
	 * the client may well be entitled to the target; not 4.00, nothing
	 * is wrong with the request; not 5.03, retrying will not help.
	 */
	if (s->target.n_uri != 0) {
		result(res, 501, "target-uri is not supported by this server; "
		    "use target-prefix or target-fqdn");
		goto out;
	}
	if (candidates(e, s, &cand) != 0) {
		result(res, 500, "out of memory");
		goto out;
	}
	higher = sort_overlaps(&cand, r, s, &replaced, &conflict_other, &ret);
	if (higher != NULL) {
		conflict_reply(res, higher);
		goto out;
	}
	if (ret != 0) {
		result(res, 500, "out of memory");
		goto out;
	}
	if (mit_count(e, r->client) - replaced.n >=
	    (r->client->max_mitigations ? r->client->max_mitigations : 64)) {
		result(res, 503, "this client has reached its limit of "
		    "mitigations");
		res->max_age = 60;
		goto out;
	}
	m = new_mitigation(e, r, eff);
	eff = NULL;	/* m's now, or freed */
	if (m == NULL || link_mitigation(e, m) != 0) {
		if (m != NULL)
			e->next_id--;
		mitigation_free(m);
		result(res, 500, "out of memory");
		goto out;
	}
	/* a preconfigured request that replaces an enforced one goes on */
	for (i = 0; !m->trigger && i < replaced.n; i++)
		if (replaced.v[i]->applied) {
			m->status = DOTS_STATUS_IN_PROGRESS;
			break;
		}
	if (m->status != DOTS_STATUS_SIGNAL_LOSS && (ret = apply(m)) != 0) {
		/* a scope the mitigator cannot or may not enforce: say why */
		if ((ret == -EINVAL || ret == -EPERM || ret == -ENOSPC) &&
		    m->client->backend != NULL &&
		    m->client->backend->refusal[0] != '\0')
			result(res, ret == -ENOSPC ? 503 : 400,
			    m->client->backend->refusal);
		else
			result(res, 503, ret == -ENOSPC ? "the mitigator is at "
			    "capacity" : "the mitigator refused the request");
		res->max_age = 60;
		unlink_mitigation(e, m);
		e->next_id--;
		mitigation_free(m);
		goto out;
	}
	persist(e, m);
	if (m->trigger)
		deactivate_preconfigured(e, m, &cand, r->now);
	/* the new request overrides the overlapped older ones */
	for (i = 0; i < replaced.n; i++) {
		if (replaced.v[i]->status == DOTS_STATUS_CLIENT_WITHDRAWN &&
		    longer_abt(replaced.v[i]->abt) > m->abt)
			m->abt = longer_abt(replaced.v[i]->abt);
		remove_mitigation(e, replaced.v[i]);
	}
	if (m->applied && conflict_other != NULL)
		enforcement_changed(e, m);
	/* RFC 9133: the activation types change for good, at once */
	for (i = 0; i < s->n_acl_list; i++)
		e->acl_set(e->acl_arg, r->cuid, s->acl_list[i].acl_name,
		    s->acl_list[i].present & DOTS_ACL_ACTIVATION_TYPE ?
		    s->acl_list[i].activation_type :
		    DOTS_ACTIVATION_WHEN_MITIGATING, r->now);
	result(res, 201, NULL);
	/* accepted despite another client's request: say so */
	if ((rs = reply_scope(res, m->mid, m->lifetime)) != NULL)
		conflict_info(m, &rs->conflict);
	if (e->changed != NULL)
		e->changed(e->changed_arg, m, false);
out:
	dots_signal_free(eff);
	mvec_free(&cand);
	mvec_free(&replaced);
}

/* Fill @p out with the status of @p m; arrays are borrowed from it. */
static void
status_scope(const struct mitigation *m, struct dots_scope *out, char filter,
    time_t now)
{
	const struct dots_scope *s = scope_of(m);

	out->mid = m->mid;
	out->lifetime = remaining(m, now);
	out->present = DOTS_SCOPE_MID | DOTS_SCOPE_LIFETIME;
	if (filter != 'n') {
		out->target = s->target;
		out->alias_name = s->alias_name;
		out->n_alias_name = s->n_alias_name;
		out->source_prefix = s->source_prefix;
		out->n_source_prefix = s->n_source_prefix;
		out->source_port_range = s->source_port_range;
		out->n_source_port_range = s->n_source_port_range;
		out->source_icmp_type_range = s->source_icmp_type_range;
		out->n_source_icmp_type_range = s->n_source_icmp_type_range;
		if (s->present & DOTS_SCOPE_TRIGGER) {
			out->trigger_mitigation = s->trigger_mitigation;
			out->present |= DOTS_SCOPE_TRIGGER;
		}
	}
	if (filter == 'c')
		return;
	out->status = m->status;
	out->present |= DOTS_SCOPE_STATUS;
	conflict_info(m, &out->conflict);
	if (m->started != 0 && m->status != DOTS_STATUS_SIGNAL_LOSS) {
		out->mitigation_start = (uint64_t)m->started;
		out->present |= DOTS_SCOPE_MITIGATION_START;
	}
	if (m->stats.flags & BE_STATS_VALID) {
		out->bytes_dropped = m->stats.bytes_dropped;
		out->pkts_dropped = m->stats.pkts_dropped;
		out->bps_dropped = m->stats.bps_dropped;
		out->pps_dropped = m->stats.pps_dropped;
		out->present |= DOTS_SCOPE_BYTES_DROPPED |
		    DOTS_SCOPE_PKTS_DROPPED | DOTS_SCOPE_BPS_DROPPED |
		    DOTS_SCOPE_PPS_DROPPED;
	}
}

void
mit_get(struct mit_engine *e, struct mit_client *cl, const char *cuid,
    bool one, uint32_t mid, char filter, time_t now, struct mit_result *res)
{
	struct mitigation *m, *first = NULL;
	struct mit_cuid *c;
	struct dots_scope *s;
	size_t n = 0;

	mit_result_clear(res);
	if (one) {
		m = find_mitigation(e, cuid, mid);
		first = m != NULL && m->client == cl ? m : NULL;
		n = first != NULL;
	} else if ((c = find_cuid(e, cuid)) != NULL) {
		first = c->head;
		for (m = first; m != NULL; m = m->cnext)
			if (m->client == cl)
				n++;
	}
	if (n == 0) {
		result(res, 404, one ? "no mitigation with this mid" :
		    "no mitigation for this client");
		return;
	}
	res->body = dots_signal_new(DOTS_SIG_MITIGATION);
	if (res->body == NULL ||
	    (s = dots_signal_add_scopes(res->body, n)) == NULL) {
		result(res, 500, "out of memory");
		return;
	}
	for (m = first; m != NULL && n > 0; m = one ? NULL : m->cnext)
		if (m->client == cl) {
			status_scope(m, s++, filter, now);
			n--;
		}
	result(res, 205, NULL);
}

void
mit_delete(struct mit_engine *e, struct mit_client *cl, const char *cuid,
    uint32_t mid, time_t now, struct mit_result *res)
{
	struct mitigation *m = find_mitigation(e, cuid, mid);

	mit_result_clear(res);
	/* RFC 9132 section 4.4.4: 2.02 even if the mid is unknown */
	result(res, 202, NULL);
	if (m == NULL || m->client != cl ||
	    m->status == DOTS_STATUS_CLIENT_WITHDRAWN)
		return;
	if (!m->applied || m->abt <= 0) {
		remove_mitigation(e, m);
		return;
	}
	m->terminating_until = now + m->abt;
	set_status(e, m, DOTS_STATUS_CLIENT_WITHDRAWN);
}

void
mit_tick(struct mit_engine *e, time_t now)
{
	struct mitigation *m, *next;

	for (m = e->list; m != NULL; m = next) {
		next = m->next;
		if (m->terminating_until != 0 && now >= m->terminating_until)
			remove_mitigation(e, m);
		else if (m->lifetime >= 0 && now >= m->expires)
			remove_mitigation(e, m);
		else if (m->rearm_at != 0 && now >= m->rearm_at) {
			m->rearm_at = 0;
			set_status(e, m, DOTS_STATUS_SIGNAL_LOSS);
		}
	}
}

/*
 * RFC 9132 section 4.4.1.1: a preconfigured request is enforced once the
 * signal is lost, and takes precedence over the client's active requests
 * that overlap it, which the server withdraws.
 */
static void
trigger(struct mit_engine *e, struct mitigation *p)
{
	struct mvec cand = { 0 };
	struct mitigation *c;
	size_t i;

	if (apply(p) != 0)
		return;
	enforcement_changed(e, p);
	set_status(e, p, DOTS_STATUS_IN_PROGRESS);
	if (candidates(e, targets_of(p), &cand) != 0)
		log_warnx("%s: out of memory; requests overlapping mitigation "
		    "%llu stay", __func__, (unsigned long long)p->id);
	for (i = 0; i < cand.n; i++) {
		c = cand.v[i];
		if (c->client == p->client && c->trigger && c->applied &&
		    scopes_overlap(targets_of(c), targets_of(p)))
			server_withdraw(e, c);
	}
	mvec_free(&cand);
}

void
mit_signal_lost(struct mit_engine *e, struct mit_client *cl, time_t now)
{
	struct mitigation *m;

	(void)now;
	/* only status changes below: the list stays as it is */
	for (m = e->list; m != NULL; m = m->next)
		if (m->client == cl && !m->trigger && !m->applied &&
		    (m->status == DOTS_STATUS_SIGNAL_LOSS ||
		    m->rearm_at != 0)) {
			m->rearm_at = 0;
			trigger(e, m);
		}
}

/*
 * The mitigator gave up on @p m.  The status model has no place for its
 * reason, so it is kept with the mitigation and logged, once.
 */
static void
failed(struct mit_engine *e, struct mitigation *m, const struct be_report *r)
{
	static struct log_rl rl = LOG_RL_INIT(10, 1000);
	size_t len = strnlen(r->reason, sizeof(r->reason));

	if (m->applied) {
		set_applied(m, false);
		enforcement_changed(e, m);
	}
	if (m->status == DOTS_STATUS_TERMINATED)
		return;
	if (len == 0)
		snprintf(m->failure, sizeof(m->failure), "no reason given");
	else
		snprintf(m->failure, sizeof(m->failure), "%.*s", (int)len,
		    r->reason);
	log_rl_warnx(&rl, "mitigation %llu (client %s, cuid %s, mid %u): the "
	    "mitigator failed: %s", (unsigned long long)m->id,
	    m->client->name, m->cuid, m->mid, m->failure);
	set_status(e, m, DOTS_STATUS_TERMINATED);
}

void
mit_backend_report(void *arg, const struct be_report *r)
{
	struct mit_engine *e = arg;
	struct mitigation *m = find_by_id(e, r->id);
	bool first;

	if (m == NULL)
		return;		/* withdrawn meanwhile */
	if (r->flags & BE_STATS_VALID)
		m->stats = *r;
	switch (r->state) {
	case BE_ACTIVE:
		first = m->started == 0;
		if (first)
			m->started = time(NULL);
		if (m->status == DOTS_STATUS_IN_PROGRESS) {
			set_status(e, m, DOTS_STATUS_MITIGATED);
			break;
		}
		/* mitigation-start is stored, status or not */
		if (first)
			persist(e, m);
		if (e->changed != NULL)
			e->changed(e->changed_arg, m, false);
		break;
	case BE_FAILED:
		failed(e, m, r);
		break;
	default:
		break;
	}
}

struct restore_ctx {
	struct mit_engine	 *e;
	struct mit_client	*(*find)(void *, const char *);
	void			 *find_arg;
	time_t			  now;
	uint64_t		 *stale;	/* rows to delete after the scan */
	size_t			  nstale;
	size_t			  capstale;
};

/* Rows are deleted after the scan, not while SQLite walks the table. */
static int
stale(struct restore_ctx *rc, uint64_t id)
{
	uint64_t *bigger;

	if (rc->nstale == rc->capstale) {
		rc->capstale = rc->capstale ? rc->capstale * 2 : 16;
		bigger = realloc(rc->stale, rc->capstale * sizeof(*bigger));
		if (bigger == NULL)
			return -1;
		rc->stale = bigger;
	}
	rc->stale[rc->nstale++] = id;
	return 0;
}

static int
restore_one(void *arg, const struct store_mitigation *sm)
{
	struct restore_ctx *rc = arg;
	struct mit_engine *e = rc->e;
	struct mit_client *cl = rc->find(rc->find_arg, sm->client);
	struct mitigation *m;
	char why[200] = "";

	if (sm->id >= e->next_id)
		e->next_id = sm->id + 1;
	if (cl == NULL)
		return stale(rc, sm->id); /* client no longer configured */
	m = calloc(1, sizeof(*m));
	if (m == NULL || dots_cbor_decode_signal(sm->body, sm->body_len,
	    &m->req, NULL) != DOTS_OK || m->req->mitigation.n_scope != 1) {
		if (m != NULL)
			dots_signal_free(m->req);
		free(m);
		return stale(rc, sm->id);
	}
	/*
	 * Its aliases are read again: one that expired or was deleted
	 * while the server was down takes the request with it.
	 */
	if (expand_aliases(e, sm->cuid, m->req, rc->now, &m->eff, why,
	    sizeof(why)) != 0) {
		log_warnx("mitigation %llu (cuid %s, mid %u) dropped: %s",
		    (unsigned long long)sm->id, sm->cuid, sm->mid,
		    why[0] != '\0' ? why : "out of memory");
		mitigation_free(m);
		return stale(rc, sm->id);
	}
	m->id = sm->id;
	m->client = cl;
	snprintf(m->cuid, sizeof(m->cuid), "%s", sm->cuid);
	snprintf(m->cdid, sizeof(m->cdid), "%s", sm->cdid);
	m->mid = sm->mid;
	m->status = sm->status;
	m->trigger = sm->trigger;
	m->lifetime = sm->lifetime;
	m->created = sm->created;
	m->expires = sm->expires;
	m->started = sm->started;
	m->terminating_until = sm->terminating_until;
	m->abt = e->params.abt_seconds;
	/* a deactivated preconfigured request: status 8 at the first tick */
	if (!m->trigger && m->status == DOTS_STATUS_WITHDRAWN)
		m->rearm_at = rc->now;
	if (link_mitigation(e, m) != 0) {
		mitigation_free(m);
		return -1;
	}
	/*
	 * Enforced before the restart: enforce again, once.  Not a
	 * preconfigured request still waiting for signal loss, nor one the
	 * mitigator failed or the server withdrew: those stay as they are,
	 * as without a restart.
	 */
	if (m->status != DOTS_STATUS_SIGNAL_LOSS &&
	    m->status != DOTS_STATUS_TERMINATED &&
	    m->status != DOTS_STATUS_WITHDRAWN)
		apply(m);
	/* so that the glue gives it its resources again */
	if (e->changed != NULL)
		e->changed(e->changed_arg, m, false);
	return 0;
}

int
mit_engine_restore(struct mit_engine *e,
    struct mit_client *(*find)(void *, const char *), void *find_arg,
    time_t now)
{
	struct restore_ctx rc = { e, find, find_arg, now, NULL, 0, 0 };
	struct mitigation *m;
	uint64_t max_id = 0;
	size_t i;
	int ret;

	if (e->store == NULL)
		return 0;
	/* never hand out an id again, even that of a deleted row */
	if (store_mitigation_max_id(e->store, &max_id) == 0 &&
	    max_id >= e->next_id)
		e->next_id = max_id + 1;
	ret = store_mitigation_foreach(e->store, restore_one, &rc);
	for (i = 0; i < rc.nstale; i++)
		store_mitigation_delete(e->store, rc.stale[i]);
	free(rc.stale);
	/* conflicts are not stored: find them again */
	for (m = e->list; m != NULL; m = m->next)
		update_conflict(e, m);
	/* what expired while we were down goes now */
	mit_tick(e, now);
	return ret;
}
