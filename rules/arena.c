/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

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

void *arena_alloc(struct arena *a, size_t size)
{
	void *p;

	if (size > SIZE_MAX - ALIGN)
		oom();
	size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (!size)
		size = ALIGN;
	if ((size_t)(a->end - a->cur) < size)
		return new_chunk(a, size);
	p = a->cur;
	a->cur += size;
	return p;	/* chunks are calloc'd and never reused: zeroed */
}

void *arena_grow(struct arena *a, void *old, size_t oldsize, size_t newsize)
{
	void *p = arena_alloc(a, newsize);

	if (old && oldsize)
		memcpy(p, old, oldsize < newsize ? oldsize : newsize);
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
	int n;

	if (!fmt)
		fmt = "";	/* never: but GCC's sanitizer builds cannot tell */
	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0)
		n = 0;
	p = arena_alloc(a, (size_t)n + 1);
	if ((size_t)n < sizeof(small))
		memcpy(p, small, (size_t)n + 1);
	else
		vsnprintf(p, (size_t)n + 1, fmt, again);
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
