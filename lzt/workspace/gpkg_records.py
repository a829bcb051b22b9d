"""Versioned edits, inspection records and the audit trail of a GeoPackage workspace.

Supervision edits are optimistic: a feature carries a ``version`` column, an
edit names the version it was made against, and the update only lands when the
row still has it (``UPDATE ... WHERE fid = ? AND version = ?``). Each edit writes
its audit entry in the same SQLite transaction, so an edit without its entry,
or an entry without its edit, cannot exist.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import sqlite3
from datetime import date, datetime
from typing import Any

from lzt.core.errors import ConflictError, LztInputError

AUDIT_DDL = ("CREATE TABLE IF NOT EXISTS lzt_audit (id INTEGER PRIMARY KEY AUTOINCREMENT, "
             "at TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL)")
INSPECTIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS lzt_inspections (id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "layer TEXT NOT NULL, parcel_id TEXT, fid INTEGER NOT NULL, inspected_on TEXT NOT NULL, "
    "inspector TEXT NOT NULL, result TEXT NOT NULL, notes TEXT, photos TEXT NOT NULL DEFAULT '[]', "
    "recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL)")
BLOBS_DDL = ("CREATE TABLE IF NOT EXISTS lzt_blobs (kind TEXT NOT NULL, key TEXT NOT NULL, "
             "data BLOB NOT NULL, PRIMARY KEY (kind, key))")
INSPECTION_FIELDS = ("inspected_on", "inspector", "result", "notes")


def inspection_photo_refs(uri: str, record: dict[str, Any], photos: dict[str, bytes]) -> list[dict]:
    """Check an inspection record's fields (both backends); the photos' {name, sha256, bytes}."""
    missing = [k for k in ("inspected_on", "inspector", "result") if not record.get(k)]
    if missing:
        raise LztInputError(uri, f"inspection record lacks {', '.join(missing)}")
    extra = sorted(set(record) - set(INSPECTION_FIELDS))
    if extra:
        raise LztInputError(uri, f"inspection record has unknown field(s) {', '.join(extra)}")
    return [{"name": n, "sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)} for n, b in photos.items()]


def default_actor() -> str:
    """The editing user of a file workspace: ``$LZT_USER`` if set, else the OS login."""
    return os.environ.get("LZT_USER") or getpass.getuser()


def sql_value(value: Any, ftype: str) -> Any:
    """One Python value as the workspace stores it in a column of ``ftype``."""
    if value is None:
        return None
    if ftype == "DATE":
        return value.isoformat()[:10] if isinstance(value, (date, datetime)) else str(value)[:10]
    if ftype == "DATETIME":
        return value.isoformat(timespec="milliseconds") if isinstance(value, datetime) else str(value)
    if ftype == "BOOLEAN":
        return int(bool(value))
    if ftype == "INTEGER":
        return int(value)
    if ftype == "REAL":
        return float(value)
    return value if isinstance(value, (str, bytes)) else str(value)


class RecordsMixin:
    """Edits for ``GeoPackageWorkspace`` (uses its ``_write``, ``_conn``, ``fields``, ``uri``)."""

    @property
    def actor(self) -> str:
        return default_actor()

    # -- audit -------------------------------------------------------------------
    def audit(self, action: str, detail: dict[str, Any]) -> None:
        """Append an audit entry (who, when, what); entries are never rewritten."""
        from lzt.workspace.gpkg import _now

        with self._write() as conn:
            conn.execute(AUDIT_DDL)
            conn.execute("INSERT INTO lzt_audit (at, user, action, detail) VALUES (?, ?, ?, ?)",
                         (_now(), self.actor, action, json.dumps(detail, ensure_ascii=False, default=str)))

    def audit_entries(self, action: str | None = None) -> list[dict[str, Any]]:
        """All audit entries (of one action), oldest first."""
        sql = "SELECT at, user, action, detail FROM lzt_audit"
        args: tuple = ()
        if action is not None:
            sql, args = sql + " WHERE action = ?", (action,)
        try:
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
        from lzt.workspace.gpkg import _now, _q

        fields = self.fields(name)
        if "version" not in fields:
            raise LztInputError(self.uri, f"layer {name!r} has no version field; it cannot be edited "
                                          "with optimistic locking (import it with --kind supervision)")
        unknown = sorted(set(changes) - set(fields))
        if unknown or "version" in changes:
            bad = ", ".join(unknown) or "version"
            raise LztInputError(self.uri, f"layer {name!r}: cannot set field(s) {bad}")
        cols = list(changes)
        select = ", ".join(["version", *(_q(c) for c in cols)])
        row = conn.execute(f"SELECT {select} FROM {_q(name)} WHERE fid = ?", (int(fid),)).fetchone()
        if row is None:
            raise LztInputError(self.uri, f"layer {name!r} has no feature {fid}")
        current = row[0]
        if current != expected_version:
            raise ConflictError(f"{self.uri}: feature {fid} of {name!r} was changed by someone else "
                                f"(version {current}, edit made on version {expected_version}); "
                                "reload it and try again")
        new_values = [sql_value(changes[c], fields[c]) for c in cols]
        sets = "".join(f", {_q(c)} = ?" for c in cols)
        cur = conn.execute(f"UPDATE {_q(name)} SET version = version + 1{sets} WHERE fid = ? AND version = ?",
                           (*new_values, int(fid), expected_version))
        if cur.rowcount != 1:  # pragma: no cover - the row was read in this transaction
            raise ConflictError(f"{self.uri}: feature {fid} of {name!r} changed during the edit")
        conn.execute("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (_now(), name))
        self.audit(action, {"layer": name, "fid": int(fid), "key": self._feature_key(conn, name, fid),
                            "old": dict(zip(cols, row[1:])), "new": dict(zip(cols, new_values)),
                            "version": expected_version + 1})
        return expected_version + 1

    def _feature_key(self, conn, name: str, fid: int) -> str | None:
        from lzt.workspace.gpkg import _q

        if "parcel_id" not in self.fields(name):
            return None
        row = conn.execute(f"SELECT parcel_id FROM {_q(name)} WHERE fid = ?", (int(fid),)).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    # -- inspections -------------------------------------------------------------------
    def add_inspection(self, name: str, fid: int, record: dict[str, Any], *, expected_version: int,
                       photos: dict[str, bytes] | None = None, changes: dict[str, Any] | None = None
                       ) -> int:
        """See ``Workspace.add_inspection``."""
        from lzt.workspace.gpkg import _now

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
                      _now(), self.actor)
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
            rows = self._conn.execute(sql + " ORDER BY inspected_on, id", args).fetchall()
        except sqlite3.OperationalError:  # none recorded yet
            return []
        keys = ("id", "layer", "parcel_id", "fid", "inspected_on", "inspector", "result", "notes", "photos",
                "recorded_at", "recorded_by")
        out = [dict(zip(keys, r)) for r in rows]
        for r in out:
            r["photos"] = json.loads(r["photos"])
        return out
