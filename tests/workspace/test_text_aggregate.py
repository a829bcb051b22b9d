"""Text columns asked for by names that differ only in case come back under each name asked."""

from __future__ import annotations

import geopandas as gpd
import shapely


def test_case_variant_names_each_get_their_column(tmp_path):
    from lzt.workspace.gpkg.workspace import GeoPackageWorkspace

    ws = GeoPackageWorkspace.create(tmp_path / "ws.gpkg")
    try:
        ws.write_layer("a", gpd.GeoDataFrame({"name": ["x", "y"], "kind": ["k1", "k2"]},
                                             geometry=[shapely.Point(500_000, 2_500_000)] * 2, crs="EPSG:4547"))
        fids, cols = ws.text_columns("a", ["name", "NAME", "kind"])
        assert list(cols) == ["name", "NAME", "kind"]
        assert list(cols["name"]) == list(cols["NAME"]) == ["x", "y"] and list(cols["kind"]) == ["k1", "k2"]
        fids, codes = ws.text_codes("a", ["NAME", "kind"])
        values, names = codes["kind"]
        assert [names[v] for v in values] == ["k1", "k2"]
        values, names = codes["NAME"]
        assert [names[v] for v in values] == ["x", "y"]
    finally:
        ws.close()
