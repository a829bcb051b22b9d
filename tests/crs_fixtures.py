"""Files of each lon/lat class, made from the demo workspace's own layers (so the truth is
known): a DataV-like district GeoJSON in GCJ-02, an Amap-POI-like CSV (GCJ-02), a Baidu
CSV (BD-09), a plain WGS84 GeoJSON. Coordinates carry a few metres of noise, as real
web data does next to a survey.

The DataV file takes its codes from the real modood ``areas.csv`` (WTFPL, see
../shared/data/real/SOURCES.md) when present: 440307 龙岗区 in city 4403, province 44.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from lzt.core import chinacoords

TO_LONLAT = Transformer.from_crs("EPSG:4547", "EPSG:4326", always_xy=True)
NOISE_M = 6.0  # amplitude of the displacement added to each coordinate, metres


def _lonlat(geoms: np.ndarray, datum: str, rng, noise_m: float = NOISE_M) -> np.ndarray:
    """EPSG:4547 geometries -> lon/lat in ``datum`` (with noise added in metres first)."""
    forward = {"wgs84": lambda x, y: (x, y), "gcj02": chinacoords.wgs84_to_gcj02,
               "bd09": chinacoords.wgs84_to_bd09}[datum]

    phase = rng.uniform(0, 2 * np.pi, 4)

    def apply(xy):
        # A smooth displacement field (up to noise_m per axis, wavelengths of 180-330 m): the
        # same point moves the same way wherever it occurs, so rings stay closed and shared
        # boundaries shared, as in a digitisation of its own.
        x, y = xy[:, 0], xy[:, 1]
        xy = xy + noise_m * np.column_stack([np.sin(x / 37 + phase[0]) * np.cos(y / 53 + phase[1]),
                                             np.cos(x / 41 + phase[2]) * np.sin(y / 29 + phase[3])])
        lon, lat = TO_LONLAT.transform(xy[:, 0], xy[:, 1])
        return np.column_stack(forward(lon, lat))

    return shapely.transform(geoms, apply)


def _codes(real: Path | None) -> dict:
    codes = {"code": 440307, "name": "龙岗区", "city": 4403, "province": 44}
    areas = None if real is None else real / "vector" / "areas.csv"
    if areas is not None and areas.exists():
        row = pd.read_csv(areas, dtype=str).set_index("code").loc["440307"]
        codes.update(name=row["name"], city=int(row["cityCode"]), province=int(row["provinceCode"]))
    return codes


def datav_geojson(ws, path: Path, *, real: Path | None = None, datav_fields: bool = True,
                  seed: int = 7) -> Path:
    """The district and its streets as DataV GeoAtlas writes them (GCJ-02, adcode/acroutes/
    parent/center/centroid/level/childrenNum/subFeatureIndex)."""
    rng = np.random.default_rng(seed)
    c = _codes(real)
    district = ws.read_features("district", columns=[])
    streets = ws.read_features("streets", columns=["name"])
    geoms = np.concatenate([np.asarray(district.geometry.values, dtype=object),
                            np.asarray(streets.geometry.values, dtype=object)])
    names = [c["name"]] + [f"{n}街道" for n in streets["name"]]
    gcj = _lonlat(geoms, "gcj02", rng)
    city, province = c["city"] * 100, c["province"] * 10_000
    features = []
    for i, (g, name) in enumerate(zip(gcj, names)):
        centroid = shapely.centroid(g)
        props = {"name": name}
        if datav_fields:
            props.update(adcode=c["code"] if i == 0 else c["code"] * 1000 + i, level="district" if i == 0 else "street",
                         center=[round(centroid.x, 6), round(centroid.y, 6)],
                         centroid=[round(centroid.x, 6), round(centroid.y, 6)],
                         childrenNum=len(names) - 1 if i == 0 else 0, subFeatureIndex=i,
                         acroutes=[100000, province, city] + ([] if i == 0 else [c["code"]]),
                         parent={"adcode": city if i == 0 else c["code"]})
        features.append({"type": "Feature", "properties": props,
                         "geometry": json.loads(shapely.to_geojson(g, indent=None))})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def _poi_sample(ws, n: int, seed: int):
    poi = ws.read_features("poi", columns=["name", "category"])
    rng = np.random.default_rng(seed)
    pick = np.sort(rng.choice(len(poi), n, replace=False))
    return poi.iloc[pick].reset_index(drop=True), rng


def _amap_ids(rng, n: int) -> list[str]:
    """Amap POI ids: "B0" and eight capital letters or digits."""
    alphabet = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return ["B0" + "".join(rng.choice(alphabet, 8)) for _ in range(n)]


def amap_poi_csv(ws, path: Path, *, n: int = 400, seed: int = 11) -> Path:
    """Amap place-search results as a crawler saves them: B0… ids, six-digit typecodes,
    GCJ-02 lng/lat with six decimals."""
    poi, rng = _poi_sample(ws, n, seed)
    pts = _lonlat(np.asarray(poi.geometry.values, dtype=object), "gcj02", rng, noise_m=2.0)
    df = pd.DataFrame({"id": _amap_ids(rng, n), "name": poi["name"], "type": poi["category"],
                       "typecode": rng.choice(["050000", "060101", "141201", "120302"], n),
                       "address": ["龙岗区某路" + str(i) + "号" for i in range(n)], "pname": "广东省",
                       "cityname": "深圳市", "adname": "龙岗区",
                       "lng": np.round(shapely.get_x(pts), 6), "lat": np.round(shapely.get_y(pts), 6)})
    df.to_csv(path, index=False, encoding="utf-8")
    return path


def baidu_csv(ws, path: Path, *, n: int = 400, seed: int = 13, columns=("lng", "lat"),
              uid: bool = True) -> Path:
    """Baidu place results: 24-hex-digit uids, BD-09 lon/lat."""
    poi, rng = _poi_sample(ws, n, seed)
    pts = _lonlat(np.asarray(poi.geometry.values, dtype=object), "bd09", rng, noise_m=2.0)
    df = pd.DataFrame({"name": poi["name"], "address": ["龙岗大道" + str(i) + "号" for i in range(n)],
                       columns[0]: np.round(shapely.get_x(pts), 6), columns[1]: np.round(shapely.get_y(pts), 6)})
    if uid:
        df.insert(0, "uid", ["".join(rng.choice(list("0123456789abcdef"), 24)) for _ in range(n)])
    df.to_csv(path, index=False, encoding="utf-8")
    return path


def wgs84_roads_geojson(ws, path: Path, *, n: int = 150, seed: int = 17) -> Path:
    """Some of the demo's roads as a plain WGS84 GeoJSON (no provenance at all)."""
    roads = ws.read_features("roads", columns=["name"])
    rng = np.random.default_rng(seed)
    pick = np.sort(rng.choice(len(roads), min(n, len(roads)), replace=False))
    geoms = _lonlat(np.asarray(roads.geometry.values, dtype=object)[pick], "wgs84", rng)
    features = [{"type": "Feature", "properties": {"name": str(nm)},
                 "geometry": json.loads(shapely.to_geojson(g))}
                for g, nm in zip(geoms, roads["name"].to_numpy()[pick])]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def far_amap_csv(path: Path, *, n: int = 60, seed: int = 19) -> Path:
    """Amap POIs in Guangzhou (GCJ-02): in China, outside a Longgang workspace."""
    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(113.25, 113.35, n), rng.uniform(23.10, 23.16, n)
    glon, glat = chinacoords.wgs84_to_gcj02(lon, lat)
    pd.DataFrame({"id": _amap_ids(rng, n),
                  "name": [f"店{i}" for i in range(n)], "typecode": "050000",
                  "lng": np.round(glon, 6), "lat": np.round(glat, 6)}).to_csv(path, index=False)
    return path
