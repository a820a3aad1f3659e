#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel as the oracle of the nft text reader: each golden input is
# loaded into a throwaway network namespace with nft itself, the ruleset the
# kernel then holds is dumped with "nft -j list ruleset", and portolan's
# reading of the input must equal its reading of that dump, rule by rule:
# table, chain, position, verdict, every port match (field, protocols,
# negation, ports) and NAT ports.  Inputs whose first line says
# "# oracle: skip" are meant not to load.
# usage: tests/kernel/oracle.sh PORTOLAN DIR...
set -u
portolan=$1
shift
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "SKIP: the kernel oracle needs root, nft and network namespaces (unshare -n)"
	exit 77
fi
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

normalize='[.rules[] | {family, table, chain, index, verdict, target,
	matches: [.matches[] | {field, protocols, negated, ports}],
	nat_ports, snat_ports}] | sort_by(.family, .table, .chain, .index)'

for dir in "$@"; do
	for input in "$dir"/*.nft; do
		[ -f "$input" ] || continue
		head -n 1 "$input" | grep -q '^# oracle: skip' && continue
		name=$(basename "$input")
		if ! unshare -n sh -c 'nft -I "$1" -f "$2" && nft -j list ruleset' _ \
			"$(dirname "$input")" "$input" >"$tmp/kernel.json" 2>"$tmp/nft.err"; then
			echo "FAIL: $name: nft did not load it:"
			cat "$tmp/nft.err"
			fail=$((fail + 1))
			continue
		fi
		"$portolan" ports --format json "$input" >"$tmp/text.json" 2>"$tmp/text.err"
		"$portolan" ports --format json --input-format nft-json "$tmp/kernel.json" \
			>"$tmp/kern.json" 2>"$tmp/kern.err"
		jq -S "$normalize" "$tmp/text.json" >"$tmp/a" &&
		jq -S "$normalize" "$tmp/kern.json" >"$tmp/b" || {
			echo "FAIL: $name: no JSON"
			fail=$((fail + 1))
			continue
		}
		if diff -u "$tmp/b" "$tmp/a" >"$tmp/diff"; then
			pass=$((pass + 1))
			echo "ok: $name ($(jq length "$tmp/a") rules with ports agree with the kernel)"
		else
			echo "FAIL: $name: the reader and the kernel disagree (- kernel, + reader)"
			head -n 80 "$tmp/diff"
			fail=$((fail + 1))
		fi
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
