/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The policy mitigator's rules, and the split of a scope by them
 * (pol_plan.h).  Pure: no I/O, no state beyond its arguments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/error.h>

#include "pol_plan.h"

/* "a b c": names of mitigators, blank-separated, into @p ch. */
static int
parse_chain(struct pol_chain *ch, const char *s, char *err, size_t errlen)
{
	const char *p = s, *start;
	size_t len;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		len = (size_t)(p - start);
		if (ch->n == POL_CHAIN_MAX) {
			snprintf(err, errlen, "more than %d mitigators in one "
			    "chain", POL_CHAIN_MAX);
			return -EINVAL;
		}
		if ((ch->name[ch->n] = strndup(start, len)) == NULL)
			return -ENOMEM;
		ch->n++;
	}
	if (ch->n == 0) {
		snprintf(err, errlen, "no mitigator named");
		return -EINVAL;
	}
	return 0;
}

static void
chain_free(struct pol_chain *ch)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		free(ch->name[i]);
	ch->n = 0;
}

/* "PREFIX name...": a route. */
static int
parse_route(struct pol_conf *c, const char *s, char *err, size_t errlen)
{
	struct pol_route *r, *bigger;
	const char *sp = strpbrk(s, " \t");
	char pfx[64];
	bool host;
	size_t i;
	int ret;

	if (sp == NULL || (size_t)(sp - s) >= sizeof(pfx)) {
		snprintf(err, errlen, "\"%s\": want \"PREFIX MITIGATOR...\"",
		    s);
		return -EINVAL;
	}
	if (c->nroute == POL_ROUTES_MAX) {
		snprintf(err, errlen, "more than %d routes", POL_ROUTES_MAX);
		return -EINVAL;
	}
	memcpy(pfx, s, (size_t)(sp - s));
	pfx[sp - s] = '\0';
	bigger = realloc(c->route, (c->nroute + 1) * sizeof(*bigger));
	if (bigger == NULL)
		return -ENOMEM;
	c->route = bigger;
	r = &c->route[c->nroute];
	memset(r, 0, sizeof(*r));
	if (dots_prefix_parse(pfx, &r->prefix, &host) != DOTS_OK || host) {
		snprintf(err, errlen, "\"%s\" is not a prefix with no host "
		    "bits (e.g. 192.0.2.0/25)", pfx);
		return -EINVAL;
	}
	for (i = 0; i < c->nroute; i++)
		if (c->route[i].prefix.family == r->prefix.family &&
		    c->route[i].prefix.length == r->prefix.length &&
		    dots_prefix_contains(&c->route[i].prefix, &r->prefix)) {
			snprintf(err, errlen, "%s has a route already", pfx);
			return -EINVAL;
		}
	if ((ret = parse_chain(&r->chain, sp, err, errlen)) != 0) {
		chain_free(&r->chain);
		return ret;
	}
	c->nroute++;
	return 0;
}

int
pol_conf_setting(struct pol_conf *c, const char *key, const char *value,
    char *err, size_t errlen)
{
	struct pol_chain *ch = NULL;

	if (strcmp(key, "route") == 0)
		return parse_route(c, value, err, errlen);
	if (strcmp(key, "approval") == 0) {
		if (strcmp(value, "manual") != 0 && strcmp(value, "none") != 0) {
			snprintf(err, errlen, "approval \"%s\": want manual or "
			    "none", value);
			return -EINVAL;
		}
		c->manual = strcmp(value, "manual") == 0;
		return 0;
	}
	if (strcmp(key, "use") == 0)
		ch = &c->use;
	else if (strcmp(key, "reflection") == 0)
		ch = &c->reflection;
	else if (strcmp(key, "escalate") == 0)
		ch = &c->escalate;
	if (ch == NULL) {
		snprintf(err, errlen, "unknown setting \"%s\": a policy "
		    "mitigator knows \"use\", \"route\", \"reflection\", "
		    "\"escalate\" and \"approval\"", key);
		return -EINVAL;
	}
	if (ch->n != 0) {
		snprintf(err, errlen, "\"%s\" given twice", key);
		return -EINVAL;
	}
	return parse_chain(ch, value, err, errlen);
}

int
pol_conf_check(const struct pol_conf *c, char *err, size_t errlen)
{
	if (c->use.n == 0) {
		snprintf(err, errlen, "setting \"use\" is required: the "
		    "mitigators, in order of fallback, for what no route "
		    "takes");
		return -EINVAL;
	}
	return 0;
}

void
pol_conf_free(struct pol_conf *c)
{
	size_t i;

	chain_free(&c->use);
	chain_free(&c->reflection);
	chain_free(&c->escalate);
	for (i = 0; i < c->nroute; i++)
		chain_free(&c->route[i].chain);
	free(c->route);
	memset(c, 0, sizeof(*c));
}

bool
pol_is_reflection(const struct dots_scope *s)
{
	return s->n_source_prefix != 0 || s->n_source_port_range != 0 ||
	    s->n_source_icmp_type_range != 0;
}

/* The part for @p ch, made if need be; NULL past POL_PARTS_MAX. */
static struct pol_part *
part_for(struct pol_plan *p, const struct pol_chain *ch)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->part[i].chain == ch)
			return &p->part[i];
	if (p->n == POL_PARTS_MAX)
		return NULL;
	p->part[p->n].chain = ch;
	return &p->part[p->n++];
}

static int
add_prefix(struct pol_plan *p, const struct pol_chain *ch,
    const struct dots_prefix *px)
{
	struct pol_part *pt = part_for(p, ch);
	struct dots_prefix *bigger;

	if (pt == NULL)
		return -E2BIG;
	bigger = realloc(pt->prefix, (pt->nprefix + 1) * sizeof(*bigger));
	if (bigger == NULL)
		return -ENOMEM;
	pt->prefix = bigger;
	pt->prefix[pt->nprefix++] = *px;
	return 0;
}

/* The two halves of @p px (one bit longer). */
static void
halves(const struct dots_prefix *px, struct dots_prefix *lo,
    struct dots_prefix *hi)
{
	unsigned bit = px->length;

	*lo = *px;
	lo->length++;
	*hi = *lo;
	hi->addr[bit / 8] |= (uint8_t)(0x80u >> (bit % 8));
}

/*
 * Give @p px to the longest route holding it, or to @p dflt; cut it in
 * halves while a route lies inside it, so that each address goes by its
 * longest match.
 */
static int
assign(const struct pol_conf *c, const struct pol_chain *dflt,
    const struct dots_prefix *px, struct pol_plan *p)
{
	const struct pol_route *best = NULL, *r;
	struct dots_prefix lo, hi;
	size_t i;
	int ret;

	for (i = 0; i < c->nroute; i++) {
		r = &c->route[i];
		if (r->prefix.family != px->family)
			continue;
		if (r->prefix.length > px->length &&
		    dots_prefix_contains(px, &r->prefix)) {
			halves(px, &lo, &hi);
			if ((ret = assign(c, dflt, &lo, p)) != 0)
				return ret;
			return assign(c, dflt, &hi, p);
		}
		if (dots_prefix_contains(&r->prefix, px) &&
		    (best == NULL || r->prefix.length > best->prefix.length))
			best = r;
	}
	return add_prefix(p, best != NULL ? &best->chain : dflt, px);
}

int
pol_plan_scope(const struct pol_conf *c, const struct dots_scope *s,
    struct pol_plan *p)
{
	const struct pol_chain *dflt = &c->use;
	struct pol_part *pt;
	size_t i;
	int ret;

	memset(p, 0, sizeof(*p));
	p->reflection = pol_is_reflection(s);
	if (p->reflection && c->reflection.n != 0)
		dflt = &c->reflection;
	for (i = 0; i < s->target.n_prefix; i++)
		if ((ret = assign(c, dflt, &s->target.prefix[i], p)) != 0)
			return ret;
	if (s->target.n_fqdn != 0 || s->target.n_uri != 0 || p->n == 0) {
		if ((pt = part_for(p, dflt)) == NULL)
			return -E2BIG;
		pt->names = true;
	}
	return 0;
}

void
pol_plan_clear(struct pol_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->part[i].prefix);
	memset(p, 0, sizeof(*p));
}
