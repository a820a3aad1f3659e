#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Writes an nft ruleset of about N rules to DIR/ruleset.nft (plus included
# files), shaped like large real ones: single ports, ranges, anonymous sets,
# named sets, verdict maps, variables, includes, comments and NAT.
# usage: tests/bench/gen_nft.sh N DIR
set -eu
n=$1 dir=$2
mkdir -p "$dir/conf.d"
awk -v n="$n" -v dir="$dir" 'BEGIN {
	srand(42)
	main = dir "/ruleset.nft"
	print "#!/usr/sbin/nft -f" > main
	print "flush ruleset" > main
	print "define ssh_port = 22" > main
	print "define web_ports = { 80, 443, 8080-8090 }" > main
	print "table inet filter {" > main
	print "\tset allowed { type inet_service; flags interval; elements = { 22, 443, 9100-9102 } }" > main
	print "\tmap by_port { type inet_service : verdict; elements = { 25 : drop, 110 : drop } }" > main
	chains = int(n / 1000) + 1
	for (c = 0; c < chains; c++)
		print "\tchain c" c " { }" > main
	print "\tchain input {" > main
	print "\t\ttype filter hook input priority filter; policy drop;" > main
	print "\t\tct state established,related accept" > main
	incl = 4
	per = int(n / (chains)) + 1
	r = 0
	ninc = 0
	for (c = 0; c < chains && r < n; c++) {
		out = main
		if (c % 10 == 9) {
			# every tenth block of rules comes from an included file
			out = dir "/conf.d/part" c ".nft"
			inc[ninc++] = "conf.d/part" c ".nft"
		}
		pre = (out == main) ? "\t\t" : "add rule inet filter input "
		for (i = 0; i < per && r < n; i++) {
			p = int(rand() * 60000) + 1
			k = r % 10
			if (k == 0) print pre "tcp dport " p " accept" > out
			else if (k == 1) print pre "udp dport " p "-" (p + 10) " accept" > out
			else if (k == 2) print pre "tcp dport { " p ", " (p + 1) ", " (p + 5) "-" (p + 9) " } counter accept" > out
			else if (k == 3) print pre "ip saddr 10." (r % 250) ".0.0/16 tcp dport $ssh_port accept comment \"rule " r "\"" > out
			else if (k == 4) print pre "tcp dport $web_ports accept" > out
			else if (k == 5) print pre "tcp dport @allowed accept" > out
			else if (k == 6) print pre "tcp dport vmap { " p " : accept, " (p + 1) " : drop }" > out
			else if (k == 7) print pre "meta l4proto { tcp, udp } th dport " p " jump c" c > out
			else if (k == 8) print pre "ip daddr . tcp dport { 10.0.0." (r % 250) " . " p " } accept" > out
			else print pre "tcp sport 1024-65535 tcp dport != " p " drop" > out
			r++
		}
	}
	print "\t}" > main
	print "}" > main
	for (i = 0; i < ninc; i++)
		print "include \"" inc[i] "\"" > main
	print "table ip nat {" > main
	print "\tchain prerouting {" > main
	print "\t\ttype nat hook prerouting priority dstnat;" > main
	for (i = 0; i < n / 100; i++)
		print "\t\ttcp dport " (20000 + i % 20000) " dnat to 192.168." (i % 250) ".10:" (8000 + i % 1000) > main
	print "\t}" > main
	print "}" > main
}'
