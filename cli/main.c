/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "cli.h"

static const struct cmd *const commands[] = {
	&cmd_lint_def,
	&cmd_ports_def,
	&cmd_lookup_def,
	&cmd_explain_def,
	&cmd_registry_def,
};
#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

void cli_error(const char *verb, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "portolan%s%s: error: ", verb ? " " : "", verb ? verb : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_reg_error(const struct reg_error *err)
{
	if (err->line)
		fprintf(stderr, "%s:%lu: error: %s\n", err->file, err->line, err->msg);
	else
		fprintf(stderr, "%s: error: %s\n", err->file, err->msg);
}

void cli_help(const struct cmd *cmd, FILE *out)
{
	fputs(cmd->usage, out);
}

int cli_usage_error(const struct cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "portolan %s: error: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see 'portolan %s --help')\n", cmd->name);
	return EXIT_USAGE;
}

bool cli_parse_format(const char *s, bool *ret_json)
{
	if (strcmp(s, "text") == 0)
		*ret_json = false;
	else if (strcmp(s, "json") == 0)
		*ret_json = true;
	else
		return false;
	return true;
}

const struct registry *cli_registry(struct cli *cli)
{
	struct reg_error err;

	if (cli->reg)
		return cli->reg;
	if (!cli->registry_file || !*cli->registry_file) {
		cli->reg = registry_builtin();
		return cli->reg;
	}
	if (registry_load(cli->registry_file, &cli->owned, &err) < 0) {
		cli_reg_error(&err);
		return NULL;
	}
	cli->reg = cli->owned;
	return cli->reg;
}

static void usage(FILE *out)
{
	fputs("usage: portolan [--registry FILE] VERB [ARGS...]\n"
	      "       portolan --version | --help | help [VERB]\n\n"
	      "What each port in a firewall ruleset is, from IANA's service name and\n"
	      "port number registry (RFC 6335).\n\nverbs:\n", out);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "   %-10s %s\n", commands[i]->name, commands[i]->summary);
	fputs("   help       show the help of a verb\n\n"
	      "options:\n"
	      "   --registry FILE   use this IANA registry file (XML or CSV) instead of\n"
	      "                     the built-in snapshot; also PORTOLAN_REGISTRY\n"
	      "   --version         print the version and the registry snapshot date\n", out);
}

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	struct cli cli = { .registry_file = getenv("PORTOLAN_REGISTRY") };
	const struct cmd *cmd;
	int i = 1, r;

	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
			const struct registry *reg = registry_builtin();

			printf("portolan %s (IANA port registry snapshot %s)\n",
			       PORTOLAN_VERSION, registry_str(reg, reg->updated));
			return EXIT_OK;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return EXIT_OK;
		} else if (strcmp(a, "--registry") == 0) {
			if (++i == argc) {
				cli_error(NULL, "--registry needs a FILE");
				return EXIT_USAGE;
			}
			cli.registry_file = argv[i];
		} else if (strncmp(a, "--registry=", 11) == 0) {
			cli.registry_file = a + 11;
		} else {
			cli_error(NULL, "unknown option '%s'", a);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 == argc) {
			usage(stdout);
			return EXIT_OK;
		}
		cmd = find_cmd(argv[i + 1]);
		if (!cmd) {
			cli_error(NULL, "no such verb '%s'", argv[i + 1]);
			return EXIT_USAGE;
		}
		cli_help(cmd, stdout);
		return EXIT_OK;
	}
	cmd = find_cmd(argv[i]);
	if (!cmd) {
		cli_error(NULL, "no such verb '%s' (see 'portolan --help')", argv[i]);
		return EXIT_USAGE;
	}
	r = cmd->fn(&cli, argc - i, argv + i);
	registry_free(cli.owned);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error(cmd->name, "cannot write output");
		return EXIT_USAGE;
	}
	return r;
}
