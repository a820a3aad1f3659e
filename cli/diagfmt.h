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

/* Line LINE of FILE in RS, *RET_LEN bytes without its newline (RET_LEN may
 * be NULL), or NULL; an index of RS's lines is kept until diagfmt_forget(). */
const char *diagfmt_line(const struct ruleset *rs, uint32_t file, uint32_t line,
			 size_t *ret_len);
/* LOC's source line and a caret under its columns ("  ^~~~"); the caller
 * holds OUT's lock (flockfile). */
void diagfmt_caret(FILE *out, const struct ruleset *rs, const struct loc *loc,
		   bool color);
void diagfmt_forget(void);

#endif
