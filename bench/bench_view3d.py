"""The 3D CIM view on the district demo (430 BIM models): scene build and frame time."""

from __future__ import annotations

import os
import time
from pathlib import Path


def run(demo: Path, rows: list) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from lzt.gui.app import make_app
    from lzt.gui.view3d.widget import View3D
    from lzt.session import Session
    from lzt.workspace import open_workspace

    make_app("zh_CN")
    ws = open_workspace(demo)
    try:
        v = View3D(Session(ws))
        v.resize(1600, 1000)
        t = time.perf_counter()
        if not v.build():
            raise RuntimeError(v.error)
        t_build = time.perf_counter() - t
        frame = v.frame_time(30)
        full = v.frame_time(10, fast=False)
        n, tris, nb = len(v.scene.facts), v.scene.triangles, v.scene.building_count
        v.shutdown()
    finally:
        ws.close()
    rows.append((f"3D view: build the scene ({n} BIM models + {nb:,} extruded buildings, {tris:,} triangles, "
                 "DEM + base-map texture)",
                 t_build, None, "", ""))
    rows.append(("3D view: one frame while orbiting (half resolution while dragging), 1600x1000 window, "
                 "median of 30", frame, None, "", ""))
    rows.append(("3D view: one full-resolution frame 1600x1000 (software GL: Mesa llvmpipe)", full, None, "", ""))
