"""pandera schemas generated from the register model, and the adapter that turns
pandera's ``failure_cases`` (DataFrame index) into Findings with Excel rows.

Column-level work lives here: required cells (also conditionally required ones, e.g.
劳动合同起始 for 专职), enumerations and value ranges. Type errors come from the
normalisers (`Table.invalid`), which are the coercion step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def build_schema(spec: SheetSpec, enabled: frozenset[str], cities: tuple[str, ...]) -> "pa.DataFrameSchema":
    """The pandera schema of one sheet kind under a profile (its enabled rules and cities).

    Every check says itself what a blank cell gives (``ignore_na=False``): left to
    pandera, a frame-wide check makes it test every cell of the frame for NA."""
    import pandera.pandas as pa

    columns: dict[str, pa.Column] = {}
    frame_checks: list[pa.Check] = []
    for col in spec.columns:
        checks = []
        required = col.is_required(enabled)
        nullable = not (required and col.when is None)
        if required and col.when is not None:
            frame_checks.append(pa.Check(_required_when(col), name=f"{REQUIRED}:{col.name}", ignore_na=False))
        values = _enum_values(col, cities)
        if col.type in (ENUM, CITY) and values:
            allowed = frozenset(values)
            checks.append(pa.Check(lambda s, allowed=allowed: s.isin(allowed) | s.isna(), name=ENUM_CHECK,
                                   ignore_na=False))
        if col.type in (NUMBER, INTEGER) and spec is not SCORES:
            if col.min is not None:
                checks.append(pa.Check(lambda s, lo=col.min: (s.astype(float) >= lo) | s.isna(), name=RANGE,
                                       ignore_na=False))
            if col.max is not None:
                checks.append(pa.Check(lambda s, hi=col.max: (s.astype(float) <= hi) | s.isna(), name=RANGE,
                                       ignore_na=False))
        columns[col.name] = pa.Column(nullable=nullable, checks=checks, required=False, name=col.name)
    return pa.DataFrameSchema(columns, checks=frame_checks, strict=False, coerce=False, name=spec.kind)


def failures(schema: "pa.DataFrameSchema", data: pd.DataFrame) -> list[tuple[str, str, object]]:
    """(check kind, column, index) for every failing cell, via pandera lazy validation."""
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
