/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The "flowspec" mitigator: each mitigation becomes BGP flow
 * specification rules (RFC 8955, RFC 8956) announced by a GoBGP speaker
 * to the routers that filter.  apply() translates the scope (fs_rule.c),
 * checks the mitigator's safety limits (fs_policy.c) and hands the rules'
 * text (fs_text.c) to the speaker driver (fs_speaker.c), which announces,
 * withdraws and reconciles them.  A scope that cannot be expressed, or
 * that the limits forbid, is refused at once with the reason in
 * be->refusal, which the server passes on to the client.  Before that, a
 * scope whose source prefixes would pass the rule budget of a mitigation
 * is fitted into it (fs_aggregate.c): sources merged into covering
 * prefixes, or source ports matched instead; the choice is logged.
 *
 * A filtering ACL of the data channel in force (be_mitigation.acl) goes
 * the same way: read by be_acl.c, one rule per ACE with the ACE's own
 * action (fs_acl.c), the same safety limits, the same speaker.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#include "../backend.h"
#include "../be_acl.h"
#include "../be_util.h"
#include "fs_aggregate.h"
#include "fs_rule.h"
#include "fs_speaker.h"

#define FS_TEXT_MAX	2048

struct be_flowspec {
	struct sp_mitigator	 sm;	/* first: sp_mitigator_free */
	struct fs_action	 action;
	struct fs_agg_conf	 agg;
};

static int
fs_action_setting(struct fs_action *a, const char *key, const char *value,
    char *err, size_t errlen)
{
	unsigned long long v;
	int ret;

	if (strcmp(key, "action") == 0) {
		if (strcmp(value, "discard") == 0)
			a->kind = FS_ACT_DISCARD;
		else if (strcmp(value, "rate-limit") == 0)
			a->kind = FS_ACT_RATE;
		else if (strcmp(value, "accept") == 0)
			a->kind = FS_ACT_ACCEPT;
		else {
			be_errf(err, errlen, "setting \"action\" is discard, "
			    "rate-limit or accept, not \"%s\"", value);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(key, "rate-limit") == 0) {
		ret = be_setting_uint(key, value, UINT32_MAX, &v, err,
		    errlen);
		a->rate = ret == 0 ? (uint32_t)v : a->rate;
		return ret;
	}
	return 1;
}

static int
fs_yesno(const char *key, const char *value, bool *out, char *err,
    size_t errlen)
{
	if (strcmp(value, "yes") == 0)
		*out = true;
	else if (strcmp(value, "no") == 0)
		*out = false;
	else {
		be_errf(err, errlen, "setting \"%s\" is yes or no, not \"%s\"",
		    key, value);
		return -EINVAL;
	}
	return 0;
}

/* aggregate, max-rules-per-mitigation, min-source-prefix-length-v4/v6,
 * source-port-fallback */
static int
fs_agg_setting(struct fs_agg_conf *c, const char *key, const char *value,
    char *err, size_t errlen)
{
	unsigned long long v;
	int ret;

	if (strcmp(key, "aggregate") == 0)
		return fs_yesno(key, value, &c->enabled, err, errlen);
	if (strcmp(key, "source-port-fallback") == 0)
		return fs_yesno(key, value, &c->sport_fallback, err, errlen);
	if (strcmp(key, "max-rules-per-mitigation") == 0) {
		ret = be_setting_uint(key, value, 1000000, &v, err, errlen);
		c->budget = ret == 0 ? (unsigned)v : c->budget;
		return ret;
	}
	if (strcmp(key, "min-source-prefix-length-v4") == 0) {
		ret = be_setting_uint(key, value, 32, &v, err, errlen);
		c->min_len4 = ret == 0 ? (uint8_t)v : c->min_len4;
		return ret;
	}
	if (strcmp(key, "min-source-prefix-length-v6") == 0) {
		ret = be_setting_uint(key, value, 128, &v, err, errlen);
		c->min_len6 = ret == 0 ? (uint8_t)v : c->min_len6;
		return ret;
	}
	return 1;
}

static int
fs_settings(struct backend *be, struct be_flowspec *f, struct sp_conf *sc,
    const struct be_setting *s, size_t n, char *err, size_t errlen)
{
	unsigned long long v;
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		if (strcmp(s[i].key, "capacity") == 0) {
			ret = be_setting_uint(s[i].key, s[i].value,
			    UINT32_MAX, &v, err, errlen);
			be->capacity = ret == 0 ? (unsigned)v : 0;
		} else if ((ret = sp_setting(sc, s[i].key, s[i].value, err,
		    errlen)) == 1 && (ret = fs_policy_setting(&f->sm.pol,
		    s[i].key, s[i].value, err, errlen)) == 1 &&
		    (ret = fs_action_setting(&f->action, s[i].key,
		    s[i].value, err, errlen)) == 1 &&
		    (ret = fs_agg_setting(&f->agg, s[i].key, s[i].value, err,
		    errlen)) == 1) {
			be_errf(err, errlen, "unknown setting \"%s\" (see "
			    "docs/mitigators.md, flowspec)", s[i].key);
			ret = -EINVAL;
		}
		if (ret != 0)
			return ret;
	}
	if (f->action.kind == FS_ACT_RATE && f->action.rate == 0) {
		be_errf(err, errlen, "action rate-limit needs a \"rate-limit\" "
		    "in bytes per second above 0 (0 is action discard)");
		return -EINVAL;
	}
	return 0;
}

static int
fs_init(struct backend *be, const struct be_setting *settings,
    size_t nsettings, char *err, size_t errlen)
{
	struct be_flowspec *f = calloc(1, sizeof(*f));
	struct sp_conf sc;
	int ret;

	if (f == NULL)
		return -ENOMEM;
	sp_conf_init(&sc, true);
	/* safe defaults: no wider than a /24 or a /48, a bounded table */
	f->sm.pol.min_len4 = 24;
	f->sm.pol.min_len6 = 48;
	f->sm.pol.max_rules = 1000;
	f->sm.pol.max_rules_client = 100;
	f->action.kind = FS_ACT_DISCARD;
	/*
	 * A budget below the per-client limit, so that one mitigation of
	 * thousands of reflectors leaves room for others; merged sources no
	 * wider than a /16 (a /32 of IPv6: a provider's allocation).
	 */
	f->agg.enabled = true;
	f->agg.budget = 64;
	f->agg.min_len4 = 16;
	f->agg.min_len6 = 32;
	f->agg.sport_fallback = true;
	ret = fs_settings(be, f, &sc, settings, nsettings, err, errlen);
	if (ret == 0 && (f->sm.sp = sp_new(&sc, be)) == NULL)
		ret = -ENOMEM;
	if (ret != 0) {
		fs_policy_clear(&f->sm.pol);
		free(f);
		return ret;
	}
	be->priv = f;
	return 0;
}

static void
fs_refuse(struct backend *be, const char *why)
{
	/* a longer reason is cut: the client sees at most this much */
	snprintf(be->refusal, sizeof(be->refusal), "%.*s",
	    (int)sizeof(be->refusal) - 1, why);
}

/*
 * The rules' text, as routes for the speaker, with the action of each
 * rule in @p acts, or the mitigator's for all if NULL.  **new** strings
 * in @p t, and room for FS_ACT_MAX bytes a rule in @p act.
 */
#define FS_ACT_MAX	64

static int
fs_routes(const struct be_flowspec *f, const struct fs_rules *rs,
    const struct fs_action *acts, struct sp_route *r, char **t, char *act)
{
	size_t i;
	int ret;

	for (i = 0; i < rs->n; i++) {
		if ((ret = fs_action_text(acts != NULL ? &acts[i] :
		    &f->action, act + i * FS_ACT_MAX, FS_ACT_MAX)) != 0)
			return ret;
		if ((t[i] = malloc(FS_TEXT_MAX)) == NULL)
			return -ENOMEM;
		if ((ret = fs_rule_text(&rs->v[i], t[i], FS_TEXT_MAX)) != 0)
			return ret;
		r[i].family = fs_family_name(rs->v[i].family);
		r[i].nlri = t[i];
		r[i].attrs = act + i * FS_ACT_MAX;
	}
	return 0;
}

/* Hand mitigation @p m's rules to the speaker, in place of its others. */
static int
fs_announce(struct be_flowspec *f, const struct be_mitigation *m,
    const struct fs_rules *rs, const struct fs_action *acts)
{
	struct sp_route *r;
	char **t, *act;
	size_t i, n = rs->n ? rs->n : 1;
	int ret = -ENOMEM;

	r = calloc(n, sizeof(*r));
	t = calloc(n, sizeof(*t));
	act = calloc(n, FS_ACT_MAX);
	if (r != NULL && t != NULL && act != NULL &&
	    (ret = fs_routes(f, rs, acts, r, t, act)) == 0)
		ret = sp_set(f->sm.sp, m->id, m->client, r, rs->n);
	for (i = 0; t != NULL && i < rs->n; i++)
		free(t[i]);
	free(t);
	free(r);
	free(act);
	return ret;
}

/* Say how a scope was fitted into the budget, when it had to be. */
static void
fs_agg_log(const struct backend *be, const struct be_flowspec *f,
    const struct be_mitigation *m, const struct fs_agg_plan *p)
{
	char extra[64] = "";

	if (p->choice == FS_AGG_ASIS)
		return;
	if (p->choice == FS_AGG_MERGED)
		snprintf(extra, sizeof(extra), ", %.0f addresses beyond the "
		    "sources", p->extra);
	log_info("mitigator \"%s\": mitigation %llu: %zu source prefixes "
	    "pass the budget of %u rules: %s, %zu source prefixes, %zu "
	    "rules%s", be->name, (unsigned long long)m->id, p->n_in,
	    f->agg.budget, fs_agg_choice_name(p->choice), p->n_out,
	    p->rules, extra);
}

/*
 * An ACL in force: its rules, each with the ACE's action, under the same
 * limits as a scope; only checked against them if @p dry.
 */
static int
fs_apply_acl(struct backend *be, struct be_flowspec *f,
    const struct be_mitigation *m, bool dry)
{
	struct be_acl acl;
	struct fs_rules rs = { 0 };
	struct fs_action *acts = NULL;
	char why[256];
	int ret;

	ret = be_acl_parse(m->acl, &acl, why, sizeof(why));
	if (ret == 0 && (acts = calloc(acl.n_ace ? acl.n_ace : 1,
	    sizeof(*acts))) == NULL)
		ret = -ENOMEM;
	if (ret == 0)
		ret = fs_acl_translate(&acl, &rs, acts, why, sizeof(why));
	if (ret == 0)
		ret = fs_policy_rules(&f->sm.pol, &rs, sp_count(f->sm.sp, m->client,
		    m->id), sp_count(f->sm.sp, NULL, m->id), why, sizeof(why));
	if (ret == 0 && !dry) {
		log_info("mitigator \"%s\": mitigation %llu: ACL \"%s\": "
		    "%zu entries, %zu flow rules", be->name,
		    (unsigned long long)m->id, acl.name, acl.n_ace, rs.n);
		ret = fs_announce(f, m, &rs, acts);
	} else if (ret != 0 && ret != -ENOMEM) {
		log_info("mitigator \"%s\": mitigation %llu: ACL %s: %s",
		    be->name, (unsigned long long)m->id, dry ? "would be "
		    "refused" : "refused", why);
		fs_refuse(be, why);
	}
	free(acts);
	fs_rules_clear(&rs);
	be_acl_free(&acl);
	return ret;
}

static int
fs_apply(struct backend *be, const struct be_mitigation *m)
{
	struct be_flowspec *f = be->priv;
	struct fs_rules rs = { 0 };
	struct fs_agg_plan plan;
	char why[160];
	int ret;

	be->refusal[0] = '\0';
	if (m->acl != NULL)
		return fs_apply_acl(be, f, m, false);
	ret = fs_agg_plan(m->scope, &f->agg, &plan, why, sizeof(why));
	if (ret == 0) {
		fs_agg_log(be, f, m, &plan);
		ret = fs_translate(&plan.scope, &rs, why, sizeof(why));
	}
	if (ret == 0)
		ret = fs_policy_rules(&f->sm.pol, &rs, sp_count(f->sm.sp, m->client,
		    m->id), sp_count(f->sm.sp, NULL, m->id), why, sizeof(why));
	if (ret == 0)
		ret = fs_announce(f, m, &rs, NULL);
	else if (ret != -ENOMEM)
		fs_refuse(be, why);
	fs_rules_clear(&rs);
	fs_agg_plan_clear(&plan);
	return ret;
}

/* Only ACLs are checked ahead: an acl-list asks for them (RFC 9133). */
static int
fs_check(struct backend *be, const struct be_mitigation *m)
{
	be->refusal[0] = '\0';
	if (m->acl == NULL)
		return 0;
	return fs_apply_acl(be, be->priv, m, true);
}

const struct be_ops be_flowspec_ops = {
	.name = "flowspec",
	.acls = true,
	.init = fs_init,
	.apply = fs_apply,
	.check = fs_check,
	.withdraw = sp_mitigator_withdraw,
	.pollfds = sp_mitigator_pollfds,
	.poll = sp_mitigator_poll,
	.free = sp_mitigator_free,
};
