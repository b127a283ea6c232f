/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The policy mitigator: picks, per mitigation, which of the other
 * mitigators enforce it (pol_plan.c: by target prefix, and by attack type),
 * and falls back along each chain when one refuses or fails.  It is what
 * an orchestrator (RFC 8903 section 3.3) configures for its clients:
 * flowspec to its own routers, upstream DOTS servers, scrubbers.
 *
 * Each part of a mitigation goes to one mitigator of its chain at a time,
 * under an id of its own: POL_ID_BASE | parent << 7 | part << 3 | place
 * in the chain.  The ids are the same after a restart, so that mitigators
 * that reconcile by id (flowspec, an upstream DOTS server) find theirs
 * again.  The mitigators' reports come here first (bind() puts a hook in
 * front of each report callback) and go on to the server as one report
 * for the whole mitigation: active once every part is, failed once a
 * part has no mitigator left (the others are then withdrawn: all or
 * nothing), withdrawn once every part is.
 *
 * ACLs of the data channel go to the first mitigator of the "use" chain
 * that enforces ACLs, under their own id.
 *
 * With manual approval, a new mitigation is held (reported pending) until
 * an administrator approves it (decide(), from dotsd's control socket);
 * one that was enforced before (its start is stored: a restart) is not
 * held again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dots/cbor.h>

#include "../backend.h"
#include "../be_util.h"
#include "be_policy.h"
#include "log.h"
#include "pol_plan.h"

#define POL_ID_BASE	(UINT64_C(1) << 61)
#define POL_PARENT_MAX	(UINT64_C(1) << 54)	/* ids it can take */

/* In front of one mitigator's report callback. */
struct pol_hook {
	struct be_policy	*pol;
	be_report_fn		 orig;
	void			*orig_arg;
};

/* Where the mitigator of a part is with it. */
enum pol_phase {
	PH_LIVE,	/* applied */
	PH_LEAVING,	/* withdraw asked, its report awaited */
	PH_DEAD		/* withdrawn, failed, or refused by all */
};

/* One part of a mitigation, and where along its chain it is. */
struct pol_slot {
	bool			 used;
	const struct pol_chain	*chain;
	size_t			 at;		/* the mitigator used now */
	struct be_report	 last;		/* its last report, state 0: none */
	enum pol_phase		 phase;
	struct dots_prefix	*prefix;	/* its targets */
	size_t			 nprefix;
	bool			 names;
	bool			 extra;		/* an escalation: may fail alone */
};

struct pol_mit {
	uint64_t		 id;
	char			*cuid, *client, *cdid;
	uint32_t		 mid;
	int64_t			 lifetime;
	uint8_t			 hop_limit;
	struct dots_signal	*sig;		/* our copy of the scope */
	struct pol_slot		 slot[POL_PARTS_MAX];
	bool			 held;		/* awaiting approval */
	int64_t			 since;		/* held since (epoch s) */
	bool			 withdrawing;
	enum be_state		 reported;	/* last state told, 0: none */
	char			 why[480];	/* refusals and failures */
	struct pol_mit		*next;
};

struct be_policy {
	struct backend	*be;
	struct pol_conf	 conf;
	struct pol_hook	*hook;
	size_t		 nhook, nhook_max;
	struct pol_mit	*mits;
	struct be_rq	 rq;
};

static struct backend *
chain_be(const struct pol_chain *ch, size_t i)
{
	return ch->bound[i];
}

static uint64_t
child_id(uint64_t parent, size_t part, size_t at)
{
	return POL_ID_BASE | parent << 7 | (uint64_t)part << 3 | at;
}

static void
mit_free(struct pol_mit *pm)
{
	size_t i;

	for (i = 0; i < POL_PARTS_MAX; i++)
		free(pm->slot[i].prefix);
	dots_signal_free(pm->sig);
	free(pm->cuid);
	free(pm->client);
	free(pm->cdid);
	free(pm);
}

static struct pol_mit *
find_mit(struct be_policy *p, uint64_t id)
{
	struct pol_mit *pm;

	for (pm = p->mits; pm != NULL; pm = pm->next)
		if (pm->id == id)
			return pm;
	return NULL;
}

static void
unlink_mit(struct be_policy *p, struct pol_mit *pm)
{
	struct pol_mit **pp;

	for (pp = &p->mits; *pp != NULL; pp = &(*pp)->next)
		if (*pp == pm) {
			*pp = pm->next;
			return;
		}
}

/* Our own copy of @p s, through its CBOR. */
static struct dots_signal *
copy_scope(const struct dots_scope *s)
{
	struct dots_signal *tmp = dots_signal_new(DOTS_SIG_MITIGATION);
	struct dots_signal *out = NULL;
	struct dots_scope shallow = *s;
	uint8_t buf[DOTS_CBOR_MAX_BODY];
	size_t len;

	if (tmp == NULL)
		return NULL;
	tmp->mitigation.scope = &shallow;
	tmp->mitigation.n_scope = 1;
	if (dots_cbor_encode_signal(tmp, buf, sizeof(buf), &len) == DOTS_OK)
		(void)dots_cbor_decode_signal(buf, len, &out, NULL);
	tmp->mitigation.scope = NULL;
	tmp->mitigation.n_scope = 0;
	dots_signal_free(tmp);
	return out;
}

static void
why_add(struct pol_mit *pm, const struct backend *be, const char *reason)
{
	size_t len = strlen(pm->why);

	snprintf(pm->why + len, sizeof(pm->why) - len, "%smitigator %s: %s",
	    len ? "; " : "", be->name, reason[0] ? reason : "refused");
}

/*
 * Hand slot @p k to the mitigators of its chain from its place on, until
 * one takes it.  @return 0, or when none is left the last one's -errno
 * (-ENOENT: none was left to ask).
 */
static int
slot_start(struct be_policy *p, struct pol_mit *pm, size_t k)
{
	struct pol_slot *sl = &pm->slot[k];
	struct dots_scope sc = pm->sig->mitigation.scope[0];
	struct be_mitigation m = {
		.cuid = pm->cuid, .client = pm->client, .mid = pm->mid,
		.scope = &sc, .lifetime = pm->lifetime, .cdid = pm->cdid,
		.hop_limit = pm->hop_limit,
	};
	struct backend *be;
	int ret = -ENOENT;

	sc.target.prefix = sl->prefix;
	sc.target.n_prefix = sl->nprefix;
	if (!sl->names) {
		sc.target.n_fqdn = 0;
		sc.target.n_uri = 0;
	}
	for (; sl->at < sl->chain->n; sl->at++) {
		be = chain_be(sl->chain, sl->at);
		m.id = child_id(pm->id, k, sl->at);
		be->refusal[0] = '\0';
		if (be->capacity != 0 && be->active >= be->capacity)
			ret = -ENOSPC;
		else
			ret = be->ops->apply(be, &m);
		if (ret == 0) {
			memset(&sl->last, 0, sizeof(sl->last));
			sl->phase = PH_LIVE;
			log_info("mitigator \"%s\": mitigation %llu: part %zu "
			    "(%zu prefixes) to mitigator %s", p->be->name,
			    (unsigned long long)pm->id, k, sl->nprefix,
			    be->name);
			return 0;
		}
		why_add(pm, be, be->refusal[0] ? be->refusal :
		    strerror(-ret));
		log_info("mitigator \"%s\": mitigation %llu: mitigator %s "
		    "refused part %zu: %s", p->be->name,
		    (unsigned long long)pm->id, be->name, k,
		    be->refusal[0] ? be->refusal : strerror(-ret));
	}
	sl->phase = PH_DEAD;
	return ret;
}

static void
slot_withdraw(struct pol_mit *pm, size_t k)
{
	struct pol_slot *sl = &pm->slot[k];
	struct backend *be;

	if (!sl->used || sl->phase != PH_LIVE)
		return;
	be = chain_be(sl->chain, sl->at);
	be->ops->withdraw(be, child_id(pm->id, k, sl->at));
	sl->phase = PH_LEAVING;
}

static void
emit(struct be_policy *p, struct pol_mit *pm, enum be_state st,
    const struct be_report *sum)
{
	struct be_report r;

	if (sum != NULL)
		r = *sum;
	else
		be_report_init(&r, pm->id, st);
	r.id = pm->id;
	r.state = st;
	if (st == BE_FAILED)
		be_errf(r.reason, sizeof(r.reason), "%s", pm->why);
	pm->reported = st;
	be_emit(p->be, &r);
}

/* Every part failed or gone: tell it, forget it. */
static void
fail_all(struct be_policy *p, struct pol_mit *pm)
{
	size_t k;

	for (k = 0; k < POL_PARTS_MAX; k++)
		slot_withdraw(pm, k);
	unlink_mit(p, pm);
	emit(p, pm, BE_FAILED, NULL);
	mit_free(pm);
}

/* What the parts say together, told when it changes (active: always). */
static void
summarize(struct be_policy *p, struct pol_mit *pm)
{
	struct be_report sum;
	bool pending = false, stats = true;
	size_t k;

	be_report_init(&sum, pm->id, BE_ACTIVE);
	for (k = 0; k < POL_PARTS_MAX; k++) {
		const struct be_report *l = &pm->slot[k].last;

		if (!pm->slot[k].used)
			continue;
		if (l->state != BE_ACTIVE) {
			pending = true;
			if (l->reason[0] != '\0')
				snprintf(sum.reason, sizeof(sum.reason), "%s",
				    l->reason);
			continue;
		}
		stats &= (l->flags & BE_STATS_VALID) != 0;
		sum.bytes_dropped += l->bytes_dropped;
		sum.pkts_dropped += l->pkts_dropped;
		sum.bps_dropped += l->bps_dropped;
		sum.pps_dropped += l->pps_dropped;
	}
	if (pending) {
		if (pm->reported != BE_PENDING)
			emit(p, pm, BE_PENDING, &sum);
		return;
	}
	sum.flags = stats ? BE_STATS_VALID : 0;
	emit(p, pm, BE_ACTIVE, &sum);
}

static bool
all_dead(const struct pol_mit *pm)
{
	size_t k;

	for (k = 0; k < POL_PARTS_MAX; k++)
		if (pm->slot[k].used && pm->slot[k].phase != PH_DEAD)
			return false;
	return true;
}

/* A report of a mitigator about one of our parts. */
static void
part_report(struct be_policy *p, struct pol_mit *pm, size_t k,
    const struct be_report *r)
{
	struct pol_slot *sl = &pm->slot[k];
	struct backend *be = chain_be(sl->chain, sl->at);

	if (pm->withdrawing) {
		if (r->state == BE_WITHDRAWN || r->state == BE_FAILED)
			sl->phase = PH_DEAD;
		if (all_dead(pm)) {
			unlink_mit(p, pm);
			emit(p, pm, BE_WITHDRAWN, NULL);
			mit_free(pm);
		}
		return;
	}
	if (r->state == BE_ACTIVE || r->state == BE_PENDING) {
		sl->last = *r;
		summarize(p, pm);
		return;
	}
	/* failed, or ended by itself: the next one of the chain */
	sl->phase = PH_DEAD;
	why_add(pm, be, r->state == BE_FAILED ? r->reason :
	    "ended the mitigation");
	log_info("mitigator \"%s\": mitigation %llu: mitigator %s gave up "
	    "part %zu: %s", p->be->name, (unsigned long long)pm->id,
	    be->name, k, r->reason[0] ? r->reason : "no reason given");
	sl->at++;
	if (slot_start(p, pm, k) != 0) {
		if (!sl->extra) {
			fail_all(p, pm);
			return;
		}
		log_warnx("mitigator \"%s\": mitigation %llu: no mitigator "
		    "of \"escalate\" is left; it goes on without",
		    p->be->name, (unsigned long long)pm->id);
		free(sl->prefix);
		memset(sl, 0, sizeof(*sl));
	}
	summarize(p, pm);
}

static void
hook_report(void *arg, const struct be_report *r)
{
	struct pol_hook *h = arg;
	struct be_policy *p = h->pol;
	struct pol_mit *pm;
	uint64_t parent = (r->id & ~POL_ID_BASE) >> 7;
	size_t k = (size_t)(r->id >> 3 & 0xf), at = (size_t)(r->id & 7);

	if ((r->id & ~(POL_ID_BASE - 1)) == POL_ID_BASE &&
	    (pm = find_mit(p, parent)) != NULL && k < POL_PARTS_MAX &&
	    pm->slot[k].used && pm->slot[k].at == at) {
		part_report(p, pm, k, r);
		return;
	}
	/* not ours (a client of its own, an ACL, another policy) */
	if (h->orig != NULL)
		h->orig(h->orig_arg, r);
}

/* The first mitigator of "use" that enforces ACLs, or NULL. */
static struct backend *
acl_be(const struct be_policy *p)
{
	size_t i;

	for (i = 0; i < p->conf.use.n; i++)
		if (chain_be(&p->conf.use, i)->ops->acls)
			return chain_be(&p->conf.use, i);
	return NULL;
}

static int
acl_apply(struct backend *be, const struct be_mitigation *m, bool check)
{
	struct backend *to = acl_be(be->priv);
	int ret;

	if (to == NULL) {
		snprintf(be->refusal, sizeof(be->refusal), "no mitigator of "
		    "\"use\" enforces ACLs");
		return -ENOTSUP;
	}
	if (check && to->ops->check == NULL)
		return 0;
	to->refusal[0] = '\0';
	ret = check ? to->ops->check(to, m) : to->ops->apply(to, m);
	if (ret != 0)
		be_errf(be->refusal, sizeof(be->refusal), "mitigator %s: %s",
		    to->name, to->refusal[0] ? to->refusal : strerror(-ret));
	return ret;
}

/* The targets of @p plan into the slots of @p pm, keeping a slot's place
 * and chain position when its chain stays. */
static void
take_plan(struct pol_mit *pm, struct pol_plan *plan, bool *fresh)
{
	size_t i, k;

	for (k = 0; k < POL_PARTS_MAX; k++)
		fresh[k] = false;
	for (i = 0; i < plan->n; i++) {
		for (k = 0; k < POL_PARTS_MAX; k++)
			if (pm->slot[k].used &&
			    pm->slot[k].phase != PH_DEAD &&
			    pm->slot[k].chain == plan->part[i].chain)
				break;
		if (k == POL_PARTS_MAX) {
			for (k = 0; pm->slot[k].used; k++)
				;
			memset(&pm->slot[k], 0, sizeof(pm->slot[k]));
			pm->slot[k].used = true;
			pm->slot[k].chain = plan->part[i].chain;
		}
		free(pm->slot[k].prefix);
		pm->slot[k].prefix = plan->part[i].prefix;
		pm->slot[k].nprefix = plan->part[i].nprefix;
		pm->slot[k].names = plan->part[i].names;
		plan->part[i].prefix = NULL;
		fresh[k] = true;
	}
}

static int
set_fields(struct pol_mit *pm, const struct be_mitigation *m)
{
	free(pm->cuid);
	free(pm->client);
	free(pm->cdid);
	dots_signal_free(pm->sig);
	pm->cuid = strdup(m->cuid ? m->cuid : "");
	pm->client = strdup(m->client ? m->client : "");
	pm->cdid = m->cdid ? strdup(m->cdid) : NULL;
	pm->sig = copy_scope(m->scope);
	pm->mid = m->mid;
	pm->lifetime = m->lifetime;
	pm->hop_limit = m->hop_limit;
	return pm->cuid && pm->client && (pm->cdid || !m->cdid) && pm->sig ?
	    0 : -ENOMEM;
}

/*
 * Hand the parts marked in @p fresh over (again), withdraw the others.
 * @return 0, or a part's last -errno with every part withdrawn.
 */
static int
start_parts(struct be_policy *p, struct pol_mit *pm, const bool *fresh)
{
	size_t k;
	int ret;

	for (k = 0; k < POL_PARTS_MAX; k++) {
		if (!pm->slot[k].used)
			continue;
		if (!fresh[k] && pm->slot[k].extra)
			continue;	/* an escalation stays as it is */
		if (!fresh[k]) {	/* its chain has no targets now */
			slot_withdraw(pm, k);
			free(pm->slot[k].prefix);
			memset(&pm->slot[k], 0, sizeof(pm->slot[k]));
			continue;
		}
		if ((ret = slot_start(p, pm, k)) != 0) {
			for (k = 0; k < POL_PARTS_MAX; k++)
				slot_withdraw(pm, k);
			return ret;
		}
	}
	return 0;
}

/* Held for approval: say so (once), and what to do. */
static int
hold(struct be_policy *p, struct pol_mit *pm, bool isnew)
{
	struct be_report r;

	if (!isnew)
		return 0;
	log_warnx("mitigator \"%s\": mitigation %llu of client %s (mid %u) "
	    "awaits an administrator's approval: dotsctl server approve "
	    "%llu", p->be->name, (unsigned long long)pm->id, pm->client,
	    pm->mid, (unsigned long long)pm->id);
	be_report_init(&r, pm->id, BE_PENDING);
	snprintf(r.reason, sizeof(r.reason), "awaiting an administrator's "
	    "approval");
	return be_rq_push(&p->rq, &r);
}

static int
pol_apply(struct backend *be, const struct be_mitigation *m)
{
	struct be_policy *p = be->priv;
	struct pol_mit *pm = find_mit(p, m->id);
	struct pol_plan plan;
	bool fresh[POL_PARTS_MAX], isnew = pm == NULL;
	int ret;

	be->refusal[0] = '\0';
	if (m->acl != NULL)
		return acl_apply(be, m, false);
	if (m->id >= POL_PARENT_MAX)
		return -EOVERFLOW;
	if ((ret = pol_plan_scope(&p->conf, m->scope, &plan)) != 0) {
		pol_plan_clear(&plan);
		snprintf(be->refusal, sizeof(be->refusal), "the targets "
		    "would go to more than %d chains", POL_PARTS_MAX);
		return ret;
	}
	if (isnew && (pm = calloc(1, sizeof(*pm))) == NULL) {
		pol_plan_clear(&plan);
		return -ENOMEM;
	}
	pm->id = m->id;
	if (set_fields(pm, m) != 0) {
		pol_plan_clear(&plan);
		if (isnew)
			mit_free(pm);
		return -ENOMEM;
	}
	take_plan(pm, &plan, fresh);
	pol_plan_clear(&plan);
	pm->why[0] = '\0';
	if (isnew) {
		pm->next = p->mits;
		p->mits = pm;
		pm->held = p->conf.manual && m->started == 0;
		pm->since = time(NULL);
	}
	if (pm->held)
		return hold(p, pm, isnew);
	if ((ret = start_parts(p, pm, fresh)) != 0) {
		be_errf(be->refusal, sizeof(be->refusal), "%s", pm->why);
		unlink_mit(p, pm);
		mit_free(pm);
		return ret;
	}
	pm->reported = 0;
	return 0;
}

static int
pol_check(struct backend *be, const struct be_mitigation *m)
{
	be->refusal[0] = '\0';
	return m->acl != NULL ? acl_apply(be, m, true) : 0;
}

static int
pol_withdraw(struct backend *be, uint64_t id)
{
	struct be_policy *p = be->priv;
	struct pol_mit *pm = find_mit(p, id);
	struct backend *to = acl_be(p);
	struct be_report r;
	size_t k;

	if (pm == NULL && id >= POL_PARENT_MAX && to != NULL)	/* an ACL */
		return to->ops->withdraw(to, id);
	if (pm != NULL) {
		pm->withdrawing = true;
		for (k = 0; k < POL_PARTS_MAX; k++)
			slot_withdraw(pm, k);
		if (!all_dead(pm))
			return 0;	/* the mitigators' reports end it */
		unlink_mit(p, pm);
		mit_free(pm);
	}
	be_report_init(&r, id, BE_WITHDRAWN);
	return be_rq_push(&p->rq, &r);
}

static void
pol_poll(struct backend *be)
{
	struct be_policy *p = be->priv;

	be_rq_flush(be, &p->rq);
}

static int
pol_init(struct backend *be, const struct be_setting *settings,
    size_t nsettings, char *err, size_t errlen)
{
	struct be_policy *p = calloc(1, sizeof(*p));
	size_t i;
	int ret = 0;

	if (p == NULL)
		return -ENOMEM;
	p->be = be;
	for (i = 0; i < nsettings && ret == 0; i++)
		ret = pol_conf_setting(&p->conf, settings[i].key,
		    settings[i].value, err, errlen);
	if (ret == 0)
		ret = pol_conf_check(&p->conf, err, errlen);
	if (ret != 0) {
		pol_conf_free(&p->conf);
		free(p);
		return ret;
	}
	be->priv = p;
	return 0;
}

/* The names of @p ch to mitigators; each gets our hook once. */
static int
bind_chain(struct be_policy *p, struct pol_chain *ch,
    struct backend *(*find)(void *, const char *), void *arg, char *err,
    size_t errlen)
{
	struct backend *be;
	struct pol_hook *h;
	size_t i;

	for (i = 0; i < ch->n; i++) {
		be = find(arg, ch->name[i]);
		if (be == NULL) {
			be_errf(err, errlen, "no mitigator \"%s\"",
			    ch->name[i]);
			return -EINVAL;
		}
		if (be == p->be || be->ops->bind != NULL) {
			be_errf(err, errlen, "mitigator \"%s\" is a policy "
			    "itself: policies do not nest", ch->name[i]);
			return -EINVAL;
		}
		ch->bound[i] = be;
		/* Hop-Limit 1 is refused if any part might be relayed */
		p->be->relays |= be->ops->relays;
		if (be->report == hook_report &&
		    ((struct pol_hook *)be->report_arg)->pol == p)
			continue;	/* in another chain of ours already */
		if (p->nhook == p->nhook_max) {
			be_errf(err, errlen, "too many mitigators");
			return -EINVAL;
		}
		h = &p->hook[p->nhook++];
		h->pol = p;
		h->orig = be->report;
		h->orig_arg = be->report_arg;
		be->report = hook_report;
		be->report_arg = h;
	}
	return 0;
}

static int
pol_bind(struct backend *be, struct backend *(*find)(void *, const char *),
    void *arg, char *err, size_t errlen)
{
	struct be_policy *p = be->priv;
	size_t i;
	int ret;

	p->nhook_max = POL_CHAIN_MAX * (2 + p->conf.nroute);
	if ((p->hook = calloc(p->nhook_max, sizeof(*p->hook))) == NULL)
		return -ENOMEM;
	ret = bind_chain(p, &p->conf.use, find, arg, err, errlen);
	if (ret == 0)
		ret = bind_chain(p, &p->conf.reflection, find, arg, err,
		    errlen);
	if (ret == 0)
		ret = bind_chain(p, &p->conf.escalate, find, arg, err, errlen);
	for (i = 0; i < p->conf.nroute && ret == 0; i++)
		ret = bind_chain(p, &p->conf.route[i].chain, find, arg, err,
		    errlen);
	return ret;
}

/*
 * The client says it is still under attack (efficacy update): the whole
 * scope also goes to the "escalate" chain, once.  Its failure leaves the
 * other parts as they are.
 */
static void
pol_efficacy(struct backend *be, uint64_t id, uint8_t attack_status)
{
	struct be_policy *p = be->priv;
	struct pol_mit *pm = find_mit(p, id);
	const struct dots_scope *s;
	struct pol_slot *sl;
	size_t k, n;

	if (pm == NULL || pm->held || pm->withdrawing ||
	    attack_status != DOTS_ATTACK_UNDER_ATTACK ||
	    p->conf.escalate.n == 0)
		return;
	for (k = 0; k < POL_PARTS_MAX; k++)
		if (pm->slot[k].used && pm->slot[k].extra)
			return;		/* escalated already */
	for (k = 0; k < POL_PARTS_MAX && pm->slot[k].used; k++)
		;
	if (k == POL_PARTS_MAX)
		return;
	s = &pm->sig->mitigation.scope[0];
	sl = &pm->slot[k];
	memset(sl, 0, sizeof(*sl));
	n = s->target.n_prefix;
	if (n != 0 && (sl->prefix = malloc(n * sizeof(*sl->prefix))) == NULL)
		return;
	if (n != 0)
		memcpy(sl->prefix, s->target.prefix, n * sizeof(*sl->prefix));
	sl->nprefix = n;
	sl->names = true;
	sl->extra = true;
	sl->used = true;
	sl->chain = &p->conf.escalate;
	log_info("mitigator \"%s\": mitigation %llu: the client says it is "
	    "still under attack: escalated", be->name, (unsigned long long)id);
	if (slot_start(p, pm, k) != 0) {
		log_warnx("mitigator \"%s\": mitigation %llu: no mitigator of "
		    "\"escalate\" took it: %s", be->name,
		    (unsigned long long)id, pm->why);
		free(sl->prefix);
		memset(sl, 0, sizeof(*sl));
	}
	/* its mitigator's reports tell the rest (never from in here) */
}

/* "192.0.2.0/25 192.0.2.128/25 +names": a held mitigation's targets. */
static void
held_what(const struct pol_mit *pm, char *buf, size_t len)
{
	char px[64];
	size_t k, i, off = 0;
	int n;

	buf[0] = '\0';
	for (k = 0; k < POL_PARTS_MAX; k++)
		for (i = 0; pm->slot[k].used && i < pm->slot[k].nprefix; i++) {
			dots_prefix_format(&pm->slot[k].prefix[i], px,
			    sizeof(px));
			n = snprintf(buf + off, len - off, "%s%s",
			    off ? " " : "", px);
			if (n < 0 || (size_t)n >= len - off)
				return;
			off += (size_t)n;
		}
	if (pm->sig->mitigation.scope[0].target.n_fqdn != 0 ||
	    pm->sig->mitigation.scope[0].target.n_uri != 0)
		snprintf(buf + off, len - off, "%snames", off ? " +" : "");
}

static size_t
pol_held(struct backend *be, struct be_held *out, size_t max)
{
	struct be_policy *p = be->priv;
	struct pol_mit *pm;
	size_t n = 0;

	for (pm = p->mits; pm != NULL; pm = pm->next) {
		if (!pm->held || pm->withdrawing)
			continue;
		if (n < max) {
			out[n].id = pm->id;
			snprintf(out[n].client, sizeof(out[n].client), "%s",
			    pm->client);
			out[n].mid = pm->mid;
			out[n].since = pm->since;
			held_what(pm, out[n].what, sizeof(out[n].what));
		}
		n++;
	}
	return n;
}

static int
pol_decide(struct backend *be, uint64_t id, bool approve, const char *why)
{
	struct be_policy *p = be->priv;
	struct pol_mit *pm = find_mit(p, id);
	bool fresh[POL_PARTS_MAX];
	struct be_report r;
	size_t k;

	if (pm == NULL || !pm->held || pm->withdrawing)
		return -ENOENT;
	pm->held = false;
	log_info("mitigator \"%s\": mitigation %llu %s by an administrator"
	    "%s%s", be->name, (unsigned long long)id, approve ? "approved" :
	    "refused", why != NULL && why[0] ? ": " : "", why ? why : "");
	for (k = 0; k < POL_PARTS_MAX; k++)
		fresh[k] = pm->slot[k].used;
	if (approve && start_parts(p, pm, fresh) == 0) {
		pm->reported = 0;
		return 0;
	}
	be_report_init(&r, id, BE_FAILED);
	if (approve)
		be_errf(r.reason, sizeof(r.reason), "%s", pm->why);
	else
		snprintf(r.reason, sizeof(r.reason), "refused by an "
		    "administrator%s%.120s", why != NULL && why[0] ? ": " : "",
		    why ? why : "");
	unlink_mit(p, pm);
	mit_free(pm);
	return be_rq_push(&p->rq, &r);
}

/*
 * The mitigators it hooked may outlive it only at exit, when no report
 * flows any more; they are not touched here.
 */
static void
pol_free(struct backend *be)
{
	struct be_policy *p = be->priv;
	struct pol_mit *pm;

	if (p == NULL)
		return;
	while ((pm = p->mits) != NULL) {
		p->mits = pm->next;
		mit_free(pm);
	}
	be_rq_clear(&p->rq);
	pol_conf_free(&p->conf);
	free(p->hook);
	free(p);
	be->priv = NULL;
}

/* Every name of @p ch is another mitigator, which is no policy. */
static int
check_chain(const struct pol_chain *ch,
    int (*kind_of)(const void *, const char *), const void *arg, char *err,
    size_t errlen)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		switch (kind_of(arg, ch->name[i])) {
		case -1:
			be_errf(err, errlen, "no mitigator \"%s\"",
			    ch->name[i]);
			return -EINVAL;
		case 1:
			be_errf(err, errlen, "mitigator \"%s\" is a policy "
			    "itself: policies do not nest", ch->name[i]);
			return -EINVAL;
		}
	return 0;
}

int
be_policy_check(const struct be_setting *settings, size_t n,
    int (*kind_of)(const void *arg, const char *name), const void *arg,
    char *err, size_t errlen)
{
	struct pol_conf c = { 0 };
	size_t i;
	int ret = 0;

	for (i = 0; i < n && ret == 0; i++)
		ret = pol_conf_setting(&c, settings[i].key, settings[i].value,
		    err, errlen);
	if (ret == 0)
		ret = pol_conf_check(&c, err, errlen);
	if (ret == 0)
		ret = check_chain(&c.use, kind_of, arg, err, errlen);
	if (ret == 0)
		ret = check_chain(&c.reflection, kind_of, arg, err, errlen);
	if (ret == 0)
		ret = check_chain(&c.escalate, kind_of, arg, err, errlen);
	for (i = 0; i < c.nroute && ret == 0; i++)
		ret = check_chain(&c.route[i].chain, kind_of, arg, err,
		    errlen);
	pol_conf_free(&c);
	return ret;
}

const struct be_ops be_policy_ops = {
	.name = "policy",
	.acls = true,
	.init = pol_init,
	.bind = pol_bind,
	.apply = pol_apply,
	.check = pol_check,
	.efficacy = pol_efficacy,
	.withdraw = pol_withdraw,
	.held = pol_held,
	.decide = pol_decide,
	.poll = pol_poll,
	.free = pol_free,
};
