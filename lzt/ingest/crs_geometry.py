"""Which China datum makes incoming lon/lat fit the workspace: the geometric evidence.

The incoming coordinates are read three ways — as WGS84 (CGCS2000), as GCJ-02 and as
BD-09 — and each reading is compared with what the workspace already holds. A sample of
the incoming vertices (a few hundred, deterministic) is projected under each hypothesis,
and for every reference layer the distance from each sample point to the nearest
reference geometry is found through the layer's spatial index (only the features near
the sample points are read). The median of those distances is the hypothesis' residual
on that layer. A layer *decides* when one reading's residual is less than half of the
runner-up's, at least ``MIN_GAP_M`` smaller, and small next to the distance between the
readings (GCJ-02 lies ~590 m from WGS84 in Shenzhen, BD-09 ~1.2 km): dense layers that
fit any reading equally (parcels that tile the district, under points) say nothing.

What a sample point is compared with depends on what it is: vertices of lines and
polygons with the linework of the reference layers (polygon boundaries, lines); points
also with reference points and polygon areas (a POI inside a building is at 0 m).
Complaint and analysis layers are not references (their own datum is what is in doubt),
nor is a layer imported from the same file, nor one whose import was flagged as being
in another datum than it was imported as.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import shapely

from layers.kinds import LayerKind
from lzt.core import chinacoords
from lzt.core import crs as crsmod
from lzt.workspace.base import Workspace

HYPOTHESES = chinacoords.SOURCES  # ("wgs84", "gcj02", "bd09")
SAMPLE = 300  # sample vertices per file
MAX_RADIUS_M = 300.0  # distances beyond this are "far" (censored)
MIN_RADIUS_M = 30.0
MAX_FEATURES = 30_000  # reference features read per layer at most
MIN_POINTS = 12  # sample points a layer must cover to take part
MIN_GAP_M = 5.0
WIN_SHARE = 0.75  # the best reading must be nearer for at least this share of the (untied) points
SIGN_P = 1e-3  # ... and a sign test must make luck this unlikely
REFERENCE_KINDS = (LayerKind.VECTOR, LayerKind.SUPERVISION, LayerKind.BIM)
WINDOW_MARGIN_DEG = 0.02  # ~2 km
_POINT, _LINE, _POLY = 0, 1, 2
#: ``GeometryEvidence.note`` texts (English in the JSON; ``crs_detect.note_zh`` says them in Chinese)
NOTES = {
    "no_layers": "the workspace has no layers to compare with",
    "outside_layers": "the data lies outside the workspace's layers (nothing to compare with)",
    "too_few": "only {0} vertices near the workspace's layers: too few to compare",
    "outside_china": "outside China GCJ-02 is WGS84 itself: the readings cannot differ there",
    "disagree": "the layers disagree: ",
    "no_tell": "no layer tells the readings apart (no common features, or too dense to tell)",
}


@dataclass
class LayerFit:
    """One reference layer's residuals (median distance, metres) under each reading."""

    layer: str
    points: int  # sample points compared
    radius_m: float  # search radius: medians beyond it are None ("far")
    median_m: dict[str, float | None]
    best: str | None = None
    decides: bool = False
    separation: float = 0.0  # (runner-up + 1 m) / (best + 1 m): how clearly the best one wins
    sign_p: float | None = None  # sign test: chance that the best one's point-by-point wins are luck


@dataclass
class GeometryEvidence:
    """How well each reading fits the workspace, and which one (if any) the geometry picks."""

    status: str  # "conclusive" | "inconclusive" | "no_reference" | "too_few" | "outside_china" | "no_geometry"
    best: str | None = None  # the reading the geometry picks (when conclusive)
    residual_m: float | None = None  # its median distance on the deciding layer
    layer: str | None = None  # that layer
    offsets_m: dict[str, float] = field(default_factory=dict)  # "wgs84-gcj02": median metres apart
    sample: int = 0
    in_china: float = 0.0  # share of the sample inside the area where GCJ-02 shifts
    layers: list[LayerFit] = field(default_factory=list)
    note: str = ""

    def to_json(self) -> dict:
        return asdict(self)


def sample_vertices(geoms: np.ndarray, n: int = SAMPLE, within: tuple | None = None
                    ) -> tuple[np.ndarray, int]:
    """Up to ``n`` vertices (k x 2 array) of the present geometries (those inside the box
    ``within``, when given), chosen deterministically, and the geometry family they come
    from (0 points, 1 lines, 2 polygons: the most common one). ``geoms`` may also be the n x 2
    coordinates of points (NaN: no location): the same vertices are chosen."""
    xy_given = isinstance(geoms, np.ndarray) and geoms.dtype != object and geoms.ndim == 2
    if xy_given:
        present = geoms[np.isfinite(geoms).all(axis=1)]
    else:
        geoms = np.asarray(geoms, dtype=object)
        present = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if xy_given and within is not None and len(present):
        present = present[(present[:, 0] >= within[0]) & (present[:, 0] <= within[2])
                          & (present[:, 1] >= within[1]) & (present[:, 1] <= within[3])]
        within = None  # a point inside the box is its own vertex inside it
    if within is not None and len(present):  # geometries: those whose envelope meets the box
        b = shapely.bounds(present)
        present = present[(b[:, 2] >= within[0]) & (b[:, 0] <= within[2])
                          & (b[:, 3] >= within[1]) & (b[:, 1] <= within[3])]
    if not len(present):
        return np.empty((0, 2)), _POINT
    rng = np.random.default_rng(0)
    if len(present) > 4 * n:  # a few vertices from many features, not all of a few
        present = present[np.sort(rng.choice(len(present), 4 * n, replace=False))]
    if xy_given:
        xy = present if len(present) <= n else present[np.sort(rng.choice(len(present), n, replace=False))]
        return np.array(xy, dtype=float), _POINT
    dims = shapely.get_dimensions(present)
    family = int(np.bincount(dims[dims >= 0], minlength=3).argmax())
    xy = shapely.get_coordinates(present)
    keep = np.isfinite(xy).all(axis=1)
    if within is not None:
        keep &= ((xy[:, 0] >= within[0]) & (xy[:, 0] <= within[2])
                 & (xy[:, 1] >= within[1]) & (xy[:, 1] <= within[3]))
    xy = xy[keep]
    if len(xy) > n:
        xy = xy[np.sort(rng.choice(len(xy), n, replace=False))]
    return xy, family


def readings(lonlat: np.ndarray, ws_crs: str) -> dict[str, np.ndarray]:
    """Workspace coordinates of ``lonlat`` read as each hypothesis."""
    tr = crsmod.transformer("EPSG:4326", ws_crs)
    out = {}
    for h in HYPOTHESES:
        lon, lat = chinacoords.to_wgs84(lonlat[:, 0], lonlat[:, 1], h)
        x, y = tr.transform(lon, lat)
        out[h] = np.column_stack([x, y])
    return out


def reference_layers(ws: Workspace, *, exclude_hash: str | None = None) -> list:
    """The workspace layers that can vouch for a datum (see the module docstring)."""
    out = []
    for info in ws.layers():
        if info.kind not in REFERENCE_KINDS or not info.geometry_type or not info.count or not info.extent:
            continue
        if exclude_hash and info.source_hash == exclude_hash:
            continue
        verdict = (info.details or {}).get("import", {}).get("crs_verdict") or {}
        if verdict.get("datum") and verdict.get("datum") != verdict.get("imported_as"):
            continue  # itself believed to sit in another datum than it was stored as
        out.append(info)
    return out


def _radius(info) -> float:
    """About twice the layer's mean feature spacing, within [30, 300] m (a wrong reading lands
    about half a spacing from the nearest feature of a dense layer, well inside)."""
    minx, miny, maxx, maxy = info.extent
    area = max((maxx - minx) * (maxy - miny), 1.0)
    spacing = np.sqrt(area / max(info.count, 1))
    return float(np.clip(2 * spacing, MIN_RADIUS_M, MAX_RADIUS_M))


def _layer_family(geometry_type: str) -> int:
    t = geometry_type.lower()
    return _POINT if "point" in t else (_LINE if "line" in t or "curve" in t else _POLY)


def _references(geoms: np.ndarray, ref_family: int, family: int) -> np.ndarray | None:
    """What the sample is measured against: linework, or areas and points for point input."""
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if family == _POINT:
        return geoms
    if ref_family == _POINT:
        return None  # a boundary vertex has no reason to sit on a POI
    return shapely.boundary(geoms) if ref_family == _POLY else geoms


def _fit_layer(ws, info, pts: dict[str, np.ndarray], family: int) -> LayerFit | None:
    ref_family = _layer_family(info.geometry_type)
    if family != _POINT and ref_family == _POINT:
        return None
    r = _radius(info)
    minx, miny, maxx, maxy = info.extent
    inside = np.ones(len(next(iter(pts.values()))), dtype=bool)
    for xy in pts.values():
        inside &= ((xy[:, 0] >= minx - r) & (xy[:, 0] <= maxx + r)
                   & (xy[:, 1] >= miny - r) & (xy[:, 1] <= maxy + r))
    idx = np.flatnonzero(inside)
    while len(idx) >= MIN_POINTS:
        boxes = np.vstack([np.column_stack([xy[idx] - r, xy[idx] + r]) for xy in pts.values()])
        fids = ws.fids_in_bboxes(info.name, boxes)
        if len(fids) <= MAX_FEATURES:
            break
        idx = idx[::2]  # too dense to read around every point: every other point
    if len(idx) < MIN_POINTS:
        return None
    fit = LayerFit(layer=info.name, points=int(len(idx)), radius_m=round(r, 1),
                   median_m={h: None for h in pts})
    if not len(fids):
        return fit
    gdf = ws.read_features(info.name, fids=fids, columns=[])
    refs = _references(np.asarray(gdf.geometry.values, dtype=object), ref_family, family)
    if refs is None or not len(refs):
        return fit
    tree = shapely.STRtree(refs)
    dist: dict[str, np.ndarray] = {}
    for h, xy in pts.items():
        d = np.full(len(idx), np.inf)
        (src, _), near = tree.query_nearest(shapely.points(xy[idx]), max_distance=r,
                                            return_distance=True, all_matches=False)
        d[src] = near
        dist[h] = d
        m = float(np.median(d))
        fit.median_m[h] = round(m, 2) if np.isfinite(m) else None
    _decide(fit, dist, {h: xy[idx] for h, xy in pts.items()})
    return fit


def sign_test_p(wins: int, losses: int) -> float:
    """One-sided sign test: the chance of at least ``wins`` of ``wins + losses`` fair coin flips."""
    n = wins + losses
    return sum(math.comb(n, j) for j in range(wins, n + 1)) / 2 ** n if n else 1.0


def _decide(fit: LayerFit, dist: dict[str, np.ndarray], pts: dict[str, np.ndarray]) -> None:
    """Does this layer pick one reading? Its median must be clearly the smallest (half the
    runner-up's, ``MIN_GAP_M`` less, a quarter of the distance between the readings), and
    point by point it must be nearer than every other reading far more often than chance
    would make it (a sign test, ties left out): a median alone flips on layers that cover
    about half the ground (points in or out of parcels), which random data must not win."""
    medians = {h: float(np.median(d)) for h, d in dist.items()}
    order = sorted(medians, key=lambda h: medians[h])
    best, runner = order[0], order[1]
    fit.best = best if np.isfinite(medians[best]) else None
    b, s = medians[best], medians[runner]
    fit.separation = round(float(min((s + 1) / (b + 1), 1e6)), 2) if np.isfinite(b) else 0.0
    apart = float(np.median(np.hypot(*(pts[best] - pts[runner]).T)))
    clear = bool(np.isfinite(b) and b <= 0.5 * s and s - b >= MIN_GAP_M and b <= apart / 4)
    for other in order[1:]:
        wins = int((dist[best] < dist[other]).sum())
        losses = int((dist[best] > dist[other]).sum())
        fit.sign_p = max(fit.sign_p or 0.0, sign_test_p(wins, losses))
        clear = clear and wins >= WIN_SHARE * (wins + losses)
    fit.sign_p = round(float(fit.sign_p), 8)
    fit.decides = clear and fit.sign_p < SIGN_P


def _lonlat_window(layers, ws_crs: str) -> tuple[float, float, float, float]:
    """The reference layers' joint extent in lon/lat, widened by ~2 km (more than the BD-09
    shift), so that a sample is drawn where the workspace can judge it."""
    ext = np.array([info.extent for info in layers], dtype=float)
    box = (ext[:, 0].min(), ext[:, 1].min(), ext[:, 2].max(), ext[:, 3].max())
    w, s, e, n = crsmod.transformer(ws_crs, "EPSG:4326").transform_bounds(*box, densify_pts=21)
    return w - WINDOW_MARGIN_DEG, s - WINDOW_MARGIN_DEG, e + WINDOW_MARGIN_DEG, n + WINDOW_MARGIN_DEG


def geometry_evidence(ws: Workspace, geoms_lonlat: np.ndarray, *, exclude_hash: str | None = None,
                      sample: int = SAMPLE) -> GeometryEvidence:
    """Compare lon/lat geometries (as read from a file) with ``ws``'s layers under each datum."""
    layers = reference_layers(ws, exclude_hash=exclude_hash)
    lonlat, family = sample_vertices(geoms_lonlat, sample)
    if not len(lonlat):
        return GeometryEvidence(status="no_geometry", note="no coordinates to compare")
    near = np.empty((0, 2))
    if layers:
        near, family = sample_vertices(geoms_lonlat, sample, within=_lonlat_window(layers, ws.crs))
    if len(near):
        lonlat = near
    pts = readings(lonlat, ws.crs)
    ok = np.logical_and.reduce([np.isfinite(xy).all(axis=1) for xy in pts.values()])
    if not ok.any():
        return GeometryEvidence(status="no_reference", sample=0,
                                note=NOTES["outside_layers"])
    lonlat, pts = lonlat[ok], {h: xy[ok] for h, xy in pts.items()}  # beyond the projection's domain
    china = chinacoords.in_china(lonlat[:, 0], lonlat[:, 1])
    ev = GeometryEvidence(status="inconclusive", sample=int(len(lonlat)),
                          in_china=round(float(china.mean()), 3))
    ev.offsets_m = {f"{a}-{b}": round(float(np.median(np.hypot(*(pts[b] - pts[a]).T))), 1)
                    for i, a in enumerate(HYPOTHESES) for b in HYPOTHESES[i + 1:]}
    if ev.in_china < 0.5:
        ev.status = "outside_china"
        ev.note = NOTES["outside_china"]
        return ev
    if len(near) and len(lonlat) < MIN_POINTS:
        ev.status = "too_few"
        ev.note = NOTES["too_few"].format(len(lonlat))
        return ev
    fits = [f for f in (_fit_layer(ws, info, pts, family) for info in layers) if f is not None] \
        if len(near) else []
    ev.layers = fits
    if not fits:
        ev.status = "no_reference"
        ev.note = NOTES["no_layers" if not layers else "outside_layers"]
        return ev
    deciding = [f for f in fits if f.decides]
    picks = {f.best for f in deciding}
    if len(picks) == 1:
        best = picks.pop()
        strongest = max(deciding, key=lambda f: (f.separation, f.points))
        ev.status, ev.best, ev.residual_m = "conclusive", best, strongest.median_m[best]
        ev.layer = strongest.layer
        ev.note = f"best fit on layer {strongest.layer!r}"
    elif picks:
        ev.note = NOTES["disagree"] + ", ".join(f"{f.layer} → {f.best}" for f in deciding)
    else:
        ev.note = NOTES["no_tell"]
    return ev
