"""The drop folder: `--once`, a real background watch (watchdog) in a temp folder, and a
real `sheetkit watch` process stopped by SIGTERM/SIGINT. Every wait is bounded."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from builders import AS_OF, clean_register, uscc, write_register
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.watch import Watcher, relevant

SETTLE = 1.5


def _wait(predicate, timeout=30.0, step=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return False


def _latest(reports: Path) -> tuple[dict, dict]:
    latest = json.loads((reports / "latest.json").read_text(encoding="utf-8"))
    report = json.loads((reports / latest["folder"] / "report.json").read_text(encoding="utf-8"))
    return latest, report


def test_relevant_files():
    assert relevant("a/济南.xlsx") and relevant("b.XLS") and relevant("c.ods")
    assert not relevant("~$济南.xlsx") and not relevant(".~lock.济南.xlsx#") and not relevant("~WRL0001.tmp")
    assert not relevant("济南.xlsx.tmp") and not relevant("notes.txt") and not relevant(".hidden.xlsx")


def test_once_writes_report_problem_list_and_annotated_copies(tmp_path):
    inbox, reports = tmp_path / "inbox", tmp_path / "reports"
    write_register(inbox / "济南.xlsx", clean_register(1))
    (inbox / "坏文件.xlsx").write_bytes(b"PK\x03\x04 truncated")
    (inbox / "~$济南.xlsx").write_bytes(b"lock")
    res = CliRunner().invoke(cli, ["watch", str(inbox), "--reports", str(reports), "--once",
                                   "--as-of", "2026-11-22"])
    assert res.exit_code == 1, res.output  # the corrupt file is an error finding
    latest, report = _latest(reports)
    folder = reports / latest["folder"]
    assert latest["folder"].startswith("history/") and folder.is_dir()
    assert latest["summary"] == report["summary"] and latest["files"] == 2
    assert sorted(Path(f["path"]).name for f in report["files"]) == ["坏文件.xlsx", "济南.xlsx"]
    bad = [f for f in report["findings"] if f["rule"] == "data.unreadable"]
    assert len(bad) == 1 and bad[0]["path"].endswith("坏文件.xlsx")
    assert openpyxl.load_workbook(folder / "问题清单.xlsx").sheetnames
    copies = list((folder / "标注").glob("*.xlsx"))
    assert len(copies) == 1 and copies[0].name.startswith("济南")
    assert not list((reports / "history").glob(".tmp-*"))
    assert "已检查 2 个工作簿" in res.output
    # a second run goes into its own folder, and latest moves on
    res = CliRunner().invoke(cli, ["watch", str(inbox), "--reports", str(reports), "--once", "--as-of", "2026-11-22"])
    folders = sorted(p.name for p in (reports / "history").iterdir())
    assert len(folders) == 2 and _latest(reports)[0]["folder"] == f"history/{folders[-1]}"


def test_reports_inside_inbox_is_refused(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    res = CliRunner().invoke(cli, ["watch", str(inbox), "--reports", str(inbox / "报告"), "--once"])
    assert res.exit_code == 2 and "不能放在收件文件夹" in res.output
    res = CliRunner().invoke(cli, ["watch", str(inbox), "--reports", str(inbox / ".报告"), "--once"])
    assert res.exit_code in (0, 1) and (inbox / ".报告" / "latest.json").exists()


def _workbook_bytes(tmp_path, name) -> bytes:
    """A second city's workbook: institution 2 only, no catalogue (济南.xlsx has it)."""
    sheets = clean_register(2)
    code = uscc(2)
    other = {k: [r for r in rows if r.get("统一社会信用代码") == code] for k, rows in sheets.items() if k != "项目目录"}
    return write_register(tmp_path / "src" / name, other).read_bytes()


def test_background_watch(tmp_path):
    inbox, reports = tmp_path / "inbox", tmp_path / "reports"
    write_register(inbox / "济南.xlsx", clean_register(1))
    runs = []
    watcher = Watcher(inbox, reports, as_of=AS_OF, settle=SETTLE, on_run=runs.append)
    thread = threading.Thread(target=watcher.watch, daemon=True)
    thread.start()
    try:
        assert _wait(lambda: len(runs) == 1), "no initial run"
        assert runs[0].error is None and runs[0].files == 1

        # 1. a workbook arriving in chunks with pauses: one run, after it is complete
        data = _workbook_bytes(tmp_path, "青岛.xlsx")
        target = inbox / "青岛.xlsx"
        chunks = [data[i:i + len(data) // 4 + 1] for i in range(0, len(data), len(data) // 4 + 1)]
        with open(target, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
                time.sleep(SETTLE / 5)  # pauses well under the settle time
        assert _wait(lambda: len(runs) == 2), "the new workbook was not processed"
        time.sleep(SETTLE * 2.5)
        assert len(runs) == 2, "processed more than once"
        _, report = _latest(reports)
        assert sorted(Path(f["path"]).name for f in report["files"]) == ["济南.xlsx", "青岛.xlsx"]
        assert not [f for f in report["findings"] if f["rule"] == "data.unreadable"]
        assert report["summary"]["error"] == 0

        # 2. Excel's lock file alone triggers nothing
        (inbox / "~$青岛.xlsx").write_bytes(b"\x00" * 165)
        (inbox / "青岛.xlsx.tmp").write_bytes(b"temp")
        time.sleep(SETTLE * 3)
        assert len(runs) == 2, "a lock or temp file triggered a run"

        # 3. a corrupt file: a report that says so, and the watcher carries on
        (inbox / "坏文件.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
        assert _wait(lambda: len(runs) == 3)
        _, report = _latest(reports)
        bad = [f for f in report["findings"] if f["rule"] == "data.unreadable"]
        assert len(bad) == 1 and bad[0]["path"].endswith("坏文件.xlsx") and runs[2].error is None
        (inbox / "坏文件.xlsx").unlink()
        assert _wait(lambda: len(runs) == 4), "the watcher stopped after a corrupt file"
        _, report = _latest(reports)
        assert report["summary"]["error"] == 0 and len(report["files"]) == 2
        assert len(list((reports / "history").iterdir())) == 4
    finally:
        watcher.stop()
        thread.join(timeout=15)
    assert not thread.is_alive()


def test_polling_watch_sees_a_new_workbook(tmp_path):
    """--poll (network shares without change notifications) still notices a new file."""
    inbox, reports = tmp_path / "inbox", tmp_path / "reports"
    write_register(inbox / "济南.xlsx", clean_register(1))
    runs = []
    watcher = Watcher(inbox, reports, as_of=AS_OF, settle=0.3, on_run=runs.append)
    thread = threading.Thread(target=watcher.watch, kwargs={"poll": True}, daemon=True)
    thread.start()
    try:
        assert _wait(lambda: len(runs) == 1)
        (inbox / "sub").mkdir()
        (inbox / "sub" / "青岛.xlsx").write_bytes(_workbook_bytes(tmp_path, "青岛.xlsx"))
        assert _wait(lambda: len(runs) == 2), "polling observer missed the new workbook"
        assert runs[1].files == 2 and runs[1].summary["error"] == 0
    finally:
        watcher.stop()
        thread.join(timeout=15)
    assert not thread.is_alive()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_a_real_watch_cleanly(tmp_path, sig):
    inbox, reports = tmp_path / "inbox", tmp_path / "reports"
    write_register(inbox / "济南.xlsx", clean_register(1))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "sheetkit", "watch", str(inbox), "--reports", str(reports),
                             "--settle", "0.2", "--as-of", "2026-11-22"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert _wait(lambda: (reports / "latest.json").exists(), timeout=60), "watch did not start"
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == (130 if sig == signal.SIGINT else 0), err  # Ctrl-C: 130, not 1
    assert "已停止监视" in err and "Traceback" not in err


def test_watch_survives_link_loops_fifos_and_crashing_runs(tmp_path, monkeypatch):
    """A symlink loop killed the event thread, a FIFO hung the run, a crashing run stopped the
    watcher: now each is a named file or a failed run in the history, and watching goes on."""
    import sheetkit.engine

    inbox, reports = tmp_path / "inbox", tmp_path / "reports"
    write_register(inbox / "济南.xlsx", clean_register(1))
    watcher = Watcher(inbox, reports, as_of=AS_OF, settle=0.2)
    thread = threading.Thread(target=watcher.watch, daemon=True)
    thread.start()
    try:
        assert _wait(lambda: len(watcher.runs) >= 1)
        os.symlink(inbox / "b.xlsx", inbox / "a.xlsx")
        os.symlink(inbox / "a.xlsx", inbox / "b.xlsx")
        os.mkfifo(inbox / "pipe.xlsx")
        assert _wait(lambda: len(watcher.runs) >= 2 and not watcher._pending)
        latest, report = _latest(reports)
        named = {Path(f["path"]).name for f in report["findings"] if f["rule"] == "data.not-read"}
        assert {"a.xlsx", "b.xlsx", "pipe.xlsx"} <= named

        real = sheetkit.engine.validate

        class Panic(BaseException):  # what a native reader's panic looks like (pyo3)
            pass

        def crash(*args, **kwargs):
            raise Panic("boom")
        monkeypatch.setattr(sheetkit.engine, "validate", crash)
        n = len(watcher.runs)
        write_register(inbox / "青岛.xlsx", clean_register(1))
        assert _wait(lambda: len(watcher.runs) > n)
        failed = watcher.runs[-1]
        assert failed.error and "监视继续" in failed.error and (failed.folder / "error.txt").exists()
        monkeypatch.setattr(sheetkit.engine, "validate", real)
        n = len(watcher.runs)
        write_register(inbox / "淄博.xlsx", clean_register(1))
        assert _wait(lambda: len(watcher.runs) > n and watcher.runs[-1].error is None)
        assert thread.is_alive()
    finally:
        watcher.stop()
        thread.join(timeout=15)
