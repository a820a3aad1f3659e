#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel as the oracle of random rulesets: for each seed, a ruleset
# from tests/kernel/random/random_nft.py is loaded with nft -f in a
# throwaway network namespace, and one from random_ipt.py with
# iptables-restore.  nft and portolan must refuse the same rulesets; of
# one that loads, portolan's reading must equal its reading of what the
# kernel holds (nft -j list ruleset, and nft's own listing), or of what
# iptables-save prints, rule by rule, as in oracle.sh and oracle_ipt.sh;
# and its reading of the dump must equal that of the same commands written
# as a shell script (random/ipt_script.py), which is read, never run.
# usage: tests/kernel/random.sh PORTOLAN FIRST_SEED LAST_SEED
set -u
portolan=$1 first=$2 last=$3
here=$(dirname "$0")
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! command -v iptables-restore >/dev/null ||
   ! command -v python3 >/dev/null || ! unshare -n true 2>/dev/null; then
	echo "SKIP: needs root, nft, iptables-restore, python3 and network namespaces (unshare -n)"
	exit 77
fi
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

agree=0 refused=0 fail=0

# Whether the readings A and B agree; else WHAT is said, - A and + B (WHO)
same() {
	jq -S -f "$here/rules.jq" "$1" >"$tmp/x" 2>/dev/null &&
		jq -S -f "$here/rules.jq" "$2" >"$tmp/y" 2>/dev/null &&
		cmp -s "$tmp/x" "$tmp/y" && return 0
	echo "FAIL: seed $seed: $3 (- portolan, + $4)"
	diff -u "$tmp/x" "$tmp/y" | head -n 40
	fail=$((fail + 1))
	return 1
}

# Whether TOOL loaded the input ($loaded) and portolan read it without an
# error (its exit status RC, its reading in p.json): a refusal by one of
# them alone fails the seed; one by both is counted.
both_read() {
	if [ $loaded = 0 ] && [ "$2" != 2 ]; then
		echo "FAIL: seed $seed: $1 refuses it, portolan does not:"
		head -n 3 "$tmp/err"
		fail=$((fail + 1))
		return 1
	elif [ $loaded = 1 ] && [ "$2" = 2 ]; then
		echo "FAIL: seed $seed: portolan refuses what $1 loads:"
		jq -r '.diagnostics[] | select(.level == "error") |
			"\(.line):\(.column): \(.message)"' "$tmp/p.json" | head -n 3
		fail=$((fail + 1))
		return 1
	elif [ $loaded = 0 ]; then
		refused=$((refused + 1))
		return 1
	fi
	return 0
}

seed=$first
while [ "$seed" -le "$last" ]; do
	# nftables
	python3 "$here/random/random_nft.py" "$seed" >"$tmp/r.nft"
	if unshare -n sh -c 'nft -f "$1" && nft -j list ruleset >"$2" && nft list ruleset >"$3"' _ \
		"$tmp/r.nft" "$tmp/k.json" "$tmp/l.nft" 2>"$tmp/err"; then loaded=1; else loaded=0; fi
	"$portolan" ports --format json "$tmp/r.nft" >"$tmp/p.json" 2>/dev/null
	if both_read nft $?; then
		"$portolan" ports --format json --input-format nft-json "$tmp/k.json" >"$tmp/k.p.json" 2>/dev/null
		"$portolan" ports --format json "$tmp/l.nft" >"$tmp/l.p.json" 2>/dev/null
		same "$tmp/p.json" "$tmp/k.p.json" "the ruleset and the kernel's nft -j disagree" "kernel" &&
		same "$tmp/l.p.json" "$tmp/k.p.json" "nft's listing and the kernel's nft -j disagree" "kernel" &&
			agree=$((agree + 1))
	fi

	# iptables
	python3 "$here/random/random_ipt.py" "$seed" >"$tmp/r.rules"
	if unshare -n sh -c 'iptables-restore "$1" && iptables-save >"$2"' _ \
		"$tmp/r.rules" "$tmp/s.rules" 2>"$tmp/err"; then loaded=1; else loaded=0; fi
	"$portolan" ports --format json --family ip "$tmp/r.rules" >"$tmp/p.json" 2>/dev/null
	if both_read iptables-restore $?; then
		"$portolan" ports --format json --family ip "$tmp/s.rules" >"$tmp/s.p.json" 2>/dev/null
		# The same commands as a shell script (read, never run).  A rule
		# the kernel refuses at COMMIT that a later "-F CHAIN" takes out
		# of the dump is refused at once in a script: not compared.
		python3 "$here/random/ipt_script.py" "$tmp/r.rules" "$seed" >"$tmp/r.sh"
		"$portolan" ports --format json --family ip --input-format iptables-script \
			"$tmp/r.sh" >"$tmp/sh.p.json" 2>"$tmp/sh.err"
		if [ $? = 2 ] && grep -q "the kernel refuses the rule (RULE_APPEND" "$tmp/sh.err"; then
			cp "$tmp/p.json" "$tmp/sh.p.json"
		fi
		same "$tmp/p.json" "$tmp/s.p.json" "the dump and iptables-save's print disagree" "iptables-save" &&
		same "$tmp/p.json" "$tmp/sh.p.json" "the dump and its commands as a shell script disagree" "script" &&
			agree=$((agree + 1))
	fi
	seed=$((seed + 1))
done
echo "$agree agree, $refused refused by both, $fail failed"
[ "$fail" -eq 0 ]
