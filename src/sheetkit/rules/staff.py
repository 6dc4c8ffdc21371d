"""Staffing rules (`staff.*`): heads counted per institution and per filed project, each
person's qualification, contract, insurance and employers, and the same person (by
身份证号) at several institutions across every workbook read.

Counts are vectorised (value_counts / explode / groupby); Python loops only emit findings.
A person counts once per role and institution; under ``full_time_only`` only 专职 rows
count, otherwise 专职 and 兼职 alike (docs/rules.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sheetkit.register.model import EDUCATION, SKILL_LEVELS, TITLES, USCC_COL
from sheetkit.periods import years_later_each
from sheetkit.rules.common import active_codes, day, filed_projects, institutions, rows_of_active
from sheetkit.rules.findings import at_institution, at_row
from sheetkit.rules.registry import rule

ID = "身份证号"
FULL, PART = "专职", "兼职"
TITLE_RANK = {t: i for i, t in enumerate(TITLES)}  # 无 < 初级 < 中级 < 副高级 < 正高级
SKILL_RANK = {"无": 0, **{s: i for i, s in enumerate(SKILL_LEVELS[:-1], 1)}}  # 五级 = 1 … 一级 = 5
EDUCATION_RANK = {e: i for i, e in enumerate(EDUCATION)}
ROLE_EN = {"负责人": "directors", "考核管理人员": "management staff", "考务管理人员": "exam administrators",
           "内部质量督导人员": "quality supervisors", "考评人员": "assessors", "技术资源建设专家": "experts",
           "技术支持人员": "technical support staff"}


def _all_staff(ctx) -> pd.DataFrame:
    """Staff of active institutions, one row per person, role and institution, with
    ``_ended``: a 专职 whose 劳动合同终止 falls before the day the institution's judged
    period needs them (``staff_day``, rules.common.institutions)."""
    def build():
        data = rows_of_active(ctx, "人员")
        keyed = data[ID].notna()
        data = pd.concat([data[keyed].drop_duplicates([USCC_COL, ID, "岗位"]), data[~keyed]]).sort_index()
        days = institutions(ctx)["staff_day"].reindex(data[USCC_COL].to_numpy())
        need = pd.Series(pd.to_datetime(days.to_numpy()), index=data.index)
        end = pd.to_datetime(data["劳动合同终止"], errors="coerce")
        ended = data["用工形式"].eq(FULL) & end.notna() & (end < need)
        return data.assign(_ended=ended.fillna(False).astype(bool))
    if "all-staff" not in ctx.cache:
        ctx.cache["all-staff"] = build()
    return ctx.cache["all-staff"]


def _staff(ctx) -> pd.DataFrame:
    """The staff who count: everyone but a 专职 whose contract has ended (see `_all_staff`;
    `staff.contract` names each of them at their row)."""
    if "staff" not in ctx.cache:
        staff = _all_staff(ctx)
        ctx.cache["staff"] = staff[~staff["_ended"]]
    return ctx.cache["staff"]


def _ended_counts(ctx, role: str, codes) -> pd.Series:
    staff = _all_staff(ctx)
    return _counts(staff[staff["_ended"] & staff["岗位"].eq(role)], codes)


def _rank(series: pd.Series, ranks: dict) -> pd.Series:
    return series.map(ranks).astype("float")


def _counts(rows: pd.DataFrame, codes: pd.Index) -> pd.Series:
    return rows[USCC_COL].value_counts().reindex(codes, fill_value=0)


def _head_count(ctx, role: str, least, full_only: bool):
    """Too few people in ``role`` (专职 only when the profile says ``full_time_only``)."""
    staff = _staff(ctx)
    rows = staff[staff["岗位"].eq(role)]
    codes = active_codes(ctx)
    counted = _counts(rows[rows["用工形式"].eq(FULL)] if full_only else rows, codes)
    part = _counts(rows[rows["用工形式"].eq(PART)], codes) if full_only else None
    ended = _ended_counts(ctx, role, codes)
    judged = institutions(ctx)["judged"]
    label = f"专职{role}" if full_only else role
    for uscc in counted.index[counted < least]:
        n = int(counted[uscc])
        text = f"{label}仅{n}名，应不少于{least}名" if n else f"没有{label}，应不少于{least}名"
        extra = [f"兼职{int(part[uscc])}名"] if part is not None and part[uscc] else []
        if ended[uscc]:
            extra.append(f"劳动合同已终止的{int(ended[uscc])}名")
        if extra:
            text += f"（另有{'、'.join(extra)}，不计入）"
        if ended[uscc] and isinstance(judged.get(uscc), str):
            text += f"；按{judged[uscc]}判断"
        en = f"{'full-time ' if full_only else ''}{ROLE_EN[role]}: {n}, at least {least} required"
        yield at_institution(ctx, uscc, text, value=n, message_en=en)


@rule("staff.director", "violation", "负责人（所长）人数或职称不符合要求", "director missing or unqualified",
      params={"count": 1, "min_title": "中级"}, enabled=False)
def director(ctx, *, count, min_title):
    """Exactly ``count`` 负责人 (所长), each with 专业技术职称 ≥ ``min_title``."""
    wanted = count
    table = ctx.table("人员")
    staff = _staff(ctx)
    heads = staff[staff["岗位"].eq("负责人")]
    counted = _counts(heads, active_codes(ctx))
    for uscc in counted.index[counted != wanted]:
        n = int(counted[uscc])
        text = f"没有负责人（所长），应有{wanted}名" if not n else f"负责人（所长）共{n}名，应为{wanted}名"
        yield at_institution(ctx, uscc, text, value=n, message_en=f"directors: {n}, exactly {wanted} required")
    low = _rank(heads["专业技术职称"], TITLE_RANK).fillna(-1) < TITLE_RANK[min_title]
    for index in heads.index[low]:
        title = heads.at[index, "专业技术职称"]
        has = f"专业技术职称为“{title}”" if isinstance(title, str) else "未填写专业技术职称"
        yield at_row(ctx, table, index, "专业技术职称",
                          f"负责人{heads.at[index, '姓名']}{has}，应为{min_title}及以上",
                          value=table.raw_value(index, "专业技术职称"),
                          message_en=f"director's professional title must be {min_title} or higher")


@rule("staff.management", "violation", "专职考核管理人员人数或学历不足", "too few management staff",
      params={"min": 2, "full_time_only": True, "min_education": "中专"}, enabled=False)
def management(ctx, *, min, full_time_only, min_education):  # noqa: A002  (the profile's names)
    """At least ``min`` 考核管理人员 (专职 if ``full_time_only``) with 学历 ≥ ``min_education``."""
    least, full_only, edu = min, full_time_only, min_education
    staff = _staff(ctx)
    rows = staff[staff["岗位"].eq("考核管理人员")]
    if full_only:
        rows = rows[rows["用工形式"].eq(FULL)]
    qualified = rows[_rank(rows["学历"], EDUCATION_RANK).fillna(-1) >= EDUCATION_RANK[edu]]
    counted = _counts(qualified, active_codes(ctx))
    label = f"{'专职' if full_only else ''}考核管理人员"
    for uscc in counted.index[counted < least]:
        n, total = int(counted[uscc]), int((rows[USCC_COL] == uscc).sum())
        text = f"学历{edu}及以上的{label}仅{n}名，应不少于{least}名" if n else f"没有学历{edu}及以上的{label}，应不少于{least}名"
        if total > n:
            text += f"（另有{total - n}名学历不足或未填写）"
        yield at_institution(ctx, uscc, text, value=n,
                                  message_en=f"management staff with education {edu} or above: {n}, "
                                             f"at least {least} required")


@rule("staff.exam-admin", "violation", "考务管理人员不足", "too few exam administrators",
      params={"min": 2, "full_time_only": True})
def exam_admin(ctx, *, min, full_time_only):  # noqa: A002
    """Too few 考务管理人员."""
    yield from _head_count(ctx, "考务管理人员", min, full_time_only)


@rule("staff.supervisor", "violation", "内部质量督导人员不足", "too few quality supervisors",
      params={"min": 2, "full_time_only": True})
def supervisor(ctx, *, min, full_time_only):  # noqa: A002
    """Too few 内部质量督导人员."""
    yield from _head_count(ctx, "内部质量督导人员", min, full_time_only)


@rule("staff.tech-support", "violation", "技术支持人员不足", "too few technical support staff",
      params={"min": 1, "full_time_only": False}, enabled=False)
def tech_support(ctx, *, min, full_time_only):  # noqa: A002
    """Too few 技术支持人员 (technical support, computer and network operators)."""
    yield from _head_count(ctx, "技术支持人员", min, full_time_only)


def _per_project(ctx, role: str, least: int):
    """Filed projects (考核项目 rows not marked 删除) with fewer than ``least`` people in
    ``role`` naming the project in their 考核项目 cell. Points at the 考核项目 row."""
    staff = _staff(ctx)
    rows = staff.loc[staff["岗位"].eq(role), [USCC_COL, ID, "考核项目"]].explode("考核项目")
    rows = rows[rows["考核项目"].notna()]
    per = rows.drop_duplicates().groupby([USCC_COL, "考核项目"]).size()
    projects = filed_projects(ctx)
    keys = pd.MultiIndex.from_arrays([projects[USCC_COL], projects["考核项目"]])
    n = pd.Series(per.reindex(keys, fill_value=0).to_numpy(), index=projects.index)
    table = ctx.table("考核项目")
    for index in n.index[n < least]:
        name, k = projects.at[index, "考核项目"], int(n[index])
        text = f"考核项目“{name}”的{role}仅{k}名，应不少于{least}名" if k else f"考核项目“{name}”没有{role}，应不少于{least}名"
        yield at_row(ctx, table, index, "考核项目", text, value=k,
                          message_en=f"project {name}: {ROLE_EN[role]}: {k}, at least {least} required")


@rule("staff.assessors", "violation", "考核项目的考评人员不足", "too few assessors for a project",
      params={"min_per_project": 3, "need_certificate": False})
def assessors(ctx, *, min_per_project, need_certificate):
    """Each filed project has ≥ ``min_per_project`` 考评人员 (专职 or 兼职); with
    ``need_certificate`` every assessor also needs a 考评员证书编号."""
    yield from _per_project(ctx, "考评人员", min_per_project)
    if need_certificate:
        table = ctx.table("人员")
        staff = _staff(ctx)
        missing = staff["岗位"].eq("考评人员") & staff["考评员证书编号"].isna()
        for index in staff.index[missing]:
            yield at_row(ctx, table, index, "考评员证书编号",
                              f"考评人员{staff.at[index, '姓名']}未填写考评员证书编号，考评人员应具有规范的考评人员证件",
                              message_en="assessor without an assessor certificate number")


@rule("staff.experts", "violation", "考核项目的技术资源建设专家不足", "too few experts for a project",
      params={"min_per_project": 2})
def experts(ctx, *, min_per_project):
    """Each filed project has ≥ ``min_per_project`` 技术资源建设专家."""
    yield from _per_project(ctx, "技术资源建设专家", min_per_project)


@rule("staff.assessor-qualification", "violation", "考评人员资格条件不符", "assessor not qualified",
      params={"min_skill_level": "三级", "min_title": "中级", "min_years": 3})
def assessor_qualification(ctx, *, min_skill_level, min_title, min_years):
    """A 考评人员 needs (技能等级 ≥ ``min_skill_level`` or 职称 ≥ ``min_title``) and
    相关工作年限 ≥ ``min_years``, or to be a 技能带头人."""
    level, title, years = min_skill_level, min_title, min_years
    table = ctx.table("人员")
    staff = _staff(ctx)
    rows = staff[staff["岗位"].eq("考评人员")]
    graded = (_rank(rows["技能等级"], SKILL_RANK).fillna(-1) >= SKILL_RANK[level]) | \
             (_rank(rows["专业技术职称"], TITLE_RANK).fillna(-1) >= TITLE_RANK[title])
    seasoned = (rows["相关工作年限"].astype("Float64") >= years).fillna(False).astype(bool)
    leader = rows["技能带头人"].eq(True).fillna(False).astype(bool)
    for index in rows.index[~((graded & seasoned) | leader)]:
        got_level = rows.at[index, "技能等级"] if isinstance(rows.at[index, "技能等级"], str) else "未填"
        got_title = rows.at[index, "专业技术职称"] if isinstance(rows.at[index, "专业技术职称"], str) else "未填"
        got_years = rows.at[index, "相关工作年限"]
        got_years = "未填" if pd.isna(got_years) else f"{float(got_years):g}年"
        column = "相关工作年限" if bool(graded[index]) else "技能等级"
        yield at_row(ctx, table, index, column,
                          f"考评人员{rows.at[index, '姓名']}技能等级{got_level}、职称{got_title}、相关工作年限{got_years}，"
                          f"不符合条件：须{level}及以上技能等级或{title}及以上职称且相关工作年限满{years:g}年，或为技能带头人",
                          value=table.raw_value(index, column),
                          message_en=f"assessor not qualified: needs skill level {level}+ or title {title}+ "
                                     f"with {years:g} years, or to be a recognised skill leader")


@rule("staff.contract", "violation", "专职人员劳动合同期限不足1年，或在所判断的备案期开始前已终止",
      "full-time contract too short or ended", params={"min_years": 1})
def contract(ctx, *, min_years):
    """A 专职 whose contract (劳动合同起始 … 终止) is shorter than ``min_years`` calendar
    years, or has ended before the period the institution is judged for needs them
    (`institutions().staff_day`: a filing's start, a renewal's new period, or ``--as-of``).
    Such a person is not counted as staff by the other rules. A blank end is open-ended."""
    years = min_years
    table = ctx.table("人员")
    staff = _all_staff(ctx)
    inst = institutions(ctx)
    for index in staff.index[staff["_ended"]]:
        code, end = staff.at[index, USCC_COL], day(staff.at[index, "劳动合同终止"])
        need, judged = day(inst.at[code, "staff_day"]), inst.at[code, "judged"]
        yield at_row(ctx, table, index, "劳动合同终止",
                     f"专职人员{staff.at[index, '姓名']}劳动合同已于{end}终止，早于{need}（按{judged}判断），"
                     "不计为本机构专职人员", value=end,
                     message_en=f"full-time contract ended {end}, before {need}: not counted as staff")
    rows = staff[~staff["_ended"] & staff["用工形式"].eq(FULL) & staff["劳动合同起始"].notna()
                 & staff["劳动合同终止"].notna()]
    starts, ends = pd.to_datetime(rows["劳动合同起始"]), pd.to_datetime(rows["劳动合同终止"])
    short = ends < years_later_each(starts, years)
    for index, start, end in zip(rows.index[short], starts[short], ends[short]):
        start, end = day(start), day(end)
        yield at_row(ctx, table, index, "劳动合同终止",
                     f"专职人员{rows.at[index, '姓名']}劳动合同期限自{start}至{end}，不足{years:g}年",
                     value=end, message_en=f"full-time contract {start}–{end} is shorter than {years:g} year(s)")


def _counted(ctx, mode: str, column: str, fails, message, message_en):
    """Findings at ``column`` for the ``mode`` (专职/兼职) staff whose whole-number count
    ``fails(counts)``; ``message(name, n)`` and ``message_en(n)`` word them."""
    table = ctx.table("人员")
    staff = _staff(ctx)
    counts = staff[column].astype("Float64")
    for index in staff.index[(staff["用工形式"].eq(mode) & fails(counts)).fillna(False).astype(bool)]:
        n = int(counts[index])
        yield at_row(ctx, table, index, column, message(staff.at[index, "姓名"], n), value=n,
                     message_en=message_en(n))


@rule("staff.insurance", "violation", "专职人员社会保险缴纳不满1年", "social insurance too short",
      params={"min_months": 12})
def insurance(ctx, *, min_months):
    """A 专职 with 社保缴纳月数 below ``min_months``."""
    least = min_months
    yield from _counted(ctx, FULL, "社保缴纳月数", lambda months: months < least,
                        lambda name, n: f"专职人员{name}在本单位缴纳社会保险{n}个月，应满{least}个月",
                        lambda n: f"full-time staff with {n} months of social insurance, {least} required")


@rule("staff.employers", "violation", "兼职人员供职单位过多", "part-timer serves too many units",
      params={"max_employers": 2})
def employers(ctx, *, max_employers):
    """A 兼职 serving more than ``max_employers`` units (this one included)."""
    most = max_employers
    yield from _counted(ctx, PART, "供职单位数", lambda units: units > most,
                        lambda name, n: f"兼职人员{name}供职单位{n}家，不得与{most + 1}家及以上单位发生供职或聘用关系",
                        lambda n: f"part-time staff serving {n} units, at most {most} allowed")


@rule("staff.cross-register", "violation", "同一人员在多个机构重复任职", "same person at several institutions",
      params={"max_institutions": 2, "max_full_time": 1})
def cross_register(ctx, *, max_institutions, max_full_time):
    """The same 身份证号 专职 at more than ``max_full_time`` institutions, or serving more
    than ``max_institutions`` institutions, across every workbook read. One finding per
    person and institution, at that institution's first row for the person."""
    most, most_full = max_institutions, max_full_time
    table = ctx.table("人员")
    staff = _staff(ctx)
    people = staff[staff[ID].notna()]
    person, persons = pd.factorize(people[ID])
    place, places_ = pd.factorize(people[USCC_COL])
    key = pd.Series(person.astype("int64") * (len(places_) + 1) + place)
    first = ~key.duplicated().to_numpy()
    n_inst = pd.Series(np.bincount(person[first], minlength=len(persons)), index=persons)
    ft = people["用工形式"].eq(FULL).to_numpy()
    ft_first = ~key[ft].duplicated().to_numpy()
    n_full = pd.Series(np.bincount(person[ft][ft_first], minlength=len(persons)), index=persons)
    bad = n_inst.index[(n_inst > most).to_numpy() | (n_full > most_full).to_numpy()]
    if bad.empty:
        return
    places = people[first]
    names = ctx.table("机构").data.drop_duplicates(USCC_COL).set_index(USCC_COL)["机构名称"]
    for who, rows in places[places[ID].isin(bad)].groupby(ID, sort=False):
        codes = rows[USCC_COL].tolist()
        full = int(n_full[who])
        listed = "、".join(str(names.get(c, c)) for c in codes)
        if full > most_full:
            why = f"在{full}家机构均登记为专职（{listed}）"
            en = f"registered full-time at {full} institutions"
        else:
            why = f"同时在{len(codes)}家机构任职（{listed}），不得与{most + 1}家及以上单位发生供职或聘用关系"
            en = f"serves {len(codes)} institutions, at most {most} allowed"
        for index, name in zip(rows.index, rows["姓名"]):
            yield at_row(ctx, table, index, ID, f"人员{name}{why}", message_en=f"the same person {en}")
