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

#include "be_policy.h"
#include "log.h"
#include "pol_int.h"

/* The first mitigator of "use" that enforces ACLs, or NULL. */
static struct backend *
acl_be(const struct be_policy *p)
{
	size_t i;

	for (i = 0; i < p->conf.use.n; i++)
		if (pol_chain_be(&p->conf.use, i)->ops->acls)
			return pol_chain_be(&p->conf.use, i);
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

static int
pol_apply(struct backend *be, const struct be_mitigation *m)
{
	struct be_policy *p = be->priv;
	struct pol_mit *pm = pol_find_mit(p, m->id);
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
	if (pol_set_fields(pm, m) != 0) {
		pol_plan_clear(&plan);
		if (isnew)
			pol_mit_free(pm);
		return -ENOMEM;
	}
	pol_take_plan(pm, &plan, fresh);
	pol_plan_clear(&plan);
	pm->why[0] = '\0';
	if (isnew) {
		pm->next = p->mits;
		p->mits = pm;
		pm->held = p->conf.manual && m->started == 0;
		pm->since = time(NULL);
	}
	if (pm->held)
		return pol_hold(p, pm, isnew);
	if ((ret = pol_start_parts(p, pm, fresh)) != 0) {
		be_errf(be->refusal, sizeof(be->refusal), "%s", pm->why);
		pol_unlink_mit(p, pm);
		pol_mit_free(pm);
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
	struct pol_mit *pm = pol_find_mit(p, id);
	struct backend *to = acl_be(p);
	struct be_report r;
	size_t k;

	if (pm == NULL && id >= POL_PARENT_MAX && to != NULL)	/* an ACL */
		return to->ops->withdraw(to, id);
	if (pm != NULL) {
		pm->withdrawing = true;
		for (k = 0; k < POL_PARTS_MAX; k++)
			pol_slot_withdraw(pm, k);
		if (!pol_all_dead(pm))
			return 0;	/* the mitigators' reports end it */
		pol_unlink_mit(p, pm);
		pol_mit_free(pm);
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
		if (be->report == pol_hook_report &&
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
		be->report = pol_hook_report;
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
		pol_mit_free(pm);
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
