"""The profile plot puts things where the numbers say: a block of a known building between its
distances and from its ground to its top, the ground band under the ground line, the cap of an
absolute zone at its elevation (positions computed here from the axes' box and the value range)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from lzt.analysis.profile import ElevationProfile, ProfileCut, ProfileZone
from lzt.render.profile_plot import BUILDING, GROUND, plot_area, value_range, draw_profile


def _image(profile, w=1200, h=600, dpi=96.0):
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(0xFFFFFFFF)
    p = QPainter(img)
    try:
        draw_profile(p, QRectF(0, 0, w, h), profile, dpi)
    finally:
        p.end()
    a = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes()).reshape(h, img.bytesPerLine())[:, :w * 4]
    return a.reshape(h, w, 4)[..., [2, 1, 0]].astype(int), plot_area(QRectF(0, 0, w, h), dpi)


def _mask(a, colour):
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return np.abs(a - rgb).sum(axis=2) < 10


def test_block_ground_and_cap_where_the_numbers_say():
    d = np.linspace(0, 1000, 201)
    ground = 50.0 + 0.02 * d  # 50 m rising to 70 m
    cut = ProfileCut("building", "B", 400.0, 460.0, 58.0, 40.0, 98.0)
    prof = ElevationProfile(1000.0, d, d, np.zeros_like(d), ground, [cut],
                            [ProfileZone("K", "absolute", 110.0, 600.0, 900.0)], "dem", "EPSG:4547")
    a, plot = _image(prof)
    lo, hi = value_range(prof)

    def col(dist):
        return plot.left() + dist / 1000.0 * plot.width()

    def row(z):
        return plot.bottom() - (z - lo) / (hi - lo) * plot.height()

    inside = np.zeros(a.shape[:2], bool)  # the axes only: the legend's swatch and grey text are outside
    inside[int(plot.top()) + 2:int(plot.bottom()) - 1, int(plot.left()) + 2:int(plot.right()) - 1] = True
    block = _mask(a, BUILDING) & inside
    cols = np.nonzero(block.sum(axis=0) > 5)[0]  # the block's columns (tall runs of its colour)
    rows = np.nonzero(block[:, cols].any(axis=1))[0]
    assert abs(cols.min() - col(400)) <= 2 and abs(cols.max() - col(460)) <= 2
    assert abs(rows.min() - row(98.0)) <= 2
    # the ground band: filled below the ground line, white above it (mid-way, away from the block)
    x = int(col(200))
    assert _mask(a, GROUND)[int(row(54.0)) + 3, x] and not _mask(a, GROUND)[int(row(54.0)) - 6, x]
    # the cap: red pixels on the row of 110 m between 600 and 900 m only
    red = (a[..., 0] > 180) & (a[..., 1] < 90) & (a[..., 2] < 90)
    r = int(round(row(110.0)))
    band = red[r - 2:r + 3]
    xs = np.nonzero(band.any(axis=0))[0]
    assert xs.min() >= col(600) - 3 and xs.max() <= col(900) + 3 and len(xs) > 0.3 * (col(900) - col(600))


def test_no_ground_is_said_not_drawn():
    d = np.linspace(0, 100, 11)
    prof = ElevationProfile(100.0, d, d, d, np.full_like(d, np.nan), [], [], None, "EPSG:4547")
    a, _ = _image(prof)
    assert not _mask(a, GROUND).any()
