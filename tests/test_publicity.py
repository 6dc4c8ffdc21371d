"""`sheetkit publicity`: the 公示 list (鲁人社函〔2025〕23号 一(二)3) per city, as a workbook
and a document, with the 公示期 counted in working days over the holidays."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import docx
import openpyxl
from builders import AS_OF, clean_register, uscc, write_register
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.letters.render import docx_text
from sheetkit.workdays import count_workdays, is_workday

ROOT = Path(__file__).resolve().parents[1]
START = dt.date(2026, 9, 28)  # a Monday before 国庆 2026


def _register(tmp_path):
    sheets = clean_register(4)
    sheets["机构"][1]["所属市"] = "青岛"
    sheets["机构"][2]["信用状况"] = "不良"  # not due: not in the list
    sheets["机构"][3].update(备案状态="已备案", 机构代码="SD2026004")  # not an applicant
    sheets["机构"][0]["机构名称"] = "济南<甲>&乙学校"  # text, escaped in the document
    return write_register(tmp_path / "r.xlsx", sheets)


def test_the_list_and_the_period_over_national_day(tmp_path):
    path = _register(tmp_path)
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["publicity", str(path), "-o", str(out), "--start", START.isoformat(),
                                   "--as-of", AS_OF.isoformat()])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["publicity_济南.docx", "publicity_济南.xlsx",
                                                     "publicity_青岛.docx", "publicity_青岛.xlsx"]
    assert "inst.credit" in res.stderr  # the applicant left out, with why

    end = count_workdays(START, 5).result
    assert end == dt.date(2026, 10, 10)  # the working Saturday after the holiday
    days = [START + dt.timedelta(d) for d in range(1, (end - START).days + 1)]
    assert sum(map(is_workday, days)) == 5 and not all(map(is_workday, days))  # spans 国庆
    period = "自2026年9月28日至2026年10月10日"

    wb = openpyxl.load_workbook(out / "publicity_济南.xlsx")
    ws = wb.active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[1][0] == f"公示期：{period}（5个工作日，其间国庆节假期不计）"
    assert rows[3] == ["序号", "考核机构名称", "统一社会信用代码", "考核项目"]
    assert rows[4] == ["1", "济南<甲>&乙学校", uscc(1), "中式面点制作、家政服务"]
    assert len(rows) == 5  # 济南: one institution (the 不良 one and the 已备案 one are not listed)
    assert all(c.data_type == "s" for r in ws.iter_rows() for c in r if c.value is not None)
    assert ws.page_setup.paperSize == 9 and ws.print_title_rows == "$4:$4"  # the header row repeats

    assert "济南<甲>&乙学校" in docx_text((out / "publicity_济南.docx").read_bytes())
    text = docx_text((out / "publicity_青岛.docx").read_bytes())
    assert f"公示期：{period}（5个工作日，其间国庆节假期不计）。" in text.replace("\n", "")
    assert "青岛市人力资源和社会保障局" in text and "鲁人社函〔2025〕23号" in text
    doc = docx.Document(str(out / "publicity_青岛.docx"))
    table = doc.tables[0]
    assert [c.text for c in table.rows[1].cells] == ["1", "济南第2职业技能培训学校", uscc(2), "中式面点制作、家政服务"]
    assert len(table.rows) == 2
    for name in ("张", "李", "0531"):  # no personal data (法定代表人, 联系人, 电话)
        assert name not in text


def test_a_posted_list_is_not_replaced_without_force(tmp_path):
    """Same register again: nothing rewritten. Another 公示期: refused, nothing written,
    unless --force (a list that may have been posted is never silently replaced)."""
    path = _register(tmp_path)
    out = tmp_path / "out"
    args = ["publicity", str(path), "-o", str(out), "--as-of", AS_OF.isoformat(), "--start"]
    assert CliRunner().invoke(cli, [*args, START.isoformat()]).exit_code == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = CliRunner().invoke(cli, [*args, START.isoformat()])
    assert again.exit_code == 0 and again.output.count("内容未变，未改写") == 4
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps

    later = (START + dt.timedelta(days=7)).isoformat()
    refused = CliRunner().invoke(cli, [*args, later])
    assert refused.exit_code == 2 and "已存在内容不同的公示名单" in refused.output and "--force" in refused.output
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps  # nothing written
    forced = CliRunner().invoke(cli, [*args, later, "--force"])
    assert forced.exit_code == 0, forced.output
    assert "自2026年10月" in docx_text((out / "publicity_济南.docx").read_bytes())


def test_the_packaged_template_is_the_built_one(tmp_path):
    spec = importlib.util.spec_from_file_location("build_templates", ROOT / "letter_templates" / "build_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(out_dirs=(tmp_path,))
    built = docx_text((tmp_path / "notices" / "publicity.docx").read_bytes())
    for folder in (ROOT / "letter_templates", ROOT / "src" / "sheetkit" / "templates"):
        assert docx_text((folder / "notices" / "publicity.docx").read_bytes()) == built


def test_json_names_the_files_that_could_not_be_used(tmp_path):
    """`publicity --format json` lists the unreadable workbooks under `unreadable`, as
    `letters`, `directory` and `due` do (a city's file that could not be opened has no list)."""
    import json

    folder = tmp_path / "登记表"
    folder.mkdir()
    _register(folder)
    bad = folder / "青岛.xlsx"
    bad.write_bytes(b"not a workbook")
    res = CliRunner().invoke(cli, ["publicity", str(folder), "-o", str(tmp_path / "out"), "--start",
                                   START.isoformat(), "--as-of", AS_OF.isoformat(), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert {u["path"] for u in data["unreadable"]} == {str(bad)}
    assert f"无法使用：{bad}：" in res.stderr
