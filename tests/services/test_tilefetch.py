"""Fetching tiles: bad answers (HTML pages, zero-byte and corrupt bodies, 403, a dead server)
are counted and reported once, never drawn, never a crash; the disk cache keeps only valid
tiles, honours its size limit and expiry, and serves an offline mode."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest
from PIL import Image

from lzt.core.errors import LztInputError
from lzt.services.catalog import ServiceRecord, check_url
from lzt.services.rastersource import open_source
from lzt.services.tilefetch import DiskCache, Fetcher, FetchError, Tally, decode_image, redact
from lzt.services.warp import render_source
from tests.services.servers import free_port

VIEW = (525_500.0, 2_512_500.0, 526_500.0, 2_513_500.0)


def png(colour=(10, 200, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture()
def static_server(tmp_path):
    """Python's own HTTP server over a folder of tiles (some broken on purpose)."""
    root = tmp_path / "www"
    root.mkdir()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    (root / "ping").write_text("ok")
    end = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(url + "/ping", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.1)
    yield url, root
    proc.terminate()
    proc.wait(10)


def tile_range(src, fetcher):
    from lzt.services.warp import lattice_box, source_coords

    lattice, res = source_coords(src, "EPSG:4547", VIEW, 256, 256)
    m = src.grid.level_for(res)
    c0, c1, r0, r1 = m.tiles_for(lattice_box(lattice, res))
    return m, [(c, r) for r in range(r0, r1) for c in range(c0, c1)]


def test_bad_tiles_are_counted_once_and_never_drawn(static_server, tmp_path):
    url, root = static_server
    rec = ServiceRecord("t", "xyz", url + "/{z}/{x}/{y}.png")
    fetcher = Fetcher(cache=DiskCache(tmp_path / "cache"), retries=0)
    src = open_source(rec, fetcher)
    m, tiles = tile_range(src, fetcher)
    assert len(tiles) >= 4
    bodies = [b"", b"\x89PNG\r\n\x1a\nbroken", b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"]
    for i, (c, r) in enumerate(tiles):
        p = root / m.id / str(c) / f"{r}.png"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(bodies[i] if i < len(bodies) else png())
    tally = Tally()
    img = render_source(src, fetcher, tally, "EPSG:4547", VIEW, 256, 256)
    assert img.failed == 3 and img.tiles == len(tiles)
    # only the good tiles' colour is drawn; the rest stays transparent
    drawn = img.rgba[..., 3] > 0
    assert drawn.any() and not drawn.all()
    assert (img.rgba[drawn][:, :3] == (10, 200, 30)).all()
    assert tally.counts == {"empty": 1, "corrupt": 1, "html": 1}
    line = tally.summary()
    assert line and "\n" not in line and tally.total == 3
    # asked again, the failed tiles are not fetched again (for a while): no new failures, same line
    again = render_source(src, fetcher, tally, "EPSG:4547", VIEW, 256, 256)
    assert again.failed == 3 and tally.total == 3 and tally.summary() == line
    # nothing broken was cached: only the good tiles are on disk
    assert len([f for f in (tmp_path / "cache").rglob("*") if f.is_file()]) == len(tiles) - 3


def test_a_dead_server_and_a_403_leave_the_draw_working(tmp_path):
    from tests.services.servers import start_forbidding

    fetcher = Fetcher(retries=1, timeout=3)
    dead = open_source(ServiceRecord("d", "xyz", f"http://127.0.0.1:{free_port()}/{{z}}/{{x}}/{{y}}.png"), fetcher)
    tally = Tally()
    img = render_source(dead, fetcher, tally, "EPSG:4547", VIEW, 64, 64)
    assert img.failed == img.tiles > 0 and not img.rgba.any()
    assert tally.counts["network"] == img.tiles
    srv = start_forbidding(tmp_path)
    try:
        src = open_source(ServiceRecord("f", "xyz", srv.url + "/{z}/{x}/{y}.png"), fetcher)
        tally = Tally()
        img = render_source(src, fetcher, tally, "EPSG:4547", VIEW, 64, 64)
        assert img.failed == img.tiles and tally.counts["http"] == img.tiles
        assert "HTTP 403" in tally.summary()
        # a WMTS whose capabilities are refused: one clear line, not a traceback
        with pytest.raises(LztInputError, match="HTTP 403"):
            open_source(ServiceRecord("w", "wmts", srv.url), fetcher)
    finally:
        srv.stop()


def test_live_draws_never_wait_and_fill_in_as_tiles_land(static_server, tmp_path):
    url, root = static_server
    fetcher = Fetcher(cache=None)
    src = open_source(ServiceRecord("t", "xyz", url + "/{z}/{x}/{y}.png"), fetcher)
    m, tiles = tile_range(src, fetcher)
    for c, r in tiles:
        p = root / m.id / str(c) / f"{r}.png"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(png())
    landed = []
    first = render_source(src, fetcher, Tally(), "EPSG:4547", VIEW, 256, 256, wait=False,
                          on_tile=lambda: landed.append(1))
    assert first.missing == len(tiles) and not first.rgba.any()
    end = time.monotonic() + 30
    while len(landed) < len(tiles) and time.monotonic() < end:
        time.sleep(0.05)
    second = render_source(src, fetcher, Tally(), "EPSG:4547", VIEW, 256, 256, wait=False)
    assert second.missing == 0 and (second.rgba[..., 3] > 0).all()


def test_the_disk_cache_expires_prunes_and_serves_offline(tmp_path):
    cache = DiskCache(tmp_path / "c", max_bytes=3000, max_age=60)
    for i in range(5):
        cache.put(f"http://x/{i}.png", bytes(1000))
        old = time.time() - 1000 + i
        os.utime(cache._path(f"http://x/{i}.png"), (old, old))
    assert cache.get("http://x/4.png") is None  # expired
    assert cache.get("http://x/4.png", stale_ok=True) is not None  # offline: served anyway
    cache.prune()
    assert cache.size() <= 3000
    assert cache.get("http://x/0.png", stale_ok=True) is None  # the oldest went first
    assert cache.get("http://x/4.png", stale_ok=True) is not None
    # offline with an empty cache: an 'offline' failure, no network
    off = Fetcher(cache=DiskCache(tmp_path / "empty"), offline=True)
    tally = Tally()
    assert off.submit("http://127.0.0.1:9/1.png", "http://127.0.0.1:9/1.png", tally).result() is None
    assert tally.counts["offline"] == 1
    # offline with the tile cached: served from disk
    good = DiskCache(tmp_path / "good")
    good.put("http://127.0.0.1:9/1.png", png())
    off = Fetcher(cache=good, offline=True)
    assert off.submit("http://127.0.0.1:9/1.png", "http://127.0.0.1:9/1.png", Tally()).result().shape == (256, 256, 4)


def test_only_http_and_https_and_keys_redacted():
    for bad in ("file:///etc/passwd", "ftp://x/{z}/{x}/{y}.png", "javascript:alert(1)"):
        with pytest.raises(LztInputError, match="http"):
            check_url(bad)
    with pytest.raises(FetchError):
        Fetcher().fetch_bytes("file:///etc/passwd", "file:///etc/passwd")
    assert redact("https://t0.tianditu.gov.cn/img_c/wmts?a=1&tk=abc123&b=2") == \
        "https://t0.tianditu.gov.cn/img_c/wmts?a=1&tk=***&b=2"
    assert redact("https://x/abc123/1.png", "abc123") == "https://x/***/1.png"
    assert decode_image(png()).shape == (256, 256, 4)
    with pytest.raises(FetchError, match="天地图: 权限类型错误"):
        decode_image('{"msg":"权限类型错误","code":"12"}'.encode())
    assert np.asarray(decode_image(png((1, 2, 3))))[0, 0].tolist() == [1, 2, 3, 255]


def test_a_key_echoed_by_a_server_is_masked(static_server, monkeypatch):
    url, root = static_server
    secret = "echoKey5a7e"
    monkeypatch.setenv("LZT_TEST_ECHO", secret)
    fetcher = Fetcher(cache=None, retries=0)
    src = open_source(ServiceRecord("e", "xyz", url + "/{z}/{x}/{y}.png?tk={key}", key_env="LZT_TEST_ECHO"), fetcher)
    m, tiles = tile_range(src, fetcher)
    for c, r in tiles:
        p = root / m.id / str(c) / f"{r}.png"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text('{"msg": "非法key: %s", "code": "1"}' % secret, encoding="utf-8")
    tally = Tally()
    render_source(src, fetcher, tally, "EPSG:4547", VIEW, 256, 256)
    assert tally.counts["service"] == len(tiles)
    assert "非法key: ***" in tally.summary() and secret not in tally.summary()
