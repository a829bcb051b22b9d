"""OGC API - Features: landing page, conformance, collections, queryables and item pages.

Plain functions over an HTTP getter (``get(url, params) -> bytes``). Items are GeoJSON in
CRS84 (lon/lat) unless a ``crs`` is asked for; pages are followed by their ``next`` link,
as Part 1 prescribes, never by guessing offsets. A CQL2 filter is sent to a server that
declares Part 3 filtering or queryables (``ApiInfo.may_filter``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from lzt.core.errors import LztInputError

Getter = Callable[[str, Mapping[str, str] | None], bytes]

CONF_FILTER = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter"
CONF_FEATURES_FILTER = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter"
CONF_CQL2_TEXT = "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text"
CONF_CRS = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"
CONF_QUERYABLES = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables"
_QUERYABLE_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "BOOLEAN", "string": "TEXT"}


@dataclass(frozen=True)
class Collection:
    """One feature collection of the server."""

    id: str
    title: str
    bbox: tuple[float, float, float, float] | None  # CRS84
    crs: tuple[str, ...] = ()
    storage_crs: str | None = None


@dataclass(frozen=True)
class ApiInfo:
    """Conformance and collections of an OGC API - Features server."""

    url: str
    conforms_to: frozenset[str]
    collections: tuple[Collection, ...]

    @property
    def cql2_text(self) -> bool:
        """Whether the server declares filtering items by CQL2 text (Part 3)."""
        c = self.conforms_to
        return (CONF_FILTER in c or CONF_FEATURES_FILTER in c) and CONF_CQL2_TEXT in c

    @property
    def may_filter(self) -> bool:
        """Whether a CQL2 ``filter`` is worth sending: declared, or Part 3 queryables are
        (pygeoapi 0.21 filters with its SQL providers but declares only queryables). The
        answer is always checked by the caller, so a server that ignores it costs nothing."""
        return self.cql2_text or CONF_QUERYABLES in self.conforms_to

    def collection(self, cid: str, source: str) -> Collection:
        for c in self.collections:
            if c.id == cid:
                return c
        ids = ", ".join(c.id for c in self.collections) or "none"
        raise LztInputError(source, f"the server has no collection {cid!r} (it offers: {ids})")


def base_url(url: str) -> str:
    """The API's root with one trailing slash (relative links resolve against it)."""
    return url.split("?", 1)[0].rstrip("/") + "/"


def get_json(get: Getter, url: str, params: Mapping[str, str] | None, source: str) -> Any:
    """GET a JSON document; an HTML page or broken JSON is one clear line."""
    params = dict(params or {})
    if "f=" not in url.partition("?")[2]:
        params.setdefault("f", "json")
    data = get(url, params)
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        head = data[:100].decode("utf-8", "replace").strip().lower()
        what = "a web page (HTML)" if head.startswith(("<!doctype html", "<html")) else "not JSON"
        raise LztInputError(source, f"{url} answered with {what}, not OGC API JSON") from None


def read_info(get: Getter, url: str) -> ApiInfo:
    """Conformance classes and the collections list."""
    root = base_url(url)
    conf = get_json(get, urljoin(root, "conformance"), None, url)
    cols = get_json(get, urljoin(root, "collections"), None, url)
    if not isinstance(cols, dict) or not isinstance(cols.get("collections"), list):
        raise LztInputError(url, "is not an OGC API - Features server (no collections list)")
    out = []
    for c in cols["collections"]:
        if not isinstance(c, dict) or "id" not in c:
            continue
        if c.get("itemType", "feature") != "feature":
            continue
        bbox = None
        try:
            b = c["extent"]["spatial"]["bbox"][0]
            bbox = (float(b[0]), float(b[1]), float(b[-3 if len(b) == 6 else 2]), float(b[-2 if len(b) == 6 else 3]))
        except (KeyError, IndexError, TypeError, ValueError):
            pass
        out.append(Collection(id=str(c["id"]), title=str(c.get("title") or c["id"]), bbox=bbox,
                              crs=tuple(c.get("crs") or ()), storage_crs=c.get("storageCrs")))
    return ApiInfo(url=root, conforms_to=frozenset((conf or {}).get("conformsTo", [])), collections=tuple(out))


def queryables(get: Getter, url: str, cid: str) -> dict[str, str]:
    """The collection's queryable properties (name -> workspace field type); {} when the
    server publishes none."""
    try:
        doc = get_json(get, urljoin(base_url(url), f"collections/{cid}/queryables"), None, url)
    except LztInputError:
        return {}
    props = doc.get("properties", {}) if isinstance(doc, dict) else {}
    out = {}
    for name, spec in props.items():
        if not isinstance(spec, dict):
            continue
        if spec.get("format", "").startswith("geometry") or "geometry" in str(spec.get("$ref", "")) or name == "geometry":
            continue
        typ = spec.get("type")
        fmt = spec.get("format")
        out[name] = "DATE" if fmt == "date" else "DATETIME" if fmt == "date-time" else \
            _QUERYABLE_TYPES.get(typ if isinstance(typ, str) else "string", "TEXT")
    return out


def item_pages(get: Getter, url: str, cid: str, *, bbox: tuple[float, float, float, float] | None,
               limit: int = 1000, cql2: str | None = None) -> Iterator[tuple[list[dict], int | None]]:
    """Pages of GeoJSON features (lon/lat) meeting ``bbox`` (CRS84), following ``next``
    links; each page with the server's ``numberMatched`` when it gave one."""
    params: dict[str, str] = {"limit": str(int(limit))}
    if bbox is not None:
        params["bbox"] = ",".join(f"{v:.10g}" for v in bbox)
    if cql2 is not None:
        params["filter"] = cql2  # filter-lang defaults to cql2-text (Part 3); pygeoapi 0.21 refuses the name
    page_url: str | None = urljoin(base_url(url), f"collections/{cid}/items")
    seen: set[str] = set()
    while page_url:
        doc = get_json(get, page_url, params, url)
        if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
            raise LztInputError(url, f"collection {cid!r}: the items answer is not a GeoJSON FeatureCollection")
        feats = [f for f in doc.get("features") or [] if isinstance(f, dict)]
        matched = doc.get("numberMatched")
        yield feats, int(matched) if isinstance(matched, int) else None
        nxt = next((ln.get("href") for ln in doc.get("links", []) if isinstance(ln, dict)
                    and ln.get("rel") == "next" and ln.get("href")
                    and "json" in str(ln.get("type", "application/geo+json"))), None)
        if not feats or nxt is None or nxt in seen:
            return
        seen.add(nxt)
        page_url, params = urljoin(page_url, nxt), {}  # the link carries every parameter
