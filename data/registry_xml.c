/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IANA's XML form of the port registry, read with libxml2's SAX2 interface:
 * one pass, no document tree.
 *
 * Safety: the file is parsed from memory under a size cap, with no network
 * and no DTD: the parser stops at a document type declaration, so no entity
 * is ever declared, expanded or fetched.  IANA's file has none.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <dlfcn.h>

#include "regbuild.h"

/*
 * libxml2 (and through it ICU and the C++ runtime) is loaded only when a
 * registry file is read: ordinary runs use the compiled-in table, and
 * loading those libraries would cost more than the whole lookup.
 */
static struct {
	__typeof__(xmlCheckVersion) *check_version;
	__typeof__(xmlCreateMemoryParserCtxt) *create_memory_ctxt;
	__typeof__(xmlCtxtUseOptions) *use_options;
	__typeof__(xmlParseDocument) *parse_document;
	__typeof__(xmlCtxtGetLastError) *last_error;
	__typeof__(xmlFreeParserCtxt) *free_ctxt;
	__typeof__(xmlStopParser) *stop_parser;
	__typeof__(xmlSAX2GetLineNumber) *line_number;
	__typeof__(xmlSetGenericErrorFunc) *set_generic_error;
	__typeof__(__xmlGenericError) *generic_error;
	__typeof__(__xmlGenericErrorContext) *generic_error_context;
} lx;

static int libxml_open(const char *name, struct reg_error *err)
{
	static const char *const soname[] = { "libxml2.so.2", "libxml2.so" };
	void *h = NULL;

	if (lx.check_version)
		return 0;
	for (size_t i = 0; !h && i < sizeof(soname) / sizeof(*soname); i++)
		h = dlopen(soname[i], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		reg_error_set(err, name, 0, "cannot read XML: libxml2 is not installed (%s)",
			      dlerror());
		return -ENOENT;
	}
#define SYM(field, sym) do {						\
		*(void **)&lx.field = dlsym(h, #sym);			\
		if (!lx.field) {					\
			reg_error_set(err, name, 0, "libxml2 lacks %s", #sym); \
			return -ENOENT;					\
		}							\
	} while (0)
	SYM(create_memory_ctxt, xmlCreateMemoryParserCtxt);
	SYM(use_options, xmlCtxtUseOptions);
	SYM(parse_document, xmlParseDocument);
	SYM(last_error, xmlCtxtGetLastError);
	SYM(free_ctxt, xmlFreeParserCtxt);
	SYM(stop_parser, xmlStopParser);
	SYM(line_number, xmlSAX2GetLineNumber);
	SYM(set_generic_error, xmlSetGenericErrorFunc);
	SYM(generic_error, __xmlGenericError);
	SYM(generic_error_context, __xmlGenericErrorContext);
	SYM(check_version, xmlCheckVersion);
#undef SYM
	lx.check_version(LIBXML_VERSION);
	return 0;
}

#define IANA_NS "http://www.iana.org/assignments"
#define BREAK '\x01'	/* an explicit break, as opposed to wrapping */
#define MAX_DEPTH 64

enum where {
	IN_ROOT,	/* directly inside <registry> */
	IN_RECORD,
	IN_ASSIGNEE,
	IN_PEOPLE,
	IN_PERSON,
	IN_OTHER,	/* an element whose content is not ours */
};

enum field {
	F_NONE, F_NAME, F_PROTOCOL, F_NUMBER, F_DESCRIPTION, F_NOTE,
	F_UNAUTHORIZED, F_SC, F_XREF_TEXT, F_UPDATED, F_FOOTNOTE,
	F_P_NAME, F_P_ORG, F_P_URI, F_P_UPDATED,
};

struct sax {
	xmlParserCtxtPtr ctxt;
	struct regb *b;
	const char *name;
	struct reg_error *err;
	int r;			/* first error, or 0 */
	bool dtd;

	int depth;
	enum where where[MAX_DEPTH];
	bool root_seen;

	enum field field;	/* the text being collected, if any */
	int field_depth;
	unsigned long field_line;
	enum reg_xref_type xtype;	/* of the <xref> being collected */
	char *buf;
	size_t len, cap;

	struct reg_record *rec;
	bool have_proto;
	struct reg_person person;
	uint32_t anchor;
	char *updated;
};

static void put(struct sax *s, const char *p, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		while (s->len + n + 1 > s->cap)
			s->cap = s->cap ? s->cap * 2 : 256;
		s->buf = reg_xrealloc(s->buf, s->cap, 1);
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

static void put_s(struct sax *s, const char *p)
{
	put(s, p, strlen(p));
}

static unsigned long line_now(struct sax *s)
{
	int l = lx.line_number(s->ctxt);

	return l > 0 ? (unsigned long)l : 0;
}

static void fail(struct sax *s, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct sax *s, unsigned long line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (s->r)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	reg_error_set(s->err, s->name, line, "%s", msg);
	s->r = -EINVAL;
	lx.stop_parser(s->ctxt);
}

/* The value of attribute NAME from SAX2's (localname, prefix, URI, value,
 * end) quintuples. */
static const char *attr(const xmlChar **attrs, int n, const char *name,
			size_t *ret_len)
{
	for (int i = 0; i < n; i++) {
		const xmlChar **a = attrs + i * 5;

		if (!a[1] && strcmp((const char *)a[0], name) == 0) {
			*ret_len = (size_t)(a[4] - a[3]);
			return (const char *)a[3];
		}
	}
	*ret_len = 0;
	return NULL;
}

static uint32_t attr_str(struct sax *s, const xmlChar **attrs, int n,
			 const char *name)
{
	size_t len;
	const char *v = attr(attrs, n, name, &len);

	return v ? regb_str(s->b, v, len) : 0;
}

/*
 * Free text as IANA's plain rendering shows it; the source wraps and
 * indents, so blanks fold to one space; explicit breaks stay.
 */
static uint32_t take_text(struct sax *s, bool keep_breaks)
{
	size_t o = 0;
	bool space = false, nl = false;

	for (size_t i = 0; i < s->len; i++) {
		char c = s->buf[i];

		if (c == BREAK) {
			nl = nl || keep_breaks;
			space = true;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			space = true;
			continue;
		}
		if (o && nl)
			s->buf[o++] = '\n';
		else if (o && space)
			s->buf[o++] = ' ';
		space = nl = false;
		s->buf[o++] = c;
	}
	s->len = 0;
	return regb_str(s->b, s->buf, o);
}

static void collect(struct sax *s, enum field f)
{
	s->field = f;
	s->field_depth = s->depth;
	s->field_line = line_now(s);
	s->len = 0;
}

static enum reg_xref_type xref_type(const char *t, size_t n)
{
	static const struct { const char *name; enum reg_xref_type type; } map[] = {
		{ "person", REG_XREF_CONTACT }, { "rfc", REG_XREF_RFC },
		{ "draft", REG_XREF_DRAFT }, { "uri", REG_XREF_URI },
		{ "text", REG_XREF_TEXT }, { "note", REG_XREF_NOTE },
	};

	for (size_t i = 0; t && i < sizeof(map) / sizeof(*map); i++)
		if (strlen(map[i].name) == n && memcmp(t, map[i].name, n) == 0)
			return map[i].type;
	return REG_XREF_OTHER;
}

/* An <xref> inside free text: "[RFC4146]", "[Bernie_Volz]" (resolved to a
 * name once <people> is read). */
static void inline_xref(struct sax *s, const xmlChar **attrs, int n)
{
	size_t tlen, dlen;
	const char *t = attr(attrs, n, "type", &tlen);
	const char *d = attr(attrs, n, "data", &dlen);

	if (!d)
		return;		/* its text content follows as characters */
	put_s(s, "[");
	if (xref_type(t, tlen) == REG_XREF_RFC) {
		for (size_t i = 0; i < dlen; i++) {
			char c = d[i];

			put(s, &(char){ (char)(c >= 'a' && c <= 'z' ? c - 32 : c) }, 1);
		}
	} else {
		put(s, d, dlen);
	}
	put_s(s, "]");
}

static bool ours(const xmlChar *uri)
{
	return uri && strcmp((const char *)uri, IANA_NS) == 0;
}

static void start_record(struct sax *s, const xmlChar **attrs, int n)
{
	s->rec = regb_record(s->b, line_now(s));
	s->rec->registered = attr_str(s, attrs, n, "date");
	s->rec->modified = attr_str(s, attrs, n, "updated");
	s->have_proto = false;
}

static void record_child(struct sax *s, const char *el, const xmlChar **attrs,
			 int n, enum where *w)
{
	static const struct { const char *el; enum field f; } fields[] = {
		{ "name", F_NAME }, { "protocol", F_PROTOCOL },
		{ "number", F_NUMBER }, { "description", F_DESCRIPTION },
		{ "note", F_NOTE }, { "unauthorized", F_UNAUTHORIZED },
		{ "sc", F_SC },
	};

	if (strcmp(el, "assignee") == 0) {
		*w = IN_ASSIGNEE;
		return;
	}
	if (strcmp(el, "xref") == 0) {
		size_t tlen;
		const char *t = attr(attrs, n, "type", &tlen);
		enum reg_xref_type type = xref_type(t, tlen);
		uint32_t data = attr_str(s, attrs, n, "data");

		if (type == REG_XREF_CONTACT && s->where[s->depth - 1] == IN_ASSIGNEE)
			type = REG_XREF_ASSIGNEE;
		if (data) {
			regb_xref(s->b, type, data);
		} else {
			collect(s, F_XREF_TEXT);
			s->xtype = type;
		}
		return;
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		if (strcmp(el, fields[i].el) == 0) {
			collect(s, fields[i].f);
			return;
		}
	}
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
		     const xmlChar *uri, int nns, const xmlChar **ns, int nattrs,
		     int ndefaulted, const xmlChar **attrs)
{
	struct sax *s = ((xmlParserCtxtPtr)ctx)->_private;
	const char *el = (const char *)local;
	enum where parent, w = IN_OTHER;

	(void)prefix;
	(void)nns;
	(void)ns;
	(void)ndefaulted;
	if (s->r)
		return;
	if (s->depth == MAX_DEPTH) {
		fail(s, line_now(s), "elements nested deeper than %d", MAX_DEPTH);
		return;
	}
	if (s->depth == 0) {
		size_t len;
		const char *id = attr(attrs, nattrs, "id", &len);

		if (!ours(uri) || strcmp(el, "registry") != 0 || !id ||
		    len != 26 || memcmp(id, "service-names-port-numbers", 26) != 0) {
			fail(s, line_now(s),
			     "not IANA's service name and port number registry (root element <%s>)",
			     el);
			return;
		}
		s->root_seen = true;
		s->where[s->depth++] = IN_ROOT;
		return;
	}
	parent = s->where[s->depth - 1];
	if (s->field != F_NONE) {
		/* Markup inside free text. */
		if (ours(uri) && strcmp(el, "br") == 0)
			put(s, &(char){ BREAK }, 1);
		else if (ours(uri) && strcmp(el, "xref") == 0)
			inline_xref(s, attrs, nattrs);
		s->where[s->depth++] = IN_OTHER;
		return;
	}
	if (ours(uri)) {
		switch (parent) {
		case IN_ROOT:
			if (strcmp(el, "record") == 0) {
				w = IN_RECORD;
				start_record(s, attrs, nattrs);
			} else if (strcmp(el, "people") == 0) {
				w = IN_PEOPLE;
			} else if (strcmp(el, "updated") == 0 && !s->updated) {
				collect(s, F_UPDATED);
			} else if (strcmp(el, "footnote") == 0) {
				s->anchor = attr_str(s, attrs, nattrs, "anchor");
				collect(s, F_FOOTNOTE);
			}
			break;
		case IN_RECORD:
		case IN_ASSIGNEE:
			record_child(s, el, attrs, nattrs, &w);
			break;
		case IN_PEOPLE:
			if (strcmp(el, "person") == 0) {
				memset(&s->person, 0, sizeof(s->person));
				s->person.id = attr_str(s, attrs, nattrs, "id");
				w = IN_PERSON;
			}
			break;
		case IN_PERSON:
			if (strcmp(el, "name") == 0)
				collect(s, F_P_NAME);
			else if (strcmp(el, "org") == 0)
				collect(s, F_P_ORG);
			else if (strcmp(el, "uri") == 0)
				collect(s, F_P_URI);
			else if (strcmp(el, "updated") == 0)
				collect(s, F_P_UPDATED);
			break;
		case IN_OTHER:
			break;
		}
	}
	s->where[s->depth++] = w;
}

static void end_field(struct sax *s)
{
	enum field f = s->field;
	struct reg_record *r = s->rec;
	uint32_t t = take_text(s, f == F_DESCRIPTION || f == F_NOTE ||
				  f == F_UNAUTHORIZED || f == F_FOOTNOTE);
	const char *v = regb_string(s->b, t);

	s->field = F_NONE;
	switch (f) {
	case F_NAME:
		r->name = t;
		break;
	case F_PROTOCOL: {
		int proto;

		if (!*v)
			break;
		proto = reg_proto_from_name(v);
		if (proto < 0) {
			fail(s, s->field_line, "unknown transport protocol '%s'", v);
			break;
		}
		r->protos |= (uint8_t)(1u << proto);
		s->have_proto = true;
		break;
	}
	case F_NUMBER:
		if (reg_parse_ports(v, strlen(v), &r->lo, &r->hi) < 0) {
			fail(s, s->field_line,
			     "invalid port number '%s': expected N or N-M within 0-65535",
			     v);
			break;
		}
		r->flags |= REG_F_HAS_PORT;
		break;
	case F_DESCRIPTION:
		r->description = t;
		break;
	case F_NOTE:
		r->note = t;
		break;
	case F_UNAUTHORIZED:
		r->unauthorized = t;
		break;
	case F_SC: {
		char *end;
		unsigned long sc = strtoul(v, &end, 10);

		if (!*v || *end || sc == 0 || sc > UINT32_MAX) {
			fail(s, s->field_line, "invalid service code '%s'", v);
			break;
		}
		r->service_code = (uint32_t)sc;
		break;
	}
	case F_XREF_TEXT:
		regb_xref(s->b, s->xtype, t);
		break;
	case F_UPDATED:
		s->updated = strdup(v);
		if (!s->updated)
			reg_oom();
		break;
	case F_FOOTNOTE:
		regb_footnote(s->b, s->anchor, t);
		break;
	case F_P_NAME:
		s->person.name = t;
		break;
	case F_P_ORG:
		s->person.org = t;
		break;
	case F_P_URI:
		s->person.uri = t;
		break;
	case F_P_UPDATED:
		s->person.updated = t;
		break;
	case F_NONE:
		break;
	}
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
		   const xmlChar *uri)
{
	struct sax *s = ((xmlParserCtxtPtr)ctx)->_private;
	enum where w;

	(void)prefix;
	if (s->r || !s->depth)
		return;
	w = s->where[--s->depth];
	if (s->field != F_NONE) {
		if (s->depth == s->field_depth)
			end_field(s);
		else if (ours(uri) && strcmp((const char *)local, "paragraph") == 0)
			put(s, &(char){ BREAK }, 1);
		return;
	}
	if (w == IN_RECORD && !s->have_proto)
		s->rec->protos = REG_PROTO_ALL;
	else if (w == IN_PERSON && s->person.id)
		regb_person(s->b, &s->person);
}

static void on_text(void *ctx, const xmlChar *text, int len)
{
	struct sax *s = ((xmlParserCtxtPtr)ctx)->_private;

	if (s->field != F_NONE && len > 0)
		put(s, (const char *)text, (size_t)len);
}

static void on_dtd(void *ctx, const xmlChar *name, const xmlChar *ext_id,
		   const xmlChar *sys_id)
{
	struct sax *s = ((xmlParserCtxtPtr)ctx)->_private;

	(void)name;
	(void)ext_id;
	(void)sys_id;
	s->dtd = true;
	fail(s, line_now(s),
	     "document type declarations are not allowed in a registry file");
}

static void on_error(void *ctx, xmlErrorPtr e)
{
	/* Read back from the context once parsing ends; never printed here. */
	(void)ctx;
	(void)e;
}

static void silent(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

int reg_load_xml(const char *buf, size_t len, const char *name,
		 struct regb *b, char **ret_updated, struct reg_error *err)
{
	struct sax s = { .b = b, .name = name, .err = err };
	xmlSAXHandler h;
	xmlParserCtxtPtr ctxt;
	xmlGenericErrorFunc saved;
	void *saved_ctx;

	if (len > INT32_MAX) {
		reg_error_set(err, name, 0, "file too large");
		return -EFBIG;
	}
	if (libxml_open(name, err) < 0)
		return -ENOENT;
	memset(&h, 0, sizeof(h));
	h.initialized = XML_SAX2_MAGIC;
	h.startElementNs = on_start;
	h.endElementNs = on_end;
	h.characters = on_text;
	h.cdataBlock = on_text;
	h.internalSubset = on_dtd;
	h.externalSubset = on_dtd;
	h.serror = on_error;

	/* libxml2 reports some errors (encodings, I/O) through its generic
	 * handler, which prints: library code never prints.  Restored below. */
	saved = *lx.generic_error();
	saved_ctx = *lx.generic_error_context();
	lx.set_generic_error(NULL, silent);
	ctxt = lx.create_memory_ctxt(buf, (int)len);
	if (!ctxt)
		reg_oom();
	memcpy(ctxt->sax, &h, sizeof(h));
	ctxt->userData = ctxt;
	ctxt->_private = &s;
	s.ctxt = ctxt;
	lx.use_options(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
	lx.parse_document(ctxt);
	if (!s.r && (!ctxt->wellFormed || !s.root_seen)) {
		const xmlError *e = lx.last_error(ctxt);
		char msg[200] = "not an XML document";

		if (e && e->message) {
			size_t n;

			snprintf(msg, sizeof(msg), "%s", e->message);
			n = strlen(msg);
			while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
				msg[--n] = '\0';
			if (msg[0] >= 'A' && msg[0] <= 'Z')
				msg[0] = (char)(msg[0] + 32);
		}
		reg_error_set(err, name, e && e->line > 0 ? (unsigned long)e->line : 0,
			      "%s", msg);
		s.r = -EINVAL;
	}
	lx.free_ctxt(ctxt);
	lx.set_generic_error(saved_ctx, saved);
	free(s.buf);
	if (s.r) {
		free(s.updated);
		return s.r;
	}
	*ret_updated = s.updated;
	return 0;
}
