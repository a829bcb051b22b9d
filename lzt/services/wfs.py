"""WFS 2.0: capabilities, GetFeature requests, GML 3.2 (and 3.1/2) features, FES 2.0 filters.

Plain functions over bytes and strings; the HTTP goes through the caller. Coordinates come
back in the order the document writes them (the CRS's axis order for GML): ``lzt.services.axes``
turns them x-first. Features are (id, properties, geometry) rows; property values are text
as GML carries them, typed later from DescribeFeatureType.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from lzt.core import filters as F
from lzt.core.errors import LztInputError
from lzt.services import axes
from lzt.core.lazy import lazy_module

shapely = lazy_module("shapely")

NS = {"wfs": "http://www.opengis.net/wfs/2.0", "ows": "http://www.opengis.net/ows/1.1",
      "fes": "http://www.opengis.net/fes/2.0", "xsd": "http://www.w3.org/2001/XMLSchema"}
_GML_NS = ("http://www.opengis.net/gml/3.2", "http://www.opengis.net/gml")
GEOJSON_FORMATS = ("application/json; subtype=geojson", "application/geo+json", "application/json",
                   "json", "geojson")
_XSD_TYPES = {"int": "INTEGER", "integer": "INTEGER", "long": "INTEGER", "short": "INTEGER",
              "double": "REAL", "float": "REAL", "decimal": "REAL", "boolean": "BOOLEAN",
              "date": "DATE", "dateTime": "DATETIME", "string": "TEXT"}


@dataclass(frozen=True)
class FeatureType:
    """One feature type a WFS offers."""

    name: str  # qualified as the server spells it (ms:parcels)
    title: str
    default_crs: str
    other_crs: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    wgs84_bbox: tuple[float, float, float, float] | None = None  # lon/lat

    @property
    def epsg(self) -> int | None:
        return axes.epsg_of(self.default_crs)

    def geojson_format(self) -> str | None:
        """The feature type's GeoJSON output format, when it offers one."""
        return next((f for f in self.formats if f.strip().lower() in GEOJSON_FORMATS), None)


@dataclass(frozen=True)
class WfsCapabilities:
    """What a WFS 2.0 server says about itself."""

    version: str
    feature_types: tuple[FeatureType, ...]
    paging: bool = False  # ImplementsResultPaging: COUNT + STARTINDEX
    filters: bool = False  # ImplementsMinStandardFilter (FES 2.0 comparison operators)
    constraints: dict[str, bool] = field(default_factory=dict)

    def feature_type(self, name: str, source: str) -> FeatureType:
        """The feature type called ``name`` (with or without its prefix)."""
        for ft in self.feature_types:
            if name in (ft.name, ft.name.split(":")[-1]):
                return ft
        names = ", ".join(ft.name for ft in self.feature_types) or "none"
        raise LztInputError(source, f"the WFS has no feature type {name!r} (it offers: {names})")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_xml(data: bytes, source: str) -> ET.Element:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        head = data[:200].decode("utf-8", "replace").strip().lower()
        what = "a web page (HTML)" if head.startswith(("<!doctype html", "<html")) else "not XML"
        raise LztInputError(source, f"the WFS answer is {what} ({exc})") from None
    if _local(root.tag) in ("ExceptionReport", "ServiceExceptionReport"):
        texts = [t.strip() for t in root.itertext() if t.strip()]
        raise LztInputError(source, f"the WFS refused the request: {' '.join(texts)[:300]}")
    return root


def parse_capabilities(data: bytes, source: str) -> WfsCapabilities:
    """Feature types, CRSs, output formats and paging/filter constraints from GetCapabilities."""
    root = _parse_xml(data, source)
    if _local(root.tag) != "WFS_Capabilities":
        raise LztInputError(source, f"is not a WFS capabilities document (root <{_local(root.tag)}>)")
    version = root.get("version", "")
    if not version.startswith("2."):
        raise LztInputError(source, f"the server speaks WFS {version or '?'}; lzt reads WFS 2.0")
    common = [v.text.strip() for v in root.iterfind(
        ".//ows:Operation[@name='GetFeature']/ows:Parameter[@name='outputFormat']//ows:Value", NS) if v.text]
    constraints: dict[str, bool] = {}
    for c in root.iterfind(".//ows:OperationsMetadata/ows:Constraint", NS):
        v = c.find("ows:DefaultValue", NS)
        if v is not None and v.text:
            constraints[c.get("name", "")] = v.text.strip().upper() == "TRUE"
    for c in root.iterfind(".//fes:Conformance/fes:Constraint", NS):
        v = c.find("ows:DefaultValue", NS)
        if v is not None and v.text:
            constraints[c.get("name", "")] = v.text.strip().upper() == "TRUE"
    types = []
    for ft in root.iterfind(".//wfs:FeatureTypeList/wfs:FeatureType", NS):
        text = lambda tag: (ft.findtext(tag, default="", namespaces=NS) or "").strip()  # noqa: E731
        formats = tuple(f.text.strip() for f in ft.iterfind("wfs:OutputFormats/wfs:Format", NS) if f.text)
        bbox = None
        box = ft.find("ows:WGS84BoundingBox", NS)
        if box is not None:
            try:
                lo = [float(v) for v in box.findtext("ows:LowerCorner", "", NS).split()]
                hi = [float(v) for v in box.findtext("ows:UpperCorner", "", NS).split()]
                bbox = (lo[0], lo[1], hi[0], hi[1])
            except (ValueError, IndexError):
                bbox = None
        types.append(FeatureType(
            name=text("wfs:Name"), title=text("wfs:Title") or text("wfs:Name"),
            default_crs=text("wfs:DefaultCRS") or text("wfs:DefaultSRS"),
            other_crs=tuple(o.text.strip() for o in ft.iterfind("wfs:OtherCRS", NS) if o.text),
            formats=formats or tuple(common), wgs84_bbox=bbox))
    return WfsCapabilities(version=version, feature_types=tuple(types),
                           paging=constraints.get("ImplementsResultPaging", False),
                           filters=constraints.get("ImplementsMinStandardFilter", False),
                           constraints=constraints)


def parse_describe(data: bytes, source: str) -> dict[str, str]:
    """Attribute fields (name -> workspace field type) from DescribeFeatureType's XML schema;
    the geometry property is left out."""
    root = _parse_xml(data, source)
    fields: dict[str, str] = {}
    for el in root.iterfind(".//xsd:complexType//xsd:element", NS):
        name, typ = el.get("name"), el.get("type", "")
        if not name:
            continue
        prefix, _, local = typ.rpartition(":")
        if prefix.lower().startswith("gml") or local.endswith("PropertyType"):
            continue
        fields[name] = _XSD_TYPES.get(local, "TEXT")
    return fields


def get_feature_params(ft: FeatureType, *, bbox_xy: tuple[float, float, float, float] | None, epsg: int,
                       count: int | None = None, start: int = 0, output_format: str | None = None,
                       fes: str | None = None) -> dict[str, str]:
    """KVP parameters of a WFS 2.0 GetFeature: the box in ``epsg``'s own axis order, the
    CRS by URN (so the order is never guessed), paging by COUNT/STARTINDEX. FES filters
    and BBOX exclude each other in KVP, so with a filter the box goes into it."""
    params = {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature", "TYPENAMES": ft.name,
              "SRSNAME": axes.urn(epsg)}
    if output_format:
        params["OUTPUTFORMAT"] = output_format
    if count is not None:
        params["COUNT"] = str(int(count))
        params["STARTINDEX"] = str(int(start))
    if fes is not None:
        params["FILTER"] = _fes_document(fes, bbox_xy, epsg)
    elif bbox_xy is not None:
        params["BBOX"] = ",".join(f"{v:.10g}" for v in axes.bbox_in_axis_order(bbox_xy, epsg)) + "," + axes.urn(epsg)
    return params


def _fes_document(fes: str, bbox_xy, epsg: int) -> str:
    parts = [fes]
    if bbox_xy is not None:
        a, b, c, d = axes.bbox_in_axis_order(bbox_xy, epsg)
        parts.append(f'<fes:BBOX><gml:Envelope srsName="{axes.urn(epsg)}"><gml:lowerCorner>{a:.10g} {b:.10g}'
                     f'</gml:lowerCorner><gml:upperCorner>{c:.10g} {d:.10g}</gml:upperCorner></gml:Envelope>'
                     '</fes:BBOX>')
    body = parts[0] if len(parts) == 1 else f"<fes:And>{''.join(parts)}</fes:And>"
    return ('<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" '
            f'xmlns:gml="http://www.opengis.net/gml/3.2">{body}</fes:Filter>')


def fes_filter(e: F.Expr) -> str | None:
    """An attribute predicate as FES 2.0 XML (the filter body), or None when it has a term
    FES cannot carry here (spatial terms are applied by lzt itself)."""
    from xml.sax.saxutils import escape  # (with urllib.request: not on the window's start-up path)

    def lit(v: Any) -> str:
        if isinstance(v, bool):
            v = "true" if v else "false"
        return f"<fes:Literal>{escape(str(v))}</fes:Literal>"

    def prop(name: str) -> str:
        return f"<fes:ValueReference>{escape(name)}</fes:ValueReference>"

    ops = {"=": "PropertyIsEqualTo", "<>": "PropertyIsNotEqualTo", "<": "PropertyIsLessThan",
           "<=": "PropertyIsLessThanOrEqualTo", ">": "PropertyIsGreaterThan",
           ">=": "PropertyIsGreaterThanOrEqualTo"}

    def go(x) -> str | None:
        if isinstance(x, F.Compare):
            return f"<fes:{ops[x.op]}>{prop(x.field)}{lit(x.value)}</fes:{ops[x.op]}>"
        if isinstance(x, F.Like):
            body = (f'<fes:PropertyIsLike wildCard="%" singleChar="_" escapeChar="\\">{prop(x.field)}'
                    f"{lit(x.pattern)}</fes:PropertyIsLike>")
            return f"<fes:Not>{body}</fes:Not>" if x.negate else body
        if isinstance(x, F.In):
            body = "".join(f"<fes:PropertyIsEqualTo>{prop(x.field)}{lit(v)}</fes:PropertyIsEqualTo>"
                           for v in x.values)
            body = f"<fes:Or>{body}</fes:Or>" if len(x.values) > 1 else body
            return f"<fes:Not>{body}</fes:Not>" if x.negate else body
        if isinstance(x, F.Between):
            body = (f"<fes:PropertyIsBetween>{prop(x.field)}<fes:LowerBoundary>{lit(x.low)}</fes:LowerBoundary>"
                    f"<fes:UpperBoundary>{lit(x.high)}</fes:UpperBoundary></fes:PropertyIsBetween>")
            return f"<fes:Not>{body}</fes:Not>" if x.negate else body
        if isinstance(x, F.IsNull):
            body = f"<fes:PropertyIsNull>{prop(x.field)}</fes:PropertyIsNull>"
            return f"<fes:Not>{body}</fes:Not>" if x.negate else body
        if isinstance(x, (F.And, F.Or)):
            items = [go(i) for i in x.items]
            if any(i is None for i in items):
                return None
            tag = "And" if isinstance(x, F.And) else "Or"
            return f"<fes:{tag}>{''.join(items)}</fes:{tag}>" if len(items) > 1 else items[0]
        if isinstance(x, F.Not):
            inner = go(x.item)
            return None if inner is None else f"<fes:Not>{inner}</fes:Not>"
        return None

    return go(e)


# -- GML features -------------------------------------------------------------------------------
def _gml(el: ET.Element) -> bool:
    return el.tag.startswith("{") and el.tag[1:].split("}")[0] in _GML_NS


def _numbers(text: str | None) -> list[float]:
    return [float(v) for v in (text or "").replace(",", " ").split()]


def _points(el: ET.Element, dim: int = 2) -> list[tuple[float, ...]]:
    """The vertices under a GML geometry element, in document order."""
    for child in el:
        name = _local(child.tag)
        if name == "posList":
            d = int(child.get("srsDimension") or el.get("srsDimension") or dim)
            v = _numbers(child.text)
            return [tuple(v[i:i + d][:2]) for i in range(0, len(v) - d + 1, d)]
        if name == "coordinates":  # GML 2: "x,y x,y"
            return [tuple(float(c) for c in pair.split(",")[:2]) for pair in (child.text or "").split()]
    pos = [tuple(_numbers(p.text)[:2]) for p in el.iter() if _local(p.tag) == "pos"]
    return pos


def parse_geometry(el: ET.Element):
    """A shapely geometry from a GML geometry element (coordinates as written)."""
    name = _local(el.tag)
    if name == "Point":
        pts = _points(el)
        return shapely.Point(pts[0]) if pts else shapely.Point()
    if name in ("LineString", "LinearRing", "Curve"):
        return shapely.LineString(_points(el) if name != "Curve" else
                                  [p for s in el.iter() if _local(s.tag) == "LineStringSegment" for p in _points(s)])
    if name in ("Polygon", "Surface"):
        rings = [r for r in el.iter() if _local(r.tag) == "LinearRing"]
        if not rings:
            return shapely.Polygon()
        shell = [r for b in el.iter() if _local(b.tag) in ("exterior", "outerBoundaryIs")
                 for r in b if _local(r.tag) == "LinearRing"]
        holes = [r for b in el.iter() if _local(b.tag) in ("interior", "innerBoundaryIs")
                 for r in b if _local(r.tag) == "LinearRing"]
        return shapely.Polygon(_points((shell or rings)[0]), [_points(h) for h in holes])
    if name.startswith("Multi") or name == "CompositeSurface":
        parts = [parse_geometry(g) for m in el if _local(m.tag).endswith(("Member", "Members"))
                 for g in m if _gml(g)]
        if name == "MultiPoint":
            return shapely.MultiPoint([p for p in parts if not p.is_empty])
        if name in ("MultiCurve", "MultiLineString"):
            return shapely.MultiLineString([p for p in parts if not p.is_empty])
        return shapely.MultiPolygon([p for p in parts if not p.is_empty])
    raise ValueError(f"GML geometry <{name}> is not read")


def parse_features(data: bytes, source: str) -> tuple[list[tuple[str | None, dict, Any]], int | None]:
    """Features of a GetFeature answer in GML: ``[(gml id, properties, geometry)]`` with the
    coordinates as written, and ``numberMatched`` when the server gave it."""
    root = _parse_xml(data, source)
    matched = root.get("numberMatched")
    rows = []
    members = [m for m in root if _local(m.tag) in ("member", "featureMember", "featureMembers")]
    for m in members:
        for feat in m:
            if _local(feat.tag) == "FeatureCollection":  # nested (additionalObjects): skip
                continue
            fid = next((v for k, v in feat.attrib.items() if _local(k) == "id"), None)
            props: dict[str, Any] = {}
            geom = None
            for child in feat:
                name = _local(child.tag)
                if _gml(child) and name in ("boundedBy", "name", "description", "identifier"):
                    continue
                inner = [g for g in child if _gml(g)]
                if inner:
                    try:
                        geom = parse_geometry(inner[0]) if geom is None else geom
                    except (ValueError, IndexError, TypeError) as exc:
                        raise LztInputError(source, f"feature {fid or '?'}: unreadable GML geometry ({exc})") from None
                elif len(child) == 0:
                    props[name] = None if child.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true" \
                        else (child.text or "")
            rows.append((fid, props, geom))
    try:
        n = int(matched) if matched not in (None, "unknown") else None
    except ValueError:
        n = None
    return rows, n


def quote(v: str) -> str:
    """An XML attribute value, quoted (for callers building filters)."""
    from xml.sax.saxutils import quoteattr

    return quoteattr(v)
