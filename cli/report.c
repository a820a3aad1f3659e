/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every report writer shares: the text report, and finding details. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagfmt.h"
#include "regfmt.h"
#include "report.h"

const char *finding_chain(const struct finding *f)
{
	return f->rule ? f->rule->chain->name : "";
}

char *finding_fingerprint(const struct lint_file *lf, const struct finding *f)
{
	char *s;

	/* no line numbers: a rule moved by edits above it keeps its identity */
	if (asprintf(&s, "%s|%s|%s %s|%s|%s", check_defs[f->check].id, lf->name,
		     family_name((enum family)f->table->family), f->table->name,
		     finding_chain(f), f->message) < 0)
		oom();
	return s;
}

static const char *const colors[] = {
	[SEV_NOTE] = "\033[1;36m", [SEV_WARNING] = "\033[1;35m",
	[SEV_ERROR] = "\033[1;31m",
};

void report_text(FILE *out, const struct lint_run *run, bool color)
{
	static const char *const plural[] = { "notes", "warnings", "errors" };
	struct diagfmt_out o;
	size_t idlen[CHK_COUNT];
	bool any = false;

	/* findings go out through one buffer, the summary after it; what
	 * every finding writes again has its length taken once */
	o.f = out;
	o.n = 0;
	for (int c = 0; c < CHK_COUNT; c++)
		idlen[c] = strlen(check_defs[c].id);
	for (size_t i = 0; i < run->nfiles; i++) {
		const struct lint_file *lf = &run->files[i];
		const char *name = NULL;
		size_t namelen = 0;

		for (size_t k = 0; k < lf->res.n; k++) {
			const struct finding *f = &lf->res.f[k];
			const struct source_file *sf = &lf->rs->files[f->loc.file];
			const char *fname = f->loc.file ? sf->name : lf->name;
			char *p;

			if (!finding_shown(f))
				continue;
			if (color)
				diagfmt_puts(&o, "\033[1m");
			if (fname != name) {
				name = fname;
				namelen = strlen(name);
			}
			diagfmt_write(&o, name, namelen);
			if (f->loc.line) {
				p = diagfmt_room(&o, 2 + 2 * DECIMAL_U32_DIGITS);
				*p = ':';
				p = decimal_put_u32(p + 1, f->loc.line);
				*p = ':';
				p = decimal_put_u32(p + 1, f->loc.col);
				o.n = (size_t)(p - o.buf);
			}
			diagfmt_write(&o, ": ", 2);
			if (color)
				diagfmt_puts(&o, colors[f->severity]);
			diagfmt_puts(&o, severity_name((enum severity)f->severity));
			diagfmt_puts(&o, color ? ":\033[0m " : ": ");
			diagfmt_puts(&o, f->message);
			diagfmt_write(&o, " [", 2);
			diagfmt_write(&o, check_defs[f->check].id, idlen[f->check]);
			diagfmt_write(&o, "]\n", 2);
			diagfmt_caret(&o, lf->rs, &f->loc, color);
		}
		diagfmt_forget();
	}
	diagfmt_flush(&o);
	for (int s = SEV_ERROR; s >= SEV_NOTE; s--) {
		if (!run->counts[s])
			continue;
		fprintf(out, "%s%u %s", any ? ", " : "", run->counts[s],
			run->counts[s] == 1 ? severity_name((enum severity)s) : plural[s]);
		any = true;
	}
	if (!any)
		fputs("no findings", out);
	if (run->nsuppressed || run->nbaselined) {
		fputs(" (", out);
		if (run->nsuppressed)
			fprintf(out, "%u suppressed", run->nsuppressed);
		if (run->nbaselined)
			fprintf(out, "%s%u in the baseline", run->nsuppressed ? ", " : "",
				run->nbaselined);
		fputc(')', out);
	}
	fprintf(out, " in %zu file%s\n", run->nfiles, run->nfiles == 1 ? "" : "s");
}
