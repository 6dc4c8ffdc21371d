"""Venue rules (`venue.*`): an office and an assessment venue, deeds for owned premises,
leases that cover the filing period, and cameras in assessment venues.

A lease is measured from the start of the period the institution is judged for
(`rules.common.institutions`): an applicant's 备案起始 (``--as-of`` when blank), a renewal's
new period, a filed institution's current 备案起始; years are calendar years
(`periods.lease_covers`, docs/rules.md).
"""

from __future__ import annotations

import pandas as pd

from sheetkit.periods import lease_covers, lease_required_end
from sheetkit.register.model import USCC_COL
from sheetkit.rules.common import active_codes, day, institutions, rows_of_active
from sheetkit.rules.findings import at_institution, at_row
from sheetkit.rules.registry import rule

OFFICE, EXAM, BOTH = "办公", "考核", "办公及考核"


@rule("venue.missing", "violation", "缺少办公场所或考核场所", "office or assessment venue missing")
def missing(ctx):
    """No 办公 venue, or no 考核 venue (办公及考核 counts for both)."""
    venues = rows_of_active(ctx, "场地")
    codes = active_codes(ctx)
    has_office = codes.isin(venues.loc[venues["场地用途"].isin((OFFICE, BOTH)), USCC_COL])
    has_exam = codes.isin(venues.loc[venues["场地用途"].isin((EXAM, BOTH)), USCC_COL])
    for uscc, office, exam in zip(codes, has_office, has_exam):
        lacking = [name for name, ok in (("办公场所", office), ("考核场地", exam)) if not ok]
        if lacking:
            yield at_institution(ctx, uscc, f"场地表中没有{'和'.join(lacking)}（场地用途为“{'”或“'.join(_uses(lacking))}”的场地）",
                                      message_en="no " + " and no ".join(
                                          "office" if n == "办公场所" else "assessment venue" for n in lacking))


def _uses(lacking):
    out = []
    if "办公场所" in lacking:
        out.append(OFFICE)
    if "考核场地" in lacking:
        out.append(EXAM)
    return [*out, BOTH]


@rule("venue.deed", "error", "自有场地缺少不动产权证号", "owned venue without deed number")
def deed(ctx):
    """An owned (自有) venue without 不动产权证号."""
    table = ctx.table("场地")
    venues = rows_of_active(ctx, "场地")
    for index in venues.index[venues["产权类型"].eq("自有") & venues["不动产权证号"].isna()]:
        yield at_row(ctx, table, index, "不动产权证号", "自有场地未填写不动产权证号",
                          message_en="owned venue without a property deed number")


def _leases(ctx):
    """Leased venues of active institutions with the date the lease is measured from."""
    venues = rows_of_active(ctx, "场地")
    leased = venues[venues["产权类型"].eq("租赁")].copy()
    inst = institutions(ctx)
    codes = leased[USCC_COL].to_numpy()
    leased["filing_start"] = pd.to_datetime(pd.Series(inst["judged_start"].reindex(codes).to_numpy(),
                                                      index=leased.index))
    leased["judged"] = inst["judged"].reindex(codes).to_numpy()
    return leased[leased["filing_start"].notna()]


@rule("venue.lease-term", "violation", "租赁场地租期不足3年", "lease too short", params={"min_years": 3})
def lease_term(ctx, *, min_years):
    """A lease ending before the judged period's start + ``min_years`` calendar years − 1 day."""
    years = min_years
    table = ctx.table("场地")
    leased = _leases(ctx)
    leased = leased[leased["租赁终止"].notna()]
    short = [not lease_covers(s.date(), e.date(), years) for s, e in zip(leased["filing_start"], leased["租赁终止"])]
    for index in leased.index[short]:
        start, end = day(leased.at[index, "filing_start"]), day(leased.at[index, "租赁终止"])
        need = lease_required_end(start, years)
        yield at_row(ctx, table, index, "租赁终止",
                          f"租赁终止日期为{end}，租期不足：{leased.at[index, 'judged']}自{start}起须租赁满{years}年，"
                          f"即至少至{need}",
                          value=end, message_en=f"lease ends {end}; from filing start {start} it must run to {need} or later")


@rule("venue.lease-start", "violation", "租赁起始晚于备案起始", "lease starts after filing")
def lease_start(ctx):
    """A lease that starts after 备案起始."""
    table = ctx.table("场地")
    leased = _leases(ctx)
    late = leased["租赁起始"].notna() & (leased["租赁起始"] > leased["filing_start"])
    for index in leased.index[late]:
        start, lease = day(leased.at[index, "filing_start"]), day(leased.at[index, "租赁起始"])
        yield at_row(ctx, table, index, "租赁起始",
                     f"租赁起始日期{lease}晚于{leased.at[index, 'judged']}的起始日{start}，备案期内场地无租赁保障",
                          value=lease, message_en=f"lease starts {lease}, after the filing start {start}")


@rule("venue.cctv", "violation", "考核场地电子监控未全覆盖", "assessment venue lacks full CCTV")
def cctv(ctx):
    """A 考核 venue whose cameras do not cover every work station and the whole floor."""
    table = ctx.table("场地")
    venues = rows_of_active(ctx, "场地")
    uncovered = venues["场地用途"].isin((EXAM, BOTH)) & venues["监控全覆盖"].eq(False).fillna(False).astype(bool)
    for index in venues.index[uncovered]:
        yield at_row(ctx, table, index, "监控全覆盖", "考核场地电子监控未全覆盖（须覆盖每个工位及整个考核场地）",
                          value=table.raw_value(index, "监控全覆盖"),
                          message_en="assessment venue without full CCTV coverage")
