"""PostGIS and GeoPackage workspaces side by side at district scale (issue 7).

``run(demo, rows)`` appends ``(work, lzt_seconds, reference_seconds, reference is, target)``
rows as ``bench/run.py``'s benchmarks do; here the lzt figure is the PostGIS backend
and the reference the GeoPackage backend doing the same work through the same API.

The server is ``$LZT_BENCH_PG`` (a ``postgresql://`` URL of a database with PostGIS
where the benchmark may create and drop schemas ``lzt_bench_*``) or, when unset, a
throwaway local cluster started like the tests' (fsync on, as a real server) and
removed afterwards. The demo workspace is only read (a copy is used).

Standalone: ``python bench/bench_postgis.py [DEMO.gpkg]``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from timing import print_rows  # noqa: E402
from timing import timed as _timed  # noqa: E402


@contextmanager
def _server():
    """A function schema -> URL on a PostGIS server, and the schemas' removal afterwards."""
    import psycopg

    from lzt.workspace.postgis.url import parse_url, with_schema

    given = os.environ.get("LZT_BENCH_PG")
    cluster = None
    if given:
        base = given
    else:
        from tests import pg_cluster

        cluster = pg_cluster.start(durable=True)
        base = cluster.url()
    made: list[str] = []

    def url(schema: str) -> str:
        made.append(schema)
        return with_schema(base, schema)

    try:
        yield url
    finally:
        if cluster is not None:
            cluster.stop()
        else:
            with psycopg.connect(parse_url(base).conninfo, autocommit=True) as conn:
                for s in made:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{s}" CASCADE')


def _windows(ws, layer: str, n: int = 200) -> list[tuple[float, float, float, float]]:
    _, x, y = ws.point_coords(layer)
    pick = np.random.default_rng(7).integers(0, len(x), n)
    return [(x[i] - 500, y[i] - 500, x[i] + 500, y[i] + 500) for i in pick]


def _window_median(ws, layer: str, wins) -> tuple[float, int]:
    from lzt.query.run import QuerySpec, run_query

    times, counts = [], []
    for w in wins:
        t = time.perf_counter()
        r = run_query(ws, QuerySpec(layer=layer, bbox=w))
        times.append(time.perf_counter() - t)
        counts.append(r.count)
    return statistics.median(times), int(np.median(counts))


def run(demo: Path, rows: list) -> None:
    """Import, window queries, point reads, push/pull and community statistics on both backends."""
    from lzt.analysis.complaints import stats_by_polygons
    from lzt.ingest import import_paths
    from lzt.workspace import create_workspace, open_workspace
    from lzt.workspace.gpkg.workspace import GeoPackageWorkspace
    from lzt.workspace.postgis.workspace import PostGISWorkspace
    from lzt.workspace.transfer import copy_contents

    demo = Path(demo)
    csv = demo.parent / "points_1000000.csv"
    tmp = Path(tempfile.mkdtemp(prefix="lzt-bench-pg-"))
    try:
        with _server() as url:
            # -- import 1M points: the same pipeline into both backends ----------------
            if csv.exists():
                gws = create_workspace(tmp / "import.gpkg")
                t_g, _ = _timed(lambda: import_paths(gws, [csv]))
                pws = create_workspace(url("lzt_bench_import"))
                t_p, _ = _timed(lambda: import_paths(pws, [csv]))
                layer = pws.layers()[0].name
                rows.append(("PostGIS: import 1M-point CSV (read, reproject, COPY, GiST index)", t_p, t_g,
                             "the same import into the GeoPackage backend", "< 20 s"))
                gdf = gws.read_features(layer)
                t_gw, _ = _timed(lambda: gws.write_layer("again", gdf))
                t_pw, _ = _timed(lambda: pws.write_layer("again", gdf))
                rows.append(("PostGIS: write_layer 1M points (COPY + GiST + ANALYZE), data in memory", t_pw, t_gw,
                             "GeoPackage write_layer (inserts + R-tree bulk load)", ""))
                t_gr, _ = _timed(lambda: gws.read_features(layer))
                t_pr, _ = _timed(lambda: pws.read_features(layer))
                rows.append(("PostGIS: read_features, whole 1M-point layer", t_pr, t_gr,
                             "GeoPackage read_features", ""))
                t_gc, _ = _timed(lambda: gws.point_coords(layer), repeat=3)
                t_pc_cold, _ = _timed(lambda: pws.point_coords(layer))
                t_pc, _ = _timed(lambda: pws.point_coords(layer), repeat=3)
                rows.append(("PostGIS: point_coords of 1M points, first read (binary COPY)", t_pc_cold, t_gc,
                             "GeoPackage point_coords (array cached in the file)", ""))
                rows.append(("PostGIS: point_coords again (kept in memory until the layer changes)", t_pc, t_gc,
                             "GeoPackage point_coords (array cached in the file)", ""))
                wins = _windows(gws, layer)
                m_p, n_p = _window_median(pws, layer, wins)
                m_g, n_g = _window_median(gws, layer, wins)
                assert n_p == n_g, "the backends disagree on the windows"
                rows.append((f"PostGIS: 1 km² window query on 1M points, median of {len(wins)} (≈{n_p} rows)",
                             m_p, m_g, "the same query on the GeoPackage backend", "≤ 8 ms"))
                gws.close()
                pws.close()

            # -- the district demo: push, statistics by community, pull ------------------
            local = tmp / "district.gpkg"
            shutil.copyfile(demo, local)
            src = open_workspace(local)
            target = url("lzt_bench_district")

            def push():
                with PostGISWorkspace.creating(target, src.crs) as dst:
                    report = copy_contents(src, dst)
                dst.close()
                return report

            t_push, rep = _timed(push)
            rows.append((f"lzt push district demo → PostGIS ({len(rep.layers)} layers, {rep.features} features, "
                         f"{rep.blobs} blobs)", t_push, None, "", ""))
            pws = open_workspace(target)
            t_sp_cold, got_p = _timed(lambda: stats_by_polygons(pws, "complaints", "communities"))
            t_sp, _ = _timed(lambda: stats_by_polygons(pws, "complaints", "communities"), repeat=3)
            t_sg, got_g = _timed(lambda: stats_by_polygons(src, "complaints", "communities"), repeat=3)
            assert got_p == got_g, "the backends disagree on the community statistics"
            rows.append(("PostGIS: lzt stats --polygons communities on 1M complaints, first run", t_sp_cold, t_sg,
                         "the same statistics on the GeoPackage backend", "< 1 s"))
            rows.append(("PostGIS: the same statistics again (points kept in memory)", t_sp, t_sg,
                         "the same statistics on the GeoPackage backend", "< 1 s"))
            from lzt.analysis.overlay import count_points_in_polygons

            def per_parcel(ws):
                _, x, y = ws.point_coords("complaints")
                polys = ws.read_features("parcels", columns=[])
                return count_points_in_polygons(x, y, polys.geometry.values)

            t_op, c_p = _timed(lambda: per_parcel(pws), repeat=2)
            t_og, c_g = _timed(lambda: per_parcel(src), repeat=2)
            assert (np.asarray(c_p) == np.asarray(c_g)).all(), "the backends disagree on the parcel counts"
            rows.append((f"PostGIS: count 1M complaints per parcel ({len(c_p)} polygons), from the workspace",
                         t_op, t_og, "the same overlay on the GeoPackage backend", "< 1 s"))
            pws.close()
            src.close()

            def pull():
                out = tmp / "pulled.gpkg"
                s = PostGISWorkspace.open(target)
                d = GeoPackageWorkspace.create(out, s.crs)
                try:
                    return copy_contents(s, d)
                finally:
                    d.close()
                    s.close()

            t_pull, _ = _timed(pull)
            rows.append(("lzt pull the district workspace back into a GeoPackage", t_pull, None, "", ""))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    demo_path = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "_data" / "district.gpkg"
    out: list = []
    run(demo_path, out)
    print_rows(out)
