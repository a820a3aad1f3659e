#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# iptables reader benchmarks on generated 100k- and 1M-rule iptables-save
# dumps shaped like kube-proxy's (many user chains, comments, multiport,
# DNAT), each a ratio to a reference measured in the same run:
#   portolan ports vs wc -l on the same file                    target: <= 10x
#   portolan ports vs iptables-restore --test in a namespace     target: >= 40x faster
#   peak RSS of portolan ports vs the input size                 target: <= 4x
# and, for scale, bench_floor (bench_floor.c) on the same file: a bare
# tokenizer, the least any reader does.
# usage: tests/bench/bench_ipt.sh [BUILDDIR] [SIZES]   (from the source root)
#        IPT_CAP=SECONDS caps each iptables-restore run (default 600)
set -eu
IPT_CAP=${IPT_CAP:-600}
build=${1:-build}
sizes=${2:-100000 1000000}
portolan=$build/cli/portolan
floor=$build/tests/bench_floor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in hyperfine jq iptables-restore unshare; do
	command -v $tool >/dev/null || { echo "bench: $tool is missing (.ci/deps installs it)"; exit 2; }
done

for n in $sizes; do
	dir=$tmp/r$n
	sh tests/bench/gen_ipt.sh "$n" "$dir"
	file=$dir/rules.v4
	bytes=$(wc -c <"$file")
	lines=$(wc -l <"$file")
	echo "== $n rules: $lines lines, $((bytes / 1024)) KiB"
	runs=10
	[ "$n" -ge 1000000 ] && runs=3
	hyperfine -N --warmup 1 --runs $runs --export-json "$tmp/p.json" \
		"$portolan ports $file" "wc -l $file" "$floor $file" >/dev/null 2>&1 ||
		hyperfine --warmup 1 --runs $runs --export-json "$tmp/p.json" \
		"$portolan ports $file >/dev/null" "wc -l $file" "$floor $file >/dev/null" >/dev/null
	p=$(jq -r '.results[0].mean' "$tmp/p.json")
	w=$(jq -r '.results[1].mean' "$tmp/p.json")
	f=$(jq -r '.results[2].mean' "$tmp/p.json")
	# iptables-restore --test parses and checks every rule without
	# committing: the reference reader.
	start=$(date +%s.%N)
	capped=""
	if ! timeout "$IPT_CAP" unshare -n iptables-restore --test "$file" \
		>/dev/null 2>"$tmp/ipt.err"; then
		if [ -s "$tmp/ipt.err" ]; then
			echo "iptables-restore --test failed:"
			head -n 5 "$tmp/ipt.err"
		else
			capped=">="
		fi
	fi
	end=$(date +%s.%N)
	rss=$(/usr/bin/time -f %M "$portolan" ports "$file" 2>&1 >/dev/null | tail -n 1)
	awk -v p="$p" -v w="$w" -v s="$start" -v e="$end" -v rss="$rss" -v bytes="$bytes" \
	    -v capped="$capped" -v f="$f" 'BEGIN {
		t = e - s
		printf "portolan ports                  %9.3f s\n", p
		printf "wc -l                           %9.3f s   ratio %6.1fx (target <= 10x)\n", w, p / w
		printf "bare tokenizer                  %9.3f s   %6.1fx wc -l; ports is %.1fx it\n", f, f / w, p / f
		printf "iptables-restore --test (ns)  %2s%9.3f s   portolan is %s%6.1fx faster (target >= 40x);\n", capped, t, capped, t / p
		printf "                                              the bare tokenizer %s%.1fx\n", capped, t / f
		printf "peak RSS                        %9.1f MiB  %6.2fx the input (target <= 4x)\n", rss / 1024, rss * 1024 / bytes
	}'
done
