/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Internal: a bump allocator.  A message's strings and arrays come from
 * the arena embedded in it; freeing the message frees them all, so a
 * decoder that fails half-way cannot leak.
 */
#ifndef DOTS_ARENA_H
#define DOTS_ARENA_H

#include <stddef.h>

#include <dots/model.h>

void	 arena_init(struct dots_arena *a, size_t limit);
void	 arena_release(struct dots_arena *a);
/* @return zeroed memory aligned for any scalar, or NULL */
void	*arena_alloc(struct dots_arena *a, size_t size);
char	*arena_strndup(struct dots_arena *a, const char *s, size_t len);

#endif /* DOTS_ARENA_H */
