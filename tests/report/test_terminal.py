"""Terminal output and the validate command's --annotate / --report options."""

import io
import json
import sys

import openpyxl
from builders import AS_OF, clean_register, uscc, write_register
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.cli.options import progress_callback
from sheetkit.engine import validate
from sheetkit.report.terminal import render, total_line


def two_cities(tmp_path):
    """济南 with a bad ID number; 青岛 (its own workbook) clean."""
    jinan = clean_register()
    jinan["人员"][0]["身份证号"] = "370102198001010001"
    qingdao = clean_register(n_institutions=2)
    qingdao = {k: [r for r in rows if r.get("统一社会信用代码") != uscc(1)] for k, rows in qingdao.items()}
    qingdao["项目目录"] = []
    for r in qingdao["机构"]:
        r["所属市"] = "青岛"
    a = write_register(tmp_path / "in" / "济南.xlsx", jinan)
    b = write_register(tmp_path / "in" / "青岛.xlsx", {k: v for k, v in qingdao.items() if v})
    return a, b


def rendered(report, lang="zh"):
    buf = io.StringIO()
    render(report, lang=lang, file=buf)
    return buf.getvalue()


def test_grouped_by_file_and_institution_plain_text(tmp_path):
    a, b = two_cities(tmp_path)
    report = validate([a, b], as_of=AS_OF)
    out = rendered(report)
    assert "\x1b[" not in out  # no colour codes when not a terminal
    lines = out.splitlines()
    file_line = next(i for i, line in enumerate(lines) if line.startswith(str(a)))
    assert "1 条问题（错误 1）" in lines[file_line]
    assert lines[file_line + 1].strip().startswith("济南第1职业技能培训学校（" + uscc(1) + "）")
    assert "济南 · 申请中 · 不符合条件" in lines[file_line + 1]
    finding = lines[file_line + 2]
    assert finding.startswith("    错误 人员!C2 ") and "校验码" in finding and "id.resident 〔GB 11643-1999〕" in finding
    assert not any(line.startswith(str(b)) for line in lines)  # a clean file has no section
    assert lines[-1] == "共 2 个工作簿，2 家机构（符合条件 1 家，不符合条件 1 家）：错误 1，不符合 0，提示 0，信息 0"


def test_colour_on_a_terminal(tmp_path):
    a, _ = two_cities(tmp_path)
    report = validate([a], as_of=AS_OF)

    class Tty(io.StringIO):
        def isatty(self):
            return True

    buf = Tty()
    old = sys.stdout
    sys.stdout = buf
    try:
        render(report)
    finally:
        sys.stdout = old
    assert "\x1b[1;31m错误" in buf.getvalue()  # bold red for an error


def test_english(tmp_path):
    a, _ = two_cities(tmp_path)
    report = validate([a], as_of=AS_OF)
    out = rendered(report, lang="en")
    assert "1 findings (error 1)" in out and "not eligible" in out
    assert out.splitlines()[-1] == total_line(report, "en") == \
        "1 workbooks, 1 institutions (0 eligible, 1 not eligible): 1 errors, 0 violations, 0 warnings, 0 info"


def test_clean_register_says_so(clean):
    out = rendered(validate([clean], as_of=AS_OF))
    assert out.splitlines()[0] == "未发现问题。"


def test_progress_bar_only_for_several_files_on_a_terminal(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress_callback(True) == (None, None)  # not a terminal: no bar
    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    callback, progress = progress_callback(True)
    callback(1, 1, "one.xlsx")
    assert err.getvalue() == ""  # a single workbook: no bar
    callback, progress = progress_callback(True)
    for n in (1, 2, 3):
        callback(n, 3, f"file{n}.xlsx")
    assert "读取工作簿" in err.getvalue()
    assert progress_callback(False) == (None, None)


def test_cli_annotate_and_report_keep_json_clean(tmp_path):
    a, b = two_cities(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", str(tmp_path / "in"), "--as-of", "2026-11-22", "--format", "json",
                                 "--annotate", str(tmp_path / "标注"), "--report", str(tmp_path / "run.xlsx")])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)  # progress and file notes go to stderr only
    assert data["summary"]["error"] == 1
    assert f"标注副本：{tmp_path / '标注' / '济南.标注.xlsx'}（1 条问题）" in result.stderr
    assert f"问题清单：{tmp_path / 'run.xlsx'}" in result.stderr
    assert sorted(p.name for p in (tmp_path / "标注").iterdir()) == ["济南.标注.xlsx", "青岛.标注.xlsx"]
    wb = openpyxl.load_workbook(tmp_path / "标注" / "济南.标注.xlsx")
    assert "id.resident" in wb["人员"]["C2"].comment.text
    clean_copy = openpyxl.load_workbook(tmp_path / "标注" / "青岛.标注.xlsx")["问题清单"]
    assert clean_copy["A2"].value == "本工作簿未发现问题"
    assert openpyxl.load_workbook(tmp_path / "run.xlsx").sheetnames == ["汇总", "按机构", "续期评估", "按规则", "按文件",
                                                                       "问题清单"]


def test_cli_report_must_be_xlsx(tmp_path, clean):
    result = CliRunner().invoke(cli, ["validate", str(clean), "--report", str(tmp_path / "run.csv")])
    assert result.exit_code == 2 and ".xlsx" in result.output


def test_institutions_are_listed_in_register_order(tmp_path):
    """Within a file, institutions come in the order of their 机构 rows, as the clerk keeps
    the register — not by the lowest row number of any finding, which mixes rows of 人员
    (far down) with rows of 机构 and listed 第3, 第1, 第2."""
    sheets = clean_register(3)
    sheets["机构"][2]["信用状况"] = "不良"  # institution 3: a finding on its 机构 row (row 4)
    for n, k in ((1, -1), (2, 0)):  # institutions 1 and 2: a finding on one of their 人员 rows
        rows = [r for r in sheets["人员"] if r["统一社会信用代码"] == uscc(n)]
        rows[k]["姓名"] = None
    path = write_register(tmp_path / "r.xlsx", sheets)
    out = rendered(validate([str(path)], as_of=AS_OF))
    at = [out.index(f"（{uscc(n)}）") for n in (1, 2, 3)]
    assert at == sorted(at), out
