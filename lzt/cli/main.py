"""``lzt`` command line: ``main(argv) -> int``.

Each command lives in its own module, imported only when that command runs, so
``lzt --help`` is instant. Bad usage and bad input print one line on stderr and
return 2; programming errors stay loud (a traceback is a bug to fix).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
import warnings

from lzt import __version__

#: command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("lzt.cli.cmd_init", "create an empty workspace (GeoPackage)"),
    "import": ("lzt.cli.cmd_import", "import vector/table/raster files into a workspace"),
    "layers": ("lzt.cli.cmd_layers", "list the layers of a workspace"),
    "formats": ("lzt.cli.cmd_formats", "the file formats lzt reads and writes (one table for every way in)"),
    "query": ("lzt.cli.cmd_query", "spatial and attribute query on a layer"),
    "export": ("lzt.cli.cmd_export", "export a layer (or part of it) to a file"),
    "export3d": ("lzt.cli.cmd_export3d", "export white models and BIM models as 3D Tiles or CityJSON"),
    "demo": ("lzt.cli.cmd_demo", "build the deterministic Longgang demo workspace"),
    "bim": ("lzt.cli.cmd_bim", "import BIM models (IFC) with footprints, heights, storeys and GFA"),
    "stats": ("lzt.cli.cmd_stats", "complaint counts by street, community, category, month, status or polygon"),
    "hotspots": ("lzt.cli.cmd_hotspots", "hotspot grid (square or hexagonal) with Gi* z-scores"),
    "analyse": ("lzt.cli.cmd_analyse", "complaint analyses: kernel density, repeat complaints, monthly trend, "
                                       "counts joined to polygons"),
    "warn": ("lzt.cli.cmd_warn", "苗头预警: emerging hot spots, surges, 一人多诉, 多人同诉, repeat addresses, "
                                 "sensitive words"),
    "briefing": ("lzt.cli.cmd_briefing", "the weekly or monthly complaint briefing (简报) as PDF or DOCX"),
    "check": ("lzt.cli.cmd_check", "land-supervision checks: idle land, overdue completion, FAR, coverage, "
                                   "height, setback"),
    "height-limits": ("lzt.cli.cmd_height_limits", "height-limit zones (控高): buildings and BIM models against "
                                                    "their zone's limit (absolute or above the DEM ground)"),
    "profile": ("lzt.cli.cmd_profile", "elevation profile along a line: DEM ground and the buildings it cuts "
                                       "(table, JSON or a PNG/PDF plot)"),
    "gui": ("lzt.cli.cmd_gui", "open the desktop client (or save a screenshot of it)"),
    "inspect": ("lzt.cli.cmd_inspect", "record a parcel inspection (核查记录) or list a parcel's inspections"),
    "sheet": ("lzt.cli.cmd_sheet", "map sheet at true scale to PDF (vector), PNG or SVG"),
    "atlas": ("lzt.cli.cmd_atlas", "atlas: one map sheet per feature of a coverage layer"),
    "push": ("lzt.cli.cmd_push", "copy a GeoPackage workspace to a shared PostGIS workspace (postgresql://)"),
    "pull": ("lzt.cli.cmd_pull", "copy a shared PostGIS workspace into a new GeoPackage workspace"),
    "roles": ("lzt.cli.cmd_roles", "create the viewer/analyst/supervisor/admin roles of a shared workspace"),
    "tiles": ("lzt.cli.cmd_tiles", "build an offline tile package (MBTiles or GeoPackage, Web-Mercator levels) "
                                   "from a raster layer"),
    "download": ("lzt.cli.cmd_download", "download a saved OGC API Features / WFS service (its extent or all) "
                                         "into a workspace layer"),
    "service": ("lzt.cli.cmd_service", "the workspace's services: add / list / remove WMTS, WMS, XYZ, 天地图, "
                                       "OGC API Features and WFS"),
    "render": ("lzt.cli.cmd_render", "the bare map image of an extent (as a WMS GetMap would), services included"),
    "find": ("lzt.cli.cmd_find", "find a place: streets, communities, compounds, roads, POIs, parcels, projects"),
    "geocode": ("lzt.cli.cmd_geocode", "place the addresses of a layer's records (区/街道/社区/路/号/小区/栋) by the gazetteer"),
    "ask": ("lzt.cli.cmd_ask", "answer a question in Chinese about the workspace (offline grammar; refuses when unsure)"),
    "sunlight": ("lzt.cli.cmd_sunlight", "sunlight hours (日照分析) on façades or points against the rule, with a "
                                         "proposed BIM model's impact on its neighbours"),
    "crs-detect": ("lzt.cli.cmd_crs_detect", "which system a file's lon/lat are in (WGS84, GCJ-02, BD-09), "
                                             "with the evidence"),
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    from lzt.core.errors import CancelledError, ConflictError, LztInputError

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser_for(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (2) and --help/--version (0)
        return int(exc.code or 0)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    module = importlib.import_module(args._module)
    try:
        with warnings.catch_warnings():
            # A warning no one turned into lzt's words still comes out as one line on stderr,
            # without a library's source path.
            warnings.showwarning = functools.partial(_one_line_warning, args.command)
            return int(module.run(args) or 0)
    except LztInputError as exc:
        sys.stderr.write(f"lzt {args.command}: error: {exc.one_line()}\n")
        return 2
    except ConflictError as exc:  # someone else edited first: nothing was written
        sys.stderr.write(f"lzt {args.command}: conflict: {exc}\n")
        return 2
    except (CancelledError, KeyboardInterrupt):
        sys.stderr.write(f"\nlzt {args.command}: cancelled; nothing was written\n")
        return 130


def _one_line_warning(command: str, message, category, filename, lineno, file=None, line=None) -> None:
    sys.stderr.write(f"lzt {command}: 注意: {' '.join(str(message).split())}\n")


def build_parser_for(argv: list[str]) -> argparse.ArgumentParser:
    """The parser with arguments for the command named in ``argv`` (if any)."""
    parser = _Parser(prog="lzt", description="龙政图 lzt — Longgang spatial-information client. "
                                             "Run 'lzt COMMAND --help' for a command's options.")
    parser.add_argument("--version", action="version", version=f"lzt {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    chosen = next((a for a in argv if not a.startswith("-")), None)
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(_module=module)
        if name == chosen:
            importlib.import_module(module).add_arguments(p)
    return parser


def entry() -> None:
    """Console-script entry point."""
    import os

    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    raise SystemExit(code)
