"""The dependency order of DESIGN.md, checked mechanically on every module's imports.

cli > gui > export > (session | render) > analysis > (query | search | ingest) > workspace >
(layers | bim_import) > core. Qt only in lzt/gui (widgets), lzt/render and the page layouts
of lzt/export (QtGui, as DESIGN.md allows: sheets, reports, briefings). Also: no import cycle
between the modules of one package, no module past MAX_LINES (justified exceptions listed), and
no list of file suffixes outside the format table (``layers/formats.py``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# services (remote sources: protocol readers, download) sit above query and ingest: they filter
# with the query language and download through the importer; session, render and gui use them.
RANK = {"core": 0, "layers": 1, "bim_import": 1, "workspace": 2, "query": 3, "search": 3, "ingest": 3, "services": 3.5,
        "analysis": 4, "session": 5, "render": 5, "export": 6, "demo": 6, "gui": 7, "cli": 8}
SIBLINGS_APART = [{"session", "render"}, {"query", "ingest"}, {"query", "search"}, {"search", "ingest"}, {"layers", "bim_import"}]


def _package(path: Path) -> str:
    rel = path.relative_to(REPO).parts
    return rel[1] if rel[0] == "lzt" and len(rel) > 2 else rel[0]


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _target(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "lzt" and len(parts) > 1 and parts[1] in RANK:
        return parts[1]
    if parts[0] in ("layers", "bim_import"):
        return parts[0]
    return None


SOURCES = sorted(p for d in ("lzt", "layers", "bim_import") for p in (REPO / d).rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_imports_follow_the_dependency_order(path):
    pkg = _package(path)
    if pkg not in RANK:
        return
    for module in _imports(path):
        if module.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"):
            assert pkg in ("gui", "render", "export"), f"{path}: Qt import {module} outside lzt/gui, lzt/render, lzt/export"
            if pkg in ("render", "export"):
                assert "QtWidgets" not in module, f"{path}: QtWidgets in lzt/{pkg}"
        target = _target(module)
        if target is None or target == pkg:
            continue
        assert RANK[target] < RANK[pkg], f"{path}: {pkg} must not import {target} ({module})"
        for pair in SIBLINGS_APART:
            assert {pkg, target} != pair, f"{path}: {pkg} and {target} must not import each other"


def test_sources_found():
    assert len(SOURCES) > 10


# -- no import cycle inside a package ----------------------------------------------------------
def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in SOURCES}


def _internal_imports(path: Path) -> set[str]:
    """The modules of this repository ``path`` imports (anywhere in it, lazily too): ``from a import
    b`` counts as importing module ``a.b`` when that is a module, else ``a``."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in MODULES}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = {f"{node.module}.{a.name}" for a in node.names} & MODULES.keys()
            if subs:
                out |= subs
            elif node.module in MODULES:
                out.add(node.module)
    return out


def _room(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "lzt" and len(parts) > 1 else parts[0]


def _cycles() -> list[list[str]]:
    graph = {m: {d for d in _internal_imports(p) if d != m and _room(d) == _room(m)} for m, p in MODULES.items()}
    found, state = [], {}

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                found.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d, stack)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    return found


def test_no_import_cycle_inside_a_package():
    cycles = _cycles()
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


# -- small modules ----------------------------------------------------------------------------
MAX_LINES = 600
#: modules allowed past MAX_LINES, each with its reason (shrink them; do not add to this list lightly)
LONG_MODULES: dict[str, str] = {}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_modules_stay_small(path):
    rel = str(path.relative_to(REPO))
    n = len(path.read_text(encoding="utf-8").splitlines())
    if rel in LONG_MODULES:
        assert n > MAX_LINES, f"{rel} is {n} lines now: take it off LONG_MODULES"
        return
    assert n <= MAX_LINES, f"{rel} has {n} lines (limit {MAX_LINES}): split it by job"


# -- one format table --------------------------------------------------------------------------
PATTERN = re.compile(r"\*\.[a-z0-9]{2,8}\b")  # a file-dialog pattern list
SUFFIX = re.compile(r"^\*?\.(gpkg|shp|zip|geojson|json|fgb|kml|gml|gpx|tab|mif|csv|tsv|txt|xlsx?|tiff?|img|jp2|asc|nc|"
                    r"dem|vrt|ifc|glb|gltf|obj|ply|stl)$")
def test_suffix_lists_derive_from_the_format_table():
    """Every list of suffixes a way in or out uses is the format table's, and no module outside
    the table spells out a list of data-file suffixes of its own."""
    from layers import formats, vector
    from lzt.export import data, raster
    from lzt.ingest.bim import MODEL_SUFFIXES

    assert set(vector.ZIP_MEMBERS) == {s for f in formats.TABLE if f.in_zip for s in f.suffixes}
    assert MODEL_SUFFIXES == set(formats.suffixes("bim"))
    assert set(data.FORMATS) == set(formats.export_formats("vector", "table"))
    assert set(raster.SUFFIXES) == set(formats.export_formats("raster"))
    allowed = {"layers/formats.py", "bim_import/formats.py", "bim_import/mesh.py"}  # the table; the model readers' own
    offenders = []
    for p in SOURCES:
        rel = str(p.relative_to(REPO))
        for node in ast.parse(p.read_text(encoding="utf-8")).body:  # module-level constants
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None and rel not in allowed:
                texts = [c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant) and isinstance(c.value, str)]
                if sum(bool(SUFFIX.match(t)) for t in texts) >= 3 or any(len(PATTERN.findall(t)) >= 3 for t in texts):
                    offenders.append(f"{rel}:{node.lineno}")
    assert not offenders, f"suffix lists outside layers/formats.py: {offenders}"
