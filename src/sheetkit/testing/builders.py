"""One builder of registers: for the tests, `workbooks/make_samples.py`, `bench/generate.py`
and `tests/corpus/build_corpus.py`.

Every row builder returns a row that passes every rule of `shandong-2025` (and, for the
defaults, `gansu-2022`); callers change one thing and assert the one finding it causes.

    sheets = clean_register()                         # kind → rows as dicts
    path = write_register(tmp_path / "r.xlsx", sheets) # a real workbook (openpyxl)
    register = register_of(sheets)                     # the same register, in memory

Credit codes and ID numbers carry valid check characters (`sheetkit.rules.ids`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sheetkit.register.model import BY_KIND, MATERIAL_ITEMS, SCORE_MAXIMA, VETO_ITEMS
from sheetkit.rules.ids import USCC_CHARS, resident_check_char, uscc_check_char

AS_OF = dt.date(2026, 11, 22)
CATALOGUE = ["中式面点制作", "家政服务", "电子商务运营", "茶艺", "老年照护", "养老护理", "西式面点制作"]

# -- identifiers ---------------------------------------------------------------------------


def with_uscc_check(body: str) -> str:
    """17 characters of a 统一社会信用代码 + their check character."""
    return body + uscc_check_char(body)


def uscc(n: int, prefix: str = "913701") -> str:
    """A valid 统一社会信用代码 numbered ``n`` (prefix: 登记管理部门+机构类别+行政区划)."""
    return with_uscc_check((prefix + "00" + f"{n:09d}")[:17])


def uscc_org(region: str, n: int, kind: str = "52") -> str:
    """A valid code with a letter-style 组织机构代码 (``MA…``) numbered ``n``: ``kind`` (52 民办
    非企业, 91 企业, 51 社会团体, 12 事业单位) + ``region`` + the organisation code."""
    org = "MA" + "".join(USCC_CHARS[(n * 7 + i * 13) % 31] for i in range(6)) + USCC_CHARS[(n * 3) % 10]
    return with_uscc_check(kind + region + org)


def wrong_uscc(code: str) -> str:
    """``code`` with its check character replaced by the next one: an `id.uscc` finding."""
    return code[:17] + USCC_CHARS[(USCC_CHARS.index(code[17]) + 1) % len(USCC_CHARS)]


def resident(n: int, birth: str | dt.date = "19800101", region: str = "370102") -> str:
    """A valid 身份证号 numbered ``n`` (its sequence is ``n`` mod 1000)."""
    if isinstance(birth, dt.date):
        birth = f"{birth:%Y%m%d}"
    body = f"{region}{birth}{n % 1000:03d}"
    return body + resident_check_char(body)


def wrong_resident(code: str) -> str:
    """``code`` with its check digit replaced by the next one: an `id.resident` finding."""
    checks = "10X98765432"
    return code[:17] + checks[(checks.index(code[17]) + 1) % 11]


# -- rows ----------------------------------------------------------------------------------


def institution(n: int = 1, **over) -> dict:
    """A 机构 row: 申请中, filing from 2026-12-01, in 济南."""
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
    """A 人员 row numbered ``n``: a 专职 has a contract 2024–2027 and 24 months of social
    insurance, a 兼职 serves 2 units."""
    full = mode == "专职"
    row = {
        "统一社会信用代码": code, "姓名": f"人员{n}", "身份证号": resident(n), "岗位": role, "用工形式": mode,
        "考核项目": project, "劳动合同起始": dt.date(2024, 1, 1) if full else None,
        "劳动合同终止": dt.date(2027, 12, 31) if full else None,
        "社保缴纳月数": 24 if full else None, "供职单位数": 2 if mode == "兼职" else None,
        "技能等级": "三级", "专业技术职称": "中级", "学历": "本科", "相关工作年限": 5, "技能带头人": "否",
        "考评员证书编号": f"KP{n:06d}" if role == "考评人员" else "",
    }
    row.update(over)
    return row


MANAGERS = ("考核管理人员", "考务管理人员", "内部质量督导人员")


def staffing(projects, *, grouped: bool = False, part_time: bool = False,
             support: str | None = "last") -> list[tuple[str, str, str]]:
    """The staffing that meets every shandong-2025 and gansu-2022 condition for
    ``projects``, as (岗位, 用工形式, 考核项目) in row order: one 负责人, two of each
    manager role (专职), three 考评人员 and two 技术资源建设专家 per project, and a
    技术支持人员 (gansu-2022 二(四)5).

    ``grouped``: the manager roles in pairs (管理, 管理, 考务, 考务…) rather than in turn;
    ``part_time``: the third 考评人员, the experts and the 技术支持人员 are 兼职;
    ``support``: the 技术支持人员 ``"last"``, ``"first"`` (after the managers) or absent (None)."""
    plan = [("负责人", "专职", "")]
    managers = [r for r in MANAGERS for _ in range(2)] if grouped else [r for _ in range(2) for r in MANAGERS]
    plan += [(r, "专职", "") for r in managers]
    helper = ("技术支持人员", "兼职" if part_time else "专职", "")
    if support == "first":
        plan.append(helper)
    for p in projects:
        plan += [("考评人员", "兼职" if part_time and k == 2 else "专职", p) for k in range(3)]
        plan += [("技术资源建设专家", "兼职" if part_time else "专职", p) for _ in range(2)]
    if support == "last":
        plan.append(helper)
    return plan


def staff_for(code: str, projects, start: int = 1, **plan) -> list[dict]:
    """`staffing` as 人员 rows (`person`) numbered from ``start``."""
    return [person(code, n, role, mode=mode, project=p)
            for n, (role, mode, p) in enumerate(staffing(list(projects), **plan), start)]


def venue(code: str, *, address: str = "济南市历下区经十路1号", owned: bool = False,
          start: dt.date = dt.date(2026, 1, 1), end: dt.date = dt.date(2030, 12, 31), **over) -> dict:
    """A 场地 row: 500 ㎡ used as office and assessment venue, leased ``start``–``end``
    (or ``owned``, with a deed number)."""
    row = {"统一社会信用代码": code, "场地用途": "办公及考核", "场地地址": address,
           "产权类型": "自有" if owned else "租赁", "不动产权证号": "", "租赁起始": None if owned else start,
           "租赁终止": None if owned else end, "面积": 500, "监控全覆盖": "是"}
    if owned:
        row["不动产权证号"] = f"鲁（2019）{address[:3]}不动产权第{sum(map(ord, code)) * 7919 % 10 ** 7:07d}号"
    row.update(over)
    return row


def venues_for(code: str, *, split: bool = False, **over) -> list[dict]:
    """One venue (`venue`); ``split``: an office (180 ㎡, no monitoring) and an assessment
    venue (820 ㎡) at the same address."""
    base = venue(code, **over)
    if not split:
        return [base]
    office = dict(base, 场地用途="办公", 面积=180, 监控全覆盖=None)
    exam = dict(base, 场地用途="考核", 场地地址=base["场地地址"].replace("号", "号实训楼"), 面积=820)
    return [office, exam]


def project(code: str, name: str, **over) -> dict:
    """A 考核项目 row with enough papers and questions, assessed since 2024-03-01."""
    row = {"统一社会信用代码": code, "考核项目": name, "变更": "", "卷库套数": 5, "题库道数": 300,
           "考核人次": 120, "取证人次": 100, "首次考核日期": dt.date(2024, 3, 1)}
    row.update(over)
    return row


def catalogue_rows(names=CATALOGUE, cities: str = "") -> list[dict]:
    """项目目录 rows: each entry a name, or (name, code, cities)."""
    rows = []
    for i, entry in enumerate(names, 1):
        name, code, where = entry if isinstance(entry, tuple) else (entry, f"S{i:04d}", cities)
        rows.append({"考核项目": name, "项目代码": code, "征集市": where})
    return rows


def score_row(code: str, expert: str, total: float = 85.0, vetoes: tuple[int, ...] = (), *,
              when: dt.date = dt.date(2026, 10, 15), lose_last: bool = False, **over) -> dict:
    """One evaluator's 附件4 sheet whose 43 items add up to ``total`` (≤ 100): the points
    lost come off the first items (``lose_last``: the last ones)."""
    row = {"统一社会信用代码": code, "评估专家": expert, "评估日期": when}
    lost = round(100.0 - total, 2)
    items = list(enumerate(SCORE_MAXIMA, 1))
    for i, m in (reversed(items) if lose_last else items):
        take = min(m, lost)
        row[str(i)] = round(m - take, 2)
        lost = round(lost - take, 2)
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


def values(kind: str, row: dict) -> list:
    """``row`` as a list in the model's column order of ``kind`` (for list-based writers)."""
    return [row.get(c) for c in BY_KIND[kind].names]


# -- workbooks -----------------------------------------------------------------------------


def header(kind: str, rows: list[dict], columns: dict[str, list[str]] | None = None) -> list[str]:
    """The header `write_register` writes: ``columns[kind]``, else the model's columns that
    some row has (all of them when none has), else the first row's keys."""
    if columns and kind in columns:
        return columns[kind]
    if kind in BY_KIND:
        return [c for c in BY_KIND[kind].names if any(c in r for r in rows)] or BY_KIND[kind].names
    return list(rows[0]) if rows else []


def write_register(path: Path, sheets: dict[str, list[dict]], *, title_rows: int = 0,
                   columns: dict[str, list[str]] | None = None, fmt: str = "xlsx") -> Path:
    """Write ``sheets`` (kind → rows as dicts) to a workbook with openpyxl. Columns follow
    the model's order (or ``columns[kind]``); ``title_rows`` merged title rows go above the
    header. Dates are written as real Excel dates; a text starting with ``=`` becomes a
    formula (as openpyxl writes it)."""
    import openpyxl

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for kind, rows in sheets.items():
        ws = wb.create_sheet(kind)
        head = header(kind, rows, columns)
        for t in range(title_rows):
            ws.cell(row=t + 1, column=1, value=_title(kind, t))
            if len(head) > 1:
                ws.merge_cells(start_row=t + 1, start_column=1, end_row=t + 1, end_column=len(head))
        ws.append(head)
        for r in rows:
            ws.append([_cell(r.get(h)) for h in head])
    wb.save(path)
    return path


def _title(kind: str, t: int) -> str:
    return f"{kind}登记表" if t == 0 else "填报单位："


def _cell(v):
    return None if v == "" else v


class ListWriter:
    """A fast writer for registers of a million rows (the bench): one workbook in
    xlsxwriter's ``constant_memory`` mode, one row cursor per sheet, rows as lists in the
    model's column order (`values`). Date columns are written as Excel serial numbers
    with a date format; other cells as they are, never as formulas or URLs."""

    EPOCH = dt.date(1899, 12, 30)

    def __init__(self, path: Path, specs):
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                                  "strings_to_formulas": False, "strings_to_urls": False})
        self.date_fmt = self.wb.add_format({"num_format": "yyyy-mm-dd"})
        self.sheets = {}
        for spec in specs:
            ws = self.wb.add_worksheet(spec.kind)
            names = spec.names
            ws.write_row(0, 0, names)
            dates = [i for i, c in enumerate(spec.columns) if c.type == "date"]
            self.sheets[spec.kind] = [ws, 1, dates, len(names)]

    def row(self, kind: str, values: list) -> None:
        entry = self.sheets[kind]
        ws, r, dates, width = entry
        values = [*values, *[None] * (width - len(values))]  # optional columns at the end left blank
        start = 0
        for c in dates:
            if c > start:
                ws.write_row(r, start, values[start:c])
            v = values[c]
            if isinstance(v, dt.date):
                ws.write_number(r, c, (v - self.EPOCH).days, self.date_fmt)
            elif v is not None:
                ws.write_string(r, c, v)
            start = c + 1
        if start < len(values):
            ws.write_row(r, start, values[start:])
        entry[1] = r + 1

    def close(self):
        self.wb.close()


# -- in memory -----------------------------------------------------------------------------


def register_of(sheets, *, path: str = "register.xlsx", title_rows: int = 0,
                columns: dict[str, list[str]] | None = None, cities: dict[str, str] | None = None):
    """The `sheetkit.register.Register` that reading ``write_register(path, sheets)`` gives,
    built in memory: each sheet becomes the grid calamine would return (numbers as floats,
    blanks as ``""``, dates as dates) and goes through the reader's own sheet detection and
    the tables' normalising. ``sheets`` may also be {file name: sheets} for several
    workbooks (``path`` is then their folder). The file-level checks (the guard, formulas,
    encryption, unreadable files) need a real file: a text starting with ``=`` is refused
    here. ``cities``: the profile's city aliases (`Profile.city_map`)."""
    import os

    from sheetkit.register import Register, _settings, _settings_by_path
    from sheetkit.register.files import WorkbookPath
    from sheetkit.register.model import SHEETS
    from sheetkit.register.reader import read_sheet
    from sheetkit.register.table import build_table
    from sheetkit.report.model import Finding

    books = sheets if sheets and all(isinstance(v, dict) for v in sheets.values()) else None
    books = {os.path.join(path, name): book for name, book in books.items()} if books else {path: sheets}
    sources, findings, workbooks = [], [], []
    frames: dict[str, list] = {s.kind: [] for s in SHEETS}
    for shown, book in sorted(books.items()):
        workbooks.append(WorkbookPath(shown, Path(shown)))
        found = 0
        for kind, rows in book.items():
            sd = read_sheet(shown, kind, _grid(kind, rows, title_rows, columns), [])
            if sd is None:
                continue
            found += 1
            sd.frame["_src"] = len(sources)
            sources.append(sd.source)
            frames[sd.source.kind].append(sd.frame)
        if not found:
            findings.append(Finding("data.missing-sheet", "工作簿中没有可识别的登记表工作表（机构、人员、场地、考核项目等）",
                                    path=shown))
    tables = {spec.kind: build_table(spec, sources, frames[spec.kind], cities) for spec in SHEETS}
    paths = [os.path.dirname(path) or "."] if len(books) > 1 else [path]
    reg = Register(paths, workbooks, sources, tables, findings)
    reg.settings = _settings(tables["设置"])
    reg.settings_by_path = _settings_by_path(tables["设置"])
    return reg


def _grid(kind: str, rows: list[dict], title_rows: int, columns) -> list[list]:
    head = header(kind, rows, columns)
    width = max(1, len(head))
    grid = [[_title(kind, t), *[""] * (width - 1)] for t in range(title_rows)]
    grid.append(list(head) or [""])
    grid += [[_as_read(r.get(h)) for h in head] for r in rows]
    return grid


def _as_read(v):
    """A value as calamine returns it from a cell openpyxl wrote."""
    if v is None:
        return ""
    if isinstance(v, bool) or isinstance(v, (str, dt.date)):
        if isinstance(v, str) and v.startswith("="):
            raise ValueError(f"公式 {v!r} 只能写入真实工作簿（write_register）后读取")
        return v
    if isinstance(v, (int, float)):
        return float("%.16g" % v)  # as openpyxl writes a number (a long integer loses digits)
    return v


def check(sheets, profile="shandong-2025", as_of: dt.date = AS_OF, due_within: int | None = None, **kw):
    """`sheetkit.engine.validate` on the in-memory register of ``sheets`` (`register_of`)."""
    from sheetkit.engine import check_register
    from sheetkit.profiles import load_profile

    prof = load_profile(profile)
    return check_register(register_of(sheets, cities=prof.city_map(), **kw), prof, as_of=as_of,
                          due_within=due_within)


__all__ = [
    "AS_OF", "CATALOGUE", "MANAGERS", "MATERIAL_ITEMS", "USCC_CHARS", "ListWriter", "catalogue_rows", "check",
    "clean_register", "header", "institution", "materials", "person", "project", "register_of", "resident",
    "score_row", "staff_for", "staffing", "uscc", "uscc_org", "values", "venue", "venues_for", "with_uscc_check",
    "write_register", "wrong_resident", "wrong_uscc",
]
