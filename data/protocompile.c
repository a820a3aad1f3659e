/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Build tool: compiles IANA's protocol numbers XML into a C table of 256
 * entries (keyword and description per number).
 *
 * usage: protocompile PROTOCOL-NUMBERS.xml OUTPUT.c
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

struct entry {
	char *keyword, *description;
};

static struct entry table[256];

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

/* The element's text, whitespace runs folded to one space. */
static char *text_of(const xmlNode *n)
{
	xmlChar *raw = n ? xmlNodeGetContent(n) : NULL;
	char *out, *o;
	const char *s;

	if (!raw)
		return NULL;
	out = malloc(strlen((const char *)raw) + 1);
	if (!out)
		abort();
	o = out;
	for (s = (const char *)raw; *s; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') {
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
			continue;
		}
		*o++ = *s;
	}
	while (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	xmlFree(raw);
	return out;
}

static int record(const xmlNode *rec)
{
	char *value = text_of(child(rec, "value")), *end;
	unsigned long lo, hi;
	int ret = -1;

	if (!value)
		goto out;
	errno = 0;
	lo = strtoul(value, &end, 10);
	hi = lo;
	if (*end == '-')
		hi = strtoul(end + 1, &end, 10);
	if (errno || *end || end == value || lo > hi || hi > 255)
		goto out;
	for (unsigned long v = lo; v <= hi; v++) {
		/* A range (unassigned numbers) has no keyword of its own. */
		char *kw = lo == hi ? text_of(child(rec, "name")) : NULL;

		if (kw && (!*kw || strcmp(kw, "Reserved") == 0)) {
			free(kw);
			kw = NULL;
		}
		table[v].keyword = kw;
		table[v].description = text_of(child(rec, "description"));
	}
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "protocompile: bad <value> '%s'\n", value ? value : "");
	free(value);
	return ret;
}

static void cstr(FILE *f, const char *s)
{
	if (!s) {
		fputs("NULL", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\%03o", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

int main(int argc, char **argv)
{
	xmlDoc *doc;
	const xmlNode *root, *reg;
	char *updated;
	FILE *out;
	unsigned n = 0;

	if (argc != 3) {
		fputs("usage: protocompile PROTOCOL-NUMBERS.xml OUTPUT.c\n", stderr);
		return 2;
	}
	doc = xmlReadFile(argv[1], NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	reg = root ? child(root, "registry") : NULL;
	if (!reg) {
		fprintf(stderr, "protocompile: %s: not IANA's protocol numbers\n", argv[1]);
		return 1;
	}
	updated = text_of(child(root, "updated"));
	for (const xmlNode *c = reg->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "record"))
			continue;
		if (record(c))
			return 1;
		n++;
	}
	if (n < 100) {
		fprintf(stderr, "protocompile: %s: only %u records\n", argv[1], n);
		return 1;
	}
	out = fopen(argv[2], "w");
	if (!out) {
		fprintf(stderr, "protocompile: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	fprintf(out, "/* Generated from %s by protocompile: do not edit. */\n"
		"#include \"protocols.h\"\n\nconst char ipproto_updated[] = ", argv[1]);
	cstr(out, updated ? updated : "");
	fputs(";\n\nconst struct ipproto ipproto_table[256] = {\n", out);
	for (unsigned v = 0; v < 256; v++) {
		fprintf(out, "\t[%u] = { ", v);
		cstr(out, table[v].keyword);
		fputs(", ", out);
		cstr(out, table[v].description ? table[v].description : "");
		fputs(" },\n", out);
	}
	fputs("};\n", out);
	if (fclose(out)) {
		fprintf(stderr, "protocompile: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	xmlFreeDoc(doc);
	free(updated);
	for (unsigned v = 0; v < 256; v++) {
		free(table[v].keyword);
		free(table[v].description);
	}
	return 0;
}
