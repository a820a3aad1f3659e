/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nftables readers: the text syntax (nft -f) and nft -j JSON. */
#ifndef PORTOLAN_NFT_H
#define PORTOLAN_NFT_H

#include "registry.h"
#include "ruleset.h"

struct nft_options {
	const char *const *include_dirs;	/* -I, NULL-terminated; may be NULL */
	unsigned max_errors;			/* 0: the default, 20 */
};

/*
 * Reads the nft text in TEXT (malloc'd, NUL-terminated; the ruleset takes
 * it) named NAME into RS, following includes.  Problems with the input go
 * into rs->diags; the rest of the file is still read.  Returns 0, or -EIO
 * when NAME itself could not be read (nothing was added).
 */
int nft_text_read(struct ruleset *rs, const char *name, char *text,
		  size_t len, const struct registry *reg,
		  const struct nft_options *opts);

/* The same for the output of "nft -j list ruleset". */
int nft_json_read(struct ruleset *rs, const char *name, char *text,
		  size_t len, const struct registry *reg);

#endif
