"""What a level holds: floors, parapet-only roofs, rooftop rooms, mezzanines (bim_import.levels and
bim_import.quantities), on generated models of each class and on the real Revit/ArchiCAD files."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

pytest.importorskip("ifcopenshell")

from bim_import import read_ifc_model  # noqa: E402
from bim_import.levels import ElementFacts, _dilate, _erode, _Plan  # noqa: E402
from bim_import.tessellate import Tessellation  # noqa: E402
from tests.ifc_models import (GALLERY, HALL, MEZZANINE, REVIT_FLOOR, ROOF_ROOM, IfcModel,  # noqa: E402
                              mezzanine_model, revit_parapet_model)


def _rows(m):
    return {r["storey"]: r for r in m.gfa_by_storey}


def test_parapet_only_roof_level_is_not_a_floor(tmp_path):
    m = read_ifc_model(revit_parapet_model(tmp_path / "revit.ifc", stair_room=False))
    floor = REVIT_FLOOR[0] * REVIT_FLOOR[1]
    assert m.storey_count == 2 and m.gfa_m2 == pytest.approx(2 * floor, rel=1e-3)
    roof = _rows(m)["Roof"]
    assert roof["kind"] == "not_a_floor" and roof["gfa_m2"] == 0 and "no slab, space" in roof["why"]
    assert m.gfa_method == "slabs+spaces+enclosed_walls"
    # spaces are net of the 0.3 m walls: an independent estimate, within 10 %: no warning
    assert m.gfa_estimates["spaces"] == pytest.approx(2 * (REVIT_FLOOR[0] - 0.6) * (REVIT_FLOOR[1] - 0.6), rel=1e-3)
    assert m.gfa_estimates["footprint_x_floors"] == pytest.approx(2 * floor, rel=1e-3) and m.warnings == []


def test_roof_stair_room_counts_its_area_not_a_storey(tmp_path):
    """The issue's case: something rises 3 m above the roof, so the old rule (room above the
    level anywhere) took the whole footprint as a third floor."""
    m = read_ifc_model(revit_parapet_model(tmp_path / "revit.ifc"))
    floor, room = REVIT_FLOOR[0] * REVIT_FLOOR[1], ROOF_ROOM[0] * ROOF_ROOM[1]
    assert m.storey_count == 2
    assert m.gfa_m2 == pytest.approx(2 * floor + room, rel=1e-3)  # not 3 x 1750
    roof = _rows(m)["Roof"]
    assert (roof["kind"], roof["from"]) == ("rooftop", "enclosed_walls")
    assert roof["gfa_m2"] == pytest.approx(room, rel=1e-3)


def test_mezzanines_count_their_own_area(tmp_path):
    m = read_ifc_model(mezzanine_model(tmp_path / "hall.ifc"))
    hall, mezz, gallery = (HALL[0] * HALL[1], MEZZANINE[0] * MEZZANINE[1], GALLERY[0] * GALLERY[1])
    assert m.gfa_m2 == pytest.approx(hall + mezz + gallery, rel=1e-3)
    assert m.storey_count == 1  # mezzanines are not storeys
    rows = _rows(m)
    assert rows["Mezzanine"]["kind"] == "mezzanine" and "open through this level" in rows["Mezzanine"]["why"]
    assert rows["Mezzanine"]["gfa_m2"] == pytest.approx(mezz, rel=1e-3)
    gallery_row = next(r for name, r in rows.items() if name.startswith("mezzanine +3.00"))
    assert gallery_row["kind"] == "mezzanine" and gallery_row["gfa_m2"] == pytest.approx(gallery, rel=1e-3)
    # footprint x storeys measures the full storeys only, and agrees with them
    assert m.gfa_estimates["footprint_x_floors"] == pytest.approx(hall, rel=1e-3) and m.warnings == []


def test_two_levels_of_one_floor_count_it_once(tmp_path):
    """Revit's "Level 1" and "Level 1 - Structure" at the same height: the slab on one, the walls on
    the other; one floor of 200 m², not two."""
    m = IfcModel()
    arch, struct = m.storey("Level 1", 0.0), m.storey("Level 1 - Structure", 0.0)
    m.slab(arch, 0, 0, 0.0, 20, 10)
    m.walls(struct, 0, 0, 0.0, 20, 10, 3.5)
    m.walls(struct, 20, 0, 0.0, 5, 10, 3.5)  # and a 5 x 10 m annexe only the walls enclose
    m.roof(arch, 0, 0, 3.8, 25, 10)
    model = read_ifc_model(m.write(tmp_path / "two.ifc"))
    assert model.storey_count == 1 and model.gfa_m2 == pytest.approx(250.0, rel=1e-3)
    assert "the same floor as Level 1" in _rows(model)["Level 1 - Structure"]["why"]


def test_example_ifc_is_a_structural_model_without_a_roof(real_data):
    """The real example.ifc (Revit 2021, "CMC HUTT HUB - PRE-DELIVERY") is not the parapet case of
    the issue: two levels, foundation slabs on Level 1, roof beams on Level 2, one IfcSpace that is a
    beam, no roof covering. Level 2 holds no floor; Level 1 counts only under the roof framing."""
    m = read_ifc_model(real_data / "ifc" / "example.ifc")
    rows = _rows(m)
    assert list(rows) == ["Level 1", "Level 2"]
    assert rows["Level 2"]["kind"] == "not_a_floor" and m.storey_count == 1 and m.gfa_method == "slabs"
    import ifcopenshell

    f = ifcopenshell.open(str(real_data / "ifc" / "example.ifc"))
    assert len(f.by_type("IfcSpace")) == 1 and not f.by_type("IfcRoof")
    assert 0 < m.gfa_m2 < 165.0  # less than the 125 mm ground slab (164.9 m² in plan)


def test_fzk_haus_storey_quantities_are_used_and_attic_counts(real_data):
    m = read_ifc_model(real_data / "ifc" / "AC20-FZK-Haus.ifc")
    rows = _rows(m)
    assert rows["Dachgeschoss"]["kind"] == "storey"  # under the pitched roof
    assert m.gfa_method == "qto_storeys" and m.gfa_estimates["qto_storeys"] == pytest.approx(241.5, abs=0.01)


# -- the plan raster ---------------------------------------------------------------------------

def _plan(xy: np.ndarray) -> _Plan:
    n = len(xy)
    v = np.concatenate([xy, np.zeros((n, 3, 1))], axis=2).reshape(-1, 3)
    tess = Tessellation(v, np.arange(3 * n).reshape(-1, 3), np.zeros(n, dtype=np.int64), ["IfcSlab"], [1])
    return _Plan(tess, [ElementFacts("IfcSlab", None)])


def test_triangle_raster_measures_what_shapely_measures():
    rng = np.random.default_rng(7)
    xy = rng.uniform([0, 0], [80, 50], (3000, 1, 2)) + rng.normal(0, 1.0, (3000, 3, 2))
    plan = _plan(xy)
    cells = plan.triangles(np.ones(len(plan.xy), dtype=bool))
    union = shapely.union_all(shapely.polygons(np.concatenate([plan.xy, plan.xy[:, :1]], axis=1)))
    assert np.count_nonzero(cells) * plan.cell ** 2 == pytest.approx(union.area, rel=0.01)
    # and the cells vectorised again lie on the union, within half a cell of its outline
    off = shapely.symmetric_difference(plan.polygon(cells.astype(bool)), union).area
    assert off < union.length * plan.cell / 2


@pytest.mark.parametrize("shape,r", [((40, 30), 2), ((40, 30), 10), ((7, 90), 11), ((1, 1), 3), ((5, 3), 0),
                                     ((60, 61), 1), ((33, 20), 30)])
def test_dilate_and_erode_against_a_direct_computation(shape, r):
    rng = np.random.default_rng(3)
    m = rng.random(shape) > 0.93
    direct = np.zeros_like(m)
    for i, j in zip(*np.nonzero(m)):
        direct[max(0, i - r):i + r + 1, max(0, j - r):j + r + 1] = True
    assert (_dilate(m, r) == direct).all()
    assert (_erode(_dilate(m, r), r) >= m).all()  # a closing only adds
    # erosion keeps a cell whose whole (2r+1)² square lies in the mask (cells beyond the edge count as in it)
    full = np.ones_like(m)
    for i, j in zip(*np.nonzero(~m)):
        full[max(0, i - r):i + r + 1, max(0, j - r):j + r + 1] = False
    assert (_erode(m, r) == full).all()
