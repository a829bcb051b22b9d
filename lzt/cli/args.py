"""Parsers for the CLI's compound values (bboxes, points), with one-line errors."""

from __future__ import annotations

import math

from lzt.core.errors import LztInputError


def floats(text: str, n: int, option: str, what: str) -> tuple[float, ...]:
    parts = [p.strip() for p in str(text).split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise LztInputError(option, f"expected {what}, got {text!r}") from None
    if len(values) != n or not all(math.isfinite(v) for v in values):
        raise LztInputError(option, f"expected {what}, got {text!r}")
    return values


def bbox(text: str, option: str = "--bbox") -> tuple[float, float, float, float]:
    v = floats(text, 4, option, "MINX,MINY,MAXX,MAXY")
    if v[0] > v[2] or v[1] > v[3]:
        raise LztInputError(option, f"expected MINX,MINY,MAXX,MAXY with MIN <= MAX, got {text!r}")
    return v  # type: ignore[return-value]


def workspace_arg(parser, help_text: str = "workspace (.gpkg file)") -> None:
    parser.add_argument("workspace", metavar="WS", help=help_text)


def iso_date(text: str | None, option: str):
    """``YYYY-MM-DD`` -> date (None stays None); a one-line error otherwise."""
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise LztInputError(option, f"expected YYYY-MM-DD, got {text!r}") from None
