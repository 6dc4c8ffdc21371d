"""filing.*: periods that ended without renewal, periods that end soon, and applicants
whose 备案起始 is long past."""

import datetime as dt

from rule_helpers import GANSU, clean_register, filed, findings, gansu, run, scored, uscc


def _filed_from(start):
    return filed(clean_register(), start=start)


def test_expired_without_scores_is_voluntary_withdrawal(tmp_path):
    sheets = _filed_from(dt.date(2023, 3, 1))  # period 2023-03 … 2026-02
    sheets["场地"][0]["租赁终止"] = dt.date(2031, 1, 1)
    report = run(tmp_path, sheets, as_of=dt.date(2026, 3, 1))
    (f,) = report.findings
    assert (f.rule, f.severity, f.sheet, f.row, f.institution) == ("filing.expired", "violation", "机构", 2, uscc(1))
    assert f.message == ("备案期自2023年3月至2026年2月已于2026-02-28届满，未申请续期（无续期评分），视为自愿撤销；"
                         "不再出具范围调整或续期回执")
    assert f.clause == "鲁人社函〔2025〕23号 三(一)"  # 期满未续期视为自愿撤销: a paragraph of 三(一), not item 1
    # On its last day the period has not ended yet: only the notice that it ends soon.
    (g,) = run(tmp_path, sheets, as_of=dt.date(2026, 2, 28)).findings
    assert g.rule == "filing.due" and g.severity == "info" and "还有0天" in g.message
    # A 合格 renewal on file: not expired; a failed one: expired, 不予续期.
    assert findings(run(tmp_path, scored(sheets), as_of=dt.date(2026, 3, 1)), "filing.expired") == []
    (g,) = findings(run(tmp_path, scored(sheets, totals=(50.0, 50.0, 50.0)), as_of=dt.date(2026, 3, 1)),
                    "filing.expired")
    assert "续期评估不合格，不予续期" in g.message
    assert findings(run(tmp_path, gansu(sheets), profile=GANSU, as_of=dt.date(2026, 3, 1)), "filing.expired") == []


def test_due_within_days(tmp_path):
    sheets = _filed_from(dt.date(2024, 1, 1))  # period ends 2026-12-31
    (f,) = run(tmp_path, sheets, as_of=dt.date(2026, 12, 1), due_within=30).findings
    assert f.rule == "filing.due" and f.message == "备案期自2024年1月至2026年12月将于2026-12-31届满（还有30天），请及时申请续期"
    assert run(tmp_path, sheets, as_of=dt.date(2026, 11, 30), due_within=30).findings == []
    assert [f.rule for f in run(tmp_path, sheets, as_of=dt.date(2026, 7, 4)).findings] == ["filing.due"]  # 180 days
    assert run(tmp_path, sheets, as_of=dt.date(2026, 7, 3)).findings == []


def test_applicants_get_no_expiry_but_a_start_long_past_blocks_the_receipt(tmp_path):
    sheets = clean_register()
    sheets["机构"][0]["备案起始"] = dt.date(2020, 1, 1)
    sheets["场地"][0].update(租赁起始=dt.date(2020, 1, 1), 租赁终止=dt.date(2031, 1, 1))
    report = run(tmp_path, sheets, as_of=dt.date(2026, 11, 22))
    (f,) = report.findings
    assert (f.rule, f.severity, f.sheet, f.column) == ("filing.start-past", "violation", "机构", "备案起始")
    assert "回执将载明的备案期自2020年1月至2022年12月已全部过去" in f.message
    assert report.verdict(uscc(1)).documents["filing"].due is False
    # one month back is still fine (a receipt issued a few weeks after the planned start)
    sheets["机构"][0]["备案起始"] = dt.date(2026, 10, 22)
    sheets["场地"][0].update(租赁起始=dt.date(2026, 10, 1))
    assert run(tmp_path, sheets, as_of=dt.date(2026, 11, 22)).findings == []
    sheets["机构"][0]["备案起始"] = dt.date(2026, 10, 21)
    assert [f.rule for f in run(tmp_path, sheets, as_of=dt.date(2026, 11, 22)).findings] == ["filing.start-past"]
