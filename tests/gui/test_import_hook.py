"""lzt.gui.import_hook patches a private PySide6 function: a PySide6 that changes it must see
its own check, untouched or called as it calls it, and the import hook never fail."""

from __future__ import annotations

import sys
import types


def _fake_feature(monkeypatch, **attrs) -> types.ModuleType:
    __import__("PySide6")  # loads the real support modules first

    fake = types.ModuleType("shibokensupport.feature")
    for k, v in attrs.items():
        setattr(fake, k, v)
    monkeypatch.setitem(sys.modules, "shibokensupport.feature", fake)
    return fake


def test_a_pyside_without_the_check_is_left_alone(monkeypatch):
    from lzt.gui.import_hook import cheap_pyside_check

    fake = _fake_feature(monkeypatch)
    assert cheap_pyside_check() is False and not hasattr(fake, "_mod_uses_pyside")
    fake = _fake_feature(monkeypatch, _mod_uses_pyside="not a function")
    assert cheap_pyside_check() is False and fake._mod_uses_pyside == "not a function"


def test_another_signature_goes_to_pysides_own_check(monkeypatch):
    """A later PySide6 calling the check with more arguments gets its own function's answer."""
    from lzt.gui.import_hook import cheap_pyside_check

    calls = []

    def own(module, strict=False):
        calls.append((module.__name__, strict))
        return "own answer"

    fake = _fake_feature(monkeypatch, _mod_uses_pyside=own)
    assert cheap_pyside_check() is True and fake._mod_uses_pyside is not own
    assert cheap_pyside_check() is True  # installed once, not wrapped twice
    assert fake._mod_uses_pyside._lzt_original is own
    assert fake._mod_uses_pyside(types, True) == "own answer"
    assert fake._mod_uses_pyside(types, strict=True) == "own answer"
    assert calls == [("types", True), ("types", True)]
    # the one-argument call is answered from the file: types.py does not name PySide6
    assert fake._mod_uses_pyside(types) is False and len(calls) == 2


def test_a_module_the_file_read_cannot_judge_goes_to_pysides_own_check(monkeypatch, tmp_path):
    from lzt.gui.import_hook import cheap_pyside_check

    seen = []
    fake = _fake_feature(monkeypatch, _mod_uses_pyside=lambda m: seen.append(m) or True)
    cheap_pyside_check()
    built_in = fake._mod_uses_pyside(sys)  # no .py file
    gone = types.ModuleType("lzt_gone")
    gone.__spec__ = types.SimpleNamespace(origin=str(tmp_path / "deleted.py"))  # file removed since
    odd = types.ModuleType("lzt_odd")
    odd.__spec__ = types.SimpleNamespace(origin=object())
    assert (built_in, fake._mod_uses_pyside(gone), fake._mod_uses_pyside(odd)) == (True, True, True)
    assert seen == [sys, gone, odd]


def test_the_real_hook_still_imports_modules_naming_pyside(tmp_path, monkeypatch):
    """With the check installed in the real PySide6, a module naming PySide6 and one that does
    not both import (the hook runs for each)."""
    from lzt.gui.import_hook import cheap_pyside_check

    assert cheap_pyside_check()
    (tmp_path / "lzt_hook_qt.py").write_text("from PySide6.QtCore import QObject\nVALUE = QObject\n", encoding="utf-8")
    (tmp_path / "lzt_hook_plain.py").write_text("VALUE = 2\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import lzt_hook_plain
    import lzt_hook_qt
    from PySide6.QtCore import QObject

    assert lzt_hook_qt.VALUE is QObject and lzt_hook_plain.VALUE == 2
    feature = sys.modules["shibokensupport.feature"]
    assert feature._mod_uses_pyside(lzt_hook_qt) is True and feature._mod_uses_pyside(lzt_hook_plain) is False
    for m in ("lzt_hook_qt", "lzt_hook_plain"):
        sys.modules.pop(m)
