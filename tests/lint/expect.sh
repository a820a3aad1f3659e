#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hand-written expectations of portolan lint, inside the inputs themselves:
# a comment "lint-expect: ID[,ID]..." at the end of a line says which
# findings (reported, i.e. not suppressed) that line must get, exactly; on
# a line of its own it speaks for the next line that is not a comment.
# Every other line must get none.  "lint-expect: none" says so explicitly.
# An nft -j input (*.json) gives findings no line: its expectations, in the
# rules' comments or, for rules that must have none, in INPUT.lint-expect
# (a line "ID -- reason" per finding), name the findings' ids, as many
# times as found.
# Inputs are every ruleset file in the directories given; options for one
# input are in INPUT.args (one per line), an ipset file is INPUT.ipset.
# usage: tests/lint/expect.sh PORTOLAN DIR...
set -u
portolan=$1
shift
command -v jq >/dev/null || { echo "SKIP: jq is missing"; exit 77; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

for dir in "$@"; do
	for input in "$dir"/*.nft "$dir"/*.rules "$dir"/*.sh "$dir"/*.json; do
		[ -f "$input" ] || continue
		set --
		[ -f "$input.args" ] && while IFS= read -r a; do set -- "$@" "$a"; done <"$input.args"
		[ -f "${input%.*}.ipset" ] && set -- "$@" --ipset "${input%.*}.ipset"
		PORTOLAN_REGISTRY= "$portolan" lint --no-config --format json --fail-on never \
			"$@" "$input" >"$tmp/json" 2>"$tmp/err"
		jq -r '.findings[] | "\(.line) \(.id)"' "$tmp/json" | sort -u >"$tmp/got" || {
			echo "FAIL: $input: no JSON"
			cat "$tmp/err"
			fail=$((fail + 1))
			continue
		}
		awk '
		{
			line = $0
			i = index(line, "lint-expect:")
			if (i == 0) {
				if (pending != "" && line !~ /^[ \t]*(#|$)/) {
					emit(NR, pending)
					pending = ""
				}
				next
			}
			ids = substr(line, i + 12)
			sub(/^[ \t]+/, "", ids)
			sub(/[ \t"].*$/, "", ids)
			before = substr(line, 1, i - 1)
			if (before ~ /^[ \t]*#[ \t]*$/)
				pending = ids
			else
				emit(NR, ids)
		}
		function emit(n, ids,   k, a) {
			if (ids == "none")
				return
			k = split(ids, a, ",")
			for (; k > 0; k--)
				print n " " a[k]
		}' "$input" | sort -u >"$tmp/want"
		# nft -j input has no line numbers: there the findings' ids,
		# one per line that expects them, are compared as a whole; the
		# expectations are in INPUT.lint-expect ("ID -- reason" lines)
		# for rules that must have no nft comment of their own
		case $input in
		*.json)
			if [ -f "$input.lint-expect" ]; then
				awk '$1 !~ /^(#|none$)/ && NF { print $1 }' \
					"$input.lint-expect" | sort >"$tmp/want.ids"
			else
				sed 's/^[^ ]* //' "$tmp/want" | sort >"$tmp/want.ids"
			fi
			jq -r '.findings[] | .id' "$tmp/json" | sort >"$tmp/got"
			mv "$tmp/want.ids" "$tmp/want"
			if ! diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
				echo "FAIL: $input (- expected, + found)"
				grep '^[-+][a-z]' "$tmp/diff"
				fail=$((fail + 1))
				continue
			fi
			;;
		esac
		if diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
			pass=$((pass + 1))
		else
			echo "FAIL: $input (- expected, + found)"
			grep '^[-+][0-9]' "$tmp/diff" | while read -r d; do
				n=${d#?}; n=${n%% *}
				echo "  $d    | $(sed -n "${n}p" "$input" | cut -c1-110)"
			done
			fail=$((fail + 1))
		fi
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
