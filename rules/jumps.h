/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The jumps of one table as a graph of its chains, and how deep they go
 * below its base chains (jumps.c).  Private to rules/: the graph is built
 * by ruleset_resolve_sets() as it finds the chain of each jump, goto and
 * verdict map element (a lookup by name each, which a ruleset of a
 * million rules should not pay twice), then checked.
 */
#ifndef PORTOLAN_JUMPS_H
#define PORTOLAN_JUMPS_H

#include "ruleset.h"

struct jump_edge {
	uint32_t to;		/* the chain jumped to, by index */
	uint32_t seq;		/* R's: a walk reads no rule */
	const struct rule *r;	/* whose verdict or verdict map it is */
};

/* Built chain by chain, in the order of T's chains: jump_graph_chain()
 * for each, then jump_graph_add() for each of its jumps. */
struct jump_graph {
	const struct table *t;
	uint32_t *first;	/* chain i's edges: edges[first[i] .. first[i + 1]) */
	struct jump_edge *edges;
	size_t nedges, aedges;
};

void jump_graph_init(struct jump_graph *g, const struct table *t);

/* The edges added from now on are chain CI's. */
static inline void jump_graph_chain(struct jump_graph *g, uint32_t ci)
{
	g->first[ci] = (uint32_t)g->nedges;
}

void jump_graph_add(struct jump_graph *g, const struct chain *to,
		    const struct rule *r);

/*
 * The rule that takes the jumps below a base chain of G's table as deep
 * as the kernel refuses (a loop, or 16 levels) is an error.
 */
void jump_graph_check(struct ruleset *rs, struct jump_graph *g);
void jump_graph_release(struct jump_graph *g);

#endif
