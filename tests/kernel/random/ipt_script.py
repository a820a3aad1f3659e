#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# The commands of an iptables-restore input (random_ipt.py's) as a shell
# script calling iptables, written the ways scripts write them, the same
# for the same seed: the program by path or through a variable, words in
# single or double quotes, numbers through shell variables, "-t filter" left
# out or not, lines continued with a backslash.  portolan must read it as
# it reads the input.  The script is only ever read, never run.
# usage: ipt_script.py DUMP SEED
import random
import shlex
import sys

R = random.Random(int(sys.argv[2]))
out = ["#!/bin/sh", "set -e"]
prog = R.choice(["iptables", "/sbin/iptables", "$IPT", "${IPT}", "iptables-nft"])
if "IPT" in prog:
    out.append(R.choice(["IPT=/usr/sbin/iptables", "IPT=iptables", 'IPT="/sbin/iptables"']))
nvar = 0

def word(w):
    """W as sh would be given it: plain, quoted, or a variable's value."""
    global nvar
    k = R.random()
    if k < 0.1 and w.isdigit():
        nvar += 1
        out.append(f"P{nvar}={w}")
        return R.choice([f"$P{nvar}", f'"$P{nvar}"', f"${{P{nvar}}}"])
    if k < 0.2 and "'" not in w:
        return "'" + w + "'"
    if k < 0.3 and not any(c in w for c in '"$`\\'):
        return '"' + w + '"'
    return shlex.quote(w)

def value(w):
    """A port range "a:b" may be written with a variable on either side."""
    parts = w.split(":", 1)
    if len(parts) == 2 and all(p == "" or p.isdigit() for p in parts) and R.random() < 0.2:
        return (word(parts[0]) if parts[0] else "") + ":" + (word(parts[1]) if parts[1] else "")
    return word(w)

table = None
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if line.startswith("*"):
        table = line[1:]
    elif line.startswith(":"):
        name, policy = line[1:].split()[:2]
        verb = f"-N {name}" if policy == "-" else f"-P {name} {policy}"
        out.append(f"{prog} -t {table} {verb}")
    elif line == "COMMIT":
        table = None
    elif line.startswith("-"):
        parts = [value(w) for w in shlex.split(line)]
        t = [] if table == "filter" and R.random() < 0.5 else ["-t", table]
        if R.random() < 0.2 and len(parts) > 4:
            i = R.randint(2, len(parts) - 1)
            out.append(" ".join([prog] + t + parts[:i]) + " \\\n    " + " ".join(parts[i:]))
        else:
            out.append(" ".join([prog] + t + parts))
print("\n".join(out))
