"""Property tests for the normalisers (register/normalise.py): any cell value in gives a
value or an invalid mark out, never an exception; normalising twice changes nothing."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetkit.register import normalise as nz
from sheetkit.register.model import SHEETS

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# what calamine can hand over for a cell, plus the odd things a pandas column may hold
text = st.text(max_size=40)
cjk_text = st.text(alphabet=st.sampled_from(list("0123456789年月日-/.．０１２３４５６７８９ 　\t\n")), max_size=14)
cell = st.one_of(
    st.none(),
    text,
    cjk_text,
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(min_value=dt.datetime(1, 1, 1)),
    st.sampled_from(["是", "否", "√", "×", "TRUE", "１", "2025年3月1日", "20250301", "45717", "45717.0",
                     "9999-99-99", "0000-01-01", "2262-04-12", "1677-09-20", "-", "无数据", "\u200b", "\ufeff"]),
)
column = st.lists(cell, max_size=12)

ENUM_SYNONYMS = [c.synonyms for spec in SHEETS for c in spec.columns if c.synonyms]


def series(values) -> pd.Series:
    return pd.Series(values, dtype="object")


def missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def same(a: pd.Series, b: pd.Series) -> bool:
    return all((missing(x) and missing(y)) or x == y for x, y in zip(a.tolist(), b.tolist())) and len(a) == len(b)


@SETTINGS
@given(column)
def test_text_normalisers_never_raise_and_are_idempotent(values):
    raw = series(values)
    for fn in (nz.normalise_text, nz.normalise_key_text):
        once = fn(raw)
        assert list(once.index) == list(raw.index)
        assert all(missing(v) or isinstance(v, str) for v in once)
        assert same(fn(series(once.tolist())), once), fn.__name__


@SETTINGS
@given(column)
def test_blank_cells_are_na_text(values):
    raw = series(values)
    blank = nz.is_blank(raw)
    out = nz.normalise_text(raw)
    assert all(missing(v) for v in out[blank])


@SETTINGS
@given(column)
def test_identifier_is_idempotent_and_marks_numbers(values):
    raw = series(values)
    once, numeric = nz.normalise_identifier(raw)
    assert numeric.dtype == bool and len(numeric) == len(raw)
    for v, n in zip(values, numeric):
        if n:
            assert isinstance(v, (int, float)) and not isinstance(v, bool)
    twice, numeric2 = nz.normalise_identifier(series(once.tolist()))
    assert same(twice, once)
    assert not numeric2.any()  # text in, text out


@SETTINGS
@given(column, st.sampled_from(ENUM_SYNONYMS))
def test_enum_is_idempotent(values, synonyms):
    once = nz.normalise_enum(series(values), synonyms)
    assert same(nz.normalise_enum(series(once.tolist()), synonyms), once)


@SETTINGS
@given(column)
def test_dates_give_a_date_or_an_invalid_mark_and_iso_round_trips(values):
    raw = series(values)
    dates, invalid = nz.normalise_date(raw)
    blank = nz.is_blank(raw)
    assert len(dates) == len(raw) == len(invalid)
    assert not (invalid & blank).any()
    for d, bad, is_blank in zip(dates, invalid, blank):
        assert (pd.isna(d)) == (bad or is_blank)  # a value, or blank, or marked invalid
    iso = series([d.date().isoformat() if not pd.isna(d) else None for d in dates])
    again, bad_again = nz.normalise_date(iso)
    assert not bad_again.any()
    assert same(again, dates)
    # and the Timestamps themselves are read back as the same dates
    again2, bad2 = nz.normalise_date(series(dates.tolist()))
    assert not bad2.any() and same(again2, dates)


@SETTINGS
@given(column, st.booleans())
def test_numbers_give_a_number_or_an_invalid_mark_and_round_trip(values, integer):
    raw = series(values)
    numbers, invalid = nz.normalise_number(raw, integer=integer)
    blank = nz.is_blank(raw)
    assert not (invalid & blank).any()
    for v, bad, is_blank in zip(numbers, invalid, blank):
        assert (v is pd.NA) == (bad or is_blank)
    text = series([None if v is pd.NA else (str(int(v)) if integer else repr(float(v))) for v in numbers])
    again, bad_again = nz.normalise_number(text, integer=integer)
    assert not bad_again.any()
    assert same(again, numbers)


@SETTINGS
@given(column)
def test_yesno_gives_a_boolean_or_an_invalid_mark_and_round_trips(values):
    raw = series(values)
    flags, invalid = nz.normalise_yesno(raw)
    blank = nz.is_blank(raw)
    assert not (invalid & blank).any()
    for v, bad, is_blank in zip(flags, invalid, blank):
        assert (v is pd.NA) == (bad or is_blank)
    words = series([None if v is pd.NA else ("是" if v else "否") for v in flags])
    again, bad_again = nz.normalise_yesno(words)
    assert not bad_again.any() and same(again, flags)


@SETTINGS
@given(column)
def test_lists_are_tuples_of_key_texts_and_round_trip(values):
    once = nz.normalise_list(series(values))
    assert all(isinstance(v, tuple) and all(isinstance(p, str) and p for p in v) for v in once)
    joined = series(["、".join(v) if v else None for v in once])
    assert nz.normalise_list(joined).tolist() == once.tolist()


@SETTINGS
@given(st.one_of(st.none(), text, st.integers(), st.floats()))
def test_header_key_never_raises_and_is_idempotent(value):
    key = nz.header_key(value)
    assert isinstance(key, str)
    assert nz.header_key(key) == key


@pytest.mark.parametrize("value,expected", [
    ("2025年3月1日", dt.date(2025, 3, 1)), ("２０２５．３．１", dt.date(2025, 3, 1)), ("20250301", dt.date(2025, 3, 1)),
    (45717, dt.date(2025, 3, 1)), ("45717", dt.date(2025, 3, 1)),
])
def test_date_examples(value, expected):
    dates, invalid = nz.normalise_date(series([value]))
    assert not invalid.iloc[0] and dates.iloc[0].date() == expected


@pytest.mark.parametrize("value", ["U¨", "ΐ", "ΰ", "ǆ", "ß", "ﬁ", "︐", "中式面点︐家政服务", "A\u3000¨B"])
def test_idempotence_on_characters_that_once_broke_it(value):
    """Found by the properties above: a removed space letting a combining mark compose
    (`U¨`), upper() decomposing Greek (`ΐ`), a compatibility form of a separator (`︐`)."""
    raw = series([value])
    key = nz.normalise_key_text(raw)
    assert same(nz.normalise_key_text(series(key.tolist())), key)
    ident = nz.normalise_identifier(raw)[0]
    assert same(nz.normalise_identifier(series(ident.tolist()))[0], ident)
    items = nz.normalise_list(raw).iloc[0]
    assert nz.normalise_list(series(["、".join(items)])).iloc[0] == items
    assert "," not in "".join(items)
