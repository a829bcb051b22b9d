"""Import files into a workspace (the only code that both reads files and writes one)."""

from lzt.ingest.importer import ImportOptions, import_paths
from lzt.ingest.report import ImportReport

__all__ = ["ImportOptions", "ImportReport", "import_paths"]
