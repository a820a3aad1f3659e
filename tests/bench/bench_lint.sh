#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# portolan lint on the generated 100k- and 1M-rule rulesets of the reader
# benchmarks (nft and kube-proxy-shaped iptables-save), each a ratio to
# references measured in the same run:
#   lint vs ports on the same file      target: <= 1.5x (checks must not dominate)
#   lint vs wc -l on the same file      target: <= 10x
# and, for scale, bench_floor (bench_floor.c) on the same files: a bare
# tokenizer, the least any reader does.
# usage: tests/bench/bench_lint.sh [BUILDDIR] [SIZES]   (from the source root)
set -eu
build=${1:-build}
sizes=${2:-100000 1000000}
portolan=$build/cli/portolan
floor=$build/tests/bench_floor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in hyperfine jq; do
	command -v $tool >/dev/null || { echo "bench: $tool is missing (.ci/deps installs it)"; exit 2; }
done

for n in $sizes; do
	tests/bench/gen_nft.sh "$n" "$tmp/nft$n" >/dev/null
	sh tests/bench/gen_ipt.sh "$n" "$tmp/ipt$n"
	for kind in nft ipt; do
		if [ $kind = nft ]; then
			file=$tmp/nft$n/ruleset.nft
			all="$file $(ls "$tmp/nft$n"/conf.d/*.nft 2>/dev/null || true)"
		else
			file=$tmp/ipt$n/rules.v4
			all=$file
		fi
		runs=10
		[ "$n" -ge 1000000 ] && runs=3
		# lint exits 1 on findings: hyperfine is told to ignore it
		hyperfine -N -i --warmup 1 --runs $runs --export-json "$tmp/r.json" \
			"$portolan lint --no-config $file" "$portolan ports $file" \
			"wc -l $all" "$floor $all" >/dev/null 2>&1
		awk -v n="$n" -v kind="$kind" \
		    -v l="$(jq -r '.results[0].mean' "$tmp/r.json")" \
		    -v p="$(jq -r '.results[1].mean' "$tmp/r.json")" \
		    -v w="$(jq -r '.results[2].mean' "$tmp/r.json")" \
		    -v f="$(jq -r '.results[3].mean' "$tmp/r.json")" 'BEGIN {
			printf "== %s, %d rules\n", kind, n
			printf "portolan lint   %8.3f s\n", l
			printf "portolan ports  %8.3f s   lint is %5.2fx ports (target <= 1.5x)\n", p, l / p
			printf "wc -l           %8.3f s   lint is %5.1fx wc -l (target <= 10x)\n", w, l / w
			printf "bare tokenizer  %8.3f s   %5.1fx wc -l; lint is %.1fx it\n", f, f / w, l / f
		}'
	done
done
