"""问数's answer sentence per language: the Chinese is the sentence the CLI and the JSON have always
carried (written out here and filled with pandas' counts), the English of every kind of answer
holds no Chinese but the data's own values (names, categories, layer names, as they are)."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pyogrio
import pytest
import shapely

from lzt.analysis.answer import ask
from lzt.search.explain import TEMPLATES
from lzt.workspace.open import open_workspace

AS_OF = date(2025, 12, 15)
#: CJK ideographs, CJK punctuation and full-width forms
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
#: a question for every kind of answer sentence (the key of its template), and the as-of date
KINDS = {
    "total": ("龙城街道今年噪声扰民投诉多少？", AS_OF),
    "total_groups": ("第三季度各街道投诉", AS_OF),
    "top_n": ("今年投诉排名前3的社区", AS_OF),
    "extreme": ("每月投诉的最少", AS_OF),
    "extreme_tied": ("上个月哪个社区的占道经营最多？", AS_OF),
    "share": ("龙城街道未办结的占比", AS_OF),
    "change_up": ("2025年3月投诉环比", AS_OF),
    "change_down": ("吉华街道上月投诉环比", AS_OF),
    "idle_count": ("闲置的宗地有多少", AS_OF),
    "bim_count": ("BIM模型超过50米的有多少", AS_OF),
    "building_count": ("龙城街道高度超过50米的建筑有多少", AS_OF),
    "poi_count": ("水官高速500米内的便利店有多少", AS_OF),
    "place_at": ("龙城街道在哪", AS_OF),
    "refused": ("第三季度投诉排名前5的社区", AS_OF),
    "data_partial": ("近30天投诉多少", date(2026, 1, 10)),
}
#: the layers whose text values are data (place names, categories, statuses)
DATA_LAYERS = ("streets", "communities", "roads", "poi", "complaints", "bim_models", "buildings")
#: a person's words and particulars are not names of anything (left in, they would hide words)
PERSONAL = ("citizen_name", "citizen_phone", "citizen_id", "content", "address", "order_id")


@pytest.fixture(scope="module")
def demo(demo_path):
    ws = open_workspace(demo_path)
    yield ws, demo_path
    ws.close()


@pytest.fixture(scope="module")
def data_values(demo) -> list[str]:
    """Every text value of the demo's place, POI and complaint layers, and the layer names (longest first)."""
    ws, path = demo
    values = {li.name for li in ws.layers()} | {ws.crs}
    for layer in DATA_LAYERS:
        df = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
        for c in df.columns:
            if not (pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_datetime64_any_dtype(df[c])
                    or c in PERSONAL):
                values |= set(df[c].dropna().astype(str).unique())
    return sorted((v for v in values if len(v) >= 2 and CJK.search(v)), key=len, reverse=True)


def _without(text: str, values: list[str]) -> str:
    for v in values:
        if v in text:
            text = text.replace(v, " ")
    return text


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_answer_kind_in_english_has_no_chinese_but_data(demo, data_values, kind):
    question, as_of = KINDS[kind]
    a = ask(demo[0], question, as_of=as_of)
    assert kind in [p.key for p in a.text_said], (question, a.text)
    assert a.sentence("zh") == a.text == a.to_json()["text"]
    en = a.sentence("en")
    assert en and en != a.text
    assert not CJK.search(_without(en, data_values)), (kind, en)
    for row in a.rows_in("en"):
        for k, v in row.items():
            assert not CJK.search(_without(str(v), data_values)), (kind, k, v)
    assert a.rows_in("zh") == a.rows  # the Chinese rows are the contract's


def test_data_range_notes_and_refusals_in_english(demo):
    ws, path = demo
    day = _complaints(path)["day"]
    a = ask(ws, "去年投诉多少", as_of=AS_OF)
    assert [p.key for p in a.text_said] == ["total", "data_to"]
    n = int(((day >= "2024-01-01") & (day <= "2024-12-31")).sum())
    assert a.sentence("en") == f"2024-01-01 to 2024-12-31: {n:,} complaints (data up to {day.max()})"
    a = ask(ws, KINDS["data_partial"][0], as_of=KINDS["data_partial"][1])
    assert a.text_said[-1].key == "data_partial"
    assert a.sentence("en").endswith(f"(the records cover {day.min()} to {day.max()}; "
                                      "only part of 2025-12-12 to 2026-01-10 has data)"), a.sentence("en")
    a = ask(ws, "2023年投诉多少", as_of=AS_OF)  # refused: the reason, in the sentence, in English
    assert a.refused and a.sentence("en") == "Cannot answer precisely: " + a.explain("en")[1]
    assert a.sentence("en").startswith("Cannot answer precisely: the records cover")
    for key in ("refused", "cannot"):  # the lead-ins of a refusal
        assert not CJK.search(TEMPLATES[key][1])


def _complaints(path) -> pd.DataFrame:
    df = pyogrio.read_dataframe(path, layer="complaints", read_geometry=False,
                                columns=["received_at", "street", "community", "cat_l1", "status"])
    df["day"] = pd.to_datetime(df["received_at"]).dt.strftime("%Y-%m-%d")
    return df


def test_the_chinese_sentence_is_the_one_the_json_always_carried(demo):
    """The sentences written out as ``lzt ask`` has said them, filled with pandas' counts."""
    ws, path = demo
    df = _complaints(path)
    last = df["day"].max()
    end = f"（数据截至 {last}）"

    def text(q, as_of=AS_OF):
        return ask(ws, q, as_of=as_of).text

    this_year = df[(df.day >= "2025-01-01") & (df.day <= "2025-12-15")]
    n = int(((this_year.street == "龙城") & (this_year.cat_l1 == "噪声扰民")).sum())
    assert text("龙城街道今年噪声扰民投诉多少？") == f"2025年（截至2025-12-15） 龙城街道 噪声扰民 共 {n:,} 件{end}"
    top = this_year.groupby("community").size().sort_values(ascending=False).head(3)
    assert text("今年投诉排名前3的社区") == "2025年（截至2025-12-15） 排名前 3：" + \
        "，".join(f"{k} {v:,} 件" for k, v in top.items()) + end
    q3 = df[(df.day >= "2025-07-01") & (df.day <= "2025-09-30")]
    assert text("第三季度各街道投诉") == f"2025年第3季度 共 {len(q3):,} 件，分{q3.street.nunique(dropna=False)}组{end}"
    a = ask(ws, "第三季度各街道投诉", as_of=AS_OF)  # records with no street: a group of their own
    assert q3.street.isna().any() and {"key": "（空）", "count": int(q3.street.isna().sum())} in a.rows
    assert {"key": "(empty)", "count": int(q3.street.isna().sum())} in a.rows_in("en")
    lc = df[df.street == "龙城"]
    part = int((~lc.status.isin(["已办结", "已回访"])).sum())
    assert text("龙城街道未办结的占比") == \
        f"全部时间 龙城街道 未办结 {part:,} 件，占 {len(lc):,} 件的 {round(100 * part / len(lc), 1)}%{end}"
    now = int(((df.day >= "2025-03-01") & (df.day <= "2025-03-31")).sum())
    then = int(((df.day >= "2025-02-01") & (df.day <= "2025-02-28")).sum())
    pct = round(100 * (now - then) / then, 1)
    assert text("2025年3月投诉环比") == (f"2025年3月 {now:,} 件，环比{'增长' if pct >= 0 else '下降'} {abs(pct)}%"
                                        f"（对比 2025-02-01至2025-02-28 {then:,} 件）{end}")
    nov = df[(df.day >= "2025-11-01") & (df.day <= "2025-11-30") & (df.street == "吉华")]
    oct_ = df[(df.day >= "2025-10-01") & (df.day <= "2025-10-31") & (df.street == "吉华")]
    pct = round(100 * (len(nov) - len(oct_)) / len(oct_), 1)
    assert pct < 0 and text("吉华街道上月投诉环比") == \
        f"2025年11月 吉华街道 {len(nov):,} 件，环比下降 {abs(pct)}%（对比 2025-10-01至2025-10-31 {len(oct_):,} 件）{end}"
    months = df.groupby(df.day.str[:7]).size()
    least = months[months == months.min()]
    assert text("每月投诉的最少") == f"全部时间 最少的是 {'、'.join(least.index)}（{least.iloc[0]:,} 件）{end}"
    lo = "2025-12-12"
    assert text("近30天投诉多少", date(2026, 1, 10)) == \
        (f"近30天（截至2026-01-10） 共 {int((df.day >= lo).sum()):,} 件（数据范围 {df.day.min()} 至 {last}，"
         "近30天（截至2026-01-10）只有部分时段有数据）")
    streets = pyogrio.read_dataframe(path, layer="streets", fid_as_index=True)
    row = streets[streets["name"] == "龙城"]
    got = text("龙城街道在哪")
    assert got.startswith(f"龙城（街道，图层 streets #{row.index[0]}）位于 ") and got.endswith(f"（{ws.crs}）")
    x, y = (float(v) for v in got.split("位于 ")[1].split("（")[0].split(", "))
    assert row.geometry.iloc[0].buffer(100).contains(shapely.Point(x, y))
    a = ask(ws, "水官高速500米内的便利店有多少", as_of=AS_OF)
    poi = pyogrio.read_dataframe(path, layer="poi")
    road = pyogrio.read_dataframe(path, layer="roads", where="name = '水官高速'").geometry.iloc[0]
    near = int(((poi.category == "便利店") & (poi.geometry.distance(road) <= 500)).sum())  # from the line
    assert a.text == f"水官高速 500 米内的便利店：{near} 个"
    a = ask(ws, "闲置的宗地有多少", as_of=AS_OF)
    assert a.text == f"截至 2025-12-15，闲置土地 {len(a.rows)} 宗"
