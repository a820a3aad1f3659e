/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One iptables command into the model, with iptables' own rules for what it
 * accepts: options are taken in order, a match's options only once the
 * match is loaded ("-p tcp" loads tcp, "-m multiport" multiport), and a
 * command with an error changes nothing, as iptables-restore rejects the
 * whole line.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decimal.h"
#include "ipt.h"
#include "protocols.h"
#include "services.h"

#define MAX_MODS 32
#define MAX_PORTS 32
#define MULTIPORT_MAX 15

/* --- diagnostics ------------------------------------------------------------ */

static void vdiag(struct ipt_reader *ir, enum diag_level level,
		  const struct loc *loc, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
static void vdiag(struct ipt_reader *ir, enum diag_level level,
		  const struct loc *loc, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	ruleset_diag(ir->rs, level, loc, "%s", msg);
}

void ipt_error(struct ipt_reader *ir, const struct loc *loc, const char *fmt, ...)
{
	va_list ap;

	if (ir->stop)
		return;
	va_start(ap, fmt);
	vdiag(ir, DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
	if (++ir->errors >= ir->max_errors) {
		ruleset_diag(ir->rs, DIAG_NOTE, loc, "too many errors: the rest of the input is not read");
		ir->stop = true;
	}
}

void ipt_note(struct ipt_reader *ir, const struct loc *loc, const char *fmt, ...)
{
	va_list ap;

	if (ir->stop)
		return;
	va_start(ap, fmt);
	vdiag(ir, DIAG_NOTE, loc, fmt, ap);
	va_end(ap);
}

static void warn(struct ipt_reader *ir, const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void warn(struct ipt_reader *ir, const struct loc *loc, const char *fmt, ...)
{
	va_list ap;

	if (ir->stop)
		return;
	va_start(ap, fmt);
	vdiag(ir, DIAG_WARNING, loc, fmt, ap);
	va_end(ap);
}

/* --- tables and chains ------------------------------------------------------- */

static const struct builtin {
	const char *table;
	const char *chain;
	uint8_t hook;
	const char *type;
	int32_t priority;	/* as iptables-nft registers them */
} builtins[] = {
	{ "filter", "INPUT", HOOK_INPUT, "filter", 0 },
	{ "filter", "FORWARD", HOOK_FORWARD, "filter", 0 },
	{ "filter", "OUTPUT", HOOK_OUTPUT, "filter", 0 },
	{ "nat", "PREROUTING", HOOK_PREROUTING, "nat", -100 },
	{ "nat", "INPUT", HOOK_INPUT, "nat", 100 },
	{ "nat", "OUTPUT", HOOK_OUTPUT, "nat", -100 },
	{ "nat", "POSTROUTING", HOOK_POSTROUTING, "nat", 100 },
	{ "mangle", "PREROUTING", HOOK_PREROUTING, "filter", -150 },
	{ "mangle", "INPUT", HOOK_INPUT, "filter", -150 },
	{ "mangle", "FORWARD", HOOK_FORWARD, "filter", -150 },
	{ "mangle", "OUTPUT", HOOK_OUTPUT, "route", -150 },
	{ "mangle", "POSTROUTING", HOOK_POSTROUTING, "filter", -150 },
	{ "raw", "PREROUTING", HOOK_PREROUTING, "filter", -300 },
	{ "raw", "OUTPUT", HOOK_OUTPUT, "filter", -300 },
	{ "security", "INPUT", HOOK_INPUT, "filter", 50 },
	{ "security", "FORWARD", HOOK_FORWARD, "filter", 50 },
	{ "security", "OUTPUT", HOOK_OUTPUT, "filter", 50 },
};

const char *ipt_listed_table(unsigned chains, bool *ret_exact)
{
	const size_t n = sizeof(builtins) / sizeof(*builtins);
	const char *fit = NULL;

	for (size_t i = 0; i < n; ) {
		const char *table = builtins[i].table;
		unsigned has = 0;

		for (; i < n && strcmp(builtins[i].table, table) == 0; i++)
			has |= 1u << (builtins[i].hook - 1);
		if (has == chains) {
			*ret_exact = true;
			return table;
		}
		if (!fit && !(chains & ~has))
			fit = table;
	}
	return fit;
}

#define NBUILTINS (sizeof(builtins) / sizeof(*builtins))

static const struct builtin *builtin_chain(const struct table *t, const char *name)
{
	for (size_t i = 0; i < NBUILTINS; i++)
		if (strcmp(builtins[i].table, t->name) == 0 &&
		    strcmp(builtins[i].chain, name) == 0)
			return &builtins[i];
	return NULL;
}

struct table *ipt_table(struct ipt_reader *ir, const char *name,
			const struct loc *loc)
{
	struct table *t;
	bool known = false;

	for (size_t i = 0; i < NBUILTINS; i++)
		known |= strcmp(builtins[i].table, name) == 0;
	if (!known) {
		ipt_error(ir, loc, "can't initialize iptables table '%s': Table does not exist (use filter, nat, mangle, raw or security)",
			  name);
		return NULL;
	}
	t = ruleset_table(ir->rs, (enum family)ir->family, name, false);
	if (t)
		return t;
	t = ruleset_table(ir->rs, (enum family)ir->family, name, true);
	if (loc)
		t->loc = *loc;
	for (size_t i = 0; i < NBUILTINS; i++) {
		struct chain *c;

		if (strcmp(builtins[i].table, name))
			continue;
		c = table_chain(ir->rs, t, builtins[i].chain, true);
		c->hook = builtins[i].hook;
		c->type = builtins[i].type;
		c->priority = builtins[i].priority;
		c->policy = VERDICT_ACCEPT;
		if (loc)
			c->loc = *loc;
	}
	return t;
}

void ipt_finish(struct ipt_reader *ir)
{
	if (ir->family_fixed || !ir->saw_ip6)
		return;
	/* An IPv6 address was seen: the dump is ip6tables'. */
	for (uint32_t i = 0; i < ir->rs->ntables; i++)
		if (ir->rs->tables[i]->family == FAM_IP)
			ir->rs->tables[i]->family = FAM_IP6;
}

/* --- options ---------------------------------------------------------------------- */

enum opt_id {
	O_NONE,
	/* commands */
	O_APPEND, O_CHECK, O_DELETE, O_INSERT, O_REPLACE, O_LIST, O_LIST_RULES,
	O_FLUSH, O_ZERO, O_NEW, O_DELETE_CHAIN, O_POLICY, O_RENAME,
	/* parameters */
	O_IPV4, O_IPV6, O_PROTO, O_SRC, O_DST, O_MATCH, O_JUMP, O_GOTO, O_IN,
	O_OUT, O_FRAG, O_COUNTERS, O_TABLE, O_VERBOSE, O_WAIT, O_WAIT_INTERVAL,
	O_NUMERIC, O_EXACT, O_LINE_NUMBERS, O_MODPROBE,
	/* matches */
	O_SPORT, O_DPORT, O_MP_SPORTS, O_MP_DPORTS, O_MP_PORTS,
	O_CT_STATE, O_CT_PROTO, O_CT_ORIG_SPORT, O_CT_ORIG_DPORT,
	O_CT_REPL_SPORT, O_CT_REPL_DPORT, O_STATE, O_COMMENT, O_MATCH_SET,
	/* targets */
	O_TO_DEST, O_TO_SRC, O_TO_PORTS, O_ON_PORT, O_REJECT_WITH,
	O_OTHER,	/* an option kept as an opaque expression */
};

struct optdef {
	const char *name;	/* "--dport"; "-A" */
	const char *alias;
	uint8_t id;		/* enum opt_id */
	int8_t nargs;		/* -1: one optional argument (not starting with '-') */
	bool invertible;
};

static const struct optdef general_opts[] = {
	{ "-A", "--append", O_APPEND, 1, false },
	{ "-C", "--check", O_CHECK, 1, false },
	{ "-D", "--delete", O_DELETE, 1, false },
	{ "-I", "--insert", O_INSERT, 1, false },
	{ "-R", "--replace", O_REPLACE, 2, false },
	{ "-L", "--list", O_LIST, -1, false },
	{ "-S", "--list-rules", O_LIST_RULES, -1, false },
	{ "-F", "--flush", O_FLUSH, -1, false },
	{ "-Z", "--zero", O_ZERO, -1, false },
	{ "-N", "--new-chain", O_NEW, 1, false },
	{ "-X", "--delete-chain", O_DELETE_CHAIN, -1, false },
	{ "-P", "--policy", O_POLICY, 2, false },
	{ "-E", "--rename-chain", O_RENAME, 2, false },
	{ "-4", "--ipv4", O_IPV4, 0, false },
	{ "-6", "--ipv6", O_IPV6, 0, false },
	{ "-p", "--protocol", O_PROTO, 1, true },
	{ "-s", "--source", O_SRC, 1, true },
	{ "-d", "--destination", O_DST, 1, true },
	{ "-m", "--match", O_MATCH, 1, false },
	{ "-j", "--jump", O_JUMP, 1, false },
	{ "-g", "--goto", O_GOTO, 1, false },
	{ "-i", "--in-interface", O_IN, 1, true },
	{ "-o", "--out-interface", O_OUT, 1, true },
	{ "-f", "--fragment", O_FRAG, 0, true },
	{ "-c", "--set-counters", O_COUNTERS, 2, false },
	{ "-t", "--table", O_TABLE, 1, false },
	{ "-v", "--verbose", O_VERBOSE, 0, false },
	{ "-w", "--wait", O_WAIT, -1, false },
	{ "-W", "--wait-interval", O_WAIT_INTERVAL, 1, false },
	{ "-n", "--numeric", O_NUMERIC, 0, false },
	{ "-x", "--exact", O_EXACT, 0, false },
	{ "--line-numbers", NULL, O_LINE_NUMBERS, 0, false },
	{ "--modprobe", NULL, O_MODPROBE, 1, false },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef tcp_opts[] = {
	{ "--sport", "--source-port", O_SPORT, 1, true },
	{ "--dport", "--destination-port", O_DPORT, 1, true },
	{ "--syn", NULL, O_OTHER, 0, true },
	{ "--tcp-flags", NULL, O_OTHER, 2, true },
	{ "--tcp-option", NULL, O_OTHER, 1, true },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef udp_opts[] = {
	{ "--sport", "--source-port", O_SPORT, 1, true },
	{ "--dport", "--destination-port", O_DPORT, 1, true },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef sctp_opts[] = {
	{ "--sport", "--source-port", O_SPORT, 1, true },
	{ "--dport", "--destination-port", O_DPORT, 1, true },
	{ "--chunk-types", NULL, O_OTHER, 2, true },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef dccp_opts[] = {
	{ "--sport", "--source-port", O_SPORT, 1, true },
	{ "--dport", "--destination-port", O_DPORT, 1, true },
	{ "--dccp-types", NULL, O_OTHER, 1, true },
	{ "--dccp-option", NULL, O_OTHER, 1, true },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef multiport_opts[] = {
	{ "--sports", "--source-ports", O_MP_SPORTS, 1, true },
	{ "--dports", "--destination-ports", O_MP_DPORTS, 1, true },
	{ "--ports", NULL, O_MP_PORTS, 1, true },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef conntrack_opts[] = {
	{ "--ctstate", NULL, O_CT_STATE, 1, true },
	{ "--ctproto", NULL, O_CT_PROTO, 1, true },
	{ "--ctorigsrcport", NULL, O_CT_ORIG_SPORT, 1, true },
	{ "--ctorigdstport", NULL, O_CT_ORIG_DPORT, 1, true },
	{ "--ctreplsrcport", NULL, O_CT_REPL_SPORT, 1, true },
	{ "--ctrepldstport", NULL, O_CT_REPL_DPORT, 1, true },
	{ "--ctorigsrc", NULL, O_OTHER, 1, true },
	{ "--ctorigdst", NULL, O_OTHER, 1, true },
	{ "--ctreplsrc", NULL, O_OTHER, 1, true },
	{ "--ctrepldst", NULL, O_OTHER, 1, true },
	{ "--ctstatus", NULL, O_OTHER, 1, true },
	{ "--ctexpire", NULL, O_OTHER, 1, true },
	{ "--ctdir", NULL, O_OTHER, 1, false },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef state_opts[] = {
	{ "--state", NULL, O_STATE, 1, true },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef comment_opts[] = {
	{ "--comment", NULL, O_COMMENT, 1, false },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef set_opts[] = {
	{ "--match-set", "--set", O_MATCH_SET, 2, true },
	{ "--return-nomatch", NULL, O_OTHER, 0, false },
	{ "--update-counters", NULL, O_OTHER, 0, true },
	{ "--update-subcounters", NULL, O_OTHER, 0, true },
	{ "--packets-eq", NULL, O_OTHER, 1, true },
	{ "--packets-lt", NULL, O_OTHER, 1, false },
	{ "--packets-gt", NULL, O_OTHER, 1, false },
	{ "--bytes-eq", NULL, O_OTHER, 1, true },
	{ "--bytes-lt", NULL, O_OTHER, 1, false },
	{ "--bytes-gt", NULL, O_OTHER, 1, false },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef dnat_opts[] = {
	{ "--to-destination", NULL, O_TO_DEST, 1, false },
	{ "--random", NULL, O_OTHER, 0, false },
	{ "--persistent", NULL, O_OTHER, 0, false },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef snat_opts[] = {
	{ "--to-source", NULL, O_TO_SRC, 1, false },
	{ "--random", NULL, O_OTHER, 0, false },
	{ "--random-fully", NULL, O_OTHER, 0, false },
	{ "--persistent", NULL, O_OTHER, 0, false },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef masq_opts[] = {
	{ "--to-ports", NULL, O_TO_PORTS, 1, false },
	{ "--random", NULL, O_OTHER, 0, false },
	{ "--random-fully", NULL, O_OTHER, 0, false },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef redirect_opts[] = {
	{ "--to-ports", NULL, O_TO_PORTS, 1, false },
	{ "--random", NULL, O_OTHER, 0, false },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef tproxy_opts[] = {
	{ "--on-port", NULL, O_ON_PORT, 1, false },
	{ "--on-ip", NULL, O_OTHER, 1, false },
	{ "--tproxy-mark", NULL, O_OTHER, 1, false },
	{ NULL, NULL, 0, 0, false },
};

/* What "-p icmp" loads has one option: "-p icmp --dport 22" is refused. */
static const struct optdef icmp_opts[] = {
	{ "--icmp-type", NULL, O_OTHER, 1, true },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef icmp6_opts[] = {
	{ "--icmpv6-type", NULL, O_OTHER, 1, true },
	{ NULL, NULL, 0, 0, false },
};

static const struct optdef reject_opts[] = {
	{ "--reject-with", NULL, O_REJECT_WITH, 1, false },
	{ NULL, NULL, 0, 0, false },
};

/* The tables of options, by number: opt_tables[] below. */
enum opt_table {
	OT_GENERAL, OT_TCP, OT_UDP, OT_SCTP, OT_DCCP, OT_MULTIPORT,
	OT_CONNTRACK, OT_STATE, OT_COMMENT, OT_SET, OT_DNAT, OT_SNAT,
	OT_MASQ, OT_REDIRECT, OT_TPROXY, OT_REJECT, OT_ICMP, OT_ICMP6, NOPT_TABLES,
};

/* Every table of options modules[] and targets[] name, and the general. */
static const struct optdef *const opt_tables[NOPT_TABLES] = {
	[OT_GENERAL] = general_opts, [OT_TCP] = tcp_opts,
	[OT_UDP] = udp_opts, [OT_SCTP] = sctp_opts, [OT_DCCP] = dccp_opts,
	[OT_MULTIPORT] = multiport_opts, [OT_CONNTRACK] = conntrack_opts,
	[OT_STATE] = state_opts, [OT_COMMENT] = comment_opts,
	[OT_SET] = set_opts, [OT_DNAT] = dnat_opts, [OT_SNAT] = snat_opts,
	[OT_MASQ] = masq_opts, [OT_REDIRECT] = redirect_opts,
	[OT_TPROXY] = tproxy_opts, [OT_REJECT] = reject_opts,
	[OT_ICMP] = icmp_opts, [OT_ICMP6] = icmp6_opts,
};

/* Matches whose options portolan knows; other matches are kept opaque. */
static const struct moddef {
	const char *name;
	int8_t tab;		/* its options in opt_tables[] */
	unsigned proto;		/* the L4 protocol "-p" must name; 0: any */
} modules[] = {
	{ "tcp", OT_TCP, L4_TCP },
	{ "udp", OT_UDP, L4_UDP },
	{ "sctp", OT_SCTP, L4_SCTP },
	{ "dccp", OT_DCCP, L4_DCCP },
	{ "multiport", OT_MULTIPORT, 0 },
	{ "conntrack", OT_CONNTRACK, 0 },
	{ "state", OT_STATE, 0 },
	{ "comment", OT_COMMENT, 0 },
	{ "set", OT_SET, 0 },
	{ "icmp", OT_ICMP, 0 },
	{ "icmp6", OT_ICMP6, 0 },
};

enum tgt_kind {
	TGT_CHAIN,		/* a user chain */
	TGT_VERDICT,		/* ACCEPT, DROP, RETURN, QUEUE */
	TGT_DNAT, TGT_SNAT, TGT_MASQUERADE, TGT_REDIRECT, TGT_TPROXY,
	TGT_REJECT,
	TGT_OTHER,		/* a known extension kept opaque (LOG, MARK ...) */
};

static const struct tgtdef {
	const char *name;
	uint8_t kind;		/* enum tgt_kind */
	uint8_t verdict;	/* enum verdict */
	int8_t tab;		/* its options in opt_tables[]; -1: none (they
				 * are taken as they come) */
	const char *table;	/* the table it is valid in; NULL: any */
} targets[] = {
	{ "ACCEPT", TGT_VERDICT, VERDICT_ACCEPT, -1, NULL },
	{ "DROP", TGT_VERDICT, VERDICT_DROP, -1, NULL },
	{ "RETURN", TGT_VERDICT, VERDICT_RETURN, -1, NULL },
	{ "QUEUE", TGT_VERDICT, VERDICT_QUEUE, -1, NULL },
	{ "NFQUEUE", TGT_OTHER, VERDICT_QUEUE, -1, NULL },
	{ "REJECT", TGT_REJECT, VERDICT_REJECT, OT_REJECT, NULL },
	{ "DNAT", TGT_DNAT, VERDICT_NONE, OT_DNAT, "nat" },
	{ "SNAT", TGT_SNAT, VERDICT_NONE, OT_SNAT, "nat" },
	{ "MASQUERADE", TGT_MASQUERADE, VERDICT_NONE, OT_MASQ, "nat" },
	{ "REDIRECT", TGT_REDIRECT, VERDICT_NONE, OT_REDIRECT, "nat" },
	{ "TPROXY", TGT_TPROXY, VERDICT_NONE, OT_TPROXY, "mangle" },
};

/* For bsearch() in a sorted table of names. */
static int cmp_name(const void *key, const void *elem)
{
	return strcmp(*(const char *const *)key, *(const char *const *)elem);
}

/* Other targets iptables ships (sorted): kept opaque, never taken for
 * chains. */
static const char *const other_targets[] = {
	"AUDIT", "CHECKSUM", "CLASSIFY", "CLUSTERIP", "CONNMARK",
	"CONNSECMARK", "CT", "DSCP", "ECN", "HL", "HMARK", "IDLETIMER",
	"LED", "LOG", "MARK", "NETMAP", "NFLOG", "NOTRACK", "RATEEST",
	"SECMARK", "SET", "SYNPROXY", "TCPMSS", "TCPOPTSTRIP", "TEE", "TOS",
	"TRACE", "TTL", "ULOG",
};

/* --- a command being read ----------------------------------------------------------- */

struct pspec {			/* a port option, put in the rule once it is whole */
	uint8_t id;		/* enum opt_id */
	bool neg;
	unsigned protos;
	const struct ipt_arg *arg, *opt;
	const char *set;	/* --match-set NAME */
	size_t from, to;	/* its arguments */
	/* its value, read where the option is (as iptables reads it: the
	 * first bad value is the error, not a stray argument after it) */
	uint8_t nlits;
	struct port_lit lits[MULTIPORT_MAX];
};

struct loaded {
	const char *name;
	const struct optdef *opts;	/* NULL: unknown to portolan */
	const struct ipt_arg *arg;
	int8_t mod, tab;	/* in modules[], opt_tables[]; -1: unknown */
};

struct cmd {
	struct ipt_reader *ir;
	uint8_t numstyle;	/* enum numstyle of the value being read */
	const struct ipt_arg *args;
	size_t n;
	const struct loc *where;
	bool bad;
	struct diag *refused;	/* said of its rules, refused at COMMIT */

	uint8_t verb;		/* O_APPEND ... O_RENAME; O_NONE */
	const struct ipt_arg *verb_arg, *verb_args[2];
	size_t nverb_args;
	const struct ipt_arg *table_arg, *table_opt;
	bool only4, only6;

	unsigned proto;		/* the L4 bit "-p" names; 0: none of them */
	int protonum;		/* what "-p" names; -1: no -p */
	const char *proto_mod;	/* the match it loads: proto_module() */
	bool proto_given, proto_neg, proto_loaded;
	unsigned seen;		/* port options of the current match instances */
	const struct ipt_arg *proto_arg;

	size_t nmods;

	const struct ipt_arg *target_arg;
	const struct tgtdef *target;
	bool target_other;	/* an extension target kept opaque */
	int8_t target_tab;	/* its options in opt_tables[]; -1: none */
	bool is_goto;

	size_t nports;
	const struct ipt_arg *nat_arg;	/* --to-destination, --to-ports ... */
	uint8_t nat_id;
	bool nat_port;		/* NAT_ARG names a port: NAT_LIT */
	struct port_lit nat_lit;

	unsigned naddr[2];	/* -s a,b -d c,d: one rule per pair */
	const struct ipt_arg *iface[2];	/* -i, -o */

	uint8_t ct_states;
	bool ct_states_neg;
	unsigned ct_proto;	/* --ctproto's L4 bit */
	int ct_protonum;	/* -1: none */
	bool ct_proto_neg;
	const char *comment;
	size_t comment_len;
	const struct ipt_arg *tcp_reset;	/* --reject-with tcp-reset */

	size_t nopaque;

	/* The arrays last: a command clears only what comes before them. */
	struct loaded mods[MAX_MODS];
	struct pspec ports[MAX_PORTS];
	struct { size_t from, to; } opaque[MAX_MODS];	/* [from, to) args */
};

static void cmd_error(struct cmd *c, const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void cmd_error(struct cmd *c, const struct loc *loc, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	if (c->bad)
		return;
	c->bad = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ipt_error(c->ir, loc ? loc : c->where, "%s", msg);
}

static bool streq(const char *a, const char *b)
{
	return a[0] == b[0] && strcmp(a, b) == 0;
}

static const struct optdef *scan_opt(const struct optdef *defs, const char *name,
				     size_t len)
{
	/* every name has at least two bytes; the third tells most apart */
	char c1 = name[1], c2 = len > 2 ? name[2] : '\0';

	for (const struct optdef *d = defs; d && d->name; d++) {
		if (d->name[1] == c1 && d->name[2] == c2 && strlen(d->name) == len &&
		    memcmp(d->name, name, len) == 0)
			return d;
		if (d->alias && d->alias[1] == c1 && d->alias[2] == c2 &&
		    strlen(d->alias) == len && memcmp(d->alias, name, len) == 0)
			return d;
	}
	return NULL;
}

static inline bool is_option(const struct ipt_arg *a)
{
	/* quoted or not: iptables gets the word without its quotes */
	return a->s[0] == '-' && a->s[1] &&
	       (!(a->s[1] >= '0' && a->s[1] <= '9') ||
		((a->s[1] == '4' || a->s[1] == '6') && !a->s[2]));
}

/* The sub-span of A from byte OFF, LEN bytes long (A whole if not exact). */
static struct loc sub_loc(const struct ipt_arg *a, size_t off, size_t len)
{
	struct loc l = a->loc;

	if (a->exact && len) {
		l.col = a->loc.col + (uint32_t)off;
		l.col_end = l.col + (uint32_t)len - 1;
	}
	return l;
}

static struct loc span_loc(const struct ipt_arg *a, const struct ipt_arg *b)
{
	struct loc l = a->loc;

	if (b->loc.file == a->loc.file && b->loc.line == a->loc.line &&
	    b->loc.col_end >= a->loc.col)
		l.col_end = b->loc.col_end;
	return l;
}

/* --- values ------------------------------------------------------------------------------ */

/* A number as xtables_strtoui reads it: base 0 (0x1F, 017, 22), a '+'
 * before it allowed (strtoumax takes it; a '-' xtables refuses). */
static bool parse_num(const char *s, size_t len, unsigned long max,
		      unsigned long *ret)
{
	unsigned long v = 0;
	unsigned base = 10;
	size_t i = 0;

	if (len > 1 && s[0] == '+') {
		s++;
		len--;
	}
	if (!len)
		return false;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (len > 1 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	for (; i < len; i++) {
		unsigned d;

		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned)(s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned)(s[i] - 'a' + 10);
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = (unsigned)(s[i] - 'A' + 10);
		else
			return false;
		if (d >= base)
			return false;
		v = v * base + d;
		if (v > max)
			return false;
	}
	*ret = v;
	return true;
}

/*
 * One port or service name: S (LEN bytes) at byte OFF of A.  Names are
 * looked up for PROTOS (registry, then the services database).
 */
/*
 * A service name as iptables resolves it: getservbyname() for the one
 * protocol the extension asks (tcp, udp, sctp, dccp) or for any (L4_ANY):
 * so a name the services file lacks for that protocol is an error, as in
 * iptables.  LIT_SERVICE where IANA's registry agrees on the port.
 */
static int ipt_service(const struct registry *reg, const char *name,
		       unsigned protos, uint16_t *ret_port, enum lit_kind *ret_kind)
{
	const char *pname = protos == L4_ANY ? NULL : l4_name(protos);
	int port = services_db_port(name, pname);
	uint16_t regport;
	enum lit_kind regkind;

	if (port < 0)
		return -1;
	*ret_port = (uint16_t)port;
	*ret_kind = LIT_SERVICE_DB;
	if (service_resolve(reg, name, protos, &regport, &regkind) == 0 &&
	    regkind == LIT_SERVICE && regport == *ret_port)
		*ret_kind = LIT_SERVICE;
	return 0;
}

/*
 * How a port is read differs between extensions, as each calls its own
 * parser: tcp, sctp, multiport and the NAT targets read numbers the C way
 * (0x1f90, 0443 octal) and look names up for their protocol; udp, dccp,
 * conntrack and TPROXY read decimal only and look names up for any
 * protocol.
 */
enum numstyle {
	NUM_C,
	NUM_DECIMAL,
};

/*
 * A port as getaddrinfo() reads a service, which the decimal extensions
 * ask through xtables_getportbyname(): strtoul() in base 10, a sign
 * allowed; the number cut to an int, which must not be negative, then to
 * the 16 bits of a port ("99999" is port 34463, "65536" port 0).
 * *RET_CUT: the port is not the number written.
 */
static bool parse_dec(const char *s, size_t len, unsigned long *ret, bool *ret_cut)
{
	uint64_t v = 0;
	uint32_t u;
	size_t i = 0;
	bool neg = len && s[0] == '-';

	if (len && (s[0] == '+' || s[0] == '-'))
		i = 1;
	if (i == len)
		return false;
	for (; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9')
			return false;
		if (v > (UINT64_MAX - d) / 10)
			return false;	/* strtoul: ULONG_MAX, the int -1 */
		v = v * 10 + d;
	}
	*ret_cut = neg ? v != 0 : v > 65535;
	u = (uint32_t)(neg ? 0 - v : v);
	if (u > INT32_MAX)
		return false;
	*ret = u & 0xffff;
	return true;
}

/*
 * A hint for a word with a blank iptables does not split at (a no-break
 * space pasted from a web page or a word processor looks like a space),
 * or a dash it does not read as "--"; or "".
 */
static const char *odd_blank(const char *s, size_t len)
{
	/* "–dport": a word processor's en or em dash for "--" */
	if (len > 3 && (unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x93 || (unsigned char)s[2] == 0x94))
		return (unsigned char)s[2] == 0x93 ?
		       ": it starts with an en dash (U+2013), not \"--\"" :
		       ": it starts with an em dash (U+2014), not \"--\"";
	for (size_t i = 0; i + 1 < len; i++) {
		if ((unsigned char)s[i] != 0xc2)
			continue;
		if ((unsigned char)s[i + 1] == 0xa0)
			return ": it holds a no-break space (U+00A0), which iptables takes as part of the word, not as a blank";
	}
	return "";
}

static bool port_atom(struct cmd *c, const struct ipt_arg *a, size_t off,
		      size_t len, unsigned protos, struct port_lit *lit)
{
	const char *s = a->s + off;
	unsigned long v;
	char name[64];
	uint16_t port;
	enum lit_kind kind;
	struct loc loc = sub_loc(a, off, len);
	bool cut = false;

	memset(lit, 0, sizeof(*lit));
	lit->loc = loc;
	if (c->numstyle == NUM_C ? parse_num(s, len, 65535, &v) :
				   parse_dec(s, len, &v, &cut)) {
		if (cut)
			warn(c->ir, &loc, "port '%.*s' is not in 0-65535: iptables takes it as port %lu (getaddrinfo() cuts the number to 16 bits)",
			     (int)len, s, v);
		lit->lo = lit->hi = (uint16_t)v;
		lit->kind = LIT_NUMBER;
		return true;
	}
	if (len && len < sizeof(name) && ((s[0] >= 'a' && s[0] <= 'z') ||
					  (s[0] >= 'A' && s[0] <= 'Z'))) {
		memcpy(name, s, len);
		name[len] = '\0';
		if (ipt_service(c->ir->reg, name, protos, &port, &kind) == 0) {
			lit->lo = lit->hi = port;
			lit->kind = (uint8_t)kind;
			lit->name = arena_strdup(&c->ir->rs->arena, name);
			return true;
		}
	}
	/* each in the words of the parser iptables calls */
	if (c->numstyle == NUM_DECIMAL)
		cmd_error(c, &loc, "port \"%.*s\" does not resolve to anything%s", (int)len, s,
			  odd_blank(s, len));
	else if (a == c->nat_arg)
		cmd_error(c, &loc, "port '%.*s' not valid%s", (int)len, s, odd_blank(s, len));
	else
		cmd_error(c, &loc, "invalid port/service '%.*s' specified%s", (int)len, s,
			  odd_blank(s, len));
	return false;
}

/* "22", "1024:65535", ":1023", "1024:" (SEP ':'), or "8080-8090" (SEP '-'). */
static bool port_range(struct cmd *c, const struct ipt_arg *a, size_t off,
		       size_t len, unsigned protos, char sep, struct port_lit *lit)
{
	const char *s = a->s + off;
	const char *mid = memchr(s, sep, len);
	struct port_lit hi;

	if (!mid)
		return port_atom(c, a, off, len, protos, lit);
	if (mid == s && sep == ':') {
		memset(lit, 0, sizeof(*lit));
		lit->kind = LIT_NUMBER;
	} else if (!port_atom(c, a, off, (size_t)(mid - s), protos, lit)) {
		return false;
	}
	if (mid + 1 == s + len && sep == ':') {
		memset(&hi, 0, sizeof(hi));
		hi.hi = 65535;
	} else if (!port_atom(c, a, off + (size_t)(mid - s) + 1,
			      len - (size_t)(mid - s) - 1, protos, &hi)) {
		return false;
	}
	lit->loc = sub_loc(a, off, len);
	if (lit->lo > hi.hi && c->numstyle == NUM_DECIMAL && sep == ':') {
		/* udp, dccp and conntrack take it, and it matches nothing */
		warn(c->ir, &lit->loc, "range '%.*s' is reversed: it matches no port",
		     (int)len, s);
		lit->hi = hi.hi;
		return true;
	}
	if (lit->lo > hi.hi) {
		cmd_error(c, &lit->loc, "invalid portrange (min > max): '%.*s'",
			  (int)len, s);
		return false;
	}
	lit->hi = hi.hi;
	if (lit->kind == LIT_NUMBER && hi.kind != LIT_NUMBER) {
		lit->kind = hi.kind;
		lit->name = hi.name;
	}
	return true;
}

static void add_match(struct cmd *c, struct rule *r, uint8_t field,
		      uint8_t source, unsigned protos, bool neg,
		      const struct port_lit *lits, size_t nlits,
		      const struct loc *loc)
{
	struct arena *arena = &c->ir->rs->arena;
	struct port_match *m = rule_add_match(c->ir->rs, r);

	m->field = field;
	m->kind = MATCH_VALUE;
	m->source = source;
	m->protos = (uint8_t)protos;
	m->negated = neg;
	m->loc = *loc;
	if (!nlits)
		return;
	/* the literals and their ranges, each array made at its size once
	 * (most matches have one) rather than grown by lits_add() and
	 * portset_add() */
	m->lits = arena_alloc(arena, nlits * sizeof(*m->lits));
	memcpy(m->lits, lits, nlits * sizeof(*lits));
	m->nlits = (uint32_t)nlits;
	m->ports.r = arena_alloc(arena, nlits * sizeof(*m->ports.r));
	m->ports.a = (uint32_t)nlits;
	for (size_t i = 0; i < nlits; i++) {
		/* a reversed range (udp takes 10:5) is kept as written, and
		 * matches no port */
		if (lits[i].lo <= lits[i].hi)
			m->ports.r[m->ports.n++] = (struct portrange){ lits[i].lo, lits[i].hi };
	}
	portset_normalize(&m->ports);
}

/* --- reading the options ------------------------------------------------------------- */

/* What "-p NAME" names: its number, or -1 (NAME is NUL-terminated). */
static int proto_number(const char *name, size_t len)
{
	unsigned long num;
	static const struct { const char *name; int num; } aliases[] = {
		/* iptables' own names, beside /etc/protocols */
		{ "all", 0 }, { "icmpv6", 58 }, { "ipv6-icmp", 58 },
		{ "ipv6-mh", 135 }, { "mh", 135 },
		/* names and aliases of Debian's and Red Hat's /etc/protocols
		 * that are not IANA keywords: iptables-save prints a -p number
		 * with getprotobynumber(), so a Calico host's dump says
		 * "-p ipencap" and a router's says "-p ospf" */
		{ "ip", 0 }, { "ipencap", 4 },
		{ "ipsec-esp", 50 }, { "ipsec-ah", 51 }, { "rspf", 73 },
		{ "ospf", 89 }, { "isis", 124 }, { "mobility-header", 135 },
	};
	int n = -1;

	if (parse_num(name, len, 255, &num))
		return (int)num;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(*aliases); i++)
		if (strcasecmp(name, aliases[i].name) == 0)
			n = aliases[i].num;
	if (n < 0)
		n = ipproto_number(name, len);
	return n;
}

/* The match NAME in modules[], or -1. */
static int module_index(const char *name)
{
	int m = -1;

	for (size_t i = 0; i < sizeof(modules) / sizeof(*modules); i++)
		if (streq(modules[i].name, name))
			m = (int)i;
	return m;
}

/* The target NAME in targets[], or -1. */
static int target_index(const char *name)
{
	int t = -1;

	for (size_t i = 0; i < sizeof(targets) / sizeof(*targets); i++)
		if (streq(targets[i].name, name))
			t = (int)i;
	return t;
}

static bool other_target(const char *name)
{
	return bsearch(&name, other_targets,
		       sizeof(other_targets) / sizeof(*other_targets),
		       sizeof(*other_targets), cmp_name) != NULL;
}

static bool shipped_match(const char *name);

/* --- words -------------------------------------------------------------------------------- */

/*
 * What the tables say of one word.  A rule names a handful of options,
 * matches, targets and protocols, each looked up in several tables, and a
 * dump names the same few in every rule: the answers are kept per word in
 * a small direct-mapped memo, each worked out the first time it is asked.
 */
#define MEMO_SLOTS 256
#define MEMO_NAME 24


enum {
	W_OPTS = 1,		/* opt[] */
	W_PROTO = 2,		/* proto */
	W_MATCH = 4,		/* module, shipped */
	W_TARGET = 8,		/* target, other_target */
};

struct word_memo {
	uint64_t x, y;		/* word_bits() of the name */
	uint8_t len;		/* 0: an empty slot */
	uint8_t have;		/* W_*: the answers worked out */
	char name[MEMO_NAME];	/* NUL-terminated */
	uint8_t opt[NOPT_TABLES];	/* 1 + its index in each table; 0: none */
	int16_t proto;		/* proto_number() */
	int8_t module;		/* module_index() */
	int8_t target;		/* target_index() */
	bool shipped;		/* shipped_match() */
	bool other_target;	/* other_target() */
};

/*
 * The reader's answers: the memo, and the general options by their second
 * byte ("-A"), for which no hash is worth working out.
 */
struct ipt_words {
	struct word_memo memo[MEMO_SLOTS];
	/* 1 + the index in general_opts[]; -1: none; 0: not looked up yet */
	int8_t short_opt[128];
};

/*
 * A word of 1 to MEMO_NAME - 1 bytes as two 8-byte numbers, read without
 * passing its end: the first and the last eight bytes (overlapping), or
 * four and four, or its first, middle and last byte.  Words of up to 16
 * bytes are all in them; the hash needs no more.
 */
static inline void word_bits(const char *s, size_t len, uint64_t *x, uint64_t *y)
{
	if (len >= 8) {
		memcpy(x, s, 8);
		memcpy(y, s + len - 8, 8);
	} else if (len >= 4) {
		uint32_t a, b;

		memcpy(&a, s, 4);
		memcpy(&b, s + len - 4, 4);
		*x = a;
		*y = b;
	} else {
		*x = (unsigned char)s[0] | (unsigned char)s[len / 2] << 8 |
		     (unsigned char)s[len - 1] << 16;
		*y = 0;
	}
}

/* Whether M holds the word S of LEN bytes, X and Y its word_bits(). */
static inline bool word_is(const struct word_memo *m, const char *s, size_t len,
			   uint64_t x, uint64_t y)
{
	uint64_t u, v;

	if (m->len != len || m->x != x || m->y != y)
		return false;
	if (len <= 16)
		return true;
	/* bytes 8 to 15 of 17 to 23 */
	memcpy(&u, m->name + 8, 8);
	memcpy(&v, s + 8, 8);
	return u == v;
}

static struct word_memo *word_fill(struct word_memo *m, const char *s,
				   size_t len, uint64_t x, uint64_t y,
				   unsigned want);

/*
 * The memo's answers WANT for the word S (LEN bytes; as a C string the
 * same as S), or NULL where the word is not kept (too long: then it is a
 * chain's name).  The slot is the word's until the next call.
 */
static inline struct word_memo *word(struct ipt_reader *ir, const char *s,
				     size_t len, unsigned want)
{
	const uint64_t k = 0x9e3779b97f4a7c15ull;
	struct word_memo *m;
	uint64_t x, y;

	if (!len || len >= MEMO_NAME)
		return NULL;
	word_bits(s, len, &x, &y);
	m = &ir->words->memo[((((x * k) ^ y ^ len) * k) >> 56) % MEMO_SLOTS];
	if (word_is(m, s, len, x, y) && (m->have & want) == want)
		return m;
	return word_fill(m, s, len, x, y, want);
}

static struct word_memo *word_fill(struct word_memo *m, const char *s,
				   size_t len, uint64_t x, uint64_t y,
				   unsigned want)
{
	if (!word_is(m, s, len, x, y)) {
		m->x = x;
		m->y = y;
		m->len = (uint8_t)len;
		memcpy(m->name, s, len);
		m->name[len] = '\0';
		m->have = 0;
	}
	if (want & W_OPTS) {
		for (unsigned t = 0; t < NOPT_TABLES; t++) {
			const struct optdef *d = scan_opt(opt_tables[t], m->name, len);

			m->opt[t] = d ? (uint8_t)(d - opt_tables[t] + 1) : 0;
		}
	}
	if (want & W_PROTO)
		m->proto = (int16_t)proto_number(m->name, len);
	if (want & W_MATCH) {
		m->module = (int8_t)module_index(m->name);
		m->shipped = shipped_match(m->name);
	}
	if (want & W_TARGET) {
		m->target = (int8_t)target_index(m->name);
		m->other_target = other_target(m->name);
	}
	m->have |= (uint8_t)want;
	return m;
}

/* The option NAME of opt_tables[TAB] (none if TAB < 0); W: NAME's memo. */
static const struct optdef *opt_in(const struct word_memo *w, int tab,
				   const char *name, size_t len)
{
	if (tab < 0)
		return NULL;
	if (!w)
		return scan_opt(opt_tables[tab], name, len);
	return w->opt[tab] ? &opt_tables[tab][w->opt[tab] - 1] : NULL;
}

/* --- reading the options, continued ------------------------------------------------------- */

static unsigned proto_of(struct cmd *c, const struct ipt_arg *a, bool *ok,
			 int *ret_num)
{
	const struct word_memo *w = word(c->ir, a->s, a->len, W_PROTO);
	int n = w ? w->proto : proto_number(a->s, a->len);

	*ok = true;
	if (n < 0) {
		cmd_error(c, &a->loc, "unknown protocol '%s' specified", a->s);
		*ok = false;
		return 0;
	}
	if (n == 58 || n == 135)
		c->ir->saw_ip6 = true;
	*ret_num = n;
	switch (n) {
	case 6: return L4_TCP;
	case 17: return L4_UDP;
	case 33: return L4_DCCP;
	case 132: return L4_SCTP;
	case 136: return L4_UDPLITE;
	}
	return 0;
}

/* The match "-p NUMBER" loads when an option needs it. */
static const char *proto_module(int num)
{
	switch (num) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 33: return "dccp";
	case 50: return "esp";
	case 51: return "ah";
	case 58: return "icmp6";
	case 132: return "sctp";
	case 135: return "mh";
	}
	return NULL;
}

/* The match NAME for "-m NAME", or as "-p" loads it; MOD: its index in
 * modules[] (-1: none). */
static bool load_module(struct cmd *c, const char *name, int mod,
			const struct ipt_arg *arg)
{
	const struct moddef *m;
	struct loaded *l;

	if (c->proto_mod && streq(name, c->proto_mod))
		c->proto_loaded = true;	/* "-p tcp -m tcp": the same match */
	/* loaded already (a match unknown to portolan is loaded again) */
	for (size_t i = 0; i < c->nmods && mod >= 0; i++)
		if (c->mods[i].mod == mod)
			return true;
	if (c->nmods == MAX_MODS) {
		cmd_error(c, &arg->loc, "too many matches in one rule");
		return false;
	}
	l = &c->mods[c->nmods++];
	l->name = name;
	l->arg = arg;
	l->opts = NULL;
	l->mod = l->tab = -1;
	if (mod < 0)
		return true;
	m = &modules[mod];
	l->opts = opt_tables[m->tab];
	l->mod = (int8_t)mod;
	l->tab = m->tab;
	return true;
}

static void set_target(struct cmd *c, const struct ipt_arg *a, bool is_goto)
{
	const struct word_memo *w;
	int t;

	if (c->target_arg) {
		cmd_error(c, &a->loc, "multiple -j or -g flags not allowed");
		return;
	}
	c->target_arg = a;
	c->is_goto = is_goto;
	if (is_goto)
		return;
	/* Every target's name is shorter than MEMO_NAME: a word the memo
	 * does not keep ("KUBE-SEP-" and a hash, or "") is none of them. */
	w = word(c->ir, a->s, a->len, W_TARGET);
	t = w ? w->target : -1;
	if (t >= 0) {
		c->target = &targets[t];
		c->target_tab = c->target->tab;
	}
	c->target_other = w && w->other_target;
}

static void opaque_add(struct cmd *c, size_t from, size_t to)
{
	if (c->nopaque && c->opaque[c->nopaque - 1].to == from) {
		c->opaque[c->nopaque - 1].to = to;
		return;
	}
	if (c->nopaque == MAX_MODS) {
		c->opaque[MAX_MODS - 1].to = to;
		return;
	}
	c->opaque[c->nopaque].from = from;
	c->opaque[c->nopaque++].to = to;
}

/* The protocol of the match that option D belongs to ("-m udp --dport 53
 * -p udp": udp's, read before -p is), or else the rule's. */
static unsigned opt_proto(const struct cmd *c, const struct optdef *d)
{
	for (size_t i = 0; i < c->nmods; i++) {
		const struct moddef *m = c->mods[i].mod >= 0 ? &modules[c->mods[i].mod] : NULL;

		if (!m || !m->proto)
			continue;	/* only a protocol's match has ports of its own */
		for (const struct optdef *o = opt_tables[m->tab]; o->name; o++)
			if (o == d)
				return m->proto;
	}
	return c->proto;
}

static bool add_pspec(struct cmd *c, uint8_t id, bool neg, unsigned protos,
		      const struct ipt_arg *opt, const struct ipt_arg *arg)
{
	struct pspec *p;

	if (c->nports == MAX_PORTS) {
		cmd_error(c, &opt->loc, "too many port options in one rule");
		return false;
	}
	p = &c->ports[c->nports++];
	memset(p, 0, offsetof(struct pspec, lits));	/* the values: as read */
	p->id = id;
	p->neg = neg;
	p->protos = protos;
	p->opt = opt;
	p->arg = arg;
	return true;
}

static const uint8_t ct_bits[] = { CT_NEW, CT_ESTABLISHED, CT_RELATED, CT_INVALID, CT_UNTRACKED };
static const char *const ct_names[] = { "NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED" };

static void ct_state(struct cmd *c, const struct ipt_arg *a, bool neg)
{
	const char *s = a->s;

	while (*s) {
		size_t len = strcspn(s, ",");
		bool known = false;

		for (size_t i = 0; i < sizeof(ct_bits); i++) {
			if (strlen(ct_names[i]) == len && strncasecmp(s, ct_names[i], len) == 0) {
				c->ct_states |= ct_bits[i];
				known = true;
			}
		}
		if (!known && !(len == 4 && (strncasecmp(s, "SNAT", 4) == 0 ||
					    strncasecmp(s, "DNAT", 4) == 0))) {
			struct loc l = sub_loc(a, (size_t)(s - a->s), len);

			cmd_error(c, &l, "bad ctstate '%.*s'", (int)len, s);
			return;
		}
		s += len;
		if (*s == ',')
			s++;
	}
	c->ct_states_neg = neg;
}

/* REJECT's ICMP types differ between iptables and ip6tables. */
static void reject_with(struct cmd *c, const struct ipt_arg *a)
{
	static const char *const v4[] = {
		"icmp-net-unreachable", "net-unreach", "icmp-host-unreachable",
		"host-unreach", "icmp-proto-unreachable", "proto-unreach",
		"icmp-port-unreachable", "icmp-net-prohibited", "net-prohib",
		"icmp-host-prohibited", "host-prohib", "icmp-admin-prohibited",
		"admin-prohib",
	};
	static const char *const v6[] = {
		"icmp6-no-route", "no-route", "icmp6-adm-prohibited",
		"adm-prohibited", "icmp6-addr-unreachable", "addr-unreach",
		"icmp6-port-unreachable", "icmp6-policy-fail", "policy-fail",
		"icmp6-reject-route", "reject-route",
	};
	bool is4 = false, is6 = false;

	if (streq(a->s, "tcp-reset") || streq(a->s, "tcp-rst")) {
		c->tcp_reset = a;	/* the kernel wants -p tcp: fill_rule() */
		return;
	}
	if (streq(a->s, "port-unreach") || streq(a->s, "port-unreachable"))
		return;		/* both */
	for (size_t i = 0; i < sizeof(v4) / sizeof(*v4); i++)
		is4 |= streq(a->s, v4[i]);
	for (size_t i = 0; i < sizeof(v6) / sizeof(*v6); i++)
		is6 |= streq(a->s, v6[i]);
	if (!is4 && !is6) {
		cmd_error(c, &a->loc, "unknown reject type '%s'", a->s);
		return;
	}
	if (is6 && !c->ir->family_known)
		c->ir->saw_ip6 = true;
	if (c->ir->family_known && (c->ir->family == FAM_IP6 ? is4 : is6))
		cmd_error(c, &a->loc, "unknown reject type '%s' for %s", a->s,
			  c->ir->family == FAM_IP6 ? "ip6tables (icmp6-...)" :
						     "iptables (icmp-...)");
}

/* Matches iptables 1.8.9 ships; another needs an extension package. */
static bool shipped_match(const char *name)
{
	static const char *const names[] = {	/* sorted */
		"addrtype", "ah", "bpf", "cgroup", "cluster", "comment",
		"connbytes", "connlabel", "connlimit", "connmark", "conntrack",
		"cpu", "dccp", "devgroup", "dscp", "dst", "ecn", "esp", "eui64",
		"frag", "hashlimit", "hbh", "helper", "hl", "icmp", "icmp6",
		"ipcomp", "iprange", "ipv6header", "ipvs", "length", "limit",
		"mac", "mark", "mh", "multiport", "nfacct", "osf", "owner",
		"physdev", "pkttype", "policy", "quota", "rateest", "realm",
		"recent", "rpfilter", "rt", "sctp", "set", "socket", "srh",
		"state", "statistic", "string", "tcp", "tcpmss", "time", "tos",
		"ttl", "u32", "udp",
	};

	return bsearch(&name, names, sizeof(names) / sizeof(*names),
		       sizeof(*names), cmp_name) != NULL;
}

static bool read_ports(struct cmd *c, struct pspec *p);
static bool nat_read(struct cmd *c);

/* Whether MASK (LEN bytes) is a null one for FAMILY: "0", or all zeros
 * as an address of the family ("0.0.0.0", "::"). */
static bool null_mask(uint8_t family, const char *mask, size_t len)
{
	return len && strspn(mask, family == FAM_IP6 ? "0:" : "0.") >= len;
}

/*
 * Whether the addresses of "-s A,B/MASK" fit the family the input is
 * known to be: iptables finds no host "2001:db8::1", ip6tables none
 * "10.0.0.1" (names are looked up when the rule is loaded: not judged).
 * With a null mask the address is not looked at at all: "0/0" and
 * "any/0" are anywhere, in either.
 */
static bool addrs_of_family(struct cmd *c, const struct ipt_arg *a)
{
	for (const char *s = a->s; *s; ) {
		size_t len = strcspn(s, ",");
		size_t alen = strcspn(s, "/,");
		bool v6 = memchr(s, ':', len) != NULL;
		bool v4 = !v6 && alen && strspn(s, "0123456789.") == alen;

		if (alen < len && null_mask(c->ir->family, s + alen + 1, len - alen - 1))
			v4 = v6 = false;
		if ((c->ir->family == FAM_IP && v6) || (c->ir->family == FAM_IP6 && v4)) {
			struct loc l = sub_loc(a, (size_t)(s - a->s), len);

			cmd_error(c, &l, "host/network '%.*s' not found: an IPv%c address in %s input",
				  (int)alen, s, v6 ? '6' : '4',
				  c->ir->family == FAM_IP ? "iptables" : "ip6tables");
			return false;
		}
		s += len;
		if (*s == ',')
			s++;
	}
	return true;
}

/* What an option does once its arguments are known. */
static void apply(struct cmd *c, const struct optdef *d, const struct ipt_arg *opt,
		  const struct ipt_arg *val, const struct ipt_arg *val2, bool neg,
		  size_t from, size_t to)
{
	bool ok;

	switch (d->id) {
	case O_APPEND: case O_CHECK: case O_DELETE: case O_INSERT:
	case O_REPLACE: case O_LIST: case O_LIST_RULES: case O_FLUSH:
	case O_ZERO: case O_NEW: case O_DELETE_CHAIN: case O_POLICY:
	case O_RENAME:
		if (c->verb) {
			cmd_error(c, &opt->loc, "cannot use %s with %s", opt->s,
				  c->verb_arg->s);
			return;
		}
		c->verb = d->id;
		c->verb_arg = opt;
		c->nverb_args = 0;
		if (val)
			c->verb_args[c->nverb_args++] = val;
		if (val2)
			c->verb_args[c->nverb_args++] = val2;
		return;
	case O_IPV4:
		c->only4 = true;
		return;
	case O_IPV6:
		c->only6 = true;
		return;
	case O_PROTO:
		if (c->proto_given) {
			cmd_error(c, &opt->loc, "multiple -p flags not allowed");
			return;
		}
		c->proto_given = true;
		c->proto_neg = neg;
		c->proto_arg = val;
		c->proto = proto_of(c, val, &ok, &c->protonum);
		if (!ok)
			return;
		c->proto_mod = proto_module(c->protonum);
		if (neg && c->protonum == 0) {
			cmd_error(c, &opt->loc, "rule would never match protocol: '! -p %s' excludes every protocol",
				  val->s);
			return;
		}
		opaque_add(c, from, to);	/* what the rule matches */
		return;
	case O_MATCH: {
		const struct word_memo *w = word(c->ir, val->s, val->len, W_MATCH);
		int mod = w ? w->module : module_index(val->s);

		if (val->s[0] == '\0') {
			cmd_error(c, &val->loc, "empty match name");
			return;
		}
		if (!(w ? w->shipped : shipped_match(val->s)))
			warn(c->ir, &val->loc, "match '%s' is not one iptables itself ships: loading needs its extension (xtables-addons ...); kept as an opaque match",
			     val->s);
		if (!load_module(c, val->s, mod, val))
			return;
		/* a new instance: "-p tcp --dport 22 -m tcp --dport 23" */
		if (mod >= 0 && modules[mod].tab == OT_MULTIPORT)
			c->seen &= ~4u;
		else if (c->proto_mod && streq(val->s, c->proto_mod))
			c->seen &= ~3u;
		if (!c->mods[c->nmods - 1].opts)
			opaque_add(c, from, to);
		return;
	}
	case O_JUMP:
	case O_GOTO:
		set_target(c, val, d->id == O_GOTO);
		if (c->target_other)
			opaque_add(c, from, to);	/* LOG, MARK ... */
		return;
	case O_TABLE:
		if (c->ir->restore) {
			cmd_error(c, &opt->loc, "the -t option cannot be used in iptables-restore input: the table is the '*%s' line's",
				  c->ir->table ? c->ir->table->name : "table");
			return;
		}
		if (c->table_arg) {
			cmd_error(c, &opt->loc, "multiple -t flags not allowed");
			return;
		}
		c->table_arg = val;
		c->table_opt = opt;
		return;
	case O_SPORT: case O_DPORT: case O_MP_SPORTS: case O_MP_DPORTS:
	case O_MP_PORTS: {
		/* per match instance: one --sport, one --dport; multiport
		 * takes one of its three */
		unsigned bit = d->id == O_SPORT ? 1 : d->id == O_DPORT ? 2 : 4;
		unsigned proto = bit == 4 ? c->proto : opt_proto(c, d);

		if (c->seen & bit) {
			/* in the words of each extension's parser */
			if (bit == 4)
				cmd_error(c, &opt->loc, "multiport: only one of --sports, --dports and --ports per match");
			else if (proto == L4_UDP || proto == L4_DCCP)
				cmd_error(c, &opt->loc, "%s: option \"%s\" can only be used once",
					  l4_name(proto), d->alias);
			else
				cmd_error(c, &opt->loc, "only one '%s' allowed", d->alias);
			return;
		}
		c->seen |= bit;
		if (add_pspec(c, d->id, neg, proto, opt, val))
			read_ports(c, &c->ports[c->nports - 1]);
		return;
	}
	case O_CT_ORIG_SPORT: case O_CT_ORIG_DPORT: case O_CT_REPL_SPORT:
	case O_CT_REPL_DPORT:
		if (add_pspec(c, d->id, neg, 0, opt, val))
			read_ports(c, &c->ports[c->nports - 1]);
		return;
	case O_CT_PROTO:
		c->ct_proto = proto_of(c, val, &ok, &c->ct_protonum);
		c->ct_proto_neg = neg;
		opaque_add(c, from, to);
		return;
	case O_CT_STATE:
	case O_STATE:
		ct_state(c, val, neg);
		return;
	case O_COMMENT:
		if (!c->comment) {
			c->comment = val->s;
			c->comment_len = val->len;
		}
		return;
	case O_MATCH_SET:
		if (val2->s[0] == '-' || val2->s[0] == '!') {
			/* libxt_set looks at the next word itself */
			cmd_error(c, &opt->loc, "--match-set requires two args: the set's name and its flags ('src', 'dst,dst' ...)");
			return;
		}
		if (add_pspec(c, O_MATCH_SET, neg, c->proto, opt, val2)) {
			c->ports[c->nports - 1].set = val->s;
			c->ports[c->nports - 1].from = from;
			c->ports[c->nports - 1].to = to;
		}
		return;
	case O_TO_DEST: case O_TO_SRC: case O_TO_PORTS: case O_ON_PORT:
		if (c->nat_arg) {
			cmd_error(c, &opt->loc, "multiple %s not supported", opt->s);
			return;
		}
		c->nat_arg = val;
		c->nat_id = d->id;
		nat_read(c);
		return;
	case O_SRC: case O_DST: {
		unsigned k = 1;

		for (const char *q = val->s; (q = strchr(q, ',')); q++)
			k++;
		if (k > 1 && neg) {
			cmd_error(c, &opt->loc, "! not allowed with multiple source or destination IP addresses");
			return;
		}
		c->naddr[d->id == O_DST] = k;
		if (c->ir->family_known && !addrs_of_family(c, val))
			return;
		if (strchr(val->s, ':'))
			c->ir->saw_ip6 = true;
		opaque_add(c, from, to);
		return;
	}
	case O_IN: case O_OUT:
		if (val->len >= 16) {	/* IFNAMSIZ */
			cmd_error(c, &val->loc, "interface name '%s' must be shorter than IFNAMSIZ (15)",
				  val->s);
			return;
		}
		c->iface[d->id == O_OUT] = opt;
		opaque_add(c, from, to);
		return;
	case O_REJECT_WITH:
		reject_with(c, val);
		opaque_add(c, from, to);
		return;
	case O_COUNTERS: case O_VERBOSE: case O_WAIT: case O_WAIT_INTERVAL:
	case O_NUMERIC: case O_EXACT: case O_LINE_NUMBERS: case O_MODPROBE:
		return;
	default:
		opaque_add(c, from, to);
		return;
	}
}

/*
 * An option of a match or target portolan does not know: it takes the
 * arguments up to the next option, the best that can be done without the
 * extension's own table.
 */
static size_t unknown_option_args(const struct cmd *c, size_t i)
{
	size_t k = i + 1;

	while (k < c->n && !is_option(&c->args[k]) && !streq(c->args[k].s, "!"))
		k++;
	return k - i - 1;
}

/* A long option abbreviated as getopt_long allows: a unique prefix. */
static const struct optdef *prefix_opt(const struct optdef *defs, const char *name,
				       size_t len, const struct optdef *found,
				       bool *ambiguous)
{
	for (const struct optdef *d = defs; d && d->name; d++) {
		bool hit = (d->name[1] == '-' && strlen(d->name) >= len &&
			    memcmp(d->name, name, len) == 0) ||
			   (d->alias && strlen(d->alias) >= len &&
			    memcmp(d->alias, name, len) == 0);

		if (!hit || d == found)
			continue;
		if (found && !(found->id == d->id && found->id != O_OTHER))
			*ambiguous = true;
		found = d;
	}
	return found;
}

/* The general option "-C" (C its second byte), or NULL. */
static const struct optdef *short_opt(struct ipt_reader *ir, char ch)
{
	int8_t *k;

	if ((unsigned char)ch >= sizeof(ir->words->short_opt))
		return NULL;
	k = &ir->words->short_opt[(unsigned char)ch];
	if (!*k) {
		const char name[3] = { '-', ch, '\0' };
		const struct optdef *d = scan_opt(general_opts, name, 2);

		*k = d ? (int8_t)(d - general_opts + 1) : -1;
	}
	return *k > 0 ? &general_opts[*k - 1] : NULL;
}

static const struct optdef *lookup(struct cmd *c, const char *name, size_t len,
				   bool *unknown_ext)
{
	const struct word_memo *w;
	const struct optdef *d;
	bool ambiguous = false;

	*unknown_ext = false;
	/* "-A", "-m", "-j": only the general options are this short */
	if (len == 2 && (d = short_opt(c->ir, name[1])))
		return d;
	w = word(c->ir, name, len, W_OPTS);
	d = opt_in(w, OT_GENERAL, name, len);
	if (d)
		return d;
	if (c->target && (d = opt_in(w, c->target_tab, name, len)))
		return d;
	for (size_t k = c->nmods; k-- > 0; )
		if ((d = opt_in(w, c->mods[k].tab, name, len)))
			return d;
	for (size_t k = 0; k < c->nmods; k++)
		*unknown_ext |= !c->mods[k].opts;
	*unknown_ext |= c->target_other ||
			(c->target_arg && !c->target && !c->is_goto);
	/* An unknown extension may have this very option: no guessing. */
	if (len > 2 && name[1] == '-' && !*unknown_ext) {
		d = prefix_opt(general_opts, name, len, NULL, &ambiguous);
		if (c->target)
			d = prefix_opt(c->target_tab >= 0 ? opt_tables[c->target_tab] : NULL,
				       name, len, d, &ambiguous);
		for (size_t k = 0; k < c->nmods; k++)
			d = prefix_opt(c->mods[k].opts, name, len, d, &ambiguous);
		if (d && !ambiguous)
			return d;
		if (ambiguous) {
			cmd_error(c, NULL, "option '%.*s' is ambiguous", (int)len, name);
			return NULL;
		}
	}
	/* As iptables does: "-p tcp" loads the tcp match only when an option
	 * is not known otherwise. */
	if (c->proto_mod && !c->proto_loaded) {
		c->proto_loaded = true;
		if (!load_module(c, c->proto_mod, module_index(c->proto_mod),
				 c->proto_arg))
			return NULL;
		return lookup(c, name, len, unknown_ext);
	}
	return NULL;
}

static void parse_args(struct cmd *c)
{
	static struct ipt_arg eqargs[2];
	bool neg = false;
	const struct ipt_arg *neg_arg = NULL;

	for (size_t i = 0; i < c->n && !c->bad; i++) {
		const struct ipt_arg *a = &c->args[i], *val = NULL, *val2 = NULL;
		const struct optdef *d;
		size_t from = neg ? i - 1 : i, namelen = a->len;
		bool unknown_ext, inl = false;
		const char *eq;

		if (streq(a->s, "!")) {
			if (neg) {
				cmd_error(c, &a->loc, "multiple '!' flags not allowed");
				return;
			}
			neg = true;
			neg_arg = a;
			continue;
		}
		if (!is_option(a)) {
			cmd_error(c, &a->loc, "bad argument '%s'%s", a->s,
				  odd_blank(a->s, a->len));
			return;
		}
		eq = a->s[1] == '-' ? strchr(a->s, '=') : NULL;
		if (eq)
			namelen = (size_t)(eq - a->s);
		d = lookup(c, a->s, namelen, &unknown_ext);
		if (c->bad)
			return;
		if (!d && unknown_ext) {
			size_t k = eq ? 0 : unknown_option_args(c, i);

			opaque_add(c, from, i + k + 1);
			i += k;
			neg = false;
			continue;
		}
		if (!d) {
			cmd_error(c, &a->loc, "unknown option '%.*s'%s", (int)namelen, a->s,
				  odd_blank(a->s, namelen));
			return;
		}
		if (neg && !d->invertible) {
			cmd_error(c, &neg_arg->loc, "cannot have ! before %s", d->name);
			return;
		}
		if (eq) {
			/* --option=value */
			struct ipt_arg *e = &eqargs[0];

			*e = *a;
			e->s = eq + 1;
			e->len = (uint32_t)strlen(e->s);
			e->loc = sub_loc(a, namelen + 1, e->len);
			e->exact = a->exact;
			val = e;
			inl = true;
		}
		{
			size_t want = d->nargs > 0 ? (size_t)d->nargs :
				      d->nargs < 0 && !inl && i + 1 < c->n &&
				      !is_option(&c->args[i + 1]) &&
				      !streq(c->args[i + 1].s, "!") ? 1 : 0;

			if (inl && want)
				want--;
			if (i + want >= c->n) {
				cmd_error(c, &a->loc, "option '%s' requires %s", d->name,
					  want > 1 ? "two arguments" : "an argument");
				return;
			}
			if (want && !val) {
				val = &c->args[++i];
				want--;
				if (streq(val->s, "!")) {
					cmd_error(c, &val->loc, "'!' goes before the option: '! %s VALUE'",
						  d->name);
					return;
				}
			}
			if (want)
				val2 = &c->args[++i];
		}
		/* -I CHAIN [N], -D CHAIN N, -Z CHAIN [N]: an optional number */
		if ((d->id == O_INSERT || d->id == O_DELETE || d->id == O_ZERO) &&
		    i + 1 < c->n && c->args[i + 1].len &&
		    strspn(c->args[i + 1].s, "0123456789") == c->args[i + 1].len)
			val2 = &c->args[++i];
		apply(c, d, a, val, val2, neg, from, i + 1);
		neg = false;
	}
	if (neg && !c->bad)
		cmd_error(c, &neg_arg->loc, "'!' is not followed by an option");
}

/* --- the rule -------------------------------------------------------------------------------- */

static struct loc opt_loc(const struct cmd *c, const struct pspec *p)
{
	const struct ipt_arg *first = p->opt;

	/* "! --dport 22" starts at the '!' */
	if (p->neg && first > c->args && streq(first[-1].s, "!"))
		first--;
	return span_loc(first, p->arg);
}

/*
 * The value of the port option P, read when the option is met, as each
 * extension parses its options in turn: the first bad value is the error
 * iptables reports, before a stray argument or a repeated option after it.
 */
static bool read_value(struct cmd *c, struct pspec *p)
{
	bool ct = p->id >= O_CT_ORIG_SPORT && p->id <= O_CT_REPL_DPORT;
	bool c_style = !ct && (p->protos == L4_TCP || p->protos == L4_SCTP);

	c->numstyle = c_style ? NUM_C : NUM_DECIMAL;
	if (!port_range(c, p->arg, 0, p->arg->len, c_style ? p->protos : L4_ANY,
			':', &p->lits[0]))
		return false;
	p->nlits = 1;
	return true;
}

/* "--dports 22,80:90": multiport wants "lo:hi" with lo < hi, both written. */
static bool read_multiport(struct cmd *c, struct pspec *p)
{
	size_t count = 0, off = 0;
	const struct ipt_arg *a = p->arg;

	c->numstyle = NUM_C;
	if (!p->protos || c->proto_neg) {
		cmd_error(c, &p->opt->loc, "multiport needs '-p tcp', '-p udp', '-p udplite', '-p sctp' or '-p dccp'");
		return false;
	}
	for (;;) {
		size_t len = strcspn(a->s + off, ",");
		const char *colon = memchr(a->s + off, ':', len);

		count += colon ? 2 : 1;
		if (colon) {
			struct loc l = sub_loc(a, off, len);
			struct port_lit lo, hi;
			size_t left = (size_t)(colon - a->s - off);

			if (!port_atom(c, a, off, left, p->protos, &lo) ||
			    !port_atom(c, a, off + left + 1, len - left - 1, p->protos, &hi))
				return false;
			if (lo.lo >= hi.lo) {
				cmd_error(c, &l, "invalid portrange specified: '%.*s'", (int)len,
					  a->s + off);
				return false;
			}
		}
		if (count > MULTIPORT_MAX) {
			struct loc l = sub_loc(a, off, len);

			cmd_error(c, &l, "too many ports specified: multiport takes at most %d, a range counting as two",
				  MULTIPORT_MAX);
			return false;
		}
		if (!port_range(c, a, off, len, p->protos, ':', &p->lits[p->nlits]))
			return false;
		p->nlits++;
		off += len;
		if (a->s[off] != ',')
			break;
		off++;
	}
	return true;
}

static bool read_ports(struct cmd *c, struct pspec *p)
{
	if (p->id == O_MP_SPORTS || p->id == O_MP_DPORTS || p->id == O_MP_PORTS)
		return read_multiport(c, p);
	return read_value(c, p);
}

static bool value_ports(struct cmd *c, const struct pspec *p, struct rule *r)
{
	struct port_lit lit = p->lits[0];
	struct loc loc = opt_loc(c, p);
	/* The reply tuple runs the other way: its source port is the
	 * service's (after DNAT, the translated one), its destination the
	 * client's.  Fields are in the original direction's terms, as the
	 * nft readers read "ct reply proto-src". */
	uint8_t field = p->id == O_SPORT || p->id == O_CT_ORIG_SPORT ||
			p->id == O_CT_REPL_DPORT ? FIELD_SPORT : FIELD_DPORT;
	bool ct = p->id >= O_CT_ORIG_SPORT && p->id <= O_CT_REPL_DPORT;
	unsigned protos = ct ? (c->ct_proto ? c->ct_proto :
				 c->proto ? (c->proto_neg ? L4_PORTS & ~c->proto : c->proto) :
				 L4_ANY) :
			       p->protos;

	if (ct && c->ct_protonum >= 0 && !c->ct_proto) {
		warn(c->ir, &loc, "--ctproto %s has no ports: conntrack compares something else here (the ICMP id, the GRE key)",
		     ipproto_keyword((unsigned)c->ct_protonum) ?
		     ipproto_keyword((unsigned)c->ct_protonum) : "?");
		return true;
	}
	if (ct && c->ct_proto && c->ct_proto_neg)
		protos = L4_PORTS & ~c->ct_proto;
	if (!ct && c->proto_neg && (protos == L4_TCP || protos == L4_UDP) &&
	    lit.lo == 0 && lit.hi == 65535) {
		/* "! -p tcp --dport 0:65535": what iptables-nft makes of it
		 * the kernel refuses (RULE_APPEND failed, Invalid argument);
		 * with "! --dport" the match is dropped, "! -p tcp" is left */
		if (!p->neg) {
			cmd_error(c, &loc, "'! -p %s' with the whole port range: the kernel refuses what iptables-nft makes of it",
				  l4_name(protos));
			return false;
		}
		warn(c->ir, &loc, "'! %s %.*s' with '! -p %s': iptables-nft drops the match, the rule applies to every packet but %s",
		     p->opt->s, (int)p->arg->len, p->arg->s, l4_name(protos), l4_name(protos));
		return true;
	}
	if (!ct && c->proto_neg)
		protos = L4_PORTS & ~protos;
	if (!ct && (protos == L4_TCP || protos == L4_UDP) && lit.lo == 0 &&
	    lit.hi == 65535) {
		/* iptables-nft loads no port match for the whole range, so
		 * the rule holds every packet of the protocol */
		if (p->neg)
			warn(c->ir, &loc, "'! %s %.*s' matches no packet as written, but iptables-nft drops the match: the rule applies to every %s packet",
			     p->opt->s, (int)p->arg->len, p->arg->s, l4_name(protos));
		return true;
	}
	add_match(c, r, field, ct ? SRC_CT : SRC_PAYLOAD, protos, p->neg, &lit, 1, &loc);
	return true;
}

static void multiport(struct cmd *c, const struct pspec *p, struct rule *r)
{
	struct loc loc = opt_loc(c, p);

	add_match(c, r, p->id == O_MP_SPORTS ? FIELD_SPORT :
		  p->id == O_MP_DPORTS ? FIELD_DPORT : FIELD_PORT,
		  SRC_MULTIPORT, p->protos, p->neg, p->lits, p->nlits, &loc);
}

static void opaque_run(struct cmd *c, struct rule *r, size_t from, size_t to);

/* The index in ipset_info.ports of the L4 bit BIT (one of L4_PORTS). */
/* A match on ipset P's set, for PROTOS (enum l4), its ports added after. */
static struct port_match *set_match(struct cmd *c, struct rule *r, const struct pspec *p,
				    uint8_t field, unsigned protos, const struct loc *loc)
{
	struct port_match *m = rule_add_match(c->ir->rs, r);

	m->field = field;
	m->kind = MATCH_SET;
	m->source = SRC_IPSET;
	m->protos = (uint8_t)protos;
	m->negated = p->neg;
	m->set = arena_strdup(&c->ir->rs->arena, p->set);
	m->loc = *loc;
	return m;
}

static bool set_ports(struct cmd *c, const struct pspec *p, struct rule *r)
{
	const struct ipset_info *info;
	bool exists;
	size_t dim = 0;
	const char *f;
	uint8_t field;
	struct loc loc = opt_loc(c, p);

	if (!c->ir->ipsets) {
		opaque_run(c, r, p->from, p->to);
		return true;
	}
	info = ipset_find(c->ir->ipsets, p->set, &exists);
	if (!exists) {
		cmd_error(c, &p->opt[1].loc, "set '%s' does not exist in the ipset file", p->set);
		return false;
	}
	if (!info) {
		opaque_run(c, r, p->from, p->to);
		return true;
	}
	/* Fewer flags than the set has dimensions: the kernel's set lookup
	 * fails for every packet (ip_set_test), so the match never holds. */
	for (f = p->arg->s; (f = strchr(f, ',')); f++)
		dim++;
	if (dim + 1 < info->dims) {
		warn(c->ir, &loc, "set '%s' has %u dimensions and the match gives %zu flag%s: it holds for %s packet",
		     p->set, info->dims, dim + 1, dim ? "s" : "", p->neg ? "every" : "no");
		if (!p->neg)	/* negated: no condition at all */
			set_match(c, r, p, FIELD_DPORT, p->protos ? p->protos : L4_PORTS, &loc);
		return true;
	}
	/* The flag at the port's dimension, "src" or "dst" (there is one:
	 * the port's dimension is one of the set's) */
	f = p->arg->s;
	for (dim = 0; f && dim < info->port_dim; dim++)
		if ((f = strchr(f, ',')))
			f++;
	field = f && strncmp(f, "src", 3) == 0 ? FIELD_SPORT : FIELD_DPORT;
	if (l4_index(p->protos) >= 0 && !info->ports[l4_index(p->protos)].n) {
		/* the rule's protocol has no port in the set: the lookup
		 * fails for every packet, so the match never holds */
		warn(c->ir, &loc, "set '%s' holds no %s port%s: this match holds for %s %s packet",
		     p->set, l4_name(p->protos),
		     info->dims == 1 ? " (the kernel matches a bitmap:port set on tcp and udp packets only)" : "",
		     p->neg ? "every" : "no", l4_name(p->protos));
		set_match(c, r, p, field, p->protos, &loc);
		return true;
	}
	for (unsigned k = 0; k < 5; k++) {
		struct port_match *m;
		unsigned bit = 1u << k;

		if (!info->ports[k].n || (p->protos && p->protos != bit))
			continue;
		m = set_match(c, r, p, field, bit, &loc);
		for (uint32_t i = 0; i < info->ports[k].n; i++)
			portset_add(c->ir->rs, &m->ports, info->ports[k].r[i].lo,
				    info->ports[k].r[i].hi);
	}
	return true;
}

/*
 * The number strtoumax(base 0) reads at the start of S (a '+' before it
 * taken, a '-' not, as xtables_strtoui does): where it stops, or NULL if
 * no digit is read or it is above 65535.
 */
static const char *num_prefix(const char *s, unsigned long *ret)
{
	const char *p = s + (*s == '+');
	const char *q = p;
	unsigned base = 10;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
		base = 16;
		q = p += 2;
	} else if (p[0] == '0') {
		base = 8;
	}
	for (*ret = 0; ; q++) {
		unsigned d = *q >= '0' && *q <= '9' ? (unsigned)(*q - '0') :
			     *q >= 'a' && *q <= 'f' ? (unsigned)(*q - 'a' + 10) :
			     *q >= 'A' && *q <= 'F' ? (unsigned)(*q - 'A' + 10) : 16;

		if (d >= base)
			break;
		*ret = *ret * base + d;
		if (*ret > 65535)
			return NULL;
	}
	return q == p ? NULL : q;
}

/*
 * A NAT target's port spec (from byte OFF of A to its end) as iptables
 * 1.8.9 reads it: the whole of it as a service name of any protocol
 * ("http-alt"), else NUMBER[-NUMBER[/BASE]] in C notation; a name is
 * never part of a range ("80-http" and "http-90" are refused), and
 * REDIRECT takes no base.
 */
static bool nat_port_spec(struct cmd *c, const struct ipt_arg *a, size_t off,
			  bool redirect, struct port_lit *lit)
{
	const char *s = a->s + off, *e, *e2;
	size_t len = strlen(s);
	unsigned long lo, hi, base;
	uint16_t port;
	enum lit_kind kind;

	memset(lit, 0, sizeof(*lit));
	lit->loc = sub_loc(a, off, len);
	lit->kind = LIT_NUMBER;
	if (len < 64 && ipt_service(c->ir->reg, s, L4_ANY, &port, &kind) == 0) {
		lit->lo = lit->hi = port;
		lit->kind = (uint8_t)kind;
		lit->name = arena_strdup(&c->ir->rs->arena, s);
		return true;
	}
	e = num_prefix(s, &lo);
	if (!e) {
		cmd_error(c, &lit->loc, "port '%s' not valid%s", s, odd_blank(s, len));
		return false;
	}
	if (*e != '\0' && *e != '-') {
		struct loc l = sub_loc(a, off + (size_t)(e - s), strlen(e));

		cmd_error(c, &l, "garbage after port value: '%s'", e);
		return false;
	}
	lit->lo = lit->hi = (uint16_t)lo;
	if (!*e)
		return true;
	e2 = num_prefix(e + 1, &hi);
	if (!e2 || hi == 0) {
		struct loc l = sub_loc(a, off + (size_t)(e + 1 - s), strlen(e + 1));

		cmd_error(c, &l, "port '%s' not valid", e + 1);
		return false;
	}
	if (*e2 && *e2 != '/') {
		struct loc l = sub_loc(a, off + (size_t)(e2 - s), strlen(e2));

		cmd_error(c, &l, "garbage after port range: '%s'", e2);
		return false;
	}
	if (hi < lo) {
		cmd_error(c, &lit->loc, "invalid portrange (min > max): '%.*s'",
			  (int)(e2 - s), s);
		return false;
	}
	if (*e2 == '/' && redirect) {
		cmd_error(c, &lit->loc, "shifted portmap ranges not supported: REDIRECT takes no '/BASE'");
		return false;
	}
	if (*e2 == '/' && (!(e = num_prefix(e2 + 1, &base)) || *e || base == 0)) {
		struct loc l = sub_loc(a, off + (size_t)(e2 + 1 - s), strlen(e2 + 1));

		cmd_error(c, &l, "port '%s' not valid", e2 + 1);
		return false;
	}
	lit->hi = (uint16_t)hi;
	lit->loc = sub_loc(a, off, (size_t)(e2 - s));
	return true;
}

/*
 * "ADDR[-ADDR][:PORT[-PORT[/BASE]]]", "[V6ADDR]:PORT", "PORT[-PORT]": read
 * when the option is met, as the NAT targets do ("-j DNAT --to-destination
 * 1.2.3.4:80 -p tcp" is refused: the protocol comes too late).  TPROXY's
 * --on-port looks names up for any protocol, and the kernel checks its
 * protocol when the rule is loaded: that is left to nat_ports().
 */
static bool nat_read(struct cmd *c)
{
	const struct ipt_arg *a = c->nat_arg;
	const char *s = a->s, *ports = NULL;
	size_t off, len;
	unsigned protos = c->proto;

	if (c->nat_id == O_TO_DEST || c->nat_id == O_TO_SRC) {
		bool v6 = s[0] == '[' || (strchr(s, ':') && strchr(s, ':') != strrchr(s, ':'));

		if (c->ir->family_known && v6 != (c->ir->family == FAM_IP6) &&
		    s[0] != ':') {
			cmd_error(c, &a->loc, "bad address '%s' for %s", s,
				  c->ir->family == FAM_IP6 ? "ip6tables" : "iptables");
			return false;
		}
		if (!v6 && strchr(s, ':') && strchr(strchr(s, ':') + 1, ':')) {
			cmd_error(c, &a->loc, "bad IP address '%s'", s);
			return false;
		}
		if (s[0] == '[') {
			const char *close = strchr(s, ']');

			c->ir->saw_ip6 = true;
			if (!close) {
				cmd_error(c, &a->loc, "invalid address '%s': ']' expected", s);
				return false;
			}
			/* "[a]-[b]:port" */
			if (close[1] == '-' && close[2] == '[' && strchr(close + 2, ']'))
				close = strchr(close + 2, ']');
			if (close[1] == ':')
				ports = close + 2;
			else if (close[1]) {
				cmd_error(c, &a->loc, "invalid address '%s'", s);
				return false;
			}
		} else if (strchr(s, ':') && strchr(s, ':') != strrchr(s, ':')) {
			c->ir->saw_ip6 = true;	/* an IPv6 address, no port */
		} else if ((ports = strchr(s, ':'))) {
			ports++;
		}
		if (!ports)
			return true;
	} else {
		ports = s;
	}
	off = (size_t)(ports - s);
	len = strcspn(ports, "/");
	if (!len) {
		cmd_error(c, &a->loc, "port expected in '%s'", s);
		return false;
	}
	if (c->nat_id != O_ON_PORT && c->protonum == 1 && !c->proto_neg &&
	    !(c->ir->family_known && c->ir->family == FAM_IP6)) {
		/* iptables takes a range for ICMP too: query ids, no port */
		struct port_lit ids;

		if (!nat_port_spec(c, a, off, c->target->kind == TGT_REDIRECT, &ids))
			return false;
		warn(c->ir, &ids.loc, "with '-p icmp' the range '%s' maps ICMP query ids, not ports: no port is listed",
		     ports);
		return true;
	}
	if (c->nat_id != O_ON_PORT && !c->proto_neg && (!protos || protos == L4_UDPLITE)) {
		cmd_error(c, &a->loc, "need TCP, UDP, SCTP or DCCP with port specification ('-p tcp')");
		return false;
	}
	if (c->nat_id != O_ON_PORT && memchr(ports, ':', len)) {
		struct loc l = sub_loc(a, off, len);

		cmd_error(c, &l, "invalid port:port syntax in '%.*s': use a dash (1024-2048)",
			  (int)len, ports);
		return false;
	}
	if (c->proto_neg)
		protos = L4_PORTS & ~protos;
	c->numstyle = c->nat_id == O_ON_PORT ? NUM_DECIMAL : NUM_C;
	/* --on-port: one port, the whole word through getaddrinfo()
	 * ("http-alt" is 8080, "3128-3130" does not resolve) */
	if (c->nat_id == O_ON_PORT ?
	    !port_atom(c, a, off, strlen(ports), L4_ANY, &c->nat_lit) :
	    !nat_port_spec(c, a, off, c->target->kind == TGT_REDIRECT, &c->nat_lit))
		return false;
	c->nat_port = true;
	return true;
}

/* The NAT ports nat_read() read, into R. */
static bool nat_ports(struct cmd *c, struct rule *r)
{
	struct nat_target *nt;
	bool snat = c->nat_id == O_TO_SRC ||
		    (c->nat_id == O_TO_PORTS && c->target->kind == TGT_MASQUERADE);

	if (!c->nat_port)
		return true;
	if (c->nat_id == O_ON_PORT && !c->proto_neg &&
	    (!c->proto || c->proto == L4_UDPLITE)) {
		cmd_error(c, &c->nat_lit.loc, "need TCP, UDP, SCTP or DCCP with port specification ('-p tcp')");
		return false;
	}
	if (c->nat_id == O_ON_PORT && c->nat_lit.lo == 0 && c->nat_lit.hi == 0)
		return true;	/* 0: the packet's own destination port */
	/* the target and its one literal and range in one allocation */
	nt = arena_alloc(&c->ir->rs->arena, sizeof(*nt) + sizeof(*nt->lits) +
			 sizeof(*nt->ports.r));
	nt->loc = c->nat_lit.loc;
	nt->lits = (struct port_lit *)(nt + 1);
	nt->lits[0] = c->nat_lit;
	nt->nlits = nt->alits = 1;
	nt->ports.r = (struct portrange *)(nt->lits + 1);
	nt->ports.r[0] = (struct portrange){ c->nat_lit.lo, c->nat_lit.hi };
	nt->ports.n = nt->ports.a = 1;
	if (snat)
		r->snat = nt;
	else
		r->nat = nt;
	return true;
}

/* S (N bytes) put at O of BUF, as much of it as fits in its first SIZE - 1
 * bytes (what snprintf() would keep); where it ends. */
static size_t put_cut(char *buf, size_t size, size_t o, const char *s, size_t n)
{
	if (n > size - 1 - o)
		n = size - 1 - o;
	memcpy(buf + o, s, n);
	return o + n;
}

static void opaque_run(struct cmd *c, struct rule *r, size_t from, size_t to)
{
	const struct ipt_arg *a = &c->args[from], *b = &c->args[to - 1];
	char buf[1024];
	size_t o = 0;
	struct loc loc = span_loc(a, b);

	if (from >= to)
		return;
	if (a->raw && b->raw && a->loc.file == b->loc.file && a->loc.line == b->loc.line &&
	    b->raw >= a->raw && b->raw - a->raw < 4096) {
		bool contiguous = true;

		/* split() makes every argument of a restore line from its text */
		for (size_t k = from; k < to && !c->ir->restore; k++)
			contiguous &= c->args[k].raw && c->args[k].loc.line == a->loc.line;
		if (contiguous) {
			rule_add_opaque_src(c->ir->rs, r, a->raw,
					    (size_t)(b->raw + b->rawlen - a->raw), &loc);
			return;
		}
	}
	/* the words joined by blanks, quoted where they were, cut to fit */
	for (size_t k = from; k < to && o + 4 < sizeof(buf); k++) {
		const struct ipt_arg *x = &c->args[k];

		if (o)
			o = put_cut(buf, sizeof(buf), o, " ", 1);
		if (x->quoted)
			o = put_cut(buf, sizeof(buf), o, "\"", 1);
		o = put_cut(buf, sizeof(buf), o, x->s, strlen(x->s));
		if (x->quoted)
			o = put_cut(buf, sizeof(buf), o, "\"", 1);
	}
	rule_add_opaque_n(c->ir->rs, r, buf, o, &loc);
}

/* The built-in chains a NAT target may sit in (user chains: any). */
static bool hook_ok(struct cmd *c, const struct chain *ch)
{
	unsigned ok;

	switch (c->target->kind) {
	case TGT_DNAT: case TGT_REDIRECT:
		ok = 1u << HOOK_PREROUTING | 1u << HOOK_OUTPUT;
		break;
	case TGT_SNAT:
		ok = 1u << HOOK_POSTROUTING | 1u << HOOK_INPUT;
		break;
	case TGT_MASQUERADE:
		ok = 1u << HOOK_POSTROUTING;
		break;
	case TGT_TPROXY:
		ok = 1u << HOOK_PREROUTING;
		break;
	default:
		return true;
	}
	if (ch->hook == HOOK_NONE || (ok & (1u << ch->hook)))
		return true;
	cmd_error(c, &c->target_arg->loc, "%s target: not usable from %s (the kernel refuses it)",
		  c->target->name, ch->name);
	return false;
}

/*
 * Whether iptables-nft keeps the match of protocol PROTO (an L4 bit) in C
 * as an x_tables match, which the kernel checks against "-p": sctp's and
 * dccp's always; tcp's and udp's when nothing of them is an nf_tables
 * payload match (no port, --syn or --tcp-flags), or with --tcp-option.
 * Checked with iptables-restore (iptables-nft 1.8.9).
 */
static bool xt_kept(const struct cmd *c, unsigned proto)
{
	bool native = false;

	if (proto != L4_TCP && proto != L4_UDP)
		return true;
	for (size_t i = 0; i < c->n; i++) {
		const char *s = c->args[i].s;

		if (s[0] != '-' || s[1] != '-')
			continue;
		if (streq(s, "--tcp-option"))
			return true;
		native |= streq(s, "--dport") || streq(s, "--sport") ||
			  streq(s, "--destination-port") || streq(s, "--source-port") ||
			  (proto == L4_TCP && (streq(s, "--syn") || streq(s, "--tcp-flags")));
	}
	return !native;
}

/* Whether C has a port option of its protocol's match (not only --syn
 * or --tcp-flags). */
static bool has_ports(const struct cmd *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const char *s = c->args[i].s;

		if ((streq(s, "--dport") || streq(s, "--sport") ||
		     streq(s, "--destination-port") || streq(s, "--source-port")))
			return true;
	}
	return false;
}

static long chain_remove_rule(struct chain *ch, const struct rule *r);

/*
 * Restore input: the kernel refuses R with MSG at LOC when its table is
 * committed, if R is still there then (ipt_commit()).  Said here, in the
 * order of the input, and taken back if R is not.
 */
static void refused_at_commit(struct cmd *c, struct rule *r, const struct loc *loc,
			      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void refused_at_commit(struct cmd *c, struct rule *r, const struct loc *loc,
			      const char *fmt, ...)
{
	struct ipt_reader *ir = c->ir;
	struct diag *d;
	char msg[1024];
	va_list ap;

	/* one rule per address pair: said once, of all of them */
	if (!(d = c->refused)) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		ipt_error(ir, loc, "%s", msg);
		d = ruleset_last_diag(ir->rs);
		if (!d || d->level != DIAG_ERROR)
			return;		/* too many errors: nothing is read on */
		c->refused = d;
	}
	ir->refusals = grow_array(ir->refusals, &ir->arefusals, ir->nrefusals + 1,
				  sizeof(*ir->refusals));
	ir->refusals[ir->nrefusals].rule = r;
	ir->refusals[ir->nrefusals].diag = d;
	ir->nrefusals++;
}

/*
 * "-F CH" in the same input: iptables-nft takes CH's rules not yet sent
 * out of what it sends, so the kernel never sees those it would refuse
 * (checked with iptables-restore 1.8.9).  "-F" of every chain and "-D"
 * still send them.  The rules of one error (one per address pair) are next
 * to each other, in one chain.
 */
static void refusals_flushed(struct ipt_reader *ir, const struct chain *ch)
{
	size_t o = 0;

	for (size_t i = 0; i < ir->nrefusals; i++) {
		if (ir->refusals[i].rule->chain != ch) {
			ir->refusals[o++] = ir->refusals[i];
			continue;
		}
		if (!i || ir->refusals[i - 1].diag != ir->refusals[i].diag) {
			ruleset_drop_diag(ir->rs, ir->refusals[i].diag);
			ir->errors--;
		}
	}
	ir->nrefusals = o;
}

void ipt_commit(struct ipt_reader *ir)
{
	/* refused: not in the ruleset loaded (the error stays) */
	for (size_t i = 0; i < ir->nrefusals; i++)
		chain_remove_rule(ir->refusals[i].rule->chain, ir->refusals[i].rule);
	ir->nrefusals = 0;
}

/*
 * A protocol's match ("-m tcp") in a rule for another protocol, or for
 * none: x_tables refuses it when the rule is loaded, whatever the order
 * ("-m tcp -p tcp --dport 22" is fine).  False (reported) if so.  One the
 * kernel refuses only when its table is committed is R's refusal there.
 */
static bool module_protos(struct cmd *c, struct rule *r)
{
	for (size_t i = 0; i < c->nmods; i++) {
		const struct loaded *l = &c->mods[i];
		const struct moddef *m = l->mod >= 0 ? &modules[l->mod] : NULL;

		if (!m || !m->proto)
			continue;
		if (m->proto != c->proto) {
			cmd_error(c, &l->arg->loc, "%s match: only valid for protocol %d ('-p %s')",
				  l->name, l4_number(m->proto), l->name);
			return false;
		}
		if (c->proto_neg && xt_kept(c, m->proto) && c->ir->restore) {
			refused_at_commit(c, r, &l->arg->loc, "%s match: not with '! -p %s': the kernel refuses the rule (RULE_APPEND failed (Invalid argument))",
					  l->name, l->name);
			continue;
		}
		if (c->proto_neg && xt_kept(c, m->proto)) {
			cmd_error(c, &l->arg->loc, "%s match: not with '! -p %s': the kernel refuses the rule (RULE_APPEND failed (Invalid argument))",
				  l->name, l->name);
			return false;
		}
		if (c->proto_neg && has_ports(c))
			warn(c->ir, &l->arg->loc, "'! -p %s' with %s ports: iptables-nft matches these ports of every other protocol; iptables-legacy rejects the rule",
			     l->name, l->name);
		else if (c->proto_neg)
			warn(c->ir, &l->arg->loc, "'! -p %s' with %s flags: iptables-nft tests those bits of every other protocol's header; iptables-legacy rejects the rule",
			     l->name, l->name);
	}
	return true;
}

/* Everything a rule says, into R.  False (reported) if it is invalid. */
static bool fill_rule(struct cmd *c, struct rule *r)
{
	if (!module_protos(c, r))
		return false;
	r->loc = *c->where;
	r->l4 = (uint8_t)(c->proto_neg ? L4_PORTS & ~c->proto : c->proto);
	if ((c->iface[1] && (r->chain->hook == HOOK_INPUT || r->chain->hook == HOOK_PREROUTING)) ||
	    (c->iface[0] && (r->chain->hook == HOOK_OUTPUT || r->chain->hook == HOOK_POSTROUTING))) {
		const struct ipt_arg *o = c->iface[1] && (r->chain->hook == HOOK_INPUT ||
							  r->chain->hook == HOOK_PREROUTING) ?
					  c->iface[1] : c->iface[0];

		cmd_error(c, &o->loc, "can't use %s with %s: packets there have no %s interface",
			  o->s, r->chain->name, o == c->iface[1] ? "output" : "input");
		return false;
	}
	r->ct_states = c->ct_states;
	r->ct_states_negated = c->ct_states_neg;
	if (c->comment)
		r->comment = arena_strndup(&c->ir->rs->arena, c->comment, c->comment_len);
	/* room for what the rule is most likely to get, made once: a
	 * match per port option (an ipset's may make more) */
	if (c->nports) {
		r->matches = arena_alloc(&c->ir->rs->arena, c->nports * sizeof(*r->matches));
		r->amatches = (uint32_t)c->nports;
	}
	for (size_t i = 0; i < c->nports; i++) {
		const struct pspec *p = &c->ports[i];
		bool ok;

		switch (p->id) {
		case O_MP_SPORTS: case O_MP_DPORTS: case O_MP_PORTS:
			multiport(c, p, r);
			ok = true;
			break;
		case O_MATCH_SET:
			ok = set_ports(c, p, r);
			break;
		default:
			ok = value_ports(c, p, r);
			break;
		}
		if (!ok)
			return false;
	}
	if (c->target_arg) {
		if (c->target && c->target->table && strcmp(c->target->table, r->chain->table->name)) {
			cmd_error(c, &c->target_arg->loc, "%s target: only valid in the %s table, not %s",
				  c->target->name, c->target->table, r->chain->table->name);
			return false;
		}
		if (c->target && !hook_ok(c, r->chain))
			return false;
		if (c->tcp_reset && c->target && c->target->kind == TGT_REJECT &&
		    (c->proto != L4_TCP || c->proto_neg)) {
			cmd_error(c, &c->tcp_reset->loc, "REJECT --reject-with %s needs '-p tcp': the kernel refuses it for other protocols",
				  c->tcp_reset->s);
			return false;
		}
		if (c->target) {
			r->verdict = c->target->verdict;
			r->nat_kinds |= c->target->kind == TGT_DNAT ? NAT_DNAT :
					c->target->kind == TGT_REDIRECT ? NAT_REDIRECT :
					c->target->kind == TGT_TPROXY ? NAT_TPROXY :
					c->target->kind == TGT_SNAT ? NAT_SNAT :
					c->target->kind == TGT_MASQUERADE ? NAT_MASQUERADE : 0;
		} else if (!c->target_other) {
			const struct chain *to = table_chain(c->ir->rs, r->chain->table,
							     c->target_arg->s, false);

			if (!to && !c->ir->restore &&
			    (c->ir->unread_chains & (1u << c->ir->family))) {
				/* made by a command not read, as far as
				 * anyone can tell (noted there) */
				struct chain *made = table_chain(c->ir->rs, r->chain->table,
								 c->target_arg->s, true);

				made->loc = c->target_arg->loc;
				to = made;
			}

			if (c->ir->restore && !to) {
				cmd_error(c, &c->target_arg->loc, "chain '%s' does not exist (a chain must be declared before rules jump to it)",
					  c->target_arg->s);
				return false;
			}
			if (to && to->hook != HOOK_NONE) {
				cmd_error(c, &c->target_arg->loc, "can't %s to built-in chain %s: the kernel refuses the rule",
					  c->is_goto ? "go" : "jump", to->name);
				return false;
			}
			r->verdict = c->is_goto ? VERDICT_GOTO : VERDICT_JUMP;
			/* the chain's own name where it exists: kube-proxy's
			 * rules name a chain each, and copies add up */
			r->target = to ? to->name :
				    arena_strdup(&c->ir->rs->arena, c->target_arg->s);
		} else {
			r->verdict = streq(c->target_arg->s, "NFQUEUE") ? VERDICT_QUEUE :
								       VERDICT_NONE;
		}
	}
	if (c->nat_arg && !nat_ports(c, r))
		return false;
	/* and an expression per run of opaque arguments */
	if (c->nopaque && !r->aopaque) {
		r->opaque = arena_alloc(&c->ir->rs->arena, c->nopaque * sizeof(*r->opaque));
		r->aopaque = (uint32_t)c->nopaque;
	}
	for (size_t i = 0; i < c->nopaque; i++)
		opaque_run(c, r, c->opaque[i].from, c->opaque[i].to);
	return true;
}

/* --- commands ------------------------------------------------------------------------------ */

void ipt_unsure_chain(struct ipt_reader *ir, uint8_t family, const char *table,
		      const char *chain, uint32_t line, bool appends)
{
	struct ipt_unsure *u;
	struct table *t = table ? ruleset_table(ir->rs, (enum family)family, table, false) : NULL;
	struct chain *ch = t && chain ? table_chain(ir->rs, t, chain, false) : NULL;
	uint32_t known = appends && ch ? ch->nrules : 0;

	/* the same chain (or the same "any chain") again: one record, at
	 * the last change, knowing the least of them */
	for (size_t i = 0; i < ir->nunsure; i++) {
		u = &ir->unsure[i];
		if (u->family != family || !u->table != !table || !u->chain != !chain ||
		    (table && !streq(u->table, table)) || (chain && !streq(u->chain, chain)))
			continue;
		u->line = line;
		if (known < u->known)
			u->known = known;
		return;
	}
	ir->unsure = grow_array(ir->unsure, &ir->aunsure, ir->nunsure + 1, sizeof(*ir->unsure));
	u = &ir->unsure[ir->nunsure++];
	u->family = family;
	u->table = table ? strdup(table) : NULL;
	u->chain = chain ? strdup(chain) : NULL;
	u->line = line;
	u->known = known;
	if ((table && !u->table) || (chain && !u->chain))
		oom();
}

static bool unsure_is(const struct ipt_unsure *u, const struct table *t,
		      const struct chain *ch)
{
	return u->family == t->family && (!u->table || streq(u->table, t->name)) &&
	       (!u->chain || streq(u->chain, ch->name));
}

/*
 * The last command not read that changes CH of T, or NULL; *RET_KNOWN:
 * how many rules at the chain's head are known all the same.
 */
static const struct ipt_unsure *unsure_of(const struct ipt_reader *ir,
					  const struct table *t,
					  const struct chain *ch, uint32_t *ret_known)
{
	const struct ipt_unsure *last = NULL;

	*ret_known = UINT32_MAX;
	for (size_t i = 0; i < ir->nunsure; i++) {
		if (!unsure_is(&ir->unsure[i], t, ch))
			continue;
		last = &ir->unsure[i];
		if (last->known < *ret_known)
			*ret_known = last->known;
	}
	return last;
}

/* A rule put in (DELTA 1) or taken out (-1) at POS of CH: the known head
 * of CH's own records grows or shrinks if POS is in it.  A record of any
 * chain (an unread function or restore) knows no rule of any: it stays. */
static void unsure_moved(struct ipt_reader *ir, const struct chain *ch,
			 uint32_t pos, int delta)
{
	for (size_t i = 0; i < ir->nunsure; i++) {
		struct ipt_unsure *u = &ir->unsure[i];

		if (u->chain && unsure_is(u, ch->table, ch) &&
		    (delta > 0 ? pos <= u->known : pos < u->known))
			u->known = (uint32_t)((int64_t)u->known + delta);
	}
}

/* "-F CHAIN" (CH), "-F" (CH NULL): what is left is known again. */
static void unsure_flushed(struct ipt_reader *ir, const struct table *t,
			   const struct chain *ch)
{
	size_t k = 0;

	for (size_t i = 0; i < ir->nunsure; i++) {
		struct ipt_unsure *u = &ir->unsure[i];

		if (u->family == t->family && u->table && streq(u->table, t->name) &&
		    (!ch || (u->chain && streq(u->chain, ch->name)))) {
			free(u->table);
			free(u->chain);
			continue;
		}
		ir->unsure[k++] = *u;
	}
	ir->nunsure = k;
}

/*
 * Rule number A of CH for the command: false after an error (reported).
 * Past the rules of CH still known, where commands not read change the
 * chain, nothing says which rule the kernel has there: noted, and
 * *RET_UNSURE set.  Else checked against MAX, the rules of the chain (one
 * more for an insertion).  *RET: the number.
 */
static bool chain_rulenum(struct cmd *c, const struct chain *ch, const struct ipt_arg *a,
			  uint32_t max, unsigned long *ret, bool *ret_unsure)
{
	uint32_t known;
	const struct ipt_unsure *u = unsure_of(c->ir, ch->table, ch, &known);

	*ret_unsure = false;
	if (!parse_num(a->s, a->len, 0xffffffffUL, ret) || *ret == 0) {
		cmd_error(c, &a->loc, "invalid rule number '%s'", a->s);
		return false;
	}
	/* a number within the rules still known names a known rule */
	if (u && *ret > (c->verb == O_INSERT ? (uint64_t)known + 1 : known)) {
		ipt_note(c->ir, &a->loc, "%s rule %lu of chain %s: which rule that is, is not known, as line %u changes the chain with commands not read%s",
			 c->verb == O_DELETE ? "not deleted:" : c->verb == O_INSERT ? "inserted at" : "replaces",
			 *ret, ch->name, u->line,
			 c->verb == O_DELETE ? "" : " (taken as the chain read has it)");
		*ret_unsure = true;
		return true;
	}
	if (*ret > max) {
		cmd_error(c, &a->loc, "index of %s too big: the chain has %u rules",
			  c->verb == O_INSERT ? "insertion" : "deletion", max);
		return false;
	}
	return true;
}

/* The short name of the long option NAME ("--destination-port" is
 * "--dport", "--protocol" "-p"), or NAME. */
static const char *canon_opt(struct ipt_reader *ir, const char *name, size_t len)
{
	const struct word_memo *w;

	if (name[0] != '-' || name[1] != '-')
		return name;
	/* the option tables' answers for NAME, looked up once per name */
	w = word(ir, name, len, W_OPTS);
	for (int t = 0; t < NOPT_TABLES; t++) {
		const struct optdef *d = opt_in(w, t, name, len);

		if (d)
			return d->name;
	}
	return name;
}

/*
 * The rule's specification, for "-D CHAIN SPEC": its arguments but the
 * command, the chain and the table, NUL-separated.  iptables compares the
 * rules it parsed, so what parses the same is written the same here: long
 * options by their short names, "-p" by its number, no "-m tcp" after
 * "-p tcp", no "/32" (or "/128") after an address.
 */
static char *spec_key(const struct cmd *c, unsigned pair, size_t *ret_len)
{
	size_t len = 0, o = 0;
	char *key;
	const char *prev = "";
	const unsigned nd = c->naddr[1] ? c->naddr[1] : 1;

	for (size_t i = 0; i < c->n; i++)
		len += c->args[i].len + 5;
	key = malloc(len + 1);
	if (!key)
		oom();
	for (size_t i = 0; i < c->n; i++) {
		const struct ipt_arg *a = &c->args[i];
		const char *s = canon_opt(c->ir, a->s, a->len);
		size_t n = s == a->s ? a->len : strlen(s);
		char num[DECIMAL_U32_DIGITS];

		if (a == c->verb_arg || a == c->verb_args[0] || a == c->table_arg ||
		    a == c->table_opt)
			continue;
		if (streq(s, "-m") && i + 1 < c->n && c->proto_mod &&
		    streq(c->args[i + 1].s, c->proto_mod)) {
			i++;
			continue;
		}
		if (streq(prev, "-p") && c->protonum >= 0 && a == c->proto_arg) {
			n = (size_t)(decimal_put_u32(num, (uint32_t)c->protonum) - num);
			s = num;
		} else if (streq(prev, "-s") || streq(prev, "-d")) {
			/* "-s a,b": the address of this rule's pair, as one */
			unsigned idx = streq(prev, "-s") ? pair / nd : pair % nd;
			const char *mask;

			for (const char *comma; idx-- > 0 && (comma = memchr(s, ',', n)); ) {
				n -= (size_t)(comma + 1 - s);
				s = comma + 1;
			}
			if (memchr(s, ',', n))
				n = (size_t)((const char *)memchr(s, ',', n) - s);
			mask = memchr(s, ':', n) ? "/128" : "/32";
			if (n > strlen(mask) && memcmp(s + n - strlen(mask), mask, strlen(mask)) == 0)
				n -= strlen(mask);
		}
		memcpy(key + o, s, n);
		o += n;
		key[o++] = '\0';
		prev = s;
	}
	*ret_len = o;
	return key;
}

/* R, the rule of address pair PAIR of C, may be deleted by its spec. */
static void remember_spec(struct cmd *c, struct rule *r, unsigned pair)
{
	struct ipt_reader *ir = c->ir;

	if (!ir->keep_specs)
		return;
	ir->specs = grow_array(ir->specs, &ir->aspecs, ir->nspecs + 1, sizeof(*ir->specs));
	ir->specs[ir->nspecs].rule = r;
	ir->specs[ir->nspecs].text = spec_key(c, pair, &ir->specs[ir->nspecs].len);
	ir->nspecs++;
}

static void chain_remove(struct chain *ch, uint32_t pos)
{
	memmove(&ch->rules[pos], &ch->rules[pos + 1],
		(ch->nrules - pos - 1) * sizeof(*ch->rules));
	ch->nrules--;
}

/* Takes R out of CH; returns where it was, or -1 if it was not there. */
static long chain_remove_rule(struct chain *ch, const struct rule *r)
{
	for (uint32_t k = 0; k < ch->nrules; k++) {
		if (ch->rules[k] == r) {
			chain_remove(ch, k);
			return k;
		}
	}
	return -1;
}

/* How many rules one command makes: one per address pair ("-s a,b -d c"). */
static unsigned addr_pairs(const struct cmd *c)
{
	return (c->naddr[0] ? c->naddr[0] : 1) * (c->naddr[1] ? c->naddr[1] : 1);
}

static void delete_rule(struct cmd *c, struct chain *ch)
{
	struct ipt_reader *ir = c->ir;
	size_t len;
	char *key;

	if (c->nverb_args > 1) {
		unsigned long n;
		bool unsure;

		if (chain_rulenum(c, ch, c->verb_args[1], ch->nrules, &n, &unsure) && !unsure) {
			chain_remove(ch, (uint32_t)n - 1);
			unsure_moved(ir, ch, (uint32_t)n - 1, -1);
		}
		return;
	}
	/* "-s a,b": the rule of each address pair, as iptables made them */
	for (unsigned pair = 0; pair < addr_pairs(c); pair++) {
		long at = -1;

		key = spec_key(c, pair, &len);
		for (size_t i = 0; i < ir->nspecs && at < 0; i++) {
			struct rule *r = ir->specs[i].rule;

			if (r->chain != ch || ir->specs[i].len != len ||
			    memcmp(ir->specs[i].text, key, len))
				continue;
			if ((at = chain_remove_rule(ch, r)) >= 0)
				unsure_moved(ir, ch, (uint32_t)at, -1);
		}
		free(key);
		if (at < 0)
			break;
		if (pair + 1 == addr_pairs(c))
			return;
	}
	if (ir->restore)
		cmd_error(c, c->where, "bad rule: no rule of chain %s matches this one", ch->name);
	else
		ipt_note(ir, c->where, "no rule of chain %s matches this one as written: nothing is deleted (iptables compares rules as it parsed them)",
			 ch->name);
}

static bool referenced(const struct table *t, const char *name)
{
	for (uint32_t i = 0; i < t->nchains; i++)
		for (uint32_t k = 0; k < t->chains[i]->nrules; k++) {
			const struct rule *r = t->chains[i]->rules[k];

			if (r->target && strcmp(r->target, name) == 0)
				return true;
		}
	return false;
}

static void delete_chain(struct cmd *c, struct table *t, struct chain *ch)
{
	if (builtin_chain(t, ch->name)) {
		cmd_error(c, &c->verb_args[0]->loc, "can't delete built-in chain %s", ch->name);
		return;
	}
	if (ch->nrules) {
		cmd_error(c, &c->verb_args[0]->loc, "chain %s is not empty", ch->name);
		return;
	}
	if (referenced(t, ch->name)) {
		cmd_error(c, &c->verb_args[0]->loc, "chain %s is still jumped to", ch->name);
		return;
	}
	table_delete_chain(t, ch);
}

static void run(struct cmd *c)
{
	struct ipt_reader *ir = c->ir;
	struct table *t;
	struct chain *ch = NULL;
	const struct ipt_arg *chain_arg = c->nverb_args ? c->verb_args[0] : NULL;
	struct rule *r;
	uint32_t pos;

	if (!c->verb) {
		cmd_error(c, c->where, "no command specified (-A, -I, -N, -P ...)");
		return;
	}
	if ((c->only4 && ir->family == FAM_IP6) || (c->only6 && ir->family == FAM_IP))
		return;		/* for the other family: iptables skips it too */
	if (ir->restore) {
		t = ir->table;
		if (!t) {
			cmd_error(c, c->where, "a rule outside a table: a '*filter' (or *nat ...) line must come first");
			return;
		}
	} else {
		t = ipt_table(ir, c->table_arg ? c->table_arg->s : "filter",
			      c->table_arg ? &c->table_arg->loc : c->where);
		if (!t) {
			c->bad = true;
			return;
		}
	}
	if (chain_arg) {
		ch = ir->last_chain && ir->last_chain->table == t &&
		     streq(ir->last_chain->name, chain_arg->s) ? ir->last_chain :
		     table_chain(ir->rs, t, chain_arg->s, false);
		ir->last_chain = ch;
		if (!ch && c->verb != O_NEW) {
			if (ir->restore || c->verb != O_APPEND) {
				if (c->verb == O_FLUSH || c->verb == O_DELETE_CHAIN ||
				    c->verb == O_ZERO || c->verb == O_LIST ||
				    c->verb == O_LIST_RULES || c->verb == O_CHECK ||
				    c->verb == O_DELETE) {
					if (ir->restore)
						cmd_error(c, &chain_arg->loc, "chain '%s' does not exist",
							  chain_arg->s);
					return;
				}
				if (ir->restore || c->verb != O_INSERT) {
					cmd_error(c, &chain_arg->loc, "chain '%s' does not exist%s",
						  chain_arg->s, ir->restore ? " (declare it: ':NAME - [0:0]')" : "");
					return;
				}
			}
			/* A script may rely on a chain made before it ran,
			 * or by an iptables-restore whose input was not read
			 * or another command not read (noted there). */
			if (!(ir->unread_chains & (1u << ir->family)))
				warn(ir, &chain_arg->loc, "chain '%s' is not created in this script ('iptables -N %s'): iptables fails here unless it already exists",
				     chain_arg->s, chain_arg->s);
			ch = table_chain(ir->rs, t, chain_arg->s, true);
			ch->loc = chain_arg->loc;
		}
	}
	switch (c->verb) {
	case O_APPEND:
	case O_INSERT:
	case O_REPLACE: {
		uint8_t verb = c->verb;
		unsigned long v;
		bool unsure;

		pos = 0;
		if (verb != O_APPEND && c->nverb_args > 1) {
			if (!chain_rulenum(c, ch, c->verb_args[1],
					   verb == O_INSERT ? ch->nrules + 1 : ch->nrules, &v, &unsure))
				return;
			if (unsure && verb == O_INSERT)
				pos = v > ch->nrules + 1 ? ch->nrules + 1 : (uint32_t)v;
			else if (unsure && v > ch->nrules)
				verb = O_APPEND;	/* no rule read there to replace */
			else
				pos = (uint32_t)v;
		}
		/* iptables makes one rule per source and destination pair,
		 * each inserted where the first went (so in reverse). */
		for (unsigned k = 0; k < addr_pairs(c); k++) {
			r = chain_add_rule(ir->rs, ch, verb == O_APPEND ? -1 :
						       pos ? (long)pos - 1 : 0);
			if (!fill_rule(c, r)) {
				chain_remove_rule(ch, r);
				return;
			}
			if (verb == O_REPLACE) {
				chain_remove(ch, pos);
				return;
			}
			if (verb == O_INSERT)
				unsure_moved(ir, ch, pos ? pos - 1 : 0, 1);
			remember_spec(c, r, k);
		}
		return;
	}
	case O_DELETE:
		delete_rule(c, ch);
		return;
	case O_FLUSH:
		unsure_flushed(ir, t, ch);
		if (ch) {
			refusals_flushed(ir, ch);
			chain_flush(ch);
			return;
		}
		for (uint32_t i = 0; i < t->nchains; i++)
			chain_flush(t->chains[i]);
		return;
	case O_NEW:
		if (ch) {
			cmd_error(c, &chain_arg->loc, "chain '%s' already exists", chain_arg->s);
			return;
		}
		if (builtin_chain(t, chain_arg->s) || chain_arg->len > 28 || !chain_arg->len) {
			cmd_error(c, &chain_arg->loc, "invalid chain name '%s'", chain_arg->s);
			return;
		}
		ch = table_chain(ir->rs, t, chain_arg->s, true);
		ch->loc = chain_arg->loc;
		return;
	case O_DELETE_CHAIN:
		if (ch) {
			delete_chain(c, t, ch);
			return;
		}
		for (uint32_t i = t->nchains; i-- > 0; ) {
			ch = t->chains[i];
			if (builtin_chain(t, ch->name))
				continue;
			if (ch->nrules || referenced(t, ch->name)) {
				cmd_error(c, c->where, "chain %s is not empty or still jumped to", ch->name);
				return;
			}
			table_delete_chain(t, ch);
		}
		return;
	case O_POLICY: {
		const struct ipt_arg *pol = c->verb_args[1];

		if (!builtin_chain(t, ch->name)) {
			cmd_error(c, &chain_arg->loc, "bad built-in chain name '%s': only built-in chains have a policy",
				  ch->name);
			return;
		}
		if (streq(pol->s, "ACCEPT")) {
			ch->policy = VERDICT_ACCEPT;
		} else if (streq(pol->s, "DROP")) {
			ch->policy = VERDICT_DROP;
		} else {
			cmd_error(c, &pol->loc, "bad policy name '%s' (ACCEPT or DROP)", pol->s);
		}
		return;
	}
	case O_RENAME: {
		const struct ipt_arg *to = c->verb_args[1];

		if (builtin_chain(t, ch->name) || table_chain(ir->rs, t, to->s, false) ||
		    builtin_chain(t, to->s)) {
			cmd_error(c, &to->loc, "cannot rename chain %s to %s", ch->name, to->s);
			return;
		}
		for (uint32_t i = 0; i < t->nchains; i++)
			for (uint32_t k = 0; k < t->chains[i]->nrules; k++) {
				struct rule *x = t->chains[i]->rules[k];

				if (x->target && strcmp(x->target, ch->name) == 0)
					x->target = arena_strdup(&ir->rs->arena, to->s);
			}
		table_rename_chain(ir->rs, t, ch, to->s);
		return;
	}
	default:
		return;		/* -C, -L, -S, -Z change nothing */
	}
}

void ipt_command(struct ipt_reader *ir, const struct ipt_arg *args, size_t n,
		 const struct loc *where)
{
	struct cmd *c;

	if (ir->stop)
		return;
	/* one command buffer per reader, a few KiB: cleared up to its arrays */
	if (!ir->cmd) {
		ir->cmd = malloc(sizeof(*c));
		ir->words = calloc(1, sizeof(*ir->words));
		if (!ir->cmd || !ir->words)
			oom();
	}
	c = ir->cmd;
	memset(c, 0, offsetof(struct cmd, mods));
	c->ir = ir;
	c->protonum = c->ct_protonum = -1;
	c->args = args;
	c->n = n;
	c->where = where;
	parse_args(c);
	if (c->verb == O_DELETE_CHAIN || c->verb == O_RENAME)
		ir->last_chain = NULL;	/* it may be gone */
	if (!c->bad)
		run(c);
}

void ipt_reader_release(struct ipt_reader *ir)
{
	free(ir->refusals);
	for (size_t i = 0; i < ir->nspecs; i++)
		free(ir->specs[i].text);
	free(ir->specs);
	for (size_t i = 0; i < ir->nunsure; i++) {
		free(ir->unsure[i].table);
		free(ir->unsure[i].chain);
	}
	free(ir->unsure);
	ir->unsure = NULL;
	ir->nunsure = ir->aunsure = 0;
	free(ir->cmd);
	free(ir->words);
	ir->words = NULL;
	ir->specs = NULL;
	ir->cmd = NULL;
	ir->nspecs = 0;
}
