"""Versioned edits, inspection records and the audit trail of a PostGIS workspace.

The same optimistic locking as the GeoPackage backend (``lzt.workspace.gpkg.records``): an edit
names the version it was made against; the row is locked (``SELECT ... FOR
UPDATE``), compared, updated with ``version + 1`` and audited in one
transaction, so of two users editing the same parcel the second gets a
``ConflictError`` and nothing is overwritten. Who edited is the database user:
the audit and inspection tables fill ``user`` / ``recorded_by`` with
``current_user`` on the server, so it cannot be claimed by the client.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lzt.core.errors import ConflictError, LztInputError
from lzt.workspace.postgis.sql import q
from lzt.workspace.schema import (
    INSPECTION_FIELDS,
    conflict_message,
    editable_columns,
    inspection_photo_refs,
    sql_value,
)

_TS = "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'"
_INSPECTION_KEYS = ("id", "layer", "parcel_id", "fid", "inspected_on", "inspector", "result", "notes",
                    "photos", "recorded_at", "recorded_by")


def _utc_text(column: str) -> str:
    return f"to_char({column} AT TIME ZONE 'UTC', {_TS})"


def _pg_value(value: Any, ftype: str) -> Any:
    """A stored value (``sql_value``) as a parameter for a column of ``ftype``."""
    if value is None:
        return None
    if ftype == "BOOLEAN":
        return bool(value)
    return value


class PgRecordsMixin:
    """Edits for ``PostGISWorkspace`` (uses its ``_write``, ``_query``, ``_t``, ``fields``, ``uri``)."""

    @property
    def actor(self) -> str:
        """The database user edits are recorded under (``current_user``)."""
        return self._query("SELECT current_user")[0][0]

    # -- audit -------------------------------------------------------------------
    def audit(self, action: str, detail: dict[str, Any]) -> None:
        """Append an audit entry; who and when are filled in by the server."""
        with self._write() as cur:
            cur.execute(f"INSERT INTO {self._t('lzt_audit')} (action, detail) VALUES (%s, %s)",
                        (action, json.dumps(detail, ensure_ascii=False, default=str)))

    def audit_entries(self, action: str | None = None) -> list[dict[str, Any]]:
        """All audit entries (of one action), oldest first."""
        sql = f"SELECT {_utc_text('at')}, \"user\", action, detail FROM {self._t('lzt_audit')}"
        args: tuple = ()
        if action is not None:
            sql, args = sql + " WHERE action = %s", (action,)
        rows = self._query(sql + " ORDER BY id", args)
        return [{"at": a, "user": u, "action": c, "detail": json.loads(d)} for a, u, c, d in rows]

    # -- versioned feature edits ----------------------------------------------------
    def update_feature(self, name: str, fid: int, changes: dict[str, Any], *, expected_version: int,
                       action: str = "edit") -> int:
        """See ``Workspace.update_feature``."""
        with self._write() as cur:
            return self._update_feature(cur, name, fid, changes, expected_version, action)

    def _update_feature(self, cur, name: str, fid: int, changes: dict[str, Any],
                        expected_version: int, action: str) -> int:
        fields = self.fields(name)
        cols = editable_columns(self.uri, name, fields, changes)
        select = ", ".join(["version", *(q(c) for c in cols)])
        t = self._t(name)
        row = cur.execute(f"SELECT {select} FROM {t} WHERE fid = %s FOR UPDATE", (int(fid),)).fetchone()
        if row is None:
            raise LztInputError(self.uri, f"layer {name!r} has no feature {fid}")
        current = row[0]
        if current != expected_version:
            raise ConflictError(conflict_message(self.uri, name, fid, current, expected_version))
        new_values = [sql_value(changes[c], fields[c]) for c in cols]
        old_values = [sql_value(v, fields[c]) for c, v in zip(cols, row[1:])]
        sets = "".join(f", {q(c)} = %s" for c in cols)
        cur.execute(f"UPDATE {t} SET version = version + 1{sets} WHERE fid = %s AND version = %s",
                    (*(_pg_value(v, fields[c]) for c, v in zip(cols, new_values)), int(fid), expected_version))
        if cur.rowcount != 1:  # pragma: no cover - the row is locked by this transaction
            raise ConflictError(f"{self.uri}: feature {fid} of {name!r} changed during the edit")
        self.audit(action, {"layer": name, "fid": int(fid), "key": self._feature_key(cur, name, fid),
                            "old": dict(zip(cols, old_values)), "new": dict(zip(cols, new_values)),
                            "version": expected_version + 1})
        return expected_version + 1

    def _feature_key(self, cur, name: str, fid: int) -> str | None:
        if "parcel_id" not in self.fields(name):
            return None
        row = cur.execute(f"SELECT parcel_id FROM {self._t(name)} WHERE fid = %s", (int(fid),)).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    # -- inspections -------------------------------------------------------------------
    def add_inspection(self, name: str, fid: int, record: dict[str, Any], *, expected_version: int,
                       photos: dict[str, bytes] | None = None, changes: dict[str, Any] | None = None
                       ) -> int:
        """See ``Workspace.add_inspection``."""
        photos = photos or {}
        refs = inspection_photo_refs(self.uri, record, photos)
        with self._write() as cur:
            self._update_feature(cur, name, fid, dict(changes or {}), expected_version, "inspection")
            if photos:
                cur.executemany(f"INSERT INTO {self._t('lzt_blobs')} VALUES ('photo', %s, %s) "
                                "ON CONFLICT DO NOTHING",
                                [(r["sha256"], bytes(b)) for r, b in zip(refs, photos.values())])
            key = self._feature_key(cur, name, fid)
            cur.execute(f"INSERT INTO {self._t('lzt_inspections')} (layer, parcel_id, fid, inspected_on, "
                        "inspector, result, notes, photos) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                        (name, key, int(fid), sql_value(record["inspected_on"], "DATE"), str(record["inspector"]),
                         str(record["result"]), record.get("notes"), json.dumps(refs, ensure_ascii=False)))
            iid = int(cur.fetchone()[0])
            self.audit("inspection_record", {"layer": name, "fid": int(fid), "key": key, "inspection": iid,
                                             "record": {k: record.get(k) for k in INSPECTION_FIELDS},
                                             "photos": refs})
        return iid

    def _inspection_rows(self, where: str = "", args: tuple = ()) -> list[dict[str, Any]]:
        rows = self._query(
            f"SELECT id, layer, parcel_id, fid, to_char(inspected_on, 'YYYY-MM-DD'), inspector, result, notes, "
            f"photos, {_utc_text('recorded_at')}, recorded_by FROM {self._t('lzt_inspections')} {where} "
            "ORDER BY inspected_on, id", args)
        out = [dict(zip(_INSPECTION_KEYS, r)) for r in rows]
        for r in out:
            r["photos"] = json.loads(r["photos"])
        return out

    def inspections(self, name: str, parcel_id: str | None = None) -> list[dict[str, Any]]:
        """See ``Workspace.inspections``."""
        if parcel_id is None:
            return self._inspection_rows("WHERE layer = %s", (name,))
        return self._inspection_rows("WHERE layer = %s AND parcel_id = %s", (name, str(parcel_id)))

    # -- moving whole workspaces (lzt push / pull) -----------------------------------
    def all_settings(self) -> dict[str, Any]:
        """Every setting, by key."""
        return {k: json.loads(v) for k, v in self._query(f"SELECT key, value FROM {self._t('lzt_settings')}")}

    def restore_settings(self, settings: dict[str, Any]) -> None:
        """Write settings as they were elsewhere (the fixed CRS keys are kept)."""
        with self._write() as cur:
            cur.executemany(f"INSERT INTO {self._t('lzt_settings')} VALUES (%s, %s) "
                            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                            [(k, json.dumps(v, ensure_ascii=False)) for k, v in settings.items()
                             if k not in ("crs", "srs_id")])

    def blob_items(self) -> Iterator[tuple[str, str, bytes]]:
        """Every stored blob as (kind, key, bytes), one at a time."""
        keys = self._query(f"SELECT kind, key FROM {self._t('lzt_blobs')} ORDER BY kind, key")
        for kind, key in keys:
            yield kind, key, self.get_blob(kind, key)

    def record_rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """All inspection records (with ids) and audit entries, oldest first."""
        return self._inspection_rows(), self.audit_entries()

    def restore_records(self, inspections: list[dict[str, Any]], audit: list[dict[str, Any]]) -> None:
        """Append inspection records and audit entries as they were, keeping ids, times and users."""
        with self._write() as cur:
            cur.executemany(
                f"INSERT INTO {self._t('lzt_inspections')} ({', '.join(_INSPECTION_KEYS)}) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [tuple(json.dumps(r[k], ensure_ascii=False) if k == "photos" else r[k] for k in _INSPECTION_KEYS)
                 for r in inspections])
            cur.executemany(f"INSERT INTO {self._t('lzt_audit')} (at, \"user\", action, detail) "
                            "VALUES (%s, %s, %s, %s)",
                            [(e["at"], e["user"], e["action"], json.dumps(e["detail"], ensure_ascii=False,
                                                                           default=str)) for e in audit])
            for table in ("lzt_inspections", "lzt_audit"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                            f"COALESCE((SELECT max(id) FROM {self._t(table)}), 0) + 1, false)",
                            (f'"{self.schema}".{table}',))
