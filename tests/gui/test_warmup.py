"""lzt.gui.warmup: the callbacks waiting for the start-up imports run whatever the imports did."""

from __future__ import annotations

import sys


def _probe(tmp_path, monkeypatch, name: str, body: str) -> str:
    (tmp_path / f"{name}.py").write_text(body, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


def test_a_broken_module_does_not_keep_the_callbacks_waiting(qtbot, tmp_path, monkeypatch):
    """A module that fails with something other than ImportError (pyproj without its data raises
    an OSError-like error): the modules after it are still imported and the callbacks still run."""
    from PySide6.QtWidgets import QWidget

    from lzt.gui.warmup import Warmup

    broken = _probe(tmp_path, monkeypatch, "lzt_warm_broken", "raise RuntimeError('no data files')\n")
    after = _probe(tmp_path, monkeypatch, "lzt_warm_after", "VALUE = 1\n")
    owner = QWidget()
    qtbot.addWidget(owner)
    warm = Warmup(owner, modules=(broken, "lzt_warm_missing_module", after))
    called = []
    warm.expect(latest_ms=60_000)
    warm.call_after(lambda: called.append("owner"), owner)
    warm.call_after(lambda: called.append("free"))
    assert warm.running and called == []
    warm.start()
    qtbot.waitUntil(lambda: len(called) == 2, timeout=10_000)
    assert warm.finished and sorted(called) == ["free", "owner"]
    assert after in sys.modules and broken not in sys.modules
    monkeypatch.delitem(sys.modules, after)


def test_a_callback_whose_receiver_is_deleted_is_not_called(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QWidget

    from lzt.gui.warmup import Warmup

    name = _probe(tmp_path, monkeypatch, "lzt_warm_plain", "VALUE = 1\n")
    owner, gone = QWidget(), QWidget()
    qtbot.addWidget(owner)
    warm = Warmup(owner, modules=(name,))
    called = []
    warm.expect(latest_ms=60_000)
    warm.call_after(lambda: called.append("gone"), gone)
    warm.call_after(lambda: called.append("kept"), owner)
    gone.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(gone), timeout=5_000)
    warm.start()
    qtbot.waitUntil(lambda: called == ["kept"], timeout=10_000)
    qtbot.wait(50)
    assert called == ["kept"]
    monkeypatch.delitem(sys.modules, name)
