/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jumps.h"
#include "ruleset.h"

/* Most arrays here hold a single item: start with room for one. */
#define GROW(rs, arr, n, a) do {					\
	if ((n) == (a)) {						\
		uint32_t na_ = (a) ? (a) * 2 : 1;			\
		(arr) = arena_grow(&(rs)->arena, (arr),			\
				   (size_t)(a) * sizeof(*(arr)),	\
				   (size_t)na_ * sizeof(*(arr)));	\
		(a) = na_;						\
	}								\
} while (0)

struct ruleset *ruleset_new(void)
{
	struct ruleset *rs = calloc(1, sizeof(*rs));

	if (!rs)
		oom();
	arena_init(&rs->arena);
	rs->diag_tail = &rs->diags;
	/* files[0]: "no source", so that a zeroed loc points nowhere. */
	ruleset_add_file(rs, "", NULL, 0);
	return rs;
}

void ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	for (uint32_t i = 0; i < rs->nfiles; i++)
		free((char *)rs->files[i].text);
	free(rs->files);
	arena_release(&rs->arena);
	free(rs);
}

uint32_t ruleset_add_file(struct ruleset *rs, const char *name, char *text,
			  size_t len)
{
	if (rs->nfiles == rs->afiles) {
		uint32_t na = rs->afiles ? rs->afiles * 2 : 8;
		struct source_file *f = realloc(rs->files, na * sizeof(*f));

		if (!f)
			oom();
		rs->files = f;
		rs->afiles = na;
	}
	rs->files[rs->nfiles] = (struct source_file){
		.name = arena_strdup(&rs->arena, name), .text = text, .len = len,
	};
	return rs->nfiles++;
}

void ruleset_diag(struct ruleset *rs, enum diag_level level,
		  const struct loc *loc, const char *fmt, ...)
{
	struct diag *d = arena_alloc(&rs->arena, sizeof(*d));
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = arena_vprintf(&rs->arena, fmt, ap);
	va_end(ap);
	d->level = (uint8_t)level;
	if (loc)
		d->loc = *loc;
	d->msg = msg;
	*rs->diag_tail = d;
	rs->diag_tail = &d->next;
	if (level == DIAG_ERROR)
		rs->nerrors++;
	else if (level == DIAG_WARNING)
		rs->nwarnings++;
}

struct diag *ruleset_last_diag(struct ruleset *rs)
{
	if (rs->diag_tail == &rs->diags)
		return NULL;
	return (struct diag *)(void *)((char *)rs->diag_tail - offsetof(struct diag, next));
}

void ruleset_drop_diag(struct ruleset *rs, struct diag *d)
{
	for (struct diag **p = &rs->diags; *p; p = &(*p)->next) {
		if (*p != d)
			continue;
		*p = d->next;
		if (rs->diag_tail == &d->next)
			rs->diag_tail = p;
		if (d->level == DIAG_ERROR)
			rs->nerrors--;
		else if (d->level == DIAG_WARNING)
			rs->nwarnings--;
		return;
	}
}

struct table *ruleset_table(struct ruleset *rs, enum family family,
			    const char *name, bool create)
{
	struct table *t;

	for (uint32_t i = 0; i < rs->ntables; i++)
		if (rs->tables[i]->family == family &&
		    strcmp(rs->tables[i]->name, name) == 0)
			return rs->tables[i];
	if (!create)
		return NULL;
	t = arena_alloc(&rs->arena, sizeof(*t));
	t->family = (uint8_t)family;
	t->name = arena_strdup(&rs->arena, name);
	GROW(rs, rs->tables, rs->ntables, rs->atables);
	rs->tables[rs->ntables++] = t;
	return t;
}

/* The index of a table's chains, and of its sets (nameidx.h). */
static void *chain_at(const void *items, uint32_t i)
{
	return ((struct chain *const *)items)[i];
}

static const char *chain_name(const void *item)
{
	return ((const struct chain *)item)->name;
}

static const struct name_kind chain_kind = { chain_at, chain_name };

static void *set_at(const void *items, uint32_t i)
{
	return ((struct set *const *)items)[i];
}

static const char *set_name(const void *item)
{
	return ((const struct set *)item)->name;
}

static const struct name_kind set_kind = { set_at, set_name };

struct chain *table_chain(struct ruleset *rs, struct table *t,
			  const char *name, bool create)
{
	size_t len = strlen(name);
	uint32_t h = nameidx_hash(&t->chain_index, name, len);
	struct chain *c = nameidx_find(&t->chain_index, &chain_kind, t->chains,
				       t->nchains, name, len, h);

	if (c || !create)
		return c;
	/* the name right after the chain: a lookup reads one place, not two */
	c = arena_alloc(&rs->arena, sizeof(*c) + len + 1);
	c->table = t;
	c->name = memcpy(c + 1, name, len + 1);
	GROW(rs, t->chains, t->nchains, t->achains);
	c->index = t->nchains;
	t->chains[t->nchains++] = c;
	nameidx_add(&rs->arena, &t->chain_index, &chain_kind, t->chains,
		    t->nchains, h);
	return c;
}

const struct chain *table_find_chain(const struct table *t, const char *name)
{
	size_t len = strlen(name);

	return nameidx_find(&t->chain_index, &chain_kind, t->chains, t->nchains,
			    name, len, nameidx_hash(&t->chain_index, name, len));
}

const struct set *table_find_set(const struct table *t, const char *name)
{
	size_t len = strlen(name);

	return nameidx_find(&t->set_index, &set_kind, t->sets, t->nsets, name,
			    len, nameidx_hash(&t->set_index, name, len));
}

void table_rename_chain(struct ruleset *rs, struct table *t, struct chain *c,
			const char *name)
{
	c->name = arena_strdup(&rs->arena, name);
	nameidx_rebuild(&t->chain_index, &chain_kind, t->chains, t->nchains);
}

struct set *table_set(struct ruleset *rs, struct table *t, const char *name,
		      bool create)
{
	size_t len = strlen(name);
	uint32_t h = nameidx_hash(&t->set_index, name, len);
	struct set *s = nameidx_find(&t->set_index, &set_kind, t->sets, t->nsets,
				     name, len, h);

	if (s || !create)
		return s;
	/* as a chain's, the name right after the set */
	s = arena_alloc(&rs->arena, sizeof(*s) + len + 1);
	s->table = t;
	s->name = memcpy(s + 1, name, len + 1);
	s->port_field = -1;
	s->proto_field = -1;
	s->data_port_field = -1;
	GROW(rs, t->sets, t->nsets, t->asets);
	t->sets[t->nsets++] = s;
	nameidx_add(&rs->arena, &t->set_index, &set_kind, t->sets, t->nsets, h);
	return s;
}

#define REMOVE(arr, n, item) do {					\
	for (uint32_t i_ = 0; i_ < (n); i_++) {				\
		if ((arr)[i_] == (item)) {				\
			memmove(&(arr)[i_], &(arr)[i_ + 1],		\
				((n) - i_ - 1) * sizeof(*(arr)));	\
			(n)--;						\
			break;						\
		}							\
	}								\
} while (0)

void ruleset_delete_table(struct ruleset *rs, struct table *t)
{
	REMOVE(rs->tables, rs->ntables, t);
}

void table_delete_chain(struct table *t, struct chain *c)
{
	REMOVE(t->chains, t->nchains, c);
	for (uint32_t i = c->index; i < t->nchains; i++)
		t->chains[i]->index = i;
	nameidx_rebuild(&t->chain_index, &chain_kind, t->chains, t->nchains);
}

void table_delete_set(struct table *t, struct set *s)
{
	REMOVE(t->sets, t->nsets, s);
	nameidx_rebuild(&t->set_index, &set_kind, t->sets, t->nsets);
}

struct rule *chain_add_rule(struct ruleset *rs, struct chain *c, long pos)
{
	struct rule *r = arena_alloc(&rs->arena, sizeof(*r));

	r->chain = c;
	r->seq = rs->nread++;
	GROW(rs, c->rules, c->nrules, c->arules);
	if (pos < 0 || (unsigned long)pos >= c->nrules) {
		c->rules[c->nrules++] = r;
	} else {
		memmove(&c->rules[pos + 1], &c->rules[pos],
			(c->nrules - (size_t)pos) * sizeof(*c->rules));
		c->rules[pos] = r;
		c->nrules++;
	}
	return r;
}

void chain_flush(struct chain *c)
{
	c->nrules = 0;
}

struct port_match *rule_add_match(struct ruleset *rs, struct rule *r)
{
	struct port_match *m;

	GROW(rs, r->matches, r->nmatches, r->amatches);
	m = &r->matches[r->nmatches++];
	memset(m, 0, sizeof(*m));
	return m;
}

void rule_ct_protos(struct rule *r, unsigned ct_l4)
{
	ct_l4 &= L4_PORTS;
	r->ct_l4 = (uint8_t)ct_l4;
	if (!ct_l4)
		return;
	for (uint32_t k = 0; k < r->nmatches; k++) {
		struct port_match *m = &r->matches[k];

		if (m->source != SRC_CT || m->proto_comp)
			continue;
		/* a protocol the packet and the connection both have, else
		 * the connection's: the rule then matches nothing anyway */
		m->protos = (uint8_t)(m->protos & ct_l4 ? m->protos & ct_l4 : ct_l4);
	}
}

static bool lit_whole(const struct port_lit *l)
{
	return l->lo == 0 && l->hi == 65535;
}

/* Whether every port of the "other side is whole" elements of A is one of
 * B's, with B's lits paired with A's the other way round. */
static bool either_side_covered(const struct port_match *a, const struct port_match *b)
{
	for (uint32_t i = 0; i < a->nlits; i++) {
		bool found = false;

		if (!lit_whole(&b->lits[i]))
			continue;
		for (uint32_t k = 0; k < b->nlits && !found; k++)
			found = lit_whole(&a->lits[k]) && b->lits[k].lo == a->lits[i].lo &&
				b->lits[k].hi == a->lits[i].hi;
		if (!found)
			return false;
	}
	return true;
}

static bool is_either_pair(const struct port_match *s, const struct port_match *d)
{
	if (s->field != FIELD_SPORT || d->field != FIELD_DPORT ||
	    s->kind != MATCH_CONCAT || d->kind != MATCH_CONCAT || s->set || d->set ||
	    s->protos != d->protos || s->negated != d->negated ||
	    s->source != d->source || s->proto_comp || d->proto_comp ||
	    s->nlits != d->nlits || !s->nlits || d->ports.a < d->nlits)
		return false;
	for (uint32_t i = 0; i < s->nlits; i++)
		if (lit_whole(&s->lits[i]) == lit_whole(&d->lits[i]))
			return false;	/* both sides whole, or neither */
	return either_side_covered(s, d) && either_side_covered(d, s);
}

void rule_either_ports(struct rule *r)
{
	for (uint32_t k = 0; k + 1 < r->nmatches; k++) {
		struct port_match *s = &r->matches[k], *d = &r->matches[k + 1];
		uint32_t n = 0;

		if (!is_either_pair(s, d))
			continue;
		/* the dport side's lits: each port once, where it was written */
		for (uint32_t i = 0; i < d->nlits; i++)
			if (lit_whole(&s->lits[i]))
				d->lits[n++] = d->lits[i];
		d->nlits = n;
		d->field = FIELD_PORT;
		d->kind = MATCH_VALUE;
		d->set_comp = 0;
		d->loc = s->loc;
		d->ports.n = 0;
		for (uint32_t i = 0; i < n; i++) {
			/* room: ports.a >= nlits */
			d->ports.r[d->ports.n].lo = d->lits[i].lo;
			d->ports.r[d->ports.n++].hi = d->lits[i].hi;
		}
		portset_normalize(&d->ports);
		memmove(s, d, (r->nmatches - k - 1) * sizeof(*s));
		r->nmatches--;
	}
}

uint32_t rule_split_protos(struct ruleset *rs, struct rule *r, uint32_t mi)
{
	static const uint8_t order[] = {
		L4_TCP, L4_UDP, L4_SCTP, L4_DCCP, L4_UDPLITE, 0,
	};
	struct port_match orig = r->matches[mi];
	/* The protocols the port can have at all: its own ("meta l4proto
	 * . tcp dport"), the rule's ("meta l4proto tcp"), or any. */
	unsigned allowed = orig.protos & L4_ANY ? L4_PORTS : orig.protos & L4_PORTS;
	unsigned present = 0, rest;
	bool other = false;
	uint32_t at = mi;

	/* ... and the connection's: conntrack's protocol is the packet's
	 * ("ct original protocol dccp meta l4proto . th dport { udp . 32 }"
	 * matches nothing; an ICMP error of the connection is no udp) */
	if (r->ct_l4)
		allowed &= r->ct_l4;
	if (!orig.proto_comp)
		return 1;
	for (uint32_t i = 0; i < orig.nlits; i++) {
		if (orig.lits[i].proto)
			present |= orig.lits[i].proto;
		else
			other = true;
	}
	if (!present)
		return 1;	/* no element names one protocol: as the rule says */
	/* An element of a protocol the port cannot have never matches
	 * ("meta l4proto udp meta l4proto . th dport { tcp . 22 }"): it
	 * is dropped; what is left may match nothing at all.  Negated,
	 * the protocols no element names match every port: "meta l4proto
	 * . th dport != { tcp . 22 }" is udp, sctp, ... with any port. */
	present &= allowed;
	rest = orig.negated && !other ? allowed & ~present : 0;
	if (!present && !other) {
		r->matches[mi].nlits = 0;
		r->matches[mi].ports.n = 0;
		if (rest)
			r->matches[mi].protos = (uint8_t)rest;
		return 1;
	}
	for (size_t g = 0; g < sizeof(order) / sizeof(*order); g++) {
		struct port_match nm = orig;
		uint32_t alits = 0;

		if (order[g] ? !(present & order[g]) : !other && !rest)
			continue;
		nm.lits = NULL;
		nm.nlits = 0;
		memset(&nm.ports, 0, sizeof(nm.ports));
		if (order[g])
			nm.protos = order[g];
		else if (rest)
			nm.protos = (uint8_t)rest;
		for (uint32_t i = 0; i < orig.nlits; i++) {
			if (orig.lits[i].proto != order[g])
				continue;
			lits_add(rs, &nm.lits, &nm.nlits, &alits, &orig.lits[i]);
			portset_add(rs, &nm.ports, orig.lits[i].lo, orig.lits[i].hi);
		}
		portset_normalize(&nm.ports);
		if (at > mi) {
			GROW(rs, r->matches, r->nmatches, r->amatches);
			memmove(&r->matches[at + 1], &r->matches[at],
				(r->nmatches - at) * sizeof(*r->matches));
			r->nmatches++;
		}
		r->matches[at++] = nm;
	}
	return at - mi;
}

void rule_add_opaque(struct ruleset *rs, struct rule *r, const char *text,
		     const struct loc *loc)
{
	rule_add_opaque_n(rs, r, text, strlen(text), loc);
}

void rule_add_opaque_n(struct ruleset *rs, struct rule *r, const char *text,
		       size_t len, const struct loc *loc)
{
	rule_add_opaque_src(rs, r, arena_strndup(&rs->arena, text, len), len, loc);
}

void rule_add_opaque_src(struct ruleset *rs, struct rule *r, const char *text,
			 size_t len, const struct loc *loc)
{
	GROW(rs, r->opaque, r->nopaque, r->aopaque);
	r->opaque[r->nopaque].text = text;
	r->opaque[r->nopaque].len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	if (loc)
		r->opaque[r->nopaque].loc = *loc;
	r->nopaque++;
}

void lits_add(struct ruleset *rs, struct port_lit **lits, uint32_t *n,
	      uint32_t *a, const struct port_lit *lit)
{
	GROW(rs, *lits, *n, *a);
	(*lits)[(*n)++] = *lit;
}

void portset_add(struct ruleset *rs, struct portset *ps, uint16_t lo,
		 uint16_t hi)
{
	GROW(rs, ps->r, ps->n, ps->a);
	ps->r[ps->n++] = (struct portrange){ lo, hi };
}

static int cmp_range(const void *a, const void *b)
{
	const struct portrange *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return (x->hi > y->hi) - (x->hi < y->hi);
}

void portset_normalize(struct portset *ps)
{
	uint32_t o = 0, sorted = 1;

	if (ps->n < 2)
		return;
	/* most are in order already (one literal, a set as written) */
	while (sorted < ps->n && cmp_range(&ps->r[sorted - 1], &ps->r[sorted]) <= 0)
		sorted++;
	if (sorted < ps->n)
		qsort(ps->r, ps->n, sizeof(*ps->r), cmp_range);
	for (uint32_t i = 1; i < ps->n; i++) {
		struct portrange *last = &ps->r[o];

		if ((uint32_t)ps->r[i].lo <= (uint32_t)last->hi + 1) {
			if (ps->r[i].hi > last->hi)
				last->hi = ps->r[i].hi;
		} else {
			ps->r[++o] = ps->r[i];
		}
	}
	ps->n = o + 1;
}

bool portset_contains(const struct portset *ps, uint16_t port)
{
	uint32_t lo = 0, hi = ps->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (port < ps->r[mid].lo)
			hi = mid;
		else if (port > ps->r[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

bool portset_add_bitwise(struct ruleset *rs, struct portset *ps,
			 const struct port_bitop *ops, uint32_t nops,
			 const struct portset *values)
{
	struct portrange r[PORTSET_BITWISE_MAX];
	uint32_t n = 0;
	bool in = false;

	/* Every port, once: 65536 steps are cheap, and exact for any mix
	 * of operations, where reasoning on bits would need a case each. */
	for (uint32_t p = 0; p <= 0xffff; p++) {
		uint32_t x = p;
		bool hit;

		for (uint32_t k = 0; k < nops; k++) {
			if (ops[k].op == '&')
				x &= ops[k].v;
			else if (ops[k].op == '|')
				x |= ops[k].v;
			else
				x ^= ops[k].v;
		}
		hit = portset_contains(values, (uint16_t)x);
		if (hit && in) {
			r[n - 1].hi = (uint16_t)p;
		} else if (hit) {
			if (n == PORTSET_BITWISE_MAX)
				return false;
			r[n++] = (struct portrange){ (uint16_t)p, (uint16_t)p };
		}
		in = hit;
	}
	for (uint32_t k = 0; k < n; k++)
		portset_add(rs, ps, r[k].lo, r[k].hi);
	portset_normalize(ps);
	return true;
}

/* Whether R's NAT target ports come from the map NAME ("dnat to tcp dport
 * map @name", whose key is a match of R too). */
static bool nat_map_named(const struct rule *r, const char *name)
{
	return (r->nat && r->nat->map && strcmp(r->nat->map, name) == 0) ||
	       (r->snat && r->snat->map && strcmp(r->snat->map, name) == 0);
}

static void resolve_nat(struct ruleset *rs, struct table *t, struct nat_target *n)
{
	struct set *s = table_set(rs, t, n->map, false);

	if (!s) {
		ruleset_diag(rs, DIAG_ERROR, &n->loc, "map '%s' does not exist in table %s %s",
			     n->map, family_name(t->family), t->name);
		return;
	}
	for (uint32_t k = 0; k < s->data_ports.n; k++)
		portset_add(rs, &n->ports, s->data_ports.r[k].lo, s->data_ports.r[k].hi);
	portset_normalize(&n->ports);
}

/*
 * The ports of component COMP of S's key: in "tcp sport . tcp dport @s"
 * each match takes its own.  A component that is no port of the key (a
 * reader that does not say) takes the first port component's.
 */
static const struct portset *set_comp_ports(const struct set *s, unsigned comp)
{
	for (uint32_t k = 0; k < s->nmore_ports; k++)
		if (s->more_port_fields[k] == (int)comp)
			return &s->more_ports[k];
	return &s->ports;
}

/*
 * The jumps and gotos of verdict map elements LITS[0..N): with G, R's edges
 * in G; with REPORT, one to a chain T lacks is refused, as a rule's is (a
 * named map's are reported once, not per rule using it).
 */
static void resolve_lit_targets(struct ruleset *rs, const struct table *t,
				const struct port_lit *lits, uint32_t n,
				struct jump_graph *g, const struct rule *r, bool report)
{
	for (uint32_t k = 0; k < n; k++) {
		const struct chain *to;

		if (!lits[k].target)
			continue;
		to = table_find_chain(t, lits[k].target);
		if (!to && report)
			ruleset_diag(rs, DIAG_ERROR, &lits[k].loc,
				     "chain '%s' does not exist in table %s %s",
				     lits[k].target, family_name(t->family), t->name);
		else if (to && g)
			jump_graph_add(g, to, r);
	}
}

void ruleset_resolve_sets(struct ruleset *rs)
{
	/* each table's jumps, checked once every table is resolved */
	struct jump_graph *graphs = calloc(rs->ntables ? rs->ntables : 1, sizeof(*graphs));

	if (!graphs)
		oom();
	for (uint32_t ti = 0; ti < rs->ntables; ti++) {
		struct table *t = rs->tables[ti];
		struct jump_graph *g = &graphs[ti];

		for (uint32_t si = 0; si < t->nsets; si++) {
			struct set *s = t->sets[si];

			portset_normalize(&s->ports);
			portset_normalize(&s->data_ports);
			for (uint32_t f = 0; f < s->nmore_ports; f++)
				portset_normalize(&s->more_ports[f]);
		}
		jump_graph_init(g, t);
		for (uint32_t ci = 0; ci < t->nchains; ci++) {
			struct chain *c = t->chains[ci];

			jump_graph_chain(g, ci);
			for (uint32_t ri = 0; ri < c->nrules; ri++) {
				struct rule *r = c->rules[ri];

				if ((r->verdict == VERDICT_JUMP || r->verdict == VERDICT_GOTO) &&
				    r->target) {
					const struct chain *to = table_find_chain(t, r->target);

					if (to)
						jump_graph_add(g, to, r);
					else
						ruleset_diag(rs, DIAG_ERROR, &r->loc,
							     "chain '%s' does not exist in table %s %s",
							     r->target, family_name(t->family), t->name);
				}
				if (r->nat && r->nat->map && !r->nat->ports.n)
					resolve_nat(rs, t, r->nat);
				if (r->snat && r->snat->map && !r->snat->ports.n)
					resolve_nat(rs, t, r->snat);
				for (uint32_t mi = 0; mi < r->nmatches; mi++) {
					struct port_match *m = &r->matches[mi];
					const struct portset *ps;
					const struct port_lit *lits;
					uint32_t nlits;
					struct set *s;

					s = m->set && m->source != SRC_IPSET &&
					    (m->kind == MATCH_VMAP || !m->ports.n) ?
					    table_set(rs, t, m->set, false) : NULL;
					if (m->kind == MATCH_VMAP && !m->set)
						resolve_lit_targets(rs, t, m->lits, m->nlits, g, r, true);
					if (m->kind == MATCH_VMAP && s && set_is_vmap(s))
						resolve_lit_targets(rs, t, s->lits, s->nlits, g, r, false);
					if (!m->set || m->ports.n || m->source == SRC_IPSET)
						continue;
					if (!s && nat_map_named(r, m->set))
						continue;	/* reported as the NAT's map */
					if (!s) {
						ruleset_diag(rs, DIAG_ERROR, &m->loc,
							     "set '%s' does not exist in table %s %s",
							     m->set, family_name(t->family), t->name);
						continue;
					}
					ps = set_comp_ports(s, m->set_comp);
					for (uint32_t k = 0; k < ps->n; k++)
						portset_add(rs, &m->ports, ps->r[k].lo,
							    ps->r[k].hi);
					portset_normalize(&m->ports);
					lits = set_comp_lits(s, m->set_comp, &nlits);
					if (m->proto_comp && s->proto_field >= 0 &&
					    m->proto_comp == s->proto_field + 1 && nlits) {
						/* "ip daddr . meta l4proto . th dport
						 * @s": each element's port for its own
						 * protocol, with the element as written
						 * (so too a further port component's) */
						m->lits = arena_alloc(&rs->arena,
								      nlits * sizeof(*m->lits));
						memcpy(m->lits, lits, nlits * sizeof(*m->lits));
						m->nlits = nlits;
						mi += rule_split_protos(rs, r, mi) - 1;
					}
				}
			}
		}
		for (uint32_t si = 0; si < t->nsets; si++)
			if (set_is_vmap(t->sets[si]))
				resolve_lit_targets(rs, t, t->sets[si]->lits,
						    t->sets[si]->nlits, NULL, NULL, true);
	}
	for (uint32_t ti = 0; ti < rs->ntables; ti++) {
		jump_graph_check(rs, &graphs[ti]);
		jump_graph_release(&graphs[ti]);
	}
	free(graphs);
}

static const char *const family_names[] = {
	"ip", "ip6", "inet", "arp", "bridge", "netdev",
};

const char *family_name(enum family f)
{
	return f <= FAM_NETDEV ? family_names[f] : "?";
}

int family_from_name(const char *s)
{
	for (int i = 0; i <= FAM_NETDEV; i++)
		if (strcmp(s, family_names[i]) == 0)
			return i;
	return -1;
}

const char *hook_name(enum hook h)
{
	static const char *const names[] = {
		"", "prerouting", "input", "forward", "output", "postrouting",
		"ingress", "egress",
	};

	return h <= HOOK_EGRESS ? names[h] : "?";
}

static const char *const verdict_names[] = {
	"none", "accept", "drop", "reject", "jump", "goto", "return",
	"continue", "queue", "vmap",
};

const char *verdict_name(enum verdict v)
{
	return v <= VERDICT_MAP ? verdict_names[v] : "?";
}

int verdict_from_name(const char *name, size_t len)
{
	for (int v = VERDICT_ACCEPT; v <= VERDICT_QUEUE; v++)
		if (strlen(verdict_names[v]) == len && memcmp(verdict_names[v], name, len) == 0)
			return v;
	return -1;
}

const char *l4_name(unsigned bit)
{
	switch (bit) {
	case L4_TCP: return "tcp";
	case L4_UDP: return "udp";
	case L4_SCTP: return "sctp";
	case L4_DCCP: return "dccp";
	case L4_UDPLITE: return "udplite";
	case L4_ANY: return "any";
	}
	return "?";
}
