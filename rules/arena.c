/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "strfmt.h"

/* Under ASan, a block given back to the arena may not be touched until
 * the arena hands it out again: a pointer kept across arena_grow() is
 * caught, not silently read. */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif

#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
static void poison(void *p, size_t n)
{
	ASAN_POISON_MEMORY_REGION(p, n);
}

static void unpoison(void *p, size_t n)
{
	ASAN_UNPOISON_MEMORY_REGION(p, n);
}
#else
static void poison(void *p, size_t n)
{
	(void)p;
	(void)n;
}

static void unpoison(void *p, size_t n)
{
	(void)p;
	(void)n;
}
#endif

#define CHUNK_SIZE (256u << 10)
#define ALIGN 8u	/* the model holds nothing wider than a pointer or uint64_t */

struct arena_chunk {
	struct arena_chunk *next;
	max_align_t data[];
};

_Noreturn void oom(void)
{
	fputs("portolan: out of memory\n", stderr);
	abort();
}

void arena_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	memset(a, 0, sizeof(*a));
}

static void *new_chunk(struct arena *a, size_t size)
{
	struct arena_chunk *c;
	size_t want = size > CHUNK_SIZE / 4 ? size : CHUNK_SIZE;

	c = calloc(1, sizeof(*c) + want);
	if (!c)
		oom();
	a->total += sizeof(*c) + want;
	if (want == size) {
		/* A big block gets a chunk of its own; the bump chunk stays. */
		if (a->head) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			a->head = c;
		}
		return c->data;
	}
	c->next = a->head;
	a->head = c;
	a->cur = (char *)c->data + size;
	a->end = (char *)c->data + want;
	return c->data;
}

static size_t aligned(size_t size)
{
	if (size > SIZE_MAX - ALIGN)
		oom();
	size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	return size ? size : ALIGN;
}

void *arena_alloc(struct arena *a, size_t size)
{
	void *p;

	size = aligned(size);
	if ((size_t)(a->end - a->cur) < size)
		return new_chunk(a, size);
	p = a->cur;
	a->cur += size;
	return p;	/* chunks are calloc'd and never reused: zeroed */
}

/* The free list of blocks of SIZE (aligned); NULL when every slot holds
 * another size and CREATE is false or there is no room. */
static struct arena_free *free_list(struct arena *a, size_t size, bool create)
{
	size_t h = (size / ALIGN) % ARENA_FREE_SIZES;

	for (size_t k = 0; k < ARENA_FREE_SIZES; k++) {
		struct arena_free *f = &a->freed[(h + k) % ARENA_FREE_SIZES];

		if (f->size == size)
			return f;
		if (!f->size) {
			if (!create)
				return NULL;
			f->size = size;
			return f;
		}
	}
	return NULL;
}

void *arena_grow(struct arena *a, void *old, size_t oldsize, size_t newsize)
{
	struct arena_free *f;
	size_t copy = oldsize < newsize ? oldsize : newsize;
	void *p;

	newsize = aligned(newsize);
	oldsize = old ? aligned(oldsize) : 0;
	/* The last block of the bump chunk grows in place. */
	if (old && (char *)old + oldsize == a->cur && newsize > oldsize &&
	    (size_t)(a->end - a->cur) >= newsize - oldsize) {
		a->cur += newsize - oldsize;
		return old;
	}
	f = free_list(a, newsize, false);
	if (f && f->head) {
		p = f->head;
		unpoison(p, newsize);
		memcpy(&f->head, p, sizeof(void *));
		memset(p, 0, newsize);
	} else {
		p = arena_alloc(a, newsize);
	}
	if (old && copy)
		memcpy(p, old, copy);
	if (old && oldsize >= sizeof(void *) && (f = free_list(a, oldsize, true))) {
		memcpy(old, &f->head, sizeof(void *));
		f->head = old;
		poison(old, oldsize);
	}
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	char small[256], *p;
	va_list again;
	size_t n;

	if (!fmt)
		fmt = "";	/* never: but GCC's sanitizer builds cannot tell */
	va_copy(again, ap);
	n = strfmt_v(small, sizeof(small), fmt, ap);
	p = arena_alloc(a, n + 1);
	if (n < sizeof(small))
		memcpy(p, small, n + 1);
	else
		strfmt_v(p, n + 1, fmt, again);
	va_end(again);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void *array_enlarge(void *p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 8;

	while (c < need)
		c *= 2;
	p = realloc(p, c * size);
	if (!p)
		oom();
	*cap = c;
	return p;
}
