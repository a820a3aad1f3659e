/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"

#define MAX_INPUT (1u << 30)

int input_format_from_name(const char *s)
{
	if (strcmp(s, "auto") == 0)
		return INPUT_AUTO;
	if (strcmp(s, "nft") == 0)
		return INPUT_NFT;
	if (strcmp(s, "nft-json") == 0 || strcmp(s, "json") == 0)
		return INPUT_NFT_JSON;
	if (strcmp(s, "iptables") == 0 || strcmp(s, "iptables-save") == 0)
		return INPUT_IPT_SAVE;
	if (strcmp(s, "iptables-script") == 0 || strcmp(s, "sh") == 0)
		return INPUT_IPT_SCRIPT;
	return -1;
}

const char *input_format_name(enum input_format f)
{
	switch (f) {
	case INPUT_AUTO: return "auto";
	case INPUT_NFT: return "nft";
	case INPUT_NFT_JSON: return "nft-json";
	case INPUT_IPT_SAVE: return "iptables";
	case INPUT_IPT_SCRIPT: return "iptables-script";
	case INPUT_IPT_LIST: return "iptables-list";
	}
	return "?";
}

/* The first word of a line, without a leading path ("/sbin/iptables"). */
static bool calls_iptables(const char *p, const char *end)
{
	const char *w = p, *slash;
	size_t len;

	while (p < end && *p != ' ' && *p != '\t' && *p != ';')
		p++;
	slash = memrchr(w, '/', (size_t)(p - w));
	if (slash)
		w = slash + 1;
	len = (size_t)(p - w);
	return (len >= 8 && memcmp(w, "iptables", 8) == 0 &&
		!(len >= 12 && memcmp(w + len - 5, "-save", 5) == 0)) ||
	       (len >= 9 && memcmp(w, "ip6tables", 9) == 0 &&
		!(len >= 13 && memcmp(w + len - 5, "-save", 5) == 0));
}

/* "Chain INPUT (policy DROP)", "Chain f2b-sshd (1 references)": the
 * head of a chain in "iptables -L" output (with -v: "(policy ACCEPT 0
 * packets, 0 bytes)"). */
static bool list_head(const char *p, const char *end)
{
	const char *paren;

	if (end - p < 8 || memcmp(p, "Chain ", 6) != 0)
		return false;
	paren = memchr(p + 6, '(', (size_t)(end - p - 6));
	return paren && paren > p + 7 && paren[-1] == ' ' &&
	       (end - paren > 8 && (memcmp(paren + 1, "policy ", 7) == 0 ||
				    memmem(paren, (size_t)(end - paren), " references)", 12)));
}

enum input_format input_detect(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	bool first = true;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	/* Line by line: the first that tells. */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		while (p < le && strchr(" \t\r", *p))
			p++;
		if (p < le) {
			/* nft -j always starts with {"nftables": [...]} */
			if (first && *p == '{') {
				const char *j = p + 1;

				while (j < end && strchr(" \t\r\n", *j))
					j++;
				if (j < end && *j == '"')
					return INPUT_NFT_JSON;
			}
			if (list_head(p, le))
				return INPUT_IPT_LIST;
			if (first && le - p > 2 && p[0] == '#' && p[1] == '!' &&
			    !memmem(p, (size_t)(le - p), "nft", 3))
				return INPUT_IPT_SCRIPT;	/* #!/bin/sh */
			if (*p == '*' && le - p > 1 && p[1] >= 'a' && p[1] <= 'z')
				return INPUT_IPT_SAVE;		/* *filter */
			/* "iptables -S" output: "-P INPUT DROP", "-N f2b-sshd",
			 * "-A INPUT ..." (no nft statement starts with '-') */
			if (*p == '-' && le - p > 3 && p[1] && strchr("PNAI", p[1]) &&
			    (p[2] == ' ' || p[2] == '\t'))
				return INPUT_IPT_SAVE;
			if (*p != '#' && calls_iptables(p, le))
				return INPUT_IPT_SCRIPT;
			if (*p != '#' && (strncmp(p, "table", 5) == 0 ||
					  strncmp(p, "add ", 4) == 0 ||
					  strncmp(p, "flush", 5) == 0 ||
					  strncmp(p, "define", 6) == 0 ||
					  strncmp(p, "include", 7) == 0))
				return INPUT_NFT;
			first = false;
		}
		p = nl ? nl + 1 : end;
	}
	return INPUT_NFT;
}

enum input_format input_read(struct ruleset *rs, const char *name, char *text,
			     size_t len, enum input_format format,
			     const struct registry *reg,
			     const struct input_options *opts)
{
	if (format == INPUT_AUTO)
		format = input_detect(text, len);
	switch (format) {
	case INPUT_NFT_JSON:
		nft_json_read(rs, name, text, len, reg);
		break;
	case INPUT_IPT_SAVE:
		ipt_save_read(rs, name, text, len, reg, opts ? &opts->ipt : NULL);
		break;
	case INPUT_IPT_SCRIPT:
		ipt_script_read(rs, name, text, len, reg, opts ? &opts->ipt : NULL);
		break;
	case INPUT_IPT_LIST: {
		struct loc loc = { .line = 1, .col = 1, .col_end = 5 };
		const char *p = text, *end = text + len;

		loc.file = ruleset_add_file(rs, name, text, len);
		for (;;) {	/* at its first chain */
			const char *nl = memchr(p, '\n', (size_t)(end - p));

			if (list_head(p, nl ? nl : end) || !nl)
				break;
			p = nl + 1;
			loc.line++;
		}
		ruleset_diag(rs, DIAG_ERROR, &loc,
			     "this is 'iptables -L' output, which shortens and leaves out what rules match: give 'iptables-save' or 'iptables -S' output instead");
		break;
	}
	default:
		nft_text_read(rs, name, text, len, reg, opts ? &opts->nft : NULL);
		break;
	}
	ruleset_resolve_sets(rs);
	return format;
}

int input_slurp(const char *file, char **ret_text, size_t *ret_len)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap = 1 << 16;
	int fd = strcmp(file, "-") == 0 ? STDIN_FILENO : open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			close(fd);
			return -EISDIR;
		}
		if (S_ISREG(st.st_mode)) {
			if ((uintmax_t)st.st_size > MAX_INPUT) {
				close(fd);
				return -EFBIG;
			}
			cap = (size_t)st.st_size + 2;
		}
	}
	buf = malloc(cap);
	if (!buf)
		oom();
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len - 1);

		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			if (fd != STDIN_FILENO)
				close(fd);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > MAX_INPUT) {
			free(buf);
			if (fd != STDIN_FILENO)
				close(fd);
			return -EFBIG;
		}
		if (len + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				oom();
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	buf[len] = '\0';
	*ret_text = buf;
	*ret_len = len;
	return 0;
}
