#!/bin/sh
IPT="/sbin/iptables -w"
P=${SSH_PORT:-22}
$IPT -A INPUT -p tcp --dport "$P" -j ACCEPT && echo ok || true
for p in 80 443; do $IPT -A INPUT -p tcp --dport $p -j ACCEPT; done
f() { ip6tables -A INPUT -p udp --dport "$1" -j ACCEPT; }
f 53
iptables-restore <<'END'
*filter
-A INPUT -j DROP
COMMIT
END
if [ -x /sbin/iptables ]; then iptables -t nat -A PREROUTING -p tcp --dport 8080 -j REDIRECT --to-ports $((8000 + 80)); fi
X=$(cat /etc/port) ; iptables -A INPUT -p tcp --dport $X -j ACCEPT \
	-m comment --comment 'a "quoted" \$thing'
