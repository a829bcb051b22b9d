"""After ``qt_types.ready()`` no Qt enum is created lazily by painting (which render threads
would otherwise race on). Run in a fresh interpreter: this process has created them already."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

PROBE = r"""
import enum
made = []
create = enum.EnumType.__call__
def spy(cls, value, names=None, *a, **k):
    if names is not None:
        made.append(value)
    return create(cls, value, names, *a, **k)
enum.EnumType.__call__ = spy
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
from lzt.render import qt_types
qt_types.ready()
before = len(made)
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
img = QImage(50, 50, QImage.Format.Format_ARGB32_Premultiplied)
p = QPainter(img)
p.setClipRect(QRectF(0, 0, 40, 40))
p.fillRect(QRectF(0, 0, 40, 40), QColor("#ffffff"))
p.setFont(QFont())
p.setPen(QPen(QColor("red")))
p.drawText(QPointF(3, 20), "x")
p.end()
print(before, made[before:])
"""


def test_painting_creates_no_enum_after_ready():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    before, after = out.stdout.strip().split(" ", 1)
    assert int(before) > 50  # ready() did create the enums
    assert after == "[]"


def test_ready_step_creates_them_in_slices_that_always_progress():
    """``ready_step`` with no time at all still creates a class a call: the GUI thread's slices
    end (the first render waits for them), and painting afterwards creates no enum."""
    probe = PROBE.replace("qt_types.ready()\n",
                          "steps = 1\nwhile not qt_types.ready_step(0.0) and steps < 200_000:\n    steps += 1\n"
                          "assert qt_types.ready_step(0.0), steps\nassert steps > 10, steps\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    before, after = out.stdout.strip().split(" ", 1)
    assert int(before) > 50 and after == "[]"
