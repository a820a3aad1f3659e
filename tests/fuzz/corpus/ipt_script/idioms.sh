#!/bin/bash
IPT="iptables -w"
TCP_PORTS="22,80,443"
declare -r LAN=192.168.1.0/24
readonly DNS_PORT=53
export SMTP=25
$IPT -N IN_LAN
$IPT -A INPUT -p tcp -m multiport --dports $TCP_PORTS -j ACCEPT
$IPT -A INPUT -s $LAN -j IN_LAN
$IPT -A IN_LAN -p udp --dport $DNS_PORT -j ACCEPT
$IPT -A IN_LAN -p tcp --dport "${SMTP}" -j ACCEPT
iptables -A IN_LAN -p tcp --dport 8000:8100 -j ACCEPT; iptables -A IN_LAN -j RETURN
iptables -t filter --append INPUT --protocol tcp --destination-port 3000 --jump DROP
/sbin/iptables -A INPUT -p tcp --dport ${HTTP_ALT:-8080} -j ACCEPT
iptables -A OUTPUT -p tcp --sport 1024: -j ACCEPT
iptables -A OUTPUT -p udp --dport :1023 -j ACCEPT
