/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * In-process registry lookups per second on the built-in snapshot, over a
 * pseudo-random mix of ports and protocols (not a test: tests/bench/ runs it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "registry.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const struct registry *reg = registry_builtin();
	double seconds = argc > 1 ? atof(argv[1]) : 1.0, t0, t;
	unsigned long long n = 0, sink = 0;
	uint32_t x = 2463534242u;

	t0 = now();
	do {
		for (int i = 0; i < 1 << 20; i++) {
			struct reg_answer a;

			/* xorshift32: cheap, and defeats the branch predictor */
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			registry_query(reg, (uint16_t)x, (enum reg_proto)(x >> 30), &a);
			sink += a.cls + a.nrecs;
		}
		n += 1 << 20;
		t = now() - t0;
	} while (t < seconds);
	printf("%.0f lookups/s (%llu lookups in %.3f s; checksum %llu)\n",
	       (double)n / t, n, t, sink);
	return 0;
}
