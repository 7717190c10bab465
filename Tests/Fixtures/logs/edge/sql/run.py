#!/usr/bin/env python3
"""Loads a log file into a table of the layout `why403` documents (EdgeSQL.createTable), in the real
engine, runs the query `why403 logs --emit-sql` printed, and prints {"cause": count, ...} as JSON.

This loader plays the part of the engine's own ingestion (Athena's RegexSerDe for ALB and S3, its
CloudFront and W3C readers, JSONEachRow for AWS WAF and Cloudflare); it is written apart from the
Swift parsers on purpose, so the comparison checks why403's scanner against the SQL on the same rows.

usage: run.py duckdb|clickhouse FORMAT LOG DDL_FILE COLUMNS_JSON_FILE QUERY_FILE [FIELDS]

FIELDS (comma-separated) names a CloudFront real-time log's fields: its lines are tab-separated with no
header, one column per field ('-' made '_', as Athena's cloudfront_real_time_logs DDL names them).
"""
import json, os, re, sys, tempfile

engine, fmt, log, ddl_file, cols_file, query_file = sys.argv[1:7]
realtime_fields = sys.argv[7].split(",") if len(sys.argv) > 7 else None
ddl = open(ddl_file).read()
columns = json.load(open(cols_file))   # [[name, duckdb type, clickhouse type], ...]
query = open(query_file).read()

def tokens(line, brackets):
    pat = r'"((?:[^"\\]|\\.)*)"|\[([^\]]*)\]|(\S+)' if brackets else r'"((?:[^"\\]|\\.)*)"|(\S+)'
    out = []
    for m in re.finditer(pat, line):
        out.append(next(g for g in m.groups() if g is not None) if any(g is not None for g in m.groups()) else "")
    return out

def rows():
    names = [c[0] for c in columns]
    ints = {c[0] for c in columns if c[1] in ("INTEGER", "BIGINT")}
    def row(values):
        r = {}
        for n, v in zip(names, values):
            if n in ints:
                r[n] = int(v) if v not in ("-", "", None) else None
            else:
                r[n] = v
        return r
    w3c_fields = None
    for raw in open(log, encoding="utf-8", errors="replace"):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        if fmt == "alb":
            t = tokens(line, False)
            cip, _, cport = t[3].rpartition(":")
            tip, _, tport = t[4].rpartition(":") if t[4] != "-" else ("-", "", "-")
            verb, url, proto = (t[12].split(" ") + ["", "", ""])[:3]
            v = t[0:3] + [cip, cport, tip, tport] + t[5:12] + [verb, url, proto] + t[13:]
            yield row(v)
        elif fmt == "s3-access":
            yield row(tokens(line, True))
        elif fmt == "cloudfront" and realtime_fields:
            by = dict(zip(realtime_fields, line.split("\t")))
            yield row([by.get(n.replace("_", "-")) for n in names])
        elif fmt in ("cloudfront", "iis"):
            if line.startswith("#"):
                if line.startswith("#Fields:"):
                    w3c_fields = line[len("#Fields:"):].split()
                continue
            values = line.split("\t" if fmt == "cloudfront" else " ")
            by = dict(zip(w3c_fields, values))
            norm = {re.sub(r"[-()]+", "_", k).strip("_").lower(): v for k, v in by.items()}
            if fmt == "cloudfront":
                norm = {k.replace("cs_referer", "cs_referrer"): v for k, v in norm.items()}
            yield row([norm.get(n, None) for n in names])
        else:
            yield {"line": line}

tmp = tempfile.mkdtemp()
data = log
if fmt not in ("aws-waf", "cloudflare"):
    data = os.path.join(tmp, "rows.jsonl")
    with open(data, "w") as f:
        for r in rows():
            f.write(json.dumps(r) + "\n")

if engine == "duckdb":
    import duckdb
    con = duckdb.connect()
    con.execute(ddl)
    spec = "{" + ", ".join("'%s': '%s'" % (c[0], c[1]) for c in columns) + "}"
    con.execute("INSERT INTO edge_logs BY NAME SELECT * FROM read_json('%s', format='newline_delimited', columns=%s)" % (data.replace("'", "''"), spec))
    result = con.execute(query).fetchall()
else:
    from chdb import session
    s = session.Session(os.path.join(tmp, "chdb"))
    s.query(ddl)
    spec = ", ".join("`%s` %s" % (c[0], c[2]) for c in columns)
    s.query("INSERT INTO edge_logs SELECT * FROM file('%s', JSONEachRow, '%s')" % (data, spec.replace("'", "\\'")))
    out = s.query(query, "JSONCompact")
    result = json.loads(str(out))["data"]
print(json.dumps({str(c): int(n) for c, n in result}, sort_keys=True))
