/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The JSON report: written as it is made, one finding per line, so a large
 * ruleset never has its whole report in memory.  Each finding is a jansson
 * object; only the envelope is written here.
 */
#include <stdlib.h>
#include <string.h>

#include "diagfmt.h"
#include "regfmt.h"
#include "report.h"

/* Jansson writes the item straight into the buffer: json_dumps() built a
 * string a piece at a time, and printing it copied it once more. */
static void item(struct diagfmt_out *o, json_t *j, bool *first)
{
	if (!*first)
		diagfmt_write(o, ",\n", 2);
	diagfmt_write(o, "    ", 4);
	if (json_dump_callback(j, diagfmt_dump_to, o, JSON_COMPACT | JSON_PRESERVE_ORDER))
		oom();
	json_decref(j);
	*first = false;
}

static json_t *finding_json(const struct lint_run *run, const struct lint_file *lf,
			    const struct finding *f)
{
	const struct source_file *sf = &lf->rs->files[f->loc.file];
	json_t *ev = json_array();
	json_t *j = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o}",
		"id", check_defs[f->check].id,
		"severity", severity_name((enum severity)f->severity),
		"message", regfmt_jstr(f->message),
		"file", regfmt_jstr(f->loc.file ? sf->name : lf->name),
		"line", f->loc.line ? json_integer(f->loc.line) : json_null(),
		"column", f->loc.line ? json_integer(f->loc.col) : json_null(),
		"end_column", f->loc.line ? json_integer(f->loc.col_end) : json_null(),
		"family", family_name((enum family)f->table->family),
		"table", regfmt_jstr(f->table->name),
		"chain", f->rule ? regfmt_jstr(finding_chain(f)) : json_null());

	if (!j)
		oom();
	json_object_set_new(j, "rule_index", f->rule ? json_integer(f->rule_index) : json_null());
	json_object_set_new(j, "ports", json_pack("[i, i]", f->lo, f->hi));
	json_object_set_new(j, "protocol", f->proto >= 0 ?
			    json_string(reg_proto_name((enum reg_proto)f->proto)) : json_null());
	for (size_t i = 0; i < f->nrecs; i++)
		json_array_append_new(ev, regfmt_record_json(run->reg, f->recs[i]));
	json_object_set_new(j, "evidence", ev);
	return j;
}

void report_json(FILE *out, const struct lint_run *run)
{
	static const char *const levels[] = { "note", "warning", "error" };
	json_t *reg = json_pack("{s:o}", "updated", run->reg->updated ?
				regfmt_jstr(registry_str(run->reg, run->reg->updated)) :
				json_null());
	char *text = json_dumps(reg, JSON_COMPACT);
	bool first = true;
	json_t *summary;
	struct diagfmt_out o;

	json_decref(reg);
	o.f = out;
	o.n = 0;
	diagfmt_puts(&o, "{\n  \"registry\": ");
	diagfmt_puts(&o, text ? text : "null");
	diagfmt_puts(&o, ",\n  \"findings\": [\n");
	free(text);
	for (size_t i = 0; i < run->nfiles; i++)
		for (size_t k = 0; k < run->files[i].res.n; k++)
			if (finding_shown(&run->files[i].res.f[k]))
				item(&o, finding_json(run, &run->files[i],
						      &run->files[i].res.f[k]), &first);
	diagfmt_puts(&o, first ? "  ],\n  \"diagnostics\": [\n" :
				 "\n  ],\n  \"diagnostics\": [\n");
	first = true;
	for (size_t i = 0; i < run->nfiles; i++) {
		const struct ruleset *rs = run->files[i].rs;

		for (const struct diag *d = rs->diags; d; d = d->next)
			item(&o, json_pack("{s:o, s:o, s:o, s:s, s:o}",
				"file", regfmt_jstr(rs->files[d->loc.file].name),
				"line", d->loc.line ? json_integer(d->loc.line) : json_null(),
				"column", d->loc.line ? json_integer(d->loc.col) : json_null(),
				"level", levels[d->level],
				"message", regfmt_jstr(d->msg)), &first);
	}
	summary = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:s, s:b}",
		"errors", run->counts[SEV_ERROR], "warnings", run->counts[SEV_WARNING],
		"notes", run->counts[SEV_NOTE], "suppressed", run->nsuppressed,
		"baselined", run->nbaselined, "files", (int)run->nfiles,
		"fail_on", run->fail_on == SEV_OFF ? "never" :
			   severity_name((enum severity)run->fail_on),
		"failed", run->fail_on != SEV_OFF &&
			  (run->counts[SEV_ERROR] + (run->fail_on <= SEV_WARNING ?
			   run->counts[SEV_WARNING] : 0) + (run->fail_on == SEV_NOTE ?
			   run->counts[SEV_NOTE] : 0)) > 0);
	text = json_dumps(summary, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(summary);
	diagfmt_puts(&o, first ? "  ],\n  \"summary\": " : "\n  ],\n  \"summary\": ");
	diagfmt_puts(&o, text ? text : "null");
	diagfmt_puts(&o, "\n}\n");
	diagfmt_flush(&o);
	free(text);
}
