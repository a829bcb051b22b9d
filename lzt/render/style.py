"""Layer styles as plain dataclasses: what to draw, never how (no Qt here).

A ``LayerStyle`` holds one renderer (single symbol, categorized, graduated, continuous
ramp, density/heatmap, raster), optional labels, opacity, scale-dependent visibility
and a draw-order key. Styles round-trip through JSON (``to_dict``/``style_from_dict``)
and travel with the workspace in the ``styles`` setting (``load_styles``/``save_styles``).

Scales are denominators (1:N -> N). ``min_scale`` is the most zoomed-out scale at which the
layer still shows (hidden when N > min_scale), ``max_scale`` the most zoomed-in one (hidden
when N < max_scale); 0 means no limit (the convention of QGIS).

Colours are ``#rrggbb`` or ``#rrggbbaa`` strings. Sizes on paper are in millimetres, so a
style looks the same on the canvas (96 dpi) and on a 300 dpi sheet.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any
from layers.kinds import LayerKind
from lzt.workspace.base import Workspace

Color = str


@dataclass(frozen=True)
class Symbol:
    """Fill and outline of a polygon, stroke of a line, or a round/square point marker."""

    fill: Color | None = "#a6cee3"
    stroke: Color | None = "#33333380"
    stroke_width: float = 0.1  # mm; 0 = hairline
    size: float = 1.6  # point marker diameter, mm
    marker: str = "circle"  # circle | square


@dataclass(frozen=True)
class Category:
    value: Any
    label: str
    symbol: Symbol


@dataclass(frozen=True)
class ClassBreak:
    lower: float
    upper: float
    label: str
    symbol: Symbol


@dataclass(frozen=True)
class SingleRenderer:
    symbol: Symbol = Symbol()
    type: str = "single"


@dataclass(frozen=True)
class CategorizedRenderer:
    """One symbol per value of ``field``; values not listed get ``other`` (or are not drawn)."""

    field: str
    categories: tuple[Category, ...]
    other: Symbol | None = None
    other_label: str = "其他"
    prefix_match: bool = False  # "R2" matches category "R" when no exact category exists
    type: str = "categorized"


@dataclass(frozen=True)
class GraduatedRenderer:
    """Choropleth: class breaks over a numeric ``field`` (lower <= v < upper; last class closed)."""

    field: str
    classes: tuple[ClassBreak, ...]
    type: str = "graduated"


@dataclass(frozen=True)
class RampRenderer:
    """Continuous colour by value (e.g. buildings shaded by height): ``stops`` = ((value, colour), ...)."""

    field: str
    stops: tuple[tuple[float, Color], ...]
    stroke: Color | None = "#55555580"
    stroke_width: float = 0.05
    label: str = ""
    type: str = "ramp"


@dataclass(frozen=True)
class HeatmapRenderer:
    """Points binned into a density image: counts per cell, blurred over ``radius`` mm."""

    stops: tuple[tuple[float, Color], ...] = ((0.0, "#ffffb200"), (0.3, "#fecc5c50"),
                                              (0.55, "#fd8d3c98"), (0.8, "#f03b20cc"),
                                              (1.0, "#bd0026e8"))
    radius: float = 1.0  # mm on paper
    cell: float = 0.0  # ground metres per cell; 0 = one device pixel
    label: str = "密度"
    type: str = "heatmap"


@dataclass(frozen=True)
class RasterRenderer:
    """A raster: one band through a colour ramp, optionally multiplied by a hillshade (mode
    "ramp", a DEM), or three bands as red, green and blue (mode "rgb", imagery)."""

    stops: tuple[tuple[float, Color], ...] = ((0.0, "#1a9850"), (80.0, "#91cf60"), (200.0, "#d9ef8b"),
                                              (400.0, "#fee08b"), (600.0, "#d8b365"), (900.0, "#ffffff"))
    hillshade: bool = True
    azimuth: float = 315.0
    altitude: float = 45.0
    z_factor: float = 1.0
    label: str = "高程 (米)"
    mode: str = "ramp"  # "ramp" | "rgb"
    bands: tuple[int, ...] = (1, 2, 3)  # rgb: the bands shown as red, green, blue
    type: str = "raster"


@dataclass(frozen=True)
class LabelStyle:
    field: str
    size: float = 2.8  # mm (about 8 pt)
    color: Color = "#202020"
    halo: Color | None = "#ffffffd0"
    min_scale: float = 0.0
    max_scale: float = 0.0
    priority_field: str | None = None  # larger first; default: polygon area / feature order


Renderer = (SingleRenderer | CategorizedRenderer | GraduatedRenderer | RampRenderer | HeatmapRenderer
            | RasterRenderer)


@dataclass(frozen=True)
class LayerStyle:
    renderer: Renderer = SingleRenderer()
    labels: LabelStyle | None = None
    opacity: float = 1.0
    min_scale: float = 0.0
    max_scale: float = 0.0
    visible: bool = True
    z: int = 0  # draw order: higher draws later (on top); ties keep the layer order given
    title: str | None = None  # legend heading; default the layer name
    density_above: int = 60_000  # point layers: aggregate when more points than this are in view

    def visible_at(self, scale: float) -> bool:
        """True when the layer shows at 1:``scale``."""
        if not self.visible:
            return False
        if self.min_scale and scale > self.min_scale:
            return False
        if self.max_scale and scale < self.max_scale:
            return False
        return True


# -- JSON -------------------------------------------------------------------------
_RENDERER_TYPES: dict[str, type] = {"single": SingleRenderer, "categorized": CategorizedRenderer,
                                    "graduated": GraduatedRenderer, "ramp": RampRenderer,
                                    "heatmap": HeatmapRenderer, "raster": RasterRenderer}


def _symbol(d: dict | None) -> Symbol | None:
    return None if d is None else Symbol(**d)


def _stops(v) -> tuple[tuple[float, Color], ...]:
    return tuple((float(a), str(b)) for a, b in v)


def renderer_from_dict(d: dict) -> Renderer:
    kind = d.get("type", "single")
    if kind not in _RENDERER_TYPES:
        raise ValueError(f"unknown renderer type {kind!r}")
    d = {k: v for k, v in d.items() if k != "type"}
    if kind == "single":
        return SingleRenderer(symbol=_symbol(d.get("symbol")) or Symbol())
    if kind == "categorized":
        return CategorizedRenderer(
            field=d["field"], other=_symbol(d.get("other")), other_label=d.get("other_label", "其他"),
            prefix_match=bool(d.get("prefix_match", False)),
            categories=tuple(Category(c["value"], c["label"], _symbol(c["symbol"])) for c in d["categories"]))
    if kind == "graduated":
        return GraduatedRenderer(field=d["field"], classes=tuple(
            ClassBreak(float(c["lower"]), float(c["upper"]), c["label"], _symbol(c["symbol"]))
            for c in d["classes"]))
    if kind in ("ramp", "heatmap", "raster"):
        d["stops"] = _stops(d["stops"])
    if kind == "raster" and "bands" in d:
        d["bands"] = tuple(int(b) for b in d["bands"])
    return _RENDERER_TYPES[kind](**d)


def style_to_dict(style: LayerStyle) -> dict:
    """A JSON-ready dict; ``style_from_dict`` inverts it exactly."""
    return asdict(style)


def style_from_dict(d: dict) -> LayerStyle:
    known = {f.name for f in fields(LayerStyle)}
    kw = {k: v for k, v in d.items() if k in known}
    kw["renderer"] = renderer_from_dict(d.get("renderer", {"type": "single"}))
    if kw.get("labels") is not None:
        kw["labels"] = LabelStyle(**kw["labels"])
    return LayerStyle(**kw)


# -- defaults ---------------------------------------------------------------------
#: Land-use colours keyed by GB 50137-2011 code (major class, some medium classes). The
#: colours follow the common planning-drawing practice (CJJ/T 97 style colour table as used
#: in Shenzhen 法定图则); the exact RGB values are [M] (from memory, not checked against the
#: standard's table).
LANDUSE_COLOURS: dict[str, tuple[str, Color]] = {
    "R": ("居住用地", "#ffff00"), "R1": ("一类居住用地", "#ffff7f"), "R2": ("二类居住用地", "#ffff00"),
    "R3": ("三类居住用地", "#e6e600"), "R4": ("四类居住用地", "#cccc00"),
    "A": ("公共管理与公共服务设施用地", "#ff7fbf"), "A1": ("行政办公用地", "#ff7fbf"),
    "A2": ("文化设施用地", "#ff9fcf"), "A3": ("教育科研用地", "#ffbfdf"), "A33": ("中小学用地", "#ffbfdf"),
    "A4": ("体育用地", "#ff5fa0"), "A5": ("医疗卫生用地", "#ff7f9f"), "A6": ("社会福利用地", "#ffaaaa"),
    "B": ("商业服务业设施用地", "#ff0000"), "B1": ("商业用地", "#ff0000"), "B2": ("商务用地", "#e60000"),
    "B3": ("娱乐康体用地", "#ff5f5f"), "B4": ("公用设施营业网点用地", "#ff7f7f"),
    "M": ("工业用地", "#bf9f7f"), "M0": ("新型产业用地", "#d4a97f"), "M1": ("一类工业用地", "#bf9f7f"),
    "M2": ("二类工业用地", "#a58261"), "M3": ("三类工业用地", "#8c6a4a"),
    "W": ("物流仓储用地", "#9f7fff"), "W1": ("一类物流仓储用地", "#9f7fff"), "W2": ("二类物流仓储用地", "#8a66f0"),
    "S": ("道路与交通设施用地", "#a0a0a0"), "S1": ("城市道路用地", "#b4b4b4"), "S4": ("交通场站用地", "#8c8c8c"),
    "U": ("公用设施用地", "#005fbf"), "U1": ("供应设施用地", "#005fbf"), "U2": ("环境设施用地", "#3f7fbf"),
    "G": ("绿地与广场用地", "#00ff00"), "G1": ("公园绿地", "#00c800"), "G2": ("防护绿地", "#3f9f3f"),
    "G3": ("广场用地", "#7fbf7f"),
    "E": ("非建设用地", "#cfe8cf"), "E1": ("水域", "#7fbfff"), "E2": ("农林用地", "#bfdf9f"),
    "H": ("建设用地", "#ffdf7f"),
}

#: A qualitative palette for categories without a standard colour.
PALETTE = ("#1f78b4", "#e31a1c", "#33a02c", "#ff7f00", "#6a3d9a", "#b15928", "#a6cee3", "#fb9a99",
           "#b2df8a", "#fdbf6f", "#cab2d6", "#ffff99", "#17becf", "#7f7f7f")

#: Complaint top classes as they appear in the demo data (the official 18 are not known, DOMAIN.md).
COMPLAINT_CATEGORIES: tuple[Category, ...] = tuple(
    Category(v, v, Symbol(fill=c, stroke="#ffffff", stroke_width=0.05, size=1.6)) for v, c in (
        ("城市管理", "#1f78b4"), ("噪声扰民", "#e31a1c"), ("交通出行", "#ff7f00"), ("住房建设", "#6a3d9a"),
        ("市场监管", "#17becf"), ("劳动社保", "#cab2d6"), ("环境保护", "#33a02c"), ("水务", "#a6cee3"),
        ("教育", "#fdbf6f"), ("医疗卫生", "#fb9a99"), ("公共安全", "#b15928")))

#: Road classes (GB 51286 names) -> (colour, width mm).
ROAD_CLASSES = (("高速公路", "#e8590c", 0.9), ("快速路", "#f08c00", 0.8), ("主干路", "#f59f00", 0.6),
                ("次干路", "#fcc419", 0.4), ("支路", "#adb5bd", 0.25))

HEIGHT_STOPS: tuple[tuple[float, Color], ...] = ((0.0, "#fff5eb"), (24.0, "#fdd0a2"), (50.0, "#fd8d3c"),
                                                   (100.0, "#d94801"), (200.0, "#7f2704"))


def landuse_renderer(codes=None, field: str = "landuse_code") -> CategorizedRenderer:
    """The GB 50137 land-use colour table as a categorized renderer (``codes``: only these)."""
    items = LANDUSE_COLOURS.items() if codes is None else (
        (c, LANDUSE_COLOURS.get(c) or LANDUSE_COLOURS.get(str(c)[:1], (str(c), "#dddddd"))) for c in codes)
    cats = tuple(Category(code, f"{code} {name}", Symbol(fill=col, stroke="#60606060", stroke_width=0.05))
                 for code, (name, col) in items)
    return CategorizedRenderer(field=field, categories=cats, prefix_match=True,
                               other=Symbol(fill="#dddddd", stroke="#60606060", stroke_width=0.05))


def categorized(field: str, values, *, point: bool = False) -> CategorizedRenderer:
    """A categorized renderer over ``values`` with the qualitative palette."""
    cats = []
    for i, v in enumerate(values):
        col = PALETTE[i % len(PALETTE)]
        sym = Symbol(fill=col, stroke="#ffffff" if point else "#40404080", stroke_width=0.05, size=1.4)
        cats.append(Category(v, str(v), sym))
    return CategorizedRenderer(field=field, categories=tuple(cats),
                               other=Symbol(fill="#999999", stroke=None, size=1.2))


def _ramp_hex(stops, value: float) -> Color:
    """Linear interpolation of ``#rrggbb[aa]`` stops at ``value`` (pure; no Qt)."""
    def parts(c: str) -> list[int]:
        c = c.lstrip("#")
        c = c + "ff" if len(c) == 6 else c
        return [int(c[i:i + 2], 16) for i in (0, 2, 4, 6)]

    pts = sorted((float(v), parts(c)) for v, c in stops)
    if value <= pts[0][0]:
        out = pts[0][1]
    elif value >= pts[-1][0]:
        out = pts[-1][1]
    else:
        j = next(i for i in range(1, len(pts)) if pts[i][0] >= value)
        (v0, c0), (v1, c1) = pts[j - 1], pts[j]
        t = (value - v0) / (v1 - v0) if v1 > v0 else 0.0
        out = [round(a + (b - a) * t) for a, b in zip(c0, c1)]
    return "#" + "".join(f"{int(x):02x}" for x in out)


def graduated(field: str, values, k: int = 5, *, method: str = "quantile",
              stops: tuple[tuple[float, Color], ...] = ((0.0, "#fee5d9"), (1.0, "#a50f15")),
              fmt: str = "{:g}") -> GraduatedRenderer:
    """A choropleth of ``k`` classes over ``values`` (e.g. complaint counts per community):
    ``quantile`` (equal counts) or ``equal`` (equal intervals) breaks, colours from ``stops``."""
    import numpy as np

    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return GraduatedRenderer(field, ())
    if method == "quantile":
        edges = np.unique(np.quantile(v, np.linspace(0, 1, k + 1)))
    elif method == "equal":
        edges = np.unique(np.linspace(v.min(), v.max(), k + 1))
    else:
        raise ValueError(f"unknown classification method {method!r} (quantile, equal)")
    if len(edges) == 1:
        edges = np.array([edges[0], edges[0]])
    n = len(edges) - 1
    classes = []
    for i in range(n):
        lo, hi = float(edges[i]), float(edges[i + 1])
        col = _ramp_hex(stops, stops[0][0] + (stops[-1][0] - stops[0][0]) * (i / max(n - 1, 1)))
        classes.append(ClassBreak(lo, hi, f"{fmt.format(lo)} – {fmt.format(hi)}",
                                  Symbol(fill=col, stroke="#60606080", stroke_width=0.1)))
    return GraduatedRenderer(field, tuple(classes))


def default_style(name: str, kind: str, geometry_type: str | None, fields: dict[str, str] | None = None,
                  index: int = 0, details: dict | None = None) -> LayerStyle:
    """A sensible style for a layer that has none saved, by kind, geometry and field names
    (rasters: by their facts; three or more 8-bit bands are imagery, drawn in colour)."""
    fields = fields or {}
    gt = (geometry_type or "").lower()
    if kind == LayerKind.RASTER and is_imagery(details):
        return LayerStyle(RasterRenderer(mode="rgb", hillshade=False, label="影像"), z=-200,
                          title=f"影像 {details['acquired']}" if details.get("acquired") else name)
    svc = (details or {}).get("service") or {}
    if kind == LayerKind.SERVICE and svc.get("raster"):  # a tile/map service: its picture, its source named
        label = "，".join(t for t in (svc.get("attribution") or "在线地图服务",
                                      f"审图号 {svc['approval_no']}" if svc.get("approval_no") else "") if t)
        return LayerStyle(RasterRenderer(mode="rgb", hillshade=False, label=label), z=-300, title=name)
    if kind == LayerKind.RASTER:
        return LayerStyle(RasterRenderer(), opacity=0.8, z=-100, title="地形" if name == "dem" else name)
    if kind == LayerKind.COMPLAINTS:
        field = "cat_l1" if "cat_l1" in fields else None
        ren = (CategorizedRenderer("cat_l1", COMPLAINT_CATEGORIES, other=Symbol(fill="#999999", stroke="#ffffff",
                                                                                 stroke_width=0.05, size=1.4))
               if field else SingleRenderer(Symbol(fill="#e31a1c", stroke="#ffffff", stroke_width=0.05, size=1.4)))
        return LayerStyle(ren, z=40, title="12345诉求", density_above=8_000)
    if "point" in gt and "doorplate" in fields:  # 门牌: a small dot from 1:5,000, the number from 1:1,500
        return LayerStyle(SingleRenderer(Symbol(fill="#5a5a5a", stroke="#ffffff", stroke_width=0.05, size=0.9)),
                          z=31, title="门牌", min_scale=5_000,
                          labels=LabelStyle("number" if "number" in fields else "doorplate", size=1.8,
                                            color="#404040", min_scale=1_500))
    if "point" in gt:
        col = PALETTE[index % len(PALETTE)]
        return LayerStyle(SingleRenderer(Symbol(fill=col, stroke="#ffffff", stroke_width=0.05, size=1.2)),
                          z=30, title=name, min_scale=25_000)
    if "line" in gt and "road_class" in fields:
        cats = tuple(Category(v, v, Symbol(fill=None, stroke=c, stroke_width=w)) for v, c, w in ROAD_CLASSES)
        return LayerStyle(CategorizedRenderer("road_class", cats, other=Symbol(fill=None, stroke="#adb5bd",
                                                                               stroke_width=0.2)),
                          z=20, title="道路", labels=LabelStyle("name", size=2.2, min_scale=10_000)
                          if "name" in fields else None)
    if "line" in gt:
        return LayerStyle(SingleRenderer(Symbol(fill=None, stroke="#e0a040", stroke_width=0.35)), z=20,
                          title=name, labels=LabelStyle("name", size=2.2, min_scale=10_000) if "name" in fields
                          else None)
    if kind == LayerKind.SUPERVISION and "status" in fields:  # granted parcels outlined by their status
        cats = tuple(Category(v, v, Symbol(fill=c + "30", stroke=c, stroke_width=0.5)) for v, c in SUPERVISION_STATUS)
        return LayerStyle(CategorizedRenderer("status", cats, other=Symbol(fill=None, stroke="#444444",
                                                                           stroke_width=0.4)),
                          z=15, title="批后监管宗地（状态）",
                          labels=LabelStyle("parcel_id", size=2.0, min_scale=8_000) if "parcel_id" in fields else None)
    if "hotspot" in fields and "gi_z" in fields:  # a Gi* grid (lzt hotspots, the dashboard): hot red, cold blue
        return LayerStyle(hotspot_renderer(), z=35, opacity=0.85, title="热点分析（Gi*）")
    if "height_limit_m" in fields and "polygon" in gt:  # 控高 zones: outlined, by their height reference
        cats = (Category("绝对高程", "绝对高程", Symbol(fill="#7b3294" + "18", stroke="#7b3294", stroke_width=0.45)),
                Category("相对地面", "相对地面", Symbol(fill="#d7191c" + "18", stroke="#d7191c", stroke_width=0.45)))
        ren = (CategorizedRenderer("reference", cats, other=Symbol(fill="#d7191c18", stroke="#d7191c", stroke_width=0.45))
               if "reference" in fields else SingleRenderer(Symbol(fill="#d7191c18", stroke="#d7191c", stroke_width=0.45)))
        return LayerStyle(ren, z=14, title="控高分区", labels=LabelStyle("name", size=2.4, color="#7b1f1f",
                                                                       min_scale=60_000) if "name" in fields else None)
    if "landuse_code" in fields:
        return LayerStyle(landuse_renderer(), z=0, title="用地性质")
    if kind == LayerKind.BIM:
        return LayerStyle(RampRenderer("height_m", HEIGHT_STOPS, label="建筑高度 (米)"), z=10, title="BIM 建筑")
    if "height_m" in fields:  # the base map's buildings: from 1:25,000 in, as topographic maps show them
        return LayerStyle(RampRenderer("height_m", HEIGHT_STOPS, label="建筑高度 (米)"), z=8, title="建筑物",
                          min_scale=25_000)
    if name in ("district", "streets", "communities"):
        width = {"district": 0.6, "streets": 0.4, "communities": 0.15}[name]
        size = {"district": 4.2, "streets": 3.5, "communities": 2.4}[name]
        return LayerStyle(SingleRenderer(Symbol(fill=None, stroke="#6a3d9a", stroke_width=width)), z=50 + index,
                          title={"district": "区界", "streets": "街道界", "communities": "社区界"}[name],
                          labels=LabelStyle("name", size=size, color="#4a2d7a",
                                            min_scale=200_000 if name != "communities" else 40_000)
                          if "name" in fields else None)
    col = PALETTE[index % len(PALETTE)]
    return LayerStyle(SingleRenderer(Symbol(fill=col + "80", stroke=col, stroke_width=0.1)), z=5, title=name)


def hotspot_renderer() -> CategorizedRenderer:
    """A Gi* grid by its class: hot spots in reds, cold spots in blues (ColorBrewer RdBu), cells
    that are not significant faint, so the map shows through them."""
    from lzt.analysis.hotspots import HOTSPOT_CLASSES

    colours = ("#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac")
    cats = tuple(Category(c, c, Symbol(fill=col + ("40" if i == 2 else "d0"), stroke=None if i == 2 else col,
                                       stroke_width=0.05))
                 for i, (c, col) in enumerate(zip(HOTSPOT_CLASSES, colours)))
    return CategorizedRenderer("hotspot", cats, other=Symbol(fill=None, stroke="#bdbdbd", stroke_width=0.05))


#: supervision parcel status -> outline colour
SUPERVISION_STATUS = (("未开工", "#ff7f00"), ("在建", "#1f78b4"), ("停工", "#e31a1c"), ("疑似闲置", "#7a0019"),
                      ("已竣工", "#33a02c"), ("已处置", "#6a3d9a"))


def load_styles(ws: Workspace) -> dict[str, LayerStyle]:
    """The styles saved in the workspace (``styles`` setting), by layer name."""
    raw = ws.get_setting("styles", None) or {}
    return {name: style_from_dict(d) for name, d in raw.items()}


def save_styles(ws: Workspace, styles: dict[str, LayerStyle], *, merge: bool = True) -> None:
    """Save ``styles`` into the workspace (one transaction), merged into those already there."""
    raw = dict(ws.get_setting("styles", None) or {}) if merge else {}
    raw.update({name: style_to_dict(s) for name, s in styles.items()})
    ws.set_setting("styles", raw)


def is_imagery(details: dict | None) -> bool:
    """True for a raster layer of three or more 8-bit bands (an orthophoto), by its facts."""
    d = details or {}
    return int(d.get("count", 0)) >= 3 and all(t == "uint8" for t in d.get("dtypes", ())[:3])


def styles_for(ws: Workspace, names=None) -> dict[str, LayerStyle]:
    """Saved style or default for every layer of ``ws`` (or only ``names``), by layer name."""
    saved = load_styles(ws)
    out: dict[str, LayerStyle] = {}
    for i, info in enumerate(ws.layers()):
        if names is not None and info.name not in names:
            continue
        if info.name in saved:
            out[info.name] = saved[info.name]
        else:
            flds = {f.name: f.type for f in info.fields}
            out[info.name] = default_style(info.name, info.kind, info.geometry_type, flds, index=i,
                                           details=info.details)
    return out


__all__ = ["is_imagery", "Symbol", "Category", "ClassBreak", "SingleRenderer", "CategorizedRenderer", "GraduatedRenderer",
           "RampRenderer", "HeatmapRenderer", "RasterRenderer", "LabelStyle", "LayerStyle", "Renderer",
           "style_to_dict", "style_from_dict", "default_style", "landuse_renderer", "hotspot_renderer",
           "categorized", "graduated",
           "load_styles", "save_styles", "styles_for", "LANDUSE_COLOURS", "PALETTE", "HEIGHT_STOPS", "replace"]
