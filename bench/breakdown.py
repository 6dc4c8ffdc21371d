"""Where `validate`'s time goes: one run with a timer around each phase, for `bench/run.py`
(`python bench/measure.py breakdown FOLDER`).

The run is the same `validate(..., cache=None)` as the headline figure, with its parts
wrapped (nothing in sheetkit is changed for it):

- in each reader child (`register.isolate`, forked, so the wrappers are inherited): the
  hostile-input guard (`guard.inspect`), calamine's parse (what is left of opening the
  workbook), turning grids into columns (`reader.read_sheet`), and pickling the result
  for the pipe (measured by pickling it once more: the transfer's cost). Each child
  writes its timings to a file; they are summed over children and divided by the
  workers that ran at once, to compare with wall time;
- in the parent: reading as a whole (`read_all`: forks, waits, unpickles), normalising
  (the `normalise_*` functions), building the tables (the rest of `build_table`), the
  column schemas (rules data.required, data.enum), each policy rule, and the assessment.

A wrapper costs a call or two per phase, nothing per row: the total is within noise of
an unwrapped run (both are reported).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import tempfile
import time
from pathlib import Path

SCHEMA_RULES = ("data.required", "data.enum")


def run(folder: Path, as_of: dt.date) -> dict:
    import sheetkit.engine as engine
    import sheetkit.register as register
    from sheetkit.register import isolate, normalise, reader

    parent: dict[str, float] = {}
    rules: dict[str, float] = {}
    child: dict[str, float] = {}  # in a child: this workbook's phases
    out_dir = Path(tempfile.mkdtemp(prefix="sheetkit-breakdown-"))

    def timed(store, key, fn):
        def wrapper(*args, **kw):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                store[key] = store.get(key, 0.0) + time.perf_counter() - t0
        return wrapper

    reader.inspect_workbook = timed(child, "guard", reader.inspect_workbook)
    reader.read_sheet = timed(child, "columns", reader.read_sheet)
    read_file = register.read_file

    def read_file_timed(wp, data=None):
        child.clear()
        t0 = time.perf_counter()
        result = read_file(wp, data)
        child["file"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        size = len(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        child["pickle"] = time.perf_counter() - t1
        child["pickle_mb"] = size / 1e6
        (out_dir / f"{os.getpid()}-{time.monotonic_ns()}.json").write_text(json.dumps(child))
        return result

    register.read_file = read_file_timed
    register.read_all = timed(parent, "read", register.read_all)
    for name in ("normalise_identifier", "normalise_date", "normalise_number", "normalise_yesno",
                 "normalise_enum", "normalise_list", "normalise_key_text", "normalise_text"):
        setattr(normalise, name, timed(parent, "normalise", getattr(normalise, name)))
    register.build_table = timed(parent, "tables", register.build_table)
    engine.assess = timed(parent, "assessment", engine.assess)
    import dataclasses

    def timed_check(fn, rule):
        return lambda ctx, **params: _timed_rule(fn, ctx, rule, rules, params)

    engine.RULES = {rid: dataclasses.replace(r, check=timed_check(r.check, rid)) if r.check else r
                    for rid, r in engine.RULES.items()}
    t0 = time.perf_counter()
    report = engine.validate([str(folder)], as_of=as_of, cache=None)
    total = time.perf_counter() - t0

    files = [json.loads(p.read_text()) for p in out_dir.glob("*.json")]
    for p in out_dir.glob("*.json"):
        p.unlink()
    out_dir.rmdir()
    workers = max(1, min(isolate.WORKERS, os.cpu_count() or 1, len(files) or 1))
    summed = {k: sum(f.get(k, 0.0) for f in files) for k in ("guard", "columns", "file", "pickle", "pickle_mb")}
    parse = summed["file"] - summed["guard"] - summed["columns"]
    schemas = sum(rules.get(r, 0.0) for r in SCHEMA_RULES)
    policy = {r: s for r, s in rules.items() if r not in SCHEMA_RULES}
    normalise_s = parent.get("normalise", 0.0)
    phases = {
        "guard": summed["guard"] / workers,
        "parse": parse / workers,
        "columns": summed["columns"] / workers,
        "transfer": summed["pickle"] / workers,
        "read_other": max(0.0, parent.get("read", 0.0) - summed["file"] / workers - summed["pickle"] / workers),
        "normalise": normalise_s,
        "tables": parent.get("tables", 0.0) - normalise_s,
        "schemas": schemas,
        "rules": sum(policy.values()),
        "assessment": parent.get("assessment", 0.0),
    }
    phases["other"] = max(0.0, total - parent.get("read", 0.0) - parent.get("tables", 0.0) - sum(rules.values())
                          - phases["assessment"])
    top = sorted(policy.items(), key=lambda kv: -kv[1])[:8]
    return {"seconds": total, "findings": len(report.findings), "workers": workers, "phases": phases,
            "child_summed": summed, "read_wall": parent.get("read", 0.0),
            "top_rules": [{"rule": r, "seconds": s} for r, s in top]}


def _timed_rule(fn, ctx, rule, store, params):
    t0 = time.perf_counter()
    try:
        return list(fn(ctx, **params))
    finally:
        store[rule] = store.get(rule, 0.0) + time.perf_counter() - t0
