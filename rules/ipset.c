/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "ipset save" files: "create NAME TYPE ..." and "add NAME ELEMENT ...".
 * Only what gives "-m set" ports is kept: the sets whose type has a port
 * dimension (bitmap:port, hash:ip,port, hash:net,port,net ...) and the
 * ports of their elements per protocol.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ipt.h"
#include "services.h"

struct ipset_db {
	struct ruleset *rs;	/* owns the strings, port arrays and indexes */
	const struct registry *reg;
	struct ipset_info **sets;	/* malloc'd, in file order */
	uint32_t n, a;
	char **names;		/* every set, with or without ports (malloc'd) */
	uint32_t nnames, anames;
	/* by name (nameidx.h): a file may create thousands of sets, each
	 * named by an "add" line or more and by rules */
	struct name_index sets_index, names_index;
};

static void *info_at(const void *items, uint32_t i)
{
	return ((struct ipset_info *const *)items)[i];
}

static const char *info_name(const void *item)
{
	return ((const struct ipset_info *)item)->name;
}

static const struct name_kind info_kind = { info_at, info_name };

static void *name_at(const void *items, uint32_t i)
{
	return ((char *const *)items)[i];
}

static const char *name_self(const void *item)
{
	return item;
}

static const struct name_kind name_kind = { name_at, name_self };

struct word {
	const char *s;
	size_t len;
	struct loc loc;
};

static size_t words(const char *p, const char *end, const char *line_start,
		    uint32_t file, uint32_t no, struct word *w, size_t max)
{
	size_t n = 0;

	while (n < max) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p >= end)
			break;
		w[n].s = p;
		while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		w[n].len = (size_t)(p - w[n].s);
		w[n].loc = (struct loc){
			.file = file, .line = no,
			.col = (uint32_t)(w[n].s - line_start) + 1,
			.col_end = (uint32_t)(p - line_start),
		};
		n++;
	}
	return n;
}

static bool word_is(const struct word *w, const char *s)
{
	return strlen(s) == w->len && memcmp(w->s, s, w->len) == 0;
}

/* The first set named S (LEN bytes) with ports, or a list:set. */
static struct ipset_info *find(const struct ipset_db *db, const char *s, size_t len)
{
	return nameidx_find(&db->sets_index, &info_kind, db->sets, db->n, s, len,
			    nameidx_hash(&db->sets_index, s, len));
}

static bool known_name(const struct ipset_db *db, const char *s, size_t len)
{
	return nameidx_find(&db->names_index, &name_kind, db->names, db->nnames,
			    s, len, nameidx_hash(&db->names_index, s, len));
}

static void create(struct ipset_db *db, const struct word *w, size_t n)
{
	struct ruleset *rs = db->rs;
	const char *type, *dims;
	struct ipset_info *info;
	char *name;
	uint32_t h;
	size_t k = 0, port_dim = 0, ndims = 1;
	bool has_port = false, list;

	if (n < 3) {
		ruleset_diag(rs, DIAG_ERROR, &w[0].loc, "'create NAME TYPE' expected");
		return;
	}
	if (db->nnames == db->anames) {
		db->anames = db->anames ? db->anames * 2 : 16;
		db->names = realloc(db->names, db->anames * sizeof(*db->names));
		if (!db->names)
			oom();
	}
	name = arena_strndup(&rs->arena, w[1].s, w[1].len);
	/* hashed as it is kept, up to a NUL the word may hold */
	h = nameidx_hash(&db->names_index, name, strlen(name));
	db->names[db->nnames++] = name;
	nameidx_add(&rs->arena, &db->names_index, &name_kind, db->names, db->nnames, h);
	type = w[2].s;
	dims = memchr(type, ':', w[2].len);
	if (!dims) {
		ruleset_diag(rs, DIAG_ERROR, &w[2].loc, "unknown set type '%.*s'",
			     (int)w[2].len, type);
		return;
	}
	/* "hash:ip,port,net": which dimension is the port.  Only the word
	 * is searched: the text after it holds no NUL until the file ends. */
	for (const char *d = dims + 1, *end = type + w[2].len; d < end; k++) {
		const char *comma = memchr(d, ',', (size_t)(end - d));
		size_t len = (size_t)((comma ? comma : end) - d);

		if (len == 4 && memcmp(d, "port", 4) == 0) {
			has_port = true;
			port_dim = k;
		}
		d += len;
		if (comma) {
			d++;
			ndims++;
		}
	}
	list = w[2].len == 8 && memcmp(type, "list:set", 8) == 0;
	if (!has_port && !list)	/* a list's ports are its members', once read */
		return;
	info = arena_alloc(&rs->arena, sizeof(*info));
	info->list = list;
	info->name = name;
	info->dims = (unsigned)ndims;
	info->port_dim = (unsigned)port_dim;
	info->loc = w[1].loc;
	if (db->n == db->a) {
		db->a = db->a ? db->a * 2 : 16;
		db->sets = realloc(db->sets, db->a * sizeof(*db->sets));
		if (!db->sets)
			oom();
	}
	h = nameidx_hash(&db->sets_index, name, strlen(name));
	db->sets[db->n++] = info;
	nameidx_add(&rs->arena, &db->sets_index, &info_kind, db->sets, db->n, h);
}

static bool port_value(struct ipset_db *db, const char *s, size_t len,
		       unsigned proto, const struct loc *loc, uint16_t *ret)
{
	char buf[64];
	unsigned long v = 0;
	size_t i;
	enum lit_kind kind;

	for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (unsigned long)(s[i] - '0');
	if (i == len && len && len < 6 && v <= 65535) {
		*ret = (uint16_t)v;
		return true;
	}
	if (len && len < sizeof(buf)) {
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (service_resolve(db->reg, buf, proto, ret, &kind) == 0)
			return true;
	}
	ruleset_diag(db->rs, DIAG_ERROR, loc, "invalid port '%.*s'", (int)len, s);
	return false;
}

/* "10.0.0.1,tcp:80", "22", "udp:53-60", "10.0.0.0/8,sctp:5000,10.1.0.0/16" */
static void add(struct ipset_db *db, const struct word *w, size_t n)
{
	struct ipset_info *info;
	const char *e, *end, *colon, *dash;
	unsigned proto = 0, k = 0;
	uint16_t lo, hi;
	struct loc loc;

	if (n < 3) {
		ruleset_diag(db->rs, DIAG_ERROR, &w[0].loc, "'add NAME ELEMENT' expected");
		return;
	}
	info = find(db, w[1].s, w[1].len);
	if (!info) {
		if (!known_name(db, w[1].s, w[1].len))
			ruleset_diag(db->rs, DIAG_ERROR, &w[1].loc,
				     "set '%.*s' is not created before this line",
				     (int)w[1].len, w[1].s);
		return;
	}
	if (info->list) {
		if (info->nmembers == info->amembers) {
			uint32_t a = info->amembers ? info->amembers * 2 : 8;

			info->members = arena_grow(&db->rs->arena, info->members,
						   info->amembers * sizeof(*info->members),
						   a * sizeof(*info->members));
			info->amembers = a;
		}
		info->members[info->nmembers++] = arena_strndup(&db->rs->arena, w[2].s, w[2].len);
		return;
	}
	e = w[2].s;
	end = w[2].s + w[2].len;
	for (; k < info->port_dim && e < end; k++) {
		const char *comma = memchr(e, ',', (size_t)(end - e));

		e = comma ? comma + 1 : end;
	}
	if (e >= end) {
		ruleset_diag(db->rs, DIAG_ERROR, &w[2].loc, "element '%.*s' has no port",
			     (int)w[2].len, w[2].s);
		return;
	}
	if (memchr(e, ',', (size_t)(end - e)))
		end = memchr(e, ',', (size_t)(end - e));
	loc = w[2].loc;
	loc.col += (uint32_t)(e - w[2].s);
	loc.col_end = loc.col + (uint32_t)(end - e) - 1;
	colon = memchr(e, ':', (size_t)(end - e));
	if (colon) {
		char buf[16];
		size_t len = (size_t)(colon - e);

		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, e, len);
		buf[len] = '\0';
		proto = l4_from_word(buf);
		if (!proto)
			return;		/* icmp:ping and the like: no port */
		e = colon + 1;
	}
	dash = memchr(e, '-', (size_t)(end - e));
	if (!port_value(db, e, (size_t)((dash ? dash : end) - e),
			proto ? proto : L4_TCP, &loc, &lo))
		return;
	hi = lo;
	if (dash && !port_value(db, dash + 1, (size_t)(end - dash - 1),
				proto ? proto : L4_TCP, &loc, &hi))
		return;
	if (hi < lo) {
		ruleset_diag(db->rs, DIAG_ERROR, &loc, "range %u-%u is reversed", lo, hi);
		return;
	}
	if (info->dims == 1) {
		/* bitmap:port keeps the port alone ("tcp:443" is saved as
		 * "443"), and the kernel matches it on tcp and udp packets
		 * only (ip_set_get_ip_port()), never sctp, udplite or dccp */
		portset_add(db->rs, &info->ports[l4_index(L4_TCP)], lo, hi);
		portset_add(db->rs, &info->ports[l4_index(L4_UDP)], lo, hi);
		info->protos |= L4_TCP | L4_UDP;
		return;
	}
	/* hash types: tcp unless the element says otherwise */
	k = (unsigned)l4_index(proto ? proto : L4_TCP);
	portset_add(db->rs, &info->ports[k], lo, hi);
	info->protos |= proto ? proto : L4_TCP;
}

static void merge_list(struct ipset_db *db, struct ipset_info *info);

struct ipset_db *ipset_db_read(const char *name, char *text, size_t len,
			       const struct registry *reg)
{
	struct ipset_db *db = calloc(1, sizeof(*db));
	struct ruleset *rs = ruleset_new();
	uint32_t file = ruleset_add_file(rs, name, text, len), no = 0;
	const char *p = text, *end = text + len;

	if (!db)
		oom();
	db->rs = rs;
	db->reg = reg;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		struct word w[4];
		size_t n = words(p, le, p, file, ++no, w, 4);

		if (n && w[0].s[0] != '#') {
			if (word_is(&w[0], "create") || word_is(&w[0], "-N"))
				create(db, w, n);
			else if (word_is(&w[0], "add") || word_is(&w[0], "-A"))
				add(db, w, n);
			else if (!word_is(&w[0], "flush") && !word_is(&w[0], "destroy"))
				ruleset_diag(rs, DIAG_ERROR, &w[0].loc,
					     "not an ipset save line: 'create' or 'add' expected");
		}
		p = nl ? nl + 1 : end;
	}
	for (size_t i = 0; i < db->n; i++)
		for (int b = 0; b < 5; b++)
			portset_normalize(&db->sets[i]->ports[b]);
	for (size_t i = 0; i < db->n; i++)
		if (db->sets[i]->list)
			merge_list(db, db->sets[i]);
	return db;
}

/*
 * A list:set matches when one of its members does, each given the rule's
 * flags: its ports are their union, as long as every member has its port
 * in the same dimension (so the same flag reads it).
 */
static void merge_list(struct ipset_db *db, struct ipset_info *info)
{
	info->opaque = info->nmembers == 0;
	for (uint32_t i = 0; i < info->nmembers && !info->opaque; i++) {
		const struct ipset_info *m = find(db, info->members[i],
						  strlen(info->members[i]));

		if (!m || m->list || (i && m->port_dim != info->port_dim)) {
			info->opaque = true;
			break;
		}
		if (i == 0) {
			info->dims = m->dims;
			info->port_dim = m->port_dim;
		} else if (m->dims < info->dims) {
			info->dims = m->dims;
		}
		info->protos |= m->protos;
		for (int b = 0; b < 5; b++)
			for (uint32_t j = 0; j < m->ports[b].n; j++)
				portset_add(db->rs, &info->ports[b], m->ports[b].r[j].lo,
					    m->ports[b].r[j].hi);
	}
	for (int b = 0; b < 5; b++)
		portset_normalize(&info->ports[b]);
}

void ipset_db_free(struct ipset_db *db)
{
	if (!db)
		return;
	free(db->sets);
	free(db->names);
	ruleset_free(db->rs);
	free(db);
}

const struct ruleset *ipset_db_diags(const struct ipset_db *db)
{
	return db->rs;
}

const struct ipset_info *ipset_find(const struct ipset_db *db, const char *name,
				    bool *exists)
{
	const struct ipset_info *info = find(db, name, strlen(name));

	*exists = info || known_name(db, name, strlen(name));
	return info && info->opaque ? NULL : info;
}
