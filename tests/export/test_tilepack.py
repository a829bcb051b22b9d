"""lzt tiles: packages checked by independent readers (sqlite3 + Pillow, GDAL through rasterio)
against the source's colours, MBTiles metadata per the 1.3 spec, resuming, and bad input."""

from __future__ import annotations

import hashlib
import io
import sqlite3

import numpy as np
import pytest
from PIL import Image
from pyproj import Transformer

from lzt.core.errors import CancelledError, LztInputError
from lzt.core.feedback import Feedback
from tests.tile_sources import SIZE, X0, Y1, block_centres, colour_at, write_blocky

O = 20037508.342789244
TO_3857 = Transformer.from_crs("EPSG:4547", "EPSG:3857", always_xy=True)
TO_LONLAT = Transformer.from_crs("EPSG:4547", "EPSG:4326", always_xy=True)
EXTENT = (X0 + 150, Y1 - SIZE + 150, X0 + SIZE - 150, Y1 - 150)
EXT = ",".join(str(v) for v in EXTENT)


@pytest.fixture
def img_ws(ws, tmp_path):
    from lzt.ingest import ImportOptions, import_paths

    import_paths(ws, [write_blocky(tmp_path / "ortho.tif")], ImportOptions(layer="ortho", link=False))
    return ws


def _build(ws, out, levels=(12, 15), extent=EXTENT, **kw):
    from lzt.export.tilepack import build_package, plan_package, raster_layer_source

    src = raster_layer_source(ws, "ortho")
    plan = plan_package(src, extent, ws.crs, levels, out, tile_format=kw.pop("tile_format", "png"))
    return build_package(src, plan, **kw)


def _xyz(x, y, z):
    """Tile and pixel of an EPSG:4547 point at level z (the XYZ scheme, computed here)."""
    mx, my = TO_3857.transform(x, y)
    res = 2 * O / 256 / 2 ** z
    px, py = (mx + O) / res, (O - my) / res
    return int(px // 256), int(py // 256), int(px % 256), int(py % 256)


def _mbtile(con, z, tx, ty):
    row = con.execute("SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                      (z, tx, 2 ** z - 1 - ty)).fetchone()
    return None if row is None else np.asarray(Image.open(io.BytesIO(row[0])).convert("RGBA"))


def test_mbtiles_pixels_match_the_source(img_ws, tmp_path):
    out = tmp_path / "ortho.mbtiles"
    rep = _build(img_ws, out)
    assert out.exists() and not (tmp_path / "ortho.mbtiles.part").exists()
    con = sqlite3.connect(out)
    checked = 0
    for z in (14, 15):  # pixels of 9.6 m / 4.8 m (3857): a 100 m block's centre is well inside it
        for x, y in block_centres():
            if not (EXTENT[0] < x < EXTENT[2] and EXTENT[1] < y < EXTENT[3]):
                continue
            tx, ty, c, r = _xyz(x, y, z)
            tile = _mbtile(con, z, tx, ty)
            assert tile is not None, (z, tx, ty)
            assert tuple(tile[r, c, :3]) == colour_at(x, y) and tile[r, c, 3] == 255, (z, x, y)
            checked += 1
    assert checked >= 40
    # every tile of the extent is there at the finest level, and nothing beyond the levels asked for
    (lo, hi), = con.execute("SELECT min(zoom_level), max(zoom_level) FROM tiles").fetchall()
    assert (lo, hi) == (12, 15)
    tx0, ty0, *_ = _xyz(EXTENT[0], EXTENT[3], 15)
    tx1, ty1, *_ = _xyz(EXTENT[2], EXTENT[1], 15)
    n15 = con.execute("SELECT count(*) FROM tiles WHERE zoom_level = 15").fetchone()[0]
    assert n15 == (tx1 - tx0 + 1) * (ty1 - ty0 + 1)
    assert rep.tiles_written == con.execute("SELECT count(*) FROM tiles").fetchone()[0]
    assert {r[0] for r in con.execute("SELECT name FROM sqlite_master")} >= {"metadata", "tiles"}
    assert not [r for r in con.execute("SELECT name FROM sqlite_master WHERE name LIKE 'lzt_%'")]


def test_mbtiles_metadata_follows_the_spec(img_ws, tmp_path):
    import rasterio

    out = tmp_path / "ortho.mbtiles"
    assert _cli(img_ws.uri, "ortho", "--extent", EXT, "--levels", "12-15", out, "--attribution", "龙岗区测绘") == 0
    meta = dict(sqlite3.connect(out).execute("SELECT name, value FROM metadata"))
    assert meta["name"] == "ortho" and meta["format"] == "png"
    assert (meta["minzoom"], meta["maxzoom"]) == ("12", "15")
    w, s, e, n = map(float, meta["bounds"].split(","))
    lons, lats = TO_LONLAT.transform([EXTENT[0], EXTENT[2], EXTENT[0], EXTENT[2]],
                                     [EXTENT[1], EXTENT[1], EXTENT[3], EXTENT[3]])
    assert w <= min(lons) and e >= max(lons) and s <= min(lats) and n >= max(lats)
    assert e - w < 0.03 and n - s < 0.03  # the extent, not the world
    lon, lat, z = meta["center"].split(",")
    assert w < float(lon) < e and s < float(lat) < n and 12 <= int(z) <= 15
    assert "ortho" in meta["source"] and meta["attribution"] == "龙岗区测绘"
    with rasterio.open(out) as ds:  # GDAL's MBTiles driver reads it
        assert ds.driver == "MBTiles" and ds.crs.to_epsg() == 3857 and len(ds.overviews(1)) >= 1


def test_gpkg_tiles_are_read_by_gdal(img_ws, tmp_path):
    import rasterio

    out = tmp_path / "ortho.gpkg"
    _build(img_ws, out, levels=(13, 15))
    with rasterio.open(out) as ds:
        assert ds.driver == "GPKG" and ds.crs.to_epsg() == 3857
        assert abs(ds.res[0] - 2 * O / 256 / 2 ** 15) < 1e-6
        assert len(ds.overviews(1)) >= 1  # level 14 (GDAL leaves out levels of a few pixels)
        for x, y in block_centres():
            if EXTENT[0] < x < EXTENT[2] and EXTENT[1] < y < EXTENT[3]:
                mx, my = TO_3857.transform(x, y)
                r, c = ds.index(mx, my)
                px = ds.read(window=((r, r + 1), (c, c + 1)))[:, 0, 0]
                assert tuple(px[:3]) == colour_at(x, y) and px[3] == 255
    con = sqlite3.connect(out)
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert con.execute("SELECT data_type, srs_id FROM gpkg_contents").fetchall() == [("tiles", 3857)]


def test_jpeg_tiles(img_ws, tmp_path):
    out = tmp_path / "ortho.mbtiles"
    _build(img_ws, out, levels=(15, 15), tile_format="jpg")
    con = sqlite3.connect(out)
    assert dict(con.execute("SELECT name, value FROM metadata"))["format"] == "jpg"
    data = con.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()[0]
    assert data[:3] == b"\xff\xd8\xff"
    x, y = block_centres()[len(block_centres()) // 2]
    tx, ty, c, r = _xyz(x, y, 15)
    tile = _mbtile(con, 15, tx, ty)
    assert np.abs(tile[r, c, :3].astype(int) - colour_at(x, y)).max() <= 6  # lossy, but close


def _tiles(path):
    con = sqlite3.connect(path)
    table = "tiles" if str(path).endswith(".mbtiles") else \
        '"%s"' % con.execute("SELECT table_name FROM gpkg_contents").fetchone()[0]
    return {(z, x, y): hashlib.md5(d).hexdigest()
            for z, x, y, d in con.execute(f"SELECT zoom_level, tile_column, tile_row, tile_data FROM {table}")}


class _StopAfter(Feedback):
    def __init__(self, calls):
        super().__init__()
        self.calls = calls

    def progress(self, done, total, message=""):
        self.calls -= 1
        if self.calls == 0:
            self.cancel()


@pytest.mark.parametrize("suffix", [".mbtiles", ".gpkg"])
def test_cancel_leaves_no_output_and_the_same_command_resumes(img_ws, tmp_path, suffix):
    out = tmp_path / f"ortho{suffix}"
    with pytest.raises(CancelledError):
        _build(img_ws, out, levels=(12, 17), feedback=_StopAfter(3))
    part = tmp_path / f"ortho{suffix}.part"
    assert not out.exists() and part.exists()
    rep = _build(img_ws, out, levels=(12, 17))
    assert rep.resumed_tiles > 0 and out.exists() and not part.exists()
    fresh = tmp_path / f"fresh{suffix}"
    _build(img_ws, fresh, levels=(12, 17))
    assert _tiles(out) == _tiles(fresh)


def test_a_partial_file_of_another_job_is_not_resumed(img_ws, tmp_path):
    out = tmp_path / "ortho.mbtiles"
    with pytest.raises(CancelledError):
        _build(img_ws, out, levels=(16, 17), feedback=_StopAfter(2))
    rep = _build(img_ws, out, levels=(12, 15))
    assert rep.resumed_tiles == 0
    assert _tiles(out) == _tiles(_build(img_ws, tmp_path / "f.mbtiles").out)


def test_dem_tiles_are_drawn_in_its_style_and_transparent_outside(ws, tmp_path):
    import rasterio
    from rasterio.transform import from_origin

    from lzt.export.tilepack import build_package, plan_package, raster_layer_source
    from lzt.ingest import ImportOptions, import_paths

    z = np.add.outer(np.linspace(300, 0, 200), np.zeros(200)).astype("float32")  # high in the north
    with rasterio.open(tmp_path / "dem.tif", "w", driver="GTiff", width=200, height=200, count=1,
                       dtype="float32", crs="EPSG:4547", transform=from_origin(X0, Y1, 10, 10), nodata=-9999) as d:
        d.write(z, 1)
    import_paths(ws, [tmp_path / "dem.tif"], ImportOptions(layer="dem"))
    src = raster_layer_source(ws, "dem")
    plan = plan_package(src, (X0 - 1000, Y1 - 3000, X0 + 3000, Y1 + 1000), ws.crs, (14, 14), tmp_path / "d.mbtiles")
    build_package(src, plan)
    con = sqlite3.connect(tmp_path / "d.mbtiles")
    north, south = (X0 + 1000, Y1 - 100), (X0 + 1000, Y1 - 1900)
    outside = (X0 - 300, Y1 - 1000)
    px = {}
    for name, (x, y) in {"north": north, "south": south, "outside": outside}.items():
        tx, ty, c, r = _xyz(x, y, 14)
        tile = _mbtile(con, 14, tx, ty)
        px[name] = None if tile is None else tile[r, c]
    assert px["north"][3] == 255 and px["south"][3] == 255
    assert px["outside"] is None or px["outside"][3] == 0
    assert tuple(px["north"][:3]) != tuple(px["south"][:3])  # the ramp, not one colour


def test_levels_and_extent_parsing():
    from lzt.export.tilepack.grid import parse_extent, parse_levels, tile_range

    assert parse_levels("10-16") == (10, 16) and parse_levels("12") == (12, 12)
    for bad in ("16-10", "abc", "10-30", "-3", "1-2-3"):
        with pytest.raises(LztInputError):
            parse_levels(bad)
    for bad in ("1,2,3", "5,5,1,1", "a,b,c,d", "1,2,3,nan"):
        with pytest.raises(LztInputError):
            parse_extent(bad)
    # the whole world at level 2 is 4 x 4 tiles
    r = tile_range(2, (-O, -O, O, O))
    assert (r.x0, r.y0, r.x1, r.y1, r.count) == (0, 0, 3, 3, 16)


# -- the command ----------------------------------------------------------------------------------
def _cli(*argv):
    from lzt.cli.main import main

    return main(["tiles", *map(str, argv)])


def test_cli_builds_with_an_estimate_first(img_ws, tmp_path, capsys):
    out = tmp_path / "p.mbtiles"
    assert _cli(img_ws.uri, "ortho", "--extent", EXT, "--levels", "12-14", out) == 0
    text = capsys.readouterr().out
    assert "估计" in text and "已生成" in text and out.exists()
    est = text.splitlines()[0]
    n = int(est.split("共 ")[1].split(" 块")[0].replace(",", ""))
    assert n == len(_tiles(out))  # the blocky image fills its extent: no empty tile is skipped
    assert _cli(img_ws.uri, "ortho", "--extent", EXT, "--levels", "12-14", tmp_path / "e.mbtiles", "--estimate") == 0
    assert not (tmp_path / "e.mbtiles").exists()


@pytest.mark.parametrize("args, words", [
    (("--extent", EXT, "--levels", "15-12"), "--levels"),
    (("--extent", EXT, "--levels", "10-40"), "--levels"),
    (("--extent", "1,2,3", "--levels", "12"), "--extent"),
    (("--extent", f"{X0 + 9e4},{Y1},{X0 + 9.1e4},{Y1 + 1e3}", "--levels", "12"), "does not overlap"),
    (("--extent", EXT, "--levels", "0-22"), "limit 1,000"),
])
def test_cli_refuses_bad_extent_and_levels(img_ws, tmp_path, capsys, monkeypatch, args, words):
    from lzt.export.tilepack import build

    monkeypatch.setattr(build, "MAX_TILES", 1000)
    out = tmp_path / "x.mbtiles"
    assert _cli(img_ws.uri, "ortho", *args, out) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err and "Traceback" not in err
    assert not out.exists() and not (tmp_path / "x.mbtiles.part").exists()


def test_cli_refuses_bad_sources_and_outputs(img_ws, tmp_path, capsys):
    import geopandas as gpd
    import shapely

    img_ws.write_layer("zones", gpd.GeoDataFrame(geometry=[shapely.box(*EXTENT)], crs="EPSG:4547"))
    cases = [("ortho", tmp_path / "x.png", "written as .mbtiles or .gpkg"),
             ("zones", tmp_path / "x.mbtiles", "is a vector layer"),
             ("nope", tmp_path / "x.mbtiles", "raster layers: ortho")]
    for source, out, words in cases:
        assert _cli(img_ws.uri, source, "--layer", "zones", "--levels", "12", out) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and words in err, err
    done = tmp_path / "done.mbtiles"
    done.write_bytes(b"x")
    assert _cli(img_ws.uri, "ortho", "--layer", "zones", "--levels", "12", done) == 2
    assert "already exists" in capsys.readouterr().err and done.read_bytes() == b"x"
    assert _cli(img_ws.uri, "ortho", "--layer", "zones", "--levels", "12", done, "--overwrite") == 0
    assert sqlite3.connect(done).execute("SELECT count(*) FROM tiles").fetchone()[0] > 0


def test_a_fetching_source_plugs_in_and_copies_tiles_unchanged(img_ws, tmp_path):
    """The shape a tile service takes (single tiles by z/x/y): here the tiles of a package,
    repackaged as a GeoPackage tile set, each tile decoded the same as the original."""
    from lzt.export.tilepack import FetchedTiles, TileSource, build_package, plan_package

    first = tmp_path / "first.mbtiles"
    _build(img_ws, first, levels=(14, 16))
    con = sqlite3.connect(first)

    def fetch(z, x, y):
        return _mbtile(con, z, x, y)

    src = FetchedTiles(fetch, name="copy", origin=str(first), attribution="测试")
    assert isinstance(src, TileSource)
    plan = plan_package(src, EXTENT, img_ws.crs, (14, 16), tmp_path / "copy.gpkg")
    rep = build_package(src, plan)
    assert rep.tiles_written == len(_tiles(first)) and rep.metadata["attribution"] == "测试"
    out = sqlite3.connect(tmp_path / "copy.gpkg")
    for z, x, y, data in out.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM copy"):
        assert (np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")) == _mbtile(con, z, x, y)).all()


def test_estimate_is_near_the_file_built(img_ws, tmp_path):
    from lzt.export.tilepack import build_package, estimate, plan_package, raster_layer_source

    src = raster_layer_source(img_ws, "ortho")
    plan = plan_package(src, EXTENT, img_ws.crs, (12, 17), tmp_path / "e.mbtiles")
    est = estimate(src, plan)
    assert est.tiles == plan.tiles and sum(est.per_level.values()) == plan.tiles
    build_package(src, plan)
    assert 0.5 < est.bytes / (tmp_path / "e.mbtiles").stat().st_size < 2.0


def test_ctrl_c_keeps_the_part_and_the_same_command_resumes(img_ws, tmp_path):
    """A real SIGINT to a running ``lzt tiles``: exit 130, one line naming OUT.part, no OUT; the
    same command then finishes from where it stopped."""
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "big.mbtiles"
    part = tmp_path / "big.mbtiles.part"
    img_ws.close()
    cmd = [sys.executable, "-m", "lzt", "tiles", str(tmp_path / "ws.gpkg"), "ortho", "--extent", EXT,
           "--levels", "12-19", str(out)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    deadline = time.monotonic() + 240
    done = 0
    while time.monotonic() < deadline and proc.poll() is None and done < 2:
        time.sleep(0.2)
        if part.exists():
            try:
                done = sqlite3.connect(f"file:{part}?mode=ro", uri=True).execute(
                    "SELECT count(*) FROM lzt_done").fetchone()[0]
            except sqlite3.Error:
                done = 0
    assert proc.poll() is None, "finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert "big.mbtiles.part" in err and "resume" in err and "Traceback" not in err
    assert part.exists() and not out.exists()
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    assert again.returncode == 0, again.stderr
    assert "续传" in again.stdout and out.exists() and not part.exists()
    n19 = sqlite3.connect(out).execute("SELECT count(*) FROM tiles WHERE zoom_level = 19").fetchone()[0]
    tx0, ty0, *_ = _xyz(EXTENT[0], EXTENT[3], 19)
    tx1, ty1, *_ = _xyz(EXTENT[2], EXTENT[1], 19)
    assert n19 == (tx1 - tx0 + 1) * (ty1 - ty0 + 1)


def test_cli_json(img_ws, tmp_path, capsys):
    import json

    out = tmp_path / "j.gpkg"
    assert _cli(img_ws.uri, "ortho", "--extent", EXT, "--levels", "13-14", out, "--json", "--estimate") == 0
    est = json.loads(capsys.readouterr().out)["estimate"]
    assert est["per_level"] == {"13": est["per_level"]["13"], "14": est["per_level"]["14"]} and not out.exists()
    assert _cli(img_ws.uri, "ortho", "--extent", EXT, "--levels", "13-14", out, "--json") == 0
    doc = json.loads(capsys.readouterr().out)
    rep = doc["report"]
    assert rep["driver"] == "GPKG" and rep["levels"] == [13, 14] and rep["tiles_written"] == est["tiles"]
    assert rep["bytes"] == out.stat().st_size and rep["metadata"]["minzoom"] == "13"
