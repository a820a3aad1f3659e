#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Writes DIR/rules.v4: exactly N rules (N >= 30) in the shape iptables-save
# prints for a kube-proxy (iptables mode) node: *filter and *nat, chains and
# rules in iptables-save's order (built-in chains first, then user chains
# sorted by name), KUBE-SERVICES / KUBE-NODEPORTS / KUBE-POSTROUTING /
# KUBE-MARK-MASQ, a KUBE-SVC-<hash> chain per service port and a
# KUBE-SEP-<hash> chain per endpoint, "-m comment --comment", "-m statistic
# --mode random --probability", DNAT to pod addresses, REJECT for services
# without endpoints, MASQUERADE --random-fully, and a few multiport rules of
# the node's own. Deterministic: the same N gives the same file.
# usage: tests/bench/gen_ipt.sh N DIR
set -eu
n=$1 dir=$2
mkdir -p "$dir"
tmp="$dir/.gen_ipt.$$"
mkdir "$tmp"
trap 'rm -rf "$tmp"' EXIT INT TERM

# Each output line of awk is "TABLE<TAB>CHAINKEY<TAB>SEQ<TAB>TEXT"; sort puts
# every chain's rules together, in generation order, chains in save order.
awk -v n="$n" -v tmp="$tmp" 'BEGIN {
	srand(20250901)
	B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	nns = split("default kube-system monitoring ingress-nginx payments shop auth search logging cert-manager", NS, " ")
	npn = split("http https grpc metrics web api admin", PN, " ")
	nport = split("80 443 8080 9090 5432 6379 3306 8443 9100 11211 27017 9200 15672 2379", PORT, " ")
	out = tmp "/rules"
	seq = 0; total = 0

	# ---- fixed rules, filter
	decl("filter", "KUBE-EXTERNAL-SERVICES"); decl("filter", "KUBE-FIREWALL")
	decl("filter", "KUBE-FORWARD"); decl("filter", "KUBE-NODEPORTS")
	decl("filter", "KUBE-PROXY-FIREWALL"); decl("filter", "KUBE-SERVICES")
	decl("filter", "KUBE-KUBELET-CANARY"); decl("filter", "KUBE-PROXY-CANARY")
	r("filter", "INPUT", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL")
	r("filter", "INPUT", "-m comment --comment \"kubernetes health check service ports\" -j KUBE-NODEPORTS")
	r("filter", "INPUT", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible service portals\" -j KUBE-EXTERNAL-SERVICES")
	r("filter", "INPUT", "-j KUBE-FIREWALL")
	r("filter", "FORWARD", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL")
	r("filter", "FORWARD", "-m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD")
	r("filter", "FORWARD", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES")
	r("filter", "FORWARD", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible service portals\" -j KUBE-EXTERNAL-SERVICES")
	r("filter", "OUTPUT", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL")
	r("filter", "OUTPUT", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES")
	r("filter", "OUTPUT", "-j KUBE-FIREWALL")
	r("filter", "KUBE-FIREWALL", "! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment \"block incoming localnet connections\" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP")
	r("filter", "KUBE-FORWARD", "-m conntrack --ctstate INVALID -j DROP")
	r("filter", "KUBE-FORWARD", "-m comment --comment \"kubernetes forwarding rules\" -m mark --mark 0x4000/0x4000 -j ACCEPT")
	r("filter", "KUBE-FORWARD", "-m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT")
	# ---- fixed rules, nat
	decl("nat", "KUBE-MARK-MASQ"); decl("nat", "KUBE-NODEPORTS"); decl("nat", "KUBE-POSTROUTING")
	decl("nat", "KUBE-SERVICES"); decl("nat", "KUBE-KUBELET-CANARY"); decl("nat", "KUBE-PROXY-CANARY")
	r("nat", "PREROUTING", "-m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES")
	r("nat", "OUTPUT", "-m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES")
	r("nat", "POSTROUTING", "-m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING")
	r("nat", "KUBE-MARK-MASQ", "-j MARK --set-xmark 0x4000/0x4000")
	r("nat", "KUBE-POSTROUTING", "-m mark ! --mark 0x4000/0x4000 -j RETURN")
	r("nat", "KUBE-POSTROUTING", "-j MARK --set-xmark 0x4000/0x0")
	r("nat", "KUBE-POSTROUTING", "-m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully")
	last = "-m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS"
	total = seq + 1	# + the last KUBE-SERVICES rule, written at the end

	for (i = 0; ; i++) {
		k = (i % 20 == 7) ? 0 : 1 + (i * 7 + int(i / 3)) % 4	# endpoints
		np = (i % 4 == 1)					# NodePort
		lb = np && (i % 24 == 5)				# LoadBalancer
		udp = (i % 10 == 3)
		cost = (k == 0) ? 1 + np : 2 + 3 * k + (np ? 3 : 0) + lb
		if (i % 500 == 250) cost++
		if (total + cost > n) break
		total += cost

		ns = NS[1 + i % nns]
		name = ns "/svc-" i ":" (udp ? "dns" : PN[1 + i % npn])
		proto = udp ? "udp" : "tcp"
		port = udp ? 53 : PORT[1 + i % nport]
		tport = udp ? 53 : (i % 3 == 0 ? port : 8080)
		cip = "10." (96 + int(i / 65536) % 16) "." int(i / 256) % 256 "." i % 256
		nodeport = 30000 + (i * 13) % 2768
		pm = "-p " proto " -m comment --comment "
		mt = " -m " proto " --dport "

		if (i % 500 == 250)	# the node admin opened something by hand
			r("filter", "INPUT", "-s 10." i % 250 ".0.0/16 -p tcp -m multiport --dports 2379:2380,6443,10250,10257,10259 -m comment --comment \"control plane from pod network " i % 250 "\" -j ACCEPT")

		if (k == 0) {
			r("filter", "KUBE-SERVICES", "-d " cip "/32 " pm "\"" name " has no endpoints\"" mt port " -j REJECT --reject-with icmp-port-unreachable")
			if (np)
				r("filter", "KUBE-EXTERNAL-SERVICES", pm "\"" name " has no endpoints\" -m addrtype --dst-type LOCAL" mt nodeport " -j REJECT --reject-with icmp-port-unreachable")
			continue
		}
		h = hash()
		svc = "KUBE-SVC-" h
		decl("nat", svc)
		r("nat", "KUBE-SERVICES", "-d " cip "/32 " pm "\"" name " cluster IP\"" mt port " -j " svc)
		r("nat", svc, "! -s 10.244.0.0/16 -d " cip "/32 " pm "\"" name " cluster IP\"" mt port " -j KUBE-MARK-MASQ")
		if (np) {
			ext = "KUBE-EXT-" h
			decl("nat", ext)
			r("nat", "KUBE-NODEPORTS", pm "\"" name "\"" mt nodeport " -j " ext)
			r("nat", ext, "-m comment --comment \"masquerade traffic for " name " external destinations\" -j KUBE-MARK-MASQ")
			r("nat", ext, "-j " svc)
			if (lb)
				r("nat", "KUBE-SERVICES", "-d 203.0." int(i / 256) % 256 "." i % 256 "/32 " pm "\"" name " loadbalancer IP\"" mt port " -j " ext)
		}
		for (e = 0; e < k; e++) {
			j = i * 4 + e
			ep = "10.244." int(j / 250) % 256 "." 1 + j % 250
			sep = "KUBE-SEP-" hash()
			decl("nat", sep)
			if (e < k - 1)
				r("nat", svc, "-m comment --comment \"" name " -> " ep ":" tport "\" -m statistic --mode random --probability " prob(k - e) " -j " sep)
			else
				r("nat", svc, "-m comment --comment \"" name " -> " ep ":" tport "\" -j " sep)
			r("nat", sep, "-s " ep "/32 -m comment --comment \"" name "\" -j KUBE-MARK-MASQ")
			r("nat", sep, pm "\"" name "\" -m " proto " -j DNAT --to-destination " ep ":" tport)
		}
	}
	# fill up to exactly n with the node'\''s own rules
	for (f = 0; total < n; f++) {
		total++
		r("filter", "INPUT", "-s 192.168." int(f / 250) % 256 "." 1 + f % 250 "/32 -p udp -m multiport --dports 4789,8472,51820 -m comment --comment \"overlay peer " f "\" -j ACCEPT")
	}
	seq = 999999999
	r("nat", "KUBE-SERVICES", last)
	close(out)
	close(tmp "/decl")
}
function key(chain) {
	if (chain == "PREROUTING") return "0a"
	if (chain == "INPUT") return "0b"
	if (chain == "FORWARD") return "0c"
	if (chain == "OUTPUT") return "0d"
	if (chain == "POSTROUTING") return "0e"
	return "1" chain
}
function r(table, chain, text) {
	printf "%s\t%s\t%d\t-A %s %s\n", table, key(chain), ++seq, chain, text > out
}
function decl(table, chain) {
	printf "%s\t%s\t:%s - [0:0]\n", table, key(chain), chain > (tmp "/decl")
}
function hash(   s, c) {
	s = ""
	for (c = 0; c < 16; c++)
		s = s substr(B32, 1 + int(rand() * 32), 1)
	return s
}
# what iptables-save prints for kube-proxy'\''s 1/k: the probability is kept
# as round(p * 2^31) and printed with 11 decimals
function prob(k) {
	return sprintf("%.11f", int(2147483648 / k + 0.5) / 2147483648)
}'

stamp='Mon Sep  1 12:00:00 2025'
{
	for table in filter nat; do
		echo "# Generated by iptables-save v1.8.9 (nf_tables) on $stamp"
		echo "*$table"
		if [ "$table" = filter ]; then
			printf ':INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n'
		else
			printf ':PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n'
		fi
		awk -F '\t' -v t="$table" '$1 == t { print $2 "\t" $3 }' "$tmp/decl" |
			LC_ALL=C sort -t "$(printf '\t')" -k1,1 -u | cut -f 2
		awk -F '\t' -v t="$table" '$1 == t' "$tmp/rules" |
			LC_ALL=C sort -t "$(printf '\t')" -k2,2 -k3,3n | cut -f 4-
		echo "COMMIT"
		echo "# Completed on $stamp"
	done
} > "$dir/rules.v4"
