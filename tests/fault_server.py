"""A fault-injecting copy of the site on 127.0.0.1 (stdlib only), for tests/test_faults.py.

It serves ``tests/site/routes.json`` like ``tests/site_server.py`` but writes raw HTTP/1.1
itself, so a route can misbehave in ways a well-behaved server cannot: reset the
connection, send fewer bytes than its Content-Length, stop a chunked body without its last
chunk, answer 429/503 with ``Retry-After`` a number of times, redirect in a loop or off the
site, send a gzip bomb, a huge or chunked-huge page, answer too slowly, declare the wrong
charset. Every page it serves is a RECONSTRUCTION (see ``tests/site_build.py``).

Bounded: every connection has a socket timeout, every loop a fixed number of rounds, and
the server stops itself after ``lifetime`` seconds even if a test forgets to.

    with FaultServer() as server:
        server.fault("/article/13099992", "reset")
        server.fault("/robots.txt", "status", status=503)
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "site"
SOCKET_TIMEOUT = 15.0
MAX_HEADER_LINES = 100
CHUNK = 16 * 1024

FAULTS = ("reset", "cut", "short_length", "chunked_cut", "status", "redirect_loop", "redirect",
          "gzip_bomb", "huge", "huge_chunked", "slow", "recode", "body")


def gzip_bomb(decompressed: int) -> bytes:
    """A gzip body of ``decompressed`` zero bytes, compressed ~1000:1, built in pieces."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(decompressed // len(block))]
    parts.append(compressor.flush())
    return b"".join(parts)


class FaultServer:
    def __init__(self, root: Path = ROOT, lifetime: float = 900.0):
        self.root = root
        self.routes: dict[str, dict] = json.loads((root / "routes.json").read_text(encoding="utf-8"))
        self.faults: dict[str, dict] = {}
        self.hits: dict[str, list[float]] = {}
        self.lock = threading.Lock()
        self.lifetime = lifetime
        self._server: socketserver.ThreadingTCPServer | None = None
        self._timer: threading.Timer | None = None

    # --- control -------------------------------------------------------------------------

    def fault(self, path: str, kind: str, **options) -> None:
        assert kind in FAULTS, kind
        with self.lock:
            self.faults[path] = {"kind": kind, **options}

    def clear(self) -> None:
        with self.lock:
            self.faults.clear()
            self.hits.clear()

    def times(self, path: str) -> list[float]:
        with self.lock:
            return list(self.hits.get(path, []))

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultServer:
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.settimeout(SOCKET_TIMEOUT)
                try:
                    server.serve(self.request)
                except OSError:
                    pass  # the client hung up, or a fault closed the socket

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True, name="fault-server").start()
        self._timer = threading.Timer(self.lifetime, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- serving ---------------------------------------------------------------------

    def page(self, path: str) -> tuple[int, dict, bytes]:
        """The intact route: status, headers, body."""
        route = self.routes.get(path) or self.routes.get(path.split("?")[0])
        if route is None:
            return 404, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body>404</body></html>"
        headers = {"Content-Type": route.get("content_type", "text/html; charset=utf-8"),
                   **route.get("headers", {})}
        if "location" in route:
            return int(route["status"]), {**headers, "Location": route["location"]}, b""
        body = (self.root / route["file"]).read_bytes() if "file" in route else b""
        return int(route.get("status", 200)), headers, body

    def serve(self, sock: socket.socket) -> None:
        reader = sock.makefile("rb")
        for _ in range(100):  # keep-alive requests on one connection, bounded
            request_line = reader.readline(8192)
            if not request_line.strip():
                return
            for _ in range(MAX_HEADER_LINES):
                if reader.readline(8192) in (b"\r\n", b"\n", b""):
                    break
            path = request_line.split()[1].decode("latin-1")
            with self.lock:
                self.hits.setdefault(path, []).append(time.monotonic())
                fault = dict(self.faults.get(path) or self.faults.get(path.split("?")[0]) or {})
                if fault.get("times") is not None:  # a fault that stops after N answers
                    key = path if path in self.faults else path.split("?")[0]
                    self.faults[key]["times"] -= 1
                    if self.faults[key]["times"] <= 0:
                        del self.faults[key]
            if not self.answer(sock, path, fault):
                return

    def answer(self, sock: socket.socket, path: str, fault: dict) -> bool:
        """Write the response; False when the connection must be closed."""
        status, headers, body = self.page(path)
        kind = fault.get("kind")
        route = self.routes.get(path.split("?")[0], {})
        if not kind and route.get("generate") == "huge":  # the copy's own oversized page
            kind, fault = "huge", {"bytes": route.get("bytes", 12_000_000)}
        if kind == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
            sock.close()
            return False
        if kind == "body":
            body = fault["body"]
            headers = {**headers, **fault.get("headers", {})}
            status = fault.get("status", status)
        if kind == "recode":  # the same text in another charset, declared as ``declared``
            body = body.decode("utf-8").replace("charset=\"utf-8\"", f"charset=\"{fault['declared']}\"")
            body = body.encode(fault["encoding"], "xmlcharrefreplace")
            headers = {**headers, "Content-Type": f"text/html; charset={fault['declared']}"}
        if kind == "cut":  # cut with a Content-Length that matches the cut body
            body = body[: int(len(body) * fault.get("share", 0.5))]
        if kind == "status":
            status, body = fault["status"], b"<html><body>busy</body></html>"
            if "retry_after" in fault:
                headers = {**headers, "Retry-After": str(fault["retry_after"])}
        if kind == "redirect_loop":
            return self.write(sock, 302, {"Location": path, "Content-Length": "0"}, b"")
        if kind == "redirect":
            return self.write(sock, 301, {"Location": fault["location"], "Content-Length": "0"}, b"")
        if kind == "slow":
            time.sleep(min(fault.get("seconds", 5), SOCKET_TIMEOUT))
        if kind == "gzip_bomb":
            body = gzip_bomb(fault.get("decompressed", 64 * 1024 * 1024))
            headers = {**headers, "Content-Encoding": "gzip"}
        if kind in ("huge", "huge_chunked"):
            return self.write_huge(sock, status, headers, fault.get("bytes", 12_000_000),
                                   chunked=kind == "huge_chunked")
        if kind == "short_length":  # announces the whole body, sends half of it
            self.write_head(sock, status, {**headers, "Content-Length": str(len(body))})
            sock.sendall(body[: len(body) // 2])
            return False
        if kind == "chunked_cut":  # chunked, stops mid-body without the last chunk
            self.write_head(sock, status, {**headers, "Transfer-Encoding": "chunked"})
            half = body[: len(body) // 2]
            for start in range(0, len(half), CHUNK):
                part = half[start:start + CHUNK]
                sock.sendall(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            return False
        return self.write(sock, status, {**headers, "Content-Length": str(len(body))}, body)

    def write_head(self, sock, status: int, headers: dict) -> None:
        lines = [f"HTTP/1.1 {status} X"] + [f"{name}: {value}" for name, value in headers.items()]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def write(self, sock, status: int, headers: dict, body: bytes) -> bool:
        self.write_head(sock, status, headers)
        sock.sendall(body)
        return True

    def write_huge(self, sock, status: int, headers: dict, size: int, chunked: bool) -> bool:
        head = b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><article>"
        fill = b"<p>padding to exceed the download size cap</p>\n" * 1000
        if chunked:
            self.write_head(sock, status, {**headers, "Transfer-Encoding": "chunked"})
        else:
            self.write_head(sock, status, {**headers, "Content-Length": str(size)})
        sent = 0
        for part in [head] + [fill] * (size // len(fill) + 1):  # bounded by size
            part = part[: size - sent]
            if not part:
                break
            sock.sendall(f"{len(part):x}\r\n".encode() + part + b"\r\n" if chunked else part)
            sent += len(part)
        if chunked:
            sock.sendall(b"0\r\n\r\n")
        return False


__all__ = ["FaultServer", "gzip_bomb"]
