/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Life cycle of a signal-channel message: creation, the arena that holds
 * its strings and arrays, deep comparison.
 */
#include <stdlib.h>
#include <string.h>

#include <dots/model.h>

#include "../util/arena.h"
#include "schema.h"

/* No single message may take more than this, whatever it claims. */
#define MSG_ARENA_LIMIT	(8u * 1024 * 1024)

struct dots_signal *
dots_signal_new(enum dots_signal_kind kind)
{
	struct dots_signal *m;

	m = malloc(sizeof(*m));
	if (m == NULL)
		return NULL;
	memset(m, 0, offsetof(struct dots_signal, arena));
	m->kind = kind;
	arena_init(&m->arena, MSG_ARENA_LIMIT);
	return m;
}

void
dots_signal_free(struct dots_signal *m)
{
	if (m == NULL)
		return;
	arena_release(&m->arena);
	free(m);
}

void *
dots_signal_alloc(struct dots_signal *m, size_t size)
{
	return arena_alloc(&m->arena, size);
}

char *
dots_signal_strdup(struct dots_signal *m, const char *s)
{
	return arena_strndup(&m->arena, s, strlen(s));
}

struct dots_scope *
dots_signal_add_scopes(struct dots_signal *m, size_t n)
{
	struct dots_mitigation_scope *ms = &m->mitigation;
	struct dots_scope *arr;
	size_t i;

	if (n == 0 || n > SIZE_MAX / sizeof(*arr) - ms->n_scope)
		return NULL;
	arr = arena_alloc(&m->arena, (ms->n_scope + n) * sizeof(*arr));
	if (arr == NULL)
		return NULL;
	if (ms->n_scope > 0)
		memcpy(arr, ms->scope, ms->n_scope * sizeof(*arr));
	for (i = ms->n_scope; i < ms->n_scope + n; i++)
		arr[i].trigger_mitigation = true;	/* YANG default */
	ms->scope = arr;
	ms->n_scope += n;
	return &arr[ms->n_scope - n];
}

bool
dots_signal_equal(const struct dots_signal *a, const struct dots_signal *b)
{
	const struct schema_node *root;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->kind != b->kind)
		return false;
	root = schema_root_for_kind(a->kind);
	if (root == NULL)
		return true;
	return schema_struct_equal(root, node_cslot(root, a),
	    node_cslot(root, b));
}
