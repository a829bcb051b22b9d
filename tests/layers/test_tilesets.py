"""Tile packages as layers: MBTiles and GeoPackage tile sets written by GDAL (an independent
writer) are recognised by content, linked, and read at the right zoom level in EPSG:4547."""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np
import pytest
import rasterio
from rasterio import shutil as rio_shutil
from rasterio.enums import Resampling

from layers import registry
from lzt.core.errors import LztInputError
from lzt.ingest import ImportOptions, import_paths
from tests.tile_sources import SIZE, X0, Y1, block_centres, colour_at, write_blocky


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """GDAL-written packages of the blocky orthophoto: MBTiles (3857, with overview levels), a
    GeoPackage tile set in EPSG:4547, and a GeoPackage with features and a tile set."""
    import geopandas as gpd
    import shapely

    d = tmp_path_factory.mktemp("packages")
    tif = write_blocky(d / "ortho.tif")
    with rasterio.open(write_blocky(d / "fine.tif", cell=1.25)) as src:  # level 17
        rio_shutil.copy(src, d / "ortho.mbtiles", driver="MBTiles", TILE_FORMAT="PNG", RESAMPLING="NEAREST")
    with rasterio.open(d / "ortho.mbtiles", "r+") as ds:
        ds.build_overviews([2, 4, 8], Resampling.nearest)
    with rasterio.open(tif) as src:
        rio_shutil.copy(src, d / "ortho_tiles.gpkg", driver="GPKG", RASTER_TABLE="ortho", TILE_FORMAT="PNG")
    gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.box(X0, Y1 - 500, X0 + 500, Y1)], crs="EPSG:4547") \
        .to_file(d / "mixed.gpkg", layer="zones", driver="GPKG")
    with rasterio.open(tif) as src:
        rio_shutil.copy(src, d / "mixed.gpkg", driver="GPKG", RASTER_TABLE="ortho", APPEND_SUBDATASET="YES",
                        TILE_FORMAT="PNG")
    return d


def test_sniff_tells_tile_packages_from_features(packages, tmp_path):
    assert registry.sniff(packages / "ortho.mbtiles") == ".mbtiles"
    assert registry.sniff(packages / "ortho_tiles.gpkg") == "gpkg-tiles"
    assert registry.sniff(packages / "mixed.gpkg") == ".gpkg"  # features first; --layer names its tile set
    renamed = tmp_path / "ortho.gpkg"
    shutil.copyfile(packages / "ortho.mbtiles", renamed)
    assert registry.sniff(renamed) == ".mbtiles"  # content wins over the name
    fake = tmp_path / "fake.mbtiles"
    fake.write_text("not a database\n")
    with pytest.raises(LztInputError, match="is not a MBTiles file"):
        registry.sniff(fake)


def _check_colours(data, crs, *, res: float = 5.0):
    from layers.raster import read_window

    x0, y0, x1, y1 = X0 + 100, Y1 - SIZE + 100, X0 + SIZE - 100, Y1 - 100
    w, h = int((x1 - x0) / res), int((y1 - y0) / res)
    arr = read_window(data, crs, (x0, y0, x1, y1), w, h, bands=[1, 2, 3])
    n = 0
    for x, y in block_centres(2):
        if x0 < x < x1 and y0 < y < y1:
            c, r = int((x - x0) / res), int((y1 - y) / res)
            assert not arr.mask[:, r, c].any() and tuple(arr.data[:, r, c]) == colour_at(x, y), (x, y)
            n += 1
    assert n > 30


def test_import_mbtiles_links_the_package_with_its_levels(ws, packages):
    (rep,) = import_paths(ws, [packages / "ortho.mbtiles"])
    info = ws.layer("ortho")
    assert info.kind == "raster" and rep.crs_source == "EPSG:3857"
    pkg = info.details["package"]
    with rasterio.open(packages / "ortho.mbtiles") as ds:
        tags, levels = ds.tags(), ds.overviews(1)
    assert pkg["format"] == "MBTiles" and (pkg["minzoom"], pkg["maxzoom"]) == (int(tags["minzoom"]), int(tags["maxzoom"]))
    assert info.details["linked"] == str((packages / "ortho.mbtiles").resolve())
    data = ws.raster_bytes("ortho")
    assert len(data) < 10_000 and data.lstrip().startswith(b"<VRTDataset")
    assert tuple(info.details["overviews"]) == tuple(levels)  # the zoom levels are its pyramid
    _check_colours(data, ws.crs)
    # the extent in the workspace CRS is the package's
    x0, y0, x1, y1 = info.extent
    assert abs(x0 - X0) < 80 and abs(y1 - Y1) < 80 and abs(x1 - (X0 + SIZE)) < 80


def test_the_view_reads_the_zoom_level_of_its_scale(ws, packages):
    from lzt.render.raster import raster_view
    from lzt.render.style import styles_for

    import_paths(ws, [packages / "ortho.mbtiles"])
    ren = styles_for(ws, ["ortho"])["ortho"].renderer
    assert ren.mode == "rgb"
    with rasterio.open(packages / "ortho.mbtiles") as ds:
        base = ds.res[0] * np.cos(np.radians(22.7))  # metres on the ground at Longgang
    for res, want in ((base, 1), (base * 4.1, 4)):
        img, (ex0, ey1, cell) = raster_view(ws, "ortho", "v1", res, ren, (X0, Y1 - SIZE, X0 + SIZE, Y1))
        assert cell / base == pytest.approx(want, rel=0.05)  # the level (overview) drawn
        for x, y in block_centres(4):
            c, r = int((x - ex0) / cell), int((ey1 - y) / cell)
            assert tuple(img[r, c, :3]) == colour_at(x, y) and img[r, c, 3] == 255


def test_import_geopackage_tile_set(ws, packages):
    (rep,) = import_paths(ws, [packages / "ortho_tiles.gpkg"], ImportOptions(layer="ortho"))
    info = ws.layer("ortho")
    assert info.kind == "raster" and info.details["package"]["format"] == "GeoPackage"
    assert rep.crs_source == "EPSG:4547"
    _check_colours(ws.raster_bytes("ortho"), ws.crs)


def test_mixed_geopackage_imports_its_tile_set_when_named(ws, packages):
    reps = import_paths(ws, [packages / "mixed.gpkg"])
    assert [(r.layer, r.kind) for r in reps] == [("zones", "vector")]
    (rep,) = import_paths(ws, [packages / "mixed.gpkg"], ImportOptions(layer="ortho"))
    assert rep.kind == "raster" and ws.layer("ortho").details["package"]["table"] == "ORTHO"  # as GDAL named it
    _check_colours(ws.raster_bytes("ortho"), ws.crs)


def test_a_package_built_by_lzt_tiles_reads_back(ws, tmp_path):
    from lzt.export.tilepack import build_package, plan_package, raster_layer_source

    import_paths(ws, [write_blocky(tmp_path / "src.tif")], ImportOptions(layer="src", link=False))
    src = raster_layer_source(ws, "src")
    for out in (tmp_path / "p.mbtiles", tmp_path / "p.gpkg"):
        build_package(src, plan_package(src, (X0, Y1 - SIZE, X0 + SIZE, Y1), ws.crs, (14, 17), out))
        (rep,) = import_paths(ws, [out], ImportOptions(layer="p_" + out.suffix[1:]))
        assert rep.extra["package"]["minzoom"] == 14 and rep.extra["package"]["maxzoom"] == 17
        _check_colours(ws.raster_bytes(rep.layer), ws.crs)


def test_a_corrupt_package_is_one_clear_line_and_nothing_is_written(ws, packages, tmp_path):
    bad = tmp_path / "bad.mbtiles"
    shutil.copyfile(packages / "ortho.mbtiles", bad)
    con = sqlite3.connect(bad)
    con.execute("UPDATE tiles SET tile_data = x'89504e470d0a1a0a0000'")  # a PNG signature, then nothing
    con.commit()
    con.close()
    with pytest.raises(LztInputError) as e:
        import_paths(ws, [bad])
    assert "bad.mbtiles" in e.value.one_line() and "\n" not in e.value.one_line()
    assert not ws.has_layer("bad")


def test_a_vector_tile_package_is_refused_in_one_line(ws, tmp_path):
    path = tmp_path / "roads.mbtiles"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    con.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    con.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "roads"), ("format", "pbf"),
                                                          ("minzoom", "0"), ("maxzoom", "14")])
    con.execute("INSERT INTO tiles VALUES (0, 0, 0, x'1f8b0800')")
    con.commit()
    con.close()
    assert registry.sniff(path) == ".mbtiles"
    with pytest.raises(LztInputError, match="vector tile package"):
        import_paths(ws, [path])
    assert not ws.has_layer("roads")
