/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "diagfmt.h"
#include "lines.h"

static const char *const levels[] = { "note", "warning", "error" };

/* The line index of the last ruleset asked about. */
static struct {
	const struct ruleset *rs;
	struct lines *lines;
} cache;

const char *diagfmt_line(const struct ruleset *rs, uint32_t file, uint32_t line)
{
	size_t len;

	if (cache.rs != rs) {
		diagfmt_forget();
		cache.rs = rs;
		cache.lines = lines_new(rs);
	}
	return lines_get(cache.lines, file, line, &len);
}

void diagfmt_forget(void)
{
	lines_free(cache.lines);
	cache.lines = NULL;
	cache.rs = NULL;
}

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
	line = diagfmt_line(rs, loc->file, loc->line);
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
