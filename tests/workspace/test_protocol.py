"""Both backends implement the whole ``Workspace`` protocol, with its signatures: every method
and keyword a caller may use on ``ws: Workspace`` exists on each backend."""

from __future__ import annotations

import inspect

import pytest

from lzt.workspace.base import Workspace
from lzt.workspace.gpkg.workspace import GeoPackageWorkspace
from lzt.workspace.postgis.workspace import PostGISWorkspace

MEMBERS = sorted(n for n, v in vars(Workspace).items()
                 if not n.startswith("_") and (callable(v) or isinstance(v, property)))


def test_the_protocol_is_not_empty():
    assert {"write_layer", "read_features", "update_feature", "restore_records", "srs_id"} <= set(MEMBERS)


@pytest.mark.parametrize("cls", [GeoPackageWorkspace, PostGISWorkspace], ids=["gpkg", "postgis"])
@pytest.mark.parametrize("name", MEMBERS)
def test_backend_has_the_member_with_its_signature(cls, name):
    declared = getattr(Workspace, name)
    actual = getattr(cls, name, None)
    assert actual is not None, f"{cls.__name__} lacks {name}"
    if isinstance(declared, property):
        assert isinstance(actual, property), f"{cls.__name__}.{name} is not a property"
        return
    want = inspect.signature(declared).parameters
    have = inspect.signature(actual).parameters
    for pname, p in want.items():
        assert pname in have, f"{cls.__name__}.{name} lacks parameter {pname}"
        assert have[pname].kind == p.kind, f"{cls.__name__}.{name}({pname}): {have[pname].kind} != {p.kind}"
        assert have[pname].default == p.default, f"{cls.__name__}.{name}({pname}) default differs"
    extra = [q for q, p in have.items() if q not in want and p.default is inspect.Parameter.empty
             and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    assert not extra, f"{cls.__name__}.{name} requires {extra}, which the protocol does not declare"


def test_open_workspaces_satisfy_the_runtime_check(ws):
    assert isinstance(ws, Workspace)


@pytest.mark.parametrize("cls", [GeoPackageWorkspace, PostGISWorkspace], ids=["gpkg", "postgis"])
@pytest.mark.parametrize("name", MEMBERS)
def test_backend_takes_no_keyword_the_protocol_lacks(cls, name):
    """A keyword only one backend takes is either unused there or lost on the other backend
    (``write_raster(points=)`` was accepted by the GeoPackage and ignored)."""
    declared = getattr(Workspace, name)
    if isinstance(declared, property):
        return
    want = inspect.signature(declared).parameters
    have = inspect.signature(getattr(cls, name)).parameters
    extra = [q for q, p in have.items() if q not in want and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    assert not extra, f"{cls.__name__}.{name} takes {extra}, which the protocol does not declare"
