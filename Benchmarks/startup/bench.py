#!/usr/bin/env python3
"""Start-up time of why403: the static release binary against a dynamically linked one.

  bench.py relink OUT            link the release objects of .build-release again, against the toolchain's
                                 shared libraries (no -static-stdlib), into OUT
  bench.py time STATIC DYNAMIC [--rounds N]
                                 time both binaries on the same commands, interleaved, and print ratios

Why relink: the dynamic build of the same code would be a second full release build (SwiftPM compiles
with -static-stdlib too, so the folder cannot be shared: about 20 minutes on 2 cores). The objects are
the same; only the link differs. The objects name a few static-only archives (CoreFoundation,
_FoundationCShims, _FoundationCollections: in the shared toolchain they are part of libFoundation*.so);
empty archives stand in for them.
"""
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def relink(out):
    scratch = os.environ.get("WHY403_SCRATCH", os.path.join(ROOT, ".build-release"))
    manifest = os.path.join(scratch, "release.yaml")
    if not os.path.exists(manifest):
        sys.exit(f"bench.py: no {manifest}: run scripts/release.sh first")
    lines = open(manifest).read().splitlines()
    args = None
    for i, line in enumerate(lines):
        s = line.strip()
        if s.startswith('description: "Linking ') and s.endswith('/release/why403"'):
            for nxt in lines[i + 1:i + 4]:
                if nxt.strip().startswith("args: "):
                    args = json.loads(nxt.strip()[len("args: "):])
            break
    if not args:
        sys.exit(f"bench.py: no link command for why403 in {manifest}")
    if "-static-stdlib" not in args:
        sys.exit("bench.py: the release build was not linked with -static-stdlib (not scripts/release.sh's)")
    args = [a for a in args if a != "-static-stdlib"]
    args[args.index("-o") + 1] = out
    # Archives the static objects name that the shared toolchain does not have as .so.
    usr = os.path.dirname(os.path.dirname(os.path.realpath(args[0])))
    static_dir = os.path.join(usr, "lib", "swift_static", "linux")
    shared_dir = os.path.join(usr, "lib", "swift", "linux")
    stubs = tempfile.mkdtemp(prefix="why403-stubs-")
    for name in sorted(os.listdir(static_dir)):
        if name.startswith("lib") and name.endswith(".a"):
            if not os.path.exists(os.path.join(shared_dir, name[:-2] + ".so")):
                subprocess.run(["ar", "rc", os.path.join(stubs, name)], check=True)
    args += ["-L", stubs]
    print("bench.py:", shlex.join(args), file=sys.stderr)
    subprocess.run(args, check=True)


def commands():
    fixture = os.path.join(ROOT, "Tests/Fixtures/audit/nginx.allow-after-deny-all/allow-after-deny.hit.conf")
    return [
        ("--version", ["--version"]),
        ("nginx (white box)", ["nginx", "http://localhost:8080/admin/", "--config", fixture, "--client-ip", "10.1.2.3"]),
    ]


def run_once(argv):
    start = time.perf_counter_ns()
    result = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter_ns() - start
    if result.returncode != 0:
        sys.exit(f"bench.py: {shlex.join(argv)} exited {result.returncode}: {result.stderr.decode()[:500]}")
    return elapsed / 1e6


def summary(samples):
    qs = statistics.quantiles(samples, n=10)
    return statistics.median(samples), statistics.mean(samples), qs[0], qs[-1]


def instructions(argv):
    """Instructions executed (callgrind, dynamic loader included): the same whatever else the machine does."""
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in result.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1])
    return None  # valgrind failed (3.19 crashes on Dispatch's sigsuspend in some runs)


def time_both(static, dynamic, rounds):
    binaries = [("static", static), ("dynamic", dynamic)]
    for label, path in binaries:
        print(f"{label:8} {path}  {os.path.getsize(path) / 1e6:.1f} MB")
    print(f"{rounds} rounds; each round runs every command on both binaries, the order alternating (ABBA)")
    results = {}
    for name, args in commands():
        for _ in range(5):  # warm-up: page cache, dynamic loader cache
            for _, path in binaries:
                run_once([path] + args)
        times = {label: [] for label, _ in binaries}
        for r in range(rounds):
            order = binaries if r % 2 == 0 else binaries[::-1]
            for label, path in order:
                times[label].append(run_once([path] + args))
        results[name] = times
    print()
    print(f"{'command':20} {'build':8} {'median':>9} {'mean':>9} {'p10':>9} {'p90':>9}")
    for name, times in results.items():
        for label, _ in binaries:
            med, mean, p10, p90 = summary(times[label])
            print(f"{name:20} {label:8} {med:8.2f}ms {mean:8.2f}ms {p10:8.2f}ms {p90:8.2f}ms")
    print()
    for name, times in results.items():
        ratio = statistics.median(times["dynamic"]) / statistics.median(times["static"])
        verdict = "static is faster" if ratio > 1 else "static is SLOWER"
        print(f"ratio {name}: dynamic/static = {ratio:.2f}x (median)  {verdict}")
    if shutil.which("valgrind"):
        print()
        print("instructions executed, one run each (valgrind --tool=callgrind; independent of the machine's load)")
        for name, args in commands():
            counts = {label: instructions([path] + args) for label, path in binaries}
            if None in counts.values():
                failed = ", ".join(label for label, n in counts.items() if n is None)
                print(f"{name:20} not measured: valgrind failed on the {failed} binary")
                continue
            print(f"{name:20} static {counts['static'] / 1e6:8.1f} M  dynamic {counts['dynamic'] / 1e6:8.1f} M  "
                  f"dynamic/static = {counts['dynamic'] / counts['static']:.2f}x")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "relink":
        relink(os.path.abspath(sys.argv[2]))
    elif len(sys.argv) >= 4 and sys.argv[1] == "time":
        rounds = 100
        if len(sys.argv) == 6 and sys.argv[4] == "--rounds" and sys.argv[5].isdigit() and int(sys.argv[5]) >= 2:
            rounds = int(sys.argv[5])
        elif len(sys.argv) != 4:
            sys.exit(__doc__)
        for path in sys.argv[2:4]:
            if not os.access(path, os.X_OK):
                sys.exit(f"bench.py: {path} is not an executable")
        time_both(sys.argv[2], sys.argv[3], rounds)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
