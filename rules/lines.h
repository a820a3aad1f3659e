/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lines of a ruleset's source files, for carets and comments: a file
 * is indexed when one of its lines is first asked for, and every line is
 * then found in constant time.
 */
#ifndef PORTOLAN_LINES_H
#define PORTOLAN_LINES_H

#include "ruleset.h"

struct lines;

/* An index of RS's files; RS must outlive it. */
struct lines *lines_new(const struct ruleset *rs);
void lines_free(struct lines *l);

/* Line LINE (1-based) of file FILE, without its newline (*RET_LEN bytes),
 * or NULL. */
const char *lines_get(struct lines *l, uint32_t file, uint32_t line,
		      size_t *ret_len);

#endif
