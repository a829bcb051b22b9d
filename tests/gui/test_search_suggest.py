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
