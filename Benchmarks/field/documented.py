#!/usr/bin/env python3
"""Replays the refusals products document (Benchmarks/field/documented/*.json) through `why403 response`.

    python3 Benchmarks/field/documented.py [--why403 PATH] FILE.json...

Each JSON file was compiled from a product's own source code or documentation (never from Tests/Fixtures; the brief
the compilers followed is documented/PROMPT.md): per refusal, the exact status, body, product headers, cause and source
line. Each one is replayed twice, with its headers and without them (as most pasted refusals are), and the verdict's
layer and cause are compared with the entry's. Placeholders in bodies (`<URI>`, `{time}`, ...) are replaced by plausible
values first. Prints one line per entry (marks: L/l layer right/wrong, C/c cause right/wrong; with headers / without)
and the count of entries whose layer is right without headers. Python standard library only.
"""
import argparse, json, os, re, subprocess, sys, tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
REASON = {400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 407: 'Proxy Authentication Required',
          409: 'Conflict', 413: 'Payload Too Large', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable'}
# product name -> layer id, for the files written before entries carried a `layer` field
LAYER_BY_NAME = {'envoy': 'envoy', 'istio': 'envoy', 'traefik': 'traefik'}
PLACEHOLDERS = {'<URI>': '/private/', '<XID>': '32771', '<version>': '9.0.76', '<path>': '/api/items', '<request_id>': '520c396c6c32b0400f7c33531b7f9b2c',
                '<username>': 'bob', '<project>': 'foo', '<servlet-name>': 'default', '<realm>': 'Protected', '{time}': '2025-01-01T10:00:00.0000000Z',
                '{timestamp}': '2025-01-01 10:00:00Z', '{request-id}': '5e7c1a2b-301e-0042-6f3b-1a2b3c000000',
                '<amount>': '10', '<delay>': '1.5s', '<N>': '30', '<n>': '0'}


def expected_layer(e):
    if e.get('layer'):
        return e['layer']
    name = e['product'].lower()
    return next((v for k, v in LAYER_BY_NAME.items() if k in name), 'api-gateway')


def body_of(e):
    body = e.get('body') or ''
    for k, v in PLACEHOLDERS.items():
        body = body.replace(k, v)
    body = re.sub(r'"<ISO-8601[^>]*>"', '"2024-05-01T10:00:00.000+00:00"', body)
    return re.sub(r'<epoch millis[^>]*>', '1500000000000', body)


def replay(why403, status, headers, body):
    raw = f"HTTP/1.1 {status} {REASON.get(status, '')}\r\n" + ''.join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n" + body
    with tempfile.NamedTemporaryFile('w', suffix='.http', delete=False) as f:
        f.write(raw)
        name = f.name
    try:
        p = subprocess.run([why403, 'response', name, '--format', 'json'], capture_output=True, text=True)
    finally:
        os.unlink(name)
    try:
        r = json.loads(p.stdout)
        v, fs = r['verdict'], r.get('findings') or [{}]
        return v.get('layer'), v.get('cause'), fs[0].get('rule')
    except (ValueError, KeyError):
        return 'error', p.stderr.strip()[-100:], None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--why403', default=os.path.join(ROOT, '.build-release/x86_64-unknown-linux-gnu/release/why403'))
    ap.add_argument('files', nargs='+')
    a = ap.parse_args()
    right = total = 0
    for path in a.files:
        for e in json.load(open(path))['entries']:
            if not isinstance(e.get('status'), int):
                continue
            headers = {'Content-Type': e['content_type']} if e.get('content_type') else {}
            headers.update(e.get('headers') or {})
            want = (expected_layer(e), e.get('cause'))
            body = body_of(e)
            full, bare = replay(a.why403, e['status'], headers, body), replay(a.why403, e['status'], {}, body)
            total += 1
            right += bare[0] == want[0]
            mark = ''.join(['L' if full[0] == want[0] else 'l', 'C' if full[1] == want[1] else 'c', '/',
                            'L' if bare[0] == want[0] else 'l', 'C' if bare[1] == want[1] else 'c'])
            print(f"{mark} {e['product'][:18]:18} {e.get('feature', '')[:24]:24} {e['status']} {want[1]} "
                  f"full={full[0]}/{full[1]}[{full[2]}] bare={bare[0]}/{bare[1]}[{bare[2]}] {body[:60]!r}")
    print(f"layer right without headers: {right}/{total}")


if __name__ == '__main__':
    main()
