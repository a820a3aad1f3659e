/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "regfmt.h"
#include "registry_diff.h"

static const char usage[] =
	"usage: portolan registry [--format text|json] [--registry FILE]\n"
	"       portolan registry diff [--all] [--format text|json] OLD NEW\n\n"
	"Without a subcommand: the snapshot in use, its date and origin, and how\n"
	"many ports each protocol has per class.\n\n"
	"diff: the assignments added, removed and changed from OLD to NEW, each an\n"
	"IANA registry file (XML or CSV) or 'builtin' for the built-in snapshot.\n"
	"Records are matched on port, protocols and service name.\n\n"
	"options:\n"
	"   -f, --format FMT   text (default) or json\n"
	"   -a, --all          diff: also list unassigned ranges that were re-split\n"
	"   --registry FILE    use this registry file instead of the built-in one\n\n"
	"exit status: 0 (diff: no difference), 1 diff: differences, 2 error\n";

struct tally {
	size_t ports[REG_NPROTO][REG_NCLASS];
	size_t unauth[REG_NPROTO];
	size_t named, portless, unauthorized, status;
};

static void count(const struct registry *reg, struct tally *t)
{
	memset(t, 0, sizeof(*t));
	for (int p = 0; p < REG_NPROTO; p++) {
		for (unsigned port = 0; port <= 65535; port++) {
			struct reg_answer a;

			registry_query(reg, (uint16_t)port, p, &a);
			t->ports[p][a.cls]++;
			if (a.flags & REG_F_UNAUTHORIZED)
				t->unauth[p]++;
		}
	}
	for (size_t i = 0; i < reg->nrecords; i++) {
		const struct reg_record *r = &reg->records[i];

		t->named += r->name != 0;
		t->portless += !(r->flags & REG_F_HAS_PORT);
		t->unauthorized += r->unauthorized != 0;
		t->status += (r->flags & REG_F_STATUS) != 0;
	}
}

static int show(const struct registry *reg, bool json)
{
	struct tally t;

	count(reg, &t);
	if (json) {
		json_t *j = regfmt_registry_json(reg), *per = json_object();

		json_object_set_new(j, "records", json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}",
			"total", (int)reg->nrecords, "named", (int)t.named,
			"without_port", (int)t.portless,
			"unauthorized_use", (int)t.unauthorized,
			"with_status", (int)t.status, "people", (int)reg->npersons));
		for (int p = 0; p < REG_NPROTO; p++)
			json_object_set_new(per, reg_proto_name(p), json_pack(
				"{s:i, s:i, s:i, s:i, s:i}",
				"assigned", (int)t.ports[p][REG_CLASS_ASSIGNED],
				"reserved", (int)t.ports[p][REG_CLASS_RESERVED],
				"unassigned", (int)t.ports[p][REG_CLASS_UNASSIGNED],
				"dynamic", (int)t.ports[p][REG_CLASS_DYNAMIC],
				"unauthorized_use", (int)t.unauth[p]));
		json_object_set_new(j, "ports", per);
		return regfmt_dump(json_pack("{s:o}", "registry", j)) ? EXIT_USAGE : EXIT_OK;
	}
	regfmt_registry_line(stdout, reg);
	if (reg->sha256)
		printf("  sha256    %s\n", registry_str(reg, reg->sha256));
	printf("  records   %zu: %zu with a service name, %zu without a port, "
	       "%zu noting unauthorized use, %zu de-assigned, deprecated, historic or removed\n",
	       reg->nrecords, t.named, t.portless, t.unauthorized, t.status);
	printf("  people    %zu\n\n", reg->npersons);
	printf("  ports     %10s %10s %10s %10s %14s\n", "assigned", "reserved",
	       "unassigned", "dynamic", "unauthorized");
	for (int p = 0; p < REG_NPROTO; p++)
		printf("  %-9s %10zu %10zu %10zu %10zu %14zu\n", reg_proto_name(p),
		       t.ports[p][REG_CLASS_ASSIGNED], t.ports[p][REG_CLASS_RESERVED],
		       t.ports[p][REG_CLASS_UNASSIGNED], t.ports[p][REG_CLASS_DYNAMIC],
		       t.unauth[p]);
	return EXIT_OK;
}

static int load(const char *file, struct registry **ret_owned,
		const struct registry **ret)
{
	struct reg_error err;

	if (strcmp(file, "builtin") == 0) {
		*ret_owned = NULL;
		*ret = registry_builtin();
		return 0;
	}
	if (registry_load(file, ret_owned, &err) < 0) {
		cli_reg_error(&err);
		return -1;
	}
	*ret = *ret_owned;
	return 0;
}

/* Unassigned ranges split and merge whenever a port inside is assigned. */
static bool is_churn(const struct registry *old, const struct registry *new,
		     const struct reg_diff_entry *e)
{
	const struct reg_record *r = reg_diff_record(old, new, e);

	return e->change != REG_DIFF_CHANGED && r->kind == REG_CLASS_UNASSIGNED &&
	       !r->name && !r->unauthorized && !(r->flags & REG_F_STATUS);
}

/* Free text on one line: its explicit breaks read as spaces. */
static void put_flat(const char *s)
{
	for (; *s; s++)
		putchar(*s == '\n' ? ' ' : *s);
}

static void fields_text(const struct registry *old, const struct registry *new,
			const struct reg_diff_entry *e)
{
	const struct reg_record *a = &old->records[e->old_rec];
	const struct reg_record *b = &new->records[e->new_rec];
	static const struct { unsigned field; size_t off; } strs[] = {
		{ REG_FIELD_DESCRIPTION, offsetof(struct reg_record, description) },
		{ REG_FIELD_NOTE, offsetof(struct reg_record, note) },
		{ REG_FIELD_UNAUTHORIZED, offsetof(struct reg_record, unauthorized) },
		{ REG_FIELD_REGISTERED, offsetof(struct reg_record, registered) },
		{ REG_FIELD_MODIFIED, offsetof(struct reg_record, modified) },
		{ REG_FIELD_NAME_CASE, offsetof(struct reg_record, name) },
	};

	for (size_t i = 0; i < sizeof(strs) / sizeof(*strs); i++) {
		uint32_t x, y;

		if (!(e->fields & strs[i].field))
			continue;
		memcpy(&x, (const char *)a + strs[i].off, sizeof(x));
		memcpy(&y, (const char *)b + strs[i].off, sizeof(y));
		printf("      %s: \"", reg_field_name(strs[i].field));
		put_flat(registry_str(old, x));
		fputs("\" -> \"", stdout);
		put_flat(registry_str(new, y));
		fputs("\"\n", stdout);
	}
	for (unsigned f = REG_FIELD_SERVICE_CODE; f <= REG_FIELD_STATUS; f <<= 1)
		if (e->fields & f)
			printf("      %s changed\n", reg_field_name(f));
}

static json_t *fields_json(uint32_t fields)
{
	json_t *a = json_array();

	for (unsigned f = 1; f <= REG_FIELD_NAME_CASE; f <<= 1)
		if (fields & f)
			json_array_append_new(a, json_string(reg_field_name(f)));
	return a;
}

static void diff_line(const struct registry *reg, const struct reg_record *r,
		      char mark)
{
	char head[48];
	const char *name = registry_str(reg, r->name);

	regfmt_where(r, head, sizeof(head));
	const char *desc = registry_str(reg, r->description);

	printf("  %c %-22s %s%s", mark, head, *name ? name : reg_class_name(r->kind),
	       !*desc ? "" : *name ? " — " : ": ");
	put_flat(desc);
	putchar('\n');
}

static int diff(char **files, bool json, bool all)
{
	const struct registry *old, *new;
	struct registry *own_old = NULL, *own_new = NULL;
	struct reg_diff_entry *e = NULL;
	size_t n = 0, counts[3] = { 0 }, churn = 0;
	json_t *changes = json_array();
	int r = EXIT_USAGE;

	if (load(files[0], &own_old, &old) < 0 || load(files[1], &own_new, &new) < 0)
		goto out;
	registry_diff(old, new, &e, &n);
	if (!json) {
		const char *u0 = registry_str(old, old->updated);
		const char *u1 = registry_str(new, new->updated);

		printf("registry diff: %s (updated %s) -> %s (updated %s)\n",
		       registry_str(old, old->source), *u0 ? u0 : "unknown",
		       registry_str(new, new->source), *u1 ? u1 : "unknown");
	}
	for (size_t i = 0; i < n; i++) {
		static const char marks[] = "+-~";
		static const char *const names[] = { "added", "removed", "changed" };

		if (!all && is_churn(old, new, &e[i])) {
			churn++;
			continue;
		}
		counts[e[i].change]++;
		if (json) {
			json_t *c = json_pack("{s:s}", "change", names[e[i].change]);

			if (e[i].old_rec != REG_NO_RECORD)
				json_object_set_new(c, "old", regfmt_record_json(old, e[i].old_rec));
			if (e[i].new_rec != REG_NO_RECORD)
				json_object_set_new(c, "new", regfmt_record_json(new, e[i].new_rec));
			if (e[i].change == REG_DIFF_CHANGED)
				json_object_set_new(c, "fields", fields_json(e[i].fields));
			json_array_append_new(changes, c);
			continue;
		}
		if (e[i].change == REG_DIFF_REMOVED)
			diff_line(old, &old->records[e[i].old_rec], marks[e[i].change]);
		else
			diff_line(new, &new->records[e[i].new_rec], marks[e[i].change]);
		if (e[i].change == REG_DIFF_CHANGED)
			fields_text(old, new, &e[i]);
	}
	if (json) {
		regfmt_dump(json_pack("{s:o, s:o, s:O, s:{s:i, s:i, s:i, s:i}}",
			"old", regfmt_registry_json(old), "new", regfmt_registry_json(new),
			"changes", changes, "counts", "added", (int)counts[0],
			"removed", (int)counts[1], "changed", (int)counts[2],
			"unassigned_resplit", (int)churn));
	} else {
		printf("%zu added, %zu removed, %zu changed", counts[0], counts[1],
		       counts[2]);
		if (churn)
			printf("; %zu unassigned-range records re-split (--all lists them)",
			       churn);
		putchar('\n');
	}
	r = counts[0] + counts[1] + counts[2] ? EXIT_FOUND : EXIT_OK;
out:
	json_decref(changes);
	free(e);
	registry_free(own_old);
	registry_free(own_new);
	return r;
}

static int cmd_registry(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		{ "registry", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool json = false, all = false;
	const struct registry *reg;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:ah", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!cli_parse_format(optarg, &json))
				return cli_usage_error(&cmd_registry_def,
						       "unknown format '%s': use text or json",
						       optarg);
			break;
		case 'a':
			all = true;
			break;
		case 'R':
			cli->registry_file = optarg;
			break;
		case 'h':
			cli_help(&cmd_registry_def, stdout);
			return EXIT_OK;
		default:
			fprintf(stderr, "(see 'portolan registry --help')\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc && strcmp(argv[optind], "diff") == 0) {
		if (argc - optind != 3)
			return cli_usage_error(&cmd_registry_def,
					       "diff takes two registry files, OLD and NEW");
		return diff(argv + optind + 1, json, all);
	}
	if (optind < argc)
		return cli_usage_error(&cmd_registry_def, "unknown subcommand '%s'",
				       argv[optind]);
	reg = cli_registry(cli);
	if (!reg)
		return EXIT_USAGE;
	return show(reg, json);
}

const struct cmd cmd_registry_def = {
	.name = "registry",
	.fn = cmd_registry,
	.summary = "the registry snapshot in use; diff two snapshots",
	.usage = usage,
};
