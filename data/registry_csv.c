/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IANA's CSV form of the port registry (RFC 4180 quoting, one record per
 * row).  It names people by id only ("[Roman_Kriis]") and carries no
 * registry date, so those stay unresolved.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "regbuild.h"

enum {
	COL_NAME, COL_PORT, COL_PROTO, COL_DESC, COL_ASSIGNEE, COL_CONTACT,
	COL_REGISTERED, COL_MODIFIED, COL_REFERENCE, COL_SC, COL_UNAUTH,
	COL_NOTES, NCOL,
};

static const char *const header[NCOL] = {
	"Service Name", "Port Number", "Transport Protocol", "Description",
	"Assignee", "Contact", "Registration Date", "Modification Date",
	"Reference", "Service Code", "Unauthorized Use Reported",
	"Assignment Notes",
};

struct csv {
	const char *p, *end;
	unsigned long line;
	char *field[NCOL];
	size_t flen[NCOL], fcap[NCOL];
	int nfield;
};

static void field_put(struct csv *c, int i, char ch)
{
	if (c->flen[i] + 2 > c->fcap[i]) {
		c->fcap[i] = c->fcap[i] ? c->fcap[i] * 2 : 64;
		c->field[i] = reg_xrealloc(c->field[i], c->fcap[i], 1);
	}
	c->field[i][c->flen[i]++] = ch;
	c->field[i][c->flen[i]] = '\0';
}

/* Reads one row; returns 1, 0 at the end, or -EINVAL. */
static int csv_row(struct csv *c, const char *name, struct reg_error *err)
{
	int i = 0;

	if (c->p >= c->end)
		return 0;
	for (int k = 0; k < NCOL; k++) {
		c->flen[k] = 0;
		field_put(c, k, 'x');
		c->flen[k] = 0;
		c->field[k][0] = '\0';
	}
	for (;;) {
		bool quoted = c->p < c->end && *c->p == '"';
		unsigned long start = c->line;

		if (quoted)
			c->p++;
		for (;;) {
			if (c->p >= c->end) {
				if (quoted) {
					reg_error_set(err, name, start,
						      "unterminated quoted field");
					return -EINVAL;
				}
				break;
			}
			if (quoted && *c->p == '"') {
				if (c->p + 1 < c->end && c->p[1] == '"') {
					c->p += 2;
					if (i < NCOL)
						field_put(c, i, '"');
					continue;
				}
				c->p++;
				quoted = false;
				if (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
				    *c->p != '\r') {
					reg_error_set(err, name, c->line,
						      "unexpected character after closing quote");
					return -EINVAL;
				}
				continue;
			}
			if (!quoted && (*c->p == ',' || *c->p == '\n' || *c->p == '\r'))
				break;
			if (*c->p == '\n')
				c->line++;
			if (*c->p == '\0') {
				reg_error_set(err, name, c->line, "NUL byte in CSV");
				return -EINVAL;
			}
			if (i < NCOL)
				field_put(c, i, *c->p);
			c->p++;
		}
		i++;
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		c->line++;
		break;
	}
	c->nfield = i;
	return 1;
}

/* In place: CR dropped, runs of blanks folded, line breaks kept once. */
static char *fold(char *s)
{
	size_t o = 0;
	bool space = false, nl = false;

	for (size_t i = 0; s[i]; i++) {
		char c = s[i];

		if (c == '\n') {
			nl = true;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r') {
			space = true;
			continue;
		}
		if (o && nl)
			s[o++] = '\n';
		else if (o && space)
			s[o++] = ' ';
		space = nl = false;
		s[o++] = c;
	}
	s[o] = '\0';
	return s;
}

static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
		     s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/* "[RFC4727][1][IESG]": one xref per bracket. */
static void add_refs(struct regb *b, const char *s, enum reg_xref_type person)
{
	while ((s = strchr(s, '['))) {
		const char *e = strchr(++s, ']');
		enum reg_xref_type t = person;
		size_t n;
		char tmp[512];

		if (!e)
			break;
		n = (size_t)(e - s);
		if (n >= sizeof(tmp))
			n = sizeof(tmp) - 1;
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		s = e + 1;
		if (!n)
			continue;
		if (person == REG_XREF_OTHER) {
			size_t digits = n > 3 ? strspn(tmp + 3, "0123456789") : 0;

			if (strncmp(tmp, "RFC", 3) == 0 && digits && !tmp[3 + digits]) {
				tmp[0] = 'r', tmp[1] = 'f', tmp[2] = 'c';
				t = REG_XREF_RFC;
			} else if (strncmp(tmp, "RFC-", 4) == 0 ||
				   strncmp(tmp, "draft-", 6) == 0) {
				t = REG_XREF_DRAFT;
			} else if (strspn(tmp, "0123456789") == n) {
				t = REG_XREF_NOTE;
			} else if (strstr(tmp, "://")) {
				t = REG_XREF_URI;
			} else {
				t = REG_XREF_CONTACT;
			}
		}
		regb_xref(b, t, regb_cstr(b, tmp));
	}
}

static int csv_record(struct csv *c, struct regb *b, const char *name,
		      unsigned long line, struct reg_error *err)
{
	struct reg_record *r = regb_record(b, line);
	char *proto = trim(c->field[COL_PROTO]);
	char *port = trim(c->field[COL_PORT]);
	char *sc = trim(c->field[COL_SC]);

	r->name = regb_cstr(b, trim(c->field[COL_NAME]));
	r->description = regb_cstr(b, fold(c->field[COL_DESC]));
	r->note = regb_cstr(b, fold(c->field[COL_NOTES]));
	r->unauthorized = regb_cstr(b, fold(c->field[COL_UNAUTH]));
	r->registered = regb_cstr(b, trim(c->field[COL_REGISTERED]));
	r->modified = regb_cstr(b, trim(c->field[COL_MODIFIED]));
	if (*proto) {
		int p = reg_proto_from_name(proto);

		if (p < 0) {
			reg_error_set(err, name, line,
				      "unknown transport protocol '%s'", proto);
			return -EINVAL;
		}
		r->protos = (uint8_t)(1u << p);
	} else {
		r->protos = REG_PROTO_ALL;
	}
	if (*port) {
		if (reg_parse_ports(port, strlen(port), &r->lo, &r->hi) < 0) {
			reg_error_set(err, name, line,
				      "invalid port number '%s': expected N or N-M within 0-65535",
				      port);
			return -EINVAL;
		}
		r->flags |= REG_F_HAS_PORT;
	}
	if (*sc) {
		char *end;
		unsigned long v = strtoul(sc, &end, 10);

		if (*end || v == 0 || v > UINT32_MAX) {
			reg_error_set(err, name, line, "invalid service code '%s'", sc);
			return -EINVAL;
		}
		r->service_code = (uint32_t)v;
	}
	add_refs(b, c->field[COL_ASSIGNEE], REG_XREF_ASSIGNEE);
	add_refs(b, c->field[COL_CONTACT], REG_XREF_CONTACT);
	add_refs(b, c->field[COL_REFERENCE], REG_XREF_OTHER);
	return 0;
}

int reg_load_csv(const char *buf, size_t len, const char *name,
		 struct regb *b, struct reg_error *err)
{
	struct csv c = { .p = buf, .end = buf + len, .line = 1 };
	int r;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		c.p += 3;
	while (c.p < c.end && (*c.p == ' ' || *c.p == '\t' || *c.p == '\r' ||
			       *c.p == '\n'))
		c.line += *c.p++ == '\n';
	r = csv_row(&c, name, err);
	if (r == 0) {
		reg_error_set(err, name, 1, "empty file");
		r = -EINVAL;
	}
	if (r < 0)
		goto out;
	for (int i = 0; i < NCOL; i++) {
		if (i >= c.nfield || strcmp(trim(c.field[i]), header[i]) != 0) {
			reg_error_set(err, name, c.line - 1,
				      "not IANA's port registry CSV: column %d should be '%s'",
				      i + 1, header[i]);
			r = -EINVAL;
			goto out;
		}
	}
	for (;;) {
		unsigned long line = c.line;

		r = csv_row(&c, name, err);
		if (r <= 0)
			break;
		if (c.nfield == 1 && !*trim(c.field[0]))
			continue;	/* a blank line */
		if (c.nfield != NCOL) {
			reg_error_set(err, name, line,
				      "expected %d fields, found %d", NCOL, c.nfield);
			r = -EINVAL;
			break;
		}
		r = csv_record(&c, b, name, line, err);
		if (r < 0)
			break;
	}
out:
	for (int i = 0; i < NCOL; i++)
		free(c.field[i]);
	return r < 0 ? r : 0;
}
