"""Which backend a workspace URI names: ``postgresql://`` URLs are PostGIS, anything else a file.

Kept apart from the PostGIS package so that telling the two apart loads neither backend.
"""

from __future__ import annotations

SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(text: str) -> bool:
    """True for ``postgresql://`` and ``postgres://`` URLs."""
    return str(text).startswith(SCHEMES)
