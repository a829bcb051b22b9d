"""Issue 18: ``lzt demo --scale district`` (time and peak memory), each in a fresh process.

Reference in the same run: generating the same layers' data in memory only (the generators
the builder calls, all frames at once, nothing stored and no IFC models): what the data
costs before anything is written, the floor a streaming builder can approach.
``python bench/bench_demo.py [small|district]`` runs it alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
t = time.perf_counter()
{work}
rs, rc = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({{"seconds": time.perf_counter() - t, "peak_mb": rs.ru_maxrss / 1024,
                  "worker_mb": rc.ru_maxrss / 1024, "cpu": rs.ru_utime + rs.ru_stime + rc.ru_utime + rc.ru_stime}}))
"""

_BUILD = """
from lzt.demo.build import build_demo
build_demo({out!r}, {scale!r}, force=True)
"""

_IN_MEMORY = """
from lzt.demo.bim import plan_buildings, plan_json
from lzt.demo.build import BIM_MODELS, COMPLAINTS, SEED
from lzt.demo.buildings import generate_buildings
from lzt.demo.complaints import generate_complaints
from lzt.demo.doorplates import generate_doorplates
from lzt.demo.generate import generate
from lzt.demo.supervision import generate_supervision
data = generate({scale!r}, seed=SEED)
plans = plan_buildings(data.parcels, BIM_MODELS[{scale!r}], SEED)
sup = generate_supervision(data.parcels, plan_json(plans), {scale!r}, SEED)
buildings = generate_buildings(data.parcels, set(sup["parcel_id"]), SEED)
plates = generate_doorplates(data.roads, data.poi, data.parcels, buildings, data.communities, SEED)
site = sup[sup["status"] == "在建"].sort_values("parcel_id", kind="stable").geometry.iloc[0].centroid
complaints = generate_complaints(data.poi, data.roads, data.communities, COMPLAINTS[{scale!r}], SEED,
                                 site=(site.x, site.y), plates=plates)
"""


def _child(work: str) -> dict:
    code = _CHILD.format(repo=str(HERE.parent), work=work)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(scale: str) -> tuple[dict, dict, tuple[float, float]]:
    """(build, in-memory reference, load average before/after as 1-min figures)."""
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(dir=HERE / "_data" if (HERE / "_data").is_dir() else None) as d:
        build = _child(_BUILD.format(out=str(Path(d) / f"{scale}.gpkg"), scale=scale))
    ref = _child(_IN_MEMORY.format(scale=scale))
    return build, ref, (load0, os.getloadavg()[0])


def run(demo: Path, rows: list) -> None:
    scale = "district" if "district" in Path(demo).name else "small"
    build, ref, load = measure(scale)
    rows.append((f"lzt demo --scale {scale}: peak RSS {build['peak_mb']:.0f} MB, largest child (IFC "
                 f"workers, work orders) {build['worker_mb']:.0f} MB, CPU {build['cpu']:.0f} s (reference: {ref['peak_mb']:.0f} MB, load {load[0]:.1f}→{load[1]:.1f})",
                 build["seconds"], ref["seconds"], "the same layers generated in memory only (no writes, no IFC)",
                 "≤ 90 s, ≤ 2 GB" if scale == "district" else ""))


if __name__ == "__main__":
    rows: list = []
    run(Path(sys.argv[1] if len(sys.argv) > 1 else "district"), rows)
    for name, t, ref, what, target in rows:
        print(f"{name}\n  build {t:.1f} s, reference {ref:.1f} s ({what}); target {target}")
