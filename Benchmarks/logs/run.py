#!/usr/bin/env python3
"""Measures, in one run on one generated file, `why403 logs`, `rg -c ' 403 '` and GoAccess.

Usage: Benchmarks/logs/run.py [--size-mib 1024] [--reps 3] [--fast-reps 5] [--log PATH]
Environment: WHY403 = the why403 binary (default .build-release/release/why403).
The log (about 1 GiB, a few percent 403s) is generated under /tmp unless --log is given, and is
read once before timing so every tool starts from the page cache. Each of the --reps rounds runs
why403 and ripgrep alternately --fast-reps times each, then GoAccess once (it takes minutes), so the
two fast tools are compared over many interleaved runs under the same load. Prints each run, the
medians, and the ratios: why403 / ripgrep (goal <= 2) and GoAccess / why403 (goal >= 5), with each pair's ratio.
After each GoAccess run, one untimed pair warms both fast tools again (printed as "cold", kept out of the medians).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
ap = argparse.ArgumentParser()
ap.add_argument("--size-mib", type=int, default=1024)
ap.add_argument("--reps", type=int, default=3)
ap.add_argument("--fast-reps", type=int, default=5)
ap.add_argument("--log", default=None)
args = ap.parse_args()

why403 = os.environ.get("WHY403", os.path.join(root, ".build-release/release/why403"))
for tool in [why403, shutil.which("rg"), shutil.which("goaccess")]:
    if not tool or not os.path.exists(tool):
        sys.exit("missing tool: %s (WHY403=path for why403; apt-get install ripgrep goaccess)" % tool)

log = args.log or "/tmp/why403-bench-access-%d.log" % args.size_mib
if not os.path.exists(log) or os.path.getsize(log) < args.size_mib * 1024 * 1024:
    subprocess.run([sys.executable, os.path.join(here, "generate.py"), log, str(args.size_mib)], check=True)
size = os.path.getsize(log)
with open(log, "rb") as f:  # warm the page cache
    while f.read(1 << 24):
        pass

commands = {
    "why403": [why403, "logs", log, "--format", "json"],
    "ripgrep": ["rg", "-c", " 403 ", log],
    "goaccess": ["goaccess", log, "--log-format=COMBINED", "--no-global-config", "-o", "/tmp/why403-bench-goaccess.json"],
}
times = {k: [] for k in commands}
cpu = {k: [] for k in commands}
rss = {k: 0 for k in commands}
outputs = {}


def run(cmd):
    """Runs cmd; returns (wall seconds, user+sys seconds, max RSS KiB, stdout)."""
    out_path = "/tmp/why403-bench-stdout"
    with open(out_path, "wb") as out, open(os.devnull, "wb") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("%s failed with status %d" % (cmd[0], os.waitstatus_to_exitcode(status)))
    with open(out_path, "rb") as f:
        return dt, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, f.read()


def order(rep):
    """why403 and ripgrep alternately, then GoAccess."""
    return [n for _ in range(args.fast_reps) for n in ("why403", "ripgrep")] + ["goaccess"]


# After GoAccess's minute or more, neither fast tool is warm: this host's memory manager (DAMON) reclaims pages idle that
# long, the log's and the binaries' (session 29: after 80 s idle, 22 of why403's 70 resident MiB and 130 MiB of the log
# were gone; its next run took 0.19-0.22 s against 0.09-0.10 s). The issue asks for both tools warm, so after each
# GoAccess run one pair runs untimed for the medians; its times are printed apart ("cold") rather than dropped.
cold = {"why403": [], "ripgrep": []}
for rep in range(args.reps):
    if rep > 0:
        for name in ("why403", "ripgrep"):
            dt, c, m, _ = run(commands[name])
            cold[name].append(dt)
            print("rep %d %-8s %7.3f s wall  %7.3f s cpu  %7d KiB max RSS  (cold: first after GoAccess, not in the medians)"
                  % (rep + 1, name, dt, c, m), flush=True)
    for name in order(rep):
        cmd = commands[name]
        dt, c, m, out = run(cmd)
        outputs[name] = out
        times[name].append(dt)
        cpu[name].append(c)
        rss[name] = max(rss[name], m)
        print("rep %d %-8s %7.3f s wall  %7.3f s cpu  %7d KiB max RSS" % (rep + 1, name, dt, c, m), flush=True)

med = {k: statistics.median(v) for k, v in times.items()}
medcpu = {k: statistics.median(v) for k, v in cpu.items()}
print()
print("runs: why403 %d, ripgrep %d, goaccess %d" % (len(times["why403"]), len(times["ripgrep"]), len(times["goaccess"])))
print("file: %s, %.2f GiB, load average at the end: %s" % (log, size / (1 << 30), open("/proc/loadavg").read().split()[:3]))
# The page cache's folio sizes change both tools' times (ripgrep's most: with the file in 2 MiB folios it
# maps it with almost no page faults): say which state this run saw.
huge = [l.split()[1] for l in open("/proc/meminfo") if l.startswith("FileHugePages:")]
if huge:
    print("page cache in 2 MiB folios (FileHugePages, all files): %d MiB" % (int(huge[0]) // 1024))
for k, v in med.items():
    print("median %-8s %7.3f s wall (%6.0f MiB/s)  %7.3f s cpu  max RSS %d MiB"
          % (k, v, size / (1 << 20) / v, medcpu[k], rss[k] // 1024))
import json
rep = json.loads(outputs["why403"])
print("why403 counted %d 403s in %d lines; rg counted %s lines with ' 403 '"
      % (rep["subject"]["denials"], rep["subject"]["lines_read"], outputs["ripgrep"].decode().strip()))
print("ratio why403/ripgrep  = %.2f wall, %.2f cpu  (goal <= 2)" % (med["why403"] / med["ripgrep"], medcpu["why403"] / medcpu["ripgrep"]))
# Each timed why403 run against the ripgrep run right after it: the goal is every run, not only the median.
pairs = [w / r for w, r in zip(times["why403"], times["ripgrep"])]
print("per pair why403/ripgrep: best %.2f, worst %.2f, above 2.0 in %d of %d pairs"
      % (min(pairs), max(pairs), sum(1 for x in pairs if x > 2.0), len(pairs)))
if cold["why403"]:
    print("cold pairs (first after GoAccess): " + ", ".join("%.3f / %.3f s = %.2f" % (w, r, w / r) for w, r in zip(cold["why403"], cold["ripgrep"])))
print("ratio goaccess/why403 = %.2f wall, %.2f cpu  (goal >= 5)" % (med["goaccess"] / med["why403"], medcpu["goaccess"] / medcpu["why403"]))
