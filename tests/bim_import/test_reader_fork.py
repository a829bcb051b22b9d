"""Element facts and footprint union made by a fork of the reader process: the same as made in it,
whatever the fork does."""

from __future__ import annotations

import os
import time

import pytest

pytest.importorskip("ifcopenshell")

from bim_import import footprint_stream, reader_fork  # noqa: E402
from bim_import.footprint_stream import FootprintStream  # noqa: E402
from bim_import import ifc  # noqa: E402
from bim_import.ifc import element_facts, open_ifc, read_facts  # noqa: E402
from bim_import.reader_fork import ReaderFork  # noqa: E402
from bim_import.tessellate import _expected, tessellate_model  # noqa: E402

pytestmark = pytest.mark.skipif(not reader_fork.CAN_FORK, reason="readers fork only on Linux")
BASE = 0.0


@pytest.fixture(scope="module")
def fzk(real_data):
    path = real_data / "ifc" / "AC20-FZK-Haus.ifc"  # its spaces carry area quantities
    model = open_ifc(path)
    storeys = read_facts(model, path).storeys
    spaces = [s.id() for s in model.by_type("IfcSpace")]
    # as a tessellation: some elements, some spaces drawn (their quantities then not counted)
    ids = [p.id() for p in _expected(model) if not p.is_a("IfcSpace")][::2] + spaces[: len(spaces) // 2]
    elements = []
    tessellate_model(model, on_shape=lambda *e: elements.append(e))
    return model, storeys, ids, elements


@pytest.fixture
def forking(monkeypatch):
    """Every model forks; the footprint stream unites from 500 triangles on, in chunks of 300."""
    monkeypatch.setattr(reader_fork, "MIN_PRODUCTS", 1)
    monkeypatch.setattr(footprint_stream, "SPLIT_TRIANGLES", 500)
    monkeypatch.setattr(footprint_stream, "CHUNK", 300)
    monkeypatch.setattr(footprint_stream, "BATCH", 200)
    monkeypatch.setattr(reader_fork, "BATCH", 200)


def _local_union(elements):
    stream = FootprintStream(BASE)
    for e in elements:
        stream.add(*e)
    return stream.result()


def test_the_fork_reads_and_unites_what_this_process_does(fzk, forking):
    model, storeys, ids, elements = fzk
    helper = ReaderFork.start(model, storeys, BASE)
    assert helper.pid is not None  # forked
    for e in elements:
        helper.stream.add(*e)
    got_facts = helper.facts(ids)
    union = helper.stream.result()
    assert helper.fallback == "" and helper.pid is None  # both answered, the fork reaped
    want = element_facts(model, ids, storeys)
    assert got_facts == want and want[1]  # spaces without geometry counted on some storey
    local = _local_union(elements)
    assert local is not None and union.wkb == local.wkb


def test_an_element_the_fork_did_not_expect_is_read_here(fzk, forking):
    model, storeys, ids, _ = fzk
    site = model.by_type("IfcSite")[0].id()  # excluded from tessellation, so not among the fork's
    helper = ReaderFork.start(model, storeys, None)
    assert helper.stream is None
    assert helper.facts(ids + [site]) == element_facts(model, ids + [site], storeys)
    assert helper.pid is None


@pytest.mark.parametrize("how", ["crash", "exception", "hang"])
def test_a_fork_that_fails_leaves_the_work_to_this_process(fzk, forking, monkeypatch, how):
    model, storeys, ids, elements = fzk
    if how == "crash":
        monkeypatch.setattr(reader_fork, "_child", lambda *a: os._exit(1))
    elif how == "hang":  # never reads nor answers (a lock held at the fork): not waited for for ever
        monkeypatch.setattr(reader_fork, "_child", lambda *a: (time.sleep(3600), os._exit(0)))
        monkeypatch.setattr(reader_fork, "WAIT_S", 1.0)
    else:  # raised in the fork only: its facts and its union
        monkeypatch.setattr(reader_fork, "facts_of", lambda *a: 1 / 0)
        monkeypatch.setattr(reader_fork, "FootprintStream", None)
    helper = ReaderFork.start(model, storeys, BASE)
    monkeypatch.setattr(reader_fork, "facts_of", ifc.facts_of)
    monkeypatch.setattr(reader_fork, "FootprintStream", FootprintStream)
    for e in elements:
        helper.stream.add(*e)
    assert helper.facts(ids) == element_facts(model, ids, storeys)
    assert helper.stream.result().wkb == _local_union(elements).wkb
    assert "facts" in helper.fallback and "footprint" in helper.fallback and helper.pid is None


def test_small_models_are_read_without_a_fork(fzk):
    model, storeys, ids, elements = fzk
    helper = ReaderFork.start(model, storeys, BASE)  # 127 products
    assert helper.pid is None and isinstance(helper.stream, FootprintStream)
    assert helper.facts(ids) == element_facts(model, ids, storeys)


def test_a_fork_not_asked_is_stopped_and_reaped(fzk, forking):
    model, storeys, _, elements = fzk
    helper = ReaderFork.start(model, storeys, BASE)
    for e in elements[:50]:
        helper.stream.add(*e)
    pid = helper.pid
    helper.stream.close()  # the reference level was not the one expected: no union wanted
    assert helper.pid == pid  # the facts are still to be asked for
    helper.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="no /proc here")
def test_the_fork_holds_no_file_of_the_reader_but_its_pipes(fzk, forking, tmp_path):
    model, storeys, ids, elements = fzk
    held = open(tmp_path / "held", "wb")  # as the reader's answer pipe to the pool is held
    helper = ReaderFork.start(model, storeys, BASE)
    try:
        deadline = time.monotonic() + 10  # the fork closes them as it starts
        while (fds := {int(fd) for fd in os.listdir(f"/proc/{helper.pid}/fd")}) and held.fileno() in fds:
            assert time.monotonic() < deadline, fds
            time.sleep(0.01)
        assert held.fileno() not in fds and 0 not in fds and 1 not in fds
        assert len(fds - {2}) <= 3  # the batches coming in, the facts and the union going out
        for e in elements:
            helper.stream.add(*e)
        assert helper.facts(ids) == element_facts(model, ids, storeys)
        assert helper.stream.result().wkb == _local_union(elements).wkb
    finally:
        helper.close()
        held.close()
