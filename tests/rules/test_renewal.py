"""renewal.*: score ranges, panel size, 综合得分, 不合格项, projects not assessed; and
the renewal outcome in ``institutions[].renewal``."""

import datetime as dt

from rule_helpers import GANSU, clean_register, filed, findings, gansu, rules, run, scored, uscc


def _run(tmp_path, sheets, **kw):
    """Validate with no `filing.due` notice (the period 2023-12 … 2026-11 ends soon)."""
    return run(tmp_path, sheets, due_within=0, **kw)


def _renewing(totals=(80.0, 85.0, 90.0), **over):
    return scored(filed(clean_register(), start=dt.date(2023, 12, 1)), totals=totals, **over)


def test_passing_renewal_is_reported_and_eligible(tmp_path):
    report = _run(tmp_path, _renewing())
    assert report.findings == []
    (inst,) = report.to_dict(personal=True)["institutions"]
    assert inst["eligible"] is True and inst["reasons"] == []
    r = inst["renewal"]
    assert (r["score"], r["result"], r["renewed"], r["dropped"], r["vetoes"]) == (
        85.0, "合格", ["中式面点制作", "家政服务"], [], [])
    assert r["experts"] == [{"name": "专家1", "total": 80.0, "date": "2026-10-15"},
                            {"name": "专家2", "total": 85.0, "date": "2026-10-15"},
                            {"name": "专家3", "total": 90.0, "date": "2026-10-15"}]
    assert r["period"] == {"start": "2026-12", "end": "2029-11", "text": "自2026年12月至2029年11月"}


def test_score_of_60_passes_and_59_99_fails(tmp_path):
    report = _run(tmp_path, _renewing(totals=(60.0, 60.0, 60.0)))
    assert report.findings == [] and report.to_dict(personal=True)["institutions"][0]["renewal"]["result"] == "合格"
    sheets = _renewing(totals=(60.0, 60.0, 59.97))  # mean 59.99
    report = _run(tmp_path, sheets)
    (f,) = report.findings
    assert (f.rule, f.severity, f.sheet, f.row) == ("renewal.score", "violation", "机构", 2)
    assert f.message == "续期评估综合得分59.99分（3位专家评分60、60、59.97的平均分），低于合格线60分"
    assert f.clause == "鲁人社函〔2025〕23号 附件6 备注1"
    inst = report.to_dict(personal=True)["institutions"][0]
    assert inst["renewal"]["result"] == "不合格" and inst["eligible"] is False
    assert inst["reasons"] == ["renewal.score"]


def test_panel_of_three_and_five_pass_two_and_six_fail(tmp_path):
    for size, ok in ((2, False), (3, True), (5, True), (6, False)):
        report = _run(tmp_path / str(size), _renewing(totals=(80.0,) * size))
        got = findings(report, "renewal.panel-size")
        assert (not got) is ok, size
        if got:
            assert got[0].severity == "error" and got[0].message == f"续期评估专家{size}人，评估组应由3至5名专家组成"


def test_a_veto_fails_whatever_the_score(tmp_path):
    sheets = _renewing()
    sheets["续期评分"][1]["不合格项3"] = "是"
    report = _run(tmp_path, sheets)
    (f,) = report.findings
    assert (f.rule, f.sheet, f.row, f.column) == ("renewal.veto", "续期评分", 3, "不合格项3")
    r = report.to_dict(personal=True)["institutions"][0]["renewal"]
    assert (r["score"], r["result"], r["vetoes"]) == (85.0, "不合格", [3])


def test_item_above_its_maximum_is_an_error(tmp_path):
    sheets = _renewing()
    sheets["续期评分"][0]["10"] = 4.5  # item 10 is worth 4
    found = findings(_run(tmp_path, sheets), "renewal.score-range")
    assert [(f.column, f.severity, f.message) for f in found] == [
        ("10", "error", "第10项评分4.5分超出范围，应在0至4分之间")]


def test_project_not_assessed_is_dropped(tmp_path):
    sheets = _renewing()
    sheets["考核项目"][1]["考核人次"] = None  # blank counts as 0
    sheets["考核项目"][1]["取证人次"] = None
    report = _run(tmp_path, sheets)
    (f,) = report.findings
    assert (f.rule, f.severity, f.sheet, f.column, f.row) == ("renewal.no-assessment", "warning", "考核项目", "考核人次", 3)
    inst = report.to_dict(personal=True)["institutions"][0]
    assert inst["renewal"]["renewed"] == ["中式面点制作"] and inst["renewal"]["dropped"] == ["家政服务"]
    assert inst["eligible"] is True
    sheets["考核项目"][0].update(考核人次=0, 取证人次=0)
    report = _run(tmp_path, sheets)
    worst = [f for f in report.findings if f.severity == "violation"]
    assert [(f.rule, f.sheet) for f in worst] == [("renewal.nothing-assessed", "机构")]  # its own rule
    assert {f.severity for f in report.findings if f.rule == "renewal.no-assessment"} == {"warning"}
    assert report.to_dict(personal=True)["institutions"][0]["renewal"]["result"] == "不合格"


def test_no_renewal_rules_without_scores_and_under_gansu(tmp_path):
    report = _run(tmp_path, filed(clean_register(), start=dt.date(2025, 3, 1)))
    (inst,) = report.to_dict(personal=True)["institutions"]
    # filed, no scores, nothing wrong: the filing stays in force; no renewal document is due
    assert "renewal" not in inst and inst["eligible"] is True and inst["reasons"] == []
    assert inst["documents"]["renewal"] == {"due": False, "period": None, "reasons": [
        {"rule": "letters.no-renewal", "message": "没有续期评分"}]}
    sheets = gansu(_renewing(totals=(10.0,)))
    assert not {r for r in rules(_run(tmp_path, sheets, profile=GANSU)) if r.startswith("renewal.")}
    assert uscc(1) == inst["uscc"]
