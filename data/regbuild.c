/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "regbuild.h"

struct regb {
	char *str;
	size_t nstr, astr;
	uint32_t *htab;		/* string offsets, open addressing; 0 empty */
	size_t hcap, hcount;

	struct reg_record *recs;
	size_t nrecs, arecs;
	struct reg_xref *xrefs;
	size_t nxrefs, axrefs;
	struct reg_person *persons;
	size_t npersons, apersons;
	struct reg_span *unauth;
	size_t nunauth, aunauth;
	struct { uint32_t anchor, text; } *notes;
	size_t nnotes, anotes;
};

_Noreturn void reg_oom(void)
{
	/* The single exit in library code, as DESIGN.md allows. */
	fputs("portolan: out of memory\n", stderr);
	abort();
}

void *reg_xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		reg_oom();
	p = realloc(p, n * size > 0 ? n * size : 1);
	if (!p)
		reg_oom();
	return p;
}

#define GROW(arr, n, a) do {						\
	if ((n) == (a)) {						\
		(a) = (a) ? (a) * 2 : 64;				\
		(arr) = reg_xrealloc((arr), (a), sizeof(*(arr)));	\
	}								\
} while (0)

void reg_error_set(struct reg_error *err, const char *file,
		   unsigned long line, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

struct regb *regb_new(void)
{
	struct regb *b = calloc(1, sizeof(*b));

	if (!b)
		reg_oom();
	b->astr = 1 << 16;
	b->str = reg_xrealloc(NULL, b->astr, 1);
	b->str[0] = '\0';
	b->nstr = 1;
	b->hcap = 1 << 14;
	b->htab = calloc(b->hcap, sizeof(*b->htab));
	if (!b->htab)
		reg_oom();
	return b;
}

void regb_free(struct regb *b)
{
	if (!b)
		return;
	free(b->str);
	free(b->htab);
	free(b->recs);
	free(b->xrefs);
	free(b->persons);
	free(b->unauth);
	free(b->notes);
	free(b);
}

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void htab_grow(struct regb *b)
{
	size_t cap = b->hcap * 2;
	uint32_t *t = calloc(cap, sizeof(*t));

	if (!t)
		reg_oom();
	for (size_t i = 0; i < b->hcap; i++) {
		uint32_t off = b->htab[i];
		size_t j;

		if (!off)
			continue;
		j = hash_bytes(b->str + off, strlen(b->str + off)) & (cap - 1);
		while (t[j])
			j = (j + 1) & (cap - 1);
		t[j] = off;
	}
	free(b->htab);
	b->htab = t;
	b->hcap = cap;
}

uint32_t regb_str(struct regb *b, const char *s, size_t len)
{
	size_t i;

	if (!len)
		return 0;
	if (b->hcount * 2 >= b->hcap)
		htab_grow(b);
	i = hash_bytes(s, len) & (b->hcap - 1);
	for (; b->htab[i]; i = (i + 1) & (b->hcap - 1)) {
		const char *t = b->str + b->htab[i];

		if (strncmp(t, s, len) == 0 && t[len] == '\0')
			return b->htab[i];
	}
	if (b->nstr + len + 1 > UINT32_MAX)
		reg_oom();
	if (b->nstr + len + 1 > b->astr) {
		/* S may point into the pool itself: keep it valid across the move. */
		bool inside = s >= b->str && s < b->str + b->nstr;
		size_t off = inside ? (size_t)(s - b->str) : 0;

		while (b->nstr + len + 1 > b->astr)
			b->astr *= 2;
		b->str = reg_xrealloc(b->str, b->astr, 1);
		if (inside)
			s = b->str + off;
	}
	memcpy(b->str + b->nstr, s, len);
	b->str[b->nstr + len] = '\0';
	b->htab[i] = (uint32_t)b->nstr;
	b->hcount++;
	b->nstr += len + 1;
	return b->htab[i];
}

uint32_t regb_cstr(struct regb *b, const char *s)
{
	return s ? regb_str(b, s, strlen(s)) : 0;
}

const char *regb_string(const struct regb *b, uint32_t off)
{
	return b->str + off;
}

struct reg_record *regb_record(struct regb *b, unsigned long line)
{
	struct reg_record *r;

	GROW(b->recs, b->nrecs, b->arecs);
	r = &b->recs[b->nrecs++];
	memset(r, 0, sizeof(*r));
	r->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	r->xref = (uint32_t)b->nxrefs;
	return r;
}

void regb_xref(struct regb *b, enum reg_xref_type type, uint32_t data)
{
	struct reg_record *r = &b->recs[b->nrecs - 1];

	if (r->nxref == UINT16_MAX)
		return;
	GROW(b->xrefs, b->nxrefs, b->axrefs);
	b->xrefs[b->nxrefs++] = (struct reg_xref){ .data = data, .type = type };
	r->nxref++;
}

void regb_person(struct regb *b, const struct reg_person *p)
{
	GROW(b->persons, b->npersons, b->apersons);
	b->persons[b->npersons++] = *p;
}

void regb_footnote(struct regb *b, uint32_t anchor, uint32_t text)
{
	GROW(b->notes, b->nnotes, b->anotes);
	b->notes[b->nnotes].anchor = anchor;
	b->notes[b->nnotes++].text = text;
}

int reg_parse_ports(const char *s, size_t len, uint16_t *ret_lo,
		    uint16_t *ret_hi)
{
	unsigned long v[2] = { 0, 0 };
	size_t i = 0;
	int n = 0;

	for (;;) {
		size_t start = i;

		while (i < len && s[i] >= '0' && s[i] <= '9') {
			v[n] = v[n] * 10 + (unsigned)(s[i] - '0');
			if (v[n] > 65535)
				return -EINVAL;
			i++;
		}
		if (i == start)
			return -EINVAL;
		n++;
		if (i == len)
			break;
		if (s[i] != '-' || n == 2)
			return -EINVAL;
		i++;
	}
	if (n == 1)
		v[1] = v[0];
	if (v[0] > v[1])
		return -EINVAL;
	*ret_lo = (uint16_t)v[0];
	*ret_hi = (uint16_t)v[1];
	return 0;
}

/* --- normalization ------------------------------------------------------ */

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* NEEDLE is lowercase. */
static const char *find_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (lower(*hay) == needle[0] && strncasecmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

static bool preceded_by(const char *start, const char *at, const char *word,
			size_t window)
{
	const char *from = (size_t)(at - start) > window ? at - window : start;
	size_t n = strlen(word);

	for (const char *p = from; p + n <= at; p++)
		if (strncasecmp(p, word, n) == 0)
			return true;
	return false;
}

static bool starts_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * IANA words status in free text, in many ways: "De-assigned on ...",
 * "De-Assigned", "De-registered", "Decomissioned Port", "released by",
 * "Deprecated June 2004", "(historic)", "This entry is now historic",
 * "This entry is being removed on", "has been removed on", "Removed".
 * History about an earlier state ("This port was previously removed on",
 * "has been de-assigned and re-assigned") is not the record's status.
 */
static unsigned status_in(const char *t)
{
	static const char *const deassigned[] = {
		"de-assigned", "deassigned", "de-registered", "deregistered",
		"decommissioned", "decomissioned", "de-commissioned",
		"released by", "-released",
	};
	unsigned f = 0;
	const char *p;

	if (!find_ci(t, "re-assigned")) {
		for (size_t i = 0; i < sizeof(deassigned) / sizeof(*deassigned); i++)
			if (find_ci(t, deassigned[i]))
				f |= REG_F_DEASSIGNED;
	}
	if (find_ci(t, "assignment withdrawn"))
		f |= REG_F_DEASSIGNED;
	if (find_ci(t, "deprecated") || find_ci(t, "no longer in use"))
		f |= REG_F_DEPRECATED;
	for (p = t; (p = find_ci(p, "historic")); p += 8) {
		char next = p[8];

		if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z'))
			continue;	/* "historically" */
		if (starts_ci(p + 8, " usage"))
			continue;	/* "Historic usage was X": old name */
		f |= REG_F_HISTORIC;
	}
	for (p = t; (p = find_ci(p, "removed")); p += 7) {
		if (preceded_by(t, p, "previously", 24))
			continue;
		f |= REG_F_REMOVED;
	}
	return f;
}

static enum reg_class kind_of(const char *name, const char *desc)
{
	static const char *const gone[] = {
		"de-registered", "deregistered", "decom", "de-com",
		"removed", "deprecated",
	};

	while (*desc == ' ' || *desc == '(')
		desc++;
	/* A named record can be gone too: "sua", 14001/udp, "De-Registered". */
	for (size_t i = 0; i < sizeof(gone) / sizeof(*gone); i++)
		if (starts_ci(desc, gone[i]))
			return REG_CLASS_UNASSIGNED;
	if (*name)
		return REG_CLASS_ASSIGNED;
	if (starts_ci(desc, "unassigned"))
		return REG_CLASS_UNASSIGNED;
	if (starts_ci(desc, "reserved"))
		return REG_CLASS_RESERVED;
	/* Nameless assignments: "any private mail system" and the like. */
	return REG_CLASS_ASSIGNED;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool word_is(const char *w, size_t n, const char *lc)
{
	return strlen(lc) == n && strncasecmp(w, lc, n) == 0;
}

/*
 * "Known Unauthorized Use on port 6003" sits on the 6000-6063 record and
 * concerns 6003 only.  A number names a port only where the text says so:
 * after "port", "ports" or "on", and in the list that follows ("ports 5151
 * and 5152", "28017, 28018 and 28019", "2194-2196").  Dates, years and
 * numbers glued to letters ("RFC4146") are not ports.
 * Returns the number of spans added; -1 if the text names ports, none of
 * them inside the record; 0 if it names none (the whole record then).
 */
static int scope_unauth(struct regb *b, const struct reg_record *r,
			const char *t)
{
	bool qualified = false;
	int found = 0, added = 0;

	for (const char *p = t; *p; ) {
		unsigned long lo = 0, hi;
		const char *start = p;

		if (is_alpha(*p)) {
			while (is_alpha(*p) || is_digit(*p))
				p++;
			if (word_is(start, (size_t)(p - start), "port") ||
			    word_is(start, (size_t)(p - start), "ports") ||
			    word_is(start, (size_t)(p - start), "on"))
				qualified = true;
			else if (!word_is(start, (size_t)(p - start), "and"))
				qualified = false;
			continue;
		}
		if (!is_digit(*p)) {
			if (*p != ' ' && *p != ',' && *p != '&' && *p != ':' &&
			    *p != '\n' && *p != '\t')
				qualified = false;
			p++;
			continue;
		}
		while (is_digit(*p) && lo <= 65535)
			lo = lo * 10 + (unsigned)(*p++ - '0');
		while (is_digit(*p))
			p++;
		if (p - start == 4 && *p == '-' && is_digit(p[1]) && is_digit(p[2]) &&
		    !is_digit(p[3])) {
			/* 2004-05 or 2004-05-12: a date */
			p += 3;
			if (*p == '-' && is_digit(p[1]))
				while (*++p && is_digit(*p))
					;
			qualified = false;
			continue;
		}
		hi = lo;
		if (*p == '-' && is_digit(p[1])) {
			hi = 0;
			for (p++; is_digit(*p) && hi <= 65535; p++)
				hi = hi * 10 + (unsigned)(*p - '0');
			while (is_digit(*p))
				p++;
		}
		if (is_alpha(*p) || !qualified || lo > 65535 || hi > 65535 || lo > hi) {
			qualified = false;
			continue;
		}
		found++;
		if (hi < r->lo || lo > r->hi)
			continue;
		GROW(b->unauth, b->nunauth, b->aunauth);
		b->unauth[b->nunauth++] = (struct reg_span){
			.lo = (uint16_t)(lo < r->lo ? r->lo : lo),
			.hi = (uint16_t)(hi > r->hi ? r->hi : hi),
		};
		added++;
	}
	return found && !added ? -1 : added;
}

/* The person whose id is the LEN bytes at ID; persons are sorted by id. */
static const struct reg_person *person_by_id(const struct regb *b,
					     const char *id, size_t len)
{
	size_t lo = 0, hi = b->npersons;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *s = b->str + b->persons[mid].id;
		int c = strncmp(s, id, len);

		if (c == 0 && s[len])
			c = 1;
		if (c == 0)
			return &b->persons[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Free text names people by id ("previously compressnet by [Bernie_Volz]"),
 * and <people> comes last in the file: put their names in now.
 */
static uint32_t resolve_people(struct regb *b, uint32_t off)
{
	char *t, *out;
	size_t n = 0;
	bool changed = false;

	if (!strchr(b->str + off, '['))
		return off;
	t = strdup(b->str + off);
	if (!t)
		reg_oom();
	out = reg_xrealloc(NULL, strlen(t) * 8 + 64, 1);
	for (const char *p = t; *p; ) {
		const char *e = *p == '[' ? strchr(p, ']') : NULL;
		const struct reg_person *who =
			e ? person_by_id(b, p + 1, (size_t)(e - p - 1)) : NULL;

		if (who && (who->name || who->org)) {
			const char *nm = b->str + (who->name ? who->name : who->org);
			size_t len = strlen(nm);

			out = reg_xrealloc(out, n + len + strlen(e) + 64, 1);
			memcpy(out + n, nm, len);
			n += len;
			p = e + 1;
			changed = true;
		} else {
			out[n++] = *p++;
		}
	}
	if (changed)
		off = regb_str(b, out, n);
	free(out);
	free(t);
	return off;
}

static void normalize_record(struct regb *b, struct reg_record *r)
{
	const char *desc = b->str + r->description;
	const char *note = b->str + r->note;
	const char *alias;

	r->note = resolve_people(b, r->note);
	r->description = resolve_people(b, r->description);
	desc = b->str + r->description;
	note = b->str + r->note;
	r->kind = (uint8_t)kind_of(b->str + r->name, desc);
	r->flags |= (uint16_t)(status_in(desc) | status_in(note));
	alias = find_ci(note, "alias to \"");
	if (alias) {
		const char *s = alias + 10, *e = strchr(s, '"');

		if (e)
			r->alias_of = regb_str(b, s, (size_t)(e - s));
	}
	if (r->unauthorized) {
		int n;

		r->flags |= REG_F_UNAUTHORIZED;
		if (!(r->flags & REG_F_HAS_PORT))
			return;
		r->unauth = (uint32_t)b->nunauth;
		n = scope_unauth(b, r, b->str + r->unauthorized);
		if (n < 0) {
			/* Only other ports are named: an empty span. */
			GROW(b->unauth, b->nunauth, b->aunauth);
			b->unauth[b->nunauth++] = (struct reg_span){ 1, 0 };
			n = 1;
		}
		r->nunauth = (uint16_t)n;
	}
}

/* --- indexes ------------------------------------------------------------- */

static int cmp_person(const void *a, const void *b, void *str)
{
	return strcmp((const char *)str + ((const struct reg_person *)a)->id,
		      (const char *)str + ((const struct reg_person *)b)->id);
}

struct sort_ctx {
	const char *str;
	const struct reg_record *recs;
};

static int cmp_by_name(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c0 = arg;
	const struct reg_record *x = &c0->recs[*(const uint32_t *)a];
	const struct reg_record *y = &c0->recs[*(const uint32_t *)b];
	int c = strcasecmp(c0->str + x->name, c0->str + y->name);

	if (c)
		return c;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static int cmp_start(const void *a, const void *b, void *arg)
{
	const struct reg_record *recs = arg;
	const struct reg_record *x = &recs[*(const uint32_t *)a];
	const struct reg_record *y = &recs[*(const uint32_t *)b];

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

struct owned {
	void *block[12];
};

/*
 * Each run of ports lists its covering records; a file crafted to cover
 * every port with hundreds of records would take gigabytes.  IANA's file
 * needs under 20,000.
 */
#define REG_MAX_REFS (1u << 22)

struct index_out {
	struct reg_segment *segs;
	size_t nsegs, asegs;
	uint32_t *refs;
	size_t nrefs, arefs;
	uint16_t *port_seg;
};

static enum reg_class class_of(const struct reg_record *recs,
			       const uint32_t *ids, size_t n, unsigned port)
{
	enum reg_class cls = REG_CLASS_UNASSIGNED;
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		enum reg_class k = recs[ids[i]].kind;

		if (k == REG_CLASS_ASSIGNED)
			return REG_CLASS_ASSIGNED;
		if (!any || k == REG_CLASS_RESERVED)
			cls = k;
		any = true;
	}
	if (!any && port >= REG_DYNAMIC_FIRST)
		return REG_CLASS_DYNAMIC;
	return cls;
}

static int build_port_index(struct registry *reg, struct index_out *o)
{
	const struct reg_record *recs = reg->records;
	uint32_t *order = reg_xrealloc(NULL, reg->nrecords + 1, sizeof(*order));
	uint32_t *active = reg_xrealloc(NULL, reg->nrecords + 1, sizeof(*active));

	o->port_seg = reg_xrealloc(NULL, (size_t)REG_NPROTO * 65536,
				   sizeof(*o->port_seg));
	for (unsigned proto = 0; proto < REG_NPROTO; proto++) {
		size_t norder = 0, nactive = 0, next = 0, prev_n = 0;
		size_t prev_ref = 0;
		unsigned prev_flags = 0;
		enum reg_class prev_cls = REG_CLASS_UNASSIGNED;
		bool have_prev = false;

		reg->seg_first[proto] = (uint32_t)o->nsegs;
		for (size_t i = 0; i < reg->nrecords; i++)
			if ((recs[i].flags & REG_F_HAS_PORT) &&
			    (recs[i].protos & (1u << proto)))
				order[norder++] = (uint32_t)i;
		if (norder)
			qsort_r(order, norder, sizeof(*order), cmp_start,
				(void *)recs);

		for (unsigned port = 0; port <= 65535; port++) {
			size_t k = 0;
			bool changed = false, same;
			unsigned unauth = 0, flags = 0;
			enum reg_class cls;
			struct reg_segment *s;

			for (size_t i = 0; i < nactive; i++)
				if (recs[active[i]].hi >= port)
					active[k++] = active[i];
			changed = k != nactive;
			nactive = k;
			while (next < norder && recs[order[next]].lo == port) {
				active[nactive++] = order[next++];
				changed = true;
			}
			if (changed)
				qsort(active, nactive, sizeof(*active), cmp_u32);
			for (size_t i = 0; i < nactive; i++) {
				const struct reg_record *r = &recs[active[i]];

				flags |= r->flags & REG_F_STATUS;
				if (registry_unauth_covers(reg, r, (uint16_t)port))
					unauth = REG_F_UNAUTHORIZED;
			}
			if (!nactive && port < REG_DYNAMIC_FIRST)
				flags |= REG_F_NO_RECORD;
			flags |= unauth;
			cls = class_of(recs, active, nactive, port);
			same = have_prev && nactive == prev_n &&
			       flags == prev_flags && cls == prev_cls &&
			       (!nactive || !memcmp(active, o->refs + prev_ref,
						    nactive * sizeof(*active)));
			if (!same) {
				if (o->nrefs + nactive > REG_MAX_REFS)
					goto fail;
				GROW(o->segs, o->nsegs, o->asegs);
				s = &o->segs[o->nsegs++];
				memset(s, 0, sizeof(*s));	/* padding too */
				s->lo = s->hi = (uint16_t)port;
				s->ref = (uint32_t)o->nrefs;
				s->nref = (uint16_t)nactive;
				s->flags = (uint16_t)flags;
				s->cls = (uint8_t)cls;
				for (size_t i = 0; i < nactive; i++) {
					GROW(o->refs, o->nrefs, o->arefs);
					o->refs[o->nrefs++] = active[i];
				}
				prev_ref = s->ref;
				prev_n = nactive;
				prev_flags = flags;
				prev_cls = cls;
				have_prev = true;
			}
			o->segs[o->nsegs - 1].hi = (uint16_t)port;
			o->port_seg[proto * 65536u + port] =
				(uint16_t)(o->nsegs - 1 - reg->seg_first[proto]);
		}
		/* Running counts, for ranges in two lookups. */
		{
			uint32_t below[REG_NCLASS + 1] = { 0 };

			for (size_t i = reg->seg_first[proto]; i < o->nsegs; i++) {
				struct reg_segment *sg = &o->segs[i];
				uint32_t width = (uint32_t)sg->hi - sg->lo + 1;

				memcpy(sg->below, below, sizeof(below));
				below[sg->cls] += width;
				if (sg->flags & REG_F_UNAUTHORIZED)
					below[REG_NCLASS] += width;
			}
		}
	}
	free(order);
	free(active);
	return 0;
fail:
	free(order);
	free(active);
	return -E2BIG;
}

int regb_finish(struct regb *b, const char *updated, const char *source,
		const char *sha256, enum reg_format format,
		struct registry **ret_reg)
{
	struct registry *reg = calloc(1, sizeof(*reg));
	struct owned *own = calloc(1, sizeof(*own));
	struct index_out o = { 0 };
	uint32_t *by_name;
	size_t nby = 0;
	int r;

	if (!reg || !own)
		reg_oom();

	if (b->npersons)
		qsort_r(b->persons, b->npersons, sizeof(*b->persons), cmp_person,
			b->str);
	for (size_t i = 0; i < b->nrecs; i++)
		normalize_record(b, &b->recs[i]);
	reg->updated = regb_cstr(b, updated);
	reg->source = regb_cstr(b, source);
	reg->sha256 = regb_cstr(b, sha256);
	reg->format = (uint8_t)format;

	for (size_t i = 0; i < b->nxrefs; i++) {
		struct reg_xref *x = &b->xrefs[i];

		if ((x->type == REG_XREF_ASSIGNEE || x->type == REG_XREF_CONTACT) &&
		    b->npersons) {
			const char *id = b->str + x->data;
			const struct reg_person *p = person_by_id(b, id, strlen(id));

			if (p)
				x->target = (uint32_t)(p - b->persons) + 1;
		} else if (x->type == REG_XREF_NOTE) {
			for (size_t j = 0; j < b->nnotes; j++)
				if (b->notes[j].anchor == x->data)
					x->target = b->notes[j].text;
		}
	}

	reg->strings = b->str;
	reg->strings_len = b->nstr;
	reg->records = b->recs;
	reg->nrecords = b->nrecs;
	reg->persons = b->persons;
	reg->npersons = b->npersons;
	reg->xrefs = b->xrefs;
	reg->nxrefs = b->nxrefs;
	reg->unauth = b->unauth;
	reg->nunauth = b->nunauth;

	by_name = reg_xrealloc(NULL, b->nrecs + 1, sizeof(*by_name));
	for (size_t i = 0; i < b->nrecs; i++)
		if (b->recs[i].name)
			by_name[nby++] = (uint32_t)i;
	if (nby) {
		struct sort_ctx sc = { b->str, b->recs };

		qsort_r(by_name, nby, sizeof(*by_name), cmp_by_name, &sc);
	}
	reg->by_name = by_name;
	reg->nby_name = nby;

	own->block[0] = b->str;
	own->block[1] = b->recs;
	own->block[2] = b->persons;
	own->block[3] = b->xrefs;
	own->block[4] = b->unauth;
	own->block[5] = by_name;
	reg->owned = own;
	b->str = NULL;
	b->recs = NULL;
	b->persons = NULL;
	b->xrefs = NULL;
	b->unauth = NULL;
	regb_free(b);

	/* Never NULL, so that refs + 0 is defined for a registry of nothing. */
	o.arefs = 64;
	o.refs = reg_xrealloc(NULL, o.arefs, sizeof(*o.refs));
	r = build_port_index(reg, &o);
	own->block[6] = o.segs;
	own->block[7] = o.refs;
	own->block[8] = o.port_seg;
	if (r < 0) {
		registry_free(reg);
		return r;
	}
	reg->segs = o.segs;
	reg->nsegs = o.nsegs;
	reg->refs = o.refs;
	reg->nrefs = o.nrefs;
	reg->port_seg = o.port_seg;
	*ret_reg = reg;
	return 0;
}

void registry_free(struct registry *reg)
{
	struct owned *own;

	if (!reg || !reg->owned)
		return;
	own = reg->owned;
	for (size_t i = 0; i < sizeof(own->block) / sizeof(*own->block); i++)
		free(own->block[i]);
	free(own);
	free(reg);
}
