/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diagfmt.h"

static const char *const levels[] = { "note", "warning", "error" };

/*
 * Line starts of the files of the last ruleset asked about, built when a
 * file is first asked: a line is then found in constant time.
 */
struct linemap {
	uint32_t *start;
	size_t n;
};

static struct {
	const struct ruleset *rs;
	struct linemap *files;
	uint32_t nfiles;
} lines;

static bool linemap_build(struct linemap *m, const struct source_file *f)
{
	size_t a = 1024;

	m->n = 0;
	m->start = malloc(a * sizeof(*m->start));
	if (!m->start)
		return false;
	m->start[m->n++] = 0;
	for (const char *p = f->text, *end = f->text + f->len;
	     (p = memchr(p, '\n', (size_t)(end - p))); p++) {
		if (m->n == a) {
			uint32_t *s = realloc(m->start, (a *= 2) * sizeof(*s));

			if (!s) {
				free(m->start);
				m->start = NULL;
				return false;
			}
			m->start = s;
		}
		m->start[m->n++] = (uint32_t)(p + 1 - f->text);
	}
	return true;
}

const char *diagfmt_line(const struct ruleset *rs, uint32_t file, uint32_t line)
{
	const struct source_file *f;
	struct linemap *m;

	if (!file || file >= rs->nfiles || !line)
		return NULL;
	f = &rs->files[file];
	if (!f->text || f->len > UINT32_MAX)
		return NULL;
	if (lines.rs != rs || lines.nfiles != rs->nfiles) {
		diagfmt_forget();
		lines.files = calloc(rs->nfiles, sizeof(*lines.files));
		if (!lines.files)
			return NULL;
		lines.rs = rs;
		lines.nfiles = rs->nfiles;
	}
	m = &lines.files[file];
	if (!m->start && !linemap_build(m, f))
		return NULL;
	return line <= m->n ? f->text + m->start[line - 1] : NULL;
}

void diagfmt_forget(void)
{
	for (uint32_t i = 0; i < lines.nfiles; i++)
		free(lines.files[i].start);
	free(lines.files);
	memset(&lines, 0, sizeof(lines));
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
