#!/usr/bin/env python3
"""Interleaved A/B of shell commands: each round runs every command once, in order, and the medians are printed.

Usage: Benchmarks/logs/ab.py ROUNDS "label=command" ... [--busy N] [--warm FILE ...]

For each label: the median wall time, the mean of the faster half of the runs (what a quiet machine gives), the
median CPU time (user+sys of the command and its children) and the median max RSS. Put the peer in the same run
(`"rg=rg -c ' 403 ' LOG"`) and compare ratios, never times across runs: this project's machines are noisy, and the
two tools drift together within a run.

--warm FILE ...: first drop the page cache (root only; `echo 1 > /proc/sys/vm/drop_caches`) and read each FILE once,
the state the logs benchmarks are measured in. Do it too after copying or building a binary under test: a freshly
written binary is mapped from large page-cache folios, about 2.5 MiB more max RSS and a different time until the
cache is dropped (session 19), so two builds compare fairly only after a drop.

--busy N: keep N cores busy (a pure-Python loop each, at normal priority) while the rounds run: the state of a machine
with a noisy neighbour. why403 reads a log with two threads and ripgrep with one, so on a 2-core machine `--busy 1`
measures what the work costs, not how well it overlaps (session 27: 1.6x quiet, 3.1x with one core busy).
"""
import os
import statistics
import subprocess
import sys
import time

args = sys.argv[1:]
warm = []
busy = 0
if "--busy" in args:
    i = args.index("--busy")
    busy = int(args[i + 1])
    args = args[:i] + args[i + 2:]
if "--warm" in args:
    i = args.index("--warm")
    warm, args = args[i + 1:], args[:i]
if len(args) < 2 or not args[0].isdigit() or any("=" not in a for a in args[1:]):
    sys.exit(__doc__)
rounds = int(args[0])
cmds = [a.split("=", 1) for a in args[1:]]
if warm:
    subprocess.run("sync; echo 1 > /proc/sys/vm/drop_caches", shell=True, check=True)
    for f in warm:
        with open(f, "rb") as fh:
            while fh.read(1 << 24):
                pass
    huge = [l.split()[1] for l in open("/proc/meminfo") if l.startswith("FileHugePages:")]
    if huge:
        print("page cache in 2 MiB folios (FileHugePages): %d MiB" % (int(huge[0]) // 1024))
runs = {label: [] for label, _ in cmds}
hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
if hogs:
    time.sleep(0.5)
    print("%d core(s) kept busy during the rounds" % busy)
try:
    for _ in range(rounds):
        for label, cmd in cmds:
            with open(os.devnull, "wb") as null:
                t0 = time.perf_counter()
                p = subprocess.Popen(cmd, shell=True, stdout=null, stderr=null)
                _, status, ru = os.wait4(p.pid, 0)
                dt = time.perf_counter() - t0
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit("%s: %s failed with status %d" % (label, cmd, os.waitstatus_to_exitcode(status)))
            runs[label].append((dt, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024))
finally:
    for h in hogs:
        h.kill()
        h.wait()
for label, _ in cmds:
    wall = sorted(r[0] for r in runs[label])
    faster = statistics.mean(wall[:max(1, len(wall) // 2)])
    print("%-12s wall %.4f faster-half %.4f cpu %.4f (min %.4f) max RSS %.1f MiB"
          % (label, statistics.median(wall), faster, statistics.median(r[1] for r in runs[label]), wall[0],
             statistics.median(r[2] for r in runs[label])))
