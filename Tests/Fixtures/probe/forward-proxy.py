#!/usr/bin/env python3
"""A small forward proxy for the probe tests: HTTP (absolute-form requests and CONNECT tunnels) and
SOCKS5 (no authentication, CONNECT only) on one port, told apart by the first byte. Every request it
relays is appended to LOG as one line ("HTTP GET http://...", "CONNECT host:port", "SOCKS5 host:port")
with the request headers it saw, so a test can check what went through the proxy and what did not.

Usage: forward-proxy.py PORT LOG
Only for tests on loopback: it relays to any address and keeps nothing.
"""
import socket
import socketserver
import struct
import sys
import threading

PORT, LOG = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()


def log(line):
    with lock, open(LOG, "a") as f:
        f.write(line + "\n")


def pipe(a, b):
    """Copies both ways until either side closes."""
    def one(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
    t = threading.Thread(target=one, args=(b, a), daemon=True)
    t.start()
    one(a, b)
    t.join(5)


def read_head(sock, first):
    data = first
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), rest


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        c = self.request
        first = c.recv(1)
        if not first:
            return
        if first == b"\x05":
            return self.socks5(c)
        head, rest = read_head(c, first)
        lines = head.split("\r\n")
        method, target, version = lines[0].split(" ", 2)
        headers = [l for l in lines[1:] if l]
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            log("CONNECT %s | %s" % (target, " | ".join(headers)))
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
            c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            return pipe(c, upstream)
        # Absolute-form: http://host:port/path
        log("HTTP %s %s | %s" % (method, target, " | ".join(headers)))
        assert target.startswith("http://")
        hostport, _, path = target[7:].partition("/")
        host, _, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "80")
        upstream = socket.create_connection((host.strip("[]"), int(port or 80)), timeout=10)
        kept = [h for h in headers if not h.lower().startswith(("proxy-", "connection:"))]
        upstream.sendall(("%s /%s %s\r\n%s\r\nConnection: close\r\n\r\n" % (method, path, version, "\r\n".join(kept))).encode("latin-1") + rest)
        pipe(c, upstream)

    def socks5(self, c):
        n = c.recv(1)[0]
        c.recv(n)
        c.sendall(b"\x05\x00")  # no authentication
        ver, cmd, _, atyp = c.recv(4)
        if atyp == 1:
            host = socket.inet_ntoa(c.recv(4))
        elif atyp == 3:
            host = c.recv(c.recv(1)[0]).decode()
        else:
            host = socket.inet_ntop(socket.AF_INET6, c.recv(16))
        port = struct.unpack("!H", c.recv(2))[0]
        log("SOCKS5 %s:%d" % (host, port))
        upstream = socket.create_connection((host, port), timeout=10)
        c.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack("!H", PORT))
        pipe(c, upstream)


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


Server(("127.0.0.1", PORT), Handler).serve_forever()
