/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "testutil.h"
#include "ruleset.h"

static void test_normalize(void **state)
{
	struct ruleset *rs = ruleset_new();
	struct portset ps = { 0 };

	(void)state;
	portset_add(rs, &ps, 443, 443);
	portset_add(rs, &ps, 80, 88);
	portset_add(rs, &ps, 89, 89);		/* adjacent: merges */
	portset_add(rs, &ps, 85, 86);		/* inside */
	portset_add(rs, &ps, 65535, 65535);
	portset_add(rs, &ps, 0, 0);
	portset_add(rs, &ps, 442, 442);
	portset_normalize(&ps);
	assert_int_equal(ps.n, 4);
	assert_int_equal(ps.r[0].lo, 0);
	assert_int_equal(ps.r[0].hi, 0);
	assert_int_equal(ps.r[1].lo, 80);
	assert_int_equal(ps.r[1].hi, 89);
	assert_int_equal(ps.r[2].lo, 442);
	assert_int_equal(ps.r[2].hi, 443);
	assert_int_equal(ps.r[3].lo, 65535);
	assert_true(portset_contains(&ps, 84));
	assert_false(portset_contains(&ps, 90));
	assert_true(portset_contains(&ps, 65535));
	assert_false(portset_contains(&ps, 1));
	ruleset_free(rs);
}

static void test_chain_insert(void **state)
{
	struct ruleset *rs = ruleset_new();
	struct table *t = ruleset_table(rs, FAM_INET, "filter", true);
	struct chain *c = table_chain(rs, t, "input", true);
	struct rule *a, *b, *d;

	(void)state;
	a = chain_add_rule(rs, c, -1);
	b = chain_add_rule(rs, c, -1);
	d = chain_add_rule(rs, c, 0);		/* insert: first */
	assert_int_equal(c->nrules, 3);
	assert_ptr_equal(c->rules[0], d);
	assert_ptr_equal(c->rules[1], a);
	assert_ptr_equal(c->rules[2], b);
	assert_ptr_equal(ruleset_table(rs, FAM_INET, "filter", false), t);
	assert_null(ruleset_table(rs, FAM_IP, "filter", false));
	ruleset_free(rs);
}

static void test_arena_big(void **state)
{
	struct ruleset *rs = ruleset_new();
	char *big, *small;

	(void)state;
	small = arena_strdup(&rs->arena, "x");
	big = arena_alloc(&rs->arena, 1 << 20);	/* a chunk of its own */
	memset(big, 1, 1 << 20);
	assert_string_equal(small, "x");
	assert_string_equal(arena_printf(&rs->arena, "%d-%s", 7, "y"), "7-y");
	ruleset_free(rs);
}

static void test_arena_grow(void **state)
{
	struct arena a;
	uint32_t *x, *y, *z, *w;

	(void)state;
	arena_init(&a);
	x = arena_grow(&a, NULL, 0, 4 * sizeof(*x));
	for (uint32_t i = 0; i < 4; i++)
		x[i] = i + 1;
	/* the last block grows where it is, the new part zeroed */
	y = arena_grow(&a, x, 4 * sizeof(*x), 8 * sizeof(*x));
	assert_ptr_equal(y, x);
	assert_int_equal(y[3], 4);
	assert_int_equal(y[7], 0);
	/* not the last block: moved, and its old block is taken by the next
	 * growth to that size, zeroed */
	z = arena_alloc(&a, 8);
	*z = 99;
	w = arena_grow(&a, y, 8 * sizeof(*y), 16 * sizeof(*y));
	assert_ptr_not_equal(w, y);
	assert_int_equal(w[0], 1);
	assert_int_equal(w[7], 0);
	assert_int_equal(w[15], 0);
	x = arena_grow(&a, NULL, 0, 8 * sizeof(*x));
	assert_ptr_equal(x, y);
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(x[i], 0);
	assert_int_equal(*z, 99);
	assert_int_equal(w[3], 4);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_chain_insert),
		cmocka_unit_test(test_arena_big),
		cmocka_unit_test(test_arena_grow),
	};

	return cmocka_run_group_tests_name("portset", tests, NULL, NULL);
}
