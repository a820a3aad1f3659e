#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hand-written expectations: for every INPUT.expect in the directories
# given, the port matches and NAT ports portolan reads from INPUT must be
# exactly the lines of INPUT.expect (tab-separated, '#' lines are comments):
#   LINE TABLE CHAIN INDEX KIND FIELD PROTOS NEGATED PORTS
# KIND is match, nat or snat; FIELD, PROTOS and NEGATED are '-' for NAT;
# PORTS is "lo-hi,lo-hi".  These files are written from what iptables and
# nft mean, never from portolan's output.  An INPUT.ipset beside INPUT is
# given with --ipset.
# usage: tests/golden/expect.sh PORTOLAN DIR...
set -u
portolan=$1
shift
command -v jq >/dev/null || { echo "SKIP: jq is missing"; exit 77; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

to_lines='.rules[] | . as $r |
	(.matches[] | [$r.line, $r.table, $r.chain, $r.index, "match", .field,
		(.protocols | join(",")), (if .negated then 1 else 0 end),
		(.ports | map("\(.[0])-\(.[1])") | join(","))]),
	(if .nat_ports then [$r.line, $r.table, $r.chain, $r.index, "nat", "-", "-", "-",
		(.nat_ports | map("\(.[0])-\(.[1])") | join(","))] else empty end),
	(if .snat_ports then [$r.line, $r.table, $r.chain, $r.index, "snat", "-", "-", "-",
		(.snat_ports | map("\(.[0])-\(.[1])") | join(","))] else empty end)
	| map(tostring) | join("\t")'

for dir in "$@"; do
	for expect in "$dir"/*.expect; do
		[ -f "$expect" ] || continue
		input=${expect%.expect}
		for cand in "$input".rules "$input".sh "$input".nft; do
			[ -f "$cand" ] && input=$cand
		done
		[ -f "$input" ] || { echo "FAIL: $expect: no input beside it"; fail=$((fail + 1)); continue; }
		set --
		[ -f "${expect%.expect}.ipset" ] && set -- --ipset "${expect%.expect}.ipset"
		PORTOLAN_REGISTRY= "$portolan" ports --format json "$@" "$input" >"$tmp/json" 2>"$tmp/err"
		jq -r "$to_lines" "$tmp/json" | sed "s/[[:space:]]*$//" | sort >"$tmp/got" || { echo "FAIL: $input: no JSON"; fail=$((fail + 1)); continue; }
		grep -v "^#" "$expect" | grep -v "^[[:space:]]*$" | sed "s/[[:space:]]*$//" |
			awk -F "\t" -v OFS="\t" "\$5 != \"match\" { \$7 = \"-\" } 1" | sort >"$tmp/want"
		if diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
			pass=$((pass + 1))
		else
			echo "FAIL: $input disagrees with $expect (- expected, + read)"
			head -n 40 "$tmp/diff"
			head -n 10 "$tmp/err"
			fail=$((fail + 1))
		fi
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
