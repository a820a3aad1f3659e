/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Service names in rules ("tcp dport ssh"), resolved as a load would. */
#ifndef PORTOLAN_SERVICES_H
#define PORTOLAN_SERVICES_H

#include <stdint.h>

#include "registry.h"
#include "ruleset.h"

/*
 * Resolves service NAME as a load would: the port the system's services
 * database gives it (what nft and iptables read at load time), marked
 * LIT_SERVICE when IANA's registry knows the name and LIT_SERVICE_DB when
 * only the services file does; for a name the services file lacks, IANA's
 * port for the protocols PROTOS (enum l4 bits; udplite and "any" read as
 * tcp, then udp).  Returns 0 with *ret_port and *ret_kind, or -ENOENT.
 */
int service_resolve(const struct registry *reg, const char *name,
		    unsigned protos, uint16_t *ret_port, enum lit_kind *ret_kind);

/*
 * The port the system's services database gives NAME (a name or an alias)
 * for PROTO ("tcp"; NULL: the first entry, as getservbyname(NAME, NULL)),
 * or -1.  The database is read once per process.
 */
int services_db_port(const char *name, const char *proto);

/* IANA's protocol number for one L4 bit (6, 17, 132, 33, 136), or -1;
 * and the L4 bit for a protocol number or name ("tcp", "6"), or 0. */
int l4_number(unsigned bit);
unsigned l4_from_word(const char *word);

#endif
