"""Working-day arithmetic around 国庆 and 春节, checked by hand against the State
Council's schedules (2025: 10月1日至8日放假，9月28日(周日)、10月11日(周六)上班;
2026: 春节2月15日至23日放假，2月14日(周六)、2月28日(周六)上班; 国庆10月1日至7日放假，
10月10日(周六)上班)."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.errors import CalendarError
from sheetkit.workdays import (
    add_workdays, count_workdays, covered_years, objection_deadline, public_notice_end,
)

D = dt.date


def test_add_workdays_over_national_day_2026():
    # 9/30 not counted; 10/1–10/7 holiday; 10/8 1, 10/9 2, 10/10 (Sat, 调休) 3, 10/12 4, 10/13 5
    assert add_workdays(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert add_workdays(D(2026, 9, 30), 2) == D(2026, 10, 9)
    assert add_workdays(D(2026, 9, 30), 3) == D(2026, 10, 10)


def test_add_workdays_over_spring_festival_2026():
    # 2/14 Sat is a working day (1); 2/15–2/23 holiday; 2/24 2, 2/25 3
    assert add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_workdays(D(2026, 2, 13), 3) == D(2026, 2, 25)


def test_add_workdays_zero_and_backwards():
    assert add_workdays(D(2026, 10, 3), 0) == D(2026, 10, 3)
    # backwards from 10/12: 10/10 (Sat 调休) is 1, then 10/9 2, 10/8 3, then 9/30 4
    assert add_workdays(D(2026, 10, 12), -4) == D(2026, 9, 30)


def test_public_notice_over_national_day_2025():
    # published Fri 9/26 (not counted, as for the objection period); 9/27 Sat off;
    # 9/28 Sun 调休 1; 9/29 2; 9/30 3; 10/1–10/8 holiday; 10/9 4; 10/10 5
    assert public_notice_end(D(2025, 9, 26)) == D(2025, 10, 10)
    # published on a holiday: the first working day after it is day 1:
    # 10/9 1, 10/10 2, 10/11 (Sat 调休) 3, 10/13 4, 10/14 5
    assert public_notice_end(D(2025, 10, 3)) == D(2025, 10, 14)


def test_notice_and_objection_count_the_same_way():
    for start in (D(2025, 9, 26), D(2026, 2, 10), D(2026, 9, 30)):
        assert public_notice_end(start, days=15) == objection_deadline(start)
        assert objection_deadline(start, days=5) == public_notice_end(start)


def test_objection_deadline_over_spring_festival_2026():
    # received Tue 2/10 (not counted): 2/11 1, 2/12 2, 2/13 3, 2/14 (Sat 调休) 4, 2/15–2/23 off,
    # 2/24 5 … 2/27 8, 2/28 (Sat 调休) 9, 3/2 10 … 3/6 14, 3/9 15
    assert objection_deadline(D(2026, 2, 10)) == D(2026, 3, 9)
    assert objection_deadline(D(2026, 2, 10), days=4) == D(2026, 2, 14)


def test_count_names_holidays_and_swapped_days():
    count = count_workdays(D(2026, 9, 30), 5)
    notes = {d.date: d for d in count.days}
    assert notes[D(2026, 10, 1)].holiday == "国庆节" and not notes[D(2026, 10, 1)].workday
    assert notes[D(2026, 10, 10)].workday and notes[D(2026, 10, 10)].number == 3
    assert "调休上班：国庆节" in notes[D(2026, 10, 10)].note
    assert notes[D(2026, 10, 11)].note == "周末，不计"
    assert [d.number for d in count.days if d.workday] == [1, 2, 3, 4, 5]


def test_unknown_year_is_a_clear_error():
    first, last = covered_years()
    with pytest.raises(CalendarError) as err:
        add_workdays(D(last + 1, 1, 5), 1)
    text = str(err.value)
    assert f"{last + 1} 年" in text and "chinesecalendar" in text and f"{first}—{last}" in text
    # crossing into an unknown year fails too: no silent guess at New Year's Day
    with pytest.raises(CalendarError, match=str(last + 1)):
        add_workdays(D(last, 12, 24), 10)
    with pytest.raises(CalendarError, match=str(first - 1)):
        add_workdays(D(first - 1, 6, 1), 1)


def test_cli_add_days_shows_the_arithmetic():
    result = CliRunner().invoke(cli, ["calendar", "add-days", "2026-09-30", "5"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "2026-10-01（周四）  国庆节假期，不计" in lines[1]
    assert any("2026-10-10（周六）  第3个工作日（调休上班：国庆节）" in line for line in lines)
    assert lines[-1] == "结果：2026-10-13（周二）"


def test_cli_json_and_notice_objection():
    result = CliRunner().invoke(cli, ["calendar", "notice", "2025-09-26", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["result"] == "2025-10-10" and data["start_counts"] is False
    result = CliRunner().invoke(cli, ["calendar", "objection", "2026年2月10日"])
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "结果：2026-03-09（周一）"


def test_cli_add_days_negative_without_double_dash():
    result = CliRunner().invoke(cli, ["calendar", "add-days", "2026-09-30", "-10"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("自 2026-09-30（周三） 起（当日不计入），向前数 10 个工作日")
    assert result.output.splitlines()[-1] == f"结果：{add_workdays(D(2026, 9, 30), -10).isoformat()}（周三）"
    assert add_workdays(D(2026, 9, 30), -10) == D(2026, 9, 16)  # 9/25–9/27 中秋 off; Sun 9/20 调休 counts (7th)


def test_cli_unknown_year_exits_2_with_message():
    _, last = covered_years()
    result = CliRunner().invoke(cli, ["calendar", "add-days", f"{last}-12-28", "5"])
    assert result.exit_code == 2
    assert f"没有 {last + 1} 年的放假安排" in result.output
