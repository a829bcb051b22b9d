"""The fast geometry kernel against OpenCascade: same footprints, heights and floor areas.

Tolerances (measured on every real IFC and the demo models, ifcopenshell 0.9):
- footprint area: relative 1e-4 (the largest difference seen: 2e-5 on example.ifc, 1e-5 on
  the Mini Project);
- footprint shape: each footprint lies within 1 cm of the other. Element outlines differ
  by up to ~1 mm between the kernels; the footprint's 5 mm simplification then closes some
  5 mm gaps between beams in one and not the other (0.5 m² of 751 m² on the Mini Project);
- height, base and top: 1 mm; GFA: relative 1e-4 with the same method; storey count equal.
"""

from __future__ import annotations

import pytest

pytest.importorskip("ifcopenshell")

from bim_import import read_ifc_model  # noqa: E402
from bim_import.tessellate import KERNEL_ENV, KERNELS, SAFE_KERNEL, kernel_from_env, tessellate_model  # noqa: E402
from lzt.core.errors import LztInputError  # noqa: E402

FAST = KERNELS[0]
REAL = ["AC20-FZK-Haus.ifc", "Duplex_A_20110907_georeferenced.ifc", "IfcOpenHouse_IFC4.ifc", "example.ifc",
        "geolocation-mapconversion-angle.ifc", "ISSUE_021_Mini Project.ifc"]


def assert_same_building(a, b) -> None:
    assert abs(a.footprint.area - b.footprint.area) <= 1e-4 * a.footprint.area
    assert a.footprint.difference(b.footprint.buffer(0.01)).area == pytest.approx(0, abs=1e-9)
    assert b.footprint.difference(a.footprint.buffer(0.01)).area == pytest.approx(0, abs=1e-9)
    for attr in ("height_m", "base_z", "top_z"):
        assert getattr(a, attr) == pytest.approx(getattr(b, attr), abs=1e-3), attr
    assert a.storey_count == b.storey_count and a.gfa_method == b.gfa_method
    assert (a.gfa_m2 is None) == (b.gfa_m2 is None)
    if a.gfa_m2 is not None:
        assert a.gfa_m2 == pytest.approx(b.gfa_m2, rel=1e-4)
    assert a.gfa_estimates.keys() == b.gfa_estimates.keys()
    for k, v in a.gfa_estimates.items():
        assert b.gfa_estimates[k] == pytest.approx(v, rel=1e-4), k


@pytest.mark.parametrize("name", REAL)
def test_fast_kernel_agrees_with_opencascade_on_real_models(real_data, name):
    path = real_data / "ifc" / name
    safe = read_ifc_model(path, kernel=SAFE_KERNEL)
    fast = read_ifc_model(path, kernel=FAST)
    assert safe.kernel == SAFE_KERNEL and fast.kernel.startswith(FAST)
    assert_same_building(safe, fast)


def test_fast_kernel_agrees_on_a_demo_model(tmp_path):
    from lzt.demo.bim import BuildingPlan, write_ifc

    plan = BuildingPlan(file="m.ifc", parcel_id="P1", landuse_code="R2", origin=(500000.0, 2500000.0),
                        rotation_deg=23.0, width_m=31.0, depth_m=14.5, storeys=9, storey_height_m=3.0,
                        height_limit_m=40.0, far_limit=3.0, breaks="")
    path = write_ifc(plan, tmp_path / "m.ifc")
    safe, fast = read_ifc_model(path, kernel=SAFE_KERNEL), read_ifc_model(path, kernel=FAST)
    assert_same_building(safe, fast)
    assert safe.storey_count == 9


def test_elements_a_kernel_leaves_out_come_from_opencascade(real_data):
    import ifcopenshell

    model = ifcopenshell.open(str(real_data / "ifc/IfcOpenHouse_IFC4.ifc"))
    safe = tessellate_model(model, SAFE_KERNEL)
    partial = tessellate_model(model, "cgal-simple")  # leaves 3 of the 34 elements out
    assert safe.fallback_elements == 0
    assert partial.fallback_elements == 3 and partial.element_ids == safe.element_ids
    assert partial.kernel_label == f"cgal-simple+{SAFE_KERNEL} (3 elements)"


def test_kernel_from_the_environment(monkeypatch):
    monkeypatch.delenv(KERNEL_ENV, raising=False)
    assert kernel_from_env() == FAST
    monkeypatch.setenv(KERNEL_ENV, SAFE_KERNEL)
    assert kernel_from_env() == SAFE_KERNEL
    monkeypatch.setenv(KERNEL_ENV, "occ")
    with pytest.raises(LztInputError, match="unknown IFC geometry kernel 'occ'"):
        kernel_from_env()
