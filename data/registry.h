/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IANA Service Name and Transport Protocol Port Number Registry
 * (RFC 6335), as one read-only, pointer-free table.
 *
 * Ownership: a struct registry owns every array and string it points to.
 * The built-in snapshot is static and never freed; one loaded at run time
 * is released whole by registry_free().  Strings are offsets into one pool;
 * offset 0 is the empty string and means "absent".
 */
#ifndef PORTOLAN_REGISTRY_H
#define PORTOLAN_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum reg_proto {
	REG_PROTO_TCP,
	REG_PROTO_UDP,
	REG_PROTO_SCTP,
	REG_PROTO_DCCP,
	REG_NPROTO,
};
#define REG_PROTO_ALL ((1u << REG_NPROTO) - 1)

/* The class of one (port, protocol), and the kind of one record. */
enum reg_class {
	REG_CLASS_UNASSIGNED,
	REG_CLASS_RESERVED,
	REG_CLASS_ASSIGNED,
	REG_CLASS_DYNAMIC,	/* 49152-65535 with no record (RFC 6335 8.1.2) */
	REG_NCLASS,
};

#define REG_DYNAMIC_FIRST 49152u

/* Status flags of a record, normalized from its description and notes. */
enum reg_flag {
	REG_F_DEASSIGNED	= 1u << 0, /* de-assigned, de-registered, released */
	REG_F_DEPRECATED	= 1u << 1,
	REG_F_HISTORIC		= 1u << 2, /* historic, or a historic alias */
	REG_F_REMOVED		= 1u << 3, /* "being removed", "has been removed" */
	REG_F_UNAUTHORIZED	= 1u << 4, /* known unauthorized use (record level) */
	REG_F_HAS_PORT		= 1u << 5, /* has a <number>; else name only */
	REG_F_NO_RECORD		= 1u << 6, /* answers only: no record at all */
};
#define REG_F_STATUS (REG_F_DEASSIGNED | REG_F_DEPRECATED | REG_F_HISTORIC | \
		      REG_F_REMOVED)

enum reg_xref_type {
	REG_XREF_ASSIGNEE,	/* <assignee><xref type="person"> */
	REG_XREF_CONTACT,	/* <xref type="person"> */
	REG_XREF_RFC,
	REG_XREF_DRAFT,
	REG_XREF_URI,
	REG_XREF_TEXT,
	REG_XREF_NOTE,		/* a footnote; target is its text */
	REG_XREF_OTHER,
};

struct reg_person {
	uint32_t id, name, org, uri, updated;
};

/*
 * One cross reference.  For ASSIGNEE and CONTACT, target is the person's
 * index + 1 (0: the id is not in <people>); for NOTE, the footnote text.
 */
struct reg_xref {
	uint32_t data;
	uint32_t target;
	uint8_t type;
};

struct reg_span {
	uint16_t lo, hi;
};

struct reg_record {
	uint32_t name, description, note, unauthorized, alias_of;
	uint32_t registered, modified;	/* date= and updated=, as written */
	uint32_t service_code;		/* <sc>; 0 when absent */
	uint32_t line;			/* line of <record> in its file */
	uint32_t xref, unauth;		/* first index into xrefs / unauth */
	uint16_t nxref, nunauth;	/* nunauth 0 with unauthorized: all */
	uint16_t lo, hi;		/* valid with REG_F_HAS_PORT */
	uint16_t flags;			/* enum reg_flag */
	uint8_t protos;			/* 1 << enum reg_proto */
	uint8_t kind;			/* enum reg_class, never DYNAMIC */
};

/* A run of ports of one protocol covered by the same records. */
struct reg_segment {
	uint32_t ref;		/* first index into refs */
	uint16_t nref;
	uint16_t flags;		/* union of status flags; UNAUTHORIZED scoped */
	uint16_t lo, hi;	/* the ports it covers */
	uint8_t cls;
	/* Ports of each class, then with unauthorized use, below lo on this
	 * protocol: a range is counted from two segments. */
	uint32_t below[REG_NCLASS + 1];
};

enum reg_format {
	REG_FORMAT_BUILTIN,
	REG_FORMAT_XML,
	REG_FORMAT_CSV,
};

struct registry {
	const char *strings;
	size_t strings_len;
	const struct reg_record *records;
	size_t nrecords;
	const struct reg_person *persons;	/* sorted by id */
	size_t npersons;
	const struct reg_xref *xrefs;
	size_t nxrefs;
	const struct reg_span *unauth;
	size_t nunauth;
	const struct reg_segment *segs;
	size_t nsegs;
	const uint32_t *refs;			/* record indices */
	size_t nrefs;
	const uint32_t *by_name;		/* named records, by name */
	size_t nby_name;
	/* port_seg[proto * 65536 + port] indexes segs from seg_first[proto] */
	const uint16_t *port_seg;
	uint32_t seg_first[REG_NPROTO];
	uint32_t updated;			/* the registry's <updated> */
	uint32_t source;			/* file name as given */
	uint32_t sha256;			/* of the source file, hex */
	uint8_t format;				/* enum reg_format */
	void *owned;				/* heap blocks; NULL if static */
};

/* What the registry says about one port on one protocol. */
struct reg_answer {
	uint16_t port;
	uint8_t proto;
	uint8_t cls;		/* enum reg_class */
	uint16_t flags;		/* enum reg_flag; UNAUTHORIZED if it concerns port */
	const uint32_t *recs;	/* covering records, in file order */
	size_t nrecs;
};

/* A load or parse failure: where, and what. */
struct reg_error {
	char file[256];
	unsigned long line;	/* 0: no line */
	char msg[256];
};

/* The snapshot compiled into the program from data/. */
const struct registry *registry_builtin(void);

/*
 * Loads a registry from FILE (IANA's XML or CSV form, told apart by content).
 * Returns 0 and sets *ret_reg, or a negative errno with *err filled:
 * -ENOENT & co. for I/O, -EFBIG over the size cap, -EINVAL for a foreign or
 * malformed file, -ENOMEM.
 */
int registry_load(const char *file, struct registry **ret_reg,
		  struct reg_error *err);

/* The same from a buffer; NAME is used in messages and as the source. */
int registry_load_buffer(const char *buf, size_t len, const char *name,
			 struct registry **ret_reg, struct reg_error *err);

#define REG_MAX_FILE_SIZE (64u << 20)

/* Releases a loaded registry.  NULL and the built-in snapshot are no-ops. */
void registry_free(struct registry *reg);

static inline const char *registry_str(const struct registry *reg, uint32_t off)
{
	return reg->strings + off;
}

/* The answer for PORT on PROTO.  Never fails. */
static inline void registry_query(const struct registry *reg, uint16_t port,
				  enum reg_proto proto, struct reg_answer *ret)
{
	const struct reg_segment *seg = &reg->segs[reg->seg_first[proto] +
		reg->port_seg[(size_t)proto * 65536u + port]];

	ret->port = port;
	ret->proto = (uint8_t)proto;
	ret->cls = seg->cls;
	ret->flags = seg->flags;
	ret->recs = reg->refs + seg->ref;
	ret->nrecs = seg->nref;
}

/*
 * The named records whose name equals NAME (ASCII case-insensitive, as RFC
 * 6335 5.1 compares service names): returns how many, and *ret_first their
 * first position in reg->by_name.
 */
size_t registry_find_name(const struct registry *reg, const char *name,
			  size_t *ret_first);

/* Whether REC's reported unauthorized use concerns PORT. */
bool registry_unauth_covers(const struct registry *reg,
			    const struct reg_record *rec, uint16_t port);

/* Whether REC is an assignment (or reservation) for PROTO. */
static inline bool reg_record_has_proto(const struct reg_record *rec,
					enum reg_proto proto)
{
	return rec->protos & (1u << proto);
}

/*
 * Parses LEN bytes of S as a port "N" or range "N-M" (0-65535, N <= M).
 * Returns 0 or -EINVAL.
 */
int reg_parse_ports(const char *s, size_t len, uint16_t *ret_lo,
		    uint16_t *ret_hi);

/* A service assigned PORT on protocols other than the one asked about. */
struct reg_other {
	uint32_t name;		/* string; 0 for a nameless assignment */
	uint8_t protos;		/* 1 << enum reg_proto */
};

/*
 * The assignments of PORT on the protocols other than PROTO, one entry per
 * service name in registry order ("4915 is frcs on tcp").  Writes at most
 * MAX entries to RET and returns how many it wrote.
 */
size_t registry_other_assignments(const struct registry *reg, uint16_t port,
				  enum reg_proto proto, struct reg_other *ret,
				  size_t max);

#define REG_RANGE_SPANS 16

/* What a range of ports is on one protocol. */
struct reg_range {
	size_t ports[REG_NCLASS];	/* ports per class */
	size_t unauthorized;		/* ports with known unauthorized use */
	struct reg_span unauth[REG_RANGE_SPANS]; /* the first of those, merged */
	size_t nunauth;			/* with registry_range_unauth() only */
};

/* Counts per class in constant time; unauth spans are left empty. */
void registry_range(const struct registry *reg, uint16_t lo, uint16_t hi,
		    enum reg_proto proto, struct reg_range *ret);
/* registry_range(), and the first REG_RANGE_SPANS unauthorized spans. */
void registry_range_unauth(const struct registry *reg, uint16_t lo, uint16_t hi,
			   enum reg_proto proto, struct reg_range *ret);

/*
 * The distinct records covering LO-HI on PROTO, in the order their first
 * port comes.  RET must have room for reg->nrecords entries; returns the
 * count.
 */
size_t registry_range_records(const struct registry *reg, uint16_t lo,
			      uint16_t hi, enum reg_proto proto, uint32_t *ret);

/*
 * Up to MAX distinct service names close to NAME (a typo away), for "did
 * you mean".  Returns how many it wrote to RET.
 */
size_t registry_suggest(const struct registry *reg, const char *name,
			const char *ret[], size_t max);

const char *reg_proto_name(enum reg_proto proto);
/* Returns the protocol for NAME (lowercase or not), or -1. */
int reg_proto_from_name(const char *name);
const char *reg_class_name(enum reg_class cls);
const char *reg_xref_type_name(enum reg_xref_type type);

/* Writes the status flag names of FLAGS ("de-assigned", ...) to NAMES. */
size_t reg_flag_names(unsigned flags, const char *names[], size_t max);

#endif
