"""Which CRS is this? The verdict on lon/lat input: WGS84 (CGCS2000), GCJ-02 or BD-09.

Two kinds of evidence are weighed (``lzt.ingest.provenance``: the file's field
signatures; ``lzt.ingest.crs_geometry``: how each reading fits the workspace's own
layers). Geometry that decides wins: it measures the data against the ground the user
works on. Provenance decides when the geometry cannot (empty workspace, data outside
it, nothing in common). Outside China GCJ-02 is WGS84 itself, so there is nothing to
choose. The verdict never changes an import: it says what lzt believes, why, and the
flag that would apply it.

Confidence: "high" (the geometry decides, provenance agrees or is silent), "medium"
(the geometry decides against the provenance, or strong provenance alone), "low" (weak
hints only), "none" (no evidence: lon/lat taken as given).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lzt.core.chinacoords import LABELS
from lzt.ingest.crs_geometry import NOTES, GeometryEvidence, geometry_evidence
from lzt.ingest.provenance import Clue, clues as provenance_clues
from lzt.workspace.base import Workspace


@dataclass
class CrsVerdict:
    """What lzt believes a lon/lat layer is in, and why."""

    datum: str | None  # "wgs84" | "gcj02" | "bd09" | None (no evidence)
    confidence: str  # "high" | "medium" | "low" | "none"
    imported_as: str | None  # the reading used by the import (None: detection only)
    flag: str | None  # e.g. "--coords gcj02" when the verdict differs from imported_as
    basis: list[str] = field(default_factory=list)  # "geometry", "provenance", "outside_china"
    summary: str = ""  # one line, Chinese
    provenance: list[Clue] = field(default_factory=list)
    geometry: GeometryEvidence | None = None

    @property
    def disagrees(self) -> bool:
        """The verdict names another system than the one the data was read as."""
        return self.datum is not None and self.datum != (self.imported_as or "wgs84")

    def to_json(self) -> dict:
        return {"datum": self.datum, "confidence": self.confidence, "imported_as": self.imported_as,
                "flag": self.flag, "basis": list(self.basis), "summary": self.summary,
                "provenance": [c.to_json() for c in self.provenance],
                "geometry": self.geometry.to_json() if self.geometry else None}


def _provenance_pick(found: list[Clue]) -> tuple[str | None, str | None]:
    """The datum the clues point to and their strength (strong clues outweigh weak ones)."""
    score: dict[str, int] = {}
    for c in found:
        score[c.datum] = score.get(c.datum, 0) + (2 if c.strength == "strong" else 1)
    if not score:
        return None, None
    ranked = sorted(score, key=score.get, reverse=True)
    if len(ranked) > 1 and score[ranked[0]] == score[ranked[1]]:
        return None, None  # clues that cancel out
    best = ranked[0]
    strong = any(c.datum == best and c.strength == "strong" for c in found)
    return best, "strong" if strong else "weak"


def _fit_text(geo: GeometryEvidence) -> str:
    layer = next((f for f in geo.layers if f.layer == geo.layer), None)
    if layer is None:
        return ""
    parts = [f"{LABELS[h]} {'>' + format(layer.radius_m, 'g') if m is None else format(m, '.1f')} m"
             for h, m in layer.median_m.items()]
    return f"与图层 {layer.layer} 比对残差 " + "，".join(parts)


def judge(found: list[Clue], geo: GeometryEvidence, imported_as: str | None = None) -> CrsVerdict:
    """Weigh provenance clues and geometric evidence into a verdict."""
    prov, strength = _provenance_pick(found)
    v = CrsVerdict(datum=None, confidence="none", imported_as=imported_as, flag=None,
                   provenance=list(found), geometry=geo)
    if geo.status == "outside_china":
        # GCJ-02 is the identity outside China; BD-09 still adds its own shift.
        v.datum = "bd09" if prov == "bd09" else "wgs84"
        v.confidence = "medium" if v.datum == "bd09" else "high"
        v.basis = ["outside_china"] + (["provenance"] if prov == "bd09" else [])
    elif geo.status == "conclusive":
        v.datum, v.basis = geo.best, ["geometry"]
        v.confidence = "high" if prov in (None, geo.best) else "medium"
        if prov == geo.best:
            v.basis.append("provenance")
    elif prov is not None:
        v.datum, v.basis = prov, ["provenance"]
        v.confidence = "medium" if strength == "strong" else "low"
    used = imported_as or "wgs84"
    same = geo.status == "outside_china" and {v.datum, used} <= {"wgs84", "gcj02"}  # identical there
    if v.disagrees and not same:
        v.flag = f"--coords {v.datum}"
    v.summary = _summary(v, used)
    return v


def _summary(v: CrsVerdict, used: str) -> str:
    geo = v.geometry
    why = [c.text for c in v.provenance if c.datum == v.datum]
    if geo is not None and geo.status == "conclusive" and geo.best == v.datum:
        why.append(_fit_text(geo))
    against = [c.text for c in v.provenance if v.datum and c.datum != v.datum]
    reason = "；".join(w for w in why if w)
    if geo is not None and geo.status == "outside_china":
        if v.datum == "bd09":
            return f"数据在中国境外（GCJ-02 与 WGS84 相同），但看来是 BD-09（{reason}）"
        return "数据在中国境外：GCJ-02 与 WGS84 相同，无需纠偏"
    if v.datum is None:
        extra = geo.note if geo is not None and geo.status in ("no_reference", "inconclusive", "too_few") else ""
        return ("无法判断是 WGS84、GCJ-02 还是 BD-09" + (f"（{note_zh(extra)}）" if extra else "")
                + f"：按 {LABELS[used]} 读取")
    label = LABELS[v.datum]
    lead = {"high": "判断为", "medium": "看来是", "low": "可能是"}[v.confidence]
    text = f"{lead} {label}" + (f"（{reason}）" if reason else "")
    if against:
        text += "；与之相左：" + "；".join(against)
    if geo is not None and "geometry" not in v.basis and geo.status in ("no_reference", "too_few", "inconclusive"):
        text += f"；几何未能印证：{note_zh(geo.note)}"
    if v.flag:
        off = _offset(geo, used, v.datum)
        text += f"；按 {LABELS[used]} 读取" + (f"会偏约 {off:.0f} m" if off else "")
    return text


def advice(v: CrsVerdict, how: str) -> str:
    """The summary with what to do about it: ``how`` is e.g. "--replace 重新导入"."""
    return v.summary + (f"：如确认，请加 {v.flag} {how}" if v.flag else "")


def _offset(geo: GeometryEvidence | None, a: str, b: str) -> float | None:
    """How far apart the data lands read as ``a`` and as ``b`` (median, metres)."""
    if geo is None:
        return None
    return geo.offsets_m.get(f"{a}-{b}", geo.offsets_m.get(f"{b}-{a}"))


def note_zh(note: str) -> str:
    """A geometry-evidence note (``GeometryEvidence.note``) in Chinese."""
    if note.startswith(NOTES["too_few"].split("{")[0]):
        return f"工作空间图层范围内只有 {note.split()[1]} 个顶点，太少，无法比对"
    if note.startswith(NOTES["disagree"]):
        return "各图层的比对结果不一致：" + note[len(NOTES["disagree"]):]
    zh = {"no_layers": "工作空间里没有可比对的图层", "outside_layers": "数据不在工作空间图层的范围内",
          "outside_china": "数据在中国境外，GCJ-02 与 WGS84 相同",
          "no_tell": "工作空间图层与数据没有共同要素，无法区分"}
    return next((zh[k] for k, text in NOTES.items() if text == note and k in zh), note)


def detect(ws: Workspace, geoms_lonlat: np.ndarray, attributes, *, x_field: str | None = None,
           y_field: str | None = None, path: str | Path | None = None, imported_as: str | None = None,
           source_hash: str | None = None) -> CrsVerdict:
    """The verdict for lon/lat geometries (as read) and their attribute table."""
    found = provenance_clues(attributes, x_field=x_field, y_field=y_field, path=path)
    geo = geometry_evidence(ws, geoms_lonlat, exclude_hash=source_hash)
    return judge(found, geo, imported_as)


@dataclass
class LayerVerdict:
    """``lzt crs-detect``'s answer for one layer of a file."""

    file: str
    layer: str
    count: int
    crs: str | None  # the CRS the file declares (None: none)
    lonlat: bool  # lon/lat on WGS84/CGCS2000 (or none declared): the case GCJ-02/BD-09 hide in
    verdict: CrsVerdict | None

    def to_json(self) -> dict:
        return {"file": self.file, "layer": self.layer, "count": self.count, "crs": self.crs,
                "lonlat": self.lonlat, "verdict": self.verdict.to_json() if self.verdict else None}


def detect_file(ws: Workspace, path: str | Path, options=None) -> list[LayerVerdict]:
    """The verdict for every layer of a file, read as ``lzt import`` reads it."""
    import shapely

    from layers.registry import read_vector, sha256_of
    from layers.spec import ReadOptions
    from lzt.core import crs as crsmod

    path = Path(path)
    loaded = read_vector(path, options or ReadOptions())
    digest = sha256_of(path)
    out = []
    for ll in loaded:
        geoms = np.asarray(ll.gdf.geometry.values, dtype=object)
        if ll.crs is not None:
            lonlat = crsmod.is_wgs84_like(ll.crs)
        else:
            b = shapely.total_bounds(geoms[~shapely.is_missing(geoms)]) if len(geoms) else np.full(4, np.nan)
            lonlat = ll.coords_kind == "lonlat" or crsmod.looks_like_lonlat(*b)
        verdict = None
        if lonlat:
            verdict = detect(ws, geoms, ll.gdf.drop(columns=[ll.gdf.geometry.name]), x_field=ll.x_field,
                             y_field=ll.y_field, path=path, source_hash=digest)
        out.append(LayerVerdict(file=str(path), layer=str(ll.source_layer or ll.name), count=len(ll.gdf),
                                crs=crsmod.crs_string(ll.crs) if ll.crs is not None else None,
                                lonlat=bool(lonlat), verdict=verdict))
    return out
