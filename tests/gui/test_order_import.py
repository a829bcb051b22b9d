"""A 12345 export added in the GUI is imported as complaints, its orders without coordinates
placed by address (门牌 between plates included), and the user is told at which levels."""

from __future__ import annotations

import numpy as np
import pyogrio

from lzt.demo.doorplates import plate_point


def test_added_export_placed_by_address(main_window, demo_copy, tmp_path, errors):
    plates = pyogrio.read_dataframe(demo_copy, layer="doorplates", where="category = '门牌'")
    roads = pyogrio.read_dataframe(demo_copy, layer="roads")
    # a number between two plates of one stretch of road (truth from the numbering rule)
    for r in roads[roads["road_class"] == "支路"].itertuples():
        on = plates[(plates["road"] == r.name) & (plates.geometry.distance(r.geometry) < r.width_m / 2 + 9)]
        odd = np.sort(on["number"].to_numpy()[on["number"].to_numpy() % 2 == 1])
        if len(odd) >= 2 and odd[1] - odd[0] >= 6 and on["community"].notna().all() and on["community"].nunique() == 1:
            break
    n = int(odd[0] + 4)
    truth = plate_point(r.geometry, r.width_m, n)[0]
    street, comm = on["street"].iloc[0], on["community"].iloc[0]
    csv = tmp_path / "工单导出.csv"
    csv.write_text("工单编号,受理时间,一级分类,街道,社区,地址\n"
                   f"G1,2025-05-01 09:00:00,城市管理,{street},{comm},{r.name}{n}号\n"
                   "G2,2025-05-02 09:00:00,城市管理,,,不知道在哪里\n", encoding="utf-8")
    assert main_window.add_files([str(csv)])
    info = main_window.ws.layer("工单导出")
    assert info.kind == "complaints"
    got = pyogrio.read_dataframe(demo_copy, layer="工单导出").set_index("order_id")
    assert got.loc["G1", "location_source"] == "geocoded:门牌"
    assert np.hypot(got.loc["G1"].geometry.x - truth[0], got.loc["G1"].geometry.y - truth[1]) < 15
    assert got.loc["G2"].geometry is None
    text = "\n".join(errors)
    assert "按地址定位 1 条（门牌 1）" in text and "G2" in text
