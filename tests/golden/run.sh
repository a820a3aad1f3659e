#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden files: runs "portolan ARGS... INPUT" for every *.nft, *.json,
# *.rules and *.sh directly in DIR (with --ipset NAME.ipset where one is
# beside NAME.rules), from the source root, and compares stdout, stderr and
# the exit status with INPUT.TAG.out, INPUT.TAG.err and INPUT.TAG.rc.  With
# PORTOLAN_UPDATE_GOLDEN=1 it rewrites them instead: read every change.
# usage: tests/golden/run.sh PORTOLAN DIR TAG ARGS...
set -u
portolan=$1 dir=$2 tag=$3
shift 3
fail=0 total=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

for input in "$dir"/*.nft "$dir"/*.json "$dir"/*.rules "$dir"/*.sh; do
	[ -f "$input" ] || continue
	total=$((total + 1))
	ipset=
	[ -f "${input%.rules}.ipset" ] && ipset=--ipset=${input%.rules}.ipset
	NO_COLOR=1 PORTOLAN_REGISTRY= "$portolan" "$@" $ipset "$input" >"$tmp/out" 2>"$tmp/err" </dev/null
	echo $? >"$tmp/rc"
	if [ "${PORTOLAN_UPDATE_GOLDEN:-}" = 1 ]; then
		for part in out err rc; do cp "$tmp/$part" "$input.$tag.$part"; done
		continue
	fi
	for part in out err rc; do
		if ! diff -u "$input.$tag.$part" "$tmp/$part" >"$tmp/diff" 2>&1; then
			echo "FAIL: $input ($tag.$part)"
			head -n 60 "$tmp/diff"
			fail=$((fail + 1))
		fi
	done
done
echo "$((total - fail)) passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$total" -gt 0 ]
