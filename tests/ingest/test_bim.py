"""lzt bim: models land where their georeferencing says; bad files are skipped; re-import updates."""

from __future__ import annotations

import json

import numpy as np
import pytest

ifcopenshell = pytest.importorskip("ifcopenshell")

from lzt.cli.main import main  # noqa: E402
from tests.ifc_models import IfcModel  # noqa: E402

E0, N0, ROT = 525354.413, 2513606.263, 30.0  # a Longgang point (DOMAIN.md §3.2) and a rotation


def make_ifc(path, *, e=E0, n=N0, rotation=ROT, size=(20.0, 12.0), storeys=(0.0, 3.0, 6.0), crs="EPSG:4547"):
    """An IFC4 building: storeys of one 0.3 m slab each (a box of ``size`` m), a known IfcMapConversion."""
    m = IfcModel()
    if crs:
        m.map_conversion(crs, e, n, rotation, scale=1.0)
    for i, z in enumerate(storeys):
        m.box("IfcSlab", m.storey(f"{i + 1}F", z), 0, 0, z, size[0], size[1], 0.3, name=f"slab{i}")
    return m.write(path)


def test_map_conversion_lands_within_5_cm(tmp_path, capsys):
    ws = tmp_path / "ws.gpkg"
    main(["init", str(ws)])
    capsys.readouterr()
    ifc = make_ifc(tmp_path / "楼.ifc")
    assert main(["bim", str(ws), str(ifc), "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)[0]
    assert rec["status"] == "imported" and rec["georef_source"] == "map_conversion"
    # the box's centre (10, 6) local -> rotated and shifted, computed independently
    r = np.radians(ROT)
    cx = E0 + np.cos(r) * 10 - np.sin(r) * 6
    cy = N0 + np.sin(r) * 10 + np.cos(r) * 6
    assert np.hypot(rec["centroid"][0] - cx, rec["centroid"][1] - cy) < 0.05
    assert rec["footprint_area_m2"] == pytest.approx(240.0, abs=0.5)
    # the slab at 6.0 m has 0.3 m of building above it: a roof, not a storey
    assert rec["height_m"] == pytest.approx(6.3, abs=0.01) and rec["storeys"] == 2
    assert rec["gfa_method"] == "slabs" and rec["gfa_m2"] == pytest.approx(480.0, abs=1.0)
    from lzt.workspace import open_workspace

    w = open_workspace(ws)
    fp = w.read_features("bim_models").geometry.iloc[0]
    corner = (E0, N0)
    assert min(np.hypot(x - corner[0], y - corner[1]) for x, y in fp.geoms[0].exterior.coords) < 0.05
    glb = w.get_blob("bim_mesh", str(ifc.resolve()))
    assert glb[:4] == b"glTF"
    w.close()


def test_batch_skips_bad_files_and_reimport_updates(tmp_path, capsys, real_data):
    ws = tmp_path / "ws.gpkg"
    main(["init", str(ws)])
    capsys.readouterr()
    good = make_ifc(tmp_path / "a.ifc")
    bad = tmp_path / "b.ifc"
    bad.write_bytes((real_data / "malformed/cyclic-placement.ifc").read_bytes())
    assert main(["bim", str(ws), str(tmp_path), "--json"]) == 0
    recs = {r["file"].split("/")[-1]: r for r in json.loads(capsys.readouterr().out)}
    assert recs["a.ifc"]["status"] == "imported" and recs["b.ifc"]["status"] == "failed"
    assert "crashed" in recs["b.ifc"]["error"]
    assert main(["bim", str(ws), str(good), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "updated"
    from lzt.workspace import open_workspace

    w = open_workspace(ws)
    assert w.layer("bim_models").count == 1
    w.close()
    assert main(["bim", str(ws), str(bad)]) == 2  # none could be imported


def test_unplaced_and_user_placement(tmp_path, capsys):
    ws = tmp_path / "ws.gpkg"
    main(["init", str(ws)])
    capsys.readouterr()
    ifc = make_ifc(tmp_path / "c.ifc", crs=None)
    assert main(["bim", str(ws), str(ifc), "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)[0]
    assert rec["status"] == "unplaced" and rec["centroid"] is None
    assert main(["bim", str(ws), str(ifc), "--origin", "520000,2510000", "--rotation", "90",
                 "--crs", "EPSG:4547", "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)[0]
    assert rec["georef_source"] == "user"
    # local (10, 6) rotated by 90°: (-6, 10)
    assert rec["centroid"] == pytest.approx([520000 - 6, 2510000 + 10], abs=0.05)


def test_model_outside_the_workspace_region_fails(tmp_path, capsys, real_data):
    ws = tmp_path / "ws.gpkg"
    main(["init", str(ws)])
    capsys.readouterr()
    assert main(["bim", str(ws), str(real_data / "ifc/AC20-FZK-Haus.ifc"), "--json"]) == 2
    rec = json.loads(capsys.readouterr().out)[0]
    assert rec["status"] == "failed" and "area of use" in rec["error"]


def test_mesh_needs_a_placement(tmp_path, capsys, real_data):
    ws = tmp_path / "ws.gpkg"
    main(["init", str(ws)])
    capsys.readouterr()
    glb = real_data / "mesh/no_indices_3storybuilding.glb"
    assert main(["bim", str(ws), str(glb), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "unplaced"
    assert main(["bim", str(ws), str(glb), "--origin", "521000,2511000", "--crs", "EPSG:4547", "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)[0]
    assert rec["status"] == "updated" and rec["schema"] == "glTF" and rec["height_m"] == pytest.approx(9.0)
    assert rec["storeys"] is None and rec["gfa_m2"] is None


# -- units and IfcMapConversion.Scale: stored at true size, reading recorded -------------------

from tests.ifc_models import BOSTON, revit_parapet_model, scale_model  # noqa: E402


def _init(tmp_path, capsys, crs="EPSG:4547"):
    ws = tmp_path / "ws.gpkg"
    assert main(["init", str(ws), "--crs", crs]) == 0
    capsys.readouterr()
    return ws


def _stored(ws):
    from lzt.workspace import open_workspace

    w = open_workspace(ws)
    try:
        return w.read_features("bim_models") if w.has_layer("bim_models") else None
    finally:
        w.close()


@pytest.mark.parametrize("scale, reading", [(0.001, "includes_unit_conversion"), (None, "excludes_unit_conversion"),
                                            (1.0, "excludes_unit_conversion")])
def test_millimetre_models_are_stored_at_true_size(tmp_path, capsys, scale, reading):
    ws = _init(tmp_path, capsys)
    ifc = scale_model(tmp_path / "mm.ifc", scale=scale, rotation=30.0)
    assert main(["bim", str(ws), str(ifc), "--json"]) == 0
    out, err = capsys.readouterr()
    rec = json.loads(out)[0]
    assert rec["georef"]["scale_reading"] == reading and rec["georef"]["applied_scale"] == pytest.approx(1.0)
    assert rec["footprint_area_m2"] == pytest.approx(200.0, rel=1e-3)
    row = _stored(ws).iloc[0]
    assert row.geometry.area == pytest.approx(200.0, rel=0.01)  # the stored footprint, in EPSG:4547
    assert json.loads(row["georef"])["scale_reading"] == reading
    # the box's far corner (20, 10) local, rotated 30° and shifted: computed independently
    r = np.radians(30.0)
    far = (E0 + np.cos(r) * 20 - np.sin(r) * 10, N0 + np.sin(r) * 20 + np.cos(r) * 10)
    xs, ys = row.geometry.geoms[0].exterior.xy
    assert min(np.hypot(np.array(xs) - far[0], np.array(ys) - far[1])) < 0.05
    # the readings disagree in a millimetre project: said on stderr, kept in the record
    assert "IfcMapConversion.Scale" in err and any("IfcMapConversion.Scale" in w for w in rec["warnings"])


def test_implausible_scale_is_refused_and_nothing_is_written(tmp_path, capsys):
    ws = _init(tmp_path, capsys)
    ifc = scale_model(tmp_path / "bad.ifc", scale=1e-6)
    assert main(["bim", str(ws), str(ifc)]) == 2
    out, err = capsys.readouterr()
    assert "neither is a plausible building" in err and err.count("bad.ifc") == 1 and out == ""
    assert _stored(ws) is None


def test_a_placement_that_does_not_keep_true_size_is_refused(tmp_path, capsys):
    """Scale 0.5 in a metre project gives a plausible 10 m building, stored at a quarter of its area:
    the importer's own invariant refuses it."""
    ws = _init(tmp_path, capsys)
    ifc = scale_model(tmp_path / "half.ifc", unit="METRE", scale=0.5)
    assert main(["bim", str(ws), str(ifc), "--json"]) == 2
    rec = json.loads(capsys.readouterr().out)[0]
    assert rec["status"] == "failed" and "does not keep true size" in rec["error"] and "0.25×" in rec["error"]


def test_buildingsmart_georeferencing_example_lands_at_true_size(tmp_path, capsys, real_data):
    """The real geographic-referencing.ifc (mm project, Scale omitted, EPSG:25832) with a 20 x 10 m
    slab added (its own marker is CSG, which ifcopenshell does not tessellate)."""
    import ifcopenshell.api
    from pyproj import Transformer

    f = ifcopenshell.open(str(real_data / "ifc/geographic-referencing.ifc"))
    storey = f.by_type("IfcBuildingStorey")[0]
    body = next(c for c in f.by_type("IfcGeometricRepresentationContext") if c.ContextType == "Model")
    slab = ifcopenshell.api.run("root.create_entity", f, ifc_class="IfcSlab", name="slab")
    ifcopenshell.api.run("spatial.assign_container", f, relating_structure=storey, products=[slab])
    ifcopenshell.api.run("geometry.edit_object_placement", f, product=slab, matrix=np.eye(4))
    prof = f.createIfcRectangleProfileDef("AREA", None, f.createIfcAxis2Placement2D(
        f.createIfcCartesianPoint((10000.0, 5000.0))), 20000.0, 10000.0)
    rep = ifcopenshell.api.run("geometry.add_profile_representation", f, context=body, profile=prof, depth=0.3)
    ifcopenshell.api.run("geometry.assign_representation", f, product=slab, representation=rep)
    ifc = tmp_path / "geographic-referencing+slab.ifc"
    f.write(str(ifc))
    ws = _init(tmp_path, capsys, "EPSG:25832")
    assert main(["bim", str(ws), str(ifc), "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)[0]
    assert rec["georef"]["scale_reading"] == "excludes_unit_conversion"
    row = _stored(ws).iloc[0]
    assert row.geometry.area == pytest.approx(200.0, rel=0.01)
    # the slab's corner at the local origin: SOURCES.md gives the origin at 8.43370 E, 49.09556 N
    origin_x, origin_y = 458658.78, 5438232.79
    xs, ys = row.geometry.geoms[0].exterior.xy
    assert min(np.hypot(np.array(xs) - origin_x, np.array(ys) - origin_y)) < 0.01
    lon, lat = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True).transform(origin_x, origin_y)
    assert (lon, lat) == pytest.approx((8.43370, 49.09556), abs=2e-5)


# -- a user placement overrides the file's own location ------------------------------------------

def test_revit_default_site_fails_with_the_placement_hint(tmp_path, capsys):
    ws = _init(tmp_path, capsys)
    ifc = revit_parapet_model(tmp_path / "revit.ifc")
    assert main(["bim", str(ws), str(ifc)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1  # one line, on stderr only
    assert "area of use" in err and "--origin X,Y" in err and "IfcSite 42.3584" in err


def test_user_placement_overrides_the_site_with_a_warning(tmp_path, capsys):
    ws = _init(tmp_path, capsys)
    ifc = revit_parapet_model(tmp_path / "revit.ifc")
    assert main(["bim", str(ws), str(ifc), "--origin", "521000，2512000", "--rotation", "90",
                 "--crs", "EPSG:4547", "--json"]) == 0
    out, err = capsys.readouterr()
    rec = json.loads(out)[0]
    assert rec["status"] == "imported" and rec["georef_source"] == "user"
    overridden = [w for w in rec["warnings"] if "overridden" in w]
    assert overridden and f"IfcSite {BOSTON[0]:.6f}" in overridden[0] and "overridden" in err
    # the 50 x 35 m plan turned 90°: its centre (25, 17.5) goes to (-17.5, 25)
    assert rec["centroid"] == pytest.approx([521000 - 17.5, 2512000 + 25.0], abs=0.05)
    assert rec["gfa_m2"] == pytest.approx(2 * 50 * 35 + 24, rel=1e-3) and rec["storeys"] == 2
    assert _stored(ws).iloc[0].geometry.area == pytest.approx(1750.0, rel=0.01)


def test_crs_alone_cannot_move_a_site_located_model(tmp_path, capsys):
    ws = _init(tmp_path, capsys)
    ifc = revit_parapet_model(tmp_path / "revit.ifc")
    assert main(["bim", str(ws), str(ifc), "--crs", "EPSG:4547"]) == 2
    assert "give --origin X,Y as well" in capsys.readouterr().err


def test_rotation_alone_turns_a_located_model(tmp_path, capsys):
    ws = _init(tmp_path, capsys)
    ifc = make_ifc(tmp_path / "a.ifc", rotation=30.0)
    assert main(["bim", str(ws), str(ifc), "--rotation", "0", "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)[0]
    assert any("rotation 30° is overridden" in w for w in rec["warnings"])
    assert rec["centroid"] == pytest.approx([E0 + 10, N0 + 6], abs=0.05)


# -- content beats suffix; one line per failure ----------------------------------------------------

def test_an_ifc_named_txt_is_read_as_ifc(tmp_path, capsys):
    ws = _init(tmp_path, capsys)
    txt = tmp_path / "model.txt"
    txt.write_bytes(make_ifc(tmp_path / "m.ifc").read_bytes())
    assert main(["bim", str(ws), str(txt), "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)[0]
    assert rec["status"] == "imported" and rec["schema"] == "IFC4"
    assert rec["warnings"][0].startswith("this is an IFC file, named .txt")


def test_a_file_that_is_no_model_is_named_as_such(tmp_path, capsys):
    ws = _init(tmp_path, capsys)
    bad = tmp_path / "notes.ifc"
    bad.write_text("项目说明\n", encoding="utf-8")
    assert main(["bim", str(ws), str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "not a model file lzt reads (IFC (ISO-10303-21), glTF/GLB, OBJ, PLY or STL) although named .ifc" in err


def test_json_names_the_geometry_kernel_and_the_environment_chooses_it(tmp_path, capsys, monkeypatch):
    from bim_import.tessellate import KERNELS, SAFE_KERNEL

    ws = tmp_path / "ws.gpkg"
    main(["init", str(ws)])
    capsys.readouterr()
    ifc = make_ifc(tmp_path / "k.ifc")
    monkeypatch.delenv("LZT_IFC_KERNEL", raising=False)
    assert main(["bim", str(ws), str(ifc), "--json"]) == 0
    fast = json.loads(capsys.readouterr().out)[0]
    assert fast["kernel"] == KERNELS[0]
    monkeypatch.setenv("LZT_IFC_KERNEL", SAFE_KERNEL)
    assert main(["bim", str(ws), str(ifc), "--json"]) == 0
    safe = json.loads(capsys.readouterr().out)[0]
    assert safe["kernel"] == SAFE_KERNEL and safe["status"] == "updated"
    for k in ("footprint_area_m2", "height_m", "gfa_m2", "storeys"):
        assert safe[k] == fast[k], k
    monkeypatch.setenv("LZT_IFC_KERNEL", "occ")
    assert main(["bim", str(ws), str(ifc)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "LZT_IFC_KERNEL" in err[0] and "occ" in err[0]


def test_each_file_is_named_in_the_progress_while_it_is_read(tmp_path):
    """A large model takes seconds to read: the progress names it before its model arrives, not
    after (the progress dialog said only 导入 BIM 模型 for the whole read of a single file)."""
    from bim_import.pool import ModelReaderPool
    from lzt.core.feedback import Feedback
    from lzt.ingest.bim import import_bim
    from lzt.workspace import create_workspace

    events = []

    class Recording(ModelReaderPool):
        def imap(self, jobs, cancelled=None):
            for job, outcome in zip(jobs, super().imap(jobs, cancelled)):
                events.append(("read", job[0].name))
                yield outcome

    files = [make_ifc(tmp_path / "a.ifc"), make_ifc(tmp_path / "b.ifc", e=E0 + 100)]
    ws = create_workspace(tmp_path / "ws.gpkg")
    try:
        fb = Feedback(lambda done, total, message: events.append(("said", message)))
        results = import_bim(ws, files, feedback=fb, pool=Recording(1))
    finally:
        ws.close()
    assert [r.status for r in results] == ["imported", "imported"]
    named = [e for e in events if e[0] == "read" or e[1].startswith("导入模型")]
    assert named == [("said", "导入模型 a.ifc"), ("read", "a.ifc"), ("said", "导入模型 b.ifc"), ("read", "b.ifc")]


def test_a_cancel_stops_the_read_of_the_model_being_read(tmp_path):
    """Cancelled while a model is read (as soon as the progress names it), the read is given up and
    nothing is written; before, the model was read to its end and stored, and the cancel was seen
    only before a next file."""
    from bim_import.pool import ModelReaderPool
    from lzt.core.errors import CancelledError
    from lzt.core.feedback import Feedback
    from lzt.ingest.bim import import_bim
    from lzt.workspace import create_workspace

    yielded, procs = [], []

    class Recording(ModelReaderPool):
        def imap(self, jobs, cancelled=None):
            outcomes = super().imap(jobs, cancelled)  # the workers have their files
            procs.extend(w.proc for w in self._workers)
            for outcome in outcomes:
                yielded.append(outcome)
                yield outcome

    def cancel_when_named(done, total, message):
        if message.startswith("导入模型"):
            fb.cancel()

    fb = Feedback(cancel_when_named)
    ws = create_workspace(tmp_path / "ws.gpkg")
    try:
        with pytest.raises(CancelledError):
            import_bim(ws, [make_ifc(tmp_path / "a.ifc")], feedback=fb, pool=Recording(1))
        assert yielded == [] and not ws.has_layer("bim_models")
        assert procs and all(p.poll() is not None for p in procs)  # the readers were stopped, not left reading
    finally:
        ws.close()


@pytest.mark.parametrize("cancel_at", ["b.ifc", None])
def test_meshes_land_with_their_rows_or_not_at_all(tmp_path, monkeypatch, cancel_at):
    """Meshes are stored as the models come (a few MB at a time): cancelled after some were, the
    workspace keeps the meshes of its rows, not the new ones, and holds no staged mesh; an import
    that ends stores both."""
    from lzt.core.errors import CancelledError
    from lzt.core.feedback import Feedback
    from lzt.ingest import bim as ingest_bim
    from lzt.workspace import create_workspace

    monkeypatch.setattr(ingest_bim._MeshWriter, "BATCH_BYTES", 1)  # every mesh stored at once
    a = make_ifc(tmp_path / "a.ifc")
    ws = create_workspace(tmp_path / "ws.gpkg")
    try:
        ingest_bim.import_bim(ws, [a])
        before = ws.get_blob(ingest_bim.MESH_BLOBS, str(a.resolve()))
        rows_before = ws.read_features("bim_models")
        make_ifc(a, size=(40.0, 12.0))  # changed, imported again with another file
        b = make_ifc(tmp_path / "b.ifc", e=E0 + 100)

        def cancel_when_named(done, total, message):
            if cancel_at and message == f"导入模型 {cancel_at}":
                fb.cancel()

        fb = Feedback(cancel_when_named)
        if cancel_at:
            with pytest.raises(CancelledError):
                ingest_bim.import_bim(ws, [a, b], feedback=fb)
            assert ws.get_blob(ingest_bim.MESH_BLOBS, str(a.resolve())) == before
            assert ws.get_blob(ingest_bim.MESH_BLOBS, str(b.resolve())) is None
            assert ws.read_features("bim_models").equals(rows_before)
        else:
            ingest_bim.import_bim(ws, [a, b], feedback=fb)
            after = ws.get_blob(ingest_bim.MESH_BLOBS, str(a.resolve()))
            assert after is not None and after != before
            assert ws.get_blob(ingest_bim.MESH_BLOBS, str(b.resolve())) is not None
            assert len(ws.read_features("bim_models")) == 2
        assert sorted({kind for kind, _, _ in ws.blob_items()}) == [ingest_bim.MESH_BLOBS]  # nothing staged
    finally:
        ws.close()
