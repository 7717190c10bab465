#!/usr/bin/env python3
"""Field accuracy benchmark for `why403 response`, with wafw00f measured in the same run.

    python3 Benchmarks/field/run.py [--why403 PATH] [--wait SECONDS] [--no-wafw00f] [--out FILE]

Reads Tests/Fixtures/field/manifest.json. Scores only `real` and `partial` fixtures (reconstructed ones are
listed but never counted), separately on the held-out split and on train:
  - layer correct: verdict.layer == manifest layer (fixtures whose manifest layer is `unknown` have no layer
    id to attribute yet and are reported apart, not scored for layer);
  - cause correct: verdict.cause == manifest cause.
wafw00f (the peer, `pip install wafw00f`) is run on the same held-out fixtures: each fixture's raw response is
served from a loopback server (127.0.0.1, a free port, one server per fixture, every request answered with the
fixture) and `wafw00f -a` is pointed at it. Its product names are mapped to report-v1 layer ids (WAFW00F_LAYERS
below). It is scored on the WAF/CDN subset (manifest layer in WAF_CDN_LAYERS, where naming the product is
wafw00f's job; "no WAF" or a generic answer counts as wrong) and, for completeness, on every held-out fixture
(where a non-WAF layer can only be right if wafw00f maps to it, e.g. IIS via "ASP.NET Generic").
Python standard library only, plus the wafw00f command.
"""
import argparse, collections, datetime, hashlib, json, os, re, socket, subprocess, sys, tempfile, threading, time
from http import HTTPStatus

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
FIELD = os.path.join(ROOT, 'Tests', 'Fixtures', 'field')
DEFAULT_WHY403 = '/work/main/.build/debug/why403'

WAF_CDN_LAYERS = {'cloudflare', 'cloudfront', 'aws-waf', 'akamai', 'fastly', 'imperva', 'sucuri', 'modsecurity',
                  'wordfence', 'f5', 'varnish', 'barracuda', 'datadome', 'human', 'azure-front-door'}

# wafw00f product name (as `wafw00f -l` prints it) -> report-v1 layer id. Anything else maps to "other:<name>".
WAFW00F_LAYERS = {
    'Cloudflare (Cloudflare Inc.)': 'cloudflare',
    'Cloudfront (Amazon)': 'cloudfront',
    'AWS Elastic Load Balancer (Amazon)': 'aws-waf',
    'Kona SiteDefender (Akamai)': 'akamai',
    'Fastly (Fastly CDN)': 'fastly',
    'Incapsula (Imperva Inc.)': 'imperva',
    'SecureSphere (Imperva Inc.)': 'imperva',
    'Sucuri CloudProxy (Sucuri Inc.)': 'sucuri',
    'GoDaddy Website Protection (GoDaddy)': 'sucuri',
    'ModSecurity (SpiderLabs)': 'modsecurity',
    'Wordfence (Defiant)': 'wordfence',
    'BIG-IP AP Manager (F5 Networks)': 'f5',
    'BIG-IP AppSec Manager (F5 Networks)': 'f5',
    'BIG-IP Local Traffic Manager (F5 Networks)': 'f5',
    'FirePass (F5 Networks)': 'f5',
    'Trafficshield (F5 Networks)': 'f5',
    'Varnish (OWASP)': 'varnish',
    'CacheWall (Varnish)': 'varnish',
    'Barracuda (Barracuda Networks)': 'barracuda',
    'NetContinuum (Barracuda Networks)': 'barracuda',
    'PerimeterX (PerimeterX)': 'human',
    'Azure Front Door (Microsoft)': 'azure-front-door',
    'Azure Application Gateway (Microsoft)': 'azure-front-door',
    'Envoy (EnvoyProxy)': 'envoy',
    'Open-Resty Lua Nginx (FLOSS)': 'nginx',
    'ASP.NET Generic (Microsoft)': 'iis',
    'URLScan (Microsoft)': 'iis',
    'RequestValidationMode (Microsoft)': 'iis',
}
HOP_HEADERS = {'content-length', 'transfer-encoding', 'content-encoding', 'connection', 'keep-alive'}


def load_manifest():
    with open(os.path.join(FIELD, 'manifest.json')) as f:
        return json.load(f)


def split_of(name):
    """The split rule, re-derived here so a hand-edited manifest cannot drift from it."""
    return 'heldout' if hashlib.sha256(os.path.basename(name).encode()).digest()[0] < 0x4D else 'train'


def same_thread_twins(man):
    """Fixtures that repeat another from the same source (the same thread or file) byte for byte but for white space:
    one capture filed twice, which counts it twice and, across the split, measures a rule on its own capture.
    The same canonical message from different sources is not a twin (people do meet the same fixed reply)."""
    seen, twins = {}, []
    for e in man:
        with open(os.path.join(FIELD, e['file']), 'rb') as f:
            body = re.sub(rb'\s+', b'', f.read())
        key = (hashlib.sha256(body).hexdigest(), e['source'].split('#')[0].rstrip('/'))
        if key in seen:
            twins.append((seen[key], e['file']))
        else:
            seen[key] = e['file']
    return twins


def wait_for(path, wait):
    deadline = time.time() + wait
    while not (os.path.isfile(path) and os.access(path, os.X_OK)):
        if time.time() >= deadline:
            return False
        print(f'waiting for {path} ...', file=sys.stderr)
        time.sleep(min(30, max(1, deadline - time.time())))
    return True


def run_why403(binary, path):
    try:
        p = subprocess.run([binary, 'response', path, '--format', 'json'], capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return {'error': 'timeout'}
    if p.returncode != 0:
        last = (p.stderr.decode(errors='replace').strip().splitlines() or [''])[-1]
        return {'error': f'exit {p.returncode}: {last[:120]}'}
    try:
        rep = json.loads(p.stdout)
    except ValueError:
        return {'error': 'stdout is not JSON'}
    v = rep.get('verdict') or {}
    return {'layer': v.get('layer'), 'cause': v.get('cause'), 'status': v.get('status'),
            'rule': ((rep.get('findings') or [{}])[0] or {}).get('rule')}


# ---- wafw00f against a loopback replay of the fixture ---------------------------------------------------------

def wire_bytes(path):
    """The fixture as an HTTP/1.1 response on the wire: status line normalised to HTTP/1.1, hop-by-hop and
    encoding headers replaced by the body's real length (the saved body is already decoded), Connection: close."""
    raw = open(path, 'rb').read().replace(b'\r\n', b'\n')
    head, sep, body = raw.partition(b'\n\n')
    lines = head.split(b'\n')
    m = re.match(rb'HTTP/[0-9.]+\s+(\d{3})\s*(.*)', lines[0])
    code = int(m.group(1))
    reason = m.group(2).strip()
    if not reason:
        reason = HTTPStatus(code).phrase.encode() if code in HTTPStatus._value2member_map_ else b'Status'
    out = [b'HTTP/1.1 %d %s' % (code, reason)]
    for l in lines[1:]:
        name = l.split(b':', 1)[0].strip().lower().decode(errors='replace')
        if l[:1] in (b' ', b'\t'):  # folded continuation of the previous header
            out.append(l); continue
        if name in HOP_HEADERS or not l.strip():
            continue
        out.append(l)
    out += [b'Content-Length: %d' % len(body), b'Connection: close']
    return b'\r\n'.join(out) + b'\r\n\r\n' + body


class Replay:
    """One loopback server per fixture: every request gets the fixture. Bounded: short timeouts, request cap."""
    def __init__(self, payload, cap=300):
        self.payload, self.cap, self.count = payload, cap, 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(('127.0.0.1', 0)); self.sock.listen(16); self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.stop = False
        self.thread = threading.Thread(target=self.serve, daemon=True); self.thread.start()

    def serve(self):
        while not self.stop and self.count < self.cap:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            self.count += 1
            try:
                conn.settimeout(3)
                data = b''
                while b'\r\n\r\n' not in data and len(data) < 65536:
                    chunk = conn.recv(4096)
                    if not chunk: break
                    data += chunk
                conn.sendall(self.payload)
            except OSError:
                pass
            finally:
                conn.close()

    def close(self):
        self.stop = True
        self.thread.join(2)
        self.sock.close()


def run_wafw00f(path, timeout=90):
    rep = Replay(wire_bytes(path))
    fd, out = tempfile.mkstemp(suffix='.json'); os.close(fd); os.unlink(out)
    try:
        p = subprocess.run(['wafw00f', '-a', '--no-colors', '-T', '5', '-o', out, '-f', 'json',
                            f'http://127.0.0.1:{rep.port}/'], capture_output=True, timeout=timeout)
        text = p.stdout.decode(errors='replace')
    except subprocess.TimeoutExpired:
        return {'names': [], 'error': 'timeout', 'requests': rep.count}
    finally:
        rep.close()
    names = []
    try:
        data = json.load(open(out))
        os.unlink(out)
        for d in (data if isinstance(data, list) else [data]):
            if d.get('detected') and d.get('firewall'):
                fw, mf = d['firewall'], d.get('manufacturer') or ''
                names.append(f'{fw} ({mf})' if mf and not fw.endswith(')') else fw)
    except (OSError, ValueError):
        pass
    # text output is authoritative for -a (every match is printed); the JSON keeps the first one
    for m in re.finditer(r'is behind (.+?) WAF', text):
        n = m.group(1).strip()
        if n not in names: names.append(n)
    generic = 'seems to be behind a WAF or some sort of security solution' in text
    return {'names': names, 'generic': generic, 'requests': rep.count}


def wafw00f_layers(names):
    out = []
    for n in names:
        out.append(WAFW00F_LAYERS.get(n, 'other:' + n))
    return out


# ---- scoring ----------------------------------------------------------------------------------------------------

def pct(a, b):
    return f'{a}/{b} ({100.0 * a / b:.1f}%)' if b else '0/0'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--why403', default=DEFAULT_WHY403)
    ap.add_argument('--wait', type=int, default=3600, help='seconds to poll for the binary (it may still be building)')
    ap.add_argument('--no-wafw00f', action='store_true')
    ap.add_argument('--out', default=None, help='results file (default Benchmarks/field/results/<date>.txt)')
    args = ap.parse_args()

    man = load_manifest()
    bad = [e['file'] for e in man if split_of(e['file']) != e['split']]
    if bad:
        sys.exit(f'manifest split disagrees with the SHA-256 rule for: {bad}')
    twins = same_thread_twins(man)
    if twins:
        sys.exit(f'the same response from the same source is in the corpus twice (keep one): {twins}')
    lines = []
    def say(s='', quiet=False):
        # quiet: the results file only, not the terminal (held-out misses by family are not shown to
        # whoever is writing signatures; they read the file when their last signature change is in).
        if not quiet:
            print(s)
        lines.append(s)

    if not wait_for(args.why403, args.wait):
        sys.exit(f'{args.why403} did not appear within {args.wait} s')
    binary = os.path.realpath(args.why403)
    ver = subprocess.run([binary, '--version'], capture_output=True).stdout.decode().strip()
    commit = ''
    d = os.path.dirname(binary)
    while d != '/' and not os.path.isdir(os.path.join(d, '.git')) and not os.path.isfile(os.path.join(d, '.git')):
        d = os.path.dirname(d)
    if d != '/':
        commit = subprocess.run(['git', '-C', d, 'log', '-1', '--format=%H %cd'], capture_output=True).stdout.decode().strip()
        dirty = subprocess.run(['git', '-C', d, 'status', '--porcelain', '--untracked-files=no'], capture_output=True).stdout.decode().strip()
        commit += ' (working tree ' + ('has uncommitted changes' if dirty else 'clean') + ')'
        ct = subprocess.run(['git', '-C', d, 'log', '-1', '--format=%ct'], capture_output=True).stdout.decode().strip()
        if ct.isdigit() and os.path.getmtime(binary) < int(ct):
            commit += ' -- NOTE: the binary is older than this commit, so it was built from an earlier tree'
    built = datetime.datetime.utcfromtimestamp(os.path.getmtime(binary)).strftime('%Y-%m-%d %H:%M UTC')
    wver = 'not run'
    if not args.no_wafw00f:
        out = subprocess.run(['wafw00f', '--version'], capture_output=True).stdout.decode()
        m = re.search(r'v(\d+(?:\.\d+)+)', re.sub(r'\x1b\[[0-9;]*m', '', out))
        wver = m.group(1) if m else out.strip()[-80:]
    say(f'# why403 field benchmark, {datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")}')
    say(f'why403: {binary} ({ver}, built {built}){" at " + commit if commit else ""}')
    say(f'wafw00f: {wver}')
    kinds = collections.Counter(e['kind'] for e in man)
    say(f'fixtures: {len(man)} ({kinds["real"]} real, {kinds["partial"]} partial, {kinds["reconstructed"]} reconstructed)')
    say()

    results = {}
    for e in man:
        results[e['file']] = run_why403(binary, os.path.join(FIELD, e['file']))

    raw = ['', '## per fixture (file | split | kind | expected layer/cause | why403 layer/cause [rule] | wafw00f)']
    waf = {}
    if not args.no_wafw00f:
        for e in man:
            if e['split'] == 'heldout' and e['kind'] != 'reconstructed':
                waf[e['file']] = run_wafw00f(os.path.join(FIELD, e['file']))

    for split in ('heldout', 'train'):
        items = [e for e in man if e['split'] == split and e['kind'] != 'reconstructed']
        scored = [e for e in items if e['layer'] != 'unknown']
        lay = sum(1 for e in scored if results[e['file']].get('layer') == e['layer'])
        cau = sum(1 for e in items if results[e['file']].get('cause') == e['cause'])
        both = sum(1 for e in scored if results[e['file']].get('layer') == e['layer'] and results[e['file']].get('cause') == e['cause'])
        errs = sum(1 for e in items if 'error' in results[e['file']])
        sub = [e for e in scored if e['layer'] in WAF_CDN_LAYERS]
        sublay = sum(1 for e in sub if results[e['file']].get('layer') == e['layer'])
        say(f'## why403 on {split} (real + partial: {len(items)}; {len(items) - len(scored)} with manifest layer `unknown` not scored for layer)')
        say(f'  layer correct: {pct(lay, len(scored))}')
        say(f'  cause correct: {pct(cau, len(items))}')
        say(f'  layer and cause: {pct(both, len(scored))}')
        say(f'  WAF/CDN subset, layer correct: {pct(sublay, len(sub))}')
        say(f'  errors (no JSON verdict): {errs}')
        fam = collections.defaultdict(lambda: [0, 0, 0])
        for e in items:
            f = e['file'].split('/')[0]; r = results[e['file']]
            fam[f][0] += 1
            if e['layer'] != 'unknown' and r.get('layer') != e['layer']: fam[f][1] += 1
            if r.get('cause') != e['cause']: fam[f][2] += 1
        quiet = split == 'heldout'
        say('  misses per family (family: fixtures, layer misses, cause misses)'
            + (': in the results file only' if quiet else ':'))
        for f, (n, lm, cm) in sorted(fam.items(), key=lambda kv: (-kv[1][1], -kv[1][2], kv[0])):
            if lm or cm:
                say(f'    {f}: {n}, {lm}, {cm}', quiet=quiet)
        say()

    if waf:
        items = [e for e in man if e['file'] in waf]
        sub = [e for e in items if e['layer'] in WAF_CDN_LAYERS]
        def first_ok(e):
            ls = wafw00f_layers(waf[e['file']]['names']); return bool(ls) and ls[0] == e['layer']
        def any_ok(e):
            return e['layer'] in wafw00f_layers(waf[e['file']]['names'])
        scored = [e for e in items if e['layer'] != 'unknown']
        w_sub_first = sum(1 for e in sub if first_ok(e)); w_sub_any = sum(1 for e in sub if any_ok(e))
        w_all = sum(1 for e in scored if first_ok(e))
        y_sub = sum(1 for e in sub if results[e['file']].get('layer') == e['layer'])
        y_all = sum(1 for e in scored if results[e['file']].get('layer') == e['layer'])
        nowaf = sum(1 for e in sub if not waf[e['file']]['names'])
        say(f'## held-out, same run: why403 vs wafw00f (layer only; wafw00f names no cause)')
        say(f'  WAF/CDN subset ({len(sub)} fixtures): why403 {pct(y_sub, len(sub))}; wafw00f {pct(w_sub_first, len(sub))} '
            f'(first product named), {pct(w_sub_any, len(sub))} (any product named with -a); wafw00f said "no WAF"/generic on {nowaf}')
        say(f'  all held-out with a layer id ({len(scored)}): why403 {pct(y_all, len(scored))}; wafw00f {pct(w_all, len(scored))} '
            f'(a non-WAF layer counts for wafw00f only if it maps to it, e.g. ASP.NET Generic -> iis)')
        fam = collections.defaultdict(lambda: [0, 0])
        for e in sub:
            f = e['file'].split('/')[0]; fam[f][0] += 1
            if not first_ok(e): fam[f][1] += 1
        say('  wafw00f misses per WAF/CDN family (fixtures, misses): ' + ', '.join(f'{f} {n}/{m}' for f, (n, m) in sorted(fam.items())))
        say()

    for e in sorted(man, key=lambda e: (e['split'], e['file'])):
        r = results[e['file']]
        got = r.get('error') or f"{r.get('layer')}/{r.get('cause')} [{r.get('rule')}]"
        w = waf.get(e['file'])
        ws = '-' if w is None else (', '.join(w['names']) or ('generic' if w.get('generic') else 'no WAF')) + (f" ({w['error']})" if w.get('error') else '')
        mark = ('L' if e['layer'] == 'unknown' or r.get('layer') == e['layer'] else 'l') + ('C' if r.get('cause') == e['cause'] else 'c')
        raw.append(f"{mark} {e['file']} | {e['split']} | {e['kind']} | {e['layer']}/{e['cause']} | {got} | {ws}")
    for l in raw:
        lines.append(l)
    out = args.out or os.path.join(ROOT, 'Benchmarks', 'field', 'results', datetime.datetime.utcnow().strftime('%Y-%m-%d') + '.txt')
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print(f'\nraw results: {out}')


if __name__ == '__main__':
    main()
