"""Personal-data masking: the issue's examples, edge cases, free text, a record's own values in its
text (compared with the rules written plainly), frames."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from lzt.analysis.masking import mask_frame, mask_id, mask_name, mask_phone, mask_text
from lzt.workspace import personal


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


# -- a record's own values in its text (issue 12.6) ---------------------------------------------
CASES = [  # (name, phone, id, content, masked content)
    ("张三", "13812341234", None, "张三反映小区噪声，张三称已投诉三次", "张*反映小区噪声，张*称已投诉三次"),
    ("王秀英", "13900001111", None, "王秀英反映小区噪声扰民，请回电王秀英", "王*英反映小区噪声扰民，请回电王*英"),
    ("欧阳小明", None, None, "欧阳小明来电：欧阳小明家楼下施工，欧阳女士要求处理", "欧**明来电：欧**明家楼下施工，欧阳女士要求处理"),
    ("司马光", None, None, "司马光反映井盖缺失", "司*光反映井盖缺失"),
    ("诸葛亮", None, None, "市民诸葛亮称路灯不亮（诸葛亮）", "市民诸*亮称路灯不亮（诸*亮）"),
    ("上官婉儿", None, None, "上官婉儿反映", "上**儿反映"),
    (" 赵六 ", None, None, "赵六反映", "赵*反映"),
    ("李", None, None, "李先生反映李家巷积水", "李先生反映李家巷积水"),  # one character: not searched
    ("王秀英、李明", None, None, "王秀英和李明反映", "王*英和李*反映"),
    ("陈静", "13812345678", None, "回电138 1234 5678或138-1234-5678", "回电138****5678或138****5678"),
    ("陈静", "13812345678", None, "回电１３８１２３４５６７８", "回电138****5678"),
    ("陈静", "+86 138 1234 5678", None, "电话13812345678", "电话138****5678"),
    ("陈静", "0755-12345678/13812345678", None, "座机0755 1234 5678，手机13812345678",
     "座机075*****5678，手机138****5678"),
    ("陈静", None, "44030719900101123X", "身份证44030719900101123x，复印件440307 19900101 123X",
     "身份证440307********123X，复印件440307********123X"),
    ("陈静", "13812345678", None, "另一人139-8765-4321，编号123456，2024年1月，12栋", "另一人139-****-4321，编号123456，2024年1月，12栋"),
    ("刘洋", "13812345678", None, "王秀英反映噪声", "王秀英反映噪声"),  # someone else's name: not this record's
    ("刘洋", "13812345678", None, None, None),
    (None, None, None, "刘洋反映13812345678", "刘洋反映138****5678"),  # no name known; any mobile still masked
]


def _cases_frame() -> pd.DataFrame:
    return pd.DataFrame({"order_id": [f"LG{13812345678 + i}" for i in range(len(CASES))],
                         "citizen_name": [c[0] for c in CASES], "citizen_phone": [c[1] for c in CASES],
                         "citizen_id": [c[2] for c in CASES], "content": [c[3] for c in CASES],
                         "street": ["龙城"] * len(CASES)})


def test_a_records_own_values_are_masked_in_its_text():
    df = _cases_frame()
    out = mask_frame(df)
    for i, case in enumerate(CASES):
        got = out["content"].iloc[i]
        assert (case[4] is None and pd.isna(got)) or got == case[4], case
    assert out["order_id"].tolist() == df["order_id"].tolist()  # coded columns: never rewritten
    assert out["street"].tolist() == df["street"].tolist()
    assert mask_frame(out).equals(out)  # masking twice changes nothing (SQL view + export)


def test_own_values_in_every_free_text_column_and_in_columns_named_as_the_importer_knows():
    df = pd.DataFrame({"姓名": ["王秀英"], "手机": ["13812345678"], "标题": ["王秀英投诉"],
                       "address": ["王秀英家，龙岗大道1号"], "reply": ["已电话联系王秀英（138 1234 5678）"],
                       "备注": ["王秀英"], "工单编号": ["王秀英"], "count": [3]})
    out = mask_frame(df)
    assert out.iloc[0].tolist() == ["王*英", "138****5678", "王*英投诉", "王*英家，龙岗大道1号",
                                    "已电话联系王*英（138****5678）", "王*英", "王秀英", 3]


def _oracle(t, name, phone, id_):
    """The rules, written plainly: one regular expression per key, over the whole text."""
    if not isinstance(t, str):
        return t
    name, phone, id_ = (v if isinstance(v, str) else None for v in (name, phone, id_))
    wide = "０１２３４５６７８９"

    def pattern(k):
        return f"{personal.SEPARATOR}*".join("[Xx]" if c == "X" else f"[{c}{wide[int(c)]}]" for c in k)

    def digits(part, keep):
        return "".join(c if c in keep else "" for c in part).translate(str.maketrans(wide, "0123456789"))

    if re.search(personal.SEVEN_DIGITS_PATTERN, t):
        for part in re.split(personal.DELIMITERS, id_ or ""):
            k = digits(part, "0123456789" + wide + "Xx").upper()
            if "*" not in part and len(k) >= 7:
                t = re.sub(pattern(k), mask_id([k]).iloc[0], t)
        for part in re.split(personal.DELIMITERS, phone or ""):
            k = digits(part, "0123456789" + wide)
            k = k[2:] if len(k) == 13 and k.startswith("861") else k[4:] if len(k) == 15 and k.startswith("00861") else k
            if "*" not in part and len(k) >= 7:
                t = re.sub(pattern(k), mask_phone([k]).iloc[0], t)
    for part in re.split(personal.DELIMITERS, name or ""):
        k = part.strip(" \t\n\x0b\x0c\r\u3000")
        if len(k) >= 2 and "*" not in k:
            t = t.replace(k, mask_name([k]).iloc[0])
    t = re.sub(personal.ID18_PATTERN, r"\1********\3", t)
    t = re.sub(personal.ID15_PATTERN, r"\1******\3", t)
    return re.sub(personal.MOBILE_PATTERN, r"\1\2****\4\5", t)


def random_records(n: int, seed: int = 7) -> pd.DataFrame:
    """Complaint-like records whose text mixes the record's own values (in every written form),
    other people's, and harmless numbers."""
    rng = np.random.default_rng(seed)
    surnames = ["王", "李", "欧阳", "司马", "诸葛", "上官", "张"]
    given = ["秀英", "明", "小明", "光", "亮", "婉儿", "三"]
    rows = []
    for i in range(n):
        nm = surnames[rng.integers(len(surnames))] + given[rng.integers(len(given))]
        ph = "1" + str(rng.integers(3, 10)) + "".join(str(d) for d in rng.integers(0, 10, 9))
        idn = "440307" + "".join(str(d) for d in rng.integers(0, 10, 11)) + str(rng.choice(list("0123456789X")))
        forms = [nm, nm, ph, f"{ph[:3]} {ph[3:7]} {ph[7:]}", f"{ph[:3]}-{ph[3:7]}-{ph[7:]}",
                 ph.translate(str.maketrans("0123456789", "０１２３４５６７８９")), idn, idn.lower(),
                 f"{idn[:6]} {idn[6:14]} {idn[14:]}", "王秀英", "13987654321", "2024年3月", "12栋302",
                 "编号1234567", "", "，", "反映噪声"]
        text = "".join(forms[j] for j in rng.integers(0, len(forms), rng.integers(0, 6)))
        shown_name = nm if rng.random() < 0.9 else f"{nm}、{'李明'}"
        shown_phone = ph if rng.random() < 0.8 else rng.choice([f"+86 {ph}", f"{ph}/0755-1234567", None])
        rows.append({"citizen_name": shown_name if rng.random() > 0.05 else None, "citizen_phone": shown_phone,
                     "citizen_id": idn if rng.random() > 0.1 else None, "content": text if rng.random() > 0.05 else None,
                     "address": f"龙岗大道{rng.integers(1, 999)}号{nm if rng.random() < 0.2 else ''}"})
    return pd.DataFrame(rows)


def test_the_vectorised_masking_agrees_with_the_rules_written_plainly():
    df = random_records(1000)
    out = mask_frame(df)
    for col in ("content", "address"):
        expect = [_oracle(t, n, p, i) for t, n, p, i in
                  zip(df[col], df["citizen_name"], df["citizen_phone"], df["citizen_id"])]
        got = out[col].tolist()
        bad = [(df[col].iloc[k], got[k], expect[k]) for k in range(len(df))
               if got[k] != expect[k] and not (pd.isna(got[k]) and pd.isna(expect[k]))]
        assert not bad, bad[:5]
    changed = (out["content"].fillna("") != df["content"].fillna("")).sum()
    assert 0.3 * len(df) < changed < len(df)  # the fixture does exercise the rules


def test_mask_layer_rows_finds_the_name_when_only_the_text_was_read(ws):
    gdf = gpd.GeoDataFrame({"content": ["王秀英反映噪声", "无"], "citizen_name": ["王秀英", "李四"]},
                           geometry=shapely.points([(515_000, 2_510_000), (515_001, 2_510_000)]), crs=ws.crs)
    ws.write_layer("calls", gdf, kind="complaints")
    ws.write_layer("plain", gdf.drop(columns=["citizen_name"]))
    from lzt.analysis.masking import mask_layer_rows

    only_text = ws.read_features("calls", columns=["content"])
    out = mask_layer_rows(ws, "calls", only_text)
    assert out["content"].tolist() == ["王*英反映噪声", "无"] and list(out.columns) == list(only_text.columns)
    plain = ws.read_features("plain")
    assert mask_layer_rows(ws, "plain", plain) is plain  # not personal: untouched
