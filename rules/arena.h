/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bump allocator: many small allocations, released together.  Memory is
 * zeroed.  Out of memory aborts (the one exit library code may take).
 */
#ifndef PORTOLAN_ARENA_H
#define PORTOLAN_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

#define ARENA_FREE_SIZES 64

/*
 * Blocks that arena_grow() moved away from, by size: a later growth to
 * that size takes one instead of new memory.  Arrays grown by doubling
 * would otherwise leave as much behind as they hold.
 */
struct arena_free {
	size_t size;		/* 0: an unused slot */
	void *head;		/* each block's first word links the next */
};

struct arena {
	struct arena_chunk *head;
	char *cur, *end;
	size_t total;		/* bytes obtained from malloc */
	struct arena_free freed[ARENA_FREE_SIZES];
};

void arena_init(struct arena *a);
void arena_release(struct arena *a);

void *arena_alloc(struct arena *a, size_t size);
/*
 * A copy of OLD (OLDSIZE bytes) in a block of NEWSIZE bytes, zeroed past
 * the copy.  OLD must come from arena_alloc() or arena_grow() with
 * OLDSIZE, and is invalid afterwards: its memory may be given to a later
 * arena_grow().
 */
void *arena_grow(struct arena *a, void *old, size_t oldsize, size_t newsize);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Out of memory: print one line and abort. */
_Noreturn void oom(void);

/*
 * P, a malloc'd array of *CAP elements of SIZE bytes (NULL and 0 at
 * first), with room for NEED: grown by doubling, from 8.  Out of memory
 * aborts.  Asked per element added: only the growth is out of line.
 */
void *array_enlarge(void *p, size_t *cap, size_t need, size_t size);

static inline void *grow_array(void *p, size_t *cap, size_t need, size_t size)
{
	return need <= *cap ? p : array_enlarge(p, cap, need, size);
}

#endif
