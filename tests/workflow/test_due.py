"""`sheetkit due`: 已备案 institutions whose period ends within the window, or has ended
without renewal scores (视为自愿撤销), hand-computed against AS_OF 2026-11-22."""

import datetime as dt
import json

from builders import AS_OF, institution, score_row, uscc, write_register
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.due import DUE, EXPIRED, due


def _register(tmp_path):
    filed = dict(备案状态="已备案")
    sheets = {
        "机构": [
            institution(1),  # 申请中: never listed
            institution(2, 机构代码="JN002", 备案起始=dt.date(2023, 12, 1), **filed),  # ends 2026-11-30
            institution(3, 机构代码="JN003", 备案起始=dt.date(2024, 5, 10), **filed),  # ends 2027-04-30
            institution(4, 机构代码="JN004", 备案起始=dt.date(2023, 6, 1), **filed),  # ended 2026-05-31
            institution(5, 机构代码="JN005", 备案起始=dt.date(2023, 3, 1), **filed),  # ended, has scores
            institution(6, 机构代码="JN006", 备案起始=dt.date(2025, 1, 1), **filed),  # ends 2027-12-31
            institution(7, 机构代码="JN007", 备案起始=None, **filed),  # cannot be judged
            institution(8, 机构代码="JN008", 备案起始=dt.date(2023, 6, 1), 备案状态="终止备案"),
        ],
        "续期评分": [score_row(uscc(5), "王专家")],
    }
    return write_register(tmp_path / "r.xlsx", sheets)


def test_due_lists_due_and_expired_sorted_by_end(tmp_path):
    result = due([_register(tmp_path)], as_of=AS_OF, within=180)
    got = [(e.uscc, e.end, e.days_left, e.state) for e in result.entries]
    assert got == [
        (uscc(4), "2026-05-31", -175, EXPIRED),
        (uscc(2), "2026-11-30", 8, DUE),
        (uscc(3), "2027-04-30", 159, DUE),
    ]
    first = result.entries[1]
    assert first.period == "自2023年12月至2026年11月" and first.code == "JN002" and first.start == "2023-12-01"
    assert (first.sheet, first.row) == ("机构", 3)
    assert [u["uscc"] for u in result.undated] == [uscc(7)]
    assert "第8行" in result.undated[0]["message"]


def test_within_narrows_the_window(tmp_path):
    result = due([_register(tmp_path)], as_of=AS_OF, within=8)
    assert [e.uscc for e in result.entries] == [uscc(4), uscc(2)]
    result = due([_register(tmp_path)], as_of=AS_OF, within=7)
    assert [e.uscc for e in result.entries] == [uscc(4)]


def test_cli_json_and_text(tmp_path):
    path = str(_register(tmp_path))
    res = CliRunner().invoke(cli, ["due", path, "--within", "180d", "--as-of", "2026-11-22", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["within_days"] == 180 and data["as_of"] == "2026-11-22"
    assert [i["uscc"] for i in data["institutions"]] == [uscc(4), uscc(2), uscc(3)]
    assert data["institutions"][0]["state"] == "期满未续期"
    res = CliRunner().invoke(cli, ["due", path, "--within", "30", "--as-of", "2026-11-22"])
    assert res.exit_code == 0, res.output
    assert "已期满 175 天，视为自愿撤销" in res.output
    assert "还剩 8 天" in res.output and uscc(3) not in res.output
    bad = CliRunner().invoke(cli, ["due", path, "--within", "half a year"])
    assert bad.exit_code == 2 and "无法识别的天数" in bad.output


def test_a_file_that_cannot_be_read_is_named_not_dropped(tmp_path):
    """A workbook that cannot be opened (or holds no register sheet) in the folder is named
    with its reason, as `letters` and `directory` name it: a silent 「（无）」 would hide
    the filings of that file's institutions that end soon."""
    folder = tmp_path / "登记表"
    _register(folder)
    bad = folder / "坏文件.xlsx"
    bad.write_bytes(b"this is not a workbook")
    result = due([str(folder)], as_of=AS_OF, within=180)
    assert [f.path for f in result.unread] == [str(bad)]
    assert [u["path"] for u in result.to_dict()["unreadable"]] == [str(bad)]
    assert len(result.entries) == 3  # the readable file is still listed
    res = CliRunner().invoke(cli, ["due", str(folder), "--within", "180", "--as-of", "2026-11-22"])
    assert res.exit_code == 0
    assert f"无法使用：{bad}：" in res.stderr
    res = CliRunner().invoke(cli, ["due", str(folder), "--as-of", "2026-11-22", "--format", "json"])
    assert f"无法使用：{bad}：" in res.stderr
