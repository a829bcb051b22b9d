"""Pixels land where they must; colours match the legend; density and masking behave."""

import numpy as np
import pytest
import shapely

from lzt.render import render_image
from lzt.render import style as st
from tests.render.conftest import X0, Y0


def _array(img):
    from PySide6.QtGui import QImage

    img = img.convertToFormat(QImage.Format.Format_RGBA8888)
    buf = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes())
    a = buf.reshape(img.height(), img.bytesPerLine())[:, : img.width() * 4].reshape(img.height(), img.width(), 4)
    return a.copy()  # the image dies with this function


def test_a_point_lands_on_its_pixel(small_ws):
    # 1 m per pixel over a 200 x 100 px image; the point X0+200, Y0+200 sits at the centre of
    # pixel (col 37, row 62) when the extent's top-left is (X0+162.5, Y0+262.5)
    ext = (X0 + 162.5, Y0 + 162.5, X0 + 362.5, Y0 + 262.5)
    red = st.LayerStyle(st.SingleRenderer(st.Symbol(fill="#ff0000", stroke=None, size=2.5, marker="square")))
    img, res = render_image(small_ws, ext, 200, 100, ["poi"], {"poi": red}, dpi=25.4)  # 1 px = 1 mm
    a = _array(img)
    redmask = (a[..., 0] > 200) & (a[..., 1] < 60) & (a[..., 2] < 60)
    rows, cols = np.nonzero(redmask)
    assert res.layers["poi"].drawn == 1
    assert redmask[62, 37]
    assert (cols.mean() + 0.5, rows.mean() + 0.5) == pytest.approx((37.5, 62.5), abs=0.05)
    assert redmask.sum() <= 9  # a 2.5 mm (2.5 px) square: no bigger than 3 x 3 pixels


def test_polygon_area_in_pixels_matches_the_geometry(small_ws):
    ext = (X0 - 50, Y0 - 50, X0 + 950, Y0 + 950)  # 1000 m over 500 px: 2 m per pixel
    style = st.LayerStyle(st.SingleRenderer(st.Symbol(fill="#0000ff", stroke=None)))
    img, _ = render_image(small_ws, ext, 500, 500, ["parcels"], {"parcels": style})
    a = _array(img)
    blue = (a[..., 2] > 200) & (a[..., 0] < 60)
    area = small_ws.read_features("parcels").geometry.area.sum()
    assert blue.sum() * 4.0 == pytest.approx(area, rel=0.02)
    # along y = Y0+200: P1 spans x in [X0, X0+400] -> columns 25..224, P2 [X0+500, X0+900] -> 275..474
    row = int((ext[3] - (Y0 + 200)) / 2)
    cols = np.flatnonzero(blue[row])
    assert cols.tolist() == list(range(25, 225)) + list(range(275, 475))


def test_categorized_colours_match_the_legend(small_ws):
    from lzt.export.legend import legend_items
    from lzt.render.request import snapshot_layers

    ext = (X0 - 50, Y0 - 50, X0 + 950, Y0 + 950)
    img, res = render_image(small_ws, ext, 500, 500, ["parcels"])
    a = _array(img)
    items = [i for i in legend_items(snapshot_layers(small_ws, ["parcels"]), res.layers) if i.kind == "swatch"]
    by_label = {i.label.split()[0]: i.symbol.fill for i in items}
    assert set(by_label) == {"R2", "B1", "G1"}  # only the classes drawn
    centres = {"R2": (X0 + 200, Y0 + 200), "B1": (X0 + 700, Y0 + 200), "G1": (X0 + 200, Y0 + 700)}
    for code, (x, y) in centres.items():
        col, row = int((x - ext[0]) / 2), int((ext[3] - y) / 2)
        want = tuple(int(by_label[code][i:i + 2], 16) for i in (1, 3, 5))
        assert tuple(a[row, col, :3]) == want, code


def test_dense_points_become_a_density_image(tmp_path):
    import geopandas as gpd

    from lzt.workspace import create_workspace

    ws = create_workspace(tmp_path / "d.gpkg")
    rng = np.random.default_rng(3)
    n = 30_000
    x = rng.normal(X0, 300, n)
    y = rng.normal(Y0, 300, n)
    ws.write_layer("pts", gpd.GeoDataFrame(geometry=shapely.points(x, y), crs="EPSG:4547"))
    style = st.LayerStyle(st.SingleRenderer(), density_above=10_000)
    img, res = render_image(ws, (X0 - 2000, Y0 - 2000, X0 + 2000, Y0 + 2000), 400, 400, ["pts"], {"pts": style})
    r = res.layers["pts"]
    assert r.mode == "density" and r.drawn == n
    a = _array(img)
    # the densest place is drawn near the centre, the corners stay background
    centre = a[190:210, 190:210, :3].astype(int)
    assert np.abs(centre - 255).sum(axis=2).mean() > 100
    assert (a[:20, :20, :3] == 255).all()
    small = st.LayerStyle(st.SingleRenderer(), density_above=100_000)
    _, res2 = render_image(ws, (X0 - 2000, Y0 - 2000, X0 + 2000, Y0 + 2000), 400, 400, ["pts"], {"pts": small})
    assert res2.layers["pts"].mode == "features"
    ws.close()


def test_scale_dependent_visibility(small_ws):
    hidden_far = st.LayerStyle(st.SingleRenderer(), min_scale=5_000)
    ext = (X0, Y0, X0 + 1000, Y0 + 1000)
    _, res = render_image(small_ws, ext, 100, 100, ["parcels"], {"parcels": hidden_far})  # about 1:37800
    assert res.layers["parcels"].mode == "hidden"
    _, res = render_image(small_ws, ext, 2000, 2000, ["parcels"], {"parcels": hidden_far})  # about 1:1900
    assert res.layers["parcels"].drawn == 3


def test_complaint_labels_are_masked(small_ws, tmp_path):
    from PySide6.QtCore import QRectF

    from lzt.render import draw_map
    from lzt.render.pdf import PdfPages
    from tests.pdftools import Pdf

    style = st.LayerStyle(st.SingleRenderer(), labels=st.LabelStyle("citizen_name", size=4), density_above=10)
    out = tmp_path / "m.pdf"
    with PdfPages(out, "A4") as doc:
        draw_map(doc.painter, doc.rect_mm(10, 10, 150, 150), small_ws, (X0, Y0, X0 + 1000, Y0 + 1000),
                 ["complaints"], {"complaints": style})
        assert isinstance(doc.rect_mm(0, 0, 1, 1), QRectF)
    text = Pdf(out).text()
    assert "张*丰" in text
    assert "张三丰" not in text


def test_labels_avoid_each_other():
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    from lzt.render.fonts import ensure_fonts
    from lzt.render.labels import LabelCandidate, place_labels

    ensure_fonts()
    img = QImage(400, 200, QImage.Format.Format_ARGB32)
    img.fill(0)
    p = QPainter(img)
    lab = st.LabelStyle("name", size=4)
    cands = [LabelCandidate(200, 100, f"标注{i}", float(i), lab) for i in range(20)]
    n = place_labels(p, cands, QRectF(0, 0, 400, 200), 96)
    p.end()
    assert n == 5  # centre, above, below, right, left of the anchor; the other 15 collide


def test_labels_of_layers_derived_from_complaints_mask_a_callers_name_in_the_text(small_ws, tmp_path):
    """Points and polygons, labelled by free text, kind 'analysis'/'vector': masked by lineage."""
    import geopandas as gpd
    import shapely

    from lzt.render import draw_map
    from lzt.render.pdf import PdfPages
    from lzt.workspace.personal import lineage
    from tests.pdftools import Pdf

    calls = gpd.GeoDataFrame({"content": ["王秀英反映噪声", "欧阳小明反映138 1234 1234"],
                              "citizen_name": ["王秀英", "欧阳小明"], "citizen_phone": ["13900001111", "13812341234"]},
                             geometry=shapely.points([X0 + 100, X0 + 600], [Y0 + 100, Y0 + 600]), crs="EPSG:4547")
    small_ws.write_layer("calls", calls, kind="complaints")
    small_ws.write_layer("result", small_ws.read_features("calls"), kind="analysis",
                         details=lineage(small_ws, ["calls"]))
    areas = small_ws.read_features("calls")
    areas = areas.set_geometry(areas.buffer(150))
    small_ws.write_layer("areas", areas, details=lineage(small_ws, ["calls"]))
    label = st.LabelStyle("content", size=4)
    styles = {"result": st.LayerStyle(st.SingleRenderer(), labels=label, density_above=10),
              "areas": st.LayerStyle(st.SingleRenderer(st.Symbol(fill=None, stroke="#000000")), labels=label)}
    for name in styles:
        out = tmp_path / f"{name}.pdf"
        with PdfPages(out, "A4") as doc:
            draw_map(doc.painter, doc.rect_mm(10, 10, 150, 150), small_ws, (X0, Y0, X0 + 1000, Y0 + 1000),
                     [name], {name: styles[name]})
        text = Pdf(out).text().replace("\n", "").replace(" ", "")
        assert "王*英反映噪声" in text, name
        if name == "result":
            assert "欧**明反映138****1234" in text
        assert "王秀英" not in text and "欧阳小明" not in text and "12341234" not in text, name


def test_area_labels_of_a_view_inside_them_go_to_the_corner_not_the_centre(demo_path):
    """At 1:2,000 inside a community the district, street and community all hold the whole view:
    their names line up in the top-left corner (outer first), not stacked over the centre."""
    from shapely.ops import polylabel

    from lzt.workspace import open_workspace

    ws = open_workspace(demo_path)
    try:
        comm = ws.read_features("communities")
        geom = comm.geometry.iloc[int(comm.geometry.area.argmax())]
        part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        centre = polylabel(part, 1.0)
        w, h, dpi = 800, 600, 96.0
        half_w, half_h = w / 2 * 2000 * 0.0254 / dpi, h / 2 * 2000 * 0.0254 / dpi
        assert part.exterior.distance(centre) > max(half_w, half_h) * 1.5  # the view lies inside it
        extent = (centre.x - half_w, centre.y - half_h, centre.x + half_w, centre.y + half_h)
        img, result = render_image(ws, extent, w, h, layers=["district", "streets", "communities"], dpi=dpi)
    finally:
        ws.close()
    assert result.labels == 3
    a = np.frombuffer(img.constBits(), np.uint8).reshape(h, img.bytesPerLine() // 4, 4)[:, :w, :3].astype(int)
    ink = (a < 200).any(axis=2)  # the layers have no fill: anything not white is a label
    assert not ink[h // 4: 3 * h // 4, w // 4: 3 * w // 4].any()  # nothing over the centre
    rows = np.flatnonzero(ink[:, : w // 3].any(axis=1))
    assert len(rows) and rows.max() < h // 3 and ink[: h // 3, : w // 3].sum() == ink.sum()
    bands = np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1)  # one line of text per area
    assert len(bands) == 3
