import json

import numpy as np
import pytest

from lzt.render import style as st


def _all_renderers():
    sym = st.Symbol(fill="#ff000080", stroke="#000000", stroke_width=0.3, size=2.0, marker="square")
    return [
        st.SingleRenderer(sym),
        st.CategorizedRenderer("k", (st.Category("a", "甲", sym), st.Category(3, "三", st.Symbol())), other=sym),
        st.GraduatedRenderer("n", (st.ClassBreak(0, 10, "0-10", sym), st.ClassBreak(10, 20, "10-20", st.Symbol()))),
        st.RampRenderer("height_m", ((0.0, "#ffffff"), (100.0, "#ff0000")), label="高度"),
        st.HeatmapRenderer(radius=2.5, cell=50.0),
        st.RasterRenderer(hillshade=False, azimuth=300.0),
        st.landuse_renderer(),
    ]


@pytest.mark.parametrize("renderer", _all_renderers(), ids=lambda r: r.type)
def test_json_round_trip(renderer):
    style = st.LayerStyle(renderer, labels=st.LabelStyle("name", size=3.0, min_scale=5000), opacity=0.5,
                          min_scale=100_000, max_scale=500, z=7, title="图层")
    text = json.dumps(st.style_to_dict(style), ensure_ascii=False)
    assert st.style_from_dict(json.loads(text)) == style


def test_scale_visibility():
    s = st.LayerStyle(min_scale=50_000, max_scale=1_000)
    assert s.visible_at(10_000)
    assert not s.visible_at(60_000)  # zoomed out beyond 1:50000
    assert not s.visible_at(500)  # zoomed in beyond 1:1000
    assert not st.LayerStyle(visible=False).visible_at(10_000)


def test_styles_travel_with_the_workspace(small_ws, tmp_path):
    from lzt.workspace import open_workspace

    mine = st.LayerStyle(st.SingleRenderer(st.Symbol(fill="#123456")), opacity=0.4, z=3)
    st.save_styles(small_ws, {"poi": mine})
    path = small_ws.uri
    small_ws.close()
    ws = open_workspace(path)
    try:
        assert st.load_styles(ws) == {"poi": mine}
        both = st.styles_for(ws)
        assert both["poi"] == mine
        # parcels have no saved style: the GB 50137 land-use default, keyed by landuse_code
        assert isinstance(both["parcels"].renderer, st.CategorizedRenderer)
        assert both["parcels"].renderer.field == "landuse_code"
    finally:
        ws.close()


def test_landuse_colours_by_major_class():
    r = st.landuse_renderer(["R2", "B1", "G1", "M0"])
    cols = {c.value: c.symbol.fill for c in r.categories}
    assert cols["R2"] == st.LANDUSE_COLOURS["R2"][1]
    assert cols["M0"] == st.LANDUSE_COLOURS["M0"][1]
    assert len(set(cols.values())) == 4


def test_graduated_breaks_from_counts():
    counts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50]
    q = st.graduated("count", counts, 4)
    assert len(q.classes) == 4
    assert q.classes[0].lower == 0 and q.classes[-1].upper == 50
    assert [c.lower for c in q.classes[1:]] == [c.upper for c in q.classes[:-1]]
    e = st.graduated("count", counts, 5, method="equal")
    assert [c.lower for c in e.classes] == [0, 10, 20, 30, 40]
    fills = [c.symbol.fill for c in e.classes]
    assert fills[0] == "#fee5d9ff" and fills[-1] == "#a50f15ff" and len(set(fills)) == 5


def test_graduated_choropleth_colours_each_polygon_by_its_class(small_ws):
    import geopandas as gpd
    import numpy as np
    import shapely

    from lzt.render import render_image
    from tests.render.conftest import X0, Y0

    polys = gpd.GeoDataFrame({"count": [1, 20, 300]},
                             geometry=[shapely.box(X0 + 1000 * i, Y0, X0 + 1000 * i + 900, Y0 + 900) for i in range(3)],
                             crs="EPSG:4547")
    small_ws.write_layer("communities", polys)
    ren = st.graduated("count", [1, 20, 300], 3)
    img, res = render_image(small_ws, (X0 - 50, Y0 - 1050, X0 + 2950, Y0 + 1950), 300, 300, ["communities"],
                            {"communities": st.LayerStyle(ren)})
    assert res.layers["communities"].classes == {0, 1, 2}
    for i, cls in enumerate(ren.classes):
        px = img.pixelColor(int((1000 * i + 450 + 50) / 10), int((1950 - 450) / 10))
        assert "#%02x%02x%02x" % (px.red(), px.green(), px.blue()) == cls.symbol.fill[:7]
    del np


def test_a_gi_star_grid_is_styled_by_its_class_hot_red_cold_blue():
    from lzt.analysis.hotspots import HOTSPOT_CLASSES, hotspot_class
    from lzt.render.colors import rgba

    style = st.default_style("热点_200m", "analysis", "Polygon", {"count": "INTEGER", "gi_z": "REAL", "hotspot": "TEXT"})
    ren = style.renderer
    assert isinstance(ren, st.CategorizedRenderer) and ren.field == "hotspot"
    assert [c.value for c in ren.categories] == list(HOTSPOT_CLASSES)
    by = {c.value: rgba(c.symbol.fill) for c in ren.categories}
    z = [3.0, 2.0, 0.0, -2.0, -3.0]  # one z-score per class, hottest first
    for value, cls in zip(z, hotspot_class(np.array(z))):
        r, g, b, a = by[str(cls)]
        if value > 1.96:
            assert r > b + 60 and a > 150
        elif value < -1.96:
            assert b > r + 60 and a > 150
        else:
            assert a < 100  # not significant: faint


def test_doorplates_are_small_and_shown_only_at_street_scales():
    style = st.default_style("doorplates", "vector", "Point",
                          {"doorplate": "TEXT", "road": "TEXT", "number": "INTEGER", "compound": "TEXT"})
    assert style.title == "门牌"
    assert style.min_scale == 5_000 and style.labels.field == "number" and style.labels.min_scale == 1_500
    other = st.default_style("poi", "vector", "Point", {"name": "TEXT"})
    assert other.min_scale == 25_000 and other.title == "poi"


def _classify_per_value(renderer, values) -> np.ndarray:
    """The categorized classes worked out value by value (as before values were factorized)."""
    import pandas as pd

    lookup = {}
    for i, c in enumerate(renderer.categories):
        lookup.setdefault(str(c.value), i)
    s = pd.Series(values, dtype=object).astype(str).where(pd.notna(pd.Series(values, dtype=object)), "")
    m = s.map(lookup)
    if renderer.prefix_match and m.isna().any():
        for k in (3, 2, 1):
            miss = m.isna()
            if not miss.any():
                break
            m[miss] = s[miss].str[:k].map(lookup)
    idx = m.fillna(-1).to_numpy(np.int64)
    if renderer.other is not None:
        idx = np.where(idx < 0, len(renderer.categories), idx)
    return idx


def test_categorized_classes_by_distinct_value_match_value_by_value():
    from lzt.render.classify import classify
    from lzt.render.style import CategorizedRenderer, Category, Symbol

    rng = np.random.default_rng(7)
    sym = Symbol(fill="#ff0000")
    cats = tuple(Category(v, str(v), sym) for v in ("R", "R2", "M1", "G", "1", "1.5", "True", ""))
    columns = [
        rng.choice(np.array(["R2", "R21", "M1", "M12", "G1", "B", None, "", "A3"], dtype=object), 5000),
        rng.choice(np.array([1, 2, 1.5, np.nan], dtype=object), 5000),  # 1 and 1.0 would be one factor
        np.array([1, 1.0, True, "1", None, float("nan"), "R2x", "M"], dtype=object),
        rng.integers(0, 4, 3000).astype(float),
        np.array([], dtype=object),
    ]
    for prefix in (False, True):
        for other in (None, sym):
            ren = CategorizedRenderer("f", cats, other=other, prefix_match=prefix)
            for values in columns:
                idx, _, _ = classify(ren, {"f": values}, len(values))
                assert np.array_equal(idx, _classify_per_value(ren, values)), (prefix, other, values[:8])
