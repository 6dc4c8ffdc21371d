"""Fixture registers built in code. Every row builder returns a row that passes every
rule of `shandong-2025`; tests change one thing and assert the one finding it causes.

    path = write_register(tmp_path / "r.xlsx", clean_register())
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sheetkit.register.model import BY_KIND, MATERIAL_ITEMS, SCORE_MAXIMA, VETO_ITEMS
from sheetkit.rules.ids import USCC_CHARS, resident_check_char, uscc_check_char

AS_OF = dt.date(2026, 11, 22)


def uscc(n: int, prefix: str = "913701") -> str:
    """A valid 统一社会信用代码 numbered ``n`` (prefix: 登记管理部门+机构类别+行政区划)."""
    body = prefix + "00" + f"{n:09d}"
    body = body[:17]
    return body + uscc_check_char(body)


def resident(n: int, birth: str = "19800101", region: str = "370102") -> str:
    """A valid 身份证号 numbered ``n``."""
    body = region + birth + f"{n % 1000:03d}"
    return body + resident_check_char(body)


def institution(n: int = 1, **over) -> dict:
    row = {
        "统一社会信用代码": uscc(n), "机构名称": f"济南第{n}职业技能培训学校", "所属市": "济南",
        "机构类型": "职业技能培训机构", "机构地址": f"济南市历下区经十路{n}号", "法定代表人": f"张{n}",
        "联系人": f"李{n}", "联系电话": "0531-88880000", "电子邮箱": f"jg{n}@example.cn",
        "机构代码": "", "备案状态": "申请中", "备案起始": dt.date(2026, 12, 1), "信用状况": "良好",
        "独立考核部门": "是", "培训考核年限": 3,
    }
    row.update(over)
    return row


def person(code: str, n: int, role: str, *, mode: str = "专职", project: str = "", **over) -> dict:
    row = {
        "统一社会信用代码": code, "姓名": f"人员{n}", "身份证号": resident(n), "岗位": role, "用工形式": mode,
        "考核项目": project, "劳动合同起始": dt.date(2024, 1, 1) if mode == "专职" else None,
        "劳动合同终止": dt.date(2027, 12, 31) if mode == "专职" else None,
        "社保缴纳月数": 24 if mode == "专职" else None, "供职单位数": 2 if mode == "兼职" else None,
        "技能等级": "三级", "专业技术职称": "中级", "学历": "本科", "相关工作年限": 5, "技能带头人": "否",
        "考评员证书编号": f"KP{n:06d}" if role == "考评人员" else "",
    }
    row.update(over)
    return row


def staff_for(code: str, projects: list[str], start: int = 1) -> list[dict]:
    """A complete staffing that meets every shandong-2025 and gansu-2022 condition."""
    n = start
    rows = []

    def add(role, **kw):
        nonlocal n
        rows.append(person(code, n, role, **kw))
        n += 1

    add("负责人")
    for _ in range(2):
        add("考核管理人员")
        add("考务管理人员")
        add("内部质量督导人员")
    for p in projects:
        for _ in range(3):
            add("考评人员", project=p)
        for _ in range(2):
            add("技术资源建设专家", project=p)
    add("技术支持人员")  # gansu-2022 二(四)5
    return rows


def venues_for(code: str, **over) -> list[dict]:
    base = {"统一社会信用代码": code, "场地用途": "办公及考核", "场地地址": "济南市历下区经十路1号",
            "产权类型": "租赁", "不动产权证号": "", "租赁起始": dt.date(2026, 1, 1),
            "租赁终止": dt.date(2030, 12, 31), "面积": 500, "监控全覆盖": "是"}
    base.update(over)
    return [base]


def project(code: str, name: str, **over) -> dict:
    row = {"统一社会信用代码": code, "考核项目": name, "变更": "", "卷库套数": 5, "题库道数": 300,
           "考核人次": 120, "取证人次": 100, "首次考核日期": dt.date(2024, 3, 1)}
    row.update(over)
    return row


CATALOGUE = ["中式面点制作", "家政服务", "电子商务运营", "茶艺", "老年照护", "养老护理", "西式面点制作"]


def catalogue_rows(names=CATALOGUE, cities: str = "") -> list[dict]:
    return [{"考核项目": p, "项目代码": f"S{i:04d}", "征集市": cities} for i, p in enumerate(names, 1)]


def score_row(code: str, expert: str, total: float = 85.0, vetoes: tuple[int, ...] = (), **over) -> dict:
    """One evaluator's 附件4 sheet whose 43 items add up to ``total`` (≤ 100)."""
    row = {"统一社会信用代码": code, "评估专家": expert, "评估日期": dt.date(2026, 10, 15)}
    remaining = 100.0 - total
    for i, m in enumerate(SCORE_MAXIMA, 1):
        take = min(m, remaining)
        row[str(i)] = m - take
        remaining -= take
    for i in range(1, VETO_ITEMS + 1):
        row[f"不合格项{i}"] = "是" if i in vetoes else "否"
    row.update(over)
    return row


def materials(code: str, **over) -> dict:
    """A 申报材料 row with every item of 甘人社通〔2022〕110号 三 submitted."""
    row = {"统一社会信用代码": code, **{name: "是" for name, _ in MATERIAL_ITEMS}}
    row.update(over)
    return row


def clean_register(n_institutions: int = 1, projects=("中式面点制作", "家政服务")) -> dict[str, list[dict]]:
    """A register whose every institution passes every rule (申请中, filing from 2026-12-01)."""
    sheets: dict[str, list[dict]] = {"机构": [], "人员": [], "场地": [], "考核项目": [],
                                     "项目目录": catalogue_rows(), "申报材料": []}
    for i in range(1, n_institutions + 1):
        code = uscc(i)
        sheets["机构"].append(institution(i))
        sheets["人员"].extend(staff_for(code, list(projects), start=i * 100))
        sheets["场地"].extend(venues_for(code))
        sheets["考核项目"].extend(project(code, p) for p in projects)
        sheets["申报材料"].append(materials(code))
    return sheets


def write_register(path: Path, sheets: dict[str, list[dict]], *, title_rows: int = 0,
                   columns: dict[str, list[str]] | None = None, fmt: str = "xlsx") -> Path:
    """Write ``sheets`` (kind → rows as dicts) to a workbook with openpyxl. Columns follow
    the model's order (or ``columns[kind]``); ``title_rows`` merged title rows go above the
    header. Dates are written as real Excel dates."""
    import openpyxl

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for kind, rows in sheets.items():
        ws = wb.create_sheet(kind)
        if columns and kind in columns:
            header = columns[kind]
        elif kind in BY_KIND:
            header = [c for c in BY_KIND[kind].names if any(c in r for r in rows)] or BY_KIND[kind].names
        else:
            header = list(rows[0]) if rows else []
        for t in range(title_rows):
            ws.cell(row=t + 1, column=1, value=f"{kind}登记表" if t == 0 else "填报单位：")
            if len(header) > 1:
                ws.merge_cells(start_row=t + 1, start_column=1, end_row=t + 1, end_column=len(header))
        ws.append(header)
        for r in rows:
            ws.append([_cell(r.get(h)) for h in header])
    wb.save(path)
    return path


def _cell(v):
    if v == "":
        return None
    return v


__all__ = [
    "AS_OF", "CATALOGUE", "USCC_CHARS", "catalogue_rows", "clean_register", "institution", "materials", "person",
    "project", "resident", "score_row", "staff_for", "uscc", "venues_for", "write_register",
]
