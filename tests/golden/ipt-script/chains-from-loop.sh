#!/bin/sh
# Chains made by commands the reader does not run (a loop, a function
# called) exist in the kernel: later rules that jump to them or append to
# them are read without a false "does not exist".  Checked by running it
# with "unshare -n sh" and comparing with iptables-save (.expect).
for c in WEB MAIL; do
	iptables -N "$c"
done
iptables -A INPUT -p tcp --dport 80 -j WEB
iptables -A WEB -p tcp --dport 80 -j ACCEPT
iptables -A INPUT -p tcp --dport 25 -j MAIL
iptables -A MAIL -p tcp --dport 25 -j ACCEPT
mkchain() {
	iptables -t nat -N "$1"
}
mkchain FWD
iptables -t nat -A PREROUTING -p tcp --dport 8080 -j FWD
iptables -t nat -A FWD -p tcp -j DNAT --to-destination 10.0.0.2:80
