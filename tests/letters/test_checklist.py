"""The 遴选评估核查表 (`sheetkit letters checklist`): every condition line of the notice,
pre-filled from the register's findings or left with boxes for the assessors."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from builders import AS_OF, clean_register, uscc, write_register
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.coverage import checklist
from sheetkit.engine import validate
from sheetkit.letters import render_letters
from sheetkit.letters.checklist import BOXES

SEEDS = Path("/work/shared/seeds")
ROOT = Path(__file__).resolve().parents[2]


def _seed(name):
    for folder in (ROOT.parent / "shared" / "seeds", SEEDS):
        if (folder / name).exists():
            return re.sub(r"\s+", "", (folder / name).read_text(encoding="utf-8"))
    return None


def _rows(path) -> dict[str, tuple[str, str, str]]:
    """Each condition line of the sheet: its wording → (序号, 评估项目, 评估结果)."""
    doc = docx.Document(str(path))
    out = {}
    for table in doc.tables:
        if table.rows[0].cells[-1].text != "评估结果":
            continue
        for row in table.rows[1:]:
            cells = row.cells
            wording = cells[2].paragraphs[0].text
            out[wording] = (cells[0].text, cells[1].text, cells[3].text)
    return out


def _all_text(path) -> str:
    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    parts += [p.text for s in doc.sections for h in (s.header, s.first_page_header) for p in h.paragraphs]
    return "\n".join(parts)


@pytest.fixture
def shandong(tmp_path):
    sheets = clean_register(2)
    sheets["机构"][1]["独立考核部门"] = "否"  # 附件1 第3项 fails for applicant 2
    return write_register(tmp_path / "r.xlsx", sheets)


def test_every_line_of_annex_1_prefilled_or_boxed(shandong, tmp_path):
    result = render_letters([shandong], "checklist", tmp_path / "out", as_of=AS_OF)
    assert len(result.generated) == 2 and result.skipped == []
    by_code = {g["institution"]: Path(g["path"]) for g in result.generated}
    _, sections = checklist("shandong-2025")
    assert [h for h, _ in sections] == ["一、必备条件", "二、优先条件"]
    lines = [line for _, ls in sections for line in ls]
    assert {line.number for line in lines} == {str(n) for n in range(1, 11)}

    clean = _rows(by_code[uscc(1)])
    assert set(clean) == {line.wording for line in lines}  # every 附件1 line, nothing else
    for line in lines:
        verdict = clean[line.wording][2]
        if line.needs_eyes:
            assert BOXES in verdict, line.wording
        else:
            assert verdict == "符合", line.wording
        if line.rules and line.onsite:
            assert "登记表：符合" in verdict
    department = "有独立负责专项职业能力考核工作的内设部门。"
    assert clean[department] == ("3", "机构设置", "符合")
    assert clean["场地设备符合安全、消防、环保、卫生等规定。"][2] == BOXES
    assert clean["畅通投诉举报、信息公示等渠道。"][2] == BOXES  # 第7项: on site only
    assert BOXES in clean["申报单位参与人社部门专项职业能力考核培训教材开发，提供正式出版的教材。"][2]  # 优先条件 10

    # applicant 2: the one failing condition shows 不符合 with the finding's reason
    assessment = validate([shandong], as_of=AS_OF)
    (finding,) = [f for f in assessment.findings_for(uscc(2)) if f.rule == "inst.department"]
    failing = _rows(by_code[uscc(2)])
    assert failing[department][2] == f"不符合：{finding.message}"
    others = [w for w, (_, _, v) in failing.items() if "不符合：" in v]
    assert others == [department]

    text = _all_text(by_code[uscc(2)])
    assert "济南第2职业技能培训学校" in text and uscc(2) in text
    assert "专项职业能力考核机构遴选评估核查表" in text and "鲁人社函〔2025〕23号附件1" in text
    panel = [t for t in docx.Document(str(by_code[uscc(2)])).tables if t.rows[0].cells[0].text == "序号"
             and t.rows[0].cells[1].text == "姓名（签字）"]
    assert len(panel) == 1 and [r.cells[0].text for r in panel[0].rows[1:]] == ["1", "2", "3", "4", "5"]


def test_lines_keep_the_notices_wording():
    for profile, seed_name in (("shandong-2025", "003_8e32365238ea3c21.txt"), ("gansu-2022", "000_07127082e0970cf6.txt")):
        seed = _seed(seed_name)
        assert seed is not None, f"{seed_name} is in neither shared/seeds nor tests/seeds"
        _, sections = checklist(profile)
        for _, lines in sections:
            for line in lines:
                wording = re.sub(r"^\d\.", "", line.wording).rstrip("。；")
                assert wording in seed, (profile, line.wording)


def test_gansu_applicant_gets_the_gansu_lines(tmp_path):
    sheets = clean_register()
    for row in sheets["机构"]:
        row["所属市"] = "兰州"
    sheets["人员"] = [p for p in sheets["人员"] if p["岗位"] != "技术支持人员"]  # 二(四)5 fails
    path = write_register(tmp_path / "兰州.xlsx", sheets)
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["letters", "checklist", str(path), "-o", str(out), "--profile", "gansu-2022",
                                   "--as-of", AS_OF.isoformat()])
    assert res.exit_code == 0, res.output
    (sheet,) = out.glob("checklist_*.docx")
    rows = _rows(sheet)
    _, sections = checklist("gansu-2022")
    assert [h for h, _ in sections] == ["申报条件"]
    assert set(rows) == {line.wording for _, ls in sections for line in ls}
    assert {n for n, _, _ in rows.values() if n} == {"（一）", "（二）", "（三）", "（四）", "（五）", "（六）"}
    tech = rows["5.考核项目技术支持人员满足相关工作需要、计算机和网络操作人员满足相关工作需要。"][2]
    assert tech.startswith("不符合：") and "技术支持" in tech
    assert rows["有完善的管理规章制度，包括财务管理制度、档案管理制度、考务管理制度、质量管理制度等。"][2] == BOXES
    text = _all_text(sheet)
    assert "甘人社通〔2022〕110号二、申报条件" in text and "专家评议组成员（签字）" in text
    assert "鲁人社" not in text and "附件1" not in text and "山东" not in text


def test_a_clause_whose_numbered_item_fails_does_not_read_fits(tmp_path):
    """甘 二(四) states the staff as a whole and 二(四)1–5 each kind: with 二(四)5 failing
    the 二(四) line reads 「不符合：第5项不符合（见下）」, never a plain 「符合」 above the
    failing item; with every item met it reads 「符合」."""
    sheets = clean_register(2)
    for row in sheets["机构"]:
        row["所属市"] = "兰州"
    sheets["人员"] = [p for p in sheets["人员"]
                     if not (p["岗位"] == "技术支持人员" and p["统一社会信用代码"] == uscc(2))]
    path = write_register(tmp_path / "兰州.xlsx", sheets)
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["letters", "checklist", str(path), "-o", str(out), "--profile", "gansu-2022",
                                   "--as-of", AS_OF.isoformat()])
    assert res.exit_code == 0, res.output
    heading = "有与考核项目相适应的专设机构和专职工作人员、专业考评人员、内部质量督导人员；"
    (met,) = out.glob(f"checklist_{uscc(1)}_*.docx")
    (short,) = out.glob(f"checklist_{uscc(2)}_*.docx")
    assert _rows(met)[heading][2] == "符合"
    assert _rows(short)[heading][2] == "不符合：第5项不符合（见下）"


def test_only_applicants_get_a_checklist(tmp_path):
    from letters_fixture import letters_register

    path = write_register(tmp_path / "r.xlsx", letters_register())
    result = render_letters([path], "checklist", tmp_path / "out", as_of=AS_OF)
    assert {g["institution"] for g in result.generated} == {uscc(1), uscc(2)}  # 申请中, findings or not
    assert all(s["reasons"] == ["letters.status"] for s in result.skipped)
    assessment = validate([path], as_of=AS_OF)
    assert assessment.verdict(uscc(2)).documents["checklist"].due
    assert not assessment.verdict(uscc(3)).documents["checklist"].due
