"""CityJSON (1.x/2.0, and CityJSON Text Sequences) buildings as a footprint layer with heights.

One row per ``Building`` (its ``BuildingPart`` children's geometry counts as its own when it has
none): the footprint is the union of its ground surfaces (semantic ``GroundSurface``, else the
faces lying at its lowest height, else every non-vertical face seen from above), ``ground_z``
and ``roof_z`` its lowest and highest vertex and ``height_m`` their difference, taken from its
highest level of detail. Its attributes come along (nested values as JSON text), ``cityjson_id``
names it. Other city objects (roads, terrain, vegetation) are counted in a warning.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.spec import LoadedLayer, ReadOptions
from lzt.core.errors import LztInputError

BUILDING_TYPES = ("Building",)
PART_TYPES = ("BuildingPart", "BuildingInstallation")
FLAT_TOL = 0.01  # metres: a face within this of the lowest height is on the ground


def read_cityjson(path: str | Path, options: ReadOptions = ReadOptions()) -> list[LoadedLayer]:
    """The buildings of a CityJSON file (or CityJSONSeq) as one footprint layer, in its own CRS."""
    path = Path(path)
    docs = _documents(path)
    head = docs[0]
    crs = options.src_crs or _crs(head.get("metadata", {}).get("referenceSystem"), path)
    rows, geoms, other = [], [], {}
    for doc in docs:
        verts = _vertices(doc, head, path)
        objects = doc.get("CityObjects", {})
        for key, obj in objects.items():
            kind = obj.get("type", "")
            if kind not in BUILDING_TYPES:
                if kind not in PART_TYPES:
                    other[kind] = other.get(kind, 0) + 1
                continue
            row, geom = _building(key, obj, objects, verts, path)
            rows.append(row)
            geoms.append(geom)
    if not rows:
        found = ", ".join(f"{k} {n}" for k, n in sorted(other.items())) or "no city objects"
        raise LztInputError(path, f"no buildings in this CityJSON file ({found})")
    gdf = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=gpd.GeoSeries(geoms), crs=crs)
    warnings = []
    if other:
        warnings.append("skipped city objects that are not buildings: "
                        + ", ".join(f"{k} {n}" for k, n in sorted(other.items())))
    empty = int(gdf.geometry.isna().sum())
    if empty:
        warnings.append(f"{empty} buildings have no geometry with a footprint: kept without a location")
    return [LoadedLayer(name=_layer_name(path), gdf=gdf, crs=crs, source=path, warnings=tuple(warnings),
                        stats={"null_geometries": empty} if empty else {})]


def _layer_name(path: Path) -> str:
    name = path.name
    for suffix in (".city.jsonl", ".city.json", ".jsonl", ".json"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] or "buildings"
    return path.stem


def _documents(path: Path) -> list[dict]:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    try:
        docs = [json.loads(text)]
    except ValueError:
        try:  # CityJSON Text Sequence: a CityJSON header line, then one CityJSONFeature a line
            docs = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError as exc:
            raise LztInputError(path, f"is not valid CityJSON: {exc}") from None
    if not docs or not isinstance(docs[0], dict) or docs[0].get("type") != "CityJSON":
        raise LztInputError(path, "is not CityJSON (no \"type\": \"CityJSON\" object first)")
    bad = [d.get("type") for d in docs[1:] if not isinstance(d, dict) or d.get("type") != "CityJSONFeature"]
    if bad:
        raise LztInputError(path, f"a CityJSON sequence holds something else than CityJSONFeature: {bad[0]!r}")
    return docs


def _crs(ref, path: Path):
    from pyproj import CRS

    if not ref:
        return None
    m = re.search(r"EPSG(?:/\d+/|::?|/0/)(\d+)", str(ref), re.IGNORECASE)
    if not m:
        raise LztInputError(path, f"its referenceSystem {ref!r} is not an EPSG CRS: give --src-crs")
    crs = CRS.from_epsg(int(m.group(1)))
    if crs.is_compound:  # e.g. a projected CRS + a height system: footprints need the horizontal part
        crs = crs.sub_crs_list[0]
    return crs


def _vertices(doc: dict, head: dict, path: Path) -> np.ndarray:
    v = np.asarray(doc.get("vertices", []), dtype=float).reshape(-1, 3)
    tr = doc.get("transform") or head.get("transform")
    if tr:
        v = v * np.asarray(tr.get("scale", [1, 1, 1]), dtype=float) + np.asarray(tr.get("translate", [0, 0, 0]),
                                                                                  dtype=float)
    if not np.isfinite(v).all():
        raise LztInputError(path, "has vertices that are not finite numbers")
    return v


def _building(key: str, obj: dict, objects: dict, verts: np.ndarray, path: Path):
    geometries = list(obj.get("geometry", []))
    if not geometries:
        for child in obj.get("children", []):
            geometries += objects.get(child, {}).get("geometry", [])
    row = {"cityjson_id": key}
    for k, v in (obj.get("attributes") or {}).items():
        row[k] = json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
    geometries = [g for g in geometries if g.get("boundaries")]
    if not geometries:
        row.update(lod=None, ground_z=np.nan, roof_z=np.nan, height_m=np.nan)
        return row, None
    best = max(float(g.get("lod", 0) or 0) for g in geometries)
    surfaces, grounds = [], []
    for g in geometries:
        if float(g.get("lod", 0) or 0) == best:
            s, gr = _surfaces(g, path, key)
            surfaces += s
            grounds += gr
    try:
        z = np.concatenate([verts[np.concatenate(ring)][:, 2] for ring in surfaces])
    except IndexError:
        raise LztInputError(path, f"building {key!r} refers to vertices the file does not have") from None
    ground, roof = float(z.min()), float(z.max())
    row.update(lod=str(best).rstrip("0").rstrip(".") if best % 1 else str(int(best)),
               ground_z=ground, roof_z=roof, height_m=roof - ground)
    return row, _footprint(surfaces, grounds, verts, ground)


def _surfaces(g: dict, path: Path, key: str) -> tuple[list, list[bool]]:
    """The surfaces (each a list of rings of vertex indices) of one geometry, and which are ground."""
    kind, b = g.get("type"), g["boundaries"]
    depth = {"MultiSurface": 0, "CompositeSurface": 0, "Solid": 1, "MultiSolid": 2, "CompositeSolid": 2}.get(kind)
    if depth is None:
        return [], []  # points and lines have no footprint
    surfaces, values = b, (g.get("semantics") or {}).get("values")
    for _ in range(depth):
        surfaces = [s for shell in surfaces for s in shell]
        if values is not None:
            values = [v for shell in values for v in (shell or [])]
    sem = (g.get("semantics") or {}).get("surfaces", [])
    kinds = [sem[v].get("type") if v is not None and v < len(sem) else None for v in values] if values else []
    ground = [k == "GroundSurface" for k in kinds] if len(kinds) == len(surfaces) else [False] * len(surfaces)
    return surfaces, ground


def _footprint(surfaces, ground_flags, verts: np.ndarray, ground_z: float):
    polys = [_polygon(s, verts) for s in surfaces]
    chosen = [p for p, g in zip(polys, ground_flags) if g and p is not None]
    if not chosen:
        chosen = [p for p, s in zip(polys, surfaces) if p is not None
                  and np.all(np.abs(verts[np.concatenate(s)][:, 2] - ground_z) <= FLAT_TOL)]
    if not chosen:
        chosen = [p for p in polys if p is not None]
    if not chosen:
        return None
    fp = shapely.union_all(shapely.make_valid(np.array(chosen, dtype=object)))
    parts = [p for p in shapely.get_parts(fp) if p.geom_type == "Polygon" and p.area > 0]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _polygon(rings, verts: np.ndarray):
    """A surface seen from above; None when it is vertical (no area on the ground)."""
    xy = [verts[np.asarray(r, dtype=np.int64)][:, :2] for r in rings if len(r) >= 3]
    if not xy:
        return None
    poly = shapely.Polygon(xy[0], xy[1:])
    return poly if poly.area > 1e-9 else None
