#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel as the oracle of the nft text reader: each golden input is
# loaded into a throwaway network namespace with nft itself, the ruleset the
# kernel then holds is dumped with "nft -j list ruleset" and "nft list
# ruleset", and portolan's reading of the input, and of nft's own listing,
# must equal its reading of the JSON dump, rule by rule:
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

# A rule's matches are a conjunction: nft may list them in another order
# (it merges header fields by offset), so they are compared as a set.
normalize='[.rules[] | {family, table, chain, index, verdict, target,
	matches: ([.matches[] | {field, protocols, negated, ports}] |
		  sort_by(.field, .protocols, .ports, .negated)),
	nat_ports, snat_ports}] | sort_by(.family, .table, .chain, .index)'

for dir in "$@"; do
	for input in "$dir"/*.nft; do
		[ -f "$input" ] || continue
		head -n 1 "$input" | grep -q '^# oracle: skip' && continue
		name=$(basename "$input")
		if ! unshare -n sh -c 'nft -I "$1" -f "$2" && nft -j list ruleset >"$3" &&
			nft list ruleset >"$4"' _ "$(dirname "$input")" "$input" \
			"$tmp/kernel.json" "$tmp/listing.nft" 2>"$tmp/nft.err"; then
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
		# nft's own listing of what it loaded must read the same, too.
		"$portolan" ports --format json "$tmp/listing.nft" >"$tmp/list.json" 2>"$tmp/list.err"
		jq -S "$normalize" "$tmp/list.json" >"$tmp/c"
		if ! diff -u "$tmp/b" "$tmp/a" >"$tmp/diff"; then
			echo "FAIL: $name: the reader and the kernel disagree (- kernel, + reader)"
			head -n 80 "$tmp/diff"
			fail=$((fail + 1))
		elif ! diff -u "$tmp/b" "$tmp/c" >"$tmp/diff" || [ -s "$tmp/list.err" ]; then
			echo "FAIL: $name: reading 'nft list ruleset' disagrees (- kernel, + listing)"
			cat "$tmp/list.err"
			head -n 80 "$tmp/diff"
			fail=$((fail + 1))
		else
			pass=$((pass + 1))
			echo "ok: $name ($(jq length "$tmp/a") rules with ports agree with the kernel, as written and as listed)"
		fi
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
