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

void diagfmt_flush(struct diagfmt_out *o)
{
	o->flushes++;
	fwrite(o->buf, 1, o->n, o->f);
	o->n = 0;
}

int diagfmt_dump_to(const char *buf, size_t size, void *out)
{
	struct diagfmt_out *o = out;

	/* Called for every quote, comma and colon: those need no memcpy() */
	if (size == 1 && o->n < sizeof(o->buf))
		o->buf[o->n++] = *buf;
	else
		diagfmt_write(o, buf, size);
	return 0;
}

void diagfmt_write_flushing(struct diagfmt_out *o, const char *s, size_t len)
{
	diagfmt_flush(o);
	if (len > sizeof(o->buf)) {
		fwrite(s, 1, len, o->f);
		return;
	}
	memcpy(o->buf, s, len);
	o->n = len;
}

/* The first N bytes of LINE as blanks (tabs kept: their width stays), or
 * as '~' (N may exceed any buffer: long lines, one-line JSON).  Blanks are
 * set whole and the tabs put back: lines have few, mostly in front. */
static void repeat(struct diagfmt_out *o, const char *line, uint32_t n, bool tabs)
{
	while (n) {
		uint32_t k = n < sizeof(o->buf) ? n : (uint32_t)sizeof(o->buf);
		char *p = diagfmt_room(o, k);
		uint32_t i = 0;

		if (tabs) {
			const char *t;

			for (; i < k && line[i] == '\t'; i++)
				p[i] = '\t';
			memset(p + i, ' ', k - i);
			while (i < k && (t = memchr(line + i, '\t', k - i))) {
				i = (uint32_t)(t - line);
				p[i++] = '\t';
			}
		} else {
			memset(p, '~', k);
		}
		o->n += k;
		n -= k;
		line += k;
	}
}

/*
 * LINE (LEN bytes) as shown under a message: a control byte other than a
 * tab (a carriage return, a form feed, the very byte some messages are
 * about) as a blank, so that it neither moves the terminal's cursor nor
 * the caret below it.
 */
static void write_shown(struct diagfmt_out *o, const char *line, size_t len)
{
	size_t from = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c >= 0x20 && c != 0x7f) || c == '\t')
			continue;
		diagfmt_write(o, line + from, i - from);
		diagfmt_write(o, " ", 1);
		from = i + 1;
	}
	diagfmt_write(o, line + from, len - from);
}

void diagfmt_caret(struct diagfmt_out *o, const struct ruleset *rs,
		   const struct loc *loc, bool color)
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
	diagfmt_write(o, "  ", 2);
	write_shown(o, line, len);
	diagfmt_write(o, "\n  ", 3);
	/* tabs in the source keep their width under the caret */
	repeat(o, line, col - 1, true);
	diagfmt_puts(o, color ? "\033[1;32m^" : "^");
	if (end > col)
		repeat(o, line, end - col, false);
	diagfmt_puts(o, color ? "\033[0m\n" : "\n");
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
	struct diagfmt_out o;

	if (!f || !loc->file) {
		fprintf(out, "%s: %s\n", level, msg);
		return;
	}
	if (!loc->line) {
		fprintf(out, "%s: %s: %s\n", f->name, level, msg);
		return;
	}
	fprintf(out, "%s:%u:%u: %s: %s\n", f->name, loc->line, loc->col, level, msg);
	/* stderr is unbuffered: the caret goes out in one write */
	o.f = out;
	o.n = 0;
	diagfmt_caret(&o, rs, loc, false);
	diagfmt_flush(&o);
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
