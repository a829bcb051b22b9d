"""IFC import on the real files: facts against independent computations; bad files fail clearly."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ifcopenshell")
trimesh = pytest.importorskip("trimesh")

from bim_import import read_ifc_model  # noqa: E402
from lzt.core.errors import LztInputError  # noqa: E402


@pytest.fixture(scope="module")
def fzk(real_data):
    return read_ifc_model(real_data / "ifc" / "AC20-FZK-Haus.ifc")


def test_fzk_haus_facts(fzk):
    assert fzk.schema == "IFC4" and fzk.georef.kind == "site_latlon"
    assert [s.name for s in fzk.storeys] == ["Erdgeschoss", "Dachgeschoss"] and fzk.storey_count == 2
    # the file's own storey base quantities
    assert fzk.gfa_method == "qto_storeys" and fzk.gfa_m2 == pytest.approx(119.824 + 121.674, abs=0.01)
    assert fzk.height_reference.startswith("±0.00")


def test_footprint_and_height_agree_with_trimesh(fzk):
    mesh = trimesh.Trimesh(fzk.vertices, fzk.faces, process=False)
    assert fzk.top_z == pytest.approx(mesh.bounds[1][2], abs=1e-6)
    assert fzk.height_m == pytest.approx(mesh.bounds[1][2] - 0.0, abs=1e-6)
    # trimesh's own projection of the mesh onto the ground plane
    outline = trimesh.path.polygons.projected(mesh, normal=[0, 0, 1], precise=True)
    assert fzk.footprint.area == pytest.approx(outline.area, rel=0.01)
    minx, miny, maxx, maxy = fzk.footprint.bounds
    np.testing.assert_allclose([minx, miny, maxx, maxy], [*mesh.bounds[0][:2], *mesh.bounds[1][:2]], atol=0.02)


def test_duplex_roof_level_is_not_a_storey(real_data):
    m = read_ifc_model(real_data / "ifc" / "Duplex_A_20110907_georeferenced.ifc")
    assert m.storey_count == 2 and m.gfa_method == "slabs+spaces+enclosed_walls"
    kinds = {r["storey"]: r["kind"] for r in m.gfa_by_storey}
    assert kinds == {"T/FDN": "below_reference", "Level 1": "storey", "Level 2": "storey", "Roof": "not_a_floor"}
    roof = next(r for r in m.gfa_by_storey if r["storey"] == "Roof")
    assert "nothing of full storey height above" in roof["why"]  # its "R301 Roof" space has nothing over it
    # both floors out to the walls' outer faces: twice the footprint (the walls stand on its edge)
    assert m.gfa_m2 == pytest.approx(2 * m.footprint.area, rel=0.01)
    # the slabs stop inside the walls and the spaces are net: both kept, and the gap is said
    assert m.gfa_estimates["slabs"] < 0.85 * m.gfa_m2 and m.gfa_estimates["spaces"] < 0.85 * m.gfa_m2
    assert any("estimates differ by more than 10%" in w for w in m.warnings)
    assert m.georef.kind == "epset_map_conversion" and m.georef.crs == "EPSG:9897"


@pytest.mark.parametrize("name, needle", [
    ("malformed/cyclic-placement.ifc", "crashed"),
    ("malformed/unterminated-string.ifc", "ISO-10303-21"),
    ("malformed/KIT-Simple-Road-Test-Web-IFC4x3_RC2.ifc", "IFC4X3_RC2"),
    ("ifc/geographic-referencing.ifc", "no geometry"),
])
def test_broken_files_fail_with_one_line(real_data, name, needle):
    with pytest.raises(LztInputError) as e:
        read_ifc_model(real_data / name)
    assert needle in str(e.value) and "\n" not in str(e.value)


def test_truncated_and_foreign_files(tmp_path, real_data):
    data = (real_data / "ifc" / "IfcOpenHouse_IFC4.ifc").read_bytes()
    cut = tmp_path / "cut.ifc"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(LztInputError):
        read_ifc_model(cut)
    png = tmp_path / "photo.ifc"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(LztInputError, match="ISO-10303-21"):
        read_ifc_model(png)


def test_absurd_length_unit(tmp_path, real_data):
    text = (real_data / "ifc" / "IfcOpenHouse_IFC4.ifc").read_text(encoding="utf-8", errors="replace")
    bad = tmp_path / "exa.ifc"
    bad.write_text(text.replace(".LENGTHUNIT.,.MILLI.,.METRE.", ".LENGTHUNIT.,.EXA.,.METRE."), encoding="utf-8")
    assert ".EXA." in bad.read_text(encoding="utf-8")
    with pytest.raises(LztInputError, match="absurd length unit"):
        read_ifc_model(bad)
