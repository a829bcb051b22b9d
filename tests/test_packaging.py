"""What `pip install .` ships: the packages and the data files the app reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from tests.conftest import REPO


def test_wheel_contains_packages_and_resources(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    wheel = next(tmp_path.glob("lzt-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("lzt/cli/main.py", "layers/registry.py", "bim_import/georef.py",
                     "resources/demo/longgang_recipe.json", "resources/fonts/LztSansSC-Regular.ttf",
                     "resources/fonts/OFL.txt", "resources/i18n/lzt_en.qm", "resources/icons/pan.svg",
                     "lzt/gui/main_window.py", "lzt/render/painter.py", "lzt/export/sheet.py"):
        assert required in names, required
