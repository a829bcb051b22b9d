"""A real tile server for the raster-service tests: MapProxy (WMTS KVP + RESTful, WMS
1.1.1/1.3.0, TMS/XYZ) over MapServer rendering generated GeoTIFFs, in a 天地图-like EPSG:4490
grid (``tdt_c``: first level 1, 2 x 1 tiles), in 3857 (``tdt_w``, ``webmercator``), with a
天地图-style front that checks the ``tk`` key (``mapproxy_host.py``).

The GeoTIFFs show an analytic pattern: square blocks in EPSG:4547, each its own colour
(``colour_at``), so a test knows the colour any workspace point must have without reading
the image back. ``ortho.tif`` is the pattern in EPSG:4547; ``gcj.tif`` is the same pattern
as a GCJ-02 service publishes it: on a lon/lat grid whose coordinates are GCJ-02 (each pixel
centre taken back to WGS84 with the iterative inverse, then to EPSG:4547).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tests.services.servers import MAPSERV, Server, _wait, free_port


@dataclass(frozen=True)
class Pattern:
    x0: float
    y0: float
    size: float  # metres (square)
    block: float  # metres

    @property
    def bounds(self):
        return (self.x0, self.y0, self.x0 + self.size, self.y0 + self.size)

    def colour_at(self, x, y) -> np.ndarray:
        """RGB (..., 3) uint8 of EPSG:4547 points; 0 outside the pattern."""
        x, y = np.asarray(x, float), np.asarray(y, float)
        i = np.floor((x - self.x0) / self.block)
        j = np.floor((y - self.y0) / self.block)
        n = round(self.size / self.block)
        inside = (i >= 0) & (j >= 0) & (i < n) & (j < n)
        out = np.zeros(x.shape + (3,), np.uint8)
        out[..., 0] = np.where(inside, 5 + 25 * i, 0).astype(np.uint8)
        out[..., 1] = np.where(inside, 5 + 25 * j, 0).astype(np.uint8)
        out[..., 2] = np.where(inside, 100 + 100 * ((i + j) % 2), 0).astype(np.uint8)
        return out

    def edge_distance(self, x, y) -> np.ndarray:
        """Metres from each point to the nearest block edge."""
        fx = np.mod(np.asarray(x, float) - self.x0, self.block)
        fy = np.mod(np.asarray(y, float) - self.y0, self.block)
        return np.minimum(np.minimum(fx, self.block - fx), np.minimum(fy, self.block - fy))


#: 2 km of Longgang (about 114.25°E 22.71°N) in 200 m blocks
ORTHO = Pattern(525_000.0, 2_512_000.0, 2_000.0, 200.0)
#: 400 m in 40 m blocks, published in GCJ-02
GCJ = Pattern(525_400.0, 2_512_400.0, 400.0, 40.0)


def write_ortho(path: Path, pat: Pattern = ORTHO, res: float = 2.0) -> Path:
    import rasterio
    from affine import Affine

    n = round(pat.size / res)
    c = (np.arange(n) + 0.5) * res
    X, Y = np.meshgrid(pat.x0 + c, pat.y0 + pat.size - c)
    rgb = pat.colour_at(X, Y)
    with rasterio.open(path, "w", driver="GTiff", width=n, height=n, count=3, dtype="uint8", crs="EPSG:4547",
                       transform=Affine(res, 0, pat.x0, 0, -res, pat.y0 + pat.size)) as ds:
        ds.write(np.moveaxis(rgb, 2, 0))
    return path


def write_gcj(path: Path, pat: Pattern = GCJ, res_deg: float = 2e-6) -> Path:
    """The pattern on a GCJ-02 lon/lat grid (labelled EPSG:4326, as such services are)."""
    import rasterio
    from pyproj import Transformer
    from affine import Affine

    from lzt.core import chinacoords

    to_ll = Transformer.from_crs("EPSG:4547", "EPSG:4326", always_xy=True)
    to_xy = Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True)
    b = pat.bounds
    lon, lat = to_ll.transform([b[0], b[2], b[0], b[2]], [b[1], b[1], b[3], b[3]])
    glon, glat = chinacoords.wgs84_to_gcj02(np.array(lon), np.array(lat))
    pad = 50 * res_deg
    w0, s0, e0, n0 = glon.min() - pad, glat.min() - pad, glon.max() + pad, glat.max() + pad
    nx, ny = int(np.ceil((e0 - w0) / res_deg)), int(np.ceil((n0 - s0) / res_deg))
    GX, GY = np.meshgrid(w0 + (np.arange(nx) + 0.5) * res_deg, n0 - (np.arange(ny) + 0.5) * res_deg)
    wlon, wlat = chinacoords.gcj02_to_wgs84(GX.ravel(), GY.ravel())  # the iterative inverse
    X, Y = to_xy.transform(wlon, wlat)
    rgb = pat.colour_at(np.asarray(X).reshape(GX.shape), np.asarray(Y).reshape(GX.shape))
    with rasterio.open(path, "w", driver="GTiff", width=nx, height=ny, count=3, dtype="uint8", crs="EPSG:4326",
                       transform=Affine(res_deg, 0, w0, 0, -res_deg, n0)) as ds:
        ds.write(np.moveaxis(rgb, 2, 0))
    return path


def _mapfile(root: Path, tifs: dict[str, tuple[Path, int]]) -> Path:
    layers = "".join(textwrap.dedent(f"""\
          LAYER
            NAME "{name}"
            TYPE RASTER
            STATUS ON
            DATA "{tif}"
            PROJECTION "init=epsg:{epsg}" END
            OFFSITE 0 0 0
            PROCESSING "RESAMPLE=NEAREST"
            METADATA "wms_title" "{name}" "wms_srs" "EPSG:4547 EPSG:4490 EPSG:3857 EPSG:4326" END
          END
        """) for name, (tif, epsg) in tifs.items())
    path = root / "tiles.map"
    path.write_text(textwrap.dedent("""\
        MAP
          NAME "tiles"
          EXTENT -180 -90 180 90
          SIZE 256 256
          PROJECTION "init=epsg:4326" END
          IMAGETYPE "png"
          OUTPUTFORMAT
            NAME "png"
            DRIVER "AGG/PNG"
            MIMETYPE "image/png"
            IMAGEMODE RGBA
            EXTENSION "png"
            TRANSPARENT ON
          END
          WEB
            METADATA
              "wms_title" "tiles"
              "wms_onlineresource" "http://127.0.0.1/"
              "wms_srs" "EPSG:4547 EPSG:4490 EPSG:3857 EPSG:4326"
              "wms_enable_request" "*"
            END
          END
        """) + layers + "END\n", encoding="utf-8")
    return path


def start_mapproxy(root: Path, key: str, *, store: bool = False) -> Server:
    """MapProxy on a free localhost port with layers ``ortho`` (EPSG:4547 GeoTIFF) and
    ``gcj`` (GCJ-02 lon/lat GeoTIFF), cached in grids tdt_c (EPSG:4490), tdt_w and
    webmercator (EPSG:3857); ``key`` is the 天地图 front's valid ``tk``. ``store``: MapProxy
    keeps the tiles it rendered (the benchmark's warm server); else every tile is rendered anew."""
    ortho = write_ortho(root / "ortho.tif")
    gcj = write_gcj(root / "gcj.tif")
    mapfile = _mapfile(root, {"ortho": (ortho, 4547), "gcj": (gcj, 4326)})
    (root / "mapserver.conf").write_text(textwrap.dedent("""\
        CONFIG
          ENV
            MS_MAP_PATTERN "."
          END
        END
        """), encoding="utf-8")
    res_c = [1.40625 / 2 ** z for z in range(0, 21)]  # level z = 天地图 level z
    res_w = [2 * 20037508.342789244 / 256 / 2 ** z for z in range(0, 21)]
    src = lambda layer: textwrap.indent(textwrap.dedent(f"""\
        {layer}_ms:
          type: mapserver
          req: {{layers: {layer}, map: {mapfile}, transparent: true}}
          coverage: {{bbox: [113.0, 22.0, 115.0, 23.5], srs: 'EPSG:4326'}}
          supported_srs: ['EPSG:4547', 'EPSG:4490', 'EPSG:3857', 'EPSG:4326']
          mapserver: {{binary: {MAPSERV}, working_dir: {root}}}
        """), "  ")
    cache = lambda layer: textwrap.indent(textwrap.dedent(f"""\
        {layer}_cache:
          grids: [tdt_c, tdt_w, webmercator]
          sources: [{layer}_ms]
          disable_storage: {'false' if store else 'true'}
          meta_size: [1, 1]
          meta_buffer: 0
          format: image/png
        """), "  ")
    cfg = textwrap.dedent(f"""\
        services:
          demo:
          tms: {{use_grid_names: true, origin: sw}}
          wmts: {{restful: true, kvp: true}}
          wms:
            versions: ['1.1.1', '1.3.0']
            srs: ['EPSG:4547', 'EPSG:4490', 'EPSG:3857', 'EPSG:4326']
            image_formats: ['image/png']
            md: {{title: lzt test}}
        globals:
          image: {{resampling_method: nearest}}
          cache: {{base_dir: {root / 'mpcache'}}}
        grids:
          tdt_c:
            srs: 'EPSG:4490'
            bbox: [-180, -90, 180, 90]
            bbox_srs: 'EPSG:4490'
            origin: ul
            res: {res_c!r}
            tile_size: [256, 256]
          tdt_w:
            srs: 'EPSG:3857'
            bbox: [-20037508.342789244, -20037508.342789244, 20037508.342789244, 20037508.342789244]
            origin: ul
            res: {res_w!r}
            tile_size: [256, 256]
          webmercator:
            base: GLOBAL_WEBMERCATOR
            num_levels: 21
        layers:
          - {{name: ortho, title: ortho, sources: [ortho_cache]}}
          - {{name: gcj, title: gcj, sources: [gcj_cache]}}
        caches:
        """) + cache("ortho") + cache("gcj") + "sources:\n" + src("ortho") + src("gcj")
    (root / "mapproxy.yaml").write_text(cfg, encoding="utf-8")
    port = free_port()
    log = root / "mapproxy.log"
    env = dict(os.environ, TDT_TEST_KEY=key, MAPSERVER_CONFIG_FILE=str(root / "mapserver.conf"))
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("mapproxy_host.py")), str(port),
                             str(root / "mapproxy.yaml")], cwd=root, env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    _wait(f"{url}/service?SERVICE=WMTS&REQUEST=GetCapabilities", proc, log)
    return Server(url, proc, log)
