"""Element facts read by a fork of the reader process: the same as read in it, whatever the fork does."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("ifcopenshell")

from bim_import import facts_fork  # noqa: E402
from bim_import.facts_fork import FactsFork  # noqa: E402
from bim_import.ifc import element_facts, open_ifc, read_facts  # noqa: E402
from bim_import.tessellate import _expected  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")


@pytest.fixture(scope="module")
def fzk(real_data):
    path = real_data / "ifc" / "AC20-FZK-Haus.ifc"  # its spaces carry area quantities
    model = open_ifc(path)
    storeys = read_facts(model, path).storeys
    spaces = [s.id() for s in model.by_type("IfcSpace")]
    # as a tessellation: some elements, some spaces drawn (their quantities then not counted)
    ids = [p.id() for p in _expected(model) if not p.is_a("IfcSpace")][::2] + spaces[: len(spaces) // 2]
    return model, storeys, ids


def test_the_fork_reads_what_this_process_reads(fzk, monkeypatch):
    model, storeys, ids = fzk
    monkeypatch.setattr(facts_fork, "MIN_PRODUCTS", 1)
    reader = FactsFork.start(model, storeys)
    assert reader.pid is not None  # forked
    got = reader.result(ids)
    assert reader.fallback == "" and reader.pid is None  # answered and reaped
    want = element_facts(model, ids, storeys)
    assert got == want
    assert want[1]  # spaces without geometry counted on some storey


def test_an_element_the_fork_did_not_expect_is_read_here(fzk, monkeypatch):
    model, storeys, ids = fzk
    monkeypatch.setattr(facts_fork, "MIN_PRODUCTS", 1)
    site = model.by_type("IfcSite")[0].id()  # excluded from tessellation, so not among the fork's
    got = FactsFork.start(model, storeys).result(ids + [site])
    assert got == element_facts(model, ids + [site], storeys)


@pytest.mark.parametrize("how", ["crash", "exception"])
def test_a_fork_that_fails_leaves_the_facts_to_this_process(fzk, monkeypatch, how):
    model, storeys, ids = fzk
    monkeypatch.setattr(facts_fork, "MIN_PRODUCTS", 1)
    if how == "crash":
        monkeypatch.setattr(facts_fork, "_child", lambda *a: os._exit(1))
    else:
        monkeypatch.setattr(facts_fork, "facts_of", lambda *a: 1 / 0)  # raised in the child only
    reader = FactsFork.start(model, storeys)
    monkeypatch.undo()  # this process reads with the real functions
    got = reader.result(ids)
    assert reader.fallback
    assert got == element_facts(model, ids, storeys)


def test_small_models_are_read_without_a_fork(fzk):
    model, storeys, ids = fzk
    reader = FactsFork.start(model, storeys)  # 127 products
    assert reader.pid is None and reader.result(ids) == element_facts(model, ids, storeys)


def test_a_fork_not_asked_is_stopped_and_reaped(fzk, monkeypatch):
    model, storeys, _ = fzk
    monkeypatch.setattr(facts_fork, "MIN_PRODUCTS", 1)
    reader = FactsFork.start(model, storeys)
    pid = reader.pid
    reader.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)
