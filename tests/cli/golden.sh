#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs each tests/golden/cli/NAME.args as "portolan ARGS" from the source
# root and compares stdout, stderr and the exit status with NAME.out,
# NAME.err and NAME.rc.  PORTOLAN_UPDATE_GOLDEN=1 rewrites them instead;
# read every rewritten file before committing it.
set -u
portolan=$1
dir=tests/golden/cli
fail=0 total=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

for args in "$dir"/*.args; do
	name=${args%.args}
	total=$((total + 1))
	# Arguments are one per line, so they may hold spaces.
	set --
	while IFS= read -r a || [ -n "$a" ]; do
		set -- "$@" "$a"
	done < "$args"
	NO_COLOR=1 PORTOLAN_REGISTRY= "$portolan" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	echo $? >"$tmp/rc"
	if [ "${PORTOLAN_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$tmp/out" "$name.out"
		cp "$tmp/err" "$name.err"
		cp "$tmp/rc" "$name.rc"
		continue
	fi
	for part in out err rc; do
		if ! diff -u "$name.$part" "$tmp/$part" >"$tmp/diff"; then
			echo "FAIL: $(basename "$name") ($part)"
			cat "$tmp/diff"
			fail=$((fail + 1))
		fi
	done
done
echo "$((total - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
