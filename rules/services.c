/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "services.h"

static const struct {
	unsigned bit;
	int number;
	const char *name;
	int reg;		/* enum reg_proto, or -1 */
} l4s[] = {
	{ L4_TCP, 6, "tcp", REG_PROTO_TCP },
	{ L4_UDP, 17, "udp", REG_PROTO_UDP },
	{ L4_SCTP, 132, "sctp", REG_PROTO_SCTP },
	{ L4_DCCP, 33, "dccp", REG_PROTO_DCCP },
	{ L4_UDPLITE, 136, "udplite", -1 },
};

int l4_number(unsigned bit)
{
	for (size_t i = 0; i < sizeof(l4s) / sizeof(*l4s); i++)
		if (l4s[i].bit == bit)
			return l4s[i].number;
	return -1;
}

unsigned l4_from_word(const char *word)
{
	char *end;
	long n = strtol(word, &end, 10);

	for (size_t i = 0; i < sizeof(l4s) / sizeof(*l4s); i++)
		if ((!*end && *word && n == l4s[i].number) ||
		    strcasecmp(word, l4s[i].name) == 0)
			return l4s[i].bit;
	return 0;
}

/*
 * The port NAME has on registry protocol P, or -1.  IANA gives a few names
 * several ports (http-alt: 591, 8008, 8080): then the one the services
 * database gives (PREFER), which is what nft loads, else the first.
 */
static int registry_port(const struct registry *reg, const char *name, int p,
			 int prefer)
{
	size_t first, n = registry_find_name(reg, name, &first);
	int found = -1;

	for (size_t i = first; i < first + n; i++) {
		const struct reg_record *r = &reg->records[reg->by_name[i]];

		if (!(r->flags & REG_F_HAS_PORT) || r->lo != r->hi ||
		    !(r->protos & (1u << p)))
			continue;
		if (r->lo == prefer)
			return r->lo;
		if (found < 0)
			found = r->lo;
	}
	return found;
}

int service_resolve(const struct registry *reg, const char *name,
		    unsigned protos, uint16_t *ret_port, enum lit_kind *ret_kind)
{
	struct servent se, *res = NULL;
	char buf[1024];

	if (protos & (L4_UDPLITE | L4_ANY) || !protos)
		protos |= L4_TCP | L4_UDP;
	int db = -1;

	if (getservbyname_r(name, NULL, &se, buf, sizeof(buf), &res) == 0 && res)
		db = ntohs((uint16_t)res->s_port);
	for (size_t i = 0; i < sizeof(l4s) / sizeof(*l4s); i++) {
		int port;

		if (!(protos & l4s[i].bit) || l4s[i].reg < 0)
			continue;
		port = registry_port(reg, name, l4s[i].reg, db);
		if (port >= 0) {
			*ret_port = (uint16_t)port;
			*ret_kind = LIT_SERVICE;
			return 0;
		}
	}
	if (db >= 0) {
		*ret_port = (uint16_t)db;
		*ret_kind = LIT_SERVICE_DB;
		return 0;
	}
	return -ENOENT;
}
