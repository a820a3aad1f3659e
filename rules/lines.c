/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "lines.h"

struct file_lines {
	uint32_t *start;	/* byte offset of each line; NULL: not indexed */
	uint32_t n;
};

struct lines {
	const struct ruleset *rs;
	struct file_lines *files;	/* one per ruleset file */
	uint32_t nfiles;
};

struct lines *lines_new(const struct ruleset *rs)
{
	struct lines *l = calloc(1, sizeof(*l));

	if (!l)
		oom();
	l->rs = rs;
	l->nfiles = rs->nfiles;
	l->files = calloc(rs->nfiles + 1, sizeof(*l->files));
	if (!l->files)
		oom();
	return l;
}

void lines_free(struct lines *l)
{
	if (!l)
		return;
	for (uint32_t i = 0; i < l->nfiles; i++)
		free(l->files[i].start);
	free(l->files);
	free(l);
}

static void index_file(struct file_lines *fl, const struct source_file *f)
{
	size_t a = 1024;

	fl->start = malloc(a * sizeof(*fl->start));
	if (!fl->start)
		oom();
	fl->start[fl->n++] = 0;
	for (const char *p = f->text, *end = f->text + f->len;
	     (p = memchr(p, '\n', (size_t)(end - p))); p++) {
		if (fl->n == a) {
			a *= 2;
			fl->start = realloc(fl->start, a * sizeof(*fl->start));
			if (!fl->start)
				oom();
		}
		fl->start[fl->n++] = (uint32_t)(p + 1 - f->text);
	}
}

const char *lines_get(struct lines *l, uint32_t file, uint32_t line,
		      size_t *ret_len)
{
	const struct source_file *f;
	struct file_lines *fl;
	const char *p, *nl;

	/* offsets are 32 bits: inputs are capped well below that */
	if (!file || file >= l->nfiles || !line)
		return NULL;
	f = &l->rs->files[file];
	if (!f->text || f->len > UINT32_MAX)
		return NULL;
	fl = &l->files[file];
	if (!fl->start)
		index_file(fl, f);
	if (line > fl->n)
		return NULL;
	p = f->text + fl->start[line - 1];
	nl = memchr(p, '\n', (size_t)(f->text + f->len - p));
	*ret_len = (size_t)((nl ? nl : f->text + f->len) - p);
	return p;
}
