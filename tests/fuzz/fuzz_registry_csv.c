/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the CSV registry reader, fed rows under IANA's header. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char header[] =
	"Service Name,Port Number,Transport Protocol,Description,Assignee,"
	"Contact,Registration Date,Modification Date,Reference,Service Code,"
	"Unauthorized Use Reported,Assignment Notes\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct registry *reg;
	struct reg_error err;
	char *buf;

	if (size > 1 << 20)
		return 0;
	buf = malloc(sizeof(header) + size);
	if (!buf)
		return 0;
	memcpy(buf, header, sizeof(header) - 1);
	memcpy(buf + sizeof(header) - 1, data, size);
	if (registry_load_buffer(buf, sizeof(header) - 1 + size, "fuzz.csv",
				 &reg, &err) == 0) {
		exercise(reg);
		registry_free(reg);
	}
	free(buf);
	return 0;
}
