"""A small complaint workspace for the warning desk's tests: a steady background and planted events.

Background: 30 sites on a 5 km square, each with steady Poisson rates for three categories,
records within ~40 m of their site, random callers, over ``weeks`` weeks ending on AS_OF.
Planted in the last week (2025-06-24 … 2025-06-30, AS_OF a Monday-to-Sunday week's end):
- a construction-noise burst at a site that never had any (20 orders, 施工噪声);
- a water outage: 7 distinct callers within 60 m and 2 days (停水);
- one caller with 4 orders in 20 days (phone 13912345678, name 张三丰, ID below);
- 3 orders of one category at one address (幸福花园3栋1201室);
- one order whose text says 燃气泄漏.
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

AS_OF = date(2025, 6, 30)
REPEAT_PHONE = "13912345678"
REPEAT_NAME = "张三丰"
REPEAT_ID = "440307199001011237"
NOISE_SITE = (502_450.0, 2_502_450.0)
WATER_SITE = (504_030.0, 2_501_030.0)
CATS = {"噪声扰民": ["施工噪声", "社会生活噪声"], "城市管理": ["占道经营", "垃圾清运"], "水务": ["停水", "排水管网"]}


def _phones(rng, n):
    return np.char.add("13", np.char.zfill(rng.integers(0, 10**9, n).astype(str), 9))


def complaints_frame(weeks: int = 60, seed: int = 7, planted: bool = True) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    end = pd.Timestamp(AS_OF) + pd.Timedelta(days=1)
    start = end - pd.Timedelta(weeks=weeks)
    sites = np.column_stack([rng.uniform(500_000, 505_000, 30), rng.uniform(2_500_000, 2_505_000, 30)])
    rows = []
    for s, (sx, sy) in enumerate(sites):
        for cat in CATS:
            rate = rng.uniform(0.3, 2.0)  # per week
            n = rng.poisson(rate * weeks)
            t = start + pd.to_timedelta(rng.uniform(0, weeks * 7 * 86400, n), "s")
            for k in range(n):
                rows.append((t[k], cat, CATS[cat][k % 2], sx + rng.normal(0, 40), sy + rng.normal(0, 40), None, None))
    last_week = end - pd.Timedelta(days=7)
    if planted:
        for k in range(20):
            rows.append((last_week + pd.Timedelta(hours=8 + 7 * k), "噪声扰民", "施工噪声",
                         NOISE_SITE[0] + rng.normal(0, 30), NOISE_SITE[1] + rng.normal(0, 30), None, None))
        for k in range(7):
            rows.append((last_week + pd.Timedelta(days=2, hours=3 * k), "水务", "停水",
                         WATER_SITE[0] + rng.normal(0, 15), WATER_SITE[1] + rng.normal(0, 15), None, None))
        for k, d in enumerate((-19, -12, -6, -2)):
            rows.append((end + pd.Timedelta(days=d, hours=10), "城市管理", "占道经营", sites[3, 0], sites[3, 1],
                         "caller", None))
        for d in (-25, -9, -1):
            rows.append((end + pd.Timedelta(days=d, hours=15), "城市管理", "垃圾清运", sites[5, 0], sites[5, 1],
                         None, "深圳市龙岗区幸福花园3栋1201室"))
        rows.append((end - pd.Timedelta(days=3), "城市管理", "垃圾清运", sites[7, 0], sites[7, 1], "gas", None))
    df = pd.DataFrame(rows, columns=["received_at", "cat_l1", "cat_l2", "x", "y", "who", "address"])
    df = df.sort_values("received_at", kind="stable").reset_index(drop=True)
    n = len(df)
    phone = _phones(rng, n).astype(object)
    name = np.array(["李四"] * n, dtype=object)
    ident = np.array(["440307198502023334"] * n, dtype=object)
    caller = (df["who"] == "caller").to_numpy()
    phone[caller] = np.where(np.arange(caller.sum()) % 2 == 0, REPEAT_PHONE, "+86 139-1234-5678")
    name[caller] = REPEAT_NAME
    ident[caller] = REPEAT_ID
    content = np.array([f"{a}：{b}问题" for a, b in zip(df["cat_l1"], df["cat_l2"])], dtype=object)
    content[caller] = f"占道经营，联系人{REPEAT_NAME}，电话{REPEAT_PHONE}"
    content[(df["who"] == "gas").to_numpy()] = "小区楼道有燃气泄漏的气味，请尽快处理"
    community = np.where(df["x"] < 502_500, np.where(df["y"] < 2_502_500, "南社区", "北社区"),
                         np.where(df["y"] < 2_502_500, "东南社区", "东北社区"))
    return gpd.GeoDataFrame({
        "order_id": [f"T{i:06d}" for i in range(n)],
        "received_at": df["received_at"].dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy(),
        "cat_l1": df["cat_l1"].to_numpy(), "cat_l2": df["cat_l2"].to_numpy(),
        "street": "测试街道", "community": community, "address": df["address"].to_numpy(),
        "content": content, "status": np.where(np.arange(n) % 4 == 0, "办理中", "已办结"),
        "satisfaction": np.where(np.arange(n) % 5 == 0, "不满意", "满意"),
        "citizen_name": name, "citizen_phone": phone, "citizen_id": ident,
    }, geometry=shapely.points(df["x"].to_numpy(), df["y"].to_numpy()), crs="EPSG:4547")


def communities_frame() -> gpd.GeoDataFrame:
    boxes = [shapely.box(500_000 - 500, 2_500_000 - 500, 502_500, 2_502_500),
             shapely.box(500_000 - 500, 2_502_500, 502_500, 2_505_500),
             shapely.box(502_500, 2_500_000 - 500, 505_500, 2_502_500),
             shapely.box(502_500, 2_502_500, 505_500, 2_505_500)]
    return gpd.GeoDataFrame({"name": ["南社区", "北社区", "东南社区", "东北社区"], "street": "测试街道"},
                            geometry=boxes, crs="EPSG:4547")


def make_workspace(path, **kw):
    """A GeoPackage workspace with layers ``complaints`` and ``communities``."""
    from lzt.workspace import create_workspace

    ws = create_workspace(path)
    ws.write_layer("complaints", complaints_frame(**kw), kind="complaints", source="test")
    ws.write_layer("communities", communities_frame(), source="test")
    return ws
