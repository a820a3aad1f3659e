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
	unsigned char *seen;	/* per record, for range listings */
};

static unsigned protos_of(int proto)
{
	return proto < 0 ? REG_PROTO_ALL : 1u << proto;
}

/*
 * "4915 is frcs on tcp", "22 is ssh on tcp, udp and sctp": where the port
 * is assigned on the other protocols, grouped by service.
 */
static void others_text(const struct lookup *l, uint16_t port, int proto,
			FILE *out)
{
	struct { const char *name; unsigned protos; } seen[16];
	size_t nseen = 0;

	for (int p = 0; p < REG_NPROTO; p++) {
		struct reg_answer a;

		if (p == proto)
			continue;
		registry_query(l->reg, port, p, &a);
		for (size_t i = 0; i < a.nrecs; i++) {
			const struct reg_record *r = &l->reg->records[a.recs[i]];
			const char *name = registry_str(l->reg, r->name);
			size_t k;

			if (r->kind != REG_CLASS_ASSIGNED)
				continue;
			if (!*name)
				name = "assigned";
			for (k = 0; k < nseen; k++)
				if (strcmp(seen[k].name, name) == 0)
					break;
			if (k == nseen) {
				if (nseen == sizeof(seen) / sizeof(*seen))
					continue;
				seen[nseen].name = name;
				seen[nseen++].protos = 0;
			}
			seen[k].protos |= 1u << p;
		}
	}
	for (size_t k = 0; k < nseen; k++) {
		int n = __builtin_popcount(seen[k].protos), done = 0;

		fprintf(out, "%s%s on ", k ? ", " : "", seen[k].name);
		for (int p = 0; p < REG_NPROTO; p++) {
			if (!(seen[k].protos & (1u << p)))
				continue;
			done++;
			fprintf(out, "%s%s", done == 1 ? "" : done == n ? " and " : ", ",
				reg_proto_name(p));
		}
	}
}

static json_t *others_json(const struct lookup *l, uint16_t port, int proto)
{
	json_t *a = json_array();

	for (int p = 0; p < REG_NPROTO; p++) {
		struct reg_answer ans;
		json_t *names;

		if (p == proto)
			continue;
		registry_query(l->reg, port, p, &ans);
		if (ans.cls != REG_CLASS_ASSIGNED)
			continue;
		names = json_array();
		for (size_t i = 0; i < ans.nrecs; i++) {
			const struct reg_record *r = &l->reg->records[ans.recs[i]];

			if (r->kind == REG_CLASS_ASSIGNED)
				json_array_append_new(names, json_string(
					registry_str(l->reg, r->name)));
		}
		json_array_append_new(a, json_pack("{s:s, s:o}", "protocol",
						   reg_proto_name(p), "services", names));
	}
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
		char *buf = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);

		if (!mem)
			abort();
		others_text(l, a->port, a->proto, mem);
		fclose(mem);
		if (len)
			printf("; %u is %s", a->port, buf);
		free(buf);
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
		json_array_append_new(l->results, json_pack("{s:s, s:s, s:o}",
			"query", query, "kind", "port", "answers", answers));
	else
		json_decref(answers);
}

static void lookup_range(struct lookup *l, const char *query, uint16_t lo,
			 uint16_t hi, int proto)
{
	json_t *per = json_array();

	for (int p = 0; p < REG_NPROTO; p++) {
		size_t count[REG_NCLASS] = { 0 }, nlisted = 0, nrec = 0;
		json_t *recs = json_array(), *unauth = json_array();
		long ustart = -1;
		uint32_t *order = malloc((l->reg->nrecords + 1) * sizeof(*order));

		if (!order)
			abort();
		if (proto >= 0 && p != proto) {
			json_decref(recs);
			json_decref(unauth);
			free(order);
			continue;
		}
		memset(l->seen, 0, l->reg->nrecords);
		for (unsigned port = lo; port <= hi; port++) {
			struct reg_answer a;

			registry_query(l->reg, (uint16_t)port, p, &a);
			count[a.cls]++;
			for (size_t i = 0; i < a.nrecs; i++) {
				if (l->seen[a.recs[i]])
					continue;
				l->seen[a.recs[i]] = 1;
				order[nrec++] = a.recs[i];
			}
			if ((a.flags & REG_F_UNAUTHORIZED) && ustart < 0)
				ustart = port;
			if (ustart >= 0 && (!(a.flags & REG_F_UNAUTHORIZED) || port == hi)) {
				unsigned end = (a.flags & REG_F_UNAUTHORIZED) ? port : port - 1;

				json_array_append_new(unauth, json_pack("[i, i]", ustart, end));
				ustart = -1;
			}
		}
		if (l->json) {
			for (size_t i = 0; i < nrec; i++)
				json_array_append_new(recs, regfmt_record_json(l->reg, order[i]));
			json_array_append_new(per, json_pack(
				"{s:s, s:i, s:{s:i, s:i, s:i, s:i}, s:o, s:o}",
				"protocol", reg_proto_name(p),
				"ports", hi - lo + 1,
				"counts", "assigned", (int)count[REG_CLASS_ASSIGNED],
				"reserved", (int)count[REG_CLASS_RESERVED],
				"unassigned", (int)count[REG_CLASS_UNASSIGNED],
				"dynamic", (int)count[REG_CLASS_DYNAMIC],
				"unauthorized_use", unauth, "records", recs));
		} else {
			char head[32];
			bool first = true;

			snprintf(head, sizeof(head), "%u-%u/%s", lo, hi, reg_proto_name(p));
			printf("%-16s %u ports:", head, hi - lo + 1);
			for (int c = REG_CLASS_ASSIGNED; c >= 0; c--) {
				if (count[c]) {
					printf("%s %zu %s", first ? "" : ",", count[c],
					       reg_class_name(c));
					first = false;
				}
			}
			if (count[REG_CLASS_DYNAMIC])
				printf("%s %zu dynamic", first ? "" : ",",
				       count[REG_CLASS_DYNAMIC]);
			if (json_array_size(unauth)) {
				size_t k;
				json_t *v;

				printf("; known unauthorized use on");
				json_array_foreach(unauth, k, v) {
					json_int_t a = json_integer_value(json_array_get(v, 0));
					json_int_t b = json_integer_value(json_array_get(v, 1));

					printf("%s %lld", k ? "," : "", (long long)a);
					if (b != a)
						printf("-%lld", (long long)b);
				}
			}
			putchar('\n');
			for (size_t i = 0; i < nrec; i++) {
				const struct reg_record *r = &l->reg->records[order[i]];

				if (r->kind == REG_CLASS_UNASSIGNED && !r->unauthorized &&
				    !(r->flags & REG_F_STATUS))
					continue;
				if (nlisted++ == RANGE_LIST_MAX)
					continue;
				regfmt_record_text(stdout, l->reg, order[i], -1, true);
			}
			if (nlisted > RANGE_LIST_MAX)
				printf("    ... and %zu more records (--format json lists them all)\n",
				       nlisted - RANGE_LIST_MAX);
			json_decref(recs);
			json_decref(unauth);
		}
		free(order);
	}
	if (l->json)
		json_array_append_new(l->results, json_pack("{s:s, s:s, s:i, s:i, s:o}",
			"query", query, "kind", "range", "first", lo, "last", hi,
			"protocols", per));
	else
		json_decref(per);
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t sub = prev + ((a[i - 1] | 32) != (b[j - 1] | 32));

			row[j] = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
			if (sub < row[j])
				row[j] = sub;
			prev = cur;
		}
	}
	return row[lb];
}

static void suggest(const struct lookup *l, const char *name)
{
	const char *best[3] = { 0 };
	size_t nbest = 0, limit = strlen(name) > 4 ? 2 : 1;

	for (size_t i = 0; i < l->reg->nby_name && nbest < 3; i++) {
		const char *s = registry_str(l->reg, l->reg->records[l->reg->by_name[i]].name);

		if (nbest && strcasecmp(best[nbest - 1], s) == 0)
			continue;
		if (edit_distance(name, s) <= limit)
			best[nbest++] = s;
	}
	if (!nbest)
		return;
	fprintf(stderr, "hint: did you mean");
	for (size_t i = 0; i < nbest; i++)
		fprintf(stderr, "%s '%s'", i ? (i + 1 == nbest ? " or" : ",") : "", best[i]);
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
		json_array_append_new(l->results, json_pack("{s:s, s:s, s:o}",
			"query", query, "kind", "name", "records", recs));
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
		json_array_append_new(l->results, json_pack("{s:s, s:s, s:o}",
			"query", text, "kind", "search", "records", recs));
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
	while ((c = getopt_long(argc, argv, "+sf:h", opts, NULL)) != -1) {
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
	l.seen = calloc(l.reg->nrecords + 1, 1);
	if (!l.seen)
		abort();
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
		regfmt_dump(json_pack("{s:o, s:O}", "registry",
				      regfmt_registry_json(l.reg), "results", l.results));
	} else if (l.printed) {
		putchar('\n');
		regfmt_registry_line(stdout, l.reg);
	}
out:
	json_decref(l.results);
	free(l.seen);
	return r;
}

const struct cmd cmd_lookup_def = {
	.name = "lookup",
	.fn = cmd_lookup,
	.summary = "what the registry says about a port, range or service name",
	.usage = usage,
};
