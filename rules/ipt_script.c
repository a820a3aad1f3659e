/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shell scripts that configure iptables, read statically: what the script
 * would load, found without running it.  The text is cut into tokens as sh
 * cuts it (quotes, expansions, here-documents, operators), then walked
 * command by command with the variables it assigns; every iptables command
 * whose arguments are known goes to ipt_command().  What depends on the run
 * (loops, case, if/else, function bodies, command substitutions, the
 * script's parameters, eval, sourced files) is noted where it is written,
 * never guessed.
 *
 * Limits keep fuzzed input cheap: nesting is capped, a word may expand to
 * 64 KiB and a command to 1 MiB, all variables together may hold 16 MiB.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipt.h"

#define MAX_NEST	64			/* quotes and expansions in each other */
#define MAX_DEPTH	64			/* compound commands in each other */
#define MAX_WORD	(64 * 1024)		/* one word, expanded */
#define MAX_COMMAND	(1024 * 1024)		/* one command's words, expanded */
#define MAX_VARTEXT	(16 * 1024 * 1024)	/* every variable's value */
#define MAX_ASSIGNED	4096			/* names one function assigns (each call taints them) */
#define MAX_ARGS	4096
#define MAX_HEREDOCS	16
#define MAX_UNSET	4

/* --- tokens ------------------------------------------------------------------ */

enum tok_kind {
	T_EOF,
	T_WORD,
	T_NL,
	T_SEMI,
	T_AMP,
	T_PIPE,		/* | and |& */
	T_AND,
	T_OR,
	T_LPAREN,
	T_RPAREN,
	T_DSEMI,	/* ;; ;& ;;& */
	T_REDIR,	/* [n]>, >>, <, <<, <<-, <<<, >&, &> ... */
};

/* How a word is written. */
enum {
	W_QUOTED	= 1u << 0,	/* quotes or a backslash */
	W_EXPAND	= 1u << 1,	/* $NAME ${...} $(...) $((...)) `...` */
	W_SPLICE	= 1u << 2,	/* over several lines */
	W_BAD		= 1u << 3,	/* unterminated */
	W_ARRAY		= 1u << 4,	/* NAME=( ... ) */
	W_DEEP		= 1u << 5,	/* nested too deeply to follow */
};

/* What a redirection does. */
enum {
	R_HEREDOC	= 1u << 0,
	R_INPUT		= 1u << 1,	/* < FILE */
};

/* What looking ahead found out about an "if". */
enum {
	IF_SCANNED	= 1u << 0,
	IF_ELSE		= 1u << 1,	/* it has elif or else */
	IF_MATTERS	= 1u << 2,	/* iptables commands or assignments inside */
};

struct tok {
	size_t off, end;	/* in the source text */
	uint8_t kind;		/* enum tok_kind */
	uint8_t flags;		/* W_* for words, R_* for redirections */
	uint8_t scan;		/* IF_* of an "if" */
	size_t body, body_end;	/* a here-document's lines */
};

/* --- variables and functions --------------------------------------------------- */

/* Why a variable's value is not known. */
struct reason {
	const char *what;	/* "set from a command substitution" */
	uint32_t line;
};

enum {
	VAR_UNSET,
	VAR_KNOWN,
	VAR_UNKNOWN,
};

struct sym {
	char *name;
	size_t nlen;
	/* variables */
	uint8_t state;
	char *value;		/* VAR_KNOWN */
	size_t len;
	struct reason why;	/* VAR_UNKNOWN */
	/* functions */
	uint32_t line;
	unsigned nipt;		/* iptables commands in the body */
	bool makes_chains;	/* one of them may make a chain (-N, -E ...) */
	char *assigned;		/* names the body assigns, each NUL-terminated */
	size_t alen, acap;
};

/* Open addressing over pointers: a struct sym never moves once made. */
struct symtab {
	struct sym **v;
	size_t n, cap;
};

struct script {
	struct ipt_reader ir;
	const char *t;
	size_t n;
	uint32_t file;
	size_t *lines;		/* offset of each line's start */
	size_t nlines, alines;
	size_t line_hint;	/* the last line looked up: most often the next */
	struct tok *toks;	/* ends with T_EOF */
	size_t ntoks, atoks;
	size_t pos;
	unsigned depth;
	struct symtab vars, funcs;
	size_t vartext;
	bool exited;		/* an "exit" at the top level */
	uint32_t exit_line;
	bool stray_noted;
};

/* Where commands are read and what happens to them. */
struct count {
	unsigned ipt;		/* iptables commands */
	unsigned assign;	/* assignments */
};

struct ctx {
	bool exec;		/* run what is read */
	bool dry;		/* only look ahead: no notes, no effects */
	bool notes;		/* note each iptables command that is not run */
	bool taint;		/* what is assigned here becomes unknown */
	const char *taint_what;
	struct sym *fn;		/* a function body: collects what it assigns */
	struct count *count;
	char what[192];		/* why commands here are not run */
};

/* --- helpers ------------------------------------------------------------------- */

static char *memdup0(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (!p)
		oom();
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* For "%.*s" of text that may be long. */
static int clip(size_t len)
{
	return len > 64 ? 64 : (int)len;
}

static bool is_blank(char c)
{
	/* NUL too: sh drops it, and it would cut arguments short */
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' ||
	       c == '\0';
}

static bool is_meta(char c)
{
	return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' ||
	       c == '(' || c == ')';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || is_digit(c);
}

/* $1, $@, $?, ...: parameters of the script or the shell. */
static bool is_special(char c)
{
	switch (c) {
	case '@': case '*': case '#': case '?': case '$': case '!': case '-':
		return true;
	default:
		return is_digit(c);
	}
}

/* What field splitting splits on (IFS is assumed to be the default). */
static bool is_ifs(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static size_t adv(size_t i, size_t k, size_t n)
{
	return i + k < n ? i + k : n;
}

/* --- locations ------------------------------------------------------------------ */

static void index_lines(struct script *s)
{
	const char *p = s->t, *end = s->t + s->n;

	s->lines = grow_array(NULL, &s->alines, 64, sizeof(*s->lines));
	s->lines[s->nlines++] = 0;
	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		p++;
		s->lines = grow_array(s->lines, &s->alines, s->nlines + 1, sizeof(*s->lines));
		s->lines[s->nlines++] = (size_t)(p - s->t);
	}
}

static size_t line_of(struct script *s, size_t off)
{
	size_t lo = 0, hi = s->nlines, h = s->line_hint;

	if (s->lines[h] <= off && (h + 1 == s->nlines || off < s->lines[h + 1]))
		return h;
	if (h + 1 < s->nlines && s->lines[h + 1] <= off &&
	    (h + 2 == s->nlines || off < s->lines[h + 2]))
		return s->line_hint = h + 1;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return s->line_hint = lo;
}

/* The span [OFF, END); one that goes on to later lines ends with its first. */
static struct loc loc_of(struct script *s, size_t off, size_t end)
{
	size_t i = line_of(s, off);
	size_t eol = i + 1 < s->nlines ? s->lines[i + 1] - 1 : s->n;
	struct loc l = {
		.file = s->file,
		.line = (uint32_t)(i + 1),
		.col = (uint32_t)(off - s->lines[i] + 1),
	};

	if (end > eol)
		end = eol;
	l.col_end = end > off ? (uint32_t)(end - s->lines[i]) : l.col;
	return l;
}

static struct loc tok_loc(struct script *s, const struct tok *tk)
{
	return loc_of(s, tk->off, tk->end);
}

/* --- scanning: where a quoted string or an expansion ends ------------------- */

static size_t scan_dollar(const char *t, size_t i, size_t n, unsigned depth,
			  bool dq, uint8_t *fl);

/* From after an opening quote: past the closing one. */
static size_t scan_squote(const char *t, size_t i, size_t n, uint8_t *fl)
{
	const char *q = i < n ? memchr(t + i, '\'', n - i) : NULL;

	if (!q) {
		*fl |= W_BAD;
		return n;
	}
	return (size_t)(q - t) + 1;
}

/* From after $' or `: past the closing CLOSE, backslashes escaping. */
static size_t scan_escaped(const char *t, size_t i, size_t n, char close,
			   uint8_t *fl)
{
	while (i < n) {
		if (t[i] == '\\')
			i = adv(i, 2, n);
		else if (t[i] == close)
			return i + 1;
		else
			i++;
	}
	*fl |= W_BAD;
	return n;
}

static size_t scan_dquote(const char *t, size_t i, size_t n, unsigned depth,
			  uint8_t *fl)
{
	while (i < n) {
		switch (t[i]) {
		case '\\':
			i = adv(i, 2, n);
			break;
		case '"':
			return i + 1;
		case '$':
			i = scan_dollar(t, i, n, depth + 1, true, fl);
			break;
		case '`':
			*fl |= W_EXPAND;
			i = scan_escaped(t, i + 1, n, '`', fl);
			break;
		default:
			i++;
		}
	}
	*fl |= W_BAD;
	return n;
}

/*
 * From after "${" or "$(": past the matching CLOSE.  In "${...}" inside
 * double quotes (DQ) a single quote is an ordinary character.
 */
static size_t scan_nested(const char *t, size_t i, size_t n, unsigned depth,
			  bool dq, char close, uint8_t *fl)
{
	unsigned open = 1;

	if (depth > MAX_NEST) {
		*fl |= W_BAD | W_DEEP;
		return n;
	}
	while (i < n) {
		char c = t[i];

		if (c == '\\') {
			i = adv(i, 2, n);
		} else if (c == '\'' && !dq) {
			i = scan_squote(t, i + 1, n, fl);
		} else if (c == '"') {
			i = scan_dquote(t, i + 1, n, depth + 1, fl);
		} else if (c == '`') {
			i = scan_escaped(t, i + 1, n, '`', fl);
		} else if (c == '$') {
			i = scan_dollar(t, i, n, depth + 1, dq, fl);
		} else if (c == '(' && close == ')') {
			open++;
			i++;
		} else if (c == close) {
			if (--open == 0)
				return i + 1;
			i++;
		} else {
			i++;
		}
	}
	*fl |= W_BAD;
	return n;
}

/* At '$': past what it expands. */
static size_t scan_dollar(const char *t, size_t i, size_t n, unsigned depth,
			  bool dq, uint8_t *fl)
{
	char c = i + 1 < n ? t[i + 1] : '\0';

	if (depth > MAX_NEST) {
		*fl |= W_BAD | W_DEEP;
		return n;
	}
	if (c == '{' || c == '(') {
		*fl |= W_EXPAND;
		return scan_nested(t, i + 2, n, depth + 1, c == '{' && dq,
				   c == '{' ? '}' : ')', fl);
	}
	if (c == '\'' && !dq) {
		*fl |= W_QUOTED;
		return scan_escaped(t, i + 2, n, '\'', fl);
	}
	if (c == '"' && !dq) {
		*fl |= W_QUOTED;
		return scan_dquote(t, i + 2, n, depth + 1, fl);
	}
	if (is_name_start(c) || is_special(c))
		*fl |= W_EXPAND;
	return i + 1;
}

/* A backslash-newline, with the CR of a CRLF line: its length, or 0. */
static size_t splice_len(const char *t, size_t i, size_t n)
{
	if (i + 1 < n && t[i] == '\\' && t[i + 1] == '\n')
		return 2;
	if (i + 2 < n && t[i] == '\\' && t[i + 1] == '\r' && t[i + 2] == '\n')
		return 3;
	return 0;
}

/*
 * A word from I: returns where scanning stopped; *RET_END is where the word
 * ends, before any backslash-newline it ends with ("ACCEPT\" at the end of
 * a line is still the word ACCEPT as written).
 */
static size_t scan_word(const char *t, size_t i, size_t n, uint8_t *fl,
			size_t *ret_end)
{
	size_t start = i, end = i;
	bool spliced = false;

	while (i < n) {
		char c = t[i];
		size_t k = splice_len(t, i, n);

		if (k) {
			spliced = true;
			i += k;
			continue;
		}
		if (is_blank(c) || c == '\n' || is_meta(c))
			break;
		if (spliced)
			*fl |= W_SPLICE;
		switch (c) {
		case '\\':
			*fl |= W_QUOTED;
			i = adv(i, 2, n);
			break;
		case '\'':
			*fl |= W_QUOTED;
			i = scan_squote(t, i + 1, n, fl);
			break;
		case '"':
			*fl |= W_QUOTED;
			i = scan_dquote(t, i + 1, n, 0, fl);
			break;
		case '$':
			i = scan_dollar(t, i, n, 0, false, fl);
			break;
		case '`':
			*fl |= W_EXPAND;
			i = scan_escaped(t, i + 1, n, '`', fl);
			break;
		default:
			i++;
		}
		end = i;
	}
	if (memchr(t + start, '\n', end - start))
		*fl |= W_SPLICE;
	*ret_end = end;
	return i;
}

/* --- the lexer --------------------------------------------------------------------- */

struct heredoc {
	size_t tok;		/* its "<<" */
	char delim[256];
	size_t len;
	bool strip;		/* <<-: leading tabs go */
};

struct lexer {
	struct script *s;
	struct heredoc here[MAX_HEREDOCS];
	unsigned nhere;
	size_t want;		/* a "<<" waiting for its delimiter: token + 1 */
	bool strip;
};

static size_t push(struct script *s, enum tok_kind kind, size_t off, size_t end,
		   uint8_t flags)
{
	s->toks = grow_array(s->toks, &s->atoks, s->ntoks + 1, sizeof(*s->toks));
	s->toks[s->ntoks] = (struct tok){
		.off = off, .end = end, .kind = (uint8_t)kind, .flags = flags,
	};
	return s->ntoks++;
}

/* The word after "<<" is the delimiter, its quotes removed. */
static void heredoc_word(struct lexer *lx, const struct tok *w)
{
	const char *t = lx->s->t;
	struct heredoc *h;

	if (lx->nhere == MAX_HEREDOCS) {
		struct loc loc = tok_loc(lx->s, w);

		ipt_error(&lx->s->ir, &loc, "more than %d here-documents on one line",
			  MAX_HEREDOCS);
		return;
	}
	h = &lx->here[lx->nhere++];
	h->tok = lx->want - 1;
	h->strip = lx->strip;
	h->len = 0;
	for (size_t i = w->off; i < w->end && h->len < sizeof(h->delim); i++) {
		if (t[i] == '\'' || t[i] == '"')
			continue;
		if (t[i] == '\\' && i + 1 < w->end)
			i++;
		h->delim[h->len++] = t[i];
	}
}

/* I is just after a newline: past the bodies of the here-documents due. */
static size_t read_heredocs(struct lexer *lx, size_t i)
{
	struct script *s = lx->s;
	const char *t = s->t;

	for (unsigned h = 0; h < lx->nhere; h++) {
		const struct heredoc *hd = &lx->here[h];
		size_t start = i, end = s->n;

		while (i < s->n) {
			const char *nl = memchr(t + i, '\n', s->n - i);
			size_t le = nl ? (size_t)(nl - t) : s->n, ls = i, e = le;

			if (hd->strip)
				while (ls < le && t[ls] == '\t')
					ls++;
			if (e > ls && t[e - 1] == '\r')
				e--;
			if (e - ls == hd->len && memcmp(t + ls, hd->delim, hd->len) == 0) {
				end = i;
				i = nl ? le + 1 : s->n;
				break;
			}
			i = nl ? le + 1 : s->n;
		}
		s->toks[hd->tok].body = start;
		s->toks[hd->tok].body_end = end;
	}
	lx->nhere = 0;
	return i;
}

/* Digits then '<' or '>': a redirection of that file descriptor. */
static bool io_number(const char *t, size_t i, size_t n)
{
	size_t j = i;

	while (j < n && is_digit(t[j]))
		j++;
	return j > i && j < n && (t[j] == '<' || t[j] == '>');
}

static size_t lex_op(struct lexer *lx, size_t i)
{
	struct script *s = lx->s;
	const char *t = s->t;
	size_t n = s->n, start = i, len = 1;
	enum tok_kind kind;
	uint8_t flags = 0;
	char c, d, e;

	while (i < n && is_digit(t[i]))
		i++;
	c = t[i];
	d = i + 1 < n ? t[i + 1] : '\0';
	e = i + 2 < n ? t[i + 2] : '\0';
	lx->want = 0;
	switch (c) {
	case ';':
		kind = d == ';' || d == '&' ? T_DSEMI : T_SEMI;
		len = d == ';' && e == '&' ? 3 : kind == T_DSEMI ? 2 : 1;
		break;
	case '&':
		kind = d == '&' ? T_AND : d == '>' ? T_REDIR : T_AMP;
		len = d == '>' && e == '>' ? 3 : kind == T_AMP ? 1 : 2;
		break;
	case '|':
		kind = d == '|' ? T_OR : T_PIPE;
		len = d == '|' || d == '&' ? 2 : 1;
		break;
	case '(':
		kind = T_LPAREN;
		break;
	case ')':
		kind = T_RPAREN;
		break;
	case '<':
		kind = T_REDIR;
		if (d == '<' && e == '<') {
			len = 3;
		} else if (d == '<') {
			flags = R_HEREDOC;
			len = e == '-' ? 3 : 2;
		} else if (d == '&' || d == '>') {
			len = 2;
		} else {
			flags = R_INPUT;
		}
		break;
	default:	/* '>' */
		kind = T_REDIR;
		len = d == '>' || d == '&' || d == '|' ? 2 : 1;
		break;
	}
	i += len;
	if (flags & R_HEREDOC) {
		lx->want = push(s, kind, start, i, flags) + 1;
		lx->strip = len == 3;
	} else {
		push(s, kind, start, i, flags);
	}
	return i;
}

/*
 * A carriage return, vertical tab or form feed at T[I] between words: sh
 * splits words only at spaces, tabs and newlines, so it is part of a word
 * there, and the command fails (a script saved with CRLF line ends first
 * of all: "ACCEPT\r").  Reported once per file; the script is read on as
 * if it were a space.
 */
static void junk_blank(struct script *s, size_t i)
{
	struct loc loc;

	if (s->ir.junk_told)
		return;
	s->ir.junk_told = true;
	loc = loc_of(s, i, i + 1);
	if (s->t[i] == '\r' && i + 1 < s->n && s->t[i + 1] == '\n')
		ipt_error(&s->ir, &loc, "the line ends with a carriage return (CRLF line endings): sh reads it as part of the last word, and the command fails");
	else
		ipt_error(&s->ir, &loc, "a %s between words: sh splits words only at spaces, tabs and newlines, and reads it as part of a word",
			  s->t[i] == '\r' ? "carriage return" : s->t[i] == '\f' ? "form feed" :
			  "vertical tab");
}

static void lex(struct script *s)
{
	struct lexer lx = { .s = s };
	const char *t = s->t;
	size_t n = s->n, i = 0;

	while (i < n) {
		char c = t[i];
		size_t start = i, end, k;
		uint8_t fl = 0;

		if (is_blank(c)) {
			if (c == '\r' || c == '\v' || c == '\f')
				junk_blank(s, i);
			i++;
		} else if ((k = splice_len(t, i, n))) {
			i += k;
		} else if (c == '#') {
			const char *nl = memchr(t + i, '\n', n - i);

			i = nl ? (size_t)(nl - t) : n;
		} else if (c == '\n') {
			push(s, T_NL, i, i + 1, 0);
			lx.want = 0;
			i = read_heredocs(&lx, i + 1);
		} else if (is_meta(c) || io_number(t, i, n)) {
			i = lex_op(&lx, i);
		} else {
			i = scan_word(t, i, n, &fl, &end);
			k = push(s, T_WORD, start, end, fl);
			if (fl & W_BAD) {
				struct loc loc = tok_loc(s, &s->toks[k]);

				if (fl & W_DEEP)
					ipt_error(&s->ir, &loc, "quotes and expansions nested more than %d deep: the rest of the script is not read",
						  MAX_NEST / 2);
				else
					ipt_error(&s->ir, &loc, "unterminated quoted string or expansion: sh stops reading the script here");
			}
			if (lx.want)
				heredoc_word(&lx, &s->toks[k]);
			lx.want = 0;
		}
	}
	push(s, T_EOF, n, n, 0);
}

/* --- symbols ---------------------------------------------------------------------- */

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static struct sym **sym_slot(struct sym **v, size_t cap, const char *name,
			     size_t len)
{
	size_t i = (size_t)hash(name, len) & (cap - 1);

	while (v[i] && (v[i]->nlen != len || memcmp(v[i]->name, name, len)))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static struct sym *sym_get(struct symtab *tab, const char *name, size_t len,
			   bool create)
{
	struct sym **e;

	if (create && (tab->n + 1) * 2 > tab->cap) {
		size_t cap = tab->cap ? tab->cap * 2 : 64;
		struct sym **v = calloc(cap, sizeof(*v));

		if (!v)
			oom();
		for (size_t i = 0; i < tab->cap; i++)
			if (tab->v[i])
				*sym_slot(v, cap, tab->v[i]->name, tab->v[i]->nlen) = tab->v[i];
		free(tab->v);
		tab->v = v;
		tab->cap = cap;
	}
	if (!tab->cap)
		return NULL;
	e = sym_slot(tab->v, tab->cap, name, len);
	if (!*e && create) {
		*e = calloc(1, sizeof(**e));
		if (!*e)
			oom();
		(*e)->name = memdup0(name, len);
		(*e)->nlen = len;
		tab->n++;
	}
	return *e;
}

static void symtab_release(struct symtab *tab)
{
	for (size_t i = 0; i < tab->cap; i++) {
		if (!tab->v[i])
			continue;
		free(tab->v[i]->name);
		free(tab->v[i]->value);
		free(tab->v[i]->assigned);
		free(tab->v[i]);
	}
	free(tab->v);
}

static void var_clear(struct script *s, struct sym *v)
{
	if (v->value) {
		s->vartext -= v->len;
		free(v->value);
		v->value = NULL;
	}
	v->len = 0;
}

static void var_unknown(struct script *s, const char *name, size_t nlen,
			struct reason why)
{
	struct sym *v = sym_get(&s->vars, name, nlen, true);

	var_clear(s, v);
	v->state = VAR_UNKNOWN;
	v->why = why;
}

/* NAME=VAL, or NAME+=VAL if APPEND. */
static void var_set(struct script *s, const char *name, size_t nlen,
		    const char *val, size_t len, bool append, uint32_t line)
{
	struct sym *v = sym_get(&s->vars, name, nlen, true);
	size_t old = append && v->state == VAR_KNOWN ? v->len : 0;
	char *nv;

	if (append && v->state == VAR_UNKNOWN)
		return;
	if (old + len > MAX_WORD || s->vartext + len > MAX_VARTEXT) {
		var_unknown(s, name, nlen, (struct reason){ "longer than this reader follows (64 KiB)", line });
		return;
	}
	nv = malloc(old + len + 1);
	if (!nv)
		oom();
	if (old)
		memcpy(nv, v->value, old);
	if (len)
		memcpy(nv + old, val, len);
	nv[old + len] = '\0';
	var_clear(s, v);
	v->value = nv;
	v->len = old + len;
	v->state = VAR_KNOWN;
	s->vartext += v->len;
}

static void var_unset(struct script *s, const char *name, size_t nlen)
{
	struct sym *v = sym_get(&s->vars, name, nlen, false);

	if (v) {
		var_clear(s, v);
		v->state = VAR_UNSET;
	}
}

static void fn_collect(struct sym *fn, const char *name, size_t nlen)
{
	if (fn->alen + nlen + 1 > MAX_ASSIGNED)
		return;
	fn->assigned = grow_array(fn->assigned, &fn->acap, fn->alen + nlen + 1, 1);
	memcpy(fn->assigned + fn->alen, name, nlen);
	fn->alen += nlen;
	fn->assigned[fn->alen++] = '\0';
}

/* --- expansion --------------------------------------------------------------------- */

struct unset_use {
	struct loc loc;
	char name[48];
};

/* What expanding one word found. */
struct xres {
	bool unknown;		/* its value is not known statically: */
	struct loc loc;		/* where, */
	char msg[192];		/* why, */
	struct reason why;	/* and for a variable set from it */
	unsigned nunset;	/* unset variables it uses */
	struct unset_use unset[MAX_UNSET];
};

struct xctx {
	struct script *s;
	bool effects;		/* ${NAME:=word} assigns */
	struct xres *r;
};

struct field {
	size_t off, len;	/* in fields.buf, NUL-terminated */
	size_t word;		/* the word it comes from */
};

/* The fields words expand to, after quote removal and field splitting. */
struct fields {
	char *buf;
	size_t len, cap;
	struct field *f;
	size_t n, a;
	bool open;		/* a field has begun */
	size_t start;		/* its text */
	size_t word;
	size_t wstart;		/* the word's text */
	bool toolong;
};

static const char *field(const struct fields *w, size_t i)
{
	return w->buf + w->f[i].off;
}

static void fields_open(struct fields *w)
{
	if (!w->open) {
		w->open = true;
		w->start = w->len;
	}
}

static void fields_put(struct fields *w, char c)
{
	fields_open(w);
	if (c == '\0')
		return;
	if (w->len - w->wstart >= MAX_WORD || w->len >= MAX_COMMAND) {
		w->toolong = true;
		return;
	}
	w->buf = grow_array(w->buf, &w->cap, w->len + 2, 1);
	w->buf[w->len++] = c;
}

static void fields_end(struct fields *w)
{
	if (!w->open)
		return;
	w->buf = grow_array(w->buf, &w->cap, w->len + 1, 1);
	w->buf[w->len++] = '\0';
	w->f = grow_array(w->f, &w->a, w->n + 1, sizeof(*w->f));
	w->f[w->n++] = (struct field){ w->start, w->len - w->start - 1, w->word };
	w->open = false;
}

static void fields_release(struct fields *w)
{
	free(w->buf);
	free(w->f);
}

/* A value put in place; SPLIT if it is subject to field splitting. */
static void put_value(struct fields *w, const char *v, size_t len, bool split)
{
	for (size_t i = 0; i < len && !w->toolong; i++) {
		if (split && is_ifs(v[i]))
			fields_end(w);
		else
			fields_put(w, v[i]);
	}
}

static bool unknown(struct xctx *x, size_t off, size_t end, const char *what,
		    const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static bool unknown(struct xctx *x, size_t off, size_t end, const char *what,
		    const char *fmt, ...)
{
	va_list ap;

	if (x->r->unknown)
		return false;
	x->r->unknown = true;
	x->r->loc = loc_of(x->s, off, end);
	x->r->why = (struct reason){ what, x->r->loc.line };
	va_start(ap, fmt);
	vsnprintf(x->r->msg, sizeof(x->r->msg), fmt, ap);
	va_end(ap);
	return true;
}

static void unknown_var(struct xctx *x, size_t off, size_t end,
			const struct sym *v)
{
	if (unknown(x, off, end, v->why.what,
		    "the value of $%.*s is not known statically (%s at line %u)",
		    clip(v->nlen), v->name, v->why.what, v->why.line))
		x->r->why = v->why;
}

static void note_unset(struct xctx *x, size_t off, size_t end, const char *name,
		       size_t nlen)
{
	struct unset_use *u;

	if (x->r->nunset == MAX_UNSET)
		return;
	u = &x->r->unset[x->r->nunset++];
	u->loc = loc_of(x->s, off, end);
	snprintf(u->name, sizeof(u->name), "%.*s", clip(nlen), name);
}

static void expand(struct xctx *x, struct fields *w, size_t p, size_t end,
		   bool dq, bool split, unsigned depth);

enum prog {
	P_OTHER,
	P_IPT4,
	P_IPT6,
	P_RESTORE,
	P_SAVE,
};

static enum prog classify(const char *a)
{
	static const struct {
		const char *name;
		uint8_t prog;
	} progs[] = {
		{ "iptables", P_IPT4 },
		{ "iptables-legacy", P_IPT4 },
		{ "iptables-nft", P_IPT4 },
		{ "ip6tables", P_IPT6 },
		{ "ip6tables-legacy", P_IPT6 },
		{ "ip6tables-nft", P_IPT6 },
		{ "iptables-restore", P_RESTORE },
		{ "iptables-legacy-restore", P_RESTORE },
		{ "iptables-nft-restore", P_RESTORE },
		{ "ip6tables-restore", P_RESTORE },
		{ "ip6tables-legacy-restore", P_RESTORE },
		{ "ip6tables-nft-restore", P_RESTORE },
		{ "iptables-save", P_SAVE },
		{ "iptables-legacy-save", P_SAVE },
		{ "iptables-nft-save", P_SAVE },
		{ "ip6tables-save", P_SAVE },
		{ "ip6tables-legacy-save", P_SAVE },
		{ "ip6tables-nft-save", P_SAVE },
	};
	const char *b = strrchr(a, '/');

	b = b ? b + 1 : a;
	for (size_t i = 0; i < sizeof(progs) / sizeof(*progs); i++)
		if (strcmp(b, progs[i].name) == 0)
			return (enum prog)progs[i].prog;
	return P_OTHER;
}

/* The next blank-separated word from *P before END: its length. */
static size_t next_word(const char *t, size_t *p, size_t end)
{
	size_t q;

	while (*p < end && (is_blank(t[*p]) || t[*p] == '\n'))
		(*p)++;
	q = *p;
	while (q < end && !is_blank(t[q]) && t[q] != '\n')
		q++;
	return q - *p;
}

static bool word_is(const char *t, size_t p, size_t len, const char *w)
{
	return strlen(w) == len && memcmp(t + p, w, len) == 0;
}

/*
 * "which iptables", "command -v ip6tables", "type -p iptables" in [A, B):
 * scripts find the program so, and its name is all the output matters for.
 */
static bool which_program(const char *t, size_t a, size_t b, size_t *ret_off,
			  size_t *ret_len)
{
	size_t p = a, len = next_word(t, &p, b), off, plen;
	char name[256];

	if (word_is(t, p, len, "command") || word_is(t, p, len, "type")) {
		bool cmd = word_is(t, p, len, "command");

		p += len;
		len = next_word(t, &p, b);
		if (cmd ? !word_is(t, p, len, "-v") :
			  !word_is(t, p, len, "-p") && !word_is(t, p, len, "-P"))
			return false;
	} else if (!word_is(t, p, len, "which")) {
		return false;
	}
	p += len;
	len = next_word(t, &p, b);
	off = p;
	if (!len || len >= sizeof(name))
		return false;
	for (size_t i = off; i < off + len; i++)
		if (!is_name_char(t[i]) && !strchr("./-+", t[i]))
			return false;
	memcpy(name, t + off, len);
	name[len] = '\0';
	if (classify(name) == P_OTHER)
		return false;
	plen = len;
	/* "2>/dev/null" may follow */
	for (p += len; (len = next_word(t, &p, b)); p += len) {
		if (t[p] != '>' && !(len > 1 && is_digit(t[p]) && t[p + 1] == '>'))
			return false;
		for (size_t i = p; i < p + len; i++)
			if (strchr("$`;|()'\"", t[i]))
				return false;
	}
	*ret_off = off;
	*ret_len = plen;
	return true;
}

/* $(...) or `...` with its text in [A, B), written at [OFF, END). */
static void subst(struct xctx *x, struct fields *w, size_t a, size_t b,
		  size_t off, size_t end, bool split)
{
	size_t po, pl;

	if (which_program(x->s->t, a, b, &po, &pl)) {
		put_value(w, x->s->t + po, pl, split);
		return;
	}
	unknown(x, off, end, "set from a command substitution",
		"a command substitution is not run statically");
}

/* $'...' from after the quote: past the closing one. */
static size_t ansi(struct fields *w, const char *t, size_t p, size_t end)
{
	fields_open(w);
	while (p < end && t[p] != '\'') {
		char c = t[p++];

		if (c == '\\' && p < end) {
			c = t[p++];
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 'e': c = '\033'; break;
			case 'f': c = '\f'; break;
			case 'v': c = '\v'; break;
			default: break;
			}
		}
		fields_put(w, c);
	}
	return p < end ? p + 1 : end;
}

/* $NAME or ${NAME}: the name in [A, N), written at [OFF, END). */
static void var(struct xctx *x, struct fields *w, size_t off, size_t end,
		size_t a, size_t n, bool split)
{
	const char *t = x->s->t;
	const struct sym *v = sym_get(&x->s->vars, t + a, n - a, false);

	if (!v || v->state == VAR_UNSET)
		note_unset(x, off, end, t + a, n - a);
	else if (v->state == VAR_UNKNOWN)
		unknown_var(x, off, end, v);
	else
		put_value(w, v->value, v->len, split);
}

/* ${#NAME} */
static void length(struct xctx *x, struct fields *w, size_t off, size_t end,
		   size_t a, size_t b)
{
	const char *t = x->s->t;
	const struct sym *v;
	char num[32];
	size_t i = a;

	while (i < b && is_name_char(t[i]))
		i++;
	if (i != b || !is_name_start(t[a])) {
		unknown(x, off, end, "set from a ${...} form not expanded statically",
			"'${#%.*s}' is not expanded statically", clip(b - a), t + a);
		return;
	}
	v = sym_get(&x->s->vars, t + a, b - a, false);
	if (v && v->state == VAR_UNKNOWN) {
		unknown_var(x, off, end, v);
		return;
	}
	if (!v || v->state == VAR_UNSET)
		note_unset(x, off, end, t + a, b - a);
	snprintf(num, sizeof(num), "%zu", v && v->state == VAR_KNOWN ? v->len : 0);
	put_value(w, num, strlen(num), false);
}

/* ${NAME:=word}: the word [A, B) becomes NAME's value, and this one's. */
static void assign_default(struct xctx *x, struct fields *w, const char *name,
			   size_t nlen, size_t a, size_t b, bool dq, bool split,
			   unsigned depth)
{
	struct fields tmp = { 0 };

	expand(x, &tmp, a, b, dq, false, depth + 1);
	if (tmp.toolong)
		unknown(x, a, b, "longer than 64 KiB",
			"the word is longer than 64 KiB once expanded");
	if (!x->r->unknown) {
		if (x->effects)
			var_set(x->s, name, nlen, tmp.buf ? tmp.buf : "", tmp.len, false,
				loc_of(x->s, a, b).line);
		put_value(w, tmp.buf, tmp.len, split);
	}
	fields_release(&tmp);
}

/* ${...} with its text in [A, B), written from OFF to B + 1. */
static void param(struct xctx *x, struct fields *w, size_t off, size_t a,
		  size_t b, bool dq, bool split, unsigned depth)
{
	const char *t = x->s->t;
	const struct sym *v;
	size_t n = a, wa;
	bool colon, set, use_word;
	char op;

	if (a + 1 < b && t[a] == '#') {
		length(x, w, off, b + 1, a + 1, b);
		return;
	}
	if (a >= b || !is_name_start(t[a])) {
		unknown(x, off, b + 1, "set from a parameter of the script",
			"'${%.*s}' is not known statically", clip(b - a), t + a);
		return;
	}
	while (n < b && is_name_char(t[n]))
		n++;
	if (n == b) {
		var(x, w, off, b + 1, a, n, split && !dq);
		return;
	}
	colon = t[n] == ':';
	op = n + colon < b ? t[n + colon] : '\0';
	if (op != '-' && op != '=' && op != '+' && op != '?') {
		unknown(x, off, b + 1, "set from a ${...} form not expanded statically",
			"'${%.*s}' is not expanded statically", clip(b - a), t + a);
		return;
	}
	v = sym_get(&x->s->vars, t + a, n - a, false);
	if (v && v->state == VAR_UNKNOWN) {
		unknown_var(x, off, b + 1, v);
		return;
	}
	set = v && v->state == VAR_KNOWN;
	use_word = !set || (colon && !v->len);
	wa = n + colon + 1;
	switch (op) {
	case '-':
		if (use_word)
			expand(x, w, wa, b, dq, split, depth + 1);
		else
			put_value(w, v->value, v->len, split && !dq);
		break;
	case '+':
		if (!use_word)
			expand(x, w, wa, b, dq, split, depth + 1);
		break;
	case '?':
		if (use_word)
			unknown(x, off, b + 1, "set from ${NAME?} of an unset variable",
				"$%.*s is not set: '${%.*s}' stops the script here",
				clip(n - a), t + a, clip(b - a), t + a);
		else
			put_value(w, v->value, v->len, split && !dq);
		break;
	default:	/* '=' */
		if (use_word)
			assign_default(x, w, t + a, n - a, wa, b, dq, split && !dq, depth);
		else
			put_value(w, v->value, v->len, split && !dq);
		break;
	}
}

/*
 * $((...)): integers, variables holding integers, the C operators but
 * assignments, ++, --, ?: and ",".  Anything else is not evaluated.
 */
struct arith {
	struct script *s;
	const char *p, *end;
	bool bad;
	const struct sym *unknown;	/* a variable whose value is not known */
	unsigned depth;
};

static void ar_blank(struct arith *a)
{
	while (a->p < a->end && (is_blank(*a->p) || *a->p == '\n'))
		a->p++;
}

/* A number as C writes it (bash's base#digits is not taken). */
static bool ar_number(const char **pp, const char *end, int64_t *ret)
{
	const char *p = *pp;
	uint64_t v = 0;
	unsigned base = 10;

	if (p + 1 < end && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p < end && p[0] == '0') {
		base = 8;
	}
	for (; p < end && is_name_char(*p); p++) {
		unsigned d = is_digit(*p) ? (unsigned)(*p - '0') :
			     (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f' ?
			     (unsigned)((*p | 0x20) - 'a' + 10) : 99;

		if (d >= base)
			return false;
		v = v * base + d;
	}
	*pp = p;
	*ret = (int64_t)v;
	return true;
}

/* NAME in an expression: its value, an integer. */
static int64_t ar_var(struct arith *a)
{
	const char *name = a->p, *v, *e;
	const struct sym *sym;
	int64_t n = 0;
	bool neg;

	while (a->p < a->end && is_name_char(*a->p))
		a->p++;
	sym = sym_get(&a->s->vars, name, (size_t)(a->p - name), false);
	if (sym && sym->state == VAR_UNKNOWN) {
		a->unknown = sym;
		a->bad = true;
		return 0;
	}
	if (!sym || sym->state != VAR_KNOWN)
		return 0;	/* unset: 0, as the shell has it */
	v = sym->value;
	e = v + sym->len;
	while (v < e && is_ifs(*v))
		v++;
	while (e > v && is_ifs(e[-1]))
		e--;
	if (v == e)
		return 0;
	neg = *v == '-';
	if (*v == '-' || *v == '+')
		v++;
	if (v == e || !is_digit(*v) || !ar_number(&v, e, &n) || v != e) {
		a->bad = true;	/* an expression in a variable: not followed */
		return 0;
	}
	return neg ? (int64_t)(0 - (uint64_t)n) : n;
}

static int64_t ar_expr(struct arith *a, int min);

static int64_t ar_primary(struct arith *a)
{
	int64_t v = 0;
	char c;

	ar_blank(a);
	if (a->p >= a->end || ++a->depth > MAX_NEST) {
		a->bad = true;
		return 0;
	}
	c = *a->p;
	if (c == '(') {
		a->p++;
		v = ar_expr(a, 0);
		ar_blank(a);
		if (a->p < a->end && *a->p == ')')
			a->p++;
		else
			a->bad = true;
	} else if (c == '-' || c == '+' || c == '!' || c == '~') {
		a->p++;
		if ((c == '-' || c == '+') && a->p < a->end && *a->p == c)
			a->bad = true;		/* ++ and -- assign */
		v = ar_primary(a);
		v = c == '-' ? (int64_t)(0 - (uint64_t)v) : c == '!' ? !v :
		    c == '~' ? ~v : v;
	} else if (is_digit(c)) {
		a->bad |= !ar_number(&a->p, a->end, &v);
	} else if (is_name_start(c)) {
		v = ar_var(a);
		ar_blank(a);
		if (a->p < a->end && (*a->p == '=' ? a->p + 1 >= a->end || a->p[1] != '=' :
				      a->p + 1 < a->end && (*a->p == '+' || *a->p == '-') &&
				      a->p[1] == *a->p))
			a->bad = true;		/* an assignment or x++ */
	} else {
		a->bad = true;
	}
	a->depth--;
	return v;
}

static const struct {
	const char *op;
	int prec;
} ar_ops[] = {
	/* longest first */
	{ "||", 1 }, { "&&", 2 }, { "==", 6 }, { "!=", 6 }, { "<=", 7 },
	{ ">=", 7 }, { "<<", 8 }, { ">>", 8 }, { "|", 3 }, { "^", 4 },
	{ "&", 5 }, { "<", 7 }, { ">", 7 }, { "+", 9 }, { "-", 9 },
	{ "*", 10 }, { "/", 10 }, { "%", 10 },
};

static int64_t ar_apply(struct arith *a, const char *op, int64_t l, int64_t r)
{
	uint64_t ul = (uint64_t)l, ur = (uint64_t)r;

	switch (op[0]) {
	case '|': return op[1] ? l || r : l | r;
	case '&': return op[1] ? l && r : l & r;
	case '^': return l ^ r;
	case '=': return l == r;
	case '!': return l != r;
	case '<': return op[1] == '<' ? (int64_t)(ul << (ur & 63)) : op[1] ? l <= r : l < r;
	case '>': return op[1] == '>' ? l >> (ur & 63) : op[1] ? l >= r : l > r;
	case '+': return (int64_t)(ul + ur);
	case '-': return (int64_t)(ul - ur);
	case '*': return (int64_t)(ul * ur);
	default:
		if (r == 0 || (l == INT64_MIN && r == -1)) {
			a->bad = true;
			return 0;
		}
		return op[0] == '/' ? l / r : l % r;
	}
}

static int64_t ar_expr(struct arith *a, int min)
{
	int64_t v = ar_primary(a);

	while (!a->bad) {
		size_t i, len = 0;

		ar_blank(a);
		for (i = 0; i < sizeof(ar_ops) / sizeof(*ar_ops); i++) {
			len = strlen(ar_ops[i].op);
			if ((size_t)(a->end - a->p) >= len && memcmp(a->p, ar_ops[i].op, len) == 0)
				break;
		}
		if (i == sizeof(ar_ops) / sizeof(*ar_ops) || ar_ops[i].prec < min)
			break;
		a->p += len;
		if (a->p < a->end && *a->p == '=' && len == 1 && strchr("|^&+-*/%", ar_ops[i].op[0]))
			a->bad = true;		/* +=, -=, ... */
		v = ar_apply(a, ar_ops[i].op, v, ar_expr(a, ar_ops[i].prec + 1));
	}
	return v;
}

/* $((...)) written at [OFF, END), its expression in [A, B). */
static void arith(struct xctx *x, struct fields *w, size_t off, size_t end,
		  size_t a, size_t b, unsigned depth)
{
	struct fields tmp = { 0 };
	struct arith ar = { .s = x->s };
	char num[32];
	int64_t v;

	/* what the expression says once expanded: "$BASE + 1" */
	expand(x, &tmp, a, b, true, false, depth + 1);
	if (x->r->unknown)
		goto out_free;
	ar.p = tmp.buf ? tmp.buf : "";
	ar.end = ar.p + tmp.len;
	v = ar_expr(&ar, 0);
	ar_blank(&ar);
	if (ar.unknown)
		unknown_var(x, off, end, ar.unknown);
	else if (ar.bad || ar.p != ar.end || tmp.toolong)
		unknown(x, off, end, "set from an arithmetic expansion",
			"this arithmetic expansion is not evaluated statically");
	else {
		snprintf(num, sizeof(num), "%lld", (long long)v);
		put_value(w, num, strlen(num), false);
	}
out_free:
	fields_release(&tmp);
}

/* At '$' at P: past what it expands. */
static size_t expand_dollar(struct xctx *x, struct fields *w, size_t p,
			    size_t end, bool dq, bool split, unsigned depth)
{
	const char *t = x->s->t;
	char c = p + 1 < end ? t[p + 1] : '\0';
	uint8_t fl = 0;
	size_t q;

	if (c == '{') {
		q = scan_nested(t, p + 2, end, 0, dq, '}', &fl);
		if (fl & W_BAD)
			unknown(x, p, end, "set from an unterminated ${", "unterminated '${'");
		else
			param(x, w, p, p + 2, q - 1, dq, split, depth);
		return q;
	}
	if (c == '(') {
		q = scan_nested(t, p + 2, end, 0, false, ')', &fl);
		if (p + 2 < end && t[p + 2] == '(' && !(fl & W_BAD) && q >= p + 6 &&
		    t[q - 2] == ')')
			arith(x, w, p, q, p + 3, q - 2, depth);
		else if (p + 2 < end && t[p + 2] == '(')
			unknown(x, p, q, "set from an arithmetic expansion",
				"this arithmetic expansion is not evaluated statically");
		else
			subst(x, w, p + 2, fl & W_BAD ? end : q - 1, p, q, split && !dq);
		return q;
	}
	if (c == '\'' && !dq)
		return ansi(w, t, p + 2, end);
	if (c == '"' && !dq) {
		q = scan_dquote(t, p + 2, end, 0, &fl);
		expand(x, w, p + 2, fl & W_BAD ? end : q - 1, true, split, depth + 1);
		return q;
	}
	if (is_name_start(c)) {
		q = p + 1;
		while (q < end && is_name_char(t[q]))
			q++;
		var(x, w, p, q, p + 1, q, split && !dq);
		return q;
	}
	if (is_special(c)) {
		unknown(x, p, p + 2, "set from a parameter of the script",
			"$%c is a parameter of the script or the shell, not known statically", c);
		return p + 2;
	}
	fields_put(w, '$');
	return p + 1;
}

/* A single-quoted string from after its quote: past the closing one. */
static size_t squote(struct fields *w, const char *t, size_t p, size_t end)
{
	const char *q = p < end ? memchr(t + p, '\'', end - p) : NULL;
	size_t qe = q ? (size_t)(q - t) : end;

	fields_open(w);
	for (; p < qe && !w->toolong; p++)
		fields_put(w, t[p]);
	return q ? qe + 1 : end;
}

/*
 * Expands the shell text [P, END) into W: inside double quotes if DQ;
 * SPLIT if unquoted expansions are split into fields (not in assignments).
 */
static void expand(struct xctx *x, struct fields *w, size_t p, size_t end,
		   bool dq, bool split, unsigned depth)
{
	const char *t = x->s->t;

	if (depth > MAX_NEST) {
		unknown(x, p, end, "nested too deeply", "expansions nested too deeply");
		return;
	}
	if (dq)
		fields_open(w);
	while (p < end && !x->r->unknown && !w->toolong) {
		char c = t[p];
		size_t k = splice_len(t, p, end);
		uint8_t fl = 0;
		size_t q;

		if (k) {
			p += k;
		} else if (c == '$') {
			p = expand_dollar(x, w, p, end, dq, split, depth);
		} else if (c == '`') {
			q = scan_escaped(t, p + 1, end, '`', &fl);
			subst(x, w, p + 1, fl & W_BAD ? end : q - 1, p, q, split && !dq);
			p = q;
		} else if (dq) {
			if (c == '\\' && p + 1 < end && t[p + 1] && strchr("$`\"\\", t[p + 1])) {
				fields_put(w, t[p + 1]);
				p += 2;
			} else if (c == '"') {
				p++;	/* "${X:-"a b"}": quotes in the word go */
			} else {
				fields_put(w, c);
				p++;
			}
		} else if (c == '\'') {
			p = squote(w, t, p + 1, end);
		} else if (c == '"') {
			q = scan_dquote(t, p + 1, end, 0, &fl);
			expand(x, w, p + 1, fl & W_BAD ? end : q - 1, true, split, depth + 1);
			p = q;
		} else if (c == '\\') {
			if (p + 1 < end)
				fields_put(w, t[p + 1]);
			else
				fields_put(w, c);
			p += 2;
		} else if (split && is_ifs(c)) {
			/* a blank in ${NAME:-a b}: that default is split too */
			fields_end(w);
			p++;
		} else {
			fields_put(w, c);
			p++;
		}
	}
}

static void expand_word(struct script *s, struct fields *w, const struct tok *tk,
			size_t word, struct xres *r, bool effects)
{
	struct xctx x = { .s = s, .effects = effects, .r = r };

	w->word = word;
	w->wstart = w->len;
	w->toolong = false;
	expand(&x, w, tk->off, tk->end, false, true, 0);
	if (w->toolong)
		unknown(&x, tk->off, tk->end, "longer than 64 KiB",
			"the word is longer than 64 KiB once expanded, or the command longer than 1 MiB");
	fields_end(w);
}

/* --- commands ------------------------------------------------------------------------ */

static const struct tok *peek(const struct script *s)
{
	return &s->toks[s->pos];
}

static const struct tok *peek_at(const struct script *s, size_t k)
{
	size_t i = s->pos + k;

	return &s->toks[i < s->ntoks ? i : s->ntoks - 1];
}

static void next(struct script *s)
{
	if (s->toks[s->pos].kind != T_EOF)
		s->pos++;
}

/* A reserved word is a word written plainly. */
static bool is_word(const struct script *s, const struct tok *tk, const char *w)
{
	return tk->kind == T_WORD && !tk->flags &&
	       word_is(s->t, tk->off, tk->end - tk->off, w);
}

static bool accept(struct script *s, const char *w)
{
	if (!is_word(s, peek(s), w))
		return false;
	next(s);
	return true;
}

/* A word that ends a list: then, fi, done, }, ... */
static bool is_closer(const struct script *s, const struct tok *tk)
{
	static const char *const closers[] = {
		"then", "elif", "else", "fi", "do", "done", "esac", "}",
	};

	for (size_t i = 0; i < sizeof(closers) / sizeof(*closers); i++)
		if (is_word(s, tk, closers[i]))
			return true;
	return false;
}

static void skip_newlines(struct script *s)
{
	while (peek(s)->kind == T_NL)
		next(s);
}

static void skip_redirections(struct script *s)
{
	while (peek(s)->kind == T_REDIR) {
		next(s);
		if (peek(s)->kind == T_WORD)
			next(s);
	}
}

/* The length of NAME in "NAME=value" or "NAME+=value", or 0. */
static size_t assignment(const struct script *s, const struct tok *tk,
			 bool *append)
{
	const char *t = s->t + tk->off;
	size_t len = tk->end - tk->off, i = 0;

	*append = false;
	if (tk->kind != T_WORD || !len || !is_name_start(t[0]))
		return 0;
	while (i < len && is_name_char(t[i]))
		i++;
	*append = i + 1 < len && t[i] == '+' && t[i + 1] == '=';
	return i < len && (t[i] == '=' || *append) ? i : 0;
}

static void ctx_skip(struct ctx *child, const struct ctx *parent,
		     const char *taint_what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* CHILD reads what PARENT would run, without running it. */
static void ctx_skip(struct ctx *child, const struct ctx *parent,
		     const char *taint_what, const char *fmt, ...)
{
	va_list ap;

	*child = *parent;
	if (!parent->exec)
		return;		/* already skipping: the outer reason stands */
	child->exec = false;
	child->notes = true;
	child->taint = true;
	child->taint_what = taint_what;
	va_start(ap, fmt);
	vsnprintf(child->what, sizeof(child->what), fmt, ap);
	va_end(ap);
}

static void skipped_ipt(struct script *s, const struct ctx *c,
			const struct tok *tk, const char *then)
{
	struct loc loc = tok_loc(s, tk);

	if (c->count)
		c->count->ipt++;
	if (c->notes)
		ipt_note(&s->ir, &loc, "iptables command not read: %s%s", c->what, then);
}

/* NAME is assigned where commands are not run. */
static void skipped_assign(struct script *s, const struct ctx *c,
			   const char *name, size_t nlen, uint32_t line)
{
	if (c->count)
		c->count->assign++;
	if (c->taint)
		var_unknown(s, name, nlen, (struct reason){ c->taint_what, line });
	if (c->fn)
		fn_collect(c->fn, name, nlen);
}

static void assign(struct script *s, const struct tok *tk, size_t nlen,
		   bool append, uint32_t line)
{
	struct fields w = { 0 };
	struct xres r = { 0 };
	struct xctx x = { .s = s, .effects = true, .r = &r };
	const char *name = s->t + tk->off;

	expand(&x, &w, tk->off + nlen + 1 + append, tk->end, false, false, 0);
	if (w.toolong)
		unknown(&x, tk->off, tk->end, "longer than 64 KiB",
			"the word is longer than 64 KiB once expanded");
	if (r.unknown)
		var_unknown(s, name, nlen, r.why);
	else
		var_set(s, name, nlen, w.buf ? w.buf : "", w.len, append, line);
	fields_release(&w);
}

static void do_assignment(struct script *s, const struct ctx *c,
			  const struct tok *tk, bool opaque)
{
	bool append;
	size_t nlen = assignment(s, tk, &append);
	uint32_t line = tok_loc(s, tk).line;

	if (!c->exec) {
		skipped_assign(s, c, s->t + tk->off, nlen, line);
		return;
	}
	if (c->count)
		c->count->assign++;
	if (tk->flags & W_ARRAY)
		var_unknown(s, s->t + tk->off, nlen, (struct reason){ "set to an array", line });
	else if (opaque)
		var_unknown(s, s->t + tk->off, nlen,
			    (struct reason){ "declared with -a, -A, -i or -n", line });
	else
		assign(s, tk, nlen, append, line);
}

/* export, readonly, local, declare, typeset: assignments as arguments. */
static void declaration(struct script *s, const struct ctx *c,
			const size_t *wt, size_t nw)
{
	bool opaque = false;

	for (size_t k = 0; k < nw; k++) {
		const struct tok *tk = &s->toks[wt[k]];
		bool append;

		if (!tk->flags && s->t[tk->off] == '-') {
			for (size_t i = tk->off + 1; i < tk->end; i++)
				opaque |= s->t[i] && strchr("aAin", s->t[i]);
		} else if (assignment(s, tk, &append)) {
			do_assignment(s, c, tk, opaque);
		}
	}
}

/* sudo, env, command ...: the field that names the program, or SIZE_MAX. */
static size_t skip_wrappers(const struct fields *w)
{
	static const struct {
		const char *name;
		const char *argopts;	/* options taking an argument */
	} wrappers[] = {
		{ "sudo", "CDghpRrTtUu" },
		{ "doas", "Cu" },
		{ "command", "" },
		{ "exec", "a" },
		{ "env", "uCS" },
		{ "nice", "n" },
		{ "nohup", "" },
		{ "builtin", "" },
	};
	size_t f = 0;

	for (unsigned hops = 0; hops < 8 && f < w->n; hops++) {
		size_t k;

		for (k = 0; k < sizeof(wrappers) / sizeof(*wrappers); k++)
			if (strcmp(field(w, f), wrappers[k].name) == 0)
				break;
		if (k == sizeof(wrappers) / sizeof(*wrappers))
			return f;
		for (f++; f < w->n; f++) {
			const char *a = field(w, f);
			bool ret;

			if (strcmp(wrappers[k].name, "env") == 0 &&
			    is_name_start(a[0]) && strchr(a, '=')) {
				continue;	/* env NAME=value */
			}
			if (a[0] != '-' || !a[1])
				break;
			if (strcmp(a, "--") == 0) {
				f++;
				break;
			}
			/* "command -v iptables" asks where it is */
			ret = strcmp(wrappers[k].name, "command") == 0 &&
			      (strcmp(a, "-v") == 0 || strcmp(a, "-V") == 0);
			if (ret)
				return SIZE_MAX;
			if (!a[2] && strchr(wrappers[k].argopts, a[1]) && f + 1 < w->n)
				f++;
		}
	}
	return f;
}

static bool looks_like_ipt(const char *a)
{
	static const char *const verbs[] = {
		"-A", "-I", "-D", "-R", "-N", "-X", "-F", "-P", "-Z", "-E", "-C",
		"-L", "-S", "-t", "--append", "--insert", "--delete", "--replace",
		"--new-chain", "--delete-chain", "--flush", "--policy", "--table",
		"--list", "--check",
	};

	for (size_t i = 0; i < sizeof(verbs) / sizeof(*verbs); i++)
		if (strcmp(a, verbs[i]) == 0)
			return true;
	return false;
}

static bool mentions_ipt(const char *t, size_t len)
{
	for (size_t i = 0; i + 3 <= len; i++)
		if ((t[i] | 0x20) == 'i' && (t[i + 1] | 0x20) == 'p' &&
		    (t[i + 2] | 0x20) == 't')
			return true;
	return false;
}

struct redir {
	size_t op, target;	/* tokens; target SIZE_MAX: none */
};

/* One command after the assignments before it. */
struct command {
	const size_t *wt;	/* its words (tokens) */
	size_t nw;
	const struct redir *rd;
	size_t nr;
	struct fields w;	/* what they expand to */
	struct xres *r;		/* per word */
	size_t f;		/* the field naming the program */
	bool uncond;		/* a command of its own, not in && || | & */
};

static const struct tok *word_tok(const struct script *s,
				  const struct command *cmd, size_t k)
{
	return &s->toks[cmd->wt[k]];
}

static void make_arg(struct script *s, const struct command *cmd,
		     size_t i, struct ipt_arg *a)
{
	const struct field *f = &cmd->w.f[i];
	const struct tok *tk = word_tok(s, cmd, f->word);
	const char *text = cmd->w.buf + f->off;

	a->s = text;
	a->len = (uint32_t)f->len;
	a->exact = !(tk->flags & (W_QUOTED | W_EXPAND | W_SPLICE | W_BAD));
	a->quoted = (tk->flags & W_QUOTED) != 0;
	a->loc = tok_loc(s, tk);
	if (!(tk->flags & (W_EXPAND | W_SPLICE))) {
		a->raw = s->t + tk->off;
		a->rawlen = (uint32_t)(tk->end - tk->off);
	}
}

/* Commands not read may make chains of family FAM from here on (in a
 * function's body C->FN: where it is called). */
static void unread_new(struct script *s, const struct ctx *c, unsigned fam)
{
	if (c && c->fn)
		c->fn->makes_chains = true;
	else
		s->ir.unread_chains |= 1u << fam;
}

/*
 * An iptables command that is not read, where it would run (in a loop, a
 * branch): the chain it changes ("-A INPUT") holds rules not read from
 * here on, so rule numbers naming it are not known.  Recorded for the
 * reader; THEN (SIZE bytes) gets what the note should add.
 */
static void unread_changes(struct script *s, const struct ctx *c,
			   const struct command *cmd, bool ip6, uint32_t line,
			   char *then, size_t size)
{
	static const char *const verbs[] = {
		"-A", "--append", "-I", "--insert", "-D", "--delete", "-R",
		"--replace", "-F", "--flush", "-E", "--rename-chain", "-X",
		"--delete-chain",
	};
	/* commands that move no rule; the first two make a chain */
	static const char *const still[] = {
		"-N", "--new-chain", "-P", "--policy", "-L", "--list", "-S",
		"--list-rules", "-C", "--check", "-Z", "--zero",
	};
	const char *table = "filter", *chain = NULL;
	bool verb = false, table_known = true, chain_known = true, unknown = false;
	bool appends = false, renames = false;
	unsigned fam = ip6 ? FAM_IP6 : FAM_IP;

	then[0] = '\0';
	if (c->dry)
		return;
	for (size_t f = cmd->f + 1; f < cmd->w.n; f++) {
		const char *a = field(&cmd->w, f);
		bool next = f + 1 < cmd->w.n;
		bool next_known = next && !cmd->r[cmd->w.f[f + 1].word].unknown;

		unknown |= cmd->r[cmd->w.f[f].word].unknown;
		if (strcmp(a, "-t") == 0 || strcmp(a, "--table") == 0) {
			if (next) {
				table = field(&cmd->w, ++f);
				table_known = next_known;
			}
			continue;
		}
		for (size_t v = 0; v < sizeof(still) / sizeof(*still); v++) {
			if (strcmp(a, still[v]) != 0)
				continue;
			if (v < 2) {
				unread_new(s, c, fam);
				if (!c->fn)
					snprintf(then, size, "; chains it may make are taken to exist where later commands name them");
			}
			return;
		}
		for (size_t v = 0; v < sizeof(verbs) / sizeof(*verbs) && !verb; v++) {
			if (strcmp(a, verbs[v]) != 0)
				continue;
			verb = true;
			appends = v < 2;
			renames = v == 10 || v == 11;	/* -E, --rename-chain */
			if (next && field(&cmd->w, f + 1)[0] != '-') {
				chain = field(&cmd->w, f + 1);
				chain_known = next_known;
			}
		}
	}
	if (!verb && !unknown)
		return;
	if (!verb) {
		chain_known = false;	/* "$IPT $ACTION INPUT ...": anything */
		unread_new(s, c, fam);
	} else if (renames) {
		unread_new(s, c, fam);	/* the new name */
	}
	if (c->fn)
		return;		/* a function's body: where it is called */
	ipt_unsure_chain(&s->ir, ip6 ? FAM_IP6 : FAM_IP, table_known ? table : NULL,
			 chain_known ? chain : NULL, line, appends && chain_known);
	if (chain && chain_known && appends)
		snprintf(then, size, "; the rules it appends to chain %.40s are missing, and the indexes of that chain's later rules may be too low",
			 chain);
	else if (chain && chain_known)
		snprintf(then, size, "; what it does to chain %.40s is not known, nor are the rule numbers and later rules' indexes there",
			 chain);
	else
		snprintf(then, size, "; which chains it changes is not known, nor are rule numbers and later rules' indexes");
}

static void run_iptables(struct script *s, const struct ctx *c,
			 const struct command *cmd, bool ip6)
{
	size_t pw = cmd->w.f[cmd->f].word, nargs = cmd->w.n - cmd->f - 1;
	const struct tok *prog = word_tok(s, cmd, pw);
	struct loc where = tok_loc(s, prog);
	struct ipt_arg *args;
	char then[320];

	if (!c->exec) {
		unread_changes(s, c, cmd, ip6, where.line, then, sizeof(then));
		skipped_ipt(s, c, prog, then);
		return;
	}
	for (size_t k = pw; k < cmd->nw; k++) {
		if (cmd->r[k].unknown) {
			ipt_note(&s->ir, &cmd->r[k].loc, "iptables command not read: %s",
				 cmd->r[k].msg);
			return;
		}
	}
	for (size_t k = pw; k < cmd->nw; k++)
		for (unsigned u = 0; u < cmd->r[k].nunset; u++)
			ipt_note(&s->ir, &cmd->r[k].unset[u].loc,
				 "$%s is not set here: it expands to nothing",
				 cmd->r[k].unset[u].name);
	if (nargs > MAX_ARGS) {
		ipt_error(&s->ir, &where, "more than %d arguments to one iptables command",
			  MAX_ARGS);
		return;
	}
	args = calloc(nargs ? nargs : 1, sizeof(*args));
	if (!args)
		oom();
	for (size_t i = 0; i < nargs; i++)
		make_arg(s, cmd, cmd->f + 1 + i, &args[i]);
	s->ir.family = ip6 ? FAM_IP6 : FAM_IP;
	ipt_command(&s->ir, args, nargs, &where);
	free(args);
}

/* iptables-restore: its input is a ruleset of its own. */
static void restore(struct script *s, const struct ctx *c,
		    const struct command *cmd)
{
	const struct tok *prog = word_tok(s, cmd, cmd->w.f[cmd->f].word);
	struct loc where = tok_loc(s, prog);
	unsigned fam;

	if (!c->exec) {
		skipped_ipt(s, c, prog, "");
		return;
	}
	/* Whatever it loads is not read: chains named later may be its, and
	 * rule numbers in them are not known. */
	fam = strstr(field(&cmd->w, cmd->f), "ip6tables") ? FAM_IP6 : FAM_IP;
	s->ir.unread_chains |= 1u << fam;
	ipt_unsure_chain(&s->ir, fam, NULL, NULL, where.line, false);
	for (size_t i = 0; i < cmd->nr; i++) {
		const struct tok *op = &s->toks[cmd->rd[i].op];
		const struct tok *tgt = cmd->rd[i].target != SIZE_MAX ?
					&s->toks[cmd->rd[i].target] : NULL;

		if ((op->flags & R_HEREDOC) && op->body_end > op->body) {
			uint32_t l0 = loc_of(s, op->body, op->body).line;
			uint32_t l1 = loc_of(s, op->body_end - 1, op->body_end).line;

			ipt_note(&s->ir, &where, "iptables-restore input is not read: the here-document on lines %u-%u is a ruleset of its own (read it with --input-format iptables)",
				 l0, l1);
			return;
		}
		if (op->flags & R_HEREDOC) {
			ipt_note(&s->ir, &where, "iptables-restore input is not read: its here-document is empty");
			return;
		}
		if ((op->flags & R_INPUT) && tgt) {
			ipt_note(&s->ir, &where, "iptables-restore input is not read: it comes from '%.*s' (read that file with --input-format iptables)",
				 clip(tgt->end - tgt->off), s->t + tgt->off);
			return;
		}
	}
	for (size_t f = cmd->f + 1; f < cmd->w.n; f++) {
		if (field(&cmd->w, f)[0] != '-') {
			ipt_note(&s->ir, &where, "iptables-restore input is not read: it comes from '%s' (read that file with --input-format iptables)",
				 field(&cmd->w, f));
			return;
		}
	}
	ipt_note(&s->ir, &where, "iptables-restore input is not read: it comes from standard input or a pipe");
}

/*
 * A word before the program is not known ($IPT set from a command
 * substitution): if the command looks like iptables, say so.
 */
static void unknown_program(struct script *s, const struct ctx *c,
			    const struct command *cmd, size_t k)
{
	const struct tok *tk = word_tok(s, cmd, k);
	size_t f = 0;
	bool ipt;

	while (f < cmd->w.n && cmd->w.f[f].word <= k)
		f++;
	ipt = mentions_ipt(s->t + tk->off, tk->end - tk->off) ||
	      (f < cmd->w.n && looks_like_ipt(field(&cmd->w, f)));
	/* "sudo -u $(id -un) iptables ...": the program comes later */
	for (; f < cmd->w.n && !ipt; f++) {
		enum prog p = classify(field(&cmd->w, f));

		ipt = p == P_IPT4 || p == P_IPT6;
	}
	if (!ipt)
		return;
	if (!c->exec) {
		skipped_ipt(s, c, tk, "");
		return;
	}
	ipt_note(&s->ir, &cmd->r[k].loc, "command not read: %s", cmd->r[k].msg);
}

/* "$IPTABLES -A INPUT ..." with IPTABLES not set: noted, not run. */
static bool unset_program(struct script *s, const struct ctx *c,
			  const struct command *cmd)
{
	size_t pw = cmd->w.f[cmd->f].word;

	if (!looks_like_ipt(field(&cmd->w, cmd->f)))
		return false;
	for (size_t k = 0; k < pw; k++) {
		if (!cmd->r[k].nunset)
			continue;
		if (!c->exec) {
			skipped_ipt(s, c, word_tok(s, cmd, k), "");
			return true;
		}
		ipt_note(&s->ir, &cmd->r[k].unset[0].loc,
			 "command not read: $%s is not set here, so the command would be '%s'",
			 cmd->r[k].unset[0].name, field(&cmd->w, cmd->f));
		return true;
	}
	return false;
}

static bool is_name(const char *a)
{
	if (!is_name_start(a[0]))
		return false;
	while (is_name_char(*a))
		a++;
	return !*a;
}

/* read, getopts, mapfile: the variables they set are not known. */
static void read_vars(struct script *s, const struct ctx *c,
		      const struct command *cmd, bool getopts)
{
	uint32_t line = tok_loc(s, word_tok(s, cmd, cmd->w.f[cmd->f].word)).line;

	for (size_t f = cmd->f + 1; f < cmd->w.n; f++) {
		const char *a = field(&cmd->w, f);

		if (getopts && f != cmd->f + 2)
			continue;
		if (a[0] == '-') {
			if (a[1] && !a[2] && strchr("dinNptu", a[1]))
				f++;
			continue;
		}
		if (!is_name(a))
			continue;
		if (c->exec)
			var_unknown(s, a, strlen(a), (struct reason){ "set by read", line });
		else
			skipped_assign(s, c, a, strlen(a), line);
	}
}

static void unset_vars(struct script *s, const struct ctx *c,
		       const struct command *cmd)
{
	bool funcs = false;
	uint32_t line = tok_loc(s, word_tok(s, cmd, cmd->w.f[cmd->f].word)).line;

	for (size_t f = cmd->f + 1; f < cmd->w.n; f++) {
		const char *a = field(&cmd->w, f);

		if (a[0] == '-') {
			funcs |= strchr(a, 'f') != NULL;
			continue;
		}
		if (funcs) {
			struct sym *fn = sym_get(&s->funcs, a, strlen(a), false);

			if (fn && c->exec) {
				fn->nipt = 0;
				fn->makes_chains = false;
				fn->alen = 0;
			}
		} else if (c->exec) {
			var_unset(s, a, strlen(a));
		} else {
			skipped_assign(s, c, a, strlen(a), line);
		}
	}
}

/* A call of a function defined in the script. */
static void call(struct script *s, const struct ctx *c, struct sym *fn,
		 const struct tok *tk)
{
	struct loc loc = tok_loc(s, tk);

	if (c->count)
		c->count->ipt += fn->nipt;
	if (c->exec && fn->nipt) {
		ipt_note(&s->ir, &loc, "function '%.*s' (line %u) is called here: its %u iptables command%s not read, nor are rule numbers and later rules' indexes from here%s",
			 clip(fn->nlen), fn->name, fn->line, fn->nipt,
			 fn->nipt == 1 ? " is" : "s are",
			 fn->makes_chains ? "; chains it may make are taken to exist where later commands name them" : "");
		ipt_unsure_chain(&s->ir, FAM_IP, NULL, NULL, loc.line, false);
		if (fn->makes_chains) {
			unread_new(s, NULL, FAM_IP);
			unread_new(s, NULL, FAM_IP6);
		}
		ipt_unsure_chain(&s->ir, FAM_IP6, NULL, NULL, loc.line, false);
	}
	if (c->fn == fn)
		return;		/* recursion: its names are being collected */
	for (size_t i = 0; i < fn->alen; i += strlen(fn->assigned + i) + 1) {
		const char *name = fn->assigned + i;

		if (c->exec) {
			var_unknown(s, name, strlen(name),
				    (struct reason){ "set by a function call", loc.line });
			if (c->count)
				c->count->assign++;
		} else {
			skipped_assign(s, c, name, strlen(name), loc.line);
		}
	}
}

/* Commands other than iptables that matter to what the script loads. */
static void run_other(struct script *s, const struct ctx *c,
		      const struct command *cmd)
{
	const char *name = field(&cmd->w, cmd->f);
	const struct tok *tk = word_tok(s, cmd, cmd->w.f[cmd->f].word);
	struct loc loc = tok_loc(s, tk);
	struct sym *fn;

	if (strcmp(name, "eval") == 0) {
		if (c->exec)
			ipt_note(&s->ir, &loc, "eval is not read: the commands it runs are not known statically");
	} else if (strcmp(name, "source") == 0 || strcmp(name, ".") == 0) {
		if (c->exec)
			ipt_note(&s->ir, &loc, "'%s %s' is not read: commands from another file are not read",
				 name, cmd->f + 1 < cmd->w.n ? field(&cmd->w, cmd->f + 1) : "");
	} else if (strcmp(name, "read") == 0 || strcmp(name, "mapfile") == 0 ||
		   strcmp(name, "readarray") == 0) {
		read_vars(s, c, cmd, false);
	} else if (strcmp(name, "getopts") == 0) {
		read_vars(s, c, cmd, true);
	} else if (strcmp(name, "unset") == 0) {
		unset_vars(s, c, cmd);
	} else if (strcmp(name, "exit") == 0) {
		/* Only where it ends the script for sure: not after && or in an if. */
		if (c->exec && cmd->uncond && s->depth == 0) {
			s->exited = true;
			s->exit_line = loc.line;
		}
	} else if ((fn = sym_get(&s->funcs, name, strlen(name), false))) {
		call(s, c, fn, tk);
	}
}

static void run_command(struct script *s, const struct ctx *c,
			struct command *cmd)
{
	size_t pw;

	cmd->r = calloc(cmd->nw, sizeof(*cmd->r));
	if (!cmd->r)
		oom();
	/* Every word, side effects and all, before knowing what runs. */
	for (size_t k = 0; k < cmd->nw; k++)
		expand_word(s, &cmd->w, word_tok(s, cmd, k), k, &cmd->r[k], c->exec);
	cmd->f = skip_wrappers(&cmd->w);
	if (cmd->f == SIZE_MAX)
		goto out_free;
	pw = cmd->f < cmd->w.n ? cmd->w.f[cmd->f].word : cmd->nw;
	for (size_t k = 0; k < pw; k++) {
		if (cmd->r[k].unknown) {
			unknown_program(s, c, cmd, k);
			goto out_free;
		}
	}
	if (cmd->f == cmd->w.n)
		goto out_free;
	switch (classify(field(&cmd->w, cmd->f))) {
	case P_IPT4:
		run_iptables(s, c, cmd, false);
		break;
	case P_IPT6:
		run_iptables(s, c, cmd, true);
		break;
	case P_RESTORE:
		restore(s, c, cmd);
		break;
	case P_SAVE:
		break;
	default:
		if (!unset_program(s, c, cmd))
			run_other(s, c, cmd);
		break;
	}
out_free:
	free(cmd->r);
	fields_release(&cmd->w);
}

/* A simple command: assignments, words, redirections. */
static void run_simple(struct script *s, const struct ctx *c,
		       struct command *cmd)
{
	size_t i = 0;
	bool append;
	const struct tok *tk;

	while (i < cmd->nw && assignment(s, word_tok(s, cmd, i), &append))
		i++;
	if (i == cmd->nw) {
		/* assignments alone last; before a command they are its own */
		for (size_t k = 0; k < cmd->nw; k++)
			do_assignment(s, c, word_tok(s, cmd, k), false);
		return;
	}
	tk = word_tok(s, cmd, i);
	if (is_word(s, tk, "export") || is_word(s, tk, "readonly") ||
	    is_word(s, tk, "local") || is_word(s, tk, "declare") ||
	    is_word(s, tk, "typeset")) {
		declaration(s, c, cmd->wt + i + 1, cmd->nw - i - 1);
		return;
	}
	cmd->wt += i;
	cmd->nw -= i;
	run_command(s, c, cmd);
}

/* NAME=( ... ): the parenthesized words are the array's. */
static void skip_array(struct script *s)
{
	unsigned open = 0;

	do {
		if (peek(s)->kind == T_LPAREN)
			open++;
		else if (peek(s)->kind == T_RPAREN)
			open--;
		next(s);
	} while (open && peek(s)->kind != T_EOF);
}

static void parse_simple(struct script *s, const struct ctx *c, bool uncond)
{
	struct command cmd = { 0 };
	size_t *wt = NULL, aw = 0;
	struct redir *rd = NULL;
	size_t ar = 0;
	bool bad = false;

	for (;;) {
		const struct tok *tk = peek(s);
		bool append;

		if (tk->kind == T_REDIR) {
			rd = grow_array(rd, &ar, cmd.nr + 1, sizeof(*rd));
			rd[cmd.nr].op = s->pos;
			rd[cmd.nr].target = SIZE_MAX;
			next(s);
			if (peek(s)->kind == T_WORD) {
				rd[cmd.nr].target = s->pos;
				next(s);
			}
			cmd.nr++;
			continue;
		}
		if (tk->kind != T_WORD)
			break;
		wt = grow_array(wt, &aw, cmd.nw + 1, sizeof(*wt));
		wt[cmd.nw++] = s->pos;
		bad |= (tk->flags & W_BAD) != 0;
		next(s);
		if (assignment(s, tk, &append) && s->t[tk->end - 1] == '=' &&
		    peek(s)->kind == T_LPAREN && peek(s)->off == tk->end) {
			s->toks[wt[cmd.nw - 1]].flags |= W_ARRAY;
			skip_array(s);
		}
	}
	cmd.wt = wt;
	cmd.rd = rd;
	cmd.uncond = uncond && (peek(s)->kind == T_NL || peek(s)->kind == T_SEMI ||
				peek(s)->kind == T_EOF);
	/* an unterminated word was reported: sh runs nothing from it on */
	if (cmd.nw && !bad)
		run_simple(s, c, &cmd);
	free(wt);
	free(rd);
}

static void parse_list(struct script *s, const struct ctx *c);
static void parse_command(struct script *s, const struct ctx *c, bool uncond);

static bool enter(struct script *s, const struct ctx *c)
{
	if (s->depth >= MAX_DEPTH) {
		if (!c->dry) {
			struct loc loc = tok_loc(s, peek(s));

			ipt_error(&s->ir, &loc, "commands nested more than %d deep: the rest of the script is not read",
				  MAX_DEPTH);
		}
		s->pos = s->ntoks - 1;
		return false;
	}
	s->depth++;
	return true;
}

/* From "if" to "fi": whether it has elif or else. */
static bool if_body(struct script *s, const struct ctx *c)
{
	bool has_else = false;

	next(s);
	parse_list(s, c);
	if (!accept(s, "then"))
		return has_else;
	parse_list(s, c);
	for (;;) {
		if (accept(s, "elif")) {
			has_else = true;
			parse_list(s, c);
			if (accept(s, "then"))
				parse_list(s, c);
			continue;
		}
		if (accept(s, "else")) {
			has_else = true;
			parse_list(s, c);
		}
		break;
	}
	accept(s, "fi");
	return has_else;
}

/*
 * Looks an "if" over without running it (C is dry), and remembers what it
 * found on its token: the ifs inside are then not looked over again when
 * they are read for real, which keeps nested ifs linear.
 */
static void scan_if(struct script *s, const struct ctx *c)
{
	struct tok *kw = &s->toks[s->pos];
	struct count cnt = { 0 };
	struct ctx sub = *c;

	sub.count = &cnt;
	kw->scan = IF_SCANNED;
	if (if_body(s, &sub))
		kw->scan |= IF_ELSE;
	if (cnt.ipt || cnt.assign)
		kw->scan |= IF_MATTERS;
	c->count->ipt += cnt.ipt;
	c->count->assign += cnt.assign;
}

static void parse_if(struct script *s, const struct ctx *c)
{
	size_t start = s->pos;
	const struct tok *kw = peek(s);
	struct loc loc = tok_loc(s, kw);
	struct count cnt = { 0 };
	struct ctx dry = { .dry = true, .count = &cnt };
	struct ctx sub;

	if (c->dry) {
		scan_if(s, c);
		return;
	}
	if (!c->exec) {
		if_body(s, c);
		return;
	}
	/* Which way to read it depends on what comes later: look first. */
	if (!(kw->scan & IF_SCANNED)) {
		scan_if(s, &dry);
		s->pos = start;
	}
	if (!(kw->scan & IF_ELSE)) {
		if (kw->scan & IF_MATTERS)
			ipt_note(&s->ir, &loc, "if without else: its body is read as if the condition held");
		if_body(s, c);
		return;
	}
	ctx_skip(&sub, c, "set inside an if with else",
		 "it is inside an if with else or elif (line %u), and which branch runs is not known statically",
		 loc.line);
	if_body(s, &sub);
}

static void parse_loop(struct script *s, const struct ctx *c)
{
	struct loc loc = tok_loc(s, peek(s));
	const char *kind = s->t[peek(s)->off] == 'w' ? "while" : "until";
	struct ctx sub;

	ctx_skip(&sub, c, "set inside a loop",
		 "it is inside a %s loop (line %u), and loops are not run statically",
		 kind, loc.line);
	next(s);
	parse_list(s, &sub);
	if (accept(s, "do"))
		parse_list(s, &sub);
	accept(s, "done");
}

static void parse_for(struct script *s, const struct ctx *c)
{
	struct loc loc = tok_loc(s, peek(s));
	const char *kind = is_word(s, peek(s), "for") ? "for" : "select";
	struct ctx sub;

	ctx_skip(&sub, c, "set inside a loop",
		 "it is inside a %s loop (line %u), and loops are not run statically",
		 kind, loc.line);
	next(s);
	if (peek(s)->kind == T_LPAREN) {
		skip_array(s);		/* for (( ...; ...; ... )) */
	} else if (peek(s)->kind == T_WORD) {
		const struct tok *tk = peek(s);

		if (!tk->flags)
			skipped_assign(s, &sub, s->t + tk->off, tk->end - tk->off, loc.line);
		next(s);
	}
	skip_newlines(s);
	if (accept(s, "in"))
		while (peek(s)->kind == T_WORD)
			next(s);
	while (peek(s)->kind == T_NL || peek(s)->kind == T_SEMI)
		next(s);
	if (accept(s, "do")) {
		parse_list(s, &sub);
		accept(s, "done");
	} else if (accept(s, "{")) {
		parse_list(s, &sub);
		accept(s, "}");
	}
}

static void parse_case(struct script *s, const struct ctx *c)
{
	struct loc loc = tok_loc(s, peek(s));
	struct ctx sub;

	ctx_skip(&sub, c, "set inside a case statement",
		 "it is inside a case statement (line %u), and which branch runs is not known statically",
		 loc.line);
	next(s);
	if (peek(s)->kind == T_WORD)
		next(s);
	skip_newlines(s);
	accept(s, "in");
	for (;;) {
		size_t before;

		skip_newlines(s);
		if (is_word(s, peek(s), "esac") || peek(s)->kind == T_EOF)
			break;
		before = s->pos;
		if (peek(s)->kind == T_LPAREN)
			next(s);
		while (peek(s)->kind == T_WORD || peek(s)->kind == T_PIPE)
			next(s);
		if (peek(s)->kind != T_RPAREN || s->pos == before)
			break;
		next(s);
		parse_list(s, &sub);
		if (peek(s)->kind != T_DSEMI)
			break;
		next(s);
	}
	accept(s, "esac");
}

/* "name() body" or "function name [()] body": read, not run. */
static void parse_function(struct script *s, const struct ctx *c, bool keyword)
{
	struct loc loc = tok_loc(s, peek(s));
	const struct tok *name;
	struct count cnt = { 0 };
	struct sym *fn = NULL;
	struct ctx body;

	if (keyword)
		next(s);
	name = peek(s);
	if (name->kind != T_WORD)
		return;
	next(s);
	if (peek(s)->kind == T_LPAREN && peek_at(s, 1)->kind == T_RPAREN) {
		next(s);
		next(s);
	}
	skip_newlines(s);
	if (!c->dry) {
		fn = sym_get(&s->funcs, s->t + name->off, name->end - name->off, true);
		fn->alen = 0;
		fn->nipt = 0;
		fn->makes_chains = false;
		fn->line = loc.line;
	}
	ctx_skip(&body, c, "set inside a function",
		 "it is inside function '%.*s' (line %u), and functions are not run statically",
		 clip(name->end - name->off), s->t + name->off, loc.line);
	body.taint = false;	/* defining a function assigns nothing */
	body.fn = fn;
	body.count = &cnt;
	parse_command(s, &body, false);
	if (fn)
		fn->nipt = cnt.ipt;
}

enum compound {
	C_NONE,
	C_SUBSHELL,
	C_IF,
	C_LOOP,
	C_FOR,
	C_CASE,
	C_GROUP,
	C_FUNCTION,	/* function name ... */
	C_DEFINITION,	/* name() ... */
};

static enum compound compound_at(const struct script *s)
{
	const struct tok *tk = peek(s);

	if (tk->kind == T_LPAREN)
		return C_SUBSHELL;
	if (tk->kind != T_WORD)
		return C_NONE;
	if (is_word(s, tk, "if"))
		return C_IF;
	if (is_word(s, tk, "while") || is_word(s, tk, "until"))
		return C_LOOP;
	if (is_word(s, tk, "for") || is_word(s, tk, "select"))
		return C_FOR;
	if (is_word(s, tk, "case"))
		return C_CASE;
	if (is_word(s, tk, "{"))
		return C_GROUP;
	if (is_word(s, tk, "function"))
		return C_FUNCTION;
	if (peek_at(s, 1)->kind == T_LPAREN && peek_at(s, 2)->kind == T_RPAREN)
		return C_DEFINITION;
	return C_NONE;
}

static void parse_command(struct script *s, const struct ctx *c, bool uncond)
{
	enum compound kind = compound_at(s);

	if (kind == C_NONE) {
		parse_simple(s, c, uncond);
		return;
	}
	if (!enter(s, c))
		return;
	switch (kind) {
	case C_SUBSHELL:
		next(s);
		parse_list(s, c);
		if (peek(s)->kind == T_RPAREN)
			next(s);
		break;
	case C_IF:
		parse_if(s, c);
		break;
	case C_LOOP:
		parse_loop(s, c);
		break;
	case C_FOR:
		parse_for(s, c);
		break;
	case C_CASE:
		parse_case(s, c);
		break;
	case C_GROUP:
		next(s);
		parse_list(s, c);
		accept(s, "}");
		break;
	default:
		parse_function(s, c, kind == C_FUNCTION);
		break;
	}
	s->depth--;
	skip_redirections(s);
}

static void parse_pipeline(struct script *s, const struct ctx *c, bool uncond)
{
	while (is_word(s, peek(s), "!") || is_word(s, peek(s), "time")) {
		uncond = false;
		next(s);
	}
	parse_command(s, c, uncond);
	while (peek(s)->kind == T_PIPE) {
		next(s);
		skip_newlines(s);
		parse_command(s, c, false);
	}
}

static void parse_and_or(struct script *s, const struct ctx *c)
{
	parse_pipeline(s, c, true);
	while (peek(s)->kind == T_AND || peek(s)->kind == T_OR) {
		next(s);
		skip_newlines(s);
		parse_pipeline(s, c, false);
	}
}

/* Commands up to a word or token that ends the list (fi, done, ), ;; ...). */
static void parse_list(struct script *s, const struct ctx *c)
{
	for (;;) {
		const struct tok *tk;
		size_t before;

		if (s->ir.stop)
			s->pos = s->ntoks - 1;
		while (peek(s)->kind == T_NL || peek(s)->kind == T_SEMI ||
		       peek(s)->kind == T_AMP)
			next(s);
		tk = peek(s);
		if (tk->kind == T_EOF || tk->kind == T_RPAREN || tk->kind == T_DSEMI ||
		    is_closer(s, tk))
			return;
		before = s->pos;
		parse_and_or(s, c);
		if (s->exited)
			return;
		if (s->pos == before)
			next(s);	/* "|" or "&&" where a command should be */
	}
}

static void read_script(struct script *s)
{
	struct ctx top = { .exec = true };

	for (;;) {
		const struct tok *tk;
		struct loc loc;

		parse_list(s, &top);
		if (s->exited) {
			s->exited = false;
			top = (struct ctx){ .notes = true };
			snprintf(top.what, sizeof(top.what),
				 "it comes after 'exit' (line %u), where the script ends",
				 s->exit_line);
			continue;
		}
		tk = peek(s);
		if (tk->kind == T_EOF)
			return;
		if (!s->stray_noted) {
			loc = tok_loc(s, tk);
			ipt_note(&s->ir, &loc, "unexpected '%.*s' skipped: a shell syntax error, or syntax this reader does not know",
				 clip(tk->end - tk->off), s->t + tk->off);
			s->stray_noted = true;
		}
		next(s);
	}
}

/*
 * Whether a "-D" command may be in TEXT: anywhere, as a script may hold it
 * in a variable ("OP=-D") or quotes ("-D").  Rules keep their text for it.
 */
static bool may_delete(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while ((p = memchr(p, '-', (size_t)(end - p)))) {
		if (end - p >= 2 && p[1] == 'D')
			return true;
		if (end - p >= 8 && memcmp(p, "--delete", 8) == 0)
			return true;
		p++;
	}
	return false;
}

int ipt_script_read(struct ruleset *rs, const char *name, char *text,
		    size_t len, const struct registry *reg,
		    const struct ipt_options *opts)
{
	struct script s = {
		.ir = {
			.rs = rs, .reg = reg, .restore = false,
			.ipsets = opts ? opts->ipsets : NULL,
			.max_errors = opts && opts->max_errors ? opts->max_errors : 20,
			/* the program's name decides, command by command */
			.family_fixed = true,
			.family_known = true,
			.family = FAM_IP,
			.keep_specs = may_delete(text, len),
		},
		.t = text,
		.n = len,
	};

	s.file = ruleset_add_file(rs, name, text, len);
	index_lines(&s);
	lex(&s);
	read_script(&s);
	ipt_finish(&s.ir);
	ipt_reader_release(&s.ir);
	free(s.lines);
	free(s.toks);
	symtab_release(&s.vars);
	symtab_release(&s.funcs);
	return 0;
}
