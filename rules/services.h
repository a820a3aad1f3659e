/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Service names in rules ("tcp dport ssh"), resolved as a load would. */
#ifndef PORTOLAN_SERVICES_H
#define PORTOLAN_SERVICES_H

#include <stdint.h>

#include "registry.h"
#include "ruleset.h"

/*
 * Resolves service NAME for the protocols PROTOS (enum l4 bits; udplite
 * and "any" read as tcp, then udp) through IANA's registry, and failing
 * that through the system's services database (getservbyname, which is
 * what nft's getaddrinfo lookup reads).  Where IANA gives the name several
 * ports, the services database picks among them.  Returns 0 with
 * *ret_port and *ret_kind (LIT_SERVICE or LIT_SERVICE_DB), or -ENOENT.
 */
int service_resolve(const struct registry *reg, const char *name,
		    unsigned protos, uint16_t *ret_port, enum lit_kind *ret_kind);

/* IANA's protocol number for one L4 bit (6, 17, 132, 33, 136), or -1;
 * and the L4 bit for a protocol number or name ("tcp", "6"), or 0. */
int l4_number(unsigned bit);
unsigned l4_from_word(const char *word);

#endif
