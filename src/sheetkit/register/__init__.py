"""Reading registers: workbooks → one normalised table per sheet kind.

`read_register(paths, profile)` is the entry point; see `model` for the columns,
`reader` for how sheets and headers are found, `normalise` for value rules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pandas as pd

from sheetkit.register.files import WorkbookPath, discover
from sheetkit.register.model import BY_KIND, SHEETS, USCC_COL
from sheetkit.register.reader import SheetSource
from sheetkit.register.guard import UnreadableWorkbook, unreadable
from sheetkit.register.reader import read_workbook
from sheetkit.register.scoresheet_reader import is_scoresheet, read_scoresheet
from sheetkit.register.table import Table, build_table
from sheetkit.report.model import Finding


@dataclass
class Register:
    """Every sheet kind read from the given paths, with where each row came from."""

    paths: list[str]
    workbooks: list[WorkbookPath]
    sources: list[SheetSource]
    tables: dict[str, Table]
    findings: list[Finding] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    settings_by_path: dict[str, dict[str, str]] = field(default_factory=dict)

    def __getitem__(self, kind: str) -> Table:
        return self.tables[kind]

    def has(self, kind: str) -> bool:
        return any(s.kind == kind for s in self.sources)

    @property
    def institutions(self) -> Table:
        return self.tables["机构"]

    def institution_index(self) -> dict[str, int]:
        """Normalised credit code → first row index in 机构 (built once: the tables do not
        change after reading)."""
        cached = self.__dict__.get("_institution_index")
        if cached is None:
            codes = self.institutions.data[USCC_COL]
            first = codes[codes.notna() & ~codes.duplicated()]
            cached = self.__dict__["_institution_index"] = dict(zip(first.tolist(), first.index.tolist()))
        return cached

    def institution_location(self, uscc: str) -> dict:
        """Finding fields pointing at an institution's row (credit-code cell) in 机构."""
        idx = self.institution_index().get(uscc)
        if idx is None:
            return {}
        return self.institutions.location(idx, USCC_COL)

    def settings_for(self, uscc: str) -> dict[str, str]:
        """The 设置 that apply to an institution: those of the workbook its 机构 row is in
        (each city's workbook names its own 发文单位), over the register-wide ones."""
        loc = self.institution_location(uscc)
        return {**self.settings, **self.settings_by_path.get(loc.get("path"), {})}

    def files_info(self) -> list[dict]:
        out = []
        for wp in self.workbooks:
            out.append({"path": wp.shown, "sheets": [s.info() for s in self.sources if s.path == wp.shown]})
        return out


def read_register(paths, cities: dict[str, str] | None = None, progress=None, cache=None,
                  follow_links: bool = False) -> Register:
    """Read every workbook under ``paths``. Unreadable files become findings; the others
    are still read. ``cities`` maps city aliases (济南市) to canonical names (济南).
    ``progress(done, total, path)`` is called after each file, if given. ``cache`` (a
    `sheetkit.cache.ReadCache`) keeps what unchanged files gave. Links leading out of the
    folders given are not followed unless ``follow_links``; files not read are findings
    (`data.not-read`)."""
    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        paths = [paths]
    paths = [str(p) for p in paths]
    workbooks = discover(paths, follow_links=follow_links)
    sources: list[SheetSource] = []
    frames: dict[str, list[pd.DataFrame]] = {s.kind: [] for s in SHEETS}
    findings: list[Finding] = [
        Finding("data.not-read", f"未读取“{n.shown}”：{n.reason}", path=n.shown) for n in workbooks.not_read]
    if progress is not None and workbooks:
        progress(0, len(workbooks), "")
    for n, (wp, (sheets, problems)) in enumerate(zip(workbooks, read_all(workbooks, cache)), 1):
        findings.extend(problems)
        for sd in sheets:
            sd.frame["_src"] = len(sources)
            sources.append(sd.source)
            frames[sd.source.kind].append(sd.frame)
        if progress is not None:
            progress(n, len(workbooks), wp.shown)
    tables = {
        spec.kind: build_table(spec, [s for s in sources], frames[spec.kind], cities)
        for spec in SHEETS
    }
    reg = Register(paths, list(workbooks), sources, tables, findings)
    reg.settings = _settings(tables["设置"])
    reg.settings_by_path = _settings_by_path(tables["设置"])
    return reg


READ_THREADS = 4


def read_file(wp: WorkbookPath, data: bytes | None = None) -> tuple[list, list[Finding]]:
    """One file of a register: a filled 附件4 score sheet, or an ordinary register
    workbook. ``data`` are its bytes, read once (`files.load`); without them the file is
    read here."""
    from sheetkit.register.files import load

    if data is None:
        try:
            data = load(wp)
        except UnreadableWorkbook as exc:
            return [], [unreadable(wp, str(exc))]
    if is_scoresheet(wp, data):
        return read_scoresheet(wp, data)
    return read_workbook(wp, data)


def read_all(workbooks, cache=None) -> list:
    """Each workbook's (sheets, findings), in order.

    Each file is read once into memory; those bytes are hashed (the cache key) and those
    bytes are parsed. Files the cache does not know are parsed in child processes with a
    memory and time budget (`isolate`), so a file that crashes its reader or asks for
    gigabytes is one `data.unreadable` finding and the others are still read; where that
    is not available, on threads in this process."""
    import hashlib

    from sheetkit.register import isolate
    from sheetkit.register.files import load

    results: list = [None] * len(workbooks)
    todo: list[tuple[int, bytes, bytes]] = []
    for i, wp in enumerate(workbooks):
        try:
            data = load(wp)
        except UnreadableWorkbook as exc:
            results[i] = ([], [unreadable(wp, str(exc))])
            continue
        digest = hashlib.sha256(data).digest()
        hit = cache.get(wp, digest) if cache is not None else None
        if hit is not None:
            results[i] = hit
        else:
            todo.append((i, digest, data))
    if todo:
        jobs = [(workbooks[i], data) for i, _, data in todo]
        if isolate.available():
            parsed = isolate.parse_all(jobs, read_file)
        else:
            parsed = _on_threads(jobs)
        for (i, digest, _), result in zip(todo, parsed):
            results[i] = result
            if cache is not None and not _crashed(result):
                cache.put(workbooks[i], digest, result)
    return results


def _crashed(result) -> bool:
    """Not cached: a file whose reader died (memory, time) may read another time."""
    sheets, findings = result
    return not sheets and any(f.rule == "data.unreadable" and ("已中止" in f.message or "异常终止" in f.message)
                              for f in findings)


def _on_threads(jobs) -> list:
    """python-calamine parses outside the GIL, so one file's parsing overlaps another's
    normalising (see bench/)."""
    workers = min(len(jobs), os.cpu_count() or 1, READ_THREADS)
    if workers <= 1:
        return [read_file(wp, data) for wp, data in jobs]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers, thread_name_prefix="sheetkit-read") as pool:
        return list(pool.map(lambda job: read_file(*job), jobs))


def _settings_by_path(table: Table) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for src_index in sorted(set(table.data["_src"].tolist())):
        rows = table.data["_src"] == src_index
        part = Table(table.spec, table.sources, table.raw[rows], table.data[rows])
        out.setdefault(table.sources[src_index].path, {}).update(_settings(part))
    return out


def _settings(table: Table) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in zip(table.data["项目"], table.raw["值"]):
        if isinstance(key, str) and key and value is not None and str(value).strip():
            out.setdefault(key.strip(), value if not isinstance(value, str) else value.strip())
    return out


__all__ = ["Register", "Table", "read_register", "BY_KIND"]
