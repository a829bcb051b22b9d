"""Demo 12345 work orders: clustered on residential compounds and main roads, two years of dates.

The category taxonomy is a plausible one ([M]: the official names of Shenzhen's 18
top classes were not found, DOMAIN.md §6). Personal data (names, phones, ID numbers)
is synthetic, but shaped like the real thing, with valid ID check digits, and some
callers' names and numbers (also in groups: 138 1234 5678) turn up in 诉求内容, so that
masking has something real-looking to act on. Deterministic for a seed.

Planted events (labelled in ``demo_event``) give the warning desk (``lzt warn``) and the
briefing something real to find in the last weeks of 2025 (as of 2025-12-31):
- 施工噪声: construction noise around a building site, 4 → 10 → 24 orders in the last three
  weeks (a surge and a new hot spot);
- 停水: a water outage, 12 callers of one compound within a day in the last week (多人同诉);
- 重复来电: one caller, 6 orders about the same 占道经营 in 30 days (一人多诉);
- 违停减弱: a long-standing illegal-parking hot spot fading over the last 12 weeks (减弱热点);
- 燃气泄漏: one order in the last week whose text names a gas leak (a sensitive word).
They replace as many background orders, so the layer keeps its size.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

# cat_l1 -> (weight, [cat_l2], department)   [M] plausible, not the official catalogue
TAXONOMY = {
    "城市管理": (22, ["占道经营", "乱摆卖", "垃圾清运", "违规广告"], "区城市管理和综合执法局"),
    "噪声扰民": (18, ["施工噪声", "社会生活噪声", "交通噪声", "工业噪声"], "市生态环境局龙岗管理局"),
    "交通出行": (12, ["违章停车", "道路破损", "公交线路", "交通信号"], "区交通运输局"),
    "住房建设": (10, ["物业管理", "房屋质量", "违法建设", "燃气安全"], "区住房和建设局"),
    "市场监管": (8, ["食品安全", "价格投诉", "消费纠纷"], "市市场监管局龙岗监管局"),
    "劳动社保": (8, ["欠薪", "社保缴纳", "劳动合同"], "区人力资源局"),
    "环境保护": (6, ["空气污染", "水体污染", "油烟"], "市生态环境局龙岗管理局"),
    "水务": (5, ["停水", "内涝积水", "排水管网"], "区水务局"),
    "教育": (4, ["学位申请", "校外培训", "校园安全"], "区教育局"),
    "医疗卫生": (3, ["医疗服务", "疫苗接种", "病媒生物"], "区卫生健康局"),
    "公共安全": (2, ["治安隐患", "消防隐患"], "区应急管理局"),
    "其他": (2, ["咨询建议", "表扬"], "区政务服务数据管理局"),
}
CHANNELS = (["12345热线", "i深圳", "民意速办小程序", "网站", "网格上报"], [0.45, 0.2, 0.2, 0.05, 0.1])
STATUS = (["已办结", "已回访", "办理中", "已派单", "重办"], [0.55, 0.25, 0.1, 0.07, 0.03])
SATISFACTION = (["满意", "基本满意", "不满意", "未评价"], [0.55, 0.2, 0.08, 0.17])
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红辉鑫建国志宇浩然子轩梓涵欣怡思雨文博")


def _id_numbers(rng, n: int) -> np.ndarray:
    """18-digit resident ID numbers with valid check digits (GB 11643), Longgang region codes."""
    birth = pd.Timestamp("1950-01-01") + pd.to_timedelta(rng.integers(0, 365 * 55, n), "D")
    serial = rng.integers(0, 1000, n)
    # the 17 body digits as a (n, 17) array, written as ASCII bytes: no per-number strings
    fields = [(440307, 6), (birth.year.to_numpy(), 4), (birth.month.to_numpy(), 2), (birth.day.to_numpy(), 2),
              (serial, 3)]
    digits = np.concatenate([(np.asarray(v, dtype=np.int64)[..., None] // 10 ** np.arange(w - 1, -1, -1)) % 10
                             * np.ones((n, 1), dtype=np.int64) for v, w in fields], axis=1)
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    check = np.frombuffer(b"10X98765432", dtype=np.uint8)[(digits @ weights) % 11]
    ascii_ = np.concatenate([(digits + 48).astype(np.uint8), check[:, None]], axis=1)
    return np.ascontiguousarray(ascii_).view("S18").ravel().astype(str)


def point_table(poi: gpd.GeoDataFrame) -> pd.DataFrame:
    """What ``generate_complaints`` reads of the POIs: name, category and x, y columns, in the
    same row order (a fraction of the memory of 1M point geometries, sent to its process)."""
    return pd.DataFrame({"name": poi["name"], "category": poi["category"],
                         "x": poi.geometry.x.to_numpy(), "y": poi.geometry.y.to_numpy()}, index=poi.index)


def _xy(points: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The coordinates of a point frame: its geometry's, or its x and y columns (``point_table``)."""
    if isinstance(points, gpd.GeoDataFrame):
        return points.geometry.x.to_numpy(), points.geometry.y.to_numpy()
    return points["x"].to_numpy(dtype=float), points["y"].to_numpy(dtype=float)


def generate_complaints(poi: gpd.GeoDataFrame | pd.DataFrame, roads: gpd.GeoDataFrame, communities: gpd.GeoDataFrame,
                        n: int, seed: int, site: tuple[float, float] | None = None,
                        plates: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """``n`` work orders: 70 % at residential compounds, 20 % along main roads, 10 % elsewhere, of
    which a few hundred are the planted events (the construction noise around ``site``).

    With ``plates`` (``lzt.demo.doorplates``), some addresses are written at 门牌 level: most
    road orders as ``<road><n>号`` (the number of where the caller stood, by the plate numbering
    rule), a quarter of the compound orders as ``<compound><k>栋`` (the compound's building
    nearest the caller, when one is within 60 m)."""
    rng = np.random.default_rng(seed + 12345)  # ``poi``: the POI layer, or its ``point_table``
    homes = poi[poi["category"] == "住宅小区"]
    planted = _planted(np.random.default_rng(seed + 777), homes, site)
    total, n = n, n - len(planted)
    n_home, n_road = int(n * 0.7), int(n * 0.2)
    n_other = n - n_home - n_road
    hx, hy = _xy(homes)
    pull = rng.lognormal(0, 1.0, len(homes))  # some compounds complain far more
    pick = rng.choice(len(homes), n_home, p=pull / pull.sum())
    x = [hx[pick] + rng.normal(0, 35, n_home)]
    y = [hy[pick] + rng.normal(0, 35, n_home)]
    main = roads[roads["road_class"].isin(["主干路", "次干路"])]
    lines = np.asarray(main.geometry.values, dtype=object)
    li = rng.choice(len(lines), n_road, p=shapely.length(lines) / shapely.length(lines).sum())
    on = shapely.line_interpolate_point(lines[li], rng.uniform(0, 1, n_road), normalized=True)
    x.append(shapely.get_x(on) + rng.normal(0, 15, n_road))
    y.append(shapely.get_y(on) + rng.normal(0, 15, n_road))
    other = poi.sample(n_other, random_state=int(rng.integers(0, 2**31)))
    ox, oy = _xy(other)
    x.append(ox + rng.normal(0, 50, n_other))
    y.append(oy + rng.normal(0, 50, n_other))
    x, y = np.concatenate(x), np.concatenate(y)
    where = np.concatenate([pick, np.full(n_road + n_other, -1)])
    compound = np.where(where >= 0, homes["name"].to_numpy()[np.maximum(where, 0)], None)
    address = compound.copy()
    if plates is not None:
        road_of = np.concatenate([np.full(n_home, -1), li, np.full(n_other, -1)])
        address = _plate_addresses(np.random.default_rng(seed + 3131), address, x, y, road_of, lines,
                                   main["name"].to_numpy(dtype=object), compound, plates, n_home)

    cats = list(TAXONOMY)
    w = np.array([TAXONOMY[c][0] for c in cats], dtype=float)
    c1 = rng.choice(len(cats), n, p=w / w.sum())
    cat_l1 = np.array(cats, dtype=object)[c1]
    # table lookups, not a loop over orders: every order of a class shares its strings
    l2_table = np.array([[TAXONOMY[c][1][j % len(TAXONOMY[c][1])] for j in range(12)] for c in cats], dtype=object)
    text_table = np.array([[f"{c}：{s}问题，请尽快处理" for s in row] for c, row in zip(cats, l2_table)], dtype=object)
    c2 = rng.integers(0, 12, n)
    cat_l2 = l2_table[c1, c2]
    dept = np.array([TAXONOMY[c][2] for c in cats], dtype=object)[c1]
    # two years, more on weekdays and in summer (noise, water), growing slowly
    day = rng.choice(731, n, p=_day_weights())
    received = (pd.Timestamp("2024-01-01") + pd.to_timedelta(day, "D")
                + pd.to_timedelta(rng.integers(7 * 3600, 23 * 3600, n), "s"))
    x, y = np.concatenate([x, planted["x"]]), np.concatenate([y, planted["y"]])
    compound = np.concatenate([compound, planted["compound"].to_numpy(dtype=object)])
    address = np.concatenate([address, planted["compound"].to_numpy(dtype=object)])
    cat_l1 = np.concatenate([cat_l1, planted["cat_l1"].to_numpy(dtype=object)])
    cat_l2 = np.concatenate([cat_l2, planted["cat_l2"].to_numpy(dtype=object)])
    dept = np.concatenate([dept, [TAXONOMY[c][2] for c in planted["cat_l1"]]]).astype(object)
    received = pd.DatetimeIndex(np.concatenate([received.to_numpy(), planted["received_at"].to_numpy()]))
    n = total
    status = rng.choice(STATUS[0], n, p=STATUS[1])
    closed = received + pd.to_timedelta(rng.gamma(2.0, 2.5, n) * 86400, "s")
    closed = pd.Series(closed).where(np.isin(status, ["已办结", "已回访"]), pd.NaT)
    name = np.char.add(np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)],
                       np.char.add(np.array(GIVEN)[rng.integers(0, len(GIVEN), n)],
                                   np.where(rng.random(n) < 0.6, np.array(GIVEN)[rng.integers(0, len(GIVEN), n)], "")))
    phone = np.char.add(np.array(["13", "15", "17", "18", "19"])[rng.integers(0, 5, n)],
                        np.char.zfill(rng.integers(0, 10**9, n).astype(str), 9))
    event = np.concatenate([np.full(n - len(planted), None, dtype=object), planted["event"].to_numpy(dtype=object)])
    content = np.concatenate([text_table[c1, c2], planted["content"].to_numpy(dtype=object)])  # planted: their text
    caller = event == "重复来电"
    phone[caller], name[caller] = "13602461357", "陈建国"
    mention = rng.random(n) < 0.05  # some citizens leave their number in the text
    content[mention] = [f"{t}，回电{p}" for t, p in zip(content[mention], phone[mention])]
    # as operators write it down: callers' own names, numbers read out in groups (own stream,
    # so that the other columns stay as they were)
    talk = np.random.default_rng(seed + 54321)
    named = talk.random(n) < 0.04
    content[named] = [f"{c}反映{t}" for c, t in zip(name[named], content[named])]
    grouped = ~mention & (talk.random(n) < 0.02)
    content[grouped] = [f"{t}，联系电话{p[:3]} {p[3:7]} {p[7:]}" for t, p in zip(content[grouped], phone[grouped])]
    columns = {
        "received_at": received.to_numpy(), "channel": rng.choice(CHANNELS[0], n, p=CHANNELS[1]),
        "appeal_type": rng.choice(["投诉", "求助", "咨询", "建议", "举报"], n, p=[0.5, 0.2, 0.2, 0.05, 0.05]),
        "cat_l1": cat_l1, "street": None, "community": None, "cat_l2": cat_l2,
        "address": np.where(address == None, None, address),  # noqa: E711
        "content": content, "dept": dept, "status": status, "closed_at": closed.to_numpy(),
        "satisfaction": rng.choice(SATISFACTION[0], n, p=SATISFACTION[1]),
        "citizen_name": name, "citizen_phone": phone, "citizen_id": _id_numbers(rng, n),
        "location_source": np.full(n, "wgs84"), "demo_event": event,
    }
    del received, cat_l1, cat_l2, compound, address, content, dept, status, closed, name, phone, event  # in columns
    from lzt.demo.generate import _locate

    at = _locate(x, y, communities)
    inside = at >= 0
    columns["street"] = np.where(inside, communities["street"].to_numpy()[np.maximum(at, 0)], None)
    columns["community"] = np.where(inside, communities["name"].to_numpy()[np.maximum(at, 0)], None)
    # in date order (the order_id follows it), taken column by column: no sorted copy of a whole frame
    order = np.argsort(columns["received_at"], kind="stable")
    for k in columns:  # one column at a time: an unsorted one is freed as its sorted copy is made
        columns[k] = columns[k][order]
    gdf = gpd.GeoDataFrame({"order_id": np.char.add("LG2", np.char.zfill(np.arange(n).astype(str), 8)), **columns},
                           geometry=shapely.points(x[order], y[order]), crs="EPSG:4547")
    return gdf


def _plate_addresses(rng, address: np.ndarray, x: np.ndarray, y: np.ndarray, road_of: np.ndarray, lines: np.ndarray,
                     road_names: np.ndarray, compound: np.ndarray, plates: gpd.GeoDataFrame,
                     n_home: int) -> np.ndarray:
    """``address`` with 门牌 forms for some orders (see ``generate_complaints``)."""
    from lzt.demo.doorplates import plate_number, side_of

    address = address.copy()
    on_road = np.flatnonzero((road_of >= 0) & (rng.random(len(address)) < 0.8))
    for li in np.unique(road_of[on_road]).tolist():
        sel = on_road[road_of[on_road] == li]
        d, left = side_of(lines[li], x[sel], y[sel])
        num = plate_number(d, left)
        address[sel] = [f"{road_names[li]}{k}号" for k in num.tolist()]
    homes = np.flatnonzero(rng.random(len(address)) < 0.25)
    homes = homes[(homes < n_home) & (compound[homes] != None)]  # noqa: E711
    blocks = plates[plates["category"] == "楼栋"]
    if len(homes) and len(blocks):
        pts = np.asarray(blocks.geometry.values, dtype=object)
        tree = shapely.STRtree(pts)
        at, nearest = tree.query_nearest(shapely.points(x[homes], y[homes]), max_distance=60.0, all_matches=False)
        same = blocks["compound"].to_numpy(dtype=object)[nearest] == compound[homes[at]]
        address[homes[at[same]]] = blocks["doorplate"].to_numpy(dtype=object)[nearest[same]]
    return address


def _planted(rng, homes: pd.DataFrame, site: tuple[float, float] | None) -> pd.DataFrame:
    """The labelled events (see the module doc): x, y, compound, cat_l1, cat_l2, received_at, content, event."""
    (hx, hy), names = _xy(homes), homes["name"].to_numpy()
    order = np.argsort(np.hypot(hx - 521_253, hy - 2_510_854), kind="stable")  # compounds by distance from the centre
    rows = []

    def add(k, x, y, spread, compound, c1, c2, days, text, label):
        for i in range(k):
            rows.append((x + rng.normal(0, spread), y + rng.normal(0, spread), compound, c1, c2, days[i], text, label))

    end = pd.Timestamp("2026-01-01")
    sx, sy = site if site is not None else (hx[order[40]] + 400.0, hy[order[40]])
    for weeks_back, k in ((3, 4), (2, 10), (1, 24)):  # construction noise, growing
        t0 = end - pd.Timedelta(weeks=weeks_back)
        add(k, sx, sy, 60, None, "噪声扰民", "施工噪声",
            t0 + pd.to_timedelta(np.sort(rng.uniform(0, 7 * 86400, k)), "s"), "工地夜间施工噪声扰民，影响休息", "施工噪声")
    w = order[5]  # the water outage: one compound, one day
    add(12, hx[w], hy[w], 25, names[w], "水务", "停水",
        end - pd.Timedelta(days=4) + pd.to_timedelta(np.sort(rng.uniform(7 * 3600, 20 * 3600, 12)), "s"),
        f"{names[w]}停水一天，没有提前通知", "停水")
    c = order[12]  # one caller, the same stall, six times in a month
    add(6, hx[c], hy[c], 10, names[c], "城市管理", "占道经营",
        end - pd.to_timedelta(np.array([29, 23, 17, 11, 6, 2]), "D") + pd.Timedelta(hours=9),
        "小区门口占道经营，多次反映未解决", "重复来电")
    f = order[25]  # a fading illegal-parking hot spot: 30 a week from June, down to 8 by December
    weekly = np.r_[np.full(17, 30), np.linspace(28, 8, 12).round().astype(int)]
    for i, k in enumerate(weekly):
        t0 = end - pd.Timedelta(weeks=len(weekly) - i)
        add(int(k), hx[f] + 150, hy[f], 40, None, "交通出行", "违章停车",
            t0 + pd.to_timedelta(np.sort(rng.uniform(0, 7 * 86400, int(k))), "s"), "路口违章停车堵塞交通", "违停减弱")
    g = order[33]
    add(1, hx[g], hy[g], 5, names[g], "住房建设", "燃气安全", [end - pd.Timedelta(days=3, hours=-10)],
        "楼道里有燃气泄漏的味道，请尽快派人检查", "燃气泄漏")
    return pd.DataFrame(rows, columns=["x", "y", "compound", "cat_l1", "cat_l2", "received_at", "content", "event"])


def _day_weights() -> np.ndarray:
    d = pd.date_range("2024-01-01", periods=731, freq="D")
    w = (1.0 + 0.25 * np.sin((d.day_of_year.to_numpy() - 100) / 365 * 2 * np.pi)
         + np.where(d.day_of_week.to_numpy() < 5, 0.2, 0.0) + np.linspace(0, 0.3, 731))
    return w / w.sum()
