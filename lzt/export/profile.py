"""An elevation profile as a picture file (PNG, PDF or SVG), headless."""

from __future__ import annotations

from pathlib import Path


def write_profile_plot(profile, path, *, width_mm: float = 240.0, height_mm: float = 110.0,
                       title: str | None = None) -> Path:
    """Draw ``profile`` to ``path`` (.png at 200 dpi, vector .pdf, .svg), atomically."""
    from lzt.render.pdf import ImagePage, PdfPages, SvgPage
    from lzt.render.profile_plot import draw_profile

    path = Path(path)
    title = title or f"纵断面（全长 {profile.length_m:.0f} 米）"
    suffix = path.suffix.lower()
    size = (width_mm, height_mm)
    doc = (ImagePage(path, size, dpi=200.0) if suffix == ".png" else SvgPage(path, size, title=title)
           if suffix == ".svg" else PdfPages(path, size, title=title))
    with doc:
        draw_profile(doc.painter, doc.rect_mm(0, 0, width_mm, height_mm), profile, doc.dpi, title=title)
    return path
