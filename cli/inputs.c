/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "input.h"
#include "inputs.h"

#define MAX_DEPTH 16

static bool wanted(const char *name)
{
	static const char *const exts[] = {
		".nft", ".conf", ".json", ".rules", ".v4", ".v6", ".sh",
	};
	const char *dot = strrchr(name, '.');

	if (name[0] == '.' || !dot)
		return false;
	for (size_t i = 0; i < sizeof(exts) / sizeof(*exts); i++)
		if (strcmp(dot, exts[i]) == 0)
			return true;
	return false;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *verb, const char *path, int depth,
		void (*fn)(void *arg, const char *file), void *arg)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, a = 0;
	int status = 0;

	if (strcmp(path, "-") == 0 || stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fn(arg, path);
		return 0;
	}
	if (depth > MAX_DEPTH)
		return 0;
	d = opendir(path);
	if (!d) {
		cli_error(verb, "%s: %s", path, strerror(errno));
		return EXIT_USAGE;
	}
	while ((e = readdir(d))) {
		char *full;
		struct stat es;

		if (e->d_name[0] == '.')
			continue;
		if (asprintf(&full, "%s%s%s", path,
			     path[strlen(path) - 1] == '/' ? "" : "/", e->d_name) < 0)
			abort();
		if (stat(full, &es) == 0 && (S_ISDIR(es.st_mode) || wanted(e->d_name))) {
			if (n == a) {
				a = a ? a * 2 : 16;
				names = realloc(names, a * sizeof(*names));
				if (!names)
					abort();
			}
			names[n++] = full;
		} else {
			free(full);
		}
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		status |= walk(verb, names[i], depth + 1, fn, arg);
		free(names[i]);
	}
	free(names);
	return status;
}

int inputs_walk(const char *verb, const char *path,
		void (*fn)(void *arg, const char *file), void *arg)
{
	return walk(verb, path, 0, fn, arg);
}

struct ipset_db *inputs_ipsets(const char *verb, const char *file,
			       const struct registry *reg)
{
	char *text;
	size_t len;
	int r = input_slurp(file, &text, &len);

	if (r < 0) {
		cli_error(verb, "%s: %s", file, strerror(-r));
		return NULL;
	}
	return ipset_db_read(file, text, len, reg);
}

int inputs_family(const char *s)
{
	if (strcmp(s, "ip") == 0 || strcmp(s, "ipv4") == 0)
		return FAM_IP;
	if (strcmp(s, "ip6") == 0 || strcmp(s, "ipv6") == 0)
		return FAM_IP6;
	return -1;
}

void inputs_args_init(struct inputs_args *ia)
{
	memset(ia, 0, sizeof(*ia));
	ia->format = INPUT_AUTO;
	ia->in.ipt.family = -1;
	ia->in.nft.include_dirs = ia->dirs;
}

int inputs_option(struct inputs_args *ia, const struct cmd *cmd, int c,
		  const char *arg)
{
	int f;

	switch (c) {
	case 'i':
		f = input_format_from_name(arg);
		if (f < 0) {
			cli_usage_error(cmd, "unknown input format '%s': use auto, nft, nft-json, iptables or iptables-script",
					arg);
			return -1;
		}
		ia->format = (enum input_format)f;
		return 1;
	case 'I':
		if (ia->ndirs == INPUTS_MAX_INCLUDE_DIRS) {
			cli_usage_error(cmd, "too many -I directories");
			return -1;
		}
		ia->dirs[ia->ndirs++] = arg;
		return 1;
	case INPUTS_OPT_FAMILY:
		ia->in.ipt.family = inputs_family(arg);
		if (ia->in.ipt.family < 0) {
			cli_usage_error(cmd, "unknown family '%s': use ip or ip6", arg);
			return -1;
		}
		return 1;
	case INPUTS_OPT_IPSET:
		ia->ipset_file = arg;
		return 1;
	}
	return 0;
}
