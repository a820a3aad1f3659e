/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics as people read them: file:line:col, the line, a caret. */
#ifndef PORTOLAN_DIAGFMT_H
#define PORTOLAN_DIAGFMT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "decimal.h"
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
	size_t flushes;		/* how often written out, for those that
				 * keep what they wrote in buf */
	char buf[1u << 15];
};

void diagfmt_flush(struct diagfmt_out *o);
/* A jansson dump callback (json_dump_callback()) writing to the struct
 * diagfmt_out OUT: jansson writes a piece at a time, most of them a byte. */
int diagfmt_dump_to(const char *buf, size_t size, void *out);
/* diagfmt_write() when S does not fit in what is left of the buffer. */
void diagfmt_write_flushing(struct diagfmt_out *o, const char *s, size_t len);

/* Inline: most pieces are a few bytes, often literals whose length the
 * compiler knows; the call would cost more than the copy. */
static inline void diagfmt_write(struct diagfmt_out *o, const char *s, size_t len)
{
	if (len > sizeof(o->buf) - o->n) {
		diagfmt_write_flushing(o, s, len);
		return;
	}
	memcpy(o->buf + o->n, s, len);
	o->n += len;
}

static inline void diagfmt_puts(struct diagfmt_out *o, const char *s)
{
	diagfmt_write(o, s, strlen(s));
}

static inline void diagfmt_putc(struct diagfmt_out *o, char c)
{
	if (o->n == sizeof(o->buf))
		diagfmt_flush(o);
	o->buf[o->n++] = c;
}

/* Room for LEN (at most sizeof(o->buf)) bytes at o->buf + o->n, to write
 * in place and then advance o->n. */
static inline char *diagfmt_room(struct diagfmt_out *o, size_t len)
{
	if (len > sizeof(o->buf) - o->n)
		diagfmt_flush(o);
	return o->buf + o->n;
}

/* V in decimal. */
static inline void diagfmt_putu(struct diagfmt_out *o, unsigned v)
{
	char *p = diagfmt_room(o, DECIMAL_U32_DIGITS);

	o->n = (size_t)(decimal_put_u32(p, v) - o->buf);
}

/* Line LINE of FILE in RS, *RET_LEN bytes without its newline (RET_LEN may
 * be NULL), or NULL; an index of RS's lines is kept until diagfmt_forget(). */
const char *diagfmt_line(const struct ruleset *rs, uint32_t file, uint32_t line,
			 size_t *ret_len);
/* LOC's source line and a caret under its columns ("  ^~~~"). */
void diagfmt_caret(struct diagfmt_out *o, const struct ruleset *rs,
		   const struct loc *loc, bool color);
void diagfmt_forget(void);

#endif
