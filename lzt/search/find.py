"""Find places by name: exact names and short forms, prefixes, parts, pinyin initials and
names written together with their street or community (龙城爱联, 平湖 山厦社区).

Scores (0..1) say how the text matched; the rest of the text naming a place's street or
community raises it. Results are ranked by score, then coarse levels first, then shorter names.
Nothing personal is found (the gazetteer never reads personal layers or columns).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

import numpy as np

from lzt.core.errors import LztInputError
from lzt.search import fuzzy, text
from lzt.search.gazetteer import LEVEL_RANK, Gazetteer, gazetteer
from lzt.workspace.base import Workspace

#: the longest text find looks at (a place name with its street and community fits easily)
MAX_TEXT = 60
#: score of each way a form may match the whole text
EXACT = {"name": 1.0, "alias": 0.97, "short": 0.95, "initials": 0.8}


@dataclass(frozen=True)
class Place:
    """One result: the ``lzt find --json`` record."""

    name: str
    kind: str
    layer: str
    fid: int
    level: str
    score: float
    x: float | None
    y: float | None

    def to_json(self) -> dict:
        return asdict(self)


def check_text(raw: str, source: str = "find") -> str:
    """The normalised text, or ``LztInputError`` for empty or over-long input."""
    if raw is None or not str(raw).strip():
        raise LztInputError(source, "nothing to search for: type a place name or address")
    if len(str(raw)) > MAX_TEXT * 4:
        raise LztInputError(source, f"the text is {len(str(raw))} characters long; a place name has at most "
                                    f"{MAX_TEXT}")
    q = text.normalise(raw)
    if not q:
        raise LztInputError(source, "nothing to search for: the text is only punctuation")
    if len(q) > MAX_TEXT:
        raise LztInputError(source, f"the text is {len(q)} characters long; a place name has at most {MAX_TEXT}")
    return q


def _substrings(q: str, shortest: int = 2) -> dict[str, int]:
    """Every substring of ``q`` of ``shortest`` characters or more -> its start."""
    out: dict[str, int] = {}
    for i in range(len(q)):
        for j in range(i + shortest, len(q) + 1):
            out.setdefault(q[i:j], i)
    return out


def candidates(gz: Gazetteer, q: str) -> dict[int, float]:
    """Place row -> best score for the normalised text ``q``."""
    scores: dict[int, float] = {}
    matched: dict[int, str] = {}

    def put(rows, score: float, form: str = "") -> None:
        for r in np.atleast_1d(rows).tolist():
            if score > scores.get(r, 0.0):
                scores[r] = score
                matched[r] = form

    span = gz.by_form.get(q)
    if span:
        for how, place in zip(*gz.entries(span)):
            put(place, EXACT[how], q)
    if len(q) >= 2 and not text.is_initials_query(q):
        hit = gz.containing(q)
        for r, n in zip(hit.tolist(), gz.take("norm", hit).tolist()):
            ratio = len(q) / max(len(n), 1)
            put(r, (0.6 if n.startswith(q) else 0.5) + 0.3 * ratio, q)
        # names inside the text (the text adds a street, a community or a suffix)
        for sub, _ in sorted(_substrings(q).items(), key=lambda kv: -len(kv[0])):
            s = gz.by_form.get(sub)
            if s and sub != q:
                ratio = len(sub) / len(q)
                for how, place in zip(*gz.entries(s)):
                    if how != "initials":
                        put(place, 0.3 + 0.5 * ratio * EXACT[how], sub)
    return _context(gz, q, scores, matched)


def _context(gz: Gazetteer, q: str, scores: dict[int, float], matched: dict[int, str]) -> dict[int, float]:
    """Raise places whose street or community the rest of the text (besides what matched) names."""
    if not scores:
        return scores
    rows = np.fromiter(scores, dtype=np.int64, count=len(scores))
    parents = zip(gz.take("street", rows).tolist(), gz.take("community", rows).tolist())
    normalised: dict[str, str] = {}  # few distinct streets and communities
    out = {}
    for (r, s), pair in zip(scores.items(), parents):
        rest = q.replace(matched[r], "", 1)
        bonus = 0.0
        for parent in pair:
            if isinstance(parent, str) and len(parent) >= 2:
                n = normalised.get(parent)
                if n is None:
                    n = normalised[parent] = text.normalise(parent)
                if n in rest:
                    bonus += 0.1
        out[r] = min(1.0, s + bonus) if bonus and s < 1.0 else s
    return out


def rank(gz: Gazetteer, scores: dict[int, float], limit: int) -> list[Place]:
    """The best ``limit`` places, one per feature."""
    rows = np.fromiter(scores, dtype=np.int64, count=len(scores))
    level = dict(zip(rows.tolist(), gz.take("level", rows).tolist()))
    size = dict(zip(rows.tolist(), map(len, gz.take("norm", rows).tolist())))
    order = sorted(scores, key=lambda r: (-round(scores[r], 6), LEVEL_RANK.get(level[r], 9), size[r], r))
    picked, seen = [], set()
    at = np.asarray(order, dtype=np.int64)
    for r, lay, f in zip(order, gz.take("layer", at).tolist(), gz.take("fid", at).tolist()):
        key = (lay, int(f))
        if key in seen:
            continue
        seen.add(key)
        picked.append(r)
        if len(picked) >= limit:
            break
    at = np.asarray(picked, dtype=np.int64)
    cols = [gz.take(c, at).tolist() for c in ("name", "kind", "layer", "fid", "x", "y")]
    out = []
    for r, name, kind, lay, f, x, y in zip(picked, *cols):
        out.append(Place(str(name), str(kind), str(lay), int(f), str(level[r]), round(float(scores[r]), 3),
                         None if np.isnan(x) else round(float(x), 2), None if np.isnan(y) else round(float(y), 2)))
    return out


def find(ws: Workspace, raw: str, *, limit: int = 10) -> list[Place]:
    """Places of ``ws`` matching ``raw``, best first (at most ``limit``)."""
    if limit < 1:
        raise LztInputError("--limit", "must be at least 1")
    q = check_text(raw)
    gz = gazetteer(ws)
    scores = candidates(gz, q)
    if not scores and len(q) > 2 and not q.isascii():  # words in another order, or joined by words we do not know
        words = [w for w in gz.segmenter.cut(q) if len(w) >= 2]
        if words:
            rows = gz.containing(words[0])
            for w in words[1:]:
                rows = np.intersect1d(rows, gz.containing(w))
            scores = {int(r): 0.4 for r in rows[:2000]}
    if not scores and len(q) >= 2 and not q.isascii():
        scores = typo_candidates(gz, q)
    places = rank(gz, scores, limit)
    numbered = _NUMBERED.search(q)
    if numbered and not any(s >= 1.0 for s in scores.values()):
        between = plate_between(ws, gz, raw)
        if between is not None:
            return [between, *places][:limit]
        road = corrected_road(gz, q[:numbered.start()])
        if road is not None:  # 龙翔大到37号: the one road a slip away, with the number
            again = find(ws, road + q[numbered.start():], limit=limit)
            return [replace(p, score=round(p.score * TYPO, 3)) for p in again]
    return places


def corrected_road(gz: Gazetteer, stem: str) -> str | None:
    """The one road name a typing slip from ``stem`` (the text before a house number), or None
    when ``stem`` is itself a name, or none or several are within reach."""
    if len(stem) < 3 or len(gz.lookup(stem)):
        return None
    typo_candidates(gz, stem)  # builds the index
    found = gz.__dict__["_typo_index"].match(stem)
    roads = {n: how for n, how in found.items() if (gz.col("level")[gz.lookup(n)] == "道路").any()}
    return fuzzy.unique(roads)


#: a road number at the end of the text (丹竹一路37号)
_NUMBERED = re.compile(r"\d+号$")
#: score of a name one typing slip away (below every exact, prefix or part match)
TYPO = 0.45


def typo_candidates(gz: Gazetteer, q: str) -> dict[int, float]:
    """Streets, communities, compounds and roads one slip from ``q`` (``lzt.search.fuzzy``): a
    wrong, missing or extra character, a homophone, 路/道/大道 mixed up; all of them, ranked
    below real matches (the list shows every candidate: find never picks one)."""
    idx = gz.__dict__.get("_typo_index")
    if idx is None:
        level = gz.col("level")
        coarse = np.isin(level, ["街道", "社区", "小区", "道路"])
        idx = gz.__dict__["_typo_index"] = fuzzy.FuzzyNames(set(gz.col("norm")[coarse].tolist()), roads=True)
    out: dict[int, float] = {}
    for word in [q, *text.short_forms(q)]:  # 龙成街道 -> 龙成 -> 龙城
        for name in idx.match(word):
            for r in gz.lookup(name).tolist():
                out[r] = TYPO
    return out


def plate_between(ws: Workspace, gz: Gazetteer, raw: str) -> Place | None:
    """A road and number without a plate of its own, placed between its road's plates by the
    geocoder (``lzt.search.doorplate``): one result named ``…号（插值）`` with ``fid`` -1 (no
    feature stands there), or None when it cannot be placed so (two stretches, no plates)."""
    from lzt.search.doorplate import PLATE_ROLE
    from lzt.search.geocode import Geocoder

    got = Geocoder(ws, gz).geocode(raw)
    if got.level != "门牌" or "插值" not in got.reason:
        return None
    plates = np.flatnonzero(gz.col("role") == PLATE_ROLE)
    layer = str(gz.col("layer")[plates[0]]) if len(plates) else ""
    label = got.matched.split()[-1] if got.matched else raw
    return Place(f"{label}（插值）", layer or "门牌", layer, -1, "门牌", round(min(0.9, got.confidence), 3), got.x, got.y)
