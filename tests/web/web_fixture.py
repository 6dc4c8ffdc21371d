"""The register both web test modules upload: two 济南 institutions, with ``bad`` a wrong
身份证号 (check digit) at no. 2's 考核管理人员."""

from __future__ import annotations

from builders import clean_register, resident, uscc

BAD_ID = resident(7)[:-1] + ("0" if resident(7)[-1] != "0" else "1")


def jinan(bad: bool) -> dict:
    sheets = clean_register(2)
    if bad:
        row = next(r for r in sheets["人员"] if r["统一社会信用代码"] == uscc(2) and r["岗位"] == "考核管理人员")
        row["身份证号"] = BAD_ID
    return sheets
