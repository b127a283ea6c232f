/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The "rtbh" mitigator: remote triggered black hole (RFC 5635) with the
 * BLACKHOLE community 65535:666 of RFC 7999.  Each target prefix of a
 * mitigation is announced as a unicast route with a discard next hop and
 * the community (and NO_EXPORT, so that it stays in the AS), through the
 * same GoBGP speaker driver as the flowspec mitigator.  Routers drop all
 * traffic to such a destination: that completes the attack for the
 * victim, so it is for whole destinations only, /32 and /128 unless the
 * operator allows shorter prefixes, and a scope that names ports,
 * protocols or sources is refused rather than widened.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../backend.h"
#include "../be_util.h"
#include "../flowspec/fs_rule.h"
#include "../flowspec/fs_speaker.h"

struct be_rtbh {
	struct sp_mitigator	 sm;	/* first: sp_mitigator_free */
	char			 attrs4[160];
	char			 attrs6[160];
};

static int
rt_nexthop(const char *key, const char *value, uint8_t family, char *out,
    size_t len, char *err, size_t errlen)
{
	struct dots_ipaddr a;
	char buf[64];

	if (dots_ipaddr_parse(value, &a) != 0 || a.family != family ||
	    dots_ipaddr_format(&a, buf, sizeof(buf)) != 0) {
		be_errf(err, errlen, "setting \"%s\": \"%s\" is not an IPv%d "
		    "address", key, value, family);
		return -EINVAL;
	}
	snprintf(out, len, "%s", buf);
	return 0;
}

static int
rt_settings(struct backend *be, struct be_rtbh *t, struct sp_conf *sc,
    const struct be_setting *s, size_t n, char *err, size_t errlen)
{
	char nh4[64] = "192.0.2.1", nh6[64] = "100::1";
	const char *comm = "65535:666,65535:65281";	/* + NO_EXPORT */
	unsigned long long v;
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		if (strcmp(s[i].key, "capacity") == 0) {
			ret = be_setting_uint(s[i].key, s[i].value,
			    UINT32_MAX, &v, err, errlen);
			be->capacity = ret == 0 ? (unsigned)v : 0;
		} else if (strcmp(s[i].key, "next-hop") == 0) {
			ret = rt_nexthop(s[i].key, s[i].value, DOTS_AF_INET4,
			    nh4, sizeof(nh4), err, errlen);
		} else if (strcmp(s[i].key, "next-hop-v6") == 0) {
			ret = rt_nexthop(s[i].key, s[i].value, DOTS_AF_INET6,
			    nh6, sizeof(nh6), err, errlen);
		} else if (strcmp(s[i].key, "no-export") == 0) {
			if (strcmp(s[i].value, "yes") == 0)
				comm = "65535:666,65535:65281";
			else if (strcmp(s[i].value, "no") == 0)
				comm = "65535:666";
			else {
				be_errf(err, errlen, "setting \"no-export\" "
				    "is yes or no");
				return -EINVAL;
			}
			ret = 0;
		} else if ((ret = sp_setting(sc, s[i].key, s[i].value, err,
		    errlen)) == 1 && (ret = fs_policy_setting(&t->sm.pol,
		    s[i].key, s[i].value, err, errlen)) == 1) {
			be_errf(err, errlen, "unknown setting \"%s\" (see "
			    "docs/mitigators.md, rtbh)", s[i].key);
			ret = -EINVAL;
		}
		if (ret != 0)
			return ret;
	}
	snprintf(t->attrs4, sizeof(t->attrs4), "nexthop %s community %s",
	    nh4, comm);
	snprintf(t->attrs6, sizeof(t->attrs6), "nexthop %s community %s",
	    nh6, comm);
	return 0;
}

static int
rt_init(struct backend *be, const struct be_setting *settings,
    size_t nsettings, char *err, size_t errlen)
{
	struct be_rtbh *t = calloc(1, sizeof(*t));
	struct sp_conf sc;
	int ret;

	if (t == NULL)
		return -ENOMEM;
	sp_conf_init(&sc, false);
	/* host routes only, unless the operator says otherwise */
	t->sm.pol.min_len4 = 32;
	t->sm.pol.min_len6 = 128;
	t->sm.pol.max_rules = 1000;
	t->sm.pol.max_rules_client = 100;
	ret = rt_settings(be, t, &sc, settings, nsettings, err, errlen);
	if (ret == 0 && (t->sm.sp = sp_new(&sc, be)) == NULL)
		ret = -ENOMEM;
	if (ret != 0) {
		fs_policy_clear(&t->sm.pol);
		free(t);
		return ret;
	}
	be->priv = t;
	return 0;
}

/* A black hole drops everything to the target: nothing narrower fits. */
static int
rt_check_scope(const struct dots_scope *s, char *why, size_t len)
{
	const char *what = NULL;

	if (s->target.n_port_range > 0)
		what = "target-port-range";
	else if (s->target.n_protocol > 0)
		what = "target-protocol";
	else if (s->n_source_prefix > 0 || s->n_source_port_range > 0 ||
	    s->n_source_icmp_type_range > 0)
		what = "source attributes";
	else if (s->target.n_fqdn > 0 || s->target.n_uri > 0 ||
	    s->n_alias_name > 0)
		what = "target-fqdn, target-uri or alias-name";
	else if (s->n_acl_list > 0)
		what = "acl-list";
	else if (s->target.n_prefix == 0)
		what = "a scope without target-prefix";
	if (what == NULL)
		return 0;
	snprintf(why, len, "a black hole drops all traffic to a destination: "
	    "%s cannot be expressed", what);
	return -EINVAL;
}

static int
rt_apply(struct backend *be, const struct be_mitigation *m)
{
	struct be_rtbh *t = be->priv;
	const struct dots_scope *s = m->scope;
	struct sp_route *r = NULL;
	char why[160], (*px)[64] = NULL;
	size_t i;
	int ret;

	be->refusal[0] = '\0';
	if (m->acl != NULL) {
		snprintf(be->refusal, sizeof(be->refusal), "a blackhole "
		    "route drops all traffic to a target; it cannot enforce "
		    "the entries of an ACL");
		return -ENOTSUP;
	}
	ret = rt_check_scope(s, why, sizeof(why));
	for (i = 0; ret == 0 && i < s->target.n_prefix; i++)
		ret = fs_policy_dst(&t->sm.pol, &s->target.prefix[i], why,
		    sizeof(why));
	if (ret == 0)
		ret = fs_policy_count(&t->sm.pol, s->target.n_prefix,
		    sp_count(t->sm.sp, m->client, m->id),
		    sp_count(t->sm.sp, NULL, m->id), why, sizeof(why));
	if (ret != 0) {
		snprintf(be->refusal, sizeof(be->refusal), "%s", why);
		return ret;
	}
	r = calloc(s->target.n_prefix, sizeof(*r));
	px = calloc(s->target.n_prefix, sizeof(*px));
	if (r == NULL || px == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < s->target.n_prefix; i++) {
		const struct dots_prefix *p = &s->target.prefix[i];
		bool v6 = p->family == DOTS_AF_INET6;

		if (dots_prefix_format(p, px[i], sizeof(px[i])) != 0) {
			ret = -EINVAL;
			goto out;
		}
		r[i].family = v6 ? "ipv6" : "ipv4";
		r[i].nlri = px[i];
		r[i].attrs = v6 ? t->attrs6 : t->attrs4;
	}
	ret = sp_set(t->sm.sp, m->id, m->client, r, s->target.n_prefix);
out:
	free(px);
	free(r);
	return ret;
}




const struct be_ops be_rtbh_ops = {
	.name = "rtbh",
	.init = rt_init,
	.apply = rt_apply,
	.withdraw = sp_mitigator_withdraw,
	.pollfds = sp_mitigator_pollfds,
	.poll = sp_mitigator_poll,
	.free = sp_mitigator_free,
};
