"""Digests of what a demo workspace holds, to show that a change to the builder keeps its contents.

``stored_digests(path)``: per layer, a SHA-256 of its stored rows in fid order (every column,
geometry blobs as stored), of each raster's bytes, of the BIM meshes and of the demo
settings. Two builds of the same seed by two versions of the builder compare equal when
they stored the same bytes. Left out, because they differ from build to build whatever
the code: the IFC files' paths and hashes (``bim_models.source``/``source_hash``: IFC
headers carry a timestamp and random GlobalIds), the build's time and lzt version, and the
stamp inside packed blobs (the polygon caches of parcels and buildings are keyed with their
layer's ``last_change`` time; their arrays are compared).

``frame_rows(gdf)``: the rows of a frame as sorted canonical texts (date-times to the
millisecond, as stored), so that a layer read back from a workspace can be compared with
the frame a generator made in memory.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import sqlite3
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

#: columns that differ between two builds of the same seed whatever the code
VOLATILE = {"bim_models": ("source", "source_hash")}


def _h(*parts) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else repr(p).encode())
    return h.hexdigest()


def _blob_digest(data: bytes) -> str:
    """SHA-256 of a blob; of a packed one (``lzt.workspace.packed``) without its stamp."""
    from lzt.workspace.packed import _MAGIC

    data = bytes(data)
    if not data.startswith(_MAGIC):
        return _h(data)
    start = len(_MAGIC) + 8
    (n,) = struct.unpack("<Q", data[len(_MAGIC):start])
    head = json.loads(data[start:start + n].decode("utf-8"))
    head.pop("stamp", None)
    return _h(json.dumps(head, sort_keys=True), data[start + n:])


def stored_digests(path: str | Path) -> dict[str, str]:
    """{layer or part: SHA-256} of the demo workspace at ``path`` (read only)."""
    conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    try:
        out = {}
        for name, kind in conn.execute("SELECT name, kind FROM lzt_layers ORDER BY name").fetchall():
            if kind == "raster":
                (data,) = conn.execute("SELECT data FROM lzt_rasters WHERE name = ?", (name,)).fetchone()
                out[name] = _h(data)
                continue
            cur = conn.execute(f'SELECT * FROM "{name}" ORDER BY fid')
            cols = [d[0] for d in cur.description]
            keep = [i for i, c in enumerate(cols) if c not in VOLATILE.get(name, ())]
            h = hashlib.sha256(repr([cols[i] for i in keep]).encode())
            for row in cur:
                h.update(repr([row[i] for i in keep]).encode())
            out[name] = h.hexdigest()
        blobs = conn.execute("SELECT kind, key, data FROM lzt_blobs").fetchall()
        out["blobs"] = _h(*sorted((k, Path(key).name, _blob_digest(d)) for k, key, d in blobs))
        settings = dict(conn.execute("SELECT key, value FROM lzt_settings").fetchall())
        demo = json.loads(settings.get("demo", "{}"))
        for k in ("seconds", "version"):
            demo.pop(k, None)
        out["settings"] = _h(demo, settings.get("demo_bim_plan"))
        return out
    finally:
        conn.close()


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return "∅"
    if isinstance(v, (bool, np.bool_)):
        return str(int(v))
    if isinstance(v, datetime.date):  # dates come back from a workspace as midnight time stamps
        v = pd.Timestamp(v)
    if isinstance(v, (pd.Timestamp, np.datetime64)):
        t = pd.Timestamp(v)
        if pd.isna(t):
            return "∅"
        t = t.floor("ms")  # as a workspace stores it
        return (t.tz_convert("UTC").tz_localize(None) if t.tzinfo else t).isoformat()
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return str(v)


def frame_rows(gdf, columns: list[str] | None = None) -> list[str]:
    """The rows of ``gdf`` (geometry as 2D WKB, then ``columns``) as sorted canonical texts."""
    columns = columns if columns is not None else [c for c in gdf.columns if c != gdf.geometry.name]
    wkb = shapely.to_wkb(np.asarray(gdf.geometry.values, dtype=object), output_dimension=2, hex=True)
    cells = [[_cell(v) for v in gdf[c].astype(object).to_numpy()] for c in columns]
    return sorted("|".join([w, *row]) for w, *row in zip(wkb, *cells))
