"""Large imagery: linked (not copied) rasters, their overview pyramid, and acquisition dates.

A district orthophoto (~60,000 x 52,000 px at 0.5 m, several GB) is not copied into the
workspace: ``link_raster`` returns a small GDAL VRT that references the file by absolute path,
and the workspace keeps that VRT where an embedded raster keeps its GeoTIFF, so every reader
(``read_window``, sheets, the 3D ground) works unchanged. When the file has no overviews, a
pyramid is built once (``build_pyramid``): a half-resolution GeoTIFF written strip by strip
(progress, cancel), whose own internal overviews give the coarser levels. It goes beside the
file as ``FILE.ovr`` (where GDAL and other GIS find it too) or, if that folder is read-only,
into the user's cache folder; the VRT names each level explicitly, so either place works.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import rasterio
from rasterio.enums import Resampling
from rasterio.transform import Affine
from rasterio.windows import Window

from layers.raster import TILE, _GDAL_ERRORS, _cause, overview_factors
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure

#: rasters with more samples (pixels x bands) than this are linked rather than embedded by default
LINK_ABOVE_SAMPLES = 300_000_000
_DATE_TAGS = ("ACQUISITION_DATE", "ACQUISITIONDATE", "DATE_ACQUIRED", "ACQUIRED", "TIFFTAG_DATETIME",
              "IMAGE_DATE", "DATE")


# -- acquisition dates -----------------------------------------------------------------------------
def parse_date(text: str, source="--date") -> str:
    """An ISO date (YYYY-MM-DD) from ``2022-10-01``, ``2022:10:01 12:00:00`` or ``20221001``."""
    m = re.match(r"^\s*(\d{4})[-:/.]?(\d{2})[-:/.]?(\d{2})", str(text))
    try:
        if not m:
            raise ValueError
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        raise LztInputError(source, f"not a date: {text!r} (use YYYY-MM-DD)") from None


def acquisition_date(tags: dict[str, str]) -> str | None:
    """The acquisition date a raster's metadata declares (ISO), or None when it is silent."""
    upper = {k.upper(): v for k, v in tags.items()}
    for key in _DATE_TAGS:
        if upper.get(key, "").strip():
            try:
                return parse_date(upper[key])
            except LztInputError:
                continue
    return None


# -- overview pyramid ------------------------------------------------------------------------------
def has_overviews(ds) -> bool:
    """True when the dataset's overviews reach down to about one tile (nothing to build)."""
    ovr = ds.overviews(1)
    return bool(ovr) and max(ds.width, ds.height) / ovr[-1] <= 4 * TILE


def pyramid_path(path: str | os.PathLike) -> Path:
    """Where the pyramid of ``path`` goes: ``FILE.ovr`` when its folder is writable, else a file
    in the user's cache folder named after the source's path, size and time."""
    path = Path(path).resolve()
    beside = path.with_name(path.name + ".ovr")
    if os.access(path.parent, os.W_OK) and not beside.exists():
        return beside
    st = path.stat()
    key = hashlib.sha1(f"{path}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:16]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lzt" / "overviews" / f"{path.stem}-{key}.tif"


def build_pyramid(path: str | os.PathLike, out: str | os.PathLike, *, categorical: bool = False,
                  feedback: Feedback | None = None) -> list[int]:
    """Write the overview pyramid of ``path`` to ``out``; returns its decimation factors.

    Level 2 is read from the full resolution in strips (progress and cancel per strip); the
    coarser levels are built from level 2 by GDAL, a quarter of the work. The file appears
    only when complete (written beside and renamed).
    """
    fb = ensure(feedback)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    rs = Resampling.nearest if categorical else Resampling.average
    try:
        with rasterio.open(path) as src:
            w2, h2 = math.ceil(src.width / 2), math.ceil(src.height / 2)
            prof = dict(driver="GTiff", width=w2, height=h2, count=src.count, dtype=src.dtypes[0],
                        crs=src.crs, transform=src.transform @ Affine.scale(src.width / w2, src.height / h2),
                        nodata=src.nodata, tiled=True, blockxsize=TILE, blockysize=TILE,
                        compress="deflate", predictor=2 if np.dtype(src.dtypes[0]).kind in "iu" else 1,
                        interleave="pixel", bigtiff="if_safer")
            if src.count >= 3 and src.dtypes[0] == "uint8":
                prof["photometric"] = "rgb"
            step = TILE * 4  # output rows per strip
            with rasterio.Env(GDAL_TIFF_OVR_BLOCKSIZE=TILE, COMPRESS_OVERVIEW="DEFLATE"), \
                    rasterio.open(tmp, "w", **prof) as dst:
                for row in range(0, h2, step):
                    fb.check()
                    rows = min(step, h2 - row)
                    win = Window(0, row * 2, src.width, min(rows * 2, src.height - row * 2))
                    arr = src.read(window=win, out_shape=(src.count, rows, w2), resampling=rs)
                    dst.write(arr, window=Window(0, row, w2, rows))
                    fb.progress(row + rows, h2 + h2 // 3, "生成影像金字塔")
                fb.check()
                factors = overview_factors(w2, h2)
                if factors:
                    dst.build_overviews(factors, rs)
                fb.progress(h2 + h2 // 3, h2 + h2 // 3, "生成影像金字塔")
        fb.check()
        os.replace(tmp, out)
    except _GDAL_ERRORS as e:
        raise LztInputError(path, f"cannot build overviews: {_cause(e)}") from e
    finally:
        if tmp.exists():
            tmp.unlink()
    return [2] + [2 * f for f in factors]


# -- the linking VRT -------------------------------------------------------------------------------
def link_vrt(path: str | os.PathLike, pyramid: str | os.PathLike | None = None,
             levels: int = 0, *, crs_wkt: str | None = None) -> bytes:
    """A VRT referencing ``path`` pixel for pixel; with ``pyramid``, its ``levels`` levels
    (the pyramid file's main image, then its internal overviews) as the VRT's overviews."""
    path = str(Path(path).resolve())
    with rasterio.open(path) as ds:
        wkt = crs_wkt or (ds.crs.to_wkt() if ds.crs else "")
        gt = ", ".join(repr(float(v)) for v in ds.transform.to_gdal())
        w, h = ds.width, ds.height
        bands = []
        for b in ds.indexes:
            dtype = {"uint8": "Byte", "uint16": "UInt16", "int16": "Int16", "uint32": "UInt32",
                     "int32": "Int32", "float32": "Float32", "float64": "Float64",
                     "int8": "Int8"}.get(ds.dtypes[b - 1])
            if dtype is None:
                raise LztInputError(path, f"pixel type {ds.dtypes[b - 1]} cannot be linked")
            interp = ds.colorinterp[b - 1].name.capitalize()
            nod = "" if ds.nodata is None else f"<NoDataValue>{ds.nodata!r}</NoDataValue>"
            ovr = "".join(f'<Overview><SourceFilename relativeToVRT="0">GTIFF_DIR:{i + 1}:'
                          f'{escape(str(pyramid))}</SourceFilename><SourceBand>{b}</SourceBand></Overview>'
                          for i in range(levels if pyramid else 0))
            bands.append(f'<VRTRasterBand dataType="{dtype}" band="{b}">{nod}<ColorInterp>{interp}</ColorInterp>'
                         f'<SimpleSource><SourceFilename relativeToVRT="0">{escape(path)}</SourceFilename>'
                         f'<SourceBand>{b}</SourceBand><SrcRect xOff="0" yOff="0" xSize="{w}" ySize="{h}"/>'
                         f'<DstRect xOff="0" yOff="0" xSize="{w}" ySize="{h}"/></SimpleSource>{ovr}</VRTRasterBand>')
        tags = "".join(f'<MDI key="{escape(k)}">{escape(v)}</MDI>' for k, v in ds.tags().items())
    return (f'<VRTDataset rasterXSize="{w}" rasterYSize="{h}"><SRS>{escape(wkt)}</SRS>'
            f'<GeoTransform>{gt}</GeoTransform><Metadata>{tags}</Metadata>{"".join(bands)}'
            f'</VRTDataset>').encode()


def is_linked(data: bytes) -> bool:
    """True when stored raster bytes are a linking VRT rather than an embedded GeoTIFF."""
    return data[:64].lstrip().startswith(b"<VRTDataset")


def linked_files(data: bytes) -> list[str]:
    """The files a linking VRT reads (source first, then its pyramid), for status and checks."""
    names = re.findall(rb"<SourceFilename[^>]*>(?:GTIFF_DIR:\d+:)?([^<]+)</SourceFilename>", data)
    return list(dict.fromkeys(n.decode() for n in names))


def should_link(path: str | os.PathLike) -> bool:
    """The default: link rasters above LINK_ABOVE_SAMPLES samples, embed smaller ones."""
    try:
        with rasterio.open(path) as ds:
            return ds.width * ds.height * ds.count > LINK_ABOVE_SAMPLES
    except _GDAL_ERRORS as e:
        raise LztInputError(path, f"cannot read raster: {_cause(e)}") from e


def prepare_link(path: str | os.PathLike, *, src_crs=None, feedback: Feedback | None = None):
    """(VRT bytes, RasterInfo, facts) for linking ``path``: checks the file like an import
    does, builds its pyramid when it has no overviews, and reads its acquisition date."""
    from layers.raster import _inspect, _info, _is_categorical

    info, crs, sample = _inspect(path, src_crs)
    facts: dict = {"linked": str(Path(path).resolve())}
    try:
        with rasterio.open(path) as ds:
            tags = ds.tags()
            have = has_overviews(ds)
            categorical = _is_categorical(ds.dtypes[0], ds.count, sample, False)
    except _GDAL_ERRORS as e:
        raise LztInputError(path, f"cannot read raster: {_cause(e)}") from e
    pyramid, levels = None, 0
    if not have:
        pyramid = pyramid_path(path)
        levels = len(build_pyramid(path, pyramid, categorical=categorical, feedback=feedback))
        facts["pyramid"] = str(pyramid)
    data = link_vrt(path, pyramid, levels, crs_wkt=crs.to_wkt())
    try:
        from rasterio.io import MemoryFile

        with MemoryFile(data) as mem, mem.open() as ds:
            info = _info(ds, crs, info.vertical_datum)
    except _GDAL_ERRORS as e:
        raise LztInputError(path, f"cannot link raster: {_cause(e)}") from e
    if acquisition_date(tags):
        facts["acquired"] = acquisition_date(tags)
    return data, info, facts


__all__ = ["LINK_ABOVE_SAMPLES", "acquisition_date", "build_pyramid", "has_overviews", "is_linked",
           "link_vrt", "linked_files", "parse_date", "prepare_link", "pyramid_path", "should_link"]
