/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Registry records as text for people and as JSON (jansson) for programs. */
#ifndef PORTOLAN_REGFMT_H
#define PORTOLAN_REGFMT_H

#include <jansson.h>
#include <stdio.h>

#include "registry.h"

/* A JSON string of S; bytes that are not UTF-8 become U+FFFD. */
json_t *regfmt_jstr(const char *s);

/* {"updated", "source", "format", "sha256"} */
json_t *regfmt_registry_json(const struct registry *reg);
/* Every field of record REC. */
json_t *regfmt_record_json(const struct registry *reg, uint32_t rec);
/* ["tcp", ...] */
json_t *regfmt_protos_json(unsigned protos);
json_t *regfmt_flags_json(unsigned flags);

/* "22", "6000-6063", or "" for a name without a port. */
const char *regfmt_ports(const struct reg_record *r, char buf[static 16]);
/* "tcp", "tcp, udp", "every protocol". */
const char *regfmt_protos(unsigned protos, char buf[static 32]);

/* "22/tcp", "6000-6063/tcp, udp", "225-241 (all protocols)", "no port (tcp)" */
const char *regfmt_where(const struct reg_record *r, char *buf, size_t size);

/*
 * Prints record REC as an indented block.  PORT (or -1) scopes its
 * unauthorized-use note; SHOW_WHERE adds the record's own ports and
 * protocols to the title line.
 */
void regfmt_record_text(FILE *out, const struct registry *reg, uint32_t rec,
			long port, bool show_where);

/* One line: "IANA port registry, updated 2026-08-17 (built in)". */
void regfmt_registry_line(FILE *out, const struct registry *reg);

/* Writes J (NULL: a failed json_pack) to stdout, indented, with a final
 * newline, and releases it.  Returns 0 or -1. */
int regfmt_dump(json_t *j);

#endif
