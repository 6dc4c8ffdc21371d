"""Filing periods (SPEC §3): 3 years by month. Filed from 2025-03-xx the period runs
自2025年3月至2028年2月; from January, to December of Y+2. A renewal's period starts the
month after the old one ends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: dt.date) -> "Month":
        return cls(day.year, day.month)

    def plus(self, months: int) -> "Month":
        n = self.year * 12 + (self.month - 1) + months
        return Month(n // 12, n % 12 + 1)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.plus(1).first_day - dt.timedelta(days=1)

    def zh(self) -> str:
        return f"{self.year}年{self.month}月"

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class FilingPeriod:
    start: Month
    end: Month

    def zh(self) -> str:
        """`自2025年3月至2028年2月`."""
        return f"自{self.start.zh()}至{self.end.zh()}"

    @property
    def last_day(self) -> dt.date:
        return self.end.last_day

    def covers(self, day: dt.date) -> bool:
        return self.start.first_day <= day <= self.last_day

    def overlaps_year(self, year: int) -> bool:
        return self.start.first_day <= dt.date(year, 12, 31) and self.last_day >= dt.date(year, 1, 1)

    def next(self, years: int = 3) -> "FilingPeriod":
        """The renewal period: starts the month after this one ends."""
        return filing_period(self.end.plus(1).first_day, years)

    def to_dict(self) -> dict:
        return {"start": self.start.iso(), "end": self.end.iso(), "text": self.zh()}


def filing_period(start: dt.date, years: int = 3) -> FilingPeriod:
    """The filing period that starts in ``start``'s month and lasts ``years`` years."""
    first = Month.of(start)
    return FilingPeriod(first, first.plus(12 * years - 1))


def years_later(day: dt.date, years: int) -> dt.date:
    """The last day of ``years`` calendar years from ``day``: the day before the same date
    ``years`` on (2025-03-01 → 2028-02-29, 2026-12-01 → 2029-11-30; from 29 February the
    same date does not exist and the term runs to 28 February)."""
    try:
        same = day.replace(year=day.year + years)
    except ValueError:  # 29 February → 1 March of a common year
        same = dt.date(day.year + years, 3, 1)
    return same - dt.timedelta(days=1)


def years_later_each(starts, years: int):
    """`years_later` of every date of a pandas Series (datetime64) at once."""
    import pandas as pd

    same = starts + pd.DateOffset(years=years)  # 29 February → 28 February
    leap_day = (starts.dt.month == 2) & (starts.dt.day == 29)
    same = same.where(~leap_day, same + pd.Timedelta(days=1))  # … → 1 March, as `years_later`
    return same - pd.Timedelta(days=1)


def lease_required_end(filing_start: dt.date, years: int = 3) -> dt.date:
    """The earliest lease end that covers a filing of ``years`` years from ``filing_start``:
    calendar years, `years_later` (SPEC §2, 鲁人社函〔2025〕23号 附件1 第2项 「租赁期限不少于3年」)."""
    return years_later(filing_start, years)


def lease_covers(filing_start: dt.date, lease_end: dt.date, years: int = 3) -> bool:
    """True when the lease runs at least to `lease_required_end`."""
    return lease_end >= lease_required_end(filing_start, years)
