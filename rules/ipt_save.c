/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iptables-save dumps, read as iptables-restore reads them: "*table",
 * ":CHAIN POLICY [packets:bytes]", rule lines (optionally prefixed with
 * "[packets:bytes]"), "COMMIT", "#" comments.  A rule line is split into
 * arguments the way iptables-restore splits it: on blanks, with double
 * quotes grouping, and a backslash inside quotes taking the next character
 * as it is.
 */
#include <stdlib.h>
#include <string.h>

#include "ipt.h"

#define MAX_ARGS 1024
#define MAX_PARAM 1024	/* iptables-restore's own limit per argument */

struct line {
	const char *p, *end;	/* the line, without its newline */
	uint32_t file, no;
	const char *start;	/* of the line, for columns */
};

static struct loc loc_at(const struct line *l, const char *from, const char *to)
{
	struct loc loc = { .file = l->file, .line = l->no };

	loc.col = (uint32_t)(from - l->start) + 1;
	loc.col_end = to > from ? (uint32_t)(to - l->start) : loc.col;
	return loc;
}

/* A NUL byte ends an argument too: iptables-restore reads C strings. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' ||
	       c == '\0';
}

/*
 * Splits the line from P into ARGS, their text in BUF (room for the line
 * and a NUL per argument).  Returns the number, or -1 (reported).
 */
static int split(struct ipt_reader *ir, const struct line *l, const char *p,
		 struct ipt_arg *args, char *buf)
{
	int n = 0;
	char *o = buf;

	for (;;) {
		const char *start;
		char *text = o;
		bool quoted = false, open = false, exact = true;

		while (p < l->end && is_blank(*p))
			p++;
		if (p >= l->end)
			return n;
		start = p;
		/* the common case, a word without quotes: copied whole (the
		 * text is NUL-terminated and a line ends at a byte of the set) */
		p += strcspn(p, " \t\r\v\f\"\n");
		if (p > l->end)
			p = l->end;
		memcpy(o, start, (size_t)(p - start));
		o += p - start;
		for (; p < l->end; p++) {
			if (open) {
				if (*p == '\\' && p + 1 < l->end && p[1]) {
					*o++ = *++p;
					continue;
				}
				if (!*p)
					break;
				if (*p == '"') {
					open = false;
					p++;
					break;	/* a closing quote ends the argument */
				}
				*o++ = *p;
				continue;
			}
			if (*p == '"') {
				open = quoted = true;
				exact = false;
				continue;
			}
			if (is_blank(*p))
				break;
			*o++ = *p;
		}
		*o++ = '\0';
		if (open) {
			struct loc loc = loc_at(l, start, p);

			ruleset_diag(ir->rs, DIAG_WARNING, &loc,
				     "unterminated quote: iptables-restore takes the rest of the line as this argument");
		}
		if ((size_t)(o - text) > MAX_PARAM) {
			struct loc loc = loc_at(l, start, p);

			ipt_error(ir, &loc, "argument longer than %d bytes", MAX_PARAM - 1);
			return -1;
		}
		if (n == MAX_ARGS) {
			struct loc loc = loc_at(l, start, p);

			ipt_error(ir, &loc, "more than %d arguments on one line", MAX_ARGS);
			return -1;
		}
		args[n] = (struct ipt_arg){
			.s = text, .len = (uint32_t)(o - text - 1), .exact = exact,
			.quoted = quoted, .loc = loc_at(l, start, p), .raw = start,
			.rawlen = (uint32_t)(p - start),
		};
		n++;
	}
}

/* "[123:4567]": packet and byte counters. */
static const char *counters(const char *p, const char *end)
{
	const char *q = p + 1;

	if (p >= end || *p != '[')
		return NULL;
	q += strspn(q, "0123456789");
	if (q >= end || *q != ':' || q == p + 1)
		return NULL;
	p = ++q;
	q += strspn(q, "0123456789");
	if (q >= end || *q != ']' || q == p)
		return NULL;
	return q + 1;
}

static void table_line(struct ipt_reader *ir, const struct line *l, const char *p)
{
	const char *name = p + 1, *e = name;
	char buf[64];
	struct loc loc;

	/* iptables-restore ignores words after the name */
	while (e < l->end && !is_blank(*e))
		e++;
	loc = loc_at(l, p, e);
	if (ir->table) {
		ipt_error(ir, &loc, "table '%.*s' starts before table %s is ended with COMMIT",
			  (int)(e - name), name, ir->table->name);
	}
	if (e == name || (size_t)(e - name) >= sizeof(buf)) {
		ipt_error(ir, &loc, "bad table name");
		ir->table = NULL;
		return;
	}
	memcpy(buf, name, (size_t)(e - name));
	buf[e - name] = '\0';
	ir->table = ipt_table(ir, buf, &loc);
	ir->last_chain = NULL;
	if (!ir->table)
		return;
	/* iptables-restore replaces what the table held (no --noflush). */
	for (uint32_t i = ir->table->nchains; i-- > 0; ) {
		struct chain *c = ir->table->chains[i];

		chain_flush(c);
		if (c->hook == HOOK_NONE)
			table_delete_chain(ir->table, c);
		else
			c->policy = VERDICT_ACCEPT;
	}
}

static void chain_line(struct ipt_reader *ir, const struct line *l, const char *p,
		       struct ipt_arg *args, char *buf)
{
	int n = split(ir, l, p + 1, args, buf);
	struct chain *c;
	struct loc loc = loc_at(l, p, l->end);

	if (n < 0)
		return;
	if (!ir->table) {
		ipt_error(ir, &loc, "a chain outside a table: a '*filter' (or *nat ...) line must come first");
		return;
	}
	if (n < 2 || (n == 3 && !counters(args[2].s, args[2].s + args[2].len)) || n > 3) {
		ipt_error(ir, &loc, "bad chain line: ':NAME POLICY [packets:bytes]' expected");
		return;
	}
	args[0].loc.col--;	/* with its ':' */
	if (!args[0].len || args[0].len > 28) {
		ipt_error(ir, &args[0].loc, "invalid chain name '%s'", args[0].s);
		return;
	}
	c = table_chain(ir->rs, ir->table, args[0].s, false);
	if (c && c->hook != HOOK_NONE) {
		if (strcmp(args[1].s, "ACCEPT") == 0) {
			c->policy = VERDICT_ACCEPT;
		} else if (strcmp(args[1].s, "DROP") == 0) {
			c->policy = VERDICT_DROP;
		} else {
			ipt_error(ir, &args[1].loc, "bad policy '%s' for built-in chain %s (ACCEPT or DROP)",
				  args[1].s, c->name);
			return;
		}
		c->loc = args[0].loc;
		return;
	}
	if (strcmp(args[1].s, "-") != 0) {
		ipt_error(ir, &args[1].loc, "chain %s is not built in: its policy must be '-'",
			  args[0].s);
		return;
	}
	if (!c)
		c = table_chain(ir->rs, ir->table, args[0].s, true);
	chain_flush(c);
	c->loc = args[0].loc;
}

/* ip6tables' by its name (rules.v6, ufw's user6.rules) or its header. */
static bool looks_ip6(const char *name, const char *text, size_t len)
{
	size_t n = strlen(name);

	if ((n >= 3 && strcmp(name + n - 3, ".v6") == 0) ||
	    (n >= 7 && strcmp(name + n - 7, "6.rules") == 0) ||
	    (n >= 9 && strcmp(name + n - 9, ".v6.rules") == 0))
		return true;
	/* "ip6tables-save", "ip6tables-nft-save", "ip6tables-legacy-save"
	 * (iptables 1.8 names the program it ran as), and iptables-nft-save's
	 * "# Warning: ip6tables-legacy tables present" above its header */
	if (len > 4096)
		len = 4096;
	return memmem(text, len, "ip6tables-save", 14) != NULL ||
	       memmem(text, len, "# Generated by ip6tables-", 25) != NULL ||
	       memmem(text, len, "# Warning: ip6tables-legacy", 27) != NULL;
}

static bool looks_ip4(const char *name, const char *text, size_t len)
{
	size_t n = strlen(name);

	if ((n >= 3 && strcmp(name + n - 3, ".v4") == 0) ||
	    (n >= 9 && strcmp(name + n - 9, ".v4.rules") == 0))
		return true;
	/* also iptables-nft-save and iptables-legacy-save */
	return memmem(text, len < 4096 ? len : 4096, "# Generated by iptables-", 24) != NULL;
}

/* Whether a "-D" or "--delete" command may be in TEXT (one pass). */
static bool has_delete(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while ((p = memchr(p, '-', (size_t)(end - p)))) {
		if (end - p >= 3 && p[1] == 'D' && (p[2] == ' ' || p[2] == '\t') &&
		    (p == text || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n'))
			return true;
		if (end - p >= 8 && memcmp(p, "--delete", 8) == 0)
			return true;
		p++;
	}
	return false;
}

int ipt_save_read(struct ruleset *rs, const char *name, char *text, size_t len,
		  const struct registry *reg, const struct ipt_options *opts)
{
	struct ipt_reader ir = {
		.rs = rs, .reg = reg, .restore = true,
		.ipsets = opts ? opts->ipsets : NULL,
		.max_errors = opts && opts->max_errors ? opts->max_errors : 20,
	};
	struct line l = { 0 };
	const char *p = text, *end = text + len;
	struct ipt_arg *args = malloc(MAX_ARGS * sizeof(*args));
	char *buf = NULL;
	size_t bufsize = 0;
	struct loc last = { 0 };
	bool crlf = false, bad_table = false;

	if (!args)
		oom();
	ir.family_fixed = opts && opts->family >= 0;
	ir.family = (uint8_t)(ir.family_fixed ? opts->family : FAM_IP);
	ir.family_known = ir.family_fixed;
	if (!ir.family_fixed && looks_ip6(name, text, len)) {
		/* known before the first rule: "-4" lines are skipped */
		ir.family = FAM_IP6;
		ir.saw_ip6 = true;
		ir.family_known = true;
	} else if (!ir.family_fixed && looks_ip4(name, text, len)) {
		ir.family_known = true;
	}
	l.file = ruleset_add_file(rs, name, text, len);
	/* "-D CHAIN RULE" needs every rule's text: kept only if one is there */
	ir.keep_specs = has_delete(text, len);
	while (p < end && !ir.stop) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *q;

		l.start = p;
		l.end = nl ? nl : end;
		l.no++;
		p = nl ? nl + 1 : end;
		if ((size_t)(l.end - l.start) + 2 > bufsize) {
			bufsize = ((size_t)(l.end - l.start) + 2) * 2;
			buf = realloc(buf, bufsize);
			if (!buf)
				oom();
		}
		q = l.start;
		if (l.end > l.start && l.end[-1] == '\r') {
			struct loc cr = loc_at(&l, l.end - 1, l.end);

			/* iptables-restore keeps the '\r' in the last word and
			 * fails; the rest is read without it, once said */
			if (!crlf)
				ipt_error(&ir, &cr, "the line ends with a carriage return (CRLF line endings): iptables-restore reads it as part of the last word and fails");
			crlf = true;
			l.end--;
		}
		if (q < l.end && is_blank(*q) && *q) {
			while (q < l.end && is_blank(*q) && *q)
				q++;
			if (q == l.end)
				continue;
			last = loc_at(&l, q, l.end);
			if (*q == '#' || *q == '[' || *q == '*' || *q == ':') {
				/* only a rule may be indented */
				ipt_error(&ir, &last, "bad argument '%c': iptables-restore reads an indented line as a rule ('%c' must start the line)",
					  *q, *q);
				continue;
			}
		}
		if (q == l.end)
			continue;
		last = loc_at(&l, q, l.end);
		if (*q == '#') {
			if (l.end - q > 15 && memmem(q, (size_t)(l.end - q), "ip6tables-save", 14))
				ir.saw_ip6 = true;
			continue;
		}
		if (*q == '*') {
			table_line(&ir, &l, q);
			bad_table = !ir.table;
		} else if (bad_table && !(l.end - q == 6 && memcmp(q, "COMMIT", 6) == 0)) {
			continue;	/* the table was refused: so is its content */
		} else if (*q == ':') {
			chain_line(&ir, &l, q, args, buf);
		} else if (l.end - q == 6 && memcmp(q, "COMMIT", 6) == 0) {
			if (!ir.table && !bad_table)
				ipt_error(&ir, &last, "COMMIT outside a table");
			ir.table = NULL;
			bad_table = false;
		} else {
			const char *after = counters(q, l.end);
			int n;
			struct loc where;

			if (*q == '[' && !after) {
				ipt_error(&ir, &last, "bad counters: '[packets:bytes]' expected");
				continue;
			}
			if (after)
				q = after;
			n = split(&ir, &l, q, args, buf);
			if (n <= 0)
				continue;
			where = args[0].loc;
			ipt_command(&ir, args, (size_t)n, &where);
		}
	}
	if (ir.table && !ir.stop)
		ipt_error(&ir, &last, "COMMIT expected: table %s is not committed at the end of the input",
			  ir.table->name);
	ipt_finish(&ir);
	ipt_reader_release(&ir);
	free(args);
	free(buf);
	return 0;
}
