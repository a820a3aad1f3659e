/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What both registry fuzz targets do with a registry that loaded. */
#ifndef PORTOLAN_FUZZ_REGISTRY_H
#define PORTOLAN_FUZZ_REGISTRY_H

#include <stdlib.h>

#include "registry.h"
#include "registry_diff.h"

static inline void exercise(const struct registry *reg)
{
	struct reg_diff_entry *e;
	size_t n, first;

	for (unsigned port = 0; port <= 65535; port += 97) {
		for (int p = 0; p < REG_NPROTO; p++) {
			struct reg_answer a;

			registry_query(reg, (uint16_t)port, p, &a);
			for (size_t i = 0; i < a.nrecs; i++)
				(void)registry_unauth_covers(reg, &reg->records[a.recs[i]],
							     (uint16_t)port);
		}
	}
	for (size_t i = 0; i < reg->nrecords && i < 64; i++)
		(void)registry_find_name(reg, registry_str(reg, reg->records[i].name),
					 &first);
	registry_diff(reg, reg, &e, &n);
	free(e);
}

#endif
