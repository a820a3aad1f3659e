/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "diagfmt.h"

static const char *const levels[] = { "note", "warning", "error" };

void diagfmt_one(FILE *out, const struct ruleset *rs, const struct loc *loc,
		 const char *level, const char *msg)
{
	const struct source_file *f = loc->file < rs->nfiles ? &rs->files[loc->file] : NULL;
	const char *line = NULL, *end;

	if (!f || !loc->file) {
		fprintf(out, "%s: %s\n", level, msg);
		return;
	}
	if (!loc->line) {
		fprintf(out, "%s: %s: %s\n", f->name, level, msg);
		return;
	}
	fprintf(out, "%s:%u:%u: %s: %s\n", f->name, loc->line, loc->col, level, msg);
	if (f->text) {
		uint32_t n = 1;

		line = f->text;
		while (n < loc->line && (line = strchr(line, '\n'))) {
			line++;
			n++;
		}
	}
	if (!line)
		return;
	end = strchr(line, '\n');
	if (!end)
		end = line + strlen(line);
	fprintf(out, "  %.*s\n  ", (int)(end - line), line);
	/* Tabs in the source keep their width under the caret. */
	for (uint32_t c = 1; c < loc->col && line + c - 1 < end; c++)
		fputc(line[c - 1] == '\t' ? '\t' : ' ', out);
	fputc('^', out);
	for (uint32_t c = loc->col + 1; c <= loc->col_end && line + c - 1 < end; c++)
		fputc('~', out);
	fputc('\n', out);
}

unsigned diagfmt_print(FILE *out, const struct ruleset *rs)
{
	unsigned errors = 0;

	for (const struct diag *d = rs->diags; d; d = d->next) {
		diagfmt_one(out, rs, &d->loc, levels[d->level], d->msg);
		errors += d->level == DIAG_ERROR;
	}
	return errors;
}
