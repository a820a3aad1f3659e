/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One iptables command, as both iptables readers hand it over: its
 * arguments with where each was written.  Private to the iptables readers.
 */
#ifndef PORTOLAN_IPT_H
#define PORTOLAN_IPT_H

#include <stdbool.h>

#include "iptables.h"

struct ipt_arg {
	const char *s;		/* NUL-terminated */
	uint32_t len;
	bool exact;		/* S is the source text at LOC, byte for byte */
	bool quoted;		/* written in quotes (shown so; iptables gets
				 * the word without them, option or value) */
	struct loc loc;
	const char *raw;	/* as written in the source, quotes and all; */
	uint32_t rawlen;	/* NULL where it was not written so (a variable) */
};

struct ipt_reader {
	struct ruleset *rs;
	const struct registry *reg;
	const struct ipset_db *ipsets;
	bool restore;		/* iptables-restore input (else a script) */
	bool family_fixed;	/* --family given: no guessing */
	bool family_known;	/* fixed, or told by the file's name or header */
	bool saw_ip6;		/* an IPv6 address or ICMPv6: the family is ip6 */
	uint8_t family;		/* of the command being read */
	struct table *table;	/* restore: the current *table */
	/* Script: bit 1 << FAM_* set once commands of that family that are
	 * not read may have made chains (an iptables-restore of input not
	 * read, "iptables -N $c" in a loop, a function called): the chains a
	 * later command names may come from them. */
	unsigned unread_chains;
	struct chain *last_chain;	/* of the last command: most often the next's */
	unsigned errors, max_errors;
	bool stop;		/* too many errors */
	bool junk_told;		/* a blank iptables-restore or sh does not
				 * split words at (\r, \v, \f) was reported */
	/* The rules -D may name by their specification (kept when the
	 * input has a -D at all). */
	bool keep_specs;
	struct ipt_spec *specs;
	size_t nspecs, aspecs;
	/* Script: chains changed by commands not read (in a loop, a case,
	 * a function called ...): rule numbers in them are not known. */
	struct ipt_unsure *unsure;
	size_t nunsure, aunsure;
	struct cmd *cmd;	/* ipt_command's buffer */
	struct ipt_words *words;	/* words already looked up in ipt_rule.c's tables */
	/* Restore: rules of the table being read that the kernel refuses
	 * when it is committed ("! -p udp -m udp"), reported where they
	 * are; unless a later "-F CHAIN" takes them out again, as
	 * iptables-nft then never sends them. */
	struct ipt_refusal *refusals;
	size_t nrefusals, arefusals;
};

struct ipt_refusal {
	struct rule *rule;
	struct diag *diag;	/* the error said of it */
};

struct ipt_spec {
	struct rule *rule;
	char *text;		/* the arguments after the chain, NUL-separated */
	size_t len;
};

struct ipt_unsure {
	uint8_t family;
	char *table;		/* NULL: every table (malloc'd) */
	char *chain;		/* NULL: every chain of TABLE (malloc'd) */
	uint32_t line;		/* of the command not read */
	uint32_t known;		/* rules at the chain's head still known
				 * (what was there before "-A"s not read) */
};

/*
 * Chain CHAIN of TABLE (either NULL: all) is changed at LINE by a command
 * not read, one that only APPENDS or any other: later commands naming a
 * rule of it by number past the rules still known are noted, and not
 * trusted to name the rule they would in the kernel.
 */
void ipt_unsure_chain(struct ipt_reader *ir, uint8_t family, const char *table,
		      const char *chain, uint32_t line, bool appends);

void ipt_error(struct ipt_reader *ir, const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ipt_note(struct ipt_reader *ir, const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The table NAME of FAMILY with its built-in chains, or NULL (reported). */
struct table *ipt_table(struct ipt_reader *ir, const char *name,
			const struct loc *loc);

/*
 * Applies one command: ARGS are its arguments after the program name
 * ("-A INPUT -p tcp --dport 22 -j ACCEPT").  WHERE is where the command
 * starts.  In restore input the table is ir->table and "-t" is an error.
 */
void ipt_command(struct ipt_reader *ir, const struct ipt_arg *args, size_t n,
		 const struct loc *where);

/* Restore: the table read is committed ("COMMIT", or the end of the
 * input): the rules the kernel refuses that are still there are errors. */
void ipt_commit(struct ipt_reader *ir);
/* Gives every table read its family once the input has shown it. */
void ipt_finish(struct ipt_reader *ir);
/*
 * The table "iptables -S" output lists when its "-P" lines name the
 * built-in chains CHAINS (bit HOOK_* - 1 of each): the one with exactly
 * those (*RET_EXACT set), else the first holding them all ("iptables -t nat
 * -S POSTROUTING"), in the order filter, nat, mangle, raw, security; NULL
 * if none does.
 */
const char *ipt_listed_table(unsigned chains, bool *ret_exact);
/* Frees what the reader holds (not the ruleset). */
void ipt_reader_release(struct ipt_reader *ir);

/* An ipset with a port dimension, for "-m set --match-set NAME FLAGS". */
struct ipset_info {
	const char *name;
	unsigned dims;		/* 1-3 */
	unsigned port_dim;	/* 0-based dimension holding the port */
	unsigned protos;	/* L4 bits its elements name */
	struct portset ports[5];	/* per L4 bit: tcp udp sctp dccp udplite */
	struct loc loc;
	/* list:set: its members' names (in the arena, as the array); once
	 * read, their ports are merged in here, or OPAQUE says they cannot be (a member
	 * without ports matches every port; members whose ports sit in
	 * different dimensions take different flags) */
	bool list, opaque;
	const char **members;
	uint32_t nmembers, amembers;
};

/* The set NAME, or NULL: no such set or no port dimension (*EXISTS says). */
const struct ipset_info *ipset_find(const struct ipset_db *db, const char *name,
				    bool *exists);

#endif
