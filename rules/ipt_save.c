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
#define SPLIT_PAD 8	/* NULs split() puts after a line */
#define ONES 0x0101010101010101ull

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
	/* ' ', '\t', '\r', '\v', '\f' and '\0' as bits of one word */
	const uint64_t blanks = 1ull << ' ' | 1ull << '\t' | 1ull << '\r' |
				1ull << '\v' | 1ull << '\f' | 1ull << '\0';

	return (unsigned char)c <= ' ' && (blanks >> (unsigned char)c & 1);
}

/*
 * The first byte from P below '#' (there is one: a NUL), read eight bytes
 * at a time: the lowest byte flagged by the "has a byte less than" test
 * is exact (a borrow only runs upwards), the bytes above it may not be.
 */
static char *below_hash(char *p)
{
	for (;; p += 8) {
		uint64_t x, hit;

		memcpy(&x, p, 8);
		hit = (x - ONES * '#') & ~x & ONES * 0x80;
		if (!hit)
			continue;
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		return p + (__builtin_ctzll(hit) >> 3);
#else
		while ((unsigned char)*p >= '#')
			p++;
		return p;
#endif
	}
}

/*
 * Splits the line from P into ARGS, their text in BUF (room for the line
 * and SPLIT_PAD bytes).  Returns the number, or -1 (reported).
 *
 * The line is copied into BUF once and split there in place: a word
 * without quotes only gets a NUL where its blank was, and removing quotes
 * and backslashes only shortens a word, so what is written never passes
 * what is still to be read.
 */
/*
 * A carriage return, vertical tab or form feed at AT: iptables-restore
 * splits arguments only at spaces and tabs, so it is part of a word there
 * and the line fails ("unknown protocol \"tcp\f--dport\"").  Reported once
 * per file; the line is read on as if it were a space.
 */
static void junk_blank(struct ipt_reader *ir, const struct line *l, const char *at)
{
	struct loc loc;

	if (ir->junk_told)
		return;
	ir->junk_told = true;
	loc = loc_at(l, at, at + 1);
	ipt_error(ir, &loc, "a %s between words: iptables-restore splits only at spaces and tabs, and reads it as part of a word",
		  *at == '\r' ? "carriage return" : *at == '\f' ? "form feed" : "vertical tab");
}

static int split(struct ipt_reader *ir, const struct line *l, const char *p,
		 struct ipt_arg *args, char *buf)
{
	size_t len = (size_t)(l->end - p);
	const char *end = buf + len;
	/* columns of BUF's bytes: BUF[i] is at column COL0 + i */
	const uint32_t col0 = (uint32_t)(p - l->start) + 1;
	const struct loc at_line = { .file = l->file, .line = l->no };
	char *q = buf;
	int n = 0;

	memcpy(buf, p, len);
	/* a NUL is a blank: every scan below stops at the first; the rest
	 * are read eight bytes at a time */
	memset(buf + len, 0, SPLIT_PAD);
	for (;;) {
		const char *start, *stop;
		struct ipt_arg *a;
		char *w, *o;
		bool quoted = false, open = false;

		/* most often one space */
		for (; q < end && is_blank(*q); q++)
			if (*q != ' ' && *q != '\t' && *q)
				junk_blank(ir, l, p + (q - buf));
		if (q >= end)
			return n;
		w = q;
		/* Blanks, NUL and '"' are all below '#': the word runs to the
		 * first byte below it that is one of them (not '!', not
		 * another control character) */
		q = below_hash(q);
		while (*q != '"' && !is_blank(*q))
			q = below_hash(q + 1);
		/* told here: a NUL takes its place once the word is cut */
		if (*q != ' ' && *q != '"' && *q != '\t' && *q && q < end)
			junk_blank(ir, l, p + (q - buf));
		o = q;
		if (*q == '"') {
			/* "kubernetes service portals": the quoted text in one
			 * move while it has no backslash (NUL ends the line) */
			size_t k = strcspn(q + 1, "\"\\");

			if (q[1 + k] == '"' && q + 1 + k < end) {
				memmove(o, q + 1, k);
				o += k;
				q += k + 2;
				quoted = true;
				goto word_end;
			}
			/* quotes: taken apart byte by byte, as iptables-restore
			 * does (a backslash inside them takes the next byte) */
			for (; q < end; q++) {
				if (open) {
					if (*q == '\\' && q + 1 < end && q[1]) {
						*o++ = *++q;
						continue;
					}
					if (!*q)
						break;
					if (*q == '"') {
						open = false;
						q++;
						break;	/* a closing quote ends the argument */
					}
					*o++ = *q;
					continue;
				}
				if (*q == '"') {
					open = quoted = true;
					continue;
				}
				if (is_blank(*q))
					break;
				*o++ = *q;
			}
		}
word_end:
		start = p + (w - buf);
		stop = p + (q - buf);
		/* Over the blank that ended the word (a NUL is one too), or
		 * behind Q, over bytes already read: after '"a"b', B is next. */
		*o = '\0';
		if (open) {
			struct loc loc = loc_at(l, start, stop);

			ruleset_diag(ir->rs, DIAG_WARNING, &loc,
				     "unterminated quote: iptables-restore takes the rest of the line as this argument");
		}
		if ((size_t)(o - w) >= MAX_PARAM) {
			struct loc loc = loc_at(l, start, stop);

			ipt_error(ir, &loc, "argument longer than %d bytes", MAX_PARAM - 1);
			return -1;
		}
		if (n == MAX_ARGS) {
			struct loc loc = loc_at(l, start, stop);

			ipt_error(ir, &loc, "more than %d arguments on one line", MAX_ARGS);
			return -1;
		}
		/* field by field: a word is never empty, so its span is too */
		a = &args[n++];
		a->s = w;
		a->len = (uint32_t)(o - w);
		a->exact = !quoted;
		a->quoted = quoted;
		a->loc = at_line;
		a->loc.col = col0 + (uint32_t)(w - buf);
		a->loc.col_end = col0 + (uint32_t)(q - buf) - 1;
		a->raw = start;
		a->rawlen = (uint32_t)(q - w);
		/* the blank that ended it is read (and now a NUL) */
		q += o == q;
	}
}

/* The digits from P on: where they end ("[0:0]" has a handful). */
static const char *digits(const char *p)
{
	while (*p >= '0' && *p <= '9')
		p++;
	return p;
}

/* "[123:4567]": packet and byte counters. */
static const char *counters(const char *p, const char *end)
{
	const char *q = p + 1;

	if (p >= end || *p != '[')
		return NULL;
	q = digits(q);
	if (q >= end || *q != ':' || q == p + 1)
		return NULL;
	p = ++q;
	q = digits(q);
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
	if (n < 2) {
		ipt_error(ir, &loc, "bad chain line: ':NAME POLICY [packets:bytes]' expected");
		return;
	}
	if (n > 2) {
		/* iptables-restore reads the name, the policy and (with -c
		 * only) the counters, and no further */
		int k = counters(args[2].s, args[2].s + args[2].len) ? 3 : 2;

		if (k < n)
			ruleset_diag(ir->rs, DIAG_WARNING, &args[k].loc,
				     "'%s' is ignored: iptables-restore reads ':NAME POLICY [packets:bytes]' of a chain line and no further%s",
				     args[k].s, k == 2 ? " (with -c it fails here: 'invalid policy counters')" : "");
	}
	args[0].loc.col--;	/* with its ':' */
	if (!args[0].len || args[0].len > 28) {
		ipt_error(ir, &args[0].loc, "invalid chain name '%s'", args[0].s);
		return;
	}
	/* a user chain's line ("-" for its policy) finds or makes it in one
	 * lookup; a built-in chain is found either way */
	c = table_chain(ir->rs, ir->table, args[0].s, strcmp(args[1].s, "-") == 0);
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
	chain_flush(c);
	c->loc = args[0].loc;
}

/* The family a file's name gives: rules.v6 and ufw's user6.rules are
 * ip6tables' (6), rules.v4 iptables' (4); else 0. */
static int name_family(const char *name)
{
	size_t n = strlen(name);

	if ((n >= 3 && strcmp(name + n - 3, ".v6") == 0) ||
	    (n >= 7 && strcmp(name + n - 7, "6.rules") == 0) ||
	    (n >= 9 && strcmp(name + n - 9, ".v6.rules") == 0))
		return 6;
	if ((n >= 3 && strcmp(name + n - 3, ".v4") == 0) ||
	    (n >= 9 && strcmp(name + n - 9, ".v4.rules") == 0))
		return 4;
	return 0;
}

/* The family a dump's header gives, or 0. */
static int header_family(const char *text, size_t len)
{
	if (len > 4096)
		len = 4096;
	/* "ip6tables-save", "ip6tables-nft-save", "ip6tables-legacy-save"
	 * (iptables 1.8 names the program it ran as), and iptables-nft-save's
	 * "# Warning: ip6tables-legacy tables present" above its header */
	if (memmem(text, len, "ip6tables-save", 14) ||
	    memmem(text, len, "# Generated by ip6tables-", 25) ||
	    memmem(text, len, "# Warning: ip6tables-legacy", 27))
		return 6;
	/* also iptables-nft-save and iptables-legacy-save */
	if (memmem(text, len, "# Generated by iptables-", 24))
		return 4;
	return 0;
}

/*
 * Whether a "-D" or "--delete" command may be in TEXT.  A dump has a '-'
 * in every few bytes, a 'D' or an 'l' in every hundred: each is looked for
 * from one of those (memmem is slower than two memchr passes).
 */
static bool has_delete(const char *text, size_t len)
{
	const char *p = text + 1, *end = text + len;

	if (len < 3)
		return false;
	while ((p = memchr(p, 'D', (size_t)(end - p)))) {
		if (p[-1] == '-' && end - p >= 2 && (p[1] == ' ' || p[1] == '\t') &&
		    (p - 1 == text || p[-2] == ' ' || p[-2] == '\t' || p[-2] == '\n'))
			return true;
		p++;
	}
	if (len < 8)
		return false;
	for (p = text + 4; (p = memchr(p, 'l', (size_t)(end - 3 - p))); p++)
		if (memcmp(p - 4, "--delete", 8) == 0)
			return true;
	return false;
}

/* Whether a line of TEXT starts with S (N bytes), as "*" or "COMMIT". */
static bool has_line(const char *text, size_t len, const char *s, size_t n)
{
	const char *p = text, *end = text + len;

	while (p && (size_t)(end - p) >= n) {
		if (memcmp(p, s, n) == 0)
			return true;
		p = memchr(p, '\n', (size_t)(end - p));
		if (p)
			p++;
	}
	return false;
}

/* The built-in chains of every table, one bit each in what follows. */
static const char *const builtin_names[] = {
	"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING",
};

/* A "-P CHAIN" line (P at its '-'): CHAIN's bit in builtin_names[] (that
 * is, bit HOOK_* - 1), or 0. */
static unsigned policy_chain(const char *p, const char *end)
{
	const char *w;

	if (end - p < 3 || p[0] != '-' || p[1] != 'P' || (p[2] != ' ' && p[2] != '\t'))
		return 0;
	for (p += 2; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	for (w = p; p < end && !is_blank(*p); p++)
		;
	for (unsigned i = 0; i < sizeof(builtin_names) / sizeof(*builtin_names); i++)
		if (strlen(builtin_names[i]) == (size_t)(p - w) &&
		    memcmp(builtin_names[i], w, (size_t)(p - w)) == 0)
			return 1u << i;
	return 0;
}

/*
 * "iptables -S" output has no "*table" lines: it lists one table (filter,
 * unless "-t" said another), its built-in chains' policies first.  The
 * table whose built-in chains the run of "-P" lines from P names (and
 * *RET_EXACT); where they fit none exactly ("iptables -S INPUT" names
 * one), the first table that has them (ipt_listed_table()), or NULL.
 */
static const char *listed_table(const char *p, const char *end, bool *ret_exact)
{
	unsigned seen = 0, bit;

	while (p < end && (bit = policy_chain(p, end))) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		seen |= bit;
		p = nl ? nl + 1 : end;
	}
	return ipt_listed_table(seen, ret_exact);
}

/*
 * A command line of "iptables -S" output (Q, at the line L): the table it
 * goes to.  A run of "-P" lines after other commands starts another
 * listing ("iptables -S; iptables -t nat -S" pasted together).
 */
static void listed_line(struct ipt_reader *ir, const struct line *l, const char *q,
			const char *end, bool *in_policies)
{
	bool policy = policy_chain(q, l->end) != 0;
	const char *name;
	struct loc loc;
	bool exact = false;

	if (!policy) {
		*in_policies = false;
		if (ir->table)
			return;
	} else if (*in_policies && ir->table) {
		return;
	}
	*in_policies = policy;
	name = policy ? listed_table(q, end, &exact) : NULL;
	if (!name)
		name = ir->table ? ir->table->name : "filter";
	if (ir->table && strcmp(name, ir->table->name) == 0)
		return;
	loc = loc_at(l, q, l->end);
	if (strcmp(name, "filter") == 0)
		ipt_note(ir, &loc, "%sread as 'iptables -S' output%s (the filter table: what it lists without -t)",
			 ir->table ? "" : "no '*table' line: ", ir->table ? " from here" : "");
	else
		ipt_note(ir, &loc, "%sread as 'iptables -t %s -S' output%s (%s)",
			 ir->table ? "" : "no '*table' line: ", name,
			 ir->table ? " from here" : "",
			 exact ? "the '-P' lines name its built-in chains" :
				 "assumed: the first table with the built-in chains the '-P' lines name");
	ir->table = ipt_table(ir, name, &loc);
	ir->last_chain = NULL;
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
	bool crlf = false, bad_table = false, in_policies = false;
	/* no "*table" line and no COMMIT: "iptables -S" output */
	bool listing = !has_line(text, len, "*", 1) && !has_line(text, len, "COMMIT", 6);

	if (!args)
		oom();
	ir.family_fixed = opts && opts->family >= 0;
	ir.family = (uint8_t)(ir.family_fixed ? opts->family : FAM_IP);
	ir.family_known = ir.family_fixed;
	l.file = ruleset_add_file(rs, name, text, len);
	if (!ir.family_fixed) {
		/* the name first: netfilter-persistent loads rules.v4 with
		 * iptables-restore whatever its header says */
		int by_name = name_family(name), by_header = header_family(text, len);
		int fam = by_name ? by_name : by_header;

		if (by_name && by_header && by_name != by_header) {
			struct loc at_loc = { .file = l.file, .line = 1, .col = 1, .col_end = 1 };

			ruleset_diag(rs, DIAG_NOTE, &at_loc,
				     "the header is ip%stables-save's, but a file named so is loaded by ip%stables-restore: read as IPv%d",
				     by_header == 6 ? "6" : "", by_name == 6 ? "6" : "", by_name);
		}
		if (fam == 6) {
			/* known before the first rule: "-4" lines are skipped */
			ir.family = FAM_IP6;
			ir.saw_ip6 = true;
		}
		ir.family_known = fam != 0;
	}
	/* "-D CHAIN RULE" needs every rule's text: kept only if one is there */
	ir.keep_specs = has_delete(text, len);
	while (p < end && !ir.stop) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *q;

		l.start = p;
		l.end = nl ? nl : end;
		l.no++;
		p = nl ? nl + 1 : end;
		if ((size_t)(l.end - l.start) + SPLIT_PAD > bufsize) {
			bufsize = ((size_t)(l.end - l.start) + SPLIT_PAD) * 2;
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
			if (!ir.family_known && l.end - q > 15 &&
			    memmem(q, (size_t)(l.end - q), "ip6tables-save", 14))
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
			ipt_commit(&ir);
			ir.table = NULL;
			bad_table = false;
		} else {
			const char *after = *q == '[' ? counters(q, l.end) : NULL;
			int n;
			struct loc where;

			if (*q == '[' && !after) {
				ipt_error(&ir, &last, "bad counters: '[packets:bytes]' expected");
				continue;
			}
			if (after)
				q = after;
			if (listing)
				listed_line(&ir, &l, q, end, &in_policies);
			n = split(&ir, &l, q, args, buf);
			if (n <= 0)
				continue;
			where = args[0].loc;
			ipt_command(&ir, args, (size_t)n, &where);
		}
	}
	if (ir.table && !ir.stop && !listing)
		ipt_error(&ir, &last, "COMMIT expected: table %s is not committed at the end of the input",
			  ir.table->name);
	ipt_commit(&ir);
	ipt_finish(&ir);
	ipt_reader_release(&ir);
	free(args);
	free(buf);
	return 0;
}
