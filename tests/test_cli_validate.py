"""`sheetkit validate`: the JSON report of SPEC §5, exit status, text output; every
command has help text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import AS_OF, clean_register, uscc, write_register
from sheetkit.cli import cli
from sheetkit.engine import validate

TOP_KEYS = {"profile", "as_of", "files", "findings", "institutions", "summary"}
FINDING_KEYS = {"rule", "severity", "path", "sheet", "row", "column", "cell", "institution", "value", "message",
                "clause"}


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def broken(tmp_path, monkeypatch):
    """A relative folder with one register whose 2nd institution has too few supervisors
    and a bad ID check digit."""
    sheets = clean_register(2)
    code = uscc(2)
    supervisors = [r for r in sheets["人员"] if r["统一社会信用代码"] == code and r["岗位"] == "内部质量督导人员"]
    sheets["人员"].remove(supervisors[0])
    victim = next(r for r in sheets["人员"] if r["统一社会信用代码"] == code and r["岗位"] == "考务管理人员")
    victim["身份证号"] = victim["身份证号"][:17] + ("0" if victim["身份证号"][17] != "0" else "1")
    write_register(tmp_path / "regs" / "jinan.xlsx", sheets, title_rows=1)
    monkeypatch.chdir(tmp_path)
    return "regs"


def test_json_report_shape(broken):
    result = invoke("validate", broken, "--format", "json", "--as-of", "2026-11-22")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert TOP_KEYS <= set(data)
    assert data["profile"] == "shandong-2025" and data["as_of"] == "2026-11-22"
    assert data["files"][0]["path"] == "regs/jinan.xlsx"
    sheet = data["files"][0]["sheets"][0]
    assert set(sheet) >= {"name", "kind", "header_row", "rows"}
    assert (sheet["name"], sheet["kind"], sheet["header_row"], sheet["rows"]) == ("机构", "机构", 2, 2)
    assert set(data["summary"]) == {"error", "violation", "warning", "info"}
    assert data["summary"]["error"] == sum(f["severity"] == "error" for f in data["findings"])
    for f in data["findings"]:
        assert FINDING_KEYS <= set(f)
    bad_id = [f for f in data["findings"] if f["rule"] == "id.resident"]
    assert len(bad_id) == 1
    f = bad_id[0]
    assert (f["severity"], f["path"], f["sheet"], f["column"], f["institution"]) == (
        "error", "regs/jinan.xlsx", "人员", "身份证号", uscc(2))
    assert isinstance(f["row"], int) and f["cell"] == f"C{f['row']}"
    assert f["clause"] == "GB 11643-1999" and f["value"] and "校验码" in f["message"]
    inst = {i["uscc"]: i for i in data["institutions"]}
    assert set(inst) == {uscc(1), uscc(2)}
    assert inst[uscc(1)]["eligible"] is True and inst[uscc(1)]["status"] == "申请中"
    assert inst[uscc(2)]["eligible"] is False and "id.resident" in inst[uscc(2)]["reasons"]


def test_json_equals_the_library_report(broken):
    result = invoke("validate", broken, "--format", "json", "--as-of", "2026-11-22")
    report = validate([broken], as_of=AS_OF)
    assert json.loads(result.output) == json.loads(report.to_json())


def test_supervisor_finding_points_at_the_institution_row(broken):
    data = json.loads(invoke("validate", broken, "--format", "json", "--as-of", "2026-11-22").output)
    sup = [f for f in data["findings"] if f["rule"] == "staff.supervisor"]
    assert [(f["sheet"], f["row"], f["cell"], f["institution"], f["severity"]) for f in sup] == [
        ("机构", 4, "A4", uscc(2), "violation")]  # title row, header row 2


def test_exit_0_on_a_clean_register_and_text_summary(tmp_path):
    path = write_register(tmp_path / "clean.xlsx", clean_register())
    result = invoke("validate", str(path), "--as-of", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert "共 1 个工作簿，1 家机构（符合条件 1 家，不符合条件 0 家）" in result.output
    assert "错误 0，不符合 0" in result.output


def test_text_output_names_file_institution_cell_in_chinese(broken):
    result = invoke("validate", broken, "--as-of", "2026-11-22")
    assert result.exit_code == 1
    assert "regs/jinan.xlsx" in result.output
    assert "济南第2职业技能培训学校" in result.output
    assert "人员!C" in result.output and "身份证号" in result.output and "校验码错误" in result.output
    assert "错误 1" in result.output


@pytest.mark.parametrize("args", [
    ["validate", "does-not-exist.xlsx"],
    ["validate", "{path}", "--profile", "no-such-profile"],
    ["validate", "{path}", "--as-of", "明天"],
    ["validate", "{path}", "--format", "xml"],
    ["validate"],
])
def test_usage_errors_exit_2(tmp_path, args):
    path = write_register(tmp_path / "r.xlsx", clean_register())
    result = CliRunner().invoke(cli, [a.replace("{path}", str(path)) for a in args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args, said", [
    (["validate", "{tmp}/2026登记表"], "找不到“{tmp}/2026登记表”"),
    (["due", "{tmp}/2026登记表"], "找不到“{tmp}/2026登记表”"),
    (["serve", "{tmp}/r.xlsx", "--no-browser"], "“{tmp}/r.xlsx”是文件，这里应给出文件夹"),
    (["templates", "check", "{tmp}/r.xlsx"], "“{tmp}/r.xlsx”是文件，这里应给出文件夹"),
])
def test_a_wrong_path_is_said_in_chinese(tmp_path, args, said):
    """A folder name mistyped is the commonest usage error of all: it is said in Chinese,
    not in click's 「Path '…' does not exist.」."""
    write_register(tmp_path / "r.xlsx", clean_register())
    result = CliRunner().invoke(cli, [a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 2
    assert said.replace("{tmp}", str(tmp_path)) in result.output
    assert "does not exist" not in result.output and "is a file" not in result.output


def test_bad_file_never_shows_a_traceback(tmp_path):
    (tmp_path / "bad.xlsx").write_text("a,b\n1,2\n")
    write_register(tmp_path / "good.xlsx", clean_register())
    result = invoke("validate", str(tmp_path), "--as-of", "2026-11-22")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "bad.xlsx" in result.output and "无法读取工作簿" in result.output


def _module_run(args, cwd):
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1] / "src"))
    return subprocess.run([sys.executable, "-m", "sheetkit", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=120)


def test_python_m_sheetkit_exit_status(broken, tmp_path):
    bad = _module_run(["validate", broken, "--format", "json", "--as-of", "2026-11-22"], tmp_path)
    assert bad.returncode == 1, bad.stderr
    assert json.loads(bad.stdout)["files"][0]["path"] == "regs/jinan.xlsx"
    write_register(tmp_path / "ok" / "r.xlsx", clean_register())
    good = _module_run(["validate", "ok", "--as-of", "2026-11-22"], tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    usage = _module_run(["validate", "nowhere"], tmp_path)
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr


@pytest.mark.parametrize("args, said", [
    (["valdate"], "没有命令“valdate”"),
    (["validate", "--formt", "json"], "没有选项 --formt（是不是 --format 或 --report？）"),
    (["letters", "filing"], "缺少参数 PATHS"),
    (["letters", "fling", "x"], "“fling”无效：应为 filing、adjust"),
    (["validate", ".", "--as-of", "xx"], "选项 --as-of 的值无效：无法识别的日期“xx”"),
])
def test_usage_errors_are_said_in_chinese(args, said, capsys):
    """The console entry point says a usage error in Chinese, with where to read the usage
    (exit 2), instead of click's 「Error: No such option…」."""
    from sheetkit.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(args)
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.startswith("用法错误：") and said in err, err
    assert "--help”查看用法" in err and "Error:" not in err


def test_every_command_has_help_text():
    ctx = cli.make_context("sheetkit", ["--help"], resilient_parsing=True)
    names = cli.list_commands(ctx)
    assert "validate" in names and "init" in names
    assert cli.help and cli.help.strip()
    for name in names:
        cmd = cli.get_command(ctx, name)
        assert cmd.help and cmd.help.strip(), f"{name} has no help text"
        for param in cmd.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.opts} has no help text"
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert cmd.help.strip().splitlines()[0] in result.output
