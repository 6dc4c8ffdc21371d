"""The state behind the office page: one drop folder, its runs, uploads and downloads.

No web framework here, and no rules: a run is `sheetkit.watch.Watcher.run` (the same
history folder `watch` keeps, so the page and `watch` see each other's runs), letters
are `sheetkit.letters.render_letters`, the directory `sheetkit.directory.write_directory`.

- Runs of one folder are serialised by a lock per folder (several pages, or a run asked
  for while one is going, wait; a run asked for meanwhile runs once more afterwards).
- A run that fails keeps the last good result on the page; the failure is shown beside it.
- An upload is written to a hidden staging name inside the folder, checked by
  `register.guard.inspect` exactly as a workbook read from disk is, and only then
  given its (sanitised) name; an existing workbook is never replaced without asking.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import threading
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sheetkit.errors import UsageError
from sheetkit.register.files import ANNOTATED_SUFFIX, EXTENSIONS, MAX_FILE_BYTES

MAX_UPLOAD_BYTES = MAX_FILE_BYTES  # one workbook, as for files read from disk
MAX_UPLOAD_FILES = 20  # workbooks in one drop
STAGING = ".sheetkit-上传中"  # hidden: never read as part of the register
DOWNLOADS = "网页下载"  # letters and directories made from the page, in the reports folder

_FOLDER_LOCKS: dict[str, threading.Lock] = {}
_FOLDER_LOCKS_GUARD = threading.Lock()


def folder_lock(folder: Path) -> threading.Lock:
    """The one lock of ``folder`` in this process (runs of the same folder are serialised)."""
    key = os.path.normcase(str(Path(folder).resolve()))
    with _FOLDER_LOCKS_GUARD:
        return _FOLDER_LOCKS.setdefault(key, threading.Lock())


def safe_name(name: str) -> str:
    """A dropped file's name made safe to use as a file name in the folder: no folders,
    no characters Windows refuses, no leading dots or ``~$``; raises UsageError when what
    is left is not a workbook name."""
    from pathvalidate import sanitize_filename

    raw = unicodedata.normalize("NFC", str(name or ""))
    raw = raw.replace("\\", "/").rsplit("/", 1)[-1]  # a browser sends a base name; a script may not
    clean = sanitize_filename(raw, platform="universal", replacement_text="_").strip().lstrip(".~$ ")
    if not clean.lower().endswith(EXTENSIONS):
        raise UsageError(f"“{raw}”不是工作簿（只接受 {'、'.join(EXTENSIONS)} 文件）")
    if clean.endswith(ANNOTATED_SUFFIX):
        raise UsageError(f"“{raw}”是 sheetkit 生成的标注副本，不是登记表，不会被读取")
    stem = clean[: clean.rfind(".")]
    if not stem.strip("._ "):
        clean = "工作簿" + clean[clean.rfind("."):]
    return clean


@dataclass
class Upload:
    """What happened to one dropped file."""

    name: str  # the name as dropped
    saved: str | None = None  # the name it was saved under
    error: str | None = None  # refused: why
    pending: str | None = None  # an id: a workbook of that name exists, waiting for the user's choice
    target: str | None = None  # the existing name (when pending)


@dataclass
class LettersBundle:
    """Letters (and optionally the directory) generated from the page, zipped."""

    zip_name: str
    kinds: list[str]
    generated: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    directory: str | None = None
    not_concerned: dict[str, int] = field(default_factory=dict)  # kind → institutions it does not concern


class Office:
    """One drop folder behind the page."""

    def __init__(self, folder, reports=None, *, profile=None, as_of: dt.date | None = None, log=None, cache=None):
        from sheetkit.watch import Watcher

        self.folder = Path(folder)
        self.watcher = Watcher(self.folder, reports, profile=profile, as_of=as_of, settle=0,
                               log=log, progress=self._progress, cache=cache)
        self.reports = self.watcher.reports
        self.as_of = as_of
        self.lock = folder_lock(self.folder)
        self._state = threading.Lock()
        self.running = False
        self._again = False
        self.progress: tuple[int, int] = (0, 0)
        self.run_started: float | None = None
        self.current = None  # the last good RunResult
        self.current_dict: dict | None = None  # its report, as SPEC §5 dict
        self.failed = None  # the last RunResult that failed, when later than `current`
        self.runs = 0  # completed runs, good or not
        self._pending: dict[str, tuple[Path, str]] = {}
        self._thread: threading.Thread | None = None
        self._clear_staging()

    def _clear_staging(self, older_than: float = 24 * 3600) -> None:
        """Uploads left waiting for an answer by an earlier session (a day old) go."""
        now = time.time()
        try:
            for p in (self.folder / STAGING).iterdir():
                if now - p.stat().st_mtime > older_than:
                    p.unlink(missing_ok=True)
        except OSError:
            pass

    # ------------------------------------------------------------------ runs

    def _progress(self, done, total, path) -> None:
        self.progress = (done, total)

    def run_now(self):
        """Validate the folder now (waiting for any run of it in progress); return the RunResult."""
        with self.lock:
            self.run_started, self.progress = time.monotonic(), (0, 0)
            result = self.watcher.run()
        with self._state:
            self.runs += 1
            if result.error is None and result.report is not None:
                self.current, self.current_dict, self.failed = result, result.report.to_dict(), None
            else:
                self.failed = result
        return result

    def start_run(self) -> None:
        """Run in the background; if a run is going, run once more when it ends."""
        with self._state:
            if self.running:
                self._again = True
                return
            self.running = True
        self._thread = threading.Thread(target=self._loop, name="sheetkit-run", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            try:
                self.run_now()
            except Exception as exc:  # Watcher.run records failures itself; this is a last resort
                from sheetkit.watch import RunResult

                with self._state:
                    self.failed = RunResult(None, dt.datetime.now(), error=f"{type(exc).__name__}: {exc}")
                    self.runs += 1
            with self._state:
                if self._again:
                    self._again = False
                    continue
                self.running = False
                return

    def wait(self, timeout: float = 60.0) -> bool:
        """Wait for the background run (tests, the screenshot); True when idle."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._state:
                if not self.running:
                    return True
            time.sleep(0.05)
        return False

    # ------------------------------------------------------------------ the folder

    def workbooks(self) -> list[dict]:
        """The workbooks in the folder now (as the register reads them)."""
        from sheetkit.register.files import discover

        out = []
        for wp in discover([str(self.folder)]):
            try:
                st = wp.real.stat()
            except OSError:
                continue
            out.append({"name": os.path.relpath(wp.real, self.folder), "size": st.st_size,
                        "modified": dt.datetime.fromtimestamp(st.st_mtime).strftime("%Y-%m-%d %H:%M")})
        return out

    def add(self, name: str, stream, size: int | None = None) -> Upload:
        """Save one dropped file (a binary stream) into the folder; see the module docstring."""
        from sheetkit.register.guard import UnreadableWorkbook, inspect

        up = Upload(name=str(name or ""))
        try:
            clean = safe_name(name)
        except UsageError as exc:
            up.error = str(exc)
            return up
        shown = up.name.replace("\\", "/").rsplit("/", 1)[-1] or clean  # as dropped: the refusals name it
        lock = "（以 ~$ 开头的是 Excel 打开工作簿时生成的临时锁定文件，不是登记表）" if shown.startswith("~$") else ""
        if size is not None and size > MAX_UPLOAD_BYTES:
            up.error = f"“{shown}”太大（{size // (1 << 20)} MB），单个工作簿不能超过 {MAX_UPLOAD_BYTES >> 20} MB"
            return up
        staging = self.folder / STAGING
        staging.mkdir(exist_ok=True)
        token = secrets.token_hex(8)
        staged = staging / f".{token}{Path(clean).suffix.lower()}"
        written = 0
        try:
            with open(staged, "xb") as out:
                while chunk := stream.read(1 << 20):
                    written += len(chunk)
                    if written > MAX_UPLOAD_BYTES:
                        raise UsageError(f"“{shown}”太大，单个工作簿不能超过 {MAX_UPLOAD_BYTES >> 20} MB")
                    out.write(chunk)
            inspect(staged)
        except (UsageError, UnreadableWorkbook) as exc:
            staged.unlink(missing_ok=True)
            up.error = f"“{shown}”未添加：{exc}{lock}"
            return up
        except OSError as exc:
            staged.unlink(missing_ok=True)
            up.error = f"“{shown}”未能保存：{exc.strerror or exc}"
            return up
        if self._place(staged, self.folder / clean):
            up.saved = clean
        else:
            with self._state:
                self._pending[token] = (staged, clean)
            up.pending, up.target = token, clean
        return up

    def _place(self, staged: Path, target: Path, replace: bool = False) -> bool:
        """Move ``staged`` to ``target``; False (nothing moved) when ``target`` exists and
        not ``replace``."""
        if replace:
            os.replace(staged, target)
            return True
        try:
            os.link(staged, target)  # fails if target exists: no window for an overwrite
        except FileExistsError:
            return False
        except OSError:  # no hard links here (some network shares): check, then rename
            if target.exists():
                return False
            os.replace(staged, target)
            return True
        staged.unlink(missing_ok=True)
        return True

    def resolve(self, token: str, action: str) -> Upload:
        """The user's answer for a pending upload: ``replace``, ``keep`` (save under a new
        name beside the old) or ``cancel``."""
        with self._state:
            item = self._pending.pop(token, None)
        if item is None:
            return Upload(name="", error="这个上传已经处理过或已过期，请重新拖入文件")
        staged, name = item
        up = Upload(name=name)
        if action == "replace":
            self._place(staged, self.folder / name, replace=True)
            up.saved = name
        elif action == "keep":
            stem, suffix = name[: name.rfind(".")], name[name.rfind("."):]
            n = 2
            while not self._place(staged, self.folder / f"{stem}（{n}）{suffix}"):
                n += 1
            up.saved = f"{stem}（{n}）{suffix}"
        else:
            staged.unlink(missing_ok=True)
            up.error = f"未添加“{name}”（已取消）"
        return up

    # ------------------------------------------------------------------ outputs

    def run_file(self, rel: str) -> Path | None:
        """A file of the current run's folder (problem list, annotated copy), or None."""
        if self.current is None or self.current.folder is None:
            return None
        base = self.current.folder.resolve()
        target = (base / rel).resolve()
        if base not in target.parents or not target.is_file():
            return None
        return target

    def outputs(self) -> list[dict]:
        """The current run's downloadable files: {name, rel, kind}."""
        if self.current is None or self.current.folder is None:
            return []
        base = self.current.folder
        out = []
        for p in self.current.outputs:
            rel = p.relative_to(base).as_posix()
            kind = "json" if p.suffix == ".json" else ("annotated" if rel.startswith("标注/") else "problems")
            out.append({"name": p.name, "rel": rel, "kind": kind})
        return out

    def download(self, name: str) -> Path | None:
        """A zip made by `letters` (by its bare name), or None."""
        base = (self.reports / DOWNLOADS).resolve()
        target = (base / name).resolve()
        if target.parent != base or target.suffix != ".zip" or not target.is_file():
            return None
        return target

    def letters(self, kinds, *, date: dt.date | None = None, issuer: str | None = None, only=(),
                city: str | None = None, directory_year: int | None = None, number: str | None = None,
                number_start: int = 1) -> LettersBundle:
        """Letters of ``kinds`` (and the directory of ``directory_year``) for the current
        run, in one zip; SheetkitError (e.g. no issuer) when they cannot be made.
        ``number`` (临人社函〔2026〕{n}号) numbers the letters of every numbered kind in one
        sequence from ``number_start``: the kinds follow each other, no number is given twice."""
        from sheetkit.documents import not_concerned
        from sheetkit.letters import KINDS, UNNUMBERED, render_letters
        from sheetkit.letters.numbering import check

        if number:
            check(number, number_start)  # before any kind is rendered

        if self.current is None:
            raise UsageError("还没有完成的检查结果，请先添加工作簿")
        kinds = [k for k in kinds if k in KINDS]
        if not kinds and directory_year is None:
            raise UsageError("请至少选择一种文书或目录")
        report = self.current.report
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
        downloads = self.reports / DOWNLOADS
        work = downloads / f".{stamp}"
        bundle = LettersBundle(zip_name=f"文书-{stamp}.zip", kinds=kinds)
        try:
            for kind in kinds:
                numbered = bool(number) and kind not in UNNUMBERED
                result = render_letters(report, kind, work / kind, date=date, issuer=issuer or None,
                                        only=tuple(only), city=city or None,
                                        number=number if numbered else None, number_start=number_start)
                if numbered:
                    number_start += len(result.generated)
                bundle.generated += [{**g, "file": f"{kind}/{Path(g['path']).name}"} for g in result.generated]
                # as the terminal: a status that calls for another letter is counted, not listed
                other = [x for x in result.skipped if not_concerned(x)]
                bundle.skipped += [x for x in result.skipped if not not_concerned(x)]
                if other:
                    bundle.not_concerned[kind] = len(other)
                bundle.warnings += result.warnings
            if directory_year is not None:
                from sheetkit.directory import write_directory

                name = f"考核机构目录{directory_year}.xlsx"
                write_directory(report, work / name, directory_year)
                bundle.directory = name
            self._zip(work, downloads / bundle.zip_name)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return bundle

    @staticmethod
    def _zip(folder: Path, target: Path) -> None:
        from sheetkit.outputs import atomic_path

        with atomic_path(target) as tmp:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                for p in sorted(folder.rglob("*")):
                    if p.is_file():
                        zf.write(p, p.relative_to(folder).as_posix())


__all__ = ["Office", "Upload", "LettersBundle", "safe_name", "folder_lock"]
