/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checks: every port of a ruleset model against IANA's registry, with
 * the rule's direction and state taken into account.  Findings are plain
 * data; writing them out is cli/'s business.
 *
 * Ownership: a lint_result owns its findings and their messages; the
 * findings point into the ruleset (rules, chains) and the registry, which
 * must outlive it.
 */
#ifndef PORTOLAN_LINT_H
#define PORTOLAN_LINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "registry.h"
#include "ruleset.h"

enum severity {
	SEV_NOTE,
	SEV_WARNING,
	SEV_ERROR,
	SEV_OFF,		/* the check is disabled */
};

enum check {
	CHK_PORT_PROTO_MISMATCH,
	CHK_PORT_RESERVED,
	CHK_PORT_UNASSIGNED,
	CHK_PORT_DYNAMIC,
	CHK_PORT_UNAUTHORIZED_USE,
	CHK_PORT_DEASSIGNED,
	CHK_PORT_INVALID,
	CHK_RANGE_WIDE,
	CHK_SERVICE_NAME_UNKNOWN,
	CHK_SERVICE_NAME_NONPORTABLE,
	CHK_COMMENT_MISMATCH,
	CHK_SET_DUPLICATE,
	CHK_SET_OVERLAP,
	CHK_COUNT,
};

struct check_def {
	const char *id;		/* public and stable: "port-dynamic" */
	uint8_t severity;	/* the default */
	const char *summary;	/* one line */
	const char *explain;	/* what it means, when it fires, what to do */
};

extern const struct check_def check_defs[CHK_COUNT];

/* The check with this id, or -1. */
int check_from_id(const char *id);
const char *severity_name(enum severity s);
/* "note", "warning", "error" (and "off"); -1 for anything else. */
int severity_from_name(const char *s);

/* What the registry says, for the finding's evidence. */
#define FINDING_RECS 4

struct finding {
	uint8_t check;		/* enum check */
	uint8_t severity;	/* enum severity */
	bool suppressed;	/* by an inline "portolan: disable=" */
	bool baselined;		/* in the baseline given (set by the caller) */
	struct loc loc;		/* the port literal, or the rule */
	const struct table *table;
	const struct rule *rule;	/* NULL for a named set's elements */
	uint32_t rule_index;	/* the rule's position in its chain */
	char *message;
	uint16_t lo, hi;	/* the port or range concerned */
	int8_t proto;		/* enum reg_proto; -1: none */
	uint8_t nrecs;
	uint32_t recs[FINDING_RECS];	/* registry records cited */
};

struct lint_options {
	uint8_t severity[CHK_COUNT];	/* enum severity, SEV_OFF to disable */
	uint16_t eph_lo, eph_hi;	/* the host's ephemeral ports; 0-0: none */
};

struct lint_result {
	struct finding *f;
	size_t n, a;
	struct arena arena;	/* the messages */
};

/* Every check at its default severity, no ephemeral range. */
void lint_options_init(struct lint_options *o);

/*
 * Runs every enabled check over RS and appends the findings to OUT, in a
 * deterministic order (file, line, column, check, port); findings a
 * "portolan: disable=ID" comment on the line, the line before, or in the
 * rule's comment suppresses are kept, marked suppressed.
 */
void lint_ruleset(const struct ruleset *rs, const struct registry *reg,
		  const struct lint_options *o, struct lint_result *out);
void lint_result_free(struct lint_result *r);

#endif
