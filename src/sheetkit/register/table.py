"""A register table: one kind of sheet from every file, raw and normalised."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sheetkit.register import normalise as nz
from sheetkit.register.model import (
    CITY, DATE, ENUM, INTEGER, LIST, NUMBER, RESIDENT, USCC, YESNO, SheetSpec,
)
from sheetkit.register.reader import SheetSource


@dataclass
class Table:
    """All rows of one sheet kind. ``raw`` holds the values as typed in the workbook,
    ``data`` the normalised ones; both carry ``_src`` (index into ``sources``) and
    ``_row`` (1-based Excel row). ``invalid[col]`` marks cells that could not be read as
    the column's type; ``as_number[col]`` marks identifiers stored as numbers."""

    spec: SheetSpec
    sources: list[SheetSource]
    raw: pd.DataFrame
    data: pd.DataFrame
    invalid: dict[str, pd.Series] = field(default_factory=dict)
    as_number: dict[str, pd.Series] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.spec.kind

    def __len__(self) -> int:
        return len(self.data)

    @property
    def empty(self) -> bool:
        return self.data.empty

    def location(self, index, column: str | None = None) -> dict:
        """Finding fields (path, sheet, row, column, cell) of row ``index`` of ``data``."""
        src_no, row = self._rows()[index]
        src = self.sources[src_no]
        column_cell = src.cell(column, row) if column is not None and column in src.columns else None
        return {"path": src.path, "sheet": src.sheet, "row": src.row_of(column, row), "column": column,
                "cell": column_cell}

    def _rows(self) -> dict:
        """Row index → (source number, Excel row), built once per ``data`` frame: a pandas
        lookup per finding costs more than the check that found it."""
        cached = self.__dict__.get("_rows_of")
        if cached is None or cached[0] is not self.data:
            data = self.data
            cached = (data, dict(zip(data.index.tolist(),
                                     zip(data["_src"].astype("int64").tolist(), data["_row"].astype("int64").tolist()))))
            self.__dict__["_rows_of"] = cached
        return cached[1]

    def locations(self, indices, column: str | None = None) -> list[dict]:
        """`location` of many rows at once (a vectorised lookup, for sheets of a million rows)."""
        pos = self.data.index.get_indexer(list(indices))
        srcs = self.data["_src"].to_numpy()[pos].tolist()
        rows = self.data["_row"].to_numpy()[pos].tolist()
        out = []
        for s, row in zip(srcs, rows):
            src = self.sources[int(s)]
            cell = src.cell(column, row) if column is not None and column in src.columns else None
            out.append({"path": src.path, "sheet": src.sheet, "row": src.row_of(column, int(row)), "column": column,
                        "cell": cell})
        return out

    def values(self, indices, column: str, raw: bool = False) -> list:
        """Values of ``column`` at many rows (``raw``: as typed; blanks as None)."""
        frame = self.raw if raw else self.data
        if column not in frame.columns:
            return [None] * len(indices)
        pos = frame.index.get_indexer(list(indices))
        out = frame[column].iloc[pos].to_numpy(dtype=object).tolist()
        return [None if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v) else v
                for v in out]

    def raw_value(self, index, column: str):
        v = self.raw.at[index, column] if column in self.raw.columns else None
        return None if v is None or (isinstance(v, float) and v != v) else v

    @property
    def own_sources(self) -> list[SheetSource]:
        """The sheets this table was read from."""
        return [s for s in self.sources if s.kind == self.kind]

    def has_column(self, column: str) -> bool:
        """True if at least one source sheet of this kind has the column."""
        return any(column in s.columns for s in self.own_sources)

    def sources_missing(self, column: str) -> list[SheetSource]:
        return [s for s in self.own_sources if column not in s.columns]


def build_table(spec: SheetSpec, sources: list[SheetSource], frames: list[pd.DataFrame],
                cities: dict[str, str] | None = None) -> Table:
    """Concatenate one kind's frames (each with `_src`, `_row`) and normalise every column."""
    cols = [*spec.names, "_src", "_row"]
    if frames:
        raw = pd.concat([f.reindex(columns=cols) for f in frames], ignore_index=True)
    else:
        raw = pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    raw["_src"] = raw["_src"].astype("int64")
    raw["_row"] = raw["_row"].astype("int64")
    columns: dict[str, pd.Series] = {}
    invalid: dict[str, pd.Series] = {}
    as_number: dict[str, pd.Series] = {}
    for col in spec.columns:
        values = raw[col.name]
        if values.dtype != object:
            values = values.astype("object")
        name = col.name
        if col.type in (USCC, RESIDENT):
            columns[name], as_number[name] = nz.normalise_identifier(values)
        elif col.type == DATE:
            columns[name], invalid[name] = nz.normalise_date(values)
        elif col.type in (NUMBER, INTEGER):
            columns[name], invalid[name] = nz.normalise_number(values, integer=col.type == INTEGER)
        elif col.type == YESNO:
            columns[name], invalid[name] = nz.normalise_yesno(values)
        elif col.type == ENUM:
            columns[name] = nz.normalise_enum(values, col.synonyms)
        elif col.type == CITY:
            columns[name] = nz.normalise_enum(values, cities or {})
        elif col.type == LIST:
            columns[name] = nz.normalise_list(values)
        elif spec.kind == "项目目录" or name == "考核项目":
            columns[name] = nz.normalise_key_text(values)
        else:
            columns[name] = nz.normalise_text(values)
    columns["_src"] = raw["_src"]
    columns["_row"] = raw["_row"]
    data = pd.DataFrame(columns, index=raw.index, copy=False)
    return Table(spec, sources, raw, data, invalid, as_number)
