"""Filing rules (`filing.*`), for 已备案 institutions only: a filing period that ended
before ``--as-of`` with no renewal scores (视为自愿撤销), and one that ends soon.

The period is `periods.filing_period(备案起始)`: from 2025-03-xx it runs to 2028-02-28."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sheetkit.register.model import STATUS_FILED, USCC_COL
from sheetkit.rules.common import day, institution_finding, institutions
from sheetkit.rules.registry import check


def _periods(ctx) -> pd.DataFrame:
    """已备案 institutions with a 备案起始: ``end`` (last day of the period) and its text."""
    if "periods" not in ctx.cache:
        inst = institutions(ctx)
        filed = inst[inst["status"].eq(STATUS_FILED) & inst["start"].notna()].copy()
        months = filed["start"].dt.to_period("M") + 12 * ctx.profile.filing_years
        filed["end"] = months.dt.to_timestamp() - pd.Timedelta(days=1)
        ctx.cache["periods"] = filed
    return ctx.cache["periods"]


def _text(start, end) -> str:
    return f"自{start.year}年{start.month}月至{end.year}年{end.month}月"


@check("filing.expired")
def expired(ctx):
    """A filing period that ended before ``--as-of`` with no 续期评分 rows."""
    filed = _periods(ctx)
    scored = set(ctx.table("续期评分").data[USCC_COL].dropna())
    over = filed[(filed["end"] < pd.Timestamp(ctx.as_of)) & ~filed.index.isin(scored)]
    for code, start, end in zip(over.index, over["start"], over["end"]):
        yield institution_finding(ctx, code,
                                  f"备案期{_text(start, end)}已于{day(end)}届满，未申请续期（无续期评分），视为自愿撤销",
                                  value=day(end), message_en=f"filing period ended {day(end)} without renewal: "
                                                             "treated as voluntary withdrawal")


@check("filing.due")
def due(ctx):
    """A filing period ending within ``--due-within`` days of ``--as-of``."""
    filed = _periods(ctx)
    today = pd.Timestamp(ctx.as_of)
    limit = today + pd.Timedelta(days=int(ctx.due_within))
    soon = filed[(filed["end"] >= today) & (filed["end"] <= limit)]
    for code, start, end in zip(soon.index, soon["start"], soon["end"]):
        left = (day(end) - ctx.as_of).days if isinstance(ctx.as_of, dt.date) else None
        yield institution_finding(ctx, code,
                                  f"备案期{_text(start, end)}将于{day(end)}届满（还有{left}天），请及时申请续期",
                                  value=day(end), message_en=f"filing period ends {day(end)} ({left} days left)")
