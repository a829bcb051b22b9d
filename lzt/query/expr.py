"""The filter language: OGC CQL2 text -> a validated filter tree (``lzt.core.filters``).

Why our own parser and not pygeofilter: CQL2's grammar allows Unicode letters in
identifiers, and our users' fields are Chinese (``用地性质 = 'R2'``), but
pygeofilter 0.4's CQL2-text grammar only accepts ``[a-zA-Z][a-zA-Z_:0-9.]+``, so
it rejects every Chinese field name and every one-letter name (``x > 1``); see
tests/query/test_expr.py::test_pygeofilter_rejects_what_we_need. The subset
users need is small and a recursive-descent parser of it is about 250 lines,
with depth and length limits of our own, and it never builds SQL text: backends
render the tree with parameters.

Grammar (keywords case-insensitive)::

    expr     := and_expr (OR and_expr)*
    and_expr := not_expr (AND not_expr)*
    not_expr := NOT not_expr | '(' expr ')' | predicate
    predicate:= field cmp literal | literal cmp field
              | field [NOT] LIKE string | field [NOT] IN '(' literal, ... ')'
              | field [NOT] BETWEEN literal AND literal | field IS [NOT] NULL
              | S_INTERSECTS|S_WITHIN|S_CONTAINS|S_DISJOINT|S_TOUCHES|S_CROSSES|S_OVERLAPS
                |S_EQUALS '(' geomfield ',' geometry ')' | S_DWITHIN '(' geomfield ',' geometry ',' number [',' units] ')'
    literal  := 'text' | number | TRUE | FALSE | DATE('YYYY-MM-DD') | TIMESTAMP('…')
    geometry := WKT (POINT(…), POLYGON(…), …) | BBOX(minx, miny, maxx, maxy) | ENVELOPE(…)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone


from lzt.core.errors import LztInputError
from lzt.core.filters import (COMPARE_OPS, And, Between, Compare, Expr, In, IsNull, Like, Not, Or,
                              Spatial)

from lzt.query.evaluate import evaluate, like_regex  # re-exported: the language's API
from lzt.core.lazy import lazy_module

shapely = lazy_module("shapely")

__all__ = ["Expr", "parse", "split_spatial", "evaluate", "like_regex", "fields_used", "quote_field", "quote_literal"]

MAX_LENGTH = 100_000
MAX_DEPTH = 100
GEOMETRY_NAMES = ("geom", "geometry", "shape")
_WKT_TYPES = ("POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON",
              "GEOMETRYCOLLECTION")
_SPATIAL_FUNCS = {"S_INTERSECTS": "intersects", "S_WITHIN": "within", "S_CONTAINS": "contains",
                  "S_DISJOINT": "disjoint", "S_TOUCHES": "touches", "S_CROSSES": "crosses",
                  "S_OVERLAPS": "overlaps", "S_EQUALS": "equals", "S_DWITHIN": "dwithin",
                  "INTERSECTS": "intersects", "WITHIN": "within", "CONTAINS": "contains",
                  "DISJOINT": "disjoint", "DWITHIN": "dwithin"}
_KEYWORDS = {"AND", "OR", "NOT", "LIKE", "IN", "BETWEEN", "IS", "NULL", "TRUE", "FALSE"}
_UNITS = {"meters": 1.0, "metres": 1.0, "m": 1.0, "kilometers": 1000.0, "kilometres": 1000.0, "km": 1000.0}

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<str>'(?:[^']|'')*')
  | (?P<cstr>‘[^’]*’|“[^”]*”)
  | (?P<qid>"(?:[^"]|"")+")
  | (?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<op><=|>=|<>|!=|=|<|>|\(|\)|,)
  | (?P<fop>＜＝|＞＝|＜＞|！＝|≤|≥|≠|＝|＜|＞|（|）|，)
  | (?P<id>[^\W\d][\w.:]*)
""", re.VERBOSE | re.UNICODE)


def quote_field(name: str) -> str:
    """A field name as an expression writes it (double-quoted unless it is a plain identifier)."""
    m = _TOKEN.match(name)
    if m is not None and m.lastgroup == "id" and m.end() == len(name) and name.upper() not in _KEYWORDS \
            and name.upper() not in _SPATIAL_FUNCS and name.upper() not in ("DATE", "TIMESTAMP"):
        return name
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value) -> str:
    """A value as an expression literal: 'text' (quotes doubled), a number, TRUE/FALSE, DATE('…')."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, datetime):
        return f"TIMESTAMP('{value.isoformat()}')"
    if isinstance(value, date):
        return f"DATE('{value.isoformat()}')"
    return "'" + str(value).replace("'", "''") + "'"


class _Tok:
    __slots__ = ("kind", "text", "pos")

    def __init__(self, kind: str, text: str, pos: int):
        self.kind, self.text, self.pos = kind, text, pos

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "id" else ""


#: What a Chinese input method types for the operators and brackets (full width).
_FULL_WIDTH_OPS = {"\uff1c\uff1d": "<=", "\uff1e\uff1d": ">=", "\uff1c\uff1e": "<>", "\uff01\uff1d": "<>",
                   "\u2264": "<=", "\u2265": ">=", "\u2260": "<>", "\uff1d": "=", "\uff1c": "<", "\uff1e": ">",
                   "\uff08": "(", "\uff09": ")", "\uff0c": ","}


def _tokenize(text: str, source: str) -> list[_Tok]:
    """Tokens of ``text``. Chinese quotes (‘…’ and “…”, as an input method types them)
    delimit text like '…'; full-width operators, brackets and commas outside quotes count as
    their ASCII forms (text inside quotes is kept as typed)."""
    toks, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise LztInputError(source, f"unexpected character {text[pos]!r} at position {pos + 1}")
        kind, tok = m.lastgroup, m.group()
        if kind == "cstr":
            kind, tok = "str", "'" + tok[1:-1].replace("'", "''") + "'"
        elif kind == "fop":
            kind, tok = "op", _FULL_WIDTH_OPS[tok]
        if kind != "ws":
            toks.append(_Tok(kind, tok, pos))
        pos = m.end()
    return toks


class _Parser:
    def __init__(self, text: str, source: str):
        self.text, self.source = text, source
        self.toks = _tokenize(text, source)
        self.i = 0
        self.depth = 0

    # -- helpers --------------------------------------------------------------
    def error(self, msg: str) -> LztInputError:
        tok = self.peek()
        where = f"at position {tok.pos + 1} ({tok.text!r})" if tok else "at the end"
        return LztInputError(self.source, f"{msg} {where}")

    def peek(self, k: int = 0) -> _Tok | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise self.error("unexpected end of expression")
        self.i += 1
        return tok

    def accept_kw(self, *words: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.upper in words:
            self.i += 1
            return True
        return False

    def expect_op(self, op: str) -> None:
        tok = self.peek()
        if tok is None or tok.kind != "op" or tok.text != op:
            raise self.error(f"expected {op!r}")
        self.i += 1

    # -- grammar --------------------------------------------------------------
    def parse(self) -> Expr:
        if not self.toks:
            raise LztInputError(self.source, "empty expression")
        e = self.or_expr()
        if self.peek() is not None:
            raise self.error("unexpected text")
        return e

    def or_expr(self) -> Expr:
        items = [self.and_expr()]
        while self.accept_kw("OR"):
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Expr:
        items = [self.not_expr()]
        while self.accept_kw("AND"):
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else And(tuple(items))

    def not_expr(self) -> Expr:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LztInputError(self.source, f"expression nested deeper than {MAX_DEPTH} levels")
        try:
            if self.accept_kw("NOT"):
                return Not(self.not_expr())
            tok = self.peek()
            if tok is not None and tok.kind == "op" and tok.text == "(":
                self.i += 1
                e = self.or_expr()
                self.expect_op(")")
                return e
            return self.predicate()
        finally:
            self.depth -= 1

    def predicate(self) -> Expr:
        tok = self.peek()
        if tok is None:
            raise self.error("expected a condition")
        if tok.upper in _SPATIAL_FUNCS and self._next_is("("):
            return self.spatial()
        if tok.kind in ("id", "qid") and tok.upper not in _KEYWORDS | {"DATE", "TIMESTAMP"}:
            field = self.field()
            return self.field_predicate(field)
        # literal on the left: 5 < x
        value = self.literal()
        op = self.compare_op()
        field = self.field()
        flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
        return Compare(field, flipped, value)

    def _next_is(self, op: str) -> bool:
        nxt = self.peek(1)
        return nxt is not None and nxt.kind == "op" and nxt.text == op

    def field(self) -> str:
        tok = self.take()
        if tok.kind == "qid":
            return tok.text[1:-1].replace('""', '"')
        if tok.kind == "id" and tok.upper not in _KEYWORDS:
            return tok.text
        self.i -= 1
        raise self.error("expected a field name")

    def compare_op(self) -> str:
        tok = self.peek()
        if tok is None or tok.kind != "op" or tok.text not in COMPARE_OPS + ("!=",):
            raise self.error("expected a comparison (=, <>, <, <=, >, >=)")
        self.i += 1
        return "<>" if tok.text == "!=" else tok.text

    def field_predicate(self, field: str) -> Expr:
        negate = self.accept_kw("NOT")
        if self.accept_kw("LIKE"):
            tok = self.take()
            if tok.kind != "str":
                self.i -= 1
                raise self.error("LIKE needs a quoted pattern")
            return Like(field, tok.text[1:-1].replace("''", "'"), negate)
        if self.accept_kw("IN"):
            self.expect_op("(")
            values = [self.literal()]
            while self.peek() is not None and self.peek().text == ",":
                self.i += 1
                values.append(self.literal())
            self.expect_op(")")
            return In(field, tuple(values), negate)
        if self.accept_kw("BETWEEN"):
            low = self.literal()
            if not self.accept_kw("AND"):
                raise self.error("expected AND in BETWEEN")
            return Between(field, low, self.literal(), negate)
        if negate:
            raise self.error("expected LIKE, IN or BETWEEN after NOT")
        if self.accept_kw("IS"):
            neg = self.accept_kw("NOT")
            if not self.accept_kw("NULL"):
                raise self.error("expected NULL")
            return IsNull(field, neg)
        op = self.compare_op()
        return Compare(field, op, self.literal())

    def literal(self):
        tok = self.take()
        if tok.kind == "str":
            return tok.text[1:-1].replace("''", "'")
        if tok.kind == "num":
            t = tok.text
            return int(t) if re.fullmatch(r"[-+]?\d+", t) else float(t)
        if tok.upper == "TRUE":
            return True
        if tok.upper == "FALSE":
            return False
        if tok.upper in ("DATE", "TIMESTAMP"):
            self.expect_op("(")
            s = self.take()
            if s.kind != "str":
                raise self.error(f"{tok.upper} needs a quoted value")
            self.expect_op(")")
            return _parse_temporal(s.text[1:-1], tok.upper == "DATE", self.source)
        self.i -= 1
        raise self.error("expected a value ('text', number, TRUE/FALSE, DATE('…'))")

    def spatial(self) -> Expr:
        op = _SPATIAL_FUNCS[self.take().upper]
        self.expect_op("(")
        name = self.field()
        if name.lower() not in GEOMETRY_NAMES:
            raise LztInputError(self.source, f"spatial functions take the geometry (geom) first, "
                                             f"not {name!r}")
        self.expect_op(",")
        geom = self.geometry()
        distance = None
        if op == "dwithin":
            self.expect_op(",")
            d = self.literal()
            if not isinstance(d, (int, float)) or isinstance(d, bool) or d < 0:
                raise self.error("S_DWITHIN needs a distance >= 0")
            factor = 1.0
            if self.peek() is not None and self.peek().text == ",":
                self.i += 1
                unit = self.take().text.lower()
                if unit not in _UNITS:
                    raise LztInputError(self.source, f"unknown distance unit {unit!r} (use meters or km)")
                factor = _UNITS[unit]
            distance = float(d) * factor
        self.expect_op(")")
        return Spatial(op, geom, distance)

    def geometry(self):
        tok = self.take()
        kind = tok.upper
        if kind in ("BBOX", "ENVELOPE"):
            self.expect_op("(")
            nums = [self.literal()]
            while self.peek() is not None and self.peek().text == ",":
                self.i += 1
                nums.append(self.literal())
            self.expect_op(")")
            if len(nums) != 4 or not all(isinstance(v, (int, float)) for v in nums):
                raise LztInputError(self.source, "BBOX needs 4 numbers: minx, miny, maxx, maxy")
            minx, miny, maxx, maxy = (float(v) for v in nums)
            if minx > maxx or miny > maxy:
                raise LztInputError(self.source, "BBOX needs minx <= maxx and miny <= maxy")
            return shapely.box(minx, miny, maxx, maxy)
        if kind not in _WKT_TYPES:
            self.i -= 1
            raise self.error("expected a geometry (WKT such as POINT(x y), or BBOX(…))")
        start = tok.pos
        nxt = self.peek()
        if nxt is None or nxt.text != "(":
            raise self.error("expected '(' after " + kind)
        depth = 0
        while True:
            t = self.take()
            if t.text == "(":
                depth += 1
            elif t.text == ")":
                depth -= 1
                if depth == 0:
                    break
            elif t.kind not in ("num", "op", "id"):
                raise self.error("unexpected token in geometry")
        wkt = self.text[start: t.pos + 1]
        try:
            geom = shapely.from_wkt(wkt)
        except shapely.errors.GEOSException as exc:
            raise LztInputError(self.source, f"invalid geometry {wkt[:60]!r}: {exc}") from None
        if geom is None or geom.is_empty:
            raise LztInputError(self.source, "empty geometry")
        return geom


def _parse_temporal(text: str, date_only: bool, source: str):
    try:
        if date_only:
            return date.fromisoformat(text.strip())
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        kind = "DATE('YYYY-MM-DD')" if date_only else "TIMESTAMP('YYYY-MM-DDTHH:MM:SS')"
        raise LztInputError(source, f"invalid date {text!r}: expected {kind}") from None


# -- validation against the layer's fields ----------------------------------------------
def _dt_text(v: datetime) -> str:
    if v.tzinfo is not None:  # aware values are stored in UTC
        v = v.astimezone(timezone.utc).replace(tzinfo=None)
    return v.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


class _Validator:
    def __init__(self, fields: Mapping[str, str], source: str):
        self.fields = {k: str(v).upper() for k, v in fields.items()}
        self.lower = {k.lower(): k for k in self.fields}
        self.source = source

    def name(self, field: str) -> str:
        if field in self.fields:
            return field
        if field.lower() in self.lower:
            return self.lower[field.lower()]
        near = difflib.get_close_matches(field, list(self.fields), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(near)}?" if near else \
            f"; fields: {', '.join(list(self.fields)[:20]) or 'none'}"
        raise LztInputError(self.source, f"unknown field {field!r}{hint}")

    def value(self, field: str, v, *, for_like: bool = False):
        t = self.fields[field]
        if v is None:
            return None
        if t in ("INTEGER", "REAL", "DOUBLE", "FLOAT", "INT", "MEDIUMINT", "SMALLINT", "TINYINT"):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise LztInputError(self.source, f"field {field!r} holds numbers; {v!r} is not a number")
            return v
        if t == "BOOLEAN":
            if isinstance(v, bool):
                return v
            if isinstance(v, int) and v in (0, 1):
                return bool(v)
            raise LztInputError(self.source, f"field {field!r} is TRUE/FALSE; {v!r} is not")
        if t in ("DATE", "DATETIME", "TIMESTAMP"):
            if isinstance(v, str):
                try:
                    v = datetime.fromisoformat(v.strip().replace("Z", "+00:00")) if "T" in v or ":" in v \
                        else date.fromisoformat(v.strip())
                except ValueError:
                    raise LztInputError(self.source, f"field {field!r} holds dates; {v!r} is not a "
                                                     "date (use DATE('YYYY-MM-DD'))") from None
            if not isinstance(v, (date, datetime)):
                raise LztInputError(self.source, f"field {field!r} holds dates; {v!r} is not a date")
            return v
        if isinstance(v, bool):
            raise LztInputError(self.source, f"field {field!r} holds text; quote the value")
        if isinstance(v, (int, float)):
            return str(v)
        if isinstance(v, datetime):
            return _dt_text(v)
        if isinstance(v, date):
            return v.isoformat()
        return v

    def node(self, e: Expr) -> Expr:
        if isinstance(e, (And, Or)):
            return type(e)(tuple(self.node(i) for i in e.items))
        if isinstance(e, Not):
            return Not(self.node(e.item))
        if isinstance(e, Spatial):
            return e
        f = self.name(e.field)
        t = self.fields[f]
        if isinstance(e, IsNull):
            return IsNull(f, e.negate)
        if isinstance(e, Like):
            if t != "TEXT":
                raise LztInputError(self.source, f"LIKE needs a text field; {f!r} is {t}")
            return Like(f, e.pattern, e.negate)
        if isinstance(e, In):
            vals = tuple(self.value(f, v) for v in e.values)
            if t in ("DATETIME", "TIMESTAMP"):
                return self.node(Or(tuple(Compare(f, "=", v) for v in vals))) if not e.negate else \
                    Not(self.node(Or(tuple(Compare(f, "=", v) for v in vals))))
            return In(f, tuple(self._canon(t, v) for v in vals), e.negate)
        if isinstance(e, Between):
            lo, hi = self.value(f, e.low), self.value(f, e.high)
            if t in ("DATETIME", "TIMESTAMP"):
                inner = And((self._dt_compare(f, ">=", lo), self._dt_compare(f, "<=", hi)))
                return Not(inner) if e.negate else inner
            return Between(f, self._canon(t, lo), self._canon(t, hi), e.negate)
        if isinstance(e, Compare):
            v = self.value(f, e.value)
            if t in ("DATETIME", "TIMESTAMP"):
                return self._dt_compare(f, e.op, v)
            return Compare(f, e.op, self._canon(t, v))
        raise TypeError(e)

    @staticmethod
    def _canon(t: str, v):
        if t == "DATE" and isinstance(v, datetime):
            return v.date().isoformat()
        if t == "DATE" and isinstance(v, date):
            return v.isoformat()
        return v

    def _dt_compare(self, f: str, op: str, v) -> Expr:
        """A DATETIME field against a date means the whole day; against a date-time, that instant."""
        if isinstance(v, datetime):
            return Compare(f, op, _dt_text(v))
        day = v.isoformat() + "T00:00:00.000"
        nxt = (v + timedelta(days=1)).isoformat() + "T00:00:00.000"
        return {"=": And((Compare(f, ">=", day), Compare(f, "<", nxt))),
                "<>": Or((Compare(f, "<", day), Compare(f, ">=", nxt))),
                "<": Compare(f, "<", day), "<=": Compare(f, "<", nxt),
                ">": Compare(f, ">=", nxt), ">=": Compare(f, ">=", day)}[op]


def parse(text: str, *, fields: Mapping[str, str] | None = None, source: str = "--where") -> Expr:
    """Parse CQL2 text; with ``fields`` (name -> type), check names and value types."""
    if not isinstance(text, str):
        raise LztInputError(source, "the expression must be text")
    if len(text) > MAX_LENGTH:
        raise LztInputError(source, f"expression longer than {MAX_LENGTH} characters")
    e = _Parser(text, source).parse()
    if fields is not None:
        e = _Validator(fields, source).node(e)
    return e


def split_spatial(e: Expr, source: str = "--where") -> tuple[Expr | None, list[Spatial]]:
    """Separate top-level AND-ed spatial terms from the attribute part."""
    items = list(e.items) if isinstance(e, And) else [e]
    spatial = [i for i in items if isinstance(i, Spatial)]
    rest = [i for i in items if not isinstance(i, Spatial)]
    for i in rest:
        if _has_spatial(i):
            raise LztInputError(source, "spatial functions may only be AND-ed at the top level "
                                        "(not inside OR or NOT)")
    attr = None if not rest else (rest[0] if len(rest) == 1 else And(tuple(rest)))
    return attr, spatial


def _has_spatial(e: Expr) -> bool:
    if isinstance(e, Spatial):
        return True
    if isinstance(e, (And, Or)):
        return any(_has_spatial(i) for i in e.items)
    if isinstance(e, Not):
        return _has_spatial(e.item)
    return False


def fields_used(e: Expr) -> set[str]:
    """The field names the expression reads."""
    if isinstance(e, (And, Or)):
        return set().union(*(fields_used(i) for i in e.items))
    if isinstance(e, Not):
        return fields_used(e.item)
    if isinstance(e, Spatial):
        return set()
    return {e.field}
