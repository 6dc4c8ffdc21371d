"""Incremental runs: what reading one workbook gives (`register.reader.read_workbook`, or a
filled score sheet) kept on disk, keyed by the file's content, so unchanged workbooks are
not parsed again.

The key is the SHA-256 of the file's bytes, the path as shown in the report, the sheetkit
version and a fingerprint of the reading code (the reader modules' source, the model and
the python-calamine and pandas versions): change any of them and the entry is simply not
found. Entries are pickles written atomically (temp file + rename) into the cache folder;
an entry that cannot be loaded is deleted and the file read again. The cache folder must
be private to the user (it is created with mode 0700): a pickle is code.

`read_register` uses a cache passed to it, or the one made active for the current command
with `use()` (the CLI's ``--cache/--no-cache``, ``--cache-dir``).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

FORMAT = 1  # bump when the entry layout changes
_ACTIVE: contextvars.ContextVar["ReadCache | None"] = contextvars.ContextVar("sheetkit_cache", default=None)
_READER_MODULES = ("files", "guard", "model", "reader", "scoresheet_reader")
_fingerprint: str | None = None


def default_dir() -> Path:
    """The user's cache folder: $SHEETKIT_CACHE_DIR, else the platform's cache location
    (~/.cache/sheetkit, ~/Library/Caches/sheetkit, %LOCALAPPDATA%\\sheetkit\\Cache)."""
    env = os.environ.get("SHEETKIT_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "sheetkit" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "sheetkit"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sheetkit"


def reader_fingerprint() -> str:
    """sheetkit version + the reading code's source + library versions, hashed."""
    global _fingerprint
    if _fingerprint is None:
        import importlib.util
        from importlib.metadata import PackageNotFoundError, version

        import sheetkit

        h = hashlib.sha256(f"format {FORMAT} sheetkit {sheetkit.__version__} py {sys.version_info[:2]}".encode())
        for lib in ("python-calamine", "pandas"):
            try:
                h.update(f"{lib} {version(lib)}".encode())
            except PackageNotFoundError:  # pragma: no cover
                h.update(lib.encode())
        for name in _READER_MODULES:
            spec = importlib.util.find_spec(f"sheetkit.register.{name}")
            if spec and spec.origin and os.path.exists(spec.origin):
                h.update(Path(spec.origin).read_bytes())
        _fingerprint = h.hexdigest()
    return _fingerprint


class ReadCache:
    """Reads workbooks through an on-disk cache. ``hits``/``misses`` count this run."""

    def __init__(self, directory: str | os.PathLike | None = None):
        self.dir = Path(directory) if directory else default_dir()
        self.hits = 0
        self.misses = 0
        self.writable = True

    def key(self, content: bytes, shown: str) -> str:
        h = hashlib.sha256()
        h.update(hashlib.sha256(content).digest())
        h.update(shown.encode("utf-8", "surrogatepass"))
        h.update(reader_fingerprint().encode())
        return h.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.pickle"

    def read(self, wp):
        """(sheets, findings) for one workbook, from the cache or by reading it."""
        from sheetkit.register.scoresheet_reader import read_file

        try:
            content = wp.real.read_bytes()
        except OSError:
            return read_file(wp)  # the reader turns this into a finding
        entry = self._entry(self.key(content, wp.shown))
        cached = self._load(entry)
        if cached is not None:
            self.hits += 1
            return cached
        self.misses += 1
        result = read_file(wp)
        self._store(entry, result)
        return result

    def _load(self, entry: Path):
        try:
            with open(entry, "rb") as fh:
                value = pickle.load(fh)
        except FileNotFoundError:
            return None
        except Exception:  # truncated, corrupt or from an incompatible version: rebuild
            with contextlib.suppress(OSError):
                entry.unlink()
            return None
        if not (isinstance(value, tuple) and len(value) == 2 and value[0] == FORMAT):
            with contextlib.suppress(OSError):
                entry.unlink()
            return None
        return value[1]

    def _store(self, entry: Path, result) -> None:
        if not self.writable:
            return
        tmp = None
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                os.chmod(self.dir, 0o700)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".pickle", dir=entry.parent)
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((FORMAT, result), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
            tmp = None
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            self.writable = False  # a read-only or full disk: carry on without caching
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def clear(self) -> int:
        """Delete every entry; returns how many."""
        n = 0
        if self.dir.is_dir():
            for p in self.dir.glob("*/*.pickle"):
                with contextlib.suppress(OSError):
                    p.unlink()
                    n += 1
        return n


def active() -> ReadCache | None:
    """The cache made active for the current command, if any."""
    return _ACTIVE.get()


@contextlib.contextmanager
def use(cache: ReadCache | None):
    """Make ``cache`` the one `read_register` uses while the block runs."""
    token = _ACTIVE.set(cache)
    try:
        yield cache
    finally:
        _ACTIVE.reset(token)


def activate(cache: ReadCache | None):
    """Make ``cache`` active until the returned token is passed to `deactivate`."""
    return _ACTIVE.set(cache)


def deactivate(token) -> None:
    _ACTIVE.reset(token)


def reader_for(cache: ReadCache | None = None):
    """The function `read_register` reads each file with: ``cache``'s, the active cache's,
    or the plain reader."""
    cache = cache if cache is not None else active()
    if cache is not None:
        return cache.read
    from sheetkit.register.scoresheet_reader import read_file

    return read_file
