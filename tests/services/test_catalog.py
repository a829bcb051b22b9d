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
