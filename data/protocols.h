/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IANA's Assigned Internet Protocol Numbers (data/protocol-numbers.xml),
 * compiled into the program at build time: what "-p 6" or "ip protocol 132"
 * means.
 */
#ifndef PORTOLAN_PROTOCOLS_H
#define PORTOLAN_PROTOCOLS_H

#include <stddef.h>

struct ipproto {
	const char *keyword;	/* "TCP"; NULL where IANA gives none */
	const char *description;	/* "Transmission Control"; "" if none */
};

extern const struct ipproto ipproto_table[256];
extern const char ipproto_updated[];	/* the registry's date */

/* IANA's keyword for protocol number N, or NULL (unassigned, reserved). */
const char *ipproto_keyword(unsigned n);
/* The protocol number a keyword names, ASCII case folded; -1 if none. */
int ipproto_number(const char *name, size_t len);

#endif
