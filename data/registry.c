/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "regbuild.h"

static const char *const proto_names[REG_NPROTO] = { "tcp", "udp", "sctp", "dccp" };
static const char *const class_names[REG_NCLASS] = {
	"unassigned", "reserved", "assigned", "dynamic",
};

const char *reg_proto_name(enum reg_proto proto)
{
	return proto < REG_NPROTO ? proto_names[proto] : "?";
}

int reg_proto_from_name(const char *name)
{
	for (int i = 0; i < REG_NPROTO; i++)
		if (strcasecmp(name, proto_names[i]) == 0)
			return i;
	return -1;
}

const char *reg_class_name(enum reg_class cls)
{
	return cls < REG_NCLASS ? class_names[cls] : "?";
}

const char *reg_xref_type_name(enum reg_xref_type type)
{
	static const char *const names[] = {
		"assignee", "contact", "rfc", "draft", "uri", "text", "note", "other",
	};

	return type <= REG_XREF_OTHER ? names[type] : "other";
}

size_t reg_flag_names(unsigned flags, const char *names[], size_t max)
{
	static const struct { unsigned flag; const char *name; } map[] = {
		{ REG_F_DEASSIGNED, "de-assigned" },
		{ REG_F_DEPRECATED, "deprecated" },
		{ REG_F_HISTORIC, "historic" },
		{ REG_F_REMOVED, "removed" },
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(*map) && n < max; i++)
		if (flags & map[i].flag)
			names[n++] = map[i].name;
	return n;
}

bool registry_unauth_covers(const struct registry *reg,
			    const struct reg_record *rec, uint16_t port)
{
	if (!rec->unauthorized || !(rec->flags & REG_F_HAS_PORT) ||
	    port < rec->lo || port > rec->hi)
		return false;
	if (!rec->nunauth)
		return true;
	for (size_t i = 0; i < rec->nunauth; i++) {
		const struct reg_span *s = &reg->unauth[rec->unauth + i];

		if (port >= s->lo && port <= s->hi)
			return true;
	}
	return false;
}

size_t registry_find_name(const struct registry *reg, const char *name,
			  size_t *ret_first)
{
	size_t lo = 0, hi = reg->nby_name, first;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *s = reg->strings + reg->records[reg->by_name[mid]].name;

		if (strcasecmp(s, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (hi < reg->nby_name &&
	       strcasecmp(reg->strings + reg->records[reg->by_name[hi]].name,
			  name) == 0)
		hi++;
	*ret_first = first;
	return hi - first;
}

static int read_capped(const char *file, char **ret_buf, size_t *ret_len,
		       struct reg_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd, r = 0;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		reg_error_set(err, file, 0, "cannot open: %s", strerror(errno));
		return r;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		reg_error_set(err, file, 0, "is a directory");
		r = -EISDIR;
		goto out;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((uintmax_t)st.st_size > REG_MAX_FILE_SIZE)
			goto too_big;
		/* One more byte than the file, to see the end in one read. */
		cap = (size_t)st.st_size + 2;
	}
	for (;;) {
		ssize_t n;
		size_t want;

		if (!buf || len + 1 >= cap) {
			if (buf || !cap)
				cap = cap ? cap * 2 : 1 << 16;
			buf = reg_xrealloc(buf, cap, 1);
		}
		want = cap - len - 1;
		if (want > REG_MAX_FILE_SIZE + 1 - len)
			want = REG_MAX_FILE_SIZE + 1 - len;
		n = read(fd, buf + len, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			reg_error_set(err, file, 0, "cannot read: %s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > REG_MAX_FILE_SIZE)
			goto too_big;
	}
	if (!buf)
		buf = reg_xrealloc(NULL, 1, 1);
	buf[len] = '\0';
	*ret_buf = buf;
	*ret_len = len;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return r;
too_big:
	reg_error_set(err, file, 0, "file larger than %u MiB; not a registry",
		      REG_MAX_FILE_SIZE >> 20);
	r = -EFBIG;
	goto out;
}

int registry_load_buffer(const char *buf, size_t len, const char *name,
			 struct registry **ret_reg, struct reg_error *err)
{
	return reg_load_buffer(buf, len, name, NULL, ret_reg, err);
}

int reg_load_buffer(const char *buf, size_t len, const char *name,
		    const char *sha256, struct registry **ret_reg,
		    struct reg_error *err)
{
	struct regb *b;
	char *updated = NULL;
	size_t i = 0;
	int r;

	if (len > REG_MAX_FILE_SIZE) {
		reg_error_set(err, name, 0, "file larger than %u MiB; not a registry",
			      REG_MAX_FILE_SIZE >> 20);
		return -EFBIG;
	}
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
			   buf[i] == '\n'))
		i++;
	b = regb_new();
	if (i < len && buf[i] == '<') {
		r = reg_load_xml(buf, len, name, b, &updated, err);
		if (r == 0) {
			r = regb_finish(b, updated, name, sha256, REG_FORMAT_XML,
					ret_reg);
			free(updated);
			goto finished;
		}
	} else if (len - i >= 12 && memcmp(buf + i, "Service Name", 12) == 0) {
		r = reg_load_csv(buf, len, name, b, err);
		if (r == 0) {
			r = regb_finish(b, NULL, name, sha256, REG_FORMAT_CSV,
					ret_reg);
			goto finished;
		}
	} else {
		reg_error_set(err, name, 1,
			      "not a port registry: expected IANA's XML or CSV form");
		r = -EINVAL;
	}
	free(updated);
	regb_free(b);
	return r;
finished:
	if (r == -E2BIG)
		reg_error_set(err, name, 0,
			      "records overlap too much to index (more than %u port-record pairs)",
			      1u << 22);
	return r;
}

int registry_load(const char *file, struct registry **ret_reg,
		  struct reg_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int r = read_capped(file, &buf, &len, err);

	if (r < 0)
		return r;
	r = registry_load_buffer(buf, len, file, ret_reg, err);
	free(buf);
	return r;
}

size_t registry_other_assignments(const struct registry *reg, uint16_t port,
				  enum reg_proto proto, struct reg_other *ret,
				  size_t max)
{
	size_t n = 0;

	for (int p = 0; p < REG_NPROTO; p++) {
		struct reg_answer a;

		if (p == (int)proto)
			continue;
		registry_query(reg, port, p, &a);
		for (size_t i = 0; i < a.nrecs; i++) {
			const struct reg_record *r = &reg->records[a.recs[i]];
			size_t k;

			if (r->kind != REG_CLASS_ASSIGNED)
				continue;
			for (k = 0; k < n; k++)
				if (strcmp(reg->strings + ret[k].name,
					   reg->strings + r->name) == 0)
					break;
			if (k == n) {
				if (n == max)
					continue;
				ret[n].name = r->name;
				ret[n++].protos = 0;
			}
			ret[k].protos |= (uint8_t)(1u << p);
		}
	}
	return n;
}

static const struct reg_segment *seg_of(const struct registry *reg,
					unsigned proto, unsigned port)
{
	return &reg->segs[reg->seg_first[proto] +
			  reg->port_seg[(size_t)proto * 65536u + port]];
}

void registry_range(const struct registry *reg, uint16_t lo, uint16_t hi,
		    enum reg_proto proto, struct reg_range *ret)
{
	const struct reg_segment *a = seg_of(reg, proto, lo), *b = seg_of(reg, proto, hi);

	memset(ret, 0, sizeof(*ret));
	/* Whole segments from a to b, less what lies outside lo-hi. */
	for (int c = 0; c < REG_NCLASS; c++)
		ret->ports[c] = b->below[c] - a->below[c];
	ret->unauthorized = b->below[REG_NCLASS] - a->below[REG_NCLASS];
	ret->ports[b->cls] += (size_t)hi - b->lo + 1;
	ret->ports[a->cls] -= (size_t)lo - a->lo;
	if (b->flags & REG_F_UNAUTHORIZED)
		ret->unauthorized += (size_t)hi - b->lo + 1;
	if (a->flags & REG_F_UNAUTHORIZED)
		ret->unauthorized -= (size_t)lo - a->lo;
}

void registry_range_unauth(const struct registry *reg, uint16_t lo, uint16_t hi,
			   enum reg_proto proto, struct reg_range *ret)
{
	const struct reg_segment *a = seg_of(reg, proto, lo), *b = seg_of(reg, proto, hi);

	registry_range(reg, lo, hi, proto, ret);
	if (!ret->unauthorized)
		return;
	for (const struct reg_segment *s = a; s <= b; s++) {
		uint16_t from = s->lo > lo ? s->lo : lo, to = s->hi < hi ? s->hi : hi;

		if (!(s->flags & REG_F_UNAUTHORIZED))
			continue;
		if (ret->nunauth && ret->unauth[ret->nunauth - 1].hi + 1u == from)
			ret->unauth[ret->nunauth - 1].hi = to;
		else if (ret->nunauth < REG_RANGE_SPANS)
			ret->unauth[ret->nunauth++] = (struct reg_span){ from, to };
	}
}

size_t registry_range_records(const struct registry *reg, uint16_t lo,
			      uint16_t hi, enum reg_proto proto, uint32_t *ret)
{
	const struct reg_segment *a = seg_of(reg, proto, lo), *b = seg_of(reg, proto, hi);
	size_t n = 0;

	for (const struct reg_segment *s = a; s <= b; s++) {
		for (size_t i = 0; i < s->nref; i++) {
			uint32_t rec = reg->refs[s->ref + i];
			bool seen = false;

			/* A record covers one run of ports, so one run of
			 * segments: it is new unless the previous one has it. */
			for (size_t k = 0; s > a && k < s[-1].nref; k++)
				if (reg->refs[s[-1].ref + k] == rec) {
					seen = true;
					break;
				}
			if (!seen)
				ret[n++] = rec;
		}
	}
	return n;
}

/* Levenshtein distance, ASCII case folded; 99 past 63 characters. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (la > 63 || lb > 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t sub = diag + ((a[i - 1] | 32) != (b[j - 1] | 32));
			size_t best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;

			row[j] = sub < best ? sub : best;
			diag = up;
		}
	}
	return row[lb];
}

size_t registry_suggest(const struct registry *reg, const char *name,
			const char *ret[], size_t max)
{
	size_t n = 0, limit = strlen(name) > 4 ? 2 : 1;

	for (size_t i = 0; i < reg->nby_name && n < max; i++) {
		const char *s = reg->strings + reg->records[reg->by_name[i]].name;

		if (n && strcasecmp(ret[n - 1], s) == 0)
			continue;
		if (distance(name, s) <= limit)
			ret[n++] = s;
	}
	return n;
}
