"""Text encodings of attribute data (DBF without or with a wrong .cpg, CSV exports) and
CSV dialect sniffing.

Chinese data arrives as UTF-8 or as GBK/GB2312 (Excel and older GIS on Chinese Windows),
read here as GB18030, their superset. The order of trial:

1. a UTF-8 byte-order mark, then strict UTF-8: non-UTF-8 text almost never decodes as
   UTF-8 by accident;
2. strict GB18030, *and* the decoded text must look Chinese: GB18030 decodes many
   Western byte strings too ("Ñandú" -> rare ideographs), so at least 70 % of the
   non-ASCII characters must be common ones (in GB2312, the 6,763 everyday hanzi plus
   full-width punctuation);
3. for DBF only: Windows-1252, else Latin-1 (both decode anything), with a warning.
   A CSV that is neither UTF-8 nor Chinese is refused ("unknown encoding").
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter

UTF8, GB = "utf-8", "gb18030"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_GB_SHARE = 0.7  # share of common (GB2312) characters a GB18030 decoding must reach

# What .cpg files say (ArcGIS writes code-page numbers, QGIS/GDAL names), as Python codecs
# that iconv (GDAL) knows under the same name.
_CPG = {"utf8": UTF8, "utf-8": UTF8, "65001": UTF8, "936": GB, "cp936": GB, "gbk": GB,
        "gb2312": GB, "gb18030": GB, "54936": GB, "ansi936": GB, "950": "big5", "cp950": "big5",
        "big5": "big5", "1252": "cp1252", "cp1252": "cp1252", "ansi1252": "cp1252",
        "88591": "iso-8859-1", "iso88591": "iso-8859-1", "latin1": "iso-8859-1"}


def canonical(name: str) -> str:
    """A codec name as lzt reports it and hands to GDAL; LookupError when unknown."""
    import codecs

    key = re.sub(r"[\s_-]", "", name.strip().lower())
    if key in _CPG:
        return _CPG[key]
    info = codecs.lookup(name.strip())  # raises LookupError
    return {"utf-8": UTF8, "gbk": GB, "gb2312": GB, "latin-1": "iso-8859-1",
            "iso8859-1": "iso-8859-1"}.get(info.name, info.name)


def cpg_encoding(text: str) -> str | None:
    """The codec a .cpg names, None when it names nothing lzt knows (e.g. 'SYSTEM')."""
    text = text.strip().strip("\x00")
    if not text:
        return None
    try:
        return canonical(text)
    except LookupError:
        return None


@functools.lru_cache(maxsize=65536)
def _common(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def looks_chinese(text: str, sample: int = 400_000) -> bool:
    """True when the non-ASCII characters of ``text`` are mostly common Chinese ones."""
    counts = Counter(_NON_ASCII.findall(text[:sample]))
    total = sum(counts.values())
    if not total:
        return True
    common = sum(n for ch, n in counts.items() if _common(ch))
    return common / total >= _GB_SHARE


def is_utf8(data: bytes) -> bool:
    """Whether ``data`` is strict UTF-8 (as ``data.decode("utf-8")`` accepts it), checked by
    Arrow's validator without building the text: 62 MB in ~0.01 s instead of ~0.1 s."""
    import pyarrow as pa

    offsets = pa.array([0, len(data)], pa.int64()).buffers()[1]
    arr = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        arr.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def decodes(data: bytes, encoding: str) -> bool:
    """Whether ``data`` decodes strictly (and, for GB18030, plausibly) with ``encoding``."""
    if encoding == UTF8 and len(data) >= 1 << 20:  # large files: validated, not decoded
        return is_utf8(data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return looks_chinese(text) if canonical(encoding) == GB else True


def detect(data: bytes, *, western: bool) -> str | None:
    """The encoding of ``data``: utf-8-sig, utf-8, gb18030, or (``western``) cp1252 /
    iso-8859-1; None when nothing fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if decodes(data, UTF8):
        return UTF8
    if decodes(data, GB):
        return GB
    if western:
        return "cp1252" if decodes(data, "cp1252") else "iso-8859-1"
    return None


def dbf_sample(head: bytes) -> bytes:
    """The text bytes of a DBF's first records (field names and character fields), from the
    first bytes of the file, for detection."""
    if len(head) < 32:
        return b""
    nrec = int.from_bytes(head[4:8], "little")
    hlen = int.from_bytes(head[8:10], "little")
    rlen = int.from_bytes(head[10:12], "little")
    out, fields, off, pos = bytearray(), [], 1, 32
    while pos + 32 <= min(hlen, len(head)) and head[pos] != 0x0D:
        desc = head[pos:pos + 32]
        out += desc[:11].split(b"\x00", 1)[0] + b"\n"  # the field name
        if chr(desc[11]) in "CM":
            fields.append((off, desc[16]))
        off += desc[16]
        pos += 32
    for r in range(nrec):
        rec = head[hlen + r * rlen: hlen + (r + 1) * rlen]
        if len(rec) < rlen or rlen <= 0:
            break
        for o, n in fields:
            chunk = rec[o:o + n].strip(b" \x00")
            if chunk:
                out += chunk + b"\n"
    return bytes(out)


def sniff_delimiter(sample: str) -> str:
    """Comma, tab, semicolon or pipe: the one that splits the first lines most
    consistently into the most columns (comma on ties, and for one-column files)."""
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a sample may be cut short
    best, best_score = ",", (0.0, 1)
    for delim in (",", "\t", ";", "|"):
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        score = (sum(c == counts[0] for c in counts) / len(counts), counts[0])
        if score > best_score:
            best, best_score = delim, score
    return best
