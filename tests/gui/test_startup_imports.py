"""The main window opens before the scientific stack is imported (issue 18.5, issue 19.4: the
window-open gap was the imports before the event loop); the warm-up brings it in afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

STACK = ("pandas", "geopandas", "shapely", "pyproj")

CHILD = r"""
import json, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings
for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
    QSettings.setPath(fmt, QSettings.Scope.UserScope, sys.argv[2])
stack = json.loads(sys.argv[3])
from lzt.gui.app import make_app, open_main_window
app = make_app("zh_CN")
from PySide6.QtCore import QTimer
ticks = []
beat = QTimer()
beat.timeout.connect(lambda: ticks.append(1))
beat.start(0)  # fires on every turn of the event loop
win = open_main_window(sys.argv[1])
beat.stop()
win.resize(1200, 800)
from lzt.gui import warmup
at_picture = []  # the warm-up started when the map's first picture came? (it should not have)
for sig in (win.canvas.partly_rendered, win.canvas.rendered):
    sig.connect(lambda _s: at_picture.append(warmup._warmup.started))
win.show()
shown = sorted(m for m in stack if m in sys.modules)
status = win.crs_label.text()
deadline = time.time() + 120
while (warmup._warmup is None or not warmup._warmup.finished) and time.time() < deadline:
    app.processEvents()
    time.sleep(0.01)
app.processEvents()
after = sorted(m for m in stack if m in sys.modules)
print("RESULT " + json.dumps({"shown": shown, "after": after, "finished": warmup._warmup.finished,
                              "status_before": status, "status_after": win.crs_label.text(),
                              "turns": len(ticks), "at_picture": at_picture}))
win.close()
"""


def test_window_shows_before_the_stack_is_imported(demo_copy, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    out = subprocess.run([sys.executable, "-c", CHILD, str(demo_copy), str(tmp_path / "settings"), json.dumps(STACK)],
                         capture_output=True, text=True, timeout=300, env=env)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
    assert line is not None, out.stderr[-2000:]
    res = json.loads(line[7:])
    assert res["shown"] == []  # main window module, workspace, window built and shown: none of them
    # the event loop turned between the window's module imports (one long gap before: issue 19.4)
    assert res["turns"] >= 10
    assert res["finished"] and res["after"] == sorted(STACK)  # the warm-up imported them all
    # it started after the map's first picture (which needs none of them: issue 18.5)
    assert res["at_picture"] and res["at_picture"][0] is False
    # the status bar's CRS note needs pyproj: it follows the warm-up
    assert res["status_before"] == "EPSG:4547"
    assert res["status_after"].startswith("EPSG:4547 ") and "2000国家大地坐标系" in res["status_after"]


def test_lazy_module_stands_for_the_module(tmp_path, monkeypatch):
    """Imported on the first attribute asked, once, and the same objects as a plain import."""
    (tmp_path / "lzt_probe_mod.py").write_text("import sys\nsys.modules.setdefault('lzt_probe_count', []).append(1)\n"
                                               "VALUE = object()\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    from lzt.core.lazy import lazy_module

    probe = lazy_module("lzt_probe_mod")
    assert "lzt_probe_mod" not in sys.modules
    import threading

    got = []
    threads = [threading.Thread(target=lambda: got.append(probe.VALUE)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    import lzt_probe_mod

    assert got == [lzt_probe_mod.VALUE] * 4 and sys.modules["lzt_probe_count"] == [1]
    sys.modules.pop("lzt_probe_mod", None)
    sys.modules.pop("lzt_probe_count", None)


def test_cheap_pyside_check_agrees_with_pyside():
    """The file-read check gives PySide6's own answer for every module loaded so far."""
    from lzt.gui.import_hook import _file_names_pyside, cheap_pyside_check

    assert cheap_pyside_check()
    feature = sys.modules["shibokensupport.feature"]
    original = feature._mod_uses_pyside.__closure__  # the installed check wraps PySide6's own
    pyside = next(c.cell_contents for c in original if callable(c.cell_contents))
    modules = [m for m in list(sys.modules.values()) if m is not None]
    assert len(modules) > 200
    answers = [(m.__name__, _file_names_pyside(m, pyside), pyside(m)) for m in modules]
    assert [a for a in answers if a[1] != a[2]] == []
    assert any(a[1] for a in answers) and not all(a[1] for a in answers)
