/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ruleset model: one shape for every reader (nft text, nft JSON,
 * iptables, the kernel).  A check never knows which reader made a rule.
 *
 * Ownership: a struct ruleset owns an arena holding every node and string
 * below it, and the text of every source file it read; ruleset_free()
 * releases all of it.  Pointers between nodes never leave the ruleset.
 */
#ifndef PORTOLAN_RULESET_H
#define PORTOLAN_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "nameidx.h"

/* A span in a source file: line and columns are 1-based, col_end inclusive. */
struct loc {
	uint32_t file;		/* index into ruleset->files; 0: no source */
	uint32_t line;
	uint32_t col, col_end;
};

struct source_file {
	const char *name;	/* as given or found ("rules/x.nft") */
	const char *text;	/* NUL-terminated */
	size_t len;
};

enum diag_level {
	DIAG_NOTE,
	DIAG_WARNING,
	DIAG_ERROR,
};

struct diag {
	uint8_t level;		/* enum diag_level */
	struct loc loc;
	const char *msg;
	struct diag *next;
};

enum family {
	FAM_IP,
	FAM_IP6,
	FAM_INET,
	FAM_ARP,
	FAM_BRIDGE,
	FAM_NETDEV,
};

/* Transport protocols a port match applies to (bits). */
enum l4 {
	L4_TCP		= 1u << 0,
	L4_UDP		= 1u << 1,
	L4_SCTP		= 1u << 2,
	L4_DCCP		= 1u << 3,
	L4_UDPLITE	= 1u << 4,
	L4_PORTS	= 0x1fu,	/* every protocol above: those with ports */
	L4_ANY		= 1u << 7,	/* "th" with no protocol constraint */
};

enum port_field {
	FIELD_DPORT,
	FIELD_SPORT,
	FIELD_PORT,		/* either direction (iptables multiport --ports) */
};

struct portrange {
	uint16_t lo, hi;
};

/* Sorted, merged, non-overlapping intervals (after portset_normalize). */
struct portset {
	struct portrange *r;
	uint32_t n, a;
};

/* How a port literal was written. */
enum lit_kind {
	LIT_NUMBER,
	LIT_SERVICE,		/* a name the registry resolved */
	LIT_SERVICE_DB,		/* a name only the system's services file knew */
};

/* One port value or range as written, where it was written. */
struct port_lit {
	uint16_t lo, hi;
	uint8_t kind;		/* enum lit_kind */
	uint8_t verdict;	/* a verdict map element's (enum verdict) */
	uint8_t proto;		/* the protocol the element pairs the port
				 * with ("tcp . 443" where the key has a meta
				 * l4proto, ip protocol or ip6 nexthdr
				 * component): one enum l4 bit; 0: none, or
				 * not one protocol with ports (a range, icmp) */
	bool commented;		/* a set element's own comment ("30080
				 * comment \"web\"") says what it is for */
	const char *name;	/* the service name, for LIT_SERVICE* */
	const char *target;	/* a verdict map element's jump or goto
				 * chain ("22 : jump ssh_in"); else NULL */
	struct loc loc;
};

enum match_kind {
	MATCH_VALUE,		/* tcp dport 22, { 22, 80 }, 1024-2048, < 1024 */
	MATCH_SET,		/* tcp dport @web */
	MATCH_VMAP,		/* tcp dport vmap { 22 : accept } */
	MATCH_MAP,		/* ... tcp dport map { 80 : 8080 } (a lookup key) */
	MATCH_CONCAT,		/* ip daddr . tcp dport { 10.0.0.1 . 22 } */
};

enum match_source {
	SRC_PAYLOAD,		/* tcp dport, th dport, @th,16,16 */
	SRC_CT,			/* ct original proto-dst */
	SRC_MULTIPORT,		/* iptables -m multiport */
	SRC_IPSET,		/* iptables -m set, ports from an ipset file */
};

struct port_match {
	uint8_t field;		/* enum port_field */
	uint8_t kind;		/* enum match_kind */
	uint8_t source;		/* enum match_source */
	uint8_t protos;		/* enum l4 bits */
	bool negated;		/* != or ! */
	uint8_t set_comp;	/* on a named set or map: which component of
				 * its key this port is ("tcp sport . tcp dport
				 * @s": 0 and 1) */
	uint8_t proto_comp;	/* 1 + the component of the key that gives
				 * this port its protocol ("meta l4proto . th
				 * dport": 1; also "meta l4proto . tcp dport",
				 * whose elements of other protocols never
				 * match); 0: none.  Such a match is split by
				 * rule_split_protos() into one match per
				 * protocol: alternatives, not a conjunction */
	struct portset ports;	/* what the match accepts, before negation */
	struct port_lit *lits;	/* as written, in order */
	uint32_t nlits;
	const char *set;	/* MATCH_SET: the named set */
	struct loc loc;		/* the whole match */
};

enum verdict {
	VERDICT_NONE,
	VERDICT_ACCEPT,
	VERDICT_DROP,
	VERDICT_REJECT,
	VERDICT_JUMP,
	VERDICT_GOTO,
	VERDICT_RETURN,
	VERDICT_CONTINUE,
	VERDICT_QUEUE,
	VERDICT_MAP,		/* decided by a verdict map */
};

/* A NAT, redirect or tproxy target port set, with its literals. */
struct nat_target {
	struct portset ports;
	struct port_lit *lits;
	uint32_t nlits, alits;
	const char *map;	/* ports from this named map's data ("map @fwd") */
	struct loc loc;
};

/*
 * An expression a reader did not understand, kept in place.  TEXT is not
 * NUL-terminated: it is often the source text itself, which the ruleset
 * owns.
 */
struct opaque {
	const char *text;
	uint32_t len;
	struct loc loc;
};

/* ct state bits the rule requires (ct state established,related ...). */
enum ct_state {
	CT_NEW		= 1u << 0,
	CT_ESTABLISHED	= 1u << 1,
	CT_RELATED	= 1u << 2,
	CT_INVALID	= 1u << 3,
	CT_UNTRACKED	= 1u << 4,
};

struct chain;

/* NAT statements a rule has, with or without ports (bits). */
enum nat_kind {
	NAT_DNAT	= 1u << 0,
	NAT_REDIRECT	= 1u << 1,
	NAT_TPROXY	= 1u << 2,
	NAT_SNAT	= 1u << 3,
	NAT_MASQUERADE	= 1u << 4,
};

struct rule {
	struct chain *chain;
	uint32_t index;		/* position in the chain as nft lists it */
	uint8_t verdict;	/* enum verdict */
	uint8_t nat_kinds;	/* enum nat_kind */
	uint8_t l4;		/* enum l4 bits the rule is limited to (meta
				 * l4proto, ip protocol, its header fields,
				 * iptables -p); 0: not limited */
	uint8_t ct_states;	/* enum ct_state; 0: no ct state match */
	bool ct_states_negated;
	bool comment_hidden;	/* a comment the input does not show (nft -j
				 * of iptables-nft's "-m comment") */
	uint8_t ct_l4;		/* enum l4 bits with ports its "ct [original|
				 * reply] protocol" allows; 0: any */
	uint32_t seq;		/* the order rules were read in, all chains
				 * together: the order they are loaded */
	const char *target;	/* jump/goto chain */
	struct port_match *matches;
	uint32_t nmatches, amatches;
	struct nat_target *nat;		/* dnat, redirect, tproxy; or NULL */
	struct nat_target *snat;	/* snat, masquerade; or NULL */
	struct opaque *opaque;
	uint32_t nopaque, aopaque;
	const char *comment;
	struct loc loc;		/* the whole rule */
	uint64_t handle;	/* from the kernel or nft -a; 0 if unknown */
};

enum hook {
	HOOK_NONE,		/* a regular chain */
	HOOK_PREROUTING,
	HOOK_INPUT,
	HOOK_FORWARD,
	HOOK_OUTPUT,
	HOOK_POSTROUTING,
	HOOK_INGRESS,
	HOOK_EGRESS,
};

struct table;

struct chain {
	struct table *table;
	const char *name;
	const char *type;	/* filter, nat, route; NULL for regular chains */
	uint8_t hook;		/* enum hook */
	int32_t priority;
	uint8_t policy;		/* VERDICT_ACCEPT, VERDICT_DROP or NONE */
	uint32_t index;		/* its place in table->chains[] */
	struct rule **rules;	/* in listing order */
	uint32_t nrules, arules;
	struct loc loc;
};

#define SET_MORE_PORTS 3

/* Named sets and maps. */
struct set {
	struct table *table;
	const char *name;
	const char *key;	/* "inet_service", "ipv4_addr . inet_service" */
	const char *data;	/* maps: "verdict", "ipv4_addr . inet_service" */
	bool is_map;
	int8_t proto_field;	/* which component of key is a protocol
				 * (inet_proto, typeof meta l4proto); -1:
				 * none.  Its element values are in lits[].proto */
	uint32_t flags;		/* SET_F_* */
	int port_field;		/* which component of key is a port; -1: none */
	struct portset ports;	/* the port components of every element */
	struct port_lit *lits;
	uint32_t nlits, alits;
	int data_port_field;	/* maps: the port component of the data; -1 */
	struct portset data_ports;
	struct loc loc;
	/* Key port components after the first ("type inet_service .
	 * inet_service"): where each is in the key, its ports, and its
	 * literals element by element, as lits[] holds the first's. */
	int more_port_fields[SET_MORE_PORTS];
	struct portset more_ports[SET_MORE_PORTS];
	struct port_lit *more_lits[SET_MORE_PORTS];
	uint32_t nmore_lits[SET_MORE_PORTS], amore_lits[SET_MORE_PORTS];
	uint32_t nmore_ports;
};

/* The literals of component COMP of S's key, their number in *RET_N: a
 * further port component's, or else the first's (lits[]). */
static inline const struct port_lit *set_comp_lits(const struct set *s,
						   unsigned comp, uint32_t *ret_n)
{
	for (uint32_t k = 0; k < s->nmore_ports; k++) {
		if (s->more_port_fields[k] == (int)comp) {
			*ret_n = s->nmore_lits[k];
			return s->more_lits[k];
		}
	}
	*ret_n = s->nlits;
	return s->lits;
}

/* Whether S is a verdict map ("type inet_service : verdict"): its
 * elements' literals carry their verdicts. */
static inline bool set_is_vmap(const struct set *s)
{
	return s->is_map && s->data && strcmp(s->data, "verdict") == 0;
}

#define SET_F_INTERVAL	(1u << 0)
#define SET_F_CONSTANT	(1u << 1)
#define SET_F_TIMEOUT	(1u << 2)
#define SET_F_DYNAMIC	(1u << 3)

struct table {
	uint8_t family;		/* enum family */
	const char *name;
	struct chain **chains;		/* in the order they were made */
	uint32_t nchains, achains;
	struct set **sets;		/* in the order they were made */
	uint32_t nsets, asets;
	/* chains and sets by name (nameidx.h): private to ruleset.c, kept
	 * by table_chain(), table_set(), table_delete_chain(),
	 * table_delete_set() and table_rename_chain() */
	struct name_index chain_index, set_index;
	struct loc loc;
};

struct ruleset {
	struct arena arena;
	struct source_file *files;	/* files[0] is a placeholder */
	uint32_t nfiles, afiles;
	struct table **tables;
	uint32_t ntables, atables;
	struct diag *diags, **diag_tail;
	uint32_t nerrors, nwarnings;
	uint32_t nread;		/* rules read (struct rule's seq) */
};

struct ruleset *ruleset_new(void);
void ruleset_free(struct ruleset *rs);

/* Adds a source file; takes ownership of TEXT (malloc'd).  Returns its index. */
uint32_t ruleset_add_file(struct ruleset *rs, const char *name, char *text,
			  size_t len);

/* Records a diagnostic; MSG is formatted into the arena. */
void ruleset_diag(struct ruleset *rs, enum diag_level level,
		  const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The diagnostic recorded last, or NULL. */
struct diag *ruleset_last_diag(struct ruleset *rs);
/* Takes D out of RS's diagnostics again (a reader that learnt later that
 * it does not apply): its memory stays in the arena. */
void ruleset_drop_diag(struct ruleset *rs, struct diag *d);

struct table *ruleset_table(struct ruleset *rs, enum family family,
			    const char *name, bool create);
struct chain *table_chain(struct ruleset *rs, struct table *t,
			  const char *name, bool create);
/* The chain NAME of T, or NULL: for readers of a finished model. */
const struct chain *table_find_chain(const struct table *t, const char *name);
/* The set or map NAME of T, or NULL. */
const struct set *table_find_set(const struct table *t, const char *name);
struct set *table_set(struct ruleset *rs, struct table *t, const char *name,
		      bool create);
void ruleset_delete_table(struct ruleset *rs, struct table *t);
void table_delete_chain(struct table *t, struct chain *c);
void table_rename_chain(struct ruleset *rs, struct table *t, struct chain *c,
			const char *name);
void table_delete_set(struct table *t, struct set *s);

/* Appends a new rule to C (or inserts it at POS; -1 appends). */
struct rule *chain_add_rule(struct ruleset *rs, struct chain *c, long pos);
void chain_flush(struct chain *c);

/* The new match is zeroed; its literals are added with match_add_lit(). */
struct port_match *rule_add_match(struct ruleset *rs, struct rule *r);
/*
 * Splits match MI of R, whose literals carry the protocol each is paired
 * with (M->proto_comp), into one match per protocol, in the order tcp,
 * udp, sctp, dccp, udplite, and last the literals paired with no single
 * protocol, which keep M's protocols (the rule's, or "any"): "meta l4proto
 * . th dport { tcp . 443, udp . 53 }" is tcp 443 or udp 53.  Literals of
 * a protocol M cannot have (its own for "tcp dport", else the rule's) are
 * dropped, and a match left with none matches nothing ("meta l4proto udp
 * meta l4proto . th dport { tcp . 22 }").  Negated, one more match, with
 * no ports, holds the allowed protocols no literal names: "meta l4proto .
 * th dport != { tcp . 22 }" also matches udp, sctp ... on any port.  The
 * new matches follow MI; pointers into R->matches are invalidated.
 * Returns how many matches MI became (1: nothing split).
 */
uint32_t rule_split_protos(struct ruleset *rs, struct rule *r, uint32_t mi);
/*
 * "ct protocol tcp ct original proto-dst 80": the protocols CT_L4 (enum l4
 * bits) conntrack's own protocol match allows are those of R's ct port
 * matches (but for concatenations with a protocol component).  Payload
 * matches keep the rule's: an ICMP error belongs to the connection too.
 */
void rule_ct_protos(struct rule *r, unsigned ct_l4);	/* also sets r->ct_l4 */
/*
 * "tcp sport . tcp dport { 0-65535 . 22, 22 . 0-65535 }" is how nft lists
 * iptables' "-m multiport --ports 22": either port is 22.  Every such
 * pair of matches in R (a sport and the dport after it, read from one
 * anonymous set, where each element leaves one side whole and the ports
 * of both sides are the same) becomes one FIELD_PORT match, as the
 * iptables readers give it.  Run once the protocols are final.
 */
void rule_either_ports(struct rule *r);
/* Appends a literal to an array kept in the arena (*lits, *n, *a). */
void lits_add(struct ruleset *rs, struct port_lit **lits, uint32_t *n,
	      uint32_t *a, const struct port_lit *lit);
void rule_add_opaque(struct ruleset *rs, struct rule *r, const char *text,
		     const struct loc *loc);
void rule_add_opaque_n(struct ruleset *rs, struct rule *r, const char *text,
		       size_t len, const struct loc *loc);
/* The same for TEXT in the ruleset's own source text: kept, not copied. */
void rule_add_opaque_src(struct ruleset *rs, struct rule *r, const char *text,
			 size_t len, const struct loc *loc);

/*
 * Sorts and merges every named set's ports (a reader may leave them as
 * added), and gives each match on a named set or map ("tcp dport @web")
 * the ports of that set's elements; a set that does not exist is an error at the match,
 * and so is a jump or goto to a chain that does not exist, and the rule
 * that takes the jumps below a base chain as deep as the kernel refuses (a
 * loop, or 16 levels: jumps.h).  Readers call it once everything is read
 * (sets may come after rules).
 */
void ruleset_resolve_sets(struct ruleset *rs);

/* Port sets: add ranges in any order, then normalize (sort and merge). */
void portset_add(struct ruleset *rs, struct portset *ps, uint16_t lo,
		 uint16_t hi);
void portset_normalize(struct portset *ps);
bool portset_contains(const struct portset *ps, uint16_t port);

/* A bitwise operation on a port before it is compared: "tcp dport & 0xff00". */
struct port_bitop {
	char op;		/* '&', '|' or '^' */
	uint16_t v;
};

#define PORTSET_BITWISE_MAX 256

/*
 * Adds to PS the ports P for which OPS, applied to P in turn, give a value
 * in VALUES (normalized): what nft's "tcp dport & 0xff00 == 0x1000" (or
 * "{ ... }", "< 0x1000", "4096/8") matches.  Returns false, adding
 * nothing, when that takes more than PORTSET_BITWISE_MAX ranges ("&
 * 0x0001 == 1" is every other port): such a match is better kept opaque.
 */
bool portset_add_bitwise(struct ruleset *rs, struct portset *ps,
			 const struct port_bitop *ops, uint32_t nops,
			 const struct portset *values);

const char *family_name(enum family f);
int family_from_name(const char *s);
const char *hook_name(enum hook h);
const char *verdict_name(enum verdict v);
/* The verdict a statement names (NAME, LEN bytes: "accept" ... "queue"),
 * or -1. */
int verdict_from_name(const char *name, size_t len);
/* "tcp", "udp", ... for one L4 bit. */
const char *l4_name(unsigned bit);
/* The place of the first protocol with ports in BITS (enum l4): tcp 0,
 * udp 1, sctp 2, dccp 3, udplite 4, for arrays kept per protocol; -1 if
 * BITS has none. */
static inline int l4_index(unsigned bits)
{
	bits &= L4_PORTS;
	return bits ? __builtin_ctz(bits) : -1;
}

#endif
