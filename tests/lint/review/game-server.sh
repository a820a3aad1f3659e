#!/bin/sh
# False-positive review: a rented dedicated box (Debian 12, one public
# address on eno1) running game servers for a gaming community with
# LinuxGSM: CS2 (srcds), Minecraft Java with a Bedrock bridge, Valheim,
# ARK, Factorio, Palworld, a TeamSpeak 3 server and a Mumble server.
# /etc/network/if-pre-up.d/firewall, the script the community's admin wrote
# from forum posts; "# ..." comments in a script are not rule comments.
# Every expectation is annotated on the line before the command, with the
# reason; "none" is spelled out where a finding could be expected but would
# not be defended to this operator.
IPT=/sbin/iptables
SSH_PORT=22
WAN=eno1

$IPT -F
$IPT -X
$IPT -t raw -F
$IPT -P INPUT DROP
$IPT -P FORWARD DROP
$IPT -P OUTPUT ACCEPT
$IPT -N GAME_FLOOD

$IPT -A INPUT -i lo -j ACCEPT
$IPT -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
$IPT -A INPUT -m conntrack --ctstate INVALID -j DROP
$IPT -A INPUT -p icmp --icmp-type echo-request -m limit --limit 2/s -j ACCEPT
$IPT -A INPUT -i "$WAN" -p tcp --dport "$SSH_PORT" -m conntrack --ctstate NEW -m hashlimit --hashlimit-upto 4/min --hashlimit-burst 8 --hashlimit-mode srcip --hashlimit-name ssh -j ACCEPT

# query floods against srcds: tiny packets and more than 60/s per address
# lint-expect: none -- DROPs: the ports are closed to the flood, not opened
$IPT -A INPUT -p udp --dport 27015:27030 -m length --length 0:32 -j DROP
# lint-expect: none -- a jump to GAME_FLOOD, which only logs and drops
$IPT -A INPUT -p udp --dport 27015:27030 -m hashlimit --hashlimit-above 60/sec --hashlimit-mode srcip --hashlimit-name srcds -j GAME_FLOOD
$IPT -A GAME_FLOOD -m limit --limit 1/min -j LOG --log-prefix "game flood: "
$IPT -A GAME_FLOOD -j DROP

# CS2: game and query on udp, RCON on tcp, SourceTV
# lint-expect: none -- Steam's srcds range on udp: unassigned and reserved ports only (27016-27017/udp are "Reserved" because their services are tcp, 27018-27019's unauthorized-use note concerns mongodb on tcp), no assignment in it: nothing for range-wide to sum up, and an unassigned note would be wrong for ports assigned on tcp
$IPT -A INPUT -p udp --dport 27015:27030 -j ACCEPT
# lint-expect: port-unassigned -- srcds RCON on 27015/tcp with no --comment: the note asks for one (a shell comment above is no rule comment)
$IPT -A INPUT -p tcp --dport 27015 -j ACCEPT

# Minecraft Java (and its RCON for the discord bot), Bedrock through Geyser
$IPT -A INPUT -p tcp --dport 25565 -m comment --comment "minecraft java" -j ACCEPT
# lint-expect: none -- the Minecraft RCON, unassigned, but the comment says what listens
$IPT -A INPUT -s 203.0.113.50 -p tcp --dport 25575 -m comment --comment "minecraft rcon for the discord bot" -j ACCEPT
$IPT -A INPUT -p udp --dport 19132 -m comment --comment "geyser (bedrock)" -j ACCEPT

# lint-expect: none -- Valheim's three ports are assigned (one class): no range-wide, and 'valheim' is no registered name
$IPT -A INPUT -p udp --dport 2456:2458 -m comment --comment "valheim" -j ACCEPT
# ARK: game 7777-7778/udp, query 27015/udp (opened above)
# lint-expect: none -- two assigned ports; 7777's unauthorized-use note is not quoted for a range (range-wide counts it, and there is nothing else to sum up)
$IPT -A INPUT -p udp --dport 7777:7778 -m comment --comment "ark" -j ACCEPT
$IPT -A INPUT -p udp --dport 34197 -m comment --comment "factorio" -j ACCEPT
# lint-expect: none -- 8211/udp is assigned (aruba-papi); palworld there is its default
$IPT -A INPUT -p udp --dport 8211 -m comment --comment "palworld" -j ACCEPT

# TeamSpeak 3: voice, ServerQuery (admins only), file transfer
$IPT -A INPUT -p udp --dport 9987 -m comment --comment "ts3 voice" -j ACCEPT
$IPT -A INPUT -s 203.0.113.50 -p tcp --dport 10011 -m comment --comment "ts3 serverquery" -j ACCEPT
$IPT -A INPUT -p tcp --dport 30033 -m comment --comment "ts3 file transfer" -j ACCEPT
# Mumble (murmur) on its default port, tcp and udp
# lint-expect: port-dynamic -- murmur's default 64738 is in the dynamic range: a listener among the ports this host's own clients (steamcmd, the game servers' master-server queries) may be given
$IPT -A INPUT -p tcp --dport 64738 -m comment --comment "mumble" -j ACCEPT
# lint-expect: port-dynamic -- same on udp
$IPT -A INPUT -p udp --dport 64738 -m comment --comment "mumble" -j ACCEPT

$IPT -A INPUT -m limit --limit 5/min -j LOG --log-prefix "fw drop: "
