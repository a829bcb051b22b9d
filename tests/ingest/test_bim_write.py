"""The bim_models layer of a first import is written from plain arrays: the lzt bim process does not
import geopandas or pandas, and the stored rows are those the GeoDataFrame write stores."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

pytest.importorskip("ifcopenshell")

from tests.ingest.test_bim import make_ifc  # noqa: E402

PROBE = """
import sys
from lzt.cli.main import main
code = main(sys.argv[1:])
print(code, *sorted(m for m in ("geopandas", "pandas") if m in sys.modules))
"""


def _models(tmp_path):
    return [make_ifc(tmp_path / "a.ifc"), make_ifc(tmp_path / "b.ifc", crs=None, storeys=(0.0,)),
            make_ifc(tmp_path / "c.ifc", e=525500.0, size=(8.0, 5.0), storeys=(0.0, 3.0))]


def test_first_import_loads_neither_geopandas_nor_pandas(tmp_path):
    from lzt.workspace import create_workspace

    ws_path = tmp_path / "ws.gpkg"
    create_workspace(ws_path).close()
    out = subprocess.run([sys.executable, "-c", PROBE, "bim", str(ws_path), *map(str, _models(tmp_path))],
                         capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.split()[-1:] == ["0"]  # exit code 0, neither module imported
    conn = sqlite3.connect(ws_path)
    assert conn.execute("SELECT count(*), count(geom) FROM bim_models").fetchone() == (3, 2)  # one unplaced
    conn.close()


def test_arrays_store_the_rows_the_frame_stores(tmp_path, monkeypatch):
    import lzt.ingest.bim as bim
    from lzt.workspace import create_workspace

    files = _models(tmp_path)
    tables = []
    for name, plain in (("arrays", bim.plain_columns), ("frame", lambda records: None)):
        monkeypatch.setattr(bim, "plain_columns", plain)
        ws = create_workspace(tmp_path / f"{name}.gpkg")
        results = bim.import_bim(ws, files)
        ws.close()
        assert [r.status for r in results] == ["imported", "unplaced", "imported"]
        conn = sqlite3.connect(tmp_path / f"{name}.gpkg")
        tables.append([conn.execute(sql).fetchall() for sql in (
            "SELECT * FROM bim_models ORDER BY fid", "PRAGMA table_info(bim_models)",
            "SELECT * FROM rtree_bim_models_geom ORDER BY id",
            "SELECT kind, geometry_type, crs, count, minx, miny, maxx, maxy, source FROM lzt_layers")])
        conn.close()
    assert tables[0] == tables[1]
    assert any(v is None for row in tables[0][0] for v in row)  # missing values among them (GFA, footprint)
