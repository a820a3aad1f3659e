/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The least any ruleset reader does, as a reference for the reader
 * benchmarks: read each file and cut it into tokens, each with its line and
 * column (for diagnostics), as both the nft and the iptables syntax need:
 * blanks between words, '#' comments, "quoted strings" with backslash
 * escapes, and { } ( ) ; , = standing alone.  Nothing else: no token is
 * looked at, kept or printed, and no rule is built.  A reader that did
 * only this would already have spent this long.
 *
 * usage: bench_floor FILE...   prints how many tokens, lines and a checksum
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { C_BLANK, C_WORD, C_PUNCT, C_NL, C_HASH, C_QUOTE };

struct tally {
	unsigned long tokens, lines;
	uint64_t sum;	/* of every token's kind, length, line and column */
};

static unsigned char cls[256];

static void classes(void)
{
	for (int c = 0; c < 256; c++)
		cls[c] = C_WORD;
	cls[' '] = cls['\t'] = cls['\r'] = cls['\v'] = cls['\f'] = C_BLANK;
	cls['\n'] = C_NL;
	cls['#'] = C_HASH;
	cls['"'] = C_QUOTE;
	for (const char *p = "{}();,="; *p; p++)
		cls[(unsigned char)*p] = C_PUNCT;
}

/* A token of KIND, LEN bytes, on LINE at column COL, counted into T. */
static void token(struct tally *t, int kind, size_t len, unsigned long line,
		  size_t col)
{
	t->tokens++;
	t->sum += (uint64_t)kind * 31 + len * 7 + line * 3 + col;
}

static void tokenize(const char *text, size_t len, struct tally *t)
{
	const char *p = text, *end = text + len, *line_start = text;
	unsigned long line = 1;

	while (p < end) {
		const char *s = p;

		switch (cls[(unsigned char)*p]) {
		case C_BLANK:
			p++;
			continue;
		case C_NL:
			p++;
			line++;
			line_start = p;
			token(t, C_NL, 1, line, 0);
			continue;
		case C_HASH:
			p = memchr(p, '\n', (size_t)(end - p));
			if (!p)
				p = end;
			continue;
		case C_QUOTE:
			for (p++; p < end && *p != '"' && *p != '\n'; p++)
				if (*p == '\\' && p + 1 < end)
					p++;
			if (p < end && *p == '"')
				p++;
			break;
		case C_PUNCT:
			p++;
			break;
		default:
			while (p < end && cls[(unsigned char)*p] == C_WORD)
				p++;
			break;
		}
		token(t, cls[(unsigned char)*s], (size_t)(p - s), line,
		      (size_t)(s - line_start) + 1);
	}
	t->lines += line - 1;
}

/* FILE mapped into *RET, its length into *RET_LEN: reading gets no
 * cheaper than this (no copy, no page faults one by one). */
static int map_file(const char *file, const char **ret, size_t *ret_len)
{
	int fd = open(file, O_RDONLY), err = 0;
	struct stat st;
	void *p = NULL;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = errno;
	} else if (!S_ISREG(st.st_mode)) {
		err = EINVAL;	/* a pipe has no size to map: files only */
	} else if (st.st_size > 0) {
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
			 fd, 0);
		if (p == MAP_FAILED)
			err = errno;
	}
	close(fd);
	if (err)
		return -err;
	*ret = p ? p : "";
	*ret_len = p ? (size_t)st.st_size : 0;
	return 0;
}

int main(int argc, char **argv)
{
	struct tally t = { 0 };

	classes();
	for (int i = 1; i < argc; i++) {
		const char *text = NULL;
		size_t len = 0;
		int err = map_file(argv[i], &text, &len);

		if (err < 0) {
			fprintf(stderr, "bench_floor: cannot read '%s': %s\n", argv[i],
				strerror(-err));
			return 2;
		}
		tokenize(text, len, &t);
		if (len)
			munmap((void *)text, len);
	}
	printf("%lu tokens, %lu lines, checksum %llu\n", t.tokens, t.lines,
	       (unsigned long long)t.sum);
	return 0;
}
