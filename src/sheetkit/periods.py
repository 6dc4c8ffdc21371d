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


def add_years(day: dt.date, years: int) -> dt.date:
    """Same day ``years`` later (29 Feb → 28 Feb)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def lease_required_end(filing_start: dt.date, years: int = 3) -> dt.date:
    """The earliest lease end that covers a filing: start + ``years`` × 365 days − 1 day.

    Years are counted as 365 days, as SPEC §2's example fixes it: filing from 2025-03-01
    needs a lease to 2028-02-28 or later (a calendar count would give 2028-02-29, 2028 being
    a leap year). See docs/rules.md."""
    return filing_start + dt.timedelta(days=365 * years - 1)


def lease_covers(filing_start: dt.date, lease_end: dt.date, years: int = 3) -> bool:
    """True when the lease runs at least to `lease_required_end`."""
    return lease_end >= lease_required_end(filing_start, years)
