"""Import files into a workspace (the only code that both reads files and writes one).

``import_paths``, ``ImportOptions`` and ``ImportReport`` are loaded on first use: the BIM
reader processes import ``lzt.ingest.geometry`` and need not pay for geopandas.
"""

from __future__ import annotations

__all__ = ["ImportOptions", "ImportReport", "import_paths"]


def __getattr__(name: str):
    if name in ("ImportOptions", "import_paths"):
        from lzt.ingest import importer

        return getattr(importer, name)
    if name == "ImportReport":
        from lzt.ingest.report import ImportReport

        return ImportReport
    raise AttributeError(f"module 'lzt.ingest' has no attribute {name!r}")
