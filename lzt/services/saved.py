"""Services named on the command line: a service saved in the workspace's catalogue
(``lzt service add``) or a vector service given by its URL, opened as feature sources or, for
raster services, as layers to draw."""

from __future__ import annotations

from lzt.core.errors import LztInputError
from lzt.services.features import SERVICE_TYPES, FeatureSource, Getter, ServiceSpec, urllib_get


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def saved_spec(ws, name: str) -> ServiceSpec | None:
    """The saved vector service called ``name``, or None when there is none."""
    from lzt.services import catalog

    rec = catalog.find(ws, name)
    if rec is None:
        return None
    if rec.type not in SERVICE_TYPES:
        raise LztInputError(name, f"is a {rec.type} service (tiles/images); only ogcapi and wfs services "
                                  "have features")
    return ServiceSpec(name=rec.name, type=rec.type, url=rec.url, layer=rec.layer or "", coords=rec.coords)


def service_spec(ws, service: str, *, type: str | None = None, layer: str | None = None,
                 coords: str | None = None) -> ServiceSpec:
    """``service`` as a saved name, or a URL with ``type`` and ``layer`` (collection or
    feature type) given."""
    if is_url(service):
        if type not in SERVICE_TYPES:
            raise LztInputError(service, "a service URL needs --type ogcapi|wfs")
        if not layer:
            raise LztInputError(service, "a service URL needs --collection (the collection id or feature type)")
        from lzt.ingest.importer import default_layer_name

        return ServiceSpec(name=default_layer_name(layer.split(":")[-1]), type=type, url=service, layer=layer,
                           coords=coords)
    spec = saved_spec(ws, service)
    if spec is None:
        raise LztInputError(ws.uri, f"no saved ogcapi/wfs service called {service!r} (lzt service list; or give "
                                    "its URL with --type and --collection)")
    if not spec.layer:
        raise LztInputError(service, "the saved service names no layer (save it with --layer ID)")
    return spec


def open_service(ws, service: str, *, get: Getter = urllib_get, **kw) -> FeatureSource:
    """The feature source of ``service`` (see ``service_spec``)."""
    return FeatureSource(service_spec(ws, service, **kw), get)


def with_saved(ws, names, *, get: Getter = urllib_get, fetcher=None):
    """``ws`` with the saved services among ``names`` (those that are not workspace layers) as
    live layers, so a query reads vector services like local layers and a map draws raster
    ones; ``ws`` itself when there are none."""
    from lzt.services import catalog
    from lzt.services.live import ServiceLayer, WithServices
    from lzt.services.rasterlayer import RasterServiceLayer

    layers = []
    for n in dict.fromkeys(n for n in names if n):
        if ws.has_layer(n):
            continue
        rec = catalog.find(ws, n)
        if rec is None:
            continue
        if rec.raster:
            layers.append(RasterServiceLayer(rec, ws.crs, fetcher=fetcher))
        else:
            layers.append(ServiceLayer(FeatureSource(saved_spec(ws, n), get), ws.crs, max_features=1_000_000))
    return WithServices(ws, layers) if layers else ws


def map_getter() -> Getter:
    """The HTTP getter a map's vector services use: a short timeout, the map never waits long."""
    from functools import partial

    return partial(urllib_get, timeout=10.0)


def saved_layers(ws, *, get: Getter | None = None, fetcher=None) -> list:
    """Every saved service of ``ws`` as a map layer, without a network call: raster services
    (opened on first draw) and vector services ``deferred`` (``ServiceLayer.open()`` in a worker;
    until then they are shown as pending or unavailable)."""
    from lzt.services import catalog
    from lzt.services.live import ServiceLayer

    get = get or map_getter()
    out = []
    for r in catalog.records(ws):
        if ws.has_layer(r.name):
            continue
        if r.raster:  # its module (tile fetching, grids) only when there is one: the window opens sooner
            from lzt.services.rasterlayer import RasterServiceLayer

            out.append(RasterServiceLayer(r, ws.crs, fetcher=fetcher))
        else:
            spec = ServiceSpec(name=r.name, type=r.type, url=r.url, layer=r.layer or "", coords=r.coords)
            out.append(ServiceLayer.deferred(spec, get, ws.crs, strict=False))
    return out
