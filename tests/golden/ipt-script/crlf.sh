#!/bin/sh
# Saved with CRLF line ends: sh keeps the carriage return in the last
# word of each line, IPT is "iptables\r" and no command runs ("iptables:
# not found").  Reported once, at the first carriage return outside
# these comments; the commands are read on.
IPT=iptables
$IPT -A INPUT -p tcp --dport 22 -j ACCEPT
$IPT -A INPUT -p udp --dport 53 -j ACCEPT
