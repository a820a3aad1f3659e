/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A lint run's findings, and the report writers (text, JSON, SARIF, GitHub). */
#ifndef PORTOLAN_REPORT_H
#define PORTOLAN_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "lint.h"
#include "registry.h"

struct lint_file {
	const char *name;	/* as given, or found in a directory */
	struct ruleset *rs;
	struct lint_result res;
};

struct lint_run {
	const struct registry *reg;
	struct lint_file *files;
	size_t nfiles, afiles;
	uint8_t fail_on;		/* enum severity; SEV_OFF: never fail */
	/* findings not suppressed nor in the baseline, by severity */
	unsigned counts[SEV_OFF];
	unsigned nsuppressed, nbaselined;
	unsigned input_errors;		/* reader errors, over every file */
};

/* Whether F is reported (neither suppressed nor in the baseline). */
static inline bool finding_shown(const struct finding *f)
{
	return !f->suppressed && !f->baselined && f->severity != SEV_OFF;
}

/* "file:line:col: warning: message [id]", the line, a caret; a summary. */
void report_text(FILE *out, const struct lint_run *run, bool color);
/* The JSON report (schema in doc/portolan.1). */
void report_json(FILE *out, const struct lint_run *run);
/* SARIF 2.1.0. */
void report_sarif(FILE *out, const struct lint_run *run);
/* GitHub Actions workflow commands ("::warning file=...::message"). */
void report_github(FILE *out, const struct lint_run *run);

/* The finding's table and chain names, and family ("inet"). */
const char *finding_chain(const struct finding *f);
/* A finding's identity that survives edits elsewhere in the file: for
 * baselines.  Malloc'd. */
char *finding_fingerprint(const struct lint_file *lf, const struct finding *f);

#endif
