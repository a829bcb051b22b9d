"""Whether a table file is a 12345 work-order export, from its header row alone.

A CSV/TXT's first line (encoding detected as ``layers.encoding`` does, delimiter sniffed) or an
XLSX's first row is compared with the work-order schema's headers (``layers.complaints``): a
work-order number column and a time column make an export of orders. Used by the GUI so that
dropping an export onto the map imports it as complaints (schema, masking, placing by address)
rather than as a plain table.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from layers.complaints import SCHEMA
from layers.encoding import detect, sniff_delimiter
from layers.formats import by_suffix


def header_row(path: Path) -> list[str]:
    """The column headers of a CSV/TXT or the first sheet of an XLSX ([] when unreadable)."""
    path = Path(path)
    fmt = by_suffix(path.suffix.lower())
    driver = fmt.driver if fmt is not None else None
    try:
        if driver == "CSV":
            head = path.read_bytes()[:65536]
            enc = detect(head, western=True) or "utf-8"
            text = head.decode(enc, errors="ignore")
            line = text.splitlines()[0] if text else ""
            return [c.strip() for c in next(csv.reader(io.StringIO(line), delimiter=sniff_delimiter(text)), [])]
        if driver == "XLSX":
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True)
            try:
                row = next(wb.worksheets[0].iter_rows(max_row=1, values_only=True), ())
            finally:
                wb.close()
            return [str(c).strip() for c in row if c is not None]
    except (OSError, ValueError, StopIteration, KeyError, IndexError):
        return []
    except Exception:  # noqa: BLE001 - a broken sheet is simply not an export of orders
        return []
    return []


def is_order_export(path: Path) -> bool:
    """Whether ``path`` has a work-order number and a time column (see the module doc)."""
    heads = set(header_row(path))
    return bool(heads & set(SCHEMA["order_id"][1])) and bool(heads & set(SCHEMA["received_at"][1]))
