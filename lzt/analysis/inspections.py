"""Recording inspections (核查记录) of supervision parcels: one call for the CLI and the GUI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from lzt.core.errors import LztInputError
from lzt.workspace.base import Workspace

MAX_PHOTO_BYTES = 50 * 1024 * 1024
RESULTS = ("未动工", "已动工", "在建", "停工", "已竣工", "疑似闲置", "违规建设", "正常", "其他")  # [P]


def parcel_record(ws: Workspace, parcel_id: str, layer: str | None = None) -> tuple[str, int, dict[str, Any]]:
    """(layer, fid, attributes incl. version) of one supervision parcel by 宗地编号."""
    from lzt.analysis.supervision import supervision_layer
    from lzt.core.filters import Compare

    layer = supervision_layer(ws, layer)
    rows = ws.read_features(layer, where=Compare("parcel_id", "=", str(parcel_id)), geometry=False)
    if rows.empty:
        raise LztInputError(ws.uri, f"layer {layer!r} has no parcel {parcel_id!r}")
    fid = int(rows.index[0])
    return layer, fid, rows.iloc[0].to_dict()


def record_inspection(ws: Workspace, parcel_id: str, *, inspected_on: date, inspector: str, result: str,
                      notes: str | None = None, photos: list[str | Path] = (), status: str | None = None,
                      layer: str | None = None, expected_version: int | None = None) -> int:
    """Store an inspection with its photos (and a status change) in one transaction.

    ``expected_version`` is the parcel version the user saw (the GUI passes the one
    it loaded); without it, the current version is used. Returns the inspection id;
    ``ConflictError`` if the parcel changed meanwhile.
    """
    if inspected_on > date.today():
        raise LztInputError("--date", f"{inspected_on} is in the future")
    if not str(inspector).strip():
        raise LztInputError("--inspector", "the inspector's name is required")
    if not str(result).strip():
        raise LztInputError("--result", "the inspection result is required")
    blobs: dict[str, bytes] = {}
    for p in map(Path, photos):
        if not p.is_file():
            raise LztInputError(p, "no such photo file")
        if p.stat().st_size > MAX_PHOTO_BYTES:
            raise LztInputError(p, f"photo larger than {MAX_PHOTO_BYTES // 2**20} MB")
        if p.name in blobs:
            raise LztInputError(p, "two photos have the same file name")
        blobs[p.name] = p.read_bytes()
    layer, fid, attrs = parcel_record(ws, parcel_id, layer)
    version = int(attrs["version"]) if expected_version is None else int(expected_version)
    changes = {"status": status} if status is not None else None
    record = {"inspected_on": inspected_on, "inspector": inspector.strip(), "result": result.strip(),
              "notes": notes}
    return ws.add_inspection(layer, fid, record, expected_version=version, photos=blobs, changes=changes)


@dataclass
class EditConflict:
    """What others saved on a parcel since a user read it (their side of a refused edit)."""

    parcel_id: str
    seen_version: int
    current_version: int
    changed: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, when read, now)
    new_inspections: list[dict[str, Any]] = field(default_factory=list)  # recorded by others since
    current: dict[str, Any] = field(default_factory=dict)  # the parcel's attributes now (incl. version)


def _same(a, b) -> bool:
    import pandas as pd

    a_missing = a is None or (not isinstance(a, (list, dict, str)) and bool(pd.isna(a)))
    b_missing = b is None or (not isinstance(b, (list, dict, str)) and bool(pd.isna(b)))
    if a_missing or b_missing:
        return a_missing and b_missing
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return str(a) == str(b)


def describe_conflict(ws: Workspace, parcel_id: str, seen: dict[str, Any], seen_inspections=(), *,
                      layer: str | None = None) -> EditConflict:
    """Compare a parcel as a user read it (``seen``: its attributes incl. ``version``; the ids of
    the inspections they saw) with the workspace now: the fields others changed and the
    inspections others recorded since."""
    layer, _, now = parcel_record(ws, parcel_id, layer)
    changed = [(k, seen.get(k), v) for k, v in now.items()
               if k not in ("version", "geometry") and k in seen and not _same(seen.get(k), v)]
    known = set(seen_inspections)
    new = [r for r in ws.inspections(layer, parcel_id) if r["id"] not in known]
    return EditConflict(str(parcel_id), int(seen.get("version") or 0), int(now["version"]), changed, new, now)
