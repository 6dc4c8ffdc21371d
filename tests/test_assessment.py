"""The assessment: one verdict per institution, judged for the period each document
grants, read by every output alike (issue 13)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent / "rules"))
sys.path.insert(0, str(Path(__file__).parent / "letters"))

from letters_fixture import docx_tables  # noqa: E402
from rule_helpers import clean_register, filed, findings, remove, run, scored, staff_rows, uscc  # noqa: E402

from sheetkit import render_letters, write_directory  # noqa: E402
from sheetkit.cli import cli as main  # noqa: E402
from sheetkit.engine import validate  # noqa: E402

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"
SAMPLES_AS_OF = dt.date(2026, 11, 24)


def _renewing(**kw):
    """Filed from 2023-12-01 (period to 2026-11), scored 80/85/90: renewal period 2026-12 … 2029-11."""
    return scored(filed(clean_register(), start=dt.date(2023, 12, 1)), **kw)


def test_renewal_is_judged_for_the_new_period(tmp_path):
    sheets = _renewing()
    sheets["场地"][0].update(租赁起始=dt.date(2021, 1, 1), 租赁终止=dt.date(2026, 12, 31))
    for row in sheets["人员"]:
        if row["用工形式"] == "专职":
            row.update(劳动合同起始=dt.date(2018, 1, 1), 劳动合同终止=dt.date(2021, 6, 30))
    report = run(tmp_path, sheets, due_within=0)
    v = report.verdict(uscc(1))
    assert v.renewal["result"] == "合格"  # the scores pass …
    doc = v.documents["renewal"]
    assert doc.due is False and doc.period.zh() == "自2026年12月至2029年11月"  # … the receipt does not go out
    (lease,) = findings(report, "venue.lease-term")
    assert "续期后的备案期（自2026年12月至2029年11月）自2026-12-01起须租赁满3年，即至少至2029-11-30" in lease.message
    assert {"venue.lease-term", "staff.contract", "staff.exam-admin", "staff.supervisor"} <= {r.rule for r in doc.reasons}
    result = render_letters(report, "renewal", tmp_path / "out")
    assert result.generated == [] and result.skipped[0]["institution"] == uscc(1)
    assert v.documents["feedback"].due is True  # the panel's form still goes to the bureau


def test_lapsed_filing_gets_no_adjustment(tmp_path):
    sheets = filed(clean_register(), start=dt.date(2022, 6, 1))  # period 2022-06 … 2025-05, never renewed
    sheets["场地"][0].update(租赁起始=dt.date(2022, 1, 1), 租赁终止=dt.date(2031, 1, 1))
    next(p for p in sheets["考核项目"] if p["考核项目"] == "家政服务")["变更"] = "删除"
    report = run(tmp_path, sheets)
    (f,) = findings(report, "filing.expired")
    assert f.severity == "violation"
    v = report.verdict(uscc(1))
    assert v.lapsed and v.eligible is False
    assert [r.rule for r in v.documents["adjust"].reasons] == ["filing.expired"]
    result = render_letters(report, "adjust", tmp_path / "out")
    assert result.generated == [] and result.skipped[0]["reasons"] == ["filing.expired"]
    assert report.exit_code == 1
    # the same request within a current period gets its receipt
    filed(sheets, start=dt.date(2025, 3, 1))
    again = run(tmp_path / "b", sheets)
    assert again.verdict(uscc(1)).documents["adjust"].due is True

def test_an_institution_in_revocations_gets_no_receipt(tmp_path):
    """A 撤销 row for a 已备案 institution whose 备案状态 the clerk has not yet changed to
    终止备案: the revocation letter is due, and neither a renewal receipt nor a scope
    adjustment is issued alongside it; the reason names the revocation."""
    sheets = _renewing()
    next(p for p in sheets["考核项目"] if p["考核项目"] == "家政服务")["变更"] = "删除"
    base = run(tmp_path / "a", sheets, due_within=0).verdict(uscc(1))
    assert base.documents["renewal"].due and base.documents["adjust"].due  # without the 撤销 row
    sheets["撤销"] = [{"统一社会信用代码": uscc(1), "撤销情形": "违反规定", "情形说明": "违规发放证书",
                     "依据": "鲁人社函〔2025〕23号", "撤销日期": dt.date(2026, 11, 20)}]
    report = run(tmp_path / "b", sheets, due_within=0)
    v = report.verdict(uscc(1))
    assert v.documents["revoke"].due is True
    for kind in ("renewal", "adjust"):
        doc = v.documents[kind]
        assert doc.due is False and [r.rule for r in doc.reasons] == ["letters.revoked"]
        assert "撤销" in doc.reasons[0].message and "2026-11-20" in doc.reasons[0].message
    assert v.eligible is False and [r.rule for r in v.why_not] == ["letters.revoked"]
    result = render_letters(report, "renewal", tmp_path / "out")
    assert result.generated == [] and result.skipped[0]["reasons"] == ["letters.revoked"]


def test_a_mean_of_59_9967_fails_and_is_shown_59_99(tmp_path):
    report = run(tmp_path, _renewing(totals=(60.0, 60.0, 59.99)), due_within=0)
    (f,) = report.findings
    assert f.rule == "renewal.score"
    assert f.message == "续期评估综合得分59.99分（3位专家评分60、60、59.99的平均分），低于合格线60分"
    v = report.verdict(uscc(1))
    assert (v.renewal["score"], v.renewal["result"], v.eligible) == (59.99, "不合格", False)
    out = render_letters(report, "feedback", tmp_path / "out")
    table = docx_tables(out.generated[0]["path"])[0]
    assert table[3][1].startswith("59.99分　不合格")


@pytest.mark.parametrize("size", [2, 6])
def test_panels_outside_three_to_five_get_no_feedback_form(tmp_path, size):
    report = run(tmp_path, _renewing(totals=(80.0,) * size), due_within=0)
    v = report.verdict(uscc(1))
    assert v.renewal["result"] == "不合格" and v.documents["renewal"].due is False
    out = render_letters(report, "feedback", tmp_path / "out")
    assert out.generated == []
    (skip,) = out.skipped
    assert skip["reasons"] == ["renewal.panel-size"] and f"续期评估专家{size}人" in skip["message"]


def test_a_ticked_veto_is_named_on_the_form(tmp_path):
    sheets = _renewing()
    sheets["续期评分"][1]["不合格项3"] = "是"
    report = run(tmp_path, sheets, due_within=0)
    out = render_letters(report, "feedback", tmp_path / "out")
    cell = docx_tables(out.generated[0]["path"])[0][3][1]
    assert cell.startswith("85.00分　不合格（存在不合格项3）")
    assert "附件4 不合格项3：违规收取加盟费、报名费、贩卖专项职业能力证书等。" in cell


def test_every_not_eligible_institution_has_a_reason_and_is_listed(tmp_path):
    report = validate([str(WORKBOOKS)], as_of=SAMPLES_AS_OF)
    data = report.to_dict()
    assert all(i["reasons"] for i in data["institutions"] if not i["eligible"])
    res = CliRunner().invoke(main, ["validate", str(WORKBOOKS), "--as-of", SAMPLES_AS_OF.isoformat()])
    listed = res.output.split("不符合条件的机构（", 1)[1]
    for i in data["institutions"]:
        if not i["eligible"] and i["status"] != "终止备案":
            assert f"{i['name']}（{i['uscc']}）" in listed
    counts = data["institution_counts"]
    assert f"不符合条件的机构（{counts['not_eligible']} 家）" in res.output
    assert f"符合条件 {counts['eligible']} 家，不符合条件 {counts['not_eligible']} 家" in res.output


def test_a_reason_quotes_every_finding_of_its_rule(tmp_path):
    """Two projects short of 考评人员: the one reason for staff.assessors names both, so
    the clerk does not fix one and find the other on the next run."""
    sheets = clean_register()
    remove(sheets, "人员", staff_rows(sheets, "考评人员"))
    report = run(tmp_path, sheets)
    projects = {r["考核项目"] for r in sheets["考核项目"] if r["统一社会信用代码"] == uscc(1)}
    assert len(projects) >= 2
    (reason,) = [r for r in report.verdict(uscc(1)).reasons if r.rule == "staff.assessors"]
    assert all(f"考核项目“{p}”" in reason.message for p in projects), reason.message
    assert reason.message.count("；") == len(projects) - 1


def test_outputs_agree_on_who_qualifies(tmp_path):
    """One source: terminal, JSON, --report workbook, letters manifest and directory."""
    as_of = SAMPLES_AS_OF.isoformat()
    runner = CliRunner()
    res = runner.invoke(main, ["validate", str(WORKBOOKS), "--as-of", as_of, "--format", "json",
                               "--report", str(tmp_path / "r.xlsx")])
    data = json.loads(res.stdout)
    by_uscc = {i["uscc"]: i for i in data["institutions"]}
    # --report: the 按机构 sheet
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["按机构"]
    rows = [tuple(c.value for c in r) for r in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows)
                if tuple(str(v).replace("\n", "") for v in r[:5]) == ("所属市", "机构名称", "统一社会信用代码", "备案状态",
                                                                      "是否符合条件"))
    table = {}
    for r in rows[head + 1:]:
        if not r[2]:
            break
        table[r[2]] = (r[4] == "符合", sorted(filter(None, (r[5] or "").split("、"))))
    assert table == {u: (i["eligible"], i["reasons"]) for u, i in by_uscc.items()}
    # terminal: each institution line carries the same verdict
    text = runner.invoke(main, ["validate", str(WORKBOOKS), "--as-of", as_of]).output
    for u, i in by_uscc.items():
        line = next((ln for ln in text.splitlines() if f"（{u}）" in ln and " · " in ln), None)
        if line is not None:
            assert line.endswith("符合条件") and (("不符合条件" not in line) == i["eligible"]), line
    # letters: the primary document goes exactly to the eligible ones, skipped with the same reasons
    for kind, status in (("filing", "申请中"), ("renewal", "已备案")):
        out = tmp_path / kind
        runner.invoke(main, ["letters", kind, str(WORKBOOKS), "--as-of", as_of, "-o", str(out)])
        manifest = json.loads((out / "letters.json").read_text(encoding="utf-8"))
        got = {g["institution"] for g in manifest["generated"]}
        concerned = {u for u, i in by_uscc.items() if i["status"] == status and (kind == "filing" or "renewal" in i)}
        assert got == {u for u in concerned if by_uscc[u]["eligible"]}
        for s in manifest["skipped"]:
            if s["institution"] in concerned:
                assert s["reasons"] == by_uscc[s["institution"]]["reasons"]
    # directory: a renewal counts only when the assessment says the receipt is due
    result = write_directory([str(WORKBOOKS)], tmp_path / "d.xlsx", 2027, as_of=dt.date(2027, 1, 15))
    periods = {e.uscc: e.period for e in result.directory.entries}
    renewed = [u for u, i in by_uscc.items() if i["status"] == "已备案" and "renewal" in i and i["eligible"]]
    assert renewed and all(periods[u] == by_uscc[u]["documents"]["renewal"]["period"] for u in renewed)
    # 明德 (scores pass, lease too short for the new period): its filing ended 2026-11, not renewed
    assert by_uscc["52370102MA1EU9N47X"]["renewal"]["result"] == "合格"
    assert "52370102MA1EU9N47X" not in periods


def test_personal_ids_are_masked_unless_asked(tmp_path):
    sheets = clean_register()
    row = staff_rows(sheets, "考务管理人员")[0]
    row["身份证号"] = "370102198001010002"  # wrong check digit
    path = tmp_path / "r.xlsx"
    from builders import write_register

    write_register(path, sheets)
    runner = CliRunner()
    as_of = "2026-11-22"
    masked = runner.invoke(main, ["validate", str(path), "--as-of", as_of, "--format", "json"]).stdout
    assert "370102198001010002" not in masked and "3701**********0002" in masked
    text = runner.invoke(main, ["validate", str(path), "--as-of", as_of]).output
    assert "370102198001010002" not in text and "3701**********0002" in text
    shown = runner.invoke(main, ["validate", str(path), "--as-of", as_of, "--format", "json", "--show-personal-data"])
    assert "370102198001010002" in shown.stdout
    # a credit code is not a personal ID: never masked
    assert uscc(1) in masked
