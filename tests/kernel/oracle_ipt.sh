#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel as the oracle of the iptables-save reader: each golden input is
# loaded into a throwaway network namespace with iptables-restore (or
# ip6tables-restore for *.v6.rules), which here is iptables-nft.  Then:
#  1. what the kernel holds, printed back by iptables-save, must read the
#     same as the input, rule by rule: table, chain, position, verdict,
#     every port match (field, protocols, negation, ports), NAT ports;
#  2. every port match the kernel holds natively (nft -j list ruleset:
#     iptables-nft turns tcp/udp ports into nft payload matches, while
#     multiport, conntrack and NAT targets stay opaque "xt" expressions)
#     must be one the reader found in that rule (a kernel match on "any"
#     protocol, as "! -p tcp --dport 22" is held, may be on fewer).
# Inputs whose first line says "# oracle: skip" are meant not to load.  An
# ipset save file beside an input (NAME.ipset) is restored first.
# usage: tests/kernel/oracle_ipt.sh PORTOLAN DIR...
set -u
portolan=$1
shift
if [ "$(id -u)" != 0 ] || ! command -v iptables-restore >/dev/null ||
   ! command -v nft >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "SKIP: the kernel oracle needs root, iptables-restore, nft and network namespaces (unshare -n)"
	exit 77
fi
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# rules.jq: how two readings are compared
normalize=$(dirname "$0")/rules.jq
# per rule: its port matches, for the subset test (negations as above)
matches='def complement: reduce .[] as $r ({out: [], next: 0};
		(if $r[0] > .next then .out += [[.next, $r[0] - 1]] else . end) |
		.next = ([.next, $r[1] + 1] | max)) |
	.out + (if .next <= 65535 then [[.next, 65535]] else [] end);
	[.rules[] | {key: "\(.table) \(.chain) \(.index)",
	value: [.matches[] | {field, protocols,
		ports: (if .negated then (.ports | complement) else .ports end)}]}] |
	from_entries'

for dir in "$@"; do
	for input in "$dir"/*.rules; do
		[ -f "$input" ] || continue
		head -n 1 "$input" | grep -q '^# oracle: skip' && continue
		name=$(basename "$input")
		restore=iptables-restore save=iptables-save fam=ip
		case $input in *.v6.rules) restore=ip6tables-restore save=ip6tables-save fam=ip6 ;; esac
		ipsets=/dev/null
		[ -f "${input%.rules}.ipset" ] && ipsets=${input%.rules}.ipset
		if ! unshare -n sh -c '{ [ "$6" = /dev/null ] || ipset restore <"$6"; } &&
			"$1" "$2" && "$3" >"$4" && nft -j list ruleset >"$5"' _ \
			"$restore" "$input" "$save" "$tmp/saved.rules" "$tmp/kernel.json" \
			"$ipsets" 2>"$tmp/err"; then
			echo "FAIL: $name: $restore did not load it:"
			cat "$tmp/err"
			fail=$((fail + 1))
			continue
		fi
		set --
		[ -f "${input%.rules}.ipset" ] && set -- --ipset "${input%.rules}.ipset"
		"$portolan" ports --format json --family $fam "$@" "$input" >"$tmp/a.json" 2>/dev/null
		"$portolan" ports --format json --family $fam "$@" "$tmp/saved.rules" >"$tmp/b.json" 2>"$tmp/b.err"
		"$portolan" ports --format json "$tmp/kernel.json" >"$tmp/k.json" 2>/dev/null
		# iptables-restore took the input: the reader must not reject any
		# of it, nor of iptables-save's print (both readings would drop
		# the same rules and agree); "no-save" prints are not checked
		read_back=$tmp/b.json
		head -n 5 "$input" | grep -q 'oracle: no-save' && read_back=
		rejected=$(jq -r '.diagnostics[] | select(.level == "error") |
			"\(.line):\(.column): \(.message)"' "$tmp/a.json" $read_back 2>/dev/null)
		if [ -n "$rejected" ]; then
			echo "FAIL: $name: iptables-restore loads it, but the reader reports errors:"
			echo "$rejected" | head -n 10
			fail=$((fail + 1))
			continue
		fi
		jq -S -f "$normalize" "$tmp/a.json" >"$tmp/a" && jq -S -f "$normalize" "$tmp/b.json" >"$tmp/b" || {
			echo "FAIL: $name: no JSON"
			fail=$((fail + 1))
			continue
		}
		# iptables-save misprints some rules (of two tcp matches it
		# prints one): such inputs say "oracle: no-save" near the top.
		if ! head -n 5 "$input" | grep -q 'oracle: no-save' &&
		   ! diff -u "$tmp/b" "$tmp/a" >"$tmp/diff"; then
			echo "FAIL: $name: the reader disagrees with iptables-save's print of what the kernel holds (- kernel, + reader)"
			head -n 60 "$tmp/diff"
			fail=$((fail + 1))
			continue
		fi
		jq -S "$matches" "$tmp/a.json" >"$tmp/am" && jq -S "$matches" "$tmp/k.json" >"$tmp/km"
		missing=$(jq -n --slurpfile a "$tmp/am" --slurpfile k "$tmp/km" '
			[$k[0] | to_entries[] | .key as $r | .value[] | . as $m |
			 select(($a[0][$r] // []) | any(. == $m or
				($m.protocols == ["any"] and del(.protocols) == ($m | del(.protocols))))
				| not) | "\($r): \($m)"] | .[]')
		if [ -n "$missing" ]; then
			echo "FAIL: $name: the kernel holds port matches the reader did not find:"
			echo "$missing" | head -n 20
			fail=$((fail + 1))
			continue
		fi
		pass=$((pass + 1))
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
