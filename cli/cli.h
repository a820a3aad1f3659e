/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PORTOLAN_CLI_H
#define PORTOLAN_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "registry.h"

/* Exit codes shared by every verb. */
enum {
	EXIT_OK = 0,
	EXIT_FOUND = 1,		/* lint: a finding; lookup: nothing found */
	EXIT_USAGE = 2,		/* usage error or unreadable input */
};

struct cli {
	const char *registry_file;	/* --registry or PORTOLAN_REGISTRY */
	const struct registry *reg;
	struct registry *owned;
};

struct cmd {
	const char *name;
	int (*fn)(struct cli *cli, int argc, char **argv);
	const char *summary;
	const char *usage;	/* full --help text */
};

extern const struct cmd cmd_lookup_def, cmd_ports_def, cmd_registry_def,
	cmd_lint_def, cmd_explain_def;

/* The registry chosen for this run; prints the error and returns NULL. */
const struct registry *cli_registry(struct cli *cli);

/* Prints "portolan VERB: error: ..." to stderr. */
void cli_error(const char *verb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_reg_error(const struct reg_error *err);
int cli_usage_error(const struct cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_help(const struct cmd *cmd, FILE *out);

/* Parses "text" or "json"; returns false on anything else. */
bool cli_parse_format(const char *s, bool *ret_json);

#endif
