"""The window layout saved at close comes back at the next start, but a dock whose content was
the last session's (search results, a drawn line's profile) does not come back empty."""

from __future__ import annotations

from tests.gui.conftest import shown_window


def test_a_restored_layout_keeps_the_empty_result_docks_hidden(qtbot, demo_copy):
    from lzt.gui.settings import settings

    win = shown_window(qtbot, demo_copy, (1200, 800))
    for name in ("search", "profile"):  # as a search and a drawn profile line leave them
        win.docks[name].show()
    win.docks["layers"].hide()  # a choice of the user's that the layout keeps
    assert win.docks["search"].isVisible() and win.docks["profile"].isVisible()
    win.close()
    assert settings().value("window_state") is not None

    again = shown_window(qtbot, demo_copy, (1200, 800))
    try:
        assert again.docks["layers"].isHidden()  # the saved layout was restored
        assert again.search_panel.mode == "" and again.profile.profile is None
        assert again.docks["search"].isHidden() and again.docks["profile"].isHidden()
        assert again.search("龙城街道") == "find"  # the first search shows it again
        assert again.docks["search"].isVisible()
    finally:
        again.close()
