"""value_counts: count_values kept for the layer's stamp, in the process and in the workspace."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from lzt.workspace import value_counts as vc
from lzt.workspace import open_workspace


def _layer(ws, cats):
    t = pd.to_datetime(["2024-01-03 09:00"] * len(cats))
    gdf = gpd.GeoDataFrame({"cat": cats, "at": t, "n": list(range(len(cats)))},
                           geometry=shapely.points(range(510_000, 510_000 + len(cats)), [2_510_000] * len(cats)),
                           crs=ws.crs)
    ws.write_layer("c", gdf, replace=True)


def test_value_counts_equal_count_values_and_follow_the_layer(ws, monkeypatch):
    _layer(ws, ["噪声", "噪声", "交通", None, "噪声"])
    expected = {"噪声": 3, "交通": 1, None: 1}
    assert ws.count_values("c", "cat") == expected
    assert vc.value_counts(ws, "c", "cat") == expected
    assert vc.value_counts(ws, "c", "at", prefix=10) == {"2024-01-03": 5}

    # a new process: nothing in memory, the stored list is read and the database not asked
    vc._MEMO.clear()
    asked = []
    real = type(ws).count_values
    monkeypatch.setattr(type(ws), "count_values", lambda self, *a, **k: asked.append(a) or real(self, *a, **k))
    assert vc.value_counts(ws, "c", "cat") == expected
    assert asked == []

    # the layer changes: counted again
    _layer(ws, ["交通", "交通"])
    assert vc.value_counts(ws, "c", "cat") == {"交通": 2}
    assert asked


def test_value_counts_on_a_workspace_opened_again(ws, tmp_path):
    _layer(ws, ["甲", "乙", "乙"])
    first = vc.value_counts(ws, "c", "cat")
    vc._MEMO.clear()
    other = open_workspace(ws.uri)
    try:
        assert vc.value_counts(other, "c", "cat") == first == {"甲": 1, "乙": 2}
    finally:
        other.close()


def test_layer_stamp_moves_with_writes_from_any_connection(tmp_path):
    """The GeoPackage's stamp is counted again only once the file changed: a row deleted by
    another connection (as GDAL or QGIS would, without touching last_change) still moves it."""
    import sqlite3

    from lzt.workspace import create_workspace

    ws = create_workspace(tmp_path / "s.gpkg")
    try:
        _layer(ws, ["甲", "乙", "丙"])
        first = ws.layer_stamp("c")
        assert ws.layer_stamp("c") == first
        other = sqlite3.connect(tmp_path / "s.gpkg")
        other.execute('DELETE FROM "c" WHERE fid = (SELECT min(fid) FROM "c")')
        other.commit()
        other.close()
        moved = ws.layer_stamp("c")
        assert moved != first and moved[1] == 2
        assert vc.value_counts(ws, "c", "cat") == {"乙": 1, "丙": 1}
    finally:
        ws.close()
