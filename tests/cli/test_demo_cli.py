"""lzt demo: builds the workspace once, reuses it, refuses to clobber other files."""

from __future__ import annotations

import json

import pytest

from lzt.cli.main import main


def test_demo_builds_then_reuses(demo_path, capsys):
    ws = demo_path
    assert main(["layers", str(ws), "--json"]) == 0
    out = capsys.readouterr().out
    layers = {layer["name"]: layer for layer in json.loads(out[out.index("["):])}
    assert set(layers) == {"district", "streets", "communities", "roads", "parcels", "poi", "dem", "bim_models",
                           "complaints", "supervision", "buildings", "imagery_2022", "imagery_2026",
                           "height_limits", "doorplates"}
    assert layers["complaints"]["kind"] == "complaints" and layers["complaints"]["count"] == 20_000
    assert layers["parcels"]["count"] >= 20_000 and layers["dem"]["kind"] == "raster"
    assert layers["bim_models"]["count"] == 40
    mtime = ws.stat().st_mtime_ns
    assert main(["demo", str(ws)]) == 0
    assert ws.stat().st_mtime_ns == mtime  # reused, not rebuilt
    assert not list(ws.parent.glob("*.building*"))


def test_demo_refuses_foreign_file(tmp_path, capsys):
    other = tmp_path / "mine.gpkg"
    other.write_bytes(b"precious")
    assert main(["demo", str(other)]) == 2
    assert "--force" in capsys.readouterr().err and other.read_bytes() == b"precious"
    assert main(["demo", str(tmp_path / "x.gpkg"), "--scale", "huge"]) == 2


def test_demo_bim_models_stand_on_their_parcels(demo_path):
    import json as _json

    from lzt.workspace import open_workspace

    ws = open_workspace(demo_path)
    try:
        plans = {p["parcel_id"]: p for p in ws.get_setting("demo_bim_plan")}
        models = ws.read_features("bim_models")
        parcels = ws.read_features("parcels", columns=["parcel_id"]).set_index("parcel_id")
        assert len(models) == len(plans) == 40
        assert 1 <= sum(1 for p in plans.values() if p["breaks"]) < 20
        for row in models.itertuples():
            plan = plans[row.name]
            assert parcels.loc[row.name].geometry.buffer(0.05).contains(row.geometry)
            assert row.height_m == pytest.approx(plan["storeys"] * plan["storey_height_m"] + 0.3, abs=0.01)
            assert row.storeys == plan["storeys"] and row.gfa_method == "qto_storeys"
            assert row.gfa_m2 == pytest.approx(plan["storeys"] * plan["width_m"] * plan["depth_m"], rel=1e-6)
            assert row.georef_source == "map_conversion"
            assert _json.loads(row.georef)["crs"] == "EPSG:4547"
    finally:
        ws.close()


def test_demo_complaints_are_masked_and_countable(demo_path, capsys):
    ws = demo_path
    assert main(["stats", str(ws), "complaints", "--polygons", "communities", "--top", "10", "--json"]) == 0
    top = json.loads(capsys.readouterr().out)
    assert len(top) >= 10 and top[0]["count"] >= top[9]["count"] > 0
    assert main(["stats", str(ws), "complaints", "--by", "month", "--json"]) == 0
    months = json.loads(capsys.readouterr().out)
    assert len(months) == 24 and sum(m["count"] for m in months) == 20_000
    assert main(["query", str(ws), "complaints", "--limit", "50", "--json"]) == 0
    feats = json.loads(capsys.readouterr().out)["features"]
    for f in feats:
        p = f["properties"]
        assert "*" in p["citizen_name"] and "****" in p["citizen_phone"] and "********" in p["citizen_id"]


def test_demo_buildings_stand_on_built_parcels_in_rows(demo_path):
    """Footprints inside their parcel, apart from each other, none on ledger or BIM parcels,
    heights that follow the storeys."""
    import shapely

    from lzt.workspace import open_workspace

    ws = open_workspace(demo_path)
    try:
        b = ws.read_features("buildings")
        parcels = ws.read_features("parcels", columns=["parcel_id", "landuse_code"]).set_index("parcel_id")
        ledger = set(ws.read_features("supervision", columns=["parcel_id"], geometry=False)["parcel_id"])
    finally:
        ws.close()
    assert 40_000 < len(b) < 150_000 and b["building_id"].is_unique
    own = parcels.loc[b["parcel_id"]]
    assert shapely.within(b.geometry.values, own.geometry.values).all()
    assert not set(b["parcel_id"]) & ledger
    assert not own["landuse_code"].str[0].isin(["G", "S"]).any()  # parks and stations stay empty
    left, right = b.sindex.query(b.geometry, predicate="intersects")
    assert (left == right).all()  # no two footprints touch
    per_storey = b["height_m"] / b["floors"]
    assert per_storey.between(2.8, 10).all() and (b["floors"] >= 1).all()
    villages = b[own["landuse_code"].to_numpy() == "R3"]
    towers = b[own["landuse_code"].to_numpy() == "R2"]
    assert villages["floors"].max() <= 9 and towers["floors"].median() >= 18
