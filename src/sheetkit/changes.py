"""What changed between two runs of the same register (the 变更 report).

`compare(previous, current)` takes two reports as dicts (SPEC §5, the output of
``validate --format json`` or ``report.to_dict()``) and returns `Changes`: the findings
that are new, those that are fixed, the institutions added and removed, and the
institutions whose status or eligibility changed. It is pure: no files, no clock.

A finding is matched across runs by its *key*: the institution's credit code, the rule,
the sheet, the column and the value (SPEC wording: "keyed on credit code + rule + sheet +
column + value"). The file, row and cell are left out on purpose, so a row that moved
down, or a workbook that was renamed or split, does not read as fixed-and-new. A finding
tied to no institution (an unreadable file) is keyed on the file's name instead. Keys are
counted, so two identical problems fixed one at a time show as one fixed each time.

`previous_report(reports_dir)` is the one helper here that reads files: the newest run
that has a ``report.json`` in a `watch`/`serve` reports folder (``history/<stamp>/``).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sheetkit.documents import KIND_ZH

INSTITUTION_FIELDS = (("status", "备案状态"), ("eligible", "是否符合条件"), ("name", "机构名称"),
                      ("city", "所属市"), ("code", "机构代码"))


def finding_key(f: dict) -> tuple:
    """The identity of a finding across runs (see the module docstring)."""
    value = f.get("value")
    value = "" if value is None else str(value).strip()
    where = f.get("institution") or ""
    if not where:  # no institution: the file (by name only, not its folder) stands for it
        where = "file:" + os.path.basename(f.get("path") or "")
    return (where, f.get("rule") or "", f.get("sheet") or "", f.get("column") or "", value)


@dataclass
class Changes:
    """The difference between a previous and the current run."""

    previous: dict  # {"as_of", "time", "path"} of the run compared with
    new: list[dict] = field(default_factory=list)  # findings (current run's dicts)
    fixed: list[dict] = field(default_factory=list)  # findings (previous run's dicts)
    added: list[dict] = field(default_factory=list)  # institutions (current run's entries)
    removed: list[dict] = field(default_factory=list)  # institutions (previous run's entries)
    changed: list[dict] = field(default_factory=list)  # {uscc, name, city, field, label, before, after}

    @property
    def empty(self) -> bool:
        return not (self.new or self.fixed or self.added or self.removed or self.changed)

    @property
    def summary(self) -> dict:
        return {"new": len(self.new), "fixed": len(self.fixed), "institutions_added": len(self.added),
                "institutions_removed": len(self.removed), "institutions_changed": len(self.changed)}

    def describe(self) -> str:
        """One line in Chinese, e.g. 与上次检查相比：新问题 2，已修复 1，…"""
        labels = ("新问题", "已修复", "新增机构", "移除机构", "状况变化")
        when = self.previous.get("time") or self.previous.get("as_of") or ""
        head = f"与上次检查（{when}）相比：" if when else "与上次检查相比："
        if self.empty:
            return head + "没有变化"
        return head + "，".join(f"{label} {n}" for label, n in zip(labels, self.summary.values()))

    def to_dict(self) -> dict:
        """The ``changes`` section of the JSON report."""
        return {"previous": self.previous, "summary": self.summary, "new": self.new, "fixed": self.fixed,
                "institutions_added": [_inst_ref(i) for i in self.added],
                "institutions_removed": [_inst_ref(i) for i in self.removed],
                "institutions_changed": self.changed}


def _inst_ref(i: dict) -> dict:
    return {k: i.get(k) for k in ("uscc", "name", "city", "status", "eligible")}


def compare(previous: dict, current: dict, *, previous_info: dict | None = None) -> Changes:
    """The changes from ``previous`` to ``current`` (two report dicts)."""
    info = previous_info or {"as_of": previous.get("as_of")}
    out = Changes(previous=info)
    before = Counter(finding_key(f) for f in previous.get("findings") or [])
    after = Counter(finding_key(f) for f in current.get("findings") or [])
    out.new = _surplus(current.get("findings") or [], after - before)
    out.fixed = _surplus(previous.get("findings") or [], before - after)

    old = {i["uscc"]: i for i in previous.get("institutions") or [] if i.get("uscc")}
    now = {i["uscc"]: i for i in current.get("institutions") or [] if i.get("uscc")}
    out.added = [i for u, i in now.items() if u not in old]
    out.removed = [i for u, i in old.items() if u not in now]
    for uscc, i in now.items():
        was = old.get(uscc)
        if was is None:
            continue
        for key, label in INSTITUTION_FIELDS:
            if key in i and key in was and i.get(key) != was.get(key):
                out.changed.append({"uscc": uscc, "name": i.get("name"), "city": i.get("city"), "field": key,
                                    "label": label, "before": was.get(key), "after": i.get(key)})
        out.changed.extend(_document_changes(uscc, i, was))
    return out


def _surplus(findings: list[dict], extra: Counter) -> list[dict]:
    """The findings whose key is in ``extra``, as many of each as counted there, in order."""
    left = Counter(extra)
    picked = []
    for f in findings:
        k = finding_key(f)
        if left.get(k, 0) > 0:
            left[k] -= 1
            picked.append(f)
    return picked


def _document_changes(uscc: str, now: dict, was: dict) -> list[dict]:
    """Per document kind, whether the institution gets it (when the reports say so:
    ``documents`` entries with a ``due`` flag, as the assessment writes them)."""
    docs_now, docs_was = _documents(now), _documents(was)
    out = []
    for kind in sorted(set(docs_now) & set(docs_was)):
        if docs_now[kind] != docs_was[kind]:
            out.append({"uscc": uscc, "name": now.get("name"), "city": now.get("city"), "field": f"documents.{kind}",
                        "label": f"出具{KIND_ZH.get(kind, kind)}", "before": docs_was[kind], "after": docs_now[kind]})
    return out


def _documents(inst: dict) -> dict[str, bool]:
    docs = inst.get("documents")
    if isinstance(docs, dict):
        items = docs.items()
    elif isinstance(docs, list):
        items = ((d.get("kind"), d) for d in docs if isinstance(d, dict))
    else:
        return {}
    out = {}
    for kind, d in items:
        if kind and isinstance(d, dict) and isinstance(d.get("due"), bool):
            out[str(kind)] = d["due"]
    return out


# ---------------------------------------------------------------------- the store


def previous_report(reports_dir) -> tuple[Path, dict] | None:
    """The newest complete run in a `watch`/`serve` reports folder: (its report.json, the
    report). Runs that failed (no report.json) and unfinished ``.tmp-`` folders are passed
    over; so is a report.json that cannot be parsed."""
    history = Path(reports_dir) / "history"
    try:
        runs = sorted((p for p in history.iterdir() if p.is_dir() and not p.name.startswith(".")),
                      key=lambda p: _stamp_order(p.name), reverse=True)
    except OSError:
        return None
    for run in runs:
        path = run / "report.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            return path, data
    return None


def since_previous(reports_dir, current: dict) -> Changes | None:
    """The changes from the newest complete run in ``reports_dir`` to ``current`` (a
    report dict), or None when there is no previous run."""
    found = previous_report(reports_dir)
    if found is None:
        return None
    path, data = found
    info = {"path": path.parent.name, "time": stamp_time(path.parent.name), "as_of": data.get("as_of")}
    return compare(data, current, previous_info=info)


def stamp_time(name: str) -> str | None:
    """``20261124-101500`` → ``2026-11-24 10:15:00`` (None when the name is not a stamp)."""
    parts = name.split("-")
    if len(parts) < 2 or not (parts[0].isdigit() and len(parts[0]) == 8 and parts[1].isdigit() and len(parts[1]) == 6):
        return None
    d, t = parts[0], parts[1]
    return f"{d[:4]}-{d[4:6]}-{d[6:]} {t[:2]}:{t[2:4]}:{t[4:]}"


def _stamp_order(name: str) -> tuple:
    """``20261124-101500`` < ``20261124-101500-2`` < ``20261124-101500-10``."""
    parts = name.split("-")
    suffix = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
    return ("-".join(parts[:2]), suffix)


def load_report(path) -> dict:
    """A previous JSON report given by the user (``validate --since FILE``)."""
    from sheetkit.errors import UsageError

    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"无法读取上次的报告 {p}：{exc.strerror or exc}") from exc
    except ValueError as exc:
        raise UsageError(f"上次的报告 {p} 不是有效的 JSON：{exc}") from exc
    if not isinstance(data, dict) or "findings" not in data:
        raise UsageError(f"上次的报告 {p} 不是 sheetkit validate --format json 的输出（没有 findings）")
    if "changes" in data:  # a report that itself carries changes: compare its own findings only
        data = {k: v for k, v in data.items() if k != "changes"}
    return data
