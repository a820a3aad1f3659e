/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How deep the jumps below a base chain go.  nf_tables validates a table
 * from each of its base chains, following the jump and goto verdicts of
 * rules and of verdict maps' elements, and refuses the rule that takes it
 * 16 levels deep (NFT_JUMP_STACK_SIZE): a loop a base chain reaches, or a
 * line of 16 jumps.  nft and iptables-nft both say "Could not process
 * rule: Too many links" (EMLINK).  Chains no base chain reaches are not
 * looked at: a loop among them loads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ruleset.h"

#define JUMP_LEVELS 16	/* a chain entered this deep is refused */

struct jedge {
	uint32_t to;		/* the chain jumped to, by index */
	const struct rule *r;	/* whose verdict or verdict map it is */
};

struct jgraph {
	const struct table *t;
	uint32_t nchains;
	uint32_t *first;	/* chain i's edges: edges[first[i] .. first[i + 1]) */
	struct jedge *edges;
	uint32_t nedges;
	/* a walk's */
	uint8_t *color;		/* 0: not seen; 1: on the path; 2: done */
	uint32_t *height;	/* the most jumps below a done chain */
	struct jframe *stack;
};

struct jframe {
	uint32_t v, e;		/* chain, next edge */
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		oom();
	return p;
}

/* The chains R jumps to (its verdict's, its verdict maps'), by name, to FN. */
static void rule_targets(const struct table *t, const struct rule *r,
			 void (*fn)(void *arg, const char *name), void *arg)
{
	if ((r->verdict == VERDICT_JUMP || r->verdict == VERDICT_GOTO) && r->target)
		fn(arg, r->target);
	for (uint32_t mi = 0; mi < r->nmatches; mi++) {
		const struct port_match *m = &r->matches[mi];
		const struct port_lit *lits = m->lits;
		uint32_t n = m->nlits;

		if (m->kind != MATCH_VMAP)
			continue;
		if (m->set) {
			const struct set *s = table_find_set(t, m->set);

			if (!s || !set_is_vmap(s))
				continue;
			lits = s->lits;
			n = s->nlits;
		}
		for (uint32_t k = 0; k < n; k++)
			if (lits[k].target)
				fn(arg, lits[k].target);
	}
}

struct edge_fill {
	struct jgraph *g;
	size_t aedges;
	const struct rule *r;
};

static void add_edge(void *arg, const char *name)
{
	struct edge_fill *f = arg;
	struct jgraph *g = f->g;
	const struct chain *c = table_find_chain(g->t, name);

	if (!c)
		return;	/* reported where jumps are resolved */
	g->edges = grow_array(g->edges, &f->aedges, g->nedges + 1, sizeof(*g->edges));
	g->edges[g->nedges++] = (struct jedge){ .to = c->index, .r = f->r };
}

/* The edges of T's chains, chain by chain, in one pass. */
static void build(struct jgraph *g, const struct table *t)
{
	struct edge_fill f = { .g = g };

	g->t = t;
	g->nchains = t->nchains;
	g->first = xcalloc(t->nchains + 1, sizeof(*g->first));
	for (uint32_t i = 0; i < t->nchains; i++) {
		const struct chain *c = t->chains[i];

		g->first[i] = g->nedges;
		for (uint32_t ri = 0; ri < c->nrules; ri++) {
			f.r = c->rules[ri];
			rule_targets(t, f.r, add_edge, &f);
		}
	}
	g->first[t->nchains] = g->nedges;
	g->color = xcalloc(t->nchains, sizeof(*g->color));
	g->height = xcalloc(t->nchains, sizeof(*g->height));
	g->stack = xcalloc(t->nchains, sizeof(*g->stack));
}

static void release(struct jgraph *g)
{
	free(g->first);
	free(g->edges);
	free(g->color);
	free(g->height);
	free(g->stack);
}

/*
 * Whether the jumps of rules read up to SEQ (all: UINT32_MAX) take a walk
 * from a base chain JUMP_LEVELS deep.  If so, and PATH is given, the
 * chains of such a walk into PATH (the base chain first; a loop ends with
 * the chain it returns to) and their number into *NPATH.
 */
static bool too_deep(struct jgraph *g, uint32_t seq, uint32_t *path,
		     uint32_t *npath)
{
	memset(g->color, 0, g->nchains * sizeof(*g->color));
	for (uint32_t b = 0; b < g->nchains; b++) {
		uint32_t sp = 0;

		if (g->t->chains[b]->hook == HOOK_NONE || g->color[b])
			continue;
		g->stack[sp++] = (struct jframe){ b, g->first[b] };
		g->color[b] = 1;
		g->height[b] = 0;
		while (sp) {
			struct jframe *fr = &g->stack[sp - 1];
			const struct jedge *e;

			if (fr->e == g->first[fr->v + 1]) {
				/* done: its height is known, and its caller's grows */
				g->color[fr->v] = 2;
				if (--sp && g->height[fr->v] + 1 > g->height[g->stack[sp - 1].v])
					g->height[g->stack[sp - 1].v] = g->height[fr->v] + 1;
				continue;
			}
			e = &g->edges[fr->e++];
			if (e->r->seq > seq)
				continue;
			if (g->color[e->to] == 1 || sp == JUMP_LEVELS) {
				/* a loop, or as deep as the kernel goes */
				if (path) {
					for (uint32_t k = 0; k < sp; k++)
						path[k] = g->stack[k].v;
					path[sp] = e->to;
					*npath = sp + 1;
				}
				return true;
			}
			if (g->color[e->to] == 2) {
				if (g->height[e->to] + 1 > g->height[fr->v])
					g->height[fr->v] = g->height[e->to] + 1;
				if (sp + g->height[e->to] < JUMP_LEVELS)
					continue;
				/* deep enough below: walk it again on this path */
			}
			g->color[e->to] = 1;
			g->height[e->to] = 0;
			g->stack[sp++] = (struct jframe){ e->to, g->first[e->to] };
		}
	}
	return false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The rule of the jumps in G whose reading order is SEQ. */
static const struct rule *rule_of(const struct jgraph *g, uint32_t seq)
{
	for (uint32_t k = 0; k < g->nedges; k++)
		if (g->edges[k].r->seq == seq)
			return g->edges[k].r;
	return NULL;
}

static void report(struct ruleset *rs, const struct jgraph *g, const struct rule *r,
		   const uint32_t *path, uint32_t npath)
{
	const struct table *t = g->t;
	bool loop = false;
	char chain[512];
	size_t o = 0;

	for (uint32_t k = 0; k + 1 < npath && !loop; k++)
		loop = path[k] == path[npath - 1];
	/* "in -> a -> b -> a", the middle of a long one left out */
	for (uint32_t k = 0; k < npath && o < sizeof(chain) - 1; k++) {
		int w;

		if (npath > 8 && k == 4) {
			w = snprintf(chain + o, sizeof(chain) - o, " -> ...");
			k = npath - 3;
		} else {
			w = snprintf(chain + o, sizeof(chain) - o, "%s%s", k ? " -> " : "",
				     t->chains[path[k]]->name);
		}
		if (w < 0)
			break;
		o += (size_t)w;
	}
	if (loop)
		ruleset_diag(rs, DIAG_ERROR, &r->loc,
			     "Could not process rule: Too many links: base chain '%s' reaches a loop of jumps (%s), and the kernel refuses the rule that completes it",
			     t->chains[path[0]]->name, chain);
	else
		ruleset_diag(rs, DIAG_ERROR, &r->loc,
			     "Could not process rule: Too many links: base chain '%s' reaches chain '%s' through %u jumps (%s); the kernel allows %d",
			     t->chains[path[0]]->name, t->chains[path[npath - 1]]->name,
			     npath - 1, chain, JUMP_LEVELS - 1);
}

/*
 * The kernel refuses the first rule, in the order it is given them, that
 * makes a walk too deep: found by halving the rules read.
 */
static void check_table(struct ruleset *rs, const struct table *t)
{
	struct jgraph g = { 0 };
	uint32_t *seqs, n = 0, lo, hi, npath = 0, *path;

	build(&g, t);
	if (!g.nedges || !too_deep(&g, UINT32_MAX, NULL, NULL)) {
		release(&g);
		return;
	}
	seqs = xcalloc(g.nedges, sizeof(*seqs));
	for (uint32_t k = 0; k < g.nedges; k++)
		seqs[k] = g.edges[k].r->seq;
	qsort(seqs, g.nedges, sizeof(*seqs), cmp_u32);
	for (uint32_t k = 0; k < g.nedges; k++)
		if (!n || seqs[n - 1] != seqs[k])
			seqs[n++] = seqs[k];
	lo = 0;
	hi = n - 1;	/* too deep with every rule up to seqs[hi] */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (too_deep(&g, seqs[mid], NULL, NULL))
			hi = mid;
		else
			lo = mid + 1;
	}
	path = xcalloc(JUMP_LEVELS + 1, sizeof(*path));
	too_deep(&g, seqs[hi], path, &npath);
	report(rs, &g, rule_of(&g, seqs[hi]), path, npath);
	free(path);
	free(seqs);
	release(&g);
}

void ruleset_check_jumps(struct ruleset *rs)
{
	for (uint32_t ti = 0; ti < rs->ntables; ti++)
		check_table(rs, rs->tables[ti]);
}
