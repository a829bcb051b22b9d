"""The import report: what an import did, for people (text) and machines (JSON)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from lzt.core.chinacoords import LABELS


@dataclass
class ImportReport:
    """One imported layer."""

    file: str
    layer: str
    kind: str  # "vector" | "raster"
    status: str = "imported"  # "imported" | "replaced"
    source_layer: str | None = None
    count: int = 0
    geometry_type: str | None = None
    crs_source: str | None = None  # CRS of the input, as found or given
    crs_from: str = "file"  # "file" | "--src-crs" | "assumed lon/lat"
    crs_used: str | None = None  # workspace CRS stored in
    coords: str | None = None  # "wgs84" | "gcj02" | "bd09" for converted lon/lat input
    crs_verdict: dict[str, Any] | None = None  # lon/lat input: which system lzt believes it is in
    repaired: int = 0  # invalid geometries made valid
    null_geometries: int = 0
    empty_geometries: int = 0
    rows_without_coords: int = 0
    promoted_to_multi: int = 0
    encoding: str | None = None
    x_field: str | None = None
    y_field: str | None = None
    extent: list[float] | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["seconds"] = round(self.seconds, 3)
        return d

    def text_zh(self, *, warnings: bool = True) -> str:
        """A short human report (Chinese, as the UI speaks); ``warnings=False`` leaves the
        warnings out (the CLI prints them on stderr)."""
        parts = [f"{self.file} → 图层 {self.layer}: {self.count} 个要素"
                 if self.kind != "raster" else f"{self.file} → 栅格图层 {self.layer}"]
        if self.geometry_type:
            parts.append(f"几何 {self.geometry_type}")
        if self.crs_source:
            parts.append(f"坐标系 {self.crs_source} ({self.crs_from}) → {self.crs_used}")
        if self.coords and self.coords != "wgs84":
            shift = self.extra.get("coords_shift") or {}
            label = LABELS.get(self.coords, self.coords)
            if shift and not shift.get("moved"):
                parts.append(f"{label}：数据在中国境外，坐标未移动")
            else:
                parts.append(f"已由 {label} 纠偏至 WGS84"
                             + (f"（约 {shift['median_m']:g} m）" if shift.get("median_m") else ""))
        verdict = self.crs_verdict or {}
        geo = verdict.get("geometry") or {}
        if verdict.get("datum") and not verdict.get("flag") and geo.get("status") == "conclusive":
            parts.append(f"坐标核对 {LABELS.get(verdict['datum'], verdict['datum'])}"
                         f"（与工作空间图层残差 {geo.get('residual_m'):.1f} m）")
        if self.repaired:
            parts.append(f"修复无效几何 {self.repaired}")
        if self.null_geometries or self.empty_geometries:
            parts.append(f"空几何 {self.null_geometries + self.empty_geometries}")
        if self.rows_without_coords:
            parts.append(f"无坐标记录 {self.rows_without_coords}（已保留）")
        if self.encoding:
            parts.append(f"编码 {self.encoding}")
        parts.append(f"用时 {self.seconds:.2f} 秒")
        lines = ["；".join(parts)]
        if warnings:
            lines += [f"  {line}" for line in self.warning_lines()]
        return "\n".join(lines)

    def warning_lines(self) -> list[str]:
        """The warnings as the CLI prints them (on stderr): ``注意: <file>: <warning>``."""
        return [f"注意: {self.file}: {w}" for w in self.warnings]
