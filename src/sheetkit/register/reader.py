"""Reading one workbook: sheets found by name, alias or header row; header row within
the first 10 rows; merged data cells filled from their anchor; real Excel row numbers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sheetkit.cells import column_letter  # noqa: F401  (read as reader.column_letter too)
from sheetkit.register.files import WorkbookPath
from sheetkit.register.guard import UnreadableWorkbook, formula_findings
from sheetkit.register.guard import inspect as inspect_workbook
from sheetkit.register.model import SCORES, SHEETS, SheetSpec
from sheetkit.register.normalise import blank_value, header_key
from sheetkit.report.model import Finding

HEADER_SCAN_ROWS = 10
_SCORE_HEADER_RE = re.compile(r"^(\d{1,2})(?!\d)")


@dataclass
class SheetSource:
    """Where one sheet of the register came from, and where its columns are."""

    path: str
    sheet: str
    kind: str
    header_row: int  # 1-based Excel row of the header
    columns: dict[str, int]  # canonical column name → 0-based column index
    extra: list[str] = field(default_factory=list)  # headers not in the contract (kept, ignored)
    rows: int = 0

    def cell(self, column: str | None, row: int | None) -> str | None:
        if column is None or row is None or column not in self.columns:
            return None
        return f"{column_letter(self.columns[column])}{row}"

    def row_of(self, column: str | None, row: int | None) -> int | None:
        """The Excel row findings on ``column`` of data row ``row`` should name (the same
        row here; a score sheet keeps each column in a cell of its own)."""
        return row

    def info(self) -> dict:
        return {"name": self.sheet, "kind": self.kind, "header_row": self.header_row, "rows": self.rows}


@dataclass
class SheetData:
    source: SheetSource
    frame: pd.DataFrame  # canonical columns (raw values) + `_row`


def _sheet_kind_by_name(name: str) -> SheetSpec | None:
    key = header_key(name)
    for spec in SHEETS:
        if key in {header_key(spec.kind), *(header_key(a) for a in spec.aliases)}:
            return spec
    return None


def _header_lookup(spec: SheetSpec) -> dict[str, str]:
    lookup = {}
    for col in spec.columns:
        for name in (col.name, *col.aliases):
            lookup.setdefault(header_key(name), col.name)
    return lookup


_LOOKUPS = {spec.kind: _header_lookup(spec) for spec in SHEETS}


def match_headers(spec: SheetSpec, cells: list) -> tuple[dict[str, int], list[str]]:
    """Map a header row's cells to the spec's columns. Returns (name → index, extra headers)."""
    lookup = _LOOKUPS[spec.kind]
    found: dict[str, int] = {}
    extra: list[str] = []
    for idx, cell in enumerate(cells):
        key = header_key(cell)
        if not key:
            continue
        name = lookup.get(key)
        if name is None and spec is SCORES:
            m = _SCORE_HEADER_RE.match(key)
            if m and 1 <= int(m.group(1)) <= 43:
                name = str(int(m.group(1)))
        if name is None or name in found:
            extra.append(str(cell).strip())
            continue
        found[name] = idx
    return found, extra


def _best_header(spec: SheetSpec, grid: list[list]) -> tuple[int, dict[str, int], list[str]]:
    best = (-1, {}, [])
    for r, cells in enumerate(grid[:HEADER_SCAN_ROWS]):
        found, extra = match_headers(spec, cells)
        if len(found) > len(best[1]):
            best = (r, found, extra)
    return best


def _detect(name: str, grid: list[list]) -> tuple[SheetSpec, int, dict[str, int], list[str]] | None:
    """The sheet's kind and header: by its name first, else by the best-matching header."""
    spec = _sheet_kind_by_name(name)
    if spec is not None:
        r, found, extra = _best_header(spec, grid)
        if r >= 0:
            return spec, r, found, extra
        return spec, -1, {}, []
    best = None
    for spec in SHEETS:
        r, found, extra = _best_header(spec, grid)
        if r < 0:
            continue
        required = [c.name for c in spec.columns if c.required]
        hits = sum(1 for c in required if c in found)
        # A sheet recognised by header needs most of its required columns and at least 2 matches.
        if len(found) >= 2 and hits >= max(1, (len(required) + 1) // 2):
            score = (hits / max(1, len(required)), len(found))
            if best is None or score > best[0]:
                best = (score, (spec, r, found, extra))
    return best[1] if best else None


def fill_merged(grid: list[list], merged, first_data_row: int) -> None:
    """Fill merged ranges in the data area from their top-left cell (in place). A range
    anchored in the header or title rows (a two-row header's merged cell) is not data."""
    for (r0, c0), (r1, c1) in merged or ():
        if r0 < first_data_row:
            continue
        anchor = grid[r0][c0] if r0 < len(grid) and c0 < len(grid[r0]) else None
        for r in range(max(r0, first_data_row), min(r1, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if (r, c) != (r0, c0):
                    row[c] = anchor


def read_sheet(path: str, name: str, grid: list[list], merged) -> SheetData | None:
    """One sheet's grid → its canonical columns with Excel row numbers, or None if the
    sheet is not part of the register.

    One pass: the grid is transposed in C (``zip``), each register column becomes one
    object array, and only rows whose first register cell is blank are looked at again
    to drop empty rows. The grid is consumed: its rows are released once copied, so a
    million-row sheet is not held twice."""
    detected = _detect(name, grid)
    if detected is None:
        return None
    spec, header_idx, found, extra = detected
    source = SheetSource(path, name, spec.kind, header_idx + 1, found, extra)
    if header_idx < 0:
        return SheetData(source, pd.DataFrame(columns=[*spec.names, "_row"]))
    first = header_idx + 1
    fill_merged(grid, merged, first)
    cols = sorted(found.items(), key=lambda kv: kv[1])
    columns = _columns(grid, first, [i for _, i in cols]) if cols else []
    n = len(columns[0]) if columns else 0
    rows = np.arange(first + 1, first + 1 + n, dtype=np.int64)
    if n:
        empty = [i for i in _blank_rows(columns[0]) if all(blank_value(c[i]) for c in columns[1:])]
        if empty:
            keep = np.ones(n, dtype=bool)
            keep[empty] = False
            columns = [c[keep] for c in columns]
            rows = rows[keep]
    data = {c: pd.Series(arr, dtype=object, copy=False) for (c, _), arr in zip(cols, columns)}
    data["_row"] = pd.Series(rows, dtype=np.int64, copy=False)
    frame = pd.DataFrame(data, copy=False) if len(rows) else pd.DataFrame(
        {c: pd.Series(dtype=object) for c in data} | {"_row": pd.Series(dtype=np.int64)})
    for col in spec.names:
        if col not in frame.columns:
            frame[col] = pd.Series(np.full(len(frame), None, dtype=object), index=frame.index, dtype=object)
    source.rows = len(frame)
    return SheetData(source, frame)


_CHUNK = 65_536  # rows transposed at a time


def _columns(grid: list[list], first: int, indices: list[int]) -> list[np.ndarray]:
    """Columns ``indices`` of rows ``first…`` as object arrays (short rows padded with None).

    The grid is taken from its end a chunk at a time and each chunk's rows are deleted
    once copied, so the cells are never held twice: a 1,048,576-row sheet peaks at little
    more than calamine's own grid."""
    width = indices[-1] + 1
    zipped = len(indices) * 2 >= width
    columns = [_Column() for _ in indices]
    end = len(grid)
    while end > first:
        start = max(first, end - _CHUNK)
        body = grid[start:end]
        if min(map(len, body)) < width:
            body = [r if len(r) >= width else [*r, *([None] * (width - len(r)))] for r in body]
        if zipped:
            transposed = list(zip(*body))
            for col, i in zip(columns, indices):
                col.add(transposed[i])
            del transposed
        else:  # a wide sheet with few register columns
            for col, i in zip(columns, indices):
                col.add([r[i] for r in body])
        del body, grid[start:end]
        end = start
    return [col.array() for col in columns]


_SHARED_TYPES = {str, dt.date, dt.datetime}  # never equal to a value of another type
_NUMBER_TYPES = {bool, int, float}  # equal across types (True == 1 == 1.0): never shared across them


def _may_mix_numbers(memo: dict, values) -> bool:
    """Whether sharing may have turned a 1.0 into True (or 0 into 0.0): only when the
    column holds booleans and numbers both, which is looked for only if one of the values
    kept is a boolean or a number equal to 0 or 1."""
    if not any(k.__class__ in _NUMBER_TYPES and (k == 0 or k == 1) for k in memo):
        return False
    types = set(map(type, values))
    return bool in types and bool(types & {int, float})


class _Column:
    """One column built from chunks taken from the end of the sheet.

    calamine makes a new object for every cell, so a role written a million times is a
    million strings; here equal strings and dates become one object (unless the column
    is nearly all distinct), which saves most of the memory of a national roll-up and
    lets later hashing reuse cached hashes."""

    def __init__(self):
        self.parts: list[np.ndarray] = []
        self.distinct: bool | None = None

    def add(self, values) -> None:
        if self.distinct is None:
            sample = values[-2000:]
            self.distinct = len(values) > 4000 and len(set(sample)) > 0.9 * len(sample)
        if self.distinct:
            arr = np.empty(len(values), dtype=object)
            arr[:] = values
        else:
            memo: dict = {}  # in C, no Python call per cell:
            arr = np.fromiter(map(memo.setdefault, values, values), dtype=object, count=len(values))
            if _may_mix_numbers(memo, values):  # True, 1 and 1.0 hash alike: redo safely
                memo.clear()
                shared = memo.setdefault
                arr[:] = [shared(v, v) if v.__class__ in _SHARED_TYPES else v for v in values]
        self.parts.append(arr)

    def array(self) -> np.ndarray:
        if not self.parts:
            return np.empty(0, dtype=object)
        self.parts.reverse()
        out = self.parts[0] if len(self.parts) == 1 else np.concatenate(self.parts)
        self.parts = []
        return out


def _blank_rows(values: np.ndarray) -> list[int]:
    """Row positions whose value is blank."""
    maybe = [i for i, v in enumerate(values) if v.__class__ is not str or not v.isalnum()]  # cheap first cut
    return [i for i in maybe if blank_value(values[i])]


def open_grids(wp: WorkbookPath, notes: dict | None = None, data: bytes | None = None):
    """Yield (sheet name, grid, merged ranges) for every worksheet of a workbook.

    ``data`` are the file's bytes, read once (`files.load`): the guard looks at them
    (zip bombs, huge sheets, encryption, DTDs, HTML or text under an Excel name) and
    calamine parses the very same bytes. Anything refused, and anything calamine cannot
    read, raises `UnreadableWorkbook` with a Chinese reason. ``notes``, if given,
    receives the guard's `Inspection` under ``"inspection"``."""
    import io

    import python_calamine as pc

    from sheetkit.register.files import load

    if data is None:
        data = load(wp)
    try:
        inspection = inspect_workbook(data)
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # the guard itself must never turn into a traceback
        raise UnreadableWorkbook("文件无法检查（内部结构异常），已拒绝读取") from exc
    if notes is not None:
        notes["inspection"] = inspection
    from sheetkit.register.isolate import allow

    allow(inspection.allowed)  # in a child process: what this workbook's size justifies
    head = bytes(data[:8])
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))  # the format is found from the content
    except pc.PasswordError as exc:
        raise UnreadableWorkbook("工作簿已加密（设有打开密码），请另存为无密码的文件后再提交") from exc
    except BaseException as exc:  # calamine raises several error types, and Rust panics
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise UnreadableWorkbook(_explain(head, exc)) from exc
    try:
        for meta in wb.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            try:
                sheet = wb.get_sheet_by_name(meta.name)
                grid = sheet.to_python(skip_empty_area=False)
                merged = sheet.merged_cell_ranges
            except BaseException as exc:  # including a Rust panic (pyo3 PanicException)
                if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
                err = UnreadableWorkbook(f"工作表“{meta.name}”中有无法解析的单元格值（如超出范围的日期），无法读取")
                err.sheet_failed = True  # read_workbook tries again with such cells as text
                raise err from exc
            yield meta.name, grid, merged
    finally:
        wb.close()


def _explain(head: bytes, exc: BaseException) -> str:
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # encryption was ruled out by the guard
        return "文件已损坏或不完整（可能在下载或复制时被截断），无法打开"
    if not head.startswith(b"PK"):
        text = head.lstrip().lower()
        if text.startswith((b"<html", b"<!doc", b"<?xml", b"<tab")):
            return "文件实为 HTML/XML 网页导出，不是 Excel 工作簿；请用 Excel 打开后另存为 .xlsx"
        return "文件不是 Excel 工作簿（可能是改了扩展名的 CSV/文本文件），请用 Excel 打开后另存为 .xlsx"
    return "文件已损坏或不完整（内部结构无法解析），无法打开"



def read_workbook(wp: WorkbookPath, data: bytes | None = None,
                  retried: bool = False) -> tuple[list[SheetData], list[Finding]]:
    """All register sheets of one workbook, or a `data.unreadable`/`data.missing-sheet` finding."""
    sheets: list[SheetData] = []
    notes: dict = {}
    try:
        if data is None:
            from sheetkit.register.files import load

            data = load(wp)
        for name, grid, merged in open_grids(wp, notes, data):
            sd = read_sheet(wp.shown, name, grid, merged)
            if sd is not None:
                sheets.append(sd)
    except UnreadableWorkbook as exc:
        if getattr(exc, "sheet_failed", False) and data is not None and not retried:
            from sheetkit.register.repair import date_safe

            fixed = date_safe(data)
            if fixed is not None:  # impossible date values become text, then data.type findings
                return read_workbook(wp, fixed, retried=True)
        return [], [Finding("data.unreadable", f"无法读取工作簿“{_file_name(wp)}”：{exc}", path=wp.shown)]
    if not sheets:
        return [], [Finding("data.missing-sheet", "工作簿中没有可识别的登记表工作表（机构、人员、场地、考核项目等）",
                            path=wp.shown)]
    return sheets, formula_findings(notes.get("inspection"), sheets)


def _file_name(wp: WorkbookPath) -> str:
    return wp.real.name
