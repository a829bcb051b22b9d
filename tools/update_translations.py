"""Refresh resources/i18n/lzt_<lang>.ts from the GUI's strings and compile the .qm that ships.

1. ``pyside6-lupdate`` collects the GUI's ``tr()``, ``translate()`` and ``QT_TRANSLATE_NOOP``
   strings (translations already made are kept; strings no longer in the code are dropped).
2. The labels that come from lzt's Qt-free modules (``lzt.gui.labels.catalogue()``: field
   labels, rules, verdicts, results …) are added to the ``Labels`` context, their
   translations kept from the previous file.
3. ``pyside6-lrelease`` compiles the .qm. The build is reproducible: tests compile the .ts
   again and compare with the .qm in the repository.

Translate new entries (``type="unfinished"``) in the .ts, e.g. with pyside6-linguist, then run
this again. Usage: ``python tools/update_translations.py [--check]`` (``--check`` changes
nothing and fails when the .ts misses strings or the .qm is not compiled from the .ts).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
I18N = REPO / "resources" / "i18n"
LANGUAGES = ("en",)
sys.path.insert(0, str(REPO))


def gui_sources() -> list[str]:
    """The GUI and the renderer (plots drawn for the screen carry translated labels)."""
    return sorted(str(p.relative_to(REPO)) for d in ("gui", "render") for p in (REPO / "lzt" / d).rglob("*.py"))


def translations(ts: Path) -> dict[tuple[str, str], str]:
    """(context, source) -> finished translation, from a .ts file."""
    out = {}
    if not ts.exists():
        return out
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.text and tr.get("type") not in ("unfinished", "obsolete", "vanished"):
                out[(name, msg.findtext("source"))] = tr.text
    return out


def update(ts: Path) -> None:
    """Rewrite ``ts`` from the sources, keeping translations."""
    from lzt.gui.labels import CONTEXT, catalogue

    old = translations(ts)
    subprocess.run(["pyside6-lupdate", *gui_sources(), "-no-obsolete", "-locations", "none", "-ts", str(ts)],
                   cwd=REPO, check=True, capture_output=True)
    tree = ET.parse(ts)
    root = tree.getroot()
    ctx = next((c for c in root.iter("context") if c.findtext("name") == CONTEXT), None)
    if ctx is None:
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = CONTEXT
    have = {m.findtext("source") for m in ctx.iter("message")}
    for text in catalogue():
        if text in have:
            continue
        msg = ET.SubElement(ctx, "message")
        ET.SubElement(msg, "source").text = text
        tr = ET.SubElement(msg, "translation")
        if (CONTEXT, text) in old:
            tr.text = old[(CONTEXT, text)]
        else:
            tr.set("type", "unfinished")
    for c in root.iter("context"):  # lupdate keeps finished translations; fill any it lost
        name = c.findtext("name")
        for msg in c.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.get("type") == "unfinished" and (name, msg.findtext("source")) in old:
                tr.text = old[(name, msg.findtext("source"))]
                del tr.attrib["type"]
    ET.indent(tree, space="    ")
    body = ET.tostring(root, encoding="unicode")
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def release(ts: Path, qm: Path) -> None:
    subprocess.run(["pyside6-lrelease", str(ts), "-qm", str(qm)], cwd=REPO, check=True, capture_output=True)


def _translated(tr) -> bool:
    """A translation with text (a plural message: every numerus form has text)."""
    forms = tr.findall("numerusform")
    if forms:
        return all((f.text or "").strip() for f in forms)
    return bool((tr.text or "").strip())


def unfinished(ts: Path) -> list[str]:
    """Sources without a translation."""
    return [f"{c.findtext('name')}: {m.findtext('source')}" for c in ET.parse(ts).getroot().iter("context")
            for m in c.iter("message") if m.find("translation").get("type") == "unfinished"
            or not _translated(m.find("translation"))]


def check(lang: str) -> list[str]:
    """Problems with the committed files of ``lang`` (an empty list when they are current)."""
    ts, qm = I18N / f"lzt_{lang}.ts", I18N / f"lzt_{lang}.qm"
    problems = []
    with tempfile.TemporaryDirectory() as d:
        fresh = Path(d) / ts.name
        shutil.copyfile(ts, fresh)
        update(fresh)
        missing = unfinished(fresh)
        if missing:
            problems.append(f"{len(missing)} strings without a translation: {missing[:10]}")
        built = Path(d) / qm.name
        release(ts, built)
        if not qm.exists() or built.read_bytes() != qm.read_bytes():
            problems.append(f"{qm.name} is not compiled from {ts.name} (run tools/update_translations.py)")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="change nothing; fail when the files are not current")
    args = ap.parse_args(argv)
    bad = 0
    for lang in LANGUAGES:
        ts, qm = I18N / f"lzt_{lang}.ts", I18N / f"lzt_{lang}.qm"
        if args.check:
            for p in check(lang):
                print(p, file=sys.stderr)
                bad = 1
            continue
        update(ts)
        release(ts, qm)
        missing = unfinished(ts)
        print(f"{ts.name}: {len(missing)} strings to translate")
        for m in missing:
            print("  " + m)
    return bad


if __name__ == "__main__":
    raise SystemExit(main())
