#!/usr/bin/env python3
"""The edge's logs at size: `why403 logs` on an ALB access log, a Cloudflare Logpush NDJSON file and (with
`--formats cloudfront`) a CloudFront standard (W3C) log, about 1 GiB each, against the peers measured in the
same run, interleaved:

  - `rg -c` for the format's denial marker (ALB: ' 403 ' in the status fields; Cloudflare:
    '"EdgeResponseStatus":403'; CloudFront: '\t403\t'): the floor of finding the refused lines;
  - for the grouping by cause and rule: `jq` (Cloudflare, one process: select the 403s, then group_by
    over the selection, with `--stream`-free `-n` reading so memory holds only the 403s) and DuckDB
    (the `duckdb` Python package; all cores): over the Cloudflare file it runs why403's own
    `--emit-sql duckdb --input-format cloudflare` query on a view of `read_json`; over the ALB file a
    GROUP BY of status and `actions_executed` on `read_csv` (the Athena layout splits fields DuckDB's CSV
    reader cannot, so why403's ALB query is not used there); over the CloudFront file a GROUP BY of status and
    `x-edge-detailed-result-type` on `read_csv` (tab-separated, the two header lines skipped).

Usage: WHY403=path/to/release/why403 python3 Benchmarks/logs/edge.py [--size-mib 1024] [--reps 3] [--fast-reps 5]
Each of the --reps rounds runs why403 and rg alternately --fast-reps times each, then DuckDB once (and jq once,
in the first round), as run.py does: the two fast tools are compared over many interleaved runs under the same
load, none of them right after DuckDB's all-core run. (Until 2026-12-06 each round ran every tool once: a median
of three runs each, the first why403 run right after the previous format's DuckDB and jq.)
Prints each run, medians (wall, CPU, max RSS) and the ratios to rg and to the grouping peers; checks that
the counts agree (why403's denials = rg's lines = DuckDB's sum).
"""
import argparse, json, os, random, shutil, statistics, subprocess, sys, time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
ap = argparse.ArgumentParser()
ap.add_argument("--size-mib", type=int, default=1024)
ap.add_argument("--reps", type=int, default=3)
ap.add_argument("--fast-reps", type=int, default=5)
ap.add_argument("--formats", default="alb,cloudflare")
args = ap.parse_args()
why403 = os.environ.get("WHY403", os.path.join(root, ".build-release/release/why403"))
for tool in [why403, shutil.which("rg"), shutil.which("jq")]:
    if not tool or not os.path.exists(tool):
        sys.exit("missing tool: %s (WHY403=path for why403; apt-get install ripgrep jq)" % tool)
# Checked in a child: imported here, DuckDB would swell this process, and a child's max RSS starts
# from its parent's size at fork.
if subprocess.run([sys.executable, "-c", "import duckdb"]).returncode != 0:
    sys.exit("missing the duckdb Python package (pip install duckdb)")

rnd = random.Random(18)
PATHS = ["/", "/index.html", "/api/cart", "/api/items/%d", "/static/app.%d.js", "/login", "/wp-login.php", "/search?q=%d"]
UAS = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
       "python-requests/2.31.0", "curl/8.5.0", "sqlmap/1.7.2#stable (https://sqlmap.org)"]


def path():
    p = rnd.choice(PATHS)
    return p % rnd.randrange(10000) if "%d" in p else p


def pick(table, otherwise):
    """The outcome of one draw: the first row whose cumulative bound the draw is under."""
    r = rnd.random()
    for bound, outcome in table:
        if r < bound:
            return outcome
    return otherwise


def alb_line(t):
    ip = "198.51.%d.%d" % (rnd.randrange(256), rnd.randrange(1, 255))
    status, target, actions = pick([(0.02, (403, "-", "waf")), (0.03, (403, "403", "waf,forward")),
                                    (0.035, (401, "-", "authenticate"))], (200, "200", "waf,forward"))
    ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%06dZ" % rnd.randrange(1000000)
    return ('https %s app/my-lb/50dc6c495c0c9188 %s:%d 10.0.1.%d:80 0.001 0.004 0.000 %d %s 150 %d '
            '"GET https://shop.example.com:443%s HTTP/1.1" "%s" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 '
            'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 '
            '"Root=1-6578a0b1-%024x" "shop.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/1234" 0 %s '
            '"%s" "-" "-" "10.0.1.%d:80" "%s" "-" "-" TID_%016x\n'
            % (ts, ip, rnd.randrange(1024, 65535), rnd.randrange(1, 200), status, target, rnd.randrange(100, 90000),
               path(), rnd.choice(UAS), rnd.getrandbits(96), ts, actions, rnd.randrange(1, 200), target, rnd.getrandbits(64)))


def cf_line(t):
    r = rnd.random()
    sec = {"SecurityAction": "", "SecuritySources": [], "SecurityRuleID": "", "SecurityRuleDescription": ""}
    status, origin = 200, 200
    if r < 0.015:
        status, origin = 403, 0
        sec = {"SecurityAction": "block", "SecuritySources": ["firewallCustom"],
               "SecurityRuleID": "2f6c1e0b4a8b4f0e9a1d3c5b7e9f0a1b", "SecurityRuleDescription": "Block WordPress login"}
    elif r < 0.022:
        status, origin = 403, 0
        sec = {"SecurityAction": "block", "SecuritySources": ["country"], "SecurityRuleID": "", "SecurityRuleDescription": ""}
    elif r < 0.027:
        status, origin = 403, 0
        sec = {"SecurityAction": "managedChallenge", "SecuritySources": ["firewallCustom"],
               "SecurityRuleID": "9a8b7c6d5e4f4a3b2c1d0e9f8a7b6c5d", "SecurityRuleDescription": "Challenge low bot scores"}
    elif r < 0.03:
        status, origin = 403, 403
    d = {"ClientASN": rnd.choice([64496, 64500, 13335]), "ClientCountry": rnd.choice(["us", "fr", "de", "kp"]),
         "ClientIP": "198.51.%d.%d" % (rnd.randrange(256), rnd.randrange(1, 255)), "ClientRequestHost": "shop.example.com",
         "ClientRequestMethod": "GET", "ClientRequestPath": path(), "ClientRequestURI": path(),
         "ClientRequestUserAgent": rnd.choice(UAS), "EdgeResponseStatus": status,
         "EdgeStartTimestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)), "OriginResponseStatus": origin,
         "RayID": "%016x" % rnd.getrandbits(64), "BotScore": rnd.randrange(1, 100)}
    d.update(sec)
    return json.dumps(d, separators=(",", ":")) + "\n"


CF_FIELDS = ["date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)", "cs-uri-stem", "sc-status",
             "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)", "x-edge-result-type", "x-edge-request-id",
             "x-host-header", "cs-protocol", "cs-bytes", "time-taken", "x-forwarded-for", "ssl-protocol", "ssl-cipher",
             "x-edge-response-result-type", "cs-protocol-version", "fle-status", "fle-encrypted-fields", "c-port",
             "time-to-first-byte", "x-edge-detailed-result-type", "sc-content-type", "sc-content-len", "sc-range-start",
             "sc-range-end"]
CF_HEADER = "#Version: 1.0\n#Fields: " + " ".join(CF_FIELDS) + "\n"


def cloudfront_line(t):
    status, result, detailed = pick([(0.015, (403, "Error", "ClientGeoBlocked")), (0.025, (403, "Error", "InvalidRequestBlocked")),
                                     (0.03, (403, "Error", "Error"))], (200, "Hit", "Hit"))
    ua = rnd.choice(UAS).replace(" ", "%20")
    p = path()
    stem, _, query = p.partition("?")
    return "\t".join([
        time.strftime("%Y-%m-%d", time.gmtime(t)), time.strftime("%H:%M:%S", time.gmtime(t)), "LAX1-C1",
        str(rnd.randrange(300, 90000)), "198.51.%d.%d" % (rnd.randrange(256), rnd.randrange(1, 255)), "GET",
        "d111111abcdef8.cloudfront.net", stem, str(status), "-", ua, query or "-", "-", result,
        "%040x" % rnd.getrandbits(160), "shop.example.com", "https", str(rnd.randrange(100, 900)), "0.%03d" % rnd.randrange(1000),
        "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", result, "HTTP/2.0", "-", "-", str(rnd.randrange(1024, 65535)),
        "0.%03d" % rnd.randrange(1000), detailed, "text/html", str(rnd.randrange(100, 90000)), "-", "-"]) + "\n"


def generate(name, make, header=""):
    target = args.size_mib << 20
    path = "/tmp/why403-bench-%s-%d.log" % (name, args.size_mib)
    if os.path.exists(path) and os.path.getsize(path) >= target:
        return path
    t = 1795944600
    with open(path + ".tmp", "w") as f:
        f.write(header)
        n = len(header)
        block = []
        while n < target:
            line = make(t)
            t += rnd.random() < 0.01
            block.append(line)
            n += len(line)
            if len(block) >= 10000:
                f.write("".join(block))
                block = []
        f.write("".join(block))
    os.rename(path + ".tmp", path)
    return path


def run(cmd, shell=False):
    with open("/tmp/why403-bench-edge-stdout", "wb") as out, open(os.devnull, "wb") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, shell=shell)
        _, status, ru = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("%s failed with status %d" % (cmd if shell else cmd[0], os.waitstatus_to_exitcode(status)))
    # Children of a shell pipeline (jq | sort | uniq) are counted through the shell's own wait.
    return dt, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, open("/tmp/why403-bench-edge-stdout", "rb").read()


duck = "import duckdb,sys; r=duckdb.sql(sys.argv[1]).fetchall(); print(sum(row[-1] for row in r)); print(r)"
for fmt in args.formats.split(","):
    log = generate(fmt, {"alb": alb_line, "cloudflare": cf_line, "cloudfront": cloudfront_line}[fmt],
                   CF_HEADER if fmt == "cloudfront" else "")
    size = os.path.getsize(log)
    with open(log, "rb") as f:
        while f.read(1 << 24):
            pass
    # The space- and tab-separated logs: the marker for rg, and DuckDB's GROUP BY over read_csv.
    separated = {
        "alb": (" 403 ", "SELECT column08 AS status, column21 AS actions, count(*) AS n FROM read_csv('%s', delim=' ', "
                         "quote='\"', escape='\"', header=false, all_varchar=true, strict_mode=false) WHERE column08 = '403' GROUP BY ALL"),
        "cloudfront": ("\t403\t", "SELECT column08 AS status, column28 AS detailed, count(*) AS n FROM read_csv('%s', delim='\\t', "
                                  "quote='', header=false, skip=2, all_varchar=true) WHERE column08 = '403' GROUP BY ALL"),
    }
    if fmt in separated:
        marker, query = separated[fmt]
        cmds = {"why403": [why403, "logs", log, "--format", "json"], "rg": ["rg", "-c", marker, log],
                "duckdb": [sys.executable, "-c", duck, query % log]}
    else:
        marker = '"EdgeResponseStatus":403'
        sql = subprocess.run([why403, "logs", "--emit-sql", "duckdb", "--input-format", "cloudflare", "--table", "cf"],
                             capture_output=True, text=True, check=True).stdout
        view = ("CREATE VIEW cf AS SELECT * FROM read_json('%s', format='newline_delimited', columns={%s});"
                % (log, ", ".join("'%s': '%s'" % (c, t) for c, t in [
                    ("EdgeStartTimestamp", "VARCHAR"), ("EdgeResponseStatus", "INTEGER"), ("OriginResponseStatus", "INTEGER"),
                    ("SecurityAction", "VARCHAR"), ("SecuritySources", "VARCHAR[]"), ("SecurityRuleID", "VARCHAR"),
                    ("SecurityRuleDescription", "VARCHAR"), ("ClientIP", "VARCHAR"), ("ClientCountry", "VARCHAR")])))
        cmds = {"why403": [why403, "logs", log, "--format", "json"], "rg": ["rg", "-c", marker, log],
                "duckdb": [sys.executable, "-c", "import duckdb,sys; c=duckdb.connect(); c.sql(sys.argv[2]); r=c.sql(sys.argv[1]).fetchall(); "
                           "print(sum(row[-1] for row in r)); print(r)", sql.rstrip().rstrip(";"), view],
                "jq": "jq -c 'select(.EdgeResponseStatus==403) | [.SecurityAction, (.SecuritySources[0] // \"\"), .SecurityRuleID]' %s "
                      "| sort | uniq -c" % log}
    times = {k: [] for k in cmds}
    cpu = {k: [] for k in cmds}
    rss = {k: 0 for k in cmds}
    outs = {}
    for rep in range(args.reps):
        order = [n for _ in range(args.fast_reps) for n in ("why403", "rg")] + [n for n in cmds if n not in ("why403", "rg")]
        for name in order:
            cmd = cmds[name]
            if name == "jq" and rep > 0:
                continue  # jq takes minutes: once
            dt, c, m, out = run(cmd, shell=isinstance(cmd, str))
            times[name].append(dt); cpu[name].append(c); rss[name] = max(rss[name], m); outs[name] = out
            print("%s rep %d %-7s %8.3f s wall %8.3f s cpu %8d KiB max RSS" % (fmt, rep + 1, name, dt, c, m), flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    mc = {k: statistics.median(v) for k, v in cpu.items()}
    print("\n%s: %s, %.2f GiB, load average at the end: %s" % (fmt, log, size / (1 << 30), open("/proc/loadavg").read().split()[:3]))
    for k in cmds:
        print("median %-7s %8.3f s wall (%6.0f MiB/s) %8.3f s cpu  max RSS %d MiB" % (k, med[k], size / (1 << 20) / med[k], mc[k], rss[k] // 1024))
    rep = json.loads(outs["why403"])
    print("why403 denials %d (%d lines); rg lines with %r: %s; DuckDB 403s: %s"
          % (rep["subject"]["denials"], rep["subject"]["lines_read"], marker, outs["rg"].decode().strip(),
             outs["duckdb"].decode().splitlines()[0]))
    for k in cmds:
        if k != "why403":
            print("ratio why403/%-6s = %.2f wall, %.2f cpu" % (k, med["why403"] / med[k], mc["why403"] / mc[k]))
    print(flush=True)
