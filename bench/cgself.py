#!/usr/bin/env python3
"""Per-function self cost a call between two callgrind runs (issue 21), JIT code named.

usage: bench/cgself.py CG_A CG_B CALLS [TOP]
  CG_A, CG_B: callgrind.out files of `node --perf-basic-prof --single-threaded
  dist/bench/instructions.js day N` for two values of N (bench/callgrind.sh with PERFMAP=1 makes
  them); CALLS: the difference of their calls. Prints each function's self cost (every event
  the files hold: Ir, and with --cache-sim / --branch-sim the misses) of B minus A, per call,
  largest Ir first. V8's compiled functions are named through /tmp/perf-<pid>.map, the map
  --perf-basic-prof writes (pid from the file's `pid:` line); a function V8 compiled twice
  shows once, summed.
"""
import bisect
import collections
import re
import sys


def load(path):
    pid, events, names, skip, cur = None, None, {}, False, None
    totals = collections.defaultdict(list)
    for line in open(path, errors='replace'):
        if line.startswith('pid:'):
            pid = int(line.split()[1])
        elif line.startswith('events:'):
            events = line.split()[1:]
        elif line.startswith(('fn=', 'cfn=')):
            m = re.match(r'c?fn=\((\d+)\)(?: (.*))?', line.rstrip('\n'))
            if m.group(2) is not None:
                names[m.group(1)] = m.group(2)
            if line.startswith('fn='):
                cur, skip = names[m.group(1)], False
        elif line.startswith('calls='):
            skip = True  # the next cost line is the call's inclusive cost, not self
        elif line[:1].isdigit() or line[:1] in '+-*':
            if skip:
                skip = False
                continue
            vals = [int(x) for x in line.split()[1:]]
            t = totals[cur]
            t.extend([0] * (len(vals) - len(t)))
            for k, v in enumerate(vals):
                t[k] += v
    return pid, events, totals


def jit_names(pid):
    try:
        rows = sorted((int(a, 16), int(s, 16), n.strip())
                      for a, s, n in (l.split(' ', 2) for l in open(f'/tmp/perf-{pid}.map')))
    except FileNotFoundError:
        return lambda addr: None
    starts = [r[0] for r in rows]

    def name(addr):
        i = bisect.bisect_right(starts, addr) - 1
        return rows[i][2] if i >= 0 and addr < rows[i][0] + rows[i][1] else None
    return name


def by_function(path):
    pid, events, totals = load(path)
    name = jit_names(pid)
    out = collections.defaultdict(lambda: [0] * len(events))
    for fn, v in totals.items():
        m = re.match(r'0x([0-9a-f]+)', fn or '')
        n = (name(int(m.group(1), 16)) or 'JIT?') if m else (fn or '?')
        n = re.sub(r'^(JS:)?[~*^+]?', '', n)
        for k, x in enumerate(v):
            out[n][k] += x
    return events, out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    _, a = by_function(sys.argv[1])
    events, b = by_function(sys.argv[2])
    calls = float(sys.argv[3])
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    zero = [0] * len(events)
    rows = sorted(((k, [(b.get(k, zero)[i] - a.get(k, zero)[i]) / calls for i in range(len(events))])
                   for k in set(a) | set(b)), key=lambda r: -r[1][0])
    print('  '.join(f'{e:>8}' for e in events), ' function')
    print('  '.join(f'{sum(r[1][i] for r in rows):8.1f}' for i in range(len(events))), ' TOTAL')
    for k, v in rows[:top]:
        print('  '.join(f'{x:8.1f}' for x in v), ' ', k[:110])


main()
