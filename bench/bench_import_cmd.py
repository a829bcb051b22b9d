"""The whole ``lzt import`` command against bench/import_reference.py, alternating in one run.

Each side runs as a new process (interpreter start and imports included, as a user waits
for them), A, B, A, B …; the row gives the best wall time of each and the CPU seconds of
that run (user + system of the child, from getrusage), so a busy machine is visible.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _run(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of running ``cmd``."""
    import time

    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def _clear(path: Path) -> None:
    for p in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        p.unlink(missing_ok=True)


def compare(csv: Path, data: Path, rounds: int = 2) -> dict:
    """Best (wall, cpu) of ``lzt import`` into a new workspace and of the reference script,
    run alternately ``rounds`` times each, and the load average at the end."""
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    ws, ref = data / "import_cmd.gpkg", data / "import_cmd_ref.gpkg"
    lzt, gdal = [], []
    for _ in range(rounds):
        _clear(ws)
        subprocess.run([sys.executable, "-m", "lzt", "init", str(ws)], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        lzt.append(_run([sys.executable, "-m", "lzt", "import", str(ws), str(csv)], env))
        _clear(ref)
        gdal.append(_run([sys.executable, str(HERE / "import_reference.py"), str(csv), str(ref)], env))
    return {"lzt": min(lzt), "reference": min(gdal), "load": os.getloadavg()}


def rows_for(csv: Path, data: Path, n_rows: int, rows: list, rounds: int = 2) -> None:
    """Append the whole-command row to ``rows`` (the bench table's form)."""
    r = compare(csv, data, rounds)
    (t, cpu), (t_ref, cpu_ref) = r["lzt"], r["reference"]
    rows.append((f"lzt import {n_rows:,}-point CSV, whole command in a new process, best of {rounds} "
                 f"alternating (CPU {cpu:.2f} s vs {cpu_ref:.2f} s, load {r['load'][0]:.1f})",
                 t, t_ref, "bench/import_reference.py: pandas (pyarrow) + geopandas to_crs + pyogrio "
                           "write GPKG, new process", "≤ 0.7× reference"))
