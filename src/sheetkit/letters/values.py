"""Cell values as letter text: the leaf both `context` and the forms (`application`)
read, so neither imports the other for them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\ufffe\uffff]")


def text(value) -> str | None:
    """A cell value as letter text: no control characters (they would break the .docx
    or be read by docxtpl as paragraph/page breaks), surrounding spaces trimmed."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = _CONTROL.sub("", unicodedata.normalize("NFC", str(value))).strip()
    return s or None


def as_date(value) -> dt.date | None:
    import pandas as pd

    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        try:
            return value.to_pydatetime().date()
        except (ValueError, AttributeError):
            return None
    if isinstance(value, str):
        from sheetkit.register.normalise import date_of

        return date_of(value)
    return None


def date_zh(day: dt.date) -> str:
    """`2025年2月12日` (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def number_zh(value) -> str:
    """85.0 → 85, 72.5 → 72.5, 72.333 → 72.33."""
    if value is None:
        return ""
    s = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return s


# ------------------------------------------------------------------ per institution
