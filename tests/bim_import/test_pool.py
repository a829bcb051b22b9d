"""Reading IFC models in worker processes: order kept, crashes fall back, then fail alone."""

from __future__ import annotations

import pytest

pytest.importorskip("ifcopenshell")

from bim_import import read_ifc_model  # noqa: E402
from bim_import import pool as pool_module  # noqa: E402
from bim_import.pool import ModelReaderPool, default_workers, helpers_per_file  # noqa: E402
from bim_import.tessellate import KERNELS, SAFE_KERNEL  # noqa: E402
from lzt.core.errors import LztInputError  # noqa: E402


def test_pool_keeps_order_and_survives_crashes(real_data):
    good = real_data / "ifc/IfcOpenHouse_IFC4.ifc"
    other = real_data / "ifc/example.ifc"
    crash = real_data / "malformed/cyclic-placement.ifc"
    broken = real_data / "malformed/unterminated-string.ifc"
    jobs = [(good, None), None, (crash, None), (other, None), (broken, None), (good, None)]
    with ModelReaderPool(2, kernel=KERNELS[0]) as pool:
        out = list(pool.imap(jobs))
    assert out[1] is None
    first, last = out[0].model, out[5].model
    assert first.kernel == KERNELS[0] and first.footprint.equals(last.footprint)
    # crashed with the fast kernel, read again with the safe one, crashed again: that file only fails
    assert out[2].model is None and "SIGSEGV" in out[2].error.problem and out[2].error.source == str(crash)
    assert "ISO-10303-21 header is missing" in out[4].error.problem
    # a worker's model is the one read in this process
    here = read_ifc_model(other, kernel=KERNELS[0])
    assert out[3].model.footprint.equals(here.footprint) and out[3].model.gfa_m2 == here.gfa_m2
    assert (out[3].model.faces == here.faces).all()


def test_placement_runs_in_the_worker_and_comes_back(real_data):

    with ModelReaderPool(1, kernel=SAFE_KERNEL) as pool:
        [res] = pool.imap([(real_data / "ifc/IfcOpenHouse_IFC4.ifc", _Tag())])
    assert res.placement.calls == 1 and res.model.kernel == SAFE_KERNEL
    assert res.model.georef.note == "tagged"


class _Tag:
    def __init__(self):
        self.calls = 0

    def __call__(self, g):
        from dataclasses import replace

        self.calls += 1
        return replace(g, note="tagged")


def test_workers_from_the_environment(monkeypatch):
    monkeypatch.setenv("LZT_IFC_WORKERS", "3")
    assert default_workers() == 3
    monkeypatch.setenv("LZT_IFC_WORKERS", "0")
    with pytest.raises(LztInputError, match="LZT_IFC_WORKERS"):
        default_workers()


def test_workers_started_ahead_read_and_the_unneeded_stop(real_data):
    from lzt.ingest.bim_placement import Placement, UserPlacement

    good = real_data / "ifc/IfcOpenHouse_IFC4.ifc"
    crash = real_data / "malformed/cyclic-placement.ifc"
    with ModelReaderPool(2, kernel=KERNELS[0], preload=("lzt.ingest.bim_placement",)) as pool:
        pool.start(5)  # at most one per worker slot
        started = [w.proc for w in pool._workers]
        assert len(started) == 2 and all(p.poll() is None for p in started)
        out = list(pool.imap([(good, Placement(UserPlacement(), "EPSG:4547", good))]))
        assert pool._workers == [] and all(p.poll() is not None for p in started)
    assert out[0].model.kernel == KERNELS[0] and out[0].placement.warnings == []
    here = read_ifc_model(good, kernel=KERNELS[0])
    assert out[0].model.footprint.equals(here.footprint) and out[0].model.gfa_m2 == here.gfa_m2
    with ModelReaderPool(1, kernel=KERNELS[0]) as pool:  # a crash in a worker started ahead stays in it
        pool.start(1)
        [res] = pool.imap([(crash, None)])
    assert res.model is None and "SIGSEGV" in res.error.problem


def test_a_file_held_behind_a_crash_is_read_again(real_data):
    """One worker holds two files (DEPTH); it dies on the first: the second, never answered, is
    sent again to a new worker and read, and the answers keep their order."""
    from bim_import.pool import DEPTH

    good = real_data / "ifc/IfcOpenHouse_IFC4.ifc"
    crash = real_data / "malformed/cyclic-placement.ifc"
    assert DEPTH >= 2
    with ModelReaderPool(1, kernel=SAFE_KERNEL) as pool:
        out = list(pool.imap([(crash, None), (good, None)]))
    assert out[0].model is None and "SIGSEGV" in out[0].error.problem
    here = read_ifc_model(good, kernel=SAFE_KERNEL)
    assert out[1].error is None and out[1].model.footprint.equals(here.footprint)


def _sent_jobs(monkeypatch) -> list:
    sent, send = [], pool_module._Worker.send
    monkeypatch.setattr(pool_module._Worker, "send", lambda self, job, timeout: (sent.append(job), send(self, job, timeout)))
    return sent


def test_one_file_is_tessellated_on_the_cores_no_other_worker_uses(tmp_path, monkeypatch):
    """A single large file: its reader forks a helper per idle core; a batch keeps one core each.
    The model is the same either way (the helpers' triangles are the reader's own)."""
    from lzt.demo.bim import BuildingPlan, write_ifc

    plan = BuildingPlan(file="t.ifc", parcel_id="P1", landuse_code="R2", origin=(500000.0, 2500000.0),
                        rotation_deg=20.0, width_m=30.0, depth_m=14.0, storeys=20, storey_height_m=3.0,
                        height_limit_m=80.0, far_limit=3.0, breaks="")
    tower = write_ifc(plan, tmp_path / "t.ifc")  # 101 elements: split in chunks
    monkeypatch.setattr(pool_module, "available_cores", lambda: 4)
    sent = _sent_jobs(monkeypatch)
    with ModelReaderPool(3, kernel=KERNELS[0]) as pool:
        (alone,) = pool.imap([(tower, None)])
    with ModelReaderPool(3, kernel=KERNELS[0]) as pool:
        batch = list(pool.imap([(tower, None)] * 3))
    assert [j.helpers for j in sent] == [2, 0, 0, 0]  # 3 workers on 4 cores: 1 file and 2 helpers; 3 files
    assert all((o.model.faces == alone.model.faces).all() and o.model.footprint.equals(alone.model.footprint)
               for o in batch)
    assert alone.model.gfa_m2 == batch[0].model.gfa_m2 and alone.model.storey_count == 20


def test_helpers_per_file_share_the_free_cores(monkeypatch):
    monkeypatch.setattr(pool_module, "available_cores", lambda: 2)
    assert helpers_per_file(2, 1) == 1 and helpers_per_file(2, 2) == 0 and helpers_per_file(2, 430) == 0
    assert helpers_per_file(1, 1) == 0  # LZT_IFC_WORKERS=1: one process, no helper
    assert helpers_per_file(8, 1) == 1  # more workers asked for than cores: the cores decide
    monkeypatch.setattr(pool_module, "available_cores", lambda: 16)
    assert helpers_per_file(16, 1) == pool_module.MAX_HELPERS and helpers_per_file(16, 4) == 3
    assert helpers_per_file(16, 5) == 2 and helpers_per_file(16, 16) == 0
