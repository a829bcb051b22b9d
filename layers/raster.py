"""Raster files -> facts, an embeddable GeoTIFF, and reprojected display windows.

``inspect_raster`` opens a file and reads a decimated sample of its pixels (so a file whose
header is fine but whose pixels are not fails at import, not half-way through drawing);
``prepare_for_storage`` turns it into the GeoTIFF byte string the workspace keeps in a BLOB;
``read_window`` reprojects a window of such bytes (or of a file) on the fly for display;
``hillshade`` shades a DEM. GDAL/rasterio failures become ``LztInputError``.
"""

from __future__ import annotations

import math
import threading
import warnings
from collections import OrderedDict
from dataclasses import asdict, dataclass
from os import PathLike

import numpy as np
import rasterio
from rasterio._err import CPLE_BaseError
from rasterio.crs import CRS
from rasterio.dtypes import in_dtype_range
from rasterio.enums import ColorInterp, Resampling
from rasterio.errors import CRSError, NotGeoreferencedWarning, RasterioError
from rasterio.io import MemoryFile
from rasterio.transform import Affine
from rasterio.warp import reproject, transform as warp_transform
from rasterio.windows import Window

from lzt.core.crs import transformer
from lzt.core.errors import LztInputError

_GDAL_ERRORS = (RasterioError, CPLE_BaseError, CRSError)
TILE = 256
SAMPLE = 256  # longest side of the pixel sample read by inspect_raster
_CHUNK_BYTES = 64 << 20  # rows copied per step in prepare_for_storage (uncompressed)


@dataclass(frozen=True)
class RasterInfo:
    width: int
    height: int
    count: int
    dtypes: tuple[str, ...]
    nodata: float | None
    crs: str | None  # "EPSG:nnnn" when the CRS is exactly an EPSG one, else WKT
    bounds: tuple[float, float, float, float]  # minx, miny, maxx, maxy in the raster's CRS
    transform: tuple[float, float, float, float, float, float]  # a, b, c, d, e, f (affine order)
    res: tuple[float, float]  # pixel size along the pixel axes (always positive)
    overviews: tuple[int, ...]  # decimation factors of the internal overviews
    rotated: bool  # geotransform has rotation/shear terms
    vertical_datum: str | None = None  # as the file declares it (compound CRS or tag), else unknown

    def to_json(self) -> dict:
        """A strict-JSON-safe dict (a NaN nodata becomes the string "nan"; float() reads it)."""
        d = asdict(self)
        if self.nodata is not None and math.isnan(self.nodata):
            d["nodata"] = "nan"
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}

    @classmethod
    def from_json(cls, d: dict) -> RasterInfo:
        tup = ("dtypes", "bounds", "transform", "res", "overviews")
        kw = {k: tuple(d[k]) if k in tup else d[k] for k in cls.__dataclass_fields__ if k in d}
        kw["nodata"] = None if d["nodata"] is None else float(d["nodata"])
        return cls(**kw)


# -- errors and CRS ----------------------------------------------------------------------------
def _cause(exc: BaseException) -> str:
    """The most specific message in an exception chain (GDAL's first complaint is the real one)."""
    msgs = []
    while exc is not None and len(msgs) < 10:
        msgs.append(str(exc))
        exc = exc.__cause__ or exc.__context__
    useful = [m for m in msgs if m and "see previous exception" not in m.lower()]
    return (useful[-1] if useful else msgs[0]) or "unknown GDAL error"


def _parse_crs(source, value) -> CRS:
    try:
        crs = CRS.from_user_input(value)
    except _GDAL_ERRORS as e:
        raise LztInputError(source, f"invalid CRS {value!r}: {_cause(e)}") from e
    return crs


def crs_string(crs: CRS) -> str:
    epsg = crs.to_epsg(confidence_threshold=100)
    return f"EPSG:{epsg}" if epsg else crs.to_wkt()


# -- inspection --------------------------------------------------------------------------------
def _vertical_datum(path, ds, crs: CRS | None) -> str | None:
    """The vertical datum the file declares: a ``vertical_datum`` tag, or the vertical part of a
    compound CRS (GDAL reports GeoTIFF's vertical keys only when asked); None when it is silent."""
    for k, v in ds.tags().items():
        if k.lower() == "vertical_datum" and v.strip():
            return v.strip()
    from pyproj import CRS as ProjCRS

    def vertical(c) -> str | None:
        pc = ProjCRS.from_wkt(c.to_wkt())
        sub = [s for s in pc.sub_crs_list if s.is_vertical] if pc.is_compound else []
        return sub[0].datum.name if sub and sub[0].datum else None

    if crs is not None and vertical(crs):
        return vertical(crs)
    with rasterio.Env(GTIFF_REPORT_COMPD_CS=True), rasterio.open(path) as d:
        return vertical(d.crs) if d.crs else None


def _horizontal(crs: CRS) -> CRS:
    """The horizontal part of a compound CRS (pixels are placed in 2D; heights keep their datum)."""
    from pyproj import CRS as ProjCRS

    pc = ProjCRS.from_wkt(crs.to_wkt())
    if not pc.is_compound:
        return crs
    return CRS.from_wkt(next(c for c in pc.sub_crs_list if not c.is_vertical).to_wkt())


def _info(ds, crs: CRS | None, vertical_datum: str | None = None) -> RasterInfo:
    t = ds.transform
    corners = [t @ (x, y) for x in (0, ds.width) for y in (0, ds.height)]
    xs, ys = zip(*corners)
    return RasterInfo(
        width=ds.width, height=ds.height, count=ds.count, dtypes=tuple(ds.dtypes),
        nodata=None if ds.nodata is None else float(ds.nodata),
        crs=None if crs is None else crs_string(crs),
        bounds=(min(xs), min(ys), max(xs), max(ys)), transform=tuple(t)[:6],
        res=(math.hypot(t.a, t.d), math.hypot(t.b, t.e)),
        overviews=tuple(ds.overviews(1)) if ds.count else (), rotated=bool(t.b or t.d),
        vertical_datum=vertical_datum)


def _inspect(path, src_crs) -> tuple[RasterInfo, CRS, np.ndarray]:
    """(facts, CRS to use, band-1 sample); raises LztInputError for anything unusable."""
    crs = None if src_crs is None else _parse_crs(path, src_crs)
    stage = "cannot read raster"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotGeoreferencedWarning)
            with rasterio.open(path) as ds:
                if ds.count == 0:
                    raise LztInputError(path, "has no raster bands")
                if any(np.dtype(d).kind == "c" for d in ds.dtypes):
                    raise LztInputError(path, f"complex pixel type {ds.dtypes[0]} is not supported")
                if ds.transform.is_identity:
                    why = "only ground control points (warp it to a grid first)" if ds.gcps[0] \
                        else "no geotransform"
                    raise LztInputError(path, f"is not georeferenced: {why}")
                crs = crs or ds.crs
                if not crs:
                    raise LztInputError(path, "has no CRS; give the source CRS (e.g. EPSG:4547)")
                vertical = _vertical_datum(path, ds, crs)
                crs = _horizontal(crs)
                info = _info(ds, crs, vertical)
            # Sample from full-resolution pixels, not from the overviews (corrupt.tif has good
            # overviews but a broken full-resolution tile). SAMPLE samples per axis hit every
            # block of any file with <= SAMPLE blocks per axis; prepare_for_storage reads it all.
            stage = "pixels cannot be read"
            with rasterio.open(path, OVERVIEW_LEVEL="NONE") as ds:
                k = max(1.0, max(ds.width, ds.height) / SAMPLE)
                shape = (max(1, round(ds.height / k)), max(1, round(ds.width / k)))
                sample = None
                for b in ds.indexes:  # one band at a time: bounded memory for many bands
                    arr = ds.read(b, out_shape=shape, resampling=Resampling.nearest)
                    sample = arr if b == 1 else sample
    except LztInputError:
        raise
    except _GDAL_ERRORS as e:
        raise LztInputError(path, f"{stage}: {_cause(e)}") from e
    return info, crs, sample


def inspect_raster(path: str | PathLike, *, src_crs=None) -> RasterInfo:
    """Facts about a raster file, after checking that its pixels can be read."""
    return _inspect(path, src_crs)[0]


# -- storage -----------------------------------------------------------------------------------
def overview_factors(width: int, height: int) -> list[int]:
    """Decimation factors of the overviews a raster of this size gets (2, 4, ... down to one tile)."""
    # Halve until one level fits in a single 256-px tile (gdaladdo's default rule). Using the
    # longest side rather than the shortest keeps a full view of a long thin strip cheap too.
    factors, f = [], 2
    while max(width, height) / (f // 2) > TILE:
        factors.append(f)
        f *= 2
    return factors


def _is_categorical(dtype: str, count: int, sample: np.ndarray, has_colormap: bool) -> bool:
    if count != 1 or np.dtype(dtype).kind not in "iub":
        return False
    return has_colormap or len(np.unique(sample)) <= 32


def _too_large(path, size: int, limit: int, partial: bool = False) -> LztInputError:
    what = "over " if partial else ""
    return LztInputError(path, f"raster is too large to embed in the workspace: {what}"
                         f"{size / 1e6:.0f} MB compressed, limit {limit / 1e6:.0f} MB")


def prepare_for_storage(path: str | PathLike, *, src_crs=None,
                        max_bytes: int = 900_000_000) -> tuple[bytes, RasterInfo]:
    """The raster as a tiled, DEFLATE-compressed GeoTIFF with internal overviews, and its facts.

    Always lossless DEFLATE, even for JPEG sources: re-encoding JPEG adds generation loss, the
    copy can then be checked pixel for pixel against the source, and JPEG cannot carry nodata
    or non-8-bit data. The price (a JPEG aerial is ~5x larger) is checked against max_bytes.
    """
    first, crs, sample = _inspect(path, src_crs)
    try:
        with rasterio.open(path) as src:
            dtype = np.result_type(*src.dtypes).name
            kind = np.dtype(dtype).kind
            try:
                cmap = src.colormap(1) if src.count == 1 else None
            except ValueError:
                cmap = None
            categorical = _is_categorical(dtype, src.count, sample, cmap is not None)
            nodata = src.nodata  # GDAL tolerates a nodata its pixel type cannot hold; we drop it
            if nodata is not None and not (math.isnan(nodata) and kind == "f" or in_dtype_range(
                    nodata, dtype) and (kind == "f" or float(nodata).is_integer())):
                nodata = None
            profile = dict(
                driver="GTiff", width=src.width, height=src.height, count=src.count, dtype=dtype,
                crs=crs, transform=src.transform, nodata=nodata, tiled=True,
                blockxsize=TILE, blockysize=TILE, compress="deflate", zlevel=6,
                # 2 = horizontal differencing (integers), 3 = floating-point predictor
                predictor=3 if kind == "f" else 2, interleave="pixel", bigtiff="if_safer")
            if src.count >= 3 and dtype == "uint8" and tuple(src.colorinterp[:3]) == (
                    ColorInterp.red, ColorInterp.green, ColorInterp.blue):
                profile["photometric"] = "rgb"
            factors = overview_factors(src.width, src.height)
            resampling = Resampling.nearest if categorical else Resampling.average
            step = max(1, _CHUNK_BYTES // max(1, src.width * src.count * np.dtype(dtype).itemsize))
            step = max(TILE, step // TILE * TILE)
            env = dict(GDAL_TIFF_OVR_BLOCKSIZE=TILE, COMPRESS_OVERVIEW="DEFLATE",
                       PREDICTOR_OVERVIEW=profile["predictor"])
            with rasterio.Env(**env), MemoryFile() as mem:
                with mem.open(**profile) as dst:
                    dst.update_tags(**src.tags())
                    if cmap:
                        dst.write_colormap(1, cmap)
                    for row in range(0, src.height, step):
                        win = Window(0, row, src.width, min(step, src.height - row))
                        dst.write(src.read(window=win, out_dtype=dtype), window=win)
                        if len(mem.getbuffer()) > max_bytes:  # stop early: bounded memory
                            raise _too_large(path, len(mem.getbuffer()), max_bytes, partial=True)
                    if factors:
                        dst.build_overviews(factors, resampling)
                    # also without overviews: how this raster's values may be resampled
                    dst.update_tags(ns="rio_overview", resampling=resampling.name)
                if len(mem.getbuffer()) > max_bytes:
                    raise _too_large(path, len(mem.getbuffer()), max_bytes)
                data = bytes(mem.getbuffer())
                with mem.open() as stored:
                    info = _info(stored, crs, first.vertical_datum)
    except LztInputError:
        raise
    except _GDAL_ERRORS as e:
        raise LztInputError(path, f"cannot read raster: {_cause(e)}") from e
    return data, info


# -- display reads -----------------------------------------------------------------------------
class _Source:
    """An opened raster (bytes or path) with its overview levels opened on demand."""

    def __init__(self, data):
        self.data = data
        self.mem = MemoryFile(data) if isinstance(data, bytes) else None
        self.name = self.mem.name if self.mem else str(data)
        self.levels: dict[int, rasterio.DatasetReader] = {}
        self.lock = threading.Lock()
        self.base = self.level(-1)

    def level(self, i: int):
        if i not in self.levels:
            opts = {} if i < 0 else {"OVERVIEW_LEVEL": i}
            self.levels[i] = rasterio.open(self.name, **opts)
        return self.levels[i]

    def close(self):
        with self.lock:
            for ds in self.levels.values():
                ds.close()
            self.levels.clear()
            if self.mem:
                self.mem.close()


_CACHE: OrderedDict[int, _Source] = OrderedDict()
_CACHE_LOCK = threading.Lock()
# The cache keeps its bytes objects alive (MemoryFile does not copy them), so it is bounded in
# entries and in bytes; the newest entry always stays. Decoded tiles live in GDAL's block cache.
_CACHE_SIZE, _CACHE_BYTES = 8, 1_000_000_000


def _source(data) -> tuple[_Source, bool]:
    """(source, cached). Bytes objects are cached by identity (the entry keeps them alive)."""
    if not isinstance(data, bytes):
        return _Source(data), False
    with _CACHE_LOCK:
        src = _CACHE.get(id(data))
        if src is not None and src.data is data:
            _CACHE.move_to_end(id(data))
            return src, True
        src = _CACHE[id(data)] = _Source(data)
        while len(_CACHE) > 1 and (len(_CACHE) > _CACHE_SIZE or
                                   sum(len(e.data) for e in _CACHE.values()) > _CACHE_BYTES):
            _CACHE.popitem(last=False)[1].close()
        return src, True


def clear_cache() -> None:
    """Close every cached dataset (call when rasters are dropped from a workspace)."""
    with _CACHE_LOCK:
        while _CACHE:
            _CACHE.popitem()[1].close()


def _pick_level(ds, dst_crs: CRS, bounds, width: int, height: int) -> int:
    """Index of the coarsest overview not coarser than one output pixel (-1 = full resolution)."""
    factors = ds.overviews(1)
    if not factors:
        return -1
    x0, y0, x1, y1 = bounds
    cx, cy, dx, dy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / width, (y1 - y0) / height
    try:  # size of one output pixel, in source units, at the window's centre
        xs, ys = warp_transform(dst_crs, ds.crs, [cx, cx + dx, cx], [cy, cy, cy + dy])
    except _GDAL_ERRORS:
        return -1
    step = min(math.hypot(xs[1] - xs[0], ys[1] - ys[0]), math.hypot(xs[2] - xs[0], ys[2] - ys[0]))
    src_px = math.sqrt(abs(ds.transform.determinant))
    ratio = step / src_px if math.isfinite(step) and src_px else 1.0
    # Like GDAL's own choice, accept an overview up to 20 % coarser than the output pixel.
    usable = [i for i, f in enumerate(factors) if f <= ratio * 1.2]
    return usable[-1] if usable else -1


_INTERPOLATING = {Resampling.bilinear, Resampling.cubic, Resampling.cubic_spline, Resampling.lanczos}


def read_window(data: bytes | str | PathLike, dst_crs, bounds, width: int, height: int, *,
                bands=None, resampling: str = "bilinear") -> np.ma.MaskedArray:
    """Pixels of ``data`` reprojected to ``dst_crs`` on the grid ``bounds`` x (width, height).

    ``bands`` are 1-based band numbers (default: all). Returns a masked array (bands, height,
    width) in the raster's dtype; pixels outside the raster or at nodata are masked. An overview
    is read instead of the full resolution when the output is coarser.
    """
    if width <= 0 or height <= 0 or not (bounds[0] < bounds[2] and bounds[1] < bounds[3]):
        raise ValueError(f"bad output grid: bounds {bounds}, size {width}x{height}")
    dst_crs = CRS.from_user_input(dst_crs)
    rs = Resampling[resampling] if isinstance(resampling, str) else Resampling(resampling)
    label = "raster data" if isinstance(data, bytes) else data
    try:
        src, cached = _source(data)
    except _GDAL_ERRORS as e:
        raise LztInputError(label, f"cannot open raster: {_cause(e)}") from e
    try:
        with src.lock:
            base = src.base
            if base.crs is None:
                raise LztInputError(label, "has no CRS; import it with a source CRS first")
            idx = list(bands) if bands is not None else list(base.indexes)
            if not idx or any(b not in base.indexes for b in idx):
                raise ValueError(f"bands {idx} not in 1..{base.count}")
            ds = src.level(_pick_level(base, dst_crs, bounds, width, height))
            x0, y0, x1, y1 = bounds
            dst_transform = Affine((x1 - x0) / width, 0, x0, 0, -(y1 - y0) / height, y1)
            nodata = base.nodata
            n = len(idx)
            # Pre-filled: GDAL skips output chunks that see no source pixel, leaving them as is.
            out = np.full((n + (nodata is None), height, width), 0 if nodata is None else nodata,
                          dtype=np.result_type(*(base.dtypes[b - 1] for b in idx)))
            # The chosen overview is at most ~2x finer than the output, so interpolating kernels
            # need not widen to the full downsampling ratio (GDAL's default): XSCALE/YSCALE=1
            # makes bilinear 2-3x faster at the cost of mild aliasing.
            extra = {"XSCALE": 1, "YSCALE": 1} if rs in _INTERPOLATING else {}
            reproject(rasterio.band(ds, idx), out, dst_transform=dst_transform, dst_crs=dst_crs,
                      src_nodata=nodata, dst_nodata=nodata, resampling=rs,
                      dst_alpha=0 if nodata is not None else n + 1, num_threads=2, **extra)
    except (LztInputError, ValueError):
        raise
    except _GDAL_ERRORS as e:
        raise LztInputError(label, f"cannot read raster pixels: {_cause(e)}") from e
    finally:
        if not cached:
            src.close()
    if nodata is None:
        mask = np.broadcast_to(out[n] == 0, (n, height, width))
        return np.ma.MaskedArray(out[:n], mask=mask.copy())
    mask = np.isnan(out) if np.isnan(nodata) else out == nodata
    return np.ma.MaskedArray(out, mask=mask, fill_value=nodata)


# -- the raster in another CRS: grid, whole-raster reads, point samples ----------------------------
def resampling_of(data: bytes | str | PathLike) -> str:
    """How values of a stored raster are resampled: "nearest" for categorical rasters (their
    overviews were built by nearest neighbour), else "bilinear"."""
    src, cached = _source(data)
    try:
        with src.lock:
            tag = src.base.tags(ns="rio_overview").get("resampling")
    finally:
        if not cached:
            src.close()
    return "nearest" if tag == "nearest" else "bilinear"


def north_up_in(info: RasterInfo, dst_crs) -> bool:
    """True when the raster's own grid is north-up, unrotated and square in ``dst_crs`` (then it
    is drawn and exported pixel for pixel, without resampling)."""
    a, b, _, d, e, _ = info.transform
    return (not b and not d and e < 0 and math.isclose(a, -e, rel_tol=1e-9)
            and info.crs is not None and CRS.from_user_input(info.crs) == CRS.from_user_input(dst_crs))


def pixel_size_in(info: RasterInfo, dst_crs) -> float:
    """The side of a square of the same area as one full-resolution pixel, measured in
    ``dst_crs`` units at the raster's centre (e.g. ~29.7 m for a 1" SRTM pixel at 22.7°N)."""
    dst_crs = CRS.from_user_input(dst_crs)
    t = Affine(*info.transform)
    if north_up_in(info, dst_crs):
        return abs(t.a)
    cx, cy = info.width / 2, info.height / 2
    pts = [t @ (cx, cy), t @ (cx + 1, cy), t @ (cx, cy + 1)]
    xs, ys = transformer(info.crs, crs_string(dst_crs)).transform(*zip(*pts))
    ux, uy = xs[1] - xs[0], ys[1] - ys[0]
    vx, vy = xs[2] - xs[0], ys[2] - ys[0]
    area = abs(ux * vy - uy * vx)
    if not (math.isfinite(area) and area > 0):
        raise LztInputError(info.crs, f"its pixels cannot be expressed in {crs_string(dst_crs)}")
    return math.sqrt(area)


def north_up_grid(info: RasterInfo, dst_crs, cell: float) -> tuple[tuple[float, float, float, float], int, int]:
    """(bounds, width, height) of the north-up grid of square ``cell``-sized pixels in
    ``dst_crs`` that covers the raster. A raster already north-up and square in ``dst_crs``
    keeps its own corner, so at its own cell size the grid is its grid, pixel for pixel."""
    dst_crs = CRS.from_user_input(dst_crs)
    if north_up_in(info, dst_crs):
        x0, _, _, y1 = info.bounds
        w, h = info.width * abs(info.transform[0]), info.height * abs(info.transform[4])
    else:
        x0, y0, x1, y1 = transformer(info.crs, crs_string(dst_crs)).transform_bounds(*info.bounds,
                                                                                   densify_pts=21)
        if not all(map(math.isfinite, (x0, y0, x1, y1))):
            raise LztInputError(info.crs, f"its extent cannot be expressed in {crs_string(dst_crs)}")
        w, h = x1 - x0, y1 - y0
    nx, ny = max(1, math.ceil(w / cell - 1e-6)), max(1, math.ceil(h / cell - 1e-6))
    return (x0, y1 - ny * cell, x0 + nx * cell, y1), nx, ny


_ONE_READ_PIXELS = 16_000_000  # sample_points reads the pixels around all points at once up to this size


def sample_points(data: bytes | str | PathLike, crs, xs, ys, *, band: int = 1) -> np.ndarray:
    """Values of ``band`` at points ``xs, ys`` given in ``crs``, from the full-resolution pixels
    in the raster's own CRS: bilinear between the four nearest pixel centres (nodata ones left
    out), the containing pixel for categorical rasters; NaN outside the raster or at nodata."""
    xs, ys = np.atleast_1d(np.asarray(xs, float)), np.atleast_1d(np.asarray(ys, float))
    out = np.full(xs.shape, np.nan)
    src, cached = _source(data)
    try:
        with src.lock:
            ds = src.base
            nearest = ds.tags(ns="rio_overview").get("resampling") == "nearest"
            crs = CRS.from_user_input(crs)
            px, py = (xs, ys) if crs == ds.crs else map(np.asarray, warp_transform(crs, ds.crs, xs, ys))
            cols, rows = ~ds.transform @ (px, py)  # fractional pixel coordinates, 0 at the edge
            cols, rows = np.asarray(cols, float), np.asarray(rows, float)
            nodata = ds.nodata
            inside = (cols >= 0) & (cols <= ds.width) & (rows >= 0) & (rows <= ds.height)
            if not inside.any():
                return out
            if nearest:
                c0 = np.minimum(cols.astype(np.int64), ds.width - 1)
                r0 = np.minimum(rows.astype(np.int64), ds.height - 1)
                span = 1
            else:  # pixel centres at +0.5; at the outer half pixel the edge value stands
                fc = np.clip(cols - 0.5, 0.0, ds.width - 1.0)
                fr = np.clip(rows - 0.5, 0.0, ds.height - 1.0)
                c0 = np.minimum(fc.astype(np.int64), max(ds.width - 2, 0))
                r0 = np.minimum(fr.astype(np.int64), max(ds.height - 2, 0))
                span = 2
            # one read of the pixels around all points when that is small, else a read per point
            wc0, wr0 = int(c0[inside].min()), int(r0[inside].min())
            wc1 = min(int(c0[inside].max()) + span, ds.width)
            wr1 = min(int(r0[inside].max()) + span, ds.height)
            if (wc1 - wc0) * (wr1 - wr0) <= _ONE_READ_PIXELS:
                block = ds.read(band, window=Window(wc0, wr0, wc1 - wc0, wr1 - wr0)).astype(float)

                def window(c: int, r: int, w: int, h: int):
                    return block[r - wr0:r - wr0 + h, c - wc0:c - wc0 + w]
            else:
                def window(c: int, r: int, w: int, h: int):
                    return ds.read(band, window=Window(c, r, w, h)).astype(float)
            for k in np.flatnonzero(inside):
                if nearest:
                    win = window(int(c0[k]), int(r0[k]), 1, 1)
                    wts = np.ones((1, 1))
                else:
                    win = window(int(c0[k]), int(r0[k]), min(2, ds.width), min(2, ds.height))
                    tx, ty = fc[k] - c0[k], fr[k] - r0[k]
                    wx, wy = np.array([1 - tx, tx])[:win.shape[1]], np.array([1 - ty, ty])[:win.shape[0]]
                    wts = wy[:, None] * wx[None, :]
                bad = np.isnan(win) if nodata is None or np.isnan(nodata) else (win == nodata) | np.isnan(win)
                wts = np.where(bad, 0.0, wts)
                if wts.sum() > 0:
                    out[k] = float((np.where(bad, 0.0, win) * wts).sum() / wts.sum())
    except _GDAL_ERRORS as e:
        raise LztInputError("raster data" if isinstance(data, bytes) else data,
                            f"cannot read raster pixels: {_cause(e)}") from e
    finally:
        if not cached:
            src.close()
    return out


# -- rendering helpers -------------------------------------------------------------------------
def hillshade(dem: np.ndarray, res, azimuth: float = 315, altitude: float = 45) -> np.ndarray:
    """ESRI/GDAL-style (Horn) hillshade of a north-up DEM as uint8: 1..255, 0 where nodata.

    ``res`` is the pixel size (a number or (xres, yres)) in the DEM's height units. NaN or
    masked cells are nodata; where a neighbour is nodata the centre height stands in for it.
    """
    z = np.ma.filled(np.ma.asarray(dem, dtype=np.float32), np.nan)
    xres, yres = (abs(float(res)),) * 2 if np.isscalar(res) else (abs(float(r)) for r in res)
    nan = np.isnan(z)
    p = np.pad(z, 1, mode="edge")
    pnan = np.pad(nan, 1, mode="edge") if nan.any() else None
    h, w = z.shape

    def nb(dr, dc):  # the neighbour at (row + dr, col + dc)
        v = p[1 + dr:1 + dr + h, 1 + dc:1 + dc + w]
        if pnan is not None:
            v = v.copy()
            np.copyto(v, z, where=pnan[1 + dr:1 + dr + h, 1 + dc:1 + dc + w])
        return v

    a, b, c, d = nb(-1, -1), nb(-1, 0), nb(-1, 1), nb(0, -1)
    f, g, hh, i = nb(0, 1), nb(1, -1), nb(1, 0), nb(1, 1)
    dzdx = ((c + 2 * f + i) - (a + 2 * d + g)) / (8 * xres)
    dzdy = ((g + 2 * hh + i) - (a + 2 * b + c)) / (8 * yres)  # positive when rising southward
    # cos(zenith)cos(slope) + sin(zenith)sin(slope)cos(azimuth - aspect), aspect =
    # atan2(dzdy, -dzdx), written without trigonometry on the arrays.
    zen, az = math.radians(90 - altitude), math.radians(360 - azimuth + 90)
    shade = (math.cos(zen) + math.sin(zen) * (math.sin(az) * dzdy - math.cos(az) * dzdx)) \
        / np.sqrt(1 + dzdx * dzdx + dzdy * dzdy)
    shade = 1 + np.clip(shade, 0, 1) * 254  # 1 = full shadow, so 0 can mean nodata
    shade[nan] = 0
    return shade.astype(np.uint8)
