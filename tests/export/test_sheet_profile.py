"""The elevation profile as a sheet element: the map gives up its lower part to the plot,
the scale stays exact, the line is on the map, the plot shows the ground."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from lzt.analysis.profile import elevation_profile
from lzt.core.errors import LztInputError
from lzt.export.sheet import plan_sheet, render_sheet
from lzt.export.sheet_spec import SheetSpec
from tests.dems import GRIDS, dem_workspace
from tests.pdftools import Pdf

X0, Y0 = GRIDS["EPSG:4547"][0], GRIDS["EPSG:4547"][1]
LINE = ((X0 + 1000.0, Y0 - 2000.0), (X0 + 4000.0, Y0 - 2600.0))


@pytest.fixture
def dem_ws(tmp_path):
    ws = dem_workspace(tmp_path, "EPSG:4547", "plane", name="dem")
    ws.write_layer("buildings", gpd.GeoDataFrame(
        {"building_id": ["T"], "height_m": [120.0]},
        geometry=[shapely.LineString(LINE).interpolate(0.5, normalized=True).buffer(30, quad_segs=1)],
        crs="EPSG:4547"))
    yield ws
    ws.close()


def _png(path):
    from PySide6.QtGui import QImage

    img = QImage(str(path)).convertToFormat(QImage.Format.Format_RGBA8888)
    buf = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes())
    return buf.reshape(img.height(), img.bytesPerLine())[:, : img.width() * 4].reshape(
        img.height(), img.width(), 4).copy()


def test_profile_under_the_map_at_an_exact_scale(dem_ws, tmp_path):
    plain = plan_sheet(dem_ws, SheetSpec(paper="A3", landscape=True, layers=("dem", "buildings")))
    plan = plan_sheet(dem_ws, SheetSpec(paper="A3", landscape=True, layers=("dem", "buildings"), profile=LINE))
    f, p = plan.layout.frame, plan.layout.profile
    assert p is not None and plain.layout.profile is None
    assert p.y > f.bottom and p.bottom <= plan.layout.footer.y and f.h < plain.layout.frame.h
    e = plan.extent
    assert (e[2] - e[0]) / (f.w / 1000.0) == pytest.approx(plan.scale)  # still exactly 1:N
    assert e[0] <= LINE[0][0] and e[2] >= LINE[1][0] and e[1] <= LINE[1][1] and e[3] >= LINE[0][1]  # framed
    again = elevation_profile(dem_ws, shapely.LineString(LINE))
    np.testing.assert_allclose(plan.profile.ground, again.ground)
    assert [c.id for c in plan.profile.cuts] == ["T"]


def test_profile_sheet_pdf_and_png(dem_ws, tmp_path):
    spec = SheetSpec(paper="A4", landscape=True, layers=("dem", "buildings"), profile=LINE, dpi=100, overview=False)
    out = render_sheet(dem_ws, spec, tmp_path / "s.pdf")
    text = Pdf(tmp_path / "s.pdf").text()
    assert "纵断面" in text and "距离" in text and "高程" in text
    plan = render_sheet(dem_ws, spec, tmp_path / "s.png")
    a = _png(tmp_path / "s.png")
    k = 100 / 25.4
    p = plan.layout.profile
    box = a[int(p.y * k):int(p.bottom * k), int(p.x * k):int(p.right * k), :3]
    ground = (np.abs(box.astype(int) - [0xC8, 0xB4, 0x8C]).sum(axis=2) < 12).mean()
    assert ground > 0.05  # the ground band fills part of the plot
    f = plan.layout.frame
    frame = a[int(f.y * k):int(f.bottom * k), int(f.x * k):int(f.right * k), :3].astype(int)
    red = ((frame[..., 0] > 200) & (frame[..., 1] < 40) & (frame[..., 2] < 40)).sum()
    assert red > 50  # the line on the map
    del out


@pytest.mark.parametrize("profile,match", [(((1.0, 2.0),), "two or more"), (((1.0, 2.0), (1.0, 2.0)), "two or more"),
                                           (((1.0, 2.0), (float("nan"), 3.0)), "two or more")])
def test_bad_profile_lines(profile, match):
    with pytest.raises(LztInputError, match=match):
        SheetSpec(profile=profile).validated()


def test_no_profile_on_standard_sheets():
    with pytest.raises(LztInputError, match="standard sheets"):
        SheetSpec(profile=LINE, sheet_no="2513.50-525.25").validated()
