import datetime as dt

import pytest

from sheetkit.periods import Month, filing_period, lease_covers, lease_required_end


@pytest.mark.parametrize("start, text", [
    (dt.date(2025, 3, 1), "自2025年3月至2028年2月"),
    (dt.date(2025, 3, 31), "自2025年3月至2028年2月"),
    (dt.date(2025, 1, 15), "自2025年1月至2027年12月"),
    (dt.date(2026, 12, 1), "自2026年12月至2029年11月"),
])
def test_filing_period_text(start, text):
    assert filing_period(start).zh() == text


def test_renewal_period_starts_the_month_after():
    old = filing_period(dt.date(2025, 3, 1))
    assert old.next().zh() == "自2028年3月至2031年2月"
    assert old.last_day == dt.date(2028, 2, 29)


def test_period_covers_and_overlaps():
    p = filing_period(dt.date(2023, 6, 10))
    assert p.covers(dt.date(2026, 5, 31)) and not p.covers(dt.date(2026, 6, 1))
    assert p.overlaps_year(2026) and not p.overlaps_year(2027) and not p.overlaps_year(2022)


def test_lease_boundary_follows_spec_example():
    start = dt.date(2025, 3, 1)
    assert lease_required_end(start) == dt.date(2028, 2, 29)
    assert lease_covers(start, dt.date(2028, 2, 29))
    assert not lease_covers(start, dt.date(2028, 2, 28))


def test_month_arithmetic():
    assert Month(2025, 12).plus(1) == Month(2026, 1)
    assert Month(2025, 1).plus(-1) == Month(2024, 12)
    assert Month(2024, 2).last_day == dt.date(2024, 2, 29)


def test_years_later_of_a_whole_column_equals_the_scalar_one():
    import pandas as pd

    from sheetkit.periods import years_later, years_later_each

    days = [dt.date(2024, 2, 29), dt.date(2025, 3, 1), dt.date(2026, 12, 1), dt.date(2023, 12, 31),
            dt.date(2020, 1, 1), dt.date(2028, 2, 28)]
    for years in (1, 3):
        got = years_later_each(pd.Series(pd.to_datetime(days)), years).dt.date.tolist()
        assert got == [years_later(d, years) for d in days]
    assert years_later(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
