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

struct arena {
	struct arena_chunk *head;
	char *cur, *end;
	size_t total;		/* bytes obtained from malloc */
};

void arena_init(struct arena *a);
void arena_release(struct arena *a);

void *arena_alloc(struct arena *a, size_t size);
/* A copy of OLD (OLDSIZE bytes) in a new block of NEWSIZE bytes. */
void *arena_grow(struct arena *a, void *old, size_t oldsize, size_t newsize);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Out of memory: print one line and abort. */
_Noreturn void oom(void);

#endif
