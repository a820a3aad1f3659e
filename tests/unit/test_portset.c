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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_chain_insert),
		cmocka_unit_test(test_arena_big),
	};

	return cmocka_run_group_tests_name("portset", tests, NULL, NULL);
}
