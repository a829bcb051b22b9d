"""One layer's part of the gazetteer: its places and the forms they are found by, as packed arrays.

A part is what the gazetteer re-reads when one layer changes and what it keeps in the workspace
(``lzt.workspace.packed``) for the next process. It is computed column-wise: names are grouped
to their distinct values first (a million POIs carry far fewer names), normalised, shortened and
turned into pinyin initials once per distinct value; anchor points come from the workspace's
point cache for point layers and from one vectorised shapely pass for the others.

Arrays of a part (n places, m forms): ``fid`` ``x`` ``y`` (n), ``role`` ``level`` (int8 codes into
``ROLES`` / ``LEVELS``), ``name`` (packed texts), ``norm_text`` ``norm_len`` (the normalised names,
each followed by a newline, as UTF-8; each one's length in characters with its newline),
``street`` ``community`` ``category`` (int32 codes, -1 = none, into ``*_labels``), ``forms`` (the
part's distinct forms, sorted, packed) and per way of finding a place ``entry_form`` ``entry_row`` ``entry_how`` (code into ``HOWS``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from lzt.search import text
from lzt.workspace.base import LayerInfo, Workspace
from lzt.workspace.packed import pack_texts
from lzt.workspace.personal import column_roles, layer_is_personal
from lzt.workspace.polygon_pack import packed_arrays, ragged_offsets

#: columns that name a feature, in order of preference -> what the name is
NAME_FIELDS = {"name": "名称", "名称": "名称", "project": "项目名称", "项目名称": "项目名称",
               "holder": "受让人", "受让人": "受让人", "parcel_id": "宗地编号", "宗地编号": "宗地编号",
               "building_id": "建筑编号", "建筑编号": "建筑编号", "road_name": "名称", "道路名称": "名称",
               "doorplate": "门牌", "门牌地址": "门牌"}
ROLES = tuple(dict.fromkeys(NAME_FIELDS.values()))
#: the levels of the contract, coarse to fine (区 above them for the district itself)
LEVELS = ("区", "街道", "社区", "小区", "道路", "门牌")
#: ways a form finds a place, in the order they rank within one form
HOWS = ("name", "short", "initials", "alias")
#: layer-name hints -> level (any other named feature is an address point: 门牌)
_LAYER_LEVEL = (("district", "区"), ("区划", "区"), ("street", "街道"), ("街道", "街道"),
                ("communit", "社区"), ("社区", "社区"), ("road", "道路"), ("道路", "道路"))
COMPOUND_CATEGORY = "住宅小区"
#: levels whose names also get pinyin initials (few names, typed often; compounds are too many)
_INITIALS_LEVELS = ("区", "街道", "社区")
#: parent and grouping columns kept with each place
CONTEXT = ("street", "community", "category")
#: bump when the way parts are computed changes: stored parts of other versions are recomputed
PART_VERSION = 4


def layer_level(info: LayerInfo) -> str:
    """The level of a layer's places, from its name (points of other layers are 门牌)."""
    low = info.name.lower()
    for hint, level in _LAYER_LEVEL:
        if hint in low:
            return level
    return "门牌"


def layer_kind(info: LayerInfo) -> str:
    """The ``kind`` of a layer's places: the layer's name for plain vector layers, else its kind."""
    return info.name if info.kind == "vector" else str(info.kind)


def naming_columns(ws: Workspace, info: LayerInfo) -> tuple[list[str], list[str]]:
    """(naming columns, context columns) of a layer; no naming column when it is personal."""
    if info.kind == "raster" or layer_is_personal(info) or not info.geometry_type:
        return [], []
    fields = ws.fields(info.name)
    personal = set(column_roles(fields))
    naming = [f for f in fields if f.lower() in NAME_FIELDS and f not in personal and fields[f] == "TEXT"]
    if any(NAME_FIELDS[f.lower()] == "建筑编号" for f in naming):  # a building's 宗地编号 is its parcel's
        naming = [f for f in naming if NAME_FIELDS[f.lower()] != "宗地编号"]
    extra = [c for c in CONTEXT if c in fields and fields[c] == "TEXT"] if naming else []
    return naming, extra


def anchor_points(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x, y of a point standing for each geometry: itself, a point inside, a line's middle."""
    g = np.asarray(geoms, dtype=object)
    ok = ~shapely.is_missing(g) & ~shapely.is_empty(g)
    x = np.full(len(g), np.nan)
    y = np.full(len(g), np.nan)
    if ok.any():
        gg = g[ok]
        tid = shapely.get_type_id(gg)
        pts = np.empty(len(gg), dtype=object)
        pt = (tid == 0) | (tid == 4)
        ln = (tid == 1) | (tid == 5)
        pg = ~(pt | ln)
        if pt.any():
            pts[pt] = shapely.point_on_surface(gg[pt]) if (tid[pt] == 4).any() else gg[pt]
        if ln.any():
            lines = gg[ln]
            multi = shapely.get_type_id(lines) == 5
            if multi.any():
                lines = lines.copy()
                lines[multi] = shapely.line_merge(lines[multi])
                still = shapely.get_type_id(lines) == 5
                lines[still] = shapely.get_geometry(lines[still], 0)
            pts[ln] = shapely.line_interpolate_point(lines, 0.5, normalized=True)
        if pg.any():
            pts[pg] = shapely.point_on_surface(gg[pg])
        x[ok], y[ok] = shapely.get_x(pts), shapely.get_y(pts)
    return x, y


def _layer_xy(ws: Workspace, info: LayerInfo, fids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Anchor x, y of the features ``fids`` (NaN where a feature has no geometry)."""
    if info.geometry_type == "Point":
        gfid, gx, gy = ws.point_coords(info.name)  # the packed point cache
    else:
        gfid, geoms = _packed_polygons(ws, info.name)
        if gfid is None:
            gfid, geoms = ws.geometries(info.name)
        gx, gy = anchor_points(geoms)
    if len(gfid) == len(fids) and np.array_equal(gfid, fids):  # every feature, same order (the usual case)
        return np.asarray(gx, dtype=float).copy(), np.asarray(gy, dtype=float).copy()
    pos = pd.Index(gfid).get_indexer(fids)
    x = np.where(pos >= 0, gx[pos], np.nan)
    y = np.where(pos >= 0, gy[pos], np.nan)
    return x, y


def _packed_polygons(ws: Workspace, name: str) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(fid, polygons) of a layer from its packed polygons (``lzt.workspace.polygon_pack``, kept
    for big polygon layers: 0.15 s for the district's parcels instead of 0.5 s decoding them), or
    (None, None). Polygon layers only: a mixed layer's packed polygons are multipolygons."""
    z = packed_arrays(ws, name)
    if z is None or int(z["type"]) != int(shapely.GeometryType.POLYGON):
        return None, None
    try:
        return z["fid"], shapely.from_ragged_array(shapely.GeometryType.POLYGON, z["coords"], ragged_offsets(z))
    except (ValueError, KeyError):
        return None, None


def normalise_all(values: list[str]) -> list[str]:
    """``text.normalise`` of each value, in one pass over their joined text (NUL keeps them apart:
    NFKC never composes across it, lower case and punctuation act per character)."""
    if not values:
        return []
    joined = "\x00".join(values)
    if joined.count("\x00") != len(values) - 1:
        return [text.normalise(v) for v in values]
    out = text.normalise(joined).split("\x00")
    return out if len(out) == len(values) else [text.normalise(v) for v in values]


def _codes(coded: tuple[np.ndarray, list[str]]) -> tuple[np.ndarray, list[str]]:
    """int32 codes (-1 for missing or blank) and sorted labels of a factorised text column
    (``Workspace.text_codes``: codes into its distinct values)."""
    codes, labels = coded
    keep = sorted(i for i, u in enumerate(labels) if u.strip())
    remap = np.full(len(labels) + 1, -1, dtype=np.int32)
    order = sorted(keep, key=labels.__getitem__)
    remap[np.asarray(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int32)
    return remap[codes], [labels[i] for i in order]


def read_part(ws: Workspace, info: LayerInfo) -> dict[str, np.ndarray] | None:
    """The packed part of one layer (None when it names nothing or is personal)."""
    naming, extra = naming_columns(ws, info)
    if not naming:
        return None
    fids, attrs = ws.text_codes(info.name, naming + extra)
    x, y = _layer_xy(ws, info, fids)
    level = LEVELS.index(layer_level(info))
    ctx = {c: _codes(attrs[c]) if c in attrs else (np.full(len(fids), -1, dtype=np.int32), []) for c in CONTEXT}
    compound = -2
    if COMPOUND_CATEGORY in ctx["category"][1]:
        compound = ctx["category"][1].index(COMPOUND_CATEGORY)
    rows, roles, levels, name_codes, distinct = [], [], [], [], []
    for col in naming:
        codes, uniques = attrs[col]
        stripped = [u.strip() for u in uniques]
        keep = np.flatnonzero(np.asarray([len(s) > 0 for s in stripped] + [False], dtype=bool)[codes])
        if not len(keep):
            continue
        role = ROLES.index(NAME_FIELDS[col.lower()])
        lv = np.full(len(keep), level, dtype=np.int8)
        if LEVELS[level] == "门牌" and ROLES[role] == "名称":
            lv[ctx["category"][0][keep] == compound] = LEVELS.index("小区")
        rows.append(keep)
        roles.append(np.full(len(keep), role, dtype=np.int8))
        levels.append(lv)
        name_codes.append(codes[keep] + len(distinct))
        distinct += stripped
    if not rows:
        return None
    at = np.concatenate(rows)
    part = {"fid": fids[at], "x": x[at], "y": y[at], "role": np.concatenate(roles), "level": np.concatenate(levels)}
    for c in CONTEXT:
        part[c] = ctx[c][0][at]
        part[c + "_labels"], part[c + "_n"] = pack_texts(ctx[c][1]), np.array(len(ctx[c][1]))
    codes = np.concatenate(name_codes)
    part.update(_forms(codes, distinct, part["level"], part["role"]))
    part["name"] = joined_texts([d.replace(_NUL, "\ufffd") for d in distinct], codes, _NUL)  # ``pack_texts`` of them
    part["n"] = np.array(len(codes))
    part["kind"], part["layer"] = np.array(layer_kind(info)), np.array(info.name)
    return part


def _forms(codes: np.ndarray, uniques: list[str], level: np.ndarray, role: np.ndarray) -> dict[str, np.ndarray]:
    """The normalised names and the forms of one part's places, whose names are ``uniques[codes]``
    (each distinct name worked once)."""
    norm_u = normalise_all(uniques)
    norm_of = norm_u + [""]  # by code (-1: none)
    lv = {name: np.flatnonzero(level == LEVELS.index(name)) for name in LEVELS}  # rows of each level
    project = np.flatnonzero(role == ROLES.index("项目名称"))
    short: list[tuple[str, int]] = []
    areas = np.sort(np.concatenate([lv["街道"], lv["社区"], lv["小区"], lv["区"]]))
    short_of = {c: text.short_forms(norm_u[c]) for c in np.unique(codes[areas]).tolist()}
    short += [(f, i) for i, c in zip(areas.tolist(), codes[areas].tolist()) for f in short_of[c]]
    # streets and communities are also called with their level (龙城 -> 龙城街道, 龙城社区)
    for name in ("街道", "社区"):
        short += [(n + name, i) for i, n in _rows_norm(lv[name], codes, norm_of) if not n.endswith(name)]
    # projects are called without their 项目 (平湖花园项目 -> 平湖花园)
    short += [(n[:-2], i) for i, n in _rows_norm(project, codes, norm_of) if n.endswith("项目") and len(n) > 4]
    coarse = np.union1d(np.concatenate([lv[name] for name in _INITIALS_LEVELS]), project)
    initials: dict[str, str | None] = {}  # pypinyin once per distinct text (0.2 ms a call)

    def initials_of(t: str) -> str | None:
        got = initials.get(t, "")
        if got == "":
            got = initials[t] = text.initials(t)
        return got

    ini = [(initials_of(n), i) for i, n in _rows_norm(coarse, codes, norm_of)]
    ini += [(initials_of(n + name), i) for name in ("街道", "社区") for i, n in _rows_norm(lv[name], codes, norm_of)
            if not n.endswith(name)]
    extra = [(f, i, 1) for f, i in short if f] + [(f, i, 2) for f, i in ini if f and len(f) >= 2]
    # the distinct forms: the distinct normalised names, then the other forms (few)
    fcodes, funiq = pd.factorize(np.asarray(norm_u + [f for f, _, _ in extra], dtype=object))
    funiq = funiq.tolist()
    order = sorted(range(len(funiq)), key=funiq.__getitem__)
    rank = np.empty(len(funiq), dtype=np.int32)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int32)
    named = np.flatnonzero(np.asarray([len(s) > 0 for s in norm_u] + [False], dtype=bool)[codes])
    entry_form = np.concatenate([rank[fcodes[codes[named]]], rank[fcodes[len(norm_u):]]]).astype(np.int32)
    entry_row = np.concatenate([named, np.asarray([i for _, i, _ in extra], dtype=np.int64)]).astype(np.int32)
    entry_how = np.concatenate([np.zeros(len(named), dtype=np.int8), np.asarray([h for _, _, h in extra], dtype=np.int8)])
    empty = [i for i, f in enumerate(funiq) if not f]  # an empty form finds nothing
    if empty:
        keep = rank[empty[0]]
        entry_form, entry_row, entry_how = (a[entry_form != keep] for a in (entry_form, entry_row, entry_how))
        order = [o for o in order if funiq[o]]
        entry_form = entry_form - (entry_form > keep)
    kept = [n.replace(_NUL, "\ufffd") for n in norm_of]  # as ``pack_texts`` keeps them
    size = np.fromiter(map(len, kept), dtype=np.int64, count=len(kept)) + 1
    return {"norm_text": joined_texts(kept, codes, "\n", trailing=True), "norm_len": size[codes].astype(np.int32),
            "forms": pack_texts([funiq[i] for i in order]), "forms_n": np.array(len(order)),
            "entry_form": entry_form, "entry_row": entry_row, "entry_how": entry_how}


def _rows_norm(rows: np.ndarray, codes: np.ndarray, norm_of: list[str]) -> list[tuple[int, str]]:
    """(row, its normalised name) of ``rows`` (few: streets, communities, projects)."""
    return [(i, norm_of[c]) for i, c in zip(rows.tolist(), codes[rows].tolist())]


_NUL = "\x00"


def joined_texts(distinct: list[str], codes: np.ndarray, sep: str, *, trailing: bool = False) -> np.ndarray:
    """UTF-8 bytes of ``distinct[codes]`` (codes >= 0) joined by ``sep`` (also after the last when ``trailing``),
    joined by pyarrow in C++: no Python string per row (a million POI names)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(codes):
        return np.zeros(0, dtype=np.uint8)
    rows = pa.array(distinct, pa.large_string()).take(pa.array(np.asarray(codes, dtype=np.int64)))
    one = pa.LargeListArray.from_arrays(pa.array([0, len(rows)], pa.int64()), rows)
    out = np.frombuffer(pc.binary_join(one, pa.scalar(sep, pa.large_string()))[0].as_buffer(), dtype=np.uint8)
    return np.concatenate([out, np.frombuffer(sep.encode("utf-8"), dtype=np.uint8)]) if trailing else out.copy()
