"""Normalisers: raw cell values (as calamine gives them) → canonical typed values.

Every function takes a pandas Series of raw values and returns the normalised Series
(``pd.NA``/``NaT`` for blank) plus, where a value can be wrong, a boolean mask of the
cells that could not be read as the column's type.

They are built for registers of a million rows: a column is factorised once (in C) into
its distinct values, each distinct value is normalised once in Python, and the results
are spread back to the rows with one array take. A column of 300,000 rows holding 7 roles
costs 7 Python calls, not 300,000. (True, 1 and 1.0 hash alike, so a column holding both
booleans and 0/1 numbers has those cells redone one by one.)
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np
import pandas as pd

_SPACE_RE = r"[\s\u3000\u00a0\u200b\ufeff]+"
_SPACE = re.compile(_SPACE_RE)
_UNIT_RE = re.compile(r"[\(（\[【][^\)）\]】]*[\)）\]】]$")
LIST_SEPARATORS = r"[、，,;；\n\r]+"
_LIST_SPLIT = re.compile(LIST_SEPARATORS)


def half_width(text: str) -> str:
    """Full-width → half-width (NFKC), e.g. `９１３７` → `9137`, `Ａ` → `A`."""
    return unicodedata.normalize("NFKC", text)


def header_key(text) -> str:
    """Key a header is matched by: NFKC, no spaces or line breaks, no trailing
    bracketed unit (`面积（㎡）` → `面积`), lower case."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    s = _SPACE.sub("", half_width(str(text)))
    if not s.isascii():  # a removed space can let a combining mark compose
        s = half_width(s)
    while True:
        stripped = _UNIT_RE.sub("", s).rstrip("*:：")
        if stripped == s or not stripped:
            break
        s = stripped
    s = s.lower()
    return s if s.isascii() else half_width(s)


# --------------------------------------------------------------------------- columns

class Cells:
    """One column of raw values, factorised once: ``codes`` (−1 for None/NaN/NaT) index
    ``uniques``; ``redo`` are the rows whose value is a boolean or a 0/1 number when the
    column holds both (they hash alike, so they are normalised one by one)."""

    __slots__ = ("values", "codes", "uniques", "redo", "all_str")

    SAMPLE = 2000  # a column whose first rows are nearly all distinct is not factorised

    def __init__(self, raw):
        values = raw.to_numpy(dtype=object) if isinstance(raw, pd.Series) else np.asarray(raw, dtype=object)
        self.values = values
        self.redo = None
        sample = values[:self.SAMPLE]
        if len(values) > 2 * self.SAMPLE and len(set(sample.tolist())) > 0.9 * len(sample):
            # names, ID numbers: hashing them buys nothing; every value is its own "unique"
            self.codes, self.uniques = None, values
        else:
            self.codes, self.uniques = pd.factorize(values)
            ambiguous = [i for i, u in enumerate(self.uniques) if not isinstance(u, str) and _zero_or_one(u)]
            if ambiguous:
                rows = np.flatnonzero(np.isin(self.codes, ambiguous))
                if len({type(v) is bool for v in values[rows]}) > 1:
                    self.redo = rows
        self.all_str = set(map(type, self.uniques)) == {str}

    def map(self, fn, na, dtype=object, bulk=None) -> np.ndarray:
        """``fn`` of every value (``na`` for None/NaN), computed once per distinct value.
        ``bulk``, if given, does the same for a list of strings at once (list
        comprehensions instead of a call per value) and is used when every value is text."""
        uniques = self.uniques.tolist() if isinstance(self.uniques, np.ndarray) else list(self.uniques)
        if bulk is not None and self.all_str:
            results = bulk(uniques)
        elif bulk is not None:  # text with a few blanks or numbers: the strings in bulk, the rest one by one
            texts = [i for i, u in enumerate(uniques) if u.__class__ is str]
            results = [None if u.__class__ is str else fn(u) for u in uniques]
            for i, r in zip(texts, bulk([uniques[i] for i in texts])):
                results[i] = r
        else:
            results = [fn(u) for u in uniques]
        if self.codes is None:
            out = np.empty(len(results), dtype=dtype)
            _fill(out, results, dtype)
            return out
        table = np.empty(len(results) + 1, dtype=dtype)
        _fill(table[:-1], results, dtype)
        table[-1] = na
        out = table[self.codes]
        if self.redo is not None:
            for p in self.redo:
                out[p] = fn(self.values[p])
        return out

    def blank(self) -> np.ndarray:
        return self.map(blank_value, True, dtype=bool, bulk=_blank_texts)


def _fill(target: np.ndarray, results: list, dtype) -> None:
    if dtype is object and results and isinstance(results[0], tuple):
        for i, r in enumerate(results):  # tuples would be taken for rows of a 2-D array
            target[i] = r
    else:
        target[:] = results


def _zero_or_one(u) -> bool:
    try:
        return u == 0 or u == 1
    except (TypeError, ValueError):
        return False


def _cells(raw) -> Cells:
    return raw if isinstance(raw, Cells) else Cells(raw)


def blank_value(v) -> bool:
    if isinstance(v, str):
        return not v or (not v.isalnum() and _SPACE.fullmatch(v) is not None)
    return v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and v != v)


_ZERO_WIDTH = "\u200b\ufeff"


def _strip_texts(texts: list[str]) -> list:
    """Strings trimmed, NA for blank ones (spaces, ideographic and zero-width spaces)."""
    out = [t.strip() for t in texts]
    joined = "".join(out)
    if any(z in joined for z in _ZERO_WIDTH):  # rare: a value may be zero-width spaces only
        suspects = [i for i, t in enumerate(out) if not t or t[0] in _ZERO_WIDTH]
    else:
        suspects = [i for i, t in enumerate(out) if not t]
    for i in suspects:
        if not out[i] or _SPACE.fullmatch(out[i]):
            out[i] = pd.NA
    return out


def _blank_texts(texts: list[str]) -> list[bool]:
    return [t is pd.NA for t in _strip_texts(texts)]


def _key_texts(texts: list[str]) -> list:
    """`_key_value` of many strings: the common case (ASCII or CJK letters and digits,
    nothing to remove) in list comprehensions, the rest through `_key_value` itself."""
    out = _strip_texts(texts)
    na = pd.NA
    for i in [i for i, t in enumerate(out) if t is not na and not (t.isascii() and t.isalnum())]:
        out[i] = _key_value(out[i])
    return out


def _identifier_texts(texts: list[str]) -> list:
    """`_identifier_value` of many strings (ASCII ones upper-cased in bulk)."""
    na = pd.NA
    return [t if t is na else t.upper() if t.isascii() else _identifier_value(t) for t in _key_texts(texts)]


def _series(values: np.ndarray, index, dtype=None) -> pd.Series:
    return pd.Series(values, index=index, dtype=dtype if dtype is not None else object, copy=False)


def is_blank(raw: pd.Series) -> pd.Series:
    """Cells that hold nothing: None, NaN, empty or whitespace-only strings."""
    if len(raw) == 0:
        return pd.Series(False, index=raw.index, dtype=bool)
    return pd.Series(Cells(raw).blank(), index=raw.index, dtype=bool)


# --------------------------------------------------------------------------- text

def _as_text(v):
    """A raw value as text: integral floats lose their `.0` (phone numbers); None if blank."""
    if isinstance(v, str):
        return v
    if v is None:
        return None
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if v != v:
            return None
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()[:10]
    if v is pd.NA or v is pd.NaT:
        return None
    return str(v)


def _text_value(v):
    """Free text: trimmed; NA when blank."""
    if isinstance(v, str):
        if blank_value(v):
            return pd.NA
        return v.strip()
    t = _as_text(v)
    return pd.NA if t is None else t.strip()


def _key_value(v):
    """Text compared as a key: half-width, no spaces; NA when blank."""
    t = _text_value(v)
    if t is pd.NA:
        return t
    if not t.isascii():
        t = unicodedata.normalize("NFKC", t)
    if not t.isalnum():
        t = _SPACE.sub("", t)
        if not t.isascii():  # a removed space can let a combining mark compose (`U¨` → `Ü`)
            t = unicodedata.normalize("NFKC", t)
    return t if t else pd.NA


def normalise_text(raw: pd.Series) -> pd.Series:
    """Free text: trimmed, blanks → NA; inner text kept as typed (names are not rewritten)."""
    return _series(_cells(raw).map(_text_value, pd.NA, bulk=_strip_texts), raw.index)


def normalise_key_text(raw: pd.Series) -> pd.Series:
    """Text compared as a key (project names, cities): half-width, no spaces."""
    return _series(_cells(raw).map(_key_value, pd.NA, bulk=_key_texts), raw.index)


def _identifier_value(v):
    t = _key_value(v)
    if t is pd.NA:
        return t
    t = t.upper()
    return t if t.isascii() else unicodedata.normalize("NFKC", t)  # upper() can decompose (`ΐ`)


def _stored_as_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)) \
        and not (isinstance(v, float) and v != v)


def normalise_identifier(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Identifiers: half-width, no spaces, upper case. Returns (values, stored_as_number):
    an 18-digit ID typed as a number has lost its last digits in Excel and must be an
    error, never silently accepted."""
    cells = _cells(raw)
    numeric = (np.zeros(len(cells.values), dtype=bool) if cells.all_str
               else cells.map(_stored_as_number, False, dtype=bool))
    return _series(cells.map(_identifier_value, pd.NA, bulk=_identifier_texts), raw.index), pd.Series(numeric, index=raw.index, dtype=bool)


# --------------------------------------------------------------------------- dates

_DATE_TEXT_RE = (
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_COMPACT_RE = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"
_DATE_TEXT = re.compile(_DATE_TEXT_RE)
_DATE_COMPACT = re.compile(_DATE_COMPACT_RE)
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.0+)?")  # a serial number pasted as text
_EPOCH = dt.date(1899, 12, 30)
_UNIX = dt.date(1970, 1, 1)
_NAT = np.iinfo(np.int64).min
# datetime64[ns] holds 1677-09-21 … 2262-04-11; dates outside cannot be read.
# Dates before 1900 are not register dates: Excel's day zero (1899-12-30, a 0 or NaN stored in
# a date cell) and anything earlier are invalid, however they were written.
_MIN_DAY, _MAX_DAY = (dt.date(1900, 1, 1) - _UNIX).days, (dt.date(2261, 12, 31) - _UNIX).days
_NS_PER_DAY = 86_400 * 10**9

# result of one value: days since 1970-01-01, or one of these
_BLANK, _INVALID = "blank", "invalid"


def _ymd(y, m, d):
    try:
        return (dt.date(int(y), int(m), int(d)) - _UNIX).days
    except ValueError:
        return _INVALID


def _date_value(v):
    """Days since 1970-01-01 for one raw value, or _BLANK / _INVALID."""
    if isinstance(v, str):
        if blank_value(v):
            return _BLANK
        s = unicodedata.normalize("NFKC", v).strip() if not v.isascii() else v.strip()
        m = _DATE_TEXT.search(s) or _DATE_COMPACT.search(s)
        if m:
            return _ymd(m["y"], m["m"], m["d"])
        if _SERIAL_TEXT.fullmatch(s):
            return (_EPOCH - _UNIX).days + int(float(s))
        return _INVALID
    if isinstance(v, dt.date):  # datetime, pd.Timestamp too
        return (dt.date(v.year, v.month, v.day) - _UNIX).days
    if isinstance(v, (bool, np.bool_)) or v is None or v is pd.NaT or v is pd.NA:
        return _BLANK if v is None or v is pd.NaT or v is pd.NA else _INVALID
    if isinstance(v, (int, float, np.integer, np.floating)):
        f = float(v)
        if f != f:
            return _BLANK
        if 19000101 <= f <= 21001231 and f % 1 == 0:
            n = int(f)
            return _ymd(n // 10000, n // 100 % 100, n % 100)
        if 1 <= f <= 2958465:
            return (_EPOCH - _UNIX).days + int(round(f, 6))
        return _INVALID
    return _INVALID


def _date_ns(v) -> int:
    d = _date_value(v)
    if isinstance(d, str) or not _MIN_DAY <= d <= _MAX_DAY:
        return _NAT
    return d * _NS_PER_DAY


def _date_invalid(v) -> bool:
    d = _date_value(v)
    return d == _INVALID if isinstance(d, str) else not _MIN_DAY <= d <= _MAX_DAY


def normalise_date(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates from real Excel dates, Excel serial numbers, or text: `2025-03-01`,
    `2025/3/1`, `2025.3.1`, `2025年3月1日`, `20250301`, a serial pasted as text (`45717`).
    Returns (Timestamps, invalid)."""
    cells = _cells(raw)
    ns = cells.map(_date_ns, _NAT, dtype=np.int64)
    invalid = cells.map(_date_invalid, False, dtype=bool)
    return (pd.Series(ns.view("datetime64[ns]"), index=raw.index, copy=False),
            pd.Series(invalid, index=raw.index, dtype=bool))


def date_of(value) -> dt.date | None:
    """One value read as a date cell is read (`normalise_date`): a date, or None when it is
    blank or not a date (a command-line `--as-of`, a 设置 cell)."""
    parsed, invalid = normalise_date(pd.Series([value], dtype="object"))
    if bool(invalid.iloc[0]) or pd.isna(parsed.iloc[0]):
        return None
    return parsed.iloc[0].date()


# --------------------------------------------------------------------------- numbers

def _number_value(v) -> float:
    if isinstance(v, float):
        return v
    if isinstance(v, (bool, np.bool_)):
        return np.nan
    if isinstance(v, (int, np.integer, np.floating)):
        return float(v)
    if isinstance(v, str):
        s = _SPACE.sub("", unicodedata.normalize("NFKC", v)).replace(",", "")
        try:
            return float(s)
        except ValueError:
            return np.nan
    return np.nan


def normalise_number(raw: pd.Series, integer: bool = False) -> tuple[pd.Series, pd.Series]:
    """Numbers (text with full-width digits accepted). Integers must be whole.
    Returns (Float64 or Int64 values, invalid)."""
    cells = _cells(raw)
    values = cells.map(_number_value, np.nan, dtype=np.float64)
    missing = np.isnan(values)
    invalid = missing & ~cells.blank()
    if integer:
        with np.errstate(invalid="ignore"):
            fractional = ~missing & (np.fmod(values, 1) != 0)
        fractional |= ~missing & (np.abs(values) > 2.0**53)  # beyond what a whole number can hold
        invalid |= fractional
        missing |= fractional
        ints = np.where(missing, 0, np.round(values)).astype(np.int64)
        out = pd.Series(pd.arrays.IntegerArray(ints, missing), index=raw.index, copy=False)
    else:
        out = pd.Series(pd.arrays.FloatingArray(np.where(missing, 0.0, values), missing), index=raw.index,
                        copy=False)
    return out, pd.Series(invalid, index=raw.index, dtype=bool)


# --------------------------------------------------------------------------- yes / no

YES_WORDS = {"是", "Y", "YES", "有", "√", "✓", "✔", "TRUE", "1", "对"}
NO_WORDS = {"否", "N", "NO", "无", "×", "✗", "✘", "X", "FALSE", "0", "不是", "没有"}
_YES, _NO, _NEITHER = 1, 0, -1


def _yesno_value(v) -> int:
    if isinstance(v, (bool, np.bool_)):
        return _YES if v else _NO
    if isinstance(v, str):
        w = _SPACE.sub("", unicodedata.normalize("NFKC", v)).upper()
        return _YES if w in YES_WORDS else _NO if w in NO_WORDS else _NEITHER
    if isinstance(v, (int, float)) and not (isinstance(v, float) and v != v):
        return _YES if v == 1 else _NO if v == 0 else _NEITHER
    return _NEITHER


def normalise_yesno(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """是/否, Y/N, 有/无, √/×, TRUE/FALSE, 1/0 → boolean. Returns (boolean, invalid)."""
    cells = _cells(raw)
    words = cells.map(_yesno_value, _NEITHER, dtype=np.int8)
    missing = words == _NEITHER
    invalid = missing & ~cells.blank()
    out = pd.Series(pd.arrays.BooleanArray(words == _YES, missing), index=raw.index, copy=False)
    return out, pd.Series(invalid, index=raw.index, dtype=bool)


# --------------------------------------------------------------------------- enumerations, lists

def normalise_enum(raw: pd.Series, synonyms: dict[str, str] | None = None) -> pd.Series:
    """Enumerations: half-width, no spaces; synonyms mapped to the canonical value.
    Unknown values are kept (the schema reports them as `data.enum`)."""
    if not synonyms:
        return normalise_key_text(raw)
    table = {half_width(k).replace(" ", ""): v for k, v in synonyms.items()}

    def value(v):
        t = _key_value(v)
        return t if t is pd.NA else table.get(t, t)

    return _series(_cells(raw).map(value, pd.NA), raw.index)


def _list_value(v) -> tuple:
    t = _text_value(v)
    if t is pd.NA:
        return ()
    # half-width before splitting, so that compatibility forms of a separator (`︐`) split too
    parts = (_key_value(p) for p in _LIST_SPLIT.split(unicodedata.normalize("NFKC", t)))
    return tuple(p for p in parts if p is not pd.NA)


def normalise_list(raw: pd.Series) -> pd.Series:
    """Several values in one cell, separated by 、 ， , ; ； or line breaks → tuple."""
    return _series(_cells(raw).map(_list_value, ()), raw.index)
