#!/bin/sh
# vpn1 -- WireGuard and OpenVPN server, NAT for both tunnels
set -e

IPT=/usr/sbin/iptables
IPT6="ip6tables"
WAN_IF="eth0"
WG_IF=wg0
WG_PORT=51820
WG_NET=10.66.66.0/24
OVPN_NET=10.8.0.0/24
OVPN_PORT=1194
SSH_PORT=22

# start from a clean slate
$IPT -F
$IPT -t nat -F
$IPT -X

$IPT -P INPUT DROP
$IPT -P FORWARD DROP
$IPT -P OUTPUT ACCEPT

$IPT -A INPUT -i lo -j ACCEPT
$IPT -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
$IPT -A INPUT -p icmp --icmp-type echo-request -j ACCEPT

# ssh and the two VPN listeners
$IPT -A INPUT -p tcp --dport ${SSH_PORT} -m conntrack --ctstate NEW -j ACCEPT
$IPT -A INPUT -i "$WAN_IF" -p udp --dport "$WG_PORT" -j ACCEPT
$IPT -A INPUT -i "$WAN_IF" -p udp -m udp --dport $OVPN_PORT -j ACCEPT

# DNS for the VPN clients, from the resolver on this host
$IPT -A INPUT -i $WG_IF -p udp --dport 53 -s $WG_NET -j ACCEPT
$IPT -A INPUT -i tun+ -p udp --dport 53 -s "${OVPN_NET}" -j ACCEPT

# forwarding between the tunnels and the uplink
$IPT -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
$IPT -A FORWARD -i $WG_IF -o $WAN_IF -s $WG_NET -j ACCEPT
$IPT -A FORWARD -i tun0 -o $WAN_IF -s $OVPN_NET -j ACCEPT
# no SMTP out of the tunnels
$IPT -I FORWARD 2 -i $WG_IF -p tcp --dport 25 -j REJECT --reject-with tcp-reset

# masquerade, added only once (the script is re-run by wg-quick PostUp)
$IPT -t nat -C POSTROUTING -s $WG_NET -o $WAN_IF -j MASQUERADE 2>/dev/null ||
	$IPT -t nat -A POSTROUTING -s $WG_NET -o $WAN_IF -j MASQUERADE
iptables -t nat -C POSTROUTING -s "$OVPN_NET" -o "$WAN_IF" -j MASQUERADE 2>/dev/null || iptables -t nat -A POSTROUTING -s "$OVPN_NET" -o "$WAN_IF" -j MASQUERADE

# MSS clamping on the tunnels
$IPT -t mangle -A FORWARD -o $WG_IF -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu

# IPv6: the tunnel listener only
$IPT6 -P INPUT DROP
$IPT6 -A INPUT -i lo -j ACCEPT
$IPT6 -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
$IPT6 -A INPUT -p ipv6-icmp -j ACCEPT
$IPT6 -A INPUT -p udp --dport $WG_PORT -j ACCEPT

echo "firewall for $WG_IF and tun0 loaded"
