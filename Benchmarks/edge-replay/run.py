#!/usr/bin/env python3
"""Rules compiled once, many requests: `why403 aws-waf --replay` and `why403 cloudflare --replay` with RULES
rules over REQUESTS requests of an access log (issue 12's goal: at least 100,000 rule evaluations per
second per core, rules compiled once). No tool evaluates these rules offline, so the peer measured in the
same run is the floor of reading the same log: `rg -c` over it, and why403's own replay with one rule.

Usage: WHY403=path/to/release/why403 python3 Benchmarks/edge-replay/run.py [--rules 1000] [--requests 100000]
"""
import argparse, base64, json, os, random, statistics, subprocess, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--rules", type=int, default=1000)
ap.add_argument("--requests", type=int, default=100000)
ap.add_argument("--reps", type=int, default=3)
a = ap.parse_args()
w = os.environ.get("WHY403", ".build/release/why403")
d = tempfile.mkdtemp(prefix="why403-edge-bench-")
rnd = random.Random(7)

def acl(n):
    rules = []
    for i in range(n):
        # None of these match the generated traffic, so every request meets every rule.
        if i % 3 == 0:
            st = {"ByteMatchStatement": {"SearchString": base64.b64encode(f"/blocked-{i}/".encode()).decode(),
                  "FieldToMatch": {"UriPath": {}}, "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}],
                  "PositionalConstraint": "STARTS_WITH"}}
        elif i % 3 == 1:
            st = {"ByteMatchStatement": {"SearchString": base64.b64encode(f"badbot-{i}".encode()).decode(),
                  "FieldToMatch": {"SingleHeader": {"Name": "user-agent"}}, "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
                  "PositionalConstraint": "CONTAINS"}}
        else:
            st = {"RegexMatchStatement": {"RegexString": f"^/api/v{i}/admin", "FieldToMatch": {"UriPath": {}},
                  "TextTransformations": [{"Priority": 0, "Type": "URL_DECODE"}]}}
        rules.append({"Name": f"rule-{i}", "Priority": i, "Statement": st, "Action": {"Block": {}},
                      "VisibilityConfig": {"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False, "MetricName": f"r{i}"}})
    return {"WebACL": {"Name": "bench", "Id": "1", "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/bench/1",
                       "DefaultAction": {"Allow": {}}, "Rules": rules,
                       "VisibilityConfig": {"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False, "MetricName": "bench"}}}

def ruleset(n):
    rules = []
    for i in range(n):
        if i % 3 == 0: e = f'starts_with(http.request.uri.path, "/blocked-{i}/")'
        elif i % 3 == 1: e = f'http.user_agent contains "badbot-{i}"'
        else: e = f'http.request.uri.path matches "^/api/v{i}/admin"'
        rules.append({"id": f"r{i}", "ref": f"rule-{i}", "action": "block", "expression": e, "enabled": True})
    return {"result": {"id": "bench", "name": "bench", "kind": "zone", "phase": "http_request_firewall_custom", "rules": rules}}

json.dump(acl(a.rules), open(f"{d}/acl.json", "w"))
json.dump(acl(1), open(f"{d}/acl1.json", "w"))
json.dump(ruleset(a.rules), open(f"{d}/cf.json", "w"))
json.dump(ruleset(1), open(f"{d}/cf1.json", "w"))
paths = ["/", "/products", "/api/v1/items", "/search", "/static/app.js", "/account", "/cart", "/blog/post-1"]
with open(f"{d}/access.log", "w") as f:
    for i in range(a.requests):
        p = rnd.choice(paths) + f"?page={rnd.randrange(100)}"
        f.write(f'203.0.113.{i % 250} - - [02/Dec/2026:13:00:00 +0000] "GET {p} HTTP/1.1" 200 1 "-" "Mozilla/5.0 (X11; Linux x86_64)"\n')

def timed(cmd):
    t0 = time.perf_counter(); r = subprocess.run(cmd, capture_output=True, text=True); dt = time.perf_counter() - t0
    if r.returncode != 0: raise SystemExit(f"{cmd[:3]} failed: {r.stderr[:500]}")
    return dt, r.stdout

runs = {"aws": [], "aws1": [], "cf": [], "cf1": [], "rg": []}
for _ in range(a.reps):
    runs["aws"].append(timed([w, "aws-waf", "https://shop.example/", "--web-acl", f"{d}/acl.json", "--replay", f"{d}/access.log", "--format", "json"])[0])
    runs["aws1"].append(timed([w, "aws-waf", "https://shop.example/", "--web-acl", f"{d}/acl1.json", "--replay", f"{d}/access.log", "--format", "json"])[0])
    runs["cf"].append(timed([w, "cloudflare", "https://shop.example/", "--rules", f"{d}/cf.json", "--replay", f"{d}/access.log", "--format", "json"])[0])
    runs["cf1"].append(timed([w, "cloudflare", "https://shop.example/", "--rules", f"{d}/cf1.json", "--replay", f"{d}/access.log", "--format", "json"])[0])
    runs["rg"].append(timed(["rg", "-c", " 200 ", f"{d}/access.log"])[0])
m = {k: statistics.median(v) for k, v in runs.items()}
ev = a.rules * a.requests
print(f"{a.rules} rules x {a.requests} requests (median of {a.reps} interleaved runs)")
for name, key in [("aws-waf", "aws"), ("cloudflare", "cf")]:
    rules_time = max(m[key] - m[key + "1"], 1e-9)
    print(f"why403 {name} --replay: {m[key]:.2f} s; with 1 rule {m[key + '1']:.2f} s (reading and reporting); "
          f"rule evaluations: {ev / m[key]:,.0f}/s overall, {ev / rules_time:,.0f}/s counting only the rules' share")
print(f"rg -c over the same log: {m['rg']:.3f} s")
