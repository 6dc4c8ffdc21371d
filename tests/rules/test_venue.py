"""venue.*: office and assessment venues, deeds, lease term and start, cameras."""

import datetime as dt

from rule_helpers import GANSU, clean_register, filed, findings, gansu, rules, run, uscc


def _venue(sheets, **over):
    sheets["场地"][0].update(over)
    return sheets


def test_lease_to_exactly_the_required_end_passes_one_day_less_fails(tmp_path):
    # Filing from 2025-03-01 needs a lease to at least 2028-02-29 (calendar years: the day
    # before the same date three years on).
    sheets = filed(clean_register(2), 1, start=dt.date(2025, 3, 1))
    filed(sheets, 2, start=dt.date(2025, 3, 1))
    sheets["场地"][0].update(租赁起始=dt.date(2025, 3, 1), 租赁终止=dt.date(2028, 2, 29))
    sheets["场地"][1].update(租赁起始=dt.date(2025, 3, 1), 租赁终止=dt.date(2028, 2, 28))
    (f,) = run(tmp_path, sheets).findings
    assert (f.rule, f.sheet, f.row, f.column, f.institution) == ("venue.lease-term", "场地", 3, "租赁终止", uscc(2))
    assert f.message == ("租赁终止日期为2028-02-28，租期不足：备案期（自2025年3月至2028年2月）自2025-03-01起须租赁满3年，"
                         "即至少至2028-02-29")
    assert f.clause == "鲁人社函〔2025〕23号 附件1 第2项"
    assert run(tmp_path, gansu(sheets), profile=GANSU).findings == []


def test_applicant_without_start_is_measured_from_as_of(tmp_path):
    sheets = clean_register()
    sheets["机构"][0]["备案起始"] = None
    _venue(sheets, 租赁起始=dt.date(2026, 1, 1), 租赁终止=dt.date(2029, 11, 21))
    assert run(tmp_path, sheets, as_of=dt.date(2026, 11, 22)).findings == []
    (f,) = run(tmp_path, sheets, as_of=dt.date(2026, 11, 23)).findings
    assert f.rule == "venue.lease-term" and "至少至2029-11-22" in f.message


def test_calendar_years_from_the_first_of_december(tmp_path):
    # From 2026-12-01 three years end on 2029-11-30: a lease to 2029-11-29 is short.
    sheets = clean_register()
    sheets["机构"][0]["备案起始"] = dt.date(2026, 12, 1)
    _venue(sheets, 租赁起始=dt.date(2026, 1, 1), 租赁终止=dt.date(2029, 11, 29))
    (f,) = run(tmp_path, sheets, as_of=dt.date(2026, 11, 22)).findings
    assert f.rule == "venue.lease-term" and "即至少至2029-11-30" in f.message
    _venue(sheets, 租赁终止=dt.date(2029, 11, 30))
    assert run(tmp_path, sheets, as_of=dt.date(2026, 11, 22)).findings == []


def test_lease_starting_after_filing(tmp_path):
    sheets = _venue(clean_register(), 租赁起始=dt.date(2026, 12, 2))
    (f,) = run(tmp_path, sheets).findings
    assert (f.rule, f.column) == ("venue.lease-start", "租赁起始")
    assert run(tmp_path, _venue(sheets, 租赁起始=dt.date(2026, 12, 1))).findings == []


def test_office_and_assessment_venues(tmp_path):
    sheets = _venue(clean_register(), 场地用途="办公")
    (f,) = run(tmp_path, sheets).findings
    assert (f.rule, f.sheet, f.row) == ("venue.missing", "机构", 2)
    assert f.message.startswith("场地表中没有考核场地")
    sheets["场地"].append({**sheets["场地"][0], "场地用途": "考核"})
    assert run(tmp_path, sheets).findings == []
    sheets["场地"] = []
    (g,) = findings(run(tmp_path, sheets), "venue.missing")
    assert g.message.startswith("场地表中没有办公场所和考核场地")


def test_owned_venue_needs_deed_number(tmp_path):
    sheets = _venue(clean_register(), 产权类型="自有", 租赁起始=None, 租赁终止=None, 不动产权证号="")
    found = run(tmp_path, sheets).findings
    assert ("venue.deed", "不动产权证号", "error") in [(f.rule, f.column, f.severity) for f in found]
    _venue(sheets, 不动产权证号="鲁(2020)济南市不动产权第0001号")
    assert run(tmp_path, sheets).findings == []


def test_cctv(tmp_path):
    sheets = _venue(clean_register(), 监控全覆盖="否")
    assert rules(run(tmp_path, sheets)) == {"venue.cctv"}
    assert run(tmp_path, gansu(sheets), profile=GANSU).findings == []
