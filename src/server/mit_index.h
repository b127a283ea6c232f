/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Indexes of the mitigation engine, so that a request costs the same
 * whether the server holds ten mitigations or a hundred thousand:
 *
 *  - mi_hash: a chained hash table whose nodes are embedded in the
 *    indexed objects; the caller hashes and compares keys;
 *  - mi_trie: a path-compressed binary trie of prefixes, one per address
 *    family, that finds every stored prefix overlapping a given one (its
 *    ancestors and its subtree);
 *  - mi_strset: strings (exact or ASCII case-insensitive).
 *
 * The trie and the string set store values (void *) under keys.  One value
 * may sit under many keys, through one struct mi_entry per key: the caller
 * owns the entries (e.g. an array in the value) and passes an entry back
 * to remove it.  Visitors must not change the index they are called from.
 */
#ifndef DOTS_MIT_INDEX_H
#define DOTS_MIT_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dots/model.h>

/* Hash table ---------------------------------------------------------- */

struct mi_hnode {
	struct mi_hnode	*next;
	uint64_t	 hash;
};

struct mi_hash {
	struct mi_hnode	**bucket;
	size_t		  nbucket;	/* a power of two */
	size_t		  n;
};

/* @return 0, or -1 if out of memory. */
int		 mi_hash_init(struct mi_hash *h);
/* Frees the table, not the nodes. */
void		 mi_hash_free(struct mi_hash *h);
/* Never fails: if the table cannot grow, its chains get longer. */
void		 mi_hash_insert(struct mi_hash *h, struct mi_hnode *n,
		    uint64_t hash);
void		 mi_hash_remove(struct mi_hash *h, struct mi_hnode *n);
/* The nodes with @p hash, one after the other; the caller compares keys. */
struct mi_hnode	*mi_hash_first(const struct mi_hash *h, uint64_t hash);
struct mi_hnode	*mi_hash_next(const struct mi_hnode *n);

uint64_t	 mi_hash_u64(uint64_t v);
uint64_t	 mi_hash_str(const char *s, bool nocase);

/* Values under keys ---------------------------------------------------- */

struct mi_entry {
	struct mi_entry	*next;		/* values under the same key */
	struct mi_entry	*prev;
	void		*key;		/* owner: a trie or string-set node */
	void		*value;
};

/* Visitor of values; a non-zero return stops the walk and is returned. */
typedef int (*mi_visit_fn)(void *arg, void *value);

/* Prefix trie ---------------------------------------------------------- */

struct mi_tnode;

struct mi_trie {
	struct mi_tnode	*root[2];	/* IPv4, IPv6 */
	size_t		 nnodes;
};

void	mi_trie_init(struct mi_trie *t);
/* Frees the nodes; the entries are the caller's. */
void	mi_trie_free(struct mi_trie *t);
/* Store @p value under @p p (canonical).  @return 0, or -1 (ENOMEM). */
int	mi_trie_insert(struct mi_trie *t, const struct dots_prefix *p,
	    struct mi_entry *e, void *value);
void	mi_trie_remove(struct mi_trie *t, struct mi_entry *e);
/*
 * Visit the values stored under a prefix that contains @p p or that @p p
 * contains.  A value stored under several such prefixes is visited once
 * for each.  @return what a visitor returned to stop, or 0.
 */
int	mi_trie_overlaps(const struct mi_trie *t, const struct dots_prefix *p,
	    mi_visit_fn fn, void *arg);

/* String set ----------------------------------------------------------- */

struct mi_strset {
	struct mi_hash	 h;
	bool		 nocase;	/* ASCII case-insensitive */
};

int	mi_strset_init(struct mi_strset *s, bool nocase);
/* Frees its nodes; the entries are the caller's. */
void	mi_strset_free(struct mi_strset *s);
/* @return 0, or -1 (ENOMEM). */
int	mi_strset_insert(struct mi_strset *s, const char *key,
	    struct mi_entry *e, void *value);
void	mi_strset_remove(struct mi_strset *s, struct mi_entry *e);
/* Visit the values stored under @p key.  @return as mi_trie_overlaps. */
int	mi_strset_find(const struct mi_strset *s, const char *key,
	    mi_visit_fn fn, void *arg);

#endif /* DOTS_MIT_INDEX_H */
