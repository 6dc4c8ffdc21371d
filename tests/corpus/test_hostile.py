"""Hostile input, round two (issue 15): 1–2 KB workbooks that asked calamine for gigabytes
or made it abort, checked in one real `sheetkit` process over a folder that also holds a
clean register. Each run: exit 0 or 1, no traceback, every bad file named, the clean
workbook still checked, the inputs byte-identical, and the peak memory of the run (the
`sheetkit` process and its reader children) under 1.5 GB."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from build_corpus import HOSTILE, _clean, build  # noqa: E402

AS_OF = "2026-11-22"
PEAK_LIMIT_MB = 1536
# Runs `sheetkit ARGS…` in a child and prints its exit status and the peak resident memory
# of that child and everything it waited for (the reader processes), in MB. A helper
# process of its own, so earlier children of the test process do not count.
MEASURE = r"""
import json, resource, subprocess, sys
p = subprocess.run([sys.executable, "-m", "sheetkit", *sys.argv[1:]], capture_output=True, text=True,
                   env={**__import__("os").environ, "PYTHONIOENCODING": "utf-8"})
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"rc": p.returncode, "stdout": p.stdout, "stderr": p.stderr, "peak_mb": peak}))
"""


def measured(*args) -> dict:
    proc = subprocess.run([sys.executable, "-c", MEASURE, *map(str, args)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def digests(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile") / "in"
    build(d, {e.name for e in HOSTILE})
    for n in (2, 3):  # three 2.4 GB-shaped files together took 4.4 GB
        shutil.copyfile(d / "wide-16384-columns.xlsx", d / f"wide-16384-columns-{n}.xlsx")
    _clean(d / "clean.xlsx")
    return d


def _bad_names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name != "clean.xlsx"}


def test_validate_over_hostile_folder(folder):
    before = digests(folder)
    run = measured("validate", folder, "--format", "json", "--as-of", AS_OF)
    assert run["rc"] in (0, 1), run["stderr"][-3000:]
    assert "Traceback" not in run["stderr"]
    report = json.loads(run["stdout"])
    unreadable = {}
    for f in report["findings"]:
        if f["rule"] == "data.unreadable":
            unreadable.setdefault(Path(f["path"]).name, []).append(f["message"])
    assert set(unreadable) == _bad_names(folder), unreadable
    for name, messages in unreadable.items():
        assert len(messages) == 1 and name in messages[0], messages
        assert any("\u4e00" <= ch <= "\u9fff" for ch in messages[0])
        assert "panicked" not in messages[0] and "Error" not in messages[0], messages[0]
    clean = [f for f in report["files"] if Path(f["path"]).name == "clean.xlsx"]
    assert clean and clean[0]["sheets"], "the clean workbook was not read"
    assert report["institutions"], "the clean workbook's institutions are missing"
    assert digests(folder) == before
    assert run["peak_mb"] < PEAK_LIMIT_MB, run["peak_mb"]


def test_annotate_and_report_over_hostile_folder(folder, tmp_path):
    before = digests(folder)
    out = tmp_path / "out"
    run = measured("validate", folder, "--as-of", AS_OF, "--annotate", out, "--report", out / "问题清单.xlsx")
    assert run["rc"] in (0, 1), run["stderr"][-3000:]
    assert "Traceback" not in run["stderr"] + run["stdout"]
    assert (out / "clean.标注.xlsx").exists() and (out / "问题清单.xlsx").exists()
    for name in _bad_names(folder):
        assert name in run["stdout"], name
    assert digests(folder) == before
    assert run["peak_mb"] < PEAK_LIMIT_MB, run["peak_mb"]


@pytest.mark.parametrize("name", [e.name for e in HOSTILE])
def test_each_hostile_file_is_refused_by_the_guard(folder, name):
    """The guard names each case before any parser runs (the child process is the backstop)."""
    from sheetkit.register import guard

    with pytest.raises(guard.UnreadableWorkbook):
        guard.inspect((folder / name).read_bytes())


def test_odd_date_values_are_data_type_at_their_cells(tmp_path):
    """-1e308 and text in date cells failed the whole workbook with a Rust message; NaN read
    as 1899-12-30 and 0 as a time, without a word. Each is now data.type at its cell, and the
    rest of the workbook is read."""
    from click.testing import CliRunner

    from build_corpus import build_odd_dates
    from sheetkit.cli import cli

    path = tmp_path / "odd-dates.xlsx"
    build_odd_dates(path)
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["validate", str(path), "--format", "json", "--as-of", AS_OF])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert not [f for f in report["findings"] if f["rule"] == "data.unreadable"]
    located = {(f["sheet"], f["cell"]) for f in report["findings"]
               if f["rule"] == "data.type" and f["column"] == "备案起始"}
    assert located == {("机构", "L2"), ("机构", "L3"), ("机构", "L4"), ("机构", "L5")}
    for f in report["findings"]:
        assert "TimeDelta" not in f["message"] and "float" not in f["message"], f["message"]
    assert len(report["institutions"]) == 4
    assert path.read_bytes() == before


def test_a_nan_or_zero_date_alone_is_data_type():
    """Without a cell calamine fails on, NaN arrives as 1899-12-30 and 0 as a time."""
    import datetime as dt

    import pandas as pd

    from sheetkit.register.normalise import normalise_date

    _, invalid = normalise_date(pd.Series([dt.datetime(1899, 12, 30), dt.time(0, 0), dt.date(2025, 3, 1)],
                                          dtype=object))
    assert invalid.tolist() == [True, True, False]


def test_two_sheets_of_one_kind_are_both_read(tmp_path):
    from builders import clean_register, write_register
    from click.testing import CliRunner

    from sheetkit.cli import cli

    sheets = clean_register(2)
    first, second = sheets.pop("机构")
    write_register(tmp_path / "two.xlsx", {"机构": [first], **sheets, "机构信息": [second]})
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "two.xlsx"), "--format", "json", "--as-of", AS_OF])
    report = json.loads(result.stdout)
    kinds = [(s["name"], s["kind"]) for s in report["files"][0]["sheets"] if s["kind"] == "机构"]
    assert kinds == [("机构", "机构"), ("机构信息", "机构")]
    assert {i["uscc"] for i in report["institutions"]} == {first["统一社会信用代码"], second["统一社会信用代码"]}
    assert not [f for f in report["findings"] if f["rule"] in ("data.duplicate", "data.unknown-institution")]
