"""A minimal HTTP front for one CGI program (MapServer's ``mapserv``), for the tests:
``python cgi_host.py PORT PROGRAM [NAME=VALUE ...]``. Each GET runs the program with the
CGI environment (REQUEST_METHOD, QUERY_STRING, ...) and relays its headers and body."""

from __future__ import annotations

import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    program: str = ""
    extra_env: dict[str, str] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path, _, query = self.path.partition("?")
        env = dict(os.environ, **self.extra_env, GATEWAY_INTERFACE="CGI/1.1", REQUEST_METHOD="GET",
                   QUERY_STRING=query, SCRIPT_NAME=path, SERVER_NAME="127.0.0.1",
                   SERVER_PORT=str(self.server.server_address[1]), SERVER_PROTOCOL="HTTP/1.1")
        out = subprocess.run([self.program], env=env, capture_output=True, timeout=120).stdout
        sep = b"\r\n\r\n" if b"\r\n\r\n" in out[:2000] else b"\n\n"
        head, _, body = out.partition(sep)
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            k, _, v = line.partition(":")
            if k.lower() == "status":
                status = int(v.split()[0])
            elif k:
                headers.append((k.strip(), v.strip()))
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt: str, *args) -> None:
        sys.stderr.write((fmt % args) + "\n")


if __name__ == "__main__":
    Handler.program = sys.argv[2]
    Handler.extra_env = dict(a.split("=", 1) for a in sys.argv[3:])
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
