/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics as people read them: file:line:col, the line, a caret. */
#ifndef PORTOLAN_DIAGFMT_H
#define PORTOLAN_DIAGFMT_H

#include <stdio.h>

#include "ruleset.h"

/* Prints every diagnostic of RS to OUT; returns the number of errors. */
unsigned diagfmt_print(FILE *out, const struct ruleset *rs);
/* Prints one: "file:line:col: LEVEL: msg", the source line and "^~~". */
void diagfmt_one(FILE *out, const struct ruleset *rs, const struct loc *loc,
		 const char *level, const char *msg);

/* The start of line LINE of FILE in RS (not NUL-terminated at its end), or
 * NULL; an index of the file's lines is kept until diagfmt_forget(). */
const char *diagfmt_line(const struct ruleset *rs, uint32_t file, uint32_t line);
void diagfmt_forget(void);

#endif
