"""Which CRS is this? The verdict's cost at district scale: a 1M-point GCJ-02 file judged
against the district workspace (1M POIs, 106k parcels, 61k buildings), beside reading the
same file alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from timing import timed

HERE = Path(__file__).resolve().parent


def _gcj_csv(demo: Path) -> Path:
    """The district's 1M POIs as an Amap-style GCJ-02 CSV (made once under bench/_data)."""
    from pyproj import Transformer

    from lzt.core import chinacoords
    from lzt.workspace import open_workspace

    out = HERE / "_data" / "poi_gcj02_1m.csv"
    if out.exists():
        return out
    ws = open_workspace(demo)
    try:
        _, x, y = ws.point_coords("poi")
    finally:
        ws.close()
    lon, lat = Transformer.from_crs(4547, 4326, always_xy=True).transform(x, y)
    glon, glat = chinacoords.wgs84_to_gcj02(lon, lat)
    pd.DataFrame({"name": np.char.add("店", np.arange(len(x)).astype(str)),
                  "lng": np.round(glon, 6), "lat": np.round(glat, 6)}).to_csv(out, index=False)
    return out


def run(demo: Path, rows: list) -> None:
    from layers.registry import read_vector
    from lzt.ingest.crs_detect import detect, detect_file
    from lzt.workspace import open_workspace

    csv = _gcj_csv(demo)
    ws = open_workspace(demo)
    try:
        (ll,) = read_vector(csv)
        geoms = np.asarray(ll.gdf.geometry.values, dtype=object)
        attrs = ll.gdf.drop(columns=[ll.gdf.geometry.name])
        t_verdict, v = timed(lambda: detect(ws, geoms, attrs, x_field=ll.x_field, y_field=ll.y_field), repeat=3)
        rows.append((f"crs verdict on 1M GCJ-02 points vs the district workspace ({v.datum}, residual "
                     f"{v.geometry.residual_m} m on {v.geometry.layer}): the time it adds to an import",
                     t_verdict, None, "", "< 2 s"))
        t_file, _ = timed(lambda: detect_file(ws, csv))
        t_read, _ = timed(lambda: read_vector(csv))
        rows.append(("lzt crs-detect on the 1M-point CSV (read + verdict)", t_file, t_read,
                     "lzt's CSV reader alone (the same read)", ""))
    finally:
        ws.close()
