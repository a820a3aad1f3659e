/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "strfmt.h"

/* LEN bytes of S at *N in BUF (SIZE bytes), as far as they fit. */
static void put(char *buf, size_t size, size_t *n, const char *s, size_t len)
{
	if (*n < size)
		memcpy(buf + *n, s, len < size - *n ? len : size - *n);
	*n += len;
}

size_t strfmt_v(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t n = 0;
	va_list again;

	va_copy(again, ap);
	for (const char *p = fmt; ; p++) {
		const char *pct = strchrnul(p, '%'), *s;
		char num[DECIMAL_U32_DIGITS];
		unsigned v;
		int r;

		put(buf, size, &n, p, (size_t)(pct - p));
		if (!*pct)
			break;
		p = pct + 1;
		switch (*p) {
		case 's':
			s = va_arg(ap, const char *);
			put(buf, size, &n, s, strlen(s));
			break;
		case 'u':
			v = va_arg(ap, unsigned);
			put(buf, size, &n, num, (size_t)(decimal_put_u32(num, v) - num));
			break;
		default:
			r = vsnprintf(buf, size, fmt, again);
			va_end(again);
			return r < 0 ? 0 : (size_t)r;
		}
	}
	va_end(again);
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	return n;
}

size_t strfmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = strfmt_v(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
