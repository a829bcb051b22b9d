"""The search box and its results panel: one box for places and questions.

A place (龙城街道, 紫薇花园, lcjd) goes to ``lzt find``; a question (龙城街道今年噪声扰民投诉多少？) to
``lzt ask`` (``lzt.search.route`` decides). Both run in a worker thread behind ``run_task``: the
first search of a workspace builds its gazetteer. The panel shows what was asked and how it was
read (for a question the exact lzt command, so that it can be checked and rerun), the answer
and its rows; a place is flown to and highlighted on the map, the records a question counted
are selected. "保存为图层" stores the results (places as points, a question's records with
their lineage, so complaint records stay personal); "导出" writes the table shown to CSV.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCompleter, QFileDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from lzt.core.errors import LztInputError
from lzt.gui.messages import chinese_ui, user_message

#: half the width of the view a point place is shown in (metres)
POINT_VIEW = 250.0
#: places listed at most
FIND_LIMIT = 20
#: a top result this sure (and ahead of the next) is flown to at once
SURE = 0.95


class SearchBox(QLineEdit):
    """The toolbar's box: Enter searches; names are suggested while typing (Chinese or pinyin
    initials) once the workspace's suggester is built (``prepare``, in a background thread)."""

    submitted = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setPlaceholderText(self.tr("搜索地点或提问，如：龙城街道 / 今年各街道噪声投诉多少？"))
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(360)
        self.setMaximumWidth(640)
        self.setMaxLength(200)
        self.returnPressed.connect(lambda: self.submitted.emit(self.text()))
        self.suggester = None  # lzt.search.suggest.Suggester, set by the builder thread
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.activated.connect(self._picked)
        self.setCompleter(self._completer)
        self.textEdited.connect(self._suggest)
        self._builder = None  # (process, output file) of the suggestion build
        self._poll = QTimer(self)
        self._poll.timeout.connect(self._check_builder)
        self.workspace_uri: str | None = None  # set by the main window; built on first focus
        self.current_key = None  # () -> the workspace's gazetteer_key now (set by the main window)
        self.built_key: str | None = None  # the gazetteer_key the suggestions were built for
        self._checked_at = 0.0  # monotonic time the key was last compared

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        if self._builder is None and self.workspace_uri:
            self.prepare(self.workspace_uri)
        else:
            self.refresh_if_stale()

    def refresh_if_stale(self, *, every: float = 0.0) -> bool:
        """Build the suggestions again when the layers they came from changed (their stamps, or
        the aliases, moved on since the build; compared at most once per ``every`` seconds).
        The old suggestions serve until the new ones are in. True when a build started."""
        import time

        now = time.monotonic()
        if (self.current_key is None or self.built_key is None or not self.workspace_uri
                or now - self._checked_at < every or (self._builder and self._builder[0].poll() is None)):
            return False
        self._checked_at = now
        try:
            key = self.current_key()
        except Exception:  # noqa: BLE001 - a workspace gone or busy: keep what we have
            return False
        if key == self.built_key:
            return False
        self.prepare(self.workspace_uri, keep=True)
        return True

    def prepare(self, uri: str, *, keep: bool = False) -> None:
        """Build the suggestions of workspace ``uri`` in a process of its own
        (``python -m lzt.search.suggest``; no thread reads beside the map's renderers), polled
        from this thread; suggestions start (or, with ``keep``, are replaced) once it is done."""
        import os
        import subprocess
        import sys
        import tempfile

        import lzt

        self.stop()
        if not keep:
            self.suggester, self.built_key = None, None
        fd, out = tempfile.mkstemp(prefix="lzt-suggest-", suffix=".json")
        os.close(fd)
        os.unlink(out)
        env = dict(os.environ)
        root = str(Path(lzt.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self._builder = (subprocess.Popen([sys.executable, "-m", "lzt.search.suggest", uri, out], env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), out)
        self._poll.start(200)

    def _check_builder(self) -> None:
        import json
        import os

        proc, out = self._builder if self._builder else (None, None)
        if proc is None or proc.poll() is None:
            return
        self._poll.stop()
        if proc.returncode == 0 and os.path.exists(out):
            from lzt.gui.gc_thread import held
            from lzt.search.suggest import Suggester

            # no cyclic collection here while map workers may paint (see lzt.gui.gc_thread)
            with held(), open(out, encoding="utf-8") as f:
                got = json.load(f)
                self.suggester = Suggester(built=got["entries"], road_plates=got["plates"])
                self.built_key = got["key"]
        if out and os.path.exists(out):
            os.unlink(out)

    def stop(self) -> None:
        """End a suggestion build still running (the window closes)."""
        if self._builder and self._builder[0].poll() is None:
            self._builder[0].kill()
            self._builder[0].wait()
        self._poll.stop()

    def suggestions(self, typed: str) -> list[str]:
        """The names suggested for ``typed`` ([] until the suggester is built, or for a question)."""
        from lzt.search.route import is_question

        sug = self.suggester
        if sug is None or not typed.strip() or len(typed) > 30 or is_question(typed):
            return []
        return sug.suggest(typed, limit=10)

    def _suggest(self, typed: str) -> None:
        if self._builder is None and self.workspace_uri:
            self.prepare(self.workspace_uri)
        else:
            self.refresh_if_stale(every=2.0)
        names = self.suggestions(typed)
        self._model.setStringList(names)
        if names:
            self._completer.complete()

    def _picked(self, name: str) -> None:
        self.setText(name)
        self.submitted.emit(name)


class SearchPanel(QWidget):
    """What was searched or asked, the answer, the results; save as layer and export."""

    located = Signal(str, int)  # layer, fid flown to

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.mode = ""  # "find" | "ask" after a search
        self.text = ""
        self.places: list = []
        self.answer = None
        self.features_fids = None  # fids a question's records have (for the map and saving)
        self.query_label = QLabel()
        self.query_label.setWordWrap(True)
        self.query_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer_label = QLabel()
        self.answer_label.setWordWrap(True)
        self.answer_label.setStyleSheet("font-weight: bold")
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellActivated.connect(lambda r, _c: self.fly_to(r))
        self.table.cellDoubleClicked.connect(lambda r, _c: self.fly_to(r))
        self.save_button = QPushButton(self.tr("保存为图层"))
        self.export_button = QPushButton(self.tr("导出"))
        self.save_button.clicked.connect(lambda: self.save_as_layer())
        self.export_button.clicked.connect(lambda: self.export())
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.query_label)
        lay.addWidget(self.answer_label)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        lay.addWidget(self.message)
        lay.addStretch(0)
        self._buttons()

    @property
    def ws(self):
        """The workspace itself (not the live service layers the map adds to it)."""
        return getattr(self.session.ws, "workspace", self.session.ws)

    # -- searching -----------------------------------------------------------------------------
    def search(self, raw: str) -> str:
        """Find the place or answer the question ``raw``; returns "find", "ask" or "" (refused input)."""
        from lzt.gui.tasks import run_task
        from lzt.search.route import is_question

        self.message.clear()
        raw = str(raw or "").strip()
        if not raw:
            self.message.setText(self.tr("请输入地点名称、地址或问题"))
            return ""
        ws = self.ws
        asking = is_question(raw)

        def work(fb):
            fb.progress(0, 0, "search")
            if asking:
                from lzt.analysis.answer import ask

                a = ask(ws, raw, as_of=date.today())
                return a, _answer_fids(ws, a)
            from lzt.search.find import find

            places = find(ws, raw, limit=FIND_LIMIT)
            return places, _whereabouts(ws, places)

        ok, got = run_task(self, self.tr("搜索"), work, show_errors=False)
        if not ok:
            self.message.setText(user_message(got) if isinstance(got, LztInputError) else self.tr("已取消"))
            return ""
        self.text = raw
        if asking:
            self._show_answer(*got)
        else:
            self._show_places(*got)
        self._buttons()
        return self.mode

    def _show_places(self, places: list, where: list[str]) -> None:
        self.mode, self.places, self.answer, self.features_fids = "find", places, None, None
        self.query_label.setText(self.tr("地点搜索：“{0}”").format(self.text))
        if not places:
            self.answer_label.setText(self.tr("没有找到相符的地点"))
        elif len(places) >= FIND_LIMIT:
            self.answer_label.setText(self.tr("显示最相符的 {0} 个地点，请加上街道或社区缩小范围（双击一行在地图上定位）")
                                      .format(len(places)))
        else:
            self.answer_label.setText(self.tr("找到 {0} 个地点（双击一行在地图上定位）").format(len(places)))
        self._fill([self.tr("名称"), self.tr("级别"), self.tr("所在街道/社区"), self.tr("图层"), self.tr("匹配度")],
                   [(p.name, p.level, w, p.layer, f"{p.score:.2f}") for p, w in zip(places, where)])
        if places and places[0].score >= SURE and (len(places) == 1 or places[1].score < places[0].score):
            self.fly_to(0)

    def _show_answer(self, a, fids) -> None:
        self.mode, self.places, self.answer, self.features_fids = "ask", [], a, fids
        lang = _language()
        words = a.explain(lang)[0]
        words = words or self.tr("（无）")
        command = a.query.get("command") if isinstance(a.query, dict) else None
        lines = [self.tr("问数：“{0}”").format(self.text), self.tr("理解为：{0}").format(words)]
        if command:
            lines.append(self.tr("执行的查询：{0}").format(command))
        if a.query.get("cql"):
            lines.append(f"CQL2: {a.query['cql']}")
        rng = getattr(a, "data_range", None)
        if rng:
            lines.append(self.tr("数据范围：{0} 至 {1}").format(rng["from"], rng["to"]))
        self.query_label.setText("\n".join(lines))
        self.answer_label.setText(a.sentence(lang))  # the answer (or why not) in the UI's language
        rows = [] if a.refused else a.rows_in(lang)
        keys = [k for k in (rows[0].keys() if rows else []) if k not in ("fid",)]
        self._fill([_column_label(self, k) for k in keys], [tuple(r.get(k, "") for k in keys) for r in rows])
        if fids is not None and len(fids):
            layer = a.understood.layer
            try:
                self.session.select(layer, fids)
                self.session.zoom_to_selection(layer)
            except LztInputError:  # the layer is not on the map: the answer stands without it
                pass
        elif a.understood.place and a.understood.place.get("x") is not None and not a.refused:
            self._show_place(a.understood.place)

    def _fill(self, headers: list[str], rows: list[tuple]) -> None:
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        self.table.setVisible(bool(rows))  # a refusal or no place: no empty grid under the sentence
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                self.table.setItem(i, j, QTableWidgetItem("" if v is None else str(v)))

    def _buttons(self) -> None:
        can_save = (self.mode == "find" and bool(self.places)) or (
            self.mode == "ask" and self.features_fids is not None and len(self.features_fids) > 0)
        self.save_button.setEnabled(can_save)
        self.export_button.setEnabled(self.table.rowCount() > 0)
        self.save_button.setToolTip("" if can_save else self.tr("没有可保存为图层的要素"))

    # -- the map -------------------------------------------------------------------------------
    def fly_to(self, row: int) -> None:
        """Fly the map to result ``row`` and highlight it."""
        if self.mode != "find" or not 0 <= row < len(self.places):
            return
        p = self.places[row]
        try:
            self.session.select(p.layer, [p.fid])
        except LztInputError:  # not on the map: still centred on it
            pass
        if p.level in ("门牌", "小区") and p.x is not None:
            self._view_point(p.x, p.y)
        else:
            self.session.zoom_to_selection(p.layer)
        self.table.selectRow(row)
        self.located.emit(p.layer, p.fid)

    def _show_place(self, p: dict) -> None:
        """A question's place on the map: an area whole, a point in its neighbourhood."""
        if p.get("level") in ("门牌", "小区") or not p.get("layer"):
            self._view_point(float(p["x"]), float(p["y"]))
            return
        try:
            self.session.select(p["layer"], [int(p["fid"])])
            self.session.zoom_to_selection(p["layer"])
        except LztInputError:
            self._view_point(float(p["x"]), float(p["y"]))

    def _view_point(self, x: float, y: float) -> None:
        self.session.set_extent((x - POINT_VIEW, y - POINT_VIEW * 0.6, x + POINT_VIEW, y + POINT_VIEW * 0.6))

    # -- saving and exporting --------------------------------------------------------------------
    def save_as_layer(self, name: str | None = None) -> str | None:
        """Store the results as a new layer (asked for a name unless given); returns its name."""
        from lzt.gui.tasks import run_on_workspace

        if not self.save_button.isEnabled():
            return None
        if name is None:
            default = self.tr("搜索结果") if self.mode == "find" else self.tr("问数结果")
            name, ok = QInputDialog.getText(self, self.tr("保存为图层"), self.tr("图层名称"), text=default)
            if not ok or not name.strip():
                return None
        name = name.strip()
        places, answer, fids, text = self.places, self.answer, self.features_fids, self.text

        def work(ws, fb):
            save_results(ws, name, text, places=places, answer=answer, fids=fids)
            return name

        ok, got = run_on_workspace(self, self.tr("保存为图层"), self.ws.uri, work)
        if not ok:
            if isinstance(got, LztInputError):
                self.message.setText(user_message(got))
            return None
        self.session.reload()
        self.message.setText(self.tr("已保存为图层“{0}”").format(name))
        return name

    def export(self, path: str | None = None) -> Path | None:
        """Write the table shown to a CSV file (UTF-8 with BOM, opens in Excel/WPS)."""
        if self.table.rowCount() == 0:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("导出"), self.tr("搜索结果") + ".csv", "CSV (*.csv)")
            if not path:
                return None
        out = Path(path)
        try:
            with out.open("w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f)
                w.writerow([self.tr("查询"), self.text])
                if self.answer is not None:
                    w.writerow([self.tr("回答"), self.answer.sentence(_language())])
                    if self.answer.query.get("command"):
                        w.writerow([self.tr("执行的查询"), self.answer.query["command"]])
                w.writerow([self.table.horizontalHeaderItem(j).text() for j in range(self.table.columnCount())])
                for i in range(self.table.rowCount()):
                    w.writerow([(self.table.item(i, j).text() if self.table.item(i, j) else "")
                                for j in range(self.table.columnCount())])
        except OSError as exc:
            self.message.setText(self.tr("无法写入 {0}：{1}").format(out, exc.strerror or exc))
            return None
        self.message.setText(self.tr("已导出到 {0}").format(out))
        return out


def _language() -> str:
    """"zh" or "en": the language 问数's sentences are shown in (the UI's)."""
    return "zh" if chinese_ui() else "en"


def _column_label(panel: QWidget, key: str) -> str:
    labels = {"key": QCoreApplication.translate("SearchPanel", "分组"), "count": QCoreApplication.translate("SearchPanel", "数量"), "share": QCoreApplication.translate("SearchPanel", "占比"), "name": QCoreApplication.translate("SearchPanel", "名称"),
              "value": QCoreApplication.translate("SearchPanel", "数值"),
              "level": QCoreApplication.translate("SearchPanel", "级别"), "layer": QCoreApplication.translate("SearchPanel", "图层")}
    return labels.get(key, key)


def _whereabouts(ws, places) -> list[str]:
    """Each place's street and community (from the gazetteer), to tell same-named places apart."""
    from lzt.search.gazetteer import gazetteer

    gz = gazetteer(ws)
    keys = dict(zip(zip(gz.col("layer").tolist(), gz.col("fid").tolist()), range(len(gz.places))))
    street, community = gz.col("street"), gz.col("community")
    out = []
    for p in places:
        r = keys.get((p.layer, p.fid))
        parts = [] if r is None else [v for v in (street[r], community[r]) if isinstance(v, str) and v]
        out.append(" ".join(parts))
    return out


def _answer_fids(ws, a):
    """The fids of the records a question's answer counted (its CQL2 filter on its layer), or None."""
    cql = a.query.get("cql") if isinstance(a.query, dict) else None
    if a.refused or not cql or not a.understood.layer:
        return None
    from lzt.query.run import QuerySpec, run_query

    got = run_query(ws, QuerySpec(a.understood.layer, where=cql, columns=()))
    return got.features.index.to_numpy()


def save_results(ws, name: str, text: str, *, places=(), answer=None, fids=None) -> None:
    """Store search results as layer ``name``: places as points, a question's records with their
    columns and lineage."""
    import geopandas as gpd
    import shapely

    from layers.kinds import LayerKind
    from lzt.workspace.personal import lineage

    if answer is None:
        keep = [p for p in places if p.x is not None]
        gdf = gpd.GeoDataFrame({"name": [p.name for p in keep], "level": [p.level for p in keep],
                                "layer": [p.layer for p in keep], "src_fid": [p.fid for p in keep],
                                "score": [p.score for p in keep]},
                               geometry=shapely.points([p.x for p in keep], [p.y for p in keep]), crs=ws.crs)
        ws.write_layer(name, gdf, kind=LayerKind.ANALYSIS, source=f"搜索 {text}")
        return
    layer = answer.understood.layer
    rows = ws.read_features(layer, fids=fids)
    gdf = gpd.GeoDataFrame(rows.reset_index(names="src_fid"), crs=ws.crs)
    ws.write_layer(name, gdf, kind=LayerKind.ANALYSIS, source=f"问数 {text}",
                   details=lineage(ws, [layer], {"question": text, "cql": answer.query.get("cql")}))
