"""count_values: a GROUP BY in the database, equal to pandas' value_counts on both backends."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from lzt.core.errors import LztInputError
from lzt.core.filters import Compare


def test_count_values_matches_value_counts(ws):
    t = pd.to_datetime(["2024-01-03 09:00", "2024-01-20 10:00", "2024-02-01 00:00", None, "2025-12-31 23:59"])
    cats = ["噪声", "噪声", "交通", None, "噪声"]
    gdf = gpd.GeoDataFrame({"cat": cats, "at": t, "n": [1, 2, 3, 4, 5]},
                           geometry=shapely.points(range(510_000, 510_005), [2_510_000] * 5), crs=ws.crs)
    ws.write_layer("c", gdf)
    assert ws.count_values("c", "cat") == {"噪声": 3, "交通": 1, None: 1}
    months = ws.count_values("c", "at", prefix=7)
    assert months == {"2024-01": 2, "2024-02": 1, "2025-12": 1, None: 1}
    assert ws.count_values("c", "cat", where=Compare("n", ">", 1)) == {"噪声": 2, "交通": 1, None: 1}
    with pytest.raises(LztInputError, match="no field 'nope'"):
        ws.count_values("c", "nope")
