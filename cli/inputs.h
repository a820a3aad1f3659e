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

#include "input.h"

struct cmd;
struct ipset_db;
struct registry;

/* Reads "ipset save" output FILE; NULL (reported for VERB) if it cannot
 * be read.  Problems inside it are in ipset_db_diags(). */
struct ipset_db *inputs_ipsets(const char *verb, const char *file,
			       const struct registry *reg);
/* --family's value: FAM_IP ("ip", "ipv4"), FAM_IP6 ("ip6", "ipv6"), or -1. */
int inputs_family(const char *s);

#define INPUTS_MAX_INCLUDE_DIRS 64

/*
 * How ports and lint read their inputs, the same for both: --input-format,
 * -I, --family and --ipset.  IN is what input_read() takes; its nft
 * include_dirs point into DIRS, so the struct stays where it was set up.
 */
struct inputs_args {
	enum input_format format;
	struct input_options in;
	const char *dirs[INPUTS_MAX_INCLUDE_DIRS + 1];	/* NULL-terminated */
	size_t ndirs;
	const char *ipset_file;
};

/* Long options of the reader without a short one. */
enum {
	INPUTS_OPT_FAMILY = 0x100,
	INPUTS_OPT_IPSET,
};

#define INPUTS_LONG_OPTIONS						\
	{ "input-format", required_argument, NULL, 'i' },		\
	{ "include", required_argument, NULL, 'I' },			\
	{ "family", required_argument, NULL, INPUTS_OPT_FAMILY },	\
	{ "ipset", required_argument, NULL, INPUTS_OPT_IPSET }

void inputs_args_init(struct inputs_args *ia);
/*
 * Takes getopt's option C with its argument ARG when it is one of the
 * reader's: returns 1 when taken, 0 when C is another option, and -1
 * after a usage error, reported for CMD.
 */
int inputs_option(struct inputs_args *ia, const struct cmd *cmd, int c,
		  const char *arg);

#endif
