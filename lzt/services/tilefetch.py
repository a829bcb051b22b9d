"""Fetching tiles and map images: worker threads, timeouts, retries, an on-disk cache.

Only http/https; TLS verified; proxies from the environment (urllib's defaults). A fetched
body is accepted only when it decodes as an image: an HTML error page, a zero-byte body or a
corrupt image is counted (``Tally``), never cached, never drawn. The cache keys on the URL
with its key removed (``redact``), so no key reaches the disk; entries expire after
``max_age`` seconds (served anyway when offline) and the oldest go when the cache outgrows
``max_bytes``.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from lzt.services import tianditu

_KEY_PARAM = re.compile(r"((?:^|[?&])(?:tk|key|token|access_token|apikey|api_key|ak)=)[^&#]*", re.I)


def redact(url: str, key: str | None = None) -> str:
    """``url`` with every key parameter (and ``key`` wherever it appears) replaced by ``***``."""
    if key:
        url = url.replace(key, "***")
    return _KEY_PARAM.sub(r"\1***", url)


def default_cache_dir() -> Path:
    root = os.environ.get("LZT_TILE_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "lzt", "tiles")
    return Path(root)


class FetchError(Exception):
    """A tile that could not be had: ``kind`` (html, empty, corrupt, http, timeout, network,
    offline, service) and a one-line, key-free ``message``."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind, self.message = kind, message


class Tally:
    """Failed tiles counted by kind; the first message of each kind kept (key-free)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.counts: Counter = Counter()
        self.first: dict[str, str] = {}

    def add(self, err: FetchError) -> None:
        with self._lock:
            self.counts[err.kind] += 1
            self.first.setdefault(err.kind, err.message)

    def summary(self) -> str | None:
        """One stable line for the status bar (the first failure's reason), or None when
        nothing failed; ``total`` says how many."""
        with self._lock:
            if not self.counts:
                return None
            return f"瓦片获取失败 (tiles failed): {next(iter(self.first.values()))}"

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.counts.values())


def decode_image(body: bytes) -> np.ndarray:
    """RGBA uint8 pixels of an image body; FetchError when it is not an image."""
    from PIL import Image, UnidentifiedImageError

    if not body:
        raise FetchError("empty", "a zero-byte tile")
    head = body[:200].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<", b"{")):
        line = tianditu.error_line(body)
        if line:
            raise FetchError("service", line)
        kind = "html" if b"html" in head else "corrupt"
        raise FetchError(kind, "an HTML error page instead of a tile" if kind == "html" else
                         "a text answer instead of a tile")
    try:
        with Image.open(io.BytesIO(body)) as im:
            im.load()
            return np.asarray(im.convert("RGBA"))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise FetchError("corrupt", f"a corrupt tile ({type(exc).__name__})") from None


class _SafeRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith(("http://", "https://")):
            raise urllib.error.URLError("redirect to a non-http(s) address refused")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener():
    ctx = ssl.create_default_context()  # certificates verified
    return urllib.request.build_opener(urllib.request.ProxyHandler(), urllib.request.HTTPSHandler(context=ctx),
                                       _SafeRedirect())


class DiskCache:
    """Validated tile bodies on disk, keyed by the key-free URL."""

    def __init__(self, root: Path | None = None, *, max_bytes: int = 512 << 20, max_age: float = 7 * 86400):
        self.root = Path(root) if root else default_cache_dir()
        self.max_bytes, self.max_age = max_bytes, max_age
        self._writes = 0
        self._lock = threading.Lock()

    def _path(self, public_url: str) -> Path:
        h = hashlib.sha256(public_url.encode()).hexdigest()
        return self.root / h[:2] / h

    def get(self, public_url: str, *, stale_ok: bool = False) -> bytes | None:
        p = self._path(public_url)
        try:
            st = p.stat()
            if not stale_ok and time.time() - st.st_mtime > self.max_age:
                return None
            return p.read_bytes()
        except OSError:
            return None

    def put(self, public_url: str, body: bytes) -> None:
        p = self._path(public_url)
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            tmp = p.with_suffix(f".{threading.get_ident()}.tmp")
            tmp.write_bytes(body)
            os.replace(tmp, p)
        except OSError:
            return  # a read-only or full disk only costs the cache
        with self._lock:
            self._writes += 1
            if self._writes % 64 == 0:
                self.prune()

    def size(self) -> int:
        return sum(f.stat().st_size for f in self.root.glob("*/*") if f.is_file())

    def prune(self) -> None:
        """Remove the oldest entries until the cache fits ``max_bytes``."""
        files = [(f.stat().st_mtime, f.stat().st_size, f) for f in self.root.glob("*/*") if f.is_file()]
        total = sum(s for _, s, _ in files)
        for _, s, f in sorted(files):
            if total <= self.max_bytes:
                break
            f.unlink(missing_ok=True)
            total -= s


class Fetcher:
    """Images fetched by up to ``workers`` threads, ``timeout`` s each, ``retries`` retries on
    network errors and 5xx answers; a memory cache of decoded images in front of the disk. A
    tile that failed is not asked for again within ``retry_after`` seconds (a dead server does
    not keep the workers and the map busy)."""

    retry_after = 30.0

    def __init__(self, *, workers: int = 6, timeout: float = 10.0, retries: int = 2, cache: DiskCache | None = None,
                 offline: bool = False, memory_items: int = 2048):
        self.timeout, self.retries, self.offline = timeout, retries, offline
        self.cache = cache
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lzt-tiles")
        self._mem: dict[str, np.ndarray] = {}
        self._pending: dict[str, Future] = {}
        self._failed: dict[str, float] = {}
        self._lock = threading.Lock()
        self._memory_items = memory_items
        self._local = threading.local()
        self.stats = Counter()

    def cached(self, public_url: str) -> np.ndarray | None:
        """The decoded image if it is in memory (never waits, never fetches)."""
        with self._lock:
            return self._mem.get(public_url)

    def submit(self, url: str, public_url: str, tally: Tally, on_done=None, secret: str | None = None) -> Future:
        """A future of the decoded image (None when it failed; the failure goes to ``tally``,
        with ``secret`` (the key) masked should a server echo it)."""
        with self._lock:
            hit = self._mem.get(public_url)
            if hit is not None:
                f: Future = Future()
                f.set_result(hit)
                self.stats["memory"] += 1
                return f
            failed_at = self._failed.get(public_url)
            if failed_at is not None and time.monotonic() - failed_at < self.retry_after:
                f = Future()
                f.set_result(None)
                return f
            f = self._pending.get(public_url)
            if f is None:
                f = self.pool.submit(self._work, url, public_url, tally, secret)
                self._pending[public_url] = f
        if on_done is not None:
            f.add_done_callback(lambda _f: on_done())
        return f

    def _work(self, url: str, public_url: str, tally: Tally, secret: str | None = None) -> np.ndarray | None:
        try:
            img = self._get(url, public_url)
        except FetchError as err:
            if secret:
                err = FetchError(err.kind, err.message.replace(secret, "***"))
            tally.add(err)
            img = None
        with self._lock:
            self._pending.pop(public_url, None)
            if img is None:
                self._failed[public_url] = time.monotonic()
            else:
                self._failed.pop(public_url, None)
                self._mem[public_url] = img
                while len(self._mem) > self._memory_items:
                    self._mem.pop(next(iter(self._mem)))
        return img

    def _get(self, url: str, public_url: str) -> np.ndarray:
        if self.cache is not None:
            body = self.cache.get(public_url, stale_ok=self.offline)
            if body is not None:
                try:
                    img = decode_image(body)
                    self.stats["disk"] += 1
                    return img
                except FetchError:
                    pass
        if self.offline:
            raise FetchError("offline", "offline mode: the tile is not in the cache")
        body = self.fetch_bytes(url, public_url)
        img = decode_image(body)
        self.stats["network"] += 1
        if self.cache is not None:
            self.cache.put(public_url, body)
        return img

    def fetch_bytes(self, url: str, public_url: str) -> bytes:
        """The body at ``url`` (retried on network errors and 5xx); errors name ``public_url``."""
        if not url.lower().startswith(("http://", "https://")):
            raise FetchError("network", "only http:// and https:// services are supported")
        opener = getattr(self._local, "opener", None)
        if opener is None:
            opener = self._local.opener = _opener()
        last = None
        for attempt in range(self.retries + 1):
            try:
                req = urllib.request.Request(url, headers={"User-Agent": "lzt (longgang spatial client)"})
                with opener.open(req, timeout=self.timeout) as r:
                    return r.read()
            except urllib.error.HTTPError as exc:
                body = exc.read() or b""
                line = tianditu.error_line(body)
                last = FetchError("service" if line else "http", line or f"HTTP {exc.code} from {_host(public_url)}")
                if exc.code < 500:
                    break
            except TimeoutError:
                last = FetchError("timeout", f"no answer within {self.timeout:g} s from {_host(public_url)}")
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                last = FetchError("network", f"{_host(public_url)}: {' '.join(str(reason).split())[:160]}")
            if attempt < self.retries:
                time.sleep(0.2 * (attempt + 1))
        raise last

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc or url


_shared: dict[tuple, Fetcher] = {}
_shared_lock = threading.Lock()


def shared_fetcher() -> Fetcher:
    """The process's fetcher for the current cache folder (``LZT_TILE_CACHE``, else the user
    cache) and mode (``LZT_OFFLINE=1``: offline, cached tiles only)."""
    key = (str(default_cache_dir()), os.environ.get("LZT_OFFLINE", "") not in ("", "0"))
    with _shared_lock:
        if key not in _shared:
            _shared[key] = Fetcher(cache=DiskCache(Path(key[0])), offline=key[1])
        return _shared[key]
