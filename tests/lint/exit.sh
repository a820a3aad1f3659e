#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# portolan lint's exit status, gating options, configuration files,
# suppressions and baselines, on small rulesets written here.
# usage: tests/lint/exit.sh PORTOLAN
set -u
portolan=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# expect STATUS DESCRIPTION ARGS...: runs lint in $tmp/w with ARGS
expect() {
	want=$1 what=$2
	shift 2
	(cd "$tmp/w" && PORTOLAN_REGISTRY= "$portolan" lint "$@" >"$tmp/out" 2>"$tmp/err")
	got=$?
	if [ "$got" = "$want" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $what: exit $got, expected $want (lint $*)"
		head -n 5 "$tmp/out" "$tmp/err"
		fail=$((fail + 1))
	fi
}

mkdir -p "$tmp/w/sub"
# 51820/udp inbound: port-dynamic, a warning; 9154/tcp: port-unassigned, a note
cat >"$tmp/w/dyn.nft" <<'NFT'
table inet filter {
	chain input {
		type filter hook input priority 0; policy drop;
		udp dport 51820 accept
	}
}
NFT
cat >"$tmp/w/note.nft" <<'NFT'
table inet filter {
	chain input {
		type filter hook input priority 0; policy drop;
		tcp dport 9154 accept
	}
}
NFT
cat >"$tmp/w/clean.nft" <<'NFT'
table inet filter {
	chain input {
		type filter hook input priority 0; policy drop;
		ct state established,related accept
		tcp dport 22 accept
	}
}
NFT
cat >"$tmp/w/suppressed.nft" <<'NFT'
table inet filter {
	chain input {
		type filter hook input priority 0; policy drop;
		# portolan: disable=port-dynamic
		udp dport 51820 accept
		udp dport 51821 accept comment "wireguard; portolan: disable=port-dynamic"
	}
}
NFT
mkdir -p "$tmp/w/bad"
printf 'table inet filter {\n\tchain input {\n\t\ttcp dport 99999 accept\n\t}\n}\n' >"$tmp/w/bad/broken.nft"

expect 0 "no findings" clean.nft
expect 1 "a warning fails by default" dyn.nft
expect 0 "a note does not fail by default" note.nft
expect 1 "--fail-on note" --fail-on note note.nft
expect 0 "--fail-on error with a warning" --fail-on error dyn.nft
expect 0 "--fail-on never" --fail-on never dyn.nft
expect 0 "-W no-ID" -W no-port-dynamic dyn.nft
expect 0 "-Wno-ID" -Wno-port-dynamic dyn.nft
expect 0 "--severity ID=note" --severity port-dynamic=note dyn.nft
expect 1 "--severity ID=error, --fail-on error" --severity port-dynamic=error --fail-on error dyn.nft
expect 0 "--severity ID=off" --severity port-dynamic=off dyn.nft
expect 0 "inline suppressions (line before, rule comment)" suppressed.nft
expect 2 "unknown check" -W no-port-dynamc dyn.nft
expect 2 "bad severity" --severity port-dynamic=loud dyn.nft
expect 2 "bad --fail-on" --fail-on sometimes dyn.nft
expect 2 "bad format" --format xml dyn.nft
expect 2 "missing input" missing.nft
expect 2 "input with a syntax error" bad/broken.nft
expect 1 "several inputs, one failing" clean.nft dyn.nft
mkdir -p "$tmp/w/dir"
cp "$tmp/w/dyn.nft" "$tmp/w/clean.nft" "$tmp/w/dir/"
expect 1 "a directory" dir
expect 2 "a directory with a broken input" .

# --ephemeral-range: the host's pool is checked too (40000 is in Linux's
# default 32768-60999, and in no range by default)
cat >"$tmp/w/eph.nft" <<'NFT'
table inet filter {
	chain input {
		type filter hook input priority 0; policy drop;
		tcp dport 40000 accept comment "an app"
	}
}
NFT
expect 0 "40000 without --ephemeral-range" eph.nft
expect 1 "--ephemeral-range LO-HI" --ephemeral-range 32768-60999 eph.nft
expect 0 "--ephemeral-range outside the port" --ephemeral-range 50000-60999 eph.nft
expect 2 "--ephemeral-range reversed" --ephemeral-range 60999-32768 eph.nft
if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
	# not "read": dash reads /proc a byte at a time and gets one byte
	range=$(cat /proc/sys/net/ipv4/ip_local_port_range)
	lo=${range%%[!0-9]*} hi=${range##*[!0-9]}
	if [ "$lo" -le 40000 ] && [ "$hi" -ge 40000 ]; then
		expect 1 "--ephemeral-range auto" --ephemeral-range auto eph.nft
	else
		expect 0 "--ephemeral-range auto" --ephemeral-range auto eph.nft
	fi
fi

# baselines: what is in it no longer fails; a new finding does
expect 0 "--write-baseline" --write-baseline base.json dyn.nft
expect 0 "--baseline with the same findings" --baseline base.json dyn.nft
cp "$tmp/w/dyn.nft" "$tmp/w/dyn2.nft"
printf '\n\n' >"$tmp/w/pad"
cat "$tmp/w/pad" "$tmp/w/dyn.nft" >"$tmp/w/moved.nft"
expect 1 "--baseline does not cover another file" --baseline base.json dyn2.nft
sed 's/51820/51830/' "$tmp/w/dyn.nft" >"$tmp/w/dyn3.nft"
cat "$tmp/w/dyn.nft" >"$tmp/w/sub/dyn.nft"
expect 2 "--baseline that is not one" --baseline dyn.nft dyn.nft

# a .portolan in the input's directory or above
printf '# quieter\n-W no-port-dynamic\n' >"$tmp/w/sub/.portolan"
expect 0 ".portolan beside the input" sub/dyn.nft
expect 1 "the command line after .portolan" -W port-dynamic sub/dyn.nft
expect 1 "--no-config" --no-config sub/dyn.nft
mkdir -p "$tmp/w/sub/deeper"
cp "$tmp/w/dyn.nft" "$tmp/w/sub/deeper/dyn.nft"
expect 0 ".portolan found upward" sub/deeper/dyn.nft
printf -- '--severity nonsense\n' >"$tmp/w/sub/deeper/.portolan"
expect 2 "a bad .portolan" sub/deeper/dyn.nft

# the caret stands under the port on a long line too (700 blanks before it)
{ printf 'table inet f { chain i { type filter hook input priority 0; '
  printf '%*s' 700 ''
  printf 'udp dport 51820 accept; }; }\n'; } >"$tmp/w/long.nft"
(cd "$tmp/w" && PORTOLAN_REGISTRY= "$portolan" lint long.nft >"$tmp/out" 2>&1)
want=$(awk '{ print index($0, "51820") + 2 }' "$tmp/w/long.nft")
got=$(awk 'NR == 3 { print index($0, "^") }' "$tmp/out")
if [ "$got" = "$want" ]; then
	pass=$((pass + 1))
else
	echo "FAIL: caret on a long line at column $got, expected $want"
	fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
