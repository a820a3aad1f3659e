/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
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

/*
 * The system's services database, read once: rulesets name the same
 * services on thousands of lines, and every getservbyname() reads the
 * whole file again.  Entries keep the file's order, which decides which
 * protocol's port a lookup without one gets, as in getservbyname().
 */
struct svc {
	char *name;		/* the name or an alias */
	char proto[8];
	uint16_t port;
	uint32_t order;		/* position in the database */
};

static struct {
	struct svc *e;
	size_t n;
	bool loaded;
	bool digit_names;	/* a name starting with a digit ("914c/g") */
} db;

static int cmp_svc(const void *a, const void *b)
{
	const struct svc *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static void db_add(const char *name, const char *proto, uint16_t port, size_t *a)
{
	struct svc *e;

	if (db.n == *a) {
		*a = *a ? *a * 2 : 512;
		db.e = realloc(db.e, *a * sizeof(*db.e));
		if (!db.e)
			oom();
	}
	e = &db.e[db.n];
	e->name = strdup(name);
	if (!e->name)
		oom();
	snprintf(e->proto, sizeof(e->proto), "%s", proto ? proto : "");
	e->port = port;
	e->order = (uint32_t)db.n++;
	db.digit_names |= name[0] >= '0' && name[0] <= '9';
}

static void db_load(void)
{
	struct servent *se;
	size_t a = 0;

	db.loaded = true;
	setservent(0);
	while ((se = getservent())) {
		uint16_t port = ntohs((uint16_t)se->s_port);

		db_add(se->s_name, se->s_proto, port, &a);
		for (char **al = se->s_aliases; al && *al; al++)
			db_add(*al, se->s_proto, port, &a);
	}
	endservent();
	if (db.n)
		qsort(db.e, db.n, sizeof(*db.e), cmp_svc);
}

int services_db_port(const char *name, const char *proto)
{
	size_t lo = 0, hi;

	if (!db.loaded)
		db_load();
	/* a number ("8080" in iptables' "--to-destination 10.0.0.1:8080",
	 * tried as a name first) names nothing, unless the file has such */
	if (name[0] >= '0' && name[0] <= '9' && !db.digit_names)
		return -1;
	hi = db.n;
	/* the first entry of NAME, then the first with PROTO */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(db.e[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < db.n && strcmp(db.e[lo].name, name) == 0; lo++)
		if (!proto || strcmp(db.e[lo].proto, proto) == 0)
			return db.e[lo].port;
	return -1;
}

int service_resolve(const struct registry *reg, const char *name,
		    unsigned protos, uint16_t *ret_port, enum lit_kind *ret_kind)
{
	int db_port = services_db_port(name, NULL);
	size_t first, n = registry_find_name(reg, name, &first);
	bool registered = false;

	/* IANA lists some names with no port (imap2): not a port's name */
	for (size_t i = first; i < first + n; i++)
		registered |= (reg->records[reg->by_name[i]].flags & REG_F_HAS_PORT) != 0;

	/*
	 * nft and iptables load the port the services file gives: that is
	 * the port the rule holds.  Where the file lacks the name, IANA's
	 * port stands in (the host the rules are loaded on may have it).
	 */
	if (db_port >= 0) {
		*ret_port = (uint16_t)db_port;
		*ret_kind = registered ? LIT_SERVICE : LIT_SERVICE_DB;
		return 0;
	}
	if (protos & (L4_UDPLITE | L4_ANY) || !protos)
		protos |= L4_TCP | L4_UDP;
	for (size_t i = 0; i < sizeof(l4s) / sizeof(*l4s); i++) {
		int port;

		if (!(protos & l4s[i].bit) || l4s[i].reg < 0)
			continue;
		port = registry_port(reg, name, l4s[i].reg, -1);
		if (port >= 0) {
			*ret_port = (uint16_t)port;
			*ret_kind = LIT_SERVICE;
			return 0;
		}
	}
	return -ENOENT;
}
