/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The built-in snapshot (IANA, 2026-08-17) against facts known from it. */
#include "testutil.h"
#include "registry_diff.h"

static const struct registry *reg;

static bool has_name(uint16_t port, enum reg_proto proto, const char *name)
{
	return find_record(reg, port, proto, name) != NULL;
}

static void test_snapshot(void **state)
{
	(void)state;
	assert_string_equal(registry_str(reg, reg->updated), "2026-08-17");
	assert_int_equal(reg->nrecords, 14533);
	assert_int_equal(reg->format, REG_FORMAT_BUILTIN);
	assert_string_equal(registry_str(reg, reg->sha256),
		"4bbf00ef4dd194ea3098d090b42a832c0f8aef704699956a4a7e24576a49631b");
}

static void test_ssh(void **state)
{
	const struct reg_record *r;

	(void)state;
	assert_int_equal(class_of(reg, 22, REG_PROTO_TCP), REG_CLASS_ASSIGNED);
	r = find_record(reg, 22, REG_PROTO_TCP, "ssh");
	assert_non_null(r);
	assert_string_equal(registry_str(reg, r->description),
			    "The Secure Shell (SSH) Protocol");
	assert_string_equal(registry_str(reg, xref_of(reg, r, REG_XREF_RFC, 0)->data),
			    "rfc4251");
	/* No dccp record for 22. */
	assert_int_equal(class_of(reg, 22, REG_PROTO_DCCP), REG_CLASS_UNASSIGNED);
	assert_true(flags_of(reg, 22, REG_PROTO_DCCP) & REG_F_NO_RECORD);
}

static void test_submit_notify(void **state)
{
	(void)state;
	assert_true(has_name(773, REG_PROTO_TCP, "submit"));
	assert_false(has_name(773, REG_PROTO_TCP, "notify"));
	assert_true(has_name(773, REG_PROTO_UDP, "notify"));
	assert_false(has_name(773, REG_PROTO_UDP, "submit"));
}

static void test_twamp(void **state)
{
	struct reg_answer a;

	(void)state;
	registry_query(reg, 862, REG_PROTO_TCP, &a);
	assert_int_equal(a.nrecs, 1);
	assert_string_equal(registry_str(reg, reg->records[a.recs[0]].name),
			    "twamp-control");
	registry_query(reg, 862, REG_PROTO_UDP, &a);
	assert_int_equal(a.nrecs, 1);
	assert_string_equal(registry_str(reg, reg->records[a.recs[0]].name),
			    "twamp-test");
}

static void test_webpush(void **state)
{
	const struct reg_record *r;

	(void)state;
	assert_true(has_name(1001, REG_PROTO_TCP, "webpush"));
	assert_int_equal(class_of(reg, 1001, REG_PROTO_UDP), REG_CLASS_RESERVED);
	r = find_record(reg, 1001, REG_PROTO_UDP, "");
	assert_non_null(r);
	assert_string_equal(registry_str(reg, r->description), "Reserved");
}

static void test_953_udp(void **state)
{
	(void)state;
	assert_int_equal(class_of(reg, 953, REG_PROTO_UDP), REG_CLASS_RESERVED);
	assert_true(has_name(953, REG_PROTO_TCP, "rndc"));
}

static void test_unauthorized(void **state)
{
	const struct reg_record *r;

	(void)state;
	r = find_record(reg, 1053, REG_PROTO_TCP, "remote-as");
	assert_non_null(r);
	assert_string_equal(registry_str(reg, r->unauthorized),
			    "Unauthorized Use Known on port 1053");
	assert_true(flags_of(reg, 1053, REG_PROTO_TCP) & REG_F_UNAUTHORIZED);
	/* The udp record of 1053 reports none. */
	assert_false(flags_of(reg, 1053, REG_PROTO_UDP) & REG_F_UNAUTHORIZED);
	/* x11's note concerns 6003 only. */
	for (unsigned p = 6000; p <= 6063; p++) {
		assert_int_equal(class_of(reg, (uint16_t)p, REG_PROTO_TCP),
				 REG_CLASS_ASSIGNED);
		assert_int_equal(!!(flags_of(reg, (uint16_t)p, REG_PROTO_TCP) &
				    REG_F_UNAUTHORIZED), p == 6003);
	}
	/* "see [RFC4146]" on finger names no port: the whole record. */
	assert_true(flags_of(reg, 79, REG_PROTO_TCP) & REG_F_UNAUTHORIZED);
	/* talon-engine on 7012 reports use of 7011, not of 7012. */
	assert_true(has_name(7012, REG_PROTO_TCP, "talon-engine"));
	assert_false(flags_of(reg, 7012, REG_PROTO_TCP) & REG_F_UNAUTHORIZED);
}

static void test_1030_removed(void **state)
{
	const struct reg_record *r;

	(void)state;
	for (int p = 0; p < REG_NPROTO; p++) {
		assert_int_equal(class_of(reg, 1030, p), REG_CLASS_RESERVED);
		assert_true(flags_of(reg, 1030, p) & REG_F_REMOVED);
	}
	r = find_record(reg, 1030, REG_PROTO_TCP, "");
	assert_string_equal(registry_str(reg, r->note),
			    "This entry is being removed on 2013-05-24.");
	assert_string_equal(registry_str(reg, r->modified), "2013-05-24");
}

static void test_2_deassigned(void **state)
{
	const struct reg_record *r;

	(void)state;
	assert_int_equal(class_of(reg, 2, REG_PROTO_TCP), REG_CLASS_RESERVED);
	assert_true(flags_of(reg, 2, REG_PROTO_TCP) & REG_F_DEASSIGNED);
	r = find_record(reg, 2, REG_PROTO_TCP, "");
	assert_non_null(r);
	assert_string_equal(registry_str(reg, r->modified), "2025-02-13");
	assert_string_equal(registry_str(reg, r->note),
		"De-assigned on 2025-02-13, previously compressnet by Bernie Volz");
	assert_false(has_name(2, REG_PROTO_TCP, "compressnet"));
}

static void test_dynamic_and_zero(void **state)
{
	(void)state;
	for (int p = 0; p < REG_NPROTO; p++) {
		assert_int_equal(class_of(reg, 49152, p), REG_CLASS_DYNAMIC);
		assert_int_equal(class_of(reg, 65535, p), REG_CLASS_DYNAMIC);
		assert_int_not_equal(class_of(reg, 49151, p), REG_CLASS_DYNAMIC);
	}
	assert_int_equal(class_of(reg, 0, REG_PROTO_TCP), REG_CLASS_RESERVED);
	assert_int_equal(class_of(reg, 0, REG_PROTO_UDP), REG_CLASS_RESERVED);
	assert_int_equal(class_of(reg, 1023, REG_PROTO_TCP), REG_CLASS_RESERVED);
}

static void test_reserved_range(void **state)
{
	const struct reg_record *r;

	(void)state;
	for (unsigned port = 225; port <= 241; port++)
		for (int p = 0; p < REG_NPROTO; p++)
			assert_int_equal(class_of(reg, (uint16_t)port, p),
					 REG_CLASS_RESERVED);
	r = find_record(reg, 230, REG_PROTO_SCTP, "");
	assert_int_equal(r->lo, 225);
	assert_int_equal(r->hi, 241);
	assert_int_equal(r->protos, REG_PROTO_ALL);
	assert_int_not_equal(class_of(reg, 224, REG_PROTO_TCP), REG_CLASS_RESERVED);
	assert_int_not_equal(class_of(reg, 242, REG_PROTO_TCP), REG_CLASS_RESERVED);
}

static void test_4915(void **state)
{
	(void)state;
	assert_int_equal(class_of(reg, 4915, REG_PROTO_UDP), REG_CLASS_RESERVED);
	assert_int_equal(class_of(reg, 4915, REG_PROTO_TCP), REG_CLASS_ASSIGNED);
	assert_true(has_name(4915, REG_PROTO_TCP, "frcs"));
}

static void test_names(void **state)
{
	size_t first, n;
	unsigned protos = 0;

	(void)state;
	n = registry_find_name(reg, "https", &first);
	/* tcp, udp, sctp on 443, and the name-only DNS-SD record. */
	assert_int_equal(n, 4);
	for (size_t i = first; i < first + n; i++) {
		const struct reg_record *r = &reg->records[reg->by_name[i]];

		if (r->flags & REG_F_HAS_PORT) {
			assert_int_equal(r->lo, 443);
			protos |= r->protos;
		}
	}
	assert_int_equal(protos, (1u << REG_PROTO_TCP) | (1u << REG_PROTO_UDP) |
				 (1u << REG_PROTO_SCTP));
	/* Service names compare case-insensitively (RFC 6335 5.1). */
	assert_int_equal(registry_find_name(reg, "HTTPS", &first), 4);
	assert_int_equal(registry_find_name(reg, "no-such-service-here", &first), 0);
}

static void test_historic_alias(void **state)
{
	const struct reg_record *r;

	(void)state;
	r = find_record(reg, 66, REG_PROTO_TCP, "sql*net");
	assert_non_null(r);
	assert_true(r->flags & REG_F_HISTORIC);
	assert_string_equal(registry_str(reg, r->alias_of), "sql-net");
	r = find_record(reg, 18, REG_PROTO_TCP, "msp");
	assert_true(r->flags & REG_F_HISTORIC);
	/* "Historically ... referred to as" is not a status. */
	r = find_record(reg, 9878, REG_PROTO_UDP, "kca-service");
	assert_int_equal(r->flags & REG_F_STATUS, 0);
	/* "previously removed" is history, not status. */
	r = find_record(reg, 2426, REG_PROTO_TCP, "vcmp");
	assert_int_equal(r->flags & REG_F_STATUS, 0);
	/* sua keeps its name on 14001/udp but is "De-Registered". */
	assert_int_equal(class_of(reg, 14001, REG_PROTO_UDP), REG_CLASS_UNASSIGNED);
	assert_true(flags_of(reg, 14001, REG_PROTO_UDP) & REG_F_DEASSIGNED);
	/* "pcp" assignment withdrawn; "no longer in use". */
	assert_true(flags_of(reg, 44323, REG_PROTO_UDP) & REG_F_DEASSIGNED);
	/* Released ports read as de-assigned. */
	assert_true(flags_of(reg, 831, REG_PROTO_TCP) & REG_F_DEASSIGNED);
}

/* Range counts from the running totals equal counting port by port. */
static void test_range_counts(void **state)
{
	uint32_t x = 12345;

	(void)state;
	for (int i = 0; i < 3000; i++) {
		struct reg_range sum;
		size_t count[REG_NCLASS] = { 0 }, unauth = 0;
		uint16_t lo, hi, t;
		int proto;

		x = x * 1103515245u + 12345u;
		lo = (uint16_t)(x >> 8);
		x = x * 1103515245u + 12345u;
		hi = i % 3 ? (uint16_t)(lo + (x >> 20) % 3000) : (uint16_t)(x >> 8);
		if (hi < lo) {
			t = lo;
			lo = hi;
			hi = t;
		}
		proto = (int)(x >> 29) % REG_NPROTO;
		registry_range(reg, lo, hi, proto, &sum);
		for (unsigned p = lo; p <= hi; p++) {
			struct reg_answer a;

			registry_query(reg, (uint16_t)p, proto, &a);
			count[a.cls]++;
			unauth += !!(a.flags & REG_F_UNAUTHORIZED);
		}
		for (int c = 0; c < REG_NCLASS; c++)
			assert_int_equal(sum.ports[c], count[c]);
		assert_int_equal(sum.unauthorized, unauth);
	}
}

/* The compiled table and a run-time load of the same XML are one registry. */
static void test_builtin_matches_runtime(void **state)
{
	struct registry *rt;
	struct reg_error err;
	struct reg_diff_entry *e;
	size_t n;
	const char *xml = getenv("PORTOLAN_REGISTRY_XML");

	(void)state;
	assert_non_null(xml);
	assert_int_equal(registry_load(xml, &rt, &err), 0);
	assert_int_equal(rt->nrecords, reg->nrecords);
	assert_int_equal(rt->nsegs, reg->nsegs);
	assert_memory_equal(rt->segs, reg->segs, reg->nsegs * sizeof(*reg->segs));
	assert_memory_equal(rt->port_seg, reg->port_seg,
			    (size_t)REG_NPROTO * 65536 * sizeof(*reg->port_seg));
	assert_memory_equal(rt->refs, reg->refs, reg->nrefs * sizeof(*reg->refs));
	registry_diff(reg, rt, &e, &n);
	assert_int_equal(n, 0);
	free(e);
	registry_free(rt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot),
		cmocka_unit_test(test_ssh),
		cmocka_unit_test(test_submit_notify),
		cmocka_unit_test(test_twamp),
		cmocka_unit_test(test_webpush),
		cmocka_unit_test(test_953_udp),
		cmocka_unit_test(test_unauthorized),
		cmocka_unit_test(test_1030_removed),
		cmocka_unit_test(test_2_deassigned),
		cmocka_unit_test(test_dynamic_and_zero),
		cmocka_unit_test(test_reserved_range),
		cmocka_unit_test(test_4915),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_historic_alias),
		cmocka_unit_test(test_range_counts),
		cmocka_unit_test(test_builtin_matches_runtime),
	};

	reg = registry_builtin();
	return cmocka_run_group_tests_name("registry_facts", tests, NULL, NULL);
}
