"""Frames shared by the rule families, computed once per run and kept in ``ctx.cache``.

Rules judge institutions that are 申请中 or 已备案; a 终止备案 institution's staff,
venues and projects are not held to the conditions any more (see docs/rules.md).
Rows naming an unknown credit code are left to `data.unknown-institution`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sheetkit.periods import filing_period
from sheetkit.register.model import STATUS_APPLYING, STATUS_FILED, USCC_COL

ACTIVE = (STATUS_APPLYING, STATUS_FILED)
DELETED = "删除"
ADDED = "新增"


def cached(ctx, key, build):
    """``build()`` once per run, kept in ``ctx.cache[key]``."""
    if key not in ctx.cache:
        ctx.cache[key] = build()
    return ctx.cache[key]


def institutions(ctx) -> pd.DataFrame:
    """One row per credit code (the first 机构 row), indexed by code, with ``index``
    (the row's index in the 机构 table), ``status``, ``city`` and ``start``: 备案起始, or
    ``--as-of`` for an applicant without one (NaT for a filed institution without one).

    And the period each institution is judged for (`judged_period`, docs/rules.md): an
    applicant for the filing its receipt grants, from 备案起始; a filed institution with
    renewal scores for the new period (the month after the current one ends); any other
    filed institution for its current period. ``judged_start`` is the day that period
    starts (a lease must cover three years from it), ``staff_day`` the day 专职 staff must
    still be under contract (that start, or ``--as-of`` when later), ``judged`` its text."""
    def build():
        data = ctx.table("机构").data
        first = data[data[USCC_COL].notna() & ~data[USCC_COL].duplicated()]
        out = pd.DataFrame({
            "index": first.index,
            "status": first["备案状态"].to_numpy(),
            "city": first["所属市"].to_numpy(),
            "start": first["备案起始"].to_numpy(),
        }, index=pd.Index(first[USCC_COL].to_numpy(), name=USCC_COL))
        out["start"] = pd.to_datetime(out["start"])
        applying = out["status"].eq(STATUS_APPLYING) & out["start"].isna()
        out.loc[applying, "start"] = pd.Timestamp(ctx.as_of)
        out["renewing"] = out["status"].eq(STATUS_FILED) & out.index.isin(renewal_codes(ctx))
        judged = [judged_period(ctx, status, day(start), renewing)
                  for status, start, renewing in zip(out["status"], out["start"], out["renewing"])]
        out["judged_start"] = pd.to_datetime([j[0] if j else None for j in judged])
        out["judged"] = [j[1] if j else None for j in judged]
        as_of = pd.Timestamp(ctx.as_of)
        out["staff_day"] = out["judged_start"].where(out["judged_start"].isna() | (out["judged_start"] > as_of), as_of)
        return out
    return cached(ctx, "inst", build)


def renewal_codes(ctx) -> set:
    """Credit codes with 续期评分 rows, when the profile scores renewals (else none)."""
    if not ctx.enabled("renewal.score") or not ctx.register.has("续期评分"):
        return set()
    return set(ctx.table("续期评分").data[USCC_COL].dropna())


def judged_period(ctx, status, start: dt.date | None, renewing: bool):
    """(first day, text) of the period an institution is judged for, or None."""
    if start is None or status not in ACTIVE:
        return None
    years = ctx.profile.filing_years
    current = filing_period(start, years)
    if renewing:
        new = current.next(years)
        return new.start.first_day, f"续期后的备案期（{new.zh()}）"
    return start, f"备案期（{current.zh()}）"


def active_codes(ctx) -> pd.Index:
    inst = institutions(ctx)
    return inst.index[inst["status"].isin(ACTIVE)]


def rows_of_active(ctx, kind: str) -> pd.DataFrame:
    """Rows of ``kind`` that belong to a 申请中 or 已备案 institution."""
    def build():
        data = ctx.table(kind).data
        return data[data[USCC_COL].isin(active_codes(ctx))]
    return cached(ctx, f"active:{kind}", build)


def filed_projects(ctx) -> pd.DataFrame:
    """考核项目 rows of active institutions that are not marked 删除 and name a project."""
    def build():
        data = rows_of_active(ctx, "考核项目")
        return data[data["考核项目"].notna() & data["变更"].ne(DELETED)]
    return cached(ctx, "filed-projects", build)


def day(value) -> dt.date | None:
    """A Timestamp (or NaT) as a date."""
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def count(n: int) -> str:
    """`仅1名` / `没有` for a shortfall sentence."""
    return f"仅{n}名" if n else "0名"


def joined(values) -> str:
    return "、".join(str(v) for v in values)
