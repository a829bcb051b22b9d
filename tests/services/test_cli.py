"""lzt download (a service given by its URL; saved services are resolved through the catalogue)
against the real servers: one line and exit 2 on bad input, the workspace unchanged."""

from __future__ import annotations

import json

from lzt.cli.main import main
from lzt.workspace import create_workspace, open_workspace


def test_download_by_url_json_and_errors(tmp_path, pygeoapi_server, wfs_server, capsys):
    path = tmp_path / "ws.gpkg"
    create_workspace(path).close()
    code = main(["download", str(path), pygeoapi_server.url, "--type", "ogcapi", "--collection", "parcels_gcj",
                 "--coords", "gcj02", "--extent", "521000,2510000,524000,2513000", "--where", "floors >= 20",
                 "--layer", "远程", "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    report = json.loads(out.out)
    assert report["layer"] == "远程" and report["coords"] == "gcj02" and report["count"] > 0
    ws = open_workspace(path)
    try:
        got = ws.read_features("远程")
        assert (got["floors"] >= 20).all() and len(got) == report["count"]
    finally:
        ws.close()

    code = main(["download", str(path), wfs_server.url, "--type", "wfs", "--collection", "parcels", "--layer", "远程"])
    err = capsys.readouterr().err
    assert code == 2 and "already exists" in err and len(err.strip().splitlines()) == 1

    code = main(["download", str(path), pygeoapi_server.url, "--type", "ogcapi", "--collection", "parcels",
                 "--extent", "400000,2400000,401000,2401000", "--layer", "nothing"])
    assert code == 2 and "no features meet the extent" in capsys.readouterr().err
    code = main(["download", str(path), pygeoapi_server.url, "--type", "ogcapi"])
    assert code == 2 and "--collection" in capsys.readouterr().err
    code = main(["download", str(path), "no_such_service"])
    assert code == 2 and "no saved ogcapi/wfs service" in capsys.readouterr().err
    code = main(["download", str(path), wfs_server.url, "--type", "wfs", "--collection", "parcels",
                 "--where", "nosuch = 1", "--layer", "w"])
    err = capsys.readouterr().err
    assert code == 2 and "nosuch" in err
    ws = open_workspace(path)
    try:
        assert [i.name for i in ws.layers()] == ["远程"]
    finally:
        ws.close()
