"""lzt sunlight WS (--buildings LAYER [--where EXPR] | --points LAYER) [--date YYYY-MM-DD |
--standard-day 大寒|冬至] [--step MIN] [--spacing M] [--proposed MODEL,...] [--json] [--out LAYER]

and the shadows at one instant: lzt sunlight WS --buildings LAYER [--where EXPR] --at HH:MM --out LAYER
and the hours on the ground: lzt sunlight WS --buildings LAYER --raster CELL --bbox MINX,MINY,MAXX,MAXY --out LAYER"""

from __future__ import annotations

import json
import sys

FIRST_YEAR, LAST_YEAR = 1990, 2100  # the Sun's position is checked against the SPA for 2000–2050


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--buildings", metavar="LAYER", help="building layer: receivers along the façades "
                                                          "(residential buildings unless --where)")
    what.add_argument("--points", metavar="LAYER", help="point layer of receivers (z from the points, "
                                                        "else ground + sill height)")
    p.add_argument("--where", metavar="EXPR", help="which buildings to analyse (default: use = '住宅')")
    day = p.add_mutually_exclusive_group()
    day.add_argument("--date", metavar="YYYY-MM-DD", help="analyse this date")
    day.add_argument("--standard-day", choices=["大寒", "冬至"],
                     help="the standard day of this year (default: the workspace rule's, 大寒)")
    p.add_argument("--step", metavar="MIN", type=float, default=1.0, help="time step in minutes (default 1)")
    p.add_argument("--spacing", metavar="M", type=float, default=1.0,
                   help="receiver spacing along the façades in metres (default 1)")
    p.add_argument("--proposed", metavar="MODEL,...", help="proposed BIM models (fid or name): the analysis "
                                                            "with and without them")
    p.add_argument("--json", action="store_true", help="print the per-building results as JSON")
    p.add_argument("--out", metavar="LAYER", help="save the receivers and their hours as an analysis layer")
    p.add_argument("--raster", metavar="CELL", type=float, help="instead: a raster of sunlight hours on the "
                                                                "ground, CELL metres, over --bbox, saved with --out")
    p.add_argument("--bbox", metavar="MINX,MINY,MAXX,MAXY", help="the area of --raster (workspace CRS)")
    p.add_argument("--at", metavar="HH:MM", help="instead: the buildings' shadows at this true solar time "
                                                 "(all buildings, or --where), saved with --out")


def _day(args, rule):
    from datetime import date

    from lzt.analysis.sun import solar_term_date
    from lzt.cli.args import iso_date
    from lzt.core.errors import LztInputError

    if args.date:
        d = iso_date(args.date, "--date")
        if not FIRST_YEAR <= d.year <= LAST_YEAR:
            raise LztInputError("--date", f"{d.isoformat()} is out of range ({FIRST_YEAR}–{LAST_YEAR})")
        return d, rule
    name = args.standard_day or rule.standard_day
    rule = rule.for_day(name) if name != rule.standard_day else rule
    return solar_term_date(name, date.today().year), rule


def _check(args) -> list[str]:
    from lzt.core.errors import LztInputError

    if not (0 < args.step <= 60):
        raise LztInputError("--step", f"give a time step between 0 and 60 minutes, got {args.step:g}")
    if not (0.1 <= args.spacing <= 100):
        raise LztInputError("--spacing", f"give a spacing between 0.1 and 100 m, got {args.spacing:g}")
    if args.where and not args.buildings:
        raise LztInputError("--where", "only goes with --buildings")
    if args.at is not None:
        _hour(args.at)
    if args.at is not None and not (args.buildings and args.out):
        raise LztInputError("--at", "needs --buildings LAYER and --out LAYER (the shadows are saved as a layer)")
    if args.raster is not None:
        if not (args.buildings and args.out and args.bbox):
            raise LztInputError("--raster", "needs --buildings LAYER, --bbox and --out LAYER")
        if not (0.5 <= args.raster <= 1000):
            raise LztInputError("--raster", f"give a cell size between 0.5 and 1000 m, got {args.raster:g}")
        if args.at is not None or args.proposed:
            raise LztInputError("--raster", "goes without --at and --proposed")
    if args.at is not None and args.proposed:
        raise LztInputError("--at", "draws every placed BIM model's shadow; leave out --proposed")
    names = [n.strip() for n in (args.proposed or "").split(",") if n.strip()]
    if args.proposed is not None and not names:
        raise LztInputError("--proposed", "name at least one BIM model (fid or name)")
    return names


def run(args) -> int:
    from lzt.analysis.sunlight.analyse import analyse_buildings, analyse_points
    from lzt.analysis.sunlight.output import check_out_layer, save_receivers
    from lzt.analysis.sunlight.rule import rule_of
    from lzt.cli.progress import TerminalProgress
    from lzt.core.feedback import Feedback
    from lzt.workspace import open_workspace

    proposed = _check(args)
    ws = open_workspace(args.workspace)
    bar = TerminalProgress()
    try:
        day, rule = _day(args, rule_of(ws))
        if args.out:
            check_out_layer(ws, args.out)
        fb = Feedback(bar)
        if args.at is not None:
            return _shadows(ws, args, day, fb, bar)
        if args.raster is not None:
            return _raster(ws, args, day, rule, fb, bar)
        if args.buildings:
            res = analyse_buildings(ws, args.buildings, where=args.where, day=day, rule=rule, step_min=args.step,
                                    spacing=args.spacing, proposed=proposed, feedback=fb)
        else:
            res = analyse_points(ws, args.points, day=day, rule=rule, step_min=args.step, proposed=proposed,
                                 feedback=fb)
        bar.close()
        if args.out and res.receivers is not None and len(res.receivers):
            save_receivers(ws, args.out, res, source=" ".join(["lzt sunlight"] + sys.argv[2:]))
        elif args.out:
            res.problems.append(f"没有采样点，未保存图层 {args.out}")
            args.out = None
    finally:
        bar.close()
        ws.close()
    for p in res.problems:
        sys.stderr.write(f"lzt sunlight: 注意: {p}\n")
    if args.json:
        rows = [r.to_json() for r in res.results] if args.buildings else res.results
        json.dump(rows, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    _print(res, args)
    return 0


def _hour(text: str) -> float:
    from lzt.core.errors import LztInputError

    try:
        hh, mm = (int(v) for v in text.split(":"))
    except ValueError:
        raise LztInputError("--at", f"expected HH:MM, got {text!r}") from None
    if not (0 <= hh < 24 and 0 <= mm < 60):
        raise LztInputError("--at", f"expected HH:MM, got {text!r}")
    return hh + mm / 60.0


def _shadows(ws, args, day, fb, bar) -> int:
    from layers.kinds import LayerKind
    from lzt.analysis.sunlight.shadows import shadow_layer

    gdf, sun, problems = shadow_layer(ws, args.buildings, where=args.where, day=day, hour=_hour(args.at),
                                      feedback=fb)
    bar.close()
    ws.write_layer(args.out, gdf, kind=LayerKind.ANALYSIS, replace=True, details={"analysis": "shadows", **sun},
                   source=" ".join(["lzt sunlight"] + sys.argv[2:]))
    for p in problems:
        sys.stderr.write(f"lzt sunlight: 注意: {p}\n")
    if args.json:
        json.dump(dict(sun, buildings=len(gdf), layer=args.out), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(f"{day.isoformat()} 真太阳时 {args.at}：太阳高度 {sun['altitude_deg']:.1f}°，方位 "
                         f"{sun['azimuth_deg']:.1f}°；{len(gdf)} 栋建筑的阴影已保存为图层 {args.out}\n")
    return 0


def _raster(ws, args, day, rule, fb, bar) -> int:
    import numpy as np

    from lzt.analysis.join import save_result
    from lzt.analysis.sunlight.grid import grid_geotiff, sunlight_grid
    from lzt.cli.args import bbox

    values, transform, problems = sunlight_grid(ws, args.buildings, bbox(args.bbox), args.raster, day=day,
                                                rule=rule, step_min=args.step, feedback=fb)
    bar.close()
    save_result(ws, args.out, analysis="sunlight_hours", raster=grid_geotiff(values, transform, ws.crs),
                params={"day": day.isoformat(), "rule": rule.describe(), "cell_m": args.raster,
                        "step_min": args.step, "bbox": args.bbox}, protect=(args.buildings,))
    for p in problems:
        sys.stderr.write(f"lzt sunlight: 注意: {p}\n")
    v = values[np.isfinite(values)]
    summary = {"day": day.isoformat(), "cells": int(values.size), "open_cells": int(v.size), "layer": args.out,
               "mean_hours": round(float(v.mean()), 4) if v.size else None,
               "cells_below_rule": int((v < rule.min_hours - 1e-9).sum())}
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(f"{day.isoformat()} 地面日照：{summary['open_cells']} 个网格，平均 {summary['mean_hours']} 小时，"
                         f"不足 {rule.min_hours:g} 小时 {summary['cells_below_rule']} 个；已保存为栅格图层 {args.out}\n")
    return 0


def _print(res, args) -> None:
    out = sys.stdout
    out.write(f"日照分析 {res.day.isoformat()}，{res.rule.describe()}，步长 {res.step_min:g} 分钟"
              + (f"，拟建 {', '.join(res.proposed)}" if res.proposed else "") + "\n")
    if not args.buildings:
        ok = sum(r["status"] == "PASS" for r in res.results)
        out.write(f"{len(res.results)} 个点，满足 {ok} 个，不满足 {len(res.results) - ok} 个\n")
    else:
        fail = [r for r in res.results if r.status == "FAIL"]
        out.write(f"{len(res.results)} 栋建筑（{len(res.receivers)} 个采样点），满足 {len(res.results) - len(fail)} 栋，"
                  f"不满足 {len(fail)} 栋\n")
        if res.proposed:
            out.write(f"拟建方案遮挡到 {len(res.results)} 栋建筑，其中由满足变为不满足 {len(res.impacted())} 栋"
                      "（按最不利点减少的分钟数排列）：\n")
            impacted = {id(r) for r in res.impacted()}
            for r in sorted(res.results, key=lambda r: -r.lost_minutes)[:20]:
                flag = "  ← 由满足变为不满足" if id(r) in impacted else ""
                out.write(f"  {r.building}  {r.min_hours_before:.2f} → {r.min_hours_after:.2f} 小时"
                          f"（减少 {r.lost_minutes:g} 分钟；{r.points_losing} 个采样点减少，"
                          f"{r.points_newly_failing} 个新不满足）{flag}\n")
            return _saved(out, args)
        for r in fail[:20]:
            out.write(f"  {r.building}  最不利点 {r.min_hours:.2f} 小时（连续 {r.max_continuous_hours:.2f}）"
                      + (f"  {r.note}" if r.note else "") + "\n")
        if len(fail) > 20:
            out.write(f"  …另有 {len(fail) - 20} 栋不满足（--json 列出全部）\n")
    _saved(out, args)


def _saved(out, args) -> None:
    if args.out:
        out.write(f"已保存为图层 {args.out}\n")
