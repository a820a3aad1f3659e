/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GitHub Actions workflow commands: one "::warning file=F,line=L,...::msg"
 * per finding, which the runner turns into annotations on the lines of the
 * pull request.
 */
#include <string.h>

#include "report.h"

/* Escapes as the runner unescapes: '%', CR and LF, and in properties also
 * ':' and ','. */
static void escaped(FILE *out, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': fputs("%25", out); break;
		case '\r': fputs("%0D", out); break;
		case '\n': fputs("%0A", out); break;
		case ':':
			fputs(property ? "%3A" : ":", out);
			break;
		case ',':
			fputs(property ? "%2C" : ",", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

void report_github(FILE *out, const struct lint_run *run)
{
	static const char *const cmds[] = { "notice", "warning", "error" };

	for (size_t i = 0; i < run->nfiles; i++) {
		const struct lint_file *lf = &run->files[i];

		for (size_t k = 0; k < lf->res.n; k++) {
			const struct finding *f = &lf->res.f[k];
			const struct source_file *sf = &lf->rs->files[f->loc.file];

			if (!finding_shown(f))
				continue;
			fprintf(out, "::%s file=", cmds[f->severity]);
			escaped(out, f->loc.file ? sf->name : lf->name, true);
			if (f->loc.line) {
				fprintf(out, ",line=%u,col=%u", f->loc.line, f->loc.col);
				if (f->loc.col_end > f->loc.col)
					fprintf(out, ",endColumn=%u", f->loc.col_end);
			}
			fputs(",title=", out);
			escaped(out, check_defs[f->check].id, true);
			fputs("::", out);
			escaped(out, f->message, false);
			fputs(" [", out);
			escaped(out, check_defs[f->check].id, false);
			fputs("]\n", out);
		}
	}
}
