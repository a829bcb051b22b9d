"""Masking 1M complaints on their ways out (issue 12.6): the Python masking of an export, the
whole ``lzt export``, and an analyst's read through the PostGIS masking view.

``run(demo, rows)`` appends rows as ``bench/run.py``'s benchmarks do. The demo workspace is
only read. The PostGIS part uses ``$LZT_BENCH_PG`` or a throwaway local cluster, as
``bench_postgis.py`` does. Standalone: ``python bench/bench_masking.py [DEMO.gpkg]``.
"""

from __future__ import annotations

import re
import sys
import tempfile
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from timing import print_rows  # noqa: E402
from timing import timed as _timed  # noqa: E402


def _cell_rules(df):
    """The reference: pandas ``Series.map`` of per-cell rules for names, phones, IDs and the
    numbers in two text columns, without searching for each record's own values."""
    mobile = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
    out = df.copy()
    out["citizen_name"] = df["citizen_name"].map(lambda v: v[0] + "*" * (len(v) - 1) if isinstance(v, str) else v)
    out["citizen_phone"] = df["citizen_phone"].map(lambda v: v[:3] + "****" + v[7:] if isinstance(v, str) else v)
    out["citizen_id"] = df["citizen_id"].map(lambda v: v[:6] + "*" * 8 + v[-4:] if isinstance(v, str) else v)
    for c in ("content", "address"):
        out[c] = df[c].map(lambda v: mobile.sub(r"\1****\3", v) if isinstance(v, str) else v)
    return out


def run(demo: Path, rows: list) -> None:
    import pandas as pd
    import pyogrio

    from lzt.analysis.masking import mask_frame
    from lzt.cli.main import main
    from lzt.workspace import open_workspace

    demo = Path(demo)
    ws = open_workspace(demo)
    try:
        df = ws.read_features("complaints", geometry=False)
    finally:
        ws.close()
    named = sum(isinstance(n, str) and isinstance(c, str) and n in c for n, c in zip(df["citizen_name"], df["content"]))
    t_mask, _ = _timed(lambda: mask_frame(df), repeat=3)
    t_ref, _ = _timed(lambda: _cell_rules(df), repeat=3)
    rows.append((f"mask 1M complaints for output: 3 personal columns, own name/phone/ID searched in 2 text "
                 f"columns ({named:,} texts name their caller)", t_mask, t_ref,
                 "pandas Series.map of per-cell rules, no search for a record's own values", ""))
    with tempfile.TemporaryDirectory(prefix="lzt-bench-mask-") as tmp:
        out = Path(tmp) / "c.csv"
        t_exp, code = _timed(lambda: main(["export", str(demo), "complaints", str(out)]))
        assert code == 0

        def plain():
            gdf = pyogrio.read_dataframe(demo, layer="complaints", use_arrow=True)
            gdf.to_csv(Path(tmp) / "plain.csv", index=False)

        t_plain, _ = _timed(plain)
        rows.append(("lzt export complaints → CSV, 1M rows, masked", t_exp, t_plain,
                     "pyogrio read + pandas to_csv, unmasked", ""))
    _postgis(demo, rows, pd)


def _postgis(demo: Path, rows: list, pd) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    from bench_postgis import _server
    from lzt.cli.main import main
    from lzt.workspace import create_workspace, open_workspace
    from lzt.workspace.postgis.url import parse_url

    src = open_workspace(demo)
    try:
        gdf = src.read_features("complaints")
    finally:
        src.close()
    with _server() as url:
        target = url("lzt_bench_mask")
        pws = create_workspace(target)
        try:
            pws.write_layer("complaints", gdf, kind="complaints")
        finally:
            pws.close()
        assert main(["roles", "init", target]) == 0
        login = "lzt_bench_analyst_" + uuid.uuid4().hex[:6]
        with psycopg.connect(parse_url(target).conninfo, autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {login} LOGIN IN ROLE analyst")
        try:
            owner = open_workspace(target)
            parts = urlsplit(target)  # the same server and schema, as the analyst
            host = parts.netloc.rsplit("@", 1)[-1]
            analyst = open_workspace(urlunsplit(parts._replace(netloc=f"{login}@{host}")))
            try:
                assert analyst.reads_masked("complaints")
                t_view, masked = _timed(lambda: analyst.read_features("complaints"))
                t_raw, _ = _timed(lambda: owner.read_features("complaints"))
                assert len(masked) == len(gdf)
            finally:
                analyst.close()
                owner.close()
        finally:
            with psycopg.connect(parse_url(target).conninfo, autocommit=True) as conn:
                conn.execute(f"DROP OWNED BY {login}")
                conn.execute(f"DROP ROLE {login}")
        rows.append(("PostGIS: an analyst reads 1M complaints through the masking view", t_view, t_raw,
                     "the administrator reading the table", ""))


if __name__ == "__main__":
    demo_path = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "_data" / "district.gpkg"
    found: list = []
    run(demo_path, found)
    print_rows(found, 110)
