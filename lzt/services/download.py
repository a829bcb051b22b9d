"""Download a vector service layer into the workspace: the current extent or all of it, one
transaction, through the importer's own preparation and writer (CRS, GCJ-02/BD-09
correction, repair), so a downloaded layer is stored exactly as an imported file would be."""

from __future__ import annotations

from pathlib import Path

from lzt.core import crs as crsmod
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.ingest.importer import ImportOptions, default_layer_name, import_loaded
from lzt.ingest.report import ImportReport
from lzt.services.features import FeatureSource


def parse_where(source: FeatureSource, text: str | None, flag: str = "--where"):
    """The attribute predicate of ``text`` checked against the service's fields (None for
    none). Spatial terms are refused: the box is given as an extent."""
    if not text:
        return None
    from lzt.query import expr as exprmod

    e = exprmod.parse(text, fields=source.all_fields, source=flag)
    attr, spatial = exprmod.split_spatial(e, flag)
    if spatial:
        raise LztInputError(flag, "spatial functions are not sent to services; give the area as --extent")
    return attr


def download(ws, source: FeatureSource, *, extent: tuple[float, float, float, float] | None = None,
             where: str | None = None, layer: str | None = None, replace: bool = False,
             feedback: Feedback | None = None) -> ImportReport:
    """Fetch the features of ``source`` meeting ``extent`` (workspace CRS; None: all) and
    ``where`` (CQL2 text), and store them as layer ``layer`` (default: the service's name)."""
    fb = ensure(feedback)
    spec = source.spec
    name = layer or default_layer_name(spec.name)
    label = f"{spec.url} ({spec.layer})"
    if ws.has_layer(name) and not replace:  # before any download
        raise LztInputError(label, f"layer {name!r} already exists in {ws.uri} (choose --layer NAME or --replace)")
    if extent is not None:
        x0, y0, x1, y1 = extent
        if not (x0 < x1 and y0 < y1):
            raise LztInputError("--extent", "expected X1,Y1,X2,Y2 with X1 < X2 and Y1 < Y2")
    attr = parse_where(source, where)
    box = source.request_box(extent, ws.crs)

    def progress(done: int, total: int | None) -> None:
        fb.check()
        fb.progress(done, total or 0, f"下载 {spec.name}: {done} 个要素")

    fetched = source.fetch(box, attr, progress=progress)
    fb.check()
    if not len(fetched.gdf):
        what = " and ".join(w for w, v in (("the extent", extent), ("the condition", where)) if v) or "the service"
        raise LztInputError(label, f"no features meet {what}; nothing was written")
    from layers.spec import LoadedLayer

    loaded = LoadedLayer(name=name, gdf=fetched.gdf, crs=crsmod.parse_crs(fetched.crs), source=Path(spec.url),
                         source_layer=spec.layer, warnings=tuple(fetched.notes))
    extra = {"service": {"name": spec.name, "type": spec.type, "url": spec.url, "layer": spec.layer,
                         "coords": spec.coords, "extent": list(extent) if extent else None,
                         "where": where, "server_filter": fetched.server_filter, "pages": fetched.pages,
                         "matched": fetched.matched}}
    return import_loaded(ws, loaded, ImportOptions(layer=name, coords=spec.coords, replace=replace),
                         source=label, extra=extra, feedback=fb)
