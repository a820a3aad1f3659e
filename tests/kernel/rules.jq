# SPDX-License-Identifier: GPL-2.0-or-later
# portolan's "ports --format json" as the kernel oracles compare it: per
# rule its place, verdict, NAT ports and port matches (field, protocols,
# ports), the matches as a set.  "! --dport 0:1023" and "--dport
# 1024:65535" are the same match (and iptables-nft stores the first as the
# second): a negated match is compared as the ports it leaves.
def complement: reduce .[] as $r ({out: [], next: 0};
		(if $r[0] > .next then .out += [[.next, $r[0] - 1]] else . end) |
		.next = ([.next, $r[1] + 1] | max)) |
	.out + (if .next <= 65535 then [[.next, 65535]] else [] end);
[.rules[] | {family, table, chain, index, verdict, target,
	matches: ([.matches[] | {field, protocols,
		ports: (if .negated then (.ports | complement) else .ports end)}] |
		  sort_by(.field, .protocols, .ports)),
	nat_ports, snat_ports}] | sort_by(.family, .table, .chain, .index)
