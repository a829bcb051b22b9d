"""Arrow's UTF-8 validation (large files) accepts exactly what Python's strict decoder accepts."""

from __future__ import annotations

import numpy as np
import pytest

from layers import encoding as enc

CASES = [b"", b"plain ascii", "龙岗区 坂田街道".encode(), "😀 4-byte".encode(), b"\xc0\xaf",  # overlong
         b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xed\x9f\xbf", b"\xf4\x8f\xbf\xbf", b"\xf4\x90\x80\x80",
         b"\xf5\x80\x80\x80", b"\xff", b"abc\xe4\xb8", b"\xe4\xb8\xad", "龙岗".encode("gb18030"),
         b"\x80", b"a\x00b"]


@pytest.mark.parametrize("data", CASES)
def test_is_utf8_agrees_with_the_strict_decoder(data):
    try:
        data.decode("utf-8")
        want = True
    except UnicodeDecodeError:
        want = False
    assert enc.is_utf8(data) is want
    assert enc.is_utf8(b"x" * 100 + data + b"y" * 100) is want


def test_random_bytes_agree():
    rng = np.random.default_rng(0)
    for _ in range(300):
        data = rng.integers(0x80, 0x100, rng.integers(1, 6)).astype(np.uint8).tobytes()
        try:
            data.decode("utf-8")
            want = True
        except UnicodeDecodeError:
            want = False
        assert enc.is_utf8(data) is want, data


def test_large_gb18030_table_is_still_detected():
    text = "工单编号,一级分类\n" + "".join(f"LG{i},城市管理\n" for i in range(120_000))
    data = text.encode("gb18030")
    assert len(data) > 1 << 20
    assert enc.detect(data, western=False) == enc.GB
    assert enc.detect(text.encode("utf-8"), western=False) == enc.UTF8
