"""The statutory sunlight rule (日照标准) as a workspace setting.

GB 50180-2018 Table 4.0.9 [M: from DOMAIN.md §7.5, not checked against the primary text, nor
Shenzhen's 深标]: building-climate zone IV, city of ≥ 500k people → 大寒日 ≥ 3 h within
08:00–16:00 true solar time, measured at the ground-floor window sill (底层窗台面). Longgang
(Shenzhen) is zone IV and a big city, hence the default. The sill height (0.9 m above the
ground floor) is a common design value [M], not from the standard.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace

SETTING_KEY = "sunlight_rule"

#: the standard's table [M]: (zone, big city) -> (standard day, minimum hours, band start, band end)
TABLE = {
    ("I-III,VII", True): ("大寒", 2.0, 8.0, 16.0),
    ("I-III,VII", False): ("大寒", 3.0, 8.0, 16.0),
    ("IV", True): ("大寒", 3.0, 8.0, 16.0),
    ("IV", False): ("冬至", 1.0, 9.0, 15.0),
    ("V,VI", True): ("冬至", 1.0, 9.0, 15.0),
    ("V,VI", False): ("冬至", 1.0, 9.0, 15.0),
}
BANDS = {"大寒": (8.0, 16.0), "冬至": (9.0, 15.0)}


@dataclass(frozen=True)
class SunlightRule:
    """Minimum hours of direct sun on the standard day within the band (true solar time)."""

    standard_day: str = "大寒"
    min_hours: float = 3.0
    band_start: float = 8.0  # true solar time, decimal hours
    band_end: float = 16.0
    sill_height_m: float = 0.9
    source: str = "GB 50180-2018 表4.0.9，IV 气候区大城市 [M 待核]"

    def for_day(self, standard_day: str) -> "SunlightRule":
        """The rule with another standard day's band (the hours asked stay the same)."""
        start, end = BANDS[standard_day]
        return replace(self, standard_day=standard_day, band_start=start, band_end=end)

    def describe(self) -> str:
        return (f"{self.standard_day}日 {_hm(self.band_start)}–{_hm(self.band_end)}（真太阳时）"
                f"≥ {self.min_hours:g} 小时")


def _hm(h: float) -> str:
    return f"{int(h):02d}:{int(round(h % 1 * 60)):02d}"


def rule_of(ws) -> SunlightRule:
    """The workspace's rule (setting ``sunlight_rule``), else the zone-IV default."""
    raw = ws.get_setting(SETTING_KEY) if ws is not None else None
    if not raw:
        return SunlightRule()
    try:
        data = json.loads(raw) if isinstance(raw, str) else dict(raw)
        rule = SunlightRule(**{k: v for k, v in data.items() if k in SunlightRule.__dataclass_fields__})
        rule.for_day(rule.standard_day)  # a known standard day
        if not (0 < float(rule.min_hours) <= 24 and 0 <= rule.band_start < rule.band_end <= 24):
            raise ValueError("hours out of range")
    except (TypeError, ValueError, KeyError) as exc:
        from lzt.core.errors import LztInputError

        raise LztInputError(getattr(ws, "uri", None), f"setting {SETTING_KEY} is not a sunlight rule ({exc})") from None
    return rule


def save_rule(ws, rule: SunlightRule) -> None:
    """Store ``rule`` as the workspace's sunlight rule."""
    ws.set_setting(SETTING_KEY, asdict(rule))
