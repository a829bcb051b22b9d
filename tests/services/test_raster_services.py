"""Raster services against a real MapProxy: every kind of service (WMTS KVP and RESTful in a
天地图-like EPSG:4490 grid and in 3857, WMS 1.1.1/1.3.0, XYZ and TMS templates, the 天地图
preset) drawn by ``lzt render`` into EPSG:4547 puts each block of the source pattern where
the pattern says (an analytic colour per EPSG:4547 point, not the image read back)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from lzt.cli.main import main
from tests.services.conftest import TDT_KEY
from tests.services.tileservers import GCJ, ORTHO

VIEW = (525_500.0, 2_512_500.0, 526_500.0, 2_513_500.0)  # 1 km at 2 m per pixel, inside ORTHO
GCJ_VIEW = (525_400.0, 2_512_400.0, 525_800.0, 2_512_800.0)  # 400 m at 0.5 m per pixel: GCJ


@pytest.fixture()
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("LZT_TILE_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "ws.gpkg"
    assert main(["init", str(path)]) == 0
    return path


def render(ws, out, layer, extent=VIEW, size=500) -> np.ndarray:
    assert main(["render", str(ws), str(out), "--extent", ",".join(map(str, extent)), "--size", f"{size}x{size}",
                 "--layers", layer, "--transparent"]) == 0
    return np.asarray(Image.open(out).convert("RGBA"))


def misplaced(img: np.ndarray, pattern, extent) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pixels whose colour differs from the pattern's, their distance to a block edge in
    metres, pixels drawn at all)."""
    n = img.shape[1]
    res = (extent[2] - extent[0]) / n
    c = (np.arange(n) + 0.5) * res
    X, Y = np.meshgrid(extent[0] + c, extent[3] - c)
    bad = (img[..., :3] != pattern.colour_at(X, Y)).any(-1) | (img[..., 3] == 0)
    return bad, pattern.edge_distance(X, Y), img[..., 3] > 0


CASES = {
    "wmts-kvp-4490": ("wmts", "{u}/service", ["--layer", "ortho", "--matrix-set", "tdt_c"]),
    "wmts-restful-3857": ("wmts", "{u}/wmts/1.0.0/WMTSCapabilities.xml", ["--layer", "ortho", "--matrix-set",
                                                                        "webmercator"]),
    "wms-1.1.1": ("wms", "{u}/service?VERSION=1.1.1", ["--layer", "ortho"]),
    "wms-1.3.0": ("wms", "{u}/service?VERSION=1.3.0", ["--layer", "ortho"]),
    "xyz": ("xyz", "{u}/wmts/ortho/webmercator/{{z}}/{{x}}/{{y}}.png", []),
    "tms": ("xyz", "{u}/tiles/ortho/webmercator/{{z}}/{{x}}/{{-y}}.png", []),
    "tianditu-c": ("tianditu", "{u}/", ["--layer", "img_c", "--key-env", "LZT_TEST_TDT"]),
    "tianditu-w": ("tianditu", "{u}/", ["--layer", "img_w", "--key-env", "LZT_TEST_TDT"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_tile_pixel_lands_where_the_source_says(case, mapproxy_server, ws, tmp_path, monkeypatch):
    kind, url, opts = CASES[case]
    monkeypatch.setenv("LZT_TEST_TDT", TDT_KEY)
    assert main(["service", "add", str(ws), "svc", url.format(u=mapproxy_server.url), "--type", kind, *opts]) == 0
    img = render(ws, tmp_path / "out.png", "svc")
    bad, edge, drawn = misplaced(img, ORTHO, VIEW)
    assert drawn.mean() > 0.999
    # source pixels are 2 m, view pixels 2 m: a pixel may differ only beside a block edge
    assert bad.mean() < 0.01
    assert edge[bad].max(initial=0) <= 2.0


def test_a_gcj02_xyz_service_is_aligned_within_a_metre(mapproxy_server, ws, tmp_path):
    url = f"{mapproxy_server.url}/tiles/gcj/webmercator/{{z}}/{{x}}/{{-y}}.png"
    assert main(["service", "add", str(ws), "amap", url, "--type", "xyz", "--coords", "gcj02"]) == 0
    assert main(["service", "add", str(ws), "raw", url, "--type", "xyz"]) == 0
    img = render(ws, tmp_path / "gcj.png", "amap", GCJ_VIEW, 800)
    bad, edge, drawn = misplaced(img, GCJ, GCJ_VIEW)
    assert drawn.mean() > 0.999
    assert edge[bad].max(initial=0) <= 1.0
    # the same tiles taken as WGS84 are hundreds of metres off: most pixels wrong
    raw, _, _ = misplaced(render(ws, tmp_path / "raw.png", "raw", GCJ_VIEW, 800), GCJ, GCJ_VIEW)
    assert raw.mean() > 0.5


def test_tianditu_refuses_a_wrong_key_in_one_line_and_no_key_at_all(mapproxy_server, ws, tmp_path, monkeypatch,
                                                                    capsys):
    monkeypatch.delenv("TIANDITU_TOKEN", raising=False)
    monkeypatch.setenv("LZT_TEST_TDT", "wrongKey123456")
    assert main(["service", "add", str(ws), "tdt", mapproxy_server.url + "/", "--type", "tianditu",
                 "--layer", "vec_c", "--key-env", "LZT_TEST_TDT"]) == 0
    capsys.readouterr()
    img = render(ws, tmp_path / "a.png", "tdt")
    assert (img[..., 3] == 0).all()  # nothing drawn, no crash
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "天地图: 权限类型错误" in err[0] and "wrongKey123456" not in err[0]
    monkeypatch.delenv("LZT_TEST_TDT")
    monkeypatch.setattr("lzt.services.tianditu.find_key", lambda *a, **k: None)  # no keyring key either
    assert main(["render", str(ws), str(tmp_path / "b.png"), "--extent", ",".join(map(str, VIEW)), "--size",
                 "100x100", "--layers", "tdt"]) == 0
    err = capsys.readouterr().err
    assert "no key" in err and "LZT_TEST_TDT" in err


def test_the_key_never_reaches_disk(mapproxy_server, ws, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LZT_TEST_TDT", TDT_KEY)
    assert main(["service", "add", str(ws), "tdt", mapproxy_server.url + "/", "--type", "tianditu",
                 "--layer", "img_c", "--key-env", "LZT_TEST_TDT"]) == 0
    img = render(ws, tmp_path / "ok.png", "tdt")
    assert (img[..., 3] > 0).mean() > 0.99  # the key was sent: tiles came
    assert main(["service", "list", str(ws), "--json"]) == 0
    assert main(["sheet", str(ws), str(tmp_path / "sheet.pdf"), "--extent", ",".join(map(str, VIEW)),
                 "--layers", "tdt"]) == 0
    out = capsys.readouterr()
    key = TDT_KEY.encode()
    assert key not in (out.out + out.err).encode()
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.parent.parent.name == "cache" for p in written)  # the tiles were cached
    for p in written:
        assert key not in p.read_bytes(), p
    # a URL carrying a key is refused, not saved
    assert main(["service", "add", str(ws), "k", f"{mapproxy_server.url}/x?tk={TDT_KEY}", "--type", "wms",
                 "--layer", "ortho"]) == 2
    assert key not in ws.read_bytes()
