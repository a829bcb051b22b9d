"""Shared fixtures. Qt runs offscreen in every test."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
REAL = REPO.parent / "shared" / "data" / "real"


@pytest.fixture(scope="session", autouse=True)
def qt_application():
    """One QApplication for the whole run: the renderer alone would make a QGuiApplication,
    on which no widget can be built later in the same process."""
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["lzt-tests"])


@pytest.fixture(autouse=True)
def due_collection():
    """Once a GUI test made the application (automatic collection off, lzt.gui.gc_thread), the
    collection due runs after each test too: tests without an event loop leave cycles."""
    yield
    import sys

    if "lzt.gui.gc_thread" in sys.modules and not sys.modules["gc"].isenabled():
        sys.modules["lzt.gui.gc_thread"].collect_due()


@pytest.fixture(autouse=True)
def private_view_cache(tmp_path, monkeypatch):
    """The map's kept opening views (lzt.render.view_cache) go to the test's own folder."""
    monkeypatch.setenv("LZT_VIEW_CACHE", str(tmp_path / "view_cache"))


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The real public test files (../shared/data/real); skipped visibly when absent."""
    if not REAL.is_dir():
        pytest.skip(f"real test data not found at {REAL}")
    return REAL


@pytest.fixture
def ws(tmp_path):
    """A fresh, empty EPSG:4547 workspace."""
    from lzt.workspace import create_workspace

    w = create_workspace(tmp_path / "ws.gpkg")
    yield w
    w.close()


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def postgis_cluster():
    """A throwaway PostgreSQL + PostGIS cluster for this test session (tests/pg_cluster.py).

    Skipped with the reason when the Debian packages are absent on a developer's
    machine; under CI (``CI`` set) their absence is a failure.
    """
    from tests import pg_cluster

    if pg_cluster.find_bindir() is None:
        reason = f"PostgreSQL with PostGIS is not installed (apt-get install {pg_cluster.PACKAGE})"
        if _in_ci():
            pytest.fail(f"{reason}; CI must have it (.ci/run installs it)")
        pytest.skip(reason)
    cluster = pg_cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(postgis_cluster):
    """The URL of a fresh, unused schema in the test cluster (dropped afterwards)."""
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    yield postgis_cluster.url(schema=schema)
    with psycopg.connect(postgis_cluster.url(), autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def longgang_points(n: int, seed: int = 1) -> gpd.GeoDataFrame:
    """``n`` points over Longgang (EPSG:4547) with assorted attribute types."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(504_600, 536_100, n)
    y = rng.uniform(2_498_500, 2_524_300, n)
    cats = np.array(["住宅小区", "学校", "医院", "商场", "公园"])
    return gpd.GeoDataFrame(
        {
            "名称": [f"点{i}" for i in range(n)],
            "category": cats[rng.integers(0, len(cats), n)],
            "面积": rng.uniform(10, 5000, n).round(2),
            "floors": rng.integers(1, 40, n),
            "opened": pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 1500, n), "D"),
        },
        geometry=shapely.points(x, y),
        crs="EPSG:4547",
    )


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory) -> Path:
    """The small demo workspace, built once per test session (read it; copy it to change it)."""
    from lzt.demo.build import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.gpkg"
    build_demo(path, "small")
    return path


@pytest.fixture
def demo_copy(demo_path, tmp_path) -> Path:
    """A private copy of the demo workspace that a test may change."""
    import shutil

    dst = tmp_path / "demo.gpkg"
    shutil.copyfile(demo_path, dst)
    return dst
