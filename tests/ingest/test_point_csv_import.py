"""Point CSVs imported through the coordinate-array path (``points_as_xy``, lzt.ingest.point_coords)
against pyproj and the forward GCJ-02/BD-09 formulas applied independently: a GBK file with blank
coordinates, China offsets, and a projected table."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Transformer

from lzt.core import chinacoords
from lzt.ingest import ImportOptions, import_paths
from lzt.workspace.gpkg.workspace import GeoPackageWorkspace

LONLAT = np.array([[114.247, 22.721], [114.12, 22.61], [114.30, 22.65], [114.05, 22.55], [114.21, 22.70]])
NAMES = ["龙城街道", "坂田", "横岗", "布吉", "平湖"]
TO_WS = Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True)


def _csv(path, header, rows, encoding="gbk"):
    lines = [",".join(header)] + [",".join(str(v) for v in r) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _stored(ws, layer):
    fid, x, y = ws.point_coords(layer)
    names = ws.read_features(layer, columns=["名称"], geometry=False)["名称"]
    return fid, np.column_stack([x, y]), names


@pytest.fixture
def ws(tmp_path):
    w = GeoPackageWorkspace.create(tmp_path / "ws.gpkg")
    yield w
    w.close()


def test_gbk_lonlat_csv_with_blank_coordinates(ws, tmp_path):
    rows = [(n, lon, lat) for n, (lon, lat) in zip(NAMES, LONLAT)]
    rows.insert(2, ("无坐标", "", ""))
    rows.insert(4, ("半坐标", 114.1, ""))
    rep = import_paths(ws, [_csv(tmp_path / "pts.csv", ["名称", "经度", "纬度"], rows)],
                       ImportOptions(x_field="经度", y_field="纬度"))[0]
    assert rep.count == 7 and rep.null_geometries == 2 and rep.geometry_type == "Point"
    fid, xy, names = _stored(ws, rep.layer)
    assert [names[f] for f in fid] == NAMES
    want = np.column_stack(TO_WS.transform(LONLAT[:, 0], LONLAT[:, 1]))
    assert np.allclose(xy, want, rtol=0, atol=1e-6)


# GCJ-02 is undone iteratively (to 1e-10 degrees); BD-09 -> GCJ-02 is the usual closed-form
# approximation of the inverse, a few centimetres off.
@pytest.mark.parametrize("coords,forward,tol", [("gcj02", chinacoords.wgs84_to_gcj02, 0.01),
                                                ("bd09", chinacoords.wgs84_to_bd09, 0.1)])
def test_china_offsets_undo_the_forward_formula(ws, tmp_path, coords, forward, tol):
    shifted = np.column_stack(forward(LONLAT[:, 0], LONLAT[:, 1]))
    rows = [(n, lon, lat) for n, (lon, lat) in zip(NAMES, shifted)]
    rep = import_paths(ws, [_csv(tmp_path / f"{coords}.csv", ["名称", "lon", "lat"], rows, "utf-8-sig")],
                       ImportOptions(coords=coords, x_field="lon", y_field="lat"))[0]
    fid, xy, _ = _stored(ws, rep.layer)
    want = np.column_stack(TO_WS.transform(LONLAT[:, 0], LONLAT[:, 1]))
    assert np.allclose(xy, want, rtol=0, atol=tol)
    assert rep.extra["coords_shift"]["moved"] == 5


def test_projected_csv_is_stored_as_given(ws, tmp_path):
    xy = np.column_stack(TO_WS.transform(LONLAT[:, 0], LONLAT[:, 1])).round(3)
    rows = [(n, x, y) for n, (x, y) in zip(NAMES, xy)]
    path = _csv(tmp_path / "proj.csv", ["名称", "x", "y"], rows)
    rep = import_paths(ws, [path], ImportOptions(src_crs="EPSG:4547", x_field="x", y_field="y"))[0]
    fid, got, names = _stored(ws, rep.layer)
    assert np.array_equal(got, xy) and [names[f] for f in fid] == NAMES
