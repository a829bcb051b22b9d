"""The format table (``layers.formats``) and every way in and out that derives from it."""

from __future__ import annotations

import json
import re

import pytest

from layers import formats, registry



def _help_suffixes(command: str, dest: str) -> set[str]:
    """The suffixes the help of ``lzt COMMAND``'s file argument names."""
    from lzt.cli.main import build_parser_for

    parser = build_parser_for([command])
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    text = next(a.help for a in sub._actions if a.dest == dest)
    return set(re.findall(r"\.[a-z0-9]+\b", text))


def test_every_way_in_accepts_the_same_list(tmp_path):
    pytest.importorskip("PySide6")
    from lzt.gui.file_types import file_filter, is_bim_path
    from lzt.ingest.bim import MODEL_SUFFIXES

    readable = set(formats.suffixes())
    # The GUI's "add layer" dialog: its first group is every readable format.
    first = file_filter().split(";;")[0]
    assert set(re.findall(r"\*(\.\w+)", first)) == readable
    # The CLI: lzt import (vector, table, raster) and lzt bim (models) together.
    cli = _help_suffixes("import", "files") | _help_suffixes("bim", "paths")
    assert cli == readable
    # Ingest: the readers lzt import dispatches to, and the suffixes lzt bim searches folders for.
    via_import = {s for s in readable if registry.kind_of(s) in ("vector", "table", "raster")}
    assert via_import | MODEL_SUFFIXES == readable
    # The drop handler: model suffixes go to the BIM import, everything else to lzt import.
    for s in readable:
        p = tmp_path / f"x{s}"
        p.write_bytes(b"not a model\n")
        assert is_bim_path(p) == (s in MODEL_SUFFIXES), s


def test_bim_suffixes_agree_with_the_model_readers():
    from bim_import.formats import IFC, MESH_FORMATS
    from bim_import.mesh import MESH_SUFFIXES

    assert set(formats.suffixes("bim")) == {IFC, *MESH_FORMATS} == {IFC, *MESH_SUFFIXES}


def test_export_formats_agree(capsys):
    from lzt.export import data, raster

    assert set(data.FORMATS) | set(raster.SUFFIXES) == {s for f in formats.TABLE for s in f.writes}
    assert all(data.FORMATS[s] == formats.by_suffix(s).driver for s in data.FORMATS)
    from lzt.cli.main import main

    assert main(["export", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for s, f in formats.export_formats().items():
        if f.same_as is None:
            assert s in text


def test_table_is_consistent():
    seen: set[str] = set()
    for f in formats.TABLE:
        assert f.kind in formats.KINDS and f.zh and f.en
        assert all(s.startswith(".") and s == s.lower() for s in f.suffixes)
        assert not seen & set(f.suffixes), f"{f.key} listed twice"
        seen |= set(f.suffixes)
        assert f.same_as is None or formats.by_suffix(f.same_as).kind == f.kind
        assert (f.reader is None) == (f.kind == "other")
    assert formats.canonical(".TIFF") == ".tif" and formats.canonical(".json") == ".geojson"


def test_magic_bytes_name_the_format(tmp_path):
    for magic, key in formats.magic_bytes():
        p = tmp_path / "f.bin"
        p.write_bytes(magic + b"\x00" * 64)
        assert registry.sniff(p) == key


def test_lzt_formats_json_lists_the_table(capsys):
    from lzt.cli.main import main

    assert main(["formats", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["format"] for r in out] == [f.key for f in formats.TABLE]
    assert {r["format"]: r["label_zh"] for r in out}[".tab"] == "MapInfo TAB 表"
    assert main(["formats", "--kind", "raster"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len([f for f in formats.TABLE if f.kind == "raster"]) and ".tif .tiff" in lines[0]


def test_a_new_entry_reaches_every_way_in(monkeypatch, tmp_path, capsys, real_data):
    """Adding a format is one entry: here GDAL's GeoJSON reader under a made-up ``.gjx`` suffix."""
    pytest.importorskip("PySide6")
    from lzt.gui.file_types import file_filter

    entry = formats.Format("vector", (".gjx",), "GeoJSON (gjx)", "GeoJSON (gjx)", "gdal", same_as=".geojson")
    monkeypatch.setattr(formats, "TABLE", (*formats.TABLE, entry))
    monkeypatch.setattr(formats, "_BY_SUFFIX", {**formats._BY_SUFFIX, ".gjx": entry})
    assert "*.gjx" in file_filter().split(";;")[0]
    assert ".gjx" in _help_suffixes("import", "files")
    src = tmp_path / "pts.gjx"
    src.write_text((real_data / "vector" / "countries.geojson").read_text(encoding="utf-8"), encoding="utf-8")
    (loaded,) = registry.read_vector(src)
    assert len(loaded.gdf) > 100 and not loaded.warnings
