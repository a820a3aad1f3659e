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

const char *diagfmt_line(const struct ruleset *rs, uint32_t file, uint32_t line,
			 size_t *ret_len)
{
	size_t len;

	if (cache.rs != rs) {
		diagfmt_forget();
		cache.rs = rs;
		cache.lines = lines_new(rs);
	}
	return lines_get(cache.lines, file, line, ret_len ? ret_len : &len);
}

/* N copies of C (N may exceed any buffer: long lines, one-line JSON). */
static void repeat(FILE *out, const char *line, uint32_t n, bool tabs)
{
	char buf[256];

	while (n) {
		uint32_t k = n < sizeof(buf) ? n : (uint32_t)sizeof(buf);

		for (uint32_t i = 0; i < k; i++)
			buf[i] = tabs && line[i] == '\t' ? '\t' : tabs ? ' ' : '~';
		fwrite_unlocked(buf, 1, k, out);
		n -= k;
		line += k;
	}
}

void diagfmt_caret(FILE *out, const struct ruleset *rs, const struct loc *loc,
		   bool color)
{
	size_t len;
	const char *line = diagfmt_line(rs, loc->file, loc->line, &len);
	uint32_t col = loc->col ? loc->col : 1, end = loc->col_end;

	if (!line)
		return;
	if (col > len + 1)
		col = (uint32_t)len + 1;
	if (end > len)
		end = (uint32_t)len;
	fputs_unlocked("  ", out);
	fwrite_unlocked(line, 1, len, out);
	fputs_unlocked("\n  ", out);
	/* tabs in the source keep their width under the caret */
	repeat(out, line, col - 1, true);
	fputs_unlocked(color ? "\033[1;32m^" : "^", out);
	if (end > col)
		repeat(out, line, end - col, false);
	fputs_unlocked(color ? "\033[0m\n" : "\n", out);
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

	if (!f || !loc->file) {
		fprintf(out, "%s: %s\n", level, msg);
		return;
	}
	if (!loc->line) {
		fprintf(out, "%s: %s: %s\n", f->name, level, msg);
		return;
	}
	fprintf(out, "%s:%u:%u: %s: %s\n", f->name, loc->line, loc->col, level, msg);
	flockfile(out);
	diagfmt_caret(out, rs, loc, false);
	funlockfile(out);
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
