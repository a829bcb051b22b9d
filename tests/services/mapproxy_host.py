"""Serve a MapProxy configuration on a localhost port (threaded WSGI), with a 天地图-like
front: ``/{layer}_{c|w}/wmts?...&TILEMATRIX=z&TILEROW=y&TILECOL=x&tk=KEY`` answers from
MapProxy's WMTS when ``tk`` is the key in the environment variable TDT_TEST_KEY, and with a
天地图-style JSON error otherwise.

usage: python mapproxy_host.py PORT CONFIG.yaml
"""

import json
import os
import re
import sys
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from mapproxy.wsgiapp import make_wsgi_app


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def tianditu_front(app, key: str):
    path_re = re.compile(r"^/(vec|img|ter|cva|cia|cta)_([cw])/wmts$")

    def wrapped(environ, start_response):
        m = path_re.match(environ.get("PATH_INFO", ""))
        if not m:
            return app(environ, start_response)
        q = {k.upper(): v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if q.get("TK") != key:
            body = json.dumps({"msg": "权限类型错误", "resolve": "请检查密钥", "code": "12"},
                              ensure_ascii=False).encode()
            start_response("403 Forbidden", [("Content-Type", "application/json;charset=utf-8")])
            return [body]
        grid = "tdt_c" if m.group(2) == "c" else "tdt_w"
        new = {"SERVICE": "WMTS", "REQUEST": "GetTile", "VERSION": "1.0.0", "LAYER": "ortho", "STYLE": "default",
               "TILEMATRIXSET": grid, "FORMAT": "image/png", "TILEMATRIX": "%02d" % int(q["TILEMATRIX"]),
               "TILEROW": q["TILEROW"], "TILECOL": q["TILECOL"]}
        environ = dict(environ, PATH_INFO="/service", QUERY_STRING=urlencode(new))
        return app(environ, start_response)

    return wrapped


def main() -> None:
    port, config = int(sys.argv[1]), sys.argv[2]
    app = tianditu_front(make_wsgi_app(config), os.environ.get("TDT_TEST_KEY", ""))
    with make_server("127.0.0.1", port, app, server_class=_Server, handler_class=_Quiet) as srv:
        srv.serve_forever()


if __name__ == "__main__":
    main()
