"""A blocky RGB orthophoto in EPSG:4547 whose colours are known by formula, for tile tests.

Blocks of BLOCK metres, each one colour: red and green count the block's column and row,
blue mixes both, so every block is told apart and a pixel read anywhere inside a block can
be checked against ``colour_at`` (computed from the coordinates alone, not by lzt)."""

from __future__ import annotations

import numpy as np

X0, Y1 = 512_000.0, 2_512_000.0  # north-west corner (Longgang)
CELL, BLOCK, SIZE = 5.0, 100.0, 2_000.0  # pixel, colour block, side (metres)


def colour_at(x: float, y: float) -> tuple[int, int, int]:
    """The colour of the block holding (x, y) (EPSG:4547)."""
    i, j = int((x - X0) // BLOCK), int((Y1 - y) // BLOCK)
    return (20 + 11 * i) % 256, (30 + 12 * j) % 256, (7 * i + 13 * j + 40) % 256


def block_centres(step: int = 3):
    """Centres of every ``step``-th block (EPSG:4547)."""
    n = int(SIZE // BLOCK)
    return [(X0 + (i + 0.5) * BLOCK, Y1 - (j + 0.5) * BLOCK) for i in range(0, n, step) for j in range(0, n, step)]


def write_blocky(path, cell: float = CELL) -> str:
    """Write the orthophoto as a GeoTIFF of ``cell``-metre pixels; returns its path."""
    import rasterio
    from rasterio.transform import from_origin

    n = int(SIZE / cell)
    xs = X0 + (np.arange(n) + 0.5) * cell
    ys = Y1 - (np.arange(n) + 0.5) * cell
    gx, gy = np.meshgrid(xs, ys)
    i, j = ((gx - X0) // BLOCK).astype(int), ((Y1 - gy) // BLOCK).astype(int)
    rgb = np.stack([(20 + 11 * i) % 256, (30 + 12 * j) % 256, (7 * i + 13 * j + 40) % 256]).astype(np.uint8)
    with rasterio.open(path, "w", driver="GTiff", width=n, height=n, count=3, dtype="uint8", crs="EPSG:4547",
                       transform=from_origin(X0, Y1, cell, cell), photometric="rgb") as ds:
        ds.write(rgb)
    return str(path)
