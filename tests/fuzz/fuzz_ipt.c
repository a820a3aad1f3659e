/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer targets: the iptables-save reader (fuzz_ipt_save) and the shell
 * script reader (fuzz_ipt_script), built from this file with FUZZ_FORMAT
 * set to INPUT_IPT_SAVE or INPUT_IPT_SCRIPT.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset *rs = ruleset_new();
	struct input_options opts = { .ipt.family = -1 };
	char *text = malloc(size + 1);

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	input_read(rs, "fuzz", text, size, FUZZ_FORMAT, registry_builtin(), &opts);
	ruleset_free(rs);
	return 0;
}
