"""is_order_export: 12345 exports recognised by their headers in the encodings and containers
they arrive in (GBK, UTF-8 with BOM, tab-separated, XLSX), other tables and unreadable files not."""

from __future__ import annotations

import pytest

from layers.sniff import header_row, is_order_export

HEAD = ["工单编号", "受理时间", "诉求地址", "诉求内容"]
ROW = ["LG2025000001", "2025-03-01 09:12", "龙城街道龙翔大道37号", "夜间施工噪声"]


@pytest.mark.parametrize("encoding,sep", [("gbk", ","), ("utf-8-sig", ","), ("utf-8", "\t"), ("gb18030", ";")])
def test_order_csv_in_each_encoding_and_delimiter(tmp_path, encoding, sep):
    p = tmp_path / "orders.csv"
    p.write_bytes((sep.join(HEAD) + "\n" + sep.join(ROW) + "\n").encode(encoding))
    assert header_row(p) == HEAD
    assert is_order_export(p)


def test_order_xlsx(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(HEAD)
    wb.active.append(ROW)
    p = tmp_path / "orders.xlsx"
    wb.save(p)
    assert is_order_export(p)


def test_other_tables_and_bad_files_are_not_orders(tmp_path):
    poi = tmp_path / "poi.csv"
    poi.write_text("名称,类别,经度,纬度\n便利店,零售,114.25,22.72\n", encoding="utf-8")
    assert not is_order_export(poi)  # no work-order number or time column
    no_time = tmp_path / "ids.csv"
    no_time.write_text("工单编号,诉求地址\nLG1,龙城\n", encoding="utf-8")
    assert not is_order_export(no_time)
    fake = tmp_path / "orders.xlsx"
    fake.write_bytes(b"not a zip at all")
    assert header_row(fake) == [] and not is_order_export(fake)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert not is_order_export(empty)
