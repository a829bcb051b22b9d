"""The view-pixel gather of raster services (``lzt.services.warp.pixel_index``) against a
direct per-pixel computation: each view pixel centre carried to the source image and floored,
transparent outside it, on an affine view, a curved one and one with unknown coordinates."""

from __future__ import annotations

import numpy as np
import pytest

from lzt.services import warp


def _direct(image, fx_px, fy_px):
    """Per-pixel reference: floor of the exact source pixel, transparent outside."""
    h, w = image.shape[:2]
    px, py = np.floor(fx_px), np.floor(fy_px)
    ok = np.isfinite(px) & np.isfinite(py) & (px >= 0) & (py >= 0) & (px < w) & (py < h)
    out = np.zeros(px.shape + (4,), np.uint8)
    out[ok] = image[py[ok].astype(int), px[ok].astype(int)]
    return out


@pytest.mark.parametrize("case", ["affine", "curved", "holes"])
def test_gather_matches_a_direct_computation(case):
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, size=(300, 420, 4), dtype=np.uint8)
    width, height = 500, 260
    extent = (0.0, 0.0, 500.0, 260.0)
    cols, rows, X, Y = warp._lattice(extent, width, height)
    if case == "affine":  # rotated, scaled, shifted: half of it outside the image
        def to_src(x, y):
            return 0.9 * x - 0.05 * y - 60.0, 0.04 * x + 1.1 * y + 20.0
    else:  # a smooth curve the lattice cannot follow affinely
        def to_src(x, y):
            return 0.8 * x + 0.0008 * (y - 130.0) ** 2 * 10, 1.05 * y + 0.0004 * x ** 2
    sx, sy = to_src(X, Y)
    if case == "holes":
        sx = sx.copy()
        sx[2:5, 3:9] = np.nan  # no source coordinate there
    lattice = (cols, rows, sx, sy)
    index = warp.pixel_index(lattice, lambda x: x, lambda y: y, width, height, image.shape[1], image.shape[0])
    framed = warp.padded(*image.shape[:2])
    framed[1:-1, 1:-1] = image
    got = warp._gather(framed, index)
    # the reference: the lattice's own interpolation for curved views, the exact map for affine ones
    if case == "affine":
        ci, ri = np.meshgrid(np.arange(width), np.arange(height))
        want = _direct(image, *to_src(ci + 0.5, height - (ri + 0.5)))  # view pixel centres, y up
    else:
        want = _direct(image, warp._upsample(sx, cols, rows, width, height),
                       warp._upsample(sy, cols, rows, width, height))
    differ = (got != want).any(axis=2)
    assert differ.mean() < 1e-3, differ.sum()  # only pixels a rounding away from a source pixel edge
    assert (got[..., 3] == 0).any() and (got[..., 3] > 0).any()
