"""天地图 (the national basemap service): layer presets, the key, and its error answers.

Layers: ``vec``/``cva`` (vector map and its labels), ``img``/``cia`` (imagery and labels),
``ter``/``cta`` (terrain and labels), each in the ``_c`` set (EPSG:4490 lon/lat) or ``_w``
(EPSG:3857), on subdomains t0-t7. The key travels as ``tk`` and comes from an environment
variable or the OS keyring (service ``lzt``, user ``tianditu``); it is never saved.
"""

from __future__ import annotations

import json
import os
import re

from lzt.core.errors import LztInputError
from lzt.services.tilegrid import TileMatrixSet, tianditu_c, tianditu_w

DEFAULT_URL = "https://t{s}.tianditu.gov.cn/"
SUBDOMAINS = tuple(str(i) for i in range(8))
LAYERS = {"vec": "矢量底图", "cva": "矢量注记", "img": "影像底图", "cia": "影像注记", "ter": "地形晕渲", "cta": "地形注记"}
DEFAULT_KEY_ENV = "TIANDITU_TOKEN"
KEYRING_SERVICE = "lzt"


def parse_layer(layer: str) -> tuple[str, str]:
    """(``img``, ``c``) from ``img_c``; ``img`` alone is the ``_c`` set."""
    m = re.fullmatch(r"(vec|cva|img|cia|ter|cta)(?:_([cw]))?", (layer or "img").strip().lower())
    if not m:
        raise LztInputError(layer, "a 天地图 layer is vec, cva, img, cia, ter or cta, with _c (CGCS2000 lon/lat) "
                                   "or _w (Web Mercator), e.g. img_c")
    return m.group(1), m.group(2) or "c"


def matrix_set(which: str) -> TileMatrixSet:
    return tianditu_c() if which == "c" else tianditu_w()


def template(base: str, layer: str, which: str) -> str:
    """The GetTile URL template of a 天地图 layer (``{s}``, ``{z}``, ``{x}``, ``{y}``, ``{key}``)."""
    base = (base or DEFAULT_URL).rstrip("/")
    return (f"{base}/{layer}_{which}/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}&STYLE=default"
            f"&TILEMATRIXSET={which}&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={{key}}")


def find_key(service_name: str, key_env: str = "", *, tianditu: bool = True) -> str | None:
    """The key from ``key_env`` (天地图: or TIANDITU_TOKEN), else the OS keyring (service ``lzt``,
    user: the service's name; 天地图: or ``tianditu``); None when there is none."""
    for var in (key_env, DEFAULT_KEY_ENV if tianditu else ""):
        if var and os.environ.get(var, "").strip():
            return os.environ[var].strip()
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    for user in (service_name, "tianditu") if tianditu else (service_name,):
        try:
            value = keyring.get_password(KEYRING_SERVICE, user)
        except (KeyringError, RuntimeError, OSError):
            return None
        if value:
            return value.strip()
    return None


def error_line(body: bytes) -> str | None:
    """天地图's own error answer (JSON ``msg``/``code``, or an OWS exception) as one line, or
    None when ``body`` is not one. [M] the exact wording of its answers is not documented."""
    text = body[:4000].decode("utf-8", "replace").strip()
    if text.startswith("{"):
        try:
            d = json.loads(text)
        except ValueError:
            d = None
        if isinstance(d, dict) and (d.get("msg") or d.get("message")):
            msg = str(d.get("msg") or d.get("message"))
            code = d.get("code") or d.get("status")
            line = f"天地图: {msg}" + (f" (code {code})" if code not in (None, "") else "")
            return " ".join(line.split())
    m = re.search(r"<(?:\w+:)?ExceptionText>(.*?)</", text, re.S) or re.search(r"<msg>(.*?)</msg>", text, re.S)
    if m:
        return "天地图: " + " ".join(m.group(1).split())[:200]
    return None
