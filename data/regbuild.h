/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Building a struct registry: the loaders (XML, CSV) append records, xrefs
 * and people to a builder; regb_finish() normalizes them and derives the
 * indexes.  Private to data/.
 *
 * Ownership: the builder owns everything until regb_finish(), which moves it
 * into the new registry; regb_free() releases what is left either way.
 */
#ifndef PORTOLAN_REGBUILD_H
#define PORTOLAN_REGBUILD_H

#include "registry.h"

struct regb;

struct regb *regb_new(void);
void regb_free(struct regb *b);

/* Interns LEN bytes of S; returns its offset (0 for an empty string). */
uint32_t regb_str(struct regb *b, const char *s, size_t len);
uint32_t regb_cstr(struct regb *b, const char *s);

/*
 * Starts a new record and returns it.  The pointer stays valid until the
 * next regb_record() call; xrefs added meanwhile belong to it.
 */
struct reg_record *regb_record(struct regb *b, unsigned long line);
void regb_xref(struct regb *b, enum reg_xref_type type, uint32_t data);
void regb_person(struct regb *b, const struct reg_person *p);
void regb_footnote(struct regb *b, uint32_t anchor, uint32_t text);

const char *regb_string(const struct regb *b, uint32_t off);

/*
 * Finishes the registry: resolves references, classifies records, scopes
 * unauthorized-use notes and builds the port and name indexes.  Consumes B
 * in every case.  Returns 0, or -E2BIG when the records overlap so much that
 * the port index would exceed its bound.
 */
int regb_finish(struct regb *b, const char *updated, const char *source,
		const char *sha256, enum reg_format format,
		struct registry **ret_reg);

/* registry_load_buffer(), recording SHA256 (hex) as the source's checksum. */
int reg_load_buffer(const char *buf, size_t len, const char *name,
		    const char *sha256, struct registry **ret_reg,
		    struct reg_error *err);

/*
 * The readers: append every record of the file in BUF to B.  Return 0 (the
 * XML reader also sets *ret_updated, the registry's date, to free() or NULL)
 * or -EINVAL with *err saying where and what; -EFBIG over INT32_MAX bytes.
 */
int reg_load_xml(const char *buf, size_t len, const char *name,
		 struct regb *b, char **ret_updated, struct reg_error *err);
int reg_load_csv(const char *buf, size_t len, const char *name,
		 struct regb *b, struct reg_error *err);

void reg_error_set(struct reg_error *err, const char *file,
		   unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Out of memory: the one place library code may end the process. */
_Noreturn void reg_oom(void);
void *reg_xrealloc(void *p, size_t n, size_t size);

#endif
