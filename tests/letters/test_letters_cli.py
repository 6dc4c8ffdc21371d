"""`sheetkit letters` and `sheetkit templates check` from the command line, and the
letters.xlsx register."""

from __future__ import annotations

import json

from builders import uscc, write_register
from click.testing import CliRunner
from letters_fixture import letters_register, make_template

from sheetkit.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def test_cli_json_matches_the_manifest(register_path, tmp_path):
    out = tmp_path / "out"
    res = run("letters", "filing", register_path, "-o", out, "--as-of", "2026-11-22", "--format", "json")
    assert res.exit_code == 0, res.output
    printed = json.loads(res.stdout)
    manifest = json.loads((out / "letters.json").read_text(encoding="utf-8"))
    assert printed["generated"] == manifest["generated"]
    assert printed["skipped"] == manifest["skipped"]
    assert [g["institution"] for g in printed["generated"]] == [uscc(1)]
    assert (f"未出具：济南第2职业技能培训学校（{uscc(2)}）：信用状况为“不良”，不符合“信用良好”的备案条件 [inst.credit]"
            in res.stderr)
    # institutions whose status calls for another letter are counted, not listed one by one
    status_only = [s for s in manifest["skipped"] if s["reasons"] == ["letters.status"]]
    assert status_only and all(s["name"] not in res.stderr for s in status_only)
    assert f"另有 {len(status_only)} 家机构不涉及备案回执（备案状态不适用、没有项目变更或没有续期评分）" in res.stderr


def test_cli_manifest_keeps_other_kinds(register_path, tmp_path):
    out = tmp_path / "out"
    assert run("letters", "filing", register_path, "-o", out, "--as-of", "2026-11-22").exit_code == 0
    assert run("letters", "revoke", register_path, "-o", out, "--as-of", "2026-11-22").exit_code == 0
    manifest = json.loads((out / "letters.json").read_text(encoding="utf-8"))
    assert sorted((g["kind"], g["institution"]) for g in manifest["generated"]) == [
        ("filing", uscc(1)), ("revoke", uscc(6))]


def test_cli_changed_letter_without_force_exits_2_naming_it(register_path, tmp_path):
    out = tmp_path / "out"
    assert run("letters", "filing", register_path, "-o", out, "--as-of", "2026-11-22").exit_code == 0
    res = run("letters", "filing", register_path, "-o", out, "--as-of", "2026-11-22", "--issuer", "另一个局")
    assert res.exit_code == 2
    assert f"filing_{uscc(1)}_济南第1职业技能培训学校.docx" in res.stderr and "--force" in res.stderr


def test_letters_xlsx_register_is_all_strings(tmp_path):
    import openpyxl

    path = write_register(tmp_path / "r.xlsx", letters_register())
    wb = openpyxl.load_workbook(path)  # a name typed as text that looks like a formula
    cell = wb["机构"]["B2"]
    assert cell.value == "济南第1职业技能培训学校"
    cell.value = "=HYPERLINK(\"http://x\")培训学校"
    cell.data_type = "s"
    wb.save(path)
    out = tmp_path / "out"
    res = run("letters", "filing", path, "-o", out, "--as-of", "2026-11-22", "--date", "2026-12-01")
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out / "letters.xlsx")
    ws = wb["已出具文书"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "文书", "发文字号", "统一社会信用代码", "机构名称")
    assert rows[1][1:8] == ("备案回执", None, uscc(1), "=HYPERLINK(\"http://x\")培训学校", "SD2026001", "济南",
                            "自2026年12月至2029年11月")
    assert rows[1][9:11] == ("工作簿“设置”表", "2026年12月1日")
    assert all(c.data_type == "s" for c in ws[2] if c.value is not None)
    skipped = list(wb["未出具"].iter_rows(values_only=True))
    assert (uscc(2), "济南第2职业技能培训学校", "inst.credit", "信用状况为“不良”，不符合“信用良好”的备案条件") in skipped


def test_templates_check_builtin_passes():
    res = run("templates", "check")
    assert res.exit_code == 0, res.output
    from sheetkit.letters import KINDS

    assert res.output.count("通过") == len(KINDS) == 7


def test_templates_check_reports_unknown_variables_split_tags_and_syntax_errors(tmp_path):
    make_template(tmp_path / "filing.docx", ["{{ name }}：{{ institution_name }}"], runs_split=["{{ na", "me }}"])
    make_template(tmp_path / "revoke.docx", ["因你单位出现{{ situation }}情形", "{% if basis %}根据{{ basis }}"])
    make_template(tmp_path / "adjust.docx", ["{{ name }}{{ period }}"])
    res = run("templates", "check", tmp_path)
    assert res.exit_code == 1
    out = res.output
    assert "institution_name" in out and "没有数据提供" in out
    assert "“{{ name }}”被 Word 拆成了2段" in out
    assert "revoke.docx" in out and "语法错误" in out and "根据{{ basis }}" in out
    assert "adjust.docx：通过" in out


def test_every_command_has_help():
    for args in (("letters", "--help"), ("templates", "check", "--help")):
        res = run(*args)
        assert res.exit_code == 0 and len(res.output) > 100


def test_number_option_numbers_the_letters_in_manifest_order(tmp_path):
    import openpyxl

    from letters_fixture import docx_paragraphs

    sheets = letters_register()
    sheets["机构"][1]["信用状况"] = "良好"  # two filing letters
    sheets["机构"][1]["机构代码"] = None
    path = write_register(tmp_path / "r.xlsx", sheets)
    out = tmp_path / "out"
    res = run("letters", "filing", path, "-o", out, "--as-of", "2026-11-22", "--number", "临人社函〔2026〕{n}号",
              "--number-start", "15")
    assert res.exit_code == 0, res.output
    manifest = json.loads((out / "letters.json").read_text(encoding="utf-8"))
    got = [(g["institution"], g["number"], g["needs"]) for g in manifest["generated"]]
    assert got == [(uscc(1), "临人社函〔2026〕15号", []), (uscc(2), "临人社函〔2026〕16号", ["机构代码"])]
    for g in manifest["generated"]:
        assert docx_paragraphs(g["path"])[0] == g["number"]  # the first line, above the title
    assert "待补机构代码：1 份" in res.stderr and "济南第2职业技能培训学校" in res.stderr
    rows = list(openpyxl.load_workbook(out / "letters.xlsx")["已出具文书"].iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == ["临人社函〔2026〕15号", "临人社函〔2026〕16号"]
    assert [r[11] for r in rows[1:]] == [None, "机构代码"]


def test_number_without_a_placeholder_is_a_usage_error(tmp_path):
    path = write_register(tmp_path / "r.xlsx", letters_register())
    res = run("letters", "filing", path, "-o", tmp_path / "out", "--as-of", "2026-11-22", "--number", "临人社函15号")
    assert res.exit_code == 2 and "{n}" in res.stderr
