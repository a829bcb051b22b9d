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


def _workspace_with_everything(tmp_path):
    from lzt.workspace.gpkg.workspace import GeoPackageWorkspace

    ws = GeoPackageWorkspace.create(tmp_path / "ws.gpkg")
    ws.write_layer("a", gpd.GeoDataFrame({"parcel_id": [f"P{i}" for i in range(50)], "version": [1] * 50},
                                         geometry=[shapely.Point(500_000 + i, 2_500_000) for i in range(50)],
                                         crs="EPSG:4547"), kind="supervision")
    ws.write_raster("r", b"raster-bytes" * 100, info={"width": 1, "height": 1})
    ws.put_blobs("mesh", {"k": b"blob-bytes" * 100})
    ws.add_inspection("a", 1, {"inspected_on": "2026-01-01", "inspector": "x", "result": "ok"},
                      expected_version=1)
    return ws


def _reads(ws):
    return {"blob": lambda: ws.get_blob("mesh", "k"), "raster": lambda: ws.raster_bytes("r"),
            "batches": lambda: sum(len(b) for b in ws.iter_batches("a", batch_size=7)),
            "blob_items": lambda: list(ws.blob_items()), "record_rows": ws.record_rows,
            "integrity": ws.integrity_check, "inspections": lambda: ws.inspections("a"),
            "layer_stamp": lambda: ws.layer_stamp("a"), "points": lambda: len(ws.point_coords("a")[0]),
            "ids": lambda: ws.sql_feature_ids("a").tolist()}


class _LockCheckingConnection:
    """The workspace's connection, refusing any use by a thread that does not hold the lock."""

    def __init__(self, conn, lock):
        self._c, self._lock, self.unlocked = conn, lock, []

    def __getattr__(self, attr):
        if not self._lock._is_owned():
            self.unlocked.append(attr)
        return getattr(self._c, attr)


def test_every_read_uses_the_connection_only_under_the_lock(tmp_path):
    ws = _workspace_with_everything(tmp_path)
    try:
        for name, read in _reads(ws).items():
            expected = read()
            guard = ws._conn = _LockCheckingConnection(ws._conn, ws._lock)
            try:
                assert read() == expected, name
            finally:
                ws._conn = guard._c
            assert not guard.unlocked, f"{name} used the connection unlocked: {guard.unlocked}"
    finally:
        ws.close()


def test_reads_from_many_threads_at_once_give_what_one_thread_gives(tmp_path):
    ws = _workspace_with_everything(tmp_path)
    try:
        reads = _reads(ws)
        expected = {name: read() for name, read in reads.items()}
        errors: list[BaseException] = []

        def hammer():
            try:
                for _ in range(60):
                    for name, read in reads.items():
                        assert read() == expected[name], name
            except BaseException as e:  # noqa: BLE001 - reported by the main thread
                errors.append(e)

        threads = [threading.Thread(target=hammer) for _ in range(3)]
        for t in threads:
            t.start()
        for _ in range(60):
            for name, read in reads.items():
                assert read() == expected[name], name
        for t in threads:
            t.join(120)
        assert not errors, errors[:3]
    finally:
        ws.close()
