"""Masking of personal data (names, phone numbers, ID numbers), in columns and in free text.

Which layers and columns are personal is decided in one place, ``lzt.workspace.personal``;
this module masks the values. The formats follow the product issue's examples, which
DOMAIN.md §2.3 leaves configurable ([P] there proposes other defaults):

- name: ``张三 -> 张*``, ``王小明 -> 王*明``, ``欧阳小明 -> 欧**明`` (the first and,
  from three characters on, the last character kept);
- phone: ``13812341234 -> 138****1234``; other numbers of 7+ digits keep their first 3
  and last 4 digits (``0755-12345678 -> 075*-****5678``);
- ID number (18 characters): ``440307199001011234 -> 440307********1234``.

In the free-text columns of a record (诉求内容, 地址, 答复 ..., see
``personal.free_text_columns``), that record's own name, phone and ID number are masked
wherever they appear (``王秀英反映噪声`` -> ``王*英反映噪声``; a phone or ID number
also when written with spaces or dashes, ``138 1234 5678`` -> ``138****5678``). Several
values in one cell (``13812341234/0755-12345678``, ``王秀英、李明``) count one by one;
names shorter than two characters and values already masked are not searched for.
Any other mobile (also ``138-1234-5678``) or ID number in free text is masked too.
Full-width digits (``１３８…``) count as digits.

The SQL masking views of shared workspaces (``lzt.workspace.postgis.roles``) apply the same
rules; the tests compare both on the same records.

Work is vectorised by selection: cheap whole-column tests pick the few cells that
hold a candidate, and only those are rewritten (1M complaints: see bench/RESULTS.md).
"""

from __future__ import annotations

import re

import numpy as np

from lzt.workspace import personal
from lzt.workspace.base import Workspace
from lzt.workspace.personal import (DELIMITERS, ID15_PATTERN, ID18_PATTERN, LONG_NUMBER_PATTERN, MOBILE_PATTERN,
                                    SEPARATOR, SEVEN_DIGITS_PATTERN, STRIP, WIDE_DIGITS)
from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")

ASCII_DIGITS = "0123456789"
_TO_ASCII = str.maketrans(WIDE_DIGITS, ASCII_DIGITS)
_DIGIT_CHARS = frozenset(ASCII_DIGITS + WIDE_DIGITS)

_ID18 = re.compile(ID18_PATTERN)
_ID15 = re.compile(ID15_PATTERN)
_MOBILE = re.compile(MOBILE_PATTERN)
_DELIM = re.compile(DELIMITERS)
_LONG_NUMBER = re.compile(LONG_NUMBER_PATTERN)
_SEVEN_DIGITS = re.compile(SEVEN_DIGITS_PATTERN)


def _cells(values) -> tuple[np.ndarray, pd.Index | None]:
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype=object), values.index
    return np.asarray(pd.Series(values, dtype=object).to_numpy(), dtype=object), None


def _map_strings(values, one, also=()) -> pd.Series:
    """``one`` applied to the string cells of ``values`` (and cells of the types ``also``),
    others kept, as an object Series of the same index."""
    arr, index = _cells(values)
    if also:
        out = [one(v) if v.__class__ is str or (isinstance(v, also) and not isinstance(v, bool)) else v
               for v in arr]
    else:
        out = [one(v) if v.__class__ is str else v for v in arr]
    return pd.Series(np.array(out, dtype=object) if len(out) else arr, index=index, dtype=object)


def _name_one(v: str) -> str:
    t = v.strip(STRIP)
    n = len(t)
    if n == 0:
        return v
    if n == 1:
        return "*"
    if n == 2:
        return t[0] + "*"
    return t[0] + "*" * (n - 2) + t[-1]


def mask_name(values) -> pd.Series:
    """张三 -> 张*, 王小明 -> 王*明."""
    return _map_strings(values, _name_one)


def _mask_number(t: str) -> str:
    """Digits but the first 3 and last 4 starred (all starred below 7 digits); others kept."""
    if len(t) == 11 and t.isascii() and t.isdigit():  # the common case: a bare mobile number
        return t[:3] + "****" + t[7:]
    digits = [i for i, c in enumerate(t) if c in _DIGIT_CHARS]
    if len(digits) < 7:
        return "*" * len(t)
    keep = set(digits[:3]) | set(digits[-4:])
    return "".join(c if (c not in _DIGIT_CHARS or i in keep) else "*" for i, c in enumerate(t))


def _phone_one(v) -> str:
    t = str(v).strip(STRIP)
    return _mask_number(t) if t else v


def mask_phone(values) -> pd.Series:
    """13812341234 -> 138****1234; other numbers keep their first 3 and last 4 digits."""
    return _map_strings(values, _phone_one, also=(int, np.integer))


def _id_one(v: str) -> str:
    t = v.strip(STRIP)
    n = len(t)
    if n == 0:
        return v
    if n == 18:
        return t[:6] + "********" + t[-4:]
    if n == 15:
        return t[:6] + "******" + t[-3:]
    return t[:2] + "*" * (n - 4) + t[-2:] if n > 4 else "*" * n


def mask_id(values) -> pd.Series:
    """440307199001011234 -> 440307********1234 (15-digit IDs: 6 + 6 stars + 3)."""
    return _map_strings(values, _id_one)


def _generic_one(v: str) -> str:
    if not _LONG_NUMBER.search(v):
        return v
    v = _ID18.sub(r"\1********\3", v)
    v = _ID15.sub(r"\1******\3", v)
    return _MOBILE.sub(r"\1\2****\4\5", v)


def mask_text(values) -> pd.Series:
    """Mask any mobile or ID number embedded in free text."""
    return _map_strings(values, _generic_one)


# -- a record's own values -------------------------------------------------------------------
_SEPARATOR_CHARS = frozenset(" \t\u3000－-")
#: a number as written: digits (or an ID's X) with separators between them
_RUN = re.compile(f"[0-9０-９Xx](?:{SEPARATOR}*[0-9０-９Xx])*")


def _replace_key(run: str, key: str, masked: str) -> str:
    """``key`` (ASCII digits, maybe X) replaced by ``masked`` wherever it occurs in ``run``,
    separators between its characters included: what the SQL does with the regular
    expression of the key's characters joined by ``SEPARATOR*``."""
    pos = [i for i, c in enumerate(run) if c not in _SEPARATOR_CHARS]
    compact = "".join(run[i] for i in pos).translate(_TO_ASCII).upper()
    j = compact.find(key)
    if j < 0:
        return run
    out, last = [], 0
    while j >= 0:
        start, end = pos[j], pos[j + len(key) - 1] + 1
        out += [run[last:start], masked]
        last = end
        j = compact.find(key, j + len(key))
    out.append(run[last:])
    return "".join(out)


def _phone_keys(value: str) -> list[tuple[str, str]]:
    if len(value) == 11 and value.isascii() and value.isdigit():  # the common case
        return [(value, value[:3] + "****" + value[7:])]
    out = []
    for part in _DELIM.split(value):
        if "*" in part:
            continue
        k = "".join(c for c in part if c in _DIGIT_CHARS).translate(_TO_ASCII)
        if len(k) == 13 and k.startswith("861"):
            k = k[2:]
        elif len(k) == 15 and k.startswith("00861"):
            k = k[4:]
        if len(k) >= 7:
            out.append((k, _mask_number(k)))
    return out


def _id_keys(value: str) -> list[tuple[str, str]]:
    if len(value) == 18 and value.isascii() and value[:17].isdigit() and value[17] in "0123456789Xx":
        k = value.upper()
        return [(k, _id_one(k))]
    out = []
    for part in _DELIM.split(value):
        if "*" in part:
            continue
        k = "".join(c for c in part if c in _DIGIT_CHARS or c in "Xx").translate(_TO_ASCII).upper()
        if len(k) >= 7:
            out.append((k, _id_one(k)))
    return out


def _name_keys(value: str) -> list[tuple[str, str]]:
    out = []
    for part in _DELIM.split(value):
        k = part.strip(STRIP)
        if len(k) >= 2 and "*" not in k:
            out.append((k, _name_one(k)))
    return out


def _own_numbers(t: str, keys: list[tuple[str, str]]) -> str:
    for k, m in keys:
        t = _RUN.sub(lambda mo: _replace_key(mo.group(), k, m), t)
    return t


def _number_keys(phone, id_) -> list[tuple[str, str]]:
    """Search keys of a record's ID numbers, then of its phones (the order the SQL keeps)."""
    return (_id_keys(id_) if id_ is not None else []) + (_phone_keys(phone) if phone is not None else [])


def _joined(frame: pd.DataFrame, cols: list[str]) -> np.ndarray | None:
    """Per row, the values of ``cols`` as text, joined by '/' (None where there is none)."""
    if not cols:
        return None
    arrays = [frame[c].to_numpy(dtype=object) for c in cols]

    def text(v):
        if v.__class__ is str:
            return v
        return str(v) if isinstance(v, (int, np.integer)) and not isinstance(v, bool) else None

    if len(arrays) == 1:
        return np.array([text(v) for v in arrays[0]], dtype=object)
    out = []
    for vals in zip(*arrays):
        parts = [t for t in map(text, vals) if t is not None]
        out.append("/".join(parts) if parts else None)
    return np.array(out, dtype=object)


class _Own:
    """A frame's personal values per record, as search keys (computed once, on demand)."""

    def __init__(self, names: np.ndarray | None, phones: np.ndarray | None, ids: np.ndarray | None):
        self.names, self.phones, self.ids = names, phones, ids
        self._single: list | None = None
        self._multi: dict[int, list] | None = None

    def names_single(self) -> tuple[list, dict[int, list]]:
        """(stripped name per row or None, {row: [(key, mask)...]} for cells of several names)."""
        if self._single is None:
            single: list = []
            multi: dict[int, list] = {}
            if self.names is not None:
                for i, v in enumerate(self.names):
                    if v is None:
                        single.append(None)
                    elif _DELIM.search(v):
                        single.append(None)
                        multi[i] = _name_keys(v)
                    else:
                        single.append(v.strip(STRIP))
            self._single, self._multi = single, multi
        return self._single, self._multi


def _mask_text_column(values: np.ndarray, own: _Own | None) -> np.ndarray:
    """One free-text column: the record's own ID numbers, phones and names, then any mobile
    or ID number. Whole-column tests pick the cells to rewrite."""
    out = values.copy()
    numbers = [i for i, t in enumerate(values) if t.__class__ is str and _SEVEN_DIGITS.search(t)]
    if own is not None and (own.phones is not None or own.ids is not None):
        phones = own.phones if own.phones is not None else [None] * len(values)
        ids = own.ids if own.ids is not None else [None] * len(values)
        for i in numbers:
            keys = _number_keys(phones[i], ids[i])
            if keys:
                out[i] = _own_numbers(out[i], keys)
    if own is not None and own.names is not None:
        single, multi = own.names_single()
        hits = [i for i, t, k in zip(range(len(out)), out, single) if k and t.__class__ is str and k in t]
        for i in hits:
            k = single[i]
            if len(k) >= 2 and "*" not in k:
                out[i] = out[i].replace(k, _name_one(k))
        for i, keys in multi.items():
            t = out[i]
            if t.__class__ is str:
                for k, m in keys:
                    if k in t:
                        t = t.replace(k, m)
                out[i] = t
    for i in numbers:
        out[i] = _generic_one(out[i])
    return out


ROLE_MASKS = {"name": mask_name, "phone": mask_phone, "id": mask_id}


def mask_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` (rows of a personal layer) with its personal data masked: personal
    columns by their role; in the free-text columns each record's own name, phone and ID
    number, and any mobile or ID number (``lzt.workspace.personal`` says which is which)."""
    out = df.copy(deep=False)  # columns are replaced, never written into
    geometry = getattr(df, "_geometry_column_name", None)
    roles = personal.column_roles(c for c in df.columns if c != geometry)
    by_role = {r: [c for c, rr in roles.items() if rr == r] for r in ("name", "phone", "id")}
    own = None
    if roles:
        own = _Own(_joined(df, by_role["name"]), _joined(df, by_role["phone"]), _joined(df, by_role["id"]))
    texts = [c for c in personal.free_text_columns(c for c in df.columns if c != geometry and c not in roles)
             if _holds_text(df[c])]
    for c in texts:
        out[c] = pd.Series(_mask_text_column(df[c].to_numpy(dtype=object), own), index=df.index, dtype=object)
    for c, role in roles.items():
        out[c] = ROLE_MASKS[role](df[c]).to_numpy()
    return out


def _holds_text(s: pd.Series) -> bool:
    return s.dtype == object or pd.api.types.is_string_dtype(s.dtype)


def mask_layer_rows(ws: Workspace, layer: str, df: pd.DataFrame) -> pd.DataFrame:
    """Rows of workspace layer ``layer`` (indexed by feature id) as they may leave the
    workspace: masked when the layer is personal. Personal columns missing from ``df`` are
    read for its rows, so that a record's own name is found in its text even when only the
    text was asked for; they are not added to the result."""
    info = ws.layer(layer)
    if not personal.layer_is_personal(info):
        return df
    geometry = getattr(df, "_geometry_column_name", None)
    have = [c for c in df.columns if c != geometry]
    missing = [c for c in personal.column_roles(f.name for f in info.fields) if c not in df.columns]
    if missing and len(df) and any(_holds_text(df[c]) for c in have):
        extra = ws.read_features(layer, fids=df.index.to_numpy(), columns=missing, geometry=False)
        full = df.join(pd.DataFrame(extra[missing]), how="left")
        return mask_frame(full)[list(df.columns)]
    return mask_frame(df)
