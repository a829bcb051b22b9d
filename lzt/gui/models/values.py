"""Values as the user reads them in tables, lists and the identify panel.

Missing values (None, NaN, NaT) are empty; dates are ``2024-01-09``; date-times are
``2024-01-09 05:31:48`` (to the second, never ``05:31:48.271000``); an instant with a time
zone (the workspace's UTC audit times, ``2026-12-05T11:59:01.207Z``) is shown in Beijing time,
the users' clock; floats without noise digits.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta, timezone

import numpy as np

from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")

#: China Standard Time (no daylight saving since 1991).
BEIJING = timezone(timedelta(hours=8))
_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")


def is_missing(v) -> bool:
    """None, NaN, NaT (and pandas' NA)."""
    if type(v) is str or type(v) is int:  # most cells: no lookup in pandas (fit_columns asks per cell)
        return False
    if v is None or v is pd.NaT or v is pd.NA:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    if isinstance(v, np.datetime64):
        return bool(np.isnat(v))
    return False


def format_datetime(v: datetime, *, date_only: bool = False) -> str:
    """``YYYY-MM-DD HH:MM:SS`` (aware values in Beijing time), or the date alone."""
    if v.tzinfo is not None:
        v = v.astimezone(BEIJING)
    if date_only:
        return v.strftime("%Y-%m-%d")
    return v.strftime("%Y-%m-%d %H:%M:%S")


def display_value(v, field_type: str | None = None) -> str:
    """``v`` as text for the user. ``field_type`` is the workspace field type when known
    (``DATE`` shows the date alone; ``DATETIME`` always the time)."""
    if type(v) is str and not _ISO_INSTANT.match(v):  # the common case first: the text itself
        return v
    if is_missing(v):
        return ""
    if isinstance(v, np.datetime64):
        v = pd.Timestamp(v)
    if isinstance(v, datetime):  # pd.Timestamp too
        midnight = (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0) and v.tzinfo is None
        return format_datetime(v, date_only=field_type == "DATE" or (midnight and field_type != "DATETIME"))
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (bool, np.bool_)):
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate("values", "是") if v else QCoreApplication.translate("values", "否")
    if isinstance(v, (float, np.floating)):
        v = float(v)
        return f"{v:.6g}" if abs(v) < 1e6 else f"{v:.1f}"
    if isinstance(v, str) and _ISO_INSTANT.match(v):  # an ISO instant stored as text (audit times)
        try:
            return format_datetime(datetime.fromisoformat(v.replace("Z", "+00:00")))
        except ValueError:
            return v
    return str(v)


__all__ = ["display_value", "format_datetime", "is_missing", "BEIJING"]
