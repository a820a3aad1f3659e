/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the XML registry reader. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct registry *reg;
	struct reg_error err;

	if (registry_load_buffer((const char *)data, size, "fuzz.xml", &reg, &err) == 0) {
		exercise(reg);
		registry_free(reg);
	}
	return 0;
}
