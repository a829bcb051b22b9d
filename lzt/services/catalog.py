"""The workspace's service catalogue: the raster (WMTS, WMS, XYZ/TMS, 天地图) and vector
(OGC API Features, WFS) services a user has added with ``lzt service add``.

Records live in the workspace setting ``services`` as JSON. A record names where a key comes
from (``key_env``: an environment variable; else the OS keyring) but never holds a key: a URL
carrying one (``tk=``, ``key=``, ``token=``...) is refused.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lzt.core.errors import LztInputError

SETTING = "services"
RASTER_TYPES = ("wmts", "wms", "xyz", "tianditu")
VECTOR_TYPES = ("ogcapi", "wfs")
TYPES = RASTER_TYPES + VECTOR_TYPES
TYPE_LABELS = {"wmts": "WMTS 瓦片服务", "wms": "WMS 地图服务", "xyz": "XYZ/TMS 瓦片", "tianditu": "天地图",
               "ogcapi": "OGC API 要素服务", "wfs": "WFS 要素服务"}
#: query parameters that carry a secret: never saved
_SECRET_PARAMS = {"tk", "key", "token", "access_token", "apikey", "api_key", "ak", "password", "sk"}
_NAME = re.compile(r"^[^\s/\\:*?\"<>|]{1,64}$")


@dataclass(frozen=True)
class ServiceRecord:
    """One saved service."""

    name: str
    type: str
    url: str
    layer: str = ""  # WMTS layer / WMS layers / OGC API collection / WFS feature type / 天地图 preset
    matrix_set: str = ""  # WMTS tile matrix set (天地图: c or w)
    format: str = ""  # image/png, image/jpeg...
    coords: str | None = None  # gcj02 | bd09: the service's lon/lat are shifted
    key_env: str = ""  # environment variable holding the key (never the key itself)
    attribution: str = ""
    approval_no: str = ""  # 审图号 of the service's maps, where given
    extra: dict = field(default_factory=dict)

    @property
    def raster(self) -> bool:
        return self.type in RASTER_TYPES

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict) -> "ServiceRecord":
        known = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        return cls(**known)


def check_url(url: str, *, source: str | None = None) -> str:
    """``url`` if it is an http(s) URL without a key in it; else a one-line error."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise LztInputError(source or "URL", "only http:// and https:// services are supported")
    secret = [k for k, _ in parse_qsl(parts.query, keep_blank_values=True) if k.lower() in _SECRET_PARAMS]
    if secret:
        raise LztInputError(source or "URL", f"the URL carries a key ({secret[0]}=...); keys are never saved: "
                                             "put it in an environment variable and give --key-env VAR "
                                             "(or store it in the OS keyring)")
    return url


def records(ws) -> list[ServiceRecord]:
    """The saved services, in the order they were added."""
    raw = ws.get_setting(SETTING, None) or []
    return [ServiceRecord.from_json(d) for d in raw if isinstance(d, dict) and d.get("name")]


def find(ws, name: str) -> ServiceRecord | None:
    """The saved service called ``name``, or None."""
    return next((r for r in records(ws) if r.name == name), None)


def add(ws, rec: ServiceRecord, *, replace: bool = False) -> ServiceRecord:
    """Save ``rec`` (checked); a name already used by a layer or a service is refused unless
    ``replace`` (services only)."""
    if not _NAME.match(rec.name):
        raise LztInputError(rec.name, "a service name is 1-64 characters without spaces or / \\ : * ? \" < > |")
    if rec.type not in TYPES:
        raise LztInputError(rec.name, f"unknown service type {rec.type!r} (one of {', '.join(TYPES)})")
    check_url(rec.url, source=rec.name)
    if rec.coords not in (None, "gcj02", "bd09"):
        raise LztInputError(rec.name, "--coords is gcj02 or bd09")
    if rec.key_env and not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", rec.key_env):
        raise LztInputError(rec.name, "--key-env names an environment variable (letters, digits, _)")
    if rec.type in VECTOR_TYPES and not rec.layer:
        raise LztInputError(rec.name, "an ogcapi/wfs service needs --layer (the collection id or feature type)")
    if ws.has_layer(rec.name):
        raise LztInputError(rec.name, "a workspace layer already has this name")
    have = records(ws)
    if any(r.name == rec.name for r in have) and not replace:
        raise LztInputError(rec.name, "a saved service already has this name (lzt service remove it first)")
    out = [r for r in have if r.name != rec.name] + [rec]
    ws.set_setting(SETTING, [r.to_json() for r in out])
    return rec


def remove(ws, name: str) -> ServiceRecord:
    """Forget the saved service ``name`` (an error when there is none)."""
    have = records(ws)
    rec = next((r for r in have if r.name == name), None)
    if rec is None:
        raise LztInputError(name, "no saved service has this name (lzt service list)")
    ws.set_setting(SETTING, [r.to_json() for r in have if r.name != name])
    return rec


def public_url(url: str) -> str:
    """``url`` without credentials: no ``user:password@`` and no key-carrying query parameter
    (saved records never hold one, but a URL typed elsewhere might)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k.lower() not in _SECRET_PARAMS]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept, safe="{}/")
    return urlunsplit((parts.scheme, host, parts.path, query, parts.fragment))


#: the CRS a service's data arrives in, as far as the record tells (no network call)
_TYPE_CRS = {"ogcapi": "OGC:CRS84", "xyz": "EPSG:3857"}
_OFFSET_CRS = {"gcj02": "GCJ-02 (经纬度)", "bd09": "BD-09 (经纬度)"}


def record_crs(rec: ServiceRecord) -> str | None:
    """The CRS ``rec``'s data comes in, known from the record alone: GCJ-02/BD-09 offsets, 天地图
    ``_c`` (EPSG:4490) or ``_w`` (EPSG:3857), OGC API (CRS84), XYZ (EPSG:3857); None when only
    the server's capabilities say (WMTS, WMS, WFS)."""
    if rec.coords in _OFFSET_CRS:
        return _OFFSET_CRS[rec.coords]
    if rec.type == "tianditu":
        from lzt.services.tianditu import parse_layer

        try:
            which = rec.matrix_set or parse_layer(rec.layer)[1]
        except LztInputError:
            return None
        return "EPSG:4490" if which == "c" else "EPSG:3857"
    return _TYPE_CRS.get(rec.type)


def describe(rec: ServiceRecord) -> dict:
    """What ``lzt layers`` says of a saved service: name, type, URL without credentials, layer,
    CRS; marked ``"service": true``. No network call."""
    return {"name": rec.name, "kind": "service", "service": True, "type": rec.type,
            "type_label": TYPE_LABELS.get(rec.type, rec.type), "raster": rec.raster,
            "url": public_url(rec.url), "layer": rec.layer or None, "crs": record_crs(rec),
            "coords": rec.coords, "key_env": rec.key_env or None}
