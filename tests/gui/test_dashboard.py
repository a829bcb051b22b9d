"""The complaint dashboard: its time window filters the map; an unexpected error is shown.

One window factory for all: the ``main_window`` fixture of tests/gui/conftest.py."""

from __future__ import annotations


def test_dashboard_shows_an_unexpected_error(main_window, monkeypatch):
    import sqlite3

    from lzt.gui.panels import dashboard

    def locked(*a, **kw):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(dashboard, "_counts", locked)
    d = main_window.dashboard
    main_window.show_view("dashboard")
    assert d.wait_idle(10) and "database is locked" in d.summary.text()


def test_dashboard_time_window_filters_session(main_window):
    win = main_window
    d = win.dashboard
    win.show_view("dashboard")
    assert d.busy and "正在统计" in d.summary.text()  # counted in the worker, the window stays live
    assert d.wait_idle()
    assert d.months[0] == "2024-01" and d.months[-1] == "2025-12"
    d.span.setCurrentText("3 个月")
    d.slider.setValue(d.months.index("2025-03"))
    d.slider.setValue(d.months.index("2025-06"))  # supersedes the window before it
    assert d.wait_idle()
    first, last = win.session.time_range
    assert (str(first), str(last)) == ("2025-04-01", "2025-06-30")
    total = sum(v for _, v in d.by_category.items)
    from lzt.analysis.complaints import stats_by_field

    expect = sum(r["count"] for r in stats_by_field(win.ws, "complaints", "category", date_from=first, date_to=last))
    assert total == expect
    snap = {l.name: l for l in win.canvas.build_request().layers}["complaints"]
    assert snap.where is not None  # the map shows the same window
    name = d.make_hotspots()
    assert name == "热点_200m" and win.ws.layer(name).kind == "analysis" and name in [s.name for s in win.session.layers]


def test_dashboard_is_never_left_busy_when_its_counts_die(main_window, monkeypatch):
    """A failure that is not an ``Exception`` used to stay in the worker's future: the
    dashboard said 正在统计… for ever (busy never cleared)."""
    from lzt.gui.panels import dashboard

    class Died(BaseException):
        pass

    def died(*a, **kw):
        raise Died("the worker died")

    d = main_window.dashboard
    main_window.show_view("dashboard")
    assert d.wait_idle()
    monkeypatch.setattr(dashboard, "_counts", died)
    d.span.setCurrentText("3 个月")
    assert d.wait_idle(10) and "Died: the worker died" in d.summary.text()


def test_span_change_while_a_window_is_counting(main_window, monkeypatch):
    """The span changes while the previous window's counts are still running: the charts end on
    the newest window (counted independently here) and busy clears."""
    import threading

    from lzt.analysis.complaints import stats_by_field
    from lzt.gui.panels import dashboard

    win, d = main_window, main_window.dashboard
    win.show_view("dashboard")
    assert d.wait_idle()
    gate, started, real = threading.Event(), threading.Event(), dashboard._counts

    def slow_first(ws, layer, window, months):
        if not started.is_set():
            started.set()
            gate.wait(20)  # held until the span has changed
        return real(ws, layer, window, months)

    monkeypatch.setattr(dashboard, "_counts", slow_first)
    d.span.setCurrentText("1 个月")
    assert started.wait(10) and d.busy
    d.span.setCurrentText("6 个月")
    d.slider.setValue(d.months.index("2025-06"))
    gate.set()
    assert d.wait_idle(30)
    first, last = win.session.time_range
    assert (str(first), str(last)) == ("2025-01-01", "2025-06-30")
    expect = sum(r["count"] for r in stats_by_field(win.ws, "complaints", "category", date_from=first, date_to=last))
    assert sum(v for _, v in d.by_category.items) == expect
    assert f"{expect:,}" in d.summary.text()
