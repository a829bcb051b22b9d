"""Which layers and columns hold personal data: the one rule every way out of the workspace follows.

A layer is *personal* when any of these holds:

- its kind is ``complaints`` (the 12345 work-order schema);
- its catalogue record says it was derived from a personal layer
  (``details["personal_from"]``: the personal layers its rows came from, resolved to the
  originals, so the mark survives when an intermediate layer is dropped, and is copied by
  ``lzt push``/``pull`` with the rest of the record);
- it carries a personal column: a citizen's name, phone or ID number, under the schema's
  field name or one of the headers the complaint importer recognises (``诉求人``, ``姓名``,
  ``联系电话``, ``电话``, ``手机``, ``证件号码``, ``身份证号`` ...).

Masking follows the data, not the layer kind: a query result, a kept layer, an analysis
output that carries complaint records and a copy in another workspace stay personal.
Layers derived from other layers record their lineage with ``lineage()``. A derived layer
that keeps its records' free text keeps their personal columns too (query results and
kept layers keep every column), so that a caller's own name is found in the text on every
way out; text without them gets only the patterns any mobile or ID number is masked by.

The columns of a personal layer fall into three groups, which the Python masking
(``lzt.analysis.masking``) and the SQL masking views (``lzt.workspace.postgis.roles``) both follow:

- personal columns (``column_roles``): masked by their role (name, phone, id);
- free-text columns (``free_text_columns``: every text column that is neither personal nor
  a coded schema field such as 工单编号, 街道 or 处理状态): the record's own name, phone
  and ID number are masked wherever they appear in it, and any mobile or ID number;
- coded columns: as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from layers.complaints import SCHEMA
from layers.kinds import LayerKind
from lzt.workspace.base import LayerInfo, Workspace

#: whitespace stripped from names and numbers
STRIP = " \t\n\x0b\x0c\r\u3000"
#: separators of several values in one cell (``13812341234/0755-12345678``, ``王秀英、李明``)
DELIMITERS = "[/,;，；、|]"
#: what may stand between the digits of a number written in groups (``138 1234-5678``)
SEPARATOR = "[ \t\u3000－-]"
WIDE_DIGITS = "０１２３４５６７８９"
D = "[0-9０-９]"
#: any ID number or mobile in free text (POSIX ARE and Python's re read them alike)
ID18_PATTERN = f"(?<![0-9０-９A-Za-z])({D}{{6}})({D}{{8}})({D}{{3}}[0-9０-９Xx])(?![0-9０-９A-Za-z])"
ID15_PATTERN = f"(?<![0-9０-９])({D}{{6}})({D}{{6}})({D}{{3}})(?![0-9０-９])"
MOBILE_PATTERN = f"(?<![0-9０-９])([1１][3-9３-９]{D})({SEPARATOR}?)({D}{{4}})({SEPARATOR}?)({D}{{4}})(?![0-9０-９])"
#: seven digits, separated or not: the least a number worth searching for has
SEVEN_DIGITS_PATTERN = f"{D}(?:{SEPARATOR}*{D}){{6}}"
#: eleven digits, singly separated at most: the least any of the free-text patterns needs
LONG_NUMBER_PATTERN = f"{D}(?:{SEPARATOR}?{D}){{10}}"

#: schema field -> masking role
ROLES = {"citizen_name": "name", "citizen_phone": "phone", "citizen_id": "id"}

#: schema fields whose text is free (the caller's words, an address, a reply)
FREE_TEXT_FIELDS = ("title", "content", "address", "reply")


def _headers(field: str) -> tuple[str, ...]:
    return SCHEMA[field][1] if field in SCHEMA else (field,)


#: column name (lower case) -> role, for every name a personal column goes by
_ROLE_OF = {h.strip().lower(): role for field, role in ROLES.items() for h in (field, *_headers(field))}
#: coded schema columns (lower case): never free text
_CODED = {h.strip().lower() for field in SCHEMA if field not in ROLES and field not in FREE_TEXT_FIELDS
          for h in (field, *_headers(field))} | {"location_source", "src_fid"}


def column_roles(columns: Iterable[str]) -> dict[str, str]:
    """The personal columns among ``columns``: column -> "name" | "phone" | "id"."""
    return {c: _ROLE_OF[str(c).strip().lower()] for c in columns if str(c).strip().lower() in _ROLE_OF}


def free_text_columns(columns: Iterable[str]) -> list[str]:
    """Of a personal layer's text ``columns``, those where any mobile or ID number is masked too."""
    return [c for c in columns if str(c).strip().lower() not in _ROLE_OF and str(c).strip().lower() not in _CODED]


def is_personal(kind: str, columns: Iterable[str], details: Mapping[str, Any] | None) -> bool:
    """The rule: complaint kind, or derived from a personal layer, or carrying a personal column."""
    return kind == LayerKind.COMPLAINTS or bool((details or {}).get("personal_from")) or bool(column_roles(columns))


def layer_is_personal(info: LayerInfo) -> bool:
    """``is_personal`` of a catalogue record (rasters never are)."""
    if info.kind == LayerKind.RASTER:
        return False
    return is_personal(info.kind, (f.name for f in info.fields), info.details)


def personal_roots(info: LayerInfo) -> list[str]:
    """The original personal layers behind ``info`` ([] when it is not personal)."""
    if not layer_is_personal(info):
        return []
    return list((info.details or {}).get("personal_from") or [info.name])


def lineage(ws: Workspace, sources: Iterable[str], details: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Catalogue ``details`` for a layer whose rows are records of ``sources``: ``derived_from``
    names them, and ``personal_from`` the personal layers behind them (absent when none is)."""
    sources = list(dict.fromkeys(sources))
    out = dict(details or {})
    out["derived_from"] = sources
    roots = sorted({r for s in sources for r in personal_roots(ws.layer(s))})
    if roots:
        out["personal_from"] = roots
    else:
        out.pop("personal_from", None)
    return out
