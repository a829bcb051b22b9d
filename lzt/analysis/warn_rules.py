"""The thresholds of the warning desk: defaults, overridden by the ``warning_rules`` setting.

Every default is a proposal ([P]) or from memory ([M]), not an official rule:
- 一人多诉 ≥ 3 orders in 30 days [M]: DOMAIN.md §7.3 reports 新都 warning on 3+ repeat
  complaints; 30 days follows DOMAIN.md §2.4's repeat window [P].
- 多人同诉 ≥ 5 distinct callers of one category within 200 m and 3 days [P].
- repeat address ≥ 3 orders of one category at one address in 30 days [P].
- sensitive words [M]: the issue's examples (燃气泄漏, 坍塌, 群体, 安全隐患) and a few of the
  same kind; DOMAIN.md §7.3 mentions 新都's 170-word list, which was not retrieved. A word of
  ``red_words`` makes its warning 红, any other listed word 橙, and a warning of another
  rule whose records hold a listed word is raised one level.
- emerging hot spots: 12 periods, neighbourhood time step 1, α = 0.05 [M] (ArcGIS Pro's
  defaults are not stated for the level); which patterns are warnings and at what level, and
  that a pattern becomes a warning only when its locations hold at least ``pattern_min_count``
  records in the period examined and that count is unusual for them (P < ``pattern_alpha``
  under the surge model's trailing baseline) [P]: Gi*'s normal approximation is poor on
  sparse counts (one record among empty cells scores z > 3), and in steady data borderline
  cells flicker in and out of significance. Sporadic, oscillating, persistent, diminishing
  and historical hot spots are on the pattern map, not in the list (add them to
  ``pattern_levels`` to list them).
- 多人同诉 also needs the group to be unusual for its place: P < ``alpha`` of that many orders
  in those days under the cells' trailing rate for the category [P] (a fixed count alone
  fires every week at busy places).
- surges: α = 0.001 per area, at least 5 records [M] (Farrington et al. 1996's minimum);
  红 below p = 1e-6, 橙 below 1e-4, else 黄 [P].

An analyst changes them per workspace, e.g.
``ws.set_setting("warning_rules", {"repeat_caller": {"orders": 4}})``; keys left out keep
their default.
"""

from __future__ import annotations

import copy

from lzt.core.errors import LztInputError

SETTING = "warning_rules"
LEVELS = ("红", "橙", "黄")

DEFAULTS: dict = {
    "history_periods": {"day": 28, "week": 12, "month": 12},
    "time_lag": 1,
    "alpha": 0.05,
    "pattern_levels": {"新增热点": "橙", "连续热点": "橙", "加强热点": "红"},
    "pattern_min_count": 5,
    "pattern_alpha": 0.01,
    "surge": {"alpha": 0.001, "min_count": 5, "red_p": 1e-6, "orange_p": 1e-4},
    "repeat_caller": {"orders": 3, "days": 30},
    "group_complaint": {"callers": 5, "metres": 200.0, "days": 3, "alpha": 0.001},
    "repeat_address": {"orders": 3, "days": 30},
    "sensitive_words": ["燃气泄漏", "煤气泄漏", "坍塌", "倒塌", "群体", "集体上访", "安全隐患", "火灾", "爆炸",
                        "跳楼", "轻生", "堵路"],
    "red_words": ["燃气泄漏", "煤气泄漏", "坍塌", "倒塌", "火灾", "爆炸", "跳楼", "轻生"],
}


def warning_rules(ws=None, overrides: dict | None = None) -> dict:
    """The defaults, with the workspace's ``warning_rules`` setting and ``overrides`` on top."""
    rules = copy.deepcopy(DEFAULTS)
    for src, layer in ((ws.get_setting(SETTING) if ws is not None else None, SETTING), (overrides, "rules")):
        if not src:
            continue
        if not isinstance(src, dict):
            raise LztInputError(layer, "the warning rules must be a JSON object")
        for k, v in src.items():
            if k not in DEFAULTS:
                raise LztInputError(layer, f"unknown warning rule {k!r}; known: {', '.join(DEFAULTS)}")
            if isinstance(DEFAULTS[k], dict) and k != "pattern_levels":
                if not isinstance(v, dict) or any(kk not in DEFAULTS[k] for kk in v):
                    raise LztInputError(layer, f"rule {k!r} takes {', '.join(DEFAULTS[k])}")
                rules[k].update(v)
            else:
                rules[k] = v
    bad = [v for v in rules["pattern_levels"].values() if v not in LEVELS]
    if bad:
        raise LztInputError(SETTING, f"pattern levels must be one of {'/'.join(LEVELS)}, got {bad[0]!r}")
    return rules


def raise_level(level: str) -> str:
    """One level up (黄 -> 橙 -> 红)."""
    return LEVELS[max(LEVELS.index(level) - 1, 0)]
