"""Filing rules (`filing.*`): a 已备案 filing period that ended before ``--as-of`` without a
合格 renewal (视为自愿撤销: it blocks every document but 撤销), one that ends soon, and an
applicant whose 备案起始 lies so far back that its receipt would grant a period already
under way.

The period is `periods.filing_period(备案起始)`: from 2025-03-xx it runs to 2028-02 (its
last day 2028-02-29)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sheetkit.periods import filing_period
from sheetkit.register.model import STATUS_APPLYING, STATUS_FILED
from sheetkit.rules.common import day, institutions
from sheetkit.rules.findings import at_institution, at_row
from sheetkit.rules.registry import rule
from sheetkit.rules.renewal import outcomes


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


@rule("filing.expired", "violation", "备案期满未经续期合格，备案失效（未申请续期的视为自愿撤销）",
      "filing expired without a passed renewal")
def expired(ctx):
    """A filing period that ended before ``--as-of`` without a 合格 renewal."""
    filed = _periods(ctx)
    passed = {code for code, r in outcomes(ctx).items() if r["result"] == "合格"} if filed["renewing"].any() else set()
    over = filed[(filed["end"] < pd.Timestamp(ctx.as_of)) & ~filed.index.isin(passed)]
    for code, start, end, renewing in zip(over.index, over["start"], over["end"], over["renewing"]):
        why = "续期评估不合格，不予续期" if renewing else "未申请续期（无续期评分），视为自愿撤销"
        yield at_institution(ctx, code, f"备案期{_text(start, end)}已于{day(end)}届满，{why}；"
                                             "不再出具范围调整或续期回执",
                                  value=day(end), message_en=f"filing period ended {day(end)} without a passed "
                                                             "renewal: the filing has lapsed")


@rule("filing.start-past", "violation", "申请机构的备案起始早于检查日期一个月以上", "applicant's filing start long past",
      params={"max_months": 1})
def start_past(ctx, *, max_months):
    """An applicant whose 备案起始 is more than ``max_months`` months before ``--as-of``: its
    receipt would grant a period already under way (or over)."""
    months = max_months
    inst = institutions(ctx)
    table = ctx.table("机构")
    earliest = pd.Timestamp(ctx.as_of) - pd.DateOffset(months=months)
    late = inst[inst["status"].eq(STATUS_APPLYING) & inst["start"].notna() & (inst["start"] < earliest)]
    for code, index, start in zip(late.index, late["index"], late["start"]):
        period = filing_period(day(start), ctx.profile.filing_years)
        yield at_row(ctx, table, index, "备案起始",
                     f"备案起始{day(start)}早于检查日期{ctx.as_of}一个月以上，回执将载明的备案期{period.zh()}"
                     f"已{'全部' if period.last_day < ctx.as_of else '部分'}过去；请核实备案起始（拟备案日期）",
                     value=day(start), message_en=f"filing start {day(start)} is more than {months} month(s) "
                                                  f"before {ctx.as_of}: the receipt's period is already under way")


@rule("filing.due", "info", "备案即将到期", "filing period ends soon")
def due(ctx):
    """A filing period ending within ``--due-within`` days of ``--as-of``."""
    filed = _periods(ctx)
    today = pd.Timestamp(ctx.as_of)
    limit = today + pd.Timedelta(days=int(ctx.due_within))
    soon = filed[(filed["end"] >= today) & (filed["end"] <= limit)]
    for code, start, end in zip(soon.index, soon["start"], soon["end"]):
        left = (day(end) - ctx.as_of).days if isinstance(ctx.as_of, dt.date) else None
        yield at_institution(ctx, code,
                                  f"备案期{_text(start, end)}将于{day(end)}届满（还有{left}天），请及时申请续期",
                                  value=day(end), message_en=f"filing period ends {day(end)} ({left} days left)")
