"""The one way a rule check makes a finding.

- `at_row` — at one cell of a table, tied to the row's institution;
- `at_cells` — at many cells of one column at once (located in bulk);
- `at_institution` — about an institution as a whole, at its 机构 row;
- `about_register` — about the register or a file, not a row.

A check leaves the rule id, the severity and the clause empty: the engine stamps them
from the rule's declaration and the profile (`sheetkit.engine`). The reader's own
findings (`data.unreadable`, `data.formula` …) name their rule, as nothing runs them.
"""

from __future__ import annotations

from typing import Any, Callable

from sheetkit.register.model import USCC_COL
from sheetkit.report.model import Finding
from sheetkit.rules.common import cached, institutions


def _locator(ctx, kind: str):
    """Row index → (source, Excel row, credit code) as plain arrays, built once per table."""
    def build():
        data = ctx.table(kind).data
        codes = data[USCC_COL].to_numpy() if USCC_COL in data.columns else [None] * len(data)
        return dict(zip(data.index, zip(data["_src"].to_numpy(), data["_row"].to_numpy(), codes)))
    return cached(ctx, f"locator:{kind}", build)


def location(ctx, table, index, column: str | None) -> dict:
    """The same fields as ``Table.location`` (path, sheet, row, column, cell), fast enough
    for tens of thousands of findings."""
    src_no, row, _ = _locator(ctx, table.kind)[index]
    src = table.sources[int(src_no)]
    return {"path": src.path, "sheet": src.sheet, "row": src.row_of(column, int(row)), "column": column,
            "cell": src.cell(column, int(row))}


def at_row(ctx, table, index, column: str | None, message: str, *, value: Any = None,
           message_en: str | None = None, institution: str | None = None, clause: str | None = None) -> Finding:
    """A finding at one cell of ``table``, tied to the row's institution (or ``institution``)."""
    if institution is None:
        code = _locator(ctx, table.kind)[index][2]
        institution = code if isinstance(code, str) else None
    return Finding("", message, institution=institution, value=value, message_en=message_en, clause=clause,
                   **location(ctx, table, index, column))


def at_institution(ctx, uscc: str, message: str, *, value: Any = None, message_en: str | None = None) -> Finding:
    """A finding about an institution as a whole: points at its (first) row in 机构."""
    inst = institutions(ctx)
    loc = location(ctx, ctx.table("机构"), inst.at[uscc, "index"], USCC_COL) if uscc in inst.index else {}
    return Finding("", message, institution=uscc, value=value, message_en=message_en, **loc)


def at_cells(ctx, table, indices, column: str, message: Callable, details, message_en: Callable,
             with_value: bool = True):
    """Findings at many cells of one column at once: ``message(value, detail)`` and
    ``message_en(value, detail)`` build the texts from the normalised value and the
    matching entry of ``details``; the finding's value is the cell as typed (unless
    ``with_value`` is false). Rows are located in bulk (`Table.locations`)."""
    indices = list(indices)
    codes = table.values(indices, column)
    raws = table.values(indices, column, raw=True) if with_value else [None] * len(indices)
    owners = table.values(indices, USCC_COL) if USCC_COL in table.data.columns else [None] * len(indices)
    for loc, code, raw, owner, detail in zip(table.locations(indices, column), codes, raws, owners, details):
        yield Finding("", message(code, detail), institution=owner if isinstance(owner, str) else None,
                      value=raw, message_en=message_en(code, detail), **loc)


def about_register(message: str, *, message_en: str | None = None, **where) -> Finding:
    """A finding about the register or one of its files or sheets (``path``, ``sheet``,
    ``row``, ``column`` as far as known), not about a row's cell."""
    return Finding("", message, message_en=message_en, **where)


def row_ranges(rows: list[int]) -> str:
    """[3,4,5,9] → '3—5、9': the rows a finding stands for, in a message."""
    out, start, prev = [], None, None
    for r in sorted(rows):
        if start is None:
            start = prev = r
        elif r == prev + 1:
            prev = r
        else:
            out.append(f"{start}—{prev}" if prev > start else f"{start}")
            start = prev = r
    if start is not None:
        out.append(f"{start}—{prev}" if prev > start else f"{start}")
    return "、".join(out)
