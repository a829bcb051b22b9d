"""A layer's attribute filter (the dashboard's time window) limits what the renderer draws."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from lzt.core.filters import Compare
from lzt.render.cache import source_for
from lzt.render.job import render_to_image
from lzt.render.request import make_request, snapshot_layers


def test_where_limits_points_and_polygons(ws):
    rng = np.random.default_rng(3)
    x, y = rng.uniform(510_000, 511_000, 400), rng.uniform(2_510_000, 2_511_000, 400)
    month = np.where(np.arange(400) < 100, "2025-01", "2025-02")
    ws.write_layer("pts", gpd.GeoDataFrame({"m": month}, geometry=shapely.points(x, y), crs=ws.crs))
    boxes = [shapely.box(510_000 + i * 100, 2_510_000, 510_090 + i * 100, 2_510_900) for i in range(10)]
    ws.write_layer("polys", gpd.GeoDataFrame({"k": np.arange(10)}, geometry=boxes, crs=ws.crs))
    ext = (509_900, 2_509_900, 511_100, 2_511_100)
    base = make_request(ws, ext, 400, 400, layers=["polys", "pts"])
    _, all_drawn = render_to_image(base, source_for(ws))
    filters = {"pts": Compare("m", "=", "2025-01"), "polys": Compare("k", "<", 3)}
    req = make_request(ws, ext, 400, 400, layers=["polys", "pts"])
    req = type(req)(req.extent, req.width, req.height, req.dpi,
                    snapshot_layers(ws, ["polys", "pts"], None, filters), req.background)
    _, some = render_to_image(req, source_for(ws))
    assert all_drawn.layers["pts"].drawn == 400 and some.layers["pts"].drawn == 100
    assert all_drawn.layers["polys"].drawn == 10 and some.layers["polys"].drawn == 3
