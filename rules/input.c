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
	return -1;
}

const char *input_format_name(enum input_format f)
{
	switch (f) {
	case INPUT_AUTO: return "auto";
	case INPUT_NFT: return "nft";
	case INPUT_NFT_JSON: return "nft-json";
	}
	return "?";
}

enum input_format input_detect(const char *text, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && strchr(" \t\r\n", text[i]))
		i++;
	/* nft -j always starts with {"nftables": [...]} */
	if (i < len && text[i] == '{') {
		size_t j = i + 1;

		while (j < len && strchr(" \t\r\n", text[j]))
			j++;
		if (j < len && text[j] == '"')
			return INPUT_NFT_JSON;
	}
	return INPUT_NFT;
}

enum input_format input_read(struct ruleset *rs, const char *name, char *text,
			     size_t len, enum input_format format,
			     const struct registry *reg,
			     const struct nft_options *opts)
{
	if (format == INPUT_AUTO)
		format = input_detect(text, len);
	if (format == INPUT_NFT_JSON)
		nft_json_read(rs, name, text, len, reg);
	else
		nft_text_read(rs, name, text, len, reg, opts);
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
