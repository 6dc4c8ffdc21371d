"""The change report between two runs of the same register: rows moving, files renamed,
institutions added, problems fixed — through the library, `validate --since` (JSON and
the 变更 sheet) and `watch` (report.json of the second run)."""

from __future__ import annotations

import json

import openpyxl
from builders import AS_OF, clean_register, person, resident, uscc, write_register
from click.testing import CliRunner

from sheetkit.changes import compare, finding_key, previous_report, since_previous
from sheetkit.cli import cli
from sheetkit.engine import validate
from sheetkit.report.text import display_width
from sheetkit.watch import Watcher

BAD_ID = resident(7)[:-1] + ("0" if resident(7)[-1] != "0" else "1")  # a wrong check digit


def _register(bad_id: bool = True, n: int = 2, pad_staff: int = 0) -> dict:
    """``n`` clean institutions; with ``bad_id`` one staff row of institution 2 has a bad
    身份证号. ``pad_staff`` extra (clean) staff rows of institution 1 go above it."""
    sheets = clean_register(n)
    if pad_staff:
        extra = [person(uscc(1), 900 + k, "技术支持人员") for k in range(pad_staff)]
        sheets["人员"] = extra + sheets["人员"]
    if bad_id:
        row = next(r for r in sheets["人员"] if r["统一社会信用代码"] == uscc(2) and r["岗位"] == "考核管理人员")
        row["身份证号"] = BAD_ID
    return sheets


def _run(path) -> dict:
    return validate([str(path)], as_of=AS_OF).to_dict()


def _id_findings(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["rule"] == "id.resident"]


def test_moved_row_is_neither_fixed_nor_new(tmp_path):
    before = _run(write_register(tmp_path / "a" / "济南.xlsx", _register()))
    after = _run(write_register(tmp_path / "b" / "济南.xlsx", _register(pad_staff=3)))
    (f0,), (f1,) = _id_findings(before), _id_findings(after)
    assert f1["row"] == f0["row"] + 3  # the row really moved down
    changes = compare(before, after)
    assert changes.empty, changes.to_dict()
    assert changes.describe().endswith("没有变化")


def test_renamed_file_is_no_change(tmp_path):
    before = _run(write_register(tmp_path / "a" / "济南.xlsx", _register()))
    after = _run(write_register(tmp_path / "b" / "济南市2026年登记表.xlsx", _register()))
    assert before["findings"] and {f["path"] for f in before["findings"]} != {f["path"] for f in after["findings"]}
    assert compare(before, after).empty


def test_new_institution_and_its_findings(tmp_path):
    before = _run(write_register(tmp_path / "a" / "r.xlsx", _register(bad_id=False, n=1)))
    sheets = _register(bad_id=True, n=2)
    after = _run(write_register(tmp_path / "b" / "r.xlsx", sheets))
    changes = compare(before, after)
    assert [i["uscc"] for i in changes.added] == [uscc(2)]
    assert changes.removed == [] and changes.fixed == []
    assert [(f["rule"], f["institution"], f["value"]) for f in changes.new] == [("id.resident", uscc(2), BAD_ID[:4] + "*" * 10 + BAD_ID[-4:])]  # the JSON is masked
    assert changes.to_dict()["summary"] == {"new": 1, "fixed": 0, "institutions_added": 1,
                                            "institutions_removed": 0, "institutions_changed": 0}


def test_fixed_finding_and_status_change(tmp_path):
    before = _run(write_register(tmp_path / "a" / "r.xlsx", _register()))
    after = _run(write_register(tmp_path / "b" / "r.xlsx", _register(bad_id=False)))
    changes = compare(before, after)
    assert [(f["rule"], f["value"]) for f in changes.fixed] == [("id.resident", BAD_ID[:4] + "*" * 10 + BAD_ID[-4:])]
    assert changes.new == [] and changes.added == [] and changes.removed == []
    assert {(c["uscc"], c["field"], c["before"], c["after"]) for c in changes.changed} == {
        (uscc(2), "eligible", False, True), (uscc(2), "documents.filing", False, True)}
    # the labels are read by staff (变更 sheet, the page): the document's Chinese name, no kind id
    assert {c["field"]: c["label"] for c in changes.changed} == {
        "eligible": "是否符合条件", "documents.filing": "出具备案回执"}


def test_removed_institution(tmp_path):
    before = _run(write_register(tmp_path / "a" / "r.xlsx", _register()))
    after = _run(write_register(tmp_path / "b" / "r.xlsx", _register(bad_id=False, n=1)))
    changes = compare(before, after)
    assert [i["uscc"] for i in changes.removed] == [uscc(2)]
    assert [f["institution"] for f in changes.fixed] == [uscc(2)]


def test_same_problem_twice_counts(tmp_path):
    """Two identical keys, one fixed: one fixed, not zero."""
    f = {"rule": "data.required", "institution": uscc(1), "sheet": "人员", "column": "姓名", "value": None,
         "path": "a.xlsx", "row": 3}
    prev = {"findings": [f, {**f, "row": 9}], "institutions": []}
    cur = {"findings": [{**f, "row": 4}], "institutions": []}
    changes = compare(prev, cur)
    assert len(changes.fixed) == 1 and changes.new == []
    assert finding_key(f) == finding_key({**f, "path": "other/b.xlsx", "row": 100, "cell": "Z100"})


def test_validate_since_json_and_changes_sheet(tmp_path):
    path = write_register(tmp_path / "in" / "r.xlsx", _register())
    runner = CliRunner()
    first = runner.invoke(cli, ["validate", str(path), "--as-of", AS_OF.isoformat(), "--format", "json"])
    assert first.exit_code == 1, first.output
    prev = tmp_path / "previous.json"
    prev.write_text(first.stdout, encoding="utf-8")
    write_register(path, _register(bad_id=False))
    out = tmp_path / "问题清单.xlsx"
    second = runner.invoke(cli, ["validate", str(path), "--as-of", AS_OF.isoformat(), "--format", "json",
                                 "--since", str(prev), "--report", str(out)])
    assert second.exit_code == 0, second.output
    data = json.loads(second.stdout)
    assert data["changes"]["summary"]["fixed"] == 1
    assert data["changes"]["fixed"][0]["rule"] == "id.resident"
    assert data["changes"]["previous"]["path"] == str(prev)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == "变更"
    sheet = wb["变更"]
    setup = sheet.page_setup
    assert setup.paperSize == 9 and setup.orientation == "landscape" and sheet.print_title_rows == "$2:$2"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
    dims = [d for d in sheet.column_dimensions.values() if d.min]  # openpyxl groups equal neighbours
    widths = {c: d.width for d in dims for c in range(d.min, d.max + 1)}
    assert (841.9 - 72) / (7.0 * sum(widths.values())) >= 0.8  # landscape A4 at 80 % or more (7 pt a unit)
    assert len(widths) == 10 and widths[4] >= 20.7  # every column sized, the credit code whole (18 + room)
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:J1"]  # the title spans the table
    for r in sheet.iter_rows(min_row=3):  # the 说明 column wraps; rows tall enough for its lines
        assert r[8].alignment.wrap_text
        lines = -(-display_width(r[8].value) // (widths[9] - 1.71))
        assert (sheet.row_dimensions[r[0].row].height or 15) >= 15 * lines
    rows = [[c.value for c in r] for r in wb["变更"].iter_rows(min_row=3)]
    assert ["已修复", "济南", "济南第2职业技能培训学校", uscc(2), "错误", "id.resident"] == rows[-1][:6]
    said = {r[8] for r in rows if r[0] == "状况变化"}
    assert {"是否符合条件：不符合 → 符合", "出具备案回执：否 → 是"} <= said, said  # a document is due or not
    # without --since: no changes key, and no 变更 sheet
    third = runner.invoke(cli, ["validate", str(path), "--as-of", AS_OF.isoformat(), "--format", "json",
                                "--report", str(out)])
    assert "changes" not in json.loads(third.stdout)
    assert "变更" not in openpyxl.load_workbook(out).sheetnames


def test_validate_since_bad_file(tmp_path):
    path = write_register(tmp_path / "r.xlsx", _register())
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--since", str(bad)])
    assert result.exit_code == 2 and "不是有效的 JSON" in result.output


def test_watch_second_run_reports_changes(tmp_path):
    inbox, reports = tmp_path / "收件", tmp_path / "报告"
    write_register(inbox / "济南.xlsx", _register())
    w = Watcher(inbox, reports, as_of=AS_OF)
    first = w.run()
    assert first.error is None and first.changes is None
    assert "changes" not in json.loads((first.folder / "report.json").read_text(encoding="utf-8"))
    (inbox / "济南.xlsx").unlink()  # fixed, and renamed on the way
    write_register(inbox / "济南（修改后）.xlsx", _register(bad_id=False))
    second = w.run()
    assert second.error is None
    data = json.loads((second.folder / "report.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in data["changes"]["fixed"]] == ["id.resident"]
    assert data["changes"]["new"] == []
    assert data["changes"]["previous"]["path"] == first.folder.name
    assert "变更" in openpyxl.load_workbook(second.folder / "问题清单.xlsx").sheetnames
    path, report = previous_report(reports)
    assert path == second.folder / "report.json"
    assert since_previous(reports, report).empty
