/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What the policy mitigator decides with people (pol_int.h): mitigations
 * held for an administrator's approval, and escalation when the client
 * says the attack goes on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "pol_int.h"

/* Held for approval: say so (once), and what to do. */
int
pol_hold(struct be_policy *p, struct pol_mit *pm, bool isnew)
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

/*
 * The client says it is still under attack (efficacy update): the whole
 * scope also goes to the "escalate" chain, once.  Its failure leaves the
 * other parts as they are.
 */
void
pol_efficacy(struct backend *be, uint64_t id, uint8_t attack_status)
{
	struct be_policy *p = be->priv;
	struct pol_mit *pm = pol_find_mit(p, id);
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
	if (pol_slot_start(p, pm, k) != 0) {
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

size_t
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

int
pol_decide(struct backend *be, uint64_t id, bool approve, const char *why)
{
	struct be_policy *p = be->priv;
	struct pol_mit *pm = pol_find_mit(p, id);
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
	if (approve && pol_start_parts(p, pm, fresh) == 0) {
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
	pol_unlink_mit(p, pm);
	pol_mit_free(pm);
	return be_rq_push(&p->rq, &r);
}
