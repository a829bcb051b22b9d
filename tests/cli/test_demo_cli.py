"""lzt demo: builds the workspace once, reuses it, refuses to clobber other files."""

from __future__ import annotations

import json

from lzt.cli.main import main


def test_demo_builds_then_reuses(tmp_path, capsys):
    ws = tmp_path / "demo.gpkg"
    assert main(["demo", str(ws)]) == 0
    assert main(["layers", str(ws), "--json"]) == 0
    out = capsys.readouterr().out
    layers = {layer["name"]: layer for layer in json.loads(out[out.index("["):])}
    assert set(layers) == {"district", "streets", "communities", "roads", "parcels", "poi", "dem"}
    assert layers["parcels"]["count"] >= 20_000 and layers["dem"]["kind"] == "raster"
    mtime = ws.stat().st_mtime_ns
    assert main(["demo", str(ws)]) == 0
    assert ws.stat().st_mtime_ns == mtime  # reused, not rebuilt
    assert not list(tmp_path.glob("*.building*"))


def test_demo_refuses_foreign_file(tmp_path, capsys):
    other = tmp_path / "mine.gpkg"
    other.write_bytes(b"precious")
    assert main(["demo", str(other)]) == 2
    assert "--force" in capsys.readouterr().err and other.read_bytes() == b"precious"
    assert main(["demo", str(tmp_path / "x.gpkg"), "--scale", "huge"]) == 2
