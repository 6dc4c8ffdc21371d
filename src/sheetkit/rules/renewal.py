"""Renewal rules (`renewal.*`) from the 续期评分 sheet (附件4 score sheets, one row per
evaluator): item ranges, panel size, 综合得分, 不合格项, and projects not assessed.

`outcomes(ctx)` computes each scored institution's renewal once and keeps it in
``ctx.cache["renewal"][uscc]``; the assessment surfaces it as ``institutions[].renewal``:
score (the mean of the evaluators' totals, shown with 2 decimals cut, never rounded), result
合格/不合格, the panel size, renewed and dropped projects, each expert's total, the 不合格项
marked, and the renewal period.

The pass decision compares the exact mean (a fraction of the totals as written) with the
pass mark: 60, 60 and 59.99 average 59.9967, shown 59.99, 不合格 (附件6 备注1: 60 分以下的为
不合格). Cutting instead of rounding means a shown score never crosses the pass mark.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd

from sheetkit.periods import filing_period
from sheetkit.register.model import SCORE_MAXIMA, USCC_COL, VETO_ITEMS
from sheetkit.rules.common import ADDED, DELETED, day, institutions
from sheetkit.rules.findings import at_institution, at_row
from sheetkit.rules.registry import rule

ITEMS = [str(i) for i in range(1, len(SCORE_MAXIMA) + 1)]
VETO_PREFIX = "不合格项"
VETOES = [f"{VETO_PREFIX}{i}" for i in range(1, VETO_ITEMS + 1)]
PASS, FAIL = "合格", "不合格"


def exact(x: float) -> Fraction:
    """A score as the decimal it was written as (59.99, not the binary 59.98999…)."""
    return Fraction(repr(round(float(x), 6)))


def two_decimals(x) -> float:
    """Cut (not round) to 2 decimals: 59.9967 → 59.99, 72.125 → 72.12."""
    return math.floor(Fraction(x) * 100) / 100


def _scores(ctx) -> pd.DataFrame:
    """Score rows of known institutions with ``_total`` (items held to 0 … maximum, blanks 0)."""
    if "scores" not in ctx.cache:
        data = ctx.table("续期评分").data
        data = data[data[USCC_COL].isin(institutions(ctx).index)].copy()
        items = data[ITEMS].astype("float64")
        held = items.clip(lower=0, upper=pd.Series(SCORE_MAXIMA, index=ITEMS, dtype="float64"), axis=1).fillna(0)
        data["_total"] = held.sum(axis=1).round(6)
        ctx.cache["scores"] = data
    return ctx.cache["scores"]


def _renewal_projects(ctx, codes) -> pd.DataFrame:
    """Projects filed in the current period (not 删除, not 新增) of ``codes``; blank 考核人次 = 0."""
    data = ctx.table("考核项目").data
    rows = data[data[USCC_COL].isin(codes) & data["考核项目"].notna() & ~data["变更"].isin((DELETED, ADDED))].copy()
    rows["_done"] = rows["考核人次"].astype("Float64").fillna(0)
    return rows


def outcomes(ctx) -> dict[str, dict]:
    """Every scored institution's renewal (see module docstring), computed once."""
    if "renewal" in ctx.cache:
        return ctx.cache["renewal"]
    pass_score = Fraction(str(ctx.profile.param("renewal.score", "pass_score")))
    least, most = ctx.profile.param("renewal.panel-size", "min"), ctx.profile.param("renewal.panel-size", "max")
    scores = _scores(ctx)
    inst = institutions(ctx)
    codes = scores[USCC_COL].unique()
    projects = _renewal_projects(ctx, codes)
    by_code = {c: g for c, g in projects.groupby(USCC_COL, sort=False)}
    marked = scores[VETOES].eq(True).fillna(False).astype(bool)
    out: dict[str, dict] = {}
    for code, rows in scores.groupby(USCC_COL, sort=False):
        mean = sum(exact(t) for t in rows["_total"]) / len(rows)
        vetoes = sorted(int(c[len(VETO_PREFIX):]) for c in VETOES if marked.loc[rows.index, c].any())
        proj = by_code.get(code, projects.iloc[0:0])
        renewed = proj.loc[proj["_done"] > 0, "考核项目"].tolist()
        dropped = proj.loc[proj["_done"] <= 0, "考核项目"].tolist()
        start = day(inst.at[code, "start"])
        period = filing_period(start, ctx.profile.filing_years).next(ctx.profile.filing_years) if start else None
        panel_ok = least <= len(rows) <= most
        ok = mean >= pass_score and not vetoes and bool(renewed) and panel_ok
        out[code] = {
            "score": two_decimals(mean),
            "passed": mean >= pass_score,
            "result": PASS if ok else FAIL,
            "panel": len(rows),
            "panel_ok": panel_ok,
            "renewed": renewed,
            "dropped": dropped,
            "experts": [{"name": name, "total": two_decimals(exact(total)),
                         "date": d.isoformat() if (d := day(when)) else None}
                        for name, total, when in zip(rows["评估专家"], rows["_total"], rows["评估日期"])],
            "vetoes": vetoes,
            "period": period.to_dict() if period else None,
        }
    ctx.cache["renewal"] = out
    return out


@rule("renewal.score-range", "error", "评分超出该项分值范围", "item score out of range")
def score_range(ctx):
    """An item score below 0 or above its maximum in 附件4."""
    table = ctx.table("续期评分")
    scores = _scores(ctx)
    items = scores[ITEMS].astype("float64")
    maxima = pd.Series(SCORE_MAXIMA, index=ITEMS, dtype="float64")
    bad = (items < 0) | items.gt(maxima, axis=1)
    cells = bad.stack()
    for index, item in cells[cells].index:
        value = float(items.at[index, item])
        top = SCORE_MAXIMA[int(item) - 1]
        yield at_row(ctx, table, index, item, f"第{item}项评分{value:g}分超出范围，应在0至{top:g}分之间",
                          value=value, message_en=f"item {item} scored {value:g}, allowed 0 to {top:g}")


@rule("renewal.panel-size", "error", "续期评估专家人数不在3—5人之间", "evaluator panel size out of range",
      params={"min": 3, "max": 5})
def panel_size(ctx, *, min, max):  # noqa: A002  (the profile's names)
    """Fewer than ``min`` or more than ``max`` evaluators for an institution."""
    least, most = min, max
    counts = _scores(ctx)[USCC_COL].value_counts(sort=False)
    for code in counts.index[(counts < least) | (counts > most)]:
        n = int(counts[code])
        yield at_institution(ctx, code, f"续期评估专家{n}人，评估组应由{least}至{most}名专家组成",
                                  value=n, message_en=f"{n} evaluators, {least} to {most} required")


@rule("renewal.score", "violation", "续期评估综合得分低于合格线", "renewal score below the pass mark",
      params={"pass_score": 60})
def score(ctx, *, pass_score):
    """综合得分 (the exact mean of the evaluators' totals) below ``pass_score``."""
    for code, r in outcomes(ctx).items():
        if not r["passed"]:
            totals = "、".join(f"{e['total']:g}" for e in r["experts"])
            yield at_institution(ctx, code,
                                      f"续期评估综合得分{r['score']:.2f}分（{len(r['experts'])}位专家评分{totals}的平均分），"
                                      f"低于合格线{pass_score:g}分", value=r["score"],
                                      message_en=f"renewal score {r['score']:.2f} is below the pass mark {pass_score:g}")


@rule("renewal.veto", "violation", "存在续期评估不合格项", "a disqualifying item is marked")
def veto(ctx):
    """An evaluator marks a 不合格项 是: the renewal fails whatever the score."""
    table = ctx.table("续期评分")
    scores = _scores(ctx)
    marked = scores[VETOES].eq(True).fillna(False).astype(bool).stack()
    for index, column in marked[marked].index:
        yield at_row(ctx, table, index, column,
                          f"评估专家{scores.at[index, '评估专家']}认定存在{column}（附件4），续期评估不合格",
                          value=table.raw_value(index, column),
                          message_en=f"evaluator marks disqualifying item {column[len(VETO_PREFIX):]}: the renewal fails")


@rule("renewal.no-assessment", "warning", "备案期内未开展考核的项目不予续期", "project not assessed in the period")
def no_assessment(ctx):
    """A filed project with 考核人次 = 0 (blank counts as 0) is not renewed (at its 考核项目
    row); when no project was assessed at all, `renewal.nothing-assessed` fails the renewal."""
    results = outcomes(ctx)
    table = ctx.table("考核项目")
    projects = _renewal_projects(ctx, list(results))
    for index in projects.index[projects["_done"] <= 0]:
        yield at_row(ctx, table, index, "考核人次",
                          f"考核项目“{projects.at[index, '考核项目']}”本备案期内考核人次为0，不予续期",
                          message_en="project not assessed in the period: it is not renewed")


@rule("renewal.nothing-assessed", "violation", "备案期内所有考核项目均未开展考核，不予续期",
      "no project assessed in the period: no renewal")
def nothing_assessed(ctx):
    """No filed project was assessed in the period (附件4 不合格项9): the renewal fails."""
    for code, r in outcomes(ctx).items():
        if not r["renewed"]:
            yield at_institution(ctx, code, "本备案期内所有考核项目均未开展考核（附件4 不合格项9），不予续期",
                                 message_en="no project was assessed in the filing period: no renewal")
