#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Registry benchmarks, each a ratio against a reference measured in the same
# run (this is not a test: machines are noisy, ratios less so).
#   1. "portolan lookup 22" as a whole process vs xmllint --xpath answering
#      the same question on the same XML   target: >= 50x faster, < 3 ms
#   2. a run-time --registry load of the full XML vs xmllint --noout on it
#                                           target: <= 1.5x
#   3. in-process lookups per second        target: >= 20 million
# usage: tests/bench/bench_registry.sh [BUILDDIR]   (from the source root)
set -eu
build=${1:-build}
portolan=$build/cli/portolan
xml=data/service-names-port-numbers.xml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for tool in hyperfine xmllint jq; do
	command -v $tool >/dev/null || { echo "bench: $tool is missing (.ci/deps installs it)"; exit 2; }
done
[ -x "$portolan" ] || { echo "bench: no $portolan; build first"; exit 2; }

xpath='//*[local-name()="record"][*[local-name()="number"]="22"]'
mean() { jq -r ".results[$2].median" "$out/$1.json"; }

echo "== 1. lookup 22: portolan vs xmllint --xpath"
hyperfine -N --warmup 5 --runs 60 --export-json "$out/q.json" \
	"$portolan lookup 22" "xmllint --xpath '$xpath' $xml" >/dev/null
p=$(mean q 0); x=$(mean q 1)
pmin=$(jq -r '.results[0].min' "$out/q.json")
awk -v p="$p" -v x="$x" -v pmin="$pmin" 'BEGIN {
	printf "portolan lookup 22      %8.3f ms (fastest run %.3f ms)\n", p * 1000, pmin * 1000
	printf "xmllint --xpath         %8.3f ms\n", x * 1000
	printf "ratio                   %8.1fx faster (target >= 50x; portolan < 3 ms: %s)\n",
		x / p, p < 0.003 ? "yes" : "NO" }'

echo "== 2. run-time registry load: portolan --registry vs xmllint --noout"
hyperfine -N --warmup 3 --runs 20 --export-json "$out/l.json" \
	"$portolan --registry $xml lookup 22" "xmllint --noout $xml" >/dev/null
p=$(mean l 0); x=$(mean l 1)
awk -v p="$p" -v x="$x" 'BEGIN {
	printf "portolan --registry     %8.3f ms\n", p * 1000
	printf "xmllint --noout         %8.3f ms\n", x * 1000
	printf "ratio                   %8.2fx of xmllint (target <= 1.5x)\n", p / x }'

echo "== 3. in-process lookups"
"$build/tests/bench_lookup" 1.0
