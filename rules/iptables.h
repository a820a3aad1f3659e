/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iptables readers: iptables-save dumps (what iptables-restore reads) and
 * shell scripts calling iptables, into the ruleset model.
 */
#ifndef PORTOLAN_IPTABLES_H
#define PORTOLAN_IPTABLES_H

#include "registry.h"
#include "ruleset.h"

struct ipset_db;

struct ipt_options {
	int family;		/* FAM_IP or FAM_IP6; -1: from the content */
	const struct ipset_db *ipsets;	/* "ipset save" sets; may be NULL */
	unsigned max_errors;	/* 0: the default, 20 */
};

/*
 * Reads an iptables-save dump in TEXT (malloc'd, NUL-terminated; the
 * ruleset takes it) named NAME into RS.  Problems go into rs->diags; a bad
 * line never stops the rest of the file.
 */
int ipt_save_read(struct ruleset *rs, const char *name, char *text,
		  size_t len, const struct registry *reg,
		  const struct ipt_options *opts);

/* The same for a shell script: what it would load, read statically. */
int ipt_script_read(struct ruleset *rs, const char *name, char *text,
		    size_t len, const struct registry *reg,
		    const struct ipt_options *opts);

/*
 * Sets from an "ipset save" file: those with a port dimension (bitmap:port,
 * hash:ip,port, hash:net,port ...) give "-m set --match-set" its ports.
 * The database takes TEXT (malloc'd, NUL-terminated); problems with the
 * file are in ipset_db_diags().
 */
struct ipset_db *ipset_db_read(const char *name, char *text, size_t len,
			       const struct registry *reg);
const struct ruleset *ipset_db_diags(const struct ipset_db *db);
void ipset_db_free(struct ipset_db *db);

#endif
