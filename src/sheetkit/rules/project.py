"""Project rules (`project.*`): the catalogue and each city's call, how many projects an
institution and how many institutions a project may have, question banks, and
assessment counts. A project is *filed* unless its row is marked 删除."""

from __future__ import annotations

from sheetkit.register.model import STATUS_APPLYING, USCC_COL
from sheetkit.rules.common import ADDED, filed_projects, institutions, rows_of_active
from sheetkit.rules.findings import at_institution, at_row
from sheetkit.rules.registry import rule


@rule("project.catalogue", "violation", "考核项目不在目录或本市征集范围内", "project not in the catalogue or call")
def catalogue(ctx):
    """A project not in the catalogue, or outside its call (征集市) for the institution's city.
    Not checked without a catalogue (`data.no-catalogue` says so)."""
    if not ctx.register.has("项目目录"):
        return
    cat = ctx.table("项目目录").data
    cat = cat[cat["考核项目"].notna()].drop_duplicates("考核项目")
    if cat.empty:
        return  # a catalogue sheet with its header only: no catalogue (data.no-catalogue says so)
    city_map = ctx.profile.city_map()
    calls = {name: frozenset(city_map.get(c, c) for c in cities)
             for name, cities in zip(cat["考核项目"], cat["征集市"])}
    table = ctx.table("考核项目")
    projects = filed_projects(ctx)
    city = projects[USCC_COL].map(institutions(ctx)["city"])
    for index, name, where in zip(projects.index, projects["考核项目"], city):
        if name not in calls:
            yield at_row(ctx, table, index, "考核项目", f"考核项目“{name}”不在考核项目目录中",
                              value=table.raw_value(index, "考核项目"),
                              message_en=f"project {name} is not in the catalogue")
        elif calls[name] and where not in calls[name]:
            yield at_row(ctx, table, index, "考核项目",
                              f"考核项目“{name}”不在{where}市的征集范围内（征集市：{'、'.join(sorted(calls[name]))}）",
                              value=table.raw_value(index, "考核项目"),
                              message_en=f"project {name} is not in the call of {where}")


@rule("project.max-per-institution", "violation", "机构备案考核项目超过上限", "too many projects for one institution",
      params={"max": 5})
def max_per_institution(ctx, *, max):  # noqa: A002  (the profile's name for it)
    """An institution with more than ``max`` filed projects."""
    most = max
    counts = filed_projects(ctx)[USCC_COL].value_counts()
    for uscc in counts.index[counts > most]:
        n = int(counts[uscc])
        yield at_institution(ctx, uscc, f"备案考核项目{n}个，超过每个机构{most}个的上限", value=n,
                                  message_en=f"{n} projects filed, at most {most} allowed")


@rule("project.max-per-city", "violation", "本市同一考核项目的机构数超过上限", "too many institutions for one project",
      params={"max": 5})
def max_per_city(ctx, *, max):  # noqa: A002
    """More than ``max`` institutions (申请中 or 已备案) with the same project in one city,
    across every workbook read. The newcomers (申请中 institutions, 新增 rows) are flagged,
    at their 考核项目 rows; when there are none, every row of the project in that city is."""
    most = max
    projects = filed_projects(ctx).copy()
    inst = institutions(ctx)
    projects["city"] = projects[USCC_COL].map(inst["city"])
    projects = projects[projects["city"].notna()]
    per = projects.drop_duplicates([USCC_COL, "考核项目"]).groupby(["city", "考核项目"])[USCC_COL].nunique()
    over = per[per > most]
    if over.empty:
        return
    table = ctx.table("考核项目")
    projects["new"] = projects[USCC_COL].map(inst["status"]).eq(STATUS_APPLYING) | projects["变更"].eq(ADDED)
    hit = projects.rename_axis("_index").reset_index().merge(
        over.rename("n").reset_index(), on=["city", "考核项目"])
    any_new = hit.groupby(["city", "考核项目"])["new"].transform("any")
    flagged = hit[hit["new"] | ~any_new]
    for index, city, name, n in zip(flagged["_index"], flagged["city"], flagged["考核项目"], flagged["n"]):
        yield at_row(ctx, table, index, "考核项目",
                          f"{city}市申请或备案考核项目“{name}”的机构共{int(n)}家，超过每市{most}家的上限",
                          value=int(n), message_en=f"{int(n)} institutions in {city} with project {name}, at most {most}")


@rule("project.question-bank", "violation", "考核项目没有卷库或题库", "no question bank")
def question_bank(ctx):
    """A filed project with no test papers (卷库套数 = 0) or no questions (题库道数 = 0)."""
    table = ctx.table("考核项目")
    projects = filed_projects(ctx)
    for column, what in (("卷库套数", "卷库"), ("题库道数", "题库")):
        for index in projects.index[projects[column].eq(0).fillna(False).astype(bool)]:
            yield at_row(ctx, table, index, column, f"考核项目“{projects.at[index, '考核项目']}”{column}为0，没有{what}",
                              value=0, message_en=f"project has no {'test papers' if what == '卷库' else 'question bank'}")


@rule("project.certified", "error", "取证人次多于考核人次", "more certificates than assessments")
def certified(ctx):
    """More certificates (取证人次) than assessments (考核人次)."""
    table = ctx.table("考核项目")
    rows = rows_of_active(ctx, "考核项目")
    more = (rows["取证人次"].astype("Float64") > rows["考核人次"].astype("Float64")).fillna(False).astype(bool)
    for index in rows.index[more]:
        got, done = int(rows.at[index, "取证人次"]), int(rows.at[index, "考核人次"])
        yield at_row(ctx, table, index, "取证人次", f"取证人次{got}多于考核人次{done}", value=got,
                          message_en=f"{got} certificates issued but only {done} assessed")
