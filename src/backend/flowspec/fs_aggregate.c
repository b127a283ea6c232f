/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fitting a mitigation with many source prefixes into a rule budget.
 *
 * In the offload scenario a DOTS client that sees a reflection attack
 * sends the reflectors it saw as RFC 9066 source-prefix: thousands of
 * /32s.  Each becomes a flow rule per target, and routers hold only so
 * many rules, so the flowspec mitigator gives each mitigation a budget.
 * When the sources would pass it, they are merged into fewer prefixes
 * that cover them all:
 *
 * 1. Exact steps, which filter no address the client did not name:
 *    duplicates and prefixes inside another one go, and two sibling
 *    prefixes (the two halves of their parent) become the parent, again
 *    and again while that is possible.
 * 2. Covering steps, while the budget is still passed: two neighbours (in
 *    address order) are replaced by the shortest prefix that covers both,
 *    which also swallows whatever else lies inside it.  Each step takes
 *    the pair of least cost, where the cost of a step is the number of
 *    addresses the new prefix covers that no source prefix covered before:
 *    innocent address space whose traffic to the target would be dropped
 *    too.  A prefix shorter than the configured minimum source prefix
 *    length is never made, whatever it would save.
 *
 * If the budget cannot be met that way, the seed scenario's answer for
 * "the number of reflectors is enormous" applies: the rules drop the
 * source prefixes and match the source ports instead (UDP source port 53
 * for DNS reflection, 123 for NTP), when the request gave source ports.
 * fs_agg_plan() makes that choice; fs_aggregate() is the merging alone.
 * Nothing here does I/O.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs_aggregate.h"

/* An address as a 128-bit number: IPv4 in the top 32 bits of hi. */
struct u128 {
	uint64_t	hi;
	uint64_t	lo;
};

/* A prefix during merging; start has no host bits. */
struct agg_pfx {
	struct u128	start;
	uint8_t		len;
};

/* A node of the address-ordered list the covering steps work on. */
struct agg_node {
	struct agg_pfx	p;
	uint32_t	prev;		/* AGG_NONE at the ends */
	uint32_t	next;
	uint32_t	gen;		/* bumped whenever p changes */
	bool		alive;
};

/* A candidate step: merge node l with the node after it. */
struct agg_cand {
	double		cost;
	uint32_t	l, r;
	uint32_t	lgen, rgen;
};

struct agg_heap {
	struct agg_cand	*v;
	size_t		 n, cap;
};

#define AGG_NONE	UINT32_MAX

static void
agg_why(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
agg_why(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

static unsigned
fam_bits(uint8_t family)
{
	return family == DOTS_AF_INET6 ? 128 : 32;
}

static struct u128
u128_of(const struct dots_prefix *p)
{
	struct u128 a = { 0, 0 };
	unsigned i, nb = fam_bits(p->family) / 8;

	for (i = 0; i < nb; i++) {
		if (i < 8)
			a.hi |= (uint64_t)p->addr[i] << (56 - 8 * i);
		else
			a.lo |= (uint64_t)p->addr[i] << (56 - 8 * (i - 8));
	}
	return a;
}

static void
u128_to(struct u128 a, uint8_t family, uint8_t len, struct dots_prefix *p)
{
	unsigned i, nb = fam_bits(family) / 8;

	memset(p, 0, sizeof(*p));
	p->family = family;
	p->length = len;
	for (i = 0; i < nb; i++)
		p->addr[i] = (uint8_t)(i < 8 ? a.hi >> (56 - 8 * i) :
		    a.lo >> (56 - 8 * (i - 8)));
}

/* The first @p len bits of @p a, the others cleared. */
static struct u128
u128_mask(struct u128 a, unsigned len)
{
	if (len == 0)
		return (struct u128){ 0, 0 };
	if (len < 64)
		return (struct u128){ a.hi & ~(UINT64_MAX >> len), 0 };
	if (len == 64)
		return (struct u128){ a.hi, 0 };
	if (len < 128)
		return (struct u128){ a.hi, a.lo & ~(UINT64_MAX >> (len - 64)) };
	return a;
}

static int
u128_cmp(struct u128 a, struct u128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	if (a.lo != b.lo)
		return a.lo < b.lo ? -1 : 1;
	return 0;
}

/* How many leading bits @p a and @p b share (128 if equal). */
static unsigned
u128_common(struct u128 a, struct u128 b)
{
	uint64_t x;

	if ((x = a.hi ^ b.hi) != 0)
		return (unsigned)__builtin_clzll(x);
	if ((x = a.lo ^ b.lo) != 0)
		return 64 + (unsigned)__builtin_clzll(x);
	return 128;
}

static bool
pfx_contains(const struct agg_pfx *outer, const struct agg_pfx *inner)
{
	return outer->len <= inner->len &&
	    u128_cmp(u128_mask(inner->start, outer->len), outer->start) == 0;
}

/* The shortest prefix that covers both. */
static struct agg_pfx
pfx_cover(const struct agg_pfx *a, const struct agg_pfx *b)
{
	struct agg_pfx c;
	unsigned len = u128_common(a->start, b->start);

	if (len > a->len)
		len = a->len;
	if (len > b->len)
		len = b->len;
	c.len = (uint8_t)len;
	c.start = u128_mask(a->start, len);
	return c;
}

/* Addresses in a prefix of length @p len: 2^(bits - len). */
static double
pfx_size(unsigned bits, unsigned len)
{
	unsigned e = bits - len;
	double d = 1.0;

	for (; e >= 62; e -= 62)
		d *= 4611686018427387904.0;	/* 2^62 */
	return d * (double)(1ULL << e);
}

static int
pfx_order(const void *x, const void *y)
{
	const struct agg_pfx *a = x, *b = y;
	int c = u128_cmp(a->start, b->start);

	if (c != 0)
		return c;
	return (a->len > b->len) - (a->len < b->len);
}

/*
 * Step 1: sort, drop what another prefix covers, merge siblings.  The
 * prefixes left are disjoint and in address order.  A stack suffices for
 * the merging: a parent made on top can only be the sibling of the prefix
 * under it.  @return how many are left in @p v.
 */
static size_t
agg_exact(struct agg_pfx *v, size_t n, uint8_t min_len)
{
	struct agg_pfx *a, *b;
	size_t i, top = 0;

	qsort(v, n, sizeof(*v), pfx_order);
	for (i = 0; i < n; i++) {
		if (top > 0 && pfx_contains(&v[top - 1], &v[i]))
			continue;
		v[top++] = v[i];
		while (top >= 2) {
			a = &v[top - 2];
			b = &v[top - 1];
			if (a->len != b->len || a->len == 0 ||
			    a->len - 1 < min_len ||
			    u128_common(a->start, b->start) != a->len - 1u)
				break;
			a->len--;	/* a's start is the parent's */
			top--;
		}
	}
	return top;
}

static int
heap_less(const struct agg_cand *a, const struct agg_cand *b)
{
	if (a->cost != b->cost)
		return a->cost < b->cost;
	return a->l < b->l;	/* lower addresses first: deterministic */
}

static int
heap_push(struct agg_heap *h, const struct agg_cand *c)
{
	struct agg_cand *v, t;
	size_t i, cap;

	if (h->n == h->cap) {
		cap = h->cap ? h->cap * 2 : 64;
		if ((v = realloc(h->v, cap * sizeof(*v))) == NULL)
			return -ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	i = h->n++;
	h->v[i] = *c;
	while (i > 0 && heap_less(&h->v[i], &h->v[(i - 1) / 2])) {
		t = h->v[i];
		h->v[i] = h->v[(i - 1) / 2];
		h->v[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
	return 0;
}

static struct agg_cand
heap_pop(struct agg_heap *h)
{
	struct agg_cand top = h->v[0], t;
	size_t i = 0, k;

	h->v[0] = h->v[--h->n];
	for (;;) {
		k = 2 * i + 1;
		if (k >= h->n)
			break;
		if (k + 1 < h->n && heap_less(&h->v[k + 1], &h->v[k]))
			k++;
		if (!heap_less(&h->v[k], &h->v[i]))
			break;
		t = h->v[i];
		h->v[i] = h->v[k];
		h->v[k] = t;
		i = k;
	}
	return top;
}

/*
 * The cost of covering node @p l and the one after it with @p c: the
 * addresses of c that none of the nodes inside it covers.  Those nodes
 * are neighbours of l and r, since the list is in address order.
 */
static double
agg_cost(const struct agg_node *nd, uint32_t l, const struct agg_pfx *c,
    unsigned bits)
{
	double have = 0;
	uint32_t i;

	for (i = l; i != AGG_NONE && pfx_contains(c, &nd[i].p); i = nd[i].prev)
		have += pfx_size(bits, nd[i].p.len);
	for (i = nd[l].next; i != AGG_NONE && pfx_contains(c, &nd[i].p);
	    i = nd[i].next)
		have += pfx_size(bits, nd[i].p.len);
	return pfx_size(bits, c->len) - have;
}

/* Queue the step that merges @p l with its successor, if allowed. */
static int
agg_offer(struct agg_heap *h, const struct agg_node *nd, uint32_t l,
    uint8_t min_len, unsigned bits)
{
	struct agg_cand c;
	struct agg_pfx cov;
	uint32_t r;

	if (l == AGG_NONE || (r = nd[l].next) == AGG_NONE)
		return 0;
	cov = pfx_cover(&nd[l].p, &nd[r].p);
	if (cov.len < min_len)
		return 0;
	c.cost = agg_cost(nd, l, &cov, bits);
	c.l = l;
	c.r = r;
	c.lgen = nd[l].gen;
	c.rgen = nd[r].gen;
	return heap_push(h, &c);
}

/*
 * Replace every node inside @p c, around l, with one node for c (in the
 * slot of the first of them).  @return the nodes removed.
 */
static size_t
agg_merge(struct agg_node *nd, uint32_t l, const struct agg_pfx *c,
    uint32_t *first)
{
	uint32_t a = l, b, nx;
	size_t gone = 0;

	while (nd[a].prev != AGG_NONE && pfx_contains(c, &nd[nd[a].prev].p))
		a = nd[a].prev;
	b = nd[a].next;
	while (b != AGG_NONE && pfx_contains(c, &nd[b].p)) {
		nx = nd[b].next;
		nd[b].alive = false;
		gone++;
		b = nx;
	}
	nd[a].p = *c;
	nd[a].gen++;
	nd[a].next = b;
	if (b != AGG_NONE)
		nd[b].prev = a;
	*first = a;
	return gone;
}

/*
 * Step 2: covering merges, cheapest first, until @p budget is met or no
 * step is allowed.  A queued step is stale once either node changed; its
 * cost may also have fallen since (a neighbour inside its cover grew),
 * never risen, so it is worked out again when taken.
 */
static int
agg_cover(struct agg_pfx *v, size_t *n, size_t budget, uint8_t min_len,
    unsigned bits, double *extra)
{
	struct agg_heap h = { 0 };
	struct agg_node *nd;
	struct agg_cand c;
	struct agg_pfx cov;
	size_t i, count = *n;
	uint32_t first;
	int ret = 0;

	if ((nd = calloc(count, sizeof(*nd))) == NULL)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		nd[i].p = v[i];
		nd[i].prev = i == 0 ? AGG_NONE : (uint32_t)(i - 1);
		nd[i].next = i + 1 == count ? AGG_NONE : (uint32_t)(i + 1);
		nd[i].alive = true;
	}
	for (i = 0; i + 1 < count && ret == 0; i++)
		ret = agg_offer(&h, nd, (uint32_t)i, min_len, bits);
	while (ret == 0 && count > budget && h.n > 0) {
		c = heap_pop(&h);
		if (!nd[c.l].alive || !nd[c.r].alive || nd[c.l].next != c.r ||
		    nd[c.l].gen != c.lgen || nd[c.r].gen != c.rgen)
			continue;
		cov = pfx_cover(&nd[c.l].p, &nd[c.r].p);
		*extra += agg_cost(nd, c.l, &cov, bits);
		count -= agg_merge(nd, c.l, &cov, &first);
		ret = agg_offer(&h, nd, nd[first].prev, min_len, bits);
		if (ret == 0)
			ret = agg_offer(&h, nd, first, min_len, bits);
	}
	if (ret == 0) {
		/* node 0 never dies: a merge keeps the lowest slot it takes */
		*n = 0;
		for (first = 0; first != AGG_NONE; first = nd[first].next)
			v[(*n)++] = nd[first].p;
	}
	free(h.v);
	free(nd);
	return ret;
}

int
fs_aggregate(const struct dots_prefix *in, size_t n, size_t budget,
    uint8_t min_len, struct dots_prefix **out, size_t *nout,
    struct fs_agg_stats *st)
{
	struct agg_pfx *v;
	unsigned bits;
	size_t i, k;
	int ret = 0;

	*out = NULL;
	*nout = 0;
	memset(st, 0, sizeof(*st));
	st->in = n;
	if (n == 0)
		return 0;
	bits = fam_bits(in[0].family);
	for (i = 1; i < n; i++)
		if (in[i].family != in[0].family)
			return -EINVAL;
	if ((v = calloc(n, sizeof(*v))) == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		v[i].len = in[i].length;
		v[i].start = u128_mask(u128_of(&in[i]), in[i].length);
	}
	k = agg_exact(v, n, min_len);
	st->exact = k;
	if (budget != 0 && k > budget)
		ret = agg_cover(v, &k, budget, min_len, bits, &st->extra);
	if (ret == 0 && budget != 0 && k > budget)
		ret = -ENOSPC;
	if (ret == 0 && (*out = calloc(k, sizeof(**out))) == NULL)
		ret = -ENOMEM;
	if (ret == 0) {
		for (i = 0; i < k; i++)
			u128_to(v[i].start, in[0].family, v[i].len,
			    &(*out)[i]);
		*nout = k;
	}
	st->out = k;
	free(v);
	return ret;
}

const char *
fs_agg_choice_name(enum fs_agg_choice c)
{
	switch (c) {
	case FS_AGG_ASIS:	return "as asked";
	case FS_AGG_MERGED:	return "aggregated";
	case FS_AGG_SPORT:	return "source ports instead of sources";
	}
	return "?";
}

/* Rules of @p s without its sources, per family (0: IPv4, 1: IPv6). */
static int
plan_targets(const struct dots_scope *s, size_t t[2], char *why,
    size_t whylen)
{
	struct dots_scope bare = *s;
	struct fs_rules rs = { 0 };
	size_t i;
	int ret;

	bare.source_prefix = NULL;
	bare.n_source_prefix = 0;
	t[0] = t[1] = 0;
	if ((ret = fs_translate(&bare, &rs, why, whylen)) != 0)
		return ret;
	for (i = 0; i < rs.n; i++)
		t[rs.v[i].family == DOTS_AF_INET6]++;
	fs_rules_clear(&rs);
	return 0;
}

/* Each family's sources merged to at most @p per (0: none asked). */
static int
plan_merge(struct fs_agg_plan *p, const struct dots_scope *s,
    const struct fs_agg_conf *c, const size_t t[2], size_t per)
{
	struct dots_prefix *fam[2] = { NULL, NULL }, *m[2] = { NULL, NULL };
	size_t nf[2] = { 0, 0 }, nm[2] = { 0, 0 }, i, f;
	struct fs_agg_stats st;
	int ret = 0;

	for (f = 0; f < 2 && ret == 0; f++)
		if ((fam[f] = calloc(s->n_source_prefix,
		    sizeof(*fam[f]))) == NULL)
			ret = -ENOMEM;
	for (i = 0; i < s->n_source_prefix && ret == 0; i++) {
		f = s->source_prefix[i].family == DOTS_AF_INET6;
		fam[f][nf[f]++] = s->source_prefix[i];
	}
	for (f = 0; f < 2 && ret == 0; f++) {
		/* sources no target of their family meets stay as they are */
		ret = fs_aggregate(fam[f], nf[f], t[f] > 0 ? per : 0,
		    f ? c->min_len6 : c->min_len4, &m[f], &nm[f], &st);
		p->extra += st.extra;
	}
	if (ret == 0 && (p->src = calloc(nm[0] + nm[1] + 1,
	    sizeof(*p->src))) == NULL)
		ret = -ENOMEM;
	if (ret == 0) {
		/* m[f] is NULL when family f had no source */
		if (nm[0] > 0)
			memcpy(p->src, m[0], nm[0] * sizeof(*p->src));
		if (nm[1] > 0)
			memcpy(p->src + nm[0], m[1], nm[1] * sizeof(*p->src));
		p->scope.source_prefix = p->src;
		p->scope.n_source_prefix = nm[0] + nm[1];
		p->n_out = nm[0] + nm[1];
		p->rules = t[0] * nm[0] + t[1] * nm[1];
	}
	for (f = 0; f < 2; f++) {
		free(fam[f]);
		free(m[f]);
	}
	return ret;
}

int
fs_agg_plan(const struct dots_scope *s, const struct fs_agg_conf *c,
    struct fs_agg_plan *p, char *why, size_t whylen)
{
	size_t t[2], n4 = 0, n6 = 0, i, per;
	int ret;

	memset(p, 0, sizeof(*p));
	p->scope = *s;
	p->choice = FS_AGG_ASIS;
	p->n_in = p->n_out = s->n_source_prefix;
	if (s->n_source_prefix == 0)
		return 0;
	if ((ret = plan_targets(s, t, why, whylen)) != 0)
		return ret;
	for (i = 0; i < s->n_source_prefix; i++) {
		if (s->source_prefix[i].family == DOTS_AF_INET6)
			n6++;
		else
			n4++;
	}
	p->rules = t[0] * n4 + t[1] * n6;
	if (c->budget == 0 || p->rules <= c->budget)
		return 0;
	/*
	 * Each family's sources get the same share, so that the rules of
	 * both together stay within the budget: t4*s4 + t6*s6 <= (t4+t6)*per.
	 */
	per = c->budget / ((n4 > 0 ? t[0] : 0) + (n6 > 0 ? t[1] : 0));
	if (c->enabled && per > 0) {
		ret = plan_merge(p, s, c, t, per);
		if (ret == 0) {
			p->choice = FS_AGG_MERGED;
			return 0;
		}
		fs_agg_plan_clear(p);
		p->scope = *s;
		p->n_in = p->n_out = s->n_source_prefix;
		p->rules = t[0] * n4 + t[1] * n6;
		if (ret != -ENOSPC)
			return ret;
	}
	if (c->sport_fallback && s->n_source_port_range > 0 &&
	    t[0] + t[1] <= c->budget) {
		p->scope.source_prefix = NULL;
		p->scope.n_source_prefix = 0;
		p->n_out = 0;
		p->rules = t[0] + t[1];
		p->choice = FS_AGG_SPORT;
		return 0;
	}
	agg_why(why, whylen, "%zu source prefixes make %zu flow rules, more "
	    "than the %u a mitigation may have%s; give source-port-range to "
	    "filter by source port instead", s->n_source_prefix, p->rules,
	    c->budget, c->enabled ? ", even merged" : "");
	return -ENOSPC;
}

void
fs_agg_plan_clear(struct fs_agg_plan *p)
{
	free(p->src);
	memset(p, 0, sizeof(*p));
}
