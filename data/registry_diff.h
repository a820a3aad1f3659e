/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What changed between two registry snapshots: records matched on their
 * port or range, protocols and service name (or, for unnamed records, their
 * kind), then compared field by field.
 */
#ifndef PORTOLAN_REGISTRY_DIFF_H
#define PORTOLAN_REGISTRY_DIFF_H

#include "registry.h"

enum reg_change {
	REG_DIFF_ADDED,
	REG_DIFF_REMOVED,
	REG_DIFF_CHANGED,
};

enum reg_field {
	REG_FIELD_DESCRIPTION	= 1u << 0,
	REG_FIELD_NOTE		= 1u << 1,
	REG_FIELD_UNAUTHORIZED	= 1u << 2,
	REG_FIELD_REGISTERED	= 1u << 3,
	REG_FIELD_MODIFIED	= 1u << 4,
	REG_FIELD_SERVICE_CODE	= 1u << 5,
	REG_FIELD_ASSIGNEE	= 1u << 6,
	REG_FIELD_CONTACT	= 1u << 7,
	REG_FIELD_REFERENCES	= 1u << 8,
	REG_FIELD_STATUS	= 1u << 9,
	REG_FIELD_NAME_CASE	= 1u << 10,
};

#define REG_NO_RECORD UINT32_MAX

struct reg_diff_entry {
	uint8_t change;		/* enum reg_change */
	uint32_t old_rec;	/* index in OLD, or REG_NO_RECORD */
	uint32_t new_rec;	/* index in NEW, or REG_NO_RECORD */
	uint32_t fields;	/* enum reg_field, for REG_DIFF_CHANGED */
};

/*
 * Compares OLD and NEW: sets *ret_entries (free() it) and *ret_n, ordered by
 * port, protocols and name.  It cannot fail; out of memory aborts.
 */
void registry_diff(const struct registry *old, const struct registry *new,
		  struct reg_diff_entry **ret_entries, size_t *ret_n);

/* The record of E on its own side: NEW's unless it was removed. */
const struct reg_record *reg_diff_record(const struct registry *old,
					 const struct registry *new,
					 const struct reg_diff_entry *e);

const char *reg_field_name(enum reg_field field);

#endif
