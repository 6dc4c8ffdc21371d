"""Institution rules (`inst.*`): credit, an assessment department, experience, and the
机构代码 assigned at filing. Each finding points at the 机构 row and cell concerned."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sheetkit.register.model import MATERIAL_ITEMS, STATUS_APPLYING, STATUS_FILED, USCC_COL
from sheetkit.rules.common import ACTIVE
from sheetkit.rules.findings import about_register, at_row, location
from sheetkit.rules.ids import uscc_valid
from sheetkit.rules.registry import rule


def _institutions(ctx, *, active: bool = True):
    """机构 rows, one per credit code (repeats are `data.duplicate`), optionally active only."""
    data = ctx.table("机构").data
    rows = data[data[USCC_COL].notna() & ~data[USCC_COL].duplicated()]
    return rows[rows["备案状态"].isin(ACTIVE)] if active else rows


@rule("inst.credit", "violation", "信用状况不良", "bad credit")
def credit(ctx):
    """信用状况 不良: the institution is not of good credit."""
    table = ctx.table("机构")
    rows = _institutions(ctx)
    for index in rows.index[rows["信用状况"].eq("不良")]:
        yield at_row(ctx, table, index, "信用状况", "信用状况为“不良”，不符合“信用良好”的备案条件",
                          value=table.raw_value(index, "信用状况"),
                          message_en="credit standing is 不良 (bad): good credit is required")


@rule("inst.department", "violation", "无独立负责考核工作的内设部门", "no assessment department")
def department(ctx):
    """No internal department dedicated to assessment."""
    table = ctx.table("机构")
    rows = _institutions(ctx)
    for index in rows.index[rows["独立考核部门"].eq(False).fillna(False).astype(bool)]:
        yield at_row(ctx, table, index, "独立考核部门", "没有独立负责考核工作的内设部门，不符合备案条件",
                          value=table.raw_value(index, "独立考核部门"),
                          message_en="no internal department dedicated to assessment")


@rule("inst.experience", "violation", "培训考核经历年限不足", "too little experience", params={"min_years": 2})
def experience(ctx, *, min_years):
    """培训考核年限 below the profile's ``min_years``."""
    table = ctx.table("机构")
    least = min_years
    rows = _institutions(ctx)
    years = rows["培训考核年限"].astype("Float64")
    for index in rows.index[(years < least).fillna(False).astype(bool)]:
        value = float(rows.at[index, "培训考核年限"])
        yield at_row(ctx, table, index, "培训考核年限",
                          f"培训考核年限为{value:g}年，应不少于{least:g}年", value=value,
                          message_en=f"{value:g} years of training/assessment experience, at least {least:g} required")


@rule("inst.code", "error", "已备案机构缺少机构代码，或机构代码重复", "institution code missing or reused")
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


# ------------------------------------------------ where and what the applicant is (附件1 第1项; 甘 二(一))

@rule("inst.region", "violation", "统一社会信用代码的登记管理机关不在本省", "registered outside the province",
      params={"region_prefix": "37"})
def region(ctx, *, region_prefix):
    """The credit code's registration-authority region (digits 3–8, GB 32100-2015) does
    not start with the profile's ``region_prefix`` (37: registered in Shandong). Codes
    that fail their own check (`id.uscc`) are not judged again."""
    prefix = str(region_prefix)
    table = ctx.table("机构")
    rows = _institutions(ctx)
    for index, code in zip(rows.index, rows[USCC_COL]):
        if not isinstance(code, str) or not uscc_valid(code) or code[2:8].startswith(prefix):
            continue
        yield at_row(ctx, table, index, USCC_COL,
                     f"统一社会信用代码第3—8位（登记管理机关行政区划码）为{code[2:8]}，不是{ctx.profile.province}"
                     f"（{prefix}开头）登记的机构，不符合“在{ctx.profile.province}行政区域内依法登记”的条件",
                     value=code, message_en=f"registration region {code[2:8]} is outside the province ({prefix}…)")


@rule("inst.type", "violation", "机构类型不属于可申报的类型", "institution type does not qualify",
      params={"qualifying": ["企业", "院校", "社会团体", "职业技能培训机构"],
              "requirement": "在山东省行政区域内依法登记的企业、院校、社会团体或职业技能培训机构"})
def institution_type(ctx, *, qualifying, requirement):
    """机构类型 outside the profile's ``qualifying`` types (其他 does not qualify): the
    message says which type to enter when the institution is in fact one of them."""
    qualifying = list(qualifying)
    table = ctx.table("机构")
    rows = _institutions(ctx)
    kinds = rows["机构类型"]
    for index in rows.index[kinds.notna() & ~kinds.isin(qualifying)]:
        value = kinds[index]
        yield at_row(ctx, table, index, "机构类型",
                     f"机构类型为“{value}”，申报单位应为{requirement}：如本机构实为其中一类，请按法人登记证书改为"
                     f"“{'”“'.join(qualifying)}”之一（如民办非企业单位登记的培训学校填“职业技能培训机构”，"
                     "技工院校、职业院校填“院校”，行业协会填“社会团体”）；否则不符合申报条件",
                     value=table.raw_value(index, "机构类型"),
                     message_en=f"institution type {value} does not qualify: one of {', '.join(qualifying)}")


@rule("inst.late-application", "violation", "申报日期晚于申报截止日", "application received after the deadline",
      params={"call_year": 2025, "deadline": "04-15"}, enabled=False)
def late_application(ctx, *, call_year, deadline):
    """An applicant (申请中) whose 申报日期 is after ``deadline`` (month-day) of
    ``call_year``; the deadline day itself is on time (「于4月15日前」). A blank 申报日期,
    or a register without the column, is not checked."""
    year = int(call_year)
    month, day_ = (int(p) for p in str(deadline).split("-"))
    last = dt.date(year, month, day_)
    table = ctx.table("机构")
    rows = _institutions(ctx)
    rows = rows[rows["备案状态"].eq(STATUS_APPLYING) & rows["申报日期"].notna()]
    late = pd.to_datetime(rows["申报日期"]) > pd.Timestamp(last)
    for index in rows.index[late.to_numpy()]:
        got = pd.Timestamp(rows.at[index, "申报日期"]).date()
        yield at_row(ctx, table, index, "申报日期",
                     f"申报日期{got.isoformat()}晚于申报截止日{last.year}年{last.month}月{last.day}日，属逾期申报",
                     value=got, message_en=f"application received {got}, after the deadline {last}")


@rule("inst.materials", "violation", "申报材料不全", "application materials missing", enabled=False)
def materials(ctx):
    """Each of the eight 申报材料 (甘 三(一)–(八)) an applicant has not submitted, one
    finding per item citing its own sub-clause. Read from the optional sheet 申报材料
    (one row per institution, 是/否 per item). Without the sheet one warning says the
    materials were not checked (`inst.no-materials-sheet`); an applicant with no row there
    gets one finding."""
    rows = _institutions(ctx)
    applicants = rows[rows["备案状态"].eq(STATUS_APPLYING)]
    if applicants.empty or not ctx.register.has("申报材料"):
        return
    table = ctx.table("申报材料")
    data = table.data[table.data[USCC_COL].notna() & ~table.data[USCC_COL].duplicated()]
    by_code = dict(zip(data[USCC_COL], data.index))
    missing = {item: data[item].eq(False).fillna(False).astype(bool) for item, _ in MATERIAL_ITEMS}
    inst_table = ctx.table("机构")
    cited = ctx.profile.clause("inst.materials")
    for index, code in zip(applicants.index, applicants[USCC_COL]):
        if code not in by_code:
            yield at_row(ctx, inst_table, index, USCC_COL,
                         "“申报材料”工作表中没有本机构的行，无法确认已提交申报材料", value=code,
                         message_en="no row in 申报材料 for this applicant")
            continue
        row = by_code[code]
        for n, (item, _) in zip("一二三四五六七八", MATERIAL_ITEMS):
            if missing[item][row]:  # a blank is `data.required`, not judged here
                yield at_row(ctx, table, row, item, f"未提交申报材料“{item}”", value=table.raw_value(row, item),
                             message_en=f"application material not submitted: {item}",
                             clause=f"{cited}({n})" if cited else None)


@rule("inst.no-materials-sheet", "warning", "登记表中没有申报材料工作表，未检查申报材料",
      "no 申报材料 sheet: application materials not checked", enabled=False)
def no_materials_sheet(ctx):
    """A register with applicants but no 申报材料 sheet: `inst.materials` could not check
    the eight items (a warning, not a violation of the applicant's)."""
    rows = _institutions(ctx)
    if ctx.register.has("申报材料") or not rows["备案状态"].eq(STATUS_APPLYING).any():
        return
    yield about_register(f"登记表中没有“申报材料”工作表，未检查申请机构的{len(MATERIAL_ITEMS)}项申报材料"
                         "（sheetkit init 生成的模板中有此表）",
                         message_en="no 申报材料 sheet: the application materials were not checked")
