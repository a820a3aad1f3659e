#!/bin/sh
# Firewall for mx1.example.net: Postfix (smtp, submission, submissions),
# Dovecot (imap, imaps, pop3s, managesieve), nginx for webmail and ACME.
# Run at boot from /etc/network/if-pre-up.d/firewall; safe to run again.
set -e

IPT=/sbin/iptables
IP6T=/sbin/ip6tables
WAN=ens3
SSH_PORT=22022
ADMIN_V4=203.0.113.0/26
ADMIN_V6=2001:db8:feed::/48
MONITOR_V4=10.20.0.9

# ----------------------------------------------------------------- IPv4 ---
$IPT -F
$IPT -X
$IPT -Z
$IPT -P INPUT DROP
$IPT -P FORWARD DROP
$IPT -P OUTPUT ACCEPT

$IPT -N LOGDROP
$IPT -A LOGDROP -m limit --limit 6/min --limit-burst 12 \
	-j LOG --log-prefix "mx1 drop: " --log-level warning
$IPT -A LOGDROP -j DROP

$IPT -N SMTP-LIMIT
$IPT -A SMTP-LIMIT -m hashlimit --hashlimit-name smtp --hashlimit-mode srcip \
	--hashlimit-above 30/min --hashlimit-burst 60 -j LOGDROP
$IPT -A SMTP-LIMIT -j ACCEPT

$IPT -A INPUT -i lo -j ACCEPT
$IPT -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
$IPT -A INPUT -m conntrack --ctstate INVALID -j DROP
$IPT -A INPUT -p icmp --icmp-type echo-request -m limit --limit 10/s -j ACCEPT
$IPT -A INPUT -p icmp --icmp-type fragmentation-needed -j ACCEPT

# ssh: admins only, and not too fast
$IPT -A INPUT -i $WAN -p tcp --dport $SSH_PORT -s $ADMIN_V4 \
	-m conntrack --ctstate NEW -m recent --name ssh --set
$IPT -A INPUT -i $WAN -p tcp --dport $SSH_PORT -s $ADMIN_V4 \
	-m conntrack --ctstate NEW -m recent --name ssh --update --seconds 60 --hitcount 5 -j LOGDROP
$IPT -A INPUT -i $WAN -p tcp --dport $SSH_PORT -s $ADMIN_V4 -j ACCEPT

# mail transfer from the world, rate limited per source
$IPT -A INPUT -i $WAN -p tcp --dport smtp -m conntrack --ctstate NEW -j SMTP-LIMIT
# mail submission by our users: submissions (465, implicit TLS) and submission (587)
$IPT -A INPUT -i $WAN -p tcp -m multiport --dports 465,587 -j ACCEPT
# mailbox access: imap (143, STARTTLS), imaps, pop3s
$IPT -A INPUT -i $WAN -p tcp -m multiport --dports imap2,imaps,pop3s -j ACCEPT
# managesieve
$IPT -A INPUT -i $WAN -p tcp --dport 4190 -j ACCEPT
# webmail and ACME http-01
$IPT -A INPUT -i $WAN -p tcp -m multiport --dports http,https -j ACCEPT

# prometheus: node_exporter and postfix_exporter
$IPT -A INPUT -s $MONITOR_V4 -p tcp -m multiport --dports 9100,9154 -j ACCEPT

# be quick to refuse ident instead of timing out
$IPT -A INPUT -p tcp --dport 113 -j REJECT --reject-with tcp-reset
$IPT -A INPUT -j LOGDROP

# only postfix talks smtp to the world (uid 107 = postfix)
$IPT -A OUTPUT -o $WAN -p tcp --dport 25 -m owner ! --uid-owner 107 -j REJECT

# ----------------------------------------------------------------- IPv6 ---
$IP6T -F
$IP6T -X
$IP6T -P INPUT DROP
$IP6T -P FORWARD DROP
$IP6T -P OUTPUT ACCEPT

$IP6T -A INPUT -i lo -j ACCEPT
$IP6T -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
$IP6T -A INPUT -p ipv6-icmp -j ACCEPT
$IP6T -A INPUT -i $WAN -p tcp --dport $SSH_PORT -s $ADMIN_V6 -j ACCEPT
$IP6T -A INPUT -i $WAN -p tcp --dport 25 -m hashlimit --hashlimit-name smtp6 \
	--hashlimit-mode srcip --hashlimit-srcmask 64 --hashlimit-upto 30/min -j ACCEPT
$IP6T -A INPUT -i $WAN -p tcp -m multiport --dports 465,587,143,993,995,4190 -j ACCEPT
$IP6T -A INPUT -i $WAN -p tcp -m multiport --dports 80,443 -j ACCEPT
$IP6T -A INPUT -m limit --limit 6/min -j LOG --log-prefix "mx1 drop6: "
$IP6T -A OUTPUT -o $WAN -p tcp --dport 25 -m owner ! --uid-owner 107 -j REJECT
