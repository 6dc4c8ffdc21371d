"""Working-day arithmetic on the official Chinese holiday calendar (library
``chinesecalendar``): the public-notice period (公示不少于5个工作日, 鲁人社函〔2025〕23号
一(二)3) and the objection period (收到书面核查意见15个工作日内, 三(二)2).

How the days are counted (docs/workflow.md):
- ``add_workdays(day, n)``: the n-th working day *after* ``day`` (``day`` itself is not
  counted — 期间开始的日不计算在期间内). Weekends are skipped, statutory holidays are
  skipped, and the Saturdays/Sundays the State Council makes working days (调休上班) count.
- ``public_notice_end(start)`` and ``objection_deadline(received)`` count the same way:
  the day the period starts on (the notice published, the written finding received) is
  not counted (民法典第二百零一条：开始的当日不计入，自下一日开始计算). A notice published on
  ``start`` may end on the 5th working day after it; the last day to object is the 15th
  working day after ``received``.

A year the library has no data for is a `CalendarError`, never a guess: holidays are
decided by the State Council each year and a calendar without them would be wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sheetkit.errors import CalendarError

NOTICE_WORKDAYS = 5  # 鲁人社函〔2025〕23号 一(二)3：公示时间不少于5个工作日
OBJECTION_WORKDAYS = 15  # 三(二)2：收到书面核查意见15个工作日内提交书面陈述和申辩
WEEKDAYS_ZH = "一二三四五六日"
MAX_DAYS = 3660  # n working days never span more than ten years


@dataclass(frozen=True)
class Day:
    """One calendar day passed over while counting."""

    date: dt.date
    workday: bool
    number: int | None = None  # the working day's ordinal in the count (1, 2, …)
    holiday: str | None = None  # 国庆节, 春节 … (for a holiday or a 调休 working day)

    @property
    def weekday_zh(self) -> str:
        return "周" + WEEKDAYS_ZH[self.date.weekday()]

    @property
    def note(self) -> str:
        weekend = self.date.weekday() >= 5
        if self.workday:
            text = f"第{self.number}个工作日" if self.number else "工作日"
            if weekend:
                text += f"（调休上班{'：' + self.holiday if self.holiday else ''}）"
            return text
        if self.holiday:
            return f"{self.holiday}假期，不计"
        return "周末，不计"


@dataclass(frozen=True)
class Count:
    """The arithmetic of one count: ``start`` + ``n`` working days = ``result``."""

    start: dt.date
    n: int
    result: dt.date
    days: list[Day] = field(default_factory=list)
    start_counts: bool = False

    def lines(self) -> list[str]:
        """The arithmetic in Chinese, one line per day passed over, then the result."""
        head = (f"自 {_fmt(self.start)} 起（当日{'计入' if self.start_counts else '不计入'}），"
                f"{'向后' if self.n >= 0 else '向前'}数 {abs(self.n)} 个工作日：")
        out = [head]
        out += [f"  {_fmt(d.date)}  {d.note}" for d in self.days]
        out.append(f"结果：{_fmt(self.result)}")
        return out

    def to_dict(self) -> dict:
        return {
            "start": self.start.isoformat(), "workdays": self.n, "start_counts": self.start_counts,
            "result": self.result.isoformat(),
            "days": [{"date": d.date.isoformat(), "workday": d.workday, "number": d.number,
                      "holiday": d.holiday} for d in self.days],
            "calendar": f"chinesecalendar {library_version()}",
        }


def _fmt(day: dt.date) -> str:
    return f"{day.isoformat()}（周{WEEKDAYS_ZH[day.weekday()]}）"


def library_version() -> str:
    try:
        from importlib.metadata import version

        return version("chinesecalendar")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        import chinese_calendar

        return getattr(chinese_calendar, "__version__", "?")


def covered_years() -> tuple[int, int]:
    """The first and last year the installed calendar has holiday data for."""
    from chinese_calendar.constants import holidays

    years = [d.year for d in holidays]
    return min(years), max(years)


def _check_year(day: dt.date) -> None:
    first, last = covered_years()
    if not first <= day.year <= last:
        raise CalendarError(
            f"节假日日历没有 {day.year} 年的放假安排：已安装的 chinesecalendar {library_version()} "
            f"只收录 {first}—{last} 年，无法推算 {day.isoformat()} 前后的工作日。"
            f"国务院公布该年安排后，请升级：pip install -U chinesecalendar")


def is_workday(day: dt.date) -> bool:
    """True on a working day (调休上班 weekends included). Unknown year: CalendarError."""
    import chinese_calendar

    _check_year(day)
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError as exc:  # the library's own range check, should ours drift
        raise CalendarError(f"节假日日历无法判断 {day.isoformat()}：{exc}（chinesecalendar {library_version()}）") from exc


def holiday_name(day: dt.date) -> str | None:
    """The Chinese name of the holiday ``day`` belongs to (or is a 调休 working day for)."""
    import chinese_calendar
    from chinese_calendar.constants import Holiday, in_lieu_days, workdays

    _check_year(day)
    english = None
    if chinese_calendar.is_workday(day):
        english = workdays.get(day)
    else:
        english = chinese_calendar.get_holiday_detail(day)[1] or in_lieu_days.get(day)
    if not english:
        return None
    try:
        return Holiday(english).chinese
    except ValueError:
        return english


def count_workdays(start: dt.date, n: int, *, start_counts: bool = False) -> Count:
    """Count ``n`` working days from ``start`` (forwards; backwards when ``n`` < 0).
    With ``start_counts`` a working ``start`` is the first of them."""
    step = 1 if n >= 0 else -1
    days: list[Day] = []
    counted = 0
    current = start if start_counts else start + dt.timedelta(days=step)
    result = start
    while counted < abs(n):
        if len(days) > MAX_DAYS:
            raise CalendarError(f"工作日数 {n} 过大，超过十年")
        if is_workday(current):
            counted += 1
            days.append(Day(current, True, counted, holiday_name(current)))
            result = current
        else:
            days.append(Day(current, False, None, holiday_name(current)))
        current += dt.timedelta(days=step)
    return Count(start, n, result, days, start_counts)


def add_workdays(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` (``day`` not counted); ``n`` = 0 gives ``day``."""
    return count_workdays(day, n).result


def public_notice_end(start: dt.date, days: int = NOTICE_WORKDAYS) -> dt.date:
    """Last day of a public notice published on ``start`` that must last ``days`` working
    days: the ``days``-th working day after ``start`` (the day of publication not counted,
    as for `objection_deadline`)."""
    return count_workdays(start, days).result


def objection_deadline(received: dt.date, days: int = OBJECTION_WORKDAYS) -> dt.date:
    """Last day to object to a written finding received on ``received``: ``days`` working
    days, the day of receipt not counted."""
    return count_workdays(received, days).result
