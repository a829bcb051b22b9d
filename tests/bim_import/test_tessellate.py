"""Tessellation in child processes: crashes are reported, the next file still works."""

from __future__ import annotations

import pytest

pytest.importorskip("ifcopenshell")

from bim_import.tessellate import TessellationWorker, tessellate  # noqa: E402
from lzt.core.errors import LztInputError  # noqa: E402


def test_worker_survives_a_segfaulting_file(real_data):
    crash = real_data / "malformed/cyclic-placement.ifc"
    good = real_data / "ifc/IfcOpenHouse_IFC4.ifc"
    with TessellationWorker() as w:
        first = w.tessellate(good)
        with pytest.raises(LztInputError, match="SIGSEGV"):
            w.tessellate(crash)
        again = w.tessellate(good)  # a fresh worker took over
        assert len(again.faces) == len(first.faces) > 0
        with pytest.raises(LztInputError, match="cannot tessellate"):
            w.tessellate(real_data / "malformed/unterminated-string.ifc")
        assert len(w.tessellate(good).faces) == len(first.faces)  # Python errors keep the worker


def test_single_shot_matches_worker(real_data):
    good = real_data / "ifc/IfcOpenHouse_IFC4.ifc"
    with TessellationWorker() as w:
        a = w.tessellate(good)
    b = tessellate(good)
    assert (a.faces == b.faces).all() and a.element_types == b.element_types
