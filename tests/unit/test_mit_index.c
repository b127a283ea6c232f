/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The indexes of dotsd's mitigation engine (src/server/mit_index.c): the
 * hash table, the prefix trie and the string set.  Values are small
 * integers cast to pointers; what a lookup finds is counted per value and
 * compared with what a scan of every stored key finds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include <dots/error.h>
#include <dots/model.h>

#include "mit_index.h"

#define NVAL	20000

#define VAL(i)	((void *)(uintptr_t)((i) + 1))
#define IDX(v)	((size_t)(uintptr_t)(v) - 1)

/* What a walk found: how many times each value. */
struct found {
	unsigned	hits[NVAL];
	size_t		total;
	size_t		stop_after;	/* 0: never stop */
};

static int
count_cb(void *arg, void *value)
{
	struct found *f = arg;

	assert_true(IDX(value) < NVAL);
	f->hits[IDX(value)]++;
	f->total++;
	if (f->stop_after != 0 && f->total == f->stop_after)
		return 7;
	return 0;
}

static struct found *
found_new(void)
{
	struct found *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	return f;
}

static void
found_clear(struct found *f)
{
	memset(f, 0, sizeof(*f));
}

static struct dots_prefix
pfx(const char *text)
{
	struct dots_prefix p;

	if (dots_prefix_parse(text, &p, NULL) != DOTS_OK)
		fail_msg("bad prefix %s", text);
	return p;
}

/* Deterministic pseudo-random numbers (xorshift64*). */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* Hash table ---------------------------------------------------------- */

struct item {
	struct mi_hnode	hn;
	uint64_t	key;
	bool		in;
};

static struct item *
hash_find(struct mi_hash *h, uint64_t key, uint64_t hash)
{
	struct mi_hnode *n;

	for (n = mi_hash_first(h, hash); n != NULL; n = mi_hash_next(n))
		if (((struct item *)n)->key == key)
			return (struct item *)n;
	return NULL;
}

static void
test_hash(void **state)
{
	struct mi_hash h;
	struct item *items;
	size_t i, n = NVAL;

	(void)state;
	items = calloc(n, sizeof(*items));
	assert_non_null(items);
	assert_int_equal(mi_hash_init(&h), 0);
	for (i = 0; i < n; i++) {
		items[i].key = i * 7919;
		mi_hash_insert(&h, &items[i].hn, mi_hash_u64(items[i].key));
		items[i].in = true;
	}
	assert_int_equal(h.n, n);
	assert_true(h.nbucket >= n);
	for (i = 0; i < n; i++)
		assert_ptr_equal(hash_find(&h, items[i].key,
		    mi_hash_u64(items[i].key)), &items[i]);
	assert_null(hash_find(&h, 1, mi_hash_u64(1)));

	/* remove every third one */
	for (i = 0; i < n; i += 3) {
		mi_hash_remove(&h, &items[i].hn);
		items[i].in = false;
	}
	for (i = 0; i < n; i++)
		assert_ptr_equal(hash_find(&h, items[i].key,
		    mi_hash_u64(items[i].key)), items[i].in ? &items[i] : NULL);
	for (i = 0; i < n; i++)
		if (items[i].in)
			mi_hash_remove(&h, &items[i].hn);
	assert_int_equal(h.n, 0);
	mi_hash_free(&h);
	free(items);
}

/* Different keys with one hash: all found, each by its key. */
static void
test_hash_same_hash(void **state)
{
	struct item items[40];
	struct mi_hnode *n;
	struct mi_hash h;
	size_t i, seen = 0;

	(void)state;
	memset(items, 0, sizeof(items));
	assert_int_equal(mi_hash_init(&h), 0);
	for (i = 0; i < 40; i++) {
		items[i].key = i;
		mi_hash_insert(&h, &items[i].hn, 42);
	}
	for (n = mi_hash_first(&h, 42); n != NULL; n = mi_hash_next(n))
		seen++;
	assert_int_equal(seen, 40);
	for (i = 0; i < 40; i++)
		assert_ptr_equal(hash_find(&h, i, 42), &items[i]);
	mi_hash_remove(&h, &items[17].hn);
	assert_null(hash_find(&h, 17, 42));
	assert_ptr_equal(hash_find(&h, 18, 42), &items[18]);
	assert_null(mi_hash_first(&h, 43));
	mi_hash_free(&h);

	/* the string hashes agree with the comparisons */
	assert_true(mi_hash_str("WWW.Example.COM", true) ==
	    mi_hash_str("www.example.com", true));
	assert_true(mi_hash_str("a", false) != mi_hash_str("A", false));
}

/* Prefix trie ---------------------------------------------------------- */

struct tfix {
	struct mi_trie		 t;
	struct mi_entry		 e[64];
	struct dots_prefix	 p[64];
	size_t			 n;
	struct found		*f;
};

static int
tadd(struct tfix *x, const char *text)
{
	size_t i = x->n++;

	x->p[i] = pfx(text);
	assert_int_equal(mi_trie_insert(&x->t, &x->p[i], &x->e[i], VAL(i)),
	    0);
	return (int)i;
}

/* The values found for @p text must be exactly those listed (-1 ends). */
static void
expect_overlaps(struct tfix *x, const char *text, ...)
{
	struct dots_prefix q = pfx(text);
	unsigned want[64];
	va_list ap;
	size_t i;
	int v;

	memset(want, 0, sizeof(want));
	va_start(ap, text);
	while ((v = va_arg(ap, int)) >= 0)
		want[v]++;
	va_end(ap);
	found_clear(x->f);
	assert_int_equal(mi_trie_overlaps(&x->t, &q, count_cb, x->f), 0);
	for (i = 0; i < x->n; i++)
		if (x->f->hits[i] != want[i])
			fail_msg("%s: value %zu found %u times, want %u", text,
			    i, x->f->hits[i], want[i]);
	/* and what a scan says */
	for (i = 0; i < x->n; i++)
		if (x->e[i].key != NULL)
			assert_int_equal(x->f->hits[i] != 0,
			    dots_prefix_overlaps(&x->p[i], &q));
}

static void
tfix_init(struct tfix *x)
{
	memset(x, 0, sizeof(*x));
	mi_trie_init(&x->t);
	x->f = found_new();
}

static void
tfix_free(struct tfix *x)
{
	mi_trie_free(&x->t);
	free(x->f);
}

static void
test_trie_ipv4(void **state)
{
	struct tfix x;
	int all, net8, net16, net24, host, other, lo, hi;

	(void)state;
	tfix_init(&x);
	all = tadd(&x, "0.0.0.0/0");
	net8 = tadd(&x, "10.0.0.0/8");
	net16 = tadd(&x, "10.1.0.0/16");
	net24 = tadd(&x, "10.1.2.0/24");
	host = tadd(&x, "10.1.2.3/32");
	other = tadd(&x, "10.2.0.0/16");
	lo = tadd(&x, "192.0.2.0/25");
	hi = tadd(&x, "192.0.2.128/25");

	/* ancestors of a /32, and itself */
	expect_overlaps(&x, "10.1.2.3/32", all, net8, net16, net24, host, -1);
	/* a /32 beside it: only its ancestors */
	expect_overlaps(&x, "10.1.2.4/32", all, net8, net16, net24, -1);
	/* a /8: itself and its subtree, and /0 */
	expect_overlaps(&x, "10.0.0.0/8", all, net8, net16, net24, host,
	    other, -1);
	/* between stored lengths, on a branch of its own */
	expect_overlaps(&x, "10.1.2.0/23", all, net8, net16, net24, host, -1);
	expect_overlaps(&x, "10.0.0.0/12", all, net8, net16, net24, host,
	    other, -1);
	expect_overlaps(&x, "10.128.0.0/9", all, net8, -1);
	/* where two halves branch: both */
	expect_overlaps(&x, "192.0.2.0/24", all, lo, hi, -1);
	expect_overlaps(&x, "192.0.2.200/32", all, hi, -1);
	/* disjoint from everything but /0 */
	expect_overlaps(&x, "11.0.0.0/8", all, -1);
	/* /0 finds every IPv4 value, once each */
	expect_overlaps(&x, "0.0.0.0/0", all, net8, net16, net24, host, other,
	    lo, hi, -1);
	/* and no IPv6 one */
	expect_overlaps(&x, "::/0", -1);
	tfix_free(&x);
}

static void
test_trie_ipv6(void **state)
{
	struct tfix x;
	int all, p32, p48, host, other, v4;

	(void)state;
	tfix_init(&x);
	all = tadd(&x, "::/0");
	p32 = tadd(&x, "2001:db8::/32");
	p48 = tadd(&x, "2001:db8:1::/48");
	host = tadd(&x, "2001:db8:1::1/128");
	other = tadd(&x, "2001:db8:2::/48");
	v4 = tadd(&x, "203.0.113.0/24");

	expect_overlaps(&x, "2001:db8:1::1/128", all, p32, p48, host, -1);
	expect_overlaps(&x, "2001:db8:1::2/128", all, p32, p48, -1);
	expect_overlaps(&x, "2001:db8:1:2::/64", all, p32, p48, -1);
	expect_overlaps(&x, "2001:db8::/32", all, p32, p48, host, other, -1);
	expect_overlaps(&x, "2001:db8::/31", all, p32, p48, host, other, -1);
	expect_overlaps(&x, "2001:db9::/32", all, -1);
	/* the last bit decides */
	expect_overlaps(&x, "2001:db8:1::/127", all, p32, p48, host, -1);
	expect_overlaps(&x, "2001:db8:1::2/127", all, p32, p48, -1);
	expect_overlaps(&x, "::/0", all, p32, p48, host, other, -1);
	expect_overlaps(&x, "203.0.113.7/32", v4, -1);
	tfix_free(&x);
}

/* Several values under one prefix; one value under several prefixes. */
static void
test_trie_shared(void **state)
{
	struct tfix x;

	(void)state;
	tfix_init(&x);
	x.p[0] = pfx("198.51.100.0/24");
	x.p[1] = x.p[0];
	x.p[2] = pfx("198.51.100.0/25");
	assert_int_equal(mi_trie_insert(&x.t, &x.p[0], &x.e[0], VAL(0)), 0);
	assert_int_equal(mi_trie_insert(&x.t, &x.p[1], &x.e[1], VAL(1)), 0);
	/* value 0 again, under a second prefix */
	assert_int_equal(mi_trie_insert(&x.t, &x.p[2], &x.e[2], VAL(0)), 0);
	x.n = 2;
	assert_int_equal(x.t.nnodes, 2);

	found_clear(x.f);
	mi_trie_overlaps(&x.t, &x.p[2], count_cb, x.f);
	assert_int_equal(x.f->hits[0], 2);
	assert_int_equal(x.f->hits[1], 1);

	/* a visitor stops the walk */
	found_clear(x.f);
	x.f->stop_after = 1;
	assert_int_equal(mi_trie_overlaps(&x.t, &x.p[2], count_cb, x.f), 7);
	assert_int_equal(x.f->total, 1);

	/* the node stays while a value is left under it */
	mi_trie_remove(&x.t, &x.e[0]);
	assert_null(x.e[0].key);
	assert_int_equal(x.t.nnodes, 2);
	found_clear(x.f);
	mi_trie_overlaps(&x.t, &x.p[0], count_cb, x.f);
	assert_int_equal(x.f->hits[0], 1);
	assert_int_equal(x.f->hits[1], 1);
	mi_trie_remove(&x.t, &x.e[1]);
	mi_trie_remove(&x.t, &x.e[2]);
	assert_int_equal(x.t.nnodes, 0);
	assert_null(x.t.root[0]);
	/* removing twice is harmless */
	mi_trie_remove(&x.t, &x.e[2]);
	tfix_free(&x);
}

/* Removal keeps the rest findable and frees branching nodes. */
static void
test_trie_remove(void **state)
{
	struct tfix x;
	int a, b, c, d;

	(void)state;
	tfix_init(&x);
	a = tadd(&x, "10.0.0.0/24");
	b = tadd(&x, "10.0.1.0/24");	/* branches at /23 with a */
	c = tadd(&x, "10.0.0.0/16");
	d = tadd(&x, "10.0.0.128/25");
	assert_int_equal(x.t.nnodes, 5);

	mi_trie_remove(&x.t, &x.e[c]);
	expect_overlaps(&x, "10.0.0.0/8", a, b, d, -1);
	expect_overlaps(&x, "10.0.0.129/32", a, d, -1);
	assert_int_equal(x.t.nnodes, 4);
	mi_trie_remove(&x.t, &x.e[b]);
	/* the branching node went with b */
	assert_int_equal(x.t.nnodes, 2);
	expect_overlaps(&x, "10.0.0.0/8", a, d, -1);
	expect_overlaps(&x, "10.0.1.0/24", -1);
	mi_trie_remove(&x.t, &x.e[a]);
	assert_int_equal(x.t.nnodes, 1);
	expect_overlaps(&x, "10.0.0.0/24", d, -1);
	mi_trie_remove(&x.t, &x.e[d]);
	assert_int_equal(x.t.nnodes, 0);
	expect_overlaps(&x, "0.0.0.0/0", -1);

	/* and it can grow again */
	tadd(&x, "10.0.0.0/24");
	expect_overlaps(&x, "10.0.0.0/8", 4, -1);
	tfix_free(&x);
}

static struct dots_prefix
random_prefix(uint64_t *seed)
{
	struct dots_prefix p;
	uint64_t r = rnd(seed);
	unsigned max, len, i;

	memset(&p, 0, sizeof(p));
	p.family = (r & 1) ? DOTS_AF_INET6 : DOTS_AF_INET4;
	max = p.family == DOTS_AF_INET4 ? 32 : 128;
	/* mostly long prefixes in a narrow range, so that they nest */
	len = (unsigned)(r >> 8) % (max + 1);
	if ((r >> 20) % 4 != 0)
		len = max - (unsigned)((r >> 24) % 12);
	p.length = (uint8_t)len;
	for (i = 0; i < 16; i++)
		p.addr[i] = (uint8_t)rnd(seed);
	/* a shared start: 10/8 or 2001:db8::/32 */
	if (p.family == DOTS_AF_INET4) {
		p.addr[0] = 10;
		p.addr[1] &= 0x03;
	} else {
		memcpy(p.addr, "\x20\x01\x0d\xb8\x00", 5);
		memset(p.addr + 5, 0, 7);
		p.addr[12] &= 0x03;
	}
	for (i = 0; i < 16; i++)
		if (i * 8 >= len)
			p.addr[i] = 0;
		else if (i * 8 + 8 > len)
			p.addr[i] &= (uint8_t)(0xff << (8 - (len - i * 8)));
	return p;
}

/* Many random, nesting prefixes: the trie agrees with a scan. */
static void
test_trie_many(void **state)
{
	struct dots_prefix *p, q;
	struct mi_entry *e;
	struct mi_trie t;
	struct found *f = found_new();
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t i, k, round;

	(void)state;
	p = calloc(NVAL, sizeof(*p));
	e = calloc(NVAL, sizeof(*e));
	assert_non_null(p);
	assert_non_null(e);
	mi_trie_init(&t);
	for (i = 0; i < NVAL; i++) {
		p[i] = random_prefix(&seed);
		assert_int_equal(mi_trie_insert(&t, &p[i], &e[i], VAL(i)), 0);
	}
	assert_true(t.nnodes < 2 * NVAL);
	for (round = 0; round < 3; round++) {
		for (k = 0; k < 200; k++) {
			q = random_prefix(&seed);
			found_clear(f);
			mi_trie_overlaps(&t, &q, count_cb, f);
			for (i = 0; i < NVAL; i++)
				if (f->hits[i] != (e[i].key != NULL &&
				    dots_prefix_overlaps(&p[i], &q) ? 1u : 0u))
					fail_msg("round %zu value %zu: %u hits",
					    round, i, f->hits[i]);
		}
		/* remove a random half of what is left */
		for (i = 0; i < NVAL; i++)
			if (rnd(&seed) & 1)
				mi_trie_remove(&t, &e[i]);
	}
	for (i = 0; i < NVAL; i++)
		mi_trie_remove(&t, &e[i]);
	assert_int_equal(t.nnodes, 0);
	mi_trie_free(&t);
	free(p);
	free(e);
	free(f);
}

/* A trie freed with values in it leaks nothing (ASan checks). */
static void
test_trie_free_full(void **state)
{
	struct mi_entry e[3];
	struct dots_prefix p[3];
	struct mi_trie t;

	(void)state;
	mi_trie_init(&t);
	p[0] = pfx("2001:db8::/32");
	p[1] = pfx("2001:db8:1::/48");
	p[2] = pfx("2001:db8:2::/48");
	assert_int_equal(mi_trie_insert(&t, &p[0], &e[0], VAL(0)), 0);
	assert_int_equal(mi_trie_insert(&t, &p[1], &e[1], VAL(1)), 0);
	assert_int_equal(mi_trie_insert(&t, &p[2], &e[2], VAL(2)), 0);
	mi_trie_free(&t);
	assert_int_equal(t.nnodes, 0);
}

/* String set ----------------------------------------------------------- */

static void
test_strset(void **state)
{
	struct mi_strset ci, cs;
	struct mi_entry e[4];
	struct found *f = found_new();

	(void)state;
	assert_int_equal(mi_strset_init(&ci, true), 0);
	assert_int_equal(mi_strset_init(&cs, false), 0);
	assert_int_equal(mi_strset_insert(&ci, "WWW.Example.COM", &e[0],
	    VAL(0)), 0);
	assert_int_equal(mi_strset_insert(&ci, "www.example.com", &e[1],
	    VAL(1)), 0);
	assert_int_equal(mi_strset_insert(&cs, "Alias", &e[2], VAL(2)), 0);
	assert_int_equal(mi_strset_insert(&cs, "alias", &e[3], VAL(3)), 0);
	assert_int_equal(ci.h.n, 1);
	assert_int_equal(cs.h.n, 2);

	mi_strset_find(&ci, "www.EXAMPLE.com", count_cb, f);
	assert_int_equal(f->total, 2);
	assert_int_equal(f->hits[0], 1);
	assert_int_equal(f->hits[1], 1);
	found_clear(f);
	mi_strset_find(&ci, "mail.example.com", count_cb, f);
	assert_int_equal(f->total, 0);
	mi_strset_find(&cs, "alias", count_cb, f);
	assert_int_equal(f->total, 1);
	assert_int_equal(f->hits[3], 1);

	mi_strset_remove(&ci, &e[0]);
	assert_int_equal(ci.h.n, 1);
	found_clear(f);
	mi_strset_find(&ci, "www.example.com", count_cb, f);
	assert_int_equal(f->total, 1);
	assert_int_equal(f->hits[1], 1);
	mi_strset_remove(&ci, &e[1]);
	assert_int_equal(ci.h.n, 0);
	found_clear(f);
	mi_strset_find(&ci, "www.example.com", count_cb, f);
	assert_int_equal(f->total, 0);

	/* freed with a string still in it */
	mi_strset_free(&ci);
	mi_strset_free(&cs);
	free(f);
}

static void
test_strset_many(void **state)
{
	struct mi_strset s;
	struct mi_entry *e;
	struct found *f = found_new();
	char name[64];
	size_t i;

	(void)state;
	e = calloc(NVAL, sizeof(*e));
	assert_non_null(e);
	assert_int_equal(mi_strset_init(&s, true), 0);
	for (i = 0; i < NVAL; i++) {
		snprintf(name, sizeof(name), "Host%zu.Example.NET", i / 2);
		assert_int_equal(mi_strset_insert(&s, name, &e[i], VAL(i)), 0);
	}
	assert_int_equal(s.h.n, NVAL / 2);
	for (i = 0; i < NVAL; i += 2) {
		snprintf(name, sizeof(name), "host%zu.example.net", i / 2);
		found_clear(f);
		mi_strset_find(&s, name, count_cb, f);
		assert_int_equal(f->total, 2);
		assert_int_equal(f->hits[i], 1);
		assert_int_equal(f->hits[i + 1], 1);
	}
	for (i = 0; i < NVAL; i++)
		mi_strset_remove(&s, &e[i]);
	assert_int_equal(s.h.n, 0);
	mi_strset_free(&s);
	free(e);
	free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_hash_same_hash),
		cmocka_unit_test(test_trie_ipv4),
		cmocka_unit_test(test_trie_ipv6),
		cmocka_unit_test(test_trie_shared),
		cmocka_unit_test(test_trie_remove),
		cmocka_unit_test(test_trie_many),
		cmocka_unit_test(test_trie_free_full),
		cmocka_unit_test(test_strset),
		cmocka_unit_test(test_strset_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
