"""3D exchange: white models and BIM models as OGC 3D Tiles (b3dm/glb) and as CityJSON.

``export_3d(ws, out, fmt=...)`` is what ``lzt export3d`` and the GUI call.
"""

from __future__ import annotations

from pathlib import Path

from lzt.core.feedback import Feedback

FORMATS = ("3dtiles", "cityjson")


def default_layers(ws) -> list[str]:
    """The layers exported when none is named: ``buildings`` and ``bim_models`` where present."""
    return [name for name in ("buildings", "bim_models") if ws.has_layer(name)]


def export_3d(ws, out: str | Path, *, fmt: str = "3dtiles", layers: list[str] | None = None,
              where: str | None = None, bbox=None, ground: str | None = None, height_field: str | None = None,
              content: str = "b3dm", cap: int | None = None, feedback: Feedback | None = None):
    """Export models of ``layers`` (footprint layers extruded, BIM layers as their meshes) to ``out``.

    Returns a result with ``to_json()`` (a ``TilesetResult`` or a ``CityJsonResult``).
    """
    from lzt.core.errors import LztInputError
    from lzt.export.tiles3d.sources import gather

    if fmt not in FORMATS:
        raise LztInputError("--format", f"unknown 3D format {fmt!r} ({' or '.join(FORMATS)})")
    layers = list(layers or default_layers(ws))
    if not layers:
        raise LztInputError(ws.uri, "no buildings or bim_models layer: name the layers with --layer")
    models = gather(ws, layers, where=where, bbox=bbox, ground=ground, height_field=height_field)
    if fmt == "3dtiles":
        from lzt.export.tiles3d.tileset import DEFAULT_CAP, write_tileset

        return write_tileset(ws, models, out, content_type=content, cap=cap or DEFAULT_CAP, feedback=feedback)
    from lzt.export.tiles3d.cityjson import write_cityjson

    return write_cityjson(ws, models, out, feedback=feedback)
