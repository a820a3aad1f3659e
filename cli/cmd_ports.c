/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "diagfmt.h"
#include "input.h"
#include "inputs.h"
#include "regfmt.h"
#include "services.h"

#define NAMES_MAX 16	/* service names listed per range */
/*
 * Rulesets name the same ports again and again: the registry's answer for
 * a range is made once and kept in a direct-mapped cache (a slot is
 * overwritten when another range hashes to it, so memory stays bounded).
 */
#define CACHE_SLOTS 8192
/* [lo, hi] pairs as JSON: every match and service has one. */
#define PAIR_BITS 13

struct cache_slot {
	uint32_t key;		/* lo << 16 | hi */
	uint16_t protos;	/* what it is for, | 0x100; 0: empty slot */
	json_t *json;		/* service_json() of one protocol */
};

/*
 * The text cache is larger: a range's text is made in a few hundred
 * instructions, less than a malloc and free, so texts are kept in one
 * block, and when it is full the cache starts over.  A slot is 12 bytes.
 */
#define TEXT_BITS 16
#define TEXT_BLOCK (1u << 20)	/* bytes of text kept at most */
#define TEXT_MAX 2048		/* room made for one range_text() */

struct text_slot {
	uint32_t key;		/* lo << 16 | hi */
	uint16_t protos;	/* what it is for, | 0x100; 0: empty slot */
	uint16_t len;		/* of the text with ", " before it */
	uint32_t off;		/* where the ", " is in ports.text */
};

/* The start of a match's line ("    tcp dport != "), by what it says. */
#define MATCH_SLOTS 64

struct match_slot {
	uint16_t key;		/* match_key() + 1; 0: empty slot */
	uint8_t len;
	char s[53];		/* "    " tcp,udp,sctp,dccp,udplite,th " ct " sport " != " */
};

/* A name with its length, for text written again and again. */
struct sized {
	const char *s;
	size_t len;
};

struct pair_slot {
	uint32_t key;		/* lo << 16 | hi */
	json_t *json;		/* NULL: empty */
};

/* JSON strings made once per run and shared (see jname()): where the
 * names of each enum's values start in ports.names, and how many. */
enum {
	JN_VERDICT = 0,				/* enum verdict */
	JN_FAMILY = JN_VERDICT + 16,		/* enum family */
	JN_FIELD = JN_FAMILY + 8,		/* enum port_field */
	JN_KIND = JN_FIELD + 3,			/* enum match_kind */
	JN_SOURCE = JN_KIND + MATCH_CONCAT + 1,	/* enum match_source */
	JN_RESOLVED = JN_SOURCE + 4,		/* "services", "registry" */
	JN_L4 = JN_RESOLVED + 2,		/* enum l4, by bit number */
	JN_PROTO = JN_L4 + 8,			/* enum reg_proto */
	JN_CLASS = JN_PROTO + REG_NPROTO,	/* enum reg_class, "mixed" */
	JN_COUNT = JN_CLASS + REG_NCLASS + 1,
};

static const char usage[] =
	"usage: portolan ports [options] [FILE|DIR|-]...\n\n"
	"Every port match in a ruleset, with what IANA's registry says of each\n"
	"port.  Rulesets are nftables (nft -f text, nft -j JSON) or iptables\n"
	"(iptables-save dumps, shell scripts calling iptables).  Directories are\n"
	"searched for *.nft, *.conf, *.json, *.rules, *.v4, *.v6 and *.sh files;\n"
	"'-' reads standard input (the default).\n\n"
	"options:\n"
	"   -f, --format FMT        text (default) or json\n"
	"   -i, --input-format FMT  auto (default), nft, nft-json, iptables or\n"
	"                           iptables-script\n"
	"   -I, --include DIR       search DIR for relative includes (repeatable)\n"
	"   --family ip|ip6         the family of iptables input (default: from\n"
	"                           its content, else ip)\n"
	"   --ipset FILE            \"ipset save\" output: the ports of the sets\n"
	"                           iptables rules match with -m set\n"
	"   --registry FILE         use this registry file instead of the built-in one\n\n"
	"exit status: 0 read cleanly, 2 an input had errors or could not be read\n";

struct ports {
	size_t nemitted;	/* JSON items written in the current list */
	const struct registry *reg;
	uint32_t *recs;		/* room for every record, for range listings */
	bool json;
	struct inputs_args args;
	struct ipset_db *ipsets;
	json_t *diags;
	int status;
	struct cache_slot *cache;	/* CACHE_SLOTS, JSON only */
	struct pair_slot *pairs;	/* 1 << PAIR_BITS, JSON only */
	json_t *names[JN_COUNT];
	json_t *protos[256];		/* protocol lists, by enum l4 bits */
	/* text only */
	struct text_slot *tslots;	/* 1 << TEXT_BITS */
	char *text;			/* TEXT_BLOCK */
	size_t ntext;
	struct match_slot *mslots;	/* MATCH_SLOTS */
	struct sized verdicts[VERDICT_MAP + 2];	/* the last: any other */
	struct sized file;		/* the name of file_index */
	uint32_t file_index;		/* UINT32_MAX: none yet */
	char *chain;			/* "  inet filter input #" */
	size_t nchain, achain;
};

static struct cache_slot *cache_slot(const struct ports *pt, uint16_t lo,
				     uint16_t hi, unsigned protos)
{
	uint32_t h = ((uint32_t)lo << 16 | hi) * 2654435761u ^ protos * 40503u;

	return &pt->cache[(h >> 13) % CACHE_SLOTS];
}

static bool cache_hit(const struct cache_slot *s, uint16_t lo, uint16_t hi,
		      unsigned protos)
{
	return s->protos == (protos | 0x100) && s->key == ((uint32_t)lo << 16 | hi);
}

static void cache_free(struct ports *pt)
{
	for (size_t i = 0; pt->cache && i < CACHE_SLOTS; i++)
		if (pt->cache[i].protos)
			json_decref(pt->cache[i].json);
	free(pt->cache);
	free(pt->tslots);
	free(pt->text);
	free(pt->mslots);
	free(pt->chain);
	for (size_t i = 0; pt->pairs && i < 1u << PAIR_BITS; i++)
		json_decref(pt->pairs[i].json);
	free(pt->pairs);
	for (size_t i = 0; i < JN_COUNT; i++)
		json_decref(pt->names[i]);
	for (size_t i = 0; i < 256; i++)
		json_decref(pt->protos[i]);
}

static unsigned l4_to_reg(unsigned bit)
{
	switch (bit) {
	case L4_TCP: return 1u << REG_PROTO_TCP;
	case L4_UDP: return 1u << REG_PROTO_UDP;
	case L4_SCTP: return 1u << REG_PROTO_SCTP;
	case L4_DCCP: return 1u << REG_PROTO_DCCP;
	case L4_ANY: return REG_PROTO_ALL;
	}
	return 0;	/* udplite: the registry has no such protocol */
}

/*
 * Output through one buffer: printf would dominate large rulesets.  JSON
 * is written as it is made, one rule per line, so that a large ruleset
 * never has its whole report in memory: jansson writes each item straight
 * into the buffer.
 */
static struct diagfmt_out out;

static void emit_json(struct ports *pt, json_t *j, const char *indent)
{
	size_t from = out.n, flushes = out.flushes;

	if (pt->nemitted)
		diagfmt_puts(&out, ",\n");
	diagfmt_puts(&out, indent);
	/* JSON_PRESERVE_ORDER costs nothing on jansson 2.14, which keeps
	 * insertion order anyway; older ones need it for our key order. */
	if (j && !json_dump_callback(j, diagfmt_dump_to, &out,
				     JSON_COMPACT | JSON_PRESERVE_ORDER)) {
		pt->nemitted++;
	} else {
		/* An item that cannot be written is left out, as far as
		 * the part already written is still in the buffer. */
		if (out.flushes == flushes)
			out.n = from;
		pt->status = EXIT_USAGE;
	}
	json_decref(j);
}

/*
 * Building the report with json_pack() and freeing it again took more
 * time than writing it: a rule names the same few strings, protocol
 * lists and port pairs as every other rule.  Those are made once and
 * shared (values are reference counted, and none is changed after it is
 * made), and objects are built member by member without a format string
 * to parse.
 */
static void jset(json_t *o, const char *key, json_t *v)
{
	/* Keys are literals (ASCII); fails only when out of memory. */
	if (json_object_set_new_nocheck(o, key, v))
		abort();
}

static void jappend(json_t *a, json_t *v)
{
	if (json_array_append_new(a, v))
		abort();
}

/* Name S of value V of an enum whose N names start at BASE in
 * pt->names: made the first time, then shared. */
static json_t *jname(struct ports *pt, unsigned base, unsigned n, unsigned v,
		     const char *s)
{
	json_t **slot;

	if (v >= n)
		return json_string(s);
	slot = &pt->names[base + v];
	if (!*slot)
		*slot = json_string(s);	/* our own names: ASCII */
	return json_incref(*slot);
}

/* [lo, hi], from a direct-mapped cache like the services'. */
static json_t *range_pair(struct ports *pt, uint16_t lo, uint16_t hi)
{
	uint32_t key = (uint32_t)lo << 16 | hi;
	struct pair_slot *s = &pt->pairs[(key * 2654435761u) >> (32 - PAIR_BITS)];

	if (!s->json || s->key != key) {
		json_t *a = json_array();

		jappend(a, json_integer(lo));
		jappend(a, json_integer(hi));
		json_decref(s->json);
		s->json = a;
		s->key = key;
	}
	return json_incref(s->json);
}

static json_t *protos_json(struct ports *pt, uint8_t protos)
{
	static const unsigned order[] = { L4_ANY, L4_DCCP, L4_SCTP, L4_TCP, L4_UDP, L4_UDPLITE };
	json_t **slot = &pt->protos[protos];

	if (!*slot) {
		*slot = json_array();
		/* sorted by name: any, dccp, sctp, tcp, udp, udplite */
		for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++)
			if (protos & order[i])
				jappend(*slot, jname(pt, JN_L4, 8, (unsigned)__builtin_ctz(order[i]),
						     l4_name(order[i])));
	}
	return json_incref(*slot);
}

static json_t *ranges_json(struct ports *pt, const struct portset *ps)
{
	json_t *a = json_array();

	for (uint32_t i = 0; i < ps->n; i++)
		jappend(a, range_pair(pt, ps->r[i].lo, ps->r[i].hi));
	return a;
}

/* The registry's answer for one range on one protocol. */
static json_t *service_json(struct ports *pt, const struct portrange *pr,
			    enum reg_proto proto)
{
	struct reg_range sum;
	json_t *names = json_array(), *j = json_object();
	size_t nnames = 0, more = 0;
	uint32_t *recs = pt->recs;
	size_t n;
	int cls = REG_NCLASS;	/* "mixed" */

	registry_range(pt->reg, pr->lo, pr->hi, proto, &sum);
	n = registry_range_records(pt->reg, pr->lo, pr->hi, proto, recs);
	for (size_t i = 0; i < n; i++) {
		const struct reg_record *r = &pt->reg->records[recs[i]];

		if (r->kind != REG_CLASS_ASSIGNED || !r->name)
			continue;
		/* Not json_string_nocheck: a --registry CSV may be Latin-1. */
		if (nnames++ < NAMES_MAX)
			jappend(names, regfmt_jstr(registry_str(pt->reg, r->name)));
		else
			more++;
	}
	for (int c = 0; c < REG_NCLASS; c++)
		if (sum.ports[c] == (size_t)(pr->hi - pr->lo + 1))
			cls = c;
	jset(j, "ports", range_pair(pt, pr->lo, pr->hi));
	jset(j, "protocol", jname(pt, JN_PROTO, REG_NPROTO, proto, reg_proto_name(proto)));
	jset(j, "class", jname(pt, JN_CLASS, REG_NCLASS + 1, (unsigned)cls,
			       cls < REG_NCLASS ? reg_class_name(cls) : "mixed"));
	jset(j, "names", names);
	if (more)
		jset(j, "more_names", json_integer((json_int_t)more));
	if (pr->lo != pr->hi) {
		json_t *counts = json_object();

		jset(counts, "assigned", json_integer((int)sum.ports[REG_CLASS_ASSIGNED]));
		jset(counts, "reserved", json_integer((int)sum.ports[REG_CLASS_RESERVED]));
		jset(counts, "unassigned", json_integer((int)sum.ports[REG_CLASS_UNASSIGNED]));
		jset(counts, "dynamic", json_integer((int)sum.ports[REG_CLASS_DYNAMIC]));
		jset(j, "counts", counts);
	}
	if (sum.unauthorized)
		jset(j, "unauthorized_use_ports", json_integer((json_int_t)sum.unauthorized));
	return j;
}

static json_t *cached_service_json(struct ports *pt, const struct portrange *pr,
				   enum reg_proto proto)
{
	struct cache_slot *s = cache_slot(pt, pr->lo, pr->hi, proto);

	if (!cache_hit(s, pr->lo, pr->hi, proto)) {
		if (s->protos)
			json_decref(s->json);
		s->json = service_json(pt, pr, proto);
		s->key = (uint32_t)pr->lo << 16 | pr->hi;
		s->protos = (uint16_t)(proto | 0x100);
	}
	return json_incref(s->json);
}

static json_t *services_json(struct ports *pt, const struct portset *ps,
			     unsigned protos)
{
	json_t *a = json_array();
	unsigned regp = 0;

	for (unsigned bit = 1; bit <= L4_ANY; bit <<= 1)
		if (protos & bit)
			regp |= l4_to_reg(bit);
	for (uint32_t i = 0; i < ps->n; i++)
		for (int p = 0; p < REG_NPROTO; p++)
			if (regp & (1u << p))
				jappend(a, cached_service_json(pt, &ps->r[i], p));
	return a;
}

static const char *field_name(unsigned f)
{
	return f == FIELD_DPORT ? "dport" : f == FIELD_SPORT ? "sport" : "port";
}

static const char *kind_name(unsigned k)
{
	static const char *const names[] = { "value", "set", "vmap", "map", "concat" };

	return k <= MATCH_CONCAT ? names[k] : "?";
}

static const char *source_name(unsigned s)
{
	return s == SRC_CT ? "ct" : s == SRC_MULTIPORT ? "multiport" : "ipset";
}

/* Service names as written, and what resolved them: "registry" or, for a
 * name only the system's services file knows, "services". */
static void names_json(struct ports *pt, json_t *jm, const struct port_match *m)
{
	json_t *a = NULL;

	for (uint32_t i = 0; i < m->nlits; i++) {
		const struct port_lit *l = &m->lits[i];
		bool reg = l->kind == LIT_SERVICE;
		json_t *jl;

		if (l->kind == LIT_NUMBER || !l->name)
			continue;
		if (!a)
			a = json_array();
		jl = json_object();
		jset(jl, "name", regfmt_jstr(l->name));
		jset(jl, "port", json_integer(l->lo));
		jset(jl, "resolved_by", jname(pt, JN_RESOLVED, 2, reg,
					      reg ? "registry" : "services"));
		jappend(a, jl);
	}
	if (a)
		jset(jm, "service_names", a);
}

static json_t *match_json(struct ports *pt, const struct port_match *m)
{
	json_t *jm = json_object();

	jset(jm, "field", jname(pt, JN_FIELD, 3, m->field, field_name(m->field)));
	jset(jm, "protocols", protos_json(pt, m->protos));
	jset(jm, "negated", json_boolean(m->negated));
	jset(jm, "ports", ranges_json(pt, &m->ports));
	jset(jm, "services", services_json(pt, &m->ports, m->protos));
	jset(jm, "kind", jname(pt, JN_KIND, MATCH_CONCAT + 1, m->kind, kind_name(m->kind)));
	names_json(pt, jm, m);
	if (m->set)
		jset(jm, "set", regfmt_jstr(m->set));
	if (m->source != SRC_PAYLOAD)
		jset(jm, "source", jname(pt, JN_SOURCE, 4, m->source, source_name(m->source)));
	return jm;
}

/*
 * A ruleset's file, table and chain names as JSON, each made once for
 * the run of rules that share it.  Keys are pointers into the ruleset,
 * so this lives no longer than one emit().
 */
struct rule_names {
	const void *file_key, *table_key, *chain_key;
	json_t *file, *table, *chain;
};

static json_t *rule_name(json_t **slot, const void **key, const void *k,
			 const char *s)
{
	if (!*slot || *key != k) {
		json_decref(*slot);
		*slot = regfmt_jstr(s);
		*key = k;
	}
	return json_incref(*slot);
}

static void rule_json(struct ports *pt, const struct ruleset *rs,
		      struct rule_names *nm, const struct table *t,
		      const struct chain *c, const struct rule *r, uint32_t index)
{
	const struct source_file *f = &rs->files[r->loc.file];
	json_t *j = json_object(), *matches = json_array();

	jset(j, "file", rule_name(&nm->file, &nm->file_key, f, f->name));
	jset(j, "line", r->loc.line ? json_integer(r->loc.line) : json_null());
	jset(j, "column", r->loc.line ? json_integer(r->loc.col) : json_null());
	jset(j, "family", jname(pt, JN_FAMILY, 8, t->family, family_name(t->family)));
	jset(j, "table", rule_name(&nm->table, &nm->table_key, t, t->name));
	jset(j, "chain", rule_name(&nm->chain, &nm->chain_key, c, c->name));
	jset(j, "index", json_integer((int)index));
	jset(j, "verdict", jname(pt, JN_VERDICT, 16, r->verdict, verdict_name(r->verdict)));
	for (uint32_t i = 0; i < r->nmatches; i++)
		jappend(matches, match_json(pt, &r->matches[i]));
	jset(j, "matches", matches);
	if (r->target)
		jset(j, "target", regfmt_jstr(r->target));
	if (r->nat)
		jset(j, "nat_ports", ranges_json(pt, &r->nat->ports));
	if (r->snat)
		jset(j, "snat_ports", ranges_json(pt, &r->snat->ports));
	if (r->comment)
		jset(j, "comment", regfmt_jstr(r->comment));
	if (r->handle)
		jset(j, "handle", json_integer((json_int_t)r->handle));
	emit_json(pt, j, "    ");
}

static void rule_names_release(struct rule_names *nm)
{
	json_decref(nm->file);
	json_decref(nm->table);
	json_decref(nm->chain);
}

/* "22 (ssh)", "80-88 (9 ports: 8 assigned, 1 unassigned; http, ...)" */
static void range_text(const struct ports *pt, const struct portrange *pr,
		       unsigned protos)
{
	unsigned regp = 0;
	const char *shown[4];
	size_t nshown = 0;

	for (unsigned bit = 1; bit <= L4_ANY; bit <<= 1)
		if (protos & bit)
			regp |= l4_to_reg(bit);
	diagfmt_putu(&out, pr->lo);
	if (pr->lo != pr->hi) {
		diagfmt_putc(&out, '-');
		diagfmt_putu(&out, pr->hi);
	}
	if (!regp)
		return;
	if (pr->lo == pr->hi) {
		/* The services, and the class where there is none. */
		int cls = -1;
		bool mixed = false;

		for (int p = 0; p < REG_NPROTO; p++) {
			struct reg_answer a;

			if (!(regp & (1u << p)))
				continue;
			registry_query(pt->reg, pr->lo, p, &a);
			if (cls >= 0 && cls != a.cls)
				mixed = true;
			cls = a.cls;
			for (size_t i = 0; i < a.nrecs && nshown < 4; i++) {
				const struct reg_record *r = &pt->reg->records[a.recs[i]];
				const char *nm = registry_str(pt->reg, r->name);
				bool dup = false;

				if (r->kind != REG_CLASS_ASSIGNED || !*nm)
					continue;
				for (size_t k = 0; k < nshown; k++)
					dup |= strcmp(shown[k], nm) == 0;
				if (!dup)
					shown[nshown++] = nm;
			}
		}
		diagfmt_puts(&out, " (");
		for (size_t k = 0; k < nshown; k++)
			{
			diagfmt_puts(&out, k ? ", " : "");
			diagfmt_puts(&out, shown[k]);
		}
		if (!nshown || mixed)
			{
			diagfmt_puts(&out, nshown ? "; " : "");
			diagfmt_puts(&out, mixed ? "class differs by protocol" : reg_class_name(cls));
		}
		diagfmt_putc(&out, ')');
		return;
	}
	{
		static const int order[] = {
			REG_CLASS_ASSIGNED, REG_CLASS_RESERVED, REG_CLASS_UNASSIGNED,
			REG_CLASS_DYNAMIC,
		};
		bool several = __builtin_popcount(regp) > 1, firstp = true;

		/* Per protocol: "(tcp: 8 assigned, 1 unassigned; udp: ...)" */
		diagfmt_puts(&out, " (");
		for (int p = 0; p < REG_NPROTO; p++) {
			struct reg_range sum;
			bool first = true;

			if (!(regp & (1u << p)))
				continue;
			registry_range(pt->reg, pr->lo, pr->hi, p, &sum);
			diagfmt_puts(&out, firstp ? "" : "; ");
			if (several)
				{
				diagfmt_puts(&out, reg_proto_name(p));
				diagfmt_puts(&out, ": ");
			}
			firstp = false;
			for (size_t k = 0; k < sizeof(order) / sizeof(*order); k++) {
				if (!sum.ports[order[k]])
					continue;
				diagfmt_puts(&out, first ? "" : ", ");
				diagfmt_putu(&out, (unsigned)sum.ports[order[k]]);
				diagfmt_putc(&out, ' ');
				diagfmt_puts(&out, reg_class_name(order[k]));
				first = false;
			}
		}
		/* A short range: its services too. */
		if (pr->hi - pr->lo < 16) {
			size_t listed = 0;

			for (int p = 0; p < REG_NPROTO && listed < 4; p++) {
				size_t n;

				if (!(regp & (1u << p)))
					continue;
				n = registry_range_records(pt->reg, pr->lo, pr->hi, p, pt->recs);
				for (size_t i = 0; i < n && listed < 4; i++) {
					const struct reg_record *r = &pt->reg->records[pt->recs[i]];

					if (r->kind != REG_CLASS_ASSIGNED || !r->name)
						continue;
					diagfmt_puts(&out, listed ? ", " : "; ");
					diagfmt_puts(&out, registry_str(pt->reg, r->name));
					listed++;
				}
			}
		}
		diagfmt_putc(&out, ')');
	}
}

static struct text_slot *text_slot(const struct ports *pt, uint32_t key,
				   unsigned protos)
{
	uint64_t h = ((uint64_t)key << 8 | protos) * 0x9e3779b97f4a7c15ull;

	return &pt->tslots[h >> (64 - TEXT_BITS)];
}

/* A range's text, after ", " unless it is the first of its set. */
static void cached_range_text(struct ports *pt, const struct portrange *pr,
			      unsigned protos, bool first)
{
	uint32_t key = (uint32_t)pr->lo << 16 | pr->hi;
	struct text_slot *s = text_slot(pt, key, protos);
	size_t from, flushes, len;

	if (s->protos == (protos | 0x100) && s->key == key) {
		diagfmt_write(&out, pt->text + s->off + 2 * first, s->len - 2u * first);
		return;
	}
	/* Made in the output buffer in one piece, then kept. */
	if (!first)
		diagfmt_write(&out, ", ", 2);
	diagfmt_room(&out, TEXT_MAX);
	from = out.n;
	flushes = out.flushes;
	range_text(pt, pr, protos);
	len = out.n - from + 2;
	if (out.flushes != flushes || len > UINT16_MAX)
		return;		/* longer than foreseen: not kept */
	if (pt->ntext + len > TEXT_BLOCK) {
		/* full: start over rather than keep track of what is old */
		memset(pt->tslots, 0, sizeof(*pt->tslots) << TEXT_BITS);
		pt->ntext = 0;
	}
	memcpy(pt->text + pt->ntext, ", ", 2);
	memcpy(pt->text + pt->ntext + 2, out.buf + from, len - 2);
	s->key = key;
	s->protos = (uint16_t)(protos | 0x100);
	s->len = (uint16_t)len;
	s->off = (uint32_t)pt->ntext;
	pt->ntext += len;
}

static void portset_text(struct ports *pt, const struct portset *ps,
			 unsigned protos)
{
	uint32_t n = ps->n < 8 ? ps->n : 8;

	for (uint32_t i = 0; i < n; i++)
		cached_range_text(pt, &ps->r[i], protos, i == 0);
	if (ps->n > n) {
		diagfmt_puts(&out, ", ... ");
		diagfmt_putu(&out, ps->n - n);
		diagfmt_puts(&out, " more ranges");
	}
	if (!ps->n)
		diagfmt_puts(&out, "(none)");
}

static void protos_text(unsigned protos)
{
	static const unsigned order[] = { L4_TCP, L4_UDP, L4_SCTP, L4_DCCP, L4_UDPLITE, L4_ANY };
	bool first = true;

	for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++) {
		if (protos & order[i]) {
			diagfmt_puts(&out, first ? "" : ",");
			diagfmt_puts(&out, order[i] == L4_ANY ? "th" : l4_name(order[i]));
			first = false;
		}
	}
}

/* What the start of a match's line depends on: its protocols, field,
 * negation and whether it is ct's. */
static unsigned match_key(const struct port_match *m)
{
	unsigned field = m->field <= FIELD_SPORT ? m->field : FIELD_PORT;

	return m->protos | field << 8 | (m->source == SRC_CT) << 10 | m->negated << 11;
}

/* "    tcp dport ", "    tcp,udp ct sport != " */
static void match_start(struct ports *pt, const struct port_match *m)
{
	unsigned key = match_key(m);
	struct match_slot *s = &pt->mslots[(key ^ key >> 6 ^ key >> 9) % MATCH_SLOTS];
	size_t from;

	if (s->key == key + 1) {
		diagfmt_write(&out, s->s, s->len);
		return;
	}
	diagfmt_room(&out, sizeof(s->s));
	from = out.n;
	diagfmt_puts(&out, "    ");
	protos_text(m->protos);
	diagfmt_puts(&out, m->source == SRC_CT ? " ct " : " ");
	diagfmt_puts(&out, field_name(m->field));
	diagfmt_puts(&out, m->negated ? " != " : " ");
	if (out.n - from > sizeof(s->s))
		return;		/* cannot be (45 bytes at most), but safe */
	s->key = (uint16_t)(key + 1);
	s->len = (uint8_t)(out.n - from);
	memcpy(s->s, out.buf + from, s->len);
}

/* The protocols a rule's NAT ports are for: those its matches name. */
static unsigned rule_protos(const struct rule *r)
{
	unsigned protos = 0;

	for (uint32_t i = 0; i < r->nmatches; i++)
		protos |= r->matches[i].protos;
	return protos && !(protos & L4_ANY) ? protos : L4_TCP | L4_UDP;
}

/* "  inet filter input #": what a chain's rules have between the line
 * number and their index. */
static void chain_text(struct ports *pt, const struct table *t, const struct chain *c)
{
	const char *fam = family_name(t->family);
	size_t lf = strlen(fam), lt = strlen(t->name), lc = strlen(c->name);
	size_t n = 2 + lf + 1 + lt + 1 + lc + 2;
	char *p;

	if (n > pt->achain) {
		free(pt->chain);
		pt->achain = n;
		pt->chain = malloc(n);
		if (!pt->chain)
			abort();
	}
	p = pt->chain;
	memcpy(p, "  ", 2);
	memcpy(p += 2, fam, lf);
	*(p += lf) = ' ';
	memcpy(++p, t->name, lt);
	*(p += lt) = ' ';
	memcpy(++p, c->name, lc);
	memcpy(p + lc, " #", 2);
	pt->nchain = n;
}

static void rule_text(struct ports *pt, const struct ruleset *rs,
		      const struct rule *r, uint32_t index)
{
	const struct sized *v = &pt->verdicts[r->verdict <= VERDICT_MAP ? r->verdict :
					      VERDICT_MAP + 1];
	char *p;

	if (pt->file_index != r->loc.file) {
		pt->file_index = r->loc.file;
		pt->file.s = rs->files[r->loc.file].name;
		pt->file.len = strlen(pt->file.s);
	}
	diagfmt_write(&out, pt->file.s, pt->file.len);
	if (r->loc.line) {
		p = diagfmt_room(&out, 1 + DECIMAL_U32_DIGITS);
		*p = ':';
		out.n = (size_t)(decimal_put_u32(p + 1, r->loc.line) - out.buf);
	}
	diagfmt_write(&out, pt->chain, pt->nchain);
	/* verdict names are short (verdict_name()'s, checked in
	 * ports_text_init()) */
	p = decimal_put_u32(diagfmt_room(&out, DECIMAL_U32_DIGITS + 2 + 16), index);
	memcpy(p, "  ", 2);
	memcpy(p + 2, v->s, v->len);
	out.n = (size_t)(p + 2 + v->len - out.buf);
	if (r->target) {
		diagfmt_putc(&out, ' ');
		diagfmt_puts(&out, r->target);
	}
	diagfmt_putc(&out, '\n');
	for (uint32_t i = 0; i < r->nmatches; i++) {
		const struct port_match *m = &r->matches[i];

		match_start(pt, m);
		if (m->set) {
			diagfmt_putc(&out, '@');
			diagfmt_puts(&out, m->set);
			diagfmt_puts(&out, " = ");
		}
		portset_text(pt, &m->ports, m->protos);
		diagfmt_putc(&out, '\n');
	}
	if (r->nat) {
		diagfmt_puts(&out, "    nat to port ");
		portset_text(pt, &r->nat->ports, rule_protos(r));
		diagfmt_putc(&out, '\n');
	}
	if (r->snat) {
		diagfmt_puts(&out, "    snat to port ");
		portset_text(pt, &r->snat->ports, 0);
		diagfmt_putc(&out, '\n');
	}
}

static void emit(struct ports *pt, const struct ruleset *rs)
{
	struct rule_names nm = { 0 };

	for (uint32_t ti = 0; ti < rs->ntables; ti++) {
		const struct table *t = rs->tables[ti];

		for (uint32_t ci = 0; ci < t->nchains; ci++) {
			const struct chain *c = t->chains[ci];

			if (!pt->json)
				chain_text(pt, t, c);
			for (uint32_t ri = 0; ri < c->nrules; ri++) {
				const struct rule *r = c->rules[ri];

				if (!r->nmatches && !r->nat && !r->snat)
					continue;
				if (pt->json)
					rule_json(pt, rs, &nm, t, c, r, ri);
				else
					rule_text(pt, rs, r, ri);
			}
		}
	}
	rule_names_release(&nm);
	pt->file_index = UINT32_MAX;	/* its name is RS's */
}

/* What the text output keeps from rule to rule. */
static void ports_text_init(struct ports *pt)
{
	pt->tslots = calloc(1u << TEXT_BITS, sizeof(*pt->tslots));
	pt->text = malloc(TEXT_BLOCK);
	pt->mslots = calloc(MATCH_SLOTS, sizeof(*pt->mslots));
	if (!pt->tslots || !pt->text || !pt->mslots)
		abort();
	for (unsigned v = 0; v <= VERDICT_MAP + 1; v++) {
		pt->verdicts[v].s = verdict_name((enum verdict)v);
		pt->verdicts[v].len = strlen(pt->verdicts[v].s);
		if (pt->verdicts[v].len > 16)
			abort();	/* rule_text() makes room for 16 */
	}
	pt->file_index = UINT32_MAX;
}

static void diags_json(struct ports *pt, const struct ruleset *rs)
{
	static const char *const levels[] = { "note", "warning", "error" };

	for (const struct diag *d = rs->diags; d; d = d->next)
		json_array_append_new(pt->diags, json_pack("{s:o, s:o, s:o, s:s, s:o}",
			"file", regfmt_jstr(rs->files[d->loc.file].name),
			"line", d->loc.line ? json_integer(d->loc.line) : json_null(),
			"column", d->loc.line ? json_integer(d->loc.col) : json_null(),
			"level", levels[d->level],
			"message", regfmt_jstr(d->msg)));
}

static void read_one(struct ports *pt, const char *file)
{
	struct ruleset *rs;
	char *text;
	size_t len;
	int r = input_slurp(file, &text, &len);

	if (r < 0) {
		cli_error("ports", "%s: %s", file, strerror(-r));
		pt->status = EXIT_USAGE;
		return;
	}
	rs = ruleset_new();
	input_read(rs, strcmp(file, "-") == 0 ? "<stdin>" : file, text, len,
		   pt->args.format, pt->reg, &pt->args.in);
	if (pt->json) {
		diags_json(pt, rs);
	} else {
		diagfmt_flush(&out);
		fflush(stdout);
		diagfmt_print(stderr, rs);
	}
	if (rs->nerrors)
		pt->status = EXIT_USAGE;
	emit(pt, rs);
	diagfmt_flush(&out);
	diagfmt_forget();	/* its line index points into RS */
	ruleset_free(rs);
}

/* The ipset file: read once, its problems shown like an input's. */
static bool read_ipsets(struct ports *pt, const char *file)
{
	const struct ruleset *rs;

	pt->ipsets = inputs_ipsets("ports", file, pt->reg);
	if (!pt->ipsets)
		return false;
	pt->args.in.ipt.ipsets = pt->ipsets;
	rs = ipset_db_diags(pt->ipsets);
	if (pt->json)
		diags_json(pt, rs);
	else
		diagfmt_print(stderr, rs);
	if (rs->nerrors)
		pt->status = EXIT_USAGE;
	return true;
}

static void read_input(void *arg, const char *file)
{
	read_one(arg, file);
}

static int cmd_ports(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "registry", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		INPUTS_LONG_OPTIONS,
		{ 0 },
	};
	struct ports pt = { .status = EXIT_OK };
	int c, taken;

	inputs_args_init(&pt.args);
	out.f = stdout;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:i:I:h", opts, NULL)) != -1) {
		taken = inputs_option(&pt.args, &cmd_ports_def, c, optarg);
		if (taken < 0)
			return EXIT_USAGE;
		if (taken)
			continue;
		switch (c) {
		case 'f':
			if (!cli_parse_format(optarg, &pt.json))
				return cli_usage_error(&cmd_ports_def,
						       "unknown format '%s': use text or json", optarg);
			break;
		case 'R':
			cli->registry_file = optarg;
			break;
		case 'h':
			cli_help(&cmd_ports_def, stdout);
			return EXIT_OK;
		default:
			fprintf(stderr, "(see 'portolan ports --help')\n");
			return EXIT_USAGE;
		}
	}
	pt.reg = cli_registry(cli);
	if (!pt.reg)
		return EXIT_USAGE;
	pt.recs = malloc((pt.reg->nrecords + 1) * sizeof(*pt.recs));
	if (!pt.recs)
		abort();
	pt.diags = json_array();
	if (pt.args.ipset_file && !read_ipsets(&pt, pt.args.ipset_file))
		return EXIT_USAGE;
	if (pt.json) {
		pt.cache = calloc(CACHE_SLOTS, sizeof(*pt.cache));
		pt.pairs = calloc(1u << PAIR_BITS, sizeof(*pt.pairs));
		if (!pt.cache || !pt.pairs)
			abort();
	} else {
		ports_text_init(&pt);
	}
	if (pt.json) {
		diagfmt_puts(&out, "{\n  \"registry\": {\"updated\": ");
		if (pt.reg->updated) {
			/* a --registry file says what it likes here */
			json_t *d = regfmt_jstr(registry_str(pt.reg, pt.reg->updated));

			if (json_dump_callback(d, diagfmt_dump_to, &out, JSON_ENCODE_ANY))
				abort();	/* out of memory */
			json_decref(d);
		} else {
			diagfmt_puts(&out, "null");
		}
		diagfmt_puts(&out, "},\n  \"rules\": [\n");
	}
	if (optind == argc)
		pt.status |= inputs_walk("ports", "-", read_input, &pt);
	for (int i = optind; i < argc; i++)
		pt.status |= inputs_walk("ports", argv[i], read_input, &pt);
	if (pt.json) {
		size_t k;
		json_t *d;

		diagfmt_puts(&out, pt.nemitted ? "\n  ],\n  \"diagnostics\": [\n" : "  ],\n  \"diagnostics\": [\n");
		pt.nemitted = 0;
		json_array_foreach(pt.diags, k, d)
			emit_json(&pt, json_incref(d), "    ");
		diagfmt_puts(&out, pt.nemitted ? "\n  ]\n}\n" : "  ]\n}\n");
		diagfmt_flush(&out);
	}
	json_decref(pt.diags);
	cache_free(&pt);
	ipset_db_free(pt.ipsets);
	free(pt.recs);
	return pt.status;
}

const struct cmd cmd_ports_def = {
	.name = "ports",
	.fn = cmd_ports,
	.summary = "every port match in nftables rulesets, with the registry's answer",
	.usage = usage,
};
