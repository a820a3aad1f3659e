/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "regfmt.h"

#define RANGE_LIST_MAX 30

static const char usage[] =
	"usage: portolan lookup [--format text|json] [--registry FILE] QUERY...\n"
	"       portolan lookup --search TEXT...\n\n"
	"What IANA's registry says about ports and service names.  A QUERY is\n"
	"   PORT[/PROTO]         443, 443/udp: the answer per protocol\n"
	"   FIRST-LAST[/PROTO]   6000-6063: what the range covers, per class\n"
	"   NAME[/PROTO]         https: the ports of a service name\n"
	"PROTO is tcp, udp, sctp or dccp; without it, every protocol is shown.\n\n"
	"options:\n"
	"   -s, --search TEXT    find names and descriptions containing TEXT\n"
	"   -f, --format FMT     text (default) or json\n"
	"   --registry FILE      use this registry file instead of the built-in one\n\n"
	"exit status: 0 found, 1 a name or search found nothing, 2 usage error\n";

struct lookup {
	const struct registry *reg;
	bool json;
	size_t printed;		/* text blocks written so far */
	json_t *results;
};

static unsigned protos_of(int proto)
{
	return proto < 0 ? REG_PROTO_ALL : 1u << proto;
}

#define MAX_OTHERS 16

/* "frcs on tcp", "ssh on tcp, udp and sctp, ..." */
static void others_text(const struct lookup *l, uint16_t port, int proto,
			FILE *out)
{
	struct reg_other o[MAX_OTHERS];
	size_t n = registry_other_assignments(l->reg, port, proto, o, MAX_OTHERS);

	for (size_t k = 0; k < n; k++) {
		int total = __builtin_popcount(o[k].protos), done = 0;

		fprintf(out, "%s%s on ", k ? ", " : "",
			o[k].name ? registry_str(l->reg, o[k].name) : "assigned");
		for (int p = 0; p < REG_NPROTO; p++) {
			if (!(o[k].protos & (1u << p)))
				continue;
			done++;
			fprintf(out, "%s%s", done == 1 ? "" : done == total ? " and " : ", ",
				reg_proto_name(p));
		}
	}
}

static json_t *others_json(const struct lookup *l, uint16_t port, int proto)
{
	struct reg_other o[MAX_OTHERS];
	size_t n = registry_other_assignments(l->reg, port, proto, o, MAX_OTHERS);
	json_t *a = json_array();

	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, json_pack("{s:o, s:o}",
			"service", o[k].name ? regfmt_jstr(registry_str(l->reg, o[k].name)) :
					       json_null(),
			"protocols", regfmt_protos_json(o[k].protos)));
	return a;
}

static json_t *answer_json(const struct lookup *l, const struct reg_answer *a)
{
	json_t *recs = json_array();

	for (size_t i = 0; i < a->nrecs; i++)
		json_array_append_new(recs, regfmt_record_json(l->reg, a->recs[i]));
	return json_pack("{s:i, s:s, s:s, s:o, s:b, s:b, s:o, s:o}",
			 "port", a->port, "protocol", reg_proto_name(a->proto),
			 "class", reg_class_name(a->cls),
			 "status", regfmt_flags_json(a->flags),
			 "unauthorized_use", (a->flags & REG_F_UNAUTHORIZED) != 0,
			 "no_record", (a->flags & REG_F_NO_RECORD) != 0,
			 "records", recs,
			 "assigned_on_other_protocols",
			 others_json(l, a->port, a->proto));
}

static void answer_text(const struct lookup *l, const struct reg_answer *a)
{
	char head[32];
	const char *status[8];
	size_t n = reg_flag_names(a->flags, status, 8);

	snprintf(head, sizeof(head), "%u/%s", a->port, reg_proto_name(a->proto));
	printf("%-10s %s", head, reg_class_name(a->cls));
	if (a->cls == REG_CLASS_DYNAMIC)
		printf(" (49152-65535, RFC 6335: never assigned)");
	if (a->flags & REG_F_NO_RECORD)
		printf(" (no record for %s)", reg_proto_name(a->proto));
	for (size_t i = 0; i < n; i++)
		printf("; %s", status[i]);
	if (a->flags & REG_F_UNAUTHORIZED)
		printf("; known unauthorized use");
	if (a->cls != REG_CLASS_ASSIGNED) {
		/* "4915/udp is reserved; 4915 is frcs on tcp" */
		struct reg_other o[1];

		if (registry_other_assignments(l->reg, a->port, a->proto, o, 1)) {
			printf("; %u is ", a->port);
			others_text(l, a->port, a->proto, stdout);
		}
	}
	putchar('\n');
	for (size_t i = 0; i < a->nrecs; i++)
		regfmt_record_text(stdout, l->reg, a->recs[i], a->port, false);
}

static void lookup_port(struct lookup *l, const char *query, uint16_t port,
			int proto)
{
	json_t *answers = json_array();

	for (int p = 0; p < REG_NPROTO; p++) {
		struct reg_answer a;

		if (proto >= 0 && p != proto)
			continue;
		registry_query(l->reg, port, p, &a);
		if (l->json)
			json_array_append_new(answers, answer_json(l, &a));
		else
			answer_text(l, &a);
	}
	if (l->json)
		json_array_append_new(l->results, json_pack("{s:o, s:s, s:o}",
			"query", regfmt_jstr(query), "kind", "port", "answers", answers));
	else
		json_decref(answers);
}

/* "6000-6063/tcp    64 ports: 64 assigned; known unauthorized use on 6003" */
static void range_text(const struct lookup *l, uint16_t lo, uint16_t hi,
		       int proto, const struct reg_range *sum)
{
	static const int order[] = {
		REG_CLASS_ASSIGNED, REG_CLASS_RESERVED, REG_CLASS_UNASSIGNED,
		REG_CLASS_DYNAMIC,
	};
	char head[32];
	bool first = true;

	(void)l;
	snprintf(head, sizeof(head), "%u-%u/%s", lo, hi, reg_proto_name(proto));
	printf("%-16s %u ports:", head, hi - lo + 1);
	for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++) {
		if (!sum->ports[order[i]])
			continue;
		printf("%s %zu %s", first ? "" : ",", sum->ports[order[i]],
		       reg_class_name(order[i]));
		first = false;
	}
	if (sum->unauthorized) {
		printf("; known unauthorized use on");
		for (size_t i = 0; i < sum->nunauth; i++) {
			printf("%s %u", i ? "," : "", sum->unauth[i].lo);
			if (sum->unauth[i].hi != sum->unauth[i].lo)
				printf("-%u", sum->unauth[i].hi);
		}
		if (sum->nunauth == REG_RANGE_SPANS)
			printf(", ... (%zu ports in all)", sum->unauthorized);
	}
	putchar('\n');
}

static void lookup_range(struct lookup *l, const char *query, uint16_t lo,
			 uint16_t hi, int proto)
{
	json_t *per = json_array();
	uint32_t *recs = malloc((l->reg->nrecords + 1) * sizeof(*recs));

	if (!recs)
		abort();
	for (int p = 0; p < REG_NPROTO; p++) {
		struct reg_range sum;
		size_t nrec, listed = 0;

		if (proto >= 0 && p != proto)
			continue;
		registry_range_unauth(l->reg, lo, hi, p, &sum);
		nrec = registry_range_records(l->reg, lo, hi, p, recs);
		if (l->json) {
			json_t *jr = json_array(), *ju = json_array();

			for (size_t i = 0; i < nrec; i++)
				json_array_append_new(jr, regfmt_record_json(l->reg, recs[i]));
			for (size_t i = 0; i < sum.nunauth; i++)
				json_array_append_new(ju, json_pack("[i, i]", sum.unauth[i].lo,
								    sum.unauth[i].hi));
			json_array_append_new(per, json_pack(
				"{s:s, s:i, s:{s:i, s:i, s:i, s:i}, s:i, s:o, s:o}",
				"protocol", reg_proto_name(p),
				"ports", hi - lo + 1,
				"counts", "assigned", (int)sum.ports[REG_CLASS_ASSIGNED],
				"reserved", (int)sum.ports[REG_CLASS_RESERVED],
				"unassigned", (int)sum.ports[REG_CLASS_UNASSIGNED],
				"dynamic", (int)sum.ports[REG_CLASS_DYNAMIC],
				"unauthorized_use_ports", (int)sum.unauthorized,
				"unauthorized_use", ju, "records", jr));
			continue;
		}
		range_text(l, lo, hi, p, &sum);
		for (size_t i = 0; i < nrec; i++) {
			const struct reg_record *r = &l->reg->records[recs[i]];

			/* Plain unassigned filler says nothing the counts do not. */
			if (r->kind == REG_CLASS_UNASSIGNED && !r->unauthorized &&
			    !(r->flags & REG_F_STATUS))
				continue;
			if (listed++ < RANGE_LIST_MAX)
				regfmt_record_text(stdout, l->reg, recs[i], -1, true);
		}
		if (listed > RANGE_LIST_MAX)
			printf("    ... and %zu more records (--format json lists them all)\n",
			       listed - RANGE_LIST_MAX);
	}
	free(recs);
	if (l->json)
		json_array_append_new(l->results, json_pack("{s:o, s:s, s:i, s:i, s:o}",
			"query", regfmt_jstr(query), "kind", "range", "first", lo,
			"last", hi, "protocols", per));
	else
		json_decref(per);
}

static void suggest(const struct lookup *l, const char *name)
{
	const char *best[3];
	size_t n = registry_suggest(l->reg, name, best, 3);

	if (!n)
		return;
	fprintf(stderr, "hint: did you mean");
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s '%s'", i ? (i + 1 == n ? " or" : ",") : "", best[i]);
	fprintf(stderr, "?\n");
}

static int lookup_name(struct lookup *l, const char *query, const char *name,
		       int proto)
{
	size_t first, n = registry_find_name(l->reg, name, &first), shown = 0;
	json_t *recs = json_array();

	for (size_t i = first; i < first + n; i++) {
		uint32_t idx = l->reg->by_name[i];
		const struct reg_record *r = &l->reg->records[idx];
		char head[48];

		if (!(r->protos & protos_of(proto)))
			continue;
		shown++;
		if (l->json) {
			json_array_append_new(recs, regfmt_record_json(l->reg, idx));
			continue;
		}
		if (!(r->flags & REG_F_HAS_PORT))
			printf("service name only, ");
		printf("%s\n", regfmt_where(r, head, sizeof(head)));
		regfmt_record_text(stdout, l->reg, idx, -1, false);
	}
	if (l->json)
		json_array_append_new(l->results, json_pack("{s:o, s:s, s:o}",
			"query", regfmt_jstr(query), "kind", "name", "records", recs));
	else
		json_decref(recs);
	if (!shown) {
		if (n)
			cli_error("lookup", "'%s' has no %s record", name,
				  reg_proto_name(proto));
		else
			cli_error("lookup", "unknown service name '%s'", name);
		if (!n)
			suggest(l, name);
		return EXIT_FOUND;
	}
	return EXIT_OK;
}

static int lookup_search(struct lookup *l, const char *text)
{
	json_t *recs = json_array();
	size_t found = 0;

	for (size_t i = 0; i < l->reg->nrecords; i++) {
		const struct reg_record *r = &l->reg->records[i];
		char head[48];

		if (!strcasestr(registry_str(l->reg, r->name), text) &&
		    !strcasestr(registry_str(l->reg, r->description), text))
			continue;
		found++;
		if (l->json) {
			json_array_append_new(recs, regfmt_record_json(l->reg, (uint32_t)i));
			continue;
		}
		regfmt_where(r, head, sizeof(head));
		printf("%-20s %-22s ", head, registry_str(l->reg, r->name));
		for (const char *p = registry_str(l->reg, r->description); *p; p++)
			putchar(*p == '\n' ? ' ' : *p);
		putchar('\n');
	}
	if (l->json)
		json_array_append_new(l->results, json_pack("{s:o, s:s, s:o}",
			"query", regfmt_jstr(text), "kind", "search", "records", recs));
	else
		json_decref(recs);
	if (!found) {
		cli_error("lookup", "nothing in the registry matches '%s'", text);
		return EXIT_FOUND;
	}
	return EXIT_OK;
}

/*
 * Splits "QUERY/PROTO" and returns the protocol, or -1 if there is none.
 * Service names may hold a slash ("EtherNet/IP-1", "914c/g"): only a port
 * must be followed by a protocol; returns -2 for "22/icmp".
 */
static int split_proto(char *q)
{
	char *slash = strrchr(q, '/');
	int p;

	if (!slash)
		return -1;
	p = reg_proto_from_name(slash + 1);
	if (p >= 0) {
		*slash = '\0';
		return p;
	}
	return strspn(q, "0123456789-") == (size_t)(slash - q) ? -2 : -1;
}

static int lookup_one(struct lookup *l, const char *query)
{
	char q[256];
	int proto;
	size_t digits;

	if (strlen(query) >= sizeof(q) || !*query)
		return cli_usage_error(&cmd_lookup_def, "invalid query '%s'", query);
	strcpy(q, query);
	proto = split_proto(q);
	if (proto == -2)
		return cli_usage_error(&cmd_lookup_def,
				       "unknown protocol in '%s': use tcp, udp, sctp or dccp",
				       query);
	digits = strspn(q, "0123456789");
	if (digits && (!q[digits] || (q[digits] == '-' && q[digits + 1]))) {
		uint16_t lo, hi;

		if (strspn(q, "0123456789-") != strlen(q) ||
		    reg_parse_ports(q, strlen(q), &lo, &hi) < 0)
			return cli_usage_error(&cmd_lookup_def,
					       "invalid port '%s': expected 0-65535 or FIRST-LAST",
					       q);
		if (lo == hi && !strchr(q, '-'))
			lookup_port(l, query, lo, proto);
		else
			lookup_range(l, query, lo, hi, proto);
		return EXIT_OK;
	}
	return lookup_name(l, query, q, proto);
}

static int cmd_lookup(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "search", no_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "registry", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct lookup l = { 0 };
	bool search = false;
	int c, r = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "sf:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			search = true;
			break;
		case 'f':
			if (!cli_parse_format(optarg, &l.json))
				return cli_usage_error(&cmd_lookup_def,
						       "unknown format '%s': use text or json",
						       optarg);
			break;
		case 'R':
			cli->registry_file = optarg;
			break;
		case 'h':
			cli_help(&cmd_lookup_def, stdout);
			return EXIT_OK;
		default:
			fprintf(stderr, "(see 'portolan lookup --help')\n");
			return EXIT_USAGE;
		}
	}
	if (optind == argc)
		return cli_usage_error(&cmd_lookup_def, "nothing to look up");
	l.reg = cli_registry(cli);
	if (!l.reg)
		return EXIT_USAGE;
	l.results = json_array();
	for (int i = optind; i < argc; i++) {
		int one;

		if (!l.json && l.printed)
			putchar('\n');
		one = search ? lookup_search(&l, argv[i]) : lookup_one(&l, argv[i]);
		if (one == EXIT_OK)
			l.printed++;
		if (one == EXIT_USAGE) {
			r = EXIT_USAGE;
			goto out;
		}
		if (one > r)
			r = one;
	}
	if (l.json) {
		if (regfmt_dump(json_pack("{s:o, s:O}", "registry",
					  regfmt_registry_json(l.reg), "results",
					  l.results)) < 0) {
			cli_error("lookup", "cannot write JSON output");
			r = EXIT_USAGE;
		}
	} else if (l.printed) {
		putchar('\n');
		regfmt_registry_line(stdout, l.reg);
	}
out:
	json_decref(l.results);
	return r;
}

const struct cmd cmd_lookup_def = {
	.name = "lookup",
	.fn = cmd_lookup,
	.summary = "what the registry says about a port, range or service name",
	.usage = usage,
};
