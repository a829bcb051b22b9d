"""Geocoding Shenzhen addresses against the workspace's gazetteer, hierarchically.

An address is read into its parts (``lzt.search.address``), then matched from the top down:
the street (or an old township's streets), the community inside it, and within that area the
finest thing the address names: a named point or compound (小区/门牌), else the stretch of the
named road inside the area (道路), else the community (社区) or the street (街道). A name is looked
for inside the community first, then within ``NEAR_AREA`` m of it (a record's community may come
from where it was reported, just across a boundary), then in the street; only when the address
gives no area at all is the whole district searched, and then the name must be unique.

Nothing is placed at a guess: several places of the same name in the area (more than
``SAME_PLACE`` m apart) and no road to tell them apart, a community that is not in the street
given, a place outside the district: the record falls back to the level that is certain, or
stays unplaced, and ``reason`` says why. A misspelt compound name (one character added, left
out or wrong) is matched only inside a known area and only when one name fits.

``confidence`` (0..1) starts from the level (门牌 .95, 小区 .9, 道路 .7, 社区 .6, 街道 .5) and is
lowered for each thing that had to be assumed (a misspelling, a name found only district-wide or
only near the community, an address at odds with itself, an old township name).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import shapely

from lzt.search import doorplate, fuzzy, text
from lzt.search.address import SLOT_RANK, ParsedAddress, Part, parse_address
from lzt.search.gazetteer import Gazetteer
from lzt.workspace.base import Workspace

BASE_CONFIDENCE = {"门牌": 0.95, "小区": 0.9, "道路": 0.7, "社区": 0.6, "街道": 0.5}
#: metres around a community within which its names are still looked for
NEAR_AREA = 300.0
#: candidates this close together are one place (a compound and its own POI, say)
SAME_PLACE = 100.0
#: a named point this close to the named road is "on" it (to tell same-named places apart)
ON_ROAD = 150.0
#: a road without an area is placed only if all its pieces fit in this diagonal
ROAD_SPREAD = 1500.0
#: a compound's building plates stand within this distance of its point [M: demo layout]
BLOCK_REACH = 300.0


@dataclass
class Geocoded:
    """The result for one address: where, at what level, how sure, and why not finer."""

    level: str | None  # 门牌 小区 道路 社区 街道; None: unplaced
    x: float | None = None
    y: float | None = None
    confidence: float = 0.0
    matched: str = ""  # the names it was placed by, coarse to fine
    reason: str = ""  # why unplaced, or why not finer than the address asks
    parsed: dict = field(default_factory=dict)

    @property
    def location_source(self) -> str | None:
        return None if self.level is None else f"geocoded:{self.level}"


class Geocoder:
    """Geocodes addresses against one gazetteer (areas and roads read once, on demand)."""

    def __init__(self, ws: Workspace, gz: Gazetteer) -> None:
        self.ws, self.gz = ws, gz
        self._shapes: dict[int, object] = {}
        self._lock = threading.Lock()
        self._fuzzy: dict[str, list[int]] | None = None
        self.level = gz.col("level")
        self.norm = gz.col("norm")
        self.x, self.y = gz.col("x"), gz.col("y")

    # -- shapes of gazetteer rows ------------------------------------------------------------
    def shape(self, row: int):
        """The geometry of gazetteer row ``row`` (areas, roads), read once."""
        with self._lock:
            g = self._shapes.get(row)
            if g is None:
                layer, fid = self.gz.col("layer")[row], int(self.gz.col("fid")[row])
                got = self.ws.read_features(layer, fids=[fid], columns=[])
                g = got.geometry.iloc[0] if len(got) else shapely.Point()
                self._shapes[row] = g
            return g

    def _rows_of(self, name: str, level: str) -> np.ndarray:
        rows = self.gz.lookup(text.normalise(name))
        return rows[self.level[rows] == level] if len(rows) else rows

    # -- fuzzy names ---------------------------------------------------------------------------
    def _fuzzy_index(self) -> dict[str, list[int]]:
        """Compound names and their one-character deletions -> rows (a SymSpell-style index)."""
        with self._lock:
            if self._fuzzy is None:
                idx: dict[str, list[int]] = {}
                for r in np.flatnonzero(self.level == "小区").tolist():
                    n = self.norm[r]
                    if len(n) < 3:
                        continue
                    for k in {n} | {n[:i] + n[i + 1:] for i in range(len(n))}:
                        idx.setdefault(k, []).append(r)
                self._fuzzy = idx
            return self._fuzzy

    def fuzzy_rows(self, word: str) -> np.ndarray:
        """Compounds whose name is ``word`` with one character added, left out or changed, but
        not in its last two characters: those say what the place is (花园 vs 家园, 一期 vs 二期)."""
        if len(word) < 4 or word.isdigit():
            return np.empty(0, dtype=np.int64)
        idx = self._fuzzy_index()
        keys = {word} | {word[:i] + word[i + 1:] for i in range(len(word))}
        rows = sorted({r for k in keys for r in idx.get(k, ())})
        out = [r for r in rows if word[-2:] == self.norm[r][-2:] and fuzzy.one_edit(word, self.norm[r])]
        # homophones (华园 for 花园 included: the sound says what the place is)
        for name, how in self._compound_sounds().match(word).items():
            if how == "同音":
                out += self.gz.lookup(name)[self.level[self.gz.lookup(name)] == "小区"].tolist()
        return np.asarray(sorted(set(out)), dtype=np.int64)

    def _compound_sounds(self) -> fuzzy.FuzzyNames:
        with self._lock:
            got = self.__dict__.get("_compound_fuzzy")
            if got is None:
                got = self.__dict__["_compound_fuzzy"] = fuzzy.FuzzyNames(
                    set(self.norm[self.level == "小区"].tolist()), shortest=4)
            return got

    def _road_names(self) -> fuzzy.FuzzyNames:
        with self._lock:
            got = self.__dict__.get("_roads_fuzzy")
            if got is None:
                got = self.__dict__["_roads_fuzzy"] = fuzzy.FuzzyNames(
                    self.norm[self.level == "道路"].tolist(), roads=True)
            return got

    def _fuzzy_road(self, p: ParsedAddress, tiers, notes: list[str]) -> tuple[ParsedAddress, float]:
        """An unread road name before a number (丹竹一道88号, 单竹一路88号, 丹竹路88号 for 丹竹一路):
        the one road of the area within one slip of it (``lzt.search.fuzzy``); two: no road."""
        if p.get("道路") is not None or p.get("号") is None or not p.unknown:
            return p, 1.0
        names = self._road_names()
        for word in sorted(p.unknown, key=len, reverse=True):
            for i in range(0, max(len(word) - 2, 0)):
                sub = word[i:]
                found = names.match(sub)
                if tiers:
                    found = {n: how for n, how in found.items() if self._road_in(n, tiers[-1][0])}
                if not found:
                    continue
                if len(found) > 1:
                    notes.append(f"“{sub}”可能是{'、'.join(f'“{n}”' for n in sorted(found))}，无法确定是哪条路")
                    return p, 1.0
                name, how = next(iter(found.items()))
                rows = self._rows_of(name, "道路")
                notes.append(f"“{sub}”按“{self.gz.col('name')[rows[0]]}”匹配（疑似{how}）")
                parts = sorted([*p.parts, Part("道路", name, rows)], key=lambda pt: SLOT_RANK[pt.slot])
                rest = [u for u in p.unknown if u != word] + ([word[:i]] if i else [])
                return ParsedAddress(p.text, parts, rest), 0.85
        return p, 1.0

    def _road_in(self, name: str, shape) -> bool:
        rows = self._rows_of(name, "道路")
        return any(shape.intersects(self.shape(int(r))) for r in rows.tolist())

    def _fuzzy_in(self, rows: np.ndarray) -> np.ndarray:
        """Fuzzy candidates kept only when they all carry one name (两个近似的名字: no guess)."""
        return rows if len({self.norm[r] for r in rows.tolist()}) == 1 else rows[:0]

    # -- one address ---------------------------------------------------------------------------
    def geocode(self, address: str | None, *, street: str | None = None,
                community: str | None = None) -> Geocoded:
        """Locate ``address``; ``street``/``community`` (columns of the record) fill the levels
        the address leaves out."""
        if address is None or not str(address).strip() or not text.normalise(address):
            return Geocoded(None, reason="地址为空")
        p = parse_address(self.gz, str(address)[:200])
        out = Geocoded(None, parsed=p.to_json())
        outside = [pt.text for pt in p.parts if pt.outside]
        if outside:
            out.reason = f"“{outside[0]}”不在本区（或已划出龙岗区）"
            return out
        notes: list[str] = []
        factor = 1.0
        p = self._bare_community(p, notes)
        streets, f = self._streets(p, street, notes)
        factor *= f
        p, f = self._glued_community(p, streets, notes)
        factor *= f
        comm, f = self._community(p, community, streets, notes)
        factor *= f
        if comm is None and p.get("社区") is None and len(streets):
            comm, p = self._misspelt_community(p, streets, notes)
            factor *= 0.85 if comm is not None else 1.0
        if comm is not None and not len(streets):
            streets = self._rows_of(str(self.gz.col("street")[comm] or ""), "街道")
        area = self._area(comm, streets)
        names = [self.gz.col("name")[r] for r in ([*streets[:1]] if len(streets) == 1 else [])]
        if comm is not None:
            names.append(self.gz.col("name")[comm])
        p, f = self._fuzzy_road(p, area, notes)
        factor *= f
        # the finest: a named point or compound, then the road
        hit = self._point(p, comm, streets, area, notes)
        if hit is not None:
            row, f = hit
            factor *= f
            lv = "小区" if self.level[row] == "小区" else "门牌"
            return self._done(out, lv, self.x[row], self.y[row], factor, names + [self.gz.col("name")[row]], notes)
        road, number = p.get("道路"), p.get("号")
        if road is not None:
            plated = text.normalise(road.text) in doorplate.road_plates(self.gz)
            if number is not None and plated:
                got = self._between_plates(road, number, area, comm, streets, notes)
                if got is not None:
                    return self._done(out, "门牌", got[0], got[1], factor * got[2],
                                      names + [f"{road.text}{number.text}"], notes)
            got = self._road(road.rows, area, notes)
            if got is not None:
                if number is not None and not plated:
                    notes.append(f"门牌“{road.text}{number.text}”无门牌数据，定位到道路")
                return self._done(out, "道路", got[0], got[1], factor, names + [road.text], notes)
        if comm is not None:
            pt = shapely.point_on_surface(self.shape(comm))
            return self._done(out, "社区", pt.x, pt.y, factor, names, notes)
        if len(streets) == 1:
            pt = shapely.point_on_surface(self.shape(int(streets[0])))
            return self._done(out, "街道", pt.x, pt.y, factor, names, notes)
        if len(streets) > 1:
            notes.append(f"“{p.get('街道').text}”对应{len(streets)}个街道")
        if not notes:
            notes.append("地址中没有可识别的街道、社区、道路或小区" + (f"（未识别：{'、'.join(p.unknown)}）"
                                                                     if p.unknown else ""))
        out.reason = "；".join(notes)
        return out

    def _bare_community(self, p: ParsedAddress, notes: list[str]) -> ParsedAddress:
        """A bare name read as a community (万科城) that also names compounds outside that
        community, with nothing finer after it, is read as a compound name: the matcher then
        needs an area or a unique name, never picking one of the two readings."""
        part = p.get("社区")
        if part is None or p.get("小区") is not None or text.normalise(part.text).endswith(("社区", "村", "居委会")):
            return p
        rows = self.gz.lookup(text.normalise(part.text))
        compounds = rows[np.isin(self.level[rows], ["小区", "门牌"])] if len(rows) else rows
        if not len(compounds):
            return p
        comm = part.rows[self.level[part.rows] == "社区"]
        areas = shapely.union_all([self.shape(int(c)) for c in comm])
        if shapely.contains_xy(areas, self.x[compounds], self.y[compounds]).all():
            return p
        notes.append(f"“{part.text}”既是社区名也是小区名")
        parts = [pt for pt in p.parts if pt is not part] + [Part("小区", part.text, compounds)]
        parts.sort(key=lambda pt: SLOT_RANK[pt.slot])
        return ParsedAddress(p.text, parts, p.unknown)

    def _done(self, out: Geocoded, level: str, x, y, factor: float, names, notes) -> Geocoded:
        out.level, out.x, out.y = level, round(float(x), 2), round(float(y), 2)
        out.confidence = round(BASE_CONFIDENCE[level] * factor, 3)
        out.matched = " ".join(dict.fromkeys(str(n) for n in names if n))
        out.reason = "；".join(notes)
        return out

    def _streets(self, p: ParsedAddress, street: str | None, notes: list[str]) -> tuple[np.ndarray, float]:
        part = p.get("街道")
        if part is not None and part.streets:  # an old township
            rows = np.concatenate([self._rows_of(s, "街道") for s in part.streets])
            notes.append(f"“{part.text}”为旧镇名，按其现辖街道（{'、'.join(part.streets)}）查找")
            return rows, 0.95
        if part is not None:
            return part.rows[self.level[part.rows] == "街道"], 1.0
        if street:
            return self._rows_of(street, "街道"), 1.0
        return np.empty(0, dtype=np.int64), 1.0

    def _community(self, p: ParsedAddress, community: str | None, streets: np.ndarray,
                   notes: list[str]) -> tuple[int | None, float]:
        part = p.get("社区")
        from_text = part is not None
        rows = part.rows[self.level[part.rows] == "社区"] if from_text else (
            self._rows_of(community, "社区") if community else np.empty(0, dtype=np.int64))
        if not len(rows):
            return None, 1.0
        factor = 1.0
        if len(streets):
            inside = self._in_streets(rows, streets)
            if inside.any():
                rows = rows[inside]
            elif from_text:
                notes.append(f"社区“{part.text}”不在所写街道内，以社区为准")
                factor = 0.8
            else:
                return None, 1.0  # a record's community column at odds with its street: ignored
        if len(rows) > 1:
            notes.append(f"“{self.gz.col('name')[rows[0]]}”对应{len(rows)}个社区")
            return None, 1.0
        return int(rows[0]), factor

    def _glued_community(self, p: ParsedAddress, streets: np.ndarray, notes: list[str]) -> tuple[ParsedAddress, float]:
        """A community read right after unread characters (合水径社区 read as 合 + 水径社区) may be
        a misspelt longer name: the one community of the street one character off the whole
        (上水径) is taken; with none, the community is not trusted."""
        part = p.get("社区")
        if part is None:
            return p, 1.0
        base = text.normalise(part.text)
        for t in ("社区工作站", "社区居委会", "社区", "居委会", "村委会", "村"):
            if base.endswith(t) and len(base) > len(t):
                base = base[: -len(t)]
                break
        glued = [u for u in p.unknown if u and (u + text.normalise(part.text)) in p.text]
        if not glued:
            return p, 1.0
        rows = np.flatnonzero(self.level == "社区")
        if len(streets):
            rows = rows[self._in_streets(rows, streets)]
        for u in glued:
            for k in (1, 2):
                whole = u[-k:] + base
                hits = [r for r in rows.tolist() if len(self.norm[r]) == len(whole) and self.norm[r] != base
                        and fuzzy.one_edit(whole, self.norm[r])]
                if len(hits) == 1:
                    notes.append(f"“{whole}”按“{self.gz.col('name')[hits[0]]}社区”匹配（疑似错字）")
                    parts = [Part("社区", part.text, np.asarray(hits, dtype=np.int64)) if pt is part else pt
                             for pt in p.parts]
                    rest = [x for x in p.unknown if x != u] + ([u[:-k]] if u[:-k] else [])
                    return ParsedAddress(p.text, parts, rest), 0.85
        notes.append(f"社区名“{part.text}”前有未识别的“{glued[0]}”，社区不作依据")
        return ParsedAddress(p.text, [pt for pt in p.parts if pt is not part], p.unknown), 1.0

    def _misspelt_community(self, p: ParsedAddress, streets: np.ndarray, notes: list[str]):
        """An unread ``X社区``/``X村`` one character off the name of exactly one community of the
        known street (爱连社区 -> 爱联): only inside a known street, never district-wide."""
        for word in p.unknown:
            for suffix in ("社区", "村"):
                at = word.find(suffix)
                if at < 2:
                    continue
                name = word[:at]
                rows = np.flatnonzero(self.level == "社区")
                rows = rows[self._in_streets(rows, streets)]
                hits = [r for r in rows.tolist() if len(self.norm[r]) == len(name) and fuzzy.one_edit(name, self.norm[r])]
                if len({self.norm[r] for r in hits}) == 1 and len(hits) == 1:
                    notes.append(f"“{name}{suffix}”按“{self.gz.col('name')[hits[0]]}社区”匹配（疑似错字）")
                    rest = [u for u in p.unknown if u != word] + ([word[at + len(suffix):]]
                                                                 if word[at + len(suffix):] else [])
                    return hits[0], ParsedAddress(p.text, p.parts, rest)
        return None, p

    def _in_streets(self, rows: np.ndarray, streets: np.ndarray) -> np.ndarray:
        names = {self.norm[s] for s in streets.tolist()}
        col = self.gz.col("street")
        by_attr = np.array([isinstance(col[r], str) and text.normalise(col[r]) in names for r in rows.tolist()])
        if by_attr.any():
            return by_attr
        union = shapely.union_all([self.shape(int(s)) for s in streets])
        return shapely.contains_xy(union, self.x[rows], self.y[rows])

    def _area(self, comm: int | None, streets: np.ndarray):
        """The tiers names are looked for in: (shape, factor, label), finest first."""
        tiers = []
        if comm is not None:
            c = self.shape(comm)
            tiers += [(c, 1.0, "社区"), (c.buffer(NEAR_AREA), 0.95, "社区附近")]
        if len(streets):
            tiers.append((shapely.union_all([self.shape(int(s)) for s in streets]), 0.9 if comm is not None else 1.0,
                          "街道"))
        return tiers

    def _point(self, p: ParsedAddress, comm, streets, tiers, notes) -> tuple[int, float] | None:
        road, number = p.get("道路"), p.get("号")
        rows, fuzzy, label = np.empty(0, dtype=np.int64), False, ""
        if road is not None and number is not None:  # an address point named by road and number
            rows = self.gz.lookup(text.normalise(road.text + number.text))
            label = road.text + number.text
            if len(rows) and comm is not None and tiers:
                # a plate of the same road name elsewhere in the street is another stretch of
                # road: inside the community the number is placed between its own plates instead
                near = tiers[1][0]
                keep = shapely.contains_xy(near, self.x[rows], self.y[rows]) | self._says(rows, "社区", comm, streets)
                rows = rows[keep]
        part = p.get("小区")
        if not len(rows) and part is not None:
            rows, label = part.rows, part.text
        if not len(rows) and tiers:
            for word in sorted(p.unknown, key=len, reverse=True):
                rows = self.fuzzy_rows(word)
                if len(rows):
                    fuzzy, label = True, word
                    break
        if not len(rows):
            if p.unknown and part is None:
                notes.append(f"未找到“{'、'.join(p.unknown)}”")
            return None
        factor = 0.85 if fuzzy else 1.0
        if tiers:
            for shape, f, where in tiers:
                inside = rows[shapely.contains_xy(shape, self.x[rows], self.y[rows]) | self._says(rows, where, comm,
                                                                                                  streets)]
                if fuzzy:
                    inside = self._fuzzy_in(inside)
                if len(inside):
                    break
            else:
                notes.append(f"“{label}”不在所写{'社区' if comm is not None else '街道'}内")
                return None
            factor *= f
        else:
            inside, where = rows, "全区"
            factor *= 0.85
        inside = inside[np.isfinite(self.x[inside])]
        one = self._one_place(inside, road)
        if one is None:
            notes.append(f"{where}有{_count_places(self.x[inside], self.y[inside])}处“{label}”，无法确定是哪一处")
            return None
        if fuzzy:
            notes.append(f"“{label}”按“{self.gz.col('name')[one]}”匹配（疑似错字）")
        return self._building(p, one, notes), factor

    def _building(self, p: ParsedAddress, one: int, notes: list[str]) -> int:
        """The building plate ``<compound><k>栋`` of the compound ``one`` (the one nearest it
        within ``BLOCK_REACH``), else ``one`` itself with a note."""
        block = p.get("栋")
        if block is None or not block.number or self.level[one] != "小区":
            return one
        rows = self.gz.lookup(f"{self.norm[one]}{block.number}栋")
        rows = rows[self.level[rows] == "门牌"] if len(rows) else rows
        d = np.hypot(self.x[rows] - self.x[one], self.y[rows] - self.y[one])
        if not len(rows) or d.min() > BLOCK_REACH:
            notes.append(f"未找到楼栋“{self.gz.col('name')[one]}{block.text}”，定位到小区")
            return one
        return int(rows[np.argmin(d)])

    def _between_plates(self, road: Part, number: Part, tiers, comm, streets,
                        notes: list[str]) -> tuple[float, float, float] | None:
        """A number without a plate of its own placed between the plates of its road
        (``lzt.search.doorplate``): x, y and the confidence factor, or None with a note."""
        if not number.number or not str(number.number).isdigit():
            return None
        n = int(number.number)
        rows, nums = doorplate.road_plates(self.gz)[text.normalise(road.text)]
        factor, region = 0.8, None
        if tiers:
            for shape, f, where in tiers:
                keep = shapely.contains_xy(shape, self.x[rows], self.y[rows]) | self._says(rows, where, comm, streets)
                if keep.any():
                    rows, nums, factor, region = rows[keep], nums[keep], factor * f, shape
                    break
            else:
                notes.append(f"“{road.text}”的门牌不在所写区域内")
                return None
        else:
            factor *= 0.85
        lines = [self.shape(int(r)) for r in road.rows[self.level[road.rows] == "道路"].tolist()]
        if region is not None:
            grown = region.buffer(doorplate.ON_STRETCH * 2)
            lines = [g for g in lines if g.intersects(grown)]
        found, plated = doorplate.interpolate(lines, self.x[rows], self.y[rows], nums, n)
        one = doorplate.one_place(found)
        if one is not None:
            notes.append(f"无“{road.text}{n}号”门牌，按同路{one.low}号与{one.high}号门牌插值定位")
            return one.x, one.y, factor
        if found:
            notes.append(f"“{road.text}”有{len(found)}段可插值出{n}号，无法确定是哪一段")
        elif plated:
            side = "单" if n % 2 else "双"
            same = nums[nums % 2 == n % 2]
            if len(same) and n > int(same.max()):  # past the last plate: a plate is never extrapolated
                notes.append(f"“{road.text}{n}号”超出该路已知门牌（{side}号最大为 {int(same.max())} 号），"
                             "门牌不外推，定位到道路")
            elif len(same) and n < int(same.min()):
                notes.append(f"“{road.text}{n}号”小于该路已知门牌（{side}号最小为 {int(same.min())} 号），"
                             "门牌不外推，定位到道路")
            else:
                notes.append(f"“{road.text}{n}号”不在已知门牌之间（{side}号一侧），定位到道路")
        else:
            notes.append(f"“{road.text}”在所写区域内无{'单' if n % 2 else '双'}号门牌，定位到道路")
        return None

    def _says(self, rows: np.ndarray, where: str, comm: int | None, streets: np.ndarray) -> np.ndarray:
        """Whether the places' own street/community columns put them in the area (a point just
        across a drawn boundary is still in the community its record names)."""
        if where == "社区" and comm is not None:
            col, names = self.gz.col("community"), {self.norm[comm]}
        elif where == "街道":
            col, names = self.gz.col("street"), {self.norm[s] for s in streets.tolist()}
        else:
            return np.zeros(len(rows), dtype=bool)
        return np.array([isinstance(col[r], str) and text.normalise(col[r]) in names for r in rows.tolist()],
                        dtype=bool)

    def _one_place(self, rows: np.ndarray, road) -> int | None:
        if not len(rows):
            return None
        if _spread(self.x[rows], self.y[rows]) <= SAME_PLACE:
            return int(min(rows.tolist(), key=lambda r: (self.level[r] != "小区", r)))
        if road is not None and len(road.rows):
            lines = shapely.union_all([self.shape(int(r)) for r in road.rows])
            d = shapely.distance(shapely.points(self.x[rows], self.y[rows]), lines)
            near = rows[d <= ON_ROAD]
            if len(near) and _spread(self.x[near], self.y[near]) <= SAME_PLACE:
                return int(min(near.tolist(), key=lambda r: (self.level[r] != "小区", r)))
        return None

    def _road(self, rows: np.ndarray, tiers, notes) -> tuple[float, float] | None:
        lines = shapely.union_all([self.shape(int(r)) for r in rows])
        if shapely.is_empty(lines):
            return None
        if tiers:
            shape = tiers[0][0] if tiers[0][2] == "街道" else tiers[0][0].buffer(50.0)
            lines = shapely.intersection(lines, shape)
            if shapely.is_empty(lines):
                notes.append("所写道路不在所写区域内")
                return None
        else:
            x0, y0, x1, y1 = shapely.bounds(lines)
            if np.hypot(x1 - x0, y1 - y0) > ROAD_SPREAD:
                notes.append(f"全区有多条同名道路（{len(rows)}段），未给出街道或社区")
                return None
        pieces = shapely.get_parts(shapely.line_merge(lines) if lines.geom_type.startswith("Multi") else lines)
        pieces = [g for g in pieces if g.geom_type == "LineString"] or list(pieces)
        longest = max(pieces, key=lambda g: g.length)
        pt = shapely.line_interpolate_point(longest, 0.5, normalized=True) if longest.length else longest.centroid
        return pt.x, pt.y


def _spread(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) <= 1:
        return 0.0
    return float(np.hypot(x.max() - x.min(), y.max() - y.min()))


def _count_places(x: np.ndarray, y: np.ndarray) -> int:
    """Candidates counted as places (points within ``SAME_PLACE`` of a counted one are the same)."""
    kept: list[tuple[float, float]] = []
    for a, b in zip(x.tolist(), y.tolist()):
        if all(np.hypot(a - u, b - v) > SAME_PLACE for u, v in kept):
            kept.append((a, b))
    return len(kept)
