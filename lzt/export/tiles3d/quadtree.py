"""The tile tree: a quadtree over model centroids with at most ``cap`` models per tile.

Refinement is additive: a tile holds the ``cap`` tallest models of its area that no ancestor
holds, and its four children share the rest. Seen from afar a viewer shows the skyline (the
root tile's towers); coming closer it adds the lower buildings. A tile's geometric error is
the height of the tallest model it leaves to its descendants (what is missing on screen if
only it is drawn), so errors never grow down the tree and leaves have 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MAX_DEPTH = 24


@dataclass
class Node:
    """One tile: the models it draws (row positions), its children, its address (level, x, y)."""

    items: np.ndarray
    level: int
    address: tuple[int, int]
    geometric_error: float = 0.0
    children: list[Node] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.level}_{self.address[0]}_{self.address[1]}"

    def walk(self):
        """Every node of the subtree, children before their parent (post-order)."""
        for c in self.children:
            yield from c.walk()
        yield self


def build(x: np.ndarray, y: np.ndarray, height: np.ndarray, cap: int) -> Node:
    """The tile tree of models at (x, y) with heights ``height``; ``cap`` models per tile at most."""
    if cap < 1:
        raise ValueError("cap must be at least 1")
    x, y, height = (np.asarray(a, dtype=float) for a in (x, y, height))
    idx = np.arange(len(x))
    if len(x):
        x0, y0, x1, y1 = x.min(), y.min(), x.max(), y.max()
    else:
        x0 = y0 = x1 = y1 = 0.0
    side = max(x1 - x0, y1 - y0, 1e-6)
    return _node(idx, x, y, height, cap, (x0, y0, side), 0, (0, 0))


def _node(idx, x, y, h, cap, square, level, address) -> Node:
    if len(idx) <= cap or level >= MAX_DEPTH:
        return Node(items=idx, level=level, address=address)
    order = np.argsort(-h[idx], kind="stable")
    own, rest = idx[order[:cap]], idx[order[cap:]]
    x0, y0, side = square
    half = side / 2.0
    east = x[rest] >= x0 + half
    north = y[rest] >= y0 + half
    node = Node(items=own, level=level, address=address,
                geometric_error=float(h[rest].max()) if len(rest) else 0.0)
    for qx in (0, 1):
        for qy in (0, 1):
            sel = rest[(east == bool(qx)) & (north == bool(qy))]
            if len(sel):
                node.children.append(_node(sel, x, y, h, cap, (x0 + qx * half, y0 + qy * half, half),
                                           level + 1, (address[0] * 2 + qx, address[1] * 2 + qy)))
    return node
