"""Versioned edits, inspection records and the audit trail of a GeoPackage workspace.

Supervision edits are optimistic: a feature carries a ``version`` column, an
edit names the version it was made against, and the update only lands when the
row still has it (``UPDATE ... WHERE fid = ? AND version = ?``). Each edit writes
its audit entry in the same SQLite transaction, so an edit without its entry,
or an entry without its edit, cannot exist.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from lzt.core.errors import ConflictError, LztInputError
from lzt.workspace.gpkg.connection import q
from lzt.workspace.gpkg.ddl import AUDIT_DDL, BLOBS_DDL, INSPECTIONS_DDL
from lzt.workspace.schema import (
    INSPECTION_FIELDS,
    conflict_message,
    default_actor,
    editable_columns,
    inspection_photo_refs,
    now,
    sql_value,
)


class RecordsMixin:
    """Edits for ``GeoPackageWorkspace`` (uses its ``_write``, ``_conn``, ``fields``, ``uri``)."""

    @property
    def actor(self) -> str:
        return default_actor()

    # -- audit -------------------------------------------------------------------
    def audit(self, action: str, detail: dict[str, Any]) -> None:
        """Append an audit entry (who, when, what); entries are never rewritten."""
        with self._write() as conn:
            conn.execute(AUDIT_DDL)
            conn.execute("INSERT INTO lzt_audit (at, user, action, detail) VALUES (?, ?, ?, ?)",
                         (now(), self.actor, action, json.dumps(detail, ensure_ascii=False, default=str)))

    def audit_entries(self, action: str | None = None) -> list[dict[str, Any]]:
        """All audit entries (of one action), oldest first."""
        sql = "SELECT at, user, action, detail FROM lzt_audit"
        args: tuple = ()
        if action is not None:
            sql, args = sql + " WHERE action = ?", (action,)
        try:
            with self._lock:
                rows = self._conn.execute(sql + " ORDER BY id", args).fetchall()
        except sqlite3.OperationalError:  # no entries yet
            return []
        return [{"at": a, "user": u, "action": c, "detail": json.loads(d)} for a, u, c, d in rows]

    # -- versioned feature edits ----------------------------------------------------
    def update_feature(self, name: str, fid: int, changes: dict[str, Any], *, expected_version: int,
                       action: str = "edit") -> int:
        """See ``Workspace.update_feature``."""
        with self._write() as conn:
            return self._update_feature(conn, name, fid, changes, expected_version, action)

    def _update_feature(self, conn, name: str, fid: int, changes: dict[str, Any],
                        expected_version: int, action: str) -> int:
        fields = self.fields(name)
        cols = editable_columns(self.uri, name, fields, changes)
        select = ", ".join(["version", *(q(c) for c in cols)])
        row = conn.execute(f"SELECT {select} FROM {q(name)} WHERE fid = ?", (int(fid),)).fetchone()
        if row is None:
            raise LztInputError(self.uri, f"layer {name!r} has no feature {fid}")
        current = row[0]
        if current != expected_version:
            raise ConflictError(conflict_message(self.uri, name, fid, current, expected_version))
        new_values = [sql_value(changes[c], fields[c]) for c in cols]
        sets = "".join(f", {q(c)} = ?" for c in cols)
        cur = conn.execute(f"UPDATE {q(name)} SET version = version + 1{sets} WHERE fid = ? AND version = ?",
                           (*new_values, int(fid), expected_version))
        if cur.rowcount != 1:  # pragma: no cover - the row was read in this transaction
            raise ConflictError(f"{self.uri}: feature {fid} of {name!r} changed during the edit")
        conn.execute("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (now(), name))
        self.audit(action, {"layer": name, "fid": int(fid), "key": self._feature_key(conn, name, fid),
                            "old": dict(zip(cols, row[1:])), "new": dict(zip(cols, new_values)),
                            "version": expected_version + 1})
        return expected_version + 1

    def _feature_key(self, conn, name: str, fid: int) -> str | None:
        if "parcel_id" not in self.fields(name):
            return None
        row = conn.execute(f"SELECT parcel_id FROM {q(name)} WHERE fid = ?", (int(fid),)).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    # -- inspections -------------------------------------------------------------------
    def add_inspection(self, name: str, fid: int, record: dict[str, Any], *, expected_version: int,
                       photos: dict[str, bytes] | None = None, changes: dict[str, Any] | None = None
                       ) -> int:
        """See ``Workspace.add_inspection``."""
        photos = photos or {}
        refs = inspection_photo_refs(self.uri, record, photos)
        with self._write() as conn:
            self._update_feature(conn, name, fid, dict(changes or {}), expected_version, "inspection")
            conn.execute(INSPECTIONS_DDL)
            if photos:
                conn.execute(BLOBS_DDL)
                conn.executemany("INSERT OR IGNORE INTO lzt_blobs VALUES ('photo', ?, ?)",
                                 [(r["sha256"], sqlite3.Binary(b)) for r, b in zip(refs, photos.values())])
            values = (name, self._feature_key(conn, name, fid), int(fid),
                      sql_value(record["inspected_on"], "DATE"), str(record["inspector"]),
                      str(record["result"]), record.get("notes"), json.dumps(refs, ensure_ascii=False),
                      now(), self.actor)
            cur = conn.execute("INSERT INTO lzt_inspections (layer, parcel_id, fid, inspected_on, inspector, "
                               "result, notes, photos, recorded_at, recorded_by) VALUES (?,?,?,?,?,?,?,?,?,?)",
                               values)
            iid = int(cur.lastrowid)
            self.audit("inspection_record", {"layer": name, "fid": int(fid), "key": values[1], "inspection": iid,
                                             "record": {k: record.get(k) for k in INSPECTION_FIELDS},
                                             "photos": refs})
        return iid

    def inspections(self, name: str, parcel_id: str | None = None) -> list[dict[str, Any]]:
        """See ``Workspace.inspections``."""
        sql = ("SELECT id, layer, parcel_id, fid, inspected_on, inspector, result, notes, photos, "
               "recorded_at, recorded_by FROM lzt_inspections WHERE layer = ?")
        args: tuple = (name,)
        if parcel_id is not None:
            sql, args = sql + " AND parcel_id = ?", (name, str(parcel_id))
        try:
            with self._lock:  # the connection is shared with workers (the supervision checks read it)
                rows = self._conn.execute(sql + " ORDER BY inspected_on, id", args).fetchall()
        except sqlite3.OperationalError:  # none recorded yet
            return []
        keys = ("id", "layer", "parcel_id", "fid", "inspected_on", "inspector", "result", "notes", "photos",
                "recorded_at", "recorded_by")
        out = [dict(zip(keys, r)) for r in rows]
        for r in out:
            r["photos"] = json.loads(r["photos"])
        return out
