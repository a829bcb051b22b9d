"""A DEM imported into the workspace is drawn through its colour ramp, where it lies."""

import numpy as np
import pytest

from lzt.render import render_image
from lzt.render import style as st
from lzt.render.colors import ramp_color

X0, Y0 = 520_000.0, 2_510_000.0


@pytest.fixture
def dem_ws(tmp_path):
    import rasterio
    from rasterio.transform import from_origin

    from lzt.ingest import import_paths
    from lzt.workspace import create_workspace

    z = np.tile(np.linspace(0, 900, 200, dtype=np.float32), (100, 1))  # rising eastwards, 0 .. 900 m
    tif = tmp_path / "dem.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=200, height=100, count=1, dtype="float32",
                       crs="EPSG:4547", transform=from_origin(X0, Y0 + 1000, 10, 10), nodata=-9999) as ds:
        ds.write(z, 1)
    ws = create_workspace(tmp_path / "ws.gpkg")
    import_paths(ws, [tif])
    yield ws
    ws.close()


def test_dem_colour_ramp_where_the_raster_lies(dem_ws):
    name = dem_ws.layers()[0].name
    flat = st.LayerStyle(st.RasterRenderer(hillshade=False))
    # 2000 x 1000 m over 200 x 100 px: one raster cell per pixel, plus 10 px of margin each side
    ext = (X0 - 100, Y0 - 100, X0 + 2100, Y0 + 1100)
    img, res = render_image(dem_ws, ext, 220, 120, [name], {name: flat}, background="#000000")
    assert res.layers[name].mode == "raster"
    r = flat.renderer
    for col, z in ((12, 900 * 2.5 / 199), (110, 900 * 100.5 / 199), (207, 900 * 197.5 / 199)):
        got = img.pixelColor(col, 60)
        want = ramp_color(r.stops, z)
        assert abs(got.red() - int(want[1:3], 16)) <= 12 and abs(got.green() - int(want[3:5], 16)) <= 12, (col, z)
    outside = img.pixelColor(3, 60)
    assert (outside.red(), outside.green(), outside.blue()) == (0, 0, 0)


def test_hillshade_darkens_slopes_facing_away(dem_ws):
    name = dem_ws.layers()[0].name
    ext = (X0, Y0, X0 + 2000, Y0 + 1000)
    plain, _ = render_image(dem_ws, ext, 200, 100, [name], {name: st.LayerStyle(st.RasterRenderer(hillshade=False))})
    shaded, _ = render_image(dem_ws, ext, 200, 100, [name], {name: st.LayerStyle(st.RasterRenderer(hillshade=True))})
    # slope 900 m over 1990 m rising east (faces west), sun at azimuth 315, altitude 45:
    # shade = (sin 45 + g cos 45 sin 45) / sqrt(1 + g^2) with g = 900/1990; colour x (0.35 + 0.65 shade)
    g = 900 / 1990
    shade = (np.sin(np.pi / 4) + g * np.cos(np.pi / 4) * np.sin(np.pi / 4)) / np.sqrt(1 + g * g)
    a, b = plain.pixelColor(100, 50), shaded.pixelColor(100, 50)
    for ca, cb in ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue())):
        assert cb == pytest.approx(ca * (0.35 + 0.65 * shade), abs=3)
