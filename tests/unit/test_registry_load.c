/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loader on small fixture files: every field, and every way to fail. */
#include <errno.h>
#include <sys/resource.h>
#include <time.h>

#include "testutil.h"

static struct registry *load_ok(const char *name)
{
	struct registry *reg = NULL;
	struct reg_error err;
	int r = registry_load(fixture(name), &reg, &err);

	if (r < 0)
		fail_msg("%s:%lu: %s", err.file, err.line, err.msg);
	return reg;
}

static void expect_error(const char *name, int code, unsigned long line,
			 const char *msg)
{
	struct registry *reg = NULL;
	struct reg_error err;
	int r = registry_load(fixture(name), &reg, &err);

	assert_int_equal(r, code);
	assert_null(reg);
	assert_int_equal(err.line, line);
	if (!strstr(err.msg, msg))
		fail_msg("%s: message '%s' lacks '%s'", name, err.msg, msg);
	assert_string_equal(err.file, fixture(name));
}

static void test_fields(void **state)
{
	struct registry *reg = load_ok("registry/small.xml");
	const struct reg_record *r;
	const struct reg_xref *x;
	const struct reg_person *p;

	(void)state;
	assert_string_equal(registry_str(reg, reg->updated), "2020-01-02");
	assert_int_equal(reg->format, REG_FORMAT_XML);
	assert_int_equal(reg->nrecords, 16);

	r = find_record(reg, 10, REG_PROTO_TCP, "alpha");
	assert_non_null(r);
	assert_int_equal(r->protos, 1u << REG_PROTO_TCP);
	assert_int_equal(r->kind, REG_CLASS_ASSIGNED);
	assert_string_equal(registry_str(reg, r->description),
			    "Alpha protocol,\nsecond line");
	assert_string_equal(registry_str(reg, r->registered), "2001-02-03");
	assert_string_equal(registry_str(reg, r->modified), "2019-04-05");
	assert_int_equal(r->service_code, 1145656131u);
	assert_int_equal(r->line, 12);
	/* Wrapping folds; a person xref inside a note reads as the name. */
	assert_string_equal(registry_str(reg, r->note),
			    "Previously held by Ann Example, see [RFC1234].");

	x = xref_of(reg, r, REG_XREF_ASSIGNEE, 0);
	assert_non_null(x);
	assert_string_equal(registry_str(reg, x->data), "Org_A");
	assert_int_not_equal(x->target, 0);
	p = &reg->persons[x->target - 1];
	assert_int_equal(p->name, 0);
	assert_string_equal(registry_str(reg, p->org), "Org A Inc.");
	assert_string_equal(registry_str(reg, p->uri), "mailto:ports&a.example");
	assert_string_equal(registry_str(reg, p->updated), "2019-04-05");

	x = xref_of(reg, r, REG_XREF_CONTACT, 0);
	assert_non_null(x);
	p = &reg->persons[x->target - 1];
	assert_string_equal(registry_str(reg, p->name), "Ann Example");
	assert_string_equal(registry_str(reg, p->org), "Example Org");

	x = xref_of(reg, r, REG_XREF_RFC, 0);
	assert_string_equal(registry_str(reg, x->data), "rfc9999");
	x = xref_of(reg, r, REG_XREF_DRAFT, 0);
	assert_string_equal(registry_str(reg, x->data), "draft-example-alpha-01");

	/* A contact missing from <people> stays, unresolved. */
	{
		size_t first, n = registry_find_name(reg, "NAMEONLY", &first);

		assert_int_equal(n, 1);
		r = &reg->records[reg->by_name[first]];
		assert_false(r->flags & REG_F_HAS_PORT);
		assert_string_equal(registry_str(reg, r->registered), "2016-01-22");
		x = xref_of(reg, r, REG_XREF_CONTACT, 0);
		assert_string_equal(registry_str(reg, x->data), "Nobody_Listed");
		assert_int_equal(x->target, 0);
	}

	/* A footnote reference carries the footnote's text. */
	r = find_record(reg, 46, REG_PROTO_DCCP, "exp");
	x = xref_of(reg, r, REG_XREF_NOTE, 0);
	assert_string_equal(registry_str(reg, x->target),
			    "Only for configured experiments.");
	x = xref_of(reg, r, REG_XREF_TEXT, 0);
	assert_string_equal(registry_str(reg, x->data), "n/a");
	registry_free(reg);
}

static void test_classes(void **state)
{
	struct registry *reg = load_ok("registry/small.xml");

	(void)state;
	assert_int_equal(class_of(reg, 0, REG_PROTO_TCP), REG_CLASS_RESERVED);
	/* No record for 0/udp in this file. */
	assert_int_equal(class_of(reg, 0, REG_PROTO_UDP), REG_CLASS_UNASSIGNED);
	assert_true(flags_of(reg, 0, REG_PROTO_UDP) & REG_F_NO_RECORD);
	assert_int_equal(class_of(reg, 10, REG_PROTO_TCP), REG_CLASS_ASSIGNED);
	assert_int_equal(class_of(reg, 10, REG_PROTO_UDP), REG_CLASS_RESERVED);
	/* A record without a protocol covers every protocol, and its range. */
	for (int p = 0; p < REG_NPROTO; p++) {
		assert_int_equal(class_of(reg, 11, p), REG_CLASS_UNASSIGNED);
		assert_int_equal(class_of(reg, 19, p), REG_CLASS_UNASSIGNED);
		assert_false(flags_of(reg, 15, p) & REG_F_NO_RECORD);
		assert_int_equal(class_of(reg, 40, p), REG_CLASS_RESERVED);
		assert_true(flags_of(reg, 40, p) & REG_F_REMOVED);
	}
	assert_int_equal(class_of(reg, 20, REG_PROTO_TCP), REG_CLASS_ASSIGNED);
	assert_int_equal(class_of(reg, 29, REG_PROTO_TCP), REG_CLASS_ASSIGNED);
	assert_int_equal(class_of(reg, 29, REG_PROTO_UDP), REG_CLASS_UNASSIGNED);
	assert_int_equal(class_of(reg, 49151, REG_PROTO_TCP), REG_CLASS_UNASSIGNED);
	assert_int_equal(class_of(reg, 49152, REG_PROTO_TCP), REG_CLASS_DYNAMIC);
	assert_int_equal(class_of(reg, 65535, REG_PROTO_SCTP), REG_CLASS_DYNAMIC);
	registry_free(reg);
}

static void test_two_services_one_port(void **state)
{
	struct registry *reg = load_ok("registry/small.xml");
	struct reg_answer a;

	(void)state;
	registry_query(reg, 30, REG_PROTO_TCP, &a);
	assert_int_equal(a.nrecs, 2);
	assert_string_equal(registry_str(reg, reg->records[a.recs[0]].name), "both");
	assert_string_equal(registry_str(reg, reg->records[a.recs[1]].name), "other");
	/* Unauthorized use with no port named concerns the whole record. */
	assert_true(a.flags & REG_F_UNAUTHORIZED);
	registry_free(reg);
}

static void test_unauthorized_scope(void **state)
{
	struct registry *reg = load_ok("registry/small.xml");
	const struct reg_record *x11 = find_record(reg, 25, REG_PROTO_TCP, "xwin");
	const struct reg_record *e = find_record(reg, 31, REG_PROTO_TCP, "elsewhere");

	(void)state;
	assert_non_null(x11);
	assert_true(x11->flags & REG_F_UNAUTHORIZED);
	for (unsigned port = 20; port <= 29; port++) {
		bool expect = port == 23;

		assert_int_equal(registry_unauth_covers(reg, x11, (uint16_t)port), expect);
		assert_int_equal(!!(flags_of(reg, (uint16_t)port, REG_PROTO_TCP) &
				    REG_F_UNAUTHORIZED), expect);
	}
	/* "on 32 (see [RFC4146])": neither 32 nor 4146 is this record's port. */
	assert_false(registry_unauth_covers(reg, e, 31));
	assert_false(flags_of(reg, 31, REG_PROTO_TCP) & REG_F_UNAUTHORIZED);
	registry_free(reg);
}

static void test_status_words(void **state)
{
	struct registry *reg = load_ok("registry/small.xml");
	const struct reg_record *r;

	(void)state;
	r = find_record(reg, 41, REG_PROTO_TCP, "");
	assert_int_equal(r->kind, REG_CLASS_RESERVED);
	assert_int_equal(r->flags & REG_F_STATUS, REG_F_DEASSIGNED);
	assert_string_equal(registry_str(reg, r->note),
			    "De-assigned on 2025-02-13, previously gamma by Ann Example");
	r = find_record(reg, 42, REG_PROTO_TCP, "oldmsg");
	assert_int_equal(r->flags & REG_F_STATUS, REG_F_HISTORIC);
	r = find_record(reg, 43, REG_PROTO_TCP, "old_name");
	assert_int_equal(r->flags & REG_F_STATUS, REG_F_HISTORIC);
	assert_string_equal(registry_str(reg, r->alias_of), "old-name");
	/* History of an earlier state is not the record's status. */
	r = find_record(reg, 44, REG_PROTO_TCP, "revived");
	assert_int_equal(r->flags & REG_F_STATUS, 0);
	r = find_record(reg, 45, REG_PROTO_UDP, "");
	assert_int_equal(r->kind, REG_CLASS_UNASSIGNED);
	assert_int_equal(r->flags & REG_F_STATUS, REG_F_DEPRECATED);
	registry_free(reg);
}

static void test_csv(void **state)
{
	struct registry *reg = load_ok("registry/small.csv");
	const struct reg_record *r;
	const struct reg_xref *x;
	size_t first;

	(void)state;
	assert_int_equal(reg->format, REG_FORMAT_CSV);
	assert_int_equal(reg->updated, 0);
	assert_int_equal(reg->nrecords, 7);
	r = find_record(reg, 10, REG_PROTO_TCP, "alpha");
	assert_non_null(r);
	assert_string_equal(registry_str(reg, r->description),
			    "Alpha protocol, with a comma");
	assert_string_equal(registry_str(reg, r->note),
			    "A note\nover two lines with \"quotes\"");
	assert_int_equal(r->service_code, 1145656131u);
	assert_int_equal(r->line, 3);
	x = xref_of(reg, r, REG_XREF_ASSIGNEE, 0);
	assert_string_equal(registry_str(reg, x->data), "Org_A");
	x = xref_of(reg, r, REG_XREF_RFC, 0);
	assert_string_equal(registry_str(reg, x->data), "rfc9999");
	x = xref_of(reg, r, REG_XREF_DRAFT, 0);
	assert_string_equal(registry_str(reg, x->data), "draft-example-alpha-01");
	x = xref_of(reg, r, REG_XREF_NOTE, 0);
	assert_string_equal(registry_str(reg, x->data), "1");
	/* The row after a two-line field has the right line. */
	r = find_record(reg, 10, REG_PROTO_UDP, "");
	assert_int_equal(r->line, 5);
	assert_int_equal(class_of(reg, 10, REG_PROTO_UDP), REG_CLASS_RESERVED);
	assert_int_equal(class_of(reg, 15, REG_PROTO_DCCP), REG_CLASS_UNASSIGNED);
	assert_false(flags_of(reg, 15, REG_PROTO_DCCP) & REG_F_NO_RECORD);
	assert_true(flags_of(reg, 23, REG_PROTO_TCP) & REG_F_UNAUTHORIZED);
	assert_false(flags_of(reg, 24, REG_PROTO_TCP) & REG_F_UNAUTHORIZED);
	assert_true(flags_of(reg, 41, REG_PROTO_TCP) & REG_F_DEASSIGNED);
	assert_int_equal(registry_find_name(reg, "nameonly", &first), 1);
	registry_free(reg);
}

static void test_unauthorized_words(void **state)
{
	struct registry *reg = load_ok("registry/unauth-words.xml");
	const struct reg_record *r;

	(void)state;
	/* Dates and years are not ports: the note concerns the whole record. */
	for (unsigned port = 5000; port <= 5009; port++)
		assert_true(flags_of(reg, (uint16_t)port, REG_PROTO_TCP) &
			    REG_F_UNAUTHORIZED);
	/* "Ports 5012, 5014 and 5016-5017 & 5019" */
	for (unsigned port = 5010; port <= 5029; port++)
		assert_int_equal(!!(flags_of(reg, (uint16_t)port, REG_PROTO_TCP) &
				    REG_F_UNAUTHORIZED),
				 port == 5012 || port == 5014 || port == 5016 ||
				 port == 5017 || port == 5019);
	/* "see RFC 4146": a number after a word that does not name ports. */
	assert_true(flags_of(reg, 5030, REG_PROTO_TCP) & REG_F_UNAUTHORIZED);
	/* A named record can be de-registered: it assigns nothing. */
	assert_int_equal(class_of(reg, 5040, REG_PROTO_UDP), REG_CLASS_UNASSIGNED);
	assert_true(flags_of(reg, 5040, REG_PROTO_UDP) & REG_F_DEASSIGNED);
	/* An alias target longer than the string pool's first block. */
	r = find_record(reg, 5050, REG_PROTO_TCP, "longalias");
	assert_int_equal(strlen(registry_str(reg, r->alias_of)), 70000);
	registry_free(reg);
}

static void test_csv_text(void **state)
{
	struct registry *reg = load_ok("registry/crlf.csv");
	const struct reg_record *r;

	(void)state;
	/* Leading blank lines, CRLF rows, a quoted line break. */
	r = find_record(reg, 7, REG_PROTO_TCP, "crlf");
	assert_non_null(r);
	assert_int_equal(r->line, 4);
	assert_string_equal(registry_str(reg, r->description), "Two\nlines, spaced");
	registry_free(reg);
	reg = load_ok("registry/latin1.csv");
	r = find_record(reg, 8, REG_PROTO_TCP, "cafe");
	assert_string_equal(registry_str(reg, r->description), "Caf\xe9 au lait");
	registry_free(reg);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("registry/malformed.xml", -EINVAL, 7, "tag mismatch");
	expect_error("registry/foreign.xml", -EINVAL, 2, "root element <html>");
	expect_error("registry/protocols.xml", -EINVAL, 2,
		     "not IANA's service name and port number registry");
	expect_error("registry/bad-number.xml", -EINVAL, 11,
		     "invalid port number '70000'");
	expect_error("registry/reversed-range.xml", -EINVAL, 5,
		     "invalid port number '20-10'");
	expect_error("registry/bad-protocol.xml", -EINVAL, 5,
		     "unknown transport protocol 'quic'");
	expect_error("registry/undeclared-entity.xml", -EINVAL, 6, "undeclared");
	expect_error("registry/unterminated.csv", -EINVAL, 2, "unterminated");
	expect_error("registry/short-row.csv", -EINVAL, 2,
		     "expected 12 fields, found 4");
	expect_error("registry/foreign.csv", -EINVAL, 1, "not a port registry");
	expect_error("registry/does-not-exist.xml", -ENOENT, 0, "cannot open");
	expect_error("registry", -EISDIR, 0, "is a directory");
}

static void test_empty_and_capped(void **state)
{
	struct registry *reg = NULL;
	struct reg_error err;

	(void)state;
	assert_int_equal(registry_load_buffer("", 0, "empty", &reg, &err), -EINVAL);
	assert_null(reg);
	assert_int_equal(registry_load_buffer("<", 1, "lt", &reg, &err), -EINVAL);
	assert_int_equal(registry_load_buffer("<registry", 9, "cut", &reg, &err),
			 -EINVAL);
	/* The cap is checked before a byte is read. */
	assert_int_equal(registry_load_buffer("x", (size_t)REG_MAX_FILE_SIZE + 1,
					      "huge", &reg, &err), -EFBIG);
	assert_null(reg);
}

/* Entities are never expanded: the parse stops at the DTD, at once. */
static void test_billion_laughs(void **state)
{
	struct rusage before, after;
	clock_t t0 = clock();

	(void)state;
	getrusage(RUSAGE_SELF, &before);
	expect_error("registry/billion-laughs.xml", -EINVAL, 2,
		     "document type declarations are not allowed");
	getrusage(RUSAGE_SELF, &after);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
	/* Expanding lol9 would take gigabytes; allow a few MiB of noise. */
	assert_true(after.ru_maxrss - before.ru_maxrss < 16 * 1024);
}

/* External entities and DTDs are neither loaded nor fetched. */
static void test_external_entities(void **state)
{
	struct registry *reg = NULL;
	struct reg_error err;

	(void)state;
	expect_error("registry/xxe.xml", -EINVAL, 2,
		     "document type declarations are not allowed");
	expect_error("registry/external-dtd.xml", -EINVAL, 2,
		     "document type declarations are not allowed");
	/* Nothing of the entity's file reaches the message either. */
	assert_int_equal(registry_load(fixture("registry/xxe.xml"), &reg, &err), -EINVAL);
	assert_null(strstr(err.msg, "XXE-MARKER"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_two_services_one_port),
		cmocka_unit_test(test_unauthorized_scope),
		cmocka_unit_test(test_status_words),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_text),
		cmocka_unit_test(test_unauthorized_words),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_empty_and_capped),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_external_entities),
	};

	return cmocka_run_group_tests_name("registry_load", tests, NULL, NULL);
}
