/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SARIF 2.1.0 (OASIS), for code scanning services.  GitHub needs a
 * result's ruleId, message and the first location's artifact URI and
 * startLine, and matches results across commits by partialFingerprints.
 * Reader errors are not results (no check found them): they are the
 * invocation's toolExecutionNotifications.
 *
 * The log is one jansson tree, written at the end: unlike the JSON report
 * it has parts after the results (rules come first, notifications are an
 * invocation's), and the findings of a ruleset are not many.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diagfmt.h"
#include "regfmt.h"
#include "report.h"

static const char *const result_levels[] = {
	[SEV_NOTE] = "note", [SEV_WARNING] = "warning", [SEV_ERROR] = "error",
	[SEV_OFF] = "none",
};

static const char *const diag_levels[] = {
	[DIAG_NOTE] = "note", [DIAG_WARNING] = "warning", [DIAG_ERROR] = "error",
};

static json_t *checked(json_t *j)
{
	/* json_pack fails only for want of memory here: every string that
	 * could be invalid UTF-8 went through regfmt_jstr */
	if (!j)
		oom();
	return j;
}

/* RFC 3986 unreserved characters, and '/', stay as they are in a URI. */
static bool uri_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~' || c == '/';
}

/*
 * NAME as the reader saw it, as an artifactLocation.  A relative name stays
 * relative, to %SRCROOT% (where portolan ran: in CI, the checkout, which is
 * what code scanning resolves it against); an absolute one becomes a file:
 * URI.  Percent-encoding every other byte keeps names with spaces, colons
 * or bytes that are not UTF-8 valid URI references.
 */
static json_t *artifact_location(const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	bool absolute = name[0] == '/';
	char *uri, *o;
	json_t *j;

	/* standard input has no URI: say what it was instead */
	if (strcmp(name, "<stdin>") == 0)
		return checked(json_pack("{s:{s:s}}", "description", "text",
					 "standard input"));
	while (absolute && name[1] == '/')
		name++;
	/* "./rules/x.nft" and "rules/x.nft" are one artifact to a viewer */
	while (name[0] == '.' && name[1] == '/') {
		name += 2;
		while (name[0] == '/')
			name++;
	}
	uri = malloc(strlen(name) * 3 + sizeof("file://"));
	if (!uri)
		oom();
	o = stpcpy(uri, absolute ? "file://" : "");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (uri_plain(*p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	if (absolute)
		j = json_pack("{s:s}", "uri", uri);
	else
		j = json_pack("{s:s, s:s}", "uri", uri, "uriBaseId", "%SRCROOT%");
	free(uri);
	return checked(j);
}

/*
 * UTF-16 code units in [P, END): SARIF's default column unit, the one
 * editors and web viewers count in, where the model counts bytes.  A byte
 * that does not start a valid UTF-8 sequence counts as one unit, as the
 * U+FFFD that regfmt_jstr() puts in its place would.  The text is
 * NUL-terminated, so looking past END for continuation bytes stays inside.
 */
static uint32_t utf16_units(const char *s, const char *end)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t n = 0;

	while (p < (const unsigned char *)end) {
		size_t len = *p < 0x80 ? 1 : *p >= 0xc2 && *p < 0xe0 ? 2 :
			     *p >= 0xe0 && *p < 0xf0 ? 3 : *p >= 0xf0 && *p < 0xf5 ? 4 : 0;
		size_t k = 1;

		while (len && k < len && (p[k] & 0xc0) == 0x80)
			k++;
		if (len && k == len) {
			n += len == 4 ? 2 : 1;
			p += len;
		} else {
			n++;
			p++;
		}
	}
	return n;
}

/* LOC (with a line) as a region; SARIF's endColumn is exclusive. */
static json_t *region(const struct ruleset *rs, const struct loc *loc)
{
	size_t len;
	const char *line = diagfmt_line(rs, loc->file, loc->line, &len);
	json_t *r = checked(json_pack("{s:i}", "startLine", (int)loc->line));
	uint32_t start = loc->col, end = loc->col_end + 1;

	if (!loc->col)
		return r;
	if (line) {
		start = 1 + utf16_units(line, line + (loc->col - 1 < len ? loc->col - 1 : len));
		end = 1 + utf16_units(line, line + (loc->col_end < len ? loc->col_end : len));
	}
	json_object_set_new(r, "startColumn", json_integer(start));
	if (loc->col_end >= loc->col && end > start)
		json_object_set_new(r, "endColumn", json_integer(end));
	return r;
}

/*
 * What consecutive results share, made once and referenced from each
 * (jansson values are counted; none is changed once made): thousands of
 * results name one file and a few chains, and building, then freeing,
 * a copy for each cost as much as writing them.  Keys are the addresses
 * of names in the rulesets, which outlive the log.
 */
struct shared {
	const char *file;
	json_t *artifact;
	const void *place;
	json_t *logical;	/* [{"name": ..., "fullyQualifiedName": ...}] */
};

static void shared_release(struct shared *s)
{
	json_decref(s->artifact);
	json_decref(s->logical);
}

/* A location in FILE (as given), at LOC if it has a line; LOGICAL (or
 * NULL), the rule's place in the ruleset, is taken. */
static json_t *location(struct shared *sh, const struct ruleset *rs, const char *file,
			const struct loc *loc, json_t *logical)
{
	json_t *phys, *l;

	if (sh->file != file || !sh->artifact) {
		json_decref(sh->artifact);
		sh->artifact = artifact_location(file);
		sh->file = file;
	}
	phys = checked(json_pack("{s:O}", "artifactLocation", sh->artifact));
	if (loc->line)
		json_object_set_new(phys, "region", region(rs, loc));
	l = checked(json_pack("{s:o}", "physicalLocation", phys));
	if (logical)
		json_object_set_new(l, "logicalLocations", logical);
	return l;
}

/* "port-proto-mismatch" -> "PortProtoMismatch": the SARIF convention for
 * a rule's name, which viewers show where the opaque id would be cryptic. */
static json_t *camel_name(const char *id)
{
	char buf[64], *o = buf;
	bool up = true;

	for (; *id && o < buf + sizeof(buf) - 1; id++) {
		if (*id == '-') {
			up = true;
			continue;
		}
		*o++ = up && *id >= 'a' && *id <= 'z' ? (char)(*id - 'a' + 'A') : *id;
		up = false;
	}
	*o = '\0';
	return checked(json_string(buf));
}

/* The explanation as one paragraph per blank-line-separated block: it is
 * wrapped for a terminal, while a description is flowed by its viewer. */
static json_t *unwrapped(const char *text)
{
	char *s = strdup(text);
	json_t *j;

	if (!s)
		oom();
	for (char *p = s; *p; p++)
		if (p[0] == '\n' && p[1] != '\n' && (p == s || p[-1] != '\n'))
			*p = ' ';
	j = checked(json_string(s));
	free(s);
	return j;
}

static json_t *rule_json(const struct check_def *c)
{
	json_t *conf = c->severity == SEV_OFF ?
		json_pack("{s:b}", "enabled", false) :
		json_pack("{s:s}", "level", result_levels[c->severity]);

	return checked(json_pack("{s:s, s:o, s:{s:s}, s:{s:o}, s:{s:s}, s:o}",
		"id", c->id,
		"name", camel_name(c->id),
		"shortDescription", "text", c->summary,
		"fullDescription", "text", unwrapped(c->explain),
		"help", "text", c->explain,
		"defaultConfiguration", checked(conf)));
}

/*
 * The baseline's fingerprint, which leaves line numbers out so that edits
 * above a rule keep its identity.  Code scanning takes results with one
 * fingerprint for one alert, so a repeat (the same port in two rules of a
 * chain) gets its rank, ":2" and on, as CodeQL's own fingerprints do.
 * SEEN counts the fingerprints given so far.
 */
static json_t *fingerprint_json(json_t *seen, const struct lint_file *lf,
				const struct finding *f)
{
	char *fp = finding_fingerprint(lf, f), *ranked;
	json_int_t n = json_integer_value(json_object_get(seen, fp)) + 1;
	json_t *j;

	/* not a JSON string: the key may hold any byte of a file name */
	json_object_set_new_nocheck(seen, fp, json_integer(n));
	if (n == 1) {
		j = regfmt_jstr(fp);
	} else {
		if (asprintf(&ranked, "%s:%" JSON_INTEGER_FORMAT, fp, n) < 0)
			oom();
		j = regfmt_jstr(ranked);
		free(ranked);
	}
	free(fp);
	return j;
}

static json_t *result_json(const struct lint_run *run, json_t *seen, struct shared *sh,
			   const struct lint_file *lf, const struct finding *f)
{
	const struct source_file *sf = &lf->rs->files[f->loc.file];
	const char *family = family_name((enum family)f->table->family);
	/* the chain (of the finding's table), or the table for a set */
	const void *place = f->rule ? (const void *)f->rule->chain : (const void *)f->table;
	json_t *props, *ev = json_array(), *j;
	char *fqn;

	if (sh->place != place || !sh->logical) {
		if (asprintf(&fqn, "%s %s%s%s", family, f->table->name, f->rule ? " " : "",
			     finding_chain(f)) < 0)
			oom();
		/* a named set's elements have no rule: the table is where they are */
		json_decref(sh->logical);
		sh->logical = checked(json_pack("[{s:o, s:o}]",
			"name", regfmt_jstr(f->rule ? finding_chain(f) : f->table->name),
			"fullyQualifiedName", regfmt_jstr(fqn)));
		sh->place = place;
		free(fqn);
	}

	/* the JSON report's fields; what is null there is left out here */
	props = checked(json_pack("{s:s, s:o}", "family", family,
				  "table", regfmt_jstr(f->table->name)));
	if (f->rule) {
		json_object_set_new(props, "chain", regfmt_jstr(finding_chain(f)));
		json_object_set_new(props, "rule_index", json_integer(f->rule_index));
	}
	json_object_set_new(props, "ports", json_pack("[i, i]", f->lo, f->hi));
	if (f->proto >= 0)
		json_object_set_new(props, "protocol",
				    json_string(reg_proto_name((enum reg_proto)f->proto)));
	for (size_t i = 0; i < f->nrecs; i++)
		json_array_append_new(ev, regfmt_record_json(run->reg, f->recs[i]));
	json_object_set_new(props, "evidence", ev);

	j = checked(json_pack("{s:s, s:i, s:s, s:{s:o}, s:[o], s:{s:o}, s:o}",
		"ruleId", check_defs[f->check].id,
		"ruleIndex", (int)f->check,
		"level", result_levels[f->severity],
		"message", "text", regfmt_jstr(f->message),
		"locations", location(sh, lf->rs, f->loc.file ? sf->name : lf->name,
				      &f->loc, json_incref(sh->logical)),
		"partialFingerprints", "portolan/v1", fingerprint_json(seen, lf, f),
		"properties", props));
	return j;
}

static json_t *notification_json(struct shared *sh, const struct lint_file *lf,
				 const struct diag *d)
{
	const struct ruleset *rs = lf->rs;
	const char *file = d->loc.file && d->loc.file < rs->nfiles ?
			   rs->files[d->loc.file].name : lf->name;

	return checked(json_pack("{s:s, s:{s:o}, s:[o]}",
		"level", diag_levels[d->level],
		"message", "text", regfmt_jstr(d->msg),
		"locations", location(sh, rs, file, &d->loc, NULL)));
}

void report_sarif(FILE *out, const struct lint_run *run)
{
	json_t *rules = json_array(), *results = json_array(), *notes = json_array();
	json_t *seen = json_object(), *invocation, *sarif;
	struct diagfmt_out o;
	struct shared sh = { 0 };

	for (size_t c = 0; c < CHK_COUNT; c++)
		json_array_append_new(rules, rule_json(&check_defs[c]));
	for (size_t i = 0; i < run->nfiles; i++) {
		const struct lint_file *lf = &run->files[i];

		for (size_t k = 0; k < lf->res.n; k++)
			if (finding_shown(&lf->res.f[k]))
				json_array_append_new(results,
					result_json(run, seen, &sh, lf, &lf->res.f[k]));
		for (const struct diag *d = lf->rs->diags; d; d = d->next)
			json_array_append_new(notes, notification_json(&sh, lf, d));
		diagfmt_forget();
	}
	shared_release(&sh);
	json_decref(seen);

	/*
	 * Successful even with reader errors: GitHub refuses to process a
	 * run whose executionSuccessful is false, and the errors are in the
	 * notifications (and in the exit status).
	 */
	invocation = checked(json_pack("{s:b}", "executionSuccessful", true));
	if (json_array_size(notes))
		json_object_set_new(invocation, "toolExecutionNotifications", notes);
	else
		json_decref(notes);

	sarif = checked(json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:o}}, s:[o], s:s, s:o}]}",
		"$schema", "https://json.schemastore.org/sarif-2.1.0.json",
		"version", "2.1.0",
		"runs",
		"tool", "driver",
		"name", "portolan",
		"version", PORTOLAN_VERSION,
		"rules", rules,
		"invocations", invocation,
		"columnKind", "utf16CodeUnits",
		"results", results));
	/* a write error shows in the caller's fflush() and exit status;
	 * through one buffer, as json_dumpf() calls fwrite() per piece */
	o.f = out;
	o.n = 0;
	(void)json_dump_callback(sarif, diagfmt_dump_to, &o,
				 JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	diagfmt_write(&o, "\n", 1);
	diagfmt_flush(&o);
	json_decref(sarif);
}
