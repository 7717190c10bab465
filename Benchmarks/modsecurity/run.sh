#!/usr/bin/env bash
# `why403 modsecurity --crs --replay` of 10,000 requests against the same requests sent to the real Apache
# httpd with mod_security2 + the same CRS on loopback (keep-alive, one connection, sequential), in one run.
# The engine's own time per request is the floor: why403's replay time minus its time to load the rules
# (a replay of one request). Usage: WHY403=path/to/release/why403 bash Benchmarks/modsecurity/run.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-10000}
W=${WHY403:-.build/release/why403}
[ -x "$W" ] || { echo "build the release binary first (swift build -c release), or set WHY403"; exit 2; }
command -v apache2 >/dev/null || { echo "apache2 is not installed"; exit 2; }
[ -f /usr/lib/apache2/modules/mod_security2.so ] || { echo "libapache2-mod-security2 is not installed"; exit 2; }
T=$(mktemp -d /tmp/why403-msc-bench.XXXX)
trap 'apache2 -f $T/httpd.conf -k stop >/dev/null 2>&1 || true; sleep 1; rm -rf $T' EXIT
mkdir -p "$T/www" "$T/data"
echo ok > "$T/www/index.html"

# The requests: the GET requests of the differential corpus, varied, as an access log (what --replay reads
# and what a client can send as is).
python3 - "$N" "$T" <<'PY'
import json, sys, random
n, t = int(sys.argv[1]), sys.argv[2]
corpus = [r for r in json.load(open("Tests/Fixtures/modsecurity/differential-requests.json")) if r["method"] == "GET" and not r.get("remove")]
ua = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
rnd = random.Random(42)
with open(f"{t}/access.log", "w") as log, open(f"{t}/targets.txt", "w") as targets:
    for i in range(n):
        r = corpus[i % len(corpus)]
        path = r["path"]
        sep = "&" if "?" in path else "?"
        path = f"{path}{sep}n={rnd.randrange(1000000)}"
        log.write(f'127.0.0.1 - - [02/Dec/2026:13:00:00 +0000] "GET {path} HTTP/1.1" 200 3 "-" "{ua}"\n')
        targets.write(path + "\n")
PY
head -1 "$T/access.log" > "$T/one.log"

# What `--crs` loads, for Apache (the body processors and paranoia setting of `--crs` change nothing for
# these GET requests at paranoia level 1).
cat > "$T/modsec.conf" <<CONFEOF
SecAuditEngine Off
SecRuleEngine On
SecRequestBodyAccess On
Include /etc/modsecurity/crs/crs-setup.conf
Include /etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf
Include /usr/share/modsecurity-crs/rules/*.conf
CONFEOF
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$T/httpd.conf" <<CONFEOF
ServerRoot "$T"
Listen 127.0.0.1:$PORT
PidFile $T/httpd.pid
ErrorLog $T/error.log
LogLevel warn
DefaultRuntimeDir $T
ServerName localhost
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule unique_id_module /usr/lib/apache2/modules/mod_unique_id.so
LoadModule security2_module /usr/lib/apache2/modules/mod_security2.so
DocumentRoot "$T/www"
<Directory />
    Require all granted
</Directory>
KeepAliveTimeout 30
MaxKeepAliveRequests 0
SecDataDir $T/data
Include $T/modsec.conf
CONFEOF
apache2 -f "$T/httpd.conf" -k start
for i in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done

python3 - "$W" "$T" "$PORT" "$N" <<'PY'
import http.client, json, statistics, subprocess, sys, time
w, t, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
targets = [l.rstrip("\n") for l in open(f"{t}/targets.txt")]
ua = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

def why403(log):
    t0 = time.perf_counter()
    out = subprocess.run([w, "modsecurity", "http://localhost/", "--crs", "--replay", log, "--format", "json"], capture_output=True, text=True)
    dt = time.perf_counter() - t0
    return dt, json.loads(out.stdout)

def apache():
    c = http.client.HTTPConnection("127.0.0.1", port)
    blocked = 0
    t0 = time.perf_counter()
    for p in targets:
        c.putrequest("GET", p, skip_host=True, skip_accept_encoding=True)
        c.putheader("Host", "localhost"); c.putheader("User-Agent", ua)
        c.endheaders()
        r = c.getresponse(); r.read()
        if r.status == 403: blocked += 1
        if r.getheader("Connection", "").lower() == "close":
            c.close(); c = http.client.HTTPConnection("127.0.0.1", port)
    return time.perf_counter() - t0, blocked

def floor():
    # libmodsecurity alone, driven through ctypes with the same rules (modsec.conf): the engine's own
    # time per request, the floor for any tool that runs it (Python's overhead per call is microseconds).
    import ctypes
    lib = ctypes.CDLL("libmodsecurity.so.3")
    vp = ctypes.c_void_p
    for name, res, args in [("msc_init", vp, []), ("msc_create_rules_set", vp, []),
                            ("msc_rules_add_file", ctypes.c_int, [vp, ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p)]),
                            ("msc_new_transaction", vp, [vp, vp, vp]),
                            ("msc_process_connection", ctypes.c_int, [vp, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]),
                            ("msc_process_uri", ctypes.c_int, [vp, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]),
                            ("msc_add_request_header", ctypes.c_int, [vp, ctypes.c_char_p, ctypes.c_char_p]),
                            ("msc_process_request_headers", ctypes.c_int, [vp]), ("msc_process_request_body", ctypes.c_int, [vp]),
                            ("msc_process_logging", ctypes.c_int, [vp]), ("msc_transaction_cleanup", None, [vp])]:
        f = getattr(lib, name); f.restype = res; f.argtypes = args
    CB = ctypes.CFUNCTYPE(None, vp, ctypes.c_char_p)
    lines = []
    cb = CB(lambda d, m: lines.append(m))
    lib.msc_set_log_cb.argtypes = [vp, CB]
    ms = lib.msc_init(); lib.msc_set_log_cb(ms, cb)
    rules = lib.msc_create_rules_set(); err = ctypes.c_char_p()
    lib.msc_rules_add_file(rules, f"{t}/modsec.conf".encode(), ctypes.byref(err))
    t0 = time.perf_counter()
    for p in targets:
        tx = lib.msc_new_transaction(ms, rules, None)
        lib.msc_process_connection(tx, b"127.0.0.1", 50000, b"127.0.0.1", 80)
        lib.msc_process_uri(tx, p.encode(), b"GET", b"1.1")
        lib.msc_add_request_header(tx, b"Host", b"localhost"); lib.msc_add_request_header(tx, b"User-Agent", ua.encode())
        lib.msc_process_request_headers(tx); lib.msc_process_request_body(tx)
        lib.msc_process_logging(tx); lib.msc_transaction_cleanup(tx)
    return time.perf_counter() - t0

runs = []
for rep in range(3):   # interleaved: why403, apache, load-only, the engine alone
    d_w, rep_json = why403(f"{t}/access.log")
    d_a, blocked_a = apache()
    d_1, _ = why403(f"{t}/one.log")
    d_f = floor()
    runs.append((d_w, d_a, d_1, d_f))
    note = rep_json["notes"][0]
mw = statistics.median(r[0] for r in runs); ma = statistics.median(r[1] for r in runs); m1 = statistics.median(r[2] for r in runs)
print(f"requests: {n}")
print(f"why403 modsecurity --replay: {mw:.2f} s ({note})")
print(f"Apache + mod_security2 on loopback: {ma:.2f} s ({blocked_a} answered 403)")
mf = statistics.median(r[3] for r in runs)
print(f"why403 load only (replay of 1 request): {m1:.2f} s; why403 per request: {(mw - m1) / n * 1e6:.0f} µs")
print(f"libmodsecurity alone (ctypes, same rules): {mf:.2f} s, {mf / n * 1e6:.0f} µs per request (the floor)")
print(f"ratio why403 / engine floor: {(mw - m1) / mf:.2f}x")
print(f"ratio why403 / Apache: {mw / ma:.2f}x  (median of {len(runs)} interleaved runs)")
PY
