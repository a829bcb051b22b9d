"""Linked imagery: the VRT reference, the overview pyramid, acquisition dates."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from layers import imagery
from layers.raster import read_window
from lzt.core.errors import CancelledError, LztInputError
from lzt.core.feedback import Feedback

X0, Y1, PX = 510_000.0, 2_505_000.0, 0.5


def _ortho(path, w=1500, h=1100, *, overviews=False, tags=None):
    """A 3-band uint8 GeoTIFF with a pattern that is different in every 2x2 block."""
    yy, xx = np.mgrid[0:h, 0:w]
    arr = np.stack([(xx * 7 + yy) % 256, (yy * 5 + xx // 3) % 256, (xx * yy) % 251]).astype(np.uint8)
    with rasterio.open(path, "w", driver="GTiff", width=w, height=h, count=3, dtype="uint8", crs="EPSG:4547",
                       transform=from_origin(X0, Y1, PX, PX), tiled=True, blockxsize=256, blockysize=256,
                       compress="deflate") as ds:
        ds.write(arr)
        if tags:
            ds.update_tags(**tags)
        if overviews:
            from rasterio.enums import Resampling

            ds.build_overviews([2, 4, 8], Resampling.average)
    return arr


@pytest.mark.parametrize("text, iso", [("2022-10-01", "2022-10-01"), ("2022:10:01 10:30:00", "2022-10-01"),
                                       ("20221001", "2022-10-01"), ("2026/10/01", "2026-10-01")])
def test_dates_are_read_in_the_usual_spellings(text, iso):
    assert imagery.parse_date(text) == iso
    assert imagery.acquisition_date({"TIFFTAG_DATETIME": text}) == iso


def test_bad_dates_are_one_clear_error():
    with pytest.raises(LztInputError, match="not a date"):
        imagery.parse_date("2022-13-45")
    assert imagery.acquisition_date({"TIFFTAG_DATETIME": "yesterday"}) is None
    assert imagery.acquisition_date({}) is None


def test_link_builds_the_pyramid_beside_the_file_and_reads_like_the_source(tmp_path):
    src = tmp_path / "ortho.tif"
    arr = _ortho(src, tags={"ACQUISITION_DATE": "2022-10-01"})
    seen = []
    data, info, facts = imagery.prepare_link(src, feedback=Feedback(lambda d, t, m: seen.append((d, t))))
    assert imagery.is_linked(data) and len(data) < 20_000  # a reference, not the pixels
    assert facts["acquired"] == "2022-10-01" and facts["pyramid"] == str(src) + ".ovr"
    assert imagery.linked_files(data) == [str(src.resolve()), str(src) + ".ovr"]
    assert info.overviews[:3] == (2, 4, 8) and (info.width, info.height) == (1500, 1100)
    assert seen and seen[-1][0] == seen[-1][1]  # progress reached the end
    # full resolution: the source's pixels exactly
    win = (X0 + 100 * PX, Y1 - 300 * PX, X0 + 400 * PX, Y1 - 100 * PX)
    got = read_window(data, "EPSG:4547", win, 300, 200, resampling="nearest")
    assert np.array_equal(got.data, arr[:, 100:300, 100:400])
    # at a quarter of the resolution: the pyramid's level 4 = the mean of 4x4 blocks (numpy)
    got = read_window(data, "EPSG:4547", (X0, Y1 - 1100 * PX, X0 + 1500 * PX, Y1), 375, 275, resampling="nearest")
    means = arr[:, :1100, :1500].reshape(3, 275, 4, 375, 4).astype(float).mean(axis=(2, 4))
    assert np.abs(got.data.astype(float) - means).max() <= 3  # average of averages, rounded twice


def test_a_file_with_overviews_is_linked_as_it_is(tmp_path):
    src = tmp_path / "ortho.tif"
    _ortho(src, overviews=True)
    data, info, facts = imagery.prepare_link(src)
    assert "pyramid" not in facts and not (tmp_path / "ortho.tif.ovr").exists()
    assert info.overviews == (2, 4, 8)
    assert imagery.linked_files(data) == [str(src.resolve())]


def test_read_only_folder_puts_the_pyramid_in_the_cache(tmp_path, monkeypatch):
    src = tmp_path / "ortho.tif"
    _ortho(src, 600, 500)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(imagery.os, "access", lambda *a: False)  # as for a read-only share
    data, _, facts = imagery.prepare_link(src)
    assert facts["pyramid"].startswith(str(tmp_path / "cache" / "lzt" / "overviews"))
    assert not (tmp_path / "ortho.tif.ovr").exists()
    got = read_window(data, "EPSG:4547", (X0, Y1 - 250, X0 + 300, Y1), 75, 125)
    assert got.shape == (3, 125, 75) and not got.mask.any()


def test_cancelled_pyramid_leaves_nothing(tmp_path):
    src = tmp_path / "ortho.tif"
    _ortho(src)
    fb = Feedback(lambda d, t, m: fb.cancel())
    with pytest.raises(CancelledError):
        imagery.prepare_link(src, feedback=fb)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ortho.tif"]


def test_import_links_or_embeds_and_records_the_date(tmp_path, capsys):
    from lzt.cli.main import main
    from lzt.workspace import open_workspace

    src = tmp_path / "ortho.tif"
    _ortho(src, 800, 600, tags={"TIFFTAG_DATETIME": "2022:10:01 09:00:00"})
    ws_path = tmp_path / "ws.gpkg"
    assert main(["init", str(ws_path)]) == 0
    assert main(["import", str(ws_path), str(src), "--link", "--layer", "linked"]) == 0
    assert main(["import", str(ws_path), str(src), "--embed", "--layer", "embedded", "--date", "2026-10-01"]) == 0
    assert main(["import", str(ws_path), str(src), "--date", "01/10/2026", "--layer", "bad"]) == 2
    assert "not a date" in capsys.readouterr().err
    ws = open_workspace(ws_path)
    try:
        assert [li.name for li in ws.layers()] == ["linked", "embedded"]
        linked, embedded = ws.layer("linked").details, ws.layer("embedded").details
        assert linked["acquired"] == "2022-10-01" and linked["linked"] == str(src.resolve())
        assert embedded["acquired"] == "2026-10-01" and "linked" not in embedded  # --date wins
        assert imagery.is_linked(ws.raster_bytes("linked")) and not imagery.is_linked(ws.raster_bytes("embedded"))
        a = read_window(ws.raster_bytes("linked"), ws.crs, (X0, Y1 - 300, X0 + 400, Y1), 100, 75)
        b = read_window(ws.raster_bytes("embedded"), ws.crs, (X0, Y1 - 300, X0 + 400, Y1), 100, 75)
        assert np.abs(a.data.astype(int) - b.data.astype(int)).max() <= 2  # same pictures
    finally:
        ws.close()


def test_large_rasters_are_linked_by_default(tmp_path, monkeypatch):
    src = tmp_path / "ortho.tif"
    _ortho(src, 400, 300)
    assert not imagery.should_link(src)
    monkeypatch.setattr(imagery, "LINK_ABOVE_SAMPLES", 400 * 300 * 3 - 1)
    assert imagery.should_link(src)
