/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tokens of the nft text syntax, from a stack of sources: files (the main
 * one and its includes) and token lists (the value of a $variable).
 * Private to the nft text reader.
 */
#ifndef PORTOLAN_NFT_LEX_H
#define PORTOLAN_NFT_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "ruleset.h"

enum tok_type {
	T_EOF,
	T_NL,		/* end of line (not inside a string or after '\') */
	T_WORD,		/* anything else: 22, ssh, 10.0.0.1:80, $x, @set, . */
	T_STRING,	/* "..." (s excludes the quotes) */
	T_PUNCT,	/* { } ( ) ; , = and the operators below */
};

/* T_PUNCT values beyond single characters. */
enum {
	P_LE = 'l',	/* <= */
	P_GE = 'g',	/* >= */
	P_NE = 'n',	/* != */
	P_EQ = 'e',	/* == */
};

struct token {
	unsigned char type;	/* enum tok_type */
	char punct;
	uint32_t len;
	const char *s;		/* into the source text; not NUL-terminated */
	struct loc loc;		/* where it is written */
	struct loc use;		/* from a $variable: where that was used */
};

struct lexer;

struct lexer *lexer_new(struct ruleset *rs);
void lexer_free(struct lexer *lx);

/*
 * Pushes file FILE (a ruleset file index) to be read next.  PATH identifies
 * it for cycle detection (its real path; may be NULL).  Returns false, with
 * nothing pushed, when PATH is already being read (an include cycle) or
 * the nesting is too deep.
 */
bool lexer_push_file(struct lexer *lx, uint32_t file, const char *path);
/* Pushes tokens to be read next (a variable's value), expanded from USE. */
void lexer_push_tokens(struct lexer *lx, const struct token *toks, size_t n,
		       const struct loc *use);
size_t lexer_depth(const struct lexer *lx);
/* The real path of the file being read, or NULL. */
const char *lexer_current_path(const struct lexer *lx);
/* The ruleset file index of the file being read, or 0. */
uint32_t lexer_current_file(const struct lexer *lx);

/* The next token; T_EOF once every source is exhausted. */
void lexer_next(struct lexer *lx, struct token *ret);

static inline bool tok_is(const struct token *t, const char *word)
{
	size_t n;

	/* The first byte first: most words differ there, and WORD is not
	 * always a literal whose length the compiler knows. */
	if (t->type != T_WORD || !t->len || t->s[0] != word[0])
		return false;
	n = strlen(word);
	return t->len == n && memcmp(t->s, word, n) == 0;
}

static inline bool tok_punct(const struct token *t, char c)
{
	return t->type == T_PUNCT && t->punct == c;
}

#endif
