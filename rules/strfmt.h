/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snprintf for what messages and diagnostics use, %s and %u: a large
 * ruleset may have a finding or a diagnostic on every rule, and vsnprintf,
 * a stream set up for each call, costs more than the checks themselves.
 * Any other conversion is left to vsnprintf.  Returns the length the
 * whole text has (as snprintf does); BUF holds what fits, NUL-terminated
 * where SIZE is not 0.
 */
#ifndef PORTOLAN_STRFMT_H
#define PORTOLAN_STRFMT_H

#include <stdarg.h>
#include <stddef.h>

size_t strfmt_v(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
size_t strfmt(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
