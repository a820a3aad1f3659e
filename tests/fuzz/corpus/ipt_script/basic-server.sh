#!/bin/sh
# /usr/local/sbin/firewall.sh -- web server db1, run from /etc/rc.local
# Author: ops@example.org; last change 2025-02-11
set -e

IPT=/sbin/iptables
IP6T=/sbin/ip6tables
SSH_PORT=2222
ADMIN_NET="198.51.100.0/24"
MONITOR=10.0.0.5
WEB_PORTS=80,443

# start from a clean slate
$IPT -F
$IPT -X
$IPT -t nat -F
$IPT -P INPUT DROP
$IPT -P FORWARD DROP
$IPT -P OUTPUT ACCEPT

$IPT -A INPUT -i lo -j ACCEPT
$IPT -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
$IPT -A INPUT -p icmp --icmp-type echo-request -j ACCEPT

# ssh on a custom port, admins only
$IPT -A INPUT -p tcp --dport $SSH_PORT -s $ADMIN_NET -j ACCEPT
$IPT -A INPUT -p tcp --dport "${SSH_PORT}" -m conntrack --ctstate NEW \
	-m limit --limit 3/min --limit-burst 3 \
	-j LOG --log-prefix "ssh from outside: "

# web
$IPT -A INPUT -p tcp -m multiport --dports $WEB_PORTS -j ACCEPT
$IPT -A INPUT -p udp --dport https -j ACCEPT   # HTTP/3

# monitoring: node_exporter and the mysqld exporter
$IPT -N MONITORING
$IPT -A INPUT -s $MONITOR -j MONITORING
$IPT -A MONITORING -p tcp --dport 9100 -j ACCEPT
$IPT -A MONITORING -p tcp --dport 9104 -m comment --comment 'mysqld_exporter' -j ACCEPT
$IPT -A MONITORING -j RETURN

# mysql for the app servers, and an old rule someone needed first
$IPT -A INPUT -p tcp -s 10.0.1.0/24 --dport 3306 -j ACCEPT
$IPT -I INPUT 2 -p tcp --sport 53 -s 10.0.0.2 -j ACCEPT

iptables -A INPUT -p tcp --dport 113 -j REJECT --reject-with tcp-reset
iptables -A INPUT -m limit --limit 5/min -j LOG --log-prefix "IPv4 drop: " --log-level 4

# IPv6: same services
$IP6T -F
$IP6T -P INPUT DROP
$IP6T -A INPUT -i lo -j ACCEPT
$IP6T -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
$IP6T -A INPUT -p ipv6-icmp -j ACCEPT
$IP6T -A INPUT -p tcp --dport $SSH_PORT -s 2001:db8:100::/48 -j ACCEPT
$IP6T -A INPUT -p tcp -m multiport --dports "$WEB_PORTS" -j ACCEPT
ip6tables -A INPUT -p udp --dport 443 -j ACCEPT

echo "firewall loaded"
