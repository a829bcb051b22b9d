"""GeoJSON output of query results (in the workspace CRS, with a top-level count)."""

from __future__ import annotations

import json
import math
from datetime import date, datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely


def _value(v):
    if v is None or v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, (pd.Timestamp, datetime, date)):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray)):
        return v.hex()
    return v


def feature_collection(gdf: gpd.GeoDataFrame, crs: str) -> str:
    """A GeoJSON FeatureCollection string; feature ``id`` is the workspace fid."""
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    gj = shapely.to_geojson(geoms)
    props = gdf.drop(columns=[gdf.geometry.name])
    cols = list(props.columns)
    rows = props.astype(object).itertuples(index=False, name=None)
    feats = []
    for fid, g, row in zip(gdf.index, gj, rows):
        p = json.dumps({c: _value(v) for c, v in zip(cols, row)}, ensure_ascii=False)
        feats.append(f'{{"type":"Feature","id":{int(fid)},"geometry":{g if g is not None else "null"},'
                     f'"properties":{p}}}')
    code = crs.split(":")[-1] if crs.upper().startswith("EPSG:") else None
    crs_member = (f',"crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::{code}"}}}}'
                  if code else "")
    return (f'{{"type":"FeatureCollection","count":{len(feats)}{crs_member},'
            f'"features":[{",".join(feats)}]}}')
