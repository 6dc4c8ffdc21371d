"""Property tests for the check characters (rules/ids.py): every valid 统一社会信用代码
(GB 32100-2015) and 身份证号 (GB 11643-1999) generated passes, and every single-character
substitution fails.

Why every substitution fails — the maths, checked here rather than assumed:
- USCC: check = −Σ v·w (mod 31). 31 is prime and no weight is 0 mod 31, so changing one
  value v → v′ (v ≠ v′, both in 0…30) changes the sum by w·(v′ − v) ≢ 0 (mod 31): the
  expected check character changes. Changing the check character itself breaks equality;
  a character outside the alphabet (I, O, S, V, Z, a letter among the six region digits)
  fails the format.
- 身份证号: check = "10X98765432"[Σ d·w mod 11]. 11 is prime, no weight is 0 mod 11, and
  a digit change has |d′ − d| ≤ 9 < 11, so the sum mod 11 changes and so does the check.
  An X among the first 17 fails the format. (A transposition of two digits is *not*
  always caught — that is not claimed.)

The expected check characters come from python-stdnum (`stdnum.cn.uscc`, `stdnum.cn.ric`),
an implementation independent of `sheetkit.rules.ids`."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from sheetkit.rules.ids import (
    RESIDENT_CHECK, RESIDENT_WEIGHTS, USCC_CHARS, USCC_WEIGHTS, resident_check_char, resident_problems,
    resident_valid, uscc_check_char, uscc_problems, uscc_valid,
)

SETTINGS = settings(max_examples=200, deadline=None)
DIGITS = "0123456789"

uscc_body = st.builds(
    lambda a, region, rest: a + region + rest,
    st.text(alphabet=USCC_CHARS, min_size=2, max_size=2),
    st.text(alphabet=DIGITS, min_size=6, max_size=6),
    st.text(alphabet=USCC_CHARS, min_size=9, max_size=9),
)
birth = st.dates(min_value=pd.Timestamp("1900-01-01").date(), max_value=pd.Timestamp("2099-12-31").date())
resident_body = st.builds(lambda region, d, seq: region + d.strftime("%Y%m%d") + seq,
                          st.text(alphabet=DIGITS, min_size=6, max_size=6), birth,
                          st.text(alphabet=DIGITS, min_size=3, max_size=3))


def test_weights_are_invertible():
    assert all(w % 31 for w in USCC_WEIGHTS) and len(USCC_CHARS) == 31
    assert all(w % 11 for w in RESIDENT_WEIGHTS) and len(set(RESIDENT_CHECK)) == 11


def test_spec_examples():
    assert uscc_valid("91310110666007217T") and stdnum_uscc.is_valid("91310110666007217T")
    assert resident_valid("11010519491231002X") and stdnum_ric.is_valid("11010519491231002X")


def stdnum_resident_check(body: str) -> str:
    return stdnum_ric.calc_check_digit(body + "0")  # stdnum takes the number with a check digit


@SETTINGS
@given(uscc_body, st.sampled_from(USCC_CHARS))
def test_uscc_check_character_agrees_with_stdnum(body, check):
    expected = stdnum_uscc.calc_check_digit(body)
    assert uscc_check_char(body) == expected
    assert uscc_valid(body + expected)
    assert uscc_valid(body + check) == (check == expected)


@SETTINGS
@given(resident_body, st.sampled_from(DIGITS + "X"))
def test_resident_check_character_agrees_with_stdnum(body, check):
    expected = stdnum_resident_check(body)
    assert resident_check_char(body) == expected
    assert resident_valid(body + expected)
    assert resident_valid(body + check) == (check == expected)


@SETTINGS
@given(uscc_body)
def test_every_valid_uscc_passes_and_every_substitution_fails(body):
    code = body + stdnum_uscc.calc_check_digit(body)
    assert uscc_valid(code)
    assert uscc_problems(pd.Series([code])).isna().all()
    variants = [code[:i] + c + code[i + 1:] for i in range(18) for c in USCC_CHARS + "IOSVZ" if c != code[i]]
    assert not any(uscc_valid(v) for v in variants)
    problems = uscc_problems(pd.Series(variants))
    assert problems.notna().all()


@SETTINGS
@given(resident_body)
def test_every_valid_resident_id_passes_and_every_substitution_fails(body):
    code = body + stdnum_resident_check(body)
    assert resident_valid(code)
    assert resident_problems(pd.Series([code])).isna().all()
    variants = [code[:i] + c + code[i + 1:] for i in range(18) for c in DIGITS + "X" if c != code[i]]
    assert not any(resident_valid(v) for v in variants)
    assert resident_problems(pd.Series(variants)).notna().all()


@SETTINGS
@given(st.lists(st.text(max_size=20), max_size=10))
def test_any_text_gives_a_reason_or_passes_never_an_exception(values):
    for fn, valid in ((uscc_problems, uscc_valid), (resident_problems, resident_valid)):
        out = fn(pd.Series(values, dtype="object"))
        assert len(out) == len(values)
        for v, reason in zip(values, out):
            assert (reason is pd.NA) == valid(v)


def test_unicode_digits_are_not_digits():
    """Arabic-Indic and full-width digits match `\\d` in Python; they are not valid
    characters of either code (the reader turns full-width into ASCII before checking)."""
    arabic = "".join(chr(0x660 + int(c)) if c.isdigit() else c for c in "11010519491231002X")
    wide = "９１３１０１１０６６６００７２１７Ｔ"
    for code in (arabic, wide):
        assert not resident_valid(code) and not uscc_valid(code)
        assert resident_problems(pd.Series([code])).notna().all()
        assert uscc_problems(pd.Series([code])).notna().all()
