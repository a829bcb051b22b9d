"""``postgresql://`` workspace URLs: the schema parameter, and a display form without secrets.

A PostGIS workspace is one schema of one database:
``postgresql://user@host:port/db?schema=NAME`` (``schema`` defaults to ``public``).
Every other query parameter is libpq's (``sslmode``, ``service``, ...). Passwords
belong in libpq's own places (``pg_service.conf``, ``PGPASSFILE``, ``PGPASSWORD``);
a password written into the URL is accepted for the connection but never shown,
stored or logged: ``safe`` is the URL with it removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from lzt.core.errors import LztInputError

_SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_SECRET_PARAMS = ("password", "sslpassword")


@dataclass(frozen=True)
class PgUrl:
    """A parsed workspace URL."""

    conninfo: str  # for libpq: the URL without ``schema`` (may hold a password)
    schema: str
    safe: str  # the URL as shown and stored: no password
    password: str | None = None  # only to scrub it from error messages

    def scrub(self, text: str) -> str:
        """``text`` with the password (if any) replaced by ``***``."""
        if self.password:
            text = text.replace(self.password, "***").replace(quote(self.password, safe=""), "***")
        return text


def _strip_password(netloc: str) -> tuple[str, str | None]:
    if "@" not in netloc:
        return netloc, None
    userinfo, hosts = netloc.rsplit("@", 1)
    if ":" not in userinfo:
        return netloc, None
    user, pw = userinfo.split(":", 1)
    return f"{user}@{hosts}" if user else hosts, unquote(pw)


def parse_url(url: str) -> PgUrl:
    """Split a workspace URL; ``LztInputError`` naming it (without password) when malformed."""
    text = str(url).strip()
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise LztInputError("postgresql URL", f"malformed URL: {exc}") from None
    netloc_safe, password = _strip_password(parts.netloc)
    params = parse_qsl(parts.query, keep_blank_values=True)
    for k, v in params:
        if k in _SECRET_PARAMS and v:
            password = password or v
    safe_params = [(k, v) for k, v in params if k not in _SECRET_PARAMS]
    safe = urlunsplit((parts.scheme, netloc_safe, parts.path, urlencode(safe_params, safe="/"), ""))
    if parts.scheme not in ("postgresql", "postgres"):
        raise LztInputError(safe, "not a postgresql:// URL")
    schemas = [v for k, v in params if k == "schema"]
    if len(schemas) > 1:
        raise LztInputError(safe, "schema is given more than once")
    schema = schemas[0] if schemas else "public"
    if not _SCHEMA_RE.match(schema):
        raise LztInputError(safe, f"invalid schema name {schema!r}: use lower-case letters, digits and _, "
                                  "starting with a letter, at most 63 characters")
    if not parts.path.strip("/") and not any(k in ("dbname", "service") for k, _ in params):
        raise LztInputError(safe, "the URL names no database (postgresql://user@host:port/DATABASE?schema=NAME)")
    lib_params = [(k, v) for k, v in params if k != "schema"]
    conninfo = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(lib_params, safe="/"), ""))
    return PgUrl(conninfo=conninfo, schema=schema, safe=safe, password=password)


def with_schema(url: str, schema: str) -> str:
    """``url`` with its ``schema`` parameter set to ``schema``."""
    parts = urlsplit(url)
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "schema"]
    params.append(("schema", schema))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params, safe="/"), ""))
