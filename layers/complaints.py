"""The 12345 / 民生诉求 work-order schema: English field names, the Chinese headers they come
from, and the mapping of an export's columns onto them (DOMAIN.md §2.2; the field list is
[M]/[P] there). A mapping file (``--mapping MAP.json``, ``{"source header": "field"}``)
adapts other exports; unmapped columns are kept under their own names.
"""

from __future__ import annotations

import json
from pathlib import Path


from lzt.core.errors import LztInputError
from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")

#: field -> (Chinese label shown in the UI, headers recognised, type)
SCHEMA: dict[str, tuple[str, tuple[str, ...], str]] = {
    "order_id": ("工单编号", ("工单编号", "工单号", "编号", "order_id"), "TEXT"),
    "received_at": ("诉求时间", ("诉求时间", "受理时间", "来电时间", "创建时间", "received_at"), "DATETIME"),
    "channel": ("来源渠道", ("来源渠道", "渠道", "来源", "channel"), "TEXT"),
    "appeal_type": ("诉求类型", ("诉求类型", "appeal_type"), "TEXT"),
    "cat_l1": ("一级分类", ("一级分类", "大类", "cat_l1"), "TEXT"),
    "cat_l2": ("二级分类", ("二级分类", "中类", "cat_l2"), "TEXT"),
    "cat_l3": ("三级分类", ("三级分类", "小类", "事项", "cat_l3"), "TEXT"),
    "street": ("街道", ("街道", "所属街道", "street"), "TEXT"),
    "community": ("社区", ("社区", "所属社区", "community"), "TEXT"),
    "address": ("地址", ("地址", "事发地址", "诉求地址", "address"), "TEXT"),
    "content": ("诉求内容", ("诉求内容", "内容", "content"), "TEXT"),
    "dept": ("承办部门", ("承办部门", "处置部门", "办理部门", "dept"), "TEXT"),
    "status": ("处理状态", ("处理状态", "状态", "status"), "TEXT"),
    "closed_at": ("办结时间", ("办结时间", "closed_at"), "DATETIME"),
    "satisfaction": ("满意度", ("满意度", "评价", "satisfaction"), "TEXT"),
    "citizen_name": ("诉求人", ("诉求人", "诉求人姓名", "姓名", "citizen_name"), "TEXT"),
    "citizen_phone": ("联系电话", ("联系电话", "电话", "手机", "citizen_phone"), "TEXT"),
    "citizen_id": ("证件号码", ("证件号码", "身份证号", "身份证号码", "citizen_id"), "TEXT"),
}
PERSONAL = ("citizen_name", "citizen_phone", "citizen_id")


def load_mapping(path: str | Path | None, schema: dict | None = None) -> dict[str, str]:
    """A user mapping file: {"source header": "schema field"} (fields of ``schema``, default
    the work-order schema). Used by every domain schema (complaints, supervision)."""
    schema = SCHEMA if schema is None else schema
    if path is None:
        return {}
    path = Path(path)
    try:
        mapping = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LztInputError(path, f"not a readable JSON mapping: {exc}") from None
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise LztInputError(path, 'the mapping must be a JSON object {"source header": "field"}')
    unknown = sorted(set(mapping.values()) - set(schema))
    if unknown:
        raise LztInputError(path, f"unknown fields {', '.join(unknown)}; fields are {', '.join(schema)}")
    return mapping


def to_schema(df: pd.DataFrame, mapping: dict[str, str], source: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename an export's columns onto the schema; parse its dates. Returns (frame, used mapping)."""
    used: dict[str, str] = {}
    taken = set()
    for col in df.columns:
        field = mapping.get(col)
        if field is None:
            field = next((f for f, (_, heads, _) in SCHEMA.items() if str(col).strip() in heads), None)
        if field is not None and field not in taken:
            used[col] = field
            taken.add(field)
    out = df.rename(columns=used)
    if "order_id" not in out.columns:
        raise LztInputError(source, "no work-order number column (工单编号); map it with --mapping")
    for field, (_, _, ftype) in SCHEMA.items():
        if field in out.columns and ftype == "DATETIME":
            out[field] = pd.to_datetime(out[field], errors="coerce")
        elif field in out.columns and ftype == "TEXT":
            out[field] = out[field].astype(object).where(out[field].notna(), None).map(_text)
    return out, used


def _text(v):
    """Cell -> text; whole floats (phones read as numbers) lose their '.0'."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
