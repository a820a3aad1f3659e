/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdbool.h>
#include <string.h>

#include "nameidx.h"

/*
 * Eight bytes at a time (the last eight overlap the ones before when the
 * length is not a multiple), multiplied in; the index takes the high half,
 * where every byte has reached.  Names are "KUBE-SEP-" and 16 letters.
 */
uint32_t name_hash(const char *s, size_t len)
{
	const uint64_t k = 0x9e3779b97f4a7c15ull;
	uint64_t h = len * k, w;

	if (len < 8) {
		w = 0;
		for (size_t i = 0; i < len; i++)
			w |= (uint64_t)(unsigned char)s[i] << (8 * i);
		h = (h ^ w) * k;
	} else {
		for (size_t i = 0; i + 8 < len; i += 8) {
			memcpy(&w, s + i, 8);
			h = ((h << 5 | h >> 59) ^ w) * k;
		}
		memcpy(&w, s + len - 8, 8);
		h = ((h << 5 | h >> 59) ^ w) * k;
	}
	h ^= h >> 29;
	return (uint32_t)((h * k) >> 32);
}

/*
 * Filled up to three quarters: probes stay short, and the index of
 * kube-proxy's 36,000 chains is 1 MiB, not 2, which matters more: nearly
 * every lookup there misses the cache.
 */
static uint32_t size_for(uint32_t n)
{
	uint32_t size = NAMEIDX_MIN * 2;

	while (size / 4 * 3 < n)
		size *= 2;
	return size;
}

/* After the items already there with this hash: the first stays first. */
static void put(struct name_index *x, void *item, uint32_t h)
{
	uint32_t i = h & (x->size - 1);

	while (x->slots[i].item)
		i = (i + 1) & (x->size - 1);
	x->slots[i].hash = h;
	x->slots[i].item = item;
}

static void put_all(struct name_index *x, const struct name_kind *k,
		    const void *items, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		void *item = k->at(items, i);
		const char *name = k->name(item);

		put(x, item, name_hash(name, strlen(name)));
	}
}

/*
 * A bigger index from the full one: the names are not hashed again.  The
 * old slots are read from a free one on, so that each run of them is put
 * back in its order, and of two items with one name the first stays
 * first (from slot 0, a run wrapping round the end would be reversed).
 */
static void grow(struct arena *a, struct name_index *x, uint32_t n)
{
	struct name_slot *old = x->slots;
	uint32_t oldsize = x->size, start = 0;

	while (old[start].item)		/* there is one: 3/4 full at most */
		start++;
	/* the old index stays in the arena: sizes double, so the waste is
	 * bounded by the final size */
	x->size = size_for(n);
	x->slots = arena_alloc(a, x->size * sizeof(*x->slots));
	for (uint32_t j = 1; j <= oldsize; j++) {
		const struct name_slot *s = &old[(start + j) & (oldsize - 1)];

		if (s->item)
			put(x, s->item, s->hash);
	}
}

static bool named(const struct name_kind *k, const void *item,
		  const char *name, size_t len)
{
	const char *s = k->name(item);

	/* no strlen(): the item's name is read no further than it is
	 * compared.  NAME may hold a NUL (an ipset file's word): it is
	 * compared as bytes, so that it never matches. */
	return strnlen(s, len + 1) == len && memcmp(s, name, len) == 0;
}

void *nameidx_find(const struct name_index *x, const struct name_kind *k,
		   const void *items, uint32_t n, const char *name, size_t len,
		   uint32_t h)
{
	if (!x->slots) {
		for (uint32_t i = 0; i < n; i++) {
			void *item = k->at(items, i);

			if (named(k, item, name, len))
				return item;
		}
		return NULL;
	}
	/* the hash is kept beside the pointer: no item is read for a miss */
	for (uint32_t i = h & (x->size - 1); x->slots[i].item;
	     i = (i + 1) & (x->size - 1))
		if (x->slots[i].hash == h && named(k, x->slots[i].item, name, len))
			return x->slots[i].item;
	return NULL;
}

void nameidx_add(struct arena *a, struct name_index *x, const struct name_kind *k,
		 const void *items, uint32_t n, uint32_t h)
{
	if (x->slots) {
		if (n > x->size / 4 * 3)
			grow(a, x, n);
		put(x, k->at(items, n - 1), h);
	} else if (n > NAMEIDX_MIN) {
		x->size = size_for(n);
		x->slots = arena_alloc(a, x->size * sizeof(*x->slots));
		put_all(x, k, items, n);
	}
}

void nameidx_rebuild(struct name_index *x, const struct name_kind *k,
		     const void *items, uint32_t n)
{
	if (!x->slots)
		return;		/* short, and shorter still: scanned */
	/* open addressing: a slot cannot simply be emptied */
	memset(x->slots, 0, x->size * sizeof(*x->slots));
	put_all(x, k, items, n);
}
