"""Reading one workbook: sheets found by name, alias or header row; header row within
the first 10 rows; merged data cells filled from their anchor; real Excel row numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from sheetkit.register.files import MAX_FILE_BYTES, WorkbookPath
from sheetkit.register.model import SCORES, SHEETS, SheetSpec
from sheetkit.register.normalise import header_key, is_blank
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

    def info(self) -> dict:
        return {"name": self.sheet, "kind": self.kind, "header_row": self.header_row, "rows": self.rows}


@dataclass
class SheetData:
    source: SheetSource
    frame: pd.DataFrame  # canonical columns (raw values) + `_row`


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


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
    """Fill merged ranges in the data area from their top-left cell (in place)."""
    for (r0, c0), (r1, c1) in merged or ():
        if r1 < first_data_row:
            continue
        anchor = grid[r0][c0] if r0 < len(grid) and c0 < len(grid[r0]) else None
        for r in range(max(r0, first_data_row), min(r1, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if (r, c) != (r0, c0):
                    row[c] = anchor


def read_sheet(path: str, name: str, grid: list[list], merged) -> SheetData | None:
    """One sheet's grid → its canonical columns with Excel row numbers, or None if the
    sheet is not part of the register."""
    detected = _detect(name, grid)
    if detected is None:
        return None
    spec, header_idx, found, extra = detected
    source = SheetSource(path, name, spec.kind, header_idx + 1, found, extra)
    if header_idx < 0:
        return SheetData(source, pd.DataFrame(columns=[*spec.names, "_row"]))
    fill_merged(grid, merged, header_idx + 1)
    body = grid[header_idx + 1:]
    width = max((len(r) for r in body), default=0)
    cols = sorted(found.items(), key=lambda kv: kv[1])
    if body:
        frame = pd.DataFrame.from_records(
            [[row[i] if i < len(row) else None for _, i in cols] for row in body],
            columns=[c for c, _ in cols],
        )
    else:
        frame = pd.DataFrame(columns=[c for c, _ in cols])
    frame = frame.astype("object")
    frame["_row"] = range(header_idx + 2, header_idx + 2 + len(frame))
    if len(frame) and cols:
        empty = pd.concat([is_blank(frame[c]) for c, _ in cols], axis=1).all(axis=1)
        frame = frame[~empty]
    elif not cols:
        frame = frame.iloc[0:0]
    for col in spec.names:
        if col not in frame.columns:
            frame[col] = None
    source.rows = len(frame)
    del width
    return SheetData(source, frame.reset_index(drop=True))


class UnreadableWorkbook(Exception):
    """Raised by `open_grids` with a Chinese explanation of why the file cannot be read."""


def open_grids(wp: WorkbookPath):
    """Yield (sheet name, grid, merged ranges) for every worksheet of a workbook."""
    import python_calamine as pc

    try:
        size = wp.real.stat().st_size
    except OSError as exc:
        raise UnreadableWorkbook(f"无法访问文件：{exc.strerror or exc}") from exc
    if size == 0:
        raise UnreadableWorkbook("文件为空（0 字节）")
    if size > MAX_FILE_BYTES:
        raise UnreadableWorkbook(f"文件过大（{size // 1024 // 1024} MB），超过上限 {MAX_FILE_BYTES // 1024 // 1024} MB")
    with open(wp.real, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0") and wp.real.suffix.lower() in (".xlsx", ".xlsm"):
        raise UnreadableWorkbook("工作簿已加密（设有打开密码），请另存为无密码的文件后再提交")
    try:
        wb = pc.CalamineWorkbook.from_path(str(wp.real))
    except pc.PasswordError as exc:
        raise UnreadableWorkbook("工作簿已加密（设有打开密码），请另存为无密码的文件后再提交") from exc
    except Exception as exc:  # calamine raises several error types for bad files
        raise UnreadableWorkbook(_explain(head, exc)) from exc
    try:
        for meta in wb.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            try:
                sheet = wb.get_sheet_by_name(meta.name)
                grid = sheet.to_python(skip_empty_area=False)
                merged = sheet.merged_cell_ranges
            except Exception as exc:
                raise UnreadableWorkbook(f"工作表“{meta.name}”无法读取：{_short(exc)}") from exc
            yield meta.name, grid, merged
    finally:
        wb.close()


def _explain(head: bytes, exc: Exception) -> str:
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return f"不是有效的 Excel 工作簿，或已加密：{_short(exc)}"
    if not head.startswith(b"PK"):
        text = head.lstrip().lower()
        if text.startswith((b"<html", b"<!doc", b"<?xml", b"<tab")):
            return "文件实为 HTML/XML 网页导出，不是 Excel 工作簿；请用 Excel 打开后另存为 .xlsx"
        return "文件不是 Excel 工作簿（可能是改了扩展名的 CSV/文本文件），请用 Excel 打开后另存为 .xlsx"
    return f"文件已损坏或不完整，无法打开：{_short(exc)}"


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def read_workbook(wp: WorkbookPath) -> tuple[list[SheetData], list[Finding]]:
    """All register sheets of one workbook, or a `data.unreadable`/`data.missing-sheet` finding."""
    sheets: list[SheetData] = []
    try:
        for name, grid, merged in open_grids(wp):
            data = read_sheet(wp.shown, name, grid, merged)
            if data is not None:
                sheets.append(data)
    except UnreadableWorkbook as exc:
        return [], [Finding("data.unreadable", f"无法读取工作簿：{exc}", path=wp.shown)]
    if not sheets:
        return [], [Finding("data.missing-sheet", "工作簿中没有可识别的登记表工作表（机构、人员、场地、考核项目等）",
                            path=wp.shown)]
    return sheets, []
