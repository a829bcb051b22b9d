"""Profile a demo build: where the time and the memory go, phase by phase.

    python tools/profile_demo.py OUT.gpkg [--scale district] [--cprofile prof.out] [--top 30]

Runs ``lzt.demo.build.build_demo`` in this process. A sampler thread reads the resident
set size of this process and of its children (IFC writers, the work orders' process) from
/proc every 0.2 s (their sum and the largest child);
every progress message opens a phase, so the table shows each phase's time, the CPU
seconds (user + system) this process and its children spent in it, the RSS it started
with and its peak. With ``--cprofile`` the cumulative profile's top lines follow.
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


def _cpu_s(pid: int | str) -> float:
    """User + system CPU seconds of process ``pid`` so far (0 if gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, ValueError, IndexError):
        return 0.0


_TICKS = os.sysconf("SC_CLK_TCK")


def _command(pid: int) -> str:
    """The module a worker runs (``python -m NAME``) or its command line's last word."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            args = f.read().decode(errors="replace").split("\0")
    except OSError:
        return "?"
    return args[args.index("-m") + 1] if "-m" in args[:-1] else (args[-2] if len(args) > 1 else args[0])


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
    """Samples (seconds, own RSS MB, children's RSS MB, largest child's RSS MB, own CPU s,
    children's CPU s) until stopped. A child's CPU is its last sampled figure, so a child
    that ended between two samples loses at most one interval."""

    def __init__(self, every: float = 0.2):
        super().__init__(daemon=True)
        self.every, self.samples, self._stop_flag = every, [], threading.Event()
        self.t0 = time.perf_counter()
        self.kid_cpu: dict[int, float] = {}
        self.kid_name: dict[int, str] = {}
        self.kid_span: dict[int, list[float]] = {}

    def run(self) -> None:
        me = os.getpid()
        while not self._stop_flag.is_set():
            pids = _children(me)
            kids = [_rss_kb(c) for c in pids]
            now = time.perf_counter() - self.t0
            for c in pids:
                self.kid_cpu[c] = max(self.kid_cpu.get(c, 0.0), _cpu_s(c))
                if c not in self.kid_name:
                    self.kid_name[c] = _command(c)
                self.kid_span.setdefault(c, [now, now])[1] = now
            self.samples.append((time.perf_counter() - self.t0, _rss_kb(me) / 1024, sum(kids) / 1024,
                                 max(kids, default=0) / 1024, _cpu_s("self"), sum(self.kid_cpu.values())))
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
    print(f"{'phase':<28}{'start s':>9}{'secs':>8}{'cpu s':>7}{'kids s':>7}{'RSS0 MB':>9}{'peak MB':>9}"
          f"{'+workers':>10}{'child MB':>10}")

    def at(t: float) -> tuple:
        return min(sampler.samples, key=lambda s: abs(s[0] - t))

    for (t0, name), (t1, _) in zip(phases, phases[1:]):
        inside = [s for s in sampler.samples if t0 <= s[0] <= t1] or [at(t0)]
        a, b = at(t0), at(t1)
        print(f"{name[:26]:<28}{t0:9.1f}{t1 - t0:8.1f}{b[4] - a[4]:7.1f}{b[5] - a[5]:7.1f}{inside[0][1]:9.0f}"
              f"{max(s[1] for s in inside):9.0f}{max(s[1] + s[2] for s in inside):10.0f}{max(s[3] for s in inside):10.0f}")
    peak = max(s[1] for s in sampler.samples)
    peak_all = max(s[1] + s[2] for s in sampler.samples)
    largest = max(max(s[1], s[3]) for s in sampler.samples)
    cpu = os.times()
    print(f"total {total:.1f} s, CPU {cpu.user + cpu.system + cpu.children_user + cpu.children_system:.1f} s "
          f"(with children), peak RSS {peak:.0f} MB (with workers {peak_all:.0f} MB; largest process "
          f"{largest:.0f} MB), load {os.getloadavg()}")
    per: dict[str, list[float]] = {}
    for c, cpu_s in sampler.kid_cpu.items():
        n = per.setdefault(sampler.kid_name.get(c, "?"), [0, 0.0, 1e9, 0.0])
        n[0] += 1
        n[1] += cpu_s
        n[2], n[3] = min(n[2], sampler.kid_span[c][0]), max(n[3], sampler.kid_span[c][1])
    print(f"this process: CPU {cpu.user + cpu.system:.1f} s")
    for name, (count, cpu_s, first, last) in sorted(per.items(), key=lambda kv: -kv[1][1]):
        print(f"children {name}: {count} process(es), CPU {cpu_s:.1f} s, alive {first:.1f}-{last:.1f} s")
    if prof:
        import pstats
        prof.dump_stats(args.cprofile)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
