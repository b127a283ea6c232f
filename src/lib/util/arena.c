/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Bump allocator for message bodies.  The first kilobyte is inside the
 * message itself, so a typical request costs a single malloc; bigger
 * bodies chain heap chunks.  An optional limit bounds what one message may
 * take, whatever its input claims.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_ALIGN	16
#define ARENA_CHUNK	4096

struct dots_arena_chunk {
	struct dots_arena_chunk	*next;
	size_t			 size;
	unsigned char		 data[] __attribute__((aligned(ARENA_ALIGN)));
};

void
arena_init(struct dots_arena *a, size_t limit)
{
	a->chunks = NULL;
	a->cur = a->first;
	a->left = sizeof(a->first);
	a->used = 0;
	a->limit = limit;
}

void
arena_release(struct dots_arena *a)
{
	struct dots_arena_chunk *c, *next;

	for (c = a->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	arena_init(a, a->limit);
}

void *
arena_alloc(struct dots_arena *a, size_t size)
{
	struct dots_arena_chunk *c;
	size_t need, csize;
	void *p;

	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (a->limit != 0 && (need > a->limit || a->used > a->limit - need))
		return NULL;
	if (need > a->left) {
		csize = need > ARENA_CHUNK ? need : ARENA_CHUNK;
		c = malloc(sizeof(*c) + csize);
		if (c == NULL)
			return NULL;
		c->size = csize;
		c->next = a->chunks;
		a->chunks = c;
		a->cur = c->data;
		a->left = csize;
	}
	p = a->cur;
	a->cur += need;
	a->left -= need;
	a->used += need;
	memset(p, 0, size);
	return p;
}

char *
arena_strndup(struct dots_arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = arena_alloc(a, len + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
