/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regbuild.h"
#include "registry_diff.h"

struct keyed {
	char *key;
	uint32_t rec;
};

static char *record_key(const struct registry *reg, const struct reg_record *r)
{
	const char *name = registry_str(reg, r->name);
	size_t n = strlen(name) + 40;
	char *k = reg_xrealloc(NULL, n, 1), *p;

	if (r->flags & REG_F_HAS_PORT)
		snprintf(k, n, "%05u-%05u|%02x|%d|%s", r->lo, r->hi, r->protos,
			 *name ? 9 : r->kind, name);
	else
		snprintf(k, n, "~~~~~~~~~~~|%02x|%d|%s", r->protos,
			 *name ? 9 : r->kind, name);
	for (p = k; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return k;
}

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

static struct keyed *keyed_records(const struct registry *reg)
{
	struct keyed *k = reg_xrealloc(NULL, reg->nrecords + 1, sizeof(*k));

	for (size_t i = 0; i < reg->nrecords; i++) {
		k[i].key = record_key(reg, &reg->records[i]);
		k[i].rec = (uint32_t)i;
	}
	qsort(k, reg->nrecords, sizeof(*k), cmp_keyed);
	return k;
}

static bool str_differs(const struct registry *a, uint32_t x,
			const struct registry *b, uint32_t y)
{
	return strcmp(registry_str(a, x), registry_str(b, y)) != 0;
}

static bool in_group(enum reg_xref_type t, unsigned group)
{
	switch (group) {
	case REG_FIELD_ASSIGNEE:
		return t == REG_XREF_ASSIGNEE;
	case REG_FIELD_CONTACT:
		return t == REG_XREF_CONTACT;
	default:
		return t != REG_XREF_ASSIGNEE && t != REG_XREF_CONTACT;
	}
}

static bool xrefs_differ(const struct registry *a, const struct reg_record *x,
			 const struct registry *b, const struct reg_record *y,
			 unsigned group)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < x->nxref && !in_group(a->xrefs[x->xref + i].type, group))
			i++;
		while (j < y->nxref && !in_group(b->xrefs[y->xref + j].type, group))
			j++;
		if (i == x->nxref || j == y->nxref)
			return i != x->nxref || j != y->nxref;
		if (a->xrefs[x->xref + i].type != b->xrefs[y->xref + j].type ||
		    strcmp(registry_str(a, a->xrefs[x->xref + i].data),
			   registry_str(b, b->xrefs[y->xref + j].data)) != 0)
			return true;
		i++;
		j++;
	}
}

static uint32_t fields_changed(const struct registry *a, const struct reg_record *x,
			       const struct registry *b, const struct reg_record *y)
{
	uint32_t f = 0;

	if (str_differs(a, x->description, b, y->description))
		f |= REG_FIELD_DESCRIPTION;
	if (str_differs(a, x->note, b, y->note))
		f |= REG_FIELD_NOTE;
	if (str_differs(a, x->unauthorized, b, y->unauthorized))
		f |= REG_FIELD_UNAUTHORIZED;
	if (str_differs(a, x->registered, b, y->registered))
		f |= REG_FIELD_REGISTERED;
	if (str_differs(a, x->modified, b, y->modified))
		f |= REG_FIELD_MODIFIED;
	if (str_differs(a, x->name, b, y->name))
		f |= REG_FIELD_NAME_CASE;
	if (x->service_code != y->service_code)
		f |= REG_FIELD_SERVICE_CODE;
	if ((x->flags & REG_F_STATUS) != (y->flags & REG_F_STATUS))
		f |= REG_FIELD_STATUS;
	if (xrefs_differ(a, x, b, y, REG_FIELD_ASSIGNEE))
		f |= REG_FIELD_ASSIGNEE;
	if (xrefs_differ(a, x, b, y, REG_FIELD_CONTACT))
		f |= REG_FIELD_CONTACT;
	if (xrefs_differ(a, x, b, y, REG_FIELD_REFERENCES))
		f |= REG_FIELD_REFERENCES;
	return f;
}

void registry_diff(const struct registry *old, const struct registry *new,
		  struct reg_diff_entry **ret_entries, size_t *ret_n)
{
	struct keyed *a = keyed_records(old), *b = keyed_records(new);
	struct reg_diff_entry *out = NULL;
	size_t i = 0, j = 0, n = 0, cap = 0;

	while (i < old->nrecords || j < new->nrecords) {
		int c;
		struct reg_diff_entry e = { .old_rec = REG_NO_RECORD,
					    .new_rec = REG_NO_RECORD };

		if (i == old->nrecords)
			c = 1;
		else if (j == new->nrecords)
			c = -1;
		else
			c = strcmp(a[i].key, b[j].key);
		if (c < 0) {
			e.change = REG_DIFF_REMOVED;
			e.old_rec = a[i++].rec;
		} else if (c > 0) {
			e.change = REG_DIFF_ADDED;
			e.new_rec = b[j++].rec;
		} else {
			e.change = REG_DIFF_CHANGED;
			e.old_rec = a[i++].rec;
			e.new_rec = b[j++].rec;
			e.fields = fields_changed(old, &old->records[e.old_rec],
						  new, &new->records[e.new_rec]);
			if (!e.fields)
				continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			out = reg_xrealloc(out, cap, sizeof(*out));
		}
		out[n++] = e;
	}
	for (size_t k = 0; k < old->nrecords; k++)
		free(a[k].key);
	for (size_t k = 0; k < new->nrecords; k++)
		free(b[k].key);
	free(a);
	free(b);
	*ret_entries = out;
	*ret_n = n;
}

const struct reg_record *reg_diff_record(const struct registry *old,
					 const struct registry *new,
					 const struct reg_diff_entry *e)
{
	return e->new_rec != REG_NO_RECORD ? &new->records[e->new_rec] :
					     &old->records[e->old_rec];
}

const char *reg_field_name(enum reg_field field)
{
	switch (field) {
	case REG_FIELD_DESCRIPTION: return "description";
	case REG_FIELD_NOTE: return "note";
	case REG_FIELD_UNAUTHORIZED: return "unauthorized";
	case REG_FIELD_REGISTERED: return "registered";
	case REG_FIELD_MODIFIED: return "modified";
	case REG_FIELD_SERVICE_CODE: return "service_code";
	case REG_FIELD_ASSIGNEE: return "assignee";
	case REG_FIELD_CONTACT: return "contact";
	case REG_FIELD_REFERENCES: return "references";
	case REG_FIELD_STATUS: return "status";
	case REG_FIELD_NAME_CASE: return "name";
	}
	return "?";
}
