#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A random iptables-save dump, the same for the same seed: -p by name and
# number, negated, --dport/--sport ranges and service names, -m multiport,
# -m conntrack, -m comment, DNAT, REDIRECT, MASQUERADE and SNAT ports, user
# chains with jumps and gotos, and edits after the rules (-I at a position,
# -D by number or by rule, -F).  Some are refused by iptables-restore (a
# service name of another protocol, -i in OUTPUT, jump loops, "! -p sctp -m
# sctp"): portolan must refuse the same ones.
# usage: random_ipt.py SEED
import random
import sys

R = random.Random(int(sys.argv[1]))
def port(): return R.choice([R.randint(1,1024), R.randint(1025,65535), R.choice([22,53,80,443,8080,1,65535,1023,49152])])
SV = {"tcp": ["ssh","http","https","smtp","imaps","bgp","ftp","telnet","ldap","www","domain"], "udp": ["domain","ntp","syslog","tftp","bootps","snmp"]}
CUR = ["tcp"]
def svc(): return R.choice(SV.get(CUR[0], ["1234"]))
def pv(colon=True):
    k = R.randint(0, 7)
    if k < 3: return str(port())
    if k == 3: return svc()
    if k == 4 and colon:
        a = R.randint(0, 65000); b = R.randint(a, 65535); return f"{a}:{b}"
    if k == 5 and colon: return f":{port()}"
    if k == 6 and colon: return f"{port()}:"
    return str(port())
def neg(): return "! " if R.random() < 0.15 else ""
def mp():
    n = R.randint(1, 6); items = []
    for _ in range(n):
        if R.random() < 0.3:
            a = R.randint(0, 65000); b = R.randint(a, 65535); items.append(f"{a}:{b}")
        else: items.append(R.choice([str(port()), svc()]))
    return ",".join(items)
def rule(chain, chains, table):
    parts = [f"-A {chain}"]
    if R.random() < 0.2: parts.append(R.choice(["-i eth0", "-o eth1", "-s 10.0.0.0/8", "! -d 192.168.0.1/32", "-i lo"]))
    p = R.choice(["tcp", "udp", "tcp", "udp", "sctp", "dccp", "udplite", "all", "6", "17", None])
    if p: parts.append(f"{neg() if R.random()<0.3 else ''}-p {p}")
    l4 = p in ("tcp", "udp", "sctp", "dccp", "udplite", "6", "17")
    name = {"6": "tcp", "17": "udp"}.get(p, p)
    CUR[0] = name
    if l4 and p != "udplite":
        k = R.randint(0, 6)
        if k <= 2:
            if R.random() < 0.5: parts.append(f"-m {name}")
            if R.random() < 0.7: parts.append(f"{neg()}--dport {pv()}")
            if R.random() < 0.3: parts.append(f"{neg()}--sport {pv()}")
        elif k == 3 and name in ("tcp","udp","sctp","dccp"):
            parts.append(f"-m multiport {neg()}{R.choice(['--dports','--sports','--ports'])} {mp()}")
        elif k == 4:
            parts.append(f"-m {name} {neg()}--destination-port {pv()}")
    if R.random() < 0.2:
        parts.append("-m conntrack " + R.choice(["--ctstate NEW", "--ctstate RELATED,ESTABLISHED", f"--ctorigdstport {port()}", f"--ctstate NEW --ctorigdstport {port()}:{65535}"]))
    if R.random() < 0.15:
        parts.append(f'-m comment --comment "c{R.randint(0,99)}"')
    if table == "nat" and chain == "PREROUTING" and l4 and name in ("tcp", "udp") and R.random() < 0.6:
        t = R.randint(0, 2)
        if t == 0: parts.append(f"-j DNAT --to-destination 10.0.0.{R.randint(1,9)}:{port()}")
        elif t == 1: parts.append(f"-j REDIRECT --to-ports {port()}")
        else:
            a = R.randint(1, 60000); parts.append(f"-j DNAT --to-destination 10.0.0.2:{a}-{a+R.randint(0,100)}")
    elif table == "nat" and chain == "POSTROUTING" and l4 and name in ("tcp","udp") and R.random() < 0.6:
        a = R.randint(1024, 60000)
        parts.append(R.choice([f"-j MASQUERADE --to-ports {a}-{a+10}", f"-j SNAT --to-source 10.9.9.9:{a}"]))
    else:
        tg = R.choice(["ACCEPT", "DROP", "RETURN", None] + chains)
        if table == "nat": tg = R.choice(["ACCEPT", "RETURN", None] + chains)
        if tg: parts.append(f"-j {tg}" if R.random() < 0.9 or tg not in chains else f"-g {tg}")
    return " ".join(parts)
out = []
for table, builtins in (("filter", ["INPUT", "FORWARD", "OUTPUT"]), ("nat", ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"])):
    if table == "nat" and R.random() < 0.5: continue
    out.append(f"*{table}")
    for b in builtins: out.append(f":{b} {'ACCEPT' if table=='nat' else R.choice(['ACCEPT','DROP'])} [0:0]")
    users = [f"U{i}" for i in range(R.randint(0, 2))]
    for u in users: out.append(f":{u} - [0:0]")
    specs = {}
    for c in builtins + users:
        specs[c] = []
        for _ in range(R.randint(0, 5)):
            r = rule(c, [u for u in users if u != c], table)
            out.append(r)
            specs[c].append(r[len(f"-A {c} "):])
    # edits: positions mostly right, now and then one past the end
    for _ in range(R.randint(0, 4) if R.random() < 0.6 else 0):
        c = R.choice(builtins + users)
        n = len(specs[c])
        k = R.randint(0, 5)
        spec = rule(c, [u for u in users if u != c], table)[len(f"-A {c} "):]
        if k == 0:
            pos = R.randint(1, n + 1) if R.random() < 0.9 else n + 2
            out.append(f"-I {c} {pos} {spec}")
            if pos <= n + 1: specs[c].insert(pos - 1, spec)
        elif k == 1:
            out.append(f"-I {c} {spec}")
            specs[c].insert(0, spec)
        elif k == 2 and n:
            pos = R.randint(1, n) if R.random() < 0.9 else n + 1
            out.append(f"-D {c} {pos}")
            if pos <= n: del specs[c][pos - 1]
        elif k == 3 and n:
            i = R.randrange(n)
            out.append(f"-D {c} {specs[c][i]}")
            del specs[c][specs[c].index(specs[c][i])]
        elif k == 4 and n:
            # iptables-restore (nf_tables, 1.8.9) crashes on -R of a rule
            # added in the same input, which a dump's every rule is: -R is
            # left out, and -D then -I at the place stand for it
            pos = R.randint(1, n)
            out.append(f"-D {c} {pos}")
            out.append(f"-I {c} {pos} {spec}")
            specs[c][pos - 1] = spec
        elif k == 5:
            out.append(f"-F {c}")
            specs[c] = []
    out.append("COMMIT")
print("\n".join(out))
