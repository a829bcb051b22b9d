"""Writing an export file in a child process (``lzt.core.child_process``).

pyogrio holds the GIL for the whole write of a layer (1 s+ at district scale), which in a
worker thread stalls the GUI's event loop. The reading, masking by lineage and the audit of
an unmasked export stay where they were (``for_output`` on the worker's own workspace
connection); only the finished frame crosses to the child, through a file of one pickle per
column (each dump a short hold of the GIL), and only the child writes the output. The child
never opens the workspace.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from lzt.core.feedback import Feedback


def save_frame(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Store ``gdf`` (geometry as WKB, index, CRS, dtypes) for ``load_frame``."""
    geom = gdf.geometry.name
    with open(path, "wb") as fh:
        head = {"columns": list(gdf.columns), "geometry": geom, "crs": gdf.crs, "index": gdf.index}
        pickle.dump(head, fh, protocol=pickle.HIGHEST_PROTOCOL)
        for col in gdf.columns:
            values = shapely.to_wkb(np.asarray(gdf[col].array)) if col == geom else gdf[col]
            pickle.dump(values, fh, protocol=pickle.HIGHEST_PROTOCOL)


def load_frame(path: Path) -> gpd.GeoDataFrame:
    """The frame ``save_frame`` stored."""
    import pandas as pd

    with open(path, "rb") as fh:
        head = pickle.load(fh)
        data = {}
        for col in head["columns"]:
            values = pickle.load(fh)
            if col == head["geometry"]:
                values = gpd.GeoSeries(shapely.from_wkb(values), index=head["index"], crs=head["crs"])
            data[col] = values
    frame = pd.DataFrame(data, index=head["index"], columns=head["columns"])
    return gpd.GeoDataFrame(frame, geometry=head["geometry"], crs=head["crs"])


def write_saved_frame(path: str, out: str, crs: str | None, layer: str, fb: Feedback) -> str:
    """In the child: load the stored frame and ``export_features`` it to ``out``."""
    from lzt.export.data import export_features

    return str(export_features(load_frame(Path(path)), out, crs=crs, layer=layer))


def remove_partial(out: str) -> None:
    """Remove what a stopped ``export_features`` left beside ``out``: its temporary dataset and
    the files GDAL keeps beside it while writing (a GeoPackage's ``-journal``/``-wal``/``-shm``
    and ``.tmp_rtree_<layer>.db``; a child killed mid-write left them)."""
    import glob

    from lzt.export.data import _remove_dataset

    target = Path(out)
    tmp = target.parent / f".{target.stem}.lzt-tmp{target.suffix.lower()}"
    _remove_dataset(tmp)
    for side in target.parent.glob(glob.escape(tmp.name) + "*"):
        if side.is_file():
            side.unlink(missing_ok=True)
