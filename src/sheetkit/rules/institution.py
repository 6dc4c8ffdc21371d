"""Institution rules (`inst.*`): credit, an assessment department, experience, and the
机构代码 assigned at filing. Each finding points at the 机构 row and cell concerned."""

from __future__ import annotations

from sheetkit.register.model import STATUS_FILED, USCC_COL
from sheetkit.rules.common import ACTIVE, at_row, location
from sheetkit.rules.registry import check


def _institutions(ctx, *, active: bool = True):
    """机构 rows, one per credit code (repeats are `data.duplicate`), optionally active only."""
    data = ctx.table("机构").data
    rows = data[data[USCC_COL].notna() & ~data[USCC_COL].duplicated()]
    return rows[rows["备案状态"].isin(ACTIVE)] if active else rows


@check("inst.credit")
def credit(ctx):
    """信用状况 不良: the institution is not of good credit."""
    table = ctx.table("机构")
    rows = _institutions(ctx)
    for index in rows.index[rows["信用状况"].eq("不良")]:
        yield at_row(ctx, table, index, "信用状况", "信用状况为“不良”，不符合“信用良好”的备案条件",
                          value=table.raw_value(index, "信用状况"),
                          message_en="credit standing is 不良 (bad): good credit is required")


@check("inst.department")
def department(ctx):
    """No internal department dedicated to assessment."""
    table = ctx.table("机构")
    rows = _institutions(ctx)
    for index in rows.index[rows["独立考核部门"].eq(False).fillna(False).astype(bool)]:
        yield at_row(ctx, table, index, "独立考核部门", "没有独立负责考核工作的内设部门，不符合备案条件",
                          value=table.raw_value(index, "独立考核部门"),
                          message_en="no internal department dedicated to assessment")


@check("inst.experience")
def experience(ctx):
    """培训考核年限 below the profile's ``min_years``."""
    table = ctx.table("机构")
    least = ctx.param("min_years")
    rows = _institutions(ctx)
    years = rows["培训考核年限"].astype("Float64")
    for index in rows.index[(years < least).fillna(False).astype(bool)]:
        value = float(rows.at[index, "培训考核年限"])
        yield at_row(ctx, table, index, "培训考核年限",
                          f"培训考核年限为{value:g}年，应不少于{least:g}年", value=value,
                          message_en=f"{value:g} years of training/assessment experience, at least {least:g} required")


@check("inst.code")
def code(ctx):
    """已备案 without 机构代码, or a 机构代码 given to two institutions."""
    table = ctx.table("机构")
    rows = _institutions(ctx, active=False)
    missing = rows["备案状态"].eq(STATUS_FILED) & rows["机构代码"].isna()
    for index in rows.index[missing]:
        yield at_row(ctx, table, index, "机构代码", "已备案机构缺少机构代码",
                          message_en="a filed institution has no institution code")
    coded = rows[rows["机构代码"].notna()]
    repeated = coded["机构代码"].duplicated(keep="first")
    first_index = dict(zip(coded.loc[~repeated, "机构代码"], coded.index[~repeated]))
    for index in coded.index[repeated]:
        value = coded.at[index, "机构代码"]
        first = location(ctx, table, first_index[value], None)
        here = location(ctx, table, index, None)
        where = f"第{first['row']}行" if first["path"] == here["path"] else f"{first['path']} 第{first['row']}行"
        yield at_row(ctx, table, index, "机构代码", f"机构代码“{value}”已用于{where}的机构，机构代码应唯一",
                     value=value, message_en=f"institution code {value} is used twice")
