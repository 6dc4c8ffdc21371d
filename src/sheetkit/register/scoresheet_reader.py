"""Filled 附件4 score sheets (written by `sheetkit scoresheet`) read as 续期评分 rows.

An evaluator fills in one generated workbook; dropped into the register folder it becomes
one 续期评分 row (credit code, expert, date, items 1–43, 不合格项1–10), each value located
at the cell the evaluator typed it in, so findings point there.

The sheet is recognised by the workbook-level defined name ``sheetkit_scoresheet`` (kept
by Excel and LibreOffice when the file is saved as .xlsx), checked in ``xl/workbook.xml``
without opening the workbook, so ordinary registers pay almost nothing for the check.
The layout below is shared with the writer (`sheetkit.scoresheet`); the sheet is
protected so rows cannot be inserted and the positions hold.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from sheetkit.cells import split_a1
from sheetkit.register.files import WorkbookPath
from sheetkit.register.model import BY_KIND, SCORE_MAXIMA, USCC_COL, VETO_ITEMS
from sheetkit.register.guard import UnreadableWorkbook
from sheetkit.register.reader import SheetData, SheetSource, open_grids
from sheetkit.report.model import Finding

MARKER_NAME = "sheetkit_scoresheet"
MARKER_TEXT = "sheetkit_scoresheet v1"
SHEET = "续期评估明细表"
MARKER_CELL = "H1"
HEADER_ROW = 5  # 序号 一级指标 二级指标 评分标准 分值 评分
FIRST_ITEM_ROW = HEADER_ROW + 1  # item i is on row FIRST_ITEM_ROW + i - 1
TOTAL_ROW = FIRST_ITEM_ROW + len(SCORE_MAXIMA)  # 总分
VETO_HEADER_ROW = TOTAL_ROW + 1
FIRST_VETO_ROW = VETO_HEADER_ROW + 1
SCORE_COL = "F"
# header fields: canonical column → cell of the value
FIELDS = {USCC_COL: "C3", "评估专家": "C4", "评估日期": "F4"}
INFO = {"机构名称": "C2", "机构代码": "F2", "所属市": "F3"}


def item_cell(i: int) -> str:
    return f"{SCORE_COL}{FIRST_ITEM_ROW + i - 1}"


def veto_cell(i: int) -> str:
    return f"{SCORE_COL}{FIRST_VETO_ROW + i - 1}"


def cell_map() -> dict[str, str]:
    """Every 续期评分 column → the cell holding it in a score sheet."""
    cells = dict(FIELDS)
    cells.update({str(i): item_cell(i) for i in range(1, len(SCORE_MAXIMA) + 1)})
    cells.update({f"不合格项{i}": veto_cell(i) for i in range(1, VETO_ITEMS + 1)})
    return cells




@dataclass
class ScoresheetSource(SheetSource):
    """A score sheet: each column lives in its own cell, not in one row."""

    cells: dict[str, str] = field(default_factory=dict)

    def cell(self, column: str | None, row: int | None) -> str | None:
        return self.cells.get(column) if column else None

    def row_of(self, column: str | None, row: int | None) -> int | None:
        """The Excel row of ``column``'s cell (the row findings should name)."""
        a1 = self.cells.get(column) if column else None
        return split_a1(a1)[0] + 1 if a1 else row


def is_scoresheet(wp: WorkbookPath, data: bytes | None = None) -> bool:
    """True when the workbook carries the ``sheetkit_scoresheet`` defined name."""
    if wp.real.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else wp.real) as zf:
            if zf.getinfo("xl/workbook.xml").file_size > 1_000_000:
                return False  # not ours; the reader's guard deals with oddities
            xml = zf.read("xl/workbook.xml")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError):
        return False
    return f'name="{MARKER_NAME}"'.encode() in xml


def _value(grid: list[list], a1: str):
    r, c = split_a1(a1)
    if r < len(grid) and c < len(grid[r]):
        v = grid[r][c]
        return None if v == "" else v
    return None


def read_scoresheet(wp: WorkbookPath, data: bytes | None = None) -> tuple[list[SheetData], list[Finding]]:
    """The one 续期评分 row of a filled score sheet (nothing for a blank one)."""
    spec = BY_KIND["续期评分"]
    try:
        grids = {name: grid for name, grid, _ in open_grids(wp, None, data)}
    except UnreadableWorkbook as exc:
        return [], [Finding("data.unreadable", f"无法读取续期评估明细表：{exc}", path=wp.shown)]
    name = SHEET if SHEET in grids else next(iter(grids), None)
    grid = grids.get(name) if name else None
    if grid is None or _value(grid, MARKER_CELL) != MARKER_TEXT or \
            _value(grid, f"A{FIRST_ITEM_ROW}") not in (1, 1.0, "1"):
        return [], [Finding("data.unreadable",
                            f"续期评估明细表的格式被改动（工作表“{SHEET}”或其行列位置不符），无法读取评分；"
                            f"请在 sheetkit scoresheet 生成的原表上填写", path=wp.shown, sheet=name)]
    cells = cell_map()
    values = {col: _value(grid, a1) for col, a1 in cells.items()}
    if all(values[c] is None for c in cells if c != USCC_COL):
        return [], []  # a blank form (e.g. generated into the register folder): nothing to read
    record = {col: values.get(col) for col in spec.names}
    row = split_a1(FIELDS["评估专家"])[0] + 1
    record["_row"] = row
    frame = pd.DataFrame([record], columns=[*spec.names, "_row"]).astype("object")
    frame["_row"] = frame["_row"].astype("int64")
    columns = {col: split_a1(a1)[1] for col, a1 in cells.items()}
    source = ScoresheetSource(wp.shown, name, spec.kind, HEADER_ROW, columns, [], 1, cells)
    return [SheetData(source, frame)], []
