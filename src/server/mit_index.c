/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Indexes of the mitigation engine: hash table, prefix trie, string set.
 *
 * The trie is path-compressed: a node exists for each stored prefix and
 * for each branching point between them, so it holds fewer than twice as
 * many nodes as prefixes, and node lengths grow strictly along a path
 * (at most 33 or 129 nodes deep).  Finding what overlaps P walks the path
 * towards P, taking the values of every node that contains P, and then
 * takes the whole subtree of the first node that P contains: the cost is
 * the depth plus what is found.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mit_index.h"

#define MI_HASH_MIN	16
#define MI_TRIE_DEPTH	256	/* a walk stacks one node per level, + 1 */

/* Hash table ---------------------------------------------------------- */

int
mi_hash_init(struct mi_hash *h)
{
	h->n = 0;
	h->nbucket = MI_HASH_MIN;
	h->bucket = calloc(h->nbucket, sizeof(*h->bucket));
	return h->bucket == NULL ? -1 : 0;
}

void
mi_hash_free(struct mi_hash *h)
{
	free(h->bucket);
	h->bucket = NULL;
	h->nbucket = h->n = 0;
}

static void
mi_hash_grow(struct mi_hash *h)
{
	struct mi_hnode **b, *n, *next;
	size_t nb = h->nbucket * 2, i;

	if ((b = calloc(nb, sizeof(*b))) == NULL)
		return;		/* longer chains, still correct */
	for (i = 0; i < h->nbucket; i++)
		for (n = h->bucket[i]; n != NULL; n = next) {
			next = n->next;
			n->next = b[n->hash & (nb - 1)];
			b[n->hash & (nb - 1)] = n;
		}
	free(h->bucket);
	h->bucket = b;
	h->nbucket = nb;
}

void
mi_hash_insert(struct mi_hash *h, struct mi_hnode *n, uint64_t hash)
{
	struct mi_hnode **slot;

	if (h->n >= h->nbucket)
		mi_hash_grow(h);
	n->hash = hash;
	slot = &h->bucket[hash & (h->nbucket - 1)];
	n->next = *slot;
	*slot = n;
	h->n++;
}

void
mi_hash_remove(struct mi_hash *h, struct mi_hnode *n)
{
	struct mi_hnode **pp;

	for (pp = &h->bucket[n->hash & (h->nbucket - 1)]; *pp != NULL;
	    pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			n->next = NULL;
			h->n--;
			return;
		}
}

struct mi_hnode *
mi_hash_first(const struct mi_hash *h, uint64_t hash)
{
	struct mi_hnode *n;

	for (n = h->bucket[hash & (h->nbucket - 1)]; n != NULL; n = n->next)
		if (n->hash == hash)
			return n;
	return NULL;
}

struct mi_hnode *
mi_hash_next(const struct mi_hnode *n)
{
	struct mi_hnode *m;

	for (m = n->next; m != NULL; m = m->next)
		if (m->hash == n->hash)
			return m;
	return NULL;
}

/* splitmix64's finalizer: every input bit moves every output bit. */
uint64_t
mi_hash_u64(uint64_t v)
{
	v ^= v >> 30;
	v *= 0xbf58476d1ce4e5b9ULL;
	v ^= v >> 27;
	v *= 0x94d049bb133111ebULL;
	v ^= v >> 31;
	return v;
}

/* FNV-1a; folding with tolower() as strcasecmp() does keeps them agreed. */
uint64_t
mi_hash_str(const char *s, bool nocase)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned char c;

	while ((c = (unsigned char)*s++) != '\0') {
		if (nocase)
			c = (unsigned char)tolower(c);
		h ^= c;
		h *= 0x100000001b3ULL;
	}
	return mi_hash_u64(h);
}

/* Entries ------------------------------------------------------------- */

static void
entry_link(struct mi_entry **head, struct mi_entry *e, void *key,
    void *value)
{
	e->key = key;
	e->value = value;
	e->prev = NULL;
	e->next = *head;
	if (*head != NULL)
		(*head)->prev = e;
	*head = e;
}

static void
entry_unlink(struct mi_entry **head, struct mi_entry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		*head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	e->next = e->prev = NULL;
	e->key = NULL;
}

static int
visit_entries(const struct mi_entry *e, mi_visit_fn fn, void *arg)
{
	const struct mi_entry *next;
	int ret;

	for (; e != NULL; e = next) {
		next = e->next;
		if ((ret = fn(arg, e->value)) != 0)
			return ret;
	}
	return 0;
}

/* Prefix trie ---------------------------------------------------------- */

struct mi_tnode {
	struct mi_tnode	*child[2];
	struct mi_tnode	*parent;
	struct mi_entry	*entries;	/* values stored under this prefix */
	uint8_t		 family;	/* index into root[] */
	uint8_t		 len;
	uint8_t		 addr[16];	/* bits past len are zero */
};

static int
family_index(uint8_t family)
{
	switch (family) {
	case DOTS_AF_INET4:
		return 0;
	case DOTS_AF_INET6:
		return 1;
	default:
		return -1;
	}
}

static int
bit_at(const uint8_t *a, unsigned i)
{
	return (a[i >> 3] >> (7 - (i & 7))) & 1;
}

/* How many leading bits @p a and @p b share, at most @p max. */
static unsigned
common_bits(const uint8_t *a, const uint8_t *b, unsigned max)
{
	unsigned i;
	uint8_t x;

	for (i = 0; i < max; i += 8) {
		x = a[i >> 3] ^ b[i >> 3];
		if (x != 0) {
			while (!(x & 0x80)) {
				x <<= 1;
				i++;
			}
			break;
		}
	}
	return i < max ? i : max;
}

static struct mi_tnode *
tnode_new(struct mi_trie *t, int fam, const uint8_t *addr, unsigned len)
{
	struct mi_tnode *n;
	unsigned full = len >> 3, rest = len & 7;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->family = (uint8_t)fam;
	n->len = (uint8_t)len;
	memcpy(n->addr, addr, full);
	if (rest != 0)
		n->addr[full] = addr[full] & (uint8_t)(0xff << (8 - rest));
	t->nnodes++;
	return n;
}

static void
tnode_free(struct mi_trie *t, struct mi_tnode *n)
{
	free(n);
	t->nnodes--;
}

/* The node of @p p, made (with a branching node if needed) if missing. */
static struct mi_tnode *
tnode_get(struct mi_trie *t, const struct dots_prefix *p)
{
	struct mi_tnode **link, *n, *parent = NULL, *k, *g;
	int fam = family_index(p->family);
	unsigned len = p->length, c;

	if (fam < 0 || len > (fam == 0 ? 32u : 128u))
		return NULL;
	link = &t->root[fam];
	while ((n = *link) != NULL) {
		c = common_bits(p->addr, n->addr, len < n->len ? len : n->len);
		if (c == n->len) {
			if (n->len == len)
				return n;
			parent = n;
			link = &n->child[bit_at(p->addr, n->len)];
			continue;
		}
		/* p contains n, or the two part after c bits */
		if ((k = tnode_new(t, fam, p->addr, len)) == NULL)
			return NULL;
		if (c == len)
			g = k;
		else if ((g = tnode_new(t, fam, p->addr, c)) == NULL) {
			tnode_free(t, k);
			return NULL;
		} else {
			g->child[bit_at(p->addr, c)] = k;
			k->parent = g;
		}
		g->child[bit_at(n->addr, c)] = n;
		n->parent = g;
		g->parent = parent;
		*link = g;
		return k;
	}
	if ((k = tnode_new(t, fam, p->addr, len)) == NULL)
		return NULL;
	k->parent = parent;
	*link = k;
	return k;
}

/* Drop @p n if it holds nothing and branches nowhere, and so upwards. */
static void
tnode_prune(struct mi_trie *t, struct mi_tnode *n)
{
	struct mi_tnode *parent, *child, **link;

	while (n != NULL && n->entries == NULL &&
	    (n->child[0] == NULL || n->child[1] == NULL)) {
		child = n->child[0] != NULL ? n->child[0] : n->child[1];
		parent = n->parent;
		link = parent == NULL ? &t->root[n->family] :
		    &parent->child[parent->child[1] == n];
		*link = child;
		if (child != NULL)
			child->parent = parent;
		tnode_free(t, n);
		if (child != NULL)
			break;	/* the parent kept as many children */
		n = parent;
	}
}

void
mi_trie_init(struct mi_trie *t)
{
	memset(t, 0, sizeof(*t));
}

void
mi_trie_free(struct mi_trie *t)
{
	struct mi_tnode *stack[MI_TRIE_DEPTH], *n;
	size_t sp = 0, i;

	for (i = 0; i < 2; i++) {
		if (t->root[i] != NULL)
			stack[sp++] = t->root[i];
		while (sp > 0) {
			n = stack[--sp];
			if (n->child[1] != NULL)
				stack[sp++] = n->child[1];
			if (n->child[0] != NULL)
				stack[sp++] = n->child[0];
			tnode_free(t, n);
		}
		t->root[i] = NULL;
	}
}

int
mi_trie_insert(struct mi_trie *t, const struct dots_prefix *p,
    struct mi_entry *e, void *value)
{
	struct mi_tnode *n = tnode_get(t, p);

	if (n == NULL)
		return -1;
	entry_link(&n->entries, e, n, value);
	return 0;
}

void
mi_trie_remove(struct mi_trie *t, struct mi_entry *e)
{
	struct mi_tnode *n = e->key;

	if (n == NULL)
		return;
	entry_unlink(&n->entries, e);
	tnode_prune(t, n);
}

static int
visit_subtree(const struct mi_tnode *top, mi_visit_fn fn, void *arg)
{
	const struct mi_tnode *stack[MI_TRIE_DEPTH], *n;
	size_t sp = 0;
	int ret;

	if (top != NULL)
		stack[sp++] = top;
	while (sp > 0) {
		n = stack[--sp];
		if ((ret = visit_entries(n->entries, fn, arg)) != 0)
			return ret;
		if (n->child[1] != NULL)
			stack[sp++] = n->child[1];
		if (n->child[0] != NULL)
			stack[sp++] = n->child[0];
	}
	return 0;
}

int
mi_trie_overlaps(const struct mi_trie *t, const struct dots_prefix *p,
    mi_visit_fn fn, void *arg)
{
	const struct mi_tnode *n;
	int fam = family_index(p->family), ret;
	unsigned len = p->length, c;

	if (fam < 0)
		return 0;
	for (n = t->root[fam]; n != NULL;
	    n = n->child[bit_at(p->addr, n->len)]) {
		c = common_bits(p->addr, n->addr, len < n->len ? len : n->len);
		if (n->len > len)	/* p contains n, or they part */
			return c == len ? visit_subtree(n, fn, arg) : 0;
		if (c < n->len)
			return 0;
		/* n contains p */
		if ((ret = visit_entries(n->entries, fn, arg)) != 0)
			return ret;
		if (n->len == len) {
			if ((ret = visit_subtree(n->child[0], fn, arg)) != 0)
				return ret;
			return visit_subtree(n->child[1], fn, arg);
		}
	}
	return 0;
}

/* String set ----------------------------------------------------------- */

struct mi_snode {
	struct mi_hnode	 hn;		/* first: the node is the hnode */
	struct mi_entry	*entries;
	char		 key[];
};

static struct mi_snode *
snode_find(const struct mi_strset *s, const char *key)
{
	struct mi_hnode *hn;
	struct mi_snode *sn;

	for (hn = mi_hash_first(&s->h, mi_hash_str(key, s->nocase));
	    hn != NULL; hn = mi_hash_next(hn)) {
		sn = (struct mi_snode *)hn;
		if ((s->nocase ? strcasecmp(sn->key, key) :
		    strcmp(sn->key, key)) == 0)
			return sn;
	}
	return NULL;
}

int
mi_strset_init(struct mi_strset *s, bool nocase)
{
	s->nocase = nocase;
	return mi_hash_init(&s->h);
}

void
mi_strset_free(struct mi_strset *s)
{
	struct mi_hnode *hn, *next;
	size_t i;

	for (i = 0; i < s->h.nbucket; i++)
		for (hn = s->h.bucket[i]; hn != NULL; hn = next) {
			next = hn->next;
			free(hn);
		}
	mi_hash_free(&s->h);
}

int
mi_strset_insert(struct mi_strset *s, const char *key, struct mi_entry *e,
    void *value)
{
	struct mi_snode *sn = snode_find(s, key);
	size_t len;

	if (sn == NULL) {
		len = strlen(key);
		if ((sn = calloc(1, sizeof(*sn) + len + 1)) == NULL)
			return -1;
		memcpy(sn->key, key, len + 1);
		mi_hash_insert(&s->h, &sn->hn, mi_hash_str(key, s->nocase));
	}
	entry_link(&sn->entries, e, sn, value);
	return 0;
}

void
mi_strset_remove(struct mi_strset *s, struct mi_entry *e)
{
	struct mi_snode *sn = e->key;

	if (sn == NULL)
		return;
	entry_unlink(&sn->entries, e);
	if (sn->entries == NULL) {
		mi_hash_remove(&s->h, &sn->hn);
		free(sn);
	}
}

int
mi_strset_find(const struct mi_strset *s, const char *key, mi_visit_fn fn,
    void *arg)
{
	const struct mi_snode *sn = snode_find(s, key);

	return sn == NULL ? 0 : visit_entries(sn->entries, fn, arg);
}
