"""Group roles of a shared workspace and the masking views that keep personal data in.

``init_roles`` creates four NOLOGIN group roles (cluster-wide) and grants them
rights on one workspace schema; logins are made members by the DBA
(``GRANT analyst TO wang``):

- ``viewer``: reads everything, complaint layers only through their masking view;
- ``analyst``: as viewer, and may append audit entries (exports, analyses);
- ``supervisor``: as viewer, and may edit supervision layers and record inspections;
- ``admin``: everything, raw complaint tables included; the audit trail stays append-only.

Audit entries and inspection records get their user and time from the server
(``current_user``, the clock): the roles may insert only the other columns, so
nobody can write an entry in someone else's name.

Every complaint layer gets a view ``lzt_masked_<layer>`` that applies
``lzt.analysis.masking``'s rules re-expressed in SQL (functions ``lzt_mask_*``
in the schema). Viewer, analyst and supervisor hold SELECT on the view only, so
the raw names, phone numbers and ID numbers cannot be read even with direct SQL.
Layers written later are granted the same way by ``on_layer_created``.
"""

from __future__ import annotations

import hashlib

from lzt.workspace.pg_sql import q

ROLES = ("viewer", "analyst", "supervisor", "admin")
META_TABLES = ("lzt_settings", "lzt_layers", "lzt_rasters", "lzt_blobs", "lzt_inspections", "lzt_audit")

#: complaint field -> SQL masking function (the rules of lzt.analysis.masking.PERSONAL_FIELDS)
MASKED_FIELDS = {"citizen_name": "lzt_mask_name", "citizen_phone": "lzt_mask_number",
                 "citizen_id": "lzt_mask_id", "content": "lzt_mask_text", "address": "lzt_mask_text",
                 "reply": "lzt_mask_text"}

_STRIP = "btrim(v, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(12288))"

MASK_FUNCTIONS_DDL = f"""
CREATE OR REPLACE FUNCTION {{s}}.lzt_mask_name(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
SELECT CASE WHEN v IS NULL OR {_STRIP} = '' THEN v
            WHEN char_length({_STRIP}) = 1 THEN '*'
            WHEN char_length({_STRIP}) = 2 THEN left({_STRIP}, 1) || '*'
            ELSE left({_STRIP}, 1) || repeat('*', char_length({_STRIP}) - 2) || right({_STRIP}, 1) END
$f$;
CREATE OR REPLACE FUNCTION {{s}}.lzt_mask_id(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
SELECT CASE WHEN v IS NULL OR {_STRIP} = '' THEN v
            WHEN char_length({_STRIP}) = 18 THEN left({_STRIP}, 6) || repeat('*', 8) || right({_STRIP}, 4)
            WHEN char_length({_STRIP}) = 15 THEN left({_STRIP}, 6) || repeat('*', 6) || right({_STRIP}, 3)
            WHEN char_length({_STRIP}) > 4
                THEN left({_STRIP}, 2) || repeat('*', char_length({_STRIP}) - 4) || right({_STRIP}, 2)
            ELSE repeat('*', char_length({_STRIP})) END
$f$;
CREATE OR REPLACE FUNCTION {{s}}.lzt_mask_number(v text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $f$
DECLARE t text; total int; seen int := 0; result text := ''; c text;
BEGIN
  IF v IS NULL OR {_STRIP} = '' THEN RETURN v; END IF;
  t := {_STRIP};
  total := char_length(regexp_replace(t, '[^0-9]', '', 'g'));
  IF total < 7 THEN RETURN repeat('*', char_length(t)); END IF;
  FOR i IN 1 .. char_length(t) LOOP
    c := substr(t, i, 1);
    IF c BETWEEN '0' AND '9' THEN
      seen := seen + 1;
      result := result || CASE WHEN seen <= 3 OR seen > total - 4 THEN c ELSE '*' END;
    ELSE
      result := result || c;
    END IF;
  END LOOP;
  RETURN result;
END
$f$;
CREATE OR REPLACE FUNCTION {{s}}.lzt_mask_text(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
SELECT regexp_replace(regexp_replace(regexp_replace(v,
  '(?<![0-9A-Za-z])([0-9]{{6}})([0-9]{{8}})([0-9]{{3}}[0-9Xx])(?![0-9A-Za-z])', '\\1********\\3', 'g'),
  '(?<![0-9])([0-9]{{6}})([0-9]{{6}})([0-9]{{3}})(?![0-9])', '\\1******\\3', 'g'),
  '(?<![0-9])(1[3-9][0-9])([0-9]{{4}})([0-9]{{4}})(?![0-9])', '\\1****\\3', 'g')
$f$;
"""


def masked_view_name(layer: str) -> str:
    """The masking view of complaint layer ``layer`` (``lzt_`` names are reserved for lzt)."""
    name = "lzt_masked_" + layer
    if len(name.encode("utf-8")) <= 63:
        return name
    return "lzt_masked_" + hashlib.sha1(layer.encode("utf-8")).hexdigest()[:20]


def create_mask_functions(cur, schema: str) -> None:
    """The ``lzt_mask_*`` SQL functions in ``schema`` (kept when they exist)."""
    exists = cur.execute("SELECT to_regprocedure(%s) IS NOT NULL", (f'"{schema}".lzt_mask_text(text)',)).fetchone()
    if exists[0]:
        return
    for stmt in MASK_FUNCTIONS_DDL.replace("{s}", q(schema)).split("\n$f$;"):
        if stmt.strip():
            cur.execute(stmt + "\n$f$", ())


def present_roles(cur, schema: str) -> list[str]:
    """The lzt group roles that exist and have been given this schema (by ``init_roles``)."""
    rows = cur.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s) "
                       "AND has_schema_privilege(rolname, %s, 'USAGE')", (list(ROLES), schema)).fetchall()
    found = {r[0] for r in rows}
    return [r for r in ROLES if r in found]


def _grant(cur, what: str, relation: str, roles) -> None:
    if roles:
        cur.execute(f"GRANT {what} ON {relation} TO {', '.join(q(r) for r in roles)}", ())


def on_layer_created(cur, schema: str, name: str, kind: str, columns: list[str]) -> None:
    """The masking view of a complaint layer and the grants of a new layer table."""
    table = f"{q(schema)}.{q(name)}"
    roles = present_roles(cur, schema)
    readers = [r for r in roles if r != "admin"]
    if kind == "complaints":
        create_mask_functions(cur, schema)
        view = f"{q(schema)}.{q(masked_view_name(name))}"
        cols = ", ".join(f"{q(schema)}.{MASKED_FIELDS[c]}({q(c)}::text) AS {q(c)}" if c in MASKED_FIELDS
                         else q(c) for c in ["fid", "geom", *columns])
        cur.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT {cols} FROM {table}", ())
        _grant(cur, "SELECT", view, roles)
    else:
        _grant(cur, "SELECT", table, readers)
        if kind == "supervision":
            _grant(cur, "UPDATE", table, [r for r in roles if r == "supervisor"])
    if "admin" in roles:
        _grant(cur, "ALL", table, ["admin"])
        member = cur.execute("SELECT pg_has_role(current_user, 'admin', 'MEMBER')").fetchone()[0]
        if member:  # any administrator may later replace or drop the layer
            cur.execute(f"ALTER TABLE {table} OWNER TO admin", ())
            if kind == "complaints":
                cur.execute(f"ALTER VIEW {q(schema)}.{q(masked_view_name(name))} OWNER TO admin", ())


def on_layer_dropped(cur, schema: str, name: str) -> None:
    """Drop a complaint layer's masking view with it."""
    cur.execute(f"DROP VIEW IF EXISTS {q(schema)}.{q(masked_view_name(name))}", ())


def init_roles(ws) -> list[str]:
    """Create the group roles (if absent) and grant them this workspace; returns what was done."""
    done = []
    schema = ws.schema
    s = q(schema)
    with ws._write() as cur:
        for role in ROLES:
            if not cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                cur.execute(f"CREATE ROLE {q(role)} NOLOGIN", ())
                done.append(f"created role {role}")
        all_roles = ", ".join(q(r) for r in ROLES)
        cur.execute(f"GRANT USAGE ON SCHEMA {s} TO {all_roles}", ())
        cur.execute(f"GRANT CREATE ON SCHEMA {s} TO admin", ())
        meta = ", ".join(f"{s}.{t}" for t in META_TABLES)
        cur.execute(f"GRANT SELECT ON {meta} TO {all_roles}", ())
        # Who and when are the server's defaults (current_user, clock): these columns are not grantable.
        cur.execute(f"GRANT INSERT (action, detail) ON {s}.lzt_audit TO analyst, supervisor, admin", ())
        cur.execute(f"GRANT INSERT (layer, parcel_id, fid, inspected_on, inspector, result, notes, photos) "
                    f"ON {s}.lzt_inspections TO supervisor", ())
        cur.execute(f"GRANT INSERT ON {s}.lzt_blobs TO supervisor", ())
        cur.execute(f"GRANT USAGE ON SEQUENCE {s}.lzt_audit_id_seq, {s}.lzt_inspections_id_seq "
                    "TO analyst, supervisor", ())
        writable = ", ".join(f"{s}.{t}" for t in META_TABLES if t != "lzt_audit")
        cur.execute(f"GRANT ALL ON {writable} TO admin", ())
        cur.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA {s} TO admin", ())
        # The audit trail is append-only for everyone but its owner.
        cur.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {s}.lzt_audit FROM PUBLIC, {all_roles}", ())
        create_mask_functions(cur, schema)
        layers = cur.execute(f"SELECT name, kind FROM {s}.lzt_layers WHERE kind <> 'raster' "
                             "ORDER BY position").fetchall()
        for name, kind in layers:
            cols = [c for c in ws.fields(name)]
            on_layer_created(cur, schema, name, kind, cols)
            done.append(f"granted {name} ({kind})")
        done.append(f"granted schema {schema} to {', '.join(ROLES)}")
    return done
