/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the nft JSON reader (nft -j list ruleset). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nft.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset *rs;
	char *text;

	if (size > 1 << 20)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	rs = ruleset_new();
	/* The ruleset owns TEXT from here on. */
	nft_json_read(rs, "fuzz.json", text, size, registry_builtin());
	ruleset_free(rs);
	return 0;
}
