/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the unit tests: where the fixtures are, and record lookups. */
#ifndef PORTOLAN_TESTUTIL_H
#define PORTOLAN_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "registry.h"

/* PATH below tests/fixtures (meson passes the directory in the env). */
static inline const char *fixture(const char *path)
{
	static char buf[4096];
	const char *dir = getenv("PORTOLAN_FIXTURES");

	snprintf(buf, sizeof(buf), "%s/%s", dir ? dir : "tests/fixtures", path);
	return buf;
}

/* The first record covering PORT/PROTO whose name is NAME ("" unnamed). */
static inline const struct reg_record *
find_record(const struct registry *reg, uint16_t port, enum reg_proto proto,
	    const char *name)
{
	struct reg_answer a;

	registry_query(reg, port, proto, &a);
	for (size_t i = 0; i < a.nrecs; i++) {
		const struct reg_record *r = &reg->records[a.recs[i]];

		if (strcmp(registry_str(reg, r->name), name) == 0)
			return r;
	}
	return NULL;
}

static inline enum reg_class class_of(const struct registry *reg,
				      uint16_t port, enum reg_proto proto)
{
	struct reg_answer a;

	registry_query(reg, port, proto, &a);
	return (enum reg_class)a.cls;
}

static inline unsigned flags_of(const struct registry *reg, uint16_t port,
				enum reg_proto proto)
{
	struct reg_answer a;

	registry_query(reg, port, proto, &a);
	return a.flags;
}

/* The Nth xref of REC of TYPE, or NULL. */
static inline const struct reg_xref *
xref_of(const struct registry *reg, const struct reg_record *rec,
	enum reg_xref_type type, size_t nth)
{
	for (size_t i = 0; i < rec->nxref; i++) {
		const struct reg_xref *x = &reg->xrefs[rec->xref + i];

		if (x->type == type && nth-- == 0)
			return x;
	}
	return NULL;
}

#endif
