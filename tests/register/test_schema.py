"""The column-level checks (`register.schema.failures`) give exactly what pandera's lazy
validation of the same schema gives, on a register with every kind of failure."""

from __future__ import annotations

from builders import clean_register, uscc, write_register
from sheetkit.profiles import load_profile
from sheetkit.register import read_register
from sheetkit.register.model import SHEETS
from sheetkit.register.schema import build_schema, failures, pandera_failures


def test_failures_are_pandera_failures(tmp_path):
    sheets = clean_register(3)
    inst = sheets["机构"]
    inst[0]["机构名称"] = ""                     # required, blank
    inst[1]["备案状态"] = "待定"                  # not one of the allowed values
    inst[2]["所属市"] = "北京"                    # not a city of the profile
    inst[2]["培训考核年限"] = -3                  # below the range
    staff = sheets["人员"]
    staff[1]["劳动合同起始"] = ""                # required for 专职 only (a frame check)
    staff[2]["用工形式"] = "临时"
    staff[3]["人员类别"] = ""
    staff[4]["社保缴纳月数"] = -1
    sheets["场地"][0]["面积"] = -10
    sheets["考核项目"][0]["统一社会信用代码"] = uscc(99)
    path = write_register(tmp_path / "登记表.xlsx", sheets)
    profile = load_profile(None)
    reg = read_register([path], cities=profile.city_map())
    seen = set()
    for spec in SHEETS:
        table = reg.tables[spec.kind]
        if table.empty:
            continue
        schema = build_schema(spec, profile.enabled_rules, profile.cities)
        ours = failures(schema, table.data)
        theirs = pandera_failures(schema.to_pandera(), table.data)
        assert sorted(ours, key=repr) == sorted(theirs, key=repr), spec.kind
        assert len(ours) == len(set(ours))
        seen.update((kind, spec.kind) for kind, _, _ in ours)
    # the fixture does exercise each kind of check (else the comparison proves little)
    assert {("required", "机构"), ("enum", "机构"), ("required", "人员"), ("enum", "人员")} <= seen
    assert any(kind == "range" for kind, _ in seen)
