"""Write the sample registers in workbooks/ (the demo data): two Shandong cities and a
catalogue. Deterministic: run it again and the workbooks hold the same values.

    .venv/bin/python workbooks/make_samples.py

Every institution, person and code is invented; the rows come from the register builder
shared with the tests and the bench (`sheetkit.testing.builders`): credit codes and ID
numbers carry valid check characters except where a problem is planted on purpose.
The planted problems are listed in workbooks/README.md; keep the two in step.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from sheetkit.register.model import BY_KIND
from sheetkit.testing.builders import (
    catalogue_rows, institution, person, project, resident, score_row, staffing, uscc_org, venues_for,
)

HERE = Path(__file__).resolve().parent
D = dt.date

# 专项职业能力 catalogue: name, code, cities whose call includes it (blank: all).
CATALOGUE = [
    ("中式面点制作", "S3700101", ""),
    ("西式面点制作", "S3700102", ""),
    ("鲁菜烹饪", "S3700103", "济南、淄博、济宁"),
    ("海鲜菜肴制作", "S3700104", "青岛、烟台、威海、日照"),
    ("家政服务", "S3700201", ""),
    ("母婴护理", "S3700202", ""),
    ("老年照护", "S3700203", ""),
    ("电商直播销售", "S3700301", ""),
    ("网店运营", "S3700302", "济南、青岛、临沂"),
    ("智能手机维修", "S3700401", ""),
    ("汽车美容", "S3700402", ""),
    ("崂山茶加工", "S3700501", "青岛"),
    ("章丘大葱种植", "S3700502", "济南"),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = ["建国", "秀英", "海燕", "志强", "丽华", "晓明", "红梅", "文博", "静", "磊", "婷婷", "宏伟", "玉兰", "鹏",
         "雪梅", "国庆", "春生", "晓燕", "立新", "淑珍", "俊杰", "美玲", "永刚", "慧敏", "浩然", "桂芳", "成龙", "佳琪",
         "振华", "凤英", "子涵", "德明", "雨欣", "长江", "翠兰", "宇航", "海波", "晶晶", "卫东", "梦瑶", "明辉"]


uscc = uscc_org  # kind (52 民办非企业, 91 企业…), region, organisation code


class People:
    """Invented people with unique ID numbers across the whole sample register."""

    def __init__(self):
        self.n = 0

    def next(self, region: str) -> tuple[str, str]:
        self.n += 1
        k = self.n
        name = SURNAMES[(k * 7) % len(SURNAMES)] + GIVEN[(k * 11) % len(GIVEN)]
        birth = D(1966 + (k * 5) % 30, 1 + (k * 7) % 12, 1 + (k * 11) % 28)
        return name, resident(100 + k * 3, birth, region)


PEOPLE = People()


def staff_rows(code: str, region: str, projects: list[str], *, tweak=None) -> list[dict]:
    """A staffing that meets every shandong-2025 condition for ``projects`` (`staffing`:
    managers in pairs, part-time experts), each person invented by `People`.
    ``tweak(role, i, row)`` may change a row to plant a problem."""
    rows = []
    for role, mode, project_name in staffing(projects, grouped=True, part_time=True, support="first"):
        name, pid = PEOPLE.next(region)
        k = PEOPLE.n
        over = {}
        if mode == "专职":
            start = D(2021 + k % 4, 1 + k % 12, 1)
            over.update(劳动合同起始=start, 劳动合同终止=None if k % 5 == 0 else D(start.year + 10, start.month, 1) -
                        dt.timedelta(days=1), 社保缴纳月数=24 + k % 30)
        else:
            over.update(供职单位数=1 + k % 2)
        row = person(code, k, role, mode=mode, project=project_name, 姓名=name, 身份证号=pid,
                     技能等级=("三级", "二级", "一级")[k % 3], 专业技术职称=("中级", "副高级", "无")[k % 3],
                     学历=("本科", "大专", "研究生", "中专")[k % 4], 相关工作年限=4 + k % 12,
                     技能带头人="是" if k % 9 == 0 else "否",
                     考评员证书编号=f"KP37{k:06d}" if role == "考评人员" else None, **over)
        if tweak:
            tweak(role, len([r for r in rows if r["岗位"] == role]), row)
        rows.append(row)
    return rows


def score_sheet(code: str, expert: str, total: float, when: D, vetoes=()) -> dict:
    """One evaluator's 附件4 sheet with items adding up to ``total``, the points lost on
    the last lines."""
    return score_row(code, expert, total, vetoes, when=when, lose_last=True)


# --- the two cities ---------------------------------------------------------------------------

def city_register(city: str) -> dict:
    """Rows of every sheet for one city, with the problems of README.md planted."""
    if city == "济南":
        return _jinan()
    return _qingdao()


def _institution(code, name, city, kind, address, status, *, no=None, start=None, phone="", n=0, **over):
    over = {"培训考核年限": 3 + n % 6, **over}
    return institution(n, 统一社会信用代码=code, 机构名称=name, 所属市=city, 机构类型=kind, 机构地址=address,
                       法定代表人=SURNAMES[n * 5 % len(SURNAMES)] + GIVEN[n * 3 % len(GIVEN)],
                       联系人=SURNAMES[n * 9 % len(SURNAMES)] + GIVEN[n * 13 % len(GIVEN)], 联系电话=phone,
                       电子邮箱=f"kaohe{n:02d}@example.cn", 机构代码=no, 备案状态=status, 备案起始=start,
                       **over)


def _venues(code, address, *, start=D(2022, 1, 1), end=D(2031, 12, 31), **over):
    return venues_for(code, address=address, start=start, end=end, 面积=600, **over)


def _projects(code, names, *, filed=False, first=D(2024, 5, 1), change=None):
    rows = []
    for i, p in enumerate(names):
        counted = filed and (change or {}).get(p) != "新增"
        rows.append(project(code, p, 变更=(change or {}).get(p), 卷库套数=5 + i, 题库道数=320 + 40 * i,
                            考核人次=150 + 37 * i if counted else None, 取证人次=128 + 30 * i if counted else None,
                            首次考核日期=first if counted else None))
    return rows


def _jinan() -> dict:
    R = "370102"
    inst, staff, venues, projects, scores = [], [], [], [], []

    def add(code, name, kind, address, status, names, *, staff_tweak=None, venue_kw=None, filed=False, n=0,
            **over):
        inst.append(_institution(code, name, "济南", kind, address, status, phone=f"0531-8{n:03d}6{n:03d}"[:13],
                                 n=n, **over))
        staff.extend(staff_rows(code, R, names, tweak=staff_tweak))
        venues.extend(_venues(code, address, **(venue_kw or {})))
        projects.extend(_projects(code, names, filed=filed))

    j1 = uscc("370102", 1)
    add(j1, "济南市历下区鲁匠职业培训学校", "职业技能培训机构", "济南市历下区解放路112号", "申请中",
        ["中式面点制作", "家政服务"], start=D(2026, 12, 1), n=1)
    j2 = uscc("370105", 2, "91")
    add(j2, "济南泉安家庭服务有限公司", "企业", "济南市天桥区北园大街305号", "申请中", ["母婴护理", "老年照护"],
        start=D(2026, 12, 1), n=2, venue_kw={"split": True})
    # J3: 统一社会信用代码 with a wrong check character, consistently in every sheet.
    good = uscc("370181", 3)
    j3 = good[:17] + next(c for c in "0123456789" if c != good[17])
    add(j3, "济南市章丘区明水职业培训学校", "职业技能培训机构", "济南市章丘区明水街道汇泉路88号", "申请中",
        ["章丘大葱种植"], start=D(2026, 12, 1), n=3)

    # J4: lease too short, one 专职 supervisor only, a part-timer serving 3 units.
    def j4_tweak(role, i, row):
        if role == "内部质量督导人员" and i == 1:
            row.update(用工形式="兼职", 劳动合同起始=None, 劳动合同终止=None, 社保缴纳月数=None, 供职单位数=2)
        if role == "考评人员" and row["用工形式"] == "兼职" and row["考核项目"] == "鲁菜烹饪":
            row["供职单位数"] = 3
    j4 = uscc("370104", 4)
    add(j4, "济南齐鲁味道烹饪职业培训学校", "职业技能培训机构", "济南市槐荫区经十路22567号", "申请中",
        ["鲁菜烹饪", "中式面点制作"], start=D(2026, 12, 1), n=4, staff_tweak=j4_tweak,
        venue_kw={"start": D(2025, 7, 1), "end": D(2028, 6, 30)})

    # J5: six projects; one 身份证号 typed as a number.
    def j5_tweak(role, i, row):
        if role == "考务管理人员" and i == 1:
            row["身份证号"] = int(row["身份证号"]) if row["身份证号"][-1] != "X" else row["身份证号"]
    j5 = uscc("370112", 5, "91")
    add(j5, "济南百味餐饮管理有限公司", "企业", "济南市历城区工业北路7号", "申请中",
        ["中式面点制作", "西式面点制作", "鲁菜烹饪", "家政服务", "母婴护理", "网店运营"], start=D(2026, 12, 1), n=5,
        staff_tweak=j5_tweak, venue_kw={"owned": True})

    # J6: 已备案, renewal passes (合格) — gets the renewal letter.
    j6 = uscc("370102", 6, "51")
    add(j6, "济南市家庭服务业协会", "社会团体", "济南市历下区和平路34号", "已备案", ["老年照护", "家政服务"],
        no="JN2023001", start=D(2023, 12, 15), filed=True, n=6)
    # J7: 已备案, renewal fails (综合得分 < 60).
    j7 = uscc("370105", 7)
    add(j7, "济南天桥数码职业培训学校", "职业技能培训机构", "济南市天桥区堤口路141号", "已备案",
        ["智能手机维修", "网店运营"], no="JN2024001", start=D(2024, 3, 1), filed=True, n=7)
    # J8: 终止备案 (revoked at its own request; the 撤销 sheet has its row).
    j8 = uscc("370113", 8)
    add(j8, "济南市长清区康宁职业培训学校", "职业技能培训机构", "济南市长清区大学路1999号", "终止备案",
        ["汽车美容"], no="JN2023002", start=D(2023, 6, 1), filed=True, n=8)

    for k, (name, total) in enumerate([("孙立群", 86.5), ("高文静", 88), ("马振东", 84.5), ("周慧", 90)]):
        scores.append(score_sheet(j6, name, total, D(2026, 10, 20)))
    # J9: 已备案, renewal scores pass, but the only venue's lease ends 2026-12-31, inside the
    # new period (自2026年12月至2029年11月): no renewal letter.
    j9 = uscc("370102", 9)
    add(j9, "济南历下区明德职业培训学校", "职业技能培训机构", "济南市历下区文化东路56号", "已备案", ["家政服务"],
        no="JN2023003", start=D(2023, 12, 1), filed=True, n=9,
        venue_kw={"start": D(2021, 1, 1), "end": D(2026, 12, 31)})

    for k, (name, total) in enumerate([("孙立群", 86.5), ("高文静", 88), ("马振东", 84.5), ("周慧", 90)]):
        scores.append(score_sheet(j9, name, total - 3, D(2026, 10, 21)))
    # J7: 60, 60 and 59.99 average 59.9967 — below the pass mark, never rounded up to 60.
    for name, total in [("孙立群", 60), ("韩雪", 60), ("马振东", 59.99)]:
        scores.append(score_sheet(j7, name, total, D(2026, 10, 22)))
    revoke = [{"统一社会信用代码": j8, "撤销情形": "自愿撤销", "情形说明": "主动申请撤销考核机构备案",
               "依据": "《山东省人力资源和社会保障厅关于做好专项职业能力考核机构备案管理工作的通知》",
               "撤销日期": D(2026, 11, 10)}]
    settings = [{"项目": "发文单位", "值": "济南市人力资源和社会保障局"}, {"项目": "发文日期", "值": D(2026, 11, 25)},
                {"项目": "政策", "值": "shandong-2025"}]
    return {"机构": inst, "人员": staff, "场地": venues, "考核项目": projects, "续期评分": scores,
            "撤销": revoke, "设置": settings}


def _qingdao() -> dict:
    R = "370202"
    inst, staff, venues, projects, scores = [], [], [], [], []

    def add(code, name, kind, address, status, names, *, staff_tweak=None, venue_kw=None, filed=False,
            change=None, n=0, **over):
        inst.append(_institution(code, name, "青岛市", kind, address, status, phone=f"0532-8{n:03d}7{n:03d}"[:13],
                                 n=n, **over))
        staff.extend(staff_rows(code, R, names, tweak=staff_tweak))
        venues.extend(_venues(code, address, **(venue_kw or {})))
        projects.extend(_projects(code, names, filed=filed, change=change, first=D(2025, 9, 1)))

    q1 = uscc("370202", 11)
    add(q1, "青岛海韵烹饪职业培训学校", "职业技能培训机构", "青岛市市南区香港中路61号", "申请中",
        ["海鲜菜肴制作", "中式面点制作"], n=11)  # 备案起始 blank: the run's --as-of date
    q2 = uscc("370212", 12, "91")
    add(q2, "青岛崂峰茶业有限公司", "企业", "青岛市崂山区王哥庄街道188号", "申请中", ["崂山茶加工", "电商直播销售"],
        start=D(2027, 1, 1), n=12, venue_kw={"owned": True, "split": True})
    # Q3: 已备案, adds 老年照护 (变更 新增): the scope-adjustment letter.
    q3 = uscc("370203", 13)
    add(q3, "青岛市市北区安心母婴职业培训学校", "职业技能培训机构", "青岛市市北区辽宁路207号", "已备案",
        ["母婴护理", "老年照护"], no="QD2025001", start=D(2025, 6, 1), filed=True, change={"老年照护": "新增"}, n=13)
    # Q4: one year of experience; a project outside the catalogue.
    q4 = uscc("370211", 14)
    add(q4, "青岛黄岛区蓝湾职业培训学校", "职业技能培训机构", "青岛市黄岛区长江中路419号", "申请中",
        ["家政服务", "咖啡制作"], start=D(2026, 12, 1), n=14, 培训考核年限=1)
    # Q5: 已备案, renewal passes.
    q5 = uscc("370203", 15, "12")
    add(q5, "青岛港城职业中等专业学校", "院校", "青岛市市北区港华路15号", "已备案", ["西式面点制作", "汽车美容"],
        no="QD2023002", start=D(2024, 1, 1), filed=True, n=15, venue_kw={"owned": True})
    # Q6: 已备案, an evaluator marks 不合格项3 (veto).
    q6 = uscc("370213", 16)
    add(q6, "青岛数联科技职业培训学校", "职业技能培训机构", "青岛市李沧区九水东路320号", "已备案", ["智能手机维修"],
        no="QD2024001", start=D(2024, 4, 1), filed=True, n=16)
    # Q7: 已备案 whose period ended (2025-12) without renewal scores: 视为自愿撤销 — and it asks to
    # add 老年照护: no scope-adjustment letter for a lapsed filing.
    q7 = uscc("370213", 17)
    add(q7, "青岛市李沧区惠民家政职业培训学校", "职业技能培训机构", "青岛市李沧区京口路58号", "已备案",
        ["家政服务", "老年照护"], no="QD2023001", start=D(2023, 1, 10), filed=True, change={"老年照护": "新增"}, n=17)

    # Q8: lease starts after the planned filing start; an unreadable contract end date.
    def q8_tweak(role, i, row):
        if role == "考核管理人员" and i == 0:
            row["劳动合同终止"] = "长期"
    q8 = uscc("370214", 18)
    add(q8, "青岛市城阳区颐康职业培训学校", "职业技能培训机构", "青岛市城阳区正阳路166号", "申请中", ["老年照护"],
        start=D(2026, 12, 1), n=18, staff_tweak=q8_tweak, venue_kw={"start": D(2027, 2, 1), "end": D(2032, 1, 31)})

    # Q9: both 专职 考务管理人员 left years ago (contracts ended 2019 and 2021): they do not count.
    def q9_tweak(role, i, row):
        if role == "考务管理人员":
            row.update(劳动合同起始=D(2016 + 2 * i, 3, 1), 劳动合同终止=D(2019 + 2 * i, 2, 28))
    q9 = uscc("370203", 19)
    add(q9, "青岛市市北区启航职业培训学校", "职业技能培训机构", "青岛市市北区延吉路88号", "申请中", ["家政服务"],
        start=D(2026, 12, 1), n=19, staff_tweak=q9_tweak)

    for name, total in [("刘海涛", 82), ("崔美玲", 79.5), ("王志刚", 85)]:
        scores.append(score_sheet(q5, name, total, D(2026, 10, 28)))
    for k, (name, total) in enumerate([("刘海涛", 78), ("姜春生", 80.5), ("王志刚", 76), ("孔晶晶", 81), ("邵明辉", 77)]):
        scores.append(score_sheet(q6, name, total, D(2026, 11, 3), vetoes=(3,) if k == 1 else ()))
    settings = [{"项目": "发文单位", "值": "青岛市人力资源和社会保障局"}, {"项目": "发文日期", "值": D(2026, 11, 25)},
                {"项目": "政策", "值": "shandong-2025"}]
    return {"机构": inst, "人员": staff, "场地": venues, "考核项目": projects, "续期评分": scores, "设置": settings}


# --- writing ----------------------------------------------------------------------------------

SHEET_NAMES = {"青岛": {"机构": "机构信息", "人员": "人员信息", "场地": "场地设施", "考核项目": "备案项目"}}
HEADER_TEXT = {"青岛": {"面积": "面积（㎡）", "监控全覆盖": "监控全覆盖\n(是/否)", "社保缴纳月数": "社保缴纳月数（月）"}}


def _columns(kind: str, rows: list[dict]) -> list[str]:
    names = BY_KIND[kind].names
    return [c for c in names if any(r.get(c) not in (None, "") for r in rows)] if kind != "设置" else names


def _value(v):
    return None if v == "" else v


def write_city(path: Path, city: str, sheets: dict) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    names = SHEET_NAMES.get(city, {})
    headers = HEADER_TEXT.get(city, {})
    for kind, rows in sheets.items():
        ws = wb.create_sheet(names.get(kind, kind))
        cols = _columns(kind, rows)
        if city == "济南" and kind == "人员":
            _write_merged_staff(ws, rows, cols)
        else:
            ws.append([headers.get(c, c) for c in cols])
            for r in rows:
                ws.append([_value(r.get(c)) for c in cols])
            for cell in ws[1]:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(wrap_text=True, horizontal="center")
            ws.freeze_panes = "A2"
        _format(ws, cols, first=4 if (city == "济南" and kind == "人员") else 2)
    wb.properties.creator = "sheetkit samples"
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 11, 20, 9, 0)
    wb.save(path)


def _write_merged_staff(ws, rows, cols):
    """Title rows, a 序号 column, and each institution's credit code merged down over its staff."""
    from openpyxl.styles import Alignment, Font

    width = len(cols) + 1
    ws.cell(row=1, column=1, value="济南市专项职业能力考核机构工作人员登记表").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=2, column=1, value="填报单位：济南市职业技能鉴定指导中心　　　　填报日期：2026年11月20日")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append(["序号", *cols])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    start = 4
    for i, r in enumerate(rows):
        code = r["统一社会信用代码"]
        ws.append([i + 1, *(_value(r.get(c)) if c != "统一社会信用代码" or i == 0 or rows[i - 1][c] != code
                            else None for c in cols)])
    # merge each block of the same code in column B
    r0 = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i]["统一社会信用代码"] != rows[r0]["统一社会信用代码"]:
            if i - 1 > r0:
                ws.merge_cells(start_row=start + r0, start_column=2, end_row=start + i - 1, end_column=2)
                ws.cell(row=start + r0, column=2).alignment = Alignment(vertical="center")
            r0 = i
    ws.freeze_panes = "C4"


def _format(ws, cols, first):
    from openpyxl.utils import get_column_letter

    offset = 1 if ws.cell(row=first - 1, column=1).value == "序号" else 0
    for j, c in enumerate(cols, 1 + offset):
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = 22 if c in ("统一社会信用代码", "身份证号", "机构名称", "机构地址",
                                                          "场地地址", "依据", "情形说明") else 12
        for row in ws.iter_rows(min_row=first, min_col=j, max_col=j):
            cell = row[0]
            if hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str) and c in ("统一社会信用代码", "身份证号"):
                cell.number_format = "@"


def write_catalogue(path: Path) -> None:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目目录"
    ws.append(["山东省专项职业能力考核项目目录（2026年征集）"])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "考核项目", "项目代码", "征集市"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for i, row in enumerate(catalogue_rows(CATALOGUE), 1):
        ws.append([i, row["考核项目"], row["项目代码"], row["征集市"] or None])
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["D"].width = 24
    wb.properties.creator = "sheetkit samples"
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 11, 20, 9, 0)
    wb.save(path)


def _fixed_zip(path: Path) -> None:
    """Rewrite the workbook's zip with fixed timestamps, so that regenerating the samples
    gives byte-identical files (no noise in git)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    stamp = b"2026-11-20T09:00:00Z"  # openpyxl writes the save time as `modified`
    entries = [(n, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, d) if n == "docProps/core.xml" else d)
               for n, d in entries]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 20, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)


def main(out: Path = HERE) -> list[Path]:
    global PEOPLE
    PEOPLE = People()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for city, filename in (("济南", "济南市登记表.xlsx"), ("青岛", "青岛市登记表.xlsx")):
        write_city(out / filename, city, city_register(city))
        written.append(out / filename)
    write_catalogue(out / "项目目录.xlsx")
    written.append(out / "项目目录.xlsx")
    for path in written:
        _fixed_zip(path)
    return written


if __name__ == "__main__":
    for p in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(p)
