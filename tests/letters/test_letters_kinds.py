"""Each letter kind end to end: validate the fixture register, write the letters, read
them back with python-docx, and check who was skipped and why."""

from __future__ import annotations

import json

import datetime as dt

import pytest
from builders import uscc
from letters_fixture import ISSUER, docx_paragraphs, docx_tables

from sheetkit import render_letters


def by_uscc(entries):
    return {e["institution"]: e for e in entries}


def test_filing_letter_content_and_skipped(register_path, as_of, tmp_path):
    out = tmp_path / "out"
    result = render_letters([register_path], "filing", out, as_of=as_of)

    assert [g["institution"] for g in result.generated] == [uscc(1)]
    letter = result.generated[0]
    assert letter["path"].endswith(f"filing_{uscc(1)}_济南第1职业技能培训学校.docx")
    text = docx_paragraphs(letter["path"])
    assert text[0] == "关于同意济南第1职业技能培训学校开展专项职业能力考核工作的函"
    assert "济南第1职业技能培训学校：" in text
    body = "\n".join(text)
    assert "机构代码为SD2026001，有效期3年（自2026年12月至2029年11月）。" in body
    assert "同意你单位面向社会开展专项职业能力考核工作" in body
    assert "附件：济南第1职业技能培训学校开展专项职业能力考核项目范围" in body
    assert ISSUER in [t.strip() for t in text]
    assert "2026年11月25日" in [t.strip() for t in text]  # 发文日期 from the 设置 sheet
    assert "备注：开展专项职业能力考核项目范围以山东省技能人才评价工作网公布情况为准。" in text
    assert docx_tables(letter["path"]) == [[["序号", "考核项目"], ["1", "中式面点制作"], ["2", "家政服务"]]]

    skipped = by_uscc(result.skipped)
    assert skipped[uscc(2)]["reasons"] == ["inst.credit"]
    assert "信用状况为“不良”" in skipped[uscc(2)]["message"]
    for n in (3, 4, 5, 6):  # 已备案: no filing receipt
        assert skipped[uscc(n)]["reasons"] == ["letters.status"]

    manifest = json.loads((out / "letters.json").read_text(encoding="utf-8"))
    assert [(g["institution"], g["name"], g["kind"], g["path"]) for g in manifest["generated"]] == [
        (uscc(1), "济南第1职业技能培训学校", "filing", letter["path"])]
    assert {s["institution"]: s["reasons"] for s in manifest["skipped"]}[uscc(2)] == ["inst.credit"]


def test_adjust_letter_lists_added_and_deleted_projects(register_path, as_of, tmp_path):
    result = render_letters([register_path], "adjust", tmp_path / "out", as_of=as_of)

    assert [g["institution"] for g in result.generated] == [uscc(3)]
    path = result.generated[0]["path"]
    text = docx_paragraphs(path)
    assert text[0] == "关于同意济南第3职业技能培训学校调整专项职业能力考核范围信息的函"
    assert "机构代码（SD2025003）及有效期（自2025年3月至2028年2月）不变。" in "\n".join(text)
    assert docx_tables(path) == [[["序号", "考核项目", "调整情况"], ["1", "家政服务", "删除项目"],
                                  ["2", "茶艺", "新增项目"]]]
    skipped = by_uscc(result.skipped)
    assert skipped[uscc(1)]["reasons"] == ["letters.status"]  # 申请中
    assert skipped[uscc(4)]["reasons"] == ["letters.no-change"]  # 已备案, nothing added or removed


def test_renewal_letter_lists_renewed_projects_only(register_path, as_of, tmp_path):
    result = render_letters([register_path], "renewal", tmp_path / "out", as_of=as_of)

    assert [g["institution"] for g in result.generated] == [uscc(4)]
    path = result.generated[0]["path"]
    text = docx_paragraphs(path)
    assert text[0] == "关于同意济南第4职业技能培训学校继续开展专项职业能力考核工作的函"
    body = "\n".join(text)
    assert body.count("你单位《专项职业能力考核机构备案续期申请表》收悉。") == 1
    # the old period 2023-12 … 2026-11 is followed by the next one
    assert "机构代码为SD2023004，有效期3年（自2026年12月至2029年11月）。" in body
    assert docx_tables(path) == [[["序号", "考核项目"], ["1", "中式面点制作"]]]  # 家政服务 not assessed
    skipped = by_uscc(result.skipped)
    assert skipped[uscc(5)]["reasons"] == ["renewal.score"]
    assert skipped[uscc(3)]["reasons"] == ["letters.no-renewal"]
    assert skipped[uscc(1)]["reasons"] == ["letters.status"]


def test_renewal_from_a_hand_built_outcome(register_path, as_of, tmp_path):
    """Letters read the assessment only: an Assessment whose verdict is set by hand gets
    the letter it describes (nothing re-derives eligibility or the period)."""
    from sheetkit import validate
    from sheetkit.assessment import Document
    from sheetkit.periods import filing_period

    report = validate([register_path], as_of=as_of)
    entry = report.verdict(uscc(3))
    entry.renewal = {"score": 77.5, "result": "合格", "renewed": ["茶艺", "中式面点制作"], "dropped": [],
                     "experts": [{"name": "甲", "total": 77.5, "date": None}], "vetoes": []}
    entry.documents["renewal"] = Document("renewal", True, filing_period(dt.date(2028, 3, 1)))
    result = render_letters(report, "renewal", tmp_path / "out")
    got = by_uscc(result.generated)
    assert set(got) == {uscc(3), uscc(4)}
    assert "有效期3年（自2028年3月至2031年2月）" in "\n".join(docx_paragraphs(got[uscc(3)]["path"]))
    assert docx_tables(got[uscc(3)]["path"]) == [[["序号", "考核项目"], ["1", "茶艺"], ["2", "中式面点制作"]]]


def test_feedback_form_has_each_expert_and_the_result(register_path, as_of, tmp_path):
    result = render_letters([register_path], "feedback", tmp_path / "out", as_of=as_of)

    got = by_uscc(result.generated)
    assert set(got) == {uscc(4), uscc(5)}
    assert result.skipped == []  # institutions without scores are not concerned
    table = docx_tables(got[uscc(4)]["path"])[0]
    assert table[0][0] == "考核机构" and table[0][1] == "济南第4职业技能培训学校"
    assert table[1] == ["专家姓名", "王专家", "赵专家", "钱专家", "", ""]
    assert table[2] == ["专家评分", "85", "80", "90", "", ""]
    assert table[3][1].startswith("85.00分　合格")
    failing = docx_tables(got[uscc(5)]["path"])[0]
    assert failing[3][1].startswith("52.33分　不合格")
    text = docx_paragraphs(got[uscc(4)]["path"])
    assert text[0] == "续期评估组意见反馈表"
    assert any(t.startswith("备注：1.评估结果分为合格、不合格，综合得分在60(含60分)-100分之间的为合格") for t in text)


def test_revoke_letter_fills_situation_and_basis(register_path, as_of, tmp_path):
    result = render_letters([register_path], "revoke", tmp_path / "out", as_of=as_of)

    assert [g["institution"] for g in result.generated] == [uscc(6)]
    text = docx_paragraphs(result.generated[0]["path"])
    assert text[0] == "关于撤销济南第6职业技能培训学校专项职业能力考核机构备案的函"
    assert ("因你单位出现主动申请撤销备案情形，根据《专项职业能力考核机构备案管理办法》有关要求，"
            "现撤销你单位专项职业能力考核机构备案。") in "\n".join(text)
    assert "自收到本函之日起，你单位应全面停止专项职业能力考核组织实施活动" in "\n".join(text)
    assert docx_tables(result.generated[0]["path"]) == []


def test_revoke_row_with_an_error_is_skipped(tmp_path, as_of):
    from builders import write_register
    from letters_fixture import letters_register

    sheets = letters_register()
    sheets["撤销"].append({"统一社会信用代码": uscc(3), "撤销情形": "违反规定", "情形说明": "伪造试卷",
                         "依据": "", "撤销日期": None})
    path = write_register(tmp_path / "r.xlsx", sheets)
    result = render_letters([path], "revoke", tmp_path / "out", as_of=as_of)
    assert [g["institution"] for g in result.generated] == [uscc(6)]
    assert by_uscc(result.skipped)[uscc(3)]["reasons"] == ["data.required"]


def test_only_and_city_narrow_the_run(register_path, as_of, tmp_path):
    result = render_letters([register_path], "feedback", tmp_path / "a", as_of=as_of, only=["济南第5职业技能培训学校"])
    assert [g["institution"] for g in result.generated] == [uscc(5)]
    result = render_letters([register_path], "feedback", tmp_path / "b", as_of=as_of, only=[uscc(4).lower()])
    assert [g["institution"] for g in result.generated] == [uscc(4)]
    result = render_letters([register_path], "filing", tmp_path / "c", as_of=as_of, city="青岛市")
    assert result.generated == []
    assert {s["institution"] for s in result.skipped} == {uscc(4), uscc(5), uscc(6)}


def test_only_matching_nothing_is_a_usage_error(register_path, as_of, tmp_path):
    from sheetkit.errors import UsageError

    with pytest.raises(UsageError, match="没有匹配"):
        render_letters([register_path], "filing", tmp_path / "out", as_of=as_of, only=["不存在的机构"])


def test_blank_code_keeps_the_template_blank_and_warns(tmp_path, as_of):
    from builders import write_register
    from letters_fixture import letters_register

    sheets = letters_register()
    sheets["机构"][0]["机构代码"] = ""
    path = write_register(tmp_path / "r.xlsx", sheets)
    result = render_letters([path], "filing", tmp_path / "out", as_of=as_of)
    assert "机构代码为_____，有效期3年" in "\n".join(docx_paragraphs(result.generated[0]["path"]))
    assert any("没有机构代码" in w and uscc(1) in w for w in result.warnings)


def test_issuer_and_date_options_override_settings(register_path, as_of, tmp_path):
    import datetime as dt

    result = render_letters([register_path], "filing", tmp_path / "out", as_of=as_of, issuer="青岛市人力资源和社会保障局",
                            date=dt.date(2027, 1, 5))
    text = [t.strip() for t in docx_paragraphs(result.generated[0]["path"])]
    assert "青岛市人力资源和社会保障局" in text and "2027年1月5日" in text and ISSUER not in text


def test_without_settings_the_city_bureau_issues(tmp_path, as_of):
    # 「备案所属市人力资源社会保障局」: 所属市 临沂 → 临沂市人力资源和社会保障局; the manifest says so.
    from builders import write_register
    from letters_fixture import letters_register

    sheets = letters_register()
    del sheets["设置"]
    sheets["机构"][0]["所属市"] = "临沂"
    path = write_register(tmp_path / "r.xlsx", sheets)
    result = render_letters([path], "filing", tmp_path / "out", as_of=as_of)
    (letter,) = result.generated
    assert letter["issuer"] == "临沂市人力资源和社会保障局"
    assert letter["issuer_source"] == "所属市人力资源社会保障局（默认）"
    assert "临沂市人力资源和社会保障局" in [t.strip() for t in docx_paragraphs(letter["path"])]
    result = render_letters([path], "filing", tmp_path / "out2", as_of=as_of, issuer="山东省人力资源和社会保障厅")
    assert result.generated[0]["issuer_source"] == "命令行 --issuer"
