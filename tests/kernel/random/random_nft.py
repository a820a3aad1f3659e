#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A random nftables ruleset, the same for the same seed: port matches of
# every kind the reader knows (values, ranges, sets, named sets and maps,
# verdict maps, concatenations, th with meta l4proto or ip protocol, ct
# proto-dst, raw payload, variables), NAT, command-form rules, element
# commands (add, delete, flush) on named sets.  Some are
# refused by nft (conflicting protocols, names it cannot resolve, jump
# loops): portolan must refuse the same ones.
# usage: random_nft.py SEED
import random
import sys

R = random.Random(int(sys.argv[1]))
def port(): return R.choice([R.randint(1,1024), R.randint(1025,65535), R.choice([22,53,80,443,8080,0,65535,1023,49152])])
def rng():
    a = R.randint(0, 65000); b = R.randint(a, min(65535, a + R.choice([1,10,1000,30000])))
    return f"{a}-{b}"
def svc(): return R.choice(["ssh","http","https","domain","smtp","ntp","imaps","bgp","ftp","telnet","kerberos","ldap","snmp","syslog","tftp","bootps"])
def val(allow_set=True, interval=True):
    k = R.randint(0, 9)
    if k < 3: return str(port())
    if k < 4 and interval: return rng()
    if k < 5: return svc()
    if allow_set:
        n = R.randint(1, 4); items = set()
        while len(items) < n:
            items.add(R.choice([str(port()), svc()] + ([rng()] if interval else [])))
        return "{ " + ", ".join(sorted(items)) + " }"
    return str(port())
PROTOS = ["tcp", "udp", "sctp", "dccp", "udplite"]
CH = []
NAMED = []
DEFS = []
REL = []
def match(fam, sets, rp):
    k = R.randint(0, 12)
    p = rp
    f = R.choice(["dport", "sport"])
    neg = R.choice(["", "", "", "!= "])
    if k < 5: return f"{p} {f} {neg}{val()}"
    if k == 5 and not REL:
        # one comparison a rule: nft 1.0.6 lists two as one range, and
        # wrongly so where they are on two fields or leave no port
        REL.append(1)
        return f"{p} {f} {R.choice(['<','>','<=','>='])} {port()}"
    if k == 6: return f"meta l4proto {rp} th {f} {neg}{val()}"
    if k == 7 and sets: return f"{p} {f} {neg}@{R.choice(sets)}"
    if k == 8 and fam in ("ip","inet"): return f"ip daddr . {p} dport {{ 10.0.0.{R.randint(1,9)} . {port()}, 10.1.0.1 . {port()} }}"
    if k == 9:
        c = R.randint(0, 4)
        if c == 0 and fam != "bridge": return f"ct original protocol {rp} ct original proto-dst {neg}{val()}"
        if c == 1: return f"meta l4proto {rp} @th,{R.choice([0,16])},16 {port()}"
        if c == 2: return f"{p} dport vmap {{ {port()} : jump sub, {port()} : accept }}" if sets is not None and "sub" in CH else f"{p} dport {val()}"
        if c == 3 and fam in ("ip", "inet"): return f"meta l4proto . th dport {{ {p} . {port()}, udp . {port()} }}"
        return f"{p} {f} {neg}{rng()}"
    if k == 10: return f"ip protocol {rp} th dport {val()}" if fam == "ip" else (f"ip6 nexthdr {rp} th dport {val()}" if fam == "ip6" else f"{p} dport {val()}")
    if k == 11:
        c = R.randint(0, 5)
        if c == 0 and "m0" in NAMED: return f"{p} dport vmap @m0"
        if c == 1 and "c0" in NAMED and fam in ("ip", "inet"): return f"ip daddr . {p} dport {neg}@c0"
        if c == 2 and DEFS: return f"{p} {f} {neg}${R.choice(DEFS)}"
        if c == 3: return f"th dport {val()}"
        if c == 4 and "t0" in NAMED: return f"{p} dport {neg}@t0"
        if c == 5 and "pc" in NAMED and R.random() < 0.5: return "meta l4proto . th dport @pc"
        if c == 5 and "pc2" in NAMED: return "meta l4proto . th sport . th dport @pc2"
        return f"{p} dport {val()} {p} sport {val()}"
    return f"{p} {f} {neg}{val()}"
def rule(fam, sets, chains):
    parts = []
    REL[:] = []
    rp = R.choice(PROTOS)
    if R.random() < 0.1:
        parts.append("meta l4proto { tcp, udp } th dport " + val()); rp = None
    if R.random() < 0.2 and fam != "bridge": parts.append(R.choice(["ct state established,related", "ct state new", "iifname \"eth0\"", "ip saddr 10.0.0.0/8" if fam in ("ip","inet") else "meta mark 1"]))
    if rp and R.random() < 0.85: parts.append(match(fam, sets, rp))
    if rp and R.random() < 0.3: parts.append(match(fam, sets, rp))
    if R.random() < 0.3: parts.append("counter")
    if R.random() < 0.2:
        # statements with no port, kept as they are: they must not move a
        # rule nor hide its ports
        parts.append(R.choice(["limit rate 10/second", 'log prefix "p: "', "meta mark set 1",
                               "ct mark set 2" if fam != "bridge" else "meta mark set 2", "meta nftrace set 1", "limit rate over 1 mbytes/second",
                               "meta pkttype host", "meta length 100-200", "ip6 hoplimit 1" if fam == "ip6" else "meta mark 0x10",
                               "tcp flags syn / syn,ack" if rp == "tcp" else "meta priority none"]))
    v = R.random()
    if v < 0.1 and chains: parts.append(R.choice(["jump ", "goto "]) + R.choice(chains))
    elif v < 0.15 and rp: parts.append(f"{rp} dport vmap {{ {port()} : accept, {port()} : drop }}")
    else: parts.append(R.choice(["accept", "drop", "return", ""] + (["reject"] if fam != "bridge" else [])))
    if R.random() < 0.15: parts.append(f'comment "r{R.randint(0,99)}"')
    return " ".join(x for x in parts if x)
def ruleset():
    fam = R.choice(["inet", "inet", "ip", "ip6", "bridge"])
    NAMED[:] = []; DEFS[:] = []
    out = []
    for d in range(R.randint(0, 2)):
        out.append(f"define v{d} = " + R.choice([str(port()), svc(), "{ " + str(port()) + ", " + svc() + " }", rng()]))
        DEFS.append(f"v{d}")
    out.append(f"table {fam} t {{")
    if R.random() < 0.5:
        out.append(f"\tmap m0 {{ type inet_service : verdict; elements = {{ {port()} : accept, {port()} : drop, {port()} : jump sub }} }}")
        NAMED.append("m0")
    if fam in ("ip", "inet") and R.random() < 0.4:
        out.append(f"\tset c0 {{ type ipv4_addr . inet_service; elements = {{ 10.0.0.1 . {port()}, 10.0.0.2 . {port()} comment \"x\" }} }}")
        NAMED.append("c0")
    if R.random() < 0.4:
        out.append(f"\tset t0 {{ typeof tcp dport; elements = {{ {port()}, {port()} }} }}")
        NAMED.append("t0")
    if R.random() < 0.3:
        pairs = sorted({f"{R.choice(PROTOS)} . {port()}" for _ in range(R.randint(1, 4))})
        out.append(f"\tset pc {{ type inet_proto . inet_service; elements = {{ {', '.join(pairs)} }} }}")
        NAMED.append("pc")
    if R.random() < 0.3:
        trios = sorted({f"{R.choice(PROTOS)} . {port()} . {port()}" for _ in range(R.randint(1, 4))})
        out.append(f"\tset pc2 {{ typeof meta l4proto . th sport . th dport; elements = {{ {', '.join(trios)} }} }}")
        NAMED.append("pc2")
    sets = []
    plain = {}	# the elements of each set with no interval flag
    for i in range(R.randint(0, 2)):
        name = f"s{i}"
        interval = R.random() < 0.5
        elems = set()
        for _ in range(R.randint(1, 4)):
            elems.add(rng() if interval and R.random() < 0.5 else str(port()))
        flags = "; flags interval" if interval else ""
        # interval sets: avoid overlaps by letting nft merge (auto-merge)
        am = "; auto-merge" if interval else ""
        out.append(f"\tset {name} {{ type inet_service{flags}{am}; elements = {{ {', '.join(sorted(elems))} }} }}")
        sets.append(name)
        if not interval:
            plain[name] = elems
    chains = ["sub"]
    CH[:] = []
    out.append("\tchain sub {")
    for _ in range(R.randint(0, 3)): out.append("\t\t" + rule(fam, sets, []))
    out.append("\t}")
    CH.append("sub")
    out.append("\tchain input {\n\t\ttype filter hook input priority 0; policy accept;")
    for _ in range(R.randint(1, 8)): out.append("\t\t" + rule(fam, sets, chains))
    out.append("\t}")
    if fam in ("ip", "inet") and R.random() < 0.5:
        out.append("\tchain pre {\n\t\ttype nat hook prerouting priority dstnat; policy accept;")
        for _ in range(R.randint(1, 3)):
            p = R.choice(["tcp", "udp"])
            k = R.randint(0, 3)
            if k == 0: out.append(f"\t\t{p} dport {val(interval=False)} dnat ip to 10.0.0.{R.randint(1,9)}:{port()}")
            elif k == 1: out.append(f"\t\t{p} dport {port()} redirect to :{port()}")
            elif k == 2: out.append(f"\t\t{p} dport {port()} dnat ip to 10.0.0.2:{rng()}")
            else: out.append(R.choice([f"\t\t{p} dport {port()} dnat ip to 10.0.0.3", f"\t\tmeta l4proto {p} dnat ip to {p} dport map {{ {port()} : 10.0.0.1, {port()} : 10.0.0.2 }}", f"\t\tdnat ip to {p} dport map {{ {port()} : 10.0.0.1 . {port()} }}"]))
        out.append("\t}")
        if R.random() < 0.5:
            out.append("\tchain post {\n\t\ttype nat hook postrouting priority srcnat; policy accept;")
            p = R.choice(["tcp", "udp"])
            out.append(f"\t\tmeta l4proto {p} masquerade to :{rng()}")
            out.append(f"\t\t{p} sport {port()} snat ip to 10.9.9.9:{port()}")
            out.append("\t}")
    out.append("}")
    for _ in range(R.randint(0, 3)):
        verb = R.choice(["add", "insert"])
        out.append(f"{verb} rule {fam} t input " + rule(fam, sets, chains))
    if R.random() < 0.2:
        out.append(f"add element {fam} t s0 {{ {port()} }}" if sets else f"add rule {fam} t sub accept")
    # Element commands on sets with no interval flag (nft 1.0.6 applies no
    # delete to an interval set's "elements = { }" in the same run): an
    # element added again is still one; no flush after a delete from the
    # same set (this kernel refuses that batch).
    for name, cur in plain.items():
        if R.random() < 0.4:
            deleted = False
            for _ in range(R.randint(1, 4)):
                c = R.randint(0, 2)
                if c == 0:
                    e = R.choice(sorted(cur)) if cur and R.random() < 0.5 else str(port())
                    out.append(f"add element {fam} t {name} {{ {e} }}")
                    cur.add(e)
                elif c == 1 and cur:
                    e = R.choice(sorted(cur))
                    if R.random() < 0.1:
                        # one it does not have: nft refuses the file
                        e = str(max(int(x) for x in cur) % 65535 + 1)
                    out.append(f"delete element {fam} t {name} {{ {e} }}")
                    cur.discard(e)
                    deleted = True
                elif c == 2 and not deleted:
                    out.append(f"flush set {fam} t {name}")
                    cur.clear()
    return "\n".join(out) + "\n"
sys.stdout.write(ruleset())
