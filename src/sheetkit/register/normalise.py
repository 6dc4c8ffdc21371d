"""Normalisers: raw cell values (as calamine gives them) → canonical typed values.

Every function takes a pandas Series of raw values and returns the normalised Series
(``pd.NA``/``NaT`` for blank) plus, where a value can be wrong, a boolean mask of the
cells that could not be read as the column's type. They are vectorised: no Python loop
over rows except where a value's Python type must be looked at.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np
import pandas as pd

BLANK_TEXT = {"", "nan", "none", "null", "-", "—", "/", "无数据"}
_SPACE_RE = r"[\s\u3000\u00a0\u200b\ufeff]+"
_UNIT_RE = re.compile(r"[\(（\[【][^\)）\]】]*[\)）\]】]$")
LIST_SEPARATORS = r"[、，,;；\n\r]+"


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
    s = half_width(str(text))
    s = re.sub(_SPACE_RE, "", s)
    while True:
        stripped = _UNIT_RE.sub("", s)
        if stripped == s or not stripped:
            break
        s = stripped
    s = s.rstrip("*:：")
    return s.lower()


def is_blank(raw: pd.Series) -> pd.Series:
    """Cells that hold nothing: None, NaN, empty or whitespace-only strings."""
    if raw.empty:
        return pd.Series(False, index=raw.index)
    as_text = raw.astype("object").where(raw.notna(), "")
    text = as_text.map(lambda v: v if isinstance(v, str) else "x")
    return raw.isna() | text.str.replace(_SPACE_RE, "", regex=True).eq("")


def _as_text(raw: pd.Series) -> pd.Series:
    """Raw values as text: integral floats lose their `.0` (phone numbers), blanks → NA."""
    def conv(v):
        if v is None:
            return None
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, float):
            if np.isnan(v):
                return None
            return str(int(v)) if v.is_integer() else repr(v)
        if isinstance(v, (dt.datetime, dt.date)):
            return v.isoformat()[:10]
        return str(v)

    out = raw.astype("object").map(conv)
    return out.astype("object")


def normalise_text(raw: pd.Series) -> pd.Series:
    """Free text: trimmed, blanks → NA; inner text kept as typed (names are not rewritten)."""
    text = _as_text(raw)
    text = text.where(text.isna(), text.astype("string").str.strip().astype("object"))
    return text.where(~is_blank(raw) & text.notna(), pd.NA).astype("object")


def normalise_key_text(raw: pd.Series) -> pd.Series:
    """Text compared as a key (project names, cities): half-width, no spaces."""
    text = normalise_text(raw)
    mask = text.notna()
    if mask.any():
        s = text[mask].astype(str).map(half_width).str.replace(_SPACE_RE, "", regex=True)
        text = text.astype("object")
        text[mask] = s
    return text.where(text.ne(""), pd.NA)


def normalise_identifier(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Identifiers: half-width, no spaces, upper case. Returns (values, stored_as_number):
    an 18-digit ID typed as a number has lost its last digits in Excel and must be an
    error, never silently accepted."""
    numeric = raw.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).astype(bool)
    numeric &= raw.notna()
    text = normalise_key_text(raw)
    mask = text.notna()
    if mask.any():
        text = text.astype("object")
        text[mask] = text[mask].astype(str).str.upper()
    return text, numeric


_DATE_TEXT_RE = (
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_COMPACT_RE = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def normalise_date(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates from real Excel dates, Excel serial numbers, or text: `2025-03-01`,
    `2025/3/1`, `2025.3.1`, `2025年3月1日`, `20250301`. Returns (Timestamps, invalid)."""
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    blank = is_blank(raw)
    kinds = raw.map(_date_kind)

    dates = kinds.eq("date")
    if dates.any():
        out[dates] = pd.to_datetime(raw[dates].map(_to_datetime)).dt.normalize()

    nums = kinds.eq("number")
    if nums.any():
        values = raw[nums].astype(float)
        compact = values.between(19000101, 21001231) & (values % 1 == 0)
        serial = values.between(1, 2958465) & ~compact
        if compact.any():
            out[compact[compact].index] = pd.to_datetime(
                values[compact].astype("int64").astype(str), format="%Y%m%d", errors="coerce")
        if serial.any():
            out[serial[serial].index] = EXCEL_EPOCH + pd.to_timedelta(values[serial].round(6).astype(int), unit="D")

    texts = kinds.eq("text") & ~blank
    if texts.any():
        s = raw[texts].astype(str).map(half_width).str.strip()
        parts = s.str.extract(_DATE_TEXT_RE)
        compact = s.str.extract(_DATE_COMPACT_RE)
        parts = parts.fillna(compact)
        ok = parts["y"].notna()
        if ok.any():
            out[ok[ok].index] = pd.to_datetime(
                {"year": parts.loc[ok, "y"].astype(int), "month": parts.loc[ok, "m"].astype(int),
                 "day": parts.loc[ok, "d"].astype(int)}, errors="coerce")

    invalid = ~blank & out.isna()
    return out, invalid


def _date_kind(v) -> str:
    if isinstance(v, (dt.datetime, dt.date, pd.Timestamp)):
        return "date"
    if isinstance(v, bool):
        return "other"
    if isinstance(v, (int, float, np.integer, np.floating)):
        return "other" if isinstance(v, float) and np.isnan(v) else "number"
    if isinstance(v, str):
        return "text"
    return "other"


def _to_datetime(v):
    if isinstance(v, dt.datetime):
        return v
    return dt.datetime(v.year, v.month, v.day)


def normalise_number(raw: pd.Series, integer: bool = False) -> tuple[pd.Series, pd.Series]:
    """Numbers (text with full-width digits accepted). Integers must be whole.
    Returns (Float64 or Int64 values, invalid)."""
    blank = is_blank(raw)
    def conv(v):
        if isinstance(v, bool):
            return np.nan
        if isinstance(v, (int, float, np.integer, np.floating)):
            return float(v)
        if isinstance(v, str):
            s = re.sub(_SPACE_RE, "", half_width(v)).replace(",", "")
            try:
                return float(s)
            except ValueError:
                return np.nan
        return np.nan
    values = raw.map(conv).astype(float)
    invalid = ~blank & values.isna()
    if integer:
        fractional = values.notna() & (values % 1 != 0)
        invalid |= fractional
        values = values.where(~fractional)
        return values.round().astype("Int64"), invalid
    return values.astype("Float64"), invalid


YES_WORDS = {"是", "Y", "YES", "有", "√", "✓", "✔", "TRUE", "1", "对"}
NO_WORDS = {"否", "N", "NO", "无", "×", "✗", "✘", "X", "FALSE", "0", "不是", "没有"}


def normalise_yesno(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """是/否, Y/N, 有/无, √/×, TRUE/FALSE, 1/0 → boolean. Returns (boolean, invalid)."""
    blank = is_blank(raw)
    def conv(v):
        if isinstance(v, bool):
            return v
        if isinstance(v, (int, float)) and not (isinstance(v, float) and np.isnan(v)):
            return {1: True, 0: False}.get(v)
        if isinstance(v, str):
            w = re.sub(_SPACE_RE, "", half_width(v)).upper()
            if w in YES_WORDS:
                return True
            if w in NO_WORDS:
                return False
        return None
    values = raw.map(conv)
    invalid = ~blank & values.isna()
    return values.astype("boolean"), invalid


def normalise_enum(raw: pd.Series, synonyms: dict[str, str] | None = None) -> pd.Series:
    """Enumerations: half-width, no spaces; synonyms mapped to the canonical value.
    Unknown values are kept (the schema reports them as `data.enum`)."""
    text = normalise_key_text(raw)
    if synonyms:
        table = {half_width(k).replace(" ", ""): v for k, v in synonyms.items()}
        text = text.map(lambda v: table.get(v, v) if isinstance(v, str) else v)
    return text.astype("object")


def normalise_list(raw: pd.Series) -> pd.Series:
    """Several values in one cell, separated by 、 ， , ; ； or line breaks → tuple."""
    text = normalise_text(raw)
    def split(v):
        if not isinstance(v, str):
            return ()
        parts = [re.sub(_SPACE_RE, "", half_width(p)) for p in re.split(LIST_SEPARATORS, v)]
        return tuple(p for p in parts if p)
    return text.map(split).astype("object")
