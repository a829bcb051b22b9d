"""A minimal PDF reader for tests (no PDF library is a dependency): objects, streams,
fonts, pages, and the text Qt writes (``<cid> Tj`` through each font's ToUnicode CMap)."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

_OBJ = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)


class Pdf:
    def __init__(self, path: str | Path):
        self.data = Path(path).read_bytes()
        self.objects: dict[int, bytes] = {int(m.group(1)): m.group(2) for m in _OBJ.finditer(self.data)}

    def stream(self, body: bytes) -> bytes | None:
        i = body.find(b"stream")
        if i < 0:
            return None
        raw = body[i + 6:].lstrip(b"\r\n")
        raw = raw[: raw.rfind(b"endstream")]
        if b"/FlateDecode" in body[:i]:
            return zlib.decompressobj().decompress(raw)
        return raw

    def dicts_with(self, key: bytes) -> list[bytes]:
        return [b for b in self.objects.values() if key in b.split(b"stream")[0]]

    @property
    def page_count(self) -> int:
        return len(re.findall(rb"/Type\s*/Page\b(?!s)", self.data))

    def media_boxes(self) -> list[tuple[float, ...]]:
        return [tuple(float(v) for v in m.groups())
                for m in re.finditer(rb"/MediaBox\s*\[([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)\]", self.data)]

    def embedded_fonts(self) -> list[str]:
        """BaseFont names of fonts whose descriptor carries an embedded font file."""
        names = []
        for body in self.objects.values():
            head = body.split(b"stream")[0]
            if b"/FontDescriptor" in head and re.search(rb"/FontFile[23]?\s", head):
                m = re.search(rb"/FontName\s*/([^\s/]+)", head)
                names.append(m.group(1).decode() if m else "?")
        return names

    def font_names(self) -> list[str]:
        return [m.group(1).decode() for m in re.finditer(rb"/BaseFont\s*/([^\s/]+)", self.data)]

    def _cmaps(self) -> dict[int, dict[int, str]]:
        maps: dict[int, dict[int, str]] = {}
        for num, body in self.objects.items():
            s = self.stream(body)
            if not s or b"begincmap" not in s:
                continue
            m: dict[int, str] = {}
            for block in re.findall(rb"beginbfrange(.*?)endbfrange", s, re.S):
                for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[.*?\]|<[0-9A-Fa-f]+>)",
                                              block, re.S):
                    lo_i, hi_i = int(lo, 16), int(hi, 16)
                    if dst.startswith(b"["):
                        for k, h in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", dst)):
                            m[lo_i + k] = bytes.fromhex(h.decode()).decode("utf-16-be")
                    else:
                        base = int(dst[1:-1], 16)
                        for k in range(hi_i - lo_i + 1):
                            m[lo_i + k] = chr(base + k)
            for block in re.findall(rb"beginbfchar(.*?)endbfchar", s, re.S):
                for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    m[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
            maps[num] = m
        return maps

    def text(self) -> str:
        """All text shown with Tj, decoded through the ToUnicode CMaps (one merged map)."""
        merged: dict[int, str] = {}
        for m in self._cmaps().values():
            merged.update(m)
        out = []
        for body in self.objects.values():
            s = self.stream(body)
            if not s or b"Tj" not in s:
                continue
            for block in re.findall(rb"BT(.*?)ET", s, re.S):
                line = []
                for hexs in re.findall(rb"<([0-9A-Fa-f]+)>\s*Tj", block):
                    h = hexs.decode()
                    for i in range(0, len(h), 4):
                        ch = merged.get(int(h[i:i + 4], 16), "?")
                        line.append(" " if ch == "\t" else ch)
                out.append("".join(line))
        return "\n".join(out)
