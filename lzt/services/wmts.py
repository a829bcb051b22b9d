"""WMTS capabilities: layers, formats, tile matrix sets and the tile URL (RESTful template
or KVP endpoint), parsed from a GetCapabilities document."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from lzt.core.errors import LztInputError
from lzt.services.axes import epsg_of
from lzt.services.tilegrid import TileMatrix, TileMatrixSet, resolution_of

NS = {"w": "http://www.opengis.net/wmts/1.0", "ows": "http://www.opengis.net/ows/1.1",
      "xlink": "http://www.w3.org/1999/xlink"}


@dataclass(frozen=True)
class WmtsLayer:
    id: str
    title: str
    formats: tuple[str, ...]
    matrix_sets: tuple[str, ...]
    templates: dict  # format -> RESTful tile URL template


@dataclass(frozen=True)
class Capabilities:
    layers: dict[str, WmtsLayer]
    matrix_sets: dict[str, TileMatrixSet]
    kvp_url: str | None  # GetTile KVP endpoint, when offered


def _text(el, path: str, default: str = "") -> str:
    found = el.find(path, NS)
    return (found.text or "").strip() if found is not None and found.text else default


def _matrix_set(el) -> TileMatrixSet:
    ident = _text(el, "ows:Identifier")
    crs_uri = _text(el, "ows:SupportedCRS")
    code = epsg_of(crs_uri)
    if code is None:
        raise LztInputError(ident, f"tile matrix set in an unknown CRS {crs_uri!r}")
    from pyproj import CRS

    crs = CRS.from_epsg(code)
    degrees = crs.is_geographic
    lat_first = degrees or crs.axis_info[0].direction.lower() == "north"
    mats = []
    for m in el.findall("w:TileMatrix", NS):
        a, b = (float(v) for v in _text(m, "w:TopLeftCorner").split()[:2])
        # the corner is in the CRS's axis order; some servers write lon/lat anyway: a first
        # value outside +-90 is a longitude whatever the CRS says
        if lat_first and not (degrees and abs(a) > 90):
            a, b = b, a
        mats.append(TileMatrix(_text(m, "ows:Identifier"), resolution_of(float(_text(m, "w:ScaleDenominator")), degrees),
                               a, b, int(_text(m, "w:TileWidth", "256")), int(_text(m, "w:TileHeight", "256")),
                               int(_text(m, "w:MatrixWidth", "1")), int(_text(m, "w:MatrixHeight", "1"))))
    mats.sort(key=lambda t: -t.res)
    return TileMatrixSet(ident, f"EPSG:{code}", tuple(mats))


def parse_capabilities(data: bytes, source: str) -> Capabilities:
    """The capabilities in ``data`` (a WMTS 1.0.0 GetCapabilities answer)."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise LztInputError(source, f"the answer is not a WMTS capabilities document ({exc})") from None
    if not root.tag.endswith("Capabilities"):
        raise LztInputError(source, "the answer is not a WMTS capabilities document")
    contents = root.find("w:Contents", NS)
    if contents is None:
        raise LztInputError(source, "the WMTS capabilities list no layers")
    sets = {}
    for el in contents.findall("w:TileMatrixSet", NS):
        try:
            tms = _matrix_set(el)
        except LztInputError:
            continue  # a set in a CRS we cannot place is not offered
        sets[tms.id] = tms
    layers = {}
    for el in contents.findall("w:Layer", NS):
        ident = _text(el, "ows:Identifier")
        templates = {r.get("format"): r.get("template") for r in el.findall("w:ResourceURL", NS)
                     if r.get("resourceType") == "tile"}
        layers[ident] = WmtsLayer(ident, _text(el, "ows:Title", ident),
                                  tuple(f.text.strip() for f in el.findall("w:Format", NS) if f.text),
                                  tuple(_text(t, "w:TileMatrixSet") for t in el.findall("w:TileMatrixSetLink", NS)),
                                  templates)
    kvp = None
    for op in root.iterfind(".//ows:Operation[@name='GetTile']", NS):
        for get in op.iterfind(".//ows:Get", NS):
            enc = get.find(".//ows:Value", NS)
            if enc is None or (enc.text or "").strip().upper() == "KVP":
                kvp = get.get(f"{{{NS['xlink']}}}href")
    return Capabilities(layers, sets, kvp)
