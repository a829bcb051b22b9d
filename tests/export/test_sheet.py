"""Sheets: true to scale (measured in the PNG), title as text and fonts embedded (PDF), atlases."""

import numpy as np
import pytest

from lzt.core.errors import LztInputError
from lzt.export.atlas import render_atlas
from lzt.export.sheet import plan_sheet, render_sheet, sheet_page
from lzt.export.sheet_spec import SheetSpec
from tests.export.conftest import X0, Y0
from tests.pdftools import Pdf


def _png(path):
    from PySide6.QtGui import QImage

    img = QImage(str(path)).convertToFormat(QImage.Format.Format_RGBA8888)
    buf = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes())
    return buf.reshape(img.height(), img.bytesPerLine())[:, : img.width() * 4].reshape(
        img.height(), img.width(), 4).copy()


def test_map_frame_and_scale_bar_are_true_to_scale(sheet_ws, tmp_path):
    from lzt.export.sheet_page import scale_bar_device

    dpi = 200
    spec = SheetSpec(paper="A4", scale=10_000, center=(X0 + 500, Y0 + 500), layers=("parcels",), dpi=dpi,
                     overview=False, title="比例尺检验")
    out = tmp_path / "s.png"
    plan = render_sheet(sheet_ws, spec, out)
    a = _png(out)
    k = dpi / 25.4
    # the frame: its ground width is its paper width times N
    f = plan.layout.frame
    assert plan.extent[2] - plan.extent[0] == pytest.approx(f.w * 10_000 / 1000)
    # parcel P1 is 800 m wide -> 80 mm at 1:10000; measure its yellow (R2) run of pixels
    row = int(round((f.y + (plan.extent[3] - (Y0 + 500)) / 10.0) * k))
    yellow = (a[row, :, 0] > 200) & (a[row, :, 1] > 200) & (a[row, :, 2] < 80)
    run = np.flatnonzero(yellow)
    width_mm = (run.max() - run.min() + 1) / k
    assert width_mm == pytest.approx(80.0, rel=0.005)
    left_mm = run.min() / k
    assert left_mm == pytest.approx(f.x + (X0 + 100 - plan.extent[0]) / 10.0, abs=1 / k)
    # the scale bar: black and white segments between x0 and x1, their length = ground length / N
    page = sheet_page(sheet_ws, plan)
    x0, x1, y = scale_bar_device(page, dpi)
    line = a[int(y)]
    dark = np.flatnonzero(line[:, :3].max(axis=1) < 80)
    bar = dark[(dark >= x0 - 3) & (dark <= x1 + 3)]
    measured_mm = (bar.max() - bar.min() + 1) / k
    assert measured_mm == pytest.approx(page.scalebar[0] / 10_000 * 1000, rel=0.005, abs=0.3)


def test_pdf_has_the_title_as_text_and_its_font_embedded(sheet_ws, tmp_path):
    out = tmp_path / "s.pdf"
    spec = SheetSpec(paper="A3", landscape=True, title="龙岗区土地利用现状图", date="2025-06-30",
                     producer="龙岗区规划土地监察队")
    plan = render_sheet(sheet_ws, spec, out)
    pdf = Pdf(out)
    text = pdf.text()
    assert "龙岗区土地利用现状图" in text
    assert "2000国家大地坐标系 高斯-克吕格投影 3度带 中央经线114°" in text
    assert "2025年6月30日" in text and "龙岗区规划土地监察队" in text
    assert "图  例" in text.replace("图 例", "图  例")
    assert f"1:{plan.scale:.0f}" in text.replace(" ", "")
    # every font is embedded, and it is the shipped one (a fresh machine has no CJK font)
    assert pdf.embedded_fonts() and all("LZTSansSC" in f for f in pdf.embedded_fonts())
    assert set(pdf.font_names()) == {"LZTSansSC-Regular"}
    # A3 landscape in points
    assert pdf.media_boxes()[0][2:] == pytest.approx((420 / 25.4 * 72, 297 / 25.4 * 72), abs=1)
    # vector: parcels are paths, not a page-sized image
    assert pdf.page_count == 1


def test_feature_sheet_frames_and_names_the_feature(sheet_ws, tmp_path):
    plan = plan_sheet(sheet_ws, SheetSpec(paper="A4", feature=("streets", "龙岗")))
    assert plan.title == "龙岗"
    e = plan.extent
    assert e[0] <= X0 + 2000 and e[2] >= X0 + 4000 and e[1] <= Y0 and e[3] >= Y0 + 2000
    assert plan.highlight is not None
    by_fid = plan_sheet(sheet_ws, SheetSpec(paper="A4", feature=("streets", "1")))
    assert by_fid.title == "龙城"
    with pytest.raises(LztInputError, match="no feature"):
        plan_sheet(sheet_ws, SheetSpec(feature=("streets", "不存在")))


def test_standard_sheet_number_renders_that_sheet(sheet_ws, tmp_path):
    plan = plan_sheet(sheet_ws, SheetSpec(paper="A1", sheet_no="2510.50-520.25"))
    assert plan.scale == 500
    assert plan.extent == pytest.approx((520250.0, 2510500.0, 520500.0, 2510750.0))
    assert (plan.layout.frame.w, plan.layout.frame.h) == (500.0, 500.0)
    out = tmp_path / "std.pdf"
    render_sheet(sheet_ws, SheetSpec(paper="A1", sheet_no="2510.50-520.25", layers=("parcels",)), out)
    text = Pdf(out).text()
    assert "图号：2510.50-520.25" in text
    assert "2510.75-520.25" in text and "2510.25-520.50" in text  # the 接图表: the sheets around it


def test_svg_output(sheet_ws, tmp_path):
    out = tmp_path / "s.svg"
    render_sheet(sheet_ws, SheetSpec(paper="A4", title="SVG 测试"), out)
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text and "SVG 测试" in text


def test_atlas_has_one_page_per_feature(sheet_ws, tmp_path):
    out = tmp_path / "atlas.pdf"
    render_atlas(sheet_ws, SheetSpec(paper="A4", title="街道图"), "streets", out)
    pdf = Pdf(out)
    assert pdf.page_count == 3
    text = pdf.text()
    for name in ("龙城", "龙岗", "宝龙"):
        assert f"街道图——{name}" in text
    out2 = tmp_path / "two.pdf"
    render_atlas(sheet_ws, SheetSpec(paper="A4"), "streets", out2, where="name LIKE '龙%'")
    assert Pdf(out2).page_count == 2


def test_atlas_to_a_folder(sheet_ws, tmp_path):
    out = tmp_path / "sheets"
    files = render_atlas(sheet_ws, SheetSpec(paper="A4", dpi=50), "streets", out, fmt="png")
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in files)
    assert len(files) == 3 and all(p.suffix == ".png" and p.stat().st_size > 0 for p in files)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folder left


def test_errors_leave_no_file(sheet_ws, tmp_path):
    out = tmp_path / "bad.pdf"
    with pytest.raises(LztInputError, match="no layer named 'nope'"):
        render_sheet(sheet_ws, SheetSpec(layers=("nope",)), out)
    with pytest.raises(LztInputError, match="format"):
        render_sheet(sheet_ws, SheetSpec(), tmp_path / "bad.docx")
    with pytest.raises(LztInputError, match="does not exist"):
        render_sheet(sheet_ws, SheetSpec(), tmp_path / "no" / "x.pdf")
    assert list(tmp_path.iterdir()) == [tmp_path / "ws.gpkg"] or all(
        p.name.startswith("ws.gpkg") for p in tmp_path.iterdir())


# -- a DEM in another CRS on the sheet; the CRS note -------------------------------------------------
@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:32650"])
def test_sheet_shows_a_dem_stored_in_another_crs(tmp_path, crs):
    from pyproj import Transformer

    from tests.dems import GRIDS, dem_workspace

    ws = dem_workspace(tmp_path, crs, "hill")
    try:
        dpi = 100
        spec = SheetSpec(paper="A4", scale=80_000, center=(524_500.0, 2_513_000.0), layers=("srtm",), dpi=dpi,
                         overview=False, title="高程")
        out = tmp_path / "dem.png"
        plan = render_sheet(ws, spec, out)
        a = _png(out)
        f, e, k = plan.layout.frame, plan.extent, dpi / 25.4

        def px(x, y):  # device pixel of a ground point
            return int((f.y + (e[3] - y) / 80.0) * k), int((f.x + (x - e[0]) / 80.0) * k)

        x0, y0, p, w, h = GRIDS[crs]
        to_ws = Transformer.from_crs(crs, "EPSG:4547", always_xy=True)
        inside = [to_ws.transform(x0 + p * w * fx, y0 - p * h * fy) for fx in (0.1, 0.5, 0.9) for fy in (0.2, 0.5, 0.8)]
        for x, y in inside:  # coloured where the DEM lies
            r, c = px(x, y)
            assert a[r, c, :3].min() < 235, (x, y, a[r, c])
        outside = to_ws.transform(x0 - p * w * 0.1, y0 + p * h * 0.1)  # beyond its north-west corner
        r, c = px(*outside)
        assert (a[r, c, :3] > 250).all()
        coloured = (a[..., :3].min(axis=2) < 235).mean()
        assert coloured > 0.1  # ~12 x 10 km at 1:80,000 on A4: a large part of the page
    finally:
        ws.close()


def test_crs_note_names_the_height_datum_only_when_the_dem_declares_it(tmp_path):
    from lzt.ingest import ImportOptions, import_paths
    from lzt.workspace import create_workspace
    from tests.dems import write_dem

    ws = create_workspace(tmp_path / "ws.gpkg")
    try:
        import_paths(ws, [write_dem(tmp_path / "silent.tif", "EPSG:4326")])
        import_paths(ws, [write_dem(tmp_path / "declared.tif", "EPSG:4547", file_crs="EPSG:4547+5737")],
                     ImportOptions())
        gk = "2000国家大地坐标系 高斯-克吕格投影 3度带 中央经线114°"
        silent = sheet_page(ws, plan_sheet(ws, SheetSpec(layers=("silent",))))
        assert silent.notes[0] == f"坐标系：{gk}"  # no height datum is made up
        declared = sheet_page(ws, plan_sheet(ws, SheetSpec(layers=("silent", "declared"))))
        assert declared.notes[0] == f"坐标系：{gk}；1985国家高程基准"
        out = tmp_path / "s.pdf"
        render_sheet(ws, SheetSpec(paper="A4", layers=("declared",), overview=False), out)
        assert f"{gk}；1985国家高程基准" in Pdf(out).text()
    finally:
        ws.close()


def test_crs_note_of_a_utm_workspace(tmp_path):
    import geopandas as gpd
    import shapely

    from lzt.workspace import create_workspace

    ws = create_workspace(tmp_path / "utm.gpkg", crs="EPSG:32650")
    try:
        ws.write_layer("box", gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.box(210_000, 2_510_000, 212_000, 2_512_000)],
                                               crs="EPSG:32650"))
        page = sheet_page(ws, plan_sheet(ws, SheetSpec(layers=("box",))))
        assert page.notes[0] == "坐标系：WGS84坐标系 UTM投影 第50N带 中央经线117°"
    finally:
        ws.close()
