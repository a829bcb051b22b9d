"""Development tool: build resources/fonts/LztSansSC-Regular.ttf from Noto Sans CJK SC.

Not shipped and not imported by lzt. Run once when the character set changes:

    python tools/make_cjk_font.py NotoSansCJK-Regular.ttc   # Debian package fonts-noto-cjk

The subset holds ASCII, Latin-1 symbols, all GB2312 symbol rows, GB2312 level-1 and
level-2 hanzi, and every other CJK character found in lzt's own sources and demo recipe.
CFF outlines are converted to TrueType quadratics (fontTools cu2qu) so that Qt's PDF
engine embeds the font as a TrueType (CIDFontType2) subset. The family is renamed
because the SIL OFL 1.1 asks modified versions to carry their own name.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, newTable

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "resources" / "fonts" / "LztSansSC-Regular.ttf"
FAMILY = "LZT Sans SC"


def gb2312_chars() -> set[str]:
    out = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def repo_chars() -> set[str]:
    cjk = re.compile(r"[\u2000-\u2bff\u3000-\u9fff\uff00-\uffef]")
    out: set[str] = set()
    for d in ("lzt", "layers", "bim_import", "resources"):
        for p in (REPO / d).rglob("*"):
            if p.suffix in (".py", ".json", ".ts") and p.is_file():
                out |= set(cjk.findall(p.read_text(encoding="utf-8", errors="ignore")))
    return out


def to_truetype(font) -> None:
    """Replace CFF outlines by quadratic TrueType outlines (max error 1 unit)."""
    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        gs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
                 "maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
                 "maxComponentDepth"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font["head"].indexToLocFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font) -> None:
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 3, 4, 6, 16, 17, 21, 22):
            name.removeNames(nameID=rec.nameID)
    name.setName(FAMILY, 1, 3, 1, 0x409)
    name.setName("Regular", 2, 3, 1, 0x409)
    name.setName(f"{FAMILY} Regular (subset of Noto Sans CJK SC)", 3, 3, 1, 0x409)
    name.setName(f"{FAMILY} Regular", 4, 3, 1, 0x409)
    name.setName("LZTSansSC-Regular", 6, 3, 1, 0x409)


def main(ttc: str) -> None:
    coll = TTCollection(ttc)
    font = next(f for f in coll.fonts if f["name"].getDebugName(4) == "Noto Sans CJK SC")
    chars = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)}
    chars |= gb2312_chars() | repo_chars() | set("°×±²³·—–‘’“”…‰′″℃№ⅠⅡⅢⅣⅤ←↑→↓√∞≈≠≤≥①②③④⑤⑥⑦⑧⑨⑩")
    opts = subset.Options()
    opts.layout_features = ["kern"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.hinting = False
    opts.notdef_outline = True
    opts.glyph_names = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    to_truetype(font)
    rename(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(OUT)
    print(f"{OUT}: {OUT.stat().st_size / 1e6:.2f} MB, {len(font.getGlyphOrder())} glyphs, "
          f"{len(chars)} characters requested")


if __name__ == "__main__":
    main(sys.argv[1])
