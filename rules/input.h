/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which reader a file needs, and reading it with that reader. */
#ifndef PORTOLAN_INPUT_H
#define PORTOLAN_INPUT_H

#include "iptables.h"
#include "nft.h"

enum input_format {
	INPUT_AUTO,
	INPUT_NFT,		/* nft text */
	INPUT_NFT_JSON,		/* nft -j */
	INPUT_IPT_SAVE,		/* iptables-save */
	INPUT_IPT_SCRIPT,	/* a shell script calling iptables */
	INPUT_IPT_LIST,		/* "iptables -L" output: refused, for it
				 * leaves out and shortens what rules match */
};

struct input_options {
	struct nft_options nft;
	struct ipt_options ipt;
};

/* "auto", "nft", "nft-json", "iptables", "iptables-script"; -1 for
 * anything else. */
int input_format_from_name(const char *s);
const char *input_format_name(enum input_format f);

/* The format of TEXT by its content (never INPUT_AUTO). */
enum input_format input_detect(const char *text, size_t len);

/*
 * Reads TEXT (malloc'd, NUL-terminated; RS takes it) named NAME with the
 * reader FORMAT calls for (INPUT_AUTO: by content), then resolves named
 * sets.  Returns the format used.
 */
enum input_format input_read(struct ruleset *rs, const char *name, char *text,
			     size_t len, enum input_format format,
			     const struct registry *reg,
			     const struct input_options *opts);

/*
 * Reads FILE ("-": standard input) whole, under a size cap.  Returns 0 with
 * *ret_text (malloc'd, NUL-terminated) and *ret_len, or a negative errno.
 */
int input_slurp(const char *file, char **ret_text, size_t *ret_len);

#endif
