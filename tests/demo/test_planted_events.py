"""The demo's planted, labelled events are what the warning desk finds in its last week."""

import json

from lzt.analysis.early_warning import warn
from lzt.workspace import open_workspace


def test_planted_events_are_labelled_and_found(demo_copy):
    ws = open_workspace(demo_copy)
    try:
        labels = ws.count_values("complaints", "demo_event")
        assert {k for k in labels if k} == {"施工噪声", "停水", "重复来电", "违停减弱", "燃气泄漏"}
        assert ws.layer("complaints").count == 20_000  # planted orders replace background ones
        res = warn(ws, "complaints", cell=200)
        ev = ws.read_features("complaints", columns=["demo_event"], geometry=False)["demo_event"]
        found = {}
        for a in res.alerts:
            for label in set(ev.reindex(a.fids).dropna()):
                found.setdefault(label, set()).add(a.kind)
        assert {"异动", "多人同诉"} <= found["施工噪声"]
        assert {"异动", "多人同诉", "新增热点"} <= found["停水"]
        assert "一人多诉" in found["重复来电"]
        assert found["燃气泄漏"] == {"敏感词"}
        g = res.categories.index("交通出行")  # the fading hot spot is on the pattern map
        assert "减弱热点" in set(res.patterns.pattern[g])
        text = json.dumps([a.to_json() for a in res.alerts], ensure_ascii=False)
        assert "13602461357" not in text and "陈建国" not in text
    finally:
        ws.close()
