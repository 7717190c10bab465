#!/usr/bin/env python3
"""Writes a combined-format access log of about SIZE bytes (default 1 GiB) with PCT percent 403s.

Fast: one block of distinct lines is built once, then written again and again with its time stamp
token replaced (bytes.replace runs in C), so 1 GiB takes seconds. The log is generated, never committed.
Usage: generate.py OUT [SIZE_MIB] [PCT_403]
"""
import random
import sys

out = sys.argv[1]
size = int(sys.argv[2]) * 1024 * 1024 if len(sys.argv) > 2 else 1 << 30
pct = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
rnd = random.Random(403)
paths = ["/", "/index.html", "/api/orders", "/api/users/%d", "/static/app.%d.js", "/images/p%d.jpg", "/admin/",
         "/wp-login.php", "/.env", "/reports/q3.pdf", "/search?q=shoes&page=%d", "/login"]
uas = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
       "curl/8.4.0", "python-requests/2.31.0", "Googlebot/2.1 (+http://www.google.com/bot.html)", "sqlmap/1.7.2"]
lines = []
for i in range(20000):
    ip = "%d.%d.%d.%d" % (rnd.choice([10, 172, 192, 203, 198]), rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255))
    if i % 50 == 0:
        ip = "2001:db8::%x" % rnd.randrange(1 << 16)
    p = rnd.choice(paths)
    if "%d" in p:
        p = p % rnd.randrange(1000)
    r = rnd.random() * 100
    status = 403 if r < pct else (404 if r < pct + 2 else (304 if r < pct + 10 else 200))
    size_b = 0 if status in (304,) else rnd.randrange(100, 60000)
    sec = i * 60 // 20000
    lines.append('%s - - [@@DATE@@:%02d +0000] "%s %s HTTP/1.1" %d %d "https://shop.test/" "%s"\n'
                 % (ip, sec, rnd.choice(["GET", "GET", "GET", "POST"]), p, status, size_b, rnd.choice(uas)))
block = "".join(lines).encode()
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
written = 0
minute = 0
with open(out, "wb", buffering=1 << 20) as f:
    while written < size:
        day, rest = divmod(minute, 1440)
        date = "%02d/Nov/2026:%02d:%02d" % (1 + day % 28, rest // 60, rest % 60)
        chunk = block.replace(b"@@DATE@@", date.encode())
        f.write(chunk)
        written += len(chunk)
        minute += 1
print("%s: %d bytes, %d minutes of traffic, %.1f%% 403" % (out, written, minute, pct))
