/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GitHub Actions workflow commands: one "::warning file=F,line=L,...::msg"
 * per finding, which the runner turns into annotations on the lines of the
 * pull request.
 */
#include <string.h>

#include "diagfmt.h"
#include "report.h"

/* Escapes as the runner unescapes: '%', CR and LF, and in properties also
 * ':' and ','.  What needs none goes out in one piece. */
static void escaped(struct diagfmt_out *o, const char *s, bool property)
{
	for (;;) {
		size_t n = strcspn(s, property ? "%\r\n:," : "%\r\n");

		diagfmt_write(o, s, n);
		s += n;
		switch (*s) {
		case '\0': return;
		case '%': diagfmt_write(o, "%25", 3); break;
		case '\r': diagfmt_write(o, "%0D", 3); break;
		case '\n': diagfmt_write(o, "%0A", 3); break;
		case ':': diagfmt_write(o, "%3A", 3); break;
		case ',': diagfmt_write(o, "%2C", 3); break;
		}
		s++;
	}
}

void report_github(FILE *out, const struct lint_run *run)
{
	static const char *const cmds[] = { "notice", "warning", "error" };
	struct diagfmt_out o;

	/* through one buffer: stdio's cost was paid per byte */
	o.f = out;
	o.n = 0;
	for (size_t i = 0; i < run->nfiles; i++) {
		const struct lint_file *lf = &run->files[i];

		for (size_t k = 0; k < lf->res.n; k++) {
			const struct finding *f = &lf->res.f[k];
			const struct source_file *sf = &lf->rs->files[f->loc.file];

			if (!finding_shown(f))
				continue;
			diagfmt_write(&o, "::", 2);
			diagfmt_puts(&o, cmds[f->severity]);
			diagfmt_write(&o, " file=", 6);
			escaped(&o, f->loc.file ? sf->name : lf->name, true);
			if (f->loc.line) {
				diagfmt_write(&o, ",line=", 6);
				diagfmt_putu(&o, f->loc.line);
				diagfmt_write(&o, ",col=", 5);
				diagfmt_putu(&o, f->loc.col);
				if (f->loc.col_end > f->loc.col) {
					diagfmt_write(&o, ",endColumn=", 11);
					diagfmt_putu(&o, f->loc.col_end);
				}
			}
			diagfmt_write(&o, ",title=", 7);
			escaped(&o, check_defs[f->check].id, true);
			diagfmt_write(&o, "::", 2);
			escaped(&o, f->message, false);
			diagfmt_write(&o, " [", 2);
			escaped(&o, check_defs[f->check].id, false);
			diagfmt_write(&o, "]\n", 2);
		}
	}
	diagfmt_flush(&o);
}
