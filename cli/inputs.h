/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The inputs named on a command line: files, directories, '-'. */
#ifndef PORTOLAN_INPUTS_H
#define PORTOLAN_INPUTS_H

/*
 * Calls FN(ARG, file) for PATH, or, for a directory, for every file in it
 * and below with a ruleset's name (*.nft, *.conf, *.json, *.rules, *.v4,
 * *.v6, *.sh), in name order.  Returns 0, or EXIT_USAGE when a directory
 * could not be read (reported for VERB).
 */
int inputs_walk(const char *verb, const char *path,
		void (*fn)(void *arg, const char *file), void *arg);

struct ipset_db;
struct registry;

/* Reads "ipset save" output FILE; NULL (reported for VERB) if it cannot
 * be read.  Problems inside it are in ipset_db_diags(). */
struct ipset_db *inputs_ipsets(const char *verb, const char *file,
			       const struct registry *reg);
/* --family's value: FAM_IP ("ip", "ipv4"), FAM_IP6 ("ip6", "ipv6"), or -1. */
int inputs_family(const char *s);

#endif
