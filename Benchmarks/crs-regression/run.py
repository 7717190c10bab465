#!/usr/bin/env python3
"""Runs the OWASP CRS project's own regression tests through `why403 modsecurity --crs`.

The tests (FTW YAML: tests/regression/tests/*/*.yaml in a CRS checkout; not ours, not committed here)
say, for one HTTP request each, which rule ids the server's error log must or must not name
(`log_contains: id "942100"`, `no_log_contains: ...`). For every stage why403 can express as a
request (method, target, headers, body) this runs

    why403 modsecurity http://localhost<uri> --crs --paranoia N -X METHOD -H ... [--data @body] --format json

and compares: the rule of `log_contains` must be among the findings' `rule`s, the rule of
`no_log_contains` must not. Stages it cannot express are counted with the reason, never guessed.

The request is built as FTW 1.3.0 (the runner CRS 3.3.4's CI used: tests/regression/requirements.txt)
sends it: a `data` list joined with CRLF; unless `stop_magic`, a body without Content-Type gets
`application/x-www-form-urlencoded`, such a body is re-encoded (parse_qsl + urlencode) when unquoting
leaves it unchanged, and Content-Length is the body's length (why403 adds it itself when -H gives none).

Usage:
  run.py --crs-tests DIR --why403 BIN [--paranoia N|auto] [--jobs 2] [--only 942] [--out FILE]

DIR is a CRS checkout, its tests/regression, or the tests directory itself. See README.md.
"""

import argparse
import collections
import concurrent.futures
import datetime
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from urllib.parse import parse_qsl, unquote, urlencode

import yaml

# FTW searches the error log with the pattern as a regular expression: `id "942100"`, and the typos
# some files have (`id "942480` without its closing quote, a bare `930120`), all find the rule's id.
ID_RE = re.compile(r'^\s*(?:id\s+"?)?(\d{6})"?\s*$')
TOKEN_RE = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
DEFAULT_RULES = "/usr/share/modsecurity-crs/rules"


# ---------------------------------------------------------------------------------------------
# Loading the tests


def find_test_files(root):
    for cand in (os.path.join(root, "tests", "regression", "tests"), os.path.join(root, "regression", "tests"),
                 os.path.join(root, "tests"), root):
        files = sorted(glob.glob(os.path.join(cand, "*", "*.yaml")))
        if files:
            return files
    return []


class Stage:
    def __init__(self, path, test, index, stage):
        self.path = path
        self.rule_file = os.path.basename(os.path.dirname(path))
        self.yaml_name = os.path.basename(path)
        self.title = str(test.get("test_title", "?"))
        self.index = index
        self.nstages = len(test["stages"])
        self.input = dict(stage.get("input") or {})
        self.output = dict(stage.get("output") or {})
        self.expect = None          # ("log" | "nolog", rule id)
        self.reason = None          # why it is not expressible
        self.method = "GET"
        self.uri = "/"
        self.headers = []           # [(name, value)]
        self.body = None            # bytes or None
        self.paranoia = None

    @property
    def name(self):
        return self.title if self.nstages == 1 else "%s (stage %d)" % (self.title, self.index + 1)


def load(files, only):
    stages, disabled = [], 0
    for path in files:
        if only and not any(o in os.path.basename(path) or o in os.path.basename(os.path.dirname(path))
                            for o in only):
            continue
        with open(path, "rb") as f:
            doc = yaml.safe_load(f)
        enabled_file = (doc.get("meta") or {}).get("enabled", True)
        for test in doc.get("tests") or []:
            for i, st in enumerate(test.get("stages") or []):
                if not enabled_file or test.get("enabled", True) is False:
                    disabled += 1
                    continue
                stages.append(Stage(path, test, i, st.get("stage") or {}))
    return stages, disabled


# ---------------------------------------------------------------------------------------------
# From a test stage to a why403 request (or the reason it cannot be one)


def expectation(st):
    out = st.output
    exp = []
    for key, kind in (("log_contains", "log"), ("no_log_contains", "nolog")):
        if key in out:
            m = ID_RE.match(str(out[key]))
            if not m:
                return None, "%s %r never matches the log's `id \"N\"` (FTW passes it whatever the engine does)" \
                    % (key, out[key])
            exp.append((kind, m.group(1)))
    if not exp:
        if out.get("expect_error"):
            return None, "expects a connection error (expect_error), nothing to compare in the log"
        if "status" in out:
            return None, "expects only the server's status %s (the suite runs CRS in DetectionOnly: " \
                         "the server's own answer, not a rule)" % (out["status"],)
        return None, "no log_contains/no_log_contains"
    if len(exp) > 1:
        return None, "both log_contains and no_log_contains"
    return exp[0], None


def build(st):
    """Fills method/uri/headers/body of the stage as FTW 1.3.0 would send them, or st.reason."""
    exp, why = expectation(st)
    if why:
        st.reason = why
        return
    st.expect = exp
    inp = st.input
    if "raw_request" in inp or "encoded_request" in inp:
        st.reason = "raw_request/encoded_request (a hand-written byte stream)"
        return
    version = inp.get("version", "HTTP/1.1")
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        st.reason = "HTTP version %r (why403 hands the engine HTTP/1.1)" % (version,)
        return
    method = str(inp.get("method", "GET"))
    if not TOKEN_RE.match(method):
        st.reason = "method %r is not an HTTP token" % (method,)
        return
    uri = str(inp.get("uri", "/"))
    if not uri.startswith("/"):
        st.reason = "request target %r is not a path (origin-form)" % (uri,)
        return
    if "#" in uri:
        st.reason = "'#' in the request target (FTW sends it raw; a URL's fragment, why403 drops it)"
        return
    if "\x00" in uri or uri != uri.strip():
        st.reason = "NUL byte or leading/trailing space in the request target (not an argv URL)"
        return
    headers = inp.get("headers") or {}
    headers = {str(k): ("" if v is None else str(v)) for k, v in headers.items()}
    if "Host" not in headers and not any(k.lower() == "host" for k in headers):
        st.reason = "no Host header (why403 always gives one, from the URL)"
        return
    for k, v in headers.items():
        if any(c in k + v for c in "\r\n\x00"):
            st.reason = "CR, LF or NUL in a header"
            return
    stop_magic = bool(inp.get("stop_magic", False))
    data = inp.get("data", "")
    if data is None:
        data = ""
    if isinstance(data, list):
        data = "\r\n".join(str(d) for d in data)
    data = str(data)
    # FTW 1.3.0's "magic" (ftw/ruleset.py, Input.__init__)
    if data != "" and not stop_magic:
        if "Content-Type" not in headers:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if headers.get("Content-Type") == "application/x-www-form-urlencoded" and unquote(data) == data:
            qs = parse_qsl(data)
            if qs:
                data = urlencode(qs)
    te = next((v for k, v in headers.items() if k.lower() == "transfer-encoding"), None)
    if te is not None and "chunked" in te.lower():
        st.reason = "Transfer-Encoding: chunked (the server de-chunks the body and drops Content-Length)"
        return
    body = data.encode("utf-8") if data != "" else None
    cl = next((v for k, v in headers.items() if k.lower() == "content-length"), None)
    if cl is not None:
        try:
            n = int(cl.strip())
        except ValueError:
            n = None
        blen = len(body) if body else 0
        if n is not None and n > blen:
            st.reason = "Content-Length %d announces more than the %d bytes sent (the server waits)" % (n, blen)
            return
        if n is not None and n < blen:
            body = body[:n]   # the server reads Content-Length bytes; the rest is another request
    elif body is not None and stop_magic:
        st.reason = "a body without Content-Length (stop_magic): why403 always gives the body's length"
        return
    st.method, st.uri, st.body = method, uri, body
    st.headers = list(headers.items())


# ---------------------------------------------------------------------------------------------
# Paranoia level per rule (for --paranoia auto)


def rule_levels(rules_dir):
    levels = {}
    for conf in glob.glob(os.path.join(rules_dir, "*.conf")):
        with open(conf, encoding="utf-8", errors="replace") as f:
            text = f.read()
        # one SecRule/SecAction with its continuation lines
        for block in re.split(r"\n(?=Sec)", text.replace("\\\n", " ")):
            m = re.search(r"\bid:'?(\d+)", block)
            if not m:
                continue
            p = re.search(r"paranoia-level/(\d)", block)
            levels[m.group(1)] = int(p.group(1)) if p else 1
    return levels


# ---------------------------------------------------------------------------------------------
# Running


def run_one(st, binary, timeout):
    cmd = ["nice", "-n", "10", binary, "modsecurity", "http://localhost" + st.uri, "--crs",
           "--paranoia", str(st.paranoia), "-X", st.method]
    for k, v in st.headers:
        cmd += ["-H", "%s: %s" % (k, v)]
    tmp = None
    if st.body is not None:
        fd, tmp = tempfile.mkstemp(prefix="crsreg-", suffix=".body")
        with os.fdopen(fd, "wb") as f:
            f.write(st.body)
        cmd += ["--data", "@" + tmp]
    cmd += ["--format", "json"]
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"kind": "error", "msg": "timeout after %ds" % timeout, "secs": timeout}
    finally:
        if tmp:
            os.unlink(tmp)
    secs = time.monotonic() - t0
    err = p.stderr.decode("utf-8", "replace").strip()
    if p.returncode == 2:
        return {"kind": "badinput", "msg": err.splitlines()[0] if err else "(exit 2, no message)", "secs": secs}
    if p.returncode != 0:
        return {"kind": "error", "msg": "exit %d: %s" % (p.returncode, err[:300]), "secs": secs}
    try:
        rep = json.loads(p.stdout)
    except ValueError as e:
        return {"kind": "error", "msg": "not JSON (%s)" % e, "secs": secs}
    rules = [str(f.get("rule")) for f in rep.get("findings") or [] if f.get("rule") is not None]
    status = (rep.get("verdict") or {}).get("status")
    return {"kind": "ran", "rules": rules, "status": status, "secs": secs}


def category(reason):
    """The reason without its particular value ('HTTP version %r ...' -> 'HTTP version')."""
    for prefix in ("HTTP version", "method", "request target", "expects only the server's status",
                   "Content-Length", "log_contains", "no_log_contains"):
        if reason.startswith(prefix):
            return prefix
    return reason


def judge(st, res):
    kind, rid = st.expect
    present = rid in res["rules"]
    return present if kind == "log" else not present


def fmt_expect(st):
    kind, rid = st.expect
    return ("log_contains %s" if kind == "log" else "no_log_contains %s") % rid


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--crs-tests", required=True, help="a CRS checkout (or its tests/regression[/tests])")
    ap.add_argument("--why403", required=True, help="the why403 binary")
    ap.add_argument("--paranoia", default="4",
                    help="1-4, or 'auto': each stage at the paranoia level of the rule it tests "
                         "(tag paranoia-level/N in --rules-dir). Default 4, as the CRS suite runs")
    ap.add_argument("--rules-dir", default=DEFAULT_RULES, help="for --paranoia auto (default %(default)s)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", action="append", default=[],
                    help="only test files/dirs whose name contains this (942, 920100, ...); repeatable")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--out", help="also write the summary to this file")
    ap.add_argument("--json", help="also write every stage's result as JSON lines to this file")
    args = ap.parse_args()

    files = find_test_files(args.crs_tests)
    if not files:
        sys.exit("no */*.yaml tests under %s" % args.crs_tests)
    stages, disabled = load(files, args.only)
    levels = rule_levels(args.rules_dir) if args.paranoia == "auto" else {}
    for st in stages:
        build(st)
        if st.reason is None:
            st.paranoia = max(1, levels.get(st.expect[1], 1)) if args.paranoia == "auto" else int(args.paranoia)

    todo = [st for st in stages if st.reason is None]
    results = {}
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(run_one, st, args.why403, args.timeout): st for st in todo}
        for n, fut in enumerate(concurrent.futures.as_completed(futs), 1):
            results[id(futs[fut])] = fut.result()
            if n % 100 == 0 or n == len(todo):
                print("... %d/%d (%.0fs)" % (n, len(todo), time.monotonic() - t0), file=sys.stderr, flush=True)
    wall = time.monotonic() - t0

    # ---- summary
    per = collections.OrderedDict()
    blank = lambda: collections.Counter()
    notexp = collections.defaultdict(list)
    badinput = collections.Counter()
    errors = []
    disagreements = []
    records = []
    for st in stages:
        c = per.setdefault(st.rule_file, blank())
        c["stages"] += 1
        rec = {"file": st.rule_file + "/" + st.yaml_name, "title": st.title, "stage": st.index + 1}
        if st.reason is not None:
            c["not_expressible"] += 1
            notexp[category(st.reason)].append(st)
            rec.update(result="not_expressible", reason=st.reason)
            records.append(rec)
            continue
        c["expressible"] += 1
        res = results[id(st)]
        rec.update(expected=fmt_expect(st), paranoia=st.paranoia, method=st.method, uri=st.uri)
        if res["kind"] == "badinput":
            c["bad_input"] += 1
            badinput[res["msg"]] += 1
            rec.update(result="bad_input", message=res["msg"])
        elif res["kind"] == "error":
            c["error"] += 1
            errors.append((st, res["msg"]))
            rec.update(result="error", message=res["msg"])
        elif judge(st, res):
            c["agree"] += 1
            rec.update(result="agree", rules=res["rules"], status=res["status"])
        else:
            c["disagree"] += 1
            disagreements.append((st, res))
            rec.update(result="disagree", rules=res["rules"], status=res["status"])
        records.append(rec)

    tot = collections.Counter()
    for c in per.values():
        tot.update(c)
    lines = []
    w = lines.append
    w("CRS regression tests through why403 modsecurity --crs")
    w("date: %s UTC" % datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"))
    w("tests: %s (%d files)%s" % (os.path.abspath(args.crs_tests), len(files),
                                   ("; only " + ", ".join(args.only)) if args.only else ""))
    w("why403: %s" % os.path.abspath(args.why403))
    w("paranoia: %s; jobs: %d; wall time: %.0f s" % (args.paranoia, args.jobs, wall))
    w("")
    w("total stages:        %5d  (+%d in disabled tests, not counted)" % (tot["stages"], disabled))
    w("not expressible:     %5d" % tot["not_expressible"])
    w("expressible:         %5d" % tot["expressible"])
    w("  agree:             %5d" % tot["agree"])
    w("  disagree:          %5d" % tot["disagree"])
    w("  bad input (exit 2):%5d" % tot["bad_input"])
    w("  other errors:      %5d" % tot["error"])
    w("")
    w("%-46s %6s %6s %6s %6s %6s %6s" % ("rule file", "stages", "n/expr", "agree", "disagr", "exit2", "error"))
    for name, c in per.items():
        w("%-46s %6d %6d %6d %6d %6d %6d" % (name, c["stages"], c["not_expressible"], c["agree"],
                                             c["disagree"], c["bad_input"], c["error"]))
    w("")
    w("not expressible, by reason:")
    for cat, sts in sorted(notexp.items(), key=lambda kv: -len(kv[1])):
        w("  %4d  %s" % (len(sts), cat))
        for st in sts[:8]:
            w("          %s: %s" % (st.name, st.reason))
        if len(sts) > 8:
            w("          ... and %d more" % (len(sts) - 8))
    if badinput:
        w("")
        w("bad input (why403 exit 2), by message:")
        for m, n in badinput.most_common():
            w("  %4d  %s" % (n, m))
    if errors:
        w("")
        w("errors:")
        for st, msg in errors:
            w("  %s  %s" % (st.name, msg))
    w("")
    w("disagreements (%d):" % len(disagreements))
    for st, res in sorted(disagreements, key=lambda x: (x[0].rule_file, x[0].yaml_name, x[0].title)):
        others = [r for r in res["rules"]]
        w("  %-22s expected %-22s got rules [%s] status %s  (%s %s, PL%d)" % (
            st.name, fmt_expect(st), " ".join(others), res["status"], st.method,
            st.uri if len(st.uri) <= 60 else st.uri[:57] + "...", st.paranoia))
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    if args.json:
        with open(args.json, "w") as f:
            for rec in records:
                f.write(json.dumps(rec) + "\n")


if __name__ == "__main__":
    main()
