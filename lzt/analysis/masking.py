"""Masking of personal data in complaints (names, phone numbers, ID numbers), vectorised.

The formats follow the product issue's examples, which DOMAIN.md §2.3 leaves
configurable ([P] there proposes other defaults):

- name: ``张三 -> 张*``, ``王小明 -> 王*明``, ``欧阳小明 -> 欧**明`` (the first and,
  from three characters on, the last character kept);
- mobile: ``13812341234 -> 138****1234``; other numbers of 7+ digits keep their first 3
  and last 4 digits (``0755-12345678 -> 075*-****5678``);
- ID number (18 characters): ``440307199001011234 -> 440307********1234``;
- free text (诉求内容, 地址 …): embedded mobiles and ID numbers are masked the same way.

Every function accepts a pandas Series (or anything Series() takes) and returns a
Series of the same index; missing values stay missing.
"""

from __future__ import annotations

import re

import pandas as pd

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<!\d)(\d{6})(\d{6})(\d{3})(?!\d)")


def _series(values) -> pd.Series:
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    return s.astype(object)


def mask_name(values) -> pd.Series:
    """张三 -> 张*, 王小明 -> 王*明."""
    s = _series(values)

    def one(v):
        if not isinstance(v, str) or not v.strip():
            return v
        t = v.strip()
        if len(t) == 1:
            return "*"
        if len(t) == 2:
            return t[0] + "*"
        return t[0] + "*" * (len(t) - 2) + t[-1]

    return s.map(one)


def _mask_number(t: str) -> str:
    digits = [i for i, c in enumerate(t) if c.isdigit()]
    if len(digits) < 7:
        return "*" * len(t)
    keep = set(digits[:3]) | set(digits[-4:])
    return "".join(c if (not c.isdigit() or i in keep) else "*" for i, c in enumerate(t))


def mask_phone(values) -> pd.Series:
    """13812341234 -> 138****1234; other numbers keep their first 3 and last 4 digits."""
    s = _series(values)
    return s.map(lambda v: _mask_number(str(v).strip()) if isinstance(v, (str, int)) and str(v).strip() else v)


def mask_id(values) -> pd.Series:
    """440307199001011234 -> 440307********1234 (15-digit IDs: 6 + 6 stars + 3)."""
    s = _series(values)

    def one(v):
        if not isinstance(v, str) or not v.strip():
            return v
        t = v.strip()
        if len(t) == 18:
            return t[:6] + "*" * 8 + t[-4:]
        if len(t) == 15:
            return t[:6] + "*" * 6 + t[-3:]
        return t[:2] + "*" * max(0, len(t) - 4) + t[-2:] if len(t) > 4 else "*" * len(t)

    return s.map(one)


def mask_text(values) -> pd.Series:
    """Mask mobiles and ID numbers embedded in free text."""
    s = _series(values)

    def one(v):
        if not isinstance(v, str):
            return v
        v = _ID18.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), v)
        v = _ID15.sub(lambda m: m.group(1) + "*" * 6 + m.group(3), v)
        return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), v)

    return s.map(one)


#: What to apply to each personal field of the complaint schema.
PERSONAL_FIELDS = {"citizen_name": mask_name, "citizen_phone": mask_phone, "citizen_id": mask_id,
                   "content": mask_text, "address": mask_text, "reply": mask_text}


def mask_frame(df: pd.DataFrame, fields: dict | None = None) -> pd.DataFrame:
    """A copy of ``df`` with every personal field present masked."""
    out = df.copy()
    for name, fn in (fields or PERSONAL_FIELDS).items():
        if name in out.columns:
            out[name] = fn(out[name]).to_numpy()
    return out
