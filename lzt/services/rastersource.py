"""Raster services as sources: tiled (WMTS KVP/RESTful, XYZ/TMS templates, 天地图) and
WMS GetMap, built from a saved record (``lzt.services.catalog``).

XYZ templates take ``{z}``, ``{x}``, ``{y}``, ``{-y}`` (TMS rows, counted from the south),
``{s}`` (subdomains) and ``{key}``. A key is resolved when the source opens (environment
variable or OS keyring) and only ever goes into the request URL; everything shown or cached
uses ``public_url`` (the key replaced by ``***``).
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lzt.core.errors import LztInputError
from lzt.services import tianditu
from lzt.services.catalog import ServiceRecord
from lzt.services.tilefetch import Fetcher, FetchError, redact
from lzt.services.tilegrid import TileMatrix, TileMatrixSet, web_mercator


@dataclass
class TiledSource:
    """Tiles on a matrix set, one URL per tile."""

    name: str
    grid: TileMatrixSet
    template: str
    subdomains: tuple[str, ...] = ("a", "b", "c")
    coords: str | None = None
    attribution: str = ""
    _key: str | None = field(default=None, repr=False)

    kind = "tiles"

    @property
    def crs(self) -> str:
        return self.grid.crs

    def url(self, m: TileMatrix, col: int, row: int) -> str:
        s = self.subdomains[(col + row) % len(self.subdomains)] if self.subdomains else ""
        z = m.id
        t = self.template
        for k, v in (("{z}", z), ("{TileMatrix}", z), ("{x}", col), ("{TileCol}", col), ("{y}", row),
                     ("{TileRow}", row), ("{s}", s), ("{TileMatrixSet}", self.grid.id)):
            t = t.replace(k, str(v))
        if "{-y}" in t:
            t = t.replace("{-y}", str(m.matrix_h - 1 - row))
        return t.replace("{key}", self._key or "")

    def public_url(self, url: str) -> str:
        return redact(url, self._key)


@dataclass
class WmsSource:
    """A WMS GetMap endpoint: one image per view."""

    name: str
    url: str
    layers: str
    version: str = "1.3.0"
    crs: str = "EPSG:3857"
    format: str = "image/png"
    styles: str = ""
    coords: str | None = None
    attribution: str = ""
    _key: str | None = field(default=None, repr=False)

    kind = "wms"

    def map_url(self, bounds, width: int, height: int) -> str:
        from pyproj import CRS

        x0, y0, x1, y1 = bounds
        crs = CRS.from_user_input(self.crs)
        lat_first = self.version == "1.3.0" and (crs.is_geographic or crs.axis_info[0].direction.lower() == "north")
        bbox = (y0, x0, y1, x1) if lat_first else (x0, y0, x1, y1)
        q = {"SERVICE": "WMS", "REQUEST": "GetMap", "VERSION": self.version, "LAYERS": self.layers,
             "STYLES": self.styles, ("CRS" if self.version == "1.3.0" else "SRS"): self.crs,
             "BBOX": ",".join(repr(float(v)) for v in bbox), "WIDTH": int(width), "HEIGHT": int(height),
             "FORMAT": self.format, "TRANSPARENT": "TRUE"}
        return _with_query(self.url, q).replace("{key}", self._key or "")

    def public_url(self, url: str) -> str:
        return redact(url, self._key)


def _with_query(url: str, params: dict) -> str:
    parts = urlsplit(url)
    have = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.upper() not in {p.upper() for p in params}]
    return urlunsplit(parts._replace(query=urlencode(have + list(params.items()), safe=",:{}")))


def _key_for(rec: ServiceRecord, required: bool) -> str | None:
    key = None
    if rec.key_env:
        key = os.environ.get(rec.key_env, "").strip() or None
    if key is None and (rec.type == "tianditu" or rec.key_env):
        key = tianditu.find_key(rec.name, rec.key_env, tianditu=rec.type == "tianditu")
    if key is None and required:
        var = rec.key_env or tianditu.DEFAULT_KEY_ENV
        raise LztInputError(rec.name, f"no key: set the environment variable {var} or store the key in the OS "
                                      f"keyring (service '{tianditu.KEYRING_SERVICE}', user '{rec.name}')")
    return key


def _get_xml(fetcher: Fetcher, url: str, source: str, key: str | None = None) -> bytes:
    try:
        return fetcher.fetch_bytes(url, redact(url, key))
    except FetchError as err:
        raise LztInputError(source, err.message.replace(key, "***") if key else err.message) from None


def open_source(rec: ServiceRecord, fetcher: Fetcher, *, prefer_crs: str = "EPSG:4547"):
    """The tiled or WMS source of a saved raster service (WMTS/WMS capabilities read)."""
    if rec.type == "tianditu":
        layer, which = tianditu.parse_layer(rec.layer or "img_c")
        if rec.matrix_set and rec.matrix_set not in ("c", "w"):
            raise LztInputError(rec.name, "a 天地图 matrix set is c (EPSG:4490) or w (EPSG:3857)")
        which = rec.matrix_set or which
        key = _key_for(rec, required=True)
        return TiledSource(rec.name, tianditu.matrix_set(which), tianditu.template(rec.url, layer, which),
                           tianditu.SUBDOMAINS, rec.coords, rec.attribution or "天地图 (国家地理信息公共服务平台)", key)
    if rec.type == "xyz":
        if not all(t in rec.url for t in ("{z}", "{x}")) or not ("{y}" in rec.url or "{-y}" in rec.url):
            raise LztInputError(rec.name, "an XYZ/TMS URL template needs {z}, {x} and {y} (or {-y} for TMS rows)")
        subs = tuple(str(rec.extra.get("subdomains", "abc")).replace(",", "")) if "{s}" in rec.url else ()
        key = _key_for(rec, required="{key}" in rec.url)
        return TiledSource(rec.name, web_mercator(0, int(rec.extra.get("max_zoom", 20))), rec.url, subs, rec.coords,
                           rec.attribution, key)
    if rec.type == "wmts":
        return _open_wmts(rec, fetcher, prefer_crs)
    if rec.type == "wms":
        return _open_wms(rec, fetcher, prefer_crs)
    raise LztInputError(rec.name, f"is a {rec.type} service (features), not tiles or images")


def _caps_url(url: str, service: str, version: str) -> str:
    if "getcapabilities" in url.lower() or url.lower().endswith(".xml"):
        return url
    return _with_query(url, {"SERVICE": service, "REQUEST": "GetCapabilities", "VERSION": version})


def _open_wmts(rec: ServiceRecord, fetcher: Fetcher, prefer_crs: str) -> TiledSource:
    from lzt.services.wmts import parse_capabilities

    key = _key_for(rec, required="{key}" in rec.url)
    caps_url = _caps_url(rec.url, "WMTS", "1.0.0").replace("{key}", key or "")
    caps = parse_capabilities(_get_xml(fetcher, caps_url, rec.name, key), rec.name)
    if not caps.layers:
        raise LztInputError(rec.name, "the WMTS capabilities list no layers")
    lid = rec.layer or next(iter(caps.layers))
    if lid not in caps.layers:
        raise LztInputError(rec.name, f"no WMTS layer {lid!r} (offered: {', '.join(list(caps.layers)[:10])})")
    lay = caps.layers[lid]
    usable = [s for s in lay.matrix_sets if s in caps.matrix_sets]
    if rec.matrix_set:
        if rec.matrix_set not in usable:
            raise LztInputError(rec.name, f"layer {lid!r} has no tile matrix set {rec.matrix_set!r} "
                                          f"(offered: {', '.join(usable)})")
        tms = caps.matrix_sets[rec.matrix_set]
    elif usable:
        rank = {prefer_crs: 0, "EPSG:4490": 1, "EPSG:3857": 2, "EPSG:4326": 3}
        tms = caps.matrix_sets[min(usable, key=lambda s: rank.get(caps.matrix_sets[s].crs, 9))]
    else:
        raise LztInputError(rec.name, f"layer {lid!r} names no tile matrix set the capabilities define")
    fmt = rec.format or next((f for f in lay.formats if "png" in f), lay.formats[0] if lay.formats else "image/png")
    if fmt in lay.templates:
        t = lay.templates[fmt].replace("{Style}", "default").replace("{style}", "default")
        t = t.replace("{TileMatrixSet}", tms.id)
    elif caps.kvp_url or rec.url:
        base = caps.kvp_url or rec.url.split("?")[0]
        t = _with_query(base, {"SERVICE": "WMTS", "REQUEST": "GetTile", "VERSION": "1.0.0", "LAYER": lid,
                               "STYLE": "default", "TILEMATRIXSET": tms.id, "FORMAT": fmt,
                               "TILEMATRIX": "{z}", "TILEROW": "{y}", "TILECOL": "{x}"})
        # keep a key parameter of the saved URL (as {key}) on every GetTile
        if "{key}" in rec.url:
            for k, v in parse_qsl(urlsplit(rec.url).query):
                if v == "{key}":
                    t = _with_query(t, {k: "{key}"})
    return TiledSource(rec.name, tms, t, (), rec.coords, rec.attribution, key)


def _open_wms(rec: ServiceRecord, fetcher: Fetcher, prefer_crs: str) -> WmsSource:
    key = _key_for(rec, required="{key}" in rec.url)
    q = {k.upper(): v for k, v in parse_qsl(urlsplit(rec.url).query)}
    version = q.get("VERSION", rec.extra.get("version", "1.3.0"))
    if version not in ("1.1.1", "1.3.0"):
        raise LztInputError(rec.name, f"WMS version {version} (lzt speaks 1.1.1 and 1.3.0)")
    data = _get_xml(fetcher, _caps_url(rec.url, "WMS", version).replace("{key}", key or ""), rec.name, key)
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise LztInputError(rec.name, "the answer is not a WMS capabilities document") from None
    names = [e.text.strip() for e in root.iter() if e.tag.split("}")[-1] == "Name" and e.text]
    crss = {e.text.strip().upper() for e in root.iter() if e.tag.split("}")[-1] in ("CRS", "SRS") and e.text}
    layers = rec.layer or q.get("LAYERS", "")
    if not layers:
        raise LztInputError(rec.name, "a WMS service needs --layer (one or more layer names, comma-separated)")
    missing = [n for n in layers.split(",") if n not in names]
    if missing:
        raise LztInputError(rec.name, f"the WMS has no layer {missing[0]!r}")
    crs = next((c for c in (prefer_crs, "EPSG:4490", "EPSG:3857", "EPSG:4326") if c in crss), None)
    if crs is None:
        raise LztInputError(rec.name, "the WMS offers none of EPSG:4547, 4490, 3857, 4326")
    base = rec.url.split("?")[0] + ("?" + urlencode([(k, v) for k, v in parse_qsl(urlsplit(rec.url).query)
                                                     if k.upper() not in ("SERVICE", "REQUEST", "VERSION", "LAYERS")],
                                                    safe="{}")
                                    if urlsplit(rec.url).query else "")
    return WmsSource(rec.name, base, layers, version, crs, rec.format or "image/png", "", rec.coords,
                     rec.attribution, key)
