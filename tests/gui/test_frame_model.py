"""lzt.gui.models.frame: cells read from lists match the frame (after a sort too), and
``fit_columns`` makes every column as wide as its widest text, measured over all of them here."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from lzt.gui.models.frame import FrameModel, fit_columns
from lzt.gui.models.values import display_value


def _frame(n: int = 1500) -> pd.DataFrame:
    return pd.DataFrame({"parcel_id": [f"LG-{i:05d}" for i in range(n)],
                         "verdict": ["不通过" if i % 3 == 0 else "通过" for i in range(n)],
                         "failing": ["、".join(["容积率", "建筑密度", "绿地率"][: i % 4]) for i in range(n)],
                         "area": [i * 1.5 if i % 7 else None for i in range(n)]})


def test_cells_and_colours_follow_the_frame_after_a_sort(qtbot):
    df = _frame(50)
    m = FrameModel(df, colour_by="verdict")
    m.sort(2, Qt.SortOrder.DescendingOrder)
    expect = df.sort_values("failing", kind="stable", ascending=False).reset_index(drop=True)
    for i in range(len(expect)):
        for j, c in enumerate(expect.columns):
            assert m.data(m.index(i, j)) == display_value(expect.iat[i, j])
        bg = m.data(m.index(i, 0), Qt.ItemDataRole.BackgroundRole)
        assert bg.name() == ("#f8d7da" if expect.at[i, "verdict"] == "不通过" else "#d1e7dd")


def test_fit_columns_makes_room_for_the_widest_text(qtbot):
    view = QTableView()
    qtbot.addWidget(view)
    m = FrameModel(_frame(), labels={"parcel_id": "宗地编号", "verdict": "结论", "failing": "问题", "area": "面积"})
    m.frame.loc[777, "parcel_id"] = "LG-WIDEST-PARCEL-ID-0777"  # one long id deep in the list
    m.set_frame(m.frame)
    view.setModel(m)
    fit_columns(view)
    fm = view.fontMetrics()
    for j, c in enumerate(m.frame.columns):
        widest = max(fm.horizontalAdvance(display_value(v)) for v in m.frame[c])
        assert view.horizontalHeader().sectionSize(j) >= widest
        assert view.horizontalHeader().sectionSize(j) >= view.horizontalHeader().fontMetrics().horizontalAdvance(
            m.headerData(j, Qt.Orientation.Horizontal))
