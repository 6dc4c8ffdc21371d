"""Title lines break where the meaning stays whole (GB/T 9704 7.3.3), for any name length."""

from __future__ import annotations

import pytest

from sheetkit.letters.layout import TITLE_CHARS, body_width, title_lines, width

TITLES = ("关于同意{}开展专项职业能力考核工作的函", "关于同意{}继续开展专项职业能力考核工作的函",
          "关于同意{}调整专项职业能力考核范围信息的函", "关于撤销{}专项职业能力考核机构备案的函",
          "{}开展专项职业能力考核项目范围", "{}调整专项职业能力考核项目范围")
NAMES = ("泉安公司", "济南第1职业技能培训学校", "济南市历下区鲁匠职业培训学校", "青岛崂峰茶业有限公司",
         "济南市历下区某某某某职业技能培训学校", "A&B（济南）Training有限公司")
WORDS = ("专项职业能力", "开展", "考核项目", "考核工作", "考核范围", "考核机构")


@pytest.mark.parametrize("template", TITLES)
@pytest.mark.parametrize("name", NAMES)
def test_a_name_that_fits_a_line_is_never_broken(template, name):
    title = template.format(name)
    lines = title_lines(title, name)
    assert "".join(lines) == title
    assert all(width(line) <= TITLE_CHARS for line in lines)
    offsets = [sum(len(x) for x in lines[:k]) for k in range(1, len(lines))]
    start = title.index(name)
    assert not [o for o in offsets if start < o < start + len(name)], lines
    for word in WORDS:
        for k in range(len(title)):
            if title.startswith(word, k) and not (start <= k < start + len(name)):
                assert not [o for o in offsets if k < o < k + len(word)], (word, lines)


def test_the_break_comes_after_the_name_before_the_verb():
    assert title_lines("关于同意济南市历下区鲁匠职业培训学校开展专项职业能力考核工作的函", "济南市历下区鲁匠职业培训学校") == [
        "关于同意济南市历下区鲁匠职业培训学校", "开展专项职业能力考核工作的函"]
    assert title_lines("关于同意泉安公司继续开展专项职业能力考核工作的函", "泉安公司") == [
        "关于同意泉安公司", "继续开展专项职业能力考核工作的函"]
    assert title_lines("续期评估组意见反馈表") == ["续期评估组意见反馈表"]


def test_a_name_longer_than_a_line_breaks_at_a_word_of_its_own():
    name = "青岛市市北区安心母婴职业培训学校有限责任公司"
    lines = title_lines(f"关于同意{name}开展专项职业能力考核工作的函", name)
    assert lines == ["关于同意青岛市市北区安心母婴职业培训学校", "有限责任公司开展专项职业能力考核工作的函"]


def test_digits_are_half_a_body_character():
    assert body_width("2026年11月25日") == pytest.approx(3 + 8 * 7.75 / 15.75 + 5 * 0.25)


def test_feedback_form_labels_fit_and_cells_are_centred():
    import docx
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.shared import Mm

    from sheetkit.letters import template_path

    table = docx.Document(str(template_path("feedback")[0])).tables[0]
    assert table.columns[0].width >= Mm(40)  # 「综合得分和等次」 (7 × 14 pt) on one line
    labels = [row.cells[0].text for row in table.rows]
    assert labels[3] == "综合得分和等次" and labels[4] == "评估组对考核\n机构的意见建议"
    assert all(row.cells[0].vertical_alignment == WD_CELL_VERTICAL_ALIGNMENT.CENTER for row in table.rows)
    assert table.rows[4].height >= Mm(70)  # room to write the opinion
    assert table.rows[4].cells[1].vertical_alignment == WD_CELL_VERTICAL_ALIGNMENT.BOTTOM


def test_letters_set_28_characters_a_line_and_22_lines_a_page():
    import zipfile

    from sheetkit.letters import template_path

    for kind in ("filing", "adjust", "renewal", "revoke"):
        with zipfile.ZipFile(template_path(kind)[0]) as z:
            doc, styles = z.read("word/document.xml").decode(), z.read("word/styles.xml").decode()
        assert '<w:docGrid w:linePitch="579" w:type="lines"/>' in doc
        assert '<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"' in doc
        assert '<w:spacing w:val="-5"/>' in styles  # 16 pt - 0.25 pt: 28 × 15.75 pt ≤ 156 mm
        assert '<w:titlePg/>' in doc  # no page number on page 1


FILING = ("根据《山东省人力资源和社会保障厅关于印发〈山东省专项职业能力考核社会化改革试点方案〉的通知》（鲁人社字〔2023〕22号）"
          "等文件要求，经评估，同意你单位面向社会开展专项职业能力考核工作。机构代码为_____，有效期3年（自2026年12月至2029年11月）。")


def test_a_pushed_citation_gets_half_width_marks_and_ends_its_line():
    from sheetkit.letters.layout import body_lines, fit_units

    before = [FILING[a:b] for a, b, _ in body_lines(FILING)]
    assert before[1].endswith("（鲁人社字") and before[2].startswith("〔2023〕22")  # 25 characters, pushed
    scales = fit_units(FILING)
    assert sorted(FILING[i] for i in scales) == sorted("》（〔〕") and set(scales.values()) == {50}
    after = [FILING[a:b] for a, b, _ in body_lines(FILING, scales)]
    assert after[1].endswith("（鲁人社字〔2023〕22")


def test_a_citation_inside_a_line_is_left_alone():
    from sheetkit.letters.layout import fit_units

    assert fit_units("你单位《专项职业能力考核机构备案续期申请表》收悉。" + FILING[:FILING.index("等文件")]) == {}
    assert fit_units("没有括号的正文。" * 10) == {}


def test_the_marks_are_split_into_runs_of_their_own():
    from lxml import etree

    from sheetkit.letters.layout import W, apply

    xml = (f'<w:body xmlns:w="{W}"><w:p><w:pPr><w:pStyle w:val="公文正文"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
           f'<w:t>{FILING}</w:t></w:r></w:p></w:body>')
    body = etree.fromstring(xml)
    apply(body, {})
    runs = body.findall(f".//{{{W}}}r")
    assert "".join(r.findtext(f"{{{W}}}t") for r in runs) == FILING
    scaled = [r.findtext(f"{{{W}}}t") for r in runs if r.find(f"{{{W}}}rPr/{{{W}}}w") is not None]
    assert scaled == ["》", "（", "〔", "〕"]
    assert all(r.find(f"{{{W}}}rPr/{{{W}}}b") is not None for r in runs)  # the run's format is kept


def test_the_scale_takes_its_place_in_the_run_properties():
    from lxml import etree

    from sheetkit.letters.layout import W, apply

    xml = (f'<w:body xmlns:w="{W}"><w:p><w:pPr><w:pStyle w:val="公文正文"/></w:pPr><w:r><w:rPr>'
           f'<w:rFonts w:eastAsia="仿宋_GB2312"/><w:spacing w:val="-5"/><w:sz w:val="32"/><w:lang w:eastAsia="zh-CN"/>'
           f'</w:rPr><w:t>{FILING}</w:t></w:r></w:p></w:body>')
    body = etree.fromstring(xml)
    apply(body, {})
    scaled = [r for r in body.iter(f"{{{W}}}r") if r.find(f"{{{W}}}rPr/{{{W}}}w") is not None]
    assert len(scaled) == 4
    for r in scaled:
        assert [etree.QName(c).localname for c in r.find(f"{{{W}}}rPr")] == ["rFonts", "spacing", "w", "sz", "lang"]


LONG = "济南市历下区泉城路街道社区居家养老服务中心附属老年照护与家政服务职业技能培训学校有限责任公司"


@pytest.mark.parametrize("template", TITLES)
@pytest.mark.parametrize("name", [LONG, LONG.replace("老年照护与家政服务", "调整范围")])
def test_a_name_of_two_lines_is_not_cut_inside_a_word(template, name):
    """A 46-character name filled three lines exactly by cutting 服务中|心, a 42-character one
    by 服务|中心: a word cut in two costs more than a fourth line, and 中心 ends its word
    (服务中心); the seams are 社区| and |职业 (a place, a kind of body)."""
    title = template.format(name)
    lines = title_lines(title, name)
    assert "".join(lines) == title and all(width(line) <= TITLE_CHARS for line in lines)
    offsets = {sum(len(x) for x in lines[:k]) for k in range(1, len(lines))}
    start = title.index(name)
    for word in ("服务中心", "职业技能", "培训学校", "有限责任公司", "社区", "养老"):
        k = start + name.index(word)
        assert not [o for o in offsets if k < o < k + len(word)], (word, lines)
    assert start + name.index("居家") in offsets, lines


def test_a_four_character_expert_name_fits_its_cell():
    """欧阳娜娜 broke as 欧阳娜 / 娜 in the 专家姓名 row: 4 × 14 pt did not fit the 22 mm column
    less Word's default 1.9 mm margins (108 twips each side)."""
    import docx
    from docx.oxml.ns import qn

    from sheetkit.letters import template_path

    table = docx.Document(str(template_path("feedback")[0])).tables[0]
    for cell in table.rows[1].cells[1:]:
        tcpr = cell._tc.tcPr
        mar = tcpr.find(qn("w:tcMar"))
        sides = [int(mar.find(qn(f"w:{e}")).get(qn("w:w"))) if mar is not None else 108 for e in ("left", "right")]
        width = int(tcpr.find(qn("w:tcW")).get(qn("w:w")))
        assert width - sum(sides) >= 4 * 14 * 20, (width, sides)


@pytest.mark.libreoffice
def test_a_four_character_expert_name_prints_on_one_line(tmp_path):
    import re
    import shutil
    import subprocess

    from builders import AS_OF, clean_register, institution, score_row, uscc, write_register

    from sheetkit import render_letters
    from sheetkit.letters.pdf import find_soffice

    if find_soffice() is None or not shutil.which("pdftotext"):
        pytest.skip("needs LibreOffice (soffice) and poppler-utils (pdftotext)")
    sheets = clean_register(1)
    sheets["机构"] = [institution(1, 备案状态="已备案", 机构代码="JN2023001", 备案起始=AS_OF.replace(year=2023, month=12, day=1))]
    sheets["场地"] = [dict(v, 租赁起始=AS_OF.replace(year=2020)) for v in sheets["场地"]]
    sheets["续期评分"] = [score_row(uscc(1), n, 86) for n in ("孙立群", "高文静", "马振东", "周慧", "欧阳娜娜")]
    result = render_letters([write_register(tmp_path / "r.xlsx", sheets)], "feedback", tmp_path / "out", as_of=AS_OF,
                            pdf=True)
    assert result.generated, result.skipped
    text = subprocess.run(["pdftotext", "-layout", result.generated[0]["pdf"], "-"], capture_output=True, text=True,
                          check=True).stdout
    row = next(line for line in text.splitlines() if "专家姓名" in line)
    assert re.search(r"欧\s?阳\s?娜\s?娜", row), text
