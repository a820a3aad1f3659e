#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# nft reader benchmarks on generated 100k- and 1M-rule rulesets (single
# ports, ranges, sets, vmaps, variables, includes, NAT), each a ratio to a
# reference measured in the same run:
#   portolan ports vs wc -l on the same files        target: <= 10x
#   portolan ports vs nft -c -f in a network namespace  target: >= 50x faster
#   peak RSS of portolan ports vs the input size     target: <= 4x
# and, for scale, bench_floor (bench_floor.c) on the same files: a bare
# tokenizer, the least any reader does.
# usage: tests/bench/bench_nft.sh [BUILDDIR] [SIZES]   (from the source root)
#        NFT_CAP=SECONDS caps each nft -c run (default 600)
set -eu
NFT_CAP=${NFT_CAP:-600}	# seconds
build=${1:-build}
sizes=${2:-100000 1000000}
portolan=$build/cli/portolan
floor=$build/tests/bench_floor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in hyperfine jq nft unshare; do
	command -v $tool >/dev/null || { echo "bench: $tool is missing (.ci/deps installs it)"; exit 2; }
done

for n in $sizes; do
	dir=$tmp/r$n
	tests/bench/gen_nft.sh "$n" "$dir"
	files="$dir/ruleset.nft $(ls "$dir"/conf.d/*.nft 2>/dev/null || true)"
	bytes=$(cat $files | wc -c)
	lines=$(cat $files | wc -l)
	echo "== $n rules: $lines lines, $((bytes / 1024)) KiB in $(echo $files | wc -w) files"
	runs=10
	[ "$n" -ge 1000000 ] && runs=3
	hyperfine -N --warmup 1 --runs $runs --export-json "$tmp/p.json" \
		"$portolan ports $dir/ruleset.nft" "wc -l $files" "$floor $files" >/dev/null 2>&1 ||
		hyperfine --warmup 1 --runs $runs --export-json "$tmp/p.json" \
		"$portolan ports $dir/ruleset.nft >/dev/null" "wc -l $files" \
		"$floor $files >/dev/null" >/dev/null
	p=$(jq -r '.results[0].mean' "$tmp/p.json")
	w=$(jq -r '.results[1].mean' "$tmp/p.json")
	f=$(jq -r '.results[2].mean' "$tmp/p.json")
	# nft -c parses and evaluates without loading: the reference reader.
	# It grows worse than linearly, so it gets a time cap; past it the
	# ratio is a lower bound.
	start=$(date +%s.%N)
	capped=""
	if ! timeout "$NFT_CAP" unshare -n nft -I "$dir" -c -f "$dir/ruleset.nft" \
		>/dev/null 2>"$tmp/nft.err"; then
		if [ -s "$tmp/nft.err" ]; then
			echo "nft -c failed:"
			head -n 5 "$tmp/nft.err"
		else
			capped=">="
		fi
	fi
	end=$(date +%s.%N)
	rss=$(/usr/bin/time -f %M "$portolan" ports "$dir/ruleset.nft" 2>&1 >/dev/null | tail -n 1)
	awk -v p="$p" -v w="$w" -v s="$start" -v e="$end" -v rss="$rss" -v bytes="$bytes" \
	    -v capped="$capped" -v f="$f" 'BEGIN {
		nftt = e - s
		printf "portolan ports          %9.3f s\n", p
		printf "wc -l                   %9.3f s   ratio %6.1fx (target <= 10x)\n", w, p / w
		printf "bare tokenizer          %9.3f s   %6.1fx wc -l; ports is %.1fx it\n", f, f / w, p / f
		printf "nft -c -f (namespace) %2s%9.3f s   portolan is %s%6.1fx faster (target >= 50x)\n", capped, nftt, capped, nftt / p
		printf "peak RSS                %9.1f MiB  %6.2fx the input (target <= 4x)\n", rss / 1024, rss * 1024 / bytes
	}'
done
