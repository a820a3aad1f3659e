/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "testutil.h"
#include "registry_diff.h"

static struct registry *load(const char *name)
{
	struct registry *reg;
	struct reg_error err;

	if (registry_load(fixture(name), &reg, &err) < 0)
		fail_msg("%s:%lu: %s", err.file, err.line, err.msg);
	return reg;
}

static const char *name_of(const struct registry *old, const struct registry *new,
			   const struct reg_diff_entry *e)
{
	const struct reg_record *r = reg_diff_record(old, new, e);

	return e->new_rec != REG_NO_RECORD ? registry_str(new, r->name) :
					     registry_str(old, r->name);
}

static void test_diff(void **state)
{
	struct registry *old = load("registry/small.xml");
	struct registry *new = load("registry/small-new.xml");
	struct reg_diff_entry *e;
	size_t n;

	(void)state;
	registry_diff(old, new, &e, &n);
	/* By port, then range end: 10 alpha changed; 11 unassigned added;
	 * 11-19 unassigned removed; 12 newsvc and 12-19 unassigned added;
	 * 20-29 xwin changed; 42 oldmsg removed. */
	assert_int_equal(n, 7);
	assert_int_equal(e[0].change, REG_DIFF_CHANGED);
	assert_string_equal(name_of(old, new, &e[0]), "alpha");
	assert_int_equal(e[0].fields, REG_FIELD_DESCRIPTION);
	assert_int_equal(e[1].change, REG_DIFF_ADDED);
	assert_int_equal(reg_diff_record(old, new, &e[1])->lo, 11);
	assert_int_equal(reg_diff_record(old, new, &e[1])->hi, 11);
	assert_int_equal(e[2].change, REG_DIFF_REMOVED);
	assert_int_equal(reg_diff_record(old, new, &e[2])->hi, 19);
	assert_int_equal(e[3].change, REG_DIFF_ADDED);
	assert_string_equal(name_of(old, new, &e[3]), "newsvc");
	assert_int_equal(e[4].change, REG_DIFF_ADDED);
	assert_int_equal(reg_diff_record(old, new, &e[4])->lo, 12);
	assert_int_equal(e[5].change, REG_DIFF_CHANGED);
	assert_string_equal(name_of(old, new, &e[5]), "xwin");
	assert_int_equal(e[5].fields, REG_FIELD_UNAUTHORIZED);
	assert_int_equal(e[6].change, REG_DIFF_REMOVED);
	assert_string_equal(name_of(old, new, &e[6]), "oldmsg");
	free(e);

	/* A registry against itself. */
	registry_diff(old, old, &e, &n);
	assert_int_equal(n, 0);
	free(e);
	registry_free(old);
	registry_free(new);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff),
	};

	return cmocka_run_group_tests_name("registry_diff", tests, NULL, NULL);
}
