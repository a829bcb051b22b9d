"""The workspace's one sqlite3 connection is shared by the GUI thread and workers: every read
takes the workspace lock (two statements at once on one connection raised
"SystemError: ... returned NULL without setting an exception" in the supervision bench)."""

from __future__ import annotations

import threading

import geopandas as gpd
import shapely


def test_record_and_setting_reads_wait_for_the_lock(tmp_path):
    from lzt.workspace.gpkg.workspace import GeoPackageWorkspace

    ws = GeoPackageWorkspace.create(tmp_path / "ws.gpkg")
    try:
        ws.write_layer("a", gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.Point(500_000, 2_500_000)],
                                             crs="EPSG:4547"))
        ws.set_setting("k", 1)
        reads = {"inspections": lambda: ws.inspections("a"), "audit": ws.audit_entries,
                 "setting": lambda: ws.get_setting("k"), "settings": ws.all_settings,
                 "bbox": lambda: ws.fids_in_bbox("a", (0, 0, 1e7, 1e7))}
        for name, read in reads.items():
            done = threading.Event()
            out = {}
            t = threading.Thread(target=lambda: (out.setdefault("r", read()), done.set()))
            with ws._lock:  # a worker's statement in progress
                t.start()
                assert not done.wait(0.3), f"{name} read the connection while another thread held it"
            t.join(30)
            assert done.is_set(), name
        assert ws.get_setting("k") == 1 and list(ws.fids_in_bbox("a", (0, 0, 1e7, 1e7))) == [1]
    finally:
        ws.close()
