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

#include "jumps.h"

#define JUMP_LEVELS 16	/* a chain entered this deep is refused */

/* A walk over a graph, with room for every chain. */
struct jwalk {
	const struct jump_graph *g;
	uint32_t nchains;
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

void jump_graph_init(struct jump_graph *g, const struct table *t)
{
	memset(g, 0, sizeof(*g));
	g->t = t;
	g->first = xcalloc((size_t)t->nchains + 1, sizeof(*g->first));
}

void jump_graph_add(struct jump_graph *g, const struct chain *to,
		    const struct rule *r)
{
	g->edges = grow_array(g->edges, &g->aedges, g->nedges + 1, sizeof(*g->edges));
	g->edges[g->nedges++] = (struct jump_edge){
		.to = to->index, .seq = r->seq, .r = r,
	};
}

/*
 * Whether the jumps of rules read up to SEQ (all: UINT32_MAX) take a walk
 * from a base chain JUMP_LEVELS deep.  If so, and PATH is given, the
 * chains of such a walk into PATH (the base chain first; a loop ends with
 * the chain it returns to) and their number into *NPATH.
 */
static bool too_deep(struct jwalk *w, uint32_t seq, uint32_t *path,
		     uint32_t *npath)
{
	const struct jump_graph *g = w->g;

	memset(w->color, 0, w->nchains * sizeof(*w->color));
	for (uint32_t b = 0; b < w->nchains; b++) {
		uint32_t sp = 0;

		if (g->t->chains[b]->hook == HOOK_NONE || w->color[b])
			continue;
		w->stack[sp++] = (struct jframe){ b, g->first[b] };
		w->color[b] = 1;
		w->height[b] = 0;
		while (sp) {
			struct jframe *fr = &w->stack[sp - 1];
			const struct jump_edge *e;

			if (fr->e == g->first[fr->v + 1]) {
				/* done: its height is known, and its caller's grows */
				w->color[fr->v] = 2;
				if (--sp && w->height[fr->v] + 1 > w->height[w->stack[sp - 1].v])
					w->height[w->stack[sp - 1].v] = w->height[fr->v] + 1;
				continue;
			}
			e = &g->edges[fr->e++];
			if (e->seq > seq)
				continue;
			if (w->color[e->to] == 1 || sp == JUMP_LEVELS) {
				/* a loop, or as deep as the kernel goes */
				if (path) {
					for (uint32_t k = 0; k < sp; k++)
						path[k] = w->stack[k].v;
					path[sp] = e->to;
					*npath = sp + 1;
				}
				return true;
			}
			if (w->color[e->to] == 2) {
				if (w->height[e->to] + 1 > w->height[fr->v])
					w->height[fr->v] = w->height[e->to] + 1;
				if (sp + w->height[e->to] < JUMP_LEVELS)
					continue;
				/* deep enough below: walk it again on this path */
			}
			w->color[e->to] = 1;
			w->height[e->to] = 0;
			w->stack[sp++] = (struct jframe){ e->to, g->first[e->to] };
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
static const struct rule *rule_of(const struct jump_graph *g, uint32_t seq)
{
	for (size_t k = 0; k < g->nedges; k++)
		if (g->edges[k].seq == seq)
			return g->edges[k].r;
	return NULL;
}

static void report(struct ruleset *rs, const struct jump_graph *g, const struct rule *r,
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
void jump_graph_check(struct ruleset *rs, struct jump_graph *g)
{
	const struct table *t = g->t;
	struct jwalk w = { .g = g, .nchains = t->nchains };
	uint32_t *seqs = NULL, n = 0, lo, hi, npath = 0, *path;

	g->first[t->nchains] = (uint32_t)g->nedges;
	if (!g->nedges)
		goto out;
	w.color = xcalloc(t->nchains, sizeof(*w.color));
	w.height = xcalloc(t->nchains, sizeof(*w.height));
	w.stack = xcalloc(t->nchains, sizeof(*w.stack));
	if (!too_deep(&w, UINT32_MAX, NULL, NULL))
		goto out;
	seqs = xcalloc(g->nedges, sizeof(*seqs));
	for (size_t k = 0; k < g->nedges; k++)
		seqs[k] = g->edges[k].seq;
	qsort(seqs, g->nedges, sizeof(*seqs), cmp_u32);
	for (size_t k = 0; k < g->nedges; k++)
		if (!n || seqs[n - 1] != seqs[k])
			seqs[n++] = seqs[k];
	lo = 0;
	hi = n - 1;	/* too deep with every rule up to seqs[hi] */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (too_deep(&w, seqs[mid], NULL, NULL))
			hi = mid;
		else
			lo = mid + 1;
	}
	path = xcalloc(JUMP_LEVELS + 1, sizeof(*path));
	too_deep(&w, seqs[hi], path, &npath);
	report(rs, g, rule_of(g, seqs[hi]), path, npath);
	free(path);
out:
	free(seqs);
	free(w.color);
	free(w.height);
	free(w.stack);
}

void jump_graph_release(struct jump_graph *g)
{
	free(g->first);
	free(g->edges);
	memset(g, 0, sizeof(*g));
}
