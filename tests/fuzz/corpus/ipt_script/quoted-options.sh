#!/bin/sh
# The shell takes quotes off before iptables reads the words: a quoted
# option is an option, a quoted or escaped "!" a negation, a quoted
# number after "-I CHAIN" a position.
IPT="/sbin/iptables"
PORT='22'
"$IPT" -A INPUT "-p" tcp "--dport" "$PORT" -j ACCEPT
$IPT -A INPUT -p 'udp' \! '--sport' 53 "-j" "DROP"
$IPT -I INPUT "1" -p tcp -m 'multiport' "--dports" "80,443" -j ACCEPT
$IPT -A INPUT -p tcp '!' --dport 1024:65535 -j DROP
