"""A sunlight run as a workspace layer: one point per receiver with its hours (分析结果)."""

from __future__ import annotations

import numpy as np

from lzt.core.errors import LztInputError


def check_out_layer(ws, name: str) -> None:
    """``--out`` may replace an earlier analysis result, never a layer of another kind."""
    from layers.kinds import LayerKind

    info = ws.layer(name) if ws.has_layer(name) else None
    if info is not None and info.kind != LayerKind.ANALYSIS and "analysis" not in (info.details or {}):
        raise LztInputError("--out", f"layer {name!r} exists and is not an analysis result; choose another name")


def receiver_table(run) -> "object":
    """GeoDataFrame of the run's receivers: owner, façade, z, hours, continuous hours, status
    against the rule; with a proposal also hours before and after and the minutes lost."""
    import geopandas as gpd
    import shapely

    rec, need = run.receivers, run.rule.min_hours - 1e-9
    cols = {"owner_fid": rec.owner, "facade": rec.facade, "z": np.round(rec.z, 3),
            "facing_deg": np.round(rec.facade_azimuth, 2),
            "hours": np.round(run.hours.hours, 4), "continuous_hours": np.round(run.hours.continuous, 4),
            "status": np.where(run.hours.hours >= need, "PASS", "FAIL")}
    if run.hours_before is not None:
        cols.update(hours_before=np.round(run.hours_before.hours, 4),
                    lost_minutes=np.round((run.hours_before.hours - run.hours.hours) * 60.0, 2),
                    status_before=np.where(run.hours_before.hours >= need, "PASS", "FAIL"))
    return gpd.GeoDataFrame(cols, geometry=shapely.points(rec.x, rec.y), crs=None)


def save_receivers(ws, name: str, run, *, source: str) -> None:
    """Write the receivers as analysis layer ``name`` (replacing an earlier analysis result)."""
    from layers.kinds import LayerKind

    check_out_layer(ws, name)
    gdf = receiver_table(run).set_crs(ws.crs, allow_override=True)
    ws.write_layer(name, gdf, kind=LayerKind.ANALYSIS, source=source, replace=True,
                   details={"analysis": "sunlight", "day": run.day.isoformat(), "rule": run.rule.describe(),
                            "step_min": run.step_min, "proposed": list(run.proposed)})
