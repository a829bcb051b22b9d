"""The gazetteer (地名地址库): every named place of a workspace, with the forms it is found by.

Built from the workspace itself, on either backend: streets, communities, roads, POIs (住宅小区
POIs are the compounds), supervision parcels (宗地编号, 项目名称, 受让人), parcels, buildings and
BIM models, from whichever of their columns name things (``NAME_FIELDS``). Each place is found
by its name, its short forms (龙城 = 龙城街道), its pinyin initials (coarse levels and projects)
and user aliases (workspace setting ``gazetteer_aliases``: {alias: name}).

Personal layers (``lzt.workspace.personal``: complaints and whatever derives from them) are never
read, and personal columns of other layers are never names: nothing personal is ever found.

``gazetteer(ws)`` caches per workspace and per layer, keyed on ``ws.layer_stamp``: a changed
layer is re-read alone, the others are kept.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from lzt.search import text
from lzt.workspace.base import LayerInfo, Workspace
from lzt.workspace.personal import column_roles, layer_is_personal

#: columns that name a feature, in order of preference -> what the name is
NAME_FIELDS = {"name": "名称", "名称": "名称", "project": "项目名称", "项目名称": "项目名称",
               "holder": "受让人", "受让人": "受让人", "parcel_id": "宗地编号", "宗地编号": "宗地编号",
               "building_id": "建筑编号", "建筑编号": "建筑编号", "road_name": "名称", "道路名称": "名称",
               "doorplate": "门牌", "门牌地址": "门牌"}
#: the levels of the contract, coarse to fine (区 above them for the district itself)
LEVELS = ("区", "街道", "社区", "小区", "道路", "门牌")
LEVEL_RANK = {lv: i for i, lv in enumerate(LEVELS)}
#: layer-name hints -> level (any other named feature is an address point: 门牌)
_LAYER_LEVEL = (("district", "区"), ("区划", "区"), ("street", "街道"), ("街道", "街道"),
                ("communit", "社区"), ("社区", "社区"), ("road", "道路"), ("道路", "道路"))
COMPOUND_CATEGORY = "住宅小区"
#: levels whose names also get pinyin initials (few names, typed often; compounds are too many
#: to convert within the build budget)
_INITIALS_LEVELS = {"区", "街道", "社区"}
ALIAS_SETTING = "gazetteer_aliases"


@dataclass
class Gazetteer:
    """Places (one row per feature and naming column) and forms (one row per way to find one)."""

    places: pd.DataFrame  # name, role, kind, layer, fid, level, x, y, street, community, category
    forms: pd.DataFrame  # form, place (row of places), how ("name" | "short" | "initials" | "alias")
    by_form: dict[str, tuple[int, int]] = field(default_factory=dict)  # form -> slice of ``_rows``
    _rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    _segmenter: text.Segmenter | None = None
    _blob: str | None = None
    _arrays: dict[str, np.ndarray] = field(default_factory=dict)
    _starts: np.ndarray | None = None

    def lookup(self, form: str) -> np.ndarray:
        """Rows of ``places`` that ``form`` (normalised) names exactly."""
        span = self.by_form.get(form)
        return np.unique(self._rows[span[0]:span[1]]) if span else np.empty(0, dtype=np.int64)

    def col(self, name: str) -> np.ndarray:
        """Column ``name`` of ``places`` (or ``form``/``how``/``place`` of ``forms``) as a numpy
        array, converted once."""
        got = self._arrays.get(name)
        if got is None:
            frame = self.forms if name in ("form", "how", "place") else self.places
            dtype = float if name in ("x", "y") else (np.int64 if name in ("fid", "place") else object)
            got = self._arrays[name] = frame[name].to_numpy(dtype=dtype)
        return got

    def containing(self, part: str, cap: int = 20000) -> np.ndarray:
        """Rows of ``places`` whose normalised name contains ``part`` (at most ``cap``), found
        in one joined text with ``str.find`` rather than row by row."""
        if self._blob is None:
            norm = self.col("norm").tolist()
            self._blob = "\n".join(norm) + "\n"
            lengths = np.fromiter((len(n) + 1 for n in norm), dtype=np.int64, count=len(norm))
            self._starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        hits, blob, i = [], self._blob, self._blob.find(part)
        while i >= 0 and len(hits) < cap:
            hits.append(i)
            i = blob.find(part, i + 1)
        if not hits:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.searchsorted(self._starts, np.asarray(hits), side="right") - 1)

    @property
    def segmenter(self) -> text.Segmenter:
        """jieba with the place names (all but 门牌 level) as user words."""
        if self._segmenter is None:
            coarse = self.places["level"].to_numpy() != "门牌"
            words = self.places["norm"].to_numpy()[coarse].tolist()
            self._segmenter = text.Segmenter(words + [f for f in self.forms["form"][self.forms["how"] == "short"]])
        return self._segmenter


def layer_level(info: LayerInfo) -> str:
    """The level of a layer's places, from its name (points of other layers are 门牌)."""
    low = info.name.lower()
    for hint, level in _LAYER_LEVEL:
        if hint in low:
            return level
    return "门牌"


def _anchor_points(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def _layer_places(ws: Workspace, info: LayerInfo) -> pd.DataFrame | None:
    """The places of one layer (None when it names nothing or is personal)."""
    if info.kind == "raster" or layer_is_personal(info) or not info.geometry_type:
        return None
    fields = ws.fields(info.name)
    personal = set(column_roles(fields))
    naming = [f for f in fields if f.lower() in NAME_FIELDS and f not in personal
              and fields[f] == "TEXT"]
    if any(NAME_FIELDS[f.lower()] == "建筑编号" for f in naming):  # a building's 宗地编号 is its parcel's
        naming = [f for f in naming if NAME_FIELDS[f.lower()] != "宗地编号"]
    if not naming:
        return None
    extra = [c for c in ("street", "community", "category") if c in fields and fields[c] == "TEXT"]
    attrs = ws.read_features(info.name, columns=naming + extra, geometry=False)
    fid, geoms = ws.geometries(info.name)
    x, y = _anchor_points(geoms)
    pos = pd.Series(np.arange(len(fid)), index=fid)
    at = pos.reindex(attrs.index).to_numpy()
    have = ~np.isnan(at)
    attrs = attrs[have]
    at = at[have].astype(np.int64)
    level = layer_level(info)
    kind = info.name if info.kind == "vector" else info.kind
    frames = []
    for col in naming:
        v = attrs[col]
        keep = v.notna().to_numpy() & (v.astype(str).str.strip().str.len() > 0).to_numpy()
        if not keep.any():
            continue
        sub = attrs[keep]
        lv = np.full(int(keep.sum()), level, dtype=object)
        if level == "门牌" and "category" in sub.columns and NAME_FIELDS[col.lower()] == "名称":
            lv[(sub["category"] == COMPOUND_CATEGORY).to_numpy()] = "小区"
        frames.append(pd.DataFrame({
            "name": sub[col].astype(str).str.strip().to_numpy(), "role": NAME_FIELDS[col.lower()],
            "kind": kind, "layer": info.name, "fid": sub.index.to_numpy(dtype=np.int64), "level": lv,
            "x": x[at[keep]], "y": y[at[keep]],
            "street": sub["street"].to_numpy(dtype=object) if "street" in sub else None,
            "community": sub["community"].to_numpy(dtype=object) if "community" in sub else None,
            "category": sub["category"].to_numpy(dtype=object) if "category" in sub else None}))
    return pd.concat(frames, ignore_index=True) if frames else None


def _forms(places: pd.DataFrame, aliases: dict[str, str]) -> pd.DataFrame:
    norm = places["norm"].to_numpy(dtype=object)
    rows = np.arange(len(places))
    parts = [pd.DataFrame({"form": norm, "place": rows, "how": "name"})]
    level = places["level"].to_numpy(dtype=object)
    role = places["role"].to_numpy(dtype=object)
    coarse = np.isin(level, list(_INITIALS_LEVELS)) | (role == "项目名称")
    short = [(f, i) for i in rows[np.isin(level, ["街道", "社区", "小区", "区"])] for f in text.short_forms(norm[i])]
    # streets and communities are also called with their level (龙城 -> 龙城街道, 龙城社区)
    for lv in ("街道", "社区"):
        short += [(norm[i] + lv, i) for i in rows[level == lv] if not norm[i].endswith(lv)]
    # projects are called without their 项目 (平湖花园项目 -> 平湖花园)
    short += [(norm[i][:-2], i) for i in rows[role == "项目名称"] if norm[i].endswith("项目") and len(norm[i]) > 4]
    if short:
        f, i = zip(*short)
        parts.append(pd.DataFrame({"form": f, "place": i, "how": "short"}))
    ini = [(text.initials(norm[i]), i) for i in rows[coarse]]
    ini += [(text.initials(norm[i] + lv), i) for lv in ("街道", "社区") for i in rows[level == lv]
            if not norm[i].endswith(lv)]
    ini = [(f, i) for f, i in ini if f and len(f) >= 2]
    if ini:
        f, i = zip(*ini)
        parts.append(pd.DataFrame({"form": f, "place": i, "how": "initials"}))
    if aliases:
        names = pd.Series(rows, index=norm)
        al = []
        for a, target in aliases.items():
            t = text.normalise(target)
            if t in names.index and text.normalise(a):
                al += [(text.normalise(a), int(i)) for i in np.atleast_1d(names.loc[t])]
        if al:
            f, i = zip(*al)
            parts.append(pd.DataFrame({"form": f, "place": i, "how": "alias"}))
    return pd.concat(parts, ignore_index=True)


_lock = threading.Lock()
#: workspace uri -> {layer: (stamp, places or None)}
_LAYERS: dict[str, dict[str, tuple[object, pd.DataFrame | None]]] = {}
#: workspace uri -> (key of the layers and aliases it was built from, Gazetteer)
_BUILT: dict[str, tuple[object, Gazetteer]] = {}


def gazetteer(ws: Workspace) -> Gazetteer:
    """The workspace's gazetteer, rebuilt for the layers that changed since the last call."""
    with _lock:
        layers = [i for i in ws.layers() if i.kind != "raster" and i.geometry_type]
        cached = _LAYERS.setdefault(ws.uri, {})
        for gone in set(cached) - {i.name for i in layers}:
            del cached[gone]
        stamps = []
        for info in layers:
            stamp = (info.kind, info.details.get("personal_from") if info.details else None,
                     ws.layer_stamp(info.name))
            stamps.append((info.name, stamp))
            if info.name not in cached or cached[info.name][0] != stamp:
                cached[info.name] = (stamp, _layer_places(ws, info))
        aliases = ws.get_setting(ALIAS_SETTING, {}) or {}
        if not isinstance(aliases, dict):
            aliases = {}
        key = (tuple(stamps), tuple(sorted((str(k), str(v)) for k, v in aliases.items())))
        built = _BUILT.get(ws.uri)
        if built is not None and built[0] == key:
            return built[1]
        frames = [cached[i.name][1] for i in layers if cached[i.name][1] is not None]
        if frames:
            places = pd.concat(frames, ignore_index=True)
        else:
            places = pd.DataFrame(columns=["name", "role", "kind", "layer", "fid", "level", "x", "y",
                                           "street", "community", "category"])
        places["norm"] = places["name"].map(text.normalise)
        forms = _forms(places, aliases)
        forms = forms[forms["form"].str.len() > 0].reset_index(drop=True)
        order = np.argsort(forms["form"].to_numpy(dtype=str), kind="stable")
        forms = forms.iloc[order].reset_index(drop=True)
        keys, starts = np.unique(forms["form"].to_numpy(dtype=str), return_index=True)
        ends = np.append(starts[1:], len(forms))
        by_form = dict(zip(keys.tolist(), zip(starts.tolist(), ends.tolist())))
        gz = Gazetteer(places, forms, by_form, forms["place"].to_numpy(dtype=np.int64))
        _BUILT[ws.uri] = (key, gz)
        return gz


def forget(ws: Workspace) -> None:
    """Drop the cached gazetteer of ``ws`` (tests, closing a workspace)."""
    with _lock:
        _LAYERS.pop(ws.uri, None)
        _BUILT.pop(ws.uri, None)
