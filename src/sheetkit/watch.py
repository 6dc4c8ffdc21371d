"""The drop folder (`sheetkit watch`): staff drop workbooks into INBOX; when one is added,
changed or removed and has stopped changing, the whole INBOX is validated again and the
results are written into the reports folder:

    DIR/history/20261124-101500/report.json      the JSON report (SPEC §5), with ``changes``
                                                 since the previous complete run (sheetkit.changes)
    DIR/history/20261124-101500/问题清单.xlsx      the problem-list workbook
    DIR/history/20261124-101500/标注/…            annotated copies of the workbooks
    DIR/latest.json                              {"folder": "history/20261124-101500", …}

A run is built in a hidden temporary folder and renamed into ``history/`` when complete;
``latest.json`` is replaced atomically (a file, not a symlink: symlinks are unreliable on
network shares). "Stopped changing" means the file's size and modification time have
not changed for ``settle`` seconds (files copied from a network share arrive in pieces).
Excel's ``~$`` lock files, hidden files, temporary files and anything that is not a
workbook are ignored. A file that cannot be read is a finding in the report; a failure of
the run itself is logged and written as ``error.txt``; neither stops the watcher.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sheetkit.errors import SheetkitError, UsageError
from sheetkit.register.files import EXTENSIONS

PROBLEM_LIST = "问题清单.xlsx"
ANNOTATED = "标注"


def relevant(path: str | os.PathLike) -> bool:
    """True for a workbook staff dropped: not a lock, hidden or temporary file."""
    name = os.path.basename(os.fspath(path))
    return not name.startswith(("~$", ".", "~")) and name.lower().endswith(EXTENSIONS)


@dataclass
class RunResult:
    """One validation of the inbox."""

    folder: Path | None  # DIR/history/<stamp>
    started: dt.datetime
    files: int = 0
    summary: dict = field(default_factory=dict)
    exit_code: int | None = None
    outputs: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # outputs that could not be written
    error: str | None = None  # the run itself failed
    report: object = None  # the validated report (not serialised): for `serve`
    changes: object = None  # sheetkit.changes.Changes since the previous complete run, if any


@dataclass
class _Pending:
    stat: tuple | None = None
    changed: float = 0.0


class Watcher:
    """Validates ``inbox`` into ``reports``; `run()` once, or `watch()` until stopped."""

    def __init__(self, inbox, reports=None, *, profile=None, as_of: dt.date | None = None,
                 settle: float = 2.0, log: Callable[[str], None] | None = None,
                 on_run: Callable[[RunResult], None] | None = None, progress=None, cache=None):
        self.inbox = Path(inbox)
        self.cache = cache  # a sheetkit.cache.ReadCache, or None
        if not self.inbox.is_dir():
            raise UsageError(f"收件文件夹不存在或不是文件夹：{inbox}")
        self.reports = Path(reports) if reports else self.inbox.parent / f"{self.inbox.name}-检查结果"
        inbox_abs, reports_abs = self.inbox.resolve(), self.reports.resolve()
        if reports_abs == inbox_abs or (inbox_abs in reports_abs.parents and not any(
                part.startswith(".") for part in reports_abs.relative_to(inbox_abs).parts)):
            raise UsageError(f"报告文件夹 {self.reports} 不能放在收件文件夹 {self.inbox} 里"
                             f"（标注副本会被当作登记表读入）；请换一个文件夹，或用以“.”开头的隐藏子文件夹")
        self.profile = profile
        self.as_of = as_of
        self.settle = float(settle)
        self.log = log or (lambda message: None)
        self.on_run = on_run
        self.progress = progress  # validate(progress=…): callback(done, total, path), e.g. for `serve`
        self.runs: list[RunResult] = []
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self.stop_event = threading.Event()

    # ------------------------------------------------------------------ one run

    def run(self) -> RunResult:
        """Validate the whole inbox now and write the outputs. Never raises for data."""
        started = dt.datetime.now()
        history = self.reports / "history"
        result = RunResult(None, started)
        try:
            history.mkdir(parents=True, exist_ok=True)
            stamp = started.strftime("%Y%m%d-%H%M%S")
            final = history / stamp
            n = 2
            while final.exists():
                final = history / f"{stamp}-{n}"
                n += 1
            work = history / f".tmp-{final.name}-{os.getpid()}"
            work.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            result.error = f"无法写入报告文件夹 {self.reports}：{exc.strerror or exc}"
            self._finish(result)
            return result
        try:
            self._validate_into(work, result)
        except SheetkitError as exc:  # cannot run (a bad profile…): say so, keep watching
            result.error = str(exc)
            (work / "error.txt").write_text(result.error + "\n", encoding="utf-8")
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # a bug (or a native reader's panic) must not stop the watcher
            result.error = f"检查中断（程序内部错误：{type(exc).__name__}），本次检查失败，详情见 error.txt；监视继续"
            (work / "error.txt").write_text(result.error + "\n\n" + traceback.format_exc(), encoding="utf-8")
        try:
            os.replace(work, final)
            result.folder = final
            result.outputs = [final / p.relative_to(work) for p in result.outputs]
            self._point_latest(result)
        except OSError as exc:
            result.error = result.error or f"无法发布本次报告：{exc.strerror or exc}"
        self._finish(result)
        return result

    def _validate_into(self, work: Path, result: RunResult) -> None:
        from sheetkit.engine import validate
        from sheetkit.outputs import atomic_path

        report = validate([str(self.inbox)], profile=self.profile, as_of=self.as_of, progress=self.progress,
                          cache=self.cache)
        result.files = len(report.files)
        result.summary = dict(report.summary)
        result.exit_code = report.exit_code
        from sheetkit.changes import since_previous

        data = report.to_dict()
        result.report, result.changes = report, since_previous(self.reports, data)
        if result.changes is not None:
            data["changes"] = result.changes.to_dict()
        with atomic_path(work / "report.json") as tmp:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        result.outputs.append(work / "report.json")
        try:
            from sheetkit.report.workbook import write_report_workbook

            result.outputs.append(write_report_workbook(report, work / PROBLEM_LIST, result.changes))
        except Exception as exc:  # one output failing must not lose the others
            result.problems.append(f"问题清单未生成：{type(exc).__name__}: {exc}")
        try:
            from sheetkit.report.annotate import annotate

            for copy in annotate(report, work / ANNOTATED):
                if copy.output is not None:
                    result.outputs.append(copy.output)
                else:
                    result.problems.append(f"未生成标注副本：{copy.source}（{copy.note}）")
        except Exception as exc:
            result.problems.append(f"标注副本未生成：{type(exc).__name__}: {exc}")

    def _point_latest(self, result: RunResult) -> None:
        from sheetkit.outputs import atomic_path

        data = {
            "folder": result.folder.relative_to(self.reports).as_posix(),
            "time": result.started.isoformat(timespec="seconds"),
            "files": result.files, "summary": result.summary, "exit_code": result.exit_code,
            "error": result.error,
        }
        with atomic_path(self.reports / "latest.json") as tmp:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    def _finish(self, result: RunResult) -> None:
        self.runs.append(result)
        when = result.started.strftime("%Y-%m-%d %H:%M:%S")
        if result.error:
            self.log(f"{when} 检查失败：{result.error}")
        else:
            counts = "，".join(f"{k} {v}" for k, v in result.summary.items())
            self.log(f"{when} 已检查 {result.files} 个工作簿（{counts}），报告：{result.folder}")
        for p in result.problems:
            self.log(f"  {p}")
        if self.on_run is not None:
            self.on_run(result)

    # ------------------------------------------------------------------ watching

    def notice(self, path: str) -> None:
        """A file event: remember the path until it has settled."""
        p = Path(path)
        try:
            if self.reports.resolve() in p.resolve().parents:
                return
        except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop
            pass
        if not relevant(p):
            return
        with self._lock:
            self._pending.setdefault(str(p), _Pending(changed=time.monotonic()))

    def _settled(self) -> bool:
        """True when something is pending and every pending file has been still for ``settle`` s."""
        now = time.monotonic()
        with self._lock:
            if not self._pending:
                return False
            ready = True
            for path, info in self._pending.items():
                try:
                    st = os.stat(path)
                    current = (st.st_size, st.st_mtime_ns)
                except OSError:
                    current = None  # removed (or moved away): the register changed too
                if current != info.stat:
                    info.stat, info.changed = current, now
                if now - info.changed < self.settle:
                    ready = False
            if ready:
                self._pending.clear()
            return ready

    def watch(self, *, poll: bool = False, initial: bool = True) -> None:
        """Watch until `stop()` (or SIGINT/SIGTERM via the CLI). ``poll`` uses a polling
        observer (network shares that deliver no change events)."""
        from watchdog.events import FileSystemEventHandler

        if poll:
            from watchdog.observers.polling import PollingObserver as Observer
        else:
            from watchdog.observers import Observer

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):
                try:
                    self._event(event)
                except Exception as exc:  # a link loop, a vanished path…: the event thread must live on
                    watcher.log(f"忽略无法处理的文件事件（{type(exc).__name__}）：{os.fsdecode(event.src_path)}")

            def _event(self, event):
                if event.event_type in ("opened", "closed_no_write"):
                    return
                if event.is_directory:
                    if event.event_type in ("created", "moved", "deleted"):
                        watcher.rescan(getattr(event, "dest_path", "") or event.src_path)
                    return
                for p in (event.src_path, getattr(event, "dest_path", "")):
                    if p:
                        watcher.notice(os.fsdecode(p))

        observer = Observer()
        observer.schedule(Handler(), str(self.inbox), recursive=True)
        observer.start()
        self.log(f"正在监视 {self.inbox}，报告写入 {self.reports}（按 Ctrl-C 停止）")
        try:
            if initial:
                self.run()
            tick = max(0.05, min(0.5, self.settle / 4))
            while not self.stop_event.wait(tick):
                if self._settled():
                    self.run()
        finally:
            observer.stop()
            observer.join(timeout=5)
            self.log("已停止监视")

    def rescan(self, folder: str) -> None:
        """A folder appeared or went: every workbook under it is pending."""
        p = Path(os.fsdecode(folder))
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files:
                    self.notice(os.path.join(root, name))
        else:  # gone: its workbooks left the register; the path itself stands for them
            with self._lock:
                self._pending.setdefault(str(p), _Pending(changed=time.monotonic()))

    def stop(self) -> None:
        self.stop_event.set()
