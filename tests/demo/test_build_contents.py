"""The streamed, parallel demo builder stores what the generators make in memory, row for row.

The reference is the build as it was before it streamed: every layer generated in this
process, all at once, from the same seed (``lzt.demo.digest.frame_rows`` compares rows as
canonical texts, in any order since some layers are stored in spatial order).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lzt.demo.digest import frame_rows, stored_digests


@pytest.fixture(scope="module")
def in_memory():
    from lzt.demo.bim import plan_buildings, plan_json
    from lzt.demo.build import BIM_MODELS, COMPLAINTS, SEED
    from lzt.demo.buildings import generate_buildings
    from lzt.demo.complaints import generate_complaints
    from lzt.demo.doorplates import generate_doorplates
    from lzt.demo.generate import generate
    from lzt.demo.supervision import generate_supervision

    data = generate("small", seed=SEED)
    plans = plan_buildings(data.parcels, BIM_MODELS["small"], SEED)
    sup = generate_supervision(data.parcels, plan_json(plans), "small", SEED)
    layers = dict(data.layers())
    layers["buildings"] = generate_buildings(data.parcels, set(sup["parcel_id"]), SEED)
    layers["doorplates"] = generate_doorplates(data.roads, data.poi, data.parcels, layers["buildings"],
                                               data.communities, SEED)
    site = sup[sup["status"] == "在建"].sort_values("parcel_id", kind="stable").geometry.iloc[0].centroid
    layers["complaints"] = generate_complaints(data.poi, data.roads, data.communities, COMPLAINTS["small"], SEED,
                                               site=(site.x, site.y), plates=layers["doorplates"])
    layers["supervision"] = sup
    return layers, plan_json(plans)


def test_every_layer_holds_the_rows_generated_in_memory(demo_path, in_memory):
    from lzt.workspace import open_workspace

    layers, plans = in_memory
    ws = open_workspace(demo_path)
    try:
        for name, expected in layers.items():
            stored = ws.read_features(name)
            cols = [c for c in expected.columns if c != expected.geometry.name]
            assert len(stored) == len(expected), name
            assert frame_rows(stored, cols) == frame_rows(expected, cols), name
        assert ws.get_setting("demo_bim_plan") == json.loads(json.dumps(plans))
        assert len(ws.read_features("bim_models")) == len(plans)
    finally:
        ws.close()


def test_stored_digests_tell_layers_apart(demo_path, tmp_path):
    import shutil
    import sqlite3

    copy = tmp_path / "demo.gpkg"
    shutil.copyfile(demo_path, copy)
    before = stored_digests(copy)
    assert before == stored_digests(demo_path)
    conn = sqlite3.connect(copy)
    conn.execute("DELETE FROM poi WHERE fid = 7")  # (no R-tree function needed by its trigger)
    conn.commit()
    conn.close()
    after = stored_digests(copy)
    assert [k for k in before if before[k] != after[k]] == ["poi"]


def test_models_read_by_the_writers_import_as_the_reader_pool_reads_them(tmp_path):
    """Two plans written and read by one IfcWriters worker; imported through PrereadModels
    and again through the ordinary reader pool: the same rows."""
    from lzt.core.feedback import Feedback
    from lzt.demo.bim import plan_buildings
    from lzt.demo.generate import generate
    from lzt.demo.ifc_writers import IfcWriters
    from lzt.ingest.bim import import_bim
    from lzt.workspace.gpkg.workspace import GeoPackageWorkspace

    plans = plan_buildings(generate("small").parcels, 2, 5)
    folder = tmp_path / "bim"
    folder.mkdir()
    seen = []
    with IfcWriters(plans, folder, "EPSG:4547", workers=1) as writers:
        models = writers.wait(Feedback(lambda d, t, m: seen.append(m)))
        assert len(list(writers.reads.glob("*.pickle"))) == 2
        a = GeoPackageWorkspace.create(tmp_path / "a.gpkg", "EPSG:4547")
        import_bim(a, [folder], pool=models)
    b = GeoPackageWorkspace.create(tmp_path / "b.gpkg", "EPSG:4547")
    import_bim(b, [folder])
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.file for p in plans)
    assert len(seen) == 2
    ra, rb = a.read_features("bim_models"), b.read_features("bim_models")
    assert len(ra) == 2 and frame_rows(ra) == frame_rows(rb)
    for src in ra["source"]:
        assert a.get_blob("bim_mesh", src) == b.get_blob("bim_mesh", src)
    assert not Path(writers.reads).exists()
    a.close()
    b.close()
