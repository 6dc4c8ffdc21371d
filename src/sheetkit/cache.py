"""Incremental runs: what reading one workbook gives (`register.reader.read_workbook`, or a
filled score sheet) kept on disk, keyed by the file's content, so unchanged workbooks are
not parsed again; and the whole normalised `Register`, keyed by every file's content, so
a folder in which nothing changed is not even normalised again.

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
_READER_MODULES = ("__init__", "files", "guard", "model", "normalise", "reader", "scoresheet_reader", "table")
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
    """Reads workbooks (and whole registers) through an on-disk cache: entries under
    ``files/`` (one per workbook) and ``folders/`` (one per set of workbooks read together)."""

    def __init__(self, directory: str | os.PathLike | None = None):
        self.dir = Path(directory) if directory else default_dir()
        self.hits = 0  # files read from the cache
        self.misses = 0  # files parsed
        self.folder_hits = 0  # whole registers read from the cache
        self.writable = True
        self._digests: dict[str, bytes] = {}

    def _digest(self, wp) -> bytes | None:
        if wp.shown not in self._digests:
            try:
                self._digests[wp.shown] = hashlib.sha256(wp.real.read_bytes()).digest()
            except OSError:
                return None
        return self._digests[wp.shown]

    def _register_entry(self, workbooks, cities) -> Path | None:
        h = hashlib.sha256(b"register\0" + reader_fingerprint().encode())
        h.update(repr(sorted((cities or {}).items())).encode())
        for wp in workbooks:
            digest = self._digest(wp)
            if digest is None:
                return None
            h.update(wp.shown.encode("utf-8", "surrogatepass") + b"\0" + digest)
        return self.dir / "folders" / f"{h.hexdigest()}.pickle"

    def load_register(self, workbooks, cities):
        """The whole Register read before from exactly these files (same contents), or None."""
        entry = self._register_entry(workbooks, cities)
        value = self._load(entry) if entry is not None else None
        if value is not None:
            self.folder_hits += 1
        return value

    def store_register(self, workbooks, cities, register) -> None:
        entry = self._register_entry(workbooks, cities)
        if entry is not None:
            self._store(entry, register)

    def key(self, digest: bytes, shown: str) -> str:
        h = hashlib.sha256()
        h.update(digest)
        h.update(shown.encode("utf-8", "surrogatepass"))
        h.update(reader_fingerprint().encode())
        return h.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.dir / "files" / key[:2] / f"{key}.pickle"

    def read(self, wp):
        """(sheets, findings) for one workbook, from the cache or by reading it."""
        from sheetkit.register.scoresheet_reader import read_file

        digest = self._digest(wp)
        if digest is None:
            return read_file(wp)  # the reader turns this into a finding
        entry = self._entry(self.key(digest, wp.shown))
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
            for p in [*self.dir.glob("files/*/*.pickle"), *self.dir.glob("folders/*.pickle")]:
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


def resolve(cache: ReadCache | None = None) -> ReadCache | None:
    """The cache `read_register` uses: the one passed, else the active one, else None."""
    return cache if cache is not None else active()
