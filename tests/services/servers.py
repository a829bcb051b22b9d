"""Real feature servers on localhost for the service tests: pygeoapi (OGC API - Features,
GeoJSON provider) and MapServer's CGI (WFS 2.0) behind Python's CGI-capable HTTP server.

Each starts as its own process on a free port from files in a temporary folder and is
stopped (by its process id) afterwards. The data: a grid of small parcels in Longgang in
lon/lat, and the same parcels shifted into GCJ-02 (as Amap-style services publish them).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lzt.core import chinacoords

KINDS = ("park", "school", "housing", "industry")


def parcels(nx: int = 60, ny: int = 40) -> list[dict]:
    """``nx * ny`` square parcels (about 150 m) over Longgang, as GeoJSON features (lon/lat)."""
    feats = []
    for j in range(ny):
        for i in range(nx):
            x0, y0 = 114.20 + i * 0.0016, 22.68 + j * 0.0016
            k = j * nx + i
            feats.append({"type": "Feature", "id": k + 1,
                          "properties": {"name": f"地块{k + 1}", "kind": KINDS[k % 4],
                                         "area": round(1000.0 + k * 0.5, 1), "floors": k % 30},
                          "geometry": {"type": "Polygon", "coordinates": [[
                              [x0, y0], [x0 + 0.0012, y0], [x0 + 0.0012, y0 + 0.0012],
                              [x0, y0 + 0.0012], [x0, y0]]]}})
    return feats


def gcj02(feats: list[dict], system: str = "gcj02") -> list[dict]:
    """The same features with every vertex moved into GCJ-02 (or BD-09: ``system="bd09"``)."""
    out = []
    move = chinacoords.wgs84_to_gcj02 if system == "gcj02" else chinacoords.wgs84_to_bd09
    for f in feats:
        ring = np.array(f["geometry"]["coordinates"][0])
        x, y = move(ring[:, 0], ring[:, 1])
        out.append({**f, "geometry": {"type": "Polygon",
                                      "coordinates": [np.column_stack([x, y]).tolist()]}})
    return out


def write_collection(path: Path, feats: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: Path

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _wait(url: str, proc: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"server did not answer {url}: {log.read_text(errors='replace')[-2000:]}")


def load_postgis(conn_url: str, table: str, feats: list[dict]) -> None:
    """The features as a PostGIS table (id, name, kind, area, floors, geom in EPSG:4326)."""
    import psycopg

    with psycopg.connect(conn_url, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"CREATE TABLE {table} (id integer PRIMARY KEY, name text, kind text, area double precision, "
                     "floors integer, geom geometry(Polygon, 4326))")
        with conn.cursor() as cur:
            cur.executemany(f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s, ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326))",
                            [(f["id"], f["properties"]["name"], f["properties"]["kind"], f["properties"]["area"],
                              f["properties"]["floors"], json.dumps(f["geometry"])) for f in feats])
        conn.execute(f"CREATE INDEX ON {table} USING gist (geom)")


def start_pygeoapi(root: Path, collections: dict[str, Path], max_items: int = 500,
                   postgres: dict[str, tuple[dict, str]] | None = None) -> Server:
    """pygeoapi (flask) serving GeoJSON files as OGC API - Features collections, and PostGIS
    tables (``postgres``: collection -> (connection fields, table)) through its PostgreSQL
    provider, which filters by CQL2."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    res = ""
    for cid, (conn, table) in (postgres or {}).items():
        res += textwrap.indent(textwrap.dedent(f"""\
            {cid}:
              type: collection
              title: {cid}
              description: test parcels in PostGIS
              keywords: [parcels]
              extents:
                spatial:
                  bbox: [113.7, 22.4, 114.6, 22.9]
                  crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84
              providers:
                - type: feature
                  name: PostgreSQL
                  data: {json.dumps(conn)}
                  id_field: id
                  table: {table}
                  geom_field: geom
            """), "  ")
    for cid, path in collections.items():
        res += textwrap.indent(textwrap.dedent(f"""\
            {cid}:
              type: collection
              title: {cid}
              description: test parcels
              keywords: [parcels]
              extents:
                spatial:
                  bbox: [113.7, 22.4, 114.6, 22.9]
                  crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84
              providers:
                - type: feature
                  name: GeoJSON
                  data: {path}
                  id_field: id
            """), "  ")
    cfg = textwrap.dedent(f"""\
        server:
          bind: {{host: 127.0.0.1, port: {port}}}
          url: {url}
          mimetype: application/json; charset=UTF-8
          encoding: utf-8
          language: en-US
          limits: {{default_items: 10, max_items: {max_items}}}
          map:
            url: "https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png"
            attribution: none
        logging: {{level: ERROR}}
        metadata:
          identification: {{title: lzt test, description: test, keywords: [test], keywords_type: theme,
                            terms_of_service: none, url: "http://127.0.0.1"}}
          license: {{name: none, url: "http://127.0.0.1"}}
          provider: {{name: lzt, url: "http://127.0.0.1"}}
          contact: {{name: lzt, position: x, address: x, city: x, stateorprovince: x, postalcode: x,
                     country: x, phone: x, fax: x, email: x, url: x, hours: x, instructions: x,
                     role: pointOfContact}}
        resources:
        """) + res
    (root / "pygeoapi.yml").write_text(cfg, encoding="utf-8")
    env = dict(os.environ, PYGEOAPI_CONFIG=str(root / "pygeoapi.yml"), PYGEOAPI_OPENAPI=str(root / "openapi.yml"))
    subprocess.run([sys.executable, "-c", "from pygeoapi import cli; cli()", "openapi", "generate", str(root / "pygeoapi.yml"),
                    "--output-file", str(root / "openapi.yml")], env=env, check=True, capture_output=True,
                   cwd=root, timeout=120)
    log = root / "pygeoapi.log"
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "pygeoapi.flask_app", "run",
                             "--host", "127.0.0.1", "--port", str(port), "--without-threads"],
                            env=env, cwd=root, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    _wait(f"{url}/conformance?f=json", proc, log)
    return Server(url, proc, log)


MAPSERV = shutil.which("mapserv")


def start_mapserver(root: Path, layers: dict[str, Path]) -> Server:
    """MapServer's CGI (``mapserv``) serving GeoJSON files as WFS 2.0 feature types (default
    CRS urn EPSG::4326, also 4490 and 3857; GML 3.2 and GeoJSON output), run per request by
    ``cgi_host.py``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/cgi-bin/mapserv"
    blocks = ""
    for name, path in layers.items():
        blocks += textwrap.dedent(f"""\
          LAYER
            NAME "{name}"
            TYPE POLYGON
            CONNECTIONTYPE OGR
            CONNECTION "{path}"
            PROJECTION "init=epsg:4326" END
            METADATA
              "wfs_title" "{name}"
              "gml_include_items" "all"
              "gml_types" "auto"
              "gml_featureid" "id"
              "wfs_srs" "EPSG:4326 EPSG:4490 EPSG:3857 EPSG:4547"
              "wfs_enable_request" "*"
            END
          END
        """)
    (root / "lzt.map").write_text(textwrap.dedent(f"""\
        MAP
          NAME "lzt_test"
          EXTENT 113.7 22.4 114.6 22.9
          PROJECTION "init=epsg:4326" END
          WEB
            METADATA
              "wfs_title" "lzt test"
              "wfs_onlineresource" "{url}?"
              "wfs_srs" "EPSG:4326 EPSG:4490 EPSG:3857 EPSG:4547"
              "wfs_enable_request" "*"
              "wfs_getfeature_formatlist" "geojson"
              "wfs_maxfeatures" "800"
            END
          END
          OUTPUTFORMAT
            NAME "geojson"
            DRIVER "OGR/GEOJSON"
            MIMETYPE "application/json; subtype=geojson"
            FORMATOPTION "STORAGE=stream"
            FORMATOPTION "FORM=SIMPLE"
          END
        """) + blocks + "END\n", encoding="utf-8")
    (root / "mapserver.conf").write_text(textwrap.dedent(f"""\
        CONFIG
          ENV
            MS_MAP_PATTERN "."
            MS_MAPFILE "{root / 'lzt.map'}"
          END
        END
        """), encoding="utf-8")
    log = root / "mapserver.log"
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("cgi_host.py")), str(port), MAPSERV,
                             f"MAPSERVER_CONFIG_FILE={root / 'mapserver.conf'}"],
                            cwd=root, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    _wait(f"{url}?SERVICE=WFS&REQUEST=GetCapabilities", proc, log)
    return Server(url, proc, log)


def start_forbidding(root: Path) -> Server:
    """An HTTP server that answers every request with 403 and an HTML page (as a gateway
    refusing an unauthorised client does)."""
    port = free_port()
    script = root / "forbid.sh"
    script.write_text("#!/bin/sh\nprintf 'Status: 403 Forbidden\\r\\nContent-Type: text/html\\r\\n\\r\\n"
                      "<html><body>403 Forbidden</body></html>'\n")
    script.chmod(0o755)
    log = root / "forbid.log"
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("cgi_host.py")), str(port), str(script)],
                            cwd=root, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/wfs"
    end = time.monotonic() + 30
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(url, timeout=5)
        except urllib.error.HTTPError:
            return Server(url, proc, log)
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the 403 server did not start")
