/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checks.  What a port means depends on where it stands: a destination
 * port in a rule that lets new traffic in names a listener; the same port
 * as a source, in an output chain or behind "ct state established" does
 * not.  So each rule is first placed: the hooks its chain is reached from
 * (following jumps and gotos), whether its verdict lets traffic through,
 * and whether it is limited to established or related traffic.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strfmt.h"
#include "lines.h"
#include "lint.h"
#include "services.h"

#define DYN_LO 49152

enum {
	DIR_IN = 1u << 0,	/* prerouting, input, forward, ingress */
	DIR_OUT = 1u << 1,	/* output, postrouting, egress */
};

/*
 * Comments repeat their words ("ingress-nginx/svc-12:dns" on thousands of
 * rules): what the registry and the list of common words say of a word is
 * looked up once, and kept in a direct-mapped cache.  It is large enough
 * for most of the words that vary ("svc-12": ten thousand on a 100k-rule
 * kube-proxy dump) to stay until they come back.
 */
#define WORD_SLOTS 4096
#define WORD_MAX 32

struct word_slot {
	char w[WORD_MAX];	/* "": free */
	uint32_t first, n;	/* registry_find_name()'s answer */
	bool common;		/* common_word(); asked only of registered names */
};

struct chain_walk;

struct ctx {
	const struct ruleset *rs;
	const struct registry *reg;
	const struct lint_options *o;
	struct lint_result *out;
	/* the rule being checked */
	const struct table *t;
	const struct rule *r;
	uint32_t ri;		/* its index in the chain */
	unsigned dirs;		/* DIR_* its chain is reached from; 0: unknown */
	const struct chain_walk *walk;	/* the chains of T */
	bool admits;		/* its verdict lets traffic through */
	bool established;	/* limited to established/related traffic */
	bool commented;		/* the rule says what it is for (see
				 * commented()) */
	const struct port_lit *lit;	/* the literal being checked, or NULL */
	struct word_slot *words;	/* WORD_SLOTS, from the first comment */
	/* covered_lits() of the last list of literals that had it: a named
	 * set's, for the many rules that use it */
	const struct port_lit *cov_lits;
	uint32_t cov_n, cov_a;
	bool *cov;
	/* the findings said of the rule being checked (those from RUN_FROM
	 * on), by what makes two of them one: an index + 1 in OUT per slot,
	 * 0 or an index before RUN_FROM for a free slot */
	uint32_t *said;
	size_t said_mask, run_from;
	/* conj_ports() of the match being checked, and room to make it */
	struct portrange *clip, *clip_tmp;
	uint32_t nclip;
	size_t aclip, aclip_tmp;
};

/* --- findings ----------------------------------------------------------------- */

/* Whether A and B are one rule as written: the same, or made from the same
 * text (iptables' "-s a,b" is a rule per address, each at the line's place). */
static bool same_rule(const struct rule *a, const struct rule *b)
{
	return a == b ||
	       (a && b && a->loc.line && a->loc.file == b->loc.file &&
		a->loc.line == b->loc.line && a->loc.col == b->loc.col &&
		a->chain == b->chain);
}

static void add(struct ctx *c, enum check chk, const struct loc *loc,
		uint16_t lo, uint16_t hi, int proto, const uint32_t *recs,
		size_t nrecs, const char *fmt, ...)
	__attribute__((format(printf, 9, 10)));
/* What is said of a literal as written (a copy, a name) is said at each
 * place; what is said of a port, once per rule: "tcp dport 9001 dnat to
 * 10.0.0.2:9001" matches and targets one port. */
static bool per_place(const struct ctx *c, enum check chk)
{
	return !c->r || chk == CHK_SET_DUPLICATE || chk == CHK_SET_OVERLAP ||
	       chk == CHK_SERVICE_NAME_UNKNOWN || chk == CHK_SERVICE_NAME_NONPORTABLE;
}

static size_t said_hash(const struct ctx *c, const struct finding *f)
{
	uint64_t h = ((uint64_t)f->check << 48) ^ ((uint64_t)f->lo << 32) ^
		     ((uint64_t)f->hi << 16) ^ (uint8_t)f->proto;

	if (per_place(c, (enum check)f->check))
		h ^= ((uint64_t)f->loc.file * 0x100000001b3ull) ^
		     ((uint64_t)f->loc.line << 20) ^ f->loc.col;
	h *= 0x9e3779b97f4a7c15ull;
	return (size_t)(h ^ (h >> 29));
}

/* The slot of the finding like F said of this rule, or the free slot it
 * would take. */
static size_t said_slot(const struct ctx *c, const struct finding *f)
{
	const struct lint_result *out = c->out;
	bool place = per_place(c, (enum check)f->check);

	for (size_t i = said_hash(c, f) & c->said_mask;; i = (i + 1) & c->said_mask) {
		const struct finding *g;

		if (c->said[i] <= c->run_from)
			return i;	/* free, or a finding of an earlier rule */
		g = &out->f[c->said[i] - 1];
		if (g->check == f->check && g->lo == f->lo && g->hi == f->hi &&
		    g->proto == f->proto &&
		    (!place || (g->loc.file == f->loc.file && g->loc.line == f->loc.line &&
				g->loc.col == f->loc.col)))
			return i;
	}
}

/* Room in the table of what was said for one more finding. */
static void said_room(struct ctx *c)
{
	size_t n = c->out->n - c->run_from + 1;

	if (c->said && n * 2 <= c->said_mask + 1)
		return;
	free(c->said);
	c->said_mask = c->said_mask ? c->said_mask * 2 + 1 : 255;
	while (n * 2 > c->said_mask + 1)
		c->said_mask = c->said_mask * 2 + 1;
	c->said = calloc(c->said_mask + 1, sizeof(*c->said));
	if (!c->said)
		oom();
	for (size_t k = c->run_from; k < c->out->n; k++)
		c->said[said_slot(c, &c->out->f[k])] = (uint32_t)k + 1;
}

static void add(struct ctx *c, enum check chk, const struct loc *loc,
		uint16_t lo, uint16_t hi, int proto, const uint32_t *recs,
		size_t nrecs, const char *fmt, ...)
{
	struct lint_result *out = c->out;
	struct finding *f, key;
	size_t slot;
	va_list ap;

	if (c->o->severity[chk] == SEV_OFF)
		return;
	/* one finding per check, port and rule (or place); also across the
	 * rules one written rule became ("-s a,b": one per address, all at
	 * its place), whose findings follow each other */
	if (!out->n || !same_rule(out->f[out->n - 1].rule, c->r))
		c->run_from = out->n;
	said_room(c);
	key.check = (uint8_t)chk;
	key.lo = lo;
	key.hi = hi;
	key.proto = (int8_t)proto;
	key.loc = *loc;
	slot = said_slot(c, &key);
	if (c->said[slot] > c->run_from)
		return;
	out->f = grow_array(out->f, &out->a, out->n + 1, sizeof(*out->f));
	f = &out->f[out->n++];
	memset(f, 0, sizeof(*f));
	va_start(ap, fmt);
	f->message = arena_vprintf(&out->arena, fmt, ap);
	va_end(ap);
	f->check = (uint8_t)chk;
	f->severity = c->o->severity[chk];
	f->loc = *loc;
	f->table = c->t;
	f->rule = c->r;
	f->rule_index = c->ri;
	f->lo = lo;
	f->hi = hi;
	f->proto = (int8_t)proto;
	for (size_t i = 0; i < nrecs && i < FINDING_RECS; i++)
		f->recs[f->nrecs++] = recs[i];
	c->said[slot] = (uint32_t)out->n;
}

/* --- where a rule stands ------------------------------------------------------- */

static unsigned hook_dir(enum hook h)
{
	switch (h) {
	case HOOK_PREROUTING: case HOOK_INPUT: case HOOK_FORWARD: case HOOK_INGRESS:
		return DIR_IN;
	case HOOK_OUTPUT: case HOOK_POSTROUTING: case HOOK_EGRESS:
		return DIR_OUT;
	default:
		return 0;
	}
}

/*
 * The walk over a table's chains: each rule's jump target is looked up by
 * name once, in the order the rules lie in memory, and kept as an edge (a
 * kube-proxy table names a chain in nearly every one of its rules).
 */
struct chain_dir {
	unsigned dirs;		/* DIR_* the chain is reached from; 0: unknown */
	bool queued;
	bool accepts;		/* a packet may be accepted in it, or in a chain
				 * it jumps to (else a jump to it opens nothing) */
	uint32_t edge0, nedges;	/* into struct chain_walk.edges */
	uint32_t rule0;		/* its first rule's place in chain_walk.jumps */
};

#define JUMP_NONE UINT32_MAX		/* not a jump or goto */
#define JUMP_MISSING (UINT32_MAX - 1)	/* to a chain the model lacks */

struct chain_walk {
	const struct table *t;
	struct chain_dir *d;		/* by chain->index */
	uint32_t *edges;
	size_t nedges, aedges;
	uint32_t *jumps;		/* per rule: the chain its jump reaches,
					 * or JUMP_NONE, JUMP_MISSING */
};

/* An edge to the chain NAME of the table, if there is one. */
static uint32_t add_edge(struct chain_walk *w, const char *name)
{
	const struct chain *c = table_find_chain(w->t, name);

	if (!c)
		return JUMP_MISSING;
	w->edges = grow_array(w->edges, &w->aedges, w->nedges + 1, sizeof(*w->edges));
	w->edges[w->nedges++] = c->index;
	return c->index;
}

/* The chains "jump NAME" or "goto NAME" in OP's text reaches. */
static void opaque_jumps(struct chain_walk *w, const struct opaque *op)
{
	const char *end = op->text + op->len;

	for (const char *p = op->text; p + 5 < end; p++) {
		const char *q, *name;
		char buf[64];
		size_t len;

		if ((*p != 'j' && *p != 'g') ||
		    (memcmp(p, "jump", 4) && memcmp(p, "goto", 4)) ||
		    (p[4] != ' ' && p[4] != '\t') ||
		    (p > op->text && p[-1] != ' ' && p[-1] != ':' && p[-1] != '\t'))
			continue;
		for (q = p + 4; q < end && (*q == ' ' || *q == '\t'); q++)
			;
		name = q;
		while (q < end && *q != ' ' && *q != ',' && *q != '}' && *q != ';' &&
		       *q != '\t' && *q != '"')
			q++;
		len = (size_t)(q - name);
		if (!len || len >= sizeof(buf))
			continue;
		memcpy(buf, name, len);
		buf[len] = '\0';
		add_edge(w, buf);
	}
	/* the same verdicts as nft -j writes them, kept as JSON text:
	 * ["eth0", {"jump": {"target": "input_wan"}}] (a JSON statement) */
	for (size_t k = 0; op->len && op->text[0] == '{' && k < 2; k++) {
		static const char *const keys[] = {
			"\"jump\":{\"target\":\"", "\"goto\":{\"target\":\"",
		};
		size_t klen = strlen(keys[k]);

		for (const char *p = op->text;
		     (p = memmem(p, (size_t)(end - p), keys[k], klen)); ) {
			const char *name = p + klen, *q = name;
			char buf[64];
			size_t len;

			while (q < end && *q != '"' && *q != '\\')
				q++;
			p = q;
			len = (size_t)(q - name);
			if (q >= end || *q != '"' || !len || len >= sizeof(buf))
				continue;
			memcpy(buf, name, len);
			buf[len] = '\0';
			add_edge(w, buf);
		}
	}
}

static void resolve_edges(struct chain_walk *w, uint32_t i)
{
	const struct chain *c = w->t->chains[i];

	w->d[i].edge0 = (uint32_t)w->nedges;
	for (uint32_t k = 0; k < c->nrules; k++) {
		const struct rule *r = c->rules[k];

		w->jumps[w->d[i].rule0 + k] =
			r->target && (r->verdict == VERDICT_JUMP || r->verdict == VERDICT_GOTO) ?
			add_edge(w, r->target) : JUMP_NONE;
		/* "iifname vmap { wan0 : jump input_wan }" is kept opaque:
		 * its jumps are edges all the same */
		for (uint32_t o = 0; o < r->nopaque; o++)
			opaque_jumps(w, &r->opaque[o]);
		/* "tcp dport vmap { 22 : jump ssh_in }", or a named map's */
		for (uint32_t m = 0; m < r->nmatches; m++) {
			const struct port_match *pm = &r->matches[m];
			const struct port_lit *lits = pm->lits;
			uint32_t nlits = pm->nlits;
			const struct set *s;

			if (pm->kind != MATCH_VMAP)
				continue;
			if (pm->set && !nlits && (s = table_find_set(w->t, pm->set))) {
				lits = s->lits;
				nlits = s->nlits;
			}
			for (uint32_t l = 0; l < nlits; l++)
				if (lits[l].target)
					add_edge(w, lits[l].target);
		}
	}
	w->d[i].nedges = (uint32_t)(w->nedges - w->d[i].edge0);
}

/* Whether R itself may let the packet through: an accepting verdict, a
 * verdict map, or NAT that sends it on inward. */
static bool rule_accepts(const struct rule *r)
{
	switch (r->verdict) {
	case VERDICT_ACCEPT: case VERDICT_QUEUE: case VERDICT_MAP:
		return true;
	case VERDICT_JUMP: case VERDICT_GOTO:
		return false;	/* as the chain it names does */
	default:
		return (r->nat_kinds & (NAT_DNAT | NAT_REDIRECT | NAT_TPROXY)) != 0;
	}
}

/*
 * Which chains may accept: those with a rule that does, and those jumping
 * to one, found backwards from the first (each chain once).  A jump to a
 * chain the model lacks counts as "may accept".
 */
static void chain_accepts(struct chain_walk *w)
{
	const struct table *t = w->t;
	uint32_t *first = calloc(t->nchains + 2, sizeof(*first));
	uint32_t *from = malloc((w->nedges + 1) * sizeof(*from));
	uint32_t *todo = malloc((t->nchains + 1) * sizeof(*todo)), ntodo = 0;

	if (!first || !from || !todo)
		oom();
	/* the edges turned round, grouped by the chain they reach */
	for (size_t e = 0; e < w->nedges; e++)
		first[w->edges[e] + 2]++;
	for (uint32_t i = 0; i < t->nchains; i++)
		first[i + 2] += first[i + 1];
	for (uint32_t i = 0; i < t->nchains; i++)
		for (uint32_t e = w->d[i].edge0; e < w->d[i].edge0 + w->d[i].nedges; e++)
			from[first[w->edges[e] + 1]++] = i;
	for (uint32_t i = 0; i < t->nchains; i++) {
		const struct chain *c = t->chains[i];

		for (uint32_t k = 0; k < c->nrules && !w->d[i].accepts; k++)
			w->d[i].accepts = rule_accepts(c->rules[k]) ||
					  w->jumps[w->d[i].rule0 + k] == JUMP_MISSING;
		if (w->d[i].accepts)
			todo[ntodo++] = i;
	}
	while (ntodo) {
		uint32_t i = todo[--ntodo];

		for (uint32_t k = first[i]; k < first[i + 1]; k++) {
			if (w->d[from[k]].accepts)
				continue;
			w->d[from[k]].accepts = true;
			todo[ntodo++] = from[k];
		}
	}
	free(first);
	free(from);
	free(todo);
}

/*
 * The directions each chain of T is reached from, into W->d (by index in
 * T): its hook, or the hooks of the chains jumping to it, by a rule's
 * verdict or a verdict map's.  A chain reached from nowhere stays 0
 * (unknown).  What each rule's jump reaches goes to W->jumps, by the
 * rule's place: its chain's rule0 + its index.  chain_walk_free() frees W.
 */
static void chain_dirs(struct chain_walk *wp, const struct table *t)
{
	struct chain_walk w = { .t = t };
	uint32_t *todo, ntodo = 0;
	size_t nrules = 0;

	for (uint32_t i = 0; i < t->nchains; i++)
		nrules += t->chains[i]->nrules;
	w.d = calloc(t->nchains + 1, sizeof(*w.d));
	w.jumps = malloc((nrules + 1) * sizeof(*w.jumps));
	todo = malloc((t->nchains + 1) * sizeof(*todo));
	if (!w.d || !w.jumps || !todo)
		oom();
	nrules = 0;
	for (uint32_t i = 0; i < t->nchains; i++) {
		w.d[i].rule0 = (uint32_t)nrules;
		nrules += t->chains[i]->nrules;
		w.d[i].dirs = hook_dir((enum hook)t->chains[i]->hook);
		if (w.d[i].dirs) {
			w.d[i].queued = true;
			todo[ntodo++] = i;
		}
	}
	for (uint32_t i = 0; i < t->nchains; i++)
		resolve_edges(&w, i);
	/* a chain is queued again only when it gains a direction */
	while (ntodo) {
		uint32_t i = todo[--ntodo];
		struct chain_dir *from = &w.d[i];

		from->queued = false;
		for (uint32_t e = from->edge0; e < from->edge0 + from->nedges; e++) {
			struct chain_dir *to = &w.d[w.edges[e]];

			if ((to->dirs | from->dirs) == to->dirs)
				continue;
			to->dirs |= from->dirs;
			if (!to->queued) {
				to->queued = true;
				todo[ntodo++] = w.edges[e];
			}
		}
	}
	free(todo);
	chain_accepts(&w);
	free(w.edges);
	w.edges = NULL;
	w.nedges = w.aedges = 0;
	*wp = w;
}

static void chain_walk_free(struct chain_walk *w)
{
	free(w->d);
	free(w->jumps);
}

static bool rule_admits(const struct rule *r)
{
	switch (r->verdict) {
	case VERDICT_ACCEPT: case VERDICT_JUMP: case VERDICT_GOTO:
	case VERDICT_QUEUE: case VERDICT_MAP:
		return true;
	default:
		/* dnat, redirect and tproxy send the packet on inward */
		return (r->nat_kinds & (NAT_DNAT | NAT_REDIRECT | NAT_TPROXY)) != 0;
	}
}

/* A jump or goto lets in only what the chain it names may accept: a jump
 * to a chain that only logs and rejects opens no port. */
static bool target_accepts(const struct chain_dir *dirs, uint32_t jump)
{
	return jump == JUMP_NONE || jump == JUMP_MISSING || dirs[jump].accepts;
}

/* The same for a verdict map element's jump or goto to chain NAME. */
static bool named_target_accepts(const struct chain_walk *w, const char *name)
{
	const struct chain *c = table_find_chain(w->t, name);

	return !c || w->d[c->index].accepts;
}

static bool verdict_admits(enum verdict v)
{
	return v == VERDICT_ACCEPT || v == VERDICT_JUMP || v == VERDICT_GOTO ||
	       v == VERDICT_QUEUE;
}

static bool rule_established(const struct rule *r)
{
	unsigned s = r->ct_states;

	return s && !r->ct_states_negated && !(s & (CT_NEW | CT_UNTRACKED)) &&
	       (s & (CT_ESTABLISHED | CT_RELATED));
}

/* --- the registry's answer ------------------------------------------------------ */

static unsigned reg_protos(unsigned l4)
{
	unsigned p = 0;

	if (l4 & L4_TCP)
		p |= 1u << REG_PROTO_TCP;
	if (l4 & L4_UDP)
		p |= 1u << REG_PROTO_UDP;
	if (l4 & L4_SCTP)
		p |= 1u << REG_PROTO_SCTP;
	if (l4 & L4_DCCP)
		p |= 1u << REG_PROTO_DCCP;
	return p;
}

/* The first assigned, named record covering PORT on PROTO, or -1. */
static long assigned_rec(const struct registry *reg, uint16_t port, int proto)
{
	struct reg_answer a;

	registry_query(reg, port, (enum reg_proto)proto, &a);
	for (size_t i = 0; i < a.nrecs; i++)
		if (reg->records[a.recs[i]].kind == REG_CLASS_ASSIGNED)
			return (long)a.recs[i];
	return -1;
}

static const char *rec_name(const struct registry *reg, uint32_t rec)
{
	const char *n = registry_str(reg, reg->records[rec].name);

	return *n ? n : "an unnamed service";
}

/* "tcp", "tcp and sctp", "tcp, udp and sctp" */
static void proto_list(unsigned protos, char *buf, size_t size)
{
	size_t o = 0, n = (size_t)__builtin_popcount(protos), k = 0;

	buf[0] = '\0';
	for (int p = 0; p < REG_NPROTO; p++) {
		if (!(protos & (1u << p)))
			continue;
		k++;
		o += strfmt(buf + o, size > o ? size - o : 0, "%s%s",
			    k == 1 ? "" : k == n ? " and " : ", ",
			    reg_proto_name((enum reg_proto)p));
	}
}

/*
 * Whether a port the rule matches (IS_NAT false) is no listener because the
 * rule's dnat, redirect or tproxy sends the traffic elsewhere: to a port
 * of its own, which is the listener and checked as such ("udp dport 51820
 * dnat to 10.0.0.2:51820": one port-dynamic, for the target), or out of an
 * output chain.  Address-only dnat keeps the matched port as the target.
 */
static bool nat_listens(const struct ctx *c, bool is_nat, bool inbound)
{
	return c->r->nat && !is_nat && (!inbound || c->r->nat->ports.n);
}

/*
 * Whether what is checked says what it is for: its rule's comment, or the
 * set element's own ("30080 comment \"web\"", as kube-proxy writes its
 * NodePorts).  Only comments the loaded ruleset keeps count: a '#' line
 * is gone once nft or iptables-restore has read the file.
 */
static bool commented(const struct ctx *c)
{
	return c->commented || (c->lit && c->lit->commented);
}

/* Checks of one destination port on one protocol. */
static void check_port(struct ctx *c, uint16_t port, int proto, const struct loc *loc,
		       bool is_nat)
{
	const struct registry *reg = c->reg;
	struct reg_answer a;
	struct reg_other other[8];
	size_t nother;
	unsigned oprotos = 0;
	bool inbound = (c->dirs & DIR_IN) && !c->established;
	bool listener = (inbound && c->admits) || is_nat;

	registry_query(reg, port, (enum reg_proto)proto, &a);
	/* the other protocols matter only where this one has no assignment,
	 * and only to a rule that lets new traffic in */
	nother = a.cls == REG_CLASS_ASSIGNED || !(c->admits || is_nat) || c->established ? 0 :
		 registry_other_assignments(reg, port, (enum reg_proto)proto, other, 8);
	for (size_t i = 0; i < nother; i++)
		oprotos |= other[i].protos;
	if (port == 0) {
		if ((c->admits || is_nat) && !c->established)
			add(c, CHK_PORT_INVALID, loc, 0, 0, proto, NULL, 0,
			    "port 0/%s accepted as a destination: no connection is made to port 0 (an empty variable?)",
			    reg_proto_name((enum reg_proto)proto));
		return;
	}
	if (a.cls != REG_CLASS_ASSIGNED && oprotos && (c->admits || is_nat) &&
	    !c->established) {
		char protos[64];
		uint32_t rec;
		long r = -1;

		for (int p = 0; p < REG_NPROTO && r < 0; p++)
			if (oprotos & (1u << p))
				r = assigned_rec(reg, port, p);
		rec = (uint32_t)r;
		proto_list(oprotos, protos, sizeof(protos));
		add(c, CHK_PORT_PROTO_MISMATCH, loc, port, port, proto, &rec, r >= 0,
		    "%u/%s: %s is registered for %s only (%u/%s is %s)", port,
		    reg_proto_name((enum reg_proto)proto),
		    r >= 0 ? rec_name(reg, rec) : "a service", protos, port,
		    reg_proto_name((enum reg_proto)proto),
		    a.cls == REG_CLASS_DYNAMIC ? "in the dynamic range" :
		    reg_class_name((enum reg_class)a.cls));
	} else if (a.cls == REG_CLASS_RESERVED && listener) {
		add(c, CHK_PORT_RESERVED, loc, port, port, proto, a.recs, a.nrecs,
		    "%u/%s is reserved by IANA, on every protocol: no service should listen there",
		    port, reg_proto_name((enum reg_proto)proto));
	} else if (a.cls == REG_CLASS_UNASSIGNED && listener && !commented(c)) {
		add(c, CHK_PORT_UNASSIGNED, loc, port, port, proto, NULL, 0,
		    "%u/%s is unassigned in the IANA registry, on every protocol: say in the rule's comment what listens there",
		    port, reg_proto_name((enum reg_proto)proto));
	}
	if (listener && (port >= DYN_LO ||
			 (c->o->eph_hi && port >= c->o->eph_lo && port <= c->o->eph_hi)) &&
	    !nat_listens(c, is_nat, inbound)) {
		bool dyn = port >= DYN_LO;

		add(c, CHK_PORT_DYNAMIC, loc, port, port, proto, NULL, 0,
		    "%u/%s %s in the %s (%u-%u): a listener among the ports clients pick as their source",
		    port, reg_proto_name((enum reg_proto)proto),
		    is_nat ? "is a NAT target" : "is opened for new connections",
		    dyn ? "dynamic range" : "host's ephemeral range",
		    dyn ? DYN_LO : c->o->eph_lo, dyn ? 65535 : c->o->eph_hi);
	}
	if ((c->admits || is_nat) && !c->established) {
		for (size_t i = 0; i < a.nrecs; i++) {
			const struct reg_record *rec = &reg->records[a.recs[i]];
			const char *flags[4];

			/* the status may sit on the Reserved or Unassigned
			 * record that replaced the service */
			if (!(rec->flags & REG_F_STATUS) ||
			    !reg_flag_names(rec->flags & REG_F_STATUS, flags, 4))
				continue;
			/* a port with a live assignment beside it is fine */
			{
				bool live = false;

				for (size_t k = 0; k < a.nrecs; k++)
					live |= reg->records[a.recs[k]].kind == REG_CLASS_ASSIGNED &&
						!(reg->records[a.recs[k]].flags & REG_F_STATUS);
				if (live)
					break;
			}
			if (rec->kind == REG_CLASS_ASSIGNED && *registry_str(reg, rec->name))
				add(c, CHK_PORT_DEASSIGNED, loc, port, port, proto, &a.recs[i], 1,
				    "%u/%s: %s is %s in the registry", port,
				    reg_proto_name((enum reg_proto)proto),
				    rec_name(reg, a.recs[i]), flags[0]);
			else
				add(c, CHK_PORT_DEASSIGNED, loc, port, port, proto, &a.recs[i], 1,
				    "%u/%s: the registry marks its assignment %s%s%s%s", port,
				    reg_proto_name((enum reg_proto)proto), flags[0],
				    *registry_str(reg, rec->note) ? " (\"" : "",
				    registry_str(reg, rec->note),
				    *registry_str(reg, rec->note) ? "\")" : "");
			break;
		}
	}
	if ((a.flags & REG_F_UNAUTHORIZED) && listener) {
		for (size_t i = 0; i < a.nrecs; i++) {
			const struct reg_record *rec = &reg->records[a.recs[i]];

			if (!rec->unauthorized || !registry_unauth_covers(reg, rec, port))
				continue;
			add(c, CHK_PORT_UNAUTHORIZED_USE, loc, port, port, proto, &a.recs[i], 1,
			    "%u/%s (%s): the registry reports known unauthorized use: \"%s\"",
			    port, reg_proto_name((enum reg_proto)proto),
			    rec_name(reg, a.recs[i]), registry_str(reg, rec->unauthorized));
			break;
		}
	}
}

/* Whether some port of LO-HI is assigned on a protocol other than PROTO. */
static bool assigned_elsewhere(const struct registry *reg, uint16_t lo, uint16_t hi,
			       int proto)
{
	for (int p = 0; p < REG_NPROTO; p++) {
		struct reg_range sum;

		if (p == proto)
			continue;
		registry_range(reg, lo, hi, (enum reg_proto)p, &sum);
		if (sum.ports[REG_CLASS_ASSIGNED])
			return true;
	}
	return false;
}

/* Whether a port of R[0..N) is assigned on a protocol other than PROTO. */
static bool any_assigned_elsewhere(const struct registry *reg, const struct portrange *r,
				   uint32_t n, int proto)
{
	for (uint32_t i = 0; i < n; i++)
		if (assigned_elsewhere(reg, r[i].lo, r[i].hi, proto))
			return true;
	return false;
}

/*
 * Destination ranges R[0..N) (sorted, disjoint) on PROTO, checked as one: a range as
 * written ("1000-2000"), or the ports of a mask ("tcp dport & 0x00ff ==
 * 0x10": 256 of them, written once), summarized by class in one finding,
 * never one per port.
 */
static void check_range(struct ctx *c, const struct portrange *r, uint32_t n, int proto,
			const struct loc *loc, bool is_nat)
{
	struct reg_range sum = { 0 };
	int classes = 0;
	bool inbound = (c->dirs & DIR_IN) && !c->established;
	bool listener = (inbound && c->admits) || is_nat;
	bool in_eph = false, wide, none, dynamic;
	uint16_t lo = r[0].lo, hi = r[n - 1].hi;
	size_t total = 0;
	char counts[160], what[48];
	size_t o = 0;
	static const int order[] = {
		REG_CLASS_ASSIGNED, REG_CLASS_RESERVED, REG_CLASS_UNASSIGNED,
		REG_CLASS_DYNAMIC,
	};

	if (!listener)
		return;
	for (uint32_t i = 0; i < n; i++) {
		struct reg_range one;

		registry_range(c->reg, r[i].lo, r[i].hi, (enum reg_proto)proto, &one);
		for (int k = 0; k < REG_NCLASS; k++)
			sum.ports[k] += one.ports[k];
		sum.unauthorized += one.unauthorized;
		total += (size_t)(r[i].hi - r[i].lo) + 1;
		in_eph |= c->o->eph_hi && r[i].hi >= c->o->eph_lo && r[i].lo <= c->o->eph_hi;
	}
	for (int k = 0; k < REG_NCLASS; k++)
		classes += sum.ports[k] > 0;
	/* reserved beside unassigned alone is not a mix worth a finding; a
	 * range whose rule says what it is for is deliberate */
	wide = classes > 1 && sum.ports[REG_CLASS_ASSIGNED] && !commented(c);
	none = !wide && !sum.ports[REG_CLASS_ASSIGNED] && !sum.ports[REG_CLASS_DYNAMIC] &&
	       (sum.ports[REG_CLASS_RESERVED] == total || !commented(c)) &&
	       !any_assigned_elsewhere(c->reg, r, n, proto);
	dynamic = (hi >= DYN_LO || in_eph) && !nat_listens(c, is_nat, inbound);
	if (!wide && !none && !dynamic)
		return;		/* nothing to say: no text made */
	if (n == 1)
		strfmt(what, sizeof(what), "%u-%u/%s", lo, hi, reg_proto_name((enum reg_proto)proto));
	else
		strfmt(what, sizeof(what), "%u ports in %u-%u/%s", (unsigned)total, lo, hi,
		       reg_proto_name((enum reg_proto)proto));
	if (wide) {
		for (size_t k = 0; k < sizeof(order) / sizeof(*order); k++)
			if (sum.ports[order[k]])
				o += strfmt(counts + o, sizeof(counts) - o, "%s%u %s",
					    o ? ", " : "", (unsigned)sum.ports[order[k]],
					    reg_class_name((enum reg_class)order[k]));
		/* a range is weak evidence of unauthorized use: only counted */
		if (sum.unauthorized)
			strfmt(counts + o, sizeof(counts) - o, "; %u with known unauthorized use",
			       (unsigned)sum.unauthorized);
		add(c, CHK_RANGE_WIDE, loc, lo, hi, proto, NULL, 0, "%s: %s", what, counts);
	} else if (none) {
		/* nothing assigned: the range is what its ports are */
		bool res = sum.ports[REG_CLASS_RESERVED] == total;

		add(c, res ? CHK_PORT_RESERVED : CHK_PORT_UNASSIGNED, loc, lo, hi, proto,
		    NULL, 0, "%s: all %u ports are %s in the IANA registry, on every protocol",
		    what, (unsigned)total, res ? "reserved" : "unassigned or reserved");
	}
	if (dynamic) {
		bool dyn = hi >= DYN_LO;

		add(c, CHK_PORT_DYNAMIC, loc, lo, hi, proto, NULL, 0,
		    "%s %s %s into the %s (%u-%u): listeners among the ports clients pick as their source",
		    what, is_nat ? "as a NAT target" : "opened for new connections",
		    n == 1 ? "reaches" : "reach",
		    dyn ? "dynamic range" : "host's ephemeral range",
		    dyn ? DYN_LO : c->o->eph_lo, dyn ? 65535 : c->o->eph_hi);
	}
}

/* More disjoint ranges than this at one place are checked as one. */
#define SPREAD_MIN 4

/* One port value or range as written, for every protocol of the match. */
static void check_value(struct ctx *c, uint16_t lo, uint16_t hi, unsigned l4,
			const struct loc *loc, bool is_nat)
{
	unsigned protos = reg_protos(l4);

	if (l4 & L4_ANY) {
		/* "th dport" on any protocol: only what holds on tcp and udp */
		if (lo != hi || lo == 0)
			return;
		if (assigned_rec(c->reg, lo, REG_PROTO_TCP) >= 0 ||
		    assigned_rec(c->reg, lo, REG_PROTO_UDP) >= 0)
			return;
		protos = 1u << REG_PROTO_TCP;
	}
	for (int p = 0; p < REG_NPROTO; p++) {
		if (!(protos & (1u << p)))
			continue;
		if (lo == hi)
			check_port(c, lo, p, loc, is_nat);
		else
			check_range(c, &(struct portrange){ lo, hi }, 1, p, loc, is_nat);
	}
}

/* --- literals: names, duplicates, overlaps -------------------------------------------- */

static void check_name(struct ctx *c, const struct port_lit *l, unsigned l4)
{
	const struct registry *reg = c->reg;
	size_t first, n;
	uint16_t ports[REG_NPROTO] = { 0 }, iana = 0;
	unsigned have = 0;
	bool differs = false;

	if (l->kind == LIT_NUMBER || !l->name)
		return;
	if (l->kind == LIT_SERVICE_DB) {
		add(c, CHK_SERVICE_NAME_UNKNOWN, &l->loc, l->lo, l->hi, -1, NULL, 0,
		    "'%s' has no port in the IANA registry: it loads as %u only because this system's services file has it",
		    l->name, l->lo);
		return;
	}
	/* the name's port on each protocol of the match, per IANA */
	n = registry_find_name(reg, l->name, &first);
	for (size_t i = first; i < first + n; i++) {
		const struct reg_record *r = &reg->records[reg->by_name[i]];

		if (!(r->flags & REG_F_HAS_PORT) || r->lo != r->hi)
			continue;
		for (int p = 0; p < REG_NPROTO; p++) {
			if (!(r->protos & (1u << p)) || !(reg_protos(l4) & (1u << p)))
				continue;
			if (have & (1u << p)) {
				differs |= ports[p] != r->lo;
				continue;
			}
			ports[p] = r->lo;
			have |= 1u << p;
		}
	}
	for (int p = 0; p < REG_NPROTO; p++) {
		if ((have & (1u << p)) && ports[p] != l->lo) {
			differs = true;
			iana = ports[p];
		}
	}
	if (services_db_port(l->name, NULL) < 0) {
		add(c, CHK_SERVICE_NAME_NONPORTABLE, &l->loc, l->lo, l->hi, -1, NULL, 0,
		    "'%s' is not in this system's services file: nft and iptables fail to load the rule here (IANA gives %u); write the number",
		    l->name, l->lo);
		return;
	}
	if (differs)
		add(c, CHK_SERVICE_NAME_NONPORTABLE, &l->loc, l->lo, l->hi, -1, NULL, 0,
		    "'%s' stands for more than one port: it loads as %u from the services file, IANA gives %u%s; write the number",
		    l->name, l->lo, iana, iana == l->lo ? " on another protocol too" : "");
}

/* "22" or "80-88" */
static const char *range_str(char buf[static 16], uint16_t lo, uint16_t hi)
{
	if (lo == hi)
		snprintf(buf, 16, "%u", lo);
	else
		snprintf(buf, 16, "%u-%u", lo, hi);
	return buf;
}

/* What check_lits() says of literal B, the first literal before it
 * whose ports meet its own being A.  No line numbers: a finding's
 * message is part of its baseline fingerprint, which edits above the
 * rule must leave alone. */
static void lit_written_before(struct ctx *c, const struct port_lit *a,
			       const struct port_lit *b)
{
	char x[16], y[16], where[32];

	if (a->lo != b->lo || a->hi != b->hi) {
		add(c, CHK_SET_OVERLAP, &b->loc, b->lo, b->hi, -1, NULL, 0,
		    "%s overlaps %s, written before it",
		    range_str(x, b->lo, b->hi), range_str(y, a->lo, a->hi));
		return;
	}
	if (a->lo != a->hi) {
		add(c, CHK_SET_DUPLICATE, &b->loc, b->lo, b->hi, -1, NULL, 0,
		    "%u-%u is written twice", b->lo, b->hi);
		return;
	}
	if (a->loc.file != b->loc.file && a->loc.file < c->rs->nfiles) {
		add(c, CHK_SET_DUPLICATE, &b->loc, b->lo, b->hi, -1, NULL, 0,
		    "%u is written twice (also in %s)", b->lo, c->rs->files[a->loc.file].name);
		return;
	}
	if (a->loc.line != b->loc.line)
		snprintf(where, sizeof(where), "on a line before");
	else
		snprintf(where, sizeof(where), "at column %u", a->loc.col);
	add(c, CHK_SET_DUPLICATE, &b->loc, b->lo, b->hi, -1, NULL, 0,
	    "%u is written twice (also %s)", b->lo, where);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The place of X among the N sorted values V. */
static uint32_t place_of(const uint32_t *v, uint32_t n, uint32_t x)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#define LITS_PAIRWISE 64	/* up to this many literals, each pair is compared */

/*
 * Each literal of LITS[0..N) that repeats or meets one written before it,
 * said of the first such.  Many literals (a generated set) are not compared
 * pair by pair: the ports are cut into pieces at every literal's ends, and
 * each piece remembers the first literal holding it, in a tree that gives
 * the first over any run of pieces.
 */
static void check_lits(struct ctx *c, const struct port_lit *lits, uint32_t n)
{
	uint32_t *ends, *first, *next, m = 0, size = 1;
	bool reversed = false;

	for (uint32_t i = 0; i < n && !reversed; i++)
		reversed = lits[i].lo > lits[i].hi;
	if (n <= LITS_PAIRWISE || reversed) {
		for (uint32_t i = 0; i < n; i++)
			for (uint32_t k = 0; k < i; k++)
				if (lits[k].lo <= lits[i].hi && lits[i].lo <= lits[k].hi) {
					lit_written_before(c, &lits[k], &lits[i]);
					break;
				}
		return;
	}
	ends = malloc(2 * (size_t)n * sizeof(*ends));
	if (!ends)
		oom();
	for (uint32_t i = 0; i < n; i++) {
		ends[2 * i] = lits[i].lo;
		ends[2 * i + 1] = (uint32_t)lits[i].hi + 1;
	}
	qsort(ends, 2 * (size_t)n, sizeof(*ends), cmp_u32);
	for (uint32_t i = 0; i < 2 * n; i++)
		if (!m || ends[m - 1] != ends[i])
			ends[m++] = ends[i];
	/* piece j: ports ends[j] to ends[j + 1] - 1; FIRST is a tree of the
	 * smallest literal index over pieces (UINT32_MAX: none), NEXT[j] the
	 * first piece from j on that no literal holds yet */
	while (size < m)
		size *= 2;
	first = malloc(2 * (size_t)size * sizeof(*first));
	next = malloc(((size_t)m + 1) * sizeof(*next));
	if (!first || !next)
		oom();
	memset(first, 0xff, 2 * (size_t)size * sizeof(*first));
	for (uint32_t j = 0; j <= m; j++)
		next[j] = j;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t a = place_of(ends, m, lits[i].lo);
		uint32_t b = place_of(ends, m, (uint32_t)lits[i].hi + 1);	/* pieces a..b-1 */
		uint32_t best = UINT32_MAX;

		for (uint32_t l = a + size, r = b + size; l < r; l /= 2, r /= 2) {
			if (l & 1)
				best = first[l] < best ? first[l] : best;
			if (r & 1)
				best = first[r - 1] < best ? first[r - 1] : best;
			l += l & 1;
			r -= r & 1;
		}
		if (best != UINT32_MAX)
			lit_written_before(c, &lits[best], &lits[i]);
		/* the pieces no literal held before are this one's */
		for (uint32_t j = a;;) {
			uint32_t root = j, t;

			while (next[root] != root)
				root = next[root];
			while (next[j] != root) {	/* shorten the path walked */
				t = next[j];
				next[j] = root;
				j = t;
			}
			if (root >= b)
				break;
			for (uint32_t x = root + size; x && first[x] > i; x /= 2)
				first[x] = i;
			next[root] = root + 1;
			j = root + 1;
		}
	}
	free(ends);
	free(first);
	free(next);
}

/* --- comments ------------------------------------------------------------------------- */

/* English words that are also service names: never read as one. */
static const char *const common_words[] = {
	"about", "access", "admin", "agent", "alarm", "allow", "any", "apps",
	"audit", "auth", "backup", "base", "beacon", "bootstrap", "chat",
	"clock", "cluster", "conference", "connect", "control", "copy",
	"courier", "daytime", "deny", "device", "direct", "discard", "display",
	"domain", "down", "echo", "event", "exec", "file", "finger", "gateway",
	"grid", "hello", "help", "hosts", "http", "https", "image", "internal",
	"invoke", "item", "library", "light", "link", "listen", "local",
	"login", "mail", "manager", "master", "meter", "monitor", "name", "nas",
	"netnews", "network", "news", "node", "notify", "office", "open",
	"ping", "policy", "press", "printer", "profile", "proxy", "public",
	"push", "queue", "radio", "radius", "relay", "remote", "route",
	"router", "scanner", "search", "secure", "send", "server", "service",
	"set", "shell", "signal", "socks", "status", "sync", "talk", "tcp",
	"telnet", "tempo", "time", "timed", "track", "trap", "tunnel", "udp",
	"update", "users", "video", "vpn", "web", "who", "www",
};

static bool common_word(const char *w)
{
	for (size_t i = 0; i < sizeof(common_words) / sizeof(*common_words); i++)
		if (strcasecmp(common_words[i], w) == 0)
			return true;
	return false;
}

static bool mentions_number(const char *s, uint16_t port)
{
	char num[8];
	size_t len = (size_t)snprintf(num, sizeof(num), "%u", port);

	for (const char *p = s; (p = strstr(p, num)); p++)
		if ((p == s || p[-1] < '0' || p[-1] > '9') &&
		    (p[len] < '0' || p[len] > '9'))
			return true;
	return false;
}

/* Whether a service assigned on the match's first port is named like W
 * ("docker-s" for "docker", "imaps" for "imap"). */
static bool port_named_like(const struct registry *reg, const struct port_match *m,
			    const char *w)
{
	size_t len = strlen(w);

	for (int p = 0; p < REG_NPROTO; p++) {
		struct reg_answer a;

		if (!(reg_protos(m->protos) & (1u << p)))
			continue;
		registry_query(reg, m->ports.r[0].lo, (enum reg_proto)p, &a);
		for (size_t i = 0; i < a.nrecs; i++)
			if (reg->records[a.recs[i]].kind == REG_CLASS_ASSIGNED &&
			    strncasecmp(registry_str(reg, reg->records[a.recs[i]].name), w, len) == 0)
				return true;
	}
	return false;
}

/* What is known of W, a word of LEN (2 < LEN < WORD_MAX) bytes. */
static const struct word_slot *find_word(struct ctx *c, const char *w, size_t len)
{
	struct word_slot *s;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	/* made with the first comment: many rulesets have none */
	if (!c->words) {
		c->words = calloc(WORD_SLOTS, sizeof(*c->words));
		if (!c->words)
			oom();
	}
	s = &c->words[h % WORD_SLOTS];
	if (strcmp(s->w, w)) {
		size_t first;

		s->n = (uint32_t)registry_find_name(c->reg, w, &first);
		s->first = (uint32_t)first;
		/* a word the registry lacks names nothing (most words in
		 * comments): the ninety compares are left out */
		s->common = s->n && common_word(w);
		memcpy(s->w, w, len + 1);
	}
	return s;
}

/* "123", "6000-6063", "591, 8008 and 8080": the ports the records
 * BY_NAME[FIRST..FIRST+N) assign, each once, in order. */
static void name_ports(const struct registry *reg, size_t first, size_t n,
		       char *buf, size_t size)
{
	struct portrange pr[6];
	size_t np = 0, o = 0;
	bool more = false;

	for (size_t i = first; i < first + n; i++) {
		const struct reg_record *rr = &reg->records[reg->by_name[i]];
		size_t k;

		if (!(rr->flags & REG_F_HAS_PORT) || rr->kind != REG_CLASS_ASSIGNED)
			continue;
		for (k = 0; k < np && (pr[k].lo != rr->lo || pr[k].hi != rr->hi); k++)
			;
		if (k < np)
			continue;
		if (np == sizeof(pr) / sizeof(*pr)) {
			more = true;
			continue;
		}
		for (k = np++; k > 0 && pr[k - 1].lo > rr->lo; k--)
			pr[k] = pr[k - 1];
		pr[k] = (struct portrange){ rr->lo, rr->hi };
	}
	buf[0] = '\0';
	for (size_t k = 0; k < np; k++) {
		char x[16];

		o += strfmt(buf + o, size > o ? size - o : 0, "%s%s",
			    !k ? "" : k + 1 == np && !more ? " and " : ", ",
			    range_str(x, pr[k].lo, pr[k].hi));
	}
	if (more)
		strfmt(buf + o, size > o ? size - o : 0, ", ...");
}

static void check_comment(struct ctx *c)
{
	const struct rule *r = c->r;
	const struct port_match *m = NULL;
	const char *s = r->comment;
	char w[WORD_MAX], first_word[WORD_MAX], its_ports[64];
	size_t len = 0, first, n;
	bool covers = false, named = false;
	uint32_t rec = 0;

	if (!s)
		return;
	/* one destination match with ports, on tcp/udp/sctp/dccp */
	for (uint32_t i = 0; i < r->nmatches; i++) {
		if (r->matches[i].field == FIELD_SPORT || r->matches[i].negated)
			continue;
		if (m)
			return;
		m = &r->matches[i];
	}
	if (!m || !m->ports.n || !reg_protos(m->protos))
		return;
	/* a range is a service's data, media or relay ports ("ftp passive",
	 * "TURN relay ports", "RTP for sip"), not the port it is known by */
	for (uint32_t k = 0; k < m->ports.n; k++)
		if (m->ports.r[k].hi != m->ports.r[k].lo)
			return;
	/* the first word is the comment's label ("ssh from the office"): it
	 * alone may accuse; any word naming the port, or a service of the
	 * port ("docker" for docker-s), clears the rule */
	for (bool label = true; *s; label = false) {
		const struct word_slot *ws;
		bool this_named = false;

		len = 0;
		while (*s && !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			s++;
		while (*s && ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			      (*s >= '0' && *s <= '9') || *s == '-')) {
			if (len + 1 < sizeof(w))
				w[len++] = *s;
			s++;
		}
		w[len] = '\0';
		if (len < 3 || len + 1 >= sizeof(w))
			continue;
		ws = find_word(c, w, len);
		first = ws->first;
		n = ws->n;
		for (size_t i = first; i < first + n; i++) {
			const struct reg_record *rr = &c->reg->records[c->reg->by_name[i]];

			if (!(rr->flags & REG_F_HAS_PORT) || rr->kind != REG_CLASS_ASSIGNED)
				continue;
			this_named = true;
			for (uint32_t k = 0; k < m->ports.n; k++)
				covers |= rr->lo <= m->ports.r[k].hi && m->ports.r[k].lo <= rr->hi;
			/* "web UI" on a dnat rule: the comment may name the target */
			for (uint32_t k = 0; r->nat && k < r->nat->ports.n; k++)
				covers |= rr->lo <= r->nat->ports.r[k].hi &&
					  r->nat->ports.r[k].lo <= rr->hi;
		}
		covers |= this_named && port_named_like(c->reg, m, w);
		if (this_named && label && !ws->common) {
			named = true;
			rec = c->reg->by_name[first];
			for (size_t i = first; i < first + n; i++) {
				const struct reg_record *rr = &c->reg->records[c->reg->by_name[i]];

				if ((rr->flags & REG_F_HAS_PORT) && rr->kind == REG_CLASS_ASSIGNED) {
					rec = c->reg->by_name[i];
					break;
				}
			}
			name_ports(c->reg, first, n, its_ports, sizeof(its_ports));
			memcpy(first_word, w, len + 1);
		}
		if (covers)
			return;
	}
	if (!named || covers || mentions_number(r->comment, m->ports.r[0].lo))
		return;
	add(c, CHK_COMMENT_MISMATCH, &m->loc, m->ports.r[0].lo, m->ports.r[0].hi, -1,
	    &rec, 1, "the comment says '%s' but the port is %u (%s is %s)", first_word,
	    m->ports.r[0].lo, first_word, its_ports);
}

/* --- a rule ------------------------------------------------------------------------------ */

static const struct set *match_set(const struct ctx *c, const struct port_match *m)
{
	return m->set && m->source != SRC_IPSET ? table_find_set(c->t, m->set) : NULL;
}

struct lit_ref {
	uint16_t lo, hi;
	uint32_t i;
};

static int cmp_lit_ref(const void *a, const void *b)
{
	const struct lit_ref *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi > y->hi ? -1 : 1;	/* the wider first */
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Marks in COVERED[0..N) the literals whose ports another literal of the
 * same set or list already holds: a later copy of an element ("{ 60000,
 * 22, 60000 }"), or a port inside a range of it ("{ 60010-60020, 60015 }").
 * Their ports are judged once, with the literal that holds them; the copy
 * itself is set-duplicate's or set-overlap's business.
 */
static void covered_lits(const struct port_lit *lits, uint32_t n, bool *covered)
{
	struct lit_ref small[32], *r = n <= 32 ? small : malloc(n * sizeof(*r));
	uint32_t k = 0;
	int32_t hi = -1;

	if (!r)
		oom();
	for (uint32_t i = 0; i < n; i++) {
		covered[i] = false;
		if (lits[i].lo <= lits[i].hi)
			r[k++] = (struct lit_ref){ lits[i].lo, lits[i].hi, i };
	}
	qsort(r, k, sizeof(*r), cmp_lit_ref);
	/* in that order, a literal is held by one before it iff one
	 * before it reaches as far */
	for (uint32_t j = 0; j < k; j++) {
		if ((int32_t)r[j].hi <= hi)
			covered[r[j].i] = true;
		else
			hi = r[j].hi;
	}
	if (r != small)
		free(r);
}

/* Whether port matches A and B stand for one value the rule compares
 * twice: "tcp dport >= 1024 tcp dport <= 2000".  Not the matches a
 * concatenation with a protocol became (rule_split_protos()): those are
 * alternatives. */
static bool conjoined(const struct port_match *a, const struct port_match *b)
{
	return a != b && !a->proto_comp && !b->proto_comp &&
	       a->field == b->field && a->field != FIELD_PORT &&
	       a->protos == b->protos && !b->negated &&
	       (b->kind == MATCH_VALUE || b->kind == MATCH_SET) && b->source != SRC_CT &&
	       (a->source == SRC_CT) == (b->source == SRC_CT);
}

/* Whether a port of PS is in C->clip (both sorted). */
static bool clip_meets(const struct ctx *c, const struct portset *ps)
{
	uint32_t a = 0, b = 0;

	while (a < c->nclip && b < ps->n) {
		if (c->clip[a].hi < ps->r[b].lo)
			a++;
		else if (ps->r[b].hi < c->clip[a].lo)
			b++;
		else
			return true;
	}
	return false;
}

/* Whether no match after M in the rule is conjoined() with it. */
static bool last_conjoined(const struct ctx *c, const struct port_match *m)
{
	for (const struct port_match *o = m + 1; o < c->r->matches + c->r->nmatches; o++)
		if (conjoined(m, o))
			return false;
	return true;
}

/* Room for WANT pieces in C->clip and C->clip_tmp; C->clip is kept. */
static void clip_room(struct ctx *c, size_t want)
{
	c->clip = grow_array(c->clip, &c->aclip, want, sizeof(*c->clip));
	c->clip_tmp = grow_array(c->clip_tmp, &c->aclip_tmp, want, sizeof(*c->clip_tmp));
}

/*
 * The ports the rule's other matches on M's field and protocols let
 * through, into C->clip: a rule's matches are a conjunction, and "tcp dport
 * >= 1024 tcp dport <= 2000" opens 1024-2000, not 1024-65535 nor 0-2000.
 * False when no other match has a say.
 */
static bool conj_ports(struct ctx *c, const struct port_match *m)
{
	bool any = false;

	for (uint32_t i = 0; i < c->r->nmatches; i++) {
		const struct port_match *o = &c->r->matches[i];
		uint32_t n = 0, a = 0, b = 0;

		if (!conjoined(m, o))
			continue;
		if (!any) {
			clip_room(c, o->ports.n);
			if (o->ports.n)	/* an empty one leaves no port at all */
				memcpy(c->clip, o->ports.r, o->ports.n * sizeof(*c->clip));
			c->nclip = o->ports.n;
			any = true;
			continue;
		}
		/* two sorted lists: each piece of the intersection ends
		 * where a piece of one of them does */
		clip_room(c, c->nclip + o->ports.n);
		while (a < c->nclip && b < o->ports.n) {
			uint16_t lo = c->clip[a].lo > o->ports.r[b].lo ? c->clip[a].lo : o->ports.r[b].lo;
			uint16_t hi = c->clip[a].hi < o->ports.r[b].hi ? c->clip[a].hi : o->ports.r[b].hi;

			if (lo <= hi)
				c->clip_tmp[n++] = (struct portrange){ lo, hi };
			if (c->clip[a].hi < o->ports.r[b].hi)
				a++;
			else
				b++;
		}
		if (n)
			memcpy(c->clip, c->clip_tmp, n * sizeof(*c->clip));
		c->nclip = n;
	}
	return any;
}

/* check_value() of LO-HI where the rule's other matches let it through
 * (CLIP, from conj_ports()), piece by piece; of all of it without. */
static void check_clipped(struct ctx *c, uint16_t lo, uint16_t hi, unsigned protos,
			  const struct loc *loc, bool clip)
{
	if (!clip) {
		check_value(c, lo, hi, protos, loc, false);
		return;
	}
	for (uint32_t k = 0; k < c->nclip; k++) {
		uint16_t a = c->clip[k].lo > lo ? c->clip[k].lo : lo;
		uint16_t b = c->clip[k].hi < hi ? c->clip[k].hi : hi;

		if (a <= b)
			check_value(c, a, b, protos, loc, false);
	}
}

static void check_match(struct ctx *c, const struct port_match *m)
{
	const struct port_lit *lits = m->lits;
	uint32_t nlits = m->nlits;
	const struct set *s = match_set(c, m);
	bool dport = m->field != FIELD_SPORT, clip;

	if (s && !nlits)
		lits = set_comp_lits(s, m->set_comp, &nlits);
	for (uint32_t i = 0; i < nlits; i++)
		check_name(c, &lits[i], m->protos);
	/* a named set is checked once, below (a match split by the
	 * protocols of its elements holds copies of them); in a
	 * concatenation the same port comes back with other addresses */
	if (lits == m->lits && m->kind != MATCH_CONCAT && !m->set)
		check_lits(c, lits, nlits);
	for (uint32_t i = 0; i < nlits; i++)
		if (lits[i].lo > lits[i].hi)	/* kept by a loader that takes it (iptables' udp) */
			add(c, CHK_PORT_INVALID, &lits[i].loc, lits[i].hi, lits[i].lo, -1,
			    NULL, 0, "the range %u-%u is reversed: it matches no port",
			    lits[i].lo, lits[i].hi);
	clip = !m->negated && conj_ports(c, m);
	if (clip && m->ports.n && !clip_meets(c, &m->ports) && last_conjoined(c, m))
		add(c, CHK_PORT_INVALID, &m->loc, m->ports.r[0].lo,
		    m->ports.r[m->ports.n - 1].hi, -1, NULL, 0,
		    "no port passes both this match and the rule's other %s matches: the rule matches no packet",
		    m->field == FIELD_SPORT ? "sport" : "dport");
	if (!dport || m->negated)
		return;
	if (nlits) {
		bool admits = c->admits, *covered = NULL;

		/* a port written again, or inside a range of the same set or
		 * list, is judged with the literal that holds it; not in a
		 * concatenation, where it comes with other addresses, nor in
		 * a verdict map, where each element has its own verdict (add()
		 * still says a port once per rule and check) */
		if (nlits > 1 && m->kind != MATCH_CONCAT && m->kind != MATCH_VMAP) {
			if (lits != c->cov_lits || nlits != c->cov_n) {
				if (nlits > c->cov_a) {
					c->cov_a = nlits > 64 ? nlits : 64;
					free(c->cov);
					c->cov = malloc(c->cov_a * sizeof(*c->cov));
					if (!c->cov)
						oom();
				}
				covered_lits(lits, nlits, c->cov);
				c->cov_lits = lits;
				c->cov_n = nlits;
			}
			covered = c->cov;
		}
		for (uint32_t i = 0; i < nlits; i++) {
			if (lits[i].lo > lits[i].hi || (covered && covered[i]))
				continue;
			/* a verdict map: each element lets in by its own verdict */
			if (m->kind == MATCH_VMAP)
				c->admits = verdict_admits((enum verdict)lits[i].verdict) &&
					    (!lits[i].target ||
					     named_target_accepts(c->walk, lits[i].target));
			c->lit = &lits[i];
			check_clipped(c, lits[i].lo, lits[i].hi, m->protos, &lits[i].loc, clip);
			c->lit = NULL;
		}
		c->admits = admits;
		return;
	}
	/* Ports with no literal of their own, written once: a mask's (an
	 * ipset's were each written in its file, and are checked so). */
	if (m->ports.n > SPREAD_MIN && !(m->protos & L4_ANY) && m->source != SRC_IPSET) {
		for (int p = 0; p < REG_NPROTO; p++)
			if (reg_protos(m->protos) & (1u << p))
				check_range(c, m->ports.r, m->ports.n, p, &m->loc, false);
		return;
	}
	for (uint32_t i = 0; i < m->ports.n; i++)
		check_clipped(c, m->ports.r[i].lo, m->ports.r[i].hi, m->protos, &m->loc, clip);
}

static void check_nat(struct ctx *c, const struct nat_target *n)
{
	/* the protocols the rule is limited to, or those of its port
	 * matches; with neither, tcp and udp */
	unsigned l4 = c->r->l4;

	for (uint32_t i = 0; !l4 && i < c->r->nmatches; i++)
		l4 |= c->r->matches[i].protos;
	if (!l4 || (l4 & L4_ANY))
		l4 = L4_TCP | L4_UDP;
	for (uint32_t i = 0; i < n->nlits; i++)
		check_value(c, n->lits[i].lo, n->lits[i].hi, l4, &n->lits[i].loc, true);
	if (!n->nlits)
		for (uint32_t i = 0; i < n->ports.n; i++)
			check_value(c, n->ports.r[i].lo, n->ports.r[i].hi, l4, &n->loc, true);
}

/* "tcp" or "tcp or udp" for the protocols with ports in BITS (enum l4). */
static const char *protos_str(char *buf, size_t size, unsigned bits)
{
	size_t o = 0;

	buf[0] = '\0';
	for (unsigned b = 1; b & L4_PORTS; b <<= 1) {
		int w;

		if (!(bits & b))
			continue;
		w = snprintf(buf + o, size - o, "%s%s", o ? " or " : "", l4_name(b));
		if (w < 0 || (size_t)w >= size - o)
			break;
		o += (size_t)w;
	}
	return buf;
}

/*
 * A header field of a protocol the rule's other matches exclude: "tcp
 * dport 22 meta l4proto udp", "sctp sport 993 meta l4proto tcp th dport
 * 80" load, and match no packet (the field's own protocol is a condition
 * too).  Said once, at the first such match; true if so.
 */
static bool check_protocols(struct ctx *c)
{
	const struct rule *r = c->r;

	if (!(r->l4 & L4_PORTS))
		return false;
	for (uint32_t i = 0; i < r->nmatches; i++) {
		const struct port_match *m = &r->matches[i];
		char want[64], has[64];

		if (m->source != SRC_PAYLOAD || (m->protos & L4_ANY) ||
		    !(m->protos & L4_PORTS) || (m->protos & r->l4))
			continue;
		add(c, CHK_PORT_INVALID, &m->loc, m->ports.n ? m->ports.r[0].lo : 0,
		    m->ports.n ? m->ports.r[m->ports.n - 1].hi : 65535, -1, NULL, 0,
		    "this %s match needs protocol %s, which the rule's other matches exclude (they allow %s): the rule matches no packet",
		    m->field == FIELD_SPORT ? "sport" : "dport",
		    protos_str(want, sizeof(want), m->protos),
		    protos_str(has, sizeof(has), r->l4 & L4_PORTS));
		return true;
	}
	return false;
}

static void check_rule(struct ctx *c)
{
	if (check_protocols(c))
		return;		/* nothing it matches is opened */
	for (uint32_t i = 0; i < c->r->nmatches; i++)
		check_match(c, &c->r->matches[i]);
	if (c->r->nat)
		check_nat(c, c->r->nat);
	check_comment(c);
}

/* --- suppressions --------------------------------------------------------------------------- */

/* Whether TEXT says "portolan: disable=..." naming CHECK (or "all"). */
static bool disables(const char *text, size_t len, const char *check)
{
	const char *end = text + len, *p = text;
	size_t clen = strlen(check);

	while ((p = memmem(p, (size_t)(end - p), "portolan:", 9))) {
		p += 9;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 8 || memcmp(p, "disable=", 8))
			continue;
		p += 8;
		for (;;) {
			size_t n = 0;

			while (p + n < end && (p[n] == '-' || (p[n] >= 'a' && p[n] <= 'z')))
				n++;
			if ((n == clen && memcmp(p, check, n) == 0) ||
			    (n == 3 && memcmp(p, "all", 3) == 0))
				return true;
			p += n;
			if (p >= end || *p != ',')
				break;
			p++;
		}
	}
	return false;
}

/* Whether the line holds nothing but a comment. */
static bool comment_only(const char *t, size_t len)
{
	size_t i = 0;

	while (i < len && (t[i] == ' ' || t[i] == '\t'))
		i++;
	return i < len && t[i] == '#';
}

/* Whether the rule says what it is for: a comment of its own (nft's
 * comment "...", iptables' --comment, also one nft -j does not show)
 * that is not only a directive. */
static bool rule_commented(struct ctx *c)
{
	const char *s = c->r->comment;

	return (s && *s && !strstr(s, "portolan:")) || c->r->comment_hidden;
}

static bool suppressed(struct lines *ls, const struct finding *f)
{
	const char *id = check_defs[f->check].id;
	const struct loc *where[2] = { &f->loc, f->rule ? &f->rule->loc : NULL };
	const char *t;
	size_t len;

	if (f->rule && f->rule->comment &&
	    disables(f->rule->comment, strlen(f->rule->comment), id))
		return true;
	for (int k = 0; k < 2; k++) {
		if (!where[k] || !where[k]->line)
			continue;
		/* on the line, or on a comment line right before it */
		t = lines_get(ls, where[k]->file, where[k]->line, &len);
		if (t && disables(t, len, id))
			return true;
		t = where[k]->line > 1 ? lines_get(ls, where[k]->file,
						   where[k]->line - 1, &len) : NULL;
		if (t && comment_only(t, len) && disables(t, len, id))
			return true;
	}
	return false;
}

/* --- the whole ruleset ---------------------------------------------------------------------- */

static int cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	if (x->loc.file != y->loc.file)
		return x->loc.file < y->loc.file ? -1 : 1;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if (x->loc.col != y->loc.col)
		return x->loc.col < y->loc.col ? -1 : 1;
	if (x->check != y->check)
		return x->check < y->check ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	return strcmp(x->message, y->message);
}

/*
 * Merges the sorted runs [LO, MID) and [MID, HI) of F in place.  Only
 * what must move is moved: the later run's findings that go before the
 * end of the earlier one are held aside in *TMP, and merged in from the
 * back.  Equal findings keep their order.
 */
static void merge_runs(struct finding *f, size_t lo, size_t mid, size_t hi,
		       struct finding **tmp, size_t *atmp)
{
	size_t i = mid, k;

	while (hi > mid && cmp_finding(&f[hi - 1], &f[mid - 1]) >= 0)
		hi--;
	if (hi == mid)
		return;
	if (hi - mid > *atmp) {
		*atmp = hi - mid;
		free(*tmp);
		*tmp = malloc(*atmp * sizeof(**tmp));
		if (!*tmp)
			oom();
	}
	memcpy(*tmp, f + mid, (hi - mid) * sizeof(*f));
	for (k = hi - mid; k > 0; ) {
		if (i > lo && cmp_finding(&f[i - 1], &(*tmp)[k - 1]) > 0)
			f[--hi] = f[--i];
		else
			f[--hi] = (*tmp)[--k];
	}
}

/*
 * Sorts F.  Findings come in file order but for a few runs (a table
 * after another table's included files): the runs are merged, pairwise,
 * instead of sorting everything again.
 */
static void sort_findings(struct finding *f, size_t n)
{
	struct finding *tmp = NULL;
	size_t atmp = 0, *runs, nruns = 0, sorted = 1;

	while (sorted < n && cmp_finding(&f[sorted - 1], &f[sorted]) <= 0)
		sorted++;
	if (sorted >= n)
		return;		/* in order already, as mostly */
	runs = malloc((n + 1) * sizeof(*runs));
	if (!runs)
		oom();
	/* runs[k] is where run k starts; runs[nruns] is the end; the
	 * first run, up to SORTED, is known */
	runs[nruns++] = 0;
	for (size_t i = sorted; i < n; i++)
		if (cmp_finding(&f[i - 1], &f[i]) > 0)
			runs[nruns++] = i;
	runs[nruns] = n;
	while (nruns > 1) {
		size_t k, m = 0;

		for (k = 0; k + 1 < nruns; k += 2) {
			merge_runs(f, runs[k], runs[k + 1], runs[k + 2], &tmp, &atmp);
			runs[m++] = runs[k];
		}
		if (k < nruns)
			runs[m++] = runs[k];
		runs[m] = n;
		nruns = m;
	}
	free(runs);
	free(tmp);
}

void lint_options_init(struct lint_options *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < CHK_COUNT; i++)
		o->severity[i] = check_defs[i].severity;
}

void lint_ruleset(const struct ruleset *rs, const struct registry *reg,
		  const struct lint_options *o, struct lint_result *out)
{
	struct ctx c = { .rs = rs, .reg = reg, .o = o, .out = out };
	size_t from = out->n;
	struct lines *ls = lines_new(rs);

	for (uint32_t ti = 0; ti < rs->ntables; ti++) {
		const struct table *t = rs->tables[ti];
		struct chain_walk walk;
		const struct chain_dir *dirs;
		const uint32_t *jumps;

		chain_dirs(&walk, t);
		dirs = walk.d;
		jumps = walk.jumps;
		c.t = t;
		c.walk = &walk;
		for (uint32_t ci = 0; ci < t->nchains; ci++) {
			const struct chain *ch = t->chains[ci];

			c.dirs = dirs[ci].dirs;
			for (uint32_t ri = 0; ri < ch->nrules; ri++) {
				c.r = ch->rules[ri];
				c.ri = ri;
				c.admits = rule_admits(c.r) &&
					   target_accepts(dirs, jumps[dirs[ci].rule0 + ri]);
				c.established = rule_established(c.r);
				c.commented = rule_commented(&c);
				check_rule(&c);
			}
		}
		/* named sets: their elements as written, once */
		c.r = NULL;
		for (uint32_t si = 0; si < t->nsets; si++)
			if (!t->sets[si]->key || !strchr(t->sets[si]->key, '.'))
				check_lits(&c, t->sets[si]->lits, t->sets[si]->nlits);
		c.walk = NULL;
		chain_walk_free(&walk);
	}
	sort_findings(out->f + from, out->n - from);
	/* most rulesets say "portolan:" nowhere: then nothing is suppressed */
	for (uint32_t i = 1; i < rs->nfiles; i++) {
		if (!rs->files[i].text ||
		    !memmem(rs->files[i].text, rs->files[i].len, "portolan:", 9))
			continue;
		for (size_t k = from; k < out->n; k++)
			out->f[k].suppressed = suppressed(ls, &out->f[k]);
		break;
	}
	free(c.words);
	free(c.cov);
	free(c.clip);
	free(c.clip_tmp);
	free(c.said);
	lines_free(ls);
}

void lint_result_free(struct lint_result *r)
{
	arena_release(&r->arena);
	free(r->f);
	memset(r, 0, sizeof(*r));
}
