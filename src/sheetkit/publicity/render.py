"""Writing a city's 公示 list: the workbook (xlsxwriter: every cell a string, A4, the
header row repeated on each printed page) and the document (the built-in docxtpl template
`templates/notices/publicity.docx`, rendered in the letters' sandbox)."""

from __future__ import annotations

from pathlib import Path

TITLE = "拟备案专项职业能力考核机构和考核项目公示名单"
HEADER = ("序号", "考核机构名称", "统一社会信用代码", "考核项目")
WIDTHS = (6, 36, 22, 40)


def template() -> Path:
    from sheetkit.letters import builtin_templates

    return builtin_templates() / "notices" / "publicity.docx"


def context(notice, profile) -> dict:
    from sheetkit.letters.context import date_zh

    return {"notice": profile.document, "city": notice.city, "count": str(len(notice.rows)),
            "period": notice.period, "length": notice.length, "issuer": notice.issuer, "date": date_zh(notice.date),
            "rows": [{"n": str(i), **row} for i, row in enumerate(notice.rows, 1)]}


def docx_bytes(notice, profile) -> bytes:
    from sheetkit.letters.render import LetterTemplate

    return LetterTemplate(template(), label="publicity.docx").render(context(notice, profile))


def same_content(existing: Path, data: bytes) -> bool:
    """Whether the file ``existing`` says what ``data`` says (the text of a .docx, every
    cell of a .xlsx): a second run on the same register changes nothing."""
    try:
        old = existing.read_bytes()
        if existing.suffix == ".docx":
            from sheetkit.letters.render import docx_text

            return docx_text(old) == docx_text(data)
        return _cells(old) == _cells(data)
    except Exception:  # an unreadable file is not the same
        return False


def _cells(data: bytes) -> list:
    import io

    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [(name, book.get_sheet_by_name(name).to_python()) for name in book.sheet_names]


def xlsx_bytes(notice, profile) -> bytes:
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_urls": False,
                                      "strings_to_numbers": False, "in_memory": True})
    ws = wb.add_worksheet("公示名单")
    font = {"font_name": "仿宋", "font_size": 12}
    title = wb.add_format({"font_name": "黑体", "font_size": 16, "align": "center", "valign": "vcenter"})
    line = wb.add_format({**font, "align": "left", "valign": "vcenter", "text_wrap": True})
    head = wb.add_format({"font_name": "黑体", "font_size": 12, "border": 1, "align": "center",
                          "valign": "vcenter", "text_wrap": True})
    cell = wb.add_format({**font, "border": 1, "valign": "vcenter", "text_wrap": True})
    centre = wb.add_format({**font, "border": 1, "align": "center", "valign": "vcenter"})
    last = len(HEADER) - 1
    ws.merge_range(0, 0, 0, last, TITLE, title)
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, last, f"公示期：{notice.period}（{notice.length}）", line)
    ws.merge_range(2, 0, 2, last, f"依据：{profile.document}；发布单位：{notice.issuer}", line)
    for c, (text, width) in enumerate(zip(HEADER, WIDTHS)):
        ws.write_string(3, c, text, head)
        ws.set_column(c, c, width)
    for r, row in enumerate(notice.rows, 4):
        ws.write_string(r, 0, str(r - 3), centre)
        ws.write_string(r, 1, row["name"], cell)
        ws.write_string(r, 2, row["uscc"], centre)
        ws.write_string(r, 3, row["projects"], cell)
    ws.set_paper(9)  # A4
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(3)
    ws.set_margins(left=0.7, right=0.7, top=0.8, bottom=0.8)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.freeze_panes(4, 0)
    wb.close()
    return buffer.getvalue()
