/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The parts of a policy's mitigation (pol_int.h): each handed to the
 * mitigators of its chain in turn under an id of its own, their reports
 * summed up into one for the server, all or nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/cbor.h>

#include "log.h"
#include "pol_int.h"

struct backend *
pol_chain_be(const struct pol_chain *ch, size_t i)
{
	return ch->bound[i];
}

static uint64_t
child_id(uint64_t parent, size_t part, size_t at)
{
	return POL_ID_BASE | parent << 7 | (uint64_t)part << 3 | at;
}

void
pol_mit_free(struct pol_mit *pm)
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

struct pol_mit *
pol_find_mit(struct be_policy *p, uint64_t id)
{
	struct pol_mit *pm;

	for (pm = p->mits; pm != NULL; pm = pm->next)
		if (pm->id == id)
			return pm;
	return NULL;
}

void
pol_unlink_mit(struct be_policy *p, struct pol_mit *pm)
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
int
pol_slot_start(struct be_policy *p, struct pol_mit *pm, size_t k)
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
		be = pol_chain_be(sl->chain, sl->at);
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

void
pol_slot_withdraw(struct pol_mit *pm, size_t k)
{
	struct pol_slot *sl = &pm->slot[k];
	struct backend *be;

	if (!sl->used || sl->phase != PH_LIVE)
		return;
	be = pol_chain_be(sl->chain, sl->at);
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
		pol_slot_withdraw(pm, k);
	pol_unlink_mit(p, pm);
	emit(p, pm, BE_FAILED, NULL);
	pol_mit_free(pm);
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

bool
pol_all_dead(const struct pol_mit *pm)
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
	struct backend *be = pol_chain_be(sl->chain, sl->at);

	if (pm->withdrawing) {
		if (r->state == BE_WITHDRAWN || r->state == BE_FAILED)
			sl->phase = PH_DEAD;
		if (pol_all_dead(pm)) {
			pol_unlink_mit(p, pm);
			emit(p, pm, BE_WITHDRAWN, NULL);
			pol_mit_free(pm);
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
	if (pol_slot_start(p, pm, k) != 0) {
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

void
pol_hook_report(void *arg, const struct be_report *r)
{
	struct pol_hook *h = arg;
	struct be_policy *p = h->pol;
	struct pol_mit *pm;
	uint64_t parent = (r->id & ~POL_ID_BASE) >> 7;
	size_t k = (size_t)(r->id >> 3 & 0xf), at = (size_t)(r->id & 7);

	if ((r->id & ~(POL_ID_BASE - 1)) == POL_ID_BASE &&
	    (pm = pol_find_mit(p, parent)) != NULL && k < POL_PARTS_MAX &&
	    pm->slot[k].used && pm->slot[k].at == at) {
		part_report(p, pm, k, r);
		return;
	}
	/* not ours (a client of its own, an ACL, another policy) */
	if (h->orig != NULL)
		h->orig(h->orig_arg, r);
}

/* The first mitigator of "use" that enforces ACLs, or NULL. */
/* The targets of @p plan into the slots of @p pm, keeping a slot's place
 * and chain position when its chain stays. */
void
pol_take_plan(struct pol_mit *pm, struct pol_plan *plan, bool *fresh)
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

int
pol_set_fields(struct pol_mit *pm, const struct be_mitigation *m)
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
int
pol_start_parts(struct be_policy *p, struct pol_mit *pm, const bool *fresh)
{
	size_t k;
	int ret;

	for (k = 0; k < POL_PARTS_MAX; k++) {
		if (!pm->slot[k].used)
			continue;
		if (!fresh[k] && pm->slot[k].extra)
			continue;	/* an escalation stays as it is */
		if (!fresh[k]) {	/* its chain has no targets now */
			pol_slot_withdraw(pm, k);
			free(pm->slot[k].prefix);
			memset(&pm->slot[k], 0, sizeof(pm->slot[k]));
			continue;
		}
		if ((ret = pol_slot_start(p, pm, k)) != 0) {
			for (k = 0; k < POL_PARTS_MAX; k++)
				pol_slot_withdraw(pm, k);
			return ret;
		}
	}
	return 0;
}
