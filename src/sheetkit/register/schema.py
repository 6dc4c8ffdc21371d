"""Column-level schemas generated from the register model: declared once (`Schema`, which
`Schema.to_pandera` turns into the equivalent pandera ``DataFrameSchema``) and checked
with one vectorised pass per check (`failures`): (check kind, column, DataFrame index)
for every failing cell, which the rules turn into Findings with Excel rows. pandera's own
lazy validation gives the same failures (`pandera_failures`, tested) at several times the
cost, plus a second to import it; the naive bench uses it.

Column-level work lives here: required cells (also conditionally required ones, e.g.
劳动合同起始 for 专职), enumerations and value ranges. Type errors come from the
normalisers (`Table.invalid`), which are the coercion step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np
import pandas as pd

from sheetkit.register.model import CITY, ENUM, INTEGER, NUMBER, SCORES, Column, SheetSpec

if TYPE_CHECKING:  # pandera takes a second to import: only when a schema is built
    import pandera.pandas as pa

REQUIRED = "required"
ENUM_CHECK = "enum"
RANGE = "range"


def _enum_values(col: Column, cities: tuple[str, ...]) -> tuple[str, ...]:
    return cities if col.type == CITY else col.values


def _required_when(col: Column):
    other, values = col.when

    def fn(df: pd.DataFrame) -> pd.Series:
        applies = df[other].isin(values)
        return ~applies | df[col.name].notna()

    return fn


def _enum_check(allowed: frozenset):
    return lambda s: s.isin(allowed) | s.isna()


def _min_check(lo: float):
    return lambda s: (s.astype(float) >= lo) | s.isna()


def _max_check(hi: float):
    return lambda s: (s.astype(float) <= hi) | s.isna()


@dataclass(frozen=True)
class ColumnRules:
    """What one column must satisfy: filled (``nullable`` False) and each of ``checks``,
    (check kind, function of the column → True where the cell passes)."""

    name: str
    nullable: bool
    checks: tuple[tuple[str, Callable], ...] = ()


@dataclass(frozen=True)
class Schema:
    """The column-level rules of one sheet kind under a profile: what a pandera
    ``DataFrameSchema`` would declare (`to_pandera` builds it), checked here with one
    vectorised pass per check (`failures`). ``frame_checks`` are (column, function of the
    frame → True where the row passes): the conditionally required cells."""

    kind: str
    columns: tuple[ColumnRules, ...]
    frame_checks: tuple[tuple[str, Callable], ...] = ()

    def to_pandera(self) -> "pa.DataFrameSchema":
        """The same rules as a pandera schema (pandera takes a second to import, and its
        lazy validation several times what `failures` takes: used by the naive bench and
        by the test that checks `failures` gives what pandera gives)."""
        import pandera.pandas as pa

        columns = {c.name: pa.Column(nullable=c.nullable, required=False, name=c.name,
                                     checks=[pa.Check(fn, name=kind, ignore_na=False) for kind, fn in c.checks])
                   for c in self.columns}
        checks = [pa.Check(fn, name=f"{REQUIRED}:{name}", ignore_na=False) for name, fn in self.frame_checks]
        return pa.DataFrameSchema(columns, checks=checks, strict=False, coerce=False, name=self.kind)


def build_schema(spec: SheetSpec, enabled: frozenset[str], cities: tuple[str, ...]) -> Schema:
    """The schema of one sheet kind under a profile (its enabled rules and cities).

    Every check says itself what a blank cell gives (a blank passes an enumeration or a
    range; only ``nullable`` and the frame checks fail blanks)."""
    columns: list[ColumnRules] = []
    frame_checks: list[tuple[str, Callable]] = []
    for col in spec.columns:
        checks: list[tuple[str, Callable]] = []
        required = col.is_required(enabled)
        nullable = not (required and col.when is None)
        if required and col.when is not None:
            frame_checks.append((col.name, _required_when(col)))
        values = _enum_values(col, cities)
        if col.type in (ENUM, CITY) and values:
            checks.append((ENUM_CHECK, _enum_check(frozenset(values))))
        if col.type in (NUMBER, INTEGER) and spec is not SCORES:
            if col.min is not None:
                checks.append((RANGE, _min_check(col.min)))
            if col.max is not None:
                checks.append((RANGE, _max_check(col.max)))
        columns.append(ColumnRules(col.name, nullable, tuple(checks)))
    return Schema(spec.kind, tuple(columns), tuple(frame_checks))


def failures(schema: Schema, data: pd.DataFrame) -> list[tuple[str, str, object]]:
    """(check kind, column, index) for every failing cell: the blank cells of columns
    that must be filled, then each column's failing checks, then the rows failing a frame
    check, each once, in index order. The same set pandera's lazy validation of
    `Schema.to_pandera` reports (tests/register/test_schema.py checks it); a check that
    cannot run on a column (pandera reports no row for it) reports nothing."""
    out: dict[tuple[str, str, object], None] = {}
    index = data.index
    for col in schema.columns:
        if col.name not in data.columns:
            continue  # required=False: a column absent from the frame is not checked here
        values = data[col.name]
        if not col.nullable:
            for i in _failing(values.isna().to_numpy(dtype=bool), index):
                out[(REQUIRED, col.name, i)] = None
        for kind, fn in col.checks:
            passed = _run(fn, values)
            if passed is not None:
                for i in _failing(~passed, index):
                    out[(kind, col.name, i)] = None
    for name, fn in schema.frame_checks:
        passed = _run(fn, data)
        if passed is not None:
            for i in _failing(~passed, index):
                out[(REQUIRED, name, i)] = None
    return list(out)


def _run(fn, arg) -> np.ndarray | None:
    try:
        result = fn(arg)
    except Exception:  # pandera reports such a check without a row: nothing to point at
        return None
    if isinstance(result, pd.Series):
        return result.fillna(False).to_numpy(dtype=bool) if result.hasnans else result.to_numpy(dtype=bool)
    return np.asarray(result, dtype=bool)


def _failing(mask: np.ndarray, index: pd.Index) -> list:
    return index[mask].tolist() if mask.any() else []


def pandera_failures(schema: "pa.DataFrameSchema", data: pd.DataFrame) -> list[tuple[str, str, object]]:
    """`failures` the pandera way (lazy validation, then its ``failure_cases``): the
    reference `failures` is tested against, and the naive bench's checking."""
    import pandera.pandas as pa

    try:
        schema.validate(data, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    out: dict[tuple[str, str, object], None] = {}  # a frame-wide check fails once per column: keep one
    for check, column, index in zip(cases["check"], cases["column"], cases["index"]):
        if index is None or (isinstance(index, float) and pd.isna(index)):
            continue
        check = str(check)
        if check.startswith(f"{REQUIRED}:"):
            out[(REQUIRED, check.split(":", 1)[1], index)] = None
        elif check == "not_nullable":
            out[(REQUIRED, str(column), index)] = None
        elif check in (ENUM_CHECK, RANGE):
            out[(check, str(column), index)] = None
    return list(out)
