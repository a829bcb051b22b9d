"""Raster services shown as layers: a saved WMTS/WMS/XYZ/天地图 service that a map draws
under (or over) the workspace's layers.

The layer opens its source lazily (WMTS/WMS capabilities are read on first draw), keeps a
``Tally`` of failed tiles (``report``: one stable line, which the map shows once) and never holds the key in
anything it shows: ``info()`` carries the saved record, which has only the key's variable.
"""

from __future__ import annotations

import threading


from layers.kinds import LayerKind
from lzt.core.errors import LztInputError
from lzt.services.catalog import ServiceRecord
from lzt.services.tilefetch import Fetcher, Tally, shared_fetcher
from lzt.services.warp import ServiceImage, render_source
from lzt.workspace.base import LayerInfo
from lzt.core.lazy import lazy_module

gpd = lazy_module("geopandas")


class RasterServiceLayer:
    """One raster service as a layer of a workspace view (``WithServices``)."""

    raster = True

    def __init__(self, rec: ServiceRecord, ws_crs: str, *, fetcher: Fetcher | None = None):
        self.rec, self.ws_crs = rec, ws_crs
        self.name = rec.name
        self.fetcher = fetcher or shared_fetcher()
        self.tally = Tally()
        self.error: str | None = None
        self._source = None
        self._lock = threading.Lock()

    #: after a failed open, draws within this many seconds fail at once (no new wait on the server)
    RETRY_SECONDS = 30.0

    def source(self):
        """The opened source (capabilities read once); LztInputError when it cannot open."""
        import time

        with self._lock:
            if self._source is None:
                from lzt.services.rastersource import open_source

                failed = getattr(self, "_failed", None)
                if failed and time.monotonic() - failed[0] < self.RETRY_SECONDS:
                    raise failed[1]
                try:
                    self._source = open_source(self.rec, self.fetcher, prefer_crs=self.ws_crs)
                except LztInputError as exc:
                    self._failed = (time.monotonic(), exc)
                    raise
            return self._source

    def draw(self, extent, width: int, height: int, *, wait: bool = True, on_tile=None,
             res_factor: float = 1.0) -> ServiceImage:
        """The service's picture of ``extent`` (workspace CRS) at ``width`` x ``height`` pixels.
        ``wait=False`` never blocks on the network: tiles not yet here are fetched in the
        background and ``on_tile`` is called as each lands."""
        try:
            src = self.source()
        except LztInputError as exc:
            self.error = exc.one_line()
            raise
        kw = {"res_factor": res_factor} if src.kind == "tiles" else {}
        img = render_source(src, self.fetcher, self.tally, self.ws_crs, extent, int(width), int(height),
                            wait=wait, on_tile=on_tile, **kw)
        self.error = self.tally.summary()
        return img

    def report(self) -> str | None:
        """One stable line saying tiles failed and why (the map shows it once), or None."""
        return self.tally.summary()

    # -- the layer calls a workspace view makes ----------------------------------------
    def ensure(self, bbox) -> None:
        return None

    def fields(self) -> dict[str, str]:
        return {}

    def frame(self) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=self.ws_crs), crs=self.ws_crs)

    def info(self) -> LayerInfo:
        rec = self.rec
        return LayerInfo(name=self.name, kind=LayerKind.SERVICE, geometry_type=None, crs=self.ws_crs, count=0,
                         extent=None, fields=(), source=f"{rec.type}: {rec.url}",
                         details={"service": {**rec.to_json(), "raster": True, "error": self.error,
                                              "attribution": rec.attribution or _DEFAULT_ATTRIBUTION.get(rec.type, "")}})


_DEFAULT_ATTRIBUTION = {"tianditu": "天地图 (国家地理信息公共服务平台)"}
