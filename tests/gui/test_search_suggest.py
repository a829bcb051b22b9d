"""The search box suggests names while typing, once its suggester is built in the background."""

from __future__ import annotations

import pyogrio


def test_box_suggests_after_preparing(main_window, demo_copy, qtbot):
    box = main_window.search_box
    assert box.workspace_uri
    assert main_window.canvas.wait_rendered()  # no map renders running while this test waits
    box.prepare(box.workspace_uri)
    qtbot.waitUntil(lambda: box.suggester is not None, timeout=120_000)
    streets = pyogrio.read_dataframe(demo_copy, layer="streets", read_geometry=False)
    s = streets["name"].iloc[0]
    assert s in box.suggestions(s[:1])
    assert box.suggestions("今年各街道噪声投诉多少？") == []  # a question: no names
    box.setText("")
    box.textEdited.emit(s[:1])
    assert s in box._model.stringList()


def test_suggestions_are_built_again_when_a_layer_changes(main_window, qtbot):
    box = main_window.search_box
    assert main_window.canvas.wait_rendered()
    box.prepare(box.workspace_uri)
    qtbot.waitUntil(lambda: box.suggester is not None and box.built_key is not None, timeout=120_000)
    assert not box.refresh_if_stale()  # nothing changed: no build
    first = box.built_key
    ws = main_window.ws
    roads = ws.read_layer("roads")
    roads.loc[roads.index[0], "name"] = "建议刷新新路"
    ws.write_layer("roads", roads, replace=True)
    old = box.suggester
    assert box.refresh_if_stale()
    assert box.suggester is old  # the old suggestions serve meanwhile
    qtbot.waitUntil(lambda: box.built_key not in (None, first), timeout=120_000)
    assert "建议刷新新路" in box.suggestions("建议刷新")
    assert not box.refresh_if_stale()
