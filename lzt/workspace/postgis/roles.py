"""Group roles of a shared workspace and the masking views that keep personal data in.

``init_roles`` creates four NOLOGIN group roles (cluster-wide) and grants them
rights on one workspace schema; logins are made members by the DBA
(``GRANT analyst TO wang``):

- ``viewer``: reads everything, personal layers only through their masking view;
- ``analyst``: as viewer, and may append audit entries (exports, analyses);
- ``supervisor``: as viewer, and may edit supervision layers and record inspections;
- ``admin``: everything, raw complaint tables included; the audit trail stays append-only.

Audit entries and inspection records get their user and time from the server
(``current_user``, the clock): the roles may insert only the other columns, so
nobody can write an entry in someone else's name.

Every personal layer (``lzt.workspace.personal``: complaints, layers derived from
them, layers with a name, phone or ID column) gets a view ``lzt_masked_<layer>``
that applies ``lzt.analysis.masking``'s rules re-expressed in SQL (functions
``lzt_mask_*`` in the schema), a record's own name, phone and ID number inside its
free text included. Viewer, analyst and supervisor hold SELECT on the view only, so
the raw names, phone numbers and ID numbers cannot be read even with direct SQL.
Layers written later are granted the same way by ``on_layer_created``.
"""

from __future__ import annotations

import hashlib

from layers.kinds import LayerKind
from lzt.workspace import personal
from lzt.workspace.base import Workspace
from lzt.workspace.postgis.sql import q

ROLES = ("viewer", "analyst", "supervisor", "admin")
META_TABLES = ("lzt_settings", "lzt_layers", "lzt_rasters", "lzt_blobs", "lzt_inspections", "lzt_audit")

#: masking role (lzt.workspace.personal.column_roles) -> SQL masking function
ROLE_FUNCTIONS = {"name": "lzt_mask_name", "phone": "lzt_mask_number", "id": "lzt_mask_id"}

_STRIP_CHARS = "' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(12288)"
_STRIP = f"btrim(v, {_STRIP_CHARS})"
_WIDE = f"'{personal.WIDE_DIGITS}'"

# The rules of lzt.analysis.masking in SQL; the tests compare both on the same records.
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
CREATE OR REPLACE FUNCTION {{s}}.lzt_mask_digits(v text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $f$
DECLARE t text; total int; seen int := 0; result text := ''; c text;
BEGIN
  IF v IS NULL OR {_STRIP} = '' THEN RETURN v; END IF;
  t := {_STRIP};
  total := char_length(regexp_replace(t, '[^0-9０-９]', '', 'g'));
  IF total < 7 THEN RETURN repeat('*', char_length(t)); END IF;
  FOR i IN 1 .. char_length(t) LOOP
    c := substr(t, i, 1);
    IF c ~ '[0-9０-９]' THEN
      seen := seen + 1;
      result := result || CASE WHEN seen <= 3 OR seen > total - 4 THEN c ELSE '*' END;
    ELSE
      result := result || c;
    END IF;
  END LOOP;
  RETURN result;
END
$f$;
CREATE OR REPLACE FUNCTION {{s}}.lzt_mask_number(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
SELECT CASE WHEN v ~ '^[0-9]{{11}}$' THEN left(v, 3) || '****' || right(v, 4) ELSE {{s}}.lzt_mask_digits(v) END
$f$;
CREATE OR REPLACE FUNCTION {{s}}.lzt_mask_text(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
SELECT CASE WHEN v ~ '{personal.LONG_NUMBER_PATTERN}' THEN regexp_replace(regexp_replace(regexp_replace(v,
  '{personal.ID18_PATTERN}', '\\1********\\3', 'g'),
  '{personal.ID15_PATTERN}', '\\1******\\3', 'g'),
  '{personal.MOBILE_PATTERN}', '\\1\\2****\\4\\5', 'g') ELSE v END
$f$;
CREATE OR REPLACE FUNCTION {{s}}.lzt_mask_key_pattern(k text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $f$
SELECT string_agg(CASE WHEN c = 'X' THEN '[Xx]' ELSE '[' || c || translate(c, '0123456789', {_WIDE}) || ']' END,
                  '{personal.SEPARATOR}*' ORDER BY i)
FROM unnest(string_to_array(k, NULL)) WITH ORDINALITY AS t(c, i)
$f$;
CREATE OR REPLACE FUNCTION {{s}}.lzt_mask_own(v text, names text, phones text, ids text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $f$
DECLARE part text; k text;
BEGIN
  IF v IS NULL THEN RETURN v; END IF;
  IF v ~ '{personal.SEVEN_DIGITS_PATTERN}' THEN
    FOREACH part IN ARRAY regexp_split_to_array(coalesce(ids, ''), '{personal.DELIMITERS}') LOOP
      CONTINUE WHEN position('*' in part) > 0;
      k := upper(translate(regexp_replace(part, '[^0-9０-９Xx]', '', 'g'), {_WIDE}, '0123456789'));
      CONTINUE WHEN char_length(k) < 7;
      v := regexp_replace(v, {{s}}.lzt_mask_key_pattern(k), {{s}}.lzt_mask_id(k), 'g');
    END LOOP;
    FOREACH part IN ARRAY regexp_split_to_array(coalesce(phones, ''), '{personal.DELIMITERS}') LOOP
      CONTINUE WHEN position('*' in part) > 0;
      k := translate(regexp_replace(part, '[^0-9０-９]', '', 'g'), {_WIDE}, '0123456789');
      IF char_length(k) = 13 AND left(k, 3) = '861' THEN k := substr(k, 3);
      ELSIF char_length(k) = 15 AND left(k, 5) = '00861' THEN k := substr(k, 5);
      END IF;
      CONTINUE WHEN char_length(k) < 7;
      v := regexp_replace(v, {{s}}.lzt_mask_key_pattern(k), {{s}}.lzt_mask_number(k), 'g');
    END LOOP;
  END IF;
  FOREACH part IN ARRAY regexp_split_to_array(coalesce(names, ''), '{personal.DELIMITERS}') LOOP
    k := btrim(part, {_STRIP_CHARS});
    CONTINUE WHEN char_length(k) < 2 OR position('*' in k) > 0;
    v := replace(v, k, {{s}}.lzt_mask_name(k));
  END LOOP;
  RETURN v;
END
$f$;
CREATE OR REPLACE FUNCTION {{s}}.lzt_mask_free(v text, names text, phones text, ids text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
SELECT CASE WHEN v ~ '{personal.SEVEN_DIGITS_PATTERN}' OR (names IS NOT NULL AND (names ~ '{personal.DELIMITERS}'
                 OR strpos(v, btrim(names, {_STRIP_CHARS})) > 0))
            THEN {{s}}.lzt_mask_text({{s}}.lzt_mask_own(v, names, phones, ids)) ELSE v END
$f$;
"""


def masked_view_name(layer: str) -> str:
    """The masking view of complaint layer ``layer`` (``lzt_`` names are reserved for lzt)."""
    name = "lzt_masked_" + layer
    if len(name.encode("utf-8")) <= 63:
        return name
    return "lzt_masked_" + hashlib.sha1(layer.encode("utf-8")).hexdigest()[:20]


def create_mask_functions(cur, schema: str) -> None:
    """The ``lzt_mask_*`` SQL functions in ``schema`` (kept when this version's exist)."""
    exists = cur.execute("SELECT to_regprocedure(%s) IS NOT NULL",
                         (f'"{schema}".lzt_mask_free(text, text, text, text)',)).fetchone()
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


def masked_select(schema: str, table: str, fields: dict[str, str]) -> str:
    """The SELECT list of a personal layer's masking view (``lzt.workspace.personal``'s groups):
    personal columns by role; in free-text columns the record's own values, then any mobile or
    ID number; other columns as they are."""
    s = q(schema)
    roles = personal.column_roles(fields)
    texts = set(personal.free_text_columns(c for c, t in fields.items() if c not in roles and t == "TEXT"))

    def own(role: str) -> str:
        cols = [f"{q(c)}::text" for c, r in roles.items() if r == role]
        return "NULL" if not cols else cols[0] if len(cols) == 1 else f"concat_ws('/', {', '.join(cols)})"

    out = [q("fid"), q("geom")]
    for c in fields:
        if c in roles:
            out.append(f"{s}.{ROLE_FUNCTIONS[roles[c]]}({q(c)}::text) AS {q(c)}")
        elif c in texts:
            if roles:
                out.append(f"{s}.lzt_mask_free({q(c)}, {own('name')}, {own('phone')}, {own('id')}) AS {q(c)}")
            else:
                out.append(f"{s}.lzt_mask_text({q(c)}) AS {q(c)}")
        else:
            out.append(q(c))
    return f"SELECT {', '.join(out)} FROM {table}"


def on_layer_created(cur, schema: str, name: str, kind: str, fields: dict[str, str],
                     details: dict | None = None) -> None:
    """The grants of a new layer table, and the masking view of a personal layer (readers other
    than admin get the view only)."""
    table = f"{q(schema)}.{q(name)}"
    roles = present_roles(cur, schema)
    readers = [r for r in roles if r != "admin"]
    masked = personal.is_personal(kind, fields, details)
    if masked:
        create_mask_functions(cur, schema)
        view = f"{q(schema)}.{q(masked_view_name(name))}"
        cur.execute(f"CREATE OR REPLACE VIEW {view} AS {masked_select(schema, table, fields)}", ())
        _grant(cur, "SELECT", view, roles)
        if readers:  # a layer that became personal (a new rule, a new column) loses its old grants
            cur.execute(f"REVOKE SELECT ON {table} FROM {', '.join(q(r) for r in readers)}", ())
    else:
        _grant(cur, "SELECT", table, readers)
        if kind == LayerKind.SUPERVISION:
            _grant(cur, "UPDATE", table, [r for r in roles if r == "supervisor"])
    if "admin" in roles:
        _grant(cur, "ALL", table, ["admin"])
        member = cur.execute("SELECT pg_has_role(current_user, 'admin', 'MEMBER')").fetchone()[0]
        if member:  # any administrator may later replace or drop the layer
            cur.execute(f"ALTER TABLE {table} OWNER TO admin", ())
            if masked:
                cur.execute(f"ALTER VIEW {q(schema)}.{q(masked_view_name(name))} OWNER TO admin", ())


def on_layer_dropped(cur, schema: str, name: str) -> None:
    """Drop a complaint layer's masking view with it."""
    cur.execute(f"DROP VIEW IF EXISTS {q(schema)}.{q(masked_view_name(name))}", ())


def init_roles(ws: Workspace) -> list[str]:
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
        layers = [ws.layer(name) for (name,) in cur.execute(
            f"SELECT name FROM {s}.lzt_layers WHERE kind <> 'raster' ORDER BY position").fetchall()]
        for info in layers:
            on_layer_created(cur, schema, info.name, info.kind, ws.fields(info.name), info.details)
            done.append(f"granted {info.name} ({info.kind})")
        done.append(f"granted schema {schema} to {', '.join(ROLES)}")
    return done
