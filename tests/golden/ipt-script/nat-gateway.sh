#!/bin/bash
# gw1 -- NAT gateway for the office LAN
# eth0 is the uplink, eth1 the office switch

WAN=eth0
LAN=eth1
LAN_NET=192.168.50.0/24
WEB_HOST=192.168.50.10
DB_HOST='192.168.50.11'
RDP_HOST="192.168.50.20"
RDP_PUBLIC=33890

iptables -F
iptables -t nat -F
iptables -X
iptables -t nat -X

iptables -P FORWARD DROP
iptables -N PORTFWD-IN
iptables -t nat -N PORTFWD

# forwarding policy
iptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A FORWARD -i $LAN -o $WAN -j ACCEPT
iptables -A FORWARD -i $WAN -m conntrack --ctstate DNAT -j PORTFWD-IN

# port forwards, one per service
iptables -t nat -A PREROUTING -i $WAN -j PORTFWD
iptables -t nat -A PORTFWD -p tcp --dport 80 -j DNAT --to-destination $WEB_HOST:80
iptables -t nat -A PORTFWD -p tcp --dport 443 -j DNAT --to-destination "$WEB_HOST:443"
iptables -t nat -A PORTFWD -p tcp --dport 15432 \
    -j DNAT --to-destination "${DB_HOST}:5432"
iptables -t nat -A PORTFWD -p tcp --dport "$RDP_PUBLIC" -j DNAT --to ${RDP_HOST}:3389
iptables -t nat -A PORTFWD -p udp --dport 27015:27020 -j DNAT --to-destination $WEB_HOST

iptables -A PORTFWD-IN -p tcp -d $WEB_HOST -m multiport --dports 80,443 -j ACCEPT
iptables -A PORTFWD-IN -p tcp -d $DB_HOST --dport 5432 -s 203.0.113.0/24 -j ACCEPT
iptables -A PORTFWD-IN -p tcp -d $RDP_HOST --dport 3389 -j ACCEPT
iptables -A PORTFWD-IN -p udp -d $WEB_HOST --dport 27015:27020 -j ACCEPT

# source NAT
iptables -t nat -A POSTROUTING -s $LAN_NET -o $WAN -j MASQUERADE
iptables -t nat -I POSTROUTING 1 -s $LAN_NET -o $WAN -p udp --sport 5060 -j MASQUERADE --to-ports 5060

# === from here on a static reader cannot know what runs ===

# game servers: one forward per port (UNREADABLE: loop)
iptables -N GAMES
iptables -A FORWARD -i $WAN -o $LAN -j GAMES
for port in 25565 25575; do
	iptables -A GAMES -p tcp -d $WEB_HOST --dport $port -j ACCEPT
	iptables -t nat -A PORTFWD -p tcp --dport $port -j DNAT --to-destination $WEB_HOST:$port
done

# helper (UNREADABLE: function body runs only where it is called)
allow_lan_service() {
	iptables -A INPUT -i $LAN -p "$1" --dport "$2" -j ACCEPT
}
allow_lan_service udp 53
allow_lan_service tcp 53

# UNREADABLE: the port comes from a command substitution
NTP_PORT=$(awk '$1 == "ntp" { split($2, a, "/"); print a[1]; exit }' /etc/services)
iptables -A INPUT -i $LAN -p udp --dport "$NTP_PORT" -j ACCEPT

# UNREADABLE: conditional
if [ -d /proc/sys/net ]; then
	iptables -A INPUT -i $LAN -p tcp --dport 3128 -j ACCEPT
fi

# readable again, but INDEX is after the unreadable INPUT rules above
iptables -A INPUT -i $LAN -p tcp --dport 22 -j ACCEPT
