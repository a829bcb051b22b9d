"""Complaint analyses at district scale (1M work orders), beside plain geopandas/pandas."""

from __future__ import annotations

from pathlib import Path

from timing import timed as _timed


def run(demo: Path, rows: list) -> None:
    import geopandas as gpd
    import pandas as pd
    import shapely

    from lzt.analysis.compounds import compound_counts
    from lzt.analysis.kde import kernel_density
    from lzt.analysis.records import read_points
    from lzt.analysis.repeats import repeats_for_layer
    from lzt.analysis.trend import monthly_trend
    from lzt.workspace import open_workspace

    ws = open_workspace(demo)
    try:
        def kde():
            rec = read_points(ws, "complaints")
            return kernel_density(rec.x, rec.y, cell=50.0, bandwidth=300.0)

        t_kde, grid = _timed(kde)
        rows.append((f"lzt analyse kde: 1M complaints, 50 m cells ({grid.shape[1]}×{grid.shape[0]}), 300 m bandwidth",
                     t_kde, None, "", ""))

        t_rep, (_, summary) = _timed(lambda: repeats_for_layer(ws, "complaints"))
        rows.append((f"lzt analyse repeats: 1M complaints, same cat_l2 within 50 m and 30 days "
                     f"({summary['repeats']:,} repeats)", t_rep, None, "", ""))

        t_trend, _ = _timed(lambda: monthly_trend(ws, "complaints", by="category"))

        def plain_trend():
            df = ws.read_features("complaints", columns=["received_at", "cat_l1"], geometry=False)
            m = pd.to_datetime(df["received_at"]).dt.to_period("M")
            return df.groupby([df["cat_l1"], m]).size()

        t_trend_ref, _ = _timed(plain_trend)
        rows.append(("lzt analyse trend --by category: 1M complaints, 24 months", t_trend, t_trend_ref,
                     "pandas read + to_period + groupby", ""))

        t_comp, (gdf, unmatched) = _timed(lambda: compound_counts(ws, "complaints"))

        def plain_comp():
            _, x, y = ws.point_coords("complaints")
            pts = gpd.GeoDataFrame(geometry=shapely.points(x, y), crs=ws.crs)
            poi = ws.read_features("poi", columns=["name"], where=None)
            return gpd.sjoin_nearest(pts, poi[["name", "geometry"]], max_distance=100.0)["name"].value_counts()

        t_comp_ref, _ = _timed(plain_comp)
        rows.append((f"lzt stats --by compound: 1M complaints onto {len(gdf):,} compounds", t_comp, t_comp_ref,
                     "geopandas sjoin_nearest (100 m) + value_counts, all 1M POIs", ""))
    finally:
        ws.close()
