"""Words from lzt's Qt-free modules, shown in the UI language: field labels of complaint and
supervision layers, rule and verdict names, inspection results and statuses, legend titles of
the default styles, layer kinds, geometry types and the steps long work reports.

The Chinese texts are defined with the data (``layers/``, ``lzt.analysis``, ``lzt.render.style``)
and used as they are on paper and on the command line. ``label(text)`` gives one in the
window's language through the ``Labels`` context of the translations; ``catalogue()`` lists
them, and ``tools/update_translations.py`` puts them into ``resources/i18n/lzt_en.ts``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from layers.kinds import LayerKind

CONTEXT = "Labels"

#: layer kinds -> their Chinese names (``layers.kinds``; listed for the .ts by ``catalogue``)
KINDS = {k.value: k.zh for k in LayerKind}
GEOMETRIES = {"Point": QT_TRANSLATE_NOOP("Labels", "点"), "MultiPoint": QT_TRANSLATE_NOOP("Labels", "多点"),
              "LineString": QT_TRANSLATE_NOOP("Labels", "线"), "MultiLineString": QT_TRANSLATE_NOOP("Labels", "多线"),
              "Polygon": QT_TRANSLATE_NOOP("Labels", "面"), "MultiPolygon": QT_TRANSLATE_NOOP("Labels", "多面")}
#: the steps long work reports through ``Feedback.progress`` (a step, optionally followed by a name)
STEPS = (QT_TRANSLATE_NOOP("Labels", "下载"), QT_TRANSLATE_NOOP("Labels", "地形"), QT_TRANSLATE_NOOP("Labels", "底图"),
         QT_TRANSLATE_NOOP("Labels", "BIM 模型"), QT_TRANSLATE_NOOP("Labels", "建筑白模"),
         QT_TRANSLATE_NOOP("Labels", "完成"), QT_TRANSLATE_NOOP("Labels", "核查"), QT_TRANSLATE_NOOP("Labels", "排版"),
         QT_TRANSLATE_NOOP("Labels", "报告完成"), QT_TRANSLATE_NOOP("Labels", "图集"), QT_TRANSLATE_NOOP("Labels", "出图"),
         QT_TRANSLATE_NOOP("Labels", "编码几何"), QT_TRANSLATE_NOOP("Labels", "建立空间索引"),
         QT_TRANSLATE_NOOP("Labels", "写入要素"), QT_TRANSLATE_NOOP("Labels", "复制图层"),
         QT_TRANSLATE_NOOP("Labels", "提交"), QT_TRANSLATE_NOOP("Labels", "写入工作空间"),
         QT_TRANSLATE_NOOP("Labels", "导入模型"), QT_TRANSLATE_NOOP("Labels", "读取"),
         QT_TRANSLATE_NOOP("Labels", "检查宗地"), QT_TRANSLATE_NOOP("Labels", "检查完成"))
#: statuses a supervision parcel can be given (stored in Chinese, as the ledgers write them)
PARCEL_STATUSES = ("未开工", "在建", "停工", "已竣工", "疑似闲置", "已处置")


def label(text: str | None) -> str:
    """``text`` (a Chinese label of the data) in the window's language."""
    return QCoreApplication.translate(CONTEXT, text) if text else (text or "")


def kind_label(kind: str) -> str:
    """A layer kind's name in the window's language (unknown kinds as they are stored)."""
    return label(KINDS.get(kind, kind))


def geometry_label(geometry_type: str | None) -> str:
    return label(GEOMETRIES.get(geometry_type or "", geometry_type or ""))


def step_label(message: str) -> str:
    """A progress message in the window's language: a known step, with the name after it kept."""
    if not message:
        return message
    head, sep, rest = message.partition(" ")
    if message in STEPS or head not in STEPS:
        return label(message)
    return label(head) + sep + rest


def catalogue() -> list[str]:
    """Every Chinese label the window may show from the Qt-free modules (for the .ts)."""
    from layers import complaints, supervision as sup_layer
    from lzt.analysis import inspections, supervision
    from lzt.render import style

    out: list[str] = list(KINDS.values())
    out += [v[0] for v in complaints.SCHEMA.values()]
    out += [v[0] for v in sup_layer.SCHEMA.values()] + list(sup_layer.LABELS.values())
    out += list(supervision.RULE_ZH.values()) + list(supervision.STATUS_ZH.values())
    out += list(inspections.RESULTS) + list(PARCEL_STATUSES)
    out += [style.RasterRenderer().label, "建筑高度 (米)", "其他"]
    return list(dict.fromkeys(t for t in out if t))
