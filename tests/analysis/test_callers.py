"""Caller keys, addresses and sensitive words."""

import numpy as np

from lzt.analysis import callers as cl


def test_one_number_in_any_format_is_one_caller_and_keys_depend_on_the_secret():
    phones = ["13912345678", "+86 139-1234-5678", "0086 13912345678", "13812345678", None, "", "12"]
    codes, masked = cl.caller_keys(phones, "a" * 64)
    assert not masked
    assert codes[0] == codes[1] == codes[2] != codes[3]
    assert codes[4] == codes[5] == codes[6] == -1
    other, _ = cl.caller_keys(phones, "b" * 64)
    assert (other >= 0).sum() == (codes >= 0).sum()


def test_masked_numbers_are_recognised():
    _, masked = cl.caller_keys(["139****5678", "13912345678"], "a" * 64)
    assert masked


def test_secret_is_stored_once_and_never_the_key(tmp_path):
    from lzt.workspace import create_workspace

    ws = create_workspace(tmp_path / "w.gpkg")
    s1 = cl.caller_secret(ws)
    assert len(s1) == 64 and cl.caller_secret(ws) == s1
    ws.close()


def test_addresses_normalised_and_generalised():
    assert cl.normalise_address(["广东省深圳市龙岗区 幸福花园3栋", None]).tolist() == ["幸福花园3栋", ""]
    shown = cl.generalise_address(["幸福花园3栋1201室，电话13912345678", "龙城大道88号"]).tolist()
    assert shown[0].startswith("幸福花园") and "1201" not in shown[0] and "12345678" not in shown[0]
    assert shown[1] == "龙城大道"


def test_find_words():
    got = cl.find_words(["有燃气泄漏", "楼体坍塌，安全隐患", None, "无"], ["燃气泄漏", "坍塌", "安全隐患"])
    assert got == [["燃气泄漏"], ["坍塌", "安全隐患"], [], []]
    assert list(cl.groups_with_at_least(np.array([0, 1, 1, -1, 2, 2, 2]), 2)) == [1, 2]
