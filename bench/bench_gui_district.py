"""The desktop client on the district demo (issue 18.5): a new process to the first drawn map,
then the resident memory (RSS) over time while the map is panned across the whole district.

``python bench/bench_gui_district.py WS [--minutes M] [--scale N]`` (a copy of the workspace is
opened: the client may write its caches). The pan is a serpentine of half-view steps at 1:N
over the workspace's full extent, repeated until the time is up, each step drawn to the end
(``wait_rendered``); RSS is sampled after every step. Offscreen Qt, 1600x1000.

The map's kept opening views (``lzt.render.view_cache``) go to a new folder each run: the first
picture is then drawn from the data (a first opening). ``--reopen`` first runs one session to its
complete map on the same copy, then measures the next one (the workspace opened again, nothing
changed: the kept picture comes first). ``--bytecode``: the modules' compiled bytecode is kept (in a
folder of the run, as an installed client has it; this machine sets PYTHONDONTWRITEBYTECODE) and
a first session compiles them before the measured one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, os, sys, time
t_start = float(sys.argv[4])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024

from lzt.gui.app import make_app, open_main_window
app = make_app("zh_CN")
win = open_main_window(sys.argv[1])
partial = []
if hasattr(win.canvas, "partly_rendered"):
    win.canvas.partly_rendered.connect(lambda _s: partial.append((time.time() - t_start, time.process_time())))
from PySide6.QtCore import QEvent, QObject, QTimer


class FirstPaint(QObject):
    at = None

    cpu = None

    def eventFilter(self, obj, event):  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at, self.cpu = time.time(), time.process_time()
        return False


class MapShown(QObject):  # the canvas paints a picture of the map for the first time
    at = None

    def eventFilter(self, obj, event):  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and self.at is None and win.canvas._image is not None:
            self.at = time.time()
        return False


painted = FirstPaint()
win.installEventFilter(painted)
shown = MapShown()
win.canvas.installEventFilter(shown)
win.resize(1600, 1000)
win.show()
loop = []
QTimer.singleShot(0, lambda: loop.append(time.time()))  # the first turn of the event loop
ok = win.canvas.wait_rendered(120_000)
first = time.time() - t_start
out = {"first_map_s": first, "first_rss_mb": rss_mb(), "painted": ok, "first_map_cpu_s": time.process_time(),
       "window_painted_cpu_s": painted.cpu,
       "first_partial_s": partial[0][0] if partial else None,
       "first_partial_cpu_s": partial[0][1] if partial else None,
       "first_shown_s": shown.at - t_start if shown.at else None,
       "window_painted_s": painted.at - t_start if painted.at else None,
       "loop_to_window_ms": 1000 * (painted.at - loop[0]) if painted.at and loop else None}
minutes, scale = float(sys.argv[2]), float(sys.argv[3])
canvas = win.canvas
full = win.session.full_extent()
canvas.set_scale(scale)
e = canvas.view_extent()
w, h = e[2] - e[0], e[3] - e[1]
xs = [full[0] + w / 2 + i * w / 2 for i in range(max(1, int((full[2] - full[0]) / (w / 2))))]
ys = [full[1] + h / 2 + j * h / 2 for j in range(max(1, int((full[3] - full[1]) / (h / 2))))]
path = [(x, y) for j, y in enumerate(ys) for x in (xs if j % 2 == 0 else xs[::-1])]
samples, steps, t0, worst = [], 0, time.time(), 0.0
while time.time() - t0 < minutes * 60:
    for cx, cy in path:
        win.session.set_extent((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
        t = time.perf_counter()
        canvas.wait_rendered(60_000)
        worst = max(worst, time.perf_counter() - t)
        steps += 1
        samples.append((round(time.time() - t0, 2), round(rss_mb(), 1)))
        if time.time() - t0 >= minutes * 60:
            break
out.update(steps=steps, views=len(path), samples=samples, worst_step_s=worst)
try:  # what the raster tile cache holds at the end (bounded: lzt.render.raster._CACHE_BYTES)
    from lzt.render import raster as _raster
    out["raster_tiles_mb"] = round(sum(a.nbytes for a in _raster._cache.values()) / 2 ** 20, 1)
except (ImportError, AttributeError):
    pass
print("RESULT " + json.dumps(out), flush=True)
win.close()
"""


def measure(ws: Path, minutes: float, scale: float, reopen: bool = False, bytecode: bool = False) -> dict:
    """Run the client in a new process on a copy of ``ws``; the figures it reports. ``reopen``:
    after one session on the same copy (which keeps its opening view); ``bytecode``: with the
    modules' bytecode kept, compiled by a first session."""
    with tempfile.TemporaryDirectory(prefix="lzt_gui_district_") as tmp:
        copy = Path(tmp) / ws.name
        shutil.copyfile(ws, copy)
        env = dict(os.environ, LZT_VIEW_CACHE=str(Path(tmp) / "views"))
        if bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        if reopen or bytecode:  # a first session (its kept view in another folder unless reopening)
            first = env if reopen else dict(env, LZT_VIEW_CACHE=str(Path(tmp) / "views_first"))
            subprocess.run([sys.executable, "-c", CHILD, str(copy), "0", str(scale), str(time.time())],
                           capture_output=True, text=True, cwd=str(HERE.parent), timeout=600, env=first)
        t0 = time.time()
        out = subprocess.run([sys.executable, "-c", CHILD, str(copy), str(minutes), str(scale), str(t0)],
                             capture_output=True, text=True, cwd=str(HERE.parent), timeout=600 + minutes * 120, env=env)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"the GUI run failed: {out.stderr[-800:]}")
    res = json.loads(line[7:])
    s = res["samples"] or [(0.0, res["first_rss_mb"])]  # --minutes 0: the first map only
    rss = [r for _, r in s]
    half = [r for t, r in s if t >= s[-1][0] / 2] or rss
    res.update(rss_start=rss[0], rss_max=max(rss), rss_end=rss[-1],
               rss_second_half=(min(half), max(half)), rss_by_minute=rss_by_minute(s),
               rss_slope_mb_per_min=rss_slope(s))
    return res


def rss_by_minute(samples) -> list:
    """[minute, RSS MB] at the start and at each whole minute of the pan (the sample nearest each)."""
    if not samples:
        return []
    out = [[0, samples[0][1]]]
    for m in range(1, int(samples[-1][0] // 60 + 1e-9) + 1):
        t, r = min(samples, key=lambda tr: abs(tr[0] - 60 * m))
        out.append([m, r])
    return out


def rss_slope(samples) -> float | None:
    """Least-squares slope of RSS over the second half of the pan, MB per minute (None: too short)."""
    half = [(t, r) for t, r in samples if t >= samples[-1][0] / 2] if samples else []
    if len(half) < 3 or half[-1][0] - half[0][0] < 30:
        return None
    n = len(half)
    mt, mr = sum(t for t, _ in half) / n, sum(r for _, r in half) / n
    var = sum((t - mt) ** 2 for t, _ in half)
    return 60 * sum((t - mt) * (r - mr) for t, r in half) / var


def summary(res: dict) -> str:
    lo, hi = res["rss_second_half"]
    part = res.get("first_partial_s")
    part = f"first picture {part:.2f} s, " if part else ""
    if part and res.get("first_partial_cpu_s") is not None:
        part = part[:-2] + f" (CPU {res['first_partial_cpu_s']:.2f} s), "
    if res.get("first_shown_s"):
        part += f"first map on screen {res['first_shown_s']:.2f} s, "
    if res.get("window_painted_s"):
        part = (f"window painted {res['window_painted_s']:.2f} s ({res['loop_to_window_ms']:.0f} ms after the event "
                f"loop started), " + part)
    if res.get("first_map_cpu_s") is not None:  # CPU seconds of the process (all threads), from its start
        cpu = res["first_map_cpu_s"]
        win = res.get("window_painted_cpu_s")
        part += (f"CPU {win:.2f} s to the painted window, " if win is not None else "CPU ") + \
            f"{cpu:.2f} s to the complete map, "
    return (f"{part}complete map {res['first_map_s']:.2f} s at {res['first_rss_mb']:.0f} MB; pan {res['steps']} steps "
            f"({res['views']} views a pass): RSS {res['rss_start']:.0f} → max {res['rss_max']:.0f}, end "
            f"{res['rss_end']:.0f} MB (second half {lo:.0f}–{hi:.0f}); slowest step {res['worst_step_s']:.2f} s"
            + _series(res))


def _series(res: dict) -> str:
    """The RSS at each minute of the pan and its slope (for bench/RESULTS.md), if it lasted that long."""
    by = res.get("rss_by_minute") or []
    if len(by) < 2:
        return ""
    slope = res.get("rss_slope_mb_per_min")
    return ("; RSS by minute " + ", ".join(f"{m}: {r:.0f}" for m, r in by) + " MB"
            + (f", second-half slope {slope:+.1f} MB/min" if slope is not None else ""))


def run(demo: Path, rows: list, minutes: float = 5.0, scale: float = 10_000) -> None:
    """Rows for bench/run.py (group ``guidistrict``): first map and RSS while panning."""
    res = measure(demo, minutes, scale)
    print(summary(res), flush=True)
    if res.get("window_painted_s"):
        rows.append((f"lzt gui, district: new process to the painted window (imports and window; "
                     f"{res['loop_to_window_ms']:.0f} ms after the event loop started)",
                     res["window_painted_s"], None, "", "painted ≤ 200 ms after the loop starts"))
    if res.get("first_partial_s"):
        rows.append(("lzt gui, district: new process to the first picture (layers at hand, 1600x1000, offscreen)",
                     res["first_partial_s"], None, "", "≤ 1.5 s"))
    rows.append(("lzt gui, district: new process to the complete first map (1600x1000, offscreen)",
                 res["first_map_s"], None, "", "≤ 1.5 s"))
    again = measure(demo, 0, scale, reopen=True)
    print("opened again: " + summary(again), flush=True)
    if again.get("first_shown_s"):
        rows.append(("lzt gui, district, opened again (nothing changed): new process to the first map on screen "
                     "(the opening view kept from the last session)", again["first_shown_s"], None, "", "≤ 1.5 s"))
    rows.append(("lzt gui, district, opened again: new process to the complete first map", again["first_map_s"],
                 None, "", "≤ 1.5 s"))
    lo, hi = res["rss_second_half"]
    rows.append((f"  … RSS panning the district at 1:{scale:,.0f} for {minutes:g} min ({res['steps']} views): "
                 f"{res['rss_start']:.0f} MB after the first view, {lo:.0f}–{hi:.0f} MB in the second half, "
                 f"max {res['rss_max']:.0f} MB{_series(res)}", res["worst_step_s"], None, "slowest view",
                 "≤ 800 MB, flat"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("workspace", type=Path)
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--scale", type=float, default=10_000)
    ap.add_argument("--json", type=Path, help="write the samples here")
    ap.add_argument("--reopen", action="store_true", help="measure the second session on the workspace")
    ap.add_argument("--bytecode", action="store_true", help="keep the compiled modules (as installed)")
    args = ap.parse_args(argv)
    res = measure(args.workspace, args.minutes, args.scale, args.reopen, args.bytecode)
    print(summary(res))
    if args.json:
        args.json.write_text(json.dumps(res), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
