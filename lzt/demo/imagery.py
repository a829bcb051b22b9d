"""The demo's orthophotos (正射影像): synthetic, rendered from its land use, roads and buildings.

Two acquisitions of the same window around the supervision parcels (影像对比): on the earlier
one the parcels not yet started are vacant land; by the later one some are construction sites
(bare soil, foundation slabs, in the footprints the site will have) and some are finished
buildings. A parcel's state on a date follows its ledger dates (actual_start,
actual_completion, stopped_since), so the imagery agrees with the supervision workbench.
Only a window is rendered and it is stored JPEG-compressed, to keep the demo small and quick
to build. Colours are plausible, not measured [M].
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: the two acquisition dates of the demo imagery
DATES = (date(2022, 10, 1), date(2026, 10, 1))
WINDOW_M = 2400.0  # side of the rendered window (m)
PIXEL_M = 1.0

_GROUND = {"G": (84, 118, 62), "R": (150, 146, 136), "B": (158, 156, 150), "M": (168, 166, 158),
           "A": (146, 150, 134), "W": (164, 158, 146), "U": (138, 140, 134), "S": (122, 122, 118)}
_FOREST, _ROAD, _SHADOW = (56, 82, 48), (94, 94, 97), (46, 50, 52)
_VACANT, _SOIL, _SLAB, _STALLED = (126, 132, 88), (170, 134, 98), (192, 190, 184), (142, 132, 92)
_ROOFS = ((192, 190, 184), (176, 92, 72), (122, 140, 166), (212, 212, 206), (150, 150, 150), (186, 170, 140))


def layer_name(when: date) -> str:
    """The workspace layer of the acquisition on ``when`` (``imagery_2022``...)."""
    return f"imagery_{when.year}"


def window(sup: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """The WINDOW_M square holding the most supervision parcels that change between DATES."""
    a, b = (pd.Timestamp(d) for d in DATES)
    start = pd.to_datetime(sup["actual_start"])
    changing = sup[(start > a) & (start <= b)] if ((start > a) & (start <= b)).any() else sup
    c = shapely.centroid(np.asarray(changing.geometry.values, dtype=object))
    xy = np.column_stack([shapely.get_x(c), shapely.get_y(c)])
    allc = shapely.centroid(np.asarray(sup.geometry.values, dtype=object))
    axy = np.column_stack([shapely.get_x(allc), shapely.get_y(allc)])
    half = WINDOW_M / 2
    score = [(np.abs(xy - p).max(axis=1) < half).sum() * 4 + (np.abs(axy - p).max(axis=1) < half).sum()
             for p in xy]
    cx, cy = xy[int(np.argmax(score))]
    return (float(cx - half), float(cy - half), float(cx + half), float(cy + half))


def _state(sup: gpd.GeoDataFrame, when: date) -> np.ndarray:
    """Per parcel on ``when``: 0 vacant, 1 building site, 2 stalled site, 3 finished."""
    t = pd.Timestamp(when)
    started = pd.to_datetime(sup["actual_start"]) <= t
    done = pd.to_datetime(sup["actual_completion"]) <= t
    stopped = pd.to_datetime(sup["stopped_since"]) <= t
    return np.where(done, 3, np.where(started & stopped, 2, np.where(started, 1, 0)))


def _smooth_noise(rng, shape, cell: int) -> np.ndarray:
    """Low-frequency mottling in -1..1 (a coarse random grid, bilinearly enlarged)."""
    gh, gw = shape[0] // cell + 2, shape[1] // cell + 2
    g = rng.uniform(-1, 1, (gh, gw)).astype(np.float32)
    ys, xs = np.arange(shape[0], dtype=np.float32) / cell, np.arange(shape[1], dtype=np.float32) / cell
    y0, x0 = ys.astype(int), xs.astype(int)
    ty, tx = (ys - y0)[:, None], (xs - x0)[None, :]
    return (g[y0][:, x0] * (1 - ty) * (1 - tx) + g[y0][:, x0 + 1] * (1 - ty) * tx
            + g[y0 + 1][:, x0] * ty * (1 - tx) + g[y0 + 1][:, x0 + 1] * ty * tx)


def render_orthophoto(when: date, bounds, parcels: gpd.GeoDataFrame, roads: gpd.GeoDataFrame,
                      buildings: gpd.GeoDataFrame, sup: gpd.GeoDataFrame, sup_buildings: gpd.GeoDataFrame,
                      seed: int, pixel: float = PIXEL_M) -> np.ndarray:
    """The (3, rows, cols) uint8 picture of ``bounds`` on ``when``."""
    from rasterio.features import rasterize
    from rasterio.transform import from_origin

    x0, y0, x1, y1 = bounds
    w, h = int(round((x1 - x0) / pixel)), int(round((y1 - y0) / pixel))
    tr = from_origin(x0, y1, pixel, pixel)
    box = shapely.box(*bounds)
    palette = [_FOREST, _ROAD, _SHADOW, _VACANT, _SOIL, _SLAB, _STALLED, *_ROOFS, *_GROUND.values()]
    ground_id = {k: 13 + i for i, k in enumerate(_GROUND)}
    cls = np.zeros((h, w), np.uint8)

    def burn(geoms, values):
        geoms = np.asarray(geoms, dtype=object)
        keep = shapely.intersects(geoms, box)
        if keep.any():
            rasterize(zip(geoms[keep], np.asarray(values)[keep]), out=cls, transform=tr)

    p = parcels[parcels.intersects(box)]
    burn(p.geometry.values, [ground_id.get(c[:1], 0) for c in p["landuse_code"].astype(str)])
    r = roads[roads.intersects(box)]
    burn(shapely.buffer(r.geometry.values, r["width_m"].to_numpy() / 2, cap_style="flat"), np.ones(len(r), int))
    state = _state(sup, when)
    burn(sup.geometry.values, np.choose(state, [3, 4, 6, 13]))
    b = buildings[buildings.intersects(box)]
    floors = b["floors"].to_numpy() if "floors" in b else np.ones(len(b))
    built = sup_buildings[sup_buildings["parcel_id"].isin(sup["parcel_id"][state > 0])]
    site = built["parcel_id"].map(dict(zip(sup["parcel_id"], state))).to_numpy()
    # shadows to the north-west of buildings (sun in the south-east), longer for taller ones
    for geoms, fl in ((b.geometry.values, floors), (built.geometry.values[site == 3], built["floors"].to_numpy()[site == 3])):
        if len(geoms):
            off = np.minimum(fl * 0.5, 10.0)
            shadows = [shapely.affinity.translate(g, -o * 0.5, o * 0.6) for g, o in zip(geoms, off)]
            burn(shadows, np.full(len(geoms), 2))
    burn(b.geometry.values, 7 + np.arange(len(b)) % len(_ROOFS))
    if (site == 3).any():
        burn(built.geometry.values[site == 3], 7 + np.arange(int((site == 3).sum())) % len(_ROOFS))
    if (site != 3).any():  # foundation slabs in the future footprints
        burn(built.geometry.values[site != 3], np.full(int((site != 3).sum()), 5))
    rng = np.random.default_rng(seed + when.year)
    img = np.asarray(palette, np.float32)[cls]  # (h, w, 3)
    img *= (1 + 0.09 * _smooth_noise(rng, (h, w), 24))[..., None]
    veg = np.isin(cls, [0, 3, 6, ground_id["G"]])
    img[veg] *= (1 + 0.18 * _smooth_noise(rng, (h, w), 6))[veg][:, None]
    img += rng.normal(0, 2.0, (h, w, 1)).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8).transpose(2, 0, 1)


def write_geotiff(pixels: np.ndarray, bounds, path: Path, when: date, pixel: float = PIXEL_M) -> None:
    """A tiled, JPEG-compressed (YCbCr) RGB GeoTIFF with internal overviews and its date tag."""
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.transform import from_origin

    from layers.raster import overview_factors

    _, h, w = pixels.shape
    prof = dict(driver="GTiff", width=w, height=h, count=3, dtype="uint8", crs="EPSG:4547",
                transform=from_origin(bounds[0], bounds[3], pixel, pixel), tiled=True, blockxsize=256,
                blockysize=256, compress="jpeg", photometric="ycbcr", jpeg_quality=82)
    with rasterio.Env(COMPRESS_OVERVIEW="JPEG", PHOTOMETRIC_OVERVIEW="YCBCR", JPEG_QUALITY_OVERVIEW=82,
                      GDAL_TIFF_OVR_BLOCKSIZE=256), rasterio.open(path, "w", **prof) as ds:
        ds.write(pixels)
        ds.update_tags(ACQUISITION_DATE=when.isoformat(), TIFFTAG_DATETIME=when.strftime("%Y:%m:%d 00:00:00"))
        ds.build_overviews(overview_factors(w, h), Resampling.average)


def add_demo_imagery(ws, parcels: gpd.GeoDataFrame, roads: gpd.GeoDataFrame, sup: gpd.GeoDataFrame,
                     buildings: gpd.GeoDataFrame, seed: int, source: str) -> dict[str, int]:
    """Render and store the demo's two orthophotos; returns {layer: pixels}."""
    from layers.raster import inspect_raster
    from lzt.demo.buildings import generate_buildings

    bounds = window(sup)
    lots = parcels[parcels["parcel_id"].isin(sup["parcel_id"])]
    sup_buildings = generate_buildings(lots, set(), seed)
    counts = {}
    with tempfile.TemporaryDirectory() as d:
        for when in DATES:
            tif = Path(d) / f"{layer_name(when)}.tif"
            write_geotiff(render_orthophoto(when, bounds, parcels, roads, buildings, sup,
                                            sup_buildings, seed), bounds, tif, when)
            info = inspect_raster(tif)
            facts = info.to_json() | {"bounds_workspace": list(info.bounds), "acquired": when.isoformat()}
            ws.write_raster(layer_name(when), tif.read_bytes(), info=facts, source=source)
            counts[layer_name(when)] = info.width * info.height
    return counts


__all__ = ["DATES", "add_demo_imagery", "layer_name", "render_orthophoto", "window", "write_geotiff"]
