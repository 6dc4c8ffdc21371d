"""`sheetkit directory` on the command line: the JSON output is the library's own result,
exclusions go to stderr with their reasons, usage errors exit 2."""

from __future__ import annotations

import json

import openpyxl
from builders import uscc
from click.testing import CliRunner
from directory_fixture import directory_register, expected_order, personal_values, write_directory_register

from sheetkit.cli import cli
from sheetkit.directory import write_directory


def run(*args):
    return CliRunner().invoke(cli, ["directory", *map(str, args)])


def test_json_output_matches_library(tmp_path):
    register = write_directory_register(tmp_path / "in" / "r.xlsx")
    out = tmp_path / "out" / "目录.xlsx"
    result = run(register.parent, "--year", 2026, "-o", out, "--csv", "--format", "json")
    assert result.exit_code == 0, result.output
    stdout = result.stdout
    doc = json.loads(stdout)
    assert [r["uscc"] for r in doc["rows"]] == expected_order()
    assert doc["title"] == "2026年山东省专项职业能力考核机构目录"
    assert doc["excluded"] == [{"uscc": uscc(7), "name": "济南第7职业技能培训学校", "city": "济南",
                                "reasons": ["id.resident"], "where": doc["excluded"][0]["where"]}]
    assert doc["summary"] == {"listed": 7, "valid": 5, "removed": 2, "excluded": 1}
    assert doc["output"] == str(out) and doc["csv"] == str(out.with_suffix(".csv"))
    library = write_directory([register.parent], tmp_path / "lib.xlsx", 2026).directory.to_dict()
    assert doc["rows"] == library["rows"] and doc["excluded"] == library["excluded"]
    assert "未列入：济南第7职业技能培训学校" in result.stderr and "id.resident" in result.stderr
    assert openpyxl.load_workbook(out)["全省"]["A1"].value == doc["title"]
    # the exclusion list names cells, never the personal values in them
    leaked = [p for p in personal_values(directory_register()) if p in result.stdout or p in result.stderr]
    assert not leaked


def test_text_summary(tmp_path):
    register = write_directory_register(tmp_path / "r.xlsx")
    result = run(register, "--year", 2026, "-o", tmp_path / "d.xlsx", "--as-of", "2026-01-31")
    assert result.exit_code == 0, result.output
    assert "共 7 家机构（有效 7，终止备案 0）" in result.stdout
    assert "未列入 1 家" in result.stdout


def test_profile_province_in_title(tmp_path):
    register = write_directory_register(tmp_path / "r.xlsx")
    result = run(register, "--year", 2026, "-o", tmp_path / "d.xlsx", "--profile", "gansu-2022", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "2026年甘肃省专项职业能力考核机构目录"


def test_refuses_to_overwrite_an_input(tmp_path):
    register = write_directory_register(tmp_path / "r.xlsx")
    before = register.read_bytes()
    result = run(register, "--year", 2026, "-o", register)
    assert result.exit_code == 2
    assert "不能覆盖" in result.stderr
    assert register.read_bytes() == before


def test_output_must_be_xlsx(tmp_path):
    register = write_directory_register(tmp_path / "r.xlsx")
    result = run(register, "--year", 2026, "-o", tmp_path / "d.pdf")
    assert result.exit_code == 2 and ".xlsx" in result.stderr


def test_help_text():
    result = CliRunner().invoke(cli, ["directory", "--help"])
    assert result.exit_code == 0 and "--year" in result.output and "--csv" in result.output
