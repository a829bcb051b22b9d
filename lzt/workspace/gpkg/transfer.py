"""What ``lzt push`` / ``lzt pull`` read from and restore into a GeoPackage workspace.

The same five methods exist on the PostGIS backend (``lzt.workspace.postgis.records``), so that
``lzt.workspace.transfer`` copies any workspace into any other without knowing
either one's SQL: all settings, every blob, and the inspection and audit rows
with their original ids, times and users.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from lzt.workspace.gpkg.ddl import AUDIT_DDL, BLOBS_DDL, INSPECTIONS_DDL

_INSPECTION_KEYS = ("id", "layer", "parcel_id", "fid", "inspected_on", "inspector", "result", "notes",
                    "photos", "recorded_at", "recorded_by")


class TransferMixin:
    """Whole-workspace reads and restores for ``GeoPackageWorkspace``."""

    def all_settings(self) -> dict[str, Any]:
        """Every setting, by key."""
        with self._lock:
            rows = self._conn.execute("SELECT key, value FROM lzt_settings").fetchall()
        return {k: json.loads(v) for k, v in rows}

    def restore_settings(self, settings: dict[str, Any]) -> None:
        """Write settings as they were elsewhere (the fixed CRS keys are kept)."""
        with self._write() as conn:
            conn.executemany("INSERT OR REPLACE INTO lzt_settings VALUES (?, ?)",
                             [(k, json.dumps(v, ensure_ascii=False)) for k, v in settings.items()
                              if k not in ("crs", "srs_id")])

    def blob_items(self) -> Iterator[tuple[str, str, bytes]]:
        """Every stored blob as (kind, key, bytes), one at a time."""
        try:
            with self._lock:  # fetched whole under the lock, not held across the yields below
                keys = self._conn.execute("SELECT kind, key FROM lzt_blobs ORDER BY kind, key").fetchall()
        except sqlite3.OperationalError:
            return
        for kind, key in keys:
            yield kind, key, self.get_blob(kind, key)

    def record_rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """All inspection records (with ids) and audit entries, oldest first."""
        try:
            with self._lock:
                rows = self._conn.execute(f"SELECT {', '.join(_INSPECTION_KEYS)} FROM lzt_inspections "
                                          "ORDER BY inspected_on, id").fetchall()
        except sqlite3.OperationalError:
            rows = []
        inspections = [dict(zip(_INSPECTION_KEYS, r)) for r in rows]
        for r in inspections:
            r["photos"] = json.loads(r["photos"])
        return inspections, self.audit_entries()

    def restore_records(self, inspections: list[dict[str, Any]], audit: list[dict[str, Any]]) -> None:
        """Append inspection records and audit entries as they were, keeping ids, times and users."""
        with self._write() as conn:
            conn.execute(INSPECTIONS_DDL)
            conn.execute(AUDIT_DDL)
            conn.execute(BLOBS_DDL)
            conn.executemany(f"INSERT INTO lzt_inspections ({', '.join(_INSPECTION_KEYS)}) "
                             "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                             [tuple(json.dumps(r[k], ensure_ascii=False) if k == "photos" else r[k]
                                    for k in _INSPECTION_KEYS) for r in inspections])
            conn.executemany("INSERT INTO lzt_audit (at, user, action, detail) VALUES (?, ?, ?, ?)",
                             [(e["at"], e["user"], e["action"],
                               json.dumps(e["detail"], ensure_ascii=False, default=str)) for e in audit])
