/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include <strings.h>

#include "protocols.h"

const char *ipproto_keyword(unsigned n)
{
	return n < 256 ? ipproto_table[n].keyword : NULL;
}

int ipproto_number(const char *name, size_t len)
{
	for (unsigned n = 0; n < 256; n++) {
		const char *k = ipproto_table[n].keyword;

		if (k && strlen(k) == len && strncasecmp(k, name, len) == 0)
			return (int)n;
	}
	return -1;
}
