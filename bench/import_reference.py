"""The import benchmark's reference: a pandas + pyogrio script writing an indexed GeoPackage.

``python bench/import_reference.py POINTS.csv OUT.gpkg`` reads the 1M-point CSV with
pandas (pyarrow engine), builds the WGS84 points, reprojects them to EPSG:4547 with
geopandas and writes them with pyogrio through GDAL's Arrow path (GDAL creates the
R-tree). It is what a competent analyst would script; it validates nothing, keeps
no catalogue and is not one transaction with anything else.
"""

from __future__ import annotations

import sys


def main(csv: str, out: str) -> None:
    import geopandas as gpd
    import pandas as pd
    import pyogrio

    df = pd.read_csv(csv, engine="pyarrow")
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["经度"], df["纬度"]), crs="EPSG:4326")
    gdf = gdf.to_crs("EPSG:4547")
    pyogrio.write_dataframe(gdf, out, layer="points", driver="GPKG", use_arrow=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
