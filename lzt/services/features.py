"""Vector services as feature sources: OGC API - Features collections and WFS 2.0 feature
types read by box, filter and page, into GeoDataFrames.

``open_source(spec, get)`` reads what the service says about the layer (fields, extent,
whether it filters); ``FeatureSource.fetch(bbox, where)`` returns the features meeting a box
(workspace CRS) in the service's own lon/lat or CRS, x first. An attribute filter is sent to
the server where it can take it (CQL2 text to an OGC API server that declares Part 3, FES 2.0
to a WFS) and is *always* applied here as well: a server that ignores the filter (some accept
``filter=`` and drop it) cannot widen the answer; that is recorded as ``server_filter="ignored"``
and the filter is no longer sent. GCJ-02/BD-09 services get their request box shifted into
their offset system; the features themselves are corrected on the way into the workspace CRS
(``to_workspace``) or by the importer (downloads).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lzt.core import chinacoords
from lzt.core import crs as crsmod
from lzt.core import filters as F
from lzt.core.errors import LztInputError
from lzt.services import axes, ogcapi, wfs
from lzt.core.lazy import lazy_module

gpd = lazy_module("geopandas")
pd = lazy_module("pandas")
shapely = lazy_module("shapely")

Getter = Callable[[str, Mapping[str, str] | None], bytes]
SERVICE_TYPES = ("ogcapi", "wfs")
ID_COLUMN = "service_id"
PAGE = 1000


@dataclass(frozen=True)
class ServiceSpec:
    """A vector service layer: where it is and what it is."""

    name: str
    type: str  # "ogcapi" | "wfs"
    url: str
    layer: str  # collection id (OGC API) or feature type name (WFS)
    coords: str | None = None  # "gcj02" | "bd09": the service's lon/lat carry that offset


@dataclass
class Fetched:
    """Features of one fetch, in ``crs`` (x first), with what happened on the way."""

    gdf: gpd.GeoDataFrame
    crs: str
    matched: int | None = None  # the server's count of all features meeting the request
    truncated: bool = False  # stopped at the feature limit before the last page
    pages: int = 0
    server_filter: str = "none"  # "none" | "applied" | "ignored" | "refused"
    notes: list[str] = field(default_factory=list)


def cql2_text(e: F.Expr) -> str | None:
    """An attribute predicate as CQL2 text, or None when it holds a term lzt applies itself."""
    def lit(v: Any) -> str:
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return repr(v)
        return "'" + str(v).replace("'", "''") + "'"

    def name(n: str) -> str:
        return n if n.isidentifier() and n.isascii() else '"' + n.replace('"', '""') + '"'

    def go(x) -> str | None:
        if isinstance(x, F.Compare):
            return f"{name(x.field)} {x.op} {lit(x.value)}"
        if isinstance(x, F.Like):
            return f"{name(x.field)} {'NOT ' if x.negate else ''}LIKE {lit(x.pattern)}"
        if isinstance(x, F.In):
            return f"{name(x.field)} {'NOT ' if x.negate else ''}IN ({', '.join(lit(v) for v in x.values)})"
        if isinstance(x, F.Between):
            return f"{name(x.field)} {'NOT ' if x.negate else ''}BETWEEN {lit(x.low)} AND {lit(x.high)}"
        if isinstance(x, F.IsNull):
            return f"{name(x.field)} IS {'NOT ' if x.negate else ''}NULL"
        if isinstance(x, (F.And, F.Or)):
            items = [go(i) for i in x.items]
            if any(i is None for i in items):
                return None
            return "(" + (" AND " if isinstance(x, F.And) else " OR ").join(items) + ")"
        if isinstance(x, F.Not):
            inner = go(x.item)
            return None if inner is None else f"NOT ({inner})"
        return None

    return go(e)


def typed(df: pd.DataFrame, fields: Mapping[str, str]) -> pd.DataFrame:
    """Columns converted to the types the service declares (GML carries all values as text)."""
    for col, typ in fields.items():
        if col not in df.columns:
            continue
        s = df[col]
        if typ == "INTEGER":
            df[col] = pd.to_numeric(s, errors="coerce").astype("Int64")
        elif typ == "REAL":
            df[col] = pd.to_numeric(s, errors="coerce").astype(float)
        elif typ == "BOOLEAN" and s.dtype == object:
            df[col] = s.map(lambda v: None if v is None else str(v).strip().lower() in ("true", "1"))
    return df


def _inferred(df: pd.DataFrame) -> dict[str, str]:
    out = {}
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_bool_dtype(s):
            out[col] = "BOOLEAN"
        elif pd.api.types.is_integer_dtype(s):
            out[col] = "INTEGER"
        elif pd.api.types.is_float_dtype(s):
            out[col] = "REAL"
        else:
            out[col] = "TEXT"
    return out


def _frame(rows: list[tuple[Any, dict, Any]], crs: str) -> gpd.GeoDataFrame:
    props = pd.DataFrame.from_records([r[1] for r in rows]) if rows else pd.DataFrame()
    ids = [None if r[0] is None else str(r[0]) for r in rows]
    if ID_COLUMN not in props.columns:
        props.insert(0, ID_COLUMN, pd.Series(ids, dtype=object))
    geoms = np.array([r[2] for r in rows], dtype=object) if rows else np.array([], dtype=object)
    return gpd.GeoDataFrame(props, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)


def _geojson_rows(feats: list[dict], source: str) -> list[tuple[Any, dict, Any]]:
    rows = []
    for f in feats:
        g = f.get("geometry")
        try:
            geom = shapely.from_geojson(json.dumps(g)) if g else None
        except shapely.errors.GEOSException as exc:
            raise LztInputError(source, f"feature {f.get('id', '?')}: unreadable geometry ({exc})") from None
        props = f.get("properties") or {}
        rows.append((f.get("id"), {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v)
                                   for k, v in props.items()}, geom))
    return rows


class FeatureSource:
    """One service layer, opened: its fields and how to fetch its features."""

    def __init__(self, spec: ServiceSpec, get: Getter):
        if spec.type not in SERVICE_TYPES:
            raise LztInputError(spec.name, f"service type {spec.type!r} has no features (use ogcapi or wfs)")
        if spec.coords not in (None, "wgs84", "gcj02", "bd09"):
            raise LztInputError(spec.name, f"unknown --coords {spec.coords!r}; use gcj02 or bd09")
        self.spec, self.get = spec, get
        self.send_filter = True
        self.fields: dict[str, str] = {}
        self.extent_lonlat: tuple[float, float, float, float] | None = None
        if spec.type == "ogcapi":
            self.api = ogcapi.read_info(get, spec.url)
            self.collection = self.api.collection(spec.layer, spec.url)
            self.extent_lonlat = self.collection.bbox
            self.filters = self.api.may_filter
            self.crs = "EPSG:4326"  # CRS84: lon/lat, x first (always_xy)
            self.fields = ogcapi.queryables(get, spec.url, spec.layer)
        else:
            caps = wfs.parse_capabilities(get(spec.url, {"SERVICE": "WFS", "REQUEST": "GetCapabilities",
                                                         "ACCEPTVERSIONS": "2.0.0"}), spec.url)
            self.ft = caps.feature_type(spec.layer, spec.url)
            self.paging, self.filters = caps.paging, caps.filters
            self.extent_lonlat = self.ft.wgs84_bbox
            self.epsg = self._wfs_crs()
            self.crs = f"EPSG:{self.epsg}"
            self.format = self.ft.geojson_format()
            try:
                self.fields = wfs.parse_describe(get(spec.url, {
                    "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "DescribeFeatureType",
                    "TYPENAMES": self.ft.name}), spec.url)
            except LztInputError:
                self.fields = {}
        if not self.fields:  # no schema published: the first features say
            sample = self.fetch(None, limit=20).gdf
            self.fields = _inferred(sample.drop(columns=[sample.geometry.name, ID_COLUMN], errors="ignore"))

    def _wfs_crs(self) -> int:
        offered = [axes.epsg_of(c) for c in (self.ft.default_crs, *self.ft.other_crs)]
        offered = [c for c in offered if c is not None]
        if self.spec.coords in ("gcj02", "bd09"):
            if 4326 not in offered:
                raise LztInputError(self.spec.name, f"--coords {self.spec.coords} needs lon/lat, but the "
                                                    "feature type offers no EPSG:4326")
            return 4326
        for preferred in (4490, 4326):
            if preferred in offered:
                return preferred
        if not offered:
            raise LztInputError(self.spec.url, f"feature type {self.ft.name}: no EPSG CRS offered")
        return offered[0]

    @property
    def all_fields(self) -> dict[str, str]:
        """Attribute fields as a layer shows them (the service id first)."""
        return {ID_COLUMN: "TEXT", **{k: v for k, v in self.fields.items() if k != ID_COLUMN}}

    # -- boxes --------------------------------------------------------------------------------
    def request_box(self, bbox_ws: tuple[float, float, float, float] | None, ws_crs: str):
        """A workspace-CRS box as the service's own box (x first): reprojected, and moved into
        GCJ-02/BD-09 for an offset service (with a margin for the shift's variation)."""
        if bbox_ws is None:
            return None
        tr = crsmod.transformer(ws_crs, self.crs)
        b = tr.transform_bounds(*bbox_ws, densify_pts=21)
        if self.spec.coords in ("gcj02", "bd09"):
            xs = np.array([b[0], b[2], b[0], b[2]])
            ys = np.array([b[1], b[1], b[3], b[3]])
            fwd = chinacoords.wgs84_to_gcj02 if self.spec.coords == "gcj02" else chinacoords.wgs84_to_bd09
            x, y = fwd(xs, ys)
            pad = 0.0005
            b = (float(np.min(x)) - pad, float(np.min(y)) - pad, float(np.max(x)) + pad, float(np.max(y)) + pad)
        return tuple(float(v) for v in b)

    def count(self) -> int | None:
        """How many features the layer has, as the server says (None when it does not)."""
        if self.spec.type == "ogcapi":
            return self.fetch(None, limit=1).matched
        params = wfs.get_feature_params(self.ft, bbox_xy=None, epsg=self.epsg)
        params["RESULTTYPE"] = "hits"
        return wfs.parse_features(self.get(self.spec.url, params), self.spec.url)[1]

    # -- fetching -----------------------------------------------------------------------------
    def fetch(self, box: tuple[float, float, float, float] | None, where: F.Expr | None = None, *,
              limit: int | None = None, progress: Callable[[int, int | None], None] | None = None) -> Fetched:
        """Features meeting ``box`` (the service's CRS, x first; None: all) and the attribute
        predicate ``where``, at most ``limit`` of them, in the service's CRS."""
        remote = None
        if where is not None and self.filters and self.send_filter:
            remote = cql2_text(where) if self.spec.type == "ogcapi" else wfs.fes_filter(where)
        try:
            out = self._fetch(box, remote, limit, progress)
        except LztInputError as exc:
            if remote is None:
                raise
            out = self._fetch(box, None, limit, progress)
            out.server_filter = "refused"
            out.notes.append(f"the server refused the filter ({exc.problem[:120]}); filtered by lzt")
            self.send_filter = False
        if out.server_filter == "none" and remote is not None:
            out.server_filter = "applied"
        out.gdf = typed(out.gdf, self.fields)
        if where is not None and len(out.gdf):
            keep = _evaluate(where, out.gdf)
            if out.server_filter == "applied" and not keep.all():
                out.server_filter = "ignored"
                out.notes.append(f"the server returned {int((~keep).sum())} features outside the filter "
                                 "(it ignores it); filtered by lzt")
                self.send_filter = False
            out.gdf = out.gdf[keep]
        out.gdf = out.gdf.reset_index(drop=True)
        return out

    def _fetch(self, box, remote: str | None, limit: int | None, progress) -> Fetched:
        rows: list[tuple[Any, dict, Any]] = []
        matched, pages, truncated = None, 0, False
        if self.spec.type == "ogcapi":
            pages_iter = ogcapi.item_pages(self.get, self.spec.url, self.spec.layer, bbox=box,
                                           limit=min(PAGE, limit or PAGE), cql2=remote)
            for feats, n in pages_iter:
                pages += 1
                matched = n if n is not None else matched
                rows += _geojson_rows(feats, self.spec.url)
                if progress:
                    progress(len(rows), matched)
                if limit is not None and len(rows) >= limit:
                    truncated = matched is None or matched > limit
                    break
            gdf = _frame(rows[:limit] if limit else rows, self.crs)
            return Fetched(gdf, self.crs, matched, truncated, pages)
        start, last_first = 0, None
        while True:
            want = PAGE if limit is None else min(PAGE, limit - len(rows))
            params = wfs.get_feature_params(self.ft, bbox_xy=box, epsg=self.epsg,
                                            count=want, start=start if self.paging else 0,
                                            output_format=self.format, fes=remote)
            data = self.get(self.spec.url, params)
            pages += 1
            if self.format:
                page_rows, n = self._wfs_geojson(data, box)
            else:
                page_rows, n = wfs.parse_features(data, self.spec.url)
                if axes.north_first(self.epsg):
                    page_rows = [(i, p, None if g is None else axes.swap_xy(np.array([g], dtype=object))[0])
                                 for i, p, g in page_rows]
            matched = n if n is not None else matched
            rows += page_rows
            if progress:
                progress(len(rows), matched)
            # A server may cap a page below COUNT (MapServer's wfs_maxfeatures): only an empty
            # page, the matched count or a repeated page ends the paging.
            first = page_rows[0][0] if page_rows else None
            if not page_rows or not self.paging or (matched is not None and len(rows) >= matched) \
                    or (first is not None and first == last_first):
                if first is not None and first == last_first:
                    del rows[-len(page_rows):]
                break
            if limit is not None and len(rows) >= limit:
                truncated = matched is None or matched > limit
                break
            last_first = first
            start += len(page_rows)
        return Fetched(_frame(rows, self.crs), self.crs, matched, truncated, pages)

    def _wfs_geojson(self, data: bytes, box) -> tuple[list, int | None]:
        try:
            doc = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            wfs.parse_features(data, self.spec.url)  # an exception report says why, in one line
            raise LztInputError(self.spec.url, "the WFS answer is not GeoJSON") from None
        rows = _geojson_rows([f for f in doc.get("features") or [] if isinstance(f, dict)], self.spec.url)
        if rows and self.spec.coords is None and box is not None:
            # GeoJSON should be x first; some servers keep the CRS's lat/lon order in it.
            geoms, swapped = axes.settle_order(np.array([r[2] for r in rows], dtype=object), box)
            if swapped:
                rows = [(i, p, g) for (i, p, _), g in zip(rows, geoms)]
        n = doc.get("numberMatched")
        return rows, n if isinstance(n, int) else None


def _evaluate(where: F.Expr, gdf: gpd.GeoDataFrame) -> np.ndarray:
    from lzt.query.expr import evaluate

    return np.asarray(evaluate(where, gdf), dtype=bool)


def to_workspace(fetched: Fetched, ws_crs: str, coords: str | None, source: str) -> gpd.GeoDataFrame:
    """Fetched features in the workspace CRS: GCJ-02/BD-09 corrected (iterative inverse) and
    reprojected; lon/lat outside China stay where they are."""
    from lzt.ingest import geometry as geom_ops

    geoms = np.asarray(fetched.gdf.geometry.values, dtype=object)
    src = crsmod.parse_crs(fetched.crs)
    if coords in ("gcj02", "bd09") and len(geoms):
        geoms = geom_ops.convert_china_offsets(geoms, coords, source)
    if len(geoms):
        geoms, _ = geom_ops.reproject(geoms, src, crsmod.parse_crs(ws_crs), source)
    attrs = fetched.gdf.drop(columns=[fetched.gdf.geometry.name])
    return gpd.GeoDataFrame(attrs, geometry=gpd.GeoSeries(geoms, index=attrs.index, crs=ws_crs), crs=ws_crs)


def urllib_get(url: str, params: Mapping[str, str] | None = None, *, timeout: float = 30.0) -> bytes:
    """GET ``url`` with ``params`` over http/https (TLS verified, proxies from the
    environment); a failure is one clear line naming the URL without its query."""
    import urllib.error
    import urllib.parse
    import urllib.request

    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise LztInputError(url, "only http and https services are read")
    if params:
        url = url + ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
    where = url.split("?", 1)[0]
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": "lzt"}),
                                    timeout=timeout) as r:
            return r.read()
    except urllib.error.HTTPError as exc:
        body = exc.read()[:2000]
        detail = ""
        try:
            doc = json.loads(body)
            detail = ": " + str(doc.get("description") or doc.get("detail") or "")[:200]
        except (ValueError, AttributeError):
            if b"Exception" in body:
                detail = ": " + " ".join(body.decode("utf-8", "replace").split())[:200]
        raise LztInputError(where, f"the server answered HTTP {exc.code}{detail}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise LztInputError(where, f"cannot reach the service ({reason})") from None
