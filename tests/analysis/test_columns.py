"""The packed column cache: same values as a plain read, rebuilt when the layer changes, nothing personal."""

import numpy as np
import pytest

from lzt.analysis.columns import KIND, cached_columns, column_codes
from lzt.analysis.spacetime import to_ms
from tests.warn_data import complaints_frame


def test_cache_matches_a_read_and_follows_the_layer(tmp_path):
    from lzt.workspace import create_workspace

    ws = create_workspace(tmp_path / "w.gpkg")
    try:
        gdf = complaints_frame(weeks=10)
        gdf.loc[3, "cat_l1"] = None
        ws.write_layer("c", gdf, kind="complaints")
        got = cached_columns(ws, "c", [("received_at", True), ("cat_l1", False)])
        df = ws.read_features("c", columns=["received_at", "cat_l1"], geometry=False)
        fid, t, _ = got["received_at"]
        assert np.array_equal(fid, df.index.to_numpy()) and np.array_equal(t, to_ms(df["received_at"]))
        _, codes, labels = got["cat_l1"]
        decoded = [labels[c] if c >= 0 else None for c in codes]
        assert decoded == df["cat_l1"].where(df["cat_l1"].notna(), None).tolist()
        assert ws.get_blob(KIND, "c\x00cat_l1\x00c") is not None
        again = column_codes(ws, "c", "cat_l1")  # from the blob now
        assert np.array_equal(again[1], codes)
        ws.write_layer("c", gdf.iloc[:50], kind="complaints", replace=True)  # a new stamp: rebuilt
        assert len(column_codes(ws, "c", "cat_l1")[0]) == 50
        with pytest.raises(ValueError):
            column_codes(ws, "c", "citizen_phone")
    finally:
        ws.close()
