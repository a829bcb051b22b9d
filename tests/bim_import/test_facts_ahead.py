"""Element facts read by a forked copy of the reader while it tessellates (``FactsAhead``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

import bim_import.ifc as ifc

pytest.importorskip("ifcopenshell")
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("lzt-facts-*")}


def _model(real_data):
    path = real_data / "ifc" / "AC20-FZK-Haus.ifc"  # 127 products
    model = ifc.open_ifc(path)
    return model, ifc.read_facts(model, path)


def _ids(model) -> list[int]:
    return [p.id() for p in model.by_type("IfcProduct") if p.Representation is not None]


def test_facts_read_ahead_equal_those_read_in_process(monkeypatch, real_data):
    monkeypatch.setattr(ifc, "AHEAD_PRODUCTS", 1)
    model, facts = _model(real_data)
    before = _leftovers()
    known = ifc.FactsAhead(model, facts.storeys).result()
    ids = _ids(model)
    assert set(known) == set(ids)
    want = ifc.element_facts(model, ids[::-1], facts.storeys)
    assert ifc.element_facts(model, ids[::-1], facts.storeys, known) == want
    assert any(f.storey is not None for f in want[0]) and any(f.floor_slab for f in want[0])
    assert _leftovers() == before  # the file was unlinked as soon as it was made


def test_a_failed_copy_gives_nothing_and_the_facts_are_read_here(monkeypatch, real_data):
    monkeypatch.setattr(ifc, "AHEAD_PRODUCTS", 1)
    model, facts = _model(real_data)
    parent, read = os.getpid(), ifc._facts_of

    def broken_in_the_copy(*args):
        if os.getpid() != parent:
            raise RuntimeError("the copy fails")
        return read(*args)

    monkeypatch.setattr(ifc, "_facts_of", broken_in_the_copy)
    known = ifc.FactsAhead(model, facts.storeys).result()
    assert known == {}
    ids = _ids(model)
    assert ifc.element_facts(model, ids, facts.storeys, known)[0] == ifc.element_facts(model, ids, facts.storeys)[0]


def test_small_models_are_not_forked(real_data):
    model, facts = _model(real_data)
    ahead = ifc.FactsAhead(model, facts.storeys)
    assert ahead.pid == 0 and ahead.result() == {}


def test_a_copy_that_does_not_finish_is_killed_and_gives_nothing(monkeypatch, real_data):
    monkeypatch.setattr(ifc, "AHEAD_PRODUCTS", 1)
    model, facts = _model(real_data)
    parent, read = os.getpid(), ifc._facts_of

    def stuck_in_the_copy(*args):
        if os.getpid() != parent:
            import time

            time.sleep(60)
        return read(*args)

    monkeypatch.setattr(ifc, "_facts_of", stuck_in_the_copy)
    ahead = ifc.FactsAhead(model, facts.storeys)
    pid = ahead.pid
    assert ahead.result(timeout=0.5) == {}
    with pytest.raises(ChildProcessError):  # killed and reaped
        os.waitpid(pid, os.WNOHANG)
