"""The land-supervision (土地批后监管) schema: a granted parcel and its contract terms.

Field names are English; the Chinese headers of a supervision ledger (宗地编号,
合同约定开工日期, 容积率上限 ...) are recognised as given, and a mapping file
(``{"source header": "field"}``) adapts other ledgers. Dates are kept as dates,
ratios as numbers, percentages (建筑密度, 绿地率) as percent values (35 = 35 %),
whether the ledger wrote 35, "35%" or 0.35. lzt adds ``version`` (optimistic
locking of edits) to every record.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from lzt.core.errors import LztInputError

#: field -> (Chinese label shown in the UI, headers recognised, type)
SCHEMA: dict[str, tuple[str, tuple[str, ...], str]] = {
    "parcel_id": ("宗地编号", ("宗地编号", "宗地号", "宗地代码", "地块编号", "parcel_id"), "TEXT"),
    "contract_id": ("合同编号", ("合同编号", "出让合同编号", "contract_id"), "TEXT"),
    "holder": ("受让人", ("受让人", "土地使用权人", "用地单位", "holder"), "TEXT"),
    "project": ("项目名称", ("项目名称", "项目", "project"), "TEXT"),
    "land_use": ("用地性质", ("用地性质", "土地用途", "用途", "land_use"), "TEXT"),
    "area_m2": ("面积", ("面积", "宗地面积", "用地面积", "土地面积", "面积(平方米)", "面积（平方米）",
                        "面积(㎡)", "面积（㎡）", "area_m2"), "REAL"),
    "signed_on": ("合同签订日期", ("合同签订日期", "签订日期", "出让日期", "signed_on"), "DATE"),
    "agreed_start": ("合同约定开工日期", ("合同约定开工日期", "约定开工日期", "约定动工日期", "agreed_start"), "DATE"),
    "agreed_completion": ("合同约定竣工日期", ("合同约定竣工日期", "约定竣工日期", "agreed_completion"), "DATE"),
    "actual_start": ("实际开工日期", ("实际开工日期", "实际动工日期", "开工日期", "actual_start"), "DATE"),
    "actual_completion": ("实际竣工日期", ("实际竣工日期", "竣工日期", "actual_completion"), "DATE"),
    "stopped_since": ("停工日期", ("停工日期", "中止开发日期", "停工起始日期", "stopped_since"), "DATE"),
    "delay_cause": ("延误原因", ("延误原因", "闲置原因", "delay_cause"), "TEXT"),
    "far_max": ("容积率上限", ("容积率上限", "容积率", "最大容积率", "far_max"), "REAL"),
    "far_min": ("容积率下限", ("容积率下限", "最小容积率", "far_min"), "REAL"),
    "coverage_max": ("建筑密度上限(%)", ("建筑密度上限", "建筑密度", "建筑覆盖率上限", "建筑覆盖率",
                                          "coverage_max"), "REAL"),
    "green_min": ("绿地率下限(%)", ("绿地率下限", "绿地率", "green_min"), "REAL"),
    "height_max": ("建筑限高(米)", ("建筑限高", "限高", "建筑高度上限", "height_max"), "REAL"),
    "setback_m": ("退线距离(米)", ("退线距离", "退线", "建筑退线", "setback_m"), "REAL"),
    "setback_edges": ("分边退线", ("分边退线", "各边退线", "setback_edges"), "TEXT"),
    "investment_total": ("投资额(万元)", ("投资额", "总投资额", "计划投资额", "investment_total"), "REAL"),
    "investment_done": ("已投资额(万元)", ("已投资额", "完成投资额", "investment_done"), "REAL"),
    "developed_area_m2": ("已开发面积", ("已开发面积", "已开发土地面积", "developed_area_m2"), "REAL"),
    "status": ("状态", ("状态", "开发状态", "监管状态", "status"), "TEXT"),
}
PERCENT_FIELDS = ("coverage_max", "green_min")
LABELS = {f: label for f, (label, _, _) in SCHEMA.items()} | {"version": "版本"}


def load_mapping(path: str | Path | None) -> dict[str, str]:
    """A user mapping file: {"source header": "schema field"} onto this schema."""
    from layers.complaints import load_mapping as load

    return load(path, SCHEMA)


def _key(header: str) -> str:
    """A header without spaces, units in brackets or a trailing '%'."""
    h = re.sub(r"\s+", "", str(header))
    return re.sub(r"[（(][^）)]*[）)]$|%$", "", h)


def to_schema(df: pd.DataFrame, mapping: dict[str, str], source: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename a ledger's columns onto the schema and type them; adds ``version`` = 1.

    Raises ``LztInputError`` (naming the file, the column and the first bad value)
    for a missing or duplicated 宗地编号, an unreadable date or number.
    """
    used: dict[str, str] = {}
    taken: set[str] = set()
    for col in df.columns:
        field = mapping.get(col)
        if field is None:
            field = next((f for f, (_, heads, _) in SCHEMA.items()
                          if str(col).strip() in heads or _key(col) in heads), None)
        if field is not None and field not in taken:
            used[col] = field
            taken.add(field)
    out = df.rename(columns=used).copy()
    if "parcel_id" not in out.columns:
        raise LztInputError(source, "no parcel number column (宗地编号); map it with --mapping")
    if "version" in out.columns:
        out = out.rename(columns={"version": "version_src"})
    ids = out["parcel_id"].map(_text)
    if ids.isna().any():
        raise LztInputError(source, f"row {int(ids.isna().to_numpy().argmax()) + 2}: 宗地编号 is empty")
    dup = ids[ids.duplicated()]
    if len(dup):
        raise LztInputError(source, f"宗地编号 {dup.iloc[0]!r} appears more than once")
    out["parcel_id"] = ids
    for field, (label, _, ftype) in SCHEMA.items():
        if field not in out.columns or field == "parcel_id":
            continue
        col = out[field]
        if ftype == "DATE":
            out[field] = _dates(col, label, source)
        elif ftype == "REAL":
            out[field] = _numbers(col, label, source, percent=field in PERCENT_FIELDS)
        else:
            out[field] = col.map(_text)
    out["version"] = np.ones(len(out), dtype=np.int64)
    return out, used


def _text(v):
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v).strip()
    return s or None


def _dates(col: pd.Series, label: str, source: str) -> pd.Series:
    text = col.map(lambda v: None if _text(v) is None else v)
    parsed = pd.to_datetime(text.map(lambda v: v if not isinstance(v, str) else
                                     re.sub(r"[年月/.]", "-", v).replace("日", "")),
                            errors="coerce")
    bad = text.notna() & parsed.isna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise LztInputError(source, f"{label}: {text.iloc[i]!r} (row {i + 2}) is not a date")
    return parsed.dt.date.astype(object).where(parsed.notna(), None)


def _numbers(col: pd.Series, label: str, source: str, *, percent: bool) -> pd.Series:
    text = col.map(_text)
    had_pct = text.fillna("").str.endswith("%")
    cleaned = text.fillna("").str.replace(r"[%,，\s]", "", regex=True)
    nums = pd.to_numeric(cleaned.where(cleaned != ""), errors="coerce")
    bad = text.notna() & nums.isna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise LztInputError(source, f"{label}: {text.iloc[i]!r} (row {i + 2}) is not a number")
    if percent:  # a fraction (0.35) means percent (35); "35%" and 35 stay 35. No cap or floor is 1 % or less.
        frac = ~had_pct & nums.notna() & (nums <= 1)
        nums = nums.where(~frac, nums * 100)
    if (nums.dropna() < 0).any():
        raise LztInputError(source, f"{label}: negative values are not allowed")
    return nums.astype(float)


def parse_setback_edges(text: str | None, source: str = "setback_edges") -> dict[tuple[int, int], float]:
    """'1-2:8;2-3:5' -> {(1, 2): 8.0, (2, 3): 5.0}: setbacks per boundary edge (vertex numbers
    from 1, in the order of the parcel's exterior ring), as Shenzhen contracts state them."""
    if not text:
        return {}
    out: dict[tuple[int, int], float] = {}
    for part in re.split(r"[;；,，]\s*", str(text).strip()):
        if not part:
            continue
        m = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)\s*[:：=]\s*(\d+(?:\.\d+)?)\s*(?:米|m)?", part)
        if not m:
            raise LztInputError(source, f"cannot read edge setback {part!r} (write e.g. 1-2:8;2-3:5)")
        out[(int(m.group(1)), int(m.group(2)))] = float(m.group(3))
    return out
