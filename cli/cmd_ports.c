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

#define MAX_INCLUDE_DIRS 64
#define NAMES_MAX 16	/* service names listed per range */
/*
 * Rulesets name the same ports again and again: the registry's answer for
 * a range is made once and kept in a direct-mapped cache (a slot is
 * overwritten when another range hashes to it, so memory stays bounded).
 */
#define CACHE_SLOTS 8192
#define TEXT_MAX 2048	/* longest text a range_text() writes */

struct cache_slot {
	uint32_t key;		/* lo << 16 | hi */
	uint16_t protos;	/* what it is for, | 0x100; 0: empty slot */
	uint16_t len;
	union {
		char *text;	/* text: range_text() output (malloc'd) */
		json_t *json;	/* json: service_json() of one protocol */
	} u;
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
	enum input_format format;
	struct input_options in;
	struct ipset_db *ipsets;
	json_t *diags;
	int status;
	struct cache_slot *cache;	/* CACHE_SLOTS */
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
	for (size_t i = 0; pt->cache && i < CACHE_SLOTS; i++) {
		if (!pt->cache[i].protos)
			continue;
		if (pt->json)
			json_decref(pt->cache[i].u.json);
		else
			free(pt->cache[i].u.text);
	}
	free(pt->cache);
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

/* Text output through one buffer: printf would dominate large rulesets. */
static char obuf[1 << 16];
static size_t olen;
static size_t oflushes;

static void oflush(void)
{
	oflushes++;
	fwrite(obuf, 1, olen, stdout);
	olen = 0;
}

static void outn(const char *s, size_t n)
{
	if (olen + n > sizeof(obuf)) {
		oflush();
		if (n > sizeof(obuf)) {
			fwrite(s, 1, n, stdout);
			return;
		}
	}
	memcpy(obuf + olen, s, n);
	olen += n;
}

static void outs(const char *s)
{
	outn(s, strlen(s));
}

static void outc(char c)
{
	if (olen == sizeof(obuf))
		oflush();
	obuf[olen++] = c;
}

static void outu(unsigned v)
{
	char b[12];
	size_t i = sizeof(b);

	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	outn(b + i, sizeof(b) - i);
}

/*
 * JSON is written as it is made, one rule per line, so that a large
 * ruleset never has its whole report in memory.
 */
static void emit_json(struct ports *pt, json_t *j, const char *indent)
{
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

	json_decref(j);
	if (!text) {
		pt->status = EXIT_USAGE;
		return;
	}
	if (pt->nemitted++)
		outs(",\n");
	outs(indent);
	outs(text);
	free(text);
}

static json_t *protos_json(unsigned protos)
{
	json_t *a = json_array();
	static const unsigned order[] = { L4_ANY, L4_DCCP, L4_SCTP, L4_TCP, L4_UDP, L4_UDPLITE };

	/* sorted by name: any, dccp, sctp, tcp, udp, udplite */
	for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++)
		if (protos & order[i])
			json_array_append_new(a, json_string(l4_name(order[i])));
	return a;
}

static json_t *ranges_json(const struct portset *ps)
{
	json_t *a = json_array();

	for (uint32_t i = 0; i < ps->n; i++)
		json_array_append_new(a, json_pack("[i, i]", ps->r[i].lo, ps->r[i].hi));
	return a;
}

/* The registry's answer for one range on one protocol. */
static json_t *service_json(const struct ports *pt, const struct portrange *pr,
			    enum reg_proto proto)
{
	struct reg_range sum;
	json_t *names = json_array(), *j;
	size_t nnames = 0, more = 0;
	uint32_t *recs = pt->recs;
	size_t n;
	int single_cls = -1;

	registry_range(pt->reg, pr->lo, pr->hi, proto, &sum);
	n = registry_range_records(pt->reg, pr->lo, pr->hi, proto, recs);
	for (size_t i = 0; i < n; i++) {
		const struct reg_record *r = &pt->reg->records[recs[i]];

		if (r->kind != REG_CLASS_ASSIGNED || !r->name)
			continue;
		if (nnames++ < NAMES_MAX)
			json_array_append_new(names, regfmt_jstr(registry_str(pt->reg, r->name)));
		else
			more++;
	}
	for (int c = 0; c < REG_NCLASS; c++)
		if (sum.ports[c] == (size_t)(pr->hi - pr->lo + 1))
			single_cls = c;
	j = json_pack("{s:[i, i], s:s, s:o, s:o}",
		      "ports", pr->lo, pr->hi, "protocol", reg_proto_name(proto),
		      "class", single_cls >= 0 ? json_string(reg_class_name(single_cls)) :
						 json_string("mixed"),
		      "names", names);
	if (more)
		json_object_set_new(j, "more_names", json_integer((json_int_t)more));
	if (pr->lo != pr->hi)
		json_object_set_new(j, "counts", json_pack("{s:i, s:i, s:i, s:i}",
			"assigned", (int)sum.ports[REG_CLASS_ASSIGNED],
			"reserved", (int)sum.ports[REG_CLASS_RESERVED],
			"unassigned", (int)sum.ports[REG_CLASS_UNASSIGNED],
			"dynamic", (int)sum.ports[REG_CLASS_DYNAMIC]));
	if (sum.unauthorized)
		json_object_set_new(j, "unauthorized_use_ports",
				    json_integer((json_int_t)sum.unauthorized));
	return j;
}

static json_t *cached_service_json(const struct ports *pt,
				   const struct portrange *pr, enum reg_proto proto)
{
	struct cache_slot *s = cache_slot(pt, pr->lo, pr->hi, proto);

	if (!cache_hit(s, pr->lo, pr->hi, proto)) {
		if (s->protos)
			json_decref(s->u.json);
		s->u.json = service_json(pt, pr, proto);
		s->key = (uint32_t)pr->lo << 16 | pr->hi;
		s->protos = (uint16_t)(proto | 0x100);
	}
	return json_incref(s->u.json);
}

static json_t *services_json(const struct ports *pt, const struct portset *ps,
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
				json_array_append_new(a, cached_service_json(pt, &ps->r[i], p));
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

/* Service names as written, and what resolved them: "registry" or, for a
 * name only the system's services file knows, "services". */
static void names_json(json_t *jm, const struct port_match *m)
{
	json_t *a = NULL;

	for (uint32_t i = 0; i < m->nlits; i++) {
		const struct port_lit *l = &m->lits[i];

		if (l->kind == LIT_NUMBER || !l->name)
			continue;
		if (!a)
			a = json_array();
		json_array_append_new(a, json_pack("{s:o, s:i, s:s}",
			"name", regfmt_jstr(l->name), "port", l->lo,
			"resolved_by", l->kind == LIT_SERVICE ? "registry" : "services"));
	}
	if (a)
		json_object_set_new(jm, "service_names", a);
}

static void rule_json(struct ports *pt, const struct ruleset *rs,
		      const struct table *t, const struct chain *c,
		      const struct rule *r, uint32_t index)
{
	json_t *matches = json_array(), *j;
	const struct source_file *f = &rs->files[r->loc.file];

	for (uint32_t i = 0; i < r->nmatches; i++) {
		const struct port_match *m = &r->matches[i];
		json_t *jm = json_pack("{s:s, s:o, s:b, s:o, s:o}",
			"field", field_name(m->field),
			"protocols", protos_json(m->protos),
			"negated", m->negated,
			"ports", ranges_json(&m->ports),
			"services", services_json(pt, &m->ports, m->protos));

		json_object_set_new(jm, "kind", json_string(kind_name(m->kind)));
		names_json(jm, m);
		if (m->set)
			json_object_set_new(jm, "set", regfmt_jstr(m->set));
		if (m->source != SRC_PAYLOAD)
			json_object_set_new(jm, "source", json_string(
				m->source == SRC_CT ? "ct" :
				m->source == SRC_MULTIPORT ? "multiport" : "ipset"));
		json_array_append_new(matches, jm);
	}
	j = json_pack("{s:o, s:o, s:o, s:s, s:o, s:o, s:i, s:s, s:o}",
		      "file", regfmt_jstr(f->name),
		      "line", r->loc.line ? json_integer(r->loc.line) : json_null(),
		      "column", r->loc.line ? json_integer(r->loc.col) : json_null(),
		      "family", family_name(t->family),
		      "table", regfmt_jstr(t->name),
		      "chain", regfmt_jstr(c->name),
		      "index", (int)index,
		      "verdict", verdict_name(r->verdict),
		      "matches", matches);
	if (r->target)
		json_object_set_new(j, "target", regfmt_jstr(r->target));
	if (r->nat)
		json_object_set_new(j, "nat_ports", ranges_json(&r->nat->ports));
	if (r->snat)
		json_object_set_new(j, "snat_ports", ranges_json(&r->snat->ports));
	if (r->comment)
		json_object_set_new(j, "comment", regfmt_jstr(r->comment));
	if (r->handle)
		json_object_set_new(j, "handle", json_integer((json_int_t)r->handle));
	emit_json(pt, j, "    ");
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
	outu(pr->lo);
	if (pr->lo != pr->hi) {
		outc('-');
		outu(pr->hi);
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
		outs(" (");
		for (size_t k = 0; k < nshown; k++)
			{
			outs(k ? ", " : "");
			outs(shown[k]);
		}
		if (!nshown || mixed)
			{
			outs(nshown ? "; " : "");
			outs(mixed ? "class differs by protocol" : reg_class_name(cls));
		}
		outc(')');
		return;
	}
	{
		static const int order[] = {
			REG_CLASS_ASSIGNED, REG_CLASS_RESERVED, REG_CLASS_UNASSIGNED,
			REG_CLASS_DYNAMIC,
		};
		bool several = __builtin_popcount(regp) > 1, firstp = true;

		/* Per protocol: "(tcp: 8 assigned, 1 unassigned; udp: ...)" */
		outs(" (");
		for (int p = 0; p < REG_NPROTO; p++) {
			struct reg_range sum;
			bool first = true;

			if (!(regp & (1u << p)))
				continue;
			registry_range(pt->reg, pr->lo, pr->hi, p, &sum);
			outs(firstp ? "" : "; ");
			if (several)
				{
				outs(reg_proto_name(p));
				outs(": ");
			}
			firstp = false;
			for (size_t k = 0; k < sizeof(order) / sizeof(*order); k++) {
				if (!sum.ports[order[k]])
					continue;
				outs(first ? "" : ", ");
				outu((unsigned)sum.ports[order[k]]);
				outc(' ');
				outs(reg_class_name(order[k]));
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
					outs(listed ? ", " : "; ");
					outs(registry_str(pt->reg, r->name));
					listed++;
				}
			}
		}
		outc(')');
	}
}

static void cached_range_text(const struct ports *pt, const struct portrange *pr,
			      unsigned protos)
{
	struct cache_slot *s = cache_slot(pt, pr->lo, pr->hi, protos);
	size_t from, flushes;

	if (cache_hit(s, pr->lo, pr->hi, protos)) {
		outn(s->u.text, s->len);
		return;
	}
	/* Made in the output buffer in one piece, then kept. */
	if (olen + TEXT_MAX > sizeof(obuf))
		oflush();
	from = olen;
	flushes = oflushes;
	range_text(pt, pr, protos);
	if (oflushes != flushes || olen - from > UINT16_MAX)
		return;		/* longer than foreseen: not kept */
	free(s->protos ? s->u.text : NULL);
	s->len = (uint16_t)(olen - from);
	s->u.text = malloc(s->len ? s->len : 1);
	if (!s->u.text)
		abort();
	memcpy(s->u.text, obuf + from, s->len);
	s->key = (uint32_t)pr->lo << 16 | pr->hi;
	s->protos = (uint16_t)(protos | 0x100);
}

static void portset_text(const struct ports *pt, const struct portset *ps,
			 unsigned protos)
{
	for (uint32_t i = 0; i < ps->n; i++) {
		if (i)
			outs(", ");
		if (i == 8) {
			outs("... ");
			outu(ps->n - i);
			outs(" more ranges");
			break;
		}
		cached_range_text(pt, &ps->r[i], protos);
	}
	if (!ps->n)
		outs("(none)");
}

static void protos_text(unsigned protos)
{
	static const unsigned order[] = { L4_TCP, L4_UDP, L4_SCTP, L4_DCCP, L4_UDPLITE, L4_ANY };
	bool first = true;

	for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++) {
		if (protos & order[i]) {
			outs(first ? "" : ",");
			outs(order[i] == L4_ANY ? "th" : l4_name(order[i]));
			first = false;
		}
	}
}

/* The protocols a rule's NAT ports are for: those its matches name. */
static unsigned rule_protos(const struct rule *r)
{
	unsigned protos = 0;

	for (uint32_t i = 0; i < r->nmatches; i++)
		protos |= r->matches[i].protos;
	return protos && !(protos & L4_ANY) ? protos : L4_TCP | L4_UDP;
}

static void rule_text(const struct ports *pt, const struct ruleset *rs,
		      const struct table *t, const struct chain *c,
		      const struct rule *r, uint32_t index)
{
	const struct source_file *f = &rs->files[r->loc.file];

	outs(f->name);
	if (r->loc.line) {
		outc(':');
		outu(r->loc.line);
	}
	outs("  ");
	outs(family_name(t->family));
	outc(' ');
	outs(t->name);
	outc(' ');
	outs(c->name);
	outs(" #");
	outu(index);
	outs("  ");
	outs(verdict_name(r->verdict));
	if (r->target) {
		outc(' ');
		outs(r->target);
	}
	outc('\n');
	for (uint32_t i = 0; i < r->nmatches; i++) {
		const struct port_match *m = &r->matches[i];

		outs("    ");
		protos_text(m->protos);
		outs(m->source == SRC_CT ? " ct " : " ");
		outs(field_name(m->field));
		outs(m->negated ? " != " : " ");
		if (m->set) {
			outc('@');
			outs(m->set);
			outs(" = ");
		}
		portset_text(pt, &m->ports, m->protos);
		outc('\n');
	}
	if (r->nat) {
		outs("    nat to port ");
		portset_text(pt, &r->nat->ports, rule_protos(r));
		outc('\n');
	}
	if (r->snat) {
		outs("    snat to port ");
		portset_text(pt, &r->snat->ports, 0);
		outc('\n');
	}
}

static void emit(struct ports *pt, const struct ruleset *rs)
{
	for (uint32_t ti = 0; ti < rs->ntables; ti++) {
		const struct table *t = rs->tables[ti];

		for (uint32_t ci = 0; ci < t->nchains; ci++) {
			const struct chain *c = t->chains[ci];

			for (uint32_t ri = 0; ri < c->nrules; ri++) {
				const struct rule *r = c->rules[ri];

				if (!r->nmatches && !r->nat && !r->snat)
					continue;
				if (pt->json)
					rule_json(pt, rs, t, c, r, ri);
				else
					rule_text(pt, rs, t, c, r, ri);
			}
		}
	}
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
		   pt->format, pt->reg, &pt->in);
	if (pt->json) {
		diags_json(pt, rs);
	} else {
		oflush();
		fflush(stdout);
		diagfmt_print(stderr, rs);
	}
	if (rs->nerrors)
		pt->status = EXIT_USAGE;
	emit(pt, rs);
	oflush();
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
	pt->in.ipt.ipsets = pt->ipsets;
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
		{ "input-format", required_argument, NULL, 'i' },
		{ "include", required_argument, NULL, 'I' },
		{ "registry", required_argument, NULL, 'R' },
		{ "family", required_argument, NULL, 'F' },
		{ "ipset", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *dirs[MAX_INCLUDE_DIRS + 1] = { 0 };
	size_t ndirs = 0;
	struct ports pt = { .status = EXIT_OK, .in.ipt.family = -1 };
	const char *ipset_file = NULL;
	int c, f;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:i:I:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!cli_parse_format(optarg, &pt.json))
				return cli_usage_error(&cmd_ports_def,
						       "unknown format '%s': use text or json", optarg);
			break;
		case 'i':
			f = input_format_from_name(optarg);
			if (f < 0)
				return cli_usage_error(&cmd_ports_def,
						       "unknown input format '%s': use auto, nft or nft-json",
						       optarg);
			pt.format = (enum input_format)f;
			break;
		case 'I':
			if (ndirs == MAX_INCLUDE_DIRS)
				return cli_usage_error(&cmd_ports_def, "too many -I directories");
			dirs[ndirs++] = optarg;
			break;
		case 'R':
			cli->registry_file = optarg;
			break;
		case 'F':
			pt.in.ipt.family = inputs_family(optarg);
			if (pt.in.ipt.family < 0)
				return cli_usage_error(&cmd_ports_def,
						       "unknown family '%s': use ip or ip6", optarg);
			break;
		case 'S':
			ipset_file = optarg;
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
	pt.in.nft.include_dirs = dirs;
	pt.diags = json_array();
	if (ipset_file && !read_ipsets(&pt, ipset_file))
		return EXIT_USAGE;
	pt.cache = calloc(CACHE_SLOTS, sizeof(*pt.cache));
	if (!pt.cache)
		abort();
	if (pt.json) {
		outs("{\n  \"registry\": {\"updated\": ");
		if (pt.reg->updated) {
			outc('"');
			outs(registry_str(pt.reg, pt.reg->updated));
			outc('"');
		} else {
			outs("null");
		}
		outs("},\n  \"rules\": [\n");
	}
	if (optind == argc)
		pt.status |= inputs_walk("ports", "-", read_input, &pt);
	for (int i = optind; i < argc; i++)
		pt.status |= inputs_walk("ports", argv[i], read_input, &pt);
	if (pt.json) {
		size_t k;
		json_t *d;

		outs(pt.nemitted ? "\n  ],\n  \"diagnostics\": [\n" : "  ],\n  \"diagnostics\": [\n");
		pt.nemitted = 0;
		json_array_foreach(pt.diags, k, d)
			emit_json(&pt, json_incref(d), "    ");
		outs(pt.nemitted ? "\n  ]\n}\n" : "  ]\n}\n");
		oflush();
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
