"""People and places: 一人多诉, 多人同诉, repeat addresses and sensitive words.

Callers are compared by a *caller key*: HMAC-SHA256 of the phone number's digits (a leading
86 country code dropped) under a workspace secret (the ``caller_key_secret`` setting,
made on first use; DOMAIN.md §2.3 [P]: "joins and repeat detection use HMAC-SHA256(salt,
phone)"). Keys live only in memory for the comparison: they are never shown, stored or
written anywhere. A workspace that cannot store the secret (a read-only shared one) uses
one for this process only; the groups found are the same.

Phone numbers that arrive masked (``138****1234``, e.g. through a PostGIS masking view)
cannot tell callers apart: the caller rules then say so and stand down rather than merge
different people.

Rules (thresholds from the ``warning_rules`` setting, see ``warn_rules``):
- 一人多诉: one caller with ≥ ``orders`` orders in the ``days`` days ending on the as-of date,
  at least one of them in the period examined;
- 多人同诉: records of one category chained within ``metres`` and ``days`` (as
  ``repeats.find_repeats`` chains them) from ≥ ``callers`` distinct callers, at least one
  record in the period examined;
- repeat address: ≥ ``orders`` orders of one category at one normalised address in
  ``days`` days, one of them in the period examined;
- sensitive words: records of the period examined whose text holds a listed word.
"""

from __future__ import annotations

import hmac
import re
import secrets
import unicodedata

import numpy as np
import pandas as pd

from lzt.workspace.base import Workspace

SECRET_SETTING = "caller_key_secret"
_process_secret: str | None = None


def caller_secret(ws: Workspace) -> str:
    """The workspace's secret for caller keys (created and stored on first use)."""
    global _process_secret
    s = ws.get_setting(SECRET_SETTING)
    if isinstance(s, str) and len(s) >= 32:
        return s
    new = secrets.token_hex(32)
    try:
        ws.set_setting(SECRET_SETTING, new)
        return new
    except Exception:  # noqa: BLE001 - a read-only workspace (file or role): a secret for this process
        if _process_secret is None:
            _process_secret = new
        return _process_secret


def _per_unique(values, fn) -> pd.Series:
    """``fn`` (Series -> Series) applied once per distinct value."""
    codes, uniq = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    done = fn(pd.Series(uniq, dtype=object)).to_numpy(dtype=object)
    missing = fn(pd.Series([None], dtype=object)).iloc[0]
    return pd.Series(np.where(codes >= 0, done[np.maximum(codes, 0)] if len(done) else missing, missing),
                     dtype=object)


def phone_digits(values) -> pd.Series:
    """Digits of each phone number, a leading 86 (+86, 0086) dropped; '' for none."""
    def digits(s: pd.Series) -> pd.Series:
        d = s.fillna("").astype(str).str.replace(r"\D", "", regex=True)
        return d.str.replace(r"^(?:0086|86)(?=1\d{10}$)", "", regex=True)

    return _per_unique(values, digits)


def caller_keys(phones, secret: str) -> tuple[np.ndarray, bool]:
    """(int codes of HMAC keys, -1 where there is no number; whether numbers arrive masked)."""
    raw = pd.Series(phones, dtype=object)
    masked = bool(raw.fillna("").astype(str).str.contains(r"\*", regex=True).any())
    digits = phone_digits(raw)
    uniq, inv = np.unique(digits.to_numpy(dtype=str), return_inverse=True)  # hash each number once
    key = secret.encode()
    hashed = np.array([hmac.digest(key, d.encode(), "sha256") if len(d) >= 7 else b"" for d in uniq.tolist()],
                      dtype=object)
    codes, labels = pd.factorize(pd.Series(hashed[inv], dtype=object))
    empty = np.flatnonzero(labels == b"")
    codes = np.where(np.isin(codes, empty), -1, codes)
    return codes.astype(np.int64), masked


_PREFIX = re.compile(r"^(广东省|广东)?(深圳市|深圳)?(龙岗区|龙岗)?")


def normalise_address(values) -> pd.Series:
    """NFKC, no spaces, the 广东省/深圳市/龙岗区 prefixes dropped (DOMAIN.md §7.4 [M]); '' for none."""
    def one(v):
        if not isinstance(v, str):
            return ""
        t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", v))
        return _PREFIX.sub("", t)

    return _per_unique(values, lambda s: s.map(one))


_HOUSE = re.compile(r"[0-9A-Za-z\-－#]+(?:号楼|栋|座|幢|单元|室|层|楼|号|房|户)")


def generalise_address(values) -> pd.Series:
    """An address as a warning shows it: masked, and house/room numbers removed ([P] DOMAIN.md §2.3)."""
    from lzt.analysis.masking import mask_frame

    masked = mask_frame(pd.DataFrame({"address": pd.Series(values, dtype=object)}))["address"]
    return masked.map(lambda v: _HOUSE.sub("", v) if isinstance(v, str) else v)


def groups_with_at_least(codes: np.ndarray, n: int) -> np.ndarray:
    """Group codes (>= 0) holding at least ``n`` members."""
    ok = codes[codes >= 0]
    if len(ok) == 0:
        return np.empty(0, dtype=np.int64)
    counts = np.bincount(ok)
    return np.flatnonzero(counts >= n)


def find_words(texts, words: list[str]) -> list[list[str]]:
    """The listed words each text contains (in list order)."""
    if not words:
        return [[] for _ in range(len(texts))]
    pat = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    out = []
    for t in pd.Series(texts, dtype=object).tolist():
        if not isinstance(t, str):
            out.append([])
            continue
        found = set(pat.findall(unicodedata.normalize("NFKC", t)))
        out.append([w for w in words if w in found])
    return out
