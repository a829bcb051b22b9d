"""Personal-data masking: the issue's examples, edge cases, free text, frames."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lzt.analysis.masking import mask_frame, mask_id, mask_name, mask_phone, mask_text


def test_issue_examples():
    assert mask_name(["张三", "王小明"]).tolist() == ["张*", "王*明"]
    assert mask_phone(["13812341234"]).tolist() == ["138****1234"]
    assert mask_id(["440307199001011234"]).tolist() == ["440307********1234"]


def test_edge_cases():
    assert mask_name(["欧阳小明", "李", " 赵六 ", None, np.nan, ""]).tolist()[:3] == ["欧**明", "*", "赵*"]
    m = mask_name([None, np.nan, ""]).tolist()
    assert pd.isna(m[0]) and pd.isna(m[1]) and m[2] == ""
    assert mask_phone(["0755-12345678", "12345", 13812341234]).tolist() == ["075*-****5678", "*****", "138****1234"]
    assert mask_id(["44030719900101123X", "440307900101123"]).tolist() == ["440307********123X", "440307******123"]


def test_free_text_masks_embedded_numbers_only():
    text = "我是张三，电话13812341234，身份证440307199001011234，楼栋编号12栋，2024年投诉3次"
    out = mask_text([text]).iloc[0]
    assert "13812341234" not in out and "138****1234" in out
    assert "440307199001011234" not in out and "440307********1234" in out
    assert "12栋" in out and "2024年" in out  # ordinary numbers untouched


def test_every_personal_field_of_a_frame_is_masked():
    df = pd.DataFrame({"order_id": ["A1"], "citizen_name": ["王小明"], "citizen_phone": ["13900001111"],
                       "citizen_id": ["440307198001011111"], "content": ["回电13900001111"],
                       "address": ["布吉街道某某花园"]})
    out = mask_frame(df)
    assert out.loc[0, "citizen_name"] == "王*明" and out.loc[0, "citizen_phone"] == "139****1111"
    assert out.loc[0, "citizen_id"] == "440307********1111" and out.loc[0, "content"] == "回电139****1111"
    assert out.loc[0, "order_id"] == "A1" and df.loc[0, "citizen_name"] == "王小明"  # input untouched
    flat = " ".join(map(str, out.iloc[0].tolist()))
    for raw in ("王小明", "13900001111", "440307198001011111"):
        assert raw not in flat
