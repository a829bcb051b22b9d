"""A bulk transaction (large imports) of a GeoPackage workspace: the rollback journal while it runs
when the workspace is the file's only user, WAL again after it, and the same outcome as any
transaction: all or nothing, a killed writer leaves the workspace as it was."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from lzt.workspace import create_workspace, open_workspace
from tests.conftest import REPO, longgang_points


def _journal_mode(path) -> str:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def test_bulk_write_uses_the_rollback_journal_and_leaves_wal(tmp_path):
    path = tmp_path / "ws.gpkg"
    ws = create_workspace(path)
    try:
        ws.layers()  # the catalogue's read-only probe is open now, as in a session
        with ws.transaction(bulk=True):
            inside = ws._conn.execute("PRAGMA journal_mode").fetchone()[0]
            ws.write_layer("pts", longgang_points(2_000))
            ws.layers()  # the catalogue inside the write (no probe meanwhile)
        assert inside == "delete"
        assert ws._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert ws._conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL again
        assert ws.layer("pts").count == 2_000
        assert ws._probe_version() is not None  # the probe opens again after it
    finally:
        ws.close()
    assert _journal_mode(path) == "wal"
    ws = open_workspace(path)
    try:
        assert ws.read_features("pts").shape[0] == 2_000
        assert ws.integrity_check() == "ok"
    finally:
        ws.close()


def test_bulk_write_with_another_connection_open_is_an_ordinary_transaction(tmp_path):
    path = tmp_path / "ws.gpkg"
    ws = create_workspace(path)
    other = open_workspace(path)  # e.g. the desktop client has the workspace open
    try:
        other.layers()
        with ws.transaction(bulk=True):
            inside = ws._conn.execute("PRAGMA journal_mode").fetchone()[0]
            ws.write_layer("pts", longgang_points(500))
        assert inside == "wal"
        assert [i.name for i in other.layers()] == ["pts"]
    finally:
        other.close()
        ws.close()


def test_failed_bulk_write_leaves_nothing(tmp_path):
    path = tmp_path / "ws.gpkg"
    ws = create_workspace(path)
    try:
        ws.write_layer("keep", longgang_points(20))
        with pytest.raises(RuntimeError, match="stop"):
            with ws.transaction(bulk=True):
                ws.write_layer("pts", longgang_points(500))
                raise RuntimeError("stop")
        assert [i.name for i in ws.layers()] == ["keep"]
        assert ws._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        ws.close()


HOLDER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {repo!r})
    from lzt.workspace import open_workspace
    from tests.conftest import longgang_points
    gdf = longgang_points({n}, seed=2)
    ws = open_workspace({ws!r})
    with ws.transaction(bulk=True):
        print(ws._conn.execute("PRAGMA journal_mode").fetchone()[0], flush=True)
        ws.write_layer("big", gdf)
        print("WRITTEN", flush=True)
        {then}
    print("DONE", flush=True)
""")


def _writer(path, n: int, then: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", HOLDER.format(repo=str(REPO), ws=str(path), n=n, then=then)],
                            stdout=subprocess.PIPE, text=True)


def _wait_for(proc: subprocess.Popen, want: str) -> list[str]:
    lines, deadline = [], time.time() + 120
    while time.time() < deadline:
        line = proc.stdout.readline().strip()
        lines.append(line)
        if line == want or not line:
            break
    return lines


@pytest.fixture
def kept(tmp_path):
    """A workspace holding one layer of 50 points, closed."""
    path = tmp_path / "ws.gpkg"
    ws = create_workspace(path)
    ws.write_layer("keep", longgang_points(50))
    ws.close()
    return path


def _writing(path, n: int, then: str) -> subprocess.Popen:
    """A process that has written ``n`` points in a bulk transaction and not committed: it runs
    ``then`` first."""
    proc = _writer(path, n, then)
    lines = _wait_for(proc, "WRITTEN")
    assert lines[:2] == ["delete", "WRITTEN"], lines
    return proc


def test_sigkill_during_bulk_write_leaves_workspace_as_it_was(kept):
    path = kept
    proc = _writing(path, 50_000, "time.sleep(60)")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    ws = open_workspace(path)  # rolls the hot journal back
    try:
        assert [i.name for i in ws.layers()] == ["keep"]
        assert ws.integrity_check() == "ok"
        assert ws.read_features("keep").shape[0] == 50
        assert not any("big" in r[0] for r in ws._conn.execute("SELECT name FROM sqlite_master"))
        assert ws._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        ws.close()


def test_a_process_opening_the_workspace_during_a_bulk_write_reads_it_as_it_was(kept):
    path = kept
    proc = _writing(path, 2_000, "time.sleep(3)")
    try:
        reader = open_workspace(path)  # connects while the writer holds the file
        try:
            assert [i.name for i in reader.layers()] == ["keep"]
            assert reader.read_features("keep").shape[0] == 50
        finally:
            reader.close()
        assert proc.stdout.readline().strip() == "DONE"
    finally:
        proc.wait()
    assert _journal_mode(path) == "wal"
    ws = open_workspace(path)
    try:
        assert sorted(i.name for i in ws.layers()) == ["big", "keep"]
        assert ws.integrity_check() == "ok"
    finally:
        ws.close()
