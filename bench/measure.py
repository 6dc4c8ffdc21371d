"""One measurement, run in a fresh process by `bench/run.py`:

    python bench/measure.py validate|calamine|naive FOLDER

Imports happen before the clock starts (each side imports its own library); the clock
covers reading and checking only. Prints one JSON line: seconds, peak RSS (MB) of this
process, and what was found.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))

AS_OF = dt.date(2026, 11, 22)


def _workbooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix == ".xlsx")


def run_validate(folder: Path) -> dict:
    from sheetkit.engine import validate

    t0 = time.perf_counter()
    report = validate([str(folder)], as_of=AS_OF, cache=None)  # as `validate --no-cache`
    seconds = time.perf_counter() - t0
    rows = {kind: len(table) for kind, table in report.register.tables.items() if len(table)}
    return {"seconds": seconds, "findings": len(report.findings), "summary": report.summary, "rows": rows}


def run_validate_in_process(folder: Path) -> dict:
    """`validate` with the parse in this process on threads (``SHEETKIT_ISOLATE=0``), as
    before issue 15: the difference from `validate` is what isolating the parse costs."""
    import os

    os.environ["SHEETKIT_ISOLATE"] = "0"
    return run_validate(folder)


def run_calamine(folder: Path) -> dict:
    """The floor: python-calamine alone turning every sheet of every workbook into Python
    rows, one file per thread on as many threads as there are cores (calamine parses
    outside the GIL, and `validate` reads on as many workers), each file read from disk."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    import python_calamine as pc

    def one(path: Path) -> int:
        wb = pc.CalamineWorkbook.from_path(str(path))
        cells = 0
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python()
            cells += sum(len(r) for r in rows)
            del rows
        wb.close()
        return cells

    paths = _workbooks(folder)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max(1, os.cpu_count() or 1)) as pool:
        cells = sum(pool.map(one, paths))
    return {"seconds": time.perf_counter() - t0, "cells": cells, "threads": os.cpu_count()}


def run_calamine_one_thread(folder: Path) -> dict:
    """python-calamine alone on one thread (the floor before issue 14), for comparison."""
    import python_calamine as pc

    t0 = time.perf_counter()
    cells = 0
    for path in _workbooks(folder):
        wb = pc.CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python()
            cells += sum(len(r) for r in rows)
            del rows
        wb.close()
    return {"seconds": time.perf_counter() - t0, "cells": cells}


def run_naive(folder: Path) -> dict:
    """The naive way: pandas.read_excel with openpyxl, then the same pandera schemas."""
    import pandas as pd
    import pandera.pandas as pa

    from sheetkit.profiles import load_profile
    from sheetkit.register.model import BY_KIND
    from sheetkit.register.schema import build_schema

    profile = load_profile(None)
    t0 = time.perf_counter()
    frames: dict[str, list] = {}
    for path in _workbooks(folder):
        for name, df in pd.read_excel(path, sheet_name=None, engine="openpyxl").items():
            frames.setdefault(name, []).append(df)
    failures = 0
    for kind, dfs in frames.items():
        spec = BY_KIND.get(kind)
        if spec is None:
            continue
        data = pd.concat(dfs, ignore_index=True)
        schema = build_schema(spec, profile.enabled_rules, profile.cities)
        try:
            schema.validate(data, lazy=True)
        except pa.errors.SchemaErrors as exc:
            failures += len(exc.failure_cases)
    return {"seconds": time.perf_counter() - t0, "failures": failures}


def run_guard(folder: Path) -> dict:
    """The hostile-input pre-scan alone (`register.guard.inspect` on every workbook), a
    part of `validate`'s reading: shown apart so the table says where the time goes. On
    as many threads as the floor, for a like-for-like share (it holds the GIL for most
    of its work, so this is close to its time on one thread)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    from sheetkit.register.guard import inspect

    paths = _workbooks(folder)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max(1, os.cpu_count() or 1)) as pool:
        list(pool.map(lambda p: inspect(p.read_bytes()), paths))
    return {"seconds": time.perf_counter() - t0}


def run_breakdown(folder: Path) -> dict:
    """`validate` with a timer around each phase (`bench/breakdown.py`)."""
    sys.path.insert(0, str(ROOT))
    import breakdown

    return breakdown.run(folder, AS_OF)


WHAT = {"breakdown": run_breakdown, "validate": run_validate, "validate-in-process": run_validate_in_process, "calamine": run_calamine, "calamine-1": run_calamine_one_thread,
        "naive": run_naive, "guard": run_guard}


def _cpu() -> float:
    self, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return self.ru_utime + self.ru_stime + children.ru_utime + children.ru_stime


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    what, folder = argv[0], Path(argv[1])
    cpu0 = _cpu()
    out = WHAT[what](folder)
    out["cpu_seconds"] = _cpu() - cpu0  # this process's threads and its waited-for children
    # this process or the largest of its children (the reader processes), whichever is more
    out["peak_rss_mb"] = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                             resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
