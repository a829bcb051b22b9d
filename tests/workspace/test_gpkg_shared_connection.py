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


def test_big_blobs_are_read_without_waiting_for_the_shared_connection(tmp_path):
    """Point caches, rasters and keyed blobs are read on a second connection: a GUI thread's
    catalogue read does not wait behind a 24 MB read, nor such a read behind a long statement.
    Inside a write transaction they are read on the shared connection (its uncommitted state)."""
    ws = _workspace_with_everything(tmp_path)
    try:
        big = {"blob": lambda: ws.get_blob("mesh", "k"), "raster": lambda: ws.raster_bytes("r"),
               "points": lambda: ws.point_coords("a")[1].tolist()}
        expected = {name: read() for name, read in big.items()}
        assert ws._reader is not None  # the cache was stored by the first read, read from the second
        for name, read in big.items():
            out = {}
            t = threading.Thread(target=lambda: out.setdefault("r", read()))
            release = threading.Event()

            def hold():
                with ws._lock:  # a statement in progress on the shared connection ...
                    release.wait(30)

            # ... started after the check of the write state: the read goes on meanwhile
            holder = threading.Thread(target=hold)
            orig = ws._conn
            ws._conn = _StartsHolderAfterCheck(orig, holder)
            try:
                t.start()
                t.join(10)
                assert out.get("r") == expected[name], f"{name} waited for the shared connection"
            finally:
                release.set()
                holder.join(10)
                ws._conn = orig
        with ws._write() as conn:  # inside a write: the shared connection's uncommitted state
            conn.execute("UPDATE lzt_rasters SET data = ? WHERE name = 'r'", (b"new",))
            conn.execute("UPDATE lzt_blobs SET data = ? WHERE kind = 'mesh'", (b"newer",))
            assert ws.raster_bytes("r") == b"new" and ws.get_blob("mesh", "k") == b"newer"
        assert ws.raster_bytes("r") == b"new" and ws.get_blob("mesh", "k") == b"newer"
        ws.close()
        assert ws._reader is None
    finally:
        ws.close()


class _StartsHolderAfterCheck:
    """The shared connection; ``_read_big``'s (or the point cache's ``_read_cached_points``') look at
    ``in_transaction`` starts a thread that then holds the lock."""

    def __init__(self, conn, holder):
        self._c, self._holder = conn, holder

    def __getattr__(self, attr):
        import sys

        if attr == "in_transaction" and self._holder.ident is None and sys._getframe(1).f_code.co_name in (
                "_read_big", "_read_cached_points"):
            value = self._c.in_transaction
            self._holder.start()
            import time

            time.sleep(0.2)  # the holder has the lock now
            return value
        return getattr(self._c, attr)


def test_close_leaves_no_wal_or_shm_after_side_connections(tmp_path):
    """The catalogue's read-only probe and the big-read connection close before the shared one,
    so SQLite, closing the file's last connection, removes the -wal and -shm files."""
    from lzt.workspace.gpkg.workspace import GeoPackageWorkspace

    path = tmp_path / "ws.gpkg"
    ws = GeoPackageWorkspace.create(path)
    ws.write_layer("a", gpd.GeoDataFrame({"n": [1, 2]}, geometry=[shapely.Point(500_000, 2_500_000),
                                                                  shapely.Point(500_010, 2_500_010)],
                                         crs="EPSG:4547"))
    ws.close()
    ws = GeoPackageWorkspace.open(path)
    ws._probe_version()  # the probe, as a catalogue read beside a busy worker opens it
    fids, x, y = ws.point_coords("a")  # the big-read connection
    assert ws._probe is not None and ws._reader is not None and list(fids) == [1, 2]
    ws.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws.gpkg"]
    assert ws._read_big("SELECT 1") is None  # no connection is opened again after close
    assert ws._reader is None and ws._probe_version() is None
