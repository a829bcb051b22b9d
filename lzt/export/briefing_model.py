"""What a complaint briefing holds (``Briefing``, ``MapCells``): gathered by ``briefing``, laid out
by ``briefing_page`` (PDF) and ``briefing_docx`` (DOCX)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from lzt.analysis.early_warning import Alert

PRODUCER = "龙岗区政务服务数据管理局 · 龙政图 lzt"


@dataclass
class MapCells:
    """Cells (or polygons) to draw over the base map, with the class each is drawn by."""

    geometries: np.ndarray
    classes: np.ndarray  # str


@dataclass
class Briefing:
    title: str
    period_label: str
    as_of: date
    period: str
    street: str | None
    headline: list[tuple[str, str, str]]  # (label, value, note)
    paragraphs: list[str]
    trend: list[tuple[str, int]]  # (period start, count), oldest first
    categories: list[tuple[str, int, int]]  # (name, this period, previous)
    communities: list[tuple[str, int, int]]
    compounds: list[tuple[str, int, int]]
    alerts: list[Alert]
    callers: list[Alert]
    addresses: list[Alert]
    hotspots: MapCells
    patterns: MapCells
    extent: tuple[float, float, float, float]
    base_layers: list[str]
    cell_note: str
    sources: list[tuple[str, str]] = field(default_factory=list)  # (number, the query it comes from)
    producer: str = PRODUCER
