"""The dependency order of DESIGN.md, checked mechanically on every module's imports.

cli > gui > export > (session | render) > analysis > (query | search | ingest) > workspace >
(layers | bim_import) > core. Qt only in lzt/gui (widgets), lzt/render and the page layouts
of lzt/export (QtGui, as DESIGN.md allows: sheets, reports, briefings).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RANK = {"core": 0, "layers": 1, "bim_import": 1, "workspace": 2, "query": 3, "search": 3, "ingest": 3,
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
