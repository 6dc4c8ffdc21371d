"""Procedure dates checked on the holiday calendar: the evaluation plan filed at least
``min_workdays`` working days before the evaluation (甘人社通〔2022〕110号 五(二):
「制定评估方案，于评估前10个工作日，报省鉴定中心备案审核」).

Working days come from `sheetkit.workdays` (chinesecalendar). A year the installed
calendar has no holidays for is not guessed: one warning names the year and says to
upgrade chinesecalendar, and those institutions are not judged.
"""

from __future__ import annotations

import pandas as pd

from sheetkit.errors import CalendarError
from sheetkit.register.model import USCC_COL
from sheetkit.rules.common import ACTIVE
from sheetkit.rules.findings import about_register, at_row
from sheetkit.rules.registry import rule
from sheetkit.workdays import add_workdays, covered_years, library_version


@rule("filing.evaluation-plan", "warning", "评估方案报备晚于评估前规定的工作日数", "evaluation plan filed too late",
      params={"min_workdays": 10}, enabled=False)
def evaluation_plan(ctx, *, min_workdays):
    """评估方案报备日期 later than ``min_workdays`` working days before 评估日期 (the
    evaluation day not counted, as every count in `sheetkit calendar`). Checked where
    both dates are filled; blank dates and registers without the columns are not."""
    need = int(min_workdays)
    table = ctx.table("机构")
    data = table.data
    rows = data[data[USCC_COL].notna() & ~data[USCC_COL].duplicated() & data["备案状态"].isin(ACTIVE)
                & data["评估方案报备日期"].notna() & data["评估日期"].notna()]
    uncovered: set[int] = set()
    for index in rows.index:
        filed = pd.Timestamp(rows.at[index, "评估方案报备日期"]).date()
        evaluated = pd.Timestamp(rows.at[index, "评估日期"]).date()
        try:
            latest = add_workdays(evaluated, -need)
        except CalendarError:
            uncovered.add(evaluated.year)
            continue
        if filed > latest:
            yield at_row(ctx, table, index, "评估方案报备日期",
                         f"评估方案{filed.isoformat()}报备，评估日期{evaluated.isoformat()}：应于评估前{need}个工作日"
                         f"报备，即不晚于{latest.isoformat()}", value=filed,
                         message_en=f"evaluation plan filed {filed}, evaluation {evaluated}: due by {latest}")
    if uncovered:
        first, last = covered_years()
        years = "、".join(str(y) for y in sorted(uncovered))
        yield about_register(f"节假日日历没有 {years} 年的放假安排（chinesecalendar {library_version()} 收录 "
                      f"{first}—{last} 年），这些机构的评估方案报备时间未检查；国务院公布该年安排后请升级："
                      "pip install -U chinesecalendar",
                      message_en=f"holiday calendar lacks {years}: evaluation-plan dates not checked")
