/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the nft text reader.  Includes are confined to the
 * seed corpus directory's relative names, which do not exist here: the
 * include path is exercised for its errors, never the file system at large.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset *rs = ruleset_new();
	static const char *const no_dirs[] = { NULL };
	struct input_options opts = { .nft.include_dirs = no_dirs };
	char *text = malloc(size + 1);

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	/* An in-memory name: relative includes resolve beside nothing. */
	input_read(rs, "fuzz.nft", text, size, INPUT_NFT, registry_builtin(), &opts);
	ruleset_free(rs);
	return 0;
}
