"""Profile a demo build: where the time and the memory go, phase by phase.

    python tools/profile_demo.py OUT.gpkg [--scale district] [--cprofile prof.out] [--top 30]

Runs ``lzt.demo.build.build_demo`` in this process. A sampler thread reads the resident
set size of this process and of its children (IFC writers, the work orders' process) from
/proc every 0.2 s (their sum and the largest child);
every progress message opens a phase, so the table shows each phase's time, the RSS it
started with and its peak. With ``--cprofile`` the cumulative profile's top lines follow.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


class RssSampler(threading.Thread):
    """Samples (seconds, own RSS MB, children's RSS MB, largest child's RSS MB) until stopped."""

    def __init__(self, every: float = 0.2):
        super().__init__(daemon=True)
        self.every, self.samples, self._stop_flag = every, [], threading.Event()
        self.t0 = time.perf_counter()

    def run(self) -> None:
        me = os.getpid()
        while not self._stop_flag.is_set():
            kids = [_rss_kb(c) for c in _children(me)]
            self.samples.append((time.perf_counter() - self.t0, _rss_kb(me) / 1024, sum(kids) / 1024,
                                 max(kids, default=0) / 1024))
            self._stop_flag.wait(self.every)

    def stop(self) -> None:
        self._stop_flag.set()
        self.join()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--scale", default="district")
    p.add_argument("--cprofile", help="write the cProfile stats here and print the top lines")
    p.add_argument("--top", type=int, default=30)
    args = p.parse_args(argv)

    from lzt.core.feedback import Feedback
    from lzt.demo.build import build_demo

    sampler = RssSampler()
    phases: list[tuple[float, str]] = []

    def on_progress(done: int, total: int, message: str) -> None:
        key = message.rsplit(" ", 1)[0] if message.startswith(("生成 BIM", "导入模型")) else message
        if not phases or phases[-1][1] != key:
            phases.append((time.perf_counter() - sampler.t0, key))

    prof = None
    if args.cprofile:
        import cProfile
        prof = cProfile.Profile()
    sampler.start()
    if prof:
        prof.enable()
    build_demo(args.out, args.scale, force=True, feedback=Feedback(on_progress))
    if prof:
        prof.disable()
    total = time.perf_counter() - sampler.t0
    sampler.stop()
    phases.append((total, "end"))
    print(f"{'phase':<28}{'start s':>9}{'secs':>8}{'RSS0 MB':>9}{'peak MB':>9}{'+workers':>10}{'child MB':>10}")
    for (t0, name), (t1, _) in zip(phases, phases[1:]):
        inside = [s for s in sampler.samples if t0 <= s[0] <= t1] or [min(sampler.samples, key=lambda s: abs(s[0] - t0))]
        print(f"{name[:26]:<28}{t0:9.1f}{t1 - t0:8.1f}{inside[0][1]:9.0f}{max(s[1] for s in inside):9.0f}"
              f"{max(s[1] + s[2] for s in inside):10.0f}{max(s[3] for s in inside):10.0f}")
    peak = max(s[1] for s in sampler.samples)
    peak_all = max(s[1] + s[2] for s in sampler.samples)
    largest = max(max(s[1], s[3]) for s in sampler.samples)
    cpu = os.times()
    print(f"total {total:.1f} s, CPU {cpu.user + cpu.system + cpu.children_user + cpu.children_system:.1f} s "
          f"(with children), peak RSS {peak:.0f} MB (with workers {peak_all:.0f} MB; largest process "
          f"{largest:.0f} MB), load {os.getloadavg()}")
    if prof:
        import pstats
        prof.dump_stats(args.cprofile)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
