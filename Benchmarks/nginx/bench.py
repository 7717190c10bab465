#!/usr/bin/env python3
"""why403 nginx vs `nginx -t` vs `crossplane parse` on a generated configuration of 5,000 server
blocks across 50 included files. Each tool runs REPS times in this one run; the median is reported
with the ratios. Usage:

    WHY403=.build-release/release/why403 python3 Benchmarks/nginx/bench.py [--servers 5000] [--reps 7]

Run as root (nginx -t opens its pid/log paths); only the temporary directory is written.
"""
import argparse, os, resource, shutil, statistics, subprocess, sys, tempfile, time

def generate(root, servers, files):
    os.makedirs(os.path.join(root, "sites"), exist_ok=True)
    per = (servers + files - 1) // files
    with open(os.path.join(root, "nginx.conf"), "w") as f:
        f.write(f"""user www-data;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 64; }}
http {{
    server_names_hash_max_size 16384;
    server_names_hash_bucket_size 128;
    access_log off;
    map $http_user_agent $bad_agent {{ default 0; "~*(badbot|scanner)" 1; }}
    include sites/*.conf;
}}
""")
    n = 0
    for i in range(files):
        with open(os.path.join(root, "sites", f"site-{i:03d}.conf"), "w") as f:
            for _ in range(per):
                if n >= servers:
                    break
                f.write(f"""server {{
    listen 80;
    server_name host{n}.bench.test www.host{n}.bench.test;
    root /srv/bench/{n};
    index index.html;
    location / {{ try_files $uri $uri/ =404; }}
    location /admin/ {{ allow 10.0.0.0/8; deny all; }}
    location ~* \\.(png|jpg)$ {{ valid_referers none blocked server_names; if ($invalid_referer) {{ return 403; }} }}
    if ($bad_agent) {{ return 403; }}
}}
""")
                n += 1

def timed(cmd, env=None):
    """Wall time, and CPU time (user + system of the child): the CPU time is what a busy machine
    does not distort."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    r.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, r

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--servers", type=int, default=5000)
    ap.add_argument("--files", type=int, default=50)
    ap.add_argument("--reps", type=int, default=7)
    a = ap.parse_args()
    why403 = os.environ.get("WHY403", ".build-release/release/why403")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    crossplane = shutil.which("crossplane")
    for tool, path in [("why403", why403), ("nginx", nginx), ("crossplane", crossplane)]:
        if not path or not os.path.exists(path):
            sys.exit(f"{tool} not found ({path}); set WHY403=/path/to/why403")
    root = tempfile.mkdtemp(prefix="why403-bench-nginx-")
    try:
        generate(root, a.servers, a.files)
        conf = os.path.join(root, "nginx.conf")
        last = a.servers - 1
        cmds = {
            "why403 nginx (parse + resolve one request)": [why403, "nginx", f"http://host{last}.bench.test/admin/", "--config", conf,
                                                           "--client-ip", "203.0.113.9", "--format", "json"],
            "nginx -t": [nginx, "-t", "-q", "-p", root + "/", "-c", conf, "-e", os.path.join(root, "startup.log")],
            "crossplane parse": [crossplane, "parse", conf],
        }
        # Correctness of the timed run: why403 must give the access.ip verdict.
        _, r = timed(cmds["why403 nginx (parse + resolve one request)"])
        if b'"access.ip"' not in r.stdout:
            sys.exit("why403 did not resolve the request: " + r.stdout.decode()[:500] + r.stderr.decode()[:500])
        _, r = timed(cmds["nginx -t"])
        if r.returncode != 0:
            sys.exit("nginx -t failed: " + r.stderr.decode()[:500])
        times = {k: [] for k in cmds}
        cpu = {k: [] for k in cmds}
        for _ in range(a.reps):
            for k, c in cmds.items():  # interleaved, so drift hits every tool alike
                t, r = timed(c)
                times[k].append(t)
                cpu[k].append(r.cpu)
        med = {k: statistics.median(v) for k, v in times.items()}
        mcpu = {k: statistics.median(v) for k, v in cpu.items()}
        w = "why403 nginx (parse + resolve one request)"
        print(f"configuration: {a.servers} server blocks in {a.files} included files, {a.reps} repetitions, medians")
        print(f"why403: {why403}; load average now: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        for k in cmds:
            print(f"  {k:45s} wall {med[k]*1000:8.1f} ms (min {min(times[k])*1000:.1f})   cpu {mcpu[k]*1000:8.1f} ms")
        print(f"ratio nginx -t / why403          wall {med['nginx -t'] / med[w]:6.2f}x   cpu {mcpu['nginx -t'] / mcpu[w]:6.2f}x  (goal >= 1)")
        print(f"ratio crossplane parse / why403  wall {med['crossplane parse'] / med[w]:6.2f}x   cpu {mcpu['crossplane parse'] / mcpu[w]:6.2f}x  (goal >= 10)")
    finally:
        shutil.rmtree(root, ignore_errors=True)

if __name__ == "__main__":
    main()
