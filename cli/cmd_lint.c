/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "diagfmt.h"
#include "input.h"
#include "inputs.h"
#include "regfmt.h"
#include "report.h"

#define CONFIG_NAME ".portolan"
#define MAX_SETTINGS 256

static const char usage[] =
	"usage: portolan lint [options] [FILE|DIR|-]...\n\n"
	"Checks every port of nftables and iptables rulesets against IANA's\n"
	"registry (see 'portolan explain' for the checks).  Directories are\n"
	"searched as by 'portolan ports'; '-' reads standard input (the default).\n\n"
	"options:\n"
	"   -f, --format FMT           text (default), json, sarif or github\n"
	"   --fail-on LEVEL            exit 1 when a finding reaches LEVEL: note,\n"
	"                              warning (default), error or never\n"
	"   -W ID, -W no-ID            enable or disable a check (\"all\" for every one)\n"
	"   --severity ID=LEVEL        note, warning, error or off\n"
	"   --ephemeral-range LO-HI    the host's own client port pool, also checked\n"
	"                              by port-dynamic; \"auto\" reads\n"
	"                              net.ipv4.ip_local_port_range\n"
	"   --baseline FILE            report only findings not in FILE\n"
	"   --write-baseline FILE      write every finding to FILE (and exit 0)\n"
	"   --no-config                ignore .portolan files\n"
	"   -i, --input-format FMT     auto (default), nft, nft-json, iptables or\n"
	"                              iptables-script\n"
	"   -I, --include DIR          search DIR for relative includes (repeatable)\n"
	"   --family ip|ip6            the family of iptables input\n"
	"   --ipset FILE               \"ipset save\" output, for -m set\n"
	"   --registry FILE            use this registry file instead of the built-in one\n\n"
	"A .portolan file in an input's directory or above holds the same options,\n"
	"one per line ('#' starts a comment); the command line comes after it.\n"
	"A comment \"portolan: disable=ID[,ID]\" on a rule's line or the line\n"
	"before, or in the rule's own comment, suppresses those checks there.\n\n"
	"exit status: 0 no finding reaches --fail-on, 1 one does, 2 usage error\n"
	"or unreadable input\n";

enum fmt { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_GITHUB };

/* The options that a .portolan file may set too, as given. */
struct settings {
	const char *items[MAX_SETTINGS];	/* "-W", "no-port-dynamic", ... in pairs */
	size_t n;
};

struct lint_cmd {
	struct lint_run run;
	struct inputs_args args;
	struct ipset_db *ipsets;
	struct settings cli;		/* from the command line */
	bool no_config;
	bool fail_on_given;
	int status;
	/* the .portolan of the last directory, kept */
	char *config_dir;
	struct settings config;
	char *config_text;
	char *config_file;
};

/* --- settings: -W, --severity, --ephemeral-range, --fail-on ------------------------ */

static bool parse_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	char *end;
	unsigned long a, b;

	errno = 0;
	a = strtoul(s, &end, 10);
	if (end == s || (*end != '-' && *end != '\t' && *end != ' ') || errno)
		return false;
	s = end + 1;
	while (*s == ' ' || *s == '\t')
		s++;
	b = strtoul(s, &end, 10);
	if (end == s || errno || a > b || b > 65535)
		return false;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*end)
		return false;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return true;
}

static bool ephemeral_auto(uint16_t *lo, uint16_t *hi)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	char buf[64];
	bool ok = f && fgets(buf, sizeof(buf), f) && parse_range(buf, lo, hi);

	if (f)
		fclose(f);
	return ok;
}

/*
 * Applies one setting (NAME VALUE) to O; WHERE names its origin for
 * errors.  Returns false (reported) if it is not valid.
 */
static bool apply_setting(struct lint_cmd *lc, struct lint_options *o,
			  const char *name, const char *value, const char *where)
{
	int id, sev;

	if (strcmp(name, "-W") == 0) {
		bool off = strncmp(value, "no-", 3) == 0;
		const char *idname = off ? value + 3 : value;

		if (strcmp(idname, "all") == 0) {
			for (int i = 0; i < CHK_COUNT; i++)
				o->severity[i] = off ? SEV_OFF : check_defs[i].severity;
			return true;
		}
		id = check_from_id(idname);
		if (id < 0) {
			cli_error("lint", "%s: unknown check '%s' (see 'portolan explain')", where,
				  idname);
			return false;
		}
		o->severity[id] = off ? SEV_OFF : check_defs[id].severity;
		return true;
	}
	if (strcmp(name, "--severity") == 0) {
		const char *eq = strchr(value, '=');
		char idname[64];

		if (!eq || (size_t)(eq - value) >= sizeof(idname)) {
			cli_error("lint", "%s: --severity takes ID=LEVEL, not '%s'", where, value);
			return false;
		}
		memcpy(idname, value, (size_t)(eq - value));
		idname[eq - value] = '\0';
		id = check_from_id(idname);
		sev = severity_from_name(eq + 1);
		if (id < 0 || sev < 0) {
			cli_error("lint", "%s: --severity %s: %s", where, value,
				  id < 0 ? "unknown check" : "level is note, warning, error or off");
			return false;
		}
		o->severity[id] = (uint8_t)sev;
		return true;
	}
	if (strcmp(name, "--ephemeral-range") == 0) {
		if (strcmp(value, "auto") == 0 ? !ephemeral_auto(&o->eph_lo, &o->eph_hi) :
						 !parse_range(value, &o->eph_lo, &o->eph_hi)) {
			cli_error("lint", "%s: --ephemeral-range %s: LO-HI or auto (readable)",
				  where, value);
			return false;
		}
		return true;
	}
	if (strcmp(name, "--fail-on") == 0) {
		sev = strcmp(value, "never") == 0 ? SEV_OFF : severity_from_name(value);
		if (sev < 0 || (sev == SEV_OFF && strcmp(value, "never"))) {
			cli_error("lint", "%s: --fail-on %s: note, warning, error or never", where,
				  value);
			return false;
		}
		if (!lc->fail_on_given || strcmp(where, "command line") == 0)
			lc->run.fail_on = (uint8_t)sev;
		return true;
	}
	cli_error("lint", "%s: '%s' cannot be set here", where, name);
	return false;
}

static bool apply_settings(struct lint_cmd *lc, struct lint_options *o,
			   const struct settings *s, const char *where)
{
	for (size_t i = 0; i + 1 < s->n; i += 2)
		if (!apply_setting(lc, o, s->items[i], s->items[i + 1], where))
			return false;
	return true;
}

static bool add_setting(struct settings *s, const char *name, const char *value)
{
	if (s->n + 2 > MAX_SETTINGS)
		return false;
	s->items[s->n++] = name;
	s->items[s->n++] = value;
	return true;
}

/* --- .portolan files ------------------------------------------------------------------ */

/* Reads FILE's settings into lc->config; false (reported) on a bad line. */
static bool read_config(struct lint_cmd *lc, const char *file)
{
	char *text, *line, *save = NULL;
	size_t len;
	unsigned no = 0;
	int r = input_slurp(file, &text, &len);

	if (r < 0) {
		cli_error("lint", "%s: %s", file, strerror(-r));
		return false;
	}
	free(lc->config_text);
	lc->config_text = text;
	lc->config.n = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = line, *name, *value, *hash = strchr(line, '#');

		no++;
		if (hash)
			*hash = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			continue;
		name = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '=')
			p++;
		if (*p == '=' && name[1] == '-' && strncmp(name, "--severity", 10)) {
			*p++ = '\0';	/* --fail-on=error */
		} else if (*p) {
			*p++ = '\0';
		}
		while (*p == ' ' || *p == '\t')
			p++;
		value = p;
		p += strlen(p);
		while (p > value && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\r'))
			*--p = '\0';
		if (name[0] == '-' && name[1] == 'W' && name[2]) {
			value = name + 2;	/* -Wno-port-dynamic */
			name = "-W";
		}
		if (!*value || !add_setting(&lc->config, name, value)) {
			cli_error("lint", "%s:%u: '%s' needs a value", file, no, name);
			return false;
		}
	}
	return true;
}

/* The .portolan for INPUT: its directory's, or the nearest above. */
static bool config_for(struct lint_cmd *lc, const char *input, const char **ret_file)
{
	char dir[PATH_MAX], *slash;

	*ret_file = NULL;
	if (lc->no_config)
		return true;
	if (strcmp(input, "-") == 0 || !realpath(input, dir)) {
		if (!getcwd(dir, sizeof(dir)))
			return true;
	} else if ((slash = strrchr(dir, '/'))) {
		*(slash == dir ? slash + 1 : slash) = '\0';
	}
	if (lc->config_dir && strcmp(lc->config_dir, dir) == 0) {
		*ret_file = lc->config_file;
		return true;
	}
	free(lc->config_dir);
	free(lc->config_file);
	lc->config_dir = strdup(dir);
	lc->config_file = NULL;
	lc->config.n = 0;
	for (;;) {
		char file[PATH_MAX + 16];

		snprintf(file, sizeof(file), "%s/%s", strcmp(dir, "/") ? dir : "", CONFIG_NAME);
		if (access(file, R_OK) == 0) {
			lc->config_file = strdup(file);
			*ret_file = lc->config_file;
			return read_config(lc, file);
		}
		slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			if (strcmp(dir, "/") == 0)
				return true;
			strcpy(dir, "/");
			continue;
		}
		*slash = '\0';
	}
}

/* --- baselines ------------------------------------------------------------------------- */

struct baseline {
	char **fp;
	size_t n;
	bool *used;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool read_baseline(struct baseline *b, const char *file)
{
	json_error_t err;
	json_t *j = json_load_file(file, 0, &err), *list, *v;
	size_t i;

	list = j ? json_object_get(j, "fingerprints") : NULL;
	if (!json_is_array(list)) {
		cli_error("lint", "%s:%d: not a portolan baseline: %s", file, err.line,
			  j ? "no \"fingerprints\" array" : err.text);
		json_decref(j);
		return false;
	}
	b->fp = calloc(json_array_size(list) + 1, sizeof(*b->fp));
	b->used = calloc(json_array_size(list) + 1, sizeof(*b->used));
	if (!b->fp || !b->used)
		oom();
	json_array_foreach(list, i, v) {
		if (!json_is_string(v))
			continue;
		b->fp[b->n] = strdup(json_string_value(v));
		if (!b->fp[b->n])
			oom();
		b->n++;
	}
	json_decref(j);
	qsort(b->fp, b->n, sizeof(*b->fp), cmp_str);
	return true;
}

/* Marks F baselined if an unused entry of B has its fingerprint. */
static void baseline_match(struct baseline *b, const struct lint_file *lf,
			   struct finding *f)
{
	char *fp = finding_fingerprint(lf, f);
	char **hit = bsearch(&fp, b->fp, b->n, sizeof(*b->fp), cmp_str);

	if (hit) {
		/* the first unused among equal entries */
		size_t k = (size_t)(hit - b->fp);

		while (k > 0 && strcmp(b->fp[k - 1], fp) == 0)
			k--;
		for (; k < b->n && strcmp(b->fp[k], fp) == 0; k++) {
			if (!b->used[k]) {
				b->used[k] = true;
				f->baselined = true;
				break;
			}
		}
	}
	free(fp);
}

static bool write_baseline(const struct lint_run *run, const char *file)
{
	json_t *list = json_array();
	json_t *j = json_pack("{s:i, s:s, s:o}", "version", 1, "tool", "portolan",
			      "fingerprints", list);
	int r;

	for (size_t i = 0; i < run->nfiles; i++)
		for (size_t k = 0; k < run->files[i].res.n; k++) {
			const struct finding *f = &run->files[i].res.f[k];

			if (f->suppressed || f->severity == SEV_OFF)
				continue;
			char *fp = finding_fingerprint(&run->files[i], f);

			json_array_append_new(list, regfmt_jstr(fp));
			free(fp);
		}
	r = json_dump_file(j, file, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (r) {
		cli_error("lint", "%s: %s", file, strerror(errno));
		return false;
	}
	return true;
}

/* --- reading and checking ----------------------------------------------------------------- */

static void lint_one(void *arg, const char *file)
{
	struct lint_cmd *lc = arg;
	struct lint_run *run = &lc->run;
	struct lint_file *lf;
	struct lint_options o;
	const char *config;
	char *text;
	size_t len;
	int r;

	lint_options_init(&o);
	if (!config_for(lc, file, &config) ||
	    (config && !apply_settings(lc, &o, &lc->config, config)) ||
	    !apply_settings(lc, &o, &lc->cli, "command line")) {
		lc->status = EXIT_USAGE;
		return;
	}
	r = input_slurp(file, &text, &len);
	if (r < 0) {
		cli_error("lint", "%s: %s", file, strerror(-r));
		lc->status = EXIT_USAGE;
		return;
	}
	run->files = grow_array(run->files, &run->afiles, run->nfiles + 1, sizeof(*run->files));
	lf = &run->files[run->nfiles++];
	memset(lf, 0, sizeof(*lf));
	lf->rs = ruleset_new();
	/* the walk frees FILE after this call: the ruleset keeps a copy */
	lf->name = arena_strdup(&lf->rs->arena, strcmp(file, "-") == 0 ? "<stdin>" : file);
	input_read(lf->rs, lf->name, text, len, lc->args.format, run->reg, &lc->args.in);
	run->input_errors += lf->rs->nerrors;
	lint_ruleset(lf->rs, run->reg, &o, &lf->res);
}

static void tally(struct lint_run *run)
{
	for (size_t i = 0; i < run->nfiles; i++)
		for (size_t k = 0; k < run->files[i].res.n; k++) {
			const struct finding *f = &run->files[i].res.f[k];

			if (f->severity == SEV_OFF)
				continue;
			if (f->suppressed)
				run->nsuppressed++;
			else if (f->baselined)
				run->nbaselined++;
			else
				run->counts[f->severity]++;
		}
}

static bool read_ipsets(struct lint_cmd *lc, const char *file)
{
	lc->ipsets = inputs_ipsets("lint", file, lc->run.reg);
	if (!lc->ipsets)
		return false;
	lc->args.in.ipt.ipsets = lc->ipsets;
	if (diagfmt_print(stderr, ipset_db_diags(lc->ipsets)))
		return false;
	diagfmt_forget();
	return true;
}

static int cmd_lint(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "severity", required_argument, NULL, 's' },
		{ "ephemeral-range", required_argument, NULL, 'e' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "write-baseline", required_argument, NULL, 'B' },
		{ "no-config", no_argument, NULL, 'n' },
		{ "registry", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		INPUTS_LONG_OPTIONS,
		{ 0 },
	};
	static struct lint_cmd lc;
	const char *baseline_file = NULL, *write_file = NULL;
	enum fmt fmt = FMT_TEXT;
	struct baseline base = { 0 };
	struct lint_options check;
	int c, taken;

	memset(&lc, 0, sizeof(lc));
	lc.run.fail_on = SEV_WARNING;
	inputs_args_init(&lc.args);
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:W:i:I:h", opts, NULL)) != -1) {
		taken = inputs_option(&lc.args, &cmd_lint_def, c, optarg);
		if (taken < 0)
			return EXIT_USAGE;
		if (taken)
			continue;
		switch (c) {
		case 'f':
			if (strcmp(optarg, "text") == 0)
				fmt = FMT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				fmt = FMT_JSON;
			else if (strcmp(optarg, "sarif") == 0)
				fmt = FMT_SARIF;
			else if (strcmp(optarg, "github") == 0)
				fmt = FMT_GITHUB;
			else
				return cli_usage_error(&cmd_lint_def,
					"unknown format '%s': use text, json, sarif or github", optarg);
			break;
		case 'F':
			lc.fail_on_given = true;
			/* fall through */
		case 'W': case 's': case 'e':
			if (!add_setting(&lc.cli, c == 'W' ? "-W" : c == 's' ? "--severity" :
					 c == 'e' ? "--ephemeral-range" : "--fail-on", optarg))
				return cli_usage_error(&cmd_lint_def, "too many options");
			break;
		case 'b':
			baseline_file = optarg;
			break;
		case 'B':
			write_file = optarg;
			break;
		case 'n':
			lc.no_config = true;
			break;
		case 'R':
			cli->registry_file = optarg;
			break;
		case 'h':
			cli_help(&cmd_lint_def, stdout);
			return EXIT_OK;
		default:
			fprintf(stderr, "(see 'portolan lint --help')\n");
			return EXIT_USAGE;
		}
	}
	/* the command line's own settings, checked before any input is read */
	lint_options_init(&check);
	if (!apply_settings(&lc, &check, &lc.cli, "command line"))
		return EXIT_USAGE;
	lc.run.reg = cli_registry(cli);
	if (!lc.run.reg)
		return EXIT_USAGE;
	if (baseline_file && !read_baseline(&base, baseline_file))
		return EXIT_USAGE;
	if (lc.args.ipset_file && !read_ipsets(&lc, lc.args.ipset_file))
		return EXIT_USAGE;
	if (optind == argc)
		lc.status |= inputs_walk("lint", "-", lint_one, &lc);
	for (int i = optind; i < argc; i++)
		lc.status |= inputs_walk("lint", argv[i], lint_one, &lc);
	for (size_t i = 0; base.n && i < lc.run.nfiles; i++)
		for (size_t k = 0; k < lc.run.files[i].res.n; k++)
			if (!lc.run.files[i].res.f[k].suppressed)
				baseline_match(&base, &lc.run.files[i], &lc.run.files[i].res.f[k]);
	tally(&lc.run);
	if (write_file) {
		if (!write_baseline(&lc.run, write_file))
			lc.status = EXIT_USAGE;
	} else {
		switch (fmt) {
		case FMT_TEXT:
			/* reader diagnostics first, on stderr */
			for (size_t i = 0; i < lc.run.nfiles; i++) {
				diagfmt_print(stderr, lc.run.files[i].rs);
				diagfmt_forget();
			}
			report_text(stdout, &lc.run, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
			break;
		case FMT_JSON:
			report_json(stdout, &lc.run);
			break;
		case FMT_SARIF:
			report_sarif(stdout, &lc.run);
			break;
		case FMT_GITHUB:
			report_github(stdout, &lc.run);
			break;
		}
	}
	fflush(stdout);
	if (!lc.status && lc.run.input_errors)
		lc.status = EXIT_USAGE;
	if (!lc.status && !write_file && lc.run.fail_on != SEV_OFF) {
		for (int s = lc.run.fail_on; s < SEV_OFF; s++)
			if (lc.run.counts[s])
				lc.status = EXIT_FOUND;
	}
	for (size_t i = 0; i < lc.run.nfiles; i++) {
		lint_result_free(&lc.run.files[i].res);
		ruleset_free(lc.run.files[i].rs);
	}
	free(lc.run.files);
	for (size_t i = 0; i < base.n; i++)
		free(base.fp[i]);
	free(base.fp);
	free(base.used);
	free(lc.config_dir);
	free(lc.config_file);
	free(lc.config_text);
	ipset_db_free(lc.ipsets);
	return lc.status;
}

const struct cmd cmd_lint_def = {
	.name = "lint",
	.fn = cmd_lint,
	.summary = "check rulesets' ports against the registry, for people and CI",
	.usage = usage,
};

/* --- explain -------------------------------------------------------------------------------- */

static const char explain_usage[] =
	"usage: portolan explain [ID]...\n\n"
	"What each check means, when it fires and its default severity; with no\n"
	"ID, every check in one line each.\n";

static int cmd_explain(struct cli *cli, int argc, char **argv)
{
	int status = EXIT_OK;

	(void)cli;
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		cli_help(&cmd_explain_def, stdout);
		return EXIT_OK;
	}
	if (argc < 2) {
		for (int i = 0; i < CHK_COUNT; i++)
			printf("%-26s %-8s %s\n", check_defs[i].id,
			       severity_name((enum severity)check_defs[i].severity),
			       check_defs[i].summary);
		return EXIT_OK;
	}
	for (int a = 1; a < argc; a++) {
		int id = check_from_id(argv[a]);

		if (id < 0) {
			cli_error("explain", "unknown check '%s' (run 'portolan explain' for the list)",
				  argv[a]);
			status = EXIT_USAGE;
			continue;
		}
		printf("%s%s (default: %s)\n  %s\n\n", a > 1 ? "\n" : "", check_defs[id].id,
		       severity_name((enum severity)check_defs[id].severity),
		       check_defs[id].summary);
		for (const char *p = check_defs[id].explain; *p; ) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);

			printf("  %.*s\n", (int)len, p);
			p += len + (nl != NULL);
		}
	}
	return status;
}

const struct cmd cmd_explain_def = {
	.name = "explain",
	.fn = cmd_explain,
	.summary = "what a lint check means",
	.usage = explain_usage,
};
