/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "nft_lex.h"

#define MAX_DEPTH 32	/* nested includes and variables together */

struct src {
	bool is_file;
	/* a file */
	uint32_t file;
	const char *p, *end, *line_start;
	uint32_t line;
	char *path;
	bool ended;		/* its final T_NL was given */
	bool junk_told;		/* a blank nft refuses was reported */
	bool high;		/* the file has a byte above 0x7f somewhere */
	bool high_told;		/* one outside a string was reported */
	bool after_invalid;	/* the last word was "0x... [invalid type]" */
	/* a token list */
	const struct token *toks;
	size_t n, i;
	struct loc use;
};

struct lexer {
	struct ruleset *rs;
	struct src stack[MAX_DEPTH];
	size_t depth;
	struct loc last;	/* of the last token: where the end of input is */
};

struct lexer *lexer_new(struct ruleset *rs)
{
	struct lexer *lx = calloc(1, sizeof(*lx));

	if (!lx)
		oom();
	lx->rs = rs;
	return lx;
}

static void pop(struct lexer *lx)
{
	free(lx->stack[--lx->depth].path);
}

void lexer_free(struct lexer *lx)
{
	if (!lx)
		return;
	while (lx->depth)
		pop(lx);
	free(lx);
}

size_t lexer_depth(const struct lexer *lx)
{
	return lx->depth;
}

const char *lexer_current_path(const struct lexer *lx)
{
	for (size_t i = lx->depth; i-- > 0; )
		if (lx->stack[i].is_file)
			return lx->stack[i].path;
	return NULL;
}

uint32_t lexer_current_file(const struct lexer *lx)
{
	for (size_t i = lx->depth; i-- > 0; )
		if (lx->stack[i].is_file)
			return lx->stack[i].file;
	return 0;
}

/* Whether TEXT (LEN bytes) has a byte above 0x7f: mostly not, and then
 * words need not be looked at twice.  Eight bytes at a time. */
static bool has_high(const char *text, size_t len)
{
	uint64_t acc = 0, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, text + i, 8);
		acc |= w;
	}
	for (; i < len; i++)
		acc |= (unsigned char)text[i];
	return acc & 0x8080808080808080ull;
}

bool lexer_push_file(struct lexer *lx, uint32_t file, const char *path)
{
	const struct source_file *f = &lx->rs->files[file];
	struct src *s;

	if (lx->depth == MAX_DEPTH)
		return false;
	for (size_t i = 0; path && i < lx->depth; i++)
		if (lx->stack[i].path && strcmp(lx->stack[i].path, path) == 0)
			return false;
	s = &lx->stack[lx->depth++];
	memset(s, 0, sizeof(*s));
	s->is_file = true;
	s->file = file;
	s->p = f->text ? f->text : "";
	s->end = s->p + f->len;
	s->line_start = s->p;
	s->line = 1;
	s->high = has_high(s->p, f->len);
	if (f->len >= 3 && memcmp(s->p, "\xef\xbb\xbf", 3) == 0) {
		/* read on, after it, as if it were blanks */
		struct loc loc = { .file = file, .line = 1, .col = 1, .col_end = 1 };

		ruleset_diag(lx->rs, DIAG_ERROR, &loc,
			     "the file starts with a byte order mark (U+FEFF): nft takes it for junk and fails");
		s->p += 3;
	}
	if (path) {
		s->path = strdup(path);
		if (!s->path)
			oom();
	}
	return true;
}

void lexer_push_tokens(struct lexer *lx, const struct token *toks, size_t n,
		       const struct loc *use)
{
	struct src *s;

	if (lx->depth == MAX_DEPTH)
		return;
	s = &lx->stack[lx->depth++];
	memset(s, 0, sizeof(*s));
	s->toks = toks;
	s->n = n;
	s->use = *use;
}

/* Character classes, by table: the lexer looks at every byte. */
enum {
	C_SPACE = 1u << 0,	/* blanks within a line */
	C_DELIM = 1u << 1,	/* ends a word */
	C_IDENT = 1u << 2,	/* in a variable's name */
	C_PUNCT = 1u << 3,	/* a token of its own: { } ( ) ; , */
	C_DOLLAR = 1u << 4,	/* starts a variable, inside a word too */
};

#define SPACE_ C_SPACE | C_DELIM
static const unsigned char cclass[256] = {
	[' '] = SPACE_, ['\t'] = SPACE_, ['\r'] = SPACE_, ['\f'] = SPACE_,
	['\v'] = SPACE_, ['\n'] = C_DELIM, ['\0'] = C_DELIM,
	['{'] = C_DELIM | C_PUNCT, ['}'] = C_DELIM | C_PUNCT,
	['('] = C_DELIM | C_PUNCT, [')'] = C_DELIM | C_PUNCT,
	[';'] = C_DELIM | C_PUNCT, [','] = C_DELIM | C_PUNCT,
	['='] = C_DELIM, ['"'] = C_DELIM, ['#'] = C_DELIM, ['!'] = C_DELIM,
	['<'] = C_DELIM, ['>'] = C_DELIM, ['$'] = C_DOLLAR,
	['_'] = C_IDENT,
	['0'] = C_IDENT, ['1'] = C_IDENT, ['2'] = C_IDENT, ['3'] = C_IDENT,
	['4'] = C_IDENT, ['5'] = C_IDENT, ['6'] = C_IDENT, ['7'] = C_IDENT,
	['8'] = C_IDENT, ['9'] = C_IDENT,
	['a'] = C_IDENT, ['b'] = C_IDENT, ['c'] = C_IDENT, ['d'] = C_IDENT,
	['e'] = C_IDENT, ['f'] = C_IDENT, ['g'] = C_IDENT, ['h'] = C_IDENT,
	['i'] = C_IDENT, ['j'] = C_IDENT, ['k'] = C_IDENT, ['l'] = C_IDENT,
	['m'] = C_IDENT, ['n'] = C_IDENT, ['o'] = C_IDENT, ['p'] = C_IDENT,
	['q'] = C_IDENT, ['r'] = C_IDENT, ['s'] = C_IDENT, ['t'] = C_IDENT,
	['u'] = C_IDENT, ['v'] = C_IDENT, ['w'] = C_IDENT, ['x'] = C_IDENT,
	['y'] = C_IDENT, ['z'] = C_IDENT,
	['A'] = C_IDENT, ['B'] = C_IDENT, ['C'] = C_IDENT, ['D'] = C_IDENT,
	['E'] = C_IDENT, ['F'] = C_IDENT, ['G'] = C_IDENT, ['H'] = C_IDENT,
	['I'] = C_IDENT, ['J'] = C_IDENT, ['K'] = C_IDENT, ['L'] = C_IDENT,
	['M'] = C_IDENT, ['N'] = C_IDENT, ['O'] = C_IDENT, ['P'] = C_IDENT,
	['Q'] = C_IDENT, ['R'] = C_IDENT, ['S'] = C_IDENT, ['T'] = C_IDENT,
	['U'] = C_IDENT, ['V'] = C_IDENT, ['W'] = C_IDENT, ['X'] = C_IDENT,
	['Y'] = C_IDENT, ['Z'] = C_IDENT,
};
#undef SPACE_

static bool is_space(char c)
{
	return cclass[(unsigned char)c] & C_SPACE;
}

static bool is_ident(char c)
{
	return cclass[(unsigned char)c] & C_IDENT;
}

static void set_loc(struct src *s, struct token *t, const char *start,
		    const char *end)
{
	t->loc.file = s->file;
	t->loc.line = s->line;
	t->loc.col = (uint32_t)(start - s->line_start) + 1;
	t->loc.col_end = (uint32_t)(end - s->line_start) + 1;
	if (t->loc.col_end < t->loc.col)
		t->loc.col_end = t->loc.col;
}

/*
 * A blank at P other than a space or a tab: nft's scanner takes only those
 * between words and fails on the rest ("unexpected junk"), a carriage
 * return of a file written with CRLF line ends first of all.  Reported
 * once per file, at the first.
 */
static void junk_blank(struct lexer *lx, struct src *s, const char *p)
{
	struct token t;

	if (s->junk_told)
		return;
	s->junk_told = true;
	set_loc(s, &t, p, p);
	if (*p == '\r' && p + 1 < s->end && p[1] == '\n')
		ruleset_diag(lx->rs, DIAG_ERROR, &t.loc,
			     "the line ends with a carriage return (CRLF line endings): nft takes it for junk and fails");
	else
		ruleset_diag(lx->rs, DIAG_ERROR, &t.loc,
			     "a %s between words: nft takes only spaces and tabs there and fails",
			     *p == '\r' ? "carriage return" : *p == '\f' ? "form feed" :
			     "vertical tab");
}

/*
 * A byte above 0x7f in a word at P: nft's scanner takes only ASCII outside
 * quoted strings and comments ("unexpected junk"), and text pasted from a
 * web page or a word processor brings no-break spaces and typographic
 * quotes.  Reported once per file, at the first; the word is read on.
 */
static void junk_high(struct lexer *lx, struct src *s, const char *p)
{
	static const struct { const char *bytes, *what; } known[] = {
		{ "\xc2\xa0", "a no-break space (U+00A0)" },
		{ "\xe2\x80\x8b", "a zero-width space (U+200B)" },
		{ "\xe2\x80\x98", "a typographic quote (U+2018)" },
		{ "\xe2\x80\x99", "a typographic quote (U+2019)" },
		{ "\xe2\x80\x9c", "a typographic quote (U+201C)" },
		{ "\xe2\x80\x9d", "a typographic quote (U+201D)" },
	};
	const char *what = "a byte that is not ASCII";
	struct token t;

	if (s->high_told)
		return;
	s->high_told = true;
	for (size_t k = 0; k < sizeof(known) / sizeof(*known); k++) {
		size_t n = strlen(known[k].bytes);

		if ((size_t)(s->end - p) >= n && memcmp(p, known[k].bytes, n) == 0)
			what = known[k].what;
	}
	set_loc(s, &t, p, p);
	ruleset_diag(lx->rs, DIAG_ERROR, &t.loc,
		     "%s outside a quoted string: nft takes it for junk and fails", what);
}

/* A no-break space (U+00A0) at P. */
static bool is_nbsp(const char *p, const char *end)
{
	return end - p >= 2 && p[0] == '\xc2' && p[1] == '\xa0';
}

/* One token from a file; false at its end. */
/*
 * After the word T: nft lists a value it cannot type as "0x7d0 [invalid
 * type]" ("ct original proto-dst 0x7d0 [invalid type]-0x7d2 [invalid
 * type]" after "ct protocol { tcp, udp }" in an inet table).  The note
 * is skipped, the number read as the value the kernel holds: nft cannot
 * load it back, but such text only ever comes from its listing.  Whether
 * a '-' right after it joins a range.
 */
static bool invalid_type(struct src *s, const struct token *t)
{
	static const char note[] = " [invalid type]";
	size_t n = sizeof(note) - 1;

	if (t->len < 3 || t->s[0] != '0' || (t->s[1] != 'x' && t->s[1] != 'X') ||
	    strspn(t->s + 2, "0123456789abcdefABCDEF") != t->len - 2 ||
	    (size_t)(s->end - s->p) < n || memcmp(s->p, note, n) != 0)
		return false;
	s->p += n;
	return s->p < s->end && *s->p == '-';
}

static bool file_next(struct lexer *lx, struct src *s, struct token *t)
{
	const char *p = s->p, *start;
	bool continued = false, after_invalid = s->after_invalid;

	s->after_invalid = false;
	for (;;) {
		while (p < s->end && is_space(*p)) {
			if (*p != ' ' && *p != '\t')
				junk_blank(lx, s, p);
			p++;
		}
		if (s->high && is_nbsp(p, s->end)) {
			/* reported, and read as the blank it was meant to be */
			junk_high(lx, s, p);
			p += 2;
			continue;
		}
		if (p + 1 < s->end && *p == '\\' && (p[1] == '\n' ||
		    (p[1] == '\r' && p + 2 < s->end && p[2] == '\n'))) {
			/* a continuation line */
			if (p[1] == '\r')
				junk_blank(lx, s, p + 1);
			p += p[1] == '\n' ? 2 : 3;
			s->line++;
			s->line_start = p;
			continued = true;
			continue;
		}
		if (p < s->end && *p == '#') {
			while (p < s->end && *p != '\n')
				p++;
			/* nft takes a comment line inside a continuation whole,
			 * with its newline: the statement goes on. */
			if (continued && p < s->end) {
				p++;
				s->line++;
				s->line_start = p;
			}
			continue;
		}
		break;
	}
	if (p >= s->end) {
		s->p = p;
		return false;
	}
	memset(t, 0, sizeof(*t));
	start = p;
	if (*p == '\n') {
		t->type = T_NL;
		set_loc(s, t, p, p);
		s->line++;
		s->line_start = p + 1;
		s->p = p + 1;
		return true;
	}
	if (*p == '"') {
		/* nft lets a quoted string run over lines. */
		const char *q = ++p, *line_start = s->line_start;
		uint32_t line = s->line;

		while (q < s->end && *q != '"') {
			if (*q == '\n') {
				s->line++;
				s->line_start = q + 1;
			}
			q++;
		}
		t->type = T_STRING;
		t->s = p;
		t->len = (uint32_t)(q - p);
		t->loc.file = s->file;
		t->loc.line = line;
		t->loc.col = (uint32_t)(start - line_start) + 1;
		t->loc.col_end = line == s->line ? (uint32_t)(q - line_start) + 1 :
						   t->loc.col;
		if (q < s->end) {
			q++;
		} else {
			ruleset_diag(lx->rs, DIAG_ERROR, &t->loc,
				     "unterminated string");
		}
		s->p = q;
		return true;
	}
	if (cclass[(unsigned char)*p] & C_PUNCT) {
		t->type = T_PUNCT;
		t->punct = *p;
		t->s = p;
		t->len = 1;
		set_loc(s, t, p, p);
		s->p = p + 1;
		return true;
	}
	if (*p == '!' || *p == '<' || *p == '>' || *p == '=') {
		bool eq = p + 1 < s->end && p[1] == '=';

		t->type = T_PUNCT;
		t->punct = !eq ? *p : *p == '!' ? P_NE : *p == '<' ? P_LE :
			   *p == '>' ? P_GE : P_EQ;
		t->s = p;
		t->len = eq ? 2 : 1;
		set_loc(s, t, p, p + t->len - 1);
		s->p = p + t->len;
		return true;
	}
	if (*p == '$') {
		/* A variable ends where its name does: "$host:80"; names may
		 * hold '-' and '.' inside ("$web-ports", "$lan.net"). */
		p++;
		while (p < s->end && (is_ident(*p) ||
				      ((*p == '-' || *p == '.') && p + 1 < s->end &&
				       is_ident(p[1]))))
			p++;
	} else if (*p == '-' && after_invalid && p == s->p) {
		p++;	/* "0x7d0 [invalid type]-0x7d2 ...": the range's '-' */
	} else {
		/* A variable inside a word starts a new token: ":$port". */
		for (p++; p < s->end && !(cclass[(unsigned char)*p] & (C_DELIM | C_DOLLAR)); )
			p++;
		if (s->high) {
			/* the word ends at a no-break space, as meant */
			for (const char *q = start; q < p; q++) {
				if (q > start && is_nbsp(q, s->end)) {
					p = q;
					break;
				}
				if ((unsigned char)*q > 0x7f)
					junk_high(lx, s, q);
			}
		}
	}
	t->type = T_WORD;
	t->s = start;
	t->len = (uint32_t)(p - start);
	set_loc(s, t, start, p - 1);
	s->p = p;
	/* "0x7d0 [invalid type]": a hex number, then a blank */
	if (*start == '0' && p < s->end && *p == ' ')
		s->after_invalid = invalid_type(s, t);
	return true;
}

void lexer_next(struct lexer *lx, struct token *ret)
{
	while (lx->depth) {
		struct src *s = &lx->stack[lx->depth - 1];

		if (!s->is_file) {
			if (s->i < s->n) {
				*ret = s->toks[s->i++];
				ret->use = s->use;
				lx->last = s->use;
				return;
			}
			pop(lx);
			continue;
		}
		if (file_next(lx, s, ret)) {
			if (s->file == lx->stack[0].file)
				lx->last = ret->loc;
			return;
		}
		if (!s->ended) {
			/* End the last statement of a file without a newline. */
			s->ended = true;
			memset(ret, 0, sizeof(*ret));
			ret->type = T_NL;
			set_loc(s, ret, s->p, s->p);
			return;
		}
		pop(lx);
	}
	memset(ret, 0, sizeof(*ret));
	ret->type = T_EOF;
	ret->loc = lx->last;
}
