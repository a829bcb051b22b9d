"""Import files into a workspace: read (layers/), normalise, write in one transaction.

Every file of one call is read and prepared first; only when all of them are
good are they written, inside one workspace transaction. A bad file therefore
leaves the workspace exactly as it was, and so does Ctrl-C or a killed process.
"""

from __future__ import annotations

from collections.abc import Callable

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import shapely

from layers.kinds import DOMAIN_KINDS, LayerKind
from lzt.core import crs as crsmod
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.ingest import geometry as geom_ops
from lzt.ingest import point_coords
from lzt.ingest.report import ImportReport
from lzt.workspace.base import Workspace
from lzt.workspace.schema import validate_layer_name

if TYPE_CHECKING:  # pragma: no cover
    from layers.spec import LoadedLayer

COORDS = ("wgs84", "gcj02", "bd09")
KINDS = DOMAIN_KINDS  # what --kind may name
SPATIAL_ORDER_MIN = 50_000  # features; smaller layers keep the file's row order as fids
BULK_ROWS = 100_000  # features in one import from which it is a bulk transaction (Workspace.transaction)
_ASSUMED_WGS84 = "no CRS in the file"


@dataclass(frozen=True)
class ImportOptions:
    """What ``lzt import`` lets the user say about the input."""

    layer: str | None = None  # workspace layer name (and source layer of a multi-layer file)
    src_crs: str | None = None  # override or supply the input CRS
    coords: str | None = None  # wgs84 | gcj02 | bd09 for lon/lat input
    x_field: str | None = None
    y_field: str | None = None
    encoding: str | None = None
    replace: bool = False
    kind: str | None = None  # None (plain layer) | LayerKind.COMPLAINTS | LayerKind.SUPERVISION
    mapping: str | None = None  # JSON file mapping an export's headers onto the schema
    parcels: str | None = None  # supervision ledgers without geometry: polygons by parcel_id from here
    link: bool | None = None  # rasters: reference the file (True), copy it (False), by size (None)
    acquired: str | None = None  # rasters: acquisition date (YYYY-MM-DD) when the file has none
    # complaints: places records without coordinates by their address, after the 社区 centroid rule
    # (``lzt.analysis.geocode_layer.locate_addresses``, handed in by the CLI: ingest does not
    # import search). Called as locate(ws, addresses, streets, communities) -> [(level, x, y) | None].
    locate: Callable[..., list] | None = None


@dataclass
class _Prepared:
    report: ImportReport
    gdf: gpd.GeoDataFrame | None = None
    points: np.ndarray | None = None  # n x 2: the 2D points standing for gdf's (empty) geometry
    raster: bytes | None = None
    raster_info: dict = field(default_factory=dict)
    source_hash: str | None = None


def default_layer_name(stem: str) -> str:
    """A valid layer name from a file or source-layer name."""
    name = re.sub(r"[^\w]", "_", stem.strip()).strip("_") or "layer"
    if not re.match(r"^[^\W\d]", name):
        name = "l_" + name
    if name.lower().startswith(("gpkg_", "rtree_", "sqlite_", "lzt_")):
        name = "l_" + name
    return name[:63]


def import_paths(ws: Workspace, paths: list[str | Path], options: ImportOptions = ImportOptions(),
                 feedback: Feedback | None = None) -> list[ImportReport]:
    """Import files into ``ws``; all land in one transaction or none do."""
    fb = ensure(feedback)
    if options.coords is not None and options.coords not in COORDS:
        raise LztInputError("--coords", f"unknown value {options.coords!r}; use one of {', '.join(COORDS)}")
    if not paths:
        raise LztInputError("lzt import", "no input files given")
    if options.kind is not None and options.kind not in KINDS:
        raise LztInputError("--kind", f"unknown kind {options.kind!r}; use one of {', '.join(KINDS)}")
    prepared: list[_Prepared] = []
    for i, p in enumerate(paths):
        fb.progress(i, len(paths), f"读取 {Path(p).name}")
        fb.check()
        prepared += _prepare_path(ws, Path(p), options, single=len(paths) == 1, feedback=fb)
    names = [pr.report.layer for pr in prepared]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise LztInputError(str(paths[0]), f"several inputs would become layer {dupes[0]!r}; "
                                           "import them one at a time with --layer")
    for pr in prepared:
        if ws.has_layer(pr.report.layer):
            if not options.replace:
                raise LztInputError(pr.report.file, f"layer {pr.report.layer!r} already exists in "
                                                    f"{ws.uri} (choose --layer NAME or --replace)")
            pr.report.status = "replaced"
    _write(ws, prepared, options, fb)
    return [pr.report for pr in prepared]


def import_loaded(ws, loaded: LoadedLayer, options: ImportOptions, *, source: str,
                  source_hash: str | None = None, extra: dict | None = None,
                  feedback: Feedback | None = None) -> ImportReport:
    """Import features read elsewhere (a vector service's download) through the same
    preparation and writer as a file: CRS, China offsets (``options.coords``), repair, one
    transaction. ``options.layer`` names the workspace layer; ``extra`` goes into the
    report (and the layer's recorded import details)."""
    fb = ensure(feedback)
    if options.coords is not None and options.coords not in COORDS:
        raise LztInputError("--coords", f"unknown value {options.coords!r}; use one of {', '.join(COORDS)}")
    name = options.layer or default_layer_name(loaded.name)
    validate_layer_name(name, source)
    pr = _prepare_vector(ws, loaded, name, options, source, source_hash=source_hash)
    pr.source_hash = source_hash
    pr.report.extra.update(extra or {})
    if ws.has_layer(name):
        if not options.replace:
            raise LztInputError(source, f"layer {name!r} already exists in {ws.uri} (choose --layer NAME "
                                        "or --replace)")
        pr.report.status = "replaced"
    _write(ws, [pr], options, fb)
    return pr.report


def _write(ws, prepared: list[_Prepared], options: ImportOptions, fb: Feedback) -> None:
    """Write prepared layers, all in one workspace transaction."""
    rows = sum(len(pr.gdf) for pr in prepared if pr.gdf is not None)
    with ws.transaction(bulk=rows >= BULK_ROWS):
        for pr in prepared:
            t0 = time.perf_counter()
            fb.check()
            r = pr.report
            if pr.raster is not None:
                ws.write_raster(r.layer, pr.raster, info=pr.raster_info, source=r.file,
                                source_hash=pr.source_hash, replace=options.replace)
            else:
                # Large layers are stored in spatial order: window reads touch few pages.
                ordered = len(pr.gdf) >= SPATIAL_ORDER_MIN
                r.extra["spatial_order"] = ordered
                ws.write_layer(r.layer, pr.gdf, kind=options.kind or LayerKind.VECTOR, source=r.file,
                               source_hash=pr.source_hash, details={"import": r.to_json()},
                               replace=options.replace, spatial_order=ordered, feedback=fb,
                               **({} if pr.points is None else {"points": pr.points}))
            r.seconds += time.perf_counter() - t0


def _prepare_path(ws, path: Path, options: ImportOptions, *, single: bool,
                  feedback: Feedback) -> list[_Prepared]:
    if not path.exists():
        raise LztInputError(path, "no such file")
    if path.is_dir():
        raise LztInputError(path, "is a folder; give the files to import")
    from layers.formats import kind_of
    from layers.registry import read_vector, sha256_of, sniff

    fmt = sniff(path)
    if kind_of(fmt) == "raster":  # by content: a GeoTIFF named .dat is a raster too
        return [_prepare_raster(ws, path, options, single=single, feedback=feedback, fmt=fmt)]
    if fmt == ".gpkg" and options.layer:  # a GeoPackage of features and tiles: --layer may name a tile set
        from layers.tilesets import tile_table

        if tile_table(path, options.layer):
            return [_prepare_raster(ws, path, options, single=single, feedback=feedback, fmt="gpkg-tiles")]
    from layers.spec import ReadOptions

    t0 = time.perf_counter()
    # a ledger, or an export of orders with no coordinate columns at all (placed by address)
    no_geometry = options.kind in (LayerKind.SUPERVISION, LayerKind.COMPLAINTS)
    loaded = read_vector(path, ReadOptions(layer=None, x_field=options.x_field,
                                           y_field=options.y_field, encoding=options.encoding,
                                           allow_no_geometry=no_geometry, points_as_xy=True))
    if options.layer and len(loaded) > 1:
        match = [ll for ll in loaded if ll.source_layer == options.layer or ll.name == options.layer]
        if not match:
            listing = ", ".join(str(ll.source_layer or ll.name) for ll in loaded)
            raise LztInputError(path, f"has several layers ({listing}); --layer {options.layer!r} "
                                      "matches none of them")
        loaded = match
    elif options.layer and not single:
        raise LztInputError(path, "--layer names one layer: import several files one at a time")
    source_hash = sha256_of(path)
    read_seconds = (time.perf_counter() - t0) / max(1, len(loaded))
    out = []
    for ll in loaded:
        name = options.layer if (options.layer and len(loaded) == 1) else default_layer_name(
            ll.source_layer or ll.name)
        validate_layer_name(name, str(path))
        pr = _prepare_vector(ws, ll, name, options, str(path), source_hash=source_hash)
        pr.source_hash = source_hash
        pr.report.seconds += read_seconds
        out.append(pr)
    return out


def _prepare_vector(ws, ll, name: str, options: ImportOptions, source: str, *,
                    source_hash: str | None = None) -> _Prepared:
    t0 = time.perf_counter()
    gdf = ll.gdf
    if options.kind == LayerKind.COMPLAINTS:
        from layers.complaints import load_mapping, to_schema

        attrs, used = to_schema(gdf.drop(columns=[gdf.geometry.name]), load_mapping(options.mapping), source)
        gdf = gpd.GeoDataFrame(attrs, geometry=gdf.geometry.values, crs=gdf.crs)
    elif options.kind == LayerKind.SUPERVISION:
        from layers.supervision import load_mapping, to_schema

        attrs, used = to_schema(gdf.drop(columns=[gdf.geometry.name]), load_mapping(options.mapping), source)
        gdf = gpd.GeoDataFrame(attrs, geometry=gdf.geometry.values, crs=gdf.crs)
    report = ImportReport(file=source, layer=name, kind="vector", source_layer=ll.source_layer,
                          encoding=getattr(ll, "encoding", None), x_field=getattr(ll, "x_field", None),
                          y_field=getattr(ll, "y_field", None), warnings=list(ll.warnings))
    report.rows_without_coords = int(ll.stats.get("rows_without_coords", 0)) if ll.stats else 0
    # A point table read as coordinates (ll.xy): every step below works on them, and each
    # point is built once, in the workspace CRS (see lzt.ingest.point_coords).
    xy = getattr(ll, "xy", None)
    geoms = xy if xy is not None else np.asarray(gdf.geometry.values, dtype=object)
    ws_crs = crsmod.parse_crs(ws.crs)

    # 1. Which CRS is the input in?
    if options.src_crs:
        src = crsmod.parse_crs(options.src_crs, source="--src-crs")
        report.crs_from = "--src-crs"
    elif ll.crs is not None:
        src = ll.crs if not isinstance(ll.crs, str) else crsmod.parse_crs(ll.crs, source=source)
    else:
        if xy is not None:
            b = point_coords.bounds(xy)
        else:
            present = geoms[~shapely.is_missing(geoms)]
            b = shapely.total_bounds(present) if len(present) else np.full(4, np.nan)
        if getattr(ll, "coords_kind", None) == "lonlat" or (
                not np.isnan(b).all() and crsmod.looks_like_lonlat(*b)):
            src = crsmod.parse_crs("EPSG:4326")
            report.crs_from = "assumed lon/lat"
            if not options.coords or options.coords == "wgs84":  # --coords gcj02/bd09 already says what they are
                report.warnings.append(_ASSUMED_WGS84 + ": coordinates look like lon/lat degrees, "
                                       "taken as WGS84/CGCS2000 (use --coords gcj02|bd09 or --src-crs "
                                       "to say otherwise)")
        elif np.isnan(b).all():
            src = ws_crs
            report.crs_from = "workspace (no geometry)"
        else:
            raise LztInputError(source, "has no CRS and its coordinates are not lon/lat degrees; "
                                        "give it with --src-crs (e.g. --src-crs EPSG:4547)")
    report.crs_source = crsmod.crs_string(src)
    if options.coords and options.coords != "wgs84" and not src.is_geographic:
        raise LztInputError(source, f"--coords {options.coords} applies to lon/lat input, but the "
                                    f"input CRS is {report.crs_source}")

    # 2. Which system are lon/lat in? The verdict is said, never applied (the user decides).
    if crsmod.is_wgs84_like(src):
        from lzt.ingest.crs_detect import advice, detect

        verdict = detect(ws, geoms, ll.gdf.drop(columns=[ll.gdf.geometry.name]), x_field=ll.x_field,
                         y_field=ll.y_field, path=source, imported_as=options.coords or "wgs84",
                         source_hash=source_hash)
        report.crs_verdict = verdict.to_json()
        if verdict.flag:
            report.warnings.append(advice(verdict, f"--replace 重新导入（图层 {name}）"))
        if verdict.flag or (verdict.datum == (options.coords or "wgs84") and verdict.confidence == "high"):
            report.warnings[:] = [w for w in report.warnings if not w.startswith(_ASSUMED_WGS84)]

    # 3. China offsets (GCJ-02 / BD-09 -> WGS84), then the workspace CRS.
    ops = point_coords if xy is not None else geom_ops
    if options.coords and options.coords != "wgs84":
        before = geoms
        geoms = ops.convert_china_offsets(geoms, options.coords, source)
        shift = ops.offset_summary(before, geoms)
        report.extra["coords_shift"] = shift
        if shift["moved"] == 0:
            report.warnings.append(f"--coords {options.coords}: the data lies outside China, where "
                                   f"{'GCJ-02 is WGS84 itself' if options.coords == 'gcj02' else 'no offset applies'}"
                                   ": nothing moved")
        elif shift["moved"] < shift["features"]:
            report.warnings.append(f"--coords {options.coords}: {shift['features'] - shift['moved']} of "
                                   f"{shift['features']} features lie outside China and did not move")
        src = crsmod.parse_crs("EPSG:4326")
    report.coords = options.coords or ("wgs84" if src.is_geographic else None)
    geoms, outside = ops.reproject(geoms, src, ws_crs, source)
    if outside:
        report.warnings.append(f"{outside} features lie outside the area of use of {ws.crs}")
    report.crs_used = ws.crs

    # 4. Repair and normalise (points from finite coordinates are valid, single and not empty).
    stats = geom_ops.GeometryStats()
    points = None
    if xy is not None:
        stats.null_geometries = int((~point_coords.located(geoms)).sum())
        if options.kind is None:  # written from the coordinates (Workspace.write_layer(points=))
            points, geoms = geoms, np.full(len(geoms), None, dtype=object)
        else:  # domain layers place records without coordinates: they need the points
            geoms = point_coords.points(geoms)
    else:
        geoms = geom_ops.repair(geoms, stats)
        geoms = geom_ops.promote_to_multi(geoms, stats)
    report.repaired, report.null_geometries = stats.repaired, stats.null_geometries
    report.empty_geometries, report.promoted_to_multi = stats.empty_geometries, stats.promoted_to_multi
    if stats.repaired:
        report.warnings.append(f"{stats.repaired} invalid geometries repaired (make_valid)")
    if stats.null_geometries or stats.empty_geometries:
        report.warnings.append(f"{stats.null_geometries} null and {stats.empty_geometries} empty "
                               "geometries kept as records without a location")
    attrs = gdf.drop(columns=[gdf.geometry.name])
    out = gpd.GeoDataFrame(attrs.reset_index(drop=True), geometry=gpd.GeoSeries(geoms, crs=ws.crs),
                           crs=ws.crs)
    if options.kind == LayerKind.COMPLAINTS:
        _place_complaints(ws, out, report, options.locate)
    elif options.kind == LayerKind.SUPERVISION:
        _supervision_geometry(ws, out, report, options.parcels, source)
    report.count = len(out)
    if points is not None:
        b = point_coords.bounds(points)
        kinds = [] if np.isnan(b).all() else ["Point"]
    else:
        kinds = sorted(set(out.geometry.geom_type.dropna().unique()))
        b = out.total_bounds
    report.geometry_type = kinds[0] if len(kinds) == 1 else ("Geometry" if kinds else None)
    report.extent = None if np.isnan(b).all() else [round(float(v), 3) for v in b]
    report.seconds += time.perf_counter() - t0
    return _Prepared(report=report, gdf=out, points=points)


def _prepare_raster(ws, path: Path, options: ImportOptions, *, single: bool,
                    feedback: Feedback | None = None, fmt: str | None = None) -> _Prepared:
    from layers import imagery
    from layers.formats import by_suffix
    from layers.raster import prepare_for_storage
    from layers.registry import sha256_of

    t0 = time.perf_counter()
    name = options.layer if (options.layer and single) else default_layer_name(path.stem)
    validate_layer_name(name, str(path))
    acquired = imagery.parse_date(options.acquired) if options.acquired else None
    package = fmt is not None and by_suffix(fmt) is not None and by_suffix(fmt).reader == "tiles"
    if package:
        data, info, linked, link = _package_raster(path, options)
    else:
        link = imagery.should_link(path) if options.link is None else options.link
        if link:  # a reference to the file (and its pyramid), not a copy
            data, info, linked = imagery.prepare_link(path, src_crs=options.src_crs, feedback=feedback)
        else:
            data, info = prepare_for_storage(path, src_crs=options.src_crs)
            linked = {}
            import rasterio

            with rasterio.open(path) as ds:
                if imagery.acquisition_date(ds.tags()):
                    linked["acquired"] = imagery.acquisition_date(ds.tags())
    src = crsmod.parse_crs(info.crs, source=str(path))
    ws_crs = crsmod.parse_crs(ws.crs)
    geom_ops.reproject(np.array([shapely.box(*info.bounds)], dtype=object), src, ws_crs, str(path))
    tr = crsmod.transformer(src, ws_crs)
    bounds_ws = tr.transform_bounds(*info.bounds, densify_pts=21)
    if not np.isfinite(bounds_ws).all():
        raise LztInputError(path, f"its extent cannot be expressed in {ws.crs}; check its CRS")
    facts = info.to_json()
    facts["bounds_workspace"] = [float(v) for v in bounds_ws]
    facts.update(linked)
    if acquired:  # the user's date wins over the file's
        facts["acquired"] = acquired
    extra = {"width": info.width, "height": info.height, "bands": info.count,
             "overviews": list(info.overviews), "stored_bytes": len(data)}
    extra.update({k: facts[k] for k in ("linked", "pyramid", "acquired", "package") if k in facts})
    report = ImportReport(file=str(path), layer=name, kind="raster", crs_source=crsmod.crs_string(src),
                          crs_from="--src-crs" if options.src_crs else "file", crs_used=ws.crs,
                          count=int(info.width) * int(info.height),
                          extent=[round(float(v), 3) for v in bounds_ws], extra=extra)
    report.seconds = time.perf_counter() - t0
    # a linked file is identified by path, size and time: hashing gigabytes would cost minutes
    digest = None if link else sha256_of(path)
    return _Prepared(report=report, raster=data, raster_info=facts, source_hash=digest)


def _package_raster(path: Path, options: ImportOptions):
    """(data, info, facts, linked?) of a tile package: linked (its zoom levels are its pyramid)
    unless --embed copies its finest level into the workspace."""
    from layers import tilesets
    from layers.raster import prepare_for_storage

    table = tilesets.tile_table(path, options.layer)
    if options.link is False:
        data, info = prepare_for_storage(tilesets.gdal_name(path, table), src_crs=options.src_crs)
        return data, info, {}, False
    data, info, facts = tilesets.prepare_package(path, table)
    return data, info, facts, True


def _place_complaints(ws, gdf: gpd.GeoDataFrame, report: ImportReport, locate=None) -> None:
    """Records without coordinates but with a known 社区 go to its centroid, flagged; then, with
    ``locate``, those with an address are placed by it where that is finer than the centroid
    (or where there was no centroid), flagged ``geocoded:<level>``; the rest stay without a
    location and are listed in the report (never dropped)."""
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    source = np.where(missing, None, report.coords or "file").astype(object)
    if missing.any() and "community" in gdf.columns and ws.has_layer("communities"):
        comm = ws.read_features("communities", columns=["name"])
        centroid = dict(zip(comm["name"], shapely.centroid(np.asarray(comm.geometry.values, dtype=object))))
        names = gdf["community"].to_numpy(dtype=object)
        for i in np.flatnonzero(missing):
            c = centroid.get(str(names[i]).removesuffix("社区")) or centroid.get(names[i])
            if c is not None:
                geoms[i] = c
                source[i] = "community_centroid"
        gdf.geometry = gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)
    if locate is not None and "address" in gdf.columns:
        _geocode_complaints(ws, gdf, source, locate, report)
    placed = int((source == "community_centroid").sum())
    left = np.flatnonzero(shapely.is_missing(np.asarray(gdf.geometry.values, dtype=object)))
    gdf["location_source"] = source
    report.extra["placed_at_community_centroid"] = placed
    report.extra["without_location"] = [str(v) for v in gdf["order_id"].to_numpy()[left][:100]]
    if placed:
        report.warnings.append(f"{placed} records without coordinates placed at their community's centroid "
                               "(location_source = community_centroid)")
    if len(left):
        report.warnings.append(f"{len(left)} records have neither coordinates nor a known community: kept "
                               "without a location (listed under without_location)")


def _geocode_complaints(ws, gdf: gpd.GeoDataFrame, source: np.ndarray, locate, report: ImportReport) -> None:
    """The address step of ``_place_complaints``: finer than a centroid replaces it."""
    addr = gdf["address"].to_numpy(dtype=object)
    todo = np.flatnonzero(((source == None) | (source == "community_centroid"))  # noqa: E711
                          & np.array([isinstance(a, str) and bool(a.strip()) for a in addr], dtype=bool))
    if not len(todo):
        return
    col = {c: (gdf[c].to_numpy(dtype=object)[todo] if c in gdf.columns else [None] * len(todo))
           for c in ("street", "community")}
    got = locate(ws, addr[todo].tolist(), list(col["street"]), list(col["community"]))
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    levels: dict[str, int] = {}
    for i, g in zip(todo.tolist(), got):
        if g is None:
            continue
        level, x, y = g
        if source[i] == "community_centroid" and level not in ("门牌", "小区", "道路"):
            continue  # not finer than the centroid it has
        geoms[i] = shapely.Point(x, y)
        source[i] = f"geocoded:{level}"
        levels[level] = levels.get(level, 0) + 1
    gdf.geometry = gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)
    report.extra["geocoded"] = levels
    if levels:
        report.warnings.append(f"{sum(levels.values())} records without coordinates placed by their address ("
                               + ", ".join(f"{lv} {n}" for lv, n in levels.items())
                               + "; location_source = geocoded:<level>)")


def _supervision_geometry(ws, gdf: gpd.GeoDataFrame, report: ImportReport, parcels: str | None,
                          source: str) -> None:
    """Supervision parcels are polygons. A ledger without geometry (an XLSX of terms) takes
    each parcel's polygon from a workspace layer by 宗地编号; unmatched parcels are kept
    without a location and listed in the report."""
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    kinds = set(shapely.get_type_id(geoms[present]).tolist())
    if kinds - {3, 6}:
        raise LztInputError(source, "supervision parcels must be polygons; this file has "
                                    f"{', '.join(sorted(set(gdf.geometry[present].geom_type)))}")
    if present.all():
        return
    layer = parcels or next((li.name for li in ws.layers() if li.kind != LayerKind.RASTER and li.geometry_type
                             and "Polygon" in li.geometry_type and any(f.name == "parcel_id" for f in li.fields)
                             and li.kind != LayerKind.SUPERVISION), None)
    if parcels is not None and (not ws.has_layer(parcels) or "parcel_id" not in ws.fields(parcels)):
        raise LztInputError(source, f"--parcels {parcels!r}: no such layer with a parcel_id field in {ws.uri}")
    matched = 0
    if layer is not None:
        ids = gdf["parcel_id"].to_numpy(dtype=object)
        want = sorted({str(i) for i in ids[~present]})
        from lzt.core.filters import In

        poly = ws.read_features(layer, columns=["parcel_id"], where=In("parcel_id", tuple(want)))
        by_id = dict(zip(poly["parcel_id"].astype(str), poly.geometry.values))
        for i in np.flatnonzero(~present):
            g = by_id.get(str(ids[i]))
            if g is not None:
                geoms[i] = g
                matched += 1
        gdf.geometry = gpd.GeoSeries(geom_ops.promote_to_multi(geoms, geom_ops.GeometryStats()),
                                     index=gdf.index, crs=gdf.crs)
        report.extra["geometry_from"] = layer
        report.warnings.append(f"{matched} parcels took their polygon from layer {layer!r} by 宗地编号")
    left = np.flatnonzero(shapely.is_missing(np.asarray(gdf.geometry.values, dtype=object)))
    report.extra["without_location"] = [str(v) for v in gdf["parcel_id"].to_numpy()[left][:100]]
    if len(left):
        report.warnings.append(f"{len(left)} parcels have no polygon (no geometry in the file"
                               f"{'' if layer is None else ' and no match in ' + repr(layer)}): kept without "
                               "a location (listed under without_location)")
