"""lzt sheet / lzt atlas: the CLI contract, one-line errors with exit 2, no partial output."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from lzt.cli.main import main
from tests.pdftools import Pdf

X0, Y0 = 520_000.0, 2_510_000.0


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ws_path(tmp_path):
    from lzt.workspace import create_workspace

    p = tmp_path / "ws.gpkg"
    ws = create_workspace(p)
    ws.write_layer("communities", gpd.GeoDataFrame(
        {"name": ["南约", "爱联"]}, geometry=[shapely.box(X0, Y0, X0 + 1000, Y0 + 1000),
                                               shapely.box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000)], crs="EPSG:4547"))
    ws.close()
    return p


def test_sheet_pdf_png_svg(ws_path, tmp_path, capsys):
    for suffix in ("pdf", "png", "svg"):
        out = tmp_path / f"m.{suffix}"
        code, stdout, err = run(capsys, "sheet", ws_path, out, "--paper", "A4", "--landscape", "--scale", "20000",
                                "--center", f"{X0 + 1000},{Y0 + 500}", "--layers", "communities",
                                "--title", "社区图", "--dpi", "100")
        assert code == 0, err
        assert out.stat().st_size > 0 and "1:20000" in stdout
    assert "社区图" in Pdf(tmp_path / "m.pdf").text()


def test_sheet_extent_and_feature(ws_path, tmp_path, capsys):
    out = tmp_path / "e.pdf"
    assert run(capsys, "sheet", ws_path, out, "--extent", f"{X0},{Y0},{X0 + 2000},{Y0 + 1000}")[0] == 0
    out = tmp_path / "f.pdf"
    code, stdout, _ = run(capsys, "sheet", ws_path, out, "--feature", "communities:爱联", "--paper", "A4")
    assert code == 0 and "爱联" in stdout


@pytest.mark.parametrize("args, needle", [
    (["--layers", "nope"], "nope"),
    (["--extent", "3,4,1,2"], "--extent"),
    (["--paper", "B5"], "--paper"),
    (["--scale", "-5"], "--scale"),
    (["--feature", "communities"], "--feature"),
    (["--feature", "communities:不存在"], "不存在"),
    (["--center", "1,2", "--extent", "0,0,1,1"], "only one"),
    (["--sheet-no", "2510.60-520.25"], "sheet grid"),
    (["--date", "2026-99-01"], "--date"),
])
def test_bad_input_is_one_line_exit_2_and_no_file(ws_path, tmp_path, capsys, args, needle):
    out = tmp_path / "x.pdf"
    code, _, err = run(capsys, "sheet", ws_path, out, *args)
    assert code == 2
    assert needle in err and err.count("\n") == 1
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".x.pdf")]


def test_unwritable_or_unknown_output(ws_path, tmp_path, capsys):
    code, _, err = run(capsys, "sheet", ws_path, tmp_path / "missing" / "x.pdf")
    assert code == 2 and "does not exist" in err
    code, _, err = run(capsys, "sheet", ws_path, tmp_path / "x.doc")
    assert code == 2 and "format" in err


def test_atlas_pdf_and_folder(ws_path, tmp_path, capsys):
    out = tmp_path / "a.pdf"
    code, stdout, err = run(capsys, "atlas", ws_path, "--coverage", "communities", out, "--paper", "A4",
                            "--title", "社区")
    assert code == 0, err
    assert Pdf(out).page_count == 2
    folder = tmp_path / "atlas"
    code, stdout, err = run(capsys, "atlas", ws_path, "--coverage", "communities", "--where", "name = '南约'",
                            folder, "--format", "png", "--dpi", "50")
    assert code == 0, err
    assert [p.suffix for p in folder.iterdir()] == [".png"]
    code, _, err = run(capsys, "atlas", ws_path, "--coverage", "nope", tmp_path / "b.pdf")
    assert code == 2 and "nope" in err and not (tmp_path / "b.pdf").exists()
    code, _, err = run(capsys, "atlas", ws_path, "--coverage", "communities", tmp_path / "c", "--format", "doc")
    assert code == 2 and err.count("\n") == 1 and "--format" in err and "x.doc" not in err
    code, _, err = run(capsys, "atlas", ws_path, "--coverage", "communities", tmp_path / "a.png")
    assert code == 2 and "--format png" in err and not (tmp_path / "a.png").exists()


def test_standard_sheet_defaults_to_a1(ws_path, tmp_path, capsys):
    out = tmp_path / "std.pdf"
    code, stdout, err = run(capsys, "sheet", ws_path, out, "--sheet-no", "2510.5-520.0")
    assert code == 0, err
    assert "1:1000" in stdout and "594×841" in stdout
    assert "图号：2510.5-520.0" in Pdf(out).text()


def test_lonlat_dem_on_a_sheet_and_exported_in_the_workspace_crs(tmp_path, capsys):
    """lzt import an SRTM-like lon/lat DEM, lzt sheet shows it, lzt export writes it in EPSG:4547."""
    import rasterio

    from tests.dems import write_dem

    ws = tmp_path / "ws.gpkg"
    tif = write_dem(tmp_path / "n22e114.tif", "EPSG:4326", "hill")
    assert run(capsys, "init", ws)[0] == 0
    assert run(capsys, "import", ws, tif)[0] == 0
    png = tmp_path / "dem.png"
    code, out, err = run(capsys, "sheet", ws, png, "--paper", "A4", "--layers", "n22e114", "--dpi", "60",
                         "--no-overview")
    assert code == 0, err
    from PySide6.QtGui import QImage

    img = QImage(str(png))
    grey = sum(img.pixelColor(x, y).lightness() < 200 for x in range(0, img.width(), 7) for y in range(0, img.height(), 7))
    assert grey > 0.3 * (img.width() // 7) * (img.height() // 7)  # the fitted map frame is full of terrain
    code, out, err = run(capsys, "export", ws, "n22e114", tmp_path / "dem4547.tif")
    assert code == 0, err
    assert "EPSG:4547" in out and "原坐标系 EPSG:4326" in out and "双线性重采样" in out
    with rasterio.open(tmp_path / "dem4547.tif") as ds:
        assert ds.crs.to_epsg() == 4547
    code, out, err = run(capsys, "export", ws, "n22e114", tmp_path / "x.tif", "--where", "v > 1")
    assert code == 2 and err.count("\n") == 1 and "raster" in err and not (tmp_path / "x.tif").exists()
