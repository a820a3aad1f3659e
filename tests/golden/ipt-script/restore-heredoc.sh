#!/bin/bash
# web2 -- the ruleset loaded atomically with iptables-restore from a
# here-document (as the Arch wiki and many Ansible roles write it), then a
# live addition to a chain that here-document declares.  The here-document
# is not read (a note says so, and has no .expect for that reason); the
# later "-A TCP" must not be warned about as a chain the script never made.
set -euo pipefail

MONITOR=192.0.2.15

iptables-restore <<EOF
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:TCP - [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp --tcp-flags FIN,SYN,RST,ACK SYN -m conntrack --ctstate NEW -j TCP
-A INPUT -p tcp -j REJECT --reject-with tcp-reset
-A TCP -p tcp -m multiport --dports 80,443 -j ACCEPT
-A TCP -p tcp -s $MONITOR --dport 9100 -j ACCEPT
COMMIT
EOF

# a scanner seen in the logs, blocked by hand afterwards
iptables -w -C TCP -s 203.0.113.66 -j DROP 2>/dev/null \
	|| iptables -w -I TCP 1 -s 203.0.113.66 -j DROP
