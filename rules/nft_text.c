/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The nft text syntax (what "nft -f" reads and "nft list ruleset" prints),
 * read into the ruleset model.  The block structure (tables, chains, sets)
 * is parsed by recursive descent; a rule is gathered as the tokens up to
 * its end and then read left to right: port matches, the protocol
 * constraints "th" depends on, verdicts, NAT targets and comments are
 * understood; every other expression is kept, in place, as opaque text.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"
#include "nft.h"
#include "nft_lex.h"
#include "services.h"

#define DEFAULT_MAX_ERRORS 20
#define LOOKAHEAD 4
#define MIN_EXPANSION_BUDGET (1u << 18)

struct define {
	const char *name;
	uint32_t len, hash;
	bool undefined;		/* by "undefine": found no more */
	struct token *toks;
	size_t n;
	struct define *next;	/* the one defined before, of any name */
	struct define *bucket_next;	/* ... in the same bucket */
};

/* A node of a chained hash: the first member of what it links. */
struct hnode {
	struct hnode *next;
	uint32_t hash;
};

/* Chained hash buckets, doubled when there are as many nodes. */
struct hchain {
	struct hnode **b;
	uint32_t size, count;	/* size: 0 or a power of two */
};

struct tokvec {
	struct token *t;
	size_t n, a;
};

struct parser {
	struct ruleset *rs;
	const struct registry *reg;
	const struct nft_options *opts;
	struct lexer *lx;
	struct token la[LOOKAHEAD];
	size_t nla;
	struct define *defs;	/* the newest first */
	struct define **buckets;	/* the same by name: each bucket a list
					 * of its own, the newest first */
	uint32_t nbuckets, ndefs;
	unsigned max_errors;
	bool stop;		/* too many errors */
	unsigned mute;		/* errors are not reported while non-zero */
	unsigned expansions;	/* $variables expanded in a row */
	size_t expanded;	/* tokens they gave, in all */
	size_t budget;		/* ... at most: linear in the input's size */
	/* Set elements read: each set's in order, and all by set and key
	 * (chained hash buckets), so that "delete element" finds one at
	 * once and thousands of them stay linear. */
	struct hchain sets_seen, elems_seen;
	struct set_elems *dirty;	/* sets an element left: rebuilt at the end */
	struct set_ref *refs;	/* sets named in expressions kept opaque */
	size_t nrefs, arefs;
	bool kw_told;		/* a keyword as a name was reported */
	/* The order nft reads a file in: rules of the statement being read,
	 * and the sets and chains they named that their table did not have
	 * once that statement was read. */
	struct rule **fresh;
	size_t nfresh, afresh;
	size_t fresh_refs;	/* refs[] from this statement on */
	struct early_ref *early;
	size_t nearly, aearly;
};

/*
 * A set, map or chain a rule names that its table did not have when the
 * statement holding the rule was read: nft evaluates a file statement by
 * statement (a table block's sets and chains before its rules), so one
 * added by a later statement fails as if it did not exist.
 */
struct early_ref {
	struct rule *r;
	const char *name;	/* NUL-terminated */
	bool chain;		/* a jump or goto's chain; else a set or map */
	struct loc loc;
};

/*
 * A named set's element as read, so that "delete element" can take its
 * ports out again: the set keeps only the union of its elements' ports.
 */
struct elem_rec {
	struct hnode node;	/* by S and KEY */
	struct set *s;
	const char *key;	/* canonical: components joined by " . ",
				 * ports and numbers as "lo-hi" */
	bool has_lit, has_data, dead;
	uint8_t has_more;	/* bit f: more[f] was read */
	struct port_lit lit;	/* the first port component */
	struct port_lit more[SET_MORE_PORTS];
	struct portrange data;
	struct elem_rec *next;	/* of the same set, in order */
};

/* The elements of one set this reading saw. */
struct set_elems {
	struct hnode node;	/* by S */
	struct set *s;
	struct elem_rec *head, **tail;
	uint32_t base;		/* literals the set had before: read elsewhere */
	bool dirty;		/* on the parser's dirty list */
	struct set_elems *dirty_next;
};

#define NAMEBUF 256	/* nft's limit, NUL included */

/* "ip saddr @blocklist": a set an opaque expression of rule R names, to be
 * found once everything is read. */
struct set_ref {
	struct rule *r;
	const char *s;		/* the name, not NUL-terminated */
	uint32_t len;
	struct loc loc;
};

/* --- diagnostics ---------------------------------------------------------- */

static void perr(struct parser *p, const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void perr(struct parser *p, const struct loc *loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (p->stop || p->mute)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ruleset_diag(p->rs, DIAG_ERROR, loc, "%s", msg);
	if (p->rs->nerrors >= p->max_errors) {
		ruleset_diag(p->rs, DIAG_NOTE, loc,
			     "too many errors (%u); stopped reading", p->max_errors);
		p->stop = true;
	}
}

static void pnote(struct parser *p, const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void pnote(struct parser *p, const struct loc *loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ruleset_diag(p->rs, DIAG_NOTE, loc, "%s", msg);
}

/* A token as the user wrote it, for messages. */
static const char *tok_text(const struct token *t, char *buf, size_t size)
{
	switch (t->type) {
	case T_EOF:
		return "end of file";
	case T_NL:
		return "end of line";
	case T_STRING:
		snprintf(buf, size, "\"%.*s\"", (int)(t->len < 200 ? t->len : 200), t->s);
		return buf;
	default:
		snprintf(buf, size, "'%.*s'", (int)(t->len < 200 ? t->len : 200), t->s);
		return buf;
	}
}

/* A token as nft's syntax errors name it: "unexpected accept", "unexpected
 * quoted string", "unexpected '{'". */
static const char *unexpected_text(const struct token *t, char *buf, size_t size)
{
	switch (t->type) {
	case T_STRING:
		return "quoted string";
	case T_PUNCT:
		if (t->len == 1) {
			snprintf(buf, size, "'%c'", t->punct);
			return buf;
		}
		break;
	case T_WORD:
		break;
	default:
		return tok_text(t, buf, size);
	}
	snprintf(buf, size, "%.*s", (int)(t->len < 200 ? t->len : 200), t->s);
	return buf;
}

/* --- tokens, with $variables expanded ------------------------------------ */

static struct define *find_define(struct parser *p, const char *name, size_t n)
{
	uint32_t h = name_hash(name, n);

	if (!p->nbuckets)
		return NULL;
	for (struct define *d = p->buckets[h & (p->nbuckets - 1)]; d; d = d->bucket_next)
		if (d->hash == h && d->len == n && !d->undefined &&
		    memcmp(d->name, name, n) == 0)
			return d;
	return NULL;
}

/* D becomes the newest variable. */
static void push_define(struct parser *p, struct define *d)
{
	if (p->ndefs >= p->nbuckets) {
		/* twice the buckets, each list rebuilt in the order of P->defs
		 * (the newest first): oldest pushed first */
		uint32_t k = 0, n = p->nbuckets ? p->nbuckets * 2 : 64;
		struct define **all = malloc((p->ndefs + 1) * sizeof(*all));

		free(p->buckets);
		p->buckets = calloc(n, sizeof(*p->buckets));
		if (!all || !p->buckets)
			oom();
		p->nbuckets = n;
		for (struct define *e = p->defs; e; e = e->next)
			all[k++] = e;
		while (k--) {
			struct define **b = &p->buckets[all[k]->hash & (n - 1)];

			all[k]->bucket_next = *b;
			*b = all[k];
		}
		free(all);
	}
	d->next = p->defs;
	p->defs = d;
	d->bucket_next = p->buckets[d->hash & (p->nbuckets - 1)];
	p->buckets[d->hash & (p->nbuckets - 1)] = d;
	p->ndefs++;
}

/* Back to the variables of an enclosing block, whose newest was OUTER:
 * those defined since are each the newest of their bucket in turn. */
static void pop_defines(struct parser *p, struct define *outer)
{
	while (p->defs && p->defs != outer) {
		struct define *d = p->defs;

		p->buckets[d->hash & (p->nbuckets - 1)] = d->bucket_next;
		p->defs = d->next;
		p->ndefs--;
	}
}

static void raw_next(struct parser *p, struct token *t)
{
	for (;;) {
		struct define *d;

		lexer_next(p->lx, t);
		if (t->type != T_WORD || t->s[0] != '$' || t->len < 2) {
			p->expansions = 0;
			return;
		}
		d = find_define(p, t->s + 1, t->len - 1);
		if (!d) {
			perr(p, &t->loc, "undefined variable '%.*s'", (int)t->len - 1,
			     t->s + 1);
			return;
		}
		if (++p->expansions > 64 || lexer_depth(p->lx) >= 30) {
			perr(p, &t->loc, "variable '%.*s' expands too deeply (a cycle?)",
			     (int)t->len - 1, t->s + 1);
			return;
		}
		/* Variables within variables grow exponentially: a budget. */
		p->expanded += d->n;
		if (p->expanded > p->budget) {
			perr(p, &t->loc, "variables expand to more than %zu tokens; '%.*s' is not expanded",
			     p->budget, (int)t->len - 1, t->s + 1);
			p->stop = true;
			return;
		}
		/* Nested variables keep the outermost use. */
		lexer_push_tokens(p->lx, d->toks, d->n, t->use.line ? &t->use : &t->loc);
	}
}

static void next(struct parser *p, struct token *t)
{
	if (p->nla) {
		*t = p->la[0];
		memmove(p->la, p->la + 1, --p->nla * sizeof(*p->la));
		return;
	}
	raw_next(p, t);
}

/* The token K ahead (0: the next one), without taking it. */
static const struct token *peek_at(struct parser *p, size_t k)
{
	while (p->nla <= k)
		raw_next(p, &p->la[p->nla++]);
	return &p->la[k];
}

static const struct token *peek(struct parser *p)
{
	return peek_at(p, 0);
}

static void unget(struct parser *p, const struct token *t)
{
	if (p->nla == LOOKAHEAD)
		return;	/* cannot happen: callers unget at most one */
	memmove(p->la + 1, p->la, p->nla * sizeof(*p->la));
	p->la[0] = *t;
	p->nla++;
}

/* The place of V's next token (not counted until the caller does). */
static struct token *vec_room(struct tokvec *v)
{
	v->t = grow_array(v->t, &v->a, v->n + 1, sizeof(*v->t));
	return &v->t[v->n];
}

static void vec_push(struct parser *p, struct tokvec *v, const struct token *t)
{
	(void)p;
	*vec_room(v) = *t;
	v->n++;
}

/*
 * Gathers one statement: tokens up to a newline or ';' outside braces, or a
 * '}' that closes an enclosing block (left unread).  Returns the token that
 * ended it (T_NL for ';' too).
 */
static int collect(struct parser *p, struct tokvec *v)
{
	int depth = 0;

	v->n = 0;
	for (;;) {
		/* read in place: a token is kept far more often than not */
		struct token *t = vec_room(v);

		next(p, t);
		if (p->stop)
			return T_EOF;
		if (t->type == T_EOF) {
			if (depth)
				perr(p, &t->loc, "unexpected end of file: '{' is not closed");
			return T_EOF;
		}
		if (t->type == T_NL) {
			if (depth)
				continue;
			return T_NL;
		}
		if (tok_punct(t, ';') && !depth)
			return T_NL;
		if (tok_punct(t, '{'))
			depth++;
		if (tok_punct(t, '}')) {
			if (!depth) {
				unget(p, t);
				return T_PUNCT;
			}
			depth--;
		}
		v->n++;
	}
}

/* Skips the rest of a statement after an error. */
static void recover(struct parser *p)
{
	struct tokvec v = { 0 };

	collect(p, &v);
	free(v.t);
}

static char *tok_dup(struct parser *p, const struct token *t)
{
	return arena_strndup(&p->rs->arena, t->s, t->len);
}

/* Where a token stands in the text read: a $variable's value stands
 * where the variable is used. */
static const struct loc *at(const struct token *t)
{
	return t->use.line ? &t->use : &t->loc;
}

/* The span from A to B, if they share a line; else A. */
static struct loc span(const struct token *a, const struct token *b)
{
	struct loc l = *at(a);
	const struct loc *e = at(b);

	if (e->file == l.file && e->line == l.line && e->col_end >= l.col)
		l.col_end = e->col_end;
	return l;
}

/* --- values ---------------------------------------------------------------- */

static bool parse_uint(const char *s, size_t n, unsigned long *ret)
{
	unsigned long v = 0;
	size_t i = 0;
	int base = 10;

	/* decimal, by far the commonest: no base to look at per digit */
	if (n && n <= 9 && s[0] >= '1' && s[0] <= '9') {
		for (; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return false;
			v = v * 10 + (unsigned long)(s[i] - '0');
		}
		*ret = v;
		return true;
	}
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (n > 1 && s[0] == '0' && strspn(s, "01234567") >= n) {
		base = 8;	/* as nft reads it: 010 is 8 (but 08 is 8 too) */
		i = 1;
	}
	if (i == n)
		return false;
	for (; i < n; i++) {
		int d;
		char c = s[i];

		if (c >= '0' && c <= (base == 8 ? '7' : '9'))
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = v * (unsigned long)base + (unsigned long)d;
		if (v > 0xffffffffUL)
			v = 0xffffffffUL + 1;	/* saturate: reported as too big */
	}
	*ret = v;
	return true;
}

enum pv {
	PV_OK,
	PV_NOT_A_PORT,	/* not a number, range or name at all */
	PV_BAD,		/* reported */
};

/* One port or service name S (N bytes) at T's location. */
static enum pv port_atom(struct parser *p, const char *s, size_t n,
			 const struct token *t, unsigned protos,
			 struct port_lit *ret)
{
	unsigned long v;
	char name[128];
	uint16_t port;
	enum lit_kind kind;

	if (parse_uint(s, n, &v)) {
		if (v > 65535) {
			perr(p, &t->loc, "value %.*s exceeds valid range 0-65535",
			     (int)n, s);
			return PV_BAD;
		}
		ret->lo = ret->hi = (uint16_t)v;
		ret->kind = LIT_NUMBER;
		return PV_OK;
	}
	if (!n || n >= sizeof(name) || !((s[0] >= 'a' && s[0] <= 'z') ||
					 (s[0] >= 'A' && s[0] <= 'Z')))
		return PV_NOT_A_PORT;
	memcpy(name, s, n);
	name[n] = '\0';
	if (service_resolve(p->reg, name, protos, &port, &kind) < 0)
		return PV_NOT_A_PORT;
	ret->lo = ret->hi = port;
	ret->kind = (uint8_t)kind;
	ret->name = arena_strdup(&p->rs->arena, name);
	return PV_OK;
}

/*
 * "4096/8": the ports whose first 8 bits are those of 4096, 4096-4351 (nft
 * keeps the prefix, and drops the bits after it: 4097/8 is 4096/8 too).
 */
static enum pv port_prefix(struct parser *p, const struct token *t,
			   struct port_lit *ret)
{
	const char *slash = memchr(t->s, '/', t->len);
	unsigned long v, len;
	uint16_t mask;

	if (!slash || !parse_uint(t->s, (size_t)(slash - t->s), &v) ||
	    !parse_uint(slash + 1, (size_t)(t->s + t->len - slash - 1), &len))
		return PV_NOT_A_PORT;
	if (v > 65535 || len > 16) {
		perr(p, &t->loc, "prefix %.*s exceeds valid range 0-65535/16",
		     (int)t->len, t->s);
		return PV_BAD;
	}
	mask = (uint16_t)(len ? 0xffffu << (16 - len) : 0);
	ret->lo = (uint16_t)(v & mask);
	ret->hi = (uint16_t)(ret->lo | (uint16_t)~mask);
	ret->kind = LIT_NUMBER;
	return PV_OK;
}

/*
 * A port value written in one word: "22", "ssh", "80-88", "http-https".
 * Reports bad values; PV_NOT_A_PORT leaves reporting to the caller.
 */
static enum pv port_word(struct parser *p, const struct token *t,
			 unsigned protos, struct port_lit *ret)
{
	enum pv r;

	memset(ret, 0, sizeof(*ret));
	ret->loc = *at(t);	/* a $variable's port stands where it is used */
	if (t->type == T_STRING)	/* "http": how names like "time" are written */
		return port_atom(p, t->s, t->len, t, protos, ret) == PV_OK ? PV_OK :
		       PV_NOT_A_PORT;
	if (t->type != T_WORD)
		return PV_NOT_A_PORT;
	r = port_atom(p, t->s, t->len, t, protos, ret);
	if (r != PV_NOT_A_PORT)
		return r;
	r = port_prefix(p, t, ret);
	if (r != PV_NOT_A_PORT)
		return r;
	/* A range in one word starts with a number, as nft's scanner reads
	 * it: "20-ssh" is 20-22; "ssh-http" is one (unknown) name. */
	for (size_t i = 1; i + 1 < t->len; i++) {
		struct port_lit a = { 0 }, b = { 0 };
		unsigned long dummy;

		if (t->s[i] != '-' || !parse_uint(t->s, i, &dummy))
			continue;
		if (port_atom(p, t->s, i, t, protos, &a) != PV_OK)
			continue;
		r = port_atom(p, t->s + i + 1, t->len - i - 1, t, protos, &b);
		if (r == PV_BAD)
			return PV_BAD;
		if (r != PV_OK)
			continue;
		if (a.lo > b.lo) {
			perr(p, &t->loc, "range %.*s has zero or negative size",
			     (int)t->len, t->s);
			return PV_BAD;
		}
		ret->lo = a.lo;
		ret->hi = b.lo;
		ret->kind = a.kind != LIT_NUMBER ? a.kind : b.kind;
		ret->name = a.name ? a.name : b.name;
		return PV_OK;
	}
	/* A name neither the registry nor the services file knows. */
	if ((t->s[0] >= 'a' && t->s[0] <= 'z') || (t->s[0] >= 'A' && t->s[0] <= 'Z')) {
		perr(p, &t->loc, "could not resolve service '%.*s': not in the IANA registry nor in the services database",
		     (int)t->len, t->s);
		return PV_BAD;
	}
	return PV_NOT_A_PORT;
}

static void not_a_port(struct parser *p, const struct token *t)
{
	char b[256];

	perr(p, &t->loc, "%s is not a port number, range or service name",
	     tok_text(t, b, sizeof(b)));
}

/* port_word(), with "not a port" reported: true for a port. */
static bool port_word_reported(struct parser *p, const struct token *t,
			       unsigned protos, struct port_lit *ret)
{
	switch (port_word(p, t, protos, ret)) {
	case PV_OK:
		return true;
	case PV_NOT_A_PORT:
		not_a_port(p, t);
		return false;
	default:
		return false;
	}
}

/*
 * A port value starting at TOKS[*I]: a word, or "A - B" with spaces.
 * Advances *I past it.
 */
static enum pv port_value(struct parser *p, const struct token *toks, size_t n,
			  size_t *i, unsigned protos, struct port_lit *ret)
{
	enum pv r = port_word(p, &toks[*i], protos, ret);

	if (r != PV_OK)
		return r;
	(*i)++;
	if (*i + 1 < n && tok_is(&toks[*i], "-")) {
		struct port_lit hi;

		r = port_word(p, &toks[*i + 1], protos, &hi);
		if (r == PV_BAD)
			return r;
		if (r == PV_OK) {
			if (hi.hi < ret->lo) {
				perr(p, &toks[*i].loc, "range has zero or negative size");
				return PV_BAD;
			}
			ret->hi = hi.hi;
			ret->loc = span(&toks[*i - 1], &toks[*i + 1]);
			*i += 2;
		}
	}
	return PV_OK;
}

/* --- rules ------------------------------------------------------------------ */

struct selector {
	bool is_port;
	bool masked;		/* "tcp dport & 0xff00": the port is not compared as is */
	uint8_t field;		/* enum port_field */
	uint8_t source;		/* enum match_source */
	unsigned protos;	/* L4 bits; 0: from the rule's constraint */
	size_t len;		/* tokens */
};

struct rulectx {
	struct parser *p;
	struct rule *r;
	const struct token *t;
	size_t n, i;
	unsigned l4;		/* from meta l4proto, ip protocol, ip6 nexthdr */
	unsigned ct_l4;		/* from ct [original|reply] protocol */
	unsigned l4_not;	/* from "meta l4proto != tcp" and the like */
	size_t opaque_from;	/* first token of a pending opaque run */
	bool in_opaque;
	bool nat_no_l4;		/* the NAT statement being read has no
				 * transport protocol match before it */
	bool ct_untyped;	/* a ct port without one was reported */
	bool syntax_told;	/* a syntax error was reported */
	uint32_t *late;		/* matches whose protocols come from l4 */
	size_t nlate, alate;
};

static inline bool is_l4_word(const struct token *t, unsigned *ret)
{
	const char *name;
	unsigned bit;

	/* by the first byte: it is asked of nearly every word of a rule */
	if (t->type != T_WORD || t->len < 3)
		return false;
	switch (t->s[0]) {
	case 't':
		name = "tcp", bit = L4_TCP;
		break;
	case 'u':
		name = t->len == 3 ? "udp" : "udplite";
		bit = t->len == 3 ? L4_UDP : L4_UDPLITE;
		break;
	case 's':
		name = "sctp", bit = L4_SCTP;
		break;
	case 'd':
		name = "dccp", bit = L4_DCCP;
		break;
	default:
		return false;
	}
	/* the first byte is known equal; the rest, up to NAME's end */
	for (uint32_t i = 1; i < t->len; i++)
		if (name[i] == '\0' || t->s[i] != name[i])
			return false;
	if (name[t->len] != '\0')
		return false;
	*ret = bit;
	return true;
}

/*
 * The protocol selector at T[K] (of N tokens): "meta l4proto", "ip
 * protocol" or "ip6 nexthdr", or conntrack's "ct protocol", "ct original
 * protocol", "ct reply protocol" (*RET_CT set).  Its length; 0: none.
 */
static size_t proto_selector(const struct token *t, size_t n, size_t k, bool *ret_ct)
{
	*ret_ct = false;
	if (k + 1 >= n)
		return 0;
	if ((tok_is(&t[k], "meta") && tok_is(&t[k + 1], "l4proto")) ||
	    (tok_is(&t[k], "ip") && tok_is(&t[k + 1], "protocol")) ||
	    (tok_is(&t[k], "ip6") && tok_is(&t[k + 1], "nexthdr")))
		return 2;
	if (!tok_is(&t[k], "ct"))
		return 0;
	*ret_ct = true;
	if (tok_is(&t[k + 1], "protocol"))
		return 2;
	if (k + 2 < n && (tok_is(&t[k + 1], "original") || tok_is(&t[k + 1], "reply")) &&
	    tok_is(&t[k + 2], "protocol"))
		return 3;
	return 0;
}

/* A port selector at T[I]: tcp dport, th sport, @th,16,16, ct original proto-dst. */
static bool selector_at(const struct token *t, size_t n, size_t i,
			struct selector *s)
{
	unsigned bit;

	memset(s, 0, sizeof(*s));
	if (i + 1 < n && (tok_is(&t[i + 1], "dport") || tok_is(&t[i + 1], "sport"))) {
		s->field = tok_is(&t[i + 1], "dport") ? FIELD_DPORT : FIELD_SPORT;
		s->source = SRC_PAYLOAD;
		s->len = 2;
		if (is_l4_word(&t[i], &bit)) {
			s->protos = bit;
			s->is_port = true;
		} else if (tok_is(&t[i], "th")) {
			s->is_port = true;
		}
		return s->is_port;
	}
	if (i + 4 < n && tok_is(&t[i], "@th") && tok_punct(&t[i + 1], ',') &&
	    tok_punct(&t[i + 3], ',') && tok_is(&t[i + 4], "16") &&
	    (tok_is(&t[i + 2], "0") || tok_is(&t[i + 2], "16"))) {
		s->field = tok_is(&t[i + 2], "16") ? FIELD_DPORT : FIELD_SPORT;
		s->source = SRC_PAYLOAD;
		s->len = 5;
		s->is_port = true;
		return true;
	}
	if (i + 1 < n && tok_is(&t[i], "ct")) {
		size_t k = i + 1;
		bool reply = tok_is(&t[k], "reply");

		if (tok_is(&t[k], "original") || reply)
			k++;
		if (k < n && (tok_is(&t[k], "proto-dst") || tok_is(&t[k], "proto-src"))) {
			/* The reply tuple runs the other way: its source port is
			 * the service's (the original destination), its
			 * destination the client's. */
			s->field = tok_is(&t[k], "proto-dst") != reply ? FIELD_DPORT :
									 FIELD_SPORT;
			s->source = SRC_CT;
			s->len = k - i + 1;
			s->is_port = true;
			return true;
		}
	}
	return false;
}

static void keyword_name(struct parser *p, const struct token *t, const char *expecting);

/* A set or map named in a rule, T being "@name": a keyword there is a
 * syntax error to nft ("tcp dport @fwd"), as it is for a chain. */
static void set_ref_name(struct parser *p, const struct token *t)
{
	struct token w = *t;

	w.s++;
	w.len--;
	w.loc.col++;
	keyword_name(p, &w, "string");
}

/*
 * The sets the opaque tokens T[FROM..END) name ("ip saddr @blocklist",
 * "update @seen { ip saddr }"), but not a raw payload field ("@th,16,16")
 * nor a flowtable ("flow add @ft").
 */
static void note_set_refs(struct rulectx *c, size_t from, size_t end)
{
	struct parser *p = c->p;

	for (size_t k = from; k < end; k++) {
		const struct token *t = &c->t[k];

		if (t->type != T_WORD || t->len < 2 || t->s[0] != '@' ||
		    (k + 1 < c->n && tok_punct(&c->t[k + 1], ',')) ||
		    (k > 0 && tok_is(&c->t[k - 1], "offload")) ||
		    (k > 1 && tok_is(&c->t[k - 1], "add") && tok_is(&c->t[k - 2], "flow")))
			continue;
		p->refs = grow_array(p->refs, &p->arefs, p->nrefs + 1, sizeof(*p->refs));
		set_ref_name(p, t);
		p->refs[p->nrefs++] = (struct set_ref){
			.r = c->r, .s = t->s + 1, .len = t->len - 1, .loc = *at(t),
		};
	}
}

/* Whether rule R is still in the ruleset (not deleted or flushed with its
 * chain or table since it was read). */
static bool rule_alive(const struct ruleset *rs, const struct rule *r)
{
	const struct chain *ch = r->chain;
	const struct table *t = ch->table;
	uint32_t k = 0;

	while (k < rs->ntables && rs->tables[k] != t)
		k++;
	if (k == rs->ntables || table_find_chain(t, ch->name) != ch)
		return false;
	for (k = 0; k < ch->nrules; k++)
		if (ch->rules[k] == r)
			return true;
	return false;
}

/* nft refuses a rule naming a set its table lacks ("No such file or
 * directory"): the opaque expressions' sets, once everything is read. */
static void check_set_refs(struct parser *p)
{
	for (size_t k = 0; k < p->nrefs; k++) {
		const struct set_ref *f = &p->refs[k];
		const struct table *t = f->r->chain->table;
		char name[NAMEBUF];

		if (f->len >= sizeof(name))
			continue;
		memcpy(name, f->s, f->len);
		name[f->len] = '\0';
		if (table_find_set(t, name) || !rule_alive(p->rs, f->r))
			continue;
		perr(p, &f->loc, "set '%s' does not exist in table %s %s", name,
		     family_name(t->family), t->name);
	}
	free(p->refs);
}

static void early_add(struct parser *p, struct rule *r, const char *name,
		      size_t len, bool chain, const struct loc *loc)
{
	p->early = grow_array(p->early, &p->aearly, p->nearly + 1, sizeof(*p->early));
	p->early[p->nearly++] = (struct early_ref){
		.r = r, .name = arena_strndup(&p->rs->arena, name, len),
		.chain = chain, .loc = *loc,
	};
}

static void early_set(struct parser *p, struct rule *r, const char *name,
		      const struct loc *loc)
{
	if (name && !table_find_set(r->chain->table, name))
		early_add(p, r, name, strlen(name), false, loc);
}

static void early_chain(struct parser *p, struct rule *r, const char *name,
			const struct loc *loc)
{
	if (name && !table_find_chain(r->chain->table, name))
		early_add(p, r, name, strlen(name), true, loc);
}

static int cmp_early(const void *a, const void *b)
{
	const struct early_ref *x = a, *y = b;

	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	return x->loc.col < y->loc.col ? -1 : x->loc.col > y->loc.col;
}

/*
 * Once a statement is read: the sets, maps and chains its rules name that
 * their tables lack so far.  Whether they come later or never is known at
 * the end (statement_order_check()).
 */
static void statement_read(struct parser *p)
{
	size_t ref = p->fresh_refs;

	for (size_t k = 0; k < p->nfresh; k++) {
		struct rule *r = p->fresh[k];
		size_t from = p->nearly;

		if (r->verdict == VERDICT_JUMP || r->verdict == VERDICT_GOTO)
			early_chain(p, r, r->target, &r->loc);
		if (r->nat && r->nat->map)
			early_set(p, r, r->nat->map, &r->nat->loc);
		if (r->snat && r->snat->map)
			early_set(p, r, r->snat->map, &r->snat->loc);
		for (uint32_t mi = 0; mi < r->nmatches; mi++) {
			const struct port_match *m = &r->matches[mi];

			if (m->set && m->source != SRC_IPSET)
				early_set(p, r, m->set, &m->loc);
			else if (m->kind == MATCH_VMAP)
				for (uint32_t l = 0; l < m->nlits; l++)
					early_chain(p, r, m->lits[l].target, &m->lits[l].loc);
		}
		/* the sets its opaque expressions name, noted as it was read */
		for (; ref < p->nrefs && p->refs[ref].r == r; ref++) {
			const struct set_ref *f = &p->refs[ref];
			char name[NAMEBUF];

			if (f->len >= sizeof(name))
				continue;
			memcpy(name, f->s, f->len);
			name[f->len] = '\0';
			if (!table_find_set(r->chain->table, name))
				early_add(p, r, f->s, f->len, false, &f->loc);
		}
		/* a rule's own, in the order they are written, each name once
		 * ("dnat to tcp dport map @m" names @m as a key and a map) */
		if (p->nearly - from > 1) {
			size_t o = from + 1;

			qsort(p->early + from, p->nearly - from, sizeof(*p->early),
			      cmp_early);
			for (size_t j = from + 1; j < p->nearly; j++) {
				bool seen = false;

				for (size_t q = from; q < o && !seen; q++)
					seen = p->early[q].chain == p->early[j].chain &&
					       strcmp(p->early[q].name, p->early[j].name) == 0;
				if (!seen)
					p->early[o++] = p->early[j];
			}
			p->nearly = o;
		}
	}
	p->nfresh = 0;
	p->fresh_refs = p->nrefs;
}

/*
 * What a rule names that was added only by a later statement: nft fails
 * there ("No such file or directory"), whatever happens to the rule
 * afterwards.  What was never added is reported where sets and chains are
 * resolved, but for rules flushed or deleted since: nft fails on them too.
 */
static void statement_order_check(struct parser *p)
{
	for (size_t k = 0; k < p->nearly; k++) {
		const struct early_ref *e = &p->early[k];
		const struct table *t = e->r->chain->table;
		const struct set *s = e->chain ? NULL : table_find_set(t, e->name);

		if (e->chain ? table_find_chain(t, e->name) != NULL : s != NULL)
			perr(p, &e->loc, "%s '%s' is added to table %s %s only after this rule: nft reads a file in order, and the rule fails (No such file or directory)",
			     e->chain ? "chain" : s->is_map ? "map" : "set", e->name,
			     family_name(t->family), t->name);
		else if (!rule_alive(p->rs, e->r))
			perr(p, &e->loc, "%s '%s' does not exist in table %s %s",
			     e->chain ? "chain" : "set", e->name,
			     family_name(t->family), t->name);
	}
	free(p->early);
	free(p->fresh);
}

static void flush_opaque(struct rulectx *c, size_t end)
{
	char buf[1024];
	size_t o = 0;
	struct loc loc;

	if (!c->in_opaque)
		return;
	c->in_opaque = false;
	if (end > c->n)
		end = c->n;
	if (end <= c->opaque_from)
		return;
	note_set_refs(c, c->opaque_from, end);
	{
		/* Written on one line, as is: keep the source text itself. */
		const struct token *a = &c->t[c->opaque_from], *b = &c->t[end - 1];

		if (!a->use.line && !b->use.line && a->loc.file == b->loc.file &&
		    a->loc.line == b->loc.line && b->s >= a->s &&
		    b->s + b->len - a->s < 4096) {
			const char *from = a->s - (a->type == T_STRING);
			const char *to = b->s + b->len + (b->type == T_STRING);

			loc = span(a, b);
			rule_add_opaque_src(c->p->rs, c->r, from, (size_t)(to - from), &loc);
			return;
		}
	}
	for (size_t k = c->opaque_from; k < end && o < sizeof(buf) - 4; k++) {
		const struct token *t = &c->t[k];
		int w = t->type == T_STRING ?
			snprintf(buf + o, sizeof(buf) - o, "%s\"%.*s\"", o ? " " : "",
				 (int)t->len, t->s) :
			snprintf(buf + o, sizeof(buf) - o, "%s%.*s", o ? " " : "",
				 (int)t->len, t->s);

		if (w < 0)
			break;
		o += (size_t)w;
		if (o >= sizeof(buf))
			o = sizeof(buf) - 1;
	}
	loc = span(&c->t[c->opaque_from], &c->t[end - 1]);
	rule_add_opaque(c->p->rs, c->r, buf, &loc);
}

static void late_add(struct rulectx *c, uint32_t idx)
{
	c->late = grow_array(c->late, &c->alate, c->nlate + 1, sizeof(*c->late));
	c->late[c->nlate++] = idx;
}

static enum family rule_family(const struct rulectx *c)
{
	return (enum family)c->r->chain->table->family;
}

static unsigned effective_protos(const struct rulectx *c, const struct selector *s)
{
	if (s->protos)
		return s->protos;
	return c->l4 ? c->l4 : L4_ANY;
}

static void add_lit(struct rulectx *c, struct port_match *m,
		    const struct port_lit *lit, uint32_t *alits)
{
	lits_add(c->p->rs, &m->lits, &m->nlits, alits, lit);
	portset_add(c->p->rs, &m->ports, lit->lo, lit->hi);
}

static bool is_end_of_set(const struct token *t)
{
	return tok_punct(t, '}');
}

/*
 * The elements of an anonymous set, C->t[C->i] being '{'.  For each element,
 * ON_ELEM gets its tokens; nested braces (a $variable holding a set) are
 * flattened.  Advances past the closing brace.
 */
typedef void (*elem_fn)(struct rulectx *c, const struct token *t, size_t n,
			void *arg);

static bool for_each_elem(struct rulectx *c, elem_fn fn, void *arg)
{
	size_t start, depth = 0;
	const struct token *open = &c->t[c->i];

	c->i++;
	start = c->i;
	for (; c->i < c->n; c->i++) {
		const struct token *t = &c->t[c->i];

		if (tok_punct(t, '{')) {
			if (depth == 0 && c->i == start) {
				/* a nested set: its elements are ours */
				if (!for_each_elem(c, fn, arg))
					return false;
				start = c->i;
				if (c->i < c->n && tok_punct(&c->t[c->i], ','))
					start = c->i + 1;
				else
					c->i--;
				continue;
			}
			depth++;
		} else if (tok_punct(t, '}')) {
			if (depth) {
				depth--;
				continue;
			}
			if (c->i > start)
				fn(c, &c->t[start], c->i - start, arg);
			c->i++;
			return true;
		} else if (tok_punct(t, ',') && !depth) {
			if (c->i > start)
				fn(c, &c->t[start], c->i - start, arg);
			start = c->i + 1;
		}
	}
	perr(c->p, &open->loc, "'{' is not closed");
	return false;
}

/*
 * Room for the literals and ranges of the anonymous set at C->t[C->i]
 * ('{'), one per element at its top level: they are added one by one, and
 * growing by doubling from one costs more than reading them.
 */
static void reserve_elems(struct rulectx *c, struct port_match *m,
			  uint32_t *alits)
{
	struct arena *a = &c->p->rs->arena;
	uint32_t want = 1;
	int depth = 0;

	for (size_t k = c->i; k < c->n; k++) {
		const struct token *t = &c->t[k];

		if (t->type != T_PUNCT)
			continue;
		if (t->punct == '{')
			depth++;
		else if (t->punct == '}' && --depth == 0)
			break;
		else if (t->punct == ',' && depth == 1)
			want++;
	}
	if (want > *alits) {
		m->lits = arena_grow(a, m->lits, *alits * sizeof(*m->lits),
				     want * sizeof(*m->lits));
		*alits = want;
	}
	if (want > m->ports.a) {
		m->ports.r = arena_grow(a, m->ports.r, m->ports.a * sizeof(*m->ports.r),
					want * sizeof(*m->ports.r));
		m->ports.a = want;
	}
}

/* An element's key, when it is one port, and its data, for overlaps. */
struct keyspan {
	uint16_t lo, hi;
	uint32_t idx;		/* in the order written */
	struct loc loc;
	char data[64];		/* a map's data as written, words joined */
};

struct keyspans {
	struct keyspan *v;
	size_t n, a;
};

struct elem_ctx {
	struct port_match *m;
	uint32_t alits;
	unsigned protos;
	int component;		/* the port component of a concatenation */
	int proto_component;	/* 1 + its protocol component ("tcp . 22"); 0 */
	bool map;		/* element is "key : value" */
	bool vmap;
	struct keyspans *spans;	/* where to record the keys; NULL: not */
};

/* A map element's data, the words after its ':', into BUF. */
static void elem_data(const struct token *t, size_t n, char *buf, size_t size)
{
	size_t o = 0;
	bool after = false;

	buf[0] = '\0';
	for (size_t j = 0; j < n && o < size - 1; j++) {
		const char *s = t[j].s;
		size_t len = t[j].len;

		if (!after) {
			const char *colon = t[j].type == T_WORD ? memchr(s, ':', len) : NULL;

			if (!colon)
				continue;
			after = true;
			len -= (size_t)(colon + 1 - s);
			s = colon + 1;
			if (!len)
				continue;
		}
		if (o && o < size - 1)
			buf[o++] = ' ';
		if (len > size - 1 - o)
			len = size - 1 - o;
		memcpy(buf + o, s, len);
		o += len;
		buf[o] = '\0';
	}
}

static void span_add(struct keyspans *ks, const struct port_lit *lit,
		     const struct token *t, size_t n)
{
	struct keyspan *k;

	ks->v = grow_array(ks->v, &ks->a, ks->n + 1, sizeof(*ks->v));
	k = &ks->v[ks->n];
	k->lo = lit->lo;
	k->hi = lit->hi;
	k->idx = (uint32_t)ks->n++;
	k->loc = lit->loc;
	elem_data(t, n, k->data, sizeof(k->data));
}

static int cmp_span(const void *a, const void *b)
{
	const struct keyspan *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * The element keys KS of one set or map, one port each: a map's key
 * given twice with other data is refused by the kernel ("Could not
 * process rule: File exists", at the later one); with INTERVAL (an
 * interval set without auto-merge, an interval map, a map in a rule)
 * keys that overlap but are not the same are refused by nft ("conflicting
 * intervals specified", at the one that starts later).  Checked with nft
 * -c for each kind.  Sorts KS.
 */
static void key_overlaps(struct parser *p, struct keyspans *ks, bool interval, bool map)
{
	size_t top = 0;

	if (ks->n < 2)
		return;
	qsort(ks->v, ks->n, sizeof(*ks->v), cmp_span);
	for (size_t k = 1; map && k < ks->n; k++) {
		const struct keyspan *a = &ks->v[k - 1], *b = &ks->v[k];

		/* nft names the later one, the first in an interval map */
		if (a->lo == b->lo && a->hi == b->hi && strcmp(a->data, b->data) != 0) {
			perr(p, interval ? &a->loc : &b->loc, "Could not process rule: File exists");
			return;
		}
	}
	for (size_t k = 1; interval && k < ks->n; k++) {
		const struct keyspan *t = &ks->v[top], *b = &ks->v[k];

		if (b->lo <= t->hi && !(b->lo == t->lo && b->hi == t->hi)) {
			perr(p, &b->loc, "conflicting intervals specified");
			return;
		}
		if (b->hi > t->hi)
			top = k;
	}
}

/* The keys KS of a map written in a rule, which is an interval map when a
 * key is a range; KS is freed. */
static void rule_map_keys(struct parser *p, struct keyspans *ks)
{
	bool interval = false;

	for (size_t k = 0; k < ks->n && !interval; k++)
		interval = ks->v[k].lo != ks->v[k].hi;
	key_overlaps(p, ks, interval, true);
	free(ks->v);
}

/*
 * A protocol as nft reads an inet_proto value: a number (6, 0x11, 010 in
 * octal) or a name from the protocols database, where the transport
 * protocols with ports are "tcp", "udp", "sctp", "dccp", "udplite" and
 * the aliases "TCP", "UDP", ... (nft refuses "Tcp").  One L4 bit; 0 for
 * any other protocol (icmp has no ports).
 */
static unsigned proto_word(const struct token *t)
{
	static const struct { const char *name, *alias; unsigned bit; int number; } l4[] = {
		{ "tcp", "TCP", L4_TCP, 6 }, { "udp", "UDP", L4_UDP, 17 },
		{ "sctp", "SCTP", L4_SCTP, 132 }, { "dccp", "DCCP", L4_DCCP, 33 },
		{ "udplite", "UDPLite", L4_UDPLITE, 136 },
	};
	unsigned long v;
	bool num;

	if (t->type != T_WORD && t->type != T_STRING)
		return 0;
	num = parse_uint(t->s, t->len, &v);
	for (size_t k = 0; k < sizeof(l4) / sizeof(*l4); k++) {
		size_t n = strlen(l4[k].name), na = strlen(l4[k].alias);

		if (num ? v == (unsigned long)l4[k].number :
			  (t->len == n && memcmp(t->s, l4[k].name, n) == 0) ||
			  (t->len == na && memcmp(t->s, l4[k].alias, na) == 0))
			return l4[k].bit;
	}
	return 0;
}

/*
 * The protocol component COMP of an element's key T[0..END): one L4 bit
 * when it is one protocol with ports.  A range ("6-17"), a protocol with
 * no ports or anything else gives 0: its port then keeps the protocols
 * the rule gives it (or "any") rather than a guess.
 */
static unsigned elem_proto(const struct token *t, size_t end, int comp, bool map)
{
	size_t k = 0, j;
	int c = 0;
	struct token w;

	while (c < comp && k < end) {
		if (tok_is(&t[k], "."))
			c++;
		k++;
	}
	for (j = k; j < end && !tok_is(&t[j], "."); j++)
		;
	if (j != k + 1)
		return 0;
	w = t[k];
	if (map && w.type == T_WORD && memchr(w.s, ':', w.len))
		w.len = (uint32_t)((const char *)memchr(w.s, ':', w.len) - w.s);
	return proto_word(&w);
}

/* Whether the word holds a map's ':' separator ("22:accept", "80:"). */
static const char *map_colon(const struct token *t)
{
	if (t->type != T_WORD)
		return NULL;
	return memchr(t->s, ':', t->len);
}


/* A jump's or goto's chain T: nft's grammar takes an unquoted name or a
 * variable there, never a quoted string ("jump \"web\"" fails with
 * "unexpected quoted string"), nor a keyword.  Reported; read on. */
static void jump_target(struct parser *p, const struct token *t, const char *expecting)
{
	if (t->type == T_STRING && !t->use.line)
		perr(p, &t->loc, "syntax error, unexpected quoted string, expecting %s",
		     expecting);
	keyword_name(p, t, expecting);
}

/*
 * A verdict map element's verdict: "22 : accept", "22:drop", "22: jump
 * web".  A jump's or goto's chain into *RET_TARGET (the token after it;
 * NULL: none).
 */
static enum verdict elem_verdict(const struct token *t, size_t n, size_t k,
				 const struct token **ret_target)
{
	const char *s = NULL;
	size_t len = 0, at_tok = n;
	int v;

	*ret_target = NULL;
	for (size_t j = k; j < n && !s; j++) {
		const char *colon = map_colon(&t[j]);

		if (tok_is(&t[j], ":") || (colon && colon + 1 == t[j].s + t[j].len)) {
			if (j + 1 < n) {
				s = t[j + 1].s;
				len = t[j + 1].len;
				at_tok = j + 1;
			}
			break;
		}
		if (colon) {
			s = colon + 1;
			len = (size_t)(t[j].s + t[j].len - s);
			at_tok = j;
		}
	}
	if (!s || (v = verdict_from_name(s, len)) < 0)
		return VERDICT_NONE;
	if ((v == VERDICT_JUMP || v == VERDICT_GOTO) && at_tok + 1 < n &&
	    (t[at_tok + 1].type == T_WORD || t[at_tok + 1].type == T_STRING))
		*ret_target = &t[at_tok + 1];
	return (enum verdict)v;
}

/*
 * Where an element's key ends among its N tokens T: at a ':' token (a
 * map's, when MAP) or at its options ("22 timeout 10s", "80 comment
 * \"web\"").
 */
static size_t elem_key_end(const struct token *t, size_t n, bool map)
{
	size_t end = n;

	for (size_t j = 0; map && j < n; j++) {
		if (tok_is(&t[j], ":")) {
			end = j;
			break;
		}
	}
	for (size_t j = 1; j < end; j++) {
		if (tok_is(&t[j], "timeout") || tok_is(&t[j], "expires") ||
		    tok_is(&t[j], "comment") || tok_is(&t[j], "counter"))
			return j;
	}
	return end;
}

static void port_elem(struct rulectx *c, const struct token *t, size_t n,
		      void *arg)
{
	struct elem_ctx *e = arg;
	size_t k = 0, comp = 0, end;
	struct port_lit lit;
	struct token word;
	unsigned proto = 0;

	end = elem_key_end(t, n, e->map);
	/* Walk to the port component of a concatenation. */
	while ((int)comp < e->component && k < end) {
		if (tok_is(&t[k], "."))
			comp++;
		k++;
	}
	if (k >= end) {
		perr(c->p, &t[0].loc, "element has no port component");
		return;
	}
	word = t[k];
	if (e->map && end == n) {
		const char *colon = map_colon(&word);

		if (colon)
			word.len = (uint32_t)(colon - word.s);
	}
	if (e->proto_component)
		proto = elem_proto(t, end, e->proto_component - 1, e->map && end == n);
	{
		size_t j = 0;
		struct token tmp[3];
		size_t m = 0;

		tmp[m++] = word;
		if (k + 2 < end && tok_is(&t[k + 1], "-")) {
			tmp[m++] = t[k + 1];
			tmp[m++] = t[k + 2];
		}
		/* "udp . domain": a name resolved for its own protocol */
		switch (port_value(c->p, tmp, m, &j, proto ? proto : e->protos, &lit)) {
		case PV_OK:
			if (e->vmap) {
				const struct token *to;

				lit.verdict = (uint8_t)elem_verdict(t, n, k, &to);
				if (to) {
					jump_target(c->p, to, "string or '$'");
					lit.target = tok_dup(c->p, to);
				}
			}
			lit.proto = (uint8_t)proto;
			for (size_t q = end; q + 1 < n && !lit.commented; q++)
				lit.commented = tok_is(&t[q], "comment") &&
						t[q + 1].type == T_STRING && t[q + 1].len;
			add_lit(c, e->m, &lit, &e->alits);
			if (e->spans)
				span_add(e->spans, &lit, t, n);
			break;
		case PV_NOT_A_PORT:
			if (word.s[0] != '$')	/* an undefined variable: reported */
				not_a_port(c->p, &word);
			break;
		case PV_BAD:
			break;
		}
	}
}

static bool is_op(const struct token *t, char *ret)
{
	if (t->type == T_PUNCT) {
		switch (t->punct) {
		case '<': case '>': case P_LE: case P_GE: case P_NE: case P_EQ:
			*ret = t->punct;
			return true;
		}
		return false;
	}
	/* eq, ne, lt, gt, le, ge */
	if (t->type != T_WORD || t->len != 2)
		return false;
	switch (t->s[0]) {
	case 'e':
		if (t->s[1] != 'q')
			return false;
		*ret = P_EQ;
		return true;
	case 'n':
		if (t->s[1] != 'e')
			return false;
		*ret = P_NE;
		return true;
	case 'l': case 'g':
		if (t->s[1] != 't' && t->s[1] != 'e')
			return false;
		*ret = t->s[1] == 'e' ? (t->s[0] == 'l' ? P_LE : P_GE) : t->s[0] == 'l' ? '<' : '>';
		return true;
	}
	return false;
}

static struct port_match *new_match(struct rulectx *c, const struct selector *s,
				    const struct token *first)
{
	struct port_match *m = rule_add_match(c->p->rs, c->r);

	m->field = s->field;
	m->source = s->source;
	m->protos = (uint8_t)effective_protos(c, s);
	m->kind = MATCH_VALUE;
	m->loc = *at(first);
	if (!s->protos)
		late_add(c, c->r->nmatches - 1);
	return m;
}

/* "tcp dport", "ip daddr . tcp dport": the tokens from SEL to the value. */
static const char *selector_text(struct rulectx *c, const struct token *sel)
{
	static char buf[256];
	size_t o = 0;

	buf[0] = '\0';
	for (const struct token *t = sel; t < c->t + c->i && o < sizeof(buf) - 2; t++) {
		int w = snprintf(buf + o, sizeof(buf) - o, "%s%.*s",
				 o && t->type == T_WORD && t[-1].type == T_WORD ? " " : "",
				 (int)t->len, t->s);

		if (w < 0)
			break;
		o += (size_t)w;
	}
	if (o >= sizeof(buf))
		buf[sizeof(buf) - 1] = '\0';
	return buf;
}

/* Words that begin a statement, never a port value. */
static bool is_statement_word(const struct token *t)
{
	static const char *const words[] = {
		"accept", "drop", "reject", "jump", "goto", "return", "continue",
		"queue", "counter", "log", "limit", "comment", "dnat", "snat",
		"redirect", "masquerade", "tproxy", "notrack", "meta", "ct",
	};

	if (t->type != T_WORD)
		return false;
	for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
		if (tok_is(t, words[k]))
			return true;
	return false;
}

/* The value side of a port match at C->t[C->i]; M is filled. */
static void match_value(struct rulectx *c, struct port_match *m,
			const struct token *sel, int component, bool concat)
{
	struct elem_ctx e = {
		.m = m, .protos = m->protos, .component = component,
		.proto_component = m->proto_comp,
	};
	char op = P_EQ;
	const struct token *t;

	if (c->i < c->n && is_op(&c->t[c->i], &op))
		c->i++;
	if (c->i >= c->n) {
		perr(c->p, &sel->loc, "'%s' needs a value", selector_text(c, sel));
		return;
	}
	t = &c->t[c->i];
	if (is_statement_word(t)) {
		perr(c->p, &t->loc, "'%s' needs a value before '%.*s'", selector_text(c, sel),
		     (int)t->len, t->s);
		return;
	}
	m->negated = op == P_NE;
	if (tok_is(t, "vmap") || tok_is(t, "map")) {
		bool vmap = tok_is(t, "vmap");

		m->kind = vmap ? MATCH_VMAP : MATCH_MAP;
		if (vmap)
			c->r->verdict = VERDICT_MAP;
		c->i++;
		if (c->i < c->n && c->t[c->i].type == T_WORD && c->t[c->i].s[0] == '@') {
			set_ref_name(c->p, &c->t[c->i]);
			m->set = arena_strndup(&c->p->rs->arena, c->t[c->i].s + 1,
					       c->t[c->i].len - 1);
			m->set_comp = (uint8_t)component;
			c->i++;
		} else if (c->i < c->n && tok_punct(&c->t[c->i], '{')) {
			struct keyspans ks = { 0 };

			e.map = true;
			e.vmap = vmap;
			e.spans = concat ? NULL : &ks;
			reserve_elems(c, m, &e.alits);
			for_each_elem(c, port_elem, &e);
			rule_map_keys(c->p, &ks);
		} else {
			perr(c->p, &t->loc, "'%.*s' needs '{' or a named map", (int)t->len, t->s);
		}
		goto done;
	}
	if (t->type == T_WORD && t->s[0] == '@') {
		m->kind = MATCH_SET;
		set_ref_name(c->p, t);
		m->set = arena_strndup(&c->p->rs->arena, t->s + 1, t->len - 1);
		m->set_comp = (uint8_t)component;
		c->i++;
		goto done;
	}
	if (tok_punct(t, '{')) {
		if (concat)
			m->kind = MATCH_CONCAT;
		reserve_elems(c, m, &e.alits);
		for_each_elem(c, port_elem, &e);
		goto done;
	}
	if (concat) {
		/* ip daddr . tcp dport 10.0.0.1 . 22: one element, unbraced */
		size_t start = c->i, k = c->i;

		while (k < c->n && (c->t[k].type == T_WORD) &&
		       (k == start || tok_is(&c->t[k - 1], ".") || tok_is(&c->t[k], ".")))
			k++;
		m->kind = MATCH_CONCAT;
		port_elem(c, &c->t[start], k - start, &e);
		c->i = k;
		goto done;
	}
	{
		struct port_lit lit;

		switch (port_value(c->p, c->t, c->n, &c->i, m->protos, &lit)) {
		case PV_OK:
			switch (op) {
			case '<':
				if (lit.lo == 0) {
					m->ports.n = 0;	/* matches nothing */
					lits_add(c->p->rs, &m->lits, &m->nlits, &e.alits, &lit);
					goto done;
				}
				lit.hi = (uint16_t)(lit.lo - 1);
				lit.lo = 0;
				break;
			case P_LE:
				lit.lo = 0;
				break;
			case '>':
				if (lit.hi == 65535) {
					lits_add(c->p->rs, &m->lits, &m->nlits, &e.alits, &lit);
					goto done;
				}
				lit.lo = (uint16_t)(lit.hi + 1);
				lit.hi = 65535;
				break;
			case P_GE:
				lit.hi = 65535;
				break;
			}
			add_lit(c, m, &lit, &e.alits);
			break;
		case PV_NOT_A_PORT:
			if (t->s[0] != '$')	/* an undefined variable: reported */
				not_a_port(c->p, t);
			c->i++;
			break;
		case PV_BAD:
			c->i++;
			break;
		}
	}
done:
	if (c->i > 0)
		m->loc = span(sel, &c->t[c->i - 1]);
	portset_normalize(&m->ports);
}

#define MAX_BITOPS 8

/*
 * Bitwise operations on a port at C->t[K]: "& 0xff00", "and 0xff00",
 * "&0xff00", "| 1", "^ 1".  Returns how many tokens they take (0: none);
 * with OPS, fills it (MAX_BITOPS at most) and *RET_N.
 */
static size_t bitops(const struct rulectx *c, size_t k, struct port_bitop *ops,
		     uint32_t *ret_n)
{
	static const struct { const char *w; char op; } words[] = {
		{ "&", '&' }, { "and", '&' }, { "|", '|' }, { "or", '|' },
		{ "^", '^' }, { "xor", '^' },
	};
	size_t i = k;
	uint32_t n = 0;

	while (i < c->n && n < MAX_BITOPS && c->t[i].type == T_WORD) {
		const struct token *t = &c->t[i];
		const char *num = NULL;
		size_t numlen = 0, len = 0;
		unsigned long v;
		char op = 0;

		for (size_t w = 0; w < sizeof(words) / sizeof(*words) && !op; w++) {
			if (tok_is(t, words[w].w) && i + 1 < c->n &&
			    c->t[i + 1].type == T_WORD) {
				op = words[w].op;
				num = c->t[i + 1].s;
				numlen = c->t[i + 1].len;
				len = 2;
			} else if (t->len > 1 && t->s[0] == words[w].w[0] &&
				   words[w].w[1] == '\0') {
				op = words[w].op;
				num = t->s + 1;
				numlen = t->len - 1;
				len = 1;
			}
		}
		if (!op || !parse_uint(num, numlen, &v) || v > 0xffff)
			break;
		if (ops)
			ops[n] = (struct port_bitop){ op, (uint16_t)v };
		n++;
		i += len;
	}
	if (ret_n)
		*ret_n = n;
	return i - k;
}

/*
 * "tcp dport & 0xff00 == 0x1000", "... { 0x1000, 0x2000 }", "... <
 * 0x1000", "... != 0x1000-0x2000": the ports the kernel's bitwise and
 * compare expressions match, with no literals (the values are not ports).
 * C->t[C->i] is the selector S, AFTER its end.  False leaves the tokens
 * to be kept opaque: a map or set lookup on a masked port, or a mask
 * that matches too scattered a set of ports.
 */
static bool try_masked(struct rulectx *c, const struct selector *s, size_t after)
{
	struct port_bitop ops[MAX_BITOPS];
	struct port_match scratch = { 0 };
	struct elem_ctx e = { .m = &scratch, .protos = effective_protos(c, s) };
	struct portset res = { 0 };
	const struct token *first = &c->t[c->i];
	struct port_match *m;
	size_t start = c->i, k;
	uint32_t nops;
	char op = P_EQ;

	k = after + bitops(c, after, ops, &nops);
	if (k < c->n && is_op(&c->t[k], &op))
		k++;
	if (k >= c->n || is_statement_word(&c->t[k]))
		return false;
	if (tok_is(&c->t[k], "vmap") || tok_is(&c->t[k], "map") ||
	    (c->t[k].type == T_WORD && c->t[k].s[0] == '@')) {
		if (tok_is(&c->t[k], "vmap"))
			c->r->verdict = VERDICT_MAP;
		return false;
	}
	c->i = k;
	if (tok_punct(&c->t[c->i], '{')) {
		if (op != P_EQ && op != P_NE) {
			c->i = start;
			return false;
		}
		for_each_elem(c, port_elem, &e);
	} else {
		struct port_lit lit;

		if (port_value(c->p, c->t, c->n, &c->i, e.protos, &lit) != PV_OK) {
			c->i = start;
			return false;
		}
		switch (op) {
		case '<':
			if (!lit.lo)
				goto compute;	/* nothing is below 0 */
			lit.hi = (uint16_t)(lit.lo - 1);
			lit.lo = 0;
			break;
		case P_LE:
			lit.lo = 0;
			break;
		case '>':
			if (lit.hi == 65535)
				goto compute;
			lit.lo = (uint16_t)(lit.hi + 1);
			lit.hi = 65535;
			break;
		case P_GE:
			lit.hi = 65535;
			break;
		}
		portset_add(c->p->rs, &scratch.ports, lit.lo, lit.hi);
	}
compute:
	portset_normalize(&scratch.ports);
	if (!portset_add_bitwise(c->p->rs, &res, ops, nops, &scratch.ports)) {
		c->i = start;
		return false;
	}
	flush_opaque(c, start);
	m = new_match(c, s, first);
	m->negated = op == P_NE;
	m->ports = res;
	m->loc = span(first, &c->t[c->i - 1]);
	return true;
}

/*
 * Components of a concatenation from T[I]: port selectors and other words
 * joined by '.'.  Fills SEL and COMP_AT for each (SEL[k].is_port tells the
 * ports) and returns how many; *RET_END is the token after the last.
 */
#define MAX_COMPONENTS 8

static size_t components(const struct rulectx *c, size_t i, struct selector *sel,
			 size_t *comp_at, size_t *ret_end, const char *stop)
{
	size_t k = i, n = 0;

	for (;;) {
		size_t words = 0;

		if (n == MAX_COMPONENTS)
			break;
		comp_at[n] = k;
		if (selector_at(c->t, c->n, k, &sel[n])) {
			size_t nb;

			k += sel[n].len;
			nb = bitops(c, k, NULL, NULL);
			if (nb) {
				sel[n].masked = true;
				k += nb;
			}
		} else {
			bool ct;

			/* A protocol selector starts a component of its own:
			 * "tcp flags syn meta l4proto . th dport" is read from
			 * "syn" too, and "meta l4proto" must not end up in a
			 * component "syn meta l4proto" */
			while (k < c->n && c->t[k].type == T_WORD && !tok_is(&c->t[k], ".") &&
			       c->t[k].s[0] != '@' && !(stop && tok_is(&c->t[k], stop)) &&
			       words < 3 && !(words && selector_at(c->t, c->n, k, &sel[n])) &&
			       !(words && proto_selector(c->t, c->n, k, &ct))) {
				k++;
				words++;
			}
			if (!words)
				break;
			sel[n].is_port = false;
		}
		n++;
		if (k < c->n && tok_is(&c->t[k], ".")) {
			k++;
			continue;
		}
		break;
	}
	*ret_end = k;
	return n;
}

/*
 * 1 + the first component of a concatenation that is a protocol: "meta
 * l4proto", "ip protocol" or "ip6 nexthdr" (kube-proxy's "ip daddr . meta
 * l4proto . th dport"); 0: none.  Its value in each element is the
 * protocol of that element's th ports.
 */
static uint8_t proto_component(const struct rulectx *c, const struct selector *sel,
			       const size_t *comp_at, size_t ncomp, size_t end)
{
	for (size_t k = 0; k < ncomp && k < 255; k++) {
		size_t a = comp_at[k], len = (k + 1 < ncomp ? comp_at[k + 1] - 1 : end) - a;

		bool ct;

		if (sel[k].is_port || len != 2)
			continue;
		if (proto_selector(c->t, c->n, a, &ct) == 2 && !ct)
			return (uint8_t)(k + 1);
	}
	return 0;
}

static bool l4_context(const struct token *t, size_t upto, enum family fam);

/*
 * "ct original proto-dst 22" with no transport protocol match before it:
 * nft cannot type the value ("Can't parse symbolic invalid expressions")
 * and refuses the rule.  Reported once per rule, as nft does: at the
 * value at C->t[END], or (END 0) at the selector, in a concatenation.
 * SEL is the selector at C->t[AT].
 */
static void ct_port_context(struct rulectx *c, const struct selector *sel,
			    size_t at, size_t end)
{
	const struct token *t = &c->t[at];
	struct loc loc;
	char op;

	/* ct protocol types it in ip and ip6 tables, elsewhere only after
	 * a network protocol match (net_context()) */
	if (sel->source != SRC_CT || c->ct_untyped || l4_context(c->t, at, rule_family(c)))
		return;
	c->ct_untyped = true;
	loc = span(t, &t[sel->len - 1]);
	if (end) {
		if (end < c->n && is_op(&c->t[end], &op))
			end++;
		if (end < c->n && (tok_is(&c->t[end], "vmap") || tok_is(&c->t[end], "map")))
			end++;
		if (end < c->n && tok_punct(&c->t[end], '{'))
			end++;
		if (end < c->n)
			loc = c->t[end].loc;
	}
	/* "ct proto-dst" or "ct original proto-dst": tokens that may come
	 * from different variables, so written word by word */
	perr(c->p, &loc, "'%.*s %.*s%s%.*s' needs a transport protocol match before it: nft cannot type its value",
	     (int)t[0].len, t[0].s, (int)t[1].len, t[1].s, sel->len > 2 ? " " : "",
	     sel->len > 2 ? (int)t[2].len : 0, sel->len > 2 ? t[2].s : "");
}

/*
 * The words of a port selector are nft's grammar, not values: a
 * $variable cannot stand for one.  nft fails with a syntax error at the
 * '$' ("ct $dir proto-dst", "tcp $f 22", "th $f 22"), or, for a variable
 * standing for the first word ("$p dport 22", define p = tcp), which it
 * reads as a value, at the word after it.  Reported once per rule, as
 * nft does, with its words (checked with nft -c for each form); SEL is
 * at C->t[AT].
 */
static void selector_vars(struct rulectx *c, const struct selector *sel, size_t at)
{
	const struct token *t = &c->t[at];

	for (size_t k = 0; k < sel->len && !c->syntax_told; k++) {
		struct loc loc;

		if (!t[k].use.line)
			continue;
		c->syntax_told = true;
		if (k == 0 && sel->len > 1 && !t[1].use.line) {
			perr(c->p, &t[1].loc, "syntax error, unexpected %.*s",
			     (int)t[1].len, t[1].s);
			return;
		}
		loc = t[k].use;
		loc.col_end = loc.col;
		perr(c->p, &loc, "syntax error, unexpected '$'%s",
		     tok_is(&t[0], "th") ? ", expecting sport or dport" :
		     tok_is(&t[0], "@th") ? ", expecting number" : "");
	}
}

/*
 * "@th,0,32 0x35007b": how nft lists "th sport 53 th dport 123", which it
 * joins into one compare of 32 bits; both ports, read back (as the JSON
 * reader does).  Only "==" with a number: "!=" of the pair is no port
 * match of either.  C->t[C->i] is "@th".
 */
static bool try_th_pair(struct rulectx *c)
{
	const struct token *t = &c->t[c->i];
	size_t k = c->i + 5;
	unsigned long v;
	char op = P_EQ;

	if (c->i + 5 >= c->n || !tok_is(&t[0], "@th") || !tok_punct(&t[1], ',') ||
	    !tok_is(&t[2], "0") || !tok_punct(&t[3], ',') || !tok_is(&t[4], "32"))
		return false;
	if (is_op(&c->t[k], &op))
		k++;
	if (op != P_EQ || k >= c->n || c->t[k].type != T_WORD ||
	    !parse_uint(c->t[k].s, c->t[k].len, &v) || v > 0xffffffffUL)
		return false;
	flush_opaque(c, c->i);
	for (int f = 0; f < 2; f++) {
		struct selector sel = {
			.is_port = true, .field = f ? FIELD_DPORT : FIELD_SPORT,
			.source = SRC_PAYLOAD, .len = 5,
		};
		struct port_match *m = new_match(c, &sel, t);
		struct port_lit lit = { .kind = LIT_NUMBER, .loc = *at(&c->t[k]) };
		uint32_t alits = 0;

		lit.lo = lit.hi = (uint16_t)(f ? v & 0xffff : v >> 16);
		add_lit(c, m, &lit, &alits);
		portset_normalize(&m->ports);
		m->loc = span(t, &c->t[k]);
	}
	c->i = k + 1;
	return true;
}

/*
 * tcp dport ..., or a concatenation holding ports: ip daddr . tcp dport
 * {...} gives one match, tcp sport . tcp dport {...} two.
 */
static bool try_port(struct rulectx *c)
{
	struct selector sel[MAX_COMPONENTS];
	size_t at_[MAX_COMPONENTS], end, ncomp, nports = 0, after = 0;
	const struct token *first = &c->t[c->i];
	struct port_match *m;
	uint8_t pc;
	bool dot = false;

	/* Asked at every word of a rule: a port match starts with a port
	 * selector, or is a concatenation whose first component (three
	 * words at most) ends at a '.'; most words are neither. */
	for (size_t k = c->i + 1; k < c->n && k <= c->i + 3 && !dot; k++)
		dot = tok_is(&c->t[k], ".");
	if (!dot && !selector_at(c->t, c->n, c->i, &sel[0]))
		return false;
	ncomp = components(c, c->i, sel, at_, &end, NULL);
	for (size_t k = 0; k < ncomp; k++)
		if (sel[k].is_port)
			selector_vars(c, &sel[k], at_[k]);
	if (ncomp == 1 && sel[0].is_port && sel[0].masked)
		return try_masked(c, &sel[0], c->i + sel[0].len);
	/* A masked port in a concatenation is not modelled: nor is it a
	 * port component (the JSON reader sees no port there either). */
	for (size_t k = 0; k < ncomp; k++) {
		if (sel[k].masked)
			sel[k].is_port = false;
		nports += sel[k].is_port;
	}
	if (!nports)
		return false;
	if (ncomp == 1) {
		if (end < c->n && tok_is(&c->t[end], "set"))
			return false;	/* "tcp dport set 80": a payload write */
		flush_opaque(c, c->i);
		ct_port_context(c, &sel[0], c->i, end);
		m = new_match(c, &sel[0], first);
		c->i = end;
		match_value(c, m, first, 0, false);
		return true;
	}
	pc = proto_component(c, sel, at_, ncomp, end);
	flush_opaque(c, c->i);
	for (size_t k = 0; k < ncomp; k++) {
		if (!sel[k].is_port)
			continue;
		ct_port_context(c, &sel[k], at_[k], 0);
		m = new_match(c, &sel[k], first);
		/* "meta l4proto . th dport": the element says the protocol;
		 * "meta l4proto . tcp dport" says it itself, and an element
		 * of another ("udp . 53") never matches: both are split */
		m->proto_comp = pc;
		c->i = end;
		/* The value is read once per port component: report once. */
		c->p->mute += after > 0;
		match_value(c, m, first, (int)k, true);
		c->p->mute -= after > 0;
		after = c->i;
	}
	c->i = after;
	return true;
}

/* meta l4proto tcp, ip protocol { tcp, udp }, ip6 nexthdr 17 */
static bool try_l4(struct rulectx *c)
{
	size_t k = c->i;
	unsigned bits = 0;
	char op = P_EQ;
	bool negated, ct;
	size_t len = proto_selector(c->t, c->n, k, &ct);

	if (!len || k + len >= c->n)
		return false;	/* none, or no value after it */
	k += len;
	if (is_op(&c->t[k], &op))
		k++;
	if (k >= c->n)
		return false;
	negated = op == P_NE;
	if (tok_punct(&c->t[k], '{')) {
		size_t j = k + 1;

		for (; j < c->n && !is_end_of_set(&c->t[j]); j++) {
			unsigned b;
			char w[32];

			if (c->t[j].type != T_WORD || c->t[j].len >= sizeof(w))
				continue;
			memcpy(w, c->t[j].s, c->t[j].len);
			w[c->t[j].len] = '\0';
			b = l4_from_word(w);
			bits |= b;
		}
		k = j < c->n ? j + 1 : c->n;
	} else {
		char w[32] = "";

		if (c->t[k].len < sizeof(w)) {
			memcpy(w, c->t[k].s, c->t[k].len);
			w[c->t[k].len] = '\0';
		}
		bits = l4_from_word(w);
		k++;
	}
	/* Kept as an expression too: it says more than which protocols. */
	if (!c->in_opaque) {
		c->in_opaque = true;
		c->opaque_from = c->i;
	}
	c->i = k;
	flush_opaque(c, c->i);
	/* "meta l4proto != tcp": applied once the rule is read; nft types
	 * no ct port by a negated ct protocol */
	if (negated) {
		if (!ct)
			c->l4_not |= bits;
		return true;
	}
	if (bits && ct)
		c->ct_l4 = c->ct_l4 ? (c->ct_l4 & bits ? c->ct_l4 & bits : bits) : bits;
	else if (bits)
		c->l4 = c->l4 ? (c->l4 & bits ? c->l4 & bits : bits) : bits;
	return true;
}

/* ct state established,related / ct state { new, established } */
static bool try_ct_state(struct rulectx *c)
{
	static const struct { const char *w; unsigned bit; } states[] = {
		{ "new", CT_NEW }, { "established", CT_ESTABLISHED },
		{ "related", CT_RELATED }, { "invalid", CT_INVALID },
		{ "untracked", CT_UNTRACKED },
	};
	size_t k = c->i;
	char op = P_EQ;
	bool braced;

	if (!(k + 2 < c->n && tok_is(&c->t[k], "ct") && tok_is(&c->t[k + 1], "state")))
		return false;
	if (tok_is(&c->t[k + 2], "vmap")) {
		/* ct state vmap { established : accept, ... }: a verdict map
		 * on the state, kept whole as an expression */
		c->r->verdict = VERDICT_MAP;
		return false;
	}
	flush_opaque(c, c->i);
	k += 2;
	if (is_op(&c->t[k], &op))
		k++;
	braced = k < c->n && tok_punct(&c->t[k], '{');
	if (braced)
		k++;
	for (; k < c->n; k++) {
		const struct token *t = &c->t[k];
		bool known = false;

		if (tok_punct(t, ','))
			continue;
		if (braced && tok_punct(t, '}')) {
			k++;
			break;
		}
		for (size_t j = 0; j < sizeof(states) / sizeof(*states); j++) {
			if (tok_is(t, states[j].w)) {
				c->r->ct_states |= (uint8_t)states[j].bit;
				known = true;
			}
		}
		if (!known && !braced)
			break;
		/* unbraced lists continue only through commas */
		if (!braced && !(k + 1 < c->n && tok_punct(&c->t[k + 1], ','))) {
			k++;
			break;
		}
	}
	c->r->ct_states_negated = op == P_NE;
	c->i = k;
	return true;
}

static bool try_verdict(struct rulectx *c)
{
	static const struct { const char *w; enum verdict v; } simple[] = {
		{ "accept", VERDICT_ACCEPT }, { "drop", VERDICT_DROP },
		{ "return", VERDICT_RETURN }, { "continue", VERDICT_CONTINUE },
	};
	const struct token *t = &c->t[c->i];

	for (size_t k = 0; k < sizeof(simple) / sizeof(*simple); k++) {
		if (tok_is(t, simple[k].w)) {
			flush_opaque(c, c->i);
			c->r->verdict = (uint8_t)simple[k].v;
			c->i++;
			return true;
		}
	}
	if (tok_is(t, "jump") || tok_is(t, "goto")) {
		flush_opaque(c, c->i);
		c->r->verdict = tok_is(t, "jump") ? VERDICT_JUMP : VERDICT_GOTO;
		c->i++;
		if (c->i < c->n && (c->t[c->i].type == T_WORD || c->t[c->i].type == T_STRING)) {
			jump_target(c->p, &c->t[c->i], "'{'");
			c->r->target = tok_dup(c->p, &c->t[c->i]);
			c->i++;
		} else {
			perr(c->p, &t->loc, "'%.*s' needs a chain", (int)t->len, t->s);
		}
		return true;
	}
	if (tok_is(t, "reject")) {
		flush_opaque(c, c->i);
		c->r->verdict = VERDICT_REJECT;
		c->i++;
		if (c->i < c->n && tok_is(&c->t[c->i], "with")) {
			c->i += 2;	/* with icmp|icmpv6|icmpx|tcp */
			if (c->i < c->n && tok_is(&c->t[c->i], "type"))
				c->i += 2;
			else if (c->i < c->n && tok_is(&c->t[c->i], "reset"))
				c->i++;
			else if (c->i < c->n && c->t[c->i].type == T_WORD &&
				 !tok_is(&c->t[c->i], "comment"))
				c->i++;	/* "with icmpx admin-prohibited" */
			if (c->i > c->n)
				c->i = c->n;
		}
		return true;
	}
	if (tok_is(t, "queue")) {
		flush_opaque(c, c->i);
		c->r->verdict = VERDICT_QUEUE;
		c->i++;
		while (c->i < c->n) {
			const struct token *o = &c->t[c->i];

			if (tok_is(o, "num") || tok_is(o, "to") || tok_is(o, "flags"))
				c->i += 2;
			else if (tok_is(o, "bypass") || tok_is(o, "fanout") ||
				 tok_punct(o, ','))
				c->i++;
			else
				break;
		}
		if (c->i > c->n)
			c->i = c->n;
		return true;
	}
	return false;
}

static bool try_comment(struct rulectx *c)
{
	if (!tok_is(&c->t[c->i], "comment"))
		return false;
	flush_opaque(c, c->i);
	if (c->i + 1 < c->n && (c->t[c->i + 1].type == T_STRING ||
				c->t[c->i + 1].type == T_WORD)) {
		c->r->comment = tok_dup(c->p, &c->t[c->i + 1]);
		c->i += 2;
		/* nft's grammar has a rule's comment last */
		if (c->i < c->n && !c->syntax_told) {
			char b[256];

			perr(c->p, &c->t[c->i].loc, "syntax error, unexpected %s, expecting newline or semicolon",
			     unexpected_text(&c->t[c->i], b, sizeof(b)));
			c->syntax_told = true;
		}
	} else {
		perr(c->p, &c->t[c->i].loc, "'comment' needs a string");
		c->i++;
	}
	return true;
}

/* The port part of a NAT address word: "10.0.0.1:80", ":80-90", "[::1]:80". */
static const char *nat_port_part(const struct token *t)
{
	const char *s = t->s, *end = t->s + t->len, *colon;
	size_t ncolon = 0;

	if (t->type != T_WORD || !t->len)
		return NULL;
	if (s[0] == '[') {
		const char *close = memchr(s, ']', t->len);

		return close && close + 1 < end && close[1] == ':' ? close + 2 : NULL;
	}
	for (const char *q = s; q < end; q++)
		ncolon += *q == ':';
	if (ncolon != 1)
		return NULL;	/* none, or an IPv6 address */
	colon = memchr(s, ':', t->len);
	return colon + 1;
}

static struct nat_target *nat_add(struct rulectx *c, struct nat_target **slot,
				  const struct token *where)
{
	if (!*slot) {
		*slot = arena_alloc(&c->p->rs->arena, sizeof(**slot));
		(*slot)->loc = *at(where);
	}
	return *slot;
}

static void nat_port_token(struct rulectx *c, struct nat_target **slot,
			   const struct token *t, const char *from)
{
	struct token pt = *t;
	struct port_lit lit;
	size_t j = 0;

	pt.len = (uint32_t)(t->s + t->len - from);
	pt.s = from;
	pt.loc.col += (uint32_t)(from - t->s);
	if (pt.loc.col > pt.loc.col_end)
		pt.loc.col_end = pt.loc.col;
	if (!pt.len) {
		perr(c->p, &t->loc, "missing port after ':'");
		return;
	}
	switch (port_value(c->p, &pt, 1, &j, c->l4 ? c->l4 : L4_TCP | L4_UDP, &lit)) {
	case PV_OK: {
		struct nat_target *nt = nat_add(c, slot, t);

		/* normalized once the rule is read */
		lits_add(c->p->rs, &nt->lits, &nt->nlits, &nt->alits, &lit);
		portset_add(c->p->rs, &nt->ports, lit.lo, lit.hi);
		break;
	}
	case PV_NOT_A_PORT:
		perr(c->p, &pt.loc, "'%.*s' is not a port number, range or service name",
		     (int)pt.len, pt.s);
		break;
	case PV_BAD:
		break;
	}
}

/* The rest of token T from FROM on, as a token of its own. */
static struct token tok_from(const struct token *t, const char *from)
{
	struct token pt = *t;

	pt.len = (uint32_t)(t->s + t->len - from);
	pt.s = from;
	pt.loc.col += (uint32_t)(from - t->s);
	if (pt.loc.col > pt.loc.col_end)
		pt.loc.col_end = pt.loc.col;
	return pt;
}

/*
 * A NAT port from FROM in T (C->t[C->i] or a part of it) on: "80",
 * "80-90", and the spacings nft reads the same, since its scanner makes
 * ':' and '-' tokens of their own: "80 - 90", "80 -90", "80- 90"; an empty
 * rest ("10.0.0.2:", "to:") means the port is the next token ("$p").
 * Advances C->i past it.
 */
static void nat_port_at(struct rulectx *c, struct nat_target **slot,
			const struct token *t, const char *from)
{
	unsigned protos = c->l4 ? c->l4 : L4_TCP | L4_UDP;
	struct token pt = tok_from(t, from), tail = { 0 };
	struct port_lit lit, hi;
	struct nat_target *nt;
	bool has_tail = false;

	c->i++;
	if (!pt.len) {
		if (c->i >= c->n) {
			perr(c->p, &t->loc, "missing port after ':'");
			return;
		}
		pt = c->t[c->i++];
	}
	if (pt.type == T_WORD && pt.len > 1 && pt.s[pt.len - 1] == '-' && c->i < c->n) {
		pt.len--;
		tail = c->t[c->i++];
		has_tail = true;
	} else if (c->i + 1 < c->n && tok_is(&c->t[c->i], "-")) {
		tail = c->t[c->i + 1];
		c->i += 2;
		has_tail = true;
	} else if (c->i < c->n && c->t[c->i].type == T_WORD && c->t[c->i].len > 1 &&
		   c->t[c->i].s[0] == '-') {
		tail = tok_from(&c->t[c->i], c->t[c->i].s + 1);
		c->i++;
		has_tail = true;
	}
	if (!port_word_reported(c->p, &pt, protos, &lit) ||
	    (has_tail && !port_word_reported(c->p, &tail, protos, &hi)))
		return;
	if (has_tail) {
		if (hi.hi < lit.lo) {
			perr(c->p, &tail.loc, "range has zero or negative size");
			return;
		}
		lit.hi = hi.hi;
		if (!lit.name)
			lit.name = hi.name;
		if (lit.kind == LIT_NUMBER)
			lit.kind = hi.kind;
		lit.loc = span(&pt, &tail);
	}
	if (c->nat_no_l4)
		perr(c->p, &lit.loc, "transport protocol mapping is only valid after transport protocol match");
	nt = nat_add(c, slot, t);
	/* normalized once the rule is read */
	lits_add(c->p->rs, &nt->lits, &nt->nlits, &nt->alits, &lit);
	portset_add(c->p->rs, &nt->ports, lit.lo, lit.hi);
}

/* numgen, jhash, symhash: a number computed from the packet (or not). */
static bool is_hash_word(const struct token *t)
{
	return tok_is(t, "numgen") || tok_is(t, "jhash") || tok_is(t, "symhash");
}

/*
 * The token after "numgen inc mod 2 [offset 1]", "jhash ip saddr . tcp
 * sport mod 2 [seed 0xdead] [offset 1]" or "symhash mod 2" at C->t[I].
 */
static size_t hash_end(const struct rulectx *c, size_t i)
{
	size_t k = i + 1;

	while (k < c->n && !tok_is(&c->t[k], "mod"))
		k++;
	if (k < c->n)
		k += 2;		/* mod N */
	while (k + 1 < c->n && (tok_is(&c->t[k], "seed") || tok_is(&c->t[k], "offset")))
		k += 2;
	return k < c->n ? k : c->n;
}

/*
 * A hash or numgen expression outside NAT ("meta mark set jhash ip saddr .
 * tcp sport mod 2"): the ports it hashes are not matched.  Kept opaque,
 * with whatever it is part of.
 */
static bool try_hash(struct rulectx *c)
{
	if (!is_hash_word(&c->t[c->i]))
		return false;
	if (!c->in_opaque) {
		c->in_opaque = true;
		c->opaque_from = c->i;
	}
	c->i = hash_end(c, c->i);
	return true;
}

struct nat_map_ctx {
	struct rulectx *c;
	struct nat_target **slot;
	int data_port;		/* component of the data holding the port, -1 */
	struct elem_ctx key;	/* the key's port component, if any */
	bool key_port;
};

static void nat_map_elem(struct rulectx *c, const struct token *t, size_t n,
			 void *arg)
{
	struct nat_map_ctx *x = arg;
	size_t sep = n, k, comp = 0;

	for (size_t j = 0; j < n; j++)
		if (tok_is(&t[j], ":")) {
			sep = j;
			break;
		}
	if (x->key_port)
		port_elem(c, t, n, &x->key);
	if (sep == n)
		return;
	/* data: "10.0.0.1 . 8080", "10.0.0.1:8080" or "8080" */
	k = sep + 1;
	if (x->data_port > 0) {
		while ((int)comp < x->data_port && k < n) {
			if (tok_is(&t[k], "."))
				comp++;
			k++;
		}
		if (k < n)
			nat_port_token(c, x->slot, &t[k], t[k].s);
	} else if (k < n) {
		const char *pp = nat_port_part(&t[k]);

		if (pp)
			nat_port_token(c, x->slot, &t[k], pp);
		else if (x->data_port == 0)
			nat_port_token(c, x->slot, &t[k], t[k].s);
	}
}

/* dnat/snat/redirect/masquerade/tproxy with their target ports. */
/*
 * "KEY map { k : data }" or "KEY map @name" in a NAT statement: the key's
 * port components become MATCH_MAP matches, the data's ports the target.
 * ADDR_FIRST: the data is "addr . port" (dnat, snat); else a port.
 */
static bool nat_map(struct rulectx *c, struct nat_target **slot, bool addr_first,
		    bool addr_port)
{
	struct selector sel[MAX_COMPONENTS];
	size_t at_[MAX_COMPONENTS], end, ncomp;
	struct nat_map_ctx x = {
		.c = c, .slot = slot, .data_port = addr_port ? 1 : addr_first ? -1 : 0,
	};
	bool has_port = !addr_first || addr_port;
	const struct token *first = &c->t[c->i];
	struct port_match *m = NULL;
	bool key_l4 = false;

	if (is_hash_word(first)) {
		/* numgen/jhash/symhash ... mod N map {...}: the key is a
		 * number, not a port; only the data holds ports */
		end = hash_end(c, c->i);
		if (end >= c->n || !tok_is(&c->t[end], "map"))
			return false;
		ncomp = 0;
	} else {
		ncomp = components(c, c->i, sel, at_, &end, "map");
		if (!ncomp || end >= c->n || !tok_is(&c->t[end], "map"))
			return false;
	}
	/* dnat and snat read the key first: a tcp (udp, ...) header or a
	 * protocol in it is the match their port needs ("dnat to tcp dport
	 * map { 80 : 10.0.0.1 . 8080 }", "ip daddr . meta l4proto . th
	 * dport map"); redirect and masquerade do not */
	for (size_t k = c->i; addr_first && k + 1 < end; k++) {
		unsigned bit;
		bool ct;

		if ((is_l4_word(&c->t[k], &bit) && c->t[k + 1].type == T_WORD &&
		     !tok_is(&c->t[k + 1], ".")) ||
		    (proto_selector(c->t, end, k, &ct) && !ct))
			key_l4 = true;
	}
	for (size_t k = 0; k < ncomp; k++) {
		if (!sel[k].is_port)
			continue;
		/* One key port component is matched; nft maps take one. */
		m = new_match(c, &sel[k], first);
		m->kind = MATCH_MAP;
		if (!sel[k].protos)
			m->proto_comp = proto_component(c, sel, at_, ncomp, end);
		x.key.m = m;
		x.key.protos = m->protos;
		x.key.component = (int)k;
		x.key.proto_component = m->proto_comp;
		x.key.map = true;
		x.key_port = true;
		break;
	}
	c->i = end + 1;
	if (c->i < c->n && c->t[c->i].type == T_WORD && c->t[c->i].s[0] == '@') {
		const struct token *nm = &c->t[c->i];
		struct nat_target *nt = nat_add(c, slot, nm);

		set_ref_name(c->p, nm);
		nt->map = arena_strndup(&c->p->rs->arena, nm->s + 1, nm->len - 1);
		if (m) {
			m->set = nt->map;
			m->set_comp = (uint8_t)x.key.component;
		}
		if (!has_port) {
			/* "dnat to ip daddr map @m": a port if m's data has one
			 * (nft knows m by now: it is declared before use) */
			const struct set *s = table_find_set(c->r->chain->table, nt->map);

			has_port = s && s->data_port_field >= 0;
		}
		c->i++;
	} else if (c->i < c->n && tok_punct(&c->t[c->i], '{')) {
		struct keyspans ks = { 0 };

		if (addr_first) {
			/* "addr . port" data, or "addr:port", or just "addr" */
			for (size_t j = c->i; j < c->n && !tok_punct(&c->t[j], '}'); j++)
				if (tok_is(&c->t[j], ".") && j > c->i && x.data_port < 0) {
					size_t q = j;

					while (q > c->i && !tok_is(&c->t[q], ":") &&
					       !map_colon(&c->t[q]))
						q--;
					if (q > c->i)
						x.data_port = 1;
				}
		}
		/* a one-port key: its elements are checked as a rule's map's */
		if (x.key_port && ncomp == 1)
			x.key.spans = &ks;
		for_each_elem(c, nat_map_elem, &x);
		rule_map_keys(c->p, &ks);
		has_port = has_port || x.data_port >= 0 || (*slot && (*slot)->nlits);
	} else {
		perr(c->p, &c->t[end].loc, "'map' needs '{' or a named map");
		has_port = false;
	}
	if (m) {
		portset_normalize(&m->ports);
		m->loc = span(first, &c->t[c->i - 1]);
	}
	if (key_l4)
		c->nat_no_l4 = false;	/* for a port after the map too */
	if (has_port && c->nat_no_l4) {
		struct loc loc = span(first, &c->t[c->i - 1]);

		perr(c->p, &loc, "transport protocol mapping is only valid after transport protocol match");
	}
	return true;
}

/* The target after "dnat to" and the like when it is no map: "10.0.0.2:80",
 * ":8080", "[::1]:80", "10.0.0.2 : 80". */
static void nat_plain(struct rulectx *c, struct nat_target **slot, bool port_only)
{
	struct token v;
	const char *pp;

	v = c->t[c->i];
	if (v.type != T_WORD)
		return;
	/* "redirect to:8383", "to: 8383": nft's scanner splits "to" off */
	if (v.len >= 3 && memcmp(v.s, "to:", 3) == 0)
		v = tok_from(&v, v.s + 2);
	if (port_only) {
		if (v.s[0] == ':')
			nat_port_at(c, slot, &v, v.s + 1);
		else if (v.s[0] >= '0' && v.s[0] <= '9')
			nat_port_at(c, slot, &v, v.s);
		return;
	}
	pp = nat_port_part(&v);
	if (pp) {
		/* "10.0.0.2:80", "10.0.0.2:$p", "[::1]:80-90" */
		nat_port_at(c, slot, &v, pp);
		return;
	}
	c->i++;
	/* "10.0.0.2 :80", "10.0.0.2 : 80", "$host:80" (two words) */
	if (c->i < c->n && c->t[c->i].type == T_WORD && c->t[c->i].s[0] == ':')
		nat_port_at(c, slot, &c->t[c->i], c->t[c->i].s + 1);
}

/* Whether T[K] is "==", "!=", "eq" ... and which (*RET_OP). */
static bool op_at(const struct token *t, size_t k, size_t n, char *ret_op)
{
	*ret_op = P_EQ;
	return k < n && is_op(&t[k], ret_op);
}

/*
 * Whether T[K] stands outside braces, *DEPTH counting those opened before
 * it: for scans over a rule's tokens, called for K = 0, 1, ... in turn.
 */
static inline bool top_level(const struct token *t, size_t k, int *depth)
{
	if (tok_punct(&t[k], '{'))
		++*depth;
	else if (tok_punct(&t[k], '}'))
		--*depth;
	return *depth == 0;
}

/*
 * Whether T[K] (of N) is a network header field ("ip saddr", "ip6
 * nexthdr", "icmp type"), in a concatenation too: the header's word
 * ("ip", "ip6", "icmp", "icmpv6", "igmp"), else NULL.  Not a value
 * ("ether type ip", "meta protocol ip"), an address family ("dnat ip
 * to") or conntrack's own ("ct original ip saddr").
 */
static const char *net_header_at(const struct token *t, size_t n, size_t k)
{
	static const char *const l3[] = { "ip", "ip6", "icmp", "icmpv6", "igmp" };
	static const char *const not_after[] = {
		"type", "protocol", "original", "reply", "ct", "dnat", "snat", "tproxy",
		"fwd", "dup", "nfproto", "l3proto",
	};
	const char *word = NULL;
	char op;

	for (size_t j = 0; j < sizeof(l3) / sizeof(*l3) && !word; j++)
		if (tok_is(&t[k], l3[j]))
			word = l3[j];
	if (!word || k + 1 >= n || t[k + 1].type != T_WORD || tok_is(&t[k + 1], ".") ||
	    is_op(&t[k + 1], &op) ||
	    (k && ((t[k - 1].type != T_WORD && !tok_punct(&t[k - 1], '}')) ||
		   is_op(&t[k - 1], &op))))
		return NULL;
	for (size_t j = 0; k && j < sizeof(not_after) / sizeof(*not_after); j++)
		if (tok_is(&t[k - 1], not_after[j]))
			return NULL;
	return word;
}

/* The same, asked of every word of a rule: most do not start with 'i'. */
static inline const char *net_header(const struct token *t, size_t n, size_t k)
{
	return t[k].type == T_WORD && t[k].s[0] == 'i' ? net_header_at(t, n, k) : NULL;
}

/*
 * Whether the rule names its network protocol before T[UPTO], which "ct
 * protocol tcp" needs to give nft its transport protocol (to type a ct
 * port, to allow a NAT port) in a table of family FAM: in ip and ip6
 * tables it is known; in inet, bridge and netdev tables it takes an ip,
 * ip6, icmp, icmpv6 or igmp header field ("ip saddr 10.0.0.1", matched
 * in any way) or "ether type ip", and in inet "meta nfproto ipv4" or "ct
 * l3proto ipv4", in bridge and netdev "meta protocol ip" (not "!=", not
 * in inet); never in arp tables.  Each checked with nft -c: "ct original
 * ip saddr" does not count, nor does a match after the ct protocol.
 */
static bool net_context(const struct token *t, size_t upto, enum family fam)
{
	bool bridge = fam == FAM_BRIDGE || fam == FAM_NETDEV;
	int depth = 0;

	if (fam == FAM_IP || fam == FAM_IP6)
		return true;
	if (fam == FAM_ARP)
		return false;
	for (size_t k = 0; k + 1 < upto; k++) {
		char op;

		if (!top_level(t, k, &depth))
			continue;
		if ((tok_is(&t[k], "meta") && tok_is(&t[k + 1], (bridge ? "protocol" : "nfproto"))) ||
		    (tok_is(&t[k], "ct") && tok_is(&t[k + 1], "l3proto") && !bridge) ||
		    (tok_is(&t[k], "ether") && tok_is(&t[k + 1], "type"))) {
			/* equal to a value or an anonymous set */
			if (!op_at(t, k + 2, upto, &op) ? k + 2 < upto :
			    op == P_EQ && k + 3 < upto)
				return true;
			continue;
		}
		if (net_header(t, upto, k))
			return true;
	}
	return false;
}

/*
 * Whether the protocol word at T[K] (K > 0) is a value ("meta l4proto tcp",
 * "ip protocol { tcp, udp }", "== tcp"), not a header ("tcp dport"); a set
 * closed before it ("meta l4proto != { tcp, udp } sctp dport 88") is not
 * what it compares with.
 */
static bool is_proto_value_at(const struct token *t, size_t k)
{
	char op;

	return tok_is(&t[k - 1], "protocol") || tok_is(&t[k - 1], "l4proto") ||
	       tok_is(&t[k - 1], "nexthdr") ||
	       (t[k - 1].type == T_PUNCT && t[k - 1].punct != '}') || is_op(&t[k - 1], &op);
}

/*
 * Whether T[K] (of N) is a transport header field ("tcp dport", "udp
 * length"), in a concatenation too; *RET its protocol.  Not a protocol
 * value ("meta l4proto tcp", "tcp . 80" in a set key).
 */
static inline bool l4_header_at(const struct token *t, size_t n, size_t k, unsigned *ret)
{
	char op;

	return k + 1 < n && is_l4_word(&t[k], ret) && t[k + 1].type == T_WORD &&
	       !tok_is(&t[k + 1], ".") && !is_op(&t[k + 1], &op) &&
	       !(k && is_proto_value_at(t, k));
}

/*
 * Whether the rule names its transport protocol before T[UPTO], as nft
 * requires of a NAT port and of tproxy (its "protocol context"): a tcp,
 * udp, sctp, dccp or udplite header field, matched in any way, in a
 * concatenation too ("ip daddr . tcp dport { ... }"); or meta l4proto, ip
 * protocol, ip6 nexthdr, ct [original|reply] protocol equal to a value or
 * an anonymous set, whatever the protocol (ct protocol in a table of
 * family FAM only after a network protocol match: see net_context()).
 * Not "!=", not a named set or a map, not in a concatenation ("meta
 * l4proto . th dport { tcp . 80 }"), not th: nft refuses "th dport 80
 * redirect to :8080".
 */
static bool l4_context(const struct token *t, size_t upto, enum family fam)
{
	unsigned bit;
	int depth = 0;

	for (size_t k = 0; k < upto; k++) {
		size_t v;
		char op = P_EQ;
		bool ct;

		if (!top_level(t, k, &depth))
			continue;
		if (l4_header_at(t, upto, k, &bit))
			return true;
		v = proto_selector(t, upto, k, &ct);
		if (!v)
			continue;
		v += k;
		if ((k && tok_is(&t[k - 1], ".")) || (v < upto && tok_is(&t[v], ".")))
			continue;	/* a component of a concatenation */
		op = P_EQ;
		if (v < upto && is_op(&t[v], &op))
			v++;
		if (op != P_EQ || v >= upto || tok_is(&t[v], "vmap") || tok_is(&t[v], "map") ||
		    (t[v].type == T_WORD && t[v].s[0] == '@'))
			continue;
		if (ct && !net_context(t, k, fam))
			continue;
		return true;
	}
	return false;
}

/*
 * Whether the tproxy statement from C->t[KW] to C->t[C->i] gives a port
 * range ("tproxy ip to 10.0.0.1:1000-2000", "...:1000 - 2000", even
 * "1000-1000"), which nft refuses: "Port ranges are not supported for
 * tproxy." (its words, full stop included), for the whole statement.
 */
static bool tproxy_range(const struct rulectx *c, size_t kw)
{
	for (size_t k = kw + 1; k < c->i && k < c->n; k++) {
		const struct token *t = &c->t[k];
		const char *colon = t->type == T_WORD ? memrchr(t->s, ':', t->len) : NULL;
		const char *p = colon ? colon + 1 : t->s;
		const char *end = t->s + t->len;

		if (tok_is(t, "-"))
			return true;
		if (t->type != T_WORD || (!colon && k > kw + 1 && !tok_is(&t[-1], ":")))
			continue;
		/* the port after the ':': a number, then '-' */
		if (p < end && *p >= '0' && *p <= '9' && memchr(p, '-', (size_t)(end - p)))
			return true;
	}
	return false;
}

/* dnat/snat/redirect/masquerade/tproxy with their target ports. */
static bool try_nat(struct rulectx *c)
{
	const struct token *t = &c->t[c->i];
	struct nat_target **slot;
	bool port_only, tproxy = tok_is(t, "tproxy"), addr_port = false;
	size_t kw = c->i;

	/* "ct status dnat" is a match on the connection, not a statement. */
	if (c->i > 0 && tok_is(&c->t[c->i - 1], "status"))
		return false;
	if (tok_is(t, "dnat") || tok_is(t, "redirect") || tok_is(t, "tproxy"))
		slot = &c->r->nat;
	else if (tok_is(t, "snat") || tok_is(t, "masquerade"))
		slot = &c->r->snat;
	else
		return false;
	c->r->nat_kinds |= tok_is(t, "dnat") ? NAT_DNAT : tok_is(t, "redirect") ? NAT_REDIRECT :
			   tok_is(t, "tproxy") ? NAT_TPROXY : tok_is(t, "snat") ? NAT_SNAT :
			   NAT_MASQUERADE;
	flush_opaque(c, c->i);
	port_only = tok_is(t, "redirect") || tok_is(t, "masquerade");
	/* tproxy has an error of its own, for the whole statement */
	c->nat_no_l4 = !tproxy && !l4_context(c->t, c->i, rule_family(c));
	c->i++;
	if (c->i < c->n && (tok_is(&c->t[c->i], "ip") || tok_is(&c->t[c->i], "ip6")))
		c->i++;
	/* "dnat ip addr . port to ip daddr map { ... : 10.0.0.2 . 80 }" */
	if (c->i + 2 < c->n && tok_is(&c->t[c->i], "addr") && tok_is(&c->t[c->i + 1], ".") &&
	    tok_is(&c->t[c->i + 2], "port")) {
		c->i += 3;
		addr_port = true;
	}
	if (c->i < c->n && tok_is(&c->t[c->i], "to"))
		c->i++;
	if (c->i < c->n && !nat_map(c, slot, !port_only, addr_port))
		nat_plain(c, slot, port_only);
	else if (!port_only && c->i < c->n && c->t[c->i].type == T_WORD &&
		 c->t[c->i].s[0] == ':')
		/* "dnat to ip daddr map { ... }:8080": one port for all */
		nat_port_at(c, slot, &c->t[c->i], c->t[c->i].s + 1);
	c->nat_no_l4 = false;
	if (tproxy) {
		struct loc loc = span(&c->t[kw], &c->t[c->i > kw + 1 ? c->i - 1 : kw]);

		if (!l4_context(c->t, kw, rule_family(c)))
			perr(c->p, &loc, "transparent proxy support requires transport protocol match");
		else if (tproxy_range(c, kw))
			perr(c->p, &loc, "Port ranges are not supported for tproxy.");
	}
	return true;
}

/* The protocols whose header fields the rule uses: "tcp flags", "udp dport". */
static unsigned payload_protos(const struct token *t, size_t n)
{
	unsigned bits = 0, bit;
	int depth = 0;

	for (size_t k = 0; k + 1 < n; k++) {
		if (!top_level(t, k, &depth) || !is_l4_word(&t[k], &bit) ||
		    t[k + 1].type != T_WORD)
			continue;
		if (k && is_proto_value_at(t, k))
			continue;	/* a protocol value, not a header */
		bits |= bit;
	}
	return bits;
}

/*
 * The name nft gives the protocol value T ("6", "TCP", "esp") in its
 * "conflicting protocols" error: that of the protocols it knows the header
 * of, or "unknown"; NULL for a range ("6-17"), which sets no protocol.
 */
static const char *proto_name(const struct token *t)
{
	static const struct { const char *name; int number; } known[] = {
		{ "icmp", 1 }, { "igmp", 2 }, { "tcp", 6 }, { "udp", 17 },
		{ "dccp", 33 }, { "esp", 50 }, { "ah", 51 }, { "icmpv6", 58 },
		{ "comp", 108 }, { "sctp", 132 }, { "udplite", 136 },
	};
	unsigned long v;
	unsigned bit = proto_word(t);

	if (bit)
		return l4_name(bit);
	if (t->type == T_WORD && memchr(t->s, '-', t->len) && t->s[0] >= '0' && t->s[0] <= '9')
		return NULL;
	for (size_t k = 0; k < sizeof(known) / sizeof(*known); k++) {
		size_t n = strlen(known[k].name);

		if (parse_uint(t->s, t->len, &v) ? v == (unsigned long)known[k].number :
		    t->len == n && memcmp(t->s, known[k].name, n) == 0)
			return known[k].name;
	}
	return "unknown";
}

/* nft's error at the header field T[K] T[K + 1] of C's rule. */
static void conflicting(struct rulectx *c, size_t k, const char *was, const char *is)
{
	struct loc loc = span(&c->t[k], &c->t[k + 1]);

	perr(c->p, &loc, "conflicting protocols specified: %s vs. %s", was, is);
}

/*
 * nft's "conflicting protocols specified: tcp vs. udp": a transport header
 * field ("udp dport") after a match that gives another protocol: meta
 * l4proto, ip protocol or ip6 nexthdr equal to a value or an anonymous
 * set ("meta l4proto { tcp, udp } udp dport 53" too: the set's first
 * other protocol is named), or another protocol's header field.  At the
 * header, once per rule, as nft (checked with nft -c for each form).
 */
static void proto_conflict(struct rulectx *c)
{
	enum family fam = rule_family(c);
	const char *ctx[16], *b;
	const char *net = fam == FAM_IP ? "ip" : fam == FAM_IP6 ? "ip6" : fam == FAM_ARP ? "arp" : NULL;
	size_t nctx = 0;
	int depth = 0;

	for (size_t k = 0; k < c->n; k++) {
		const struct token *t = c->t;
		size_t v;
		unsigned bit;
		bool ct;
		char op = P_EQ;

		if (!top_level(t, k, &depth))
			continue;
		if (l4_header_at(t, c->n, k, &bit)) {
			for (size_t j = 0; j <= nctx; j++) {
				/* an arp packet has no transport header */
				const char *a = j < nctx ? ctx[j] : fam == FAM_ARP ? "arp" : NULL;

				if (a && strcmp(a, l4_name(bit)) != 0) {
					conflicting(c, k, a, l4_name(bit));
					return;
				}
			}
			if (nctx < sizeof(ctx) / sizeof(*ctx))
				ctx[nctx++] = l4_name(bit);
			continue;
		}
		/* ip or ip6 (an icmp header names no family of its own here) */
		if ((b = net_header(t, c->n, k)) && strncmp(b, "ip", 2) == 0) {
			if (net && strcmp(net, b) != 0) {
				conflicting(c, k, net, b);
				return;
			}
			net = b;
		} else if (k + 1 < c->n && tok_is(&t[k], "meta") && tok_is(&t[k + 1], "nfproto")) {
			if (fam != FAM_INET) {
				struct loc loc = span(&t[k], &t[k + 1]);

				perr(c->p, &loc, "meta nfproto is only useful in the inet family");
				return;
			}
			if (!net && k + 2 < c->n && !(k && tok_is(&t[k - 1], ".")))
				net = tok_is(&t[k + 2], "ipv4") ? "ip" :
				      tok_is(&t[k + 2], "ipv6") ? "ip6" : NULL;
		} else if (k + 2 < c->n &&
			   ((tok_is(&t[k], "ether") && tok_is(&t[k + 1], "type")) ||
			    ((fam == FAM_BRIDGE || fam == FAM_NETDEV) && tok_is(&t[k], "meta") &&
			     tok_is(&t[k + 1], "protocol"))) &&
			   (tok_is(&t[k + 2], "ip") || tok_is(&t[k + 2], "ip6"))) {
			/* it overrides an ip6 table's own, as nft has it */
			net = tok_is(&t[k + 2], "ip") ? "ip" : "ip6";
		}
		v = proto_selector(t, c->n, k, &ct);
		/* ct protocol gives nft the protocol as the others do where
		 * it knows the network protocol (see net_context()) */
		if (!v || (ct && !net_context(t, k, fam)) || (k && tok_is(&t[k - 1], ".")) ||
		    (k + v < c->n && tok_is(&t[k + v], ".")))
			continue;
		v += k;
		if (v < c->n && is_op(&t[v], &op))
			v++;
		if (op != P_EQ || v >= c->n)
			continue;
		if (tok_punct(&t[v], '{')) {
			for (v++; v < c->n && !tok_punct(&t[v], '}'); v++) {
				const char *name = t[v].type == T_PUNCT ? NULL : proto_name(&t[v]);

				if (name && nctx < sizeof(ctx) / sizeof(*ctx))
					ctx[nctx++] = name;
			}
		} else if (t[v].type != T_PUNCT && t[v].s[0] != '@' && !tok_is(&t[v], "vmap") &&
			   !tok_is(&t[v], "map")) {
			const char *name = proto_name(&t[v]);

			if (name && nctx < sizeof(ctx) / sizeof(*ctx))
				ctx[nctx++] = name;
		}
	}
}

/* ":numgen", ":jhash", ":symhash": how nft lists "redirect to numgen ...". */
static bool glued_hash(const struct token *t)
{
	struct token rest = *t;

	rest.s++;
	rest.len--;
	return is_hash_word(&rest);
}

/* Reads rule tokens T[0..N) into R. */
/*
 * "ip dport 53": a header with no ports, or ct or meta, before dport or
 * sport.  nft fails at the field ("syntax error, unexpected string"; for
 * ct and meta "unexpected dport"); the rule is likely meant to match a
 * port, and is reported with what would.  Returns false: the words are
 * read on, as an opaque expression.
 */
static bool try_portless(struct rulectx *c)
{
	static const char *const portless[] = {
		"ip", "ip6", "icmp", "icmpv6", "igmp", "ether", "arp", "vlan", "ah",
		"esp", "ct", "meta",
	};
	const struct token *t = &c->t[c->i], *f;

	if (c->i + 1 >= c->n || t->type != T_WORD)
		return false;
	f = &c->t[c->i + 1];
	/* asked at every word: the field first, by its length */
	if (f->len != 5 || f->type != T_WORD || (f->s[0] != 'd' && f->s[0] != 's') ||
	    memcmp(f->s + 1, "port", 4) != 0 || c->syntax_told)
		return false;
	for (size_t k = 0; k < sizeof(portless) / sizeof(*portless); k++) {
		struct loc at_loc;

		if (!tok_is(t, portless[k]))
			continue;
		/* nft's caret: the field, but "meta sport" whole */
		at_loc = k == 11 ? span(t, f) : f->loc;
		perr(c->p, &at_loc, "syntax error, unexpected %s: %.*s has no %.*s field; a port is tcp %.*s, udp %.*s or th %.*s",
		     k >= 10 ? (f->s[0] == 'd' ? "dport" : "sport") : "string",
		     (int)t->len, t->s, (int)f->len, f->s, (int)f->len, f->s,
		     (int)f->len, f->s, (int)f->len, f->s);
		c->syntax_told = true;
		break;
	}
	return false;
}

static void read_rule(struct parser *p, struct rule *r, struct token *t,
		      size_t n)
{
	struct rulectx c = { .p = p, .r = r, .t = t, .n = n };

	p->fresh = grow_array(p->fresh, &p->afresh, p->nfresh + 1, sizeof(*p->fresh));
	p->fresh[p->nfresh++] = r;
	/* nft lists "redirect to :tcp dport map {...}": the ':' of a port
	 * glued to the map's key. */
	for (size_t k = 1; k < n; k++) {
		if (t[k].type == T_WORD && t[k].len > 1 && t[k].s[0] == ':' &&
		    tok_is(&t[k - 1], "to") && k + 1 < n &&
		    (tok_is(&t[k + 1], "dport") || tok_is(&t[k + 1], "sport") ||
		     tok_is(&t[k + 1], "map") || glued_hash(&t[k]))) {
			t[k].s++;
			t[k].len--;
			t[k].loc.col++;
		}
	}

	if (n)
		r->loc = span(&t[0], &t[n - 1]);
	while (c.i < n && !p->stop) {
		size_t before = c.i;

		if (try_portless(&c) || try_hash(&c) || try_th_pair(&c) || try_port(&c) ||
		    try_l4(&c) || try_ct_state(&c) ||
		    try_verdict(&c) || try_comment(&c) || try_nat(&c)) {
			if (c.i == before)
				c.i++;	/* never loop on an empty reading */
			if (c.i > n)
				c.i = n;
			continue;
		}
		if (!c.in_opaque) {
			c.in_opaque = true;
			c.opaque_from = c.i;
		}
		/* An opaque expression keeps its braces whole. */
		if (tok_punct(&t[c.i], '{')) {
			int depth = 0;

			for (; c.i < n; c.i++) {
				if (tok_punct(&t[c.i], '{'))
					depth++;
				else if (tok_punct(&t[c.i], '}') && --depth == 0)
					break;
			}
		}
		c.i++;
	}
	flush_opaque(&c, c.i > n ? n : c.i);
	if (!c.syntax_told)
		proto_conflict(&c);
	if (r->nat)
		portset_normalize(&r->nat->ports);
	if (r->snat)
		portset_normalize(&r->snat->ports);
	/* th, ct and raw matches take the protocols the whole rule names:
	 * meta l4proto and the like, or else its tcp/udp/... header fields
	 * ("tcp flags syn th dport 81" is tcp). */
	if (!c.l4)
		c.l4 = payload_protos(t, n);
	/* "meta l4proto != tcp th dport 82": port 82 of every other
	 * protocol with ports, not of tcp (as the iptables readers read
	 * iptables-nft's "! -p tcp --dport 82"); "... udp dport 53": of udp */
	if (c.l4_not)
		c.l4 = (c.l4 ? c.l4 : L4_PORTS) & ~c.l4_not;
	r->l4 = (uint8_t)c.l4;
	for (size_t k = 0; k < c.nlate; k++)
		r->matches[c.late[k]].protos = (uint8_t)(c.l4 ? c.l4 : L4_ANY);
	free(c.late);
	rule_ct_protos(r, c.ct_l4);
	rule_either_ports(r);
	/* "meta l4proto . th dport { tcp . 443, udp . 53 }": a match per
	 * protocol (from the last: a split moves the matches after it);
	 * a named set's are split once it is resolved */
	for (uint32_t k = r->nmatches; k-- > 0;)
		if (r->matches[k].proto_comp && !r->matches[k].set)
			rule_split_protos(p->rs, r, k);
}

/* --- sets ------------------------------------------------------------------ */

struct set_elem_ctx {
	struct set *s;
	struct parser *p;
	bool has_range;		/* an element's port is a range or prefix */
	bool prefix;		/* ... the first such is a prefix */
	struct loc range;	/* ... where it is */
	struct keyspans *spans;	/* where to record keys of one port; NULL */
};

/*
 * Whether the key component COMP of an element T[0..N) is written as a
 * range ("1000-2000", "1000 - 2000") or a prefix ("1024/6"), which nft
 * takes only into an interval set; its span into *RET, *RET_PREFIX set
 * for a prefix.  A name with a '-' ("http-alt") is one name: a range
 * starts with a number, as nft's scanner reads it.
 */
static bool elem_range(const struct token *t, size_t n, int comp, bool map,
		       struct loc *ret, bool *ret_prefix)
{
	size_t k = 0, end = elem_key_end(t, n, map);
	int c = 0;
	const char *dash;
	struct token w;

	while (c < comp && k < end) {
		if (tok_is(&t[k], "."))
			c++;
		k++;
	}
	if (k >= end || t[k].type != T_WORD)
		return false;
	w = t[k];
	if (map && end == n && map_colon(&w))
		w.len = (uint32_t)(map_colon(&w) - w.s);
	*ret = *at(&t[k]);
	if (k + 2 < end && tok_is(&t[k + 1], "-")) {
		*ret = span(&t[k], &t[k + 2]);
		*ret_prefix = false;
		return true;
	}
	*ret_prefix = memchr(w.s, '/', w.len) != NULL;
	dash = w.len > 2 ? memchr(w.s + 1, '-', w.len - 2) : NULL;
	return *ret_prefix || (dash && w.s[0] >= '0' && w.s[0] <= '9');
}

/* nft's refusal of a range or prefix element in a set with no interval
 * flag, at the first (X from read_elements()). */
static void interval_needed(struct parser *p, const struct set *s,
			    const struct set_elem_ctx *x)
{
	if (!x->has_range || (s->flags & SET_F_INTERVAL))
		return;
	perr(p, &x->range, "You must add 'flags interval' to your %s declaration if you want to add %s elements",
	     s->is_map ? "map" : "set", x->prefix ? "prefix" : "range");
}

/* The data side of a map element "key : data" ("80:8080" too) into D. */
static void map_data(struct parser *p, const struct token *t, size_t n,
		     struct tokvec *d)
{
	bool after = false;

	for (size_t j = 0; j < n; j++) {
		const char *colon;

		if (after) {
			vec_push(p, d, &t[j]);
			continue;
		}
		if (tok_is(&t[j], ":")) {
			after = true;
			continue;
		}
		colon = map_colon(&t[j]);
		if (colon) {
			struct token r = t[j];

			after = true;
			r.s = colon + 1;
			r.len = (uint32_t)(t[j].s + t[j].len - r.s);
			r.loc.col += (uint32_t)(r.s - t[j].s);
			if (r.len)
				vec_push(p, d, &r);
		}
	}
}

/*
 * The key of element T[0..N) of set S, the same however it is written
 * ("22", "ssh", "0x16"; "80:8080" and "80 : 8080" in maps): each component
 * that reads as a port or number becomes "lo-hi", the rest is its words.
 */
static const char *elem_key(struct parser *p, const struct set *s,
			    const struct token *t, size_t n)
{
	struct tokvec kv = { 0 };
	char buf[1024];
	size_t end = elem_key_end(t, n, true), o = 0, a = 0;
	bool glued = false;

	for (size_t j = 0; j < end; j++) {
		struct token k = t[j];
		const char *colon = s->is_map && end == n && !glued ? map_colon(&k) : NULL;

		if (colon) {
			/* "80:8080": the key is what comes before */
			k.len = (uint32_t)(colon - k.s);
			glued = true;
			if (k.len)
				vec_push(p, &kv, &k);
			break;
		}
		vec_push(p, &kv, &k);
	}
	buf[0] = '\0';
	p->mute++;
	for (size_t j = 0; j <= kv.n && o < sizeof(buf); j++) {
		struct port_lit lit;
		size_t i = 0;
		int w;

		if (j < kv.n && !tok_is(&kv.t[j], "."))
			continue;
		/* the component kv.t[a..j) */
		if (j > a && port_value(p, kv.t + a, j - a, &i, L4_TCP | L4_UDP, &lit) == PV_OK &&
		    i == j - a) {
			w = snprintf(buf + o, sizeof(buf) - o, "%s%u-%u", a ? " . " : "",
				     lit.lo, lit.hi);
		} else {
			w = snprintf(buf + o, sizeof(buf) - o, "%s", a ? " ." : "");
			for (size_t q = a; q < j && w >= 0 && o + (size_t)w < sizeof(buf); q++) {
				int w2 = snprintf(buf + o + (size_t)w, sizeof(buf) - o - (size_t)w,
						  " %.*s", (int)kv.t[q].len, kv.t[q].s);

				if (w2 < 0)
					break;
				w += w2;
			}
		}
		if (w < 0)
			break;
		o += (size_t)w;
		a = j + 1;
	}
	p->mute--;
	free(kv.t);
	return arena_strdup(&p->rs->arena, buf);
}

/* Whether S's key is one port only: "inet_service", "typeof tcp dport". */
static bool key_is_one_port(const struct set *s)
{
	return s->port_field == 0 && !s->nmore_ports && s->key && !strchr(s->key, '.');
}

static uint32_t set_hash(const struct set *s)
{
	uint64_t v = (uintptr_t)s;

	v *= 0x9e3779b97f4a7c15ull;
	return (uint32_t)(v >> 32);
}

static void hchain_add(struct hchain *h, struct hnode *n, uint32_t hash)
{
	struct hnode *x;

	if (h->count >= h->size) {
		uint32_t size = h->size ? h->size * 2 : 16;
		struct hnode **b = calloc(size, sizeof(*b));

		if (!b)
			oom();
		for (uint32_t i = 0; i < h->size; i++) {
			while ((x = h->b[i])) {
				h->b[i] = x->next;
				x->next = b[x->hash & (size - 1)];
				b[x->hash & (size - 1)] = x;
			}
		}
		free(h->b);
		h->b = b;
		h->size = size;
	}
	n->hash = hash;
	n->next = h->b[hash & (h->size - 1)];
	h->b[hash & (h->size - 1)] = n;
	h->count++;
}

/* The nodes that may have HASH: the first, then each's next. */
static struct hnode *hchain_first(const struct hchain *h, uint32_t hash)
{
	return h->size ? h->b[hash & (h->size - 1)] : NULL;
}

/* The elements seen of S; with CREATE, a new empty record if none. */
static struct set_elems *set_elems_of(struct parser *p, struct set *s, bool create)
{
	uint32_t h = set_hash(s);
	struct set_elems *se;

	for (struct hnode *n = hchain_first(&p->sets_seen, h); n; n = n->next)
		if (((struct set_elems *)n)->s == s)
			return (struct set_elems *)n;
	if (!create)
		return NULL;
	se = arena_alloc(&p->rs->arena, sizeof(*se));
	se->s = s;
	se->tail = &se->head;
	se->base = s->nlits;
	hchain_add(&p->sets_seen, &se->node, h);
	return se;
}

static uint32_t elem_hash(const struct set *s, const char *key)
{
	return name_hash(key, strlen(key)) ^ set_hash(s);
}

/*
 * Takes every element of S written as KEY out of it: the kernel holds an
 * element once however often it was added ("add element" of one it has
 * is no error).  Returns how many there were.
 */
static uint32_t elem_kill(const struct parser *p, const struct set *s,
			  const char *key)
{
	uint32_t h = elem_hash(s, key), n = 0;

	for (struct hnode *x = hchain_first(&p->elems_seen, h); x; x = x->next) {
		struct elem_rec *r = (struct elem_rec *)x;

		if (x->hash == h && r->s == s && !r->dead && strcmp(r->key, key) == 0) {
			r->dead = true;
			n++;
		}
	}
	return n;
}

/* An element of SE's set left it: its ports are gathered again from
 * those still there once everything is read. */
static void set_dirty(struct parser *p, struct set_elems *se)
{
	if (se->dirty)
		return;
	se->dirty = true;
	se->dirty_next = p->dirty;
	p->dirty = se;
}

/* SE's set's ports again, from the elements that are left. */
static void set_rebuild(struct parser *p, struct set_elems *se)
{
	struct set *s = se->s;

	s->ports.n = 0;
	s->nlits = 0;
	s->data_ports.n = 0;
	for (uint32_t f = 0; f < s->nmore_ports; f++) {
		s->more_ports[f].n = 0;
		s->nmore_lits[f] = 0;
	}
	for (const struct elem_rec *r = se->head; r; r = r->next) {
		if (r->dead)
			continue;
		if (r->has_lit) {
			lits_add(p->rs, &s->lits, &s->nlits, &s->alits, &r->lit);
			portset_add(p->rs, &s->ports, r->lit.lo, r->lit.hi);
		}
		for (uint32_t f = 0; f < s->nmore_ports; f++) {
			if (!(r->has_more & (1u << f)))
				continue;
			lits_add(p->rs, &s->more_lits[f], &s->nmore_lits[f],
				 &s->amore_lits[f], &r->more[f]);
			portset_add(p->rs, &s->more_ports[f], r->more[f].lo, r->more[f].hi);
		}
		if (r->has_data)
			portset_add(p->rs, &s->data_ports, r->data.lo, r->data.hi);
	}
}

static void rebuild_dirty(struct parser *p)
{
	for (struct set_elems *se = p->dirty; se; se = se->dirty_next)
		set_rebuild(p, se);
	p->dirty = NULL;
}

/* "delete element": one element T[0..N) (its key; a map's data may
 * follow) out of the set. */
static void del_elem(struct rulectx *c, const struct token *t, size_t n,
		     void *arg)
{
	struct set_elem_ctx *x = arg;
	const char *key = elem_key(c->p, x->s, t, n);
	struct set_elems *se = set_elems_of(c->p, x->s, true);

	/* Elements this reading did not see (another file's): the set
	 * cannot be rebuilt without them. */
	if (se->base) {
		pnote(c->p, &t[0].loc, "'delete element' is not applied: set '%s' has elements read elsewhere",
		      x->s->name);
		return;
	}
	if (!elem_kill(c->p, x->s, key)) {
		struct loc at = span(&t[0], &t[elem_key_end(t, n, x->s->is_map) - 1]);
		unsigned lo, hi;
		char what[32];

		/* A key of one port is compared as its number ("lo-hi"):
		 * nft fails the file.  Another may be written unlike the
		 * element. */
		if (key_is_one_port(x->s) && sscanf(key, "%u-%u", &lo, &hi) == 2) {
			if (lo == hi)
				snprintf(what, sizeof(what), "port %u", lo);
			else
				snprintf(what, sizeof(what), "ports %u-%u", lo, hi);
			perr(c->p, &at, "element does not exist: set '%s' has no %s to delete",
			     x->s->name, what);
		} else
			pnote(c->p, &at, "'delete element' is not applied: set '%s' has no element '%s'",
			      x->s->name, key);
		return;
	}
	set_dirty(c->p, se);
}

static void set_elem(struct rulectx *c, const struct token *t, size_t n,
		     void *arg)
{
	struct set_elem_ctx *x = arg;
	/* before the first literal is added: those before are another's */
	struct set_elems *se = set_elems_of(c->p, x->s, true);
	struct elem_rec *rec = arena_alloc(&c->p->rs->arena, sizeof(*rec));
	struct port_match m = { 0 };
	struct elem_ctx e = {
		.m = &m, .protos = L4_TCP | L4_UDP, .component = x->s->port_field,
		.proto_component = x->s->proto_field + 1, .map = x->s->is_map,
		/* "type inet_service : verdict": each element its verdict */
		.vmap = set_is_vmap(x->s),
		.spans = key_is_one_port(x->s) ? x->spans : NULL,
	};

	for (uint32_t f = 0; f <= x->s->nmore_ports && !x->has_range; f++) {
		int comp = f ? x->s->more_port_fields[f - 1] : x->s->port_field;

		if (comp >= 0)
			x->has_range = elem_range(t, n, comp, x->s->is_map, &x->range,
						  &x->prefix);
	}
	if (x->s->port_field >= 0) {
		port_elem(c, t, n, &e);
		for (uint32_t k = 0; k < m.nlits; k++) {
			lits_add(x->p->rs, &x->s->lits, &x->s->nlits, &x->s->alits,
				 &m.lits[k]);
			portset_add(x->p->rs, &x->s->ports, m.lits[k].lo, m.lits[k].hi);
		}
		/* port_elem gives one literal, or none after an error */
		rec->has_lit = m.nlits == 1;
		if (m.nlits == 1)
			rec->lit = m.lits[0];
	}
	/* "1024-65535 . 22" in "type inet_service . inet_service": the
	 * other port components, each on its own */
	for (uint32_t f = 0; f < x->s->nmore_ports; f++) {
		struct port_match mm = { 0 };
		struct elem_ctx me = e;

		me.m = &mm;
		me.alits = 0;
		me.component = x->s->more_port_fields[f];
		c->p->mute++;	/* the first component's reading reported */
		port_elem(c, t, n, &me);
		c->p->mute--;
		for (uint32_t k = 0; k < mm.nlits; k++) {
			lits_add(x->p->rs, &x->s->more_lits[f], &x->s->nmore_lits[f],
				 &x->s->amore_lits[f], &mm.lits[k]);
			portset_add(x->p->rs, &x->s->more_ports[f], mm.lits[k].lo,
				    mm.lits[k].hi);
		}
		if (mm.nlits == 1) {
			rec->more[f] = mm.lits[0];
			rec->has_more |= (uint8_t)(1u << f);
		}
	}
	if (x->s->is_map && x->s->data_port_field >= 0) {
		struct tokvec d = { 0 };
		struct port_match dm = { 0 };
		struct elem_ctx de = {
			.m = &dm, .protos = L4_TCP | L4_UDP,
			.component = x->s->data_port_field,
		};

		map_data(x->p, t, n, &d);
		if (d.n)
			port_elem(c, d.t, d.n, &de);
		for (uint32_t k = 0; k < dm.nlits; k++)
			portset_add(x->p->rs, &x->s->data_ports, dm.lits[k].lo, dm.lits[k].hi);
		rec->has_data = dm.nlits == 1;
		if (dm.nlits == 1)
			rec->data = (struct portrange){ dm.lits[0].lo, dm.lits[0].hi };
		free(d.t);
	}
	rec->s = x->s;
	rec->key = elem_key(c->p, x->s, t, n);
	*se->tail = rec;
	se->tail = &rec->next;
	hchain_add(&c->p->elems_seen, &rec->node, elem_hash(rec->s, rec->key));
}

/*
 * Elements "{ ... }" for set S, the '{' next: added, or with DEL deleted.
 * Where the first range or prefix element added is goes into *RET_X
 * (when it has none yet): whether nft takes it depends on the set's
 * flags, which its block may give after the elements.
 */
static void read_elements(struct parser *p, struct set *s, bool del,
			  struct set_elem_ctx *ret_x)
{
	struct tokvec v = { 0 };
	struct token t;
	int depth = 0;
	struct rule scratch = { 0 };
	struct rulectx c = { .p = p, .r = &scratch };
	struct set_elem_ctx x = {
		.s = s, .p = p, .has_range = ret_x->has_range, .spans = ret_x->spans,
	};

	/* Gather the braces' content (newlines are free inside). */
	for (;;) {
		next(p, &t);
		if (t.type == T_EOF) {
			perr(p, &t.loc, "unexpected end of file: '{' is not closed");
			break;
		}
		if (t.type == T_NL)
			continue;
		vec_push(p, &v, &t);
		if (tok_punct(&t, '{'))
			depth++;
		else if (tok_punct(&t, '}') && --depth == 0)
			break;
	}
	if (v.n && (s->port_field >= 0 || s->data_port_field >= 0)) {
		c.t = v.t;
		c.n = v.n;
		/* the set's ports are sorted once, when every element is in
		 * (ruleset_resolve_sets()): "add element" may come many
		 * thousand times */
		for_each_elem(&c, del ? del_elem : set_elem, &x);
	}
	if (x.has_range && !ret_x->has_range)
		*ret_x = x;
	free(v.t);
}

/*
 * "type ipv4_addr . inet_service : verdict", "type inet_service:verdict",
 * "typeof ip daddr . tcp dport : ip daddr": the key and data types, and
 * which component of each is a port.  Returns what ended it (collect()).
 */
static int read_set_key(struct parser *p, struct set *s, bool typeof_)
{
	struct tokvec v = { 0 }, parts = { 0 };
	char text[2][512] = { "", "" };
	int side = 0, *field[2] = { &s->port_field, &s->data_port_field };
	/* a set declared again ("add set" then its block) has its type */
	bool fresh = s->port_field < 0, ct;
	size_t comp = 0;
	int end = collect(p, &v);

	/* Split "inet_service:verdict" into three parts. */
	for (size_t k = 0; k < v.n; k++) {
		struct token t = v.t[k];
		const char *colon = t.type == T_WORD && t.len > 1 ?
				    memchr(t.s, ':', t.len) : NULL;

		if (!colon) {
			vec_push(p, &parts, &t);
			continue;
		}
		if (colon > t.s) {
			struct token l = t;

			l.len = (uint32_t)(colon - t.s);
			vec_push(p, &parts, &l);
		}
		{
			struct token c = t;

			c.s = colon;
			c.len = 1;
			vec_push(p, &parts, &c);
		}
		if (colon + 1 < t.s + t.len) {
			struct token r = t;

			r.s = colon + 1;
			r.len = (uint32_t)(t.s + t.len - colon - 1);
			vec_push(p, &parts, &r);
		}
	}
	for (size_t k = 0; k < parts.n; k++) {
		const struct token *t = &parts.t[k];
		struct selector sel;
		size_t len = strlen(text[side]);

		if (tok_is(t, ":") && side == 0) {
			if (!s->is_map)
				perr(p, &t->loc, "syntax error, unexpected colon: set '%s' has a key and no data (a map has both)",
				     s->name);
			side = 1;
			comp = 0;
			continue;
		}
		snprintf(text[side] + len, sizeof(text[side]) - len, "%s%.*s",
			 len ? " " : "", (int)t->len, t->s);
		if (side == 0 && s->proto_field < 0 && comp < 127 &&
		    (typeof_ ? proto_selector(parts.t, parts.n, k, &ct) == 2 && !ct :
		     tok_is(t, "inet_proto")))
			s->proto_field = (int8_t)comp;
		if (tok_is(t, ".")) {
			comp++;
		} else if (typeof_ ? selector_at(parts.t, parts.n, k, &sel) :
				     tok_is(t, "inet_service")) {
			if (*field[side] < 0)
				*field[side] = (int)comp;
			else if (side == 0 && fresh && s->nmore_ports < SET_MORE_PORTS)
				s->more_port_fields[s->nmore_ports++] = (int)comp;
		}
	}
	if (s->is_map && !side && parts.n)
		perr(p, &parts.t[parts.n - 1].loc, "syntax error, expecting colon: map '%s' needs the type of its data ('type inet_service : verdict')",
		     s->name);
	s->key = arena_strdup(&p->rs->arena, text[0]);
	if (side)
		s->data = arena_strdup(&p->rs->arena, text[1]);
	free(v.t);
	free(parts.t);
	return end;
}

/* "flags interval, timeout": returns what ended it (collect()). */
static int read_set_flags(struct parser *p, struct set *s)
{
	struct tokvec v = { 0 };
	int end = collect(p, &v);

	for (size_t k = 0; k < v.n; k++) {
		if (tok_is(&v.t[k], "interval"))
			s->flags |= SET_F_INTERVAL;
		else if (tok_is(&v.t[k], "constant"))
			s->flags |= SET_F_CONSTANT;
		else if (tok_is(&v.t[k], "timeout"))
			s->flags |= SET_F_TIMEOUT;
		else if (tok_is(&v.t[k], "dynamic"))
			s->flags |= SET_F_DYNAMIC;
	}
	free(v.t);
	return end;
}

static bool expect_open(struct parser *p)
{
	struct token t;
	char b[256];

	next(p, &t);
	if (tok_punct(&t, '{'))
		return true;
	perr(p, &t.loc, "expected '{', found %s", tok_text(&t, b, sizeof(b)));
	if (t.type != T_NL && t.type != T_EOF)
		recover(p);
	return false;
}

static void skip_block(struct parser *p)
{
	struct token t;
	int depth = 1;

	while (depth && !p->stop) {
		next(p, &t);
		if (t.type == T_EOF) {
			perr(p, &t.loc, "unexpected end of file: '{' is not closed");
			return;
		}
		if (tok_punct(&t, '{'))
			depth++;
		else if (tok_punct(&t, '}'))
			depth--;
	}
}

static void do_include(struct parser *p, const struct token *kw);
static void cmd_define(struct parser *p, const struct token *kw);

/*
 * define, redefine and undefine may stand in any block, as fw4 writes them
 * in its table; nft scopes them to that block, so a block restores the
 * variables it found when it ends.
 */
static bool is_define_word(const struct token *t)
{
	return tok_is(t, "define") || tok_is(t, "redefine") || tok_is(t, "undefine");
}

/*
 * The next token closes a block right after a rule, a chain's type or
 * policy, or a set's type, flags, size ... ("chain c { tcp dport 22
 * accept }" on one line): nft's grammar wants a newline or ';' first,
 * and fails at the '}', in words that say what else could come (ALSO:
 * " or ." after a set's type, " or comma" after its flags; checked with
 * nft -c).  It wants one after a chain's, set's or other object's own
 * block in a table too ("table inet t { chain c { ... } }").
 */
static void unseparated(struct parser *p, const char *also)
{
	const struct token *t = peek(p);

	if (tok_punct(t, '}'))
		perr(p, &t->loc, "syntax error, unexpected '}', expecting newline or semicolon%s",
		     also);
}

/* The body of "set NAME { ... }" or "map NAME { ... }"; '{' was read. */
static void set_block(struct parser *p, struct set *s)
{
	struct define *outer = p->defs;
	struct keyspans spans = { 0 };
	struct set_elem_ctx ranges = { .spans = &spans };
	bool auto_merge = false;
	struct token t;

	while (!p->stop) {
		next(p, &t);
		if (t.type == T_EOF) {
			perr(p, &t.loc, "unexpected end of file in set '%s': '}' is missing",
			     s->name);
			break;
		}
		if (tok_punct(&t, '}'))
			break;
		if (t.type == T_NL || tok_punct(&t, ';'))
			continue;
		if (tok_is(&t, "type") || tok_is(&t, "typeof")) {
			if (read_set_key(p, s, tok_is(&t, "typeof")) == T_PUNCT)
				unseparated(p, " or .");
		} else if (tok_is(&t, "flags")) {
			if (read_set_flags(p, s) == T_PUNCT)
				unseparated(p, " or comma");
		} else if (tok_is(&t, "elements")) {
			struct token eq;

			next(p, &eq);
			if (!tok_punct(&eq, '=')) {
				perr(p, &eq.loc, "expected '=' after 'elements'");
				recover(p);
				continue;
			}
			if (!tok_punct(peek(p), '{')) {
				perr(p, &peek(p)->loc, "expected '{' after 'elements ='");
				recover(p);
				continue;
			}
			read_elements(p, s, false, &ranges);
		} else if (tok_is(&t, "include")) {
			do_include(p, &t);
		} else if (is_define_word(&t)) {
			cmd_define(p, &t);
		} else if (tok_is(&t, "timeout") || tok_is(&t, "gc-interval") ||
			   tok_is(&t, "size") || tok_is(&t, "policy") ||
			   tok_is(&t, "comment")) {
			struct tokvec v = { 0 };

			if (collect(p, &v) == T_PUNCT)
				unseparated(p, "");
			free(v.t);
		} else if (tok_is(&t, "counter") || tok_is(&t, "auto-merge") ||
			   tok_is(&t, "elements")) {
			auto_merge = auto_merge || tok_is(&t, "auto-merge");
			recover(p);
		} else {
			char b[256];

			perr(p, &t.loc, "unexpected %s in set '%s'",
			     tok_text(&t, b, sizeof(b)), s->name);
			recover(p);
		}
	}
	/* nft checks the flag before the elements, at the set's name */
	if (auto_merge && !(s->flags & SET_F_INTERVAL))
		perr(p, &s->loc, "auto-merge only works with interval sets");
	else if (ranges.has_range && !(s->flags & SET_F_INTERVAL))
		interval_needed(p, s, &ranges);
	else
		key_overlaps(p, &spans, (s->flags & SET_F_INTERVAL) && !auto_merge, s->is_map);
	free(spans.v);
	pop_defines(p, outer);
}

/* --- chains ---------------------------------------------------------------- */

static int32_t priority_value(const struct token *t, size_t n)
{
	static const struct { const char *w; int v; } names[] = {
		{ "raw", -300 }, { "mangle", -150 }, { "dstnat", -100 },
		{ "filter", 0 }, { "security", 50 }, { "srcnat", 100 },
		{ "out", 100 },
	};
	long v = 0;
	size_t k = 0;

	if (!n)
		return 0;
	for (size_t j = 0; j < sizeof(names) / sizeof(*names); j++)
		if (tok_is(&t[0], names[j].w)) {
			v = names[j].v;
			k = 1;
		}
	if (!k) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%.*s", (int)(t[0].len < 31 ? t[0].len : 31),
			 t[0].s);
		v = strtol(buf, NULL, 10);
		k = 1;
	}
	if (k + 1 < n && (tok_is(&t[k], "+") || tok_is(&t[k], "-"))) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%.*s", (int)(t[k + 1].len < 31 ? t[k + 1].len : 31),
			 t[k + 1].s);
		v += (tok_is(&t[k], "-") ? -1 : 1) * strtol(buf, NULL, 10);
	} else if (k < n && t[k].type == T_WORD && (t[k].s[0] == '+' || t[k].s[0] == '-')) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%.*s", (int)(t[k].len < 31 ? t[k].len : 31), t[k].s);
		v += strtol(buf, NULL, 10);
	}
	return (int32_t)v;
}

static void chain_type(struct parser *p, struct chain *c, const struct token *t,
		       size_t n)
{
	static const char *const hooks[] = {
		"", "prerouting", "input", "forward", "output", "postrouting",
		"ingress", "egress",
	};

	if (n)
		c->type = tok_dup(p, &t[0]);
	/* A base chain's policy is accept unless it says otherwise. */
	if (c->policy == VERDICT_NONE)
		c->policy = VERDICT_ACCEPT;
	for (size_t k = 1; k < n; k++) {
		if (tok_is(&t[k], "hook") && k + 1 < n) {
			for (int h = 1; h <= HOOK_EGRESS; h++)
				if (tok_is(&t[k + 1], hooks[h]))
					c->hook = (uint8_t)h;
			if (!c->hook)
				perr(p, &t[k + 1].loc, "unknown hook '%.*s'",
				     (int)t[k + 1].len, t[k + 1].s);
			k++;
		} else if (tok_is(&t[k], "priority") && k + 1 < n) {
			c->priority = priority_value(&t[k + 1], n - k - 1);
			break;
		}
	}
}

/* Words that start a command, never a rule. */
static bool is_command_word(const struct token *t)
{
	static const char *const words[] = {
		"add", "insert", "create", "delete", "destroy", "flush", "table",
		"chain", "define", "redefine", "undefine", "replace", "list",
	};

	for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
		if (tok_is(t, words[k]))
			return true;
	return false;
}

static void chain_block(struct parser *p, struct chain *c)
{
	struct define *outer = p->defs;
	struct tokvec v = { 0 };
	struct token t;
	bool commented = false;	/* the block gave the chain its comment */
	char b[256];

	while (!p->stop) {
		const struct token *pk = peek(p);

		if (pk->type == T_EOF) {
			perr(p, &pk->loc, "unexpected end of file in chain '%s': '}' is missing",
			     c->name);
			break;
		}
		if (tok_punct(pk, '}')) {
			next(p, &t);
			break;
		}
		if (pk->type == T_NL || tok_punct(pk, ';')) {
			next(p, &t);
			continue;
		}
		if (tok_is(pk, "include")) {
			next(p, &t);
			do_include(p, &t);
			continue;
		}
		if (is_define_word(pk)) {
			next(p, &t);
			cmd_define(p, &t);
			continue;
		}
		if (tok_is(pk, "comment") && peek_at(p, 1)->type == T_STRING) {
			/* The chain's comment, wherever it stands among the
			 * rules; a rule never starts with one. */
			next(p, &t);
			if (collect(p, &v) == T_PUNCT)
				unseparated(p, "");
			if (v.n > 1)
				perr(p, &v.t[1].loc, "syntax error, unexpected %s, expecting newline or semicolon",
				     unexpected_text(&v.t[1], b, sizeof(b)));
			else if (commented)
				perr(p, &t.loc, "You can only specify this once. This statement is duplicated.");
			commented = true;
			continue;
		}
		if (tok_is(pk, "type") || tok_is(pk, "policy") || tok_is(pk, "devices") ||
		    tok_is(pk, "device")) {
			next(p, &t);
			if (collect(p, &v) == T_PUNCT)
				unseparated(p, "");
			if (tok_is(&t, "type"))
				chain_type(p, c, v.t, v.n);
			else if (tok_is(&t, "policy") && v.n)
				c->policy = tok_is(&v.t[0], "accept") ? VERDICT_ACCEPT :
					    tok_is(&v.t[0], "drop") ? VERDICT_DROP : VERDICT_NONE;
			continue;
		}
		if (collect(p, &v) == T_PUNCT && v.n)
			unseparated(p, "");
		if (v.n && is_command_word(&v.t[0]) &&
		    !(v.n > 1 && v.t[1].type == T_WORD && v.t[1].s[0] == '@')) {
			perr(p, &v.t[0].loc, "unexpected '%.*s' in chain '%s': commands go outside table blocks",
			     (int)v.t[0].len, v.t[0].s, c->name);
			continue;
		}
		if (v.n) {
			struct rule *r = chain_add_rule(p->rs, c, -1);

			read_rule(p, r, v.t, v.n);
		}
	}
	pop_defines(p, outer);
	free(v.t);
}

/* --- tables and commands -------------------------------------------------- */

/* An optional family word, then a name: "inet filter", "filter". */
static int read_family(struct parser *p, enum family *ret)
{
	const struct token *t = peek(p);
	char w[16];
	int f;

	*ret = FAM_IP;
	if (t->type != T_WORD || t->len >= sizeof(w))
		return 0;
	memcpy(w, t->s, t->len);
	w[t->len] = '\0';
	f = family_from_name(w);
	if (f < 0)
		return 0;
	/* "table inet" names a table "inet" of family ip. */
	if (peek_at(p, 1)->type != T_WORD && peek_at(p, 1)->type != T_STRING)
		return 0;
	*ret = (enum family)f;
	{
		struct token skip;

		next(p, &skip);
	}
	return 1;
}

/* A name; else reports and skips the statement. */
static int cmp_word(const void *key, const void *elem)
{
	const struct token *t = key;
	const char *w = *(const char *const *)elem;
	int r = strncmp(t->s, w, t->len);

	return r ? r : -(w[t->len] != '\0');
}

/*
 * Whether the unquoted name T is one of nft's keywords, which its grammar
 * takes for the keyword, not a name ("chain fwd", "jump log"): nft fails
 * with "syntax error, unexpected fwd, expecting string" (for a jump or
 * goto target "expecting '{'").  The words nft 1.0.6 refuses so, each
 * checked with nft -c as a table, chain and set name and a jump target;
 * every one is a keyword in every scope in later versions too.  Reported,
 * and the name is read on.
 */
static void keyword_name(struct parser *p, const struct token *t, const char *expecting)
{
	static const char *const words[] = {
		"accept", "add", "ah", "all", "and", "arp", "auto-merge", "bridge",
		"cgroup", "chain", "comment", "comp", "constant", "continue",
		"counter", "cpu", "create", "ct", "day", "dccp", "define", "delete",
		"describe", "device", "devices", "dnat", "drop", "dst", "dup",
		"dynamic", "ecn", "element", "elements", "eq", "esp", "ether",
		"exists", "expires", "export", "exthdr", "fib", "flags", "flow",
		"flowtable", "flush", "frag", "fwd", "gc-interval", "ge", "get",
		"goto", "gt", "handle", "hbh", "hook", "hour", "ibriport", "ibrname",
		"icmp", "icmpv6", "igmp", "iif", "iifgroup", "iifname", "iiftype",
		"import", "include", "index", "inet", "insert", "interval", "ip",
		"ip6", "ipsec", "jhash", "jump", "le", "limit", "list", "log",
		"lshift", "lt", "map", "mark", "masquerade", "meta", "meter", "mh",
		"missing", "monitor", "ne", "netdev", "nftrace", "not", "notrack",
		"numgen", "obriport", "obrname", "offload", "oif", "oifgroup",
		"oifname", "oiftype", "or", "osf", "pkttype", "policy", "position",
		"priority", "queue", "quota", "random", "redefine", "redirect",
		"reject", "rename", "replace", "reset", "return", "rshift", "rt",
		"rt0", "rt2", "rtclassid", "rule", "ruleset", "sctp", "secmark",
		"set", "size", "skgid", "skuid", "snat", "socket", "srh", "symhash",
		"synproxy", "table", "tcp", "th", "time", "timeout", "tproxy",
		"type", "typeof", "udp", "udplite", "undefine", "update", "vlan",
		"vmap", "xor", "xt",
	};
	/* the operators in words, as nft names them */
	static const char *const ops[][2] = {
		{ "and", "&" }, { "eq", "==" }, { "ge", ">=" }, { "gt", ">" },
		{ "le", "<=" }, { "lshift", "<<" }, { "lt", "<" }, { "ne", "!=" },
		{ "not", "!" }, { "or", "'|'" }, { "rshift", ">>" }, { "xor", "^" },
	};
	const char *const *w;
	const char *shown;

	if (t->type != T_WORD || t->use.line ||
	    !(w = bsearch(t, words, sizeof(words) / sizeof(*words), sizeof(*words), cmp_word)))
		return;
	shown = *w;
	for (size_t k = 0; k < sizeof(ops) / sizeof(*ops); k++)
		if (strcmp(ops[k][0], *w) == 0)
			shown = ops[k][1];
	perr(p, &t->loc, "syntax error, unexpected %s, expecting %s", shown, expecting);
	p->kw_told = true;
}

static bool read_name(struct parser *p, struct token *ret, const char *what)
{
	char b[256];

	next(p, ret);
	keyword_name(p, ret, "string");
	if (ret->type == T_WORD || ret->type == T_STRING)
		return true;
	perr(p, &ret->loc, "expected a %s name, found %s", what, tok_text(ret, b, sizeof(b)));
	if (tok_punct(ret, '{'))
		skip_block(p);	/* the block of the object with no name */
	if (ret->type != T_NL && ret->type != T_EOF)
		recover(p);
	return false;
}

/*
 * Objects are looked up by a copy of their name on the stack; the ruleset
 * copies a name only when it creates the object.
 */

static const char *name_str(const struct token *t, char buf[static NAMEBUF])
{
	snprintf(buf, NAMEBUF, "%.*s", (int)t->len, t->s);
	return buf;
}

static void table_block(struct parser *p, struct table *tb)
{
	struct define *outer = p->defs;
	struct token t, name;
	char nbuf[NAMEBUF];

	while (!p->stop) {
		next(p, &t);
		if (t.type == T_EOF) {
			perr(p, &t.loc, "unexpected end of file in table '%s': '}' is missing",
			     tb->name);
			break;
		}
		if (tok_punct(&t, '}'))
			break;
		if (t.type == T_NL || tok_punct(&t, ';'))
			continue;
		if (tok_is(&t, "chain")) {
			struct chain *c;

			if (!read_name(p, &name, "chain"))
				continue;
			c = table_chain(p->rs, tb, name_str(&name, nbuf),
					true);
			if (!c->loc.line)
				c->loc = name.loc;
			if (expect_open(p)) {
				chain_block(p, c);
				unseparated(p, "");
			}
		} else if (tok_is(&t, "set") || tok_is(&t, "map")) {
			struct set *s;

			if (!read_name(p, &name, "set"))
				continue;
			s = table_set(p->rs, tb, name_str(&name, nbuf),
				      true);
			s->is_map = tok_is(&t, "map");
			if (!s->loc.line)
				s->loc = name.loc;
			if (expect_open(p)) {
				set_block(p, s);
				unseparated(p, "");
			}
		} else if (tok_is(&t, "flowtable") || tok_is(&t, "counter") ||
			   tok_is(&t, "quota") || tok_is(&t, "ct") || tok_is(&t, "limit") ||
			   tok_is(&t, "secmark") || tok_is(&t, "synproxy") ||
			   tok_is(&t, "tunnel")) {
			/* objects without ports: their block is skipped */
			struct token q;

			do {
				next(p, &q);
			} while (q.type == T_WORD || q.type == T_STRING);
			if (tok_punct(&q, '{')) {
				skip_block(p);
				unseparated(p, "");
			}
		} else if (tok_is(&t, "flags") || tok_is(&t, "comment")) {
			recover(p);
		} else if (tok_is(&t, "include")) {
			do_include(p, &t);
		} else if (is_define_word(&t)) {
			cmd_define(p, &t);
		} else {
			char b[256];

			perr(p, &t.loc, "unexpected %s in table '%s'", tok_text(&t, b, sizeof(b)),
			     tb->name);
			recover(p);
		}
	}
	pop_defines(p, outer);
}

/* "[family] NAME": the table, or NULL after reporting and skipping. */
static struct table *cmd_table_ref(struct parser *p, bool create)
{
	enum family f;
	struct token name;
	struct table *t;
	char buf[NAMEBUF];

	p->kw_told = false;
	read_family(p, &f);
	if (!read_name(p, &name, "table"))
		return NULL;	/* reported and skipped */
	if (p->kw_told && !create)
		return NULL;	/* a keyword: reported; see object_ref() */
	t = ruleset_table(p->rs, f, name_str(&name, buf), create);
	if (!t) {
		perr(p, &name.loc, "table '%.*s' (%s) does not exist", (int)name.len, name.s,
		     family_name(f));
		recover(p);
		return NULL;
	}
	if (!t->loc.line)
		t->loc = name.loc;
	return t;
}

/* "[family] TABLE NAME" of a chain, set or map: false after reporting. */
static bool object_ref(struct parser *p, const char *what, struct table **ret_table,
		       struct token *ret_name)
{
	/* A keyword as a name is a syntax error that ends the command in
	 * nft: its table or object is not looked up, nor the rest read. */
	*ret_table = cmd_table_ref(p, false);
	if (*ret_table && read_name(p, ret_name, what) && !p->kw_told)
		return true;
	if (p->kw_told)
		recover(p);
	return false;
}

static void end_statement(struct parser *p)
{
	const struct token *t = peek(p);
	char b[256];

	if (t->type == T_NL || t->type == T_EOF) {
		struct token skip;

		if (t->type == T_NL)
			next(p, &skip);
		return;
	}
	if (tok_punct(t, ';')) {
		struct token skip;

		next(p, &skip);
		return;
	}
	perr(p, &t->loc, "unexpected %s at the end of a statement", tok_text(t, b, sizeof(b)));
	recover(p);
}

/* add|create|insert|delete ... OBJECT */
static void cmd_object(struct parser *p, const struct token *verb, const struct token *obj)
{
	bool del = verb && (tok_is(verb, "delete") || tok_is(verb, "destroy"));
	bool insert = verb && tok_is(verb, "insert");
	struct token name;
	struct table *tb;
	char b[256], nbuf[NAMEBUF];

	if (tok_is(obj, "table")) {
		tb = cmd_table_ref(p, !del);
		if (!tb)
			return;
		if (del) {
			ruleset_delete_table(p->rs, tb);
		} else if (tok_punct(peek(p), '{')) {
			struct token open;

			next(p, &open);
			table_block(p, tb);
		}
		end_statement(p);
		return;
	}
	if (tok_is(obj, "chain")) {
		struct chain *c;

		if (!object_ref(p, "chain", &tb, &name))
			return;
		c = table_chain(p->rs, tb, name_str(&name, nbuf), !del);
		if (!c) {
			perr(p, &name.loc, "chain '%.*s' does not exist", (int)name.len, name.s);
			recover(p);
			return;
		}
		if (del) {
			table_delete_chain(tb, c);
		} else {
			if (!c->loc.line)
				c->loc = name.loc;
			if (tok_punct(peek(p), '{')) {
				struct token open;

				next(p, &open);
				chain_block(p, c);
			}
		}
		end_statement(p);
		return;
	}
	if (tok_is(obj, "set") || tok_is(obj, "map")) {
		struct set *s;

		if (!object_ref(p, "set", &tb, &name))
			return;
		s = table_set(p->rs, tb, name_str(&name, nbuf), !del);
		if (!s) {
			perr(p, &name.loc, "set '%.*s' does not exist", (int)name.len, name.s);
			recover(p);
			return;
		}
		if (del) {
			table_delete_set(tb, s);
		} else {
			s->is_map = tok_is(obj, "map");
			if (!s->loc.line)
				s->loc = name.loc;
			if (expect_open(p))
				set_block(p, s);
		}
		end_statement(p);
		return;
	}
	if (tok_is(obj, "element")) {
		struct set *s;

		if (!object_ref(p, "set", &tb, &name))
			return;
		s = table_set(p->rs, tb, name_str(&name, nbuf), false);
		if (!s) {
			perr(p, &name.loc, "set '%.*s' does not exist", (int)name.len, name.s);
			recover(p);
			return;
		}
		if (!tok_punct(peek(p), '{')) {
			perr(p, &peek(p)->loc, "expected '{' with the elements");
			recover(p);
			return;
		}
		{
			struct keyspans ks = { 0 };
			struct set_elem_ctx ranges = { .spans = &ks };
			uint32_t errors = p->rs->nerrors;

			read_elements(p, s, del, &ranges);
			interval_needed(p, s, &ranges);
			/* overlaps only: whether the set merges them is not known */
			if (p->rs->nerrors == errors)
				key_overlaps(p, &ks, false, s->is_map);
			free(ks.v);
		}
		end_statement(p);
		return;
	}
	if (tok_is(obj, "rule")) {
		struct chain *c;
		struct tokvec v = { 0 };
		long pos = insert ? 0 : -1;

		if (!object_ref(p, "chain", &tb, &name))
			return;
		c = table_chain(p->rs, tb, name_str(&name, nbuf), false);
		if (!c) {
			perr(p, &name.loc, "chain '%.*s' does not exist in table '%s'",
			     (int)name.len, name.s, tb->name);
			recover(p);
			return;
		}
		if (del) {
			pnote(p, &name.loc, "'delete rule' by handle is not applied: handles are known only to the kernel");
			recover(p);
			return;
		}
		if (tok_is(peek(p), "index") || tok_is(peek(p), "position") ||
		    tok_is(peek(p), "handle")) {
			struct token kw, num;
			unsigned long n = 0;

			next(p, &kw);
			next(p, &num);
			if (num.type != T_WORD || !parse_uint(num.s, num.len, &n)) {
				perr(p, &num.loc, "expected a number after '%.*s'",
				     (int)kw.len, kw.s);
				recover(p);
				return;
			}
			if (tok_is(&kw, "index")) {
				pos = insert ? (long)n : (long)n + 1;
			} else {
				pnote(p, &kw.loc, "rule %s %lu is a kernel handle; the rule is %s",
				      insert ? "inserted before" : "added after", n,
				      insert ? "put first" : "put last");
			}
		}
		collect(p, &v);
		if (v.n && tok_is(&v.t[0], "comment")) {
			/* a comment is the chain's in a block, never a rule */
			perr(p, &v.t[0].loc, "syntax error, unexpected comment");
		} else if (v.n) {
			struct rule *r = chain_add_rule(p->rs, c, pos);

			read_rule(p, r, v.t, v.n);
		} else {
			perr(p, &name.loc, "a rule needs at least one statement");
		}
		free(v.t);
		return;
	}
	if (tok_is(obj, "flowtable") || tok_is(obj, "counter") || tok_is(obj, "quota") ||
	    tok_is(obj, "ct") || tok_is(obj, "limit") || tok_is(obj, "secmark") ||
	    tok_is(obj, "synproxy")) {
		struct tokvec v = { 0 };

		collect(p, &v);
		free(v.t);
		return;
	}
	perr(p, &obj->loc, "unknown object %s", tok_text(obj, b, sizeof(b)));
	recover(p);
}

static void cmd_flush(struct parser *p, const struct token *kw)
{
	struct token obj, name;
	struct table *tb;
	char nbuf[NAMEBUF];

	next(p, &obj);
	if (tok_is(&obj, "ruleset")) {
		/* Tables may come back later in the file: unlink them all. */
		p->rs->ntables = 0;
		end_statement(p);
		return;
	}
	if (tok_is(&obj, "table")) {
		tb = cmd_table_ref(p, false);
		if (tb)
			for (uint32_t i = 0; i < tb->nchains; i++)
				chain_flush(tb->chains[i]);
		end_statement(p);
		return;
	}
	if (tok_is(&obj, "chain") || tok_is(&obj, "set") || tok_is(&obj, "map")) {
		if (!object_ref(p, tok_is(&obj, "chain") ? "chain" : "set", &tb, &name))
			return;
		if (tok_is(&obj, "chain")) {
			struct chain *c = table_chain(p->rs, tb,
				name_str(&name, nbuf), false);

			if (c)
				chain_flush(c);
			else
				perr(p, &name.loc, "chain '%.*s' does not exist", (int)name.len, name.s);
		} else {
			struct set *s = table_set(p->rs, tb,
				name_str(&name, nbuf), false);

			if (s) {
				struct set_elems *se = set_elems_of(p, s, true);

				for (struct elem_rec *r = se->head; r; r = r->next)
					r->dead = true;
				/* what was read elsewhere goes too */
				se->base = 0;
				set_dirty(p, se);
			} else {
				perr(p, &name.loc, "set '%.*s' does not exist", (int)name.len, name.s);
			}
		}
		end_statement(p);
		return;
	}
	perr(p, &kw->loc, "'flush' needs ruleset, table, chain, set or map");
	recover(p);
}

/*
 * A variable's value is an expression nft can compare with, never a port
 * selector ("define web = tcp dport"): nft fails with a syntax error,
 * worded by its scanner (checked with nft -c for each form), and the
 * variable is not defined.  Whether V holds one, reported.
 */
static bool define_selector(struct parser *p, const struct tokvec *v)
{
	int depth = 0;

	for (size_t k = 0; k < v->n; k++) {
		const struct token *t = &v->t[k];
		struct selector sel;
		struct loc loc;

		if (tok_punct(t, '{'))
			depth++;
		else if (tok_punct(t, '}'))
			depth--;
		if (!selector_at(v->t, v->n, k, &sel))
			continue;
		if (tok_is(t, "ct") || tok_is(t, "th")) {
			perr(p, &t->loc, "syntax error, unexpected %.*s", (int)t->len, t->s);
		} else if (tok_is(t, "@th")) {
			loc = t->loc;
			loc.col++;
			perr(p, &loc, "syntax error, unexpected th, expecting string");
		} else {
			perr(p, &t[1].loc, "syntax error, unexpected string, expecting %s",
			     depth ? "comma or '}'" : "newline or semicolon");
		}
		return true;
	}
	return false;
}

/* define NAME = VALUE: the value's tokens, up to the end of the statement. */
static void cmd_define(struct parser *p, const struct token *kw)
{
	struct token name, eq;
	struct tokvec v = { 0 };
	struct define *d;
	bool redefine = tok_is(kw, "redefine"), undefine = tok_is(kw, "undefine");

	next(p, &name);
	if (name.type != T_WORD) {
		perr(p, &name.loc, "expected a variable name after '%.*s'", (int)kw->len, kw->s);
		recover(p);
		return;
	}
	d = find_define(p, name.s, name.len);
	if (undefine) {
		if (!d)
			perr(p, &name.loc, "undefined variable '%.*s'", (int)name.len, name.s);
		else
			d->undefined = true;
		end_statement(p);
		return;
	}
	next(p, &eq);
	if (!tok_punct(&eq, '=')) {
		perr(p, &eq.loc, "expected '=' after 'define %.*s'", (int)name.len, name.s);
		recover(p);
		return;
	}
	collect(p, &v);
	if (!v.n) {
		perr(p, &eq.loc, "'%.*s' has no value", (int)name.len, name.s);
		free(v.t);
		return;
	}
	if (define_selector(p, &v)) {
		free(v.t);
		return;
	}
	/* nft wants "redefine" for a name it can see, from this block or
	 * one around it; the new value is read on all the same */
	if (d && !redefine)
		perr(p, &name.loc, "redefinition of symbol '%.*s'", (int)name.len, name.s);
	d = arena_alloc(&p->rs->arena, sizeof(*d));
	d->name = arena_strndup(&p->rs->arena, name.s, name.len);
	d->len = name.len;
	d->hash = name_hash(name.s, name.len);
	d->toks = arena_alloc(&p->rs->arena, v.n * sizeof(*d->toks));
	memcpy(d->toks, v.t, v.n * sizeof(*d->toks));
	d->n = v.n;
	push_define(p, d);
	free(v.t);
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static void include_one(struct parser *p, const struct token *from, const char *path)
{
	char *text = NULL, real[PATH_MAX];
	size_t len = 0;
	/* "-" would be standard input to input_slurp(): a file here. */
	int r = input_slurp(strcmp(path, "-") == 0 ? "./-" : path, &text, &len);
	uint32_t idx;

	if (r < 0) {
		perr(p, &from->loc, "cannot read included file '%s': %s", path, strerror(-r));
		return;
	}
	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	idx = ruleset_add_file(p->rs, path, text, len);
	p->budget += len * 16;
	if (!lexer_push_file(p->lx, idx, real))
		perr(p, &from->loc, "include of '%s' %s", path,
		     lexer_depth(p->lx) >= 30 ? "nests too deeply" : "is a cycle");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * include "FILE": globs allowed.  A relative name is looked up beside the
 * including file, then in each -I directory (nft itself searches only its
 * include path, /etc by default, which is where nftables.conf lives).
 */
static void do_include(struct parser *p, const struct token *kw)
{
	struct token arg;
	char name[PATH_MAX], dir[PATH_MAX], try[2 * PATH_MAX + 2];
	uint32_t curf = lexer_current_file(p->lx);
	const char *cur = curf ? p->rs->files[curf].name : NULL;
	glob_t g;
	bool found = false;

	next(p, &arg);
	if (arg.type != T_STRING) {
		perr(p, &arg.loc, "'include' needs a quoted file name");
		recover(p);
		return;
	}
	end_statement(p);
	snprintf(name, sizeof(name), "%.*s", (int)arg.len, arg.s);
	if (!*name) {
		perr(p, &arg.loc, "'include' needs a file name");
		return;
	}
	/* Candidates: absolute; beside the including file; each -I dir. */
	for (int pass = 0; pass < 2 + 64 && !found; pass++) {
		if (name[0] == '/') {
			if (pass)
				break;
			snprintf(try, sizeof(try), "%s", name);
		} else if (pass == 0) {
			const char *slash;

			if (!cur)
				continue;
			slash = strrchr(cur, '/');
			snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - cur) : 1,
				 slash ? cur : ".");
			snprintf(try, sizeof(try), "%s/%s", dir, name);
		} else {
			const char *d = p->opts && p->opts->include_dirs ?
					p->opts->include_dirs[pass - 1] : NULL;

			if (!d)
				break;
			snprintf(try, sizeof(try), "%s/%s", d, name);
		}
		if (has_glob(try)) {
			int r = glob(try, GLOB_NOSORT, NULL, &g);

			if (r == 0) {
				char **v = g.gl_pathv;

				qsort(v, g.gl_pathc, sizeof(*v), cmp_str);
				/* Pushed last first, so that they are read in order. */
				for (size_t k = g.gl_pathc; k-- > 0; )
					include_one(p, &arg, v[k]);
				found = true;
			}
			globfree(&g);
			if (name[0] == '/')
				found = true;	/* a glob matching nothing is fine */
		} else if (access(try, F_OK) == 0) {
			include_one(p, &arg, try);
			found = true;
		}
	}
	if (!found && !has_glob(name))
		perr(p, &arg.loc, "cannot find included file '%s'", name);
	(void)kw;
}

static void statement(struct parser *p)
{
	struct token t, obj;
	char b[256];

	next(p, &t);
	if (t.type == T_EOF)
		return;
	if (t.type == T_NL || tok_punct(&t, ';'))
		return;
	if (t.type != T_WORD) {
		perr(p, &t.loc, "unexpected %s", tok_text(&t, b, sizeof(b)));
		if (!tok_punct(&t, '}'))
			recover(p);
		return;
	}
	if (tok_is(&t, "include")) {
		do_include(p, &t);
	} else if (tok_is(&t, "define") || tok_is(&t, "redefine") ||
		   tok_is(&t, "undefine")) {
		cmd_define(p, &t);
	} else if (tok_is(&t, "flush")) {
		cmd_flush(p, &t);
	} else if (tok_is(&t, "add") || tok_is(&t, "create") || tok_is(&t, "insert") ||
		   tok_is(&t, "delete") || tok_is(&t, "destroy")) {
		next(p, &obj);
		if (obj.type != T_WORD) {
			perr(p, &obj.loc, "'%.*s' needs an object (table, chain, rule, ...)",
			     (int)t.len, t.s);
			if (obj.type != T_NL)
				recover(p);
			return;
		}
		if ((tok_is(&t, "insert")) && !tok_is(&obj, "rule")) {
			perr(p, &obj.loc, "'insert' works on rules only");
			recover(p);
			return;
		}
		cmd_object(p, &t, &obj);
	} else if (tok_is(&t, "table") || tok_is(&t, "chain") || tok_is(&t, "set") ||
		   tok_is(&t, "map") || tok_is(&t, "rule") || tok_is(&t, "element")) {
		cmd_object(p, NULL, &t);
	} else if (tok_is(&t, "list") || tok_is(&t, "reset") || tok_is(&t, "monitor") ||
		   tok_is(&t, "describe") || tok_is(&t, "export") || tok_is(&t, "import") ||
		   tok_is(&t, "replace") || tok_is(&t, "rename")) {
		pnote(p, &t.loc, "'%.*s' changes nothing a file defines; skipped",
		      (int)t.len, t.s);
		recover(p);
	} else {
		perr(p, &t.loc, "unexpected %s: expected a command such as table, add or include",
		     tok_text(&t, b, sizeof(b)));
		recover(p);
	}
}

int nft_text_read(struct ruleset *rs, const char *name, char *text,
		  size_t len, const struct registry *reg,
		  const struct nft_options *opts)
{
	struct parser p = {
		.rs = rs, .reg = reg, .opts = opts,
		.max_errors = opts && opts->max_errors ? opts->max_errors : DEFAULT_MAX_ERRORS,
	};
	char real[PATH_MAX];
	uint32_t idx = ruleset_add_file(rs, name, text, len);

	p.max_errors += rs->nerrors;	/* per file */
	p.budget = len * 16 > MIN_EXPANSION_BUDGET ? len * 16 : MIN_EXPANSION_BUDGET;
	p.lx = lexer_new(rs);
	lexer_push_file(p.lx, idx, realpath(name, real) ? real : name);
	while (!p.stop) {
		const struct token *t = peek(&p);

		if (t->type == T_EOF)
			break;
		statement(&p);
		statement_read(&p);
	}
	statement_order_check(&p);
	check_set_refs(&p);
	rebuild_dirty(&p);
	lexer_free(p.lx);
	free(p.buckets);
	free(p.sets_seen.b);
	free(p.elems_seen.b);
	return 0;
}
