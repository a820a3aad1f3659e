/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every port line and contact of the excerpt the project was specified from
 * (IANA's plain-text registry of 2024-11-19, ports 683-1093) against the
 * built-in snapshot of 2026-08-17.  Lines IANA has changed since are listed
 * below, and must still differ: the list is exact both ways.
 */
#include <ctype.h>

#include "testutil.h"

static const char *const changed_since[] = {
	/* epp/udp became "EPP running over QUIC" on 2026-07-23. */
	"epp 700 udp Extensible Provisioning Protocol [RFC5734]",
	/* 831-833 were released on 2025-09-29 and are now Reserved. */
	"netconf-beep 831 tcp NETCONF over BEEP [RFC4744]",
	"netconf-beep 831 udp NETCONF over BEEP [RFC4744]",
	"netconfsoaphttp 832 tcp NETCONF for SOAP over HTTPS [RFC4743]",
	"netconfsoaphttp 832 udp NETCONF for SOAP over HTTPS [RFC4743]",
	"netconfsoapbeep 833 tcp NETCONF for SOAP over BEEP [RFC4743]",
	"netconfsoapbeep 833 udp NETCONF for SOAP over BEEP [RFC4743]",
};
#define NCHANGED (sizeof(changed_since) / sizeof(*changed_since))

static const struct registry *reg;

static bool is_changed(const char *line, bool *seen)
{
	for (size_t i = 0; i < NCHANGED; i++) {
		if (strcmp(line, changed_since[i]) == 0) {
			seen[i] = true;
			return true;
		}
	}
	return false;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Copies the next space-separated token of *P into BUF; advances *P. */
static const char *token(const char **p, char *buf, size_t size)
{
	size_t n = strcspn(*p, " ");

	snprintf(buf, size, "%.*s", (int)n, *p);
	*p += n;
	if (**p == ' ')
		(*p)++;
	return buf;
}

/* Whether the snapshot has a record as LINE describes it. */
static bool line_matches(const char *line)
{
	char name[64] = "", num[32], word[32];
	const char *p = line, *rest;
	uint16_t lo, hi;
	int proto = -1;

	if (!isdigit((unsigned char)*p))
		token(&p, name, sizeof(name));
	token(&p, num, sizeof(num));
	assert_int_equal(reg_parse_ports(num, strlen(num), &lo, &hi), 0);
	rest = p;
	token(&p, word, sizeof(word));
	if (reg_proto_from_name(word) >= 0) {
		proto = reg_proto_from_name(word);
		rest = p;
	}
	for (size_t i = 0; i < reg->nrecords; i++) {
		const struct reg_record *r = &reg->records[i];
		const char *desc = registry_str(reg, r->description);
		char flat[1024];
		size_t k;

		if (!(r->flags & REG_F_HAS_PORT) || r->lo != lo || r->hi != hi ||
		    strcmp(registry_str(reg, r->name), name) != 0)
			continue;
		if (r->protos != (proto < 0 ? REG_PROTO_ALL : 1u << proto))
			continue;
		for (k = 0; desc[k] && k < sizeof(flat) - 1; k++)
			flat[k] = desc[k] == '\n' ? ' ' : desc[k];
		flat[k] = '\0';
		if (!starts_with(rest, flat))
			continue;
		/* The class the line implies holds for every port it names. */
		for (unsigned port = lo; port <= hi; port++)
			for (int pr = 0; pr < REG_NPROTO; pr++)
				if (r->protos & (1u << pr))
					assert_int_equal(class_of(reg, (uint16_t)port, pr),
						 *name ? REG_CLASS_ASSIGNED :
						 starts_with(rest, "Unassigned") ?
						 REG_CLASS_UNASSIGNED : REG_CLASS_RESERVED);
		return true;
	}
	return false;
}

static char *read_fixture(const char *name)
{
	FILE *f = fopen(fixture(name), "r");
	static char buf[1 << 16];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void test_port_lines(void **state)
{
	char *text = read_fixture("registry-excerpt-2024-11-19.txt");
	char *line, *save = NULL;
	bool in_table = false, seen[NCHANGED] = { false };
	size_t checked = 0, changed = 0;

	(void)state;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(line);

		while (len && line[len - 1] == ' ')
			line[--len] = '\0';
		if (starts_with(line, "Service Name Port Number")) {
			in_table = true;
			continue;
		}
		if (strcmp(line, "Contact Information") == 0)
			break;
		if (!in_table || !len)
			continue;
		checked++;
		if (is_changed(line, seen)) {
			changed++;
			if (line_matches(line))
				fail_msg("listed as changed, but still matches: %s", line);
		} else if (!line_matches(line)) {
			fail_msg("no longer in the registry as written: %s", line);
		}
	}
	assert_int_equal(checked, 101);
	assert_int_equal(changed, NCHANGED);
	for (size_t i = 0; i < NCHANGED; i++)
		assert_true(seen[i]);
}

static const struct reg_person *person(const char *id)
{
	for (size_t i = 0; i < reg->npersons; i++)
		if (strcmp(registry_str(reg, reg->persons[i].id), id) == 0)
			return &reg->persons[i];
	return NULL;
}

static void test_contacts(void **state)
{
	char *text = read_fixture("registry-excerpt-2024-11-19.txt");
	char *line, *save = NULL;
	bool in_contacts = false;
	size_t checked = 0;

	(void)state;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const struct reg_person *p;
		char *end, *rest;
		const char *uri, *name;

		if (strcmp(line, "Contact Information") == 0) {
			in_contacts = true;
			continue;
		}
		if (!in_contacts || line[0] != '[')
			continue;
		end = strchr(line, ']');
		assert_non_null(end);
		*end = '\0';
		rest = end + 2;
		p = person(line + 1);
		if (!p)
			fail_msg("person %s is gone", line + 1);
		name = registry_str(reg, p->name);
		uri = registry_str(reg, p->uri);
		if (!*name)
			name = registry_str(reg, p->org);
		if (!starts_with(rest, name) || !strstr(rest, uri))
			fail_msg("[%s] %s: snapshot has '%s' <%s>", line + 1, rest,
				 name, uri);
		checked++;
	}
	assert_int_equal(checked, 22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_lines),
		cmocka_unit_test(test_contacts),
	};

	reg = registry_builtin();
	return cmocka_run_group_tests_name("registry_excerpt", tests, NULL, NULL);
}
