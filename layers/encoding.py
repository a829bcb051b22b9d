"""Text-encoding detection for attribute data (DBF without .cpg, CSV exports).

Chinese data arrives as UTF-8 or as GBK/GB18030 (Excel and older GIS on Chinese
Windows). UTF-8 is tried strictly first: it rarely decodes non-UTF-8 text by
accident. GB18030 decodes almost any byte string, so it is not tried blindly:
charset-normalizer judges between it and the Western code pages.
"""

from __future__ import annotations

from charset_normalizer import from_bytes

CANDIDATES = ["gb18030", "big5", "cp1252", "latin_1"]


def detect(data: bytes) -> tuple[str | None, bool]:
    """(encoding, confident) for ``data``; (None, False) when nothing fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", True
    try:
        data.decode("utf-8")
        return "utf-8", True
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:2_000_000], cp_isolation=CANDIDATES).best()
    if best is None:
        return None, False
    enc = best.encoding.replace("_", "-").lower()
    if enc in ("gbk", "gb2312", "gb-18030", "gb18030"):
        enc = "gb18030"
    return enc, enc == "gb18030" or best.chaos < 0.1


def dbf_text_bytes(dbf: bytes, limit: int = 4_000_000) -> bytes:
    """The bytes of a DBF file's character fields (records only), for detection."""
    if len(dbf) < 32:
        return b""
    nrec = int.from_bytes(dbf[4:8], "little")
    hlen = int.from_bytes(dbf[8:10], "little")
    rlen = int.from_bytes(dbf[10:12], "little")
    fields, off, pos = [], 1, 32
    while pos + 32 <= min(hlen, len(dbf)) and dbf[pos] != 0x0D:
        ftype, flen = chr(dbf[pos + 11]), dbf[pos + 16]
        if ftype in "CM":
            fields.append((off, flen))
        off += flen
        pos += 32
    out = bytearray()
    for r in range(min(nrec, max(1, limit // max(rlen, 1)))):
        base = hlen + r * rlen
        rec = dbf[base: base + rlen]
        if len(rec) < rlen:
            break
        for o, n in fields:
            chunk = rec[o:o + n].strip(b" \x00")
            if chunk:
                out += chunk + b"\n"
    return bytes(out)
