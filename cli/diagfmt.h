/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics as people read them: file:line:col, the line, a caret. */
#ifndef PORTOLAN_DIAGFMT_H
#define PORTOLAN_DIAGFMT_H

#include <stdbool.h>
#include <stdio.h>

#include "ruleset.h"

/* Prints every diagnostic of RS to OUT; returns the number of errors. */
unsigned diagfmt_print(FILE *out, const struct ruleset *rs);
/* Prints one: "file:line:col: LEVEL: msg", the source line and "^~~". */
void diagfmt_one(FILE *out, const struct ruleset *rs, const struct loc *loc,
		 const char *level, const char *msg);

/*
 * Text on its way to a stream, gathered in a buffer: a report writes each
 * finding in a dozen pieces, and stdio's cost (a lock, a length, a call
 * down) is paid per piece.  Written out when full and by diagfmt_flush().
 */
struct diagfmt_out {
	FILE *f;
	size_t n;
	char buf[1u << 15];
};

void diagfmt_write(struct diagfmt_out *o, const char *s, size_t len);
void diagfmt_puts(struct diagfmt_out *o, const char *s);
/* V in decimal. */
void diagfmt_putu(struct diagfmt_out *o, unsigned v);
void diagfmt_flush(struct diagfmt_out *o);

/* Line LINE of FILE in RS, *RET_LEN bytes without its newline (RET_LEN may
 * be NULL), or NULL; an index of RS's lines is kept until diagfmt_forget(). */
const char *diagfmt_line(const struct ruleset *rs, uint32_t file, uint32_t line,
			 size_t *ret_len);
/* LOC's source line and a caret under its columns ("  ^~~~"). */
void diagfmt_caret(struct diagfmt_out *o, const struct ruleset *rs,
		   const struct loc *loc, bool color);
void diagfmt_forget(void);

#endif
