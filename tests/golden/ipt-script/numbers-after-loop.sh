#!/bin/sh
# Rule numbers after commands a static reader cannot run (a loop, a function
# call).  Checked by running it with "unshare -n sh" and comparing with
# iptables -S.  The kernel ends with INPUT: lo, 8080, 22, 8443, 80, 443;
# FORWARD: 465, 587, 25; WEB: 8000, 8001; OUTPUT: 53, 123 (pin_admin's 9999,
# put first in INPUT, is what "-D INPUT 1" deletes).  The reader misses the loop's rules
# and keeps udp 53, which "-D INPUT 6" deletes in the kernel: each
# number it cannot know is noted, none is guessed silently.
IPT=iptables
$IPT -F
$IPT -P INPUT DROP
$IPT -A INPUT -i lo -j ACCEPT
$IPT -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
for p in 22 80 443; do
	$IPT -A INPUT -p tcp --dport "$p" -j ACCEPT
done
$IPT -A INPUT -p udp --dport 53 -j ACCEPT
# within the two rules read before the loop: known (lo, 8080, conntrack ...)
$IPT -I INPUT 2 -p tcp --dport 8080 -j ACCEPT
# rule 3 is the conntrack rule: known, deleted
$IPT -D INPUT 3
# rule 6 is udp 53 in the kernel (the loop's rules come first): not known here, not deleted
$IPT -D INPUT 6
# rule 4 is the loop's 80 in the kernel: not known; inserted where the chain read has it
$IPT -I INPUT 4 -p tcp --dport 8443 -j ACCEPT
# FORWARD is not touched by the loop: its numbers stay known
$IPT -A FORWARD -p tcp --dport 25 -j DROP
$IPT -I FORWARD 1 -p tcp --dport 587 -j DROP
# a flushed chain is known again
$IPT -N WEB
for p in 80 443; do
	$IPT -A WEB -p tcp --dport "$p" -j ACCEPT
done
$IPT -F WEB
$IPT -A WEB -p tcp --dport 8000 -j ACCEPT
$IPT -I WEB 2 -p tcp --dport 8001 -j ACCEPT
# a function called: any chain may hold rules not read from here
allow_out() {
	$IPT -A OUTPUT -p tcp --dport "$1" -j ACCEPT
}
$IPT -A OUTPUT -p udp --dport 123 -j ACCEPT
allow_out 443
# rule 1 is known all the same: the head of the chain
$IPT -I OUTPUT 1 -p udp --dport 53 -j ACCEPT
# rule 3 is the function's 443 in the kernel: not known, not deleted
$IPT -D OUTPUT 3
# a function that inserts at a chain's head: after its call, no rule
# number of any chain is known, whatever other chains get
pin_admin() {
	$IPT -I INPUT 1 -p tcp --dport 9999 -j ACCEPT
}
pin_admin
$IPT -I FORWARD 1 -p tcp --dport 465 -j DROP
# rule 1 of INPUT is the function's 9999 in the kernel: not known, not deleted
$IPT -D INPUT 1
