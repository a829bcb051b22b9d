"""Run long work in a spawned child process, with progress, cancel and one-line errors.

For work that holds the GIL for seconds (pyogrio writing a large layer): in a thread it
stalls the GUI's event loop; in a child process it cannot. ``fn`` must be a module-level
function (it is pickled by name); it is called as ``fn(*args, feedback)`` in the child and
its result must pickle. Progress crosses back through a queue; ``feedback.cancel()`` in
the parent terminates the child and raises ``CancelledError``. ``LztInputError`` and
``ConflictError`` in the child re-raise in the parent with the same message; any other
error becomes a ``RuntimeError`` carrying the child's traceback text.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import traceback
from collections.abc import Callable
from typing import Any

from lzt.core.errors import CancelledError, ConflictError, LztInputError
from lzt.core.feedback import Feedback, ensure


def _child(fn: Callable[..., Any], args: tuple, out: Any) -> None:
    fb = Feedback(lambda done, total, message: out.put(("progress", done, total, message)))
    try:
        result = fn(*args, fb)
    except LztInputError as exc:
        out.put(("input", exc.source, exc.problem))
    except ConflictError as exc:
        out.put(("conflict", str(exc)))
    except CancelledError:
        out.put(("cancelled",))
    except BaseException as exc:  # reported to the parent, which raises it loudly
        out.put(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    else:
        out.put(("ok", result))


def run_in_child(fn: Callable[..., Any], args: tuple, feedback: Feedback | None = None,
                 poll: float = 0.05) -> Any:
    """``fn(*args, feedback)`` in a spawned child process; returns its result (see module doc)."""
    fb = ensure(feedback)
    ctx = mp.get_context("spawn")
    messages = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, args, messages), name="lzt-child", daemon=True)
    proc.start()
    answered = False
    try:
        while True:
            if fb.cancelled:
                proc.terminate()
                raise CancelledError("cancelled")
            try:
                msg = messages.get(timeout=poll)
            except queue.Empty:
                if not proc.is_alive() and messages.empty():
                    raise RuntimeError(f"child process ended without a result (exit code {proc.exitcode})")
                continue
            kind = msg[0]
            answered = kind != "progress"
            if kind == "progress":
                fb.progress(*msg[1:])
            elif kind == "ok":
                return msg[1]
            elif kind == "input":
                raise LztInputError(msg[1], msg[2])
            elif kind == "conflict":
                raise ConflictError(msg[1])
            elif kind == "cancelled":
                raise CancelledError("cancelled")
            else:
                raise RuntimeError(f"{msg[1]}\n--- in the child process ---\n{msg[2]}")
    finally:
        if not answered:  # left early (Ctrl-C, a raising progress callback): the work stops too
            proc.terminate()
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join()
        messages.close()
        messages.join_thread()
