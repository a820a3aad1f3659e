#!/bin/sh
# app2 firewall -- collected styles from several admins over the years
set -eu

export IPT="/usr/sbin/iptables -w"
readonly VPN_PORT=51820
APP_PORTS="8080:8089"
EXTRA_OPTS="-p tcp --dport 9000"

# the command itself in a variable with an option (word splitting)
$IPT -A INPUT -i lo -j ACCEPT
${IPT} -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT

# long and short options mixed, --wait
iptables --wait --append INPUT --protocol udp --destination-port $VPN_PORT --jump ACCEPT
iptables -w 5 -A INPUT -p tcp --dport 22 -j ACCEPT # ssh, trailing shell comment

# quoting
iptables -A INPUT -p tcp --dport "$APP_PORTS" -m comment --comment "app \"blue\" pool" -j ACCEPT
iptables -A INPUT -p 'tcp' --dport '8443' -m comment --comment 'admin UI; keep' -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 25,465,587 -m comment --comment mail\ relay -j ACCEPT
iptables -A INPUT -p tcp ! --dport 1:1023 -s 10.30.0.0/16 -j ACCEPT

# several options in one variable, split by the shell
iptables -A INPUT $EXTRA_OPTS -j ACCEPT

# two commands on one line, and command lists
iptables -A INPUT -p udp --dport 123 -j ACCEPT; iptables -A INPUT -p udp --sport 123 -j ACCEPT
iptables -A INPUT -p tcp --dport 5666 -s 10.0.0.7 -j ACCEPT && echo "nrpe allowed"
iptables -C INPUT -p tcp --dport 9100 -s 10.0.0.5 -j ACCEPT 2>/dev/null ||
	iptables -A INPUT -p tcp --dport 9100 -s 10.0.0.5 -j ACCEPT

# continuation lines with odd indentation
iptables \
  -A INPUT \
  -p tcp \
  --match tcp --dport 6443 \
  -s 10.40.0.0/16 \
  -j ACCEPT

# insert at the top, then remove a rule added above
iptables -I INPUT -p tcp --dport 23 -j DROP
iptables -A INPUT -p tcp --dport 2049 -j ACCEPT
iptables -D INPUT -p tcp --dport 2049 -j ACCEPT

# UNREADABLE: a here-document for iptables-restore (a different input format)
iptables -N HEREDOC-IN
iptables-restore --noflush <<'RULES'
*filter
-A HEREDOC-IN -p tcp --dport 10050 -j ACCEPT
COMMIT
RULES

iptables -A INPUT -j LOG --log-prefix '[FW drop] ' --log-level info
iptables -A INPUT -j DROP
