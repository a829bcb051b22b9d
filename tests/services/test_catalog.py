"""The service catalogue through its CLI contract: lzt service add / list / remove."""

from __future__ import annotations

import json

from lzt.cli.main import main


def test_add_list_remove_and_bad_input(tmp_path, capsys):
    ws = tmp_path / "ws.gpkg"
    assert main(["init", str(ws)]) == 0
    assert main(["service", "add", str(ws), "天地图影像", "https://t{s}.tianditu.gov.cn/", "--type", "tianditu",
                 "--layer", "img_c", "--key-env", "MY_TDT"]) == 0
    assert main(["service", "add", str(ws), "高德", "https://wprd0{s}.example.com/t?x={x}&y={y}&z={z}", "--type",
                 "xyz", "--coords", "gcj02", "--subdomains", "1234"]) == 0
    assert main(["service", "add", str(ws), "地块", "https://example.gov.cn/ogcapi", "--type", "ogcapi",
                 "--layer", "parcels"]) == 0
    capsys.readouterr()
    assert main(["service", "list", str(ws), "--json"]) == 0
    recs = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["type"]) for r in recs] == [("天地图影像", "tianditu"), ("高德", "xyz"), ("地块", "ogcapi")]
    assert recs[0]["key_env"] == "MY_TDT" and recs[1]["coords"] == "gcj02" and recs[1]["extra"] == {"subdomains": "1234"}
    # the vector service is the one lzt query / download read
    from lzt.services.saved import saved_spec
    from lzt.workspace import open_workspace

    w = open_workspace(str(ws))
    try:
        assert saved_spec(w, "地块").layer == "parcels"
    finally:
        w.close()
    bad = [
        ["service", "add", str(ws), "高德", "https://x/{z}/{x}/{y}.png", "--type", "xyz"],  # name taken
        ["service", "add", str(ws), "f", "ftp://x/{z}/{x}/{y}.png", "--type", "xyz"],  # not http(s)
        ["service", "add", str(ws), "k", "https://x/wms?token=abc", "--type", "wms"],  # a key in the URL
        ["service", "add", str(ws), "v", "https://x/wfs", "--type", "wfs"],  # no --layer
        ["service", "add", str(ws), "parcels x", "https://x/a", "--type", "wms"],  # a space in the name
        ["service", "remove", str(ws), "nope"],
    ]
    for argv in bad:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
    assert main(["service", "remove", str(ws), "高德"]) == 0
    capsys.readouterr()
    assert main(["service", "list", str(ws)]) == 0
    out = capsys.readouterr().out
    assert "高德" not in out and "天地图影像" in out and "MY_TDT" in out


def test_a_sheet_prints_its_own_approval_number(tmp_path):
    import subprocess

    ws = tmp_path / "ws.gpkg"
    assert main(["init", str(ws)]) == 0
    out = tmp_path / "s.pdf"
    assert main(["sheet", str(ws), str(out), "--paper", "A4", "--extent", "525000,2512000,526000,2513000",
                 "--approval-no", "粤S(2026)123号"]) == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "审图号：粤S(2026)123号" in text


def test_layers_lists_the_saved_services_without_network(tmp_path, capsys, monkeypatch):
    import socket

    ws = tmp_path / "ws.gpkg"
    assert main(["init", str(ws)]) == 0
    assert main(["service", "add", str(ws), "天地图影像", "https://t{s}.tianditu.gov.cn/", "--type", "tianditu",
                 "--layer", "img_w", "--key-env", "MY_TDT"]) == 0
    assert main(["service", "add", str(ws), "地块", "https://user:secret@example.gov.cn/wfs?map=a", "--type", "wfs",
                 "--layer", "ms:parcels", "--coords", "gcj02"]) == 0
    assert main(["service", "add", str(ws), "要素", "https://example.gov.cn/ogcapi", "--type", "ogcapi",
                 "--layer", "parcels"]) == 0

    def no_network(*a, **k):
        raise AssertionError("lzt layers opened a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    capsys.readouterr()
    assert main(["layers", str(ws), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert [(d["name"], d["kind"], d["service"], d["type"]) for d in got] == [
        ("天地图影像", "service", True, "tianditu"), ("地块", "service", True, "wfs"), ("要素", "service", True, "ogcapi")]
    assert [d["crs"] for d in got] == ["EPSG:3857", "GCJ-02 (经纬度)", "OGC:CRS84"]
    assert got[1]["url"] == "https://example.gov.cn/wfs?map=a" and got[1]["layer"] == "ms:parcels"
    assert "secret" not in json.dumps(got)
    assert main(["layers", str(ws)]) == 0
    out = capsys.readouterr().out
    assert "服务 3" in out and "secret" not in out and "user" not in out
    line = next(x for x in out.splitlines() if x.strip().startswith("地块"))
    assert "wfs" in line and "https://example.gov.cn/wfs?map=a" in line and "GCJ-02" in line


def test_public_url_drops_user_password_and_keys():
    from lzt.services.catalog import public_url

    assert public_url("https://u:p@h.cn:8080/a/{z}/{x}/{y}.png?tk=K&style=default") == \
        "https://h.cn:8080/a/{z}/{x}/{y}.png?style=default"
    assert public_url("http://h.cn/wms?SERVICE=WMS") == "http://h.cn/wms?SERVICE=WMS"
