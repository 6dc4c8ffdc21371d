"""Fixture registers and read-back helpers for the letters tests, built in code from `tests/builders.py`.

`letters_register()` holds one institution for each situation a letter kind looks at:

| n | status | what                                                             |
|---|--------|------------------------------------------------------------------|
| 1 | 申请中 | clean: gets a filing letter                                      |
| 2 | 申请中 | 信用状况 不良: no filing letter (inst.credit)                      |
| 3 | 已备案 | from 2025-03-01, adds 茶艺, drops 家政服务: gets an adjust letter   |
| 4 | 已备案 | 青岛, from 2023-12-01, renewal scores 85/80/90, 家政服务 not assessed   |
| 5 | 已备案 | 青岛, from 2023-12-01, renewal scores 50/55/52: renewal fails           |
| 6 | 已备案 | 青岛, revoked (自愿撤销)                                                 |
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from builders import (
    catalogue_rows, institution, project, score_row, staff_for, uscc, venues_for,
)

ISSUER = "济南市人力资源和社会保障局"
ISSUE_DATE = dt.date(2026, 11, 25)
PROJECTS = ("中式面点制作", "家政服务")


def _add(sheets, n, projects=PROJECTS, proj_over=None, **inst_over):
    code = uscc(n)
    sheets["机构"].append(institution(n, **inst_over))
    sheets["人员"].extend(staff_for(code, [p for p in projects], start=n * 100))
    sheets["场地"].extend(venues_for(code, 租赁起始=dt.date(2023, 1, 1), 租赁终止=dt.date(2031, 12, 31)))
    for p in projects:
        sheets["考核项目"].append(project(code, p, **(proj_over or {}).get(p, {})))
    return code


def letters_register() -> dict[str, list[dict]]:
    sheets = {"机构": [], "人员": [], "场地": [], "考核项目": [], "项目目录": catalogue_rows(),
              "续期评分": [], "撤销": [],
              "设置": [{"项目": "发文单位", "值": ISSUER}, {"项目": "发文日期", "值": ISSUE_DATE}]}
    _add(sheets, 1, 机构代码="SD2026001")
    _add(sheets, 2, 信用状况="不良")
    _add(sheets, 3, projects=("中式面点制作", "家政服务", "茶艺"), 备案状态="已备案", 机构代码="SD2025003",
         备案起始=dt.date(2025, 3, 1), proj_over={"茶艺": {"变更": "新增"}, "家政服务": {"变更": "删除"}})
    c4 = _add(sheets, 4, 所属市="青岛", 备案状态="已备案", 机构代码="SD2023004", 备案起始=dt.date(2023, 12, 1),
              proj_over={"家政服务": {"考核人次": 0, "取证人次": 0}})
    c5 = _add(sheets, 5, 所属市="青岛", 备案状态="已备案", 机构代码="SD2023005", 备案起始=dt.date(2023, 12, 1))
    c6 = _add(sheets, 6, 所属市="青岛", 备案状态="已备案", 机构代码="SD2024006", 备案起始=dt.date(2024, 6, 1))
    for name, total in (("王专家", 85), ("赵专家", 80), ("钱专家", 90)):
        sheets["续期评分"].append(score_row(c4, name, total))
    for name, total in (("孙专家", 50), ("周专家", 55), ("吴专家", 52)):
        sheets["续期评分"].append(score_row(c5, name, total))
    sheets["撤销"].append({"统一社会信用代码": c6, "撤销情形": "自愿撤销", "情形说明": "主动申请撤销备案",
                         "依据": "《专项职业能力考核机构备案管理办法》", "撤销日期": dt.date(2026, 11, 1)})
    return sheets


def docx_paragraphs(path_or_bytes) -> list[str]:
    """Every paragraph of a .docx (body and table cells, in order), read with python-docx,
    from the first one with text (the 发文字号 line above the title is blank without
    --number); a title's line breaks are dropped."""
    import docx

    src = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    doc = docx.Document(src)
    out = [p.text.replace("\n", "") for p in doc.paragraphs]
    while out and not out[0].strip():
        out.pop(0)
    for table in doc.tables:
        for row in table.rows:
            out.extend(c.text for c in row.cells)
    return out


def docx_tables(path) -> list[list[list[str]]]:
    import docx

    doc = docx.Document(str(path))
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def document_xml(path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def make_template(path, paragraphs, runs_split=None):
    """A .docx whose paragraphs hold ``paragraphs``; ``runs_split`` (a list of strings)
    becomes one paragraph whose text is spread over several runs, as Word does."""
    import docx

    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if runs_split:
        p = doc.add_paragraph()
        for piece in runs_split:
            p.add_run(piece).bold = piece.startswith("me")
    doc.save(path)
    return path
