"""Build the letter templates (SPEC §3) as .docx files, laid out as GB/T 9704-2012 函.

    .venv/bin/python letter_templates/build_templates.py

writes `letter_templates/<kind>.docx` and the packaged copies in
`src/sheetkit/templates/`. The wording is that of 鲁人社函〔2025〕23号 附件2, 2-1, 3, 3-1,
6, 7, 7-1 and 8, with 「XXXX（考核机构名称）」 and the blanks replaced by docxtpl tags:

    {{ name }} 机构名称   {{ code }} 机构代码 (blank: _____)   {{ period }} 自2026年12月至2029年11月
    {{ issuer }} 发文单位  {{ date }} 2025年2月12日            {%tr for p in projects %} table rows
    {{ policy_basis }} the basis document and {{ website }} the province's website, both from the profile

Each tag is written in one run, so the templates render as they are and staff can
edit the text in Word (keep each tag typed in one go; `sheetkit templates check` tells
when Word has split one).

Layout: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 方正小标宋简体
22 pt centred; body 仿宋_GB2312 16 pt, first line indented 2 characters, line spacing
fixed 28.9 pt (22 lines a page); addressee flush left; 附件 line indented 2 characters;
issuer and date at the right (the issuer centred over the date); page numbers
「— 1 —」 in 宋体 14 pt, odd pages right, even pages left; the attachment on a new page.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent / "src" / "sheetkit" / "templates"

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
SONG_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_PT = 16
LINE_PITCH = 579  # twips: 28.95 pt, 22 lines in the 225 mm type area
LINE = Pt(LINE_PITCH / 20)
CONDENSE = -5  # twentieths of a point: 三号 characters 0.25 pt closer, 15.75 pt: 28 in the 156 mm line

POLICY = "根据{{ policy_basis }}等文件要求，经评估，"  # the profile's basis (shandong-2025: 鲁人社字〔2023〕22号)
DUTY = "按照“谁考核、谁发证、谁负责”原则，请你单位严格依据相关政策规定，规范开展专项职业能力考核工作。"
NOTE_SCOPE = "备注：开展专项职业能力考核项目范围以{{ website }}公布情况为准。"  # the profile's website
# The notice's 备注 2 (「“调整情况”栏写明…」) tells the drafter how to fill the table: it is
# not printed on the letter, and item 1 loses its number.
NOTE_ADJUST = "备注：调整专项职业能力考核项目范围以{{ website }}公布情况为准。"
NOTE_FEEDBACK = ("备注：1.评估结果分为合格、不合格，综合得分在60(含60分)-100分之间的为合格，综合得分在60分以下的为不合格。"
                 "2.考核机构存在《专项职业能力考核机构续期评估明细表》中“不合格项”有关情形的，"
                 "评估组须立即向备案所属市人力资源社会保障局报告，备案所属市人力资源社会保障局视具体情况进行调查处理。")

LETTERS = {
    "filing": {
        "title": "关于同意{{ name }}开展专项职业能力考核工作的函",
        "body": [POLICY + "同意你单位面向社会开展专项职业能力考核工作。机构代码为{{ code }}，有效期3年（{{ period }}）。",
                 DUTY],
        "attachment": "{{ name }}开展专项职业能力考核项目范围",
        "table": (("序号", "考核项目"), ("{{ loop.index }}", "{{ p }}"), "p in projects", (20, None)),
        "note": NOTE_SCOPE,
    },
    "adjust": {
        "title": "关于同意{{ name }}调整专项职业能力考核范围信息的函",
        "body": [POLICY + "同意你单位调整考核范围信息。机构代码（{{ code }}）及有效期（{{ period }}）不变。", DUTY],
        "attachment": "{{ name }}调整专项职业能力考核项目范围",
        "table": (("序号", "考核项目", "调整情况"), ("{{ loop.index }}", "{{ c.project }}", "{{ c.change }}"),
                  "c in changes", (20, None, 40)),
        "note": NOTE_ADJUST,
    },
    "renewal": {
        "title": "关于同意{{ name }}继续开展专项职业能力考核工作的函",
        "body": ["你单位《专项职业能力考核机构备案续期申请表》收悉。" + POLICY
                 + "同意你单位继续面向社会开展专项职业能力考核工作。机构代码为{{ code }}，有效期3年（{{ period }}）。",
                 DUTY],
        "attachment": "{{ name }}开展专项职业能力考核项目范围",
        "table": (("序号", "考核项目"), ("{{ loop.index }}", "{{ p }}"), "p in projects", (20, None)),
        "note": NOTE_SCOPE,
    },
    "revoke": {
        "title": "关于撤销{{ name }}专项职业能力考核机构备案的函",
        "body": ["因你单位出现{{ situation }}情形，根据{{ basis }}有关要求，现撤销你单位专项职业能力考核机构备案。"
                 "自收到本函之日起，你单位应全面停止专项职业能力考核组织实施活动，并妥善做好历史证书维护、"
                 "考核档案管理、参评人员服务等后续工作。"],
    },
}


# ---------------------------------------------------------------- formatting helpers

def set_fonts(rpr_parent, east_asia: str, latin: str = LATIN_FONT, size: float | None = None,
              bold: bool | None = None) -> None:
    """Explicit fonts on a style's or run's rPr: w:eastAsia so Word and LibreOffice pick a
    Chinese face; no theme fonts (they would win over the explicit names)."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")
    for tag in ("w:sz", "w:szCs"):
        if size is not None:
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size * 2)))
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), "1" if bold else "0")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def chars_indent(paragraph, first: int = 0, left: int = 0, hanging: int = 0) -> None:
    """Indents in characters (w:firstLineChars etc., which Word honours) and points."""
    pf = paragraph.paragraph_format
    if first:
        pf.first_line_indent = Pt(BODY_PT * first)
    if hanging:
        pf.first_line_indent = -Pt(BODY_PT * hanging)
    if left:
        pf.left_indent = Pt(BODY_PT * left)
    ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    if first:
        ind.set(qn("w:firstLineChars"), str(first * 100))
    if hanging:
        ind.set(qn("w:hangingChars"), str(hanging * 100))
    if left:
        ind.set(qn("w:leftChars"), str(left * 100))


def page_break_before(paragraph) -> None:
    paragraph.paragraph_format.page_break_before = True


def setup(doc) -> None:
    """A4 page, GB/T 9704 margins, the styles every template shares."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    doc.settings.odd_and_even_pages_header_footer = True
    document_grid(section)

    # document defaults: no theme fonts
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr_default.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    for tag in ("w:sz", "w:szCs"):  # the grid's character is measured on the default size
        rpr_default.find(qn(tag)).set(qn("w:val"), str(BODY_PT * 2))

    normal = doc.styles["Normal"]
    set_fonts(normal.element, BODY_FONT, size=BODY_PT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = False
    condense(normal, CONDENSE)

    styles = doc.styles
    title = styles.add_style("公文标题", 1)
    title.base_style = normal
    set_fonts(title.element, TITLE_FONT, size=22)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(35)
    title.paragraph_format.keep_with_next = True
    off_grid(title)

    number = styles.add_style("发文字号", 1)
    number.base_style = normal
    number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    body = styles.add_style("公文正文", 1)
    body.base_style = normal
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Pt(BODY_PT * 2)

    mark = styles.add_style("附件标识", 1)
    mark.base_style = normal
    set_fonts(mark.element, HEI_FONT, size=BODY_PT)

    table = styles.add_style("表格文字", 1)
    table.base_style = normal
    set_fonts(table.element, BODY_FONT, size=14)
    table.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table.paragraph_format.line_spacing = Pt(22)
    off_grid(table)

    note = styles.add_style("备注", 1)
    note.base_style = normal
    set_fonts(note.element, BODY_FONT, size=14)
    note.paragraph_format.line_spacing = Pt(24)
    note.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    off_grid(note)

    for name in ("署名", "成文日期"):
        style = styles.add_style(name, 1)
        style.base_style = normal
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    footer_style = styles["Footer"]
    set_fonts(footer_style.element, SONG_FONT, latin=SONG_FONT, size=14)
    footer_style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    page_numbers(section)
    font_table(doc)


def document_grid(section) -> None:
    """GB/T 9704 行数和字数: 22 lines of 28 characters.

    Lines: the line grid (w:docGrid lines, pitch 28.95 pt) and exact 28.95 pt spacing.
    Characters: 28 三号 characters (448 pt) do not fit the 156 mm (442.2 pt) line, so the
    body's characters are set 0.25 pt closer (w:spacing -5 on the Normal style): 15.75 pt
    each, 28 a line in Word, WPS and LibreOffice alike. A character grid (w:docGrid
    linesAndChars with w:charSpace -849, what Word's 「文档网格」 writes) does the same in Word
    and WPS, but LibreOffice 7 gives each 16 pt character two 15.79 pt grid cells: 14 a
    line."""
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))


def off_grid(style) -> None:
    """Titles, tables and notes keep their own size and spacing (w:snapToGrid off)."""
    ppr = style.element.get_or_add_pPr()
    el = OxmlElement("w:snapToGrid")
    el.set(qn("w:val"), "0")
    ppr.insert(0, el)


def right_indent(paragraph, chars: float) -> None:
    """A right indent of ``chars`` body characters (w:right in twips; no w:rightChars, whose
    character Word takes as 16 pt, not the 15.75 pt the line is set in)."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:right"), str(round(chars * (BODY_PT * 20 + CONDENSE))))


def condense(style, twentieths: int) -> None:
    rpr = style.element.get_or_add_rPr()
    el = OxmlElement("w:spacing")
    el.set(qn("w:val"), str(twentieths))
    size = rpr.find(qn("w:sz"))
    size.addprevious(el)  # schema order: w:spacing before w:sz


def page_numbers(section) -> None:
    """「— 1 —」: odd pages right with one character's space, even pages left; none on
    the first page (GB/T 9704 信函格式: 首页不显示页码)."""
    section.different_first_page_header_footer = True
    section.first_page_footer.is_linked_to_previous = False
    for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = section.part.document.styles["Footer"]
        p.alignment = align
        if side == "right":
            p.paragraph_format.right_indent = Pt(14)
        else:
            p.paragraph_format.left_indent = Pt(14)
        p.add_run("— ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        p._p.append(field)
        p._p.append(p.add_run(" —")._r)


FONT_TABLE = (  # name, altName (what Word and LibreOffice try when the face is missing), pitch
    (TITLE_FONT, "宋体", "variable"),
    (BODY_FONT, "仿宋", "fixed"),
    (HEI_FONT, "SimHei", "variable"),
    (SONG_FONT, "SimSun", "variable"),
)


def font_table(doc) -> None:
    """Declare the Chinese faces in word/fontTable.xml with an alternative name and the
    GB2312 character set (86), so an application without them picks a Chinese face."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="auto"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, alt, pitch in FONT_TABLE)
    part._blob = xml.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def para(doc, text: str = "", style: str = "Normal", align=None):
    p = doc.add_paragraph(style=style)
    if text:
        p.add_run(text)
    if align is not None:
        p.alignment = align
    return p


def signature(doc) -> None:
    """GB/T 9704 7.3.5.1: the date 右空四字, the issuer centred over it. Both are set
    right; `sheetkit.letters.layout` sets the issuer's right indent from the two texts
    when it renders (here: the indent for a 13-character issuer over 2025年2月12日)."""
    for _ in range(2):  # room for the seal, which is pressed onto the issuer and the date
        para(doc)
    issuer = para(doc, "{{ issuer }}", "署名")
    issuer.paragraph_format.keep_with_next = True
    right_indent(issuer, 1)
    right_indent(para(doc, "{{ date }}", "成文日期"), 4)


def narrow_margins(cell, side) -> None:
    """The cell's left and right margins (w:tcMar) set to ``side``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    mar = OxmlElement("w:tcMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(round(side.pt * 20)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    vertical = tcpr.find(qn("w:vAlign"))  # CT_TcPr order: …, tcMar, textDirection, tcFitText, vAlign
    if vertical is not None:
        vertical.addprevious(mar)
    else:
        tcpr.append(mar)


def cell_text(cell, text: str, style: str = "表格文字") -> None:
    p = cell.paragraphs[0]
    p.style = cell.part.document.styles[style]
    if text:
        p.add_run(text)


def loop_table(doc, header, row, loop: str, widths) -> None:
    """A bordered table: header row, then one row per item ({%tr for %} … {%tr endfor %})."""
    table = doc.add_table(rows=4, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    fixed = sum(w for w in widths if w)
    for i, width in enumerate(widths):
        width = Mm(width) if width else Mm(150 - fixed)
        table.columns[i].width = width  # w:gridCol, which LibreOffice follows
        for r in table.rows:
            r.cells[i].width = width  # w:tcW, which Word follows
    for r in table.rows:
        r.height = Mm(9)
    for i, text in enumerate(header):
        cell_text(table.rows[0].cells[i], text)
    mark_header(table.rows[0])
    cell_text(table.rows[1].cells[0], "{%tr for " + loop + " %}")
    for i, text in enumerate(row):
        cell_text(table.rows[2].cells[i], text)
    cell_text(table.rows[3].cells[0], "{%tr endfor %}")


def mark_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    trpr.append(el)
    for cell in row.cells:
        for run in cell.paragraphs[0].runs:
            set_fonts(run._r, HEI_FONT, size=14)


# ---------------------------------------------------------------- the templates

def letter(kind: str, spec: dict):
    doc = Document()
    setup(doc)
    doc.core_properties.title = spec["title"].replace("{{ name }}", "XXXX（考核机构名称）")
    doc.core_properties.author = "sheetkit"

    para(doc, "{{ number }}", "发文字号")  # 信函格式: 发文字号 at the right edge, above the title
    para(doc)
    para(doc, spec["title"], "公文标题")
    para(doc)
    para(doc, "{{ name }}：")
    for text in spec["body"]:
        para(doc, text, "公文正文")
    if "attachment" in spec:
        para(doc)
        p = para(doc, "附件：" + spec["attachment"], "公文正文")
        p.paragraph_format.first_line_indent = None
        chars_indent(p, left=5, hanging=3)
    signature(doc)

    if "attachment" in spec:
        mark = para(doc, "附件", "附件标识")
        page_break_before(mark)
        para(doc)
        para(doc, spec["attachment"], "公文标题")
        para(doc)
        header, row, loop, widths = spec["table"]
        loop_table(doc, header, row, loop, widths)
        para(doc)
        para(doc, spec["note"], "备注")
    return doc


def feedback():
    """附件6 续期评估组意见反馈表: one column per expert (up to 5). The label column is wide
    enough for 「综合得分和等次」 on one line; the two long labels break where the meaning
    stays whole; every cell is centred vertically; the opinion box takes the rest of the
    page, the experts' signature and the date at its foot."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.table import WD_ROW_HEIGHT_RULE

    doc = Document()
    setup(doc)
    doc.core_properties.title = "续期评估组意见反馈表"
    doc.core_properties.author = "sheetkit"
    para(doc, "续期评估组意见反馈表", "公文标题")
    para(doc)
    table = doc.add_table(rows=5, cols=6)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, width in enumerate((40, 22, 22, 22, 22, 22)):
        table.columns[i].width = Mm(width)
        for r in table.rows:
            r.cells[i].width = Mm(width)
    labels = ("考核机构", "专家姓名", "专家评分", "综合得分和等次", ("评估组对考核", "机构的意见建议"))
    for r, label in enumerate(labels):
        if isinstance(label, tuple):
            cell = table.rows[r].cells[0]
            cell_text(cell, label[0])
            run = cell.paragraphs[0].runs[0]
            run.add_break()
            run.add_text(label[1])
        else:
            cell_text(table.rows[r].cells[0], label)
    for r in (0, 3, 4):
        table.rows[r].cells[1].merge(table.rows[r].cells[5])
    cell_text(table.rows[0].cells[1], "{{ name }}")
    for i in range(5):
        cell_text(table.rows[1].cells[i + 1], "{{ names[%d] }}" % i)
        cell_text(table.rows[2].cells[i + 1], "{{ scores[%d] }}" % i)
        # a four-character name (欧阳娜娜, 司马文静: 4 × 14 pt = 19.8 mm) on one line: 0.8 mm
        # side margins instead of Word's 1.9 mm leave 20.4 mm of the 22 mm column
        narrow_margins(table.rows[1].cells[i + 1], Mm(0.8))
    cell_text(table.rows[3].cells[1], "{{ score }}分　{{ result }}")
    # 备注2: each 不合格项 marked is named with its 附件4 wording (nothing when none is).
    for line in ("{%p for item in veto_items %}", "{{ item }}", "{%p endfor %}"):
        table.rows[3].cells[1].add_paragraph(line, style=doc.styles["表格文字"])
    for r in table.rows:
        r.height = Mm(12)
        r.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell in r.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    opinion = table.rows[4].cells[1]
    opinion.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    table.rows[4].height = Mm(75)  # room to write, and the form stays one page with 不合格项 named
    p = opinion.paragraphs[0]
    p.style = doc.styles["表格文字"]
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    p.paragraph_format.left_indent = Pt(56)
    p.add_run("评估组专家（签字）：")
    p = opinion.add_paragraph(style=doc.styles["表格文字"])
    p = opinion.add_paragraph("年　　月　　日", style=doc.styles["表格文字"])
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.paragraph_format.right_indent = Pt(28)
    opinion.add_paragraph(style=doc.styles["表格文字"])
    para(doc)
    para(doc, NOTE_FEEDBACK, "备注")
    return doc


# ---------------------------------------------------------------- forms: checklist, 附件5

FORM_PT = 12  # 小四: the forms' table text


def form_styles(doc) -> None:
    """The table styles of the forms: 仿宋 小四 on exact 18 pt lines, off the page grid."""
    styles = doc.styles
    for name, align in (("表内文字", WD_ALIGN_PARAGRAPH.JUSTIFY), ("表内居中", WD_ALIGN_PARAGRAPH.CENTER)):
        style = styles.add_style(name, 1)
        style.base_style = styles["Normal"]
        set_fonts(style.element, BODY_FONT, size=FORM_PT)
        style.paragraph_format.alignment = align
        style.paragraph_format.line_spacing = Pt(18)
        off_grid(style)
    head = styles.add_style("表头文字", 1)
    head.base_style = styles["表内居中"]
    set_fonts(head.element, HEI_FONT, size=FORM_PT)
    small = styles.add_style("表内说明", 1)
    small.base_style = styles["表内文字"]
    set_fonts(small.element, BODY_FONT, size=10.5)
    small.paragraph_format.line_spacing = Pt(15)


def grid_table(doc, widths, rows: int = 0):
    """A bordered table of ``widths`` (mm), centred, fixed layout."""
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, width in enumerate(widths):
        table.columns[i].width = Mm(width)
    return table


def form_row(table, texts, style="表内文字", height: float | None = 8, center=()):
    """A row of ``texts``; None continues the merge of the cell above (w:vMerge), a
    ``(text, n)`` pair spans n grid columns, a list is one paragraph per item; the
    cells starting at a grid column in ``center`` are centred; returns the row."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE

    row = table.add_row()
    widths = [c.width for c in table.columns]
    col = 0
    spans = []
    for item in texts:
        text, span = item if isinstance(item, tuple) else (item, 1)
        spans.append((col, span, text))
        col += span
    for col, span, text in reversed(spans):  # merge right to left so indexes stay valid
        own = "表内居中" if col in center and style == "表内文字" else style
        cell = row.cells[col]
        if span > 1:
            cell = cell.merge(row.cells[col + span - 1])
        cell.width = sum(widths[col:col + span], Mm(0))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if text is None:
            vmerge(cell, "continue")
            cell.paragraphs[0].style = doc_styles(table)[own]
            continue
        lines = text if isinstance(text, list) else [text]
        cell.paragraphs[0].style = doc_styles(table)[own]
        if lines[0]:
            cell.paragraphs[0].add_run(lines[0])
        for line in lines[1:]:
            cell.add_paragraph(line, style=doc_styles(table)[own])
    if height:
        row.height = Mm(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    return row


def doc_styles(table):
    return table.part.document.styles


def vmerge(cell, value: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    el = OxmlElement("w:vMerge")
    el.set(qn("w:val"), value)
    tcpr.append(el)


def repeat_header(row) -> None:
    """The row repeats at the top of each page the table runs onto (w:tblHeader)."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))


def cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def running_header(doc, text: str) -> None:
    """``text`` at the right of every page's header (first, odd and even pages)."""
    section = doc.sections[0]
    for header in (section.header, section.even_page_header, section.first_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = p.add_run(text)
        set_fonts(run._r, BODY_FONT, size=10.5)


CHECKLIST_NOTE = ("说明：“评估结果”栏中“符合”“不符合”依据登记表核查预填，“不符合”后为登记表中发现的问题；"
                  "“□符合　□不符合”为现场核验项，由评估组通过材料核验、现场察看、访谈咨询等方式核验后勾选。")


def form_document(title: str, heading: str | None = None) -> Document:
    """A new A4 form (checklist, 附件5, 公示): page set-up, form styles, its title in the
    document properties and, if given, the heading in 小标宋."""
    doc = Document()
    setup(doc)
    form_styles(doc)
    doc.core_properties.title = title
    doc.core_properties.author = "sheetkit"
    if heading:
        para(doc, heading, "公文标题")
    return doc


def checklist():
    """遴选评估核查表: the applicant, every condition line of its notice pre-filled from
    the register or left with boxes, the assessors' signatures. The lines, their number
    and heading come from the data (`sheetkit.coverage.checklist`), so one template serves
    鲁人社函〔2025〕23号 附件1 and 甘人社通〔2022〕110号 二."""
    doc = form_document("遴选评估核查表")
    running_header(doc, "{{ name }}　统一社会信用代码：{{ uscc }}")
    para(doc, "{{ title }}", "公文标题")
    p = para(doc, "（依据{{ source }}）", "表内居中")
    p.paragraph_format.space_after = Pt(8)
    info = grid_table(doc, (38, 116))
    for label, value in (("申请单位", "{{ name }}"), ("统一社会信用代码", "{{ uscc }}"), ("所属市", "{{ city }}"),
                         ("申报考核项目", "{{ projects_line }}"), ("评估日期", "　　　　年　　月　　日")):
        row = form_row(info, [label, value])
        row.cells[0].paragraphs[0].style = doc.styles["表内居中"]
    para(doc, CHECKLIST_NOTE, "表内说明").paragraph_format.space_before = Pt(6)

    para(doc, "{%p for s in sections %}")
    heading = para(doc, "{{ s.heading }}", "附件标识")
    heading.paragraph_format.space_before = Pt(6)
    heading.paragraph_format.keep_with_next = True
    widths = (18, 26, 70, 40)
    table = grid_table(doc, widths)
    head = form_row(table, ["序号", "评估项目", "评估内容", "评估结果"], style="表头文字")
    repeat_header(head)
    form_row(table, ["{%tr for l in s.lines %}", "", "", ""], height=None)
    row = form_row(table, ["{{ l.number }}", "{{ l.item }}",
                           ["{{ l.text }}", "{%p for o in l.onsite %}", "现场核验：{{ o }}", "{%p endfor %}"],
                           ["{%p for m in l.marks %}", "{{ m }}", "{%p endfor %}"]])
    cant_split(row)
    for i in (0, 1):
        row.cells[i].paragraphs[0].style = doc.styles["表内居中"]
        vmerge(row.cells[i], "{% if l.first %}restart{% else %}continue{% endif %}")
    for p in row.cells[2].paragraphs[1:]:
        p.style = doc.styles["表内说明"]
    form_row(table, ["{%tr endfor %}", "", "", ""], height=None)
    para(doc, "{%p endfor %}")

    para(doc, "{%p if others %}")
    para(doc, "登记表中的其他问题：", "表内文字").paragraph_format.space_before = Pt(6)
    para(doc, "{%p for o in others %}")
    para(doc, "{{ o }}", "表内文字")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")

    p = para(doc, "评估组意见", "附件标识")
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.keep_with_next = True
    opinion = grid_table(doc, (154,))
    form_row(opinion, [""], height=40)
    p = para(doc, "{{ panel }}（签字）", "附件标识")
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.keep_with_next = True
    panel = grid_table(doc, (16, 50, 88))
    repeat_header(form_row(panel, ["序号", "姓名（签字）", "工作单位及职务（职称）"], style="表头文字"))
    form_row(panel, ["{%tr for n in panel_rows %}", "", ""], height=None)
    row = form_row(panel, ["{{ n }}", "", ""], height=11)
    row.cells[0].paragraphs[0].style = doc.styles["表内居中"]
    form_row(panel, ["{%tr endfor %}", "", ""], height=None)
    p = para(doc, "　　　　年　　月　　日", "成文日期")
    p.paragraph_format.space_before = Pt(12)
    right_indent(p, 2)
    return doc


APP_NOTE = ("备注：1.本表所填写内容须真实无误。2.有关内容如在本表内填写不完，可另加A4纸附页。"
            "3.表中需选择的栏目，在相应项目后方框内打“√”。4.本表需正反面打印报送。")
APP_WORK = "说明考核机构专项职业能力考核工作开展情况，包括制度执行、队伍建设、题库建设、设施设备、考务管理、质量管理、档案管理、财务管理和考核收费等情况，以及考核机构主要经验做法和取得的社会效果等。"
APP_PLAN = "说明考核机构在未来三年开展考核工作的整体规划，包括考核服务范围与规模、质量提升目标与保障、市场推广计划与措施等。"
APP_ISSUES = "说明考核机构在开展专项职业能力考核过程中遇到的问题和困难，以及对专项职业能力考核工作的意见建议。"
APP_APPLY = ("本单位申请专项职业能力考核机构备案续期，继续面向社会开展专项职业能力考核工作。在下一个备案期内，本单位承诺严格落实"
             "专项职业能力考核各项工作要求，确保专项职业能力考核质量和服务水平。")
APP_HONEST = "本单位承诺填写内容、报送材料真实有效，如有弄虚作假，愿意承担相应责任。"


def application():
    """附件5 专项职业能力考核机构备案续期申请表, its layout and wording, with what the
    register knows filled in (`sheetkit.letters.application`) and the rest blank."""
    doc = form_document("专项职业能力考核机构备案续期申请表", "专项职业能力考核机构备案续期申请表")
    para(doc)
    t = grid_table(doc, (30, 30, 32, 30, 30))
    head = form_row(t, center=(0, 1, 2, 3, 4), texts=[("一、机构信息", 5)], style="表头文字")
    head.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    form_row(t, center=(0, 1, 2, 3, 4), texts=["考核机构名称", ("{{ name }}", 4)])
    form_row(t, center=(0, 1, 2, 3, 4), texts=["考核机构地址", ("{{ address }}", 4)])
    form_row(t, center=(0, 1, 2, 3, 4), texts=["考核机构代码", "{{ code }}", "统一社会信用代码", ("{{ uscc }}", 2)])
    form_row(t, center=(0, 1, 2, 3, 4), texts=["联系人", "{{ contact }}", "职务", ("", 2)])
    form_row(t, center=(0, 1, 2, 3, 4), texts=["联系电话", "{{ phone }}", "电子邮箱", ("{{ email }}", 2)])
    form_row(t, center=(0, 1, 2, 3, 4), texts=["主体资质是否变更", "是□　否□", "变更项", ("（证明材料附后）", 2)])
    form_row(t, center=(0, 1, 2, 3, 4), texts=["信用情况是否良好", "是□　否□", ("（银行资信证明、信用报告附后）", 3)])
    head = form_row(t, center=(0, 1, 2, 3, 4), texts=[("二、基本情况", 5)], style="表头文字")
    head.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    form_row(t, center=(0, 1, 2, 3, 4), texts=["当前备案期限", ("{{ period }}", 4)])
    form_row(t, center=(0, 1, 2, 3, 4), texts=["备案期内是否开展考核", ("{{ assessed }}　备案期内初次考核时间：{{ first_assessed }}", 4)])
    row = form_row(t, center=(0, 1, 2, 3, 4), texts=["考核情况", "考核项目", "考核人次", "取证人次", "通过率"])
    vmerge(row.cells[0], "restart")
    form_row(t, center=(0, 1, 2, 3, 4), texts=["{%tr for p in projects %}", "", "", "", ""], height=None)
    form_row(t, center=(0, 1, 2, 3, 4), texts=[None, "{{ p.name }}", "{{ p.assessed }}", "{{ p.certified }}", "{{ p.rate }}"])
    form_row(t, center=(0, 1, 2, 3, 4), texts=["{%tr endfor %}", "", "", "", ""], height=None)
    row = form_row(t, center=(0, 1, 2, 3, 4), texts=["考核资源", "考核场地情况", ("{{ venue_kinds }}", 3)])
    vmerge(row.cells[0], "restart")
    vmerge(row.cells[1], "restart")
    form_row(t, center=(0, 1, 2, 3, 4), texts=[None, None, "场地地址", ("{{ venue_addresses }}", 2)])
    for i, (label, key) in enumerate((("考评人员数量", "assessors"), ("督导人员数量", "supervisors"),
                                      ("命题专家数量", "experts"), ("工作人员数量", "workers"))):
        row = form_row(t, center=(0, 1, 2, 3, 4), texts=[None, "人员情况" if i == 0 else None, label, ("{{ staff.%s }}" % key, 2)])
        if i == 0:
            vmerge(row.cells[1], "restart")
    row = form_row(t, center=(0, 1, 2, 3, 4), texts=[None, "考核题库情况", "考核项目", "卷库(套)", "题库(道)"])
    vmerge(row.cells[1], "restart")
    form_row(t, center=(0, 1, 2, 3, 4), texts=["{%tr for p in projects %}", "", "", "", ""], height=None)
    form_row(t, center=(0, 1, 2, 3, 4), texts=[None, None, "{{ p.name }}", "{{ p.papers }}", "{{ p.questions }}"])
    form_row(t, center=(0, 1, 2, 3, 4), texts=["{%tr endfor %}", "", "", "", ""], height=None)

    para(doc)
    para(doc, "三、工作总结", "附件标识")
    w = grid_table(doc, (22, 22, 110))
    row = form_row(w, center=(0, 1), texts=["备案期内工作总结", "工作开展情况", [APP_WORK]], height=70)
    vmerge(row.cells[0], "restart")
    form_row(w, center=(0, 1), texts=[None, "下步工作规划", [APP_PLAN]], height=60)
    form_row(w, center=(0, 1), texts=[None, "问题与建议", [APP_ISSUES]], height=50)
    for label, text in (("备案续期申请", APP_APPLY), ("诚信声明", APP_HONEST)):
        row = form_row(w, center=(0, 1), texts=[label, ([text, "", "法定代表人（签字）：", "", "单位名称（公章）", "年　　月　　日"], 2)], height=50)
        cell = row.cells[1]
        for p in cell.paragraphs[0:1]:
            p.paragraph_format.first_line_indent = Pt(FORM_PT * 2)
        for p in cell.paragraphs[4:]:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(FORM_PT * 2)
    for r in w.rows[:3]:
        r.cells[2].paragraphs[0].style = doc.styles["表内说明"]
    para(doc)
    para(doc, APP_NOTE, "表内说明")
    return doc


def publicity():
    """公示 (鲁人社函〔2025〕23号 一(二)3): the text, the list of the institutions and their
    projects, the issuer and the date (`sheetkit publicity`)."""
    doc = form_document("拟备案专项职业能力考核机构和考核项目公示", "关于拟备案专项职业能力考核机构和考核项目的公示")
    para(doc)
    para(doc, "按照{{ notice }}要求，经遴选评估，拟对以下{{ count }}家考核机构及其考核项目予以备案，现予以公示。", "公文正文")
    para(doc, "公示期：{{ period }}（{{ length }}）。", "公文正文")
    para(doc, "公示期间，对公示的考核机构和考核项目有异议的，请以书面形式向{{ issuer }}反映。", "公文正文")
    para(doc)
    table = grid_table(doc, (14, 50, 48, 42))
    repeat_header(form_row(table, ["序号", "考核机构名称", "统一社会信用代码", "考核项目"], style="表头文字"))
    form_row(table, ["{%tr for r in rows %}", "", "", ""], height=None)
    row = form_row(table, ["{{ r.n }}", "{{ r.name }}", "{{ r.uscc }}", "{{ r.projects }}"], center=(0, 2))
    cant_split(row)
    form_row(table, ["{%tr endfor %}", "", "", ""], height=None)
    signature(doc)
    return doc


def build(out_dirs=(HERE, PACKAGE)) -> list[Path]:
    docs = {kind: letter(kind, spec) for kind, spec in LETTERS.items()}
    docs["feedback"] = feedback()
    docs["checklist"] = checklist()
    docs["application"] = application()
    docs["notices/publicity"] = publicity()
    written = []
    first, *others = [Path(d) for d in out_dirs]
    first.mkdir(parents=True, exist_ok=True)
    for kind, doc in docs.items():
        path = first / f"{kind}.docx"
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.save(path)
        written.append(path)
        for other in others:
            copy = other / f"{kind}.docx"
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
            written.append(copy)
    return written


if __name__ == "__main__":
    dirs = sys.argv[1:] or (HERE, PACKAGE)
    for p in build(dirs):
        print(p)
