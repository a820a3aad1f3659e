/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Indexes by name beside arrays of named items: a table's chains and sets,
 * an ipset file's sets.  The array keeps the items in their order (what is
 * listed is listed as written); the index only finds them.  Kube-proxy's
 * rulesets hold tens of thousands of chains, and rulesets made by tools
 * as many sets, each named in a rule or more: a scan per name would be
 * quadratic.
 *
 * Open addressing with the hash kept beside the pointer, so that a miss
 * reads no item.  The index owns no item: it holds the pointers its
 * owner's array holds.  Its slots are in the owner's arena and go with it.
 */
#ifndef PORTOLAN_NAMEIDX_H
#define PORTOLAN_NAMEIDX_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* A hash of the name S (LEN bytes) for indexes by name: these, and nft
 * variables.  Its low bits are as good as its high ones. */
uint32_t name_hash(const char *s, size_t len);

/* While an array holds this many items or fewer it has no index: the
 * array is scanned, and its names are never hashed. */
#define NAMEIDX_MIN 16

/*
 * How to read one kind of array: AT gives item I of ITEMS (a "struct
 * chain **", ...), NAME an item's name.  A static const per kind, in the
 * file that owns the array.
 */
struct name_kind {
	void *(*at)(const void *items, uint32_t i);
	const char *(*name)(const void *item);
};

struct name_slot {
	uint32_t hash;		/* name_hash() of the item's name */
	void *item;		/* NULL: free */
};

/* Zeroed: no index (an empty or short array). */
struct name_index {
	struct name_slot *slots;	/* NULL while the array is short */
	uint32_t size;			/* slots: a power of two */
};

/* The hash nameidx_find() and nameidx_add() take for NAME (LEN bytes):
 * 0 while X has no slots, as it is not needed then. */
static inline uint32_t nameidx_hash(const struct name_index *x,
				    const char *name, size_t len)
{
	return x->slots ? name_hash(name, len) : 0;
}

/*
 * The first item of ITEMS (N of kind K, indexed by X) named NAME (LEN
 * bytes, NUL-terminated or not), or NULL.  H: nameidx_hash() of NAME.
 */
void *nameidx_find(const struct name_index *x, const struct name_kind *k,
		   const void *items, uint32_t n, const char *name, size_t len,
		   uint32_t h);

/*
 * ITEMS[N - 1] was just appended: X indexes it, growing in arena A when
 * three quarters full, or is built once the array is no longer short.
 * H: nameidx_hash() of its name, taken before this call.  An item
 * named as one before it is indexed too: lookups keep finding the first.
 */
void nameidx_add(struct arena *a, struct name_index *x, const struct name_kind *k,
		 const void *items, uint32_t n, uint32_t h);

/* ITEMS (N) lost an item, or one was renamed: X is built again in place
 * (its size is enough: the array did not grow). */
void nameidx_rebuild(struct name_index *x, const struct name_kind *k,
		     const void *items, uint32_t n);

#endif
