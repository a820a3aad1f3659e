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
	bool any = false;

	/* a finding is a dozen writes: the stream is locked once, not for each */
	flockfile(out);
	for (size_t i = 0; i < run->nfiles; i++) {
		const struct lint_file *lf = &run->files[i];

		for (size_t k = 0; k < lf->res.n; k++) {
			const struct finding *f = &lf->res.f[k];
			const struct source_file *sf = &lf->rs->files[f->loc.file];

			if (!finding_shown(f))
				continue;
			if (color)
				fputs_unlocked("\033[1m", out);
			fputs_unlocked(f->loc.file ? sf->name : lf->name, out);
			if (f->loc.line)
				fprintf(out, ":%u:%u", f->loc.line, f->loc.col);
			fputs_unlocked(": ", out);
			if (color)
				fputs_unlocked(colors[f->severity], out);
			fputs_unlocked(severity_name((enum severity)f->severity), out);
			fputs_unlocked(color ? ":\033[0m " : ": ", out);
			fputs_unlocked(f->message, out);
			fputs_unlocked(" [", out);
			fputs_unlocked(check_defs[f->check].id, out);
			fputs_unlocked("]\n", out);
			diagfmt_caret(out, lf->rs, &f->loc, color);
		}
		diagfmt_forget();
	}
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
	funlockfile(out);
}
