/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The nft JSON reader: the output of "nft -j list ruleset" (libnftables'
 * JSON schema 1) into the ruleset model, agreeing with the text reader on
 * what each rule means.  JSON carries no positions, so every location is
 * the file alone (line 0), except where jansson reports a syntax error.
 *
 * Anything we do not model is kept on its rule as opaque text (the
 * statement as compact JSON); malformed input becomes an error record and
 * the reader goes on with the next object.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "nft.h"
#include "services.h"

/* nft joins at most 16 registers' worth of fields; more is not ours. */
#define MAX_CONCAT	16
/* How deep we look inside statements we do not model for map lookups. */
#define MAX_WALK	32

struct jctx {
	struct ruleset *rs;
	const struct registry *reg;
	struct loc loc;		/* the file, no line */
};

/* Port literals collected before they are known to be good. */
struct litvec {
	struct port_lit *v;
	uint32_t n, a;
};

/* A lookup key: one port expression, or a concatenation holding some. */
struct keyinfo {
	uint32_t ncomp;			/* 0: not a concatenation */
	uint32_t nports;
	uint32_t idx[MAX_CONCAT];	/* component of each port field */
	uint8_t field[MAX_CONCAT];
	uint8_t source[MAX_CONCAT];
	uint8_t protos[MAX_CONCAT];
	bool paired[MAX_CONCAT];	/* with a protocol from proto_idx */
	int proto_idx;			/* component that is a protocol; -1 */
};

/* A JSON value for a message: strings bare, the rest as compact JSON. */
static const char *show(struct jctx *j, const json_t *v)
{
	char *s;
	const char *out;

	if (!v)
		return "null";
	if (json_is_string(v))
		s = strdup(json_string_value(v));
	else
		s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!s)
		oom();
	if (strlen(s) > 60)
		out = arena_printf(&j->rs->arena, "%.57s...", s);
	else
		out = arena_strdup(&j->rs->arena, s);
	free(s);
	return out;
}

static void keep_opaque(struct jctx *j, struct rule *r, const json_t *stmt)
{
	char *s = json_dumps(stmt, JSON_COMPACT | JSON_ENCODE_ANY);

	if (!s)
		oom();
	rule_add_opaque(j->rs, r, s, &j->loc);
	free(s);
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The single key of an nft object ({"accept": null}) and its value. */
static const char *obj_key(const json_t *o, json_t **ret_val)
{
	const char *key;
	json_t *val;

	if (!json_is_object(o) || json_object_size(o) != 1)
		return NULL;
	json_object_foreach((json_t *)o, key, val) {
		*ret_val = val;
		return key;
	}
	return NULL;
}

/* {"elem": {"val": X, "timeout": ...}} wraps elements with attributes. */
static json_t *unwrap_elem(json_t *v)
{
	json_t *e = json_object_get(v, "elem");

	if (json_is_object(v) && json_object_size(v) == 1 && json_is_object(e) &&
	    json_object_get(e, "val"))
		return json_object_get(e, "val");
	return v;
}

/* Family, table name: the table an object belongs to, or NULL. */
static struct table *owner_table(struct jctx *j, const json_t *o,
				 const char *tkey, const char *what)
{
	const char *fam = jstr(o, "family"), *tname = jstr(o, tkey);
	struct table *t;
	int f;

	if (!fam || !tname) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "%s without '%s' and '%s': '%s'", what, "family",
			     tkey, show(j, o));
		return NULL;
	}
	f = family_from_name(fam);
	if (f < 0) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "unknown family '%s' in %s", fam, what);
		return NULL;
	}
	t = ruleset_table(j->rs, (enum family)f, tname, false);
	if (!t && jstr(o, "name"))
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "unknown table '%s %s' for %s '%s'", fam, tname,
			     what, jstr(o, "name"));
	else if (!t)
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "unknown table '%s %s' for %s", fam, tname, what);
	return t;
}

/* ---- port values ---- */

static int port_number(struct jctx *j, const json_t *v, uint16_t *ret)
{
	json_int_t n;

	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		unsigned long u;
		size_t hex = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ?
			     strspn(s + 2, "0123456789abcdefABCDEF") : 0;

		/* "0x20 [invalid type]": how nft -j gives a value it cannot
		 * type on the way back ("ct protocol { tcp, udp } ct
		 * original proto-dst 32"); the kernel holds the number */
		if (hex && hex <= 4 && (!s[2 + hex] || strcmp(s + 2 + hex, " [invalid type]") == 0)) {
			*ret = (uint16_t)strtoul(s + 2, &end, 16);
			return 0;
		}
		if (!*s || strspn(s, "0123456789") != strlen(s))
			return 1;	/* not a number: maybe a service */
		u = strtoul(s, &end, 10);
		if (strlen(s) > 5 || u > 65535) {
			ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
				     "port '%s' out of range 0-65535", s);
			return -1;
		}
		*ret = (uint16_t)u;
		return 0;
	}
	if (!json_is_integer(v)) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "bad port value '%s'", show(j, v));
		return -1;
	}
	n = json_integer_value(v);
	if (n < 0 || n > 65535) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "port '%s' out of range 0-65535", show(j, v));
		return -1;
	}
	*ret = (uint16_t)n;
	return 0;
}

/* One end of a port value: a number or a service name. */
static int port_word(struct jctx *j, const json_t *v, unsigned protos,
		     uint16_t *ret_port, struct port_lit *lit)
{
	const char *name, *sugg[1];
	enum lit_kind kind;
	int rc = port_number(j, v, ret_port);

	if (rc <= 0)
		return rc;
	name = json_string_value(v);
	if (name[0] == '@') {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "set reference '%s' where a port was expected",
			     name);
		return -1;
	}
	if (service_resolve(j->reg, name, protos, ret_port, &kind) < 0) {
		if (registry_suggest(j->reg, name, sugg, 1))
			ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
				     "unknown service '%s' (did you mean '%s'?)",
				     name, sugg[0]);
		else
			ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
				     "unknown service '%s'", name);
		return -1;
	}
	if (lit->kind == LIT_NUMBER) {
		lit->kind = (uint8_t)kind;
		lit->name = arena_strdup(&j->rs->arena, name);
	}
	return 0;
}

/*
 * {"prefix": {"addr": 4096, "len": 8}}: the ports whose first 8 bits are
 * those of 4096, 4096-4351, into LIT.  0 or -1.
 */
static int port_prefix(struct jctx *j, const json_t *p, struct port_lit *lit)
{
	json_t *len = json_object_get(p, "len");
	uint16_t v, mask;

	if (!json_is_integer(len) || json_integer_value(len) < 0 ||
	    json_integer_value(len) > 16 || !json_is_integer(json_object_get(p, "addr"))) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc, "bad port prefix '%s'",
			     show(j, p));
		return -1;
	}
	if (port_number(j, json_object_get(p, "addr"), &v))
		return -1;
	mask = (uint16_t)(json_integer_value(len) ?
			  0xffffu << (16 - json_integer_value(len)) : 0);
	lit->lo = (uint16_t)(v & mask);
	lit->hi = (uint16_t)(lit->lo | (uint16_t)~mask);
	return 0;
}

/* A port, a service name, {"range": [a, b]} or {"prefix": ...} into LIT.
 * 0 or -1. */
static int port_value(struct jctx *j, json_t *v, unsigned protos,
		      struct port_lit *lit)
{
	json_t *range;

	memset(lit, 0, sizeof(*lit));
	lit->loc = j->loc;
	lit->kind = LIT_NUMBER;
	v = unwrap_elem(v);
	if (json_is_object(v) && json_object_size(v) == 1 &&
	    json_object_get(v, "prefix"))
		return port_prefix(j, json_object_get(v, "prefix"), lit);
	range = json_object_get(v, "range");
	if (json_is_object(v) && json_object_size(v) == 1 && range) {
		if (!json_is_array(range) || json_array_size(range) != 2) {
			ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
				     "bad port range '%s'", show(j, v));
			return -1;
		}
		if (port_word(j, json_array_get(range, 0), protos, &lit->lo, lit) ||
		    port_word(j, json_array_get(range, 1), protos, &lit->hi, lit))
			return -1;
		if (lit->lo > lit->hi) {
			ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
				     "reversed port range '%s'", show(j, v));
			return -1;
		}
		return 0;
	}
	if (json_is_integer(v) || json_is_string(v)) {
		if (port_word(j, v, protos, &lit->lo, lit))
			return -1;
		lit->hi = lit->lo;
		return 0;
	}
	ruleset_diag(j->rs, DIAG_ERROR, &j->loc, "bad port value '%s'",
		     show(j, v));
	return -1;
}

/* ---- port expressions ---- */

static const char *const l4_words[] = {
	"tcp", "udp", "sctp", "dccp", "udplite",
};

/*
 * Whether E is a port expression (tcp dport, th sport, @th,16,16, ct
 * original proto-dst); CONS is the protocols the rule constrains "th" and
 * ct to.
 */
static bool port_key(const json_t *e, unsigned cons, uint8_t *ret_field,
		     uint8_t *ret_source, uint8_t *ret_protos, bool *ret_th)
{
	json_t *p = json_object_get(e, "payload"), *ct = json_object_get(e, "ct");
	const char *s;

	if (!json_is_object(e) || json_object_size(e) != 1)
		return false;
	if (json_is_object(p)) {
		const char *proto = jstr(p, "protocol"), *field = jstr(p, "field");
		unsigned bits = 0;

		if (proto && field) {
			if (strcmp(field, "dport") == 0)
				*ret_field = FIELD_DPORT;
			else if (strcmp(field, "sport") == 0)
				*ret_field = FIELD_SPORT;
			else
				return false;
			if (strcmp(proto, "th") == 0) {
				bits = cons;
				*ret_th = true;
			}
			for (size_t i = 0; i < sizeof(l4_words) / sizeof(*l4_words); i++)
				if (strcmp(proto, l4_words[i]) == 0)
					bits = l4_from_word(proto);
			if (!bits)
				return false;
		} else {
			json_t *off = json_object_get(p, "offset");

			s = jstr(p, "base");
			if (!s || strcmp(s, "th") != 0 ||
			    json_integer_value(json_object_get(p, "len")) != 16 ||
			    !json_is_integer(off))
				return false;
			if (json_integer_value(off) == 16)
				*ret_field = FIELD_DPORT;
			else if (json_integer_value(off) == 0)
				*ret_field = FIELD_SPORT;
			else
				return false;
			bits = cons;
			*ret_th = true;
		}
		*ret_source = SRC_PAYLOAD;
		*ret_protos = (uint8_t)bits;
		return true;
	}
	if (json_is_object(ct)) {
		s = jstr(ct, "key");
		if (!s)
			return false;
		if (strcmp(s, "proto-dst") == 0)
			*ret_field = FIELD_DPORT;
		else if (strcmp(s, "proto-src") == 0)
			*ret_field = FIELD_SPORT;
		else
			return false;
		/* the reply tuple runs the other way (see the text reader) */
		s = jstr(ct, "dir");
		if (s && strcmp(s, "reply") == 0)
			*ret_field = *ret_field == FIELD_DPORT ? FIELD_SPORT : FIELD_DPORT;
		*ret_source = SRC_CT;
		*ret_protos = (uint8_t)cons;
		*ret_th = true;
		return true;
	}
	return false;
}

/* Whether E is meta l4proto, ip protocol or ip6 nexthdr. */
static bool proto_key(const json_t *e)
{
	json_t *meta = json_object_get(e, "meta"), *p = json_object_get(e, "payload");
	const char *key = jstr(meta, "key"), *proto = jstr(p, "protocol");
	const char *field = jstr(p, "field");

	if (!json_is_object(e) || json_object_size(e) != 1)
		return false;
	if (key)
		return strcmp(key, "l4proto") == 0;
	return proto && field &&
	       ((strcmp(proto, "ip") == 0 && strcmp(field, "protocol") == 0) ||
		(strcmp(proto, "ip6") == 0 && strcmp(field, "nexthdr") == 0));
}

static unsigned l4_number_word(const json_t *e)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(e));
	return l4_from_word(buf);
}

/*
 * A protocol value of an element: "tcp", 6; one L4 bit when it is one
 * protocol with ports, else 0 (a range, icmp: the port then keeps the
 * rule's protocols, as in the text reader's elem_proto()).
 */
static unsigned proto_value(const json_t *v)
{
	static const char *const names[] = {
		"tcp", "udp", "sctp", "dccp", "udplite",
		"TCP", "UDP", "SCTP", "DCCP", "UDPLite",
	};
	const char *s = json_string_value(v);

	if (json_is_integer(v))
		return json_integer_value(v) >= 0 && json_integer_value(v) <= 255 ?
		       l4_number_word(v) : 0;
	if (!s)
		return 0;
	if (*s && strspn(s, "0123456789") == strlen(s) && strlen(s) <= 3)
		return l4_from_word(s);
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(s, names[i]) == 0)
			return l4_from_word(names[i]);
	return 0;
}

/* Fills KI when E is a port expression or a concatenation with one. */
static bool key_info(const json_t *e, unsigned cons, struct keyinfo *ki)
{
	json_t *cc = json_object_get(e, "concat");

	memset(ki, 0, sizeof(*ki));
	ki->proto_idx = -1;
	if (json_is_object(e) && json_object_size(e) == 1 && json_is_array(cc)) {
		size_t n = json_array_size(cc);

		if (n < 1 || n > MAX_CONCAT)
			return false;
		ki->ncomp = (uint32_t)n;
		for (size_t i = 0; i < n; i++) {
			uint32_t k = ki->nports;
			bool th = false;

			if (port_key(json_array_get(cc, i), cons, &ki->field[k],
				     &ki->source[k], &ki->protos[k], &th)) {
				ki->paired[k] = th;
				ki->idx[ki->nports++] = (uint32_t)i;
			} else if (ki->proto_idx < 0 && proto_key(json_array_get(cc, i))) {
				ki->proto_idx = (int)i;
			}
		}
		/* "meta l4proto . th dport": each element's protocol is
		 * that of its th ports; a tcp dport has its own, and an
		 * element of another protocol never matches: both are
		 * split by rule_split_protos() */
		for (uint32_t k = 0; k < ki->nports; k++)
			ki->paired[k] = ki->proto_idx >= 0;
		return ki->nports > 0;
	}
	if (!port_key(e, cons, &ki->field[0], &ki->source[0], &ki->protos[0],
		      &(bool){ false }))
		return false;
	ki->nports = 1;
	return true;
}

/* The port components of one element V of a set keyed by KI into LV[]. */
static int key_values(struct jctx *j, const struct keyinfo *ki, json_t *v,
		      struct litvec *lv)
{
	json_t *cc;
	struct port_lit lit;
	unsigned proto = 0;
	/* {"elem": {"val": 30080, "comment": "web"}} */
	const char *comment = json_string_value(json_object_get(json_object_get(v, "elem"),
								"comment"));
	bool commented = comment && *comment;

	v = unwrap_elem(v);
	if (!ki->ncomp) {
		if (port_value(j, v, ki->protos[0], &lit))
			return -1;
		lit.commented = commented;
		lits_add(j->rs, &lv[0].v, &lv[0].n, &lv[0].a, &lit);
		return 0;
	}
	cc = json_object_get(v, "concat");
	if (!json_is_object(v) || !json_is_array(cc) ||
	    json_array_size(cc) != ki->ncomp) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "element '%s' does not have %u fields", show(j, v),
			     ki->ncomp);
		return -1;
	}
	if (ki->proto_idx >= 0)
		proto = proto_value(unwrap_elem(json_array_get(cc, (size_t)ki->proto_idx)));
	for (uint32_t p = 0; p < ki->nports; p++) {
		/* "udp . domain": a name resolved for its own protocol */
		if (port_value(j, json_array_get(cc, ki->idx[p]),
			       proto ? proto : ki->protos[p], &lit))
			return -1;
		lit.proto = (uint8_t)proto;
		lit.commented = commented;
		lits_add(j->rs, &lv[p].v, &lv[p].n, &lv[p].a, &lit);
	}
	return 0;
}

/* One port match per port field of KI, with the literals in LV[]. */
static void add_matches(struct jctx *j, struct rule *r,
			const struct keyinfo *ki, struct litvec *lv,
			uint8_t kind, bool negated, const char *set,
			const struct portrange *rel)
{
	for (uint32_t p = 0; p < ki->nports; p++) {
		struct port_match *m = rule_add_match(j->rs, r);

		m->field = ki->field[p];
		m->source = ki->source[p];
		m->protos = ki->protos[p];
		m->kind = kind;
		m->negated = negated;
		m->loc = j->loc;
		if (ki->paired[p])
			m->proto_comp = (uint8_t)(ki->proto_idx + 1);
		if (set) {
			m->set = arena_strdup(&j->rs->arena, set);
			m->set_comp = (uint8_t)ki->idx[p];
		}
		m->lits = lv[p].v;
		m->nlits = lv[p].n;
		if (rel) {
			if (rel->lo <= rel->hi)
				portset_add(j->rs, &m->ports, rel->lo, rel->hi);
		} else {
			for (uint32_t i = 0; i < m->nlits; i++)
				portset_add(j->rs, &m->ports, m->lits[i].lo,
					    m->lits[i].hi);
		}
		portset_normalize(&m->ports);
	}
}

/* ---- maps ---- */

enum map_data {
	DATA_NONE,	/* verdicts, marks: no ports */
	DATA_PORT,	/* redirect to tcp dport map { 80 : 8080 } */
	DATA_ADDR,	/* dnat to ... map { k : addr } or { k : addr . port } */
};

/* The port in one data value of a NAT map into NAT. */
static int map_data_port(struct jctx *j, json_t *d, enum map_data dm,
			 struct litvec *nat)
{
	struct port_lit lit;
	json_t *cc;

	d = unwrap_elem(d);
	if (dm == DATA_PORT) {
		json_t *range = json_object_get(d, "range");

		/* "redirect to tcp dport map { 80 : 8080-8090 }": nft 1.0.6
		 * keeps only 8080 in the map (the statement's both ends read
		 * that one register) and gives it back as [8080, 0] */
		if (json_is_object(d) && json_object_size(d) == 1 && json_is_array(range) &&
		    json_array_size(range) == 2 && json_is_integer(json_array_get(range, 1)) &&
		    json_integer_value(json_array_get(range, 1)) == 0)
			d = json_array_get(range, 0);
		if (port_value(j, d, 0, &lit))
			return -1;
	} else {
		/* addr . port; a bare address carries no port. */
		cc = json_object_get(d, "concat");
		if (!json_is_array(cc))
			return 0;
		if (json_array_size(cc) != 2) {
			ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
				     "nat map value '%s' is not address . port",
				     show(j, d));
			return -1;
		}
		if (port_value(j, json_array_get(cc, 1), 0, &lit))
			return -1;
	}
	lits_add(j->rs, &nat->v, &nat->n, &nat->a, &lit);
	return 0;
}

/* A verdict map element's verdict from its data D into LIT: {"accept":
 * null}, {"jump": {"target": "ssh_in"}} (with the chain). */
static void json_verdict(struct jctx *j, const json_t *d, struct port_lit *lit)
{
	json_t *v = NULL;
	const char *key = obj_key(d, &v), *to = jstr(v, "target");
	int vd = key ? verdict_from_name(key, strlen(key)) : -1;

	lit->verdict = vd < 0 ? VERDICT_NONE : (uint8_t)vd;
	lit->target = (vd == VERDICT_JUMP || vd == VERDICT_GOTO) && to ?
		      arena_strdup(&j->rs->arena, to) : NULL;
}

/*
 * A {"map"|"vmap": {"key": K, "data": D}} lookup: a port match of KIND
 * when K is a port key, and for NAT maps the ports of the data side into
 * NAT.  Returns 1 if matches were added, 0 if K holds no port, -1 after a
 * diagnostic (nothing added).
 */
static int map_expr(struct jctx *j, struct rule *r, const json_t *m,
		    uint8_t kind, unsigned cons, enum map_data dm,
		    struct litvec *nat)
{
	json_t *key = json_object_get(m, "key"), *data = json_object_get(m, "data");
	json_t *elems = json_object_get(data, "set"), *e;
	struct litvec lv[MAX_CONCAT];
	struct keyinfo ki;
	const char *set = NULL;
	bool has_key;
	size_t i;

	memset(lv, 0, sizeof(lv));
	if (!json_is_object(m) || !key || !data) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "map without key and data: '%s'", show(j, m));
		return -1;
	}
	has_key = key_info(key, cons, &ki);
	if (json_is_string(data) && json_string_value(data)[0] == '@') {
		set = json_string_value(data) + 1;
	} else if (json_is_object(data) && json_object_size(data) == 1 &&
		   json_is_array(elems)) {
		json_array_foreach(elems, i, e) {
			json_t *k = json_array_get(e, 0), *d = json_array_get(e, 1);

			if (!json_is_array(e) || json_array_size(e) != 2) {
				ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
					     "map element '%s' is not [key, value]",
					     show(j, e));
				return -1;
			}
			size_t before[MAX_CONCAT];

			for (int c = 0; c < MAX_CONCAT; c++)
				before[c] = lv[c].n;
			if (has_key && key_values(j, &ki, k, lv))
				return -1;
			if (kind == MATCH_VMAP)	/* each element's own verdict */
				for (int c = 0; c < MAX_CONCAT; c++)
					for (size_t x = before[c]; x < lv[c].n; x++)
						json_verdict(j, d, &lv[c].v[x]);
			if (dm != DATA_NONE && map_data_port(j, d, dm, nat))
				return -1;
		}
	} else {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "bad map data '%s'", show(j, data));
		return -1;
	}
	if (!has_key)
		return 0;
	add_matches(j, r, &ki, lv, kind, false, set, NULL);
	return 1;
}

/* Map lookups with a port key anywhere inside a statement we keep opaque. */
static void walk_maps(struct jctx *j, struct rule *r, json_t *v,
		      unsigned cons, int depth)
{
	const char *key;
	json_t *val;
	size_t i;

	if (depth > MAX_WALK)
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, val)
			walk_maps(j, r, val, cons, depth + 1);
		return;
	}
	if (!json_is_object(v))
		return;
	json_object_foreach(v, key, val) {
		if (strcmp(key, "map") == 0 && json_is_object(val) &&
		    json_object_get(val, "key")) {
			map_expr(j, r, val, MATCH_MAP, cons, DATA_NONE, NULL);
			continue;
		}
		walk_maps(j, r, val, cons, depth + 1);
	}
}

/* ---- statements ---- */

static const struct {
	const char *name;
	uint8_t bit;
} ct_states[] = {
	{ "new", CT_NEW },
	{ "established", CT_ESTABLISHED },
	{ "related", CT_RELATED },
	{ "invalid", CT_INVALID },
	{ "untracked", CT_UNTRACKED },
};

static int ct_state_bits(struct jctx *j, const json_t *v, uint8_t *bits)
{
	json_t *set = json_object_get(v, "set"), *e;
	size_t i;

	if (json_is_object(v) && json_object_size(v) == 1 && json_is_array(set))
		v = set;
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if (ct_state_bits(j, e, bits))
				return -1;
		return 0;
	}
	if (json_is_string(v)) {
		for (size_t k = 0; k < sizeof(ct_states) / sizeof(*ct_states); k++) {
			if (strcmp(json_string_value(v), ct_states[k].name) == 0) {
				*bits |= ct_states[k].bit;
				return 0;
			}
		}
	}
	ruleset_diag(j->rs, DIAG_ERROR, &j->loc, "unknown ct state '%s'",
		     show(j, v));
	return -1;
}

/* The L4 bits of the protocols RIGHT names: a name, a number, or a list
 * ("set") of them; 0 for none with ports. */
static unsigned l4_of_values(const json_t *right)
{
	const json_t *set = json_object_get(right, "set"), *e;
	unsigned bits = 0;
	size_t i;

	if (json_is_array(set))
		right = set;
	if (json_is_array(right)) {
		json_array_foreach(right, i, e) {
			if (json_is_string(e))
				bits |= l4_from_word(json_string_value(e));
			else if (json_is_integer(e))
				bits |= l4_number_word(e);
		}
	} else if (json_is_string(right)) {
		bits = l4_from_word(json_string_value(right));
	} else if (json_is_integer(right)) {
		bits = l4_number_word(right);
	}
	return bits;
}

/* The L4 protocols a match on meta l4proto, ip protocol or ip6 nexthdr
 * allows; 0 if M is no such match. */
static unsigned l4_constraint(const json_t *m)
{
	json_t *left = json_object_get(m, "left"), *right = json_object_get(m, "right");
	json_t *meta = json_object_get(left, "meta"), *p = json_object_get(left, "payload");
	const char *op = jstr(m, "op"), *proto = jstr(p, "protocol"), *field = jstr(p, "field");
	unsigned bits;

	if (op && strcmp(op, "==") != 0 && strcmp(op, "in") != 0 && strcmp(op, "!=") != 0)
		return 0;
	if (!(meta && jstr(meta, "key") && strcmp(jstr(meta, "key"), "l4proto") == 0) &&
	    !(proto && field && strcmp(proto, "ip") == 0 && strcmp(field, "protocol") == 0) &&
	    !(proto && field && strcmp(proto, "ip6") == 0 && strcmp(field, "nexthdr") == 0))
		return 0;
	bits = l4_of_values(right);
	return bits ? bits : L4_ANY;
}

/* The L4 protocols a match on ct [original|reply] protocol allows; 0 if
 * M is no such match. */
static unsigned ct_l4_constraint(const json_t *m)
{
	json_t *left = json_object_get(m, "left"), *right = json_object_get(m, "right");
	json_t *ct = json_object_get(left, "ct");
	const char *op = jstr(m, "op"), *key = jstr(ct, "key");

	if ((op && strcmp(op, "==") != 0 && strcmp(op, "in") != 0) ||
	    !key || strcmp(key, "protocol") != 0 || json_object_size(left) != 1)
		return 0;
	return l4_of_values(right);
}

enum rel_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_OTHER };

static enum rel_op parse_op(const char *op)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };

	if (!op || strcmp(op, "in") == 0)
		return OP_EQ;	/* nft's JSON input allows "op" to be left out */
	for (size_t i = 0; i < sizeof(ops) / sizeof(*ops); i++)
		if (strcmp(op, ops[i]) == 0)
			return (enum rel_op)i;
	return OP_OTHER;
}

/*
 * {"range": [3000, 1023]}: nft lists "tcp dport >= 3000 tcp dport <= 1023",
 * two comparisons the kernel holds and no port passes, as that reversed
 * range (nft -j -f refuses it back).  Its literal into LV, kept reversed,
 * with a warning; false for anything else.
 */
static bool reversed_listing(struct jctx *j, const json_t *right, const char *field,
			     struct litvec *lv)
{
	json_t *range = json_object_get(right, "range");
	struct port_lit lit = { .loc = j->loc };
	json_int_t lo, hi;

	if (!json_is_object(right) || json_object_size(right) != 1 ||
	    !json_is_array(range) || json_array_size(range) != 2 ||
	    !json_is_integer(json_array_get(range, 0)) ||
	    !json_is_integer(json_array_get(range, 1)))
		return false;
	lo = json_integer_value(json_array_get(range, 0));
	hi = json_integer_value(json_array_get(range, 1));
	if (lo <= hi || lo > 65535 || hi < 0)
		return false;
	lit.lo = (uint16_t)lo;
	lit.hi = (uint16_t)hi;
	ruleset_diag(j->rs, DIAG_WARNING, &j->loc,
		     "the range %u-%u is reversed: it matches no port (nft lists \"%s >= %u %s <= %u\" so)",
		     lit.lo, lit.hi, field, lit.lo, field, lit.hi);
	lits_add(j->rs, &lv->v, &lv->n, &lv->a, &lit);
	return true;
}

/* A match whose left side is the port key KI.  0, or -1 after a diagnostic. */
static int port_match(struct jctx *j, struct rule *r, const struct keyinfo *ki,
		      enum rel_op op, json_t *right)
{
	struct litvec lv[MAX_CONCAT];
	json_t *elems = json_object_get(right, "set"), *e;
	size_t i;

	memset(lv, 0, sizeof(lv));
	if (json_is_string(right) && json_string_value(right)[0] == '@') {
		if (op >= OP_LT) {
			ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
				     "set '%s' compared with an operator",
				     json_string_value(right));
			return -1;
		}
		add_matches(j, r, ki, lv, MATCH_SET, op == OP_NE,
			    json_string_value(right) + 1, NULL);
		return 0;
	}
	if (op >= OP_LT) {
		struct port_lit lit;
		struct portrange rr = { 1, 0 };		/* empty */
		unsigned n;

		if (!json_is_integer(right) && !json_is_string(right)) {
			ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
				     "bad port value '%s' for an operator",
				     show(j, right));
			return -1;
		}
		if (port_value(j, right, ki->protos[0], &lit))
			return -1;
		n = lit.lo;
		if (op == OP_LT && n > 0)
			rr = (struct portrange){ 0, (uint16_t)(n - 1) };
		else if (op == OP_LE)
			rr = (struct portrange){ 0, (uint16_t)n };
		else if (op == OP_GT && n < 65535)
			rr = (struct portrange){ (uint16_t)(n + 1), 65535 };
		else if (op == OP_GE)
			rr = (struct portrange){ (uint16_t)n, 65535 };
		lits_add(j->rs, &lv[0].v, &lv[0].n, &lv[0].a, &lit);
		add_matches(j, r, ki, lv, MATCH_VALUE, false, NULL, &rr);
		return 0;
	}
	if (op == OP_EQ && !ki->ncomp &&
	    reversed_listing(j, right, ki->field[0] == FIELD_SPORT ? "sport" : "dport", &lv[0])) {
		struct portrange none = { 1, 0 };

		add_matches(j, r, ki, lv, MATCH_VALUE, false, NULL, &none);
		return 0;
	}
	if (json_is_object(right) && json_object_size(right) == 1 &&
	    json_is_array(elems)) {
		json_array_foreach(elems, i, e)
			if (key_values(j, ki, e, lv))
				return -1;
	} else if (key_values(j, ki, right, lv)) {
		return -1;
	}
	add_matches(j, r, ki, lv, ki->ncomp ? MATCH_CONCAT : MATCH_VALUE,
		    op == OP_NE, NULL, NULL);
	return 0;
}

#define MAX_BITOPS 8

/*
 * {"&": [{"|": [PORT, 1]}, 65280]}: the port key inside bitwise operations
 * into KI, and the operations, innermost first, into OPS.
 */
static bool masked_key(const json_t *e, unsigned cons, struct keyinfo *ki,
		       struct port_bitop *ops, uint32_t *nops)
{
	static const char opchars[] = "&|^";
	const char *key;
	json_t *args;

	key = obj_key(e, &args);
	if (!key || strlen(key) != 1 || !strchr(opchars, key[0]) ||
	    !json_is_array(args) || json_array_size(args) != 2 ||
	    !json_is_integer(json_array_get(args, 1)) ||
	    json_integer_value(json_array_get(args, 1)) < 0 ||
	    json_integer_value(json_array_get(args, 1)) > 0xffff)
		return false;
	if (!masked_key(json_array_get(args, 0), cons, ki, ops, nops)) {
		if (!key_info(json_array_get(args, 0), cons, ki) || ki->ncomp)
			return false;
		*nops = 0;
	}
	if (*nops == MAX_BITOPS)
		return false;
	ops[(*nops)++] = (struct port_bitop){
		key[0], (uint16_t)json_integer_value(json_array_get(args, 1)),
	};
	return true;
}

/*
 * A match on a port after bitwise operations ("tcp dport & 65280 ==
 * 4096"): the ports the kernel's bitwise and compare match, with no
 * literals (the values are not ports).  False if LEFT is no such thing,
 * or it cannot be modelled (kept opaque by the caller).
 */
static bool masked_port(struct jctx *j, struct rule *r, json_t *left,
			enum rel_op op, json_t *right, unsigned cons)
{
	struct port_bitop ops[MAX_BITOPS];
	struct portset values = { 0 }, res = { 0 };
	json_t *elems = json_object_get(right, "set"), *e;
	struct port_match *m;
	struct port_lit lit;
	struct keyinfo ki;
	uint32_t nops = 0;
	size_t i;

	if (!masked_key(left, cons, &ki, ops, &nops))
		return false;
	if (op == OP_OTHER || (json_is_string(right) &&
			       json_string_value(right)[0] == '@'))
		return false;
	if (json_is_object(right) && json_object_size(right) == 1 &&
	    json_is_array(elems)) {
		if (op != OP_EQ && op != OP_NE)
			return false;
		json_array_foreach(elems, i, e) {
			if (port_value(j, e, ki.protos[0], &lit))
				return false;
			portset_add(j->rs, &values, lit.lo, lit.hi);
		}
	} else {
		bool none = false;	/* nothing is below 0 or above 65535 */

		if (port_value(j, right, ki.protos[0], &lit))
			return false;
		if (op == OP_LT) {
			none = lit.lo == 0;
			lit.hi = (uint16_t)(lit.lo - 1);
			lit.lo = 0;
		} else if (op == OP_LE) {
			lit.lo = 0;
		} else if (op == OP_GT) {
			none = lit.hi == 65535;
			lit.lo = (uint16_t)(lit.hi + 1);
			lit.hi = 65535;
		} else if (op == OP_GE) {
			lit.hi = 65535;
		}
		if (!none)
			portset_add(j->rs, &values, lit.lo, lit.hi);
	}
	portset_normalize(&values);
	if (!portset_add_bitwise(j->rs, &res, ops, nops, &values))
		return false;
	m = rule_add_match(j->rs, r);
	m->field = ki.field[0];
	m->source = ki.source[0];
	m->protos = ki.protos[0];
	m->kind = MATCH_VALUE;
	m->negated = op == OP_NE;
	m->loc = j->loc;
	m->ports = res;
	return true;
}

/*
 * "th sport 53 th dport 123": nft joins the two compares into one of 32
 * bits and gives it back as a payload of base th, offset 0, length 32
 * ("@th,0,32 0x35007b"): both ports, read back.  Only "==" with a number:
 * "!=" of the pair is no port match of either.  Whether LEFT is that.
 */
static bool th_pair(struct jctx *j, struct rule *r, json_t *left, enum rel_op op,
		    json_t *right, unsigned cons)
{
	json_t *p = json_object_get(left, "payload");
	json_t *off = json_object_get(p, "offset"), *len = json_object_get(p, "len");
	struct keyinfo ki = { 0 };
	struct litvec lv[2] = { 0 };
	json_int_t v;

	if (op != OP_EQ || json_object_size(left) != 1 || !json_is_object(p) ||
	    !jstr(p, "base") || strcmp(jstr(p, "base"), "th") != 0 ||
	    !json_is_integer(off) || json_integer_value(off) != 0 ||
	    !json_is_integer(len) || json_integer_value(len) != 32 ||
	    !json_is_integer(right))
		return false;
	v = json_integer_value(right);
	if (v < 0 || v > 0xffffffffLL)
		return false;
	/* the source port's 16 bits, then the destination port's */
	ki.nports = 2;
	ki.proto_idx = -1;
	for (uint32_t k = 0; k < 2; k++) {
		struct port_lit lit = { .kind = LIT_NUMBER, .loc = j->loc };

		ki.field[k] = k ? FIELD_DPORT : FIELD_SPORT;
		ki.source[k] = SRC_PAYLOAD;
		ki.protos[k] = (uint8_t)cons;
		lit.lo = lit.hi = (uint16_t)(k ? v & 0xffff : (v >> 16) & 0xffff);
		lits_add(j->rs, &lv[k].v, &lv[k].n, &lv[k].a, &lit);
	}
	add_matches(j, r, &ki, lv, MATCH_VALUE, false, NULL, NULL);
	return true;
}

static void stmt_match(struct jctx *j, struct rule *r, json_t *stmt,
		       json_t *m, unsigned cons)
{
	json_t *left = json_object_get(m, "left"), *right = json_object_get(m, "right");
	json_t *ct = json_object_get(left, "ct");
	enum rel_op op = parse_op(jstr(m, "op"));
	struct keyinfo ki;

	if (!json_is_object(m) || !left || !right) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "match without left and right: '%s'", show(j, stmt));
		return;
	}
	if (masked_port(j, r, left, op, right, cons) || th_pair(j, r, left, op, right, cons))
		return;
	if (key_info(left, cons, &ki)) {
		if (op == OP_OTHER || (op >= OP_LT && ki.ncomp)) {
			keep_opaque(j, r, stmt);
			return;
		}
		if (port_match(j, r, &ki, op, right) < 0)
			keep_opaque(j, r, stmt);
		return;
	}
	if (json_is_object(ct) && json_object_size(ct) == 1 &&
	    jstr(ct, "key") && strcmp(jstr(ct, "key"), "state") == 0 &&
	    (op == OP_EQ || op == OP_NE) &&
	    !(json_is_string(right) && json_string_value(right)[0] == '@')) {
		uint8_t bits = 0;

		if (ct_state_bits(j, right, &bits)) {
			keep_opaque(j, r, stmt);
			return;
		}
		r->ct_states |= bits;
		r->ct_states_negated = op == OP_NE;
		return;
	}
	keep_opaque(j, r, stmt);
	walk_maps(j, r, m, cons, 0);
}

/* For {"map": {"key": ..., "data": "@name"}}: the name; else NULL. */
static const char *named_map(json_t *v)
{
	json_t *data = json_object_get(json_object_get(v, "map"), "data");
	const char *s = json_string_value(data);

	return s && s[0] == '@' && s[1] ? s + 1 : NULL;
}

static void stmt_nat(struct jctx *j, struct rule *r, json_t *stmt,
		     const char *name, json_t *v, unsigned cons)
{
	r->nat_kinds |= strcmp(name, "dnat") == 0 ? NAT_DNAT :
			strcmp(name, "redirect") == 0 ? NAT_REDIRECT :
			strcmp(name, "tproxy") == 0 ? NAT_TPROXY :
			strcmp(name, "snat") == 0 ? NAT_SNAT : NAT_MASQUERADE;
	struct nat_target **slot = strcmp(name, "snat") == 0 ||
		strcmp(name, "masquerade") == 0 ? &r->snat : &r->nat;
	struct litvec nat = { 0 };
	json_t *port, *addr, *map;
	struct nat_target *t;
	const char *named;

	if (!json_is_object(v)) {
		/* "redirect": null, "masquerade": null: no ports */
		if (!json_is_null(v))
			ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
				     "bad %s statement '%s'", name, show(j, v));
		keep_opaque(j, r, stmt);
		return;
	}
	port = json_object_get(v, "port");
	addr = json_object_get(v, "addr");
	if (port) {
		map = json_object_get(port, "map");
		if (json_is_object(port) && json_object_size(port) == 1 && map) {
			if (map_expr(j, r, map, MATCH_MAP, cons, DATA_PORT, &nat) < 0)
				goto opaque;
		} else {
			struct port_lit lit;

			if (port_value(j, port, 0, &lit))
				goto opaque;
			lits_add(j->rs, &nat.v, &nat.n, &nat.a, &lit);
		}
	}
	map = json_object_get(addr, "map");
	if (json_is_object(addr) && json_object_size(addr) == 1 && map &&
	    map_expr(j, r, map, MATCH_MAP, cons, DATA_ADDR, &nat) < 0)
		goto opaque;
	named = named_map(port) ? named_map(port) : named_map(addr);
	if (!nat.n && !named)
		goto opaque;
	t = arena_alloc(&j->rs->arena, sizeof(*t));
	/* "map @fwd": the ports are that map's data, known once it is read */
	if (named)
		t->map = arena_strdup(&j->rs->arena, named);
	t->lits = nat.v;
	t->nlits = nat.n;
	t->loc = j->loc;
	for (uint32_t i = 0; i < nat.n; i++)
		portset_add(j->rs, &t->ports, nat.v[i].lo, nat.v[i].hi);
	portset_normalize(&t->ports);
	*slot = t;
	return;
opaque:
	keep_opaque(j, r, stmt);
}

static bool stmt_verdict(struct jctx *j, struct rule *r, const char *name,
			 json_t *v)
{
	int vd = verdict_from_name(name, strlen(name));

	if (vd < 0)
		return false;
	if (vd == VERDICT_JUMP || vd == VERDICT_GOTO) {
		const char *target = jstr(v, "target");

		if (!target) {
			ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
				     "%s without a target: '%s'", name, show(j, v));
			return true;
		}
		r->target = arena_strdup(&j->rs->arena, target);
	}
	r->verdict = (uint8_t)vd;
	return true;
}

/*
 * The protocols a rule's meta l4proto (ip protocol, ip6 nexthdr) allow;
 * "th" and ct proto-dst read them wherever they stand in the rule.
 * *RET_L4: the protocols the rule is limited to, as the text reader sets
 * rule->l4: those, or else those whose header fields it matches; 0: none.
 * *RET_CT: those its ct [original|reply] protocol allows; 0: any.
 */
/* The transport headers whose fields expression E reads: "tcp dport", or
 * each component of a concatenation ("ip daddr . tcp dport"). */
static unsigned header_protos(const json_t *e)
{
	json_t *cc = json_object_get(e, "concat"), *c;
	json_t *p = json_object_get(e, "payload");
	unsigned bits = 0;
	size_t i;

	if (json_is_array(cc)) {
		json_array_foreach(cc, i, c)
			bits |= header_protos(c);
		return bits;
	}
	if (jstr(p, "protocol") && jstr(p, "field"))
		bits = l4_from_word(jstr(p, "protocol"));
	return bits;
}

static unsigned rule_constraint(const json_t *expr, unsigned *ret_l4, unsigned *ret_ct)
{
	unsigned cons = 0, excl = 0, hdr = 0, ct = 0, b;
	json_t *stmt, *v;
	const char *name, *op;
	size_t i;

	json_array_foreach(expr, i, stmt) {
		name = obj_key(stmt, &v);
		/* "tcp dport vmap { ... }": a header field too */
		if (name && strcmp(name, "vmap") == 0)
			hdr |= header_protos(json_object_get(v, "key"));
		if (!name || strcmp(name, "match") != 0)
			continue;
		b = l4_constraint(v);
		op = jstr(v, "op");
		if (b && op && strcmp(op, "!=") == 0)
			excl |= b & L4_PORTS;
		else if (b)
			cons = cons ? cons & b : b;
		b = ct_l4_constraint(v);
		if (b)
			ct = ct && (ct & b) ? ct & b : b;
		/* a header field: "udp dport 53", "ip daddr . udp dport" */
		hdr |= header_protos(json_object_get(v, "left"));
	}
	*ret_ct = ct;
	cons = cons && !(cons & L4_ANY) ? cons : 0;
	*ret_l4 = cons ? cons : hdr;
	/* "meta l4proto != tcp th dport 82": port 82 of every other
	 * protocol with ports, not of tcp (as the iptables readers read
	 * iptables-nft's "! -p tcp --dport 82"); "... udp dport 53": of udp */
	if (excl)
		*ret_l4 = (cons ? cons : hdr ? hdr : L4_PORTS) & ~excl;
	/* th, ct and raw ports take the protocols of the rule's header
	 * fields where nothing else names them, wherever they stand: "th
	 * sport 1 tcp dport 22" is tcp (nft lists the th port as th: it
	 * came before the tcp header field), as the text reader reads it */
	return *ret_l4 ? *ret_l4 : L4_ANY;
}

static void read_rule(struct jctx *j, json_t *o)
{
	struct table *t = owner_table(j, o, "table", "rule");
	const char *cname = jstr(o, "chain"), *name;
	json_t *expr = json_object_get(o, "expr"), *stmt, *v;
	json_t *handle = json_object_get(o, "handle"), *comment = json_object_get(o, "comment");
	struct chain *c;
	struct rule *r;
	unsigned cons, ct_cons, l4;
	size_t i;

	if (!t)
		return;
	if (!cname) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "rule without a chain: '%s'", show(j, o));
		return;
	}
	c = table_chain(j->rs, t, cname, false);
	if (!c) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "unknown chain '%s' for rule in table '%s %s'",
			     cname, family_name(t->family), t->name);
		return;
	}
	if (!json_is_array(expr)) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "rule without an expression list in chain '%s': '%s'",
			     cname, show(j, o));
		return;
	}
	r = chain_add_rule(j->rs, c, -1);
	r->index = c->nrules - 1;
	r->loc = j->loc;
	if (json_is_integer(handle) && json_integer_value(handle) >= 0)
		r->handle = (uint64_t)json_integer_value(handle);
	if (json_is_string(comment))
		r->comment = arena_strdup(&j->rs->arena, json_string_value(comment));
	else if (comment)
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "rule comment '%s' is not a string", show(j, comment));
	cons = rule_constraint(expr, &l4, &ct_cons);
	r->l4 = (uint8_t)l4;
	json_array_foreach(expr, i, stmt) {
		name = obj_key(stmt, &v);
		if (!name) {
			ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
				     "bad statement '%s' in chain '%s'",
				     show(j, stmt), cname);
			continue;
		}
		if (strcmp(name, "match") == 0) {
			stmt_match(j, r, stmt, v, cons);
		} else if (strcmp(name, "vmap") == 0) {
			r->verdict = VERDICT_MAP;
			if (map_expr(j, r, v, MATCH_VMAP, cons, DATA_NONE, NULL) <= 0)
				keep_opaque(j, r, stmt);
		} else if (stmt_verdict(j, r, name, v)) {
			continue;
		} else if (strcmp(name, "dnat") == 0 || strcmp(name, "snat") == 0 ||
			   strcmp(name, "redirect") == 0 ||
			   strcmp(name, "masquerade") == 0 ||
			   strcmp(name, "tproxy") == 0) {
			stmt_nat(j, r, stmt, name, v, cons);
		} else {
			/* iptables-nft's "-m comment --comment ...": nft -j
			 * shows the match, not its text */
			if (strcmp(name, "xt") == 0 && jstr(v, "name") &&
			    strcmp(jstr(v, "name"), "comment") == 0)
				r->comment_hidden = true;
			keep_opaque(j, r, stmt);
			walk_maps(j, r, v, cons, 0);
		}
	}
	rule_ct_protos(r, ct_cons);
	rule_either_ports(r);
	/* a match per protocol, as the text reader does; named sets' once
	 * they are resolved */
	for (uint32_t k = r->nmatches; k-- > 0;)
		if (r->matches[k].proto_comp && !r->matches[k].set)
			rule_split_protos(j->rs, r, k);
}

/* ---- tables, chains, sets ---- */

static void read_table(struct jctx *j, json_t *o)
{
	const char *fam = jstr(o, "family"), *name = jstr(o, "name");
	struct table *t;
	int f;

	if (!fam || !name) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "table without family and name: '%s'", show(j, o));
		return;
	}
	f = family_from_name(fam);
	if (f < 0) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "unknown family '%s' for table '%s'", fam, name);
		return;
	}
	t = ruleset_table(j->rs, (enum family)f, name, true);
	t->loc = j->loc;
}

/* Standard priority names, for hand-written JSON; nft prints numbers. */
static bool named_priority(const char *s, uint8_t family, int32_t *ret)
{
	static const struct {
		const char *name;
		int32_t prio, bridge;
	} prios[] = {
		{ "raw", -300, 0 }, { "mangle", -150, 0 },
		{ "dstnat", -100, -300 }, { "filter", 0, -200 },
		{ "security", 50, 0 }, { "srcnat", 100, 300 },
		{ "out", 0, 100 },
	};

	for (size_t i = 0; i < sizeof(prios) / sizeof(*prios); i++) {
		if (strcmp(s, prios[i].name) != 0)
			continue;
		if (family == FAM_BRIDGE ? !prios[i].bridge : i == 6)
			return false;
		*ret = family == FAM_BRIDGE ? prios[i].bridge : prios[i].prio;
		return true;
	}
	return false;
}

static void read_chain(struct jctx *j, json_t *o)
{
	struct table *t = owner_table(j, o, "table", "chain");
	const char *name = jstr(o, "name"), *type = jstr(o, "type");
	const char *hook = jstr(o, "hook"), *policy = jstr(o, "policy");
	json_t *prio = json_object_get(o, "prio");
	struct chain *c;

	if (!t)
		return;
	if (!name) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "chain without a name: '%s'", show(j, o));
		return;
	}
	c = table_chain(j->rs, t, name, true);
	c->loc = j->loc;
	if (type)
		c->type = arena_strdup(&j->rs->arena, type);
	if (hook) {
		for (int h = HOOK_PREROUTING; h <= HOOK_EGRESS; h++)
			if (strcmp(hook, hook_name((enum hook)h)) == 0)
				c->hook = (uint8_t)h;
		if (!c->hook)
			ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
				     "unknown hook '%s' for chain '%s'", hook, name);
	}
	if (json_is_integer(prio) && json_integer_value(prio) >= INT32_MIN &&
	    json_integer_value(prio) <= INT32_MAX)
		c->priority = (int32_t)json_integer_value(prio);
	else if (prio && !(json_is_string(prio) &&
			   named_priority(json_string_value(prio), t->family,
					  &c->priority)))
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "bad priority '%s' for chain '%s'", show(j, prio), name);
	if (policy) {
		if (strcmp(policy, "accept") == 0)
			c->policy = VERDICT_ACCEPT;
		else if (strcmp(policy, "drop") == 0)
			c->policy = VERDICT_DROP;
		else
			ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
				     "unknown policy '%s' for chain '%s'", policy,
				     name);
	}
}

/* A set type: "inet_service" or ["ipv4_addr", "inet_service"] joined. */
static const char *join_type(struct jctx *j, const json_t *v)
{
	json_t *e;
	size_t i, len = 0;
	char *s;

	if (json_is_string(v))
		return arena_strdup(&j->rs->arena, json_string_value(v));
	if (!json_is_array(v) || !json_array_size(v))
		return NULL;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return NULL;
		len += strlen(json_string_value(e)) + 3;
	}
	s = arena_alloc(&j->rs->arena, len + 1);
	json_array_foreach(v, i, e) {
		if (i)
			strcat(s, " . ");
		strcat(s, json_string_value(e));
	}
	return s;
}

/*
 * Which field of KEY is a port, and how many fields it has; with S, the
 * port fields after the first go to its more_port_fields.
 */
static int port_fields(const char *key, uint32_t *ret_ncomp, struct set *s)
{
	int field = -1;
	uint32_t n = 0;

	while (key) {
		const char *dot = strstr(key, " . ");
		size_t len = dot ? (size_t)(dot - key) : strlen(key);

		if (len == strlen("inet_service") &&
		    strncmp(key, "inet_service", len) == 0) {
			if (field < 0)
				field = (int)n;
			else if (s && s->nmore_ports < SET_MORE_PORTS)
				s->more_port_fields[s->nmore_ports++] = (int)n;
		}
		if (s && s->proto_field < 0 && n < 127 && len == strlen("inet_proto") &&
		    strncmp(key, "inet_proto", len) == 0)
			s->proto_field = (int8_t)n;
		n++;
		key = dot ? dot + 3 : NULL;
	}
	*ret_ncomp = n;
	return field;
}

static int port_field(const char *key, uint32_t *ret_ncomp)
{
	return port_fields(key, ret_ncomp, NULL);
}

/* The ports of a map's data side ("80 : 10.0.0.1 . 8080") into data_ports. */
static void map_data_ports(struct jctx *j, struct set *s, json_t *elems)
{
	uint32_t ncomp;
	json_t *e;
	size_t i;

	port_field(s->data, &ncomp);
	json_array_foreach(elems, i, e) {
		json_t *d = json_array_get(e, 1);
		struct port_lit lit;

		if (!json_is_array(e) || json_array_size(e) != 2)
			continue;	/* reported with the keys */
		d = unwrap_elem(d);
		if (ncomp > 1) {
			json_t *cc = json_object_get(d, "concat");

			if (!json_is_array(cc) || json_array_size(cc) != ncomp)
				continue;
			d = json_array_get(cc, (size_t)s->data_port_field);
		}
		if (port_value(j, d, 0, &lit))
			continue;
		portset_add(j->rs, &s->data_ports, lit.lo, lit.hi);
	}
	portset_normalize(&s->data_ports);
}

static void set_elems(struct jctx *j, struct set *s, json_t *elems)
{
	bool vmap;
	struct keyinfo ki;
	uint32_t ncomp;
	json_t *e;
	size_t i;

	if (!elems)
		return;
	if (!json_is_array(elems)) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "elements of set '%s' are not a list: '%s'", s->name,
			     show(j, elems));
		return;
	}
	if (s->is_map && s->data_port_field >= 0)
		map_data_ports(j, s, elems);
	if (s->port_field < 0)
		return;
	memset(&ki, 0, sizeof(ki));
	port_field(s->key, &ncomp);
	if (ncomp > MAX_CONCAT)
		return;
	ki.ncomp = ncomp > 1 ? ncomp : 0;
	ki.proto_idx = ki.ncomp ? s->proto_field : -1;
	ki.nports = 1 + s->nmore_ports;
	ki.idx[0] = (uint32_t)s->port_field;
	/* a verdict map: each element its verdict */
	vmap = set_is_vmap(s);
	for (uint32_t f = 0; f < s->nmore_ports; f++)
		ki.idx[f + 1] = (uint32_t)s->more_port_fields[f];
	json_array_foreach(elems, i, e) {
		struct litvec lv[1 + SET_MORE_PORTS];
		json_t *d = NULL;

		if (s->is_map) {
			/* [key, value] */
			if (!json_is_array(e) || json_array_size(e) != 2) {
				ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
					     "element '%s' of map '%s' is not [key, value]",
					     show(j, e), s->name);
				continue;
			}
			d = json_array_get(e, 1);
			e = json_array_get(e, 0);
		}
		memset(lv, 0, sizeof(lv));
		if (key_values(j, &ki, e, lv))
			continue;
		lv[0].v[0].loc = j->loc;
		if (vmap)
			json_verdict(j, d, &lv[0].v[0]);
		lits_add(j->rs, &s->lits, &s->nlits, &s->alits, &lv[0].v[0]);
		portset_add(j->rs, &s->ports, lv[0].v[0].lo, lv[0].v[0].hi);
		/* "type inet_service . inet_service": each port on its own,
		 * with the element's verdict, as the text reader gives it */
		for (uint32_t f = 0; f < s->nmore_ports; f++) {
			lv[f + 1].v[0].loc = j->loc;
			lv[f + 1].v[0].verdict = lv[0].v[0].verdict;
			lv[f + 1].v[0].target = lv[0].v[0].target;
			lits_add(j->rs, &s->more_lits[f], &s->nmore_lits[f],
				 &s->amore_lits[f], &lv[f + 1].v[0]);
			portset_add(j->rs, &s->more_ports[f], lv[f + 1].v[0].lo,
				    lv[f + 1].v[0].hi);
		}
	}
	portset_normalize(&s->ports);
	for (uint32_t f = 0; f < s->nmore_ports; f++)
		portset_normalize(&s->more_ports[f]);
}

static const struct {
	const char *name;
	uint32_t flag;
} set_flags[] = {
	{ "interval", SET_F_INTERVAL },
	{ "constant", SET_F_CONSTANT },
	{ "timeout", SET_F_TIMEOUT },
	{ "dynamic", SET_F_DYNAMIC },
};

static void read_set(struct jctx *j, json_t *o, bool is_map)
{
	const char *what = is_map ? "map" : "set";
	struct table *t = owner_table(j, o, "table", what);
	const char *name = jstr(o, "name");
	json_t *type = json_object_get(o, "type"), *data = json_object_get(o, "map");
	json_t *flags = json_object_get(o, "flags"), *f;
	struct set *s;
	uint32_t ncomp;
	size_t i;

	if (!t)
		return;
	if (!name) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc, "%s without a name: '%s'",
			     what, show(j, o));
		return;
	}
	s = table_set(j->rs, t, name, true);
	s->loc = j->loc;
	s->key = join_type(j, type);
	if (!s->key)
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "bad type '%s' for %s '%s'", show(j, type), what, name);
	if (data) {
		s->data = join_type(j, data);
		if (!s->data)
			ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
				     "bad data type '%s' for map '%s'", show(j, data),
				     name);
	}
	s->is_map = is_map || data;
	if (s->data) {
		uint32_t ndata;

		s->data_port_field = port_field(s->data, &ndata);
	}
	if (json_is_string(flags) || json_is_array(flags)) {
		json_t *one = json_is_string(flags) ? flags : NULL;

		for (i = 0; i < (one ? 1 : json_array_size(flags)); i++) {
			f = one ? one : json_array_get(flags, i);
			for (size_t k = 0; k < sizeof(set_flags) / sizeof(*set_flags); k++)
				if (json_is_string(f) &&
				    strcmp(json_string_value(f), set_flags[k].name) == 0)
					s->flags |= set_flags[k].flag;
		}
	} else if (flags) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "bad flags '%s' for %s '%s'", show(j, flags), what, name);
	}
	s->nmore_ports = 0;
	s->proto_field = -1;
	s->port_field = s->key ? port_fields(s->key, &ncomp, s) : -1;
	set_elems(j, s, json_object_get(o, "elem"));
}

static void read_element(struct jctx *j, json_t *o)
{
	struct table *t = owner_table(j, o, "table", "element");
	const char *name = jstr(o, "name");
	struct set *s;

	if (!t)
		return;
	s = name ? table_set(j->rs, t, name, false) : NULL;
	if (!s) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc,
			     "unknown set '%s' for elements in table '%s %s'",
			     name ? name : "", family_name(t->family), t->name);
		return;
	}
	set_elems(j, s, json_object_get(o, "elem"));
}

/* Objects of "nft -j list ruleset" that hold no rules or ports. */
static const char *const ignored[] = {
	"metainfo", "flowtable", "counter", "quota", "ct helper", "limit",
	"ct timeout", "ct expectation", "secmark", "synproxy", "tunnel",
};

static void read_object(struct jctx *j, const char *key, json_t *v)
{
	static const struct {
		const char *name;
		void (*fn)(struct jctx *j, json_t *o);
	} readers[] = {
		{ "table", read_table },
		{ "chain", read_chain },
		{ "rule", read_rule },
		{ "element", read_element },
	};

	for (size_t i = 0; i < sizeof(ignored) / sizeof(*ignored); i++)
		if (strcmp(key, ignored[i]) == 0)
			return;
	if (!json_is_object(v)) {
		ruleset_diag(j->rs, DIAG_ERROR, &j->loc, "bad %s '%s'", key,
			     show(j, v));
		return;
	}
	if (strcmp(key, "set") == 0 || strcmp(key, "map") == 0) {
		read_set(j, v, strcmp(key, "map") == 0);
		return;
	}
	for (size_t i = 0; i < sizeof(readers) / sizeof(*readers); i++) {
		if (strcmp(key, readers[i].name) == 0) {
			readers[i].fn(j, v);
			return;
		}
	}
	/* e.g. {"add": ...}: an nft -j -f command file, not a listing */
	ruleset_diag(j->rs, DIAG_WARNING, &j->loc, "ignoring unknown object '%s'",
		     key);
}

int nft_json_read(struct ruleset *rs, const char *name, char *text,
		  size_t len, const struct registry *reg)
{
	struct jctx j = { .rs = rs, .reg = reg };
	json_t *root, *list, *o, *v;
	json_error_t err;
	const char *key;
	size_t i;

	if (!rs || !reg || !text)
		return -EINVAL;
	j.loc.file = ruleset_add_file(rs, name ? name : "", text, len);
	root = json_loadb(text, len, 0, &err);
	if (!root) {
		struct loc at = j.loc;

		at.line = err.line > 0 ? (uint32_t)err.line : 0;
		at.col = at.col_end = err.column > 0 ? (uint32_t)err.column : 0;
		ruleset_diag(rs, DIAG_ERROR, &at, "invalid json: %s", err.text);
		return 0;
	}
	list = json_object_get(root, "nftables");
	if (!json_is_array(list)) {
		ruleset_diag(rs, DIAG_ERROR, &j.loc,
			     "no 'nftables' list: not the output of nft -j");
		goto out;
	}
	json_array_foreach(list, i, o) {
		if (!json_is_object(o)) {
			ruleset_diag(rs, DIAG_ERROR, &j.loc,
				     "bad object '%s' in 'nftables'", show(&j, o));
			continue;
		}
		json_object_foreach(o, key, v)
			read_object(&j, key, v);
	}
out:
	json_decref(root);
	return 0;
}
