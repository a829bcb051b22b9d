"""lzt.workspace.postgis.copy_rows.decode_wkb against shapely.from_wkb."""

from __future__ import annotations

import numpy as np
import shapely

from lzt.workspace.postgis.copy_rows import decode_wkb


def test_points_fast_path_and_fallbacks():
    pts = shapely.points(np.random.default_rng(1).uniform(0, 1e6, (300, 2)))
    wkb = list(shapely.to_wkb(pts, byte_order=1))
    assert shapely.equals_exact(decode_wkb(wkb), pts, 0).all()
    big = list(shapely.to_wkb(pts, byte_order=0))  # big-endian: through from_wkb
    assert shapely.equals_exact(decode_wkb(big), pts, 0).all()
    mixed = wkb[:3] + [None, shapely.to_wkb(shapely.from_wkt("POINT EMPTY")),
                       shapely.to_wkb(shapely.box(0, 0, 1, 1))]
    want = shapely.from_wkb(np.array(mixed, dtype=object))
    got = decode_wkb(mixed)
    assert [g is None for g in got] == [g is None for g in want]
    assert all(shapely.equals_exact(a, b, 0) or (shapely.is_empty(a) and shapely.is_empty(b))
               for a, b in zip(got, want) if a is not None)
    assert len(decode_wkb([])) == 0
