"""A raster service's picture of a view: the tiles (or the WMS image) covering a
workspace-CRS extent, fetched and resampled onto the view's pixels.

Every view pixel centre is carried to the source's CRS (pyproj, on a lattice of every
``STEP`` pixels, interpolated in between: the transforms are smooth at view scale). A
GCJ-02 (or BD-09) service is shifted on the way: the view's lon/lat (CGCS2000 ~ WGS84) are
moved into the service's shifted lon/lat with the exact forward formula, so sampling needs
no inverse at all; placing the service's own coordinates (``source_extent_in``) uses the
iterative inverse of ``lzt.core.chinacoords``. Pixels are taken nearest-neighbour from the
level whose pixel is closest to the view's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lzt.core import chinacoords
from lzt.core import crs as crsmod
from lzt.services.tilefetch import Fetcher, Tally

STEP = 16


@dataclass
class ServiceImage:
    rgba: np.ndarray  # (height, width, 4) uint8, transparent where nothing is known
    missing: int = 0  # tiles not (yet) available
    failed: int = 0  # tiles that failed in this draw
    level: str = ""
    tiles: int = 0
    notes: list[str] = field(default_factory=list)


def _lattice(extent, width: int, height: int, step: int = STEP):
    cols = np.unique(np.r_[np.arange(0, width, step), width - 1]).astype(float)
    rows = np.unique(np.r_[np.arange(0, height, step), height - 1]).astype(float)
    x0, y0, x1, y1 = extent
    rx, ry = (x1 - x0) / width, (y1 - y0) / height
    cc, rr = np.meshgrid(cols, rows)
    return cols, rows, x0 + (cc + 0.5) * rx, y1 - (rr + 0.5) * ry


def to_source(ws_crs: str, src_crs: str, coords: str | None, x: np.ndarray, y: np.ndarray):
    """Workspace coordinates -> the service's CRS (through its GCJ-02/BD-09 shift if any)."""
    if coords in ("gcj02", "bd09"):
        lon, lat = crsmod.transformer(ws_crs, "EPSG:4326").transform(x, y)
        move = chinacoords.wgs84_to_gcj02 if coords == "gcj02" else chinacoords.wgs84_to_bd09
        lon, lat = move(np.asarray(lon), np.asarray(lat))
        return crsmod.transformer("EPSG:4326", src_crs).transform(lon, lat)
    return crsmod.transformer(ws_crs, src_crs).transform(x, y)


def _upsample(v, cols, rows, width, height):
    """Bilinear interpolation of lattice values (rows x cols) to every pixel."""
    ci = np.arange(width, dtype=float)
    ri = np.arange(height, dtype=float)
    tmp = np.stack([np.interp(ci, cols, v[i]) for i in range(len(rows))])  # (len(rows), width)
    if len(rows) == 1:
        return np.repeat(tmp, height, axis=0)
    # interpolate along rows with index arithmetic (rows are ascending)
    k = np.clip(np.searchsorted(rows, ri, side="right") - 1, 0, len(rows) - 2)
    t = ((ri - rows[k]) / (rows[k + 1] - rows[k]))[:, None]
    return tmp[k] * (1 - t) + tmp[k + 1] * t


def source_coords(src, ws_crs: str, extent, width: int, height: int):
    """The view's pixel centres in the source CRS on a lattice (cols, rows, sx, sy: every
    ``STEP`` pixels) and the source units per view pixel."""
    cols, rows, X, Y = _lattice(extent, width, height)
    sx, sy = to_source(ws_crs, src.crs, src.coords, X, Y)
    sx, sy = np.asarray(sx, float), np.asarray(sy, float)
    dx = np.hypot(np.diff(sx, axis=1), np.diff(sy, axis=1)) / np.diff(cols)[None, :] if len(cols) > 1 else None
    res = float(np.nanmedian(dx)) if dx is not None and dx.size else abs(extent[2] - extent[0]) / width
    return (cols, rows, sx, sy), res


def lattice_box(lattice, res: float):
    """The source-CRS box of the view's pixel centres (the lattice holds the first and last
    column and row), grown by a pixel."""
    _, _, sx, sy = lattice
    return (np.nanmin(sx) - res, np.nanmin(sy) - res, np.nanmax(sx) + res, np.nanmax(sy) + res)


def pixel_index(lattice, fx, fy, width: int, height: int, src_w: int, src_h: int, *,
                tol: float = 0.05) -> np.ndarray:
    """Every view pixel's flat index into a ``src_w`` x ``src_h`` source image padded by one
    transparent pixel all round (``padded``): (height, width) int32, pixels outside the image on
    the padding. ``fx``/``fy`` carry source x / y to fractional source pixels from the image's
    corner. Where the lattice is affine to ``tol`` source pixels (a view of a few km in a
    conformal projection) the grids are outer sums, else bilinear interpolation. Integer
    arithmetic on 4-byte values from there on: the warm-pan frame's largest cost."""
    cols, rows, sx, sy = lattice
    u, v = fx(sx) + 1.0, fy(sy) + 1.0  # +1: the padding
    cc, rr = np.meshgrid(cols, rows)
    A = np.column_stack([np.ones(cc.size), cc.ravel(), rr.ravel()])
    ok = np.isfinite(u.ravel()) & np.isfinite(v.ravel())
    affine = False
    if ok.all() and len(cols) > 1 and len(rows) > 1:
        cu, *_ = np.linalg.lstsq(A, u.ravel(), rcond=None)
        cv, *_ = np.linalg.lstsq(A, v.ravel(), rcond=None)
        affine = max(np.abs(A @ cu - u.ravel()).max(), np.abs(A @ cv - v.ravel()).max()) < tol
    if affine:  # finite by construction
        ci, ri = np.arange(width) + 0.0, np.arange(height) + 0.0
        ui = np.add.outer(cu[2] * ri, cu[0] + cu[1] * ci).astype(np.int32)
        vi = np.add.outer(cv[2] * ri, cv[0] + cv[1] * ci).astype(np.int32)
    else:  # NaN (no source coordinate) lands on the padding
        U, V = _upsample(u, cols, rows, width, height), _upsample(v, cols, rows, width, height)
        ui = np.nan_to_num(U, nan=-1.0, posinf=-1.0, neginf=-1.0).astype(np.int32)
        vi = np.nan_to_num(V, nan=-1.0, posinf=-1.0, neginf=-1.0).astype(np.int32)
    # truncation equals floor for the padded coordinates >= 0; anything below lands on column/row 0
    np.clip(ui, 0, src_w + 1, out=ui)
    np.clip(vi, 0, src_h + 1, out=vi)
    vi *= src_w + 2
    vi += ui
    return vi


def padded(height: int, width: int) -> np.ndarray:
    """A transparent RGBA image of ``height`` x ``width`` with a one-pixel border (``pixel_index``)."""
    return np.zeros((height + 2, width + 2, 4), np.uint8)


def _gather(image: np.ndarray, index: np.ndarray) -> np.ndarray:
    """RGBA pixels of a ``padded`` image at flat ``index`` (one 32-bit gather)."""
    flat = np.ascontiguousarray(image).view(np.uint32).reshape(-1)
    return flat[index].view(np.uint8).reshape(index.shape + (4,))


def render_tiles(src, fetcher: Fetcher, tally: Tally, ws_crs: str, extent, width: int, height: int, *,
                 wait: bool = True, on_tile=None, res_factor: float = 1.0, max_tiles: int = 400) -> ServiceImage:
    """The tiled source's picture of ``extent`` at ``width`` x ``height``. ``wait=False``
    uses only tiles already in memory and fetches the others in the background
    (``on_tile`` is called as each lands)."""
    lattice, res = source_coords(src, ws_crs, extent, width, height)
    _, _, sx, sy = lattice
    m = src.grid.level_for(res * res_factor)
    out = ServiceImage(np.zeros((height, width, 4), np.uint8), level=m.id)
    if not (np.isfinite(sx) & np.isfinite(sy)).any():
        return out
    b = lattice_box(lattice, res)
    c0, c1, r0, r1 = m.tiles_for(b)
    # too many tiles for the view (a huge extent at a fine level): step to coarser levels
    while (c1 - c0) * (r1 - r0) > max_tiles:
        coarser = [t for t in src.grid.matrices if t.res > m.res]
        if not coarser:
            break
        m = min(coarser, key=lambda t: t.res)
        c0, c1, r0, r1 = m.tiles_for(b)
    out.level = m.id
    if c1 <= c0 or r1 <= r0:
        return out
    futures = {}
    for r in range(r0, r1):
        for c in range(c0, c1):
            url = src.url(m, c, r)
            pub = src.public_url(url)
            hit = fetcher.cached(pub)
            if hit is not None:
                futures[(c, r)] = hit
            else:
                futures[(c, r)] = fetcher.submit(url, pub, tally, on_tile, getattr(src, "_key", None))
    out.tiles = len(futures)
    # the tiles' mosaic (transparent where a tile is missing), then one gather for all pixels
    tw, th = m.tile_w, m.tile_h
    mh, mw = (r1 - r0) * th, (c1 - c0) * tw
    mosaic = padded(mh, mw)
    for (c, r), f in futures.items():
        if not isinstance(f, np.ndarray):
            if not wait and not f.done():
                out.missing += 1
                continue
            f = f.result()
            if f is None:
                out.failed += 1
                continue
        h, w = min(th, f.shape[0]), min(tw, f.shape[1])
        y, x = (r - r0) * th + 1, (c - c0) * tw + 1
        mosaic[y:y + h, x:x + w] = f[:h, :w]
    index = pixel_index(lattice, lambda x: (x - m.left) / m.res - c0 * tw, lambda y: (m.top - y) / m.res - r0 * th,
                        width, height, mw, mh)
    out.rgba = _gather(mosaic, index)
    return out


def render_wms(src, fetcher: Fetcher, tally: Tally, ws_crs: str, extent, width: int, height: int, *,
               wait: bool = True, on_tile=None) -> ServiceImage:
    """The WMS's picture of ``extent``: asked in the workspace CRS when the server has it
    (no resampling), else in its CRS over the view's box and resampled."""
    out = ServiceImage(np.zeros((height, width, 4), np.uint8), tiles=1)
    if src.coords is None and _same_crs(ws_crs, src.crs):
        box, w, h, lattice = tuple(extent), width, height, None
    else:
        lattice, res = source_coords(src, ws_crs, extent, width, height)
        box = lattice_box(lattice, res)
        w = max(1, int(round((box[2] - box[0]) / res)))
        h = max(1, int(round((box[3] - box[1]) / res)))
    url = src.map_url(box, w, h)
    pub = src.public_url(url)
    img = fetcher.cached(pub)
    if img is None:
        f = fetcher.submit(url, pub, tally, on_tile, getattr(src, "_key", None))
        if not wait and not f.done():
            out.missing = 1
            return out
        img = f.result()
    if img is None:
        out.failed = 1
        return out
    if lattice is None:
        out.rgba[:] = img[:height, :width] if img.shape[:2] == (height, width) else _fit(img, height, width)
        return out
    rx, ry = (box[2] - box[0]) / img.shape[1], (box[3] - box[1]) / img.shape[0]
    index = pixel_index(lattice, lambda x: (x - box[0]) / rx, lambda y: (box[3] - y) / ry, width, height,
                        img.shape[1], img.shape[0])
    framed = padded(*img.shape[:2])
    framed[1:-1, 1:-1] = img[..., :4]
    out.rgba = _gather(framed, index)
    return out


def _fit(img, h, w):
    yi = (np.arange(h) * img.shape[0] // h)
    xi = (np.arange(w) * img.shape[1] // w)
    return img[yi][:, xi]


def _same_crs(a: str, b: str) -> bool:
    from pyproj import CRS

    return CRS.from_user_input(a) == CRS.from_user_input(b)


#: views above this many pixels (a sheet at print resolution) are drawn in strips of rows,
#: so the per-pixel coordinate arrays stay small
STRIP_PIXELS = 4_000_000


def render_source(src, fetcher: Fetcher, tally: Tally, ws_crs: str, extent, width: int, height: int,
                  **kw) -> ServiceImage:
    """The source's picture of a view (tiles or WMS)."""
    if src.kind == "wms":
        kw.pop("res_factor", None)
        kw.pop("max_tiles", None)
        return render_wms(src, fetcher, tally, ws_crs, extent, width, height, **kw)
    if width * height <= STRIP_PIXELS:
        return render_tiles(src, fetcher, tally, ws_crs, extent, width, height, **kw)
    out = ServiceImage(np.zeros((height, width, 4), np.uint8))
    step = max(1, STRIP_PIXELS // width)
    ry = (extent[3] - extent[1]) / height
    for top in range(0, height, step):
        h = min(step, height - top)
        part = (extent[0], extent[3] - (top + h) * ry, extent[2], extent[3] - top * ry)
        img = render_tiles(src, fetcher, tally, ws_crs, part, width, h, **kw)
        out.rgba[top:top + h] = img.rgba
        out.tiles += img.tiles
        out.missing += img.missing
        out.failed += img.failed
        out.level = img.level
    return out
