"""Incremental runs: what reading one workbook gives (`register.read_file`:
its sheets and findings) kept on disk, keyed by the file's content, so unchanged workbooks
are not parsed again.

- **Same bytes.** The caller reads each file once (`register.files.load`); those bytes
  are hashed for the key and those same bytes are parsed, so a file saved between the
  two can never store one content's result under another's hash.
- **The key** is the SHA-256 of the bytes, the path as shown in the report, and a
  fingerprint of the code: every ``.py`` file of the sheetkit package (found by walking
  the package, not from a list kept by hand), the format version and the python-calamine
  and pandas versions. Change any of them and the entry is simply not found.
- **Entries cannot run code.** They are JSON: each sheet's source (where it came from,
  its columns) and its cells with their types tagged (dates, times, NaN), and the
  findings. An entry that cannot be read, or is not what it should be, is a miss: it is
  deleted and the file parsed again.
- **A private folder.** The cache folder is created with mode 0700; an existing one
  that is not owned by the user, or that the group or others may write, is refused with
  a warning (`ReadCache.warning`) and the run goes on without a cache.
- Entries are written atomically (temp file + rename); a read-only or full disk turns
  caching off for the run.

The cache is passed explicitly: ``validate(paths, cache=ReadCache(dir))``; the CLI's
``--cache/--no-cache`` and ``--cache-dir`` make one and pass it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import sys
import tempfile
from pathlib import Path

FORMAT = 2  # bump when the entry layout changes
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


def code_fingerprint() -> str:
    """Format + sheetkit version + every module of the package + library versions, hashed."""
    global _fingerprint
    if _fingerprint is None:
        from importlib.metadata import PackageNotFoundError, version

        h = hashlib.sha256(f"format {FORMAT} py {sys.version_info[:2]}".encode())
        for lib in ("sheetkit", "python-calamine", "pandas"):
            try:
                h.update(f"{lib} {version(lib)}".encode())
            except PackageNotFoundError:  # pragma: no cover
                h.update(lib.encode())
        root = Path(__file__).parent  # the sheetkit package
        for path in sorted(root.rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
        _fingerprint = h.hexdigest()
    return _fingerprint


def unsafe_reason(directory: Path) -> str | None:
    """Why ``directory`` must not hold the cache (not the user's, or writable by others), or None."""
    if not hasattr(os, "getuid"):  # Windows: the user's profile folder is private already
        return None
    try:
        st = os.lstat(directory)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"无法访问（{exc.strerror or exc}）"
    import stat

    if stat.S_ISLNK(st.st_mode):
        return "是符号链接"
    if not stat.S_ISDIR(st.st_mode):
        return "不是文件夹"
    if st.st_uid != os.getuid():
        return "不属于当前用户"
    if st.st_mode & 0o022:
        return "同组或其他用户可以写入"
    return None


class ReadCache:
    """Reads workbooks through an on-disk cache of JSON entries under ``files/``."""

    def __init__(self, directory: str | os.PathLike | None = None):
        self.dir = Path(directory) if directory else default_dir()
        self.hits = 0  # files read from the cache
        self.misses = 0  # files parsed
        self.writable = True
        self.warning: str | None = None
        why = unsafe_reason(self.dir)
        if why:
            self.refuse(f"缓存文件夹“{self.dir}”{why}，为安全起见本次不使用缓存"
                        "（缓存文件夹须只属于当前用户、其他人不可写；可用 --cache-dir 另指定，或 --no-cache）")

    @property
    def enabled(self) -> bool:
        return self.warning is None

    def refuse(self, warning: str) -> None:
        """Turn the cache off for this run, with a warning for the user."""
        self.warning = warning
        self.writable = False

    def key(self, digest: bytes, shown: str) -> str:
        h = hashlib.sha256()
        h.update(digest)
        h.update(shown.encode("utf-8", "surrogatepass"))
        h.update(code_fingerprint().encode())
        return h.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.dir / "files" / key[:2] / f"{key}.json"

    def get(self, wp, digest: bytes):
        """(sheets, findings) stored for these bytes of ``wp``, or None (a miss)."""
        if not self.enabled:
            return None
        entry = self._entry(self.key(digest, wp.shown))
        try:
            text = entry.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (OSError, UnicodeDecodeError):
            self._drop(entry)
            return None
        try:
            value = decode(text, wp)
        except Exception:  # truncated, corrupt, planted or from another version: a miss
            self._drop(entry)
            return None
        self.hits += 1
        return value

    def put(self, wp, digest: bytes, result) -> None:
        """Store what parsing these bytes of ``wp`` gave."""
        self.misses += 1
        if not self.writable:
            return
        entry = self._entry(self.key(digest, wp.shown))
        tmp = None
        try:
            text = encode(result)
            self._make_dirs(entry.parent)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=entry.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, entry)
            tmp = None
        except (OSError, TypeError, ValueError):
            self.writable = False  # a read-only or full disk, or a value we cannot store: no cache
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def _make_dirs(self, folder: Path) -> None:
        if not self.dir.exists():
            self.dir.mkdir(parents=True, mode=0o700, exist_ok=True)
            why = unsafe_reason(self.dir)
            if why:
                self.refuse(f"缓存文件夹“{self.dir}”{why}，本次不使用缓存")
                raise OSError(why)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _drop(self, entry: Path) -> None:
        if self.writable:
            with contextlib.suppress(OSError):
                entry.unlink()

    def clear(self) -> int:
        """Delete every entry; returns how many."""
        n = 0
        if self.dir.is_dir() and self.enabled:
            for p in [*self.dir.glob("files/*/*.json"), *self.dir.glob("files/*/*.pickle"),
                      *self.dir.glob("folders/*.pickle")]:
                with contextlib.suppress(OSError):
                    p.unlink()
                    n += 1
        return n


# -- the entry format: JSON, values tagged by type ------------------------------------

def _enc(v):
    cls = v.__class__
    if v is None or cls is str or cls is bool or cls is int:
        return v
    if cls is float:
        return v if math.isfinite(v) else {"$": "float", "v": repr(v)}
    if isinstance(v, dt.datetime):
        return {"$": "datetime", "v": v.isoformat()}
    if isinstance(v, dt.date):
        return {"$": "date", "v": v.isoformat()}
    if isinstance(v, dt.time):
        return {"$": "time", "v": v.isoformat()}
    if isinstance(v, dt.timedelta):
        return {"$": "timedelta", "v": [v.days, v.seconds, v.microseconds]}
    if hasattr(v, "item"):  # a numpy scalar
        return _enc(v.item())
    if isinstance(v, (list, tuple)):
        return {"$": "list", "v": [_enc(x) for x in v]}
    raise TypeError(f"cannot cache a {cls.__name__}")


_DEC = {
    "float": float,
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "timedelta": lambda v: dt.timedelta(days=v[0], seconds=v[1], microseconds=v[2]),
    "list": list,
}


def _hook(obj: dict):
    tag = obj.get("$")
    if tag is None:
        return obj
    return _DEC[tag](obj["v"])


def encode(result) -> str:
    """One workbook's (sheets, findings) as JSON text."""
    import dataclasses

    sheets, findings = result
    out_sheets = []
    for sd in sheets:
        src = sd.source
        fields = {f.name: getattr(src, f.name) for f in dataclasses.fields(src)}
        frame = sd.frame
        out_sheets.append({
            "type": type(src).__name__,
            "source": fields,
            "columns": [str(c) for c in frame.columns],
            "data": [[_enc(v) for v in frame[c].tolist()] for c in frame.columns],
        })
    out_findings = [{k: _enc(v) for k, v in dataclasses.asdict(f).items()} for f in findings]
    return json.dumps({"format": FORMAT, "sheets": out_sheets, "findings": out_findings},
                      ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def decode(text: str, wp):
    """The (sheets, findings) of an entry; raises on anything not exactly as `encode` writes."""
    import numpy as np
    import pandas as pd

    from sheetkit.register.reader import SheetData, SheetSource
    from sheetkit.register.scoresheet_reader import ScoresheetSource
    from sheetkit.report.model import Finding

    doc = json.loads(text, object_hook=_hook)
    if doc.get("format") != FORMAT:
        raise ValueError("format")
    types = {"SheetSource": SheetSource, "ScoresheetSource": ScoresheetSource}
    sheets = []
    for s in doc["sheets"]:
        src = types[s["type"]](**s["source"])
        if src.path != wp.shown:
            raise ValueError("path")
        data = {}
        for name, values in zip(s["columns"], s["data"]):
            if name == "_row":
                data[name] = pd.Series(np.asarray(values, dtype=np.int64), copy=False)
            else:
                arr = np.empty(len(values), dtype=object)
                arr[:] = values
                data[name] = pd.Series(arr, dtype=object, copy=False)
        frame = pd.DataFrame(data, copy=False) if data else pd.DataFrame()
        if "_row" in frame.columns and frame.empty:
            frame["_row"] = frame["_row"].astype(np.int64)
        sheets.append(SheetData(src, frame))
    findings = [Finding(**f) for f in doc["findings"]]
    return sheets, findings
