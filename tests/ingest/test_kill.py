"""A process killed in the middle of an import leaves the workspace as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from lzt.workspace import create_workspace, open_workspace
from tests.conftest import REPO, longgang_points

WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {repo!r})
    from lzt.core.feedback import Feedback
    from lzt.workspace import open_workspace
    from tests.conftest import longgang_points
    gdf = longgang_points(600_000, seed=2)
    ws = open_workspace({ws!r})
    def progress(done, total, msg):
        if done >= 100_000:
            print("WRITING", flush=True)
    ws.write_layer("big", gdf, feedback=Feedback(progress))
    print("DONE", flush=True)
""")


def test_sigkill_during_write_leaves_workspace_as_it_was(tmp_path):
    path = tmp_path / "ws.gpkg"
    ws = create_workspace(path)
    ws.write_layer("keep", longgang_points(50))
    ws.close()
    proc = subprocess.Popen([sys.executable, "-c", WRITER.format(repo=str(REPO), ws=str(path))],
                            stdout=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    line = ""
    while time.time() < deadline:
        line = proc.stdout.readline()
        if line.strip() in ("WRITING", "DONE") or not line:
            break
    assert line.strip() == "WRITING", f"writer did not reach the write phase: {line!r}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    ws = open_workspace(path)
    try:
        assert [i.name for i in ws.layers()] == ["keep"]
        assert ws.integrity_check() == "ok"
        assert ws.read_features("keep").shape[0] == 50
        names = [r[0] for r in ws._conn.execute("SELECT name FROM sqlite_master")]
        assert not any("big" in n for n in names)
    finally:
        ws.close()
