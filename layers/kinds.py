"""The kinds of workspace layer: what each is called and where it is drawn by default.

``LayerKind`` is a ``StrEnum``: a member *is* its text ("complaints"), so it compares equal
to the kind stored in a workspace catalogue, binds as text in SQLite and PostgreSQL and
prints as text in JSON. The kind decides the schema an import checks (complaints,
supervision), the default style, the masking of personal data and the drawing order.
"""

from __future__ import annotations

from enum import StrEnum


class LayerKind(StrEnum):
    """A layer's kind, as stored in the catalogue (``LayerInfo.kind``)."""

    RASTER = "raster"
    VECTOR = "vector"
    SERVICE = "service"  # 矢量服务: features read live from a WFS or OGC API service
    SUPERVISION = "supervision"  # 批后监管: granted parcels with their contract terms
    BIM = "bim"  # footprints of imported BIM models
    ANALYSIS = "analysis"  # results written back by an analysis
    COMPLAINTS = "complaints"  # 民生诉求: 12345 work orders

    @property
    def zh(self) -> str:
        """The Chinese name (the UI's source text)."""
        return _LABELS[self][0]

    @property
    def en(self) -> str:
        """The English name."""
        return _LABELS[self][1]

    @property
    def draw_order(self) -> int:
        """Default drawing order, bottom first: rasters under vectors, complaints on top."""
        return list(LayerKind).index(self)

    @classmethod
    def of(cls, text: str) -> LayerKind | None:
        """The kind a stored text names, or None for a kind this lzt does not know."""
        try:
            return cls(text)
        except ValueError:
            return None


_LABELS = {LayerKind.RASTER: ("栅格", "raster"), LayerKind.VECTOR: ("矢量", "vector"),
           LayerKind.SERVICE: ("矢量服务", "vector service"),
           LayerKind.SUPERVISION: ("批后监管", "land supervision"), LayerKind.BIM: ("BIM 模型", "BIM model"),
           LayerKind.ANALYSIS: ("分析结果", "analysis result"), LayerKind.COMPLAINTS: ("民生诉求", "complaints")}
#: the kinds an import can give a layer with ``--kind`` (each checks its schema)
DOMAIN_KINDS = (LayerKind.COMPLAINTS, LayerKind.SUPERVISION)
