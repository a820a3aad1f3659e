/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Lookups by name: a table's chains and sets, and the index under them. */
#include "testutil.h"
#include "ruleset.h"
#include "nameidx.h"

#define N 1000

/* Each item's own name, once made; NULL once deleted. */
struct want {
	struct chain *chains[N];
	struct set *sets[N];
	char chain_names[N][48];
	char set_names[N][48];
};

/* Short names, and long ones sharing kube-proxy's prefixes: more than
 * eight bytes, and the same first eight for all. */
static void name_of(char *buf, size_t size, const char *kind, unsigned i)
{
	if (i % 2)
		snprintf(buf, size, "%s%u", kind, i);
	else
		snprintf(buf, size, "KUBE-SEP-%s-%08X", kind, i * 2654435761u);
}

/*
 * Every item of T is the one W expects, and every deleted name misses (a
 * name "" is not looked up: not made yet, or now another's).  The arrays
 * hold exactly the items alive, and when ORDERED in W's order: the order
 * they were made in.
 */
static void check_all(struct ruleset *rs, struct table *t, const struct want *w,
		      bool ordered)
{
	uint32_t nc = 0, ns = 0;

	for (unsigned i = 0; i < N; i++) {
		const char *cn = w->chain_names[i], *sn = w->set_names[i];

		if (cn[0]) {
			assert_ptr_equal(table_find_chain(t, cn), w->chains[i]);
			assert_ptr_equal(table_chain(rs, t, cn, false), w->chains[i]);
		}
		if (sn[0]) {
			assert_ptr_equal(table_find_set(t, sn), w->sets[i]);
			assert_ptr_equal(table_set(rs, t, sn, false), w->sets[i]);
		}
		if (w->chains[i]) {
			assert_string_equal(w->chains[i]->name, cn);
			if (ordered)
				assert_ptr_equal(t->chains[nc], w->chains[i]);
			nc++;
		}
		if (w->sets[i]) {
			assert_string_equal(w->sets[i]->name, sn);
			if (ordered)
				assert_ptr_equal(t->sets[ns], w->sets[i]);
			ns++;
		}
	}
	assert_int_equal(t->nchains, nc);
	assert_int_equal(t->nsets, ns);
	assert_null(table_find_chain(t, "nowhere"));
	assert_null(table_find_set(t, "nowhere"));
	assert_null(table_find_chain(t, ""));
	assert_null(table_find_set(t, ""));
}

static void test_table_names(void **state)
{
	struct ruleset *rs = ruleset_new();
	struct table *t = ruleset_table(rs, FAM_INET, "filter", true);
	struct want *w = calloc(1, sizeof(*w));
	uint32_t nc;

	(void)state;
	assert_non_null(w);
	for (unsigned i = 0; i < N; i++) {
		name_of(w->chain_names[i], sizeof(w->chain_names[i]), "c", i);
		/* sets and chains apart: every other set is named as a chain */
		name_of(w->set_names[i], sizeof(w->set_names[i]), i % 4 < 2 ? "c" : "s", i);
		w->chains[i] = table_chain(rs, t, w->chain_names[i], true);
		w->sets[i] = table_set(rs, t, w->set_names[i], true);
		assert_non_null(w->chains[i]);
		assert_non_null(w->sets[i]);
		assert_ptr_not_equal((void *)w->chains[i], (void *)w->sets[i]);
		/* asked again, the same: nothing is added */
		assert_ptr_equal(table_chain(rs, t, w->chain_names[i], true), w->chains[i]);
		assert_ptr_equal(table_set(rs, t, w->set_names[i], true), w->sets[i]);
		/* every size while the index is made and first grows, then
		 * now and then */
		if (i < 4 * NAMEIDX_MIN || i % 97 == 0)
			check_all(rs, t, w, true);
	}
	check_all(rs, t, w, true);

	/* every third goes */
	for (unsigned i = 0; i < N; i += 3) {
		table_delete_chain(t, w->chains[i]);
		table_delete_set(t, w->sets[i]);
		w->chains[i] = NULL;
		w->sets[i] = NULL;
	}
	check_all(rs, t, w, true);

	/* a deleted set's name made again: a new set, last in the array */
	w->sets[0] = table_set(rs, t, w->set_names[0], true);
	assert_ptr_equal(t->sets[t->nsets - 1], w->sets[0]);
	assert_ptr_equal(table_find_set(t, w->set_names[0]), w->sets[0]);
	table_delete_set(t, w->sets[0]);
	w->sets[0] = NULL;
	check_all(rs, t, w, true);

	/* renames: to a name no chain has, and to a deleted chain's name */
	nc = t->nchains;
	for (unsigned i = 1; i + 1 < N; i += 3) {
		char old[48];

		memcpy(old, w->chain_names[i], sizeof(old));
		snprintf(w->chain_names[i], sizeof(w->chain_names[i]), "renamed-%u", i);
		table_rename_chain(rs, t, w->chains[i], w->chain_names[i]);
		assert_null(table_find_chain(t, old));
		assert_null(table_chain(rs, t, old, false));
	}
	for (unsigned i = 2; i < N; i += 3) {
		char old[48];

		/* chain i takes the name of chain i - 2, deleted */
		memcpy(old, w->chain_names[i], sizeof(old));
		memcpy(w->chain_names[i], w->chain_names[i - 2], sizeof(w->chain_names[i]));
		table_rename_chain(rs, t, w->chains[i], w->chain_names[i]);
		w->chain_names[i - 2][0] = '\0';
		assert_null(table_find_chain(t, old));
	}
	assert_int_equal(t->nchains, nc);
	check_all(rs, t, w, true);

	/* down to a few, then made again: the index outlives it */
	for (unsigned i = 0; i < N - 5; i++) {
		if (w->chains[i])
			table_delete_chain(t, w->chains[i]);
		if (w->sets[i])
			table_delete_set(t, w->sets[i]);
		w->chains[i] = NULL;
		w->sets[i] = NULL;
	}
	check_all(rs, t, w, true);
	for (unsigned i = 0; i < N - 5; i++) {
		name_of(w->chain_names[i], sizeof(w->chain_names[i]), "again", i);
		name_of(w->set_names[i], sizeof(w->set_names[i]), "again", i);
		w->chains[i] = table_chain(rs, t, w->chain_names[i], true);
		w->sets[i] = table_set(rs, t, w->set_names[i], true);
	}
	/* the few left come first now */
	check_all(rs, t, w, false);
	assert_ptr_equal(t->chains[t->nchains - 1], w->chains[N - 6]);
	assert_ptr_equal(t->sets[t->nsets - 1], w->sets[N - 6]);

	/* another table: its own chains and sets */
	assert_null(table_find_chain(ruleset_table(rs, FAM_IP, "filter", true),
				     w->chain_names[N - 1]));
	free(w);
	ruleset_free(rs);
}

struct item {
	const char *name;
};

static void *item_at(const void *items, uint32_t i)
{
	return ((struct item *const *)items)[i];
}

static const char *item_name(const void *item)
{
	return ((const struct item *)item)->name;
}

static const struct name_kind item_kind = { item_at, item_name };

static uint32_t home(const char *s, uint32_t size)
{
	return name_hash(s, strlen(s)) & (size - 1);
}

/*
 * Two items with one name (the ipset reader keeps both): the first is
 * found, before and after the index grows, even when the second was put
 * past the end of the slots, at slot 0.
 */
static void test_first_of_two(void **state)
{
	struct arena a;
	struct name_index x = { 0 };
	struct item *items[64], store[64];
	char names[64][16], dup[16], longer[24];
	uint32_t n = 0, taken = 0, grow_at = NAMEIDX_MIN * 2 / 4 * 3 + 1;
	struct item *first, *second;

	(void)state;
	arena_init(&a);
	/* the index is first made 2 * NAMEIDX_MIN slots big: one name at
	 * the last slot, and others each at a slot of its own, away from
	 * both ends */
	for (unsigned i = 0; ; i++) {
		snprintf(dup, sizeof(dup), "dup%u", i);
		if (home(dup, NAMEIDX_MIN * 2) == NAMEIDX_MIN * 2 - 1)
			break;
	}
	for (unsigned i = 0; n < grow_at - 2; i++) {
		uint32_t hm;

		snprintf(names[n], sizeof(names[n]), "f%u", i);
		hm = home(names[n], NAMEIDX_MIN * 2);
		if (hm == 0 || hm == NAMEIDX_MIN * 2 - 1 || taken & 1u << hm)
			continue;
		taken |= 1u << hm;
		n++;
	}
	/* fillers until the index is made, the two, fillers until full */
	for (uint32_t i = 0, f = 0; i < grow_at - 1; i++) {
		bool two = i == NAMEIDX_MIN - 1 || i == NAMEIDX_MIN;

		store[i].name = two ? dup : names[f++];
		items[i] = &store[i];
		nameidx_add(&a, &x, &item_kind, items, i + 1,
			    nameidx_hash(&x, store[i].name, strlen(store[i].name)));
	}
	first = &store[NAMEIDX_MIN - 1];
	second = &store[NAMEIDX_MIN];
	assert_int_equal(x.size, NAMEIDX_MIN * 2);
	assert_ptr_equal(x.slots[NAMEIDX_MIN * 2 - 1].item, first);
	assert_ptr_equal(x.slots[0].item, second);
	assert_ptr_equal(nameidx_find(&x, &item_kind, items, grow_at - 1, dup,
				      strlen(dup), name_hash(dup, strlen(dup))), first);

	/* one more: the index grows */
	store[grow_at - 1].name = names[grow_at - 3];
	items[grow_at - 1] = &store[grow_at - 1];
	nameidx_add(&a, &x, &item_kind, items, grow_at,
		    name_hash(names[grow_at - 3], strlen(names[grow_at - 3])));
	assert_int_equal(x.size, NAMEIDX_MIN * 4);
	assert_ptr_equal(nameidx_find(&x, &item_kind, items, grow_at, dup,
				      strlen(dup), name_hash(dup, strlen(dup))), first);
	for (uint32_t i = 0; i < grow_at; i++) {
		const char *s = store[i].name;

		assert_ptr_equal(nameidx_find(&x, &item_kind, items, grow_at, s,
					      strlen(s), name_hash(s, strlen(s))),
				 s == dup ? first : &store[i]);
	}
	/* a name given by its length, not NUL-terminated */
	snprintf(longer, sizeof(longer), "%sxyz", dup);
	assert_ptr_equal(nameidx_find(&x, &item_kind, items, grow_at, longer,
				      strlen(dup), name_hash(dup, strlen(dup))), first);
	assert_null(nameidx_find(&x, &item_kind, items, grow_at, longer,
				 strlen(longer), name_hash(longer, strlen(longer))));
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_names),
		cmocka_unit_test(test_first_of_two),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
