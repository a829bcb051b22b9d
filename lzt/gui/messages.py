"""Errors as the GUI says them: in the user's language, without the command line's option names.

lzt's errors (``LztInputError``, ``ConflictError``) name their input and the problem in English,
for the command line and the logs. ``user_message`` turns one into the line a dialog shows:
the input as the form names it (a command-line option becomes the form field it came from,
or nothing), and, in the Chinese UI, the problem in Chinese when it is one of the messages
listed here (the expression language, workspaces, layers, files, exports, inspections,
edits). A problem not listed keeps lzt's wording after a Chinese lead-in, so nothing is hidden.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QLocale

from lzt.core.errors import LztInputError

#: where a parser error sits: "at position 7 ('x')" or "at the end"
_WHERE = re.compile(r"^(?P<msg>.*?) (?:at position (?P<pos>\d+) \((?P<tok>.*)\)|at the end)$")

#: (English problem, full match) -> Chinese; groups are carried over as \1, \2 …
_ZH: list[tuple[str, str]] = [
    # the filter / query expression language (lzt.query.expr)
    (r"unexpected character (.+) at position (\d+)", r"第 \2 个字符 \1 无法识别"),
    (r"unexpected end of expression", "表达式不完整"),
    (r"unexpected text", "有多余的内容"),
    (r"unexpected token in geometry", "几何中有无法识别的内容"),
    (r"empty expression", "表达式为空"),
    (r"expected a condition", "此处应为一个条件"),
    (r"expected a field name", "此处应为字段名"),
    (r"expected a comparison \(=, <>, <, <=, >, >=\)", "此处应为比较运算符（=、<>、<、<=、>、>=）"),
    (r"expected AND in BETWEEN", "BETWEEN 中缺少 AND"),
    (r"expected LIKE, IN or BETWEEN after NOT", "NOT 之后应为 LIKE、IN 或 BETWEEN"),
    (r"expected NULL", "此处应为 NULL"),
    (r"expected a value .*", "此处应为一个值（'文本'、数字、TRUE/FALSE 或 DATE('…')）"),
    (r"expected a geometry .*", "此处应为几何（WKT，如 POINT(x y)，或 BBOX(…)）"),
    (r"expected '\(' after (.+)", r"\1 之后应为 '('"),
    (r"expected (.+)", r"此处应为 \1"),
    (r"unknown field (.+?); did you mean (.+)\?", r"没有字段 \1；是否指 \2？"),
    (r"unknown field (.+?); fields: (.+)", r"没有字段 \1；可用字段：\2"),
    (r"field (.+) holds numbers; (.+) is not a number", r"字段 \1 是数值，\2 不是数字"),
    (r"field (.+) holds text; quote the value", r"字段 \1 是文本，值要加引号"),
    (r"field (.+) holds dates; (.+) is not a date.*", r"字段 \1 是日期，\2 不是日期"),
    (r"field (.+) is TRUE/FALSE; (.+) is not", r"字段 \1 只取 TRUE/FALSE，\2 不是"),
    (r"LIKE needs a text field; (.+) is (.+)", r"LIKE 只能用于文本字段，\1 是 \2"),
    (r"invalid date (.+): expected (.+)", r"日期 \1 无效"),
    (r"expression longer than (\d+) characters", r"表达式超过 \1 个字符"),
    (r"expression nested deeper than (\d+) levels", r"表达式嵌套超过 \1 层"),
    (r"spatial functions may only be AND-ed at the top level.*", "空间函数只能在最外层用 AND 连接"),
    (r"spatial functions take the geometry \(geom\) first.*", "空间函数的第一个参数应为几何字段 geom"),
    (r"unknown distance unit (.+) \(use meters or km\)", r"未知的距离单位 \1（请用 meters 或 km）"),
    (r"BBOX needs 4 numbers.*", "BBOX 需要 4 个数：minx, miny, maxx, maxy"),
    (r"BBOX needs minx <= maxx and miny <= maxy", "BBOX 要求 minx ≤ maxx 且 miny ≤ maxy"),
    (r"invalid geometry (.+?): .*", r"几何 \1 无效"),
    (r"empty geometry", "几何为空"),
    (r"the expression must be text", "表达式必须是文本"),
    # queries (lzt.query.run)
    (r"layer (.+) is a raster; queries need a vector layer", r"图层 \1 是栅格，查询需要矢量图层"),
    (r"the distance must not be negative", "距离不能为负"),
    (r"coordinates must be finite numbers", "坐标必须是有限的数"),
    # workspaces and layers
    (r"no such workspace file.*", "工作空间文件不存在"),
    (r"not a GeoPackage workspace.*", "不是 GeoPackage 工作空间"),
    (r"cannot open workspace: (.+)", r"无法打开工作空间：\1"),
    (r"a workspace file must end in \.gpkg", "工作空间文件名须以 .gpkg 结尾"),
    (r"is a SQLite/GeoPackage file but not an lzt workspace.*", "是 SQLite/GeoPackage 文件，但不是 lzt 工作空间"),
    (r"no layer named (.+?) \(layers: .*\)", r"没有名为 \1 的图层"),
    (r"no layer (.+) on the map", r"地图上没有图层 \1"),
    (r"layer (.+?) has no field (.+?)(?: \(fields: .*\))?", r"图层 \1 没有字段 \2"),
    (r"layer (.+?) already exists.*", r"图层 \1 已存在"),
    (r"invalid layer name (.+?): names starting with .*", r"图层名 \1 无效：此前缀为系统保留"),
    (r"invalid layer name (.+?): .*", r"图层名 \1 无效：只能用字母（可用汉字）、数字和 _，以字母开头，最多 63 个字符"),
    (r"layer (.+) is not a point layer", r"图层 \1 不是点图层"),
    (r"layer (.+) is not a raster layer", r"图层 \1 不是栅格图层"),
    (r"field names differ only by case; rename them", "有字段名仅大小写不同，请改名"),
    # files: import and export
    (r"no such file", "文件不存在"),
    (r"is a folder; give the files to import", "是文件夹，请选择要导入的文件"),
    (r"several inputs would become layer (.+?);.*", r"多个文件会成为同一个图层 \1，请分别导入"),
    (r"already exists; choose another file or remove it first", "已存在，请另选文件名或先删除它"),
    (r"unknown output format (.+?); use one of (.+)", r"不支持的输出格式 \1；可用：\2"),
    (r"folder (.+) does not exist", r"文件夹 \1 不存在"),
    (r"cannot write: (.+)", r"无法写入：\1"),
    (r"the data cannot be expressed in (.+)", r"数据无法转换到坐标系 \1"),
    (r"no feature to map", "没有要出图的要素"),
    (r"cannot write the screenshot", "无法保存截图"),
    # inspections and edits
    (r"layer (.+) has no parcel (.+)", r"图层 \1 中没有宗地 \2"),
    (r"(.+) is in the future", r"核查日期 \1 晚于今天"),
    (r"the inspector's name is required", "请填写核查人"),
    (r"the inspection result is required", "请填写核查结果"),
    (r"no such photo file", "照片文件不存在"),
    (r"photo larger than (\d+) MB", r"照片超过 \1 MB"),
    (r"two photos have the same file name", "有两张照片文件名相同"),
    (r"feature (\d+) of (.+) was changed by someone else.*", r"\2 的要素 \1 已被他人修改；请重新载入后再试"),
    (r"feature (\d+) of (.+) changed during the edit", r"\2 的要素 \1 在编辑期间被他人修改；请重新载入后再试"),
]
_ZH_RE = [(re.compile(p), zh) for p, zh in _ZH]


def chinese_ui() -> bool:
    """Whether the window speaks Chinese (the language chosen at start, ``QLocale`` default)."""
    return QLocale().language() == QLocale.Language.Chinese


def _is_option(source: str) -> bool:
    return source.startswith("--") or source.startswith("lzt ")


def problem_zh(problem: str) -> str | None:
    """A known problem in Chinese (with its position in an expression), else None."""
    m = _WHERE.match(problem)
    msg, where = (m["msg"], m) if m else (problem, None)
    for pattern, zh in _ZH_RE:
        hit = pattern.fullmatch(msg)
        if hit:
            text = hit.expand(zh)
            if where is not None:
                text += f"（第 {where['pos']} 个字符 {where['tok']}）" if where["pos"] else "（在末尾）"
            return text
    return None


def user_message(error: BaseException, field: str | None = None) -> str:
    """The one line a dialog shows for ``error``; ``field`` names the form field that a
    command-line option (``--where`` …) stands for."""
    if isinstance(error, LztInputError):
        source, problem = error.source, error.problem
    else:  # ConflictError: "<workspace>: <problem>"
        text = " ".join(str(error).split())
        source, _, problem = text.rpartition(": ") if ": " in text else (None, "", text)
        if source and "feature" in source:  # the colon was inside the problem
            source, problem = None, text
    if source and _is_option(source):
        source = field
    elif field and not source:
        source = field
    if chinese_ui():
        zh = problem_zh(problem)
        problem = zh if zh is not None else f"输入有误（{problem}）"
        return f"{source}：{problem}" if source else problem
    return f"{source}: {problem}" if source else problem
