/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Numbers written in decimal without printf: reports and messages write
 * one or more for every rule of a ruleset, and a stream set up per call
 * costs more than what is written.
 */
#ifndef PORTOLAN_DECIMAL_H
#define PORTOLAN_DECIMAL_H

#include <stdint.h>

#define DECIMAL_U32_DIGITS 10	/* at most, for a uint32_t */

/* V in decimal at P (room for DECIMAL_U32_DIGITS bytes), two digits a
 * step; returns the end.  No NUL is written. */
static inline char *decimal_put_u32(char *p, uint32_t v)
{
	static const char pairs[] =
		"0001020304050607080910111213141516171819"
		"2021222324252627282930313233343536373839"
		"4041424344454647484950515253545556575859"
		"6061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	unsigned n = 1u + (v >= 10) + (v >= 100) + (v >= 1000) + (v >= 10000) +
		     (v >= 100000) + (v >= 1000000) + (v >= 10000000) +
		     (v >= 100000000) + (v >= 1000000000);
	char *q = p + n;

	while (v >= 100) {
		unsigned d = v % 100 * 2;

		v /= 100;
		*--q = pairs[d + 1];
		*--q = pairs[d];
	}
	if (v >= 10) {
		*--q = pairs[v * 2 + 1];
		*--q = pairs[v * 2];
	} else {
		*--q = (char)('0' + v);
	}
	return p + n;
}

#endif
