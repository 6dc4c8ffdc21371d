"""`id.uscc` (GB 32100-2015) and `id.resident` (GB 11643-1999)."""

from __future__ import annotations

import pandas as pd
import pytest

from builders import AS_OF, clean_register, resident, uscc, write_register
from sheetkit.engine import validate
from sheetkit.rules.ids import (
    resident_check_char, resident_problems, resident_valid, uscc_check_char, uscc_problems, uscc_valid,
)


def test_spec_examples_are_valid():
    assert uscc_valid("91310110666007217T")
    assert uscc_check_char("91310110666007217") == "T"
    assert resident_valid("11010519491231002X")
    assert resident_check_char("11010519491231002") == "X"


def test_vectorised_checks_agree_with_the_scalar_ones():
    codes = pd.Series(["91310110666007217T", "91310110666007217A", "9131011066600721", "91310110666007217I",
                       uscc(5), None])
    reasons = uscc_problems(codes)
    assert [pd.isna(reasons.get(i)) for i in range(5)] == [uscc_valid(c) for c in codes[:5]]
    assert reasons[1] == "校验码错误（应为 T）"
    assert reasons[2] == "应为18位"
    assert "不允许的字符" in reasons[3]
    ids = pd.Series(["11010519491231002X", "110105194912310021", "110105194913310026", "1101051949123100",
                     "11010519491231002Y"])
    reasons = resident_problems(ids)
    assert pd.isna(reasons[0])
    assert reasons[1] == "校验码错误（应为 X）"
    assert reasons[2] == "出生日期无效"
    assert reasons[3] == "应为18位"
    assert reasons[4] == "只能是17位数字加数字或 X"


def _bad_check(code: str, chars="0123456789ABCDEFGHJKLMNPQRTUWXY") -> str:
    return code[:17] + next(c for c in chars if c != code[17])


def run(tmp_path, sheets):
    path = write_register(tmp_path / "r.xlsx", sheets)
    return validate([str(path)], as_of=AS_OF)


def where(report, rule):
    return [(f.severity, f.sheet, f.row, f.column, f.cell, f.value) for f in report.findings if f.rule == rule]


def test_uscc_bad_check_character_in_every_sheet(tmp_path):
    sheets = clean_register(2)
    bad = _bad_check(uscc(2))
    old = uscc(2)
    for kind in ("机构", "人员", "场地", "考核项目"):
        for row in sheets[kind]:
            if row["统一社会信用代码"] == old:
                row["统一社会信用代码"] = bad
    report = run(tmp_path, sheets)
    f = where(report, "id.uscc")
    assert ("error", "机构", 3, "统一社会信用代码", "A3", bad) in f
    assert {x[1] for x in f} == {"机构", "人员", "场地", "考核项目"}
    staff_rows = [i + 2 for i, r in enumerate(sheets["人员"]) if r["统一社会信用代码"] == bad]
    # repeated down a sheet, the bad code is one finding at its first row naming the others
    assert [x[2] for x in f if x[1] == "人员"] == [staff_rows[0]]
    staff_msg = next(x.message for x in report.findings if x.rule == "id.uscc" and x.sheet == "人员")
    assert f"本表共{len(staff_rows)}行" in staff_msg and f"第{staff_rows[0]}—{staff_rows[-1]}行" in staff_msg
    msg = next(x.message for x in report.findings if x.rule == "id.uscc")
    assert bad in msg and f"应为 {old[17]}" in msg
    assert not [x for x in report.findings if x.rule == "data.unknown-institution"]


@pytest.mark.parametrize("code,reason", [
    ("91370100000000001", "应为18位"),
    ("91370100000000001WW", "应为18位"),
    ("9137010000000000IW", "不允许的字符"),
])
def test_uscc_format(tmp_path, code, reason):
    sheets = clean_register()
    sheets["机构"][0]["统一社会信用代码"] = code
    report = run(tmp_path, sheets)
    f = [x for x in report.findings if x.rule == "id.uscc"]
    assert [(x.sheet, x.cell) for x in f] == [("机构", "A2")]
    assert reason in f[0].message


def test_resident_bad_check_digit(tmp_path):
    sheets = clean_register()
    good = sheets["人员"][4]["身份证号"]
    bad = _bad_check(good, "0123456789X")
    sheets["人员"][4]["身份证号"] = bad
    report = run(tmp_path, sheets)
    assert where(report, "id.resident") == [("error", "人员", 6, "身份证号", "C6", bad)]
    f = next(x for x in report.findings if x.rule == "id.resident")
    assert f.institution == uscc(1) and f.clause == "GB 11643-1999"
    assert f"应为 {good[17]}" in f.message


def test_resident_impossible_birth_date(tmp_path):
    sheets = clean_register()
    body = "37010219800231001"
    sheets["人员"][0]["身份证号"] = body + resident_check_char(body)
    report = run(tmp_path, sheets)
    f = [x for x in report.findings if x.rule == "id.resident"]
    assert [(x.cell, "出生日期无效" in x.message) for x in f] == [("C2", True)]


def test_resident_too_short(tmp_path):
    sheets = clean_register()
    sheets["人员"][0]["身份证号"] = "370102198001011"  # an old 15-digit number
    report = run(tmp_path, sheets)
    assert [(x.cell, "应为18位" in x.message) for x in report.findings if x.rule == "id.resident"] == [("C2", True)]


def test_resident_stored_as_number_is_an_error_even_when_digits_look_right(tmp_path):
    sheets = clean_register()
    number_id = next(resident(n) for n in range(1, 999) if resident(n)[-1] != "X")
    sheets["人员"][3]["身份证号"] = int(number_id)
    report = run(tmp_path, sheets)
    f = where(report, "id.resident")
    assert [x[:5] for x in f] == [("error", "人员", 5, "身份证号", "C5")]
    assert "数字格式" in next(x.message for x in report.findings if x.rule == "id.resident")


def test_uscc_stored_as_number_is_an_error(tmp_path):
    sheets = clean_register()
    sheets["机构"][0]["统一社会信用代码"] = 913701000000000020
    report = run(tmp_path, sheets)
    assert [x[:5] for x in where(report, "id.uscc")] == [("error", "机构", 2, "统一社会信用代码", "A2")]


def test_normalised_identifiers_pass(tmp_path):
    sheets = clean_register()
    sheets["机构"][0]["统一社会信用代码"] = " " + "".join(chr(ord(c) + 0xFEE0) for c in uscc(1)) + " "
    x_id = next(resident(n) for n in range(1, 999) if resident(n).endswith("X"))
    sheets["人员"][0]["身份证号"] = x_id.lower()
    report = run(tmp_path, sheets)
    assert where(report, "id.uscc") == [] and where(report, "id.resident") == []
    assert report.register["人员"].data.at[0, "身份证号"] == x_id
