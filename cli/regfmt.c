/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regfmt.h"

static const char *const format_names[] = { "builtin", "xml", "csv" };

json_t *regfmt_jstr(const char *s)
{
	json_t *j = json_string(s);
	unsigned char *copy, *o;
	const unsigned char *p = (const unsigned char *)s;

	if (j)
		return j;
	/* Not UTF-8 (a Latin-1 file, a byte-mangled name): keep the text,
	 * with U+FFFD for each byte that is not part of a valid sequence. */
	copy = malloc(strlen(s) * 3 + 1);
	if (!copy)
		abort();
	for (o = copy; *p; ) {
		size_t n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 :
			   (*p >> 3) == 30 ? 4 : 0;
		size_t k = 1;
		json_t *one = NULL;

		while (n && k < n && (p[k] & 0xc0) == 0x80)
			k++;
		/* jansson judges overlong forms and surrogates. */
		if (n && k == n)
			one = json_stringn((const char *)p, n);
		if (one) {
			json_decref(one);
			memcpy(o, p, n);
			o += n;
			p += n;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
		}
	}
	*o = '\0';
	j = json_string((const char *)copy);
	free(copy);
	return j ? j : json_string("");
}

static json_t *str_or_null(const struct registry *reg, uint32_t off)
{
	return off ? regfmt_jstr(registry_str(reg, off)) : json_null();
}

json_t *regfmt_registry_json(const struct registry *reg)
{
	return json_pack("{s:o, s:o, s:s, s:o}",
			 "updated", str_or_null(reg, reg->updated),
			 "source", regfmt_jstr(registry_str(reg, reg->source)),
			 "format", format_names[reg->format],
			 "sha256", str_or_null(reg, reg->sha256));
}

json_t *regfmt_protos_json(unsigned protos)
{
	json_t *a = json_array();

	for (int p = 0; p < REG_NPROTO; p++)
		if (protos & (1u << p))
			json_array_append_new(a, json_string(reg_proto_name(p)));
	return a;
}

json_t *regfmt_flags_json(unsigned flags)
{
	const char *names[8];
	size_t n = reg_flag_names(flags, names, 8);
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(names[i]));
	return a;
}

static json_t *person_json(const struct registry *reg, const struct reg_xref *x)
{
	const struct reg_person *p = x->target ? &reg->persons[x->target - 1] : NULL;

	if (!p)
		return json_pack("{s:o, s:n, s:n, s:n, s:n}", "id",
				 regfmt_jstr(registry_str(reg, x->data)), "name", "organization",
				 "uri", "updated");
	return json_pack("{s:o, s:o, s:o, s:o, s:o}",
			 "id", regfmt_jstr(registry_str(reg, p->id)),
			 "name", str_or_null(reg, p->name),
			 "organization", str_or_null(reg, p->org),
			 "uri", str_or_null(reg, p->uri),
			 "updated", str_or_null(reg, p->updated));
}

json_t *regfmt_record_json(const struct registry *reg, uint32_t idx)
{
	const struct reg_record *r = &reg->records[idx];
	json_t *assignee = json_array(), *contact = json_array(), *refs = json_array();
	json_t *scope = json_array(), *j;
	bool port = r->flags & REG_F_HAS_PORT;

	for (size_t i = 0; i < r->nxref; i++) {
		const struct reg_xref *x = &reg->xrefs[r->xref + i];

		if (x->type == REG_XREF_ASSIGNEE)
			json_array_append_new(assignee, person_json(reg, x));
		else if (x->type == REG_XREF_CONTACT)
			json_array_append_new(contact, person_json(reg, x));
		else if (x->type == REG_XREF_NOTE)
			json_array_append_new(refs, json_pack("{s:s, s:o, s:o}",
				"type", "footnote", "data", regfmt_jstr(registry_str(reg, x->data)),
				"text", str_or_null(reg, x->target)));
		else
			json_array_append_new(refs, json_pack("{s:s, s:o}",
				"type", reg_xref_type_name(x->type),
				"data", regfmt_jstr(registry_str(reg, x->data))));
	}
	if (r->unauthorized && port) {
		if (!r->nunauth)
			json_array_append_new(scope, json_pack("[i, i]", r->lo, r->hi));
		for (size_t i = 0; i < r->nunauth; i++) {
			const struct reg_span *s = &reg->unauth[r->unauth + i];

			if (s->lo <= s->hi)
				json_array_append_new(scope, json_pack("[i, i]", s->lo, s->hi));
		}
	}
	j = json_pack("{s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o}",
		      "name", str_or_null(reg, r->name),
		      "first", port ? json_integer(r->lo) : json_null(),
		      "last", port ? json_integer(r->hi) : json_null(),
		      "protocols", regfmt_protos_json(r->protos),
		      "kind", reg_class_name(r->kind),
		      "description", str_or_null(reg, r->description),
		      "assignee", assignee,
		      "contact", contact);
	json_object_set_new(j, "references", refs);
	json_object_set_new(j, "note", str_or_null(reg, r->note));
	json_object_set_new(j, "unauthorized", str_or_null(reg, r->unauthorized));
	json_object_set_new(j, "unauthorized_ports", scope);
	json_object_set_new(j, "status", regfmt_flags_json(r->flags));
	json_object_set_new(j, "alias_of", str_or_null(reg, r->alias_of));
	json_object_set_new(j, "registered", str_or_null(reg, r->registered));
	json_object_set_new(j, "modified", str_or_null(reg, r->modified));
	json_object_set_new(j, "service_code", r->service_code ?
			    json_integer(r->service_code) : json_null());
	json_object_set_new(j, "line", json_integer(r->line));
	return j;
}

const char *regfmt_ports(const struct reg_record *r, char buf[static 16])
{
	if (!(r->flags & REG_F_HAS_PORT))
		buf[0] = '\0';
	else if (r->lo == r->hi)
		snprintf(buf, 16, "%u", r->lo);
	else
		snprintf(buf, 16, "%u-%u", r->lo, r->hi);
	return buf;
}

const char *regfmt_protos(unsigned protos, char buf[static 32])
{
	size_t n = 0;

	buf[0] = '\0';
	if (protos == REG_PROTO_ALL)
		return strcpy(buf, "every protocol");
	for (int p = 0; p < REG_NPROTO; p++)
		if (protos & (1u << p))
			n += (size_t)snprintf(buf + n, 32 - n, "%s%s", n ? ", " : "",
					      reg_proto_name(p));
	return buf;
}

#define FIELD_INDENT 19
#define FIELD_WIDTH 79

/* A labelled value, wrapped at word boundaries under its label. */
static void field(FILE *out, const char *label, const char *text)
{
	size_t col = FIELD_INDENT;

	fprintf(out, "      %-13s", label);
	for (const char *p = text; *p; ) {
		size_t word = strcspn(p, " \n");

		if (col > FIELD_INDENT && col + 1 + word > FIELD_WIDTH) {
			fprintf(out, "\n%*s", FIELD_INDENT, "");
			col = FIELD_INDENT;
		} else if (col > FIELD_INDENT) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, word, out);
		col += word;
		p += word;
		if (*p == '\n') {
			fprintf(out, "\n%*s", FIELD_INDENT, "");
			col = FIELD_INDENT;
		}
		while (*p == ' ' || *p == '\n')
			p++;
	}
	fputc('\n', out);
}

static void person_text(FILE *out, const struct registry *reg, const char *label,
			const struct reg_xref *x)
{
	const struct reg_person *p = x->target ? &reg->persons[x->target - 1] : NULL;
	char buf[512];

	if (!p) {
		snprintf(buf, sizeof(buf), "[%s]", registry_str(reg, x->data));
	} else {
		const char *name = registry_str(reg, p->name);
		const char *org = registry_str(reg, p->org);
		const char *uri = registry_str(reg, p->uri);

		snprintf(buf, sizeof(buf), "%s%s%s%s%s%s", name,
			 *name && *org ? ", " : "", org,
			 *uri ? " <" : "", uri, *uri ? ">" : "");
	}
	field(out, label, buf);
}

static void refs_text(FILE *out, const struct registry *reg,
		      const struct reg_record *r)
{
	char buf[1024];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->nxref && n < sizeof(buf) - 1; i++) {
		const struct reg_xref *x = &reg->xrefs[r->xref + i];
		const char *d = registry_str(reg, x->data);

		if (x->type == REG_XREF_ASSIGNEE || x->type == REG_XREF_CONTACT ||
		    x->type == REG_XREF_NOTE)
			continue;
		if (x->type == REG_XREF_RFC && strncmp(d, "rfc", 3) == 0)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%sRFC %s",
					      n ? ", " : "", d + 3);
		else
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
					      n ? ", " : "", d);
	}
	if (n)
		field(out, "reference", buf);
	for (size_t i = 0; i < r->nxref; i++) {
		const struct reg_xref *x = &reg->xrefs[r->xref + i];

		if (x->type == REG_XREF_NOTE && x->target)
			field(out, "footnote", registry_str(reg, x->target));
	}
}

const char *regfmt_where(const struct reg_record *r, char *buf, size_t size)
{
	char pbuf[16], qbuf[32];

	if (!(r->flags & REG_F_HAS_PORT))
		snprintf(buf, size, "no port (%s)", regfmt_protos(r->protos, qbuf));
	else if (r->protos == REG_PROTO_ALL)
		snprintf(buf, size, "%s (all protocols)", regfmt_ports(r, pbuf));
	else
		snprintf(buf, size, "%s/%s", regfmt_ports(r, pbuf),
			 regfmt_protos(r->protos, qbuf));
	return buf;
}

void regfmt_record_text(FILE *out, const struct registry *reg, uint32_t idx,
			long port, bool show_where)
{
	const struct reg_record *r = &reg->records[idx];
	const char *name = registry_str(reg, r->name);
	const char *desc = registry_str(reg, r->description);
	const char *status[8];
	size_t nstatus = reg_flag_names(r->flags, status, 8);
	char pbuf[16], qbuf[32];

	fprintf(out, "    %s%s", name, *name && *desc ? " — " : "");
	for (const char *p = desc; *p; p++)
		fputc(*p == '\n' ? ' ' : *p, out);
	if (!*name && !*desc)
		fputs("(no description)", out);
	if (show_where || r->lo != r->hi || r->protos == REG_PROTO_ALL) {
		if (r->flags & REG_F_HAS_PORT)
			fprintf(out, " [%s, %s]", regfmt_ports(r, pbuf),
				regfmt_protos(r->protos, qbuf));
		else
			fprintf(out, " [no port, %s]", regfmt_protos(r->protos, qbuf));
	}
	fputc('\n', out);
	for (size_t i = 0; i < r->nxref; i++)
		if (reg->xrefs[r->xref + i].type == REG_XREF_ASSIGNEE)
			person_text(out, reg, "assignee", &reg->xrefs[r->xref + i]);
	for (size_t i = 0; i < r->nxref; i++)
		if (reg->xrefs[r->xref + i].type == REG_XREF_CONTACT)
			person_text(out, reg, "contact", &reg->xrefs[r->xref + i]);
	refs_text(out, reg, r);
	if (r->registered)
		field(out, "registered", registry_str(reg, r->registered));
	if (r->modified)
		field(out, "modified", registry_str(reg, r->modified));
	if (r->note)
		field(out, "note", registry_str(reg, r->note));
	if (r->unauthorized) {
		bool here = port < 0 || registry_unauth_covers(reg, r, (uint16_t)port);

		field(out, "unauthorized", registry_str(reg, r->unauthorized));
		if (!here)
			field(out, "", "(this port is not concerned)");
	}
	if (nstatus) {
		char buf[128];
		size_t n = 0;

		for (size_t i = 0; i < nstatus; i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
					      i ? ", " : "", status[i]);
		field(out, "status", buf);
	}
	if (r->alias_of)
		field(out, "alias of", registry_str(reg, r->alias_of));
	if (r->service_code) {
		char buf[16];

		snprintf(buf, sizeof(buf), "%u", r->service_code);
		field(out, "service code", buf);
	}
}

void regfmt_registry_line(FILE *out, const struct registry *reg)
{
	const char *updated = registry_str(reg, reg->updated);

	fprintf(out, "IANA service name and port number registry, updated %s (%s%s)\n",
		*updated ? updated : "unknown",
		reg->format == REG_FORMAT_BUILTIN ? "built in from " : "",
		registry_str(reg, reg->source));
}

int regfmt_dump(json_t *j)
{
	int r;

	if (!j)
		return -1;	/* a json_pack() that failed */
	r = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(j);
	return r;
}
