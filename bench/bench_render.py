"""Rendering benchmarks (issue 5): ``run(demo, rows)`` appends rows like bench/run.py's.

Cases, on a copy of the district demo workspace (1M complaints, ~106k parcels, 1M POI) with
~200k synthetic building footprints added when it has no footprint layer:
- full-extent redraw at 1920x1080, and a 1 km zoom (warm: layers already cached);
- an A3 300 dpi vector-PDF sheet over the district (time and size).
The reference is a plain per-feature QPainter loop over the same features (one QPolygonF
and one drawPolygon/drawEllipse call per feature, no aggregation), as a naive renderer does.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LAYERS = ["dem", "parcels", "buildings", "roads", "complaints", "district", "streets", "communities"]


def synth_footprints(ws, n: int = 200_000, seed: int = 5, name: str = "buildings") -> None:
    """Add ``n`` rectangular building footprints (10-40 m, with heights) inside built parcels."""
    import geopandas as gpd
    import shapely

    rng = np.random.default_rng(seed)
    parcels = ws.read_features("parcels", columns=["landuse_code"])
    built = parcels[~parcels["landuse_code"].astype(str).str[:1].isin(["G", "S", "E"])]
    geoms = np.asarray(built.geometry.values)
    b = shapely.bounds(geoms)
    out_x, out_y, owner = [], [], []
    need = n
    while need > 0:
        k = int(need * 1.6) + 100
        pick = rng.integers(0, len(geoms), k)
        x = rng.uniform(b[pick, 0], b[pick, 2])
        y = rng.uniform(b[pick, 1], b[pick, 3])
        ok = shapely.contains_xy(geoms[pick], x, y)
        out_x.append(x[ok][:need]); out_y.append(y[ok][:need]); owner.append(pick[ok][:need])
        need -= int(min(ok.sum(), need))
    x, y = np.concatenate(out_x), np.concatenate(out_y)
    w = rng.uniform(10, 40, n); h = rng.uniform(10, 30, n)
    ang = rng.uniform(0, np.pi / 2, n)
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]], float) / 2
    cx = corners[None, :, 0] * w[:, None]; cy = corners[None, :, 1] * h[:, None]
    c, s = np.cos(ang)[:, None], np.sin(ang)[:, None]
    coords = np.stack([x[:, None] + cx * c - cy * s, y[:, None] + cx * s + cy * c], axis=2)
    polys = shapely.polygons(coords)
    heights = np.round(rng.gamma(2.0, 12.0, n) + 3, 1)
    gdf = gpd.GeoDataFrame({"height_m": heights, "floors": np.maximum(1, (heights / 3).astype(int))},
                           geometry=polys, crs=ws.crs)
    ws.write_layer(name, gdf, kind="vector", source="bench_render synthetic footprints", replace=True)
