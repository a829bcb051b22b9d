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


# -- DEMs stored in another CRS are drawn in the workspace CRS ------------------------------------
GREY = ((0.0, "#000000"), (600.0, "#ffffff"))  # grey level = height / 600 m * 255


def _rgba(img):
    from PySide6.QtGui import QImage

    img = img.convertToFormat(QImage.Format.Format_RGBA8888)
    buf = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes())
    return buf.reshape(img.height(), img.bytesPerLine())[:, : img.width() * 4].reshape(
        img.height(), img.width(), 4).copy()


def _reference_warp(tif, extent, width, height):
    """Heights on the image grid by rasterio's own warp of the source file (NaN = no data)."""
    import rasterio
    from rasterio.transform import Affine
    from rasterio.warp import Resampling, reproject

    x0, y0, x1, y1 = extent
    out = np.full((height, width), np.nan, np.float32)
    with rasterio.open(tif) as src:
        reproject(src.read(1), out, src_transform=src.transform, src_crs=src.crs, src_nodata=src.nodata,
                  dst_transform=Affine((x1 - x0) / width, 0, x0, 0, -(y1 - y0) / height, y1), dst_crs="EPSG:4547",
                  dst_nodata=np.nan, resampling=Resampling.bilinear)
    return out


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:32650"])
def test_dem_in_another_crs_lands_where_an_independent_warp_puts_it(tmp_path, crs):
    from tests.dems import dem_workspace

    ws = dem_workspace(tmp_path, crs, "hill")
    try:
        ext, w, h = (518_000.0, 2_507_000.0, 532_000.0, 2_519_000.0), 467, 400  # ~30 m per pixel
        img, res = render_image(ws, ext, w, h, ["srtm"], {"srtm": st.LayerStyle(st.RasterRenderer(GREY, hillshade=False))},
                                background="#ff0000")
        assert res.layers["srtm"].mode == "raster" and res.layers["srtm"].drawn > 0
        a = _rgba(img).astype(float)
        drawn = ~((a[..., 0] == 255) & (a[..., 1] == 0))
        got = a[..., 1] / 255 * 600
        ref = _reference_warp(tmp_path / "srtm.tif", ext, w, h)
        valid = ~np.isnan(ref)
        # the same footprint (a tilted quadrilateral for lon/lat and UTM): only edge pixels differ
        assert valid.mean() > 0.5 and (drawn != valid).mean() < 0.01
        inner = valid & np.roll(valid, 2, 0) & np.roll(valid, -2, 0) & np.roll(valid, 2, 1) & np.roll(valid, -2, 1)
        diff = np.abs(got - ref)[inner]
        assert diff.mean() < 2.5 and np.percentile(diff, 99) < 12  # grey steps are 2.35 m
        # the hill top: the centroid of the top 150 m, within half a pixel of rasterio's
        def top(z):
            rows, cols = np.nonzero(np.nan_to_num(z, nan=0) > np.nanmax(ref) - 150)
            return rows.mean(), cols.mean()
        assert np.allclose(top(np.where(drawn, got, np.nan)), top(ref), atol=0.5)
        # and rasterio puts that hill where it was made: 525000, 2512000
        r, c = top(ref)
        assert (ext[0] + (c + 0.5) * 30 - 525_000, ext[3] - (r + 0.5) * 30 - 2_512_000) == pytest.approx((0, 0), abs=30)
    finally:
        ws.close()


def test_hillshade_of_a_lonlat_dem_uses_metres(tmp_path):
    from tests.dems import SLOPE, dem_workspace

    ws = dem_workspace(tmp_path, "EPSG:4326", "plane")
    try:
        ext = (522_000.0, 2_510_000.0, 526_000.0, 2_513_000.0)
        stops = ((0.0, "#ffffff"), (9000.0, "#ffffff"))  # white everywhere: only the shade shows
        plain, _ = render_image(ws, ext, 400, 300, ["srtm"], {"srtm": st.LayerStyle(st.RasterRenderer(stops, hillshade=False))})
        shaded, _ = render_image(ws, ext, 400, 300, ["srtm"], {"srtm": st.LayerStyle(st.RasterRenderer(stops, hillshade=True))})
        # rising east at SLOPE metres per metre, so facing west, sun at azimuth 315, altitude 45
        g = SLOPE
        shade = (np.sin(np.pi / 4) + g * np.cos(np.pi / 4) * np.sin(np.pi / 4)) / np.sqrt(1 + g * g)
        a, b = _rgba(plain).astype(float), _rgba(shaded).astype(float)
        ratio = b[100:200, 100:300, :3] / a[100:200, 100:300, :3]
        assert ratio.mean() == pytest.approx(0.35 + 0.65 * shade, abs=0.01)
        assert ratio.std() < 0.01  # one slope, one shade: no seams between cells or tiles
        # a cell size taken in degrees would make the slope ~1e5 times steeper: shade -> 0.5
        assert abs(ratio.mean() - (0.35 + 0.65 * 0.5)) > 0.1
    finally:
        ws.close()


def test_level_is_read_in_tiles_around_the_view(tmp_path, monkeypatch):
    """A level is read in tiles around the view only; the tiled picture is the one-piece one,
    and a pan back reads no tile again."""
    from lzt.render import raster as rr
    from tests.dems import dem_workspace

    ws = dem_workspace(tmp_path, "EPSG:4326", "hill")
    try:
        ext = (523_000.0, 2_510_000.0, 527_000.0, 2_514_000.0)
        style = {"srtm": st.LayerStyle(st.RasterRenderer(GREY, hillshade=True))}
        monkeypatch.setattr(rr, "TILE", 100_000)
        rr.clear()
        whole, _ = render_image(ws, ext, 300, 300, ["srtm"], style)
        monkeypatch.setattr(rr, "TILE", 32)
        rr.clear()
        part, _ = render_image(ws, ext, 300, 300, ["srtm"], style)
        tiles = [v for k, v in rr._cache.items() if k[1] == "srtm"]
        assert len(tiles) > 4 and all(t.shape[0] <= 32 and t.shape[1] <= 32 for t in tiles)
        # the same picture, up to one colour level (GDAL's approximate transformer differs by
        # a few hundredths of a pixel between a tile and the whole)
        d = np.abs(_rgba(part).astype(int) - _rgba(whole).astype(int))
        assert d.max() <= 1 and (d > 0).mean() < 0.03
        read = rr.stats()["tiles_read"]
        render_image(ws, (525_000.0, 2_510_000.0, 529_000.0, 2_514_000.0), 300, 300, ["srtm"], style)
        moved = rr.stats()["tiles_read"]
        assert moved > read  # new tiles came into view
        render_image(ws, ext, 300, 300, ["srtm"], style)
        assert rr.stats()["tiles_read"] == moved  # back where we were: all from the cache
    finally:
        ws.close()


@pytest.mark.parametrize("kind", ["south_up", "rotated"])
def test_grids_that_are_not_north_up_are_drawn_where_they_lie(tmp_path, kind):
    """A south-up grid (row 0 in the south) and a rotated one, in the workspace CRS itself."""
    import rasterio
    from rasterio.transform import Affine

    from lzt.ingest import import_paths
    from lzt.workspace import create_workspace

    z = np.add.outer(np.arange(60, dtype=np.float32) * 5, np.arange(80, dtype=np.float32) * 3)  # 0 .. 532 m
    t = Affine(20, 0, X0, 0, 20, Y0) if kind == "south_up" else \
        Affine.translation(X0, Y0 + 1200) @ Affine.rotation(-20) @ Affine.scale(20, -20)
    tif = tmp_path / f"{kind}.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=80, height=60, count=1, dtype="float32", crs="EPSG:4547",
                       transform=t, nodata=-9999) as ds:
        ds.write(z, 1)
    ws = create_workspace(tmp_path / "ws.gpkg")
    try:
        import_paths(ws, [tif])
        ext, w, h = (X0 - 200, Y0 - 200, X0 + 2200, Y0 + 1800), 240, 200  # 10 m per pixel
        img, _ = render_image(ws, ext, w, h, [kind], {kind: st.LayerStyle(st.RasterRenderer(GREY, hillshade=False))},
                              background="#ff0000")
        a = _rgba(img).astype(float)
        drawn = ~((a[..., 0] == 255) & (a[..., 1] == 0))
        ref = _reference_warp(tif, ext, w, h)
        valid = ~np.isnan(ref)
        assert valid.mean() > 0.2 and (drawn != valid).mean() < 0.02
        inner = valid & np.roll(valid, 3, 0) & np.roll(valid, -3, 0) & np.roll(valid, 3, 1) & np.roll(valid, -3, 1)
        assert np.abs(a[..., 1] / 255 * 600 - ref)[inner].mean() < 4  # 20 m cells drawn at 10 m pixels
    finally:
        ws.close()


def test_real_utm_raster_in_a_web_mercator_workspace(tmp_path, real_data):
    """rasterio's RGB.byte.tif (Landsat, UTM 18N, nodata 0) drawn in an EPSG:3857 workspace:
    band 1 where rasterio's own warp puts it."""
    from lzt.ingest import import_paths
    from lzt.workspace import create_workspace

    tif = real_data / "raster" / "RGB.byte.tif"
    ws = create_workspace(tmp_path / "merc.gpkg", "EPSG:3857")
    try:
        import_paths(ws, [tif])
        ext = ws.layer("RGB_byte").extent
        w, h = 300, int(300 * (ext[3] - ext[1]) / (ext[2] - ext[0]))
        grey = st.RasterRenderer(((0.0, "#000000"), (255.0, "#ffffff")), hillshade=False)
        img, _ = render_image(ws, ext, w, h, ["RGB_byte"], {"RGB_byte": st.LayerStyle(grey)}, background="#ff0000")
    finally:
        ws.close()
    import rasterio
    from rasterio.transform import Affine
    from rasterio.warp import Resampling, reproject

    from lzt.render.request import fit_extent

    x0, y0, x1, y1 = fit_extent(ext, w, h)
    ref = np.full((h, w), np.nan, np.float32)
    with rasterio.open(tif) as src:
        reproject(src.read(1).astype(np.float32), ref, src_transform=src.transform, src_crs=src.crs, src_nodata=0,
                  dst_transform=Affine((x1 - x0) / w, 0, x0, 0, -(y1 - y0) / h, y1), dst_crs="EPSG:3857",
                  dst_nodata=np.nan, resampling=Resampling.average)
    a = _rgba(img).astype(float)
    drawn = ~((a[..., 0] == 255) & (a[..., 1] == 0))
    valid = ~np.isnan(ref)
    assert 0.3 < valid.mean() < 0.9 and (drawn != valid).mean() < 0.02
    inner = valid & np.roll(valid, 2, 0) & np.roll(valid, -2, 0) & np.roll(valid, 2, 1) & np.roll(valid, -2, 1)
    diff = np.abs(a[..., 1] - ref)[inner]
    # 300 m Landsat pixels drawn at ~830 m: an overview (average) then bilinear vs one average
    assert np.median(diff) < 3 and diff.mean() < 8


def test_a_linked_raster_whose_file_is_gone_is_left_out_with_the_reason(tmp_path):
    """The map still draws (the other layers), the result names the missing file."""
    import rasterio
    from rasterio.transform import from_origin

    from lzt.ingest import ImportOptions, import_paths
    from lzt.workspace import create_workspace

    tif = tmp_path / "ortho.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=300, height=200, count=3, dtype="uint8", crs="EPSG:4547",
                       transform=from_origin(X0, Y0 + 200, 1, 1)) as ds:
        ds.write(np.full((3, 200, 300), 120, np.uint8))
    ws = create_workspace(tmp_path / "ws.gpkg")
    try:
        import_paths(ws, [tif], ImportOptions(link=True))
        ext = (X0, Y0, X0 + 300, Y0 + 200)
        _, res = render_image(ws, ext, 150, 100, ["ortho"])
        assert res.layers["ortho"].mode == "raster"
    finally:
        ws.close()
    tif.rename(tmp_path / "moved.tif")
    # a new process, as after a restart (GDAL keeps a linked file it has opened); at full
    # resolution (the pyramid beside the file would still serve coarser views)
    import subprocess
    import sys

    code = ("from lzt.workspace import open_workspace; from lzt.render import render_image; "
            f"ws = open_workspace({str(tmp_path / 'ws.gpkg')!r}); "
            f"r = render_image(ws, {ext!r}, 300, 200, ['ortho'])[1].layers['ortho']; print(r.mode, r.error)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("unreadable") and str(tif) in out.stdout
